/*
 * bench.c — bulk-load helpers for the benchmark generator (see bench.h).
 *
 * Home-feed rows are the bulk of a generated database (10k people × 800 entries), so they
 * go in 256 rows per statement: one statement step instead of 256 cuts the per-row
 * overhead of the virtual machine, bindings and resets roughly in half. The SQL is one
 * literal built by the preprocessor, so the driver's statement cache keys it like any
 * other. The bulk mode is SQLite's (see bench.h); other drivers only ANALYZE at its end.
 */
#include "store/bench.h"

#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/timeline.h"

enum { ROWS_PER_INSERT = 256 };

#define V1 "(?, ?)"
#define V2 V1 ", " V1
#define V4 V2 ", " V2
#define V8 V4 ", " V4
#define V16 V8 ", " V8
#define V32 V16 ", " V16
#define V64 V32 ", " V32
#define V128 V64 ", " V64
#define V256 V128 ", " V128

/* The indexes and the trigger a bulk load defers: every index an ordinary CREATE INDEX made on
 * the big tables (their primary keys and UNIQUE constraints stay: the generator writes most of
 * them in key order — favourites and mentions in time order, into a 1 GiB cache — and ON
 * CONFLICT needs them), and the trigger that feeds the full-text index one
 * post at a time. Their SQL is kept in a TEMP table, on this connection, until the load ends. */
#define DEFERRED                                                                                   \
    "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' AND "    \
    "tbl_name IN ('follows', 'statuses', 'status_tags', 'status_mentions', 'favourites', "         \
    "'timeline')) OR (type = 'trigger' AND "                                                       \
    "name = 'statuses_fts_insert'))"

/* Runs the script one query builds (one text: the statements joined by "; "), after the
 * query is done (SQLite refuses to drop an index while a statement reads). */
static int run_script(db *d, const char *query)
{
    PREPARE(s, d, query);
    int rc = db_step(s);
    char *script = NULL;
    if (rc == DB_ROW && !db_col_is_null(s, 0)) script = strdup(db_col_text(s, 0));
    db_reset(s);
    if (rc != DB_ROW) return rc == DB_DONE ? PL_EINTERNAL : rc;
    if (!script) return PL_OK; /* nothing to run */
    rc = db_exec(d, script);
    free(script);
    return rc;
}

static int sqlite_bulk_on(db *d)
{
    /* no rollback journal, no fsync: a failed load is thrown away, not repaired. Sorts that
     * outgrow the cache spill to temporary files: with temp_store=MEMORY (the driver's) they
     * spill to SQLite's in-memory journal, a chain of small chunks that every out-of-order
     * read walks from its start, and building timeline_status at 100k people (80M rows)
     * never finished. */
    int rc = db_exec(d, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                        "PRAGMA cache_size=-1048576; PRAGMA temp_store=FILE; "
                        "DROP TABLE IF EXISTS temp.bench_deferred; "
                        "CREATE TEMP TABLE bench_deferred AS " DEFERRED ";");
    if (rc) return rc;
    return run_script(d, "SELECT group_concat('DROP ' || type || ' \"' || name || '\"', '; ') "
                         "FROM temp.bench_deferred");
}

static int sqlite_bulk_off(db *d)
{
    /* the full-text index in one pass over the posts in id order (what the trigger of
     * migration 015 would have written post by post), then the indexes, each built by one
     * sort instead of millions of random inserts, then the trigger */
    int rc = db_exec(d, "BEGIN; INSERT INTO statuses_fts (rowid, text, spoiler_text) "
                        "SELECT id, text, spoiler_text FROM statuses WHERE reblog_of_id IS NULL; "
                        "COMMIT;");
    if (!rc) rc = db_exec(d, "BEGIN");
    if (!rc)
        rc = run_script(d, "SELECT group_concat(sql, '; ') FROM (SELECT sql FROM "
                           "temp.bench_deferred ORDER BY type = 'trigger', name)");
    if (!rc) rc = db_exec(d, "COMMIT; DROP TABLE temp.bench_deferred;");
    /* back to what the driver opens with (sqlite.c), with statistics for the planner */
    if (!rc)
        rc = db_exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA cache_size=-8000; PRAGMA temp_store=MEMORY; ANALYZE; "
                        "PRAGMA optimize; "
                        "PRAGMA wal_checkpoint(TRUNCATE);");
    return rc;
}

int store_bench_bulk_mode(db *d, bool on)
{
    /* leaving it, the company gets its planner statistics, as a server gathers them (sqlite.c)
     * or `partyline migrate` does on PostgreSQL */
    if (strcmp(db_driver_name(d), "sqlite")) return on ? PL_OK : db_exec(d, "ANALYZE");
    return on ? sqlite_bulk_on(d) : sqlite_bulk_off(d);
}

int store_bench_timeline_rows(db *d, const int64_t *rows, int n)
{
    int done = 0;
    while (n - done >= ROWS_PER_INSERT) {
        PREPARE(s, d,
                "INSERT INTO timeline (account_id, status_id) VALUES " V256
                " ON CONFLICT DO NOTHING");
        for (int i = 0; i < 2 * ROWS_PER_INSERT; i++) db_bind_i64(s, i + 1, rows[2 * done + i]);
        int rc = db_step_done(s);
        if (rc) return rc;
        done += ROWS_PER_INSERT;
    }
    for (; done < n; done++) {
        int rc = store_timeline_insert(d, rows[2 * done], rows[2 * done + 1]);
        if (rc) return rc;
    }
    return PL_OK;
}
