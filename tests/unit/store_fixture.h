/*
 * store_fixture.h — what the store unit tests (test_store*.c) share: one temporary database
 * per file, created and migrated once (SQLite, or PostgreSQL when PARTYLINE_TEST_DATABASE names
 * a server: test_db.h); each test runs in a transaction its teardown rolls back, so tests never
 * see each other's rows and may reuse small, readable ids (accounts 1..9, statuses 100+); and
 * the helpers that make people, posts and follows and check lists of ids.
 *
 * Included once, by the test file itself: every name here is static to that file.
 */
#ifndef PL_TESTS_STORE_FIXTURE_H
#define PL_TESTS_STORE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/accounts.h"
#include "store/auth.h"
#include "store/channels.h"
#include "store/engage.h"
#include "store/graph.h"
#include "store/lists.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "store/notify.h"
#include "store/polls.h"
#include "store/posts.h"
#include "store/query.h"
#include "store/timeline.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

#ifndef STORE_FIXTURE_DIR
#define STORE_FIXTURE_DIR "/tmp/pl-store-XXXXXX"
#endif

/* ------------------------------------------------------------------------------------------ */
/* Fixture                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static struct {
    char dir[64];
    char path[512]; /* what db_open takes: a file path or a postgres:// URL */
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, ERIN = 5 };
#define T0 1795687315123LL

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated(STORE_FIXTURE_DIR, "test.db", g.dir, sizeof g.dir, g.path,
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
    db_events_clear(g.d); /* each test sees the events it caused */
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static __attribute__((unused)) pl_account account(int64_t id, const char *username,
                                                  const char *email)
{
    return (pl_account){.id = id,
                        .username = username,
                        .email = email,
                        .display_name = username,
                        .password_hash = "hash",
                        .is_discoverable = true,
                        .is_approved = true,
                        .created_at = T0};
}

static __attribute__((unused)) void add_account(int64_t id, const char *username)
{
    char *email = arena_printf(&A, "%s@example.com", username);
    pl_account a = account(id, username, email);
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

/* The five people most tests use. */
static __attribute__((unused)) void add_people(void)
{
    add_account(ALICE, "alice");
    add_account(BOB, "bob");
    add_account(CAROL, "carol");
    add_account(DAVE, "dave");
    add_account(ERIN, "erin");
}

static __attribute__((unused)) pl_status status(int64_t id, int64_t author, int visibility)
{
    return (pl_status){.id = id,
                       .account_id = author,
                       .visibility = visibility,
                       .text = "hello",
                       .content = "<p>hello</p>",
                       .created_at = T0 + id};
}

static __attribute__((unused)) void add_status(int64_t id, int64_t author, int visibility)
{
    pl_status s = status(id, author, visibility);
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static __attribute__((unused)) void add_reply(int64_t id, int64_t author, int64_t parent,
                                              int64_t parent_author)
{
    pl_status s = status(id, author, VIS_PUBLIC);
    s.in_reply_to_id = parent;
    s.in_reply_to_account_id = parent_author;
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static __attribute__((unused)) void add_reblog(int64_t id, int64_t who, int64_t of)
{
    pl_status s = status(id, who, VIS_PUBLIC);
    s.reblog_of_id = of;
    s.text = s.content = "";
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static __attribute__((unused)) void follow(int64_t follow_id, int64_t who, int64_t whom)
{
    assert_int_equal(store_follow_insert(g.d, follow_id, who, whom, true, false, T0), PL_OK);
}

/* Runs "SELECT count(*) … WHERE x = ?" (a string literal, cached by address). */
static __attribute__((unused)) int64_t count_where(const char *sql, int64_t v)
{
    db_stmt *s = db_prepare(g.d, sql);
    assert_non_null(s);
    db_bind_i64(s, 1, v);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

static __attribute__((unused)) pl_page page(int64_t max_id, int64_t since_id, int64_t min_id,
                                            int limit)
{
    return (pl_page){.max_id = max_id, .since_id = since_id, .min_id = min_id, .limit = limit};
}

/* Asserts a list holds exactly the given ids, in order. */
#define assert_ids(list, ...)                                                                      \
    do {                                                                                           \
        const int64_t want_[] = {__VA_ARGS__, 0};                                                  \
        check_ids((list)->ids, (list)->n, want_);                                                  \
    } while (0)

static __attribute__((unused)) void check_ids(const int64_t *got, int n, const int64_t *want)
{
    int nw = 0;
    while (want[nw]) nw++;
    bool same = n == nw;
    for (int i = 0; same && i < n; i++) same = got[i] == want[i];
    if (same) return;
    char msg[512];
    int k = snprintf(msg, sizeof msg, "got [");
    for (int i = 0; i < n && k < 400; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)got[i]);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "] want [");
    for (int i = 0; i < nw && k < 480; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)want[i]);
    snprintf(msg + k, sizeof msg - (size_t)k, "]");
    fail_msg("%s", msg);
}

static __attribute__((unused)) void assert_empty(const pl_idlist *l)
{
    if (l->n)
        fail_msg("expected an empty list, got %d ids (first %lld)", l->n, (long long)l->ids[0]);
}

static __attribute__((unused)) pl_idlist home(int64_t owner)
{
    pl_idlist l;
    pl_page p = page(0, 0, 0, 100);
    assert_int_equal(store_timeline_page(g.d, owner, &p, &A, &l), PL_OK);
    return l;
}

static __attribute__((unused)) bool in_home(int64_t owner, int64_t status_id)
{
    pl_idlist l = home(owner);
    for (int i = 0; i < l.n; i++)
        if (l.ids[i] == status_id) return true;
    return false;
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

#endif
