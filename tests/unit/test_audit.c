/*
 * test_audit.c — the audit log's chain (store/audit.c, migration 052; the rules, app/audit.c):
 * rows chained in order with each hash over the row and the one before, a changed, deleted
 * or reordered row named by audit_verify, retention deleting the oldest rows and moving the
 * anchor so that the rest still verifies, the page's filters, and db_commit chaining what a
 * transaction recorded (and nothing a rolled-back savepoint recorded). Runs on SQLite and,
 * with PARTYLINE_TEST_DATABASE, on PostgreSQL; each test runs in a transaction rolled back
 * after, but the last, which commits and cleans up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "store/audit.h"
#include "store/migrate.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
    pl_config cfg;
    id_gen ids;
} g;

static arena A = ARENA_INIT;

#define T0 1795687315123LL
#define DAY 86400000LL

static int group_setup(void **state)
{
    (void)state;
    if (sodium_init() < 0) return -1;
    id_gen_init(&g.ids, 0);
    return test_db_open_migrated("/tmp/pl-audit-XXXXXX", "audit.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "audit.db", g.d);
    arena_free(&A);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    g.cfg = (pl_config){0};
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    return 0;
}

static app_ctx ctx(int64_t now)
{
    return (app_ctx){.db = g.d, .cfg = &g.cfg, .ids = &g.ids, .a = &A, .now = now};
}

/* Appends a row of action by actor on target at `at`, id = at's id plus n. */
static int64_t add(int64_t at, int64_t actor, const char *action, int64_t target)
{
    static int64_t n;
    int64_t id = (at << 16) + (++n & 0xfff);
    pl_audit_row r = {.id = id,
                      .at = at,
                      .actor_id = actor,
                      .ip = "127.0.0.1",
                      .action = action,
                      .target_kind = "status",
                      .target_id = target,
                      .audience = "company",
                      .detail = "{\"channel_id\":5}"};
    assert_int_equal(store_audit_append(g.d, &r), PL_OK);
    return id;
}

static audit_verdict verify(void)
{
    app_ctx c = ctx(T0);
    audit_verdict v;
    assert_int_equal(audit_verify(&c, &v), PL_OK);
    return v;
}

static void sql(const char *text)
{
    assert_int_equal(db_exec(g.d, text), PL_OK);
}

static void test_rows_chain_in_order_and_a_change_or_a_gap_is_named(void **state)
{
    (void)state;
    audit_verdict v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 0); /* nothing recorded yet */
    int64_t a = add(T0, 1, "post.create", 100);
    int64_t b = add(T0 + 1, 2, "post.edit", 100);
    int64_t c3 = add(T0 + 2, 1, "post.delete", 100);
    (void)c3;
    assert_int_equal(store_audit_chain(g.d), PL_OK);
    v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 3);
    assert_true(v.first_at == T0 && v.last_at == T0 + 2);

    /* each row's prev_hash is the hash of the one before; the head is the last's */
    pl_audit_row *rows;
    int n;
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){0}, 0, 0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 3);
    assert_true(rows[2].id == a && rows[2].seq == 1 && rows[0].seq == 3);
    assert_string_equal(rows[1].prev_hash, rows[2].hash);
    assert_string_equal(rows[0].prev_hash, rows[1].hash);
    char h[AUDIT_HASH_HEX + 1];
    store_audit_hash(&rows[1], h);
    assert_string_equal(h, rows[1].hash);
    pl_audit_head head;
    assert_int_equal(store_audit_head(g.d, &head), PL_OK);
    assert_true(head.seq == 3);
    assert_string_equal(head.hash, rows[0].hash);

    /* a changed field of row 2 */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("UPDATE audit_log SET actor_id = 9 WHERE seq = 2");
    v = verify();
    assert_false(v.whole);
    assert_true(v.bad_seq == 2 && v.bad_id == b);
    assert_non_null(strstr(v.why, "changed"));
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    /* the detail changed, as a string */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("UPDATE audit_log SET detail = '{\"channel_id\":6}' WHERE seq = 1");
    v = verify();
    assert_true(!v.whole && v.bad_seq == 1 && v.bad_id == a);
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    /* row 2 deleted */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("DELETE FROM audit_log WHERE seq = 2");
    v = verify();
    assert_true(!v.whole && v.bad_seq == 2 && v.bad_id == 0);
    assert_int_equal(v.rows, 1);
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    /* the last row deleted: the head says there was one */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("DELETE FROM audit_log WHERE seq = 3");
    v = verify();
    assert_true(!v.whole && v.bad_seq == 3);
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    /* rows 1 and 2 swapped in the chain (their seqs exchanged) */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("UPDATE audit_log SET seq = -1 WHERE seq = 1");
    sql("UPDATE audit_log SET seq = 1 WHERE seq = 2");
    sql("UPDATE audit_log SET seq = 2 WHERE seq = -1");
    v = verify();
    assert_true(!v.whole && v.bad_seq == 1);
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    /* a row added after the head, behind the server's back */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    sql("INSERT INTO audit_log (id, seq, at, action, detail, prev_hash, hash) SELECT id + 1, 4, "
        "at, action, detail, hash, hash FROM audit_log WHERE seq = 3");
    v = verify();
    assert_true(!v.whole && v.bad_seq == 4);
    assert_non_null(strstr(v.why, "after the chain's head"));
    assert_int_equal(db_rollback_to(g.d), PL_OK);

    assert_true(verify().whole);
}

static void test_retention_deletes_the_oldest_and_the_rest_still_verifies(void **state)
{
    (void)state;
    add(T0, 1, "post.create", 1);
    add(T0 + DAY, 1, "post.create", 2);
    add(T0 + 2 * DAY, 1, "post.create", 3);
    add(T0 + 10 * DAY, 1, "post.create", 4);
    add(T0 + 11 * DAY, 1, "post.create", 5);
    assert_int_equal(store_audit_chain(g.d), PL_OK);

    g.cfg.audit_retention_days = 0; /* keeps everything */
    app_ctx c = ctx(T0 + 12 * DAY);
    int64_t pruned;
    assert_int_equal(audit_prune(&c, 1000, &pruned), PL_OK);
    assert_int_equal(pruned, 0);

    g.cfg.audit_retention_days = 5; /* the first three are older than that */
    c = ctx(T0 + 12 * DAY);
    assert_int_equal(audit_prune(&c, 2, &pruned), PL_OK); /* a batch of two */
    assert_int_equal(pruned, 2);
    assert_int_equal(store_audit_chain(g.d), PL_OK); /* what db_commit does */
    audit_verdict v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 4); /* three left and the prune's own row */
    c = ctx(T0 + 12 * DAY);
    assert_int_equal(audit_prune(&c, 1000, &pruned), PL_OK);
    assert_int_equal(pruned, 1);
    assert_int_equal(store_audit_chain(g.d), PL_OK);
    c = ctx(T0 + 12 * DAY);
    assert_int_equal(audit_prune(&c, 1000, &pruned), PL_OK);
    assert_int_equal(pruned, 0); /* the rest is younger than five days */
    v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 4); /* posts 4 and 5, two prune rows */
    pl_audit_row *rows;
    int n;
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){.action = "audit.prune"}, 0, 0, 0, 10,
                                      &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_null(rows[0].actor_id ? "an actor" : NULL);
    assert_non_null(strstr(rows[0].detail, "\"count\":1"));

    /* the anchor is what verify starts from: deleting the first kept row is still caught */
    sql("DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) FROM audit_log)");
    v = verify();
    assert_false(v.whole);
}

static void test_a_page_filters_by_actor_action_target_and_time(void **state)
{
    (void)state;
    int64_t a = add(T0, 1, "post.create", 100);
    int64_t b = add(T0 + 10, 2, "post.create", 101);
    int64_t c = add(T0 + 20, 1, "channel.join", 102);
    int64_t d = add(T0 + 30, 1, "post.delete", 100);
    add(T0 + 40, 3, "post.create", 103);
    assert_int_equal(store_audit_chain(g.d), PL_OK);
    pl_audit_row *rows;
    int n;
    assert_int_equal(
        store_audit_page(g.d, &(pl_audit_filter){.actor_id = 1}, 0, 0, 0, 10, &A, &rows, &n),
        PL_OK);
    assert_int_equal(n, 3);
    assert_true(rows[0].id == d && rows[1].id == c && rows[2].id == a);
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){.action = "post.create"}, 0, 0, 0, 10,
                                      &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){.target_id = 100, .actor_id = 1}, 0,
                                      0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_audit_page(g.d,
                                      &(pl_audit_filter){.since_at = T0 + 10, .until_at = T0 + 30},
                                      0, 0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_true(rows[0].id == c && rows[1].id == b);
    /* pages: max_id downwards, min_id upwards (shown newest first) */
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){0}, c, 0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_true(rows[0].id == b && rows[1].id == a);
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){0}, 0, 0, a, 2, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_true(rows[0].id == c && rows[1].id == b);
}

static void test_a_large_transaction_is_chained_in_passes(void **state)
{
    (void)state;
    for (int i = 0; i < 70; i++) add(T0 + i, 1 + i % 3, "post.create", 1000 + i);
    assert_int_equal(store_audit_chain(g.d), PL_OK); /* three passes of at most 32 */
    audit_verdict v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 70);
    pl_audit_head head;
    assert_int_equal(store_audit_head(g.d, &head), PL_OK);
    assert_true(head.seq == 70);
    add(T0 + 70, 1, "post.create", 2000);
    assert_int_equal(store_audit_chain(g.d), PL_OK); /* and on from the head */
    v = verify();
    assert_true(v.whole);
    assert_int_equal(v.rows, 71);
}

/* The last test: commits (the chaining is db_commit's), then deletes what it made. */
static void test_commit_chains_and_a_rolled_back_savepoint_leaves_no_row(void **state)
{
    (void)state;
    assert_int_equal(db_savepoint(g.d), PL_OK);
    add(T0, 1, "post.create", 1);
    assert_int_equal(db_rollback_to(g.d), PL_OK); /* a job answered >= 400 */
    assert_int_equal(db_savepoint(g.d), PL_OK);
    int64_t kept = add(T0 + 1, 2, "post.create", 2);
    assert_int_equal(db_release(g.d), PL_OK);
    assert_int_equal(db_commit(g.d), PL_OK);

    assert_int_equal(db_begin(g.d), PL_OK);
    pl_audit_row *rows;
    int n;
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){0}, 0, 0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 1);
    assert_true(rows[0].id == kept && rows[0].seq == 1);
    assert_non_null(rows[0].hash);
    assert_true(verify().whole);
    assert_int_equal(db_rollback(g.d), PL_OK);

    /* a rolled-back transaction's row is never chained nor kept */
    assert_int_equal(db_begin(g.d), PL_OK);
    add(T0 + 2, 3, "post.create", 3);
    assert_int_equal(db_rollback(g.d), PL_OK);
    assert_int_equal(db_begin(g.d), PL_OK);
    assert_int_equal(store_audit_page(g.d, &(pl_audit_filter){0}, 0, 0, 0, 10, &A, &rows, &n),
                     PL_OK);
    assert_int_equal(n, 1);
    sql("DELETE FROM audit_log");
    sql("DELETE FROM audit_chain");
    assert_int_equal(db_commit(g.d), PL_OK);
    assert_int_equal(db_begin(g.d), PL_OK); /* for the teardown's rollback */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        T(test_rows_chain_in_order_and_a_change_or_a_gap_is_named),
        T(test_retention_deletes_the_oldest_and_the_rest_still_verifies),
        T(test_a_page_filters_by_actor_action_target_and_time),
        T(test_a_large_transaction_is_chained_in_passes),
        T(test_commit_chains_and_a_rolled_back_savepoint_leaves_no_row),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
