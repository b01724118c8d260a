-- 004_fanout_queue.sql — posts waiting to be copied into their followers' home feeds.
-- A post is committed with its row here; the writer copies it into feeds in small chunks
-- between requests (cursor = the last follows.id done), so posting never waits for the
-- fan-out and a crash resumes where it stopped.
CREATE TABLE fanout_queue (
    status_id BIGINT PRIMARY KEY,
    author_id BIGINT NOT NULL,
    reply_to_account_id BIGINT NOT NULL DEFAULT 0,
    is_reblog INTEGER NOT NULL DEFAULT 0,
    cursor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
