/*
 * notification_policy.c — /api/v2/notifications/policy and /api/v1/notifications/requests
 * (Mastodon 4.3). docs.joinmastodon.org/methods/notifications, entities/NotificationPolicy,
 * entities/NotificationRequest.
 *
 * A request's id is its sender's account id: a request is the recipient's filtered
 * notifications from one sender (app/notify_policy.h), so the sender names it.
 */
#include "api/handlers.h"
#include "app/notify_policy.h"
#include "app/posts.h"

enum { MAX_REQUEST_IDS = 40 }; /* ids of one bulk accept or dismiss (the page's largest) */

static void write_policy(api_call *c)
{
    int v[POLICY_N];
    int64_t requests = 0, pending = 0;
    if (failed(c, notify_policy_get(c->app, c->viewer->id, v))) return;
    if (failed(c, notify_requests_summary(c->app, c->viewer->id, &requests, &pending))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    for (int i = 0; i < POLICY_N; i++) jw_kstr(&w, notify_policy_keys[i], notify_policy_name(v[i]));
    jw_key(&w, "summary");
    jw_obj(&w);
    jw_kint(&w, "pending_requests_count", requests);
    jw_kint(&w, "pending_notifications_count", pending);
    jw_obj_end(&w);
    jw_obj_end(&w);
}

static void policy_get(api_call *c)
{
    write_policy(c);
}

/* PATCH (and PUT, as Rails routes an update): each for_* given replaces its value; an unknown value
 * changes nothing (422). */
static void policy_update(api_call *c)
{
    int v[POLICY_N];
    if (failed(c, notify_policy_get(c->app, c->viewer->id, v))) return;
    for (int i = 0; i < POLICY_N; i++) {
        const char *s = p_str(c, notify_policy_keys[i]);
        if (!s) continue;
        int action = notify_policy_parse(s);
        if (action < 0) {
            api_error(c, 422,
                      arena_printf(c->app->a, "%s must be accept, filter or drop",
                                   notify_policy_keys[i]));
            return;
        }
        v[i] = action;
    }
    if (failed(c, notify_policy_set(c->app, c->viewer->id, v))) return;
    write_policy(c);
}

static void write_request(api_call *c, jw *w, const notify_request *r)
{
    jw_obj(w);
    jw_kid(w, "id", r->from_account_id);
    jw_ktime(w, "created_at", r->created_at);
    jw_ktime(w, "updated_at", r->updated_at);
    /* Mastodon sends the count as a string */
    jw_kstr(w, "notifications_count", arena_printf(c->app->a, "%lld", (long long)r->count));
    jw_key(w, "account");
    const pl_account *from = app_account(c->app, r->from_account_id);
    if (from)
        ent_account(c, w, from, false);
    else
        jw_null(w);
    if (r->last_status_id) {
        pl_status_view v;
        jw_key(w, "last_status");
        if (posts_view_id(c->app, c->viewer->id, r->last_status_id, &v) == PL_OK)
            ent_status(c, w, &v);
        else
            jw_null(w);
    }
    jw_obj_end(w);
}

static void requests_list(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    notify_request *items;
    int n;
    if (failed(c, notify_requests_list(c->app, c->viewer->id, &p, &items, &n))) return;
    pl_idlist l = {.n = n};
    l.ids = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    l.keys = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        l.ids[i] = items[i].from_account_id;
        l.keys[i] = items[i].newest_id;
    }
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < n; i++) write_request(c, &w, &items[i]);
    jw_arr_end(&w);
}

static void request_get(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    notify_request r;
    if (failed(c, notify_request_get(c->app, c->viewer->id, id, &r))) return;
    jw w;
    api_json(c, &w);
    write_request(c, &w, &r);
}

static void request_accept(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, notify_request_accept(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void request_dismiss(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, notify_request_dismiss(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

/* Bulk: id[] (required, at most MAX_REQUEST_IDS); ids that are no request of the viewer's are
 * passed over, as Mastodon does. */
static void bulk(api_call *c, int (*act)(app_ctx *, int64_t, int64_t))
{
    json_t *arr = p_arr(c, "id");
    if (!arr || json_array_size(arr) == 0) {
        api_error(c, 422, "id[] must name at least one notification request");
        return;
    }
    if (json_array_size(arr) > MAX_REQUEST_IDS) {
        api_error(c, 422,
                  arena_printf(c->app->a, "id[] may name at most %d notification requests",
                               MAX_REQUEST_IDS));
        return;
    }
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        int64_t id = json_id(x);
        if (!id) continue;
        int rc = act(c->app, c->viewer->id, id);
        if (rc == PL_ENOTFOUND) continue;
        if (failed(c, rc)) return;
    }
    empty_object(c);
}

static void requests_accept(api_call *c)
{
    bulk(c, notify_request_accept);
}

static void requests_dismiss(api_call *c)
{
    bulk(c, notify_request_dismiss);
}

/* Accepting merges at once (no background job): always merged. */
static void requests_merged(api_call *c)
{
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kbool(&w, "merged", true);
    jw_obj_end(&w);
}

const api_route api_routes_notification_policy[] = {
    {M_GET, "/api/v2/notifications/policy", policy_get, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_PATCH, "/api/v2/notifications/policy", policy_update, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_PUT, "/api/v2/notifications/policy", policy_update, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_GET, "/api/v1/notifications/requests", requests_list, EXEC_READ, AUTH_USER,
     "read:notifications"},
    {M_GET, "/api/v1/notifications/requests/merged", requests_merged, EXEC_READ, AUTH_USER,
     "read:notifications"},
    {M_POST, "/api/v1/notifications/requests/accept", requests_accept, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_POST, "/api/v1/notifications/requests/dismiss", requests_dismiss, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_GET, "/api/v1/notifications/requests/:id", request_get, EXEC_READ, AUTH_USER,
     "read:notifications"},
    {M_POST, "/api/v1/notifications/requests/:id/accept", request_accept, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_POST, "/api/v1/notifications/requests/:id/dismiss", request_dismiss, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {0},
};
