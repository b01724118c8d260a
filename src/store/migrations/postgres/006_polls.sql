-- 006_polls.sql — polls attached to statuses (Mastodon's Poll entity).
-- A status has at most one poll (statuses.poll_id). Counts live on the rows and change with
-- the vote that changes them. `notified` becomes 1 in the transaction that sends the "poll"
-- notifications for the poll's end, so they go out once, also after a restart and with
-- several nodes (they claim due polls with FOR UPDATE SKIP LOCKED on PostgreSQL).
-- Number 006: 005 is reserved for lists (another branch).
ALTER TABLE statuses ADD COLUMN poll_id BIGINT;

CREATE TABLE polls (
    id BIGINT PRIMARY KEY,
    status_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    multiple INTEGER NOT NULL DEFAULT 0,
    hide_totals INTEGER NOT NULL DEFAULT 0,
    options_count INTEGER NOT NULL,
    votes_count BIGINT NOT NULL DEFAULT 0,
    voters_count BIGINT NOT NULL DEFAULT 0,
    notified INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX polls_status ON polls (status_id);
CREATE INDEX polls_due ON polls (expires_at) WHERE notified = 0;

CREATE TABLE poll_options (
    poll_id BIGINT NOT NULL,
    idx INTEGER NOT NULL,
    title TEXT NOT NULL,
    votes_count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, idx)
);

CREATE TABLE poll_votes (
    poll_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    choice INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, account_id, choice)
);

-- The poll options of a status at each revision (StatusEdit.poll); no rows = no poll.
CREATE TABLE status_edit_poll_options (
    edit_id BIGINT NOT NULL,
    idx INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (edit_id, idx)
);
