/**
 * store/retention.h — retention policies, legal holds, a person's own automatic deletion and
 * the choice of the posts they make due (issue 14, "Retention and legal hold"; the rules are
 * app/retention.h's, the tables migration 054's).
 *
 * Functions return PL_OK or a negative PL_E* code (util/err.h); what they return lives in the
 * arena. Writes run inside the caller's transaction if it opened one.
 */
#ifndef PL_STORE_RETENTION_H
#define PL_STORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** An administrator's policy's scope; RETENTION_OWN is a person's own (only in counts). */
enum pl_retention_scope {
    RETENTION_COMPANY = 1,
    RETENTION_DIRECT = 2,
    RETENTION_CHANNEL = 3,
    RETENTION_OWN = 4,
};

typedef struct pl_retention_policy {
    int scope;          /**< RETENTION_COMPANY, _DIRECT or _CHANNEL */
    int64_t channel_id; /**< the channel (RETENTION_CHANNEL), else 0 */
    int days;           /**< posts older than this many days are deleted */
    int64_t set_by, set_at;
} pl_retention_policy;

/** Every policy, company first, then direct, then channels by id. */
int store_retention_policies(db *d, arena *a, pl_retention_policy **out, int *n);
/** Sets p (replacing the one of its scope and channel), or removes it when p->days is 0.
 *  *existed says whether there was one before. */
int store_retention_policy_set(db *d, const pl_retention_policy *p, bool *existed);

enum pl_hold_kind { HOLD_ACCOUNT = 1, HOLD_CHANNEL = 2 };

typedef struct pl_legal_hold {
    int64_t id;
    int target_kind; /**< HOLD_ACCOUNT or HOLD_CHANNEL */
    int64_t target_id;
    const char *reason;
    int64_t set_by, set_at;
    int64_t released_by, released_at; /**< 0 while it holds */
} pl_legal_hold;

/** The holds, newest first: only those in force, or every one ever set. */
int store_holds(db *d, bool active_only, arena *a, pl_legal_hold **out, int *n);
/** The hold in force on a target; PL_ENOTFOUND if none. */
int store_hold_active(db *d, int target_kind, int64_t target_id, arena *a, pl_legal_hold *out);
int store_hold_insert(db *d, const pl_legal_hold *h);
/** Releases hold id (if still in force: PL_ENOTFOUND otherwise). */
int store_hold_release(db *d, int64_t id, int64_t by, int64_t at);

/** A person's own automatic deletion (Mastodon's account statuses cleanup policy). */
typedef struct pl_cleanup_policy {
    int64_t account_id;
    bool enabled;
    int64_t min_status_age; /**< seconds */
    bool keep_direct, keep_pinned, keep_polls, keep_media, keep_self_fav, keep_self_bookmark;
    int64_t min_favs, min_reblogs; /**< -1: not a reason to keep */
    int64_t updated_at;
} pl_cleanup_policy;

/** The account's policy; PL_ENOTFOUND if it never set one. */
int store_cleanup_get(db *d, int64_t account_id, pl_cleanup_policy *out);
int store_cleanup_set(db *d, const pl_cleanup_policy *p);
/** The smallest min_status_age (seconds) of the enabled policies; PL_ENOTFOUND if none. */
int store_cleanup_min_age(db *d, int64_t *seconds);

/** Takes (or renews) the lease of the retention run until `until` for holder, if it is free,
 *  expired at `now`, or already holder's, and the last run began at or before due_before
 *  (INT64_MAX: whenever): *got says whether it did. */
int store_retention_lease(db *d, const char *holder, int64_t now, int64_t until, int64_t due_before,
                          bool *got);
/** Gives the lease back (if holder still has it), noting that its run began at began. */
int store_retention_lease_drop(db *d, const char *holder, int64_t began);

/** What a run compares post ids against: the time of the run (ms), the company's and direct
 *  messages' days (0: none) — the channels' and people's own are read from their tables. */
typedef struct pl_retention_clock {
    int64_t now;
    int company_days, direct_days;
} pl_retention_clock;

typedef struct pl_retention_due {
    int64_t id;
    int scope; /**< which policy made it due: enum pl_retention_scope */
} pl_retention_due;

/**
 * At most max posts with ids in (after, before) that a policy makes due at k->now and no hold
 * keeps, oldest first. A post is due under its admin policy (its channel's, else, a direct
 * message, the direct one, else the company's) or, failing that, under its author's own
 * automatic deletion with its keep rules. A hold keeps: the posts of a held account, the posts
 * in a held channel, a post boosted by a held account, and a direct message to a held account.
 */
int store_retention_due(db *d, const pl_retention_clock *k, int64_t after, int64_t before, int max,
                        arena *a, pl_retention_due **out, int *n);
/** The same question about one post: *scope the policy that makes it due, 0 when none does
 *  (or a hold keeps it, or it is gone). */
int store_retention_due_one(db *d, const pl_retention_clock *k, int64_t id, int *scope);

#endif
