/*
 * announcements.c — company announcements: Mastodon's /api/v1/announcements with dismiss and
 * reactions (docs.joinmastodon.org/methods/announcements, entities/Announcement), and our
 * administrators' /api/v1/partyline/admin/announcements to post, list and delete them
 * (Mastodon has those only in its web interface; docs/api.md). The rules are
 * app/announcements.c; this file writes the entity.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/announcements.h"

/* Most announcements the administrators' listing answers (there are max_announcements
 * running or scheduled at most; the rest have ended). */
enum { ADMIN_LIST_MAX = 200 };

/* Writes one Announcement. A text that no longer renders (it was checked when posted) shows
 * empty rather than failing the whole list. */
void ent_announcement(api_call *c, jw *w, const pl_announcement *an)
{
    render_out r;
    if (announcements_render(c->app, an, &r)) memset(&r, 0, sizeof r);
    bool has_times = an->starts_at && an->ends_at;
    jw_obj(w);
    jw_kid(w, "id", an->id);
    jw_kstr(w, "content", r.html ? r.html : "");
    jw_ktime(w, "starts_at", an->starts_at);
    jw_ktime(w, "ends_at", an->ends_at);
    jw_kbool(w, "all_day", an->all_day && has_times);
    jw_ktime(w, "published_at", an->published_at);
    jw_ktime(w, "updated_at", an->updated_at);
    if (c->viewer) jw_kbool(w, "read", announcements_read(c->app, c->viewer->id, an->id));
    jw_key(w, "mentions");
    jw_arr(w);
    for (int i = 0; i < r.n_mentions; i++) {
        const pl_account *a = app_account(c->app, r.mention_ids[i]);
        if (!a) continue;
        jw_obj(w);
        jw_kid(w, "id", a->id);
        jw_kstr(w, "username", a->username);
        jw_kcat(w, "url", c->app->cfg->base_url, "/@", a->username, NULL);
        jw_kstr(w, "acct", a->username);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "statuses"); /* Mastodon's come from an admin form field; there is none here */
    jw_arr(w);
    jw_arr_end(w);
    jw_key(w, "tags");
    jw_arr(w);
    for (int i = 0; i < r.n_tags; i++) {
        jw_obj(w);
        jw_kstr(w, "name", r.tags[i]);
        jw_kcat(w, "url", c->app->cfg->base_url, "/tags/", r.tags[i], NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "emojis"); /* custom emoji come with pictures */
    jw_arr(w);
    jw_arr_end(w);
    jw_key(w, "reactions");
    jw_arr(w);
    pl_reaction *rs = NULL;
    int n = 0;
    if (announcements_reactions(c->app, c->viewer ? c->viewer->id : 0, an->id, &rs, &n)) n = 0;
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "name", rs[i].name);
        jw_kint(w, "count", rs[i].count);
        jw_kbool(w, "me", rs[i].me);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static void announcements_page(api_call *c, const pl_announcement *v, int n)
{
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_announcement(c, &w, &v[i]);
    jw_arr_end(&w);
}

/* GET /api/v1/announcements: the running ones, dismissed too (Mastodon 4 answers them all
 * with `read`); `with_dismissed=false` leaves out those the viewer dismissed, as the
 * parameter did in Mastodon 3. */
static void list(api_call *c)
{
    int with_dismissed = p_bool(c, "with_dismissed", 1);
    if (with_dismissed == -2) {
        api_error(c, 422, "Validation failed: with_dismissed must be true or false");
        return;
    }
    pl_announcement *v;
    int n;
    if (failed(c, announcements_running(c->app, c->viewer->id, with_dismissed, &v, &n))) return;
    announcements_page(c, v, n);
}

static void dismiss(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, announcements_dismiss(c->app, c->viewer->id, id))) return;
    empty_object(c);
}

static void react(api_call *c, bool add)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, announcements_react(c->app, c->viewer->id, id, c->req->params[1], add)))
        return;
    empty_object(c);
}

static void reaction_put(api_call *c)
{
    react(c, true);
}

static void reaction_delete(api_call *c)
{
    react(c, false);
}

/* ---- /api/v1/partyline/admin/announcements (ours) -------------------------------------- */

static void admin_create(api_call *c)
{
    announcement_new n = {.text = p_str(c, "text")};
    int all_day = p_bool(c, "all_day", 0);
    if (all_day == -2) {
        api_error(c, 422, "Validation failed: all_day must be true or false");
        return;
    }
    n.all_day = all_day == 1;
    if (!p_time(c, "starts_at", "Starts at", &n.starts_at) ||
        !p_time(c, "ends_at", "Ends at", &n.ends_at))
        return;
    pl_announcement an;
    if (failed(c, announcements_create(c->app, c->viewer, &n, &an))) return;
    jw w;
    api_json(c, &w);
    ent_announcement(c, &w, &an);
}

static void admin_list(api_call *c)
{
    pl_announcement *v;
    int n;
    if (failed(c, announcements_all(c->app, c->viewer, ADMIN_LIST_MAX, &v, &n))) return;
    announcements_page(c, v, n);
}

static void admin_delete(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id || failed(c, announcements_delete(c->app, c->viewer, id))) return;
    empty_object(c);
}

#define ANN "/api/v1/announcements"
#define ADMIN_ANN "/api/v1/partyline/admin/announcements"
const api_route api_routes_announcements[] = {
    {M_GET, ANN, list, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_POST, ANN "/:id/dismiss", dismiss, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_PUT, ANN "/:id/reactions/:name", reaction_put, EXEC_WRITE, AUTH_USER, "write:favourites"},
    {M_DELETE, ANN "/:id/reactions/:name", reaction_delete, EXEC_WRITE, AUTH_USER,
     "write:favourites"},
    {M_GET, ADMIN_ANN, admin_list, EXEC_READ, AUTH_USER, "admin:read"},
    {M_POST, ADMIN_ANN, admin_create, EXEC_WRITE, AUTH_USER, "admin:write"},
    {M_DELETE, ADMIN_ANN "/:id", admin_delete, EXEC_WRITE, AUTH_USER, "admin:write"},
    {0},
};
