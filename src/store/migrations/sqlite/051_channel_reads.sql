-- 051_channel_reads.sql — the last post of a channel each person has read (issue 13, item 13;
-- docs/api.md "Channel unread counts"): set when the channel's page is shown
-- (POST /api/v1/partyline/channels/:id/read), it is where a channel's unread count starts.
-- One row per person and channel, keyed by both: reading one marker is one probe, and the
-- count itself walks statuses_channel (channel_id, id) upwards from it, at most
-- max_channel_unread rows. A person without a row counts from when they joined.
CREATE TABLE channel_reads (
    account_id BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    last_read_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, channel_id)
);
