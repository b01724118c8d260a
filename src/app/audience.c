/*
 * audience.c — who may see a post (see audience.h for the rules).
 *
 * Cheap answers first: public posts need no query; private ones need one indexed lookup.
 * Every helper asked here fails closed (audience.h): a false from them may mean "could not
 * tell", which is why each is asked only about what would open a post, and the one that
 * closes it (a block) answers true when it cannot tell.
 */
#include "audience.h"
#include "app/tickets.h"
#include "store/lists.h"
#include "store/posts.h"

/* is_mentioned: already known to mention the viewer (a deletion's record, whose mention rows
 * are gone); otherwise the database is asked. */
static bool mentioned(app_ctx *c, int64_t viewer_id, const pl_status *s, bool is_mentioned)
{
    return is_mentioned ||
           (s->mentions_count && store_status_mentions_account(c->db, s->id, viewer_id));
}

/* The channel's gate, before the post's own visibility: a removed post is its author's and
 * the moderators'; a private channel's posts are its members'. */
static bool channel_allows(app_ctx *c, int64_t viewer_id, const pl_status *s)
{
    const pl_channel *ch = app_channel(c, s->channel_id);
    if (!ch) return false;
    if (s->channel_removed)
        return viewer_id && app_channel_role(c, ch, viewer_id) >= ROLE_MODERATOR;
    if (ch->is_private) return app_channel_member(c, ch, viewer_id);
    return true;
}

static bool can_see(app_ctx *c, int64_t viewer_id, const pl_status *s, bool is_mentioned)
{
    if (viewer_id && viewer_id == s->account_id) return true;
    if (viewer_id && app_blocks(c, s->account_id, viewer_id)) return false;
    if (s->channel_id && !channel_allows(c, viewer_id, s)) return false;
    switch (s->visibility) {
    case VIS_PUBLIC:
    case VIS_UNLISTED:
        if (!viewer_id && !c->cfg->public_read) return false;
        break;
    case VIS_COMPANY:
        if (!viewer_id) return false;
        break;
    case VIS_PRIVATE:
        if (!viewer_id) return false;
        if (!app_follows(c, viewer_id, s->account_id) && !mentioned(c, viewer_id, s, is_mentioned))
            return false;
        break;
    case VIS_LIST:
        if (!viewer_id) return false;
        if (!(s->audience_list_id &&
              store_list_has_member(c->db, s->audience_list_id, viewer_id)) &&
            !mentioned(c, viewer_id, s, is_mentioned))
            return false;
        break;
    case VIS_DIRECT:
        if (!viewer_id || !mentioned(c, viewer_id, s, is_mentioned)) return false;
        break;
    case VIS_TICKET:   /* the requester and the service team; a mention opens nothing */
    case VIS_INTERNAL: /* the service team */
        if (!viewer_id || !tickets_audience_allows(c, viewer_id, s)) return false;
        break;
    default: return false;
    }
    if (s->reblog_of_id) {
        const pl_status *orig = app_status(c, s->reblog_of_id);
        return orig && audience_can_see(c, viewer_id, orig);
    }
    return true;
}

bool audience_can_see(app_ctx *c, int64_t viewer_id, const pl_status *s)
{
    return can_see(c, viewer_id, s, false);
}

bool audience_can_see_mentioned(app_ctx *c, int64_t viewer_id, const pl_status *s)
{
    return viewer_id && can_see(c, viewer_id, s, true);
}
