/*
 * polls.c — polls, their options and votes, and the claim of ended polls whose "poll"
 * notifications are still to be sent.
 *
 * Counts (per option, votes and voters per poll) live on the rows and change in the
 * transaction of the vote, so reading a poll is one query and never counts rows. A vote
 * first locks its poll row (FOR UPDATE on PostgreSQL; SQLite has one writer), so two nodes
 * cannot both record a first vote of the same account. Every change touches the poll's
 * status, so a cache that ever keeps a rendering with the poll in it is evicted.
 */
#include <string.h>

#include "store/polls.h"
#include "store/query.h"

/* the poll with its options, one row per option */
#define POLL_SELECT                                                                                \
    "SELECT p.id, p.status_id, p.account_id, p.expires_at, p.multiple, p.hide_totals, "            \
    "p.votes_count, p.voters_count, p.notified, p.created_at, p.options_count, o.idx, o.title, "   \
    "o.votes_count FROM polls p JOIN poll_options o ON o.poll_id = p.id "

static int insert_options(db *d, int64_t poll_id, const char *const *titles, int n)
{
    int rc = PL_OK;
    for (int i = 0; i < n && !rc; i++) {
        PREPARE(s, d,
                "INSERT INTO poll_options (poll_id, idx, title, votes_count) VALUES (?, ?, ?, 0)");
        db_bind_i64(s, 1, poll_id);
        db_bind_i64(s, 2, i);
        db_bind_text(s, 3, titles[i], -1);
        rc = db_step_done(s);
    }
    return rc;
}

int store_poll_insert(db *d, const pl_poll *p)
{
    db_touch(d, TOUCH_STATUS, p->status_id);
    PREPARE(s, d,
            "INSERT INTO polls (id, status_id, account_id, expires_at, multiple, hide_totals, "
            "options_count, votes_count, voters_count, notified, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)");
    db_bind_i64(s, 1, p->id);
    db_bind_i64(s, 2, p->status_id);
    db_bind_i64(s, 3, p->account_id);
    db_bind_i64(s, 4, p->expires_at);
    db_bind_i64(s, 5, p->multiple);
    db_bind_i64(s, 6, p->hide_totals);
    db_bind_i64(s, 7, p->n_options);
    db_bind_i64(s, 8, p->created_at);
    int rc = db_step_done(s);
    return rc ? rc : insert_options(d, p->id, p->titles, p->n_options);
}

int store_poll_get(db *d, int64_t id, arena *a, pl_poll *out)
{
    PREPARE(s, d, POLL_SELECT "WHERE p.id = ? ORDER BY o.idx");
    db_bind_i64(s, 1, id);
    int rc, n = 0;
    memset(out, 0, sizeof *out);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == 0) {
            out->id = db_col_i64(s, 0);
            out->status_id = db_col_i64(s, 1);
            out->account_id = db_col_i64(s, 2);
            out->expires_at = db_col_i64(s, 3);
            out->multiple = db_col_i64(s, 4);
            out->hide_totals = db_col_i64(s, 5);
            out->votes_count = db_col_i64(s, 6);
            out->voters_count = db_col_i64(s, 7);
            out->notified = db_col_i64(s, 8);
            out->created_at = db_col_i64(s, 9);
            int cap = (int)db_col_i64(s, 10);
            if (cap < 1) cap = 1;
            out->titles = arena_alloc(a, sizeof *out->titles * (size_t)cap);
            out->option_votes = arena_alloc(a, sizeof *out->option_votes * (size_t)cap);
            out->n_options = cap; /* the capacity until the rows are read */
        }
        int idx = (int)db_col_i64(s, 11);
        if (idx < 0 || idx >= out->n_options) continue; /* cannot happen: options_count is kept */
        out->titles[n] = col_str(s, 12, a);
        out->option_votes[n] = db_col_i64(s, 13);
        n++;
    }
    db_reset(s);
    if (rc < 0) return rc;
    if (n == 0) return PL_ENOTFOUND;
    out->n_options = n;
    return PL_OK;
}

int store_poll_own_votes(db *d, int64_t poll_id, int64_t account_id, arena *a, int **choices,
                         int *n)
{
    PREPARE(s, d,
            "SELECT choice FROM poll_votes WHERE poll_id = ? AND account_id = ? ORDER BY choice");
    db_bind_i64(s, 1, poll_id);
    db_bind_i64(s, 2, account_id);
    int64_t *ids;
    int rc = store_collect_ids(s, a, &ids, n);
    if (rc) return rc;
    int *v = arena_alloc(a, sizeof *v * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++) v[i] = (int)ids[i];
    *choices = v;
    return PL_OK;
}

/* Locks the poll row until the transaction ends (PostgreSQL); on SQLite the writer already
 * holds the database's write lock. PL_ENOTFOUND if the poll is gone. */
static int lock_poll(db *d, int64_t poll_id, int64_t *status_id)
{
    static const char plain[] = "SELECT status_id FROM polls WHERE id = ?";
    static const char locking[] = "SELECT status_id FROM polls WHERE id = ? FOR UPDATE";
    PREPARE(s, d, db_supports_notify(d) ? locking : plain);
    db_bind_i64(s, 1, poll_id);
    int rc = step_one(s);
    if (rc) return rc;
    *status_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_poll_vote(db *d, int64_t poll_id, int64_t account_id, const int *choices, int n,
                    int64_t now)
{
    int64_t status_id;
    int rc = lock_poll(d, poll_id, &status_id);
    if (rc) return rc;
    if (store_exists2(d, "SELECT 1 FROM poll_votes WHERE poll_id = ? AND account_id = ?", poll_id,
                      account_id))
        return PL_ECONFLICT;
    db_touch(d, TOUCH_STATUS, status_id);
    for (int i = 0; i < n; i++) {
        PREPARE(v, d,
                "INSERT INTO poll_votes (poll_id, account_id, choice, created_at) "
                "VALUES (?, ?, ?, ?)");
        db_bind_i64(v, 1, poll_id);
        db_bind_i64(v, 2, account_id);
        db_bind_i64(v, 3, choices[i]);
        db_bind_i64(v, 4, now);
        if ((rc = db_step_done(v))) return rc;
        PREPARE(o, d,
                "UPDATE poll_options SET votes_count = votes_count + 1 "
                "WHERE poll_id = ? AND idx = ?");
        db_bind_i64(o, 1, poll_id);
        db_bind_i64(o, 2, choices[i]);
        if ((rc = db_step_done(o))) return rc;
    }
    PREPARE(p, d,
            "UPDATE polls SET votes_count = votes_count + ?, voters_count = voters_count + 1 "
            "WHERE id = ?");
    db_bind_i64(p, 1, n);
    db_bind_i64(p, 2, poll_id);
    return db_step_done(p);
}

int store_poll_update(db *d, const pl_poll *p, bool reset)
{
    db_touch(d, TOUCH_STATUS, p->status_id);
    int rc;
    if (reset) {
        static const char *const sql[] = {
            "DELETE FROM poll_votes WHERE poll_id = ?",
            "DELETE FROM poll_options WHERE poll_id = ?",
        };
        for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
            PREPARE(s, d, sql[i]);
            db_bind_i64(s, 1, p->id);
            if ((rc = db_step_done(s))) return rc;
        }
        if ((rc = insert_options(d, p->id, p->titles, p->n_options))) return rc;
    }
    PREPARE(s, d,
            "UPDATE polls SET expires_at = ?, multiple = ?, hide_totals = ?, options_count = ?, "
            "notified = 0, votes_count = CASE WHEN ? = 1 THEN 0 ELSE votes_count END, "
            "voters_count = CASE WHEN ? = 1 THEN 0 ELSE voters_count END WHERE id = ?");
    db_bind_i64(s, 1, p->expires_at);
    db_bind_i64(s, 2, p->multiple);
    db_bind_i64(s, 3, p->hide_totals);
    db_bind_i64(s, 4, p->n_options);
    db_bind_i64(s, 5, reset);
    db_bind_i64(s, 6, reset);
    db_bind_i64(s, 7, p->id);
    return db_step_done(s);
}

int store_poll_delete(db *d, int64_t poll_id)
{
    static const char *const sql[] = {
        "DELETE FROM poll_votes WHERE poll_id = ?",
        "DELETE FROM poll_options WHERE poll_id = ?",
        "DELETE FROM polls WHERE id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        PREPARE(s, d, sql[i]);
        db_bind_i64(s, 1, poll_id);
        int rc = db_step_done(s);
        if (rc) return rc;
    }
    return PL_OK;
}

int store_poll_voters(db *d, int64_t poll_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT DISTINCT account_id FROM poll_votes WHERE poll_id = ? ORDER BY account_id");
    db_bind_i64(s, 1, poll_id);
    return store_collect_ids(s, a, ids, n);
}

int store_polls_claim_ended(db *d, int64_t now, int limit, arena *a, int64_t **ids, int *n)
{
    /* Several nodes' writers may look at once on PostgreSQL: each takes rows no other holds
     * (the same text otherwise; SQLite has one writer). */
    static const char plain[] = "SELECT id FROM polls WHERE notified = 0 AND expires_at <= ? "
                                "ORDER BY expires_at LIMIT ?";
    static const char locking[] = "SELECT id FROM polls WHERE notified = 0 AND expires_at <= ? "
                                  "ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
    PREPARE(s, d, db_supports_notify(d) ? locking : plain);
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, limit);
    int rc = store_collect_ids(s, a, ids, n);
    for (int i = 0; i < *n && !rc; i++) {
        PREPARE(u, d, "UPDATE polls SET notified = 1 WHERE id = ?");
        db_bind_i64(u, 1, (*ids)[i]);
        rc = db_step_done(u);
    }
    return rc;
}
