/*
 * watches.c — listening's watches through the API (issue 16, C12; docs/api.md "Listening";
 * the rules are app/listening.h's):
 *
 *   POST   /api/v1/partyline/watches                    {"title", "query", "channel_id"?} → Watch
 *   GET    /api/v1/partyline/watches                    → [Watch], newest first
 *   GET    /api/v1/partyline/watches/:id                → Watch
 *   PATCH  /api/v1/partyline/watches/:id                {"title", "query", "channel_id"} → Watch
 *   DELETE /api/v1/partyline/watches/:id                → {}
 *   GET    /api/v1/partyline/watches/:id/matches        max_id, since_id, min_id, limit → [Status]
 *   GET    /api/v1/partyline/watches/:id/feed_matches   the same → [FeedItem]
 *   POST   /api/v1/partyline/watches/preview            {"query"} → {"ok", "error"?, "statuses"}
 *   GET    /api/v1/partyline/watches/:id/dashboard      period=1d|7d|30d → the dashboard
 *   GET    /api/v1/partyline/watches/alerts             watch_id?, max_id, since_id, min_id,
 *                                                       limit → [Alert], the caller's
 *   GET    /api/v1/partyline/watches/alerts/:id         → Alert with its "statuses"
 *
 * A query that does not parse is 422 {"error", "position", "reason"}: position is the
 * 1-based character where the fault is, reason the sentence for a person.
 *
 * Scopes: a watch reads posts and is a person's own setting about them, so reading is
 * read:statuses and writing write:statuses, as tickets; the preview changes nothing
 * (read:statuses).
 */
#include <string.h>

#include "api/handlers.h"
#include "app/listening.h"

static void watch_json(jw *w, const pl_watch *x)
{
    jw_obj(w);
    jw_kid(w, "id", x->id);
    jw_kstr(w, "title", x->title);
    jw_kstr(w, "query", x->query);
    if (x->channel_id)
        jw_kid(w, "channel_id", x->channel_id);
    else
        jw_knull(w, "channel_id");
    jw_ktime(w, "created_at", x->created_at);
    jw_ktime(w, "updated_at", x->updated_at);
    jw_kint(w, "matches_count", x->matches);
    jw_kint(w, "feed_matches_count", x->feed_matches);
    jw_kint(w, "alerts_count", x->alerts);
    jw_obj_end(w);
}

static void watch_response(api_call *c, const pl_watch *x)
{
    jw w;
    api_json(c, &w);
    watch_json(&w, x);
}

/* A failure; a query that did not parse answers its position and reason beside the error. */
static bool failed_query(api_call *c, int rc, const watchq_error *e)
{
    if (rc == PL_OK) return false;
    if (rc != PL_EINVAL || !e->reason[0]) return failed(c, rc);
    jw w;
    api_json(c, &w);
    c->resp->status = 422;
    jw_obj(&w);
    jw_kstr(&w, "error", c->app->errmsg ? c->app->errmsg : "Validation failed: query");
    jw_kint(&w, "position", e->position);
    jw_kstr(&w, "reason", e->reason);
    jw_obj_end(&w);
    return true;
}

/* channel_id of the body into *id (absent: *has false; null or "": 0). False (422 sent) when
 * it is not an id. */
static bool channel_param(api_call *c, bool *has, int64_t *id)
{
    *has = false;
    *id = 0;
    json_t *v = p_get(c, "channel_id");
    if (!v) return true;
    *has = true;
    const char *s = p_str(c, "channel_id");
    if (json_is_null(v) || (s && !*s)) return true;
    if (s && id_parse(s, id) && *id > 0) return true;
    api_error(c, 422, "Validation failed: channel_id must be a channel's id or null");
    return false;
}

/* A text field: absent is NULL; anything but a string is refused (422 sent, false). */
static bool text_param(api_call *c, const char *key, const char **out)
{
    *out = NULL;
    json_t *v = p_get(c, key);
    if (!v) return true;
    if ((*out = p_str(c, key))) return true;
    api_error(c, 422, arena_printf(c->app->a, "Validation failed: %s must be a string", key));
    return false;
}

static void create(api_call *c)
{
    const char *title, *query;
    bool has_channel;
    int64_t channel_id;
    if (!text_param(c, "title", &title) || !text_param(c, "query", &query) ||
        !channel_param(c, &has_channel, &channel_id))
        return;
    pl_watch x;
    watchq_error e = {0};
    if (failed_query(c, watches_create(c->app, viewer_id(c), title, query, channel_id, &x, &e), &e))
        return;
    watch_response(c, &x);
}

static void list(api_call *c)
{
    pl_watch *v;
    int n;
    if (failed(c, watches_list(c->app, viewer_id(c), &v, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) watch_json(&w, &v[i]);
    jw_arr_end(&w);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_watch x;
    if (failed(c, watches_get(c->app, viewer_id(c), id, &x))) return;
    watch_response(c, &x);
}

static void change(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    watches_change ch = {0};
    if (!text_param(c, "title", &ch.title) || !text_param(c, "query", &ch.query) ||
        !channel_param(c, &ch.has_channel, &ch.channel_id))
        return;
    pl_watch x;
    watchq_error e = {0};
    if (failed_query(c, watches_update(c->app, viewer_id(c), id, &ch, &x, &e), &e)) return;
    watch_response(c, &x);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, watches_delete(c->app, viewer_id(c), id))) return;
    empty_object(c);
}

static void matches(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    int64_t *shown;
    int n;
    if (failed(c, watches_matches(c->app, viewer_id(c), id, &p, &l, &shown, &n))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    ent_statuses(c, &w, shown, n);
}

static void feed_matches(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    watch_feed_match *v;
    int n;
    if (failed(c, watches_feed_matches(c->app, viewer_id(c), id, &p, &l, &v, &n))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        const pl_feed_item *it = &v[i].item;
        jw_obj(&w);
        jw_kid(&w, "id", it->id);
        jw_kid(&w, "source_id", it->source_id);
        jw_kstr(&w, "source", v[i].source ? v[i].source : "");
        jw_kstr(&w, "title", it->title ? it->title : "");
        if (it->link)
            jw_kstr(&w, "link", it->link);
        else
            jw_knull(&w, "link");
        jw_ktime_or_null(&w, "published_at", it->published_at);
        jw_ktime(&w, "fetched_at", it->fetched_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

void ent_watch_alert(api_call *c, jw *w, const pl_watch_alert *al, const pl_watch *x,
                     const int64_t *statuses, int n)
{
    jw_obj(w);
    jw_kid(w, "id", al->id);
    jw_kid(w, "watch_id", al->watch_id);
    jw_kstr(w, "watch_title", x->title);
    jw_ktime(w, "created_at", al->at);
    /* the 15 minutes counted: the three buckets that end with the alert's */
    int64_t end = (al->bucket + 1) * 300000;
    jw_ktime(w, "window_start", end - 900000);
    jw_ktime(w, "window_end", end);
    jw_kint(w, "count", al->count);
    jw_kdouble(w, "expected", al->expected_milli / 1000.0);
    jw_kdouble(w, "spread", al->spread_milli / 1000.0);
    jw_kdouble(w, "ratio", al->ratio_milli / 1000.0);
    jw_kdouble(w, "level", al->level_milli / 1000.0);
    jw_kdouble(w, "today", al->today_milli / 1000.0);
    jw_key(w, "baseline");
    jw_obj(w);
    jw_kint(w, "hour", al->base_hour);
    jw_kstr(w, "days", al->base_weekend ? "weekend" : "working");
    jw_kint(w, "samples", al->base_samples);
    jw_kdouble(w, "median_per_hour", al->base_median_milli / 1000.0);
    jw_kdouble(w, "mad_per_hour", al->base_mad_milli / 1000.0);
    jw_obj_end(w);
    if (al->status_id)
        jw_kid(w, "status_id", al->status_id);
    else
        jw_knull(w, "status_id");
    if (al->ticket_id)
        jw_kid(w, "ticket_id", al->ticket_id);
    else
        jw_knull(w, "ticket_id");
    if (statuses) {
        jw_key(w, "statuses");
        ent_statuses(c, w, statuses, n);
    }
    jw_obj_end(w);
}

static void alerts(api_call *c)
{
    int64_t watch_id = 0;
    const char *ws = p_str(c, "watch_id");
    if (ws && *ws && !(id_parse(ws, &watch_id) && watch_id > 0)) {
        api_error(c, 404, "Record not found");
        return;
    }
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    if (failed(c, listen_alerts(c->app, viewer_id(c), watch_id, &p, &l))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) {
        pl_watch_alert al;
        pl_watch x;
        if (listen_alert_get(c->app, viewer_id(c), l.ids[i], &al, &x) == PL_OK)
            ent_watch_alert(c, &w, &al, &x, NULL, 0);
    }
    jw_arr_end(&w);
}

static void alert_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_watch_alert al;
    pl_watch x;
    if (failed(c, listen_alert_get(c->app, viewer_id(c), id, &al, &x))) return;
    int64_t *ids;
    int n;
    if (failed(c, listen_alert_posts(c->app, viewer_id(c), &al, 40, &ids, &n))) return;
    jw w;
    api_json(c, &w);
    /* with its window's posts the caller may see, newest first */
    ent_watch_alert(c, &w, &al, &x, ids, n);
}

static void sums_json(jw *w, const char *key, const pl_watch_sums *s)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "matches", s->total);
    jw_key(w, "tone");
    jw_obj(w);
    jw_kint(w, "negative", s->negative);
    jw_kint(w, "neutral", s->neutral);
    jw_kint(w, "positive", s->positive);
    jw_obj_end(w);
    jw_obj_end(w);
}

static void dashboard(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *period = p_str(c, "period");
    if (!period || !*period) period = "7d";
    int days = !strcmp(period, "1d")    ? 1
               : !strcmp(period, "7d")  ? 7
               : !strcmp(period, "30d") ? 30
                                        : 0;
    listen_dashboard d;
    if (failed(c, listen_dashboard_of(c->app, viewer_id(c), id, days, &d))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kid(&w, "watch_id", id);
    jw_kstr(&w, "period", period);
    jw_ktime(&w, "from", d.from);
    jw_ktime(&w, "to", d.to);
    jw_kstr(&w, "step", d.hourly ? "hour" : "day");
    jw_key(&w, "volume");
    jw_arr(&w);
    for (int i = 0; i < d.n_steps; i++) {
        jw_obj(&w);
        jw_ktime(&w, "at", d.volume_at[i]);
        jw_kint(&w, "matches", d.volume[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    sums_json(&w, "current", &d.now);
    sums_json(&w, "previous", &d.before);
    /* the change against the period before: null when there was nothing before */
    if (d.before.total)
        jw_kdouble(&w, "change", (double)(d.now.total - d.before.total) / (double)d.before.total);
    else
        jw_knull(&w, "change");
    jw_key(&w, "top_authors");
    jw_arr(&w);
    for (int i = 0; i < d.n_authors; i++) {
        const pl_account *a = app_account(c->app, d.authors[i]);
        if (!a) continue;
        jw_obj(&w);
        jw_kint(&w, "matches", d.author_counts[i]);
        jw_key(&w, "account");
        ent_account(c, &w, a, false);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "top_statuses");
    ent_statuses(c, &w, d.top_posts, d.n_top_posts);
    jw_obj_end(&w);
}

static void preview(api_call *c)
{
    const char *query;
    if (!text_param(c, "query", &query)) return;
    watchq_error e = {0};
    int64_t *ids = NULL;
    int n = 0, looked = 0;
    int rc = watches_preview(c->app, viewer_id(c), query, &e, &ids, &n, &looked);
    if (rc != PL_OK && !(rc == PL_EINVAL && e.reason[0])) {
        failed(c, rc);
        return;
    }
    /* a preview's bad query is an answer, not a failure: the editor shows it as it is typed */
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kbool(&w, "ok", rc == PL_OK);
    if (rc != PL_OK) {
        jw_key(&w, "error");
        jw_obj(&w);
        jw_kint(&w, "position", e.position);
        jw_kstr(&w, "reason", e.reason);
        jw_obj_end(&w);
    }
    jw_kint(&w, "looked_at", looked);
    jw_key(&w, "statuses");
    ent_statuses(c, &w, ids, n);
    jw_obj_end(&w);
}

#define W "/api/v1/partyline/watches"
const api_route api_routes_watches[] = {
    {M_POST, W, create, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, W, list, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_POST, W "/preview", preview, EXEC_SLOW, AUTH_USER, "read:statuses"},
    {M_GET, W "/alerts", alerts, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, W "/alerts/:id", alert_show, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, W "/:id", show, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_PATCH, W "/:id", change, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, W "/:id", destroy, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, W "/:id/matches", matches, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, W "/:id/feed_matches", feed_matches, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, W "/:id/dashboard", dashboard, EXEC_READ, AUTH_USER, "read:statuses"},
    {0},
};
