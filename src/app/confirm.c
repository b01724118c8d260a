/*
 * confirm.c — e-mail address confirmation: the link, the message, opening it.
 *
 * The state is a flag on the account (accounts.is_confirmed, read with the account on every
 * request, so refusing an unconfirmed token costs nothing) and one row per unconfirmed
 * account holding the link's hash (store/email.c). The message goes through the outbox in
 * the same transaction as the link, so a link exists exactly when its message is queued.
 * What an unconfirmed token may do is decided in app/auth.c (auth_authenticate) and
 * api/api.c (AUTH_UNCONFIRMED routes), not here.
 */
#include "confirm.h"

#include <sodium.h>
#include <string.h>

#include "app/accounts.h"
#include "app/auth.h"
#include "app/outbox.h"
#include "store/accounts.h"
#include "store/email.h"
#include "util/ids.h"

bool confirm_required(const app_ctx *c)
{
    return config_confirms_email(c->cfg);
}

static const char *message_text(app_ctx *c, const pl_account *acc, const char *link)
{
    const pl_config *cfg = c->cfg;
    buf b = BUF_INIT;
    buf_printf(&b,
               "Hello @%s,\n\n"
               "Someone, probably you, created the account @%s on %s (%s) with this e-mail "
               "address. To confirm that the address is yours and start using the account, "
               "open this link:\n\n"
               "%s\n\n"
               "The link works once, within %d hours. If it has expired, the app you signed up "
               "with can send you a new one.\n\n"
               "If you did not create this account, ignore this message: an account whose "
               "address is not confirmed cannot be used.\n",
               acc->username, acc->username, cfg->instance_name, cfg->base_url, link,
               cfg->confirm_email_hours);
    const char *out = arena_strdup(c->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

int confirm_start(app_ctx *c, const pl_account *acc, int64_t app_id)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char secret[64];
    sodium_bin2base64(secret, sizeof secret, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char hash[65];
    auth_secret_hash(secret, hash);
    int64_t expires = c->now + (int64_t)c->cfg->confirm_email_hours * 3600 * 1000;
    int rc = store_confirmation_put(c->db, acc->id, hash, app_id, expires, c->now);
    if (rc) return rc;
    const char *link =
        arena_printf(c->a, "%s/auth/confirmation?confirmation_token=%s", c->cfg->base_url, secret);
    mail_message m = {
        .from_name = c->cfg->instance_name,
        .from_addr = c->cfg->smtp_from,
        .to_addr = acc->email,
        .subject = arena_printf(c->a, "Confirm your e-mail address for %s", c->cfg->instance_name),
        .text = message_text(c, acc, link),
        .date_ms = c->now,
    };
    return outbox_queue(c, OUTBOX_CONFIRMATION, acc->id, &m);
}

int confirm_resend(app_ctx *c, int64_t account_id, int64_t app_id, const char *new_email,
                   int64_t *retry_after_s)
{
    pl_account acc;
    int rc = store_account_get(c->db, account_id, c->a, &acc);
    if (rc) return rc;
    pl_confirmation conf;
    rc = acc.is_unconfirmed ? store_confirmation_of(c->db, account_id, &conf) : PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND)
        return app_fail(c, PL_EFORBIDDEN,
                        "This method is only available while the e-mail is awaiting "
                        "confirmation");
    if (rc) return rc;
    if (conf.app_id != app_id)
        return app_fail(c, PL_EFORBIDDEN,
                        "This method is only available to the application the user originally "
                        "signed-up with");
    /* before anything changes: a refused resend leaves the address and the link as they were */
    int64_t next = conf.created_at + (int64_t)c->cfg->confirm_resend_every * 1000;
    if (c->now < next) {
        *retry_after_s = (next - c->now + 999) / 1000;
        return app_fail(c, PL_ERATE,
                        "A confirmation link was sent less than %d seconds ago: wait %lld "
                        "seconds before asking for another",
                        c->cfg->confirm_resend_every, (long long)*retry_after_s);
    }
    if (new_email) {
        if ((rc = accounts_check_email(c, new_email, account_id))) return rc;
        acc.email = new_email;
    }
    if ((rc = app_txn_begin(c))) return rc;
    if (new_email) rc = store_account_set_email(c->db, account_id, new_email);
    if (rc == PL_ECONFLICT)
        rc = app_fail_field(c, PL_EINVAL, "email", "ERR_TAKEN",
                            "Validation failed: Email has already been taken");
    if (!rc) rc = confirm_start(c, &acc, conf.app_id);
    return app_txn_end(c, rc);
}

int confirm_open(app_ctx *c, const char *secret, const char **username)
{
    if (!secret || !*secret || strlen(secret) > 128)
        return app_fail(c, PL_ENOTFOUND, "This confirmation link is not complete.");
    char hash[65];
    auth_secret_hash(secret, hash);
    pl_confirmation conf;
    int rc = store_confirmation_by_hash(c->db, hash, &conf);
    if (rc == PL_ENOTFOUND)
        return app_fail(c, rc,
                        "This confirmation link does not work: it was used already, a newer "
                        "one replaced it, or it was copied incompletely.");
    if (rc) return rc;
    if (conf.expires_at < c->now)
        return app_fail(c, PL_EINVAL,
                        "This confirmation link has expired. The app you signed up with can "
                        "send you a new one.");
    pl_account acc;
    if ((rc = store_account_get(c->db, conf.account_id, c->a, &acc))) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_confirmation_done(c->db, conf.account_id);
    if (!rc) rc = store_outbox_delete_kind(c->db, conf.account_id, OUTBOX_CONFIRMATION);
    if ((rc = app_txn_end(c, rc))) return rc;
    *username = acc.username;
    return PL_OK;
}

int confirm_prune_step(app_ctx *c, int64_t *cursor, int *pruned)
{
    *pruned = 0;
    if (c->cfg->unconfirmed_expire <= 0) return PL_OK;
    /* An account is looked at once, when it turns unconfirmed_expire old (ids are creation
     * times): still unconfirmed then, it goes. The cursor is the id looked at last; a new
     * cursor (0, at start) looks at every older account once, by the primary key. */
    int64_t upto = id_floor_for_ms(c->now - (int64_t)c->cfg->unconfirmed_expire * 1000);
    enum { CHUNK = 100 };
    for (;;) {
        int64_t *ids;
        int n;
        int rc = store_accounts_unconfirmed(c->db, *cursor, upto, CHUNK, c->a, &ids, &n);
        if (rc) return rc;
        if (n == 0) break;
        if ((rc = app_txn_begin(c))) return rc;
        int gone = 0;
        for (int i = 0; i < n && !rc; i++) {
            rc = store_account_delete_unconfirmed(c->db, ids[i], c->a);
            if (rc == PL_ENOTFOUND) /* confirmed meanwhile, or another node was first */
                rc = PL_OK;
            else if (!rc)
                gone++;
        }
        if ((rc = app_txn_end(c, rc))) return rc;
        *pruned += gone;
        *cursor = ids[n - 1];
        if (n < CHUNK) break;
    }
    if (upto > *cursor) *cursor = upto;
    return PL_OK;
}
