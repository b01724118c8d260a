/**
 * store/channel_reads.h — how far each person has read each channel (table channel_reads,
 * migration 051). The posts after a marker are store_statuses_by_channel's (store/channels.h),
 * paged with min_id.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer, app/channel_reads.c, does).
 */
#ifndef PL_STORE_CHANNEL_READS_H
#define PL_STORE_CHANNEL_READS_H

#include <stdint.h>

#include "store/db.h"

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

#endif
