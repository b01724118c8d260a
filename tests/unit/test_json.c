/*
 * test_json.c — unit tests for src/api/json.c, the streaming JSON writer.
 *
 * Two kinds of check: the exact bytes written (the writer's output is what clients parse,
 * and commas are the part most easily got wrong), and a round trip through jansson
 * (json_loads) proving the output is valid JSON that decodes to the values written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/json.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A writer over a fresh buffer; the test frees the buffer with buf_free(). */
typedef struct writer {
    buf b;
    jw w;
} writer;

static void writer_start(writer *t)
{
    t->b = (buf)BUF_INIT;
    jw_init(&t->w, &t->b);
}

/* Parses the output with jansson (any top-level value, NUL allowed); fails the test if it
 * is not valid JSON. The caller decrefs the result. */
static json_t *parse(const writer *t)
{
    json_error_t err;
    json_t *v = json_loadb(buf_cstr(&t->b), t->b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!v) fail_msg("not valid JSON (%s at %d): %s", err.text, err.position, buf_cstr(&t->b));
    return v;
}

static void assert_output(writer *t, const char *expected)
{
    assert_string_equal(buf_cstr(&t->b), expected);
    json_decref(parse(t));
    buf_free(&t->b);
}

/* Writes s as a lone string value and returns what jansson decodes it to (caller frees). */
static char *round_trip_string(const char *s, size_t n, size_t *out_len)
{
    writer t;
    writer_start(&t);
    jw_strn(&t.w, s, n);
    json_t *v = parse(&t);
    assert_true(json_is_string(v));
    *out_len = json_string_length(v);
    char *copy = malloc(*out_len + 1);
    memcpy(copy, json_string_value(v), *out_len + 1);
    json_decref(v);
    buf_free(&t.b);
    return copy;
}

/* ------------------------------------------------------------------------------------------ */
/* Structure and commas                                                                        */
/* ------------------------------------------------------------------------------------------ */

static void test_empty_object_and_empty_array(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_obj_end(&t.w);
    assert_output(&t, "{}");

    writer_start(&t);
    jw_arr(&t.w);
    jw_arr_end(&t.w);
    assert_output(&t, "[]");
}

static void test_object_members_are_separated_by_single_commas(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kint(&t.w, "a", 1);
    jw_kstr(&t.w, "b", "two");
    jw_kbool(&t.w, "c", true);
    jw_knull(&t.w, "d");
    jw_obj_end(&t.w);
    assert_output(&t, "{\"a\":1,\"b\":\"two\",\"c\":true,\"d\":null}");
}

static void test_array_items_are_separated_by_single_commas(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_arr(&t.w);
    jw_int(&t.w, 1);
    jw_str(&t.w, "x");
    jw_bool(&t.w, false);
    jw_null(&t.w);
    jw_arr_end(&t.w);
    assert_output(&t, "[1,\"x\",false,null]");
}

static void test_nested_containers_take_commas_at_their_own_level(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_arr(&t.w);
    {
        jw_obj(&t.w);
        jw_kint(&t.w, "a", 1);
        jw_key(&t.w, "b");
        jw_arr(&t.w);
        jw_int(&t.w, 1);
        jw_int(&t.w, 2);
        jw_obj(&t.w);
        jw_obj_end(&t.w);
        jw_arr_end(&t.w);
        jw_kint(&t.w, "after", 3);
        jw_obj_end(&t.w);
    }
    {
        jw_obj(&t.w);
        jw_key(&t.w, "c");
        jw_obj(&t.w);
        jw_key(&t.w, "d");
        jw_arr(&t.w);
        jw_arr_end(&t.w);
        jw_obj_end(&t.w);
        jw_obj_end(&t.w);
    }
    jw_arr(&t.w);
    jw_arr_end(&t.w);
    jw_arr_end(&t.w);
    assert_output(&t, "[{\"a\":1,\"b\":[1,2,{}],\"after\":3},{\"c\":{\"d\":[]}},[]]");
}

static void test_key_after_a_nested_value_gets_a_comma(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_key(&t.w, "account");
    jw_obj(&t.w);
    jw_kid(&t.w, "id", 7);
    jw_obj_end(&t.w);
    jw_key(&t.w, "media");
    jw_arr(&t.w);
    jw_arr_end(&t.w);
    jw_kstr(&t.w, "last", "z");
    jw_obj_end(&t.w);
    assert_output(&t, "{\"account\":{\"id\":\"7\"},\"media\":[],\"last\":\"z\"}");
}

static void test_raw_json_is_placed_with_commas(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_arr(&t.w);
    jw_raw(&t.w, "{\"x\":[1]}", 9);
    jw_raw(&t.w, "2", 1);
    jw_arr_end(&t.w);
    assert_output(&t, "[{\"x\":[1]},2]");
}

static void test_thirty_one_nested_levels_stay_valid(void **state)
{
    (void)state;
    enum { LEVELS = JW_MAX_DEPTH - 1 };
    writer t;
    writer_start(&t);
    for (int i = 0; i < LEVELS; i++) {
        jw_arr(&t.w);
        jw_int(&t.w, i);
    }
    for (int i = 0; i < LEVELS; i++) {
        jw_int(&t.w, -i);
        jw_arr_end(&t.w);
    }
    json_t *v = parse(&t);
    /* walk down: each level is [i, <next level>, -(LEVELS-1-depth)] */
    json_t *cur = v;
    for (int i = 0; i < LEVELS; i++) {
        assert_true(json_is_array(cur));
        size_t want = i == LEVELS - 1 ? 2 : 3;
        assert_int_equal(json_array_size(cur), want);
        assert_int_equal(json_integer_value(json_array_get(cur, 0)), i);
        cur = json_array_get(cur, 1);
    }
    json_decref(v);
    buf_free(&t.b);
}

static void test_writer_appends_after_existing_buffer_contents(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "prefix:");
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kint(&w, "n", 1);
    jw_obj_end(&w);
    assert_string_equal(buf_cstr(&b), "prefix:{\"n\":1}");
    buf_free(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Strings                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void test_string_escapes_quote_and_backslash(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_str(&t.w, "say \"hi\" \\o/");
    assert_output(&t, "\"say \\\"hi\\\" \\\\o/\"");
}

static void test_string_uses_short_escapes_for_newline_return_and_tab(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_str(&t.w, "a\nb\rc\td");
    assert_output(&t, "\"a\\nb\\rc\\td\"");
}

static void test_string_escapes_other_control_characters_as_u00xx(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_str(&t.w, "\x01\x08\x0c\x1b\x1f");
    assert_output(&t, "\"\\u0001\\u0008\\u000c\\u001b\\u001f\"");
}

static void test_string_leaves_slash_del_and_angle_brackets_alone(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_str(&t.w, "</script>\x7f");
    assert_output(&t, "\"</script>\x7f\"");
}

static void test_every_control_character_round_trips_through_jansson(void **state)
{
    (void)state;
    char s[40];
    size_t n = 0;
    s[n++] = 'x';
    for (int ch = 1; ch < 0x20; ch++) s[n++] = (char)ch;
    s[n++] = '"';
    s[n++] = '\\';
    s[n++] = 'y';
    size_t got_len;
    char *got = round_trip_string(s, n, &got_len);
    assert_int_equal(got_len, n);
    assert_memory_equal(got, s, n);
    free(got);
}

static void test_embedded_nul_is_escaped_and_round_trips(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_strn(&t.w, "a\0b", 3);
    assert_string_equal(buf_cstr(&t.b), "\"a\\u0000b\"");
    buf_free(&t.b);

    size_t got_len;
    char *got = round_trip_string("a\0b", 3, &got_len);
    assert_int_equal(got_len, 3);
    assert_memory_equal(got, "a\0b", 3);
    free(got);
}

static void test_utf8_passes_through_unescaped(void **state)
{
    (void)state;
    const char *s = "h\xc3\xa9llo \xe2\x98\x95 \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac";
    writer t;
    writer_start(&t);
    jw_str(&t.w, s);
    char expected[64];
    snprintf(expected, sizeof expected, "\"%s\"", s);
    assert_string_equal(buf_cstr(&t.b), expected);
    json_t *v = parse(&t);
    assert_string_equal(json_string_value(v), s);
    json_decref(v);
    buf_free(&t.b);
}

static void test_strn_writes_only_n_bytes(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_strn(&t.w, "abcdef", 3);
    assert_output(&t, "\"abc\"");
}

static void test_empty_string_is_two_quotes(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_str(&t.w, "");
    assert_output(&t, "\"\"");
}

static void test_null_string_is_written_as_null(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kstr(&t.w, "spoiler", NULL);
    jw_kstr(&t.w, "lang", "en");
    jw_obj_end(&t.w);
    assert_output(&t, "{\"spoiler\":null,\"lang\":\"en\"}");
}

static void test_long_string_with_escapes_round_trips(void **state)
{
    (void)state;
    enum { N = 20000 };
    char *s = malloc(N);
    for (size_t i = 0; i < N; i++) s[i] = "ab\"\\\n\x01\xc3\xa9"[i % 8];
    /* keep the 2-byte é whole: i%8 == 6,7 are its two bytes */
    size_t got_len;
    char *got = round_trip_string(s, N, &got_len);
    assert_int_equal(got_len, N);
    assert_memory_equal(got, s, N);
    free(got);
    free(s);
}

/* The escaping RFC 8259 asks for, one byte at a time: the reference the writer's fast path
 * (8 bytes per step) must match byte for byte. */
static void reference_escape(buf *out, const unsigned char *s, size_t n)
{
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if (ch == '"')
            buf_puts(out, "\\\"");
        else if (ch == '\\')
            buf_puts(out, "\\\\");
        else if (ch == '\n')
            buf_puts(out, "\\n");
        else if (ch == '\r')
            buf_puts(out, "\\r");
        else if (ch == '\t')
            buf_puts(out, "\\t");
        else if (ch < 0x20)
            buf_printf(out, "\\u%04x", ch);
        else
            buf_putc(out, (char)ch);
    }
    buf_putc(out, '"');
}

static void assert_escapes_like_reference(const unsigned char *s, size_t n)
{
    writer t;
    writer_start(&t);
    jw_strn(&t.w, (const char *)s, n);
    buf want = BUF_INIT;
    reference_escape(&want, s, n);
    if (t.b.len != want.len || memcmp(t.b.data, want.data, want.len) != 0)
        fail_msg("escaping %zu bytes: got %s want %s", n, buf_cstr(&t.b), buf_cstr(&want));
    buf_free(&want);
    buf_free(&t.b);
}

static void test_escaping_finds_a_special_byte_at_every_position_of_a_word(void **state)
{
    (void)state;
    /* bytes just below and above the limits of the fast path's tests */
    static const unsigned char specials[] = {'"',  '\\', '\n', 0x00, 0x01, 0x1f, 0x20,
                                             0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff};
    static const unsigned char fillers[] = {'a', 0xa9, 0x20, 0x7f};
    unsigned char s[40];
    for (size_t n = 1; n <= sizeof s; n++)
        for (size_t f = 0; f < sizeof fillers; f++)
            for (size_t k = 0; k < sizeof specials; k++)
                for (size_t pos = 0; pos < n; pos++) {
                    memset(s, fillers[f], n);
                    s[pos] = specials[k];
                    assert_escapes_like_reference(s, n);
                    /* and a second special further on, in the same or the next word */
                    if (pos + 9 < n) {
                        s[pos + 9] = specials[(k + 3) % sizeof specials];
                        assert_escapes_like_reference(s, n);
                    }
                }
}

static void test_escaping_random_bytes_matches_the_reference(void **state)
{
    (void)state;
    unsigned char s[300];
    srand(12345);
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(rand() % (int)sizeof s);
        int mode = rand() % 3; /* mostly clean, mostly high bytes, or anything */
        for (size_t i = 0; i < n; i++) {
            int r = rand();
            if (mode == 0)
                s[i] = r % 50 ? (unsigned char)('a' + r % 26) : (unsigned char)(r % 0x23);
            else if (mode == 1)
                s[i] = (unsigned char)(0x80 | (r & 0x7f));
            else
                s[i] = (unsigned char)r;
        }
        assert_escapes_like_reference(s, n);
    }
}

static void test_kcat_joins_escaped_pieces_into_one_string(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kint(&t.w, "n", 1);
    jw_kcat(&t.w, "url", "https://social.example/@", "a\"b", "/", "x\\y\n", NULL);
    jw_kcat(&t.w, "empty", NULL);
    jw_kcat(&t.w, "one", "\xe2\x98\x95", NULL);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"n\":1,\"url\":\"https://social.example/@a\\\"b/x\\\\y\\n\","
                      "\"empty\":\"\",\"one\":\"\xe2\x98\x95\"}");
}

static void test_keyn_writes_only_n_bytes_of_the_key(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_keyn(&t.w, "statuses_count_and_more", 14);
    jw_int(&t.w, 3);
    jw_keyn(&t.w, "idx", 2);
    jw_int(&t.w, 4);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"statuses_count\":3,\"id\":4}");
}

static void test_raw_members_join_the_open_object_with_commas(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_raw_members(&t.w, "\"a\":1,\"b\":[2]", 13);
    jw_kint(&t.w, "c", 3);
    jw_raw_members(&t.w, "\"d\":{}", 6);
    jw_raw_members(&t.w, "", 0); /* nothing: no stray comma */
    jw_kint(&t.w, "e", 5);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"a\":1,\"b\":[2],\"c\":3,\"d\":{},\"e\":5}");
}

/* ------------------------------------------------------------------------------------------ */
/* Numbers, ids, booleans, times                                                               */
/* ------------------------------------------------------------------------------------------ */

static void test_integers_cover_the_int64_range(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_arr(&t.w);
    jw_int(&t.w, 0);
    jw_int(&t.w, -42);
    jw_int(&t.w, INT64_MAX);
    jw_int(&t.w, INT64_MIN);
    jw_arr_end(&t.w);
    assert_string_equal(buf_cstr(&t.b), "[0,-42,9223372036854775807,-9223372036854775808]");
    json_t *v = parse(&t);
    assert_true(json_integer_value(json_array_get(v, 2)) == INT64_MAX);
    assert_true(json_integer_value(json_array_get(v, 3)) == INT64_MIN);
    json_decref(v);
    buf_free(&t.b);
}

static void test_ids_are_written_as_strings(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kid(&t.w, "id", 113456789012345678LL);
    jw_kid(&t.w, "max", INT64_MAX);
    jw_key(&t.w, "list");
    jw_arr(&t.w);
    jw_id(&t.w, 1);
    jw_id(&t.w, 2);
    jw_arr_end(&t.w);
    jw_obj_end(&t.w);
    assert_string_equal(buf_cstr(&t.b), "{\"id\":\"113456789012345678\",\"max\":"
                                        "\"9223372036854775807\",\"list\":[\"1\",\"2\"]}");
    json_t *v = parse(&t);
    assert_true(json_is_string(json_object_get(v, "id")));
    assert_string_equal(json_string_value(json_object_get(v, "max")), "9223372036854775807");
    json_decref(v);
    buf_free(&t.b);
}

static void test_zero_id_is_written_as_null(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kid(&t.w, "in_reply_to_id", 0);
    jw_kid(&t.w, "id", 5);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"in_reply_to_id\":null,\"id\":\"5\"}");
}

static void test_booleans_and_null(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kbool(&t.w, "yes", true);
    jw_kbool(&t.w, "no", false);
    jw_knull(&t.w, "none");
    jw_obj_end(&t.w);
    json_t *v = parse(&t);
    assert_true(json_is_true(json_object_get(v, "yes")));
    assert_true(json_is_false(json_object_get(v, "no")));
    assert_true(json_is_null(json_object_get(v, "none")));
    json_decref(v);
    assert_string_equal(buf_cstr(&t.b), "{\"yes\":true,\"no\":false,\"none\":null}");
    buf_free(&t.b);
}

static void test_time_is_iso8601_utc_with_milliseconds(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_ktime(&t.w, "created_at", 1795687315123LL); /* 2026-11-26T10:01:55.123Z */
    jw_ktime(&t.w, "epoch_plus_5ms", 5);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"created_at\":\"2026-11-26T10:01:55.123Z\","
                      "\"epoch_plus_5ms\":\"1970-01-01T00:00:00.005Z\"}");
}

static void test_time_handles_leap_days_and_century_ends(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_arr(&t.w);
    jw_time(&t.w, 951782400000LL);  /* a leap day in a year divisible by 400 */
    jw_time(&t.w, 1709164800001LL); /* 2024's leap day */
    jw_time(&t.w, 4102444799999LL); /* the last millisecond of 2099 */
    jw_arr_end(&t.w);
    assert_output(&t, "[\"2000-02-29T00:00:00.000Z\",\"2024-02-29T00:00:00.001Z\","
                      "\"2099-12-31T23:59:59.999Z\"]");
}

static void test_zero_time_is_written_as_null(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_ktime(&t.w, "edited_at", 0);
    jw_ktime(&t.w, "x", 1000);
    jw_obj_end(&t.w);
    assert_output(&t, "{\"edited_at\":null,\"x\":\"1970-01-01T00:00:01.000Z\"}");
}

/* ------------------------------------------------------------------------------------------ */
/* A whole entity                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void test_status_shaped_document_decodes_to_the_values_written(void **state)
{
    (void)state;
    writer t;
    writer_start(&t);
    jw_obj(&t.w);
    jw_kid(&t.w, "id", 110000000000000001LL);
    jw_ktime(&t.w, "created_at", 1795687315123LL);
    jw_kid(&t.w, "in_reply_to_id", 0);
    jw_kbool(&t.w, "sensitive", false);
    jw_kstr(&t.w, "spoiler_text", "");
    jw_kstr(&t.w, "visibility", "public");
    jw_kstr(&t.w, "language", NULL);
    jw_kstr(&t.w, "content", "<p>Hi \"<a href=\"x\">@bob</a>\"\n\xe2\x98\x95</p>");
    jw_kint(&t.w, "favourites_count", 3);
    jw_key(&t.w, "account");
    jw_obj(&t.w);
    jw_kid(&t.w, "id", 42);
    jw_kstr(&t.w, "username", "alice");
    jw_key(&t.w, "fields");
    jw_arr(&t.w);
    jw_obj(&t.w);
    jw_kstr(&t.w, "name", "Team");
    jw_ktime(&t.w, "verified_at", 0);
    jw_obj_end(&t.w);
    jw_arr_end(&t.w);
    jw_obj_end(&t.w);
    jw_key(&t.w, "mentions");
    jw_arr(&t.w);
    jw_arr_end(&t.w);
    jw_key(&t.w, "tags");
    jw_arr(&t.w);
    jw_obj(&t.w);
    jw_kstr(&t.w, "name", "coffee");
    jw_obj_end(&t.w);
    jw_obj(&t.w);
    jw_kstr(&t.w, "name", "tea");
    jw_obj_end(&t.w);
    jw_arr_end(&t.w);
    jw_key(&t.w, "reblog");
    jw_null(&t.w);
    jw_obj_end(&t.w);

    json_t *v = parse(&t);
    assert_true(json_is_object(v));
    assert_int_equal(json_object_size(v), 13);
    assert_string_equal(json_string_value(json_object_get(v, "id")), "110000000000000001");
    assert_string_equal(json_string_value(json_object_get(v, "created_at")),
                        "2026-11-26T10:01:55.123Z");
    assert_true(json_is_null(json_object_get(v, "in_reply_to_id")));
    assert_true(json_is_null(json_object_get(v, "language")));
    assert_string_equal(json_string_value(json_object_get(v, "content")),
                        "<p>Hi \"<a href=\"x\">@bob</a>\"\n\xe2\x98\x95</p>");
    json_t *acc = json_object_get(v, "account");
    assert_string_equal(json_string_value(json_object_get(acc, "id")), "42");
    json_t *fields = json_object_get(acc, "fields");
    assert_int_equal(json_array_size(fields), 1);
    assert_true(json_is_null(json_object_get(json_array_get(fields, 0), "verified_at")));
    assert_int_equal(json_array_size(json_object_get(v, "mentions")), 0);
    json_t *tags = json_object_get(v, "tags");
    assert_int_equal(json_array_size(tags), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(tags, 1), "name")), "tea");
    assert_true(json_is_null(json_object_get(v, "reblog")));
    json_decref(v);
    buf_free(&t.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_object_and_empty_array),
        cmocka_unit_test(test_object_members_are_separated_by_single_commas),
        cmocka_unit_test(test_array_items_are_separated_by_single_commas),
        cmocka_unit_test(test_nested_containers_take_commas_at_their_own_level),
        cmocka_unit_test(test_key_after_a_nested_value_gets_a_comma),
        cmocka_unit_test(test_raw_json_is_placed_with_commas),
        cmocka_unit_test(test_thirty_one_nested_levels_stay_valid),
        cmocka_unit_test(test_writer_appends_after_existing_buffer_contents),
        cmocka_unit_test(test_string_escapes_quote_and_backslash),
        cmocka_unit_test(test_string_uses_short_escapes_for_newline_return_and_tab),
        cmocka_unit_test(test_string_escapes_other_control_characters_as_u00xx),
        cmocka_unit_test(test_string_leaves_slash_del_and_angle_brackets_alone),
        cmocka_unit_test(test_every_control_character_round_trips_through_jansson),
        cmocka_unit_test(test_embedded_nul_is_escaped_and_round_trips),
        cmocka_unit_test(test_utf8_passes_through_unescaped),
        cmocka_unit_test(test_strn_writes_only_n_bytes),
        cmocka_unit_test(test_empty_string_is_two_quotes),
        cmocka_unit_test(test_null_string_is_written_as_null),
        cmocka_unit_test(test_long_string_with_escapes_round_trips),
        cmocka_unit_test(test_escaping_finds_a_special_byte_at_every_position_of_a_word),
        cmocka_unit_test(test_escaping_random_bytes_matches_the_reference),
        cmocka_unit_test(test_kcat_joins_escaped_pieces_into_one_string),
        cmocka_unit_test(test_keyn_writes_only_n_bytes_of_the_key),
        cmocka_unit_test(test_raw_members_join_the_open_object_with_commas),
        cmocka_unit_test(test_integers_cover_the_int64_range),
        cmocka_unit_test(test_ids_are_written_as_strings),
        cmocka_unit_test(test_zero_id_is_written_as_null),
        cmocka_unit_test(test_booleans_and_null),
        cmocka_unit_test(test_time_is_iso8601_utc_with_milliseconds),
        cmocka_unit_test(test_time_handles_leap_days_and_century_ends),
        cmocka_unit_test(test_zero_time_is_written_as_null),
        cmocka_unit_test(test_status_shaped_document_decodes_to_the_values_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
