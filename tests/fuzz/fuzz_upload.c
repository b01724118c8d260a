/*
 * fuzz_upload.c — libFuzzer harness for src/pictures/upload.c and filetype.c: any bytes as an
 * upload, with small limits (64 KiB, 1 megapixel) so that each run stays fast.
 *
 * Properties checked (abort() on violation):
 *   - the answer is PL_OK, PL_ELIMIT or PL_EINVAL (never an internal error), and every
 *     refusal says why and leaves nothing to store;
 *   - a file that is not a picture is stored as sent: nothing made, no preview, no hash;
 *     active content (HTML, SVG, XML, script) is a download served as text/plain;
 *   - a picture's kept file and preview read back with libvips at the sizes reported, within
 *     3840×2160 and 640×360, of the pixels allowed, with no metadata block (EXIF, XMP, IPTC,
 *     ICC, comments), and its BlurHash is 4×4 (36 characters).
 * libvips's and libmagic's own decoders are not instrumented: ASan/UBSan watch partyline's
 * code, and libFuzzer's RSS limit watches for a picture that slipped past the pixel check.
 *
 *   make build-fuzz/fuzz_upload && build-fuzz/fuzz_upload -max_total_time=600 \
 *     tests/fuzz/corpus/upload
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "pictures/pictures.h"
#include "pictures/upload.h"
#include "util/err.h"

/* libvips, GLib and the codecs keep process-wide tables (types, loaders, caches) for life. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libvips\nleak:libglib\nleak:libgobject\nleak:libgio\nleak:libheif\n"
           "leak:libde265\nleak:libmagic\nleak:libfontconfig\n";
}

static void check(bool ok)
{
    if (!ok) abort();
}

/* The picture in b read back: its width and height (one frame), no metadata. */
static void check_picture(const buf *b, int width, int height)
{
    VipsImage *img = vips_image_new_from_buffer(b->data, b->len, "", NULL);
    check(img != NULL);
    check(vips_image_get_width(img) == width && vips_image_get_page_height(img) == height);
    gchar **fields = vips_image_get_fields(img);
    for (int i = 0; fields[i]; i++)
        check(strncmp(fields[i], "exif-", 5) && strcmp(fields[i], "xmp-data") &&
              strcmp(fields[i], "iptc-data") && strcmp(fields[i], "icc-profile-data") &&
              !strstr(fields[i], "comment"));
    g_strfreev(fields);
    g_object_unref(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        if (pictures_init("fuzz_upload")) abort();
        started = true;
    }
    const upload_limits limits = {64 << 10, 64 << 10, 1 << 20};
    upload u;
    int rc = upload_process(data, size, &limits, &u);
    check(rc == PL_OK || rc == PL_ELIMIT || rc == PL_EINVAL);
    if (rc != PL_OK) {
        check(u.error[0] && !u.file.len && !u.preview.len);
        upload_free(&u);
        return 0;
    }
    check(!u.error[0]);
    if (u.type.kind != FILETYPE_IMAGE) {
        check(!u.file.len && !u.preview.len && !u.blurhash[0] && !u.preview_mime[0]);
        check(u.type.kind != FILETYPE_GIFV);
        if (strstr(u.type.detected, "html") || strstr(u.type.detected, "xml") ||
            strstr(u.type.detected, "svg") || strstr(u.type.detected, "javascript"))
            check(u.type.is_download && !strcmp(u.type.mime, "text/plain"));
        upload_free(&u);
        return 0;
    }
    check(u.original.width >= 1 && u.original.width <= UPLOAD_MAX_WIDTH);
    check(u.original.height >= 1 && u.original.height <= UPLOAD_MAX_HEIGHT);
    check(u.small.width >= 1 && u.small.width <= UPLOAD_PREVIEW_WIDTH);
    check(u.small.height >= 1 && u.small.height <= UPLOAD_PREVIEW_HEIGHT);
    check((int64_t)u.original.width * u.original.height * u.frames <= limits.max_pixels);
    check(strlen(u.blurhash) == 36);
    check_picture(&u.file, u.original.width, u.original.height);
    check_picture(&u.preview, u.small.width, u.small.height);
    upload_free(&u);
    return 0;
}
