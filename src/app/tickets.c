/*
 * tickets.c — a ticket is a thread (see tickets.h for the rules).
 *
 * The design choice: a ticket adds rows beside the posts it is made of, never a second kind of
 * message. Its root, its comments, its state changes and its work notes are all statuses, so
 * every Mastodon app reads and answers them, and every read path already asks the one audience
 * function; what is new is two audiences (ticket, internal) that app/audience.c hands to
 * tickets_audience_allows, which finds the post's ticket in ticket_posts (one primary-key
 * probe, or the page's batch). The state table is data (moves[]), so the rule is read in one
 * place and tested without a database.
 *
 * It must never open a post through a failure: a ticket or a team membership that cannot be
 * read is "not there".
 */
#include "tickets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/audit.h"
#include "app/notify.h"
#include "app/posts.h"
#include "app/channels.h"
#include "store/query.h"
#include "store/tickets.h"
#include "util/text.h"

enum { TEAM_MEMO = 8, TITLE_MAX = 200, TEAM_NAME_MAX = 64 };

struct ticket_memo {
    struct {
        int64_t id;
        bool on;
        const char *team;
    } team[TEAM_MEMO];
    int n_team;
    pl_ticket_post *marks; /* the page's batch (tickets_prefetch) */
    int64_t *asked;        /* the ids the batch asked about, ascending */
    int n_marks, n_asked;
};

static struct ticket_memo *memo(app_ctx *c)
{
    if (!c->tickets) c->tickets = arena_alloc(c->a, sizeof *c->tickets);
    return c->tickets;
}

/* ---------------------------------------------------------------- names and the table */

static const char *const state_names[TICKET_STATES] = {"new", "in_progress", "on_hold", "resolved",
                                                       "closed"};
static const char *const priority_names[TICKET_PRIORITIES] = {"low", "normal", "high", "urgent"};

const char *tickets_state_name(int state)
{
    return state >= 0 && state < TICKET_STATES ? state_names[state] : "unknown";
}

int tickets_state_parse(const char *name)
{
    for (int i = 0; name && i < TICKET_STATES; i++)
        if (!strcmp(name, state_names[i])) return i;
    return -1;
}

const char *tickets_priority_name(int priority)
{
    return priority >= 0 && priority < TICKET_PRIORITIES ? priority_names[priority] : "unknown";
}

int tickets_priority_parse(const char *name)
{
    for (int i = 0; name && i < TICKET_PRIORITIES; i++)
        if (!strcmp(name, priority_names[i])) return i;
    return -1;
}

/* moves[from][to]: the allowed moves; reopening is resolved or closed → in progress. */
static const bool moves[TICKET_STATES][TICKET_STATES] = {
    [TICKET_NEW] = {[TICKET_IN_PROGRESS] = 1,
                    [TICKET_ON_HOLD] = 1,
                    [TICKET_RESOLVED] = 1,
                    [TICKET_CLOSED] = 1},
    [TICKET_IN_PROGRESS] = {[TICKET_ON_HOLD] = 1, [TICKET_RESOLVED] = 1, [TICKET_CLOSED] = 1},
    [TICKET_ON_HOLD] = {[TICKET_IN_PROGRESS] = 1, [TICKET_RESOLVED] = 1, [TICKET_CLOSED] = 1},
    [TICKET_RESOLVED] = {[TICKET_IN_PROGRESS] = 1, [TICKET_CLOSED] = 1},
    [TICKET_CLOSED] = {[TICKET_IN_PROGRESS] = 1},
};

bool tickets_may_move(int from, int to)
{
    return from >= 0 && from < TICKET_STATES && to >= 0 && to < TICKET_STATES && moves[from][to];
}

int tickets_target_minutes(const pl_config *cfg, int priority, bool resolution)
{
    switch (priority) {
    case PRIORITY_LOW:
        return resolution ? cfg->ticket_resolution_minutes_low : cfg->ticket_response_minutes_low;
    case PRIORITY_HIGH:
        return resolution ? cfg->ticket_resolution_minutes_high : cfg->ticket_response_minutes_high;
    case PRIORITY_URGENT:
        return resolution ? cfg->ticket_resolution_minutes_urgent
                          : cfg->ticket_response_minutes_urgent;
    default:
        return resolution ? cfg->ticket_resolution_minutes_normal
                          : cfg->ticket_response_minutes_normal;
    }
}

/* Every priority's resolution and response targets in ms (low … urgent): what the breaching
 * filter and count compare the tickets' opening times with. */
static void targets_ms(const pl_config *cfg, int64_t resolve[TICKET_PRIORITIES],
                       int64_t respond[TICKET_PRIORITIES])
{
    for (int k = 0; k < TICKET_PRIORITIES; k++) {
        resolve[k] = (int64_t)tickets_target_minutes(cfg, k, true) * 60000;
        respond[k] = (int64_t)tickets_target_minutes(cfg, k, false) * 60000;
    }
}

/* ---------------------------------------------------------------- the service team */

bool tickets_on_team(app_ctx *c, int64_t account_id, const char **team)
{
    if (team) *team = NULL;
    if (!account_id) return false;
    struct ticket_memo *m = memo(c);
    for (int i = 0; i < m->n_team; i++)
        if (m->team[i].id == account_id) {
            if (team) *team = m->team[i].team;
            return m->team[i].on;
        }
    bool on;
    const char *name;
    if (store_service_team_get(c->db, account_id, c->a, &on, &name)) return false;
    if (m->n_team < TEAM_MEMO) {
        m->team[m->n_team].id = account_id;
        m->team[m->n_team].on = on;
        m->team[m->n_team].team = name;
        m->n_team++;
    }
    if (team) *team = name;
    return on;
}

int tickets_set_service(app_ctx *c, int64_t actor, int64_t account_id, bool on, const char *team)
{
    if (actor) {
        const pl_account *a = app_account(c, actor);
        if (!a || !a->is_admin)
            return app_fail(c, PL_EFORBIDDEN, "Only administrators set the service team");
    }
    const pl_account *who = app_account(c, account_id);
    if (!who || who->is_group) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (team && !*team) team = NULL;
    if (team && (strlen(team) > TEAM_NAME_MAX || !text_is_valid_utf8(team, strlen(team))))
        return app_fail(c, PL_EINVAL, "Validation failed: team must be at most %d characters",
                        TEAM_NAME_MAX);
    if (!on) team = NULL;
    int rc = store_service_team_set(c->db, account_id, on, team, actor, c->now);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "ticket.service_team",
                                            .actor_id = actor,
                                            .no_actor = !actor,
                                            .target_kind = "account",
                                            .target_id = account_id,
                                            .detail = {AUDIT_COUNT("on", on),
                                                       AUDIT_STR("team", team ? team : "")}});
    c->tickets = NULL; /* what was read of the team this request is old */
    return rc;
}

/* ---------------------------------------------------------------- marks of posts */

static bool in_ids(const int64_t *v, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (v[mid] == id) return true;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

const pl_ticket_post *tickets_post_mark(app_ctx *c, int64_t status_id)
{
    struct ticket_memo *m = c->tickets;
    if (m && m->asked && in_ids(m->asked, m->n_asked, status_id)) {
        for (int i = 0; i < m->n_marks; i++)
            if (m->marks[i].status_id == status_id) return &m->marks[i];
        return NULL;
    }
    pl_ticket_post *p = arena_alloc(c->a, sizeof *p);
    return store_ticket_of_post(c->db, status_id, c->a, p) == PL_OK ? p : NULL;
}

static bool is_ticket_post(const pl_status *s)
{
    return s->ticket_post;
}

void tickets_prefetch(app_ctx *c, const int64_t *ids, int n)
{
    struct ticket_memo *m = memo(c);
    m->asked = NULL;
    m->n_asked = m->n_marks = 0;
    if (n <= 0) return;
    /* the posts and what they boost (a boost shows its original's mark); read are the marks
     * of those whose record says they are a ticket's */
    int64_t *want, *ask;
    int k, n_ask;
    app_page_posts(c, ids, n, is_ticket_post, &want, &k, &ask, &n_ask);
    pl_ticket_post *all = arena_alloc(c->a, sizeof *all * (size_t)(n_ask ? n_ask : 1));
    int got = 0;
    for (int i = 0; i < n_ask; i += STORE_BATCH) {
        int chunk = n_ask - i < STORE_BATCH ? n_ask - i : STORE_BATCH;
        pl_ticket_post *v;
        int nv;
        if (store_ticket_posts_of(c->db, ask + i, chunk, c->a, &v, &nv)) return; /* per post */
        memcpy(all + got, v, sizeof *v * (size_t)nv);
        got += nv;
    }
    m->marks = all;
    m->n_marks = got;
    m->asked = want;
    m->n_asked = k;
}

/* ---------------------------------------------------------------- audiences */

bool tickets_audience_allows(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!viewer) return false;
    const pl_ticket_post *mark = tickets_post_mark(c, s->id);
    if (!mark) return false;
    if (tickets_on_team(c, viewer, NULL)) return true;
    return s->visibility == VIS_TICKET && viewer == mark->ticket.requester_id;
}

int tickets_place_post(app_ctx *c, int64_t author, const pl_status *parent, int asked_visibility,
                       int *visibility, int64_t *channel_id, int64_t *in_ticket)
{
    *in_ticket = 0;
    bool asked_ours = asked_visibility == VIS_TICKET || asked_visibility == VIS_INTERNAL;
    if (parent) {
        pl_ticket_post m;
        int rc = store_ticket_of_post(c->db, parent->id, c->a, &m);
        if (rc == PL_OK)
            *in_ticket = m.ticket.id;
        else if (rc != PL_ENOTFOUND)
            return rc;
    }
    if (!*in_ticket) {
        if (asked_ours)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: only a reply in a ticket's thread can be for the "
                            "ticket or internal");
        return PL_OK;
    }
    if (parent->visibility == VIS_INTERNAL || asked_visibility == VIS_INTERNAL)
        *visibility = VIS_INTERNAL;
    else if (parent->visibility == VIS_TICKET || asked_visibility == VIS_TICKET)
        *visibility = VIS_TICKET;
    if (*visibility == VIS_INTERNAL && !tickets_on_team(c, author, NULL))
        return app_fail(c, PL_EFORBIDDEN, "Only the service team writes internal notes");
    if (*visibility == VIS_TICKET || *visibility == VIS_INTERNAL) *channel_id = 0;
    return PL_OK;
}

/* ---------------------------------------------------------------- following, the thread */

static bool in_list(const int64_t *v, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (v[i] == id) return true;
    return false;
}

int tickets_post_record(app_ctx *c, const pl_status *s, int64_t ticket_id, bool is_system)
{
    return store_ticket_post_add(c->db, s->id, ticket_id, is_system);
}

int tickets_post_written(app_ctx *c, const pl_status *s, int64_t ticket_id, bool is_system,
                         const int64_t *skip, int n_skip)
{
    pl_ticket t;
    int rc = store_ticket_get(c->db, ticket_id, c->a, &t);
    if (rc == PL_ENOTFOUND) return PL_OK; /* the form's root, written before its ticket */
    if (rc) return rc;
    /* the first answer the requester had from the team: not a system entry, not a note */
    if (!is_system && !t.first_response_at && s->visibility != VIS_INTERNAL &&
        s->account_id != t.requester_id && tickets_on_team(c, s->account_id, NULL)) {
        t.first_response_at = c->now;
        if ((rc = store_ticket_update(c->db, &t))) return rc;
    }
    int64_t *followers;
    int n;
    if ((rc = store_ticket_followers(c->db, ticket_id, c->a, &followers, &n))) return rc;
    for (int i = 0; i < n && !rc; i++) {
        int64_t f = followers[i];
        if (f == s->account_id || in_list(skip, n_skip, f)) continue;
        if (audience_can_see(c, f, s)) rc = notify_push(c, f, s->account_id, "status", s->id);
    }
    return rc;
}

/* ---------------------------------------------------------------- opening a ticket */

static int audit_ticket(app_ctx *c, int64_t actor, const char *action, const pl_ticket *t,
                        const char *from_state)
{
    return audit_record(
        c, &(audit_entry){.action = action,
                          .actor_id = actor,
                          .target_kind = "ticket",
                          .target_id = t->id,
                          .detail = {AUDIT_ID("root_status_id", t->root_status_id),
                                     AUDIT_STR("state", tickets_state_name(t->state)),
                                     AUDIT_STR("from_state", from_state ? from_state : ""),
                                     AUDIT_STR("priority", tickets_priority_name(t->priority)),
                                     t->assignee_id
                                         ? (audit_detail)AUDIT_ID("assignee_id", t->assignee_id)
                                         : (audit_detail){.key = "assignee_id"},
                                     AUDIT_STR("team", t->team ? t->team : "")}});
}

static int open_on(app_ctx *c, int64_t actor, const pl_status *root, int64_t id, pl_ticket *out)
{
    *out = (pl_ticket){.id = id,
                       .root_status_id = root->id,
                       .requester_id = root->account_id,
                       .state = TICKET_NEW,
                       .priority = PRIORITY_NORMAL,
                       .created_at = c->now,
                       .updated_at = c->now};
    int rc = store_ticket_insert(c->db, out);
    if (rc == PL_ECONFLICT) return app_fail(c, PL_EINVAL, "This post is a ticket already");
    if (!rc) rc = store_ticket_follow(c->db, out->id, out->requester_id);
    if (!rc) rc = audit_ticket(c, actor, "ticket.create", out, NULL);
    return rc;
}

int tickets_open_from_post(app_ctx *c, int64_t viewer, int64_t status_id, pl_ticket *out)
{
    pl_status s;
    int rc = posts_get(c, viewer, status_id, &s);
    if (rc) return rc;
    if (s.reblog_of_id) return app_fail(c, PL_EINVAL, "A boost cannot become a ticket");
    pl_ticket_post m;
    rc = store_ticket_of_post(c->db, status_id, c->a, &m);
    if (rc == PL_OK)
        return app_fail(c, PL_EINVAL,
                        m.ticket.root_status_id == status_id
                            ? "This post is a ticket already"
                            : "This post is in a ticket's thread already");
    if (rc != PL_ENOTFOUND) return rc;
    /* the team must be able to read what it works on */
    const pl_channel *ch = s.channel_id ? app_channel(c, s.channel_id) : NULL;
    if ((s.visibility != VIS_PUBLIC && s.visibility != VIS_UNLISTED &&
         s.visibility != VIS_COMPANY) ||
        (ch && ch->is_private) || s.channel_removed)
        return app_fail(c, PL_EINVAL,
                        "Only a post every member may read can become a ticket (the service "
                        "team must read it): this one is for fewer people");
    if ((rc = open_on(c, viewer, &s, app_new_id(c), out))) return rc;
    return store_ticket_post_add(c->db, s.id, out->id, false);
}

int tickets_open_form(app_ctx *c, int64_t viewer, const char *title, const char *text,
                      int64_t app_id, pl_ticket *out)
{
    if (!title || !*(title + strspn(title, " \t\r\n")))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_BLANK",
                              "Validation failed: title can't be blank");
    if (!text_is_valid_utf8(title, strlen(title)) ||
        text_char_count(title, strlen(title), NULL) > TITLE_MAX || strpbrk(title, "\r\n"))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_INVALID",
                              "Validation failed: title must be one line of at most %d "
                              "characters",
                              TITLE_MAX);
    if (!text || !*(text + strspn(text, " \t\r\n")))
        return app_fail_field(c, PL_EINVAL, "text", "ERR_BLANK",
                              "Validation failed: text can't be blank");
    int64_t ticket_id = app_new_id(c);
    int64_t root_id;
    int rc = posts_create(c, viewer,
                          &(posts_new){.text = arena_printf(c->a, "%s\n\n%s", title, text),
                                       .visibility = VIS_TICKET,
                                       .sensitive = -1,
                                       .app_id = app_id,
                                       .content_type = "text/plain",
                                       .ticket_id = ticket_id},
                          &root_id);
    if (rc) return rc;
    const pl_status *root = app_status(c, root_id);
    if (!root) return PL_EINTERNAL;
    return open_on(c, viewer, root, ticket_id, out); /* the id its root was recorded with */
}

/* ---------------------------------------------------------------- reading */

/* May viewer read ticket t? Its root's audience says; a deleted root: its requester and the
 * team. */
static bool may_read(app_ctx *c, int64_t viewer, const pl_ticket *t)
{
    const pl_status *root = app_status(c, t->root_status_id);
    return root ? audience_can_see(c, viewer, root) && app_account(c, root->account_id)
                : viewer && (viewer == t->requester_id || tickets_on_team(c, viewer, NULL));
}

int tickets_get(app_ctx *c, int64_t viewer, int64_t id, pl_ticket *out)
{
    int rc = store_ticket_get(c->db, id, c->a, out);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (rc) return rc;
    return may_read(c, viewer, out) ? PL_OK : app_fail(c, PL_ENOTFOUND, "Record not found");
}

int tickets_follow(app_ctx *c, int64_t viewer, int64_t id, bool on, pl_ticket *out)
{
    int rc = tickets_get(c, viewer, id, out);
    if (rc) return rc;
    return on ? store_ticket_follow(c->db, id, viewer) : store_ticket_unfollow(c->db, id, viewer);
}

const char *tickets_title(app_ctx *c, const pl_ticket *t)
{
    const pl_status *root = app_status(c, t->root_status_id);
    if (!root) return NULL;
    /* a content warning is what the post shows first: the title never says what it folds */
    const char *s = root->spoiler_text && *root->spoiler_text ? root->spoiler_text
                    : root->plain_text                        ? root->plain_text
                                                              : root->text;
    if (!s) return NULL;
    s += strspn(s, " \t\r\n");
    size_t len = strcspn(s, "\r\n"), end = 0;
    /* at most TITLE_MAX characters, cut where one starts */
    for (int chars = 0; end < len && chars < TITLE_MAX; chars++) {
        end++; /* past a character's first byte, then its continuation bytes */
        while (end < len && ((unsigned char)s[end] & 0xC0) == 0x80) end++;
    }
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t')) end--;
    return end ? arena_strndup(c->a, s, end) : NULL;
}

bool tickets_following(app_ctx *c, int64_t id, int64_t viewer)
{
    int64_t *followers;
    int n;
    return store_ticket_followers(c->db, id, c->a, &followers, &n) == PL_OK &&
           in_list(followers, n, viewer);
}

int tickets_list(app_ctx *c, int64_t viewer, const tickets_query *q, const pl_page *p,
                 pl_idlist *out, pl_ticket **shown, int *n_shown)
{
    *shown = NULL;
    *n_shown = 0;
    tickets_filter f = {.state = q->state, .priority = q->priority, .team = q->team};
    if (!tickets_on_team(c, viewer, NULL)) f.requester_id = viewer;
    if (q->mine) f.assignee_id = viewer;
    if (q->breaching) {
        f.breaching = true;
        f.now = c->now;
        targets_ms(c->cfg, f.resolve_ms, f.respond_ms);
    }
    int rc = store_tickets_page(c->db, &f, p, c->a, out);
    if (rc) return rc;
    /* the page's tickets and then their roots, a batch each (STORE_BATCH at a time) */
    pl_ticket *v = arena_alloc(c->a, sizeof *v * (size_t)(out->n + 1));
    int n = 0;
    for (int i = 0; i < out->n; i += STORE_BATCH) {
        int chunk = out->n - i < STORE_BATCH ? out->n - i : STORE_BATCH, got;
        pl_ticket *part;
        if ((rc = store_tickets_by_ids(c->db, out->ids + i, chunk, c->a, &part, &got))) return rc;
        memcpy(v + n, part, sizeof *part * (size_t)got);
        n += got;
    }
    int64_t *roots = arena_alloc(c->a, sizeof *roots * (size_t)(n + 1));
    for (int i = 0; i < n; i++) roots[i] = v[i].root_status_id;
    if (c->read_only) app_prefetch_statuses(c, roots, n);
    /* in the page's order, each by tickets_get's rule: the list never shows more than that */
    pl_ticket *keep = arena_alloc(c->a, sizeof *keep * (size_t)(n + 1));
    for (int i = 0; i < out->n; i++)
        for (int j = 0; j < n; j++)
            if (v[j].id == out->ids[i] && may_read(c, viewer, &v[j])) keep[(*n_shown)++] = v[j];
    *shown = keep;
    return PL_OK;
}

/* ---------------------------------------------------------------- changing a ticket */

/* The text of a change's system entry, in the arena: one sentence per field that moved. */
static const char *entry_text(app_ctx *c, const pl_ticket *was, const pl_ticket *now)
{
    const char *t = "";
    if (was->state != now->state)
        t = arena_printf(c->a, "%sState: %s → %s.", t, tickets_state_name(was->state),
                         tickets_state_name(now->state));
    if (was->priority != now->priority)
        t = arena_printf(c->a, "%s%sPriority: %s → %s.", t, *t ? " " : "",
                         tickets_priority_name(was->priority),
                         tickets_priority_name(now->priority));
    if (was->assignee_id != now->assignee_id) {
        const pl_account *a = now->assignee_id ? app_account(c, now->assignee_id) : NULL;
        t = a ? arena_printf(c->a, "%s%sAssigned to @%s.", t, *t ? " " : "", a->username)
              : arena_printf(c->a, "%s%sUnassigned.", t, *t ? " " : "");
    }
    bool team_moved = (was->team == NULL) != (now->team == NULL) ||
                      (was->team && now->team && strcmp(was->team, now->team));
    if (team_moved)
        t = now->team ? arena_printf(c->a, "%s%sTeam: %s.", t, *t ? " " : "", now->team)
                      : arena_printf(c->a, "%s%sNo team.", t, *t ? " " : "");
    return t;
}

/* A system entry: a reply to the root (or, the root deleted, a post of the thread on its own),
 * in the name of actor, for the audience given (a change: the ticket's; an SLA event: the
 * team's). */
static int write_entry(app_ctx *c, int64_t actor, const pl_ticket *t, int visibility,
                       const char *text)
{
    int64_t id;
    const pl_status *root = app_status(c, t->root_status_id);
    return posts_create(c, actor,
                        &(posts_new){.text = text,
                                     .visibility = visibility,
                                     .sensitive = -1,
                                     .content_type = "text/plain",
                                     .in_reply_to_id = root ? root->id : 0,
                                     .ticket_id = t->id,
                                     .is_system = true},
                        &id);
}

int tickets_change_apply(app_ctx *c, int64_t viewer, int64_t id, const tickets_change *ch,
                         pl_ticket *out)
{
    pl_ticket was;
    int rc = tickets_get(c, viewer, id, &was);
    if (rc) return rc;
    pl_ticket now = was;
    bool team = tickets_on_team(c, viewer, NULL);
    if (ch->state >= 0) now.state = ch->state;
    if (ch->priority >= 0) now.priority = ch->priority;
    if (ch->assignee_id >= 0) now.assignee_id = ch->assignee_id;
    if (ch->team) now.team = *ch->team ? ch->team : NULL;
    /* who may first (a member learns nothing of the table by asking), then the move */
    bool reopen_only = now.state != was.state && was.state == TICKET_RESOLVED &&
                       now.state == TICKET_IN_PROGRESS && now.priority == was.priority &&
                       now.assignee_id == was.assignee_id && now.team == was.team;
    if (!team && !(reopen_only && viewer == was.requester_id))
        return app_fail(c, PL_EFORBIDDEN,
                        viewer == was.requester_id
                            ? "Only the service team changes a ticket; its requester may reopen "
                              "it once resolved"
                            : "Only the service team changes a ticket");
    if (now.state != was.state && !tickets_may_move(was.state, now.state))
        return app_fail_field(c, PL_EINVAL, "state", "ERR_INVALID",
                              "Validation failed: a ticket cannot move from %s to %s",
                              tickets_state_name(was.state), tickets_state_name(now.state));
    if (now.assignee_id && now.assignee_id != was.assignee_id &&
        (!app_account(c, now.assignee_id) || !tickets_on_team(c, now.assignee_id, NULL)))
        return app_fail_field(c, PL_EINVAL, "assignee_id", "ERR_INVALID",
                              "Validation failed: the assignee must be on the service team");
    if (now.team &&
        (strlen(now.team) > TEAM_NAME_MAX || !text_is_valid_utf8(now.team, strlen(now.team))))
        return app_fail_field(c, PL_EINVAL, "team", "ERR_INVALID",
                              "Validation failed: team must be at most %d characters",
                              TEAM_NAME_MAX);
    const char *text = entry_text(c, &was, &now);
    *out = was;
    if (!*text) return PL_OK; /* nothing moved: nothing to write down */
    if (now.state >= TICKET_RESOLVED && !was.resolved_at) now.resolved_at = c->now;
    if (now.state < TICKET_RESOLVED) now.resolved_at = 0; /* reopened */
    now.updated_at = c->now;
    if ((rc = store_ticket_update(c->db, &now))) return rc;
    if (now.assignee_id && (rc = store_ticket_follow(c->db, now.id, now.assignee_id))) return rc;
    if ((rc = write_entry(c, viewer, &now, VIS_TICKET, text))) return rc;
    if ((rc = audit_ticket(c, viewer, "ticket.change", &now, tickets_state_name(was.state))))
        return rc;
    /* the entry's own write may have moved the first response; read the row as it is */
    return store_ticket_get(c->db, id, c->a, out);
}

/* ---------------------------------------------------------------- help desk channels */

int tickets_help_desk_set(app_ctx *c, int64_t actor, int64_t channel_id, bool on)
{
    const pl_channel *ch = app_channel(c, channel_id);
    if (!ch || (ch->is_private && !app_channel_member(c, ch, actor)))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (app_channel_role(c, ch, actor) < ROLE_OWNER)
        return app_fail(c, PL_EFORBIDDEN,
                        "Only the channel's owners and administrators make it a help desk");
    if (on && ch->is_private)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: a private channel cannot be a help desk (the service "
                        "team could not read its posts)");
    int rc = store_help_desk_set(c->db, channel_id, on, actor, c->now);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "channel.help_desk",
                                            .actor_id = actor,
                                            .target_kind = "channel",
                                            .target_id = channel_id,
                                            .detail = {AUDIT_COUNT("on", on)}});
    return rc;
}

int tickets_help_desk_is(app_ctx *c, int64_t channel_id, bool *yes)
{
    return store_help_desk_is(c->db, channel_id, yes);
}

int tickets_post_in_channel(app_ctx *c, const pl_status *s)
{
    if (!s->channel_id || s->in_reply_to_id || s->reblog_of_id) return PL_OK;
    bool desk;
    int rc = store_help_desk_is(c->db, s->channel_id, &desk);
    if (rc || !desk) return rc;
    pl_ticket t;
    if ((rc = open_on(c, s->account_id, s, app_new_id(c), &t))) return rc;
    return store_ticket_post_add(c->db, s->id, t.id, false);
}

/* ---------------------------------------------------------------- the SLA's check */

/* Who hears of a ticket's SLA event: its assignee; else its team's members; else the team. */
static int sla_recipients(app_ctx *c, const pl_ticket *t, int64_t **ids, int *n)
{
    if (t->assignee_id) {
        *ids = arena_alloc(c->a, sizeof **ids);
        (*ids)[0] = t->assignee_id;
        *n = 1;
        return PL_OK;
    }
    int rc = store_service_team_members(c->db, t->team, c->a, ids, n);
    if (!rc && *n == 0 && t->team) rc = store_service_team_members(c->db, NULL, c->a, ids, n);
    return rc;
}

/* minutes said in words: "45 minutes", "4 hours", "1 hour 30 minutes", "3 days" */
static const char *say_minutes(app_ctx *c, int64_t m)
{
    if (m >= 1440 && m % 1440 == 0)
        return arena_printf(c->a, "%lld day%s", (long long)(m / 1440), m == 1440 ? "" : "s");
    if (m >= 60 && m % 60 == 0)
        return arena_printf(c->a, "%lld hour%s", (long long)(m / 60), m == 60 ? "" : "s");
    if (m > 60)
        return arena_printf(c->a, "%lld hour%s %lld minute%s", (long long)(m / 60),
                            m / 60 == 1 ? "" : "s", (long long)(m % 60), m % 60 == 1 ? "" : "s");
    return arena_printf(c->a, "%lld minute%s", (long long)m, m == 1 ? "" : "s");
}

/* An SLA event's system entry in the ticket's thread (issue 16: "SLA events are system entries
 * in the same thread"): a work note, for the clock is the team's, in the name of the person it
 * is told to first — the assignee, or the first member of the team. One no longer on the team
 * may not write a note: the event is then told by notification alone. */
static int sla_entry(app_ctx *c, const pl_ticket *t, int event, int64_t author)
{
    bool resolution = event == SLA_RESOLUTION_WARNING || event == SLA_RESOLUTION_BREACH;
    bool breach = event == SLA_RESPONSE_BREACH || event == SLA_RESOLUTION_BREACH;
    int64_t target = tickets_target_minutes(c->cfg, t->priority, resolution);
    const char *what = resolution ? "resolution" : "first response";
    const char *text;
    if (breach) {
        text =
            arena_printf(c->a, "SLA breached: %s within its target of %s.",
                         resolution ? "not resolved" : "no first response", say_minutes(c, target));
    } else {
        int64_t left = (t->created_at + target * 60000 - c->now + 59999) / 60000;
        text = arena_printf(c->a, "SLA warning: the %s is due in %s (its target: %s).", what,
                            say_minutes(c, left < 1 ? 1 : left), say_minutes(c, target));
    }
    int rc = write_entry(c, author, t, VIS_INTERNAL, text);
    if (rc == PL_EFORBIDDEN) {
        c->errmsg = NULL;
        return PL_OK;
    }
    return rc;
}

/* The events due for one ticket now, in the order told (a breach first marks its warning told,
 * so a late check never warns of what has already happened). */
static int sla_ticket(app_ctx *c, const pl_ticket_sla *t, int *told)
{
    const pl_ticket *k = &t->ticket;
    int pct = c->cfg->ticket_warning_percent;
    struct {
        bool applies;
        int64_t due;
        int warn, breach;
    } kinds[2] = {
        {!k->first_response_at,
         k->created_at + (int64_t)tickets_target_minutes(c->cfg, k->priority, false) * 60000,
         SLA_RESPONSE_WARNING, SLA_RESPONSE_BREACH},
        {true, k->created_at + (int64_t)tickets_target_minutes(c->cfg, k->priority, true) * 60000,
         SLA_RESOLUTION_WARNING, SLA_RESOLUTION_BREACH},
    };
    int rc = PL_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        if (!kinds[i].applies) continue;
        int64_t warn_at = k->created_at + (kinds[i].due - k->created_at) * pct / 100;
        int event = -1;
        if (c->now >= kinds[i].due && !t->told_at[kinds[i].breach]) {
            event = kinds[i].breach;
            if (!t->told_at[kinds[i].warn]) {
                rc = store_ticket_sla_claim(c->db, k->id, kinds[i].warn, c->now);
                if (rc == PL_ENOTFOUND) rc = PL_OK;
            }
        } else if (c->now >= warn_at && c->now < kinds[i].due && !t->told_at[kinds[i].warn]) {
            event = kinds[i].warn;
        }
        if (rc || event < 0) continue;
        rc = store_ticket_sla_claim(c->db, k->id, event, c->now);
        if (rc == PL_ENOTFOUND) { /* another node told it */
            rc = PL_OK;
            continue;
        }
        int64_t *to;
        int n;
        if (!rc) rc = sla_recipients(c, k, &to, &n);
        for (int j = 0; j < n && !rc; j++)
            rc = notify_push(c, to[j], k->requester_id, "status", k->root_status_id);
        if (!rc && n > 0) rc = sla_entry(c, k, event, to[0]);
        if (!rc)
            rc = audit_record(
                c, &(audit_entry){.action = "ticket.sla",
                                  .no_actor = true,
                                  .target_kind = "ticket",
                                  .target_id = k->id,
                                  .detail = {AUDIT_STR("event", tickets_sla_event_name(event))}});
        if (!rc) (*told)++;
    }
    return rc;
}

const char *tickets_sla_event_name(int event)
{
    static const char *const names[SLA_EVENTS] = {"response_warning", "response_breach",
                                                  "resolution_warning", "resolution_breach"};
    return event >= 0 && event < SLA_EVENTS ? names[event] : "unknown";
}

enum { SLA_BATCH = 200 };

/* Is an event of t due now and untold (sla_ticket would tell something)? Pure. */
static bool sla_due(app_ctx *c, const pl_ticket_sla *t)
{
    const pl_ticket *k = &t->ticket;
    int pct = c->cfg->ticket_warning_percent;
    for (int resolution = 0; resolution < 2; resolution++) {
        if (!resolution && k->first_response_at) continue;
        int64_t span = (int64_t)tickets_target_minutes(c->cfg, k->priority, resolution) * 60000;
        int warn = resolution ? SLA_RESOLUTION_WARNING : SLA_RESPONSE_WARNING;
        int breach = resolution ? SLA_RESOLUTION_BREACH : SLA_RESPONSE_BREACH;
        if (c->now >= k->created_at + span && !t->told_at[breach]) return true;
        if (c->now >= k->created_at + span * pct / 100 && !t->told_at[warn]) return true;
    }
    return false;
}

int tickets_sla_check(app_ctx *c, int *told)
{
    *told = 0;
    /* every open ticket with an event untold, SLA_BATCH at a time, read without the write lock;
     * only a batch with something due takes it (SQLite's one writer is not held each minute for
     * nothing), and the claims make a stale read harmless */
    int64_t after = 0;
    for (;;) {
        pl_ticket_sla *open;
        int n = 0;
        int rc = store_tickets_sla_open(c->db, after, SLA_BATCH, c->a, &open, &n);
        if (rc) return rc;
        bool any = false;
        for (int i = 0; i < n && !any; i++) any = sla_due(c, &open[i]);
        if (any) {
            if ((rc = app_txn_begin(c))) return rc;
            for (int i = 0; i < n && !rc; i++)
                if (sla_due(c, &open[i])) rc = sla_ticket(c, &open[i], told);
            if ((rc = app_txn_end(c, rc))) return rc;
        }
        if (n < SLA_BATCH) return PL_OK;
        after = open[n - 1].ticket.id;
    }
}

/* ---------------------------------------------------------------- the dashboard */

/* The q-th quantile of the n durations of histogram h over the bins of lower edges lower[0..nb)
 * (store_ticket_bins): the bin of the nearest rank, and within it the place the rank takes
 * among the bin's count (its middle for one), geometrically as the bins are (the bin under a
 * minute linearly; the last, past a year, at its edge): so within the bin's width of the exact
 * figure, 12.2 % of it, or a minute below one. 0 when n is 0. */
static int64_t hist_quantile(const int64_t *h, const int64_t *lower, int nb, int64_t n, int q)
{
    if (n <= 0 || nb <= 0) return 0;
    int64_t rank = (q * n + 99) / 100; /* ceil(q/100 · n), 1-based */
    if (rank < 1) rank = 1;
    int64_t before = 0;
    for (int b = 0; b < nb; b++) {
        if (before + h[b] < rank) {
            before += h[b];
            continue;
        }
        if (b == nb - 1) return lower[b];
        double f = ((double)(rank - before) - 0.5) / (double)h[b];
        double lo = (double)lower[b], hi = (double)lower[b + 1];
        return (int64_t)llround(b == 0 ? hi * f : lo * pow(hi / lo, f));
    }
    return lower[nb - 1];
}

/* The figures of one period from its histograms (h[kind][bin], store/tickets.h's kinds). */
static void period_of(int64_t *const h[TICKET_DAY_KINDS], const int64_t *lower, int nb,
                      tickets_period *out)
{
    int64_t n[TICKET_DAY_KINDS] = {0};
    for (int k = 0; k < TICKET_DAY_KINDS; k++)
        for (int b = 0; b < nb; b++) n[k] += h[k][b];
    const int64_t *resp = h[TICKET_DAY_RESPONSE], *res = h[TICKET_DAY_RESOLUTION];
    out->opened = n[TICKET_DAY_OPENED];
    out->answered = n[TICKET_DAY_RESPONSE];
    out->resolved = n[TICKET_DAY_RESOLUTION];
    out->response_median_ms = hist_quantile(resp, lower, nb, out->answered, 50);
    out->response_p90_ms = hist_quantile(resp, lower, nb, out->answered, 90);
    out->resolution_median_ms = hist_quantile(res, lower, nb, out->resolved, 50);
    out->resolution_p90_ms = hist_quantile(res, lower, nb, out->resolved, 90);
}

/* Both periods of `days` whole UTC days (the current one ends today, the previous one before
 * it) from the figures kept per day: three rows a day (2 · days · 3) and the bins' edges,
 * however many tickets were opened. */
static int periods(app_ctx *c, int64_t days, tickets_period *current, tickets_period *previous)
{
    int64_t today = c->now / TICKET_DAY_MS, first = today - days + 1;
    *current = (tickets_period){.from = first * TICKET_DAY_MS, .to = c->now};
    *previous = (tickets_period){.from = (first - days) * TICKET_DAY_MS, .to = current->from};
    int64_t *lower;
    int nb;
    int rc = store_ticket_bins(c->db, c->a, &lower, &nb);
    if (rc) return rc;
    if (nb <= 0) return PL_EINTERNAL;
    int64_t *h[2][TICKET_DAY_KINDS];
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < TICKET_DAY_KINDS; k++)
            h[p][k] = arena_alloc(c->a, sizeof(int64_t) * (size_t)nb); /* zeroed */
    if ((rc = store_ticket_days_sum(c->db, first, today + 1, nb, h[0]))) return rc;
    if ((rc = store_ticket_days_sum(c->db, first - days, first, nb, h[1]))) return rc;
    period_of(h[0], lower, nb, current);
    period_of(h[1], lower, nb, previous);
    return PL_OK;
}

int tickets_dashboard(app_ctx *c, int64_t viewer, int64_t period_ms, tickets_dashboard_view *out)
{
    if (!tickets_on_team(c, viewer, NULL))
        return app_fail(c, PL_EFORBIDDEN, "Only the service team reads the dashboard");
    memset(out, 0, sizeof *out);
    int rc = store_tickets_open_counts(c->db, c->a, &out->open, &out->n_open);
    int64_t resolve_ms[TICKET_PRIORITIES], respond_ms[TICKET_PRIORITIES];
    targets_ms(c->cfg, resolve_ms, respond_ms);
    if (!rc) rc = store_tickets_breaching(c->db, c->now, resolve_ms, respond_ms, &out->breaching);
    int64_t days = period_ms / TICKET_DAY_MS;
    if (!rc) rc = periods(c, days > 0 ? days : 1, &out->current, &out->previous);
    return rc;
}
