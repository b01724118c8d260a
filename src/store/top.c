/*
 * top.c — the queries behind trends and catch-up: tag uses per day, trending posts'
 * candidates, and the channel pins made since a moment.
 *
 * Ranking itself is the app's (app/top.c): these only bound what it ranks. Tag uses are read
 * from tag_days, counted as posts are written (store/tags.c, migration 027): a week is a range
 * of days, its cost the tags of the week, not their posts. Trending posts' candidates are one
 * time range of statuses_engaged (ids start with their millisecond), the posts of the window
 * with any engagement, not every post of it. What a signed-in member could find is decided
 * here only coarsely (visibility, private channels); the app still asks audience_can_see()
 * about every post it shows. The unary plus on reblog_of_id keeps SQLite from taking the
 * reblog index for "IS NULL" (true of nearly every row) instead of the id range.
 */
#include <string.h>

#include "store/query.h"
#include "store/top.h"
#include "store/visibility.h"
#include "util/ids.h"

int store_trend_tag_days(db *d, int64_t start, arena *a, pl_trend_day **out, int *n)
{
    int64_t first = start / 86400000;
    PREPARE(s, d,
            "SELECT tag, day, trend_uses, trend_accounts FROM tag_days "
            "WHERE day >= ? AND trend_uses > 0");
    db_bind_i64(s, 1, first);
    int cap = 16, count = 0, rc;
    pl_trend_day *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_trend_day *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_trend_day){.tag = col_str(s, 0, a),
                                    .day = (int)(db_col_i64(s, 1) - first),
                                    .uses = db_col_i64(s, 2),
                                    .accounts = db_col_i64(s, 3)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_trend_statuses(db *d, int64_t start, int limit, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT s.id FROM statuses s WHERE s.id >= ? AND +s.reblog_of_id IS NULL "
            "AND s." VIS_SQL_DISCOVERABLE " AND s.channel_removed = 0 "
            "AND (s.favourites_count > 0 OR s.reblogs_count > 0 OR s.replies_count > 0) "
            "AND NOT EXISTS (SELECT 1 FROM channels c WHERE c.account_id = s.channel_id "
            "AND c.is_private = 1) "
            "ORDER BY s.favourites_count + s.reblogs_count + s.replies_count DESC, s.id DESC "
            "LIMIT ?");
    db_bind_i64(s, 1, id_floor_for_ms(start));
    db_bind_i64(s, 2, limit);
    return store_collect_ids(s, a, ids, n);
}

int store_channel_pins_since(db *d, const int64_t *channels, int n, int64_t since, arena *a,
                             pl_channel_pin **out, int *nout)
{
    PREPARE(s, d,
            "SELECT channel_id, status_id, created_at FROM channel_pins "
            "WHERE channel_id IN (" IN_BATCH ") AND created_at >= ? "
            "ORDER BY created_at DESC, status_id DESC");
    bind_batch(s, 1, channels, n);
    db_bind_i64(s, STORE_BATCH + 1, since);
    int cap = 8, count = 0, rc;
    pl_channel_pin *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_channel_pin *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_channel_pin){db_col_i64(s, 0), db_col_i64(s, 1), db_col_i64(s, 2)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *nout = count;
    return PL_OK;
}
