/*
 * oembed.c — GET /api/oembed?url=…: how another site embeds a post it links to
 * (docs.joinmastodon.org/methods/oembed; the oEmbed 1.0 "rich" response).
 *
 * Only what a signed-out visitor may read is described: the post is read as viewer 0 through
 * posts_get, so app/audience.c decides — public and unlisted posts, and only where
 * `public_read` is on; never a company, followers-only, list or direct post, nor one of a
 * private channel. Anything else, a boost, and any address that is not a post's `url` or
 * `uri` on this server is "404 Record not found", the same answer as for a post that does not
 * exist, so the endpoint tells nobody what exists.
 *
 * The html is a quotation of the post (its rendered content, already escaped by the server,
 * or its content warning alone) with a link to it — no iframe and no script: the web client's
 * pages are served with frame-ancestors 'none', and a company's posts are not to be framed
 * elsewhere.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "app/posts.h"

enum {
    OEMBED_DEFAULT_WIDTH = 400, /* Mastodon's */
    OEMBED_CACHE_AGE = 86400,   /* seconds, Mastodon's */
};

/* The id of the post at a url of this server — its `url` (BASE/@name/id) or its `uri`
 * (BASE/users/name/statuses/id) — with the name written into *name (in the arena); 0 if url
 * is neither. */
static int64_t post_address(api_call *c, const char *url, const char **name)
{
    const char *base = c->app->cfg->base_url;
    size_t n = strlen(base);
    if (!url || strncmp(url, base, n)) return 0;
    const char *p = url + n, *sep;
    if (!strncmp(p, "/@", 2)) {
        p += 2;
        sep = "/";
    } else if (!strncmp(p, "/users/", 7)) {
        p += 7;
        sep = "/statuses/";
    } else {
        return 0;
    }
    const char *end = strstr(p, sep);
    if (!end || end == p || end - p > 30) return 0;
    *name = arena_strndup(c->app->a, p, (size_t)(end - p));
    const char *digits = end + strlen(sep);
    if (*digits < '1' || *digits > '9') return 0;
    char *stop;
    long long id = strtoll(digits, &stop, 10);
    return *stop || id <= 0 ? 0 : id;
}

/* A positive whole number parameter, def if absent; -1 (and a 422 sent) if it is not one. */
static int64_t dimension(api_call *c, const char *key, int64_t def)
{
    const char *s = p_str(c, key);
    if (!s) return def;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s && !*end && v > 0 && v <= INT32_MAX) return v;
    api_error(c, 422, arena_printf(c->app->a, "%s must be a positive whole number", key));
    return -1;
}

static void oembed(api_call *c)
{
    const char *url = p_str(c, "url");
    if (!url || !*url) {
        api_error(c, 400, "url is missing: the address of the post to embed");
        return;
    }
    int64_t width = dimension(c, "maxwidth", OEMBED_DEFAULT_WIDTH);
    if (width < 0) return;
    int64_t height = dimension(c, "maxheight", 0);
    if (height < 0) return;
    const char *name = NULL;
    int64_t id = post_address(c, url, &name);
    pl_status s;
    const pl_account *author = NULL;
    if (id && posts_get(c->app, 0, id, &s) == PL_OK && !s.reblog_of_id)
        author = app_account(c->app, s.account_id);
    if (!author || strcasecmp(author->username, name)) {
        api_error(c, 404, "Record not found");
        return;
    }
    const char *base = c->app->cfg->base_url;
    const char *who =
        author->display_name && *author->display_name ? author->display_name : author->username;
    const char *post_url =
        arena_printf(c->app->a, "%s/@%s/%lld", base, author->username, (long long)s.id);

    buf html = BUF_INIT;
    buf_puts(&html, "<blockquote class=\"partyline-embed\" cite=\"");
    buf_put_html(&html, post_url, strlen(post_url));
    buf_puts(&html, "\">");
    if (s.spoiler_text && *s.spoiler_text) {
        buf_puts(&html, "<p>Content warning: ");
        buf_put_html(&html, s.spoiler_text, strlen(s.spoiler_text));
        buf_puts(&html, "</p>");
    } else if (s.content) {
        buf_puts(&html, s.content); /* the server's own rendering: user text is escaped */
    }
    buf_puts(&html, "<p>— ");
    buf_put_html(&html, who, strlen(who));
    buf_puts(&html, " (@");
    buf_put_html(&html, author->username, strlen(author->username));
    buf_puts(&html, ") <a href=\"");
    buf_put_html(&html, post_url, strlen(post_url));
    buf_puts(&html, "\">Open the post</a></p></blockquote>");

    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "type", "rich");
    jw_kstr(&w, "version", "1.0");
    jw_kstr(&w, "title", arena_printf(c->app->a, "New status by %s", author->username));
    jw_kstr(&w, "author_name", who);
    jw_kcat(&w, "author_url", base, "/@", author->username, NULL);
    jw_kstr(&w, "provider_name", c->app->cfg->host);
    jw_kcat(&w, "provider_url", base, "/", NULL);
    jw_kint(&w, "cache_age", OEMBED_CACHE_AGE);
    jw_kstr(&w, "html", buf_cstr(&html));
    jw_kint(&w, "width", width);
    if (height)
        jw_kint(&w, "height", height);
    else
        jw_knull(&w, "height");
    jw_obj_end(&w);
    buf_free(&html);
}

const api_route api_routes_oembed[] = {
    {M_GET, "/api/oembed", oembed, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {0},
};
