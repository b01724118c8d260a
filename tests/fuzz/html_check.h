/*
 * html_check.h — what the fuzz harnesses of the HTML writers (fuzz_text.c, fuzz_markdown.c)
 * share: matching one of a set of fixed strings, and the rule for text between tags (no
 * markup character; every '&' one of buf_put_html()'s escapes). Each harness keeps its own
 * list of the tags its writer may produce. Violations abort(), which libFuzzer reports.
 */
#ifndef PL_FUZZ_HTML_CHECK_H
#define PL_FUZZ_HTML_CHECK_H

#include <stdlib.h>
#include <string.h>

/* The length of the first of set[0..count) that s (n bytes) starts with, or 0. */
static inline size_t match_any(const char *s, size_t n, const char *const *set, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t len = strlen(set[k]);
        if (n >= len && memcmp(s, set[k], len) == 0) return len;
    }
    return 0;
}

#define MATCH(s, n, set) match_any((s), (n), (set), sizeof(set) / sizeof((set)[0]))

/* Text (or an attribute value) may hold no markup character except escapes: the length of the
 * byte or escape at h[i]. */
static inline size_t check_text_byte(const char *h, size_t n, size_t i)
{
    static const char *const escapes[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    char c = h[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') abort();
    if (c != '&') return 1;
    size_t len = MATCH(h + i, n - i, escapes);
    if (!len) abort();
    return len;
}

#endif
