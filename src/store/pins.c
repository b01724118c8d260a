/*
 * pins.c — statuses pinned to their author's profile (table status_pins).
 *
 * A pin is one row keyed by its own time-ordered id, so "newest pin first" is an index range
 * over (account_id, id). The count limit is checked here, under a lock on the account's row
 * (PostgreSQL; SQLite has one writer), because a check in the app layer alone would let two
 * writers pinning for one person at once both pass it. Whose status it is, and whether it
 * may be pinned, is the app layer's rule (app/profile.c).
 */
#include "store/pins.h"
#include "store/query.h"

/* Locks the account's row until the transaction ends (PostgreSQL); on SQLite the writer
 * already holds the database's write lock. PL_ENOTFOUND if the account is gone. */
static int lock_account(db *d, int64_t account_id)
{
    static const char plain[] = "SELECT id FROM accounts WHERE id = ?";
    static const char locking[] = "SELECT id FROM accounts WHERE id = ? FOR UPDATE";
    PREPARE(s, d, db_supports_notify(d) ? locking : plain);
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    db_reset(s);
    return PL_OK;
}

int store_pin_insert(db *d, int64_t id, int64_t account_id, int64_t status_id, int max, int64_t now)
{
    int rc = lock_account(d, account_id);
    if (rc) return rc;
    if (store_pinned(d, account_id, status_id)) return PL_OK;
    int64_t have;
    if ((rc = store_pins_count(d, account_id, &have))) return rc;
    if (have >= max) return PL_ELIMIT;
    PREPARE(s, d,
            "INSERT INTO status_pins (id, account_id, status_id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, status_id);
    db_bind_i64(s, 4, now);
    if ((rc = db_step_done(s))) return rc;
    /* nothing inserted although this account had not pinned it: another account holds it */
    return db_changes(d) > 0 ? PL_OK : PL_ECONFLICT;
}

int store_pin_delete(db *d, int64_t account_id, int64_t status_id)
{
    PREPARE(s, d, "DELETE FROM status_pins WHERE account_id = ? AND status_id = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, status_id);
    return db_step_done(s);
}

bool store_pinned(db *d, int64_t account_id, int64_t status_id)
{
    return store_exists2(d, "SELECT 1 FROM status_pins WHERE account_id = ? AND status_id = ?",
                         account_id, status_id);
}

int store_pins_count(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM status_pins WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_pins_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define PINS "SELECT status_id, id FROM status_pins WHERE account_id = ?"
    return store_paged(d, PINS PAGE_DESC("id"), PINS PAGE_ASC("id"), &account_id, 1, NULL, p, a,
                       out);
#undef PINS
}

int store_pins_all(db *d, int64_t account_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT status_id FROM status_pins WHERE account_id = ? ORDER BY status_id");
    db_bind_i64(s, 1, account_id);
    return store_collect_ids(s, a, ids, n);
}
