/*
 * notify_policy.c — whom a person hears from (Mastodon 4.3's notification policy) and the
 * requests of those held back.
 *
 * The decision is made once, when the notification is written (app/notify.c): a dropped one
 * is never written, a filtered one is written aside (filtered = 1) where nothing lists,
 * counts or streams it until its request is accepted. A request is the filtered
 * notifications of one sender, so accepting merges them at once — there is no background
 * merge, and /requests/merged always answers true.
 */
#include "app/notify_policy.h"

#include <string.h>

#include "app/audience.h"
#include "store/graph.h"

const char *const notify_policy_keys[POLICY_N] = {
    "for_not_following",    "for_not_followers",    "for_new_accounts",
    "for_private_mentions", "for_limited_accounts",
};

/* The defaults (see notify_policy.h): a colleague is heard; "limited" accounts (a moderator's
 * act) are filtered, as Mastodon does. */
static const int defaults[POLICY_N] = {POLICY_ACCEPT, POLICY_ACCEPT, POLICY_ACCEPT, POLICY_ACCEPT,
                                       POLICY_FILTER};

enum {
    NEW_ACCOUNT_MS = 30LL * 24 * 3600 * 1000, /* "created in the past 30 days" */
    NEW_FOLLOWER_MS = 3LL * 24 * 3600 * 1000, /* a follower of fewer than 3 days counts as none */
};

static const char *const names[] = {"accept", "filter", "drop"};

const char *notify_policy_name(int action)
{
    return action >= 0 && action <= POLICY_DROP ? names[action] : "accept";
}

int notify_policy_parse(const char *name)
{
    for (int i = 0; name && i <= POLICY_DROP; i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

int notify_policy_get(app_ctx *c, int64_t viewer, int out[POLICY_N])
{
    int rc = store_notify_policy_get(c->db, viewer, out);
    if (rc == PL_ENOTFOUND) {
        memcpy(out, defaults, sizeof defaults);
        return PL_OK;
    }
    return rc;
}

int notify_policy_set(app_ctx *c, int64_t viewer, const int v[POLICY_N])
{
    for (int i = 0; i < POLICY_N; i++)
        if (v[i] < POLICY_ACCEPT || v[i] > POLICY_DROP)
            return app_fail(c, PL_EINVAL, "%s must be accept, filter or drop",
                            notify_policy_keys[i]);
    return store_notify_policy_set(c->db, viewer, v, c->now);
}

/* Types about the recipient's own acts or the service: never held back (Mastodon's
 * non-filterable types). */
static bool filterable(const char *type)
{
    return strcmp(type, "poll") && strcmp(type, "update") && strncmp(type, "admin.", 6);
}

int notify_policy_decide(app_ctx *c, int64_t recipient, int64_t sender, const char *type,
                         int64_t status_id, int *action)
{
    *action = POLICY_ACCEPT;
    if (!filterable(type)) return PL_OK;
    int v[POLICY_N];
    int rc = notify_policy_get(c, recipient, v);
    if (rc) return rc;
    bool asks = false; /* limited accounts do not exist yet: that slot asks nothing */
    for (int i = 0; i < POLICY_LIMITED_ACCOUNTS; i++) asks |= v[i] != POLICY_ACCEPT;
    if (!asks) return PL_OK; /* the common case costs one row read */
    notify_sender_facts f;
    if ((rc = store_notify_sender_facts(c->db, recipient, sender, &f))) return rc;
    if (f.accepted) return PL_OK;
    bool applies[POLICY_N] = {0};
    applies[POLICY_NOT_FOLLOWING] = !f.followed;
    applies[POLICY_NOT_FOLLOWERS] = !f.follows_since || c->now - f.follows_since < NEW_FOLLOWER_MS;
    const pl_account *from = app_account(c, sender);
    applies[POLICY_NEW_ACCOUNTS] = from && c->now - from->created_at < NEW_ACCOUNT_MS;
    if (!strcmp(type, "mention") && status_id && !f.followed) {
        /* a direct message, unless it answers one of the recipient's posts */
        const pl_status *s = app_status(c, status_id);
        applies[POLICY_PRIVATE_MENTIONS] =
            s && s->visibility == PL_VIS_DIRECT && s->in_reply_to_account_id != recipient;
    }
    for (int i = 0; i < POLICY_N; i++)
        if (applies[i] && v[i] > *action) *action = v[i];
    return PL_OK;
}

/* Fills what the viewer may see of a request: its last post only if they may see it. */
static void for_viewer(app_ctx *c, int64_t viewer, notify_request *r)
{
    const pl_status *s = r->last_status_id ? app_status(c, r->last_status_id) : NULL;
    if (!s || !audience_can_see(c, viewer, s)) r->last_status_id = 0;
}

int notify_requests_list(app_ctx *c, int64_t viewer, const pl_page *p, notify_request **out, int *n)
{
    int rc = store_notify_requests(c->db, viewer, p, c->a, out, n);
    if (rc) return rc;
    int k = 0;
    for (int i = 0; i < *n; i++) {
        notify_request *r = &(*out)[i];
        if (store_blocks(c->db, viewer, r->from_account_id)) continue;
        for_viewer(c, viewer, r);
        (*out)[k++] = *r;
    }
    *n = k;
    return PL_OK;
}

int notify_request_get(app_ctx *c, int64_t viewer, int64_t id, notify_request *out)
{
    int rc = store_notify_request_get(c->db, viewer, id, out);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (rc) return rc;
    for_viewer(c, viewer, out);
    return PL_OK;
}

int notify_request_accept(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = store_notify_request_merge(c->db, viewer, id);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (!rc) rc = store_notify_permission_add(c->db, viewer, id, c->now);
    return rc;
}

int notify_request_dismiss(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = store_notify_request_delete(c->db, viewer, id);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int notify_requests_summary(app_ctx *c, int64_t viewer, int64_t *requests, int64_t *notifications)
{
    return store_notify_requests_summary(c->db, viewer, requests, notifications);
}
