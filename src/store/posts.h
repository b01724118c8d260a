/**
 * store/posts.h — statuses (posts and boosts), their mentions, hashtags and edit history,
 * idempotency keys, and the paged id lists of statuses by author, by hashtag and on the
 * public timeline.
 *
 * Counts (replies, reblogs, favourites) are kept on the row and changed with the act that
 * changes them. Writes to a status record a TOUCH_STATUS (db_touch) so caches drop it after
 * the commit; inserts, edits and deletes also announce their live events (db_event).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_POSTS_H
#define PL_STORE_POSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Inserts a status (counts start at 0; 0 ids are stored as none) and announces EV_STATUS.
 *  Its mentions, tags and poll are the caller's to add. PL_ECONFLICT if the id is taken. */
int store_status_insert(db *d, const pl_status *s);
/** The status with this id; PL_ENOTFOUND if none. */
int store_status_get(db *d, int64_t id, arena *a, pl_status *out);
/** The statuses of up to STORE_BATCH ids, in any order (unknown ids left out); PL_EINTERNAL if
 *  n > STORE_BATCH. */
int store_statuses_get(db *d, const int64_t *ids, int n, arena *a, pl_status *out, int *nout);
/** Updates text, content, spoiler_text, sensitive, language, edited_at, poll_id and the counts
 *  of entities of s->id, and announces EV_STATUS_UPDATE. */
int store_status_update(db *d, const pl_status *s);
/**
 * Deletes a status with what hangs on it: mentions, tags, edits, poll, favourites,
 * bookmarks, its pin, feed rows (all at once; a fan-out still queued stops), filter entries.
 * First announces the delete events (to the audience the row had: its channel, list,
 * boosted post, mentioned accounts). Its boosts, notifications and conversations are the
 * caller's. PL_OK if there was no such status.
 */
int store_status_delete(db *d, int64_t id);
/** As store_status_delete, but removes at most `feed_rows_now` of its feed rows at once and
 *  queues the rest (store_timeline_remove_post; `now` dates the queue row): what a request
 *  does, so that deleting a widely read post costs what posting it did. */
int store_status_delete_queued(db *d, int64_t id, int feed_rows_now, int64_t now);
/** Adds the deltas (any may be 0 or negative) to the status's replies/reblogs/favourites. */
int store_status_add_counts(db *d, int64_t id, int replies, int reblogs, int favourites);
/** Records that the status mentions account_id (again: no change). */
int store_status_mention_add(db *d, int64_t status_id, int64_t account_id);
/** The accounts the status mentions, in no particular order; *ids in the arena. */
int store_status_mentions(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
/** Forgets every mention of the status (before an edit writes them again). */
int store_status_mentions_clear(db *d, int64_t status_id);
/** Does the status mention account_id? False also on a database error (it grants nothing). */
bool store_status_mentions_account(db *d, int64_t status_id, int64_t account_id);
/** Records that the status carries the (normalized) tag (again: no change). */
int store_status_tag_add(db *d, int64_t status_id, const char *tag);
/** The status's tags in byte order; *tags and the strings in the arena. */
int store_status_tags(db *d, int64_t status_id, arena *a, const char ***tags, int *n);
/** Forgets every tag of the status (before an edit writes them again). */
int store_status_tags_clear(db *d, int64_t status_id);
/** Keeps a revision of a status (its text and poll options as they were); PL_ECONFLICT if the
 *  id is taken. */
int store_status_edit_insert(db *d, const pl_status_edit *e);
/** The status's revisions, oldest first, each with its poll options; in the arena. */
int store_status_edits(db *d, int64_t status_id, arena *a, pl_status_edit **out, int *n);
/** Direct replies of a status, oldest first (capped at limit). */
int store_status_replies(db *d, int64_t status_id, int limit, arena *a, int64_t **ids, int *n);
/** The reblog of status_id by account_id, if any (0 if none). */
int store_status_reblog_by(db *d, int64_t status_id, int64_t account_id, int64_t *reblog_id);
/** Ids of reblogs of a status (to delete them with it), in no particular order. */
int store_status_reblogs(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
/** The status an account made with this Idempotency-Key; PL_ENOTFOUND if none. */
int store_idempotency_get(db *d, int64_t account_id, const char *key, int64_t *status_id);
/** Remembers the status made with this key (a key used already keeps its first status). */
int store_idempotency_put(db *d, int64_t account_id, const char *key, int64_t status_id,
                          int64_t now);

/* Paged id lists (newest first; keys are the status ids). Whose eyes they may reach is the
 * caller's to decide. */
/** Newest first, at most `limit`: the ids of posts by any of `accounts` (up to STORE_BATCH,
 *  else PL_EINTERNAL) with above < id < below (below 0: no upper bound). The home feed's merge
 *  of big accounts when only a short window of time can still change the page. */
int store_statuses_by_accounts(db *d, const int64_t *accounts, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out);
/** An account's statuses and boosts of every visibility; exclude_replies leaves out replies to
 *  others (a reply to oneself stays), exclude_reblogs leaves out boosts. */
int store_statuses_by_account(db *d, int64_t account_id, bool exclude_replies, bool exclude_reblogs,
                              const pl_page *p, arena *a, pl_idlist *out);
/** Public statuses, not boosts: the company-wide timeline (index statuses_public). */
int store_statuses_public(db *d, const pl_page *p, arena *a, pl_idlist *out);
/** Public statuses carrying the (normalized) tag: a hashtag timeline. */
int store_statuses_by_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses with the tag whatever their audience (the caller filters: a list's hashtag). */
int store_statuses_with_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);

#endif
