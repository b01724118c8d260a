/*
 * filters.c — filters and what they hold: filters(id, account_id, …),
 * filter_keywords(id, filter_id, account_id, …) and filter_statuses(id, filter_id,
 * account_id, status_id).
 *
 * Keywords and statuses carry their filter's owner, so a person's whole filter set is read
 * by owner in index order (filters_account, filter_keywords_account, filter_statuses_account)
 * without joins, and a keyword or filter status id alone never reaches another person's row:
 * every read and change names the owner in its WHERE clause. Nothing here is cached per loop
 * (only statuses and accounts are), so nothing calls db_touch.
 */
#include <string.h>

#include "store/filters.h"
#include "store/query.h"

#define FILTER_COLS "id, account_id, title, context, action, expires_at, created_at"
#define KEYWORD_COLS "id, filter_id, account_id, keyword, whole_word"
#define FSTATUS_COLS "id, filter_id, account_id, status_id"

static void read_filter(db_stmt *s, arena *a, pl_filter *o)
{
    *o = (pl_filter){
        .id = db_col_i64(s, 0),
        .account_id = db_col_i64(s, 1),
        .title = col_str(s, 2, a),
        .context = (int)db_col_i64(s, 3),
        .action = (int)db_col_i64(s, 4),
        .expires_at = db_col_i64(s, 5),
        .created_at = db_col_i64(s, 6),
    };
}

static void read_keyword(db_stmt *s, arena *a, pl_filter_keyword *o)
{
    *o = (pl_filter_keyword){
        .id = db_col_i64(s, 0),
        .filter_id = db_col_i64(s, 1),
        .account_id = db_col_i64(s, 2),
        .keyword = col_str(s, 3, a),
        .whole_word = db_col_i64(s, 4) != 0,
    };
}

static void read_fstatus(db_stmt *s, pl_filter_status *o)
{
    *o = (pl_filter_status){
        .id = db_col_i64(s, 0),
        .filter_id = db_col_i64(s, 1),
        .account_id = db_col_i64(s, 2),
        .status_id = db_col_i64(s, 3),
    };
}

/* Grows an arena array of `size`-byte items to hold one more (doubling). */
static void *grow(arena *a, void *v, int count, int *cap, size_t size)
{
    if (count < *cap) return v;
    int ncap = *cap ? *cap * 2 : 8;
    void *nv = arena_alloc(a, size * (size_t)ncap);
    if (count) memcpy(nv, v, size * (size_t)count);
    *cap = ncap;
    return nv;
}

static int collect_filters(db_stmt *s, arena *a, pl_filter **out, int *n)
{
    int cap = 0, count = 0, rc;
    pl_filter *v = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        v = grow(a, v, count, &cap, sizeof *v);
        read_filter(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

static int collect_keywords(db_stmt *s, arena *a, pl_filter_keyword **out, int *n)
{
    int cap = 0, count = 0, rc;
    pl_filter_keyword *v = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        v = grow(a, v, count, &cap, sizeof *v);
        read_keyword(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

static int collect_fstatuses(db_stmt *s, arena *a, pl_filter_status **out, int *n)
{
    int cap = 0, count = 0, rc;
    pl_filter_status *v = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        v = grow(a, v, count, &cap, sizeof *v);
        read_fstatus(s, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

static int count_of(db *d, const char *sql, int64_t key, int64_t *n)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, key);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

/* A DELETE of one owned row by (id, owner): PL_ENOTFOUND when nothing matched. */
static int delete_owned(db *d, const char *sql, int64_t owner, int64_t id)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

/* ------------------------------------------------------------------------------------------ */
/* Filters                                                                                     */
/* ------------------------------------------------------------------------------------------ */

int store_filter_insert(db *d, const pl_filter *f)
{
    PREPARE(s, d, "INSERT INTO filters (" FILTER_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, f->id);
    db_bind_i64(s, 2, f->account_id);
    db_bind_text(s, 3, f->title, -1);
    db_bind_i64(s, 4, f->context);
    db_bind_i64(s, 5, f->action);
    db_bind_i64(s, 6, f->expires_at);
    db_bind_i64(s, 7, f->created_at);
    return db_step_done(s);
}

int store_filter_update(db *d, const pl_filter *f)
{
    PREPARE(s, d,
            "UPDATE filters SET title = ?, context = ?, action = ?, expires_at = ? "
            "WHERE id = ? AND account_id = ?");
    db_bind_text(s, 1, f->title, -1);
    db_bind_i64(s, 2, f->context);
    db_bind_i64(s, 3, f->action);
    db_bind_i64(s, 4, f->expires_at);
    db_bind_i64(s, 5, f->id);
    db_bind_i64(s, 6, f->account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_filter_delete(db *d, int64_t owner, int64_t id)
{
    int rc = delete_owned(d, "DELETE FROM filters WHERE id = ? AND account_id = ?", owner, id);
    if (rc) return rc;
    PREPARE(k, d, "DELETE FROM filter_keywords WHERE filter_id = ?");
    db_bind_i64(k, 1, id);
    if ((rc = db_step_done(k))) return rc;
    PREPARE(s, d, "DELETE FROM filter_statuses WHERE filter_id = ?");
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

int store_filter_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter *out)
{
    PREPARE(s, d, "SELECT " FILTER_COLS " FROM filters WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = step_one(s);
    if (rc) return rc;
    read_filter(s, a, out);
    db_reset(s);
    if ((rc = store_filter_keywords(d, id, a, &out->keywords, &out->n_keywords))) return rc;
    return store_filter_statuses(d, id, a, &out->statuses, &out->n_statuses);
}

/* The index of filter id in v[0..n) (sorted by id), or -1. */
static int find_filter(pl_filter *v, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (v[mid].id == id) return mid;
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int store_filters_of(db *d, int64_t owner, arena *a, pl_filter **out, int *n)
{
    PREPARE(s, d, "SELECT " FILTER_COLS " FROM filters WHERE account_id = ? ORDER BY id");
    db_bind_i64(s, 1, owner);
    int rc = collect_filters(s, a, out, n);
    if (rc || *n == 0) return rc;
    pl_filter *v = *out;
    pl_filter_keyword *ks;
    pl_filter_status *ss;
    int nk, ns;
    PREPARE(k, d, "SELECT " KEYWORD_COLS " FROM filter_keywords WHERE account_id = ? ORDER BY id");
    db_bind_i64(k, 1, owner);
    if ((rc = collect_keywords(k, a, &ks, &nk))) return rc;
    PREPARE(t, d, "SELECT " FSTATUS_COLS " FROM filter_statuses WHERE account_id = ? ORDER BY id");
    db_bind_i64(t, 1, owner);
    if ((rc = collect_fstatuses(t, a, &ss, &ns))) return rc;
    /* hand each filter its share: count, then point into per-filter arrays */
    int *kc = arena_alloc(a, sizeof *kc * (size_t)*n),
        *sc = arena_alloc(a, sizeof *sc * (size_t)*n);
    memset(kc, 0, sizeof *kc * (size_t)*n);
    memset(sc, 0, sizeof *sc * (size_t)*n);
    for (int i = 0; i < nk; i++) {
        int f = find_filter(v, *n, ks[i].filter_id);
        if (f >= 0) kc[f]++;
    }
    for (int i = 0; i < ns; i++) {
        int f = find_filter(v, *n, ss[i].filter_id);
        if (f >= 0) sc[f]++;
    }
    for (int f = 0; f < *n; f++) {
        v[f].keywords = arena_alloc(a, sizeof *v[f].keywords * (size_t)(kc[f] + 1));
        v[f].statuses = arena_alloc(a, sizeof *v[f].statuses * (size_t)(sc[f] + 1));
    }
    for (int i = 0; i < nk; i++) {
        int f = find_filter(v, *n, ks[i].filter_id);
        if (f >= 0) v[f].keywords[v[f].n_keywords++] = ks[i];
    }
    for (int i = 0; i < ns; i++) {
        int f = find_filter(v, *n, ss[i].filter_id);
        if (f >= 0) v[f].statuses[v[f].n_statuses++] = ss[i];
    }
    return PL_OK;
}

int store_filters_count(db *d, int64_t owner, int64_t *n)
{
    return count_of(d, "SELECT count(*) FROM filters WHERE account_id = ?", owner, n);
}

/* ------------------------------------------------------------------------------------------ */
/* Keywords                                                                                    */
/* ------------------------------------------------------------------------------------------ */

int store_filter_keyword_insert(db *d, const pl_filter_keyword *k, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO filter_keywords (" KEYWORD_COLS ", created_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, k->id);
    db_bind_i64(s, 2, k->filter_id);
    db_bind_i64(s, 3, k->account_id);
    db_bind_text(s, 4, k->keyword, -1);
    db_bind_i64(s, 5, k->whole_word);
    db_bind_i64(s, 6, now);
    return db_step_done(s);
}

int store_filter_keyword_update(db *d, const pl_filter_keyword *k)
{
    PREPARE(s, d,
            "UPDATE filter_keywords SET keyword = ?, whole_word = ? "
            "WHERE id = ? AND account_id = ?");
    db_bind_text(s, 1, k->keyword, -1);
    db_bind_i64(s, 2, k->whole_word);
    db_bind_i64(s, 3, k->id);
    db_bind_i64(s, 4, k->account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_filter_keyword_delete(db *d, int64_t owner, int64_t id)
{
    return delete_owned(d, "DELETE FROM filter_keywords WHERE id = ? AND account_id = ?", owner,
                        id);
}

int store_filter_keyword_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter_keyword *out)
{
    PREPARE(s, d, "SELECT " KEYWORD_COLS " FROM filter_keywords WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = step_one(s);
    if (rc) return rc;
    read_keyword(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_filter_keywords(db *d, int64_t filter_id, arena *a, pl_filter_keyword **out, int *n)
{
    PREPARE(s, d, "SELECT " KEYWORD_COLS " FROM filter_keywords WHERE filter_id = ? ORDER BY id");
    db_bind_i64(s, 1, filter_id);
    return collect_keywords(s, a, out, n);
}

int store_filter_keywords_count(db *d, int64_t filter_id, int64_t *n)
{
    return count_of(d, "SELECT count(*) FROM filter_keywords WHERE filter_id = ?", filter_id, n);
}

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

int store_filter_status_insert(db *d, const pl_filter_status *fs, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO filter_statuses (" FSTATUS_COLS ", created_at) VALUES (?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, fs->id);
    db_bind_i64(s, 2, fs->filter_id);
    db_bind_i64(s, 3, fs->account_id);
    db_bind_i64(s, 4, fs->status_id);
    db_bind_i64(s, 5, now);
    return db_step_done(s);
}

int store_filter_status_delete(db *d, int64_t owner, int64_t id)
{
    return delete_owned(d, "DELETE FROM filter_statuses WHERE id = ? AND account_id = ?", owner,
                        id);
}

int store_filter_status_get(db *d, int64_t owner, int64_t id, pl_filter_status *out)
{
    PREPARE(s, d, "SELECT " FSTATUS_COLS " FROM filter_statuses WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = step_one(s);
    if (rc) return rc;
    read_fstatus(s, out);
    db_reset(s);
    return PL_OK;
}

int store_filter_statuses(db *d, int64_t filter_id, arena *a, pl_filter_status **out, int *n)
{
    PREPARE(s, d, "SELECT " FSTATUS_COLS " FROM filter_statuses WHERE filter_id = ? ORDER BY id");
    db_bind_i64(s, 1, filter_id);
    return collect_fstatuses(s, a, out, n);
}

int store_filter_statuses_count(db *d, int64_t filter_id, int64_t *n)
{
    return count_of(d, "SELECT count(*) FROM filter_statuses WHERE filter_id = ?", filter_id, n);
}

bool store_filter_has_status(db *d, int64_t filter_id, int64_t status_id)
{
    return store_exists2(d, "SELECT 1 FROM filter_statuses WHERE filter_id = ? AND status_id = ?",
                         filter_id, status_id);
}
