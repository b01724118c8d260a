-- 011_conversations.sql — direct conversations (Mastodon's Conversation entity).
-- The PostgreSQL twin of migrations/sqlite/011_conversations.sql (identical).
--
-- status_conversations: the thread a direct status belongs to. A reply takes its parent's
-- conversation; a direct status that replies to a non-direct one joins the conversation named
-- by that parent's id; anything else starts a conversation named by its own id.
CREATE TABLE status_conversations (
    status_id BIGINT PRIMARY KEY,
    conversation_id BIGINT NOT NULL
);

-- One row per participant and (conversation, set of other participants), as Mastodon's
-- account_conversations: a later message of the thread that leaves someone out lands in a
-- row of its own for those it addresses, so no row ever holds a message its owner was not
-- addressed by. participant_ids: the other participants' ids, ascending, comma-separated
-- ('' when one writes only to oneself).
CREATE TABLE account_conversations (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    conversation_id BIGINT NOT NULL,
    participant_ids TEXT NOT NULL,
    last_status_id BIGINT NOT NULL,
    unread INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, conversation_id, participant_ids)
);
-- GET /api/v1/conversations pages by last_status_id, newest activity first
CREATE INDEX account_conversations_last ON account_conversations (account_id, last_status_id);
-- the unread count
CREATE INDEX account_conversations_unread ON account_conversations (account_id)
    WHERE unread = 1;

-- The statuses of each row, so that deleting or editing a status finds the rows that hold it
-- and each row's last status can be found again.
CREATE TABLE conversation_statuses (
    account_conversation_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (account_conversation_id, status_id)
);
CREATE INDEX conversation_statuses_status ON conversation_statuses (status_id);
