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
 *    and make that run current in one (app/influence_write.c).
 *
 * Memory: 40 bytes per signal of the window while it is read, 32 after (the sort copies them
 * once more), 48 per post and a few per hashtag; nothing is kept after the run.
 */
#include "influence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/influence_internal.h"
#include "store/influence.h"
#include "util/ids.h"
#include "util/timeutil.h"

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

/* ---- what a computation holds ------------------------------------------------------------ */

static uint64_t hash_id(int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static int acc_index(const job *j, int64_t id)
{
    uint64_t mask = (uint64_t)j->n_acc_slots - 1;
    for (uint64_t h = hash_id(id) & mask; j->acc_slots[h]; h = (h + 1) & mask)
        if (j->acc[j->acc_slots[h] - 1].id == id) return j->acc_slots[h] - 1;
    return -1;
}

int influence_post_find(const job *j, int64_t id)
{
    if (!j->n_slots) return -1;
    uint64_t mask = (uint64_t)j->n_slots - 1;
    for (uint64_t h = hash_id(id) & mask; j->post_slots[h]; h = (h + 1) & mask)
        if (j->posts[j->post_slots[h] - 1].id == id) return j->post_slots[h] - 1;
    return -1;
}

static int cmp_post(const void *x, const void *y)
{
    const post *p = x, *q = y;
    return p->id < q->id ? -1 : p->id > q->id;
}

/* Sorts the posts by id (dropping a second copy of one) and indexes them. */
static int index_posts(job *j)
{
    int k = 1;
    while (k < j->n_posts && j->posts[k - 1].id <= j->posts[k].id) k++;
    if (k < j->n_posts) qsort(j->posts, (size_t)j->n_posts, sizeof *j->posts, cmp_post);
    int u = 0;
    for (int i = 0; i < j->n_posts; i++)
        if (u == 0 || j->posts[u - 1].id != j->posts[i].id) j->posts[u++] = j->posts[i];
    j->n_posts = u;
    int64_t ns = 1024;
    while (ns < 2 * (int64_t)j->n_posts) ns *= 2;
    free(j->post_slots);
    if (!(j->post_slots = calloc((size_t)ns, sizeof *j->post_slots))) return PL_ENOMEM;
    j->n_slots = ns;
    for (int i = 0; i < j->n_posts; i++) {
        uint64_t h = hash_id(j->posts[i].id) & (uint64_t)(ns - 1);
        while (j->post_slots[h]) h = (h + 1) & (uint64_t)(ns - 1);
        j->post_slots[h] = i + 1;
    }
    return PL_OK;
}

static void job_free(job *j)
{
    free(j->author_ok);
    free(j->acc_slots);
    free(j->sig);
    free(j->sig_post);
    free(j->posts);
    free(j->post_slots);
    free(j->post_tags);
    interned_free(&j->tags);
    interned_free(&j->topics);
    free(j->marks);
}

/* ---- 1. reading ---------------------------------------------------------------------- */

/* Keeps a signal if its engager may give one (the rules about posts come once the posts are
 * read). */
static int add_signal(job *j, const pl_signal *g)
{
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
    /* a direct message, and a ticket's thread (its requester's and the service team's: asking
     * for help is no influence, and a work note must not show in anyone's breakdown) */
    if (g->via_visibility == PL_VIS_DIRECT || g->via_visibility == PL_VIS_TICKET ||
        g->via_visibility == PL_VIS_INTERNAL)
        return 0;
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

static int take_signal(void *ud, const pl_signal *g)
{
    return add_signal(ud, g);
}

/* Keeps a post (not a boost: nothing is about a boost). */
static int add_post(job *j, const pl_influence_post *p)
{
    if (p->reblog_of_id) return 0;
    if (j->n_posts == j->cap_posts) {
        int cap = j->cap_posts ? j->cap_posts * 2 : 65536;
        post *v = realloc(j->posts, sizeof *v * (size_t)cap);
        if (!v) return PL_ENOMEM;
        j->posts = v;
        j->cap_posts = cap;
    }
    j->posts[j->n_posts++] =
        (post){.id = p->id,
               .channel_id = p->channel_id,
               .list_id = p->audience_list_id,
               .author = acc_index(j, p->account_id),
               .tag = -1,
               .topic = -1,
               .mentions = (uint16_t)(p->mentions_count > 65535 ? 65535 : p->mentions_count),
               .visibility = (uint8_t)p->visibility,
               .channel_removed = p->channel_removed};
    return 0;
}

static int take_post(void *ud, const pl_influence_post *p)
{
    return add_post(ud, p);
}

/* A status of the scan: a post to keep, and a boost or a reply of the window a signal. */
static int take_status(void *ud, const pl_influence_post *p)
{
    job *j = ud;
    int64_t at = id_ms(p->id);
    if (at >= j->since && at <= j->at && (p->reblog_of_id || p->in_reply_to_id)) {
        pl_signal g = {.engager = p->account_id,
                       .post_id = p->reblog_of_id ? p->reblog_of_id : p->in_reply_to_id,
                       .at = at,
                       .type = p->reblog_of_id ? SIG_BOOST : SIG_REPLY,
                       .via_visibility = p->visibility};
        int rc = add_signal(j, &g);
        if (rc) return rc;
    }
    return add_post(j, p);
}

static int take_tag(void *ud, int64_t post_id, const char *tag)
{
    job *j = ud;
    while (j->tag_cursor < j->n_posts && j->posts[j->tag_cursor].id < post_id) j->tag_cursor++;
    if (j->tag_cursor == j->n_posts || j->posts[j->tag_cursor].id != post_id || !tag) return 0;
    int t = intern(&j->tags, tag);
    if (t < 0) return PL_ENOMEM;
    post *p = &j->posts[j->tag_cursor];
    if (p->tag < 0) {
        p->tag = t;
        p->tags_at = j->n_post_tags;
    }
    if (p->tags_n == UINT16_MAX) return 0;
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

static int cmp_i64(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return p < q ? -1 : p > q;
}

/* The statuses: one scan from the oldest post a favourite, pin or mention names (or the
 * window's start) for the posts and the window's boosts and replies; then the few posts
 * older than that a boost or a reply is about; then every post's hashtags. */
static int read_posts(job *j)
{
    app_ctx *c = j->c;
    int64_t from = id_floor_for_ms(j->since), to = id_floor_for_ms(j->at + 1) - 1;
    for (int64_t i = 0; i < j->n_sig; i++)
        if (j->sig_post[i] && j->sig_post[i] < from) from = j->sig_post[i];
    int rc = store_influence_statuses(c->db, from, to, take_status, j);
    if (!rc) rc = index_posts(j);
    /* what the scan began after */
    int64_t *ids = NULL, n = 0;
    if (!rc && !(ids = malloc(sizeof *ids * (size_t)(j->n_sig ? j->n_sig : 1)))) rc = PL_ENOMEM;
    for (int64_t i = 0; !rc && i < j->n_sig; i++)
        if (j->sig_post[i] && j->sig_post[i] < from) ids[n++] = j->sig_post[i];
    if (!rc && n) {
        qsort(ids, (size_t)n, sizeof *ids, cmp_i64);
        int64_t u = 0;
        for (int64_t i = 0; i < n; i++)
            if (u == 0 || ids[u - 1] != ids[i]) ids[u++] = ids[i];
        if (!(rc = store_influence_posts(c->db, ids, (int)u, take_post, j))) rc = index_posts(j);
    }
    free(ids);
    /* the hashtags, walked beside the posts */
    if (!rc && !(ids = malloc(sizeof *ids * (size_t)(j->n_posts ? j->n_posts : 1)))) rc = PL_ENOMEM;
    for (int i = 0; !rc && i < j->n_posts; i++) ids[i] = j->posts[i].id;
    if (!rc) rc = store_influence_post_tags(c->db, ids, j->n_posts, take_tag, j);
    free(ids);
    return rc;
}

/* Gives each signal its post and person, leaving out those about a post that is not there
 * (or not a company member's), a self-signal, and a person without a score; frees the post
 * ids read. */
static void attach_posts(job *j)
{
    int64_t kept = 0;
    for (int64_t i = 0; i < j->n_sig; i++) {
        inf_signal s = j->sig[i];
        if (j->sig_post[i]) {
            int pi = influence_post_find(j, j->sig_post[i]);
            if (pi < 0) continue;
            const post *p = &j->posts[pi];
            if (p->author < 0) continue;
            s.post = pi;
            if (s.type == SIG_MENTION) {
                if (p->author != s.e) continue; /* the post that names them is the engager's */
            } else {
                if (p->author == s.e || !j->author_ok[p->author]) continue;
                s.a = p->author;
            }
        }
        if (s.a < 0) continue;
        j->sig[kept++] = s;
    }
    j->n_sig = kept;
    free(j->sig_post);
    j->sig_post = NULL;
}

int influence_mark_of_channel(const job *j, int64_t channel_id)
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
        if (p->channel_id) p->topic = influence_mark_of_channel(j, p->channel_id);
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

/* Whether signal s counts: its post's rules, and what its engager could see (asked as that
 * engager: the caller switches the context's viewer). Clears INF_PUBLIC when it was not. */
static bool counts(job *j, inf_signal *s)
{
    if (s->post < 0) return true; /* a follow */
    const post *p = &j->posts[s->post];
    if (p->visibility == PL_VIS_DIRECT || p->channel_removed) return false;
    const pl_channel *ch = p->channel_id ? app_channel(j->c, p->channel_id) : NULL;
    if (p->channel_id && !ch) return false;
    bool open = open_to_members(p->visibility) && (!ch || !ch->is_private);
    if (!open) s->flags &= (uint8_t)~INF_PUBLIC;
    if (s->type == SIG_MENTION) return true;      /* about the engager's own post */
    if (s->flags & INF_FROM_CHANNEL) return true; /* a pin by the channel itself */
    pl_status st = {.id = p->id,
                    .account_id = j->acc[p->author].id,
                    .visibility = p->visibility,
                    .channel_id = p->channel_id,
                    .channel_removed = p->channel_removed,
                    .audience_list_id = p->list_id,
                    .mentions_count = p->mentions};
    return audience_can_see(j->c, j->acc[s->e].id, &st);
}

/* Keeps the signals that count (sorted by engager: inf_sort). The context answers as each
 * engager in turn: their blocks, follows and memberships are read once, in an arena of their
 * own. */
static int choose(job *j)
{
    app_ctx *c = j->c;
    /* the channels first, into the context's lasting arena (the engagers' arenas go) */
    for (int i = 0; i < j->n_posts; i++)
        if (j->posts[i].channel_id) {
            const pl_channel *ch = app_channel(c, j->posts[i].channel_id);
            j->posts[i].private_channel = !ch || ch->is_private;
        }
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
        for (; i < j->n_sig && j->sig[i].e == e; i++)
            if (counts(j, &j->sig[i])) j->sig[kept++] = j->sig[i];
        c->viewer = NULL;
        c->accounts = NULL;
        c->statuses = NULL;
        c->a = lasting;
        arena_free(&mine);
    }
    c->read_only = was_read_only;
    c->viewer_id = was_viewer;
    j->n_sig = kept;
    return PL_OK;
}

/* Reads the snapshot and chooses the signals that count (1 and 2 above). */
static int read_all(job *j, influence_summary *out)
{
    app_ctx *c = j->c;
    int rc = db_begin_read(c->db);
    if (rc) return rc;
    rc = store_influence_accounts(c->db, c->a, &j->acc, &j->n_acc);
    if (!rc && !(j->author_ok = calloc((size_t)j->n_acc + 1, sizeof *j->author_ok))) rc = PL_ENOMEM;
    for (j->n_acc_slots = 1024; j->n_acc_slots < 2 * j->n_acc;) j->n_acc_slots *= 2;
    if (!rc && !(j->acc_slots = calloc((size_t)j->n_acc_slots, sizeof *j->acc_slots)))
        rc = PL_ENOMEM;
    for (int i = 0; !rc && i < j->n_acc; i++) {
        uint64_t mask = (uint64_t)j->n_acc_slots - 1, h = hash_id(j->acc[i].id) & mask;
        while (j->acc_slots[h]) h = (h + 1) & mask;
        j->acc_slots[h] = i + 1;
    }
    for (int i = 0; !rc && i < j->n_acc; i++) {
        const pl_influence_account *x = &j->acc[i];
        j->author_ok[i] = !x->is_group && x->signed_in_at && !x->is_disabled && !x->is_suspended;
    }
    int64_t t0 = time_now_ms();
    if (!rc) rc = read_marks(j);
    if (!rc) rc = store_influence_signals(c->db, j->since, j->at, take_signal, j);
    int64_t t1 = time_now_ms();
    if (!rc) rc = read_posts(j);
    int64_t t2 = time_now_ms();
    if (!rc) {
        posts_topics(j);
        attach_posts(j);
        rc = inf_sort(j->sig, j->n_sig, j->n_acc) ? choose(j) : PL_ENOMEM;
    }
    out->signals_ms = t1 - t0;
    out->posts_ms = t2 - t1;
    out->choose_ms = time_now_ms() - t2;
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
        rc = read_all(&j, out);
        out->signals = j.read;
        out->read_ms = time_now_ms() - began;
        if (!rc) rc = influence_write(&j, o, out);
        job_free(&j);
    }
    bool dropped;
    int r2 = lease(c, who, false, &dropped);
    return rc ? rc : r2;
}
