/**
 * tokens.h — a text's words, normalized as search normalizes them, for listening's watch
 * queries (watchq.h) and the tone scorer.
 *
 * A word is a run of letters and digits of any script (SQLite FTS5's unicode61 tokenizer with
 * remove_diacritics 2, which search uses): spaces, punctuation, symbols, emoji and '_' separate
 * words, so "#launch" gives "launch", "@amara" gives "amara", "e-mail" gives "e" and "mail".
 * Each word is folded by listen_fold(). Bytes that are not UTF-8 separate words.
 *
 * Dependency-free (util only); allocation aborts on out-of-memory, as buf.h does.
 */
#ifndef PL_LISTEN_TOKENS_H
#define PL_LISTEN_TOKENS_H

#include <stddef.h>
#include <stdint.h>

/** One word of a text. */
typedef struct listen_token {
    const char *text; /**< the folded word, NUL-terminated; lives in the listen_tokens */
    uint32_t len;     /**< bytes of text, without the NUL (≥ 1) */
    uint32_t pos;     /**< word position: 0 for the first word, then 1, 2, … (= its index) */
    uint32_t offset;  /**< byte offset of the word's first byte in the source text */
    uint32_t src_len; /**< bytes the word covers in the source text */
} listen_token;

/** A text's words in order. Zero-initialized (LISTEN_TOKENS_INIT) before first use. */
typedef struct listen_tokens {
    listen_token *items; /**< n words, in source order */
    size_t n;
    /* storage, reused by the next listen_tokenize() into the same struct */
    size_t cap;
    char *bytes;
    size_t bytes_cap;
} listen_tokens;

#define LISTEN_TOKENS_INIT                                                                         \
    {                                                                                              \
        NULL, 0, 0, NULL, 0                                                                        \
    }

/** The most bytes listen_tokenize() takes: offsets are 32-bit. */
#define LISTEN_TEXT_MAX (UINT32_MAX / 2)

/**
 * Splits text[0..len) into words, replacing what *out held (its memory is reused, so one
 * listen_tokens can serve post after post). Returns PL_OK, or PL_ELIMIT (out empty) when len
 * is above LISTEN_TEXT_MAX. Never fails on content: bytes that are not UTF-8 separate words.
 */
int listen_tokenize(const char *text, size_t len, listen_tokens *out);

/** Releases out's memory; out is empty and reusable afterwards. */
void listen_tokens_free(listen_tokens *out);

/**
 * Folds s[0..len) as words are folded, without splitting it: lower case (util/text.h's
 * text_fold, and final sigma to sigma), the diacritics of Latin-1, Latin Extended-A and Greek
 * removed ("Müller" → "muller", "Café" → "cafe", "Άλφα" → "αλφα"), combining marks
 * (U+0300–U+036F) dropped. Other code points, and bytes that are not UTF-8, are copied.
 * Writes at most len bytes plus a NUL into out (len + 1 bytes); returns the bytes written
 * without the NUL. For names compared with folded words: hashtags, usernames, channels.
 */
size_t listen_fold(const char *s, size_t len, char *out);

#endif
