/*
 * notify_policy.c — notification policies, accepted senders, and requests (the filtered
 * notifications of one sender, read through the partial index notifications_filtered).
 */
#include "store/notify_policy.h"
#include "store/query.h"

/* The rows a request is made of: partial index notifications_filtered holds only them. */
#define FILTERED_OF " FROM notifications WHERE account_id = ? AND filtered = 1"

int store_notify_policy_get(db *d, int64_t account_id, int out[POLICY_N])
{
    PREPARE(s, d,
            "SELECT not_following, not_followers, new_accounts, private_mentions, "
            "limited_accounts FROM notification_policies WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    for (int i = 0; i < POLICY_N; i++) out[i] = (int)db_col_i64(s, i);
    db_reset(s);
    return PL_OK;
}

int store_notify_policy_set(db *d, int64_t account_id, const int v[POLICY_N], int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO notification_policies (account_id, not_following, not_followers, "
            "new_accounts, private_mentions, limited_accounts, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
            "not_following = excluded.not_following, not_followers = excluded.not_followers, "
            "new_accounts = excluded.new_accounts, private_mentions = excluded.private_mentions, "
            "limited_accounts = excluded.limited_accounts, updated_at = excluded.updated_at");
    db_bind_i64(s, 1, account_id);
    for (int i = 0; i < POLICY_N; i++) db_bind_i64(s, 2 + i, v[i]);
    db_bind_i64(s, 2 + POLICY_N, now);
    return db_step_done(s);
}

/* One row's existence (and its first column, if any); PL_OK with *found. */
static int probe(db *d, const char *sql, int64_t a, int64_t b, bool *found, int64_t *col)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, a);
    db_bind_i64(s, 2, b);
    int rc = step_one(s);
    *found = rc == PL_OK;
    if (rc == PL_OK) {
        if (col) *col = db_col_i64(s, 0);
        db_reset(s);
    }
    return rc == PL_ENOTFOUND ? PL_OK : rc;
}

int store_notify_sender_facts(db *d, int64_t recipient, int64_t sender, notify_sender_facts *out)
{
    *out = (notify_sender_facts){0};
    bool follows_us = false;
    int rc = probe(d,
                   "SELECT 1 FROM notification_permissions WHERE account_id = ? AND "
                   "from_account_id = ?",
                   recipient, sender, &out->accepted, NULL);
    if (!rc)
        rc = probe(d, "SELECT 1 FROM follows WHERE account_id = ? AND target_id = ?", recipient,
                   sender, &out->followed, NULL);
    if (!rc)
        rc = probe(d, "SELECT created_at FROM follows WHERE account_id = ? AND target_id = ?",
                   sender, recipient, &follows_us, &out->follows_since);
    if (!follows_us) out->follows_since = 0;
    return rc;
}

int store_notify_permission_add(db *d, int64_t recipient, int64_t sender, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO notification_permissions (account_id, from_account_id, created_at) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, recipient);
    db_bind_i64(s, 2, sender);
    db_bind_i64(s, 3, now);
    return db_step_done(s);
}

/* The newest filtered notification about a post, for a request's last_status. */
static int last_status(db *d, int64_t recipient, pl_notify_request *r)
{
    PREPARE(s, d,
            "SELECT status_id" FILTERED_OF " AND from_account_id = ? AND status_id IS NOT NULL "
            "ORDER BY id DESC LIMIT 1");
    db_bind_i64(s, 1, recipient);
    db_bind_i64(s, 2, r->from_account_id);
    int rc = step_one(s);
    r->last_status_id = 0;
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    r->last_status_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

/* The columns of a request, grouped by sender; the count is capped in the app's reading. */
#define REQUEST_COLS "SELECT from_account_id, max(id), min(created_at), max(created_at), count(*)"

static void read_request(db_stmt *s, pl_notify_request *r)
{
    r->from_account_id = db_col_i64(s, 0);
    r->newest_id = db_col_i64(s, 1);
    r->created_at = db_col_i64(s, 2);
    r->updated_at = db_col_i64(s, 3);
    r->count = db_col_i64(s, 4);
    if (r->count > NOTIFY_REQUEST_COUNT_CAP) r->count = NOTIFY_REQUEST_COUNT_CAP;
}

int store_notify_requests(db *d, int64_t recipient, const pl_page *p, arena *a,
                          pl_notify_request **out, int *n)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    db_stmt *s = db_prepare(
        d, asc ? REQUEST_COLS FILTERED_OF " GROUP BY from_account_id HAVING max(id) < ? AND "
                                          "max(id) > ? ORDER BY max(id) ASC LIMIT ?"
               : REQUEST_COLS FILTERED_OF " GROUP BY from_account_id HAVING max(id) < ? AND "
                                          "max(id) > ? ORDER BY max(id) DESC LIMIT ?");
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, recipient);
    db_bind_i64(s, 2, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, 3, asc ? p->min_id : p->since_id);
    db_bind_i64(s, 4, p->limit);
    pl_notify_request *v = arena_alloc(a, sizeof *v * (size_t)(p->limit + 1));
    int count = 0, rc = 0; /* limit 0 reads no row */
    while (count < p->limit && (rc = db_step(s)) == DB_ROW) read_request(s, &v[count++]);
    db_reset(s);
    if (rc < 0) return rc;
    if (asc)
        for (int x = 0, y = count - 1; x < y; x++, y--) {
            pl_notify_request t = v[x];
            v[x] = v[y];
            v[y] = t;
        }
    for (int i = 0; i < count; i++)
        if ((rc = last_status(d, recipient, &v[i]))) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_notify_request_get(db *d, int64_t recipient, int64_t sender, pl_notify_request *out)
{
    PREPARE(s, d, REQUEST_COLS FILTERED_OF " AND from_account_id = ? GROUP BY from_account_id");
    db_bind_i64(s, 1, recipient);
    db_bind_i64(s, 2, sender);
    int rc = step_one(s);
    if (rc) return rc;
    read_request(s, out);
    db_reset(s);
    return last_status(d, recipient, out);
}

static int change_filtered(db *d, const char *sql, int64_t recipient, int64_t sender)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, recipient);
    db_bind_i64(s, 2, sender);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_notify_request_merge(db *d, int64_t recipient, int64_t sender)
{
    return change_filtered(d,
                           "UPDATE notifications SET filtered = 0 WHERE account_id = ? AND "
                           "filtered = 1 AND from_account_id = ?",
                           recipient, sender);
}

int store_notify_request_delete(db *d, int64_t recipient, int64_t sender)
{
    return change_filtered(d, "DELETE" FILTERED_OF " AND from_account_id = ?", recipient, sender);
}

int store_notify_requests_summary(db *d, int64_t recipient, int64_t *requests,
                                  int64_t *notifications)
{
    /* Mastodon's summary counts at most 100 requests; each request's count is capped too */
    PREPARE(s, d,
            "SELECT count(*), coalesce(sum(c), 0) FROM (SELECT CASE WHEN count(*) > ? THEN ? "
            "ELSE count(*) END AS c" FILTERED_OF " GROUP BY from_account_id LIMIT ?) AS r");
    db_bind_i64(s, 1, NOTIFY_REQUEST_COUNT_CAP);
    db_bind_i64(s, 2, NOTIFY_REQUEST_COUNT_CAP);
    db_bind_i64(s, 3, recipient);
    db_bind_i64(s, 4, NOTIFY_REQUEST_COUNT_CAP);
    int rc = step_one(s);
    if (rc) return rc;
    *requests = db_col_i64(s, 0);
    *notifications = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}
