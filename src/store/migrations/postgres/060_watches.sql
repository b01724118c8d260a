-- 060_watches.sql — listening's watches (issue 16, C12): a person's watch queries, the posts and
-- feed items each matched, its counts per 5-minute bucket, its volume alerts, and the one
-- cursor the matcher follows over new posts and feed items (app/listening.h; docs/api.md
-- "Listening").

-- A watch: its owner, title and query (watchq's language, kept as typed), an optional channel
-- its alerts are posted to. spike: the watch's spike state (spike_encode, in hex), spike_bucket
-- the last 5-minute bucket fed to it (-1: none yet).
CREATE TABLE watches (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    query TEXT NOT NULL,
    channel_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    spike TEXT NOT NULL DEFAULT '',
    spike_bucket BIGINT NOT NULL DEFAULT -1
);
CREATE INDEX watches_account ON watches (account_id, id);

-- A post a watch matched, kept only when the watch's owner could see it then (and checked
-- again when read). tone_milli: tone_score × 1000; author_id and at (ms) for the dashboard.
CREATE TABLE watch_matches (
    watch_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    tone_milli INTEGER NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (watch_id, status_id)
);
CREATE INDEX watch_matches_status ON watch_matches (status_id);

-- A feed item a watch matched (feed items are public: no audience).
CREATE TABLE watch_feed_matches (
    watch_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    tone_milli INTEGER NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (watch_id, item_id)
);

-- Matches per 5-minute bucket of the company's local time (spike_bucket_of).
CREATE TABLE watch_buckets (
    watch_id BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (watch_id, bucket)
);
-- the watches with matches in the buckets that just closed (only those are fed then)
CREATE INDEX watch_buckets_bucket ON watch_buckets (bucket);

-- A volume alert (spike_alert): the last bucket of the 15 minutes, the count, what was
-- expected and its spread, the ratio, the level (EWMA), today's level and the baseline (hour,
-- weekend, samples, median and MAD per hour); fractions × 1000. status_id: the post in the
-- watch's channel (0: none); ticket_id: a ticket opened from it (0: none).
CREATE TABLE watch_alerts (
    id BIGINT PRIMARY KEY,
    watch_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    at BIGINT NOT NULL,
    count INTEGER NOT NULL,
    expected_milli BIGINT NOT NULL,
    spread_milli BIGINT NOT NULL,
    ratio_milli BIGINT NOT NULL,
    level_milli BIGINT NOT NULL,
    today_milli BIGINT NOT NULL,
    base_hour INTEGER NOT NULL,
    base_weekend INTEGER NOT NULL,
    base_samples INTEGER NOT NULL,
    base_median_milli BIGINT NOT NULL,
    base_mad_milli BIGINT NOT NULL,
    status_id BIGINT NOT NULL DEFAULT 0,
    ticket_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX watch_alerts_account ON watch_alerts (account_id, id);
CREATE INDEX watch_alerts_watch ON watch_alerts (watch_id, id);

-- The matcher's one row: the last post and feed item matched, the lease that lets one node
-- match (holder until until_at, ms), version, moved by every change of a watch so each node's
-- compiled set knows when to rebuild, and closed_bucket, the last 5-minute bucket handed to
-- every watch's spike state (-1: none yet).
CREATE TABLE listen_state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    status_cursor BIGINT NOT NULL,
    item_cursor BIGINT NOT NULL,
    holder TEXT NOT NULL,
    until_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    closed_bucket BIGINT NOT NULL
);
INSERT INTO listen_state (one, status_cursor, item_cursor, holder, until_at, version,
    closed_bucket) VALUES (1, 0, 0, '', 0, 0, -1);

-- notifications.alert_id: the alert a partyline.alert notification is about.
ALTER TABLE notifications ADD COLUMN alert_id BIGINT;
