/*
 * audit.c — the administrators' view of the audit log (issue 14; docs/api.md "Audit log"):
 *
 *   GET /api/v1/partyline/admin/audit   rows newest first: actor, action, target, since,
 *                                       until; max_id / since_id / min_id / limit and a
 *                                       Link header as every page of the API
 *
 * Reading it is not itself recorded (as Mastodon's admin views are not); an export
 * (`partyline admin audit export`) is. The rules (administrators only) are app/audit.c's.
 */
#include <string.h>

#include "api/handlers.h"

enum { AUDIT_PAGE = 40, AUDIT_PAGE_MAX = 200 };

/* An optional id filter: true with 0 when absent, false (answered 422) when not an id. */
static bool id_filter(api_call *c, const char *name, int64_t *out)
{
    const char *s = p_str(c, name);
    *out = 0;
    if (!s || !*s) return true;
    if (id_parse(s, out) && *out > 0) return true;
    api_error(c, 422, arena_printf(c->app->a, "%s must be an id", name));
    return false;
}

static void audit_index(api_call *c)
{
    pl_audit_filter f = {.action = p_str(c, "action")};
    if (!id_filter(c, "actor", &f.actor_id) || !id_filter(c, "target", &f.target_id) ||
        !p_time(c, "since", "since", &f.since_at) || !p_time(c, "until", "until", &f.until_at))
        return;
    if (f.action && strlen(f.action) > 64) {
        api_error(c, 422, "action is too long (an action is a short name like post.create)");
        return;
    }
    pl_page p;
    api_page(c, &p, AUDIT_PAGE, AUDIT_PAGE_MAX);
    pl_audit_row *rows;
    int n;
    if (failed(c, audit_page(c->app, c->viewer, &f, &p, &rows, &n))) return;
    pl_idlist l = {.n = n};
    l.ids = arena_alloc(c->app->a, sizeof *l.ids * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) l.ids[i] = rows[i].id;
    l.keys = l.ids;
    api_link(c, &l, &p);
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_audit_row(&w, &rows[i]);
    jw_arr_end(&w);
}

const api_route api_routes_audit[] = {
    {M_GET, "/api/v1/partyline/admin/audit", audit_index, EXEC_READ, AUTH_USER, "admin:read"},
    {0},
};
