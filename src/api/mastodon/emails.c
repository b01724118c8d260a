/*
 * emails.c — POST /api/v1/emails/confirmations (send the confirmation link again, maybe to a
 * corrected address) and GET /auth/confirmation (the link itself: confirms, and says so on a
 * small page that leads to the web client's sign-in).
 * docs.joinmastodon.org/methods/emails; the rules are app/confirm.c's.
 */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "app/confirm.h"

static void resend(api_call *c)
{
    int64_t wait = 0;
    int rc = confirm_resend(c->app, c->viewer->id, c->token.app_id, p_str(c, "email"), &wait);
    if (rc == PL_ERATE) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)(wait > 0 ? wait : 1));
        api_header_add(c->resp, "Retry-After", arena_strdup(c->app->a, v));
    }
    if (failed(c, rc)) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_obj_end(&w);
}

static void page(api_call *c, int status, const char *title, const char *text, bool sign_in)
{
    c->resp->status = status;
    c->resp->content_type = "text/html; charset=utf-8";
    api_header_add(c->resp, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    api_header_add(c->resp, "Cache-Control", "no-store");
    api_header_add(c->resp, "Referrer-Policy", "no-referrer"); /* the link holds a secret */
    buf *b = &c->resp->body;
    buf_reset(b);
    buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    buf_put_html(b, title, strlen(title));
    buf_puts(b, "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;"
                "margin:3rem auto;padding:0 1rem;color:#1b1b1f}a{color:#3a4bd8}</style>"
                "</head><body>\n<main><h1>");
    buf_put_html(b, title, strlen(title));
    buf_puts(b, "</h1><p>");
    buf_put_html(b, text, strlen(text));
    buf_puts(b, "</p>");
    if (sign_in) {
        buf_puts(b, "<p><a href=\"/\">Sign in to ");
        const char *name = c->app->cfg->instance_name;
        buf_put_html(b, name, strlen(name));
        buf_puts(b, "</a></p>");
    }
    buf_puts(b, "</main></body></html>\n");
}

static void open_link(api_call *c)
{
    const char *username = NULL;
    int rc = confirm_open(c->app, p_str(c, "confirmation_token"), &username);
    if (rc == PL_OK) {
        const char *text = arena_printf(c->app->a,
                                        "Thank you, @%s: your e-mail address is confirmed and "
                                        "your account is ready.",
                                        username);
        page(c, 200, "Your address is confirmed", text, true);
    } else if (rc == PL_ENOTFOUND || rc == PL_EINVAL) {
        page(c, rc == PL_EINVAL ? 410 : 404, "This link does not work",
             c->app->errmsg ? c->app->errmsg : "This confirmation link does not work.", false);
    } else {
        api_fail_rc(c, rc);
    }
}

const api_route api_routes_emails[] = {
    {M_POST, "/api/v1/emails/confirmations", resend, EXEC_WRITE, AUTH_UNCONFIRMED,
     "write:accounts"},
    {M_GET, "/auth/confirmation", open_link, EXEC_WRITE, AUTH_NONE, SCOPE_NONE},
    {0},
};
