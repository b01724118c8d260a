/*
 * zipout.c — a zip archive written as a stream through libarchive (archive/zipout.h).
 *
 * libarchive is opened on callbacks (archive_write_open2) with no blocking of its own
 * (bytes_per_block 0), so every piece it makes goes straight to the caller's sink: the writer
 * holds libarchive's deflate buffer and its central directory, never the archive. The entry's
 * SHA-256 is taken here, on the bytes given, because libarchive hashes nothing but CRC-32.
 *
 * A sink's failure is kept (sink_rc) and returned instead of libarchive's generic error, so
 * that a full disk reaches the caller as PL_ENOSPACE. This is the only file that includes
 * libarchive (scripts/check-layers holds it).
 */
#include "archive/zipout.h"

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

struct zipout {
    struct archive *a;
    zipout_sink sink;
    void *ctx;
    int sink_rc;       /* the sink's last failure, PL_OK if none */
    bool in_entry;     /* an entry is begun and not ended */
    bool broken;       /* a failure happened, or closed: only zipout_free is left */
    bool closed;       /* zipout_close finished the archive */
    bool discarding;   /* being freed unfinished: bytes go nowhere */
    int64_t announced; /* the entry's announced size, -1: unknown */
    int64_t written;   /* the entry's bytes so far */
    int64_t bytes;     /* the archive's bytes handed to the sink */
    int64_t entries;
    crypto_hash_sha256_state sha;
    char err[256];
};

static la_ssize_t on_write(struct archive *a, void *ctx, const void *data, size_t len)
{
    (void)a;
    zipout *z = ctx;
    if (z->discarding) return (la_ssize_t)len;
    int rc = z->sink(z->ctx, data, len);
    if (rc != PL_OK) {
        z->sink_rc = rc;
        return -1;
    }
    z->bytes += (int64_t)len;
    return (la_ssize_t)len;
}

/* A failure of libarchive's: the sink's code if the sink failed, else PL_EINTERNAL. */
static int failed(zipout *z)
{
    z->broken = true;
    if (z->sink_rc != PL_OK) {
        snprintf(z->err, sizeof z->err, "the archive's bytes could not be stored (%d)", z->sink_rc);
        return z->sink_rc;
    }
    const char *msg = archive_error_string(z->a);
    snprintf(z->err, sizeof z->err, "%s", msg ? msg : "libarchive failed");
    return PL_EINTERNAL;
}

static int misuse(zipout *z, const char *why)
{
    z->broken = true;
    snprintf(z->err, sizeof z->err, "%s", why);
    return PL_EINVAL;
}

int zipout_open(zipout_sink sink, void *ctx, zipout **out)
{
    *out = NULL;
    zipout *z = calloc(1, sizeof *z);
    if (!z) return PL_ENOMEM;
    z->sink = sink;
    z->ctx = ctx;
    z->a = archive_write_new();
    if (!z->a) {
        free(z);
        return PL_ENOMEM;
    }
    if (archive_write_set_format_zip(z->a) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(z->a, 0) != ARCHIVE_OK ||
        archive_write_open2(z->a, z, NULL, on_write, NULL, NULL) != ARCHIVE_OK) {
        int rc = failed(z);
        zipout_free(z);
        return rc;
    }
    *out = z;
    return PL_OK;
}

/* A relative path of plain segments: no "", ".", ".." segment, no leading '/', no NUL. */
static bool path_ok(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > 1024 || p[0] == '/') return false;
    const char *seg = p;
    for (const char *q = p;; q++) {
        if (*q == '/' || !*q) {
            size_t len = (size_t)(q - seg);
            if (len == 0 || (len == 1 && seg[0] == '.') ||
                (len == 2 && seg[0] == '.' && seg[1] == '.'))
                return false;
            if (!*q) return true;
            seg = q + 1;
        } else if (*q == '\\' || (unsigned char)*q < 0x20) {
            return false;
        }
    }
}

int zipout_entry_begin(zipout *z, const char *path, int64_t mtime_ms, int64_t size,
                       enum zipout_method method)
{
    if (z->broken) return PL_EINVAL;
    if (z->in_entry) return misuse(z, "an entry began inside another");
    if (!path || !path_ok(path)) return misuse(z, "an entry's path must be relative and plain");
    struct archive_entry *e = archive_entry_new();
    if (!e) return PL_ENOMEM;
    archive_entry_set_pathname_utf8(e, path);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t)(mtime_ms / 1000), (long)(mtime_ms % 1000) * 1000000);
    if (size >= 0) archive_entry_set_size(e, size);
    int r = method == ZIPOUT_STORE ? archive_write_zip_set_compression_store(z->a)
                                   : archive_write_zip_set_compression_deflate(z->a);
    if (r == ARCHIVE_OK) r = archive_write_header(z->a, e);
    archive_entry_free(e);
    if (r != ARCHIVE_OK) return failed(z);
    z->in_entry = true;
    z->announced = size;
    z->written = 0;
    z->entries++;
    crypto_hash_sha256_init(&z->sha);
    return PL_OK;
}

int zipout_entry_write(zipout *z, const void *data, size_t len)
{
    if (z->broken) return PL_EINVAL;
    if (!z->in_entry) return misuse(z, "bytes written outside an entry");
    if (len == 0) return PL_OK;
    if (z->announced >= 0 && z->written + (int64_t)len > z->announced)
        return misuse(z, "more bytes than the entry's announced size");
    crypto_hash_sha256_update(&z->sha, data, len);
    const char *p = data;
    while (len > 0) { /* libarchive may take less than it is given */
        la_ssize_t n = archive_write_data(z->a, p, len);
        if (n <= 0) return failed(z);
        p += n;
        len -= (size_t)n;
        z->written += n;
    }
    return PL_OK;
}

int zipout_entry_end(zipout *z, char sha256_hex[65], int64_t *len)
{
    if (z->broken) return PL_EINVAL;
    if (!z->in_entry) return misuse(z, "an entry ended that had not begun");
    if (z->announced >= 0 && z->written != z->announced)
        return misuse(z, "fewer bytes than the entry's announced size");
    if (archive_write_finish_entry(z->a) != ARCHIVE_OK) return failed(z);
    z->in_entry = false;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&z->sha, h);
    if (sha256_hex) sodium_bin2hex(sha256_hex, 65, h, sizeof h);
    if (len) *len = z->written;
    return PL_OK;
}

int zipout_add(zipout *z, const char *path, int64_t mtime_ms, const void *data, size_t len,
               char sha256_hex[65])
{
    int rc = zipout_entry_begin(z, path, mtime_ms, (int64_t)len, ZIPOUT_DEFLATE);
    if (rc == PL_OK) rc = zipout_entry_write(z, data, len);
    if (rc == PL_OK) rc = zipout_entry_end(z, sha256_hex, NULL);
    return rc;
}

int zipout_close(zipout *z)
{
    if (z->broken) return PL_EINVAL;
    if (z->in_entry) return misuse(z, "the archive closed inside an entry");
    if (archive_write_close(z->a) != ARCHIVE_OK) return failed(z);
    z->broken = z->closed = true; /* nothing more can be written */
    return PL_OK;
}

int64_t zipout_bytes(const zipout *z)
{
    return z->bytes;
}

int64_t zipout_entries(const zipout *z)
{
    return z->entries;
}

const char *zipout_error(const zipout *z)
{
    return z->err;
}

void zipout_free(zipout *z)
{
    if (!z) return;
    /* An archive not closed is abandoned: its end is written to nowhere (the sink has what it
     * had). archive_write_fail would skip that, but libarchive 3.6's zip writer then leaks a
     * small allocation per archive (the sanitized unit tests saw it). */
    if (!z->closed) {
        z->discarding = true;
        archive_write_close(z->a);
    }
    archive_write_free(z->a);
    free(z);
}
