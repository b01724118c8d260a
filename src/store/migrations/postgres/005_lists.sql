-- 005_lists.sql — lists: named sets of followed accounts, each read as its own timeline.
-- A list timeline is merged on read from its members' posts (statuses_account), so nothing
-- is materialized per list: a list is one row and one row per member.
-- replies_policy: 0 followed, 1 list, 2 none (Mastodon's names; see store/model.h).
-- The PostgreSQL twin of migrations/sqlite/005_lists.sql (identical: no WITHOUT ROWID here).
CREATE TABLE lists (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    replies_policy INTEGER NOT NULL DEFAULT 1,
    is_exclusive INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- the owner's lists, and the owner's exclusive ones (read with every home page)
CREATE INDEX lists_account ON lists (account_id, id);

-- Members are paged by account id, as Mastodon does; the primary key is that index.
CREATE TABLE list_accounts (
    list_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, account_id)
);
-- "which lists hold this account" (GET /api/v1/accounts/:id/lists, unfollow, block)
CREATE INDEX list_accounts_account ON list_accounts (account_id, list_id);
