/*
 * top.c — GET /api/v1/partyline/timelines/top: a feed ranked by up-votes with time decay
 * (our extension; docs/api.md "Top").
 *
 * Parameters: feed (home, public, list:<id>, channel:<id>, tag:<name>), window (24h, 7d,
 * 30d), limit (1..40, default 20), offset (0..top_max_offset), explain (adds partyline.score
 * to each Status). A ranking has no id order, so paging is by offset, in the Link header too.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/top.h"
#include "util/text.h"

/* An integer parameter within [lo, hi] into *out (def when absent); false (422 sent) when it
 * is malformed or out of range. */
static bool int_param(api_call *c, const char *name, int64_t def, int64_t lo, int64_t hi,
                      int64_t *out)
{
    *out = def;
    if (!p_get(c, name)) return true;
    int64_t v = p_int(c, name, INT64_MIN);
    if (v == INT64_MIN || v < lo || v > hi) {
        api_error(c, 422,
                  arena_printf(c->app->a,
                               "Validation failed: %s must be a whole number from %lld to %lld",
                               name, (long long)lo, (long long)hi));
        return false;
    }
    *out = v;
    return true;
}

/* feed=… into f; false (422 or 404 sent) when it names no feed. */
static bool parse_feed(api_call *c, top_feed *f)
{
    const char *s = p_str(c, "feed");
    *f = (top_feed){.kind = TOP_HOME};
    if (!s || !strcmp(s, "home")) return true;
    if (!strcmp(s, "public")) {
        f->kind = TOP_PUBLIC;
        return true;
    }
    if (!strncmp(s, "list:", 5) || !strncmp(s, "channel:", 8)) {
        bool list = s[0] == 'l';
        f->kind = list ? TOP_LIST : TOP_CHANNEL;
        if (!id_parse(s + (list ? 5 : 8), &f->id)) {
            api_error(c, 404, "Record not found");
            return false;
        }
        return true;
    }
    if (!strncmp(s, "tag:", 4)) {
        char name[128];
        if (text_tag_normalize(s + 4, strlen(s + 4), name, sizeof name) <= 0) {
            api_error(c, 422, "Validation failed: tag:<name> needs a hashtag name");
            return false;
        }
        f->kind = TOP_TAG;
        f->tag = arena_strdup(c->app->a, name);
        return true;
    }
    api_error(
        c, 422,
        "Validation failed: feed must be home, public, list:<id>, channel:<id> or tag:<name>");
    return false;
}

/* window=… in hours; 0 (422 sent) when it is not one of ours. */
static int parse_window(api_call *c)
{
    const char *s = p_str(c, "window");
    if (!s || !strcmp(s, "24h")) return 24;
    if (!strcmp(s, "7d")) return 7 * 24;
    if (!strcmp(s, "30d")) return 30 * 24;
    api_error(c, 422, "Validation failed: window must be 24h, 7d or 30d");
    return 0;
}

static void top(api_call *c)
{
    top_feed f;
    int64_t limit, offset;
    if (!parse_feed(c, &f)) return;
    int hours = parse_window(c);
    if (!hours || !int_param(c, "limit", 20, 1, 40, &limit) ||
        !int_param(c, "offset", 0, 0, c->app->cfg->top_max_offset, &offset))
        return;
    int explain = p_bool(c, "explain", 0);
    if (explain == -2) {
        api_error(c, 422, "Validation failed: explain must be a boolean");
        return;
    }
    top_item *items;
    int n;
    if (failed(c, top_feed_rank(c->app, c->viewer->id, &f, hours, &items, &n))) return;
    int from = offset < n ? (int)offset : n;
    int take = n - from < limit ? n - from : (int)limit;
    jw w;
    api_json(c, &w);
    api_link_offset(c, (int)offset, (int)limit,
                    from + take < n && offset + limit <= c->app->cfg->top_max_offset);
    ent_statuses_scored(c, &w, items + from, take, explain ? top_formula(c->app, hours) : NULL);
}

const api_route api_routes_top[] = {
    {M_GET, "/api/v1/partyline/timelines/top", top, EXEC_READ, AUTH_USER, "read:statuses"},
    {0},
};
