/*
 * app.c — the request context: transactions on worker threads, ids, and a per-request
 * account cache (a timeline page shows the same few authors many times).
 */
#include "app.h"

#include "app/cache.h"
#include "store/accounts.h"
#include "store/channels.h"
#include "store/graph.h"
#include "store/meta.h"
#include "store/posts.h"
#include "store/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

struct acct_cache {
    int n, cap;
    pl_account *items;
};

struct status_cache {
    int n, cap;
    pl_status **items;
    int *slots;  /**< open addressing over items by id: index + 1, 0 = empty */
    int n_slots; /**< a power of two, at least twice n */
};

/* Sorted id sets of one viewer. */
struct idset {
    int64_t *ids;
    int n;
};

struct chan_role {
    int64_t channel, account;
    int role;
};

struct chan_cache {
    int n, cap;
    pl_channel *items;
    struct chan_role roles[16];
    int n_roles;
};

struct viewer_cache {
    int64_t viewer;
    struct idset blocked_by, blocking, muting, muted_by, following;
    bool have_following;
    bool relations_failed; /**< the blocks and mutes could not be read: every one is assumed */
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

/* Adds a copy of acc to the request's account cache (read-only requests only). */
static pl_account *remember_account(app_ctx *c, const pl_account *acc)
{
    if (!c->accounts) c->accounts = arena_alloc(c->a, sizeof *c->accounts);
    struct acct_cache *k = c->accounts;
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 16;
        pl_account *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (k->n) memcpy(v, k->items, sizeof *v * (size_t)k->n);
        k->items = v;
        k->cap = cap;
    }
    k->items[k->n] = *acc; /* a request-owned copy: fields may be loaded into it */
    return &k->items[k->n++];
}

/* Whether reading a record failed (rc not PL_OK). Callers answer "not found" either way
 * (failing closed); a failure other than a missing record is logged, so that a 404 which
 * should not have been is explained. */
static bool read_failed(const char *what, int64_t id, int rc)
{
    if (rc && rc != PL_ENOTFOUND)
        log_error("event=record_read_failed record=%s id=%lld rc=%d", what, (long long)id, rc);
    return rc != PL_OK;
}

/* The account's record as stored, suspended or not (app_account hides the suspended). */
static const pl_account *account_record(app_ctx *c, int64_t id)
{
    if (!c->read_only) {
        /* writes change counts mid-request: always read the row as it is now */
        pl_account *acc = arena_alloc(c->a, sizeof *acc);
        return read_failed("account", id, store_account_get(c->db, id, c->a, acc)) ? NULL : acc;
    }
    struct acct_cache *k = c->accounts;
    for (int i = 0; k && i < k->n; i++)
        if (k->items[i].id == id) return &k->items[i];
    const pl_account *kept = c->cache ? cache_account(c->cache, id) : NULL;
    if (kept) return remember_account(c, kept);
    pl_account acc;
    if (read_failed("account", id, store_account_get(c->db, id, c->a, &acc))) return NULL;
    if (c->cache) cache_put_account(c->cache, &acc);
    return remember_account(c, &acc);
}

const pl_account *app_account(app_ctx *c, int64_t id)
{
    const pl_account *a = account_record(c, id);
    /* a suspended account (app/moderation.h) is hidden from everyone, and with it every post
     * and notification of it, for each is shown only with its author: kept, not shown */
    return a && a->is_suspended ? NULL : a;
}

bool app_reaches(app_ctx *c, int64_t viewer, int64_t author)
{
    const pl_account *a = app_account(c, author);
    if (!a) return false;
    if (!a->is_silenced || viewer == author) return true;
    return viewer && app_follows(c, viewer, author);
}

int app_fail_field(app_ctx *c, int code, const char *field, const char *key, const char *fmt, ...)
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

/* The request's status cache (read-only requests only). */
static struct status_cache *status_cache(app_ctx *c)
{
    if (!c->statuses) c->statuses = arena_alloc(c->a, sizeof *c->statuses);
    return c->statuses;
}

/* A request may hold a thousand statuses (a ranked feed's candidates), so they are found by
 * hash rather than by a scan. */
static unsigned slot_of(const struct status_cache *k, int64_t id)
{
    return (unsigned)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & (unsigned)(k->n_slots - 1);
}

static const pl_status *cached_status(app_ctx *c, int64_t id)
{
    struct status_cache *k = status_cache(c);
    if (!k->n_slots) return NULL;
    for (unsigned h = slot_of(k, id);; h = (h + 1) & (unsigned)(k->n_slots - 1)) {
        int at = k->slots[h];
        if (!at) return NULL;
        if (k->items[at - 1]->id == id) return k->items[at - 1];
    }
}

/* Points id's slot at items[i] (a later record of the same id replaces the earlier). */
static void index_status(struct status_cache *k, int i)
{
    int64_t id = k->items[i]->id;
    for (unsigned h = slot_of(k, id);; h = (h + 1) & (unsigned)(k->n_slots - 1)) {
        int at = k->slots[h];
        if (!at || k->items[at - 1]->id == id) {
            k->slots[h] = i + 1;
            return;
        }
    }
}

static void remember_status(app_ctx *c, pl_status *s)
{
    struct status_cache *k = status_cache(c);
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 32;
        pl_status **v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (k->n) memcpy(v, k->items, sizeof *v * (size_t)k->n);
        k->items = v;
        k->cap = cap;
    }
    k->items[k->n++] = s;
    if (k->n * 2 > k->n_slots) {
        k->n_slots = k->n_slots ? k->n_slots * 2 : 64;
        k->slots = arena_alloc(c->a, sizeof *k->slots * (size_t)k->n_slots);
        memset(k->slots, 0, sizeof *k->slots * (size_t)k->n_slots);
        for (int i = 0; i < k->n; i++) index_status(k, i);
    } else
        index_status(k, k->n - 1);
}

const pl_status *app_status(app_ctx *c, int64_t id)
{
    if (c->read_only) {
        const pl_status *s = cached_status(c, id);
        if (s) return s;
    }
    pl_status *s = arena_alloc(c->a, sizeof *s);
    const pl_status *kept = c->read_only && c->cache ? cache_status(c->cache, id) : NULL;
    if (kept)
        *s = *kept;
    else if (store_status_get(c->db, id, c->a, s) != PL_OK)
        return NULL;
    else if (c->read_only && c->cache)
        cache_put_status(c->cache, s);
    if (c->read_only) remember_status(c, s);
    return s;
}

static bool account_known(app_ctx *c, int64_t id)
{
    struct acct_cache *k = c->accounts;
    for (int i = 0; k && i < k->n; i++)
        if (k->items[i].id == id) return true;
    return c->cache && cache_account(c->cache, id);
}

/* Adds id to the set ids[0..*n) unless it is there (a page holds a few dozen). */
static void add_unique(int64_t *ids, int *n, int64_t id)
{
    for (int i = 0; i < *n; i++)
        if (ids[i] == id) return;
    ids[(*n)++] = id;
}

/* Reads the statuses among ids[0..n) that no cache has, STORE_BATCH at a time. */
static void fetch_statuses(app_ctx *c, const int64_t *ids, int n)
{
    int64_t *missing = arena_alloc(c->a, sizeof *missing * (size_t)(n + 1));
    int m = 0;
    for (int i = 0; i < n; i++)
        if (ids[i] && !cached_status(c, ids[i]) && !(c->cache && cache_status(c->cache, ids[i])))
            add_unique(missing, &m, ids[i]);
    for (int k = 0; k < m; k += STORE_BATCH) {
        int take = m - k < STORE_BATCH ? m - k : STORE_BATCH, got;
        pl_status *rows = arena_alloc(c->a, sizeof *rows * (size_t)take);
        if (store_statuses_get(c->db, missing + k, take, c->a, rows, &got) != PL_OK) return;
        for (int i = 0; i < got; i++) {
            if (c->cache) cache_put_status(c->cache, &rows[i]);
            remember_status(c, &rows[i]);
        }
    }
}

/* Reads the accounts among ids[0..n) that no cache has, STORE_BATCH at a time. */
static void fetch_accounts(app_ctx *c, const int64_t *ids, int n)
{
    int64_t *missing = arena_alloc(c->a, sizeof *missing * (size_t)(n + 1));
    int m = 0;
    for (int i = 0; i < n; i++)
        if (ids[i] && !account_known(c, ids[i])) add_unique(missing, &m, ids[i]);
    for (int k = 0; k < m; k += STORE_BATCH) {
        int take = m - k < STORE_BATCH ? m - k : STORE_BATCH, got;
        pl_account *rows = arena_alloc(c->a, sizeof *rows * (size_t)take);
        if (store_accounts_get(c->db, missing + k, take, c->a, rows, &got) != PL_OK) return;
        for (int i = 0; i < got; i++) {
            if (c->cache) cache_put_account(c->cache, &rows[i]);
            remember_account(c, &rows[i]);
        }
    }
}

void app_prefetch_statuses(app_ctx *c, const int64_t *ids, int n)
{
    if (!c->read_only || n <= 0) return;
    fetch_statuses(c, ids, n);
    int64_t *originals = arena_alloc(c->a, sizeof *originals * (size_t)n);
    int64_t *authors = arena_alloc(c->a, sizeof *authors * (size_t)(2 * n));
    int no = 0, na = 0;
    for (int i = 0; i < n; i++) {
        const pl_status *s = app_status(c, ids[i]);
        if (!s) continue;
        authors[na++] = s->account_id;
        if (s->reblog_of_id) originals[no++] = s->reblog_of_id;
    }
    fetch_statuses(c, originals, no); /* what they boost */
    for (int i = 0; i < no; i++) {
        const pl_status *s = app_status(c, originals[i]);
        if (s) authors[na++] = s->account_id;
    }
    fetch_accounts(c, authors, na);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts ids ascending, unless they came so (most sets are read in their key's order). */
static void sort_ids(int64_t *ids, int n)
{
    for (int i = 1; i < n; i++)
        if (ids[i] < ids[i - 1]) {
            qsort(ids, (size_t)n, sizeof *ids, cmp_id);
            return;
        }
}

static void load_set(app_ctx *c, int (*fn)(db *, int64_t, int64_t, arena *, int64_t **, int *),
                     int64_t viewer, struct idset *set)
{
    if (fn(c->db, viewer, c->now, c->a, &set->ids, &set->n) != PL_OK || set->n <= 0) {
        *set = (struct idset){0}; /* not read: empty, so a follow is absent (fails closed) */
        return;
    }
    sort_ids(set->ids, set->n);
}

static bool in_set(const struct idset *set, int64_t id)
{
    return set->n && bsearch(&id, set->ids, (size_t)set->n, sizeof id, cmp_id) != NULL;
}

/* The cache for `viewer`, or NULL when caching does not apply. */
static struct viewer_cache *viewer_cache(app_ctx *c, int64_t viewer)
{
    if (!c->read_only || !viewer || viewer != c->viewer_id) return NULL;
    if (c->viewer) return c->viewer;
    struct viewer_cache *v = arena_alloc(c->a, sizeof *v);
    *v = (struct viewer_cache){.viewer = viewer};
    pl_idsets rel;
    if (store_viewer_relations(c->db, viewer, c->now, c->a, &rel) == PL_OK) {
        v->blocked_by = (struct idset){rel.ids[0], rel.n[0]};
        v->blocking = (struct idset){rel.ids[1], rel.n[1]};
        v->muting = (struct idset){rel.ids[2], rel.n[2]};
        v->muted_by = (struct idset){rel.ids[3], rel.n[3]};
    } else {
        v->relations_failed = true;
    }
    c->viewer = v;
    return v;
}

/* The blocks and mutes below fail closed (app.h): an error is a yes, as is a cache that could
 * not be loaded. */

bool app_blocks(app_ctx *c, int64_t account_id, int64_t target_id)
{
    struct viewer_cache *v;
    if ((v = viewer_cache(c, target_id)))
        return v->relations_failed || in_set(&v->blocked_by, account_id);
    if ((v = viewer_cache(c, account_id)))
        return v->relations_failed || in_set(&v->blocking, target_id);
    return store_blocks(c->db, account_id, target_id);
}

bool app_mutes(app_ctx *c, int64_t account_id, int64_t target_id)
{
    struct viewer_cache *v = viewer_cache(c, account_id);
    if (v) return v->relations_failed || in_set(&v->muting, target_id);
    /* who mutes the context's viewer (streaming: the event's author, asked per subscriber) */
    if ((v = viewer_cache(c, target_id)))
        return v->relations_failed || in_set(&v->muted_by, account_id);
    return store_mutes(c->db, account_id, target_id, c->now, NULL);
}

bool app_blocks_or_mutes_anyone(app_ctx *c, int64_t viewer)
{
    struct viewer_cache *v = viewer_cache(c, viewer);
    return !v || v->relations_failed || v->blocking.n || v->muting.n;
}

bool app_follows(app_ctx *c, int64_t account_id, int64_t target_id)
{
    struct viewer_cache *v = viewer_cache(c, account_id);
    if (!v) return store_follows(c->db, account_id, target_id);
    if (!v->have_following) {
        load_set(c, store_following_ids, account_id, &v->following);
        v->have_following = true;
    }
    return in_set(&v->following, target_id);
}

int app_following(app_ctx *c, int64_t account_id, const int64_t **ids, int *n)
{
    struct viewer_cache *v = viewer_cache(c, account_id);
    if (v && v->have_following) {
        *ids = v->following.ids;
        *n = v->following.n;
        return PL_OK;
    }
    int64_t *got;
    int rc = store_following_ids(c->db, account_id, c->now, c->a, &got, n);
    if (rc) return rc;
    sort_ids(got, *n);
    if (v) {
        v->following = (struct idset){*n ? got : NULL, *n};
        v->have_following = true;
    }
    *ids = got;
    return PL_OK;
}

int app_merge_sources(app_ctx *c, int64_t viewer, pl_merge_source **out, int *n)
{
    const pl_merge_candidate *cand = NULL;
    int n_cand = 0, rc;
    bool kept = c->read_only && c->cache;
    if (kept) cand = cache_merge_candidates(c->cache, &n_cand);
    if (!cand) {
        pl_merge_candidate *read;
        if ((rc = store_merge_candidates(c->db, c->a, &read, &n_cand))) return rc;
        if (kept) cache_put_merge_candidates(c->cache, read, n_cand);
        cand = read;
    }
    const int64_t *following;
    int n_following;
    if ((rc = app_following(c, viewer, &following, &n_following))) return rc;
    return store_merge_sources_of(c->db, viewer, cand, n_cand, following, n_following, c->a, out,
                                  n);
}

void app_page_posts(app_ctx *c, const int64_t *ids, int n, bool (*has)(const pl_status *),
                    int64_t **all, int *n_all, int64_t **ask, int *n_ask)
{
    *all = arena_alloc(c->a, sizeof **all * (size_t)(2 * n + 1));
    *ask = arena_alloc(c->a, sizeof **ask * (size_t)(2 * n + 1));
    *n_all = *n_ask = 0;
    for (int i = 0; i < n; i++) {
        const pl_status *s = app_status(c, ids[i]);
        (*all)[(*n_all)++] = ids[i];
        if (!s || has(s)) (*ask)[(*n_ask)++] = ids[i];
        if (s && s->reblog_of_id) {
            const pl_status *o = app_status(c, s->reblog_of_id);
            (*all)[(*n_all)++] = s->reblog_of_id;
            if (!o || has(o)) (*ask)[(*n_ask)++] = s->reblog_of_id;
        }
    }
    qsort(*all, (size_t)*n_all, sizeof **all, cmp_id);
    qsort(*ask, (size_t)*n_ask, sizeof **ask, cmp_id);
}

static struct chan_cache *chan_cache(app_ctx *c)
{
    if (!c->channels) {
        c->channels = arena_alloc(c->a, sizeof *c->channels);
        memset(c->channels, 0, sizeof *c->channels);
    }
    return c->channels;
}

const pl_channel *app_channel(app_ctx *c, int64_t id)
{
    if (!id) return NULL;
    struct chan_cache *k = chan_cache(c);
    for (int i = 0; i < k->n; i++)
        if (k->items[i].id == id) return &k->items[i];
    pl_channel ch;
    if (read_failed("channel", id, store_channel_get(c->db, id, &ch))) return NULL;
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 8;
        pl_channel *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (k->n) memcpy(v, k->items, sizeof *v * (size_t)k->n);
        k->items = v;
        k->cap = cap;
    }
    k->items[k->n] = ch;
    return &k->items[k->n++];
}

int app_channel_reload(app_ctx *c, int64_t id)
{
    struct chan_cache *k = chan_cache(c);
    for (int i = 0; i < k->n; i++)
        if (k->items[i].id == id) return store_channel_get(c->db, id, &k->items[i]);
    return PL_OK;
}

int app_channel_role(app_ctx *c, const pl_channel *ch, int64_t account_id)
{
    if (!account_id) return ROLE_NONE;
    struct chan_cache *k = chan_cache(c);
    for (int i = 0; i < k->n_roles; i++)
        if (k->roles[i].channel == ch->id && k->roles[i].account == account_id)
            return k->roles[i].role;
    int role = ROLE_NONE;
    const pl_account *a = app_account(c, account_id);
    if (a && a->is_admin)
        role = ROLE_OWNER;
    else if (store_channel_role(c->db, ch->id, account_id, &role) != PL_OK)
        role = ROLE_NONE;
    else if (role != ROLE_NONE && !ch->is_everyone && !app_follows(c, account_id, ch->id))
        role = ROLE_NONE; /* membership is the follow: a role row without one grants nothing */
    if (c->read_only && k->n_roles < (int)(sizeof k->roles / sizeof k->roles[0]))
        k->roles[k->n_roles++] = (struct chan_role){ch->id, account_id, role};
    return role;
}

bool app_channel_member(app_ctx *c, const pl_channel *ch, int64_t account_id)
{
    if (!account_id) return false;
    if (ch->is_everyone || app_follows(c, account_id, ch->id)) return true;
    const pl_account *a = app_account(c, account_id);
    return a && a->is_admin; /* owners of every channel */
}

int app_mark_move(app_ctx *c, const char *key)
{
    char mark[24];
    snprintf(mark, sizeof mark, "%lld", (long long)app_new_id(c)); /* never the same twice */
    int rc = app_txn_begin(c);
    if (rc) return rc;
    return app_txn_end(c, store_meta_set(c->db, key, mark));
}

int64_t app_mark_read(app_ctx *c, const char *key)
{
    const char *mark;
    int rc = store_meta_get(c->db, key, c->a, &mark);
    if (rc == PL_ENOTFOUND) return 0;
    return rc ? -1 : strtoll(mark, NULL, 10);
}

#define OUTSIDE_CHANGES_MARK "changed_outside"

int app_outside_changes_note(app_ctx *c)
{
    return app_mark_move(c, OUTSIDE_CHANGES_MARK);
}

int64_t app_outside_changes_mark(app_ctx *c)
{
    return app_mark_read(c, OUTSIDE_CHANGES_MARK);
}
