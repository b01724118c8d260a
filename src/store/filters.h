/**
 * store/filters.h — a person's content filters with their keywords and statuses.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_FILTERS_H
#define PL_STORE_FILTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/* Every function taking an owner touches only that owner's rows: another person's filter,
 * keyword or filter status id is PL_ENOTFOUND, as a missing one. */
/** Inserts f (title, context, action, expires_at; its keywords and statuses are added on
 *  their own); PL_ECONFLICT if the id is taken. */
int store_filter_insert(db *d, const pl_filter *f);
/** Updates title, context, action and expires_at of f (which must belong to f->account_id,
 *  else PL_ENOTFOUND). */
int store_filter_update(db *d, const pl_filter *f);
/** Deletes the filter with its keywords and statuses; PL_ENOTFOUND if the owner has none. */
int store_filter_delete(db *d, int64_t owner, int64_t id);
/** One filter with its keywords and statuses, in the arena; PL_ENOTFOUND if the owner has
 *  none such. */
int store_filter_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter *out);
/** Every filter of the owner, oldest first, with keywords and statuses (one query when the
 *  owner has none, three otherwise); in the arena. */
int store_filters_of(db *d, int64_t owner, arena *a, pl_filter **out, int *n);
/** How many filters the owner has. */
int store_filters_count(db *d, int64_t owner, int64_t *n);

/** Adds a keyword to its filter (k->filter_id, k->account_id); PL_ECONFLICT if the id is
 *  taken. */
int store_filter_keyword_insert(db *d, const pl_filter_keyword *k, int64_t now);
/** Updates keyword and whole_word of k (which must belong to k->account_id, else
 *  PL_ENOTFOUND). */
int store_filter_keyword_update(db *d, const pl_filter_keyword *k);
/** Deletes one of the owner's keywords; PL_ENOTFOUND if the owner has none such. */
int store_filter_keyword_delete(db *d, int64_t owner, int64_t id);
/** One of the owner's keywords; PL_ENOTFOUND if the owner has none such. */
int store_filter_keyword_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter_keyword *out);
/** A filter's keywords, oldest first, in the arena. */
int store_filter_keywords(db *d, int64_t filter_id, arena *a, pl_filter_keyword **out, int *n);
/** How many keywords a filter has. */
int store_filter_keywords_count(db *d, int64_t filter_id, int64_t *n);

/** Adds a status to its filter; PL_ECONFLICT if the status is in the filter already. */
int store_filter_status_insert(db *d, const pl_filter_status *fs, int64_t now);
/** Deletes one of the owner's filter statuses; PL_ENOTFOUND if the owner has none such. */
int store_filter_status_delete(db *d, int64_t owner, int64_t id);
/** One of the owner's filter statuses; PL_ENOTFOUND if the owner has none such. */
int store_filter_status_get(db *d, int64_t owner, int64_t id, pl_filter_status *out);
/** A filter's statuses, oldest first, in the arena. */
int store_filter_statuses(db *d, int64_t filter_id, arena *a, pl_filter_status **out, int *n);
/** How many statuses a filter has. */
int store_filter_statuses_count(db *d, int64_t filter_id, int64_t *n);
/** Is the status in the filter? False also on a database error. */
bool store_filter_has_status(db *d, int64_t filter_id, int64_t status_id);

#endif
