/**
 * store/polls.h — polls, their options and votes, and the claiming of ended polls for
 * their end notifications.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_POLLS_H
#define PL_STORE_POLLS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Inserts a poll and its options (p->titles, p->n_options) with no votes; PL_ECONFLICT if
 *  the id is taken. */
int store_poll_insert(db *d, const pl_poll *p);
/** A poll with its options in order, titles and counts in the arena; PL_ENOTFOUND if none. */
int store_poll_get(db *d, int64_t id, arena *a, pl_poll *out);
/** The options account_id chose, ascending (*n = 0 if it has not voted). */
int store_poll_own_votes(db *d, int64_t poll_id, int64_t account_id, arena *a, int **choices,
                         int *n);
/**
 * Records account_id's vote (n distinct, valid choices) and counts it. PL_ECONFLICT, with
 * nothing written, if the account has voted on this poll already; PL_ENOTFOUND if the poll is
 * gone. Holds the poll's row lock until the transaction ends, so concurrent votes of one
 * account on several nodes cannot both pass the check.
 */
int store_poll_vote(db *d, int64_t poll_id, int64_t account_id, const int *choices, int n,
                    int64_t now);
/**
 * Sets expires_at, multiple, hide_totals from p and makes the poll due for its end
 * notifications again; with reset, also replaces the options by p's and drops every vote.
 */
int store_poll_update(db *d, const pl_poll *p, bool reset);
/** Deletes a poll with its options and votes (the status's poll_id is the caller's). */
int store_poll_delete(db *d, int64_t poll_id);
/** The distinct accounts that voted on a poll, ascending. */
int store_poll_voters(db *d, int64_t poll_id, arena *a, int64_t **ids, int *n);
/**
 * Claims up to `limit` polls that ended at or before `now` and whose end was not notified
 * yet: marks them notified and returns their ids. Call inside the transaction that sends the
 * notifications; on PostgreSQL the rows stay locked until it ends and other nodes skip them,
 * and a rollback leaves them to be claimed again.
 */
int store_polls_claim_ended(db *d, int64_t now, int limit, arena *a, int64_t **ids, int *n);

#endif
