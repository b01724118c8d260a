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

int engage_reblog(app_ctx *c, int64_t viewer, int64_t status_id, int visibility, int64_t *reblog_id)
{
    pl_status s;
    int rc = target(c, viewer, status_id, &s);
    if (rc) return rc;
    if (s.visibility != VIS_PUBLIC && s.visibility != VIS_UNLISTED)
        return app_fail(c, PL_EFORBIDDEN, "This post cannot be boosted");
    if ((rc = store_status_reblog_by(c->db, s.id, viewer, reblog_id))) return rc;
    if (*reblog_id) return PL_OK;
    if (visibility < 0 || visibility > VIS_PRIVATE) visibility = VIS_PUBLIC;
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
