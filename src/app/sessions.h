/**
 * sessions.h — a person's own sessions (their OAuth tokens) and their password, for the web
 * client's settings: partyline's /api/v1/partyline/sessions and /api/v1/partyline/password
 * (Mastodon keeps both in its server-rendered settings pages, with no API).
 *
 * The rules, in plain words:
 * - A session is one live access token of the person: the app it was issued to, when, and
 *   with which scopes. Last use is not recorded (that would be a write on every request).
 * - One sees and revokes only one's own sessions; someone else's, a revoked one or an unknown
 *   one are all "Record not found", so ids cannot be probed. Revoking the session one is
 *   using signs it out; its streams end at once.
 * - Changing the password needs the current one, checked as a sign-in is (argon2id, and the
 *   same throttle per account and per address: settings signin_*). The new one follows the
 *   registration's rule (8 to 72 bytes) and must differ from the current one.
 * - A password change signs out every other session (the usual reason to change it is that
 *   someone else may know it) and keeps the one that made the change.
 */
#ifndef PL_SESSIONS_H
#define PL_SESSIONS_H

#include "app/app.h"
#include "app/auth.h"
#include "store/auth.h"

/** Up to `limit` of account_id's live sessions with id < max_id (0: from the newest), newest
 *  first, in the request arena. */
int sessions_list(app_ctx *c, int64_t account_id, int64_t max_id, int limit, pl_session **out,
                  int *n);

/** Revokes session `id` of account_id, in the caller's transaction. PL_ENOTFOUND unless it is
 *  a live session of that account. */
int sessions_revoke(app_ctx *c, int64_t account_id, int64_t id);

/**
 * Changes acc's password from `current` to `password` and revokes every session but keep_id,
 * in its own transaction (the hashing is slow: call it on a worker). PL_EINVAL (with the
 * field in c->errfield) if `current` is wrong or the new one breaks the rule; PL_ERATE with
 * who->retry_after_s after too many wrong tries.
 */
int sessions_change_password(app_ctx *c, const pl_account *acc, int64_t keep_id,
                             const char *current, const char *password, auth_signin *who);

#endif
