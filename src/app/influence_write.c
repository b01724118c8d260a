/*
 * influence_write.c — step 3 of a computation (app/influence.c): weigh the chosen signals
 * (app/influence_math.c), calibrate the score, sum each person's breakdown, posts, day and
 * topics, and write them in short transactions under a run made current in one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/influence_internal.h"
#include "store/influence.h"
#include "util/buf.h"
#include "util/timeutil.h"

enum {
    WRITE_BATCH = 50,        /* people per write transaction, at most */
    WRITE_BYTES = 64 * 1024, /* and about this many bytes of text */
    PRUNE_BATCH = 2000,      /* rows per pruning transaction */
    EXIST_BATCH = 200,       /* posts asked about at once: are they still there? */
};

/* One item of a breakdown being summed: a key of two numbers, and its raw. */
typedef struct {
    int64_t k1, k2, raw;
} item;

typedef struct {
    item *v;
    int n, cap;
} items;

static bool items_add(items *l, int64_t k1, int64_t k2, int64_t raw)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        item *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v) return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (item){k1, k2, raw};
    return true;
}

static int cmp_item_key(const void *x, const void *y)
{
    const item *p = x, *q = y;
    if (p->k1 != q->k1) return p->k1 < q->k1 ? -1 : 1;
    return p->k2 < q->k2 ? -1 : p->k2 > q->k2;
}

static int cmp_item_raw(const void *x, const void *y)
{
    const item *p = x, *q = y;
    if (p->raw != q->raw) return p->raw > q->raw ? -1 : 1;
    return cmp_item_key(x, y);
}

/* Adds up the items of equal keys, in key order. */
static void items_merge_keys(items *l)
{
    if (!l->n) return;
    qsort(l->v, (size_t)l->n, sizeof *l->v, cmp_item_key);
    int k = 0;
    for (int i = 1; i < l->n; i++) {
        if (l->v[i].k1 == l->v[k].k1 && l->v[i].k2 == l->v[k].k2)
            l->v[k].raw += l->v[i].raw;
        else
            l->v[++k] = l->v[i];
    }
    l->n = k + 1;
}

/* Adds up the items of equal keys, then orders them by raw, largest first (ties by key). */
static void items_merge(items *l)
{
    items_merge_keys(l);
    if (l->n) qsort(l->v, (size_t)l->n, sizeof *l->v, cmp_item_raw);
}

/* The place keys (k1) of the breakdown by place. */
enum { PLACE_FEED = 0, PLACE_PROFILE = 1, PLACE_CHANNEL = 2, PLACE_TAG = 3 };

/* One person's sums, reused from person to person. */
typedef struct {
    items place, topic, engager, posts, expertise, top;
    int64_t by_type[SIG_TYPES];
    int64_t raw, fresh;
} sums;

static void sums_free(sums *s)
{
    free(s->place.v);
    free(s->topic.v);
    free(s->engager.v);
    free(s->posts.v);
    free(s->expertise.v);
    free(s->top.v);
}

/* Sums person a's signals (idx[from … to), indexes of j->sig). */
static bool sum_person(job *j, const int32_t *idx, int64_t from, int64_t to, int64_t fresh_after,
                       sums *s)
{
    s->place.n = s->topic.n = s->engager.n = s->posts.n = s->expertise.n = 0;
    memset(s->by_type, 0, sizeof s->by_type);
    s->raw = s->fresh = 0;
    bool ok = true;
    for (int64_t x = from; ok && x < to; x++) {
        const inf_signal *g = &j->sig[idx[x]];
        int64_t c = g->contrib;
        if (!c) continue;
        s->raw += c;
        s->by_type[g->type] += c;
        if (j->since + (int64_t)g->t * 1000 > fresh_after) s->fresh += c;
        const post *p = g->post >= 0 ? &j->posts[g->post] : NULL;
        if (!p)
            ok = items_add(&s->place, PLACE_PROFILE, 0, c);
        else if (p->channel_id)
            ok = items_add(&s->place, PLACE_CHANNEL, p->channel_id, c);
        else if (p->tag >= 0)
            ok = items_add(&s->place, PLACE_TAG, p->tag, c);
        else
            ok = items_add(&s->place, PLACE_FEED, 0, c);
        const mark *m = p && p->topic >= 0 ? &j->marks[p->topic] : NULL;
        /* k1: the private channel it came from (0: none), k2: the topic's name, interned,
         * times 4 plus its class (-1 unclassified: that says nothing of a channel) */
        if (ok)
            ok = items_add(&s->topic, m && p->private_channel ? p->channel_id : 0,
                           m ? (int64_t)m->topic * 4 + m->klass : -1, c);
        if (ok)
            ok = items_add(&s->engager, g->flags & INF_PUBLIC ? 0 : 1,
                           g->flags & INF_PUBLIC ? j->acc[g->e].id : 0, c);
        /* k2 1: in public and on their own post (what expertise counts) */
        if (ok && p)
            ok = items_add(&s->posts, p->id, (g->flags & INF_PUBLIC) && p->author == g->a, c);
    }
    return ok;
}

/* Expertise keys (k1 of sums.expertise): a hashtag's or a topic's interned index. */
#define EXPERT_TAG(i) ((int64_t)(i))
#define EXPERT_TOPIC(i) (((int64_t)1 << 32) | (int64_t)(i))

static int cmp_expert(const void *x, const void *y)
{
    const item *p = x, *q = y;
    if (p->k1 != q->k1) return p->k1 < q->k1 ? -1 : 1;
    if (p->raw != q->raw) return p->raw > q->raw ? -1 : 1;
    return p->k2 < q->k2 ? -1 : p->k2 > q->k2;
}

/* A person's topics from their posts' public contributions (sums.posts, merged): each post
 * counts fully for each of its hashtags and topics. Leaves in s->top one item per topic
 * (k1 the key, raw its sum, k2 the index in s->expertise of its first, most engaged post),
 * the largest first, at most INFLUENCE_EXPERTISE_PER_PERSON of at least the minimum. */
static bool sum_expertise(job *j, sums *s)
{
    s->expertise.n = s->top.n = 0;
    for (int i = 0; i < s->posts.n; i++) {
        const item *it = &s->posts.v[i];
        if (it->k2 != 1 || it->raw <= 0) continue;
        const post *p = &j->posts[influence_post_find(j, it->k1)];
        int64_t keys[64];
        int nk = 0;
        if (p->channel_id) {
            int m = influence_mark_of_channel(j, p->channel_id);
            if (m >= 0) keys[nk++] = EXPERT_TOPIC(j->marks[m].topic_key);
        }
        for (int k = 0; k < p->tags_n && nk < 62; k++) {
            int t = j->post_tags[p->tags_at + k];
            keys[nk++] = EXPERT_TAG(t);
            for (int m = 0; m < j->n_marks; m++)
                if (j->marks[m].tag == t) keys[nk++] = EXPERT_TOPIC(j->marks[m].topic_key);
        }
        for (int k = 0; k < nk; k++) {
            bool seen = false;
            for (int q = 0; q < k && !seen; q++) seen = keys[q] == keys[k];
            if (!seen && !items_add(&s->expertise, keys[k], it->k1, it->raw)) return false;
        }
    }
    if (!s->expertise.n) return true;
    qsort(s->expertise.v, (size_t)s->expertise.n, sizeof *s->expertise.v, cmp_expert);
    for (int i = 0; i < s->expertise.n;) {
        int from = i;
        int64_t sum = 0;
        for (; i < s->expertise.n && s->expertise.v[i].k1 == s->expertise.v[from].k1; i++)
            sum += s->expertise.v[i].raw;
        if (sum >= INFLUENCE_EXPERTISE_MIN_RAW &&
            !items_add(&s->top, s->expertise.v[from].k1, from, sum))
            return false;
    }
    if (s->top.n > 1) qsort(s->top.v, (size_t)s->top.n, sizeof *s->top.v, cmp_item_raw);
    if (s->top.n > INFLUENCE_EXPERTISE_PER_PERSON) s->top.n = INFLUENCE_EXPERTISE_PER_PERSON;
    return true;
}

static const char *class_name(int klass)
{
    return klass == TOPIC_WORK ? "work" : klass == TOPIC_SOCIAL ? "social" : "";
}

/* The parts text of store/influence.h: one "<dim> <raw> <key>" line per item. */
static void write_parts(job *j, sums *s, buf *out)
{
    buf_reset(out);
    items_merge(&s->place);
    for (int i = 0; i < s->place.n; i++) {
        const item *it = &s->place.v[i];
        if (it->k1 == PLACE_CHANNEL)
            buf_printf(out, "p %lld channel:%lld\n", (long long)it->raw, (long long)it->k2);
        else if (it->k1 == PLACE_TAG)
            buf_printf(out, "p %lld tag:%s\n", (long long)it->raw, j->tags.names[it->k2]);
        else
            buf_printf(out, "p %lld %s\n", (long long)it->raw,
                       it->k1 == PLACE_PROFILE ? "profile" : "feed");
    }
    /* a topic's points from a private channel name it, so that a reader who may not see the
     * channel does not learn of it (app/influence_view.c folds them into others) */
    items_merge(&s->topic);
    for (int i = 0; i < s->topic.n; i++) {
        const item *it = &s->topic.v[i];
        buf_printf(out, "t %lld ", (long long)it->raw);
        if (it->k1) buf_printf(out, "channel:%lld ", (long long)it->k1);
        if (it->k2 >= 0)
            buf_printf(out, "%s:%s\n", class_name((int)(it->k2 % 4)), j->topics.names[it->k2 / 4]);
        else
            buf_printf(out, "unclassified\n");
    }
    for (int t = 0; t < SIG_TYPES; t++)
        if (s->by_type[t])
            buf_printf(out, "s %lld %s\n", (long long)s->by_type[t], influence_signal_names[t]);
    /* the top engagers in public; the rest, and whoever engaged out of public view, others */
    items_merge(&s->engager);
    int64_t others = 0;
    int shown = 0;
    for (int i = 0; i < s->engager.n; i++) {
        const item *it = &s->engager.v[i];
        if (it->k1 == 0 && shown < INFLUENCE_TOP_ENGAGERS) {
            buf_printf(out, "e %lld %lld\n", (long long)it->raw, (long long)it->k2);
            shown++;
        } else {
            others += it->raw;
        }
    }
    if (others) buf_printf(out, "e %lld others\n", (long long)others);
}

/* base 36, lower case, of v >= 0 */
static void put36(buf *out, int64_t v)
{
    char d[16];
    int n = 0;
    do {
        int r = (int)(v % 36);
        d[n++] = (char)(r < 10 ? '0' + r : 'a' + r - 10);
        v /= 36;
    } while (v);
    while (n) buf_append(out, &d[--n], 1);
}

/* The posts text (store/influence.h): each post's contributions together, by id. */
static void write_posts(sums *s, buf *out)
{
    buf_reset(out);
    /* sums.posts is merged by (post, public): add the two halves of each post */
    int64_t id = 0, raw = 0, last = 0;
    for (int i = 0; i <= s->posts.n; i++) {
        if (i == s->posts.n || s->posts.v[i].k1 != id) {
            if (raw) {
                if (out->len) buf_append(out, " ", 1);
                put36(out, id - last);
                buf_append(out, ":", 1);
                put36(out, raw);
                last = id;
            }
            if (i == s->posts.n) break;
            id = s->posts.v[i].k1;
            raw = 0;
        }
        raw += s->posts.v[i].raw;
    }
}

static bool get36(const char **p, int64_t *v)
{
    const char *s = *p;
    int64_t x = 0;
    int n = 0;
    for (;; s++, n++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'z' ? *s - 'a' + 10 : -1;
        if (d < 0) break;
        if (x > (INT64_MAX - d) / 36) return false;
        x = x * 36 + d;
    }
    *p = s;
    *v = x;
    return n > 0;
}

bool influence_posts_next(const char **text, int64_t *id, int64_t *raw)
{
    const char *p = *text;
    if (!p || !*p) return false;
    if (*p == ' ') p++;
    int64_t delta;
    if (!get36(&p, &delta) || *p != ':') return false;
    p++;
    if (!get36(&p, raw)) return false;
    *id += delta;
    *text = p;
    return true;
}

/* ---- history ------------------------------------------------------------------------------ */

/* What the baseline day's posts that are gone now contributed: for each "<id>:<raw>" of its
 * posts text, whether the post is still there (today's signals name it, else the database
 * says). */
static int deleted_since(job *j, const char *posts, int64_t *deleted)
{
    *deleted = 0;
    int64_t ids[EXIST_BATCH], raws[EXIST_BATCH], id = 0, raw;
    int n = 0;
    for (;;) {
        bool end = !influence_posts_next(&posts, &id, &raw);
        if (!end) {
            int pi = influence_post_find(j, id);
            if (pi >= 0 && j->posts[pi].author >= 0) continue; /* still there */
            ids[n] = id;
            raws[n++] = raw;
        }
        if (n == EXIST_BATCH || (end && n)) {
            bool there[EXIST_BATCH];
            /* the posts text is in id order */
            int rc = store_influence_posts_exist(j->c->db, ids, n, there);
            if (rc) return rc;
            for (int i = 0; i < n; i++)
                if (!there[i]) *deleted -= raws[i];
            n = 0;
        }
        if (end) return PL_OK;
    }
}

/* ---- the run ------------------------------------------------------------------------------ */

/* The baseline's scores, read a page at a time in account order beside the writing. */
typedef struct {
    int64_t run_id, after;
    pl_influence_score *v;
    int n, at;
    bool end;
    arena a;
} baseline_cursor;

/* The baseline's row of account id (NULL: none). */
static int baseline_row(app_ctx *c, baseline_cursor *b, int64_t id, const pl_influence_score **out)
{
    *out = NULL;
    if (!b->run_id) return PL_OK;
    for (;;) {
        while (b->at < b->n && b->v[b->at].account_id < id) b->at++;
        if (b->at < b->n) {
            if (b->v[b->at].account_id == id) *out = &b->v[b->at];
            return PL_OK;
        }
        if (b->end) return PL_OK;
        arena_free(&b->a);
        b->a = (arena)ARENA_INIT;
        int rc = store_influence_scores(c->db, b->run_id, b->after, 500, &b->a, &b->v, &b->n);
        if (rc) return rc;
        b->at = 0;
        if (b->n < 500) b->end = true;
        if (b->n) b->after = b->v[b->n - 1].account_id;
    }
}

/* What a batch writes. */
typedef struct {
    pl_influence_score *scores;
    pl_influence_day *days;
    int n;
    pl_influence_expertise *expertise;
    int n_expertise, cap_expertise;
} batch;

static bool batch_expertise(batch *b, arena *a, const pl_influence_expertise *e)
{
    if (b->n_expertise == b->cap_expertise) {
        int cap = b->cap_expertise ? b->cap_expertise * 2 : 256;
        pl_influence_expertise *v = arena_alloc(a, sizeof *v * (size_t)cap);
        if (b->n_expertise) memcpy(v, b->expertise, sizeof *v * (size_t)b->n_expertise);
        b->expertise = v;
        b->cap_expertise = cap;
    }
    b->expertise[b->n_expertise++] = *e;
    return true;
}

typedef struct {
    job *j;
    const influence_opts *o;
    inf_model *m;
    pl_influence_run run, base;
    bool have_base, comparable;
    const int32_t *idx; /* signal indexes by person */
    const int64_t *off; /* [n_acc + 1]: person i's are idx[off[i] … off[i+1]) */
    baseline_cursor cursor;
    sums s;
    buf parts, posts;
} writer;

/* Person i's rows into the batch. */
static int person_rows(writer *w, int i, arena *a, batch *b)
{
    job *j = w->j;
    sums *s = &w->s;
    int64_t fresh_after = w->have_base ? w->base.at : INT64_MIN;
    if (!sum_person(j, w->idx, w->off[i], w->off[i + 1], fresh_after, s)) return PL_ENOMEM;
    items_merge_keys(&s->posts);
    if (!sum_expertise(j, s)) return PL_ENOMEM;
    write_parts(j, s, &w->parts);
    write_posts(s, &w->posts);
    int64_t id = j->acc[i].id;
    pl_influence_score *sc = &b->scores[b->n];
    *sc = (pl_influence_score){.run_id = w->run.id,
                               .account_id = id,
                               .raw = s->raw,
                               .score =
                                   influence_score_of(s->raw, w->run.median_raw, w->run.beta_milli),
                               .standing_milli = (int)lround(w->m->standing[i] * 1000.0),
                               .parts = arena_strndup(a, w->parts.data, w->parts.len),
                               .posts = arena_strndup(a, w->posts.data, w->posts.len)};
    pl_influence_day *d = &b->days[b->n++];
    *d = (pl_influence_day){.account_id = id,
                            .day = w->run.day,
                            .prev_day = -1,
                            .run_id = w->run.id,
                            .raw = s->raw,
                            .score = sc->score,
                            .new_raw = s->raw,
                            .method_version = INFLUENCE_METHOD_VERSION};
    if (w->have_base) {
        const pl_influence_score *prev;
        int rc = baseline_row(w->j->c, &w->cursor, id, &prev);
        if (rc) return rc;
        int64_t delta = s->raw - (prev ? prev->raw : 0);
        d->prev_day = w->base.day;
        if (!w->comparable) {
            d->new_raw = 0;
            d->method_raw = delta;
        } else {
            int64_t deleted = 0;
            if (prev && (rc = deleted_since(j, prev->posts, &deleted))) return rc;
            d->new_raw = s->fresh;
            d->deleted_raw = deleted;
            d->older_raw = delta - s->fresh - deleted;
        }
    }
    for (int t = 0; t < s->top.n; t++) {
        const item *it = &s->top.v[t];
        char posts[80];
        int len = 0;
        for (int k = (int)it->k2;
             k < s->expertise.n && k < it->k2 + 3 && s->expertise.v[k].k1 == it->k1; k++)
            len += snprintf(posts + len, sizeof posts - (size_t)len, "%s%lld", len ? " " : "",
                            (long long)s->expertise.v[k].k2);
        int64_t key = it->k1 & 0xffffffffLL;
        const char *topic = it->k1 >> 32 ? arena_strdup(a, j->topics.names[key])
                                         : arena_printf(a, "#%s", j->tags.names[key]);
        batch_expertise(b, a,
                        &(pl_influence_expertise){.run_id = w->run.id,
                                                  .topic = topic,
                                                  .account_id = id,
                                                  .raw = it->raw,
                                                  .posts = arena_strdup(a, posts)});
    }
    return PL_OK;
}

/* Writes a batch in one transaction, renewing the lease; *ms: how long it held the lock. */
static int write_batch(writer *w, const batch *b, int64_t *ms)
{
    app_ctx *c = w->j->c;
    int64_t began = time_now_ms();
    int rc = db_begin(c->db);
    if (rc) return rc;
    for (int i = 0; !rc && i < b->n; i++) {
        rc = store_influence_score_put(c->db, &b->scores[i]);
        if (!rc) rc = store_influence_day_put(c->db, &b->days[i]);
    }
    for (int i = 0; !rc && i < b->n_expertise; i++)
        rc = store_influence_expertise_put(c->db, &b->expertise[i]);
    bool got = true;
    if (!rc && w->o->who)
        rc = store_influence_lease(c->db, w->o->who, c->now, time_now_ms() + LEASE_MS, &got);
    if (!rc && !got) rc = PL_ECONFLICT; /* another took it: this run is no longer the one */
    rc = rc ? (db_rollback(c->db), rc) : db_commit(c->db);
    *ms = time_now_ms() - began;
    return rc;
}

/* Writes everyone's rows, WRITE_BATCH people per transaction. */
static int write_people(writer *w, influence_summary *out)
{
    job *j = w->j;
    int per = w->o->batch > 0 ? w->o->batch : WRITE_BATCH;
    int rc = PL_OK;
    for (int i = 0; !rc && i < j->n_acc;) {
        arena a = ARENA_INIT;
        batch b = {.scores = arena_alloc(&a, sizeof *b.scores * (size_t)per),
                   .days = arena_alloc(&a, sizeof *b.days * (size_t)per)};
        size_t bytes = 0;
        for (; !rc && i < j->n_acc && b.n < per && bytes < WRITE_BYTES; i++) {
            if (!j->author_ok[i]) continue;
            int had = b.n_expertise;
            rc = person_rows(w, i, &a, &b);
            bytes += w->parts.len + w->posts.len + 64 * (size_t)(b.n_expertise - had + 2);
        }
        int64_t ms = 0;
        if (!rc && b.n) rc = write_batch(w, &b, &ms);
        arena_free(&a);
        if (ms > out->longest_txn_ms) out->longest_txn_ms = ms;
        if (!rc && b.n && w->o->after_batch) w->o->after_batch(w->o->ud, ms);
    }
    return rc;
}

/* Signal indexes grouped by person (a counting sort). */
static int by_person(job *j, int32_t **idx, int64_t **off)
{
    *idx = malloc(sizeof **idx * (size_t)(j->n_sig ? j->n_sig : 1));
    *off = calloc((size_t)j->n_acc + 1, sizeof **off);
    if (!*idx || !*off) return PL_ENOMEM;
    for (int64_t i = 0; i < j->n_sig; i++) (*off)[j->sig[i].a + 1]++;
    for (int i = 0; i < j->n_acc; i++) (*off)[i + 1] += (*off)[i];
    int64_t *at = malloc(sizeof *at * (size_t)(j->n_acc ? j->n_acc : 1));
    if (!at) return PL_ENOMEM;
    memcpy(at, *off, sizeof *at * (size_t)j->n_acc);
    for (int64_t i = 0; i < j->n_sig; i++) (*idx)[at[j->sig[i].a]++] = (int32_t)i;
    free(at);
    return PL_OK;
}

int influence_write(job *j, const influence_opts *o, influence_summary *out)
{
    app_ctx *c = j->c;
    int64_t began = time_now_ms();
    int n = j->n_acc;
    int64_t *created = malloc(sizeof *created * (size_t)(n ? n : 1));
    double *standing = malloc(sizeof *standing * (size_t)(n ? n : 1));
    int64_t *raw = calloc((size_t)(n ? n : 1), sizeof *raw);
    int64_t *raws = malloc(sizeof *raws * (size_t)(n ? n : 1));
    int32_t *idx = NULL;
    int64_t *off = NULL;
    writer w = {.j = j, .o = o};
    int rc = created && standing && raw && raws ? PL_OK : PL_ENOMEM;
    for (int i = 0; !rc && i < n; i++) created[i] = j->acc[i].created_at;
    inf_model m = {.n_accounts = n,
                   .created_at = created,
                   .standing = standing,
                   .raw = raw,
                   .sig = j->sig,
                   .n_sig = j->n_sig,
                   .window_start = j->since,
                   .at = j->at,
                   .half_life_ms = (double)c->cfg->influence_half_life_days * DAY_MS};
    w.m = &m;
    if (!rc) {
        if (!inf_weigh(&m)) rc = PL_ENOMEM; /* sorted when chosen */
    }
    int people = 0, scored = 0;
    for (int i = 0; !rc && i < n; i++)
        if (j->author_ok[i]) {
            raws[people++] = raw[i];
            if (raw[i] > 0) scored++;
        }
    w.run = (pl_influence_run){.id = app_new_id(c),
                               .day = (int)(j->at / DAY_MS),
                               .at = j->at,
                               .method_version = INFLUENCE_METHOD_VERSION,
                               .window_days = c->cfg->influence_window_days,
                               .half_life_days = c->cfg->influence_half_life_days,
                               .people = people,
                               .scored = scored,
                               .signals = j->n_sig};
    if (!rc) {
        influence_calibrate(raws, people, &w.run.median_raw, &w.run.p95_raw, &w.run.beta_milli);
        rc = by_person(j, &idx, &off);
    }
    out->compute_ms = time_now_ms() - began;
    began = time_now_ms();
    if (!rc) {
        int r2 = store_influence_baseline(c->db, w.run.day, &w.base);
        if (r2 && r2 != PL_ENOTFOUND) rc = r2;
        w.have_base = !r2;
        w.comparable = w.have_base && w.base.method_version == INFLUENCE_METHOD_VERSION &&
                       w.base.window_days == w.run.window_days &&
                       w.base.half_life_days == w.run.half_life_days;
        w.cursor.run_id = w.have_base ? w.base.id : 0;
    }
    if (!rc && !(rc = db_begin(c->db))) {
        rc = store_influence_run_begin(c->db, &w.run);
        rc = rc ? (db_rollback(c->db), rc) : db_commit(c->db);
    }
    w.idx = idx;
    w.off = off;
    if (!rc) rc = write_people(&w, out);
    if (!rc && !(rc = db_begin(c->db))) {
        w.run.took_ms = (int)(time_now_ms() - began + out->read_ms + out->compute_ms);
        w.run.finished_at = time_now_ms();
        rc = store_influence_run_finish(c->db, &w.run);
        rc = rc ? (db_rollback(c->db), rc) : db_commit(c->db);
    }
    int keep_from = w.run.day - c->cfg->influence_history_days;
    for (bool more = true; !rc && more;) {
        if ((rc = db_begin(c->db))) break;
        rc = store_influence_prune(c->db, PRUNE_BATCH, keep_from, &more);
        rc = rc ? (db_rollback(c->db), rc) : db_commit(c->db);
    }
    out->write_ms = time_now_ms() - began;
    out->run_id = w.run.id;
    out->people = people;
    out->scored = scored;
    out->counted = j->n_sig;
    out->median_raw = w.run.median_raw;
    out->p95_raw = w.run.p95_raw;
    out->beta_milli = w.run.beta_milli;
    arena_free(&w.cursor.a);
    sums_free(&w.s);
    buf_free(&w.parts);
    buf_free(&w.posts);
    free(created);
    free(standing);
    free(raw);
    free(raws);
    free(idx);
    free(off);
    return rc;
}
