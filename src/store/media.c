/*
 * media.c — the rows of the encrypted file store: records, wrapped keys and the chunks of the
 * database backend (migration 041). src/media owns what they mean; this file keeps them.
 *
 * The key is a row of its own (media_keys) rather than a column of media_files so that the
 * one act that makes a file unreadable — destroying its key — is one row gone, done before
 * the chunks are touched, and so that a rotation of the master key rewrites these small rows
 * only. Chunks are text (base64) because db.h carries int64 and text on both drivers.
 */
#include "store/media.h"
#include "store/query.h"
#include "util/err.h"

int store_media_file_insert(db *d, const store_media_file *f)
{
    PREPARE(s, d,
            "INSERT INTO media_files (id, store, size, chunk_size, created_at) "
            "VALUES (?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, f->id);
    db_bind_text(s, 2, f->store, -1);
    db_bind_i64(s, 3, f->size);
    db_bind_i64(s, 4, f->chunk_size);
    db_bind_i64(s, 5, f->created_at);
    int rc = db_step_done(s);
    if (rc) return rc;
    PREPARE(k, d, "INSERT INTO media_keys (file_id, master_key_id, wrapped) VALUES (?, ?, ?)");
    db_bind_i64(k, 1, f->id);
    db_bind_text(k, 2, f->master_key_id, -1);
    db_bind_text(k, 3, f->wrapped_key, -1);
    return db_step_done(k);
}

int store_media_file_get(db *d, int64_t id, arena *a, store_media_file *out)
{
    PREPARE(s, d,
            "SELECT f.store, f.size, f.chunk_size, f.created_at, k.master_key_id, k.wrapped "
            "FROM media_files f LEFT JOIN media_keys k ON k.file_id = f.id WHERE f.id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    out->id = id;
    out->store = col_str(s, 0, a);
    out->size = db_col_i64(s, 1);
    out->chunk_size = (int)db_col_i64(s, 2);
    out->created_at = db_col_i64(s, 3);
    out->master_key_id = col_str(s, 4, a);
    out->wrapped_key = col_str(s, 5, a);
    db_reset(s);
    return PL_OK;
}

int store_media_key_delete(db *d, int64_t id)
{
    PREPARE(s, d, "DELETE FROM media_keys WHERE file_id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_media_file_delete(db *d, int64_t id)
{
    PREPARE(c, d, "DELETE FROM media_chunks WHERE file_id = ?");
    db_bind_i64(c, 1, id);
    int rc = db_step_done(c);
    if (rc) return rc;
    PREPARE(s, d, "DELETE FROM media_files WHERE id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_media_file_set_store(db *d, int64_t id, const char *store)
{
    PREPARE(s, d, "UPDATE media_files SET store = ? WHERE id = ?");
    db_bind_text(s, 1, store, -1);
    db_bind_i64(s, 2, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_media_chunk_put(db *d, int64_t id, int idx, const char *data)
{
    PREPARE(s, d, "INSERT INTO media_chunks (file_id, idx, data) VALUES (?, ?, ?)");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, idx);
    db_bind_text(s, 3, data, -1);
    return db_step_done(s);
}

int store_media_chunk_get(db *d, int64_t id, int idx, arena *a, const char **data)
{
    PREPARE(s, d, "SELECT data FROM media_chunks WHERE file_id = ? AND idx = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, idx);
    int rc = step_one(s);
    if (rc) return rc;
    *data = col_str(s, 0, a);
    db_reset(s);
    return PL_OK;
}

int store_media_keys_page(db *d, const char *only, int64_t after, int limit, arena *a,
                          store_media_key **out, int *n)
{
    db_stmt *s;
    if (only) {
        s = db_prepare(d, "SELECT file_id, master_key_id, wrapped FROM media_keys "
                          "WHERE master_key_id = ? AND file_id > ? ORDER BY file_id LIMIT ?");
        if (!s) return PL_EDB;
        db_bind_text(s, 1, only, -1);
        db_bind_i64(s, 2, after);
        db_bind_i64(s, 3, limit);
    } else {
        s = db_prepare(d, "SELECT file_id, master_key_id, wrapped FROM media_keys "
                          "WHERE file_id > ? ORDER BY file_id LIMIT ?");
        if (!s) return PL_EDB;
        db_bind_i64(s, 1, after);
        db_bind_i64(s, 2, limit);
    }
    store_media_key *v = arena_alloc(a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    int rc, count = 0;
    while ((rc = db_step(s)) == DB_ROW && count < limit) {
        v[count].file_id = db_col_i64(s, 0);
        v[count].master_key_id = col_str(s, 1, a);
        v[count].wrapped = col_str(s, 2, a);
        count++;
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_media_key_rewrap(db *d, int64_t id, const char *master_key_id, const char *wrapped)
{
    PREPARE(s, d, "UPDATE media_keys SET master_key_id = ?, wrapped = ? WHERE file_id = ?");
    db_bind_text(s, 1, master_key_id, -1);
    db_bind_text(s, 2, wrapped, -1);
    db_bind_i64(s, 3, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

bool store_media_key_in_use(db *d, const char *master_key_id)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM media_keys WHERE master_key_id = ? LIMIT 1");
    if (!s) return false;
    db_bind_text(s, 1, master_key_id, -1);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_media_files_page(db *d, const char *store, int64_t after, int limit, arena *a,
                           int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT id FROM media_files WHERE store = ? AND id > ? ORDER BY id LIMIT ?");
    db_bind_text(s, 1, store, -1);
    db_bind_i64(s, 2, after);
    db_bind_i64(s, 3, limit);
    return store_collect_ids(s, a, ids, n);
}
