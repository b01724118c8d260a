/*
 * run_internal.h — what the runtime's files share: run.c (start, stop, offers, workers, the
 * loops' readers), queue.c (the queues), writer.c (the writers and their chores between
 * batches), publish.c (what committed, to this node's loops and to the other nodes) and
 * background.c (checkpointer, mailer, scheduled posts). Not a public header: nothing outside
 * src/run includes it.
 */
#ifndef PL_RUN_INTERNAL_H
#define PL_RUN_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "app/app.h"
#include "run/run.h"
#include "store/db.h"

enum {
    WRITER_BATCH = 128,     /* jobs per transaction with one writer (SQLite) */
    WRITER_POOL_BATCH = 16, /* … and with several: the queue is shared among them */
    WRITER_RETRIES = 5,     /* runs of a job whose transaction was a deadlock's victim */
    WRITER_IDLE_MS = 1000,
    TRIM_BATCH = 200,
    /* statuses (and as many accounts) kept per event loop; a full cache is emptied at the next
     * sync, so it must hold a busy minute's working set: at 10k people / 1M posts 4,096 was
     * emptied many times a second under load, and 16,384 took home's CPU per page from ~180 to
     * ~130 µs for 16 MB more (issue 17, BENCHMARKS.md) */
    CACHE_ENTRIES = 16384,
    CLIENT_BUCKETS = 256, /* of a queue's per-client counts */
};

/* A client's jobs queued or running in a queue with a per-client cap. */
struct client_count {
    struct client_count *next;
    int n;
    char key[RUN_CLIENT_KEY];
};

struct job_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    run_job *head, *tail;
    int len;
    bool closing;
    int max; /* jobs waiting at most (queue_offer); 0: no bound */
    struct client_count *clients[CLIENT_BUCKETS];
};

struct run {
    const pl_config *cfg;
    id_gen *ids;
    char db_path[1200];
    ratelimit *rl;
    metrics *m;
    changelog *changes;
    eventlog *events;
    struct avatar_cache *avatars; /* the drawn default pictures, for every thread's app */
    struct media_store *media;    /* the encrypted file store, shared by every thread */
    run_hooks hooks;
    /* slow: sign-ins and other password hashing; reads: expensive reads, on a pool of their
     * own (read workers) so that neither kind can keep the other waiting */
    struct job_queue writes, slow, reads;
    pthread_t *writer_tids, *worker_tids, *reader_tids;
    int n_writers, n_workers, n_readers, writer_batch;
    _Atomic int writers_started;
    pthread_t checkpoint_tid, listener_tid, event_listener_tid, mailer_tid, scheduler_tid,
        exporter_tid;
    pthread_t retention_tid;
    pthread_t influence_tid;
    pthread_t feeds_tid;
    pthread_t tickets_tid;
    pthread_t listen_tid;
    bool has_retention;
    bool has_feeds;     /**< feeds_poll_seconds: the thread that fetches listening's feeds */
    bool has_influence; /**< influence_daily: the daily computation's thread */
    bool has_listen;    /**< listen_poll_ms: listening's matcher thread */
    bool has_checkpointer, has_listener, has_mailer;
    _Atomic bool stop_background; /* the checkpointer, listeners and mailer end */
    pthread_mutex_t stop_mu;      /* with stop_cv: wakes the background threads' waits (run_idle) */
    pthread_cond_t stop_cv;
    pthread_cond_t listen_cv; /* with stop_mu: wakes the matcher when a post was written */
    bool listen_wake;         /* under stop_mu: a post was written since the matcher looked */
    _Atomic bool wal_long;    /* the checkpointer asks the writer to complete a checkpoint */
};

struct run_reader {
    run *r;
    db *d;
    struct entity_cache *cache;
};

/* queue.c */
void queue_init(struct job_queue *q);
void queue_push(struct job_queue *q, run_job *j);
/** Queues a request's job unless the queue is full or its client (j->client) has its share
 *  of it already; nothing is queued when refused. The job holds a place of its client until
 *  queue_done. */
enum run_offer_result queue_offer(struct job_queue *q, run_job *j);
/** After a job taken from q ran: gives its client's place back (if it held one). */
void queue_done(struct job_queue *q, run_job *j);
/** Takes up to max jobs, waiting idle_ms (-1: until there is one; 0: not at all). NULL with
 *  *idle set when none came in time; NULL with *idle clear when the queue is closing. */
run_job *queue_take(struct job_queue *q, int max, int *n, int idle_ms, bool *idle);
void queue_close(struct job_queue *q);

/* run.c */
/** An app context for work on connection d, in arena ar. */
void run_app_init(app_ctx *a, run *r, db *d, arena *ar, bool own_txn);
/** Runs a job's route on connection d (inside the caller's transaction unless own_txn). */
void run_job_exec(run *r, run_job *j, db *d, bool own_txn);
/** Gives a job back to the transport. */
void run_reply(run *r, run_job *j);

/* writer.c: the writers (group commit) */
void *writer_main(void *arg);

/* publish.c */
/** Tells the loops' caches, their streams and the other nodes what connection d's committed
 *  transactions changed (nothing if !committed), and forgets it. */
void publish_changes(run *r, db *d, bool committed);
/** On PostgreSQL: hears other nodes' changes (LISTEN) and feeds them to the changelog. */
void *listener_main(void *arg);
/** On PostgreSQL: hears other nodes' live events and feeds them to the event log. */
void *event_listener_main(void *arg);

/* background.c */
/** A background thread's pause of ms milliseconds between two looks for work; ends at once
 *  when run_stop sets stop_background (so a stop never waits out a pause). */
void run_idle(run *r, int ms);
/** Sets stop_background and wakes every run_idle (run_stop, once the writers are done). */
void run_stop_background(run *r);
/** The WAL checkpointer thread (runs until run.stop_background). */
void *checkpoint_main(void *arg);
/** Where smtp_url is set: sends the outbox's mail (runs until run.stop_background). */
void *mailer_main(void *arg);
/** Publishes scheduled posts when due, on every node (runs until run.stop_background). */
void *scheduler_main(void *arg);
void *exporter_main(void *arg);
/** Retention's runs every retention_interval_minutes (none when 0), and off-boarding's wipes
 *  the API asks (background.c). */
void *retention_main(void *arg);
/** The day's influence computation, from influence_hour (UTC) on, by one node (background.c). */
void *influence_main(void *arg);
/** Where feeds_poll_seconds is set: fetches the feeds that are due (runs until
 *  run.stop_background; a fetch under way is stopped then). */
void *feeds_main(void *arg);
/** The tickets' SLA check every minute, on every node (background.c; app/tickets.h). */
void *tickets_main(void *arg);
/** Where listen_poll_ms is set: listening's matcher, woken by each post written (run_listen_wake)
 *  and every listen_poll_ms (runs until run.stop_background). */
void *listen_main(void *arg);
/** Wakes the matcher: a post was written (publish.c, after its commit). */
void run_listen_wake(run *r);

#endif
