/*
 * admin_accounts.c — the moderators' view of people and their acts on them: Mastodon's
 * /api/v1/admin/accounts and /api/v2/admin/accounts (docs.joinmastodon.org/methods/admin/
 * accounts; entities/Admin_Account), and ours to set a role (Mastodon has none in its API):
 *
 *   GET  /api/v1/admin/accounts             v1 filters: local remote active pending disabled
 *                                           silenced suspended staff username display_name
 *                                           email ip by_domain
 *   GET  /api/v2/admin/accounts             v2 filters: origin status permissions username
 *                                           display_name email ip
 *   GET  /api/v1/admin/accounts/:id
 *   POST /api/v1/admin/accounts/:id/action  type none|disable|silence|suspend, report_id, text
 *   POST /api/v1/admin/accounts/:id/{approve,reject,enable,unsilence,unsuspend}
 *   POST /api/v1/partyline/admin/accounts/:id/role   role admin|moderator|user (administrators)
 *
 * The rules (who may, what each act does) are app/moderation.c's; this file reads the
 * parameters and writes Admin::Account. Every person here is local: `remote` or another
 * domain lists nobody; no sign-up address is kept, so an `ip` filter matches nobody.
 */
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "app/moderation.h"

enum { ADMIN_ACCOUNTS_PAGE = 100, ADMIN_ACCOUNTS_PAGE_MAX = 200 };

void ent_admin_account(api_call *c, jw *w, const pl_account *a, const char *reason)
{
    jw_obj(w);
    jw_kid(w, "id", a->id);
    jw_kstr(w, "username", a->username);
    jw_knull(w, "domain");
    jw_ktime(w, "created_at", a->created_at);
    jw_kstr(w, "email", a->email ? a->email : "");
    jw_knull(w, "ip");
    jw_key(w, "ips");
    jw_arr(w);
    jw_arr_end(w);
    jw_kstr(w, "locale", a->default_language ? a->default_language : "");
    jw_kstr(w, "invite_request", reason);
    jw_key(w, "role");
    ent_role(w, a->role);
    jw_kbool(w, "confirmed", !a->is_unconfirmed);
    jw_kbool(w, "approved", a->is_approved);
    jw_kbool(w, "disabled", a->is_disabled);
    jw_kbool(w, "sensitized", false);
    jw_kbool(w, "silenced", a->is_silenced);
    jw_kbool(w, "suspended", a->is_suspended);
    jw_key(w, "account");
    ent_account(c, w, a, false);
    jw_obj_end(w);
}

/* Writes Admin::Account for id (no reason looked up: a page's), or null if it vanished. */
static void admin_account_by_id(api_call *c, jw *w, int64_t id)
{
    const pl_account *a;
    const char *reason;
    if (moderation_account(c->app, c->viewer, id, &a, &reason) == PL_OK)
        ent_admin_account(c, w, a, reason);
    else
        jw_null(w);
}

void ent_admin_account_id(api_call *c, jw *w, int64_t id)
{
    if (id)
        admin_account_by_id(c, w, id);
    else
        jw_null(w);
}

/* A v1 boolean filter: true when given true; false (and 422 sent) when not a boolean. */
static bool flag(api_call *c, const char *name, bool *out)
{
    int v = p_bool(c, name, 0);
    if (v == -2) {
        api_error(c, 422, arena_printf(c->app->a, "%s must be true or false", name));
        return false;
    }
    *out = v == 1;
    return true;
}

static void accounts_answer(api_call *c, const pl_account_filter *f, bool nobody)
{
    pl_page p;
    api_page(c, &p, ADMIN_ACCOUNTS_PAGE, ADMIN_ACCOUNTS_PAGE_MAX);
    pl_idlist l = {0};
    int rc = moderation_accounts_page(c->app, c->viewer, f, &p, &l);
    if (failed(c, rc)) return;
    if (nobody) l.n = 0;
    api_link(c, &l, &p);
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) {
        const pl_account *a;
        const char *reason;
        if (moderation_account(c->app, c->viewer, l.ids[i], &a, &reason) == PL_OK)
            ent_admin_account(c, &w, a, reason);
    }
    jw_arr_end(&w);
}

/* Another domain than ours: nobody (every account is local). */
static bool foreign_domain(api_call *c)
{
    const char *d = p_str(c, "by_domain");
    return d && *d && strcasecmp(d, c->app->cfg->host);
}

static bool given(api_call *c, const char *name)
{
    const char *s = p_str(c, name);
    return s && *s;
}

static void list_v1(api_call *c)
{
    pl_account_filter f = {.username = p_str(c, "username"),
                           .display_name = p_str(c, "display_name"),
                           .email = p_str(c, "email")};
    bool local, remote;
    if (!flag(c, "local", &local) || !flag(c, "remote", &remote) || !flag(c, "active", &f.active) ||
        !flag(c, "pending", &f.pending) || !flag(c, "disabled", &f.disabled) ||
        !flag(c, "silenced", &f.silenced) || !flag(c, "suspended", &f.suspended) ||
        !flag(c, "staff", &f.staff))
        return;
    accounts_answer(c, &f, remote || foreign_domain(c) || given(c, "ip"));
}

static void list_v2(api_call *c)
{
    pl_account_filter f = {.username = p_str(c, "username"),
                           .display_name = p_str(c, "display_name"),
                           .email = p_str(c, "email")};
    const char *origin = p_str(c, "origin"), *status = p_str(c, "status"),
               *perm = p_str(c, "permissions");
    if (origin && *origin && strcmp(origin, "local") && strcmp(origin, "remote")) {
        api_error(c, 422, "origin must be local or remote");
        return;
    }
    if (status && *status) {
        if (!strcmp(status, "active"))
            f.active = true;
        else if (!strcmp(status, "pending"))
            f.pending = true;
        else if (!strcmp(status, "disabled"))
            f.disabled = true;
        else if (!strcmp(status, "silenced"))
            f.silenced = true;
        else if (!strcmp(status, "suspended"))
            f.suspended = true;
        else {
            api_error(c, 422, "status must be active, pending, disabled, silenced or suspended");
            return;
        }
    }
    if (perm && *perm) {
        if (strcmp(perm, "staff")) {
            api_error(c, 422, "permissions must be staff");
            return;
        }
        f.staff = true;
    }
    bool remote = origin && !strcmp(origin, "remote");
    accounts_answer(c, &f, remote || foreign_domain(c) || given(c, "ip"));
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const pl_account *a;
    const char *reason;
    if (failed(c, moderation_account(c->app, c->viewer, id, &a, &reason))) return;
    jw w;
    api_json(c, &w);
    ent_admin_account(c, &w, a, reason);
}

/* Answers an act as Mastodon does: the action route with {}, the others with the account after
 * it (reject: as it was, for it is gone). */
static void act(api_call *c, int what, int64_t report_id, const char *text, bool is_action)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const pl_account *before = NULL;
    const char *reason = NULL;
    if (what == MOD_REJECT &&
        failed(c, moderation_account(c->app, c->viewer, id, &before, &reason)))
        return;
    if (failed(c, moderation_act(c->app, c->viewer, id, what, report_id, text))) return;
    if (is_action) {
        empty_object(c);
    } else if (before) {
        jw w;
        api_json(c, &w);
        ent_admin_account(c, &w, before, reason);
    } else {
        show(c);
    }
}

static void action(api_call *c)
{
    const char *type = p_str(c, "type");
    int what = moderation_act_parse(type ? type : "none");
    if (what < 0) {
        api_error(c, 422, "type must be none, disable, silence or suspend");
        return;
    }
    int64_t report_id = 0;
    const char *r = p_str(c, "report_id");
    if (r && *r && (!id_parse(r, &report_id) || report_id <= 0)) {
        api_error(c, 422, "report_id must be an id");
        return;
    }
    act(c, what, report_id, p_str(c, "text"), true);
}

static void approve(api_call *c)
{
    act(c, MOD_APPROVE, 0, NULL, false);
}

static void reject(api_call *c)
{
    act(c, MOD_REJECT, 0, NULL, false);
}

static void enable(api_call *c)
{
    act(c, MOD_ENABLE, 0, NULL, false);
}

static void unsilence(api_call *c)
{
    act(c, MOD_UNSILENCE, 0, NULL, false);
}

static void unsuspend(api_call *c)
{
    act(c, MOD_UNSUSPEND, 0, NULL, false);
}

static void set_role(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *name = p_str(c, "role");
    int role = moderation_role_parse(name);
    if (role < 0) {
        api_error(c, 422, "role must be admin, moderator or user");
        return;
    }
    if (failed(c, moderation_set_role(c->app, c->viewer, id, role))) return;
    show(c);
}

#define ACC "/api/v1/admin/accounts"
const api_route api_routes_admin_accounts[] = {
    {M_GET, ACC, list_v1, EXEC_READ, AUTH_USER, "admin:read:accounts"},
    {M_GET, "/api/v2/admin/accounts", list_v2, EXEC_READ, AUTH_USER, "admin:read:accounts"},
    {M_GET, ACC "/:id", show, EXEC_READ, AUTH_USER, "admin:read:accounts"},
    {M_POST, ACC "/:id/action", action, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, ACC "/:id/approve", approve, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, ACC "/:id/reject", reject, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, ACC "/:id/enable", enable, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, ACC "/:id/unsilence", unsilence, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, ACC "/:id/unsuspend", unsuspend, EXEC_WRITE, AUTH_USER, "admin:write:accounts"},
    {M_POST, "/api/v1/partyline/admin/accounts/:id/role", set_role, EXEC_WRITE, AUTH_USER,
     "admin:write:accounts"},
    {0},
};
