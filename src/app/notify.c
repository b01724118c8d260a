/*
 * notify.c — notifications and markers.
 *
 * A notification is written with the act that causes it, in the same transaction, so it
 * can never point at something that did not happen. Reading filters through the audience
 * function: a notification about a post you can no longer see is not shown.
 */
#include "notify.h"

#include <string.h>

#include "app/audience.h"
#include "app/filters.h"
#include "app/notify_policy.h"
#include "app/thread_mutes.h"
#include "store/graph.h"
#include "store/notify.h"
#include "store/posts.h"

/* Has the recipient muted the conversation the notification is about (app/thread_mutes.h)?
 * PL_OK with the answer, or the database's error. */
static int thread_muted(app_ctx *c, int64_t account_id, int64_t status_id, bool *muted)
{
    *muted = false;
    const pl_status *s = status_id ? app_status(c, status_id) : NULL;
    return s ? thread_mutes_ask(c, account_id, s, muted) : PL_OK;
}

/* notify_push's rules, for a notification about a post (status_id) or a channel. */
static int push(app_ctx *c, int64_t account_id, int64_t from_id, const char *type,
                int64_t status_id, int64_t channel_id, int64_t report_id)
{
    if (account_id == from_id) return PL_OK;
    if (store_blocks(c->db, account_id, from_id)) return PL_OK;
    /* a silenced person notifies only their followers; a suspended one nobody */
    if (!app_reaches(c, account_id, from_id)) return PL_OK;
    bool hide = false;
    if (store_mutes(c->db, account_id, from_id, c->now, &hide) && hide) return PL_OK;
    bool muted;
    int rc = thread_muted(c, account_id, status_id, &muted);
    if (rc || muted) return rc;
    int action;
    if ((rc = notify_policy_decide(c, account_id, from_id, type, status_id, &action))) return rc;
    if (action == POLICY_DROP) return PL_OK;
    pl_notification n = {
        .id = app_new_id(c),
        .account_id = account_id,
        .from_account_id = from_id,
        .type = type,
        .status_id = status_id,
        .created_at = c->now,
        .filtered = action == POLICY_FILTER,
        .channel_id = channel_id,
        .report_id = report_id,
    };
    return store_notification_insert(c->db, &n);
}

int notify_push(app_ctx *c, int64_t account_id, int64_t from_id, const char *type,
                int64_t status_id)
{
    return push(c, account_id, from_id, type, status_id, 0, 0);
}

int notify_channel(app_ctx *c, int64_t account_id, int64_t from_id, const char *type,
                   int64_t channel_id)
{
    return push(c, account_id, from_id, type, 0, channel_id, 0);
}

int notify_report(app_ctx *c, int64_t account_id, int64_t from_id, int64_t report_id)
{
    return push(c, account_id, from_id, NOTIFY_REPORT, 0, 0, report_id);
}

int notify_alert(app_ctx *c, int64_t account_id, int64_t alert_id)
{
    pl_notification n = {
        .id = app_new_id(c),
        .account_id = account_id,
        .from_account_id = account_id,
        .type = NOTIFY_ALERT,
        .created_at = c->now,
        .alert_id = alert_id,
    };
    return store_notification_insert(c->db, &n);
}

int notify_poll_ended(app_ctx *c, const pl_status *s, const int64_t *voters, int n)
{
    bool muted;
    int rc = thread_mutes_ask(c, s->account_id, s, &muted);
    if (rc) return rc;
    pl_notification own = {
        .id = app_new_id(c),
        .account_id = s->account_id,
        .from_account_id = s->account_id,
        .type = "poll",
        .status_id = s->id,
        .created_at = c->now,
    };
    if (!muted) rc = store_notification_insert(c->db, &own);
    for (int i = 0; i < n && !rc; i++)
        if (voters[i] != s->account_id && audience_can_see(c, voters[i], s))
            rc = notify_push(c, voters[i], s->account_id, "poll", s->id);
    return rc;
}

static bool still_visible(app_ctx *c, int64_t viewer, const pl_notification *n)
{
    if (!n->status_id) return true;
    pl_status s;
    if (store_status_get(c->db, n->status_id, c->a, &s) != PL_OK) return false;
    return audience_can_see(c, viewer, &s);
}

/* A notification whose post a "hide" filter of the notifications context matches. */
static bool filtered_out(app_ctx *c, int64_t viewer, const pl_notification *n)
{
    if (!n->status_id) return false;
    const pl_status *s = app_status(c, n->status_id);
    return s && filters_hide(c, viewer, s, FILTER_NOTIFICATIONS);
}

int notify_list(app_ctx *c, int64_t viewer, int64_t from_id, const char *const *types,
                const char *const *exclude, bool include_filtered, const pl_page *p,
                pl_notification **out, int *n)
{
    int rc = store_notifications(c->db, viewer, from_id, types, exclude, include_filtered, p, c->a,
                                 out, n);
    if (rc) return rc;
    c->filter_context = FILTER_NOTIFICATIONS;
    int k = 0;
    for (int i = 0; i < *n; i++)
        if (still_visible(c, viewer, &(*out)[i]) && !filtered_out(c, viewer, &(*out)[i]))
            (*out)[k++] = (*out)[i];
    *n = k;
    return PL_OK;
}

int notify_get(app_ctx *c, int64_t viewer, int64_t id, pl_notification *out)
{
    int rc = store_notification_get(c->db, viewer, id, c->a, out);
    c->filter_context = FILTER_NOTIFICATIONS;
    if (rc == PL_ENOTFOUND || (rc == PL_OK && !still_visible(c, viewer, out)))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int notify_dismiss(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = store_notification_dismiss(c->db, viewer, id);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int notify_clear(app_ctx *c, int64_t viewer)
{
    return store_notifications_clear(c->db, viewer);
}

static bool valid_timeline(const char *t)
{
    return t && (!strcmp(t, "home") || !strcmp(t, "notifications"));
}

int markers_get(app_ctx *c, int64_t viewer, const char *timeline, pl_marker *out)
{
    if (!valid_timeline(timeline)) return PL_ENOTFOUND;
    return store_marker_get(c->db, viewer, timeline, c->a, out);
}

int markers_set(app_ctx *c, int64_t viewer, const char *timeline, int64_t last_read_id)
{
    if (!valid_timeline(timeline))
        return app_fail(c, PL_EINVAL, "Timeline must be home or notifications");
    return store_marker_set(c->db, viewer, timeline, last_read_id, c->now);
}

int notify_unread_count(app_ctx *c, int64_t viewer, bool except_direct, int64_t *n)
{
    pl_marker m;
    int rc = store_marker_get(c->db, viewer, "notifications", c->a, &m);
    if (rc && rc != PL_ENOTFOUND) return rc;
    int64_t after = rc == PL_ENOTFOUND ? 0 : m.last_read_id;
    int cap = c->cfg->max_unread_count;
    /* counted as notify_list shows them: one about a post the viewer may no longer see
     * does not count; reading past the cap is what keeps a neglected account cheap. Leaving
     * direct posts out reads up to four times the cap, so that a flood of direct messages
     * (counted as conversations) still leaves room for the rest, and the read stays bounded */
    int64_t *status_ids;
    int rows;
    int read = except_direct ? cap * 4 : cap;
    if ((rc = store_notifications_after(c->db, viewer, after, read, c->a, &status_ids, &rows)))
        return rc;
    int64_t *posts = arena_alloc(c->a, sizeof *posts * (size_t)(rows + 1));
    int np = 0;
    for (int i = 0; i < rows; i++)
        if (status_ids[i]) posts[np++] = status_ids[i];
    app_prefetch_statuses(c, posts, np); /* in batches, instead of one query each */
    *n = 0;
    for (int i = 0; i < rows && *n < cap; i++) {
        const pl_status *s = status_ids[i] ? app_status(c, status_ids[i]) : NULL;
        if (s && except_direct && s->visibility == VIS_DIRECT) continue;
        if (!status_ids[i] || (s && audience_can_see(c, viewer, s))) (*n)++;
    }
    return PL_OK;
}
