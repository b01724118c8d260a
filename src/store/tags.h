/**
 * store/tags.h — followed hashtags, hashtag usage and history, and the window of public
 * posts by followed tags that the home feed merges.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_TAGS_H
#define PL_STORE_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Follows a tag (normalized); following it again is no error. */
int store_tag_follow(db *d, int64_t id, int64_t account_id, const char *tag, int64_t now);
/** Unfollows a tag; not following it is no error. */
int store_tag_unfollow(db *d, int64_t account_id, const char *tag);
/** Does the account follow the tag? False also on a database error. */
bool store_tag_followed(db *d, int64_t account_id, const char *tag);
/** How many tags the account follows. */
int store_tag_follows_count(db *d, int64_t account_id, int64_t *n);
/** A page of the account's followed tags by follow id, newest follow first; *out (id, tag)
 *  in the arena. */
int store_tag_follows_page(db *d, int64_t account_id, const pl_page *p, arena *a,
                           pl_tag_follow **out, int *n);
/** True if a public or unlisted status uses the tag (tag_days); false also on a database
 *  error. */
bool store_tag_used(db *d, const char *tag);
/** Per day, the public and unlisted statuses using the tag and the accounts that wrote them,
 *  from the UTC day of the id since_id + 1 on (since_id: one below a midnight's first id), in
 *  no particular order; days of no use are left out. One range of tag_days. */
int store_tag_history(db *d, const char *tag, int64_t since_id, arena *a, pl_tag_day **out, int *n);
/**
 * Counts (sign 1) or takes back (sign -1) status_id's use of `tag` (NULL: of every tag it has
 * in status_tags) in tag_days, as the post stands now: its author, its UTC day (from its id),
 * and whether it counts for a tag's history (public, unlisted) and for trending tags (those
 * and company; not a boost, not removed from its channel, not in a private channel). Called
 * by the writes that change these, in their transaction, before (-1) and after (+1) the change
 * (store/posts.c, store/channels.c). A post that counts for neither, or is gone, is no error.
 */
int store_tag_days_count(db *d, int64_t status_id, const char *tag, int sign);
/** store_tag_days_count(sign) of every tagged post of a channel (its privacy changes). */
int store_tag_days_count_channel(db *d, int64_t channel_id, int sign);
/** Newest first, at most `limit`: public statuses carrying any of `tags` (up to STORE_BATCH)
 *  with above < id < below (below 0: no upper bound). PL_EINTERNAL if n > STORE_BATCH. */
int store_statuses_by_tags(db *d, const char *const *tags, int n, int64_t above, int64_t below,
                           int limit, arena *a, pl_idlist *out);

#endif
