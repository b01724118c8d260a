/*
 * lists.c — /api/v1/partyline/lists/:id/sources: a list's channels and hashtags (our
 * extension; docs/api.md#list-sources). Its people are Mastodon's /api/v1/lists/:id/accounts.
 * And /api/v1/partyline/lists/order: the order of one's lists, kept by the server so that
 * every device shows them alike (GET /api/v1/lists answers in it).
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/lists.h"

static void sources_response(api_call *c, int64_t id)
{
    pl_list_source *src;
    int n;
    if (failed(c, lists_sources(c->app, c->viewer->id, id, &src, &n))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_key(&w, "channels");
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        if (src[i].kind != LIST_SOURCE_CHANNEL) continue;
        const pl_account *a = app_account(c->app, strtoll(src[i].value, NULL, 10));
        if (!a) continue;
        jw_obj(&w);
        jw_kid(&w, "id", a->id);
        jw_kstr(&w, "name", a->username);
        jw_kstr(&w, "display_name",
                a->display_name && *a->display_name ? a->display_name : a->username);
        jw_kbool(&w, "private", a->is_locked);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "tags");
    jw_arr(&w);
    for (int i = 0; i < n; i++)
        if (src[i].kind == LIST_SOURCE_TAG) jw_str(&w, src[i].value);
    jw_arr_end(&w);
    jw_key(&w, "keywords");
    jw_arr(&w);
    for (int i = 0; i < n; i++)
        if (src[i].kind == LIST_SOURCE_KEYWORD) jw_str(&w, src[i].value);
    jw_arr_end(&w);
    jw_obj_end(&w);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (id) sources_response(c, id);
}

/* Strings of a parameter array into *out; false (and 422 sent) if one is not a string. */
static bool strings(api_call *c, json_t *arr, size_t n, const char *what, const char ***out)
{
    *out = arena_alloc(c->app->a, sizeof **out * (n + 1));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        if (!json_is_string(x)) {
            api_error(c, 422, arena_printf(c->app->a, "Validation failed: %s must be text", what));
            return false;
        }
        (*out)[i] = json_string_value(x);
    }
    return true;
}

/* channel_ids[], tags[] and keywords[]; false (and 422 sent) when malformed, empty or too
 * many. */
static bool read_sources(api_call *c, int64_t **channels, int *nc, const char ***tags, int *nt,
                         const char ***keywords, int *nk)
{
    json_t *ca = p_arr(c, "channel_ids"), *ta = p_arr(c, "tags"), *ka = p_arr(c, "keywords");
    size_t n1 = ca ? json_array_size(ca) : 0, n2 = ta ? json_array_size(ta) : 0;
    size_t n3 = ka ? json_array_size(ka) : 0;
    if (n1 + n2 + n3 == 0) {
        api_error(c, 422,
                  "Validation failed: name at least one of channel_ids[], tags[] and keywords[]");
        return false;
    }
    if ((int)(n1 + n2 + n3) > c->app->cfg->max_list_ids) {
        api_error(c, 422,
                  arena_printf(c->app->a, "Too many sources (the limit is %d per request)",
                               c->app->cfg->max_list_ids));
        return false;
    }
    *channels = arena_alloc(c->app->a, sizeof **channels * (n1 + 1));
    if (!strings(c, ta, n2, "tags[]", tags) || !strings(c, ka, n3, "keywords[]", keywords))
        return false;
    for (size_t i = 0; i < n1; i++) {
        int64_t v = json_id(json_array_get(ca, i));
        if (!v) {
            api_error(c, 422, "Validation failed: channel_ids[] must be ids");
            return false;
        }
        (*channels)[i] = v;
    }
    *nc = (int)n1;
    *nt = (int)n2;
    *nk = (int)n3;
    return true;
}

static void change(api_call *c)
{
    int64_t id = need_path_id(c);
    int64_t *channels;
    const char **tags, **keywords;
    int nc, nt, nk;
    if (!id || !read_sources(c, &channels, &nc, &tags, &nt, &keywords, &nk)) return;
    bool add = c->req->method == M_POST;
    if (failed(c, lists_sources_change(c->app, c->viewer->id, id, add, channels, nc,
                                       (const char *const *)tags, nt, (const char *const *)keywords,
                                       nk)))
        return;
    sources_response(c, id);
}

/* PUT {"ids": [...]}: every one of the caller's lists, in the order wanted. */
static void order(api_call *c)
{
    json_t *arr = p_arr(c, "ids");
    size_t n = arr ? json_array_size(arr) : 0;
    if ((int)n > c->app->cfg->max_lists) {
        api_error(c, 422,
                  arena_printf(c->app->a, "Validation failed: you have at most %d lists",
                               c->app->cfg->max_lists));
        return;
    }
    int64_t *ids = arena_alloc(c->app->a, sizeof *ids * (n + 1));
    for (size_t i = 0; i < n; i++) {
        int64_t v = json_id(json_array_get(arr, i));
        if (!v) {
            api_error(c, 422, "Validation failed: ids[] must be list ids");
            return;
        }
        ids[i] = v;
    }
    pl_list *v;
    int count;
    if (failed(c, lists_reorder(c->app, c->viewer->id, ids, (int)n, &v, &count))) return;
    lists_response(c, v, count);
}

const api_route api_routes_partyline_lists[] = {
    {M_PUT, "/api/v1/partyline/lists/order", order, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_GET, "/api/v1/partyline/lists/:id/sources", show, EXEC_READ, AUTH_USER, "read:lists"},
    {M_POST, "/api/v1/partyline/lists/:id/sources", change, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_DELETE, "/api/v1/partyline/lists/:id/sources", change, EXEC_WRITE, AUTH_USER, "write:lists"},
    {0},
};
