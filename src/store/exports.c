/*
 * exports.c — the rows of archives and exports (table archives, migration 055) and the scan
 * of posts a compliance export reads.
 *
 * Building is shared by every node through the rows alone: a builder takes the oldest row to
 * build with a conditional UPDATE (store_export_claim), which succeeds for one node only on
 * both databases, and holds it under a lease (lease_until); a node that stops mid-build leaves
 * a lease that runs out, and another takes the row again. No row lock is held while a zip is
 * made, which can take minutes.
 */
#include "store/exports.h"
#include "store/query.h"

#define EXPORT_COLS                                                                                \
    "id, account_id, kind, state, q_since, q_until, q_accounts, q_channels, q_words, file_id, "    \
    "size, posts_count, direct_count, files_count, error, lease_until, created_at, finished_at, "  \
    "expires_at"

static void read_row(db_stmt *s, arena *a, pl_export *x)
{
    *x = (pl_export){
        .id = db_col_i64(s, 0),
        .account_id = db_col_i64(s, 1),
        .kind = (int)db_col_i64(s, 2),
        .state = (int)db_col_i64(s, 3),
        .since_at = db_col_i64(s, 4),
        .until_at = db_col_i64(s, 5),
        .accounts = col_str(s, 6, a),
        .channels = col_str(s, 7, a),
        .words = col_str(s, 8, a),
        .file_id = db_col_i64(s, 9),
        .size = db_col_i64(s, 10),
        .posts_count = db_col_i64(s, 11),
        .direct_count = db_col_i64(s, 12),
        .files_count = db_col_i64(s, 13),
        .error = col_str(s, 14, a),
        .lease_until = db_col_i64(s, 15),
        .created_at = db_col_i64(s, 16),
        .finished_at = db_col_i64(s, 17),
        .expires_at = db_col_i64(s, 18),
    };
}

int store_export_insert(db *d, const pl_export *x)
{
    PREPARE(s, d,
            "INSERT INTO archives (id, account_id, kind, state, q_since, q_until, q_accounts, "
            "q_channels, q_words, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, x->id);
    db_bind_i64(s, 2, x->account_id);
    db_bind_i64(s, 3, x->kind);
    db_bind_i64(s, 4, x->state);
    db_bind_i64(s, 5, x->since_at);
    db_bind_i64(s, 6, x->until_at);
    db_bind_text(s, 7, x->accounts ? x->accounts : "", -1);
    db_bind_text(s, 8, x->channels ? x->channels : "", -1);
    db_bind_text(s, 9, x->words ? x->words : "", -1);
    db_bind_i64(s, 10, x->created_at);
    return db_step_done(s);
}

int store_export_get(db *d, int64_t id, arena *a, pl_export *out)
{
    PREPARE(s, d, "SELECT " EXPORT_COLS " FROM archives WHERE id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_row(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_exports_of(db *d, int64_t account_id, int kind, int limit, arena *a, pl_export **out,
                     int *n)
{
    *out = NULL;
    *n = 0;
    /* two texts, so that each has its index: one person's (archives_account), or everyone's
     * of a kind (archives_kind) */
    static const char by_account[] = "SELECT " EXPORT_COLS " FROM archives WHERE account_id = ? "
                                     "AND kind = ? ORDER BY id DESC LIMIT ?";
    static const char by_kind[] = "SELECT " EXPORT_COLS " FROM archives WHERE 0 = ? AND kind = ? "
                                  "ORDER BY id DESC LIMIT ?";
    PREPARE(s, d, account_id ? by_account : by_kind);
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, kind);
    db_bind_i64(s, 3, limit);
    pl_export *v = arena_alloc(a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < limit) read_row(s, a, &v[(*n)++]);
    db_reset(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    *out = v;
    return PL_OK;
}

int store_export_next(db *d, int64_t now, int64_t *id)
{
    *id = 0;
    PREPARE(s, d,
            "SELECT id FROM archives WHERE state < 2 AND lease_until < ? ORDER BY id LIMIT 1");
    db_bind_i64(s, 1, now);
    int rc = step_one(s);
    if (rc) return rc;
    *id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_export_claim(db *d, int64_t id, int64_t now, int64_t lease_until)
{
    PREPARE(s, d,
            "UPDATE archives SET state = 1, lease_until = ? WHERE id = ? AND state < 2 AND "
            "lease_until < ?");
    db_bind_i64(s, 1, lease_until);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, now);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 1 ? PL_OK : PL_ENOTFOUND;
}

int store_export_finish(db *d, const pl_export *x)
{
    PREPARE(s, d,
            "UPDATE archives SET state = 2, file_id = ?, size = ?, posts_count = ?, "
            "direct_count = ?, files_count = ?, finished_at = ?, expires_at = ?, lease_until = 0 "
            "WHERE id = ? AND state = 1 AND lease_until = ?");
    db_bind_i64(s, 1, x->file_id);
    db_bind_i64(s, 2, x->size);
    db_bind_i64(s, 3, x->posts_count);
    db_bind_i64(s, 4, x->direct_count);
    db_bind_i64(s, 5, x->files_count);
    db_bind_i64(s, 6, x->finished_at);
    db_bind_i64(s, 7, x->expires_at);
    db_bind_i64(s, 8, x->id);
    db_bind_i64(s, 9, x->lease_until);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 1 ? PL_OK : PL_ENOTFOUND;
}

int store_export_release(db *d, int64_t id, int64_t lease)
{
    PREPARE(s, d,
            "UPDATE archives SET state = 0, lease_until = 0 WHERE id = ? AND state = 1 AND "
            "lease_until = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, lease);
    return db_step_done(s);
}

int store_export_fail(db *d, int64_t id, const char *error, int64_t now)
{
    PREPARE(s, d,
            "UPDATE archives SET state = 3, error = ?, finished_at = ?, lease_until = 0 "
            "WHERE id = ?");
    db_bind_text(s, 1, error ? error : "failed", -1);
    db_bind_i64(s, 2, now);
    db_bind_i64(s, 3, id);
    return db_step_done(s);
}

int store_exports_expired(db *d, int64_t now, int max, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT id FROM archives WHERE state = 2 AND expires_at < ? ORDER BY expires_at "
            "LIMIT ?");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, max);
    return store_collect_ids(s, a, ids, n);
}

int store_export_expire(db *d, int64_t id)
{
    PREPARE(s, d, "UPDATE archives SET state = 4, file_id = 0 WHERE id = ? AND state = 2");
    db_bind_i64(s, 1, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 1 ? PL_OK : PL_ENOTFOUND;
}

int store_export_delete(db *d, int64_t id)
{
    PREPARE(s, d, "DELETE FROM archives WHERE id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_export_statuses(db *d, int64_t above, int64_t below, int limit, arena *a, int64_t **ids,
                          int *n)
{
    PREPARE(s, d,
            "SELECT id FROM statuses WHERE id > ? AND id < ? AND reblog_of_id IS NULL "
            "ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, above);
    db_bind_i64(s, 2, below);
    db_bind_i64(s, 3, limit);
    return store_collect_ids(s, a, ids, n);
}
