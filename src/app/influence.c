/*
 * influence.c — a computation of everyone's influence (app/influence.h; the method is
 * docs/influence.md).
 *
 * 1. Read, in one snapshot: the accounts, the administrators' topic marks, the window's
 *    signals, the posts they are about with their hashtags.
 * 2. Choose: the rules of "The signals" — who counts, what they could see (audience_can_see,
 *    the one function that decides, asked as each engager in turn, so that their relations
 *    are read once) — then weigh (app/influence_math.c).
 * 3. Sum each person's contributions into raw, the breakdown, the per-post list, the day's
 *    change and their topics; calibrate; write it all in short transactions under a new run,
 *    and make that run current in one.
 *
 * Memory: about 40 bytes per signal of the window while it runs (app/influence_math.h), and
 * what a person's rows hold while they are written; nothing is kept after.
 */
#include "influence.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/influence_math.h"
#include "store/influence.h"
#include "store/visibility.h"
#include "util/buf.h"
#include "util/timeutil.h"

enum {
    LEASE_MS = 30 * 60 * 1000, /* a computation's lease; renewed after each batch */
    WRITE_BATCH = 200,         /* people per write transaction */
    PRUNE_BATCH = 2000,        /* rows per pruning transaction */
    EXIST_BATCH = 200,         /* posts asked about at once: are they still there? */
};

#define DAY_MS 86400000LL

/* ---- what a computation holds ---------------------------------------------------------- */

/* A hashtag or a topic name, interned. */
typedef struct {
    char **names;
    int n, cap;
    int *slots; /* open addressing: index + 1, 0 empty */
    int n_slots;
} interned;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The index of name, added if new; -1 when memory ran out. */
static int intern(interned *t, const char *name)
{
    if (t->n * 2 >= t->n_slots) {
        int ns = t->n_slots ? t->n_slots * 2 : 256;
        int *slots = calloc((size_t)ns, sizeof *slots);
        if (!slots) return -1;
        for (int i = 0; i < t->n; i++) {
            uint64_t h = hash_str(t->names[i]) & (uint64_t)(ns - 1);
            while (slots[h]) h = (h + 1) & (uint64_t)(ns - 1);
            slots[h] = i + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->n_slots = ns;
    }
    uint64_t h = hash_str(name) & (uint64_t)(t->n_slots - 1);
    while (t->slots[h]) {
        if (!strcmp(t->names[t->slots[h] - 1], name)) return t->slots[h] - 1;
        h = (h + 1) & (uint64_t)(t->n_slots - 1);
    }
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 256;
        char **v = realloc(t->names, sizeof *v * (size_t)cap);
        if (!v) return -1;
        t->names = v;
        t->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) return -1;
    t->names[t->n] = copy;
    t->slots[h] = t->n + 1;
    return t->n++;
}

static void interned_free(interned *t)
{
    for (int i = 0; i < t->n; i++) free(t->names[i]);
    free(t->names);
    free(t->slots);
}

/* A post a signal is about. */
typedef struct {
    int64_t id;
    pl_influence_post rec;
    int32_t author;          /* account index; -1: the post is gone */
    int32_t tag;             /* its first hashtag (alphabetically), interned; -1 none */
    int32_t topic;           /* its topic: an index of job.marks; -1 none */
    int32_t tags_at, tags_n; /* its hashtags: job.post_tags[tags_at …] */
} post;

/* An administrator's mark, as the computation uses it. */
typedef struct {
    int64_t channel_id;
    int32_t tag; /* interned; -1 for a channel's */
    int klass;
    int32_t topic;     /* its name, interned in job.topics */
    int32_t topic_key; /* interned "<topic name, lower case>" for expertise */
} mark;

typedef struct {
    app_ctx *c;
    int64_t at, since;
    pl_influence_account *acc;
    int n_acc;
    bool *author_ok; /* [n_acc]: has a score */
    inf_signal *sig;
    int64_t *sig_post; /* the post id of each signal while reading */
    int64_t n_sig, cap_sig, read;
    post *posts;
    int n_posts;
    int32_t *post_tags; /* every post's hashtags, interned */
    int n_post_tags, cap_post_tags;
    interned tags, topics;
    mark *marks;
    int n_marks;
    int rc;
} job;

static int acc_index(const job *j, int64_t id)
{
    int lo = 0, hi = j->n_acc;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (j->acc[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->n_acc && j->acc[lo].id == id ? lo : -1;
}

static int post_index(const job *j, int64_t id)
{
    int lo = 0, hi = j->n_posts;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (j->posts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->n_posts && j->posts[lo].id == id ? lo : -1;
}

static void job_free(job *j)
{
    free(j->author_ok);
    free(j->sig);
    free(j->sig_post);
    free(j->posts);
    free(j->post_tags);
    interned_free(&j->tags);
    interned_free(&j->topics);
    free(j->marks);
}

/* ---- 1. reading ---------------------------------------------------------------------- */

/* Keeps a signal read from the store if its engager may give one (the rules about posts
 * come once the posts are read). */
static int take_signal(void *ud, const pl_signal *g)
{
    job *j = ud;
    j->read++;
    if (g->at > j->at || g->at < j->since) return 0;
    int e = acc_index(j, g->engager);
    if (e < 0) return 0;
    const pl_influence_account *ea = &j->acc[e];
    bool from_channel = ea->is_group;
    if (ea->is_disabled || ea->is_suspended || (from_channel && g->type != SIG_PIN)) return 0;
    int a = -1;
    if (g->author) {
        if ((a = acc_index(j, g->author)) < 0 || !j->author_ok[a] || a == e) return 0;
    }
    if (g->via_visibility == PL_VIS_DIRECT) return 0;
    if (j->n_sig == j->cap_sig) {
        int64_t cap = j->cap_sig ? j->cap_sig * 2 : 65536;
        inf_signal *s = realloc(j->sig, sizeof *s * (size_t)cap);
        if (!s) return PL_ENOMEM;
        j->sig = s;
        int64_t *p = realloc(j->sig_post, sizeof *p * (size_t)cap);
        if (!p) return PL_ENOMEM;
        j->sig_post = p;
        j->cap_sig = cap;
    }
    bool open_via = g->via_visibility < 0 || g->via_visibility == PL_VIS_PUBLIC ||
                    g->via_visibility == PL_VIS_UNLISTED || g->via_visibility == PL_VIS_COMPANY;
    j->sig[j->n_sig] = (inf_signal){
        .e = e,
        .a = a,
        .post = -1,
        .t = (int32_t)((g->at - j->since) / 1000),
        .type = (uint8_t)g->type,
        .flags = (uint8_t)((open_via ? INF_PUBLIC : 0) | (from_channel ? INF_FROM_CHANNEL : 0))};
    j->sig_post[j->n_sig++] = g->post_id;
    return 0;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return p < q ? -1 : p > q;
}

static int take_post(void *ud, const pl_influence_post *p)
{
    job *j = ud;
    int i = post_index(j, p->id);
    if (i < 0) return 0;
    j->posts[i].rec = *p;
    j->posts[i].author = acc_index(j, p->account_id);
    return 0;
}

static int take_tag(void *ud, int64_t post_id, const char *tag)
{
    job *j = ud;
    int i = post_index(j, post_id);
    if (i < 0 || !tag) return 0;
    int t = intern(&j->tags, tag);
    if (t < 0) return PL_ENOMEM;
    post *p = &j->posts[i];
    if (p->tag < 0) {
        p->tag = t;
        p->tags_at = j->n_post_tags;
    }
    if (j->n_post_tags == j->cap_post_tags) {
        int cap = j->cap_post_tags ? j->cap_post_tags * 2 : 4096;
        int32_t *v = realloc(j->post_tags, sizeof *v * (size_t)cap);
        if (!v) return PL_ENOMEM;
        j->post_tags = v;
        j->cap_post_tags = cap;
    }
    j->post_tags[j->n_post_tags++] = t;
    p->tags_n++;
    return 0;
}

/* The posts the signals are about, with their hashtags. */
static int read_posts(job *j)
{
    int64_t *ids = malloc(sizeof *ids * (size_t)(j->n_sig ? j->n_sig : 1));
    if (!ids) return PL_ENOMEM;
    int64_t n = 0;
    for (int64_t i = 0; i < j->n_sig; i++)
        if (j->sig_post[i]) ids[n++] = j->sig_post[i];
    qsort(ids, (size_t)n, sizeof *ids, cmp_i64);
    int64_t u = 0;
    for (int64_t i = 0; i < n; i++)
        if (u == 0 || ids[u - 1] != ids[i]) ids[u++] = ids[i];
    j->posts = calloc((size_t)(u ? u : 1), sizeof *j->posts);
    if (!j->posts) {
        free(ids);
        return PL_ENOMEM;
    }
    j->n_posts = (int)u;
    for (int i = 0; i < j->n_posts; i++)
        j->posts[i] = (post){.id = ids[i], .author = -1, .tag = -1, .topic = -1};
    int rc = store_influence_posts(j->c->db, ids, (int)u, take_post, j);
    if (!rc) rc = store_influence_post_tags(j->c->db, ids, (int)u, take_tag, j);
    free(ids);
    return rc;
}

static int mark_of_channel(const job *j, int64_t channel_id)
{
    for (int i = 0; i < j->n_marks; i++)
        if (j->marks[i].channel_id == channel_id && j->marks[i].tag < 0) return i;
    return -1;
}

/* The administrators' marks, and each post's topic: its channel's, else its first hashtag's
 * that has one. */
static int read_marks(job *j)
{
    arena a = ARENA_INIT;
    pl_influence_topic *t;
    int n, rc = store_influence_topics(j->c->db, &a, &t, &n);
    if (!rc && n && !(j->marks = calloc((size_t)n, sizeof *j->marks))) rc = PL_ENOMEM;
    for (int i = 0; !rc && i < n; i++) {
        mark *m = &j->marks[j->n_marks];
        char key[256];
        snprintf(key, sizeof key, "%s", t[i].topic ? t[i].topic : "");
        for (char *k = key; *k; k++)
            if (*k >= 'A' && *k <= 'Z') *k = (char)(*k - 'A' + 'a');
        int tk = intern(&j->topics, t[i].topic ? t[i].topic : "");
        int kk = intern(&j->topics, key);
        int tg = t[i].tag ? intern(&j->tags, t[i].tag) : -1;
        if (tk < 0 || kk < 0 || (t[i].tag && tg < 0)) {
            rc = PL_ENOMEM;
            break;
        }
        *m = (mark){.channel_id = t[i].tag ? 0 : t[i].channel_id,
                    .tag = tg,
                    .klass = t[i].klass,
                    .topic = tk,
                    .topic_key = kk};
        j->n_marks++;
    }
    arena_free(&a);
    return rc;
}

static void posts_topics(job *j)
{
    if (!j->n_marks) return;
    /* a hashtag's mark by its interned index */
    int *of_tag = malloc(sizeof *of_tag * (size_t)(j->tags.n ? j->tags.n : 1));
    if (!of_tag) return; /* no topics then: every signal unclassified */
    for (int i = 0; i < j->tags.n; i++) of_tag[i] = -1;
    for (int i = 0; i < j->n_marks; i++)
        if (j->marks[i].tag >= 0) of_tag[j->marks[i].tag] = i;
    for (int i = 0; i < j->n_posts; i++) {
        post *p = &j->posts[i];
        if (p->rec.channel_id) p->topic = mark_of_channel(j, p->rec.channel_id);
        for (int k = 0; p->topic < 0 && k < p->tags_n; k++)
            p->topic = of_tag[j->post_tags[p->tags_at + k]];
    }
    free(of_tag);
}

/* ---- 2. choosing ------------------------------------------------------------------------- */

static bool open_to_members(int visibility)
{
    return visibility == PL_VIS_PUBLIC || visibility == PL_VIS_UNLISTED ||
           visibility == PL_VIS_COMPANY;
}

/* Whether signal i counts: its post's rules, and what its engager could see (asked as that
 * engager: the caller switches the context's viewer). Sets its person and post. */
static bool counts(job *j, int64_t i)
{
    inf_signal *s = &j->sig[i];
    if (!j->sig_post[i]) return s->a >= 0; /* a follow */
    int pi = post_index(j, j->sig_post[i]);
    if (pi < 0) return false;
    post *p = &j->posts[pi];
    if (p->author < 0 || p->rec.visibility == PL_VIS_DIRECT || p->rec.channel_removed) return false;
    s->post = pi;
    const pl_channel *ch = p->rec.channel_id ? app_channel(j->c, p->rec.channel_id) : NULL;
    if (p->rec.channel_id && !ch) return false;
    bool open = open_to_members(p->rec.visibility) && (!ch || !ch->is_private);
    if (!open) s->flags &= (uint8_t)~INF_PUBLIC;
    if (s->type == SIG_MENTION) return s->a >= 0 && p->author == s->e; /* their own post */
    if (p->author == s->e || !j->author_ok[p->author]) return false;
    s->a = p->author;
    if (s->flags & INF_FROM_CHANNEL) return true; /* a pin by the channel itself */
    pl_status st = {.id = p->id,
                    .account_id = p->rec.account_id,
                    .visibility = p->rec.visibility,
                    .channel_id = p->rec.channel_id,
                    .channel_removed = p->rec.channel_removed,
                    .audience_list_id = p->rec.audience_list_id,
                    .mentions_count = p->rec.mentions_count};
    return audience_can_see(j->c, j->acc[s->e].id, &st);
}

static int cmp_by_engager(const void *x, const void *y)
{
    const inf_signal *p = x, *q = y;
    return p->e < q->e ? -1 : p->e > q->e;
}

/* Keeps the signals that count. The context answers as each engager in turn: their blocks,
 * follows and memberships are read once, in an arena of their own. */
static int choose(job *j)
{
    app_ctx *c = j->c;
    /* the channels first, into the context's lasting arena (the engagers' arenas go) */
    for (int i = 0; i < j->n_posts; i++)
        if (j->posts[i].rec.channel_id) (void)app_channel(c, j->posts[i].rec.channel_id);
    /* by engager, keeping each signal's post id beside it */
    int64_t *order = malloc(sizeof *order * (size_t)(j->n_sig ? j->n_sig : 1));
    if (!order) return PL_ENOMEM;
    for (int64_t i = 0; i < j->n_sig; i++) {
        j->sig[i].base = (double)i; /* the original position, while sorting */
    }
    qsort(j->sig, (size_t)j->n_sig, sizeof *j->sig, cmp_by_engager);
    for (int64_t i = 0; i < j->n_sig; i++) order[i] = j->sig_post[(int64_t)j->sig[i].base];
    memcpy(j->sig_post, order, sizeof *order * (size_t)j->n_sig);
    free(order);

    arena *lasting = c->a;
    bool was_read_only = c->read_only;
    int64_t was_viewer = c->viewer_id;
    c->read_only = true;
    int64_t kept = 0;
    for (int64_t i = 0; i < j->n_sig;) {
        int e = j->sig[i].e;
        arena mine = ARENA_INIT;
        c->a = &mine;
        c->viewer_id = j->acc[e].id;
        c->viewer = NULL;
        c->accounts = NULL;
        c->statuses = NULL;
        for (; i < j->n_sig && j->sig[i].e == e; i++) {
            if (!counts(j, i)) continue;
            j->sig[kept] = j->sig[i];
            j->sig_post[kept++] = j->sig_post[i];
        }
        c->viewer = NULL;
        c->accounts = NULL;
        c->statuses = NULL;
        c->a = lasting;
        arena_free(&mine);
    }
    c->read_only = was_read_only;
    c->viewer_id = was_viewer;
    j->n_sig = kept;
    free(j->sig_post);
    j->sig_post = NULL;
    return PL_OK;
}

/* ---- 3. summing and writing ------------------------------------------------------------ */

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
        else if (p->rec.channel_id)
            ok = items_add(&s->place, PLACE_CHANNEL, p->rec.channel_id, c);
        else if (p->tag >= 0)
            ok = items_add(&s->place, PLACE_TAG, p->tag, c);
        else
            ok = items_add(&s->place, PLACE_FEED, 0, c);
        const mark *m = p && p->topic >= 0 ? &j->marks[p->topic] : NULL;
        /* k1: the class (0 unclassified), k2: the topic's name, interned */
        if (ok) ok = items_add(&s->topic, m ? m->klass : 0, m ? m->topic : -1, c);
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
        const post *p = &j->posts[post_index(j, it->k1)];
        int64_t keys[64];
        int nk = 0;
        if (p->rec.channel_id) {
            int m = mark_of_channel(j, p->rec.channel_id);
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
    qsort(s->top.v, (size_t)s->top.n, sizeof *s->top.v, cmp_item_raw);
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
    items_merge(&s->topic);
    for (int i = 0; i < s->topic.n; i++) {
        const item *it = &s->topic.v[i];
        if (it->k1)
            buf_printf(out, "t %lld %s:%s\n", (long long)it->raw, class_name((int)it->k1),
                       j->topics.names[it->k2]);
        else
            buf_printf(out, "t %lld unclassified\n", (long long)it->raw);
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

/* The posts text: "<id>:<raw>" per post, all its contributions together. */
static void write_posts(sums *s, buf *out)
{
    buf_reset(out);
    /* sums.posts is merged by (post, public): add the two halves of each post */
    int64_t id = 0, raw = 0;
    for (int i = 0; i <= s->posts.n; i++) {
        if (i == s->posts.n || s->posts.v[i].k1 != id) {
            if (raw)
                buf_printf(out, "%s%lld:%lld", out->len ? " " : "", (long long)id, (long long)raw);
            if (i == s->posts.n) break;
            id = s->posts.v[i].k1;
            raw = 0;
        }
        raw += s->posts.v[i].raw;
    }
}

/* ---- history ------------------------------------------------------------------------------ */

/* What the baseline day's posts that are gone now contributed: for each "<id>:<raw>" of its
 * posts text, whether the post is still there (today's signals name it, else the database
 * says). */
static int deleted_since(job *j, const char *posts, int64_t *deleted)
{
    *deleted = 0;
    if (!posts || !*posts) return PL_OK;
    int64_t ids[EXIST_BATCH], raws[EXIST_BATCH];
    int n = 0;
    const char *p = posts;
    for (;;) {
        bool end = !*p;
        if (!end) {
            char *e;
            long long id = strtoll(p, &e, 10);
            if (*e != ':') return PL_OK; /* not ours: nothing taken away */
            long long raw = strtoll(e + 1, &e, 10);
            p = *e == ' ' ? e + 1 : e;
            int pi = post_index(j, id);
            if (pi >= 0 && j->posts[pi].author >= 0) continue; /* still there */
            ids[n] = id;
            raws[n++] = raw;
        }
        if (n == EXIST_BATCH || (end && n)) {
            bool there[EXIST_BATCH];
            /* the posts text is in id order (sums.posts is sorted by id) */
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
        for (; !rc && i < j->n_acc && b.n < per; i++)
            if (j->author_ok[i]) rc = person_rows(w, i, &a, &b);
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

/* Reads the snapshot and chooses the signals that count (1 and 2 above). */
static int read_all(job *j)
{
    app_ctx *c = j->c;
    int rc = db_begin_read(c->db);
    if (rc) return rc;
    rc = store_influence_accounts(c->db, c->a, &j->acc, &j->n_acc);
    if (!rc && !(j->author_ok = calloc((size_t)j->n_acc + 1, sizeof *j->author_ok))) rc = PL_ENOMEM;
    for (int i = 0; !rc && i < j->n_acc; i++) {
        const pl_influence_account *x = &j->acc[i];
        j->author_ok[i] = !x->is_group && x->signed_in_at && !x->is_disabled && !x->is_suspended;
    }
    if (!rc) rc = read_marks(j);
    if (!rc) rc = store_influence_signals(c->db, j->since, j->at, take_signal, j);
    if (!rc) rc = read_posts(j);
    if (!rc) posts_topics(j);
    if (!rc) rc = choose(j);
    db_end_read(c->db);
    return rc;
}

static int lease(app_ctx *c, const char *who, bool take, bool *got)
{
    int rc = db_begin(c->db);
    if (rc) return rc;
    rc = take ? store_influence_lease(c->db, who, c->now, c->now + LEASE_MS, got)
              : store_influence_lease_drop(c->db, who);
    return rc ? (db_rollback(c->db), rc) : db_commit(c->db);
}

/* 3: weigh, calibrate, write, make current, prune. */
static int compute_and_write(job *j, const influence_opts *o, influence_summary *out)
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
        inf_sort(j->sig, j->n_sig);
        if (!inf_weigh(&m)) rc = PL_ENOMEM;
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

int influence_compute(app_ctx *c, const influence_opts *o, influence_summary *out)
{
    *out = (influence_summary){0};
    int64_t at = o->at ? o->at : c->now;
    const char *who = o->who ? o->who : "command line";
    bool got;
    int rc = lease(c, who, true, &got);
    if (rc) return rc;
    if (!got) {
        out->busy = true;
        return PL_OK;
    }
    if (o->daily) {
        pl_influence_run cur;
        rc = store_influence_current(c->db, &cur);
        if (rc == PL_OK && cur.day == (int)(at / DAY_MS)) out->done = true;
        if (rc == PL_ENOTFOUND) rc = PL_OK;
    }
    if (!rc && !out->done) {
        int64_t began = time_now_ms();
        job j = {.c = c, .at = at, .since = at - (int64_t)c->cfg->influence_window_days * DAY_MS};
        rc = read_all(&j);
        out->signals = j.read;
        out->read_ms = time_now_ms() - began;
        if (!rc) rc = compute_and_write(&j, o, out);
        job_free(&j);
    }
    bool dropped;
    int r2 = lease(c, who, false, &dropped);
    return rc ? rc : r2;
}
