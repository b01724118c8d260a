/**
 * store/featured_tags.h — hashtags people feature on their profile (table featured_tags,
 * migration 037), and what the counts of a featured tag and its suggestions are read from.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena; writes run inside the caller's transaction; nothing
 * checks permissions (app/featured_tags.c does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_FEATURED_TAGS_H
#define PL_STORE_FEATURED_TAGS_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** A featured tag, with the counts of the person's open posts that use it. */
typedef struct pl_featured_tag {
    int64_t id, account_id;
    const char *tag;  /**< normalized */
    const char *name; /**< as the person wrote it */
    int64_t statuses_count;
    int64_t last_status_at; /**< ms, 0 if none */
} pl_featured_tag;

/** Features a tag; PL_ECONFLICT if account_id features it already. */
int store_featured_tag_insert(db *d, const pl_featured_tag *f, int64_t now);
/** Stops featuring it; PL_ENOTFOUND if account_id has no featured tag id. */
int store_featured_tag_delete(db *d, int64_t account_id, int64_t id);
/** account_id's featured tags, oldest first (at most max_featured_tags of them), counts
 *  zero. */
int store_featured_tags(db *d, int64_t account_id, arena *a, pl_featured_tag **out, int *n);
/** How many account_id features. */
int store_featured_tags_count(db *d, int64_t account_id, int64_t *n);
/**
 * Fills f->statuses_count and f->last_status_at from f->account_id's public and unlisted
 * posts tagged f->tag, leaving out posts a moderator removed from their channel: the
 * person's posts, each probed for the tag (their own size, not the tag's).
 */
int store_featured_tag_counts(db *d, pl_featured_tag *f);
/** The tags of account_id's latest `posts` posts, one row per use, into *tags (arena). */
int store_recent_tags(db *d, int64_t account_id, int posts, arena *a, const char ***tags, int *n);

#endif
