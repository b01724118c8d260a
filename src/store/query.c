/*
 * query.c — the query helpers every store file shares: a paged query into an id list, a
 * batch window of ids, a yes/no question, and rows collected into id lists (see query.h).
 *
 * They were once kept in migrate.c; they live here so that each capability file holds only
 * its own SQL and the page, batch and answer rules are written once.
 */
#include <stdlib.h>
#include <string.h>

#include "store/query.h"

void pl_idlist_reverse(pl_idlist *l)
{
    for (int x = 0, y = l->n - 1; x < y; x++, y--) {
        int64_t t = l->ids[x];
        l->ids[x] = l->ids[y];
        l->ids[y] = t;
        t = l->keys[x];
        l->keys[x] = l->keys[y];
        l->keys[y] = t;
    }
}

int store_append_strs(db_stmt *s, arena *a, const char ***v, int *n, int *cap)
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == *cap) {
            int grown = *cap ? *cap * 2 : 16;
            const char **nv = arena_alloc(a, sizeof *nv * (size_t)grown);
            if (*n) memcpy(nv, *v, sizeof *nv * (size_t)*n);
            *v = nv;
            *cap = grown;
        }
        (*v)[(*n)++] = col_str(s, 0, a);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_collect_ids(db_stmt *s, arena *a, int64_t **ids, int *n)
{
    int cap = 16, count = 0;
    int64_t *v = arena_alloc(a, sizeof *v * (size_t)cap);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            int64_t *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = db_col_i64(s, 0);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *ids = v;
    *n = count;
    return PL_OK;
}

int store_paged(db *d, const char *desc_sql, const char *asc_sql, const int64_t *args, int nargs,
                const char *targ, const pl_page *p, arena *a, pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    db_stmt *s = db_prepare(d, asc ? asc_sql : desc_sql);
    if (!s) return PL_EDB;
    int i = 1;
    if (targ) db_bind_text(s, i++, targ, -1);
    for (int k = 0; k < nargs; k++) db_bind_i64(s, i++, args[k]);
    db_bind_i64(s, i++, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, i++, asc ? p->min_id : (p->since_id > 0 ? p->since_id : 0));
    db_bind_i64(s, i++, p->limit);
    out->ids = arena_alloc(a, sizeof(int64_t) * (size_t)(p->limit > 0 ? p->limit : 1));
    out->keys = arena_alloc(a, sizeof(int64_t) * (size_t)(p->limit > 0 ? p->limit : 1));
    out->n = 0;
    int rc = DB_DONE;
    while (out->n < p->limit && (rc = db_step(s)) == DB_ROW) {
        out->ids[out->n] = db_col_i64(s, 0);
        out->keys[out->n] = db_col_i64(s, 1);
        out->n++;
    }
    if (out->n < p->limit && rc < 0) {
        db_reset(s);
        return rc;
    }
    db_reset(s);
    if (asc) pl_idlist_reverse(out);
    return PL_OK;
}

int store_ask2(db *d, const char *sql, int64_t a, int64_t b, bool *yes)
{
    *yes = false;
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, a);
    db_bind_i64(s, 2, b);
    int rc = db_step(s);
    db_reset(s);
    if (rc < 0) return rc;
    *yes = rc == DB_ROW;
    return PL_OK;
}

bool store_exists2(db *d, const char *sql, int64_t a, int64_t b)
{
    bool yes;
    return store_ask2(d, sql, a, b, &yes) == PL_OK && yes;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

int store_collect_idsets(db_stmt *s, arena *a, pl_idsets *out)
{
    int cap[PL_IDSETS] = {0}, rc;
    memset(out, 0, sizeof *out);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t k = db_col_i64(s, 0);
        if (k < 0 || k >= PL_IDSETS) continue;
        if (out->n[k] == cap[k]) {
            int ncap = cap[k] ? cap[k] * 2 : 16;
            int64_t *v = arena_alloc(a, sizeof *v * (size_t)ncap);
            if (out->n[k]) memcpy(v, out->ids[k], sizeof *v * (size_t)out->n[k]);
            out->ids[k] = v;
            cap[k] = ncap;
        }
        out->ids[k][out->n[k]++] = db_col_i64(s, 1);
    }
    db_reset(s);
    if (rc < 0) return rc;
    for (int k = 0; k < PL_IDSETS; k++)
        if (out->n[k] > 1) qsort(out->ids[k], (size_t)out->n[k], sizeof(int64_t), cmp_i64);
    return PL_OK;
}

/* A window whose batch of keys is bound (places 1..STORE_BATCH): its bounds and limit, then
 * the ids. The tail both kinds of key share. */
static int window_run(db_stmt *s, int64_t above, int64_t below, int limit, arena *a, pl_idlist *out)
{
    out->ids = arena_alloc(a, sizeof(int64_t) * (size_t)(limit + 1));
    out->keys = out->ids;
    db_bind_i64(s, STORE_BATCH + 1, above);
    db_bind_i64(s, STORE_BATCH + 2, below > 0 ? below : INT64_MAX);
    db_bind_i64(s, STORE_BATCH + 3, limit);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && out->n < limit) out->ids[out->n++] = db_col_i64(s, 0);
    db_reset(s);
    return rc == DB_ROW || rc == DB_DONE ? PL_OK : rc;
}

int store_window_ids(db *d, const char *sql, const int64_t *keys, int n, int64_t above,
                     int64_t below, int limit, arena *a, pl_idlist *out)
{
    out->n = 0;
    if (n > STORE_BATCH || limit < 0) return PL_EINTERNAL;
    PREPARE(s, d, sql);
    bind_batch(s, 1, keys, n);
    return window_run(s, above, below, limit, a, out);
}

int store_window_texts(db *d, const char *sql, const char *const *keys, int n, int64_t above,
                       int64_t below, int limit, arena *a, pl_idlist *out)
{
    out->n = 0;
    if (n > STORE_BATCH || limit < 0) return PL_EINTERNAL;
    PREPARE(s, d, sql);
    /* the unused places are bound to '', which no key is */
    for (int i = 0; i < STORE_BATCH; i++) db_bind_text(s, 1 + i, i < n ? keys[i] : "", -1);
    return window_run(s, above, below, limit, a, out);
}
