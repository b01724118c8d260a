/*
 * fuzz_params.c — libFuzzer harness for src/api/params.c: api_parse_params() over a fake
 * api_call with an arbitrary query string, body and Content-Type, then every accessor
 * (p_get, p_str, p_bool, p_int, p_arr) on every key the parser produced.
 *
 * Input layout: byte 0 picks the Content-Type (JSON, form, multipart with a fixed or a
 * fuzzed boundary, none, or a Content-Type taken from the input), byte 1 is the length of
 * the query string; the query follows (cut at the first NUL, as a C string), and the rest is
 * the body. Properties checked (abort() on violation, which libFuzzer reports):
 *   - the result is PL_OK or PL_EBADREQ, and PL_EBADREQ always comes with a message;
 *   - c->in is always a JSON object, even on failure (api_run decrefs it);
 *   - every key and string value is valid UTF-8 (jansson would refuse to serialize it
 *     otherwise) and the whole object serializes;
 *   - p_bool returns 0, 1, the default or -2; p_arr returns an array or NULL, and the same
 *     array when asked twice;
 *   - a plain "k=v" form body of safe characters round-trips through p_str.
 * ASan/UBSan catch memory errors; LeakSanitizer catches leaked JSON.
 *
 * `make test-fuzz` builds it with clang and runs it for a fixed time on the seed corpus in
 * tests/fuzz/corpus/params/; to run it longer:
 *   make build-fuzz/fuzz_params && build-fuzz/fuzz_params -max_total_time=600 -max_len=4096 -dict=tests/fuzz/fuzz_params.dict \
 *       tests/fuzz/corpus/params
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/text.h"

static const char *const content_types[] = {
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ",
    "multipart/form-data; boundary=\"a b\"",
    "multipart/form-data",
    NULL, /* absent */
    "text/plain",
};
enum { N_FIXED = sizeof content_types / sizeof content_types[0] };

static const char *const probe_names[] = {"status", "media_ids", "id", "limit", "a", ""};

static void check_utf8(const char *s)
{
    if (s && !text_is_valid_utf8(s, strlen(s))) abort();
}

/* Walks a value: every key and string must be valid UTF-8. */
static void check_value(json_t *v, int depth)
{
    if (depth > 64) abort(); /* the parser limits nesting far below this */
    if (json_is_string(v)) {
        /* jansson strings may hold NUL only if built with json_stringn; the parser never does */
        if (strlen(json_string_value(v)) != json_string_length(v)) abort();
        check_utf8(json_string_value(v));
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            check_utf8(k);
            check_value(x, depth + 1);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) check_value(x, depth + 1);
    }
}

static void probe(api_call *c, const char *name)
{
    (void)p_get(c, name);
    check_utf8(p_str(c, name));
    int b = p_bool(c, name, 7);
    if (b != 0 && b != 1 && b != 7 && b != -2) abort();
    (void)p_int(c, name, 42);
    json_t *arr = p_arr(c, name);
    if (arr && !json_is_array(arr)) abort();
    if (arr && p_arr(c, name) != arr) abort();
}

/* Calls every accessor on every top-level key (collected first: p_arr adds keys). */
static void probe_all(api_call *c)
{
    size_t n = json_object_size(c->in);
    char **keys = calloc(n + 1, sizeof *keys);
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(c->in, key, v)
    {
        if (k < n) keys[k++] = strdup(key);
    }
    for (size_t i = 0; i < k; i++) {
        probe(c, keys[i]);
        free(keys[i]);
    }
    free(keys);
    for (size_t i = 0; i < sizeof probe_names / sizeof probe_names[0]; i++)
        probe(c, probe_names[i]);
}

static bool is_safe_form_text(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) return false;
    return n > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    unsigned sel = data[0];
    size_t qlen = data[1];
    data += 2;
    size -= 2;
    if (qlen > size) qlen = size;

    char *ct_buf = NULL;
    const char *ct;
    if (sel % (N_FIXED + 1) < N_FIXED) {
        ct = content_types[sel % (N_FIXED + 1)];
    } else {
        /* a Content-Type of the input's own: its first line */
        size_t n = 0;
        while (n < size && data[n] != '\n' && data[n] != 0) n++;
        ct_buf = malloc(n + 1);
        memcpy(ct_buf, data, n);
        ct_buf[n] = '\0';
        ct = ct_buf;
        data += n < size ? n + 1 : n;
        size -= n < size ? n + 1 : n;
        if (qlen > size) qlen = size;
    }

    char *query = malloc(qlen + 1);
    memcpy(query, data, qlen);
    query[qlen] = '\0'; /* a C string: anything after a NUL is not seen */
    /* the body in its own allocation, so reads past body_len are caught */
    size_t blen = size - qlen;
    char *body = malloc(blen ? blen : 1);
    memcpy(body, data + qlen, blen);

    arena a = ARENA_INIT;
    app_ctx app = {.a = &a};
    api_req req = {.method = M_POST,
                   .path = "/api/v1/statuses",
                   .query = query,
                   .body = body,
                   .body_len = blen,
                   .content_type = ct};
    api_resp resp = {0};
    api_call c = {.app = &app, .req = &req, .resp = &resp};

    int rc = api_parse_params(&c);
    if (rc != PL_OK && rc != PL_EBADREQ) abort();
    if (rc == PL_EBADREQ && !app.errmsg) abort();
    if (!json_is_object(c.in)) abort();
    check_value(c.in, 0);
    char *dumped = json_dumps(c.in, 0);
    if (!dumped) abort();
    free(dumped);
    if (rc == PL_OK) probe_all(&c);

    /* a simple form body round-trips */
    const char *eq = memchr(body, '=', blen);
    bool is_form = ct == NULL || (strncmp(ct, "application/json", 16) != 0 &&
                                  strncmp(ct, "multipart/form-data", 19) != 0);
    if (rc == PL_OK && is_form && qlen == 0 && eq && eq != body &&
        is_safe_form_text((const uint8_t *)body, (size_t)(eq - body)) &&
        is_safe_form_text((const uint8_t *)eq + 1, blen - (size_t)(eq - body) - 1)) {
        char *key = strndup(body, (size_t)(eq - body));
        const char *got = p_str(&c, key);
        size_t vlen = blen - (size_t)(eq - body) - 1;
        if (!got || strlen(got) != vlen || memcmp(got, eq + 1, vlen) != 0) abort();
        free(key);
    }

    json_decref(c.in);
    arena_free(&a);
    free(body);
    free(query);
    free(ct_buf);
    return 0;
}
