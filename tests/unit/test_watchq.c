/*
 * test_watchq.c — unit tests for src/listen/watchq.c and watchq_set.c: the watch query
 * language (each operator, precedence, folding, phrases, NEAR, names), the faults a person is
 * told about (a table: position and reason), and a property test — for random queries and
 * random posts, the set's answer is what evaluating each query alone gives, by an evaluator
 * written here from the language's description and nothing of the set's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/tokens.h"
#include "listen/watchq.h"
#include "util/buf.h"
#include "util/err.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static watchq *parse_ok(const char *text)
{
    watchq *q = NULL;
    watchq_error err = {0};
    int rc = watchq_parse(text, strlen(text), &q, &err);
    if (rc != PL_OK) fail_msg("'%s' refused at %d: %s", text, err.position, err.reason);
    assert_non_null(q);
    return q;
}

static void assert_format(const char *text, const char *canonical)
{
    watchq *q = parse_ok(text);
    buf out = BUF_INIT;
    watchq_format(q, &out);
    buf_putc(&out, '\0');
    assert_string_equal(out.data, canonical);
    /* the canonical form reads back as itself */
    watchq *again = parse_ok(out.data);
    buf out2 = BUF_INIT;
    watchq_format(again, &out2);
    buf_putc(&out2, '\0');
    assert_string_equal(out2.data, canonical);
    buf_free(&out);
    buf_free(&out2);
    watchq_free(q);
    watchq_free(again);
}

/* A post: its text, author, channels and tags (NULL-terminated lists, NULL for none). */
typedef struct post {
    const char *text, *author;
    const char *const *channels, *const *tags;
} post;

static size_t count(const char *const *list)
{
    size_t n = 0;
    while (list && list[n]) n++;
    return n;
}

static bool matches_post(const char *query, post p)
{
    watchq *q = parse_ok(query);
    int64_t id = 42, out[1] = {0};
    watchq_set *set = NULL;
    assert_int_equal(watchq_set_build((const watchq *const *)&q, &id, 1, &set), PL_OK);
    listen_tokens t = LISTEN_TOKENS_INIT;
    assert_int_equal(listen_tokenize(p.text, strlen(p.text), &t), PL_OK);
    watchq_doc doc = {.tokens = &t,
                      .author = p.author,
                      .channels = p.channels,
                      .n_channels = count(p.channels),
                      .tags = p.tags,
                      .n_tags = count(p.tags)};
    size_t n = watchq_set_match(set, &doc, out, 1);
    assert_true(n <= 1);
    if (n) assert_int_equal(out[0], 42);
    listen_tokens_free(&t);
    watchq_set_free(set);
    watchq_free(q);
    return n == 1;
}

static bool matches(const char *query, const char *text)
{
    return matches_post(query, (post){.text = text});
}

/* ------------------------------------------------------------------------------------------ */
/* The grammar                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void test_a_word_matches_the_whole_word_in_any_case(void **state)
{
    (void)state;
    assert_true(matches("launch", "We LAUNCH today"));
    assert_true(matches("Launch", "the #launch went well"));
    assert_false(matches("launch", "launches and relaunch"));
    assert_false(matches("launch", ""));
}

static void test_words_are_folded_like_search(void **state)
{
    (void)state;
    assert_true(matches("Müller", "Mr MULLER called"));
    assert_true(matches("muller", "Frau Müller"));
    assert_true(matches("cafe", "Le Café de Flore"));
    assert_true(matches("CAFÉ", "a cafe downstairs"));
    assert_true(matches("άλφα", "ΑΛΦΑ release"));
}

static void test_a_phrase_is_its_words_in_a_row_across_punctuation(void **state)
{
    (void)state;
    assert_true(matches("\"price increase\"", "The PRICE — increase! is here"));
    assert_true(matches("\"price increase\"", "a price, increase"));
    assert_false(matches("\"price increase\"", "price hike increase"));
    assert_false(matches("\"price increase\"", "increase price"));
    assert_true(matches("e-mail", "send an E-Mail"));
    assert_true(matches("e-mail", "send an e mail"));
    assert_false(matches("e-mail", "e, then a mail"));
    assert_format("e-mail", "\"e mail\"");
    assert_format("\"Launch\"", "launch");
}

static void test_and_needs_both_and_is_implied_between_terms(void **state)
{
    (void)state;
    assert_true(matches("price AND increase", "increase of the price"));
    assert_false(matches("price AND increase", "the price"));
    assert_true(matches("price increase", "increase of the price"));
    assert_false(matches("price increase", "increase"));
    assert_format("a b", "(a AND b)");
    assert_format("a b c", "(a AND b AND c)");
    assert_format("a (b c)", "(a AND (b AND c))");
}

static void test_or_needs_either(void **state)
{
    (void)state;
    assert_true(matches("outage OR downtime", "unplanned downtime"));
    assert_true(matches("outage OR downtime", "an outage"));
    assert_false(matches("outage OR downtime", "all is well"));
}

static void test_not_excludes(void **state)
{
    (void)state;
    assert_true(matches("launch NOT test", "launch day"));
    assert_false(matches("launch NOT test", "test launch"));
    assert_true(matches("launch NOT NOT test", "test launch"));
    assert_true(matches("launch AND NOT (test OR demo)", "launch day"));
    assert_false(matches("launch AND NOT (test OR demo)", "launch demo"));
}

static void test_lower_case_operators_are_words(void **state)
{
    (void)state;
    assert_format("cats and dogs", "(cats AND and AND dogs)");
    assert_format("this or that", "(this AND or AND that)");
    assert_format("near/5 not", "(\"near 5\" AND not)");
}

static void test_precedence_is_not_near_and_or(void **state)
{
    (void)state;
    assert_format("a OR b c", "(a OR (b AND c))");
    assert_format("a b OR c", "((a AND b) OR c)");
    assert_format("a OR b AND c OR d", "(a OR (b AND c) OR d)");
    assert_format("NOT a b", "(NOT a AND b)");
    assert_format("a b NEAR/2 c", "(a AND (b NEAR/2 c))");
    assert_format("a NEAR/2 b OR c", "((a NEAR/2 b) OR c)");
    assert_format("(a OR b) c", "((a OR b) AND c)");
    assert_format("a NOT (b OR c)", "(a AND NOT (b OR c))");
    assert_format("x NOT (a NEAR/3 b)", "(x AND NOT (a NEAR/3 b))");
    /* and what the precedence means for a post */
    assert_true(matches("a OR b c", "a"));
    assert_false(matches("(a OR b) c", "a"));
}

static void test_near_is_either_order_within_n_words(void **state)
{
    (void)state;
    assert_true(matches("price NEAR/2 increase", "price increase"));
    assert_true(matches("price NEAR/2 increase", "price of an increase"));       /* 2 between */
    assert_false(matches("price NEAR/2 increase", "price of the big increase")); /* 3 */
    assert_true(matches("price NEAR/2 increase", "increase in the price"));      /* reversed */
    assert_false(matches("price NEAR/2 increase", "increase in our new price"));
    assert_true(matches("price NEAR/1 increase", "price, increase"));
    assert_false(matches("price NEAR/1 increase", "price"));
    /* phrases on either side, counted from the end of one to the start of the other */
    assert_true(matches("\"price increase\" NEAR/1 \"next week\"", "next week, a price increase"));
    assert_false(
        matches("\"price increase\" NEAR/1 \"next week\"", "next week there is a price increase"));
    assert_true(
        matches("\"price increase\" NEAR/2 \"next week\"", "price increase from the next week"));
    /* the two sides are two places in the post, not one */
    assert_false(matches("beer NEAR/5 beer", "a beer"));
    assert_true(matches("beer NEAR/5 beer", "a beer and another beer"));
}

static void test_from_in_and_hashtags_match_the_post_s_names(void **state)
{
    (void)state;
    const char *design[] = {"Design", NULL}, *tags[] = {"Launch", "q3", NULL};
    post p = {.text = "the new site is live", .author = "Amara", .channels = design, .tags = tags};
    assert_true(matches_post("from:amara", p));
    assert_true(matches_post("from:@AMARA", p));
    assert_false(matches_post("from:bob", p));
    assert_true(matches_post("in:#design", p));
    assert_true(matches_post("in:design", p));
    assert_false(matches_post("in:#sales", p));
    assert_true(matches_post("#launch", p));
    assert_true(matches_post("#Q3 from:amara in:#design site", p));
    assert_false(matches_post("#live", p)); /* a word of the text is not a tag it carries */
    assert_true(matches_post("live", p));
    assert_false(matches("from:amara", "amara wrote this")); /* the author, not the text */
    assert_format("From:Amara IN:#Design #Launch", "(from:amara AND in:#design AND #launch)");
}

static void test_the_set_reports_each_matching_query_once_in_order(void **state)
{
    (void)state;
    const char *texts[] = {"outage OR downtime", "launch",          "\"price increase\"",
                           "outage downtime",    "NOT beer outage", "from:amara"};
    size_t n = sizeof texts / sizeof texts[0];
    watchq *qs[6];
    int64_t ids[6] = {60, 50, 40, 30, 20, 10};
    for (size_t k = 0; k < n; k++) qs[k] = parse_ok(texts[k]);
    watchq_set *set = NULL;
    assert_int_equal(watchq_set_build((const watchq *const *)qs, ids, n, &set), PL_OK);
    for (size_t k = 0; k < n; k++) watchq_free(qs[k]); /* the set keeps what it needs */
    assert_int_equal(watchq_set_count(set), 6);

    const char *text = "Outage and downtime: the price increase, outage again";
    listen_tokens t = LISTEN_TOKENS_INIT;
    listen_tokenize(text, strlen(text), &t);
    watchq_doc doc = {.tokens = &t, .author = "bob"};
    int64_t out[6];
    assert_int_equal(watchq_set_match(set, &doc, out, 6), 4);
    assert_int_equal(out[0], 60);
    assert_int_equal(out[1], 40);
    assert_int_equal(out[2], 30);
    assert_int_equal(out[3], 20);
    /* fewer places than matches: the first ones, and the count of all */
    int64_t two[2];
    assert_int_equal(watchq_set_match(set, &doc, two, 2), 4);
    assert_int_equal(two[1], 40);
    listen_tokens_free(&t);
    watchq_set_free(set);

    assert_int_equal(watchq_set_build(NULL, NULL, 0, &set), PL_OK);
    doc = (watchq_doc){0};
    assert_int_equal(watchq_set_match(set, &doc, out, 6), 0);
    watchq_set_free(set);
}

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static const char *const MISSING_AND = "AND needs something to look for on both sides";
static const char *const MISSING_OR = "OR needs something to look for on both sides";
static const char *const ONLY_NOT = "this NOT would match posts with none of the query's words: "
                                    "pair it with something to look for, as in launch NOT test";

static const struct bad {
    const char *query;
    int position;
    const char *reason;
} bad_queries[] = {
    {"", 1, "the query is empty: type a word to listen for"},
    {"   ", 1, "the query is empty: type a word to listen for"},
    {"a OR b)", 7, "a closing parenthesis without an opening one"},
    {")", 1, "a closing parenthesis without an opening one"},
    {"(a OR b", 1, "the parenthesis opened here is never closed"},
    {"x ((a) OR b", 3, "the parenthesis opened here is never closed"},
    {"a ()", 4, "empty parentheses: put something to look for between them"},
    {"a AND", 3, MISSING_AND},
    {"AND a", 1, MISSING_AND},
    {"a AND OR b", 3, MISSING_AND},
    {"a OR", 3, MISSING_OR},
    {"(OR a)", 2, MISSING_OR},
    {"a NOT", 3, "NOT needs something after it: launch NOT test"},
    {"NOT", 1, "NOT needs something after it: launch NOT test"},
    {"a NEAR b", 3, "NEAR needs a number: NEAR/5"},
    {"a NEAR/ b", 3, "NEAR needs a number: NEAR/5"},
    {"a NEAR/5x b", 3, "NEAR needs a number: NEAR/5"},
    {"a NEAR/0 b", 3, "NEAR/0 is out of range: NEAR takes 1 to 50 words"},
    {"a NEAR/51 b", 3, "NEAR/51 is out of range: NEAR takes 1 to 50 words"},
    {"a NEAR/99999999999999999999 b", 3, "NEAR/999999 is out of range: NEAR takes 1 to 50 words"},
    {"a NEAR/5", 3, "NEAR needs a word or phrase on both sides"},
    {"NEAR/5 a", 1, "NEAR needs a word or phrase on both sides"},
    {"a NEAR/3 b NEAR/3 c", 12, "NEAR joins two words or phrases, not another NEAR"},
    {"(a OR b) NEAR/3 c", 10, "NEAR joins two words or phrases, not a group, NOT or a name"},
    {"a NEAR/3 from:bob", 3, "NEAR joins two words or phrases, not a group, NOT or a name"},
    {"say \"hello", 5, "the quote opened here is never closed"},
    {"\"a\" \"b", 5, "the quote opened here is never closed"},
    {"\"!!\"", 1, "this phrase has no words: put words between the quotes"},
    {"a !!! b", 3, "nothing to look for here: a word needs letters or digits"},
    {"from:", 1, "from: needs a username right after it, with no space: from:amara"},
    {"x from: amara", 3, "from: needs a username right after it, with no space: from:amara"},
    {"from:@", 1, "from: needs a username right after it, with no space: from:amara"},
    {"from:am-ara", 8, "a username has only letters, digits and _"},
    {"in:#", 1, "in: needs a channel's name right after it, with no space: in:#design"},
    {"in:#dé", 6, "a channel's name has only letters, digits and _"},
    {"# launch", 1, "a # needs a hashtag right after it, with no space: #launch"},
    {"#launch!", 8, "a hashtag has only letters, digits and _"},
    {"#\xcc\x81", 2, "a hashtag has only letters, digits and _"}, /* a combining mark alone */
    {"NOT spam", 1, ONLY_NOT},
    {"launch OR NOT test", 11, ONLY_NOT},
    {"NOT (a OR b)", 1, ONLY_NOT},
    {"(NOT a) OR (NOT b) c", 2, ONLY_NOT},
    {"Müller AND", 8, MISSING_AND}, /* positions count characters, not bytes */
    {"€ a \xff", 5, "the query is not valid UTF-8 text here"},
};

static void test_bad_queries_say_where_and_why(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof bad_queries / sizeof bad_queries[0]; k++) {
        const struct bad *b = &bad_queries[k];
        watchq *q = (watchq *)1;
        watchq_error err = {0};
        int rc = watchq_parse(b->query, strlen(b->query), &q, &err);
        if (rc == PL_OK || err.position != b->position || strcmp(err.reason, b->reason) != 0)
            fail_msg("'%s': got %d at %d '%s', expected at %d '%s'", b->query, rc, err.position,
                     err.reason, b->position, b->reason);
        assert_true(rc == PL_EINVAL || rc == PL_ELIMIT);
        assert_null(q);
    }
}

/* Each limit: its edge is accepted, one past it refused with its own reason. */
static void test_limits_are_enforced_with_their_own_reasons(void **state)
{
    (void)state;
    char text[2100];
    watchq *q;
    watchq_error err;

    memset(text, 'a', WATCHQ_MAX_BYTES);
    text[WATCHQ_MAX_BYTES] = '\0';
    q = parse_ok(text);
    watchq_free(q);
    text[WATCHQ_MAX_BYTES] = 'a';
    assert_int_equal(watchq_parse(text, WATCHQ_MAX_BYTES + 1, &q, &err), PL_ELIMIT);
    assert_int_equal(err.position, WATCHQ_MAX_BYTES + 1);
    assert_string_equal(err.reason, "the query is longer than 1000 bytes");

    /* 64 terms (a phrase is one), then a 65th */
    size_t n = 0;
    n += (size_t)sprintf(text + n, "\"w0 x y z\"");
    for (int k = 1; k < WATCHQ_MAX_TERMS; k++) n += (size_t)sprintf(text + n, " w%d", k);
    q = parse_ok(text);
    watchq_free(q);
    int at = (int)n + 2;
    sprintf(text + n, " #more");
    assert_int_equal(watchq_parse(text, strlen(text), &q, &err), PL_ELIMIT);
    assert_int_equal(err.position, at);
    assert_string_equal(err.reason,
                        "more than 64 terms: a query has at most 64 words, phrases, names and "
                        "hashtags");

    /* 16 parentheses inside each other, then 17 */
    n = 0;
    for (int k = 0; k < WATCHQ_MAX_DEPTH; k++) text[n++] = '(';
    text[n++] = 'a';
    for (int k = 0; k < WATCHQ_MAX_DEPTH; k++) text[n++] = ')';
    text[n] = '\0';
    q = parse_ok(text);
    watchq_free(q);
    n = 0;
    for (int k = 0; k < WATCHQ_MAX_DEPTH + 1; k++) text[n++] = '(';
    text[n++] = 'a';
    for (int k = 0; k < WATCHQ_MAX_DEPTH + 1; k++) text[n++] = ')';
    text[n] = '\0';
    assert_int_equal(watchq_parse(text, n, &q, &err), PL_ELIMIT);
    assert_int_equal(err.position, WATCHQ_MAX_DEPTH + 1);
    assert_string_equal(err.reason, "parentheses nested deeper than 16");

    /* NEAR/1 and NEAR/50 are the edges */
    q = parse_ok("a NEAR/1 b");
    watchq_free(q);
    q = parse_ok("a NEAR/50 b");
    watchq_free(q);
}

/* ------------------------------------------------------------------------------------------ */
/* The property: the set answers what each query alone answers                                */
/* ------------------------------------------------------------------------------------------ */

/* A random query as a tree of the test's own, rendered to text for the parser and evaluated
 * here directly against a post's words. */
enum { T_WORD, T_PHRASE, T_NEAR, T_FROM, T_IN, T_TAG, T_AND, T_OR, T_NOT };

typedef struct tnode {
    int kind;
    int w[3], nw; /* T_WORD/T_PHRASE: words; T_NEAR: the first side */
    int v[3], nv; /* T_NEAR: the second side */
    int near;     /* T_NEAR */
    int name;     /* T_FROM, T_IN, T_TAG */
    struct tnode *a, *b;
} tnode;

/* Words as the queries write them, and as posts may spell them (folding must join them). */
static const char *const vocab[] = {"alpha", "beta", "gamma", "delta", "creme", "zeta", "eta"};
static const char *const spellings[][3] = {
    {"alpha", "Alpha", "ALPHA"}, {"beta", "Beta", "#beta"},   {"gamma", "GAMMA", "@gamma"},
    {"delta", "Delta", "DELTA"}, {"crème", "CRÈME", "Creme"}, {"zeta", "Zeta", "zeta"},
    {"eta", "ETA", "Eta"},
};
#define N_VOCAB 7
static const char *const names[] = {"amara", "bo", "cy"};
static const char *const channels[] = {"design", "ops", "sales"};
static const char *const tags[] = {"launch", "bug", "ship"};

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static tnode pool[32768]; /* every tree kept: at most 31 nodes each (depth ≤ 4) */
static size_t pooled;

static tnode *leaf(void)
{
    tnode *t = &pool[pooled++];
    memset(t, 0, sizeof *t);
    uint32_t r = rnd(20);
    if (r < 9) {
        t->kind = T_WORD, t->nw = 1, t->w[0] = (int)rnd(N_VOCAB);
    } else if (r < 12) {
        t->kind = T_PHRASE, t->nw = 2 + (int)rnd(2);
        for (int k = 0; k < t->nw; k++) t->w[k] = (int)rnd(N_VOCAB);
    } else if (r < 15) {
        t->kind = T_NEAR, t->nw = 1 + (int)rnd(2), t->nv = 1 + (int)rnd(2);
        t->near = 1 + (int)rnd(4);
        for (int k = 0; k < t->nw; k++) t->w[k] = (int)rnd(N_VOCAB);
        for (int k = 0; k < t->nv; k++) t->v[k] = (int)rnd(N_VOCAB);
    } else {
        t->kind = r < 17 ? T_FROM : r < 19 ? T_IN : T_TAG;
        t->name = (int)rnd(3);
    }
    return t;
}

static tnode *tree(int depth)
{
    if (depth == 0 || rnd(3) == 0) return leaf();
    tnode *t = &pool[pooled++];
    memset(t, 0, sizeof *t);
    uint32_t r = rnd(10);
    t->kind = r < 4 ? T_AND : r < 7 ? T_OR : T_NOT;
    t->a = tree(depth - 1);
    if (t->kind != T_NOT) t->b = tree(depth - 1);
    return t;
}

static int prec(const tnode *t)
{
    switch (t->kind) {
    case T_OR: return 1;
    case T_AND: return 2;
    case T_NEAR: return 3;
    case T_NOT: return 4;
    default: return 5;
    }
}

static void render_words(buf *out, const int *w, int n)
{
    if (n > 1) buf_putc(out, '"');
    for (int k = 0; k < n; k++) {
        if (k) buf_putc(out, ' ');
        buf_puts(out, vocab[w[k]]);
    }
    if (n > 1) buf_putc(out, '"');
}

/* Renders t needing at least precedence min where it stands (parentheses otherwise, and
 * sometimes where none are needed). */
static void render(buf *out, const tnode *t, int min)
{
    bool paren = prec(t) < min || rnd(8) == 0;
    if (paren) buf_putc(out, '(');
    switch (t->kind) {
    case T_WORD:
    case T_PHRASE: render_words(out, t->w, t->nw); break;
    case T_NEAR:
        render_words(out, t->w, t->nw);
        buf_printf(out, " NEAR/%d ", t->near);
        render_words(out, t->v, t->nv);
        break;
    case T_FROM: buf_printf(out, "from:%s", names[t->name]); break;
    case T_IN: buf_printf(out, rnd(2) ? "in:#%s" : "in:%s", channels[t->name]); break;
    case T_TAG: buf_printf(out, "#%s", tags[t->name]); break;
    case T_NOT:
        buf_puts(out, "NOT ");
        render(out, t->a, 4);
        break;
    case T_AND:
    case T_OR:
        render(out, t->a, prec(t));
        buf_puts(out, t->kind == T_OR ? " OR " : rnd(2) ? " AND " : " ");
        render(out, t->b, prec(t) + 1);
        break;
    }
    if (paren) buf_putc(out, ')');
}

typedef struct tpost {
    int words[24], n;
    int author; /* -1: none */
    bool in[3], tagged[3];
} tpost;

static bool run_at(const tpost *p, int at, const int *w, int n)
{
    if (at < 0 || at + n > p->n) return false;
    for (int k = 0; k < n; k++)
        if (p->words[at + k] != w[k]) return false;
    return true;
}

static bool eval(const tnode *t, const tpost *p)
{
    switch (t->kind) {
    case T_WORD:
    case T_PHRASE:
        for (int i = 0; i < p->n; i++)
            if (run_at(p, i, t->w, t->nw)) return true;
        return false;
    case T_NEAR:
        for (int i = 0; i < p->n; i++)
            for (int j = 0; j < p->n; j++) {
                if (!run_at(p, i, t->w, t->nw) || !run_at(p, j, t->v, t->nv)) continue;
                if (j >= i + t->nw && j - (i + t->nw) <= t->near) return true;
                if (i >= j + t->nv && i - (j + t->nv) <= t->near) return true;
            }
        return false;
    case T_FROM: return p->author == t->name;
    case T_IN: return p->in[t->name];
    case T_TAG: return p->tagged[t->name];
    case T_NOT: return !eval(t->a, p);
    case T_AND: return eval(t->a, p) && eval(t->b, p);
    default: return eval(t->a, p) || eval(t->b, p);
    }
}

static void random_post(tpost *p, buf *text)
{
    memset(p, 0, sizeof *p);
    p->n = (int)rnd(20);
    text->len = 0;
    static const char *const between[] = {" ", ", ", " — ", "! ", " (", ") ", " 🚀 ", "\n"};
    for (int k = 0; k < p->n; k++) {
        p->words[k] = (int)rnd(N_VOCAB);
        if (k) buf_puts(text, between[rnd(8)]);
        buf_puts(text, spellings[p->words[k]][rnd(3)]);
    }
    p->author = (int)rnd(4) - 1;
    for (int k = 0; k < 3; k++) p->in[k] = rnd(4) == 0, p->tagged[k] = rnd(4) == 0;
}

static void test_the_set_answers_what_each_query_alone_answers(void **state)
{
    (void)state;
    enum { QUERIES = 300, POSTS = 2000 };
    watchq *qs[QUERIES];
    tnode *trees[QUERIES];
    int64_t ids[QUERIES];
    size_t n = 0, refused = 0;
    tpost empty = {.author = -1};
    buf text = BUF_INIT;
    while (n < QUERIES) {
        if (pooled + 31 > sizeof pool / sizeof pool[0]) fail_msg("the pool is too small");
        tnode *t = tree(1 + (int)rnd(4));
        text.len = 0;
        render(&text, t, 0);
        watchq_error err;
        watchq *q = NULL;
        int rc = watchq_parse(text.data, text.len, &q, &err);
        /* refused exactly when it would match a post that has nothing */
        if (eval(t, &empty)) {
            if (rc != PL_EINVAL) fail_msg("'%.*s' should be refused", (int)text.len, text.data);
            refused++;
            continue;
        }
        if (rc != PL_OK)
            fail_msg("'%.*s' refused at %d: %s", (int)text.len, text.data, err.position,
                     err.reason);
        trees[n] = t, qs[n] = q, ids[n] = (int64_t)(1000 + n);
        n++;
    }
    assert_true(refused > 0);

    watchq_set *set = NULL;
    assert_int_equal(watchq_set_build((const watchq *const *)qs, ids, n, &set), PL_OK);
    listen_tokens tokens = LISTEN_TOKENS_INIT;
    int64_t out[QUERIES];
    size_t total = 0;
    for (int k = 0; k < POSTS; k++) {
        tpost p;
        random_post(&p, &text);
        listen_tokenize(text.data, text.len, &tokens);
        assert_int_equal(tokens.n, p.n);
        const char *in[3], *tg[3];
        size_t n_in = 0, n_tg = 0;
        for (int c = 0; c < 3; c++) {
            if (p.in[c]) in[n_in++] = channels[c];
            if (p.tagged[c]) tg[n_tg++] = tags[c];
        }
        watchq_doc doc = {.tokens = &tokens,
                          .author = p.author >= 0 ? names[p.author] : NULL,
                          .channels = in,
                          .n_channels = n_in,
                          .tags = tg,
                          .n_tags = n_tg};
        size_t got = watchq_set_match(set, &doc, out, QUERIES), next = 0;
        for (size_t q = 0; q < n; q++) {
            bool expected = eval(trees[q], &p);
            bool reported = next < got && out[next] == ids[q];
            if (expected != reported) {
                buf f = BUF_INIT;
                watchq_format(qs[q], &f);
                fail_msg("post '%.*s' (author %d): query %zu %.*s: expected %d", (int)text.len,
                         text.data, p.author, q, (int)f.len, f.data, expected);
            }
            if (reported) next++;
        }
        assert_int_equal(next, got);
        total += got;
    }
    /* the test means something only if posts match some queries and miss others */
    assert_true(total > POSTS);
    assert_true(total < (size_t)POSTS * n / 2);
    listen_tokens_free(&tokens);
    watchq_set_free(set);
    for (size_t q = 0; q < n; q++) watchq_free(qs[q]);
    buf_free(&text);
}

/* Four threads match the same posts against one set at once and each gets what one thread
 * alone got. */
typedef struct reader {
    const watchq_set *set;
    const listen_tokens *posts;
    size_t n_posts;
    size_t got[64];
} reader;

static void *read_all(void *arg)
{
    reader *r = arg;
    int64_t out[8];
    for (int round = 0; round < 200; round++)
        for (size_t k = 0; k < r->n_posts; k++) {
            watchq_doc doc = {.tokens = &r->posts[k], .author = "amara"};
            size_t n = watchq_set_match(r->set, &doc, out, 8);
            if (round == 0)
                r->got[k] = n;
            else if (r->got[k] != n)
                r->got[k] = SIZE_MAX;
        }
    return NULL;
}

static void test_threads_match_against_one_set_at_once(void **state)
{
    (void)state;
    const char *texts[] = {"outage OR downtime", "\"price increase\"", "price NEAR/3 increase",
                           "from:amara launch",  "launch NOT test",    "#never"};
    enum { N = 6 };
    watchq *qs[N];
    int64_t ids[N];
    for (size_t k = 0; k < N; k++) qs[k] = parse_ok(texts[k]), ids[k] = (int64_t)k;
    watchq_set *set = NULL;
    assert_int_equal(watchq_set_build((const watchq *const *)qs, ids, N, &set), PL_OK);
    const char *post_texts[] = {"an outage",    "the price increase and the launch",
                                "test launch",  "price is up, an increase",
                                "nothing here", "downtime launch"};
    listen_tokens posts[6];
    for (size_t k = 0; k < 6; k++) {
        posts[k] = (listen_tokens)LISTEN_TOKENS_INIT;
        listen_tokenize(post_texts[k], strlen(post_texts[k]), &posts[k]);
    }
    reader alone = {.set = set, .posts = posts, .n_posts = 6};
    read_all(&alone);
    reader readers[4];
    pthread_t threads[4];
    for (int t = 0; t < 4; t++) {
        readers[t] = (reader){.set = set, .posts = posts, .n_posts = 6};
        assert_int_equal(pthread_create(&threads[t], NULL, read_all, &readers[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        assert_memory_equal(readers[t].got, alone.got, 6 * sizeof alone.got[0]);
    }
    assert_int_equal(alone.got[0], 1); /* outage */
    assert_int_equal(alone.got[1],
                     4); /* the phrase, the NEAR, from:amara launch, launch NOT test */
    for (size_t k = 0; k < 6; k++) listen_tokens_free(&posts[k]);
    for (size_t k = 0; k < N; k++) watchq_free(qs[k]);
    watchq_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_word_matches_the_whole_word_in_any_case),
        cmocka_unit_test(test_words_are_folded_like_search),
        cmocka_unit_test(test_a_phrase_is_its_words_in_a_row_across_punctuation),
        cmocka_unit_test(test_and_needs_both_and_is_implied_between_terms),
        cmocka_unit_test(test_or_needs_either),
        cmocka_unit_test(test_not_excludes),
        cmocka_unit_test(test_lower_case_operators_are_words),
        cmocka_unit_test(test_precedence_is_not_near_and_or),
        cmocka_unit_test(test_near_is_either_order_within_n_words),
        cmocka_unit_test(test_from_in_and_hashtags_match_the_post_s_names),
        cmocka_unit_test(test_the_set_reports_each_matching_query_once_in_order),
        cmocka_unit_test(test_bad_queries_say_where_and_why),
        cmocka_unit_test(test_limits_are_enforced_with_their_own_reasons),
        cmocka_unit_test(test_the_set_answers_what_each_query_alone_answers),
        cmocka_unit_test(test_threads_match_against_one_set_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
