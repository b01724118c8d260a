/**
 * copy.h — copies a whole company from one database to another (SQLite → PostgreSQL for
 * `partyline migrate`), table by table, resumable, and verifies the result.
 *
 * Usage (the CLI prints; this module only moves rows):
 *     copier *cp;
 *     if (copy_open(src_path, dst_url, &cp, err, sizeof err)) …
 *     if (copy_prepare_target(cp, src_path, &resuming, err, sizeof err)) …
 *     for (int i = 0; i < copy_table_count(cp); i++) copy_table(cp, i, …);
 *     for (…) copy_table_sum(cp, i, COPY_SOURCE, &sum) / copy_table_sum(cp, i, COPY_TARGET, …);
 *     copy_finish(cp);   // only when every table verified
 *     copy_close(cp);
 */
#ifndef PL_COPY_H
#define PL_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct copier copier;

/** Which side a verification reads. */
enum copy_side { COPY_SOURCE = 0, COPY_TARGET = 1 };

/** What a verification pass saw of one table on one side. */
typedef struct copy_sum {
    int64_t rows;
    uint64_t checksum; /**< order-independent: the sum of a 64-bit hash of every row */
} copy_sum;

/** Called while a table is copied: rows copied so far, and once more with done = true. */
typedef void copy_progress_fn(void *ud, const char *table, int64_t rows, bool done);

/**
 * Opens the source (a SQLite file that must exist) and the target (any db_open target),
 * migrates both schemas to this binary's version, and reads the source's columns.
 * Fails (PL_EINVAL, with a message naming it) if the source has a table this module does not
 * know: a table added by a later migration must be added to copy.c's list, never skipped.
 * The copier owns both connections; copy_close() closes them.
 */
int copy_open(const char *source_path, const char *target, copier **out, char *err, size_t cap);
void copy_close(copier *cp);

/**
 * Refuses a target that holds data (PL_ECONFLICT; err names the first table with rows),
 * unless it holds the progress marks of an earlier run from the same source (then
 * *resuming = true). Otherwise marks the target as being filled from `source_name`.
 */
int copy_prepare_target(copier *cp, const char *source_name, bool *resuming, char *err, size_t cap);

int copy_table_count(const copier *cp);
const char *copy_table_name(const copier *cp, int i);

/**
 * Copies table i in one target transaction: deletes what the target holds of it, inserts
 * every source row in multi-row INSERTs, and records "done" with the row count in the
 * target's meta, all committed together. A table already marked done is skipped
 * (*skipped = true, *rows = the recorded count).
 */
int copy_table(copier *cp, int i, copy_progress_fn *progress, void *ud, int64_t *rows,
               bool *skipped);

/** Reads table i on one side (paged by primary key) and sums the hashes of its rows. */
int copy_table_sum(copier *cp, int i, enum copy_side side, copy_sum *out);

/** Clears table i's "done" mark, so that the next run copies it again (after a mismatch). */
int copy_forget(copier *cp, int i);

/** Removes the progress marks: the target is an ordinary, complete company; then gathers
 *  its planner statistics (ANALYZE). */
int copy_finish(copier *cp);

#endif
