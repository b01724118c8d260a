/**
 * app/listening.h — listening's watches (issue 16, C12; docs/api.md "Listening"): a person's
 * watch queries, what they matched among the company's posts and the feeds' items, and the
 * matcher that follows new posts and items in the background.
 *
 * Anyone may own watches, and a watch only ever holds what its owner may see: a post is kept
 * as a match only if audience_can_see(owner, post) when it is matched, and it is asked again
 * when the matches are read (a post deleted or narrowed since disappears). Feed items are
 * public (app/feed_sources.h) and match for everyone. Another person's watch is not found
 * (PL_ENOTFOUND), as a post one may not see.
 *
 * Matching: every watch of the company is compiled into ONE watchq_set (listen/watchq.h),
 * kept here and rebuilt when listen_state's version moved (each change of a watch moves it,
 * on any node); a new post is matched against all of them in one pass over its words.
 */
#ifndef PL_APP_LISTENING_H
#define PL_APP_LISTENING_H

#include "app/app.h"
#include "listen/watchq.h"
#include "store/watches.h"

enum {
    WATCHES_PER_PERSON = 50,     /**< watches one person may own */
    WATCHES_IN_COMPANY = 1000,   /**< watches in the company */
    WATCH_TITLE_MAX = 100,       /**< characters of a title */
    LISTEN_PREVIEW_POSTS = 1000, /**< the newest posts a preview looks through */
    LISTEN_PREVIEW_MAX = 20,     /**< the matches a preview shows at most */
    LISTEN_BATCH = 200,          /**< posts (and feed items) matched per transaction */
};

/**
 * Creates a watch of viewer: title (1–WATCH_TITLE_MAX characters), query (watchq's language),
 * channel_id (0: none; the viewer must be able to post there). PL_EINVAL with the field for a
 * bad title or channel; a query that does not parse is PL_EINVAL with *qerr filled (position
 * and reason) and c->errfield "query"; PL_ELIMIT past WATCHES_PER_PERSON or
 * WATCHES_IN_COMPANY.
 */
int watches_create(app_ctx *c, int64_t viewer, const char *title, const char *query,
                   int64_t channel_id, pl_watch *out, watchq_error *qerr);

/** What PATCH changes: NULL (and has_channel false) leaves a field as it is. */
typedef struct watches_change {
    const char *title, *query;
    bool has_channel;
    int64_t channel_id; /**< 0: none */
} watches_change;

/** Changes viewer's watch id as watches_create checks; PL_ENOTFOUND for another's. */
int watches_update(app_ctx *c, int64_t viewer, int64_t id, const watches_change *ch, pl_watch *out,
                   watchq_error *qerr);
/** Removes viewer's watch id with what it matched; PL_ENOTFOUND for another's. */
int watches_delete(app_ctx *c, int64_t viewer, int64_t id);
/** Viewer's watch id with its counts; PL_ENOTFOUND for another's. */
int watches_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch *out);
/** Viewer's watches, newest first (at most WATCHES_PER_PERSON). */
int watches_list(app_ctx *c, int64_t viewer, pl_watch **out, int *n);

/**
 * A page of the posts viewer's watch id matched, newest first: *page the page as stored (for
 * the Link header), *shown those of it the viewer may still see (deleted posts and those whose
 * audience no longer holds the viewer are left out).
 */
int watches_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                    int64_t **shown, int *n_shown);

/** A feed item a watch matched, with its source's title. */
typedef struct watch_feed_match {
    pl_feed_item item;
    const char *source; /**< the feed's title, or its URL when it has none */
} watch_feed_match;

/** A page of the feed items viewer's watch id matched, newest first. */
int watches_feed_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                         watch_feed_match **out, int *n);

/**
 * The live preview: parses query (PL_EINVAL with *qerr when it does not parse) and finds,
 * among the newest LISTEN_PREVIEW_POSTS posts, those viewer may see that it matches, newest
 * first, at most LISTEN_PREVIEW_MAX. *looked says how many posts were looked through.
 */
int watches_preview(app_ctx *c, int64_t viewer, const char *query, watchq_error *qerr,
                    int64_t **ids, int *n, int *looked);

/** Ids done above a cursor (see listen_worker). */
typedef struct listen_done {
    int64_t *ids;
    int n, cap;
} listen_done;

/** The matcher's memory between two steps (the background thread's own; see listen_step). */
typedef struct listen_worker {
    const char *holder; /**< who holds the lease: "node N pid P" */
    /** posts and feed items matched above their cursors: ids are taken before their
     *  transaction commits, so the last seconds are read again and those done skipped */
    listen_done posts, items;
    int64_t lease_until; /**< when the lease this worker holds ends (0: none held) */
} listen_worker;

/** Frees the worker's memory. */
void listen_worker_free(listen_worker *w);

/** What one step did. */
typedef struct listen_summary {
    int posts, items; /**< looked at */
    int matches;      /**< matches kept */
    bool more;        /**< a batch was full: step again at once */
    int alerts;       /**< alerts that fired (a bucket closed) */
    bool not_leader;  /**< another node holds the lease */
} listen_summary;

/**
 * One step of the matcher (c owns its transactions): takes the lease, rebuilds the compiled
 * set if the watches changed, matches up to LISTEN_BATCH new posts and feed items past the
 * cursor against every watch at once, keeps the matches their owners may see (with their
 * tone) and counts them per 5-minute bucket, and moves the cursor, in one transaction.
 */
int listen_step(app_ctx *c, listen_worker *w, listen_summary *out);

/**
 * Hands every closed 5-minute bucket up to and including `through` to each watch's spike state
 * (listen/spike.h; a new watch starts at the bucket it was made in), in one transaction of its
 * own (c owns its transactions). Each alert that fires is kept (its numbers and the 15
 * minutes' window), told to the owner (a partyline.alert notification) and, if the watch has
 * a channel the owner may still post in, posted there by the owner with the numbers and a
 * link. *alerts counts them. The matcher calls it when a bucket has closed; the command line
 * (`partyline admin listen close --now`) too.
 */
int listen_close_buckets(app_ctx *c, int64_t through, int *alerts);

/** The bucket that holds time ms (the company's 5-minute buckets). */
int64_t listen_bucket_of(int64_t ms);

/**
 * Lets viewer's watch id learn from the last `days` days (1–SPIKE_DAYS): matches it against
 * the posts of those days (those its owner may see, as new posts are) and starts its spike
 * state there, fed at once up to the last closed bucket, so that it may alert without waiting
 * a week. *matched counts the matches kept, *alerts the alerts that fired (told as the
 * matcher's are). c owns its transactions (the command line).
 */
int listen_backfill(app_ctx *c, int64_t id, int days, int *matched, int *alerts);

/** An alert of viewer's with its watch; PL_ENOTFOUND for another's. */
int listen_alert_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch_alert *out, pl_watch *w);
/** A page of viewer's alerts (of watch_id, 0: of every watch), newest first. */
int listen_alerts(app_ctx *c, int64_t viewer, int64_t watch_id, const pl_page *p, pl_idlist *out);
/** The posts of an alert's 15 minutes that viewer may see, newest first (at most max). */
int listen_alert_posts(app_ctx *c, int64_t viewer, const pl_watch_alert *al, int max, int64_t **ids,
                       int *n);
/** The one-paragraph summary of an alert (its channel post's and its ticket's text). */
const char *listen_alert_summary(app_ctx *c, const pl_watch_alert *al, const pl_watch *w);
/** Opens a ticket from viewer's alert (tickets_open_form: a post by viewer with the alert's
 *  summary) and records it on the alert. PL_ENOTFOUND for another's alert; PL_EINVAL when the
 *  alert has a ticket already (the message names it). */
int listen_alert_ticket(app_ctx *c, int64_t viewer, int64_t alert_id, int64_t app_id,
                        int64_t *ticket_id);

/** The dashboard of a watch over one period (1, 7 or 30 days) and the one before. */
typedef struct listen_dashboard {
    int64_t from, to; /**< the period (ms) */
    bool hourly;      /**< the volume's step: a UTC hour (1 day), else a UTC day */
    int n_steps;      /**< volume[0..n_steps): matches per step, oldest first */
    int64_t *volume;
    int64_t *volume_at;        /**< where each step begins: from, then the hours' or days' starts */
    pl_watch_sums now, before; /**< counts by tone, this period and the one before */
    int64_t *top_posts;        /**< the most engaged matches the owner may see, at most 5 */
    int n_top_posts;
    int64_t *authors, *author_counts; /**< top authors (at most 10) and their matches */
    int n_authors;
} listen_dashboard;

/**
 * Viewer's watch id over the `days` days to c->now (1, 7 or 30; PL_EINVAL otherwise): the
 * matches by tone of the period and of the one before, exact, from the watch's counts per UTC
 * day less their first days' parts before them (from the counts per 5-minute bucket of the
 * nearer half of each such day and the matches of one bucket); the volume per UTC hour (1 day,
 * from its buckets) or day, clipped to the period, adding up to the period's matches; top
 * authors from its kept tops per author and day; top posts by engagement among its days' kept
 * tops, then its newest matches, that viewer may still see. What is read is bounded by the
 * period (at most 61 days' rows and a day's buckets), whatever it or the company holds.
 * PL_ENOTFOUND for another's watch.
 */
int listen_dashboard_of(app_ctx *c, int64_t viewer, int64_t id, int days, listen_dashboard *out);

/** Releases the compiled set (at the end of the process). */
void listen_shutdown(void);

#endif
