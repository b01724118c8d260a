/*
 * fuzz_watchq.c — libFuzzer harness for src/listen/ (tokens.c, watchq.c, watchq_set.c).
 *
 * The input's first line is a watch query, the rest a post's text. Checks what the rest of
 * the server relies on:
 *   - listen_tokenize() gives words in order, inside the text, each at least one byte and
 *     never longer folded than in the source, its position its index;
 *   - watchq_parse() either accepts, or refuses with a position inside the query (or one past
 *     its end) and a reason;
 *   - an accepted query's canonical form (watchq_format) parses again, to the same form
 *     (or is refused for a limit: its parentheses may nest deeper than the query's);
 *   - a set of that one query matches the post at most once, and the same way twice.
 * Any violation calls abort(), which libFuzzer reports as a crash.
 *
 *   make build-fuzz/fuzz_watchq && build-fuzz/fuzz_watchq -max_total_time=600 -max_len=4096 \
 *       tests/fuzz/corpus/watchq
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/tokens.h"
#include "listen/watchq.h"
#include "util/buf.h"
#include "util/err.h"

static void check_tokens(const char *text, size_t len, const listen_tokens *t)
{
    size_t end = 0;
    for (size_t k = 0; k < t->n; k++) {
        const listen_token *w = &t->items[k];
        if (w->pos != k || w->len == 0 || w->len > w->src_len) abort();
        if (w->offset < end || (size_t)w->offset + w->src_len > len) abort();
        if (strlen(w->text) != w->len) abort();
        end = w->offset + w->src_len;
    }
    (void)text;
}

static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t k = 0; k < n; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) c++;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    size_t qlen = nl ? (size_t)(nl - in) : size;
    const char *text = nl ? nl + 1 : "";
    size_t tlen = nl ? size - qlen - 1 : 0;

    listen_tokens t = LISTEN_TOKENS_INIT;
    if (listen_tokenize(text, tlen, &t) != PL_OK) abort();
    check_tokens(text, tlen, &t);

    watchq *q = NULL;
    watchq_error err = {0};
    int rc = watchq_parse(in, qlen, &q, &err);
    if (rc != PL_OK) {
        if (q || err.position < 1 || err.reason[0] == '\0') abort();
        if (qlen <= WATCHQ_MAX_BYTES && (size_t)err.position > chars(in, qlen) + 1) abort();
        listen_tokens_free(&t);
        return 0;
    }
    buf form = BUF_INIT, again = BUF_INIT;
    watchq_format(q, &form);
    watchq *q2 = NULL;
    rc = watchq_parse(form.data, form.len, &q2, &err);
    if (rc != PL_OK && rc != PL_ELIMIT) abort(); /* (its parentheses may nest deeper) */
    if (rc == PL_OK) {
        watchq_format(q2, &again);
        if (again.len != form.len || memcmp(again.data, form.data, form.len) != 0) abort();
    }

    int64_t id = 7, out[1];
    watchq_set *set = NULL;
    if (watchq_set_build((const watchq *const *)&q, &id, 1, &set) != PL_OK) abort();
    const char *tags[] = {"launch"}, *channels[] = {"design"};
    watchq_doc doc = {.tokens = &t,
                      .author = "amara",
                      .channels = channels,
                      .n_channels = 1,
                      .tags = tags,
                      .n_tags = 1};
    size_t n1 = watchq_set_match(set, &doc, out, 1);
    size_t n2 = watchq_set_match(set, &doc, out, 1);
    if (n1 > 1 || n1 != n2 || (n1 && out[0] != 7)) abort();

    watchq_set_free(set);
    watchq_free(q);
    watchq_free(q2);
    buf_free(&form);
    buf_free(&again);
    listen_tokens_free(&t);
    return 0;
}
