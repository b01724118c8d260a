/*
 * oauth.c — /oauth/authorize (a real sign-in page), /oauth/token, /oauth/revoke.
 * docs.joinmastodon.org/methods/oauth — authorization code (with PKCE), client
 * credentials and password grants; urn:ietf:wg:oauth:2.0:oob shows the code on a page.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "app/auth.h"

static void html_input(buf *b, const char *name, const char *value)
{
    buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    if (value) buf_put_html(b, value, strlen(value));
    buf_puts(b, "\">\n");
}

/*
 * The sign-in form posts to this server, which answers with a 302 to the app's redirect_uri.
 * Browsers hold that redirect to the form page's CSP form-action too, so the page allows the
 * one redirect_uri this request was validated for (registered by the app): its origin for
 * http(s), its scheme for an app's own scheme ("myapp:"). Nothing else is allowed, and a URI
 * that cannot be written as a CSP source safely (odd characters, a user in it) adds nothing.
 */
static const char *redirect_source(arena *a, const char *uri)
{
    if (!uri || !strcmp(uri, AUTH_OOB)) return NULL;
    size_t n = 0;
    while ((uri[n] >= 'a' && uri[n] <= 'z') || (uri[n] >= 'A' && uri[n] <= 'Z') ||
           (n > 0 &&
            ((uri[n] >= '0' && uri[n] <= '9') || uri[n] == '+' || uri[n] == '-' || uri[n] == '.')))
        n++;
    if (n == 0 || uri[n] != ':') return NULL;
    bool web =
        (n == 4 && !strncasecmp(uri, "http", 4)) || (n == 5 && !strncasecmp(uri, "https", 5));
    if (!web) return arena_strndup(a, uri, n + 1); /* "myapp:" */
    if (strncmp(uri + n, "://", 3)) return NULL;
    const char *host = uri + n + 3;
    size_t h = strcspn(host, "/?#");
    if (h == 0) return NULL;
    for (size_t i = 0; i < h; i++) {
        char ch = host[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
            return NULL;
    }
    return arena_strndup(a, uri, n + 3 + h);
}

/* Starts an HTML page; form_target is one more CSP form-action source (redirect_source). */
static void page_start(api_call *c, int status, const char *title, const char *form_target)
{
    c->resp->status = status;
    c->resp->content_type = "text/html; charset=utf-8";
    buf csp = BUF_INIT;
    buf_printf(&csp,
               "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'%s%s; "
               "frame-ancestors 'none'",
               form_target ? " " : "", form_target ? form_target : "");
    api_header_add(c->resp, "Content-Security-Policy", arena_strdup(c->app->a, buf_cstr(&csp)));
    buf_free(&csp);
    api_header_add(c->resp, "Cache-Control", "no-store");
    buf *b = &c->resp->body;
    buf_reset(b);
    buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>");
    buf_put_html(b, title, strlen(title));
    buf_puts(b, " · partyline</title><style>body{font:16px/1.5 system-ui,sans-serif;"
                "max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}"
                "label{display:block;margin-top:1rem;font-weight:600}"
                "input[type=text],input[type=password]{width:100%;padding:.6rem;"
                "font-size:1rem;box-sizing:border-box;border:1px solid #767680;border-radius:6px}"
                "button{margin-top:1.5rem;padding:.7rem 1.4rem;font-size:1rem;border:0;"
                "border-radius:6px;background:#3a4bd8;color:#fff}"
                ".error{color:#b3261e}code{font-size:1.2rem;word-break:break-all;"
                "background:#eef;padding:.3rem}</style></head><body>\n");
}

static void page_end(api_call *c)
{
    buf_puts(&c->resp->body, "</body></html>\n");
}

static void retry_after(api_call *c, int64_t seconds)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)(seconds > 0 ? seconds : 1));
    api_header_add(c->resp, "Retry-After", arena_strdup(c->app->a, v));
}

static void error_page(api_call *c, int status, const char *msg)
{
    page_start(c, status, "Sign-in problem", NULL);
    buf *b = &c->resp->body;
    buf_puts(b, "<h1>Sign-in problem</h1><p class=\"error\">");
    buf_put_html(b, msg, strlen(msg));
    buf_puts(b, "</p>");
    page_end(c);
}

static void sign_in_form(api_call *c, const pl_app *app, const char *error)
{
    page_start(c, error ? 401 : 200, "Sign in",
               redirect_source(c->app->a, p_str(c, "redirect_uri")));
    buf *b = &c->resp->body;
    buf_printf(b, "<h1>Sign in to %s</h1>\n<p>", c->app->cfg->instance_name);
    buf_put_html(b, app->name, strlen(app->name));
    buf_puts(b, " wants to use your account.</p>\n");
    /* what it asks for, in OAuth's words (the app's own scopes when the request names none);
     * administration rights are said in plain words, since they act for the whole company */
    const char *scope = p_str(c, "scope");
    if (!scope || !*scope) scope = app->scopes;
    if (scope && *scope) {
        buf_puts(b, "<p>It asks for: ");
        buf_put_html(b, scope, strlen(scope));
        buf_puts(b, "</p>\n");
        if (strstr(scope, "admin:"))
            buf_puts(b,
                     "<p><strong>This includes administration rights: what you do with them acts "
                     "for the whole company and is recorded in the audit log.</strong></p>\n");
    }
    if (error) {
        buf_puts(b, "<p class=\"error\" role=\"alert\">");
        buf_put_html(b, error, strlen(error));
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<form method=\"post\" action=\"/oauth/authorize\">\n");
    static const char *const keep[] = {
        "client_id",      "redirect_uri",          "scope", "response_type", "state",
        "code_challenge", "code_challenge_method", NULL};
    for (int i = 0; keep[i]; i++) html_input(b, keep[i], p_str(c, keep[i]));
    buf_puts(b, "<label for=\"username\">E-mail or username</label>"
                "<input type=\"text\" id=\"username\" name=\"username\" "
                "autocomplete=\"username\" required>\n"
                "<label for=\"password\">Password</label>"
                "<input type=\"password\" id=\"password\" name=\"password\" "
                "autocomplete=\"current-password\" required>\n"
                "<button type=\"submit\">Authorize</button>\n</form>\n");
    page_end(c);
}

/* Checks client_id, redirect_uri and response_type; shows an error page if wrong. */
static bool authorize_params(api_call *c, pl_app *app)
{
    const char *rt = p_str(c, "response_type");
    if (auth_app_by_client_id(c->app, p_str(c, "client_id"), app) != PL_OK) {
        error_page(c, 400, "This application is not known to the server (unknown client_id).");
        return false;
    }
    if (rt && strcmp(rt, "code")) {
        error_page(c, 400, "Only response_type=code is supported.");
        return false;
    }
    const char *redirect = p_str(c, "redirect_uri");
    if (!redirect || !auth_redirect_allowed(app, redirect)) {
        error_page(c, 400, "The redirect_uri is not one this application registered.");
        return false;
    }
    const char *challenge = p_str(c, "code_challenge");
    if (challenge && *challenge &&
        auth_challenge_method_check(c->app, p_str(c, "code_challenge_method")) != PL_OK) {
        c->app->errcode = NULL;
        error_page(c, 400, c->app->errmsg);
        return false;
    }
    return true;
}

static void authorize_form(api_call *c)
{
    pl_app app;
    if (authorize_params(c, &app)) sign_in_form(c, &app, NULL);
}

static void append_query(buf *b, const char *uri, const char *code, const char *state)
{
    buf_puts(b, uri);
    buf_putc(b, strchr(uri, '?') ? '&' : '?');
    buf_printf(b, "code=%s", code);
    if (state && *state) {
        buf_puts(b, "&state=");
        for (const unsigned char *p = (const unsigned char *)state; *p; p++) {
            if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                *p == '-' || *p == '_' || *p == '.' || *p == '~')
                buf_putc(b, (char)*p);
            else
                buf_printf(b, "%%%02X", *p);
        }
    }
}

static void authorize_submit(api_call *c)
{
    pl_app app;
    if (!authorize_params(c, &app)) return;
    pl_account acc;
    auth_signin who = {.ip = c->req->ip};
    int rc = auth_check_password(c->app, p_str(c, "username"), p_str(c, "password"), &who, &acc);
    if (rc) {
        c->app->errcode = NULL;
        sign_in_form(c, &app, c->app->errmsg ? c->app->errmsg : "Sign-in failed.");
        if (rc == PL_ERATE) {
            c->resp->status = 429;
            retry_after(c, who.retry_after_s);
        }
        return;
    }
    if (acc.is_unconfirmed) { /* as Mastodon's web sign-in: no code until confirmed */
        sign_in_form(c, &app,
                     "Your e-mail address is not confirmed yet: open the link we sent to it, "
                     "then sign in.");
        return;
    }
    const char *code, *redirect = p_str(c, "redirect_uri");
    rc = auth_code_issue(c->app, &app, acc.id, redirect, p_str(c, "scope"),
                         p_str(c, "code_challenge"), p_str(c, "code_challenge_method"), &code);
    if (rc) {
        error_page(c, 400, c->app->errmsg ? c->app->errmsg : "Could not authorize.");
        return;
    }
    if (!strcmp(redirect, AUTH_OOB)) {
        page_start(c, 200, "Authorization code", NULL);
        buf *b = &c->resp->body;
        buf_puts(b, "<h1>Authorization code</h1><p>Copy this code and paste it into the "
                    "application:</p><p><code id=\"code\">");
        buf_puts(b, code);
        buf_puts(b, "</code></p>");
        page_end(c);
        return;
    }
    buf loc = BUF_INIT;
    append_query(&loc, redirect, code, p_str(c, "state"));
    c->resp->status = 302;
    api_header_add(c->resp, "Location", arena_strdup(c->app->a, buf_cstr(&loc)));
    buf_free(&loc);
    c->resp->content_type = "text/plain; charset=utf-8";
    buf_reset(&c->resp->body);
}

static void token_response(api_call *c, const char *token, const char *scopes)
{
    jw w;
    api_json(c, &w);
    api_header_add(c->resp, "Cache-Control", "no-store");
    jw_obj(&w);
    jw_kstr(&w, "access_token", token);
    jw_kstr(&w, "token_type", "Bearer");
    jw_kstr(&w, "scope", scopes);
    jw_kint(&w, "created_at", c->app->now / 1000);
    jw_obj_end(&w);
}

static void oauth_token(api_call *c)
{
    const char *grant = p_str(c, "grant_type");
    if (!grant) {
        c->app->errcode = "invalid_request";
        c->app->errmsg = "Missing required parameter: grant_type.";
        api_fail_rc(c, PL_EBADREQ);
        return;
    }
    pl_app app;
    int rc = auth_client(c->app, p_str(c, "client_id"), p_str(c, "client_secret"), &app);
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    const char *token = NULL, *scope = p_str(c, "scope");
    auth_signin who = {.ip = c->req->ip};
    if (!strcmp(grant, "password")) {
        rc = auth_password_grant(c->app, &app, p_str(c, "username"), p_str(c, "password"), scope,
                                 &who, &token);
    } else if (!strcmp(grant, "client_credentials")) {
        rc = auth_client_credentials_grant(c->app, &app, scope, &token);
    } else if (!strcmp(grant, "authorization_code")) {
        rc = auth_code_grant(c->app, &app, p_str(c, "code"), p_str(c, "redirect_uri"),
                             p_str(c, "code_verifier"), &token);
    } else {
        c->app->errcode = "unsupported_grant_type";
        c->app->errmsg = "The authorization grant type is not supported by the server.";
        rc = PL_EBADREQ;
    }
    if (rc == PL_ERATE) {
        /* not an OAuth error code: 429 with when to come back, like every other limit */
        c->app->errcode = NULL;
        retry_after(c, who.retry_after_s);
        api_error(c, 429, c->app->errmsg);
        return;
    }
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    /* the scopes actually granted: re-read from the token */
    pl_token t;
    const pl_account *acc;
    if (auth_authenticate(c->app, token, &t, &acc) == PL_OK) scope = t.scopes;
    token_response(c, token, scope ? scope : app.scopes);
}

static void oauth_revoke(api_call *c)
{
    pl_app app;
    int rc = auth_client(c->app, p_str(c, "client_id"), p_str(c, "client_secret"), &app);
    if (!rc) rc = auth_revoke(c->app, &app, p_str(c, "token"));
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_obj_end(&w);
}

const api_route api_routes_oauth[] = {
    {M_GET, "/oauth/authorize", authorize_form, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_POST, "/oauth/authorize", authorize_submit, EXEC_SLOW, AUTH_NONE, SCOPE_NONE},
    {M_POST, "/oauth/token", oauth_token, EXEC_SLOW, AUTH_NONE, SCOPE_NONE},
    {M_POST, "/oauth/revoke", oauth_revoke, EXEC_SLOW, AUTH_NONE, SCOPE_NONE},
    {0},
};
