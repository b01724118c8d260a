/*
 * run.c — the runtime's front: starting and stopping its threads, taking work from the
 * transport (run_offer), the workers, and the loops' read connections (run_reader).
 *
 * Work is sorted by what it costs, so that nothing cheap waits behind something dear. Writes
 * go to the writers (writer.c, group commit). Workers take slow jobs (password hashing,
 * expensive reads) one at a time on their own connection and commit themselves, so a 50 ms
 * argon2id never holds the write lock; expensive reads (GETs) have a pool of their own
 * (reader_main), so that neither kind keeps the other waiting. Every queue is bounded, and
 * the workers' are shared fairly among clients (queue.c: queue_offer). Cheap reads never
 * come here as jobs: a loop runs them at once on its run_reader.
 *
 * This is the only place that builds an app context (run_app_init) for a thread of the
 * server; the transport asks for one through run_reader_app. It must never speak HTTP: an
 * answer goes back through the transport's `done` hook.
 */
#include <stdlib.h>
#include <string.h>

#include "app/avatars.h"
#include "app/cache.h"
#include "app/attachments.h"
#include "run/run_internal.h"
#include "util/log.h"
#include "util/timeutil.h"

void run_app_init(app_ctx *a, run *r, db *d, arena *ar, bool own_txn)
{
    *a = (app_ctx){.db = d,
                   .cfg = r->cfg,
                   .ids = r->ids,
                   .a = ar,
                   .now = time_now_ms(),
                   .own_txn = own_txn,
                   .limits = r->rl,
                   .avatars = r->avatars,
                   .media = r->media};
}

void run_job_exec(run *r, run_job *j, db *d, bool own_txn)
{
    app_ctx app;
    run_app_init(&app, r, d, &j->a, own_txn);
    if (j->resp.source.pull) { /* a streamed body's next piece (api_source) */
        j->pull_rc = j->resp.source.pull(j->resp.source.ctx, &app, &j->resp.body);
        return;
    }
    /* a read sent here for its cost: keep what it loads for the request, as the loops do */
    app.read_only = j->route->exec == EXEC_READ_OR_SLOW;
    api_run(j->route, &app, &j->areq, &j->resp);
    j->fanout = app.fanout_rows;
}

void run_reply(run *r, run_job *j)
{
    r->hooks.done(j);
}

/* ---------------------------------------------------------------- workers */

static void work(run *r, struct job_queue *q)
{
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err)) {
        log_error("event=worker_open_failed msg=\"%s\"", err);
        abort();
    }
    int n;
    run_job *j;
    while ((j = queue_take(q, 1, &n, -1, NULL))) {
        atomic_fetch_sub(&r->m->slow_queue_depth, 1);
        run_job_exec(r, j, d, true);
        publish_changes(r, d, true); /* a rolled-back touch only costs an eviction */
        queue_done(q, j);            /* before the answer: the client may ask again at once */
        run_reply(r, j);
    }
    db_close(d);
}

static void *worker_main(void *arg)
{
    run *r = arg;
    work(r, &r->slow);
    return NULL;
}

static void *reader_main(void *arg)
{
    run *r = arg;
    work(r, &r->reads);
    return NULL;
}

/* ---------------------------------------------------------------- offers */

enum run_offer_result run_offer(run *r, run_job *j, bool write)
{
    _Atomic int64_t *depth = write ? &r->m->writer_queue_depth : &r->m->slow_queue_depth;
    atomic_fetch_add(depth, 1);
    struct job_queue *queue = write                                           ? &r->writes
                              : j->route->method == M_GET && r->n_readers > 0 ? &r->reads
                                                                              : &r->slow;
    enum run_offer_result q = queue_offer(queue, j);
    if (q != RUN_TAKEN) atomic_fetch_sub(depth, 1);
    return q;
}

/* ---------------------------------------------------------------- start, stop */

/* The file store, opened once for every thread (it creates the master key at the first start).
 * A server that cannot open it cannot keep its promise about files: it stops. */
static void open_media(run *r)
{
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err)) {
        log_error("event=media_open_failed msg=\"%s\"", err);
        abort();
    }
    if (attachments_store_open(r->cfg, d, &r->media, err, sizeof err)) {
        log_error("event=media_open_failed msg=\"%s\"", err);
        exit(1);
    }
    db_close(d);
}

run *run_start(const run_config *rc)
{
    run *r = calloc(1, sizeof *r);
    if (!r) abort();
    const pl_config *cfg = rc->cfg;
    r->cfg = cfg;
    r->ids = rc->ids;
    snprintf(r->db_path, sizeof r->db_path, "%s", rc->db_path);
    r->rl = rc->limits;
    r->m = rc->m;
    r->changes = rc->changes;
    r->events = rc->events;
    r->hooks = rc->hooks;
    r->avatars = avatar_cache_new((size_t)cfg->avatar_cache_bytes);
    open_media(r);
    queue_init(&r->writes);
    queue_init(&r->slow);
    r->writes.max = cfg->write_queue_max;
    r->slow.max = cfg->slow_queue_max;
    queue_init(&r->reads);
    r->reads.max = cfg->slow_queue_max;
    pthread_mutex_init(&r->stop_mu, NULL);
    pthread_cond_init(&r->stop_cv, NULL);
    pthread_cond_init(&r->listen_cv, NULL);

    /* PostgreSQL checkpoints its own log; the checkpointer is SQLite's */
    r->has_checkpointer = !config_database_is_postgres(cfg);
    /* SQLite has one writer; PostgreSQL takes a few at once (a pool of connections) */
    r->n_writers = r->has_checkpointer || cfg->writers < 1 ? 1
                   : cfg->writers > 64                     ? 64
                                                           : cfg->writers;
    r->writer_batch = r->n_writers > 1 ? WRITER_POOL_BATCH : WRITER_BATCH;
    r->writer_tids = calloc((size_t)r->n_writers, sizeof *r->writer_tids);
    if (!r->writer_tids) abort();
    for (int i = 0; i < r->n_writers; i++) pthread_create(&r->writer_tids[i], NULL, writer_main, r);
    if (r->has_checkpointer) pthread_create(&r->checkpoint_tid, NULL, checkpoint_main, r);
    /* several nodes on one PostgreSQL: hear what the others change */
    r->has_listener = !r->has_checkpointer;
    if (r->has_listener) {
        pthread_create(&r->listener_tid, NULL, listener_main, r);
        pthread_create(&r->event_listener_tid, NULL, event_listener_main, r);
    }
    /* mail waits on the relay in a thread of its own (app/outbox.h) */
    r->has_mailer = cfg->smtp_url[0] != '\0';
    if (r->has_mailer) pthread_create(&r->mailer_tid, NULL, mailer_main, r);
    /* scheduled posts are published by every node (app/scheduled.h: exactly one takes each) */
    pthread_create(&r->scheduler_tid, NULL, scheduler_main, r);
    /* archives and exports are built by every node (app/exports.h: one takes each) */
    pthread_create(&r->exporter_tid, NULL, exporter_main, r);
    /* retention and off-boarding's wipes run on every node; a lease lets one retention run at
     * a time (app/retention.h), and a wipe is finished once (app/offboard.h) */
    r->has_retention = true;
    pthread_create(&r->retention_tid, NULL, retention_main, r);
    /* influence: every node looks; a lease lets one compute each day (app/influence.h) */
    r->has_influence = cfg->influence_daily;
    if (r->has_influence) pthread_create(&r->influence_tid, NULL, influence_main, r);
    /* listening's feeds: every node looks; each due feed is taken by one (app/feed_sources.h) */
    r->has_feeds = cfg->feeds_poll_seconds > 0;
    if (r->has_feeds) pthread_create(&r->feeds_tid, NULL, feeds_main, r);
    /* listening's matcher: every node looks; a lease lets one match (app/listening.h) */
    r->has_listen = cfg->listen_poll_ms > 0;
    if (r->has_listen) pthread_create(&r->listen_tid, NULL, listen_main, r);
    /* tickets' SLA: every node checks; a claim per event lets one tell it (app/tickets.h) */
    pthread_create(&r->tickets_tid, NULL, tickets_main, r);
    r->n_workers = cfg->workers > 0 ? cfg->workers : 1;
    r->worker_tids = calloc((size_t)r->n_workers, sizeof *r->worker_tids);
    for (int i = 0; i < r->n_workers; i++) pthread_create(&r->worker_tids[i], NULL, worker_main, r);
    r->n_readers = cfg->read_workers > 0 ? cfg->read_workers : 0; /* 0: on the workers */
    r->reader_tids = calloc((size_t)r->n_readers + 1, sizeof *r->reader_tids);
    if (!r->reader_tids) abort();
    for (int i = 0; i < r->n_readers; i++) pthread_create(&r->reader_tids[i], NULL, reader_main, r);
    return r;
}

void run_stop(run *r)
{
    queue_close(&r->writes);
    queue_close(&r->slow);
    queue_close(&r->reads);
    for (int i = 0; i < r->n_writers; i++) pthread_join(r->writer_tids[i], NULL);
    run_stop_background(r);
    if (r->has_checkpointer) pthread_join(r->checkpoint_tid, NULL);
    if (r->has_listener) {
        pthread_join(r->listener_tid, NULL);
        pthread_join(r->event_listener_tid, NULL);
    }
    if (r->has_mailer) pthread_join(r->mailer_tid, NULL);
    pthread_join(r->scheduler_tid, NULL);
    pthread_join(r->exporter_tid, NULL);
    if (r->has_retention) pthread_join(r->retention_tid, NULL);
    if (r->has_influence) pthread_join(r->influence_tid, NULL);
    if (r->has_feeds) pthread_join(r->feeds_tid, NULL);
    if (r->has_listen) pthread_join(r->listen_tid, NULL);
    pthread_join(r->tickets_tid, NULL);
    for (int i = 0; i < r->n_workers; i++) pthread_join(r->worker_tids[i], NULL);
    for (int i = 0; i < r->n_readers; i++) pthread_join(r->reader_tids[i], NULL);
    avatar_cache_free(r->avatars); /* the loops stopped first: no thread reads it now */
    r->avatars = NULL;
    attachments_store_close(r->media);
    r->media = NULL;
}

void run_sizes(const run *r, int *writers, int *workers, int *read_workers)
{
    *writers = r->n_writers;
    *workers = r->n_workers;
    *read_workers = r->n_readers;
}

/* ---------------------------------------------------------------- the loops' readers */

run_reader *run_reader_open(run *r)
{
    run_reader *rd = calloc(1, sizeof *rd);
    if (!rd) abort();
    rd->r = r;
    char err[256];
    if (db_open(r->db_path, DB_READONLY, &rd->d, err, sizeof err)) {
        log_error("event=db_open_failed msg=\"%s\"", err);
        free(rd);
        return NULL;
    }
    rd->cache = cache_new(CACHE_ENTRIES);
    return rd;
}

void run_reader_close(run_reader *rd)
{
    /* the cache stays: the process is about to exit, and it is reachable from here */
    db_close(rd->d);
    rd->d = NULL;
}

const char *run_reader_driver(run_reader *rd)
{
    return db_driver_name(rd->d);
}

void run_reader_app(run_reader *rd, app_ctx *app, arena *a, bool read_only)
{
    run_app_init(app, rd->r, rd->d, a, false);
    if (read_only) {
        app->read_only = true;
        app->cache = rd->cache;
    }
}

void run_reader_sync(run_reader *rd)
{
    cache_sync(rd->cache, rd->r->changes);
}

bool run_reader_begin(run_reader *rd)
{
    return db_begin_read(rd->d) == PL_OK;
}

void run_reader_end(run_reader *rd)
{
    db_end_read(rd->d);
}

void run_reader_run(run_reader *rd, run_job *j)
{
    app_ctx app;
    run_reader_app(rd, &app, &j->a, true);
    app.is_loop = true;  /* what would stall the loop is sent to a worker (api_to_worker) */
    run_reader_sync(rd); /* before the snapshot: see cache.h */
    bool txn = run_reader_begin(rd);
    if (j->resp.source.pull) /* a piece the workers had no room for (run_offer refused it) */
        j->pull_rc = j->resp.source.pull(j->resp.source.ctx, &app, &j->resp.body);
    else
        api_run(j->route, &app, &j->areq, &j->resp);
    if (txn) run_reader_end(rd);
}
