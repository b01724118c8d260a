-- 048_scheduled_media.sql — files of scheduled posts (app/scheduled.c). An upload given in
-- media_ids[] of a post scheduled for later is held for it: scheduled_status_id names the
-- scheduled post, position its place. Held uploads are neither attachable elsewhere nor
-- removed as forgotten uploads (044's cleanup skips them); publishing attaches them to the
-- new post, and cancelling (or a publication refused) lets them go back to unattached.
ALTER TABLE media_attachments ADD COLUMN scheduled_status_id BIGINT;
CREATE INDEX media_attachments_scheduled ON media_attachments (scheduled_status_id, position)
    WHERE scheduled_status_id IS NOT NULL;
