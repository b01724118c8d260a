/*
 * landing.c — GET /about: a plain page, without script, saying what is running and how to
 * connect from a Mastodon app. The browser client (web/, served at / by src/http/web.c)
 * links to it; it is also what a browser without JavaScript is pointed to.
 */
#include <string.h>

#include "api/api.h"
#include "app/accounts.h"

static void landing(api_call *c)
{
    const pl_config *cfg = c->app->cfg;
    int64_t users = 0, statuses = 0;
    accounts_stats(c->app, &users, &statuses);
    c->resp->status = 200;
    c->resp->content_type = "text/html; charset=utf-8";
    api_header_add(c->resp, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    buf *b = &c->resp->body;
    buf_reset(b);
    buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    buf_put_html(b, cfg->instance_name, strlen(cfg->instance_name));
    buf_puts(b, "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;"
                "margin:3rem auto;padding:0 1rem;color:#1b1b1f}code{background:#eef;"
                "padding:.1rem .3rem}</style></head><body>\n<h1>");
    buf_put_html(b, cfg->instance_name, strlen(cfg->instance_name));
    buf_printf(b,
               "</h1>\n<p>The company's social network is running: %lld people, %lld posts.</p>\n",
               (long long)users, (long long)statuses);
    buf_puts(b, "<p>Use it from any Mastodon app: choose “other server” and enter <code>");
    buf_put_html(b, cfg->base_url, strlen(cfg->base_url));
    buf_puts(b, "</code>. The app signs you in on this server's own sign-in page.</p>\n"
                "<p>For programs: the Mastodon client API is served here "
                "(<code>/api/v1/instance</code>), with <code>/health</code> and "
                "<code>/metrics</code> for operators.</p>\n</body></html>\n");
}

const api_route api_routes_landing[] = {
    {M_GET, "/about", landing, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {0},
};
