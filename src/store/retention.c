/*
 * retention.c — the tables of migration 054 and the query that chooses the posts a retention
 * run deletes (store/retention.h).
 *
 * Post ids are time-ordered (util/ids.c: the milliseconds shifted left 16), so "older than N
 * days" is "id below (now - N days) * 65536": the primary key's order, oldest first.
 */
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/retention.h"
#include "store/visibility.h"

#define DIRECT VIS_SQL_NUM(PL_VIS_DIRECT)

/* ---- policies ------------------------------------------------------------------------- */

int store_retention_policies(db *d, arena *a, pl_retention_policy **out, int *n)
{
    PREPARE(s, d,
            "SELECT scope, channel_id, days, set_by, set_at FROM retention_policies "
            "ORDER BY scope, channel_id");
    int cap = 8, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_retention_policy *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
        (*out)[(*n)++] = (pl_retention_policy){.scope = (int)db_col_i64(s, 0),
                                               .channel_id = db_col_i64(s, 1),
                                               .days = (int)db_col_i64(s, 2),
                                               .set_by = db_col_i64(s, 3),
                                               .set_at = db_col_i64(s, 4)};
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_retention_policy_set(db *d, const pl_retention_policy *p, bool *existed)
{
    PREPARE(q, d, "SELECT 1 FROM retention_policies WHERE scope = ? AND channel_id = ?");
    db_bind_i64(q, 1, p->scope);
    db_bind_i64(q, 2, p->channel_id);
    int rc = step_one(q);
    if (rc && rc != PL_ENOTFOUND) return rc;
    *existed = rc == PL_OK;
    db_reset(q);
    if (p->days <= 0) {
        PREPARE(s, d, "DELETE FROM retention_policies WHERE scope = ? AND channel_id = ?");
        db_bind_i64(s, 1, p->scope);
        db_bind_i64(s, 2, p->channel_id);
        return db_step_done(s);
    }
    PREPARE(s, d,
            "INSERT INTO retention_policies (scope, channel_id, days, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, channel_id) DO UPDATE SET "
            "days = excluded.days, set_by = excluded.set_by, set_at = excluded.set_at");
    db_bind_i64(s, 1, p->scope);
    db_bind_i64(s, 2, p->channel_id);
    db_bind_i64(s, 3, p->days);
    if (p->set_by)
        db_bind_i64(s, 4, p->set_by);
    else
        db_bind_null(s, 4);
    db_bind_i64(s, 5, p->set_at);
    return db_step_done(s);
}

/* ---- holds ---------------------------------------------------------------------------- */

#define HOLD_COLS "id, target_kind, target_id, reason, set_by, set_at, released_by, released_at"

static void read_hold(db_stmt *s, arena *a, pl_legal_hold *h)
{
    *h = (pl_legal_hold){.id = db_col_i64(s, 0),
                         .target_kind = (int)db_col_i64(s, 1),
                         .target_id = db_col_i64(s, 2),
                         .reason = col_str(s, 3, a),
                         .set_by = db_col_i64(s, 4),
                         .set_at = db_col_i64(s, 5),
                         .released_by = db_col_i64(s, 6),
                         .released_at = db_col_i64(s, 7)};
}

int store_holds(db *d, bool active_only, arena *a, pl_legal_hold **out, int *n)
{
    db_stmt *s = db_prepare(d, active_only ? "SELECT " HOLD_COLS " FROM legal_holds WHERE "
                                             "released_at IS NULL ORDER BY id DESC"
                                           : "SELECT " HOLD_COLS " FROM legal_holds "
                                             "ORDER BY id DESC");
    if (!s) return PL_EDB;
    int cap = 8, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_legal_hold *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
        read_hold(s, a, &(*out)[(*n)++]);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_hold_active(db *d, int target_kind, int64_t target_id, arena *a, pl_legal_hold *out)
{
    PREPARE(s, d,
            "SELECT " HOLD_COLS " FROM legal_holds WHERE target_kind = ? AND target_id = ? "
            "AND released_at IS NULL");
    db_bind_i64(s, 1, target_kind);
    db_bind_i64(s, 2, target_id);
    int rc = step_one(s);
    if (rc) return rc;
    read_hold(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_hold_insert(db *d, const pl_legal_hold *h)
{
    PREPARE(s, d,
            "INSERT INTO legal_holds (id, target_kind, target_id, reason, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, h->id);
    db_bind_i64(s, 2, h->target_kind);
    db_bind_i64(s, 3, h->target_id);
    db_bind_text(s, 4, h->reason ? h->reason : "", -1);
    if (h->set_by)
        db_bind_i64(s, 5, h->set_by);
    else
        db_bind_null(s, 5);
    db_bind_i64(s, 6, h->set_at);
    return db_step_done(s);
}

int store_hold_release(db *d, int64_t id, int64_t by, int64_t at)
{
    PREPARE(s, d,
            "UPDATE legal_holds SET released_by = ?, released_at = ? "
            "WHERE id = ? AND released_at IS NULL");
    if (by)
        db_bind_i64(s, 1, by);
    else
        db_bind_null(s, 1);
    db_bind_i64(s, 2, at);
    db_bind_i64(s, 3, id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 1 ? PL_OK : PL_ENOTFOUND;
}

/* ---- a person's own ------------------------------------------------------------------- */

int store_cleanup_get(db *d, int64_t account_id, pl_cleanup_policy *out)
{
    PREPARE(s, d,
            "SELECT enabled, min_status_age, keep_direct, keep_pinned, keep_polls, keep_media, "
            "keep_self_fav, keep_self_bookmark, min_favs, min_reblogs, updated_at "
            "FROM account_cleanup_policies WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_cleanup_policy){
        .account_id = account_id,
        .enabled = db_col_i64(s, 0) != 0,
        .min_status_age = db_col_i64(s, 1),
        .keep_direct = db_col_i64(s, 2) != 0,
        .keep_pinned = db_col_i64(s, 3) != 0,
        .keep_polls = db_col_i64(s, 4) != 0,
        .keep_media = db_col_i64(s, 5) != 0,
        .keep_self_fav = db_col_i64(s, 6) != 0,
        .keep_self_bookmark = db_col_i64(s, 7) != 0,
        .min_favs = db_col_is_null(s, 8) ? -1 : db_col_i64(s, 8),
        .min_reblogs = db_col_is_null(s, 9) ? -1 : db_col_i64(s, 9),
        .updated_at = db_col_i64(s, 10),
    };
    db_reset(s);
    return PL_OK;
}

int store_cleanup_set(db *d, const pl_cleanup_policy *p)
{
    PREPARE(s, d,
            "INSERT INTO account_cleanup_policies (account_id, enabled, min_status_age, "
            "keep_direct, keep_pinned, keep_polls, keep_media, keep_self_fav, "
            "keep_self_bookmark, min_favs, min_reblogs, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
            "enabled = excluded.enabled, min_status_age = excluded.min_status_age, "
            "keep_direct = excluded.keep_direct, keep_pinned = excluded.keep_pinned, "
            "keep_polls = excluded.keep_polls, keep_media = excluded.keep_media, "
            "keep_self_fav = excluded.keep_self_fav, "
            "keep_self_bookmark = excluded.keep_self_bookmark, min_favs = excluded.min_favs, "
            "min_reblogs = excluded.min_reblogs, updated_at = excluded.updated_at");
    db_bind_i64(s, 1, p->account_id);
    db_bind_i64(s, 2, p->enabled);
    db_bind_i64(s, 3, p->min_status_age);
    db_bind_i64(s, 4, p->keep_direct);
    db_bind_i64(s, 5, p->keep_pinned);
    db_bind_i64(s, 6, p->keep_polls);
    db_bind_i64(s, 7, p->keep_media);
    db_bind_i64(s, 8, p->keep_self_fav);
    db_bind_i64(s, 9, p->keep_self_bookmark);
    if (p->min_favs >= 0)
        db_bind_i64(s, 10, p->min_favs);
    else
        db_bind_null(s, 10);
    if (p->min_reblogs >= 0)
        db_bind_i64(s, 11, p->min_reblogs);
    else
        db_bind_null(s, 11);
    db_bind_i64(s, 12, p->updated_at);
    return db_step_done(s);
}

int store_cleanup_min_age(db *d, int64_t *seconds)
{
    PREPARE(s, d, "SELECT min(min_status_age) FROM account_cleanup_policies WHERE enabled = 1");
    int rc = step_one(s);
    if (rc) return rc;
    bool none = db_col_is_null(s, 0);
    *seconds = db_col_i64(s, 0);
    db_reset(s);
    return none ? PL_ENOTFOUND : PL_OK;
}

/* ---- the lease ------------------------------------------------------------------------ */

int store_retention_lease(db *d, const char *holder, int64_t now, int64_t until, int64_t due_before,
                          bool *got)
{
    PREPARE(s, d,
            "UPDATE retention_lease SET holder = ?, until_at = ? "
            "WHERE one = 1 AND (until_at < ? OR holder = ? OR holder = '') AND last_run_at <= ?");
    db_bind_text(s, 1, holder, -1);
    db_bind_i64(s, 2, until);
    db_bind_i64(s, 3, now);
    db_bind_text(s, 4, holder, -1);
    db_bind_i64(s, 5, due_before);
    int rc = db_step_done(s);
    *got = !rc && db_changes(d) == 1;
    return rc;
}

int store_retention_lease_drop(db *d, const char *holder, int64_t began)
{
    PREPARE(s, d,
            "UPDATE retention_lease SET holder = '', until_at = 0, last_run_at = ? "
            "WHERE holder = ?");
    db_bind_i64(s, 1, began);
    db_bind_text(s, 2, holder, -1);
    return db_step_done(s);
}

/* ---- the posts due -------------------------------------------------------------------- */

/* A hold in force on an account (the expression's account id follows). */
#define HELD_ACCOUNT(col)                                                                          \
    "EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND h.target_kind = 1 "       \
    "AND h.target_id = " col ")"

/* The query of the posts due, in two parts around its range of ids: the most specific admin
 * policy decides (channel > direct > company); failing that, the author's own automatic
 * deletion with its keep rules; then what a hold keeps is left out. */
#define DUE_SELECT                                                                                 \
    "SELECT id, scope FROM (SELECT s.id, s.account_id, s.channel_id, s.visibility, "               \
    "CASE "                                                                                        \
    " WHEN cp.days IS NOT NULL AND s.id < (? - CAST(cp.days AS BIGINT) * 86400000) * 65536 "       \
    "THEN 3"                                                                                       \
    " WHEN cp.days IS NULL AND s.visibility = " DIRECT " AND s.id < ? THEN 2"                      \
    " WHEN cp.days IS NULL AND NOT (s.visibility = " DIRECT " AND ? = 1) AND s.id < ? THEN 1"      \
    " WHEN ap.account_id IS NOT NULL AND s.id < (? - ap.min_status_age * 1000) * 65536"            \
    "  AND NOT (ap.keep_direct = 1 AND s.visibility = " DIRECT ")"                                 \
    "  AND NOT (ap.keep_pinned = 1 AND EXISTS (SELECT 1 FROM status_pins p "                       \
    "WHERE p.status_id = s.id))"                                                                   \
    "  AND NOT (ap.keep_polls = 1 AND s.poll_id IS NOT NULL)"                                      \
    "  AND NOT (ap.keep_media = 1 AND EXISTS (SELECT 1 FROM media_attachments m "                  \
    "WHERE m.status_id = s.id))"                                                                   \
    "  AND NOT (ap.keep_self_fav = 1 AND EXISTS (SELECT 1 FROM favourites f "                      \
    "WHERE f.account_id = s.account_id AND f.status_id = s.id))"                                   \
    "  AND NOT (ap.keep_self_bookmark = 1 AND EXISTS (SELECT 1 FROM bookmarks b "                  \
    "WHERE b.account_id = s.account_id AND b.status_id = s.id))"                                   \
    "  AND NOT (ap.min_favs IS NOT NULL AND s.favourites_count >= ap.min_favs)"                    \
    "  AND NOT (ap.min_reblogs IS NOT NULL AND s.reblogs_count >= ap.min_reblogs)"                 \
    " THEN 4 ELSE 0 END AS scope "                                                                 \
    "FROM statuses s "                                                                             \
    "LEFT JOIN retention_policies cp ON cp.scope = 3 AND cp.channel_id = s.channel_id "            \
    "LEFT JOIN account_cleanup_policies ap ON ap.account_id = s.account_id AND ap.enabled = 1 "    \
    "WHERE "
/* the author held; a post in a held channel; one a held account boosted (the boost cannot
 * stand without it); a direct message to a held account (in that person's conversations) */
#define DUE_HELD                                                                                   \
    ") x WHERE scope > 0 AND NOT " HELD_ACCOUNT(                                                   \
        "x.account_id") " AND NOT (x.channel_id IS NOT NULL AND EXISTS (SELECT 1 FROM "            \
                        "legal_holds h "                                                           \
                        "WHERE h.released_at IS NULL AND h.target_kind = 2 AND h.target_id = "     \
                        "x.channel_id))"                                                           \
                        " AND NOT EXISTS (SELECT 1 FROM statuses r WHERE r.reblog_of_id = x.id "   \
                        "AND " HELD_ACCOUNT("r.account_id") ")"                                    \
                                                            " AND NOT (x.visibility = " DIRECT     \
                                                            " AND EXISTS (SELECT 1 FROM "          \
                                                            "status_mentions m WHERE m.status_id " \
                                                            "= x.id AND " HELD_ACCOUNT(            \
                                                                "m.account_id") "))"

static void bind_clock(db_stmt *s, const pl_retention_clock *k)
{
    int64_t day = 86400000;
    int64_t direct_cut = k->direct_days > 0 ? (k->now - k->direct_days * day) * 65536 : 0;
    int64_t company_cut = k->company_days > 0 ? (k->now - k->company_days * day) * 65536 : 0;
    db_bind_i64(s, 1, k->now);
    db_bind_i64(s, 2, direct_cut);
    db_bind_i64(s, 3, k->direct_days > 0);
    db_bind_i64(s, 4, company_cut);
    db_bind_i64(s, 5, k->now);
}

int store_retention_due(db *d, const pl_retention_clock *k, int64_t after, int64_t before, int max,
                        arena *a, pl_retention_due **out, int *n)
{
    PREPARE(s, d, DUE_SELECT "s.id > ? AND s.id < ?" DUE_HELD " ORDER BY id LIMIT ?");
    bind_clock(s, k);
    db_bind_i64(s, 6, after);
    db_bind_i64(s, 7, before);
    db_bind_i64(s, 8, max);
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < max)
        (*out)[(*n)++] = (pl_retention_due){.id = db_col_i64(s, 0), .scope = (int)db_col_i64(s, 1)};
    db_reset(s);
    return rc == DB_DONE || rc == DB_ROW ? PL_OK : rc;
}

int store_retention_due_one(db *d, const pl_retention_clock *k, int64_t id, int *scope)
{
    /* by its key, not a range: PostgreSQL's generic plan of a range of two parameters may read
     * the whole table */
    PREPARE(s, d, DUE_SELECT "s.id = ?" DUE_HELD);
    bind_clock(s, k);
    db_bind_i64(s, 6, id);
    int rc = step_one(s);
    *scope = 0;
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *scope = (int)db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}
