/*
 * tokens.c — a text's words, folded as search folds them (see tokens.h).
 *
 * Design. One pass over the text: a code point is a word character when util/text.c says so
 * (the classes hashtags use: every script's letters and digits, not spaces, punctuation,
 * symbols or emoji) and it is not '_' (which unicode61 counts as punctuation). Each word
 * character is folded as it is read — lower case, then its diacritics removed by the two
 * small tables below — and written into one byte array owned by the listen_tokens. Folding
 * never makes a code point longer in UTF-8 (a letter and its base letter, or a lower case of
 * the same length), so the folded words with their NULs fit in len + words ≤ 2 × len + 1
 * bytes, allocated once: the token pointers never move while the text is read.
 *
 * Diacritics. The tables map exactly the letters of Latin-1 and Latin Extended-A that have a
 * canonical decomposition into a base letter and marks (what SQLite's remove_diacritics does);
 * letters without one (æ, ø, ð, þ, ß, đ, ł, œ, ŋ, ı) stay themselves, as in search. Greek's
 * tonos and dialytika go too (search keeps them; a watch is more forgiving), and a final sigma
 * is a sigma. A combining mark (U+0300–U+036F, a text typed decomposed) is dropped, so "Cafe"
 * followed by U+0301 is "cafe" too.
 *
 * Must never: read outside text[0..len), write past the bytes allocated, or keep a pointer
 * into the caller's text.
 */
#include "tokens.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/text.h"

/* The base letter of U+00C0 + k, or '.' where the letter has no decomposition (case folding
 * alone then applies). */
static const char latin1_base[64] = "aaaaaa.ceeeeiiii"  /* À … Ï */
                                    ".nooooo..uuuuy.."  /* Ð … ß */
                                    "aaaaaa.ceeeeiiii"  /* à … ï */
                                    ".nooooo..uuuuy.y"; /* ð … ÿ */

/* The same for U+0100 + k (Latin Extended-A). */
static const char latin_ext_a_base[128] = "aaaaaaccccccccdd"  /* Ā … ď */
                                          "..eeeeeeeeeegggg"  /* Đ … ğ */
                                          "gggghh..iiiiiiii"  /* Ġ … į */
                                          "i...jjkk.llllll."  /* İ … Ŀ */
                                          "...nnnnnn...oooo"  /* ŀ … ŏ */
                                          "oo..rrrrrrssssss"  /* Ő … ş */
                                          "sstttt..uuuuuuuu"  /* Š … ů */
                                          "uuuuwwyyyzzzzzz."; /* Ű … ſ */

/* Greek letters with tonos or dialytika, upper and lower case, and their plain lower case. */
static const struct {
    uint16_t from, to;
} greek_base[] = {
    {0x386, 0x3B1}, {0x388, 0x3B5}, {0x389, 0x3B7}, {0x38A, 0x3B9}, {0x38C, 0x3BF}, {0x38E, 0x3C5},
    {0x38F, 0x3C9}, {0x390, 0x3B9}, {0x3AA, 0x3B9}, {0x3AB, 0x3C5}, {0x3AC, 0x3B1}, {0x3AD, 0x3B5},
    {0x3AE, 0x3B7}, {0x3AF, 0x3B9}, {0x3B0, 0x3C5}, {0x3C2, 0x3C3}, {0x3CA, 0x3B9}, {0x3CB, 0x3C5},
    {0x3CC, 0x3BF}, {0x3CD, 0x3C5}, {0x3CE, 0x3C9},
};

/* The folded code point of cp; 0 for a combining mark, which folding drops. */
static uint32_t fold_char(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xFF && latin1_base[cp - 0xC0] != '.')
        return (uint32_t)latin1_base[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F && latin_ext_a_base[cp - 0x100] != '.')
        return (uint32_t)latin_ext_a_base[cp - 0x100];
    if (cp >= 0x300 && cp <= 0x36F) return 0;
    if (cp >= 0x386 && cp <= 0x3CE) {
        for (size_t k = 0; k < sizeof greek_base / sizeof greek_base[0]; k++)
            if (greek_base[k].from == cp) return greek_base[k].to;
    }
    return text_fold_char(cp);
}

/* Writes cp as UTF-8 at out; returns its length. */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Folds the code point cp, n bytes long in the source, into out: at most n bytes. */
static size_t fold_into(char *out, uint32_t cp)
{
    uint32_t f = fold_char(cp);
    return f ? put_utf8(out, f) : 0;
}

size_t listen_fold(const char *s, size_t len, char *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_decode(s, len, i, &cp);
        if (n == 0) {
            out[o++] = s[i++];
            continue;
        }
        o += fold_into(out + o, cp);
        i += n;
    }
    out[o] = '\0';
    return o;
}

static bool is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_token_char(uint32_t cp)
{
    return cp != '_' && text_is_word_char(cp);
}

int listen_tokenize(const char *text, size_t len, listen_tokens *out)
{
    out->n = 0;
    if (len > LISTEN_TEXT_MAX) return PL_ELIMIT;
    size_t need = 2 * len + 1;
    if (out->bytes_cap < need) {
        free(out->bytes);
        out->bytes = malloc(need);
        if (!out->bytes) abort();
        out->bytes_cap = need;
    }
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t n = text_utf8_decode(text, len, i, &cp);
        if (n == 0 || !is_token_char(cp)) {
            i += n ? n : 1;
            continue;
        }
        size_t start = i, word = o;
        while (i < len) {
            unsigned char c = (unsigned char)text[i];
            if (c < 0x80) { /* most words are ASCII: no decoding, no tables */
                if (!is_ascii_alnum(c)) break;
                out->bytes[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                i++;
                continue;
            }
            n = text_utf8_decode(text, len, i, &cp);
            if (n == 0 || !is_token_char(cp)) break;
            o += fold_into(out->bytes + o, cp);
            i += n;
        }
        if (o == word) continue; /* only combining marks */
        out->bytes[o++] = '\0';
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 64;
            out->items = realloc(out->items, out->cap * sizeof *out->items);
            if (!out->items) abort();
        }
        out->items[out->n] = (listen_token){.text = out->bytes + word,
                                            .len = (uint32_t)(o - word - 1),
                                            .pos = (uint32_t)out->n,
                                            .offset = (uint32_t)start,
                                            .src_len = (uint32_t)(i - start)};
        out->n++;
    }
    return PL_OK;
}

void listen_tokens_free(listen_tokens *out)
{
    free(out->items);
    free(out->bytes);
    *out = (listen_tokens)LISTEN_TOKENS_INIT;
}
