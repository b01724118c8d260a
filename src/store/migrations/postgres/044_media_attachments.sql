-- 044_media_attachments.sql — Mastodon's MediaAttachment (api/mastodon/media.c, app/attachments.c,
-- store/attachments.c): what an upload became and whose it is. The bytes are files of the
-- encrypted store (041): file_id (the file to serve: for a picture the cleaned one, never the
-- bytes sent) and preview_id (a picture's preview; 0 when none). A row belongs to its uploader
-- and to no post (status_id NULL) until a post attaches it; unattached rows older than a day
-- are removed with their files. url_key is the unguessable part of its addresses (16 random
-- bytes in hex): an id made from the clock would let anyone walk the files. Sizes are pixels;
-- size is the bytes stored. focus is "x,y" as Mastodon takes it, or NULL.
CREATE TABLE media_attachments (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    status_id BIGINT,
    position INTEGER NOT NULL DEFAULT 0,
    kind INTEGER NOT NULL,            -- enum filetype_kind: image, gifv, video, audio, unknown
    mime TEXT NOT NULL,               -- the type the file is served with, decided from its bytes
    is_download INTEGER NOT NULL,     -- served with Content-Disposition: attachment
    file_id BIGINT NOT NULL,
    preview_id BIGINT NOT NULL,
    preview_mime TEXT NOT NULL,
    name TEXT NOT NULL,               -- the file name the client gave (documents show it)
    size BIGINT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    small_width INTEGER NOT NULL,
    small_height INTEGER NOT NULL,
    blurhash TEXT NOT NULL,
    description TEXT NOT NULL,
    focus TEXT,
    url_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX media_attachments_url_key ON media_attachments (url_key);
CREATE INDEX media_attachments_status ON media_attachments (status_id, position)
    WHERE status_id IS NOT NULL;
CREATE INDEX media_attachments_account ON media_attachments (account_id, created_at);
CREATE INDEX media_attachments_unattached ON media_attachments (created_at)
    WHERE status_id IS NULL;
