/*
 * statuses.c — /api/v1/statuses/…: post, read, edit, delete, thread, and engagement.
 * docs.joinmastodon.org/methods/statuses, /methods/favourites, /methods/bookmarks; pinning
 * (statuses#pin, #unpin) is app/profile.c, muting a conversation (#mute, #unmute)
 * app/thread_mutes.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "app/engage.h"
#include "app/attachments.h"
#include "app/feeds.h"
#include "app/posts.h"
#include "app/profile.h"
#include "app/render.h"
#include "app/scheduled.h"
#include "app/thread_mutes.h"
#include "util/text.h"

/* A boolean as Mastodon reads it (true/false, 1/0, on/off); -2 if it is none of them. */
static int json_flag(json_t *v, int def)
{
    if (!v || json_is_null(v)) return def;
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    const char *s = json_string_value(v);
    if (!s) return -2;
    if (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "on")) return 1;
    if (!strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "off") || !*s) return 0;
    return -2;
}

/* The option titles of poll[options]: a JSON array, or the form's "options[]" (an array) or
 * "options[0]", "options[1]"… (an object, ordered by index). NULL if malformed. */
static const char **poll_options(api_call *c, json_t *v, int *n)
{
    *n = 0;
    if (!v) return NULL;
    size_t count = json_is_array(v)    ? json_array_size(v)
                   : json_is_object(v) ? json_object_size(v)
                                       : 0;
    if (count == 0 || count > 1000) return NULL;
    const char **out = arena_alloc(c->app->a, sizeof *out * count);
    if (json_is_array(v)) {
        for (size_t i = 0; i < count; i++) {
            const char *t = json_string_value(json_array_get(v, i));
            if (!t) return NULL;
            out[i] = t;
        }
    } else {
        for (size_t i = 0; i < count; i++) out[i] = NULL;
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            char *end;
            long idx = strtol(k, &end, 10);
            const char *t = json_string_value(x);
            if (*end || end == k || idx < 0 || (size_t)idx >= count || !t || out[idx]) return NULL;
            out[idx] = t;
        }
    }
    *n = (int)count;
    return out;
}

/* Reads poll[…]; false (and a 422 sent) if it is malformed. */
static bool read_poll(api_call *c, json_t *in, polls_new *p)
{
    const char *bad = NULL;
    if (!json_is_object(in)) bad = "poll must be an object with options and expires_in";
    int n = 0;
    const char **opts = bad ? NULL : poll_options(c, json_object_get(in, "options"), &n);
    if (!bad && !opts) bad = "poll[options] must be a list of strings";
    json_t *exp = bad ? NULL : json_object_get(in, "expires_in");
    int64_t expires_in = 0;
    if (!bad) {
        char *end = NULL;
        const char *t = json_string_value(exp);
        if (json_is_integer(exp))
            expires_in = json_integer_value(exp);
        else if (json_is_real(exp) && json_real_value(exp) == (double)(int64_t)json_real_value(exp))
            expires_in = (int64_t)json_real_value(exp);
        else if (t && *t && (expires_in = strtoll(t, &end, 10), !*end))
            ;
        else
            bad = "poll[expires_in] must be a whole number of seconds";
    }
    int multiple = bad ? 0 : json_flag(json_object_get(in, "multiple"), 0);
    int hide = bad ? 0 : json_flag(json_object_get(in, "hide_totals"), 0);
    if (!bad && multiple == -2) bad = "poll[multiple] must be a boolean";
    if (!bad && hide == -2) bad = "poll[hide_totals] must be a boolean";
    if (bad) {
        api_error(c, 422, arena_printf(c->app->a, "Validation failed: %s", bad));
        return false;
    }
    *p = (polls_new){opts, n, expires_in, multiple, hide};
    return true;
}

/* media_ids[]: the uploads to attach (app/attachments.h checks whose they are). */
static bool read_media_ids(api_call *c, json_t *media, posts_new *n)
{
    size_t count = json_array_size(media);
    if (count > 64) count = 65; /* more than any limit: attachments_check says how many */
    int64_t *ids = arena_alloc(c->app->a, sizeof *ids * (count ? count : 1));
    for (size_t i = 0; i < count; i++) {
        ids[i] = json_id(json_array_get(media, i));
        if (!ids[i]) {
            api_error(c, 422, "Validation failed: media_ids must be ids of your uploads");
            return false;
        }
    }
    n->media_ids = ids;
    n->n_media = (int)count;
    n->has_media = true;
    return true;
}

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
        .content_type = p_str(c, "content_type"), /* checked by app/posts.c */
    };
    if (n->content_type && !*n->content_type) n->content_type = NULL;
    if (n->sensitive == -2) {
        api_error(c, 422, "Validation failed: sensitive must be a boolean");
        return false;
    }
    if (n->language && !*n->language) n->language = NULL;
    const char *vis = p_str(c, "visibility");
    if (vis && *vis) {
        /* ours besides Mastodon's: "company", "list:<id>" (one of the author's lists), and in
         * a ticket's thread "ticket" and "internal" (a work note: app/tickets.h) */
        if (!strcmp(vis, "company"))
            n->visibility = VIS_COMPANY;
        else if (!strcmp(vis, "ticket"))
            n->visibility = VIS_TICKET;
        else if (!strcmp(vis, "internal"))
            n->visibility = VIS_INTERNAL;
        else if (!strncmp(vis, "list:", 5) && id_parse(vis + 5, &n->list_id))
            n->visibility = VIS_LIST;
        else
            n->visibility = visibility_parse(vis);
        if (n->visibility < 0) {
            api_error(c, 422,
                      "Validation failed: Visibility must be public, unlisted, private, direct, "
                      "company, list:<id>, ticket or internal");
            return false;
        }
    }
    const char *channel = p_str(c, "channel_id");
    if (channel && *channel && !id_parse(channel, &n->channel_id)) {
        api_error(c, 422, "Validation failed: channel_id is not a channel");
        return false;
    }
    const char *reply = p_str(c, "in_reply_to_id");
    if (reply && *reply && !id_parse(reply, &n->in_reply_to_id)) {
        api_error(c, 404, "The post you are replying to does not exist");
        return false;
    }
    json_t *media = p_arr(c, "media_ids");
    bool has_media = media && json_array_size(media) > 0;
    json_t *poll = p_get(c, "poll");
    if (has_media && poll) {
        api_error(c, 422,
                  "Validation failed: A status can have media attachments or a poll, "
                  "not both");
        return false;
    }
    if (media && !read_media_ids(c, media, n)) return false;
    if (poll) {
        polls_new *p = arena_alloc(c->app->a, sizeof *p);
        if (!read_poll(c, poll, p)) return false;
        n->poll = p;
    }
    return true;
}

static void status_create(api_call *c)
{
    posts_new n;
    int64_t at;
    if (!read_post(c, &n) || !scheduled_at_param(c, &at)) return;
    int64_t id;
    /* a time already past posts at once, as Mastodon does; a later one answers a
     * ScheduledStatus (app/scheduled.h) */
    if (at > c->app->now) {
        if (failed(c, scheduled_create(c->app, c->viewer->id, &n, at, &id))) return;
        scheduled_status_response(c, id);
        return;
    }
    if (failed(c, posts_create(c->app, c->viewer->id, &n, &id))) return;
    ent_status_response(c, id);
}

/* POST /api/v1/partyline/statuses/preview (ours): the content a post would have, for the web
 * client's Markdown preview — the server's own rendering, so it shows what posting will make.
 * Takes status, spoiler_text and content_type as posting does; 422 for what posting refuses. */
static void status_preview(api_call *c)
{
    posts_new n = {
        .text = p_str(c, "status"),
        .spoiler_text = p_str(c, "spoiler_text"),
        .content_type = p_str(c, "content_type"),
        .visibility = -1,
        .sensitive = -1,
    };
    if (n.content_type && !*n.content_type) n.content_type = NULL;
    const char *html;
    if (failed(c, posts_preview(c->app, c->viewer->id, &n, &html))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "content", html);
    jw_obj_end(&w);
}

static void status_get(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_status s;
    if (failed(c, posts_get(c->app, viewer_id(c), id, &s))) return;
    /* a "hide" filter hides a thread's other posts, never the one asked for (it shows as
     * filtered, as Mastodon's web client does) */
    c->app->filter_context = FILTER_THREAD;
    ent_status_response(c, id);
}

static void status_edit(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    posts_new n;
    if (!read_post(c, &n)) return;
    if (failed(c, posts_edit(c->app, c->viewer->id, id, &n))) return;
    /* media_attributes[][id|description|focus]: the alt text of files the post keeps; a
     * refusal rolls the whole edit back (the writer's savepoint) */
    json_t *attrs = p_get(c, "media_attributes"), *a;
    size_t i;
    json_array_foreach(json_is_array(attrs) ? attrs : NULL, i, a)
    {
        int64_t media = json_id(json_object_get(a, "id"));
        const char *desc = json_string_value(json_object_get(a, "description"));
        const char *focus = json_string_value(json_object_get(a, "focus"));
        if (failed(c, attachments_describe_in_post(c->app, c->viewer->id, id, media, desc,
                                                   focus && *focus ? focus : NULL)))
            return;
    }
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
    v.favourited = v.bookmarked = v.reblogged = v.pinned = false;
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
    jw_kstr(&w, "content_type", content_type_name(s.content_type)); /* as Pleroma's */
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
        *e = (pl_status_edit){0,
                              id,
                              v.st.text,
                              v.st.content,
                              v.st.spoiler_text,
                              v.st.sensitive,
                              v.st.created_at,
                              v.poll ? v.poll->poll.titles : NULL,
                              v.poll ? v.poll->poll.n_options : 0};
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
        if (e[i].n_poll_options) { /* absent when the revision had no poll, as Mastodon */
            jw_key(&w, "poll");
            jw_obj(&w);
            jw_key(&w, "options");
            jw_arr(&w);
            for (int k = 0; k < e[i].n_poll_options; k++) {
                jw_obj(&w);
                jw_kstr(&w, "title", e[i].poll_options[k]);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
            jw_obj_end(&w);
        }
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

/* POST /api/v1/statuses/:id/pin and /unpin: answer with the status, "pinned" as it is now. */
static void status_pin(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    bool pin = !strcmp(strrchr(c->req->path, '/') + 1, "pin");
    int64_t me = c->viewer->id;
    if (failed(c, pin ? profile_pin(c->app, me, id) : profile_unpin(c->app, me, id))) return;
    ent_status_response(c, id);
}

/* POST /api/v1/statuses/:id/mute and /unmute: answer with the status, "muted" as it is now. */
static void status_mute(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    bool mute = !strcmp(strrchr(c->req->path, '/') + 1, "mute");
    if (failed(c, thread_mutes_set(c->app, c->viewer->id, id, mute))) return;
    ent_status_response(c, id);
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
    {M_POST, "/api/v1/partyline/statuses/preview", status_preview, EXEC_READ, AUTH_USER,
     "write:statuses"},
    {M_GET, "/api/v1/statuses/:id", status_get, EXEC_READ, AUTH_OPTIONAL, "read:statuses"},
    {M_PUT, "/api/v1/statuses/:id", status_edit, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_DELETE, "/api/v1/statuses/:id", status_delete, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {M_GET, "/api/v1/statuses/:id/source", status_source, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_GET, "/api/v1/statuses/:id/history", status_history, EXEC_READ, AUTH_OPTIONAL,
     "read:statuses"},
    {M_GET, "/api/v1/statuses/:id/context", status_context, EXEC_READ, AUTH_OPTIONAL,
     "read:statuses"},
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
    {M_POST, "/api/v1/statuses/:id/pin", status_pin, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_POST, "/api/v1/statuses/:id/unpin", status_pin, EXEC_WRITE, AUTH_USER, "write:accounts"},
    {M_POST, "/api/v1/statuses/:id/mute", status_mute, EXEC_WRITE, AUTH_USER, "write:mutes"},
    {M_POST, "/api/v1/statuses/:id/unmute", status_mute, EXEC_WRITE, AUTH_USER, "write:mutes"},
    {M_GET, "/api/v1/statuses/:id/favourited_by", status_engaged_by, EXEC_READ, AUTH_OPTIONAL,
     "read:statuses"},
    {M_GET, "/api/v1/statuses/:id/reblogged_by", status_engaged_by, EXEC_READ, AUTH_OPTIONAL,
     "read:statuses"},
    {M_GET, "/api/v1/favourites", favourites_or_bookmarks, EXEC_READ, AUTH_USER, "read:favourites"},
    {M_GET, "/api/v1/bookmarks", favourites_or_bookmarks, EXEC_READ, AUTH_USER, "read:bookmarks"},
    {0},
};
