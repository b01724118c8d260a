/**
 * store/posts.h — posts — statuses with their mentions, hashtags, edit history and idempotency
 * keys, and the paged id lists of statuses by author, by hashtag and on the public timeline.
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

int store_status_insert(db *d, const pl_status *s);
int store_status_get(db *d, int64_t id, arena *a, pl_status *out);
/** The statuses of up to STORE_BATCH ids, in any order (unknown ids left out). */
int store_statuses_get(db *d, const int64_t *ids, int n, arena *a, pl_status *out, int *nout);
/** Updates text, content, spoiler_text, sensitive, language, edited_at, counts of entities. */
int store_status_update(db *d, const pl_status *s);
/** Deletes a status with what hangs on it: mentions, tags, edits, poll, favourites,
 *  bookmarks, its pin, feed rows. */
int store_status_delete(db *d, int64_t id);
int store_status_add_counts(db *d, int64_t id, int replies, int reblogs, int favourites);
int store_status_mention_add(db *d, int64_t status_id, int64_t account_id);
int store_status_mentions(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
int store_status_mentions_clear(db *d, int64_t status_id);
bool store_status_mentions_account(db *d, int64_t status_id, int64_t account_id);
int store_status_tag_add(db *d, int64_t status_id, const char *tag);
int store_status_tags(db *d, int64_t status_id, arena *a, const char ***tags, int *n);
int store_status_tags_clear(db *d, int64_t status_id);
int store_status_edit_insert(db *d, const pl_status_edit *e);
int store_status_edits(db *d, int64_t status_id, arena *a, pl_status_edit **out, int *n);
/** Direct replies of a status, oldest first (capped at limit). */
int store_status_replies(db *d, int64_t status_id, int limit, arena *a, int64_t **ids, int *n);
/** The reblog of status_id by account_id, if any (0 if none). */
int store_status_reblog_by(db *d, int64_t status_id, int64_t account_id, int64_t *reblog_id);
/** Ids of reblogs of a status (to delete them with it). */
int store_status_reblogs(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
int store_idempotency_get(db *d, int64_t account_id, const char *key, int64_t *status_id);
int store_idempotency_put(db *d, int64_t account_id, const char *key, int64_t status_id,
                          int64_t now);

/* Paged id lists (newest first). Each returns status ids in out->ids. */
/** Newest first, at most `limit`: the ids of posts by any of `accounts` (up to STORE_BATCH)
 *  with above < id < below (below 0: no upper bound). The home feed's merge of big accounts
 *  when only a short window of time can still change the page. */
int store_statuses_by_accounts(db *d, const int64_t *accounts, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out);
int store_statuses_by_account(db *d, int64_t account_id, bool exclude_replies, bool exclude_reblogs,
                              const pl_page *p, arena *a, pl_idlist *out);
int store_statuses_public(db *d, const pl_page *p, arena *a, pl_idlist *out);
int store_statuses_by_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses with the tag whatever their audience (the caller filters: a list's hashtag). */
int store_statuses_with_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);

#endif
