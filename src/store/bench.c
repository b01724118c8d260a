/*
 * bench.c — bulk-load helpers for the benchmark generator (see bench.h).
 *
 * Home-feed rows are the bulk of a generated database (10k people × 800 entries), so they
 * go in 256 rows per statement: one statement step instead of 256 cuts the per-row
 * overhead of the virtual machine, bindings and resets roughly in half. The SQL is one
 * literal built by the preprocessor, so the driver's statement cache keys it like any
 * other. The PRAGMAs are SQLite's; other drivers ignore the bulk mode.
 */
#include "store/bench.h"

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

int store_bench_bulk_mode(db *d, bool on)
{
    /* leaving it, the company gets its planner statistics, as a server gathers them (sqlite.c)
     * or `partyline migrate` does on PostgreSQL */
    if (strcmp(db_driver_name(d), "sqlite")) return on ? PL_OK : db_exec(d, "ANALYZE");
    if (on) return db_exec(d, "PRAGMA synchronous=OFF; PRAGMA cache_size=-524288;");
    return db_exec(d, "ANALYZE; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000; "
                      "PRAGMA wal_checkpoint(TRUNCATE);");
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
