/**
 * store/accounts.h — account rows: people, and channels (an account with is_group set), their
 * profile and profile fields, password, e-mail address, state (confirmed, disabled, approved,
 * big), counts, the reasons given at registration, and the instance's statistics.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 * Writes to a row record a TOUCH_ACCOUNT (db_touch) so caches drop it after the commit; an
 * update of an id that does not exist changes nothing and is PL_OK.
 */
#ifndef PL_STORE_ACCOUNTS_H
#define PL_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Inserts acc (id, username, email, display name, note, password hash, flags, created_at,
 *  default_privacy; counts start at 0). The username and e-mail are kept lower case for lookups.
 *  PL_ECONFLICT if the id, username or e-mail is taken. */
int store_account_insert(db *d, const pl_account *acc);
/** The account with this id; PL_ENOTFOUND if none. Fields (acc->fields) are not loaded:
 *  store_account_fields. */
int store_account_get(db *d, int64_t id, arena *a, pl_account *out);
/** The accounts of up to STORE_BATCH ids, in any order, into out[] (*nout of them; unknown
 *  ids are left out). PL_EINTERNAL if n > STORE_BATCH. */
int store_accounts_get(db *d, const int64_t *ids, int n, arena *a, pl_account *out, int *nout);
/** The account with this username, ignoring case; PL_ENOTFOUND if none. */
int store_account_by_username(db *d, const char *username, arena *a, pl_account *out);
/** The account with this e-mail address, ignoring case; PL_ENOTFOUND if none. */
int store_account_by_email(db *d, const char *email, arena *a, pl_account *out);
/** A live (not revoked) token and, in the same query, its account's row (*has_account false
 *  for an app-only token or a deleted account). PL_ENOTFOUND for an unknown token. */
int store_token_with_account(db *d, const char *token_hash, arena *a, pl_token *tok,
                             pl_account *acc, bool *has_account);
/** Loads acc->fields in their order (at most acc->fields_count; fields_count becomes the
 *  number read). The array is in the arena, allocated even when there are none. */
int store_account_fields(db *d, pl_account *acc, arena *a);
/** Updates profile columns (display_name, note, note_html, locked, bot, discoverable,
 *  default_privacy, default_sensitive, default_language, hide_collections, hide_boosts)
 *  from acc. */
int store_account_update_profile(db *d, const pl_account *acc);
/** Sets the uploaded avatar (is_header false) or header of account id: file_id in the media
 *  store and its type, or 0 (mime ignored) for the drawn default. */
int store_account_set_picture(db *d, int64_t id, bool is_header, int64_t file_id, const char *mime);
/** Replaces the account's profile fields by fields[0..n) (positions in that order) and sets
 *  its fields_count. */
int store_account_set_fields(db *d, int64_t account_id, const pl_field *fields, int n);
/** Sets the password hash (the caller hashed it). */
int store_account_set_password(db *d, int64_t id, const char *hash);
/** Disables or re-enables an account (its tokens are the caller's: store_tokens_revoke_account). */
int store_account_set_disabled(db *d, int64_t id, bool disabled);
/** Sets an account's role (PL_ROLE_*), and is_admin with it (role == PL_ROLE_ADMIN). */
int store_account_set_role(db *d, int64_t id, int role);
/** A moderator's silence and suspension (migration 053). */
int store_account_set_silenced(db *d, int64_t id, bool silenced);
int store_account_set_suspended(db *d, int64_t id, bool suspended);
/** Marks the account's e-mail address confirmed, or awaiting confirmation (store/email.h
 *  keeps the link). */
/** The moderators' listing of people (channels' accounts left out): which states it keeps
 *  (each true narrows it), and parts of names to look for ("" or NULL: any). */
typedef struct pl_account_filter {
    bool active, pending, disabled, silenced, suspended, staff;
    const char *username;     /**< the start of the username, any case */
    const char *display_name; /**< a part of the display name, any case */
    const char *email;        /**< a part of the address */
} pl_account_filter;
/** The ids of every moderator and administrator neither disabled nor suspended, in id order. */
int store_accounts_staff(db *d, arena *a, int64_t **ids, int *n);
/** A page of account ids matching f, newest first (ids are the keys). */
int store_accounts_admin_page(db *d, const pl_account_filter *f, const pl_page *p, arena *a,
                              pl_idlist *out);
/** Deletes an account that still waits for approval (a rejected sign-up) with everything it
 *  had from registering. PL_ENOTFOUND if there is none waiting under that id. */
int store_account_delete_pending(db *d, int64_t id, arena *a);
int store_account_set_confirmed(db *d, int64_t id, bool confirmed);
/** Changes an account's address (stored lower-case); PL_ECONFLICT if another has it. */
int store_account_set_email(db *d, int64_t id, const char *email);
/** Up to `limit` ids of accounts whose address was never confirmed, with after < id <= upto,
 *  in id order (ids are creation times: util/ids.h); *ids in the arena. */
int store_accounts_unconfirmed(db *d, int64_t after, int64_t upto, int limit, arena *a,
                               int64_t **ids, int *n);
/**
 * Deletes an account whose address was never confirmed, if it still is so and has neither
 * posted nor followed (an unconfirmed token can do nothing else), with every row that names
 * it: follows of it (their owners' following_count goes down), follow requests, blocks and
 * mutes either way, mentions of it (the posts' mentions_count goes down), list memberships,
 * its notifications, home feed, markers, conversations, roles, fields, registration reason,
 * confirmation link, unsent mail, codes and tokens. What is left names its id only (the
 * participants of others' conversations, which show it no more), and ids are never given
 * twice, so an account that later takes the username inherits nothing. PL_ENOTFOUND (nothing
 * changed) when the account is gone, confirmed, or has posted or followed. `a` holds working lists.
 */
int store_account_delete_unconfirmed(db *d, int64_t id, arena *a);
/** Marks a registration approved (or waiting again). */
int store_account_set_approved(db *d, int64_t id, bool approved);
/** Marks an account big (more followers than fanout_threshold: its posts are merged into
 *  home feeds on read instead of fanned out), or not. */
int store_account_set_big(db *d, int64_t id, bool big);
/** Adds the deltas to followers/following/statuses counts (any may be 0 or negative). */
int store_account_add_counts(db *d, int64_t id, int followers, int following, int statuses);
/** Sets last_status_at (ms), the time of the account's latest post. */
int store_account_touch_status(db *d, int64_t id, int64_t at);
/** Calls fn for every person (not channels) in id order, for admin list-users; the account
 *  passed to fn lives in the arena. Stops at and returns a database error. */
int store_account_each(db *d, arena *a, void (*fn)(const pl_account *, void *), void *ud);
/** The number of people (channels are accounts too, and not counted), disabled ones too. */
int store_account_count(db *d, int64_t *n);
/** Keeps why account_id asked to join (registrations needing approval); PL_ECONFLICT if a
 *  reason is kept already. */
int store_registration_reason_insert(db *d, int64_t account_id, const char *reason);
/** The reason account_id gave, or NULL in *out when it gave none (or it was approved). */
int store_registration_reason_get(db *d, int64_t account_id, arena *a, const char **out);
/** Forgets it (the account was approved); PL_OK whether or not there was one. */
int store_registration_reason_delete(db *d, int64_t account_id);
/** Calls fn for every person waiting for approval, in id order, with their reason (NULL if
 *  they gave none); account and reason live in the arena. */
int store_account_each_pending(db *d, arena *a,
                               void (*fn)(const pl_account *, const char *reason, void *),
                               void *ud);
/** Counts for /api/v1/instance and the everyone channel: active people, and their posts and
 *  boosts as their profiles count them (the sum of statuses_count, as Mastodon does). Running
 *  totals kept by triggers on accounts (instance_stats, migration 028): 16 rows, whatever the
 *  company's size. */
int store_stats(db *d, int64_t *users, int64_t *statuses);

#endif
