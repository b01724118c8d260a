-- 001_init.sql — the foundation schema: accounts, apps and tokens, statuses, the social
-- graph, engagement, materialized home timelines, notifications and markers.
-- Times are milliseconds since the epoch (BIGINT); ids are time-ordered 64-bit integers.
-- Visibility: 0 public, 1 unlisted, 2 private (followers), 3 direct.
-- The PostgreSQL twin of migrations/sqlite/001_init.sql: same tables, columns and indexes;
-- timeline is an ordinary heap table with its primary key (SQLite's WITHOUT ROWID has no
-- equivalent and needs none). Flags stay INTEGER 0/1 so the store's SQL is one text.

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    note_html TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    is_locked INTEGER NOT NULL DEFAULT 0,
    is_bot INTEGER NOT NULL DEFAULT 0,
    is_group INTEGER NOT NULL DEFAULT 0,
    is_discoverable INTEGER NOT NULL DEFAULT 1,
    is_disabled INTEGER NOT NULL DEFAULT 0,
    is_approved INTEGER NOT NULL DEFAULT 1,
    is_admin INTEGER NOT NULL DEFAULT 0,
    is_big INTEGER NOT NULL DEFAULT 0,
    default_privacy INTEGER NOT NULL DEFAULT 0,
    default_sensitive INTEGER NOT NULL DEFAULT 0,
    default_language TEXT,
    fields_count INTEGER NOT NULL DEFAULT 0,
    followers_count BIGINT NOT NULL DEFAULT 0,
    following_count BIGINT NOT NULL DEFAULT 0,
    statuses_count BIGINT NOT NULL DEFAULT 0,
    last_status_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX accounts_big ON accounts (is_big) WHERE is_big = 1;

CREATE TABLE account_fields (
    account_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    value_html TEXT NOT NULL,
    PRIMARY KEY (account_id, position)
);

CREATE TABLE apps (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    website TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
    id BIGINT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    app_id BIGINT,
    account_id BIGINT,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX tokens_account ON tokens (account_id);

CREATE TABLE auth_codes (
    code_hash TEXT PRIMARY KEY,
    app_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    challenge TEXT,
    challenge_method TEXT,
    expires_at BIGINT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE statuses (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    in_reply_to_id BIGINT,
    in_reply_to_account_id BIGINT,
    reblog_of_id BIGINT,
    visibility INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    spoiler_text TEXT NOT NULL DEFAULT '',
    sensitive INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    app_id BIGINT,
    mentions_count INTEGER NOT NULL DEFAULT 0,
    tags_count INTEGER NOT NULL DEFAULT 0,
    replies_count BIGINT NOT NULL DEFAULT 0,
    reblogs_count BIGINT NOT NULL DEFAULT 0,
    favourites_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_reply ON statuses (in_reply_to_id);
CREATE INDEX statuses_reblog ON statuses (reblog_of_id, account_id);
CREATE INDEX statuses_public ON statuses (id) WHERE visibility = 0 AND reblog_of_id IS NULL;

CREATE TABLE status_edits (
    id BIGINT PRIMARY KEY,
    status_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    content TEXT NOT NULL,
    spoiler_text TEXT NOT NULL,
    sensitive INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE status_mentions (
    status_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    PRIMARY KEY (status_id, account_id)
);
CREATE INDEX status_mentions_account ON status_mentions (account_id, status_id);

CREATE TABLE status_tags (
    tag TEXT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (tag, status_id)
);
CREATE INDEX status_tags_status ON status_tags (status_id);

CREATE TABLE follows (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    show_reblogs INTEGER NOT NULL DEFAULT 1,
    notify INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_id)
);
CREATE INDEX follows_target ON follows (target_id, id);
CREATE INDEX follows_account_id ON follows (account_id, id);

CREATE TABLE blocks (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_id)
);
CREATE INDEX blocks_target ON blocks (target_id);

CREATE TABLE mutes (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    hide_notifications INTEGER NOT NULL DEFAULT 1,
    expires_at BIGINT,
    PRIMARY KEY (account_id, target_id)
);

CREATE TABLE favourites (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX favourites_status ON favourites (status_id, id);
CREATE INDEX favourites_account ON favourites (account_id, id);

CREATE TABLE bookmarks (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id);

CREATE TABLE timeline (
    account_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);

CREATE TABLE notifications (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    from_account_id BIGINT NOT NULL,
    type TEXT NOT NULL,
    status_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_status ON notifications (status_id);

CREATE TABLE markers (
    account_id BIGINT NOT NULL,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, timeline)
);

CREATE TABLE idempotency (
    account_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    status_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
