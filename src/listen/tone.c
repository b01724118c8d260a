/*
 * listen/tone.c — a post's tone from the embedded lexicon, with negation, intensifiers and
 * dampeners, "but", ALL CAPS and exclamation marks (the rules are tone.h's, in order).
 *
 * Why a lexicon and not a trained model: the score must be explainable to the person reading
 * a dashboard ("outage" weighs -2.5, "not" flipped "fixed"), cheap on every post, and its data
 * ours to publish (data/tone/LICENSE). Its accuracy on our labelled posts is in BENCHMARKS.md.
 * The lexicon is a sorted table compiled into the binary (scripts/embed-tone.sh), looked up
 * by binary search: no file at run time and nothing to load or free.
 *
 * Never: keep state between calls, or read anything but the text.
 */
#include "listen/tone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/text.h"

const char *tone_label_name(tone_label label)
{
    switch (label) {
    case TONE_NEGATIVE: return "negative";
    case TONE_POSITIVE: return "positive";
    default: return "neutral";
    }
}

const tone_entry *tone_lookup(const char *word, size_t n)
{
    size_t lo = 0, hi = tone_lexicon_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = tone_lexicon[mid].word;
        int c = strncmp(w, word, n);
        if (c == 0) c = w[n] == '\0' ? 0 : 1;
        if (c == 0) return &tone_lexicon[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Words                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The length of the character at s[i] when it is part of a word, 0 when it separates words:
 * ASCII letters and digits; other scripts' characters, but not general punctuation
 * (U+2000–U+206F: the curly apostrophe, dashes), arrows and symbols (U+2190–U+2BFF) nor
 * emoji (U+1F000 and up). */
static size_t word_char(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > len) return 1;
    uint32_t cp =
        n == 4 ? (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
                     (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F)
        : n == 3 ? (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F)
        : n == 2 ? (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F)
                 : c;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2190 && cp <= 0x2BFF) || cp >= 0x1F000) return 0;
    return n;
}

/* The one function that reads words; the shared tokenizer (listen/tokens.h) replaces it. */
int tone_words_read(const char *text, size_t len, tone_words *out)
{
    memset(out, 0, sizeof *out);
    out->folded = malloc(len + 1);
    size_t cap = len / 2 + 1;
    if (cap > TONE_MAX_WORDS) cap = TONE_MAX_WORDS;
    out->items = malloc(cap * sizeof *out->items);
    if (!out->folded || !out->items) {
        tone_words_free(out);
        return PL_ENOMEM;
    }
    text_fold(text, len, out->folded);
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && out->n < cap) {
        size_t k = word_char(s, len, i);
        if (k == 0) {
            size_t c = s[i];
            i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            continue;
        }
        size_t start = i;
        while (i < len && (k = word_char(s, len, i)) > 0) i += k;
        out->items[out->n++] = (tone_word){start, i - start, out->folded + start};
    }
    return PL_OK;
}

void tone_words_free(tone_words *w)
{
    free(w->items);
    free(w->folded);
    memset(w, 0, sizeof *w);
}

/* ------------------------------------------------------------------------------------------ */
/* The score                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int word_is(const tone_word *w, const char *s)
{
    return strlen(s) == w->len && memcmp(w->folded, s, w->len) == 0;
}

static int is_negator(const tone_words *ws, size_t i)
{
    static const char *const words[] = {
        "not",    "no",      "never",  "without", "nor",     "cannot",  "neither",
        "nobody", "nothing", "none",   "dont",    "doesnt",  "didnt",   "isnt",
        "arent",  "wasnt",   "werent", "cant",    "couldnt", "wouldnt", "shouldnt",
        "wont",   "havent",  "hasnt",  "hadnt",   "aint"};
    const tone_word *w = &ws->items[i];
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (word_is(w, words[k])) return 1;
    /* "n't" read as two words: don + t, isn + t */
    if (i > 0 && word_is(w, "t")) {
        const tone_word *p = &ws->items[i - 1];
        size_t gap = w->start - (p->start + p->len);
        return p->folded[p->len - 1] == 'n' && (gap == 1 || gap == 3);
    }
    return 0;
}

/* A word in capitals: two ASCII letters or more, none in lower case. */
static int is_caps(const char *text, const tone_word *w)
{
    int upper = 0;
    for (size_t k = 0; k < w->len; k++) {
        unsigned char c = (unsigned char)text[w->start + k];
        if (c >= 'a' && c <= 'z') return 0;
        if (c >= 'A' && c <= 'Z') upper++;
    }
    return upper >= 2;
}

enum { GAP_NONE, GAP_CLAUSE, GAP_SENTENCE };

/* What separates text[from, to): a sentence's end, a clause's, or nothing; *question is set
 * when a question mark ends the sentence. */
static int gap_between(const char *text, size_t from, size_t to, int *question)
{
    int gap = GAP_NONE;
    *question = 0;
    for (size_t k = from; k < to; k++) {
        char c = text[k];
        if (c == '?') *question = 1;
        if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n') gap = GAP_SENTENCE;
        if (gap == GAP_NONE && (c == ',' || c == ':' || c == '(' || c == ')')) gap = GAP_CLAUSE;
    }
    return gap;
}

/* A sentence's weight: what follows "but" counts more, a question less. */
static double sentence_sum(int seen_but, double before, double cur, int question)
{
    double sum = seen_but ? TONE_BEFORE_BUT * before + TONE_AFTER_BUT * cur : cur;
    return question ? TONE_QUESTION * sum : sum;
}

int tone_score(const char *text, size_t len, tone_result *out)
{
    memset(out, 0, sizeof *out);
    tone_words ws;
    int rc = tone_words_read(text, len, &ws);
    if (rc) return rc;

    double total = 0, before = 0, cur = 0, factor = 1;
    int seen_but = 0, negated = 0, modified = 0;
    for (size_t i = 0; i < ws.n; i++) {
        const tone_word *w = &ws.items[i];
        size_t from = i > 0 ? ws.items[i - 1].start + ws.items[i - 1].len : 0;
        int question, gap = gap_between(text, from, w->start, &question);
        if (gap != GAP_NONE) negated = modified = 0;
        if (gap == GAP_SENTENCE) {
            total += sentence_sum(seen_but, before, cur, question);
            before = cur = 0;
            seen_but = 0;
        }
        if (is_negator(&ws, i)) {
            negated = TONE_NEGATION_WORDS;
            continue;
        }
        if (word_is(w, "but") || word_is(w, "however")) {
            before += cur;
            cur = 0;
            seen_but = 1;
            negated = modified = 0;
            continue;
        }
        const tone_entry *e = tone_lookup(w->folded, w->len);
        if (e && e->is_modifier) {
            factor = e->weight;
            modified = 2;
            if (negated) negated--;
            continue;
        }
        if (e) {
            double v = e->weight;
            if (modified) v *= factor;
            if (is_caps(text, w)) v *= TONE_CAPS;
            if (negated) v *= TONE_NEGATION_FLIP;
            cur += v;
            out->weighted++;
            modified = 0;
        }
        if (negated) negated--;
        if (modified) modified--;
    }
    size_t end = ws.n ? ws.items[ws.n - 1].start + ws.items[ws.n - 1].len : 0;
    int question;
    gap_between(text, end, len, &question);
    total += sentence_sum(seen_but, before, cur, question);

    int bangs = 0;
    for (size_t k = 0; k < len && bangs < 3; k++) bangs += text[k] == '!';
    total *= 1 + TONE_EXCLAIM * bangs;

    out->words = (int)ws.n;
    out->score = total / sqrt(total * total + TONE_NORMALIZE);
    out->label = out->score >= TONE_THRESHOLD    ? TONE_POSITIVE
                 : out->score <= -TONE_THRESHOLD ? TONE_NEGATIVE
                                                 : TONE_NEUTRAL;
    tone_words_free(&ws);
    return PL_OK;
}
