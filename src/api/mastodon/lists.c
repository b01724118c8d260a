/*
 * lists.c — /api/v1/lists/…, and GET /api/v1/accounts/:id/lists (the caller's lists that
 * hold an account). The list timeline is in timelines.c.
 * docs.joinmastodon.org/methods/lists, /entities/List
 */
#include <string.h>

#include "api/handlers.h"
#include "app/lists.h"

static const char *const policy_names[] = {
    [REPLIES_FOLLOWED] = "followed", [REPLIES_LIST] = "list", [REPLIES_NONE] = "none"};

static void write_list(jw *w, const pl_list *l)
{
    jw_obj(w);
    jw_kid(w, "id", l->id);
    jw_kstr(w, "title", l->title);
    int policy = l->replies_policy >= 0 && l->replies_policy <= 2 ? l->replies_policy : 1;
    jw_kstr(w, "replies_policy", policy_names[policy]);
    jw_kbool(w, "exclusive", l->is_exclusive);
    jw_obj_end(w);
}

static void list_response(api_call *c, const pl_list *l)
{
    jw w;
    api_json(c, &w);
    write_list(&w, l);
}

void lists_response(api_call *c, const pl_list *v, int n)
{
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) write_list(&w, &v[i]);
    jw_arr_end(&w);
}

/* title, replies_policy and exclusive from the request; false (and 422 sent) if malformed. */
static bool read_change(api_call *c, lists_change *ch)
{
    *ch = (lists_change){.title = p_str(c, "title"), .replies_policy = -1};
    const char *policy = p_str(c, "replies_policy");
    if (policy) {
        for (int i = 0; i < 3 && ch->replies_policy < 0; i++)
            if (!strcmp(policy, policy_names[i])) ch->replies_policy = i;
        if (ch->replies_policy < 0) {
            api_error(c, 422,
                      arena_printf(c->app->a,
                                   "'%.40s' is not a valid replies_policy (followed, list or "
                                   "none)",
                                   policy));
            return false;
        }
    }
    ch->exclusive = p_bool(c, "exclusive", -1);
    if (ch->exclusive == -2) {
        api_error(c, 422, "Validation failed: exclusive must be a boolean");
        return false;
    }
    return true;
}

static void index_(api_call *c)
{
    pl_list *v;
    int n;
    if (failed(c, lists_all(c->app, c->viewer->id, &v, &n))) return;
    lists_response(c, v, n);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_list l;
    if (failed(c, lists_get(c->app, c->viewer->id, id, &l))) return;
    list_response(c, &l);
}

static void create(api_call *c)
{
    lists_change ch;
    if (!read_change(c, &ch)) return;
    pl_list l;
    if (failed(c, lists_create(c->app, c->viewer->id, &ch, &l))) return;
    list_response(c, &l);
}

static void update(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    lists_change ch;
    if (!read_change(c, &ch)) return;
    pl_list l;
    if (failed(c, lists_update(c->app, c->viewer->id, id, &ch, &l))) return;
    list_response(c, &l);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, lists_delete(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void members(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 40, 80);
    bool all = p_str(c, "limit") && p_int(c, "limit", 40) == 0; /* docs: 0 = every account */
    if (all) p = (pl_page){.limit = 0};
    pl_idlist l;
    if (failed(c, lists_members(c->app, c->viewer->id, id, &p, &l))) return;
    if (all) {
        jw w;
        api_json(c, &w);
        ent_accounts(c, &w, l.ids, l.n);
        return;
    }
    accounts_page(c, &l, &p);
}

/* account_ids[] as ids; false (and an error sent) if absent, too many or malformed. */
static bool account_ids(api_call *c, int64_t **ids, int *n)
{
    json_t *arr = p_arr(c, "account_ids");
    size_t count = arr ? json_array_size(arr) : 0;
    if (count == 0) {
        api_error(c, 422, "Validation failed: account_ids[] must name at least one account");
        return false;
    }
    if ((int)count > c->app->cfg->max_list_ids) {
        api_error(c, 422,
                  arena_printf(c->app->a, "Too many account_ids (the limit is %d per request)",
                               c->app->cfg->max_list_ids));
        return false;
    }
    *ids = arena_alloc(c->app->a, sizeof **ids * count);
    for (size_t i = 0; i < count; i++) {
        int64_t v = json_id(json_array_get(arr, i));
        if (!v) {
            api_error(c, 404, "Record not found");
            return false;
        }
        (*ids)[i] = v;
    }
    *n = (int)count;
    return true;
}

static void members_add(api_call *c)
{
    int64_t id = need_path_id(c), *ids;
    int n;
    if (!id || !account_ids(c, &ids, &n)) return;
    if (failed(c, lists_add_members(c->app, c->viewer->id, id, ids, n))) return;
    empty_object(c);
}

static void members_remove(api_call *c)
{
    int64_t id = need_path_id(c), *ids;
    int n;
    if (!id || !account_ids(c, &ids, &n)) return;
    if (failed(c, lists_remove_members(c->app, c->viewer->id, id, ids, n))) return;
    empty_object(c);
}

static void account_lists(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_list *v;
    int n;
    if (failed(c, lists_containing(c->app, c->viewer->id, id, &v, &n))) return;
    lists_response(c, v, n);
}

const api_route api_routes_lists[] = {
    {M_GET, "/api/v1/lists", index_, EXEC_READ, AUTH_USER, "read:lists"},
    {M_POST, "/api/v1/lists", create, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_GET, "/api/v1/lists/:id", show, EXEC_READ, AUTH_USER, "read:lists"},
    {M_PUT, "/api/v1/lists/:id", update, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_DELETE, "/api/v1/lists/:id", destroy, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_GET, "/api/v1/lists/:id/accounts", members, EXEC_READ, AUTH_USER, "read:lists"},
    {M_POST, "/api/v1/lists/:id/accounts", members_add, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_DELETE, "/api/v1/lists/:id/accounts", members_remove, EXEC_WRITE, AUTH_USER, "write:lists"},
    {M_GET, "/api/v1/accounts/:id/lists", account_lists, EXEC_READ, AUTH_USER, "read:lists"},
    {0},
};
