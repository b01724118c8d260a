/*
 * sqlite.c — the SQLite driver (struct db_driver, see db_driver.h).
 *
 * Connections run in WAL mode so readers (one per event loop) never block the single
 * writer, with synchronous=NORMAL: a committed transaction survives a process crash
 * (it is in the WAL) though not a power cut between checkpoints, which is the trade
 * SQLite documents for WAL. Statements are prepared with SQLITE_PREPARE_PERSISTENT and kept
 * for the connection's life by db.c's cache. A constraint violation fails only its
 * statement, never the transaction: db.h's PL_ECONFLICT contract is SQLite's behaviour.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/db_driver.h"
#include "util/err.h"
#include "util/log.h"

typedef struct sqlite_stmt {
    db_stmt base;
    sqlite3_stmt *st;
} sqlite_stmt;

typedef struct sqlite_db {
    db base;
    sqlite3 *h;
    bool writable;
    bool analyzes;       /* the checkpointing connection: writable, and not a writer's */
    int64_t analyzed_ns; /* CLOCK_MONOTONIC of the last ANALYZE from sq_checkpoint; 0: none */
} sqlite_db;

/* Statistics, as SQLite recommends for long-lived connections: analysis_limit keeps every
 * ANALYZE approximate (a bounded sample of each index: ~40 ms of CPU on 10k people / 1M
 * posts), the checkpointing connection (never a writer's: ANALYZE holds the write lock)
 * refreshes them once an hour, and at its first checkpoint if the database has none yet;
 * and a writable connection runs PRAGMA optimize as it closes. The hot queries do not depend
 * on them: migration 021 and tests/unit/test_plans.c keep their plans right with and
 * without. */
#define ANALYSIS_LIMIT "1000"
#define ANALYZE_EVERY_NS (3600LL * 1000000000LL)

#define H(d) (((sqlite_db *)(d))->h)
#define ST(s) (((sqlite_stmt *)(s))->st)

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* sha256_hex(text): the hex SHA-256 of a text, what PostgreSQL writes as
 * encode(sha256(...), 'hex'). Migration 020 hashes stored client secrets with it. */
static void sha256_hex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const unsigned char *in = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(h, in, (unsigned long long)n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

/*
 * pl_rank(fts, weights): the BM25 score of the current row of an FTS5 query, as FTS5's own
 * bm25() computes it (k1 1.2, b 0.75, every column weighing 1; smaller is better), except
 * that each phrase's IDF is given — `weights`, a text of numbers separated by spaces, the
 * query's phrases in order; a phrase without one weighs 1 — instead of counted. bm25()
 * counts, on its first call in a query, every row of the whole index that holds each phrase
 * (xQueryPhrase, which no rowid bound narrows), so a query that scores a thousand rows still
 * reads the word's every posting. Everything here is per row: the phrases' occurrences
 * (xInst), the row's length in tokens (xColumnSize: one lookup) and the average length
 * (xColumnTotalSize / xRowCount: a record FTS5 keeps up to date). store/search.c says where
 * the weights come from.
 */
enum { RANK_MAX_PHRASES = 64 };

static void pl_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                    sqlite3_value **argv)
{
    const double k1 = 1.2, b = 0.75;
    double weight[RANK_MAX_PHRASES], freq[RANK_MAX_PHRASES] = {0};
    int n_phrase = api->xPhraseCount(fts);
    if (n_phrase > RANK_MAX_PHRASES) n_phrase = RANK_MAX_PHRASES;
    const char *w = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
    for (int i = 0; i < n_phrase; i++) {
        char *end = NULL;
        weight[i] = w && *w ? strtod(w, &end) : 1.0;
        if (w && *w) w = end;
    }
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < n_phrase) freq[phrase] += 1.0;
    }
    int len = 0;
    sqlite3_int64 rows = 0, tokens = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &len);
    if (rc == SQLITE_OK) rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double avg = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0, score = 0;
    for (int i = 0; i < n_phrase; i++)
        score +=
            weight[i] * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * (double)len / avg)));
    sqlite3_result_double(ctx, -score);
}

/* (written as bm25() writes it, so that equal inputs give equal doubles: tests/unit/test_search.c
 * compares the two orders) */

/* Makes pl_rank known to the connection's FTS5 (through the pointer SQLite hands out for
 * "SELECT fts5(?1)", as its documentation shows). */
static int register_rank(sqlite3 *h)
{
    fts5_api *fts = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(st, 1, (void *)&fts, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!fts || fts->iVersion < 2) return -1;
    return fts->xCreateFunction(fts, "pl_rank", NULL, pl_rank, NULL) == SQLITE_OK ? 0 : -1;
}

/* Process-wide settings, before the first connection: no memory statistics (they take a
 * global mutex on every allocation), and connections that are each used by one thread at
 * a time (the server never shares one). */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

/* Tightens one existing file to 0600 if others may read or write it, and says so. */
static void tighten(const char *path)
{
    struct stat st;
    if (stat(path, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 077)) return;
    if (chmod(path, 0600))
        log_warn("event=db_permissions file=\"%s\" mode=%03o msg=\"readable by others and cannot "
                 "change its permissions: %s\"",
                 path, (unsigned)(st.st_mode & 0777), strerror(errno));
    else
        log_warn("event=db_permissions file=\"%s\" mode=%03o msg=\"was readable by others; "
                 "permissions set to 0600\"",
                 path, (unsigned)(st.st_mode & 0777));
}

/* The database holds password hashes, e-mail addresses and direct messages: only its owner
 * may read it, whatever the umask. SQLite would create a new file 0644 less the umask, and
 * gives its -wal and -shm files the database file's mode; so a new file is made here first,
 * 0600 (an empty file is an empty database), and an existing one (and its -wal and -shm)
 * readable by others is tightened with a warning. */
static int make_owner_only(const char *target, char *err, size_t cap)
{
    if (!*target || !strcmp(target, ":memory:") || !strncmp(target, "file:", 5)) return 0;
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno != EEXIST) {
        snprintf(err, cap, "cannot create %s: %s", target, strerror(errno));
        return -1;
    }
    char side[4096];
    tighten(target);
    if (snprintf(side, sizeof side, "%s-wal", target) < (int)sizeof side) tighten(side);
    if (snprintf(side, sizeof side, "%s-shm", target) < (int)sizeof side) tighten(side);
    return 0;
}

static int sq_open(const char *target, int flags, db **out, char *err, size_t cap)
{
    pthread_once(&configured, configure);
    if (!(flags & DB_READONLY) && make_owner_only(target, err, cap)) return -1;
    sqlite3 *h = NULL;
    int oflags =
        (flags & DB_READONLY) ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    oflags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(target, &h, oflags, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", target, h ? sqlite3_errmsg(h) : "no memory");
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_create_function(h, "sha256_hex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            sha256_hex, NULL, NULL);
    if (register_rank(h)) {
        snprintf(err, cap, "cannot open %s: SQLite has no FTS5 (full-text search)", target);
        sqlite3_close(h);
        return -1;
    }
    /* Reads go through a memory map (the OS page cache, shared by all connections) and keep
     * only a small private page cache; the writer keeps a larger one for its indexes. The map
     * is as large as this SQLite allows (MMAP_MAX: Debian's build clamps it to 2 GiB): a page
     * past the map is read with a system call into the connection's cache, which it first
     * clears (issue 17: at 10k people / 1M posts, a 1.5 GB file, the 1 GiB map of before left
     * a third of the file to that path, ~14% of a home page's instructions). */
#define MMAP_MAX "1099511627776"
    const char *pragmas = (flags & DB_READONLY)
                              ? "PRAGMA cache_size=-4000; PRAGMA mmap_size=" MMAP_MAX ";"
                                "PRAGMA temp_store=MEMORY;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                "PRAGMA cache_size=-8000; PRAGMA mmap_size=" MMAP_MAX ";"
                                "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;"
                                "PRAGMA analysis_limit=" ANALYSIS_LIMIT ";";
    char *msg = NULL;
    if (flags & DB_NO_CHECKPOINT) sqlite3_wal_autocheckpoint(h, 0);
    if (sqlite3_exec(h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "cannot configure %s: %s", target, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        return -1;
    }
    sqlite_db *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->h = h;
    d->writable = !(flags & DB_READONLY);
    d->analyzes = d->writable && !(flags & DB_NO_CHECKPOINT);
    *out = &d->base;
    return 0;
}

static void sq_close(db *d)
{
    if (((sqlite_db *)d)->writable) sqlite3_exec(H(d), "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(H(d));
    free(d);
}

static int sq_exec(db *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(H(d), sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("event=db_error op=exec msg=\"%s\"", msg ? msg : "?");
        sqlite3_free(msg);
        return PL_EDB;
    }
    return PL_OK;
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(H(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("event=db_error op=prepare msg=\"%s\" sql=\"%.120s\"", sqlite3_errmsg(H(d)), sql);
        return NULL;
    }
    sqlite_stmt *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->st = st;
    return &s->base;
}

static void sq_finalize(db_stmt *s)
{
    sqlite3_finalize(ST(s));
    free(s);
}

static void sq_bind_i64(db_stmt *s, int idx, int64_t v)
{
    sqlite3_bind_int64(ST(s), idx, v);
}
static void sq_bind_null(db_stmt *s, int idx)
{
    sqlite3_bind_null(ST(s), idx);
}

static void sq_bind_text(db_stmt *s, int idx, const char *v, int len)
{
    sqlite3_bind_text(ST(s), idx, v, len, SQLITE_TRANSIENT);
}

static int sq_step(db_stmt *s)
{
    int rc = sqlite3_step(ST(s));
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    sqlite3 *h = sqlite3_db_handle(ST(s));
    int primary = sqlite3_extended_errcode(h) & 0xff;
    if (primary == SQLITE_CONSTRAINT) return PL_ECONFLICT;
    log_error("event=db_error op=step msg=\"%s\" sql=\"%.120s\"", sqlite3_errmsg(h), s->sql);
    return primary == SQLITE_FULL ? PL_ENOSPACE : PL_EDB;
}

static int64_t sq_col_i64(db_stmt *s, int col)
{
    return sqlite3_column_int64(ST(s), col);
}
static int sq_col_len(db_stmt *s, int col)
{
    return sqlite3_column_bytes(ST(s), col);
}

static const char *sq_col_text(db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(ST(s), col);
}

static bool sq_col_is_null(db_stmt *s, int col)
{
    return sqlite3_column_type(ST(s), col) == SQLITE_NULL;
}

static void sq_reset(db_stmt *s)
{
    sqlite3_reset(ST(s));
    sqlite3_clear_bindings(ST(s));
}

static int64_t sq_changes(db *d)
{
    return sqlite3_changes(H(d));
}

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int count_rows(void *ud, int n, char **v, char **names)
{
    (void)n, (void)v, (void)names;
    (*(int *)ud)++;
    return 0;
}

static bool has_statistics(sqlite3 *h)
{
    int rows = 0;
    sqlite3_exec(h, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'", count_rows, &rows,
                 NULL);
    return rows > 0;
}

/* The periodic refresh of the statistics (see ANALYSIS_LIMIT); a failure (the writer held
 * the lock past the busy timeout) is tried again at the next checkpoint. */
static void analyze_if_due(sqlite_db *d)
{
    int64_t now = mono_ns();
    if (!d->analyzes || (d->analyzed_ns && now - d->analyzed_ns < ANALYZE_EVERY_NS)) return;
    if (!d->analyzed_ns && has_statistics(d->h)) {
        d->analyzed_ns = now; /* a restart: the hour starts now */
        return;
    }
    char *msg = NULL;
    if (sqlite3_exec(d->h, "ANALYZE", NULL, NULL, &msg) == SQLITE_OK) {
        d->analyzed_ns = now;
        log_info("event=db_analyze ms=%lld", (long long)((mono_ns() - now) / 1000000));
    } else {
        log_error("event=db_error op=analyze msg=\"%s\"", msg ? msg : "?");
    }
    sqlite3_free(msg);
}

static int sq_checkpoint(db *d, bool restart, int *wal_pages)
{
    if (!restart) analyze_if_due((sqlite_db *)d);
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(
        H(d), NULL, restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (wal_pages) *wal_pages = log;
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) return PL_OK; /* busy: try again later */
    log_error("event=db_error op=checkpoint msg=\"%s\"", sqlite3_errmsg(H(d)));
    return PL_EDB;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .col_len = sq_col_len,
    .col_is_null = sq_col_is_null,
    .reset = sq_reset,
    .changes = sq_changes,
    .checkpoint = sq_checkpoint,
    .sql_begin = "BEGIN IMMEDIATE",
    .sql_begin_read = "BEGIN",
    .sql_end_read = "COMMIT",
};
