/*
 * influence.c — influence (issue 15; docs/api.md "Influence"; the method is docs/influence.md,
 * what a viewer may see app/influence_view.h's):
 *
 *   GET    /api/v1/partyline/influence/me                 one's own score and breakdown
 *   PATCH  /api/v1/partyline/influence/me                 {shown}: show it to others or not
 *   GET    /api/v1/partyline/influence/me/history?days=   one's days, each change in words
 *   GET    /api/v1/partyline/influence/experts?topic=     who knows about #tag or a topic
 *   GET    /api/v1/partyline/influence/method             the method's version, parameters
 *                                                         and the current calibration
 *   GET    /api/v1/partyline/influence/:account_id        someone who shows theirs (else 404)
 *   GET    /api/v1/partyline/admin/influence/distribution counts, never individuals
 *   GET|PUT|DELETE /api/v1/partyline/admin/influence/topics  the marks of channels and hashtags
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/influence.h"
#include "app/influence_view.h"

#define BASE "/api/v1/partyline/influence"
#define ADMIN "/api/v1/partyline/admin/influence"

static const char *const place_kinds[] = {
    [PLACE_CHANNEL] = "channel", [PLACE_TAG] = "tag",       [PLACE_FEED] = "feed",
    [PLACE_PROFILE] = "profile", [PLACE_OTHERS] = "others",
};

static void item_json(api_call *c, jw *w, int list, const influence_item *it)
{
    jw_obj(w);
    jw_kstr(w, "key", it->key);
    jw_kint(w, "raw", it->raw);
    switch (list) {
    case BY_PLACE: {
        jw_kstr(w, "kind", place_kinds[it->kind]);
        if (it->kind == PLACE_CHANNEL) {
            const pl_account *ch = app_account(c->app, it->id);
            jw_kid(w, "channel_id", it->id);
            jw_kstr(w, "name", ch ? ch->username : NULL);
            jw_kstr(w, "display_name", ch && ch->display_name ? ch->display_name : NULL);
        } else if (it->kind == PLACE_TAG)
            jw_kstr(w, "name", it->name);
        break;
    }
    case BY_TOPIC:
        jw_kstr(w, "class", influence_class_name(it->klass));
        jw_kstr(w, "topic", it->name);
        break;
    case BY_ENGAGER: {
        const pl_account *a = it->id ? app_account(c->app, it->id) : NULL;
        jw_key(w, "account");
        if (a)
            ent_account(c, w, a, false);
        else
            jw_null(w);
        break;
    }
    default: break;
    }
    jw_obj_end(w);
}

static void view_json(api_call *c, const influence_view *v)
{
    static const char *const names[BY_LISTS] = {"by_place", "by_topic", "by_signal", "by_engager"};
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kint(&w, "score", v->score);
    jw_kint(&w, "raw", v->raw);
    jw_kint(&w, "method_version", v->method_version);
    jw_ktime(&w, "computed_at", v->computed_at);
    jw_kbool(&w, "shown", v->shown);
    jw_key(&w, "breakdown");
    jw_obj(&w);
    for (int l = 0; l < BY_LISTS; l++) {
        jw_key(&w, names[l]);
        jw_arr(&w);
        for (int i = 0; i < v->n[l]; i++) item_json(c, &w, l, &v->items[l][i]);
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    jw_obj_end(&w);
}

/* ---- one's own and someone's -------------------------------------------------------------- */

static void me_show(api_call *c)
{
    influence_view v;
    if (!failed(c, influence_view_own(c->app, c->viewer->id, &v))) view_json(c, &v);
}

static void me_update(api_call *c)
{
    json_t *j = c->in ? json_object_get(c->in, "shown") : NULL;
    int shown = j ? p_bool(c, "shown", -1) : -1;
    if (shown != 0 && shown != 1) {
        api_error(c, 422, "Validation failed: shown must be true or false");
        return;
    }
    if (failed(c, influence_shown_set(c->app, c->viewer->id, shown))) return;
    me_show(c);
}

static void account_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    influence_view v;
    if (!failed(c, influence_view_of(c->app, c->viewer->id, id, &v))) view_json(c, &v);
}

static void history(api_call *c)
{
    int64_t days = INFLUENCE_HISTORY_DEFAULT;
    if (!p_whole(c, "days", false, &days)) return;
    if (days < 1 || days > INFLUENCE_HISTORY_MAX) days = 0; /* the app layer says why */
    influence_history_day *d;
    int n;
    if (failed(c, influence_history(c->app, c->viewer->id, (int)days, &d, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        const pl_influence_day *x = &d[i].day;
        jw_obj(&w);
        jw_kstr(&w, "date", d[i].date);
        jw_kint(&w, "raw", x->raw);
        jw_kint(&w, "score", x->score);
        jw_kint(&w, "method_version", x->method_version);
        jw_key(&w, "change");
        jw_obj(&w);
        jw_kint(&w, "new", x->new_raw);
        jw_kint(&w, "older", x->older_raw);
        jw_kint(&w, "deleted", x->deleted_raw);
        jw_kint(&w, "method", x->method_raw);
        jw_obj_end(&w);
        jw_kbool(&w, "first", x->prev_day < 0);
        jw_kstr(&w, "explanation", d[i].explanation);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

/* ---- who knows about a topic --------------------------------------------------------------- */

static void experts(api_call *c)
{
    int64_t limit = INFLUENCE_EXPERTS_DEFAULT;
    if (!p_whole(c, "limit", false, &limit)) return;
    if (limit < 1) limit = INFLUENCE_EXPERTS_DEFAULT;
    if (limit > INFLUENCE_EXPERTS_MAX) limit = INFLUENCE_EXPERTS_MAX;
    const char *topic = p_str(c, "topic");
    influence_expert *e;
    int n;
    if (failed(c, influence_experts(c->app, c->viewer->id, topic ? topic : "", (int)limit, &e, &n)))
        return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        const pl_account *a = app_account(c->app, e[i].account_id);
        if (!a) continue;
        jw_obj(&w);
        jw_key(&w, "account");
        ent_account(c, &w, a, false);
        jw_kint(&w, "raw", e[i].raw);
        jw_key(&w, "posts");
        ent_statuses(c, &w, e[i].posts, e[i].n_posts);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

/* ---- the method ------------------------------------------------------------------------- */

/* A constant as written in docs/influence.md (0.1, not %.17g's 0.10000000000000001). */
static void kshort(jw *w, const char *k, double v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%.6g", v);
    jw_key(w, k);
    jw_raw(w, t, (size_t)n);
}

static void method(api_call *c)
{
    pl_influence_run run;
    int rc = influence_current_run(c->app, &run);
    if (rc && rc != PL_ENOTFOUND) {
        api_fail_rc(c, rc);
        return;
    }
    bool has_run = rc == PL_OK;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kint(&w, "version", INFLUENCE_METHOD_VERSION);
    jw_key(&w, "parameters");
    jw_obj(&w);
    jw_kint(&w, "window_days", has_run ? run.window_days : c->app->cfg->influence_window_days);
    jw_kint(&w, "half_life_days",
            has_run ? run.half_life_days : c->app->cfg->influence_half_life_days);
    jw_kint(&w, "history_days", c->app->cfg->influence_history_days);
    jw_key(&w, "type_weights");
    jw_obj(&w);
    for (int t = 0; t < SIG_TYPES; t++)
        kshort(&w, influence_signal_names[t], influence_type_weight[t]);
    jw_obj_end(&w);
    jw_key(&w, "allowances");
    jw_obj(&w);
    for (int t = 0; t < SIG_TYPES; t++)
        if (influence_allowance[t] > 0)
            kshort(&w, influence_signal_names[t], influence_allowance[t]);
    jw_obj_end(&w);
    kshort(&w, "scale", INFLUENCE_SCALE);
    jw_kint(&w, "new_account_days", INFLUENCE_NEW_ACCOUNT_DAYS);
    kshort(&w, "new_account_weight", INFLUENCE_NEW_ACCOUNT_WEIGHT);
    kshort(&w, "ring_discount", INFLUENCE_RING_DISCOUNT);
    kshort(&w, "standing_floor", INFLUENCE_STANDING_FLOOR);
    kshort(&w, "standing_cap", INFLUENCE_STANDING_CAP);
    jw_kint(&w, "standing_rounds", INFLUENCE_STANDING_ROUNDS);
    jw_kint(&w, "top_engagers", INFLUENCE_TOP_ENGAGERS);
    jw_kint(&w, "calibration_min", INFLUENCE_CALIBRATION_MIN);
    jw_kint(&w, "default_median_raw", INFLUENCE_DEFAULT_MEDIAN);
    jw_kint(&w, "default_p95_raw", INFLUENCE_DEFAULT_P95);
    jw_kint(&w, "expertise_min_raw", INFLUENCE_EXPERTISE_MIN_RAW);
    jw_kint(&w, "expertise_per_person", INFLUENCE_EXPERTISE_PER_PERSON);
    jw_obj_end(&w);
    jw_key(&w, "calibration");
    if (has_run) {
        jw_obj(&w);
        jw_kint(&w, "median_raw", run.median_raw);
        jw_kint(&w, "p95_raw", run.p95_raw);
        kshort(&w, "beta", run.beta_milli / 1000.0); /* as computed: 3 decimals */
        jw_ktime(&w, "computed_at", run.at);
        jw_obj_end(&w);
    } else
        jw_null(&w);
    jw_obj_end(&w);
}

/* ---- administrators --------------------------------------------------------------------- */

static void distribution(api_call *c)
{
    influence_distribution d;
    if (failed(c, influence_distribution_get(c->app, c->viewer, &d))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_ktime(&w, "computed_at", d.computed_at);
    jw_kint(&w, "people", d.people);
    jw_kint(&w, "scored", d.scored);
    jw_kint(&w, "median_raw", d.median_raw);
    jw_kint(&w, "p95_raw", d.p95_raw);
    jw_key(&w, "histogram");
    jw_arr(&w);
    for (int i = 0; i < 10; i++) {
        jw_obj(&w);
        jw_kint(&w, "from", 10 * i + 1);
        jw_kint(&w, "to", 10 * i + 10);
        jw_kint(&w, "count", d.histogram[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
}

static void topic_json(jw *w, const pl_influence_topic *t)
{
    jw_obj(w);
    jw_kid(w, "id", t->id);
    jw_kid(w, "channel_id", t->channel_id);
    jw_kstr(w, "tag", t->tag);
    jw_kstr(w, "class", influence_class_name(t->klass));
    jw_kstr(w, "topic", t->topic);
    jw_kid(w, "set_by", t->set_by);
    jw_ktime(w, "set_at", t->set_at);
    jw_obj_end(w);
}

static void topics_index(api_call *c)
{
    pl_influence_topic *t;
    int n;
    if (failed(c, influence_topics_list(c->app, c->viewer, &t, &n))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) topic_json(&w, &t[i]);
    jw_arr_end(&w);
}

/* Administrators only, before the parameters are looked at: false with 403 sent otherwise. */
static bool admin_only(api_call *c)
{
    if (c->viewer && c->viewer->is_admin) return true;
    api_error(c, 403, "Only administrators may mark influence's topics");
    return false;
}

static void topics_put(api_call *c)
{
    int64_t channel = 0;
    if (!admin_only(c) || !p_whole(c, "channel_id", false, &channel)) return;
    pl_influence_topic t;
    if (failed(c, influence_topic_set(c->app, c->viewer, channel, p_str(c, "tag"),
                                      p_str(c, "class"), p_str(c, "topic"), &t)))
        return;
    jw w;
    api_json(c, &w);
    topic_json(&w, &t);
}

static void topics_delete(api_call *c)
{
    int64_t channel = 0;
    if (!admin_only(c) || !p_whole(c, "channel_id", false, &channel)) return;
    if (!failed(c, influence_topic_remove(c->app, c->viewer, channel, p_str(c, "tag"))))
        empty_object(c);
}

const api_route api_routes_influence[] = {
    {M_GET, BASE "/me", me_show, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_PATCH, BASE "/me", me_update, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_GET, BASE "/me/history", history, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, BASE "/experts", experts, EXEC_READ, AUTH_USER, "read:search"},
    {M_GET, BASE "/method", method, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, BASE "/:account_id", account_show, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, ADMIN "/distribution", distribution, EXEC_READ, AUTH_USER, "admin:read"},
    {M_GET, ADMIN "/topics", topics_index, EXEC_READ, AUTH_USER, "admin:read"},
    {M_PUT, ADMIN "/topics", topics_put, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, ADMIN "/topics", topics_delete, EXEC_WRITE, AUTH_USER, "admin:write"},
    {0},
};
