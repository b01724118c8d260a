/*
 * app_fixture.h — a temporary partyline database and an app context for the app-layer unit
 * tests (test_audience.c, test_posts.c).
 *
 * The group setup creates the database (a SQLite file in a mkdtemp() folder, or a PostgreSQL
 * database when PARTYLINE_TEST_DATABASE names a server: see test_db.h), migrates it and registers
 * the people of the test file through accounts_register() (argon2id is slow, so a file
 * registers a handful once and every test reuses them). Each test then runs inside one
 * transaction that its teardown rolls back, with a context set up the way the writer thread
 * sets one up (own_txn = false): follows, posts and mutes made by one test are gone before
 * the next. req() starts a new "request": a fresh context on the same connection, with the
 * clock one millisecond later, so nothing cached by one call leaks into the next; set
 * F.read_only to make the contexts of read requests (with their per-request caches).
 *
 * Header-only (static inline) so that each test file compiles on its own.
 */
#ifndef PL_TEST_APP_FIXTURE_H
#define PL_TEST_APP_FIXTURE_H

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/accounts.h"
#include "app/app.h"
#include "app/feeds.h"
#include "store/migrate.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"
#include "util/timeutil.h"

typedef struct app_fixture {
    char dir[64];
    char path[512]; /**< what db_open takes: a file path or a postgres:// URL */
    db *d;
    pl_config cfg;
    id_gen ids;
    arena a;
    app_ctx c;
    int64_t now;
    bool read_only; /**< req() makes read-only contexts (the per-request caches are on) */
} app_fixture;

static app_fixture F;

/** A new request on the fixture's connection (same transaction), one ms after the last. */
static inline app_ctx *req(void)
{
    F.now += 1;
    F.c = (app_ctx){.db = F.d,
                    .cfg = &F.cfg,
                    .ids = &F.ids,
                    .a = &F.a,
                    .now = F.now,
                    .own_txn = false,
                    .read_only = F.read_only};
    return &F.c;
}

/**
 * Runs the fan-out queue to the end, as the writer does between requests (a post reaches
 * followers' feeds a moment after it is answered). Call before reading a home feed.
 */
static inline void drain_fanout(void)
{
    bool more = true;
    for (int i = 0; more && i < 100000; i++)
        assert_int_equal(feeds_fanout_step(req(), 1000, &more), PL_OK);
}

/** Creates and migrates the database; call first in a group setup. */
static inline int fixture_open(void)
{
    if (sodium_init() < 0) return -1;
    if (test_db_open_migrated("/tmp/pl-app-XXXXXX", "test.db", F.dir, sizeof F.dir, F.path,
                              sizeof F.path, &F.d))
        return -1;
    config_defaults(&F.cfg);
    F.cfg.password_hash_memory = 8; /* as the API tests: argon2id's cost is not what is tested */
    config_finish(&F.cfg);
    id_gen_init(&F.ids, 0);
    F.now = time_now_ms();
    F.a = (arena)ARENA_INIT;
    return 0;
}

/** Registers a person (in its own transaction, as the admin tool does); returns the id. */
static inline int64_t fixture_register(const char *username)
{
    app_ctx *c = req();
    c->own_txn = true;
    char email[96];
    snprintf(email, sizeof email, "%s@example.com", username);
    accounts_new n = {.username = username,
                      .email = email,
                      .password = "correct horse battery",
                      .display_name = username,
                      .skip_rules = true};
    pl_account acc;
    int rc = accounts_register(c, &n, &acc);
    if (rc != PL_OK) {
        fprintf(stderr, "accounts_register(%s): %s %s\n", username, pl_strerror(rc),
                c->errmsg ? c->errmsg : "");
        return 0;
    }
    return acc.id;
}

static inline int fixture_close(void)
{
    test_db_close_migrated(F.dir, "test.db", F.d);
    arena_free(&F.a);
    return 0;
}

/** Per-test setup: default settings, a transaction to roll back. */
static inline int fixture_begin(void **state)
{
    (void)state;
    config_defaults(&F.cfg);
    F.cfg.password_hash_memory = 8; /* as the API tests: argon2id's cost is not what is tested */
    config_finish(&F.cfg);
    F.read_only = false;
    req();
    return db_begin(F.d) == PL_OK ? 0 : -1;
}

static inline int fixture_end(void **state)
{
    (void)state;
    db_rollback(F.d);
    arena_free(&F.a);
    return 0;
}

#endif
