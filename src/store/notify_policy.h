/**
 * store/notify_policy.h — the notification policy (Mastodon 4.3): what a person lets
 * through from whom, the senders they accepted, and the requests — their filtered
 * notifications, by sender (migration 043).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the arena `a`; writes run inside the caller's transaction; nothing
 * checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_NOTIFY_POLICY_H
#define PL_STORE_NOTIFY_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** The five senders a policy names, in the order of the table's columns. */
enum {
    POLICY_NOT_FOLLOWING,
    POLICY_NOT_FOLLOWERS,
    POLICY_NEW_ACCOUNTS,
    POLICY_PRIVATE_MENTIONS,
    POLICY_LIMITED_ACCOUNTS,
    POLICY_N
};

/** A person's policy (each POLICY_* slot: 0 accept, 1 filter, 2 drop); PL_ENOTFOUND if they
 *  never set one. */
int store_notify_policy_get(db *d, int64_t account_id, int out[POLICY_N]);
/** Sets the whole policy. */
int store_notify_policy_set(db *d, int64_t account_id, const int v[POLICY_N], int64_t now);

/** What the policy asks of a sender, read in one place. */
typedef struct notify_sender_facts {
    bool accepted;         /**< the recipient accepted a request of theirs */
    bool followed;         /**< the recipient follows them */
    int64_t follows_since; /**< when they followed the recipient; 0: they do not */
} notify_sender_facts;
int store_notify_sender_facts(db *d, int64_t recipient, int64_t sender, notify_sender_facts *out);

/** Accepts every future notification from sender (idempotent). */
int store_notify_permission_add(db *d, int64_t recipient, int64_t sender, int64_t now);

/** A request: one sender's filtered notifications to one person. */
typedef struct pl_notify_request {
    int64_t from_account_id;
    int64_t newest_id; /**< the newest filtered notification (the page key) */
    int64_t created_at, updated_at;
    int64_t count;          /**< how many, up to NOTIFY_REQUEST_COUNT_CAP */
    int64_t last_status_id; /**< the newest one about a post (0: none) */
} pl_notify_request;

/** Mastodon counts a request's notifications up to 100 (and the pending requests too). */
enum { NOTIFY_REQUEST_COUNT_CAP = 100 };

/** A page of the requests, the most recently active first; the page's ids are the newest
 *  notification ids (pl_page's max_id, since_id and min_id bound them). */
int store_notify_requests(db *d, int64_t recipient, const pl_page *p, arena *a,
                          pl_notify_request **out, int *n);
/** The request from one sender; PL_ENOTFOUND if there are no filtered notifications. */
int store_notify_request_get(db *d, int64_t recipient, int64_t sender, pl_notify_request *out);
/** Moves a sender's filtered notifications into the recipient's list; PL_ENOTFOUND if none. */
int store_notify_request_merge(db *d, int64_t recipient, int64_t sender);
/** Deletes a sender's filtered notifications; PL_ENOTFOUND if none. */
int store_notify_request_delete(db *d, int64_t recipient, int64_t sender);
/** How many requests wait (up to the cap) and how many notifications they hold. */
int store_notify_requests_summary(db *d, int64_t recipient, int64_t *requests,
                                  int64_t *notifications);

#endif
