/*
 * test_db.h — where a unit test's database lives: a SQLite file, or a PostgreSQL database.
 *
 * By default a test database is the file DIR/NAME (DIR from mkdtemp). With
 * PARTYLINE_TEST_DATABASE set to a server URL (postgres://user@host:port/db, e.g. from
 * scripts/pg-test-cluster, as `make test-unit-pg` does) it is a database of its own on that
 * server, partyline_test_<pid>_<name>, created and dropped through a maintenance connection
 * to the URL's database, so test binaries running at once never share one.
 *
 * Header-only (static inline) so that each test file compiles on its own.
 */
#ifndef PL_TEST_DB_H
#define PL_TEST_DB_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"
#include "util/err.h"
#include "util/log.h"

/** The server URL the tests run against, or NULL for SQLite. */
static inline const char *test_db_server(void)
{
    const char *url = getenv("PARTYLINE_TEST_DATABASE");
    return url && *url ? url : NULL;
}

/* partyline_test_<pid>_<name with anything but letters and digits as '_'> */
static inline void test_db_pg_name(const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "partyline_test_%ld_", (long)getpid());
    for (const char *p = name; *p && (size_t)n + 1 < cap; p++)
        out[n++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    out[n] = '\0';
}

/* Runs one statement on the server's maintenance database. */
static inline int test_db_admin(const char *sql)
{
    db *m;
    char err[256];
    if (db_open(test_db_server(), 0, &m, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return PL_EDB;
    }
    int rc = db_exec(m, sql);
    db_close(m);
    return rc;
}

/**
 * Creates an empty database for NAME and writes what db_open takes into target (cap bytes).
 * On SQLite it removes any old DIR/NAME (and its -wal/-shm) instead. 0 or -1.
 */
static inline int test_db_create(const char *dir, const char *name, char *target, size_t cap)
{
    const char *url = test_db_server();
    char p[600];
    if (!url) {
        snprintf(target, cap, "%s/%s", dir, name);
        unlink(target);
        snprintf(p, sizeof p, "%s-wal", target);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", target);
        unlink(p);
        return 0;
    }
    char dbname[96], sql[256];
    test_db_pg_name(name, dbname, sizeof dbname);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
    if (test_db_admin(sql)) return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
    if (test_db_admin(sql)) return -1;
    /* the URL with its database (the path after host[:port]) replaced */
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *path = host + strcspn(host, "/?");
    const char *query = path + strcspn(path, "?");
    snprintf(target, cap, "%.*s/%s%s", (int)(path - url), url, dbname, query);
    return 0;
}

/** Removes what test_db_create made (after every connection to it is closed). */
static inline void test_db_drop(const char *dir, const char *name)
{
    char p[600];
    if (!test_db_server()) {
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s/%s%s", dir, name, suffix[i]);
            unlink(p);
        }
        return;
    }
    char dbname[96], sql[256];
    test_db_pg_name(name, dbname, sizeof dbname);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
    (void)test_db_admin(sql);
}

/**
 * The usual start of a test group: a fresh folder made from tmpl (mkdtemp, e.g.
 * "/tmp/pl-x-XXXXXX") into dir, a database NAME in it (or on the server) with its target in
 * path, opened into *d and migrated; logs quieter than warnings are dropped. 0 or -1.
 */
static inline int test_db_open_migrated(const char *tmpl, const char *name, char *dir,
                                        size_t dir_cap, char *path, size_t path_cap, db **d)
{
    log_set_level(LOG_WARN);
    snprintf(dir, dir_cap, "%s", tmpl);
    if (!mkdtemp(dir)) return -1;
    if (test_db_create(dir, name, path, path_cap)) return -1;
    char err[256];
    if (db_open(path, 0, d, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return store_migrate(*d) == PL_OK ? 0 : -1;
}

/** Closes and removes what test_db_open_migrated made. */
static inline void test_db_close_migrated(const char *dir, const char *name, db *d)
{
    db_close(d);
    test_db_drop(dir, name);
    rmdir(dir);
}

#endif
