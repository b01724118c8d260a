-- 003_covering_author_indexes.sql — the home feed's merge of big accounts, answered from
-- indexes alone (measured with `make bench`, 10k people, 1M posts, 42 big accounts: the
-- home feed served ~2.5x the requests/s, p99 46 -> 18 ms).
--
-- Posts by author: the reply, reblog and visibility columns ride along in the index, so
-- listing an author's recent posts (a profile page, a follow's backfill, and one query per
-- big account in every home feed read) never visits the table rows it filters.
DROP INDEX statuses_account;
CREATE INDEX statuses_account ON statuses
    (account_id, id, in_reply_to_id, in_reply_to_account_id, reblog_of_id, visibility);

-- Big accounts: the partial index now carries the id, so "which big accounts does this
-- person follow" reads no account rows.
DROP INDEX accounts_big;
CREATE INDEX accounts_big ON accounts (is_big, id) WHERE is_big = 1;
