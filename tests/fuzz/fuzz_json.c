/*
 * fuzz_json.c — libFuzzer harness for src/api/json.c, the streaming JSON writer.
 *
 * The input is a small program: each byte picks an operation (open or close an object or
 * array, a key, a string, an integer, a double, an id, a boolean, null, a time), and the
 * bytes after it are the operation's argument. The harness runs it twice, through the
 * writer and through jansson's tree API (the reference), keeping the program well formed as
 * a caller would: keys only inside objects and always followed by a value, depth below
 * JW_MAX_DEPTH, everything closed at the end, strings valid UTF-8 (the writer's contract:
 * the API validates text on the way in). Properties checked (abort() on violation):
 *   - what the writer wrote parses with jansson, as one document;
 *   - it equals the reference tree: every string byte for byte (NUL, controls, quotes and
 *     backslashes included), every integer, every double exactly (17 significant digits
 *     read back to the same value), ids as decimal strings or null, times as
 *     "YYYY-MM-DDTHH:MM:SS.mmmZ" strings or null.
 * ASan/UBSan catch memory errors.
 *
 * `make test-fuzz` builds it with clang and runs it for a fixed time on the seed corpus in
 * tests/fuzz/corpus/json/; to run it longer:
 *   make build-fuzz/fuzz_json && build-fuzz/fuzz_json -max_total_time=600 tests/fuzz/corpus/json
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/json.h"
#include "util/text.h"

/* The reference: a stack of open jansson containers mirroring the writer's. */
struct ref {
    json_t *stack[JW_MAX_DEPTH];
    int depth;        /* open containers */
    char key[64];     /* the pending key inside an object, valid while has_key */
    bool has_key;
    json_t *root;     /* the finished top-level value */
};

static const uint8_t *in;
static size_t in_left;

static uint8_t take(void)
{
    if (!in_left) return 0;
    in_left--;
    return *in++;
}

static uint64_t take64(void)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | take();
    return v;
}

/* Adds a finished value to the reference (steals v); false if there is no place for it. */
static void ref_add(struct ref *r, json_t *v)
{
    if (r->depth == 0) {
        r->root = v;
        return;
    }
    json_t *top = r->stack[r->depth - 1];
    if (json_is_object(top)) {
        json_object_set_new(top, r->key, v);
        r->has_key = false;
    } else {
        json_array_append_new(top, v);
    }
}

/* Is a value allowed here (top level not yet written, inside an array, or after a key)? */
static bool value_ok(const struct ref *r)
{
    if (r->depth == 0) return r->root == NULL;
    return json_is_array(r->stack[r->depth - 1]) || r->has_key;
}

static void check_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        /* jw_double writes 3.0 as "3", which parses as an integer: compare as numbers */
        if (json_number_value(a) != json_number_value(b)) abort();
        if (json_is_integer(a) && json_is_integer(b) &&
            json_integer_value(a) != json_integer_value(b))
            abort();
        return;
    }
    if (json_typeof(a) != json_typeof(b)) abort();
    if (json_is_string(a)) {
        size_t n = json_string_length(a);
        if (n != json_string_length(b) || memcmp(json_string_value(a), json_string_value(b), n))
            abort();
        return;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) abort();
        for (size_t i = 0; i < json_array_size(a); i++)
            check_equal(json_array_get(a, i), json_array_get(b, i));
        return;
    }
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b)) abort();
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v)
        {
            json_t *o = json_object_get(b, k);
            if (!o) abort();
            check_equal(v, o);
        }
        return;
    }
    if (!json_equal((json_t *)a, (json_t *)b)) abort();
}

/* The reference holds a placeholder where jw_time wrote a time: check the written one's shape and
 * put it in the reference. */
static json_t *times[1024]; /* the reference's placeholders for written times */
static int n_times;

static bool is_time(const json_t *v)
{
    for (int i = 0; i < n_times; i++)
        if (times[i] == v) return true;
    return false;
}

static void fix_times(json_t *got, json_t *want)
{
    if (is_time(want)) {
        if (!json_is_string(got)) abort();
        const char *t = json_string_value(got);
        if (strlen(t) != 24 || t[4] != '-' || t[10] != 'T' || t[19] != '.' || t[23] != 'Z')
            abort();
        json_string_set(want, t);
    } else if (json_is_array(want) && json_is_array(got)) {
        for (size_t i = 0; i < json_array_size(want) && i < json_array_size(got); i++)
            fix_times(json_array_get(got, i), json_array_get(want, i));
    } else if (json_is_object(want) && json_is_object(got)) {
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v)
        {
            json_t *o = json_object_get(got, k);
            if (o) fix_times(o, v);
        }
    }
}

/* A string argument: length byte, then that many bytes, made valid UTF-8 if it is not. */
static size_t take_string(char *s, size_t cap)
{
    size_t n = take() % cap;
    if (n > in_left) n = in_left;
    memcpy(s, in, n);
    in += n;
    in_left -= n;
    if (!text_is_valid_utf8(s, n))
        for (size_t i = 0; i < n; i++) s[i] &= 0x7f;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in = data;
    in_left = size;
    n_times = 0;
    buf b = {0};
    jw w;
    jw_init(&w, &b);
    struct ref r = {0};
    char s[256];

    while (in_left) {
        uint8_t op = take() % 12;
        if (op == 0 || op == 1) { /* open an object or an array */
            if (!value_ok(&r) || r.depth >= JW_MAX_DEPTH - 2) continue;
            json_t *c = op == 0 ? json_object() : json_array();
            if (op == 0)
                jw_obj(&w);
            else
                jw_arr(&w);
            ref_add(&r, json_incref(c)); /* the parent holds one reference, the stack one */
            r.stack[r.depth++] = c;
        } else if (op == 2) { /* close the innermost container */
            if (!r.depth || r.has_key) continue;
            json_t *c = r.stack[--r.depth];
            if (json_is_object(c))
                jw_obj_end(&w);
            else
                jw_arr_end(&w);
            json_decref(c);
        } else if (op == 3) { /* a key: trusted ASCII, as every caller writes */
            if (!r.depth || !json_is_object(r.stack[r.depth - 1]) || r.has_key) continue;
            size_t n = take() % 16;
            for (size_t i = 0; i < n; i++) r.key[i] = (char)('a' + take() % 26);
            r.key[n] = '\0';
            jw_keyn(&w, r.key, n);
            r.has_key = true;
        } else if (op == 11) { /* a key and a string made of two pieces (jw_kcat) */
            if (!r.depth || !json_is_object(r.stack[r.depth - 1]) || r.has_key) continue;
            char k[8] = "k";
            k[1] = (char)('a' + take() % 26);
            size_t n = take_string(s, sizeof s - 1);
            s[n] = '\0';
            size_t cut = strlen(s) / 2; /* strlen: a piece is a C string */
            char first[256];
            memcpy(first, s, cut);
            first[cut] = '\0';
            jw_kcat(&w, k, first, s + cut, (char *)NULL);
            json_object_set_new(r.stack[r.depth - 1], k, json_string(s));
        } else {
            if (!value_ok(&r)) continue;
            switch (op) {
            case 4: {
                size_t n = take_string(s, sizeof s);
                jw_strn(&w, s, n);
                ref_add(&r, json_stringn(s, n));
                break;
            }
            case 5: {
                int64_t v = (int64_t)take64();
                jw_int(&w, v);
                ref_add(&r, json_integer(v));
                break;
            }
            case 6: {
                uint64_t bits = take64();
                double d;
                memcpy(&d, &bits, sizeof d);
                jw_double(&w, d);
                ref_add(&r, isfinite(d) ? json_real(d) : json_null());
                break;
            }
            case 7: {
                int64_t id = (int64_t)(take64() >> 1);
                jw_id(&w, id);
                char t[24];
                snprintf(t, sizeof t, "%lld", (long long)id);
                ref_add(&r, id ? json_string(t) : json_null());
                break;
            }
            case 8: {
                bool v = take() & 1;
                jw_bool(&w, v);
                ref_add(&r, json_boolean(v));
                break;
            }
            case 9:
                jw_null(&w);
                ref_add(&r, json_null());
                break;
            case 10: { /* a time between 1970 and 2100, or 0 (null) */
                int64_t ms = (int64_t)(take64() % 4102444800000ull);
                if (!ms) {
                    jw_time(&w, ms);
                    ref_add(&r, json_null());
                    break;
                }
                if (n_times == (int)(sizeof times / sizeof times[0])) break;
                jw_time(&w, ms);
                json_t *t = json_string(""); /* its shape is checked in fix_times */
                times[n_times++] = t;
                ref_add(&r, t);
                break;
            }
            default: /* op 11: jw_kcat, handled above */
                break;
            }
        }
    }
    /* finish as a caller would: a pending key gets a null, every container is closed */
    if (r.has_key) {
        jw_null(&w);
        ref_add(&r, json_null());
    }
    while (r.depth) {
        json_t *c = r.stack[--r.depth];
        if (json_is_object(c))
            jw_obj_end(&w);
        else
            jw_arr_end(&w);
        json_decref(c);
    }
    if (!r.root) {
        buf_free(&b);
        return 0;
    }

    json_error_t err;
    json_t *got = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!got) abort();
    fix_times(got, r.root);
    check_equal(r.root, got);
    json_decref(got);
    json_decref(r.root);
    buf_free(&b);
    return 0;
}
