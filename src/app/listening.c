/*
 * listening.c — watches, their matches, the live preview and the matcher (app/listening.h).
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

/* ---- watches ----------------------------------------------------------------------------- */

static int check_title(app_ctx *c, const char *title)
{
    if (!title || !*(title + strspn(title, " \t\r\n")))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_BLANK",
                              "Validation failed: title can't be blank");
    if (!text_is_valid_utf8(title, strlen(title)) ||
        text_char_count(title, strlen(title), NULL) > WATCH_TITLE_MAX || strpbrk(title, "\r\n"))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_TOO_LONG",
                              "Validation failed: title must be one line of at most %d "
                              "characters",
                              WATCH_TITLE_MAX);
    return PL_OK;
}

static int check_query(app_ctx *c, const char *query, watchq_error *qerr)
{
    if (!query)
        return app_fail_field(c, PL_EINVAL, "query", "ERR_BLANK",
                              "Validation failed: query can't be blank");
    watchq *q = NULL;
    watchq_error e = {0};
    int rc = watchq_parse(query, strlen(query), &q, &e);
    watchq_free(q);
    if (rc == PL_OK) return PL_OK;
    if (qerr) *qerr = e;
    return app_fail_field(c, PL_EINVAL, "query", "ERR_INVALID",
                          "Validation failed: query: %s (at character %d)", e.reason, e.position);
}

/* The owner must be able to post in the watch's channel: its alerts go there. */
static int check_channel(app_ctx *c, int64_t viewer, int64_t channel_id)
{
    if (!channel_id) return PL_OK;
    int vis = VIS_COMPANY;
    int64_t placed = 0;
    int rc = channels_place_post(c, viewer, channel_id, NULL, NULL, 0, &vis, &placed);
    if (rc == PL_OK && placed == channel_id) return PL_OK;
    if (rc == PL_EDB) return rc;
    return app_fail_field(c, PL_EINVAL, "channel_id", "ERR_INVALID",
                          "Validation failed: channel_id: %s",
                          c->errmsg ? c->errmsg : "not a channel you may post in");
}

/* A watch reads what the company says: who made, changed or removed one is audited, as an
 * export's query is — its shape (a channel), never its words. */
static int audit_watch(app_ctx *c, const char *action, int64_t actor, int64_t id,
                       int64_t channel_id)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .actor_id = actor,
                                          .target_kind = "watch",
                                          .target_id = id,
                                          .detail = {AUDIT_ID("channel_id", channel_id)}});
}

int watches_create(app_ctx *c, int64_t viewer, const char *title, const char *query,
                   int64_t channel_id, pl_watch *out, watchq_error *qerr)
{
    int rc;
    if ((rc = check_title(c, title)) || (rc = check_query(c, query, qerr)) ||
        (rc = check_channel(c, viewer, channel_id)))
        return rc;
    if ((rc = app_txn_begin(c))) return rc;
    int64_t mine = 0, all = 0;
    rc = store_watches_count(c->db, viewer, &mine);
    if (!rc) rc = store_watches_count(c->db, 0, &all);
    if (!rc && mine >= WATCHES_PER_PERSON)
        rc = app_fail(c, PL_ELIMIT, "You have %d watches, the most one may have",
                      WATCHES_PER_PERSON);
    else if (!rc && all >= WATCHES_IN_COMPANY)
        rc = app_fail(c, PL_ELIMIT, "The company has %d watches, the most it may have",
                      WATCHES_IN_COMPANY);
    pl_watch w = {.id = app_new_id(c),
                  .account_id = viewer,
                  .title = title,
                  .query = query,
                  .channel_id = channel_id,
                  .created_at = c->now,
                  .updated_at = c->now,
                  .spike = "",
                  .spike_bucket = -1};
    if (!rc) rc = store_watch_insert(c->db, &w);
    if (!rc) rc = audit_watch(c, "watch.create", viewer, w.id, channel_id);
    if (!rc) rc = store_watch_get(c->db, w.id, c->a, out);
    return app_txn_end(c, rc);
}

int watches_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch *out)
{
    int rc = store_watch_get(c->db, id, c->a, out);
    if (rc == PL_OK && out->account_id != viewer) rc = PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_update(app_ctx *c, int64_t viewer, int64_t id, const watches_change *ch, pl_watch *out,
                   watchq_error *qerr)
{
    int rc;
    if ((ch->title && (rc = check_title(c, ch->title))) ||
        (ch->query && (rc = check_query(c, ch->query, qerr))))
        return rc;
    pl_watch w;
    if ((rc = watches_get(c, viewer, id, &w))) return rc;
    if (ch->has_channel && ch->channel_id != w.channel_id &&
        (rc = check_channel(c, viewer, ch->channel_id)))
        return rc;
    if (ch->title) w.title = ch->title;
    if (ch->query) w.query = ch->query;
    if (ch->has_channel) w.channel_id = ch->channel_id;
    w.updated_at = c->now;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_watch_update(c->db, &w);
    if (!rc) rc = audit_watch(c, "watch.change", viewer, id, w.channel_id);
    if (!rc) rc = store_watch_get(c->db, id, c->a, out);
    rc = app_txn_end(c, rc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_delete(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_watch_delete(c->db, id, viewer);
    if (!rc) rc = audit_watch(c, "watch.remove", viewer, id, 0);
    rc = app_txn_end(c, rc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_list(app_ctx *c, int64_t viewer, pl_watch **out, int *n)
{
    return store_watches_of(c->db, viewer, c->a, out, n);
}

/* ---- what a watch matched ---------------------------------------------------------------- */

int watches_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                    int64_t **shown, int *n_shown)
{
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    if ((rc = store_watch_matches_page(c->db, id, p, c->a, page))) return rc;
    app_prefetch_statuses(c, page->ids, page->n);
    *shown = arena_alloc(c->a, sizeof **shown * (size_t)(page->n ? page->n : 1));
    *n_shown = 0;
    for (int i = 0; i < page->n; i++) {
        const pl_status *s = app_status(c, page->ids[i]);
        /* asked again: deleted, or its audience narrowed since it matched */
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            (*shown)[(*n_shown)++] = s->id;
    }
    return PL_OK;
}

int watches_feed_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                         watch_feed_match **out, int *n)
{
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    if ((rc = store_watch_feed_matches_page(c->db, id, p, c->a, page))) return rc;
    pl_feed_item *items;
    const char **sources;
    int got;
    if ((rc = store_listen_items_by_ids(c->db, page->ids, page->n, c->a, &items, &sources, &got)))
        return rc;
    *out = arena_alloc(c->a, sizeof **out * (size_t)(page->n ? page->n : 1));
    *n = 0;
    for (int i = 0; i < page->n; i++) /* the page's order; an item removed since is left out */
        for (int j = 0; j < got; j++)
            if (items[j].id == page->ids[i])
                (*out)[(*n)++] = (watch_feed_match){.item = items[j], .source = sources[j]};
    return PL_OK;
}

/* ---- matching one post ------------------------------------------------------------------- */

/* A post's words and origin for watchq_set_match; its memory is the caller's tokens and c's
 * arena. NULL when the post is gone or its author hidden. */
static const pl_status *post_doc(app_ctx *c, int64_t id, listen_tokens *tok, watchq_doc *doc,
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

static int tone_milli_of(const char *text)
{
    tone_result t;
    if (tone_score(text ? text : "", text ? strlen(text) : 0, &t) != PL_OK) return 0;
    return (int)(t.score * 1000.0 + (t.score < 0 ? -0.5 : 0.5));
}

int watches_preview(app_ctx *c, int64_t viewer, const char *query, watchq_error *qerr,
                    int64_t **ids, int *n, int *looked)
{
    int rc = check_query(c, query, qerr);
    if (rc) return rc;
    watchq *q = NULL;
    if ((rc = watchq_parse(query, strlen(query), &q, NULL))) return rc;
    watchq_set *set = NULL;
    const int64_t one = 1;
    rc = watchq_set_build((const watchq *const *)&q, &one, 1, &set);
    watchq_free(q);
    if (rc) return rc;
    int64_t *latest;
    int n_latest;
    rc = store_listen_latest(c->db, LISTEN_PREVIEW_POSTS, c->a, &latest, &n_latest);
    *n = 0;
    *looked = 0;
    *ids = arena_alloc(c->a, sizeof **ids * LISTEN_PREVIEW_MAX);
    listen_tokens tok = LISTEN_TOKENS_INIT;
    for (int i = 0; !rc && i < n_latest && *n < LISTEN_PREVIEW_MAX; i += STORE_BATCH) {
        int k = n_latest - i < STORE_BATCH ? n_latest - i : STORE_BATCH;
        app_prefetch_statuses(c, latest + i, k);
        for (int j = i; j < i + k && *n < LISTEN_PREVIEW_MAX; j++) {
            watchq_doc doc;
            const char *channel;
            const pl_status *s = post_doc(c, latest[j], &tok, &doc, &channel);
            if (!s) continue;
            (*looked)++;
            int64_t hit;
            if (watchq_set_match(set, &doc, &hit, 1) && audience_can_see(c, viewer, s))
                (*ids)[(*n)++] = s->id;
        }
    }
    listen_tokens_free(&tok);
    watchq_set_free(set);
    return rc;
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

/* The company's offset from UTC for its 5-minute buckets (what a night and a Saturday are):
 * the configuration has none yet, so UTC. */
enum { LISTEN_UTC_OFFSET = 0 };

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

/* A step's new matches counted per (watch, bucket), written once at its end: one row each,
 * not one write a match. */
typedef struct tally {
    int64_t *watch, *bucket;
    int *count;
    int n, cap;
} tally;

static void tally_add(app_ctx *c, tally *t, int64_t watch_id, int64_t at_ms)
{
    int64_t bucket = spike_bucket_of(at_ms / 1000, LISTEN_UTC_OFFSET);
    for (int i = t->n; i-- > 0;)
        if (t->watch[i] == watch_id && t->bucket[i] == bucket) {
            t->count[i]++;
            return;
        }
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        int64_t *w = arena_alloc(c->a, sizeof *w * (size_t)cap);
        int64_t *b = arena_alloc(c->a, sizeof *b * (size_t)cap);
        int *k = arena_alloc(c->a, sizeof *k * (size_t)cap);
        if (t->n) {
            memcpy(w, t->watch, sizeof *w * (size_t)t->n);
            memcpy(b, t->bucket, sizeof *b * (size_t)t->n);
            memcpy(k, t->count, sizeof *k * (size_t)t->n);
        }
        t->watch = w;
        t->bucket = b;
        t->count = k;
        t->cap = cap;
    }
    t->watch[t->n] = watch_id;
    t->bucket[t->n] = bucket;
    t->count[t->n++] = 1;
}

static int tally_write(app_ctx *c, const tally *t)
{
    int rc = PL_OK;
    for (int i = 0; i < t->n && !rc; i++)
        rc = store_watch_bucket_add(c->db, t->watch[i], t->bucket[i], t->count[i]);
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

/* Writes what was found (each kept once: the key) and counts the new ones per bucket. */
static int found_write(app_ctx *c, const found_list *l, int *kept)
{
    tally counts = {0};
    int rc = PL_OK;
    for (int i = 0; i < l->n && !rc; i++) {
        const found *f = &l->v[i];
        bool is_new = false;
        if (f->is_item) {
            rc = store_watch_feed_match_add(c->db, f->watch, f->id, f->tone, f->at, &is_new);
        } else {
            rc = store_watch_match_add(c->db, f->watch, f->id, f->author, f->tone, f->at, &is_new);
            if (!rc && is_new) tally_add(c, &counts, f->watch, f->at);
        }
        *kept += is_new;
    }
    return rc ? rc : tally_write(c, &counts);
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
            const pl_status *s = post_doc(c, ids[i], &tok, &doc, &channel);
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
                    tone = tone_milli_of(posts_text_as_read(s));
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
            int tone = hit ? tone_milli_of(text) : 0;
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
    rc = match_posts(c, w, k, from < 0 ? 0 : from, &last_post, &found_now, out);
    bool more = out->more;
    if (!rc)
        rc = match_items(c, w, k, from_items < 0 ? 0 : from_items, &last_item, &found_now, out);
    out->more = out->more || more;
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

/* ---- buckets, spikes and alerts ---------------------------------------------------------- */

int64_t listen_bucket_of(int64_t ms)
{
    return spike_bucket_of(ms / 1000, LISTEN_UTC_OFFSET);
}

static const char *hex_of(app_ctx *c, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = arena_alloc(c->a, n * 2 + 1);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

static int hex_digit(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The watch's spike state from its row; a fresh one when it has none (or an unreadable one). */
static void state_of(const pl_watch *w, spike_state *st)
{
    spike_init(st, SPIKE_WEEKEND_SAT_SUN);
    size_t len = strlen(w->spike);
    if (len != 2 * SPIKE_STATE_BYTES) return;
    uint8_t blob[SPIKE_STATE_BYTES];
    for (size_t i = 0; i < SPIKE_STATE_BYTES; i++) {
        int hi = hex_digit(w->spike[2 * i]), lo = hex_digit(w->spike[2 * i + 1]);
        if (hi < 0 || lo < 0) return;
        blob[i] = (uint8_t)(hi << 4 | lo);
    }
    spike_state read = *st;
    if (spike_decode(&read, blob, sizeof blob) == PL_OK) *st = read;
}

static int64_t milli(double v)
{
    return (int64_t)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
}

const char *listen_alert_summary(app_ctx *c, const pl_watch_alert *al, const pl_watch *w)
{
    return arena_printf(c->a,
                        "Listening alert: \"%s\" — %lld posts in 15 minutes, %.1f expected "
                        "(%.1f× the usual for %s %02d:00, median %.1f an hour over %d days). "
                        "%s/listening/alerts/%lld",
                        w->title, (long long)al->count, al->expected_milli / 1000.0,
                        al->ratio_milli / 1000.0, al->base_weekend ? "a weekend" : "a working day",
                        al->base_hour, al->base_median_milli / 1000.0, al->base_samples,
                        c->cfg->base_url, (long long)al->id);
}

/* An alert that fired: kept, told to the owner, posted in the watch's channel. */
static int alert_fired(app_ctx *c, const pl_watch *w, const spike_alert *sa)
{
    pl_watch_alert al = {.id = app_new_id(c),
                         .watch_id = w->id,
                         .account_id = w->account_id,
                         .bucket = sa->bucket,
                         .at = c->now,
                         .count = sa->count,
                         .expected_milli = milli(sa->expected),
                         .spread_milli = milli(sa->spread),
                         .ratio_milli = milli(sa->ratio),
                         .level_milli = milli(sa->level),
                         .today_milli = milli(sa->today),
                         .base_hour = sa->baseline.hour,
                         .base_weekend = sa->baseline.weekend,
                         .base_samples = sa->baseline.samples,
                         .base_median_milli = milli(sa->baseline.median),
                         .base_mad_milli = milli(sa->baseline.mad)};
    int rc = store_watch_alert_insert(c->db, &al);
    if (!rc) rc = notify_alert(c, w->account_id, al.id);
    if (rc || !w->channel_id) return rc;
    /* the owner's post in the channel, if they may still post there: else the notification
     * alone (the channel was checked when the watch was made; membership can end since) */
    int64_t status_id = 0;
    rc = posts_create(c, w->account_id,
                      &(posts_new){.text = listen_alert_summary(c, &al, w),
                                   .visibility = VIS_COMPANY,
                                   .sensitive = -1,
                                   .channel_id = w->channel_id,
                                   .content_type = "text/plain"},
                      &status_id);
    if (rc == PL_EFORBIDDEN || rc == PL_EINVAL) return PL_OK;
    if (!rc) rc = store_watch_alert_set_status(c->db, al.id, status_id);
    return rc;
}

/* Feeds watch w's buckets (its spike_bucket + 1 … through) to its state and keeps it. */
static int close_watch(app_ctx *c, const pl_watch *w, int64_t through, int *alerts)
{
    int64_t start = w->spike_bucket >= 0 ? w->spike_bucket + 1 : listen_bucket_of(w->created_at);
    if (start > through) return PL_OK;
    spike_state st;
    state_of(w, &st);
    int64_t *buckets, *counts;
    int n;
    int rc = store_watch_buckets(c->db, w->id, start, through, c->a, &buckets, &counts, &n);
    if (rc) return rc;
    /* a fresh state counts from its first bucket on: that one is added even when quiet, so
     * the quiet hours since are history too */
    if (st.last_bucket < 0 && !(n > 0 && buckets[0] == start) && spike_add(&st, start, 0, NULL) < 0)
        return PL_EINTERNAL;
    for (int i = 0; i <= n && !rc; i++) {
        /* each bucket with matches, then the last one (quiet ones between count as 0) */
        int64_t b = i < n ? buckets[i] : through;
        uint32_t k = i < n ? (uint32_t)counts[i] : 0;
        if (i == n && n > 0 && buckets[n - 1] == through) break;
        if (b <= st.last_bucket) continue;
        spike_alert sa;
        int fired = spike_add(&st, b, k, &sa);
        const pl_account *owner = fired == 1 ? app_account(c, w->account_id) : NULL;
        if (owner && !owner->is_disabled) { /* nobody is told for someone who has left */
            rc = alert_fired(c, w, &sa);
            ++*alerts;
        }
    }
    if (rc) return rc;
    uint8_t blob[SPIKE_STATE_BYTES];
    spike_encode(&st, blob);
    return store_watch_spike_set(c->db, w->id, hex_of(c, blob, sizeof blob), through);
}

int listen_close_buckets(app_ctx *c, int64_t through, int *alerts)
{
    *alerts = 0;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    /* only the watches with matches in the buckets closed since the last time: an alert
     * needs posts, and a quiet watch's state hears of its quiet buckets (as zeros) the next
     * time it has some — spike_add fills a gap so */
    pl_listen_state st;
    pl_watch *all;
    int n = 0;
    rc = store_listen_state(c->db, &st);
    if (!rc)
        rc = store_watches_counted(c->db, st.closed_bucket < through ? st.closed_bucket + 1 : 0,
                                   through, c->a, &all, &n);
    for (int i = 0; i < n && !rc; i++) rc = close_watch(c, &all[i], through, alerts);
    if (!rc) rc = store_listen_closed_set(c->db, through);
    return app_txn_end(c, rc);
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
    if (!rc) rc = close_watch(c, &w, listen_bucket_of(c->now) - 1, alerts);
    return app_txn_end(c, rc);
}

int listen_alert_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch_alert *out, pl_watch *w)
{
    int rc = store_watch_alert_get(c->db, id, out);
    if (rc == PL_OK && out->account_id != viewer) rc = PL_ENOTFOUND;
    if (rc == PL_OK) rc = store_watch_get(c->db, out->watch_id, c->a, w);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int listen_alerts(app_ctx *c, int64_t viewer, int64_t watch_id, const pl_page *p, pl_idlist *out)
{
    if (watch_id) {
        pl_watch w;
        int rc = watches_get(c, viewer, watch_id, &w);
        if (rc) return rc;
    }
    return store_watch_alerts_page(c->db, viewer, watch_id, p, c->a, out);
}

int listen_alert_posts(app_ctx *c, int64_t viewer, const pl_watch_alert *al, int max, int64_t **ids,
                       int *n)
{
    /* the window: the three buckets that end with the alert's */
    int64_t from = (al->bucket - 2) * SPIKE_BUCKET_SECONDS * 1000 - LISTEN_UTC_OFFSET * 1000LL;
    int64_t to = (al->bucket + 1) * SPIKE_BUCKET_SECONDS * 1000 - LISTEN_UTC_OFFSET * 1000LL;
    int64_t *all;
    int got;
    int rc =
        store_watch_matches_between(c->db, al->watch_id, from, to, STORE_BATCH, c->a, &all, &got);
    if (rc) return rc;
    app_prefetch_statuses(c, all, got);
    *ids = arena_alloc(c->a, sizeof **ids * (size_t)(max > 0 ? max : 1));
    *n = 0;
    for (int i = 0; i < got && *n < max; i++) {
        const pl_status *s = app_status(c, all[i]);
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            (*ids)[(*n)++] = s->id;
    }
    return PL_OK;
}

int listen_alert_ticket(app_ctx *c, int64_t viewer, int64_t alert_id, int64_t app_id,
                        int64_t *ticket_id)
{
    pl_watch_alert al;
    pl_watch w;
    int rc = listen_alert_get(c, viewer, alert_id, &al, &w);
    if (rc) return rc;
    if (al.ticket_id)
        return app_fail_field(c, PL_EINVAL, "alert_id", "ERR_TAKEN",
                              "Validation failed: the alert has a ticket already (%lld)",
                              (long long)al.ticket_id);
    pl_ticket t;
    const char *title = arena_printf(c->a, "Alert: %.80s", w.title);
    if ((rc = tickets_open_form(c, viewer, title, listen_alert_summary(c, &al, &w), app_id, &t)))
        return rc;
    bool got = false;
    if ((rc = store_watch_alert_set_ticket(c->db, alert_id, t.id, &got))) return rc;
    if (!got) return app_fail(c, PL_ECONFLICT, "the alert has a ticket already");
    *ticket_id = t.id;
    return PL_OK;
}

/* ---- the dashboard ----------------------------------------------------------------------- */

enum { DASH_TOP_POSTS = 5, DASH_TOP_READ = 40, DASH_AUTHORS = 10 };

int listen_dashboard_of(app_ctx *c, int64_t viewer, int64_t id, int days, listen_dashboard *out)
{
    if (days != 1 && days != 7 && days != 30)
        return app_fail(c, PL_EINVAL, "Validation failed: period must be one of 1d, 7d, 30d");
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    *out = (listen_dashboard){.to = c->now, .step_ms = days == 1 ? 3600000 : 86400000};
    int64_t span = (int64_t)days * 86400000;
    /* whole steps, the last one ending now */
    out->n_steps = (int)(span / out->step_ms);
    out->from = c->now - span;
    out->volume = arena_alloc(c->a, sizeof *out->volume * (size_t)out->n_steps);
    memset(out->volume, 0, sizeof *out->volume * (size_t)out->n_steps);
    int64_t *buckets, *counts;
    int n;
    rc = store_watch_buckets(c->db, id, listen_bucket_of(out->from), listen_bucket_of(c->now), c->a,
                             &buckets, &counts, &n);
    for (int i = 0; !rc && i < n; i++) {
        int64_t at = (buckets[i] * SPIKE_BUCKET_SECONDS - LISTEN_UTC_OFFSET) * 1000;
        int64_t k = at < out->from ? 0 : (at - out->from) / out->step_ms;
        if (k >= out->n_steps) k = out->n_steps - 1;
        out->volume[k] += counts[i];
    }
    int threshold = (int)(TONE_THRESHOLD * 1000 + 0.5);
    if (!rc) rc = store_watch_sums(c->db, id, out->from, c->now + 1, threshold, &out->now);
    if (!rc) rc = store_watch_sums(c->db, id, out->from - span, out->from, threshold, &out->before);
    if (!rc)
        rc = store_watch_top_authors(c->db, id, out->from, c->now + 1, DASH_AUTHORS, c->a,
                                     &out->authors, &out->author_counts, &out->n_authors);
    int64_t *top;
    int n_top = 0;
    if (!rc)
        rc = store_watch_top_posts(c->db, id, out->from, c->now + 1, DASH_TOP_READ, c->a, &top,
                                   &n_top);
    if (rc) return rc;
    app_prefetch_statuses(c, top, n_top);
    out->top_posts = arena_alloc(c->a, sizeof *out->top_posts * DASH_TOP_POSTS);
    for (int i = 0; i < n_top && out->n_top_posts < DASH_TOP_POSTS; i++) {
        const pl_status *s = app_status(c, top[i]);
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            out->top_posts[out->n_top_posts++] = s->id;
    }
    /* authors shown are those still shown anywhere (a suspended one is hidden) */
    int k = 0;
    for (int i = 0; i < out->n_authors; i++)
        if (app_account(c, out->authors[i])) {
            out->authors[k] = out->authors[i];
            out->author_counts[k++] = out->author_counts[i];
        }
    out->n_authors = k;
    return PL_OK;
}
