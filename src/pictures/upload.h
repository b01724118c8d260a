/**
 * upload.h — what an uploaded file becomes before it is stored: its type decided from its
 * bytes (filetype.h), and for a picture the picture to keep, a preview, their sizes and a
 * BlurHash — everything of Mastodon's MediaAttachment that comes from the file itself.
 *
 * The caller (POST /api/v2/media) passes the bytes it received and the limits from the
 * settings (media_picture_max_bytes, media_file_max_bytes, media_max_pixels), and stores:
 * - for a picture (type.kind FILETYPE_IMAGE): `file` (never the bytes sent: those may carry
 *   GPS coordinates), served as type.mime, and `preview`, served as preview_mime;
 * - for anything else: the bytes as sent, served as type.mime (a download if is_download).
 * What a picture goes through:
 * - the type first, then the header: the pixel count (width × height × frames of an animation)
 *   is checked against max_pixels before a single pixel is decoded — a 100-byte PNG that
 *   declares 50000×50000 is refused at once (a decompression bomb);
 * - its EXIF orientation applied; scaled down to fit 3840×2160 (Mastodon's limit; never up);
 * - every metadata block dropped (EXIF with its GPS, XMP, IPTC, ICC profiles, comments): the
 *   picture is always encoded again, never copied;
 * - kept in its format (JPEG, PNG, WebP, GIF — an animated GIF or WebP stays animated), except
 *   HEIC/HEIF and AVIF, which few apps show: those become JPEG (PNG if transparent);
 * - a preview that fits 640×360 (the first frame; JPEG, or PNG if transparent), and the
 *   BlurHash (4×4 components, as Mastodon) of the preview exactly as stored (decoded again),
 *   so anyone can recompute it from what is served.
 * Cost: libvips streams the input (sequential access) and holds the kept picture once: a
 * 12-megapixel JPEG takes about 0.3 s of one core and 30–45 MB (BENCHMARKS.md, "Pictures").
 * Never call it on an event loop. Thread-safe after pictures_init().
 */
#ifndef PL_UPLOAD_H
#define PL_UPLOAD_H

#include <stdint.h>

#include "pictures/blurhash.h"
#include "pictures/filetype.h"
#include "util/buf.h"

/** The largest picture kept, and the largest preview (Mastodon's sizes). */
enum {
    UPLOAD_MAX_WIDTH = 3840,
    UPLOAD_MAX_HEIGHT = 2160,
    UPLOAD_PREVIEW_WIDTH = 640,
    UPLOAD_PREVIEW_HEIGHT = 360,
};

/** The limits, from the settings of the same names (config.h). */
typedef struct upload_limits {
    size_t picture_max_bytes; /**< media_picture_max_bytes: a picture as sent */
    size_t file_max_bytes;    /**< media_file_max_bytes: any other file as sent */
    int64_t max_pixels;       /**< media_max_pixels: width × height (× frames), from the header */
} upload_limits;

/** One of Mastodon's `meta.original` / `meta.small`: `size` is "WxH", aspect width/height. */
typedef struct upload_size {
    int width, height;
    double aspect;
} upload_size;

typedef struct upload {
    filetype type;               /**< kind, and the MIME type to serve the stored file with */
    buf file;                    /**< a picture: what to store; otherwise empty (store as sent) */
    buf preview;                 /**< a picture: its preview; otherwise empty */
    char preview_mime[16];       /**< "image/jpeg" or "image/png"; "" when no preview */
    upload_size original;        /**< a picture: the stored picture's size (one frame); else 0 */
    upload_size small;           /**< a picture: the preview's size; else 0 */
    int frames;                  /**< a picture: 1, or the frames of an animation kept; else 0 */
    char blurhash[BLURHASH_MAX]; /**< a picture: the preview's BlurHash; else "" */
    char error[160];             /**< on failure: what was wrong, in English, for the client */
} upload;

/**
 * Types and (for a picture) processes the len bytes at data, filling *out, which the caller
 * releases with upload_free() whatever the result. Returns:
 * - PL_OK;
 * - PL_ELIMIT: more bytes than the limit of the file's type (HTTP 413);
 * - PL_EINVAL: empty, a picture that cannot be read (damaged, truncated, or not what its
 *   signature says), or more pixels than max_pixels (HTTP 422);
 * - PL_EINTERNAL: libmagic or libvips failed for another reason (logged).
 * On every error out->error says why and nothing in *out is meant to be stored.
 */
int upload_process(const void *data, size_t len, const upload_limits *limits, upload *out);

/**
 * A profile picture (an avatar or a header): the len bytes at data, which must be a PNG, GIF,
 * JPEG or WebP, filled and cut from the middle to exactly width×height (enlarged if smaller),
 * upright, in sRGB, stripped of every metadata block. JPEG, PNG and WebP keep their format; a
 * GIF (animated or not) becomes a PNG of its first frame. Only out->type.mime, out->file and
 * out->original are filled. Returns PL_OK; PL_ELIMIT beyond limits->picture_max_bytes;
 * PL_EINVAL for an empty file, another type, a damaged picture or more pixels than
 * limits->max_pixels (file_max_bytes is not used); PL_EINTERNAL as upload_process.
 */
int upload_cover(const void *data, size_t len, const upload_limits *limits, int width, int height,
                 upload *out);

/** Releases what upload_process() filled; *u may be reused. */
void upload_free(upload *u);

#endif
