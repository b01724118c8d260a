/*
 * scheduled_statuses.c — /api/v1/scheduled_statuses: the posts one has scheduled, read,
 * moved, cancelled (docs.joinmastodon.org/methods/scheduled_statuses), and the ScheduledStatus
 * entity that POST /api/v1/statuses answers when given scheduled_at (statuses.c).
 *
 * Only the owner sees a scheduled post: another person's id answers 404 like an unknown one.
 * The rules and the publishing are app/scheduled.c's.
 */
#include "api/handlers.h"
#include "app/scheduled.h"
#include "util/timeutil.h"

/* Mastodon's ScheduledStatus: the post's parameters as given (null where not given), and the
 * uploads it holds as MediaAttachments (their addresses signed for the owner: only they see it) */
static void write_scheduled(api_call *c, jw *w, const pl_scheduled *s)
{
    jw_obj(w);
    jw_kid(w, "id", s->id);
    jw_ktime(w, "scheduled_at", s->scheduled_at);
    jw_key(w, "params");
    jw_obj(w);
    jw_kstr(w, "text", s->text);
    jw_key(w, "poll");
    if (s->n_poll_options) {
        jw_obj(w);
        jw_key(w, "options");
        jw_arr(w);
        for (int i = 0; i < s->n_poll_options; i++) jw_str(w, s->poll_options[i]);
        jw_arr_end(w);
        jw_kint(w, "expires_in", s->poll_expires_in);
        jw_kbool(w, "multiple", s->poll_multiple);
        jw_kbool(w, "hide_totals", s->poll_hide_totals);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "media_ids");
    if (s->n_media) {
        jw_arr(w);
        for (int i = 0; i < s->n_media; i++) jw_id(w, s->media[i].id);
        jw_arr_end(w);
    } else {
        jw_null(w);
    }
    if (s->sensitive >= 0)
        jw_kbool(w, "sensitive", s->sensitive);
    else
        jw_knull(w, "sensitive");
    jw_kstr(w, "spoiler_text", s->spoiler_text && *s->spoiler_text ? s->spoiler_text : NULL);
    jw_kstr(w, "visibility", s->visibility >= 0 ? visibility_name(s->visibility) : NULL);
    jw_kid(w, "in_reply_to_id", s->in_reply_to_id);
    jw_kstr(w, "language", s->language);
    jw_kid(w, "application_id", s->app_id);
    jw_knull(w, "scheduled_at");
    jw_kstr(w, "idempotency", s->idempotency_key);
    jw_kbool(w, "with_rate_limit", false);
    jw_kid(w, "channel_id", s->channel_id); /* ours: the channel it was written for */
    jw_obj_end(w);
    jw_key(w, "media_attachments");
    jw_arr(w);
    for (int i = 0; i < s->n_media; i++) ent_attachment(c, w, &s->media[i], s->account_id);
    jw_arr_end(w);
    jw_obj_end(w);
}

void scheduled_status_response(api_call *c, int64_t id)
{
    pl_scheduled s;
    if (failed(c, scheduled_get(c->app, c->viewer->id, id, &s))) return;
    jw w;
    api_json(c, &w);
    write_scheduled(c, &w, &s);
}

bool scheduled_at_param(api_call *c, int64_t *at)
{
    const char *v = p_str(c, "scheduled_at");
    *at = 0;
    if (!v || !*v) return true;
    if (time_parse_iso8601(v, at) == 0 && *at > 0) return true;
    api_error(c, 422,
              "Validation failed: scheduled_at must be a time like 2026-12-24T09:00:00.000Z");
    return false;
}

static void scheduled_index(api_call *c)
{
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    if (failed(c, scheduled_list(c->app, c->viewer->id, &p, &l))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) {
        pl_scheduled s;
        /* published or cancelled since the page was read: left out */
        if (scheduled_get(c->app, c->viewer->id, l.ids[i], &s) == PL_OK) write_scheduled(c, &w, &s);
    }
    jw_arr_end(&w);
}

static void scheduled_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (id) scheduled_status_response(c, id);
}

static void scheduled_update(api_call *c)
{
    int64_t id = need_path_id(c), at;
    if (!id || !scheduled_at_param(c, &at)) return;
    if (!at) {
        api_error(c, 422, "Validation failed: scheduled_at is missing");
        return;
    }
    if (failed(c, scheduled_move(c->app, c->viewer->id, id, at))) return;
    scheduled_status_response(c, id);
}

static void scheduled_delete(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, scheduled_cancel(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

#define SCHED "/api/v1/scheduled_statuses"
const api_route api_routes_scheduled_statuses[] = {
    {M_GET, SCHED, scheduled_index, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, SCHED "/:id", scheduled_show, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_PUT, SCHED "/:id", scheduled_update, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, SCHED "/:id", scheduled_delete, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {0},
};
