/*
 * lists.c — lists and their members: lists(id, account_id, …) and
 * list_accounts(list_id, account_id).
 *
 * Every read and change of a list names its owner in the WHERE clause, so a list id alone
 * never reaches another person's list. Members are keyed (list_id, account_id), which is also
 * the order Mastodon pages them in; list_accounts_account answers "which lists hold X" for
 * unfollow, block and GET /api/v1/accounts/:id/lists. Nothing here is cached per loop (only
 * statuses and accounts are), so nothing calls db_touch.
 */
#include <stdio.h>
#include <string.h>

#include "store/lists.h"
#include "store/query.h"

#define LIST_COLS "id, account_id, title, replies_policy, is_exclusive, created_at"

static void read_list(db_stmt *s, arena *a, pl_list *o)
{
    o->id = db_col_i64(s, 0);
    o->account_id = db_col_i64(s, 1);
    o->title = col_str(s, 2, a);
    o->replies_policy = (int)db_col_i64(s, 3);
    o->is_exclusive = db_col_i64(s, 4) != 0;
    o->created_at = db_col_i64(s, 5);
}

/* Reads every row of a statement that selects LIST_COLS. */
static int collect_lists(db_stmt *s, arena *a, pl_list **out, int *n)
{
    int cap = 0, count = 0, rc;
    pl_list *v = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            int ncap = cap ? cap * 2 : 8;
            pl_list *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
            if (count) memcpy(nv, v, sizeof *v * (size_t)count);
            v = nv;
            cap = ncap;
        }
        read_list(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_list_insert(db *d, const pl_list *l)
{
    /* a new list goes last in its owner's order */
    PREPARE(s, d,
            "INSERT INTO lists (" LIST_COLS ", position) VALUES (?, ?, ?, ?, ?, ?, "
            "(SELECT COALESCE(MAX(position), 0) + 1 FROM lists WHERE account_id = ?))");
    db_bind_i64(s, 1, l->id);
    db_bind_i64(s, 2, l->account_id);
    db_bind_text(s, 3, l->title, -1);
    db_bind_i64(s, 4, l->replies_policy);
    db_bind_i64(s, 5, l->is_exclusive);
    db_bind_i64(s, 6, l->created_at);
    db_bind_i64(s, 7, l->account_id);
    return db_step_done(s);
}

int store_list_get(db *d, int64_t owner, int64_t id, arena *a, pl_list *out)
{
    PREPARE(s, d, "SELECT " LIST_COLS " FROM lists WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = step_one(s);
    if (rc) return rc;
    read_list(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_list_update(db *d, const pl_list *l)
{
    PREPARE(s, d,
            "UPDATE lists SET title = ?, replies_policy = ?, is_exclusive = ? "
            "WHERE id = ? AND account_id = ?");
    db_bind_text(s, 1, l->title, -1);
    db_bind_i64(s, 2, l->replies_policy);
    db_bind_i64(s, 3, l->is_exclusive);
    db_bind_i64(s, 4, l->id);
    db_bind_i64(s, 5, l->account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_list_delete(db *d, int64_t owner, int64_t id)
{
    PREPARE(s, d, "DELETE FROM lists WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    PREPARE(m, d, "DELETE FROM list_accounts WHERE list_id = ?");
    db_bind_i64(m, 1, id);
    if ((rc = db_step_done(m))) return rc;
    return store_list_sources_clear(d, id);
}

int store_lists_of(db *d, int64_t owner, arena *a, pl_list **out, int *n)
{
    PREPARE(s, d, "SELECT " LIST_COLS " FROM lists WHERE account_id = ? ORDER BY position, id");
    db_bind_i64(s, 1, owner);
    return collect_lists(s, a, out, n);
}

int store_lists_reorder(db *d, int64_t owner, const int64_t *ids, int n)
{
    PREPARE(s, d, "UPDATE lists SET position = ? WHERE id = ? AND account_id = ?");
    for (int i = 0; i < n; i++) {
        db_bind_i64(s, 1, i + 1);
        db_bind_i64(s, 2, ids[i]);
        db_bind_i64(s, 3, owner);
        int rc = db_step_done(s);
        if (rc) return rc;
        if (db_changes(d) == 0) return PL_ENOTFOUND;
    }
    return PL_OK;
}

int store_lists_count(db *d, int64_t owner, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM lists WHERE account_id = ?");
    db_bind_i64(s, 1, owner);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_lists_with_member(db *d, int64_t owner, int64_t account_id, arena *a, pl_list **out,
                            int *n)
{
    PREPARE(s, d,
            "SELECT l.id, l.account_id, l.title, l.replies_policy, l.is_exclusive, l.created_at "
            "FROM list_accounts m JOIN lists l ON l.id = m.list_id "
            "WHERE m.account_id = ? AND l.account_id = ? ORDER BY l.id");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, owner);
    return collect_lists(s, a, out, n);
}

int store_list_member_add(db *d, int64_t list_id, int64_t account_id, int64_t now)
{
    PREPARE(s, d, "INSERT INTO list_accounts (list_id, account_id, created_at) VALUES (?, ?, ?)");
    db_bind_i64(s, 1, list_id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, now);
    return db_step_done(s);
}

int store_list_member_remove(db *d, int64_t list_id, int64_t account_id)
{
    PREPARE(s, d, "DELETE FROM list_accounts WHERE list_id = ? AND account_id = ?");
    db_bind_i64(s, 1, list_id);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

bool store_list_has_member(db *d, int64_t list_id, int64_t account_id)
{
    return store_exists2(d, "SELECT 1 FROM list_accounts WHERE list_id = ? AND account_id = ?",
                         list_id, account_id);
}

int store_list_member_count(db *d, int64_t list_id, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM list_accounts WHERE list_id = ?");
    db_bind_i64(s, 1, list_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_list_members(db *d, int64_t list_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define MEMBERS "SELECT account_id, account_id FROM list_accounts WHERE list_id = ?"
    return store_paged(d, MEMBERS PAGE_DESC("account_id"), MEMBERS PAGE_ASC("account_id"), &list_id,
                       1, NULL, p, a, out);
#undef MEMBERS
}

int store_list_members_all(db *d, int64_t list_id, int64_t owner, arena *a, pl_list_member **out,
                           int *n)
{
    PREPARE(s, d,
            "SELECT m.account_id, COALESCE(a.last_status_at, 0), COALESCE(f.show_reblogs, 1) "
            "FROM list_accounts m JOIN accounts a ON a.id = m.account_id "
            "LEFT JOIN follows f ON f.account_id = ? AND f.target_id = m.account_id "
            "WHERE m.list_id = ?");
    db_bind_i64(s, 1, owner);
    db_bind_i64(s, 2, list_id);
    int cap = 0, count = 0, rc;
    pl_list_member *v = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            int ncap = cap ? cap * 2 : 16;
            pl_list_member *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
            if (count) memcpy(nv, v, sizeof *v * (size_t)count);
            v = nv;
            cap = ncap;
        }
        v[count++] = (pl_list_member){.account_id = db_col_i64(s, 0),
                                      .last_status_at = db_col_i64(s, 1),
                                      .show_reblogs = db_col_i64(s, 2) != 0};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_lists_forget_account(db *d, int64_t owner, int64_t account_id)
{
    PREPARE(s, d,
            "DELETE FROM list_accounts WHERE account_id = ? AND list_id IN "
            "(SELECT id FROM lists WHERE account_id = ?)");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, owner);
    return db_step_done(s);
}

int store_lists_exclusive_members(db *d, int64_t owner, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT DISTINCT m.account_id FROM lists l JOIN list_accounts m ON m.list_id = l.id "
            "WHERE l.account_id = ? AND l.is_exclusive = 1 ORDER BY m.account_id");
    db_bind_i64(s, 1, owner);
    return store_collect_ids(s, a, ids, n);
}

/* ---- sources besides members: channels and hashtags (migration 012) ---- */

int store_list_sources(db *d, int64_t list_id, arena *a, pl_list_source **out, int *n)
{
    PREPARE(s, d, "SELECT kind, value FROM list_sources WHERE list_id = ? ORDER BY kind, value");
    db_bind_i64(s, 1, list_id);
    int cap = 8, count = 0, rc;
    pl_list_source *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_list_source *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_list_source){(int)db_col_i64(s, 0), col_str(s, 1, a)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_list_source_add(db *d, int64_t list_id, int kind, const char *value, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO list_sources (list_id, kind, value, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, list_id);
    db_bind_i64(s, 2, kind);
    db_bind_text(s, 3, value, -1);
    db_bind_i64(s, 4, now);
    return db_step_done(s);
}

int store_list_source_remove(db *d, int64_t list_id, int kind, const char *value)
{
    PREPARE(s, d, "DELETE FROM list_sources WHERE list_id = ? AND kind = ? AND value = ?");
    db_bind_i64(s, 1, list_id);
    db_bind_i64(s, 2, kind);
    db_bind_text(s, 3, value, -1);
    return db_step_done(s);
}

int store_list_sources_clear(db *d, int64_t list_id)
{
    PREPARE(s, d, "DELETE FROM list_sources WHERE list_id = ?");
    db_bind_i64(s, 1, list_id);
    return db_step_done(s);
}

bool store_list_takes(db *d, int64_t list_id, int64_t author, int64_t channel_id, int64_t status_id)
{
    char ch[24];
    snprintf(ch, sizeof ch, "%lld", (long long)channel_id);
    db_stmt *s = db_prepare(
        d, "SELECT 1 WHERE EXISTS (SELECT 1 FROM list_accounts WHERE list_id = ? AND "
           "account_id = ?) OR EXISTS (SELECT 1 FROM list_sources WHERE list_id = ? AND "
           "kind = 1 AND value = ?) OR EXISTS (SELECT 1 FROM list_sources l JOIN status_tags t "
           "ON t.tag = l.value WHERE l.list_id = ? AND l.kind = 2 AND t.status_id = ?)");
    if (!s) return false;
    db_bind_i64(s, 1, list_id);
    db_bind_i64(s, 2, author);
    db_bind_i64(s, 3, list_id);
    db_bind_text(s, 4, ch, -1);
    db_bind_i64(s, 5, list_id);
    db_bind_i64(s, 6, status_id);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_list_memberships_drop(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "DELETE FROM list_accounts WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = db_step_done(s);
    if (!rc) *n = db_changes(d);
    return rc;
}
