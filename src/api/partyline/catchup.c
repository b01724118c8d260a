/*
 * catchup.c — GET /api/v1/partyline/catchup: what matters since your last visit, readable in
 * a few minutes (our extension; docs/api.md "Catch-up"; the rules are app/catchup.h).
 *
 * `since` (ISO 8601) overrides the home marker. Scopes read:statuses and read:notifications,
 * both (as Mastodon's `user` stream): the digest shows statuses, notifications and
 * conversations at once.
 */
#include "api/handlers.h"
#include "app/catchup.h"
#include "util/timeutil.h"

static void catchup_(api_call *c)
{
    int64_t since = 0;
    const char *s = p_str(c, "since");
    if (s && time_parse_iso8601(s, &since)) {
        api_error(c, 422,
                  "Validation failed: since must be an ISO 8601 time (2026-01-31T09:00:00Z)");
        return;
    }
    if (s && since > c->app->now) {
        api_error(c, 422, "Validation failed: since must not be in the future");
        return;
    }
    if (s && since <= 0) since = 1; /* the epoch itself: as far back as allowed */
    catchup d;
    if (failed(c, catchup_build(c->app, c->viewer->id, since, &d))) return;
    int64_t *ids = arena_alloc(c->app->a, sizeof *ids * (size_t)(d.n + 1));
    for (int i = 0; i < d.n; i++) ids[i] = d.items[i].status_id;
    app_prefetch_statuses(c->app, ids, d.n);
    posts_prefetch_flags(c->app, c->viewer->id, ids, d.n);
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_ktime(&w, "since", d.since);
    jw_key(&w, "items");
    jw_arr(&w);
    for (int i = 0; i < d.n; i++) {
        const catchup_item *it = &d.items[i];
        pl_status_view v;
        if (posts_view_id(c->app, c->viewer->id, it->status_id, &v) != PL_OK) continue;
        jw_obj(&w);
        jw_kstr(&w, "kind", catchup_kind_name(it->kind));
        jw_kstr(&w, "reason", it->reason);
        if (it->has_score)
            jw_kdouble(&w, "score", it->score.value);
        else
            jw_knull(&w, "score");
        jw_key(&w, "status");
        ent_status(c, &w, &v);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "counts");
    jw_obj(&w);
    jw_kint(&w, "mentions", d.mentions);
    jw_kint(&w, "direct", d.direct);
    jw_kint(&w, "new_posts", d.new_posts);
    jw_obj_end(&w);
    jw_kint(&w, "reading_minutes", d.reading_minutes);
    jw_kint(&w, "words_per_minute", c->app->cfg->catchup_words_per_minute);
    jw_obj_end(&w);
}

const api_route api_routes_catchup[] = {
    {M_GET, "/api/v1/partyline/catchup", catchup_, EXEC_READ, AUTH_USER,
     "read:statuses read:notifications"},
    {0},
};
