/*
 * server_internal.h — what the two halves of the HTTP server share: server.c (event loops,
 * requests, responses) and jobs.c (the writer and worker threads and their queues).
 * Not a public header: nothing outside src/http includes it.
 */
#ifndef PL_SERVER_INTERNAL_H
#define PL_SERVER_INTERNAL_H

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "api/api.h"
#include "app/cache.h"
#include "config.h"
#include "http/metrics.h"
#include "store/db.h"
#include "util/changelog.h"
#include "util/eventlog.h"
#include "util/ids.h"
#include "util/ratelimit.h"

enum {
    MAX_LOOPS = 64,
    WRITER_BATCH = 128,     /* jobs per transaction with one writer (SQLite) */
    WRITER_POOL_BATCH = 16, /* … and with several: the queue is shared among them */
    WRITER_RETRIES = 5,     /* runs of a job whose transaction was a deadlock's victim */
    WRITER_IDLE_MS = 1000,
    TRIM_BATCH = 200,
    CACHE_ENTRIES = 4096, /* statuses (and as many accounts) kept per event loop */
    TOKEN_MEMO = 256,     /* valid tokens each loop remembers for the rate limit (server.c) */
    TOKEN_MEMO_MS = 60000,
    CLIENT_KEY = 96,      /* "a:<account>", "t:<token>" or "i:<address>" (server.c: rate_ok) */
    CLIENT_BUCKETS = 256, /* of a queue's per-client counts */
};

typedef struct server server;
typedef struct loop_thread loop_thread;
typedef struct job job;

struct job {
    h2o_multithread_message_t msg; /* must be first: messages come back as this */
    job *next;
    loop_thread *origin;
    h2o_req_t *req; /* NULL once the client went away */
    struct job_ref *ref;
    const api_route *route;
    int metric;
    api_req areq;
    api_resp resp;
    arena a;
    int64_t t0_ns;
    int64_t fanout;
    char client[CLIENT_KEY]; /* whose request: the rate limit's key */
    int share;               /* places its client may hold in the queue at most; 0: no cap */
    bool counted;            /* holds one of its client's places in a queue (queue_offer) */
};

struct job_ref {
    job *j;
};

/* A client's jobs queued or running in a queue with a per-client cap. */
struct client_count {
    struct client_count *next;
    int n;
    char key[CLIENT_KEY];
};

struct job_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    int len;
    bool closing;
    int max; /* jobs waiting at most (queue_offer); 0: no bound */
    struct client_count *clients[CLIENT_BUCKETS];
};

/* What queue_offer did with a job. */
enum queue_offer_result {
    QUEUE_TAKEN,       /* queued */
    QUEUE_FULL,        /* refused: max jobs are waiting already */
    QUEUE_CLIENT_BUSY, /* refused: its client has j->share jobs queued or running */
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
    db *rdb;
    entity_cache *cache;
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
    /* slow: sign-ins and other password hashing; reads: expensive reads, on a pool of their
     * own (read_workers) so that neither kind can keep the other waiting */
    struct job_queue writes, slow, reads;
    pthread_t *writer_tids, *worker_tids, *reader_tids;
    int n_writers, n_workers, n_readers, writer_batch;
    _Atomic int writers_started;
    ratelimit *rl;
    metrics *m;
    changelog *changes; /* committed changes, for the loops' caches */
    eventlog *events;   /* committed live events, for the loops' streams */
    pthread_t checkpoint_tid, listener_tid, event_listener_tid, mailer_tid;
    bool has_mailer;
    bool has_listener;
    _Atomic bool stop_checkpoints;
    _Atomic bool wal_long; /* the checkpointer asks the writer to complete a checkpoint */
    int *route_metric;     /* api_route_index() -> metrics slot */
    char **route_names;
    int n_route_metrics;
    _Atomic bool stop;
    struct stream_accounts *stream_accounts; /* streams per account, across loops */
};

/* jobs.c */
void queue_init(struct job_queue *q);
void queue_push(struct job_queue *q, job *j);
/** Queues a request's job unless the queue is full or its client (j->client) has its share
 *  of it already; nothing is queued when refused. The job holds a place of its client until
 *  queue_done. */
enum queue_offer_result queue_offer(struct job_queue *q, job *j);
/** After a job taken from q ran: gives its client's place back (if it held one). */
void queue_done(struct job_queue *q, job *j);
/** Takes up to max jobs, waiting idle_ms (-1: until there is one; 0: not at all). NULL with
 *  *idle set when none came in time; NULL with *idle clear when the queue is closing. */
job *queue_take(struct job_queue *q, int max, int *n, int idle_ms, bool *idle);
void queue_close(struct job_queue *q);
/** An app context for a job on this thread's connection. */
void app_init(app_ctx *a, server *s, db *d, arena *ar, bool own_txn);
void job_free(job *j);
/** Thread bodies: the writers (group commit), the slow-work workers, and the workers of
 *  expensive reads (the same work on server.reads). */
void *writer_main(void *arg);
void *worker_main(void *arg);
void *reader_main(void *arg);
/** The WAL checkpointer thread (runs until server.stop_checkpoints). */
void *checkpoint_main(void *arg);
/** On PostgreSQL: hears other nodes' changes (LISTEN) and feeds them to the changelog. */
void *listener_main(void *arg);
/** On PostgreSQL: hears other nodes' live events and feeds them to the event log. */
void *event_listener_main(void *arg);
/** Where smtp_url is set: sends the outbox's mail (runs until server.stop_checkpoints). */
void *mailer_main(void *arg);

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
/** After events were appended to server.events (any thread): wakes the loops. */
void streaming_wake(server *s);

/* server.c */
void send_resp(h2o_req_t *req, api_resp *r);
void send_json_error(h2o_req_t *req, int status, const char *msg);

#endif
