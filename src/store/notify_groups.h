/**
 * store/notify_groups.h — the rows of one notification group (app/notify_groups.h): one
 * person's notifications of one type about one post (0: none) whose ids fall in a range, the
 * range being the group's time window (ids begin with their time: util/ids.h).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the arena `a`; writes run inside the caller's transaction; nothing
 * checks permissions. See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_NOTIFY_GROUPS_H
#define PL_STORE_NOTIFY_GROUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** A group's address: whose, which type, about which post (0: none), ids in [first, end). */
typedef struct notify_group_range {
    int64_t account_id;
    const char *type;
    int64_t status_id;
    int64_t first_id, end_id;
    bool include_filtered; /**< also the notifications the recipient's policy held back */
} notify_group_range;

/** The group's notifications, newest first, at most limit. */
int store_notify_group_rows(db *d, const notify_group_range *g, int limit, arena *a,
                            pl_notification **out, int *n);
/** How many notifications the group holds. */
int store_notify_group_count(db *d, const notify_group_range *g, int64_t *count);
/** Deletes the group's notifications (none: PL_OK all the same). */
int store_notify_group_delete(db *d, const notify_group_range *g);

#endif
