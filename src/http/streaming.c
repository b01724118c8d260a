/*
 * streaming.c — the streaming API's connections: WebSocket (/api/v1/streaming) and
 * server-sent events (/api/v1/streaming/user, /public, …), held by the event loop that
 * accepted them.
 *
 * Event flow: after a write commits, the runtime's writer appends its events (ids only) to
 * the shared event log and calls the events_appended hook, which wakes every loop (one
 * preallocated message per loop, sent only when the loop has not been woken already); other
 * nodes' events arrive the same way from the runtime's listener (run/publish.c).
 * A woken loop reads the new events and, inside one read transaction on its own connection,
 * loads each event's records once, renders a status once (as signed-out visitors see it),
 * and asks app/stream.c for every subscriber whether they may hear it. Nothing is sent to a
 * subscriber the rules did not accept.
 *
 * Back-pressure: every connection has at most stream_max_buffer bytes waiting (our buffer
 * for SSE, wslay's queue for WebSocket; the socket's send buffer is set to the same size).
 * A client that falls further behind is dropped at once — closed with a reason when the
 * socket still takes it — so one stalled reader never costs memory for everyone. Heartbeats
 * (":thump" for SSE, a ping for WebSocket) go to connections that were silent for
 * stream_heartbeat seconds. A connection is freed only between events (dead flag and sweep),
 * because h2o may report a close from inside a send.
 *
 * This file must never decide who hears what (app/stream.c does) nor write a message's JSON
 * (api/mastodon/streaming.c does).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http/server_internal.h" /* first: it chooses h2o's event loop */

#include <h2o/websocket.h>

#include "api/streaming.h"
#include "util/log.h"
#include "util/timeutil.h"

enum {
    WS_CLOSE_WAIT_MS = 5000, /* a WebSocket we closed waits this long for the client's answer */
    STREAM_MAX_SUBS = 16,    /* subscriptions of one WebSocket */
    EVENTS_PER_READ = 256,   /* events copied out of the log at once */
};

typedef struct stream_conn {
    h2o_linklist_t link; /* in loop_thread.streams */
    loop_thread *lt;
    bool is_ws;
    bool dead;          /* gone (or going): send nothing, free at the next sweep */
    bool counted;       /* holds a place in the connection limits */
    bool dropping;      /* SSE: closing because it fell behind */
    bool ws_closed;     /* WebSocket: h2o_websocket_close was called (h2o forgot it) */
    bool needs_proceed; /* WebSocket: messages queued since the last flush */
    bool in_callback;   /* WebSocket: inside wslay's receive (h2o must not be called) */
    h2o_websocket_conn_t *ws;
    h2o_req_t *req; /* SSE; NULL once h2o disposed it */
    h2o_generator_t gen;
    buf pending, inflight; /* SSE: waiting, and handed to h2o until it asks for more */
    bool sending, close_after;
    api_stream_client who;
    stream_sub subs[STREAM_MAX_SUBS];
    int n_subs;
    int64_t last_write_ms;
    int64_t checked_ms; /* when its token was last found good */
    int64_t closing_ms; /* WebSocket: when our close frame was queued (0: not closing) */
} stream_conn;

/* ---------------------------------------------------------------- limits per account */

/* Streams per account across every loop: a small open-addressing table under a mutex
 * (touched only when a stream opens or closes). */
struct stream_accounts {
    pthread_mutex_t mu;
    int64_t *keys;
    int *counts;
    size_t cap; /* a power of two, more than twice the most connections a node takes */
};

static size_t slot_of(const struct stream_accounts *t, int64_t id)
{
    return ((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (t->cap - 1);
}

/* Takes a place for account id; false if it holds `max` already. */
static bool accounts_take(struct stream_accounts *t, int64_t id, int max)
{
    pthread_mutex_lock(&t->mu);
    size_t i = slot_of(t, id);
    while (t->keys[i] && t->keys[i] != id) i = (i + 1) & (t->cap - 1);
    bool ok = t->counts[i] < max;
    if (ok) {
        t->keys[i] = id;
        t->counts[i]++;
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

/* Gives a place back; an emptied slot is removed with backward-shift deletion. */
static void accounts_give(struct stream_accounts *t, int64_t id)
{
    pthread_mutex_lock(&t->mu);
    size_t i = slot_of(t, id);
    while (t->keys[i] && t->keys[i] != id) i = (i + 1) & (t->cap - 1);
    if (t->keys[i] == id && --t->counts[i] == 0) {
        size_t j = i;
        for (;;) {
            j = (j + 1) & (t->cap - 1);
            if (!t->keys[j]) break;
            size_t home = slot_of(t, t->keys[j]);
            /* move j back into the hole at i unless its home lies in (i, j] */
            bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (stays) continue;
            t->keys[i] = t->keys[j];
            t->counts[i] = t->counts[j];
            i = j;
        }
        t->keys[i] = 0;
        t->counts[i] = 0;
    }
    pthread_mutex_unlock(&t->mu);
}

void streaming_server_init(server *s)
{
    struct stream_accounts *t = calloc(1, sizeof *t);
    if (!t) abort();
    pthread_mutex_init(&t->mu, NULL);
    t->cap = 1024;
    while (t->cap < (size_t)s->cfg->stream_max_connections * 2 + 2) t->cap *= 2;
    t->keys = calloc(t->cap, sizeof *t->keys);
    t->counts = calloc(t->cap, sizeof *t->counts);
    if (!t->keys || !t->counts) abort();
    s->stream_accounts = t;
}

/* ---------------------------------------------------------------- connections */

static void release(stream_conn *c)
{
    if (!c->counted) return;
    c->counted = false;
    server *s = c->lt->srv;
    atomic_fetch_sub(&s->m->stream_connections, 1);
    if (c->who.viewer) accounts_give(s->stream_accounts, c->who.viewer);
}

/* Frees the connections that died (between events only: see the top). */
static void sweep(loop_thread *lt)
{
    for (h2o_linklist_t *l = lt->streams.next, *next; l != &lt->streams; l = next) {
        next = l->next;
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        /* h2o still holds an SSE response's buffers, and a WebSocket's callback */
        if (!c->dead || (c->is_ws ? !c->ws_closed : c->req != NULL)) continue;
        release(c);
        h2o_linklist_unlink(&c->link);
        buf_free(&c->pending);
        buf_free(&c->inflight);
        free(c);
    }
}

static void sse_flush(stream_conn *c);

static void sse_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    (void)req;
    stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, gen, g);
    c->sending = false;
    buf_reset(&c->inflight);
    sse_flush(c);
}

static void sse_stop(h2o_generator_t *g, h2o_req_t *req)
{
    (void)req;
    stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, gen, g);
    c->dead = true;
}

static void sse_dispose(void *p)
{
    stream_conn *c = *(stream_conn **)p;
    c->req = NULL;
    c->dead = true;
    release(c);
}

/* Hands what is pending to h2o when it is not busy with an earlier part. */
static void sse_flush(stream_conn *c)
{
    if (!c->req || c->sending) return;
    if (c->close_after && !c->pending.len) {
        c->close_after = false;
        c->dead = true;
        h2o_send(c->req, NULL, 0, c->dropping ? H2O_SEND_STATE_ERROR : H2O_SEND_STATE_FINAL);
        return;
    }
    if (!c->pending.len || c->dead) return;
    buf t = c->inflight;
    c->inflight = c->pending;
    c->pending = t;
    buf_reset(&c->pending);
    c->sending = true;
    h2o_iovec_t iov = h2o_iovec_init(c->inflight.data, c->inflight.len);
    h2o_send(c->req, &iov, 1, H2O_SEND_STATE_IN_PROGRESS);
}

/* Closes a stream with a reason: a WebSocket close frame, or the end of the SSE response.
 * too_slow: the client fell behind (its socket may take nothing more: cut it). */
static void conn_close(stream_conn *c, int code, const char *why, bool too_slow)
{
    if (c->dead) return;
    if (c->is_ws) {
        c->dead = true;
        release(c);
        wslay_event_queue_close(c->ws->ws_ctx, (uint16_t)code, (const uint8_t *)why, strlen(why));
        c->closing_ms = time_now_ms();
        if (c->in_callback) {
            /* freeing the connection under wslay's feet is not allowed: h2o sends the close
             * when wslay returns, and the next tick cuts a client that is too slow */
            if (too_slow) c->closing_ms -= WS_CLOSE_WAIT_MS;
            return;
        }
        if (too_slow) {
            c->ws_closed = true;
            h2o_websocket_close(c->ws); /* nothing more will be read: free it now */
        } else {
            h2o_websocket_proceed(c->ws); /* the close goes out; h2o_websocket_close follows */
        }
        return;
    }
    if (!c->req) return;
    buf_reset(&c->pending);
    if (too_slow) {
        c->dropping = true;
        if (c->sending) {
            /* h2o is stuck writing to it: fail that write, and h2o closes the connection */
            h2o_socket_t *sock = c->req->conn->callbacks->get_socket(c->req->conn);
            if (sock) shutdown(h2o_socket_get_fd(sock), SHUT_RDWR);
            c->dead = true;
            return;
        }
    } else {
        buf_printf(&c->pending, ": %s\n\n", why);
    }
    c->close_after = true;
    sse_flush(c);
}

/* Queues one message; drops the client if that would put it over stream_max_buffer. */
static void conn_send(stream_conn *c, const char *data, size_t len)
{
    if (c->dead) return;
    server *s = c->lt->srv;
    size_t max = (size_t)s->cfg->stream_max_buffer;
    size_t queued = c->is_ws ? wslay_event_get_queued_msg_length(c->ws->ws_ctx)
                             : c->pending.len + c->inflight.len;
    if (queued + len > max) {
        atomic_fetch_add(&s->m->stream_clients_dropped, 1);
        log_info("event=stream_dropped account=%lld queued=%zu", (long long)c->who.viewer, queued);
        conn_close(c, 1008, "too slow: the client does not read its stream", true);
        return;
    }
    c->last_write_ms = time_now_ms();
    if (c->is_ws) {
        /* sent by flush(): h2o_websocket_proceed may read a command, which must not change
         * subscriptions while an event is being delivered */
        struct wslay_event_msg m = {WSLAY_TEXT_FRAME, (const uint8_t *)data, len};
        if (wslay_event_queue_msg(c->ws->ws_ctx, &m) == 0) c->needs_proceed = true;
    } else {
        buf_append(&c->pending, data, len);
        sse_flush(c);
    }
}

/* Lets h2o write what was queued on the loop's WebSockets. */
static void flush(loop_thread *lt)
{
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        if (!c->needs_proceed) continue;
        c->needs_proceed = false;
        if (!c->dead) h2o_websocket_proceed(c->ws);
    }
}

static void ws_error(stream_conn *c, int status, const char *msg)
{
    buf b = BUF_INIT;
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "error", msg);
    jw_kint(&w, "status", status);
    jw_obj_end(&w);
    conn_send(c, b.data, b.len);
    buf_free(&b);
}

/* ---------------------------------------------------------------- opening */

/* An app context for this loop's read connection (inside a read transaction). */
static void loop_app(loop_thread *lt, app_ctx *app, arena *a)
{
    run_reader_app(lt->reader, app, a, true);
}

static bool has_sub(const stream_conn *c, const stream_sub *sub)
{
    for (int i = 0; i < c->n_subs; i++)
        if (stream_sub_same(&c->subs[i], sub)) return true;
    return false;
}

static void ws_command(stream_conn *c, const char *msg, size_t len)
{
    loop_thread *lt = c->lt;
    arena a = ARENA_INIT;
    app_ctx app;
    loop_app(lt, &app, &a);
    run_reader_sync(lt->reader);
    bool txn = run_reader_begin(lt->reader);
    bool subscribe = false;
    stream_sub sub;
    const char *err = NULL;
    int status = api_stream_command(&app, &c->who, msg, len, &subscribe, &sub, &err);
    if (txn) run_reader_end(lt->reader);
    if (status) {
        ws_error(c, status, err ? err : "Bad request");
    } else if (subscribe && !has_sub(c, &sub)) {
        if (c->n_subs < STREAM_MAX_SUBS)
            c->subs[c->n_subs++] = sub;
        else
            ws_error(c, 422, "Too many subscriptions on one connection");
    } else if (!subscribe) {
        for (int i = 0; i < c->n_subs; i++)
            if (stream_sub_same(&c->subs[i], &sub)) c->subs[i--] = c->subs[--c->n_subs];
    }
    arena_free(&a);
}

static void on_ws_message(h2o_websocket_conn_t *ws, const struct wslay_event_on_msg_recv_arg *arg)
{
    stream_conn *c = ws->data;
    if (!arg) { /* closed */
        c->dead = true;
        c->ws_closed = true;
        release(c);
        h2o_websocket_close(ws);
        return;
    }
    /* wslay answers every ping with a pong on its own: a client that sends pings and reads
     * nothing would grow that queue without end */
    c->in_callback = true;
    if (!c->dead && wslay_event_get_queued_msg_length(ws->ws_ctx) >
                        (size_t)c->lt->srv->cfg->stream_max_buffer) {
        atomic_fetch_add(&c->lt->srv->m->stream_clients_dropped, 1);
        conn_close(c, 1008, "too slow: the client does not read its stream", true);
    }
    if (arg->opcode == WSLAY_TEXT_FRAME && !c->dead)
        ws_command(c, (const char *)arg->msg, arg->msg_length);
    c->in_callback = false;
}

static void set_send_buffer(h2o_req_t *req, int bytes)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (sock) setsockopt(h2o_socket_get_fd(sock), SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

static void answer_error(h2o_req_t *req, int status, const char *msg)
{
    buf b = BUF_INIT;
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "error", msg);
    jw_obj_end(&w);
    api_resp r = {.status = status, .body = b};
    send_resp(req, &r);
    buf_free(&r.body);
}

/* The stream an SSE path names: "/api/v1/streaming/user/notification" → "user:notification". */
static const char *sse_stream_name(h2o_req_t *req, const char *path, size_t plen, size_t base)
{
    if (plen <= base + 1) return NULL;
    char *name = h2o_mem_alloc_pool(&req->pool, plen - base);
    memcpy(name, path + base + 1, plen - base - 1);
    name[plen - base - 1] = '\0';
    for (char *p = name; *p; p++)
        if (*p == '/') *p = ':';
    return name;
}

bool streaming_handle(loop_thread *lt, h2o_req_t *req, const char *path, size_t plen)
{
    static const char base[] = "/api/v1/streaming";
    size_t bn = sizeof base - 1;
    if (plen < bn || memcmp(path, base, bn) != 0 || (plen > bn && path[bn] != '/')) return false;
    if (plen == bn + 7 && !memcmp(path + bn, "/health", 7)) return false; /* a plain route */
    server *s = lt->srv;
    const char *key = NULL;
    bool is_ws = h2o_is_websocket_handshake(req, &key) == 0 && key != NULL;
    const char *name = is_ws || plen <= bn + 1 ? NULL : sse_stream_name(req, path, plen, bn);
    if (lt->stopping) {
        answer_error(req, 503, "The server is shutting down");
        return true;
    }

    arena a = ARENA_INIT;
    app_ctx app;
    loop_app(lt, &app, &a);
    api_req ar = {.method = M_GET, .path = "", .ip = ""};
    ar.query = req->query_at != SIZE_MAX ? arena_strndup(&a, req->path.base + req->query_at + 1,
                                                         req->path.len - req->query_at - 1)
                                         : "";
    ssize_t hi = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (hi >= 0)
        ar.authorization = arena_strndup(&a, req->headers.entries[hi].value.base,
                                         req->headers.entries[hi].value.len);
    const char *protocol = NULL;
    ssize_t pi = h2o_find_header_by_str(&req->headers, H2O_STRLIT("sec-websocket-protocol"), -1);
    if (pi >= 0) {
        h2o_iovec_t v = req->headers.entries[pi].value;
        protocol = arena_strndup(&a, v.base, strcspn(arena_strndup(&a, v.base, v.len), ", "));
    }
    run_reader_sync(lt->reader);
    bool txn = run_reader_begin(lt->reader);
    api_stream_client who;
    stream_sub sub;
    bool subscribed = false;
    const char *err = NULL;
    int status = api_stream_open(&app, &ar, name, protocol, &who, &sub, &subscribed, &err);
    if (txn) run_reader_end(lt->reader);
    if (!status && !is_ws && !subscribed) {
        status = 400;
        err = "No stream given (use a path such as /api/v1/streaming/user, or a WebSocket)";
    }
    if (status) {
        answer_error(req, status, err ? err : "Bad request");
        arena_free(&a);
        return true;
    }
    if (atomic_fetch_add(&s->m->stream_connections, 1) >= s->cfg->stream_max_connections) {
        atomic_fetch_sub(&s->m->stream_connections, 1);
        answer_error(req, 429, "Too many streaming connections on this server");
        arena_free(&a);
        return true;
    }
    if (who.viewer &&
        !accounts_take(s->stream_accounts, who.viewer, s->cfg->stream_max_per_account)) {
        atomic_fetch_sub(&s->m->stream_connections, 1);
        answer_error(req, 429, "Too many streaming connections for this account");
        arena_free(&a);
        return true;
    }
    stream_conn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->lt = lt;
    c->is_ws = is_ws;
    c->who = who;
    c->counted = true;
    c->last_write_ms = c->checked_ms = time_now_ms();
    if (subscribed) c->subs[c->n_subs++] = sub;
    h2o_linklist_insert(&lt->streams, &c->link);
    set_send_buffer(req, s->cfg->stream_max_buffer);
    if (is_ws) {
        if (protocol && *protocol) {
            /* the token came as the subprotocol: the handshake must name it back */
            h2o_add_header_by_str(
                &req->pool, &req->res.headers, H2O_STRLIT("sec-websocket-protocol"), 0, NULL,
                h2o_strdup(&req->pool, protocol, SIZE_MAX).base, strlen(protocol));
        }
        c->ws = h2o_upgrade_to_websocket(req, key, c, on_ws_message);
        /* wslay keeps a message whole until its last frame (2 GiB by default): a longer one
         * is refused, and wslay closes the connection with 1009 "message too big" */
        wslay_event_config_set_max_recv_msg_length(c->ws->ws_ctx,
                                                   (uint64_t)s->cfg->stream_max_message);
    } else {
        stream_conn **owner = h2o_mem_alloc_shared(&req->pool, sizeof *owner, sse_dispose);
        *owner = c;
        c->req = req;
        c->gen = (h2o_generator_t){sse_proceed, sse_stop};
        req->res.status = 200;
        req->res.reason = "OK";
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                       H2O_STRLIT("text/event-stream"));
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                       H2O_STRLIT("no-store"));
        h2o_start_response(req, &c->gen);
        conn_send(c, H2O_STRLIT(":)\n"));
    }
    arena_free(&a);
    return true;
}

/* ---------------------------------------------------------------- delivering events */

/* A revoked token (or all of an account's, ev->id 0) ends the streams opened with it. */
static void end_revoked(loop_thread *lt, const pl_event *ev)
{
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        if (!c->dead && c->who.viewer && c->who.viewer == ev->account_id &&
            (ev->id == 0 || c->who.token_id == ev->id))
            conn_close(c, 1008, "the access token was revoked", false);
    }
}

/* One event to every subscriber of this loop who may hear it. */
static void deliver_one(loop_thread *lt, const pl_event *ev, buf *payload, buf *quoted, buf *msg)
{
    if (ev->kind == EV_TOKEN_REVOKED) {
        end_revoked(lt, ev);
        return;
    }
    server *s = lt->srv;
    arena a = ARENA_INIT;
    app_ctx app;
    loop_app(lt, &app, &a);
    /* the decisions ask about the author's (or recipient's) relations to each subscriber:
     * with them as the context's viewer, those come from one query instead of one each */
    app.viewer_id = ev->account_id;
    stream_item it;
    stream_item_load(&app, ev, &it);
    bool rendered = false, renderable = true;
    const char *event = NULL;
    int64_t delivered = 0;
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        for (int i = 0; i < c->n_subs && !c->dead; i++) {
            if (!stream_wants(&app, c->who.viewer, &c->subs[i], &it)) continue;
            /* a post with files is rendered per subscriber: its addresses are signed for each */
            bool per_viewer =
                ev->kind == EV_NOTIFICATION || ev->kind == EV_CONVERSATION || it.per_viewer;
            if (per_viewer || !rendered) {
                if (!renderable) break;
                rendered = true;
                renderable = api_stream_render(&app, c->who.viewer, &it, payload, &event);
                if (!renderable) {
                    if (per_viewer) renderable = true; /* the next subscriber is another */
                    break;
                }
                buf_reset(quoted);
                api_stream_quote(quoted, payload->data, payload->len);
            }
            buf_reset(msg);
            if (c->is_ws)
                api_stream_ws_message(msg, &c->subs[i], event, quoted->data, quoted->len);
            else
                api_stream_sse_message(msg, event, payload->data, payload->len);
            conn_send(c, msg->data, msg->len);
            delivered++;
            if (!c->is_ws) break; /* an SSE response is one stream */
        }
    }
    if (delivered) atomic_fetch_add(&s->m->stream_events_delivered, delivered);
    arena_free(&a);
}

static void deliver_events(loop_thread *lt)
{
    server *s = lt->srv;
    if (lt->stopping) return;
    if (h2o_linklist_is_empty(&lt->streams)) {
        lt->event_seq = eventlog_head(s->events); /* nobody listens here */
        return;
    }
    pl_event evs[EVENTS_PER_READ];
    buf payload = BUF_INIT, quoted = BUF_INIT, msg = BUF_INIT;
    for (;;) {
        uint64_t missed;
        int n = eventlog_read(s->events, &lt->event_seq, evs, EVENTS_PER_READ, &missed);
        if (missed) {
            atomic_fetch_add(&s->m->stream_events_missed, (int64_t)missed);
            log_error("event=stream_events_missed count=%llu", (unsigned long long)missed);
        }
        if (n == 0) break;
        run_reader_sync(lt->reader); /* before the snapshot: see cache.h */
        bool txn = run_reader_begin(lt->reader);
        for (int i = 0; i < n; i++) deliver_one(lt, &evs[i], &payload, &quoted, &msg);
        if (txn) run_reader_end(lt->reader);
    }
    buf_free(&payload);
    buf_free(&quoted);
    buf_free(&msg);
    flush(lt);
    sweep(lt);
}

static void on_wake(h2o_multithread_receiver_t *recv, h2o_linklist_t *messages)
{
    loop_thread *lt = H2O_STRUCT_FROM_MEMBER(loop_thread, wake_recv, recv);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m =
            H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&m->link);
    }
    /* cleared before reading: an append after this wakes the loop again */
    atomic_store(&lt->wake_pending, false);
    deliver_events(lt);
}

void streaming_wake(server *s)
{
    for (int i = 0; i < s->n_loops; i++) {
        loop_thread *lt = &s->loops[i];
        if (!atomic_load(&lt->ready)) continue; /* it starts from the log's head anyway */
        if (!atomic_exchange(&lt->wake_pending, true))
            h2o_multithread_send_message(&lt->wake_recv, &lt->wake_msg);
    }
}

void streaming_loop_init(loop_thread *lt)
{
    h2o_linklist_init_anchor(&lt->streams);
    lt->event_seq = eventlog_head(lt->srv->events);
    h2o_multithread_register_receiver(lt->queue, &lt->wake_recv, on_wake);
    lt->next_heartbeat_ms = time_now_ms() + 1000;
}

/* Ends the streams whose token is no longer good (revoked, its account disabled), by the rule
 * every request follows: every stream at once when another process said it revoked tokens
 * (the mark moved), otherwise each one stream_heartbeat seconds after its last check — the
 * backstop for a revocation whose word was lost. */
static void check_tokens(loop_thread *lt, int64_t now)
{
    bool any = false;
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams && !any; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        any = !c->dead && c->who.has_token;
    }
    if (!any) return;
    arena a = ARENA_INIT;
    app_ctx app;
    loop_app(lt, &app, &a);
    bool txn = run_reader_begin(lt->reader);
    int64_t mark = stream_revocations_mark(&app);
    bool all = mark != lt->revocations_mark || mark < 0; /* an error fails closed */
    int64_t every = (int64_t)lt->srv->cfg->stream_heartbeat * 1000;
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        if (c->dead || !c->who.has_token || (!all && now - c->checked_ms < every)) continue;
        c->checked_ms = now;
        if (!api_stream_client_live(&app, &c->who))
            conn_close(c, 1008,
                       "the access token is no longer valid (revoked, or its account disabled)",
                       false);
    }
    if (txn) run_reader_end(lt->reader);
    lt->revocations_mark = mark;
    arena_free(&a);
}

static void end_unanswered_closes(loop_thread *lt, int64_t now)
{
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        if (c->is_ws && c->dead && !c->ws_closed && c->closing_ms &&
            now - c->closing_ms > WS_CLOSE_WAIT_MS) {
            c->ws_closed = true;
            h2o_websocket_close(c->ws);
        }
    }
}

void streaming_tick(loop_thread *lt)
{
    int64_t now = time_now_ms();
    if (now < lt->next_heartbeat_ms) return;
    lt->next_heartbeat_ms = now + 1000;
    deliver_events(lt); /* a wake-up is never lost, but this costs nothing */
    check_tokens(lt, now);
    end_unanswered_closes(lt, now);
    int64_t quiet = (int64_t)lt->srv->cfg->stream_heartbeat * 1000;
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        if (c->dead || now - c->last_write_ms < quiet) continue;
        if (c->is_ws) {
            c->last_write_ms = now;
            struct wslay_event_msg ping = {WSLAY_PING, NULL, 0};
            if (wslay_event_queue_msg(c->ws->ws_ctx, &ping) == 0) c->needs_proceed = true;
        } else {
            conn_send(c, H2O_STRLIT(":thump\n"));
        }
    }
    flush(lt);
    sweep(lt);
}

void streaming_close_all(loop_thread *lt)
{
    for (h2o_linklist_t *l = lt->streams.next; l != &lt->streams; l = l->next) {
        stream_conn *c = H2O_STRUCT_FROM_MEMBER(stream_conn, link, l);
        conn_close(c, 1001, "server shutting down", false);
    }
    sweep(lt);
}
