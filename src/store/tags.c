/*
 * tags.c — followed hashtags (tag_follows) and what hashtags are read for: whether a tag is
 * in use, its daily history, trending tags' days, and the public posts of several tags at once
 * (the home feed's merge of followed tags).
 *
 * Tags have no table of their own: a tag exists through status_tags (tag, status_id), whose
 * primary key is the index the window of several tags ranges over. Only public and unlisted
 * posts count as a tag's use (as Mastodon's history), so nothing here tells anyone about a
 * followers-only or direct post. Nothing here is cached per loop, so nothing calls db_touch.
 *
 * Counting uses: a tag's uses per UTC day are not counted from the posts when read but kept in
 * tag_days, with each author's share in tag_day_accounts so that distinct authors stay exact
 * (migration 027). store_tag_days_count is called by every write that changes what they count,
 * in its transaction: a tag added to a post or taken off it (posts.c: a new post, an edit, a
 * delete), a post removed from its channel, a channel made private or public (channels.c).
 * Reading a day is then one row, whatever the size of the company.
 */
#include <string.h>

#include "store/query.h"
#include "store/tags.h"
#include "store/visibility.h"
#include "util/ids.h"

enum { DAY_MS = 86400000 };

int store_tag_follow(db *d, int64_t id, int64_t account_id, const char *tag, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO tag_follows (account_id, tag, id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, tag, -1);
    db_bind_i64(s, 3, id);
    db_bind_i64(s, 4, now);
    return db_step_done(s);
}

int store_tag_unfollow(db *d, int64_t account_id, const char *tag)
{
    PREPARE(s, d, "DELETE FROM tag_follows WHERE account_id = ? AND tag = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, tag, -1);
    return db_step_done(s);
}

bool store_tag_followed(db *d, int64_t account_id, const char *tag)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM tag_follows WHERE account_id = ? AND tag = ?");
    if (!s) return false;
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, tag, -1);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_tag_follows_count(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM tag_follows WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_tag_follows_page(db *d, int64_t account_id, const pl_page *p, arena *a,
                           pl_tag_follow **out, int *n)
{
#define FOLLOWED "SELECT id, tag FROM tag_follows WHERE account_id = ?"
    bool asc = p->min_id > 0 && p->since_id == 0;
    db_stmt *s = db_prepare(d, asc ? FOLLOWED PAGE_ASC("id") : FOLLOWED PAGE_DESC("id"));
#undef FOLLOWED
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, 3, asc ? p->min_id : (p->since_id > 0 ? p->since_id : 0));
    db_bind_i64(s, 4, p->limit);
    pl_tag_follow *v = arena_alloc(a, sizeof *v * (size_t)(p->limit > 0 ? p->limit : 1));
    int count = 0, rc = DB_DONE;
    while (count < p->limit && (rc = db_step(s)) == DB_ROW) {
        v[count].id = db_col_i64(s, 0);
        v[count].tag = col_str(s, 1, a);
        count++;
    }
    db_reset(s);
    if (count < p->limit && rc < 0) return rc;
    for (int i = 0, j = count - 1; asc && i < j; i++, j--) {
        pl_tag_follow t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
    *out = v;
    *n = count;
    return PL_OK;
}

bool store_tag_used(db *d, const char *tag)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM tag_days WHERE tag = ? AND uses > 0 LIMIT 1");
    if (!s) return false;
    db_bind_text(s, 1, tag, -1);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_tag_history(db *d, const char *tag, int64_t since_id, arena *a, pl_tag_day **out, int *n)
{
    PREPARE(s, d,
            "SELECT day, uses, accounts FROM tag_days WHERE tag = ? AND day >= ? AND uses > 0");
    db_bind_text(s, 1, tag, -1);
    db_bind_i64(s, 2, id_ms(since_id + 1) / DAY_MS);
    int cap = 8, count = 0, rc;
    pl_tag_day *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_tag_day *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)count);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_tag_day){db_col_i64(s, 0), db_col_i64(s, 1), db_col_i64(s, 2)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

/* ------------------------------------------------------------------ counting uses */

/* Whom a post's tags count for, as the post stands now: `open` for a tag's history (public
 * and unlisted), `trend` for trending tags (what any member could find: public, unlisted,
 * company; not a boost, not removed from its channel, not in a private channel). */
static int post_counts_for(db *d, int64_t status_id, int64_t *account, bool *open, bool *trend)
{
    PREPARE(s, d,
            "SELECT s.account_id, CASE WHEN s." VIS_SQL_OPEN " THEN 1 ELSE 0 END, "
            "CASE WHEN s." VIS_SQL_ANY_MEMBER " AND s.reblog_of_id IS NULL "
            "AND s.channel_removed = 0 AND NOT EXISTS (SELECT 1 FROM channels c "
            "WHERE c.account_id = s.channel_id AND c.is_private = 1) THEN 1 ELSE 0 END "
            "FROM statuses s WHERE s.id = ?");
    db_bind_i64(s, 1, status_id);
    int rc = step_one(s);
    *open = *trend = false;
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *account = db_col_i64(s, 0);
    *open = db_col_i64(s, 1) != 0;
    *trend = db_col_i64(s, 2) != 0;
    db_reset(s);
    return PL_OK;
}

/* Adds du uses (history) and dt uses (trends) of tag on day by account. Each step is one
 * atomic statement (an upsert that adds, reading back what it made), never a read and then a
 * write: on PostgreSQL several writers' transactions may count the same author's tag-day at
 * once, and each sees the other's committed share when it takes the row. */
static int count_use(db *d, const char *tag, int64_t day, int64_t account, int64_t du, int64_t dt)
{
    PREPARE(put, d,
            "INSERT INTO tag_day_accounts (tag, day, account_id, uses, trend_uses) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tag, day, account_id) DO UPDATE SET "
            "uses = tag_day_accounts.uses + excluded.uses, "
            "trend_uses = tag_day_accounts.trend_uses + excluded.trend_uses "
            "RETURNING uses, trend_uses");
    db_bind_text(put, 1, tag, -1);
    db_bind_i64(put, 2, day);
    db_bind_i64(put, 3, account);
    db_bind_i64(put, 4, du);
    db_bind_i64(put, 5, dt);
    int rc = step_one(put);
    if (rc) return rc == PL_ENOTFOUND ? PL_EDB : rc;
    int64_t u = db_col_i64(put, 0), t = db_col_i64(put, 1);
    db_reset(put);
    int64_t was_u = u - du, was_t = t - dt;
    if (u <= 0 && t <= 0) {
        PREPARE(del, d,
                "DELETE FROM tag_day_accounts WHERE tag = ? AND day = ? AND account_id = ? "
                "AND uses <= 0 AND trend_uses <= 0");
        db_bind_text(del, 1, tag, -1);
        db_bind_i64(del, 2, day);
        db_bind_i64(del, 3, account);
        if ((rc = db_step_done(del))) return rc;
    }
    /* the day's totals move by what this author's share moved; an author joins or leaves
     * the day's distinct authors when their share leaves or reaches 0 */
    PREPARE(day_put, d,
            "INSERT INTO tag_days (tag, day, uses, accounts, trend_uses, trend_accounts) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tag, day) DO UPDATE SET "
            "uses = tag_days.uses + excluded.uses, "
            "accounts = tag_days.accounts + excluded.accounts, "
            "trend_uses = tag_days.trend_uses + excluded.trend_uses, "
            "trend_accounts = tag_days.trend_accounts + excluded.trend_accounts");
    db_bind_text(day_put, 1, tag, -1);
    db_bind_i64(day_put, 2, day);
    db_bind_i64(day_put, 3, du);
    db_bind_i64(day_put, 4, (u > 0) - (was_u > 0));
    db_bind_i64(day_put, 5, dt);
    db_bind_i64(day_put, 6, (t > 0) - (was_t > 0));
    if ((rc = db_step_done(day_put))) return rc;
    if (du >= 0 && dt >= 0) return PL_OK;
    PREPARE(day_del, d,
            "DELETE FROM tag_days WHERE tag = ? AND day = ? AND uses <= 0 AND trend_uses <= 0");
    db_bind_text(day_del, 1, tag, -1);
    db_bind_i64(day_del, 2, day);
    return db_step_done(day_del);
}

int store_tag_days_count(db *d, int64_t status_id, const char *tag, int sign)
{
    int64_t account = 0;
    bool open, trend;
    int rc = post_counts_for(d, status_id, &account, &open, &trend);
    if (rc || (!open && !trend)) return rc;
    int64_t day = id_ms(status_id) / DAY_MS, du = open ? sign : 0, dt = trend ? sign : 0;
    if (tag) return count_use(d, tag, day, account, du, dt);
    /* every tag of the post: read first (the statement is done before the writes) */
    arena a = ARENA_INIT;
    const char **tags = NULL;
    int n = 0, cap = 0;
    PREPARE(s, d, "SELECT tag FROM status_tags WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            const char **nv = arena_alloc(&a, sizeof *nv * (size_t)cap);
            if (n) memcpy(nv, tags, sizeof *nv * (size_t)n);
            tags = nv;
        }
        tags[n++] = col_str(s, 0, &a);
    }
    db_reset(s);
    rc = rc == DB_DONE ? PL_OK : rc;
    for (int i = 0; i < n && !rc; i++) rc = count_use(d, tags[i], day, account, du, dt);
    arena_free(&a);
    return rc;
}

int store_tag_days_count_channel(db *d, int64_t channel_id, int sign)
{
    int64_t *ids = NULL;
    int n = 0;
    arena a = ARENA_INIT;
    PREPARE(s, d,
            "SELECT DISTINCT t.status_id FROM statuses s JOIN status_tags t ON t.status_id = s.id "
            "WHERE s.channel_id = ?");
    db_bind_i64(s, 1, channel_id);
    int rc = store_collect_ids(s, &a, &ids, &n);
    for (int i = 0; i < n && !rc; i++) rc = store_tag_days_count(d, ids[i], NULL, sign);
    arena_free(&a);
    return rc;
}

int store_statuses_by_tags(db *d, const char *const *tags, int n, int64_t above, int64_t below,
                           int limit, arena *a, pl_idlist *out)
{
    return store_window_texts(
        d,
        "SELECT DISTINCT t.status_id FROM status_tags t JOIN statuses s ON s.id = t.status_id "
        "WHERE t.tag IN (" IN_BATCH ") AND t.status_id > ? AND t.status_id < ? "
        "AND s." VIS_SQL_PUBLIC " ORDER BY t.status_id DESC LIMIT ?",
        tags, n, above, below, limit, a, out);
}
