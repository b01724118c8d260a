/**
 * store/feed_sources.h — the RSS and Atom feeds the company subscribes to and the items
 * fetched from them (issue 16, listening; the tables are migration 059's, the fetching and
 * parsing src/feeds', the rules app/feed_sources.h's).
 *
 * Functions return PL_OK or a negative PL_E* code (util/err.h); what they return lives in the
 * arena. Writes run inside the caller's transaction if it opened one.
 */
#ifndef PL_STORE_FEED_SOURCES_H
#define PL_STORE_FEED_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** A feed the company subscribes to (a row of feed_sources). */
typedef struct pl_feed_source {
    int64_t id;
    const char *url;
    const char *title; /**< the feed's own title from its last good fetch, "" before */
    int64_t interval_s;
    const char *etag, *last_modified; /**< NULL when the feed gave none */
    const char *state;                /**< "new", "ok" or "failing" */
    const char *last_error;           /**< "" unless failing */
    int failures;                     /**< in a row */
    int64_t next_fetch_at;
    int64_t last_fetch_at, last_success_at; /**< 0: never */
    int64_t created_by, created_at;
    int64_t items; /**< items kept (filled by store_feed_sources and _get only) */
} pl_feed_source;

/** Every source, oldest first, with its count of items. */
int store_feed_sources(db *d, arena *a, pl_feed_source **out, int *n);
/** One source with its count of items; PL_ENOTFOUND if there is none with this id. */
int store_feed_source_get(db *d, int64_t id, arena *a, pl_feed_source *out);
/** Adds s (id, url, interval_s, next_fetch_at, created_by, created_at; state "new").
 *  PL_ECONFLICT when its url is already a source. */
int store_feed_source_insert(db *d, const pl_feed_source *s);
/** Removes a source and its items; PL_ENOTFOUND if there was none. */
int store_feed_source_delete(db *d, int64_t id);
/** At most max sources due at now (next_fetch_at <= now), the longest due first. */
int store_feed_sources_due(db *d, int64_t now, int max, arena *a, pl_feed_source **out, int *n);

/** Takes source id for a fetch, if its next_fetch_at is still seen_next (no other node took
 *  it since it was read), by moving next_fetch_at to until: *got says whether it did. A fetch
 *  that never records (a node that died) is tried again from until. */
int store_feed_source_claim(db *d, int64_t id, int64_t seen_next, int64_t until, bool *got);

/** How a fetch of a source went, to be recorded on its row. */
typedef struct pl_feed_fetch {
    int64_t source_id;
    bool is_ok;                       /**< fetched or not modified */
    const char *title;                /**< ok and parsed: the feed's title (NULL: keep) */
    const char *etag, *last_modified; /**< ok: the validators to send next (NULL: none) */
    const char *error;                /**< failed: the line for the row */
    int failures;                     /**< in a row, after this fetch */
    int64_t at, next_fetch_at;
} pl_feed_fetch;

/** Records a fetch on its source (PL_ENOTFOUND if the source was removed meanwhile). */
int store_feed_source_record(db *d, const pl_feed_fetch *f);

/** An item of a feed (a row of feed_items). */
typedef struct pl_feed_item {
    int64_t id, source_id;
    const char *key, *link, *title, *author; /**< link, title, author may be NULL */
    int64_t published_at;                    /**< 0: the item has no date */
    const char *text;
    int64_t fetched_at;
} pl_feed_item;

/** Keeps an item unless its source already has one with its key: *is_new says which. */
int store_feed_item_put(db *d, const pl_feed_item *it, bool *is_new);
/** A source's items newest first (by id), those with id < before (0: from the newest), at most
 *  max. */
int store_feed_items(db *d, int64_t source_id, int64_t before, int max, arena *a,
                     pl_feed_item **out, int *n);

#endif
