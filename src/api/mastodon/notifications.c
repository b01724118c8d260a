/*
 * notifications.c — /api/v1/notifications and /api/v1/markers (the v1 unread_count is beside
 * v2's, in notifications_v2.c).
 * docs.joinmastodon.org/methods/notifications, /methods/markers
 */
#include <string.h>

#include "api/handlers.h"
#include "app/notify.h"

enum { MAX_TYPES = 16 };

/* A NULL-terminated list of strings from an array parameter (capped). */
static const char *const *type_list(api_call *c, const char *name)
{
    json_t *arr = p_arr(c, name);
    if (!arr) return NULL;
    const char **v = arena_alloc(c->app->a, sizeof *v * (MAX_TYPES + 1));
    size_t i, n = 0;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_is_string(x) && n < MAX_TYPES) v[n++] =
        json_string_value(x);
    return v;
}

static void list(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_notification *items;
    int n;
    int64_t from = 0;
    const char *from_s = p_str(c, "account_id");
    if (from_s && !id_parse(from_s, &from)) {
        api_error(c, 404, "Record not found");
        return;
    }
    int include_filtered = p_bool(c, "include_filtered", 0);
    if (include_filtered < 0) {
        api_error(c, 422, "include_filtered must be true or false");
        return;
    }
    if (failed(c, notify_list(c->app, c->viewer->id, from, type_list(c, "types"),
                              type_list(c, "exclude_types"), include_filtered, &p, &items, &n)))
        return;
    pl_idlist l = {.n = n};
    l.ids = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    l.keys = l.ids;
    for (int i = 0; i < n; i++) l.ids[i] = items[i].id;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_notification(c, &w, &items[i]);
    jw_arr_end(&w);
}

static void get(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_notification n;
    if (failed(c, notify_get(c->app, c->viewer->id, id, &n))) return;
    jw w;
    api_json(c, &w);
    ent_notification(c, &w, &n);
}

static void dismiss(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, notify_dismiss(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void clear(api_call *c)
{
    if (failed(c, notify_clear(c->app, c->viewer->id))) return;
    empty_object(c);
}

/* A marker; the notifications marker also says how many notifications are newer than it
 * (partyline's unread_count, counted up to max_unread_count). */
static void write_marker(api_call *c, jw *w, const pl_marker *m)
{
    jw_key(w, m->timeline);
    jw_obj(w);
    jw_kid(w, "last_read_id", m->last_read_id);
    jw_kint(w, "version", m->version);
    jw_ktime(w, "updated_at", m->updated_at);
    int64_t unread;
    if (!strcmp(m->timeline, "notifications") &&
        notify_unread_count(c->app, c->viewer->id, false, &unread) == PL_OK)
        jw_kint(w, "unread_count", unread);
    jw_obj_end(w);
}

static void markers_read(api_call *c)
{
    json_t *arr = p_arr(c, "timeline");
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        pl_marker m;
        if (json_is_string(x) &&
            markers_get(c->app, c->viewer->id, json_string_value(x), &m) == PL_OK)
            write_marker(c, &w, &m);
    }
    jw_obj_end(&w);
}

static void markers_write(api_call *c)
{
    static const char *const names[] = {"home", "notifications"};
    bool any = false;
    for (int i = 0; i < 2; i++) {
        json_t *o = p_get(c, names[i]);
        if (!json_is_object(o)) continue;
        json_t *v = json_object_get(o, "last_read_id");
        int64_t id = 0;
        if (json_is_string(v))
            id_parse(json_string_value(v), &id);
        else if (json_is_integer(v))
            id = json_integer_value(v);
        if (id <= 0) {
            api_error(c, 422,
                      "Validation failed: last_read_id must be a status or "
                      "notification id");
            return;
        }
        if (failed(c, markers_set(c->app, c->viewer->id, names[i], id))) return;
        any = true;
    }
    if (!any) {
        api_error(c, 422,
                  "Validation failed: give home[last_read_id] or "
                  "notifications[last_read_id]");
        return;
    }
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    for (int i = 0; i < 2; i++) {
        pl_marker m;
        if (json_is_object(p_get(c, names[i])) &&
            markers_get(c->app, c->viewer->id, names[i], &m) == PL_OK)
            write_marker(c, &w, &m);
    }
    jw_obj_end(&w);
}

const api_route api_routes_notifications[] = {
    {M_GET, "/api/v1/notifications", list, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_POST, "/api/v1/notifications/clear", clear, EXEC_WRITE, AUTH_USER, "write:notifications"},
    {M_GET, "/api/v1/notifications/:id", get, EXEC_READ, AUTH_USER, "read:notifications"},
    {M_POST, "/api/v1/notifications/:id/dismiss", dismiss, EXEC_WRITE, AUTH_USER,
     "write:notifications"},
    {M_GET, "/api/v1/markers", markers_read, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_POST, "/api/v1/markers", markers_write, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {0},
};
