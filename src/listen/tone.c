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

#include "listen/tokens.h"
#include "util/err.h"

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
/* The score                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int word_is(const listen_token *w, const char *s)
{
    return strlen(s) == w->len && memcmp(w->text, s, w->len) == 0;
}

static int is_negator(const listen_tokens *ws, size_t i)
{
    static const char *const words[] = {
        "not",    "no",      "never",  "without", "nor",     "cannot",  "neither",
        "nobody", "nothing", "none",   "dont",    "doesnt",  "didnt",   "isnt",
        "arent",  "wasnt",   "werent", "cant",    "couldnt", "wouldnt", "shouldnt",
        "wont",   "havent",  "hasnt",  "hadnt",   "aint"};
    const listen_token *w = &ws->items[i];
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (word_is(w, words[k])) return 1;
    /* "n't" read as two words: don + t, isn + t */
    if (i > 0 && word_is(w, "t")) {
        const listen_token *p = &ws->items[i - 1];
        size_t gap = w->offset - (p->offset + p->src_len);
        return p->text[p->len - 1] == 'n' && (gap == 1 || gap == 3);
    }
    return 0;
}

/* A word in capitals: two ASCII letters or more, none in lower case. */
static int is_caps(const char *text, const listen_token *w)
{
    int upper = 0;
    for (size_t k = 0; k < w->src_len; k++) {
        unsigned char c = (unsigned char)text[w->offset + k];
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
    listen_tokens ws = LISTEN_TOKENS_INIT;
    int rc = listen_tokenize(text, len, &ws);
    if (rc) {
        listen_tokens_free(&ws);
        return rc;
    }
    size_t n = ws.n < TONE_MAX_WORDS ? ws.n : TONE_MAX_WORDS;

    double total = 0, before = 0, cur = 0, factor = 1;
    int seen_but = 0, negated = 0, modified = 0;
    for (size_t i = 0; i < n; i++) {
        const listen_token *w = &ws.items[i];
        size_t from = i > 0 ? ws.items[i - 1].offset + ws.items[i - 1].src_len : 0;
        int question, gap = gap_between(text, from, w->offset, &question);
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
        const tone_entry *e = tone_lookup(w->text, w->len);
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
    size_t end = n ? ws.items[n - 1].offset + ws.items[n - 1].src_len : 0;
    int question;
    gap_between(text, end, len, &question);
    total += sentence_sum(seen_but, before, cur, question);

    int bangs = 0;
    for (size_t k = 0; k < len && bangs < 3; k++) bangs += text[k] == '!';
    total *= 1 + TONE_EXCLAIM * bangs;

    out->words = (int)n;
    out->score = total / sqrt(total * total + TONE_NORMALIZE);
    out->label = out->score >= TONE_THRESHOLD    ? TONE_POSITIVE
                 : out->score <= -TONE_THRESHOLD ? TONE_NEGATIVE
                                                 : TONE_NEUTRAL;
    listen_tokens_free(&ws);
    return PL_OK;
}
