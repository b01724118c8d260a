/**
 * moderation.h — who moderates, and what moderators do to accounts (issue 14, "Reports and
 * moderation"; docs/api.md "Moderation"; docs/ARCHITECTURE.md "Moderation").
 *
 * Roles (an account's `role`, migration 053): an administrator and a moderator are staff. Staff
 * use the reports (app/reports.h) and accounts admin API; only an administrator sets roles
 * (and reads the audit log, app/audit.h). A disabled or suspended account is nobody's staff.
 *
 * What the account actions do:
 *   - disable: cannot sign in; every token (every app's and every web session) is revoked at
 *     once, the streams of those tokens closed on every node (as `partyline admin
 *     disable-user`); enable undoes it.
 *   - silence: the account is marked; what that hides is listed in docs/api.md (what is left
 *     to do is said there).
 *   - suspend: disabled as above, and marked suspended; unsuspend lifts both.
 *   - approve / reject: a sign-up waiting for approval is let in, or deleted.
 * Every act writes its audit row (app/audit.h) in its own transaction, and fails with it.
 */
#ifndef PL_MODERATION_H
#define PL_MODERATION_H

#include "app/app.h"
#include "store/accounts.h"

/** Is a a moderator or an administrator (and neither disabled nor suspended)? */
bool moderation_is_staff(const pl_account *a);
/** Is a an administrator (and neither disabled nor suspended)? */
bool moderation_is_admin(const pl_account *a);

/** PL_OK when viewer is staff; PL_EFORBIDDEN with a message otherwise. */
int moderation_need_staff(app_ctx *c, const pl_account *viewer);

/** "admin", "moderator" or "user" for a PL_ROLE_*; and back: -1 when name is none of them. */
const char *moderation_role_name(int role);
int moderation_role_parse(const char *name);

/**
 * Sets target's role (by is NULL: the command line, which may do anything; else only an
 * administrator may, PL_EFORBIDDEN otherwise). An administrator cannot take their own role
 * away (PL_EINVAL: the server would be left without one who can give it back). A channel's
 * account has no role (PL_EINVAL). Audited as admin.set_role.
 */
int moderation_set_role(app_ctx *c, const pl_account *by, int64_t target, int role);

/** The actions of POST /api/v1/admin/accounts/:id/action and the undoing ones. */
enum moderation_act {
    MOD_NONE,      /**< a warning: nothing changes (with a report: it is resolved) */
    MOD_DISABLE,   /**< disable: no sign-in, every token revoked */
    MOD_SILENCE,   /**< silence */
    MOD_SUSPEND,   /**< suspend (and disable) */
    MOD_ENABLE,    /**< undo disable */
    MOD_UNSILENCE, /**< undo silence */
    MOD_UNSUSPEND, /**< undo suspend (and disable) */
    MOD_APPROVE,   /**< let a waiting sign-up in */
    MOD_REJECT,    /**< delete a waiting sign-up */
};

/** The name of an action type as the API spells it ("none", "disable", …); -1 for another. */
int moderation_act_parse(const char *type);

/**
 * Does act to target on behalf of staff member `by` (NULL: the command line). report_id (0:
 * none) is a report about target that the act resolves; text is the moderator's note (kept in
 * the audit row's detail only as its length: notes may name what the post said). Staff cannot
 * act on themselves, and a moderator cannot act on an administrator or another moderator
 * (PL_EFORBIDDEN): only an administrator acts on staff. approve and reject need a waiting
 * sign-up (PL_EINVAL otherwise). PL_ENOTFOUND for no such account (or a channel's).
 */
int moderation_act(app_ctx *c, const pl_account *by, int64_t target, int act, int64_t report_id,
                   const char *text);

/** The moderators' listing of people: a page of ids newest first. Staff only. */
int moderation_accounts_page(app_ctx *c, const pl_account *viewer, const pl_account_filter *f,
                             const pl_page *p, pl_idlist *out);

/** One person for the moderators (the record and the reason it gave for joining, NULL if
 *  none). Staff only; PL_ENOTFOUND for no such person. */
int moderation_account(app_ctx *c, const pl_account *viewer, int64_t id, const pl_account **out,
                       const char **reason);

#endif
