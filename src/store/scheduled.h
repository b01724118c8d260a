/**
 * store/scheduled.h — posts waiting to be published (tables scheduled_statuses and
 * scheduled_poll_options, migration 038).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the arena `a`; writes run inside the caller's transaction; nothing
 * checks permissions (app/scheduled.c does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_SCHEDULED_H
#define PL_STORE_SCHEDULED_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** A scheduled post: what POST /api/v1/statuses was given, kept until it is published. */
typedef struct pl_scheduled {
    int64_t id, account_id, scheduled_at, created_at;
    const char *text, *spoiler_text, *language, *idempotency_key; /**< NULL: not given */
    int visibility;   /**< -1: the author's default when published */
    int sensitive;    /**< -1: the author's default when published */
    int content_type; /**< enum pl_content_type; -1: the author's default when published */
    int64_t list_id, in_reply_to_id, channel_id, app_id;
    const char **poll_options; /**< NULL (n_poll_options 0): no poll */
    int n_poll_options;
    int64_t poll_expires_in;
    bool poll_multiple, poll_hide_totals;
    struct pl_attachment *media; /**< the uploads it holds, in order (app/scheduled.c reads them) */
    int n_media;
} pl_scheduled;

/** Inserts s with its poll's options. */
int store_scheduled_insert(db *d, const pl_scheduled *s);
/** The id of account_id's scheduled post made with Idempotency-Key key; PL_ENOTFOUND if none. */
int store_scheduled_by_key(db *d, int64_t account_id, const char *key, int64_t *id);
/** Reads one (with its poll's options); PL_ENOTFOUND if there is none, or it is not
 *  account_id's (account_id 0: whoever's it is). */
int store_scheduled_get(db *d, int64_t account_id, int64_t id, arena *a, pl_scheduled *out);
/** A page of account_id's scheduled posts by id, newest first (keys are the ids). */
int store_scheduled_page(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Moves account_id's scheduled post id to a new time; PL_ENOTFOUND if it has no such post. */
int store_scheduled_set_time(db *d, int64_t account_id, int64_t id, int64_t scheduled_at);
/** Deletes account_id's scheduled post id (account_id 0: whoever's) and its options;
 *  PL_ENOTFOUND if no row was deleted — another transaction took it first (see
 *  store_scheduled_due). */
int store_scheduled_delete(db *d, int64_t account_id, int64_t id);
/** How many posts account_id has scheduled (*total), and how many of them, other than
 *  except_id, fall in [day_start, day_end) (*on_day). */
int store_scheduled_counts(db *d, int64_t account_id, int64_t except_id, int64_t day_start,
                           int64_t day_end, int64_t *total, int64_t *on_day);
/** Is any scheduled post due at now? The cheap question asked outside a transaction, before
 *  the publisher takes the write lock. PL_OK with the answer, or the database's error. */
int store_scheduled_any_due(db *d, int64_t now, bool *yes);
/**
 * The earliest scheduled post due at now, into *id; PL_ENOTFOUND if none. On PostgreSQL a row
 * another transaction holds is skipped (FOR UPDATE SKIP LOCKED) and the one found is locked
 * until the caller's transaction ends; whoever deletes it (store_scheduled_delete answering
 * PL_OK) publishes it.
 */
int store_scheduled_due(db *d, int64_t now, int64_t *id);

#endif
