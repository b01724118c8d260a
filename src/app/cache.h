/**
 * cache.h — a per-thread cache of status and account records and of opaque bytes attached
 * to them (the API layer keeps their rendered JSON there).
 *
 * One cache belongs to one event-loop thread and is used only by it. It is kept correct by
 * the changelog: every change to a status or account row is published after its commit,
 * and the owning thread applies what was published (cache_sync) before each read request,
 * before it opens its read transaction. Within a request nothing is freed, so pointers
 * handed out stay valid until the request ends; when the cache is full, new records are
 * simply not kept until the next sync empties it.
 */
#ifndef PL_CACHE_H
#define PL_CACHE_H

#include <stddef.h>

#include "store/model.h"
#include "util/changelog.h"

typedef struct entity_cache entity_cache;

/** A cache holding at most `max_entries` statuses and as many accounts. */
entity_cache *cache_new(int max_entries);
void cache_free(entity_cache *c);

/** Applies changes published since the last sync (call between requests). */
void cache_sync(entity_cache *c, changelog *cl);

/** Cached records (NULL if absent). The strings point into the cache. */
const pl_status *cache_status(entity_cache *c, int64_t id);
const pl_account *cache_account(entity_cache *c, int64_t id);
/** Keeps a deep copy (fields of accounts are not kept). */
void cache_put_status(entity_cache *c, const pl_status *s);
void cache_put_account(entity_cache *c, const pl_account *a);

/** The company's merge candidates (store_merge_candidates) kept beside the records: dropped
 *  whenever any account changes (a candidate is an account's flags and last post) or the cache
 *  is emptied. NULL when none are kept. */
const pl_merge_candidate *cache_merge_candidates(entity_cache *c, int *n);
/** Keeps a copy of them (until the next change of an account). */
void cache_put_merge_candidates(entity_cache *c, const pl_merge_candidate *v, int n);

enum cache_blob_kind { BLOB_STATUS = 1, BLOB_ACCOUNT = 2 };
/** Bytes attached to a cached record (NULL if none or the record is not cached). */
const char *cache_blob(entity_cache *c, int kind, int64_t id, size_t *len);
/** Attaches a copy of bytes to a cached record (ignored if the record is not cached). */
void cache_put_blob(entity_cache *c, int kind, int64_t id, const char *bytes, size_t len);

#endif
