/*
 * moderation.c — roles and the moderators' acts on accounts (see moderation.h for the rules).
 *
 * Every act reads its target fresh from the store (not the request's cache: a role or a state
 * decides what may be done) and writes its change and its audit row in one transaction. The
 * states are columns of the account (migration 053), so that every read of an account carries
 * them and the rules that use them (sign-in refuses a disabled account; auth refuses its
 * tokens, which are revoked besides) need no second look-up.
 */
#include "app/moderation.h"

#include <string.h>

#include "app/audit.h"
#include "app/reports.h"
#include "store/auth.h"

bool moderation_is_staff(const pl_account *a)
{
    return a && a->role != PL_ROLE_USER && !a->is_disabled && !a->is_suspended;
}

bool moderation_is_admin(const pl_account *a)
{
    return a && a->role == PL_ROLE_ADMIN && !a->is_disabled && !a->is_suspended;
}

int moderation_need_staff(app_ctx *c, const pl_account *viewer)
{
    if (moderation_is_staff(viewer)) return PL_OK;
    return app_fail(c, PL_EFORBIDDEN,
                    "This action is allowed only to moderators and administrators");
}

static const char *const role_names[] = {
    [PL_ROLE_USER] = "user", [PL_ROLE_MODERATOR] = "moderator", [PL_ROLE_ADMIN] = "admin"};

const char *moderation_role_name(int role)
{
    return role >= PL_ROLE_USER && role <= PL_ROLE_ADMIN ? role_names[role] : "user";
}

int moderation_role_parse(const char *name)
{
    for (int r = PL_ROLE_USER; name && r <= PL_ROLE_ADMIN; r++)
        if (!strcmp(name, role_names[r])) return r;
    return -1;
}

/* Who did it, for the audit row: the API (a request) or the command line. */
static const char *by_name(app_ctx *c)
{
    return c->ip ? "admin_api" : "admin_cli";
}

/* The target of an act, fresh from the store; channels' accounts are nobody's to moderate. */
static int person(app_ctx *c, int64_t id, pl_account *out)
{
    int rc = id > 0 ? store_account_get(c->db, id, c->a, out) : PL_ENOTFOUND;
    if (rc == PL_OK && out->is_group) rc = PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int moderation_set_role(app_ctx *c, const pl_account *by, int64_t target, int role)
{
    if (by && !moderation_is_admin(by))
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may set roles");
    if (role < PL_ROLE_USER || role > PL_ROLE_ADMIN)
        return app_fail_field(c, PL_EINVAL, "role", "ERR_INVALID",
                              "Validation failed: role must be admin, moderator or user");
    pl_account acc;
    int rc = person(c, target, &acc);
    if (rc) return rc;
    if (by && by->id == acc.id && role != PL_ROLE_ADMIN)
        return app_fail_field(c, PL_EINVAL, "role", "ERR_INVALID",
                              "Validation failed: an administrator cannot take their own role "
                              "away (another administrator can)");
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_set_role(c->db, acc.id, role);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "admin.set_role",
                              .actor_id = by ? by->id : 0,
                              .no_actor = !by,
                              .target_kind = "account",
                              .target_id = acc.id,
                              .detail = {AUDIT_STR("username", acc.username),
                                         AUDIT_STR("role", role_names[role]),
                                         AUDIT_STR("was", moderation_role_name(acc.role)),
                                         AUDIT_STR("by", by_name(c))}});
    return app_txn_end(c, rc);
}

static const char *const act_names[] = {
    [MOD_NONE] = "none",           [MOD_DISABLE] = "disable", [MOD_SILENCE] = "silence",
    [MOD_SUSPEND] = "suspend",     [MOD_ENABLE] = "enable",   [MOD_UNSILENCE] = "unsilence",
    [MOD_UNSUSPEND] = "unsuspend", [MOD_APPROVE] = "approve", [MOD_REJECT] = "reject",
};

/* The audit action of each act: admin.disable, admin.enable and admin.approve are also what
 * the command line's disable-user, enable-user and approve-user write. */
static const char *const act_actions[] = {
    [MOD_NONE] = "admin.warn",           [MOD_DISABLE] = "admin.disable",
    [MOD_SILENCE] = "admin.silence",     [MOD_SUSPEND] = "admin.suspend",
    [MOD_ENABLE] = "admin.enable",       [MOD_UNSILENCE] = "admin.unsilence",
    [MOD_UNSUSPEND] = "admin.unsuspend", [MOD_APPROVE] = "admin.approve",
    [MOD_REJECT] = "admin.reject",
};

int moderation_act_parse(const char *type)
{
    for (int i = MOD_NONE; type && i <= MOD_SUSPEND; i++) /* the action route's types */
        if (!strcmp(type, act_names[i])) return i;
    return -1;
}

/* The change itself, inside the act's transaction. */
static int apply(app_ctx *c, const pl_account *acc, int act)
{
    db *d = c->db;
    int rc;
    switch (act) {
    case MOD_NONE: return PL_OK;
    case MOD_DISABLE:
        rc = store_account_set_disabled(d, acc->id, true);
        return rc ? rc : store_tokens_revoke_account(d, acc->id, c->now);
    case MOD_ENABLE: return store_account_set_disabled(d, acc->id, false);
    case MOD_SILENCE: return store_account_set_silenced(d, acc->id, true);
    case MOD_UNSILENCE: return store_account_set_silenced(d, acc->id, false);
    case MOD_SUSPEND:
        rc = store_account_set_suspended(d, acc->id, true);
        if (!rc) rc = store_account_set_disabled(d, acc->id, true);
        return rc ? rc : store_tokens_revoke_account(d, acc->id, c->now);
    case MOD_UNSUSPEND:
        rc = store_account_set_suspended(d, acc->id, false);
        return rc ? rc : store_account_set_disabled(d, acc->id, false);
    case MOD_APPROVE:
        rc = store_account_set_approved(d, acc->id, true);
        return rc ? rc : store_registration_reason_delete(d, acc->id);
    case MOD_REJECT: return store_account_delete_pending(d, acc->id, c->a);
    default: return PL_EINTERNAL;
    }
}

int moderation_act(app_ctx *c, const pl_account *by, int64_t target, int act, int64_t report_id,
                   const char *text)
{
    int rc = by ? moderation_need_staff(c, by) : PL_OK;
    if (rc) return rc;
    if (act < MOD_NONE || act > MOD_REJECT) return PL_EINTERNAL;
    pl_account acc;
    if ((rc = person(c, target, &acc))) return rc;
    if (by && by->id == acc.id)
        return app_fail(c, PL_EFORBIDDEN, "You cannot act on your own account");
    if (by && acc.role != PL_ROLE_USER && !moderation_is_admin(by))
        return app_fail(c, PL_EFORBIDDEN,
                        "Only an administrator may act on a moderator or an administrator");
    if ((act == MOD_APPROVE || act == MOD_REJECT) && acc.is_approved)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: this account is not waiting for approval");
    if ((rc = app_txn_begin(c))) return rc;
    rc = apply(c, &acc, act);
    if (!rc && report_id) rc = reports_resolve_for(c, by ? by->id : 0, report_id, acc.id);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){
                   .action = act_actions[act],
                   .actor_id = by ? by->id : 0,
                   .no_actor = !by,
                   .target_kind = "account",
                   .target_id = acc.id,
                   .detail = {AUDIT_STR("username", acc.username), AUDIT_STR("by", by_name(c)),
                              report_id ? (audit_detail)AUDIT_ID("report_id", report_id)
                                        : (audit_detail){.key = "report_id"},
                              text && *text
                                  ? (audit_detail)AUDIT_COUNT("text_bytes", (int64_t)strlen(text))
                                  : (audit_detail){.key = "text_bytes"}}});
    return app_txn_end(c, rc);
}

int moderation_accounts_page(app_ctx *c, const pl_account *viewer, const pl_account_filter *f,
                             const pl_page *p, pl_idlist *out)
{
    int rc = moderation_need_staff(c, viewer);
    return rc ? rc : store_accounts_admin_page(c->db, f, p, c->a, out);
}

int moderation_account(app_ctx *c, const pl_account *viewer, int64_t id, const pl_account **out,
                       const char **reason)
{
    int rc = moderation_need_staff(c, viewer);
    if (rc) return rc;
    pl_account *acc = arena_alloc(c->a, sizeof *acc);
    if ((rc = person(c, id, acc))) return rc;
    *out = acc;
    return store_registration_reason_get(c->db, id, c->a, reason);
}
