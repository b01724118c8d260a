/**
 * auth.h — OAuth 2 apps, tokens and codes, and passwords (argon2id), as Mastodon does them.
 *
 * Secrets (tokens, codes) are 32 random bytes in base64url; only their SHA-256 is stored.
 * Plaintext tokens returned by these functions live in the request arena. On failure the
 * functions set c->errcode to the OAuth error ("invalid_client", "invalid_grant",
 * "invalid_scope", "unsupported_grant_type", "invalid_request") and c->errmsg to a reason.
 */
#ifndef PL_AUTH_H
#define PL_AUTH_H

#include "app/app.h"

#define AUTH_OOB "urn:ietf:wg:oauth:2.0:oob"

/** Registers an app. scopes NULL = "read". website may be NULL. */
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
/** Password grant: username may be the e-mail or the username. Slow (argon2id). */
int auth_password_grant(app_ctx *c, const pl_app *app, const char *username, const char *password,
                        const char *scope, const char **token);
/** client_credentials grant: an app-only token (scopes default to "read"). */
int auth_client_credentials_grant(app_ctx *c, const pl_app *app, const char *scope,
                                  const char **token);
/** Verifies a person's credentials (slow); fills *acc. Disabled/unapproved accounts fail. */
int auth_check_password(app_ctx *c, const char *username, const char *password, pl_account *acc);
/** Issues an authorization code for a signed-in account (PKCE challenge may be NULL). */
int auth_code_issue(app_ctx *c, const pl_app *app, int64_t account_id, const char *redirect_uri,
                    const char *scope, const char *challenge, const char *method,
                    const char **code);
/** authorization_code grant. */
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
/** True if the granted scopes (space-separated) allow `need` ("read", "write:statuses"). */
bool auth_scope_allows(const char *granted, const char *need);
/** True if every scope in `requested` is one Mastodon defines. */
bool auth_scopes_valid(const char *requested);
/** argon2id hash of a password into the arena; NULL on failure. Slow by design. */
const char *auth_password_hash(app_ctx *c, const char *password);
/** SHA-256 hex of a secret (65 bytes with NUL). */
void auth_secret_hash(const char *secret, char out[65]);
#endif
