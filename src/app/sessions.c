/*
 * sessions.c — a person's own sessions and password change (the rules: sessions.h).
 *
 * A session is a row of `tokens`, so nothing new is stored: the list is the person's live
 * tokens joined to their apps, and revoking one is the same revocation OAuth's /oauth/revoke
 * makes, with its event that ends the token's streams. Every query names the account, so one
 * person's request cannot reach another's token whatever id it sends.
 *
 * The current password is checked by auth_check_password, the sign-in's own check, so a
 * stolen token cannot be used to guess the password faster than the sign-in page allows.
 * Never: change a password without the current one (administrators do, with the CLI:
 * accounts_set_password).
 */
#include "app/sessions.h"

#include <string.h>

#include "app/accounts.h"
#include "app/audit.h"
#include "store/accounts.h"

int sessions_list(app_ctx *c, int64_t account_id, int64_t max_id, int limit, pl_session **out,
                  int *n)
{
    return store_sessions_page(c->db, account_id, max_id, limit, c->a, out, n);
}

int sessions_revoke(app_ctx *c, int64_t account_id, int64_t id)
{
    int rc = store_session_revoke(c->db, account_id, id, c->now);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (rc) return rc;
    return audit_record(c, &(audit_entry){.action = "session.sign_out",
                                          .actor_id = account_id,
                                          .target_kind = "token",
                                          .target_id = id});
}

int sessions_change_password(app_ctx *c, const pl_account *acc, int64_t keep_id,
                             const char *current, const char *password, auth_signin *who)
{
    if (!current || !*current)
        return app_fail_field(c, PL_EINVAL, "current_password", "ERR_BLANK",
                              "Validation failed: current_password is required");
    const char *bad = accounts_password_length_error(password ? strlen(password) : 0);
    if (bad)
        return app_fail_field(c, PL_EINVAL, "password", bad,
                              "Validation failed: Password must be between %d and %d characters",
                              ACCOUNTS_PASSWORD_MIN, ACCOUNTS_PASSWORD_MAX);
    if (!strcmp(current, password))
        return app_fail_field(c, PL_EINVAL, "password", "ERR_INVALID",
                              "Validation failed: the new password is the same as the current "
                              "one");
    pl_account checked;
    int rc = auth_check_password(c, acc->username, current, who, &checked);
    if (rc == PL_EAUTH || (rc == PL_OK && checked.id != acc->id)) {
        /* 422, not 401: the token is good, the field is wrong (a 401 signs a client out) */
        c->errcode = NULL;
        return app_fail_field(c, PL_EINVAL, "current_password", "ERR_INVALID",
                              "Validation failed: the current password is not correct");
    }
    if (rc) return rc;
    const char *hash = auth_password_hash(c, password);
    if (!hash) return app_fail(c, PL_EINTERNAL, "Could not hash the password");
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_set_password(c->db, acc->id, hash);
    if (!rc) rc = store_sessions_revoke_others(c->db, acc->id, keep_id, c->now);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "account.password_change",
                                            .actor_id = acc->id,
                                            .target_kind = "account",
                                            .target_id = acc->id,
                                            .detail = {AUDIT_ID("kept_token_id", keep_id)}});
    return app_txn_end(c, rc);
}
