/**
 * store/query.h — the query kit the store's files share, and the two things of it the app
 * layer also uses (STORE_BATCH, pl_idlist_reverse).
 *
 * Everything below the "store only" banner is for the store's own .c files: reading a column into
 * the arena, preparing and stepping a statement, the paging tail of a query, binding a batch of
 * ids, and the few helpers (store_paged, store_ask2, …) that turn a prepared query into a page,
 * an answer or a list. They are not a contract for the layers above, which call the
 * capability headers (store/posts.h, store/graph.h, …). Functions return PL_OK or a negative
 * PL_E* code (util/err.h); what they return lives in the arena `a`.
 */
#ifndef PL_STORE_QUERY_H
#define PL_STORE_QUERY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"
#include "util/err.h"

/** Rows read by one "… WHERE id IN (…)" (a page of statuses or their authors at once): the
 *  most ids the batch functions of the store take in one call. */
enum { STORE_BATCH = 40 };

/** Reverses a list in place (ids and keys together). */
void pl_idlist_reverse(pl_idlist *l);

/* ---- store only ---------------------------------------------------------------------- */

/** Copies a text column into the arena; NULL stays NULL. */
static inline const char *col_str(db_stmt *s, int col, arena *a)
{
    const char *t = db_col_text(s, col);
    return t ? arena_strndup(a, t, (size_t)db_col_len(s, col)) : NULL;
}

/** Paging tail of a query: key range and order, then the limit (see store_paged). */
#define PAGE_DESC(key) " AND " key " < ? AND " key " > ? ORDER BY " key " DESC LIMIT ?"
#define PAGE_ASC(key) " AND " key " < ? AND " key " > ? ORDER BY " key " ASC LIMIT ?"

/* STORE_BATCH placeholders for "id IN (" IN_BATCH ")": one statement text for any count;
 * the unused ones are bound to 0, which no row has. */
#define IN_10 "?,?,?,?,?,?,?,?,?,?"
#define IN_BATCH IN_10 "," IN_10 "," IN_10 "," IN_10

/* The same STORE_BATCH keys as a table k(key), for PostgreSQL: a LATERAL join with it descends
 * an index once per key, where its planner answers "x IN (…) ORDER BY id DESC LIMIT n" by
 * walking the whole table's key back and testing each row's x (store_window_ids). */
#define KEYS_10 "(?),(?),(?),(?),(?),(?),(?),(?),(?),(?)"
#define KEYS_TABLE                                                                                 \
    "(VALUES (CAST(? AS bigint)),(?),(?),(?),(?),(?),(?),(?),(?),(?)," KEYS_10 "," KEYS_10         \
    "," KEYS_10 ") k(key)"

/** Is d PostgreSQL (for the few statements written twice, one per database)? */
static inline bool store_is_postgres(db *d)
{
    return !strcmp(db_driver_name(d), "postgres");
}

/** Binds ids[0..n) to parameters first..first+STORE_BATCH-1, 0 for the rest. */
static inline void bind_batch(db_stmt *s, int first, const int64_t *ids, int n)
{
    for (int i = 0; i < STORE_BATCH; i++) db_bind_i64(s, first + i, i < n ? ids[i] : 0);
}

/** Declares `var`, the prepared statement of sql; returns PL_EDB from the caller if it fails. */
#define PREPARE(var, d, sql)                                                                       \
    db_stmt *var = db_prepare((d), (sql));                                                         \
    if (!var) return PL_EDB

/** Steps a statement expected to return one row: PL_OK (row ready; the caller resets it),
 *  PL_ENOTFOUND or the database's error (reset). */
static inline int step_one(db_stmt *s)
{
    int rc = db_step(s);
    if (rc == DB_ROW) return PL_OK;
    db_reset(s);
    return rc == DB_DONE ? PL_ENOTFOUND : rc;
}

/**
 * Runs a paged query. desc_sql and asc_sql select (id, key) and end with
 * "key < ? AND key > ? ORDER BY key DESC|ASC LIMIT ?"; their leading parameters are bound
 * from args (the text targ first if not NULL, then nargs int64s). The page's bounds come from
 * p (min_id without since_id reads upwards, then reverses). The result is newest first, ids and
 * keys in the arena; a database error is returned unless the page was filled first.
 */
int store_paged(db *d, const char *desc_sql, const char *asc_sql, const int64_t *args, int nargs,
                const char *targ, const pl_page *p, arena *a, pl_idlist *out);

/**
 * Runs sql — "… IN (" IN_BATCH ") AND id > ? AND id < ? ORDER BY id DESC LIMIT ?", selecting
 * one id column — with keys[0..n) (n <= STORE_BATCH, else PL_EINTERNAL), the bounds (below 0:
 * none) and limit, into out (newest first; keys are the ids). The merge-on-read windows of
 * posts.c and channels.c.
 */
int store_window_ids(db *d, const char *sql, const int64_t *keys, int n, int64_t above,
                     int64_t below, int limit, arena *a, pl_idlist *out);
/** store_window_ids with text keys (the places left over are bound to '', which must match
 *  nothing): the window of followed tags (tags.c). */
int store_window_texts(db *d, const char *sql, const char *const *keys, int n, int64_t above,
                       int64_t below, int limit, arena *a, pl_idlist *out);

/** Does the query (two int64 parameters) return a row? PL_OK with the answer in *yes, or the
 *  database's error (then *yes is false). */
int store_ask2(db *d, const char *sql, int64_t a, int64_t b, bool *yes);

/** True if the query (two int64 parameters) returns a row; false also on a database error, so
 *  only for questions whose "no" is the safe answer (a follow, a membership): a question whose
 *  "yes" restricts (a block) uses store_ask2 and treats an error as yes. */
bool store_exists2(db *d, const char *sql, int64_t a, int64_t b);

/** Reads (kind 0..PL_IDSETS-1, id) rows of a statement ready to step into the id lists of out,
 *  each sorted ascending (rows of another kind are skipped); resets the statement. */
int store_collect_idsets(db_stmt *s, arena *a, pl_idsets *out);

/** Reads a list of int64 from column 0 of a statement ready to step, in row order; resets the
 *  statement. */
int store_collect_ids(db_stmt *s, arena *a, int64_t **ids, int *n);

/** Appends the text of column 0 of a statement ready to step, in row order, to the list *v of
 *  *n strings with room for *cap (all three 0/NULL to start one); resets the statement. */
int store_append_strs(db_stmt *s, arena *a, const char ***v, int *n, int *cap);

#endif
