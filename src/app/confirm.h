/**
 * confirm.h — confirming that a person owns the e-mail address they registered with
 * (Mastodon's flow; docs.joinmastodon.org/methods/emails).
 *
 * Where `confirm_email` asks (by default wherever `allowed_domains` is set), a registration
 * makes an unconfirmed account and mails a link, BASE_URL/auth/confirmation?confirmation_token=…;
 * opening it confirms the account. Until then the account's tokens are refused with 403
 * "Your login is missing a confirmed e-mail address" everywhere except
 * POST /api/v1/emails/confirmations (send the link again, optionally to a corrected address),
 * and the sign-in page refuses it. The link's secret is 32 random bytes; only its SHA-256 is
 * stored, it expires after `confirm_email_hours`, works once, and a new link replaces it.
 * An account never confirmed is deleted `unconfirmed_expire` after its registration
 * (confirm_prune_step), and its username is free again.
 */
#ifndef PL_CONFIRM_H
#define PL_CONFIRM_H

#include "app/app.h"

/** True when new registrations must confirm their address (the settings). */
bool confirm_required(const app_ctx *c);

/**
 * Makes a new link for the account (replacing any older one), marks the account unconfirmed
 * and queues the message to acc->email, in the caller's transaction. app_id: the app the
 * person registered with (only it may ask for the link again).
 */
int confirm_start(app_ctx *c, const pl_account *acc, int64_t app_id);

/**
 * Sends the link again for the signed-in, still unconfirmed account, first changing its
 * address to new_email when that is not NULL (checked like a registration's). PL_EFORBIDDEN
 * when the account is confirmed already or app_id is not the app it registered with (with
 * Mastodon's messages); PL_ERATE, changing nothing, when the last link was made less than
 * `confirm_resend_every` seconds ago (*retry_after_s: how long to wait); PL_EINVAL for a bad
 * address.
 */
int confirm_resend(app_ctx *c, int64_t account_id, int64_t app_id, const char *new_email,
                   int64_t *retry_after_s);

/**
 * Opens a link: confirms the account whose link has this secret, forgets the link and any
 * unsent copy of it. PL_ENOTFOUND for a link that is unknown, used or replaced; PL_EINVAL
 * for an expired one. *username (arena) names the account confirmed.
 */
int confirm_open(app_ctx *c, const char *secret, const char **username);

/**
 * Deletes the accounts that turned `unconfirmed_expire` seconds old since the last call
 * without their address ever being confirmed (store_account_delete_unconfirmed: with every
 * row that names them), so their usernames and addresses are free again. *cursor (0 at
 * first) remembers how far it got, so each account is looked at once; *pruned counts the
 * accounts deleted. For a context that owns its transactions (one per 100 accounts); the
 * background runtime calls it about once a second.
 */
int confirm_prune_step(app_ctx *c, int64_t *cursor, int *pruned);

#endif
