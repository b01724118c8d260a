/*
 * test_gzip.c — unit tests for src/http/gzip.c: which answers are compressed, and that what
 * is compressed is one gzip member that inflates to the same bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/gzip.h"

static void test_only_json_at_least_the_threshold_is_compressed(void **state)
{
    (void)state;
    assert_true(http_gzip_wanted(NULL, 1024, 1024)); /* the API's default type */
    assert_false(http_gzip_wanted(NULL, 1023, 1024));
    assert_true(http_gzip_wanted("application/json; charset=utf-8", 5000, 1024));
    assert_true(http_gzip_wanted("application/json", 5000, 1024));
    assert_true(http_gzip_wanted("application/activity+json", 5000, 1024));
    assert_true(http_gzip_wanted("application/jrd+json; charset=utf-8", 5000, 1024));
    assert_false(http_gzip_wanted("image/jpeg", 500000, 1024));
    assert_false(http_gzip_wanted("application/octet-stream", 500000, 1024));
    assert_false(http_gzip_wanted("text/event-stream", 500000, 1024));
    assert_false(http_gzip_wanted("application/jsonx", 5000, 1024));
    assert_false(http_gzip_wanted("+json", 5000, 1024));
    assert_false(http_gzip_wanted(NULL, 1 << 20, 0)); /* 0: never */
    assert_false(http_gzip_wanted(NULL, 1 << 20, -1));
}

static void test_a_body_inflates_to_the_same_bytes(void **state)
{
    (void)state;
    buf body = BUF_INIT;
    buf_puts(&body, "[");
    for (int i = 0; i < 200; i++)
        buf_printf(&body, "%s{\"id\":\"%d\",\"content\":\"<p>post %d of a working day</p>\"}",
                   i ? "," : "", i, i);
    buf_puts(&body, "]");
    buf out = BUF_INIT;
    buf_puts(&out, "kept"); /* appended after what is there */
    assert_true(http_gzip(body.data, body.len, &out));
    assert_memory_equal(out.data, "kept", 4);
    const unsigned char *gz = (const unsigned char *)out.data + 4;
    size_t gz_len = out.len - 4;
    assert_true(gz_len > 18 && gz_len < body.len / 4);
    assert_int_equal(gz[0], 0x1f); /* a gzip member */
    assert_int_equal(gz[1], 0x8b);

    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    unsigned char *back = malloc(body.len + 16);
    z.next_in = (Bytef *)gz;
    z.avail_in = (uInt)gz_len;
    z.next_out = back;
    z.avail_out = (uInt)(body.len + 16);
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, body.len);
    assert_memory_equal(back, body.data, body.len);
    inflateEnd(&z);
    free(back);
    buf_free(&out);
    buf_free(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_json_at_least_the_threshold_is_compressed),
        cmocka_unit_test(test_a_body_inflates_to_the_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
