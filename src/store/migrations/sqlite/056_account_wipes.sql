-- 056_account_wipes.sql — off-boarding's wipe (issue 14; docs/ARCHITECTURE.md "Off-boarding"):
-- a person's posts, direct messages, files, archives and profile deleted after they leave. The
-- act asks (a row, in the off-boarding's transaction); the deleting goes in short batches —
-- the command line's at once, the server's in its background thread — and can stop and go on:
-- a row whose done_at is NULL is a wipe still to finish. posts and files count what went.
CREATE TABLE account_wipes (
    account_id BIGINT PRIMARY KEY,
    requested_at BIGINT NOT NULL,
    requested_by BIGINT,
    done_at BIGINT,
    posts BIGINT NOT NULL DEFAULT 0,
    files BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_wipes_pending ON account_wipes (requested_at) WHERE done_at IS NULL;
