/*
 * retention.c — retention policies, legal holds, a person's own automatic deletion, and the
 * run that deletes what they make due (app/retention.h).
 *
 * A run reads the posts due a batch at a time in a read snapshot (the choice may walk past
 * held posts: it takes no write lock), then in a short write transaction checks each again
 * with the same query (a hold set or a policy changed meanwhile is seen) and purges it with
 * everything derived (posts_purge). The lease row makes one run at a time among the nodes
 * and the command line; it is renewed in each batch's transaction, so a run that lost it
 * (a pause longer than the lease) stops instead of deleting beside another.
 */
#include <stdint.h>
#include <string.h>

#include "app/audit.h"
#include "app/posts.h"
#include "app/retention.h"
#include "util/text.h"
#include "util/timeutil.h"

static int need_admin(app_ctx *c, const pl_account *viewer)
{
    if (viewer && !viewer->is_admin)
        return app_fail(c, PL_EFORBIDDEN,
                        "Only administrators may read or change retention policies and holds");
    return PL_OK;
}

/* Code points of valid UTF-8 text, or -1 when it is not. */
static long text_chars(const char *s)
{
    size_t len = strlen(s);
    if (!text_is_valid_utf8(s, len)) return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static const char *const scope_names[] = {[RETENTION_COMPANY] = "company",
                                          [RETENTION_DIRECT] = "direct",
                                          [RETENTION_CHANNEL] = "channel",
                                          [RETENTION_OWN] = "own"};

/* ---- policies ------------------------------------------------------------------------- */

int retention_policies(app_ctx *c, const pl_account *viewer, pl_retention_policy **out, int *n)
{
    int rc = need_admin(c, viewer);
    return rc ? rc : store_retention_policies(c->db, c->a, out, n);
}

int retention_policy_set(app_ctx *c, const pl_account *viewer, int scope, int64_t channel_id,
                         int64_t days)
{
    int rc = need_admin(c, viewer);
    if (rc) return rc;
    if (scope < RETENTION_COMPANY || scope > RETENTION_CHANNEL)
        return app_fail_field(c, PL_EINVAL, "scope", "ERR_INVALID",
                              "Validation failed: scope must be company, direct or channel");
    if (days != 0 && (days < RETENTION_DAYS_MIN || days > RETENTION_DAYS_MAX))
        return app_fail_field(c, PL_EINVAL, "days", "ERR_INVALID",
                              "Validation failed: days must be a whole number from %d to %d",
                              RETENTION_DAYS_MIN, RETENTION_DAYS_MAX);
    if (scope != RETENTION_CHANNEL)
        channel_id = 0;
    else if (channel_id <= 0 || !app_channel(c, channel_id))
        return app_fail_field(c, PL_EINVAL, "channel_id", "ERR_INVALID",
                              "Validation failed: channel_id is not a channel");
    if ((rc = app_txn_begin(c))) return rc;
    pl_retention_policy p = {.scope = scope,
                             .channel_id = channel_id,
                             .days = (int)days,
                             .set_by = viewer ? viewer->id : 0,
                             .set_at = c->now};
    bool existed = false;
    rc = store_retention_policy_set(c->db, &p, &existed);
    if (!rc && !days && !existed) rc = app_fail(c, PL_ENOTFOUND, "There is no such policy");
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = days ? "retention.policy_set" : "retention.policy_remove",
                              .actor_id = viewer ? viewer->id : 0,
                              .no_actor = !viewer,
                              .target_kind = scope == RETENTION_CHANNEL ? "channel" : NULL,
                              .target_id = channel_id,
                              .detail = {AUDIT_STR("scope", scope_names[scope]),
                                         AUDIT_COUNT("days", days),
                                         AUDIT_STR("by", viewer ? NULL : "admin_cli")}});
    return app_txn_end(c, rc);
}

/* ---- holds ---------------------------------------------------------------------------- */

int retention_holds(app_ctx *c, const pl_account *viewer, bool all, pl_legal_hold **out, int *n)
{
    int rc = need_admin(c, viewer);
    return rc ? rc : store_holds(c->db, !all, c->a, out, n);
}

int retention_hold_of(app_ctx *c, int kind, int64_t target, pl_legal_hold *out)
{
    return store_hold_active(c->db, kind, target, c->a, out);
}

static int hold_audit(app_ctx *c, const pl_account *viewer, const char *action,
                      const pl_legal_hold *h)
{
    return audit_record(
        c,
        &(audit_entry){.action = action,
                       .actor_id = viewer ? viewer->id : 0,
                       .no_actor = !viewer,
                       .target_kind = h->target_kind == HOLD_CHANNEL ? "channel" : "account",
                       .target_id = h->target_id,
                       .detail = {AUDIT_ID("hold_id", h->id),
                                  AUDIT_STR("reason", h->reason && *h->reason ? h->reason : NULL),
                                  AUDIT_STR("by", viewer ? NULL : "admin_cli")}});
}

int retention_hold_set(app_ctx *c, const pl_account *viewer, int kind, int64_t target,
                       const char *reason, pl_legal_hold *out)
{
    int rc = need_admin(c, viewer);
    if (rc) return rc;
    if (kind == HOLD_CHANNEL ? target <= 0 || !app_channel(c, target)
                             : target <= 0 || !app_account(c, target) || app_channel(c, target))
        return app_fail_field(c, PL_EINVAL, kind == HOLD_CHANNEL ? "channel_id" : "account_id",
                              "ERR_INVALID", "Validation failed: %s",
                              kind == HOLD_CHANNEL ? "channel_id is not a channel"
                                                   : "account_id is not a person's account");
    long chars = reason ? text_chars(reason) : 0;
    if (chars < 0 || chars > HOLD_REASON_MAX)
        return app_fail_field(c, PL_EINVAL, "reason", "ERR_INVALID",
                              "Validation failed: reason must be text of at most %d characters",
                              HOLD_REASON_MAX);
    if ((rc = app_txn_begin(c))) return rc;
    pl_legal_hold had;
    rc = store_hold_active(c->db, kind, target, c->a, &had);
    if (rc == PL_OK)
        rc = app_fail(c, PL_EINVAL, "Validation failed: it is already under a legal hold (id %lld)",
                      (long long)had.id);
    else if (rc == PL_ENOTFOUND)
        rc = PL_OK;
    *out = (pl_legal_hold){.id = app_new_id(c),
                           .target_kind = kind,
                           .target_id = target,
                           .reason = reason ? reason : "",
                           .set_by = viewer ? viewer->id : 0,
                           .set_at = c->now};
    if (!rc) rc = store_hold_insert(c->db, out);
    if (!rc) rc = hold_audit(c, viewer, "hold.set", out);
    return app_txn_end(c, rc);
}

int retention_hold_release(app_ctx *c, const pl_account *viewer, int64_t id, pl_legal_hold *out)
{
    int rc = need_admin(c, viewer);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    pl_legal_hold *all;
    int n;
    rc = store_holds(c->db, true, c->a, &all, &n);
    int i = 0;
    while (!rc && i < n && all[i].id != id) i++;
    if (!rc && i == n) rc = app_fail(c, PL_ENOTFOUND, "No legal hold in force has this id");
    if (!rc) rc = store_hold_release(c->db, id, viewer ? viewer->id : 0, c->now);
    if (!rc) {
        *out = all[i];
        out->released_by = viewer ? viewer->id : 0;
        out->released_at = c->now;
        rc = hold_audit(c, viewer, "hold.release", out);
    }
    return app_txn_end(c, rc);
}

/* ---- a person's own ------------------------------------------------------------------- */

int retention_cleanup_get(app_ctx *c, int64_t account, pl_cleanup_policy *out)
{
    int rc = store_cleanup_get(c->db, account, out);
    if (rc != PL_ENOTFOUND) return rc;
    /* Mastodon's defaults */
    *out = (pl_cleanup_policy){.account_id = account,
                               .min_status_age = 14 * 86400,
                               .keep_direct = true,
                               .keep_pinned = true,
                               .keep_self_fav = true,
                               .keep_self_bookmark = true,
                               .min_favs = -1,
                               .min_reblogs = -1};
    return PL_OK;
}

int retention_cleanup_set(app_ctx *c, int64_t account, const pl_cleanup_policy *p)
{
    if (p->min_status_age < CLEANUP_AGE_MIN || p->min_status_age > CLEANUP_AGE_MAX)
        return app_fail_field(c, PL_EINVAL, "min_status_age", "ERR_INVALID",
                              "Validation failed: min_status_age must be a number of seconds "
                              "from %lld (a day) to %lld (a hundred years)",
                              CLEANUP_AGE_MIN, CLEANUP_AGE_MAX);
    if (p->min_favs < -1 || p->min_favs > 1000000000)
        return app_fail_field(c, PL_EINVAL, "min_favs", "ERR_INVALID",
                              "Validation failed: min_favs must be a positive number or null");
    if (p->min_reblogs < -1 || p->min_reblogs > 1000000000)
        return app_fail_field(c, PL_EINVAL, "min_reblogs", "ERR_INVALID",
                              "Validation failed: min_reblogs must be a positive number or null");
    pl_cleanup_policy v = *p;
    v.account_id = account;
    v.updated_at = c->now;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_cleanup_set(c->db, &v);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "account.cleanup_policy",
                              .actor_id = account,
                              .target_kind = "account",
                              .target_id = account,
                              .detail = {AUDIT_STR("enabled", v.enabled ? "true" : "false"),
                                         AUDIT_COUNT("min_status_age", v.min_status_age)}});
    return app_txn_end(c, rc);
}

/* ---- the run -------------------------------------------------------------------------- */

/* The newest id any policy can make due at k->now (exclusive), 0 when no policy is in force. */
static int run_bound(app_ctx *c, pl_retention_clock *k, int64_t *before)
{
    pl_retention_policy *p;
    int n;
    int rc = store_retention_policies(c->db, c->a, &p, &n);
    if (rc) return rc;
    int64_t shortest = -1; /* ms of age: the shortest policy reaches the newest posts */
    for (int i = 0; i < n; i++) {
        if (p[i].scope == RETENTION_COMPANY) k->company_days = p[i].days;
        if (p[i].scope == RETENTION_DIRECT) k->direct_days = p[i].days;
        int64_t age = (int64_t)p[i].days * 86400000;
        if (shortest < 0 || age < shortest) shortest = age;
    }
    int64_t own;
    rc = store_cleanup_min_age(c->db, &own);
    if (rc && rc != PL_ENOTFOUND) return rc;
    if (!rc && (shortest < 0 || own * 1000 < shortest)) shortest = own * 1000;
    *before = shortest < 0 ? 0 : id_floor_for_ms(k->now - shortest);
    return PL_OK;
}

/* Takes or renews the lease; due_before as store_retention_lease's. */
static int lease(app_ctx *c, const char *who, int64_t due_before, bool *got)
{
    int64_t real = time_now_ms(); /* not c->now: a run "at" a later time must not keep it */
    return store_retention_lease(c->db, who, real, real + RETENTION_LEASE_MS, due_before, got);
}

/* One batch: chosen in a read, then checked again and purged in one write transaction. */
static int run_batch(app_ctx *c, const retention_opts *o, const pl_retention_clock *k,
                     int64_t *cursor, int64_t before, retention_summary *s, bool *more)
{
    int batch = o->batch > 0 ? o->batch : RETENTION_BATCH;
    pl_retention_due *due;
    int n;
    int rc = db_begin_read(c->db);
    if (rc) return rc;
    rc = store_retention_due(c->db, k, *cursor, before, batch, c->a, &due, &n);
    db_end_read(c->db);
    if (rc) return rc;
    *more = n == batch;
    if (!n) return PL_OK;
    if ((rc = app_txn_begin(c))) return rc;
    int64_t t0 = time_now_ms(); /* the lock is held from here (waiting for it is not counted) */
    bool got = false;
    rc = lease(c, o->who, INT64_MAX, &got);
    if (!rc && !got) rc = app_fail(c, PL_ECONFLICT, "Another retention run took over the lease");
    int64_t posts = 0, files = 0, scoped[RETENTION_OWN + 1] = {0};
    int done = 0;
    /* at most the batch, and no more than the time budget: the write lock is held that long */
    for (int i = 0; i < n && !rc && (i == 0 || time_now_ms() - t0 < RETENTION_TXN_BUDGET_MS);
         i++, done++) {
        int scope;
        rc = store_retention_due_one(c->db, k, due[i].id, &scope);
        if (rc || !scope) continue; /* held or changed meanwhile: kept */
        int64_t before_posts = posts;
        rc = posts_purge(c, due[i].id, &posts, &files);
        scoped[scope] += posts - before_posts;
        if (!rc) s->upto_id = due[i].id;
    }
    rc = app_txn_end(c, rc);
    int64_t took = time_now_ms() - t0;
    if (took > s->longest_txn_ms) s->longest_txn_ms = took;
    if (o->after_batch) o->after_batch(o->ud, rc == PL_OK, took);
    if (rc) return rc;
    s->batches++;
    s->posts += posts;
    s->files += files;
    for (int i = 0; i <= RETENTION_OWN; i++) s->by_scope[i] += scoped[i];
    *cursor = due[done - 1].id;
    if (done < n) *more = true;
    return PL_OK;
}

int retention_run(app_ctx *c, const retention_opts *o, retention_summary *s)
{
    *s = (retention_summary){.at = c->now};
    pl_retention_clock k = {.now = c->now};
    int64_t before;
    int rc = run_bound(c, &k, &before);
    if (rc) return rc;
    if (!before) {
        s->idle = true;
        return PL_OK;
    }
    bool got = false;
    int64_t began = time_now_ms();
    if ((rc = app_txn_begin(c))) return rc;
    rc = app_txn_end(c, lease(c, o->who, o->every_ms > 0 ? began - o->every_ms : INT64_MAX, &got));
    if (rc) return rc;
    if (!got) {
        s->busy = true;
        return PL_OK;
    }
    int64_t cursor = 0;
    bool more = true;
    while (more && !rc) {
        /* a context of its own per batch: what a batch reads is freed with it */
        arena a = ARENA_INIT;
        app_ctx b = {.db = c->db,
                     .cfg = c->cfg,
                     .ids = c->ids,
                     .a = &a,
                     .now = c->now,
                     .own_txn = c->own_txn,
                     .limits = c->limits,
                     .avatars = c->avatars,
                     .media = c->media};
        rc = run_batch(&b, o, &k, &cursor, before, s, &more);
        if (rc && b.errmsg) c->errmsg = arena_strdup(c->a, b.errmsg);
        arena_free(&a);
    }
    /* one row for the run, whatever it did (also what it did before an error) */
    char at[40];
    time_iso8601(s->at, at, sizeof at);
    int arc = app_txn_begin(c);
    if (!arc) {
        arc = audit_record(
            c, &(audit_entry){.action = "retention.run",
                              .no_actor = true,
                              .detail = {AUDIT_COUNT("posts", s->posts),
                                         AUDIT_COUNT("files", s->files),
                                         AUDIT_COUNT("company", s->by_scope[RETENTION_COMPANY]),
                                         AUDIT_COUNT("direct", s->by_scope[RETENTION_DIRECT]),
                                         AUDIT_COUNT("channel", s->by_scope[RETENTION_CHANNEL]),
                                         AUDIT_COUNT("own", s->by_scope[RETENTION_OWN]),
                                         AUDIT_STR("at", at), AUDIT_ID("upto_id", s->upto_id)}});
        if (!arc) arc = store_retention_lease_drop(c->db, o->who, began);
        arc = app_txn_end(c, arc);
    }
    return rc ? rc : arc;
}
