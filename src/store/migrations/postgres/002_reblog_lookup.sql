-- 002_reblog_lookup.sql — "which of these posts did this person boost?" for a page of
-- statuses in one range query (the viewer flags of a timeline page).
CREATE INDEX statuses_reblogs_by ON statuses (account_id, reblog_of_id) WHERE reblog_of_id IS NOT NULL;
