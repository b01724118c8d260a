-- 013_filters_tags.sql — filters (Mastodon's v2 filters) and followed hashtags.
-- The PostgreSQL twin of migrations/sqlite/013_filters_tags.sql (identical).
-- A filter belongs to one account and holds keywords and statuses; `context` is a bit set
-- (1 home, 2 notifications, 4 public, 8 thread, 16 account) and `action` 0 warn, 1 hide,
-- 2 blur (see store/model.h); expires_at 0 = never. A person's filters are read once per
-- request that shows statuses (filters_account), so every table is keyed by its owner.
-- Followed tags are merged into the home feed on read from status_tags (nothing is
-- materialized); tag_follows.id pages GET /api/v1/followed_tags.
CREATE TABLE filters (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    context INTEGER NOT NULL,
    action INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX filters_account ON filters (account_id, id);

CREATE TABLE filter_keywords (
    id BIGINT PRIMARY KEY,
    filter_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    keyword TEXT NOT NULL,
    whole_word INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX filter_keywords_filter ON filter_keywords (filter_id, id);
CREATE INDEX filter_keywords_account ON filter_keywords (account_id, id);

CREATE TABLE filter_statuses (
    id BIGINT PRIMARY KEY,
    filter_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX filter_statuses_filter ON filter_statuses (filter_id, status_id);
CREATE INDEX filter_statuses_account ON filter_statuses (account_id, id);
-- deleting a status deletes the entries that name it
CREATE INDEX filter_statuses_status ON filter_statuses (status_id);

CREATE TABLE tag_follows (
    account_id BIGINT NOT NULL,
    tag TEXT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, tag)
);
CREATE INDEX tag_follows_page ON tag_follows (account_id, id);
