/*
 * filetype.c — an upload's type from its bytes, through libmagic (the `file` command's
 * library and database, Debian's libmagic-mgc).
 *
 * Allow lists, not deny lists: a picture is one of five formats by name, video and audio are
 * their MIME families, and anything else — including whatever libmagic learns to name
 * tomorrow — is a download. Active content (HTML, SVG, XML, script) is renamed text/plain
 * so that even a client that ignores Content-Disposition shows its source instead of running
 * it. It never trusts the client's file name or Content-Type, and never decodes anything:
 * it reads the bytes' signatures only.
 */
#include "pictures/filetype.h"

#include <magic.h>
#include <stdio.h>
#include <string.h>

/* libmagic reads at most this much of a buffer: signatures sit at the start */
enum { MAGIC_READ_MAX = 1 << 20 };

/* The pictures libvips reads here (upload.c decodes only these). */
static const char *const picture_types[] = {
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif", "image/avif",
};

/* Substrings of types a browser would run or render as a document. */
static const char *const active_types[] = {"html", "xml", "svg", "javascript", "ecmascript"};

const char *filetype_kind_name(enum filetype_kind kind)
{
    switch (kind) {
    case FILETYPE_IMAGE: return "image";
    case FILETYPE_GIFV: return "gifv";
    case FILETYPE_VIDEO: return "video";
    case FILETYPE_AUDIO: return "audio";
    case FILETYPE_UNKNOWN: break;
    }
    return "unknown";
}

static bool is_picture(const char *mime)
{
    for (size_t i = 0; i < sizeof picture_types / sizeof picture_types[0]; i++)
        if (!strcmp(mime, picture_types[i])) return true;
    return false;
}

static bool is_active(const char *mime)
{
    for (size_t i = 0; i < sizeof active_types / sizeof active_types[0]; i++)
        if (strstr(mime, active_types[i])) return true;
    return false;
}

static void classify(const char *detected, filetype *out)
{
    snprintf(out->detected, sizeof out->detected, "%s", detected);
    snprintf(out->mime, sizeof out->mime, "%s", detected);
    out->is_download = false;
    if (is_picture(detected)) {
        out->kind = FILETYPE_IMAGE;
    } else if (!strncmp(detected, "video/", 6) && !is_active(detected)) {
        out->kind = FILETYPE_VIDEO;
    } else if (!strncmp(detected, "audio/", 6) && !is_active(detected)) {
        out->kind = FILETYPE_AUDIO;
    } else {
        out->kind = FILETYPE_UNKNOWN;
        out->is_download = true;
        if (is_active(detected)) snprintf(out->mime, sizeof out->mime, "text/plain");
    }
}

int filetype_detect(const void *data, size_t len, filetype *out)
{
    classify("application/octet-stream", out);
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (!m) return -1;
    int rc = -1;
    if (magic_load(m, NULL) == 0) {
        const char *t = magic_buffer(m, data, len < MAGIC_READ_MAX ? len : MAGIC_READ_MAX);
        if (t) {
            classify(t, out);
            rc = 0;
        }
    }
    magic_close(m);
    return rc;
}
