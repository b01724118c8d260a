-- 041_media.sql — the encrypted file store (src/media, store/media.c).
--
-- A stored file is a row of media_files (its size, how it is cut into chunks, and which
-- backend holds the chunks), a row of media_keys (its own key, wrapped by the master key),
-- and its encrypted chunks: a file of the media folder, or rows of media_chunks. The key has
-- a table of its own so that deleting a file destroys the key first (one row), and so that a
-- rotation of the master key rewrites the keys and nothing else. A chunk's data is its
-- ciphertext in base64: the driver interface and `partyline migrate` carry int64 and text
-- only (see docs/ARCHITECTURE.md, "Files"). Times are milliseconds. media_chunks is
-- WITHOUT ROWID on SQLite: its key is the order a ranged read wants.
CREATE TABLE media_files (
    id BIGINT PRIMARY KEY,
    store TEXT NOT NULL,          -- 'folder' or 'database': where the chunks are
    size BIGINT NOT NULL,         -- bytes of the plaintext
    chunk_size INTEGER NOT NULL,  -- plaintext bytes of every chunk but the last
    created_at BIGINT NOT NULL
);
CREATE TABLE media_keys (
    file_id BIGINT PRIMARY KEY,
    master_key_id TEXT NOT NULL,  -- which master key wrapped it (a hash of that key)
    wrapped TEXT NOT NULL         -- base64 of nonce || the file key sealed by the master key
);
-- the keys a master key wraps: a rotation's sweep for keys written under the old key while it
-- ran, and the question whether a pending master key is in use (store/media.c)
CREATE INDEX media_keys_master ON media_keys (master_key_id, file_id);
CREATE TABLE media_chunks (
    file_id BIGINT NOT NULL,
    idx INTEGER NOT NULL,
    data TEXT NOT NULL,           -- base64 of the chunk's ciphertext (with its tag)
    PRIMARY KEY (file_id, idx)
) WITHOUT ROWID;
