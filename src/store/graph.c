/*
 * graph.c — who follows, blocks and mutes whom.
 *
 * follows is keyed (account_id, target_id) for "does A follow B" and indexed by
 * (target_id, id) for follower lists and fan-out; the follow's own id orders the lists, as
 * Mastodon pages followers by follow time.
 */
#include <string.h>

#include "store/graph.h"
#include "store/query.h"

static int exec2(db *d, const char *sql, int64_t a, int64_t b)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, a);
    db_bind_i64(s, 2, b);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_follow_insert(db *d, int64_t id, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO follows (id, account_id, target_id, show_reblogs, notify, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, target_id);
    db_bind_i64(s, 4, show_reblogs);
    db_bind_i64(s, 5, notify);
    db_bind_i64(s, 6, now);
    return db_step_done(s);
}

int store_follow_update(db *d, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify)
{
    PREPARE(
        s, d,
        "UPDATE follows SET show_reblogs = ?, notify = ? WHERE account_id = ? AND target_id = ?");
    db_bind_i64(s, 1, show_reblogs);
    db_bind_i64(s, 2, notify);
    db_bind_i64(s, 3, account_id);
    db_bind_i64(s, 4, target_id);
    return db_step_done(s);
}

int store_follow_delete(db *d, int64_t account_id, int64_t target_id)
{
    return exec2(d, "DELETE FROM follows WHERE account_id = ? AND target_id = ?", account_id,
                 target_id);
}

bool store_follows(db *d, int64_t account_id, int64_t target_id)
{
    return store_exists2(d, "SELECT 1 FROM follows WHERE account_id = ? AND target_id = ?",
                         account_id, target_id);
}

int store_relationship(db *d, int64_t viewer, int64_t target, pl_relationship *o)
{
    *o = (pl_relationship){.id = target};
    PREPARE(s, d,
            "SELECT show_reblogs, notify FROM follows WHERE account_id = ? AND target_id = ?");
    db_bind_i64(s, 1, viewer);
    db_bind_i64(s, 2, target);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->following = true;
        o->showing_reblogs = db_col_i64(s, 0);
        o->notifying = db_col_i64(s, 1);
    }
    db_reset(s);
    if (rc < 0) return rc;
    o->followed_by = store_follows(d, target, viewer);
    o->requested = !o->following && store_follow_requested(d, viewer, target);
    o->requested_by = store_follow_requested(d, target, viewer);
    o->blocking = store_blocks(d, viewer, target);
    o->blocked_by = store_blocks(d, target, viewer);
    return PL_OK;
}

int store_followers(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define FOLLOWERS "SELECT account_id, id FROM follows WHERE target_id = ?"
    return store_paged(d, FOLLOWERS PAGE_DESC("id"), FOLLOWERS PAGE_ASC("id"), &target_id, 1, NULL,
                       p, a, out);
#undef FOLLOWERS
}

int store_following(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define FOLLOWING "SELECT target_id, id FROM follows WHERE account_id = ?"
    return store_paged(d, FOLLOWING PAGE_DESC("id"), FOLLOWING PAGE_ASC("id"), &account_id, 1, NULL,
                       p, a, out);
#undef FOLLOWING
}

int store_block_insert(db *d, int64_t id, int64_t account_id, int64_t target_id)
{
    PREPARE(s, d,
            "INSERT INTO blocks (id, account_id, target_id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, target_id);
    return db_step_done(s);
}

int store_block_delete(db *d, int64_t account_id, int64_t target_id)
{
    return exec2(d, "DELETE FROM blocks WHERE account_id = ? AND target_id = ?", account_id,
                 target_id);
}

bool store_blocks(db *d, int64_t account_id, int64_t target_id)
{
    bool yes;
    int rc = store_ask2(d, "SELECT 1 FROM blocks WHERE account_id = ? AND target_id = ?",
                        account_id, target_id, &yes);
    return rc != PL_OK || yes; /* fails closed: an error counts as a block */
}

int store_mute_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                      bool hide_notifications, int64_t expires_at)
{
    PREPARE(s, d,
            "INSERT INTO mutes (id, account_id, target_id, hide_notifications, expires_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, target_id) DO UPDATE SET "
            "hide_notifications = excluded.hide_notifications, expires_at = excluded.expires_at");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, target_id);
    db_bind_i64(s, 4, hide_notifications);
    if (expires_at)
        db_bind_i64(s, 5, expires_at);
    else
        db_bind_null(s, 5);
    return db_step_done(s);
}

int store_mute_delete(db *d, int64_t account_id, int64_t target_id)
{
    return exec2(d, "DELETE FROM mutes WHERE account_id = ? AND target_id = ?", account_id,
                 target_id);
}

bool store_mutes(db *d, int64_t account_id, int64_t target_id, int64_t now,
                 bool *hide_notifications)
{
    /* fails closed: an error counts as a mute that hides notifications too */
    if (hide_notifications) *hide_notifications = true;
    db_stmt *s = db_prepare(d, "SELECT hide_notifications FROM mutes WHERE account_id = ? AND "
                               "target_id = ? AND (expires_at IS NULL OR expires_at > ?)");
    if (!s) return true;
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, target_id);
    db_bind_i64(s, 3, now);
    int rc = db_step(s);
    if (rc == DB_ROW && hide_notifications) *hide_notifications = db_col_i64(s, 0);
    db_reset(s);
    return rc != DB_DONE;
}

int store_blocks_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define BLOCKS "SELECT target_id, id FROM blocks WHERE account_id = ?"
    return store_paged(d, BLOCKS PAGE_DESC("id"), BLOCKS PAGE_ASC("id"), &account_id, 1, NULL, p, a,
                       out);
#undef BLOCKS
}

int store_mutes_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define MUTES "SELECT target_id, id FROM mutes WHERE account_id = ?"
    return store_paged(d, MUTES PAGE_DESC("id"), MUTES PAGE_ASC("id"), &account_id, 1, NULL, p, a,
                       out);
#undef MUTES
}

int store_viewer_relations(db *d, int64_t account_id, int64_t now, arena *a, pl_idsets *out)
{
    PREPARE(s, d,
            "SELECT 0, account_id FROM blocks WHERE target_id = ? "
            "UNION ALL SELECT 1, target_id FROM blocks WHERE account_id = ? "
            "UNION ALL SELECT 2, target_id FROM mutes WHERE account_id = ? "
            "AND (expires_at IS NULL OR expires_at > ?) "
            "UNION ALL SELECT 3, account_id FROM mutes WHERE target_id = ? "
            "AND (expires_at IS NULL OR expires_at > ?)");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, account_id);
    db_bind_i64(s, 4, now);
    db_bind_i64(s, 5, account_id);
    db_bind_i64(s, 6, now);
    return store_collect_idsets(s, a, out);
}

int store_following_ids(db *d, int64_t account_id, int64_t now, arena *a, int64_t **ids, int *n)
{
    (void)now;
    /* in the key's order, which the callers keep (no sort on SQLite's side: the key) */
    PREPARE(s, d, "SELECT target_id FROM follows WHERE account_id = ? ORDER BY target_id");
    db_bind_i64(s, 1, account_id);
    return store_collect_ids(s, a, ids, n);
}

/* ---- follow requests ---------------------------------------------------------------------- */

int store_follow_request_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                                bool show_reblogs, bool notify, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO follow_requests (id, account_id, target_id, show_reblogs, notify, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, target_id);
    db_bind_i64(s, 4, show_reblogs);
    db_bind_i64(s, 5, notify);
    db_bind_i64(s, 6, now);
    return db_step_done(s);
}

int store_follow_request_get(db *d, int64_t account_id, int64_t target_id, bool *show_reblogs,
                             bool *notify)
{
    PREPARE(s, d,
            "SELECT show_reblogs, notify FROM follow_requests WHERE account_id = ? AND "
            "target_id = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, target_id);
    int rc = step_one(s);
    if (rc) return rc;
    *show_reblogs = db_col_i64(s, 0);
    *notify = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}

int store_follow_request_delete(db *d, int64_t account_id, int64_t target_id)
{
    return exec2(d, "DELETE FROM follow_requests WHERE account_id = ? AND target_id = ?",
                 account_id, target_id);
}

bool store_follow_requested(db *d, int64_t account_id, int64_t target_id)
{
    return store_exists2(d, "SELECT 1 FROM follow_requests WHERE account_id = ? AND target_id = ?",
                         account_id, target_id);
}

int store_follow_requests(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define REQUESTS "SELECT account_id, id FROM follow_requests WHERE target_id = ?"
    return store_paged(d, REQUESTS PAGE_DESC("id"), REQUESTS PAGE_ASC("id"), &target_id, 1, NULL, p,
                       a, out);
#undef REQUESTS
}

int store_follow_requests_count(db *d, int64_t target_id, int64_t *n)
{
    PREPARE(s, d, "SELECT COUNT(*) FROM follow_requests WHERE target_id = ?");
    db_bind_i64(s, 1, target_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_follow_requests_drop_account(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "DELETE FROM follow_requests WHERE account_id = ? OR target_id = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, account_id);
    int rc = db_step_done(s);
    if (!rc) *n = db_changes(d);
    return rc;
}
