/*
 * notify_groups.c — the rows of one notification group.
 *
 * A group is not stored: it is a question asked of notifications through their index
 * (account_id, id), the id range standing for the group's time window, with the type and the
 * post checked on the rows of that range. Which notifications form a group is the app layer's
 * (app/notify_groups.c).
 */
#include "store/notify_groups.h"
#include "store/query.h"

#define GROUP_WHERE                                                                                \
    " FROM notifications WHERE account_id = ? AND id >= ? AND id < ? AND type = ? AND "            \
    "coalesce(status_id, 0) = ? AND filtered <= ?"

static void bind_group(db_stmt *s, const notify_group_range *g)
{
    db_bind_i64(s, 1, g->account_id);
    db_bind_i64(s, 2, g->first_id);
    db_bind_i64(s, 3, g->end_id);
    db_bind_text(s, 4, g->type, -1);
    db_bind_i64(s, 5, g->status_id);
    db_bind_i64(s, 6, g->include_filtered ? 1 : 0);
}

int store_notify_group_rows(db *d, const notify_group_range *g, int limit, arena *a,
                            pl_notification **out, int *n)
{
    PREPARE(s, d, "SELECT id, from_account_id, created_at" GROUP_WHERE " ORDER BY id DESC LIMIT ?");
    bind_group(s, g);
    db_bind_i64(s, 7, limit);
    pl_notification *v = arena_alloc(a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    int count = 0, rc = DB_DONE;
    while (count < limit && (rc = db_step(s)) == DB_ROW)
        v[count++] = (pl_notification){.id = db_col_i64(s, 0),
                                       .account_id = g->account_id,
                                       .from_account_id = db_col_i64(s, 1),
                                       .type = g->type,
                                       .status_id = g->status_id,
                                       .created_at = db_col_i64(s, 2)};
    if (count < limit && rc != DB_DONE) {
        db_reset(s);
        return rc;
    }
    db_reset(s);
    *out = v;
    *n = count;
    return PL_OK;
}

int store_notify_group_count(db *d, const notify_group_range *g, int64_t *count)
{
    PREPARE(s, d, "SELECT count(*)" GROUP_WHERE);
    bind_group(s, g);
    int rc = step_one(s);
    if (rc) return rc;
    *count = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_notify_group_delete(db *d, const notify_group_range *g)
{
    PREPARE(s, d,
            "DELETE FROM notifications WHERE account_id = ? AND id >= ? AND id < ? AND type = ? "
            "AND coalesce(status_id, 0) = ?");
    bind_group(s, g);
    return db_step_done(s);
}
