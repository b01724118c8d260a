/*
 * feed_sources.c — the RSS and Atom feeds the company subscribes to, for listening (issue 16;
 * docs/api.md "Feeds"; the rules are app/feed_sources.h's):
 *
 *   GET    /api/v1/partyline/admin/feeds       every feed, oldest first, with its state
 *   POST   /api/v1/partyline/admin/feeds       {url, interval?} → the feed, due at once
 *   DELETE /api/v1/partyline/admin/feeds/:id   removes it and its items → {}
 *
 * Administrators only, the check made before the parameters are looked at.
 */
#include "api/handlers.h"
#include "app/feed_sources.h"

#define FEEDS_PATH "/api/v1/partyline/admin/feeds"

static void source_json(jw *w, const pl_feed_source *s)
{
    jw_obj(w);
    jw_kid(w, "id", s->id);
    jw_kstr(w, "url", s->url);
    jw_kstr(w, "title", s->title ? s->title : "");
    jw_kint(w, "interval", s->interval_s);
    jw_kstr(w, "state", s->state ? s->state : "new");
    if (s->last_error && *s->last_error)
        jw_kstr(w, "last_error", s->last_error);
    else
        jw_knull(w, "last_error");
    jw_kint(w, "failures", s->failures);
    jw_kint(w, "items", s->items);
    jw_ktime_or_null(w, "last_fetch_at", s->last_fetch_at);
    jw_ktime_or_null(w, "last_success_at", s->last_success_at);
    jw_ktime(w, "next_fetch_at", s->next_fetch_at);
    jw_kid(w, "created_by", s->created_by);
    jw_ktime(w, "created_at", s->created_at);
    jw_obj_end(w);
}

static bool admin_only(api_call *c)
{
    if (c->viewer && c->viewer->is_admin) return true;
    api_error(c, 403, "Only administrators may read or change the feeds");
    return false;
}

static void feeds_index(api_call *c)
{
    pl_feed_source *s;
    int n;
    if (!admin_only(c) || failed(c, feed_sources_list(c->app, c->viewer, &s, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) source_json(&w, &s[i]);
    jw_arr_end(&w);
}

static void feeds_create(api_call *c)
{
    int64_t interval = 0;
    if (!admin_only(c) || !p_whole(c, "interval", false, &interval)) return;
    const char *url = p_str(c, "url");
    if (!url || !*url) {
        api_error(c, 422, "Validation failed: url is missing");
        return;
    }
    pl_feed_source s;
    if (failed(c, feed_sources_add(c->app, c->viewer, url, interval, &s))) return;
    jw w;
    api_json(c, &w);
    source_json(&w, &s);
}

static void feeds_delete(api_call *c)
{
    if (!admin_only(c)) return;
    int64_t id = need_path_id(c);
    if (id && !failed(c, feed_sources_remove(c->app, c->viewer, id))) empty_object(c);
}

const api_route api_routes_feed_sources[] = {
    {M_GET, FEEDS_PATH, feeds_index, EXEC_READ, AUTH_USER, "admin:read"},
    {M_POST, FEEDS_PATH, feeds_create, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, FEEDS_PATH "/:id", feeds_delete, EXEC_WRITE, AUTH_USER, "admin:write"},
    {0},
};
