/**
 * thread_mutes.h — muting a conversation (Mastodon's POST /api/v1/statuses/:id/mute).
 *
 * The rules, in plain words:
 * - A thread is every post that leads up, reply by reply, to one root post; muting any of
 *   its posts mutes all of them, earlier and later ones alike.
 * - Whoever mutes a thread gets no more notifications about its posts: mentions, favourites,
 *   boosts, edits, polls. Posts still show in timelines (muting a conversation is about
 *   notifications, as in Mastodon).
 * - One may mute only a post one may see (audience_can_see); others are "Record not found".
 *   Mastodon asks no more (its documentation says "a thread in which you are a participant",
 *   but its server does not check it, and muting a thread before one is drawn into it is
 *   what people want at work), and neither do we.
 */
#ifndef PL_THREAD_MUTES_H
#define PL_THREAD_MUTES_H

#include "app/app.h"

/** Mutes (mute = true) or unmutes the thread of status_id for viewer. PL_ENOTFOUND if the
 *  viewer may not see the status; PL_OK if it was muted (or not) already. */
int thread_mutes_set(app_ctx *c, int64_t viewer, int64_t status_id, bool mute);

/** The root of s's thread: in_reply_to_id followed up while the parent exists. */
int64_t thread_mutes_root(app_ctx *c, const pl_status *s);

/**
 * Has account_id muted the thread of s? PL_OK with the answer in *muted, or the database's
 * error (then *muted is false). Cheap for someone who muted nothing (one probe); otherwise it
 * walks up the thread.
 */
int thread_mutes_ask(app_ctx *c, int64_t account_id, const pl_status *s, bool *muted);

#endif
