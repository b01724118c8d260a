/*
 * server_internal.h — what the HTTP server's files share: server.c (event loops, requests,
 * responses) and streaming.c (the streaming API's connections). The work a loop does not do
 * itself it hands to the runtime (run/run.h). Not a public header: nothing outside src/http
 * includes it.
 */
#ifndef PL_SERVER_INTERNAL_H
#define PL_SERVER_INTERNAL_H

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "api/api.h"
#include "config.h"
#include "run/run.h"
#include "util/changelog.h"
#include "util/eventlog.h"
#include "util/ids.h"
#include "util/metrics.h"
#include "util/ratelimit.h"

enum {
    MAX_LOOPS = 64,
    TOKEN_MEMO = 256, /* valid tokens each loop remembers for the rate limit (server.c) */
    TOKEN_MEMO_MS = 60000,
    CLIENT_KEY = RUN_CLIENT_KEY, /* "a:<account>", "t:<token>" or "i:<address>" (rate_ok) */
};

typedef struct server server;
typedef struct loop_thread loop_thread;
typedef struct job job;

/* A request handed to the runtime: what it runs (work), and where its answer goes. */
struct job {
    h2o_multithread_message_t msg; /* must be first: messages come back as this */
    loop_thread *origin;
    h2o_req_t *req; /* NULL once the client went away */
    struct job_ref *ref;
    int64_t t0_ns;
    run_job work;
    /* an answer whose body is pulled (api_source, server.c: stream_start): the job lives
     * until its request is disposed */
    h2o_generator_t gen;
    int64_t sent;   /* body bytes handed to h2o */
    bool streaming; /* its status was sent; the body follows piece by piece */
    bool pulling;   /* a piece is being read (offered to the runtime) */
};

struct job_ref {
    job *j;
};

struct loop_thread {
    server *srv;
    pthread_t tid;
    h2o_evloop_t *loop;
    _Atomic bool ready; /* loop, context and queue made on the loop thread itself */
    h2o_context_t ctx;
    h2o_accept_ctx_t accept;
    h2o_socket_t *listener;
    int fd;
    run_reader *reader; /* its read connection and record cache */
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t done_recv, stop_recv;
    int inflight;
    bool stopping;
    /* streaming connections held by this loop (streaming.c) */
    h2o_linklist_t streams;
    uint64_t event_seq; /* the next event of server.events to read */
    h2o_multithread_receiver_t wake_recv;
    h2o_multithread_message_t wake_msg;
    _Atomic bool wake_pending; /* wake_msg is queued */
    int64_t next_heartbeat_ms;
    struct token_memo *token_memo; /* TOKEN_MEMO entries (server.c: rate limits) */
    int64_t revocations_mark;      /* as last read (stream_revocations_mark) */
};

struct server {
    const pl_config *cfg;
    id_gen *ids;
    char db_path[1200];
    h2o_globalconf_t h2o;
    h2o_handler_t *handler;
    loop_thread loops[MAX_LOOPS];
    int n_loops;
    run *run; /* the writers, workers and background threads */
    ratelimit *rl;
    metrics *m;
    changelog *changes; /* committed changes, for the loops' caches */
    eventlog *events;   /* committed live events, for the loops' streams */
    int *route_metric;  /* api_route_index() -> metrics slot */
    char **route_names;
    int n_route_metrics;
    _Atomic bool stop;
    struct stream_accounts *stream_accounts; /* streams per account, across loops */
};

void job_free(job *j);

/* streaming.c: the streaming API's connections, on the loop that accepted them */
void streaming_server_init(server *s);
/** On the loop's thread, once its queue exists. */
void streaming_loop_init(loop_thread *lt);
/** Takes a request for /api/v1/streaming[/…] (not /health); false if it is not one. */
bool streaming_handle(loop_thread *lt, h2o_req_t *req, const char *path, size_t plen);
/** Between turns of the loop: heartbeats, and events a wake-up may have missed. */
void streaming_tick(loop_thread *lt);
/** Graceful shutdown: closes every stream of the loop with a reason. */
void streaming_close_all(loop_thread *lt);
/** After events were appended to server.events (any thread; the runtime's events_appended
 *  hook): wakes the loops. */
void streaming_wake(server *s);

/* server.c */
void send_resp(h2o_req_t *req, api_resp *r);
void send_json_error(h2o_req_t *req, int status, const char *msg);

#endif
