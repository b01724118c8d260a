/*
 * feeds.c — timelines.
 *
 * Each feed is a "fetch" (a paged id list from the store) run through one filter loop:
 * load the status, ask audience_can_see(), drop muted and blocked authors, and fetch
 * further pages until the page is full or the source is exhausted (at most MAX_ROUNDS
 * fetches, so a feed full of hidden posts cannot make one request unbounded).
 *
 * The home feed is the materialized timeline merged with the recent posts of the big
 * accounts the viewer follows (see graph.c for when an account becomes big).
 */
#include "feeds.h"

#include <stdlib.h>
#include <string.h>

#include "app/audience.h"

enum { MAX_ROUNDS = 6 };

typedef int (*fetch_fn)(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out);

static bool hidden_by_viewer(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!viewer || viewer == s->account_id) return false;
    return app_blocks(c, viewer, s->account_id) || app_mutes(c, viewer, s->account_id);
}

static bool shows(app_ctx *c, int64_t viewer, int64_t id, bool apply_mutes)
{
    const pl_status *s = app_status(c, id);
    if (!s || !audience_can_see(c, viewer, s)) return false;
    if (apply_mutes && hidden_by_viewer(c, viewer, s)) return false;
    if (apply_mutes && s->reblog_of_id) {
        const pl_status *o = app_status(c, s->reblog_of_id);
        if (!o || hidden_by_viewer(c, viewer, o)) return false;
    }
    return true;
}

static int filtered(app_ctx *c, int64_t viewer, fetch_fn fetch, void *ud, const pl_page *p,
                    bool apply_mutes, pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    out->ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(p->limit + 1));
    out->keys = arena_alloc(c->a, sizeof(int64_t) * (size_t)(p->limit + 1));
    out->n = 0;
    pl_page q = *p;
    for (int round = 0; round < MAX_ROUNDS && out->n < p->limit; round++) {
        pl_idlist got;
        int rc = fetch(c, viewer, ud, &q, &got);
        if (rc) return rc;
        app_prefetch_statuses(c, got.ids, got.n); /* a few queries instead of one per miss */
        /* got is newest first; walk it in the direction we are moving */
        for (int k = 0; k < got.n && out->n < p->limit; k++) {
            int i = asc ? got.n - 1 - k : k;
            if (!shows(c, viewer, got.ids[i], apply_mutes)) continue;
            out->ids[out->n] = got.ids[i];
            out->keys[out->n] = got.keys[i];
            out->n++;
        }
        if (got.n < q.limit) break;
        if (asc)
            q.min_id = got.keys[0];
        else
            q.max_id = got.keys[got.n - 1];
    }
    if (asc) pl_idlist_reverse(out);
    return PL_OK;
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The fan-out rule for a merged post: a reply reaches the home feed only when it answers
 * its author, the viewer, or someone the viewer follows (store_timeline_fanout, on read). */
static bool reaches_home(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_status *s = app_status(c, id);
    if (!s) return false;
    int64_t to = s->in_reply_to_account_id;
    return !s->in_reply_to_id || !to || to == s->account_id || to == viewer ||
           app_follows(c, viewer, to);
}

static int fetch_home(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)ud;
    int rc = store_timeline_page(c->db, viewer, p, c->a, out);
    if (rc) return rc;
    int64_t *big;
    bool *reblogs;
    int nb;
    if ((rc = store_following_big(c->db, viewer, c->a, &big, &reblogs, &nb))) return rc;
    if (nb == 0) return PL_OK;
    /* merge: all candidates, newest first, distinct, then the page's window */
    bool asc = p->min_id > 0 && p->since_id == 0;
    int cap = out->n + nb * p->limit, n = 0;
    int64_t *all = arena_alloc(c->a, sizeof *all * (size_t)(cap + 1));
    memcpy(all, out->ids, sizeof *all * (size_t)out->n);
    n = out->n;
    /* A full page can only change by posts newer than its oldest entry: skip the big accounts
     * whose last post is older (most of them, most of the time), and ask for the others'
     * posts in that window all at once (STORE_BATCH accounts per query). Accounts whose
     * boosts the viewer hides, and pages that are not full, take a query each. */
    bool full = out->n == p->limit && !asc;
    int64_t oldest = full ? out->ids[out->n - 1] : 0;
    int64_t *window = arena_alloc(c->a, sizeof *window * (size_t)(nb + 1));
    int nw = 0;
    for (int i = 0; i < nb; i++) {
        if (full) {
            const pl_account *b = app_account(c, big[i]);
            if (b && b->last_status_at && id_floor_for_ms(b->last_status_at + 1) <= oldest)
                continue;
            if (reblogs[i]) {
                window[nw++] = big[i];
                continue;
            }
        }
        pl_idlist theirs;
        if ((rc = store_statuses_by_account(c->db, big[i], false, !reblogs[i], p, c->a, &theirs)))
            return rc;
        for (int k = 0; k < theirs.n && n < cap; k++) all[n++] = theirs.ids[k];
    }
    for (int k = 0; k < nw; k += STORE_BATCH) {
        pl_idlist theirs;
        int take = nw - k < STORE_BATCH ? nw - k : STORE_BATCH;
        if ((rc = store_statuses_by_accounts(c->db, window + k, take, oldest, p->max_id, p->limit,
                                             c->a, &theirs)))
            return rc;
        for (int j = 0; j < theirs.n && n < cap; j++) all[n++] = theirs.ids[j];
    }
    /* the merged candidates' records in a few queries, then the fan-out rule on each */
    app_prefetch_statuses(c, all + out->n, n - out->n);
    int kept = out->n;
    for (int i = out->n; i < n; i++)
        if (reaches_home(c, viewer, all[i])) all[kept++] = all[i];
    n = kept;
    qsort(all, (size_t)n, sizeof *all, cmp_desc);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || all[m - 1] != all[i]) all[m++] = all[i];
    int take = m < p->limit ? m : p->limit;
    int64_t *start = asc ? all + (m - take) : all; /* asc: the oldest `limit` above min_id */
    out->ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(take + 1));
    out->keys = arena_alloc(c->a, sizeof(int64_t) * (size_t)(take + 1));
    memcpy(out->ids, start, sizeof(int64_t) * (size_t)take);
    memcpy(out->keys, start, sizeof(int64_t) * (size_t)take);
    out->n = take;
    return PL_OK;
}

int feeds_home(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_home, NULL, p, true, out);
}

static int fetch_public(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    (void)ud;
    return store_statuses_public(c->db, p, c->a, out);
}

int feeds_public(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_public, NULL, p, true, out);
}

static int fetch_tag(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    return store_statuses_by_tag(c->db, ud, p, c->a, out);
}

int feeds_tag(app_ctx *c, int64_t viewer, const char *tag, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_tag, (void *)tag, p, true, out);
}

struct account_q {
    int64_t account_id;
    bool exclude_replies, exclude_reblogs;
};

static int fetch_account(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    struct account_q *q = ud;
    return store_statuses_by_account(c->db, q->account_id, q->exclude_replies, q->exclude_reblogs,
                                     p, c->a, out);
}

int feeds_account(app_ctx *c, int64_t viewer, int64_t account_id, bool exclude_replies,
                  bool exclude_reblogs, const pl_page *p, pl_idlist *out)
{
    if (!app_account(c, account_id)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    struct account_q q = {account_id, exclude_replies, exclude_reblogs};
    return filtered(c, viewer, fetch_account, &q, p, false, out);
}

static int fetch_favs(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)ud;
    return store_favourites_of(c->db, viewer, p, c->a, out);
}

int feeds_favourites(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_favs, NULL, p, false, out);
}

static int fetch_marks(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)ud;
    return store_bookmarks_of(c->db, viewer, p, c->a, out);
}

int feeds_bookmarks(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_marks, NULL, p, false, out);
}

int feeds_trim_step(app_ctx *c, int64_t *cursor, int batch)
{
    if (c->cfg->timeline_keep <= 0) return PL_OK;
    return store_timeline_trim_batch(c->db, *cursor, batch, c->cfg->timeline_keep, cursor);
}

int feeds_fanout(app_ctx *c, const pl_account *author, const pl_status *s)
{
    int64_t reply_to = s->in_reply_to_id ? s->in_reply_to_account_id : 0;
    if (author->followers_count <= c->cfg->fanout_inline) {
        int64_t n = 0;
        int rc =
            store_timeline_fanout(c->db, author->id, s->id, reply_to, s->reblog_of_id != 0, &n);
        c->fanout_rows += n;
        return rc;
    }
    pl_fanout f = {
        .status_id = s->id,
        .author_id = s->account_id,
        .reply_to_account_id = reply_to,
        .is_reblog = s->reblog_of_id != 0,
    };
    int rc = store_timeline_insert(c->db, author->id, s->id);
    return rc ? rc : store_fanout_enqueue(c->db, &f, c->now);
}

int feeds_fanout_step(app_ctx *c, int rows, bool *more)
{
    pl_fanout f;
    *more = false;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_fanout_next(c->db, &f);
    if (rc == PL_ENOTFOUND) return app_txn_end(c, PL_OK) == PL_OK ? PL_OK : PL_EDB;
    int64_t n = 0;
    if (!rc) rc = store_fanout_chunk(c->db, &f, rows, &n);
    if ((rc = app_txn_end(c, rc))) return rc;
    c->fanout_rows += n;
    *more = true; /* maybe: the next step finds out */
    return PL_OK;
}
