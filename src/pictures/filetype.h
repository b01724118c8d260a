/**
 * filetype.h — what an uploaded file is, decided from its bytes (libmagic), never from the
 * name or the Content-Type the client sent.
 *
 * The answer is one of Mastodon's attachment types and the MIME type to serve the file with:
 * - image: JPEG, PNG, WebP, GIF (animated too), HEIC/HEIF and AVIF — the pictures libvips reads
 *   here; upload.h turns them into a stored picture and a preview.
 * - video (any video/ type) and audio (any audio/ type): stored and served as sent, inline.
 * - unknown: everything else (PDF, office files, archives, text): always served as a download
 *   (Content-Disposition: attachment). Active content a browser would run — HTML, SVG, XML,
 *   JavaScript — is unknown too, and served as text/plain, never with its own type.
 * gifv is never decided here: in Mastodon it is a video file (MP4) that apps play muted in a
 * loop with a video player, which cannot play a GIF; no upload is converted to video yet, so
 * an animated GIF stays a GIF, typed `image`, which apps show (and animate) as a picture.
 */
#ifndef PL_FILETYPE_H
#define PL_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

/** Mastodon's MediaAttachment types. */
enum filetype_kind {
    FILETYPE_IMAGE,
    FILETYPE_GIFV,
    FILETYPE_VIDEO,
    FILETYPE_AUDIO,
    FILETYPE_UNKNOWN,
};

/** The longest MIME type kept (libmagic's are far shorter), with its NUL. */
enum { FILETYPE_MIME_MAX = 80 };

typedef struct filetype {
    enum filetype_kind kind;
    char detected[FILETYPE_MIME_MAX]; /**< what libmagic says the bytes are, for logs */
    char mime[FILETYPE_MIME_MAX];     /**< the Content-Type to serve the file with */
    bool is_download;                 /**< served as an attachment, never shown inline */
} filetype;

/** The API name of a kind: "image", "gifv", "video", "audio" or "unknown". */
const char *filetype_kind_name(enum filetype_kind kind);

/**
 * Decides what the len bytes at data are (libmagic reads at most the first megabyte). Opens
 * libmagic's database each time (about a millisecond: uploads are rare next to their
 * processing), so it holds no state and any thread may call it.
 * Returns 0, or -1 if libmagic cannot start (out is then unknown, application/octet-stream,
 * a download: a file that cannot be typed is never shown inline).
 */
int filetype_detect(const void *data, size_t len, filetype *out);

#endif
