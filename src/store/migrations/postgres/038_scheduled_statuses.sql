-- 038_scheduled_statuses.sql — posts written now and published later (Mastodon's scheduled
-- statuses: docs.joinmastodon.org/methods/scheduled_statuses).
--
-- A row holds what POST /api/v1/statuses was given, as the app layer reads it (app/scheduled.h),
-- until the background publisher (run/background.c) claims it at scheduled_at: it deletes the
-- row and creates the post in one transaction, so a post is published once however many nodes
-- look. visibility and sensitive are -1 for "the author's default, as it is at publish time".
-- Times are milliseconds.
CREATE TABLE scheduled_statuses (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    scheduled_at BIGINT NOT NULL,
    text TEXT NOT NULL,
    spoiler_text TEXT,
    language TEXT,
    visibility INTEGER NOT NULL,
    list_id BIGINT NOT NULL DEFAULT 0,
    sensitive INTEGER NOT NULL,
    in_reply_to_id BIGINT NOT NULL DEFAULT 0,
    channel_id BIGINT NOT NULL DEFAULT 0,
    app_id BIGINT NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    poll_expires_in BIGINT NOT NULL DEFAULT 0,
    poll_multiple INTEGER NOT NULL DEFAULT 0,
    poll_hide_totals INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- the publisher's question: what is due, earliest first
CREATE INDEX scheduled_statuses_due ON scheduled_statuses (scheduled_at);
-- a person's list, and the limits (how many, how many on one day)
CREATE INDEX scheduled_statuses_account ON scheduled_statuses (account_id, scheduled_at);

-- The options of a scheduled post's poll, in order (none: no poll).
CREATE TABLE scheduled_poll_options (
    scheduled_status_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (scheduled_status_id, position)
);
