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

void api_link(api_call *c, const pl_idlist *l, const pl_page *p)
{
    if (l->n == 0) return;
    const char *base = c->app->cfg->base_url;
    const char *path = c->req->path;
    char *v = arena_printf(c->app->a,
                           "<%s%s?limit=%d&max_id=%lld>; rel=\"next\", "
                           "<%s%s?limit=%d&min_id=%lld>; rel=\"prev\"",
                           base, path, p->limit, (long long)l->keys[l->n - 1], base, path,
                           p->limit, (long long)l->keys[0]);
    api_header_add(c->resp, "Link", v);
}
