/**
 * bench.h — bulk-load helpers for `partyline bench-data` only.
 *
 * The benchmark generator writes millions of rows into an empty database; these functions
 * make that fast without changing what ends up in it (tests/unit/test_bench.c checks the schema
 * comes back as migrated). Nothing in the server calls them.
 * Kept apart from the capability headers on purpose: they are tools for a throwaway
 * database, not part of the contract the app layer relies on.
 */
#ifndef PL_STORE_BENCH_H
#define PL_STORE_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/**
 * on: settings for a bulk load into an EMPTY database. SQLite: no rollback journal, no fsync,
 * a 1 GiB page cache, sorts spilling to temporary files (TMPDIR), and the secondary indexes of
 * follows, statuses, status_tags, status_mentions, favourites and timeline dropped with the trigger
 * that feeds the full-text index (their SQL kept in a TEMP table of this connection): the load then
 * writes only primary keys, most in key order, and each index is built once by a sort.
 * off: the full-text index filled from the posts in one pass, the indexes and the trigger created
 * again exactly as the migrations wrote them, the write-ahead log and the driver's settings back,
 * ANALYZE and PRAGMA optimize for the planner. Other drivers: off runs ANALYZE. Call each outside a
 * transaction, on and off on the same connection. A failure or crash in between leaves a database
 * that must be thrown away. PL_OK or PL_EDB.
 */
int store_bench_bulk_mode(db *d, bool on);

/**
 * Inserts n home-feed rows; rows holds n (account_id, status_id) pairs, best sorted by
 * account then status. Existing rows are left alone (as store_timeline_insert). Runs
 * inside the caller's transaction.
 */
int store_bench_timeline_rows(db *d, const int64_t *rows, int n);

#endif
