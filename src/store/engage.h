/**
 * store/engage.h — favourites (up-votes) and bookmarks, who favourited or boosted a status,
 * and a viewer's flags on a page of statuses. Boosts themselves are statuses (store/posts.h).
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

/** account_id favourites status_id; PL_ECONFLICT (nothing written) if it did already. The
 *  status's count and the notification are the caller's. */
int store_favourite_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
/** PL_OK if removed, PL_ENOTFOUND if there was no such favourite. */
int store_favourite_delete(db *d, int64_t account_id, int64_t status_id);
/** Has account_id favourited status_id? False also on a database error. */
bool store_favourited(db *d, int64_t account_id, int64_t status_id);
/** account_id bookmarks status_id; PL_ECONFLICT (nothing written) if it did already. */
int store_bookmark_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
/** PL_OK if removed, PL_ENOTFOUND if there was no such bookmark. */
int store_bookmark_delete(db *d, int64_t account_id, int64_t status_id);
/** Has account_id bookmarked status_id? False also on a database error. */
bool store_bookmarked(db *d, int64_t account_id, int64_t status_id);
/**
 * In one query: the statuses with ids in [lo, hi] the account favourited (set 0),
 * bookmarked (1) and reblogged (2), at most `max` of each (PL_ELIMIT if there are more: the
 * caller falls back to one-by-one checks).
 */
int store_viewer_flags(db *d, int64_t account_id, int64_t lo, int64_t hi, int max, arena *a,
                       pl_idsets *out);
/** Accounts who favourited a status, newest favourite first (keys: favourite ids). */
int store_favourited_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
/** Accounts who boosted a status, newest boost first (keys: the boosts' status ids). */
int store_reblogged_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses the account favourited, newest favourite first (keys: favourite ids). */
int store_favourites_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses the account bookmarked, newest bookmark first (keys: bookmark ids). */
int store_bookmarks_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

#endif
