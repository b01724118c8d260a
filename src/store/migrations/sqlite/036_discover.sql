-- 036_discover.sql — the profile directory and follow suggestions (docs/api.md, "Discovering
-- people").
--
-- accounts_active: the directory's order=active walks people by their last post, newest
-- first, those who never posted last (Mastodon's NULLS LAST), and stops after offset + limit
-- listed accounts, whatever the size of the company. SQLite sorts NULL lowest, so walking this
-- index backwards is that order; the PostgreSQL file spells it out (DESC NULLS LAST).
CREATE INDEX accounts_active ON accounts (last_status_at, id);

-- Suggestions a person dismissed (DELETE /api/v1/suggestions/:account_id): never suggested
-- to them again. One probe of the primary key per candidate.
CREATE TABLE suggestion_dismissals (
    account_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_id)
);
