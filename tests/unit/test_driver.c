/*
 * test_driver.c — what the drivers promise beyond running SQL: which failures are transient
 * (db_retryable, which the writers use to run a deadlock's victim again) and that a
 * PostgreSQL connection the server dropped is made again at the next transaction, with its
 * cached statements prepared again. Runs on SQLite and, with PARTYLINE_TEST_DATABASE, on
 * PostgreSQL (make test-unit-pg); the PostgreSQL-only cases skip on SQLite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "util/err.h"
#include "util/log.h"
#include "test_db.h"

static struct {
    char dir[64];
    char path[512];
} g;

static db *open_db(void)
{
    db *d;
    char err[256];
    if (db_open(g.path, 0, &d, err, sizeof err)) fail_msg("%s", err);
    return d;
}

static int group_setup(void **state)
{
    (void)state;
    log_set_level(getenv("TEST_LOGS")
                      ? LOG_DEBUG
                      : LOG_ERROR + 1); /* the failures below are the point: keep them quiet */
    snprintf(g.dir, sizeof g.dir, "/tmp/pl-driver-XXXXXX");
    if (!mkdtemp(g.dir)) return -1;
    if (test_db_create(g.dir, "driver.db", g.path, sizeof g.path)) return -1;
    db *d = open_db();
    int rc = db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    rc = rc ? rc : db_exec(d, "INSERT INTO t (id, v) VALUES (1, 0), (2, 0)");
    db_close(d);
    return rc ? -1 : 0;
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_drop(g.dir, "driver.db");
    rmdir(g.dir);
    return 0;
}

static int add(db *d, int id)
{
    db_stmt *s = db_prepare(d, "UPDATE t SET v = v + 1 WHERE id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

static int64_t value(db *d, int id)
{
    db_stmt *s = db_prepare(d, "SELECT v FROM t WHERE id = ?");
    db_bind_i64(s, 1, id);
    int64_t v = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_reset(s);
    return v;
}

static void test_a_unique_violation_is_a_conflict_not_a_transient_failure(void **state)
{
    (void)state;
    db *d = open_db();
    assert_int_equal(db_begin(d), PL_OK);
    db_stmt *s = db_prepare(d, "INSERT INTO t (id, v) VALUES (?, 0)");
    db_bind_i64(s, 1, 1);
    assert_int_equal(db_step_done(s), PL_ECONFLICT);
    assert_false(db_retryable(d));
    assert_int_equal(add(d, 1), PL_OK); /* the transaction goes on */
    assert_int_equal(db_rollback(d), PL_OK);
    db_close(d);
}

static void test_a_broken_statement_is_not_a_transient_failure(void **state)
{
    (void)state;
    db *d = open_db();
    assert_int_equal(db_begin(d), PL_OK);
    assert_int_equal(db_exec(d, "UPDATE no_such_table SET v = 1"), PL_EDB);
    assert_false(db_retryable(d));
    db_rollback(d);
    db_close(d);
}

/* The other side of a deadlock: locks row 2, then row 1 (which the main thread holds). */
struct side {
    db *d;
    int lock_first_rc, rc;
    bool retry;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool locked;
};

static void *other_side(void *arg)
{
    struct side *o = arg;
    int rc = db_begin(o->d);
    rc = rc ? rc : add(o->d, 2);
    pthread_mutex_lock(&o->mu);
    o->lock_first_rc = rc;
    o->locked = true;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    if (rc == PL_OK) rc = add(o->d, 1); /* waits for the main thread */
    o->retry = db_retryable(o->d);
    if (rc == PL_OK) rc = db_commit(o->d);
    if (rc != PL_OK) db_rollback(o->d);
    o->rc = rc;
    return NULL;
}

static void test_a_deadlock_victim_is_retryable_and_the_other_commits(void **state)
{
    (void)state;
    if (!test_db_server()) skip(); /* SQLite has one writer: no deadlock to have */
    db *a = open_db();
    struct side o = {
        .d = open_db(), .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    assert_int_equal(db_exec(a, "SET deadlock_timeout = '100ms'"), PL_OK);
    assert_int_equal(db_exec(o.d, "SET deadlock_timeout = '100ms'"), PL_OK);
    int64_t before = value(a, 1) + value(a, 2);

    assert_int_equal(db_begin(a), PL_OK);
    assert_int_equal(add(a, 1), PL_OK);
    pthread_t t;
    pthread_create(&t, NULL, other_side, &o);
    pthread_mutex_lock(&o.mu);
    while (!o.locked) pthread_cond_wait(&o.cv, &o.mu);
    pthread_mutex_unlock(&o.mu);
    assert_int_equal(o.lock_first_rc, PL_OK);
    int rc = add(a, 2); /* each now waits for the other: PostgreSQL aborts one */
    bool retry = db_retryable(a);
    if (rc == PL_OK) rc = db_commit(a);
    if (rc != PL_OK) db_rollback(a);
    pthread_join(t, NULL);

    assert_true((rc == PL_OK) != (o.rc == PL_OK)); /* exactly one got through */
    assert_true(rc == PL_OK ? o.retry && !retry : retry && !o.retry);
    assert_int_equal(value(a, 1) + value(a, 2), before + 2); /* only the winner's two */
    /* the victim's connection is fine for the next transaction, and db_begin forgets */
    db *victim = rc == PL_OK ? o.d : a;
    assert_int_equal(db_begin(victim), PL_OK);
    assert_false(db_retryable(victim));
    assert_int_equal(add(victim, 1), PL_OK);
    assert_int_equal(db_commit(victim), PL_OK);
    db_close(o.d);
    db_close(a);
}

static void test_a_dropped_connection_is_made_again_at_the_next_begin(void **state)
{
    (void)state;
    if (!test_db_server()) skip(); /* an embedded database has no connection to lose */
    db *d = open_db();
    assert_true(value(d, 1) >= 0); /* a statement prepared on this session */
    db_stmt *s = db_prepare(d, "SELECT pg_backend_pid()");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t pid = db_col_i64(s, 0);
    db_reset(s);

    db *admin = open_db();
    s = db_prepare(admin, "SELECT pg_terminate_backend(?::integer, 5000)");
    db_bind_i64(s, 1, pid);
    assert_int_equal(db_step(s), DB_ROW);
    db_reset(s);
    db_close(admin);

    /* the next transaction reconnects; the cached statement is prepared again */
    assert_int_equal(db_begin(d), PL_OK);
    assert_int_equal(add(d, 1), PL_OK);
    assert_true(value(d, 1) >= 1);
    assert_int_equal(db_commit(d), PL_OK);
    s = db_prepare(d, "SELECT pg_backend_pid()");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_i64(s, 0) != pid);
    db_reset(s);
    db_close(d);
}

/* The database holds password hashes, e-mails and direct messages: whatever the umask, a
 * new SQLite file and its -wal and -shm are its owner's only, and an old file others could
 * read is tightened when it is opened for writing. */
static void test_sqlite_files_are_owner_only_whatever_the_umask(void **state)
{
    (void)state;
    if (test_db_server()) skip(); /* PostgreSQL keeps its own files */
    char path[600], side[620];
    snprintf(path, sizeof path, "%s/modes.db", g.dir);
    mode_t old = umask(022);
    db *d;
    char err[256];
    assert_int_equal(db_open(path, 0, &d, err, sizeof err), 0);
    assert_int_equal(db_exec(d, "CREATE TABLE m (x INTEGER); INSERT INTO m VALUES (1)"), PL_OK);
    struct stat st;
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        assert_int_equal(stat(side, &st), 0);
        if ((st.st_mode & 0777) != 0600) fail_msg("%s is %03o, want 600", side, st.st_mode & 0777);
    }
    db_close(d);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(db_open(path, 0, &d, err, sizeof err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    db_close(d);
    umask(old);
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        unlink(side);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_unique_violation_is_a_conflict_not_a_transient_failure),
        cmocka_unit_test(test_a_broken_statement_is_not_a_transient_failure),
        cmocka_unit_test(test_a_deadlock_victim_is_retryable_and_the_other_commits),
        cmocka_unit_test(test_a_dropped_connection_is_made_again_at_the_next_begin),
        cmocka_unit_test(test_sqlite_files_are_owner_only_whatever_the_umask),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
