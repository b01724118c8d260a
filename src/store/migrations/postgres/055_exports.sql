-- 055_exports.sql — archives and exports (issue 14, "Export"; docs/ARCHITECTURE.md "Archives
-- and exports"): a person's own archive (kind 0) and an administrator's compliance export
-- (kind 1), each a zip built in the background (app/exports.c) and kept in the encrypted file
-- store (file_id) until expires_at. state: 0 waiting, 1 being built (by the node whose lease,
-- lease_until, has not run out), 2 ready, 3 failed (error says why), 4 expired (its file
-- deleted; the row stays, for "one archive every N days"). A compliance export's query is its
-- q_* columns: a time range (ms), ids of accounts and channels (space-separated, "" = any) and
-- words (all must appear; "" = any). At most one personal archive per person is waiting or
-- being built: archives_one_open makes a second request conflict, on every node and writer.
CREATE TABLE archives (
    id BIGINT PRIMARY KEY,
    kind INTEGER NOT NULL,
    account_id BIGINT NOT NULL,
    state INTEGER NOT NULL,
    q_since BIGINT NOT NULL DEFAULT 0,
    q_until BIGINT NOT NULL DEFAULT 0,
    q_accounts TEXT NOT NULL DEFAULT '',
    q_channels TEXT NOT NULL DEFAULT '',
    q_words TEXT NOT NULL DEFAULT '',
    file_id BIGINT NOT NULL DEFAULT 0,
    size BIGINT NOT NULL DEFAULT 0,
    posts_count BIGINT NOT NULL DEFAULT 0,
    direct_count BIGINT NOT NULL DEFAULT 0,
    files_count BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX archives_account ON archives (account_id, kind, id);
CREATE INDEX archives_kind ON archives (kind, id);
CREATE INDEX archives_open ON archives (id) WHERE state < 2;
CREATE INDEX archives_ready ON archives (expires_at) WHERE state = 2;
CREATE UNIQUE INDEX archives_one_open ON archives (account_id) WHERE kind = 0 AND state < 2;
