/*
 * benchdata.c — `partyline bench-data`: a synthetic company for benchmarks.
 *
 * Builds N people and M posts into an empty database, shaped like a real company: everyone
 * follows ~150 others, popularity is power-law (user0, the company account, is followed by
 * nearly everyone; a few dozen people have thousands of followers; most have about a
 * hundred), authorship is power-law too, posts are short texts, some with hashtags, mostly
 * public. Runs are reproducible: a fixed-seed PRNG makes every choice, and only the
 * secrets (tokens, password salt) and the moment it ends (everything is dated back from now)
 * differ between runs.
 *
 * With --engagements E (issue 15, influence) the company also has channels and E engagements
 * over the last ENGAGE_DAYS days, drawn from a second fixed-seed stream so that the people,
 * follows and posts are the same as without (only which posts went to a channel is new):
 * favourites, boosts, replies, posts that mention someone, follows made in those days (some
 * of the drawn follows, dated then) and channel pins by the channel's moderators; and, beside
 * them, a few direct messages (which influence ignores). Who engages is power-law (a few
 * people like nearly everything); whom, mostly the people they follow and their teammates,
 * so what people receive is power-law too. Each act is one the server would have let
 * happen (a followers-only post only by its followers, a boost only of what may be boosted, a
 * reply in a channel only by a member) and is written as the server writes it: favourites
 * rows, boosts as statuses with reblog_of_id, replies with in_reply_to_id and
 * in_reply_to_account_id and their mention of the author, mentions as rows of
 * status_mentions, direct messages with their conversations, pins with pinned_by, the counts
 * on the posts and accounts, and each act's id of its own moment (after its post's: a
 * generator of a second node number, so that its ids never meet the posts'). Notifications
 * are not written (nor are they for the follows).
 *
 * The result must be exactly what the server would have built post by post — counts on the
 * accounts, is_big above cfg->fanout_threshold followers, and each home feed holding the
 * newest cfg->timeline_keep statuses the server would have put there (feeds_fanout's rules:
 * an ordinary author's posts and boosts to all followers, a reply only to those who follow
 * the one answered, a direct message to the people it names, a private channel's post to its
 * author alone) plus the owner's own — but without the server's cost. So the feeds are
 * computed in memory: the follow lists and each person's statuses as adjacency arrays, and
 * each feed as the newest timeline_keep statuses of its sources, merged newest first with a
 * heap (10k × 800 rows instead of 150M fan-out rows that would be trimmed away; and no random
 * write per delivery: 1.4G of those at 100k people / 10M posts took half the build).
 * Everything else goes through the ordinary store functions, in a few big transactions, with
 * store/bench.h's bulk mode around them (indexes built after the load); the timeline rows go
 * through its multi-row insert. Everyone has signed in (their token sets accounts.signed_in_at).
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
#include "app/channels.h"
#include "app/conversations.h"
#include "app/render.h"
#include "cli/cli.h"
#include "store/accounts.h"
#include "store/bench.h"
#include "store/channels.h"
#include "store/engage.h"
#include "store/graph.h"
#include "store/posts.h"
#include "util/timeutil.h"

enum {
    TEAM_SIZE = 50,           /* people follow some of their ~50 teammates */
    TIMELINE_BATCH = 256,     /* rows per multi-row timeline insert */
    POSTS_PER_TXN = 250000,   /* commit (and report) every so many posts */
    MAX_REJECTS = 64,         /* then pick a follow target uniformly */
    PEOPLE_PER_CHANNEL = 200, /* a channel for every so many people (at least 3) */
    CHANNEL_MODERATORS = 2,   /* its first members: the owner and one moderator */
    ENGAGE_DAYS = 120,        /* engagements happen in the last so many days */
    ENGAGE_TRIES = 64,        /* draws of an engager's target before drawing another engager */
};

static const double FOLLOWS_MEAN = 150.0;    /* average follows per person */
static const double FOLLOWS_MIN = 20.0;      /* everyone follows at least this many */
static const double COMPANY_FOLLOWED = 0.98; /* share of people following user0 */
static const double TEAM_SHARE = 0.3;        /* share of follows that go to teammates */
static const double POPULARITY_ZIPF = 1.0;   /* exponent of follow-target popularity */
static const double ACTIVITY_ZIPF = 0.8;     /* exponent of posting activity */
static const double TAG_ZIPF = 1.1;          /* exponent of hashtag popularity */
static const int64_t POSTS_SPAN_MS = 180LL * 24 * 3600 * 1000; /* posts cover ~6 months */
/* with --engagements: */
static const double CHANNEL_POSTS = 0.12;  /* share of a channel member's posts in a channel */
static const double CHANNELS_JOINED = 2.0; /* channels joined besides one's team's, on average */
static const double ENGAGER_ZIPF = 0.6;    /* exponent of how much people engage */
static const double TO_FOLLOWED = 0.7;     /* engagement to someone one follows */
static const double TO_TEAMMATE = 0.2;     /* to a teammate (followed or not); else anyone */
/* the kinds of engagement, as shares of E (favourites take the rest) */
static const double SHARE_BOOST = 0.12, SHARE_REPLY = 0.13, SHARE_MENTION = 0.06,
                    SHARE_FOLLOW = 0.06, SHARE_PIN = 0.001, SHARE_DIRECT = 0.005;
static const double DELAY_HOURS = 8.0; /* mean delay of an engagement after its post */
static const double LATE_SHARE = 0.1;  /* ... except this share, uniform over LATE_DAYS */
static const double LATE_DAYS = 20.0;

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
static const char *const replies[] = {"thanks, that helps a lot!",
                                      "great work, congratulations to the team.",
                                      "I can help with that, ping me.",
                                      "do we have a ticket for this?",
                                      "+1, same here.",
                                      "good point, let's discuss on Thursday.",
                                      "where can I find the details?",
                                      "nice, I will try it today.",
                                      "this is exactly what we needed.",
                                      "could you share the slides?",
                                      "I saw the same thing yesterday.",
                                      "agreed, and the docs need it too."};
static const char *const asks[] = {"have a look at this:",       "you might know:",
                                   "what do you think?",         "thanks for your help with",
                                   "could you review this one?", "FYI, since you asked:"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- the build */

/* Flags of a status, for the feeds' rules. */
enum { ST_DIRECT = 1, ST_PRIVATE_CHANNEL = 2 };

/* One engagement drawn, before it is written (in time order). */
enum eng_kind { E_FAVOURITE, E_BOOST, E_REPLY, E_MENTION, E_FOLLOW, E_PIN, E_DIRECT, E_KINDS };
static const char *const eng_names[E_KINDS] = {"favourites",     "boosts",      "replies",
                                               "mentions",       "new follows", "channel pins",
                                               "direct messages"};

typedef struct engagement {
    int64_t at;
    uint32_t who; /* the engager (for a pin: the moderator) */
    uint32_t obj; /* the post (favourite, boost, reply, pin), the person (mention, direct), the
                     follow's index in follow_tgt (follow) */
    uint8_t kind;
} engagement;

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
    uint32_t *statuses;      /* [n_users] statuses per person (boosts, replies... included) */
    int64_t *last_status_at; /* [n_users] */
    bool *is_big;            /* [n_users] */
    /* the statuses: the posts [0, n_posts), then what engagements wrote [n_posts, n_status) */
    uint32_t n_status;
    int64_t *post_id;      /* [n_status] */
    uint32_t *post_author; /* [n_status] */
    uint32_t *posts_off;   /* [n_users + 1]: statuses of u are posts_of[off[u]..off[u+1]) */
    uint32_t *posts_of;    /* [n_status] status indexes, oldest first */
    uint32_t keep;         /* feed size = timeline_keep */
    int64_t t0_ns;

    /* --engagements (all empty without) */
    uint64_t n_eng;
    rng er;                /* the engagements' own stream */
    id_gen eng_ids;        /* their ids: another node number than the story's */
    uint32_t n_channels;   /* besides the everyone channel */
    int64_t *channel_id;   /* [n_channels] */
    bool *channel_private; /* [n_channels] */
    uint32_t *member_off;  /* [n_channels + 1]: members of k, member_of[off[k]..off[k+1]) */
    uint32_t *member_of;   /* sorted; the first CHANNEL_MODERATORS are its moderators */
    uint32_t *joined_off;  /* [n_users + 1]: the channels of u, joined[off[u]..off[u+1]) */
    uint32_t *joined;
    uint32_t *channel_statuses; /* [n_channels] statuses in the channel */
    int64_t *channel_last;      /* [n_channels] its last status's time */
    uint16_t *post_channel;     /* [n_status] channel index + 1, 0: none */
    uint8_t *post_vis;          /* [n_status] */
    uint8_t *post_flags;        /* [n_status] ST_* */
    uint32_t *reply_to;         /* [n_status] a reply's parent's author + 1, 0: not a reply */
    uint32_t *n_faves, *n_boosts, *n_replies; /* [n_posts] the counts on the posts */
    uint32_t *inbox_off; /* [n_users + 1]: direct messages to u, inbox[off[u]..off[u+1]) */
    uint32_t *inbox;
    engagement *eng; /* [n_eng + directs] in time order */
    uint64_t n_drawn;
    uint64_t kinds[E_KINDS];
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
    free(b->channel_id);
    free(b->channel_private);
    free(b->member_off);
    free(b->member_of);
    free(b->joined_off);
    free(b->joined);
    free(b->channel_statuses);
    free(b->channel_last);
    free(b->post_channel);
    free(b->post_vis);
    free(b->post_flags);
    free(b->reply_to);
    free(b->n_faves);
    free(b->n_boosts);
    free(b->n_replies);
    free(b->inbox_off);
    free(b->inbox);
    free(b->eng);
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

/* Writes the follows (sorted by follower, then target, as the primary key wants them), but
 * those an engagement dates later (later[k]): the engagements write them at their moment. Then
 * the channels' members (after the people's follows, one a millisecond too). */
static int write_follows(bench *b, int64_t at, const bool *later)
{
    int rc = PL_OK;
    uint64_t k = 0, written = 0;
    for (uint32_t u = 0; u < b->n_users && !rc; u++)
        for (uint32_t i = b->follow_off[u]; i < b->follow_off[u + 1] && !rc; i++, k++) {
            if (later && later[i]) continue;
            int64_t when = at + (int64_t)k; /* one a millisecond */
            rc = store_follow_insert(b->d, id_next(b->c.ids, when), b->account_id[u],
                                     b->account_id[b->follow_tgt[i]], true, false, when);
            written++;
        }
    uint64_t members = 0;
    for (uint32_t ch = 0; ch < b->n_channels && !rc; ch++)
        /* the owner (the first) joined when making it */
        for (uint32_t i = b->member_off[ch] + 1; i < b->member_off[ch + 1] && !rc; i++, k++) {
            int64_t when = at + (int64_t)k;
            rc = store_follow_insert(b->d, id_next(b->c.ids, when), b->account_id[b->member_of[i]],
                                     b->channel_id[ch], true, false, when);
            if (!rc) rc = store_account_add_counts(b->d, b->account_id[b->member_of[i]], 0, 1, 0);
            members++;
        }
    for (uint32_t ch = 0; ch < b->n_channels && !rc; ch++)
        rc = store_account_add_counts(b->d, b->channel_id[ch],
                                      0 + (int)(b->member_off[ch + 1] - b->member_off[ch] - 1), 0,
                                      0);
    if (rc) return rc;
    progress(b, "wrote %llu follows (%llu more come with the engagements) and %llu memberships",
             (unsigned long long)written, (unsigned long long)(k - written - members),
             (unsigned long long)members);
    return checkpoint(b);
}

/* The channels (with --engagements): one for every PEOPLE_PER_CHANNEL people, each person in
 * their team's and in ~CHANNELS_JOINED others (popularity power-law), a fifth private; the
 * first member (the lowest user number) makes it, the second moderates. Written at `at`. */
static int make_channels(bench *b, int64_t at)
{
    uint32_t n = b->n_users, nc = n / PEOPLE_PER_CHANNEL < 3 ? 3 : n / PEOPLE_PER_CHANNEL;
    if (nc > n) nc = n;
    b->n_channels = nc;
    b->channel_id = xcalloc(nc, sizeof *b->channel_id);
    b->channel_private = xcalloc(nc, sizeof *b->channel_private);
    b->channel_statuses = xcalloc(nc, sizeof *b->channel_statuses);
    b->channel_last = xcalloc(nc, sizeof *b->channel_last);
    zipf pop;
    zipf_init(&pop, nc, 1.0);
    /* each person's channels, drawn into a CSR of people, then turned around */
    uint32_t cap = 8;
    b->joined_off = xcalloc(n + 1, sizeof *b->joined_off);
    uint32_t *draw = xcalloc((size_t)n * cap, sizeof *draw);
    uint64_t total = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t *mine = draw + (size_t)u * cap, got = 0;
        mine[got++] = (u / TEAM_SIZE) % nc;
        if (u < nc && u != mine[0]) mine[got++] = u; /* no channel without a member */
        double want = -CHANNELS_JOINED * log(1.0 - rng_unit(&b->er));
        for (uint32_t t = 0; t < (uint32_t)want && got < cap; t++) {
            uint32_t ch = zipf_draw(&pop, &b->er), dup = 0;
            for (uint32_t i = 0; i < got; i++) dup |= mine[i] == ch;
            if (!dup) mine[got++] = ch;
        }
        qsort(mine, got, sizeof *mine, cmp_u32);
        b->joined_off[u + 1] = b->joined_off[u] + got;
        total += got;
    }
    zipf_free(&pop);
    b->joined = xcalloc(total, sizeof *b->joined);
    b->member_off = xcalloc(nc + 1, sizeof *b->member_off);
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t i = 0; i < b->joined_off[u + 1] - b->joined_off[u]; i++) {
            uint32_t ch = draw[(size_t)u * cap + i];
            b->joined[b->joined_off[u] + i] = ch;
            b->member_off[ch + 1]++;
        }
    free(draw);
    for (uint32_t ch = 0; ch < nc; ch++) b->member_off[ch + 1] += b->member_off[ch];
    b->member_of = xcalloc(total, sizeof *b->member_of);
    uint32_t *fill = xcalloc(nc, sizeof *fill);
    for (uint32_t u = 0; u < n; u++) /* in user order: each list comes out sorted */
        for (uint32_t i = b->joined_off[u]; i < b->joined_off[u + 1]; i++) {
            uint32_t ch = b->joined[i];
            b->member_of[b->member_off[ch] + fill[ch]++] = u;
        }
    free(fill);

    app_ctx *c = &b->c;
    int rc = PL_OK;
    uint32_t n_private = 0;
    for (uint32_t ch = 0; ch < nc && !rc; ch++) {
        /* every fifth, and the last of a small company's few */
        b->channel_private[ch] = ch % 5 == 4 || (nc < 5 && ch == nc - 1);
        n_private += b->channel_private[ch];
        char name[32], display[64];
        snprintf(name, sizeof name, "team_%u", ch);
        snprintf(display, sizeof display, "Team %u", ch);
        channels_new cn = {.name = name,
                           .display_name = display,
                           .note = "A team's channel.",
                           .is_private = b->channel_private[ch],
                           .posting = POSTING_MEMBERS};
        c->now = at + ch;
        uint32_t owner = b->member_of[b->member_off[ch]];
        rc = channels_create(c, b->account_id[owner], &cn, &b->channel_id[ch]);
        if (!rc && b->member_off[ch + 1] - b->member_off[ch] >= CHANNEL_MODERATORS)
            rc = store_channel_role_set(b->d, b->channel_id[ch],
                                        b->account_id[b->member_of[b->member_off[ch] + 1]],
                                        ROLE_MODERATOR);
        arena_free(c->a);
    }
    if (rc) return rc;
    progress(b, "%u channels (%u private), %llu memberships", nc, n_private,
             (unsigned long long)total);
    return PL_OK;
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
        int64_t channel = 0;
        if (b->n_eng) { /* some of a member's posts go to one of their channels */
            uint32_t mine = b->joined_off[a + 1] - b->joined_off[a];
            if (mine && rng_unit(&b->er) < CHANNEL_POSTS) {
                uint32_t ch = b->joined[b->joined_off[a] + rng_below(&b->er, mine)];
                if (b->channel_private[ch] || vis == VIS_PRIVATE) vis = VIS_COMPANY;
                channel = b->channel_id[ch];
                b->post_channel[p] = (uint16_t)(ch + 1);
                b->post_flags[p] = b->channel_private[ch] ? ST_PRIVATE_CHANNEL : 0;
                b->channel_statuses[ch]++;
                b->channel_last[ch] = when;
            }
            b->post_vis[p] = (uint8_t)vis;
        }
        pl_status s = {.id = id_next(b->c.ids, when),
                       .account_id = b->account_id[a],
                       .visibility = vis,
                       .text = text,
                       .content = out.html,
                       .tags_count = out.n_tags,
                       .channel_id = channel,
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

/* ---------------------------------------------------------------- engagements */

/* A set of 64-bit keys (never 0), open addressing: which favourites, boosts and pins exist. */
typedef struct keyset {
    uint64_t *k;
    uint64_t mask;
} keyset;

static void keyset_init(keyset *s, uint64_t expect)
{
    uint64_t n = 1024;
    while (n < 2 * expect) n <<= 1;
    s->k = xcalloc(n, sizeof *s->k);
    s->mask = n - 1;
}

/* Adds key; false if it was there. */
static bool keyset_add(keyset *s, uint64_t key)
{
    for (uint64_t i = (key * 0x9E3779B97F4A7C15ull) >> 20 & s->mask;; i = (i + 1) & s->mask) {
        if (s->k[i] == key) return false;
        if (!s->k[i]) {
            s->k[i] = key;
            return true;
        }
    }
}

static uint64_t act_key(int kind, uint32_t who, uint32_t obj)
{
    return ((uint64_t)(kind + 1) << 58) | ((uint64_t)who << 32) | obj;
}

static bool in_sorted(const uint32_t *v, uint32_t n, uint32_t x)
{
    return bsearch(&x, v, n, sizeof *v, cmp_u32) != NULL;
}

static bool follows(const bench *b, uint32_t u, uint32_t t)
{
    return in_sorted(b->follow_tgt + b->follow_off[u], b->follow_off[u + 1] - b->follow_off[u], t);
}

static bool member(const bench *b, uint32_t u, uint32_t ch)
{
    return in_sorted(b->joined + b->joined_off[u], b->joined_off[u + 1] - b->joined_off[u], ch);
}

/* May u see post p (the audience rules the server applies before an act)? */
static bool can_see(const bench *b, uint32_t u, uint32_t p)
{
    uint32_t t = b->post_author[p];
    if (u == t) return true;
    if (b->post_flags[p] & ST_PRIVATE_CHANNEL) return member(b, u, b->post_channel[p] - 1u);
    return b->post_vis[p] != VIS_PRIVATE || follows(b, u, t);
}

/* Whom u engages with: mostly someone u follows or a teammate, else anyone by popularity. */
static uint32_t draw_target(bench *b, const zipf *pop, uint32_t u)
{
    double roll = rng_unit(&b->er);
    uint32_t nf = b->follow_off[u + 1] - b->follow_off[u];
    if (roll < TO_FOLLOWED && nf) { /* the more followed of two: what is read is liked */
        uint32_t x = b->follow_tgt[b->follow_off[u] + rng_below(&b->er, nf)];
        uint32_t y = b->follow_tgt[b->follow_off[u] + rng_below(&b->er, nf)];
        return b->follower_off[x + 1] - b->follower_off[x] >=
                       b->follower_off[y + 1] - b->follower_off[y]
                   ? x
                   : y;
    }
    if (roll < TO_FOLLOWED + TO_TEAMMATE) {
        uint32_t team = u / TEAM_SIZE * TEAM_SIZE;
        uint32_t team_n = b->n_users - team < TEAM_SIZE ? b->n_users - team : TEAM_SIZE;
        return team + rng_below(&b->er, team_n);
    }
    return zipf_draw(pop, &b->er);
}

/* One of t's posts made since since_id, uniformly; false if t made none. */
static bool draw_post(bench *b, uint32_t t, int64_t since_id, uint32_t *p)
{
    const uint32_t *v = b->posts_of + b->posts_off[t];
    uint32_t lo = 0, hi = b->posts_off[t + 1] - b->posts_off[t];
    uint32_t end = hi;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->post_id[v[mid]] < since_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == end) return false;
    *p = v[lo + rng_below(&b->er, end - lo)];
    return true;
}

/* When someone acts on post p: hours after it mostly, some days after it now and then, always
 * after it and before end; false if p is too new. */
static bool act_time(bench *b, uint32_t p, int64_t end, int64_t *at)
{
    int64_t made = id_ms(b->post_id[p]);
    if (end - made < 2) return false;
    double delay = rng_unit(&b->er) < LATE_SHARE
                       ? rng_unit(&b->er) * LATE_DAYS * 24 * 3600e3
                       : -DELAY_HOURS * 3600e3 * log(1.0 - rng_unit(&b->er));
    *at = made + 1 + (int64_t)delay;
    if (*at >= end) *at = made + 1 + (int64_t)(rng_unit(&b->er) * (double)(end - made - 1));
    return true;
}

/* Draws one engagement of a kind into e; false if this draw found none (draw again). */
static bool draw_one(bench *b, int kind, const zipf *engz, const uint32_t *by_engaging,
                     const zipf *pop, keyset *acts, uint8_t *pins, bool *later, int64_t start,
                     int64_t end, engagement *e)
{
    int64_t since_id = id_floor_for_ms(start);
    e->kind = (uint8_t)kind;
    if (kind == E_FOLLOW) { /* one of the follows drawn, made in the window instead */
        uint32_t k = (uint32_t)(rng_unit(&b->er) * b->follow_off[b->n_users]);
        if (later[k]) return false;
        uint32_t lo = 0, hi = b->n_users; /* the follower: the last u with off[u] <= k */
        while (hi - lo > 1) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (b->follow_off[mid] <= k)
                lo = mid;
            else
                hi = mid;
        }
        later[k] = true;
        e->who = lo;
        e->obj = k;
        e->at = start + (int64_t)(rng_unit(&b->er) * (double)(end - start));
        return true;
    }
    if (kind == E_PIN) { /* a channel's post in the window, by one of its moderators */
        uint32_t p = rng_below(&b->er, b->n_posts);
        if (!b->post_channel[p] || b->post_id[p] < since_id) return false;
        uint32_t ch = b->post_channel[p] - 1u;
        if (pins[ch] >= b->cfg->max_channel_pins) return false;
        uint32_t mods = b->member_off[ch + 1] - b->member_off[ch];
        if (mods > CHANNEL_MODERATORS) mods = CHANNEL_MODERATORS;
        if (!act_time(b, p, end, &e->at) || !keyset_add(acts, act_key(kind, ch, p))) return false;
        pins[ch]++;
        e->who = b->member_of[b->member_off[ch] + rng_below(&b->er, mods)];
        e->obj = p;
        return true;
    }
    uint32_t u = by_engaging[zipf_draw(engz, &b->er)];
    for (int tries = 0; tries < ENGAGE_TRIES; tries++) {
        uint32_t t = draw_target(b, pop, u), p;
        if (kind == E_MENTION || kind == E_DIRECT) {
            if (t == u) continue;
            e->who = u;
            e->obj = t;
            e->at = start + (int64_t)(rng_unit(&b->er) * (double)(end - start));
            return true;
        }
        if (!draw_post(b, t, since_id, &p) || !can_see(b, u, p)) continue;
        if (kind == E_BOOST && ((b->post_vis[p] != VIS_PUBLIC && b->post_vis[p] != VIS_UNLISTED &&
                                 b->post_vis[p] != VIS_COMPANY) ||
                                (b->post_flags[p] & ST_PRIVATE_CHANNEL)))
            continue; /* not boostable */
        /* a reply in a channel is a post in it: members only */
        if (kind == E_REPLY && b->post_channel[p] && !member(b, u, b->post_channel[p] - 1u))
            continue;
        if (!act_time(b, p, end, &e->at)) continue;
        if ((kind == E_FAVOURITE || kind == E_BOOST) && !keyset_add(acts, act_key(kind, u, p)))
            continue; /* once each */
        e->who = u;
        e->obj = p;
        return true;
    }
    return false;
}

static int cmp_engagement(const void *x, const void *y)
{
    const engagement *a = x, *b = y;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->who != b->who) return a->who < b->who ? -1 : 1;
    return a->obj < b->obj ? -1 : a->obj > b->obj;
}

/* Draws the engagements of [start, end) in memory: first (follows) the follows dated then,
 * marked in later[] before the follows are written; then the others, after the posts. At the
 * end they are in time order. */
static int draw_engagements(bench *b, int64_t start, int64_t end, bool *later, bool first)
{
    uint64_t n = b->n_eng, want[E_KINDS] = {0};
    if (first) {
        b->eng = xcalloc(n + (uint64_t)(SHARE_DIRECT * (double)n) + 1, sizeof *b->eng);
        want[E_FOLLOW] = (uint64_t)(SHARE_FOLLOW * (double)n);
        uint64_t follows_n = b->follow_off[b->n_users];
        if (want[E_FOLLOW] > follows_n / 2) want[E_FOLLOW] = follows_n / 2;
    } else {
        want[E_BOOST] = (uint64_t)(SHARE_BOOST * (double)n);
        want[E_REPLY] = (uint64_t)(SHARE_REPLY * (double)n);
        want[E_MENTION] = (uint64_t)(SHARE_MENTION * (double)n);
        want[E_PIN] = (uint64_t)(SHARE_PIN * (double)n + 0.5);
        /* channels with a post in the window can pin max_channel_pins of them */
        uint64_t pin_cap = 0;
        uint32_t *in_window = xcalloc(b->n_channels, sizeof *in_window);
        int64_t since_id = id_floor_for_ms(start);
        for (uint32_t p = 0; p < b->n_posts; p++)
            if (b->post_channel[p] && b->post_id[p] >= since_id)
                in_window[b->post_channel[p] - 1]++;
        for (uint32_t ch = 0; ch < b->n_channels; ch++)
            pin_cap += in_window[ch] < (uint32_t)b->cfg->max_channel_pins
                           ? in_window[ch]
                           : (uint32_t)b->cfg->max_channel_pins;
        free(in_window);
        if (want[E_PIN] > pin_cap) want[E_PIN] = pin_cap;
        uint64_t others =
            b->kinds[E_FOLLOW] + want[E_BOOST] + want[E_REPLY] + want[E_MENTION] + want[E_PIN];
        if (others > n) {
            fprintf(stderr, "bench-data: %llu engagements are too few\n", (unsigned long long)n);
            return PL_EINVAL;
        }
        want[E_FAVOURITE] = n - others;
        want[E_DIRECT] = (uint64_t)(SHARE_DIRECT * (double)n);
    }

    /* who engages how much: power-law over the people in an order of their own */
    uint32_t *by_engaging = xcalloc(b->n_users, sizeof *by_engaging);
    for (uint32_t i = 0; i < b->n_users; i++) by_engaging[i] = i;
    for (uint32_t i = b->n_users - 1; i > 0; i--) {
        uint32_t j = rng_below(&b->er, i + 1), t = by_engaging[i];
        by_engaging[i] = by_engaging[j];
        by_engaging[j] = t;
    }
    zipf engz, pop;
    zipf_init(&engz, b->n_users, ENGAGER_ZIPF);
    zipf_init(&pop, b->n_users, POPULARITY_ZIPF);
    keyset acts;
    keyset_init(&acts, want[E_FAVOURITE] + want[E_BOOST] + want[E_PIN]);
    uint8_t *pins = xcalloc(b->n_channels, sizeof *pins);
    int rc = PL_OK;
    for (int kind = 0; kind < E_KINDS && !rc; kind++) {
        uint64_t misses = 0;
        for (uint64_t i = 0; i < want[kind];) {
            if (draw_one(b, kind, &engz, by_engaging, &pop, &acts, pins, later, start, end,
                         &b->eng[b->n_drawn])) {
                b->n_drawn++;
                i++;
            } else if (++misses > 1000 + 100 * want[kind]) {
                fprintf(stderr, "bench-data: could not draw %llu %s (%llu drawn)\n",
                        (unsigned long long)want[kind], eng_names[kind], (unsigned long long)i);
                rc = PL_EINTERNAL;
                break;
            }
        }
        if (want[kind]) b->kinds[kind] = want[kind];
    }
    free(by_engaging);
    free(pins);
    free(acts.k);
    zipf_free(&engz);
    zipf_free(&pop);
    if (rc || first) return rc;
    qsort(b->eng, b->n_drawn, sizeof *b->eng, cmp_engagement);
    progress(b,
             "drew %llu engagements: %llu favourites, %llu boosts, %llu replies, %llu mentions, "
             "%llu new follows, %llu channel pins; and %llu direct messages",
             (unsigned long long)n, (unsigned long long)b->kinds[E_FAVOURITE],
             (unsigned long long)b->kinds[E_BOOST], (unsigned long long)b->kinds[E_REPLY],
             (unsigned long long)b->kinds[E_MENTION], (unsigned long long)b->kinds[E_FOLLOW],
             (unsigned long long)b->kinds[E_PIN], (unsigned long long)b->kinds[E_DIRECT]);
    /* room for the statuses they write */
    uint64_t more =
                 b->kinds[E_BOOST] + b->kinds[E_REPLY] + b->kinds[E_MENTION] + b->kinds[E_DIRECT],
             all = b->n_posts + more;
    if (all > UINT32_MAX) return PL_EINVAL;
#define GROW(f)                                                                                    \
    do {                                                                                           \
        void *g = realloc(b->f, all * sizeof *b->f);                                               \
        if (!g) abort();                                                                           \
        b->f = g;                                                                                  \
    } while (0)
    GROW(post_id);
    GROW(post_author);
    GROW(post_channel);
    GROW(post_vis);
    GROW(post_flags);
    GROW(reply_to);
#undef GROW
    return PL_OK;
}

/* A status an engagement writes (boost, reply, mention, direct message): counted, dated, and
 * kept for the feeds as status j. */
static uint32_t add_status(bench *b, uint32_t who, int64_t id, int vis, uint32_t channel1,
                           uint8_t flags, uint32_t reply_to1)
{
    uint32_t j = b->n_status++;
    b->post_id[j] = id;
    b->post_author[j] = who;
    b->post_vis[j] = (uint8_t)vis;
    b->post_channel[j] = (uint16_t)channel1;
    b->post_flags[j] = flags;
    b->reply_to[j] = reply_to1;
    b->statuses[who]++;
    if (b->last_status_at[who] < id_ms(id)) b->last_status_at[who] = id_ms(id);
    if (channel1) {
        b->channel_statuses[channel1 - 1]++;
        if (b->channel_last[channel1 - 1] < id_ms(id)) b->channel_last[channel1 - 1] = id_ms(id);
    }
    return j;
}

/* Writes one engagement as the server would have. */
static int write_one(bench *b, const engagement *e)
{
    app_ctx *c = &b->c;
    c->now = e->at;
    rng *r = &b->er;
    int64_t id = id_next(&b->eng_ids, e->at);
    uint32_t p = e->obj, u = e->who;
    char text[512];
    render_out out;
    int rc;
    switch (e->kind) {
    case E_FAVOURITE:
        b->n_faves[p]++;
        return store_favourite_insert(b->d, id, b->account_id[u], b->post_id[p]);
    case E_BOOST: {
        /* as engage_reblog: public, or company for a company post */
        int vis = b->post_vis[p] == VIS_COMPANY ? VIS_COMPANY : VIS_PUBLIC;
        pl_status s = {.id = id,
                       .account_id = b->account_id[u],
                       .reblog_of_id = b->post_id[p],
                       .visibility = vis,
                       .text = "",
                       .content = "",
                       .spoiler_text = "",
                       .created_at = e->at};
        b->n_boosts[p]++;
        add_status(b, u, id, vis, 0, 0, 0);
        return store_status_insert(b->d, &s);
    }
    case E_REPLY: {
        uint32_t t = b->post_author[p];
        const char *line = replies[rng_below(r, COUNT(replies))];
        if (t == u) /* a thread of one's own */
            snprintf(text, sizeof text, "%s", line);
        else
            snprintf(text, sizeof text, "@user%u %s", t, line);
        if ((rc = render_text(c, text, &out))) return rc;
        /* in the parent's audience and channel (channels_place_post) */
        pl_status s = {.id = id,
                       .account_id = b->account_id[u],
                       .in_reply_to_id = b->post_id[p],
                       .in_reply_to_account_id = b->account_id[t],
                       .visibility = b->post_vis[p],
                       .text = text,
                       .content = out.html,
                       .mentions_count = out.n_mentions,
                       .tags_count = out.n_tags,
                       .channel_id = b->post_channel[p] ? b->channel_id[b->post_channel[p] - 1] : 0,
                       .created_at = e->at};
        b->n_replies[p]++;
        add_status(b, u, id, s.visibility, b->post_channel[p], b->post_flags[p], t + 1);
        rc = store_status_insert(b->d, &s);
        for (int i = 0; i < out.n_mentions && !rc; i++)
            rc = store_status_mention_add(b->d, id, out.mention_ids[i]);
        return rc;
    }
    case E_MENTION:
    case E_DIRECT: {
        double roll = rng_unit(r);
        int vis = e->kind == E_DIRECT ? VIS_DIRECT
                  : roll < 0.85       ? VIS_PUBLIC
                  : roll < 0.95       ? VIS_UNLISTED
                                      : VIS_PRIVATE;
        snprintf(text, sizeof text, "@user%u %s %s", p, asks[rng_below(r, COUNT(asks))],
                 bodies[rng_below(r, COUNT(bodies))]);
        if ((rc = render_text(c, text, &out))) return rc;
        pl_status s = {.id = id,
                       .account_id = b->account_id[u],
                       .visibility = vis,
                       .text = text,
                       .content = out.html,
                       .mentions_count = out.n_mentions,
                       .tags_count = out.n_tags,
                       .created_at = e->at};
        add_status(b, u, id, vis, 0, e->kind == E_DIRECT ? ST_DIRECT : 0, 0);
        rc = store_status_insert(b->d, &s);
        for (int i = 0; i < out.n_mentions && !rc; i++)
            rc = store_status_mention_add(b->d, id, out.mention_ids[i]);
        if (!rc && e->kind == E_DIRECT)
            rc = conversations_add_status(c, &s, out.mention_ids, out.n_mentions);
        return rc;
    }
    case E_FOLLOW:
        return store_follow_insert(b->d, id, b->account_id[u], b->account_id[b->follow_tgt[p]],
                                   true, false, e->at);
    case E_PIN:
        return store_channel_pin_add(b->d, b->channel_id[b->post_channel[p] - 1], b->post_id[p],
                                     b->account_id[u], e->at);
    default: return PL_EINTERNAL;
    }
}

/* Writes the engagements in time order, then the counts on the posts and channels they move,
 * then each person's statuses (posts and what the engagements wrote) as one adjacency array
 * again, and the direct messages each received. */
static int write_engagements(bench *b)
{
    app_ctx *c = &b->c;
    id_gen *story = c->ids;
    c->ids = &b->eng_ids; /* what the app writes (conversations) takes ids of the act's moment */
    int rc = PL_OK;
    for (uint64_t i = 0; i < b->n_drawn && !rc; i++) {
        rc = write_one(b, &b->eng[i]);
        if ((i & 4095) == 4095) arena_free(c->a);
        if (!rc && (i + 1) % (4 * POSTS_PER_TXN) == 0) {
            rc = checkpoint(b);
            progress(b, "%llu engagements", (unsigned long long)(i + 1));
        }
    }
    arena_free(c->a);
    c->ids = story;
    for (uint32_t p = 0; p < b->n_posts && !rc; p++)
        if (b->n_faves[p] || b->n_boosts[p] || b->n_replies[p])
            rc = store_status_add_counts(b->d, b->post_id[p], (int)b->n_replies[p],
                                         (int)b->n_boosts[p], (int)b->n_faves[p]);
    for (uint32_t ch = 0; ch < b->n_channels && !rc; ch++)
        if (b->channel_statuses[ch]) {
            rc = store_account_add_counts(b->d, b->channel_id[ch], 0, 0,
                                          (int)b->channel_statuses[ch]);
            if (!rc) rc = store_account_touch_status(b->d, b->channel_id[ch], b->channel_last[ch]);
        }
    if (rc) return rc;
    progress(b, "wrote %llu engagements and direct messages (%u statuses in all)",
             (unsigned long long)b->n_drawn, b->n_status);

    /* every status in id order (the posts', the engagements' each are), then by author */
    uint32_t n = b->n_users;
    free(b->posts_of);
    b->posts_of = xcalloc(b->n_status, sizeof *b->posts_of);
    memset(b->posts_off, 0, sizeof *b->posts_off * (n + 1));
    b->inbox_off = xcalloc(n + 1, sizeof *b->inbox_off);
    for (uint32_t j = 0; j < b->n_status; j++) b->posts_off[b->post_author[j] + 1]++;
    for (uint64_t i = 0; i < b->n_drawn; i++)
        if (b->eng[i].kind == E_DIRECT) b->inbox_off[b->eng[i].obj + 1]++;
    for (uint32_t u = 0; u < n; u++) {
        b->posts_off[u + 1] += b->posts_off[u];
        b->inbox_off[u + 1] += b->inbox_off[u];
    }
    b->inbox = xcalloc(b->inbox_off[n], sizeof *b->inbox);
    uint32_t *fill = xcalloc(n, sizeof *fill), *inbox_fill = xcalloc(n, sizeof *inbox_fill);
    uint32_t i = 0, j = b->n_posts, k = 0;    /* posts, then engagements' statuses, merged by id */
    for (uint64_t e = 0; e < b->n_drawn; e++) /* each direct message's status, in order */
        if (b->eng[e].kind == E_DIRECT || b->eng[e].kind == E_BOOST || b->eng[e].kind == E_REPLY ||
            b->eng[e].kind == E_MENTION) {
            if (b->eng[e].kind == E_DIRECT) {
                uint32_t t = b->eng[e].obj;
                b->inbox[b->inbox_off[t] + inbox_fill[t]++] = b->n_posts + k;
            }
            k++;
        }
    while (i < b->n_posts || j < b->n_status) {
        uint32_t x =
            j >= b->n_status || (i < b->n_posts && b->post_id[i] < b->post_id[j]) ? i++ : j++;
        uint32_t a = b->post_author[x];
        b->posts_of[b->posts_off[a] + fill[a]++] = x;
    }
    free(fill);
    free(inbox_fill);
    return checkpoint(b);
}

/* A max-heap of a feed's sources (a person's statuses, or the direct messages to the feed's
 * owner), keyed by the id of the newest status each has left. */
typedef struct feed_src {
    const uint32_t *list; /* status indexes, oldest first */
    uint32_t left;        /* the next is list[left - 1] */
    bool inbox;
} feed_src;

typedef struct feed_heap {
    feed_src *src;
    uint32_t n;
} feed_heap;

static int64_t heap_key(const bench *b, const feed_heap *h, uint32_t i)
{
    return b->post_id[h->src[i].list[h->src[i].left - 1]];
}

static void heap_down(const bench *b, feed_heap *h, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < h->n && heap_key(b, h, l) > heap_key(b, h, top)) top = l;
        if (r < h->n && heap_key(b, h, r) > heap_key(b, h, top)) top = r;
        if (top == i) return;
        feed_src t = h->src[i];
        h->src[i] = h->src[top];
        h->src[top] = t;
        i = top;
    }
}

/* Does feeds_fanout (posts.c: deliver) put status x, from a source u follows, in u's feed? */
static bool fanned_to(const bench *b, uint32_t u, uint32_t x)
{
    uint32_t s = b->post_author[x];
    if (s == u) return true;
    if (!b->post_flags) return true; /* no engagements: every post goes to every follower */
    if (b->post_flags[x] & (ST_DIRECT | ST_PRIVATE_CHANNEL)) return false;
    if (!b->reply_to[x]) return true;
    uint32_t r = b->reply_to[x] - 1; /* a reply: to those who follow whom it answers */
    return r == s || r == u || follows(b, u, r);
}

/* u's feed, oldest first, into feed (keep entries); returns how many: the newest keep
 * statuses of u, of the ordinary people u follows (the big ones are merged on read) as
 * fan-out would have given them, and the direct messages to u. */
static uint32_t feed_of(const bench *b, feed_heap *h, uint32_t u, uint32_t *feed)
{
    h->n = 0;
    for (uint32_t i = b->follow_off[u]; i <= b->follow_off[u + 1]; i++) {
        uint32_t s = i < b->follow_off[u + 1] ? b->follow_tgt[i] : u;
        if (s != u && b->is_big[s]) continue;
        uint32_t left = b->posts_off[s + 1] - b->posts_off[s];
        if (left) h->src[h->n++] = (feed_src){b->posts_of + b->posts_off[s], left, false};
    }
    if (b->inbox_off && b->inbox_off[u + 1] > b->inbox_off[u])
        h->src[h->n++] =
            (feed_src){b->inbox + b->inbox_off[u], b->inbox_off[u + 1] - b->inbox_off[u], true};
    for (uint32_t i = h->n / 2; i-- > 0;) heap_down(b, h, i);
    uint32_t have = 0;
    while (h->n && have < b->keep) {
        feed_src *top = &h->src[0];
        uint32_t x = top->list[top->left - 1];
        if (top->inbox || fanned_to(b, u, x)) feed[b->keep - 1 - have++] = x;
        if (--top->left == 0) h->src[0] = h->src[--h->n];
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
    feed_heap h = {.src = xcalloc(b->n_users + 1, sizeof *h.src)};
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

int cli_bench_data(const pl_config *cfg, id_gen *ids, int users, int posts, long long engagements,
                   const char *tokens_file)
{
    bench b = {.cfg = cfg,
               .r = {0x70617274796c696eull},
               .er = {0x696e666c75656e63ull},
               .t0_ns = time_mono_ns()};
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
    b.n_status = b.n_posts;
    b.n_eng = engagements > 0 ? (uint64_t)engagements : 0;
    if (b.n_eng) {
        /* another node number: the acts' ids never meet the posts' of the same millisecond */
        id_gen_init(&b.eng_ids, (ids->node + 1) & 15);
        b.post_channel = xcalloc(b.n_posts, sizeof *b.post_channel);
        b.post_vis = xcalloc(b.n_posts, sizeof *b.post_vis);
        b.post_flags = xcalloc(b.n_posts, sizeof *b.post_flags);
        b.reply_to = xcalloc(b.n_posts, sizeof *b.reply_to);
        b.n_faves = xcalloc(b.n_posts, sizeof *b.n_faves);
        b.n_boosts = xcalloc(b.n_posts, sizeof *b.n_boosts);
        b.n_replies = xcalloc(b.n_posts, sizeof *b.n_replies);
    }

    /* the story: people join a week before the posts begin, follow the next day, and the
     * posts run up to a few seconds ago (so new posts in a benchmark are the newest) */
    int64_t now = time_now_ms();
    int64_t posts_end = now - 5000, posts_start = posts_end - POSTS_SPAN_MS;
    int64_t joined = posts_start - 7LL * 24 * 3600 * 1000;
    int64_t followed = joined + 24LL * 3600 * 1000;
    /* the engagements: the last ENGAGE_DAYS days of the posts (not before them) */
    int64_t engage_start = posts_end - ENGAGE_DAYS * 24LL * 3600 * 1000;
    if (engage_start < posts_start) engage_start = posts_start;
    printf("bench-data: building %u people and %u posts", b.n_users, b.n_posts);
    if (b.n_eng) printf(" with %llu engagements", (unsigned long long)b.n_eng);
    printf(" into %s\n", where);
    bool *later = NULL; /* the follows the engagements date */
    rc = store_bench_bulk_mode(b.d, true);
    if (!rc) rc = db_begin(b.d);
    if (!rc) rc = make_accounts(&b, joined, tokens_file);
    if (!rc && b.n_eng) rc = make_channels(&b, joined + b.n_users);
    if (!rc) draw_follows(&b);
    if (!rc && b.n_eng) {
        later = xcalloc(b.follow_off[b.n_users], sizeof *later);
        rc = draw_engagements(&b, engage_start, posts_end, later, true);
    }
    if (!rc) rc = write_follows(&b, followed, later);
    if (!rc) rc = make_posts(&b, posts_start, posts_end);
    if (!rc && b.n_eng) rc = draw_engagements(&b, engage_start, posts_end, later, false);
    if (!rc && b.n_eng) rc = write_engagements(&b);
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
        progress(&b, "done: %u people, %u posts, %llu engagements, total %.1f s", b.n_users,
                 b.n_posts, (unsigned long long)b.n_eng, elapsed(&b));
    db_close(b.d);
    arena_free(&a);
    free(later);
    bench_free(&b);
    return rc ? 1 : 0;
}
