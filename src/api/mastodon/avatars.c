/*
 * avatars.c — the pictures accounts point to: GET /avatars/:id/:version.png and
 * /headers/:id/:version.png, and uploaded ones (.png, .jpg or .webp) at the same kind of
 * address (the rules and the cache are app/avatars.c).
 *
 * Public, like Mastodon's media: an <img> sends no token, so a picture is for whoever has its
 * address; a missing or disabled account's are 404 with a JSON error. Served inline on the
 * event loop from the cache; a picture not drawn yet goes to a worker (api_to_worker), which
 * draws it once for every loop. The address changes with the picture, so apps may keep it for
 * a year (immutable).
 */
#include <string.h>

#include "api/handlers.h"
#include "app/avatars.h"

static void picture(api_call *c, enum avatar_kind kind)
{
    int64_t id = path_id(c, 0);
    const char *file = c->req->params[1];
    const char *dot = strrchr(file, '.');
    if (!id || !dot || dot == file) {
        api_error(c, 404, "Record not found");
        return;
    }
    const char *version = arena_printf(c->app->a, "%.*s", (int)(dot - file), file);
    avatar_png png;
    int rc = avatars_picture(c->app, kind, id, version, dot + 1, &png);
    if (rc == PL_ESLOW) {
        api_to_worker(c);
        return;
    }
    if (failed(c, rc)) return;
    api_header_add(c->resp, "etag", arena_printf(c->app->a, "%s", png.etag));
    api_header_add(c->resp, "cache-control", "public, max-age=31536000, immutable");
    buf_reset(&c->resp->body);
    if (api_etag_matches(c, png.etag)) { /* the app has it: nothing to send */
        c->resp->status = 304;
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = png.mime;
    buf_append(&c->resp->body, png.data, png.len);
}

static void avatar(api_call *c)
{
    picture(c, AVATAR_PICTURE);
}

static void header(api_call *c)
{
    picture(c, AVATAR_HEADER);
}

const api_route api_routes_avatars[] = {
    {M_GET, "/avatars/:id/:file", avatar, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/headers/:id/:file", header, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {0},
};

bool pictures_param(api_call *c, avatars_new *pics, const avatars_new **avatar,
                    const avatars_new **header)
{
    static const char *const names[2] = {"avatar", "header"};
    const avatars_new **set[2] = {avatar, header};
    for (int k = 0; k < 2; k++) {
        *set[k] = NULL;
        const api_file *f = p_file(c, names[k]);
        if (!f) continue;
        if (failed(c, avatars_prepare(c->app, k ? AVATAR_HEADER : AVATAR_PICTURE, f->data, f->len,
                                      &pics[k])))
            return false;
        *set[k] = &pics[k];
    }
    return true;
}
