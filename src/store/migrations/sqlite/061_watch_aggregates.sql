-- 061_watch_aggregates.sql — a watch's reads that do not grow with its matches (issue 16):
-- running counts on the watch, tone counts in its 5-minute buckets and matches per author and
-- day, each kept by the transaction that writes the rows it counts (store/watches.c; the
-- matcher's one write per step in app/listening_match.c). Filled here from the rows there are.

-- A watch's matches, feed matches and alerts: what GET partyline/watches shows, read without
-- counting (the rows go with the watch: store_watch_delete).
ALTER TABLE watches ADD COLUMN match_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE watches ADD COLUMN feed_match_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE watches ADD COLUMN alert_count BIGINT NOT NULL DEFAULT 0;
UPDATE watches SET
    match_count = (SELECT count(*) FROM watch_matches m WHERE m.watch_id = watches.id),
    feed_match_count = (SELECT count(*) FROM watch_feed_matches f WHERE f.watch_id = watches.id),
    alert_count = (SELECT count(*) FROM watch_alerts al WHERE al.watch_id = watches.id);

-- A bucket's matches by tone at the time they were kept: negative at tone_milli <= -200,
-- positive at >= 200 (TONE_THRESHOLD, listen/tone.h); neutral is the rest of count. The
-- bucket of a match is at / 300000 (spike_bucket_of with LISTEN_UTC_OFFSET 0). The table is
-- made again WITHOUT ROWID: its rows are its key and three counts, and a dashboard reads a
-- period's buckets (8,640 for 30 days) from its key alone — through the old table's key each
-- row was one more read of the table (25 ms for the busiest watch's 30 days at 10k/1M).
CREATE TABLE watch_buckets_061 (
    watch_id BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    count INTEGER NOT NULL,
    negative INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (watch_id, bucket)
) WITHOUT ROWID;
INSERT INTO watch_buckets_061 (watch_id, bucket, count)
SELECT watch_id, bucket, count FROM watch_buckets ORDER BY watch_id, bucket;
UPDATE watch_buckets_061 SET negative = t.negative, positive = t.positive
FROM (SELECT watch_id, at / 300000 AS bucket,
             sum(CASE WHEN tone_milli <= -200 THEN 1 ELSE 0 END) AS negative,
             sum(CASE WHEN tone_milli >= 200 THEN 1 ELSE 0 END) AS positive
      FROM watch_matches GROUP BY watch_id, at / 300000) t
WHERE watch_buckets_061.watch_id = t.watch_id AND watch_buckets_061.bucket = t.bucket;
DROP TABLE watch_buckets;
ALTER TABLE watch_buckets_061 RENAME TO watch_buckets;
-- the watches with matches in the buckets that just closed (060's, made again)
CREATE INDEX watch_buckets_bucket ON watch_buckets (bucket);

-- A watch's matches per author and day (day: bucket / 288, a day of the company's local
-- time): the dashboard's top authors sum a period's days, not its matches.
CREATE TABLE watch_authors (
    watch_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (watch_id, day, author_id)
) WITHOUT ROWID;
INSERT INTO watch_authors (watch_id, day, author_id, count)
SELECT watch_id, at / 86400000, author_id, count(*) FROM watch_matches
GROUP BY watch_id, at / 86400000, author_id;
