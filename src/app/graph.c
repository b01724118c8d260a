/*
 * graph.c — follows, blocks and mutes, and what they do to feeds and counts.
 *
 * A follow copies the target's recent posts into the follower's home feed (so a new
 * follow shows something at once), unless the target is "big" (merged on read). When an
 * account's followers pass the fan-out threshold it becomes big and its posts stop being
 * copied into feeds; the home feed merges them on read instead. Unfollowing (and so
 * blocking, which ends follows both ways) also takes the account out of the unfollower's lists.
 * Unfollowing a channel is leaving it: channels_leaving() says whether one may and drops the
 * role, whichever door (leave, unfollow, block, removal) was used.
 */
#include "graph.h"

#include "app/audit.h"
#include "app/channels.h"
#include "app/lists.h"
#include "app/notify.h"
#include "store/accounts.h"
#include "store/channels.h"
#include "store/graph.h"
#include "store/timeline.h"

enum { BACKFILL = 40 };

/* The audit row of a follow that changes who sees what: joining or leaving a channel (its
 * membership), following a locked account (its followers-only posts), the requests to. */
static int audit_follow(app_ctx *c, const char *action, int64_t actor, int64_t follower,
                        const pl_account *t)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .actor_id = actor,
                                          .target_kind = t->is_group ? "channel" : "account",
                                          .target_id = t->id,
                                          .detail = {AUDIT_ID("account_id", follower)}});
}

static int target_exists(app_ctx *c, int64_t target)
{
    if (!app_account(c, target)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return PL_OK;
}

/* Makes the follow itself: the row, counts, backfill, bigness and the "follow" notification
 * (for a channel, a notification would go to nobody: members are not told). */
static int make_follow(app_ctx *c, int64_t viewer, const pl_account *t, bool reblogs, bool notify)
{
    int64_t target = t->id;
    int rc = store_follow_insert(c->db, app_new_id(c), viewer, target, reblogs, notify, c->now);
    if (!rc) rc = store_account_add_counts(c->db, viewer, 0, 1, 0);
    if (!rc) rc = store_account_add_counts(c->db, target, 1, 0, 0);
    if (!rc && !t->is_big) rc = store_timeline_backfill(c->db, viewer, target, BACKFILL);
    if (!rc && !t->is_big && !t->is_group && t->followers_count + 1 > c->cfg->fanout_threshold &&
        c->cfg->fanout_threshold > 0)
        rc = store_account_set_big(c->db, target, true);
    if (!rc && !t->is_group) rc = notify_push(c, target, viewer, "follow", 0);
    return rc;
}

/* graph_follow, and with skip_lock a locked account's approval taken as given. */
static int follow(app_ctx *c, int64_t viewer, int64_t target, int reblogs, int notify,
                  bool skip_lock)
{
    int rc = target_exists(c, target);
    if (rc) return rc;
    if (viewer == target) return app_fail(c, PL_EINVAL, "You cannot follow yourself");
    if (store_blocks(c->db, target, viewer) || store_blocks(c->db, viewer, target))
        return app_fail(c, PL_EFORBIDDEN, "You cannot follow this account");
    if (store_follows(c->db, viewer, target)) {
        if (reblogs < 0 && notify < 0) return PL_OK;
        pl_relationship r;
        if ((rc = store_relationship(c->db, viewer, target, &r))) return rc;
        return store_follow_update(c->db, viewer, target, reblogs < 0 ? r.showing_reblogs : reblogs,
                                   notify < 0 ? r.notifying : notify);
    }
    const pl_account *t = app_account(c, target); /* as it was before this follow */
    if (t->is_locked && !skip_lock) {
        /* a locked account (or a private channel) decides: the follow waits as a request */
        if (store_follow_requested(c->db, viewer, target)) return PL_OK;
        rc = store_follow_request_insert(c->db, app_new_id(c), viewer, target, reblogs != 0,
                                         notify > 0, c->now);
        if (!rc)
            rc = audit_follow(c, t->is_group ? "channel.request" : "follow.request", viewer, viewer,
                              t);
        if (!rc)
            rc = t->is_group ? channels_request_made(c, viewer, target)
                             : notify_push(c, target, viewer, "follow_request", 0);
        return rc;
    }
    rc = make_follow(c, viewer, t, reblogs != 0, notify > 0);
    if (!rc && (t->is_group || t->is_locked))
        rc = audit_follow(c, t->is_group ? "channel.join" : "follow.create", viewer, viewer, t);
    return rc;
}

int graph_follow(app_ctx *c, int64_t viewer, int64_t target, int reblogs, int notify)
{
    return follow(c, viewer, target, reblogs, notify, false);
}

int graph_follow_approved(app_ctx *c, int64_t viewer, int64_t target)
{
    int rc = follow(c, viewer, target, -1, -1, true);
    /* a request made before is answered by this follow */
    if (!rc && store_follow_requested(c->db, viewer, target))
        rc = store_follow_request_delete(c->db, viewer, target);
    return rc;
}

int graph_authorize(app_ctx *c, int64_t target, int64_t requester)
{
    bool reblogs, notify;
    int rc = store_follow_request_get(c->db, requester, target, &reblogs, &notify);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (!rc) rc = store_follow_request_delete(c->db, requester, target);
    if (rc) return rc;
    if (store_follows(c->db, requester, target)) return PL_OK;
    const pl_account *t = app_account(c, target);
    if (!t) return app_fail(c, PL_ENOTFOUND, "Record not found");
    rc = make_follow(c, requester, t, reblogs, notify);
    if (!rc)
        rc = audit_follow(c, t->is_group ? "channel.request_accept" : "follow.request_accept",
                          c->viewer_id ? c->viewer_id : target, requester, t);
    /* a channel's moderators let the requester in: they are told (a person who accepts knows) */
    if (!rc && t->is_group) rc = channels_request_approved(c, requester, target);
    return rc;
}

int graph_reject(app_ctx *c, int64_t target, int64_t requester)
{
    int rc = store_follow_request_delete(c->db, requester, target);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    const pl_account *t = app_account(c, target);
    if (rc || !t) return rc;
    return audit_follow(c, t->is_group ? "channel.request_reject" : "follow.request_reject",
                        c->viewer_id ? c->viewer_id : target, requester, t);
}

int graph_authorize_all(app_ctx *c, int64_t target)
{
    for (;;) {
        pl_idlist l;
        pl_page p = {.limit = 100};
        int rc = store_follow_requests(c->db, target, &p, c->a, &l);
        if (rc) return rc;
        for (int i = 0; i < l.n; i++)
            if ((rc = graph_authorize(c, target, l.ids[i]))) return rc;
        if (l.n < p.limit) return PL_OK;
    }
}

int graph_follow_requests(app_ctx *c, int64_t target, const pl_page *p, pl_idlist *out)
{
    return store_follow_requests(c->db, target, p, c->a, out);
}

int64_t graph_follow_requests_count(app_ctx *c, int64_t target)
{
    int64_t n = 0;
    return store_follow_requests_count(c->db, target, &n) == PL_OK ? n : 0;
}

int graph_unfollow(app_ctx *c, int64_t viewer, int64_t target)
{
    int rc = target_exists(c, target);
    if (rc || (rc = channels_leaving(c, viewer, target))) return rc;
    rc = store_follow_delete(c->db, viewer, target);
    if (rc == PL_ENOTFOUND) {
        /* unfollowing while the request waits withdraws the request */
        rc = store_follow_request_delete(c->db, viewer, target);
        return rc == PL_ENOTFOUND ? PL_OK : rc;
    }
    if (!rc) rc = store_account_add_counts(c->db, viewer, 0, -1, 0);
    if (!rc) rc = store_account_add_counts(c->db, target, -1, 0, 0);
    if (!rc) rc = store_timeline_remove_author(c->db, viewer, target);
    /* a list holds only followed accounts (as Mastodon: unfollowing takes them out) */
    if (!rc) rc = lists_forget_account(c, viewer, target);
    /* one's own leaving; a removal or a block by the other side records its own act */
    const pl_account *t = app_account(c, target);
    if (!rc && t && (t->is_group || t->is_locked) && (!c->viewer_id || c->viewer_id == viewer))
        rc = audit_follow(c, t->is_group ? "channel.leave" : "follow.delete", viewer, viewer, t);
    return rc;
}

int graph_block(app_ctx *c, int64_t viewer, int64_t target)
{
    int rc = target_exists(c, target);
    if (rc) return rc;
    if (viewer == target) return app_fail(c, PL_EINVAL, "You cannot block yourself");
    if ((rc = graph_unfollow(c, viewer, target))) return rc;
    if ((rc = graph_unfollow(c, target, viewer))) return rc;
    if ((rc = store_timeline_remove_author(c->db, target, viewer))) return rc;
    return store_block_insert(c->db, app_new_id(c), viewer, target);
}

int graph_unblock(app_ctx *c, int64_t viewer, int64_t target)
{
    int rc = target_exists(c, target);
    if (rc) return rc;
    rc = store_block_delete(c->db, viewer, target);
    return rc == PL_ENOTFOUND ? PL_OK : rc;
}

int graph_mute(app_ctx *c, int64_t viewer, int64_t target, bool notifications, int64_t duration_s)
{
    int rc = target_exists(c, target);
    if (rc) return rc;
    if (viewer == target) return app_fail(c, PL_EINVAL, "You cannot mute yourself");
    /* checked before any arithmetic: now + duration in milliseconds must not overflow */
    if (duration_s < 0) return app_fail(c, PL_EINVAL, "Duration must not be negative");
    if (duration_s > c->cfg->max_mute_duration)
        return app_fail(c, PL_EINVAL,
                        arena_printf(c->a,
                                     "Duration must be at most %d seconds (max_mute_duration); "
                                     "0 mutes until unmuted",
                                     c->cfg->max_mute_duration));
    return store_mute_insert(c->db, app_new_id(c), viewer, target, notifications,
                             duration_s ? c->now + duration_s * 1000 : 0);
}

int graph_unmute(app_ctx *c, int64_t viewer, int64_t target)
{
    int rc = target_exists(c, target);
    if (rc) return rc;
    rc = store_mute_delete(c->db, viewer, target);
    return rc == PL_ENOTFOUND ? PL_OK : rc;
}

int graph_relationship(app_ctx *c, int64_t viewer, int64_t target, pl_relationship *out)
{
    int rc = store_relationship(c->db, viewer, target, out);
    if (rc) return rc;
    bool hide = false;
    out->muting = store_mutes(c->db, viewer, target, c->now, &hide);
    out->muting_notifications = out->muting && hide;
    return PL_OK;
}

int graph_followers(app_ctx *c, int64_t account, const pl_page *p, pl_idlist *out)
{
    return store_followers(c->db, account, p, c->a, out);
}

int graph_following(app_ctx *c, int64_t viewer, int64_t account, const pl_page *p, pl_idlist *out)
{
    const pl_account *v = viewer ? app_account(c, viewer) : NULL;
    if (viewer == account || (v && v->is_admin)) /* one's own; administrators are in them all */
        return store_following(c->db, account, p, c->a, out);
    return store_following_seen_by(c->db, account, viewer, p, c->a, out);
}

int graph_blocks(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return store_blocks_list(c->db, viewer, p, c->a, out);
}

int graph_mutes(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return store_mutes_list(c->db, viewer, p, c->a, out);
}
