/*
 * server.c — libh2o event loops: accepting, requests, responses, shutdown. The writer and
 * worker threads are the runtime's (src/run): this file only hands them work.
 *
 * Flow of a request: the loop thread that accepted it builds an api_req (copying what it
 * needs out of h2o's memory), applies rate limits, and matches the route. Reads run inline
 * on the loop with its read-only connection (run_reader_run). Writes and slow jobs (password
 * hashing, trends, deep pages: api_exec_for) are handed to the runtime (run_offer, run/run.h),
 * whose writer group-commits them and whose workers run the slow ones; it gives each answer
 * back through the `done` hook set here (job_done), which posts it to the loop it came from
 * through h2o's cross-thread queue. The runtime's queues are bounded, and one client may hold
 * only a few places in the workers' (run_offer): a request beyond is answered at once
 * (refuse_busy), never queued.
 *
 * h2o is confined to src/http: the rest of partyline sees api_req/api_resp only. If the
 * client goes away while its job is queued, the request pool's dispose hook detaches the
 * job, and the answer is dropped when it comes back.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/cors.h"
#include "http/gzip.h"
#include "http/server_internal.h"
#include "http/web.h"
#include "util/log.h"
#include "util/timeutil.h"

static server *the_server; /* for the signal handler only */

/* ---------------------------------------------------------------- responses */

static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, value,
                          strlen(value));
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    }
    return "";
}

static void free_body(void *p)
{
    free(*(char **)p);
}

static void body_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    (void)g;
    (void)req;
}

/* Sends the body without copying it: the request's pool takes the buffer and frees it when
 * the response is done (a timeline page is tens of kilobytes). */
static void send_body(h2o_req_t *req, buf *body)
{
    size_t len = body->len;
    char **owner = h2o_mem_alloc_shared(&req->pool, sizeof *owner, free_body);
    *owner = buf_steal(body);
    h2o_generator_t *gen = h2o_mem_alloc_pool(&req->pool, sizeof *gen);
    *gen = (h2o_generator_t){body_proceed, NULL};
    req->res.content_length = len;
    h2o_start_response(req, gen);
    h2o_iovec_t iov = h2o_iovec_init(*owner, len);
    h2o_send(req, &iov, 1, H2O_SEND_STATE_FINAL);
}

/* The status line and headers of r. */
static void send_head(h2o_req_t *req, api_resp *r)
{
    req->res.status = r->status;
    req->res.reason = reason(r->status);
    const char *ct = r->content_type ? r->content_type : "application/json; charset=utf-8";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ct, strlen(ct));
    for (int i = 0; i < r->n_headers; i++) {
        /* copy into the request pool: the values may live in a job's arena */
        size_t vl = strlen(r->headers[i].value);
        char *v = h2o_mem_alloc_pool(&req->pool, vl + 1);
        memcpy(v, r->headers[i].value, vl + 1);
        h2o_add_header_by_str(&req->pool, &req->res.headers, r->headers[i].name,
                              strlen(r->headers[i].name), 1, NULL, v, vl);
    }
}

/* Whether the client said it accepts gzip (Accept-Encoding). */
static bool accepts_gzip(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, -1);
    if (i < 0) return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    return web_accepts_gzip(v.base, v.len);
}

/* A JSON answer of gzip_min_bytes or more goes gzip'd to a client that accepts it (gzip.c);
 * every such answer says Vary: Accept-Encoding, compressed or not, so a cache keeps the two
 * apart. */
static void maybe_gzip(h2o_req_t *req, api_resp *r)
{
    const loop_thread *lt = H2O_STRUCT_FROM_MEMBER(loop_thread, ctx, req->conn->ctx);
    if (!http_gzip_wanted(r->content_type, r->body.len, lt->srv->cfg->gzip_min_bytes)) return;
    add_header(req, "vary", "accept-encoding");
    if (!accepts_gzip(req)) return;
    buf zipped = BUF_INIT;
    if (!http_gzip(r->body.data, r->body.len, &zipped)) {
        buf_free(&zipped);
        return;
    }
    buf_free(&r->body);
    r->body = zipped;
    add_header(req, "content-encoding", "gzip");
}

void send_resp(h2o_req_t *req, api_resp *r)
{
    send_head(req, r);
    maybe_gzip(req, r);
    send_body(req, &r->body);
}

void send_json_error(h2o_req_t *req, int status, const char *msg)
{
    api_resp r = {.status = status};
    buf_printf(&r.body, "{\"error\":\"%s\"}", msg);
    send_resp(req, &r);
    buf_free(&r.body);
}

static void stream_start(job *j);
static void stream_piece(job *j);

void job_free(job *j)
{
    if (j->ref) j->ref->j = NULL;
    api_resp_free(&j->work.resp);
    arena_free(&j->work.a);
    free(j);
}

/* The runtime's `done` hook (any of its threads): the answer goes back to the job's loop. */
static void job_done(run_job *w)
{
    job *j = H2O_STRUCT_FROM_MEMBER(job, work, w);
    h2o_multithread_send_message(&j->origin->done_recv, &j->msg);
}

/* The runtime's `events_appended` hook. */
static void events_appended(void *ctx)
{
    streaming_wake(ctx);
}

static void finish_job(server *s, job *j)
{
    j->origin->inflight--;
    if (j->pulling) { /* the next piece of a streamed body */
        stream_piece(j);
        return;
    }
    atomic_fetch_add(&s->m->fanout_rows, j->work.fanout);
    if (j->req) {
        /* count before answering: a client that asks /metrics next must see it counted */
        int64_t us = (time_mono_ns() - j->t0_ns) / 1000;
        metrics_observe(s->m, j->work.metric, j->work.resp.status, us);
        if (j->work.resp.source.pull) {
            stream_start(j);
            return;
        }
        send_resp(j->req, &j->work.resp);
    }
    job_free(j);
}

static void on_jobs_done(h2o_multithread_receiver_t *recv, h2o_linklist_t *messages)
{
    loop_thread *lt = H2O_STRUCT_FROM_MEMBER(loop_thread, done_recv, recv);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m =
            H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&m->link);
        finish_job(lt->srv, (job *)m);
    }
}

/* ---------------------------------------------------------------- h2o's own errors */

/* h2o answers a body over max_request_entity_size itself (a Content-Length over the limit
 * before any body is read, or a chunked body that grows past it) with a text/plain 413,
 * before partyline sees the request. This filter, on every path h2o may answer from,
 * rewrites such an answer into the API's JSON error; answers partyline wrote pass untouched. */
static const char body_too_large[] = "{\"error\":\"The request body is too large\"}";

static void json_413_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t n,
                          h2o_send_state_t state)
{
    (void)bufs;
    (void)n;
    h2o_iovec_t body = h2o_iovec_init(H2O_STRLIT(body_too_large));
    if (h2o_send_state_is_in_progress(state))
        h2o_ostream_send_next(self, req, NULL, 0, state);
    else
        h2o_ostream_send_next(self, req, &body, 1, state);
}

static void json_413_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    ssize_t ct = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1);
    h2o_iovec_t type = ct >= 0 ? req->res.headers.entries[ct].value : h2o_iovec_init(NULL, 0);
    if (req->res.status == 413 && type.len >= 10 && !memcmp(type.base, "text/plain", 10)) {
        req->res.headers.entries[ct].value =
            h2o_iovec_init(H2O_STRLIT("application/json; charset=utf-8"));
        req->res.reason = reason(413);
        req->res.content_length = sizeof body_too_large - 1;
        h2o_ostream_t *o = h2o_add_ostream(req, sizeof *o, slot);
        o->do_send = json_413_send;
        slot = &o->next;
    }
    h2o_setup_next_ostream(req, slot);
}

/* ---------------------------------------------------------------- request handling */

static void on_req_dispose(void *p)
{
    struct job_ref *ref = p;
    job *j = ref->j;
    if (!j) return;
    j->req = NULL;
    j->ref = NULL;
    /* a streamed answer is done, or its client went away: unless a piece is being read
     * (then stream_piece frees it when it comes back), nothing of it is needed any more */
    if (j->streaming && !j->pulling) job_free(j);
}

/* ---------------------------------------------------------------- pulled bodies */

/*
 * An answer with an api_source (a big file) is sent piece by piece with h2o's generator:
 * the headers first (stream_start), then each piece as the runtime reads it (stream_pull:
 * offered to the read workers, since the store may read the database; on the loop's own
 * reader only when their queue is full or the loop is stopping), and the next only when h2o
 * asks for it (stream_proceed: the client took the last one). So a response holds one piece
 * at a time, in its job's resp.body, however large the file or slow the client. The job
 * belongs to the stream until the request is disposed (on_req_dispose): when it was sent, or
 * the client went away; a piece being read then is dropped when it comes back.
 */
static void stream_pull(job *j)
{
    loop_thread *lt = j->origin;
    buf_reset(&j->work.resp.body);
    j->pulling = true;
    j->work.pull_rc = 0;
    j->work.share = 0; /* its place was taken (and given back) by the request itself */
    lt->inflight++;
    /* a stopping loop reads here: it may have left its run before a worker's answer came */
    if (!lt->stopping && run_offer(lt->srv->run, &j->work, false) == RUN_TAKEN) return;
    run_reader_run(lt->reader, &j->work);
    lt->inflight--;
    stream_piece(j);
}

static void stream_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    (void)req;
    stream_pull(H2O_STRUCT_FROM_MEMBER(job, gen, g));
}

static void stream_piece(job *j)
{
    j->pulling = false;
    if (!j->req) { /* the client went away meanwhile */
        job_free(j);
        return;
    }
    api_resp *r = &j->work.resp;
    int64_t due = r->source.length - j->sent;
    if (j->work.pull_rc || r->body.len == 0 || (int64_t)r->body.len > due) {
        log_error("event=stream_failed rc=%d sent=%lld length=%lld", j->work.pull_rc,
                  (long long)j->sent, (long long)r->source.length);
        h2o_send(j->req, NULL, 0, H2O_SEND_STATE_ERROR); /* the connection is closed */
        return;
    }
    j->sent += (int64_t)r->body.len;
    h2o_iovec_t iov = h2o_iovec_init(r->body.data, r->body.len);
    h2o_send(j->req, &iov, 1,
             j->sent == r->source.length ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

/* Sends the status and headers of j's answer, and starts its pulled body; the job is the
 * stream's from now on. */
static void stream_start(job *j)
{
    h2o_req_t *req = j->req;
    api_resp *r = &j->work.resp;
    send_head(req, r);
    req->res.content_length = (size_t)r->source.length;
    j->gen = (h2o_generator_t){stream_proceed, NULL};
    j->streaming = true;
    if (!j->ref) {
        j->ref = h2o_mem_alloc_shared(&req->pool, sizeof *j->ref, on_req_dispose);
        j->ref->j = j;
    }
    h2o_start_response(req, &j->gen);
    if (r->source.length == 0 || h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL); /* HEAD: the length, no body to read */
    else
        stream_pull(j);
}

static const char *header(h2o_req_t *req, const h2o_token_t *tok, arena *a)
{
    ssize_t i = h2o_find_header(&req->headers, tok, -1);
    if (i < 0) return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    return arena_strndup(a, v.base, v.len);
}

static const char *header_str(h2o_req_t *req, const char *name, arena *a)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0) return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    return arena_strndup(a, v.base, v.len);
}

static bool trusted_proxy(const char *list, const char *ip)
{
    size_t n = strlen(ip);
    for (const char *s = list; s && *s;) {
        while (*s == ',' || *s == ' ') s++;
        size_t m = strcspn(s, ", ");
        if (m == n && !strncmp(s, ip, n)) return true;
        s += m;
    }
    return false;
}

/* The client's address: the peer, or the last X-Forwarded-For hop of a trusted proxy. */
static const char *client_ip(server *s, h2o_req_t *req, arena *a)
{
    struct sockaddr_storage ss;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    char ip[INET6_ADDRSTRLEN] = "unknown";
    if (len && ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof ip);
    else if (len && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof ip);
    if (s->cfg->trusted_proxies[0] && trusted_proxy(s->cfg->trusted_proxies, ip)) {
        const char *xff = header_str(req, "x-forwarded-for", a);
        if (xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ') last++;
            if (*last) return arena_strdup(a, last);
        }
    }
    return arena_strdup(a, ip);
}

static int parse_method(h2o_iovec_t m)
{
    if (h2o_memis(m.base, m.len, H2O_STRLIT("GET")) || h2o_memis(m.base, m.len, H2O_STRLIT("HEAD")))
        return M_GET;
    if (h2o_memis(m.base, m.len, H2O_STRLIT("POST"))) return M_POST;
    if (h2o_memis(m.base, m.len, H2O_STRLIT("PUT"))) return M_PUT;
    if (h2o_memis(m.base, m.len, H2O_STRLIT("PATCH"))) return M_PATCH;
    if (h2o_memis(m.base, m.len, H2O_STRLIT("DELETE"))) return M_DELETE;
    return 0;
}

static void rate_headers(h2o_req_t *req, const ratelimit_result *r)
{
    char v[64];
    snprintf(v, sizeof v, "%lld", (long long)r->limit);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-ratelimit-limit"), 0, NULL,
                          h2o_strdup(&req->pool, v, SIZE_MAX).base, strlen(v));
    snprintf(v, sizeof v, "%lld", (long long)r->remaining);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-ratelimit-remaining"), 0,
                          NULL, h2o_strdup(&req->pool, v, SIZE_MAX).base, strlen(v));
    char t[32];
    time_iso8601(r->reset_ms, t, sizeof t);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-ratelimit-reset"), 0, NULL,
                          h2o_strdup(&req->pool, t, SIZE_MAX).base, strlen(t));
}

/* ---------------------------------------------------------------- rate limits */

/*
 * A request counts against its account only once its token is known to be valid; any other
 * request (no token, a made-up or revoked one, a route that takes no token) counts against
 * the client's address, so inventing bearers buys nothing. Validating on the loop costs a
 * token lookup that api_run repeats, so each loop remembers the tokens it found valid for a
 * minute (TOKEN_MEMO_MS). The memo only chooses whose count a request goes to: a token
 * revoked meanwhile still counts against its account, and api_run refuses it all the same.
 * An app-only token (no account) counts on its own.
 */
struct token_memo {
    char hash[65];
    int64_t key_id; /* the account, or the token for an app-only token */
    bool app_only;
    int64_t until_ms;
};

static const char *bearer_token(const char *h)
{
    if (!h || strncasecmp(h, "Bearer ", 7)) return NULL;
    h += 7;
    while (*h == ' ') h++;
    return *h ? h : NULL;
}

/* The key of a valid token's owner into key (cap bytes); false if the token is not valid. */
static bool token_key(loop_thread *lt, const char *token, arena *a, char *key, size_t cap)
{
    if (strlen(token) > 128) return false;
    char h[65];
    api_token_hash(token, h);
    struct token_memo *m = &lt->token_memo[strtoul((char[]){h[0], h[1], '\0'}, NULL, 16)];
    int64_t now = time_now_ms();
    if (m->until_ms <= now || strcmp(m->hash, h)) {
        app_ctx app;
        run_reader_app(lt->reader, &app, a, false);
        int64_t key_id;
        bool app_only;
        if (!api_token_owner(&app, token, &key_id, &app_only)) return false;
        memcpy(m->hash, h, sizeof h);
        m->app_only = app_only;
        m->key_id = key_id;
        m->until_ms = now + TOKEN_MEMO_MS;
    }
    snprintf(key, cap, "%s:%lld", m->app_only ? "t" : "a", (long long)m->key_id);
    return true;
}

static void refuse(server *s, h2o_req_t *req, const ratelimit_result *r, const char *msg)
{
    char v[32];
    int64_t wait_s = (r->reset_ms - time_now_ms() + 999) / 1000;
    snprintf(v, sizeof v, "%lld", (long long)(wait_s > 0 ? wait_s : 1));
    add_header(req, "retry-after", v);
    atomic_fetch_add(&s->m->rate_limited, 1);
    send_json_error(req, 429, msg);
}

/* Applies the per-account or per-IP limit, and the per-IP limit of app registrations (route
 * r, NULL if none matched); false (and 429 sent) when over one. The client's key (its
 * account, app-only token or address) goes into client (CLIENT_KEY bytes) for the queues. */
static bool rate_ok(server *s, loop_thread *lt, h2o_req_t *req, const api_req *ar,
                    const api_route *r, arena *a, char *client)
{
    const pl_config *cfg = s->cfg;
    const char *token = r && r->auth != AUTH_NONE ? bearer_token(ar->authorization) : NULL;
    char key[CLIENT_KEY];
    int64_t limit;
    if (token && token_key(lt, token, a, key, sizeof key)) {
        limit = cfg->rate_limit_token;
    } else {
        limit = cfg->rate_limit_ip;
        snprintf(key, sizeof key, "i:%s", ar->ip);
    }
    snprintf(client, CLIENT_KEY, "%s", key);
    int64_t now = time_now_ms();
    if (limit > 0) {
        ratelimit_result res = ratelimit_hit(s->rl, key, limit, cfg->rate_limit_window, now);
        rate_headers(req, &res);
        if (!res.allowed) {
            refuse(s, req, &res, "Too many requests");
            return false;
        }
    }
    if (r && r->method == M_POST && !strcmp(r->pattern, "/api/v1/apps") &&
        cfg->rate_limit_apps > 0) {
        snprintf(key, sizeof key, "apps:%s", ar->ip);
        ratelimit_result res =
            ratelimit_hit(s->rl, key, cfg->rate_limit_apps, cfg->rate_limit_window, now);
        if (!res.allowed) {
            refuse(s, req, &res, "Too many apps registered from this address; try again later");
            return false;
        }
    }
    return true;
}

static int route_metric(server *s, const api_route *r)
{
    int i = api_route_index(r);
    return i >= 0 && i < s->n_route_metrics ? s->route_metric[i] : METRICS_MAX_ROUTES - 1;
}

/* Names every route in the metrics before threads start (registration is not thread-safe). */
static void register_routes(server *s)
{
    static const char *const methods[] = {"", "GET", "POST", "", "PUT", "", "", "", "PATCH"};
    int n = api_route_count();
    s->route_metric = calloc((size_t)n + 1, sizeof *s->route_metric);
    if (!s->route_metric) abort();
    s->route_names = calloc((size_t)n + 1, sizeof *s->route_names);
    if (!s->route_names) abort();
    for (int i = 0; i < n; i++) {
        const api_route *r = api_route_at(i);
        const char *m = r->method == M_DELETE ? "DELETE" : r->method <= 8 ? methods[r->method] : "";
        size_t len = strlen(m) + strlen(r->pattern) + 2;
        s->route_names[i] = malloc(len);
        if (!s->route_names[i]) abort();
        snprintf(s->route_names[i], len, "%s %s", m, r->pattern);
        s->route_metric[i] = metrics_route(s->m, s->route_names[i]);
    }
    s->n_route_metrics = n;
}

/* /metrics is off unless metrics_token is set, and then wants "Authorization: Bearer <it>"
 * (Prometheus's bearer_token / authorization setting): the figures tell an outsider how busy
 * the company is and which routes it uses. False, with the answer sent, when refused. */
static bool metrics_allowed(server *s, h2o_req_t *req)
{
    const char *want = s->cfg->metrics_token;
    if (!want[0]) {
        send_json_error(req, 404, "Not found");
        return false;
    }
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    h2o_iovec_t v = i >= 0 ? req->headers.entries[i].value : h2o_iovec_init(NULL, 0);
    size_t n = strlen(want);
    bool ok = v.len == 7 + n && !strncasecmp(v.base, "Bearer ", 7) &&
              sodium_memcmp(v.base + 7, want, n) == 0;
    if (ok) return true;
    add_header(req, "www-authenticate", "Bearer realm=\"metrics\"");
    send_json_error(req, 401, "The metrics need the bearer token set by metrics_token");
    return false;
}

/* Answers a job the runtime refused (run_offer), at once: 503 when the queue is full, 429
 * when its client has its share of the workers already. Nothing was queued. */
static void refuse_busy(server *s, job *j, enum run_offer_result why, bool write)
{
    bool full = why == RUN_FULL;
    _Atomic int64_t *counter = !full   ? &s->m->slow_client_refused
                               : write ? &s->m->write_queue_refused
                                       : &s->m->slow_queue_refused;
    atomic_fetch_add(counter, 1);
    int status = full ? 503 : 429;
    metrics_observe(s->m, j->work.metric, status, (time_mono_ns() - j->t0_ns) / 1000);
    add_header(j->req, "retry-after", "1");
    send_json_error(j->req, status,
                    full ? "The server is too busy right now; try again in a moment"
                         : "Too many slow requests at once from you (searches, sign-ins, "
                           "rankings); wait for those under way to finish");
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    loop_thread *lt = H2O_STRUCT_FROM_MEMBER(loop_thread, ctx, req->conn->ctx);
    server *s = lt->srv;
    int64_t t0 = time_mono_ns();
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (cors_preflight(req, req->path.base, plen)) return 0;
    if (h2o_memis(req->path.base, plen, H2O_STRLIT("/health"))) {
        req->res.status = 200;
        req->res.reason = "OK";
        add_header(req, "content-type", "text/plain; charset=utf-8");
        h2o_send_inline(req, H2O_STRLIT("OK"));
        return 0;
    }
    if (h2o_memis(req->path.base, plen, H2O_STRLIT("/metrics"))) {
        if (!metrics_allowed(s, req)) return 0;
        buf b = BUF_INIT;
        metrics_render(s->m, &b);
        req->res.status = 200;
        req->res.reason = "OK";
        add_header(req, "content-type", "text/plain; version=0.0.4");
        h2o_send_inline(req, b.data, b.len);
        buf_free(&b);
        return 0;
    }
    if (web_handle(req, req->path.base, plen)) return 0;
    if (streaming_handle(lt, req, req->path.base, plen)) return 0;
    job *j = calloc(1, sizeof *j);
    if (!j) abort();
    j->t0_ns = t0;
    j->origin = lt;
    j->req = req;
    run_job *w = &j->work;
    api_req *ar = &w->areq;
    ar->method = parse_method(req->method);
    ar->path = arena_strndup(&w->a, req->path.base, plen);
    ar->query = req->query_at != SIZE_MAX
                    ? arena_strndup(&w->a, req->path.base + plen + 1, req->path.len - plen - 1)
                    : "";
    ar->authorization = header(req, H2O_TOKEN_AUTHORIZATION, &w->a);
    ar->content_type = header(req, H2O_TOKEN_CONTENT_TYPE, &w->a);
    ar->idempotency_key = header_str(req, "idempotency-key", &w->a);
    ar->if_none_match = header(req, H2O_TOKEN_IF_NONE_MATCH, &w->a);
    ar->range = header(req, H2O_TOKEN_RANGE, &w->a);
    ar->ip = client_ip(s, req, &w->a);
    int allowed = 0;
    const api_route *r = ar->method ? api_match(ar, &allowed) : NULL;
    if (!rate_ok(s, lt, req, ar, r, &w->a, w->client)) {
        metrics_observe(s->m, METRICS_MAX_ROUTES - 1, 429, (time_mono_ns() - t0) / 1000);
        job_free(j);
        return 0;
    }
    /* each route's own limit, before the body is copied: h2o's is the largest route's */
    if (req->entity.base &&
        (int64_t)req->entity.len > api_body_limit(r, ar->content_type, s->cfg)) {
        send_json_error(req, 413, "The request body is too large");
        job_free(j);
        return 0;
    }
    if (req->entity.base) { /* copied: a job may outlive the h2o request (a disconnect) */
        ar->body = arena_strndup(&w->a, req->entity.base, req->entity.len);
        ar->body_len = req->entity.len;
    }
    if (!r) {
        api_no_route(ar, allowed, &w->a, &w->resp); /* 404, 405 with Allow, or 501 */
        metrics_observe(s->m, METRICS_MAX_ROUTES - 1, w->resp.status, (time_mono_ns() - t0) / 1000);
        send_resp(req, &w->resp);
        job_free(j);
        return 0;
    }
    w->route = r;
    w->metric = route_metric(s, r);
    enum api_exec exec = api_exec_for(r, ar, s->cfg->slow_read_offset);
    bool deferred = false;
    if (exec == EXEC_READ) {
        run_reader_run(lt->reader, w);
        if (!w->resp.to_worker) {
            metrics_observe(s->m, w->metric, w->resp.status, (time_mono_ns() - t0) / 1000);
            if (w->resp.source.pull) {
                stream_start(j);
                return 0;
            }
            send_resp(req, &w->resp);
            job_free(j);
            return 0;
        }
        /* the read met slow work (a picture to draw, api_to_worker): a worker answers */
        w->resp.to_worker = false;
        exec = EXEC_SLOW;
        deferred = true;
    }
    j->ref = h2o_mem_alloc_shared(&req->pool, sizeof *j->ref, on_req_dispose);
    j->ref->j = j;
    bool write = exec == EXEC_WRITE;
    /* an address may be a whole office behind one NAT: it gets a larger share than one person */
    /* A deferred read takes no client's share: a page of avatars not drawn yet is twenty at
     * once from one address, each drawn once for everyone (then served on the loop), and the
     * rate limit and slow_queue_max still bound them. */
    if (!write && !deferred)
        w->share = !strncmp(w->client, "i:", 2) ? s->cfg->slow_per_ip : s->cfg->slow_per_account;
    enum run_offer_result q = run_offer(s->run, w, write);
    if (q != RUN_TAKEN) {
        refuse_busy(s, j, q, write);
        job_free(j);
        return 0;
    }
    lt->inflight++;
    return 0;
}

/* ---------------------------------------------------------------- loops */

static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err) return;
    loop_thread *lt = listener->data;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (sock) h2o_accept(&lt->accept, sock);
}

static void on_stop(h2o_multithread_receiver_t *recv, h2o_linklist_t *messages)
{
    loop_thread *lt = H2O_STRUCT_FROM_MEMBER(loop_thread, stop_recv, recv);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m =
            H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&m->link);
        free(m);
    }
    if (!lt->stopping && lt->listener) {
        streaming_close_all(lt);
        h2o_socket_read_stop(lt->listener);
        h2o_socket_close(lt->listener);
        lt->listener = NULL;
        h2o_context_request_shutdown(&lt->ctx); /* idle keep-alive connections close */
    }
    lt->stopping = true;
}

/* Parses "host:port" (IPv4; an empty host or "localhost" is 127.0.0.1). */
static int listen_address(const char *listen_addr, struct sockaddr_in *sa)
{
    char host[128];
    const char *colon = strrchr(listen_addr, ':');
    if (!colon || (size_t)(colon - listen_addr) >= sizeof host) return -1;
    memcpy(host, listen_addr, (size_t)(colon - listen_addr));
    host[colon - listen_addr] = '\0';
    *sa = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    if (!*host || !strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* Opens one listening socket per loop, so that the kernel spreads connections over the
 * loops (SO_REUSEPORT), without letting a second server share the port and silently take
 * half the connections with a database of its own. The first socket is bound without
 * SO_REUSEPORT — an exclusive bind, which the kernel refuses with EADDRINUSE while any other
 * socket holds the port, whatever its options — and only then, before listen(), marked
 * SO_REUSEPORT so that this server's other sockets may join it. A second partyline fails at
 * its own exclusive bind; there is no window for a check of ours to race. SO_REUSEADDR lets
 * a restart bind while old connections sit in TIME_WAIT. Fills fds[0..n-1]; -1 with errno. */
static int listen_sockets(const char *listen_addr, int *fds, int n)
{
    struct sockaddr_in sa;
    if (listen_address(listen_addr, &sa)) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
        bool ok = fd >= 0 && !setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (ok && i > 0) ok = !setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
        ok = ok && !bind(fd, (struct sockaddr *)&sa, sizeof sa);
        if (ok && i == 0) ok = !setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
        ok = ok && !listen(fd, SOMAXCONN);
        if (!ok) {
            int e = errno;
            if (fd >= 0) close(fd);
            while (i-- > 0) close(fds[i]);
            errno = e;
            return -1;
        }
        fds[i] = fd;
    }
    return 0;
}

static void *loop_main(void *arg)
{
    loop_thread *lt = arg;
    server *s = lt->srv;
    lt->loop = h2o_evloop_create();
    h2o_context_init(&lt->ctx, lt->loop, &s->h2o);
    lt->accept.ctx = &lt->ctx;
    lt->accept.hosts = s->h2o.hosts;
    lt->queue = h2o_multithread_create_queue(lt->loop);
    h2o_multithread_register_receiver(lt->queue, &lt->done_recv, on_jobs_done);
    h2o_multithread_register_receiver(lt->queue, &lt->stop_recv, on_stop);
    streaming_loop_init(lt);
    atomic_store(&lt->ready, true);
    h2o_socket_t *sock = h2o_evloop_socket_create(lt->loop, lt->fd, H2O_SOCKET_FLAG_DONT_READ);
    sock->data = lt;
    lt->listener = sock;
    h2o_socket_read_start(sock, on_accept);
    while (!(lt->stopping && lt->inflight == 0)) {
        h2o_evloop_run(lt->loop, 100);
        streaming_tick(lt);
    }
    /* a short grace period for responses still being written and connections closing */
    for (int i = 0; i < 5; i++) h2o_evloop_run(lt->loop, 20);
    return NULL;
}

static void on_signal(int sig)
{
    (void)sig;
    if (the_server) atomic_store(&the_server->stop, true);
}

static int start_loops(server *s)
{
    int n = s->cfg->threads > 0 ? s->cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > MAX_LOOPS) n = MAX_LOOPS;
    int fds[MAX_LOOPS];
    if (listen_sockets(s->cfg->listen, fds, n)) {
        int e = errno;
        log_error("event=listen_failed listen=%s msg=\"%s\"", s->cfg->listen, strerror(e));
        if (e == EADDRINUSE)
            fprintf(stderr,
                    "partyline: cannot listen on %s: address already in use (is another server "
                    "running on that port?)\n",
                    s->cfg->listen);
        else
            fprintf(stderr, "partyline: cannot listen on %s: %s\n", s->cfg->listen, strerror(e));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        loop_thread *lt = &s->loops[i];
        lt->srv = s;
        lt->fd = fds[i];
        lt->reader = run_reader_open(s->run);
        if (!lt->reader) return -1;
        lt->token_memo = calloc(TOKEN_MEMO, sizeof *lt->token_memo);
        if (!lt->token_memo) abort();
        s->n_loops++;
    }
    for (int i = 0; i < s->n_loops; i++)
        pthread_create(&s->loops[i].tid, NULL, loop_main, &s->loops[i]);
    for (int i = 0; i < s->n_loops; i++)
        while (!atomic_load(&s->loops[i].ready)) usleep(1000);
    return 0;
}

int server_run(const pl_config *cfg, id_gen *ids)
{
    server *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->cfg = cfg;
    s->ids = ids;
    config_database_target(cfg, s->db_path, sizeof s->db_path);
    s->rl = ratelimit_new();
    s->changes = changelog_new();
    s->events = eventlog_new();
    s->m = calloc(1, sizeof *s->m);
    if (!s->m) abort();
    register_routes(s);
    streaming_server_init(s);

    h2o_config_init(&s->h2o);
    /* h2o has one limit for every path: the largest route's (an upload). Every other route's
     * smaller limit is held in on_req, once the route is known (api_body_limit). */
    s->h2o.max_request_entity_size = (size_t)api_body_limit(API_ANY_ROUTE, NULL, cfg);
    h2o_hostconf_t *host =
        h2o_config_register_host(&s->h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    s->handler = h2o_create_handler(path, sizeof *s->handler);
    s->handler->on_req = on_req;
    h2o_create_filter(path, sizeof(h2o_filter_t))->on_setup_ostream = json_413_setup;
    h2o_create_filter(&host->fallback_path, sizeof(h2o_filter_t))->on_setup_ostream =
        json_413_setup;
    cors_register(path);
    cors_register(&host->fallback_path);
    /* HTTP/2 without TLS: prior knowledge or Upgrade: h2c (both ruled by this one switch) */
    s->h2o.http1.upgrade_to_http2 = cfg->http2_cleartext;
    /* h2o 2.2 gives an HTTP/1.1 request one timer for its headers and body together, 10 s
     * unless told: a 100 MB upload would need 80 Mbit/s. request_timeout (README) is that
     * timer; a slow sender holds one connection and a bounded buffer until it runs out. */
    s->h2o.http1.req_timeout = (uint64_t)cfg->request_timeout * 1000;

    signal(SIGPIPE, SIG_IGN);
    the_server = s;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int rc = 0;
    s->run = run_start(
        &(run_config){.cfg = cfg,
                      .ids = ids,
                      .db_path = s->db_path,
                      .limits = s->rl,
                      .m = s->m,
                      .changes = s->changes,
                      .events = s->events,
                      .hooks = {.done = job_done, .events_appended = events_appended, .ctx = s}});
    if (start_loops(s) != 0) {
        rc = 1;
        atomic_store(&s->stop, true);
    } else {
        int writers, workers, readers;
        run_sizes(s->run, &writers, &workers, &readers);
        log_info("event=listening url=%s threads=%d writers=%d workers=%d read_workers=%d "
                 "database=%s",
                 cfg->base_url, s->n_loops, writers, workers, readers,
                 run_reader_driver(s->loops[0].reader));
    }
    while (!atomic_load(&s->stop)) usleep(50 * 1000);
    log_info("event=shutdown phase=draining");
    for (int i = 0; i < s->n_loops; i++) {
        h2o_multithread_message_t *m = calloc(1, sizeof *m);
        if (!m) abort();
        h2o_multithread_send_message(&s->loops[i].stop_recv, m);
    }
    for (int i = 0; i < s->n_loops; i++) pthread_join(s->loops[i].tid, NULL);
    run_stop(s->run); /* every queued job answered, every thread joined */
    for (int i = 0; i < s->n_loops; i++) run_reader_close(s->loops[i].reader);
    /* The h2o contexts, loops and their sockets are not disposed: h2o 2.2 asserts when a
     * context still has connections, and the process is about to exit. Everything stays
     * reachable from the_server, so leak checkers do not report it. The database is
     * closed and every answered write is committed. */
    log_info("event=shutdown phase=done");
    return rc;
}
