/*
 * test_reports.c — unit tests for src/store/reports.c and the moderators' listing of people in
 * src/store/accounts.c (store_accounts_admin_page, store_account_delete_pending), on SQLite and
 * PostgreSQL (PARTYLINE_TEST_DATABASE): a report keeps the posts it names; the queue's filters
 * (open or resolved, by reporter, by target, not about someone) combine; the people's filters
 * combine, match any case, and read % and _ as characters; a rejected sign-up goes, an approved
 * account cannot. Each test runs inside a transaction its teardown rolls back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store/accounts.h"
#include "store/reports.h"
#include "test_db.h"
#include "util/err.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

#define T0 1795687315123LL
enum { ANN = 11, BOB = 12, CAT = 13, DAN = 14 };

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-rep-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
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
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

static void person(int64_t id, const char *name, const char *display, bool approved, int role)
{
    char email[64];
    snprintf(email, sizeof email, "%s@example.com", name);
    pl_account a = {.id = id,
                    .username = name,
                    .email = email,
                    .display_name = display,
                    .password_hash = "x",
                    .is_approved = approved,
                    .role = role,
                    .created_at = T0 + id};
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

static void report(int64_t id, int64_t by, int64_t target, bool resolved)
{
    int64_t statuses[] = {501, 502};
    pl_report r = {.id = id,
                   .account_id = by,
                   .target_account_id = target,
                   .category = "spam",
                   .comment = "look",
                   .rule_ids = "",
                   .action_taken_at = resolved ? T0 : 0,
                   .action_taken_by_account_id = resolved ? DAN : 0,
                   .created_at = T0,
                   .updated_at = T0,
                   .status_ids = statuses,
                   .n_statuses = 2};
    assert_int_equal(store_report_insert(g.d, &r), PL_OK);
}

static int reports_page(int resolved, int64_t by, int64_t target, int64_t *ids)
{
    pl_report_filter f = {.resolved = resolved, .account_id = by, .target_account_id = target};
    pl_page p = {.limit = 10};
    pl_idlist l;
    assert_int_equal(store_reports_page(g.d, &f, &p, &A, &l), PL_OK);
    for (int i = 0; i < l.n; i++) ids[i] = l.ids[i];
    return l.n;
}

static void test_a_report_keeps_its_posts_and_its_changes(void **state)
{
    (void)state;
    report(100, ANN, BOB, false);
    pl_report r;
    assert_int_equal(store_report_get(g.d, 100, &A, &r), PL_OK);
    assert_int_equal(r.n_statuses, 2);
    assert_int_equal(r.status_ids[0], 501);
    assert_int_equal(r.status_ids[1], 502);
    assert_string_equal(r.comment, "look");
    assert_int_equal(r.action_taken_at, 0);
    r.assigned_account_id = DAN;
    r.category = "violation";
    r.rule_ids = "1 2";
    assert_int_equal(store_report_update(g.d, &r), PL_OK);
    pl_report again;
    assert_int_equal(store_report_get(g.d, 100, &A, &again), PL_OK);
    assert_int_equal(again.assigned_account_id, DAN);
    assert_string_equal(again.category, "violation");
    assert_string_equal(again.rule_ids, "1 2");
    assert_int_equal(store_report_get(g.d, 999, &A, &again), PL_ENOTFOUND);
    r.id = 999;
    assert_int_equal(store_report_update(g.d, &r), PL_ENOTFOUND);
}

static void test_the_queue_filters_combine(void **state)
{
    (void)state;
    report(100, ANN, BOB, false);
    report(101, ANN, CAT, true);
    report(102, BOB, CAT, false);
    int64_t ids[10];
    assert_int_equal(reports_page(0, 0, 0, ids), 2); /* open ones, newest first */
    assert_int_equal(ids[0], 102);
    assert_int_equal(ids[1], 100);
    assert_int_equal(reports_page(1, 0, 0, ids), 1);
    assert_int_equal(ids[0], 101);
    assert_int_equal(reports_page(-1, ANN, 0, ids), 2);
    assert_int_equal(reports_page(0, 0, CAT, ids), 1);
    assert_int_equal(ids[0], 102);
    assert_int_equal(reports_page(0, ANN, CAT, ids), 0);
    /* a staff member's own view leaves out the reports about them */
    pl_report_filter f = {.resolved = -1, .not_about = CAT};
    pl_page p = {.limit = 10};
    pl_idlist l;
    assert_int_equal(store_reports_page(g.d, &f, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], 100);
}

static int people(const pl_account_filter *f, int64_t *ids)
{
    pl_page p = {.limit = 10};
    pl_idlist l;
    assert_int_equal(store_accounts_admin_page(g.d, f, &p, &A, &l), PL_OK);
    for (int i = 0; i < l.n; i++) ids[i] = l.ids[i];
    return l.n;
}

static void test_the_people_filters_match_any_case_and_read_wildcards_as_characters(void **state)
{
    (void)state;
    person(ANN, "ann_lee", "Ann Lee", true, PL_ROLE_MODERATOR);
    person(BOB, "annabel", "Bob 100%", true, PL_ROLE_USER);
    person(CAT, "cat", "Cat", false, PL_ROLE_USER);
    int64_t ids[10];
    assert_int_equal(people(&(pl_account_filter){.username = "ANN"}, ids), 2);
    assert_int_equal(ids[0], BOB);                                              /* newest first */
    assert_int_equal(people(&(pl_account_filter){.username = "ann_"}, ids), 1); /* _ is _ */
    assert_int_equal(ids[0], ANN);
    assert_int_equal(people(&(pl_account_filter){.display_name = "100%"}, ids), 1);
    assert_int_equal(ids[0], BOB);
    assert_int_equal(people(&(pl_account_filter){.display_name = "%"}, ids), 1); /* % is % */
    assert_int_equal(people(&(pl_account_filter){.email = "EXAMPLE"}, ids), 3);
    assert_int_equal(people(&(pl_account_filter){.staff = true}, ids), 1);
    assert_int_equal(ids[0], ANN);
    assert_int_equal(people(&(pl_account_filter){.pending = true}, ids), 1);
    assert_int_equal(ids[0], CAT);
    assert_int_equal(people(&(pl_account_filter){.active = true, .username = "a"}, ids), 2);
    assert_int_equal(store_account_set_disabled(g.d, BOB, true), PL_OK);
    assert_int_equal(people(&(pl_account_filter){.active = true, .username = "a"}, ids), 1);
    assert_int_equal(people(&(pl_account_filter){.disabled = true}, ids), 1);
    assert_int_equal(store_account_set_silenced(g.d, CAT, true), PL_OK);
    assert_int_equal(people(&(pl_account_filter){.silenced = true, .pending = true}, ids), 1);
    assert_int_equal(people(&(pl_account_filter){.suspended = true}, ids), 0);
}

static void test_a_role_keeps_is_admin_and_only_a_waiting_sign_up_is_rejected(void **state)
{
    (void)state;
    person(ANN, "ann", "Ann", true, PL_ROLE_USER);
    person(CAT, "cat", "Cat", false, PL_ROLE_USER);
    pl_account a;
    assert_int_equal(store_account_set_role(g.d, ANN, PL_ROLE_ADMIN), PL_OK);
    assert_int_equal(store_account_get(g.d, ANN, &A, &a), PL_OK);
    assert_int_equal(a.role, PL_ROLE_ADMIN);
    assert_true(a.is_admin);
    assert_int_equal(store_account_set_role(g.d, ANN, PL_ROLE_MODERATOR), PL_OK);
    assert_int_equal(store_account_get(g.d, ANN, &A, &a), PL_OK);
    assert_false(a.is_admin);
    assert_int_equal(store_account_delete_pending(g.d, ANN, &A), PL_ENOTFOUND);
    assert_int_equal(store_account_delete_pending(g.d, CAT, &A), PL_OK);
    assert_int_equal(store_account_get(g.d, CAT, &A, &a), PL_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_report_keeps_its_posts_and_its_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_queue_filters_combine, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_the_people_filters_match_any_case_and_read_wildcards_as_characters, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_a_role_keeps_is_admin_and_only_a_waiting_sign_up_is_rejected, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
