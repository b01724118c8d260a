/**
 * store/conversations.h — direct conversations: the thread a direct status belongs
 * to and each participant's row (last status, unread flag).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_CONVERSATIONS_H
#define PL_STORE_CONVERSATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/* Functions taking an owner touch only that owner's rows: another person's conversation id
 * is PL_ENOTFOUND, as a missing one. */
/** The conversation (thread) a direct status belongs to; PL_ENOTFOUND if it has none. */
int store_status_conversation_get(db *d, int64_t status_id, int64_t *conversation_id);
/** Sets (or moves) the thread a direct status belongs to. */
int store_status_conversation_set(db *d, int64_t status_id, int64_t conversation_id);
/**
 * Adds status_id to account_id's row for (conversation_id, participants) — the n other
 * participants, any order, no duplicates — making the row (with id new_id) if there is none.
 * The row's last status becomes status_id if it is newer. A new row's unread flag is
 * `unread`; an existing row's is set to `unread` when set_unread, else kept.
 */
int store_conversation_add_status(db *d, int64_t new_id, int64_t account_id,
                                  int64_t conversation_id, const int64_t *participants, int n,
                                  int64_t status_id, bool unread, bool set_unread);
/** The rows that hold status_id (every owner), in no particular order. */
int store_conversations_with_status(db *d, int64_t status_id, arena *a, pl_conversation **out,
                                    int *n);
/**
 * Takes status_id out of every row that holds it: a row left empty is deleted, the others'
 * last status is their newest remaining one. Also forgets the status's thread.
 */
int store_conversations_remove_status(db *d, int64_t status_id);
/** One of the owner's rows, participants in the arena; PL_ENOTFOUND if the owner has none
 *  such. */
int store_conversation_get(db *d, int64_t owner, int64_t id, arena *a, pl_conversation *out);
/** The owner's rows, newest last status first (keys: last status ids), paged by those. */
int store_conversations_page(db *d, int64_t owner, const pl_page *p, arena *a,
                             pl_conversation **out, int *n);
/** Statuses of a row, newest first, at most limit. */
int store_conversation_statuses(db *d, int64_t id, int limit, arena *a, int64_t **ids, int *n);
/** Clears the unread flag of one of the owner's rows; PL_ENOTFOUND if the owner has none
 *  such. */
int store_conversation_mark_read(db *d, int64_t owner, int64_t id);
/** Deletes the owner's row and its status list; PL_ENOTFOUND if the owner has no such row. */
int store_conversation_delete(db *d, int64_t owner, int64_t id);
/** The owner's unread rows, counted up to cap. */
int store_conversations_unread_count(db *d, int64_t owner, int cap, int64_t *n);

#endif
