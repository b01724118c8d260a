/**
 * store/tickets.h — tickets, the posts of their threads, who follows them, and the service team
 * (tables tickets, ticket_posts, ticket_followers, service_team; migration 058), and the
 * dashboard's figures per day kept beside them (ticket_days, ticket_time_bins; migration 062).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (app/tickets.c and app/audience.c do). See docs/ARCHITECTURE.md,
 * "The store" and "Tickets".
 */
#ifndef PL_STORE_TICKETS_H
#define PL_STORE_TICKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Writes a new ticket (t->id set by the caller), and counts it in its day's figures.
 *  PL_ECONFLICT when its root already is one. */
int store_ticket_insert(db *d, const pl_ticket *t);
/** Writes what a change may move: state, priority, assignee, team, updated_at,
 *  first_response_at, resolved_at; a first response or a resolution set, moved or taken back
 *  (reopened) moves the ticket in its day's figures. PL_ENOTFOUND if there is no such ticket. */
int store_ticket_update(db *d, const pl_ticket *t);
/** One ticket. PL_ENOTFOUND if there is none. */
int store_ticket_get(db *d, int64_t id, arena *a, pl_ticket *out);
/** The tickets of ids[0..n) that exist (n <= STORE_BATCH, else PL_EINTERNAL), in no order. */
int store_tickets_by_ids(db *d, const int64_t *ids, int n, arena *a, pl_ticket **out, int *n_out);
/** The ticket whose thread holds status_id (its root or a post written in it since), with the
 *  post's own mark. PL_ENOTFOUND when the post is in no ticket's thread. */
int store_ticket_of_post(db *d, int64_t status_id, arena *a, pl_ticket_post *out);
/** Records that status_id belongs to ticket_id's thread (is_system: the server wrote it). */
int store_ticket_post_add(db *d, int64_t status_id, int64_t ticket_id, bool is_system);
/** Which of ids[0..n) (n <= STORE_BATCH, else PL_EINTERNAL) are posts of a ticket's thread, in
 *  no order: the batch behind a page of statuses. */
int store_ticket_posts_of(db *d, const int64_t *ids, int n, arena *a, pl_ticket_post **out,
                          int *n_out);

/** What GET /tickets filters by: -1 (or 0 for ids, NULL for team) leaves a filter out. */
typedef struct tickets_filter {
    int state, priority;
    bool open_only;        /**< not resolved nor closed */
    int64_t assignee_id;   /**< only this assignee's */
    int64_t requester_id;  /**< only this requester's (what a person outside the team sees) */
    const char *team;      /**< only this team's */
    bool breaching;        /**< only open ones past a target, as of now: … */
    int64_t now;           /**< … the time (ms), … */
    int64_t resolve_ms[4]; /**< … the resolution target by priority (low … urgent), … */
    int64_t respond_ms[4]; /**< … and the response target, met by a first answer */
} tickets_filter;

/** A page of ticket ids (newest first; keys are the ids) matching f. */
int store_tickets_page(db *d, const tickets_filter *f, const pl_page *p, arena *a, pl_idlist *out);

/** How many open tickets are past a target at `now` (ms): the resolution target by priority
 *  (low … urgent), or the response target without a first answer — what the filter's breaching
 *  selects, counted from index entries alone (one per such ticket; migration 063). */
int store_tickets_breaching(db *d, int64_t now, const int64_t resolve_ms[4],
                            const int64_t respond_ms[4], int64_t *n);

/** Open tickets counted by state, priority and team (the dashboard), from the counts kept by
 *  store_ticket_insert and store_ticket_update (ticket_open_counts, migration 063): as many
 *  rows as there are such groups, however many tickets are open. */
typedef struct pl_ticket_count {
    int state, priority;
    const char *team; /**< NULL: none */
    int64_t count;
} pl_ticket_count;
int store_tickets_open_counts(db *d, arena *a, pl_ticket_count **out, int *n);

/** When the tickets opened in [from, to) were answered and resolved (0: not yet): what the
 *  figures per day below are kept from (tests/unit/test_tickets.c recomputes them with it). */
typedef struct pl_ticket_times {
    int64_t created_at, first_response_at, resolved_at;
} pl_ticket_times;
int store_tickets_opened_between(db *d, int64_t from, int64_t to, arena *a, pl_ticket_times **out,
                                 int *n);

/** The dashboard's figures per UTC day of a ticket's opening (day = created_at / TICKET_DAY_MS),
 *  kept by store_ticket_insert and store_ticket_update in the writer's transaction: how many
 *  tickets were opened (bin 0), and how many answered and resolved by the bin of the time it
 *  took (ticket_time_bins: bin 0 under a minute, then logarithmic, each 12.2 % wider than the
 *  one before, the last everything past a year). A ticket counts as its row is now: answered
 *  once, resolved at its latest resolution, not while reopened. */
#define TICKET_DAY_MS 86400000LL
enum { TICKET_DAY_OPENED, TICKET_DAY_RESPONSE, TICKET_DAY_RESOLUTION, TICKET_DAY_KINDS };
typedef struct pl_ticket_day {
    int64_t day;
    int kind, bin;
    int64_t count;
} pl_ticket_day;
/** The figures of the days [from_day, to_day) that are not zero, by day, kind and bin: as
 *  kept, day by day (what tests/unit/test_tickets.c compares with the tickets). */
int store_ticket_days(db *d, int64_t from_day, int64_t to_day, arena *a, pl_ticket_day **out,
                      int *n);
/** The figures of the days [from_day, to_day) summed into h[kind][bin] (nb bins each, as
 *  store_ticket_bins; the caller zeroes them): the dashboard's read of a period, three rows a
 *  day and no row of their own. */
int store_ticket_days_sum(db *d, int64_t from_day, int64_t to_day, int nb,
                          int64_t *const h[TICKET_DAY_KINDS]);
/** The bins' lower edges (ms), lower_ms[bin] for bin in [0, n), ascending from 0. */
int store_ticket_bins(db *d, arena *a, int64_t **lower_ms, int *n);

/** The SLA's events, each told once: a response coming due, missed; a resolution the same. */
enum {
    SLA_RESPONSE_WARNING,
    SLA_RESPONSE_BREACH,
    SLA_RESOLUTION_WARNING,
    SLA_RESOLUTION_BREACH,
    SLA_EVENTS
};
typedef struct pl_ticket_sla {
    pl_ticket ticket;
    int64_t told_at[SLA_EVENTS]; /**< 0: not told */
} pl_ticket_sla;
/** Open tickets with an SLA event still untold and an id above `after`, oldest first, at most
 *  max (the check walks them all, a batch at a time). */
int store_tickets_sla_open(db *d, int64_t after, int max, arena *a, pl_ticket_sla **out, int *n);
/** Marks the event told at `at`: PL_OK if this call did, PL_ENOTFOUND if it was told already
 *  (by another node): so each is told once. */
int store_ticket_sla_claim(db *d, int64_t ticket_id, int event, int64_t at);

/** Everyone on the service team (team non-NULL: only those of that team), ascending. */
int store_service_team_members(db *d, const char *team, arena *a, int64_t **ids, int *n);

/** Marks a channel as a help desk, or not. */
int store_help_desk_set(db *d, int64_t channel_id, bool on, int64_t by, int64_t at);
/** Is the channel a help desk? PL_OK with the answer, or the database's error. */
int store_help_desk_is(db *d, int64_t channel_id, bool *yes);

/** Makes account_id follow the ticket (again: no change). */
int store_ticket_follow(db *d, int64_t ticket_id, int64_t account_id);
/** Ends a follow (none: no change). */
int store_ticket_unfollow(db *d, int64_t ticket_id, int64_t account_id);
/** Who follows the ticket, ascending. */
int store_ticket_followers(db *d, int64_t ticket_id, arena *a, int64_t **ids, int *n);

/** Is account_id on the service team? A row says so (on_team); without one, administrators are
 *  and nobody else. *team: the team's name within it (NULL: none). False on a database error
 *  (PL_EDB returned): the team's rights are never given by a failure. */
int store_service_team_get(db *d, int64_t account_id, arena *a, bool *on, const char **team);
/** Sets whether account_id is on the team, and its team's name (NULL: none). */
int store_service_team_set(db *d, int64_t account_id, bool on, const char *team, int64_t by,
                           int64_t at);

#endif
