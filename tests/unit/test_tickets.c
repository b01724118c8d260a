/*
 * test_tickets.c — unit tests for src/app/tickets.c: the state table (pure), then the ticket's
 * two audiences over a temporary database with five people: a requester, a team member, an
 * administrator (on the team by default), someone mentioned and a stranger. The random-world
 * property test of every read path is test_audience.c's, which makes tickets too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/audience.h"
#include "app/posts.h"
#include "app/tickets.h"
#include "store/accounts.h"
#include "store/posts.h"
#include "store/tickets.h"

enum { REQUESTER, AGENT, ADMIN, MENTIONED, STRANGER, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"rita", "alan", "ada", "dave", "sam"};
static int64_t id_of[N_PEOPLE];

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
    if (store_account_set_role(F.d, id_of[ADMIN], PL_ROLE_ADMIN)) return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static bool sees(int who, int64_t status_id)
{
    pl_status s;
    assert_int_equal(store_status_get(F.d, status_id, &F.a, &s), PL_OK);
    return audience_can_see(req(), id_of[who], &s);
}

static int64_t reply(int who, int64_t parent, int visibility, const char *text, int *rc)
{
    int64_t id = 0;
    *rc = posts_create(
        req(), id_of[who],
        &(posts_new){
            .text = text, .visibility = visibility, .sensitive = -1, .in_reply_to_id = parent},
        &id);
    return id;
}

/* ---------------------------------------------------------------- the state table */

static void test_the_state_table_allows_exactly_its_moves(void **state)
{
    (void)state;
    /* written from the issue: new → in progress → on hold → resolved → closed, and reopen */
    static const char *const allowed[] = {
        "new>in_progress",    "new>on_hold",          "new>resolved",
        "new>closed",         "in_progress>on_hold",  "in_progress>resolved",
        "in_progress>closed", "on_hold>in_progress",  "on_hold>resolved",
        "on_hold>closed",     "resolved>in_progress", "resolved>closed",
        "closed>in_progress",
    };
    int n_allowed = 0;
    for (int from = 0; from < TICKET_STATES; from++)
        for (int to = 0; to < TICKET_STATES; to++) {
            char move[64];
            snprintf(move, sizeof move, "%s>%s", tickets_state_name(from), tickets_state_name(to));
            bool want = false;
            for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
                want |= !strcmp(allowed[i], move);
            if (tickets_may_move(from, to) != want)
                fail_msg("%s: got %d, want %d", move, tickets_may_move(from, to), want);
            n_allowed += want;
        }
    assert_int_equal(n_allowed, (int)(sizeof allowed / sizeof *allowed));
    /* staying put and states that do not exist are no moves */
    assert_false(tickets_may_move(TICKET_NEW, TICKET_NEW));
    assert_false(tickets_may_move(-1, TICKET_NEW));
    assert_false(tickets_may_move(TICKET_NEW, TICKET_STATES));
}

static void test_names_go_both_ways_and_unknown_ones_are_refused(void **state)
{
    (void)state;
    for (int i = 0; i < TICKET_STATES; i++)
        assert_int_equal(tickets_state_parse(tickets_state_name(i)), i);
    for (int i = 0; i < TICKET_PRIORITIES; i++)
        assert_int_equal(tickets_priority_parse(tickets_priority_name(i)), i);
    assert_int_equal(tickets_state_parse("open"), -1);
    assert_int_equal(tickets_state_parse(NULL), -1);
    assert_int_equal(tickets_priority_parse("URGENT"), -1);
}

/* ---------------------------------------------------------------- the audiences */

static void
test_a_form_ticket_is_its_requesters_and_the_teams_and_a_mention_opens_nothing(void **state)
{
    (void)state;
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, "network"));
    pl_ticket t;
    ok(tickets_open_form(req(), id_of[REQUESTER], "VPN", "drops hourly, @dave knows", 0, &t));
    const bool want[N_PEOPLE] = {[REQUESTER] = 1, [AGENT] = 1, [ADMIN] = 1};
    for (int p = 0; p < N_PEOPLE; p++)
        if (sees(p, t.root_status_id) != want[p])
            fail_msg("%s and the ticket's root: got %d", names[p], !want[p]);
    assert_false(audience_can_see(req(), 0, app_status(req(), t.root_status_id)));
    /* a reply sent as "private" (what Mastodon apps answer) stays in the ticket */
    int rc;
    int64_t r = reply(REQUESTER, t.root_status_id, VIS_PRIVATE, "still broken", &rc);
    ok(rc);
    pl_status s;
    ok(store_status_get(F.d, r, &F.a, &s));
    assert_int_equal(s.visibility, VIS_TICKET);
    assert_false(sees(STRANGER, r));
    assert_true(sees(ADMIN, r));
}

static void test_a_note_is_the_teams_alone_and_only_the_team_writes_one(void **state)
{
    (void)state;
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, NULL));
    pl_ticket t;
    ok(tickets_open_form(req(), id_of[REQUESTER], "Printer", "jammed", 0, &t));
    int rc;
    int64_t note = reply(AGENT, t.root_status_id, VIS_INTERNAL, "the old driver, @rita", &rc);
    ok(rc);
    assert_true(sees(ADMIN, note));
    assert_false(sees(REQUESTER, note)); /* even mentioned */
    assert_false(sees(STRANGER, note));
    int64_t under = reply(AGENT, note, VIS_PUBLIC, "confirmed", &rc);
    ok(rc);
    pl_status s;
    ok(store_status_get(F.d, under, &F.a, &s));
    assert_int_equal(s.visibility, VIS_INTERNAL); /* a reply to a note stays a note */
    reply(REQUESTER, t.root_status_id, VIS_INTERNAL, "me too", &rc);
    assert_int_equal(rc, PL_EFORBIDDEN);
    /* a ticket or internal post outside a ticket's thread is refused */
    int64_t id;
    assert_int_equal(
        posts_create(req(), id_of[AGENT],
                     &(posts_new){.text = "x", .visibility = VIS_INTERNAL, .sensitive = -1}, &id),
        PL_EINVAL);
    /* taken off the team, the agent reads no note but their own */
    ok(tickets_set_service(req(), 0, id_of[AGENT], false, NULL));
    assert_true(sees(AGENT, note));
    assert_true(sees(AGENT, under));
    assert_false(sees(AGENT, t.root_status_id));
}

static void test_administrators_are_on_the_team_until_taken_off(void **state)
{
    (void)state;
    assert_true(tickets_on_team(req(), id_of[ADMIN], NULL));
    assert_false(tickets_on_team(req(), id_of[STRANGER], NULL));
    ok(tickets_set_service(req(), 0, id_of[ADMIN], false, NULL));
    assert_false(tickets_on_team(req(), id_of[ADMIN], NULL));
    /* only an administrator sets it through the app */
    assert_int_equal(tickets_set_service(req(), id_of[STRANGER], id_of[STRANGER], true, NULL),
                     PL_EFORBIDDEN);
}

static void test_changes_follow_the_table_and_write_a_system_entry(void **state)
{
    (void)state;
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, NULL));
    pl_ticket t, now;
    ok(tickets_open_form(req(), id_of[REQUESTER], "Badge", "lost", 0, &t));
    tickets_change ch = {.state = TICKET_CLOSED, .priority = -1, .assignee_id = -1};
    assert_int_equal(tickets_change_apply(req(), id_of[REQUESTER], t.id, &ch, &now), PL_EFORBIDDEN);
    ok(tickets_change_apply(req(), id_of[AGENT], t.id, &ch, &now));
    assert_int_equal(now.state, TICKET_CLOSED);
    assert_true(now.resolved_at > 0);
    ch.state = TICKET_ON_HOLD;
    assert_int_equal(tickets_change_apply(req(), id_of[AGENT], t.id, &ch, &now), PL_EINVAL);
    int64_t *anc, *desc;
    int na, nd;
    ok(posts_context(req(), id_of[REQUESTER], t.root_status_id, &anc, &na, &desc, &nd));
    assert_int_equal(nd, 1);
    const pl_ticket_post *mark = tickets_post_mark(req(), desc[0]);
    assert_non_null(mark);
    assert_true(mark->is_system);
    assert_true(mark->ticket.id == t.id);
}

static void test_the_sla_tells_each_warning_and_breach_once(void **state)
{
    (void)state;
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, NULL));
    pl_ticket t[3];
    for (int i = 0; i < 3; i++)
        ok(tickets_open_form(req(), id_of[REQUESTER], "Slow", "disk", 0, &t[i]));
    int told;
    app_ctx *c = req();
    /* normal priority: a response in 8 hours (warned from 80%: 6.4 h), a resolution in 3 days */
    c->now = t[0].created_at + 7 * 3600000LL;
    ok(tickets_sla_check(c, &told));
    assert_int_equal(told, 3); /* each ticket's response warning */
    c = req();
    c->now = t[0].created_at + 7 * 3600000LL + 60000;
    ok(tickets_sla_check(c, &told));
    assert_int_equal(told, 0); /* once */
    c = req();
    c->now = t[0].created_at + 5 * 86400000LL;
    ok(tickets_sla_check(c, &told));
    assert_int_equal(told, 6); /* each one's response breach and resolution breach (its warning
                                  passed unsaid: it would come after the fact) */
    c = req();
    c->now = t[0].created_at + 6 * 86400000LL;
    ok(tickets_sla_check(c, &told));
    assert_int_equal(told, 0);

    /* each event told is a system entry of the thread, a note the team reads and the
     * requester does not, in the name of the one it was told to (no assignee: the team) */
    static const char *const want[] = {
        "SLA warning: the first response is due in 1 hour (its target: 8 hours).",
        "SLA breached: no first response within its target of 8 hours.",
        "SLA breached: not resolved within its target of 3 days."};
    for (int who = 0; who < 2; who++) {
        int64_t viewer = id_of[who ? REQUESTER : AGENT];
        int64_t *anc, *desc;
        int na, nd, seen = 0;
        ok(posts_context(req(), viewer, t[0].root_status_id, &anc, &na, &desc, &nd));
        for (int i = 0; i < nd; i++) {
            pl_status s;
            ok(posts_get(req(), viewer, desc[i], &s));
            if (strncmp(s.text, "SLA ", 4)) continue;
            assert_true(seen < 3);
            assert_string_equal(s.text, want[seen++]);
            assert_int_equal(s.visibility, VIS_INTERNAL);
            assert_true(s.account_id == id_of[AGENT]);
            const pl_ticket_post *mark = tickets_post_mark(req(), s.id);
            assert_non_null(mark);
            assert_true(mark->is_system);
        }
        assert_int_equal(seen, who ? 0 : 3);
    }
}

/* ---------------------------------------------------------------- the dashboard's figures */

/* The last bin whose lower edge is at or below ms (bin 0 for less). */
static int bin_of(const int64_t *lower, int nb, int64_t ms)
{
    int b = 0;
    while (b + 1 < nb && lower[b + 1] <= ms) b++;
    return b;
}

static void tally(pl_ticket_day *v, int *n, int64_t day, int kind, int bin)
{
    for (int i = 0; i < *n; i++)
        if (v[i].day == day && v[i].kind == kind && v[i].bin == bin) {
            v[i].count++;
            return;
        }
    v[(*n)++] = (pl_ticket_day){.day = day, .kind = kind, .bin = bin, .count = 1};
}

/* The figures kept per day are what recomputing them from every ticket's row gives. */
static void assert_days_are_the_tickets(const char *when)
{
    pl_ticket_times *t;
    int n, nb, nk;
    int64_t *lower;
    pl_ticket_day *kept;
    ok(store_tickets_opened_between(F.d, 0, INT64_MAX, &F.a, &t, &n));
    ok(store_ticket_bins(F.d, &F.a, &lower, &nb));
    ok(store_ticket_days(F.d, 0, INT64_MAX, &F.a, &kept, &nk));
    pl_ticket_day *want = arena_alloc(&F.a, sizeof *want * (size_t)(3 * n + 1));
    int nw = 0;
    for (int i = 0; i < n; i++) {
        int64_t day = t[i].created_at / TICKET_DAY_MS;
        tally(want, &nw, day, TICKET_DAY_OPENED, 0);
        if (t[i].first_response_at)
            tally(want, &nw, day, TICKET_DAY_RESPONSE,
                  bin_of(lower, nb, t[i].first_response_at - t[i].created_at));
        if (t[i].resolved_at)
            tally(want, &nw, day, TICKET_DAY_RESOLUTION,
                  bin_of(lower, nb, t[i].resolved_at - t[i].created_at));
    }
    if (nk != nw) fail_msg("%s: %d figures kept, %d from the tickets", when, nk, nw);
    for (int i = 0; i < nw; i++) {
        bool found = false;
        for (int j = 0; j < nk && !found; j++)
            found = kept[j].day == want[i].day && kept[j].kind == want[i].kind &&
                    kept[j].bin == want[i].bin && kept[j].count == want[i].count;
        if (!found)
            fail_msg("%s: day %lld kind %d bin %d should count %lld", when, (long long)want[i].day,
                     want[i].kind, want[i].bin, (long long)want[i].count);
    }
}

static void test_the_figures_per_day_follow_open_answer_resolve_reopen_resolve(void **state)
{
    (void)state;
    const int64_t day = 20426 * TICKET_DAY_MS, hour = 3600000, minute = 60000; /* 2025-12-04 */
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, NULL));
    /* the bins: under a minute, then 12.2 % wider each, the last past a year */
    int64_t *lower;
    int nb;
    ok(store_ticket_bins(F.d, &F.a, &lower, &nb));
    assert_int_equal(nb, 117);
    assert_true(lower[0] == 0 && lower[1] == minute && lower[nb - 1] > 365 * 24 * hour &&
                lower[nb - 2] < 365 * 24 * hour);
    pl_ticket t, u, now;
    F.now = day + 23 * hour; /* opened late in the day: the figures stay with that day */
    ok(tickets_open_form(req(), id_of[REQUESTER], "Printer", "jammed", 0, &t));
    assert_days_are_the_tickets("opened");
    F.now += 42 * minute;
    int rc;
    reply(AGENT, t.root_status_id, -1, "On my way", &rc);
    ok(rc);
    assert_days_are_the_tickets("answered");
    F.now += 2 * hour;
    tickets_change ch = {.state = TICKET_RESOLVED, .priority = -1, .assignee_id = -1};
    ok(tickets_change_apply(req(), id_of[AGENT], t.id, &ch, &now));
    assert_days_are_the_tickets("resolved");
    F.now += 5 * hour;
    ch.state = TICKET_IN_PROGRESS;
    ok(tickets_change_apply(req(), id_of[REQUESTER], t.id, &ch, &now)); /* still jammed */
    assert_true(now.resolved_at == 0);
    assert_days_are_the_tickets("reopened");
    F.now += 20 * hour;
    ch.state = TICKET_RESOLVED;
    ok(tickets_change_apply(req(), id_of[AGENT], t.id, &ch, &now));
    assert_days_are_the_tickets("resolved again");
    F.now += 2 * TICKET_DAY_MS;
    ch.state = TICKET_CLOSED;
    ok(tickets_change_apply(req(), id_of[AGENT], t.id, &ch, &now)); /* keeps its resolution */
    assert_days_are_the_tickets("closed");
    /* another, opened and closed at once the day after (its resolution under a minute) */
    F.now = day + TICKET_DAY_MS + hour;
    ok(tickets_open_form(req(), id_of[REQUESTER], "Badge", "lost", 0, &u));
    ch.state = TICKET_CLOSED;
    ok(tickets_change_apply(req(), id_of[AGENT], u.id, &ch, &now));
    assert_days_are_the_tickets("closed at once");
    /* the store keeps them whatever a writer moves: times moved earlier and later, taken back */
    pl_ticket w;
    ok(store_ticket_get(F.d, t.id, &F.a, &w));
    w.first_response_at -= 30 * minute;
    w.resolved_at += 3 * TICKET_DAY_MS;
    ok(store_ticket_update(F.d, &w));
    assert_days_are_the_tickets("times moved");
    w.first_response_at = 0;
    ok(store_ticket_update(F.d, &w));
    assert_days_are_the_tickets("first response taken back");
    w.first_response_at = w.created_at + 42 * minute;
    w.resolved_at -= 3 * TICKET_DAY_MS;
    ok(store_ticket_update(F.d, &w));
    assert_days_are_the_tickets("times put back");

    /* the dashboard two days on: both in this week's figures, the first's median where its
       times fall (within a bin: 12.2 %), the week before empty */
    F.now = day + 2 * TICKET_DAY_MS + 12 * hour;
    tickets_dashboard_view v;
    ok(tickets_dashboard(req(), id_of[AGENT], 7 * TICKET_DAY_MS, &v));
    assert_int_equal(v.current.opened, 2);
    assert_int_equal(v.current.answered, 1);
    assert_int_equal(v.current.resolved, 2);
    assert_true(v.current.from == day - 4 * TICKET_DAY_MS && v.current.to == F.now);
    int64_t exact = 42 * minute;
    assert_true(v.current.response_median_ms >= exact * 1000 / 1122 &&
                v.current.response_median_ms <= exact * 1122 / 1000);
    assert_true(v.current.response_p90_ms == v.current.response_median_ms);
    exact = 42 * minute + 27 * hour; /* nearest rank of two: the larger for p90 */
    assert_true(v.current.resolution_p90_ms >= exact * 1000 / 1122 &&
                v.current.resolution_p90_ms <= exact * 1122 / 1000);
    assert_true(v.current.resolution_median_ms < minute); /* the one closed at once */
    assert_int_equal(v.previous.opened, 0);
    assert_true(v.previous.to == v.current.from);
    /* a day's period is that day alone: today opened nothing */
    ok(tickets_dashboard(req(), id_of[AGENT], TICKET_DAY_MS, &v));
    assert_int_equal(v.current.opened, 0);
    assert_int_equal(v.previous.opened, 1); /* yesterday's */
}

/* The dashboard's open part — counts by state, priority and team, kept as tickets move
 * (migration 063), and the breaching count from the open tickets' times — is what every
 * ticket's row says, recomputed here from all of them at the dashboard's moment. */
static int64_t assert_open_part_is_the_tickets(const char *when)
{
    tickets_dashboard_view v;
    ok(tickets_dashboard(req(), id_of[AGENT], 7 * TICKET_DAY_MS, &v));
    pl_idlist l;
    tickets_filter all = {.state = -1, .priority = -1};
    ok(store_tickets_page(F.d, &all, &(pl_page){.limit = 100}, &F.a, &l));
    pl_ticket *t;
    int n;
    ok(store_tickets_by_ids(F.d, l.ids, l.n, &F.a, &t, &n));
    int64_t want_open = 0, got_open = 0, breaching = 0;
    for (int i = 0; i < n; i++) {
        if (t[i].state >= TICKET_RESOLVED) continue;
        want_open++;
        int64_t resolve = (int64_t)tickets_target_minutes(F.c.cfg, t[i].priority, true) * 60000,
                respond = (int64_t)tickets_target_minutes(F.c.cfg, t[i].priority, false) * 60000;
        breaching += t[i].created_at + resolve < F.now ||
                     (!t[i].first_response_at && t[i].created_at + respond < F.now);
        int64_t same = 0; /* this one's group, counted from the rows */
        for (int j = 0; j < n; j++)
            same += t[j].state == t[i].state && t[j].priority == t[i].priority &&
                    !strcmp(t[j].team ? t[j].team : "", t[i].team ? t[i].team : "");
        bool found = false;
        for (int k = 0; k < v.n_open && !found; k++)
            found = v.open[k].state == t[i].state && v.open[k].priority == t[i].priority &&
                    !strcmp(v.open[k].team ? v.open[k].team : "", t[i].team ? t[i].team : "") &&
                    v.open[k].count == same;
        if (!found) fail_msg("%s: ticket %d's group is not counted as its rows say", when, i);
    }
    for (int k = 0; k < v.n_open; k++) got_open += v.open[k].count;
    if (got_open != want_open)
        fail_msg("%s: %lld open counted, %lld open", when, (long long)got_open,
                 (long long)want_open);
    if (v.breaching != breaching)
        fail_msg("%s: %lld breaching counted, %lld by the rows", when, (long long)v.breaching,
                 (long long)breaching);
    return v.breaching;
}

static void test_the_open_part_follows_every_move(void **state)
{
    (void)state;
    const int64_t hour = 3600000;
    ok(tickets_set_service(req(), 0, id_of[AGENT], true, "it"));
    pl_ticket t[5], now;
    for (int i = 0; i < 5; i++) {
        F.now += 5 * hour;
        ok(tickets_open_form(req(), id_of[REQUESTER], "Slow", "disk", 0, &t[i]));
    }
    assert_open_part_is_the_tickets("opened");
    tickets_change ch = {.state = -1, .priority = 3, .assignee_id = -1}; /* urgent */
    ok(tickets_change_apply(req(), id_of[AGENT], t[0].id, &ch, &now));
    assert_open_part_is_the_tickets("made urgent");
    ch = (tickets_change){
        .state = TICKET_IN_PROGRESS, .priority = -1, .assignee_id = id_of[AGENT], .team = "it"};
    ok(tickets_change_apply(req(), id_of[AGENT], t[1].id, &ch, &now));
    assert_open_part_is_the_tickets("taken by the IT team");
    int rc;
    reply(AGENT, t[2].root_status_id, -1, "Looking", &rc); /* a first response */
    ok(rc);
    ch = (tickets_change){.state = TICKET_RESOLVED, .priority = -1, .assignee_id = -1};
    ok(tickets_change_apply(req(), id_of[AGENT], t[3].id, &ch, &now));
    assert_open_part_is_the_tickets("one answered, one resolved");
    ch.state = TICKET_IN_PROGRESS;
    ok(tickets_change_apply(req(), id_of[REQUESTER], t[3].id, &ch, &now)); /* reopened */
    assert_open_part_is_the_tickets("reopened");
    /* time passes: responses, then resolutions, fall due (normal: 8 hours, 3 days) */
    int64_t most = 0;
    for (int h = 0; h < 4 * 24; h += 6) {
        F.now += 6 * hour;
        int64_t b = assert_open_part_is_the_tickets("later");
        most = b > most ? b : most;
    }
    assert_int_equal(most, 5); /* four days on, every open one is past its resolution target */
    ch = (tickets_change){.state = TICKET_CLOSED, .priority = -1, .assignee_id = -1};
    for (int i = 0; i < 5; i++) ok(tickets_change_apply(req(), id_of[AGENT], t[i].id, &ch, &now));
    assert_open_part_is_the_tickets("all closed");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_state_table_allows_exactly_its_moves),
        cmocka_unit_test(test_names_go_both_ways_and_unknown_ones_are_refused),
        T(test_a_form_ticket_is_its_requesters_and_the_teams_and_a_mention_opens_nothing),
        T(test_a_note_is_the_teams_alone_and_only_the_team_writes_one),
        T(test_administrators_are_on_the_team_until_taken_off),
        T(test_changes_follow_the_table_and_write_a_system_entry),
        T(test_the_sla_tells_each_warning_and_breach_once),
        T(test_the_open_part_follows_every_move),
        T(test_the_figures_per_day_follow_open_answer_resolve_reopen_resolve),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
