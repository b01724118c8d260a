/**
 * store/timeline.h — materialized home feeds: fan-out on posting (at once or queued in
 * chunks), removal, backfill on follow, trimming, and the feed's pages.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_TIMELINE_H
#define PL_STORE_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/**
 * Writes status_id into the home feed of every follower of author_id (and the author's own),
 * except replies to someone a follower does not follow (as Mastodon). Returns the number of
 * feeds written in *n.
 */
int store_timeline_fanout(db *d, int64_t author_id, int64_t status_id, int64_t reply_to_account_id,
                          bool is_reblog, int64_t *n);
/** Writes one status into one feed (already there: no change): direct posts, channel pins. */
int store_timeline_insert(db *d, int64_t account_id, int64_t status_id);

/** A post waiting to be copied into its followers' feeds (fanout_queue). */
typedef struct pl_fanout {
    int64_t status_id, author_id, reply_to_account_id, cursor;
    bool is_reblog;
    bool removing; /**< the post was deleted: its feed rows are being removed instead */
} pl_fanout;
/** Queues a post's fan-out, its cursor at the start (queued already: no change). */
int store_fanout_enqueue(db *d, const pl_fanout *f, int64_t now);
/** The oldest waiting fan-out that no other node is working on (call inside the transaction
 *  that does the chunk: on PostgreSQL the row stays locked until it ends); PL_ENOTFOUND when
 *  there is none. */
int store_fanout_next(db *d, pl_fanout *out);
/**
 * Copies f's post into the feeds of up to `limit` of its author's followers after f->cursor
 * (by follows.id), with the same rules as store_timeline_fanout; advances the queue row, or
 * removes it when every follower is done. *rows receives the feeds written. For a removal
 * (f->removing) it deletes up to `limit` of the post's feed rows instead (*rows stays 0), and
 * the queue row once none is left.
 */
int store_fanout_chunk(db *d, const pl_fanout *f, int limit, int64_t *rows);
/**
 * Takes a post out of the feeds it reached: at most `rows_now` of its feed rows at once
 * (negative: all of them), and if that may leave some, queues the rest for the writer
 * (fanout_queue with removing = 1; store_fanout_chunk removes them a chunk at a time). A
 * fan-out of the post still queued becomes its removal. Called with the post's delete, so
 * that a delete costs about what its fan-out cost, in chunks of the same size, and the
 * request does not grow with the feeds; the home feed leaves out the posts whose removal is
 * queued (store_timeline_page), so the rows waiting are never seen.
 */
int store_timeline_remove_post(db *d, int64_t status_id, int rows_now, int64_t now);
/** Removes a status from every feed that holds it at once (index timeline_status), and
 *  stops its fan-out if one is queued: store_timeline_remove_post(d, status_id, -1, 0). */
int store_timeline_remove_status(db *d, int64_t status_id);
/** Removes every entry of author_id from account_id's feed (on unfollow or block). */
int store_timeline_remove_author(db *d, int64_t account_id, int64_t author_id);
/** Copies author_id's `limit` most recent posts that fan-out gives followers
 *  (VIS_SQL_TO_FOLLOWERS; not boosts, not replies to others, not removed from or shared into a
 *  private channel) into account_id's feed (on follow). */
int store_timeline_backfill(db *d, int64_t account_id, int64_t author_id, int limit);
/** Keeps the newest `keep` entries of account_id's feed. */
int store_timeline_trim(db *d, int64_t account_id, int keep);
/**
 * Trims the feeds of up to `batch` (at most 512) accounts with ids above after_id to `keep` entries
 * each; *last_id receives the last account trimmed (0 when the end was reached: start over).
 */
int store_timeline_trim_batch(db *d, int64_t after_id, int batch, int keep, int64_t *last_id);
/** A page of account_id's home feed, newest first (keys: status ids), without the posts whose
 *  rows wait to be removed (deleted). What the feed holds is still checked for audience by the
 *  caller. */
int store_timeline_page(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

#endif
