/*
 * offboard.c — a person leaves the company (app/offboard.h). The channels are settled first,
 * since they are what can refuse: every owned channel's new owner is found before anything is
 * written, and the whole act is one transaction, so a refusal leaves nothing half done.
 */
#include "app/offboard.h"
#include "app/audit.h"
#include "app/avatars.h"
#include "app/exports.h"
#include "app/graph.h"
#include "app/moderation.h"
#include "app/posts.h"
#include "app/retention.h"
#include "store/accounts.h"
#include "store/auth.h"
#include "store/channels.h"
#include "store/graph.h"
#include "store/lists.h"
#include "store/offboard.h"

/* The one who takes channel ch over: transfer_to, or the channel's successor. */
static int heir(app_ctx *c, const offboard_req *r, int64_t ch, int64_t *who, bool *owner)
{
    if (r->transfer_to) {
        *who = r->transfer_to;
        *owner = false;
        return PL_OK;
    }
    int rc = store_channel_successor(c->db, ch, r->account_id, who, owner);
    if (rc != PL_ENOTFOUND) return rc;
    const pl_account *a = app_account(c, ch);
    return app_fail(c, PL_EINVAL,
                    "The channel %s has no other owner or moderator: name who takes its channels "
                    "over (transfer_to)",
                    a ? a->username : "(unknown)");
}

static int check(app_ctx *c, const offboard_req *r, const pl_account **who)
{
    if (r->actor && !moderation_is_admin(r->actor))
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may off-board an account");
    /* the record itself, not app_account: a suspended person (hidden from everyone) is
     * often the one who leaves */
    pl_account *a = arena_alloc(c->a, sizeof *a);
    int rc = r->account_id > 0 ? store_account_get(c->db, r->account_id, c->a, a) : PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND || (!rc && a->is_group))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (rc) return rc;
    if (c->viewer_id && c->viewer_id == r->account_id)
        return app_fail(c, PL_EINVAL, "You cannot off-board yourself");
    if (r->transfer_to) {
        const pl_account *t = app_account(c, r->transfer_to);
        if (!t || t->is_group)
            return app_fail(c, PL_EINVAL, "transfer_to must name a person of the company");
        if (t->id == a->id)
            return app_fail(c, PL_EINVAL, "transfer_to must be someone other than who leaves");
        if (t->is_disabled) return app_fail(c, PL_EINVAL, "transfer_to names a disabled account");
    }
    if (r->wipe) {
        pl_legal_hold h;
        rc = retention_hold_of(c, HOLD_ACCOUNT, a->id, &h);
        if (rc == PL_OK)
            return app_fail(c, PL_EINVAL,
                            "%s is under a legal hold: off-board without wiping, or release the "
                            "hold first",
                            a->username);
        if (rc != PL_ENOTFOUND) return rc;
    }
    *who = a;
    return PL_OK;
}

/* Passes every channel the account owns on; *n how many. */
static int pass_channels(app_ctx *c, const offboard_req *r, int64_t *n)
{
    int64_t *ids;
    int count;
    int rc = store_channel_roles_held(c->db, r->account_id, ROLE_OWNER, c->a, &ids, &count);
    if (rc) return rc;
    /* every heir first: a channel nobody can take refuses before anything is written */
    int64_t *heirs = arena_alloc(c->a, sizeof *heirs * (size_t)(count ? count : 1));
    bool *owners = arena_alloc(c->a, sizeof *owners * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++)
        if ((rc = heir(c, r, ids[i], &heirs[i], &owners[i]))) return rc;
    for (int i = 0; i < count; i++) {
        if (owners[i]) continue; /* another owner has it already */
        /* a named heir who is not a member joins (a private channel lets them in) */
        if (!store_follows(c->db, heirs[i], ids[i]) &&
            (rc = graph_follow_approved(c, heirs[i], ids[i])))
            return rc;
        if ((rc = store_channel_role_set(c->db, ids[i], heirs[i], ROLE_OWNER))) return rc;
        rc = audit_record(
            c, &(audit_entry){.action = "channel.role",
                              .target_kind = "channel",
                              .target_id = ids[i],
                              .detail = {AUDIT_ID("account_id", heirs[i]),
                                         AUDIT_STR("role", "owner"), AUDIT_STR("by", "offboard"),
                                         AUDIT_ID("from_id", r->account_id)}});
        if (rc) return rc;
    }
    *n = count;
    return PL_OK;
}

int offboard_account(app_ctx *c, const offboard_req *r, offboard_report *out)
{
    *out = (offboard_report){0};
    const pl_account *a = NULL;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    if (!(rc = check(c, r, &a))) rc = pass_channels(c, r, &out->channels);
    int64_t roles; /* the leaver's own roles, owner and moderator: dropped, not reported */
    if (!rc) rc = store_channel_roles_drop(c->db, r->account_id, &roles);
    if (!rc) rc = store_account_set_disabled(c->db, r->account_id, true);
    if (!rc && !(rc = store_tokens_revoke_account(c->db, r->account_id, c->now)))
        out->tokens = db_changes(c->db);
    if (!rc) rc = store_follow_requests_drop_account(c->db, r->account_id, &out->follow_requests);
    if (!rc) rc = store_list_memberships_drop(c->db, r->account_id, &out->list_memberships);
    if (!rc && r->wipe)
        rc = store_wipe_request(c->db, r->account_id, r->actor ? r->actor->id : 0, c->now);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "admin.offboard",
                              .target_kind = "account",
                              .target_id = r->account_id,
                              .detail = {AUDIT_STR("username", a->username),
                                         AUDIT_ID("transfer_to", r->transfer_to),
                                         AUDIT_COUNT("tokens", out->tokens),
                                         AUDIT_COUNT("follow_requests", out->follow_requests),
                                         AUDIT_COUNT("list_memberships", out->list_memberships),
                                         AUDIT_COUNT("channels", out->channels),
                                         AUDIT_STR("wipe", r->wipe ? "asked" : NULL)}});
    return app_txn_end(c, rc);
}

int offboard_wipe_totals(app_ctx *c, int64_t account_id, int64_t *posts, int64_t *files)
{
    return store_wipe_counts(c->db, account_id, posts, files);
}

int offboard_wipe_next(app_ctx *c, int64_t *account_id)
{
    return store_wipe_next(c->db, account_id);
}

/* The end of a wipe: archives, pictures, the profile's texts; done and audited. *old_files
 * are the pictures' files, to forget after the commit. */
static int wipe_finish(app_ctx *c, int64_t id, int64_t posts, int64_t files, int64_t old[2])
{
    int archives = 0;
    int64_t made;
    int rc = exports_delete_of_account(c, id, &archives);
    if (!rc) rc = avatars_replace(c, id, AVATAR_PICTURE, NULL, &made, &old[0]);
    if (!rc) rc = avatars_replace(c, id, AVATAR_HEADER, NULL, &made, &old[1]);
    if (!rc) rc = store_account_clear_profile(c->db, id);
    if (!rc) rc = store_wipe_progress(c->db, id, posts, files, true, c->now);
    if (rc == PL_ENOTFOUND) return PL_OK; /* another node finished it: its row says so */
    int64_t all_posts = 0, all_files = 0;
    if (!rc) rc = store_wipe_counts(c->db, id, &all_posts, &all_files);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "admin.offboard_wipe",
                                            .no_actor = true,
                                            .target_kind = "account",
                                            .target_id = id,
                                            .detail = {AUDIT_COUNT("posts", all_posts),
                                                       AUDIT_COUNT("files", all_files),
                                                       AUDIT_COUNT("archives", archives)}});
    return rc;
}

int offboard_wipe_step(app_ctx *c, int64_t account_id, int batch, bool *done, int64_t *posts,
                       int64_t *files)
{
    *done = false;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    pl_legal_hold h;
    rc = retention_hold_of(c, HOLD_ACCOUNT, account_id, &h);
    if (rc == PL_OK) {
        const pl_account *a = app_account(c, account_id);
        rc = app_fail(c, PL_EINVAL, "%s is under a legal hold: its wipe waits until it is released",
                      a ? a->username : "the account");
    } else if (rc == PL_ENOTFOUND) {
        rc = PL_OK;
    }
    int64_t *ids = NULL, p = 0, f = 0, old[2] = {0, 0};
    int n = 0;
    if (!rc)
        rc = store_wipe_batch(c->db, account_id, batch > 0 ? batch : OFFBOARD_WIPE_BATCH, c->a,
                              &ids, &n);
    for (int i = 0; i < n && !rc; i++) rc = posts_purge(c, ids[i], &p, &f);
    bool last = !rc && n < (batch > 0 ? batch : OFFBOARD_WIPE_BATCH);
    if (!rc)
        rc = last ? wipe_finish(c, account_id, p, f, old)
                  : store_wipe_progress(c->db, account_id, p, f, false, c->now);
    if ((rc = app_txn_end(c, rc))) return rc;
    for (int k = 0; k < 2; k++) avatars_forget(c, old[k]);
    *posts += p;
    *files += f;
    *done = last;
    return PL_OK;
}
