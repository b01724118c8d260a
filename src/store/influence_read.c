/*
 * influence_read.c — what the API reads of influence's tables (migration 057; store/influence.h,
 * "what the API reads"): who knows about a topic, whether one shows one's score (and its
 * change), a run's histogram and one person's score alone. One's days and the topics'
 * marks are store/influence.c's, which the computation reads too.
 *
 * The computation (store/influence.c) writes the runs; this file only reads them, except for
 * whether one shows one's score. It checks no permission: who may see what is
 * app/influence_view.c's.
 */
#include <string.h>

#include "store/influence.h"
#include "store/query.h"

/* Grows an arena array of elem-sized items holding *n, with room for *cap, to fit one more. */
static void *grow(arena *a, void *v, int n, int *cap, size_t elem)
{
    if (n < *cap) return v;
    int more = *cap ? *cap * 2 : 16;
    void *w = arena_alloc(a, elem * (size_t)more);
    if (n) memcpy(w, v, elem * (size_t)n);
    *cap = more;
    return w;
}

/* ---- what the API reads ----------------------------------------------------------------- */

int store_influence_experts(db *d, int64_t run_id, const char *topic, int limit, arena *a,
                            pl_influence_expertise **out, int *n)
{
    PREPARE(s, d,
            "SELECT e.account_id, e.raw, e.posts FROM influence_expertise e "
            "JOIN accounts a ON a.id = e.account_id "
            "WHERE e.run_id = ? AND e.topic = ? AND a.influence_shown <> 0 "
            "AND a.is_disabled = 0 AND a.is_suspended = 0 "
            "ORDER BY e.raw DESC, e.account_id LIMIT ?");
    db_bind_i64(s, 1, run_id);
    db_bind_text(s, 2, topic, -1);
    db_bind_i64(s, 3, limit);
    int cap = 0, rc;
    *n = 0;
    *out = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (pl_influence_expertise){.run_id = run_id,
                                                  .topic = topic,
                                                  .account_id = db_col_i64(s, 0),
                                                  .raw = db_col_i64(s, 1),
                                                  .posts = col_str(s, 2, a)};
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_influence_shown_get(db *d, int64_t account_id, bool *shown)
{
    *shown = false;
    PREPARE(s, d, "SELECT influence_shown FROM accounts WHERE id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *shown = db_col_i64(s, 0) != 0;
    db_reset(s);
    return PL_OK;
}

int store_influence_shown_set(db *d, int64_t account_id, bool shown)
{
    PREPARE(s, d, "UPDATE accounts SET influence_shown = ? WHERE id = ?");
    db_bind_i64(s, 1, shown ? 1 : 0);
    db_bind_i64(s, 2, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) != 1) return PL_ENOTFOUND;
    db_touch(d, TOUCH_ACCOUNT, account_id); /* the record caches hold the flag (pl_account) */
    return PL_OK;
}

int store_influence_histogram(db *d, int64_t run_id, int64_t counts[10])
{
    memset(counts, 0, sizeof(int64_t) * 10);
    PREPARE(s, d,
            "SELECT (score - 1) / 10, count(*) FROM influence_scores WHERE run_id = ? "
            "GROUP BY (score - 1) / 10");
    db_bind_i64(s, 1, run_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t bucket = db_col_i64(s, 0);
        if (bucket < 0) bucket = 0; /* a score is 1 … 100; anything else goes to its end */
        if (bucket > 9) bucket = 9;
        counts[bucket] += db_col_i64(s, 1);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_influence_score_of(db *d, int64_t run_id, int64_t account_id, int *score)
{
    PREPARE(s, d, "SELECT score FROM influence_scores WHERE run_id = ? AND account_id = ?");
    db_bind_i64(s, 1, run_id);
    db_bind_i64(s, 2, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *score = (int)db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}
