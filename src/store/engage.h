/**
 * store/engage.h — favourites, bookmarks, and who favourited or boosted a status.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_ENGAGE_H
#define PL_STORE_ENGAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

int store_favourite_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
int store_favourite_delete(db *d, int64_t account_id, int64_t status_id);
bool store_favourited(db *d, int64_t account_id, int64_t status_id);
int store_bookmark_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
int store_bookmark_delete(db *d, int64_t account_id, int64_t status_id);
bool store_bookmarked(db *d, int64_t account_id, int64_t status_id);
/**
 * In one query: the statuses with ids in [lo, hi] the account favourited (set 0),
 * bookmarked (1) and reblogged (2), at most `max` of each (PL_ELIMIT if there are more: the
 * caller falls back to one-by-one checks).
 */
int store_viewer_flags(db *d, int64_t account_id, int64_t lo, int64_t hi, int max, arena *a,
                       pl_idsets *out);
/** Accounts who favourited / reblogged a status (keys: favourite id / reblog id). */
int store_favourited_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
int store_reblogged_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses the account favourited / bookmarked (keys: favourite / bookmark ids). */
int store_favourites_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
int store_bookmarks_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

#endif
