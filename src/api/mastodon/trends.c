/*
 * trends.c — /api/v1/trends/tags (and its old name /api/v1/trends), /statuses and /links:
 * what the company is talking about. docs.joinmastodon.org/methods/trends
 *
 * Shown to signed-in members only (a company network is private). Tags count the posts any
 * member could find (public, unlisted, company; not private channels); trending posts are
 * ranked by the score of the top feeds (app/top.h) and each is audience-checked for the
 * viewer. There are no link cards, so /links is always empty. Paged by offset, as Mastodon.
 * Tags read the week's counts per tag and day (tag_days, kept as posts are written); trending
 * posts the day's posts with any engagement. Both run on a worker thread.
 */
#include <stdio.h>

#include "api/handlers.h"
#include "app/tags.h"
#include "app/top.h"

/* limit (default def, at most max, as Mastodon clamps) and offset (>= 0). */
static void offset_page(api_call *c, int def, int max, int *limit, int *offset)
{
    int64_t l = p_int(c, "limit", def), o = p_int(c, "offset", 0);
    *limit = l < 1 ? def : l > max ? max : (int)l;
    *offset = o < 0 ? 0 : o > 1000000 ? 1000000 : (int)o;
}

static void write_tag(api_call *c, jw *w, const top_tag *t)
{
    jw_obj(w);
    jw_kstr(w, "name", t->name);
    jw_kcat(w, "url", c->app->cfg->base_url, "/tags/", t->name, NULL);
    jw_key(w, "history");
    jw_arr(w);
    for (int d = 0; d < TOP_TREND_DAYS; d++) {
        char num[24];
        jw_obj(w);
        snprintf(num, sizeof num, "%lld", (long long)(t->day_ms[d] / 1000));
        jw_kstr(w, "day", num);
        snprintf(num, sizeof num, "%lld", (long long)t->uses[d]);
        jw_kstr(w, "uses", num);
        snprintf(num, sizeof num, "%lld", (long long)t->accounts[d]);
        jw_kstr(w, "accounts", num);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kbool(w, "following", tags_is_followed(c->app, c->viewer ? c->viewer->id : 0, t->name));
    jw_obj_end(w);
}

static void tags(api_call *c)
{
    int limit, offset;
    offset_page(c, 10, 20, &limit, &offset);
    top_tag *t;
    int n;
    if (failed(c, top_trending_tags(c->app, &t, &n))) return;
    jw w;
    api_json(c, &w);
    api_link_offset(c, offset, limit, offset + limit < n);
    jw_arr(&w);
    for (int i = offset; i < n && i < offset + limit; i++) write_tag(c, &w, &t[i]);
    jw_arr_end(&w);
}

static void statuses(api_call *c)
{
    int limit, offset;
    offset_page(c, 20, 40, &limit, &offset);
    top_item *items;
    int n;
    if (failed(c, top_trending_statuses(c->app, c->viewer->id, &items, &n))) return;
    int from = offset < n ? offset : n;
    int take = n - from < limit ? n - from : limit;
    jw w;
    api_json(c, &w);
    api_link_offset(c, offset, limit, from + take < n);
    ent_statuses_scored(c, &w, items + from, take, NULL);
}

static void links(api_call *c)
{
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    jw_arr_end(&w);
}

const api_route api_routes_trends[] = {
    /* a week of tag counts, a day of engaged posts: read on a worker, so they never stall an
     * event loop (0.5 ms and 2 ms at the median on 10k people / 1M posts; trending posts grow
     * with the day's engaged posts) */
    {M_GET, "/api/v1/trends", tags, EXEC_SLOW, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/trends/tags", tags, EXEC_SLOW, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/trends/statuses", statuses, EXEC_SLOW, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/trends/links", links, EXEC_READ, AUTH_USER, "read:statuses"},
    {0},
};
