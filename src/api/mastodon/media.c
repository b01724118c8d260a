/*
 * media.c — Mastodon's media API (docs: methods/media, entities/MediaAttachment) and the
 * files themselves: POST /api/v2/media and /api/v1/media, GET, PUT and DELETE
 * /api/v1/media/:id, and GET /media/:key/:file (the addresses a MediaAttachment gives).
 *
 * An upload runs on a worker (EXEC_SLOW): its picture takes ~200 ms of CPU to clean
 * (app/attachments.h). It answers 200 with the url already set, so clients do not poll.
 * A file (or the one byte range asked) up to STREAM_MIN_BYTES is read whole on the event
 * loop; a larger one is streamed (api_source): the transport pulls it STREAM_PIECE bytes at a
 * time on a read worker, each piece only once the client took the last, so serving a big
 * file holds a piece in memory, not the file. Who may fetch it is app/attachments.c's
 * decision alone; a refusal is 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/attachments.h"

/* A range larger than this is streamed, not read whole; a piece is two of the store's chunks
 * (media.h: MEDIA_CHUNK_SIZE), read from a chunk boundary on, so no chunk is decrypted twice. */
enum { STREAM_MIN_BYTES = 1 << 20, STREAM_PIECE = 128 * 1024 };

/* What a streamed file still has to send. In the request's arena: it lives as long. */
typedef struct file_stream {
    int64_t file_id, offset, left;
} file_stream;

static int file_pull(void *ctx, app_ctx *app, buf *out)
{
    file_stream *fs = ctx;
    /* up to the end of the piece's chunk pair, so that the next piece starts on a boundary */
    int64_t n = STREAM_PIECE - fs->offset % STREAM_PIECE;
    if (n > fs->left) n = fs->left;
    int rc = attachments_file_read(app, fs->file_id, fs->offset, n, out);
    if (rc) return rc;
    fs->offset += n;
    fs->left -= n;
    return PL_OK;
}

static void attachment_response(api_call *c, const pl_attachment *m)
{
    jw w;
    api_json(c, &w);
    ent_attachment(c, &w, m, c->viewer->id);
}

static void upload(api_call *c)
{
    const api_file *f = p_file(c, "file");
    if (!f) {
        api_error(c, 422,
                  "Validation failed: File can't be blank (send it as the multipart "
                  "part \"file\")");
        return;
    }
    const char *description = p_str(c, "description"), *focus = p_str(c, "focus");
    attachments_new n = {
        .data = f->data,
        .len = f->len,
        .filename = f->filename,
        .description = description,
        .focus = focus && *focus ? focus : NULL,
    };
    pl_attachment m;
    int rc = attachments_upload(c->app, c->viewer->id, &n, &m);
    if (rc == PL_ELIMIT) { /* the file is larger than its type's limit */
        api_error(c, 413, c->app->errmsg ? c->app->errmsg : "The file is too large");
        return;
    }
    if (failed(c, rc)) return;
    attachment_response(c, &m);
}

static void media_get(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_attachment m;
    if (failed(c, attachments_get_own(c->app, c->viewer->id, id, &m))) return;
    attachment_response(c, &m);
}

static void media_update(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *focus = p_str(c, "focus");
    pl_attachment m;
    if (failed(c, attachments_describe(c->app, c->viewer->id, id, p_str(c, "description"),
                                       focus && *focus ? focus : NULL, &m)))
        return;
    attachment_response(c, &m);
}

static void media_delete(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_attachment m;
    /* the answer is the attachment as it was, as Mastodon's */
    if (failed(c, attachments_get_own(c->app, c->viewer->id, id, &m))) return;
    if (failed(c, attachments_delete_own(c->app, c->viewer->id, id))) return;
    attachment_response(c, &m);
}

/* One range of "bytes=A-B", "bytes=A-" or "bytes=-N" against size: 1 and [*from, *to] when it
 * is one satisfiable range, 0 to send everything (no Range, several ranges, or one not
 * understood: RFC 9110 lets a server ignore it), -1 when it starts past the end (416). */
static int parse_range(const char *h, int64_t size, int64_t *from, int64_t *to)
{
    if (!h || strncmp(h, "bytes=", 6) || strchr(h, ',')) return 0;
    const char *p = h + 6, *dash = strchr(p, '-');
    if (!dash) return 0;
    char *end;
    if (dash == p) { /* the last N bytes */
        long long n = strtoll(dash + 1, &end, 10);
        if (*end || end == dash + 1 || n <= 0) return n == 0 && !*end ? -1 : 0;
        *from = n >= size ? 0 : size - n;
        *to = size - 1;
        return size > 0 ? 1 : -1;
    }
    long long a = strtoll(p, &end, 10);
    if (end != dash || a < 0) return 0;
    long long b = size - 1;
    if (dash[1]) {
        b = strtoll(dash + 1, &end, 10);
        if (*end || b < a) return 0;
        if (b > size - 1) b = size - 1;
    }
    if (a >= size) return -1;
    *from = a;
    *to = b;
    return 1;
}

/* Content-Disposition's filename*, percent-encoded (RFC 8187): no quote or line can escape. */
static const char *disposition(api_call *c, const char *name)
{
    if (!name || !*name) return "attachment";
    buf b = BUF_INIT;
    buf_printf(&b, "attachment; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            buf_printf(&b, "%c", *p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    const char *out = arena_strdup(c->app->a, b.data);
    buf_free(&b);
    return out;
}

static void file(api_call *c)
{
    attachments_fetch f = {
        .url_key = c->req->params[0],
        .file = c->req->params[1],
        .has_token = c->has_token,
        .token_viewer = c->viewer ? c->viewer->id : 0,
        .v = p_str(c, "v"),
        .x = p_str(c, "x"),
        .s = p_str(c, "s"),
    };
    pl_attachment m;
    int64_t file_id, size;
    const char *mime;
    if (attachments_authorize(c->app, &f, &m, &file_id, &mime) != PL_OK ||
        attachments_file_size(c->app, file_id, &size) != PL_OK) {
        api_error(c, 404, "Record not found");
        return;
    }
    const char *etag = arena_printf(c->app->a, "\"%s-%s\"", m.url_key, f.file);
    int64_t from = 0, to = size - 1;
    int ranged = parse_range(c->req->range, size, &from, &to);
    if (ranged == 0) {
        from = 0;
        to = size - 1;
    }
    api_resp *r = c->resp;
    buf_reset(&r->body);
    api_header_add(r, "etag", etag);
    /* per viewer, and closed at once when the post is: a browser asks again each time */
    api_header_add(r, "cache-control", "private, no-cache");
    api_header_add(r, "x-content-type-options", "nosniff");
    api_header_add(r, "content-security-policy", "default-src 'none'; sandbox");
    api_header_add(r, "accept-ranges", "bytes");
    if (m.is_download && strcmp(f.file, "small"))
        api_header_add(r, "content-disposition", disposition(c, m.name));
    if (api_etag_matches(c, etag)) {
        r->status = 304;
        return;
    }
    if (ranged < 0) {
        api_error(c, 416, "The range starts past the end of the file");
        api_header_add(r, "content-range",
                       arena_printf(c->app->a, "bytes */%lld", (long long)size));
        return;
    }
    if (to - from + 1 > STREAM_MIN_BYTES) {
        file_stream *fs = arena_alloc(c->app->a, sizeof *fs);
        *fs = (file_stream){.file_id = file_id, .offset = from, .left = to - from + 1};
        r->source = (api_source){.pull = file_pull, .ctx = fs, .length = fs->left};
    } else if (size > 0 && attachments_file_read(c->app, file_id, from, to - from + 1, &r->body)) {
        api_error(c, 500, "The file could not be read");
        return;
    }
    r->content_type = mime;
    r->status = ranged > 0 ? 206 : 200;
    if (ranged > 0)
        api_header_add(r, "content-range",
                       arena_printf(c->app->a, "bytes %lld-%lld/%lld", (long long)from,
                                    (long long)to, (long long)size));
}

const api_route api_routes_media[] = {
    {M_POST, "/api/v2/media", upload, EXEC_SLOW, AUTH_USER, "write:media"},
    {M_POST, "/api/v1/media", upload, EXEC_SLOW, AUTH_USER, "write:media"},
    {M_GET, "/api/v1/media/:id", media_get, EXEC_READ, AUTH_USER, "write:media"},
    {M_PUT, "/api/v1/media/:id", media_update, EXEC_WRITE, AUTH_USER, "write:media"},
    {M_DELETE, "/api/v1/media/:id", media_delete, EXEC_SLOW, AUTH_USER, "write:media"},
    {M_GET, "/media/:key/:file", file, EXEC_READ, AUTH_OPTIONAL, SCOPE_NONE},
    {0},
};

bool api_route_takes_file(const api_route *r)
{
    return r == &api_routes_media[0] || r == &api_routes_media[1];
}

bool api_route_takes_pictures(const api_route *r)
{
    return r && r->method == M_PATCH &&
           (!strcmp(r->pattern, "/api/v1/accounts/update_credentials") ||
            !strcmp(r->pattern, "/api/v1/partyline/channels/:id"));
}
