/*
 * channels.c — /api/v1/partyline/channels/…: channels (our extension; docs/api.md).
 *
 * A channel is also a group account, so Mastodon apps see it as an Account with
 * "group": true, follow it to join, and read GET /api/v1/accounts/:id/statuses for its
 * posts. Everything a Mastodon app has no place for (roles, join requests, moderation,
 * pinned announcements) is here.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/channel_reads.h"
#include "app/avatars.h"
#include "app/channels.h"

static const char *const role_names[] = {
    [ROLE_NONE] = "member", [ROLE_MODERATOR] = "moderator", [ROLE_OWNER] = "owner"};

/* One's unread posts in a channel (app/channel_reads.h), written into its Channel. */
typedef struct unread_view {
    int64_t count, last_read_id;
    bool more;
} unread_view;

static void write_channel_unread(api_call *c, jw *w, const channels_view *v, const unread_view *u)
{
    const pl_account *a = v->account;
    jw_obj(w);
    jw_kid(w, "id", v->ch.id);
    jw_kstr(w, "name", a->username);
    jw_kstr(w, "display_name", a->display_name && *a->display_name ? a->display_name : a->username);
    jw_kstr(w, "note", a->note_html ? a->note_html : "");
    jw_kbool(w, "private", v->ch.is_private);
    jw_kbool(w, "everyone", v->ch.is_everyone);
    jw_kstr(w, "posting", v->ch.posting == POSTING_MODERATORS ? "moderators" : "members");
    jw_kint(w, "members_count", v->members);
    jw_kbool(w, "member", v->member);
    if (v->member)
        jw_kstr(w, "role", role_names[v->role]);
    else
        jw_knull(w, "role");
    jw_kbool(w, "can_moderate", v->can_moderate);
    jw_kbool(w, "requested", v->requested);
    jw_kint(w, "requests_count", v->requests_count);
    jw_ktime(w, "created_at", v->ch.created_at);
    if (u) {
        jw_kint(w, "unread_count", u->count);
        jw_kbool(w, "unread_more", u->more);
        jw_kid(w, "last_read_id", u->last_read_id);
    }
    jw_key(w, "account");
    ent_account(c, w, a, false);
    jw_obj_end(w);
}

static void write_channel(api_call *c, jw *w, const channels_view *v)
{
    write_channel_unread(c, w, v, NULL);
}

static void channel_response(api_call *c, int64_t id)
{
    channels_view v;
    if (failed(c, channels_view_of(c->app, viewer_id(c), id, &v))) return;
    jw w;
    api_json(c, &w);
    write_channel(c, &w, &v);
}

/* private and posting from the request; false (422 sent) when malformed. */
static bool read_settings(api_call *c, channels_new *n)
{
    *n = (channels_new){.name = p_str(c, "name"),
                        .display_name = p_str(c, "display_name"),
                        .note = p_str(c, "note"),
                        .is_private = p_bool(c, "private", -1),
                        .posting = -1};
    if (n->is_private == -2) {
        api_error(c, 422, "Validation failed: private must be a boolean");
        return false;
    }
    const char *posting = p_str(c, "posting");
    if (posting) {
        n->posting = !strcmp(posting, "members")      ? POSTING_MEMBERS
                     : !strcmp(posting, "moderators") ? POSTING_MODERATORS
                                                      : 99;
        if (n->posting == 99) {
            api_error(c, 422, "Validation failed: posting must be \"members\" or \"moderators\"");
            return false;
        }
    }
    return true;
}

static void create(api_call *c)
{
    channels_new n;
    if (!read_settings(c, &n)) return;
    int64_t id;
    if (failed(c, channels_create(c->app, c->viewer->id, &n, &id))) return;
    channel_response(c, id);
}

static void update(api_call *c)
{
    int64_t id = need_path_id(c);
    channels_new n;
    if (!id || !read_settings(c, &n)) return;
    if (n.name) {
        api_error(c, 422, "Validation failed: a channel's name cannot change");
        return;
    }
    /* its pictures (multipart avatar and header, as update_credentials): only a moderator's
     * are made (the work of a worker), and before anything is written */
    if (p_file(c, "avatar") || p_file(c, "header")) {
        channels_view v;
        if (failed(c, channels_view_of(c->app, c->viewer->id, id, &v))) return;
        if (!v.can_moderate) {
            api_error(c, 403, "Only the channel's moderators may change its pictures");
            return;
        }
    }
    avatars_new pics[2] = {{.file = BUF_INIT}, {.file = BUF_INIT}};
    bool ok = pictures_param(c, pics, &n.avatar, &n.header) &&
              !failed(c, channels_update(c->app, c->viewer->id, id, &n));
    avatars_new_free(&pics[0]);
    avatars_new_free(&pics[1]);
    if (ok) channel_response(c, id);
}

/* DELETE …/:id/avatar and …/:id/header: the drawn default again (moderators). */
static void picture_delete(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    bool header = strstr(c->req->path, "/header") != NULL;
    if (failed(c, channels_remove_picture(c->app, c->viewer->id, id,
                                          header ? AVATAR_HEADER : AVATAR_PICTURE)))
        return;
    channel_response(c, id);
}

static void show(api_call *c)
{
    int64_t id = need_path_id(c);
    if (id) channel_response(c, id);
}

static void index_(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    int mine = p_bool(c, "member", 0);
    if (failed(c, channels_list(c->app, c->viewer->id, mine == 1, &p, &l))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) {
        channels_view v;
        if (channels_view_of(c->app, c->viewer->id, l.ids[i], &v) == PL_OK)
            write_channel(c, &w, &v);
    }
    jw_arr_end(&w);
}

static void join_or_leave(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    bool join = strstr(c->req->path, "/join") != NULL;
    if (failed(c, join ? channels_join(c->app, c->viewer->id, id)
                       : channels_leave(c->app, c->viewer->id, id)))
        return;
    channel_response(c, id);
}

static void requests(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    if (failed(c, channels_requests(c->app, c->viewer->id, id, &p, &l))) return;
    accounts_page(c, &l, &p);
}

static void decide(api_call *c)
{
    int64_t id = need_path_id(c), account = path_id(c, 1);
    if (!id) return;
    bool accept = strstr(c->req->path, "/authorize") != NULL;
    if (failed(c, channels_decide(c->app, c->viewer->id, id, account, accept))) return;
    channel_response(c, id);
}

static void write_member(api_call *c, jw *w, int64_t account, int role)
{
    const pl_account *a = app_account(c->app, account);
    if (!a) return;
    jw_obj(w);
    jw_kstr(w, "role", role_names[role >= 0 && role <= ROLE_OWNER ? role : 0]);
    jw_key(w, "account");
    ent_account(c, w, a, false);
    jw_obj_end(w);
}

static void members(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    int *roles;
    if (failed(c, channels_members(c->app, viewer_id(c), id, &p, &l, &roles))) return;
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++) write_member(c, &w, l.ids[i], roles[i]);
    jw_arr_end(&w);
}

static void set_role(api_call *c)
{
    int64_t id = need_path_id(c), account = path_id(c, 1);
    if (!id) return;
    const char *name = p_str(c, "role");
    int role = -1;
    for (int i = 0; name && i <= ROLE_OWNER; i++)
        if (!strcmp(name, role_names[i])) role = i;
    if (role < 0) {
        api_error(c, 422, "Validation failed: role must be \"member\", \"moderator\" or \"owner\"");
        return;
    }
    if (failed(c, channels_set_role(c->app, c->viewer->id, id, account, role))) return;
    jw w;
    api_json(c, &w);
    write_member(c, &w, account, role);
}

static void remove_member(api_call *c)
{
    int64_t id = need_path_id(c), account = path_id(c, 1);
    if (!id) return;
    if (failed(c, channels_remove_member(c->app, c->viewer->id, id, account))) return;
    empty_object(c);
}

static void timeline(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l;
    if (failed(c, channels_timeline(c->app, viewer_id(c), id, &p, &l))) return;
    statuses_page(c, &l, &p);
}

static void remove_status(api_call *c)
{
    int64_t id = need_path_id(c), status = path_id(c, 1);
    if (!id) return;
    if (failed(c, channels_remove_status(c->app, c->viewer->id, id, status))) return;
    empty_object(c);
}

static void pins(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    int64_t *ids;
    int n;
    if (failed(c, channels_pins(c->app, viewer_id(c), id, &ids, &n))) return;
    jw w;
    api_json(c, &w);
    ent_statuses(c, &w, ids, n);
}

static void pin(api_call *c)
{
    int64_t id = need_path_id(c), status = path_id(c, 1);
    if (!id) return;
    bool on = c->req->method == M_POST;
    if (failed(c, channels_pin(c->app, c->viewer->id, id, status, on))) return;
    empty_object(c);
}

/* GET …/channels/unread: one's channels (as GET …/channels?member=true, paged the same way),
 * each with its unread count. A channel that went away (or was closed to one) meanwhile is
 * left out; any other failure fails the page. */
static void unread_index(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    if (failed(c, channels_list(c->app, c->viewer->id, true, &p, &l))) return;
    channels_view *v = arena_alloc(c->app->a, sizeof *v * (size_t)(l.n ? l.n : 1));
    unread_view *u = arena_alloc(c->app->a, sizeof *u * (size_t)(l.n ? l.n : 1));
    bool *shown = arena_alloc(c->app->a, sizeof *shown * (size_t)(l.n ? l.n : 1));
    for (int i = 0; i < l.n; i++) {
        int rc = channels_view_of(c->app, c->viewer->id, l.ids[i], &v[i]);
        if (!rc)
            rc = channel_reads_unread(c->app, c->viewer->id, l.ids[i], &u[i].count, &u[i].more,
                                      &u[i].last_read_id);
        if (rc && rc != PL_ENOTFOUND) {
            api_fail_rc(c, rc);
            return;
        }
        shown[i] = rc == PL_OK;
    }
    jw w;
    api_json(c, &w);
    api_link(c, &l, &p);
    jw_arr(&w);
    for (int i = 0; i < l.n; i++)
        if (shown[i]) write_channel_unread(c, &w, &v[i], &u[i]);
    jw_arr_end(&w);
}

/* POST …/channels/:id/read: one has seen the channel's posts up to last_read_id (default: all
 * of them, now). Answers the Channel with its unread count after the move. */
static void mark_read(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    int64_t upto = 0;
    const char *s = p_str(c, "last_read_id");
    if (s && !id_parse(s, &upto)) {
        api_error(c, 422, "Validation failed: last_read_id must be a status id");
        return;
    }
    if (failed(c, channel_reads_mark(c->app, c->viewer->id, id, upto))) return;
    channels_view v;
    unread_view u;
    if (failed(c, channels_view_of(c->app, c->viewer->id, id, &v)) ||
        failed(c,
               channel_reads_unread(c->app, c->viewer->id, id, &u.count, &u.more, &u.last_read_id)))
        return;
    jw w;
    api_json(c, &w);
    write_channel_unread(c, &w, &v, &u);
}

#define CH "/api/v1/partyline/channels"
const api_route api_routes_channels[] = {
    {M_GET, CH, index_, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_POST, CH, create, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_GET, CH "/unread", unread_index, EXEC_READ, AUTH_USER, "read:statuses"}, /* before :id */
    {M_GET, CH "/:id", show, EXEC_READ, AUTH_USER, "read:accounts"},
    /* a worker's: pictures sent along take ~50 ms to make */
    {M_PATCH, CH "/:id", update, EXEC_SLOW, AUTH_USER, "write:accounts"},
    {M_DELETE, CH "/:id/avatar", picture_delete, EXEC_SLOW, AUTH_USER, "write:accounts"},
    {M_DELETE, CH "/:id/header", picture_delete, EXEC_SLOW, AUTH_USER, "write:accounts"},
    {M_POST, CH "/:id/join", join_or_leave, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_POST, CH "/:id/leave", join_or_leave, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_GET, CH "/:id/requests", requests, EXEC_READ, AUTH_USER, "read:follows"},
    {M_POST, CH "/:id/requests/:account_id/authorize", decide, EXEC_WRITE, AUTH_USER,
     "write:follows"},
    {M_POST, CH "/:id/requests/:account_id/reject", decide, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_GET, CH "/:id/members", members, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_PUT, CH "/:id/members/:account_id", set_role, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_DELETE, CH "/:id/members/:account_id", remove_member, EXEC_WRITE, AUTH_USER,
     "write:follows"},
    {M_GET, CH "/:id/timeline", timeline, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_POST, CH "/:id/read", mark_read, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, CH "/:id/statuses/:status_id", remove_status, EXEC_WRITE, AUTH_USER,
     "write:statuses"},
    {M_GET, CH "/:id/pins", pins, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_POST, CH "/:id/pins/:status_id", pin, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, CH "/:id/pins/:status_id", pin, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {0},
};
