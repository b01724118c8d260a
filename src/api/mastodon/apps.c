/*
 * apps.c — POST /api/v1/apps and GET /api/v1/apps/verify_credentials.
 * docs.joinmastodon.org/methods/apps
 */
#include <string.h>

#include "api/api.h"
#include "app/auth.h"

static void write_app(api_call *c, jw *w, const pl_app *app, bool with_secret)
{
    jw_obj(w);
    jw_kid(w, "id", app->id);
    jw_kstr(w, "name", app->name);
    jw_kstr(w, "website", app->website);
    jw_key(w, "scopes");
    jw_arr(w);
    for (const char *s = app->scopes; s && *s;) {
        while (*s == ' ') s++;
        size_t n = strcspn(s, " ");
        if (n) jw_strn(w, s, n);
        s += n;
    }
    jw_arr_end(w);
    jw_kstr(w, "redirect_uri", app->redirect_uris);
    jw_key(w, "redirect_uris");
    jw_arr(w);
    for (const char *s = app->redirect_uris; s && *s;) {
        while (*s == ' ' || *s == '\n') s++;
        size_t n = strcspn(s, " \n");
        if (n) jw_strn(w, s, n);
        s += n;
    }
    jw_arr_end(w);
    jw_kstr(w, "vapid_key", "");
    if (with_secret) {
        jw_kstr(w, "client_id", app->client_id);
        jw_kstr(w, "client_secret", app->client_secret);
        jw_kint(w, "client_secret_expires_at", 0);
    }
    jw_obj_end(w);
    (void)c;
}

static void apps_create(api_call *c)
{
    const char *redirect = p_str(c, "redirect_uris");
    json_t *arr = redirect ? NULL : p_arr(c, "redirect_uris");
    if (arr && json_array_size(arr) > 0) {
        buf b = BUF_INIT;
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
            if (!json_is_string(v)) continue;
            if (b.len) buf_putc(&b, '\n');
            buf_puts(&b, json_string_value(v));
        }
        redirect = arena_strdup(c->app->a, buf_cstr(&b));
        buf_free(&b);
    }
    pl_app app;
    int rc = auth_app_create(c->app, p_str(c, "client_name"), redirect, p_str(c, "scopes"),
                             p_str(c, "website"), &app);
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    jw w;
    api_json(c, &w);
    write_app(c, &w, &app, true);
}

static void apps_verify(api_call *c)
{
    pl_app app;
    int rc = auth_app_get(c->app, c->token.app_id, &app);
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    jw w;
    api_json(c, &w);
    write_app(c, &w, &app, false);
}

const api_route api_routes_apps[] = {
    {M_POST, "/api/v1/apps", apps_create, EXEC_WRITE, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/api/v1/apps/verify_credentials", apps_verify, EXEC_READ, AUTH_APP, SCOPE_NONE},
    {0},
};
