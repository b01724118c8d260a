/*
 * app.c — the request context: transactions on worker threads, ids, and a per-request
 * account cache (a timeline page shows the same few authors many times).
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct acct_cache {
    int n, cap;
    pl_account *items;
};

int app_txn_begin(app_ctx *c)
{
    return c->own_txn ? db_begin(c->db) : PL_OK;
}

int app_txn_end(app_ctx *c, int rc)
{
    if (!c->own_txn) return rc;
    if (rc == PL_OK) {
        int crc = db_commit(c->db);
        if (crc) db_rollback(c->db);
        return crc;
    }
    db_rollback(c->db);
    return rc;
}

int64_t app_new_id(app_ctx *c)
{
    return id_next(c->ids, c->now);
}

const pl_account *app_account(app_ctx *c, int64_t id)
{
    if (!c->accounts) c->accounts = arena_alloc(c->a, sizeof *c->accounts);
    struct acct_cache *k = c->accounts;
    for (int i = 0; i < k->n; i++)
        if (k->items[i].id == id) return &k->items[i];
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 16;
        pl_account *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (k->n) memcpy(v, k->items, sizeof *v * (size_t)k->n);
        k->items = v;
        k->cap = cap;
    }
    pl_account *acc = &k->items[k->n];
    if (store_account_get(c->db, id, c->a, acc) != PL_OK) return NULL;
    k->n++;
    return acc;
}

int app_fail_field(app_ctx *c, int code, const char *field, const char *key, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    c->errmsg = arena_strdup(c->a, tmp);
    c->errfield = field;
    c->errkey = key;
    return code;
}

int app_fail(app_ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    c->errmsg = arena_strdup(c->a, tmp);
    return code;
}
