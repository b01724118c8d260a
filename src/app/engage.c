/*
 * engage.c — favourite, reblog, bookmark and their undo.
 *
 * Acting on a reblog acts on its original, as Mastodon does. Counts on the status change
 * in the same transaction as the act; notifications go to the author.
 */
#include "engage.h"

#include "app/feeds.h"
#include "app/notify.h"
#include "app/posts.h"
#include "store/accounts.h"
#include "store/engage.h"
#include "store/notify.h"
#include "store/posts.h"
#include "store/timeline.h"

/* The visible original behind status_id (a reblog resolves to what it reblogs). */
static int target(app_ctx *c, int64_t viewer, int64_t status_id, pl_status *s)
{
    int rc = posts_get(c, viewer, status_id, s);
    if (rc == PL_OK && s->reblog_of_id) rc = posts_get(c, viewer, s->reblog_of_id, s);
    return rc;
}

int engage_favourite(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    rc = store_favourite_insert(c->db, app_new_id(c), viewer, s.id);
    if (rc == PL_ECONFLICT) return PL_OK;
    if (!rc) rc = store_status_add_counts(c->db, s.id, 0, 0, 1);
    if (!rc) rc = notify_push(c, s.account_id, viewer, "favourite", s.id);
    return rc;
}

int engage_unfavourite(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    rc = store_favourite_delete(c->db, viewer, s.id);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (!rc) rc = store_status_add_counts(c->db, s.id, 0, 0, -1);
    if (!rc) rc = store_notification_delete_act(c->db, s.account_id, viewer, "favourite", s.id);
    return rc;
}

/* Whether s may be boosted: a public, unlisted or company post outside a private channel. A
 * boost of a company post stays in the company (boost_visibility): it goes to the booster's
 * followers, all of them people of the company who may read the post already, and the one
 * audience function still asks about the original for every reader. Followers-only, list and
 * direct posts, and a private channel's, are their audience's alone, as in Mastodon. */
static bool boostable(app_ctx *c, const pl_status *s)
{
    if (s->visibility != VIS_PUBLIC && s->visibility != VIS_UNLISTED &&
        s->visibility != VIS_COMPANY)
        return false;
    if (!s->channel_id) return true;
    const pl_channel *ch = app_channel(c, s->channel_id);
    return ch && !ch->is_private; /* fails closed */
}

/* The boost's own audience: what was asked (public when nothing or something no boost can
 * have was asked), never wider than the original's: a company post's boost is a company one
 * (or followers-only, when asked). */
static int boost_visibility(int asked, int original)
{
    if (asked != VIS_PUBLIC && asked != VIS_UNLISTED && asked != VIS_COMPANY &&
        asked != VIS_PRIVATE)
        asked = VIS_PUBLIC;
    if (original == VIS_COMPANY && (asked == VIS_PUBLIC || asked == VIS_UNLISTED))
        asked = VIS_COMPANY;
    return asked;
}

int engage_reblog(app_ctx *c, int64_t viewer, int64_t status_id, int visibility, int64_t *reblog_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    if (!boostable(c, &s)) return app_fail(c, PL_EFORBIDDEN, "This post cannot be boosted");
    if ((rc = store_status_reblog_by(c->db, s.id, viewer, reblog_id))) return rc;
    if (*reblog_id) return PL_OK;
    visibility = boost_visibility(visibility, s.visibility);
    pl_status rb = {
        .id = app_new_id(c),
        .account_id = viewer,
        .reblog_of_id = s.id,
        .visibility = visibility,
        .text = "",
        .content = "",
        .spoiler_text = "",
        .created_at = c->now,
    };
    const pl_account *me = app_account(c, viewer);
    rc = store_status_insert(c->db, &rb);
    if (!rc) rc = store_status_add_counts(c->db, s.id, 0, 1, 0);
    if (!rc) rc = store_account_add_counts(c->db, viewer, 0, 0, 1);
    if (!rc && me && !me->is_big)
        rc = feeds_fanout(c, me, &rb);
    else if (!rc)
        rc = store_timeline_insert(c->db, viewer, rb.id);
    if (!rc) rc = store_account_touch_status(c->db, viewer, c->now);
    if (!rc) rc = notify_push(c, s.account_id, viewer, "reblog", s.id);
    if (!rc) *reblog_id = rb.id;
    return rc;
}

int engage_unreblog(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    int64_t rb;
    if ((rc = store_status_reblog_by(c->db, s.id, viewer, &rb))) return rc;
    if (!rb) return PL_OK;
    rc = store_status_delete_queued(c->db, rb, feeds_rows_now(c), c->now);
    if (!rc) rc = store_status_add_counts(c->db, s.id, 0, -1, 0);
    if (!rc) rc = store_account_add_counts(c->db, viewer, 0, 0, -1);
    if (!rc) rc = store_notification_delete_act(c->db, s.account_id, viewer, "reblog", s.id);
    return rc;
}

int engage_bookmark(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    rc = store_bookmark_insert(c->db, app_new_id(c), viewer, s.id);
    return rc == PL_ECONFLICT ? PL_OK : rc;
}

int engage_unbookmark(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    rc = store_bookmark_delete(c->db, viewer, s.id);
    return rc == PL_ENOTFOUND ? PL_OK : rc;
}

int engage_favourited_by(app_ctx *c, int64_t status_id, const pl_page *p, pl_idlist *out)
{
    return store_favourited_by(c->db, status_id, p, c->a, out);
}

int engage_reblogged_by(app_ctx *c, int64_t status_id, const pl_page *p, pl_idlist *out)
{
    return store_reblogged_by(c->db, status_id, p, c->a, out);
}
