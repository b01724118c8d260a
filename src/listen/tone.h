/**
 * listen/tone.h — a post's tone: a score in [-1, 1] and a label (docs/listening.md, "Tone").
 *
 * Lexicon-based: each word of data/tone/lexicon.tsv (the project's own, embedded into the
 * binary at build time by scripts/embed-tone.sh, so the server reads no file) has a weight from
 * -3 (very negative) to +3 (very positive), or is a modifier: "x1.5" makes the next weighted
 * word count 1.5 times ("very"), "x0.5" half ("slightly"). Then, in this order:
 *   - negation: "not", "no", "never", "without", "nor", "cannot", "n't" (a "t" after a word
 *     ending in n, as in don't, and "dont", "isnt", …) flips the next TONE_NEGATION_WORDS
 *     words of the same clause: a weight w becomes TONE_NEGATION_FLIP · w ("not bad" is
 *     mildly good, "not great" mildly bad);
 *   - intensifiers and dampeners apply to the next weighted word within two words;
 *   - a word in ALL CAPS (two ASCII letters or more) counts TONE_CAPS times;
 *   - "but" and "however": the words of the sentence before weigh TONE_BEFORE_BUT, those after
 *     TONE_AFTER_BUT;
 *   - a sentence ending in a question mark weighs TONE_QUESTION ("is the VPN down?" asks
 *     more than it complains);
 *   - exclamation marks make the whole sum TONE_EXCLAIM more per mark, up to three.
 * The sum s becomes the score s / √(s² + TONE_NORMALIZE), and the label is positive at a score
 * ≥ TONE_THRESHOLD, negative at ≤ -TONE_THRESHOLD, neutral between.
 *
 * Words are read by the shared tokenizer (listen/tokens.h: letters and digits of any script,
 * case and diacritics folded, as watch queries and search read them); capitals and the
 * punctuation between words are read from the text itself. Pure: no allocation beyond the
 * tokenizer's, no global state; safe from any thread.
 */
#ifndef PL_LISTEN_TONE_H
#define PL_LISTEN_TONE_H

#include <stddef.h>
#include <stdint.h>

#define TONE_NEGATION_WORDS 3
#define TONE_NEGATION_FLIP (-0.75)
#define TONE_CAPS 1.5
#define TONE_BEFORE_BUT 0.5
#define TONE_AFTER_BUT 1.5
#define TONE_EXCLAIM 0.15
#define TONE_QUESTION 0.5
#define TONE_NORMALIZE 6.0
#define TONE_THRESHOLD 0.2
#define TONE_MAX_WORDS 4096 /**< words read of a text at most (a post is far shorter) */

typedef enum { TONE_NEGATIVE = -1, TONE_NEUTRAL = 0, TONE_POSITIVE = 1 } tone_label;

/** A text's tone. */
typedef struct tone_result {
    double score;     /**< in [-1, 1] */
    tone_label label; /**< from the score and TONE_THRESHOLD */
    int words;        /**< words read */
    int weighted;     /**< words the lexicon weighed */
} tone_result;

/** One entry of the embedded lexicon (build/gen/tone_lexicon.c, sorted by word in byte
 *  order). */
typedef struct tone_entry {
    const char *word; /**< folded, letters and digits only */
    float weight;     /**< -3…3 for a word; the factor for a modifier */
    uint8_t is_modifier;
} tone_entry;

extern const tone_entry tone_lexicon[];
extern const size_t tone_lexicon_len;

/** The lexicon's entry for a folded word of n bytes; NULL when it has none. */
const tone_entry *tone_lookup(const char *word, size_t n);

/** The tone of text (UTF-8, len bytes), from its first TONE_MAX_WORDS words. PL_OK, or
 *  PL_ENOMEM / PL_ELIMIT (then *out is neutral). */
int tone_score(const char *text, size_t len, tone_result *out);

/** "negative", "neutral" or "positive". */
const char *tone_label_name(tone_label label);

#endif
