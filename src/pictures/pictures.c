/*
 * pictures.c — the default pictures, drawn with libvips (DESIGN.md's pictures library, which
 * the uploads of issue 12 use too).
 *
 * An avatar is three operations: the text drawn as an 8-bit mask (vips_text, through Pango
 * and fontconfig, in the family pictures.h names; Pango falls back to another font for a
 * letter that family lacks), placed in the middle of the square, and used to blend white
 * over the background colour; then PNG. libvips builds a pipeline and runs it at the save,
 * so no intermediate picture is held whole. Its operation cache is off: each drawing is new,
 * and a cache would only hold memory.
 *
 * It must never be called on an event loop: see pictures.h for the cost.
 */
#include "pictures/pictures.h"

#include <vips/vips.h>

#include "util/log.h"

int pictures_init(const char *argv0)
{
    if (VIPS_INIT(argv0 ? argv0 : "partyline")) {
        log_error("event=pictures_init_failed msg=\"%s\"", vips_error_buffer());
        vips_error_clear();
        return -1;
    }
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    return 0;
}

/* Releases the images of a drawing (NULL entries skipped). */
static void unref_all(VipsImage **v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i]) g_object_unref(v[i]);
}

/* A width×height image of one colour (3 bands, 8 bits), in *out. */
static int solid(const uint8_t rgb[3], int width, int height, VipsImage **out)
{
    VipsImage *black = NULL;
    if (vips_black(&black, width, height, "bands", 3, NULL)) return -1;
    double a[3] = {1, 1, 1}, b[3] = {rgb[0], rgb[1], rgb[2]};
    int rc = vips_linear(black, out, a, b, 3, "uchar", TRUE, NULL);
    g_object_unref(black);
    return rc;
}

static int save_png(VipsImage *img, buf *out)
{
    void *png = NULL;
    size_t len = 0;
    if (vips_pngsave_buffer(img, &png, &len, "compression", 9, "strip", TRUE, NULL)) return -1;
    buf_append(out, png, len);
    g_free(png);
    return 0;
}

static int fail(const char *what)
{
    log_error("event=picture_failed what=%s msg=\"%s\"", what, vips_error_buffer());
    vips_error_clear();
    return -1;
}

int pictures_initials_png(const char *text, const uint8_t rgb[3], int size, buf *out)
{
    enum { MASK, PLACED, BG, FG, RESULT, N };
    VipsImage *v[N] = {0};
    char font[64];
    /* at 72 dpi a point is a pixel: capitals about 40% of the square's height */
    snprintf(font, sizeof font, "%s %d", PICTURES_FONT, size * 2 / 5);
    int rc = -1;
    /* by family through fontconfig, not "fontfile": libvips 8.14 keeps the file name of the
     * first call in a table after freeing it (a use after free on the next call) */
    if (vips_text(&v[MASK], text, "font", font, "dpi", 72, NULL)) goto done;
    int w = vips_image_get_width(v[MASK]), h = vips_image_get_height(v[MASK]);
    if (w > size || h > size) {
        vips_error("pictures", "the text is larger than the picture");
        goto done;
    }
    if (vips_embed(v[MASK], &v[PLACED], (size - w) / 2, (size - h) / 2, size, size, NULL) ||
        solid(rgb, size, size, &v[BG]) || solid((uint8_t[]){255, 255, 255}, size, size, &v[FG]))
        goto done;
    /* the mask's grey levels blend the antialiased edges */
    if (vips_ifthenelse(v[PLACED], v[FG], v[BG], &v[RESULT], "blend", TRUE, NULL)) goto done;
    rc = save_png(v[RESULT], out);
done:
    unref_all(v, N);
    return rc ? fail("initials") : 0;
}

int pictures_plain_png(const uint8_t rgb[3], int width, int height, buf *out)
{
    VipsImage *img = NULL;
    int rc = solid(rgb, width, height, &img) || save_png(img, out) ? -1 : 0;
    if (img) g_object_unref(img);
    return rc ? fail("plain") : 0;
}
