-- 045_channel_notifications.sql — notifications about a channel (issue 13, item 10; docs/api.md
-- "Join requests"): `partyline.channel_request` (to its moderators, from the one asking) and
-- `partyline.channel_approved` (to the one let in, from the channel) name the channel here;
-- NULL for every other notification.
ALTER TABLE notifications ADD COLUMN channel_id BIGINT;
