/**
 * accounts.h — people: registration, profiles, look-ups, passwords, disabling.
 */
#ifndef PL_ACCOUNTS_H
#define PL_ACCOUNTS_H

#include "app/app.h"
#include "app/avatars.h"

typedef struct accounts_new {
    const char *username, *email, *password, *display_name;
    const char *password_hash; /**< password, already hashed (auth_password_hash), or NULL to
                                    hash it here (the demo hashes its one password once) */
    const char *reason;        /**< why they want to join; kept only when approval is required */
    bool is_admin;
    bool skip_rules; /**< admin tools: ignore registration mode and domain list, and the
                          account is confirmed (the administrator vouches for the address) */
    int64_t app_id;  /**< the app registering it (may send the confirmation again) */
} accounts_new;

/**
 * Creates an account after checking the username ([A-Za-z0-9_], 1–30, not taken), the
 * e-mail (one '@', allowed domain, not taken), the password (8–72 bytes) and the
 * registration mode (closed: PL_EFORBIDDEN; approval: the account waits). Slow (argon2id).
 * Under approval a non-blank reason (valid UTF-8, at most registration_reason_max
 * characters, else PL_EINVAL on the field "reason") is kept for the administrator; otherwise
 * it is ignored. It is optional, as in Mastodon without "require a reason to join".
 * Where addresses must be confirmed (confirm.h) the account is made unconfirmed and the
 * confirmation link is mailed (queued in the same transaction).
 */
int accounts_register(app_ctx *c, const accounts_new *n, pl_account *out);

/** Checks an address a person gives for their account `self` (0: a new one): well-formed,
 *  at an allowed domain, deliverable where it must be confirmed, not another's. PL_EINVAL
 *  with the field "email" otherwise. */
int accounts_check_email(app_ctx *c, const char *email, int64_t self);

/** A profile change: NULL pointers and negative flags mean "leave as it is". */
typedef struct accounts_change {
    const char *display_name, *note, *language;
    int locked, bot, discoverable, sensitive, privacy; /**< -1 = unchanged */
    int hide_collections, hide_boosts;                 /**< -1 = unchanged (see profile.h) */
    const char *content_type; /**< default for new posts: "text/plain" or "text/markdown";
                                   NULL = unchanged; anything else is PL_EINVAL */
    bool set_fields;
    int n_fields;
    const char **field_names, **field_values;
    const struct avatars_new *avatar, *header; /**< new pictures (avatars_prepare); NULL: kept */
} accounts_change;

/** Changes a profile, its pictures included, all or nothing (one transaction): a refused
 *  picture was refused by avatars_prepare before anything was written. */
int accounts_update(app_ctx *c, int64_t account_id, const accounts_change *ch);

/** Brings back the drawn default of an account's avatar or header (DELETE /api/v1/profile/…,
 *  a channel's settings); the uploaded file is deleted. PL_OK also when there was none. */
int accounts_remove_picture(app_ctx *c, int64_t account_id, enum avatar_kind kind);

/** Finds a local account by "name" or "name@our-host". PL_ENOTFOUND otherwise. */
int accounts_lookup(app_ctx *c, const char *acct, const pl_account **out);

/** A password's length in bytes, as Mastodon's (bcrypt reads 72 bytes at most). */
enum { ACCOUNTS_PASSWORD_MIN = 8, ACCOUNTS_PASSWORD_MAX = 72 };

/** The field error a password of len bytes earns: NULL when its length is allowed, else
 *  Mastodon's ERR_BLANK, ERR_TOO_SHORT or ERR_TOO_LONG. */
const char *accounts_password_length_error(size_t len);

int accounts_set_password(app_ctx *c, const char *username, const char *password);
/** Approves an account that registered while registrations needed approval, and forgets
 *  the reason it gave (that was for this decision only). */
int accounts_approve(app_ctx *c, const char *username);
/** Everyone waiting for approval, in id order, with their reason (NULL if none given). */
int accounts_each_pending(app_ctx *c, void (*fn)(const pl_account *, const char *reason, void *),
                          void *ud);
/** Disables (or re-enables) an account; disabling revokes all its tokens at once. */
int accounts_set_disabled(app_ctx *c, const char *username, bool disabled);

/** An account with its profile fields loaded (for the owner's own view). */
int accounts_get_full(app_ctx *c, int64_t id, pl_account *out);
/** Loads acc->fields if it has any and they are not loaded yet. */
int accounts_load_fields(app_ctx *c, pl_account *acc);
/** Every account in id order (admin tools); the number of accounts. */
int accounts_each(app_ctx *c, void (*fn)(const pl_account *, void *), void *ud);
int accounts_count(app_ctx *c, int64_t *n);
/** Active accounts and local posts, for the instance description. */
int accounts_stats(app_ctx *c, int64_t *users, int64_t *statuses);

#endif
