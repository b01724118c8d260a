/*
 * paging.c — Mastodon's paging: max_id / since_id / min_id / limit in, Link header out.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"

static int64_t id_param(api_call *c, const char *name)
{
    const char *s = p_str(c, name);
    int64_t v;
    return s && id_parse(s, &v) ? v : 0;
}

void api_page(api_call *c, pl_page *p, int def, int max)
{
    p->max_id = id_param(c, "max_id");
    p->since_id = id_param(c, "since_id");
    p->min_id = id_param(c, "min_id");
    int64_t limit = p_int(c, "limit", def);
    if (limit < 1) limit = def;
    if (limit > max) limit = max;
    p->limit = (int)limit;
}

/* The request's own query parameters, less the paging ones, as "&k=v&…" (still encoded):
 * a next page of notifications with types[]=mention must stay a page of mentions. */
static const char *kept_params(api_call *c, bool by_offset)
{
    static const char *const paging[] = {"max_id", "since_id", "min_id", "limit", "offset"};
    size_t dropped = sizeof paging / sizeof paging[0] - (by_offset ? 0 : 1);
    buf b = BUF_INIT;
    for (const char *q = c->req->query; q && *q;) {
        size_t n = strcspn(q, "&");
        size_t k = strcspn(q, "=&");
        bool drop = n == 0;
        for (size_t i = 0; i < dropped && !drop; i++)
            drop = k == strlen(paging[i]) && !strncmp(q, paging[i], k);
        if (!drop) {
            buf_putc(&b, '&');
            buf_append(&b, q, n);
        }
        q += n;
        if (*q == '&') q++;
    }
    const char *out = arena_strdup(c->app->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

void api_link(api_call *c, const pl_idlist *l, const pl_page *p)
{
    if (l->n == 0) return;
    const char *base = c->app->cfg->base_url;
    const char *path = c->req->path;
    const char *rest = kept_params(c, false);
    char *v = arena_printf(c->app->a,
                           "<%s%s?limit=%d&max_id=%lld%s>; rel=\"next\", "
                           "<%s%s?limit=%d&min_id=%lld%s>; rel=\"prev\"",
                           base, path, p->limit, (long long)l->keys[l->n - 1], rest, base, path,
                           p->limit, (long long)l->keys[0], rest);
    api_header_add(c->resp, "Link", v);
}

void api_link_offset(api_call *c, int offset, int limit, bool has_more)
{
    const char *base = c->app->cfg->base_url;
    const char *path = c->req->path;
    const char *rest = kept_params(c, true);
    const char *next = has_more
                           ? arena_printf(c->app->a, "<%s%s?limit=%d&offset=%d%s>; rel=\"next\"",
                                          base, path, limit, offset + limit, rest)
                           : NULL;
    int back = offset - limit > 0 ? offset - limit : 0;
    const char *prev = offset > 0
                           ? arena_printf(c->app->a, "<%s%s?limit=%d&offset=%d%s>; rel=\"prev\"",
                                          base, path, limit, back, rest)
                           : NULL;
    if (next && prev)
        api_header_add(c->resp, "Link", arena_printf(c->app->a, "%s, %s", next, prev));
    else if (next || prev)
        api_header_add(c->resp, "Link", next ? next : prev);
}
