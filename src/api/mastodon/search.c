/*
 * search.c — GET /api/v2/search (docs.joinmastodon.org/methods/search, entities/Search), our
 * GET /api/v1/partyline/search/ranked, the same search with statuses by relevance, and
 * GET /api/v1/accounts/search (methods/accounts#search, the accounts part alone).
 *
 * A route has one exec kind. Newest-first search walks the index a page at a time and runs
 * on the event loops; ranking scores every match, so the ranked search is its own route, run
 * by the workers (EXEC_SLOW), where a large match set cannot stall other requests.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/search.h"

static void write_tag(api_call *c, jw *w, const char *name)
{
    jw_obj(w);
    jw_kstr(w, "name", name);
    jw_kcat(w, "url", c->app->cfg->base_url, "/tags/", name, NULL);
    jw_key(w, "history");
    jw_arr(w);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* type= as search_types bits; 0 (and 422 sent) if unknown. */
static int read_types(api_call *c)
{
    const char *t = p_str(c, "type");
    if (!t || !*t) return SEARCH_ACCOUNTS | SEARCH_HASHTAGS | SEARCH_STATUSES;
    if (!strcmp(t, "accounts")) return SEARCH_ACCOUNTS;
    if (!strcmp(t, "hashtags")) return SEARCH_HASHTAGS;
    if (!strcmp(t, "statuses")) return SEARCH_STATUSES;
    api_error(
        c, 422,
        arena_printf(c->app->a, "'%.40s' is not a valid type (accounts, hashtags or statuses)", t));
    return 0;
}

/* Mastodon: signed out, no offset and no resolve; here also only with public_read. */
static bool may_search(api_call *c)
{
    if (c->viewer) return true;
    if (!may_read(c)) return false;
    if (p_str(c, "offset")) {
        api_error(c, 401, "Search queries pagination is not supported without authentication");
        return false;
    }
    if (p_bool(c, "resolve", 0) == 1) {
        api_error(c, 401,
                  "Search queries that resolve remote resources are not supported without "
                  "authentication");
        return false;
    }
    return true;
}

static void search(api_call *c, bool ranked)
{
    if (!may_search(c)) return;
    search_req r = {.q = p_str(c, "q"), .ranked = ranked};
    if (!r.q || !*r.q) {
        api_error(c, 400, "Validation failed: q is missing");
        return;
    }
    if (!(r.types = read_types(c))) return;
    const char *order = p_str(c, "order");
    if (order && strcmp(order, ranked ? "relevance" : "newest")) {
        api_error(c, 422,
                  ranked ? "this route orders by relevance (order=relevance or none)"
                         : "order=newest is the only order here; statuses by relevance are at "
                           "/api/v1/partyline/search/ranked");
        return;
    }
    int following = p_bool(c, "following", 0);
    if (following == -2) {
        api_error(c, 422, "Validation failed: following must be a boolean");
        return;
    }
    r.following = following == 1;
    const char *account = p_str(c, "account_id");
    if (account && *account && !id_parse(account, &r.account_id)) {
        api_error(c, 422, "account_id is not a valid id");
        return;
    }
    const char *offset = p_str(c, "offset");
    int64_t off = p_int(c, "offset", -1);
    if (offset && *offset && off < 0) {
        api_error(c, 422, "offset must be a whole number, 0 or more");
        return;
    }
    /* beyond the limit: search_run says so (the int cannot hold every value asked) */
    if (off > c->app->cfg->max_search_offset) off = (int64_t)c->app->cfg->max_search_offset + 1;
    r.offset = off < 0 ? 0 : (int)off;
    api_page(c, &r.page, 20, 40);
    search_result res;
    if (failed(c, search_run(c->app, viewer_id(c), &r, &res))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_key(&w, "accounts");
    ent_accounts(c, &w, res.accounts, res.n_accounts);
    jw_key(&w, "statuses");
    ent_statuses(c, &w, res.statuses.ids, res.statuses.n);
    jw_key(&w, "hashtags");
    jw_arr(&w);
    for (int i = 0; i < res.n_tags; i++) write_tag(c, &w, res.tags[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
}

static void search_newest(api_call *c)
{
    search(c, false);
}

static void search_ranked(api_call *c)
{
    /* a read on a worker: keep what it loads for the rest of the request, as loops do */
    c->app->read_only = true;
    search(c, true);
}

/* GET /api/v1/accounts/search (methods/accounts#search): the accounts part alone, as an
 * array; limit default 40, max 80. */
static void accounts_search(api_call *c)
{
    search_req r = {.q = p_str(c, "q"), .types = SEARCH_ACCOUNTS};
    if (!r.q || !*r.q) {
        api_error(c, 400, "Validation failed: q is missing");
        return;
    }
    int following = p_bool(c, "following", 0);
    if (following == -2) {
        api_error(c, 422, "Validation failed: following must be a boolean");
        return;
    }
    r.following = following == 1;
    int64_t off = p_int(c, "offset", 0);
    if (off > c->app->cfg->max_search_offset) off = (int64_t)c->app->cfg->max_search_offset + 1;
    r.offset = off < 0 ? -1 : (int)off;
    api_page(c, &r.page, 40, 80);
    search_result res;
    if (failed(c, search_run(c->app, viewer_id(c), &r, &res))) return;
    jw w;
    api_json(c, &w);
    ent_accounts(c, &w, res.accounts, res.n_accounts);
}

/* Before the accounts table in api.c's list, so /api/v1/accounts/search is not an :id. */
const api_route api_routes_search[] = {
    {M_GET, "/api/v1/accounts/search", accounts_search, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, "/api/v2/search", search_newest, EXEC_READ, AUTH_OPTIONAL, "read:search"},
    {M_GET, "/api/v1/partyline/search/ranked", search_ranked, EXEC_SLOW, AUTH_OPTIONAL,
     "read:search"},
    {0},
};
