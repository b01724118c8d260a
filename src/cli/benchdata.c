/*
 * benchdata.c — `partyline bench-data`: a synthetic company for benchmarks.
 *
 * Builds N people and M posts into an empty database, shaped like a real company: everyone
 * follows ~150 others, popularity is power-law (user0, the company account, is followed by
 * nearly everyone; a few dozen people have thousands of followers; most have about a
 * hundred), authorship is power-law too, posts are short texts, some with hashtags, mostly
 * public. Runs are reproducible: a fixed-seed PRNG makes every choice, and only the
 * secrets (tokens, password salt) differ between runs.
 *
 * The result must be exactly what the server would have built post by post — counts on the
 * accounts, is_big above cfg->fanout_threshold followers, and each home feed holding the
 * newest cfg->timeline_keep posts of the ordinary (not big) accounts its owner follows plus
 * the owner's own posts — but without the server's cost. So the feeds are computed in
 * memory: the follow lists and each person's posts as adjacency arrays, and each feed as
 * the newest timeline_keep posts of its sources, merged newest first with a heap (10k × 800
 * rows instead of 150M fan-out rows that would be trimmed away; and no random write per
 * delivery: 1.4G of those at 100k people / 10M posts took half the build). Everything else
 * goes through the ordinary store functions, in a few big transactions, with store/bench.h's
 * bulk mode around them (indexes built after the load); the timeline rows go through its
 * multi-row insert.
 *
 * Never run on a database with people in it: the generator assumes it owns every id.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app/auth.h"
#include "app/render.h"
#include "cli/cli.h"
#include "store/accounts.h"
#include "store/bench.h"
#include "store/graph.h"
#include "store/posts.h"
#include "util/timeutil.h"

enum {
    TEAM_SIZE = 50,         /* people follow some of their ~50 teammates */
    TIMELINE_BATCH = 256,   /* rows per multi-row timeline insert */
    POSTS_PER_TXN = 250000, /* commit (and report) every so many posts */
    MAX_REJECTS = 64,       /* then pick a follow target uniformly */
};

static const double FOLLOWS_MEAN = 150.0;    /* average follows per person */
static const double FOLLOWS_MIN = 20.0;      /* everyone follows at least this many */
static const double COMPANY_FOLLOWED = 0.98; /* share of people following user0 */
static const double TEAM_SHARE = 0.3;        /* share of follows that go to teammates */
static const double POPULARITY_ZIPF = 1.0;   /* exponent of follow-target popularity */
static const double ACTIVITY_ZIPF = 0.8;     /* exponent of posting activity */
static const double TAG_ZIPF = 1.1;          /* exponent of hashtag popularity */
static const int64_t POSTS_SPAN_MS = 180LL * 24 * 3600 * 1000; /* posts cover ~6 months */

/* ---------------------------------------------------------------- randomness */

/* splitmix64: small, fast, and good enough for synthetic data. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n); n > 0. */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(rng_unit(r) * n);
}

/* A Zipf-like sampler over ranks 0..n-1: P(k) ∝ 1/(k+1)^s, by binary search of the CDF. */
typedef struct zipf {
    double *cdf;
    uint32_t n;
} zipf;

static void zipf_init(zipf *z, uint32_t n, double s)
{
    z->n = n;
    z->cdf = malloc(sizeof *z->cdf * n);
    if (!z->cdf) abort();
    double sum = 0;
    for (uint32_t k = 0; k < n; k++) z->cdf[k] = sum += pow(k + 1.0, -s);
    for (uint32_t k = 0; k < n; k++) z->cdf[k] /= sum;
}

static uint32_t zipf_draw(const zipf *z, rng *r)
{
    double u = rng_unit(r);
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void zipf_free(zipf *z)
{
    free(z->cdf);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("bench-data: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* ---------------------------------------------------------------- words */

static const char *const first_names[] = {
    "Amara", "Bruno",  "Chen",  "Dana",   "Elif",  "Farid", "Greta", "Hiro", "Ines",  "Jonas",
    "Kwame", "Lena",   "Mateo", "Nadia",  "Oskar", "Priya", "Quinn", "Rosa", "Sven",  "Tariq",
    "Uma",   "Viktor", "Wen",   "Ximena", "Yusuf", "Zoe",   "Aisha", "Ben",  "Carla", "Dmitri"};
static const char *const last_names[] = {
    "Okafor", "Silva",  "Wang",   "Levi",   "Kaya",    "Haddad", "Nilsson",
    "Tanaka", "Moreau", "Becker", "Mensah", "Fischer", "Rossi",  "Karimi",
    "Lund",   "Sharma", "Byrne",  "Garcia", "Berg",    "Aziz",   "Patel",
    "Novak",  "Liu",    "Torres", "Demir",  "Martin",  "Bello",  "Cohen"};

static const char *const openers[] = {"Quick update:",
                                      "Heads up:",
                                      "Reminder:",
                                      "Good news!",
                                      "FYI",
                                      "Question for the team:",
                                      "Just shipped:",
                                      "Thanks everyone!",
                                      "Looking for help:",
                                      "Small win today:",
                                      "PSA:",
                                      "Weekly notes:",
                                      "Status:",
                                      "Coffee thought:",
                                      "Ideas welcome:",
                                      "Done and dusted:"};
static const char *const bodies[] = {
    "the new search is live on staging, please try it and tell us what breaks.",
    "the VPN certificate rotates tonight, restart your client if it stops connecting.",
    "we closed more tickets this sprint than any sprint before.",
    "the quarterly report draft is in the shared folder for review.",
    "who knows the billing API well enough to answer a webhook question?",
    "lunch-and-learn on Thursday about writing good incident reviews.",
    "the build is green again after yesterday's flaky test hunt.",
    "the printer on floor 2 is fixed, and yes, it was the paper tray again.",
    "we are moving the planning meeting to Tuesday mornings from next week.",
    "customer feedback on the onboarding flow has been really positive.",
    "migrated the last service off the old database, no downtime.",
    "the all-hands slides are up; recording follows later today.",
    "new laptops arrive Monday, IT will set them up at your desk.",
    "does anyone have a good template for a project kickoff?",
    "welcome to the three people who joined the team this week!",
    "the release candidate is tagged, testing starts tomorrow.",
    "reminder that expense reports for last month are due Friday.",
    "the API latency dashboard now shows p99 per endpoint.",
    "we need two volunteers for the office move next month.",
    "great turnout at the hackathon, the demos were impressive.",
    "the style guide got an update: fewer exclamation marks.",
    "security training is mandatory this quarter, it takes about 20 minutes.",
    "the support backlog is down to its lowest level this year.",
    "the design review for the mobile app is on the calendar."};
static const char *const closers[] = {" Thanks!",
                                      "",
                                      " More soon.",
                                      "",
                                      " Ping me with questions.",
                                      "",
                                      " Great work, all.",
                                      " Cheers.",
                                      " Details in the wiki.",
                                      " Feedback welcome.",
                                      " See you there."};
static const char *const tags[] = {
    "engineering", "marketing",  "sales",    "servicedesk", "people",    "release",
    "security",    "onboarding", "allhands", "finance",     "design",    "support",
    "itsm",        "knowledge",  "cycling",  "lunch",       "hackathon", "devops",
    "product",     "mobile",     "data",     "legal",       "office",    "remote",
    "wellbeing",   "learning",   "kudos",    "incident",    "roadmap",   "qa"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- the build */

typedef struct bench {
    const pl_config *cfg;
    db *d;
    app_ctx c;
    rng r;
    uint32_t n_users, n_posts;
    int64_t *account_id;  /* [n_users] */
    uint32_t *follow_off; /* [n_users + 1]: follows of u are follow_tgt[off[u]..off[u+1]) */
    uint32_t *follow_tgt;
    uint32_t *follower_off; /* [n_users + 1]: followers of u, the same way */
    uint32_t *follower_src;
    uint32_t *statuses;      /* [n_users] posts per person */
    int64_t *last_status_at; /* [n_users] */
    bool *is_big;            /* [n_users] */
    int64_t *post_id;        /* [n_posts] */
    uint32_t *post_author;   /* [n_posts] */
    uint32_t *posts_off;     /* [n_users + 1]: posts of u are posts_of[off[u]..off[u+1]) */
    uint32_t *posts_of;      /* [n_posts] post indexes, oldest first */
    uint32_t keep;           /* feed size = timeline_keep */
    int64_t t0_ns;
} bench;

static double elapsed(const bench *b)
{
    return (double)(time_mono_ns() - b->t0_ns) / 1e9;
}

static void progress(const bench *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(const bench *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* the CPU time too: on a shared machine the wall clock says more about the others */
    struct rusage ru;
    double cpu = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("bench-data: [%6.1fs, cpu %6.1fs] ", elapsed(b), cpu);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    va_end(ap);
}

static void bench_free(bench *b)
{
    free(b->account_id);
    free(b->follow_off);
    free(b->follow_tgt);
    free(b->follower_off);
    free(b->follower_src);
    free(b->statuses);
    free(b->last_status_at);
    free(b->is_big);
    free(b->post_id);
    free(b->post_author);
    free(b->posts_off);
    free(b->posts_of);
}

/* Commits the open transaction and opens the next one. */
static int checkpoint(bench *b)
{
    int rc = db_commit(b->d);
    db_events_clear(b->d); /* nobody streams a bulk load */
    return rc ? rc : db_begin(b->d);
}

/* The people, one app and one token each; tokens are written to tokens_file in order. */
static int make_accounts(bench *b, int64_t at, const char *tokens_file)
{
    app_ctx *c = &b->c;
    /* copied out of the arena, which is emptied every 1,024 people below */
    char hash[256];
    const char *h = auth_password_hash(c, "bench-password");
    if (!h || snprintf(hash, sizeof hash, "%s", h) >= (int)sizeof hash) {
        fputs("bench-data: could not hash the password\n", stderr);
        return PL_EINTERNAL;
    }
    c->now = at;
    pl_app app;
    int rc = auth_app_create(c, "bench", AUTH_OOB, "read write follow", NULL, &app);
    if (rc) return rc;
    FILE *f = fopen(tokens_file, "w");
    if (!f) {
        perror(tokens_file);
        return PL_EINTERNAL;
    }
    for (uint32_t u = 0; u < b->n_users && !rc; u++) {
        char user[32], email[64], name[96];
        snprintf(user, sizeof user, "user%u", u);
        snprintf(email, sizeof email, "user%u@bench.example", u);
        snprintf(name, sizeof name, "%s %s", first_names[u % COUNT(first_names)],
                 last_names[(u / COUNT(first_names)) % COUNT(last_names)]);
        c->now = at + u; /* one a millisecond, so account ids follow user numbers */
        pl_account acc = {.id = app_new_id(c),
                          .username = user,
                          .email = email,
                          .display_name = name,
                          .password_hash = hash,
                          .is_discoverable = true,
                          .is_approved = true,
                          .created_at = c->now};
        b->account_id[u] = acc.id;
        const char *token;
        rc = store_account_insert(b->d, &acc);
        if (!rc) rc = auth_token_issue(c, app.id, acc.id, "read write follow", &token);
        if (!rc && fprintf(f, "%s\n", token) < 0) rc = PL_EINTERNAL;
        if ((u & 1023) == 1023) arena_free(c->a); /* tokens are written; drop them */
    }
    if (fclose(f) && !rc) rc = PL_EINTERNAL;
    arena_free(c->a);
    if (rc) return rc;
    progress(b, "%u accounts and tokens (tokens in %s)", b->n_users, tokens_file);
    return PL_OK;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Draws who follows whom, in memory: follow lists, then follower lists, then is_big. */
static void draw_follows(bench *b)
{
    uint32_t n = b->n_users;
    /* few people at small sizes: never ask for more than half the company */
    double cap = n - 1 < 2000 ? (n - 1) / 2.0 : 2000.0;
    uint32_t *want = xcalloc(n, sizeof *want);
    uint64_t total = 0;
    for (uint32_t u = 0; u < n; u++) {
        double k = FOLLOWS_MIN - (FOLLOWS_MEAN - FOLLOWS_MIN) * log(1.0 - rng_unit(&b->r));
        want[u] = (uint32_t)(k < cap ? k : cap);
        if (want[u] < 1) want[u] = 1;
        total += want[u];
    }
    b->follow_off = xcalloc(n + 1, sizeof *b->follow_off);
    b->follow_tgt = xcalloc(total, sizeof *b->follow_tgt);
    zipf pop;
    zipf_init(&pop, n, POPULARITY_ZIPF);
    uint32_t *seen = xcalloc(n, sizeof *seen); /* seen[t] == u + 1: u already follows t */
    uint32_t *in = xcalloc(n, sizeof *in);
    uint32_t at = 0;
    for (uint32_t u = 0; u < n; u++) {
        b->follow_off[u] = at;
        uint32_t got = 0, team = u / TEAM_SIZE * TEAM_SIZE;
        uint32_t team_n = n - team < TEAM_SIZE ? n - team : TEAM_SIZE;
        if (u != 0 && rng_unit(&b->r) < COMPANY_FOLLOWED) {
            seen[0] = u + 1;
            b->follow_tgt[at + got++] = 0;
        }
        int rejects = 0;
        while (got < want[u]) {
            uint32_t t;
            if (rejects >= MAX_REJECTS)
                t = rng_below(&b->r, n);
            else if (rng_unit(&b->r) < TEAM_SHARE)
                t = team + rng_below(&b->r, team_n);
            else
                t = zipf_draw(&pop, &b->r);
            if (t == u || seen[t] == u + 1) {
                rejects++;
                continue;
            }
            seen[t] = u + 1;
            b->follow_tgt[at + got++] = t;
        }
        qsort(b->follow_tgt + at, got, sizeof *b->follow_tgt, cmp_u32);
        for (uint32_t i = 0; i < got; i++) in[b->follow_tgt[at + i]]++;
        at += got;
    }
    b->follow_off[n] = at;
    zipf_free(&pop);
    free(seen);
    free(want);

    b->follower_off = xcalloc(n + 1, sizeof *b->follower_off);
    for (uint32_t t = 0; t < n; t++) b->follower_off[t + 1] = b->follower_off[t] + in[t];
    b->follower_src = xcalloc(at, sizeof *b->follower_src);
    memset(in, 0, sizeof *in * n);
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t i = b->follow_off[u]; i < b->follow_off[u + 1]; i++) {
            uint32_t t = b->follow_tgt[i];
            b->follower_src[b->follower_off[t] + in[t]++] = u;
        }
    free(in);

    int threshold = b->cfg->fanout_threshold;
    uint32_t n_big = 0, max_in = 0, over100 = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t k = b->follower_off[t + 1] - b->follower_off[t];
        b->is_big[t] = threshold > 0 && k > (uint32_t)threshold;
        n_big += b->is_big[t];
        over100 += k > 100;
        if (k > max_in) max_in = k;
    }
    progress(b,
             "drew %u follows (%.1f per person); user0 has %u followers, the most followed "
             "%u; %u people have >100 followers, %u are big (>%d, merged on read)",
             at, (double)at / n, b->follower_off[1] - b->follower_off[0], max_in, over100, n_big,
             threshold);
}

/* Writes the follows (sorted by follower, then target, as the primary key wants them). */
static int write_follows(bench *b, int64_t at)
{
    int rc = PL_OK;
    uint64_t k = 0;
    for (uint32_t u = 0; u < b->n_users && !rc; u++)
        for (uint32_t i = b->follow_off[u]; i < b->follow_off[u + 1] && !rc; i++, k++) {
            int64_t when = at + (int64_t)k; /* one a millisecond */
            rc = store_follow_insert(b->d, id_next(b->c.ids, when), b->account_id[u],
                                     b->account_id[b->follow_tgt[i]], true, false, when);
        }
    if (rc) return rc;
    progress(b, "wrote %llu follows", (unsigned long long)k);
    return checkpoint(b);
}

/* Appends "opener body closer #tags" for one post to text (cap bytes). */
static void post_text(bench *b, const zipf *tagz, char *text, size_t cap)
{
    rng *r = &b->r;
    int len = snprintf(text, cap, "%s %s%s", openers[rng_below(r, COUNT(openers))],
                       bodies[rng_below(r, COUNT(bodies))], closers[rng_below(r, COUNT(closers))]);
    double roll = rng_unit(r);
    int n_tags = roll < 0.25 ? 1 : roll < 0.35 ? 2 : 0;
    for (int i = 0; i < n_tags && len > 0 && (size_t)len < cap; i++)
        len += snprintf(text + len, cap - (size_t)len, " #%s", tags[zipf_draw(tagz, r)]);
}

/* The posts, in time order; then each person's posts as an adjacency array. */
static int make_posts(bench *b, int64_t first_at, int64_t last_at)
{
    uint32_t n = b->n_users, m = b->n_posts;
    zipf act, tagz;
    zipf_init(&act, n, ACTIVITY_ZIPF);
    zipf_init(&tagz, COUNT(tags), TAG_ZIPF);
    uint32_t *by_activity = xcalloc(n, sizeof *by_activity); /* rank -> person */
    for (uint32_t i = 0; i < n; i++) by_activity[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = rng_below(&b->r, i + 1), t = by_activity[i];
        by_activity[i] = by_activity[j];
        by_activity[j] = t;
    }
    /* evenly spread times with jitter, strictly increasing, ending at last_at */
    double step = m > 1 ? (double)(last_at - first_at) / m : 1.0;
    int64_t prev = first_at - 1;
    int rc = PL_OK;
    uint64_t pushes = 0;
    for (uint32_t p = 0; p < m && !rc; p++) {
        int64_t when = first_at + (int64_t)(step * (p + rng_unit(&b->r)));
        if (when <= prev) when = prev + 1;
        prev = when;
        uint32_t a = by_activity[zipf_draw(&act, &b->r)];
        double roll = rng_unit(&b->r);
        int vis = roll < 0.85 ? VIS_PUBLIC : roll < 0.95 ? VIS_UNLISTED : VIS_PRIVATE;
        char text[512];
        post_text(b, &tagz, text, sizeof text);
        render_out out;
        if ((rc = render_text(&b->c, text, &out))) break;
        pl_status s = {.id = id_next(b->c.ids, when),
                       .account_id = b->account_id[a],
                       .visibility = vis,
                       .text = text,
                       .content = out.html,
                       .tags_count = out.n_tags,
                       .created_at = when};
        b->post_id[p] = s.id;
        rc = store_status_insert(b->d, &s);
        for (int i = 0; i < out.n_tags && !rc; i++)
            rc = store_status_tag_add(b->d, s.id, out.tags[i]);
        b->statuses[a]++;
        b->last_status_at[a] = when;
        b->post_author[p] = a;
        if (!b->is_big[a]) pushes += b->follower_off[a + 1] - b->follower_off[a];
        if ((p & 4095) == 4095) arena_free(b->c.a);
        if (!rc && (p + 1) % POSTS_PER_TXN == 0) {
            rc = checkpoint(b);
            progress(b, "%u posts", p + 1);
        }
    }
    arena_free(b->c.a);
    free(by_activity);
    zipf_free(&act);
    zipf_free(&tagz);
    if (rc) return rc;
    b->posts_off = xcalloc(n + 1, sizeof *b->posts_off);
    for (uint32_t u = 0; u < n; u++) b->posts_off[u + 1] = b->posts_off[u] + b->statuses[u];
    uint32_t *fill = xcalloc(n, sizeof *fill);
    for (uint32_t p = 0; p < m; p++) {
        uint32_t a = b->post_author[p];
        b->posts_of[b->posts_off[a] + fill[a]++] = p;
    }
    free(fill);
    progress(b, "wrote %u posts; their fan-out would be %llu deliveries", m,
             (unsigned long long)pushes);
    return checkpoint(b);
}

/* A max-heap of a feed's sources, keyed by the newest post each has left. */
typedef struct feed_heap {
    uint32_t *src; /* [n] persons */
    uint32_t *pos; /* [n_users] per person: posts left (the next is posts_of[off + pos - 1]) */
    uint32_t n;
} feed_heap;

static uint32_t heap_key(const bench *b, const feed_heap *h, uint32_t i)
{
    uint32_t s = h->src[i];
    return b->posts_of[b->posts_off[s] + h->pos[s] - 1];
}

static void heap_down(const bench *b, feed_heap *h, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < h->n && heap_key(b, h, l) > heap_key(b, h, top)) top = l;
        if (r < h->n && heap_key(b, h, r) > heap_key(b, h, top)) top = r;
        if (top == i) return;
        uint32_t t = h->src[i];
        h->src[i] = h->src[top];
        h->src[top] = t;
        i = top;
    }
}

/* u's feed, oldest first, into feed (keep entries); returns how many: the newest keep posts
 * of u and of the ordinary people u follows (the big ones are merged on read). */
static uint32_t feed_of(const bench *b, feed_heap *h, uint32_t u, uint32_t *feed)
{
    h->n = 0;
    for (uint32_t i = b->follow_off[u]; i <= b->follow_off[u + 1]; i++) {
        uint32_t s = i < b->follow_off[u + 1] ? b->follow_tgt[i] : u;
        if (s != u && b->is_big[s]) continue;
        h->pos[s] = b->posts_off[s + 1] - b->posts_off[s];
        if (h->pos[s]) h->src[h->n++] = s;
    }
    for (uint32_t i = h->n / 2; i-- > 0;) heap_down(b, h, i);
    uint32_t have = 0;
    while (h->n && have < b->keep) {
        feed[b->keep - 1 - have++] = heap_key(b, h, 0);
        if (--h->pos[h->src[0]] == 0) h->src[0] = h->src[--h->n];
        heap_down(b, h, 0);
    }
    memmove(feed, feed + b->keep - have, sizeof *feed * have);
    return have;
}

/* Each person's feed, oldest first; then the counts on the accounts. */
static int write_feeds_and_counts(bench *b)
{
    int64_t rows[2 * TIMELINE_BATCH];
    int nb = 0, rc = PL_OK;
    uint64_t total = 0;
    feed_heap h = {.src = xcalloc(b->n_users, sizeof *h.src),
                   .pos = xcalloc(b->n_users, sizeof *h.pos)};
    uint32_t *feed = xcalloc(b->keep, sizeof *feed);
    for (uint32_t u = 0; u < b->n_users && !rc; u++) {
        uint32_t have = feed_of(b, &h, u, feed);
        for (uint32_t j = 0; j < have && !rc; j++) {
            rows[2 * nb] = b->account_id[u];
            rows[2 * nb + 1] = b->post_id[feed[j]];
            if (++nb == TIMELINE_BATCH) {
                rc = store_bench_timeline_rows(b->d, rows, nb);
                nb = 0;
            }
        }
        total += have;
    }
    if (!rc && nb) rc = store_bench_timeline_rows(b->d, rows, nb);
    free(h.src);
    free(h.pos);
    free(feed);
    if (rc) return rc;
    progress(b, "wrote %llu home-feed rows (at most %u per person)", (unsigned long long)total,
             b->keep);
    for (uint32_t u = 0; u < b->n_users && !rc; u++) {
        int64_t id = b->account_id[u];
        rc = store_account_add_counts(b->d, id, (int)(b->follower_off[u + 1] - b->follower_off[u]),
                                      (int)(b->follow_off[u + 1] - b->follow_off[u]),
                                      (int)b->statuses[u]);
        if (!rc && b->last_status_at[u])
            rc = store_account_touch_status(b->d, id, b->last_status_at[u]);
        if (!rc && b->is_big[u]) rc = store_account_set_big(b->d, id, true);
    }
    return rc;
}

int cli_bench_data(const pl_config *cfg, id_gen *ids, int users, int posts, const char *tokens_file)
{
    bench b = {.cfg = cfg, .r = {0x70617274796c696eull}, .t0_ns = time_mono_ns()};
    arena a = ARENA_INIT;
    if (cli_open(cfg, ids, &b.d, &b.c, &a)) return 1;
    /* a URL may carry a password: name a server database without it */
    char where[1200];
    if (config_database_is_postgres(cfg))
        snprintf(where, sizeof where, "the PostgreSQL database");
    else
        config_database_target(cfg, where, sizeof where);
    int64_t existing = 0;
    int rc = store_account_count(b.d, &existing);
    if (rc || existing > 0) {
        fprintf(stderr, "bench-data: %s already has %lld accounts; use an empty database\n", where,
                (long long)existing);
        db_close(b.d);
        return 1;
    }
    b.c.own_txn = false; /* the build's transactions are ours */
    /* Ids carry the moment they stand for (the time ranges of trends and top feeds read the
     * posts by id): a generator of the build's own, since opening the database already took
     * ids of the present from the shared one (the everyone channel), after which every id
     * would have been "now". The story below ends 5 s ago, before any of those. */
    id_gen story;
    id_gen_init(&story, ids->node);
    b.c.ids = &story;
    b.n_users = (uint32_t)users;
    b.n_posts = (uint32_t)posts;
    b.keep = cfg->timeline_keep > 0 ? (uint32_t)cfg->timeline_keep : 800;
    b.account_id = xcalloc(b.n_users, sizeof *b.account_id);
    b.statuses = xcalloc(b.n_users, sizeof *b.statuses);
    b.last_status_at = xcalloc(b.n_users, sizeof *b.last_status_at);
    b.is_big = xcalloc(b.n_users, sizeof *b.is_big);
    b.post_id = xcalloc(b.n_posts, sizeof *b.post_id);
    b.post_author = xcalloc(b.n_posts, sizeof *b.post_author);
    b.posts_of = xcalloc(b.n_posts, sizeof *b.posts_of);

    /* the story: people join a week before the posts begin, follow the next day, and the
     * posts run up to a few seconds ago (so new posts in a benchmark are the newest) */
    int64_t now = time_now_ms();
    int64_t posts_end = now - 5000, posts_start = posts_end - POSTS_SPAN_MS;
    int64_t joined = posts_start - 7LL * 24 * 3600 * 1000;
    int64_t followed = joined + 24LL * 3600 * 1000;
    printf("bench-data: building %u people and %u posts into %s\n", b.n_users, b.n_posts, where);
    rc = store_bench_bulk_mode(b.d, true);
    if (!rc) rc = db_begin(b.d);
    if (!rc) rc = make_accounts(&b, joined, tokens_file);
    if (!rc) draw_follows(&b);
    if (!rc) rc = write_follows(&b, followed);
    if (!rc) rc = make_posts(&b, posts_start, posts_end);
    if (!rc) rc = write_feeds_and_counts(&b);
    if (!rc)
        rc = db_commit(b.d);
    else
        db_rollback(b.d);
    if (!rc) progress(&b, "loaded; now the indexes, the full-text index and the statistics");
    if (!rc) rc = store_bench_bulk_mode(b.d, false);
    if (rc)
        fprintf(stderr, "bench-data: failed: %s\n", b.c.errmsg ? b.c.errmsg : pl_strerror(rc));
    else
        progress(&b, "done: %u people, %u posts, total %.1f s", b.n_users, b.n_posts, elapsed(&b));
    db_close(b.d);
    arena_free(&a);
    bench_free(&b);
    return rc ? 1 : 0;
}
