/**
 * graph.h — following, blocking and muting people.
 */
#ifndef PL_GRAPH_H
#define PL_GRAPH_H

#include "app/app.h"

/** reblogs/notify: -1 = unchanged (true for a new follow's reblogs, false for notify). A
 *  locked target (or a private channel) gets a follow request instead, until authorized. */
int graph_follow(app_ctx *c, int64_t viewer, int64_t target, int reblogs, int notify);
/** Follows at once even a locked target, whose approval the caller has decided is given (one
 *  who moderates a private channel joining it); a request that waited is withdrawn. */
int graph_follow_approved(app_ctx *c, int64_t viewer, int64_t target);
/** The target accepts (or refuses) requester's follow request; PL_ENOTFOUND if none waits. */
int graph_authorize(app_ctx *c, int64_t target, int64_t requester);
int graph_reject(app_ctx *c, int64_t target, int64_t requester);
/** Accepts every waiting request (an account that stops being locked, as Mastodon does). */
int graph_authorize_all(app_ctx *c, int64_t target);
/** Who asked to follow target, newest first. */
int graph_follow_requests(app_ctx *c, int64_t target, const pl_page *p, pl_idlist *out);
/** How many wait (0 on a database error: it is a display figure). */
int64_t graph_follow_requests_count(app_ctx *c, int64_t target);
/** Ends a follow (or withdraws its request). Of a channel: leaving it, under its rules
 *  (channels_leaving(): the only owner gets 422, a role is dropped). */
int graph_unfollow(app_ctx *c, int64_t viewer, int64_t target);
/** Blocking also ends follows in both directions (so blocking a channel leaves it, under the
 *  same rules: its only owner cannot block it). */
int graph_block(app_ctx *c, int64_t viewer, int64_t target);
int graph_unblock(app_ctx *c, int64_t viewer, int64_t target);
/** duration_s 0 = indefinitely. */
int graph_mute(app_ctx *c, int64_t viewer, int64_t target, bool notifications, int64_t duration_s);
int graph_unmute(app_ctx *c, int64_t viewer, int64_t target);
int graph_relationship(app_ctx *c, int64_t viewer, int64_t target, pl_relationship *out);

/** Paged lists (keys: follow, block and mute ids): who follows `account`, whom it follows,
 *  whom the viewer blocks and mutes. */
int graph_followers(app_ctx *c, int64_t account, const pl_page *p, pl_idlist *out);
/** Whom account follows, as viewer may know it: a private channel only to its members (and
 *  the person themself, and administrators). viewer 0: signed out. */
int graph_following(app_ctx *c, int64_t viewer, int64_t account, const pl_page *p, pl_idlist *out);
int graph_blocks(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);
int graph_mutes(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);

#endif
