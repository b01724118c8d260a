/*
 * outbox.c — the queue between "a message should go" and the SMTP relay.
 *
 * Queued in the transaction of the act that causes it (see outbox.h), so a rolled-back
 * registration sends nothing; sent from one background thread per node, which is the only
 * caller of mail_send and may block on the relay for up to smtp_timeout seconds. The lease
 * (how long a taken message is hidden from other senders) is that timeout plus a minute, so
 * a slow relay never makes two nodes send the same message at once.
 */
#include "outbox.h"

#include <string.h>

#include "store/email.h"
#include "util/log.h"

enum { MAX_RETRY_MS = 60 * 60 * 1000 };

int outbox_queue(app_ctx *c, const char *kind, int64_t account_id, const mail_message *m)
{
    buf msg = BUF_INIT;
    const char *why = NULL;
    char message_id[128];
    if (mail_compose(m, &msg, message_id, &why) != PL_OK) {
        buf_free(&msg);
        return app_fail(c, PL_EINVAL, "The message cannot be sent: %s", why);
    }
    pl_mail row = {
        .id = app_new_id(c),
        .account_id = account_id,
        .kind = kind,
        .sender = m->from_addr,
        .recipient = m->to_addr,
        .message = buf_cstr(&msg),
        .next_attempt_at = c->now,
        .created_at = c->now,
    };
    int rc = account_id ? store_outbox_delete_kind(c->db, account_id, kind) : PL_OK;
    if (!rc) rc = store_outbox_insert(c->db, &row);
    buf_free(&msg);
    return rc;
}

mail_relay outbox_relay(const pl_config *cfg)
{
    return (mail_relay){
        .url = cfg->smtp_url,
        .user = cfg->smtp_user,
        .password = cfg->smtp_password,
        .starttls = cfg->smtp_starttls,
        .timeout_sec = cfg->smtp_timeout,
    };
}

/* mail_retry_seconds after the first failure, doubling, at most an hour. */
static int64_t retry_delay(const pl_config *cfg, int attempts)
{
    int64_t ms = (int64_t)cfg->mail_retry_seconds * 1000;
    for (int i = 1; i < attempts && ms < MAX_RETRY_MS; i++) ms *= 2;
    return ms < MAX_RETRY_MS ? ms : MAX_RETRY_MS;
}

int outbox_deliver_one(app_ctx *c, const mail_relay *relay, bool *attempted)
{
    *attempted = false;
    pl_mail m;
    int64_t lease = (int64_t)(relay->timeout_sec > 0 ? relay->timeout_sec : 30) * 1000 + 60000;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = app_txn_end(c, store_outbox_claim(c->db, c->now, c->now + lease, c->a, &m));
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *attempted = true;
    char err[256];
    int sent =
        mail_send(relay, m.sender, m.recipient, m.message, strlen(m.message), err, sizeof err);
    bool give_up = sent == PL_EINVAL || m.attempts >= c->cfg->mail_max_attempts;
    if (sent == PL_OK)
        log_info("event=mail_sent kind=%s id=%lld attempts=%d", m.kind, (long long)m.id,
                 m.attempts);
    else
        log_msg(give_up ? LOG_ERROR : LOG_WARN, "event=%s kind=%s id=%lld attempts=%d msg=\"%s\"",
                give_up ? "mail_given_up" : "mail_retry", m.kind, (long long)m.id, m.attempts, err);
    if ((rc = app_txn_begin(c))) return rc;
    if (sent == PL_OK || give_up)
        rc = store_outbox_delete(c->db, m.id);
    else
        rc = store_outbox_retry(c->db, m.id, c->now + retry_delay(c->cfg, m.attempts), err);
    return app_txn_end(c, rc);
}
