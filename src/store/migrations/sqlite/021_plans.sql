-- 021_plans.sql — indexes whose use does not depend on the planner's statistics, and one for
-- removing a post from the home feeds it reached (issue 10, items 29 and 30).
--
-- The reblog and reply indexes held a row for every post, nearly all of them NULL. With no
-- statistics SQLite took "reblog_of_id IS NULL" for a selective equality and walked the whole
-- reblog index, then sorted every post, instead of the partial index statuses_public (the
-- public timeline took 1.1-5.9 s on 10k people / 1M posts instead of < 1 ms); with
-- statistics the NULLs count as one value shared by every row. Indexing only the non-NULL
-- values keeps "= ?" (which implies IS NOT NULL) on them and leaves IS NULL no index to
-- misuse, on SQLite and PostgreSQL alike, and makes the indexes a fraction of their size.
DROP INDEX statuses_reblog;
CREATE INDEX statuses_reblog ON statuses (reblog_of_id, account_id) WHERE reblog_of_id IS NOT NULL;
DROP INDEX statuses_reply;
CREATE INDEX statuses_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;

-- Deleting a post removes it from every home feed it reached: without this index that was a
-- full scan of the feed table (230-270 ms on 10k/1M, 4.4-7.4 s on 100k/10M, on the one
-- writer). One entry per feed row; a post's fan-out appends its entries together at the
-- index's end (new ids are the largest), so it costs the fan-out little.
CREATE INDEX timeline_status ON timeline (status_id);

-- The instance's counts (/api/v1/instance, the everyone channel in the channel directory)
-- counted every post: 200-250 ms on 1M posts, growing with them. They are now the people and
-- the sum of their statuses_count, read from this index alone.
CREATE INDEX accounts_stats ON accounts (is_group, is_disabled, statuses_count);
