-- 064_watch_days.sql — a watch's matches by tone per UTC day (issue 17: no slow corner). A
-- watch's dashboard read every 5-minute bucket of its period three times (up to 8,640 for
-- 30 days: its volume and the two periods' sums); it now reads the period's days, and the
-- buckets of at most two partial days (half of each at most). Kept by store_watch_bucket_add
-- in the transaction that counts the bucket (day = bucket / 288, a UTC day: the buckets are
-- UTC's), and filled here from the buckets there are.
CREATE TABLE watch_days (
    watch_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    count INTEGER NOT NULL,
    negative INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (watch_id, day)
) WITHOUT ROWID;
INSERT INTO watch_days (watch_id, day, count, negative, positive)
SELECT watch_id, bucket / 288, sum(count), sum(negative), sum(positive) FROM watch_buckets
GROUP BY watch_id, bucket / 288 ORDER BY watch_id, bucket / 288;
