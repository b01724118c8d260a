/**
 * run.h — the background runtime: the threads and queues that run work off the event loops.
 *
 * The runtime sits between the transport (src/http) and the rules (src/app). The transport
 * parses a request into an api_req, matches its route and hands it over as a run_job; the
 * runtime runs it on the right thread and connection and gives it back, answered, through
 * the `done` hook the transport registered. It owns:
 *
 * - the job queues: bounded, and fair among clients on the workers' (run_offer);
 * - the writer threads: group commit of write jobs, retries of a deadlock's victims, and
 *   between batches the fan-out steps, feed trimming, ended polls and app pruning;
 * - the slow workers (password hashing) and the read workers (expensive reads);
 * - publishing what committed: the changelog (the loops' caches), the eventlog (streams),
 *   and on PostgreSQL NOTIFY to the other nodes, with the two LISTEN threads hearing theirs;
 * - SQLite's WAL checkpointer and the mailer thread (app/outbox.c);
 * - the app context constructor, and the loops' read connections (run_reader), so that the
 *   transport never opens a connection nor builds an app context itself.
 *
 * It knows nothing of HTTP or h2o: an answer is an api_resp, and the transport's own
 * message passing (h2o's cross-thread queue) lives behind the hooks.
 */
#ifndef PL_RUN_H
#define PL_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "api/api.h"
#include "config.h"
#include "util/arena.h"
#include "util/changelog.h"
#include "util/eventlog.h"
#include "util/ids.h"
#include "util/metrics.h"
#include "util/ratelimit.h"

enum {
    RUN_CLIENT_KEY = 96, /**< "a:<account>", "t:<token>" or "i:<address>": a client's key */
};

typedef struct run run;
typedef struct run_job run_job;
typedef struct run_reader run_reader;

/**
 * A unit of work: one request the transport matched. The transport allocates it (usually
 * as a member of its own job struct), fills route, metric, areq (its strings in a), client
 * and share, and owns it again once `done` is called. The runtime writes resp and fanout.
 */
struct run_job {
    run_job *next;               /**< the runtime's (queue links) */
    const api_route *route;      /**< the matched route */
    int metric;                  /**< its metrics slot (log lines name it) */
    api_req areq;                /**< the request, its strings in a */
    api_resp resp;               /**< the answer, written by the runtime */
    arena a;                     /**< the request's arena */
    int64_t fanout;              /**< home-feed rows the job wrote (for metrics) */
    char client[RUN_CLIENT_KEY]; /**< whose request: the rate limit's key */
    int share;    /**< places its client may hold in a worker queue at most; 0: no cap */
    bool counted; /**< the runtime's: holds one of its client's places (run_offer) */
    /** A job whose answer carries a pulled body (resp.source) may be offered again, once its
     *  status was sent: the runtime then only appends the body's next piece to resp.body, and
     *  pull's result goes here. */
    int pull_rc;
};

/** What the transport tells the runtime to call. Both may be called from any of the
 *  runtime's threads, at any time between run_start and run_stop. */
typedef struct run_hooks {
    /** A job handed over by run_offer was run: j->resp holds its answer. */
    void (*done)(run_job *j);
    /** Live events were appended to the event log (this node's or another's). */
    void (*events_appended)(void *ctx);
    void *ctx; /**< passed to events_appended */
} run_hooks;

/** What the runtime runs with. The pointers are the caller's and outlive the runtime. */
typedef struct run_config {
    const pl_config *cfg;
    id_gen *ids;
    const char *db_path; /**< config_database_target() */
    ratelimit *limits;   /**< the process's counters (sign-in failures) */
    metrics *m;          /**< queue depths, batches, retries, fan-out */
    changelog *changes;  /**< committed changes, for the loops' caches */
    eventlog *events;    /**< committed live events, for the loops' streams */
    run_hooks hooks;
} run_config;

/** What run_offer did with a job. */
enum run_offer_result {
    RUN_TAKEN,       /**< queued: `done` will be called */
    RUN_FULL,        /**< refused: write_queue_max / slow_queue_max jobs wait already */
    RUN_CLIENT_BUSY, /**< refused: its client has j->share jobs queued or running */
};

/**
 * Starts the writers (one on SQLite, `writers` on PostgreSQL), the checkpointer (SQLite),
 * the LISTEN threads (PostgreSQL), the mailer (where smtp_url is set), the workers and the
 * read workers. Aborts if a thread cannot open its connection. Never NULL.
 */
run *run_start(const run_config *rc);

/**
 * Stops taking work, lets every thread finish what it holds (every queued job is answered
 * through `done`) and joins them all. The transport stops sending work first.
 */
void run_stop(run *r);

/** How many threads of each kind run (for the start-up log line). */
void run_sizes(const run *r, int *writers, int *workers, int *read_workers);

/**
 * Hands a job to the writers (write) or the workers (otherwise: a GET goes to the read
 * workers where there are any). Bounded and fair: refused at once, nothing queued, when the
 * queue is full or the job's client (j->client) holds its share (j->share) of it already.
 * On RUN_TAKEN the runtime owns j until it calls `done`; otherwise the caller still does.
 */
enum run_offer_result run_offer(run *r, run_job *j, bool write);

/* ---------------------------------------------------------------- the loops' reads */

/**
 * A read-only connection and record cache for one event loop: what its inline reads and
 * streams run on. Used by one thread at a time. NULL (logged) if the database cannot be
 * opened.
 */
run_reader *run_reader_open(run *r);
/** Closes the connection (the loop has stopped). */
void run_reader_close(run_reader *rd);
/** The database driver's name ("sqlite", "postgres"). */
const char *run_reader_driver(run_reader *rd);

/** Runs a read job (EXEC_READ) now, on the calling thread, in a read snapshot: fills
 *  j->resp (or, for a job with a pulled body, its next piece: see run_job.pull_rc). */
void run_reader_run(run_reader *rd, run_job *j);

/**
 * An app context on the reader's connection with the caller's arena. read_only marks it a
 * read (records may be kept for the request) with the loop's cache; otherwise it is a bare
 * context (a token check).
 */
void run_reader_app(run_reader *rd, app_ctx *app, arena *a, bool read_only);
/** Applies committed changes to the loop's cache: before run_reader_begin, see cache.h. */
void run_reader_sync(run_reader *rd);
/** Opens a read snapshot; false if it could not (the reads then run without one). */
bool run_reader_begin(run_reader *rd);
/** Ends the snapshot run_reader_begin opened. */
void run_reader_end(run_reader *rd);

#endif
