/*
 * watches.c — listening's watches, their matches, buckets and alerts, and the matcher's row
 * (store/watches.h; migration 060).
 */
#include <string.h>

#include "store/query.h"
#include "store/watches.h"
#include "util/ids.h"

static int bump_version(db *d)
{
    PREPARE(s, d, "UPDATE listen_state SET version = version + 1 WHERE one = 1");
    return db_step_done(s);
}

int store_watch_insert(db *d, const pl_watch *w)
{
    PREPARE(s, d,
            "INSERT INTO watches (id, account_id, title, query, channel_id, created_at, "
            "updated_at, spike, spike_bucket) VALUES (?, ?, ?, ?, ?, ?, ?, '', -1)");
    db_bind_i64(s, 1, w->id);
    db_bind_i64(s, 2, w->account_id);
    db_bind_text(s, 3, w->title, -1);
    db_bind_text(s, 4, w->query, -1);
    if (w->channel_id)
        db_bind_i64(s, 5, w->channel_id);
    else
        db_bind_null(s, 5);
    db_bind_i64(s, 6, w->created_at);
    db_bind_i64(s, 7, w->updated_at);
    int rc = db_step_done(s);
    return rc ? rc : bump_version(d);
}

int store_watch_update(db *d, const pl_watch *w)
{
    PREPARE(s, d,
            "UPDATE watches SET title = ?, query = ?, channel_id = ?, updated_at = ? "
            "WHERE id = ? AND account_id = ?");
    db_bind_text(s, 1, w->title, -1);
    db_bind_text(s, 2, w->query, -1);
    if (w->channel_id)
        db_bind_i64(s, 3, w->channel_id);
    else
        db_bind_null(s, 3);
    db_bind_i64(s, 4, w->updated_at);
    db_bind_i64(s, 5, w->id);
    db_bind_i64(s, 6, w->account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) != 1) return PL_ENOTFOUND;
    return bump_version(d);
}

static int delete_of(db *d, const char *sql, int64_t id)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_watch_delete(db *d, int64_t id, int64_t owner)
{
    PREPARE(s, d, "DELETE FROM watches WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) != 1) return PL_ENOTFOUND;
    static const char *const rest[] = {
        "DELETE FROM watch_matches WHERE watch_id = ?",
        "DELETE FROM watch_feed_matches WHERE watch_id = ?",
        "DELETE FROM watch_buckets WHERE watch_id = ?",
        "DELETE FROM watch_days WHERE watch_id = ?",
        "DELETE FROM watch_authors WHERE watch_id = ?",
        "DELETE FROM watch_author_tops WHERE watch_id = ?",
        "DELETE FROM watch_post_tops WHERE watch_id = ?",
        "DELETE FROM watch_alerts WHERE watch_id = ?",
    };
    for (size_t i = 0; i < sizeof rest / sizeof *rest && !rc; i++) rc = delete_of(d, rest[i], id);
    return rc ? rc : bump_version(d);
}

/* Adds delta to one of a watch's running counts (sql: "UPDATE watches SET x = x + ? WHERE id = ?").
 */
static int count_add(db *d, const char *sql, int64_t id, int64_t delta)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, delta);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

#define WATCH_COLS                                                                                 \
    "w.id, w.account_id, w.title, w.query, w.channel_id, w.created_at, w.updated_at, w.spike, "    \
    "w.spike_bucket, w.match_count, w.feed_match_count, w.alert_count"

static void read_watch(db_stmt *s, arena *a, pl_watch *w)
{
    *w = (pl_watch){.id = db_col_i64(s, 0),
                    .account_id = db_col_i64(s, 1),
                    .title = col_str(s, 2, a),
                    .query = col_str(s, 3, a),
                    .channel_id = db_col_i64(s, 4),
                    .created_at = db_col_i64(s, 5),
                    .updated_at = db_col_i64(s, 6),
                    .spike = col_str(s, 7, a),
                    .spike_bucket = db_col_i64(s, 8),
                    .matches = db_col_i64(s, 9),
                    .feed_matches = db_col_i64(s, 10),
                    .alerts = db_col_i64(s, 11)};
}

int store_watch_get(db *d, int64_t id, arena *a, pl_watch *out)
{
    PREPARE(s, d, "SELECT " WATCH_COLS " FROM watches w WHERE w.id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_watch(s, a, out);
    db_reset(s);
    return PL_OK;
}

static int collect_watches(db_stmt *s, arena *a, pl_watch **out, int *n)
{
    int cap = 16, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            *out = arena_grow(a, *out, (size_t)cap, (size_t)cap * 2, sizeof **out);
            cap *= 2;
        }
        read_watch(s, a, &(*out)[(*n)++]);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_watches_of(db *d, int64_t owner, arena *a, pl_watch **out, int *n)
{
    PREPARE(s, d, "SELECT " WATCH_COLS " FROM watches w WHERE w.account_id = ? ORDER BY w.id DESC");
    db_bind_i64(s, 1, owner);
    return collect_watches(s, a, out, n);
}

int store_watches_count(db *d, int64_t owner, int64_t *n)
{
    db_stmt *s = owner ? db_prepare(d, "SELECT count(*) FROM watches WHERE account_id = ?")
                       : db_prepare(d, "SELECT count(*) FROM watches");
    if (!s) return PL_EDB;
    if (owner) db_bind_i64(s, 1, owner);
    int rc;
    if ((rc = step_one(s))) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_watches_all(db *d, arena *a, pl_watch **out, int *n)
{
    PREPARE(s, d, "SELECT " WATCH_COLS " FROM watches w ORDER BY w.id");
    return collect_watches(s, a, out, n);
}

int store_watches_counted(db *d, int64_t from, int64_t to, arena *a, pl_watch **out, int *n)
{
    PREPARE(s, d,
            "SELECT " WATCH_COLS " FROM watches w WHERE w.id IN (SELECT DISTINCT watch_id FROM "
            "watch_buckets WHERE bucket >= ? AND bucket <= ?) ORDER BY w.id");
    db_bind_i64(s, 1, from);
    db_bind_i64(s, 2, to);
    return collect_watches(s, a, out, n);
}

int store_watch_spike_set(db *d, int64_t id, const char *spike, int64_t bucket)
{
    PREPARE(s, d, "UPDATE watches SET spike = ?, spike_bucket = ? WHERE id = ?");
    db_bind_text(s, 1, spike, -1);
    db_bind_i64(s, 2, bucket);
    db_bind_i64(s, 3, id);
    return db_step_done(s);
}

/* ---- the matcher's row ------------------------------------------------------------------- */

int store_listen_state(db *d, pl_listen_state *out)
{
    PREPARE(s, d,
            "SELECT status_cursor, item_cursor, version, closed_bucket FROM listen_state "
            "WHERE one = 1");
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_listen_state){.status_cursor = db_col_i64(s, 0),
                             .item_cursor = db_col_i64(s, 1),
                             .version = db_col_i64(s, 2),
                             .closed_bucket = db_col_i64(s, 3)};
    db_reset(s);
    return PL_OK;
}

int store_listen_cursors_set(db *d, int64_t status_cursor, int64_t item_cursor)
{
    PREPARE(s, d, "UPDATE listen_state SET status_cursor = ?, item_cursor = ? WHERE one = 1");
    db_bind_i64(s, 1, status_cursor);
    db_bind_i64(s, 2, item_cursor);
    return db_step_done(s);
}

int store_listen_closed_set(db *d, int64_t closed_bucket)
{
    PREPARE(s, d, "UPDATE listen_state SET closed_bucket = ? WHERE one = 1");
    db_bind_i64(s, 1, closed_bucket);
    return db_step_done(s);
}

int store_listen_lease(db *d, const char *holder, int64_t now, int64_t until, bool *got)
{
    PREPARE(s, d,
            "UPDATE listen_state SET holder = ?, until_at = ? "
            "WHERE one = 1 AND (until_at < ? OR holder = ? OR holder = '')");
    db_bind_text(s, 1, holder, -1);
    db_bind_i64(s, 2, until);
    db_bind_i64(s, 3, now);
    db_bind_text(s, 4, holder, -1);
    int rc = db_step_done(s);
    *got = !rc && db_changes(d) == 1;
    return rc;
}

int store_listen_lease_drop(db *d, const char *holder)
{
    PREPARE(s, d, "UPDATE listen_state SET holder = '', until_at = 0 WHERE holder = ?");
    db_bind_text(s, 1, holder, -1);
    return db_step_done(s);
}

int store_listen_statuses_after(db *d, int64_t after, int max, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT id FROM statuses WHERE id > ? AND reblog_of_id IS NULL ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, after);
    db_bind_i64(s, 2, max);
    return store_collect_ids(s, a, ids, n);
}

int store_listen_latest(db *d, int max, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT id FROM statuses WHERE reblog_of_id IS NULL ORDER BY id DESC LIMIT ?");
    db_bind_i64(s, 1, max);
    return store_collect_ids(s, a, ids, n);
}

static void read_item(db_stmt *s, arena *a, pl_feed_item *it)
{
    *it = (pl_feed_item){.id = db_col_i64(s, 0),
                         .source_id = db_col_i64(s, 1),
                         .key = col_str(s, 2, a),
                         .link = col_str(s, 3, a),
                         .title = col_str(s, 4, a),
                         .author = col_str(s, 5, a),
                         .published_at = db_col_i64(s, 6),
                         .text = col_str(s, 7, a),
                         .fetched_at = db_col_i64(s, 8)};
}

#define ITEM_COLS                                                                                  \
    "i.id, i.source_id, i.item_key, i.link, i.title, i.author, i.published_at, i.text, "           \
    "i.fetched_at"

int store_listen_items_after(db *d, int64_t after, int max, arena *a, pl_feed_item **out, int *n)
{
    PREPARE(s, d, "SELECT " ITEM_COLS " FROM feed_items i WHERE i.id > ? ORDER BY i.id LIMIT ?");
    db_bind_i64(s, 1, after);
    db_bind_i64(s, 2, max);
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < max) read_item(s, a, &(*out)[(*n)++]);
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

/* ---- a watch's kept tops per day (migration 063) ------------------------------------------- */

/* A kept top of (watch, day): the k rows of the largest values, an item against an equal value
 * ranked by its id (smaller_first: the smaller id first, as authors are shown; else the larger,
 * the newer post). The texts are one table's: set the value of a kept item; the least kept row
 * (the last in rank) and the day's number of rows; delete an item; insert one. */
typedef struct top_sql {
    const char *set, *least, *del, *ins;
    int k;
    bool smaller_first;
} top_sql;

/* Where a text takes the value among its parameters: set's first, ins's last, del's none. */
enum { VALUE_NONE, VALUE_FIRST, VALUE_LAST };

/* Runs one of a top's texts on (watch, day, item) and the value where `at` says. */
static int top_step(db *d, const char *sql, int at, int64_t watch, int64_t day, int64_t item,
                    int64_t value)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    int i = 1;
    if (at == VALUE_FIRST) db_bind_i64(s, i++, value);
    db_bind_i64(s, i++, watch);
    db_bind_i64(s, i++, day);
    db_bind_i64(s, i++, item);
    if (at == VALUE_LAST) db_bind_i64(s, i, value);
    return db_step_done(s);
}

/* Offers an item with its value (as it now is) to the kept top of (watch, day): a kept item
 * takes its new value; another enters when the day keeps fewer than k, or in the place of the
 * least kept one if it ranks above it. As long as values only grow, the rows kept are the day's
 * k first exactly (a value that shrinks stays kept: the top is then approximate). */
static int top_offer(db *d, const top_sql *q, int64_t watch, int64_t day, int64_t item,
                     int64_t value)
{
    int rc = top_step(d, q->set, VALUE_FIRST, watch, day, item, value);
    if (rc || db_changes(d) > 0) return rc;
    db_stmt *s = db_prepare(d, q->least);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, watch);
    db_bind_i64(s, 2, day);
    db_bind_i64(s, 3, watch);
    db_bind_i64(s, 4, day);
    rc = db_step(s);
    if (rc < 0) return rc;
    bool full = false, enters = true;
    int64_t least = 0;
    if (rc == DB_ROW) {
        least = db_col_i64(s, 0);
        int64_t least_value = db_col_i64(s, 1);
        full = db_col_i64(s, 2) >= q->k;
        enters = !full || value > least_value ||
                 (value == least_value && (q->smaller_first ? item < least : item > least));
    }
    db_reset(s);
    if (!enters) return PL_OK;
    if (full && (rc = top_step(d, q->del, VALUE_NONE, watch, day, least, 0))) return rc;
    return top_step(d, q->ins, VALUE_LAST, watch, day, item, value);
}

static const top_sql author_tops = {
    .set = "UPDATE watch_author_tops SET count = ? WHERE watch_id = ? AND day = ? AND "
           "author_id = ?",
    .least = "SELECT author_id, count AS v, (SELECT count(*) FROM watch_author_tops t WHERE "
             "t.watch_id = ? AND t.day = ?) AS n FROM watch_author_tops WHERE watch_id = ? AND "
             "day = ? ORDER BY v, author_id DESC LIMIT 1",
    .del = "DELETE FROM watch_author_tops WHERE watch_id = ? AND day = ? AND author_id = ?",
    .ins = "INSERT INTO watch_author_tops (watch_id, day, author_id, count) VALUES (?, ?, ?, ?)",
    .k = WATCH_DAY_AUTHORS,
    .smaller_first = true,
};

static const top_sql post_tops = {
    .set = "UPDATE watch_post_tops SET score = ? WHERE watch_id = ? AND day = ? AND status_id = ?",
    .least = "SELECT status_id, score AS v, (SELECT count(*) FROM watch_post_tops t WHERE "
             "t.watch_id = ? AND t.day = ?) AS n FROM watch_post_tops WHERE watch_id = ? AND "
             "day = ? ORDER BY v, status_id LIMIT 1",
    .del = "DELETE FROM watch_post_tops WHERE watch_id = ? AND day = ? AND status_id = ?",
    .ins = "INSERT INTO watch_post_tops (watch_id, day, status_id, score) VALUES (?, ?, ?, ?)",
    .k = WATCH_DAY_POSTS,
    .smaller_first = false,
};

/* A post's engagement as the dashboard ranks it; PL_ENOTFOUND when the post is gone. */
static int post_score(db *d, int64_t status_id, int64_t *score)
{
    PREPARE(s, d,
            "SELECT replies_count + reblogs_count + favourites_count FROM statuses WHERE id = ?");
    db_bind_i64(s, 1, status_id);
    int rc = step_one(s);
    if (rc) return rc;
    *score = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_watch_post_engaged(db *d, int64_t status_id, int64_t score)
{
    if (score <= 0) { /* no engagement: in no top (the dashboard fills with the newest) */
        PREPARE(s, d, "DELETE FROM watch_post_tops WHERE status_id = ?");
        db_bind_i64(s, 1, status_id);
        return db_step_done(s);
    }
    enum { PAGE = 64 };
    int64_t after = 0;
    for (;;) {
        PREPARE(s, d,
                "SELECT watch_id, at FROM watch_matches WHERE status_id = ? AND watch_id > ? "
                "ORDER BY watch_id LIMIT ?");
        db_bind_i64(s, 1, status_id);
        db_bind_i64(s, 2, after);
        db_bind_i64(s, 3, PAGE);
        int64_t w[PAGE], at[PAGE];
        int n = 0, rc;
        while (n < PAGE && (rc = db_step(s)) == DB_ROW) {
            w[n] = db_col_i64(s, 0);
            at[n++] = db_col_i64(s, 1);
        }
        db_reset(s);
        if (rc < 0) return rc;
        for (int i = 0; i < n; i++)
            if ((rc = top_offer(d, &post_tops, w[i], at[i] / WATCH_DAY_MS, status_id, score)))
                return rc;
        if (n < PAGE) return PL_OK;
        after = w[n - 1];
    }
}

/* ---- matches ----------------------------------------------------------------------------- */

int store_watch_match_add(db *d, int64_t watch_id, int64_t status_id, int64_t author_id,
                          int tone_milli, int64_t at, bool *is_new)
{
    PREPARE(s, d,
            "INSERT INTO watch_matches (watch_id, status_id, author_id, tone_milli, at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, status_id);
    db_bind_i64(s, 3, author_id);
    db_bind_i64(s, 4, tone_milli);
    db_bind_i64(s, 5, at);
    int rc = db_step_done(s);
    bool added = !rc && db_changes(d) == 1;
    if (is_new) *is_new = added;
    if (!added) return rc;
    /* a new match is offered to its day's top posts with the post's engagement now, if it
     * has any (most have none yet: they enter when they do, store_watch_post_engaged) */
    int64_t score;
    rc = post_score(d, status_id, &score);
    if (rc == PL_ENOTFOUND || (!rc && score <= 0)) return PL_OK;
    return rc ? rc : top_offer(d, &post_tops, watch_id, at / WATCH_DAY_MS, status_id, score);
}

int store_watch_feed_match_add(db *d, int64_t watch_id, int64_t item_id, int tone_milli, int64_t at,
                               bool *is_new)
{
    PREPARE(s, d,
            "INSERT INTO watch_feed_matches (watch_id, item_id, tone_milli, at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, item_id);
    db_bind_i64(s, 3, tone_milli);
    db_bind_i64(s, 4, at);
    int rc = db_step_done(s);
    if (rc || db_changes(d) != 1) {
        if (!rc && is_new) *is_new = false;
        return rc;
    }
    if (is_new) *is_new = true;
    return count_add(d, "UPDATE watches SET feed_match_count = feed_match_count + ? WHERE id = ?",
                     watch_id, 1);
}

int store_watch_matches_page(db *d, int64_t watch_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define MATCHES "SELECT status_id, status_id FROM watch_matches WHERE watch_id = ?"
    return store_paged(d, MATCHES PAGE_DESC("status_id"), MATCHES PAGE_ASC("status_id"), &watch_id,
                       1, NULL, p, a, out);
#undef MATCHES
}

int store_watch_feed_matches_page(db *d, int64_t watch_id, const pl_page *p, arena *a,
                                  pl_idlist *out)
{
#define MATCHES "SELECT item_id, item_id FROM watch_feed_matches WHERE watch_id = ?"
    return store_paged(d, MATCHES PAGE_DESC("item_id"), MATCHES PAGE_ASC("item_id"), &watch_id, 1,
                       NULL, p, a, out);
#undef MATCHES
}

int store_listen_items_by_ids(db *d, const int64_t *ids, int n, arena *a, pl_feed_item **out,
                              const char ***source_titles, int *n_out)
{
    if (n > STORE_BATCH) return PL_EINTERNAL;
    PREPARE(s, d,
            "SELECT " ITEM_COLS ", src.title, src.url FROM feed_items i "
            "JOIN feed_sources src ON src.id = i.source_id WHERE i.id IN (" IN_BATCH ")");
    bind_batch(s, 1, ids, n);
    *n_out = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *source_titles = arena_alloc(a, sizeof **source_titles * (size_t)(n > 0 ? n : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n_out < n) {
        read_item(s, a, &(*out)[*n_out]);
        const char *title = col_str(s, 9, a);
        (*source_titles)[(*n_out)++] = title && *title ? title : col_str(s, 10, a);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_watch_matches_between(db *d, int64_t watch_id, int64_t from, int64_t to, int max,
                                arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT status_id FROM watch_matches WHERE watch_id = ? AND status_id >= ? AND "
            "status_id < ? ORDER BY status_id DESC LIMIT ?");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, id_floor_for_ms(from));
    db_bind_i64(s, 3, id_floor_for_ms(to));
    db_bind_i64(s, 4, max);
    return store_collect_ids(s, a, ids, n);
}

/* ---- buckets ----------------------------------------------------------------------------- */

/* Adds delta to the row of a watch's buckets or days (sql: an upsert of the two columns and
 * three counts). */
static int tones_add(db *d, const char *sql, int64_t watch_id, int64_t key,
                     const pl_watch_tones *delta)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, key);
    db_bind_i64(s, 3, delta->total);
    db_bind_i64(s, 4, delta->negative);
    db_bind_i64(s, 5, delta->positive);
    return db_step_done(s);
}

int store_watch_bucket_add(db *d, int64_t watch_id, int64_t bucket, int64_t day,
                           const pl_watch_tones *delta)
{
    int rc = tones_add(d,
                       "INSERT INTO watch_buckets (watch_id, bucket, count, negative, positive) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (watch_id, bucket) DO UPDATE SET "
                       "count = watch_buckets.count + excluded.count, "
                       "negative = watch_buckets.negative + excluded.negative, "
                       "positive = watch_buckets.positive + excluded.positive",
                       watch_id, bucket, delta);
    if (!rc)
        rc = tones_add(d,
                       "INSERT INTO watch_days (watch_id, day, count, negative, positive) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (watch_id, day) DO UPDATE SET "
                       "count = watch_days.count + excluded.count, "
                       "negative = watch_days.negative + excluded.negative, "
                       "positive = watch_days.positive + excluded.positive",
                       watch_id, day, delta);
    return rc ? rc
              : count_add(d, "UPDATE watches SET match_count = match_count + ? WHERE id = ?",
                          watch_id, delta->total);
}

int store_watch_author_add(db *d, int64_t watch_id, int64_t day, int64_t author_id, int delta)
{
    if (delta <= 0) return PL_EINTERNAL; /* counts only grow: the kept tops rely on it */
    PREPARE(s, d,
            "INSERT INTO watch_authors (watch_id, day, author_id, count) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (watch_id, day, author_id) DO UPDATE SET "
            "count = watch_authors.count + excluded.count RETURNING count");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, day);
    db_bind_i64(s, 3, author_id);
    db_bind_i64(s, 4, delta);
    int rc = step_one(s);
    if (rc) return rc;
    int64_t count = db_col_i64(s, 0);
    db_reset(s);
    return top_offer(d, &author_tops, watch_id, day, author_id, count);
}

int store_watch_buckets(db *d, int64_t watch_id, int64_t from, int64_t to, arena *a,
                        int64_t **buckets, int64_t **counts, int *n)
{
    PREPARE(s, d,
            "SELECT bucket, count FROM watch_buckets WHERE watch_id = ? AND bucket >= ? AND "
            "bucket <= ? ORDER BY bucket");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, from);
    db_bind_i64(s, 3, to);
    int cap = 64, rc;
    *n = 0;
    *buckets = arena_alloc(a, sizeof **buckets * (size_t)cap);
    *counts = arena_alloc(a, sizeof **counts * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            *buckets = arena_grow(a, *buckets, (size_t)cap, (size_t)cap * 2, sizeof **buckets);
            *counts = arena_grow(a, *counts, (size_t)cap, (size_t)cap * 2, sizeof **counts);
            cap *= 2;
        }
        (*buckets)[*n] = db_col_i64(s, 0);
        (*counts)[(*n)++] = db_col_i64(s, 1);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_watch_days(db *d, int64_t watch_id, int64_t from_day, int64_t to_day, arena *a,
                     pl_watch_day **out, int *n)
{
    PREPARE(s, d,
            "SELECT day, count, negative, positive FROM watch_days WHERE watch_id = ? AND "
            "day >= ? AND day <= ? ORDER BY day");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, from_day);
    db_bind_i64(s, 3, to_day);
    int64_t max = to_day >= from_day ? to_day - from_day + 1 : 0;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(max ? max : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < max)
        (*out)[(*n)++] = (pl_watch_day){.day = db_col_i64(s, 0),
                                        .n = {.total = db_col_i64(s, 1),
                                              .negative = db_col_i64(s, 2),
                                              .positive = db_col_i64(s, 3)}};
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

/* ---- alerts ------------------------------------------------------------------------------ */

int store_watch_alert_insert(db *d, const pl_watch_alert *al)
{
    PREPARE(s, d,
            "INSERT INTO watch_alerts (id, watch_id, account_id, bucket, at, count, "
            "expected_milli, spread_milli, ratio_milli, level_milli, today_milli, base_hour, "
            "base_weekend, base_samples, base_median_milli, base_mad_milli, status_id, ticket_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const int64_t v[] = {
        al->id,           al->watch_id,     al->account_id,        al->bucket,
        al->at,           al->count,        al->expected_milli,    al->spread_milli,
        al->ratio_milli,  al->level_milli,  al->today_milli,       al->base_hour,
        al->base_weekend, al->base_samples, al->base_median_milli, al->base_mad_milli,
        al->status_id,    al->ticket_id};
    for (int i = 0; i < (int)(sizeof v / sizeof *v); i++) db_bind_i64(s, i + 1, v[i]);
    int rc = db_step_done(s);
    return rc ? rc
              : count_add(d, "UPDATE watches SET alert_count = alert_count + ? WHERE id = ?",
                          al->watch_id, 1);
}

int store_watch_alert_get(db *d, int64_t id, pl_watch_alert *out)
{
    PREPARE(s, d,
            "SELECT id, watch_id, account_id, bucket, at, count, expected_milli, spread_milli, "
            "ratio_milli, level_milli, today_milli, base_hour, base_weekend, base_samples, "
            "base_median_milli, base_mad_milli, status_id, ticket_id FROM watch_alerts "
            "WHERE id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    *out = (pl_watch_alert){.id = db_col_i64(s, 0),
                            .watch_id = db_col_i64(s, 1),
                            .account_id = db_col_i64(s, 2),
                            .bucket = db_col_i64(s, 3),
                            .at = db_col_i64(s, 4),
                            .count = db_col_i64(s, 5),
                            .expected_milli = db_col_i64(s, 6),
                            .spread_milli = db_col_i64(s, 7),
                            .ratio_milli = db_col_i64(s, 8),
                            .level_milli = db_col_i64(s, 9),
                            .today_milli = db_col_i64(s, 10),
                            .base_hour = (int)db_col_i64(s, 11),
                            .base_weekend = (int)db_col_i64(s, 12),
                            .base_samples = (int)db_col_i64(s, 13),
                            .base_median_milli = db_col_i64(s, 14),
                            .base_mad_milli = db_col_i64(s, 15),
                            .status_id = db_col_i64(s, 16),
                            .ticket_id = db_col_i64(s, 17)};
    db_reset(s);
    return PL_OK;
}

int store_watch_alerts_page(db *d, int64_t owner, int64_t watch_id, const pl_page *p, arena *a,
                            pl_idlist *out)
{
    if (watch_id) {
        const int64_t args[] = {owner, watch_id};
#define ALERTS "SELECT id, id FROM watch_alerts WHERE account_id = ? AND watch_id = ?"
        return store_paged(d, ALERTS PAGE_DESC("id"), ALERTS PAGE_ASC("id"), args, 2, NULL, p, a,
                           out);
#undef ALERTS
    }
#define ALERTS "SELECT id, id FROM watch_alerts WHERE account_id = ?"
    return store_paged(d, ALERTS PAGE_DESC("id"), ALERTS PAGE_ASC("id"), &owner, 1, NULL, p, a,
                       out);
#undef ALERTS
}

int store_watch_alert_set_status(db *d, int64_t id, int64_t status_id)
{
    PREPARE(s, d, "UPDATE watch_alerts SET status_id = ? WHERE id = ?");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

int store_watch_alert_set_ticket(db *d, int64_t id, int64_t ticket_id, bool *got)
{
    PREPARE(s, d, "UPDATE watch_alerts SET ticket_id = ? WHERE id = ? AND ticket_id = 0");
    db_bind_i64(s, 1, ticket_id);
    db_bind_i64(s, 2, id);
    int rc = db_step_done(s);
    *got = !rc && db_changes(d) == 1;
    return rc;
}

/* ---- the dashboard ----------------------------------------------------------------------- */

/* A period's edges read from the matches: [from, lo_ms) and [hi_ms, to) (ms, as ids). */
#define EDGES(cols)                                                                                \
    " UNION ALL SELECT " cols " FROM watch_matches WHERE watch_id = ? AND status_id >= ? AND "     \
    "status_id < ? UNION ALL SELECT " cols " FROM watch_matches WHERE watch_id = ? AND "           \
    "status_id >= ? AND status_id < ?"

int store_watch_sums(db *d, int64_t watch_id, const pl_watch_span *sp, int threshold_milli,
                     pl_watch_sums *out)
{
#define TONES                                                                                      \
    "1, CASE WHEN tone_milli <= ? THEN 1 ELSE 0 END, CASE WHEN tone_milli >= ? THEN 1 ELSE 0 END"
    PREPARE(s, d,
            "SELECT COALESCE(sum(c), 0), COALESCE(sum(neg), 0), COALESCE(sum(pos), 0) FROM ("
            "SELECT count AS c, negative AS neg, positive AS pos FROM watch_buckets "
            "WHERE watch_id = ? AND bucket >= ? AND bucket < ?" EDGES(TONES) ") t");
#undef TONES
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, sp->lo);
    db_bind_i64(s, 3, sp->hi);
    /* the edges' columns come before their WHERE: thresholds, then watch and range, twice */
    db_bind_i64(s, 4, -threshold_milli);
    db_bind_i64(s, 5, threshold_milli);
    db_bind_i64(s, 6, watch_id);
    db_bind_i64(s, 7, id_floor_for_ms(sp->from));
    db_bind_i64(s, 8, id_floor_for_ms(sp->lo_ms));
    db_bind_i64(s, 9, -threshold_milli);
    db_bind_i64(s, 10, threshold_milli);
    db_bind_i64(s, 11, watch_id);
    db_bind_i64(s, 12, id_floor_for_ms(sp->hi_ms));
    db_bind_i64(s, 13, id_floor_for_ms(sp->to));
    int rc = step_one(s);
    if (rc) return rc;
    out->total = db_col_i64(s, 0);
    out->negative = db_col_i64(s, 1);
    out->positive = db_col_i64(s, 2);
    out->neutral = out->total - out->negative - out->positive;
    db_reset(s);
    return PL_OK;
}

/* An author's matches summed over the days read (a slot of the table below). */
typedef struct author_sum {
    int64_t author, n;
} author_sum;

/* Does x rank before y: more matches, then the smaller id. */
static bool ranks_before(const author_sum *x, const author_sum *y)
{
    return x->n != y->n ? x->n > y->n : x->author < y->author;
}

int store_watch_top_authors(db *d, int64_t watch_id, int64_t from_day, int64_t to_day, int max,
                            arena *a, int64_t **authors, int64_t **counts, int *n)
{
    /* The days' rows summed per author here, in an open-addressed table of the arena's, not
     * by SQL's GROUP BY: its two temporary b-trees cost 0.43 ms for the busiest watch's 30
     * days (1,500 rows), five times the read of the rows. */
    PREPARE(s, d,
            "SELECT author_id, count FROM watch_author_tops WHERE watch_id = ? AND day >= ? AND "
            "day <= ?");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, from_day);
    db_bind_i64(s, 3, to_day);
    int64_t days = to_day >= from_day ? to_day - from_day + 1 : 1;
    size_t cap = 64;
    while (cap < (size_t)(days * WATCH_DAY_AUTHORS) * 2) cap *= 2;
    author_sum *table = arena_alloc(a, sizeof *table * cap);
    memset(table, 0, sizeof *table * cap);
    size_t used = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t author = db_col_i64(s, 0);
        size_t i = (size_t)((uint64_t)author * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);
        while (table[i].author && table[i].author != author) i = (i + 1) & (cap - 1);
        if (!table[i].author) {
            if (used * 2 >= cap) { /* more rows than the days keep: a bug of the kept tops */
                db_reset(s);
                return PL_EINTERNAL;
            }
            table[i].author = author;
            used++;
        }
        table[i].n += db_col_i64(s, 1);
    }
    db_reset(s);
    if (rc < 0) return rc;
    /* the first max by rank, kept in order by insertion */
    *n = 0;
    author_sum *best = arena_alloc(a, sizeof *best * (size_t)(max > 0 ? max : 1));
    for (size_t i = 0; i < cap && max > 0; i++) {
        if (!table[i].author || (*n == max && !ranks_before(&table[i], &best[max - 1]))) continue;
        int k = *n < max ? (*n)++ : max - 1;
        while (k > 0 && ranks_before(&table[i], &best[k - 1])) {
            best[k] = best[k - 1];
            k--;
        }
        best[k] = table[i];
    }
    *authors = arena_alloc(a, sizeof **authors * (size_t)(max > 0 ? max : 1));
    *counts = arena_alloc(a, sizeof **counts * (size_t)(max > 0 ? max : 1));
    for (int i = 0; i < *n; i++) {
        (*authors)[i] = best[i].author;
        (*counts)[i] = best[i].n;
    }
    return PL_OK;
}

int store_watch_top_posts(db *d, int64_t watch_id, int64_t from, int64_t to, int max, arena *a,
                          int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT status_id FROM watch_post_tops WHERE watch_id = ? AND day >= ? AND day <= ? "
            "AND status_id >= ? AND status_id < ? ORDER BY score DESC, status_id DESC LIMIT ?");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, from / WATCH_DAY_MS);
    db_bind_i64(s, 3, (to - 1) / WATCH_DAY_MS);
    db_bind_i64(s, 4, id_floor_for_ms(from));
    db_bind_i64(s, 5, id_floor_for_ms(to));
    db_bind_i64(s, 6, max);
    return store_collect_ids(s, a, ids, n);
}
