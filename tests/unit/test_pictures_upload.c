/*
 * test_pictures_upload.c — unit tests for src/pictures/upload.c and filetype.c: every picture
 * format Debian's libvips reads (made here with libvips), turned upright, scaled, stripped of
 * GPS EXIF (written with exiftool), previewed and hashed as the reference hashes; a
 * decompression bomb refused before decoding in little memory; damaged pictures, limits; and
 * SVG, HTML, PDF, video and audio typed from their bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

#include "pictures/pictures.h"
#include "pictures/upload.h"
#include "util/err.h"

static const upload_limits limits = {
    .picture_max_bytes = 16 << 20,
    .file_max_bytes = 100 << 20,
    .max_pixels = 33177600,
};

/* ------------------------------------------------------------------ making pictures */

/* A width×height sRGB picture: red grows left to right, green top to bottom, blue 128 (and
 * alpha 200 if bands is 4). The caller unrefs it. */
static VipsImage *gradient(int width, int height, int bands)
{
    VipsImage *xy, *scaled, *rgb, *out;
    assert_int_equal(vips_xyz(&xy, width, height, NULL), 0);
    double a[2] = {255.0 / width, 255.0 / height}, b[2] = {0, 0};
    assert_int_equal(vips_linear(xy, &scaled, a, b, 2, "uchar", TRUE, NULL), 0);
    assert_int_equal(vips_bandjoin_const1(scaled, &rgb, 128, NULL), 0);
    if (bands == 4) {
        VipsImage *rgba;
        assert_int_equal(vips_bandjoin_const1(rgb, &rgba, 200, NULL), 0);
        g_object_unref(rgb);
        rgb = rgba;
    }
    assert_int_equal(vips_copy(rgb, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL), 0);
    g_object_unref(xy);
    g_object_unref(scaled);
    g_object_unref(rgb);
    return out;
}

/* img encoded by the saver of suffix (".jpg", ".heic[compression=av1]", …), in b. */
static void encode(VipsImage *img, const char *suffix, buf *b)
{
    void *bytes;
    size_t len;
    if (vips_image_write_to_buffer(img, suffix, &bytes, &len, NULL))
        fail_msg("cannot write %s: %s", suffix, vips_error_buffer());
    buf_reset(b);
    buf_append(b, bytes, len);
    g_free(bytes);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void read_file(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char chunk[65536];
    size_t n;
    buf_reset(b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(b, chunk, n);
    fclose(f);
}

/* What exiftool says about GPS in these bytes ("" when nothing), in out. */
static void exiftool_gps(const buf *b, char *out, size_t cap)
{
    char path[] = "/tmp/test_upload-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, b->data, b->len);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "exiftool -a -s -gps:all -xmp:all %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    pclose(p);
    unlink(path);
}

/* The (r, g, b) of a pixel of a picture's bytes. */
static void pixel_at(const buf *b, int x, int y, double rgb[3])
{
    VipsImage *img = vips_image_new_from_buffer(b->data, b->len, "", NULL);
    assert_non_null(img);
    double *v;
    int n;
    assert_int_equal(vips_getpoint(img, &v, &n, x, y, NULL), 0);
    for (int i = 0; i < 3; i++) rgb[i] = v[n >= 3 ? i : 0];
    g_free(v);
    g_object_unref(img);
}

/* Asserts that libvips sees no metadata block in the picture's bytes. */
static void assert_no_metadata(const buf *b)
{
    VipsImage *img = vips_image_new_from_buffer(b->data, b->len, "", NULL);
    assert_non_null(img);
    gchar **fields = vips_image_get_fields(img);
    for (int i = 0; fields[i]; i++) {
        const char *f = fields[i];
        if (!strncmp(f, "exif-", 5) || !strcmp(f, "xmp-data") || !strcmp(f, "iptc-data") ||
            !strcmp(f, "icc-profile-data") || strstr(f, "comment"))
            fail_msg("metadata left: %s", f);
        (void)0;
    }
    g_strfreev(fields);
    g_object_unref(img);
    assert_null(memmem(b->data, b->len, "Exif", 4));
}

/* ------------------------------------------------------------------ pictures */

static void every_format_libvips_reads_is_a_picture(void **state)
{
    (void)state;
    static const struct {
        const char *suffix, *detected, *kept;
        int bands;
    } cases[] = {
        {".jpg", "image/jpeg", "image/jpeg", 3}, {".png", "image/png", "image/png", 3},
        {".png", "image/png", "image/png", 4},   {".webp", "image/webp", "image/webp", 3},
        {".gif", "image/gif", "image/gif", 3},   {".heic", "image/heic", "image/jpeg", 3},
        {".heic", "image/heic", "image/png", 4}, {".avif", "image/avif", "image/jpeg", 3},
        {".png", "image/png", "image/png", 16}, /* 16 bits a channel */
    };
    buf in = BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        VipsImage *img = gradient(300, 200, cases[i].bands == 4 ? 4 : 3);
        if (cases[i].bands == 16) {
            VipsImage *deep;
            assert_int_equal(vips_colourspace(img, &deep, VIPS_INTERPRETATION_RGB16, NULL), 0);
            g_object_unref(img);
            img = deep;
        }
        encode(img, cases[i].suffix, &in);
        g_object_unref(img);
        upload u;
        int rc = upload_process(in.data, in.len, &limits, &u);
        if (rc) fail_msg("%s: %s", cases[i].suffix, u.error);
        assert_int_equal(u.type.kind, FILETYPE_IMAGE);
        assert_string_equal(u.type.detected, cases[i].detected);
        assert_string_equal(u.type.mime, cases[i].kept);
        assert_false(u.type.is_download);
        assert_int_equal(u.original.width, 300);
        assert_int_equal(u.original.height, 200);
        assert_int_equal(u.small.width, 300); /* never scaled up */
        assert_int_equal(u.small.height, 200);
        assert_true(u.original.aspect > 1.49 && u.original.aspect < 1.51);
        assert_int_equal(u.frames, 1);
        assert_int_equal(strlen(u.blurhash), 4 + 2 * 16);
        assert_string_equal(u.preview_mime, cases[i].bands == 4 ? "image/png" : "image/jpeg");
        /* the kept picture is in the format it says, and still looks like the gradient */
        filetype t;
        assert_int_equal(filetype_detect(u.file.data, u.file.len, &t), 0);
        assert_string_equal(t.detected, cases[i].kept);
        double px[3];
        pixel_at(&u.file, 299, 199, px);
        if (px[0] > 255 || px[1] > 255) px[0] /= 257, px[1] /= 257; /* kept 16 bits deep */
        if (px[0] < 200 || px[1] < 150)
            fail_msg("%s: bottom right is %g,%g", cases[i].suffix, px[0], px[1]);
        assert_no_metadata(&u.file);
        assert_no_metadata(&u.preview);
        upload_free(&u);
    }
    buf_free(&in);
}

static void large_pictures_fit_3840x2160_and_previews_640x360(void **state)
{
    (void)state;
    static const struct {
        int w, h, kept_w, kept_h, small_w, small_h;
    } cases[] = {
        {5000, 2000, 3840, 1536, 640, 256},
        {1000, 3000, 720, 2160, 120, 360},
        {4000, 3000, 2880, 2160, 480, 360},
        {1280, 720, 1280, 720, 640, 360},
    };
    buf in = BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        VipsImage *img = gradient(cases[i].w, cases[i].h, 3);
        encode(img, ".jpg", &in);
        g_object_unref(img);
        upload u;
        assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
        assert_int_equal(u.original.width, cases[i].kept_w);
        assert_int_equal(u.original.height, cases[i].kept_h);
        assert_int_equal(u.small.width, cases[i].small_w);
        assert_int_equal(u.small.height, cases[i].small_h);
        VipsImage *kept = vips_image_new_from_buffer(u.file.data, u.file.len, "", NULL);
        assert_int_equal(vips_image_get_width(kept), cases[i].kept_w);
        assert_int_equal(vips_image_get_height(kept), cases[i].kept_h);
        g_object_unref(kept);
        VipsImage *small = vips_image_new_from_buffer(u.preview.data, u.preview.len, "", NULL);
        assert_int_equal(vips_image_get_width(small), cases[i].small_w);
        assert_int_equal(vips_image_get_height(small), cases[i].small_h);
        g_object_unref(small);
        assert_true(u.small.aspect > (double)cases[i].w / cases[i].h - 0.01 &&
                    u.small.aspect < (double)cases[i].w / cases[i].h + 0.01);
        upload_free(&u);
    }
    buf_free(&in);
}

static void exif_orientation_is_applied(void **state)
{
    (void)state;
    /* 6: the camera was turned a quarter clockwise; shown upright the picture is 100×200 */
    VipsImage *img = gradient(200, 100, 3), *turned;
    assert_int_equal(vips_copy(img, &turned, NULL), 0);
    vips_image_set_int(turned, VIPS_META_ORIENTATION, 6);
    buf in = BUF_INIT;
    encode(turned, ".jpg", &in);
    g_object_unref(img);
    g_object_unref(turned);
    upload u;
    assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
    assert_int_equal(u.original.width, 100);
    assert_int_equal(u.original.height, 200);
    assert_int_equal(u.small.width, 100);
    assert_int_equal(u.small.height, 200);
    /* upright, the top left was the bottom left (red 0, green full); the top right the top
     * left (both 0); the bottom left the bottom right (both full) */
    double px[3];
    pixel_at(&u.file, 2, 2, px);
    assert_true(px[0] < 30 && px[1] > 220);
    pixel_at(&u.file, 97, 2, px);
    assert_true(px[0] < 30 && px[1] < 30);
    pixel_at(&u.file, 2, 197, px);
    assert_true(px[0] > 220 && px[1] > 220);
    pixel_at(&u.preview, 2, 2, px);
    assert_true(px[0] < 30 && px[1] > 220);
    /* and no orientation is left for a viewer to apply a second time */
    VipsImage *kept = vips_image_new_from_buffer(u.file.data, u.file.len, "", NULL);
    int orientation = 1;
    if (vips_image_get_typeof(kept, VIPS_META_ORIENTATION))
        assert_int_equal(vips_image_get_int(kept, VIPS_META_ORIENTATION, &orientation), 0);
    assert_int_equal(orientation, 1);
    g_object_unref(kept);
    upload_free(&u);
    buf_free(&in);
}

static void colours_of_a_profile_become_srgb_before_it_goes(void **state)
{
    (void)state;
    /* sRGB's pure red in Display P3's numbers, with that profile */
    VipsImage *img = gradient(64, 64, 3), *p3;
    double pure_red[3] = {255, 0, 0};
    assert_int_equal(vips_draw_rect(img, pure_red, 3, 0, 0, 64, 64, "fill", TRUE, NULL), 0);
    assert_int_equal(vips_icc_transform(img, &p3, "p3", "input_profile", "srgb", NULL), 0);
    buf in = BUF_INIT;
    encode(p3, ".png", &in);
    g_object_unref(img);
    g_object_unref(p3);
    double px[3];
    pixel_at(&in, 10, 10, px);
    assert_true(px[0] < 245 && px[1] > 30); /* P3's numbers for it differ */
    upload u;
    assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
    assert_no_metadata(&u.file);
    pixel_at(&u.file, 10, 10, px);
    if (px[0] < 250 || px[1] > 8 || px[2] > 8) fail_msg("kept %g,%g,%g", px[0], px[1], px[2]);
    pixel_at(&u.preview, 10, 10, px);
    if (px[0] < 245 || px[1] > 12 || px[2] > 12) fail_msg("preview %g,%g,%g", px[0], px[1], px[2]);
    upload_free(&u);
    buf_free(&in);
}

static void gps_exif_never_survives(void **state)
{
    (void)state;
    /* a JPEG with GPS in EXIF and XMP and a comment, written by exiftool */
    char path[] = "/tmp/test_upload-gps-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    VipsImage *img = gradient(320, 240, 3);
    buf jpeg = BUF_INIT, other = BUF_INIT;
    encode(img, ".jpg", &jpeg);
    g_object_unref(img);
    write_file(path, jpeg.data, jpeg.len);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "exiftool -q -overwrite_original -GPSLatitude=48.8583 -GPSLatitudeRef=N "
             "-GPSLongitude=2.2944 -GPSLongitudeRef=E -XMP-exif:GPSLatitude=48.8583N "
             "-Comment=whereabouts -Artist=whereabouts %s",
             path);
    assert_int_equal(system(cmd), 0);
    read_file(path, &jpeg);
    unlink(path);
    char said[4096];
    exiftool_gps(&jpeg, said, sizeof said);
    assert_non_null(strstr(said, "GPSLatitude")); /* the input does carry it */

    /* the same EXIF carried by a PNG and a WebP (libvips copies it when not stripping) */
    const char *carriers[] = {NULL, ".png", ".webp"};
    for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++) {
        const buf *in = &jpeg;
        if (carriers[i]) {
            VipsImage *loaded = vips_image_new_from_buffer(jpeg.data, jpeg.len, "", NULL);
            assert_non_null(loaded);
            encode(loaded, carriers[i], &other);
            g_object_unref(loaded);
            exiftool_gps(&other, said, sizeof said);
            assert_non_null(strstr(said, "GPSLatitude"));
            in = &other;
        }
        upload u;
        assert_int_equal(upload_process(in->data, in->len, &limits, &u), PL_OK);
        exiftool_gps(&u.file, said, sizeof said);
        assert_string_equal(said, "");
        exiftool_gps(&u.preview, said, sizeof said);
        assert_string_equal(said, "");
        assert_no_metadata(&u.file);
        assert_no_metadata(&u.preview);
        assert_null(memmem(u.file.data, u.file.len, "whereabouts", 11));
        assert_null(memmem(u.file.data, u.file.len, "GPS", 3));
        upload_free(&u);
    }
    buf_free(&jpeg);
    buf_free(&other);
}

/* ------------------------------------------------------------------ profile pictures */

/* The width and height libvips reads in b, and its type by signature. */
static void size_of_bytes(const buf *b, int *w, int *h)
{
    VipsImage *img = vips_image_new_from_buffer(b->data, b->len, "", NULL);
    assert_non_null(img);
    *w = vips_image_get_width(img);
    *h = vips_image_get_height(img);
    g_object_unref(img);
}

static void covers_are_filled_to_exactly_their_size_and_stripped(void **state)
{
    (void)state;
    static const struct {
        const char *suffix, *kept;
        int w, h;
    } cases[] = {
        {".jpg", "image/jpeg", 1200, 300}, /* wide: cut from the middle */
        {".png", "image/png", 50, 80},     /* small: enlarged */
        {".webp", "image/webp", 700, 700},
        {".gif", "image/png", 90, 60}, /* a GIF becomes a PNG of its first frame */
    };
    const upload_limits lim = {.picture_max_bytes = 2 << 20, .max_pixels = 33177600};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        VipsImage *img = gradient(cases[i].w, cases[i].h, 3);
        buf in = BUF_INIT;
        encode(img, cases[i].suffix, &in);
        g_object_unref(img);
        const int sizes[2][2] = {{400, 400}, {1500, 500}};
        for (int k = 0; k < 2; k++) {
            upload u;
            assert_int_equal(upload_cover(in.data, in.len, &lim, sizes[k][0], sizes[k][1], &u),
                             PL_OK);
            assert_string_equal(u.type.mime, cases[i].kept);
            int w, h;
            size_of_bytes(&u.file, &w, &h);
            assert_int_equal(w, sizes[k][0]);
            assert_int_equal(h, sizes[k][1]);
            assert_int_equal(u.original.width, w);
            assert_int_equal(u.original.height, h);
            assert_no_metadata(&u.file);
            assert_int_equal(u.preview.len, 0);
            upload_free(&u);
        }
        buf_free(&in);
    }
}

static void covers_refuse_other_types_sizes_and_bombs(void **state)
{
    (void)state;
    const upload_limits lim = {.picture_max_bytes = 4096, .max_pixels = 1000 * 1000};
    upload u;
    /* not one of the four: text, and a HEIF that posts would take */
    assert_int_equal(upload_cover("just words", 10, &lim, 400, 400, &u), PL_EINVAL);
    assert_non_null(strstr(u.error, "PNG, GIF, JPEG or WebP"));
    upload_free(&u);
    VipsImage *img = gradient(64, 64, 3);
    buf b = BUF_INIT;
    encode(img, ".heic[compression=av1]", &b);
    if (b.len <= lim.picture_max_bytes) {
        assert_int_equal(upload_cover(b.data, b.len, &lim, 400, 400, &u), PL_EINVAL);
        upload_free(&u);
    }
    /* empty, and over the byte limit */
    assert_int_equal(upload_cover("", 0, &lim, 400, 400, &u), PL_EINVAL);
    upload_free(&u);
    char big[5000] = {0};
    assert_int_equal(upload_cover(big, sizeof big, &lim, 400, 400, &u), PL_ELIMIT);
    upload_free(&u);
    /* more pixels than the limit, from the header (a plain colour compresses to little) */
    VipsImage *black;
    assert_int_equal(vips_black(&black, 2000, 2000, "bands", 3, NULL), 0);
    encode(black, ".png", &b);
    g_object_unref(black);
    const upload_limits roomy = {.picture_max_bytes = 1 << 20, .max_pixels = 1000 * 1000};
    assert_int_equal(upload_cover(b.data, b.len, &roomy, 400, 400, &u), PL_EINVAL);
    assert_non_null(strstr(u.error, "pixels"));
    upload_free(&u);
    /* damaged: a PNG cut short */
    encode(img, ".png", &b);
    assert_int_equal(upload_cover(b.data, b.len / 2, &roomy, 400, 400, &u), PL_EINVAL);
    upload_free(&u);
    g_object_unref(img);
    buf_free(&b);
}

/* An animation of frames pages of width×height, as a GIF or WebP. */
static void animation(const char *suffix, int width, int height, int frames, buf *out)
{
    VipsImage *strip = gradient(width, height * frames, 3), *pages;
    assert_int_equal(vips_copy(strip, &pages, NULL), 0);
    vips_image_set_int(pages, VIPS_META_PAGE_HEIGHT, height);
    int delays[16];
    for (int i = 0; i < frames; i++) delays[i] = 100;
    vips_image_set_array_int(pages, "delay", delays, frames);
    vips_image_set_int(pages, "loop", 0);
    encode(pages, suffix, out);
    g_object_unref(strip);
    g_object_unref(pages);
}

static void animated_gif_and_webp_stay_animated(void **state)
{
    (void)state;
    const char *suffixes[] = {".gif", ".webp"};
    buf in = BUF_INIT;
    for (size_t i = 0; i < 2; i++) {
        animation(suffixes[i], 120, 80, 3, &in);
        upload u;
        assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
        assert_int_equal(u.type.kind, FILETYPE_IMAGE); /* a GIF kept as GIF is no gifv */
        assert_string_equal(u.type.mime, i == 0 ? "image/gif" : "image/webp");
        assert_int_equal(u.frames, 3);
        assert_int_equal(u.original.width, 120);
        assert_int_equal(u.original.height, 80);
        assert_int_equal(u.small.width, 120);
        assert_int_equal(u.small.height, 80);
        VipsImage *kept = vips_image_new_from_buffer(u.file.data, u.file.len, "n=-1", NULL);
        assert_non_null(kept);
        assert_int_equal(vips_image_get_n_pages(kept), 3);
        g_object_unref(kept);
        upload_free(&u);
    }
    /* a large animation is scaled frame by frame */
    animation(".gif", 4000, 1000, 2, &in);
    upload u;
    assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
    assert_int_equal(u.frames, 2);
    assert_int_equal(u.original.width, 3840);
    assert_int_equal(u.original.height, 960);
    assert_int_equal(u.small.width, 640);
    assert_int_equal(u.small.height, 160);
    upload_free(&u);
    buf_free(&in);
}

static void blurhash_is_the_references_hash_of_the_preview(void **state)
{
    (void)state;
    VipsImage *img = gradient(1600, 900, 3);
    buf in = BUF_INIT;
    encode(img, ".jpg", &in);
    g_object_unref(img);
    upload u;
    assert_int_equal(upload_process(in.data, in.len, &limits, &u), PL_OK);
    /* the preview as served, decoded and handed to python3-blurhash as a PNG */
    char path[] = "/tmp/test_upload-preview-XXXXXX.png";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    VipsImage *preview = vips_image_new_from_buffer(u.preview.data, u.preview.len, "", NULL);
    assert_int_equal(vips_image_write_to_file(preview, path, NULL), 0);
    g_object_unref(preview);
    char cmd[256], theirs[256] = "";
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import sys, blurhash; print(blurhash.encode(sys.argv[1], 4, "
             "4))' %s",
             path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(theirs, sizeof theirs, p)) theirs[0] = '\0';
    theirs[strcspn(theirs, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    assert_string_equal(u.blurhash, theirs);
    upload_free(&u);
    buf_free(&in);
}

/* ------------------------------------------------------------------ refusals */

static void put_chunk(buf *b, const char *type, const void *data, uint32_t len)
{
    uint32_t be = htonl(len);
    buf_append(b, &be, 4);
    size_t start = b->len;
    buf_append(b, type, 4);
    buf_append(b, data, len);
    uint32_t crc = htonl((uint32_t)crc32(0, (const Bytef *)b->data + start, len + 4));
    buf_append(b, &crc, 4);
}

/* The peak of this process's resident memory, in kB ("VmHWM"), and resets it first if asked. */
static long peak_kb(int reset)
{
    if (reset) {
        FILE *c = fopen("/proc/self/clear_refs", "w");
        assert_non_null(c);
        fputs("5", c);
        fclose(c);
    }
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

static void decompression_bomb_is_refused_before_decoding(void **state)
{
    (void)state;
    /* a valid PNG of a few hundred bytes that declares 50000×50000 grey pixels (2.5 GB) */
    buf png = BUF_INIT;
    buf_append(&png, "\x89PNG\r\n\x1a\n", 8);
    uint8_t ihdr[13] = {0};
    uint32_t side = htonl(50000);
    memcpy(ihdr, &side, 4);
    memcpy(ihdr + 4, &side, 4);
    ihdr[8] = 8; /* 8 bits, grey, deflate, no filter, no interlace */
    put_chunk(&png, "IHDR", ihdr, sizeof ihdr);
    static uint8_t rows[50001 * 4];
    uint8_t packed[1024];
    uLongf packed_len = sizeof packed;
    assert_int_equal(compress2(packed, &packed_len, rows, sizeof rows, 9), Z_OK);
    put_chunk(&png, "IDAT", packed, (uint32_t)packed_len);
    put_chunk(&png, "IEND", "", 0);
    assert_true(png.len < 1024);

    long before = peak_kb(1);
    upload u;
    assert_int_equal(upload_process(png.data, png.len, &limits, &u), PL_EINVAL);
    long peak = peak_kb(0);
    assert_non_null(strstr(u.error, "50000x50000 pixels"));
    assert_non_null(strstr(u.error, "at most 33177600"));
    assert_int_equal(u.file.len, 0);
    assert_int_equal(u.preview.len, 0);
    upload_free(&u);
    /* decoding it would take 2.5 GB; reading its header takes next to nothing */
    if (peak - before > 16 * 1024) fail_msg("peak memory grew by %ld kB", peak - before);
    buf_free(&png);
}

/* The offset of the first two bytes a, b in in, or -1. */
static long find2(const buf *in, uint8_t a, uint8_t b)
{
    for (size_t i = 0; i + 1 < in->len; i++)
        if ((uint8_t)in->data[i] == a && (uint8_t)in->data[i + 1] == b) return (long)i;
    return -1;
}

/* Rewrites the WebP in b as the simple format: its image chunk (fourcc) alone, no VP8X. */
static void simple_webp(buf *b, const char *fourcc)
{
    const char *chunk = memmem(b->data + 12, b->len - 12, fourcc, 4);
    assert_non_null(chunk);
    const uint8_t *n = (const uint8_t *)chunk + 4;
    uint32_t size = n[0] | n[1] << 8 | n[2] << 16 | (uint32_t)n[3] << 24;
    size_t whole = 8 + size + (size & 1);
    buf out = BUF_INIT;
    uint32_t riff = (uint32_t)(4 + whole);
    uint8_t riff_le[4] = {riff & 0xff, riff >> 8 & 0xff, riff >> 16 & 0xff, riff >> 24};
    buf_append(&out, "RIFF", 4);
    buf_append(&out, riff_le, 4);
    buf_append(&out, "WEBP", 4);
    buf_append(&out, chunk, whole);
    buf_free(b);
    *b = out;
}

static void bombs_of_every_format_are_refused_before_decoding(void **state)
{
    (void)state;
    /* small real pictures whose headers are made to declare a huge size */
    VipsImage *img = gradient(16, 16, 3);
    buf jpeg = BUF_INIT, gif = BUF_INIT, webp = BUF_INIT, simple = BUF_INIT, lossless = BUF_INIT;
    encode(img, ".jpg", &jpeg);
    encode(img, ".gif", &gif);
    encode(img, ".webp", &webp); /* extended (VP8X): it carries EXIF */
    encode(img, ".webp", &simple);
    simple_webp(&simple, "VP8 ");
    encode(img, ".webp[lossless]", &lossless);
    simple_webp(&lossless, "VP8L");
    /* as made, both are read as their real 16×16 */
    const buf *webps[] = {&simple, &lossless};
    for (size_t i = 0; i < 2; i++) {
        upload u;
        assert_int_equal(upload_process(webps[i]->data, webps[i]->len, &limits, &u), PL_OK);
        assert_int_equal(u.original.width, 16);
        assert_int_equal(u.original.height, 16);
        upload_free(&u);
    }
    g_object_unref(img);
    /* JPEG: the frame header (SOF0, FF C0) says 60000 rows of 60000 */
    long sof = find2(&jpeg, 0xff, 0xc0);
    assert_true(sof > 0);
    memcpy(jpeg.data + sof + 5, "\xea\x60\xea\x60", 4);
    /* GIF: the logical screen and the image say 60000×60000 (16-bit little-endian) */
    memcpy(gif.data + 6, "\x60\xea\x60\xea", 4);
    long image = find2(&gif, 0x2c, 0x00);
    assert_true(image > 0);
    memcpy(gif.data + image + 5, "\x60\xea\x60\xea", 4);
    /* WebP: the VP8 frame says 16383×16383, its largest */
    long key = find2(&webp, 0x9d, 0x01);
    assert_true(key > 0 && (uint8_t)webp.data[key + 2] == 0x2a);
    memcpy(webp.data + key + 3, "\xff\x3f\xff\x3f", 4);
    if (!memcmp(webp.data + 12, "VP8X", 4)) /* and the extended header's canvas, less one */
        memcpy(webp.data + 24, "\xfe\x3f\x00\xfe\x3f\x00", 6);
    assert_memory_equal(simple.data + 12, "VP8 ", 4);
    assert_int_equal((uint8_t)simple.data[23], 0x9d);
    memcpy(simple.data + 26, "\xff\x3f\xff\x3f", 4);
    assert_memory_equal(lossless.data + 12, "VP8L", 4);
    uint8_t *bits = (uint8_t *)lossless.data + 21; /* 14 bits of width - 1, 14 of height - 1 */
    uint32_t packed = (bits[0] | bits[1] << 8 | bits[2] << 16 | (uint32_t)bits[3] << 24);
    packed = (packed & ~0xfffffffu) | 16382u | 16382u << 14;
    for (int i = 0; i < 4; i++) bits[i] = (uint8_t)(packed >> (8 * i));
    const buf *bombs[] = {&jpeg, &gif, &webp, &simple, &lossless};
    const char *sizes[] = {"60000x60000", "60000x60000", "16383x16383", "16383x16383",
                           "16383x16383"};
    for (size_t i = 0; i < sizeof bombs / sizeof bombs[0]; i++) {
        long before = peak_kb(1);
        upload u;
        assert_int_equal(upload_process(bombs[i]->data, bombs[i]->len, &limits, &u), PL_EINVAL);
        long peak = peak_kb(0);
        if (!strstr(u.error, sizes[i])) fail_msg("bomb %zu: %s", i, u.error);
        upload_free(&u);
        if (peak - before > 16 * 1024) fail_msg("bomb %zu: peak grew by %ld kB", i, peak - before);
    }
    buf_free(&jpeg);
    buf_free(&gif);
    buf_free(&webp);
    buf_free(&simple);
    buf_free(&lossless);
}

static void pixels_are_limited_to_the_setting_frames_included(void **state)
{
    (void)state;
    buf in = BUF_INIT;
    VipsImage *img = gradient(100, 50, 3);
    encode(img, ".png", &in);
    g_object_unref(img);
    upload_limits exact = limits, under = limits;
    exact.max_pixels = 100 * 50;
    under.max_pixels = 100 * 50 - 1;
    upload u;
    assert_int_equal(upload_process(in.data, in.len, &exact, &u), PL_OK);
    upload_free(&u);
    assert_int_equal(upload_process(in.data, in.len, &under, &u), PL_EINVAL);
    assert_string_equal(u.error, "the picture has 100x50 pixels: at most 4999 are accepted");
    upload_free(&u);

    animation(".gif", 100, 50, 4, &in);
    exact.max_pixels = 100 * 50 * 4;
    under.max_pixels = 100 * 50 * 4 - 1;
    assert_int_equal(upload_process(in.data, in.len, &exact, &u), PL_OK);
    upload_free(&u);
    assert_int_equal(upload_process(in.data, in.len, &under, &u), PL_EINVAL);
    assert_string_equal(u.error, "the animation has 4 frames of 100x50 pixels: at most 19999 "
                                 "pixels in all are accepted");
    upload_free(&u);
    buf_free(&in);
}

static void damaged_pictures_are_refused_clearly(void **state)
{
    (void)state;
    VipsImage *img = gradient(400, 300, 3);
    buf jpeg = BUF_INIT, png = BUF_INIT, bad = BUF_INIT;
    encode(img, ".jpg", &jpeg);
    encode(img, ".png", &png);
    g_object_unref(img);
    upload u;
    /* cut in the middle */
    assert_int_equal(upload_process(jpeg.data, jpeg.len / 2, &limits, &u), PL_EINVAL);
    assert_string_equal(u.error, "the JPEG picture could not be read: it is damaged or incomplete");
    assert_int_equal(u.file.len, 0);
    upload_free(&u);
    assert_int_equal(upload_process(png.data, png.len / 2, &limits, &u), PL_EINVAL);
    assert_non_null(strstr(u.error, "damaged"));
    upload_free(&u);
    /* garbage after a good start */
    buf_append(&bad, jpeg.data, jpeg.len);
    memset(bad.data + 700, 0xff, 200);
    memset(bad.data + 1000, 0x00, 300);
    assert_int_equal(upload_process(bad.data, bad.len, &limits, &u), PL_EINVAL);
    assert_non_null(strstr(u.error, "damaged"));
    upload_free(&u);
    /* a PNG signature, then nothing a PNG has: not a picture at all, so a mere file */
    buf_reset(&bad);
    buf_append(&bad, "\x89PNG\r\n\x1a\n", 8);
    for (int i = 0; i < 64; i++) buf_append(&bad, "garbage!", 8);
    assert_int_equal(upload_process(bad.data, bad.len, &limits, &u), PL_OK);
    assert_int_equal(u.type.kind, FILETYPE_UNKNOWN);
    assert_true(u.type.is_download);
    upload_free(&u);
    buf_free(&jpeg);
    buf_free(&png);
    buf_free(&bad);
}

static void bytes_are_limited_per_type(void **state)
{
    (void)state;
    VipsImage *img = gradient(64, 64, 3);
    buf in = BUF_INIT;
    encode(img, ".jpg", &in);
    g_object_unref(img);
    upload_limits l = limits;
    upload u;
    l.picture_max_bytes = in.len;
    assert_int_equal(upload_process(in.data, in.len, &l, &u), PL_OK);
    upload_free(&u);
    l.picture_max_bytes = in.len - 1; /* other files may still be larger */
    assert_int_equal(upload_process(in.data, in.len, &l, &u), PL_ELIMIT);
    assert_non_null(strstr(u.error, "at most"));
    upload_free(&u);

    static const char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    l = limits;
    l.file_max_bytes = sizeof pdf - 1;
    assert_int_equal(upload_process(pdf, sizeof pdf - 1, &l, &u), PL_OK);
    upload_free(&u);
    l.file_max_bytes = sizeof pdf - 2;
    assert_int_equal(upload_process(pdf, sizeof pdf - 1, &l, &u), PL_ELIMIT);
    upload_free(&u);
    /* larger than every limit: refused before it is typed */
    l.picture_max_bytes = 10;
    assert_int_equal(upload_process(pdf, sizeof pdf - 1, &l, &u), PL_ELIMIT);
    assert_int_equal(u.type.kind, FILETYPE_IMAGE); /* untouched: zeroed */
    upload_free(&u);
    assert_int_equal(upload_process("", 0, &limits, &u), PL_EINVAL);
    assert_string_equal(u.error, "the file is empty");
    upload_free(&u);
    buf_free(&in);
}

/* ------------------------------------------------------------------ files */

static void assert_typed(const void *data, size_t len, enum filetype_kind kind,
                         const char *detected, const char *mime, bool is_download)
{
    upload u;
    assert_int_equal(upload_process(data, len, &limits, &u), PL_OK);
    assert_int_equal(u.type.kind, kind);
    assert_string_equal(filetype_kind_name(u.type.kind), filetype_kind_name(kind));
    assert_string_equal(u.type.detected, detected);
    assert_string_equal(u.type.mime, mime);
    assert_int_equal(u.type.is_download, is_download);
    /* stored as sent: nothing made, nothing hashed */
    assert_int_equal(u.file.len, 0);
    assert_int_equal(u.preview.len, 0);
    assert_string_equal(u.blurhash, "");
    upload_free(&u);
}

static void svg_and_html_are_never_pictures(void **state)
{
    (void)state;
    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
                              "height=\"10\"><script>alert(1)</script></svg>";
    static const char svg_xml[] = "<?xml version=\"1.0\"?>\n<svg "
                                  "xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";
    static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body>";
    assert_typed(svg, sizeof svg - 1, FILETYPE_UNKNOWN, "image/svg+xml", "text/plain", true);
    assert_typed(svg_xml, sizeof svg_xml - 1, FILETYPE_UNKNOWN, "image/svg+xml", "text/plain",
                 true);
    assert_typed(html, sizeof html - 1, FILETYPE_UNKNOWN, "text/html", "text/plain", true);
}

static void pdf_and_text_are_documents(void **state)
{
    (void)state;
    static const char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    assert_typed(pdf, sizeof pdf - 1, FILETYPE_UNKNOWN, "application/pdf", "application/pdf", true);
    assert_typed("minutes of the meeting\n", 23, FILETYPE_UNKNOWN, "text/plain", "text/plain",
                 true);
    static const uint8_t zip[] = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0,   0,   0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    upload u;
    assert_int_equal(upload_process(zip, sizeof zip, &limits, &u), PL_OK);
    assert_int_equal(u.type.kind, FILETYPE_UNKNOWN);
    assert_true(u.type.is_download);
    upload_free(&u);
}

static void video_and_audio_are_stored_as_sent(void **state)
{
    (void)state;
    /* the first box of an MP4 */
    static const uint8_t mp4[] = {0,   0,   0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o',
                                  'm', 0,   0, 2,  0,   'i', 's', 'o', 'm', 'm', 'p',
                                  '4', '1', 0, 0,  0,   8,   'f', 'r', 'e', 'e'};
    assert_typed(mp4, sizeof mp4, FILETYPE_VIDEO, "video/mp4", "video/mp4", false);
    /* a WAV header and a little silence */
    uint8_t wav[44 + 64] = {0};
    memcpy(wav, "RIFF", 4);
    wav[4] = sizeof wav - 8;
    memcpy(wav + 8, "WAVEfmt ", 8);
    wav[16] = 16, wav[20] = 1, wav[22] = 1;
    wav[24] = 0x40, wav[25] = 0x1f; /* 8000 Hz */
    wav[28] = 0x40, wav[29] = 0x1f, wav[32] = 1, wav[34] = 8;
    memcpy(wav + 36, "data", 4);
    wav[40] = 64;
    upload u;
    assert_int_equal(upload_process(wav, sizeof wav, &limits, &u), PL_OK);
    assert_int_equal(u.type.kind, FILETYPE_AUDIO);
    assert_false(u.type.is_download);
    assert_int_equal(strncmp(u.type.mime, "audio/", 6), 0);
    upload_free(&u);
}

int main(void)
{
    if (pictures_init("test_pictures_upload")) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decompression_bomb_is_refused_before_decoding),
        cmocka_unit_test(covers_are_filled_to_exactly_their_size_and_stripped),
        cmocka_unit_test(covers_refuse_other_types_sizes_and_bombs),
        cmocka_unit_test(every_format_libvips_reads_is_a_picture),
        cmocka_unit_test(large_pictures_fit_3840x2160_and_previews_640x360),
        cmocka_unit_test(exif_orientation_is_applied),
        cmocka_unit_test(gps_exif_never_survives),
        cmocka_unit_test(colours_of_a_profile_become_srgb_before_it_goes),
        cmocka_unit_test(animated_gif_and_webp_stay_animated),
        cmocka_unit_test(blurhash_is_the_references_hash_of_the_preview),
        cmocka_unit_test(bombs_of_every_format_are_refused_before_decoding),
        cmocka_unit_test(pixels_are_limited_to_the_setting_frames_included),
        cmocka_unit_test(damaged_pictures_are_refused_clearly),
        cmocka_unit_test(bytes_are_limited_per_type),
        cmocka_unit_test(svg_and_html_are_never_pictures),
        cmocka_unit_test(pdf_and_text_are_documents),
        cmocka_unit_test(video_and_audio_are_stored_as_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
