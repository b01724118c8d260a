/*
 * text.c — status text: finding entities, counting characters, rendering HTML and back.
 *
 * Design. The parser is one left-to-right pass over already-validated UTF-8. Every entity
 * starts with an ASCII byte ('h'/'H', '@' or '#'), so the scan may step byte by byte: a
 * UTF-8 continuation or lead byte can never be taken for one of those. An entity, once
 * found, is skipped as a whole, which is what makes entities never overlap and keeps a
 * "#fragment" or "/@user" inside a link from becoming a hashtag or a mention.
 *
 * Word characters. Mentions and hashtags must not start inside a word, and hashtags are made
 * of word characters. Rather than carry Unicode tables, the rule is: ASCII letters, digits and
 * '_' are word characters; other ASCII is not; a non-ASCII code point is a word character
 * (a "letter") unless it lies in one of the ranges of non_word_ranges[] below — spaces,
 * punctuation, symbols, emoji, variation selectors. So every script's letters and combining
 * marks work in hashtags ("#日本語", "#café", Persian with ZWNJ), while "#cycling🚴" and
 * "#東京。" end before the emoji or the ideographic full stop. Like Mastodon, a mention or
 * hashtag is also not recognised right after '/' or '=' (paths and query strings).
 *
 * Rendering and counting trust only each entity's kind, start and len (and href): the
 * username, tag or URL is re-read from the source range, so a caller that edits name
 * pointers cannot make the renderer read outside src. Entities that are out of order,
 * overlapping, out of range or do not start with their sigil are rendered as plain text.
 * Every byte of src that reaches the output goes through buf_put_html(); the only raw markup
 * is the fixed strings written here. base_url and href are escaped as attribute values.
 *
 * Details text.h leaves open, decided here: text_parse() replaces what *out held (n = 0
 * first, capacity kept) and leaves it empty on PL_EINVAL. Scheme matching is
 * case-insensitive; a link also ends at '<', '>' and control characters, and needs at least
 * one character after "://". A hashtag href percent-encodes non-ASCII bytes (as Rails'
 * tag_url does), so "#日本" links to BASE/tags/%E6%97%A5%E6%9C%AC. Render and count accept
 * ents == NULL as "no entities". Line breaks are "\n", "\r\n" or a lone "\r"; a run of two
 * or more ends the paragraph, and breaks at the edges of a paragraph are dropped (as Rails'
 * simple_format does), so only text yields <p>.
 *
 * Limits: a username is at most TEXT_USERNAME_MAX bytes, a mention's domain at most
 * TEXT_DOMAIN_MAX, a hashtag at most TEXT_TAG_MAX bytes; longer runs are not entities at all
 * (so every hashtag entity is guaranteed to pass text_tag_normalize()).
 *
 * Must never: emit a byte of user text unescaped; allocate anything but the entity array
 * (allocation failure aborts, as buf.h does); read outside [src, src + len).
 */
#include "text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define TEXT_USERNAME_MAX 30 /* bytes; usernames are ASCII [A-Za-z0-9_] */
#define TEXT_DOMAIN_MAX 253  /* bytes; the DNS limit */
#define TEXT_TAG_MAX 100     /* bytes of the tag name, without '#' */
#define TEXT_LINK_WEIGHT 23  /* what a link counts for in text_char_count() */
#define TEXT_REPLACEMENT_CHAR 0xFFFDu

/* ------------------------------------------------------------------------------------------ */
/* UTF-8 and character classes                                                                 */
/* ------------------------------------------------------------------------------------------ */

/*
 * Decodes the code point at s[i], reading no further than s[len - 1]. Returns its length in
 * bytes, or 0 if the sequence is malformed, overlong, a surrogate or above U+10FFFF.
 */
static size_t utf8_decode(const char *src, size_t len, size_t i, uint32_t *cp_out)
{
    const unsigned char *s = (const unsigned char *)src;
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp_out = c;
        return 1;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    if (len - i < n) return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    *cp_out = cp;
    return n;
}

static void utf8_put(buf *out, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        buf_putc(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 4);
    }
}

/* Non-ASCII code points that end a word; everything else above U+007F is a letter. */
static const struct {
    uint32_t lo, hi;
} non_word_ranges[] = {
    {0x0080, 0x00BF},   /* C1 controls, Latin-1 punctuation and symbols (NBSP, «, », ·, ¿) */
    {0x00D7, 0x00D7},   /* × */
    {0x00F7, 0x00F7},   /* ÷ */
    {0x037E, 0x037E},   /* Greek question mark */
    {0x0387, 0x0387},   /* Greek ano teleia */
    {0x060C, 0x060C},   /* Arabic comma */
    {0x061B, 0x061B},   /* Arabic semicolon */
    {0x061F, 0x061F},   /* Arabic question mark */
    {0x06D4, 0x06D4},   /* Arabic full stop */
    {0x0964, 0x0965},   /* Devanagari danda */
    {0x1680, 0x1680},   /* Ogham space */
    {0x2000, 0x200B},   /* spaces, zero-width space (ZWNJ/ZWJ 200C-D stay word characters) */
    {0x200E, 0x206F},   /* marks, dashes, quotes, ellipsis, other general punctuation */
    {0x20A0, 0x20CF},   /* currency symbols */
    {0x2190, 0x2BFF},   /* arrows, math, technical, box drawing, shapes, symbols, dingbats */
    {0x2E00, 0x2E7F},   /* supplemental punctuation */
    {0x3000, 0x3003},   /* ideographic space, 、 。 〃 */
    {0x3008, 0x3020},   /* CJK brackets, quotes, 〒, 〜 */
    {0x3030, 0x3030},   /* 〰 */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFE10, 0xFE1F},   /* vertical forms */
    {0xFE30, 0xFE6F},   /* CJK compatibility forms, small form variants */
    {0xFEFF, 0xFEFF},   /* zero-width no-break space (BOM) */
    {0xFF01, 0xFF0F},   /* fullwidth ！ … ／ */
    {0xFF1A, 0xFF20},   /* fullwidth ： … ＠ */
    {0xFF3B, 0xFF40},   /* fullwidth ［ … ｀ */
    {0xFF5B, 0xFF65},   /* fullwidth ｛ … ･ */
    {0xFFE0, 0xFFEF},   /* fullwidth signs */
    {0xFFF0, 0xFFFF},   /* specials, U+FFFD */
    {0x1F000, 0x1FAFF}, /* emoji, pictographs, flags, symbols */
    {0xE0000, 0xE007F}, /* tag characters (emoji flag sequences) */
};

static bool is_ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_word_cp(uint32_t cp)
{
    if (cp < 0x80) return is_ascii_word((unsigned char)cp);
    for (size_t k = 0; k < sizeof non_word_ranges / sizeof non_word_ranges[0]; k++) {
        if (cp < non_word_ranges[k].lo) return true; /* the table is sorted */
        if (cp <= non_word_ranges[k].hi) return false;
    }
    return true;
}

/* White_Space code points plus ZWSP and BOM, which end a link when pasted between words. */
static bool is_space_cp(uint32_t cp)
{
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0xFEFF;
}

/* The code point that ends just before s[i] (i > 0, s valid UTF-8 up to i). */
static uint32_t cp_before(const char *s, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
    uint32_t cp;
    if (utf8_decode(s, i, j, &cp) != i - j) return TEXT_REPLACEMENT_CHAR;
    return cp;
}

/* A mention or hashtag may start at i: at the start, or after a non-word character that is
 * not '/' or '=' (Mastodon's rule, so paths and query strings do not mention people). */
static bool may_start_mention_or_tag(const char *s, size_t i)
{
    if (i == 0) return true;
    uint32_t cp = cp_before(s, i);
    return !is_word_cp(cp) && cp != '/' && cp != '=';
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void entities_push(text_entities *es, const text_entity *e)
{
    if (es->n == es->cap) {
        size_t cap = es->cap ? es->cap * 2 : 8;
        text_entity *items = realloc(es->items, cap * sizeof *items);
        if (!items) abort();
        es->items = items;
        es->cap = cap;
    }
    es->items[es->n++] = *e;
}

static bool has_prefix_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n) return false;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != prefix[k]) return false;
    }
    return true;
}

/* Length of the "http://" or "https://" prefix of s (any case), or 0. */
static size_t link_scheme_len(const char *s, size_t len)
{
    if (has_prefix_ci(s, len, "https://")) return 8;
    if (has_prefix_ci(s, len, "http://")) return 7;
    return 0;
}

static bool ends_link(uint32_t cp)
{
    return is_space_cp(cp) || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == '<' || cp == '>';
}

/*
 * Drops trailing punctuation from the link s[start..end): any of .,;:!?'" and a ')' that has
 * no '(' to close. Returns the new end.
 */
static size_t trim_link_tail(const char *s, size_t start, size_t end)
{
    size_t open = 0, close = 0;
    for (size_t k = start; k < end; k++) {
        open += s[k] == '(';
        close += s[k] == ')';
    }
    while (end > start) {
        char c = s[end - 1];
        if (c != '\0' && strchr(".,;:!?'\"", c)) {
            end--;
        } else if (c == ')' && close > open) {
            end--;
            close--;
        } else {
            break;
        }
    }
    return end;
}

static size_t scan_link(const char *s, size_t len, size_t i, text_entity *e)
{
    size_t scheme = link_scheme_len(s + i, len - i);
    if (!scheme) return 0;
    if (i > 0 && is_word_cp(cp_before(s, i))) return 0;
    size_t end = i + scheme;
    while (end < len) {
        uint32_t cp;
        size_t n = utf8_decode(s, len, end, &cp);
        if (n == 0 || ends_link(cp)) break;
        end += n;
    }
    end = trim_link_tail(s, i, end);
    if (end <= i + scheme) return 0; /* "https://" with nothing after it */
    *e = (text_entity){
        .kind = TEXT_LINK, .start = i, .len = end - i, .name = s + i, .name_len = end - i};
    return end - i;
}

/*
 * '@' user ['@' domain]. The domain is word characters, '.' and '-', starting and ending with
 * a word character (so "@bob@example.org." leaves the full stop out).
 */
static size_t scan_mention(const char *s, size_t len, size_t i, text_entity *e)
{
    if (!may_start_mention_or_tag(s, i)) return 0;
    size_t user = i + 1, end = user;
    while (end < len && is_ascii_word((unsigned char)s[end])) end++;
    size_t user_len = end - user;
    if (user_len == 0 || user_len > TEXT_USERNAME_MAX) return 0;

    const char *domain = NULL;
    size_t domain_len = 0;
    if (end < len && s[end] == '@') {
        size_t d = end + 1, p = d, word_end = d;
        while (p < len) {
            uint32_t cp;
            size_t n = utf8_decode(s, len, p, &cp);
            if (n == 0) break;
            if (is_word_cp(cp)) {
                p += n;
                word_end = p;
            } else if ((cp == '.' || cp == '-') && p > d) {
                p += n;
            } else {
                break;
            }
        }
        if (word_end > d) {
            domain = s + d;
            domain_len = word_end - d;
            if (domain_len > TEXT_DOMAIN_MAX) return 0;
            end = word_end;
        }
    }
    if (!domain && end < len) {
        /* "@bobé": the username would stop in the middle of a word. */
        uint32_t cp;
        if (utf8_decode(s, len, end, &cp) && is_word_cp(cp)) return 0;
    }
    *e = (text_entity){.kind = TEXT_MENTION,
                       .start = i,
                       .len = end - i,
                       .name = s + user,
                       .name_len = user_len,
                       .domain = domain,
                       .domain_len = domain_len};
    return end - i;
}

static size_t scan_hashtag(const char *s, size_t len, size_t i, text_entity *e)
{
    if (!may_start_mention_or_tag(s, i)) return 0;
    size_t name = i + 1, end = name;
    bool has_non_digit = false;
    while (end < len) {
        uint32_t cp;
        size_t n = utf8_decode(s, len, end, &cp);
        if (n == 0 || !is_word_cp(cp)) break;
        if (cp < '0' || cp > '9') has_non_digit = true;
        end += n;
    }
    if (end == name || !has_non_digit || end - name > TEXT_TAG_MAX) return 0;
    *e = (text_entity){
        .kind = TEXT_HASHTAG, .start = i, .len = end - i, .name = s + name, .name_len = end - name};
    return end - i;
}

int text_parse(const char *src, size_t len, text_entities *out)
{
    out->n = 0;
    if (!text_is_valid_utf8(src, len)) return PL_EINVAL;
    size_t i = 0;
    while (i < len) {
        text_entity e;
        size_t used = 0;
        switch (src[i]) {
        case 'h':
        case 'H': used = scan_link(src, len, i, &e); break;
        case '@': used = scan_mention(src, len, i, &e); break;
        case '#': used = scan_hashtag(src, len, i, &e); break;
        default: break;
        }
        if (used) {
            entities_push(out, &e);
            i += used;
        } else {
            i++;
        }
    }
    return PL_OK;
}

void text_entities_free(text_entities *e)
{
    free(e->items);
    e->items = NULL;
    e->n = e->cap = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering and counting                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The entity's source range, if it lies inside src and starts with its kind's sigil. */
static const char *entity_source(const char *src, size_t len, const text_entity *e)
{
    if (e->len == 0 || e->start >= len || e->len > len - e->start) return NULL;
    const char *s = src + e->start;
    switch (e->kind) {
    case TEXT_LINK: return link_scheme_len(s, e->len) ? s : NULL;
    case TEXT_MENTION: return e->len > 1 && s[0] == '@' ? s : NULL;
    case TEXT_HASHTAG: return e->len > 1 && s[0] == '#' ? s : NULL;
    }
    return NULL;
}

/* Length of the username in a mention's source "@user[@domain]", without the '@'. */
static size_t mention_user_len(const char *s, size_t len)
{
    size_t u = 1;
    while (u < len && is_ascii_word((unsigned char)s[u])) u++;
    return u - 1;
}

/* Appends a path segment: bytes of a normalized tag are [a-z0-9_] or non-ASCII. */
static void put_tag_path(buf *out, const char *tag, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)tag[k];
        if (c < 0x80) {
            buf_putc(out, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
            buf_append(out, esc, 3);
        }
    }
}

/* Writes the markup for one entity; false means "render its source as plain text". */
static bool render_entity(const char *src, size_t len, const text_entity *e, const char *base_url,
                          buf *out)
{
    const char *s = entity_source(src, len, e);
    if (!s) return false;
    switch (e->kind) {
    case TEXT_LINK:
        buf_puts(out, "<a href=\"");
        buf_put_html(out, s, e->len);
        buf_puts(out, "\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">");
        buf_put_html(out, s, e->len);
        buf_puts(out, "</a>");
        return true;
    case TEXT_HASHTAG: {
        char tag[TEXT_TAG_MAX + 1];
        int n = text_tag_normalize(s + 1, e->len - 1, tag, sizeof tag);
        if (n < 0) return false;
        buf_puts(out, "<a href=\"");
        if (base_url) buf_put_html(out, base_url, strlen(base_url));
        buf_puts(out, "/tags/");
        put_tag_path(out, tag, (size_t)n);
        buf_puts(out, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
        buf_put_html(out, s + 1, e->len - 1);
        buf_puts(out, "</span></a>");
        return true;
    }
    case TEXT_MENTION: {
        size_t user_len = mention_user_len(s, e->len);
        if (!e->href || user_len == 0) return false;
        buf_puts(out, "<span class=\"h-card\"><a href=\"");
        buf_put_html(out, e->href, strlen(e->href));
        buf_puts(out, "\" class=\"u-url mention\">@<span>");
        buf_put_html(out, s + 1, user_len);
        buf_puts(out, "</span></a></span>");
        return true;
    }
    }
    return false;
}

/* If a line break starts at s[i], returns the bytes of the run of line breaks starting there
 * and sets *breaks to how many there are ("\r\n", "\n" and a lone "\r" count one each). */
static size_t newline_run(const char *s, size_t len, size_t i, size_t *breaks)
{
    size_t j = i;
    *breaks = 0;
    while (j < len && (s[j] == '\n' || s[j] == '\r')) {
        j += (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n') ? 2 : 1;
        (*breaks)++;
    }
    return j - i;
}

void text_render_html(const char *src, size_t len, const text_entities *ents, const char *base_url,
                      buf *out)
{
    size_t n_ents = ents ? ents->n : 0;
    size_t i = 0, k = 0;
    bool in_paragraph = false, pending_break = false;
    while (i < len) {
        size_t breaks, used = newline_run(src, len, i, &breaks);
        if (used) {
            /* Breaks before the first text of a paragraph and after its last are dropped. */
            if (in_paragraph && breaks >= 2) {
                buf_puts(out, "</p>");
                in_paragraph = pending_break = false;
            } else if (in_paragraph) {
                pending_break = true;
            }
            i += used;
            continue;
        }
        if (!in_paragraph) {
            buf_puts(out, "<p>");
            in_paragraph = true;
        } else if (pending_break) {
            buf_puts(out, "<br />");
            pending_break = false;
        }
        while (k < n_ents && ents->items[k].start < i) k++;
        if (k < n_ents && ents->items[k].start == i &&
            render_entity(src, len, &ents->items[k], base_url, out)) {
            i += ents->items[k].len;
            k++;
            continue;
        }
        while (k < n_ents && ents->items[k].start <= i) k++;
        size_t stop = k < n_ents && ents->items[k].start < len ? ents->items[k].start : len;
        size_t j = i + 1;
        while (j < stop && src[j] != '\n' && src[j] != '\r') j++;
        buf_put_html(out, src + i, j - i);
        i = j;
    }
    if (in_paragraph) buf_puts(out, "</p>");
}

void text_render_inline(const char *src, size_t len, const text_entities *ents,
                        const char *base_url, buf *out)
{
    size_t n_ents = ents ? ents->n : 0;
    size_t i = 0, k = 0;
    while (i < len) {
        while (k < n_ents && ents->items[k].start < i) k++;
        if (k < n_ents && ents->items[k].start == i &&
            render_entity(src, len, &ents->items[k], base_url, out)) {
            i += ents->items[k].len;
            k++;
            continue;
        }
        while (k < n_ents && ents->items[k].start <= i) k++;
        size_t stop = k < n_ents && ents->items[k].start < len ? ents->items[k].start : len;
        buf_put_html(out, src + i, stop - i);
        i = stop;
    }
}

size_t text_char_count(const char *src, size_t len, const text_entities *ents)
{
    size_t n_ents = ents ? ents->n : 0;
    size_t count = 0, i = 0, k = 0;
    while (i < len) {
        while (k < n_ents && ents->items[k].start < i) k++;
        if (k < n_ents && ents->items[k].start == i) {
            const text_entity *e = &ents->items[k++];
            const char *s = entity_source(src, len, e);
            if (s && e->kind == TEXT_LINK) {
                count += TEXT_LINK_WEIGHT;
                i += e->len;
                continue;
            }
            if (s && e->kind == TEXT_MENTION) {
                count += 1 + mention_user_len(s, e->len); /* '@' + ASCII username */
                i += e->len;
                continue;
            }
        }
        if (((unsigned char)src[i] & 0xC0) != 0x80) count++;
        i++;
    }
    return count;
}

/* ------------------------------------------------------------------------------------------ */
/* Tags and validation                                                                         */
/* ------------------------------------------------------------------------------------------ */

/*
 * Beyond the header's rules, a name of digits only is rejected (it is not a hashtag when
 * parsed either), and so is a cap too small for the whole name: a truncated tag would name a
 * different tag, and cutting could split a UTF-8 sequence. The output is always as long as
 * the input, so cap = TEXT_TAG_MAX + 1 (101) always suffices.
 */
int text_tag_normalize(const char *tag, size_t len, char *out, size_t cap)
{
    if (len == 0 || len > TEXT_TAG_MAX || !out || cap <= len) return -1;
    bool has_non_digit = false;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(tag, len, i, &cp);
        if (n == 0 || !is_word_cp(cp)) return -1;
        if (cp < '0' || cp > '9') has_non_digit = true;
        if (cp >= 'A' && cp <= 'Z') {
            out[i] = (char)(cp - 'A' + 'a');
        } else {
            memcpy(out + i, tag + i, n);
        }
        i += n;
    }
    if (!has_non_digit) return -1;
    out[len] = '\0';
    return (int)len;
}

int text_is_valid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s, len, i, &cp);
        if (n == 0 || cp == 0) return 0;
        i += n;
    }
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* HTML back to text                                                                           */
/* ------------------------------------------------------------------------------------------ */

typedef enum { TAG_OTHER, TAG_BR, TAG_P_CLOSE } tag_kind;

/* If a tag starts at html[i] ('<' then a letter, '/' or '!'), returns the index just past
 * its '>' and sets *kind; otherwise 0 (the '<' is then text). gt_limit is one past the last
 * '>' of the document, so a run of '<' with no '>' after them costs no rescans. */
static size_t tag_end(const char *html, size_t gt_limit, size_t i, tag_kind *kind)
{
    size_t len = gt_limit;
    size_t p = i + 1;
    if (p >= len) return 0;
    bool is_close = html[p] == '/';
    if (is_close) p++;
    if (p >= len) return 0;
    char c = html[p];
    bool is_letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!is_letter && !(c == '!' && !is_close)) return 0;
    const char *gt = memchr(html + p, '>', len - p);
    if (!gt) return 0;
    size_t name = p, name_end = p;
    while (name_end < len && is_ascii_word((unsigned char)html[name_end])) name_end++;
    *kind = TAG_OTHER;
    if (name_end - name == 2 && has_prefix_ci(html + name, 2, "br")) *kind = TAG_BR;
    if (is_close && name_end - name == 1 && (c == 'p' || c == 'P')) *kind = TAG_P_CLOSE;
    return (size_t)(gt - html) + 1;
}

/* If a character reference starts at html[i], decodes it into *cp and returns its length;
 * otherwise 0 (the '&' is then text). Invalid code points decode to U+FFFD. */
static size_t entity_ref(const char *html, size_t len, size_t i, uint32_t *cp)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {
        {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
        {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", 0xA0},
    };
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t n = strlen(named[k].name);
        if (len - i >= n && memcmp(html + i, named[k].name, n) == 0) {
            *cp = named[k].cp;
            return n;
        }
    }
    size_t p = i + 1;
    if (p >= len || html[p] != '#') return 0;
    p++;
    bool is_hex = p < len && (html[p] == 'x' || html[p] == 'X');
    if (is_hex) p++;
    uint32_t value = 0;
    size_t digits = 0;
    for (; p < len; p++, digits++) {
        char c = html[p];
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (is_hex && c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (is_hex && c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            break;
        }
        if (value <= 0x10FFFF) value = value * (is_hex ? 16u : 10u) + (uint32_t)d;
    }
    if (digits == 0 || p >= len || html[p] != ';') return 0;
    bool is_valid = value != 0 && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);
    *cp = is_valid ? value : TEXT_REPLACEMENT_CHAR;
    return p + 1 - i;
}

void text_html_to_plain(const char *html, size_t len, buf *out)
{
    /* A paragraph break is written lazily, before the next text, so that neither the
     * first <p> nor the last </p> leaves blank lines behind. */
    bool has_text = false, is_paragraph_closed = false;
    size_t gt_limit = len;
    while (gt_limit > 0 && html[gt_limit - 1] != '>') gt_limit--;
    size_t i = 0;
    while (i < len) {
        char c = html[i];
        tag_kind kind;
        size_t end = c == '<' && i < gt_limit ? tag_end(html, gt_limit, i, &kind) : 0;
        if (end) {
            if (kind == TAG_P_CLOSE) is_paragraph_closed = true;
            if (kind == TAG_BR) {
                if (is_paragraph_closed && has_text) buf_puts(out, "\n\n");
                is_paragraph_closed = false;
                buf_putc(out, '\n');
                has_text = true;
            }
            i = end;
            continue;
        }
        if (is_paragraph_closed && has_text) buf_puts(out, "\n\n");
        is_paragraph_closed = false;
        has_text = true;
        uint32_t cp;
        size_t used = c == '&' ? entity_ref(html, len, i, &cp) : 0;
        if (used) {
            utf8_put(out, cp);
            i += used;
            continue;
        }
        size_t j = i + 1;
        while (j < len && html[j] != '<' && html[j] != '&') j++;
        buf_append(out, html + i, j - i);
        i = j;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Folding and keyword matching (filters)                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The lower case of cp when it has one of the same UTF-8 length in the scripts folded here
 * (see text.h), else cp. */
static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp < 0xC0) return cp;
    if (cp <= 0xDE) return cp == 0xD7 ? cp : cp + 0x20; /* À…Þ, not × */
    if (cp >= 0x100 && cp <= 0x137) return cp | 1;      /* Ā ā … Ķ ķ: upper case even */
    if (cp >= 0x139 && cp <= 0x148) return cp & 1 ? cp + 1 : cp;
    if (cp >= 0x14A && cp <= 0x177) return cp | 1;
    if (cp == 0x178) return 0xFF; /* Ÿ */
    if (cp >= 0x179 && cp <= 0x17E) return cp & 1 ? cp + 1 : cp;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20; /* Greek */
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                /* Cyrillic А…Я */
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                /* Ѐ…Џ */
    return cp;
}

size_t text_fold(const char *s, size_t len, char *out)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s, len, i, &cp);
        if (n == 0) { /* not UTF-8: kept as it is */
            out[i] = s[i];
            i++;
            continue;
        }
        uint32_t f = fold_cp(cp);
        if (f == cp) {
            memcpy(out + i, s + i, n);
        } else if (n == 1) {
            out[i] = (char)f;
        } else { /* every folded pair above is two bytes long in UTF-8 */
            out[i] = (char)(0xC0 | (f >> 6));
            out[i + 1] = (char)(0x80 | (f & 0x3F));
        }
        i += n;
    }
    out[len] = '\0';
    return len;
}

size_t text_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp)
{
    return utf8_decode(s, len, i, cp);
}

uint32_t text_fold_char(uint32_t cp)
{
    return fold_cp(cp);
}

int text_is_word_char(uint32_t cp)
{
    return is_word_cp(cp);
}

int text_has_keyword(const char *hay, size_t hn, const char *kw, size_t kn, int whole_word)
{
    if (kn == 0 || kn > hn) return 0;
    uint32_t first = 0;
    bool need_start = whole_word && utf8_decode(kw, kn, 0, &first) && is_word_cp(first);
    bool need_end = whole_word && is_word_cp(cp_before(kw, kn));
    size_t from = 0;
    while (from + kn <= hn) {
        const char *m = memmem(hay + from, hn - from, kw, kn);
        if (!m) return 0;
        size_t at = (size_t)(m - hay);
        bool ok = !(need_start && at > 0 && is_word_cp(cp_before(hay, at)));
        uint32_t next;
        if (ok && need_end && at + kn < hn && utf8_decode(hay, hn, at + kn, &next) &&
            is_word_cp(next))
            ok = false;
        if (ok) return 1;
        from = at + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* One line for a terminal                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Code points that a terminal does not show as themselves: they end a line or reorder it. */
static bool is_line_hazard(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

void text_escape_line(const char *s, buf *out)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n = utf8_decode(s, len, i, &cp);
        if (n == 0) {
            buf_printf(out, "\\x%02X", c);
            i++;
            continue;
        }
        if (c == '\\') {
            buf_puts(out, "\\\\");
        } else if (c == '\t') {
            buf_puts(out, "\\t");
        } else if (c == '\n') {
            buf_puts(out, "\\n");
        } else if (c == '\r') {
            buf_puts(out, "\\r");
        } else if (c < 0x20 || c == 0x7F) {
            buf_printf(out, "\\x%02X", c);
        } else if (is_line_hazard(cp)) {
            buf_printf(out, "\\u{%04X}", (unsigned)cp);
        } else {
            buf_append(out, s + i, n);
        }
        i += n;
    }
}
