/*
 * test_announcements.c — unit tests for src/store/announcements.c on SQLite and PostgreSQL
 * (PARTYLINE_TEST_DATABASE): the running window, dismissals, reactions and the numbers of
 * their emoji, the live events each write records, and what deleting takes with it. Each test
 * runs inside a transaction its teardown rolls back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/announcements.h"
#include "store/migrate.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

#define T0 1795687315123LL
#define HOUR 3600000LL
enum { ALICE = 1, BOB = 2 };

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-ann-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "test.db", g.d);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    db_events_clear(g.d);
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* An announcement posted at T0 that runs from `starts` (0: at once) until `ends` (0: ever). */
static void insert(int64_t id, int64_t starts, int64_t ends)
{
    pl_announcement an = {.id = id,
                          .text = "hello",
                          .starts_at = starts,
                          .ends_at = ends,
                          .published_at = starts > T0 ? starts : T0,
                          .created_at = T0,
                          .updated_at = T0};
    assert_int_equal(store_announcement_insert(g.d, &an), PL_OK);
}

/* The events recorded so far of one kind: how many, and the last one's account_id (for a
 * reaction: the emoji's number). */
static int events_of(int kind, int64_t *last)
{
    int n, found = 0;
    const pl_event *ev = db_events(g.d, &n);
    for (int i = 0; i < n; i++)
        if (ev[i].kind == kind) {
            found++;
            if (last) *last = ev[i].account_id;
        }
    return found;
}

static void test_only_started_and_unended_announcements_run(void **state)
{
    (void)state;
    insert(10, 0, 0);                         /* running, no end */
    insert(11, T0 + HOUR, T0 + 2 * HOUR);     /* scheduled */
    insert(12, 0, T0 + HOUR);                 /* running until T0 + 1h */
    insert(13, T0 - 2 * HOUR, T0 + 3 * HOUR); /* started before it was posted: first */
    pl_announcement *v;
    int n;
    assert_int_equal(store_announcements_running(g.d, T0, 0, &A, &v, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].id, 13);
    assert_int_equal(v[1].id, 10);
    assert_int_equal(v[2].id, 12);
    assert_int_equal(v[0].starts_at, T0 - 2 * HOUR);
    assert_int_equal(v[1].starts_at, 0);
    assert_int_equal(v[2].ends_at, T0 + HOUR);
    /* an hour and a half later the scheduled one runs and the short one has ended */
    assert_int_equal(store_announcements_running(g.d, T0 + HOUR + HOUR / 2, 0, &A, &v, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].id, 13);
    assert_int_equal(v[1].id, 10);
    assert_int_equal(v[2].id, 11);
    int64_t unended;
    assert_int_equal(store_announcements_unended(g.d, T0 + HOUR, &unended), PL_OK);
    assert_int_equal(unended, 3); /* 12 ended exactly then */
    /* only those that start at once are announced live */
    assert_int_equal(events_of(EV_ANNOUNCEMENT, NULL), 3);
}

static void test_a_dismissal_hides_it_from_that_account_only(void **state)
{
    (void)state;
    insert(20, 0, 0);
    assert_int_equal(store_announcement_dismiss(g.d, 20, ALICE, T0), PL_OK);
    assert_int_equal(store_announcement_dismiss(g.d, 20, ALICE, T0 + 1), PL_OK); /* again */
    assert_true(store_announcement_dismissed(g.d, 20, ALICE));
    assert_false(store_announcement_dismissed(g.d, 20, BOB));
    pl_announcement *v;
    int n;
    assert_int_equal(store_announcements_running(g.d, T0, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_announcements_running(g.d, T0, BOB, &A, &v, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_each_emoji_keeps_its_number_and_events_carry_it(void **state)
{
    (void)state;
    insert(30, 0, 0);
    db_events_clear(g.d);
    int64_t slot = 0;
    assert_int_equal(store_announcement_react(g.d, 30, ALICE, "👍", T0), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, &slot), 1);
    assert_int_equal(slot, 1);
    assert_int_equal(store_announcement_react(g.d, 30, ALICE, "👍", T0), PL_OK); /* no change */
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, NULL), 1);
    assert_int_equal(store_announcement_react(g.d, 30, ALICE, "🎉", T0 + 1), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, &slot), 2); /* another emoji: its own */
    assert_int_equal(slot, 2);
    assert_int_equal(store_announcement_unreact(g.d, 30, ALICE, "🎉"), PL_OK);
    assert_int_equal(store_announcement_react(g.d, 30, BOB, "🎉", T0 + 1), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, NULL), 2); /* the same emoji: one */
    /* the last 👍 goes and comes back: the same number, and the count is read at the time */
    const char *name;
    int64_t count;
    db_events_clear(g.d); /* a new transaction */
    assert_int_equal(store_announcement_unreact(g.d, 30, ALICE, "👍"), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, &slot), 1);
    assert_int_equal(slot, 1);
    assert_int_equal(store_announcement_emoji(g.d, 30, 1, &A, &name, &count), PL_OK);
    assert_string_equal(name, "👍");
    assert_int_equal(count, 0);
    assert_int_equal(store_announcement_unreact(g.d, 30, ALICE, "👍"), PL_ENOTFOUND);
    assert_int_equal(store_announcement_react(g.d, 30, BOB, "👍", T0 + 2), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_REACTION, &slot), 1); /* still the one for 👍 */
    assert_int_equal(slot, 1);
    assert_int_equal(store_announcement_emoji(g.d, 30, 2, &A, &name, &count), PL_OK);
    assert_string_equal(name, "🎉");
    assert_int_equal(count, 1);
    assert_int_equal(store_announcement_emoji(g.d, 30, 3, &A, &name, &count), PL_ENOTFOUND);
    /* the reactions in the order their emoji were first used, `me` for the viewer */
    pl_reaction *rs;
    int n;
    assert_int_equal(store_announcement_reactions(g.d, 30, BOB, &A, &rs, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rs[0].name, "🎉");
    assert_true(rs[0].me);
    assert_string_equal(rs[1].name, "👍");
    assert_int_equal(rs[1].count, 1);
    int64_t others;
    assert_int_equal(store_announcement_other_names(g.d, 30, "👍", &others), PL_OK);
    assert_int_equal(others, 1);
}

static void test_deleting_takes_its_reactions_dismissals_and_emoji(void **state)
{
    (void)state;
    insert(40, 0, 0);
    insert(41, 0, 0);
    assert_int_equal(store_announcement_react(g.d, 40, ALICE, "👍", T0), PL_OK);
    assert_int_equal(store_announcement_react(g.d, 41, ALICE, "👍", T0), PL_OK);
    assert_int_equal(store_announcement_dismiss(g.d, 40, ALICE, T0), PL_OK);
    db_events_clear(g.d);
    assert_int_equal(store_announcement_delete(g.d, 40), PL_OK);
    assert_int_equal(events_of(EV_ANNOUNCEMENT_DELETE, NULL), 1);
    assert_int_equal(store_announcement_delete(g.d, 40), PL_ENOTFOUND);
    pl_announcement an;
    assert_int_equal(store_announcement_get(g.d, 40, &A, &an), PL_ENOTFOUND);
    assert_false(store_announcement_dismissed(g.d, 40, ALICE));
    const char *name;
    int64_t count;
    assert_int_equal(store_announcement_emoji(g.d, 40, 1, &A, &name, &count), PL_ENOTFOUND);
    pl_reaction *rs;
    int n;
    assert_int_equal(store_announcement_reactions(g.d, 40, ALICE, &A, &rs, &n), PL_OK);
    assert_int_equal(n, 0);
    /* the other one keeps its own */
    assert_int_equal(store_announcement_reactions(g.d, 41, ALICE, &A, &rs, &n), PL_OK);
    assert_int_equal(n, 1);
    pl_announcement *all;
    assert_int_equal(store_announcements_all(g.d, 10, &A, &all, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(all[0].id, 41);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_only_started_and_unended_announcements_run),
        T(test_a_dismissal_hides_it_from_that_account_only),
        T(test_each_emoji_keeps_its_number_and_events_carry_it),
        T(test_deleting_takes_its_reactions_dismissals_and_emoji),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
