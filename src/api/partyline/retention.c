/*
 * retention.c — retention policies, legal holds and a person's own automatic deletion
 * (issue 14; docs/api.md "Retention and legal holds"; the rules are app/retention.h's):
 *
 *   GET    /api/v1/partyline/admin/retention/policies               every policy
 *   PUT    /api/v1/partyline/admin/retention/policies/company       {days}
 *   PUT    /api/v1/partyline/admin/retention/policies/direct        {days}
 *   PUT    /api/v1/partyline/admin/retention/policies/channels/:id  {days}
 *   DELETE the same three                                           removes it
 *   GET    /api/v1/partyline/admin/holds                            in force (?all=true: all)
 *   POST   /api/v1/partyline/admin/holds                            {account_id | channel_id,
 *                                                                    reason}
 *   POST   /api/v1/partyline/admin/holds/:id/release
 *   GET    /api/v1/partyline/statuses_cleanup                       one's own automatic
 *   PUT    /api/v1/partyline/statuses_cleanup                       deletion (Mastodon's
 *                                                                    fields)
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/retention.h"

#define ADMIN "/api/v1/partyline/admin"

static const char *scope_name(int scope)
{
    return scope == RETENTION_COMPANY  ? "company"
           : scope == RETENTION_DIRECT ? "direct"
                                       : "channel";
}

static void policy_json(jw *w, const pl_retention_policy *p)
{
    jw_obj(w);
    jw_kstr(w, "scope", scope_name(p->scope));
    jw_kid(w, "channel_id", p->channel_id);
    jw_kint(w, "days", p->days);
    jw_kid(w, "set_by", p->set_by);
    jw_ktime(w, "set_at", p->set_at);
    jw_obj_end(w);
}

static void hold_json(jw *w, const pl_legal_hold *h)
{
    jw_obj(w);
    jw_kid(w, "id", h->id);
    jw_kstr(w, "target_kind", h->target_kind == HOLD_CHANNEL ? "channel" : "account");
    jw_kid(w, "target_id", h->target_id);
    jw_kstr(w, "reason", h->reason ? h->reason : "");
    jw_kid(w, "set_by", h->set_by);
    jw_ktime(w, "created_at", h->set_at);
    jw_kid(w, "released_by", h->released_by);
    jw_ktime_or_null(w, "released_at", h->released_at);
    jw_obj_end(w);
}

static bool bool_param(api_call *c, const char *name, bool *v)
{
    int b = p_bool(c, name, -1);
    if (b == -1) return true;
    if (b == 0 || b == 1) {
        *v = b;
        return true;
    }
    api_error(c, 422, arena_printf(c->app->a, "Validation failed: %s must be true or false", name));
    return false;
}

/* Administrators only, before the parameters are looked at (so a member learns nothing of
 * them): false with 403 sent otherwise. */
static bool admin_only(api_call *c)
{
    if (c->viewer && c->viewer->is_admin) return true;
    api_error(c, 403, "Only administrators may read or change retention policies and holds");
    return false;
}

/* ---- policies ------------------------------------------------------------------------- */

static void policies_index(api_call *c)
{
    pl_retention_policy *p;
    int n;
    if (failed(c, retention_policies(c->app, c->viewer, &p, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) policy_json(&w, &p[i]);
    jw_arr_end(&w);
}

static void policy_put(api_call *c, int scope, int64_t channel)
{
    int64_t days = -1;
    if (!admin_only(c) || !p_whole(c, "days", false, &days)) return;
    if (days == -1 || days == 0) {
        /* 0 would remove it: that is DELETE's; here it is out of bounds like any other */
        api_error(c, 422,
                  arena_printf(c->app->a,
                               "Validation failed: days must be a whole number from %d "
                               "to %d",
                               RETENTION_DAYS_MIN, RETENTION_DAYS_MAX));
        return;
    }
    if (failed(c, retention_policy_set(c->app, c->viewer, scope, channel, days))) return;
    pl_retention_policy p = {.scope = scope,
                             .channel_id = channel,
                             .days = (int)days,
                             .set_by = c->viewer->id,
                             .set_at = c->app->now};
    jw w;
    api_json(c, &w);
    policy_json(&w, &p);
}

static void put_company(api_call *c)
{
    policy_put(c, RETENTION_COMPANY, 0);
}
static void put_direct(api_call *c)
{
    policy_put(c, RETENTION_DIRECT, 0);
}
static void put_channel(api_call *c)
{
    int64_t id = need_path_id(c);
    if (id) policy_put(c, RETENTION_CHANNEL, id);
}

static void policy_delete(api_call *c, int scope, int64_t channel)
{
    if (!failed(c, retention_policy_set(c->app, c->viewer, scope, channel, 0))) empty_object(c);
}
static void delete_company(api_call *c)
{
    policy_delete(c, RETENTION_COMPANY, 0);
}
static void delete_direct(api_call *c)
{
    policy_delete(c, RETENTION_DIRECT, 0);
}
static void delete_channel(api_call *c)
{
    int64_t id = need_path_id(c);
    if (id) policy_delete(c, RETENTION_CHANNEL, id);
}

/* ---- holds ---------------------------------------------------------------------------- */

static void holds_index(api_call *c)
{
    pl_legal_hold *h;
    int n;
    bool all = false;
    if (!admin_only(c) || !bool_param(c, "all", &all)) return;
    if (failed(c, retention_holds(c->app, c->viewer, all, &h, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) hold_json(&w, &h[i]);
    jw_arr_end(&w);
}

static void holds_create(api_call *c)
{
    int64_t account = 0, channel = 0;
    if (!admin_only(c) || !p_whole(c, "account_id", false, &account) ||
        !p_whole(c, "channel_id", false, &channel))
        return;
    if (!account == !channel) {
        api_error(c, 422, "Validation failed: give either account_id or channel_id");
        return;
    }
    const char *reason = p_str(c, "reason");
    pl_legal_hold h;
    if (failed(c, retention_hold_set(c->app, c->viewer, account ? HOLD_ACCOUNT : HOLD_CHANNEL,
                                     account ? account : channel, reason, &h)))
        return;
    jw w;
    api_json(c, &w);
    hold_json(&w, &h);
}

static void holds_release(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_legal_hold h;
    if (failed(c, retention_hold_release(c->app, c->viewer, id, &h))) return;
    jw w;
    api_json(c, &w);
    hold_json(&w, &h);
}

/* ---- one's own ------------------------------------------------------------------------ */

static void cleanup_json(api_call *c, const pl_cleanup_policy *p)
{
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kbool(&w, "enabled", p->enabled);
    jw_kint(&w, "min_status_age", p->min_status_age);
    jw_kbool(&w, "keep_direct", p->keep_direct);
    jw_kbool(&w, "keep_pinned", p->keep_pinned);
    jw_kbool(&w, "keep_polls", p->keep_polls);
    jw_kbool(&w, "keep_media", p->keep_media);
    jw_kbool(&w, "keep_self_fav", p->keep_self_fav);
    jw_kbool(&w, "keep_self_bookmark", p->keep_self_bookmark);
    if (p->min_favs >= 0)
        jw_kint(&w, "min_favs", p->min_favs);
    else
        jw_knull(&w, "min_favs");
    if (p->min_reblogs >= 0)
        jw_kint(&w, "min_reblogs", p->min_reblogs);
    else
        jw_knull(&w, "min_reblogs");
    jw_obj_end(&w);
}

static void cleanup_show(api_call *c)
{
    pl_cleanup_policy p;
    if (!failed(c, retention_cleanup_get(c->app, c->viewer->id, &p))) cleanup_json(c, &p);
}

/* Changes the fields sent, keeping the others. */
static void cleanup_update(api_call *c)
{
    pl_cleanup_policy p;
    if (failed(c, retention_cleanup_get(c->app, c->viewer->id, &p))) return;
    if (!bool_param(c, "enabled", &p.enabled) ||
        !p_whole(c, "min_status_age", false, &p.min_status_age) ||
        !bool_param(c, "keep_direct", &p.keep_direct) ||
        !bool_param(c, "keep_pinned", &p.keep_pinned) ||
        !bool_param(c, "keep_polls", &p.keep_polls) ||
        !bool_param(c, "keep_media", &p.keep_media) ||
        !bool_param(c, "keep_self_fav", &p.keep_self_fav) ||
        !bool_param(c, "keep_self_bookmark", &p.keep_self_bookmark) ||
        !p_whole(c, "min_favs", true, &p.min_favs) ||
        !p_whole(c, "min_reblogs", true, &p.min_reblogs))
        return;
    if (failed(c, retention_cleanup_set(c->app, c->viewer->id, &p))) return;
    cleanup_json(c, &p);
}

#define POLICIES ADMIN "/retention/policies"

const api_route api_routes_retention[] = {
    {M_GET, POLICIES, policies_index, EXEC_READ, AUTH_USER, "admin:read"},
    {M_PUT, POLICIES "/company", put_company, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_PUT, POLICIES "/direct", put_direct, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_PUT, POLICIES "/channels/:id", put_channel, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, POLICIES "/company", delete_company, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, POLICIES "/direct", delete_direct, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, POLICIES "/channels/:id", delete_channel, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_GET, ADMIN "/holds", holds_index, EXEC_READ, AUTH_USER, "admin:read"},
    {M_POST, ADMIN "/holds", holds_create, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_POST, ADMIN "/holds/:id/release", holds_release, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_GET, "/api/v1/partyline/statuses_cleanup", cleanup_show, EXEC_READ, AUTH_USER,
     "read:accounts"},
    {M_PUT, "/api/v1/partyline/statuses_cleanup", cleanup_update, EXEC_WRITE, AUTH_USER,
     "write:accounts"},
    {0},
};
