/*
 * notifications_v2.c — grouped notifications, Mastodon 4.3's /api/v2/notifications
 * (docs.joinmastodon.org/methods/grouped_notifications): a page of groups, one group, its
 * accounts, dismissing it, the unread count (and v1's, Mastodon 4.3's count of notifications).
 * The grouping is app/notify_groups.c's.
 *
 * The answer is Mastodon's GroupedNotificationsResults: the groups, and beside them every
 * account and status they name, once each. expand_accounts=partial_avatars is accepted and
 * answered with full accounts (the documented shape allows it: partial_accounts is optional).
 */
#include <string.h>

#include "api/handlers.h"
#include "app/notify_groups.h"

enum { MAX_TYPES = 16, GROUP_ACCOUNTS_MAX = 80, UNREAD_DEFAULT = 100, UNREAD_MAX = 1000 };

/* A NULL-terminated list of strings from an array parameter (capped); NULL if not given. */
static const char *const *type_list(api_call *c, const char *name)
{
    json_t *arr = p_arr(c, name);
    if (!arr) return NULL;
    const char **v = arena_alloc(c->app->a, sizeof *v * (MAX_TYPES + 1));
    size_t i, n = 0;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (json_is_string(x) && n < MAX_TYPES) v[n++] = json_string_value(x);
    }
    v[n] = NULL;
    return v;
}

/* The query parameters shared by the page and the unread count; false (and 404 sent) for an
 * account_id that is no id. */
static bool read_query(api_call *c, notify_group_query *q)
{
    *q = (notify_group_query){.types = type_list(c, "types"),
                              .exclude = type_list(c, "exclude_types"),
                              .grouped = type_list(c, "grouped_types")};
    const char *from = p_str(c, "account_id");
    if (from && *from && !id_parse(from, &q->from_id)) {
        api_error(c, 404, "Record not found");
        return false;
    }
    int include_filtered = p_bool(c, "include_filtered", 0);
    if (include_filtered < 0) {
        api_error(c, 422, "include_filtered must be true or false");
        return false;
    }
    q->include_filtered = include_filtered;
    return true;
}

static void write_group(api_call *c, jw *w, const notify_group *g)
{
    jw_obj(w);
    jw_kstr(w, "group_key", g->key);
    jw_kint(w, "notifications_count", g->count);
    jw_kstr(w, "type", g->type);
    jw_kid(w, "most_recent_notification_id", g->most_recent_id);
    if (g->page_max_id) {
        jw_kid(w, "page_min_id", g->page_min_id);
        jw_kid(w, "page_max_id", g->page_max_id);
        jw_ktime(w, "latest_page_notification_at", g->latest_page_at);
    }
    jw_key(w, "sample_account_ids");
    jw_arr(w);
    for (int i = 0; i < g->n_samples; i++) jw_id(w, g->sample_ids[i]);
    jw_arr_end(w);
    if (g->status_id) jw_kid(w, "status_id", g->status_id);
    if (g->report_id) { /* Mastodon's admin.report */
        jw_key(w, "report");
        ent_report_id(c, w, g->report_id);
    }
    if (g->channel_id) { /* ours: the channel, whose account is among the accounts */
        jw_key(w, "partyline");
        jw_obj(w);
        jw_kid(w, "channel_id", g->channel_id);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

/* Adds id to v[0..*n) unless there already. */
static void add_once(int64_t *v, int *n, int64_t id)
{
    for (int i = 0; i < *n; i++)
        if (v[i] == id) return;
    v[(*n)++] = id;
}

/* GroupedNotificationsResults for groups g[0..n). */
static void write_results(api_call *c, jw *w, const notify_group *g, int n)
{
    int64_t *accounts =
        arena_alloc(c->app->a, sizeof *accounts * (size_t)(n * (NOTIFY_GROUP_SAMPLES + 1) + 1));
    int64_t *statuses = arena_alloc(c->app->a, sizeof *statuses * (size_t)(n + 1));
    int na = 0, ns = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < g[i].n_samples; k++) add_once(accounts, &na, g[i].sample_ids[k]);
        if (g[i].channel_id) add_once(accounts, &na, g[i].channel_id);
        if (g[i].status_id) add_once(statuses, &ns, g[i].status_id);
    }
    jw_obj(w);
    jw_key(w, "accounts");
    ent_accounts(c, w, accounts, na);
    jw_key(w, "statuses");
    ent_statuses(c, w, statuses, ns);
    jw_key(w, "notification_groups");
    jw_arr(w);
    for (int i = 0; i < n; i++) write_group(c, w, &g[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

static void groups_index(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    notify_group_query q;
    if (!read_query(c, &q)) return;
    notify_group *g;
    int n;
    int64_t first, last;
    if (failed(c, notify_groups_page(c->app, c->viewer->id, &q, &p, &g, &n, &first, &last))) return;
    jw w;
    api_json(c, &w);
    if (n) {
        int64_t ends[2] = {first, last};
        pl_idlist l = {.ids = ends, .keys = ends, .n = 2};
        api_link(c, &l, &p);
    }
    write_results(c, &w, g, n);
}

static void group_show(api_call *c)
{
    notify_group g;
    if (failed(c, notify_group_get(c->app, c->viewer->id, c->req->params[0], &g))) return;
    jw w;
    api_json(c, &w);
    write_results(c, &w, &g, 1);
}

static void group_accounts(api_call *c)
{
    int64_t *ids;
    int n;
    if (failed(c, notify_group_accounts(c->app, c->viewer->id, c->req->params[0],
                                        GROUP_ACCOUNTS_MAX, &ids, &n)))
        return;
    jw w;
    api_json(c, &w);
    ent_accounts(c, &w, ids, n);
}

static void group_dismiss(api_call *c)
{
    if (failed(c, notify_group_dismiss(c->app, c->viewer->id, c->req->params[0]))) return;
    empty_object(c);
}

/* The count both unread_counts answer, capped at limit (100, at most 1000). */
static void answer_unread(api_call *c, const notify_group_query *q)
{
    int64_t limit = p_int(c, "limit", UNREAD_DEFAULT);
    if (limit <= 0) limit = UNREAD_DEFAULT;
    if (limit > UNREAD_MAX) limit = UNREAD_MAX;
    int64_t count;
    if (failed(c, notify_groups_unread(c->app, c->viewer->id, q, (int)limit, &count))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kint(&w, "count", count);
    jw_obj_end(&w);
}

static void unread_count(api_call *c)
{
    notify_group_query q;
    if (read_query(c, &q)) answer_unread(c, &q);
}

/* Mastodon 4.3's v1 count: notifications, not groups (grouped_types is not a parameter): no
 * type grouped, each one its own group. */
static void unread_count_v1(api_call *c)
{
    static const char *const none[] = {NULL};
    notify_group_query q;
    if (!read_query(c, &q)) return;
    q.grouped = none;
    answer_unread(c, &q);
}

#define V2 "/api/v2/notifications"
const api_route api_routes_notifications_v2[] = {
    {M_GET, "/api/v1/notifications/unread_count", unread_count_v1, EXEC_READ, AUTH_USER,
     "read:notifications"},
    {M_GET, V2, groups_index, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_GET, V2 "/unread_count", unread_count, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_GET, V2 "/:group_key", group_show, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_GET, V2 "/:group_key/accounts", group_accounts, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_POST, V2 "/:group_key/dismiss", group_dismiss, EXEC_WRITE, AUTH_USER, "write:notifications"},
    {0},
};
