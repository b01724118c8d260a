/*
 * fuzz_markdown.c — libFuzzer harness for src/util/markdown.c.
 *
 * Feeds arbitrary bytes through markdown_render() (every mention resolved to a hostile href)
 * and checks what the rest of the server relies on:
 *   - it succeeds exactly when the input is valid UTF-8 without NUL, and writes nothing
 *     otherwise;
 *   - the HTML holds no markup but the fixed tags markdown.c and text.c write; a link's href
 *     starts with http://, https:// or the base URL; outside the tags there is no raw '<',
 *     '>', '"' or '\'', and every '&' starts one of buf_put_html()'s escapes;
 *   - the HTML and the plain text are valid UTF-8.
 * Any violation calls abort(), which libFuzzer reports as a crash.
 *
 *   make build-fuzz/fuzz_markdown && build-fuzz/fuzz_markdown -max_total_time=600 \
 *       -max_len=4096 tests/fuzz/corpus/markdown
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_check.h"
#include "util/err.h"
#include "util/markdown.h"

#define BASE_URL "https://fuzz.example"
#define HOSTILE_HREF "https://x.example/\"'<>&"

static const char *const fixed_tags[] = {
    "<p>",      "</p>",  "<br />", "<strong>", "</strong>", "<em>",  "</em>",  "<del>",
    "</del>",   "<code>", "</code>", "<pre>",  "</pre>",    "<ul>",  "</ul>",  "<ol>",
    "</ol>",    "<li>",  "</li>",  "<blockquote>", "</blockquote>", "<span class=\"h-card\">",
    "<span>",   "</span>", "</a>",
};

static const char *const link_tails[] = {
    "\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">",
    "\" class=\"mention hashtag\" rel=\"tag\">",
    "\" class=\"u-url mention\">",
};

static void check_markup(const char *h, size_t n)
{
    static const char a_open[] = "<a href=\"", ol_open[] = "<ol start=\"";
    size_t i = 0;
    while (i < n) {
        if (h[i] != '<') {
            i += check_text_byte(h, n, i);
            continue;
        }
        size_t len;
        if (n - i >= sizeof a_open - 1 && memcmp(h + i, a_open, sizeof a_open - 1) == 0) {
            i += sizeof a_open - 1;
            /* a link's scheme reaches the href as written, in any case */
            bool is_http = (n - i >= 7 && !strncasecmp(h + i, "http://", 7)) ||
                           (n - i >= 8 && !strncasecmp(h + i, "https://", 8));
            if (!is_http) abort();
            while (i < n && h[i] != '"') i += check_text_byte(h, n, i);
            len = MATCH(h + i, n - i, link_tails);
            if (!len) abort();
            i += len;
            continue;
        }
        if (n - i >= sizeof ol_open - 1 && memcmp(h + i, ol_open, sizeof ol_open - 1) == 0) {
            i += sizeof ol_open - 1;
            while (i < n && h[i] >= '0' && h[i] <= '9') i++;
            if (n - i < 2 || memcmp(h + i, "\">", 2) != 0) abort();
            i += 2;
            continue;
        }
        len = MATCH(h + i, n - i, fixed_tags);
        if (!len) abort();
        i += len;
    }
}

static void resolve_all(void *ctx, const char *src, size_t len, text_entities *ents)
{
    (void)ctx;
    (void)src;
    (void)len;
    for (size_t k = 0; k < ents->n; k++)
        if (ents->items[k].kind == TEXT_MENTION) ents->items[k].href = HOSTILE_HREF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    buf html = BUF_INIT, plain = BUF_INIT;
    int rc = markdown_render(src, size, BASE_URL, resolve_all, NULL, &html, &plain);
    int is_valid = text_is_valid_utf8(src, size);
    if ((rc == PL_OK) != (is_valid != 0)) abort();
    if (rc != PL_OK && (html.len || plain.len)) abort();
    if (rc == PL_OK) {
        check_markup(buf_cstr(&html), html.len);
        if (!text_is_valid_utf8(buf_cstr(&html), html.len)) abort();
        if (!text_is_valid_utf8(buf_cstr(&plain), plain.len)) abort();
    }
    buf_free(&html);
    buf_free(&plain);
    return 0;
}
