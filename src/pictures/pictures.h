/**
 * pictures.h — pictures drawn and encoded with libvips: what partyline shows where people
 * have not uploaded one yet (a person's initials on a colour, a plain header).
 *
 * This module knows nothing of the server: it turns a few inputs into PNG bytes. Rendering
 * takes milliseconds (text layout and PNG encoding: ~8 ms for a 400×400 avatar), so callers
 * must not draw on an event loop. Thread-safe after pictures_init().
 */
#ifndef PL_PICTURES_H
#define PL_PICTURES_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/** The sizes Mastodon's apps expect: a square avatar, a 3:1 header. */
enum {
    PICTURE_AVATAR_SIZE = 400,
    PICTURE_HEADER_WIDTH = 1500,
    PICTURE_HEADER_HEIGHT = 500,
};

/** The font family the initials are drawn in (Debian's fonts-dejavu-core). */
#define PICTURES_FONT "DejaVu Sans Bold"

/**
 * Starts libvips once per process (before any thread draws): one thread per drawing (the
 * pictures are small; the server's threads are the parallelism) and no operation cache.
 * Returns 0, or -1 if libvips cannot start (the process should not serve then).
 */
int pictures_init(const char *argv0);

/**
 * Draws text (UTF-8, one or two letters) in white, centred on a square of size×size pixels
 * of colour rgb, and appends the PNG to out. 0, or -1 (the reason logged) if it fails.
 */
int pictures_initials_png(const char *text, const uint8_t rgb[3], int size, buf *out);

/** A width×height PNG of one colour, appended to out. 0, or -1 (the reason logged). */
int pictures_plain_png(const uint8_t rgb[3], int width, int height, buf *out);

#endif
