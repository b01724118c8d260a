/**
 * reports.h — reports people file about each other, and the moderators' work on them
 * (issue 14, "Reports and moderation"; Mastodon's POST /api/v1/reports and
 * /api/v1/admin/reports; docs/api.md "Reports").
 *
 * Filing: a person reports another (never themselves, never a channel's account), naming at
 * most max_report_statuses posts of that account, each one the reporter may see
 * (audience_can_see: a made-up post, another's post, or one hidden from the reporter is
 * refused, and nothing is written); a comment of at most max_report_comment characters; a
 * category (spam, legal, violation, other; violation whenever rules are named, as Mastodon);
 * rule numbers of the server's rules. At most reports_per_hour reports a person an hour.
 * Every moderator and administrator is notified (admin.report, app/notify.h).
 *
 * Moderating: staff (app/moderation.h) list, read, assign, resolve, reopen and re-categorise
 * reports; each act is audited (report.update, report.assign, report.unassign,
 * report.resolve, report.reopen). A report about a staff member is the others' to handle: to
 * its subject it does not exist (not listed, 404, no notification), so that nobody learns
 * through their role who reported them.
 *
 * The privacy rule: the posts a report names are shown to staff whatever their audience — a
 * followers-only or direct post included — but only these posts, only through the report
 * (reports_get, reports_page), and each such showing is audited (report.view, with the ids of
 * the posts shown). Nothing else opens: audience_can_see is not changed by a report, so the
 * post itself (GET /api/v1/statuses/:id) and the author's other posts stay as closed to a
 * moderator as to anyone.
 */
#ifndef PL_REPORTS_H
#define PL_REPORTS_H

#include "app/app.h"
#include "store/reports.h"

typedef struct report_new {
    int64_t target_id;
    const int64_t *status_ids;
    int n_statuses;
    const char *comment;  /**< NULL: none */
    const char *category; /**< NULL: other (violation when rules are named) */
    const int64_t *rule_ids;
    int n_rules;
} report_new;

/** Files a report by reporter (see above for the rules). *out is the report written. PL_EINVAL
 *  (a message naming the field) for bad input, PL_ENOTFOUND for no such account, PL_ERATE
 *  past reports_per_hour. */
int reports_create(app_ctx *c, const pl_account *reporter, const report_new *n, pl_report *out);

/** Staff's listing: a page of report ids, newest first. Staff only (PL_EFORBIDDEN). */
int reports_page(app_ctx *c, const pl_account *viewer, const pl_report_filter *f, const pl_page *p,
                 pl_idlist *out);

/** One report for staff without showing its posts (its post ids only: an admin.report
 *  notification's Report). Staff only. */
int reports_brief(app_ctx *c, const pl_account *viewer, int64_t id, pl_report *out);

/** One report for staff, its posts included: records report.view when it names any. Staff
 *  only. Must run where writes are possible (the audit row). */
int reports_get(app_ctx *c, const pl_account *viewer, int64_t id, pl_report *out);

/** May viewer read the files of status_id because a report names it (the privacy rule's
 *  files: their addresses come only from a report's showing, which was audited)? True only
 *  for staff, and for a report not about the viewer. Fails closed. */
bool reports_open_files(app_ctx *c, int64_t viewer, int64_t status_id);

/** The moderators' acts on a report. */
enum report_act { REPORT_ASSIGN, REPORT_UNASSIGN, REPORT_RESOLVE, REPORT_REOPEN };

/** Does act on report id by staff member viewer; *out is the report after. Staff only. */
int reports_act(app_ctx *c, const pl_account *viewer, int64_t id, int act, pl_report *out);

/** Changes a report's category and rules (category NULL: unchanged; rule_ids NULL with
 *  n_rules 0: unchanged). Staff only. Audited as report.update. */
int reports_update(app_ctx *c, const pl_account *viewer, int64_t id, const char *category,
                   const int64_t *rule_ids, int n_rules, bool set_rules, pl_report *out);

/** Resolves report id, which must be about target, as part of an act on target by `by` (0: the
 *  command line) (moderation_act). PL_EINVAL when the report is about someone else. */
int reports_resolve_for(app_ctx *c, int64_t by, int64_t id, int64_t target);

#endif
