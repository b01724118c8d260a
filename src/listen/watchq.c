/*
 * watchq.c — the watch query language: lexing, parsing into a tree, the refusals, and the
 * canonical form (watchq.h describes the language; watchq_set.c matches the trees).
 *
 * Design. A hand-written recursive descent, one function per precedence level (or → and →
 * near → unary → primary), over lexemes read one ahead. A lexeme is a parenthesis, a quoted
 * phrase, or a chunk — the bytes up to the next space, parenthesis or quote — which is an
 * operator when it is exactly AND, OR, NOT or NEAR/n, a name when it starts with from:, in:
 * or #, and otherwise text: its words through listen_tokenize(), exactly as a post's words
 * are read, so a query and a post can never disagree about what a word is.
 *
 * Errors. The first fault found wins; it names the place a person must look at: the operator
 * that lacks an operand (not the end of the text), the parenthesis or quote that is never
 * closed, the NOT that would match posts with none of the query's words. Positions are
 * characters, not bytes, so a web client can point into the text a person typed.
 *
 * Must never: accept a query the set could not find from something a post has (see
 * only_negative), read outside the text, or keep a pointer into it (words are copied).
 */
#include "watchq.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/watchq_internal.h"
#include "util/err.h"
#include "util/text.h"

typedef enum { L_END, L_LPAREN, L_RPAREN, L_AND, L_OR, L_NOT, L_NEAR, L_TERM } lex_kind;

typedef struct lexeme {
    lex_kind kind;
    size_t at;     /* byte offset of its first byte */
    uint32_t near; /* L_NEAR: n */
    wq_node *term; /* L_TERM: the leaf */
} lexeme;

typedef struct parser {
    const char *s;
    size_t len, i; /* the text, and where the next lexeme starts */
    arena *mem;
    lexeme cur;
    int depth, terms;
    bool failed;
    int status;
    watchq_error *err;
} parser;

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The 1-based character at byte offset at (one past the end for at = len). */
static uint32_t char_position(const char *s, size_t at)
{
    uint32_t n = 1;
    for (size_t k = 0; k < at; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) n++;
    return n;
}

/* Records the first fault; returns NULL so callers can `return fail(…)`. */
__attribute__((format(printf, 4, 5))) static wq_node *fail(parser *p, size_t at, int status,
                                                           const char *fmt, ...)
{
    if (p->failed) return NULL;
    p->failed = true;
    p->status = status;
    if (p->err) {
        p->err->position = (int)char_position(p->s, at);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->reason, sizeof p->err->reason, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Lexing                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool ends_chunk(char c)
{
    return is_space(c) || c == '(' || c == ')' || c == '"';
}

static wq_node *new_node(parser *p, wq_kind kind, size_t at)
{
    wq_node *n = arena_alloc(p->mem, sizeof *n);
    n->kind = kind;
    n->at = (uint32_t)at;
    return n;
}

/* A leaf counts against WATCHQ_MAX_TERMS. */
static bool count_term(parser *p, size_t at)
{
    if (++p->terms <= WATCHQ_MAX_TERMS) return true;
    fail(p, at, PL_ELIMIT,
         "more than %d terms: a query has at most %d words, phrases, names and hashtags",
         WATCHQ_MAX_TERMS, WATCHQ_MAX_TERMS);
    return false;
}

/* The words of s[at..at+n) as a WQ_WORD or WQ_PHRASE; NULL (no fault) when it has none. */
static wq_node *text_leaf(parser *p, size_t at, size_t n)
{
    listen_tokens t = LISTEN_TOKENS_INIT;
    listen_tokenize(p->s + at, n, &t); /* n ≤ WATCHQ_MAX_BYTES: cannot fail */
    wq_node *leaf = NULL;
    if (t.n > 0) {
        leaf = new_node(p, t.n == 1 ? WQ_WORD : WQ_PHRASE, at);
        leaf->n_words = (uint32_t)t.n;
        leaf->words = arena_alloc(p->mem, t.n * sizeof *leaf->words);
        for (size_t k = 0; k < t.n; k++)
            leaf->words[k] = arena_strndup(p->mem, t.items[k].text, t.items[k].len);
    }
    listen_tokens_free(&t);
    return leaf;
}

/* A chunk of text: its words, one term; a fault when it has none ("!!!", an emoji). */
static wq_node *text_words(parser *p, size_t at, size_t n)
{
    wq_node *leaf = text_leaf(p, at, n);
    if (!leaf)
        return fail(p, at, PL_EINVAL, "nothing to look for here: a word needs letters or digits");
    return count_term(p, at) ? leaf : NULL;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* from:NAME or in:NAME (kind WQ_FROM or WQ_IN), the prefix at prefix_at, the name s[at..at+n)
 * after it (an '@' or '#' before it is dropped); example ends the fault's reason. */
static wq_node *name_leaf(parser *p, wq_kind kind, size_t prefix_at, size_t at, size_t n,
                          const char *example)
{
    char sigil = kind == WQ_FROM ? '@' : '#';
    if (n > 0 && p->s[at] == sigil) at++, n--;
    if (n == 0)
        return fail(p, prefix_at, PL_EINVAL, "%s needs %s right after it, with no space: %s",
                    kind == WQ_FROM ? "from:" : "in:",
                    kind == WQ_FROM ? "a username" : "a channel's name", example);
    for (size_t k = 0; k < n; k++)
        if (!is_name_char(p->s[at + k]))
            return fail(p, at + k, PL_EINVAL, "%s has only letters, digits and _",
                        kind == WQ_FROM ? "a username" : "a channel's name");
    if (!count_term(p, prefix_at)) return NULL;
    wq_node *leaf = new_node(p, kind, prefix_at);
    leaf->n_words = 1;
    leaf->words = arena_alloc(p->mem, sizeof *leaf->words);
    leaf->words[0] = arena_alloc(p->mem, n + 1);
    listen_fold(p->s + at, n, leaf->words[0]);
    return leaf;
}

static wq_node *tag_leaf(parser *p, size_t at, size_t n)
{
    if (n == 1)
        return fail(p, at, PL_EINVAL, "a # needs a hashtag right after it, with no space: #launch");
    for (size_t k = at + 1; k < at + n;) {
        uint32_t cp;
        size_t m = text_utf8_decode(p->s, at + n, k, &cp);
        if (m == 0 || !text_is_word_char(cp))
            return fail(p, k, PL_EINVAL, "a hashtag has only letters, digits and _");
        k += m;
    }
    if (!count_term(p, at)) return NULL;
    wq_node *leaf = new_node(p, WQ_TAG, at);
    leaf->n_words = 1;
    leaf->words = arena_alloc(p->mem, sizeof *leaf->words);
    leaf->words[0] = arena_alloc(p->mem, n);
    if (listen_fold(p->s + at + 1, n - 1, leaf->words[0]) == 0) /* combining marks only */
        return fail(p, at + 1, PL_EINVAL, "a hashtag has only letters, digits and _");
    return leaf;
}

static bool chunk_is(const char *s, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(s, word, n) == 0;
}

static bool has_prefix_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncasecmp(s, prefix, k) == 0;
}

/* NEAR/n at s[at..at+n): sets *near, or records the fault. */
static bool near_distance(parser *p, size_t at, size_t n, uint32_t *near)
{
    const char *d = p->s + at + 5;
    size_t dn = n - 5;
    size_t digits = 0;
    unsigned long v = 0; /* stops growing past the limit: NEAR/99999999999999999999 is no wrap */
    for (; digits < dn && d[digits] >= '0' && d[digits] <= '9'; digits++)
        if (v <= WATCHQ_NEAR_MAX) v = v * 10 + (unsigned long)(d[digits] - '0');
    if (digits < dn) dn = 0;
    if (dn == 0) {
        fail(p, at, PL_EINVAL, "NEAR needs a number: NEAR/5");
        return false;
    }
    if (v < WATCHQ_NEAR_MIN || v > WATCHQ_NEAR_MAX) {
        fail(p, at, PL_ELIMIT, "NEAR/%.*s is out of range: NEAR takes %d to %d words",
             (int)(dn > 6 ? 6 : dn), d, WATCHQ_NEAR_MIN, WATCHQ_NEAR_MAX);
        return false;
    }
    *near = (uint32_t)v;
    return true;
}

/* Reads the next lexeme into p->cur (L_END with p->failed on a fault). */
static void next(parser *p)
{
    while (p->i < p->len && is_space(p->s[p->i])) p->i++;
    size_t at = p->i;
    p->cur = (lexeme){.kind = L_END, .at = at};
    if (p->failed || at == p->len) return;
    char c = p->s[at];
    if (c == '(' || c == ')') {
        p->cur.kind = c == '(' ? L_LPAREN : L_RPAREN;
        p->i++;
        return;
    }
    if (c == '"') {
        const char *close = memchr(p->s + at + 1, '"', p->len - at - 1);
        if (!close) {
            fail(p, at, PL_EINVAL, "the quote opened here is never closed");
            return;
        }
        size_t inner = (size_t)(close - p->s) - at - 1;
        p->i = at + inner + 2;
        wq_node *leaf = text_leaf(p, at + 1, inner);
        if (!leaf) {
            fail(p, at, PL_EINVAL, "this phrase has no words: put words between the quotes");
            return;
        }
        leaf->at = (uint32_t)at;
        if (!count_term(p, at)) return;
        p->cur = (lexeme){.kind = L_TERM, .at = at, .term = leaf};
        return;
    }
    size_t n = 0;
    while (at + n < p->len && !ends_chunk(p->s[at + n])) n++;
    p->i = at + n;
    const char *w = p->s + at;
    if (chunk_is(w, n, "AND"))
        p->cur.kind = L_AND;
    else if (chunk_is(w, n, "OR"))
        p->cur.kind = L_OR;
    else if (chunk_is(w, n, "NOT"))
        p->cur.kind = L_NOT;
    else if (chunk_is(w, n, "NEAR") || (n >= 5 && memcmp(w, "NEAR/", 5) == 0)) {
        if (n == 4) {
            fail(p, at, PL_EINVAL, "NEAR needs a number: NEAR/5");
            return;
        }
        if (near_distance(p, at, n, &p->cur.near)) p->cur.kind = L_NEAR;
    } else {
        wq_node *leaf;
        if (has_prefix_ci(w, n, "from:"))
            leaf = name_leaf(p, WQ_FROM, at, at + 5, n - 5, "from:amara");
        else if (has_prefix_ci(w, n, "in:"))
            leaf = name_leaf(p, WQ_IN, at, at + 3, n - 3, "in:#design");
        else if (w[0] == '#')
            leaf = tag_leaf(p, at, n);
        else
            leaf = text_words(p, at, n);
        if (leaf) p->cur = (lexeme){.kind = L_TERM, .at = at, .term = leaf};
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static wq_node *parse_or(parser *p, const lexeme *asker);

static const char *op_name(lex_kind k)
{
    return k == L_AND ? "AND" : k == L_OR ? "OR" : k == L_NOT ? "NOT" : "NEAR";
}

/* p->cur cannot start an operand that `asker` needs (NULL: the query's start): the fault. */
static wq_node *missing_operand(parser *p, const lexeme *asker)
{
    const lexeme *cur = &p->cur;
    if (p->failed) return NULL;
    if (!asker || asker->kind == L_LPAREN) {
        if (cur->kind == L_RPAREN && asker)
            return fail(p, cur->at, PL_EINVAL,
                        "empty parentheses: put something to look for between them");
        if (cur->kind == L_RPAREN)
            return fail(p, cur->at, PL_EINVAL, "a closing parenthesis without an opening one");
        if (cur->kind == L_END)
            return fail(p, asker ? asker->at : 0, PL_EINVAL,
                        asker ? "the parenthesis opened here is never closed"
                              : "the query is empty: type a word to listen for");
        asker = cur; /* a binary operator with nothing on its left */
    }
    if (asker->kind == L_NOT)
        return fail(p, asker->at, PL_EINVAL, "NOT needs something after it: launch NOT test");
    if (asker->kind == L_NEAR)
        return fail(p, asker->at, PL_EINVAL, "NEAR needs a word or phrase on both sides");
    return fail(p, asker->at, PL_EINVAL, "%s needs something to look for on both sides",
                op_name(asker->kind));
}

static wq_node *parse_unary(parser *p, const lexeme *asker)
{
    lexeme here = p->cur;
    if (here.kind == L_TERM) {
        next(p);
        return here.term;
    }
    if (here.kind == L_NOT) {
        next(p);
        wq_node *a = parse_unary(p, &here);
        if (!a) return NULL;
        wq_node *n = new_node(p, WQ_NOT, here.at);
        n->a = a;
        return n;
    }
    if (here.kind == L_LPAREN) {
        if (++p->depth > WATCHQ_MAX_DEPTH)
            return fail(p, here.at, PL_ELIMIT, "parentheses nested deeper than %d",
                        WATCHQ_MAX_DEPTH);
        next(p);
        wq_node *inner = parse_or(p, &here);
        if (!inner) return NULL;
        if (p->cur.kind != L_RPAREN)
            return fail(p, here.at, PL_EINVAL, "the parenthesis opened here is never closed");
        p->depth--;
        next(p);
        return inner;
    }
    return missing_operand(p, asker);
}

static bool is_words(const wq_node *n)
{
    return n->kind == WQ_WORD || n->kind == WQ_PHRASE;
}

static wq_node *parse_near(parser *p, const lexeme *asker)
{
    wq_node *left = parse_unary(p, asker);
    while (left && p->cur.kind == L_NEAR) {
        lexeme op = p->cur;
        next(p);
        wq_node *right = parse_unary(p, &op);
        if (!right) return NULL;
        if (!is_words(left) || !is_words(right))
            return fail(p, op.at, PL_EINVAL, "NEAR joins two words or phrases, not %s",
                        !is_words(left) && left->kind == WQ_NEAR ? "another NEAR"
                                                                 : "a group, NOT or a name");
        wq_node *n = new_node(p, WQ_NEAR, op.at);
        n->a = left, n->b = right, n->near = op.near;
        left = n;
    }
    return left;
}

static bool starts_operand(lex_kind k)
{
    return k == L_TERM || k == L_LPAREN || k == L_NOT;
}

static wq_node *join(parser *p, wq_kind kind, size_t at, wq_node *a, wq_node *b)
{
    wq_node *n = new_node(p, kind, at);
    n->a = a, n->b = b;
    return n;
}

static wq_node *parse_and(parser *p, const lexeme *asker)
{
    wq_node *left = parse_near(p, asker);
    while (left) {
        lexeme op = p->cur;
        if (op.kind == L_AND)
            next(p);
        else if (!starts_operand(op.kind))
            break;
        wq_node *right = parse_near(p, &op);
        if (!right) return NULL;
        left = join(p, WQ_AND, op.at, left, right);
    }
    return left;
}

static wq_node *parse_or(parser *p, const lexeme *asker)
{
    wq_node *left = parse_and(p, asker);
    while (left && p->cur.kind == L_OR) {
        lexeme op = p->cur;
        next(p);
        wq_node *right = parse_and(p, &op);
        if (!right) return NULL;
        left = join(p, WQ_OR, op.at, left, right);
    }
    return left;
}

/* True if n matches a post with no words, author, channel or tag: such a query could match
 * without the set ever hearing of it. */
static bool only_negative(const wq_node *n)
{
    switch (n->kind) {
    case WQ_NOT: return !only_negative(n->a);
    case WQ_AND: return only_negative(n->a) && only_negative(n->b);
    case WQ_OR: return only_negative(n->a) || only_negative(n->b);
    default: return false;
    }
}

/* The NOT that makes n (only_negative) match a post with nothing in it. */
static const wq_node *culprit(const wq_node *n)
{
    while (n->kind != WQ_NOT) n = only_negative(n->a) ? n->a : n->b;
    return n;
}

int watchq_parse(const char *text, size_t len, watchq **out, watchq_error *err)
{
    *out = NULL;
    parser p = {.s = text, .len = len, .err = err};
    if (len > WATCHQ_MAX_BYTES) {
        fail(&p, WATCHQ_MAX_BYTES, PL_ELIMIT, "the query is longer than %d bytes",
             WATCHQ_MAX_BYTES);
        return p.status;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_decode(text, len, i, &cp);
        if (n == 0 || cp == 0) {
            fail(&p, i, PL_EINVAL, "the query is not valid UTF-8 text here");
            return p.status;
        }
        i += n;
    }
    watchq *q = calloc(1, sizeof *q);
    if (!q) abort();
    p.mem = &q->mem;
    next(&p);
    wq_node *root = p.failed ? NULL : parse_or(&p, NULL);
    if (root && p.cur.kind == L_RPAREN)
        fail(&p, p.cur.at, PL_EINVAL, "a closing parenthesis without an opening one");
    else if (root && only_negative(root))
        fail(&p, culprit(root)->at, PL_EINVAL,
             "this NOT would match posts with none of the query's words: pair it with "
             "something to look for, as in launch NOT test");
    if (p.failed) {
        watchq_free(q);
        return p.status;
    }
    q->root = root;
    *out = q;
    return PL_OK;
}

void watchq_free(watchq *q)
{
    if (!q) return;
    arena_free(&q->mem);
    free(q);
}

/* ------------------------------------------------------------------------------------------ */
/* The canonical form                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void format_chain(const wq_node *n, buf *out);

static void format_node(const wq_node *n, buf *out)
{
    switch (n->kind) {
    case WQ_WORD: buf_puts(out, n->words[0]); return;
    case WQ_PHRASE:
        buf_putc(out, '"');
        for (uint32_t k = 0; k < n->n_words; k++) {
            if (k) buf_putc(out, ' ');
            buf_puts(out, n->words[k]);
        }
        buf_putc(out, '"');
        return;
    case WQ_FROM: buf_printf(out, "from:%s", n->words[0]); return;
    case WQ_IN: buf_printf(out, "in:#%s", n->words[0]); return;
    case WQ_TAG: buf_printf(out, "#%s", n->words[0]); return;
    case WQ_NOT:
        buf_puts(out, "NOT ");
        format_node(n->a, out);
        return;
    case WQ_NEAR:
    case WQ_AND:
    case WQ_OR:
        buf_putc(out, '(');
        format_chain(n, out);
        buf_putc(out, ')');
        return;
    }
}

/* A binary node without its parentheses; a left operand of the same operator joins the
 * chain ("(a AND b AND c)": the parser reads a chain from the left). */
static void format_chain(const wq_node *n, buf *out)
{
    if (n->a->kind == n->kind)
        format_chain(n->a, out);
    else
        format_node(n->a, out);
    if (n->kind == WQ_NEAR)
        buf_printf(out, " NEAR/%u ", n->near);
    else
        buf_puts(out, n->kind == WQ_AND ? " AND " : " OR ");
    format_node(n->b, out);
}

void watchq_format(const watchq *q, buf *out)
{
    format_node(q->root, out);
}
