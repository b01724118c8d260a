/**
 * app/tickets.h — tickets: a ticket is a thread (issue 16, C13; docs/api.md "Tickets").
 *
 * Rules:
 *   - A ticket's root is a post: one the caller may see, turned into a ticket (its author is the
 *     requester), or a new post of the form, written by the caller with the ticket audience.
 *     One ticket per post.
 *   - Comments are ordinary replies. In a ticket's thread two more audiences exist: "ticket"
 *     (VIS_TICKET: the requester and the service team) — a form ticket's root and every reply
 *     to a ticket-audience post, whatever the client asked, since Mastodon apps answer
 *     "private" — and "internal" (VIS_INTERNAL: work notes, the service team only; asked with
 *     visibility "internal", by team members only; replies to a note stay notes).
 *     app/audience.c decides them through tickets_audience_allows.
 *   - The service team is a role: a service_team row, or being an administrator (on by
 *     default, off with a row). Only team members change state, priority, assignee and team.
 *     The requester may reopen a resolved ticket (resolved → in progress); nobody else outside
 *     the team changes anything.
 *   - States move by the table of tickets_may_move; each change is a system entry, a reply by
 *     the person who acted, its text written by the server, marked in ticket_posts, in the
 *     change's transaction, and audited ("ticket.create", "ticket.change").
 *   - Following: the requester and the assignee follow a ticket; followers are told of every
 *     post in its thread they may see, as Mastodon's "status" notification.
 * Everything fails closed: a team membership or a ticket that cannot be read opens nothing.
 */
#ifndef PL_APP_TICKETS_H
#define PL_APP_TICKETS_H

#include "app/app.h"
#include "store/tickets.h"

enum pl_ticket_state {
    TICKET_NEW = 0,
    TICKET_IN_PROGRESS = 1,
    TICKET_ON_HOLD = 2,
    TICKET_RESOLVED = 3, /**< this one and those after it are not open (store/tickets.c) */
    TICKET_CLOSED = 4,
    TICKET_STATES
};
enum pl_ticket_priority {
    PRIORITY_LOW = 0,
    PRIORITY_NORMAL = 1,
    PRIORITY_HIGH = 2,
    PRIORITY_URGENT = 3,
    TICKET_PRIORITIES
};

/** The API's names ("new", "in_progress", "on_hold", "resolved", "closed"; "low", "normal",
 *  "high", "urgent"), and back (-1: no such name). */
const char *tickets_state_name(int state);
int tickets_state_parse(const char *name);
const char *tickets_priority_name(int priority);
int tickets_priority_parse(const char *name);

/** May a ticket move from state `from` to `to`? The table: new → in progress, on hold,
 *  resolved, closed; in progress → on hold, resolved, closed; on hold → in progress,
 *  resolved, closed; resolved → in progress (reopen), closed; closed → in progress (reopen).
 *  Staying where it is is no move (false). Pure. */
bool tickets_may_move(int from, int to);

/** The response (resolution false) or resolution target of a priority, in minutes (config). */
int tickets_target_minutes(const pl_config *cfg, int priority, bool resolution);

/** Is account_id on the service team (team: its team's name, NULL: none; may be NULL)? False on
 *  a database error. Cached for read-only requests. */
bool tickets_on_team(app_ctx *c, int64_t account_id, const char **team);

/** Opens a ticket on the post status_id (one viewer may see), *out the ticket. PL_ENOTFOUND for
 *  a post the viewer may not see; PL_EINVAL for a boost, a post already a ticket or one inside
 *  a ticket's thread. */
int tickets_open_from_post(app_ctx *c, int64_t viewer, int64_t status_id, pl_ticket *out);
/** Opens a ticket from the form: a new post by viewer, its title and text, ticket audience. */
int tickets_open_form(app_ctx *c, int64_t viewer, const char *title, const char *text,
                      int64_t app_id, pl_ticket *out);

/** A ticket the viewer may see: its root's audience says (a deleted root: the requester and
 *  the team). PL_ENOTFOUND otherwise. */
int tickets_get(app_ctx *c, int64_t viewer, int64_t id, pl_ticket *out);

/** GET /tickets' filters: -1 (or 0, NULL) leaves one out. */
typedef struct tickets_query {
    int state, priority;
    bool mine;        /**< assigned to the viewer */
    const char *team; /**< of this team */
    bool breaching;   /**< open, and past its response or resolution target */
} tickets_query;
/** A page of the tickets the viewer may see (the team: all; anyone else: those they
 *  requested), newest first: *out the page's ids (for its Link header), *shown the tickets
 *  of it the viewer may read by tickets_get's rule, read at once with their roots. */
int tickets_list(app_ctx *c, int64_t viewer, const tickets_query *q, const pl_page *p,
                 pl_idlist *out, pl_ticket **shown, int *n_shown);

/** Follows the ticket (on) or stops (off), for anyone who may read it (PL_ENOTFOUND
 *  otherwise): a follower is told of every post of its thread they may see. *out the ticket. */
int tickets_follow(app_ctx *c, int64_t viewer, int64_t id, bool on, pl_ticket *out);

/** A ticket's title, for lists: its root's first line (a form ticket's title; the content
 *  warning, when the root has one), at most 200 characters; NULL for a root deleted or with no
 *  text. Only for a viewer who may read the ticket (tickets_get's rule). */
const char *tickets_title(app_ctx *c, const pl_ticket *t);

/** Does viewer follow the ticket? False on a database error (nothing is offered that is not). */
bool tickets_following(app_ctx *c, int64_t id, int64_t viewer);

/** PATCH's fields: -1 (assignee: -1; team: NULL) leaves one as it is; assignee 0 unassigns,
 *  team "" removes it. */
typedef struct tickets_change {
    int state, priority;
    int64_t assignee_id;
    const char *team;
} tickets_change;
/** Changes a ticket (see the rules above); *out the ticket as it is now. PL_ENOTFOUND for one
 *  the viewer may not see; PL_EFORBIDDEN for a change they may not make; PL_EINVAL for a move
 *  the table refuses (the message names it) or an assignee not on the team. */
int tickets_change_apply(app_ctx *c, int64_t viewer, int64_t id, const tickets_change *ch,
                         pl_ticket *out);

/** Puts account_id on the service team (team: its team's name, NULL: none) or off it, for the
 *  actor (0: the command line; else an administrator: PL_EFORBIDDEN otherwise). Audited. */
int tickets_set_service(app_ctx *c, int64_t actor, int64_t account_id, bool on, const char *team);

/** Marks a channel as a help desk (on) or not, for actor: its owners and administrators
 *  (PL_EFORBIDDEN otherwise; PL_ENOTFOUND for a channel they may not see). A private channel
 *  cannot be one (PL_EINVAL). Audited ("channel.help_desk"). */
int tickets_help_desk_set(app_ctx *c, int64_t actor, int64_t channel_id, bool on);
/** Is the channel a help desk? PL_OK with the answer, or the database's error. */
int tickets_help_desk_is(app_ctx *c, int64_t channel_id, bool *yes);

/** The name of an SLA event (store/tickets.h SLA_*): "response_warning", "response_breach",
 *  "resolution_warning", "resolution_breach". */
const char *tickets_sla_event_name(int event);
/**
 * The SLA's background check (run/background.c, every minute on every node): for each open
 * ticket, a response or resolution target that is ticket_warning_percent spent (a coming
 * breach) or past (a breach) is told to the assignee, or without one to the ticket's team (or
 * the whole service team), as Mastodon's "status" notification about the root, once: a claim
 * on the ticket's row decides which node tells it. A breach found before its warning was told
 * is told alone. Audited ("ticket.sla"). In its own transaction when c owns them. *told: how
 * many events were told.
 */
int tickets_sla_check(app_ctx *c, int *told);

/** One period of the dashboard: the tickets opened in [from, to), how many were answered and
 *  resolved, and the time to first response and to resolution (median and p90, ms). */
typedef struct tickets_period {
    int64_t from, to;
    int64_t opened, answered, resolved;
    int64_t response_median_ms, response_p90_ms, resolution_median_ms, resolution_p90_ms;
} tickets_period;
typedef struct tickets_dashboard_view {
    struct pl_ticket_count *open; /**< open tickets by state, priority and team */
    int n_open;
    int64_t breaching;                /**< open tickets past a target now */
    tickets_period current, previous; /**< the period up to now, and the one before it */
} tickets_dashboard_view;
/** The service team's dashboard over periods of period_ms (PL_EFORBIDDEN for anyone else). */
int tickets_dashboard(app_ctx *c, int64_t viewer, int64_t period_ms, tickets_dashboard_view *out);

/* ---- hooks of the other modules ------------------------------------------------------- */

/** For app/audience.c: may viewer (signed in) see s, whose visibility is VIS_TICKET or
 *  VIS_INTERNAL? False when its ticket cannot be read. */
bool tickets_audience_allows(app_ctx *c, int64_t viewer, const pl_status *s);

/** For app/posts.c, before a post is written: the audience and ticket of a new post of author
 *  replying to parent (NULL: none), asked_visibility as sent (-1: none). ticket_id (0: not
 *  known) is set by this module for its own posts. May change *visibility and *channel_id (a
 *  ticket or internal post is in no channel) and sets *in_ticket. PL_EINVAL for a ticket or
 *  internal post outside a ticket's thread; PL_EFORBIDDEN for a note by someone not on the
 *  team. */
int tickets_place_post(app_ctx *c, int64_t author, const pl_status *parent, int asked_visibility,
                       int *visibility, int64_t *channel_id, int64_t *in_ticket);
/** For app/posts.c, right after s is written in ticket_id's thread: records it there. */
int tickets_post_record(app_ctx *c, const pl_status *s, int64_t ticket_id, bool is_system);
/** For app/posts.c, once s is written: the ticket's first response (a team member's answer,
 *  not a note nor a system entry), and its followers told (but those in skip[0..n_skip): the
 *  people it mentions, told already). */
int tickets_post_written(app_ctx *c, const pl_status *s, int64_t ticket_id, bool is_system,
                         const int64_t *skip, int n_skip);

/** For app/posts.c, once a top-level post s is written in a channel: a help desk's opens a
 *  ticket on it (its author the requester). */
int tickets_post_in_channel(app_ctx *c, const pl_status *s);

/** The ticket mark of status_id for a Status entity (NULL: none): from the page's batch when
 *  tickets_prefetch read one that covers it, else one query. */
const pl_ticket_post *tickets_post_mark(app_ctx *c, int64_t status_id);
/** Before a page of statuses is shown: reads the ticket marks of ids[0..n) at once. */
void tickets_prefetch(app_ctx *c, const int64_t *ids, int n);

#endif
