/*
 * reports.c — filing reports and the moderators' work on them (see reports.h for the rules).
 *
 * A report is checked whole before anything is written: the target, each post against the
 * audience function as the reporter sees it, the comment, the category and the rules; then it
 * is written with its audit row in one transaction. The one place a post is shown past its
 * audience is reports_get's: there the report, not audience_can_see, is what admits a post, and
 * the showing is written to the audit log in the same transaction as the answer is made, so an
 * unrecorded showing cannot happen (if the row cannot be written, nothing is shown).
 */
#include "app/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/about.h"
#include "app/audience.h"
#include "app/audit.h"
#include "app/moderation.h"
#include "app/notify.h"
#include "store/accounts.h"
#include "util/buf.h"
#include "util/ratelimit.h"
#include "util/text.h"

/* Characters (code points) of valid UTF-8. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static const char *const categories[] = {"spam", "legal", "violation", "other", NULL};

static bool category_ok(const char *s)
{
    for (const char *const *k = categories; *k; k++)
        if (!strcmp(*k, s)) return true;
    return false;
}

/* ids as "1 2 3" in the arena ("" for none). */
static const char *ids_text(app_ctx *c, const int64_t *ids, int n)
{
    buf b = BUF_INIT;
    for (int i = 0; i < n; i++) buf_printf(&b, "%s%lld", i ? " " : "", (long long)ids[i]);
    const char *out = arena_strdup(c->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* ids sorted, without repeats, into the arena; *n updated. */
static int64_t *unique_ids(app_ctx *c, const int64_t *ids, int *n)
{
    int64_t *v = arena_alloc(c->a, sizeof *v * (size_t)(*n ? *n : 1));
    if (*n) memcpy(v, ids, sizeof *v * (size_t)*n);
    qsort(v, (size_t)*n, sizeof *v, cmp_id);
    int k = 0;
    for (int i = 0; i < *n; i++)
        if (!k || v[k - 1] != v[i]) v[k++] = v[i];
    *n = k;
    return v;
}

/* The rules named, checked against the server's (numbered 1..n in rules_file). */
static int check_rules(app_ctx *c, const int64_t *rule_ids, int n)
{
    if (!n) return PL_OK;
    const char **rules;
    int n_rules;
    int rc = about_rules(c, &rules, &n_rules);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        if (rule_ids[i] < 1 || rule_ids[i] > n_rules)
            return app_fail_field(c, PL_EINVAL, "rule_ids", "ERR_INVALID",
                                  "Validation failed: rule_ids names a rule this server does not "
                                  "have (%lld; its rules are numbered 1 to %d)",
                                  (long long)rule_ids[i], n_rules);
    return PL_OK;
}

/* The statuses named: at most max_report_statuses, each the target's and seen by the
 * reporter. */
static int check_statuses(app_ctx *c, const pl_account *reporter, int64_t target,
                          const int64_t *ids, int n)
{
    if (n > c->cfg->max_report_statuses)
        return app_fail_field(c, PL_EINVAL, "status_ids", "ERR_TOO_LONG",
                              "Validation failed: a report may name at most %d posts",
                              c->cfg->max_report_statuses);
    for (int i = 0; i < n; i++) {
        const pl_status *s = ids[i] > 0 ? app_status(c, ids[i]) : NULL;
        if (!s || s->account_id != target || s->reblog_of_id ||
            !audience_can_see(c, reporter->id, s))
            return app_fail_field(c, PL_EINVAL, "status_ids", "ERR_INVALID",
                                  "Validation failed: status_ids names a post (%lld) that is not "
                                  "one of that account's posts you can see",
                                  (long long)ids[i]);
    }
    return PL_OK;
}

static int flood_check(app_ctx *c, int64_t reporter)
{
    if (!c->limits || c->cfg->reports_per_hour <= 0) return PL_OK;
    char key[48];
    snprintf(key, sizeof key, "report:%lld", (long long)reporter);
    ratelimit_result r = ratelimit_hit(c->limits, key, c->cfg->reports_per_hour, 3600, c->now);
    if (r.allowed) return PL_OK;
    return app_fail(c, PL_ERATE, "Too many reports: at most %d an hour. Try again in %lld minutes.",
                    c->cfg->reports_per_hour, (long long)((r.reset_ms - c->now) / 60000 + 1));
}

/* Every moderator and administrator but the one it is about hears of a new report (Mastodon's
 * admin.report), under notify_push's rules (one who blocks the reporter does not). */
static int tell_staff(app_ctx *c, const pl_report *r)
{
    int64_t *staff;
    int n;
    int rc = store_accounts_staff(c->db, c->a, &staff, &n);
    for (int i = 0; !rc && i < n; i++)
        if (staff[i] != r->target_account_id) /* not its subject (reports_page) */
            rc = notify_report(c, staff[i], r->account_id, r->id);
    return rc;
}

int reports_create(app_ctx *c, const pl_account *reporter, const report_new *n, pl_report *out)
{
    const pl_account *target = n->target_id > 0 ? app_account(c, n->target_id) : NULL;
    if (!target || target->is_group || target->is_suspended)
        return app_fail(c, PL_ENOTFOUND, "Record not found: account_id names no person");
    if (target->id == reporter->id)
        return app_fail_field(c, PL_EINVAL, "account_id", "ERR_INVALID",
                              "Validation failed: you cannot report yourself");
    const char *comment = n->comment ? n->comment : "";
    if (!text_is_valid_utf8(comment, strlen(comment)))
        return app_fail_field(c, PL_EINVAL, "comment", "ERR_INVALID",
                              "Validation failed: Comment is not valid UTF-8");
    if ((int)utf8_chars(comment) > c->cfg->max_report_comment)
        return app_fail_field(c, PL_EINVAL, "comment", "ERR_TOO_LONG",
                              "Validation failed: Comment is too long (maximum is %d characters)",
                              c->cfg->max_report_comment);
    const char *category = n->category && *n->category ? n->category : "other";
    if (!category_ok(category))
        return app_fail_field(c, PL_EINVAL, "category", "ERR_INVALID",
                              "Validation failed: category must be spam, legal, violation or "
                              "other");
    if (n->n_rules) category = "violation"; /* as Mastodon, whatever category was sent */
    int n_statuses = n->n_statuses, n_rules = n->n_rules;
    int64_t *statuses = unique_ids(c, n->status_ids, &n_statuses);
    int64_t *rules = unique_ids(c, n->rule_ids, &n_rules);
    int rc;
    if ((rc = check_statuses(c, reporter, target->id, statuses, n_statuses))) return rc;
    if ((rc = check_rules(c, rules, n_rules))) return rc;
    if ((rc = flood_check(c, reporter->id))) return rc;
    *out = (pl_report){.id = app_new_id(c),
                       .account_id = reporter->id,
                       .target_account_id = target->id,
                       .category = category,
                       .comment = comment,
                       .rule_ids = ids_text(c, rules, n_rules),
                       .created_at = c->now,
                       .updated_at = c->now,
                       .status_ids = statuses,
                       .n_statuses = n_statuses};
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_report_insert(c->db, out);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){
                   .action = "report.create",
                   .actor_id = reporter->id,
                   .target_kind = "report",
                   .target_id = out->id,
                   .detail = {AUDIT_ID("account_id", target->id), AUDIT_STR("category", category),
                              AUDIT_STR("status_ids",
                                        out->n_statuses ? ids_text(c, statuses, n_statuses) : NULL),
                              AUDIT_STR("rule_ids", *out->rule_ids ? out->rule_ids : NULL)}});
    if (!rc) rc = tell_staff(c, out);
    return app_txn_end(c, rc);
}

int reports_page(app_ctx *c, const pl_account *viewer, const pl_report_filter *f, const pl_page *p,
                 pl_idlist *out)
{
    int rc = moderation_need_staff(c, viewer);
    if (rc) return rc;
    pl_report_filter mine = *f;
    mine.not_about = viewer->id; /* nobody handles reports about themselves */
    return store_reports_page(c->db, &mine, p, c->a, out);
}

/* A report staff may touch: PL_ENOTFOUND (with Mastodon's message) when there is none. */
static int load(app_ctx *c, const pl_account *viewer, int64_t id, pl_report *out)
{
    int rc = moderation_need_staff(c, viewer);
    if (rc) return rc;
    rc = id > 0 ? store_report_get(c->db, id, c->a, out) : PL_ENOTFOUND;
    /* a report about oneself is another's to handle: it does not exist for its subject, who
     * would otherwise learn who reported them */
    if (rc == PL_OK && out->target_account_id == viewer->id) rc = PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int reports_brief(app_ctx *c, const pl_account *viewer, int64_t id, pl_report *out)
{
    return load(c, viewer, id, out);
}

int reports_get(app_ctx *c, const pl_account *viewer, int64_t id, pl_report *out)
{
    int rc = load(c, viewer, id, out);
    if (rc || !out->n_statuses) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = audit_record(
        c, &(audit_entry){
               .action = "report.view",
               .actor_id = viewer->id,
               .target_kind = "report",
               .target_id = out->id,
               .detail = {AUDIT_STR("status_ids", ids_text(c, out->status_ids, out->n_statuses)),
                          AUDIT_ID("account_id", out->target_account_id)}});
    return app_txn_end(c, rc);
}

bool reports_open_files(app_ctx *c, int64_t viewer, int64_t status_id)
{
    bool yes;
    return viewer && moderation_is_staff(app_account(c, viewer)) &&
           store_report_names_status(c->db, status_id, viewer, &yes) == PL_OK && yes;
}

static int save(app_ctx *c, const pl_account *viewer, pl_report *r, const char *action)
{
    r->updated_at = c->now;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_report_update(c->db, r);
    if (!rc)
        rc = audit_record(c,
                          &(audit_entry){.action = action,
                                         .actor_id = viewer ? viewer->id : 0,
                                         .target_kind = "report",
                                         .target_id = r->id,
                                         .detail = {AUDIT_ID("account_id", r->target_account_id),
                                                    AUDIT_STR("category", r->category),
                                                    AUDIT_STR("by", viewer ? NULL : "admin_cli")}});
    return app_txn_end(c, rc);
}

int reports_act(app_ctx *c, const pl_account *viewer, int64_t id, int act, pl_report *out)
{
    int rc = load(c, viewer, id, out);
    if (rc) return rc;
    const char *action = NULL;
    switch (act) {
    case REPORT_ASSIGN:
        out->assigned_account_id = viewer->id;
        action = "report.assign";
        break;
    case REPORT_UNASSIGN:
        out->assigned_account_id = 0;
        action = "report.unassign";
        break;
    case REPORT_RESOLVE:
        out->action_taken_at = c->now;
        out->action_taken_by_account_id = viewer->id;
        action = "report.resolve";
        break;
    case REPORT_REOPEN:
        out->action_taken_at = 0;
        out->action_taken_by_account_id = 0;
        action = "report.reopen";
        break;
    default: return PL_EINTERNAL;
    }
    return save(c, viewer, out, action);
}

int reports_update(app_ctx *c, const pl_account *viewer, int64_t id, const char *category,
                   const int64_t *rule_ids, int n_rules, bool set_rules, pl_report *out)
{
    int rc = load(c, viewer, id, out);
    if (rc) return rc;
    if (category && *category) {
        if (!category_ok(category))
            return app_fail_field(c, PL_EINVAL, "category", "ERR_INVALID",
                                  "Validation failed: category must be spam, legal, violation "
                                  "or other");
        out->category = category;
    }
    if (set_rules) {
        int64_t *rules = unique_ids(c, rule_ids, &n_rules);
        if ((rc = check_rules(c, rules, n_rules))) return rc;
        out->rule_ids = ids_text(c, rules, n_rules);
    }
    /* rules belong to a violation (Mastodon refuses them with another category) */
    if (strcmp(out->category, "violation")) out->rule_ids = "";
    return save(c, viewer, out, "report.update");
}

int reports_resolve_for(app_ctx *c, int64_t by, int64_t id, int64_t target)
{
    pl_report r;
    int rc = id > 0 ? store_report_get(c->db, id, c->a, &r) : PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND)
        return app_fail_field(c, PL_EINVAL, "report_id", "ERR_INVALID",
                              "Validation failed: report_id names no report");
    if (rc) return rc;
    if (r.target_account_id != target)
        return app_fail_field(c, PL_EINVAL, "report_id", "ERR_INVALID",
                              "Validation failed: report_id names a report about someone else");
    r.action_taken_at = c->now;
    r.action_taken_by_account_id = by;
    r.updated_at = c->now;
    rc = store_report_update(c->db, &r);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "report.resolve",
                                            .actor_id = by,
                                            .target_kind = "report",
                                            .target_id = r.id,
                                            .detail = {AUDIT_ID("account_id", target)}});
    return rc;
}
