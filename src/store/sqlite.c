/*
 * sqlite.c — the SQLite driver for db.h.
 *
 * Connections run in WAL mode so readers (one per event loop) never block the single
 * writer, with synchronous=NORMAL: a committed transaction survives a process crash
 * (it is in the WAL) though not a power cut between checkpoints, which is the trade
 * SQLite documents for WAL. Statements are cached per connection in a small open-addressing
 * table keyed by the SQL text's address; the store passes string literals, so the address
 * is a stable identity and lookup costs a pointer hash.
 */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/log.h"

struct db_stmt {
    const char *sql;
    sqlite3_stmt *st;
    db *d;
    bool active;
};

struct db {
    sqlite3 *h;
    db_stmt *cache;
    size_t cap, used;
    db_touch_rec *touched;
    int n_touched, cap_touched;
};

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* Process-wide settings, before the first connection: no memory statistics (they take a
 * global mutex on every allocation), and connections that are each used by one thread at
 * a time (the server never shares one). */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

int db_open(const char *target, int flags, db **out, char *err, size_t cap)
{
    pthread_once(&configured, configure);
    sqlite3 *h = NULL;
    int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY
                                       : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    oflags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(target, &h, oflags, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", target, h ? sqlite3_errmsg(h) : "no memory");
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, 10000);
    /* Reads go through a memory map (the OS page cache, shared by all connections) and keep
     * only a small private page cache; the writer keeps a larger one for its indexes. */
    const char *pragmas = (flags & DB_READONLY)
                              ? "PRAGMA cache_size=-4000; PRAGMA mmap_size=1073741824;"
                                "PRAGMA temp_store=MEMORY;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                "PRAGMA cache_size=-8000; PRAGMA mmap_size=1073741824;"
                                "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";
    char *msg = NULL;
    if (flags & DB_NO_CHECKPOINT) sqlite3_wal_autocheckpoint(h, 0);
    if (sqlite3_exec(h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "cannot configure %s: %s", target, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        return -1;
    }
    db *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->h = h;
    d->cap = 256;
    d->cache = calloc(d->cap, sizeof *d->cache);
    if (!d->cache) abort();
    *out = d;
    return 0;
}

void db_close(db *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->cap; i++)
        if (d->cache[i].st) sqlite3_finalize(d->cache[i].st);
    free(d->cache);
    free(d->touched);
    sqlite3_close(d->h);
    free(d);
}

int db_exec(db *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("event=db_error op=exec msg=\"%s\"", msg ? msg : "?");
        sqlite3_free(msg);
        return PL_EDB;
    }
    return PL_OK;
}

int db_begin(db *d) { return db_exec(d, "BEGIN IMMEDIATE"); }
int db_commit(db *d) { return db_exec(d, "COMMIT"); }
int db_begin_read(db *d) { return db_exec(d, "BEGIN"); }
int db_end_read(db *d) { return db_exec(d, "COMMIT"); }
int db_rollback(db *d) { return db_exec(d, "ROLLBACK"); }
int db_savepoint(db *d) { return db_exec(d, "SAVEPOINT job"); }
int db_release(db *d) { return db_exec(d, "RELEASE job"); }
int db_rollback_to(db *d) { return db_exec(d, "ROLLBACK TO job; RELEASE job"); }

static size_t slot_for(db *d, const char *sql)
{
    uintptr_t x = (uintptr_t)sql;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7) & (d->cap - 1);
}

static void cache_grow(db *d)
{
    db_stmt *old = d->cache;
    size_t oldcap = d->cap;
    d->cap *= 2;
    d->cache = calloc(d->cap, sizeof *d->cache);
    if (!d->cache) abort();
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].sql) continue;
        size_t j = slot_for(d, old[i].sql);
        while (d->cache[j].sql) j = (j + 1) & (d->cap - 1);
        d->cache[j] = old[i];
    }
    free(old);
}

db_stmt *db_prepare(db *d, const char *sql)
{
    size_t i = slot_for(d, sql);
    while (d->cache[i].sql) {
        if (d->cache[i].sql == sql) {
            db_stmt *s = &d->cache[i];
            if (s->active) db_reset(s);
            return s;
        }
        i = (i + 1) & (d->cap - 1);
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("event=db_error op=prepare msg=\"%s\" sql=\"%.120s\"", sqlite3_errmsg(d->h), sql);
        return NULL;
    }
    if ((d->used + 1) * 2 > d->cap) {
        cache_grow(d);
        i = slot_for(d, sql);
        while (d->cache[i].sql) i = (i + 1) & (d->cap - 1);
    }
    d->used++;
    d->cache[i] = (db_stmt){.sql = sql, .st = st, .d = d, .active = false};
    return &d->cache[i];
}

void db_bind_i64(db_stmt *s, int idx, int64_t v)
{
    s->active = true;
    sqlite3_bind_int64(s->st, idx, v);
}

void db_bind_text(db_stmt *s, int idx, const char *v, int len)
{
    s->active = true;
    if (!v) sqlite3_bind_null(s->st, idx);
    else sqlite3_bind_text(s->st, idx, v, len, SQLITE_TRANSIENT);
}

void db_bind_null(db_stmt *s, int idx)
{
    s->active = true;
    sqlite3_bind_null(s->st, idx);
}

int db_step(db_stmt *s)
{
    s->active = true;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    sqlite3 *h = sqlite3_db_handle(s->st);
    if ((sqlite3_extended_errcode(h) & 0xff) == SQLITE_CONSTRAINT) return PL_ECONFLICT;
    log_error("event=db_error op=step msg=\"%s\" sql=\"%.120s\"", sqlite3_errmsg(h), s->sql);
    return PL_EDB;
}

int db_step_done(db_stmt *s)
{
    int rc = db_step(s);
    db_reset(s);
    return rc == DB_DONE ? PL_OK : (rc == DB_ROW ? PL_OK : rc);
}

int64_t db_col_i64(db_stmt *s, int col) { return sqlite3_column_int64(s->st, col); }
const char *db_col_text(db_stmt *s, int col) { return (const char *)sqlite3_column_text(s->st, col); }
int db_col_len(db_stmt *s, int col) { return sqlite3_column_bytes(s->st, col); }
bool db_col_is_null(db_stmt *s, int col) { return sqlite3_column_type(s->st, col) == SQLITE_NULL; }

void db_reset(db_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->active = false;
}

int64_t db_changes(db *d) { return sqlite3_changes(d->h); }
const char *db_driver_name(db *d) { (void)d; return "sqlite"; }

void db_touch(db *d, int kind, int64_t id)
{
    for (int i = d->n_touched - 1; i >= 0 && i >= d->n_touched - 8; i--)
        if (d->touched[i].kind == kind && d->touched[i].id == id) return;
    if (d->n_touched == d->cap_touched) {
        int cap = d->cap_touched ? d->cap_touched * 2 : 64;
        db_touch_rec *t = realloc(d->touched, sizeof *t * (size_t)cap);
        if (!t) abort();
        d->touched = t;
        d->cap_touched = cap;
    }
    d->touched[d->n_touched++] = (db_touch_rec){kind, id};
}

const db_touch_rec *db_touched(db *d, int *n)
{
    *n = d->n_touched;
    return d->touched;
}

void db_touched_clear(db *d)
{
    d->n_touched = 0;
}

db *db_stmt_db(db_stmt *s)
{
    return s->d;
}

int db_checkpoint(db *d, bool restart, int *wal_pages)
{
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(d->h, NULL,
                                       restart ? SQLITE_CHECKPOINT_RESTART
                                               : SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &done);
    if (wal_pages) *wal_pages = log;
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) return PL_OK; /* busy: try again later */
    log_error("event=db_error op=checkpoint msg=\"%s\"", sqlite3_errmsg(d->h));
    return PL_EDB;
}
