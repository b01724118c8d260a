/*
 * timelines.c — /api/v1/timelines/home, /public, /tag/:hashtag, /list/:list_id.
 * docs.joinmastodon.org/methods/timelines
 */
#include <string.h>

#include "api/handlers.h"
#include "app/feeds.h"
#include "util/text.h"

static void home(api_call *c)
{
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    if (failed(c, feeds_home(c->app, c->viewer->id, &p, &l))) return;
    statuses_page(c, &l, &p);
}

static void public_(api_call *c)
{
    if (!may_read(c)) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l = {0};
    /* one company, one server: there is no remote timeline */
    if (p_bool(c, "remote", 0) != 1 && p_bool(c, "only_media", 0) != 1 &&
        failed(c, feeds_public(c->app, viewer_id(c), &p, &l)))
        return;
    statuses_page(c, &l, &p);
}

static void tag(api_call *c)
{
    if (!may_read(c)) return;
    char name[128];
    const char *raw = c->req->params[0];
    if (text_tag_normalize(raw, strlen(raw), name, sizeof name) <= 0) {
        api_error(c, 404, "Record not found");
        return;
    }
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l = {0};
    if (p_bool(c, "remote", 0) != 1 && p_bool(c, "only_media", 0) != 1 &&
        failed(c, feeds_tag(c->app, viewer_id(c), name, &p, &l)))
        return;
    statuses_page(c, &l, &p);
}

static void list(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    if (failed(c, feeds_list(c->app, c->viewer->id, id, &p, &l))) return;
    statuses_page(c, &l, &p);
}

const api_route api_routes_timelines[] = {
    {M_GET, "/api/v1/timelines/home", home, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/timelines/public", public_, EXEC_READ, AUTH_OPTIONAL, "read:statuses"},
    {M_GET, "/api/v1/timelines/tag/:hashtag", tag, EXEC_READ, AUTH_OPTIONAL, "read:statuses"},
    {M_GET, "/api/v1/timelines/list/:list_id", list, EXEC_READ, AUTH_USER, "read:lists"},
    {0},
};
