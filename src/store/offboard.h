/**
 * store/offboard.h — off-boarding's wipe (migration 056): the wipes asked and done, the posts
 * still to delete, and a profile emptied. The rules are app/offboard.c's.
 */
#ifndef PL_STORE_OFFBOARD_H
#define PL_STORE_OFFBOARD_H

#include "store/db.h"
#include "util/arena.h"

/** Asks for account_id's wipe (again: a done one is to do again). */
int store_wipe_request(db *d, int64_t account_id, int64_t by, int64_t now);
/** The oldest wipe not done of an account under no legal hold, PL_ENOTFOUND when none. */
int store_wipe_next(db *d, int64_t *account_id);
/** Adds to a wipe's counts; with done, marks it done at now. PL_ENOTFOUND when the wipe is
 *  done already (another node finished it). */
int store_wipe_progress(db *d, int64_t account_id, int64_t posts, int64_t files, bool done,
                        int64_t now);
/** A wipe's counts so far. */
int store_wipe_counts(db *d, int64_t account_id, int64_t *posts, int64_t *files);
/** Up to max ids of account_id's posts (its boosts and direct messages too), oldest first,
 *  leaving out posts in a channel under a legal hold; *ids in the arena. */
int store_wipe_batch(db *d, int64_t account_id, int max, arena *a, int64_t **ids, int *n);
/** Empties account_id's profile: display name, bio, fields. */
int store_account_clear_profile(db *d, int64_t account_id);

#endif
