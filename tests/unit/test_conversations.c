/*
 * test_conversations.c — unit tests for src/store/conversations.c (direct conversations) and
 * store_notifications_after, over a real database: SQLite by default, PostgreSQL when
 * PARTYLINE_TEST_DATABASE names a server (test_db.h; `make test-unit-pg`).
 *
 * One database for the file; each test runs in a transaction its teardown rolls back. The
 * store keeps no foreign keys, so rows name accounts (1..5) and statuses (100+) that need not
 * exist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/conversations.h"
#include "store/migrate.h"
#include "store/notify.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3 };
enum { THREAD = 100 };

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-conv-XXXXXX", "conv.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "conv.db", g.d);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* Adds status to owner's row of THREAD with the given other participants (a new row gets
 * row_id), setting the unread flag. */
static void add(int64_t row_id, int64_t owner, int64_t status, bool unread, int n, ...)
{
    int64_t others[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) others[i] = va_arg(ap, int64_t);
    va_end(ap);
    assert_int_equal(
        store_conversation_add_status(g.d, row_id, owner, THREAD, others, n, status, unread, true),
        PL_OK);
}

static pl_conversation get(int64_t owner, int64_t id)
{
    pl_conversation c;
    assert_int_equal(store_conversation_get(g.d, owner, id, &A, &c), PL_OK);
    return c;
}

static int64_t count_rows(const char *sql)
{
    db_stmt *s = db_prepare(g.d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

static void test_a_row_per_owner_and_participant_set_whatever_their_order(void **state)
{
    (void)state;
    add(1, ALICE, 200, false, 2, (int64_t)CAROL, (int64_t)BOB);
    add(2, BOB, 200, true, 2, (int64_t)ALICE, (int64_t)CAROL);
    add(3, ALICE, 201, true, 2, (int64_t)BOB, (int64_t)CAROL); /* same set: row 1, id 3 unused */
    add(4, ALICE, 202, true, 1, (int64_t)BOB);                 /* a smaller set: a row of its own */

    pl_conversation c = get(ALICE, 1);
    assert_int_equal(c.account_id, ALICE);
    assert_int_equal(c.conversation_id, THREAD);
    assert_int_equal(c.n_participants, 2);
    assert_int_equal(c.participant_ids[0], BOB);
    assert_int_equal(c.participant_ids[1], CAROL);
    assert_int_equal(c.last_status_id, 201);
    assert_true(c.unread);
    assert_int_equal(store_conversation_get(g.d, ALICE, 3, &A, &c), PL_ENOTFOUND);
    c = get(ALICE, 4);
    assert_int_equal(c.n_participants, 1);
    assert_int_equal(c.last_status_id, 202);
    assert_int_equal(get(BOB, 2).last_status_id, 200);

    pl_conversation *rows;
    int n;
    assert_int_equal(store_conversations_with_status(g.d, 200, &A, &rows, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].account_id + rows[1].account_id, ALICE + BOB);
}

static void
test_an_older_status_keeps_the_last_one_and_set_unread_false_keeps_the_flag(void **state)
{
    (void)state;
    add(1, ALICE, 205, false, 1, (int64_t)BOB);
    add(9, ALICE, 203, true, 1, (int64_t)BOB); /* older: the last stays 205 */
    pl_conversation c = get(ALICE, 1);
    assert_int_equal(c.last_status_id, 205);
    assert_true(c.unread);
    int64_t bob = BOB;
    assert_int_equal(
        store_conversation_add_status(g.d, 9, ALICE, THREAD, &bob, 1, 206, false, false), PL_OK);
    c = get(ALICE, 1);
    assert_int_equal(c.last_status_id, 206);
    assert_true(c.unread); /* kept */
    int64_t *ids;
    int n;
    assert_int_equal(store_conversation_statuses(g.d, 1, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 206);
    assert_int_equal(ids[1], 205);
    assert_int_equal(ids[2], 203);
    assert_int_equal(store_conversation_statuses(g.d, 1, 1, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_writing_to_oneself_is_a_row_with_no_other_participants(void **state)
{
    (void)state;
    add(1, ALICE, 200, false, 0);
    pl_conversation c = get(ALICE, 1);
    assert_int_equal(c.n_participants, 0);
    assert_int_equal(c.last_status_id, 200);
}

static void test_removing_a_status_moves_the_last_back_and_drops_emptied_rows(void **state)
{
    (void)state;
    assert_int_equal(store_status_conversation_set(g.d, 201, THREAD), PL_OK);
    add(1, ALICE, 200, false, 1, (int64_t)BOB);
    add(1, ALICE, 201, false, 1, (int64_t)BOB);
    add(2, BOB, 201, true, 1, (int64_t)ALICE); /* Bob was sent only the second */
    assert_int_equal(store_conversations_remove_status(g.d, 201), PL_OK);
    assert_int_equal(get(ALICE, 1).last_status_id, 200);
    pl_conversation c;
    assert_int_equal(store_conversation_get(g.d, BOB, 2, &A, &c), PL_ENOTFOUND);
    assert_int_equal(count_rows("SELECT count(*) FROM conversation_statuses WHERE status_id = 201"),
                     0);
    int64_t conv;
    assert_int_equal(store_status_conversation_get(g.d, 201, &conv), PL_ENOTFOUND);
}

static void test_thread_of_a_status_is_set_once_and_read_back(void **state)
{
    (void)state;
    int64_t conv = 0;
    assert_int_equal(store_status_conversation_get(g.d, 300, &conv), PL_ENOTFOUND);
    assert_int_equal(store_status_conversation_set(g.d, 300, 299), PL_OK);
    assert_int_equal(store_status_conversation_get(g.d, 300, &conv), PL_OK);
    assert_int_equal(conv, 299);
    assert_int_equal(store_status_conversation_set(g.d, 300, 298), PL_OK); /* replaces */
    assert_int_equal(store_status_conversation_get(g.d, 300, &conv), PL_OK);
    assert_int_equal(conv, 298);
}

static void test_read_and_delete_touch_only_the_owners_row(void **state)
{
    (void)state;
    add(1, ALICE, 200, true, 1, (int64_t)BOB);
    add(2, BOB, 200, true, 1, (int64_t)ALICE);
    assert_int_equal(store_conversation_mark_read(g.d, BOB, 1), PL_ENOTFOUND);
    assert_int_equal(store_conversation_delete(g.d, BOB, 1), PL_ENOTFOUND);
    assert_true(get(ALICE, 1).unread);
    assert_int_equal(store_conversation_mark_read(g.d, ALICE, 1), PL_OK);
    assert_false(get(ALICE, 1).unread);
    assert_int_equal(store_conversation_delete(g.d, ALICE, 1), PL_OK);
    pl_conversation c;
    assert_int_equal(store_conversation_get(g.d, ALICE, 1, &A, &c), PL_ENOTFOUND);
    assert_int_equal(store_conversation_delete(g.d, ALICE, 1), PL_ENOTFOUND);
    assert_true(get(BOB, 2).unread); /* the other side is untouched */
    assert_int_equal(count_rows("SELECT count(*) FROM conversation_statuses WHERE "
                                "account_conversation_id = 1"),
                     0);
}

static void test_pages_go_by_last_status_newest_first(void **state)
{
    (void)state;
    /* five rows of Alice's with last statuses 201..205, in separate threads */
    for (int i = 1; i <= 5; i++) {
        int64_t other = 10 + i;
        assert_int_equal(store_conversation_add_status(g.d, i, ALICE, THREAD + i, &other, 1,
                                                       200 + i, false, true),
                         PL_OK);
    }
    add(9, BOB, 210, true, 1, (int64_t)ALICE); /* someone else's: never in Alice's pages */
    pl_conversation *v;
    int n;
    pl_page p = {.limit = 2};
    assert_int_equal(store_conversations_page(g.d, ALICE, &p, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].last_status_id, 205);
    assert_int_equal(v[1].last_status_id, 204);
    p = (pl_page){.max_id = 204, .limit = 10};
    assert_int_equal(store_conversations_page(g.d, ALICE, &p, &A, &v, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].last_status_id, 203);
    assert_int_equal(v[2].last_status_id, 201);
    p = (pl_page){.min_id = 202, .limit = 2};
    assert_int_equal(store_conversations_page(g.d, ALICE, &p, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].last_status_id, 204); /* just above min_id, newest first */
    assert_int_equal(v[1].last_status_id, 203);
    p = (pl_page){.since_id = 202, .limit = 2};
    assert_int_equal(store_conversations_page(g.d, ALICE, &p, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].last_status_id, 205);
    assert_int_equal(v[1].last_status_id, 204);
}

static void test_unread_rows_are_counted_up_to_the_cap(void **state)
{
    (void)state;
    for (int i = 1; i <= 4; i++) {
        int64_t other = 10 + i;
        assert_int_equal(store_conversation_add_status(g.d, i, ALICE, THREAD + i, &other, 1,
                                                       200 + i, i != 4, true),
                         PL_OK);
    }
    int64_t n = -1;
    assert_int_equal(store_conversations_unread_count(g.d, ALICE, 100, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_conversations_unread_count(g.d, ALICE, 2, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_conversations_unread_count(g.d, BOB, 100, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_notifications_after_an_id_come_oldest_first_with_their_status(void **state)
{
    (void)state;
    const pl_notification rows[] = {
        {.id = 10,
         .account_id = ALICE,
         .from_account_id = BOB,
         .type = "mention",
         .status_id = 500},
        {.id = 11, .account_id = ALICE, .from_account_id = BOB, .type = "follow"},
        {.id = 12,
         .account_id = ALICE,
         .from_account_id = CAROL,
         .type = "favourite",
         .status_id = 501},
        {.id = 13, .account_id = BOB, .from_account_id = ALICE, .type = "follow"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(store_notification_insert(g.d, &rows[i]), PL_OK);
    int64_t *st;
    int n;
    assert_int_equal(store_notifications_after(g.d, ALICE, 10, 100, &A, &st, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(st[0], 0); /* the follow has no status */
    assert_int_equal(st[1], 501);
    assert_int_equal(store_notifications_after(g.d, ALICE, 0, 2, &A, &st, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(st[0], 500);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_row_per_owner_and_participant_set_whatever_their_order),
        T(test_an_older_status_keeps_the_last_one_and_set_unread_false_keeps_the_flag),
        T(test_writing_to_oneself_is_a_row_with_no_other_participants),
        T(test_removing_a_status_moves_the_last_back_and_drops_emptied_rows),
        T(test_thread_of_a_status_is_set_once_and_read_back),
        T(test_read_and_delete_touch_only_the_owners_row),
        T(test_pages_go_by_last_status_newest_first),
        T(test_unread_rows_are_counted_up_to_the_cap),
        T(test_notifications_after_an_id_come_oldest_first_with_their_status),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
