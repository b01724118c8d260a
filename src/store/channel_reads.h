/**
 * store/channel_reads.h — how far each person has read each channel (table channel_reads,
 * migration 051), and the window of a channel's posts after that point.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer, app/channel_reads.c, does).
 */
#ifndef PL_STORE_CHANNEL_READS_H
#define PL_STORE_CHANNEL_READS_H

#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/**
 * Where account_id's reading of channel_id starts: the marker if there is one, else the id of
 * the follow that made them a member (ids are time-ordered, so later posts have larger ids),
 * else 0 (no marker and no follow: the everyone channel, or an administrator reading a channel
 * they did not join; the caller picks the start). One probe of each primary key.
 */
int store_channel_read_start(db *d, int64_t account_id, int64_t channel_id, int64_t *last_read_id);

/** Moves account_id's marker of channel_id to last_read_id, never backwards (an older one
 *  leaves it where it is). */
int store_channel_read_set(db *d, int64_t account_id, int64_t channel_id, int64_t last_read_id,
                           int64_t now);

/**
 * The oldest `limit` posts of channel_id after after_id (not removed from it), as ids, newest
 * first: one range read of the statuses_channel index, never more than `limit` rows.
 */
int store_channel_posts_after(db *d, int64_t channel_id, int64_t after_id, int limit, arena *a,
                              pl_idlist *out);

#endif
