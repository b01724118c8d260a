/*
 * watchq_set.c — many watch queries matched against a post in one pass over its words.
 *
 * Design. Building flattens every query into a small postfix program over *literals*: the
 * leaves a post either has or has not — a word, a phrase, a NEAR of two word runs, an author,
 * a channel, a tag. Equal literals of different queries are one literal (a company's watches
 * share words: "outage", the company's name). One hash table maps a *key* — a folded word, or
 * an author's, channel's or tag's name, each in its own namespace — to what it starts:
 *   - the literal that is that key alone (a word, from:, in:, #tag), true as soon as seen;
 *   - the phrases and NEARs whose first word it is (their anchor), to be checked at the
 *     positions where it occurs, and only there.
 * Matching a post then reads its words once, looking each up (one hash probe per word);
 * anchored literals are checked by comparing the words that follow (a phrase) or by looking
 * for the other side within n words on either side (NEAR: a window of at most 2 × 50 words
 * plus the sides' lengths). The literals found true lead, through a table from literal to the
 * queries that use it, to the only queries worth evaluating; each runs its program with a
 * literal's truth looked up among the few found. The cost per post is its words plus what
 * they hit, not the number of queries: a query none of whose literals occur is never touched.
 * That is sound because watchq_parse() refuses every query that is true of a post with no
 * literal (only_negative in watchq.c).
 *
 * The obvious alternative, an automaton over the words (Aho–Corasick on word ids), finds
 * phrases without the check at each anchor, but the check costs little — a phrase's first word
 * is rarely common, and a watch's phrases are short — and an automaton would still need the
 * position lists for NEAR. A hash from word to literal is what the words of a post need.
 *
 * Thread safety: the set is never written after watchq_set_build(); a match keeps its state in
 * its own memory (the stack, or the heap for long posts).
 *
 * Must never: evaluate a query whose literals the post does not have (the cost must stay per
 * post, not per query), or report a query twice.
 */
#include "watchq.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "listen/watchq_internal.h"
#include "util/err.h"

enum key_kind { KEY_WORD, KEY_FROM, KEY_IN, KEY_TAG, KEY_LITERAL };
enum lit_kind { LIT_WORD, LIT_PHRASE, LIT_NEAR, LIT_NAME };
enum { OP_AND = -1, OP_OR = -2, OP_NOT = -3 };

#define NONE UINT32_MAX
/* A query has at most WATCHQ_MAX_TERMS ≤ 64 literals: each its slot, a bit of one word. */
#define SLOT_BITS 6
#define MAX_QUERIES (UINT32_MAX >> SLOT_BITS)
_Static_assert(WATCHQ_MAX_TERMS <= 1 << SLOT_BITS, "a query's literals fit in a uint64_t");

/* A growable array of uint32_t; one that starts on the caller's stack (local, cap its size)
 * moves to the heap when it outgrows it. */
typedef struct u32s {
    uint32_t *v;
    size_t n, cap;
    uint32_t *local; /* NULL, or the stack space it started in */
} u32s;

static void push(u32s *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        uint32_t *v = a->v == a->local ? malloc(cap * sizeof *v) : realloc(a->v, cap * sizeof *v);
        if (!v) abort();
        if (a->v == a->local && a->n) memcpy(v, a->local, a->n * sizeof *v);
        a->v = v, a->cap = cap;
    }
    a->v[a->n++] = x;
}

static void u32s_free(u32s *a)
{
    if (a->v != a->local) free(a->v);
}

#define U32S_ON_STACK(name, size)                                                                  \
    uint32_t name##_space[size];                                                                   \
    u32s name = {name##_space, 0, size, name##_space}

/* One key of the hash table. */
typedef struct key {
    uint32_t hash, len;
    uint8_t kind;
    const char *bytes;             /* in the set's arena */
    uint32_t literal;              /* the literal that is this key alone, or NONE */
    uint32_t anchored, n_anchored; /* into set->anchored: literals whose first word this is */
} key;

typedef struct literal {
    uint8_t kind;
    uint32_t near;
    uint32_t *a, n_a;            /* key ids of its words (the phrase, or NEAR's first side) */
    uint32_t *b, n_b;            /* NEAR's second side */
    uint32_t queries, n_queries; /* into set->lit_queries */
} literal;

struct watchq_set {
    arena mem;
    key *keys;
    size_t n_keys, cap_keys;
    uint32_t *slots; /* open addressing: key id + 1, 0 empty; a power of two long */
    size_t n_slots;
    literal *lits;
    size_t n_lits, cap_lits;
    uint32_t *anchored;    /* literal ids grouped by anchor key */
    uint32_t *lit_queries; /* grouped by literal: query << SLOT_BITS | the literal's slot in it */
    int32_t *program;      /* every query's postfix program, one after another: an operand is
                              a slot of the query's own (0…63), an operator is negative */
    uint32_t *prog_start, *prog_len;
    int64_t *ids;
    size_t n_queries;
};

/* ------------------------------------------------------------------------------------------ */
/* The hash table                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* FNV-1a over the kind and the bytes. */
static uint32_t hash_of(uint8_t kind, const char *s, size_t len)
{
    uint32_t h = 2166136261u ^ kind;
    h *= 16777619u;
    for (size_t k = 0; k < len; k++) {
        h ^= (unsigned char)s[k];
        h *= 16777619u;
    }
    return h;
}

static uint32_t find_key(const watchq_set *set, uint8_t kind, const char *s, size_t len)
{
    if (set->n_slots == 0) return NONE;
    uint32_t h = hash_of(kind, s, len);
    for (size_t i = h & (set->n_slots - 1);; i = (i + 1) & (set->n_slots - 1)) {
        uint32_t slot = set->slots[i];
        if (slot == 0) return NONE;
        const key *k = &set->keys[slot - 1];
        if (k->hash == h && k->kind == kind && k->len == len && memcmp(k->bytes, s, len) == 0)
            return slot - 1;
    }
}

static void place(watchq_set *set, uint32_t id)
{
    size_t i = set->keys[id].hash & (set->n_slots - 1);
    while (set->slots[i]) i = (i + 1) & (set->n_slots - 1);
    set->slots[i] = id + 1;
}

/* The id of the key, added if new. */
static uint32_t intern(watchq_set *set, uint8_t kind, const char *s, size_t len)
{
    uint32_t id = find_key(set, kind, s, len);
    if (id != NONE) return id;
    if (2 * (set->n_keys + 1) > set->n_slots) { /* at most half full */
        free(set->slots);
        set->n_slots = set->n_slots ? 2 * set->n_slots : 64;
        set->slots = calloc(set->n_slots, sizeof *set->slots);
        if (!set->slots) abort();
        for (uint32_t k = 0; k < set->n_keys; k++) place(set, k);
    }
    if (set->n_keys == set->cap_keys) {
        set->cap_keys = set->cap_keys ? 2 * set->cap_keys : 64;
        set->keys = realloc(set->keys, set->cap_keys * sizeof *set->keys);
        if (!set->keys) abort();
    }
    id = (uint32_t)set->n_keys++;
    set->keys[id] = (key){.hash = hash_of(kind, s, len),
                          .len = (uint32_t)len,
                          .kind = kind,
                          .bytes = arena_strndup(&set->mem, s, len),
                          .literal = NONE};
    place(set, id);
    return id;
}

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef struct builder {
    watchq_set *set;
    u32s anchor_pairs; /* (anchor key, literal) pairs, flattened */
    u32s query_pairs;  /* (literal, query) pairs, flattened */
    struct {
        int32_t *v;
        size_t n, cap;
    } program;
    buf name;                         /* a literal's identity, for sharing equal literals */
    uint32_t slots[WATCHQ_MAX_TERMS]; /* the literals of the query being compiled, by slot */
    uint32_t n_slots;
} builder;

static void emit(builder *b, int32_t op)
{
    if (b->program.n == b->program.cap) {
        b->program.cap = b->program.cap ? 2 * b->program.cap : 256;
        b->program.v = realloc(b->program.v, b->program.cap * sizeof *b->program.v);
        if (!b->program.v) abort();
    }
    b->program.v[b->program.n++] = op;
}

static uint32_t *word_keys(builder *b, const wq_node *n)
{
    uint32_t *ids = arena_alloc(&b->set->mem, n->n_words * sizeof *ids);
    for (uint32_t k = 0; k < n->n_words; k++)
        ids[k] = intern(b->set, KEY_WORD, n->words[k], strlen(n->words[k]));
    return ids;
}

static void describe(buf *out, const wq_node *n)
{
    for (uint32_t k = 0; k < n->n_words; k++) {
        buf_puts(out, n->words[k]);
        buf_putc(out, ' ');
    }
}

/* The literal id of leaf n (a word, phrase, NEAR or name), shared with an equal one. */
static uint32_t literal_of(builder *b, const wq_node *n)
{
    watchq_set *set = b->set;
    if (n->kind == WQ_WORD || n->kind == WQ_FROM || n->kind == WQ_IN || n->kind == WQ_TAG) {
        uint8_t kind = n->kind == WQ_WORD   ? KEY_WORD
                       : n->kind == WQ_FROM ? KEY_FROM
                       : n->kind == WQ_IN   ? KEY_IN
                                            : KEY_TAG;
        uint32_t k = intern(set, kind, n->words[0], strlen(n->words[0]));
        if (set->keys[k].literal != NONE) return set->keys[k].literal;
        literal lit = {.kind = kind == KEY_WORD ? LIT_WORD : LIT_NAME};
        if (set->n_lits == set->cap_lits) {
            set->cap_lits = set->cap_lits ? 2 * set->cap_lits : 64;
            set->lits = realloc(set->lits, set->cap_lits * sizeof *set->lits);
            if (!set->lits) abort();
        }
        set->lits[set->n_lits] = lit;
        set->keys[k].literal = (uint32_t)set->n_lits;
        return (uint32_t)set->n_lits++;
    }
    /* a phrase or a NEAR: found again by a key naming it in a namespace of its own */
    b->name.len = 0;
    if (n->kind == WQ_NEAR) {
        buf_printf(&b->name, "NEAR/%u ", n->near);
        describe(&b->name, n->a);
        buf_putc(&b->name, '|');
        describe(&b->name, n->b);
    } else {
        describe(&b->name, n);
    }
    uint32_t k = intern(set, KEY_LITERAL, b->name.data, b->name.len);
    if (set->keys[k].literal != NONE) return set->keys[k].literal;
    literal lit = {.kind = n->kind == WQ_NEAR ? LIT_NEAR : LIT_PHRASE};
    const wq_node *first = n->kind == WQ_NEAR ? n->a : n;
    lit.a = word_keys(b, first), lit.n_a = first->n_words;
    if (n->kind == WQ_NEAR) {
        lit.b = word_keys(b, n->b), lit.n_b = n->b->n_words;
        lit.near = n->near;
    }
    if (set->n_lits == set->cap_lits) {
        set->cap_lits = set->cap_lits ? 2 * set->cap_lits : 64;
        set->lits = realloc(set->lits, set->cap_lits * sizeof *set->lits);
        if (!set->lits) abort();
    }
    uint32_t id = (uint32_t)set->n_lits++;
    set->lits[id] = lit;
    set->keys[k].literal = id;
    push(&b->anchor_pairs, lit.a[0]);
    push(&b->anchor_pairs, id);
    return id;
}

static void compile(builder *b, const wq_node *n, uint32_t query)
{
    switch (n->kind) {
    case WQ_AND:
    case WQ_OR:
        compile(b, n->a, query);
        compile(b, n->b, query);
        emit(b, n->kind == WQ_AND ? OP_AND : OP_OR);
        return;
    case WQ_NOT:
        compile(b, n->a, query);
        emit(b, OP_NOT);
        return;
    default: {
        uint32_t lit = literal_of(b, n), slot = 0;
        while (slot < b->n_slots && b->slots[slot] != lit) slot++;
        if (slot == b->n_slots) { /* the literal's first use in this query */
            b->slots[b->n_slots++] = lit;
            push(&b->query_pairs, lit);
            push(&b->query_pairs, query << SLOT_BITS | slot);
        }
        emit(b, (int32_t)slot);
    }
    }
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Sorts the (group, member) pairs, drops repeats, and copies the members, grouped and in
 * order, into *members (malloc'd); returns how many pairs are left, the first 2 × that many
 * of pairs->v, whose k-th pair's member is (*members)[k]. */
static size_t group_pairs(u32s *pairs, uint32_t **members)
{
    size_t n = pairs->n / 2;
    if (n) qsort(pairs->v, n, 2 * sizeof(uint32_t), cmp_pair); /* (no null pointer to qsort) */
    *members = malloc((n ? n : 1) * sizeof **members);
    if (!*members) abort();
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (k && pairs->v[2 * k] == pairs->v[2 * k - 2] &&
            pairs->v[2 * k + 1] == pairs->v[2 * k - 1])
            continue;
        pairs->v[2 * m] = pairs->v[2 * k];
        pairs->v[2 * m + 1] = pairs->v[2 * k + 1];
        (*members)[m++] = pairs->v[2 * k + 1];
    }
    pairs->n = 2 * m;
    return m;
}

int watchq_set_build(const watchq *const *queries, const int64_t *ids, size_t n, watchq_set **out)
{
    watchq_set *set = calloc(1, sizeof *set);
    if (!set) abort();
    if (n > MAX_QUERIES) {
        *out = NULL;
        free(set);
        return PL_ELIMIT;
    }
    builder b = {.set = set, .name = BUF_INIT};
    set->n_queries = n;
    set->ids = malloc((n ? n : 1) * sizeof *set->ids);
    set->prog_start = malloc((n ? n : 1) * sizeof *set->prog_start);
    set->prog_len = malloc((n ? n : 1) * sizeof *set->prog_len);
    if (!set->ids || !set->prog_start || !set->prog_len) abort();
    for (size_t q = 0; q < n; q++) {
        set->ids[q] = ids[q];
        set->prog_start[q] = (uint32_t)b.program.n;
        b.n_slots = 0;
        compile(&b, queries[q]->root, (uint32_t)q);
        set->prog_len[q] = (uint32_t)(b.program.n - set->prog_start[q]);
    }
    set->program = b.program.v;

    size_t m = group_pairs(&b.anchor_pairs, &set->anchored);
    for (size_t k = m; k-- > 0;) { /* backwards: each group's start is its lowest index */
        key *anchor = &set->keys[b.anchor_pairs.v[2 * k]];
        anchor->anchored = (uint32_t)k;
        anchor->n_anchored++;
    }
    m = group_pairs(&b.query_pairs, &set->lit_queries);
    for (size_t k = m; k-- > 0;) {
        literal *lit = &set->lits[b.query_pairs.v[2 * k]];
        lit->queries = (uint32_t)k;
        lit->n_queries++;
    }
    free(b.anchor_pairs.v);
    free(b.query_pairs.v);
    buf_free(&b.name);
    *out = set;
    return PL_OK;
}

void watchq_set_free(watchq_set *set)
{
    if (!set) return;
    arena_free(&set->mem);
    free(set->keys);
    free(set->slots);
    free(set->lits);
    free(set->anchored);
    free(set->lit_queries);
    free(set->program);
    free(set->prog_start);
    free(set->prog_len);
    free(set->ids);
    free(set);
}

size_t watchq_set_count(const watchq_set *set)
{
    return set->n_queries;
}

/* ------------------------------------------------------------------------------------------ */
/* Matching                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The words of side (keys) occur at tokens [at, at + n) of the post (word keys in keys). */
static bool run_at(const uint32_t *doc, size_t n_doc, size_t at, const uint32_t *side, size_t n)
{
    if (at + n > n_doc) return false;
    for (size_t k = 0; k < n; k++)
        if (doc[at + k] != side[k]) return false;
    return true;
}

/* lit (a phrase or NEAR) holds with its first side at word i. */
static bool holds_at(const literal *lit, const uint32_t *doc, size_t n_doc, size_t i)
{
    if (!run_at(doc, n_doc, i, lit->a, lit->n_a)) return false;
    if (lit->kind == LIT_PHRASE) return true;
    /* the other side ends at most near words before i, or starts at most near words after
     * the first side's end; they never overlap */
    size_t lo = i >= lit->n_b + lit->near ? i - lit->n_b - lit->near : 0;
    for (size_t j = lo; j + lit->n_b <= i; j++)
        if (run_at(doc, n_doc, j, lit->b, lit->n_b)) return true;
    for (size_t j = i + lit->n_a; j <= i + lit->n_a + lit->near && j < n_doc; j++)
        if (run_at(doc, n_doc, j, lit->b, lit->n_b)) return true;
    return false;
}

/* Sorts v[0..n), every value at most max, and drops repeats; returns how many are left. A
 * post's few values take an insertion sort; more, a radix sort on as many bytes as max has
 * (two for the uses of a thousand queries): no comparison calls, as qsort would make. */
static size_t sort_unique(uint32_t *v, size_t n, uint32_t max)
{
    if (n == 0) return 0;
    if (n <= 32) {
        for (size_t k = 1; k < n; k++) {
            uint32_t x = v[k];
            size_t j = k;
            for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
            v[j] = x;
        }
    } else {
        uint32_t small[512];
        uint32_t *tmp = n <= 512 ? small : malloc(n * sizeof *tmp);
        if (!tmp) abort();
        for (unsigned shift = 0; shift < 32 && (max >> shift) != 0; shift += 8) {
            size_t at[257] = {0};
            for (size_t k = 0; k < n; k++) at[((v[k] >> shift) & 255) + 1]++;
            for (size_t d = 0; d < 256; d++) at[d + 1] += at[d];
            for (size_t k = 0; k < n; k++) tmp[at[(v[k] >> shift) & 255]++] = v[k];
            memcpy(v, tmp, n * sizeof *v);
        }
        if (tmp != small) free(tmp);
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || v[m - 1] != v[k]) v[m++] = v[k];
    return m;
}

/* Query q's program, its literals true where their slot's bit is set in found. */
static bool evaluate(const watchq_set *set, uint32_t q, uint64_t found)
{
    bool stack[WATCHQ_MAX_TERMS + 1];
    size_t top = 0;
    const int32_t *op = set->program + set->prog_start[q];
    for (uint32_t k = 0; k < set->prog_len[q]; k++) {
        switch (op[k]) {
        case OP_AND: top--, stack[top - 1] = stack[top - 1] && stack[top]; break;
        case OP_OR: top--, stack[top - 1] = stack[top - 1] || stack[top]; break;
        case OP_NOT: stack[top - 1] = !stack[top - 1]; break;
        default: stack[top++] = (found >> op[k]) & 1;
        }
    }
    return top == 1 && stack[0];
}

/* The literal of a name of the doc (author, channel, tag), folded, or NONE. */
static uint32_t name_literal(const watchq_set *set, uint8_t kind, const char *name)
{
    if (!name) return NONE;
    size_t len = strlen(name);
    char small[256];
    char *folded = len < sizeof small ? small : malloc(len + 1);
    if (!folded) abort();
    size_t n = listen_fold(name, len, folded);
    uint32_t k = find_key(set, kind, folded, n);
    if (folded != small) free(folded);
    return k == NONE ? NONE : set->keys[k].literal;
}

size_t watchq_set_match(const watchq_set *set, const watchq_doc *doc, int64_t *out_ids, size_t cap)
{
    size_t n_doc = doc->tokens ? doc->tokens->n : 0;
    uint32_t small[512];
    uint32_t *words = n_doc <= 512 ? small : malloc(n_doc * sizeof *words);
    if (!words) abort();
    U32S_ON_STACK(hits, 256);
    U32S_ON_STACK(anchors, 256); /* (word index, key) pairs where anchored literals start */

    /* the one pass over the words */
    for (size_t i = 0; i < n_doc; i++) {
        const listen_token *t = &doc->tokens->items[i];
        uint32_t k = find_key(set, KEY_WORD, t->text, t->len);
        words[i] = k;
        if (k == NONE) continue;
        if (set->keys[k].literal != NONE) push(&hits, set->keys[k].literal);
        if (set->keys[k].n_anchored) {
            push(&anchors, (uint32_t)i);
            push(&anchors, k);
        }
    }
    for (size_t a = 0; a < anchors.n; a += 2) {
        const key *k = &set->keys[anchors.v[a + 1]];
        for (uint32_t m = 0; m < k->n_anchored; m++) {
            uint32_t lit = set->anchored[k->anchored + m];
            if (holds_at(&set->lits[lit], words, n_doc, anchors.v[a])) push(&hits, lit);
        }
    }
    uint32_t lit = name_literal(set, KEY_FROM, doc->author);
    if (lit != NONE) push(&hits, lit);
    for (size_t c = 0; c < doc->n_channels; c++)
        if ((lit = name_literal(set, KEY_IN, doc->channels[c])) != NONE) push(&hits, lit);
    for (size_t t = 0; t < doc->n_tags; t++)
        if ((lit = name_literal(set, KEY_TAG, doc->tags[t])) != NONE) push(&hits, lit);

    /* the queries those literals lead to, in query order, each evaluated once with the bits
     * of its literals found */
    hits.n = sort_unique(hits.v, hits.n, (uint32_t)set->n_lits);
    U32S_ON_STACK(uses, 512);
    for (size_t h = 0; h < hits.n; h++) {
        const literal *l = &set->lits[hits.v[h]];
        for (uint32_t m = 0; m < l->n_queries; m++) push(&uses, set->lit_queries[l->queries + m]);
    }
    /* (unique already: a literal is in hits once) */
    sort_unique(uses.v, uses.n, (uint32_t)set->n_queries << SLOT_BITS);
    size_t found = 0;
    for (size_t u = 0; u < uses.n;) {
        uint32_t q = uses.v[u] >> SLOT_BITS;
        uint64_t bits = 0;
        for (; u < uses.n && uses.v[u] >> SLOT_BITS == q; u++)
            bits |= (uint64_t)1 << (uses.v[u] & ((1u << SLOT_BITS) - 1));
        if (!evaluate(set, q, bits)) continue;
        if (found < cap) out_ids[found] = set->ids[q];
        found++;
    }
    u32s_free(&hits);
    u32s_free(&anchors);
    u32s_free(&uses);
    if (words != small) free(words);
    return found;
}
