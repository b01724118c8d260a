/*
 * reports.c — reports: Mastodon's POST /api/v1/reports (docs.joinmastodon.org/methods/reports;
 * entities/Report) and the moderators' /api/v1/admin/reports (methods/admin/reports;
 * entities/Admin_Report):
 *
 *   POST /api/v1/reports                         account_id, status_ids[], comment, category,
 *                                                rule_ids[], forward (ignored: one server)
 *   GET  /api/v1/admin/reports                   resolved, account_id, target_account_id; paged
 *   GET  /api/v1/admin/reports/:id
 *   PUT  /api/v1/admin/reports/:id               category, rule_ids[]
 *   POST /api/v1/admin/reports/:id/{assign_to_self,unassign,resolve,reopen}
 *
 * The rules are app/reports.c's. The admin reads run on the writer (EXEC_WRITE): showing a
 * report's posts writes its report.view row to the audit log in the same transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/about.h"
#include "app/moderation.h"
#include "app/reports.h"

enum { ADMIN_REPORTS_PAGE = 100, ADMIN_REPORTS_PAGE_MAX = 200 };

/* An array parameter of ids: false (422 sent naming it) when one is not an id. *n is at most
 * max + 1, enough for the app layer to refuse too many. */
static bool ids_param(api_call *c, const char *name, int max, int64_t **out, int *n)
{
    json_t *arr = p_arr(c, name);
    size_t len = arr ? json_array_size(arr) : 0;
    if (len > (size_t)max + 1) len = (size_t)max + 1;
    *out = arena_alloc(c->app->a, sizeof **out * (len ? len : 1));
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        json_t *x = json_array_get(arr, i);
        if (json_is_string(x) && !*json_string_value(x)) continue; /* an empty form field */
        int64_t id = json_id(x);
        if (id <= 0) {
            api_error(c, 422, arena_printf(c->app->a, "%s must be ids", name));
            return false;
        }
        (*out)[(*n)++] = id;
    }
    return true;
}

/* rule_ids as the entities write them: an array of id strings. */
static void rule_ids_array(jw *w, const char *rule_ids)
{
    jw_arr(w);
    for (const char *p = rule_ids; p && *p;) {
        size_t k = strcspn(p, " ");
        jw_strn(w, p, k);
        p += k;
        if (*p) p++;
    }
    jw_arr_end(w);
}

static void report_common(jw *w, const pl_report *r)
{
    jw_kid(w, "id", r->id);
    jw_kbool(w, "action_taken", r->action_taken_at != 0);
    jw_ktime(w, "action_taken_at", r->action_taken_at);
    jw_kstr(w, "category", r->category);
    jw_kstr(w, "comment", r->comment);
    jw_kbool(w, "forwarded", false);
    jw_ktime(w, "created_at", r->created_at);
}

/* The reporter's Report entity. */
static void ent_report(api_call *c, jw *w, const pl_report *r)
{
    jw_obj(w);
    report_common(w, r);
    jw_key(w, "status_ids");
    jw_arr(w);
    for (int i = 0; i < r->n_statuses; i++) jw_id(w, r->status_ids[i]);
    jw_arr_end(w);
    jw_key(w, "rule_ids");
    rule_ids_array(w, r->rule_ids);
    jw_key(w, "target_account");
    const pl_account *a = app_account(c->app, r->target_account_id);
    if (a)
        ent_account(c, w, a, false);
    else
        jw_null(w);
    jw_obj_end(w);
}

void ent_report_id(api_call *c, jw *w, int64_t id)
{
    pl_report r;
    if (reports_brief(c->app, c->viewer, id, &r) == PL_OK)
        ent_report(c, w, &r);
    else
        jw_null(w);
}

static void create(api_call *c)
{
    report_new n = {.comment = p_str(c, "comment"), .category = p_str(c, "category")};
    const char *acct = p_str(c, "account_id");
    if (!acct || !*acct) {
        api_error(c, 422, "Validation failed: account_id is missing");
        return;
    }
    if (!id_parse(acct, &n.target_id) || n.target_id <= 0) {
        api_error(c, 404, "Record not found: account_id names no person");
        return;
    }
    int64_t *statuses, *rules;
    if (!ids_param(c, "status_ids", c->app->cfg->max_report_statuses, &statuses, &n.n_statuses) ||
        !ids_param(c, "rule_ids", 100, &rules, &n.n_rules))
        return;
    n.status_ids = statuses;
    n.rule_ids = rules;
    if (p_bool(c, "forward", 0) == -2) {
        api_error(c, 422, "Validation failed: forward must be true or false");
        return;
    }
    pl_report r;
    if (failed(c, reports_create(c->app, c->viewer, &n, &r))) return;
    jw w;
    api_json(c, &w);
    ent_report(c, &w, &r);
}

/* ---- /api/v1/admin/reports ---------------------------------------------------------------- */

/* The server's rules a report names, as Rule entities (id: the rule's number). */
static void rules_array(api_call *c, jw *w, const char *rule_ids)
{
    const char **rules;
    int n = 0;
    if (about_rules(c->app, &rules, &n)) n = 0;
    jw_arr(w);
    for (const char *p = rule_ids; p && *p;) {
        int k = atoi(p);
        if (k >= 1 && k <= n) {
            jw_obj(w);
            jw_kstr(w, "id", arena_printf(c->app->a, "%d", k));
            jw_kstr(w, "text", rules[k - 1]);
            jw_kstr(w, "hint", "");
            jw_obj_end(w);
        }
        p += strcspn(p, " ");
        if (*p) p++;
    }
    jw_arr_end(w);
}

/* Admin::Report. Its statuses are shown whatever their audience: the report (loaded by
 * reports_get, which recorded the showing) is what admits them. */
static void ent_admin_report(api_call *c, jw *w, const pl_report *r)
{
    jw_obj(w);
    report_common(w, r);
    jw_ktime(w, "updated_at", r->updated_at);
    jw_key(w, "account");
    ent_admin_account_id(c, w, r->account_id);
    jw_key(w, "target_account");
    ent_admin_account_id(c, w, r->target_account_id);
    jw_key(w, "assigned_account");
    ent_admin_account_id(c, w, r->assigned_account_id);
    jw_key(w, "action_taken_by_account");
    ent_admin_account_id(c, w, r->action_taken_by_account_id);
    jw_key(w, "statuses");
    ent_statuses(c, w, r->status_ids, r->n_statuses);
    jw_key(w, "rules");
    rules_array(c, w, r->rule_ids);
    jw_obj_end(w);
}

static bool id_filter(api_call *c, const char *name, int64_t *out)
{
    const char *s = p_str(c, name);
    *out = 0;
    if (!s || !*s) return true;
    if (id_parse(s, out) && *out > 0) return true;
    api_error(c, 422, arena_printf(c->app->a, "%s must be an id", name));
    return false;
}

static void admin_list(api_call *c)
{
    pl_report_filter f = {.resolved = p_bool(c, "resolved", 0)};
    if (f.resolved == -2) {
        api_error(c, 422, "resolved must be true or false");
        return;
    }
    if (!id_filter(c, "account_id", &f.account_id) ||
        !id_filter(c, "target_account_id", &f.target_account_id))
        return;
    pl_page p;
    api_page(c, &p, ADMIN_REPORTS_PAGE, ADMIN_REPORTS_PAGE_MAX);
    pl_idlist l;
    if (failed(c, reports_page(c->app, c->viewer, &f, &p, &l))) return;
    pl_report *v = arena_alloc(c->app->a, sizeof *v * (size_t)(l.n ? l.n : 1));
    for (int i = 0; i < l.n; i++)
        if (failed(c, reports_get(c->app, c->viewer, l.ids[i], &v[i]))) return;
    api_link(c, &l, &p);
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) ent_admin_report(c, &w, &v[i]);
    jw_arr_end(&w);
}

static void admin_answer(api_call *c, const pl_report *r)
{
    jw w;
    api_json(c, &w);
    ent_admin_report(c, &w, r);
}

static void admin_show(api_call *c)
{
    int64_t id = need_path_id(c);
    pl_report r;
    if (!id || failed(c, reports_get(c->app, c->viewer, id, &r))) return;
    admin_answer(c, &r);
}

static void admin_update(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    int64_t *rules;
    int n_rules;
    if (!ids_param(c, "rule_ids", 100, &rules, &n_rules)) return;
    pl_report r;
    if (failed(c, reports_update(c->app, c->viewer, id, p_str(c, "category"), rules, n_rules,
                                 p_get(c, "rule_ids") || p_get(c, "rule_ids[]"), &r)))
        return;
    if (failed(c, reports_get(c->app, c->viewer, id, &r))) return;
    admin_answer(c, &r);
}

static void admin_act(api_call *c, int what)
{
    int64_t id = need_path_id(c);
    pl_report r;
    if (!id || failed(c, reports_act(c->app, c->viewer, id, what, &r)) ||
        failed(c, reports_get(c->app, c->viewer, id, &r)))
        return;
    admin_answer(c, &r);
}

static void assign_to_self(api_call *c)
{
    admin_act(c, REPORT_ASSIGN);
}

static void unassign(api_call *c)
{
    admin_act(c, REPORT_UNASSIGN);
}

static void resolve(api_call *c)
{
    admin_act(c, REPORT_RESOLVE);
}

static void reopen(api_call *c)
{
    admin_act(c, REPORT_REOPEN);
}

#define REP "/api/v1/admin/reports"
const api_route api_routes_reports[] = {
    {M_POST, "/api/v1/reports", create, EXEC_WRITE, AUTH_USER, "write:reports"},
    {M_GET, REP, admin_list, EXEC_WRITE, AUTH_USER, "admin:read:reports"},
    {M_GET, REP "/:id", admin_show, EXEC_WRITE, AUTH_USER, "admin:read:reports"},
    {M_PUT, REP "/:id", admin_update, EXEC_WRITE, AUTH_USER, "admin:write:reports"},
    {M_POST, REP "/:id/assign_to_self", assign_to_self, EXEC_WRITE, AUTH_USER,
     "admin:write:reports"},
    {M_POST, REP "/:id/unassign", unassign, EXEC_WRITE, AUTH_USER, "admin:write:reports"},
    {M_POST, REP "/:id/resolve", resolve, EXEC_WRITE, AUTH_USER, "admin:write:reports"},
    {M_POST, REP "/:id/reopen", reopen, EXEC_WRITE, AUTH_USER, "admin:write:reports"},
    {0},
};
