/*
 * exports.c — a person's archive and the administrators' compliance exports (issue 14;
 * docs/api.md "Archives and exports"). Mastodon has no API for its archive (it is a page of
 * its web settings), so these are partyline's own:
 *
 *   POST /api/v1/partyline/archives                  ask for one's archive: 202 and its row
 *   GET  /api/v1/partyline/archives                  one's archives, newest first
 *   GET  /api/v1/partyline/archives/:id/download     the zip, to its owner only (a token, or
 *                                                    the signed url the list gives)
 *   POST /api/v1/partyline/admin/exports             a compliance export: 202 and its row
 *   GET  /api/v1/partyline/admin/exports[/:id]       the exports, or one
 *   GET  /api/v1/partyline/admin/exports/:id/download
 *
 * A download runs on a worker (EXEC_SLOW: it records the download in the audit log, a write)
 * and streams the zip with api_source, a piece at a time as the client takes it, as a big
 * file is (api/mastodon/media.c). The rules are app/exports.c's; another person's archive is
 * 404, as an unknown one.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/exports.h"
#include "util/timeutil.h"

/* What reading one's archive takes: everything it holds (the list gives a signed address,
 * which downloads it without a token, so the list takes as much). */
#define ARCHIVE_READ "read:accounts read:statuses read:favourites read:bookmarks"

/* A piece of a streamed zip: two of the store's chunks (media.h: 64 KiB each). */
enum { PIECE = 128 * 1024 };

static const char *state_name(int s)
{
    switch (s) {
    case EXPORT_WAITING: return "waiting";
    case EXPORT_BUILDING: return "building";
    case EXPORT_READY: return "ready";
    case EXPORT_FAILED: return "failed";
    default: return "expired";
    }
}

static void ent_export(api_call *c, jw *w, const pl_export *x)
{
    jw_obj(w);
    jw_kid(w, "id", x->id);
    jw_kstr(w, "state", state_name(x->state));
    jw_ktime(w, "created_at", x->created_at);
    jw_ktime_or_null(w, "finished_at", x->finished_at);
    if (x->state == EXPORT_READY) {
        jw_ktime(w, "expires_at", x->expires_at);
        jw_kint(w, "size", x->size);
        if (x->kind == EXPORT_PERSONAL)
            jw_kstr(w, "url", exports_archive_url(c->app, x));
        else
            jw_kcat(w, "url", c->app->cfg->base_url, "/api/v1/partyline/admin/exports/",
                    arena_printf(c->app->a, "%lld", (long long)x->id), "/download", NULL);
    } else {
        jw_knull(w, "expires_at");
        jw_knull(w, "size");
        jw_knull(w, "url");
    }
    jw_key(w, "counts");
    jw_obj(w);
    jw_kint(w, "posts", x->posts_count);
    jw_kint(w, "direct", x->direct_count);
    jw_kint(w, "files", x->files_count);
    jw_obj_end(w);
    jw_kstr(w, "error", x->state == EXPORT_FAILED ? x->error : NULL);
    if (x->kind == EXPORT_COMPLIANCE) {
        jw_kid(w, "requested_by", x->account_id);
        jw_key(w, "query");
        jw_obj(w);
        jw_ktime(w, "since", x->since_at);
        jw_ktime(w, "until", x->until_at);
        jw_kstr(w, "usernames", exports_names(c->app, x->accounts));
        jw_kstr(w, "channels", exports_names(c->app, x->channels));
        jw_kstr(w, "words", x->words && *x->words ? x->words : NULL);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void exports_response(api_call *c, const pl_export *v, int n)
{
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_export(c, &w, &v[i]);
    jw_arr_end(&w);
}

static void export_accepted(api_call *c, const pl_export *x)
{
    jw w;
    api_json(c, &w);
    ent_export(c, &w, x);
    c->resp->status = 202;
}

/* ---------------------------------------------------------------- streaming the zip */

typedef struct zip_stream {
    int64_t file_id, offset, left;
} zip_stream;

static int zip_pull(void *ctx, app_ctx *app, buf *out)
{
    zip_stream *zs = ctx;
    int64_t n = PIECE - zs->offset % PIECE;
    if (n > zs->left) n = zs->left;
    int rc = exports_file_read(app, zs->file_id, zs->offset, n, out);
    if (rc) return rc;
    zs->offset += n;
    zs->left -= n;
    return PL_OK;
}

static void send_zip(api_call *c, const pl_export *x, const char *name)
{
    api_resp *r = c->resp;
    buf_reset(&r->body);
    api_header_add(r, "content-disposition",
                   arena_printf(c->app->a, "attachment; filename=\"%s\"", name));
    api_header_add(r, "cache-control", "private, no-store");
    api_header_add(r, "x-content-type-options", "nosniff");
    zip_stream *zs = arena_alloc(c->app->a, sizeof *zs);
    *zs = (zip_stream){.file_id = x->file_id, .left = x->size};
    if (x->size > 0) r->source = (api_source){.pull = zip_pull, .ctx = zs, .length = x->size};
    r->content_type = "application/zip";
    r->status = 200;
}

static const char *zip_name(api_call *c, const char *what, const pl_export *x)
{
    char t[40];
    time_iso8601(x->created_at, t, sizeof t);
    return arena_printf(c->app->a, "%s-%.10s-%lld.zip", what, t, (long long)x->id);
}

/* ---------------------------------------------------------------- a person's archive */

static void archive_request(api_call *c)
{
    pl_export x;
    if (failed(c, exports_request_archive(c->app, c->viewer->id, &x))) return;
    export_accepted(c, &x);
}

static void archive_index(api_call *c)
{
    pl_export *v;
    int n;
    if (failed(c, exports_archives(c->app, c->viewer->id, &v, &n))) return;
    exports_response(c, v, n);
}

static void archive_download(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_export x;
    int rc = exports_open_download(c->app, EXPORT_PERSONAL, id, viewer_id(c), p_str(c, "x"),
                                   p_str(c, "s"), &x);
    if (failed(c, rc)) return;
    send_zip(c, &x, zip_name(c, "archive", &x));
}

/* ---------------------------------------------------------------- compliance exports */

/* The strings of array parameter name (at most max + 1 are read: the app says "at most"). */
static const char *const *names_param(api_call *c, const char *name, int max, int *n)
{
    json_t *arr = p_arr(c, name);
    *n = 0;
    size_t len = arr ? json_array_size(arr) : 0;
    if (len > (size_t)max + 1) len = (size_t)max + 1;
    const char **v = arena_alloc(c->app->a, sizeof *v * (len ? len : 1));
    for (size_t i = 0; i < len; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        if (s && *s) v[(*n)++] = s;
    }
    return v;
}

static void admin_export_create(api_call *c)
{
    exports_query q = {.words = p_str(c, "words")};
    if (!p_time(c, "since", "since", &q.since_at) || !p_time(c, "until", "until", &q.until_at))
        return;
    q.usernames = names_param(c, "usernames", 50, &q.n_usernames);
    q.channels = names_param(c, "channels", 50, &q.n_channels);
    pl_export x;
    if (failed(c, exports_request_compliance(c->app, c->viewer->id, &q, &x))) return;
    export_accepted(c, &x);
}

static void admin_export_index(api_call *c)
{
    pl_export *v;
    int n;
    if (failed(c, exports_compliance_list(c->app, c->viewer->id, &v, &n))) return;
    exports_response(c, v, n);
}

static void admin_export_show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_export x;
    if (failed(c, exports_compliance_get(c->app, c->viewer->id, id, &x))) return;
    jw w;
    api_json(c, &w);
    ent_export(c, &w, &x);
}

static void admin_export_download(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_export x;
    int rc = exports_open_download(c->app, EXPORT_COMPLIANCE, id, c->viewer->id, NULL, NULL, &x);
    if (failed(c, rc)) return;
    send_zip(c, &x, zip_name(c, "compliance-export", &x));
}

const api_route api_routes_exports[] = {
    {M_POST, "/api/v1/partyline/archives", archive_request, EXEC_WRITE, AUTH_USER,
     "write:accounts"},
    {M_GET, "/api/v1/partyline/archives", archive_index, EXEC_READ, AUTH_USER, ARCHIVE_READ},
    {M_GET, "/api/v1/partyline/archives/:id/download", archive_download, EXEC_SLOW, AUTH_OPTIONAL,
     ARCHIVE_READ},
    {M_POST, "/api/v1/partyline/admin/exports", admin_export_create, EXEC_WRITE, AUTH_USER,
     "admin:write"},
    {M_GET, "/api/v1/partyline/admin/exports", admin_export_index, EXEC_READ, AUTH_USER,
     "admin:read"},
    {M_GET, "/api/v1/partyline/admin/exports/:id", admin_export_show, EXEC_READ, AUTH_USER,
     "admin:read"},
    {M_GET, "/api/v1/partyline/admin/exports/:id/download", admin_export_download, EXEC_SLOW,
     AUTH_USER, "admin:read"},
    {0},
};
