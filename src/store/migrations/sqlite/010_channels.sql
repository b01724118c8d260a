-- 010_channels.sql — follow requests, channels and the audiences company and list.
--
-- A follow of a locked account (or of a private channel) waits in follow_requests until the
-- account (or a channel moderator) authorizes it; then it becomes a follows row.
CREATE TABLE follow_requests (
    id BIGINT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    show_reblogs INTEGER NOT NULL DEFAULT 1,
    notify INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_id)
);
CREATE INDEX follow_requests_target ON follow_requests (target_id, id);

-- A channel is a group account (accounts.is_group = 1, accounts.is_locked = private) with
-- this row beside it. Members are its followers (following a channel is joining it); the
-- "everyone" channel has every account as a member without a row each.
-- posting: 0 any member may post, 1 moderators only (announcements).
CREATE TABLE channels (
    account_id BIGINT PRIMARY KEY,
    is_private INTEGER NOT NULL DEFAULT 0,
    is_everyone INTEGER NOT NULL DEFAULT 0,
    posting INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX channels_private ON channels (is_private, account_id);

-- Roles above member: 1 moderator, 2 owner (members have no row).
CREATE TABLE channel_roles (
    channel_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    role INTEGER NOT NULL,
    PRIMARY KEY (channel_id, account_id)
);

-- Pinned announcements of a channel.
CREATE TABLE channel_pins (
    channel_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, status_id)
);

-- A post shared to a channel; removed by a moderator = 1 (then only the author and the
-- channel's moderators see it). audience_list_id: the author's list a "list" post is for.
ALTER TABLE statuses ADD COLUMN channel_id BIGINT;
ALTER TABLE statuses ADD COLUMN channel_removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE statuses ADD COLUMN audience_list_id BIGINT;
-- a channel's timeline, and the home feed's merge of the channels one is in
CREATE INDEX statuses_channel ON statuses (channel_id, id) WHERE channel_id IS NOT NULL;
