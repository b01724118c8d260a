/*
 * tags.c — the rules of hashtags one follows.
 *
 * A followed tag is one row (tag_follows); nothing is copied into feeds, so following or
 * unfollowing changes the home feed at once, back in time too (feeds.c merges the tags'
 * public posts on read, within max_followed_tags). A tag's history counts, per UTC day, the
 * public and unlisted posts that used it and their authors, read from the counts the store
 * keeps per tag and day (tag_days: seven rows at most; tags are not cached).
 */
#include "store/tags.h"
#include "tags.h"

#include <string.h>

static int history(app_ctx *c, const char *name, tags_view *out)
{
    int64_t today = c->now / 86400000;
    for (int i = 0; i < TAG_HISTORY_DAYS; i++) out->history[i] = (pl_tag_day){.day = today - i};
    int64_t since = id_floor_for_ms((today - TAG_HISTORY_DAYS + 1) * 86400000) - 1;
    pl_tag_day *days;
    int n;
    int rc = store_tag_history(c->db, name, since, c->a, &days, &n);
    if (rc) return rc;
    for (int k = 0; k < n; k++) {
        int64_t i = today - days[k].day;
        if (i >= 0 && i < TAG_HISTORY_DAYS) out->history[i] = days[k];
    }
    return PL_OK;
}

int tags_view_of(app_ctx *c, const char *name, bool following, tags_view *out)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    out->following = following;
    return history(c, name, out);
}

int tags_get(app_ctx *c, int64_t viewer, const char *name, tags_view *out)
{
    bool following = viewer && store_tag_followed(c->db, viewer, name);
    if (!following && !store_tag_used(c->db, name))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return tags_view_of(c, name, following, out);
}

int tags_follow(app_ctx *c, int64_t viewer, const char *name, tags_view *out)
{
    if (!store_tag_followed(c->db, viewer, name)) {
        int64_t have;
        int rc = store_tag_follows_count(c->db, viewer, &have);
        if (rc) return rc;
        if (have >= c->cfg->max_followed_tags)
            return app_fail(c, PL_ELIMIT, "You cannot follow more than %d hashtags",
                            c->cfg->max_followed_tags);
        if ((rc = store_tag_follow(c->db, app_new_id(c), viewer, name, c->now))) return rc;
    }
    return tags_view_of(c, name, true, out);
}

int tags_unfollow(app_ctx *c, int64_t viewer, const char *name, tags_view *out)
{
    int rc = store_tag_unfollow(c->db, viewer, name);
    if (rc) return rc;
    return tags_view_of(c, name, false, out);
}

int tags_followed(app_ctx *c, int64_t viewer, const pl_page *p, pl_tag_follow **out, int *n)
{
    return store_tag_follows_page(c->db, viewer, p, c->a, out, n);
}

bool tags_is_followed(app_ctx *c, int64_t viewer, const char *name)
{
    return viewer && store_tag_followed(c->db, viewer, name);
}
