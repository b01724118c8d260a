/*
 * influence_read.c — what the API reads of influence's tables (migration 057; store/influence.h,
 * "what the API reads" and "topics"): one person's days, who knows about a topic, whether one
 * shows one's score, a run's histogram, and the administrators' marks of channels and hashtags.
 *
 * The computation (store/influence.c) writes the runs; this file only reads them, except for
 * the two small writes a person or an administrator makes (shown, a topic's mark). It checks
 * no permission: who may see what is app/influence_view.c's.
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

/* ---- topics ----------------------------------------------------------------------------- */

int store_influence_topics(db *d, arena *a, pl_influence_topic **out, int *n)
{
    /* channels first (tag NULL), by id; then hashtags, by name */
    PREPARE(s, d,
            "SELECT id, channel_id, tag, class, topic, set_by, set_at FROM influence_topics "
            "ORDER BY CASE WHEN channel_id IS NULL THEN 1 ELSE 0 END, channel_id, tag");
    int cap = 0, rc;
    *n = 0;
    *out = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (pl_influence_topic){.id = db_col_i64(s, 0),
                                              .channel_id = db_col_i64(s, 1),
                                              .tag = col_str(s, 2, a),
                                              .klass = (int)db_col_i64(s, 3),
                                              .topic = col_str(s, 4, a),
                                              .set_by = db_col_i64(s, 5),
                                              .set_at = db_col_i64(s, 6)};
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

/* Deletes the mark of a channel or a hashtag; *removed says whether there was one. */
static int topic_delete(db *d, int64_t channel_id, const char *tag, bool *removed)
{
    db_stmt *s = db_prepare(d, channel_id ? "DELETE FROM influence_topics WHERE channel_id = ?"
                                          : "DELETE FROM influence_topics WHERE tag = ?");
    if (!s) return PL_EDB;
    if (channel_id)
        db_bind_i64(s, 1, channel_id);
    else
        db_bind_text(s, 1, tag ? tag : "", -1);
    int rc = db_step_done(s);
    if (rc) return rc;
    *removed = db_changes(d) > 0;
    return PL_OK;
}

int store_influence_topic_set(db *d, const pl_influence_topic *t)
{
    if (!t->channel_id == !t->tag) return PL_EINVAL;
    bool removed;
    int rc = topic_delete(d, t->channel_id, t->tag, &removed);
    if (rc) return rc;
    PREPARE(s, d,
            "INSERT INTO influence_topics (id, channel_id, tag, class, topic, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, t->id);
    if (t->channel_id)
        db_bind_i64(s, 2, t->channel_id);
    else
        db_bind_null(s, 2);
    if (t->tag)
        db_bind_text(s, 3, t->tag, -1);
    else
        db_bind_null(s, 3);
    db_bind_i64(s, 4, t->klass);
    db_bind_text(s, 5, t->topic, -1);
    if (t->set_by)
        db_bind_i64(s, 6, t->set_by);
    else
        db_bind_null(s, 6);
    db_bind_i64(s, 7, t->set_at);
    return db_step_done(s);
}

int store_influence_topic_remove(db *d, int64_t channel_id, const char *tag)
{
    if (!channel_id == !tag) return PL_EINVAL;
    bool removed;
    int rc = topic_delete(d, channel_id, tag, &removed);
    if (rc) return rc;
    return removed ? PL_OK : PL_ENOTFOUND;
}

/* ---- what the API reads ----------------------------------------------------------------- */

int store_influence_days(db *d, int64_t account_id, int from_day, arena *a, pl_influence_day **out,
                         int *n)
{
    PREPARE(s, d,
            "SELECT day, prev_day, run_id, raw, score, new_raw, older_raw, deleted_raw, "
            "method_raw, method_version FROM influence_daily WHERE account_id = ? AND day >= ? "
            "ORDER BY day");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, from_day);
    int cap = 0, rc;
    *n = 0;
    *out = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (pl_influence_day){
            .account_id = account_id,
            .day = (int)db_col_i64(s, 0),
            .prev_day = db_col_is_null(s, 1) ? -1 : (int)db_col_i64(s, 1),
            .run_id = db_col_i64(s, 2),
            .raw = db_col_i64(s, 3),
            .score = (int)db_col_i64(s, 4),
            .new_raw = db_col_i64(s, 5),
            .older_raw = db_col_i64(s, 6),
            .deleted_raw = db_col_i64(s, 7),
            .method_raw = db_col_i64(s, 8),
            .method_version = (int)db_col_i64(s, 9),
        };
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

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
