/**
 * app/feed_sources.h — the RSS and Atom feeds the company subscribes to, for listening
 * (issue 16): administrators add and remove them; each is fetched politely and its items are
 * kept once (src/feeds fetches, parses and schedules; store/feed_sources.h keeps).
 *
 * Reading, adding and removing are for administrators only (viewer NULL: the command line);
 * adding and removing are audited (feed.add, feed.remove). A feed's items are what anyone on
 * the internet may read, so they carry no audience of their own: who sees a watch's matches
 * among them is the watches' rule.
 */
#ifndef PL_APP_FEED_SOURCES_H
#define PL_APP_FEED_SOURCES_H

#include "app/app.h"
#include "feeds/feeds.h"
#include "store/feed_sources.h"

/** A source's URL: http:// or https://, at most this many bytes, no space or control
 *  character; the company subscribes to at most FEED_SOURCES_MAX feeds. */
enum { FEED_URL_MAX = 2048, FEED_SOURCES_MAX = 1000 };

/** Every source, oldest first, with its state and count of items (administrators only). */
int feed_sources_list(app_ctx *c, const pl_account *viewer, pl_feed_source **out, int *n);

/**
 * Adds a feed at url, fetched every interval_s seconds (0: FEEDS_INTERVAL_DEFAULT_S; otherwise
 * FEEDS_INTERVAL_MIN_S to FEEDS_INTERVAL_MAX_S), due at once. 422 (PL_EINVAL, with the field)
 * for a URL that is not http or https or an interval out of bounds, or a URL already a source
 * (the message names its id). Audited: feed.add.
 */
int feed_sources_add(app_ctx *c, const pl_account *viewer, const char *url, int64_t interval_s,
                     pl_feed_source *out);

/** Removes source id and its items; PL_ENOTFOUND if there is none. Audited: feed.remove. */
int feed_sources_remove(app_ctx *c, const pl_account *viewer, int64_t id);

/** What one refresh did. */
typedef struct feed_refresh {
    feeds_outcome outcome;
    int items_new;   /**< items kept for the first time */
    int items_seen;  /**< items in the document (after the parser's cap) */
    char error[256]; /**< the line recorded on the source, "" when it went well */
} feed_refresh;

/**
 * Fetches source s now (blocking, up to limits' total timeout: never on an event loop or the
 * writer), outside any transaction; then, in one transaction of its own, keeps its new items
 * and records how it went and when it is due next (feeds_next_fetch). A fetch or parse failure
 * is recorded on the source's row and is not an error here: PL_OK unless the database failed.
 * c must own its transactions. limits NULL: the defaults.
 */
int feed_sources_refresh(app_ctx *c, const pl_feed_source *s, const feeds_limits *limits,
                         feed_refresh *out);

/**
 * One look of the polling thread: the feeds due at c->now (at most FEED_POLL_BATCH), each
 * taken first (store_feed_source_claim, in a transaction of its own, so that of several nodes
 * one fetches it) and then refreshed, until limits->is_stopping says stop. *fetched counts the
 * feeds refreshed. PL_OK unless the database failed. c must own its transactions.
 */
int feed_sources_poll(app_ctx *c, const feeds_limits *limits, int *fetched);

/** Feeds taken at one look of the poller; how long a taken feed waits for its fetch before
 *  another node may take it (longer than any fetch). */
enum { FEED_POLL_BATCH = 20, FEED_CLAIM_MS = 5 * 60 * 1000 };

#endif
