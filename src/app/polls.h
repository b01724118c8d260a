/**
 * polls.h — polls on statuses: the limits a new poll must meet, voting, the poll as one
 * viewer sees it, and the "poll" notifications sent once when a poll ends.
 *
 * A poll belongs to its status: who may see the status may see and vote on the poll, and
 * anyone else gets PL_ENOTFOUND (audience_can_see decides). Limits come from the
 * configuration (poll_max_options, poll_max_characters_per_option, poll_min_expiration,
 * poll_max_expiration), the same numbers /api/v1/instance reports.
 */
#ifndef PL_POLLS_H
#define PL_POLLS_H

#include "app/app.h"

/** A poll as a client asked for it (POST/PUT /api/v1/statuses, poll[…]). */
typedef struct polls_new {
    const char *const *options;
    int n_options;
    int64_t expires_in; /**< seconds */
    bool multiple, hide_totals;
} polls_new;

/** A poll with what depends on the viewer and the clock. */
typedef struct pl_poll_view {
    pl_poll poll;
    bool expired;     /**< ended at or before the request's clock */
    bool show_totals; /**< option counts are published (not hide_totals, or ended) */
    bool has_viewer;  /**< voted and own_votes are meaningful (a signed-in viewer) */
    bool voted;
    int *own_votes; /**< the viewer's choices, ascending */
    int n_own_votes;
} pl_poll_view;

/** Checks a new poll against the limits; PL_EINVAL with a message saying what is wrong. */
int polls_check(app_ctx *c, const polls_new *p);
/**
 * Writes the poll of status s (whose poll_id the caller set to a new id, and inserts
 * itself). Call polls_check first.
 */
int polls_insert(app_ctx *c, const pl_status *s, const polls_new *p);
/**
 * Makes s's poll what p says on an edit (p NULL: no poll): adds, changes or deletes it and
 * sets s->poll_id. As Mastodon, changing the options or `multiple` drops every vote; the
 * poll runs expires_in from now and will be notified again when it ends.
 */
int polls_edit(app_ctx *c, pl_status *s, const polls_new *p);
/** The poll for viewer (0 = signed out); no audience check (the status's view does it). */
int polls_view(app_ctx *c, int64_t viewer, int64_t poll_id, pl_poll_view *out);
/** The poll of a status the viewer may see, else PL_ENOTFOUND. */
int polls_get(app_ctx *c, int64_t viewer, int64_t poll_id, pl_poll_view *out);
/**
 * Votes: choices are option indexes (n of them). PL_ENOTFOUND if the viewer may not see
 * the poll; PL_EINVAL (with the reason) if it ended, the viewer voted already, a choice is
 * out of range or repeated, or several choices are given on a single-choice poll.
 */
int polls_vote(app_ctx *c, int64_t viewer, int64_t poll_id, const int64_t *choices, int n);
/**
 * Sends the "poll" notifications of up to `limit` ended polls (to the author and to every
 * voter who may still see the status), in one transaction of its own that also marks them
 * sent; *claimed receives how many polls it did (== limit: call again).
 */
int polls_notify_ended_step(app_ctx *c, int limit, int *claimed);

#endif
