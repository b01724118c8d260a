/*
 * engage.c — favourites (up-votes) and bookmarks. Reblogs are statuses (posts.c).
 */
#include "store/engage.h"
#include "store/query.h"

static int insert3(db *d, const char *sql, int64_t id, int64_t account_id, int64_t status_id)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, status_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ECONFLICT;
}

static int delete2(db *d, const char *sql, int64_t account_id, int64_t status_id)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, status_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_favourite_insert(db *d, int64_t id, int64_t account_id, int64_t status_id)
{
    return insert3(d,
                   "INSERT INTO favourites (id, account_id, status_id) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING",
                   id, account_id, status_id);
}

int store_favourite_delete(db *d, int64_t account_id, int64_t status_id)
{
    return delete2(d, "DELETE FROM favourites WHERE account_id = ? AND status_id = ?", account_id,
                   status_id);
}

bool store_favourited(db *d, int64_t account_id, int64_t status_id)
{
    return store_exists2(d, "SELECT 1 FROM favourites WHERE account_id = ? AND status_id = ?",
                         account_id, status_id);
}

int store_bookmark_insert(db *d, int64_t id, int64_t account_id, int64_t status_id)
{
    return insert3(d,
                   "INSERT INTO bookmarks (id, account_id, status_id) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING",
                   id, account_id, status_id);
}

int store_bookmark_delete(db *d, int64_t account_id, int64_t status_id)
{
    return delete2(d, "DELETE FROM bookmarks WHERE account_id = ? AND status_id = ?", account_id,
                   status_id);
}

bool store_bookmarked(db *d, int64_t account_id, int64_t status_id)
{
    return store_exists2(d, "SELECT 1 FROM bookmarks WHERE account_id = ? AND status_id = ?",
                         account_id, status_id);
}

int store_favourited_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define FAV_BY "SELECT account_id, id FROM favourites WHERE status_id = ?"
    return store_paged(d, FAV_BY PAGE_DESC("id"), FAV_BY PAGE_ASC("id"), &status_id, 1, NULL, p, a,
                       out);
#undef FAV_BY
}

int store_reblogged_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define REBLOG_BY "SELECT account_id, id FROM statuses WHERE reblog_of_id = ?"
    return store_paged(d, REBLOG_BY PAGE_DESC("id"), REBLOG_BY PAGE_ASC("id"), &status_id, 1, NULL,
                       p, a, out);
#undef REBLOG_BY
}

int store_favourites_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define FAVS "SELECT status_id, id FROM favourites WHERE account_id = ?"
    return store_paged(d, FAVS PAGE_DESC("id"), FAVS PAGE_ASC("id"), &account_id, 1, NULL, p, a,
                       out);
#undef FAVS
}

int store_bookmarks_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define MARKS "SELECT status_id, id FROM bookmarks WHERE account_id = ?"
    return store_paged(d, MARKS PAGE_DESC("id"), MARKS PAGE_ASC("id"), &account_id, 1, NULL, p, a,
                       out);
#undef MARKS
}

int store_viewer_flags(db *d, int64_t account_id, int64_t lo, int64_t hi, int max, arena *a,
                       pl_idsets *out)
{
    /* One LIMIT over the three parts: if 3 × (max + 1) rows come back, one part has more
     * than max (pigeonhole), and PL_ELIMIT is right whichever it is. */
    PREPARE(
        s, d,
        "SELECT 0, status_id FROM favourites WHERE account_id = ? AND status_id BETWEEN ? AND ? "
        "UNION ALL SELECT 1, status_id FROM bookmarks WHERE account_id = ? "
        "AND status_id BETWEEN ? AND ? "
        "UNION ALL SELECT 2, reblog_of_id FROM statuses WHERE account_id = ? "
        "AND reblog_of_id BETWEEN ? AND ? LIMIT ?");
    for (int k = 0; k < 3; k++) {
        db_bind_i64(s, 3 * k + 1, account_id);
        db_bind_i64(s, 3 * k + 2, lo);
        db_bind_i64(s, 3 * k + 3, hi);
    }
    db_bind_i64(s, 10, 3 * ((int64_t)max + 1));
    int rc = store_collect_idsets(s, a, out);
    if (rc) return rc;
    for (int k = 0; k < 3; k++)
        if (out->n[k] > max) return PL_ELIMIT;
    return PL_OK;
}
