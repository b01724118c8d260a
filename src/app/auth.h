/**
 * auth.h — OAuth 2 apps, tokens and codes, and passwords (argon2id), as Mastodon does them.
 *
 * Secrets (tokens, codes, client secrets) are 32 random bytes in base64url; only their
 * SHA-256 is stored.
 * Plaintext tokens returned by these functions live in the request arena. On failure the
 * functions set c->errcode to the OAuth error ("invalid_client", "invalid_grant",
 * "invalid_scope", "unsupported_grant_type", "invalid_request") and c->errmsg to a reason.
 */
#ifndef PL_AUTH_H
#define PL_AUTH_H

#include "app/app.h"

#define AUTH_OOB "urn:ietf:wg:oauth:2.0:oob"

/** Registers an app. scopes NULL = "read". website may be NULL. Sizes are settings
 *  (max_app_*). out->client_secret is the secret in plaintext, for this answer only: the
 *  row keeps its SHA-256, and no later read returns it. */
int auth_app_create(app_ctx *c, const char *name, const char *redirect_uris, const char *scopes,
                    const char *website, pl_app *out);
/** An app by its public client_id (no secret: for the sign-in page). */
int auth_app_by_client_id(app_ctx *c, const char *client_id, pl_app *out);
/** True if uri is one of the app's registered redirect URIs. */
bool auth_redirect_allowed(const pl_app *app, const char *uri);
/** The app a token belongs to. */
int auth_app_get(app_ctx *c, int64_t app_id, pl_app *out);
/** Issues a token for an app (account_id 0 = app-only token). */
int auth_token_issue(app_ctx *c, int64_t app_id, int64_t account_id, const char *scopes,
                     const char **token);
/** Checks client credentials; fills *app. */
int auth_client(app_ctx *c, const char *client_id, const char *client_secret, pl_app *app);
/** Who is signing in: the client's address (failures are throttled per address too), and,
 *  when the answer is PL_ERATE, how many seconds to wait before trying again. */
typedef struct auth_signin {
    const char *ip;
    int64_t retry_after_s;
} auth_signin;
/** Password grant: username may be the e-mail or the username. Slow (argon2id). */
int auth_password_grant(app_ctx *c, const pl_app *app, const char *username, const char *password,
                        const char *scope, auth_signin *who, const char **token);
/** client_credentials grant: an app-only token (scopes default to "read"). */
int auth_client_credentials_grant(app_ctx *c, const pl_app *app, const char *scope,
                                  const char **token);
/**
 * Verifies a person's credentials (slow: argon2id, also for an unknown login, so the time
 * does not tell whether an account exists); fills *acc. Disabled/unapproved accounts fail.
 * Sign-in failures are throttled per account and per who->ip (settings signin_*, counted in
 * c->limits when set): PL_ERATE with who->retry_after_s when the caller must wait.
 */
int auth_check_password(app_ctx *c, const char *username, const char *password, auth_signin *who,
                        pl_account *acc);
/** Issues an authorization code for a signed-in account (PKCE challenge may be NULL; its
 *  method must pass auth_challenge_method_check; none is stored as S256). */
int auth_code_issue(app_ctx *c, const pl_app *app, int64_t account_id, const char *redirect_uri,
                    const char *scope, const char *challenge, const char *method,
                    const char **code);
/** PL_OK if a PKCE code_challenge_method is acceptable: S256, none (which means S256, as in
 *  Mastodon), or "plain" when the app asks for it (our web client does where the browser has
 *  no WebCrypto); anything else is PL_EINVAL (invalid_request). */
int auth_challenge_method_check(app_ctx *c, const char *method);
/** authorization_code grant. redirect_uri is required and must be the one the code was
 *  issued for; a code is redeemed once, also by racing requests. */
int auth_code_grant(app_ctx *c, const pl_app *app, const char *code, const char *redirect_uri,
                    const char *verifier, const char **token);
/** Revokes a token (only the app that owns it may). Unknown tokens are not an error. */
int auth_revoke(app_ctx *c, const pl_app *app, const char *token);
/**
 * Resolves a bearer token. PL_EAUTH if unknown or revoked; PL_EFORBIDDEN if its account is
 * disabled, awaiting e-mail confirmation or awaiting approval (in that order, as Mastodon).
 * *acc is NULL for app-only tokens and on failure — except for an unconfirmed account,
 * where it is set with PL_EFORBIDDEN, so the few routes open to it can proceed.
 */
int auth_authenticate(app_ctx *c, const char *token, pl_token *tok, const pl_account **acc);
/** The same by the token's hash (auth_secret_hash): an open stream checks its token again. */
int auth_authenticate_hash(app_ctx *c, const char *token_hash, pl_token *tok,
                           const pl_account **acc);
/**
 * True if the granted scopes (separated by spaces or '+') allow `need`: one scope
 * ("write:statuses"), or several separated by spaces, all of which are needed. Mastodon's
 * documented hierarchy (docs.joinmastodon.org/api/oauth-scopes): `read`/`write`/`admin:read`/
 * `admin:write` cover their granular scopes, `follow` its six, `read:accounts` covers
 * `profile`; a granular scope never covers its parent. False for an empty need.
 */
bool auth_scope_allows(const char *granted, const char *need);
/** True if every scope in `requested` is one Mastodon defines. */
bool auth_scopes_valid(const char *requested);
/** argon2id hash of a password into the arena; NULL on failure. Slow by design. */
const char *auth_password_hash(app_ctx *c, const char *password);
/**
 * Deletes the apps that turned app_prune_after seconds old since the last call without ever
 * being used (no token, no authorization code). *cursor (0 at first) remembers how far it got,
 * so each app is looked at once. For a context that owns its transactions (one per 500 apps).
 */
int auth_apps_prune(app_ctx *c, int64_t *cursor, int *pruned);
/** SHA-256 hex of a secret (65 bytes with NUL). */
void auth_secret_hash(const char *secret, char out[65]);
#endif
