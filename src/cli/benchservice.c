/*
 * benchservice.c — `partyline bench-data --service`: what tickets and listening read (issue 16),
 * added to a company bench-data has just built, for the census (bench/census.sh).
 *
 * - A service team: SERVICE_PEOPLE people (fewer in a small company) in two teams, "it" and
 *   "facilities".
 * - Tickets, one for every TICKET_POSTS posts, opened over the last TICKET_DAYS days: some from
 *   the form (a new post of the requester's), most from a post a team member turned into one;
 *   each then lives as the team works it — triaged (priority, assignee, in progress: a system
 *   entry), answered by its assignee (its first response), sometimes answered back by its
 *   requester, sometimes given an internal note, sometimes put on hold and taken up again,
 *   resolved and later closed — each step at its own moment, only if that moment has come, so
 *   the recent tickets are still open in every state and the tickets the team forgot (a few)
 *   are breaching. Finally the SLA check runs once at the present, as the server's background
 *   would on its first minute (its warnings and breaches told now, not during the census).
 * - Watches: WATCHES of them (the company's limit) over WATCH_OWNERS people, their queries drawn
 *   from the words bench-data writes posts with, in shapes that hit from a hundredth of a
 *   percent of the posts (one person's) to a few percent (a phrase of a common post); then the
 *   real matcher (app/listening_match.c: listen_step, as the server's background runs it) over
 *   every post — or, with --watch-days N, the watches are made N days ago and the matcher reads
 *   the posts from then on, as a server whose company made its watches then (its cursor at the
 *   floor of that moment: a big company's history is not read, which is what keeps a 10M-post
 *   build within the hour) — so the matches and the 5-minute buckets are what the server would have
 * kept; then a few watches learn from their last 14 days (listen_backfill, as `partyline admin
 *   listen backfill` does), which is what may fire alerts; the alerts are what it fired.
 *
 * Everything goes through the app layer, each step at its own moment (c->now, and ids from a
 * generator of its own that follows the moments: the events of all tickets are sorted by time
 * first), in transactions of EVENTS_PER_TXN steps. The draws come from a fixed seed, so two
 * builds of the same size make the same tickets and watches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/listening.h"
#include "app/posts.h"
#include "app/tickets.h"
#include "cli/cli.h"
#include "store/accounts.h"
#include "store/watches.h"
#include "util/timeutil.h"

enum {
    SERVICE_PEOPLE = 40,  /* on the service team (a tenth of a small company at most) */
    TICKET_POSTS = 200,   /* a ticket for every so many posts */
    TICKET_DAYS = 60,     /* tickets are opened over the last so many days */
    WATCHES = 1000,       /* WATCHES_IN_COMPANY */
    WATCH_OWNERS = 250,   /* people who own them (four each) */
    BACKFILLED = 8,       /* watches that learn from their last BACKFILL_DAYS days */
    BACKFILL_DAYS = 14,   /* listen/spike.h's SPIKE_DAYS, the most listen_backfill takes */
    ALERTS_WRITTEN = 3,   /* alerts written for a backfilled watch that fired none */
    EVENTS_PER_TXN = 500, /* ticket steps per transaction */
    ROOT_CANDIDATES = 20, /* posts looked at to find one to turn into a ticket */
};

static const int64_t MINUTE = 60000, HOUR = 3600000, DAY = 86400000;

typedef struct srng {
    uint64_t s;
} srng;

static uint64_t srng_next(srng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double srng_unit(srng *r)
{
    return (double)(srng_next(r) >> 11) * 0x1.0p-53;
}

static uint32_t srng_below(srng *r, uint32_t n)
{
    return (uint32_t)(srng_unit(r) * n);
}

/* ---------------------------------------------------------------- tickets */

enum ev_kind {
    EV_OPEN,
    EV_TRIAGE,
    EV_ANSWER,
    EV_BACK,
    EV_NOTE,
    EV_HOLD,
    EV_RESUME,
    EV_RESOLVE,
    EV_CLOSE
};

typedef struct event {
    int64_t at;
    uint32_t ticket;
    uint8_t kind;
} event;

typedef struct ticket_plan {
    int64_t id;        /* 0 until opened (and if it could not be) */
    int64_t root;      /* its root post */
    int64_t requester; /* a form ticket's author as a user number until opened; then the
                          requester's account id (of either kind of ticket) */
    uint32_t assignee; /* index into the team */
    uint8_t priority, form;
} ticket_plan;

typedef struct service {
    const pl_config *cfg;
    app_ctx base;
    db *d;
    srng r;
    int64_t *team; /* account ids */
    const char **team_name;
    uint32_t n_team, n_users;
    ticket_plan *t;
    uint32_t n_t;
    event *ev;
    uint32_t n_ev, cap_ev;
    int64_t t0_ns;
    long long done[EV_CLOSE + 1], failed;
} service;

static const char *const team_names[] = {"it", "facilities"};

static const char *const form_titles[] = {
    "VPN keeps disconnecting",        "Laptop will not boot",
    "Need access to the billing API", "Printer on floor 2 jams",
    "Badge does not open the door",   "Monitor flickers",
    "Password reset did not work",    "Desk chair broken",
    "Request: second screen",         "Meeting room display is off",
    "Cannot install the client",      "Shared folder permission"};
static const char *const form_texts[] = {
    "It started this morning and happens every few minutes.",
    "Tried restarting twice, no luck. Can someone have a look?",
    "I need this for the quarterly report, due Friday.", "Not urgent, but it keeps coming back.",
    "This blocks me from working, please help."};
static const char *const answers[] = {
    "Thanks, looking into it now.", "Could you send a screenshot of the error?",
    "We pushed a fix; can you try again?", "A technician will come by this afternoon.",
    "This is a known issue, the workaround is in the wiki."};
static const char *const backs[] = {"Works now, thank you!", "Still the same here, sorry.",
                                    "Screenshot attached in the wiki page.", "Thanks!"};
static const char *const notes[] = {"Same root cause as last week's.",
                                    "Waiting on the vendor, ticket opened there.",
                                    "Needs a part; ordered."};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
/* progress, at once (stdout may be a file) */
#define SAY(...) (printf(__VA_ARGS__), fflush(stdout))

static double elapsed_s(const service *s)
{
    return (double)(time_mono_ns() - s->t0_ns) / 1e9;
}

static int64_t user_id(service *s, uint32_t k)
{
    char name[32];
    snprintf(name, sizeof name, "user%u", k);
    pl_account a;
    return store_account_by_username(s->d, name, s->base.a, &a) ? 0 : a.id;
}

static void add_event(service *s, uint32_t ticket, int kind, int64_t at, int64_t now)
{
    if (at >= now) return; /* not yet */
    if (s->n_ev == s->cap_ev) {
        s->cap_ev = s->cap_ev ? 2 * s->cap_ev : 1024;
        s->ev = realloc(s->ev, sizeof *s->ev * s->cap_ev);
        if (!s->ev) abort();
    }
    s->ev[s->n_ev++] = (event){.at = at, .ticket = ticket, .kind = (uint8_t)kind};
}

static int cmp_event(const void *x, const void *y)
{
    const event *a = x, *b = y;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    return a->ticket < b->ticket ? -1 : a->ticket > b->ticket;
}

/* Draws every ticket's life: when each step comes, by its priority's targets. */
static void plan_tickets(service *s, uint32_t n_posts, int64_t now)
{
    s->n_t = n_posts / TICKET_POSTS;
    if (s->n_t < 20) s->n_t = 20;
    s->t = calloc(s->n_t, sizeof *s->t);
    if (!s->t) abort();
    int64_t start = now - TICKET_DAYS * DAY;
    for (uint32_t i = 0; i < s->n_t; i++) {
        ticket_plan *p = &s->t[i];
        double roll = srng_unit(&s->r);
        p->priority = roll < 0.2    ? PRIORITY_LOW
                      : roll < 0.7  ? PRIORITY_NORMAL
                      : roll < 0.92 ? PRIORITY_HIGH
                                    : PRIORITY_URGENT;
        p->form = srng_unit(&s->r) < 0.4;
        p->assignee = srng_below(&s->r, s->n_team);
        p->requester = 1 + srng_below(&s->r, s->n_users - 1);
        int64_t at = start + (int64_t)(srng_unit(&s->r) * (double)(now - start - MINUTE));
        int64_t respond = (int64_t)tickets_target_minutes(s->cfg, p->priority, false) * MINUTE;
        int64_t resolve = (int64_t)tickets_target_minutes(s->cfg, p->priority, true) * MINUTE;
        add_event(s, i, EV_OPEN, at, now);
        if (srng_unit(&s->r) < 0.04) continue; /* forgotten: never worked on (breaches) */
        int64_t triage = at + 2 * MINUTE + (int64_t)(srng_unit(&s->r) * 0.5 * (double)respond);
        /* a quarter of the answers come late (past the response target) */
        int64_t answer = triage + (int64_t)(srng_unit(&s->r) * 1.3 * (double)respond);
        add_event(s, i, EV_TRIAGE, triage, now);
        add_event(s, i, EV_ANSWER, answer, now);
        if (srng_unit(&s->r) < 0.5)
            add_event(s, i, EV_BACK, answer + (int64_t)(srng_unit(&s->r) * 8 * HOUR), now);
        if (srng_unit(&s->r) < 0.3)
            add_event(s, i, EV_NOTE, answer + (int64_t)(srng_unit(&s->r) * 4 * HOUR), now);
        int64_t done = at + (int64_t)((0.2 + srng_unit(&s->r) * 1.2) * (double)resolve);
        if (done <= answer) done = answer + MINUTE;
        if (srng_unit(&s->r) < 0.12) {
            int64_t hold = answer + (done - answer) / 3, resume = answer + 2 * (done - answer) / 3;
            add_event(s, i, EV_HOLD, hold, now);
            add_event(s, i, EV_RESUME, resume, now);
        }
        add_event(s, i, EV_RESOLVE, done, now);
        add_event(s, i, EV_CLOSE, done + 2 * DAY, now);
    }
    qsort(s->ev, s->n_ev, sizeof *s->ev, cmp_event);
}

static int64_t team_member(service *s, uint32_t k)
{
    return s->team[k % s->n_team];
}

/* A post of the moment to turn into a ticket: a top-level public post of the last hours. */
static int open_from_post(service *s, app_ctx *c, ticket_plan *p, int64_t by)
{
    int64_t *ids;
    int n;
    int rc = store_listen_statuses_after(s->d, id_floor_for_ms(c->now - 6 * HOUR), ROOT_CANDIDATES,
                                         c->a, &ids, &n);
    if (rc) return rc;
    for (int i = n - 1; i >= 0; i--) { /* the newest before now first */
        if (id_ms(ids[i]) >= c->now) continue;
        const pl_status *st = app_status(c, ids[i]);
        if (!st || st->visibility != VIS_PUBLIC || st->in_reply_to_id || st->reblog_of_id) continue;
        pl_ticket t;
        rc = tickets_open_from_post(c, by, ids[i], &t);
        if (rc == PL_EINVAL || rc == PL_ENOTFOUND) continue;
        if (rc) return rc;
        p->id = t.id;
        p->root = t.root_status_id;
        return PL_OK;
    }
    return PL_ENOTFOUND;
}

static int reply(app_ctx *c, int64_t author, int64_t to, const char *text, int visibility)
{
    int64_t id;
    return posts_create(
        c, author,
        &(posts_new){.text = text, .visibility = visibility, .sensitive = -1, .in_reply_to_id = to},
        &id);
}

static int change(app_ctx *c, int64_t by, int64_t ticket, int state, int priority, int64_t assignee,
                  const char *team)
{
    pl_ticket out;
    return tickets_change_apply(
        c, by, ticket,
        &(tickets_change){
            .state = state, .priority = priority, .assignee_id = assignee, .team = team},
        &out);
}

static int run_event(service *s, app_ctx *c, const event *e)
{
    ticket_plan *p = &s->t[e->ticket];
    int64_t assignee = team_member(s, p->assignee);
    const char *team = s->team_name[p->assignee % s->n_team];
    if (e->kind == EV_OPEN) {
        if (p->form) {
            int64_t who = user_id(s, (uint32_t)p->requester);
            if (!who) return PL_ENOTFOUND;
            pl_ticket t;
            int rc = tickets_open_form(c, who, form_titles[e->ticket % N_OF(form_titles)],
                                       form_texts[e->ticket % N_OF(form_texts)], 0, &t);
            if (!rc) {
                p->id = t.id;
                p->root = t.root_status_id;
                p->requester = who;
            }
            return rc;
        }
        int rc = open_from_post(s, c, p, team_member(s, p->assignee + 1));
        if (!rc) {
            pl_ticket t;
            rc = tickets_get(c, assignee, p->id, &t);
            if (!rc) p->requester = t.requester_id;
        }
        return rc;
    }
    if (!p->id) return PL_ENOTFOUND; /* it could not be opened */
    switch (e->kind) {
    case EV_TRIAGE:
        return change(c, team_member(s, p->assignee + 1), p->id, TICKET_IN_PROGRESS, p->priority,
                      assignee, team);
    case EV_ANSWER:
        return reply(c, assignee, p->root, answers[e->ticket % N_OF(answers)], VIS_TICKET);
    case EV_BACK:
        return reply(c, p->requester, p->root, backs[e->ticket % N_OF(backs)], VIS_TICKET);
    case EV_NOTE: return reply(c, assignee, p->root, notes[e->ticket % N_OF(notes)], VIS_INTERNAL);
    case EV_HOLD: return change(c, assignee, p->id, TICKET_ON_HOLD, -1, -1, NULL);
    case EV_RESUME: return change(c, assignee, p->id, TICKET_IN_PROGRESS, -1, -1, NULL);
    case EV_RESOLVE: return change(c, assignee, p->id, TICKET_RESOLVED, -1, -1, NULL);
    case EV_CLOSE: return change(c, assignee, p->id, TICKET_CLOSED, -1, -1, NULL);
    }
    return PL_OK;
}

static int make_team(service *s)
{
    uint32_t n = s->n_users / 10;
    if (n > SERVICE_PEOPLE) n = SERVICE_PEOPLE;
    if (n < 2) n = 2;
    s->team = calloc(n, sizeof *s->team);
    s->team_name = calloc(n, sizeof *s->team_name);
    if (!s->team || !s->team_name) abort();
    int rc = db_begin(s->d);
    for (uint32_t k = 0; k < n && !rc; k++) {
        /* spread over the company, never user0 */
        uint32_t u = 1 + (uint32_t)(((uint64_t)k * 7919u + 13u) % (s->n_users - 1));
        int64_t id = user_id(s, u);
        if (!id) continue;
        /* three in four in "it" */
        const char *team = team_names[k % 4 == 3];
        app_ctx c = s->base;
        rc = tickets_set_service(&c, 0, id, true, team);
        if (!rc) {
            s->team[s->n_team] = id;
            s->team_name[s->n_team++] = team;
        }
    }
    rc = rc ? (db_rollback(s->d), rc) : db_commit(s->d);
    if (!rc && s->n_team < 2) rc = PL_ENOTFOUND;
    return rc;
}

static int make_tickets(service *s, uint32_t n_posts)
{
    int64_t now = time_now_ms();
    plan_tickets(s, n_posts, now);
    id_gen ids; /* the steps' own moments: the posts' generator is past them */
    id_gen_init(&ids, (s->base.ids->node + 2) & 15);
    int rc = PL_OK;
    for (uint32_t i = 0; i < s->n_ev && !rc;) {
        if ((rc = db_begin(s->d))) break;
        uint32_t end = i + EVENTS_PER_TXN < s->n_ev ? i + EVENTS_PER_TXN : s->n_ev;
        for (; i < end && !rc; i++) {
            app_ctx c = s->base;
            c.ids = &ids;
            c.now = s->ev[i].at;
            int r = run_event(s, &c, &s->ev[i]);
            if (r == PL_OK)
                s->done[s->ev[i].kind]++;
            else if (r == PL_EINVAL || r == PL_ENOTFOUND || r == PL_EFORBIDDEN)
                s->failed++; /* refused before writing: the ticket goes on without it */
            else {
                fprintf(stderr, "bench-data: ticket step failed: %s\n",
                        c.errmsg ? c.errmsg : pl_strerror(r));
                rc = r;
            }
        }
        rc = rc ? (db_rollback(s->d), rc) : db_commit(s->d);
        arena_free(s->base.a);
    }
    if (rc) return rc;
    SAY("bench-data: %.1f s: %u tickets, %u steps (%lld opened, %lld triaged, %lld answered, "
        "%lld answered back, %lld notes, %lld on hold, %lld resolved, %lld closed; %lld "
        "refused)\n",
        elapsed_s(s), s->n_t, s->n_ev, s->done[EV_OPEN], s->done[EV_TRIAGE], s->done[EV_ANSWER],
        s->done[EV_BACK], s->done[EV_NOTE], s->done[EV_HOLD], s->done[EV_RESOLVE],
        s->done[EV_CLOSE], s->failed);
    /* the SLA's warnings and breaches of now, told once, as the server's first minute would */
    app_ctx c = s->base;
    c.own_txn = true;
    c.now = now;
    int told = 0;
    rc = tickets_sla_check(&c, &told);
    arena_free(s->base.a);
    if (!rc)
        SAY("bench-data: %.1f s: the SLA check told %d warnings and breaches\n", elapsed_s(s),
            told);
    return rc;
}

/* ---------------------------------------------------------------- watches */

/* words of bench-data's posts (benchdata.c: openers, bodies, tags) */
static const char *const body_words[] = {
    "search",     "VPN",       "tickets",  "quarterly",  "billing",  "incident",
    "flaky",      "printer",   "planning", "onboarding", "database", "recording",
    "laptops",    "kickoff",   "welcome",  "candidate",  "expense",  "latency",
    "volunteers", "hackathon", "style",    "security",   "backlog",  "mobile"};
static const char *const phrases[] = {
    "\"VPN certificate\"", "\"billing API\"",     "\"release candidate\"", "\"office move\"",
    "\"style guide\"",     "\"support backlog\"", "\"incident reviews\"",  "\"new laptops\""};
static const char *const opener_words[] = {
    "update", "Heads", "Reminder", "Good",   "FYI",    "Question", "shipped", "Thanks",
    "help",   "win",   "PSA",      "Weekly", "Status", "Coffee",   "Ideas",   "Done"};
static const char *const tag_words[] = {
    "engineering", "marketing",  "sales",    "servicedesk", "people",    "release",
    "security",    "onboarding", "allhands", "finance",     "design",    "support",
    "itsm",        "knowledge",  "cycling",  "lunch",       "hackathon", "devops",
    "product",     "mobile",     "data",     "legal",       "office",    "remote",
    "wellbeing",   "learning",   "kudos",    "incident",    "roadmap",   "qa"};

/* One watch's query, by shape: from a hundredth of a percent of the posts to a few percent. */
static void watch_query(service *s, char *q, size_t cap, const char **shape)
{
    srng *r = &s->r;
    double roll = srng_unit(r);
    const char *w = body_words[srng_below(r, N_OF(body_words))];
    if (roll < 0.45) {
        *shape = "word AND word";
        snprintf(q, cap, "%s AND %s", w, opener_words[srng_below(r, N_OF(opener_words))]);
    } else if (roll < 0.65) {
        *shape = "word AND #tag";
        snprintf(q, cap, "%s AND #%s", w, tag_words[srng_below(r, N_OF(tag_words))]);
    } else if (roll < 0.80) {
        *shape = "from:";
        snprintf(q, cap, "from:user%u", 1 + srng_below(r, s->n_users - 1));
    } else if (roll < 0.90) {
        *shape = "#tag";
        snprintf(q, cap, "#%s", tag_words[5 + srng_below(r, N_OF(tag_words) - 5)]);
    } else if (roll < 0.94) {
        *shape = "word NEAR/4 word";
        snprintf(q, cap, "(%s NEAR/4 %s) NOT %s", w, w == body_words[1] ? "certificate" : "the",
                 opener_words[srng_below(r, N_OF(opener_words))]);
    } else if (roll < 0.98) {
        *shape = "\"phrase\" NOT word";
        snprintf(q, cap, "%s NOT %s", phrases[srng_below(r, N_OF(phrases))],
                 opener_words[srng_below(r, N_OF(opener_words))]);
    } else {
        *shape = "word";
        snprintf(q, cap, "%s", w);
    }
}

static int make_watches(service *s, int64_t made_at, int64_t *first_watch)
{
    uint32_t owners = WATCH_OWNERS < s->n_users - 1 ? WATCH_OWNERS : s->n_users - 1;
    uint32_t per = (WATCHES + owners - 1) / owners;
    int rc = db_begin(s->d);
    int made = 0;
    for (uint32_t k = 0; k < owners && made < WATCHES && !rc; k++) {
        /* the team watches too: every tenth owner is on it */
        int64_t owner =
            k % 10 == 0 ? s->team[(k / 10) % s->n_team]
                        : user_id(s, 1 + (uint32_t)(((uint64_t)k * 104729u) % (s->n_users - 1)));
        for (uint32_t j = 0; j < per && made < WATCHES && owner && !rc; j++) {
            char q[160], title[64];
            const char *shape;
            watch_query(s, q, sizeof q, &shape);
            snprintf(title, sizeof title, "watch %d (%s)", made, shape);
            app_ctx c = s->base;
            c.now = made_at;
            pl_watch w;
            watchq_error qerr;
            rc = watches_create(&c, owner, title, q, 0, &w, &qerr);
            if (rc == PL_ELIMIT) { /* a team member already has WATCHES_PER_PERSON */
                rc = PL_OK;
                break;
            }
            if (rc)
                fprintf(stderr, "bench-data: watch %s: %s\n", q,
                        c.errmsg ? c.errmsg : pl_strerror(rc));
            if (!rc && !made) *first_watch = w.id;
            made += !rc;
        }
    }
    rc = rc ? (db_rollback(s->d), rc) : db_commit(s->d);
    arena_free(s->base.a);
    if (!rc) SAY("bench-data: %.1f s: %d watches of %u people\n", elapsed_s(s), made, owners);
    return rc;
}

/* The matcher's cursors where a server's are when a company makes its first watch at made_at:
 * a step with no watch moves them to that moment's floor (listen_step). */
static int start_matcher_at(service *s, int64_t made_at)
{
    listen_worker w = {.holder = "bench-data"};
    app_ctx c = s->base;
    c.own_txn = true;
    c.now = made_at;
    listen_summary sum = {0};
    int rc = listen_step(&c, &w, &sum);
    listen_worker_free(&w);
    arena_free(s->base.a);
    if (rc) fprintf(stderr, "bench-data: matcher: %s\n", c.errmsg ? c.errmsg : pl_strerror(rc));
    return rc;
}

/* The real matcher over every post from its cursor, as the server's background runs it. */
static int run_matcher(service *s)
{
    listen_worker w = {.holder = "bench-data"};
    long long posts = 0, matches = 0, steps = 0;
    double t = elapsed_s(s);
    int rc = PL_OK;
    for (bool more = true; more && !rc;) {
        app_ctx c = s->base;
        c.own_txn = true;
        c.now = time_now_ms();
        listen_summary sum = {0};
        rc = listen_step(&c, &w, &sum);
        if (rc) fprintf(stderr, "bench-data: matcher: %s\n", c.errmsg ? c.errmsg : pl_strerror(rc));
        posts += sum.posts;
        matches += sum.matches;
        more = sum.more;
        arena_free(s->base.a);
        if (++steps % 500 == 0)
            SAY("bench-data: %.1f s: matcher: %lld posts, %lld matches\n", elapsed_s(s), posts,
                matches);
    }
    listen_worker_free(&w);
    if (!rc)
        SAY("bench-data: %.1f s: the matcher read %lld posts and kept %lld matches in %.1f s\n",
            elapsed_s(s), posts, matches, elapsed_s(s) - t);
    return rc;
}

/* A few watches learn from their last 14 days: their spike states may fire alerts. */
static int backfill_some(service *s)
{
    pl_watch *all;
    int n;
    int rc = store_watches_all(s->d, s->base.a, &all, &n);
    if (rc) return rc;
    int64_t ids[BACKFILLED];
    int k = 0;
    /* the broad ones (one word, a phrase, a tag): they have the volume to learn from */
    for (int i = 0; i < n && k < BACKFILLED; i++)
        if (strstr(all[i].title, "(word)") || strstr(all[i].title, "(#tag)") ||
            strstr(all[i].title, "phrase"))
            ids[k++] = all[i].id;
    arena_free(s->base.a);
    int alerts = 0, written = 0;
    for (int i = 0; i < k && !rc; i++) {
        app_ctx c = s->base;
        c.own_txn = true;
        int matched = 0, fired = 0;
        rc = listen_backfill(&c, ids[i], BACKFILL_DAYS, &matched, &fired);
        alerts += fired;
        arena_free(s->base.a);
        if (rc || fired) continue;
        /* bench-data's posts come evenly, without an outcry, so the spike state rarely fires:
         * a watch that learnt without one gets ALERTS_WRITTEN alerts written directly (the
         * rows the census reads; no notification, no channel post) */
        pl_watch w;
        if ((rc = store_watch_get(s->d, ids[i], s->base.a, &w))) break;
        for (int j = 0; j < ALERTS_WRITTEN && !rc; j++) {
            int64_t at = time_now_ms() - (int64_t)(2 + 3 * j) * DAY - 7 * HOUR;
            pl_watch_alert al = {.id = id_next(s->base.ids, time_now_ms()),
                                 .watch_id = w.id,
                                 .account_id = w.account_id,
                                 .bucket = listen_bucket_of(at),
                                 .at = at,
                                 .count = 14 + j,
                                 .expected_milli = 3000,
                                 .spread_milli = 1500,
                                 .ratio_milli = 4667 + 333 * j,
                                 .level_milli = 9000,
                                 .today_milli = 5000,
                                 .base_hour = 14,
                                 .base_samples = 14,
                                 .base_median_milli = 3000,
                                 .base_mad_milli = 1000};
            rc = store_watch_alert_insert(s->d, &al);
            written += !rc;
        }
        arena_free(s->base.a);
    }
    if (!rc)
        SAY("bench-data: %.1f s: %d watches learnt from their last %d days: %d alerts fired, "
            "%d written\n",
            elapsed_s(s), k, BACKFILL_DAYS, alerts, written);
    return rc;
}

int cli_bench_service(const pl_config *cfg, id_gen *ids, int users, int posts, int watch_days)
{
    service s = {.cfg = cfg,
                 .r = {0x7365727669636521ull},
                 .t0_ns = time_mono_ns(),
                 .n_users = (uint32_t)users};
    arena a = ARENA_INIT;
    if (users < 3 || cli_open(cfg, ids, &s.d, &s.base, &a)) return 1;
    s.base.own_txn = false; /* the steps' transactions are ours */
    int64_t first_watch = 0;
    int rc = make_team(&s);
    if (!rc) SAY("bench-data: %.1f s: a service team of %u\n", elapsed_s(&s), s.n_team);
    if (!rc) rc = make_tickets(&s, (uint32_t)posts);
    int64_t made_at = watch_days > 0 ? time_now_ms() - watch_days * DAY : time_now_ms();
    if (!rc && watch_days > 0) rc = start_matcher_at(&s, made_at);
    if (!rc) rc = make_watches(&s, made_at, &first_watch);
    if (!rc) rc = run_matcher(&s);
    if (!rc) rc = backfill_some(&s);
    if (rc)
        fprintf(stderr, "bench-data: the service and listening part failed: %s\n",
                s.base.errmsg ? s.base.errmsg : pl_strerror(rc));
    else
        SAY("bench-data: tickets and listening done in %.1f s\n", elapsed_s(&s));
    db_close(s.d);
    arena_free(&a);
    free(s.team);
    free(s.team_name);
    free(s.t);
    free(s.ev);
    return rc ? 1 : 0;
}
