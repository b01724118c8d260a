/*
 * upload.c — an uploaded file typed, and a picture made safe to serve: header checked,
 * turned upright, scaled, stripped of every metadata block, previewed and hashed.
 *
 * Design: libvips builds a lazy pipeline and runs it a strip at a time; the input is opened
 * for sequential access through vips_thumbnail_buffer, which also applies the EXIF
 * orientation, turns a colour profile's numbers into sRGB, and lets the JPEG decoder shrink
 * by 2, 4 or 8 while it decodes when the picture is that much too large. The input is never
 * held decoded at its own size. A still picture is decoded once, into memory at its kept size
 * (at most 3840×2160), then saved and previewed from there: decoding the input a second time
 * for the preview held less (the kept picture streamed to its save) but cost a fifth more
 * time (BENCHMARKS.md, "Pictures"). An animation streams to its save instead — all its frames
 * at once could be max_pixels × 4 bytes — and its first frame is decoded again for the preview.
 *
 * The safety rules, in the order they run: only the formats filetype.c names as pictures
 * reach libvips, and only through the loader of that format (libvips would otherwise also
 * read SVG, PDF and more); the pixel count is read from the header alone and checked before
 * any decoding; every loader fails on the first error (a damaged picture is an error, never
 * a half-grey picture); every save strips metadata. It must never store or return the bytes
 * as sent for a picture.
 */
#include "pictures/upload.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

#include "util/err.h"
#include "util/log.h"

/* The formats of filetype.c's pictures: libmagic's type, the libvips loader that must read
 * it, and the format kept (NULL: JPEG, or PNG if transparent). */
static const struct picture_format {
    const char *mime, *name, *loader, *kept;
} formats[] = {
    {"image/jpeg", "JPEG", "VipsForeignLoadJpeg", "image/jpeg"},
    {"image/png", "PNG", "VipsForeignLoadPng", "image/png"},
    {"image/webp", "WebP", "VipsForeignLoadWebp", "image/webp"},
    {"image/gif", "GIF", "VipsForeignLoadNsgif", "image/gif"},
    {"image/heic", "HEIC", "VipsForeignLoadHeif", NULL},
    {"image/heif", "HEIF", "VipsForeignLoadHeif", NULL},
    {"image/avif", "AVIF", "VipsForeignLoadHeif", NULL},
};

/* Every loader stops at the first error: a damaged picture is refused, not patched grey. */
#define LOAD_STRICT "fail_on=error"

static const struct picture_format *format_of(const char *mime)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(formats[i].mime, mime)) return &formats[i];
    return NULL;
}

static int refuse(upload *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(upload *out, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->error, sizeof out->error, fmt, ap);
    va_end(ap);
    buf_free(&out->file);
    buf_free(&out->preview);
    return status;
}

/* A picture libvips could not read: the reason goes to the log, a plain one to the client. */
static int damaged(upload *out, const struct picture_format *f, const char *what)
{
    log_info("event=upload_refused type=%s why=\"%s\" msg=\"%s\"", out->type.detected, what,
             vips_error_buffer());
    vips_error_clear();
    return refuse(out, PL_EINVAL, "the %s picture could not be read: it is damaged or incomplete",
                  f ? f->name : "uploaded");
}

static upload_size size_of(int width, int height)
{
    return (upload_size){width, height, height > 0 ? (double)width / height : 0};
}

/* The metadata a save may keep: how an animation is cut and played, nothing about where,
 * when, by whom or with what it was taken. */
static const char *const kept_fields[] = {VIPS_META_PAGE_HEIGHT, VIPS_META_N_PAGES, "delay", "loop",
                                          "gif-delay",           "gif-loop"};

static bool is_kept_field(const char *name)
{
    for (size_t i = 0; i < sizeof kept_fields / sizeof kept_fields[0]; i++)
        if (!strcmp(name, kept_fields[i])) return true;
    return false;
}

/* A copy of img without any metadata field but those above. The savers' own "strip" is not
 * enough: libvips 8.14's WebP saver writes EXIF (GPS included) despite it. */
static VipsImage *without_metadata(VipsImage *img)
{
    VipsImage *copy = NULL;
    if (vips_copy(img, &copy, NULL)) return NULL;
    gchar **fields = vips_image_get_fields(copy);
    for (int i = 0; fields[i]; i++)
        if (!is_kept_field(fields[i])) vips_image_remove(copy, fields[i]);
    g_strfreev(fields);
    return copy;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Removes the EXIF, XMP and ICC chunks from a WebP (RIFF) file in b, and their flags from
 * its VP8X header: libvips 8.14's WebP saver writes an EXIF chunk of its own even when told
 * to strip. 0, or -1 if b is not a well-formed WebP (then nothing is changed). */
static int webp_drop_metadata(buf *b)
{
    uint8_t *p = (uint8_t *)b->data;
    if (b->len < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WEBP", 4)) return -1;
    /* check every chunk's bounds before changing anything */
    for (size_t at = 12; at < b->len;) {
        if (b->len - at < 8) return -1;
        uint32_t size = le32(p + at + 4);
        if (size > b->len - at - 8) return -1;
        at += 8 + size + (size & 1);
    }
    size_t out = 12;
    for (size_t at = 12; at < b->len;) {
        uint32_t size = le32(p + at + 4);
        size_t whole = 8 + size + (size & 1);
        if (whole > b->len - at) whole = b->len - at; /* an odd last chunk without its pad */
        bool is_metadata =
            !memcmp(p + at, "EXIF", 4) || !memcmp(p + at, "XMP ", 4) || !memcmp(p + at, "ICCP", 4);
        if (!memcmp(p + at, "VP8X", 4) && size >= 1) p[at + 8] &= (uint8_t) ~(0x20 | 0x08 | 0x04);
        if (!is_metadata) {
            memmove(p + out, p + at, whole);
            out += whole;
        }
        at += whole;
    }
    b->len = out;
    b->data[out] = '\0';
    put_le32(p + 4, (uint32_t)(out - 8));
    return 0;
}

/* Saves img into b as mime, with no metadata at all. 0 or -1 (vips_error set). */
static int save(VipsImage *with_metadata, const char *mime, buf *b)
{
    void *bytes = NULL;
    size_t len = 0;
    int rc;
    VipsImage *img = without_metadata(with_metadata);
    if (!img) return -1;
    if (!strcmp(mime, "image/jpeg"))
        rc = vips_jpegsave_buffer(img, &bytes, &len, "Q", 85, "strip", TRUE, NULL);
    else if (!strcmp(mime, "image/png"))
        rc = vips_pngsave_buffer(img, &bytes, &len, "compression", 6, "strip", TRUE, NULL);
    else if (!strcmp(mime, "image/webp"))
        rc = vips_webpsave_buffer(img, &bytes, &len, "Q", 85, "strip", TRUE, NULL);
    else
        rc = vips_gifsave_buffer(img, &bytes, &len, "strip", TRUE, NULL);
    g_object_unref(img);
    if (rc) return -1;
    size_t start = b->len;
    buf_append(b, bytes, len);
    g_free(bytes);
    if (!strcmp(mime, "image/webp")) {
        buf webp = BUF_INIT;
        buf_append(&webp, b->data + start, b->len - start);
        if (webp_drop_metadata(&webp)) {
            buf_free(&webp);
            vips_error("upload", "the WebP saver wrote a malformed file");
            return -1;
        }
        b->len = start;
        buf_append(b, webp.data, webp.len);
        buf_free(&webp);
    }
    return 0;
}

/* The BlurHash of the encoded preview, decoded again: what a client can recompute. */
static int hash_preview(upload *out)
{
    enum { DECODED, SRGB, RGB, BYTES, N };
    VipsImage *v[N] = {0};
    int rc = -1;
    v[DECODED] = vips_image_new_from_buffer(out->preview.data, out->preview.len, "", NULL);
    if (!v[DECODED] || vips_colourspace(v[DECODED], &v[SRGB], VIPS_INTERPRETATION_sRGB, NULL))
        goto done;
    /* a transparent preview's colours without their alpha, as Mastodon and the reference */
    if (vips_extract_band(v[SRGB], &v[RGB], 0, "n", 3, NULL) ||
        vips_cast_uchar(v[RGB], &v[BYTES], NULL))
        goto done;
    size_t len = 0;
    uint8_t *rgb = vips_image_write_to_memory(v[BYTES], &len);
    if (!rgb) goto done;
    int w = vips_image_get_width(v[BYTES]), h = vips_image_get_height(v[BYTES]);
    rc = blurhash_encode(rgb, w, h, (size_t)w * 3, 4, 4, out->blurhash);
    g_free(rgb);
done:
    for (int i = 0; i < N; i++)
        if (v[i]) g_object_unref(v[i]);
    return rc;
}

/* The canvas a WebP declares, from its first chunk: the extended header (VP8X), a lossy
 * frame (VP8) or a lossless one (VP8L). libvips 8.14 reserves a whole canvas (up to 16383² × 4
 * bytes: 1 GiB of address space) while it reads a WebP's header, so the pixel check of a WebP
 * runs on these numbers first. 0, or -1 if the first chunk is none of those (then libvips
 * decides). */
static int webp_canvas(const uint8_t *p, size_t len, int *width, int *height)
{
    if (len < 30) return -1;
    if (!memcmp(p + 12, "VP8X", 4)) {
        *width = 1 + (p[24] | p[25] << 8 | p[26] << 16);
        *height = 1 + (p[27] | p[28] << 8 | p[29] << 16);
    } else if (!memcmp(p + 12, "VP8 ", 4) && p[23] == 0x9d && p[24] == 0x01 && p[25] == 0x2a) {
        *width = (p[26] | p[27] << 8) & 0x3fff;
        *height = (p[28] | p[29] << 8) & 0x3fff;
    } else if (!memcmp(p + 12, "VP8L", 4) && p[20] == 0x2f) {
        uint32_t bits = le32(p + 21);
        *width = 1 + (int)(bits & 0x3fff);
        *height = 1 + (int)(bits >> 14 & 0x3fff);
    } else {
        return -1;
    }
    return 0;
}

/* Refuses a picture of more pixels than the limit; PL_OK if it is within. */
static int check_pixels(upload *out, const struct picture_format *f, const upload_limits *limits,
                        int width, int height, int frames)
{
    if ((int64_t)width * height * frames <= limits->max_pixels) return PL_OK;
    log_info("event=upload_refused type=%s why=pixels width=%d height=%d frames=%d", f->mime, width,
             height, frames);
    if (frames > 1)
        return refuse(out, PL_EINVAL,
                      "the animation has %d frames of %dx%d pixels: at most %lld pixels in "
                      "all are accepted",
                      frames, width, height, (long long)limits->max_pixels);
    return refuse(out, PL_EINVAL, "the picture has %dx%d pixels: at most %lld are accepted", width,
                  height, (long long)limits->max_pixels);
}

/* The picture in data, upright and shrunk to fit width×height (never enlarged), loaded with
 * the options given, its colours turned into sRGB if it has a profile. 0 or -1. */
static int thumbnail(const void *data, size_t len, int width, int height, const char *options,
                     bool has_profile, VipsImage **out)
{
    if (has_profile)
        return vips_thumbnail_buffer((void *)data, len, out, width, "height", height, "size",
                                     VIPS_SIZE_DOWN, "option_string", options, "export_profile",
                                     "srgb", NULL);
    return vips_thumbnail_buffer((void *)data, len, out, width, "height", height, "size",
                                 VIPS_SIZE_DOWN, "option_string", options, NULL);
}

static int process_picture(const void *data, size_t len, const upload_limits *limits, upload *out)
{
    const struct picture_format *f = format_of(out->type.detected);
    const char *loader = vips_foreign_find_load_buffer(data, len);
    if (!f || !loader || strncmp(loader, f->loader, strlen(f->loader)))
        return damaged(out, f, "no loader of its format reads it");

    int width, height, rc;
    if (!strcmp(f->mime, "image/webp") && !webp_canvas(data, len, &width, &height) &&
        (rc = check_pixels(out, f, limits, width, height, 1)))
        return rc;
    /* the header alone: libvips decodes nothing until pixels are asked for */
    VipsImage *head =
        vips_image_new_from_buffer(data, len, LOAD_STRICT, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!head) return damaged(out, f, "header");
    width = vips_image_get_width(head), height = vips_image_get_height(head);
    int pages = vips_image_get_n_pages(head);
    /* colours described by a profile (a phone's Display P3) are turned into sRGB before the
     * profile goes; without one they are sRGB already, and the transform would cost a third */
    bool has_profile = vips_image_get_typeof(head, VIPS_META_ICC_NAME) != 0;
    g_object_unref(head);
    /* only GIF and WebP pages are frames of an animation; a HEIF's are other pictures */
    bool is_animated =
        pages > 1 && (!strcmp(f->mime, "image/gif") || !strcmp(f->mime, "image/webp"));
    if ((rc = check_pixels(out, f, limits, width, height, is_animated ? pages : 1))) return rc;

    enum { STREAMED, KEPT, SMALL, N };
    VipsImage *v[N] = {0};
    if (thumbnail(data, len, UPLOAD_MAX_WIDTH, UPLOAD_MAX_HEIGHT,
                  is_animated ? LOAD_STRICT ",n=-1" : LOAD_STRICT, has_profile, &v[STREAMED])) {
        rc = damaged(out, f, "decode");
        goto done;
    }
    /* a still picture is held at its kept size (at most 3840×2160: 25 MB in 8-bit RGB) */
    if (is_animated) {
        v[KEPT] = v[STREAMED];
        g_object_ref(v[KEPT]);
    } else if (!(v[KEPT] = vips_image_copy_memory(v[STREAMED]))) {
        rc = damaged(out, f, "decode");
        goto done;
    }
    const char *kept = f->kept                        ? f->kept
                       : vips_image_hasalpha(v[KEPT]) ? "image/png"
                                                      : "image/jpeg";
    if (save(v[KEPT], kept, &out->file)) {
        rc = damaged(out, f, "decode and save");
        goto done;
    }
    /* n-pages counts a HEIF's other pictures too: only an animation's frames are kept */
    out->frames =
        is_animated ? vips_image_get_height(v[KEPT]) / vips_image_get_page_height(v[KEPT]) : 1;
    out->original = size_of(vips_image_get_width(v[KEPT]), vips_image_get_page_height(v[KEPT]));

    /* the kept picture is upright and sRGB already: the preview must not turn it again */
    if (is_animated ? thumbnail(data, len, UPLOAD_PREVIEW_WIDTH, UPLOAD_PREVIEW_HEIGHT, LOAD_STRICT,
                                has_profile, &v[SMALL])
                    : vips_thumbnail_image(v[KEPT], &v[SMALL], UPLOAD_PREVIEW_WIDTH, "height",
                                           UPLOAD_PREVIEW_HEIGHT, "size", VIPS_SIZE_DOWN,
                                           "no_rotate", TRUE, NULL)) {
        rc = damaged(out, f, "preview");
        goto done;
    }
    const char *preview = vips_image_hasalpha(v[SMALL]) ? "image/png" : "image/jpeg";
    if (save(v[SMALL], preview, &out->preview)) {
        rc = damaged(out, f, "preview save");
        goto done;
    }
    snprintf(out->preview_mime, sizeof out->preview_mime, "%s", preview);
    out->small = size_of(vips_image_get_width(v[SMALL]), vips_image_get_height(v[SMALL]));
    if (hash_preview(out)) {
        log_error("event=upload_blurhash_failed msg=\"%s\"", vips_error_buffer());
        vips_error_clear();
        rc = refuse(out, PL_EINTERNAL, "the picture's preview could not be made");
        goto done;
    }
    snprintf(out->type.mime, sizeof out->type.mime, "%s", kept);
    rc = PL_OK;
done:
    for (int i = 0; i < N; i++)
        if (v[i]) g_object_unref(v[i]);
    return rc;
}

int upload_process(const void *data, size_t len, const upload_limits *limits, upload *out)
{
    *out = (upload){.file = BUF_INIT, .preview = BUF_INIT};
    if (len == 0) return refuse(out, PL_EINVAL, "the file is empty");
    size_t largest = limits->picture_max_bytes > limits->file_max_bytes ? limits->picture_max_bytes
                                                                        : limits->file_max_bytes;
    /* not even read past its signature when no type could take it */
    if (len > largest)
        return refuse(out, PL_ELIMIT, "the file has %zu bytes: at most %zu are accepted", len,
                      largest);
    if (filetype_detect(data, len, &out->type)) {
        log_error("event=upload_type_failed");
        return refuse(out, PL_EINTERNAL, "the file's type could not be decided");
    }
    if (out->type.kind != FILETYPE_IMAGE) {
        if (len > limits->file_max_bytes)
            return refuse(out, PL_ELIMIT, "the file has %zu bytes: at most %zu are accepted", len,
                          limits->file_max_bytes);
        return PL_OK;
    }
    if (len > limits->picture_max_bytes)
        return refuse(out, PL_ELIMIT, "the picture has %zu bytes: at most %zu are accepted", len,
                      limits->picture_max_bytes);
    return process_picture(data, len, limits, out);
}

void upload_free(upload *u)
{
    buf_free(&u->file);
    buf_free(&u->preview);
}

/* ---------------------------------------------------------------- profile pictures */

int upload_cover(const void *data, size_t len, const upload_limits *limits, int width, int height,
                 upload *out)
{
    *out = (upload){.file = BUF_INIT, .preview = BUF_INIT};
    if (len == 0) return refuse(out, PL_EINVAL, "the file is empty");
    if (len > limits->picture_max_bytes)
        return refuse(out, PL_ELIMIT, "the picture has %zu bytes: at most %zu are accepted", len,
                      limits->picture_max_bytes);
    if (filetype_detect(data, len, &out->type)) {
        log_error("event=upload_type_failed");
        return refuse(out, PL_EINTERNAL, "the file's type could not be decided");
    }
    const struct picture_format *f = format_of(out->type.detected);
    /* Mastodon's four: HEIC and AVIF are pictures of posts only */
    if (out->type.kind != FILETYPE_IMAGE || !f || !f->kept)
        return refuse(out, PL_EINVAL, "it must be a PNG, GIF, JPEG or WebP picture (this is %s)",
                      out->type.detected);
    const char *loader = vips_foreign_find_load_buffer(data, len);
    if (!loader || strncmp(loader, f->loader, strlen(f->loader)))
        return damaged(out, f, "no loader of its format reads it");
    int w, h, rc;
    if (!strcmp(f->mime, "image/webp") && !webp_canvas(data, len, &w, &h) &&
        (rc = check_pixels(out, f, limits, w, h, 1)))
        return rc;
    VipsImage *head =
        vips_image_new_from_buffer(data, len, LOAD_STRICT, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!head) return damaged(out, f, "header");
    w = vips_image_get_width(head), h = vips_image_get_height(head);
    bool has_profile = vips_image_get_typeof(head, VIPS_META_ICC_NAME) != 0;
    g_object_unref(head);
    /* only the first frame is read: an animation's other frames do not count */
    if ((rc = check_pixels(out, f, limits, w, h, 1))) return rc;
    VipsImage *streamed = NULL, *kept = NULL;
    /* filled and cut from the middle, enlarged if need be: always exactly width×height */
    rc = has_profile
             ? vips_thumbnail_buffer((void *)data, len, &streamed, width, "height", height, "crop",
                                     VIPS_INTERESTING_CENTRE, "option_string", LOAD_STRICT,
                                     "export_profile", "srgb", NULL)
             : vips_thumbnail_buffer((void *)data, len, &streamed, width, "height", height, "crop",
                                     VIPS_INTERESTING_CENTRE, "option_string", LOAD_STRICT, NULL);
    if (rc || !(kept = vips_image_copy_memory(streamed))) {
        rc = damaged(out, f, "decode");
        goto done;
    }
    /* a GIF becomes its first frame, as a PNG (lossless, and every app shows it) */
    const char *mime = !strcmp(f->mime, "image/gif") ? "image/png" : f->kept;
    if (save(kept, mime, &out->file)) {
        rc = damaged(out, f, "save");
        goto done;
    }
    snprintf(out->type.mime, sizeof out->type.mime, "%s", mime);
    out->frames = 1;
    out->original = size_of(vips_image_get_width(kept), vips_image_get_height(kept));
    rc = PL_OK;
done:
    if (streamed) g_object_unref(streamed);
    if (kept) g_object_unref(kept);
    return rc;
}
