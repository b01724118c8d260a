/*
 * fuzz_text.c — libFuzzer harness for src/util/text.c.
 *
 * Feeds arbitrary bytes through text_parse(), text_render_html(), text_char_count() and
 * text_html_to_plain(), and checks the properties the rest of the server relies on:
 *   - text_parse() succeeds exactly when the input is valid UTF-8 without NUL;
 *   - entities are in order, inside the source, never overlap, and every hashtag passes
 *     text_tag_normalize();
 *   - the rendered HTML contains no markup but the fixed tags text.c writes: outside those,
 *     no raw '<', '>', '"' or '\'', and every '&' starts one of buf_put_html()'s escapes;
 *   - for valid input, the HTML and its plain-text form are valid UTF-8, and a single-line
 *     status with no resolved mentions survives render + html_to_plain unchanged.
 * Any violation calls abort(), which libFuzzer reports as a crash.
 *
 * `make test-fuzz` builds it with clang and runs it for a fixed time on the seed corpus in
 * tests/fuzz/corpus/text/; to run it longer:
 *   make build-fuzz/fuzz_text && build-fuzz/fuzz_text -max_total_time=600 -max_len=4096 \
 *       tests/fuzz/corpus/text
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_check.h"
#include "util/err.h"
#include "util/text.h"

#define BASE_URL "https://fuzz.example"
#define HOSTILE_HREF "https://x.example/\"'<>&"

static const char *const fixed_tags[] = {
    "<p>", "</p>", "<br />", "<span class=\"h-card\">", "<span>", "</span>", "</a>",
};

static const char *const link_tails[] = {
    "\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">",
    "\" class=\"mention hashtag\" rel=\"tag\">",
    "\" class=\"u-url mention\">",
};

static void check_markup(const char *h, size_t n)
{
    static const char a_open[] = "<a href=\"";
    int is_in_paragraph = 0;
    size_t i = 0;
    while (i < n) {
        if (h[i] != '<') {
            i += check_text_byte(h, n, i);
            continue;
        }
        size_t len;
        if (n - i >= sizeof a_open - 1 && memcmp(h + i, a_open, sizeof a_open - 1) == 0) {
            i += sizeof a_open - 1;
            while (i < n && h[i] != '"') i += check_text_byte(h, n, i);
            len = MATCH(h + i, n - i, link_tails);
            if (!len) abort();
            i += len;
            continue;
        }
        len = MATCH(h + i, n - i, fixed_tags);
        if (!len) abort();
        if (strncmp(h + i, "<p>", 3) == 0) {
            if (is_in_paragraph) abort();
            is_in_paragraph = 1;
        } else if (strncmp(h + i, "</p>", 4) == 0) {
            if (!is_in_paragraph) abort();
            is_in_paragraph = 0;
        }
        i += len;
    }
    if (is_in_paragraph) abort();
}

static void check_entities(const char *src, size_t len, const text_entities *ents)
{
    size_t end = 0;
    for (size_t k = 0; k < ents->n; k++) {
        const text_entity *e = &ents->items[k];
        if (e->len == 0 || e->start < end || e->start > len || e->len > len - e->start) abort();
        end = e->start + e->len;
        size_t name_off = (size_t)(e->name - src);
        if (name_off < e->start || e->name_len > end - name_off) abort();
        if (e->kind == TEXT_HASHTAG) {
            char tag[101];
            if (text_tag_normalize(e->name, e->name_len, tag, sizeof tag) != (int)e->name_len) {
                abort();
            }
        }
        if (e->kind == TEXT_MENTION && (e->name_len == 0 || e->name_len > 30)) abort();
    }
}

static void render_and_check(const uint8_t *data, size_t size, const text_entities *ents,
                             int is_valid, int use_hrefs)
{
    const char *src = (const char *)data;
    buf html = BUF_INIT, plain = BUF_INIT;
    text_render_html(src, size, ents, BASE_URL, &html);
    check_markup(buf_cstr(&html), html.len);
    text_html_to_plain(buf_cstr(&html), html.len, &plain);
    if (is_valid) {
        if (!text_is_valid_utf8(buf_cstr(&html), html.len)) abort();
        if (!text_is_valid_utf8(buf_cstr(&plain), plain.len)) abort();
        if (plain.len > size) abort();
        int is_one_line = !memchr(src, '\n', size) && !memchr(src, '\r', size);
        if (!use_hrefs && is_one_line) {
            if (plain.len != size || (size && memcmp(plain.data, src, size) != 0)) abort();
        }
    }
    buf_free(&html);
    buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    text_entities ents = TEXT_ENTITIES_INIT;
    int rc = text_parse(src, size, &ents);
    int is_valid = text_is_valid_utf8(src, size);
    if ((rc == PL_OK) != (is_valid != 0)) abort();
    if (rc == PL_OK) {
        check_entities(src, size, &ents);
        (void)text_char_count(src, size, &ents);
        render_and_check(data, size, &ents, 1, 0);
        for (size_t k = 0; k < ents.n; k++) {
            if (ents.items[k].kind == TEXT_MENTION) ents.items[k].href = HOSTILE_HREF;
        }
        render_and_check(data, size, &ents, 1, 1);
    } else {
        /* Not a contract the server uses, but rendering must stay safe on any bytes. */
        render_and_check(data, size, &ents, 0, 0);
    }
    text_entities_free(&ents);

    /* html_to_plain on arbitrary input: must not crash or read out of bounds. */
    buf plain = BUF_INIT;
    text_html_to_plain(src, size, &plain);
    buf_free(&plain);
    return 0;
}
