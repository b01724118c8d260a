/*
 * sessions.c — a person's own sessions and password (our extension; docs/api.md "Sessions
 * and password"; the rules: app/sessions.h):
 *
 *   GET    /api/v1/partyline/sessions       one's live tokens, newest first (limit, max_id)
 *   DELETE /api/v1/partyline/sessions/:id   revokes one of them
 *   POST   /api/v1/partyline/password       {current_password, password}
 *
 * A Session is {id, app: {name, website} or null, scopes, created_at, last_used_at (always
 * null: not recorded), current (the token of this request)}.
 */
#include <stdio.h>

#include "api/handlers.h"
#include "app/sessions.h"

enum { SESSIONS_PAGE = 40, SESSIONS_PAGE_MAX = 80 };

static void sessions_index(api_call *c)
{
    pl_page p;
    api_page(c, &p, SESSIONS_PAGE, SESSIONS_PAGE_MAX);
    pl_session *rows;
    int n;
    if (failed(c, sessions_list(c->app, c->viewer->id, p.max_id, p.limit, &rows, &n))) return;
    jw w;
    api_json(c, &w);
    if (n == p.limit) {
        const char *v =
            arena_printf(c->app->a, "<%s%s?limit=%d&max_id=%lld>; rel=\"next\"",
                         c->app->cfg->base_url, c->req->path, p.limit, (long long)rows[n - 1].id);
        api_header_add(c->resp, "Link", v);
    }
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        const pl_session *s = &rows[i];
        jw_obj(&w);
        jw_kid(&w, "id", s->id);
        jw_key(&w, "app");
        if (s->app_name) {
            jw_obj(&w);
            jw_kstr(&w, "name", s->app_name);
            jw_kstr(&w, "website", s->app_website && *s->app_website ? s->app_website : NULL);
            jw_obj_end(&w);
        } else {
            jw_null(&w);
        }
        jw_kstr(&w, "scopes", s->scopes);
        jw_ktime(&w, "created_at", s->created_at);
        jw_knull(&w, "last_used_at");
        jw_kbool(&w, "current", c->has_token && c->token.id == s->id);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

static void session_revoke(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, sessions_revoke(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void password_change(api_call *c)
{
    auth_signin who = {.ip = c->req->ip};
    int rc = sessions_change_password(c->app, c->viewer, c->token.id, p_str(c, "current_password"),
                                      p_str(c, "password"), &who);
    if (rc == PL_ERATE) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)(who.retry_after_s > 0 ? who.retry_after_s : 1));
        api_header_add(c->resp, "Retry-After", arena_strdup(c->app->a, v));
    }
    if (failed(c, rc)) return;
    empty_object(c);
}

const api_route api_routes_sessions[] = {
    {M_GET, "/api/v1/partyline/sessions", sessions_index, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_DELETE, "/api/v1/partyline/sessions/:id", session_revoke, EXEC_WRITE, AUTH_USER,
     "write:accounts"},
    {M_POST, "/api/v1/partyline/password", password_change, EXEC_SLOW, AUTH_USER, "write:accounts"},
    {0},
};
