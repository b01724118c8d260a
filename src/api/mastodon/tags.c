/*
 * tags.c — /api/v1/tags/:name (with /follow, /unfollow) and /api/v1/followed_tags.
 * docs.joinmastodon.org/methods/tags, /methods/followed_tags, /entities/Tag
 *
 * Tags have no table, so a Tag's "id" is its normalized name. Featuring tags on a profile is
 * /api/v1/featured_tags (featured_tags.c); Mastodon 4.4's /feature, /unfeature are not served.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/tags.h"
#include "util/text.h"

void ent_tag(api_call *c, jw *w, const tags_view *t)
{
    const char *base = c->app->cfg->base_url;
    jw_obj(w);
    jw_kstr(w, "id", t->name);
    jw_kstr(w, "name", t->name);
    jw_kcat(w, "url", base, "/tags/", t->name, NULL);
    jw_key(w, "history");
    jw_arr(w);
    for (int i = 0; i < TAG_HISTORY_DAYS; i++) {
        const pl_tag_day *d = &t->history[i];
        jw_obj(w);
        jw_kstr(w, "day", arena_printf(c->app->a, "%lld", (long long)d->day * 86400));
        jw_kstr(w, "uses", arena_printf(c->app->a, "%lld", (long long)d->uses));
        jw_kstr(w, "accounts", arena_printf(c->app->a, "%lld", (long long)d->accounts));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (c->viewer) jw_kbool(w, "following", t->following);
    jw_obj_end(w);
}

/* The normalized tag of path parameter 0 into name, or 404 sent and false. */
static bool tag_name(api_call *c, char *name, size_t cap)
{
    const char *raw = c->req->params[0];
    if (text_tag_normalize(raw, strlen(raw), name, cap) > 0) return true;
    api_error(c, 404, "Record not found");
    return false;
}

static void tag_response(api_call *c, const tags_view *t)
{
    jw w;
    api_json(c, &w);
    ent_tag(c, &w, t);
}

static void show(api_call *c)
{
    if (!may_read(c)) return;
    char name[128];
    if (!tag_name(c, name, sizeof name)) return;
    tags_view t;
    if (failed(c, tags_get(c->app, viewer_id(c), name, &t))) return;
    tag_response(c, &t);
}

static void follow(api_call *c)
{
    char name[128];
    if (!tag_name(c, name, sizeof name)) return;
    tags_view t;
    if (failed(c, tags_follow(c->app, c->viewer->id, name, &t))) return;
    tag_response(c, &t);
}

static void unfollow(api_call *c)
{
    char name[128];
    if (!tag_name(c, name, sizeof name)) return;
    tags_view t;
    if (failed(c, tags_unfollow(c->app, c->viewer->id, name, &t))) return;
    tag_response(c, &t);
}

static void followed(api_call *c)
{
    pl_page p;
    api_page(c, &p, 100, 200);
    pl_tag_follow *v;
    int n;
    if (failed(c, tags_followed(c->app, c->viewer->id, &p, &v, &n))) return;
    pl_idlist l = {.n = n};
    l.ids = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    l.keys = l.ids;
    for (int i = 0; i < n; i++) l.ids[i] = v[i].id;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        tags_view t;
        if (failed(c, tags_view_of(c->app, v[i].tag, true, &t))) return;
        ent_tag(c, &w, &t);
    }
    jw_arr_end(&w);
}

const api_route api_routes_tags[] = {
    /* a tag's week of uses is read on a worker, so it never stalls an event loop (28 ms at the
     * median for the most used tag on 10k people / 1M posts, growing with its uses) */
    {M_GET, "/api/v1/tags/:name", show, EXEC_SLOW, AUTH_OPTIONAL, SCOPE_NONE},
    {M_POST, "/api/v1/tags/:name/follow", follow, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_POST, "/api/v1/tags/:name/unfollow", unfollow, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_GET, "/api/v1/followed_tags", followed, EXEC_READ, AUTH_USER, "read:follows"},
    {0},
};
