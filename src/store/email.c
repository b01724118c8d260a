/*
 * email.c — address confirmations and the mail outbox (migration 026).
 *
 * The account's own columns (is_confirmed, email) are store/accounts.c's. A confirmation is
 * one row per account, replaced (DELETE then INSERT, portable) when the
 * link is sent again, so only the newest link works; confirming deletes it, so a link works
 * once. The outbox is a plain table read in next_attempt_at order; a sender leases the row it
 * takes by moving next_attempt_at past the time it may spend with the relay, so a sender that
 * dies mid-send leaves the row to be retried when the lease ends (at least once, never lost).
 */
#include "store/email.h"

#include <string.h>

#include "store/accounts.h"
#include "store/query.h"

int store_confirmation_put(db *d, int64_t account_id, const char *token_hash, int64_t app_id,
                           int64_t expires_at, int64_t now)
{
    int rc;
    {
        PREPARE(s, d, "DELETE FROM email_confirmations WHERE account_id = ?");
        db_bind_i64(s, 1, account_id);
        if ((rc = db_step_done(s))) return rc;
    }
    if ((rc = store_account_set_confirmed(d, account_id, false))) return rc;
    PREPARE(s, d,
            "INSERT INTO email_confirmations (account_id, token_hash, app_id, expires_at, "
            "created_at) VALUES (?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, token_hash, -1);
    db_bind_i64(s, 3, app_id);
    db_bind_i64(s, 4, expires_at);
    db_bind_i64(s, 5, now);
    return db_step_done(s);
}

static int read_confirmation(db_stmt *s, pl_confirmation *out)
{
    int rc = step_one(s);
    if (rc) return rc;
    out->account_id = db_col_i64(s, 0);
    out->app_id = db_col_i64(s, 1);
    out->expires_at = db_col_i64(s, 2);
    out->created_at = db_col_i64(s, 3);
    db_reset(s);
    return PL_OK;
}

int store_confirmation_by_hash(db *d, const char *token_hash, pl_confirmation *out)
{
    PREPARE(s, d,
            "SELECT account_id, app_id, expires_at, created_at FROM email_confirmations WHERE "
            "token_hash = ?");
    db_bind_text(s, 1, token_hash, -1);
    return read_confirmation(s, out);
}

int store_confirmation_of(db *d, int64_t account_id, pl_confirmation *out)
{
    PREPARE(s, d,
            "SELECT account_id, app_id, expires_at, created_at FROM email_confirmations WHERE "
            "account_id = ?");
    db_bind_i64(s, 1, account_id);
    return read_confirmation(s, out);
}

int store_confirmation_done(db *d, int64_t account_id)
{
    int rc;
    {
        PREPARE(s, d, "DELETE FROM email_confirmations WHERE account_id = ?");
        db_bind_i64(s, 1, account_id);
        if ((rc = db_step_done(s))) return rc;
    }
    return store_account_set_confirmed(d, account_id, true);
}

int store_outbox_insert(db *d, const pl_mail *m)
{
    PREPARE(s, d,
            "INSERT INTO mail_outbox (id, kind, account_id, sender, recipient, message, attempts, "
            "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)");
    db_bind_i64(s, 1, m->id);
    db_bind_text(s, 2, m->kind, -1);
    db_bind_i64(s, 3, m->account_id);
    db_bind_text(s, 4, m->sender, -1);
    db_bind_text(s, 5, m->recipient, -1);
    db_bind_text(s, 6, m->message, -1);
    db_bind_i64(s, 7, m->next_attempt_at);
    db_bind_i64(s, 8, m->created_at);
    return db_step_done(s);
}

int store_outbox_delete_kind(db *d, int64_t account_id, const char *kind)
{
    PREPARE(s, d, "DELETE FROM mail_outbox WHERE account_id = ? AND kind = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, kind, -1);
    return db_step_done(s);
}

int store_outbox_claim(db *d, int64_t now, int64_t lease_until, arena *a, pl_mail *out)
{
    static const char plain[] =
        "SELECT id, account_id, kind, sender, recipient, message, attempts, created_at "
        "FROM mail_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1";
    static const char locking[] =
        "SELECT id, account_id, kind, sender, recipient, message, attempts, created_at "
        "FROM mail_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1 "
        "FOR UPDATE SKIP LOCKED";
    int rc;
    {
        PREPARE(s, d, db_supports_notify(d) ? locking : plain);
        db_bind_i64(s, 1, now);
        if ((rc = step_one(s))) return rc;
        memset(out, 0, sizeof *out);
        out->id = db_col_i64(s, 0);
        out->account_id = db_col_i64(s, 1);
        out->kind = col_str(s, 2, a);
        out->sender = col_str(s, 3, a);
        out->recipient = col_str(s, 4, a);
        out->message = col_str(s, 5, a);
        out->attempts = (int)db_col_i64(s, 6) + 1;
        out->created_at = db_col_i64(s, 7);
        out->next_attempt_at = lease_until;
        db_reset(s);
    }
    PREPARE(s, d,
            "UPDATE mail_outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?");
    db_bind_i64(s, 1, lease_until);
    db_bind_i64(s, 2, out->id);
    return db_step_done(s);
}

int store_outbox_delete(db *d, int64_t id)
{
    PREPARE(s, d, "DELETE FROM mail_outbox WHERE id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_outbox_retry(db *d, int64_t id, int64_t at, const char *error)
{
    PREPARE(s, d, "UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?");
    db_bind_i64(s, 1, at);
    db_bind_text(s, 2, error, -1);
    db_bind_i64(s, 3, id);
    return db_step_done(s);
}

int store_outbox_count(db *d, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM mail_outbox");
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}
