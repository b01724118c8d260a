/**
 * notify_policy.h — the notification policy (Mastodon 4.3): for five kinds of sender, whether
 * a person's notifications from them are accepted, filtered (kept aside as a "request" they
 * may accept or dismiss) or dropped; and the requests.
 *
 * At work the defaults accept everything a colleague does (PRODUCT.md: everyone here is a
 * verified colleague; a direct message from one you do not follow is work, not spam): only
 * accounts a moderator limited are filtered, as in Mastodon. Types about one's own acts
 * (poll, update) are never held back.
 */
#ifndef PL_NOTIFY_POLICY_H
#define PL_NOTIFY_POLICY_H

#include "app/app.h"
#include "store/notify_policy.h"

/** What a policy does with a sender's notifications. */
enum { POLICY_ACCEPT = 0, POLICY_FILTER = 1, POLICY_DROP = 2 };

/** The API's names of the five senders, in POLICY_* order ("for_not_following" …). */
extern const char *const notify_policy_keys[POLICY_N];

/** "accept", "filter", "drop"; and back (-1 for anything else). */
const char *notify_policy_name(int action);
int notify_policy_parse(const char *name);

/** The viewer's policy (the defaults until they set one). */
int notify_policy_get(app_ctx *c, int64_t viewer, int out[POLICY_N]);
/** Sets it (each value POLICY_*; PL_EINVAL otherwise). */
int notify_policy_set(app_ctx *c, int64_t viewer, const int v[POLICY_N]);

/**
 * What recipient's policy does with a notification of type from sender about status_id (0:
 * none): POLICY_ACCEPT, _FILTER or _DROP in *action. A sender whose request the recipient
 * accepted is always accepted; drop outweighs filter.
 */
int notify_policy_decide(app_ctx *c, int64_t recipient, int64_t sender, const char *type,
                         int64_t status_id, int *action);

/** A request as the viewer sees it: last_status_id is 0 unless they may see that post. */
typedef pl_notify_request notify_request;

/** The viewer's requests, most recently active first (senders they block are left out). */
int notify_requests_list(app_ctx *c, int64_t viewer, const pl_page *p, notify_request **out,
                         int *n);
/** The request of sender id; PL_ENOTFOUND ("Record not found") if there is none. */
int notify_request_get(app_ctx *c, int64_t viewer, int64_t id, notify_request *out);
/** Accepts it: its notifications join the list, the sender's future ones are accepted. */
int notify_request_accept(app_ctx *c, int64_t viewer, int64_t id);
/** Dismisses it: its notifications are deleted (the sender's next ones make a new one). */
int notify_request_dismiss(app_ctx *c, int64_t viewer, int64_t id);
/** How many requests wait and how many notifications they hold (each capped at 100). */
int notify_requests_summary(app_ctx *c, int64_t viewer, int64_t *requests, int64_t *notifications);

#endif
