/*
 * emoji.c — recognising one Unicode emoji by its shape (UTS #51), not by a list.
 *
 * A list of every emoji would have to follow each Unicode release, and a reaction is not a
 * place where a false "yes" costs much: what matters is that text, markup and control
 * characters are refused, and that every emoji people pick from a phone's keyboard passes.
 * So the string is parsed as a ZWJ sequence of elements, each a pictographic code point (with
 * its optional modifiers), a keycap or a flag; anything else fails the whole name.
 */
#include "util/emoji.h"

#include <stdint.h>

#include "util/text.h"

enum {
    ZWJ = 0x200D,
    VS15 = 0xFE0E, /* text presentation */
    VS16 = 0xFE0F, /* emoji presentation */
    KEYCAP = 0x20E3,
    TAG_END = 0xE007F,
};

/* The code point at s[*i] of valid UTF-8 (checked before); advances *i. */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
    unsigned char c = s[*i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (int k = 1; k < n; k++) cp = (cp << 6) | (s[*i + (size_t)k] & 0x3Fu);
    *i += (size_t)n;
    return cp;
}

static bool is_regional_indicator(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool is_skin_tone(uint32_t cp)
{
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

static bool is_tag(uint32_t cp)
{
    return cp >= 0xE0020 && cp <= 0xE007E;
}

/* Code points that are emoji by themselves (Extended_Pictographic, by block). */
static bool is_pictographic(uint32_t cp)
{
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return !is_regional_indicator(cp) && !is_skin_tone(cp);
    if (cp >= 0x2600 && cp <= 0x27BF) return true; /* Miscellaneous Symbols, Dingbats */
    if (cp >= 0x2190 && cp <= 0x21FF) return true; /* arrows: ↔ ↩ */
    if (cp >= 0x2300 && cp <= 0x23FF) return true; /* ⌚ ⏰ ⏩ */
    if (cp >= 0x25A0 && cp <= 0x25FF) return true; /* ▶ ◀ ◻ */
    if (cp >= 0x2B00 && cp <= 0x2BFF) return true; /* ⬅ ⭐ ⭕ */
    if (cp >= 0x2934 && cp <= 0x2935) return true;
    switch (cp) {
    case 0x00A9: /* © */
    case 0x00AE: /* ® */
    case 0x203C: /* ‼ */
    case 0x2049: /* ⁉ */
    case 0x2122: /* ™ */
    case 0x2139: /* ℹ */
    case 0x24C2: /* Ⓜ */
    case 0x3030: /* 〰 */
    case 0x303D: /* 〽 */
    case 0x3297: /* ㊗ */
    case 0x3299: /* ㊙ */ return true;
    default: return false;
    }
}

/* One element at s[*i] (see the top): true and *i past it, or false. */
static bool element(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t cp = next_cp(s, i);
    if (is_regional_indicator(cp)) /* a flag is two of them */
        return *i < len && is_regional_indicator(next_cp(s, i));
    if ((cp >= '0' && cp <= '9') || cp == '#' || cp == '*') {
        if (*i < len) {
            size_t j = *i;
            if (next_cp(s, &j) == VS16) *i = j;
        }
        return *i < len && next_cp(s, i) == KEYCAP;
    }
    if (!is_pictographic(cp)) return false;
    bool tagged = false;
    while (*i < len) { /* modifiers, in any order UTS #51 allows: we are lenient */
        size_t j = *i;
        uint32_t m = next_cp(s, &j);
        if (m == VS15 || m == VS16 || is_skin_tone(m)) {
            *i = j;
        } else if (is_tag(m) && cp == 0x1F3F4) { /* 🏴 + tags + CANCEL TAG: a subdivision */
            *i = j;
            tagged = true;
        } else if (m == TAG_END && tagged) {
            *i = j;
            tagged = false;
        } else {
            break;
        }
    }
    return !tagged;
}

bool emoji_is_unicode(const char *str, size_t len)
{
    if (len == 0 || len > EMOJI_MAX_BYTES || !text_is_valid_utf8(str, len)) return false;
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    for (;;) {
        if (!element(s, len, &i)) return false;
        if (i == len) return true;
        if (next_cp(s, &i) != ZWJ || i == len) return false;
    }
}
