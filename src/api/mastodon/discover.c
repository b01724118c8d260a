/*
 * discover.c — finding people: the profile directory (GET /api/v1/directory), follow
 * suggestions (GET /api/v2/suggestions and v1, DELETE /api/v1/suggestions/:account_id) and
 * familiar followers (GET /api/v1/accounts/familiar_followers), as docs.joinmastodon.org
 * describes them (methods/directory, methods/suggestions, methods/accounts#familiar_followers;
 * entities/Suggestion, entities/FamiliarFollowers). Who may appear is app/discover.h's; this
 * file reads parameters and writes the entities.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/discover.h"

enum {
    DIRECTORY_LIMIT = 40,
    DIRECTORY_LIMIT_MAX = 80,
    SUGGESTIONS_LIMIT = 40,
    SUGGESTIONS_LIMIT_MAX = 80
};

/* limit: def when absent, at most max, at least 1. */
static int read_limit(api_call *c, int def, int max)
{
    int64_t n = p_int(c, "limit", def);
    return n < 1 ? def : n > max ? max : (int)n;
}

static void directory(api_call *c)
{
    if (!may_read(c)) return;
    const char *order_s = p_str(c, "order");
    int order = DIRECTORY_ACTIVE;
    if (order_s && *order_s) {
        if (!strcmp(order_s, "new"))
            order = DIRECTORY_NEW;
        else if (strcmp(order_s, "active")) {
            api_error(c, 422, "order must be active or new");
            return;
        }
    }
    /* every account here is local: local=true changes nothing, but must be a boolean */
    if (p_bool(c, "local", 0) == -2) {
        api_error(c, 422, "local must be true or false");
        return;
    }
    const char *offset_s = p_str(c, "offset");
    int64_t offset = p_int(c, "offset", -1);
    if (offset_s && *offset_s && offset < 0) {
        api_error(c, 422, "offset must be a whole number, 0 or more");
        return;
    }
    if (offset > c->app->cfg->max_directory_offset) {
        api_error(c, 422,
                  arena_printf(c->app->a, "offset must be at most %d (max_directory_offset)",
                               c->app->cfg->max_directory_offset));
        return;
    }
    int limit = read_limit(c, DIRECTORY_LIMIT, DIRECTORY_LIMIT_MAX);
    int64_t *ids;
    int n;
    if (failed(c, discover_directory(c->app, viewer_id(c), order, offset < 0 ? 0 : (int)offset,
                                     limit, &ids, &n)))
        return;
    jw w;
    api_json(c, &w);
    ent_accounts(c, &w, ids, n);
}

static bool suggestions_read(api_call *c, discover_suggestion **v, int *n)
{
    int limit = read_limit(c, SUGGESTIONS_LIMIT, SUGGESTIONS_LIMIT_MAX);
    return !failed(c, discover_suggestions(c->app, c->viewer->id, limit, v, n));
}

/* Mastodon's Suggestion: `sources` (4.3) and the older `source` they replace. A colleague —
 * someone in the channels one is in — is told as friends_of_friends (people one's circles
 * bring), the nearest of Mastodon's words; docs/api.md says so. */
static void suggestions_v2(api_call *c)
{
    discover_suggestion *v;
    int n;
    if (!suggestions_read(c, &v, &n)) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        const pl_account *a = app_account(c->app, v[i].account_id);
        if (!a) continue;
        bool colleague = v[i].sources & SUGGESTED_COLLEAGUE;
        jw_obj(&w);
        jw_kstr(&w, "source", colleague ? "past_interactions" : "global");
        jw_key(&w, "sources");
        jw_arr(&w);
        if (colleague) jw_str(&w, "friends_of_friends");
        if (v[i].sources & SUGGESTED_MOST_FOLLOWED) jw_str(&w, "most_followed");
        jw_arr_end(&w);
        jw_key(&w, "account");
        ent_account(c, &w, a, false);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

static void suggestions_v1(api_call *c)
{
    discover_suggestion *v;
    int n;
    if (!suggestions_read(c, &v, &n)) return;
    int64_t *ids = arena_alloc(c->app->a, sizeof *ids * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) ids[i] = v[i].account_id;
    jw w;
    api_json(c, &w);
    ent_accounts(c, &w, ids, n);
}

static void suggestion_dismiss(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, discover_dismiss(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void familiar_followers(api_call *c)
{
    json_t *ids = p_arr(c, "id");
    int n = ids ? (int)json_array_size(ids) : 0;
    if (n > c->app->cfg->max_familiar_ids) {
        api_error(c, 422,
                  arena_printf(c->app->a, "Too many ids: at most %d (max_familiar_ids)",
                               c->app->cfg->max_familiar_ids));
        return;
    }
    /* all read before anything is written, so that an error answers an error */
    int64_t *target = arena_alloc(c->app->a, sizeof *target * (size_t)(n ? n : 1));
    int64_t **found = arena_alloc(c->app->a, sizeof *found * (size_t)(n ? n : 1));
    int *nfound = arena_alloc(c->app->a, sizeof *nfound * (size_t)(n ? n : 1));
    int kept = 0;
    for (int i = 0; i < n; i++) {
        int64_t id = json_id(json_array_get(ids, i));
        if (!id) continue; /* names no account: left out, as Mastodon leaves unknown ids */
        int rc =
            discover_familiar_followers(c->app, c->viewer->id, id, &found[kept], &nfound[kept]);
        if (rc == PL_ENOTFOUND) continue;
        if (failed(c, rc)) return;
        target[kept++] = id;
    }
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < kept; i++) {
        jw_obj(&w);
        jw_kid(&w, "id", target[i]);
        jw_key(&w, "accounts");
        ent_accounts(c, &w, found[i], nfound[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

const api_route api_routes_discover[] = {
    {M_GET, "/api/v1/directory", directory, EXEC_READ_OR_SLOW, AUTH_OPTIONAL, SCOPE_NONE},
    /* the page says `read` for all three, a route names granular scopes (test_api.c), and
     * read:accounts is the one `read` covers that Mastodon's server asks for listing; its
     * server asks write:accounts to dismiss, but where they differ the page wins (docs/api.md,
     * "OAuth scopes"), so a `read` token dismisses too */
    {M_GET, "/api/v2/suggestions", suggestions_v2, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, "/api/v1/suggestions", suggestions_v1, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_DELETE, "/api/v1/suggestions/:account_id", suggestion_dismiss, EXEC_WRITE, AUTH_USER,
     "read:accounts"},
    {M_GET, "/api/v1/accounts/familiar_followers", familiar_followers, EXEC_SLOW, AUTH_USER,
     "read:follows"},
    {0},
};
