/**
 * store/auth.h — OAuth apps, access tokens and authorization codes.
 *
 * Tokens, codes and client secrets are stored and looked up only as hashes (the app layer
 * hashes them): nothing here ever sees a secret. A revoked token keeps its row (revoked_at).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_AUTH_H
#define PL_STORE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Registers an app (client_secret already hashed); PL_ECONFLICT if the id or client_id is
 *  taken. */
int store_app_insert(db *d, const pl_app *app);
/** The app with this client_id; PL_ENOTFOUND if none. */
int store_app_by_client_id(db *d, const char *client_id, arena *a, pl_app *out);
/** The app with this id; PL_ENOTFOUND if none. */
int store_app_get(db *d, int64_t id, arena *a, pl_app *out);
/** Inserts a token by its hash; app_id or account_id 0 is stored as none (an app-only token
 *  has no account). PL_ECONFLICT if the hash exists already. */
int store_token_insert(db *d, int64_t id, const char *token_hash, int64_t app_id,
                       int64_t account_id, const char *scopes, int64_t now);
/** A live (not revoked) token by its hash; PL_ENOTFOUND if unknown or revoked. */
int store_token_by_hash(db *d, const char *token_hash, arena *a, pl_token *out);
/** Revokes a live token at `now` and announces EV_TOKEN_REVOKED, so the streams opened with
 *  it end after the commit. PL_OK also if it was unknown or revoked already. */
int store_token_revoke(db *d, const char *token_hash, int64_t now);
/** Revokes every live token of an account (disable, password change) and announces
 *  EV_TOKEN_REVOKED for the account, ending all its streams after the commit. */
int store_tokens_revoke_account(db *d, int64_t account_id, int64_t now);
/** A person's session: one of their live tokens, with the app it was issued to. */
typedef struct pl_session {
    int64_t id, app_id, created_at;
    const char *scopes;
    const char *app_name, *app_website; /**< NULL if the app is gone */
} pl_session;
/** Up to `limit` live tokens of an account with id < max_id (0: no bound), newest first, into
 *  *out (the arena's); *n tells how many. */
int store_sessions_page(db *d, int64_t account_id, int64_t max_id, int limit, arena *a,
                        pl_session **out, int *n);
/** Revokes the live token `id` if it is account_id's, and announces EV_TOKEN_REVOKED for it;
 *  PL_ENOTFOUND if there is no such live token of that account. */
int store_session_revoke(db *d, int64_t account_id, int64_t id, int64_t now);
/** Revokes every live token of an account but keep_id (a password change keeps the session
 *  that made it), announcing EV_TOKEN_REVOKED for each, so their streams end after the commit. */
int store_sessions_revoke_others(db *d, int64_t account_id, int64_t keep_id, int64_t now);
/** Stores an authorization code by its hash with what it authorizes and its PKCE challenge
 *  (challenge and method may be NULL); unused until store_code_claim. */
int store_code_insert(db *d, const char *code_hash, int64_t app_id, int64_t account_id,
                      const char *redirect_uri, const char *scopes, const char *challenge,
                      const char *method, int64_t expires_at);
/** An authorization code as stored. */
typedef struct pl_auth_code {
    int64_t app_id, account_id, expires_at;
    const char *redirect_uri, *scopes, *challenge, *challenge_method;
    bool used;
} pl_auth_code;
/** The code with this hash, used and expired ones too (the caller checks `used` and
 *  `expires_at`); PL_ENOTFOUND if none. */
int store_code_get(db *d, const char *code_hash, arena *a, pl_auth_code *out);
/** Marks a code used, atomically: PL_OK for exactly one caller, PL_ENOTFOUND when it was
 *  already used (or does not exist). Two racing redemptions cannot both succeed. */
int store_code_claim(db *d, const char *code_hash);
/** Deletes up to `limit` apps with after_id < id < before_id that were never used (no token,
 *  no authorization code ever issued); *deleted tells how many. Ids are time-ordered, so
 *  before_id is a creation time. */
int store_apps_prune_unused(db *d, int64_t after_id, int64_t before_id, int limit, int *deleted);

#endif
