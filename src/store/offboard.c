/*
 * offboard.c — off-boarding's wipe in SQL (store/offboard.h, migration 056).
 */
#include "store/offboard.h"
#include "store/query.h"
#include "store/retention.h"

int store_wipe_request(db *d, int64_t account_id, int64_t by, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO account_wipes (account_id, requested_at, requested_by) VALUES (?, ?, ?) "
            "ON CONFLICT (account_id) DO UPDATE SET requested_at = excluded.requested_at, "
            "requested_by = excluded.requested_by, done_at = NULL");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, now);
    if (by)
        db_bind_i64(s, 3, by);
    else
        db_bind_null(s, 3);
    return db_step_done(s);
}

int store_wipe_next(db *d, int64_t *account_id)
{
    PREPARE(s, d,
            "SELECT w.account_id FROM account_wipes w WHERE w.done_at IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM legal_holds h WHERE h.target_kind = ? AND h.target_id = w.account_id "
            "AND h.released_at IS NULL) ORDER BY w.requested_at LIMIT 1");
    db_bind_i64(s, 1, HOLD_ACCOUNT);
    int rc = step_one(s);
    if (rc) return rc;
    *account_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_wipe_progress(db *d, int64_t account_id, int64_t posts, int64_t files, bool done,
                        int64_t now)
{
    /* only a wipe not done yet: two nodes at one wipe finish it once */
    PREPARE(s, d,
            "UPDATE account_wipes SET posts = posts + ?, files = files + ?, "
            "done_at = CASE WHEN ? = 1 THEN ? ELSE done_at END "
            "WHERE account_id = ? AND done_at IS NULL");
    db_bind_i64(s, 1, posts);
    db_bind_i64(s, 2, files);
    db_bind_i64(s, 3, done ? 1 : 0);
    db_bind_i64(s, 4, now);
    db_bind_i64(s, 5, account_id);
    int rc = db_step_done(s);
    return rc ? rc : db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_wipe_counts(db *d, int64_t account_id, int64_t *posts, int64_t *files)
{
    PREPARE(s, d, "SELECT posts, files FROM account_wipes WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *posts = db_col_i64(s, 0);
    *files = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}

int store_wipe_batch(db *d, int64_t account_id, int max, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT st.id FROM statuses st WHERE st.account_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM legal_holds h WHERE h.target_kind = ? AND h.target_id = st.channel_id "
            "AND h.released_at IS NULL) ORDER BY st.id LIMIT ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, HOLD_CHANNEL);
    db_bind_i64(s, 3, max);
    return store_collect_ids(s, a, ids, n);
}

int store_account_clear_profile(db *d, int64_t account_id)
{
    PREPARE(f, d, "DELETE FROM account_fields WHERE account_id = ?");
    db_bind_i64(f, 1, account_id);
    int rc = db_step_done(f);
    if (rc) return rc;
    PREPARE(s, d,
            "UPDATE accounts SET display_name = '', note = '', note_html = '', fields_count = 0 "
            "WHERE id = ?");
    db_bind_i64(s, 1, account_id);
    return db_step_done(s);
}
