/**
 * bench.h — bulk-load helpers for `partyline bench-data` only.
 *
 * The benchmark generator writes millions of rows into an empty database; these functions
 * make that fast without changing what ends up in it. Nothing in the server calls them.
 * Kept apart from the capability headers on purpose: they are tools for a throwaway
 * database, not part of the contract the app layer relies on.
 */
#ifndef PL_STORE_BENCH_H
#define PL_STORE_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/**
 * on: settings for a bulk load (SQLite: no fsync, a large page cache). off: back to the
 * driver's defaults, and the write-ahead log checkpointed and truncated so the data folder
 * is compact. A crash during a bulk load may leave a database that must be thrown away.
 * Call outside a transaction. PL_OK or PL_EDB.
 */
int store_bench_bulk_mode(db *d, bool on);

/**
 * Inserts n home-feed rows; rows holds n (account_id, status_id) pairs, best sorted by
 * account then status. Existing rows are left alone (as store_timeline_insert). Runs
 * inside the caller's transaction.
 */
int store_bench_timeline_rows(db *d, const int64_t *rows, int n);

#endif
