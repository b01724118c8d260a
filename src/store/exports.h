/**
 * store/exports.h — the rows of archives and exports (table archives, migration 055): a
 * person's own archive and an administrator's compliance export, their state while the
 * background builds them, the file that holds the zip and when it expires; and the scan of
 * posts by time that a compliance export reads. Who may ask for or read one is
 * app/exports.c's.
 *
 * Functions return PL_OK or a negative PL_E* code; what they return lives in the arena.
 */
#ifndef PL_STORE_EXPORTS_H
#define PL_STORE_EXPORTS_H

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

enum pl_export_kind { EXPORT_PERSONAL = 0, EXPORT_COMPLIANCE = 1 };
enum pl_export_state {
    EXPORT_WAITING = 0,
    EXPORT_BUILDING = 1,
    EXPORT_READY = 2,
    EXPORT_FAILED = 3,
    EXPORT_EXPIRED = 4,
};

/** One row. A compliance export's query: since_at..until_at (ms, inclusive), accounts and
 *  channels as space-separated ids ("" = any), words ("" = any). */
typedef struct pl_export {
    int64_t id, account_id; /**< account_id: the person, or the administrator who asked */
    int kind, state;
    int64_t since_at, until_at;
    const char *accounts, *channels, *words;
    int64_t file_id, size, posts_count, direct_count, files_count;
    const char *error; /**< a failed build's reason, or NULL */
    int64_t lease_until, created_at, finished_at, expires_at;
} pl_export;

/** Inserts a new row (state, query and created_at as given). PL_ECONFLICT when it is a
 *  personal archive and the person has one waiting or being built. */
int store_export_insert(db *d, const pl_export *x);
/** The row id; PL_ENOTFOUND if none. */
int store_export_get(db *d, int64_t id, arena *a, pl_export *out);
/** The rows of one kind asked by account_id (0: by anyone), newest first, at most limit. */
int store_exports_of(db *d, int64_t account_id, int kind, int limit, arena *a, pl_export **out,
                     int *n);
/** The oldest row to build: waiting, or being built under a lease that ran out before now
 *  (its node stopped). PL_ENOTFOUND if none. */
int store_export_next(db *d, int64_t now, int64_t *id);
/** Takes row id for building until lease_until, if it is still to build at now: PL_OK, or
 *  PL_ENOTFOUND when another took it first. */
int store_export_claim(db *d, int64_t id, int64_t now, int64_t lease_until);
/** Marks row x->id ready with its file and counts, if it is still being built under the lease
 *  x->lease_until (PL_ENOTFOUND otherwise: another node took it over). */
int store_export_finish(db *d, const pl_export *x);
/** Gives row id back to be built again (its builder stopped), if it still holds lease. */
int store_export_release(db *d, int64_t id, int64_t lease);
/** Marks row id failed with a reason. */
int store_export_fail(db *d, int64_t id, const char *error, int64_t now);
/** Ids of ready rows whose expires_at is before now, at most max. */
int store_exports_expired(db *d, int64_t now, int max, arena *a, int64_t **ids, int *n);
/** Marks row id expired (its file is gone): PL_ENOTFOUND unless it was ready. */
int store_export_expire(db *d, int64_t id);

/** Deletes row id (its file is the caller's to delete first). */
int store_export_delete(db *d, int64_t id);

/** Ids of posts (not boosts) with above < id < below, oldest first, at most limit: the
 *  compliance export's scan of a time range, on the primary key. */
int store_export_statuses(db *d, int64_t above, int64_t below, int limit, arena *a, int64_t **ids,
                          int *n);

#endif
