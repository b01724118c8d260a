/**
 * archive/zipout.h — a zip archive written as a stream, with libarchive: the personal archive
 * and the compliance export (app/exports.c) are made with it.
 *
 * A small library with no knowledge of the server: it takes entries (a path, a time, bytes
 * given in pieces) and hands the archive's bytes, as they are made, to a sink the caller
 * gives (the encrypted file store, a file, memory in the tests). Nothing is kept but
 * libarchive's buffers and, for the central directory zip ends with, a short record per entry:
 * memory grows with the number of entries (~100 bytes each), never with their bytes.
 *
 * Why zip and not tar: an entry written as a stream (a JSON file made page by page) does not
 * know its length when it starts; zip says it after the bytes (a data descriptor, zip64 where
 * needed), tar only before. Mastodon's archive is a zip too. Entries whose length is known may
 * say it (the files of posts), and may be stored rather than deflated (a JPEG does not shrink).
 *
 * Each entry's SHA-256 (libsodium's crypto_hash_sha256) is computed as its bytes pass, for
 * checksums files.
 *
 * Errors: PL_OK or a negative PL_E* code: the sink's own code when it failed (PL_ENOSPACE
 * stays PL_ENOSPACE), PL_EINVAL for a misuse (an empty or absolute path, an entry inside an
 * entry, more bytes than the length announced), PL_EINTERNAL for libarchive's failures (its
 * message in zipout_error). After an error the writer can only be freed.
 */
#ifndef PL_ARCHIVE_ZIPOUT_H
#define PL_ARCHIVE_ZIPOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Where the archive's bytes go, in order: PL_OK or an error that stops the writing. */
typedef int (*zipout_sink)(void *ctx, const void *data, size_t len);

typedef struct zipout zipout;

/** Starts an archive whose bytes go to sink(ctx, …). *out is the caller's (zipout_free). */
int zipout_open(zipout_sink sink, void *ctx, zipout **out);

/** How an entry's bytes are kept. */
enum zipout_method { ZIPOUT_DEFLATE = 0, ZIPOUT_STORE = 1 };

/**
 * Starts an entry: path relative, '/'-separated (no leading '/', no "..", at most 1,024
 * bytes), mtime in ms since the epoch, size its length in bytes or -1 when it is not known
 * yet (written after the bytes). The previous entry must have ended.
 */
int zipout_entry_begin(zipout *z, const char *path, int64_t mtime_ms, int64_t size,
                       enum zipout_method method);
/** Adds len bytes to the entry (any piece size). */
int zipout_entry_write(zipout *z, const void *data, size_t len);
/** Ends the entry; when size was announced, exactly that many bytes must have been written.
 *  sha256_hex (may be NULL) receives the entry's SHA-256 as 64 hex digits and a NUL; *len (may
 *  be NULL) its length. */
int zipout_entry_end(zipout *z, char sha256_hex[65], int64_t *len);

/** A whole entry at once (zipout_entry_begin, _write, _end). */
int zipout_add(zipout *z, const char *path, int64_t mtime_ms, const void *data, size_t len,
               char sha256_hex[65]);

/** Writes the central directory and the archive's end; the sink then has every byte. */
int zipout_close(zipout *z);

/** The archive's bytes handed to the sink so far. */
int64_t zipout_bytes(const zipout *z);
/** The entries begun so far. */
int64_t zipout_entries(const zipout *z);
/** What failed last, in words ("" if nothing). Valid until the next call. */
const char *zipout_error(const zipout *z);

/** Frees the writer (an archive not closed is abandoned: the sink has a partial archive). */
void zipout_free(zipout *z);

#endif
