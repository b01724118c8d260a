/*
 * thread_mutes.c — conversations a person muted (table thread_mutes).
 *
 * One row per person and thread root, keyed by both, so "is this thread muted by them" and
 * "have they muted anything" are each one probe of the primary key. Which thread a post
 * belongs to, and who may mute it, is the app layer's (app/thread_mutes.c).
 */
#include "store/thread_mutes.h"
#include "store/query.h"

int store_thread_mute_insert(db *d, int64_t account_id, int64_t root_id, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO thread_mutes (account_id, root_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, root_id);
    db_bind_i64(s, 3, now);
    return db_step_done(s);
}

int store_thread_mute_delete(db *d, int64_t account_id, int64_t root_id)
{
    PREPARE(s, d, "DELETE FROM thread_mutes WHERE account_id = ? AND root_id = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, root_id);
    return db_step_done(s);
}

int store_thread_muted(db *d, int64_t account_id, int64_t root_id, bool *yes)
{
    return store_ask2(d, "SELECT 1 FROM thread_mutes WHERE account_id = ? AND root_id = ?",
                      account_id, root_id, yes);
}

int store_thread_mutes_any(db *d, int64_t account_id, bool *yes)
{
    /* root ids are positive: the second bound only lets the one helper serve */
    return store_ask2(d, "SELECT 1 FROM thread_mutes WHERE account_id = ? AND root_id > ? LIMIT 1",
                      account_id, 0, yes);
}
