/**
 * store/notify.h — notifications and timeline read markers.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_NOTIFY_H
#define PL_STORE_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Inserts a notification (status_id 0: none) and announces EV_NOTIFICATION for its
 *  streams; PL_ECONFLICT if the id is taken. */
int store_notification_insert(db *d, const pl_notification *n);
/** One of account_id's notifications; PL_ENOTFOUND if it has no such one. */
int store_notification_get(db *d, int64_t account_id, int64_t id, arena *a, pl_notification *out);
/** A page of account_id's notifications, newest first (*out in the arena); types (only
 *  these) and exclude (not these) may be NULL-terminated arrays or NULL; from_id 0 = from
 *  anyone; those the recipient's policy filtered only if include_filtered. */
int store_notifications(db *d, int64_t account_id, int64_t from_id, const char *const *types,
                        const char *const *exclude, bool include_filtered, const pl_page *p,
                        arena *a, pl_notification **out, int *n);
/** Deletes one of account_id's notifications; PL_ENOTFOUND if it has no such one. */
int store_notification_dismiss(db *d, int64_t account_id, int64_t id);
/** Deletes every notification of account_id. */
int store_notifications_clear(db *d, int64_t account_id);
/** Deletes every notification about a status (it is being deleted). */
int store_notifications_delete_status(db *d, int64_t status_id);
/** Removes a like/follow/… notification of account_id from from_id when the act is undone
 *  (status_id 0: one about no status); PL_OK whether or not there was one. */
int store_notification_delete_act(db *d, int64_t account_id, int64_t from_id, const char *type,
                                  int64_t status_id);
/**
 * The account's notifications newer than after_id, oldest first, at most limit, not counting
 * filtered ones: for each its status id (0 for none), for counting the unread ones.
 */
int store_notifications_after(db *d, int64_t account_id, int64_t after_id, int limit, arena *a,
                              int64_t **status_ids, int *n);
/** The account's read marker of a timeline ("home", "notifications"); PL_ENOTFOUND if never
 *  set. */
int store_marker_get(db *d, int64_t account_id, const char *timeline, arena *a, pl_marker *out);
/** Sets the marker, counting up its version (the first set makes version 1). */
int store_marker_set(db *d, int64_t account_id, const char *timeline, int64_t last_read_id,
                     int64_t now);

#endif
