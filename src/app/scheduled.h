/**
 * scheduled.h — posts written now and published later (Mastodon's scheduled statuses:
 * `scheduled_at` on POST /api/v1/statuses, /api/v1/scheduled_statuses).
 *
 * A scheduled post is checked as a post when it is scheduled (text, poll: posts_check) and
 * against the limits (max_scheduled_statuses in all, max_scheduled_statuses_daily on the UTC
 * day it is due, at least scheduled_min_lead seconds ahead). At its time every node's
 * publisher (run/background.c) calls scheduled_publish_step; exactly one of them publishes it,
 * through posts_create — the path of every post, so audience, channel rules, fan-out,
 * notifications and streams are what they would be had it been posted then. What is no longer
 * allowed then (the account disabled or gone, a channel left, a reply whose post is gone) is
 * dropped, not published, and the scheduled post is deleted all the same.
 */
#ifndef PL_SCHEDULED_H
#define PL_SCHEDULED_H

#include "app/app.h"
#include "app/posts.h"
#include "store/scheduled.h"

/** Schedules n for author at `at` (ms); *id receives the scheduled post's id (the earlier one
 *  for a repeated Idempotency-Key). PL_EINVAL (with errmsg) for a post posts_create would
 *  refuse, a time too near, or a limit reached. */
int scheduled_create(app_ctx *c, int64_t author, const posts_new *n, int64_t at, int64_t *id);
/** One of owner's scheduled posts; PL_ENOTFOUND if it is not theirs (or published). */
int scheduled_get(app_ctx *c, int64_t owner, int64_t id, pl_scheduled *out);
/** A page of owner's scheduled posts, newest first. */
int scheduled_list(app_ctx *c, int64_t owner, const pl_page *p, pl_idlist *out);
/** Moves one of owner's scheduled posts to `at` (the same rules as scheduling). */
int scheduled_move(app_ctx *c, int64_t owner, int64_t id, int64_t at);
/** Cancels one of owner's scheduled posts; PL_ENOTFOUND if it is not theirs. */
int scheduled_cancel(app_ctx *c, int64_t owner, int64_t id);

/** What one step of the publisher did. */
enum scheduled_outcome {
    SCHEDULED_NONE,      /**< nothing was due (or another node took what was) */
    SCHEDULED_PUBLISHED, /**< a post was published: *status_id */
    SCHEDULED_DROPPED,   /**< a post was due but no longer allowed: deleted, c->errmsg says why */
};

/**
 * Publishes the earliest scheduled post due at c->now, in a transaction of its own (c must own
 * its transactions): the row is deleted and the post created together, and only the
 * transaction that deleted the row publishes, so each is published once however many nodes
 * run this. PL_EDB (nothing changed; it stays due) on a database error.
 */
int scheduled_publish_step(app_ctx *c, enum scheduled_outcome *outcome, int64_t *scheduled_id,
                           int64_t *status_id);

#endif
