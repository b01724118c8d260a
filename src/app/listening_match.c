/*
 * listening_match.c — the matcher (app/listening.h): every new post and feed item matched
 * against every watch at once, and a watch's backfill.
 *
 * The compiled set: every watch's query in one watchq_set, with each watch's owner beside it,
 * held as a reference-counted value behind a mutex. The matcher takes a reference, matches
 * without the lock (a set is immutable), and drops it; a rebuild (when listen_state's version
 * moved) makes a new value and swaps it in, and the old one is freed by whoever drops its last
 * reference.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/audit.h"
#include "app/channels.h"
#include "app/notify.h"
#include "app/tickets.h"
#include "app/listening.h"
#include "app/posts.h"
#include "listen/spike.h"
#include "listen/tokens.h"
#include "listen/tone.h"
#include "store/posts.h"
#include "store/query.h"
#include "util/text.h"
#include "app/listening_internal.h"

/* ---- matching one post ------------------------------------------------------------------- */

/* A post's words and origin for watchq_set_match; its memory is the caller's tokens and c's
 * arena. NULL when the post is gone or its author hidden. */
const pl_status *listen_post_doc(app_ctx *c, int64_t id, listen_tokens *tok, watchq_doc *doc,
                                 const char **channel)
{
    const pl_status *s = app_status(c, id);
    if (!s || s->reblog_of_id) return NULL;
    const pl_account *author = app_account(c, s->account_id);
    if (!author) return NULL;
    const char *text = posts_text_as_read(s);
    if (s->spoiler_text && *s->spoiler_text)
        text = arena_printf(c->a, "%s\n%s", s->spoiler_text, text ? text : "");
    listen_tokenize(text ? text : "", text ? strlen(text) : 0, tok);
    *doc = (watchq_doc){.tokens = tok, .author = author->username};
    if (s->channel_id && !s->channel_removed) {
        const pl_account *ch = app_account(c, s->channel_id);
        if (ch) {
            *channel = ch->username;
            doc->channels = channel;
            doc->n_channels = 1;
        }
    }
    const char **tags = NULL;
    int n_tags = 0;
    if (s->tags_count > 0 && store_status_tags(c->db, s->id, c->a, &tags, &n_tags) == PL_OK) {
        doc->tags = tags;
        doc->n_tags = (size_t)n_tags;
    }
    return s;
}

int listen_tone_milli(const char *text)
{
    tone_result t;
    if (tone_score(text ? text : "", text ? strlen(text) : 0, &t) != PL_OK) return 0;
    return (int)(t.score * 1000.0 + (t.score < 0 ? -0.5 : 0.5));
}

/* ---- the compiled set -------------------------------------------------------------------- */

typedef struct compiled {
    watchq_set *set;
    int64_t *ids, *owners; /* by watch id, ascending */
    size_t n;
    int64_t version;
    int refs; /* under set_mu */
} compiled;

static pthread_mutex_t set_mu = PTHREAD_MUTEX_INITIALIZER;
static compiled *current;

static void compiled_drop(compiled *k)
{
    if (!k) return;
    pthread_mutex_lock(&set_mu);
    bool last = --k->refs == 0;
    pthread_mutex_unlock(&set_mu);
    if (!last) return;
    watchq_set_free(k->set);
    free(k->ids);
    free(k->owners);
    free(k);
}

/* The set for version: the current one if it is that version, else one built from the
 * watches now (and made current). NULL only on a database error. */
static compiled *compiled_take(app_ctx *c, int64_t version)
{
    pthread_mutex_lock(&set_mu);
    compiled *k = current;
    if (k && k->version == version) {
        k->refs++;
        pthread_mutex_unlock(&set_mu);
        return k;
    }
    pthread_mutex_unlock(&set_mu);
    pl_watch *all;
    int n;
    if (store_watches_all(c->db, c->a, &all, &n) != PL_OK) return NULL;
    k = calloc(1, sizeof *k);
    if (!k) abort();
    watchq **qs = calloc((size_t)n + 1, sizeof *qs);
    k->ids = calloc((size_t)n + 1, sizeof *k->ids);
    k->owners = calloc((size_t)n + 1, sizeof *k->owners);
    if (!qs || !k->ids || !k->owners) abort();
    for (int i = 0; i < n; i++) {
        /* a watch was checked when written; one that no longer parses (a newer limit) is
         * left out rather than stopping every other */
        if (watchq_parse(all[i].query, strlen(all[i].query), &qs[k->n], NULL) != PL_OK) continue;
        k->ids[k->n] = all[i].id;
        k->owners[k->n++] = all[i].account_id;
    }
    int rc = watchq_set_build((const watchq *const *)qs, k->ids, k->n, &k->set);
    for (size_t i = 0; i < k->n; i++) watchq_free(qs[i]);
    free(qs);
    if (rc) {
        free(k->ids);
        free(k->owners);
        free(k);
        return NULL;
    }
    k->version = version;
    k->refs = 2; /* current's and the caller's */
    pthread_mutex_lock(&set_mu);
    compiled *old = current;
    current = k;
    pthread_mutex_unlock(&set_mu);
    compiled_drop(old);
    return k;
}

void listen_shutdown(void)
{
    pthread_mutex_lock(&set_mu);
    compiled *k = current;
    current = NULL;
    pthread_mutex_unlock(&set_mu);
    compiled_drop(k);
}

static int64_t owner_of(const compiled *k, int64_t watch_id)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (k->ids[mid] < watch_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->n && k->ids[lo] == watch_id ? k->owners[lo] : 0;
}

/* ---- the matcher ------------------------------------------------------------------------- */

/* How far back the cursor stays: a post whose id was taken before another's may commit after
 * it, so the last LISTEN_OVERLAP_MS of ids are read again (and skipped when already done). */
enum { LISTEN_OVERLAP_MS = 3000, LISTEN_LEASE_MS = 30000 };

static void done_free(listen_done *d)
{
    free(d->ids);
    *d = (listen_done){0};
}

void listen_worker_free(listen_worker *w)
{
    done_free(&w->posts);
    done_free(&w->items);
}

static bool done_has(const listen_done *d, int64_t id)
{
    for (int i = d->n; i-- > 0;)
        if (d->ids[i] == id) return true;
    return false;
}

static void done_add(listen_done *d, int64_t id)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        d->ids = realloc(d->ids, sizeof *d->ids * (size_t)d->cap);
        if (!d->ids) abort();
    }
    d->ids[d->n++] = id;
}

static void done_forget_below(listen_done *d, int64_t floor)
{
    int k = 0;
    for (int i = 0; i < d->n; i++)
        if (d->ids[i] > floor) d->ids[k++] = d->ids[i];
    d->n = k;
}

/* A step's new matches counted per (watch, bucket) with their tones, and per (watch, day,
 * author), written once at its end: one row each, not one write a match (store/watches.h:
 * the watch's count of matches moves with its buckets). */
typedef struct tally_row {
    int64_t watch, key, author; /* key: the bucket, or the day (author 0 in a bucket's row) */
    pl_watch_tones n;
} tally_row;

typedef struct tally {
    tally_row *v;
    int n, cap;
} tally;

static tally_row *tally_row_of(app_ctx *c, tally *t, int64_t watch_id, int64_t key, int64_t author)
{
    for (int i = t->n; i-- > 0;)
        if (t->v[i].watch == watch_id && t->v[i].key == key && t->v[i].author == author)
            return &t->v[i];
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        t->v = t->v ? arena_grow(c->a, t->v, (size_t)t->cap, (size_t)cap, sizeof *t->v)
                    : arena_alloc(c->a, sizeof *t->v * (size_t)cap);
        t->cap = cap;
    }
    t->v[t->n] = (tally_row){.watch = watch_id, .key = key, .author = author};
    return &t->v[t->n++];
}

static void tally_add(app_ctx *c, tally *buckets, tally *authors, int64_t watch_id, int64_t at_ms,
                      int64_t author, int tone_milli)
{
    int64_t bucket = spike_bucket_of(at_ms / 1000, LISTEN_UTC_OFFSET);
    int threshold = LISTEN_TONE_THRESHOLD_MILLI;
    tally_row *r = tally_row_of(c, buckets, watch_id, bucket, 0);
    r->n.total++;
    r->n.negative += tone_milli <= -threshold;
    r->n.positive += tone_milli >= threshold;
    tally_row_of(c, authors, watch_id, listen_day_of_bucket(bucket), author)->n.total++;
}

static int tally_write(app_ctx *c, const tally *buckets, const tally *authors)
{
    int rc = PL_OK;
    for (int i = 0; i < buckets->n && !rc; i++)
        rc = store_watch_bucket_add(c->db, buckets->v[i].watch, buckets->v[i].key,
                                    listen_day_of_bucket(buckets->v[i].key), &buckets->v[i].n);
    for (int i = 0; i < authors->n && !rc; i++)
        rc = store_watch_author_add(c->db, authors->v[i].watch, authors->v[i].key,
                                    authors->v[i].author, (int)authors->v[i].n.total);
    return rc;
}

/* What a step found, to be written in its short write transaction: a match of a watch and a
 * post (is_item: a feed item), with its tone, author and time. */
typedef struct found {
    int64_t watch, id, author, at;
    int tone;
    bool is_item;
} found;

typedef struct found_list {
    found *v;
    int n, cap;
} found_list;

static void found_add(app_ctx *c, found_list *l, found f)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        found *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = f;
}

static int found_cmp(const void *a, const void *b)
{
    const found *x = a, *y = b;
    if (x->watch != y->watch) return x->watch < y->watch ? -1 : 1;
    if (x->is_item != y->is_item) return x->is_item ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Writes what was found (each kept once: the key) and counts the new ones per bucket, watch
 * by watch in ascending ids: a like's offer of a post to the kept tops of the watches that
 * matched it (store_watch_post_engaged) goes in that order too, so on PostgreSQL the two never
 * wait for each other's row locks in a circle. */
static int found_write(app_ctx *c, found_list *l, int *kept)
{
    if (l->n > 1) qsort(l->v, (size_t)l->n, sizeof *l->v, found_cmp);
    tally buckets = {0}, authors = {0};
    int rc = PL_OK;
    for (int i = 0; i < l->n && !rc; i++) {
        const found *f = &l->v[i];
        bool is_new = false;
        if (f->is_item) {
            rc = store_watch_feed_match_add(c->db, f->watch, f->id, f->tone, f->at, &is_new);
        } else {
            rc = store_watch_match_add(c->db, f->watch, f->id, f->author, f->tone, f->at, &is_new);
            if (!rc && is_new)
                tally_add(c, &buckets, &authors, f->watch, f->at, f->author, f->tone);
        }
        *kept += is_new;
    }
    return rc ? rc : tally_write(c, &buckets, &authors);
}

/* Reads and matches the posts past `from` (no write: what matched goes to *found). */
static int match_posts(app_ctx *c, listen_worker *w, const compiled *k, int64_t from, int64_t *last,
                       found_list *found_out, listen_summary *out)
{
    int64_t *hits = arena_alloc(c->a, sizeof *hits * (k->n ? k->n : 1));
    listen_tokens tok = LISTEN_TOKENS_INIT;
    int rc = PL_OK;
    /* pages of ids past `from`; those done already (the overlap) are skipped without counting
     * towards the batch */
    for (int64_t pos = from; !rc && out->posts < LISTEN_BATCH;) {
        int64_t *ids;
        int n;
        if ((rc = store_listen_statuses_after(c->db, pos, LISTEN_BATCH, c->a, &ids, &n))) break;
        for (int i = 0; i < n && !rc && out->posts < LISTEN_BATCH; i++) {
            pos = ids[i];
            if (ids[i] > *last) *last = ids[i];
            if (done_has(&w->posts, ids[i])) continue;
            done_add(&w->posts, ids[i]);
            out->posts++;
            if (!k->n) continue;
            watchq_doc doc;
            const char *channel;
            const pl_status *s = listen_post_doc(c, ids[i], &tok, &doc, &channel);
            if (!s) continue;
            size_t hit = watchq_set_match(k->set, &doc, hits, k->n);
            int tone = 0;
            bool toned = false;
            int64_t asked = 0; /* the last owner asked about, and the answer */
            bool may = false;
            for (size_t j = 0; j < hit && !rc; j++) {
                int64_t owner = owner_of(k, hits[j]);
                if (owner && owner != asked) {
                    asked = owner;
                    /* a watch of someone disabled or suspended (off-boarded) keeps nothing */
                    const pl_account *oa = app_account(c, owner);
                    may =
                        oa && !oa->is_disabled && audience_can_see(c, owner, s); /* fails closed */
                }
                if (!owner || !may) continue;
                if (!toned) {
                    tone = listen_tone_milli(posts_text_as_read(s));
                    toned = true;
                }
                found_add(c, found_out,
                          (found){.watch = hits[j],
                                  .id = s->id,
                                  .author = s->account_id,
                                  .at = id_ms(s->id),
                                  .tone = tone});
            }
        }
        if (n < LISTEN_BATCH) break;
    }
    out->more = out->posts >= LISTEN_BATCH;
    listen_tokens_free(&tok);
    return rc;
}

static int match_items(app_ctx *c, listen_worker *w, const compiled *k, int64_t from, int64_t *last,
                       found_list *found_out, listen_summary *out)
{
    int64_t *hits = arena_alloc(c->a, sizeof *hits * (k->n ? k->n : 1));
    listen_tokens tok = LISTEN_TOKENS_INIT;
    int rc = PL_OK;
    int looked = 0;
    for (int64_t pos = from; !rc && looked < LISTEN_BATCH;) {
        pl_feed_item *items;
        int n;
        if ((rc = store_listen_items_after(c->db, pos, LISTEN_BATCH, c->a, &items, &n))) break;
        for (int i = 0; i < n && !rc && looked < LISTEN_BATCH; i++) {
            const pl_feed_item *it = &items[i];
            pos = it->id;
            if (it->id > *last) *last = it->id;
            if (done_has(&w->items, it->id)) continue;
            done_add(&w->items, it->id);
            looked++;
            out->items++;
            if (!k->n) continue;
            const char *text =
                arena_printf(c->a, "%s\n%s", it->title ? it->title : "", it->text ? it->text : "");
            listen_tokenize(text, strlen(text), &tok);
            watchq_doc doc = {.tokens = &tok};
            size_t hit = watchq_set_match(k->set, &doc, hits, k->n);
            int tone = hit ? listen_tone_milli(text) : 0;
            for (size_t j = 0; j < hit; j++)
                found_add(c, found_out,
                          (found){.watch = hits[j],
                                  .id = it->id,
                                  .at = it->fetched_at,
                                  .tone = tone,
                                  .is_item = true});
        }
        if (n < LISTEN_BATCH) break;
    }
    if (looked >= LISTEN_BATCH) out->more = true;
    listen_tokens_free(&tok);
    return rc;
}

/* The cursor past a step: the last id read, but never within LISTEN_OVERLAP_MS of now (what
 * is done above it is remembered), and never back. */
static int64_t cursor_after(int64_t old, int64_t last, int64_t floor)
{
    int64_t cursor = last < floor ? last : floor;
    return cursor < old ? old : cursor;
}

int listen_step(app_ctx *c, listen_worker *w, listen_summary *out)
{
    *out = (listen_summary){0};
    int rc;
    /* the lease, in a short transaction of its own, renewed when half of it is gone (an idle
     * step writes nothing); while it holds, no other node matches */
    if (c->now > w->lease_until - LISTEN_LEASE_MS / 2) {
        if ((rc = app_txn_begin(c))) return rc;
        bool got = false;
        rc = store_listen_lease(c->db, w->holder, c->now, c->now + LISTEN_LEASE_MS, &got);
        rc = app_txn_end(c, rc);
        w->lease_until = !rc && got ? c->now + LISTEN_LEASE_MS : 0;
        if (rc || !got) {
            out->not_leader = !rc;
            return rc;
        }
    }
    /* read and match outside any write transaction (on SQLite the writer's lock is not held
     * while posts are read, tokenized and asked about): from each cursor less the overlap,
     * those not done yet */
    pl_listen_state st;
    if ((rc = store_listen_state(c->db, &st))) return rc;
    compiled *k = compiled_take(c, st.version);
    if (!k) return PL_EDB;
    int64_t floor = id_floor_for_ms(c->now - LISTEN_OVERLAP_MS);
    int64_t from = st.status_cursor < floor ? st.status_cursor : floor;
    int64_t from_items = st.item_cursor < floor ? st.item_cursor : floor;
    int64_t last_post = st.status_cursor, last_item = st.item_cursor;
    found_list found_now = {0};
    if (!k->n) {
        /* no watch: nothing to read; the cursors go to the overlap's floor at once (a company
         * with years of posts and its first watch tomorrow does not read them all first) */
        last_post = last_item = floor;
    } else {
        rc = match_posts(c, w, k, from < 0 ? 0 : from, &last_post, &found_now, out);
        bool more = out->more;
        if (!rc)
            rc = match_items(c, w, k, from_items < 0 ? 0 : from_items, &last_item, &found_now, out);
        out->more = out->more || more;
    }
    compiled_drop(k);
    /* then what was found, in one short write transaction */
    int64_t cursor = cursor_after(st.status_cursor, last_post, floor);
    int64_t item_cursor = cursor_after(st.item_cursor, last_item, floor);
    bool moved = cursor != st.status_cursor || item_cursor != st.item_cursor;
    if (!rc && (found_now.n || moved)) {
        if ((rc = app_txn_begin(c))) {
            listen_worker_free(w);
            return rc;
        }
        rc = found_write(c, &found_now, &out->matches);
        if (!rc && moved) rc = store_listen_cursors_set(c->db, cursor, item_cursor);
        rc = app_txn_end(c, rc);
    }
    if (rc) { /* not written: the lease taken again, and what this step did read again */
        w->lease_until = 0;
        listen_worker_free(w);
        return rc;
    }
    done_forget_below(&w->posts, cursor);
    done_forget_below(&w->items, item_cursor);
    /* a bucket closed since the last look: the watches' spike states hear of it */
    int64_t closed = listen_bucket_of(c->now) - 1;
    if (st.closed_bucket < closed) rc = listen_close_buckets(c, closed, &out->alerts);
    return rc;
}

int listen_backfill(app_ctx *c, int64_t id, int days, int *matched, int *alerts)
{
    *matched = 0;
    *alerts = 0;
    if (days < 1 || days > SPIKE_DAYS)
        return app_fail(c, PL_EINVAL, "days must be from 1 to %d", SPIKE_DAYS);
    pl_watch w;
    int rc = store_watch_get(c->db, id, c->a, &w);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "no watch %lld", (long long)id);
    if (rc) return rc;
    watchq *q = NULL;
    if (watchq_parse(w.query, strlen(w.query), &q, NULL) != PL_OK)
        return app_fail(c, PL_EINVAL, "the watch's query does not parse");
    compiled k = {.ids = &w.id, .owners = &w.account_id, .n = 1};
    rc = watchq_set_build((const watchq *const *)&q, &w.id, 1, &k.set);
    watchq_free(q);
    if (rc) return rc;
    int64_t from = id_floor_for_ms(c->now - (int64_t)days * 86400000);
    int64_t last = from;
    listen_worker lw = {.holder = ""};
    for (bool more = true; more && !rc;) {
        listen_summary s = {0};
        found_list f = {0};
        int64_t at = last;
        rc = match_posts(c, &lw, &k, at, &last, &f, &s);
        if (!rc && !(rc = app_txn_begin(c))) rc = app_txn_end(c, found_write(c, &f, matched));
        more = s.more;
        listen_worker_free(&lw); /* the position only grows here: nothing is read twice */
    }
    watchq_set_free(k.set);
    if (rc) return rc;
    /* the state starts again where the days start, and hears of them at once up to the last
     * closed bucket (an alert may fire: it is told as the matcher's are) */
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_watch_spike_set(c->db, id, "", listen_bucket_of(c->now - (int64_t)days * 86400000));
    if (!rc) rc = store_watch_get(c->db, id, c->a, &w);
    if (!rc) rc = listen_close_watch(c, &w, listen_bucket_of(c->now) - 1, alerts);
    return app_txn_end(c, rc);
}
