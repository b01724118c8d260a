/**
 * blurhash.h — the BlurHash of a picture: a string of 6 to 166 characters that apps draw as a
 * blurred placeholder before the picture arrives (Mastodon's `MediaAttachment.blurhash`).
 *
 * Written from the algorithm's published description (github.com/woltapp/blurhash,
 * Algorithm.md) and checked in tests/unit/test_pictures_blurhash.c against Debian's
 * python3-blurhash, which wraps the reference encoder. Pure C, no libvips: it reads pixels.
 */
#ifndef PL_BLURHASH_H
#define PL_BLURHASH_H

#include <stddef.h>
#include <stdint.h>

/** The longest hash: size, maximum, DC (4) and 80 AC components of 2 characters, plus NUL. */
enum { BLURHASH_MAX = 1 + 1 + 4 + 2 * (9 * 9 - 1) + 1 };

/**
 * The BlurHash of a width×height picture of 8-bit sRGB pixels (3 bytes each, rows stride bytes
 * apart), with x_components × y_components cosine components (1..9 each; Mastodon uses 4×4),
 * written NUL-terminated into out. Costs width×height×(x+y) multiplications (the cosines are
 * tabled per row and column): a 640×360 preview takes a few milliseconds.
 * Returns 0, or -1 if an argument is out of range (out is then "").
 */
int blurhash_encode(const uint8_t *rgb, int width, int height, size_t stride, int x_components,
                    int y_components, char out[BLURHASH_MAX]);

#endif
