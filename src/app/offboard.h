/**
 * app/offboard.h — off-boarding (issue 14, "Off-boarding"; docs/ARCHITECTURE.md
 * "Off-boarding"): a person leaves the company. At once, in one transaction: the account is
 * disabled, every token and session revoked (so every stream of it closes, on every node:
 * the revocation is an event the nodes hear), the follow requests it made or waits on and its
 * places in everyone's lists are removed, and the channels it owns pass to someone else —
 * the person named, or else each channel's other owner, or else the moderator who joined it
 * first. A channel with nobody to take it stops the whole act before anything changes, naming
 * the channel. One audit row (`admin.offboard`) says what was done, in counts.
 *
 * Its posts, files and profile stay unless wiped. A wipe is asked in the same transaction
 * (refused, with nothing done, for an account under a legal hold) and done in short batches
 * (offboard_wipe_step): its posts — boosts and direct messages too, but not those in a channel
 * under a hold — with everything derived and their files (keys first: posts_purge), its
 * archives (keys first), its pictures and its profile's texts. Others' replies stay, as replies
 * to a deleted post. The command line wipes at once; the server's background thread does the
 * wipes the API asks for. When the last batch is done, one audit row (`admin.offboard_wipe`)
 * says how many posts and files went.
 */
#ifndef PL_APP_OFFBOARD_H
#define PL_APP_OFFBOARD_H

#include "app/app.h"

typedef struct offboard_req {
    const pl_account *actor; /**< the administrator acting (the API); NULL: the command line */
    int64_t account_id;      /**< who leaves */
    int64_t transfer_to;     /**< who takes the channels it owns; 0 = each channel's successor */
    bool wipe;               /**< also delete its posts, files and profile (offboard_wipe_step) */
} offboard_req;

/** What was done, for the command line's and the API's answer. */
typedef struct offboard_report {
    int64_t tokens;           /**< tokens and sessions revoked */
    int64_t follow_requests;  /**< requests made or waiting on it, dropped */
    int64_t list_memberships; /**< places in others' lists, dropped */
    int64_t channels;         /**< channels it owned, passed on */
} offboard_report;

/**
 * Off-boards r->account_id. PL_EFORBIDDEN when r->actor is not an administrator; PL_ENOTFOUND
 * for an unknown account (or a channel's); PL_EINVAL
 * with a message for oneself (c->viewer_id), for a transfer_to that is unknown, disabled, a
 * channel or the same person, and for a channel with nobody to take it; nothing changes then.
 * Doing it again does no harm (an account already off-boarded has nothing left to drop).
 */
int offboard_account(app_ctx *c, const offboard_req *r, offboard_report *out);

/** Posts a wipe deletes per transaction. */
enum { OFFBOARD_WIPE_BATCH = 100 };

/**
 * One batch of account_id's wipe, in a transaction of its own (the context owns its
 * transactions): up to `batch` posts purged; when none is left, its archives, pictures and
 * profile too, the wipe marked done and audited. *done says whether it is finished; *posts and
 * *files add what this batch deleted. PL_EINVAL when the account is now under a legal hold.
 */
int offboard_wipe_step(app_ctx *c, int64_t account_id, int batch, bool *done, int64_t *posts,
                       int64_t *files);
/** What a wipe deleted so far, all told (a server's background thread may share the work of
 *  the command line's). */
int offboard_wipe_totals(app_ctx *c, int64_t account_id, int64_t *posts, int64_t *files);
/** The oldest wipe still to do (of an account under no hold); PL_ENOTFOUND when none. */
int offboard_wipe_next(app_ctx *c, int64_t *account_id);

#endif
