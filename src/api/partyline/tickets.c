/*
 * tickets.c — tickets through the API (issue 16, C13; docs/api.md "Tickets"; the rules are
 * app/tickets.h's):
 *
 *   POST  /api/v1/partyline/tickets            {"status_id"} or {"title", "text"} or
 *                                              {"alert_id"} (listening's, app/listening.h) → Ticket
 *   GET   /api/v1/partyline/tickets            ?state, priority, assignee=me, team, breaching,
 *                                              max_id, since_id, min_id, limit → [Ticket]
 *   GET   /api/v1/partyline/tickets/:id        → Ticket
 *   PATCH /api/v1/partyline/tickets/:id        {"state", "priority", "assignee_id", "team"}
 *   POST  /api/v1/partyline/tickets/:id/follow, /unfollow   → Ticket
 *   GET   /api/v1/partyline/tickets/dashboard  ?period=1d|7d|30d|90d   the service team
 *   GET   /api/v1/partyline/channels/:id/help_desk   → {"help_desk": bool}
 *   PUT   /api/v1/partyline/channels/:id/help_desk   {"help_desk": bool}   owners, admins
 *   PUT   /api/v1/partyline/admin/service_team/:account_id   {"on", "team"}  administrators
 *
 * Scopes: a ticket is people's posts and the thread they write in, so the people's side reads
 * with read:statuses and writes with write:statuses, as the posts themselves (the dashboard is
 * read:statuses too: it counts them); a help desk is a channel's setting, read:accounts and
 * write:accounts like the channel's own PATCH; who is on the service team is an account's
 * role, admin:write:accounts like setting a role.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/listening.h"
#include "app/tickets.h"

/* The answer about one ticket, with whether the viewer follows it. */
static void ticket_response(api_call *c, const pl_ticket *t)
{
    jw w;
    api_json(c, &w);
    ent_ticket(c, &w, t, tickets_following(c->app, t->id, viewer_id(c)));
}

static void create(api_call *c)
{
    const char *status = p_str(c, "status_id");
    const char *title = p_str(c, "title"), *text = p_str(c, "text");
    const char *alert = p_str(c, "alert_id");
    pl_ticket t;
    if (alert && *alert) {
        /* a ticket from one's own listening alert: a post with its summary (the form's path) */
        if (status || title || text) {
            api_error(c, 422, "Validation failed: send alert_id alone");
            return;
        }
        int64_t id, ticket_id;
        if (!id_parse(alert, &id) || id <= 0) {
            api_error(c, 404, "Record not found");
            return;
        }
        if (failed(c, listen_alert_ticket(c->app, viewer_id(c), id, c->token.app_id, &ticket_id)))
            return;
        if (failed(c, tickets_get(c->app, viewer_id(c), ticket_id, &t))) return;
    } else if (status && *status) {
        if (title || text) {
            api_error(c, 422, "Validation failed: send status_id, or title and text, not both");
            return;
        }
        int64_t id;
        if (!id_parse(status, &id) || id <= 0) {
            api_error(c, 404, "Record not found");
            return;
        }
        if (failed(c, tickets_open_from_post(c->app, viewer_id(c), id, &t))) return;
    } else if (title || text) {
        if (failed(c, tickets_open_form(c->app, viewer_id(c), title, text, c->token.app_id, &t)))
            return;
    } else {
        api_error(c, 422,
                  "Validation failed: send status_id (a post to turn into a ticket), or "
                  "title and text (a new one)");
        return;
    }
    ticket_response(c, &t);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_ticket t;
    if (failed(c, tickets_get(c->app, viewer_id(c), id, &t))) return;
    ticket_response(c, &t);
}

/* An enumerated parameter into *v (absent or empty: left as it is); false (422 sent) when it is
 * not one of the names. */
static bool named(api_call *c, const char *key, int (*parse)(const char *), const char *names,
                  int *v)
{
    const char *s = p_str(c, key);
    if (!s || !*s) return true;
    if ((*v = parse(s)) >= 0) return true;
    api_error(c, 422,
              arena_printf(c->app->a, "Validation failed: %s must be one of %s", key, names));
    return false;
}

#define STATES "new, in_progress, on_hold, resolved, closed"
#define PRIORITIES "low, normal, high, urgent"

static void list(api_call *c)
{
    tickets_query q = {.state = -1, .priority = -1};
    if (!named(c, "state", tickets_state_parse, STATES, &q.state)) return;
    if (!named(c, "priority", tickets_priority_parse, PRIORITIES, &q.priority)) return;
    const char *assignee = p_str(c, "assignee");
    if (assignee && *assignee) {
        if (strcmp(assignee, "me")) {
            api_error(c, 422, "Validation failed: assignee must be me");
            return;
        }
        q.mine = true;
    }
    const char *team = p_str(c, "team");
    q.team = team && *team ? team : NULL;
    int breaching = p_bool(c, "breaching", 0);
    if (breaching == -2) {
        api_error(c, 422, "Validation failed: breaching must be true or false");
        return;
    }
    q.breaching = breaching == 1;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    pl_ticket *shown;
    int n_shown;
    if (failed(c, tickets_list(c->app, viewer_id(c), &q, &p, &l, &shown, &n_shown))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < n_shown; i++) ent_ticket(c, &w, &shown[i], -1);
    jw_arr_end(&w);
}

static void change(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    tickets_change ch = {.state = -1, .priority = -1, .assignee_id = -1};
    if (!named(c, "state", tickets_state_parse, STATES, &ch.state)) return;
    if (!named(c, "priority", tickets_priority_parse, PRIORITIES, &ch.priority)) return;
    json_t *assignee = p_get(c, "assignee_id");
    if (assignee) {
        const char *s = p_str(c, "assignee_id");
        if (json_is_null(assignee) || (s && !*s))
            ch.assignee_id = 0;
        else if (!(s && id_parse(s, &ch.assignee_id) && ch.assignee_id > 0)) {
            api_error(c, 422, "Validation failed: assignee_id must be an account id or null");
            return;
        }
    }
    json_t *team = p_get(c, "team");
    if (team) ch.team = json_is_null(team) ? "" : p_str(c, "team");
    if (team && !ch.team) {
        api_error(c, 422, "Validation failed: team must be a name or null");
        return;
    }
    pl_ticket t;
    if (failed(c, tickets_change_apply(c->app, viewer_id(c), id, &ch, &t))) return;
    ticket_response(c, &t);
}

static void follow(api_call *c, bool on)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_ticket t;
    if (failed(c, tickets_follow(c->app, viewer_id(c), id, on, &t))) return;
    ticket_response(c, &t);
}

static void follow_on(api_call *c)
{
    follow(c, true);
}

static void follow_off(api_call *c)
{
    follow(c, false);
}

static void period_json(jw *w, const char *key, const tickets_period *p)
{
    jw_key(w, key);
    jw_obj(w);
    jw_ktime(w, "from", p->from);
    jw_ktime(w, "to", p->to);
    jw_kint(w, "opened", p->opened);
    jw_kint(w, "answered", p->answered);
    jw_kint(w, "resolved", p->resolved);
    jw_key(w, "first_response_minutes");
    jw_obj(w);
    jw_kdouble(w, "median", p->response_median_ms / 60000.0);
    jw_kdouble(w, "p90", p->response_p90_ms / 60000.0);
    jw_obj_end(w);
    jw_key(w, "resolution_minutes");
    jw_obj(w);
    jw_kdouble(w, "median", p->resolution_median_ms / 60000.0);
    jw_kdouble(w, "p90", p->resolution_p90_ms / 60000.0);
    jw_obj_end(w);
    jw_obj_end(w);
}

/* One of the dashboard's counts: {"name": n, …} over the open tickets, by one of their keys. */
static void counts_json(api_call *c, jw *w, const char *key, const tickets_dashboard_view *v,
                        int which)
{
    jw_key(w, key);
    jw_obj(w);
    if (which == 0)
        for (int st = 0; st < TICKET_RESOLVED; st++) {
            int64_t n = 0;
            for (int i = 0; i < v->n_open; i++) n += v->open[i].state == st ? v->open[i].count : 0;
            jw_kint(w, tickets_state_name(st), n);
        }
    else if (which == 1)
        for (int pr = 0; pr < TICKET_PRIORITIES; pr++) {
            int64_t n = 0;
            for (int i = 0; i < v->n_open; i++)
                n += v->open[i].priority == pr ? v->open[i].count : 0;
            jw_kint(w, tickets_priority_name(pr), n);
        }
    else /* by team: each name once ("" for none), in the order first met */
        for (int i = 0; i < v->n_open; i++) {
            const char *t = v->open[i].team ? v->open[i].team : "";
            bool seen = false;
            for (int j = 0; j < i && !seen; j++)
                seen = !strcmp(v->open[j].team ? v->open[j].team : "", t);
            if (seen) continue;
            int64_t n = 0;
            for (int j = i; j < v->n_open; j++)
                n += !strcmp(v->open[j].team ? v->open[j].team : "", t) ? v->open[j].count : 0;
            jw_kint(w, t, n);
        }
    jw_obj_end(w);
    (void)c;
}

static void dashboard(api_call *c)
{
    const char *period = p_str(c, "period");
    static const struct {
        const char *name;
        int64_t ms;
    } periods[] = {{"1d", 86400000},
                   {"7d", 7 * 86400000LL},
                   {"30d", 30 * 86400000LL},
                   {"90d", 90 * 86400000LL}};
    int64_t ms = 0;
    if (!period || !*period) period = "7d";
    for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
        if (!strcmp(period, periods[i].name)) ms = periods[i].ms;
    if (!ms) {
        api_error(c, 422, "Validation failed: period must be one of 1d, 7d, 30d, 90d");
        return;
    }
    tickets_dashboard_view v;
    if (failed(c, tickets_dashboard(c->app, viewer_id(c), ms, &v))) return;
    int64_t open = 0;
    for (int i = 0; i < v.n_open; i++) open += v.open[i].count;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "period", period);
    jw_key(&w, "open");
    jw_obj(&w);
    jw_kint(&w, "total", open);
    counts_json(c, &w, "by_state", &v, 0);
    counts_json(c, &w, "by_priority", &v, 1);
    counts_json(c, &w, "by_team", &v, 2);
    jw_obj_end(&w);
    jw_kint(&w, "breaching", v.breaching);
    period_json(&w, "current", &v.current);
    period_json(&w, "previous", &v.previous);
    jw_obj_end(&w);
}

static void help_desk_answer(api_call *c, int64_t id)
{
    bool yes;
    if (failed(c, tickets_help_desk_is(c->app, id, &yes))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kid(&w, "channel_id", id);
    jw_kbool(&w, "help_desk", yes);
    jw_obj_end(&w);
}

static void help_desk_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const pl_channel *ch = app_channel(c->app, id);
    if (!ch || (ch->is_private && !app_channel_member(c->app, ch, viewer_id(c)))) {
        api_error(c, 404, "Record not found");
        return;
    }
    help_desk_answer(c, id);
}

static void help_desk_set(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    int on = p_bool(c, "help_desk", -1);
    if (on < 0) {
        api_error(c, 422, "Validation failed: help_desk must be true or false");
        return;
    }
    if (failed(c, tickets_help_desk_set(c->app, viewer_id(c), id, on == 1))) return;
    help_desk_answer(c, id);
}

static void set_service(api_call *c)
{
    if (!c->viewer->is_admin) {
        api_error(c, 403, "Only administrators set the service team");
        return;
    }
    int64_t id = need_path_id(c);
    if (!id) return;
    int on = p_bool(c, "on", 1);
    if (on == -2) {
        api_error(c, 422, "Validation failed: on must be true or false");
        return;
    }
    const char *team = p_str(c, "team");
    if (failed(c, tickets_set_service(c->app, viewer_id(c), id, on == 1, team))) return;
    const char *now_team;
    bool now_on = tickets_on_team(c->app, id, &now_team);
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kid(&w, "account_id", id);
    jw_kbool(&w, "on", now_on);
    if (now_team)
        jw_kstr(&w, "team", now_team);
    else
        jw_knull(&w, "team");
    jw_obj_end(&w);
}

const api_route api_routes_tickets[] = {
    {M_POST, "/api/v1/partyline/tickets", create, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, "/api/v1/partyline/tickets", list, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/partyline/tickets/dashboard", dashboard, EXEC_READ, AUTH_USER,
     "read:statuses"},
    {M_GET, "/api/v1/partyline/tickets/:id", show, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_PATCH, "/api/v1/partyline/tickets/:id", change, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_POST, "/api/v1/partyline/tickets/:id/follow", follow_on, EXEC_WRITE, AUTH_USER,
     "write:statuses"},
    {M_POST, "/api/v1/partyline/tickets/:id/unfollow", follow_off, EXEC_WRITE, AUTH_USER,
     "write:statuses"},
    /* a channel's setting, as the channel's own PATCH */
    {M_GET, "/api/v1/partyline/channels/:id/help_desk", help_desk_show, EXEC_READ, AUTH_USER,
     "read:accounts"},
    {M_PUT, "/api/v1/partyline/channels/:id/help_desk", help_desk_set, EXEC_WRITE, AUTH_USER,
     "write:accounts"},
    {M_PUT, "/api/v1/partyline/admin/service_team/:id", set_service, EXEC_WRITE, AUTH_USER,
     "admin:write:accounts"},
    {0},
};
