/*
 * filters_v1.c — the deprecated /api/v1/filters, as Mastodon 4 keeps it: each V1::Filter is
 * one keyword of a v2 filter (its id is the keyword's), with the filter's context, expiry
 * and action ("irreversible" = hide). docs.joinmastodon.org/methods/filters#v1,
 * /entities/V1_Filter
 *
 * Everything is composed from the v2 rules in app/filters.c, so limits, ownership and
 * validation are the same: creating makes a filter titled by its phrase with that one
 * keyword; updating changes the keyword and, for a filter of one keyword, the filter's
 * context, action and expiry (for a filter of several keywords that is 422, as Mastodon);
 * deleting removes only the keyword.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/filters.h"

static const char *const context_names[] = {"home", "notifications", "public", "thread", "account"};

static void write_v1(jw *w, const pl_filter *f, const pl_filter_keyword *k)
{
    jw_obj(w);
    jw_kid(w, "id", k->id);
    jw_kstr(w, "phrase", k->keyword);
    jw_key(w, "context");
    jw_arr(w);
    for (int i = 0; i < 5; i++)
        if (f->context & (1 << i)) jw_str(w, context_names[i]);
    jw_arr_end(w);
    jw_kbool(w, "whole_word", k->whole_word);
    jw_ktime(w, "expires_at", f->expires_at);
    jw_kbool(w, "irreversible", f->action == FILTER_HIDE);
    jw_obj_end(w);
}

static void v1_response(api_call *c, const pl_filter *f, int64_t keyword_id)
{
    for (int i = 0; i < f->n_keywords; i++)
        if (f->keywords[i].id == keyword_id) {
            jw w;
            api_json(c, &w);
            write_v1(&w, f, &f->keywords[i]);
            return;
        }
    api_error(c, 404, "Record not found");
}

/* phrase, context[], irreversible, whole_word, expires_in into ch (one keyword, kw); false
 * (and an error sent) if malformed. */
static bool read_v1(api_call *c, filters_change *ch, filters_keyword_change *kw)
{
    *ch = (filters_change){.context = -1, .action = -1, .keywords = kw, .n_keywords = 1};
    *kw = (filters_keyword_change){.keyword = p_str(c, "phrase"), .whole_word = -1};
    if (!kw->keyword || !*kw->keyword) {
        api_error(c, 422, "Validation failed: Phrase can't be blank");
        return false;
    }
    json_t *arr = p_arr(c, "context");
    ch->context = 0;
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        int bit = json_is_string(x) ? filter_context_parse(json_string_value(x)) : -1;
        if (bit < 0) {
            api_error(c, 422, "Validation failed: Context None or invalid context supplied");
            return false;
        }
        ch->context |= bit;
    }
    int irreversible = p_bool(c, "irreversible", -1);
    kw->whole_word = p_bool(c, "whole_word", -1);
    if (irreversible == -2 || kw->whole_word == -2) {
        api_error(c, 422, "Validation failed: irreversible and whole_word must be booleans");
        return false;
    }
    if (irreversible >= 0) ch->action = irreversible ? FILTER_HIDE : FILTER_WARN;
    json_t *exp = json_object_get(c->in, "expires_in");
    if (exp) {
        ch->set_expiry = true;
        const char *s = json_string_value(exp);
        if (json_is_integer(exp)) {
            ch->expires_in = json_integer_value(exp) > 0 ? json_integer_value(exp) : -1;
        } else if (s && *s) {
            char *end;
            long long v = strtoll(s, &end, 10);
            ch->expires_in = v > 0 && !*end ? v : -1;
        } else if (!json_is_null(exp) && !s) {
            ch->expires_in = -1; /* empty or null: never expires */
        }
        if (ch->expires_in < 0) {
            api_error(c, 422,
                      "Validation failed: expires_in must be a number of seconds from 1 to "
                      "2147483647");
            return false;
        }
    }
    return true;
}

static void index_(api_call *c)
{
    pl_filter *v;
    int n;
    if (failed(c, filters_all(c->app, c->viewer->id, &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < v[i].n_keywords; k++) write_v1(&w, &v[i], &v[i].keywords[k]);
    jw_arr_end(&w);
}

/* The keyword of path id and its filter; false (and an error sent) if not the viewer's. */
static bool load_v1(api_call *c, pl_filter *f, pl_filter_keyword *k)
{
    int64_t id = need_path_id(c);
    if (!id) return false;
    if (failed(c, filters_keyword_get(c->app, c->viewer->id, id, k))) return false;
    return !failed(c, filters_get(c->app, c->viewer->id, k->filter_id, f));
}

static void show(api_call *c)
{
    pl_filter f;
    pl_filter_keyword k;
    if (!load_v1(c, &f, &k)) return;
    v1_response(c, &f, k.id);
}

static void create(api_call *c)
{
    filters_change ch;
    filters_keyword_change kw;
    if (!read_v1(c, &ch, &kw)) return;
    ch.title = kw.keyword;
    if (kw.whole_word < 0) kw.whole_word = 0; /* v1's default */
    pl_filter f;
    if (failed(c, filters_create(c->app, c->viewer->id, &ch, &f))) return;
    v1_response(c, &f, f.n_keywords ? f.keywords[0].id : 0);
}

static void update(api_call *c)
{
    pl_filter f;
    pl_filter_keyword k;
    if (!load_v1(c, &f, &k)) return;
    filters_change ch;
    filters_keyword_change kw;
    if (!read_v1(c, &ch, &kw)) return;
    kw.id = k.id;
    bool changes_filter = (ch.context > 0 && ch.context != f.context) ||
                          (ch.action >= 0 && ch.action != f.action) ||
                          (ch.set_expiry && (ch.expires_in > 0 || f.expires_at != 0));
    if (f.n_keywords > 1 && changes_filter) {
        api_error(c, 422,
                  "Validation failed: this filter has several keywords; change its context, "
                  "expiry or action through /api/v2/filters");
        return;
    }
    pl_filter out;
    if (failed(c, filters_update(c->app, c->viewer->id, f.id, &ch, &out))) return;
    v1_response(c, &out, k.id);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, filters_keyword_delete(c->app, c->viewer->id, id))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_obj_end(&w);
}

const api_route api_routes_filters_v1[] = {
    {M_GET, "/api/v1/filters", index_, EXEC_READ, AUTH_USER, "read:filters"},
    {M_POST, "/api/v1/filters", create, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_GET, "/api/v1/filters/:id", show, EXEC_READ, AUTH_USER, "read:filters"},
    {M_PUT, "/api/v1/filters/:id", update, EXEC_WRITE, AUTH_USER, "write:filters"},
    {M_DELETE, "/api/v1/filters/:id", destroy, EXEC_WRITE, AUTH_USER, "write:filters"},
    {0},
};
