/*
 * featured_tags.c — hashtags featured on a profile: GET/POST /api/v1/featured_tags,
 * DELETE /api/v1/featured_tags/:id, GET /api/v1/featured_tags/suggestions and
 * GET /api/v1/accounts/:id/featured_tags (docs.joinmastodon.org/methods/featured_tags,
 * methods/accounts#featured_tags, entities/FeaturedTag). The rules, and what the counts
 * count, are app/featured_tags.h; this file writes the entities as Mastodon's server does
 * (statuses_count as a string, last_status_at a date).
 */
#include "api/handlers.h"
#include "app/featured_tags.h"
#include "app/tags.h"
#include "util/timeutil.h"

static void ent_featured_tag(api_call *c, jw *w, const pl_featured_tag *f)
{
    const pl_account *a = app_account(c->app, f->account_id);
    jw_obj(w);
    jw_kid(w, "id", f->id);
    jw_kstr(w, "name", f->name);
    jw_kcat(w, "url", c->app->cfg->base_url, "/@", a ? a->username : "", "/tagged/", f->tag, NULL);
    jw_kstr(w, "statuses_count", arena_printf(c->app->a, "%lld", (long long)f->statuses_count));
    jw_key(w, "last_status_at");
    if (f->last_status_at) {
        char t[32];
        time_iso8601(f->last_status_at, t, sizeof t);
        t[10] = '\0'; /* Mastodon gives the date only */
        jw_str(w, t);
    } else
        jw_null(w);
    jw_obj_end(w);
}

static void featured_list(api_call *c, int64_t account)
{
    pl_featured_tag *v;
    int n;
    if (failed(c, featured_tags_of(c->app, account, &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_featured_tag(c, &w, &v[i]);
    jw_arr_end(&w);
}

static void mine(api_call *c)
{
    featured_list(c, c->viewer->id);
}

static void of_account(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (id) featured_list(c, id);
}

static void create(api_call *c)
{
    pl_featured_tag f;
    if (failed(c, featured_tags_add(c->app, c->viewer->id, p_str(c, "name"), &f))) return;
    jw w;
    api_json(c, &w);
    ent_featured_tag(c, &w, &f);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, featured_tags_remove(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void suggestions(api_call *c)
{
    const char **names;
    int n;
    if (failed(c, featured_tags_suggestions(c->app, c->viewer->id, &names, &n))) return;
    tags_view *v = arena_alloc(c->app->a, sizeof *v * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        if (failed(c, tags_view_of(c->app, names[i],
                                   tags_is_followed(c->app, c->viewer->id, names[i]), &v[i])))
            return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_tag(c, &w, &v[i]);
    jw_arr_end(&w);
}

const api_route api_routes_featured_tags[] = {
    {M_GET, "/api/v1/featured_tags", mine, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_POST, "/api/v1/featured_tags", create, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_GET, "/api/v1/featured_tags/suggestions", suggestions, EXEC_READ, AUTH_USER,
     "read:accounts"},
    {M_DELETE, "/api/v1/featured_tags/:id", destroy, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_GET, "/api/v1/accounts/:id/featured_tags", of_account, EXEC_READ, AUTH_OPTIONAL, SCOPE_NONE},
    {0},
};
