/**
 * store/reports.h — reports people file about each other, and the posts each names (tables
 * reports, report_statuses; migration 053).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (app/reports.c does). See docs/ARCHITECTURE.md, "Moderation".
 */
#ifndef PL_STORE_REPORTS_H
#define PL_STORE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** One report. Account ids 0 and times 0 stand for "none" (SQL NULL). */
typedef struct pl_report {
    int64_t id;
    int64_t account_id;        /**< who filed it */
    int64_t target_account_id; /**< whom it is about */
    const char *category;      /**< spam, legal, violation or other */
    const char *comment;       /**< "" when none */
    const char *rule_ids;      /**< the rules it names, space-separated numbers; "" when none */
    int64_t assigned_account_id;
    int64_t action_taken_by_account_id;
    int64_t action_taken_at; /**< 0: open */
    int64_t created_at, updated_at;
    int64_t *status_ids; /**< the posts it names, ascending (store_report_statuses) */
    int n_statuses;
} pl_report;

/** Writes a new report and the posts it names (r->id set by the caller). */
int store_report_insert(db *d, const pl_report *r);
/** One report with its posts. PL_ENOTFOUND if there is none. */
int store_report_get(db *d, int64_t id, arena *a, pl_report *out);
/** Writes category, rule_ids, assigned_account_id, action_taken_by_account_id,
 *  action_taken_at and updated_at of r (its id). PL_ENOTFOUND if there is none. */
int store_report_update(db *d, const pl_report *r);

/** Does a report that is not about not_about name status_id? PL_OK with the answer in *yes, or
 *  the database's error (then *yes is false). */
int store_report_names_status(db *d, int64_t status_id, int64_t not_about, bool *yes);

/** Which reports a page lists: resolved -1 any, 0 open, 1 resolved; account ids 0: any;
 *  not_about: an account whose reports are left out (0: none). */
typedef struct pl_report_filter {
    int resolved;
    int64_t account_id, target_account_id;
    int64_t not_about;
} pl_report_filter;

/** A page of report ids, newest first (ids are the keys). */
int store_reports_page(db *d, const pl_report_filter *f, const pl_page *p, arena *a,
                       pl_idlist *out);

#endif
