/*
 * audience.c — who may see a post (see audience.h for the rules).
 *
 * Cheap answers first: public posts need no query; private ones need one indexed lookup.
 */
#include "audience.h"

bool audience_can_see(app_ctx *c, int64_t viewer_id, const pl_status *s)
{
    if (viewer_id && viewer_id == s->account_id) return true;
    if (viewer_id && app_blocks(c, s->account_id, viewer_id)) return false;
    switch (s->visibility) {
    case VIS_PUBLIC:
    case VIS_UNLISTED:
        if (!viewer_id && !c->cfg->public_read) return false;
        break;
    case VIS_PRIVATE:
        if (!viewer_id) return false;
        if (!app_follows(c, viewer_id, s->account_id) &&
            !(s->mentions_count && store_status_mentions_account(c->db, s->id, viewer_id)))
            return false;
        break;
    case VIS_DIRECT:
        if (!viewer_id) return false;
        if (!(s->mentions_count && store_status_mentions_account(c->db, s->id, viewer_id)))
            return false;
        break;
    default: return false;
    }
    if (s->reblog_of_id) {
        const pl_status *orig = app_status(c, s->reblog_of_id);
        return orig && audience_can_see(c, viewer_id, orig);
    }
    return true;
}
