/**
 * text.h — status text: finding @mentions, #hashtags and links, counting characters
 * the way Mastodon does, and rendering server-made HTML.
 *
 * User input is never trusted as HTML: every byte of the source is escaped, and the
 * only markup in the output is what this module writes (<p>, <br>, <a>, <span>).
 * Dependency-free (only buf.h); no allocation except the entity array.
 */
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum { TEXT_MENTION, TEXT_HASHTAG, TEXT_LINK } text_kind;

/** One entity found in the source; ranges point into the caller's source text. */
typedef struct text_entity {
    text_kind kind;
    size_t start, len; /**< byte range of the whole entity in the source ("@bob", "#Tag", url) */
    const char *name;  /**< mention: the username without '@' and without domain;
                            hashtag: the tag without '#'; link: the URL */
    size_t name_len;
    const char *domain; /**< mention "@bob@example.org": "example.org"; NULL otherwise */
    size_t domain_len;
    /** Filled by the caller before rendering, for mentions only: the resolved account's
     *  profile URL (NUL-terminated, owned by the caller). NULL = unresolved, rendered as
     *  plain escaped text. */
    const char *href;
} text_entity;

typedef struct text_entities {
    text_entity *items; /**< malloc'd; text_entities_free() releases it */
    size_t n, cap;
} text_entities;

#define TEXT_ENTITIES_INIT                                                                         \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/**
 * Finds mentions, hashtags and links in src (UTF-8, len bytes), in source order.
 * Rules (as Mastodon): a mention is '@' + [A-Za-z0-9_]+ (optionally '@' + domain),
 * preceded by start of text or a non-word character; a hashtag is '#' followed by letters,
 * digits, '_' (Unicode letters allowed, not only digits), preceded by start or a non-word
 * character; a link is http:// or https:// followed by non-space characters, with trailing
 * punctuation (.,;:!?'" and an unbalanced ')') left out. Entities never overlap.
 * Returns PL_OK, or PL_EINVAL if src is not valid UTF-8.
 */
int text_parse(const char *src, size_t len, text_entities *out);

void text_entities_free(text_entities *e);

/**
 * Appends the HTML for src to out. Paragraphs are separated by blank lines (<p>…</p>),
 * single newlines become <br />. Links: <a href="URL" target="_blank"
 * rel="nofollow noopener noreferrer">URL</a>. Hashtags: <a href="BASE/tags/tag"
 * class="mention hashtag" rel="tag">#<span>Tag</span></a> (the href uses the lowercased
 * tag). Resolved mentions: <span class="h-card"><a href="HREF" class="u-url mention">
 * @<span>bob</span></a></span>. Everything else is HTML-escaped. base_url has no
 * trailing slash. ents must come from text_parse() of the same src.
 */
void text_render_html(const char *src, size_t len, const text_entities *ents, const char *base_url,
                      buf *out);

/**
 * Appends the HTML for one run of text with no paragraphs: the entities of ents rendered as
 * text_render_html renders them, everything else (line breaks too) HTML-escaped. For the text
 * runs of a Markdown document (util/markdown.h), whose blocks and breaks are made elsewhere.
 */
void text_render_inline(const char *src, size_t len, const text_entities *ents,
                        const char *base_url, buf *out);

/**
 * Counts characters as Mastodon does for the length limit: Unicode code points, where
 * every link counts as 23 and a mention "@user@domain" counts as "@user".
 */
size_t text_char_count(const char *src, size_t len, const text_entities *ents);

/**
 * Normalizes a hashtag name for storage and lookup: Unicode-aware enough for ASCII
 * (lowercased); non-ASCII bytes are kept as they are. Writes at most cap-1 bytes plus NUL
 * into out. Returns the length, or -1 if the name is empty, too long (> 100 bytes) or has
 * a character a hashtag may not have.
 */
int text_tag_normalize(const char *tag, size_t len, char *out, size_t cap);

/** True if s[0..len) is valid UTF-8 with no NUL bytes. */
int text_is_valid_utf8(const char *s, size_t len);

/**
 * Converts server-made HTML back to plain text (for the "text" of a deleted status and
 * for search): tags dropped, <br> and </p><p> become newlines, entities decoded.
 */
void text_html_to_plain(const char *html, size_t len, buf *out);

/**
 * Folds case for keyword matching: writes len bytes plus a NUL into out (len + 1 bytes) and
 * returns len. Lower-cases ASCII, Latin-1 (À–Þ), Latin Extended-A (Ā–ž), basic Greek and
 * Cyrillic capitals — each to a lower case of the same UTF-8 length, so byte offsets keep
 * their meaning; everything else (and bytes that are not UTF-8) is copied as it is.
 */
size_t text_fold(const char *s, size_t len, char *out);

/**
 * The code point at s[i], for tokenizers outside this file (listen/tokens.c): stores it in *cp
 * and returns its length in bytes, reading no further than s[len - 1]; 0 if the bytes there
 * are not UTF-8 (malformed, overlong, a surrogate, above U+10FFFF). i < len.
 */
size_t text_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp);

/** The lower case text_fold() gives cp (cp itself where it folds nothing). */
uint32_t text_fold_char(uint32_t cp);

/**
 * True if cp is a word character as hashtags and mentions count them: ASCII letters, digits
 * and '_', and every non-ASCII code point but spaces, punctuation, symbols and emoji.
 */
int text_is_word_char(uint32_t cp);

/**
 * True if the keyword kw occurs in hay (both folded by text_fold). With whole_word, a
 * keyword that starts with a word character must not follow one, and one that ends with a
 * word character must not be followed by one (Mastodon's \b at the ends that are word
 * characters). Word characters are letters (any script), digits and '_'; spaces,
 * punctuation, symbols and emoji are not (the same classes as hashtags and mentions).
 */
int text_has_keyword(const char *hay, size_t hn, const char *kw, size_t kn, int whole_word);

/**
 * Appends s as one line of plain text for a terminal or a tab-separated listing: backslash,
 * tab, CR and LF become \\, \t, \r and \n; other C0 controls and DEL become \xHH; C1 controls,
 * the Unicode line and paragraph separators and the bidirectional overrides and isolates
 * (which can reorder what a terminal shows) become \u{XXXX}; bytes that are not UTF-8 become
 * \xHH. So whatever a person typed cannot start another line, fake a column or move the
 * cursor.
 */
void text_escape_line(const char *s, buf *out);

#endif
