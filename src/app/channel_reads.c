/*
 * channel_reads.c — channel read markers and unread counts (the rules: channel_reads.h).
 *
 * The count is computed when asked, from the marker, over a window of at most
 * max_channel_unread + 1 posts (store_statuses_by_channel): the posts are then checked one by
 * one with the channel timeline's own rule, so the count never includes a post the timeline
 * would not show. Counting on write (a counter per member bumped by every post) was rejected:
 * it costs a write per member per post, and it could not honour mutes and filters, which
 * change after the post.
 */
#include "app/channel_reads.h"
#include "app/channels.h"
#include "app/feeds.h"
#include "store/channel_reads.h"
#include "store/channels.h"
#include "util/ids.h"

/* The channel, if the viewer may read it; 404 otherwise (as channels_timeline). */
static int readable(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_channel *ch = app_channel(c, id);
    if (!ch || !channels_readable(c, viewer, ch))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return PL_OK;
}

/* The newest id that could have been made by now. */
static int64_t now_id(app_ctx *c)
{
    return id_floor_for_ms(c->now + 1) - 1;
}

int channel_reads_unread(app_ctx *c, int64_t viewer, int64_t id, int64_t *count, bool *more,
                         int64_t *last_read_id)
{
    *count = 0;
    *more = false;
    *last_read_id = 0;
    int rc = readable(c, viewer, id);
    if (rc || (rc = store_channel_read_start(c->db, viewer, id, last_read_id))) return rc;
    if (!*last_read_id) {
        const pl_account *me = app_account(c, viewer);
        *last_read_id = me ? id_floor_for_ms(me->created_at) : now_id(c);
    }
    int cap = c->cfg->max_channel_unread;
    if (cap <= 0) return PL_OK;
    /* the oldest cap + 1 posts after the marker (min_id: oldest first), not more */
    pl_page p = {.min_id = *last_read_id > 0 ? *last_read_id : 1, .limit = cap + 1};
    pl_idlist got;
    if ((rc = store_statuses_by_channel(c->db, id, &p, c->a, &got))) return rc;
    app_prefetch_statuses(c, got.ids, got.n);
    for (int i = 0; i < got.n; i++) {
        const pl_status *s = app_status(c, got.ids[i]);
        if (s && s->account_id != viewer && feeds_channel_accepts(c, viewer, id, s)) (*count)++;
    }
    if (got.n > cap) {
        *more = true;
        if (*count > cap) *count = cap;
    }
    return PL_OK;
}

int channel_reads_mark(app_ctx *c, int64_t viewer, int64_t id, int64_t last_read_id)
{
    int rc = readable(c, viewer, id);
    if (rc) return rc;
    int64_t now = now_id(c);
    if (last_read_id <= 0 || last_read_id > now) last_read_id = now;
    return store_channel_read_set(c->db, viewer, id, last_read_id, c->now);
}
