/*
 * influence_standin.c — TEMPORARY: the two functions of store/influence.h's first part that
 * the API reads (store_influence_current, store_influence_score), written against migration
 * 057 so the branch builds before the computation (store/influence.c, the merger's) lands.
 * Deleted when main's store/influence.c is merged in: it defines the same two.
 */
#include <string.h>

#include "store/influence.h"
#include "store/query.h"

int store_influence_current(db *d, pl_influence_run *out)
{
    PREPARE(s, d,
            "SELECT id, day, at, state, method_version, window_days, half_life_days, median_raw, "
            "p95_raw, beta_milli, people, scored, signals, took_ms, finished_at "
            "FROM influence_runs WHERE state = 1 ORDER BY id DESC LIMIT 1");
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_influence_run){.id = db_col_i64(s, 0),
                              .day = (int)db_col_i64(s, 1),
                              .at = db_col_i64(s, 2),
                              .state = (int)db_col_i64(s, 3),
                              .method_version = (int)db_col_i64(s, 4),
                              .window_days = (int)db_col_i64(s, 5),
                              .half_life_days = (int)db_col_i64(s, 6),
                              .median_raw = db_col_i64(s, 7),
                              .p95_raw = db_col_i64(s, 8),
                              .beta_milli = (int)db_col_i64(s, 9),
                              .people = (int)db_col_i64(s, 10),
                              .scored = (int)db_col_i64(s, 11),
                              .signals = db_col_i64(s, 12),
                              .took_ms = (int)db_col_i64(s, 13),
                              .finished_at = db_col_i64(s, 14)};
    db_reset(s);
    return PL_OK;
}

int store_influence_score(db *d, int64_t run_id, int64_t account_id, arena *a,
                          pl_influence_score *out)
{
    PREPARE(s, d,
            "SELECT raw, score, standing_milli, parts, posts FROM influence_scores "
            "WHERE run_id = ? AND account_id = ?");
    db_bind_i64(s, 1, run_id);
    db_bind_i64(s, 2, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_influence_score){.run_id = run_id,
                                .account_id = account_id,
                                .raw = db_col_i64(s, 0),
                                .score = (int)db_col_i64(s, 1),
                                .standing_milli = (int)db_col_i64(s, 2),
                                .parts = col_str(s, 3, a),
                                .posts = col_str(s, 4, a)};
    db_reset(s);
    return PL_OK;
}
