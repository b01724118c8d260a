/*
 * statuses.c — /api/v1/statuses/…: post, read, edit, delete, thread, and engagement.
 * docs.joinmastodon.org/methods/statuses, /methods/favourites, /methods/bookmarks
 */
#include <string.h>

#include "api/handlers.h"
#include "app/engage.h"
#include "app/feeds.h"
#include "app/posts.h"
#include "util/text.h"

/* Reads the create/edit parameters; false (and an error sent) if malformed. */
static bool read_post(api_call *c, posts_new *n)
{
    *n = (posts_new){
        .text = p_str(c, "status"),
        .spoiler_text = p_str(c, "spoiler_text"),
        .language = p_str(c, "language"),
        .idempotency_key = c->req->idempotency_key,
        .visibility = -1,
        .sensitive = p_bool(c, "sensitive", -1),
        .app_id = c->token.app_id,
    };
    if (n->sensitive == -2) {
        api_error(c, 422, "Validation failed: sensitive must be a boolean");
        return false;
    }
    if (n->language && !*n->language) n->language = NULL;
    const char *vis = p_str(c, "visibility");
    if (vis && *vis) {
        n->visibility = visibility_parse(vis);
        if (n->visibility < 0) {
            api_error(c, 422,
                      "Validation failed: Visibility must be public, unlisted, private or direct");
            return false;
        }
    }
    const char *reply = p_str(c, "in_reply_to_id");
    if (reply && *reply && !id_parse(reply, &n->in_reply_to_id)) {
        api_error(c, 404, "The post you are replying to does not exist");
        return false;
    }
    json_t *media = p_arr(c, "media_ids");
    if (media && json_array_size(media) > 0) {
        api_error(c, 422, "Validation failed: media attachments are not supported yet");
        return false;
    }
    if (p_get(c, "poll")) {
        api_error(c, 422, "Validation failed: polls are not supported yet");
        return false;
    }
    return true;
}

static void status_create(api_call *c)
{
    posts_new n;
    if (!read_post(c, &n)) return;
    int64_t id;
    if (failed(c, posts_create(c->app, c->viewer->id, &n, &id))) return;
    ent_status_response(c, id);
}

static void status_get(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status s;
    if (failed(c, posts_get(c->app, viewer_id(c), id, &s))) return;
    ent_status_response(c, id);
}

static void status_edit(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    posts_new n;
    if (!read_post(c, &n)) return;
    if (failed(c, posts_edit(c->app, c->viewer->id, id, &n))) return;
    ent_status_response(c, id);
}

static void status_delete(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status_view v;
    /* render before deleting: the answer is the status as it was, with its source text */
    if (failed(c, posts_view_id(c->app, c->viewer->id, id, &v))) return;
    pl_status gone;
    if (failed(c, posts_delete(c->app, c->viewer->id, id, &gone))) return;
    v.favourited = v.bookmarked = v.reblogged = false;
    v.source_text = gone.text; /* for delete-and-redraft, as Mastodon */
    jw w;
    api_json(c, &w);
    ent_status(c, &w, &v);
}

static void status_source(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status s;
    if (failed(c, posts_get(c->app, c->viewer->id, id, &s))) return;
    if (s.account_id != c->viewer->id) {
        api_error(c, 404, "Record not found");
        return;
    }
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kid(&w, "id", s.id);
    jw_kstr(&w, "text", s.text);
    jw_kstr(&w, "spoiler_text", s.spoiler_text);
    jw_obj_end(&w);
}

static void status_history(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status_edit *e;
    int n;
    if (failed(c, posts_history(c->app, viewer_id(c), id, &e, &n))) return;
    pl_status_view v;
    if (failed(c, posts_view_id(c->app, viewer_id(c), id, &v))) return;
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    if (n == 0) { /* never edited: the history is the status itself */
        e = arena_alloc(c->app->a, sizeof *e);
        *e = (pl_status_edit){
            0,    id, v.st.text, v.st.content, v.st.spoiler_text, v.st.sensitive, v.st.created_at,
            NULL, 0};
        n = 1;
    }
    for (int i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kstr(&w, "content", e[i].content);
        jw_kstr(&w, "spoiler_text", e[i].spoiler_text ? e[i].spoiler_text : "");
        jw_kbool(&w, "sensitive", e[i].sensitive);
        jw_ktime(&w, "created_at", e[i].created_at);
        jw_key(&w, "account");
        ent_account(c, &w, v.account, false);
        jw_knull(&w, "poll");
        jw_key(&w, "media_attachments");
        jw_arr(&w);
        jw_arr_end(&w);
        jw_key(&w, "emojis");
        jw_arr(&w);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
}

static void status_context(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    int64_t *anc, *desc;
    int na, nd;
    if (failed(c, posts_context(c->app, viewer_id(c), id, &anc, &na, &desc, &nd))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_key(&w, "ancestors");
    ent_statuses(c, &w, anc, na);
    jw_key(&w, "descendants");
    ent_statuses(c, &w, desc, nd);
    jw_obj_end(&w);
}

static void status_engage(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *act = strrchr(c->req->path, '/') + 1;
    int64_t me = c->viewer->id, shown = id;
    int rc;
    if (!strcmp(act, "favourite"))
        rc = engage_favourite(c->app, me, id);
    else if (!strcmp(act, "unfavourite"))
        rc = engage_unfavourite(c->app, me, id);
    else if (!strcmp(act, "bookmark"))
        rc = engage_bookmark(c->app, me, id);
    else if (!strcmp(act, "unbookmark"))
        rc = engage_unbookmark(c->app, me, id);
    else if (!strcmp(act, "reblog")) {
        const char *vis = p_str(c, "visibility");
        rc = engage_reblog(c->app, me, id, vis ? visibility_parse(vis) : VIS_PUBLIC, &shown);
    } else
        rc = engage_unreblog(c->app, me, id);
    if (failed(c, rc)) return;
    /* actions answer with the original status (a reblog answers with the reblog) */
    if (strcmp(act, "reblog")) {
        pl_status s;
        if (failed(c, posts_get(c->app, me, id, &s))) return;
        if (s.reblog_of_id) shown = s.reblog_of_id;
    }
    ent_status_response(c, shown);
}

static void status_engaged_by(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status s;
    if (failed(c, posts_get(c->app, viewer_id(c), id, &s))) return;
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    bool favs = strstr(c->req->path, "/favourited_by") != NULL;
    if (failed(c, favs ? engage_favourited_by(c->app, id, &p, &l)
                       : engage_reblogged_by(c->app, id, &p, &l)))
        return;
    accounts_page(c, &l, &p);
}

static void favourites_or_bookmarks(api_call *c)
{
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    bool favs = !strcmp(c->req->path, "/api/v1/favourites");
    if (failed(c, favs ? feeds_favourites(c->app, c->viewer->id, &p, &l)
                       : feeds_bookmarks(c->app, c->viewer->id, &p, &l)))
        return;
    statuses_page(c, &l, &p);
}

const api_route api_routes_statuses[] = {
    {M_POST, "/api/v1/statuses", status_create, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, "/api/v1/statuses/:id", status_get, EXEC_READ, AUTH_OPTIONAL, NULL},
    {M_PUT, "/api/v1/statuses/:id", status_edit, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, "/api/v1/statuses/:id", status_delete, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, "/api/v1/statuses/:id/source", status_source, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/statuses/:id/history", status_history, EXEC_READ, AUTH_OPTIONAL, NULL},
    {M_GET, "/api/v1/statuses/:id/context", status_context, EXEC_READ, AUTH_OPTIONAL, NULL},
    {M_POST, "/api/v1/statuses/:id/favourite", status_engage, EXEC_WRITE, AUTH_USER,
     "write:favourites"},
    {M_POST, "/api/v1/statuses/:id/unfavourite", status_engage, EXEC_WRITE, AUTH_USER,
     "write:favourites"},
    {M_POST, "/api/v1/statuses/:id/reblog", status_engage, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_POST, "/api/v1/statuses/:id/unreblog", status_engage, EXEC_WRITE, AUTH_USER,
     "write:statuses"},
    {M_POST, "/api/v1/statuses/:id/bookmark", status_engage, EXEC_WRITE, AUTH_USER,
     "write:bookmarks"},
    {M_POST, "/api/v1/statuses/:id/unbookmark", status_engage, EXEC_WRITE, AUTH_USER,
     "write:bookmarks"},
    {M_GET, "/api/v1/statuses/:id/favourited_by", status_engaged_by, EXEC_READ, AUTH_OPTIONAL,
     NULL},
    {M_GET, "/api/v1/statuses/:id/reblogged_by", status_engaged_by, EXEC_READ, AUTH_OPTIONAL, NULL},
    {M_GET, "/api/v1/favourites", favourites_or_bookmarks, EXEC_READ, AUTH_USER, "read:favourites"},
    {M_GET, "/api/v1/bookmarks", favourites_or_bookmarks, EXEC_READ, AUTH_USER, "read:bookmarks"},
    {0, NULL, NULL, 0, 0, NULL},
};
