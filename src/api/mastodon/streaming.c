/*
 * streaming.c — the protocol of /api/v1/streaming (docs.joinmastodon.org/methods/streaming):
 * authentication and stream names for WebSocket and server-sent events, the WebSocket's
 * subscribe commands, and the StreamingEvent messages. Only GET /api/v1/streaming/health is a
 * route here; the long-lived connections are held by src/http/streaming.c, which calls these.
 *
 * Statuses are rendered once per event as a signed-out visitor sees them (as Mastodon
 * renders what it streams), so a post sent to 5,000 subscribers is written once; who may
 * receive it is decided per subscriber by app/stream.c.
 */
#include <string.h>

#include "api/handlers.h"
#include "app/announcements.h"
#include "app/conversations.h"
#include "api/streaming.h"
#include "app/auth.h"
#include "app/notify.h"

static void health(api_call *c)
{
    c->resp->status = 200;
    c->resp->content_type = "text/plain; charset=utf-8";
    buf_reset(&c->resp->body);
    buf_puts(&c->resp->body, "OK");
}

const api_route api_routes_streaming[] = {
    {M_GET, "/api/v1/streaming/health", health, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {0},
};

/* Maps a subscription failure to its status (and message). */
static int sub_status(int rc)
{
    switch (rc) {
    case PL_EAUTH: return 401;
    case PL_ENOTFOUND: return 404;
    default: return 422;
    }
}

static int subscribe(app_ctx *app, const api_stream_client *who, const char *name,
                     const stream_params *params, stream_sub *sub, const char **err)
{
    int rc = stream_sub_parse(app, who->viewer, name, params, sub);
    if (rc) {
        *err = app->errmsg ? app->errmsg : "Invalid stream";
        return sub_status(rc);
    }
    if (who->has_token && !auth_scope_allows(who->scopes, stream_scope(sub->kind))) {
        *err = "This action is outside the authorized scopes";
        return 403;
    }
    return 0;
}

int api_stream_open(app_ctx *app, api_req *req, const char *name, const char *protocol,
                    api_stream_client *who, stream_sub *sub, bool *has_sub, const char **err)
{
    api_call c = {.app = app, .req = req};
    api_resp resp = {0};
    c.resp = &resp;
    memset(who, 0, sizeof *who);
    *has_sub = false;
    int status = 0;
    req->body = NULL; /* the parameters are the query's */
    req->body_len = 0;
    if (api_parse_params(&c) != PL_OK) {
        *err = "Bad request";
        status = 400;
        goto done;
    }
    const char *tok = p_str(&c, "access_token");
    if (!tok && req->authorization && !strncasecmp(req->authorization, "Bearer ", 7))
        tok = req->authorization + 7;
    if (!tok && protocol && *protocol) tok = protocol;
    while (tok && *tok == ' ') tok++;
    if (tok && *tok) {
        pl_token t;
        const pl_account *acc;
        if (auth_authenticate(app, tok, &t, &acc) != PL_OK) {
            *err = "Invalid access token";
            status = 401;
            goto done;
        }
        who->has_token = true;
        who->viewer = acc ? acc->id : 0;
        who->token_id = t.id;
        auth_secret_hash(tok, who->token_hash);
        snprintf(who->scopes, sizeof who->scopes, "%s", t.scopes ? t.scopes : "");
        if (!auth_scope_allows(who->scopes, "read:statuses") &&
            !auth_scope_allows(who->scopes, "read:notifications") &&
            !auth_scope_allows(who->scopes, "read:lists")) {
            *err = "This action is outside the authorized scopes";
            status = 403;
            goto done;
        }
    }
    app->viewer_id = 0; /* the stream's decisions set their own */
    const char *stream = name ? name : p_str(&c, "stream");
    if (stream) {
        stream_params params = {p_str(&c, "tag"), p_str(&c, "list"), p_str(&c, "channel")};
        status = subscribe(app, who, stream, &params, sub, err);
        *has_sub = status == 0;
    } else if (!who->viewer && !app->cfg->public_read) {
        *err = "Missing access token";
        status = 401;
    }
done:
    if (c.in) json_decref(c.in);
    api_resp_free(&resp);
    return status;
}

bool api_stream_client_live(app_ctx *app, const api_stream_client *who)
{
    if (!who->has_token) return true;
    pl_token t;
    const pl_account *acc;
    if (auth_authenticate_hash(app, who->token_hash, &t, &acc) != PL_OK) return false;
    return t.id == who->token_id && (acc ? acc->id : 0) == who->viewer;
}

/* An id given as a string (as the API writes ids) or a number. */
static const char *id_param(app_ctx *app, json_t *v)
{
    if (json_is_integer(v)) return arena_printf(app->a, "%lld", (long long)json_integer_value(v));
    return json_string_value(v);
}

int api_stream_command(app_ctx *app, const api_stream_client *who, const char *msg, size_t len,
                       bool *subscribe_it, stream_sub *sub, const char **err)
{
    json_error_t jerr;
    json_t *in = json_loadb(msg, len, 0, &jerr);
    int status = 0;
    const char *type = in ? json_string_value(json_object_get(in, "type")) : NULL;
    if (!json_is_object(in) || !type ||
        (strcmp(type, "subscribe") != 0 && strcmp(type, "unsubscribe") != 0)) {
        *err = "Unknown type";
        status = 400;
    } else {
        *subscribe_it = !strcmp(type, "subscribe");
        stream_params params = {json_string_value(json_object_get(in, "tag")),
                                id_param(app, json_object_get(in, "list")),
                                id_param(app, json_object_get(in, "channel"))};
        status = subscribe(app, who, json_string_value(json_object_get(in, "stream")), &params, sub,
                           err);
        if (status) *err = arena_strdup(app->a, *err); /* the message outlives the JSON */
    }
    if (in) json_decref(in);
    return status;
}

/* A status as every subscriber sees it, except its file addresses, which are signed for
 * `viewer`: when it has files, it->per_viewer asks for a rendering per subscriber. */
static void render_status(app_ctx *app, int64_t id, int64_t viewer, stream_item *it, buf *payload)
{
    api_resp resp = {0};
    api_req req = {0};
    api_call c = {.app = app, .req = &req, .resp = &resp, .media_viewer = viewer};
    pl_status_view v;
    if (posts_view_id(app, 0, id, &v) != PL_OK) return;
    jw w;
    jw_init(&w, payload);
    ent_status(&c, &w, &v);
    it->per_viewer = c.media_written > 0;
}

bool api_stream_render(app_ctx *app, int64_t viewer, stream_item *it, buf *payload,
                       const char **event)
{
    const pl_event *ev = it->ev;
    buf_reset(payload);
    switch (ev->kind) {
    case EV_STATUS:
    case EV_STATUS_UPDATE:
        if (!it->status) return false;
        *event = ev->kind == EV_STATUS ? "update" : "status.update";
        render_status(app, ev->id, viewer, it, payload);
        return payload->len > 0;
    case EV_DELETE:
    case EV_DELETE_TO:
    case EV_DELETE_DIRECT_TO:
    case EV_DELETE_CHANNEL:
    case EV_DELETE_LIST:
    case EV_DELETE_REBLOG:
        *event = "delete";
        buf_printf(payload, "%lld", (long long)ev->id);
        return true;
    case EV_NOTIFICATION: {
        pl_notification n;
        if (!viewer || notify_get(app, viewer, ev->id, &n) != PL_OK) return false;
        api_resp resp = {0};
        api_req req = {0};
        api_call c = {.app = app, .req = &req, .resp = &resp};
        c.viewer = app_account(app, viewer);
        if (!c.viewer) return false;
        *event = "notification";
        jw w;
        jw_init(&w, payload);
        ent_notification(&c, &w, &n);
        return true;
    }
    case EV_CONVERSATION: {
        conversation_view cv;
        if (!viewer || viewer != ev->account_id || conversations_get(app, viewer, ev->id, &cv))
            return false;
        api_resp resp = {0};
        api_req req = {0};
        api_call c = {.app = app, .req = &req, .resp = &resp};
        c.viewer = app_account(app, viewer);
        if (!c.viewer) return false;
        *event = "conversation";
        jw w;
        jw_init(&w, payload);
        ent_conversation(&c, &w, &cv);
        return true;
    }
    case EV_ANNOUNCEMENT: {
        pl_announcement an;
        if (announcements_get(app, ev->id, &an)) return false;
        api_resp resp = {0};
        api_req req = {0};
        api_call c = {.app = app, .req = &req, .resp = &resp}; /* no viewer: as Mastodon */
        *event = "announcement";
        jw w;
        jw_init(&w, payload);
        ent_announcement(&c, &w, &an);
        return true;
    }
    case EV_ANNOUNCEMENT_DELETE:
        *event = "announcement.delete";
        buf_printf(payload, "%lld", (long long)ev->id);
        return true;
    case EV_ANNOUNCEMENT_REACTION: {
        /* the emoji by its slot; the count is the act's (the event's aux), not the present's */
        const char *name;
        int64_t now_count, count = ev->aux;
        if (announcements_reaction_of(app, ev->id, ev->account_id, &name, &now_count)) return false;
        *event = "announcement.reaction";
        jw w;
        jw_init(&w, payload);
        jw_obj(&w);
        jw_kstr(&w, "name", name);
        jw_kint(&w, "count", count);
        jw_kid(&w, "announcement_id", ev->id);
        jw_obj_end(&w);
        return true;
    }
    default: return false;
    }
}

void api_stream_quote(buf *out, const char *payload, size_t len)
{
    jw w;
    jw_init(&w, out);
    jw_strn(&w, payload, len);
}

void api_stream_ws_message(buf *out, const stream_sub *sub, const char *event, const char *quoted,
                           size_t len)
{
    jw w;
    jw_init(&w, out);
    jw_obj(&w);
    jw_key(&w, "stream");
    jw_arr(&w);
    jw_str(&w, stream_name(sub->kind));
    if (sub->kind == STREAM_HASHTAG || sub->kind == STREAM_HASHTAG_LOCAL) jw_str(&w, sub->tag);
    if (sub->kind == STREAM_LIST) jw_id(&w, sub->list_id);
    if (sub->kind == STREAM_CHANNEL) jw_id(&w, sub->channel_id);
    jw_arr_end(&w);
    jw_kstr(&w, "event", event);
    jw_key(&w, "payload");
    jw_raw(&w, quoted, len);
    jw_obj_end(&w);
}

void api_stream_sse_message(buf *out, const char *event, const char *payload, size_t len)
{
    buf_printf(out, "event: %s\ndata: ", event);
    buf_append(out, payload, len);
    buf_puts(out, "\n\n");
}
