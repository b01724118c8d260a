/**
 * watchq.h — listening's watch queries: the language, its parser, and a set of many queries
 * matched against a post in one pass over the post's words.
 *
 * The language (what a person types into a watch):
 *   - `launch`            a word: the post has it (folded as tokens.h folds, so `Müller`
 *                         finds "MULLER" and "müller"); a chunk with punctuation inside is
 *                         its words in a row: `e-mail` is the phrase "e mail"
 *   - `"price increase"`  a phrase: its words one after the other in the post, whatever
 *                         stands between them that is not a word ("price, increase" too)
 *   - `a AND b`, `a b`    both (words side by side are joined by AND)
 *   - `a OR b`            either
 *   - `NOT a`             the post does not have a
 *   - `( … )`             grouping
 *   - `a NEAR/5 b`        a and b, words or phrases, in either order, with at most 5 words
 *                         between the end of one and the start of the other (1 ≤ n ≤ 50)
 *   - `from:amara`        written by the account with that username (`from:@amara` too)
 *   - `in:#design`        posted to the channel named design (`in:design` too)
 *   - `#launch`           the post carries the hashtag launch
 * AND, OR, NOT and NEAR are operators only in upper case (`and` is a word). Precedence, the
 * tightest first: NOT, NEAR, AND, OR — `a OR b c` is `a OR (b AND c)`, `NOT a NEAR/2 b` is
 * refused (NEAR joins words or phrases, and NOT a is neither).
 *
 * A query that could match a post having none of its words, author, channels or tags (`NOT
 * spam`, `launch OR NOT test`) is refused: a watch must say what it listens for, and the set
 * finds every match from something the post has.
 *
 * Limits, each refused with its own error: WATCHQ_MAX_BYTES, WATCHQ_MAX_TERMS,
 * WATCHQ_MAX_DEPTH, WATCHQ_NEAR_MIN…WATCHQ_NEAR_MAX.
 *
 * Ownership: a watchq is the caller's until watchq_free(); a watchq_set copies what it needs
 * from the queries (they may be freed once it is built) and is immutable afterwards, so any
 * number of threads may call watchq_set_match() on it at once.
 */
#ifndef PL_LISTEN_WATCHQ_H
#define PL_LISTEN_WATCHQ_H

#include <stddef.h>
#include <stdint.h>

#include "listen/tokens.h"
#include "util/buf.h"

#define WATCHQ_MAX_BYTES 1000 /**< bytes of a query's text */
#define WATCHQ_MAX_TERMS 64   /**< words, phrases, from:, in: and #tags (a phrase is one) */
#define WATCHQ_MAX_DEPTH 16   /**< parentheses inside parentheses */
#define WATCHQ_NEAR_MIN 1     /**< the least n of NEAR/n */
#define WATCHQ_NEAR_MAX 50    /**< the most n of NEAR/n */

/** A parsed query (opaque). */
typedef struct watchq watchq;

/** Why a query was refused. */
typedef struct watchq_error {
    int position;     /**< 1-based character (code point) of the query where the fault is;
                           one past the last character for "ends too soon" faults */
    char reason[160]; /**< a sentence for a person, no trailing period: "a closing
                           parenthesis without an opening one" */
} watchq_error;

/**
 * Parses text[0..len) (UTF-8). On success returns PL_OK and *out, the caller's to
 * watchq_free(). Otherwise returns PL_EINVAL (or PL_ELIMIT for a limit), leaves *out NULL and
 * fills *err (err may be NULL).
 */
int watchq_parse(const char *text, size_t len, watchq **out, watchq_error *err);

/** Releases q; NULL is allowed. */
void watchq_free(watchq *q);

/**
 * Appends q in a canonical form, every term folded and every operator with its operands in
 * parentheses (a chain of one operator in one pair, as it is read from the left):
 * `launch OR "Price Up" from:Amara` → `(launch OR ("price up" AND from:amara))`, `a b c` →
 * `(a AND b AND c)`. For tests and logs. Parsing the output gives the same query, unless the
 * added parentheses and operators take it past a limit (WATCHQ_MAX_DEPTH, WATCHQ_MAX_BYTES).
 */
void watchq_format(const watchq *q, buf *out);

/** What a post offers to be matched: its words and where it comes from. */
typedef struct watchq_doc {
    const listen_tokens *tokens; /**< the post's text through listen_tokenize() */
    const char *author;          /**< the author's username (NULL: none); folded here */
    const char *const *channels; /**< names of the channels the post is in; folded here */
    size_t n_channels;
    const char *const *tags; /**< the post's hashtags without '#'; folded here */
    size_t n_tags;
} watchq_doc;

/** Many queries compiled for matching together (opaque). */
typedef struct watchq_set watchq_set;

/**
 * Compiles queries[0..n) into one set; ids[k] is what watchq_set_match() reports for
 * queries[k] (ids need not be unique nor ordered). The queries stay the caller's. Returns
 * PL_OK and *out (the caller's to watchq_set_free()); n may be 0.
 */
int watchq_set_build(const watchq *const *queries, const int64_t *ids, size_t n, watchq_set **out);

/** Releases set; NULL is allowed. */
void watchq_set_free(watchq_set *set);

/** How many queries set holds: the most watchq_set_match() can report. */
size_t watchq_set_count(const watchq_set *set);

/**
 * Finds every query of set that matches doc, in one pass over doc's words (see watchq_set.c):
 * writes the ids of the first `cap` of them, in the order the queries were given to
 * watchq_set_build(), to out_ids, and returns how many match in all (more than cap means
 * some were left out: watchq_set_count() is always enough). Reads set only, so threads may
 * match against one set at once; allocation aborts on out-of-memory.
 */
size_t watchq_set_match(const watchq_set *set, const watchq_doc *doc, int64_t *out_ids, size_t cap);

#endif
