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
#include "app/channels.h"
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
    if (!rc) rc = store_watch_get(c->db, id, c->a, out);
    rc = app_txn_end(c, rc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_delete(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = app_txn_end(c, store_watch_delete(c->db, id, viewer));
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
    watchq **qs = calloc((size_t)n + 1, sizeof *qs);
    k->ids = calloc((size_t)n + 1, sizeof *k->ids);
    k->owners = calloc((size_t)n + 1, sizeof *k->owners);
    if (!k || !qs || !k->ids || !k->owners) abort();
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

void listen_worker_free(listen_worker *w)
{
    free(w->done);
    w->done = NULL;
    w->n_done = w->cap_done = 0;
}

static bool worker_done(const listen_worker *w, int64_t id)
{
    for (int i = w->n_done; i-- > 0;)
        if (w->done[i] == id) return true;
    return false;
}

static void worker_mark(listen_worker *w, int64_t id)
{
    if (w->n_done == w->cap_done) {
        w->cap_done = w->cap_done ? w->cap_done * 2 : 256;
        w->done = realloc(w->done, sizeof *w->done * (size_t)w->cap_done);
        if (!w->done) abort();
    }
    w->done[w->n_done++] = id;
}

static void worker_forget_below(listen_worker *w, int64_t floor)
{
    int k = 0;
    for (int i = 0; i < w->n_done; i++)
        if (w->done[i] > floor) w->done[k++] = w->done[i];
    w->n_done = k;
}

static int bucket_count(app_ctx *c, int64_t watch_id, int64_t at_ms)
{
    int64_t bucket = spike_bucket_of(at_ms / 1000, LISTEN_UTC_OFFSET);
    return store_watch_bucket_add(c->db, watch_id, bucket, 1);
}

static int match_posts(app_ctx *c, listen_worker *w, const compiled *k, int64_t from, int64_t *last,
                       listen_summary *out)
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
            if (worker_done(w, ids[i])) continue;
            worker_mark(w, ids[i]);
            out->posts++;
            if (!k->n) continue;
            watchq_doc doc;
            const char *channel;
            const pl_status *s = post_doc(c, ids[i], &tok, &doc, &channel);
            if (!s) continue;
            size_t hit = watchq_set_match(k->set, &doc, hits, k->n);
            int tone = 0;
            bool toned = false;
            for (size_t j = 0; j < hit && !rc; j++) {
                int64_t owner = owner_of(k, hits[j]);
                if (!owner || !audience_can_see(c, owner, s)) continue; /* fails closed */
                if (!toned) {
                    tone = tone_milli_of(posts_text_as_read(s));
                    toned = true;
                }
                bool is_new = false;
                rc = store_watch_match_add(c->db, hits[j], s->id, s->account_id, tone, id_ms(s->id),
                                           &is_new);
                if (!rc && is_new) {
                    out->matches++;
                    rc = bucket_count(c, hits[j], id_ms(s->id));
                }
            }
        }
        if (n < LISTEN_BATCH) break;
    }
    out->more = out->posts >= LISTEN_BATCH;
    listen_tokens_free(&tok);
    return rc;
}

static int match_items(app_ctx *c, const compiled *k, int64_t from, int64_t *last,
                       listen_summary *out)
{
    pl_feed_item *items;
    int n;
    int rc = store_listen_items_after(c->db, from, LISTEN_BATCH, c->a, &items, &n);
    if (rc) return rc;
    if (n == LISTEN_BATCH) out->more = true;
    int64_t *hits = arena_alloc(c->a, sizeof *hits * (k->n ? k->n : 1));
    listen_tokens tok = LISTEN_TOKENS_INIT;
    for (int i = 0; i < n && !rc; i++) {
        const pl_feed_item *it = &items[i];
        *last = it->id;
        out->items++;
        if (!k->n) continue;
        const char *text =
            arena_printf(c->a, "%s\n%s", it->title ? it->title : "", it->text ? it->text : "");
        listen_tokenize(text, strlen(text), &tok);
        watchq_doc doc = {.tokens = &tok};
        size_t hit = watchq_set_match(k->set, &doc, hits, k->n);
        int tone = hit ? tone_milli_of(text) : 0;
        for (size_t j = 0; j < hit && !rc; j++) {
            bool is_new = false;
            rc = store_watch_feed_match_add(c->db, hits[j], it->id, tone, it->fetched_at, &is_new);
            out->matches += is_new;
        }
    }
    listen_tokens_free(&tok);
    return rc;
}

int listen_step(app_ctx *c, listen_worker *w, listen_summary *out)
{
    *out = (listen_summary){0};
    int rc = app_txn_begin(c);
    if (rc) return rc;
    bool got = false;
    rc = store_listen_lease(c->db, w->holder, c->now, c->now + LISTEN_LEASE_MS, &got);
    if (rc || !got) {
        out->not_leader = !rc;
        return app_txn_end(c, rc);
    }
    pl_listen_state st;
    if ((rc = store_listen_state(c->db, &st))) return app_txn_end(c, rc);
    compiled *k = compiled_take(c, st.version);
    if (!k) return app_txn_end(c, PL_EDB);
    /* posts: from the cursor less the overlap, those not done yet */
    int64_t floor = id_floor_for_ms(c->now - LISTEN_OVERLAP_MS);
    int64_t from = st.status_cursor < floor ? st.status_cursor : floor;
    if (from < 0) from = 0;
    int64_t last_post = st.status_cursor, last_item = st.item_cursor;
    rc = match_posts(c, w, k, from, &last_post, out);
    if (!rc) rc = match_items(c, k, st.item_cursor, &last_item, out);
    compiled_drop(k);
    /* the cursor stays LISTEN_OVERLAP_MS behind now: what was done above it is remembered */
    int64_t cursor = last_post < floor ? last_post : floor;
    if (cursor < st.status_cursor) cursor = st.status_cursor;
    if (!rc) rc = store_listen_cursors_set(c->db, cursor, last_item);
    rc = app_txn_end(c, rc);
    if (!rc) worker_forget_below(w, cursor);
    return rc;
}
