/*
 * listen-match.c — what listening's watch queries cost a post (issue 16, BENCHMARKS.md
 * "Listening: matching"): the CPU time per post of reading its words (listen_tokenize) and
 * matching them against a set of 10, 100 and 1,000 watch queries (watchq_set_match), against
 * reading the words alone; and the time to parse the 1,000 queries and build their set.
 *
 * Inputs, made here with a fixed seed so that every run measures the same work: POSTS posts
 * written like a company's (one to four sentences from templates in the demo company's tone,
 * with products, customers, people, numbers, a hashtag or a mention now and then; 10–70
 * words), each with an author, a channel and its tags; and 1,000 watch queries of the kinds a
 * company keeps (a product's name, a customer with a complaint, a product NEAR a problem,
 * phrases, from: with a hashtag, in:#channel with a problem, NOT test), drawn from the same
 * names, so that queries hit posts about as often as real watches would (most posts match
 * none, some match a few). Each figure is the best of ROUNDS rounds over every post (the
 * lowest is the least disturbed on a shared machine), with the median beside it.
 *
 *   make build/bench/listen-match && build/bench/listen-match [ROUNDS]
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listen/tokens.h"
#include "listen/watchq.h"
#include "util/buf.h"
#include "util/err.h"

#define POSTS 5000
#define QUERIES 1000

static const char *const products[] = {
    "Atlas",    "Nimbus",  "Beacon",  "Harbor",   "Quill",    "Lumen",   "Orbit",   "Cascade",
    "Pinnacle", "Vertex",  "Summit",  "Meridian", "Solstice", "Ember",   "Tidal",   "Compass",
    "Keystone", "Mosaic",  "Prism",   "Relay",    "Sable",    "Trellis", "Vantage", "Willow",
    "Zephyr",   "Arbor",   "Bastion", "Cobalt",   "Dynamo",   "Fathom",  "Granite", "Halcyon",
    "Ion",      "Juniper", "Kestrel", "Lattice",  "Monarch",  "Nexus",   "Onyx",    "Paragon",
};
static const char *const customers[] = {
    "Northwind", "Contoso", "Fabrikam",    "Tailspin",     "Woodgrove", "Litware",    "Proseware",
    "Adventure", "Alpine",  "Bellows",     "Coho",         "Datum",     "Fourth",     "Graphic",
    "Humongous", "Lucerne", "Margie",      "Nod",          "Relecloud", "Southridge", "Trey",
    "Wingtip",   "Wide",    "Blue Yonder", "Consolidated", "Lamna",     "Munson",     "Olympia",
    "Rainier",   "Sunset",  "Tuscany",     "Vanarsdel",    "Westwood",  "Zava",       "Acme",
    "Globex",    "Initech", "Umbrella",    "Hooli",        "Stark",
};
static const char *const problems[] = {
    "outage", "downtime", "bug",     "crash",  "refund",     "complaint", "slow",
    "broken", "error",    "timeout", "churn",  "escalation", "incident",  "regression",
    "leak",   "breach",   "delay",   "cancel", "angry",      "failure",
};
static const char *const topics[] = {
    "pricing",  "roadmap",    "release",  "launch",   "integration", "migration", "renewal",
    "contract", "onboarding", "training", "security", "billing",     "invoice",   "upgrade",
    "feedback", "survey",     "webinar",  "campaign", "budget",      "forecast",  "pipeline",
    "support",  "ticket",     "workshop", "demo",     "trial",       "license",   "partner",
};
static const char *const people[] = {
    "amara", "ben",   "chen", "dana",   "elif",  "farid", "grace", "hugo",  "ines",
    "jonas", "kemal", "lena", "marco",  "nadia", "oscar", "priya", "quinn", "rosa",
    "sam",   "tariq", "uma",  "victor", "wen",   "xavi",  "yara",  "zoe",
};
static const char *const channels[] = {"marketing", "engineering", "servicedesk", "sales",
                                       "people",    "leadership",  "cycling",     "everyone"};
static const char *const tags[] = {"release",  "sales",   "brand",  "billing", "itsm",
                                   "launch",   "outage",  "q3",     "pricing", "onboarding",
                                   "security", "roadmap", "events", "cycling", "kudos"};

/* Sentences in the demo company's tone; {P} a product, {C} a customer, {X} a problem, {T} a
 * topic, {@} a mention, {N} a number. */
static const char *const sentences[] = {
    "Good morning, everyone.",
    "Kick-off for the {T} is Thursday at {N} in the Atrium.",
    "Shipped the new {P} {T} this morning, thanks to everyone who tested it.",
    "Customer call with {C} went well: they want the {T} by Q3.",
    "{@}, can we go over {T} tomorrow?",
    "Reminder: the {P} certificate rotates tonight at 22:00.",
    "If you can't connect tomorrow, restart the client first.",
    "Looking for someone who knows the {P} API inside out: {C}'s webhooks fire twice.",
    "{C} reported a {X} in {P} after the {T}; we are on it.",
    "We closed {N}% more tickets this sprint than last.",
    "Draft of the {T} guide is up for review.",
    "What did you wish you'd known on your first day?",
    "The coffee machine on floor 3 is fixed. Productivity restored. ☕",
    "New brand colours are in the shared drive, please use them from Monday on.",
    "Is there a known {X} with {P} when {C} runs the {T}?",
    "{P} {N}.2 fixes the {X} {C} saw last week.",
    "Thanks {@} for jumping on the {X} so quickly!",
    "Post-mortem for yesterday's {X}: root cause was a config change in {P}.",
    "{C} is asking about a {T} discount before the renewal.",
    "Anyone free to pair on the {P} {T} this afternoon?",
    "Lunchtime ride on Friday: {N} km along the river, easy pace.",
    "Great feedback from {C} on the {P} demo today.",
    "We are seeing a spike in {X} reports from {C}, please route them to the service desk.",
    "The {T} webinar had {N} sign-ups so far.",
    "Heads up: {P} will be read-only on Saturday for the {T}.",
    "Welcome to the team, {@}!",
    "Who owns the {T} for {C}? I need a contact.",
    "Numbers for the quarter are in: {T} up {N}%, {X} reports down.",
};

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}
#define PICK(list) (list[rnd(sizeof list / sizeof list[0])])

/* A skewed pick: lower indexes far more often (names, like words, are Zipf-like). */
static const char *skewed(const char *const *list, size_t n)
{
    uint32_t a = rnd((uint32_t)n), b = rnd((uint32_t)n);
    return list[a < b ? a : b];
}
#define SKEWED(list) skewed(list, sizeof list / sizeof list[0])

typedef struct post {
    char *text;
    const char *author;
    const char *channel[1];
    const char *tags[2];
    size_t n_tags;
} post;

static void write_sentence(buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s != '{') {
            buf_putc(out, *s);
            continue;
        }
        switch (s[1]) {
        case 'P': buf_puts(out, SKEWED(products)); break;
        case 'C': buf_puts(out, SKEWED(customers)); break;
        case 'X': buf_puts(out, SKEWED(problems)); break;
        case 'T': buf_puts(out, SKEWED(topics)); break;
        case '@': buf_printf(out, "@%s", PICK(people)); break;
        case 'N': buf_printf(out, "%u", 2 + rnd(98)); break;
        }
        s += 2;
    }
}

static void make_post(post *p)
{
    buf text = BUF_INIT;
    int n = 1 + (int)rnd(4);
    for (int k = 0; k < n; k++) {
        if (k) buf_putc(&text, ' ');
        write_sentence(&text, PICK(sentences));
    }
    p->n_tags = rnd(3);
    for (size_t k = 0; k < p->n_tags; k++) {
        p->tags[k] = SKEWED(tags);
        buf_printf(&text, " #%s", p->tags[k]);
    }
    buf_putc(&text, '\0');
    p->text = buf_steal(&text);
    p->author = PICK(people);
    p->channel[0] = PICK(channels);
}

/* Whether make_query() draws words no post has (letters at random), for the cost of a set
 * that a post does not hit. */
static int missing;

/* A query's word from list, or (missing) seven random letters; good until 8 more. */
static const char *query_word(const char *const *list, size_t n)
{
    static char made[8][8];
    static unsigned next;
    if (!missing) return list[rnd((uint32_t)n)];
    char *w = made[next++ % 8];
    for (int k = 0; k < 7; k++) w[k] = (char)('a' + rnd(26));
    w[7] = '\0';
    return w;
}
#define QW(list) query_word(list, sizeof list / sizeof list[0])

/* A watch a company would keep. */
static void make_query(buf *out)
{
    out->len = 0;
    switch (rnd(10)) {
    case 0: buf_printf(out, "%s", QW(products)); break;
    case 1: buf_printf(out, "\"%s %s\"", QW(products), QW(topics)); break;
    case 2:
        buf_printf(out, "%s AND (%s OR %s OR %s)", QW(customers), QW(problems), QW(problems),
                   QW(problems));
        break;
    case 3: buf_printf(out, "%s NEAR/5 %s", QW(products), QW(problems)); break;
    case 4: buf_printf(out, "(%s OR %s) NOT test", QW(products), QW(products)); break;
    case 5: buf_printf(out, "from:%s #%s", QW(people), QW(tags)); break;
    case 6: buf_printf(out, "in:#%s (%s OR %s)", QW(channels), QW(problems), QW(problems)); break;
    case 7:
        buf_printf(out, "\"%s %s\" OR \"%s %s\"", QW(topics), QW(topics), QW(products),
                   QW(problems));
        break;
    case 8: buf_printf(out, "%s %s NOT internal", QW(customers), QW(topics)); break;
    default: buf_printf(out, "#%s %s", QW(tags), QW(products)); break;
    }
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One round over every post: the CPU time per post in ns; *matched adds the matches. */
static double round_ns(const post *posts, const watchq_set *set, listen_tokens *t, int64_t *out,
                       size_t *matched)
{
    double start = cpu_now();
    size_t m = 0;
    for (size_t k = 0; k < POSTS; k++) {
        const post *p = &posts[k];
        listen_tokenize(p->text, strlen(p->text), t);
        if (!set) continue;
        watchq_doc doc = {.tokens = t,
                          .author = p->author,
                          .channels = p->channel,
                          .n_channels = 1,
                          .tags = p->tags,
                          .n_tags = p->n_tags};
        m += watchq_set_match(set, &doc, out, QUERIES);
    }
    *matched = m;
    return (cpu_now() - start) / POSTS * 1e9;
}

static watchq **parse_all(char **texts, size_t n)
{
    watchq **qs = malloc(n * sizeof *qs);
    for (size_t k = 0; k < n; k++) {
        watchq_error err;
        if (watchq_parse(texts[k], strlen(texts[k]), &qs[k], &err) != PL_OK) {
            fprintf(stderr, "query '%s' refused at %d: %s\n", texts[k], err.position, err.reason);
            exit(1);
        }
    }
    return qs;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 15;
    if (rounds < 1) rounds = 1;
    post *posts = calloc(POSTS, sizeof *posts);
    size_t words = 0, bytes = 0;
    listen_tokens t = LISTEN_TOKENS_INIT;
    for (size_t k = 0; k < POSTS; k++) {
        make_post(&posts[k]);
        listen_tokenize(posts[k].text, strlen(posts[k].text), &t);
        words += t.n, bytes += strlen(posts[k].text);
    }
    char *texts[QUERIES];
    buf q = BUF_INIT;
    for (size_t k = 0; k < QUERIES; k++) {
        make_query(&q);
        buf_putc(&q, '\0');
        texts[k] = strdup(q.data);
    }
    char *missing_texts[QUERIES]; /* the same shapes, words no post has */
    missing = 1;
    for (size_t k = 0; k < QUERIES; k++) {
        make_query(&q);
        buf_putc(&q, '\0');
        missing_texts[k] = strdup(q.data);
    }
    buf_free(&q);
    int64_t ids[QUERIES], out[QUERIES];
    for (size_t k = 0; k < QUERIES; k++) ids[k] = (int64_t)k;

    printf("posts: %d, %.1f words and %.0f bytes each on average; queries like '%s', '%s'\n", POSTS,
           (double)words / POSTS, (double)bytes / POSTS, texts[2], texts[3]);

    /* the 1,000-query set: parsing and building */
    double *parse_ms = calloc((size_t)rounds, sizeof *parse_ms);
    double *build_ms = calloc((size_t)rounds, sizeof *build_ms);
    size_t set_bytes = 0; /* the heap the built set holds (glibc's count of bytes in use) */
    for (int r = 0; r < rounds; r++) {
        double t0 = cpu_now();
        watchq **qs = parse_all(texts, QUERIES);
        double t1 = cpu_now();
        size_t before = mallinfo2().uordblks;
        watchq_set *set;
        watchq_set_build((const watchq *const *)qs, ids, QUERIES, &set);
        double t2 = cpu_now();
        set_bytes = mallinfo2().uordblks - before;
        parse_ms[r] = (t1 - t0) * 1e3, build_ms[r] = (t2 - t1) * 1e3;
        watchq_set_free(set);
        for (size_t k = 0; k < QUERIES; k++) watchq_free(qs[k]);
        free(qs);
    }
    qsort(parse_ms, (size_t)rounds, sizeof *parse_ms, cmp_double);
    qsort(build_ms, (size_t)rounds, sizeof *build_ms, cmp_double);
    printf("1,000 queries: parse %.2f ms (median %.2f), build the set %.2f ms (median %.2f); "
           "the set holds %.0f KB\n",
           parse_ms[0], parse_ms[rounds / 2], build_ms[0], build_ms[rounds / 2], set_bytes / 1e3);

    /* per post: reading the words alone, then with 10, 100 and 1,000 queries, and with 1,000
     * queries none of which a post hits */
    static const size_t sizes[] = {0, 10, 100, 1000, 1000};
    double base = 0;
    double *ns = calloc((size_t)rounds, sizeof *ns);
    printf("| queries | CPU per post, best (median) | matching alone | × words alone | "
           "matches per post |\n|---|---|---|---|---|\n");
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int is_missing = s == 4;
        watchq **qs = parse_all(is_missing ? missing_texts : texts, sizes[s]);
        watchq_set *set = NULL;
        if (sizes[s]) watchq_set_build((const watchq *const *)qs, ids, sizes[s], &set);
        size_t matched = 0;
        round_ns(posts, set, &t, out, &matched); /* warm-up */
        for (int r = 0; r < rounds; r++) ns[r] = round_ns(posts, set, &t, out, &matched);
        qsort(ns, (size_t)rounds, sizeof *ns, cmp_double);
        if (s == 0) base = ns[0];
        printf("| %zu%s | %.2f µs (%.2f µs) | %s%.2f µs | %.2f | %.3f |\n", sizes[s],
               is_missing ? ", words no post has" : "", ns[0] / 1e3, ns[rounds / 2] / 1e3,
               s ? "" : "— ", s ? (ns[0] - base) / 1e3 : 0.0, ns[0] / base,
               (double)matched / POSTS);
        watchq_set_free(set);
        for (size_t k = 0; k < sizes[s]; k++) watchq_free(qs[k]);
        free(qs);
    }
    listen_tokens_free(&t);
    for (size_t k = 0; k < POSTS; k++) free(posts[k].text);
    for (size_t k = 0; k < QUERIES; k++) free(texts[k]), free(missing_texts[k]);
    free(posts);
    free(parse_ms);
    free(build_ms);
    free(ns);
    return 0;
}
