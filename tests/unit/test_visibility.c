/*
 * test_visibility.c — unit tests for src/store/visibility.h, the store's audience rules as SQL.
 *
 * Each predicate is run by the database itself (SQLite, or PostgreSQL with
 * PARTYLINE_TEST_DATABASE) over one row per visibility, and the rows it lets through are
 * compared with the rule written here in enum names: the text parses on both databases, a
 * table alias can go in front of it, and it takes exactly the audiences its name promises.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/visibility.h"
#include "test_db.h"

static char dir[64], target[512];
static db *d;

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pl-vis-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    if (test_db_create(dir, "test.db", target, sizeof target)) return -1;
    char err[256];
    if (db_open(target, 0, &d, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close(d);
    test_db_drop(dir, "test.db");
    rmdir(dir);
    return 0;
}

/* One row per visibility, 0..PL_VIS_LAST, as the table alias s. */
#define EVERY_VISIBILITY                                                                           \
    "(SELECT 0 AS visibility UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "            \
    "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) s"
_Static_assert(PL_VIS_LAST == 7, "EVERY_VISIBILITY lists every visibility");

/* The visibilities `sql` lets through, as a bit set. */
static unsigned taken(const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) fail_msg("does not parse: %s", sql);
    unsigned set = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) set |= 1u << db_col_i64(s, 0);
    db_reset(s);
    assert_int_equal(rc, DB_DONE);
    return set;
}

#define BIT(v) (1u << (v))
#define CHECK(pred, want)                                                                          \
    assert_int_equal(taken("SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." pred), (want))

static void test_each_rule_takes_exactly_its_audiences(void **state)
{
    (void)state;
    CHECK(VIS_SQL_PUBLIC, BIT(VIS_PUBLIC));
    CHECK(VIS_SQL_OPEN, BIT(VIS_PUBLIC) | BIT(VIS_UNLISTED));
    CHECK(VIS_SQL_ANY_MEMBER, BIT(VIS_PUBLIC) | BIT(VIS_UNLISTED) | BIT(VIS_COMPANY));
    CHECK(VIS_SQL_DISCOVERABLE, BIT(VIS_PUBLIC) | BIT(VIS_COMPANY));
    /* the follow backfill: what fan-out gives followers, company included */
    CHECK(VIS_SQL_TO_FOLLOWERS,
          BIT(VIS_PUBLIC) | BIT(VIS_UNLISTED) | BIT(VIS_PRIVATE) | BIT(VIS_COMPANY));
    /* influence's mentions: all but direct messages and a ticket's thread */
    CHECK(VIS_SQL_NOT_DIRECT_NOR_TICKET, BIT(VIS_PUBLIC) | BIT(VIS_UNLISTED) | BIT(VIS_PRIVATE) |
                                             BIT(VIS_COMPANY) | BIT(VIS_LIST));
}

static void test_no_rule_takes_an_addressed_post(void **state)
{
    (void)state;
    const char *rules[] = {
        "SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." VIS_SQL_PUBLIC,
        "SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." VIS_SQL_OPEN,
        "SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." VIS_SQL_ANY_MEMBER,
        "SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." VIS_SQL_DISCOVERABLE,
        "SELECT s.visibility FROM " EVERY_VISIBILITY " WHERE s." VIS_SQL_TO_FOLLOWERS,
    };
    /* nor a ticket's thread (its requester's and the service team's) */
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        assert_int_equal(taken(rules[i]) & (BIT(VIS_DIRECT) | BIT(VIS_LIST) | BIT(VIS_TICKET) |
                                            BIT(VIS_INTERNAL)),
                         0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_rule_takes_exactly_its_audiences),
        cmocka_unit_test(test_no_rule_takes_an_addressed_post),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
