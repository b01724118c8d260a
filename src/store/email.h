/**
 * store/email.h — the store of e-mail: address confirmations and the outbox (migration 026).
 *
 * As every store header (docs/ARCHITECTURE.md, "The store"): PL_OK or a negative PL_E* code;
 * strings read live in the caller's arena; writes run inside the caller's transaction.
 */
#ifndef PL_STORE_EMAIL_H
#define PL_STORE_EMAIL_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* ---- confirmations ---- */

/** An account's pending confirmation: the app it registered with, when the link was made
 *  (sent) and when it expires. */
typedef struct pl_confirmation {
    int64_t account_id, app_id, expires_at, created_at;
} pl_confirmation;

/** Sets the account's one confirmation link (replacing an older one), and marks the account
 *  unconfirmed (store_account_set_confirmed). token_hash is the SHA-256 hex of the link's secret.
 */
int store_confirmation_put(db *d, int64_t account_id, const char *token_hash, int64_t app_id,
                           int64_t expires_at, int64_t now);
/** The confirmation whose link has this hash; PL_ENOTFOUND if none. */
int store_confirmation_by_hash(db *d, const char *token_hash, pl_confirmation *out);
/** The account's confirmation; PL_ENOTFOUND if none. */
int store_confirmation_of(db *d, int64_t account_id, pl_confirmation *out);
/** Confirms the account: forgets its link and marks its address confirmed. */
int store_confirmation_done(db *d, int64_t account_id);

/* ---- the outbox ---- */

/** A message waiting for the relay. Strings live in the arena the reader was given. */
typedef struct pl_mail {
    int64_t id, account_id;
    const char *kind, *sender, *recipient, *message;
    int attempts;
    int64_t next_attempt_at, created_at;
} pl_mail;

/** Queues a message (attempts 0, due at next_attempt_at). */
int store_outbox_insert(db *d, const pl_mail *m);
/** Drops the account's unsent messages of one kind (a newer one replaces them). */
int store_outbox_delete_kind(db *d, int64_t account_id, const char *kind);
/**
 * Takes the message due first (next_attempt_at <= now) and leases it: its next_attempt_at
 * becomes lease_until and its attempts grow by one, in the caller's transaction, so no other
 * sender (another node's included: FOR UPDATE SKIP LOCKED on PostgreSQL) takes it while this
 * one talks to the relay. PL_ENOTFOUND when nothing is due.
 */
int store_outbox_claim(db *d, int64_t now, int64_t lease_until, arena *a, pl_mail *out);
/** Forgets a message (sent, or given up). */
int store_outbox_delete(db *d, int64_t id);
/** Schedules another attempt at `at` and remembers why the last one failed. */
int store_outbox_retry(db *d, int64_t id, int64_t at, const char *error);
/** How many messages wait (for tests and /metrics). */
int store_outbox_count(db *d, int64_t *n);

#endif
