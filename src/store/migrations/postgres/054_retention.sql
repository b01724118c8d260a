-- 054_retention.sql — retention policies, legal holds and a person's own automatic deletion
-- (issue 14, "Retention and legal hold"; docs/ARCHITECTURE.md "Retention and legal holds").
-- retention_policies: an administrator's "delete posts older than days": scope 1 the whole
-- company, 2 direct messages, 3 one channel (channel_id; 0 for the other scopes). Which one
-- applies to a post: its channel's, else (a direct message) the direct one, else the
-- company's. A removed policy is a deleted row (the audit log keeps who set what).
CREATE TABLE retention_policies (
    scope INTEGER NOT NULL,
    channel_id BIGINT NOT NULL DEFAULT 0,
    days INTEGER NOT NULL,
    set_by BIGINT,
    set_at BIGINT NOT NULL,
    PRIMARY KEY (scope, channel_id)
);
-- legal_holds: target_kind 1 an account (its posts), 2 a channel (the posts in it). A hold is
-- released, never deleted: who set it, when, why, and who released it when stay. At most one
-- active hold per target.
CREATE TABLE legal_holds (
    id BIGINT PRIMARY KEY,
    target_kind INTEGER NOT NULL,
    target_id BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    set_by BIGINT,
    set_at BIGINT NOT NULL,
    released_by BIGINT,
    released_at BIGINT
);
CREATE UNIQUE INDEX legal_holds_active ON legal_holds (target_kind, target_id)
    WHERE released_at IS NULL;
-- account_cleanup_policies: a person's own automatic deletion, as Mastodon 4's
-- account_statuses_cleanup_policies (its defaults: two weeks, keep direct messages, pinned,
-- self-favourited and self-bookmarked posts). min_status_age is in seconds; min_favs and
-- min_reblogs NULL: not a reason to keep.
CREATE TABLE account_cleanup_policies (
    account_id BIGINT PRIMARY KEY,
    enabled INTEGER NOT NULL DEFAULT 0,
    min_status_age BIGINT NOT NULL DEFAULT 1209600,
    keep_direct INTEGER NOT NULL DEFAULT 1,
    keep_pinned INTEGER NOT NULL DEFAULT 1,
    keep_polls INTEGER NOT NULL DEFAULT 0,
    keep_media INTEGER NOT NULL DEFAULT 0,
    keep_self_fav INTEGER NOT NULL DEFAULT 1,
    keep_self_bookmark INTEGER NOT NULL DEFAULT 1,
    min_favs INTEGER,
    min_reblogs INTEGER,
    updated_at BIGINT NOT NULL
);
CREATE INDEX account_cleanup_enabled ON account_cleanup_policies (account_id) WHERE enabled = 1;
-- retention_lease: one run at a time among the nodes (and `partyline admin retention run`):
-- a run takes the lease with a conditional UPDATE (free, expired, or already its own; for the
-- servers' runs also due: last_run_at, when the last run began, an interval ago) and renews
-- it between batches; giving it back notes when the run began.
CREATE TABLE retention_lease (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    holder TEXT NOT NULL,
    until_at BIGINT NOT NULL,
    last_run_at BIGINT NOT NULL
);
INSERT INTO retention_lease (one, holder, until_at, last_run_at) VALUES (1, '', 0, 0);
