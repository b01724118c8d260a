-- 049_profile_pictures.sql — uploaded avatars and headers (app/avatars.c). Each is a file
-- of the encrypted media store (media_files: *_file_id) and the type it is served with
-- (*_mime: image/png, image/jpeg or image/webp). NULL: the account shows its drawn default.
-- A channel's pictures are its group account's. Replacing or removing a picture deletes
-- its old file, so a file is named here by at most one account.
ALTER TABLE accounts ADD COLUMN avatar_file_id BIGINT;
ALTER TABLE accounts ADD COLUMN avatar_mime TEXT;
ALTER TABLE accounts ADD COLUMN header_file_id BIGINT;
ALTER TABLE accounts ADD COLUMN header_mime TEXT;
