/**
 * store/audit.h — the audit log (tables audit_log and audit_chain, migration 052): rows of
 * acts, hash-chained in commit order. The rules — what is recorded, and never post text,
 * file contents, passwords or tokens — are app/audit.c's; this file only stores, chains,
 * reads and prunes.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction.
 */
#ifndef PL_STORE_AUDIT_H
#define PL_STORE_AUDIT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum { AUDIT_HASH_HEX = 64 }; /**< a hash as text: 32 bytes of BLAKE2b in hex */

/** A row. 0 stands for a NULL id (no actor, no target), NULL for a NULL text. */
typedef struct pl_audit_row {
    int64_t id;  /**< time-ordered like every id: the API pages by it */
    int64_t seq; /**< place in the chain (1, 2, …), set when chained */
    int64_t at;  /**< ms */
    int64_t actor_id;
    const char *ip;
    const char *action; /**< "post.create", "auth.sign_in", … */
    const char *target_kind;
    int64_t target_id;
    const char *audience; /**< a visibility's name, "channel", … or NULL */
    const char *detail;   /**< a JSON object of ids and names, "{}" when none */
    const char *prev_hash, *hash;
} pl_audit_row;

/** The chain's head and anchor: the last row's seq and hash, and what the first row kept must
 *  carry (its seq and prev_hash; 1 and 64 zeros until retention deleted rows). */
typedef struct pl_audit_head {
    int64_t seq, anchor_seq;
    char hash[AUDIT_HASH_HEX + 1], anchor_hash[AUDIT_HASH_HEX + 1];
} pl_audit_head;

/**
 * Inserts r (its id, at, actor, ip, action, target, audience, detail; seq and hashes are
 * ignored) unchained, and has db_commit chain it before the transaction commits
 * (store_audit_chain): a rolled-back act leaves no row, and a row is never committed
 * unchained. Must run inside a transaction.
 */
int store_audit_append(db *d, const pl_audit_row *r);

/**
 * Chains this transaction's unchained rows, in id order: locks the head (audit_chain's one
 * row, made at the first call), gives each row the next seq, the head's hash as prev_hash and
 * its hash, and moves the head. Two transactions, on any node, chain one after the other: the
 * second waits on the head's row lock until the first commits, then reads its head.
 */
int store_audit_chain(db *d);

/** r's hash: BLAKE2b-256 (libsodium's crypto_generichash) of a canonical serialization of its
 *  seq, id, at, actor, ip, action, target, audience, detail and prev_hash, in hex. */
void store_audit_hash(const pl_audit_row *r, char out[AUDIT_HASH_HEX + 1]);

/** The chain's head; PL_ENOTFOUND when nothing was ever chained. */
int store_audit_head(db *d, pl_audit_head *out);

/**
 * Calls fn with every chained row whose seq is above after_seq and whose at is in
 * [since, until) (0: no bound), in chain order, a thousand rows per query; the row's texts
 * are valid during the call only. Stops at fn's first non-zero return and returns it.
 */
int store_audit_walk(db *d, int64_t after_seq, int64_t since, int64_t until,
                     int (*fn)(const pl_audit_row *r, void *ud), void *ud);

/** What a page of the log may be narrowed to (0 / NULL: no narrowing). */
typedef struct pl_audit_filter {
    int64_t actor_id, target_id;
    const char *action;
    int64_t since_at, until_at; /**< at in [since_at, until_at) */
} pl_audit_filter;

/** A page of chained rows, newest first, by id (p's max_id, since_id, min_id, limit). */
int store_audit_page(db *d, const pl_audit_filter *f, int64_t max_id, int64_t since_id,
                     int64_t min_id, int limit, arena *a, pl_audit_row **out, int *n);

/**
 * Deletes at most max_rows of the oldest rows of the chain, those before the first row whose
 * at is not below before_at, and moves the anchor to the first row kept: the chain from the
 * anchor stays verifiable. *count says how many went, *upto_id the id of the last deleted.
 */
int store_audit_prune(db *d, int64_t before_at, int max_rows, int64_t *count, int64_t *upto_id);

#endif
