/*
 * test_bench.c — the bulk mode of `partyline bench-data` (store/bench.h) leaves a database as
 * the migrations made it: on SQLite it drops the secondary indexes of the big tables and the
 * trigger that feeds the full-text index for the load, so they must all come back, the
 * full-text index must hold every post written meanwhile, the journal must be the write-ahead
 * log again and the planner must have its statistics. On PostgreSQL (PARTYLINE_TEST_DATABASE,
 * see test_db.h) the mode only gathers statistics; the same rows must be readable.
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

#include "store/accounts.h"
#include "store/bench.h"
#include "store/graph.h"
#include "store/migrate.h"
#include "store/posts.h"
#include "store/timeline.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
    bool pg;
} g;

static arena A = ARENA_INIT;

enum { PEOPLE = 30, POSTS = 600, FIRST_POST = 1000 };
#define T0 1795687315123LL

/* The one integer a query answers. */
static int64_t ask(const char *sql)
{
    db_stmt *s = db_prepare(g.d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_i64(s, 0);
    db_reset(s);
    return v;
}

/* Every index, trigger and table of the SQLite schema, with its SQL, in one text (arena). */
static const char *schema(void)
{
    db_stmt *s = db_prepare(g.d, "SELECT group_concat(type || ' ' || name || ' ' || "
                                 "coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master "
                                 "WHERE name NOT LIKE 'sqlite_stat%' "
                                 "ORDER BY type, name)");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    const char *t = arena_strdup(&A, db_col_text(s, 0));
    db_reset(s);
    return t;
}

static int group_setup(void **state)
{
    (void)state;
    if (test_db_open_migrated("/tmp/pl-bench-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
                              sizeof g.path, &g.d))
        return -1;
    g.pg = strcmp(db_driver_name(g.d), "postgres") == 0;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "test.db", g.d);
    arena_free(&A);
    return 0;
}

/* A small company written the way bench-data writes one: people, follows, posts with tags,
 * then feed rows in bulk, all between bulk mode on and off. */
static void test_bulk_load_leaves_the_schema_as_migrated(void **state)
{
    (void)state;
    const char *before = g.pg ? NULL : schema();
    assert_int_equal(store_bench_bulk_mode(g.d, true), PL_OK);
    if (!g.pg) {
        /* deferred during the load: the feed table's status index, the FTS trigger */
        assert_int_equal(ask("SELECT count(*) FROM sqlite_master WHERE name IN "
                             "('timeline_status', 'follows_target', 'statuses_fts_insert')"),
                         0);
        assert_string_not_equal(schema(), before);
    }
    assert_int_equal(db_begin(g.d), PL_OK);
    for (int64_t i = 1; i <= PEOPLE; i++) {
        char *name = arena_printf(&A, "user%lld", (long long)i);
        pl_account a = {.id = i,
                        .username = name,
                        .email = arena_printf(&A, "%s@example.com", name),
                        .display_name = name,
                        .password_hash = "hash",
                        .is_discoverable = true,
                        .is_approved = true,
                        .created_at = T0};
        assert_int_equal(store_account_insert(g.d, &a), PL_OK);
    }
    int64_t fid = 1;
    for (int64_t i = 1; i <= PEOPLE; i++)
        for (int64_t k = 1; k <= 5; k++)
            assert_int_equal(
                store_follow_insert(g.d, fid++, i, 1 + (i - 1 + k) % PEOPLE, true, false, T0),
                PL_OK);
    int64_t rows[2 * 300 * 2];
    int n = 0;
    for (int64_t k = 0; k < POSTS; k++) {
        int64_t id = FIRST_POST + k;
        pl_status s = {.id = id,
                       .account_id = 1 + k % PEOPLE,
                       .visibility = VIS_PUBLIC,
                       .text = k % 3 ? "quarterly report #finance" : "printer fixed",
                       .content = "<p>post</p>",
                       .created_at = T0 + k * 1000};
        assert_int_equal(store_status_insert(g.d, &s), PL_OK);
        if (k % 3) assert_int_equal(store_status_tag_add(g.d, id, "finance"), PL_OK);
        if (k < 300) { /* into the feeds of persons 1 and 2: 600 rows, 2 full batches and more */
            rows[2 * n] = 1, rows[2 * n + 1] = id, n++;
            rows[2 * n] = 2, rows[2 * n + 1] = id, n++;
        }
    }
    assert_int_equal(store_bench_timeline_rows(g.d, rows, n), PL_OK);
    assert_int_equal(db_commit(g.d), PL_OK);
    assert_int_equal(store_bench_bulk_mode(g.d, false), PL_OK);

    assert_int_equal(ask("SELECT count(*) FROM timeline"), 600);
    assert_int_equal(ask("SELECT count(*) FROM status_tags"), 400);
    assert_int_equal(ask("SELECT count(*) FROM follows"), 5 * PEOPLE);
    if (g.pg) return;
    assert_string_equal(schema(), before);
    assert_int_equal(ask("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    assert_true(ask("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'timeline'") > 0);
    /* the full-text index holds the posts of the load, and the trigger feeds it again */
    assert_int_equal(ask("SELECT count(*) FROM statuses_fts WHERE statuses_fts MATCH 'printer'"),
                     200);
    pl_status s = {.id = FIRST_POST + POSTS,
                   .account_id = 1,
                   .visibility = VIS_PUBLIC,
                   .text = "printer again",
                   .content = "<p>printer again</p>",
                   .created_at = T0 + POSTS * 1000};
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
    assert_int_equal(ask("SELECT count(*) FROM statuses_fts WHERE statuses_fts MATCH 'printer'"),
                     201);
    db_stmt *check = db_prepare(g.d, "PRAGMA integrity_check");
    assert_non_null(check);
    assert_int_equal(db_step(check), DB_ROW);
    assert_string_equal(db_col_text(check, 0), "ok");
    db_reset(check);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_load_leaves_the_schema_as_migrated),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
