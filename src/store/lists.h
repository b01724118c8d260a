/**
 * store/lists.h — a person's lists: their members, their channel and hashtag sources,
 * order, and the exclusive lists' members kept out of home.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_LISTS_H
#define PL_STORE_LISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/* Every function taking an owner touches only that owner's lists: another person's list id
 * is PL_ENOTFOUND, as a missing one. */
/** Inserts l for its owner (l->account_id), last in the owner's order; PL_ECONFLICT if the id
 *  is taken. */
int store_list_insert(db *d, const pl_list *l);
/** The owner's list with this id; PL_ENOTFOUND if the owner has none such. */
int store_list_get(db *d, int64_t owner, int64_t id, arena *a, pl_list *out);
/** Updates title, replies_policy and is_exclusive of l (which must belong to l->account_id). */
int store_list_update(db *d, const pl_list *l);
/** Deletes the list and its members; PL_ENOTFOUND if the owner has no such list. */
int store_list_delete(db *d, int64_t owner, int64_t id);
/** The owner's lists in the owner's order (store_lists_reorder; new lists last). */
int store_lists_of(db *d, int64_t owner, arena *a, pl_list **out, int *n);
/** Puts the owner's lists ids[0..n) in that order (positions 1..n). The caller checks that
 *  ids are exactly the owner's lists; an id that is not one of them is PL_ENOTFOUND. */
int store_lists_reorder(db *d, int64_t owner, const int64_t *ids, int n);
/** How many lists the owner has. */
int store_lists_count(db *d, int64_t owner, int64_t *n);
/** The owner's lists that hold account_id, oldest first. */
int store_lists_with_member(db *d, int64_t owner, int64_t account_id, arena *a, pl_list **out,
                            int *n);
/** PL_ECONFLICT if the account is already a member. */
int store_list_member_add(db *d, int64_t list_id, int64_t account_id, int64_t now);
/** PL_OK whether or not it was a member. */
int store_list_member_remove(db *d, int64_t list_id, int64_t account_id);
/** Is account_id a member of the list? False also on a database error. */
bool store_list_has_member(db *d, int64_t list_id, int64_t account_id);
/** How many members the list has. */
int store_list_member_count(db *d, int64_t list_id, int64_t *n);
/** Members paged by account id (keys: account ids), newest account first. */
int store_list_members(db *d, int64_t list_id, const pl_page *p, arena *a, pl_idlist *out);
/**
 * Every member with what the list timeline's merge needs, in no particular order (the owner's
 * follow gives show_reblogs; a member the owner no longer follows shows boosts).
 */
int store_list_members_all(db *d, int64_t list_id, int64_t owner, arena *a, pl_list_member **out,
                           int *n);
/** A list's channels and hashtags, by kind then value. */
int store_list_sources(db *d, int64_t list_id, arena *a, pl_list_source **out, int *n);
/** Adds a source (again: no change). */
int store_list_source_add(db *d, int64_t list_id, int kind, const char *value, int64_t now);
/** Removes a source; PL_OK whether or not the list had it. */
int store_list_source_remove(db *d, int64_t list_id, int kind, const char *value);
/** Removes every source of the list. */
int store_list_sources_clear(db *d, int64_t list_id);
/** Does the list take this status: by its author, its channel or one of its tags? False also
 *  on a database error. */
bool store_list_takes(db *d, int64_t list_id, int64_t author, int64_t channel_id,
                      int64_t status_id);
/** Removes account_id from every list of owner (on unfollow and block). */
int store_lists_forget_account(db *d, int64_t owner, int64_t account_id);
/** Takes account_id out of everyone's lists (off-boarding); *n how many memberships. */
int store_list_memberships_drop(db *d, int64_t account_id, int64_t *n);
/** The members of the owner's exclusive lists (kept out of the home feed), sorted ascending. */
int store_lists_exclusive_members(db *d, int64_t owner, arena *a, int64_t **ids, int *n);

#endif
