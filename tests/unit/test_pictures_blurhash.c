/*
 * test_pictures_blurhash.c — unit tests for src/pictures/blurhash.c: the hash of known pictures
 * equals what the reference encoder makes of the same pixels (Debian's python3-blurhash, run
 * from /usr/bin/python3 on a PPM file the test writes), for every size of component grid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pictures/blurhash.h"

/* The reference's answer for a width×height RGB picture, or "" if it could not run. */
static void reference_hash(const uint8_t *rgb, int width, int height, int nx, int ny,
                           char out[BLURHASH_MAX])
{
    char path[] = "/tmp/test_blurhash-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fprintf(f, "P6\n%d %d\n255\n", width, height);
    fwrite(rgb, 3, (size_t)width * height, f);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import sys, blurhash; "
             "print(blurhash.encode(sys.argv[1], %d, %d))' %s",
             nx, ny, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[BLURHASH_MAX + 64] = "";
    if (!fgets(line, sizeof line, p)) line[0] = '\0';
    line[strcspn(line, "\n")] = '\0';
    assert_true(strlen(line) < BLURHASH_MAX);
    memcpy(out, line, strlen(line) + 1);
    assert_int_equal(pclose(p), 0);
    unlink(path);
}

/* A reproducible picture: a gradient in red and green, noise in blue, stripes every 7th row. */
static uint8_t *test_picture(int width, int height, unsigned seed)
{
    uint8_t *rgb = malloc((size_t)width * height * 3);
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            uint8_t *px = rgb + ((size_t)y * width + x) * 3;
            seed = seed * 1103515245 + 12345;
            px[0] = (uint8_t)(255 * x / (width > 1 ? width - 1 : 1));
            px[1] = (uint8_t)(y % 7 == 0 ? 250 : 255 * y / (height > 1 ? height - 1 : 1) / 2);
            px[2] = (uint8_t)(seed >> 16);
        }
    return rgb;
}

static void assert_same_as_reference(const uint8_t *rgb, int width, int height, int nx, int ny)
{
    char ours[BLURHASH_MAX], theirs[BLURHASH_MAX];
    assert_int_equal(blurhash_encode(rgb, width, height, (size_t)width * 3, nx, ny, ours), 0);
    reference_hash(rgb, width, height, nx, ny, theirs);
    assert_string_equal(ours, theirs);
    assert_int_equal(strlen(ours), 4 + 2 * nx * ny);
}

static void hash_equals_reference_for_mastodons_4x4(void **state)
{
    (void)state;
    uint8_t *rgb = test_picture(640, 360, 1);
    assert_same_as_reference(rgb, 640, 360, 4, 4);
    free(rgb);
}

static void hash_equals_reference_for_every_grid(void **state)
{
    (void)state;
    uint8_t *rgb = test_picture(97, 131, 7);
    int grids[][2] = {{1, 1}, {1, 9}, {9, 1}, {3, 5}, {4, 3}, {9, 9}};
    for (size_t k = 0; k < sizeof grids / sizeof grids[0]; k++)
        assert_same_as_reference(rgb, 97, 131, grids[k][0], grids[k][1]);
    free(rgb);
}

static void hash_of_one_colour_is_its_average(void **state)
{
    (void)state;
    uint8_t rgb[8 * 8 * 3];
    for (size_t i = 0; i < sizeof rgb; i += 3) rgb[i] = 255, rgb[i + 1] = 128, rgb[i + 2] = 0;
    assert_same_as_reference(rgb, 8, 8, 4, 4);
    uint8_t one[3] = {12, 34, 56};
    assert_same_as_reference(one, 1, 1, 4, 3);
}

static void hash_reads_rows_stride_apart(void **state)
{
    (void)state;
    int w = 50, h = 40;
    uint8_t *tight = test_picture(w, h, 3);
    size_t stride = (size_t)w * 3 + 13;
    uint8_t *padded = calloc((size_t)h, stride);
    for (int y = 0; y < h; y++) memcpy(padded + y * stride, tight + (size_t)y * w * 3, w * 3);
    char a[BLURHASH_MAX], b[BLURHASH_MAX];
    assert_int_equal(blurhash_encode(tight, w, h, (size_t)w * 3, 4, 4, a), 0);
    assert_int_equal(blurhash_encode(padded, w, h, stride, 4, 4, b), 0);
    assert_string_equal(a, b);
    free(tight);
    free(padded);
}

static void hash_refuses_bad_arguments(void **state)
{
    (void)state;
    uint8_t rgb[3] = {0};
    char out[BLURHASH_MAX] = "x";
    assert_int_equal(blurhash_encode(rgb, 1, 1, 3, 0, 4, out), -1);
    assert_string_equal(out, "");
    assert_int_equal(blurhash_encode(rgb, 1, 1, 3, 4, 10, out), -1);
    assert_int_equal(blurhash_encode(rgb, 0, 1, 3, 4, 4, out), -1);
    assert_int_equal(blurhash_encode(rgb, 1, 1, 2, 4, 4, out), -1);
    assert_int_equal(blurhash_encode(NULL, 1, 1, 3, 4, 4, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_equals_reference_for_mastodons_4x4),
        cmocka_unit_test(hash_equals_reference_for_every_grid),
        cmocka_unit_test(hash_of_one_colour_is_its_average),
        cmocka_unit_test(hash_reads_rows_stride_apart),
        cmocka_unit_test(hash_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
