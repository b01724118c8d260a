-- 027_trends.sql — what trends and tag pages read, kept small as the company grows (issue 10,
-- item 29): hashtag use counted per UTC day as posts are written, and an index of the posts
-- with any engagement.
--
-- A tag's history (GET /api/v1/tags/:name) and trending tags (GET /api/v1/trends/tags) were
-- counted from status_tags joined to statuses on every request: a week of a popular tag's
-- posts, and for trends every tagged post of the week (28 ms and 257 ms on 10k people / 1M
-- posts, growing with the company). They now read these tables, kept by the store in the same
-- transaction as the status_tags rows they count (store/tags.c, "Counting uses").
--
-- Two audiences are counted, each per (tag, day) and per (tag, day, author):
--   uses        posts any reader could find (public, unlisted: visibility.h VIS_SQL_OPEN),
--               what a tag's history and whether it exists say (as Mastodon's history);
--   trend_uses  posts any signed-in member could find (public, unlisted, company:
--               VIS_SQL_ANY_MEMBER; not boosts; not removed from their channel; not in a
--               private channel), what trending tags rank.
-- day is the post's UTC day, from its id (ids start with their millisecond: id / 65536 is the
-- time in ms). tag_day_accounts keeps each author's count so the distinct-author numbers stay
-- exact when a post is deleted or edited: an author leaves a day's count when theirs reaches 0.
-- (Recounting the one tag-day's authors on each change would be exact too, but it reads every
-- post of that tag that day — hundreds to thousands for a busy tag — on every post that uses
-- it; the share row makes each change a few single-row statements, for a table no bigger than
-- status_tags.)
-- Rows whose counts are all 0 are deleted.
CREATE TABLE tag_day_accounts (
    tag TEXT NOT NULL,
    day BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    uses BIGINT NOT NULL,
    trend_uses BIGINT NOT NULL,
    PRIMARY KEY (tag, day, account_id)
);

CREATE TABLE tag_days (
    tag TEXT NOT NULL,
    day BIGINT NOT NULL,
    uses BIGINT NOT NULL,
    accounts BIGINT NOT NULL,
    trend_uses BIGINT NOT NULL,
    trend_accounts BIGINT NOT NULL,
    PRIMARY KEY (tag, day)
);
-- trending tags read one week of days, every tag
CREATE INDEX tag_days_day ON tag_days (day, tag);

-- The counts of the posts written so far. The numbers are visibility.h's (store/model.h
-- PL_VIS_*: 0 public, 1 unlisted, 4 company); test_top.c checks that this backfill and the
-- counts the store keeps agree.
INSERT INTO tag_day_accounts (tag, day, account_id, uses, trend_uses)
SELECT t.tag, t.status_id / 65536 / 86400000, s.account_id,
       SUM(CASE WHEN s.visibility IN (0, 1) THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.visibility IN (0, 1, 4) AND s.reblog_of_id IS NULL
                AND s.channel_removed = 0
                AND NOT EXISTS (SELECT 1 FROM channels c
                                WHERE c.account_id = s.channel_id AND c.is_private = 1)
           THEN 1 ELSE 0 END)
FROM status_tags t JOIN statuses s ON s.id = t.status_id
WHERE s.visibility IN (0, 1, 4)
GROUP BY t.tag, t.status_id / 65536 / 86400000, s.account_id;

DELETE FROM tag_day_accounts WHERE uses = 0 AND trend_uses = 0;

INSERT INTO tag_days (tag, day, uses, accounts, trend_uses, trend_accounts)
SELECT tag, day, SUM(uses), SUM(CASE WHEN uses > 0 THEN 1 ELSE 0 END),
       SUM(trend_uses), SUM(CASE WHEN trend_uses > 0 THEN 1 ELSE 0 END)
FROM tag_day_accounts GROUP BY tag, day;

-- Trending posts are picked from the posts of the last day with any favourite, boost or reply
-- (store/top.c store_trend_statuses): through this index a day's posts nobody engaged with are
-- never read (the query repeats this condition word for word, as SQLite uses a partial index
-- only then). 3.3 ms at the median on 10k people / 1M posts before, growing with the posts
-- of the day.
CREATE INDEX statuses_engaged ON statuses (id)
    WHERE favourites_count > 0 OR reblogs_count > 0 OR replies_count > 0;
