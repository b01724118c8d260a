/*
 * tags.c — followed hashtags (tag_follows) and what hashtags are read for: whether a tag is
 * in use, its daily history, and the public posts of several tags at once (the home feed's
 * merge of followed tags).
 *
 * Tags have no table of their own: a tag exists through status_tags (tag, status_id), whose
 * primary key is the index every query here ranges over. Only public and unlisted posts
 * count as a tag's use (as Mastodon's history), so nothing here tells anyone about a
 * followers-only or direct post. Nothing here is cached per loop, so nothing calls db_touch.
 */
#include <string.h>

#include "store/query.h"
#include "store/tags.h"
#include "store/visibility.h"

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
    db_stmt *s = db_prepare(d, "SELECT 1 FROM status_tags t JOIN statuses s ON s.id = t.status_id "
                               "WHERE t.tag = ? AND s." VIS_SQL_OPEN " LIMIT 1");
    if (!s) return false;
    db_bind_text(s, 1, tag, -1);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_tag_history(db *d, const char *tag, int64_t since_id, arena *a, pl_tag_day **out, int *n)
{
    /* ids are (ms << 16 | node, sequence): id / 65536 is the post's time in ms */
    PREPARE(s, d,
            "SELECT t.status_id / 65536 / 86400000, count(*), count(DISTINCT s.account_id) "
            "FROM status_tags t JOIN statuses s ON s.id = t.status_id "
            "WHERE t.tag = ? AND t.status_id > ? AND s." VIS_SQL_OPEN " "
            "GROUP BY t.status_id / 65536 / 86400000");
    db_bind_text(s, 1, tag, -1);
    db_bind_i64(s, 2, since_id);
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

int store_statuses_by_tags(db *d, const char *const *tags, int n, int64_t above, int64_t below,
                           int limit, arena *a, pl_idlist *out)
{
    out->n = 0;
    if (n > STORE_BATCH || limit < 0) return PL_EINTERNAL;
    out->ids = arena_alloc(a, sizeof(int64_t) * (size_t)(limit + 1));
    out->keys = out->ids;
    PREPARE(s, d,
            "SELECT DISTINCT t.status_id FROM status_tags t JOIN statuses s ON s.id = t.status_id "
            "WHERE t.tag IN (" IN_BATCH ") AND t.status_id > ? AND t.status_id < ? "
            "AND s." VIS_SQL_PUBLIC " ORDER BY t.status_id DESC LIMIT ?");
    /* the unused places are bound to '', which no tag is */
    for (int i = 0; i < STORE_BATCH; i++) db_bind_text(s, 1 + i, i < n ? tags[i] : "", -1);
    db_bind_i64(s, STORE_BATCH + 1, above);
    db_bind_i64(s, STORE_BATCH + 2, below > 0 ? below : INT64_MAX);
    db_bind_i64(s, STORE_BATCH + 3, limit);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && out->n < limit) out->ids[out->n++] = db_col_i64(s, 0);
    db_reset(s);
    return rc == DB_ROW || rc == DB_DONE ? PL_OK : rc;
}
