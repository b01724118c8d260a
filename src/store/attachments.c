/*
 * attachments.c — the SQL of media attachments (migration 044).
 *
 * A post's attachments are read by the partial index media_attachments_status (status_id,
 * position), which holds attached rows only, so an unattached upload costs the post reads
 * nothing; the cleanup of unattached uploads reads media_attachments_unattached, which holds
 * those alone. Attaching is one UPDATE whose WHERE says whose and "not attached yet", so two
 * posts racing for one upload cannot both take it: the second changes no row.
 */
#include <string.h>

#include "store/attachments.h"
#include "store/query.h"

#define COLUMNS                                                                                    \
    "id, account_id, status_id, position, kind, mime, is_download, file_id, preview_id, "          \
    "preview_mime, name, size, width, height, small_width, small_height, blurhash, description, "  \
    "focus, url_key, created_at, scheduled_status_id"

static void read_row(db_stmt *s, arena *a, pl_attachment *m)
{
    *m = (pl_attachment){
        .id = db_col_i64(s, 0),
        .account_id = db_col_i64(s, 1),
        .status_id = db_col_i64(s, 2),
        .position = (int)db_col_i64(s, 3),
        .kind = (int)db_col_i64(s, 4),
        .mime = col_str(s, 5, a),
        .is_download = db_col_i64(s, 6) != 0,
        .file_id = db_col_i64(s, 7),
        .preview_id = db_col_i64(s, 8),
        .preview_mime = col_str(s, 9, a),
        .name = col_str(s, 10, a),
        .size = db_col_i64(s, 11),
        .width = (int)db_col_i64(s, 12),
        .height = (int)db_col_i64(s, 13),
        .small_width = (int)db_col_i64(s, 14),
        .small_height = (int)db_col_i64(s, 15),
        .blurhash = col_str(s, 16, a),
        .description = col_str(s, 17, a),
        .focus = col_str(s, 18, a),
        .url_key = col_str(s, 19, a),
        .created_at = db_col_i64(s, 20),
        .scheduled_status_id = db_col_i64(s, 21),
    };
}

int store_attachment_insert(db *d, const pl_attachment *m)
{
    PREPARE(s, d,
            "INSERT INTO media_attachments (" COLUMNS ") VALUES "
            "(?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)");
    int i = 1;
    db_bind_i64(s, i++, m->id);
    db_bind_i64(s, i++, m->account_id);
    db_bind_i64(s, i++, m->kind);
    db_bind_text(s, i++, m->mime, -1);
    db_bind_i64(s, i++, m->is_download);
    db_bind_i64(s, i++, m->file_id);
    db_bind_i64(s, i++, m->preview_id);
    db_bind_text(s, i++, m->preview_mime ? m->preview_mime : "", -1);
    db_bind_text(s, i++, m->name ? m->name : "", -1);
    db_bind_i64(s, i++, m->size);
    db_bind_i64(s, i++, m->width);
    db_bind_i64(s, i++, m->height);
    db_bind_i64(s, i++, m->small_width);
    db_bind_i64(s, i++, m->small_height);
    db_bind_text(s, i++, m->blurhash ? m->blurhash : "", -1);
    db_bind_text(s, i++, m->description ? m->description : "", -1);
    if (m->focus)
        db_bind_text(s, i++, m->focus, -1);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, m->url_key, -1);
    db_bind_i64(s, i++, m->created_at);
    return db_step_done(s);
}

static int get_one(db_stmt *s, arena *a, pl_attachment *out)
{
    int rc = step_one(s);
    if (rc) return rc;
    read_row(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_attachment_get(db *d, int64_t id, arena *a, pl_attachment *out)
{
    PREPARE(s, d, "SELECT " COLUMNS " FROM media_attachments WHERE id = ?");
    db_bind_i64(s, 1, id);
    return get_one(s, a, out);
}

int store_attachment_by_key(db *d, const char *url_key, arena *a, pl_attachment *out)
{
    PREPARE(s, d, "SELECT " COLUMNS " FROM media_attachments WHERE url_key = ?");
    db_bind_text(s, 1, url_key, -1);
    return get_one(s, a, out);
}

/* The rows s yields, into arena memory. */
static int collect_rows(db_stmt *s, arena *a, pl_attachment **out, int *n)
{
    pl_attachment *v = NULL;
    int count = 0, cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 4;
            pl_attachment *nv = arena_alloc(a, sizeof *nv * (size_t)cap);
            if (count) memcpy(nv, v, sizeof *v * (size_t)count);
            v = nv;
        }
        read_row(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_attachments_of_status(db *d, int64_t status_id, int max, arena *a, pl_attachment **out,
                                int *n)
{
    PREPARE(s, d,
            "SELECT " COLUMNS " FROM media_attachments WHERE status_id = ? "
            "ORDER BY position LIMIT ?");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, max);
    return collect_rows(s, a, out, n);
}

int store_attachments_of_scheduled(db *d, int64_t scheduled_id, int max, arena *a,
                                   pl_attachment **out, int *n)
{
    PREPARE(s, d,
            "SELECT " COLUMNS " FROM media_attachments WHERE scheduled_status_id = ? "
            "ORDER BY position LIMIT ?");
    db_bind_i64(s, 1, scheduled_id);
    db_bind_i64(s, 2, max);
    return collect_rows(s, a, out, n);
}

int store_attachments_of_statuses(db *d, const int64_t *ids, int n, arena *a, pl_attachment **out,
                                  int *count)
{
    PREPARE(s, d,
            "SELECT " COLUMNS " FROM media_attachments WHERE status_id IN (" IN_BATCH ") "
            "ORDER BY status_id, position");
    pl_attachment *v = NULL;
    int got = 0, cap = 0, rc = DB_DONE;
    for (int at = 0; at < n; at += STORE_BATCH) {
        bind_batch(s, 1, ids + at, n - at < STORE_BATCH ? n - at : STORE_BATCH);
        while ((rc = db_step(s)) == DB_ROW) {
            if (got == cap) {
                cap = cap ? cap * 2 : 16;
                pl_attachment *nv = arena_alloc(a, sizeof *nv * (size_t)cap);
                if (got) memcpy(nv, v, sizeof *v * (size_t)got);
                v = nv;
            }
            read_row(s, a, &v[got++]);
        }
        db_reset(s);
        if (rc < 0) return rc;
    }
    *out = v;
    *count = got;
    return PL_OK;
}

int store_attachment_describe(db *d, int64_t id, const char *description, const char *focus)
{
    PREPARE(s, d,
            "UPDATE media_attachments SET description = COALESCE(?, description), "
            "focus = COALESCE(?, focus) WHERE id = ?");
    if (description)
        db_bind_text(s, 1, description, -1);
    else
        db_bind_null(s, 1);
    if (focus)
        db_bind_text(s, 2, focus, -1);
    else
        db_bind_null(s, 2);
    db_bind_i64(s, 3, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

/* The condition of an upload still free to take: its owner's, in no post, held by none. */
#define FREE_UPLOAD                                                                                \
    "WHERE id = ? AND account_id = ? AND status_id IS NULL AND scheduled_status_id IS NULL"

/* Runs s, an UPDATE of one free upload taking (to, position) then FREE_UPLOAD's (id, account):
 * PL_ENOTFOUND if it was not free (any more). */
static int take_upload(db *d, db_stmt *s, int64_t to, int position, int64_t id, int64_t account)
{
    db_bind_i64(s, 1, to);
    db_bind_i64(s, 2, position);
    db_bind_i64(s, 3, id);
    db_bind_i64(s, 4, account);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_attachment_attach(db *d, int64_t id, int64_t account_id, int64_t status_id, int position)
{
    db_touch(d, TOUCH_STATUS, status_id); /* the record says it has files */
    PREPARE(s, d, "UPDATE media_attachments SET status_id = ?, position = ? " FREE_UPLOAD);
    return take_upload(d, s, status_id, position, id, account_id);
}

int store_attachment_hold(db *d, int64_t id, int64_t account_id, int64_t scheduled_id, int position)
{
    PREPARE(s, d,
            "UPDATE media_attachments SET scheduled_status_id = ?, position = ? " FREE_UPLOAD);
    return take_upload(d, s, scheduled_id, position, id, account_id);
}

int store_attachments_release(db *d, int64_t scheduled_id)
{
    PREPARE(s, d,
            "UPDATE media_attachments SET scheduled_status_id = NULL "
            "WHERE scheduled_status_id = ?");
    db_bind_i64(s, 1, scheduled_id);
    return db_step_done(s);
}

int store_attachment_position(db *d, int64_t id, int64_t status_id, int position)
{
    PREPARE(s, d, "UPDATE media_attachments SET position = ? WHERE id = ? AND status_id = ?");
    db_bind_i64(s, 1, position);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, status_id);
    return db_step_done(s);
}

int store_attachment_delete(db *d, int64_t id, int64_t status_id)
{
    if (status_id) db_touch(d, TOUCH_STATUS, status_id);
    PREPARE(s, d, "DELETE FROM media_attachments WHERE id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_attachment_delete_unattached(db *d, int64_t id)
{
    PREPARE(s, d,
            "DELETE FROM media_attachments WHERE id = ? AND status_id IS NULL "
            "AND scheduled_status_id IS NULL");
    db_bind_i64(s, 1, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_attachments_bytes(db *d, int64_t account_id, int64_t *bytes)
{
    PREPARE(s, d, "SELECT COALESCE(sum(size), 0) FROM media_attachments WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *bytes = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_attachments_unattached_before(db *d, int64_t before, int max, arena *a, int64_t **ids,
                                        int *n)
{
    PREPARE(s, d,
            "SELECT id FROM media_attachments WHERE status_id IS NULL AND created_at < ? "
            "AND scheduled_status_id IS NULL "
            "ORDER BY created_at LIMIT ?");
    db_bind_i64(s, 1, before);
    db_bind_i64(s, 2, max);
    return store_collect_ids(s, a, ids, n);
}
