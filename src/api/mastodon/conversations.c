/*
 * conversations.c — /api/v1/conversations (direct conversations) and partyline's own
 * /api/v1/partyline/unread (unread notifications and conversations in one answer).
 * docs.joinmastodon.org/methods/conversations, /entities/Conversation
 */
#include "api/handlers.h"
#include "app/conversations.h"
#include "app/notify.h"

static void index_(api_call *c)
{
    pl_page p;
    api_page(c, &p, 20, 40);
    conversation_view *v;
    int n;
    if (failed(c, conversations_page(c->app, c->viewer->id, &p, &v, &n))) return;
    /* paged by last status, as Mastodon: the Link header carries last status ids */
    pl_idlist keys = {.n = n};
    keys.ids = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    keys.keys = keys.ids;
    int64_t *shown = arena_alloc(c->app->a, sizeof(int64_t) * (size_t)(n + 1));
    int ns = 0;
    for (int i = 0; i < n; i++) {
        keys.ids[i] = v[i].conv.last_status_id;
        if (v[i].shown_status_id) shown[ns++] = v[i].shown_status_id;
    }
    posts_prefetch_flags(c->app, c->viewer->id, shown, ns);
    jw w;
    api_json(c, &w);
    api_link(c, &keys, &p);
    jw_arr(&w);
    for (int i = 0; i < n; i++) ent_conversation(c, &w, &v[i]);
    jw_arr_end(&w);
}

static void read_(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    conversation_view v;
    if (failed(c, conversations_read(c->app, c->viewer->id, id, &v))) return;
    jw w;
    api_json(c, &w);
    ent_conversation(c, &w, &v);
}

static void destroy(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    if (failed(c, conversations_remove(c->app, c->viewer->id, id))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_obj_end(&w);
}

/* Each unread thing once: a direct message is an unread conversation, so the notification
 * it made (a mention) is not counted again under notifications. */
static void unread(api_call *c)
{
    int64_t notifications, conversations;
    if (failed(c, notify_unread_count(c->app, c->viewer->id, true, &notifications)) ||
        failed(c, conversations_unread_count(c->app, c->viewer->id, &conversations)))
        return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kint(&w, "notifications", notifications);
    jw_kint(&w, "conversations", conversations);
    jw_kint(&w, "limit", c->app->cfg->max_unread_count);
    jw_obj_end(&w);
}

const api_route api_routes_conversations[] = {
    {M_GET, "/api/v1/conversations", index_, EXEC_READ, AUTH_USER, "read:statuses"},
    {M_DELETE, "/api/v1/conversations/:id", destroy, EXEC_WRITE, AUTH_USER, "write:conversations"},
    {M_POST, "/api/v1/conversations/:id/read", read_, EXEC_WRITE, AUTH_USER, "write:conversations"},
    {M_GET, "/api/v1/partyline/unread", unread, EXEC_READ, AUTH_USER, "read:notifications"},
    {0},
};
