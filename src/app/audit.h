/**
 * app/audit.h — the audit log's rules (issue 14, "Audit log"; docs/ARCHITECTURE.md "Audit
 * log"): one row per act that changes who can see what or who can do what, recorded by the
 * app function every path (API, CLI, web client) goes through, in the act's own transaction:
 * no act without its row, no row without its act. A row holds ids, names and audiences only —
 * never post text, file contents, passwords or tokens.
 *
 * A hook is one call:
 *
 *     audit_record(c, &(audit_entry){.action = "post.create", .target_kind = "status",
 *                                    .target_id = id, .audience = AUDIT_VIS(vis),
 *                                    .detail = {AUDIT_ID("channel_id", ch)}});
 */
#ifndef PL_APP_AUDIT_H
#define PL_APP_AUDIT_H

#include "app/app.h"
#include "store/audit.h"

enum { AUDIT_DETAIL_MAX = 8 };

/** One member of a row's detail: a name (str) or, when str is NULL, an id (written as a
 *  string, as the API writes ids: they do not fit a JavaScript number) or, with is_count, a
 *  number (written even when 0). A member whose key is NULL ends the list; one that is not a
 *  count and whose str and num are both unset is left out. */
typedef struct audit_detail {
    const char *key;
    const char *str;
    int64_t num;
    bool is_count;
} audit_detail;

#define AUDIT_ID(k, v)                                                                             \
    {                                                                                              \
        .key = (k), .num = (v)                                                                     \
    }
#define AUDIT_COUNT(k, v)                                                                          \
    {                                                                                              \
        .key = (k), .num = (v), .is_count = true                                                   \
    }
#define AUDIT_STR(k, v)                                                                            \
    {                                                                                              \
        .key = (k), .str = (v)                                                                     \
    }

/** audience: a visibility (PL_VIS_*) plus one, so that 0 means "none"; AUDIT_VIS(v) says it. */
#define AUDIT_VIS(v) ((v) + 1)

typedef struct audit_entry {
    const char *action;      /**< a short stable name: "post.create", "auth.sign_in", … */
    int64_t actor_id;        /**< who acted; 0 = the request's viewer (c->viewer_id), if any */
    bool no_actor;           /**< nobody acted (the server itself: retention) */
    const char *target_kind; /**< "status", "account", "channel", "app", "media", "list", … */
    int64_t target_id;
    int audience;              /**< AUDIT_VIS(visibility), or 0 */
    const char *audience_name; /**< instead of audience: "channel", … */
    audit_detail detail[AUDIT_DETAIL_MAX];
} audit_entry;

/** Appends e's row inside the caller's transaction (it is chained when that commits); the
 *  actor's IP is the request's (c->ip). An error (the database's) must fail the act. */
int audit_record(app_ctx *c, const audit_entry *e);

/** The same in a transaction of its own when the context owns its transactions (a failed
 *  sign-in, which writes nothing else), else in the caller's. */
int audit_record_alone(app_ctx *c, const audit_entry *e);

/** The names of names[0..n) that are not NULL, space-separated, in the arena ("" if none):
 *  which fields of a profile or a channel a change sent (never their values). */
const char *audit_names(app_ctx *c, const char *const *names, size_t n);

/** The name an audience is recorded under: the API's names (public, unlisted, private, direct,
 *  company, list). */
const char *audit_audience_name(int visibility);

/** What audit_verify found: rows walked, the first and last row's time, and when broken, the
 *  first broken row (its seq and id; id 0 when the row itself is gone) and why. */
typedef struct audit_verdict {
    int64_t rows, first_at, last_at;
    bool whole;
    int64_t bad_seq, bad_id;
    const char *why;
} audit_verdict;

/** Walks the chain from its anchor to its head, recomputing every hash. PL_OK with *v filled
 *  (whole or not), or the database's error. */
int audit_verify(app_ctx *c, audit_verdict *v);

/** Filters and page of the administrators' view. Only administrators: PL_EFORBIDDEN else. */
int audit_page(app_ctx *c, const pl_account *viewer, const pl_audit_filter *f, const pl_page *p,
               pl_audit_row **out, int *n);

/** Background retention (audit_retention_days; 0: keeps everything): deletes at most
 *  max_rows of the rows older than that, keeping the chain verifiable from its new anchor, and
 *  records one "audit.prune" row when it deleted any, in one transaction of its own (the
 *  context owns its transactions). */
int audit_prune(app_ctx *c, int max_rows, int64_t *pruned);

#endif
