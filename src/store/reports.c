/*
 * reports.c — reports and the posts each names (migration 053).
 *
 * A report is small and read whole: its row and the ids of its posts (a handful; the app
 * layer bounds them with max_report_statuses). Its filters are written once, each as
 * "(? = 0 OR …)", so that one statement text serves every combination instead of a text per
 * combination built at run time.
 */
#include "store/reports.h"

#include <string.h>

#include "store/query.h"

#define REPORT_COLS                                                                                \
    "id, account_id, target_account_id, category, comment, rule_ids, assigned_account_id, "        \
    "action_taken_by_account_id, action_taken_at, created_at, updated_at"

static void bind_opt(db_stmt *s, int idx, int64_t v)
{
    if (v)
        db_bind_i64(s, idx, v);
    else
        db_bind_null(s, idx);
}

int store_report_insert(db *d, const pl_report *r)
{
    int rc;
    {
        PREPARE(s, d,
                "INSERT INTO reports (" REPORT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_i64(s, 1, r->id);
        db_bind_i64(s, 2, r->account_id);
        db_bind_i64(s, 3, r->target_account_id);
        db_bind_text(s, 4, r->category, -1);
        db_bind_text(s, 5, r->comment ? r->comment : "", -1);
        db_bind_text(s, 6, r->rule_ids ? r->rule_ids : "", -1);
        bind_opt(s, 7, r->assigned_account_id);
        bind_opt(s, 8, r->action_taken_by_account_id);
        bind_opt(s, 9, r->action_taken_at);
        db_bind_i64(s, 10, r->created_at);
        db_bind_i64(s, 11, r->updated_at);
        if ((rc = db_step_done(s))) return rc;
    }
    PREPARE(s, d, "INSERT INTO report_statuses (report_id, status_id) VALUES (?, ?)");
    for (int i = 0; i < r->n_statuses; i++) {
        db_bind_i64(s, 1, r->id);
        db_bind_i64(s, 2, r->status_ids[i]);
        if ((rc = db_step_done(s))) return rc;
    }
    return PL_OK;
}

static int report_statuses(db *d, pl_report *r, arena *a)
{
    PREPARE(s, d, "SELECT status_id FROM report_statuses WHERE report_id = ? ORDER BY status_id");
    db_bind_i64(s, 1, r->id);
    return store_collect_ids(s, a, &r->status_ids, &r->n_statuses);
}

int store_report_get(db *d, int64_t id, arena *a, pl_report *out)
{
    int rc;
    {
        PREPARE(s, d, "SELECT " REPORT_COLS " FROM reports WHERE id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = step_one(s))) return rc;
        memset(out, 0, sizeof *out);
        out->id = db_col_i64(s, 0);
        out->account_id = db_col_i64(s, 1);
        out->target_account_id = db_col_i64(s, 2);
        out->category = col_str(s, 3, a);
        out->comment = col_str(s, 4, a);
        out->rule_ids = col_str(s, 5, a);
        out->assigned_account_id = db_col_i64(s, 6);
        out->action_taken_by_account_id = db_col_i64(s, 7);
        out->action_taken_at = db_col_i64(s, 8);
        out->created_at = db_col_i64(s, 9);
        out->updated_at = db_col_i64(s, 10);
        db_reset(s);
    }
    return report_statuses(d, out, a);
}

int store_report_update(db *d, const pl_report *r)
{
    PREPARE(s, d,
            "UPDATE reports SET category = ?, rule_ids = ?, assigned_account_id = ?, "
            "action_taken_by_account_id = ?, action_taken_at = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, r->category, -1);
    db_bind_text(s, 2, r->rule_ids ? r->rule_ids : "", -1);
    bind_opt(s, 3, r->assigned_account_id);
    bind_opt(s, 4, r->action_taken_by_account_id);
    bind_opt(s, 5, r->action_taken_at);
    db_bind_i64(s, 6, r->updated_at);
    db_bind_i64(s, 7, r->id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_report_names_status(db *d, int64_t status_id, int64_t not_about, bool *yes)
{
    return store_ask2(d,
                      "SELECT 1 FROM report_statuses rs JOIN reports r ON r.id = rs.report_id "
                      "WHERE rs.status_id = ? AND r.target_account_id <> ? LIMIT 1",
                      status_id, not_about, yes);
}

#define REPORTS_WHERE                                                                              \
    "SELECT id, id FROM reports WHERE (? = 0 OR action_taken_at IS NULL) AND "                     \
    "(? = 0 OR action_taken_at IS NOT NULL) AND (? = 0 OR account_id = ?) AND "                    \
    "(? = 0 OR target_account_id = ?) AND target_account_id <> ?"

int store_reports_page(db *d, const pl_report_filter *f, const pl_page *p, arena *a, pl_idlist *out)
{
    int64_t args[] = {f->resolved == 0,     f->resolved == 1,     f->account_id, f->account_id,
                      f->target_account_id, f->target_account_id, f->not_about};
    return store_paged(d, REPORTS_WHERE PAGE_DESC("id"), REPORTS_WHERE PAGE_ASC("id"), args, 7,
                       NULL, p, a, out);
}
