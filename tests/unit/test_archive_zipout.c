/*
 * test_archive_zipout.c — unit tests for src/archive/zipout.c: the archive it streams is a zip
 * that `unzip` (Info-ZIP, another implementation than the one that wrote it) tests whole and
 * extracts to the same bytes, streamed entries of unknown length included; each entry's
 * SHA-256 is the one libsodium computes of its bytes; the sink's failure reaches the caller
 * with its own code; misuse is refused; and the writer holds no entry's bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/zipout.h"
#include "util/buf.h"
#include "util/err.h"

static int to_buf(void *ctx, const void *data, size_t len)
{
    buf_append(ctx, data, len);
    return PL_OK;
}

/* Writes b to a temporary file; returns its path (static). */
static const char *spill(const buf *b)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_zipout_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    return path;
}

/* What `unzip -p zip entry` prints, into out. */
static void unzip_entry(const char *zip, const char *entry, buf *out)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "unzip -p %s '%s'", zip, entry);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, p)) > 0) buf_append(out, tmp, n);
    assert_int_equal(pclose(p), 0);
}

static void sha_hex(const void *data, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

static void test_unzip_reads_back_every_entry_with_its_checksum(void **state)
{
    (void)state;
    buf out = BUF_INIT;
    zipout *z;
    assert_int_equal(zipout_open(to_buf, &out, &z), PL_OK);

    /* a whole entry */
    const char *actor = "{\"type\":\"Person\",\"name\":\"Ann \\u00e9\"}";
    char h1[65], want[65];
    assert_int_equal(zipout_add(z, "actor.json", 1700000000000, actor, strlen(actor), h1), PL_OK);
    sha_hex(actor, strlen(actor), want);
    assert_string_equal(h1, want);

    /* a streamed entry of unknown length, in pieces: 3 MB of varied JSON-ish lines */
    buf big = BUF_INIT;
    assert_int_equal(zipout_entry_begin(z, "outbox.json", 1700000000000, -1, ZIPOUT_DEFLATE),
                     PL_OK);
    for (int i = 0; i < 60000; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "{\"id\":%d,\"x\":\"%08x\"}\n", i, i * 2654435761u);
        buf_append(&big, line, (size_t)n);
        assert_int_equal(zipout_entry_write(z, line, (size_t)n), PL_OK);
    }
    char h2[65];
    int64_t len2;
    assert_int_equal(zipout_entry_end(z, h2, &len2), PL_OK);
    assert_int_equal(len2, big.len);
    sha_hex(big.data, big.len, want);
    assert_string_equal(h2, want);

    /* a stored entry of known length (random bytes: what a picture is to deflate) */
    size_t rlen = 200000;
    unsigned char *rnd = malloc(rlen);
    randombytes_buf(rnd, rlen);
    assert_int_equal(
        zipout_entry_begin(z, "media/12/photo.jpg", 1700000000000, (int64_t)rlen, ZIPOUT_STORE),
        PL_OK);
    assert_int_equal(zipout_entry_write(z, rnd, 1000), PL_OK);
    assert_int_equal(zipout_entry_write(z, rnd + 1000, rlen - 1000), PL_OK);
    char h3[65];
    assert_int_equal(zipout_entry_end(z, h3, NULL), PL_OK);
    sha_hex(rnd, rlen, want);
    assert_string_equal(h3, want);

    /* an empty entry */
    assert_int_equal(zipout_add(z, "likes.json", 1700000000000, "", 0, NULL), PL_OK);
    assert_int_equal(zipout_entries(z), 4);
    assert_int_equal(zipout_close(z), PL_OK);
    assert_int_equal(zipout_bytes(z), out.len);
    zipout_free(z);
    /* deflated: 3 MB of lines take far less */
    assert_true(out.len < big.len / 2 + rlen + 4096);

    const char *path = spill(&out);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "unzip -tq %s >/dev/null", path);
    assert_int_equal(system(cmd), 0);
    buf got = BUF_INIT;
    unzip_entry(path, "actor.json", &got);
    assert_int_equal(got.len, strlen(actor));
    assert_memory_equal(got.data, actor, got.len);
    buf_reset(&got);
    unzip_entry(path, "outbox.json", &got);
    assert_int_equal(got.len, big.len);
    assert_memory_equal(got.data, big.data, big.len);
    buf_reset(&got);
    unzip_entry(path, "media/12/photo.jpg", &got);
    assert_int_equal(got.len, rlen);
    assert_memory_equal(got.data, rnd, rlen);
    buf_reset(&got);
    unzip_entry(path, "likes.json", &got);
    assert_int_equal(got.len, 0);
    unlink(path);
    buf_free(&got);
    buf_free(&big);
    buf_free(&out);
    free(rnd);
}

/* A sink that fails as a full disk would once it has taken `room` bytes. */
typedef struct small_disk {
    size_t room, taken;
} small_disk;

static int to_small_disk(void *ctx, const void *data, size_t len)
{
    (void)data;
    small_disk *d = ctx;
    if (d->taken + len > d->room) return PL_ENOSPACE;
    d->taken += len;
    return PL_OK;
}

static void test_a_full_sink_is_reported_with_its_own_code(void **state)
{
    (void)state;
    small_disk d = {.room = 100000};
    zipout *z;
    assert_int_equal(zipout_open(to_small_disk, &d, &z), PL_OK);
    unsigned char piece[65536];
    randombytes_buf(piece, sizeof piece);
    int rc = zipout_entry_begin(z, "big.bin", 0, -1, ZIPOUT_STORE);
    for (int i = 0; i < 10 && rc == PL_OK; i++) rc = zipout_entry_write(z, piece, sizeof piece);
    if (rc == PL_OK) rc = zipout_entry_end(z, NULL, NULL);
    if (rc == PL_OK) rc = zipout_close(z);
    assert_int_equal(rc, PL_ENOSPACE);
    assert_true(strlen(zipout_error(z)) > 0);
    /* broken: nothing more is taken */
    assert_int_not_equal(zipout_add(z, "more", 0, "x", 1, NULL), PL_OK);
    zipout_free(z);
}

/* Counts the bytes and keeps none of them. */
static int to_counter(void *ctx, const void *data, size_t len)
{
    (void)data;
    *(int64_t *)ctx += (int64_t)len;
    return PL_OK;
}

static void test_misuse_is_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "/etc/passwd", "../up", "a/../b", "a//b", "./a", "a\\b", "a\nb"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t n = 0;
        zipout *z;
        assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
        assert_int_equal(zipout_entry_begin(z, bad[i], 0, -1, ZIPOUT_DEFLATE), PL_EINVAL);
        zipout_free(z);
    }
    int64_t n = 0;
    zipout *z;
    /* more bytes than announced */
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "a", 0, 3, ZIPOUT_STORE), PL_OK);
    assert_int_equal(zipout_entry_write(z, "abcd", 4), PL_EINVAL);
    zipout_free(z);
    /* fewer */
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "a", 0, 3, ZIPOUT_STORE), PL_OK);
    assert_int_equal(zipout_entry_write(z, "ab", 2), PL_OK);
    assert_int_equal(zipout_entry_end(z, NULL, NULL), PL_EINVAL);
    zipout_free(z);
    /* an entry inside an entry, bytes outside one, closing inside one */
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_write(z, "ab", 2), PL_EINVAL);
    zipout_free(z);
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "a", 0, -1, ZIPOUT_STORE), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "b", 0, -1, ZIPOUT_STORE), PL_EINVAL);
    zipout_free(z);
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "a", 0, -1, ZIPOUT_STORE), PL_OK);
    assert_int_equal(zipout_close(z), PL_EINVAL);
    zipout_free(z);
}

/* The bytes reach the sink as they are written: after each 1 MB written to a stored entry,
 * the sink has all but a small buffer's worth of them (the writer keeps no entry). */
static void test_bytes_reach_the_sink_as_they_are_written(void **state)
{
    (void)state;
    int64_t n = 0;
    zipout *z;
    assert_int_equal(zipout_open(to_counter, &n, &z), PL_OK);
    assert_int_equal(zipout_entry_begin(z, "stream.bin", 0, -1, ZIPOUT_STORE), PL_OK);
    unsigned char *mb = calloc(1, 1 << 20);
    for (int i = 1; i <= 16; i++) {
        assert_int_equal(zipout_entry_write(z, mb, 1 << 20), PL_OK);
        assert_true(n >= (int64_t)i * (1 << 20) - 256 * 1024);
    }
    assert_int_equal(zipout_entry_end(z, NULL, NULL), PL_OK);
    assert_int_equal(zipout_close(z), PL_OK);
    assert_true(n > 16 << 20);
    zipout_free(z);
    free(mb);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unzip_reads_back_every_entry_with_its_checksum),
        cmocka_unit_test(test_a_full_sink_is_reported_with_its_own_code),
        cmocka_unit_test(test_misuse_is_refused),
        cmocka_unit_test(test_bytes_reach_the_sink_as_they_are_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
