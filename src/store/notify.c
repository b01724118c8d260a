/*
 * notify.c — notifications and read markers.
 */
#include <string.h>

#include "store/notify.h"
#include "store/query.h"

int store_notification_insert(db *d, const pl_notification *n)
{
    PREPARE(
        s, d,
        "INSERT INTO notifications (id, account_id, from_account_id, type, status_id, "
        "created_at, filtered, channel_id, report_id, alert_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)");
    db_bind_i64(s, 1, n->id);
    db_bind_i64(s, 2, n->account_id);
    db_bind_i64(s, 3, n->from_account_id);
    db_bind_text(s, 4, n->type, -1);
    if (n->status_id)
        db_bind_i64(s, 5, n->status_id);
    else
        db_bind_null(s, 5);
    db_bind_i64(s, 6, n->created_at);
    db_bind_i64(s, 7, n->filtered);
    if (n->channel_id)
        db_bind_i64(s, 8, n->channel_id);
    else
        db_bind_null(s, 8);
    if (n->report_id)
        db_bind_i64(s, 9, n->report_id);
    else
        db_bind_null(s, 9);
    if (n->alert_id)
        db_bind_i64(s, 10, n->alert_id);
    else
        db_bind_null(s, 10);
    int rc = db_step_done(s);
    /* a filtered one waits in its request: nothing streams until it is accepted */
    if (rc == PL_OK && !n->filtered) db_event(d, EV_NOTIFICATION, n->id, n->account_id, 0);
    return rc;
}

static void read_notification(db_stmt *s, arena *a, pl_notification *o)
{
    o->id = db_col_i64(s, 0);
    o->account_id = db_col_i64(s, 1);
    o->from_account_id = db_col_i64(s, 2);
    o->type = col_str(s, 3, a);
    o->status_id = db_col_i64(s, 4);
    o->created_at = db_col_i64(s, 5);
    o->filtered = db_col_i64(s, 6) != 0;
    o->channel_id = db_col_i64(s, 7);
    o->report_id = db_col_i64(s, 8);
    o->alert_id = db_col_i64(s, 9);
}

#define NOTIF_COLS                                                                                 \
    "id, account_id, from_account_id, type, status_id, created_at, filtered, channel_id, "         \
    "report_id, alert_id"

int store_notification_get(db *d, int64_t account_id, int64_t id, arena *a, pl_notification *out)
{
    PREPARE(s, d, "SELECT " NOTIF_COLS " FROM notifications WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    read_notification(s, a, out);
    db_reset(s);
    return PL_OK;
}

static bool type_in(const char *type, const char *const *list)
{
    for (; list && *list; list++)
        if (!strcmp(type, *list)) return true;
    return false;
}

int store_notifications(db *d, int64_t account_id, int64_t from_id, const char *const *types,
                        const char *const *exclude, bool include_filtered, const pl_page *p,
                        arena *a, pl_notification **out, int *n)
{
    /* Type filters are few and the page is small: filter while scanning the index. */
    bool asc = p->min_id > 0 && p->since_id == 0;
    db_stmt *s = db_prepare(
        d, asc ? "SELECT " NOTIF_COLS " FROM notifications WHERE account_id = ? AND id < ? "
                 "AND id > ? ORDER BY id ASC"
               : "SELECT " NOTIF_COLS " FROM notifications WHERE account_id = ? AND id < ? "
                 "AND id > ? ORDER BY id DESC");
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, 3, asc ? p->min_id : p->since_id);
    pl_notification *v = arena_alloc(a, sizeof *v * (size_t)(p->limit + 1));
    int count = 0, rc = DB_DONE;
    while (count < p->limit && (rc = db_step(s)) == DB_ROW) {
        const char *type = db_col_text(s, 3);
        if (types && *types && !type_in(type, types)) continue;
        if (exclude && type_in(type, exclude)) continue;
        if (from_id && db_col_i64(s, 2) != from_id) continue;
        if (!include_filtered && db_col_i64(s, 6)) continue;
        read_notification(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    if (asc)
        for (int x = 0, y = count - 1; x < y; x++, y--) {
            pl_notification t = v[x];
            v[x] = v[y];
            v[y] = t;
        }
    *out = v;
    *n = count;
    return PL_OK;
}

int store_notification_dismiss(db *d, int64_t account_id, int64_t id)
{
    PREPARE(s, d, "DELETE FROM notifications WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_notifications_clear(db *d, int64_t account_id)
{
    PREPARE(s, d, "DELETE FROM notifications WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    return db_step_done(s);
}

int store_notifications_delete_status(db *d, int64_t status_id)
{
    PREPARE(s, d, "DELETE FROM notifications WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    return db_step_done(s);
}

int store_notification_delete_act(db *d, int64_t account_id, int64_t from_id, const char *type,
                                  int64_t status_id)
{
    PREPARE(s, d,
            "DELETE FROM notifications WHERE account_id = ? AND from_account_id = ? "
            "AND type = ? AND (status_id = ? OR (? = 0 AND status_id IS NULL))");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, from_id);
    db_bind_text(s, 3, type, -1);
    db_bind_i64(s, 4, status_id);
    db_bind_i64(s, 5, status_id);
    return db_step_done(s);
}

int store_marker_get(db *d, int64_t account_id, const char *timeline, arena *a, pl_marker *out)
{
    PREPARE(s, d,
            "SELECT last_read_id, version, updated_at FROM markers "
            "WHERE account_id = ? AND timeline = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, timeline, -1);
    int rc = step_one(s);
    if (rc) return rc;
    out->timeline = arena_strdup(a, timeline);
    out->last_read_id = db_col_i64(s, 0);
    out->version = db_col_i64(s, 1);
    out->updated_at = db_col_i64(s, 2);
    db_reset(s);
    return PL_OK;
}

int store_marker_set(db *d, int64_t account_id, const char *timeline, int64_t last_read_id,
                     int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at) "
            "VALUES (?, ?, ?, 1, ?) ON CONFLICT (account_id, timeline) DO UPDATE SET "
            "last_read_id = excluded.last_read_id, version = markers.version + 1, "
            "updated_at = excluded.updated_at");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, timeline, -1);
    db_bind_i64(s, 3, last_read_id);
    db_bind_i64(s, 4, now);
    return db_step_done(s);
}

int store_notifications_after(db *d, int64_t account_id, int64_t after_id, int limit, arena *a,
                              int64_t **status_ids, int *n)
{
    PREPARE(s, d,
            "SELECT COALESCE(status_id, 0) FROM notifications WHERE account_id = ? AND id > ? "
            "AND filtered = 0 ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, after_id);
    db_bind_i64(s, 3, limit);
    return store_collect_ids(s, a, status_ids, n);
}
