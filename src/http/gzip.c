/*
 * gzip.c — compresses the API's JSON answers for clients that accept gzip.
 *
 * Why: a home page of 20 posts is ~40 KB of JSON, 7–8 KB gzipped; on a phone's network the
 * bytes are the first post's wait (issue 13: Fast 3G moves ~180 KB/s). The web client's
 * files are compressed once at build time (scripts/embed-web.sh); answers differ per request,
 * so they are compressed here, on the loop that sends them, just before sending.
 *
 * Why here and not in h2o's compress filter: h2o's filter compresses whatever passes it —
 * pictures, streamed files, the web client's files that are already gzip'd — and decides by
 * MIME type tables this server does not otherwise keep. Here one function says which answers:
 * JSON of at least `gzip_min_bytes` (a small answer gains less than the header costs).
 *
 * Cost: at level 6 a 40-post page (~80 KB) takes about half a millisecond of the loop, less
 * than the JSON took to write. Must never see a streamed body (api_source) or an event stream.
 */
#include "http/gzip.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

bool http_gzip_wanted(const char *content_type, size_t len, int min_bytes)
{
    if (min_bytes <= 0 || len < (size_t)min_bytes) return false;
    if (!content_type) return true; /* the API's default: application/json */
    const char *semi = strchr(content_type, ';');
    size_t n = semi ? (size_t)(semi - content_type) : strlen(content_type);
    while (n > 0 && content_type[n - 1] == ' ') n--;
    if (n == 16 && !strncmp(content_type, "application/json", 16)) return true;
    return n > 17 && !strncmp(content_type, "application/", 12) &&
           !strncmp(content_type + n - 5, "+json", 5);
}

bool http_gzip(const char *data, size_t len, buf *out)
{
    if (len > UINT_MAX / 2) return false; /* zlib counts in uInt; no answer is near this */
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip header and trailer around the deflate stream */
    if (deflateInit2(&z, HTTP_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t start = out->len;
    size_t bound = deflateBound(&z, (uLong)len);
    buf_reserve(out, bound);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data + start;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t written = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        out->data[start] = '\0';
        return false;
    }
    out->len = start + written;
    out->data[out->len] = '\0';
    return true;
}
