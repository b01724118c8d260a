/**
 * app/retention.h — retention policies, legal holds and a person's own automatic deletion
 * (issue 14, "Retention and legal hold"; docs/ARCHITECTURE.md "Retention and legal holds").
 *
 * Which policy deletes a post: the most specific administrator's policy — the post's
 * channel's, else (a direct message) the direct messages', else the company's — and, besides,
 * its author's own automatic deletion, which can only delete sooner (a post is deleted when
 * either makes it due). A legal hold on an account or a channel keeps every post of that
 * account or in that channel from every policy, the person's own included (and a post a held
 * account boosted, and a direct message to a held account).
 *
 * Setting a policy or a hold, releasing a hold and a person's own setting are audited; a run
 * is audited as one "retention.run" row with its counts, never a row per post.
 */
#ifndef PL_APP_RETENTION_H
#define PL_APP_RETENTION_H

#include "app/app.h"
#include "store/retention.h"

/** The days an administrator's policy may say (documented in docs/api.md). */
enum { RETENTION_DAYS_MIN = 1, RETENTION_DAYS_MAX = 36500 };
/** A person's own min_status_age, seconds: one day to a hundred years (Mastodon offers one
 *  week to two years; a company may want shorter). */
#define CLEANUP_AGE_MIN 86400LL
#define CLEANUP_AGE_MAX (36500LL * 86400)
/** A reason given for a hold, at most this many characters. */
enum { HOLD_REASON_MAX = 500 };

/** The policies (administrators only; viewer NULL is the command line). */
int retention_policies(app_ctx *c, const pl_account *viewer, pl_retention_policy **out, int *n);
/** Sets the policy of scope (and channel_id for RETENTION_CHANNEL) to days, or removes it when
 *  days is 0 (PL_ENOTFOUND when there was none). 422 for days out of bounds or a channel_id
 *  that is not a channel. Audited: retention.policy_set / retention.policy_remove. */
int retention_policy_set(app_ctx *c, const pl_account *viewer, int scope, int64_t channel_id,
                         int64_t days);

/** The holds, newest first: in force only, or all ever set (administrators only). */
int retention_holds(app_ctx *c, const pl_account *viewer, bool all, pl_legal_hold **out, int *n);
/** Puts target (HOLD_ACCOUNT: an account; HOLD_CHANNEL: a channel) under a hold; 422 when it
 *  is not one or already held. Audited: hold.set. */
int retention_hold_set(app_ctx *c, const pl_account *viewer, int kind, int64_t target,
                       const char *reason, pl_legal_hold *out);
/** Releases hold id; PL_ENOTFOUND if no such hold is in force. Audited: hold.release. */
int retention_hold_release(app_ctx *c, const pl_account *viewer, int64_t id, pl_legal_hold *out);
/** The hold in force on a target, PL_ENOTFOUND if none. */
int retention_hold_of(app_ctx *c, int kind, int64_t target, pl_legal_hold *out);

/** A person's own automatic deletion: theirs, or Mastodon's defaults (disabled) if never set. */
int retention_cleanup_get(app_ctx *c, int64_t account, pl_cleanup_policy *out);
/** Sets it (p->account_id is ignored: account's); 422 for min_status_age, min_favs or
 *  min_reblogs out of bounds. Audited: account.cleanup_policy. */
int retention_cleanup_set(app_ctx *c, int64_t account, const pl_cleanup_policy *p);

/** A run's counts: posts deleted by kind of policy (enum pl_retention_scope; a boost deleted
 *  with the post it boosts counts with it), files, and the time the policies were applied at. */
typedef struct retention_summary {
    int64_t posts, files, by_scope[RETENTION_OWN + 1];
    int64_t at, upto_id;
    int batches;
    int64_t longest_txn_ms; /**< the longest write transaction of the run */
    bool busy; /**< another node or process holds the run's lease, or (every_ms) the last run
                    began less than every_ms ago: nothing done */
    bool idle; /**< no policy in force: nothing looked at, nothing recorded */
} retention_summary;

typedef struct retention_opts {
    int batch;        /**< posts per transaction (0: RETENTION_BATCH) */
    const char *who;  /**< the lease holder's name: node and process */
    int64_t every_ms; /**< a server's runs: only if the last run, by any node, began at least
                           this long ago (0: the command line's, at once) */
    /** after each batch, committed or not, with the time its transaction held the write lock:
     *  the runtime publishes its changes (caches, streams' deletes) and pauses as long, so that
     *  a run takes at most about half of the writer's time and of a core */
    void (*after_batch)(void *ud, bool committed, int64_t txn_ms);
    void *ud;
} retention_opts;

/** A batch is at most RETENTION_BATCH posts and ends once its transaction has taken
 *  RETENTION_TXN_BUDGET_MS (the write lock is held no longer, cold pages or not). */
enum { RETENTION_BATCH = 100, RETENTION_TXN_BUDGET_MS = 50, RETENTION_LEASE_MS = 10 * 60 * 1000 };

/**
 * One run at c->now (the context owns its transactions): the posts due, oldest first, a
 * bounded batch per transaction — each chosen in a read first, then checked again and purged
 * (posts_purge) in a short write transaction — until none is left; then one "retention.run"
 * audit row. Only one run at a time across nodes (a lease in the database).
 */
int retention_run(app_ctx *c, const retention_opts *o, retention_summary *out);

#endif
