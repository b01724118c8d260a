/*
 * influence.c — what an influence computation reads and writes (store/influence.h; the
 * tables of migration 057). What the API reads back is influence_read.c's.
 *
 * A computation reads a whole window at once, so the reads are scans, not lookups: ids are
 * time-ordered (util/ids.c: the milliseconds shifted left 16), so the window is an id range,
 * and a list of posts (sorted) is read as one range of the primary key, walked beside the
 * list, instead of a lookup per post.
 */
#include <stdlib.h>
#include <string.h>

#include "store/influence.h"
#include "store/query.h"
#include "store/visibility.h"
#include "util/ids.h"

int store_influence_accounts(db *d, arena *a, pl_influence_account **out, int *n)
{
    PREPARE(s, d,
            "SELECT id, created_at, signed_in_at, is_group, is_disabled, is_suspended, "
            "influence_shown FROM accounts ORDER BY id");
    int cap = 1024, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_influence_account *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
        (*out)[(*n)++] = (pl_influence_account){.id = db_col_i64(s, 0),
                                                .created_at = db_col_i64(s, 1),
                                                .signed_in_at = db_col_i64(s, 2),
                                                .is_group = db_col_i64(s, 3) != 0,
                                                .is_disabled = db_col_i64(s, 4) != 0,
                                                .is_suspended = db_col_i64(s, 5) != 0,
                                                .shown = db_col_i64(s, 6) != 0};
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

/* Steps s, calling fn with each row as a signal of type `type` read by `row`. */
static int each_signal(db_stmt *s, int type, void (*row)(db_stmt *s, pl_signal *g), pl_signal_fn fn,
                       void *ud)
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        pl_signal g = {.type = type, .via_visibility = -1};
        row(s, &g);
        int r = fn(ud, &g);
        if (r) {
            db_reset(s);
            return r;
        }
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

/* (engager, post, id): a favourite */
static void row_on_post(db_stmt *s, pl_signal *g)
{
    g->engager = db_col_i64(s, 0);
    g->post_id = db_col_i64(s, 1);
    g->at = id_ms(db_col_i64(s, 2));
}

/* (engager, mentioned, post, id) */
static void row_mention(db_stmt *s, pl_signal *g)
{
    g->engager = db_col_i64(s, 0);
    g->author = db_col_i64(s, 1);
    g->post_id = db_col_i64(s, 2);
    g->at = id_ms(db_col_i64(s, 3));
}

/* (engager, target, created_at) */
static void row_follow(db_stmt *s, pl_signal *g)
{
    g->engager = db_col_i64(s, 0);
    g->author = db_col_i64(s, 1);
    g->at = db_col_i64(s, 2);
}

/* (engager, post, created_at) */
static void row_pin(db_stmt *s, pl_signal *g)
{
    g->engager = db_col_i64(s, 0);
    g->post_id = db_col_i64(s, 1);
    g->at = db_col_i64(s, 2);
}

int store_influence_signals(db *d, int64_t since, int64_t until, pl_signal_fn fn, void *ud)
{
    int64_t lo = id_floor_for_ms(since), hi = id_floor_for_ms(until + 1) - 1;
    int rc;
    {
        PREPARE(s, d, "SELECT account_id, status_id, id FROM favourites WHERE id >= ? AND id <= ?");
        db_bind_i64(s, 1, lo);
        db_bind_i64(s, 2, hi);
        if ((rc = each_signal(s, SIG_FAVOURITE, row_on_post, fn, ud))) return rc;
    }
    {
        PREPARE(s, d,
                "SELECT s.account_id, m.account_id, s.id, s.id FROM status_mentions m "
                "JOIN statuses s ON s.id = m.status_id "
                "WHERE m.status_id >= ? AND m.status_id <= ? AND s." VIS_SQL_NOT_DIRECT_NOR_TICKET
                " AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id <> "
                "m.account_id)");
        db_bind_i64(s, 1, lo);
        db_bind_i64(s, 2, hi);
        if ((rc = each_signal(s, SIG_MENTION, row_mention, fn, ud))) return rc;
    }
    {
        PREPARE(s, d,
                "SELECT account_id, target_id, created_at FROM follows "
                "WHERE created_at >= ? AND created_at <= ?");
        db_bind_i64(s, 1, since);
        db_bind_i64(s, 2, until);
        if ((rc = each_signal(s, SIG_FOLLOW, row_follow, fn, ud))) return rc;
    }
    {
        PREPARE(s, d,
                "SELECT COALESCE(pinned_by, channel_id), status_id, created_at FROM channel_pins "
                "WHERE created_at >= ? AND created_at <= ?");
        db_bind_i64(s, 1, since);
        db_bind_i64(s, 2, until);
        if ((rc = each_signal(s, SIG_PIN, row_pin, fn, ud))) return rc;
    }
    return PL_OK;
}

/* Below this many ids a list is read by lookups (STORE_BATCH at a time); above, as one range
 * of the primary key walked beside the list. */
enum { LOOKUP_MAX = 2000 };

/* Is id in the sorted ids from *at on? Moves *at past the ids below it. */
static bool walk(const int64_t *ids, int n, int *at, int64_t id)
{
    while (*at < n && ids[*at] < id) (*at)++;
    return *at < n && ids[*at] == id;
}

#define POST_COLUMNS                                                                               \
    "SELECT id, account_id, visibility, channel_id, channel_removed, audience_list_id, "           \
    "mentions_count, reblog_of_id, in_reply_to_id FROM statuses "

static int each_post(db_stmt *s, const int64_t *ids, int n, pl_post_fn fn, void *ud)
{
    int rc, at = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        pl_influence_post p = {.id = db_col_i64(s, 0),
                               .account_id = db_col_i64(s, 1),
                               .visibility = (int)db_col_i64(s, 2),
                               .channel_id = db_col_i64(s, 3),
                               .channel_removed = db_col_i64(s, 4) != 0,
                               .audience_list_id = db_col_i64(s, 5),
                               .mentions_count = (int)db_col_i64(s, 6),
                               .reblog_of_id = db_col_i64(s, 7),
                               .in_reply_to_id = db_col_i64(s, 8)};
        if (ids && !walk(ids, n, &at, p.id)) continue;
        int r = fn(ud, &p);
        if (r) {
            db_reset(s);
            return r;
        }
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_influence_statuses(db *d, int64_t from_id, int64_t to_id, pl_post_fn fn, void *ud)
{
    PREPARE(s, d, POST_COLUMNS "WHERE id >= ? AND id <= ? ORDER BY id");
    db_bind_i64(s, 1, from_id);
    db_bind_i64(s, 2, to_id);
    return each_post(s, NULL, 0, fn, ud);
}

int store_influence_posts(db *d, const int64_t *ids, int n, pl_post_fn fn, void *ud)
{
    if (n == 0) return PL_OK;
    if (n > LOOKUP_MAX) {
        PREPARE(s, d, POST_COLUMNS "WHERE id >= ? AND id <= ? ORDER BY id");
        db_bind_i64(s, 1, ids[0]);
        db_bind_i64(s, 2, ids[n - 1]);
        return each_post(s, ids, n, fn, ud);
    }
    PREPARE(s, d, POST_COLUMNS "WHERE id IN (" IN_BATCH ") ORDER BY id");
    for (int i = 0; i < n; i += STORE_BATCH) {
        int k = n - i < STORE_BATCH ? n - i : STORE_BATCH;
        bind_batch(s, 1, ids + i, k);
        int rc = each_post(s, ids + i, k, fn, ud);
        if (rc) return rc;
    }
    return PL_OK;
}

static int each_tag(db_stmt *s, const int64_t *ids, int n,
                    int (*fn)(void *ud, int64_t post_id, const char *tag), void *ud)
{
    int rc, at = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_i64(s, 0);
        if (!walk(ids, n, &at, id)) continue;
        int r = fn(ud, id, db_col_text(s, 1));
        if (r) {
            db_reset(s);
            return r;
        }
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_influence_post_tags(db *d, const int64_t *ids, int n,
                              int (*fn)(void *ud, int64_t post_id, const char *tag), void *ud)
{
    if (n == 0) return PL_OK;
    if (n > LOOKUP_MAX) {
        PREPARE(s, d,
                "SELECT status_id, tag FROM status_tags WHERE status_id >= ? AND status_id <= ? "
                "ORDER BY status_id, tag");
        db_bind_i64(s, 1, ids[0]);
        db_bind_i64(s, 2, ids[n - 1]);
        return each_tag(s, ids, n, fn, ud);
    }
    PREPARE(s, d,
            "SELECT status_id, tag FROM status_tags WHERE status_id IN (" IN_BATCH
            ") ORDER BY status_id, tag");
    for (int i = 0; i < n; i += STORE_BATCH) {
        int k = n - i < STORE_BATCH ? n - i : STORE_BATCH;
        bind_batch(s, 1, ids + i, k);
        int rc = each_tag(s, ids + i, k, fn, ud);
        if (rc) return rc;
    }
    return PL_OK;
}

int store_influence_posts_exist(db *d, const int64_t *ids, int n, bool *exists)
{
    memset(exists, 0, sizeof *exists * (size_t)n);
    PREPARE(s, d, "SELECT id FROM statuses WHERE id IN (" IN_BATCH ") ORDER BY id");
    for (int i = 0; i < n; i += STORE_BATCH) {
        int k = n - i < STORE_BATCH ? n - i : STORE_BATCH, at = i, rc;
        bind_batch(s, 1, ids + i, k);
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t id = db_col_i64(s, 0);
            while (at < i + k && ids[at] < id) at++;
            if (at < i + k && ids[at] == id) exists[at] = true;
        }
        db_reset(s);
        if (rc != DB_DONE) return rc;
    }
    return PL_OK;
}

/* ---- runs ------------------------------------------------------------------------------ */

#define RUN_COLUMNS                                                                                \
    "SELECT id, day, at, state, method_version, window_days, half_life_days, median_raw, "         \
    "p95_raw, beta_milli, people, scored, signals, took_ms, finished_at FROM influence_runs "

static void read_run(db_stmt *s, pl_influence_run *r)
{
    *r = (pl_influence_run){.id = db_col_i64(s, 0),
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
}

static int one_run(db_stmt *s, pl_influence_run *out)
{
    int rc = step_one(s);
    if (rc) return rc;
    read_run(s, out);
    db_reset(s);
    return PL_OK;
}

int store_influence_current(db *d, pl_influence_run *out)
{
    PREPARE(s, d, RUN_COLUMNS "WHERE state = 1 ORDER BY id DESC LIMIT 1");
    return one_run(s, out);
}

int store_influence_baseline(db *d, int day, pl_influence_run *out)
{
    PREPARE(s, d,
            RUN_COLUMNS "WHERE state IN (1, 2) AND day < ? ORDER BY day DESC, id DESC LIMIT 1");
    db_bind_i64(s, 1, day);
    return one_run(s, out);
}

int store_influence_run_begin(db *d, pl_influence_run *r)
{
    {
        /* one run at a time (the lease): one still being built was left by a crash */
        PREPARE(s, d, "UPDATE influence_runs SET state = 3 WHERE state = 0");
        int rc = db_step_done(s);
        if (rc) return rc;
    }
    PREPARE(s, d,
            "INSERT INTO influence_runs (id, day, at, state, method_version, window_days, "
            "half_life_days) VALUES (?, ?, ?, 0, ?, ?, ?)");
    db_bind_i64(s, 1, r->id);
    db_bind_i64(s, 2, r->day);
    db_bind_i64(s, 3, r->at);
    db_bind_i64(s, 4, r->method_version);
    db_bind_i64(s, 5, r->window_days);
    db_bind_i64(s, 6, r->half_life_days);
    r->state = RUN_BUILDING;
    return db_step_done(s);
}

int store_influence_score_put(db *d, const pl_influence_score *x)
{
    PREPARE(s, d,
            "INSERT INTO influence_scores (run_id, account_id, raw, score, standing_milli, parts, "
            "posts) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, x->run_id);
    db_bind_i64(s, 2, x->account_id);
    db_bind_i64(s, 3, x->raw);
    db_bind_i64(s, 4, x->score);
    db_bind_i64(s, 5, x->standing_milli);
    db_bind_text(s, 6, x->parts ? x->parts : "", -1);
    db_bind_text(s, 7, x->posts ? x->posts : "", -1);
    return db_step_done(s);
}

int store_influence_day_put(db *d, const pl_influence_day *x)
{
    PREPARE(s, d,
            "INSERT INTO influence_daily (account_id, day, run_id, raw, score, prev_day, new_raw, "
            "older_raw, deleted_raw, method_raw, method_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, day) DO UPDATE SET "
            "run_id = excluded.run_id, raw = excluded.raw, score = excluded.score, "
            "prev_day = excluded.prev_day, new_raw = excluded.new_raw, "
            "older_raw = excluded.older_raw, deleted_raw = excluded.deleted_raw, "
            "method_raw = excluded.method_raw, method_version = excluded.method_version");
    db_bind_i64(s, 1, x->account_id);
    db_bind_i64(s, 2, x->day);
    db_bind_i64(s, 3, x->run_id);
    db_bind_i64(s, 4, x->raw);
    db_bind_i64(s, 5, x->score);
    if (x->prev_day >= 0)
        db_bind_i64(s, 6, x->prev_day);
    else
        db_bind_null(s, 6);
    db_bind_i64(s, 7, x->new_raw);
    db_bind_i64(s, 8, x->older_raw);
    db_bind_i64(s, 9, x->deleted_raw);
    db_bind_i64(s, 10, x->method_raw);
    db_bind_i64(s, 11, x->method_version);
    return db_step_done(s);
}

int store_influence_expertise_put(db *d, const pl_influence_expertise *x)
{
    PREPARE(s, d,
            "INSERT INTO influence_expertise (run_id, topic, account_id, raw, posts) "
            "VALUES (?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, x->run_id);
    db_bind_text(s, 2, x->topic, -1);
    db_bind_i64(s, 3, x->account_id);
    db_bind_i64(s, 4, x->raw);
    db_bind_text(s, 5, x->posts, -1);
    return db_step_done(s);
}

int store_influence_run_finish(db *d, const pl_influence_run *r)
{
    int rc;
    {
        /* the current one becomes a baseline; a baseline of the same day is no longer one */
        PREPARE(s, d, "UPDATE influence_runs SET state = 2 WHERE state = 1");
        if ((rc = db_step_done(s))) return rc;
    }
    {
        PREPARE(s, d,
                "UPDATE influence_runs SET state = 1, median_raw = ?, p95_raw = ?, "
                "beta_milli = ?, people = ?, scored = ?, signals = ?, took_ms = ?, "
                "finished_at = ? WHERE id = ?");
        db_bind_i64(s, 1, r->median_raw);
        db_bind_i64(s, 2, r->p95_raw);
        db_bind_i64(s, 3, r->beta_milli);
        db_bind_i64(s, 4, r->people);
        db_bind_i64(s, 5, r->scored);
        db_bind_i64(s, 6, r->signals);
        db_bind_i64(s, 7, r->took_ms);
        db_bind_i64(s, 8, r->finished_at);
        db_bind_i64(s, 9, r->id);
        if ((rc = db_step_done(s))) return rc;
        if (db_changes(d) != 1) return PL_ENOTFOUND;
    }
    return PL_OK;
}

/* The runs to keep: the current one and the last baseline of an earlier day than its. */
#define KEPT_RUNS                                                                                  \
    "(SELECT id FROM influence_runs WHERE state = 1 UNION SELECT id FROM (SELECT b.id FROM "       \
    "influence_runs b, influence_runs c WHERE c.state = 1 AND b.state = 2 AND b.day < c.day "      \
    "ORDER BY b.day DESC, b.id DESC LIMIT 1) k)"

/* Runs sql, a delete of at most limit rows (its one parameter); sets *more when it deleted
 * that many (rows may be left). */
static int prune_table(db *d, const char *sql, int limit, bool *more)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, limit);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) >= limit) *more = true;
    return PL_OK;
}

#define OLD_RUN(col)                                                                               \
    col " IN (SELECT id FROM influence_runs WHERE state <> 0 AND id NOT IN " KEPT_RUNS ")"

int store_influence_prune(db *d, int limit, int keep_before_day, bool *more)
{
    *more = false;
    int rc;
    if ((rc = prune_table(
             d,
             "DELETE FROM influence_scores WHERE (run_id, account_id) IN (SELECT "
             "run_id, account_id FROM influence_scores WHERE " OLD_RUN("run_id") " LIMIT ?)",
             limit, more)))
        return rc;
    if ((rc = prune_table(
             d,
             "DELETE FROM influence_expertise WHERE (run_id, topic, account_id) IN "
             "(SELECT run_id, topic, account_id FROM influence_expertise WHERE " OLD_RUN(
                 "run_id") " LIMIT ?)",
             limit, more)))
        return rc;
    if (!*more) {
        PREPARE(s, d, "DELETE FROM influence_runs WHERE " OLD_RUN("id"));
        if ((rc = db_step_done(s))) return rc;
    }
    PREPARE(s, d,
            "DELETE FROM influence_daily WHERE (account_id, day) IN (SELECT account_id, day FROM "
            "influence_daily WHERE day < ? LIMIT ?)");
    db_bind_i64(s, 1, keep_before_day);
    db_bind_i64(s, 2, limit);
    if ((rc = db_step_done(s))) return rc;
    if (db_changes(d) >= limit) *more = true;
    return PL_OK;
}

#define SCORE_COLUMNS                                                                              \
    "SELECT run_id, account_id, raw, score, standing_milli, parts, posts FROM influence_scores "

static void read_score(db_stmt *s, arena *a, pl_influence_score *x)
{
    *x = (pl_influence_score){.run_id = db_col_i64(s, 0),
                              .account_id = db_col_i64(s, 1),
                              .raw = db_col_i64(s, 2),
                              .score = (int)db_col_i64(s, 3),
                              .standing_milli = (int)db_col_i64(s, 4),
                              .parts = col_str(s, 5, a),
                              .posts = col_str(s, 6, a)};
}

int store_influence_score(db *d, int64_t run_id, int64_t account_id, arena *a,
                          pl_influence_score *out)
{
    PREPARE(s, d, SCORE_COLUMNS "WHERE run_id = ? AND account_id = ?");
    db_bind_i64(s, 1, run_id);
    db_bind_i64(s, 2, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    read_score(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_influence_scores(db *d, int64_t run_id, int64_t after_account, int limit, arena *a,
                           pl_influence_score **out, int *n)
{
    PREPARE(s, d, SCORE_COLUMNS "WHERE run_id = ? AND account_id > ? ORDER BY account_id LIMIT ?");
    db_bind_i64(s, 1, run_id);
    db_bind_i64(s, 2, after_account);
    db_bind_i64(s, 3, limit);
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < limit) read_score(s, a, &(*out)[(*n)++]);
    db_reset(s);
    return rc == DB_DONE || rc == DB_ROW ? PL_OK : rc;
}

int store_influence_lease(db *d, const char *holder, int64_t now, int64_t until, bool *got)
{
    PREPARE(s, d,
            "UPDATE influence_lease SET holder = ?, until_at = ? "
            "WHERE one = 1 AND (until_at < ? OR holder = ? OR holder = '')");
    db_bind_text(s, 1, holder, -1);
    db_bind_i64(s, 2, until);
    db_bind_i64(s, 3, now);
    db_bind_text(s, 4, holder, -1);
    int rc = db_step_done(s);
    *got = !rc && db_changes(d) == 1;
    return rc;
}

int store_influence_lease_drop(db *d, const char *holder)
{
    PREPARE(s, d, "UPDATE influence_lease SET holder = '', until_at = 0 WHERE holder = ?");
    db_bind_text(s, 1, holder, -1);
    return db_step_done(s);
}

int store_influence_signed_in(db *d, int64_t account_id, int64_t at)
{
    PREPARE(s, d, "UPDATE accounts SET signed_in_at = ? WHERE id = ? AND signed_in_at IS NULL");
    db_bind_i64(s, 1, at);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

/* ---- topics ----------------------------------------------------------------------------- */

int store_influence_topics(db *d, arena *a, pl_influence_topic **out, int *n)
{
    PREPARE(s, d,
            "SELECT id, channel_id, tag, class, topic, set_by, set_at FROM influence_topics "
            "ORDER BY tag IS NOT NULL, channel_id, tag");
    int cap = 16, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_influence_topic *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
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

int store_influence_topic_set(db *d, const pl_influence_topic *t)
{
    int rc = store_influence_topic_remove(d, t->tag ? 0 : t->channel_id, t->tag);
    if (rc && rc != PL_ENOTFOUND) return rc;
    PREPARE(s, d,
            "INSERT INTO influence_topics (id, channel_id, tag, class, topic, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, t->id);
    if (t->tag) {
        db_bind_null(s, 2);
        db_bind_text(s, 3, t->tag, -1);
    } else {
        db_bind_i64(s, 2, t->channel_id);
        db_bind_null(s, 3);
    }
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
    PREPARE(s, d, "DELETE FROM influence_topics WHERE channel_id = ? OR tag = ?");
    db_bind_i64(s, 1, tag ? 0 : channel_id);
    db_bind_text(s, 2, tag ? tag : "", -1);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_influence_days(db *d, int64_t account_id, int from_day, arena *a, pl_influence_day **out,
                         int *n)
{
    PREPARE(s, d,
            "SELECT account_id, day, prev_day, run_id, raw, score, new_raw, older_raw, "
            "deleted_raw, method_raw, method_version FROM influence_daily "
            "WHERE account_id = ? AND day >= ? ORDER BY day");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, from_day);
    int cap = 32, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_influence_day *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
        (*out)[(*n)++] =
            (pl_influence_day){.account_id = db_col_i64(s, 0),
                               .day = (int)db_col_i64(s, 1),
                               .prev_day = db_col_is_null(s, 2) ? -1 : (int)db_col_i64(s, 2),
                               .run_id = db_col_i64(s, 3),
                               .raw = db_col_i64(s, 4),
                               .score = (int)db_col_i64(s, 5),
                               .new_raw = db_col_i64(s, 6),
                               .older_raw = db_col_i64(s, 7),
                               .deleted_raw = db_col_i64(s, 8),
                               .method_raw = db_col_i64(s, 9),
                               .method_version = (int)db_col_i64(s, 10)};
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}
