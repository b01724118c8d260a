/*
 * store/tickets.c — the rows of tickets (see store/tickets.h; migration 058).
 *
 * A ticket is found from any post of its thread through ticket_posts (one primary-key probe),
 * which is how app/audience.c decides a ticket or internal post: the post's own row would do
 * for the root, but a reply knows only its parent, and walking up a thread per decision is a
 * query per level. Recording each post of the thread as it is written costs one row per post.
 *
 * The dashboard's figures per day (ticket_days: a histogram per day and kind, packed as text)
 * follow every write of a ticket's times here, in the caller's transaction, so no other path
 * can forget them: an insert counts the ticket opened (and answered or resolved, if it already
 * is), an update takes the ticket out of the bins of its old times and puts it in those of its
 * new ones. The old times are read by an
 * update that changes nothing and returns them (as store/audit.c's chain), which on PostgreSQL
 * also locks the row: two nodes changing one ticket at once count it once.
 */
#include "store/tickets.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/query.h"

#define NUM_(n) #n
#define NUM(n) NUM_(n)
/* store/tickets.h: states below this one are open (new, in progress, on hold) */
#define RESOLVED_STATE 3

#define TICKET_COLS                                                                                \
    "t.id, t.root_status_id, t.requester_id, COALESCE(t.assignee_id, 0), t.state, t.priority, "    \
    "t.team, t.created_at, t.updated_at, COALESCE(t.first_response_at, 0), "                       \
    "COALESCE(t.resolved_at, 0)"
enum { TICKET_NCOLS = 11 };

static void read_ticket(db_stmt *s, int first, arena *a, pl_ticket *o)
{
    o->id = db_col_i64(s, first + 0);
    o->root_status_id = db_col_i64(s, first + 1);
    o->requester_id = db_col_i64(s, first + 2);
    o->assignee_id = db_col_i64(s, first + 3);
    o->state = (int)db_col_i64(s, first + 4);
    o->priority = (int)db_col_i64(s, first + 5);
    o->team = col_str(s, first + 6, a);
    o->created_at = db_col_i64(s, first + 7);
    o->updated_at = db_col_i64(s, first + 8);
    o->first_response_at = db_col_i64(s, first + 9);
    o->resolved_at = db_col_i64(s, first + 10);
}

static void bind_or_null(db_stmt *s, int i, int64_t v)
{
    if (v)
        db_bind_i64(s, i, v);
    else
        db_bind_null(s, i);
}

/* A day's histogram of one kind as kept (ticket_days.hist): "bin:count" pairs, ascending,
 * separated by spaces, counts above 0. TICKET_BINS_MAX is room for migration 062's 117 bins. */
enum { TICKET_BINS_MAX = 128, HIST_TEXT_MAX = TICKET_BINS_MAX * 24 };

/* Reads the digits at *p (at most 18: no overflow) into *v; false if there are none. */
static bool read_count(const char **p, long long *v)
{
    const char *q = *p;
    long long x = 0;
    int k = 0;
    for (; *q >= '0' && *q <= '9' && k < 18; q++, k++) x = x * 10 + (*q - '0');
    *p = q;
    *v = x;
    return k > 0;
}

/* Calls each(bin, count, arg) for the pairs of text until one does not read (a bin out of
 * range is the callers' to skip). By hand, not strtoll: a 90-day period reads ~12,000 numbers,
 * and strtoll's locale-aware path was a tenth of the dashboard's time (perf, 10k/1M). */
static void hist_each(const char *text, void (*each)(long long, long long, void *), void *arg)
{
    const char *p = text ? text : "";
    long long bin, n;
    while (*p) {
        if (!read_count(&p, &bin) || *p != ':') break;
        p++;
        if (!read_count(&p, &n)) break;
        each(bin, n, arg);
        while (*p == ' ') p++;
    }
}

static void hist_into(long long bin, long long n, void *arg)
{
    if (bin >= 0 && bin < TICKET_BINS_MAX) ((int64_t *)arg)[bin] += n;
}

/* The bin of a duration (ms): the last edge at or below it; under none (negative), bin 0. */
static int bin_of(db *d, int64_t ms, int *bin)
{
    *bin = 0;
    PREPARE(s, d,
            "SELECT bin FROM ticket_time_bins WHERE lower_ms <= ? ORDER BY lower_ms DESC LIMIT 1");
    db_bind_i64(s, 1, ms);
    int rc = step_one(s);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    int64_t b = db_col_i64(s, 0);
    db_reset(s);
    if (b < 0 || b >= TICKET_BINS_MAX) return PL_EINTERNAL;
    *bin = (int)b;
    return PL_OK;
}

/* Moves a ticket opened at created_at in its day's figure of kind from the time `was` to the
 * time `now` (answered or resolved at; 0: not): out of the old one's bin, into the new one's.
 * A ticket opened is counted by kind TICKET_DAY_OPENED with was 0 and now 1 (bin 0). The day's
 * row is taken by an upsert that returns it (on PostgreSQL a lock: another node's change of
 * that day waits for this transaction), then written back. */
static int day_move(db *d, int64_t created_at, int kind, int64_t was, int64_t now)
{
    if (was == now) return PL_OK;
    int from = -1, to = -1, rc;
    if (kind == TICKET_DAY_OPENED)
        to = 0;
    else {
        if (was && (rc = bin_of(d, was - created_at, &from))) return rc;
        if (now && (rc = bin_of(d, now - created_at, &to))) return rc;
    }
    int64_t day = created_at / TICKET_DAY_MS, h[TICKET_BINS_MAX] = {0};
    PREPARE(s, d,
            "INSERT INTO ticket_days (day, kind, hist) VALUES (?, ?, '') ON CONFLICT (day, kind) "
            "DO UPDATE SET hist = ticket_days.hist RETURNING hist");
    db_bind_i64(s, 1, day);
    db_bind_i64(s, 2, kind);
    if ((rc = step_one(s))) return rc;
    hist_each(db_col_text(s, 0), hist_into, h);
    db_reset(s);
    if (from >= 0) h[from]--;
    if (to >= 0) h[to]++;
    char text[HIST_TEXT_MAX];
    size_t len = 0;
    text[0] = 0;
    for (int i = 0; i < TICKET_BINS_MAX; i++)
        if (h[i] > 0)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%d:%lld", len ? " " : "", i,
                                    (long long)h[i]);
    PREPARE(w, d, "UPDATE ticket_days SET hist = ? WHERE day = ? AND kind = ?");
    db_bind_text(w, 1, text, (int)len);
    db_bind_i64(w, 2, day);
    db_bind_i64(w, 3, kind);
    return db_step_done(w);
}

/* Adds delta to the open tickets of (state, priority, team) (ticket_open_counts, migration
 * 063); a ticket not open is not counted. */
static int open_add(db *d, int state, int priority, const char *team, int delta)
{
    if (state >= RESOLVED_STATE || !delta) return PL_OK;
    PREPARE(s, d,
            "INSERT INTO ticket_open_counts (state, priority, team, count) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (state, priority, team) DO UPDATE SET "
            "count = ticket_open_counts.count + excluded.count");
    db_bind_i64(s, 1, state);
    db_bind_i64(s, 2, priority);
    db_bind_text(s, 3, team ? team : "", -1);
    db_bind_i64(s, 4, delta);
    return db_step_done(s);
}

int store_ticket_insert(db *d, const pl_ticket *t)
{
    PREPARE(s, d,
            "INSERT INTO tickets (id, root_status_id, requester_id, state, priority, assignee_id, "
            "team, created_at, updated_at, first_response_at, resolved_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, t->id);
    db_bind_i64(s, 2, t->root_status_id);
    db_bind_i64(s, 3, t->requester_id);
    db_bind_i64(s, 4, t->state);
    db_bind_i64(s, 5, t->priority);
    bind_or_null(s, 6, t->assignee_id);
    db_bind_text(s, 7, t->team, -1);
    db_bind_i64(s, 8, t->created_at);
    db_bind_i64(s, 9, t->updated_at);
    bind_or_null(s, 10, t->first_response_at);
    bind_or_null(s, 11, t->resolved_at);
    int rc = db_step_done(s);
    if (!rc) rc = open_add(d, t->state, t->priority, t->team, 1);
    if (!rc) rc = day_move(d, t->created_at, TICKET_DAY_OPENED, 0, 1);
    if (!rc) rc = day_move(d, t->created_at, TICKET_DAY_RESPONSE, 0, t->first_response_at);
    if (!rc) rc = day_move(d, t->created_at, TICKET_DAY_RESOLUTION, 0, t->resolved_at);
    return rc;
}

int store_ticket_update(db *d, const pl_ticket *t)
{
    PREPARE(was, d,
            "UPDATE tickets SET updated_at = updated_at WHERE id = ? RETURNING created_at, "
            "COALESCE(first_response_at, 0), COALESCE(resolved_at, 0), state, priority, "
            "COALESCE(team, '')");
    db_bind_i64(was, 1, t->id);
    int rc = step_one(was);
    if (rc) return rc;
    int64_t created_at = db_col_i64(was, 0), responded = db_col_i64(was, 1),
            resolved = db_col_i64(was, 2);
    int old_state = (int)db_col_i64(was, 3), old_priority = (int)db_col_i64(was, 4);
    /* a team's name is at most 64 bytes (app/tickets.c); a longer one is not counted wrongly */
    char old_team[256];
    const char *ot = db_col_text(was, 5) ? db_col_text(was, 5) : "";
    bool fits = strlen(ot) < sizeof old_team;
    if (fits) memcpy(old_team, ot, strlen(ot) + 1);
    db_reset(was);
    if (!fits) return PL_EINTERNAL;
    PREPARE(s, d,
            "UPDATE tickets SET state = ?, priority = ?, assignee_id = ?, team = ?, "
            "updated_at = ?, first_response_at = ?, resolved_at = ? WHERE id = ?");
    db_bind_i64(s, 1, t->state);
    db_bind_i64(s, 2, t->priority);
    bind_or_null(s, 3, t->assignee_id);
    db_bind_text(s, 4, t->team, -1);
    db_bind_i64(s, 5, t->updated_at);
    bind_or_null(s, 6, t->first_response_at);
    bind_or_null(s, 7, t->resolved_at);
    db_bind_i64(s, 8, t->id);
    if ((rc = db_step_done(s))) return rc;
    if (!db_changes(d)) return PL_ENOTFOUND;
    /* out of the old group and into the new, in the groups' order: on PostgreSQL each upsert
     * locks its row, and two changes moving tickets between the same two groups in opposite
     * directions would otherwise each wait for the other */
    const char *new_team = t->team ? t->team : "";
    int cmp = old_state != t->state         ? (old_state < t->state ? -1 : 1)
              : old_priority != t->priority ? (old_priority < t->priority ? -1 : 1)
                                            : strcmp(old_team, new_team);
    if (cmp == 0) { /* the same group: no move */
    } else if (cmp < 0) {
        rc = open_add(d, old_state, old_priority, old_team, -1);
        if (!rc) rc = open_add(d, t->state, t->priority, new_team, 1);
    } else {
        rc = open_add(d, t->state, t->priority, new_team, 1);
        if (!rc) rc = open_add(d, old_state, old_priority, old_team, -1);
    }
    if (!rc) rc = day_move(d, created_at, TICKET_DAY_RESPONSE, responded, t->first_response_at);
    if (!rc) rc = day_move(d, created_at, TICKET_DAY_RESOLUTION, resolved, t->resolved_at);
    return rc;
}

int store_ticket_get(db *d, int64_t id, arena *a, pl_ticket *out)
{
    PREPARE(s, d, "SELECT " TICKET_COLS " FROM tickets t WHERE t.id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_ticket(s, 0, a, out);
    db_reset(s);
    return PL_OK;
}

int store_tickets_by_ids(db *d, const int64_t *ids, int n, arena *a, pl_ticket **out, int *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (n > STORE_BATCH) return PL_EINTERNAL;
    if (n <= 0) return PL_OK;
    PREPARE(s, d, "SELECT " TICKET_COLS " FROM tickets t WHERE t.id IN (" IN_BATCH ")");
    bind_batch(s, 1, ids, n);
    pl_ticket *v = arena_alloc(a, sizeof *v * (size_t)n);
    int k = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && k < n) read_ticket(s, 0, a, &v[k++]);
    db_reset(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    *out = v;
    *n_out = k;
    return PL_OK;
}

int store_ticket_of_post(db *d, int64_t status_id, arena *a, pl_ticket_post *out)
{
    PREPARE(s, d,
            "SELECT p.status_id, p.is_system, " TICKET_COLS
            " FROM ticket_posts p JOIN tickets t ON t.id = p.ticket_id WHERE p.status_id = ?");
    db_bind_i64(s, 1, status_id);
    int rc = step_one(s);
    if (rc) return rc;
    out->status_id = db_col_i64(s, 0);
    out->is_system = db_col_i64(s, 1) != 0;
    read_ticket(s, 2, a, &out->ticket);
    db_reset(s);
    return PL_OK;
}

int store_ticket_post_add(db *d, int64_t status_id, int64_t ticket_id, bool is_system)
{
    db_touch(d, TOUCH_STATUS, status_id); /* the record says it is a ticket's post */
    PREPARE(s, d, "INSERT INTO ticket_posts (status_id, ticket_id, is_system) VALUES (?, ?, ?)");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, ticket_id);
    db_bind_i64(s, 3, is_system);
    return db_step_done(s);
}

int store_ticket_posts_of(db *d, const int64_t *ids, int n, arena *a, pl_ticket_post **out,
                          int *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (n > STORE_BATCH) return PL_EINTERNAL;
    if (n <= 0) return PL_OK;
    PREPARE(s, d,
            "SELECT p.status_id, p.is_system, " TICKET_COLS
            " FROM ticket_posts p JOIN tickets t ON t.id = p.ticket_id"
            " WHERE p.status_id IN (" IN_BATCH ")");
    bind_batch(s, 1, ids, n);
    pl_ticket_post *v = arena_alloc(a, sizeof *v * (size_t)n);
    int k = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && k < n) {
        v[k].status_id = db_col_i64(s, 0);
        v[k].is_system = db_col_i64(s, 1) != 0;
        read_ticket(s, 2, a, &v[k].ticket);
        k++;
    }
    db_reset(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    *out = v;
    *n_out = k;
    return PL_OK;
}

/* Every filter is in the one text, switched off by its sentinel, so that one statement (cached
 * per connection) answers them all; the ticket's id is the paging key. A requester's or an
 * assignee's tickets lead with that equality, and open ones with their states (LEAD_*), which
 * the planner can take to an index: behind a sentinel it walked every ticket ever (the census
 * of 2026-12-07: a requester's list 11.5x, the dashboard's breaches 25x from 1k to 10k people). */
#define FILTER                                                                                     \
    "(? < 0 OR state = ?) AND (? < 0 OR priority = ?)"                                             \
    " AND (? = 0 OR state < " NUM(                                                                 \
        RESOLVED_STATE) ") AND (? = 0 OR assignee_id = ?)"                                         \
                        " AND (? = 0 OR requester_id = ?) AND (? = '' OR team = ?)"                \
                        " AND (? = 0 OR created_at + CASE priority WHEN 0 THEN ? WHEN 1 THEN ? "   \
                        "WHEN 2 THEN ? ELSE ?"                                                     \
                        " END < ? OR (first_response_at IS NULL AND created_at + CASE priority "   \
                        "WHEN 0 THEN ? WHEN 1"                                                     \
                        " THEN ? WHEN 2 THEN ? ELSE ? END < ?))"

enum { LEAD_NONE, LEAD_REQUESTER, LEAD_ASSIGNEE, LEAD_OPEN };
#define LEAD_REQUESTER_SQL "requester_id = ? AND "
#define LEAD_ASSIGNEE_SQL "assignee_id = ? AND "
#define LEAD_OPEN_SQL "state < " NUM(RESOLVED_STATE) " AND "

static int lead_of(const tickets_filter *f)
{
    return f->requester_id                ? LEAD_REQUESTER
           : f->assignee_id               ? LEAD_ASSIGNEE
           : f->open_only || f->breaching ? LEAD_OPEN
                                          : LEAD_NONE;
}

/* Binds f's parameters (its leading equality's, then FILTER's) from 1; returns the next
 * parameter's index. */
static int bind_filter(db_stmt *s, const tickets_filter *f)
{
    const char *team = f->team ? f->team : "";
    int i = 1;
    int lead = lead_of(f);
    if (lead == LEAD_REQUESTER || lead == LEAD_ASSIGNEE)
        db_bind_i64(s, i++, lead == LEAD_REQUESTER ? f->requester_id : f->assignee_id);
    db_bind_i64(s, i++, f->state);
    db_bind_i64(s, i++, f->state);
    db_bind_i64(s, i++, f->priority);
    db_bind_i64(s, i++, f->priority);
    db_bind_i64(s, i++, f->open_only || f->breaching);
    db_bind_i64(s, i++, f->assignee_id);
    db_bind_i64(s, i++, f->assignee_id);
    db_bind_i64(s, i++, f->requester_id);
    db_bind_i64(s, i++, f->requester_id);
    db_bind_text(s, i++, team, -1);
    db_bind_text(s, i++, team, -1);
    db_bind_i64(s, i++, f->breaching);
    for (int k = 0; k < 4; k++) db_bind_i64(s, i++, f->resolve_ms[k]);
    db_bind_i64(s, i++, f->now);
    for (int k = 0; k < 4; k++) db_bind_i64(s, i++, f->respond_ms[k]);
    db_bind_i64(s, i++, f->now);
    return i;
}

int store_tickets_page(db *d, const tickets_filter *f, const pl_page *p, arena *a, pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
#define PAGE_SQL(LEAD, ORDER) "SELECT id, id FROM tickets WHERE " LEAD FILTER ORDER("id")
    static const char *const sql[4][2] = {
        {PAGE_SQL("", PAGE_DESC), PAGE_SQL("", PAGE_ASC)},
        {PAGE_SQL(LEAD_REQUESTER_SQL, PAGE_DESC), PAGE_SQL(LEAD_REQUESTER_SQL, PAGE_ASC)},
        {PAGE_SQL(LEAD_ASSIGNEE_SQL, PAGE_DESC), PAGE_SQL(LEAD_ASSIGNEE_SQL, PAGE_ASC)},
        {PAGE_SQL(LEAD_OPEN_SQL, PAGE_DESC), PAGE_SQL(LEAD_OPEN_SQL, PAGE_ASC)},
    };
#undef PAGE_SQL
    db_stmt *s = db_prepare(d, sql[lead_of(f)][asc]);
    if (!s) return PL_EDB;
    int i = bind_filter(s, f);
    db_bind_i64(s, i++, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, i++, asc ? p->min_id : (p->since_id > 0 ? p->since_id : 0));
    db_bind_i64(s, i++, p->limit);
    int cap = p->limit > 0 ? p->limit : 1;
    out->ids = arena_alloc(a, sizeof(int64_t) * (size_t)cap);
    out->keys = arena_alloc(a, sizeof(int64_t) * (size_t)cap);
    out->n = 0;
    int rc = DB_DONE;
    while (out->n < p->limit && (rc = db_step(s)) == DB_ROW) {
        out->ids[out->n] = db_col_i64(s, 0);
        out->keys[out->n] = db_col_i64(s, 1);
        out->n++;
    }
    db_reset(s);
    if (out->n < p->limit && rc < 0) return rc;
    if (asc) pl_idlist_reverse(out);
    return PL_OK;
}

int store_tickets_breaching(db *d, int64_t now, const int64_t resolve_ms[4],
                            const int64_t respond_ms[4], int64_t *n)
{
    *n = 0;
    /* per priority: past the resolution target, then (not counted twice) unanswered past the
     * response target; each half an index range of migration 063's partial indexes, whose
     * conditions the text repeats so that the planner may take them */
    PREPARE(s, d,
            "SELECT (SELECT count(*) FROM tickets WHERE state < " NUM(
                RESOLVED_STATE) " AND priority = ? AND created_at < ?) + "
                                "(SELECT count(*) FROM tickets WHERE state < " NUM(
                                    RESOLVED_STATE) " AND first_response_at IS NULL AND "
                                                    "priority = ? AND created_at >= ? AND "
                                                    "created_at < ?)");
    for (int p = 0; p < 4; p++) {
        int64_t due = now - resolve_ms[p], answer_due = now - respond_ms[p];
        db_bind_i64(s, 1, p);
        db_bind_i64(s, 2, due);
        db_bind_i64(s, 3, p);
        db_bind_i64(s, 4, due);
        db_bind_i64(s, 5, answer_due);
        int rc = step_one(s);
        if (rc) return rc;
        *n += db_col_i64(s, 0);
        db_reset(s);
    }
    return PL_OK;
}

int store_tickets_open_counts(db *d, arena *a, pl_ticket_count **out, int *n)
{
    *out = NULL;
    *n = 0;
    PREPARE(s, d,
            "SELECT state, priority, team, count FROM ticket_open_counts WHERE count > 0 "
            "ORDER BY state, priority, team");
    int cap = 16, k = 0, rc;
    pl_ticket_count *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (k == cap) {
            v = arena_grow(a, v, (size_t)k, (size_t)cap * 2, sizeof *v);
            cap *= 2;
        }
        v[k].state = (int)db_col_i64(s, 0);
        v[k].priority = (int)db_col_i64(s, 1);
        v[k].team = col_str(s, 2, a);
        if (v[k].team && !v[k].team[0]) v[k].team = NULL; /* '' is kept for none */
        v[k].count = db_col_i64(s, 3);
        k++;
    }
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *out = v;
    *n = k;
    return PL_OK;
}

int store_tickets_opened_between(db *d, int64_t from, int64_t to, arena *a, pl_ticket_times **out,
                                 int *n)
{
    *out = NULL;
    *n = 0;
    PREPARE(s, d,
            "SELECT created_at, COALESCE(first_response_at, 0), COALESCE(resolved_at, 0) "
            "FROM tickets WHERE created_at >= ? AND created_at < ?");
    db_bind_i64(s, 1, from);
    db_bind_i64(s, 2, to);
    int cap = 64, k = 0, rc;
    pl_ticket_times *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (k == cap) {
            v = arena_grow(a, v, (size_t)k, (size_t)cap * 2, sizeof *v);
            cap *= 2;
        }
        v[k].created_at = db_col_i64(s, 0);
        v[k].first_response_at = db_col_i64(s, 1);
        v[k].resolved_at = db_col_i64(s, 2);
        k++;
    }
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *out = v;
    *n = k;
    return PL_OK;
}

/* Where store_ticket_days' pairs of one row go: the growing array, and the row's day and kind. */
typedef struct days_out {
    arena *a;
    pl_ticket_day *v;
    int n, cap;
    int64_t day;
    int kind;
} days_out;

static void day_pair(long long bin, long long n, void *arg)
{
    days_out *o = arg;
    if (bin < 0 || bin >= TICKET_BINS_MAX || n == 0) return;
    if (o->n == o->cap) {
        o->v = arena_grow(o->a, o->v, (size_t)o->n, (size_t)o->cap * 2, sizeof *o->v);
        o->cap *= 2;
    }
    o->v[o->n++] = (pl_ticket_day){.day = o->day, .kind = o->kind, .bin = (int)bin, .count = n};
}

int store_ticket_days(db *d, int64_t from_day, int64_t to_day, arena *a, pl_ticket_day **out,
                      int *n)
{
    *out = NULL;
    *n = 0;
    PREPARE(s, d, "SELECT day, kind, hist FROM ticket_days WHERE day >= ? AND day < ?");
    db_bind_i64(s, 1, from_day);
    db_bind_i64(s, 2, to_day);
    days_out o = {.a = a, .cap = 256};
    o.v = arena_alloc(a, sizeof *o.v * (size_t)o.cap);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        o.day = db_col_i64(s, 0);
        o.kind = (int)db_col_i64(s, 1);
        hist_each(db_col_text(s, 2), day_pair, &o);
    }
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *out = o.v;
    *n = o.n;
    return PL_OK;
}

/* Where store_ticket_days_sum's pairs of one row go: the row's histogram, nb bins long. */
typedef struct days_sum {
    int64_t *h;
    int nb;
} days_sum;

static void day_sum(long long bin, long long n, void *arg)
{
    days_sum *o = arg;
    if (bin >= 0 && bin < o->nb) o->h[bin] += n;
}

int store_ticket_days_sum(db *d, int64_t from_day, int64_t to_day, int nb,
                          int64_t *const h[TICKET_DAY_KINDS])
{
    PREPARE(s, d, "SELECT kind, hist FROM ticket_days WHERE day >= ? AND day < ?");
    db_bind_i64(s, 1, from_day);
    db_bind_i64(s, 2, to_day);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t kind = db_col_i64(s, 0);
        if (kind < 0 || kind >= TICKET_DAY_KINDS) continue;
        days_sum o = {.h = h[kind], .nb = nb};
        hist_each(db_col_text(s, 1), day_sum, &o);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_ticket_bins(db *d, arena *a, int64_t **lower_ms, int *n)
{
    PREPARE(s, d, "SELECT lower_ms FROM ticket_time_bins ORDER BY bin");
    return store_collect_ids(s, a, lower_ms, n);
}

int store_tickets_sla_open(db *d, int64_t after, int max, arena *a, pl_ticket_sla **out, int *n)
{
    *out = NULL;
    *n = 0;
    PREPARE(s, d,
            "SELECT " TICKET_COLS ", COALESCE(t.response_warned_at, 0), "
            "COALESCE(t.response_breached_at, 0), COALESCE(t.resolution_warned_at, 0), "
            "COALESCE(t.resolution_breached_at, 0) FROM tickets t WHERE t.state < " NUM(
                RESOLVED_STATE) " AND (t.resolution_breached_at IS NULL OR "
                                "(t.first_response_at IS NULL AND t.response_breached_at IS NULL))"
                                " AND t.id > ? ORDER BY t.id LIMIT ?");
    db_bind_i64(s, 1, after);
    db_bind_i64(s, 2, max);
    pl_ticket_sla *v = arena_alloc(a, sizeof *v * (size_t)(max > 0 ? max : 1));
    int k = 0, rc = DB_DONE;
    while (k < max && (rc = db_step(s)) == DB_ROW) {
        read_ticket(s, 0, a, &v[k].ticket);
        for (int j = 0; j < SLA_EVENTS; j++) v[k].told_at[j] = db_col_i64(s, TICKET_NCOLS + j);
        k++;
    }
    if (k == max) rc = DB_DONE;
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *out = v;
    *n = k;
    return PL_OK;
}

int store_ticket_sla_claim(db *d, int64_t ticket_id, int event, int64_t at)
{
    static const char *const sql[SLA_EVENTS] = {
        "UPDATE tickets SET response_warned_at = ? WHERE id = ? AND response_warned_at IS NULL",
        "UPDATE tickets SET response_breached_at = ? WHERE id = ? AND response_breached_at IS "
        "NULL",
        "UPDATE tickets SET resolution_warned_at = ? WHERE id = ? AND resolution_warned_at IS NULL",
        "UPDATE tickets SET resolution_breached_at = ? WHERE id = ? AND resolution_breached_at IS "
        "NULL",
    };
    if (event < 0 || event >= SLA_EVENTS) return PL_EINTERNAL;
    PREPARE(s, d, sql[event]);
    db_bind_i64(s, 1, at);
    db_bind_i64(s, 2, ticket_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_service_team_members(db *d, const char *team, arena *a, int64_t **ids, int *n)
{
    const char *t = team ? team : "";
    PREPARE(s, d,
            "SELECT account_id FROM service_team WHERE on_team = 1 AND (? = '' OR team = ?) "
            "UNION SELECT id FROM accounts WHERE role > 0 AND role = " NUM(
                PL_ROLE_ADMIN) " AND ? = '' AND id NOT IN (SELECT account_id FROM service_team) "
                               "ORDER BY 1"); /* the same order on both databases: the SLA's note is
                                                 the first's */
    db_bind_text(s, 1, t, -1);
    db_bind_text(s, 2, t, -1);
    db_bind_text(s, 3, t, -1);
    return store_collect_ids(s, a, ids, n);
}

int store_help_desk_set(db *d, int64_t channel_id, bool on, int64_t by, int64_t at)
{
    if (!on) {
        PREPARE(s, d, "DELETE FROM help_desk_channels WHERE channel_id = ?");
        db_bind_i64(s, 1, channel_id);
        return db_step_done(s);
    }
    PREPARE(s, d,
            "INSERT INTO help_desk_channels (channel_id, set_by, set_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, channel_id);
    bind_or_null(s, 2, by);
    db_bind_i64(s, 3, at);
    return db_step_done(s);
}

int store_help_desk_is(db *d, int64_t channel_id, bool *yes)
{
    /* store_ask2 asks with two parameters: the second is the channel's id again */
    return store_ask2(d, "SELECT 1 FROM help_desk_channels WHERE channel_id = ? AND channel_id = ?",
                      channel_id, channel_id, yes);
}

int store_ticket_follow(db *d, int64_t ticket_id, int64_t account_id)
{
    PREPARE(s, d,
            "INSERT INTO ticket_followers (ticket_id, account_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, ticket_id);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

int store_ticket_unfollow(db *d, int64_t ticket_id, int64_t account_id)
{
    PREPARE(s, d, "DELETE FROM ticket_followers WHERE ticket_id = ? AND account_id = ?");
    db_bind_i64(s, 1, ticket_id);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

int store_ticket_followers(db *d, int64_t ticket_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT account_id FROM ticket_followers WHERE ticket_id = ? ORDER BY account_id");
    db_bind_i64(s, 1, ticket_id);
    return store_collect_ids(s, a, ids, n);
}

int store_service_team_get(db *d, int64_t account_id, arena *a, bool *on, const char **team)
{
    *on = false;
    *team = NULL;
    PREPARE(s, d,
            "SELECT COALESCE(t.on_team, CASE WHEN a.role = " NUM(
                PL_ROLE_ADMIN) " THEN 1 ELSE 0 END), t.team "
                               "FROM accounts a LEFT JOIN service_team t ON t.account_id = a.id "
                               "WHERE a.id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *on = db_col_i64(s, 0) != 0;
    *team = col_str(s, 1, a);
    db_reset(s);
    return PL_OK;
}

int store_service_team_set(db *d, int64_t account_id, bool on, const char *team, int64_t by,
                           int64_t at)
{
    PREPARE(s, d,
            "INSERT INTO service_team (account_id, on_team, team, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
            "on_team = excluded.on_team, team = excluded.team, set_by = excluded.set_by, "
            "set_at = excluded.set_at");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, on);
    db_bind_text(s, 3, team, -1);
    bind_or_null(s, 4, by);
    db_bind_i64(s, 5, at);
    return db_step_done(s);
}
