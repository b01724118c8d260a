/**
 * store/watches.h — listening's watches (issue 16, C12; migration 060): a person's watch
 * queries, the posts and feed items each matched, counts per 5-minute bucket, volume alerts,
 * and the matcher's cursor and lease (table listen_state); the running counts that let a
 * watch's reads not grow with its matches (migration 061): counts on the watch, tones in its
 * buckets, matches per author and day — each moved by the write of the rows it counts.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (app/listening.c does, with app/audience.c).
 */
#ifndef PL_STORE_WATCHES_H
#define PL_STORE_WATCHES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/feed_sources.h"
#include "store/model.h"
#include "util/arena.h"

/** A watch (a row of watches). channel_id 0: none. */
typedef struct pl_watch {
    int64_t id, account_id;
    const char *title, *query;
    int64_t channel_id;
    int64_t created_at, updated_at;
    const char *spike;    /**< spike_encode's blob in hex, "" before the first bucket */
    int64_t spike_bucket; /**< the last bucket fed to the spike state, -1: none */
    int64_t matches, feed_matches, alerts; /**< the running counts (migration 061) */
} pl_watch;

/** Writes a new watch (every field but the counts) and moves listen_state's version. */
int store_watch_insert(db *d, const pl_watch *w);
/** Writes title, query, channel_id and updated_at of w->id when its owner is w->account_id,
 *  and moves the version. PL_ENOTFOUND if no such watch is the owner's. */
int store_watch_update(db *d, const pl_watch *w);
/** Removes watch id of owner with its matches, buckets, authors and alerts (and so its counts);
 *  moves the version.
 *  PL_ENOTFOUND if there is none. */
int store_watch_delete(db *d, int64_t id, int64_t owner);
/** One watch with its counts. PL_ENOTFOUND if there is none. */
int store_watch_get(db *d, int64_t id, arena *a, pl_watch *out);
/** The owner's watches with their counts, newest first. */
int store_watches_of(db *d, int64_t owner, arena *a, pl_watch **out, int *n);
/** How many watches owner has (0: in the company). */
int store_watches_count(db *d, int64_t owner, int64_t *n);
/** Every watch, by id. */
int store_watches_all(db *d, arena *a, pl_watch **out, int *n);
/** Writes a watch's spike state and its last bucket. */
int store_watch_spike_set(db *d, int64_t id, const char *spike, int64_t bucket);

/** The matcher's row: cursors over statuses and feed items, and the watches' version. */
typedef struct pl_listen_state {
    int64_t status_cursor, item_cursor, version;
    int64_t closed_bucket; /**< the last bucket handed to every watch's spike state (-1: none) */
} pl_listen_state;

int store_listen_state(db *d, pl_listen_state *out);
int store_listen_cursors_set(db *d, int64_t status_cursor, int64_t item_cursor);
int store_listen_closed_set(db *d, int64_t closed_bucket);
/** Takes the matcher's lease for holder until `until` if it is free, expired or holder's
 *  already; *got says whether. */
int store_listen_lease(db *d, const char *holder, int64_t now, int64_t until, bool *got);
int store_listen_lease_drop(db *d, const char *holder);

/** Ids of statuses (not boosts) with id > after, oldest first, at most max. */
int store_listen_statuses_after(db *d, int64_t after, int max, arena *a, int64_t **ids, int *n);
/** Ids of the newest max statuses (not boosts), newest first. */
int store_listen_latest(db *d, int max, arena *a, int64_t **ids, int *n);
/** Feed items with id > after, oldest first, at most max. */
int store_listen_items_after(db *d, int64_t after, int max, arena *a, pl_feed_item **out, int *n);

/** Keeps a match (nothing if the watch has it already: *is_new says which; may be NULL). The
 *  caller counts a new one in its bucket and author (store_watch_bucket_add, _author_add), in
 *  the same transaction: the watch's count moves with its buckets. A new one is offered to its
 *  day's kept top posts (below) with the post's engagement now. */
int store_watch_match_add(db *d, int64_t watch_id, int64_t status_id, int64_t author_id,
                          int tone_milli, int64_t at, bool *is_new);
/** Keeps a feed match and, when new, counts it on the watch. */
int store_watch_feed_match_add(db *d, int64_t watch_id, int64_t item_id, int tone_milli, int64_t at,
                               bool *is_new);
/** A page of a watch's matched status ids, newest first (keys are the ids). */
int store_watch_matches_page(db *d, int64_t watch_id, const pl_page *p, arena *a, pl_idlist *out);
/** A page of a watch's matched feed item ids, newest first. */
int store_watch_feed_matches_page(db *d, int64_t watch_id, const pl_page *p, arena *a,
                                  pl_idlist *out);
/** The feed items of ids[0..n) (n <= STORE_BATCH) with their source's title in ->author's
 *  place left alone: source_title[i] holds it; in no order. */
int store_listen_items_by_ids(db *d, const int64_t *ids, int n, arena *a, pl_feed_item **out,
                              const char ***source_titles, int *n_out);
/** A watch's matched status ids posted in [from, to) (ms; ids are time-ordered, so this reads
 *  the watch's own key), newest first, at most max. The dashboard's sums below likewise. */
int store_watch_matches_between(db *d, int64_t watch_id, int64_t from, int64_t to, int max,
                                arena *a, int64_t **ids, int *n);

/** Matches counted by tone: negative at tone_milli <= -TONE_THRESHOLD × 1000, positive at
 *  >= it (listen/tone.h), neutral the rest of total. */
typedef struct pl_watch_tones {
    int64_t total, negative, positive;
} pl_watch_tones;
/** Adds delta's matches to a watch's bucket, to its day (the bucket's UTC day, migration 064)
 *  and to the watch's count of matches. */
int store_watch_bucket_add(db *d, int64_t watch_id, int64_t bucket, int64_t day,
                           const pl_watch_tones *delta);
/** Adds delta (> 0, else PL_EINTERNAL) to a watch's matches by author_id on day (bucket / 288,
 *  the local day), and offers the author's new count to the day's kept top authors. */
int store_watch_author_add(db *d, int64_t watch_id, int64_t day, int64_t author_id, int delta);
/** The watches with a count in a bucket of [from, to], by id (with their rows, no counts). */
int store_watches_counted(db *d, int64_t from, int64_t to, arena *a, pl_watch **out, int *n);
/** A watch's bucket counts with bucket in [from, to], oldest first. */
int store_watch_buckets(db *d, int64_t watch_id, int64_t from, int64_t to, arena *a,
                        int64_t **buckets, int64_t **counts, int *n);

/** A volume alert (a row of watch_alerts); the fractions are × 1000. */
typedef struct pl_watch_alert {
    int64_t id, watch_id, account_id, bucket, at;
    int64_t count, expected_milli, spread_milli, ratio_milli, level_milli, today_milli;
    int base_hour, base_weekend, base_samples;
    int64_t base_median_milli, base_mad_milli;
    int64_t status_id, ticket_id;
} pl_watch_alert;

/** Writes an alert and counts it on its watch. */
int store_watch_alert_insert(db *d, const pl_watch_alert *al);
/** One alert; PL_ENOTFOUND if none. */
int store_watch_alert_get(db *d, int64_t id, pl_watch_alert *out);
/** A page of owner's alerts, newest first (watch_id 0: of every watch). */
int store_watch_alerts_page(db *d, int64_t owner, int64_t watch_id, const pl_page *p, arena *a,
                            pl_idlist *out);
/** Records the channel post or the ticket of an alert. */
int store_watch_alert_set_status(db *d, int64_t id, int64_t status_id);
/** Sets the alert's ticket if it has none: *got says whether it was set. */
int store_watch_alert_set_ticket(db *d, int64_t id, int64_t ticket_id, bool *got);

/** A watch's matches on one UTC day (day = at / WATCH_DAY_MS), by tone. */
typedef struct pl_watch_day {
    int64_t day;
    pl_watch_tones n;
} pl_watch_day;
/** A watch's days with matches in [from_day, to_day], oldest first (migration 064: at most
 *  to_day - from_day + 1 rows, whatever the days hold). */
int store_watch_days(db *d, int64_t watch_id, int64_t from_day, int64_t to_day, arena *a,
                     pl_watch_day **out, int *n);

/** A dashboard's period [from, to) (ms) cut into whole 5-minute buckets [lo, hi), read from
 *  their counts, and two edges read from the matches: [from, lo_ms) and [hi_ms, to), lo_ms and
 *  hi_ms where bucket lo and bucket hi begin (no whole bucket: lo = hi and lo_ms = hi_ms = to).
 *  So the sums are exact, and what is read is the period's buckets and at most two buckets of
 *  matches, not all its matches. */
typedef struct pl_watch_span {
    int64_t from, to, lo, hi, lo_ms, hi_ms;
} pl_watch_span;

/** The dashboard's sums over a watch's matches with at in a period. */
typedef struct pl_watch_sums {
    int64_t total, negative, neutral, positive;
} pl_watch_sums;
/** Counts matches by tone (negative: tone_milli <= -threshold_milli, positive >= it); sp in
 *  5-minute buckets. */
int store_watch_sums(db *d, int64_t watch_id, const pl_watch_span *sp, int threshold_milli,
                     pl_watch_sums *out);
/** A watch's kept tops per UTC day (day = at / WATCH_DAY_MS, as watch_authors'; migration
 *  063), kept by the writes below: the day's WATCH_DAY_AUTHORS authors with the most matches
 *  (store_watch_author_add) and its WATCH_DAY_POSTS most engaged posts — replies, boosts and
 *  favourites, at least one, the newer first among equals — (store_watch_match_add with the
 *  post's engagement then, store_watch_post_engaged as it changes; a post with none is in no
 *  top). Since counts and engagement mostly grow, a day's rows are its first ones; a period's
 *  top WATCH_DAY_POSTS engaged posts are among its days'. */
#define WATCH_DAY_MS 86400000LL
enum { WATCH_DAY_AUTHORS = 50, WATCH_DAY_POSTS = 40 };

/** Authors of a watch's matches on the UTC days [from_day, to_day], most matches first, at most
 *  max, summed over each day's kept WATCH_DAY_AUTHORS: exact while an author is among every one
 *  of their days' fifty, else short by the days they were not (at most 31 × 50 rows read). */
int store_watch_top_authors(db *d, int64_t watch_id, int64_t from_day, int64_t to_day, int max,
                            arena *a, int64_t **authors, int64_t **counts, int *n);
/** Status ids of a watch's engaged matches posted in [from, to) (ms), most engaged first (the
 *  newer among equals), at most max (<= WATCH_DAY_POSTS: those are exact), from the days' kept
 *  tops. */
int store_watch_top_posts(db *d, int64_t watch_id, int64_t from, int64_t to, int max, arena *a,
                          int64_t **ids, int *n);
/** A post's engagement is now `score`: offered again to the kept tops of every watch that
 *  matched it, or taken out of them at none (store_status_add_counts calls it in its
 *  transaction). */
int store_watch_post_engaged(db *d, int64_t status_id, int64_t score);

#endif
