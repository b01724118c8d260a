/*
 * fuzz_feeds.c — libFuzzer harness for src/feeds/parse.c and date.c: a feed is anyone's
 * document, so the parser must take any bytes.
 *
 * Each input goes through feeds_parse() (with a small item cap, and without), through
 * feeds_html_to_text() and, NUL-terminated, through feeds_parse_date(). Properties (abort() on
 * violation):
 *   - feeds_parse() answers PL_OK, or PL_EINVAL with a non-empty one-line reason and no items;
 *   - every item has a key of at most FEEDS_MAX_KEY bytes (or "sha256:" and 64 hex digits),
 *     keys are unique within the document, and at most the cap of items is returned;
 *   - every string is valid UTF-8 without control characters ("\n" allowed in text only) and
 *     within its limit; a link starts with http:// or https://;
 *   - feeds_html_to_text() appends valid UTF-8 of at most the limit asked.
 * ASan/UBSan catch memory errors. XML_PARSE_NONET keeps it off the network.
 *
 * `make test-fuzz` builds it with clang and runs it for a fixed time on the seed corpus in
 * tests/fuzz/corpus/feeds/ (an RSS, an Atom and an RDF feed, a billion laughs); to run it
 * longer:
 *   make build-fuzz/fuzz_feeds && build-fuzz/fuzz_feeds -max_total_time=600 -max_len=4096 \
 *       tests/fuzz/corpus/feeds
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feeds/feeds.h"
#include "util/err.h"
#include "util/text.h"

static void check_str(const char *s, size_t max, int may_break_lines)
{
    if (!s) return;
    size_t n = strlen(s);
    if (n > max || !text_is_valid_utf8(s, n)) abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(may_break_lines && c == '\n')) || c == 0x7f) abort();
    }
}

static void check_feed(const feeds_feed *f, size_t cap)
{
    if (f->n_items > cap) abort();
    check_str(f->title, FEEDS_MAX_TITLE, 0);
    for (size_t i = 0; i < f->n_items; i++) {
        const feeds_item *it = &f->items[i];
        if (!it->key || !*it->key || !it->text) abort();
        check_str(it->key, FEEDS_MAX_KEY, 0);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(f->items[j].key, it->key)) abort();
        check_str(it->title, FEEDS_MAX_TITLE, 0);
        check_str(it->author, FEEDS_MAX_AUTHOR, 0);
        check_str(it->text, FEEDS_MAX_TEXT, 1);
        check_str(it->link, FEEDS_MAX_LINK, 0);
        if (it->link && strncasecmp(it->link, "http://", 7) && strncasecmp(it->link, "https://", 8))
            abort();
    }
}

static void parse_once(const char *data, size_t size, size_t cap)
{
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    int rc = feeds_parse(data, size, "https://fuzz.example/feed", cap, &a, &f, err, sizeof err);
    if (rc == PL_OK) {
        check_feed(&f, cap ? cap : FEEDS_MAX_ITEMS);
    } else {
        if (!err[0] || f.n_items || f.items) abort();
        check_str(err, sizeof err, 0);
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    parse_once(s, size, 0);
    parse_once(s, size, 2);

    buf b = BUF_INIT;
    feeds_html_to_text(s, size, 100, &b);
    if (b.len > 100 || !text_is_valid_utf8(b.data ? b.data : "", b.len)) abort();
    buf_free(&b);

    char *z = malloc(size + 1);
    if (!z) return 0;
    memcpy(z, data, size);
    z[size] = '\0';
    int64_t ms;
    (void)feeds_parse_date(z, &ms);
    free(z);
    return 0;
}
