-- 030_thread_mutes.sql — muted conversations (POST /api/v1/statuses/:id/mute).
--
-- A person who mutes a conversation hears nothing more from it: no mention, favourite, boost,
-- poll or edit notification about any post of the thread. A thread is named by its root, the
-- post its replies lead up to (in_reply_to_id followed to the top), as Mastodon names it by
-- its conversation: muting any post of a thread mutes the whole thread, its earlier and later
-- posts alike. app/thread_mutes.c finds the root. Rows are not removed with posts: deleting a
-- root leaves its replies a thread of their own, which is not muted.
CREATE TABLE thread_mutes (
    account_id BIGINT NOT NULL,
    root_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, root_id)
);
