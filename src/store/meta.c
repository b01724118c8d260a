/*
 * meta.c — the small key/value table `meta`: settings the database itself keeps (the
 * instance's key, the migrate tool's progress, the last stream revocation seen).
 *
 * Values are text; a key is written with an upsert so a setter never needs to know whether
 * it was set before.
 */
#include "store/meta.h"
#include "store/query.h"

int store_meta_get(db *d, const char *key, arena *a, const char **value)
{
    PREPARE(s, d, "SELECT value FROM meta WHERE key = ?");
    db_bind_text(s, 1, key, -1);
    int rc = step_one(s);
    if (rc) return rc;
    *value = col_str(s, 0, a);
    db_reset(s);
    return PL_OK;
}

int store_meta_set(db *d, const char *key, const char *value)
{
    PREPARE(s, d,
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(s, 1, key, -1);
    db_bind_text(s, 2, value, -1);
    return db_step_done(s);
}
