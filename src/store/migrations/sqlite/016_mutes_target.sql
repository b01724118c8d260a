-- 016_mutes_target.sql — who mutes an account, in one index range: a streamed post asks it once
-- for all its subscribers instead of one query each (app.c, viewer relations set 3).
CREATE INDEX mutes_target ON mutes (target_id, account_id);
