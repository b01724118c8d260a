-- 043_notification_policy.sql — the notification policy of Mastodon 4.3
-- (GET/PATCH /api/v2/notifications/policy, /api/v1/notifications/requests; docs/api.md,
-- "Notification policy").
--
-- A filtered notification is kept with filtered = 1: it is not listed, counted or streamed
-- until its recipient accepts the request it belongs to. A request is not stored: it is the
-- recipient's filtered notifications from one sender, read through the partial index below
-- (a few rows per person; the index holds no accepted notification).
ALTER TABLE notifications ADD COLUMN filtered SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX notifications_filtered ON notifications (account_id, from_account_id, id)
    WHERE filtered = 1;

-- One row per person who changed their policy (none: the defaults, config.c). Each column is
-- 0 accept, 1 filter, 2 drop (app/notify_policy.h).
CREATE TABLE notification_policies (
    account_id BIGINT PRIMARY KEY,
    not_following SMALLINT NOT NULL,
    not_followers SMALLINT NOT NULL,
    new_accounts SMALLINT NOT NULL,
    private_mentions SMALLINT NOT NULL,
    limited_accounts SMALLINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Senders whose request the recipient accepted: their notifications are never filtered again.
CREATE TABLE notification_permissions (
    account_id BIGINT NOT NULL,
    from_account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, from_account_id)
);
