/*
 * gzip.h — compressing an API answer for a client that accepts gzip (http/server.c).
 */
#ifndef PL_HTTP_GZIP_H
#define PL_HTTP_GZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/** The zlib level answers are compressed at: 6, zlib's default (see gzip.c for the cost). */
enum { HTTP_GZIP_LEVEL = 6 };

/**
 * Whether an answer of this content type (NULL: the API's JSON) and body length is
 * compressed: JSON ("application/json", also "…+json") of at least min_bytes bytes, and
 * min_bytes > 0 (0 turns compression off). Pictures and files are already compressed or
 * streamed; event streams are not answers (streaming.c).
 */
bool http_gzip_wanted(const char *content_type, size_t len, int min_bytes);

/**
 * Compresses data[0..len) into one gzip member appended to *out (which the caller owns and
 * frees). Returns false, with *out as it was, if zlib fails (out of memory): the caller then
 * sends the answer as it is.
 */
bool http_gzip(const char *data, size_t len, buf *out);

#endif
