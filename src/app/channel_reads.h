/**
 * channel_reads.h — unread counts of channels: "posts in the channel newer than my last
 * visit of its page" (issue 13, item 13; docs/api.md "Channel unread counts").
 *
 * The rules, in plain words:
 * - Each person has one read marker per channel, moved when the channel's page is shown
 *   (channel_reads_mark). It only moves forward. Without one, reading starts when the person
 *   joined the channel (the follow), or for a channel with no follow (the everyone channel, an
 *   administrator's look into a channel) when their account was made.
 * - A channel's unread count is its posts after the marker that the person would see in the
 *   channel's timeline (feeds_channel_accepts: the audience, mutes, blocks, filters), less
 *   their own posts.
 * - The count reads at most max_channel_unread + 1 posts of the channel, oldest first after
 *   the marker; when there are more, *more is set and the count is at most the cap. So a
 *   count costs the same in a quiet channel and in a flooded one.
 * - Only a channel the person may read has a count or a marker (404 otherwise, as its posts).
 */
#ifndef PL_CHANNEL_READS_H
#define PL_CHANNEL_READS_H

#include <stdbool.h>

#include "app/app.h"

/** The viewer's unread posts in channel id: *count (up to max_channel_unread), *more (there
 *  were more than counted), *last_read_id (where counting started). 404 when the viewer may
 *  not read the channel. */
int channel_reads_unread(app_ctx *c, int64_t viewer, int64_t id, int64_t *count, bool *more,
                         int64_t *last_read_id);

/** Marks the viewer's reading of channel id up to last_read_id (0: every post made until now;
 *  an id from the future counts as now). Never moves the marker back. 404 as above. */
int channel_reads_mark(app_ctx *c, int64_t viewer, int64_t id, int64_t last_read_id);

#endif
