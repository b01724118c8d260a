/**
 * store/accounts.h — accounts — people and channels as account rows: profile, password, state
 * (disabled, approved, big), counts, registration reasons, the instance's statistics.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_ACCOUNTS_H
#define PL_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

int store_account_insert(db *d, const pl_account *acc);
int store_account_get(db *d, int64_t id, arena *a, pl_account *out);
/** The accounts of up to STORE_BATCH ids, in any order, into out[] (*nout of them; unknown
 *  ids are left out). */
int store_accounts_get(db *d, const int64_t *ids, int n, arena *a, pl_account *out, int *nout);
/** Case-insensitive. */
int store_account_by_username(db *d, const char *username, arena *a, pl_account *out);
int store_account_by_email(db *d, const char *email, arena *a, pl_account *out);
/** A live (not revoked) token and, in the same query, its account's row (*has_account false
 *  for an app-only token or a deleted account). PL_ENOTFOUND for an unknown token. */
int store_token_with_account(db *d, const char *token_hash, arena *a, pl_token *tok,
                             pl_account *acc, bool *has_account);
/** Loads acc->fields (acc->fields_count entries). */
int store_account_fields(db *d, pl_account *acc, arena *a);
/** Updates profile columns (display_name, note, note_html, locked, bot, discoverable,
 *  default_privacy, default_sensitive, default_language, hide_collections, hide_boosts)
 *  from acc. */
int store_account_update_profile(db *d, const pl_account *acc);
/** Replaces the profile fields. */
int store_account_set_fields(db *d, int64_t account_id, const pl_field *fields, int n);
int store_account_set_password(db *d, int64_t id, const char *hash);
int store_account_set_disabled(db *d, int64_t id, bool disabled);
int store_account_set_approved(db *d, int64_t id, bool approved);
int store_account_set_big(db *d, int64_t id, bool big);
/** Adds delta to followers/following/statuses counts (any may be 0). */
int store_account_add_counts(db *d, int64_t id, int followers, int following, int statuses);
int store_account_touch_status(db *d, int64_t id, int64_t at);
/** People (not channels) ordered by id, for admin list-users; calls fn for each. */
int store_account_each(db *d, arena *a, void (*fn)(const pl_account *, void *), void *ud);
/** The number of people (channels are accounts too, and not counted). */
int store_account_count(db *d, int64_t *n);
/** Keeps why account_id asked to join (registrations needing approval). */
int store_registration_reason_insert(db *d, int64_t account_id, const char *reason);
/** Forgets it (the account was approved); PL_OK whether or not there was one. */
int store_registration_reason_delete(db *d, int64_t account_id);
/** Every person waiting for approval, in id order, with their reason (NULL if they gave
 *  none). */
int store_account_each_pending(db *d, arena *a,
                               void (*fn)(const pl_account *, const char *reason, void *),
                               void *ud);
/** Counts for /api/v1/instance and the everyone channel: active people, and their posts and
 *  boosts as their profiles count them (the sum of statuses_count, as Mastodon does). One
 *  range of the covering index accounts_stats: it reads accounts, never posts. */
int store_stats(db *d, int64_t *users, int64_t *statuses);

#endif
