/*
 * filters.c — /api/v2/filters/… (filters, their keywords and statuses).
 * docs.joinmastodon.org/methods/filters, /entities/Filter, FilterKeyword, FilterStatus
 *
 * Parameters come as JSON or as forms in Rails' notation (keywords_attributes[][keyword]);
 * params.c makes both one JSON object. The deprecated v1 API is filters_v1.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "app/filters.h"

/* A boolean given as JSON or form text; def if absent or null; -2 if malformed. */
static int json_flag(json_t *v, int def)
{
    if (!v || json_is_null(v)) return def;
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    const char *s = json_string_value(v);
    if (!s) return -2;
    if (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "on")) return 1;
    if (!strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "off") || !*s) return 0;
    return -2;
}

/* context[] as bits: -1 if absent, 0 if empty; false (and 422 sent) if a name is unknown. */
static bool read_context(api_call *c, int *bits)
{
    json_t *arr = p_arr(c, "context");
    *bits = arr ? 0 : -1;
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        const char *name = json_string_value(x);
        int bit = name ? filter_context_parse(name) : -1;
        if (bit < 0) {
            api_error(c, 422,
                      arena_printf(c->app->a,
                                   "Validation failed: Context '%.40s' is not one of home, "
                                   "notifications, public, thread, account",
                                   name ? name : "?"));
            return false;
        }
        *bits |= bit;
    }
    return true;
}

/* keywords_attributes[] into ch; false (and an error sent) if malformed. */
static bool read_keywords(api_call *c, filters_change *ch)
{
    json_t *arr = p_arr(c, "keywords_attributes");
    size_t n = arr ? json_array_size(arr) : 0;
    if (n > (size_t)c->app->cfg->max_filter_keywords * 2 + 16) {
        api_error(c, 422,
                  arena_printf(c->app->a, "A filter cannot have more than %d keywords",
                               c->app->cfg->max_filter_keywords));
        return false;
    }
    filters_keyword_change *v = arena_alloc(c->app->a, sizeof *v * (n + 1));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            api_error(c, 422, "Validation failed: keywords_attributes[] must hold objects");
            return false;
        }
        json_t *id = json_object_get(o, "id");
        json_t *destroy = json_object_get(o, "_destroy");
        if (!destroy) destroy = json_object_get(o, "destroy");
        json_t *kw = json_object_get(o, "keyword");
        v[i] = (filters_keyword_change){
            .id = id && !json_is_null(id) ? json_id(id) : 0,
            .keyword = json_is_string(kw) ? json_string_value(kw) : NULL,
            .whole_word = json_flag(json_object_get(o, "whole_word"), -1),
            .destroy = json_flag(destroy, 0) == 1,
        };
        if (id && !json_is_null(id) && !v[i].id) {
            api_error(c, 404, "Record not found");
            return false;
        }
        if (v[i].whole_word == -2 || json_flag(destroy, 0) == -2) {
            api_error(c, 422, "Validation failed: whole_word and _destroy must be booleans");
            return false;
        }
    }
    ch->keywords = v;
    ch->n_keywords = (int)n;
    return true;
}

/* title, context[], filter_action, expires_in, keywords_attributes[]; false (and an error
 * sent) if malformed. */
static bool read_change(api_call *c, filters_change *ch)
{
    *ch = (filters_change){.title = p_str(c, "title"), .action = -1};
    if (!read_context(c, &ch->context)) return false;
    const char *action = p_str(c, "filter_action");
    if (action && (ch->action = filter_action_parse(action)) < 0) {
        api_error(c, 422,
                  arena_printf(c->app->a,
                               "Validation failed: filter_action '%.40s' is not one of warn, "
                               "hide, blur",
                               action));
        return false;
    }
    /* expires_in given empty or null means "never" (Mastodon); absent means "keep" */
    json_t *exp = json_object_get(c->in, "expires_in");
    if (exp) {
        ch->set_expiry = true;
        const char *s = json_string_value(exp);
        if (json_is_integer(exp) && json_integer_value(exp) > 0)
            ch->expires_in = json_integer_value(exp);
        else if (s && *s) {
            char *end;
            long long v = strtoll(s, &end, 10);
            ch->expires_in = *end || v <= 0 ? -1 : v;
        } else if (!json_is_null(exp) && !(s && !*s))
            ch->expires_in = -1;
        if (ch->expires_in < 0) {
            api_error(c, 422,
                      "Validation failed: expires_in must be a number of seconds from 1 to "
                      "2147483647");
            return false;
        }
    }
    return read_keywords(c, ch);
}

static void filter_response(api_call *c, const pl_filter *f)
{
    jw w;
    api_json(c, &w);
    ent_filter(&w, f, true);
}

static void index_(api_call *c)
{
    pl_filter *v;
    int n;
    if (failed(c, filters_all(c->app, c->viewer->id, &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_filter(&w, &v[i], true);
    jw_arr_end(&w);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_filter f;
    if (failed(c, filters_get(c->app, c->viewer->id, id, &f))) return;
    filter_response(c, &f);
}

static void create(api_call *c)
{
    filters_change ch;
    if (!read_change(c, &ch)) return;
    pl_filter f;
    if (failed(c, filters_create(c->app, c->viewer->id, &ch, &f))) return;
    filter_response(c, &f);
}

static void update(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    filters_change ch;
    if (!read_change(c, &ch)) return;
    pl_filter f;
    if (failed(c, filters_update(c->app, c->viewer->id, id, &ch, &f))) return;
    filter_response(c, &f);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, filters_delete(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

/* ---- keywords ---- */

static void keyword_response(api_call *c, const pl_filter_keyword *k)
{
    jw w;
    api_json(c, &w);
    ent_filter_keyword(&w, k);
}

/* keyword and whole_word; false (and 422 sent) if whole_word is malformed. */
static bool read_keyword(api_call *c, const char **kw, int *whole_word)
{
    *kw = p_str(c, "keyword");
    *whole_word = p_bool(c, "whole_word", -1);
    if (*whole_word == -2) {
        api_error(c, 422, "Validation failed: whole_word must be a boolean");
        return false;
    }
    return true;
}

static void keywords_index(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_filter_keyword *v;
    int n;
    if (failed(c, filters_keywords(c->app, c->viewer->id, id, &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_filter_keyword(&w, &v[i]);
    jw_arr_end(&w);
}

static void keyword_create(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *kw;
    int whole_word;
    if (!read_keyword(c, &kw, &whole_word)) return;
    pl_filter_keyword k;
    if (failed(c, filters_keyword_add(c->app, c->viewer->id, id, kw, whole_word, &k))) return;
    keyword_response(c, &k);
}

static void keyword_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_filter_keyword k;
    if (failed(c, filters_keyword_get(c->app, c->viewer->id, id, &k))) return;
    keyword_response(c, &k);
}

static void keyword_update(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *kw;
    int whole_word;
    if (!read_keyword(c, &kw, &whole_word)) return;
    pl_filter_keyword k;
    if (failed(c, filters_keyword_update(c->app, c->viewer->id, id, kw, whole_word, &k))) return;
    keyword_response(c, &k);
}

static void keyword_destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, filters_keyword_delete(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

/* ---- statuses ---- */

static void statuses_index(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_filter_status *v;
    int n;
    if (failed(c, filters_statuses(c->app, c->viewer->id, id, &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_filter_status(&w, &v[i]);
    jw_arr_end(&w);
}

static void status_create(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *sid = p_str(c, "status_id");
    int64_t status_id = 0;
    if (!sid || !id_parse(sid, &status_id)) {
        api_error(c, sid ? 404 : 422,
                  sid ? "Record not found" : "Validation failed: Status can't be blank");
        return;
    }
    pl_filter_status s;
    if (failed(c, filters_status_add(c->app, c->viewer->id, id, status_id, &s))) return;
    jw w;
    api_json(c, &w);
    ent_filter_status(&w, &s);
}

static void status_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_filter_status s;
    if (failed(c, filters_status_get(c->app, c->viewer->id, id, &s))) return;
    jw w;
    api_json(c, &w);
    ent_filter_status(&w, &s);
}

static void status_destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, filters_status_delete(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

/* The keyword and status routes come before "/api/v2/filters/:id/…" would, so that
 * "keywords" and "statuses" are never read as a filter id. */
const api_route api_routes_filters[] = {
    {M_GET, "/api/v2/filters", index_, EXEC_READ, AUTH_USER, "read:filters"},
    {M_POST, "/api/v2/filters", create, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_GET, "/api/v2/filters/keywords/:id", keyword_show, EXEC_READ, AUTH_USER, "read:filters"},
    {M_PUT, "/api/v2/filters/keywords/:id", keyword_update, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_DELETE, "/api/v2/filters/keywords/:id", keyword_destroy, EXEC_WRITE, AUTH_USER,
     "write:filters"},
    {M_GET, "/api/v2/filters/statuses/:id", status_show, EXEC_READ, AUTH_USER, "read:filters"},
    {M_DELETE, "/api/v2/filters/statuses/:id", status_destroy, EXEC_WRITE, AUTH_USER,
     "write:filters"},
    {M_GET, "/api/v2/filters/:id", show, EXEC_READ, AUTH_USER, "read:filters"},
    {M_PUT, "/api/v2/filters/:id", update, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_DELETE, "/api/v2/filters/:id", destroy, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_GET, "/api/v2/filters/:id/keywords", keywords_index, EXEC_READ, AUTH_USER, "read:filters"},
    {M_POST, "/api/v2/filters/:id/keywords", keyword_create, EXEC_WRITE, AUTH_USER,
     "write:filters"},
    {M_GET, "/api/v2/filters/:id/statuses", statuses_index, EXEC_READ, AUTH_USER, "read:filters"},
    {M_POST, "/api/v2/filters/:id/statuses", status_create, EXEC_WRITE, AUTH_USER, "write:filters"},
    {0},
};
