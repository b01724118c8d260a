/**
 * outbox.h — mail that leaves the server: queued durably, sent by a background thread.
 *
 * Nothing that answers a request ever talks to the relay: outbox_queue composes a message
 * (mail/mail.h) and stores it in the caller's transaction, so it is sent if and only if
 * what caused it commits, and survives a restart. The sender thread (run/background.c:
 * mailer_main) calls outbox_deliver_one in a loop: it leases the message due first, sends
 * it outside any transaction, then deletes it, or schedules another try
 * `mail_retry_seconds` (30) later, then twice as long each time (at most an hour apart)
 * until `mail_max_attempts`, when it is given up and logged. A sender that dies mid-send leaves its
 * lease to expire, and the message is sent again (at least once; never lost).
 */
#ifndef PL_OUTBOX_H
#define PL_OUTBOX_H

#include "app/app.h"
#include "mail/mail.h"

/** Kinds of mail (mail_outbox.kind): a newer message of a kind replaces an unsent older one
 *  for the same account. */
#define OUTBOX_CONFIRMATION "confirmation"

/**
 * Composes m and queues it for account_id (0: none) in the caller's transaction. Replaces the
 * account's unsent messages of the same kind. PL_EINVAL (with c->errmsg) if the message
 * cannot be composed (mail_compose's rules).
 */
int outbox_queue(app_ctx *c, const char *kind, int64_t account_id, const mail_message *m);

/** The relay described by the settings (smtp_url, smtp_user, …). */
mail_relay outbox_relay(const pl_config *cfg);

/**
 * Sends the message due first, if any, in transactions of its own (c->own_txn must be set).
 * *attempted: whether there was one. PL_OK also when the relay refused (the message is then
 * rescheduled or given up); an error only when the database failed.
 */
int outbox_deliver_one(app_ctx *c, const mail_relay *relay, bool *attempted);

#endif
