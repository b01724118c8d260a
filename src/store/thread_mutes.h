/**
 * store/thread_mutes.h — conversations a person muted (table thread_mutes, migration 030).
 *
 * A row names a thread by its root post (app/thread_mutes.c finds it). As every store
 * header: functions return PL_OK or a negative PL_E* code (util/err.h); writes run inside the
 * caller's transaction; nothing checks permissions (the app layer does). See
 * docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_THREAD_MUTES_H
#define PL_STORE_THREAD_MUTES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/** Mutes the thread rooted at root_id for account_id; PL_OK also if it was muted already. */
int store_thread_mute_insert(db *d, int64_t account_id, int64_t root_id, int64_t now);
/** Unmutes it; PL_OK also if it was not muted. */
int store_thread_mute_delete(db *d, int64_t account_id, int64_t root_id);
/** Has account_id muted the thread rooted at root_id? PL_OK with the answer in *yes, or the
 *  database's error (then *yes is false). */
int store_thread_muted(db *d, int64_t account_id, int64_t root_id, bool *yes);
/** Has account_id muted any thread at all (the cheap question asked first)? As above. */
int store_thread_mutes_any(db *d, int64_t account_id, bool *yes);

#endif
