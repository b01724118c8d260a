-- 014_profile.sql — the curated profile: pinned posts, and what a profile keeps to itself.
-- A pin belongs to the author of the post (only one's own posts can be pinned), so a status
-- has at most one pin: status_id is unique, and deleting a post deletes its pin by it.
-- Pins are listed per account newest pin first (ids are time-ordered).
-- Number 012: assigned 011, which main gave to conversations (migrations apply by position).
CREATE TABLE status_pins (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX status_pins_account ON status_pins (account_id, id);

-- hide_collections: followers and following lists answer [] to everyone but the owner
-- (Mastodon's hide_collections); hide_boosts: the account's boosts are left out of its
-- profile's posts (partyline's own setting). Flags are 0/1 as everywhere.
ALTER TABLE accounts ADD COLUMN hide_collections INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN hide_boosts INTEGER NOT NULL DEFAULT 0;
