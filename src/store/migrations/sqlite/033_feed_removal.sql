-- 033_feed_removal.sql — a deleted post leaves the home feeds the way it entered them: through
-- the fan-out queue, a small chunk at a time (issue 10, item 30).
--
-- A post reaches its followers' feeds in chunks of the writer's (fanout_queue), so posting
-- never waits for ~2,000 feed rows; its delete removed all of them in the request, one random
-- page of the feed table each: 20-44 ms at 10k-100k people, on the one writer, growing with
-- the feed table. Now the delete removes the post and at most `fanout_inline` + 1 feed rows
-- in its own transaction, and a post with more is queued here with removing = 1: the writer
-- deletes its feed rows in chunks (by timeline_status), as it wrote them. A fan-out still
-- queued when its post is deleted turns into its removal, so no row is written after. Home
-- leaves out the posts whose removal is queued here (store_timeline_page), so a row waiting
-- is never shown.
ALTER TABLE fanout_queue ADD COLUMN removing INTEGER NOT NULL DEFAULT 0;

-- Deleting a post deleted its bookmarks by a scan of every bookmark in the company (the
-- table's key is the bookmarker's): one entry per bookmark makes it a range.
CREATE INDEX bookmarks_status ON bookmarks (status_id);
