-- 026_email.sql — confirmed e-mail addresses, and the outbox mail leaves from.
-- The PostgreSQL twin of migrations/sqlite/026_email.sql (identical).
--
-- accounts.is_confirmed: 0 while the owner has not opened the link sent to their address
-- (Mastodon's confirmed_at). Every account that exists already is confirmed (DEFAULT 1), as
-- are those an administrator makes; registrations are unconfirmed where `confirm_email`
-- asks (by default wherever `allowed_domains` is set).
ALTER TABLE accounts ADD COLUMN is_confirmed INTEGER NOT NULL DEFAULT 1;

-- The one link that confirms an unconfirmed account: its SHA-256 (like tokens), when it stops
-- working, and the app the person registered with (only that app may send it again, as in
-- Mastodon). Sending again replaces the row, so an older link stops working; using it
-- deletes the row (single use).
CREATE TABLE email_confirmations (
    account_id BIGINT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    app_id BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Mail waiting for the SMTP relay, composed (RFC 5322 text), so a restart loses nothing.
-- The sender thread leases a row by moving next_attempt_at forward before it talks to the
-- relay, deletes it once the relay accepted it, and otherwise backs off. account_id and kind
-- ('confirmation', …) let a newer message replace an unsent older one.
CREATE TABLE mail_outbox (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);
CREATE INDEX mail_outbox_account ON mail_outbox (account_id, kind);
