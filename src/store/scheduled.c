/*
 * scheduled.c — posts waiting to be published (tables scheduled_statuses and
 * scheduled_poll_options).
 *
 * The row keeps the post's parameters as columns, not the request's body: the app layer reads
 * them back into a posts_new (app/scheduled.c) and publishes through posts_create, the path of
 * every post. A poll's options are rows of their own, so that any text an option may hold
 * (newlines included) round-trips. Publishing exactly once rests on the delete: the publisher
 * deletes the row it found due and creates the post in the same transaction, and only a delete
 * that removed the row publishes (store_scheduled_delete).
 */
#include "store/scheduled.h"
#include "store/query.h"

static void bind_text_or_null(db_stmt *s, int idx, const char *v)
{
    if (v)
        db_bind_text(s, idx, v, -1);
    else
        db_bind_null(s, idx);
}

int store_scheduled_insert(db *d, const pl_scheduled *s)
{
    PREPARE(st, d,
            "INSERT INTO scheduled_statuses (id, account_id, scheduled_at, text, spoiler_text, "
            "language, visibility, list_id, sensitive, in_reply_to_id, channel_id, app_id, "
            "idempotency_key, poll_expires_in, poll_multiple, poll_hide_totals, created_at, "
            "content_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(st, 1, s->id);
    db_bind_i64(st, 2, s->account_id);
    db_bind_i64(st, 3, s->scheduled_at);
    db_bind_text(st, 4, s->text ? s->text : "", -1);
    bind_text_or_null(st, 5, s->spoiler_text);
    bind_text_or_null(st, 6, s->language);
    db_bind_i64(st, 7, s->visibility);
    db_bind_i64(st, 8, s->list_id);
    db_bind_i64(st, 9, s->sensitive);
    db_bind_i64(st, 10, s->in_reply_to_id);
    db_bind_i64(st, 11, s->channel_id);
    db_bind_i64(st, 12, s->app_id);
    bind_text_or_null(st, 13, s->idempotency_key);
    db_bind_i64(st, 14, s->poll_expires_in);
    db_bind_i64(st, 15, s->poll_multiple);
    db_bind_i64(st, 16, s->poll_hide_totals);
    db_bind_i64(st, 17, s->created_at);
    db_bind_i64(st, 18, s->content_type);
    int rc = db_step_done(st);
    for (int i = 0; i < s->n_poll_options && !rc; i++) {
        PREPARE(o, d,
                "INSERT INTO scheduled_poll_options (scheduled_status_id, position, title) "
                "VALUES (?, ?, ?)");
        db_bind_i64(o, 1, s->id);
        db_bind_i64(o, 2, i);
        db_bind_text(o, 3, s->poll_options[i], -1);
        rc = db_step_done(o);
    }
    return rc;
}

int store_scheduled_by_key(db *d, int64_t account_id, const char *key, int64_t *id)
{
    PREPARE(s, d,
            "SELECT id FROM scheduled_statuses WHERE account_id = ? AND idempotency_key = ? "
            "ORDER BY id LIMIT 1");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, key, -1);
    int rc = step_one(s);
    if (rc) return rc;
    *id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

static int read_options(db *d, arena *a, pl_scheduled *out)
{
    PREPARE(s, d,
            "SELECT title FROM scheduled_poll_options WHERE scheduled_status_id = ? "
            "ORDER BY position");
    db_bind_i64(s, 1, out->id);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (out->n_poll_options == cap) {
            cap = cap ? cap * 2 : 4;
            const char **grown = arena_alloc(a, sizeof *grown * (size_t)cap);
            for (int i = 0; i < out->n_poll_options; i++) grown[i] = out->poll_options[i];
            out->poll_options = grown;
        }
        out->poll_options[out->n_poll_options++] = col_str(s, 0, a);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_scheduled_get(db *d, int64_t account_id, int64_t id, arena *a, pl_scheduled *out)
{
    PREPARE(s, d,
            "SELECT id, account_id, scheduled_at, text, spoiler_text, language, visibility, "
            "list_id, sensitive, in_reply_to_id, channel_id, app_id, idempotency_key, "
            "poll_expires_in, poll_multiple, poll_hide_totals, created_at, content_type "
            "FROM scheduled_statuses WHERE id = ? AND (account_id = ? OR ? = 0)");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_scheduled){
        .id = db_col_i64(s, 0),
        .account_id = db_col_i64(s, 1),
        .scheduled_at = db_col_i64(s, 2),
        .text = col_str(s, 3, a),
        .spoiler_text = col_str(s, 4, a),
        .language = col_str(s, 5, a),
        .visibility = (int)db_col_i64(s, 6),
        .list_id = db_col_i64(s, 7),
        .sensitive = (int)db_col_i64(s, 8),
        .in_reply_to_id = db_col_i64(s, 9),
        .channel_id = db_col_i64(s, 10),
        .app_id = db_col_i64(s, 11),
        .idempotency_key = col_str(s, 12, a),
        .poll_expires_in = db_col_i64(s, 13),
        .poll_multiple = db_col_i64(s, 14) != 0,
        .poll_hide_totals = db_col_i64(s, 15) != 0,
        .created_at = db_col_i64(s, 16),
        .content_type = (int)db_col_i64(s, 17),
    };
    db_reset(s);
    return read_options(d, a, out);
}

int store_scheduled_page(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define SCHEDULED "SELECT id, id FROM scheduled_statuses WHERE account_id = ?"
    return store_paged(d, SCHEDULED PAGE_DESC("id"), SCHEDULED PAGE_ASC("id"), &account_id, 1, NULL,
                       p, a, out);
#undef SCHEDULED
}

int store_scheduled_set_time(db *d, int64_t account_id, int64_t id, int64_t scheduled_at)
{
    PREPARE(s, d, "UPDATE scheduled_statuses SET scheduled_at = ? WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, scheduled_at);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 0 ? PL_ENOTFOUND : PL_OK;
}

int store_scheduled_delete(db *d, int64_t account_id, int64_t id)
{
    PREPARE(s, d, "DELETE FROM scheduled_statuses WHERE id = ? AND (account_id = ? OR ? = 0)");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    PREPARE(o, d, "DELETE FROM scheduled_poll_options WHERE scheduled_status_id = ?");
    db_bind_i64(o, 1, id);
    return db_step_done(o);
}

int store_scheduled_counts(db *d, int64_t account_id, int64_t except_id, int64_t day_start,
                           int64_t day_end, int64_t *total, int64_t *on_day)
{
    PREPARE(s, d,
            "SELECT count(*), coalesce(sum(CASE WHEN id <> ? AND scheduled_at >= ? AND "
            "scheduled_at < ? THEN 1 ELSE 0 END), 0) FROM scheduled_statuses WHERE account_id = ?");
    db_bind_i64(s, 1, except_id);
    db_bind_i64(s, 2, day_start);
    db_bind_i64(s, 3, day_end);
    db_bind_i64(s, 4, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *total = db_col_i64(s, 0);
    *on_day = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}

int store_scheduled_any_due(db *d, int64_t now, bool *yes)
{
    /* the second bound only lets the one helper serve: ids are positive */
    return store_ask2(d,
                      "SELECT 1 FROM scheduled_statuses WHERE scheduled_at <= ? AND id > ? LIMIT 1",
                      now, 0, yes);
}

int store_scheduled_due(db *d, int64_t now, int64_t *id)
{
    /* several nodes' publishers may look at once on PostgreSQL: each takes a row no other
     * holds (the same text otherwise; SQLite has one writer at a time) */
    static const char plain[] = "SELECT id FROM scheduled_statuses WHERE scheduled_at <= ? "
                                "ORDER BY scheduled_at LIMIT 1";
    static const char locking[] = "SELECT id FROM scheduled_statuses WHERE scheduled_at <= ? "
                                  "ORDER BY scheduled_at LIMIT 1 FOR UPDATE SKIP LOCKED";
    PREPARE(s, d, db_supports_notify(d) ? locking : plain);
    db_bind_i64(s, 1, now);
    int rc = step_one(s);
    if (rc) return rc;
    *id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}
