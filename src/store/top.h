/**
 * store/top.h — trends (hashtags and posts by engagement) and the channel pins that
 * catch-up reads.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_TOP_H
#define PL_STORE_TOP_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Uses of one tag on one day (trends). */
typedef struct pl_trend_day {
    const char *tag;  /**< normalized (lower case) */
    int day;          /**< whole days since the `start` asked for, 0 first */
    int64_t uses;     /**< posts carrying it that day */
    int64_t accounts; /**< distinct authors of those posts */
} pl_trend_day;
/**
 * Tag uses per UTC day from the day of `start` (ms; a midnight) on, for trends, in no
 * particular order: only posts a signed-in member of the company could find (public, unlisted,
 * company; not boosts; not in a private channel; not removed from their channel). Read from
 * tag_days (store/tags.c counts them as posts are written), one row per tag and day.
 */
int store_trend_tag_days(db *d, int64_t start, arena *a, pl_trend_day **out, int *n);
/**
 * At most `limit` public and company posts (not boosts, not in a private channel, not removed
 * from their channel) made since `start` (ms) that have any favourite, boost or reply, most
 * engaged first (favourites + boosts + replies, then newest): trending posts' candidates.
 */
int store_trend_statuses(db *d, int64_t start, int limit, arena *a, int64_t **ids, int *n);
/** A pinned announcement: which channel, which post, when it was pinned (ms). */
typedef struct pl_channel_pin {
    int64_t channel_id, status_id, created_at;
} pl_channel_pin;
/** The pins of up to STORE_BATCH channels made at or after `since` (ms), newest pin first. */
int store_channel_pins_since(db *d, const int64_t *channels, int n, int64_t since, arena *a,
                             pl_channel_pin **out, int *nout);

#endif
