/*
 * background.c — the runtime's threads that serve no request: SQLite's WAL checkpointer, the
 * mail sender, the publisher of scheduled posts, the builder of archives, retention's runs, the
 * day's influence, tickets' SLA check and the fetcher of listening's feeds. Each has a connection
 * of its own and runs until run_stop, after the writers have finished.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "app/exports.h"
#include "app/feed_sources.h"
#include "app/offboard.h"
#include "app/outbox.h"
#include "app/influence.h"
#include "app/listening.h"
#include "app/retention.h"
#include "app/scheduled.h"
#include "app/tickets.h"
#include "run/run_internal.h"
#include "util/log.h"
#include "util/timeutil.h"

/* The wall-clock time ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return ts;
}

void run_idle(run *r, int ms)
{
    struct timespec ts = deadline_in(ms);
    pthread_mutex_lock(&r->stop_mu);
    /* stop_background is set under stop_mu: a stop between the look and the wait is seen */
    while (!atomic_load(&r->stop_background) &&
           pthread_cond_timedwait(&r->stop_cv, &r->stop_mu, &ts) == 0) {
    }
    pthread_mutex_unlock(&r->stop_mu);
}

void run_stop_background(run *r)
{
    pthread_mutex_lock(&r->stop_mu);
    atomic_store(&r->stop_background, true);
    pthread_cond_broadcast(&r->stop_cv);
    pthread_cond_broadcast(&r->listen_cv);
    pthread_mutex_unlock(&r->stop_mu);
}

/* The WAL is checkpointed off the writer's path (a checkpoint's fsync stalled commits by up
 * to 390 ms on this machine's disk): passively every 250 ms; past 16 MiB of log the writer
 * completes a checkpoint between batches so the log can start over. */
enum { CHECKPOINT_EVERY_MS = 250, WAL_RESTART_PAGES = 4096 };

void *checkpoint_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err)) {
        log_error("event=checkpointer_open_failed msg=\"%s\"", err);
        return NULL;
    }
    while (!atomic_load(&r->stop_background)) {
        int pages = 0;
        db_checkpoint(d, false, &pages);
        /* While the writer keeps appending, a checkpoint from here never catches up with the
         * end of the log, and the log can only start over once it has. So when it is long,
         * the writer finishes the job between two batches (see writer_main): by then this
         * thread has already written and synced almost every page. */
        if (pages > WAL_RESTART_PAGES) atomic_store(&r->wal_long, true);
        run_idle(r, CHECKPOINT_EVERY_MS);
    }
    db_checkpoint(d, false, NULL);
    db_close(d);
    return NULL;
}

/* How often the mail sender looks for due mail when none was due. */
enum { MAILER_IDLE_MS = 250 };

/*
 * The mail sender (app/outbox.c): the one thread that waits on the SMTP relay, so neither a
 * loop nor the writer ever does. Runs only where smtp_url is set; one per node, on its own
 * connection; several nodes share the outbox through its leases.
 */
void *mailer_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err)) {
        log_error("event=mailer_open_failed msg=\"%s\"", err);
        return NULL;
    }
    mail_relay relay = outbox_relay(r->cfg);
    while (!atomic_load(&r->stop_background)) {
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        bool attempted = false;
        int rc = outbox_deliver_one(&app, &relay, &attempted);
        arena_free(&a);
        if (rc != PL_OK) log_error("event=mailer_failed rc=%d", rc);
        if (rc != PL_OK || !attempted) run_idle(r, MAILER_IDLE_MS);
    }
    db_close(d);
    return NULL;
}

/* How often the publisher looks for due scheduled posts when none was due: a post comes out
 * at most this late (Mastodon's comes within about a minute). */
enum { SCHEDULER_IDLE_MS = 500 };

/*
 * The publisher of scheduled posts (app/scheduled.h), on every node and both databases, on its
 * own connection so that it never holds up the writer's batches for long: one post per
 * transaction, published with posts_create and announced (caches, streams, other nodes) like a
 * request's writes. Nodes sharing a database each look; the delete in the post's transaction
 * makes exactly one of them publish it.
 */
void *scheduler_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=scheduler_open_failed msg=\"%s\"", err);
        return NULL;
    }
    while (!atomic_load(&r->stop_background)) {
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        enum scheduled_outcome outcome;
        int64_t scheduled_id, status_id;
        int rc = scheduled_publish_step(&app, &outcome, &scheduled_id, &status_id);
        publish_changes(r, d, rc == PL_OK);
        if (rc != PL_OK)
            log_error("event=scheduled_publish_failed rc=%d", rc);
        else if (outcome == SCHEDULED_PUBLISHED)
            log_info("event=scheduled_published scheduled_id=%lld status_id=%lld",
                     (long long)scheduled_id, (long long)status_id);
        else if (outcome == SCHEDULED_DROPPED)
            log_info("event=scheduled_dropped scheduled_id=%lld reason=\"%s\"",
                     (long long)scheduled_id, app.errmsg ? app.errmsg : "refused");
        arena_free(&a);
        if (rc != PL_OK || outcome == SCHEDULED_NONE) run_idle(r, SCHEDULER_IDLE_MS);
    }
    db_close(d);
    return NULL;
}

/* How often the builder looks for an archive to build when there was none: a request waits at
 * most this long before its build starts. */
enum { EXPORTER_IDLE_MS = 500 };

static bool exporter_stopping(void *arg)
{
    return atomic_load(&((run *)arg)->stop_background);
}

/*
 * The builder of archives and compliance exports (app/exports.h), on every node and both
 * databases, on its own connection: one zip at a time, streamed into the file store, for as
 * long as it takes (minutes for a large export) without holding up a writer. Nodes sharing a
 * database each look; a row is taken by one of them (a lease). A stop asks the build to give
 * its row back (it is built again later, here or elsewhere).
 */
void *exporter_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=exporter_open_failed msg=\"%s\"", err);
        return NULL;
    }
    while (!atomic_load(&r->stop_background)) {
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        bool did = false;
        int rc = exports_build_step(&app, exporter_stopping, r, &did);
        if (rc != PL_OK) log_error("event=exporter_failed rc=%d", rc);
        arena_free(&a);
        if (rc != PL_OK || !did) run_idle(r, EXPORTER_IDLE_MS);
    }
    db_close(d);
    return NULL;
}

/* After each batch of a retention run: what it changed and its streams' "delete" events go out
 * as a request's do (this node's caches and streams, and the other nodes); then a pause as
 * long as the batch held the write lock. */
struct retention_pass {
    run *r;
    db *d;
};

static void retention_published(void *ud, bool committed, int64_t txn_ms)
{
    struct retention_pass *p = ud;
    publish_changes(p->r, p->d, committed);
    run_idle(p->r, (int)txn_ms); /* as long again: requests first (a stop ends it) */
}

/* How often the retention thread asks whether a run is due. */
enum { RETENTION_LOOK_MS = 60000 };

/*
 * Retention (app/retention.h): every retention_interval_minutes a run, on its own connection,
 * a batch of posts per short transaction (each waits for the writer's lock like the
 * scheduler's do, and holds it only for its batch). Every node has this thread and looks each
 * minute; the lease in the database lets one run at a time, and only when the last run (by
 * any node) began an interval ago.
 */
/* How often the thread looks for a wipe the API asked (app/offboard.h). */
enum { WIPE_LOOK_MS = 2000 };

/* Off-boarding's wipes asked through the API, a batch per transaction — each published as a
 * retention batch is and followed by a pause as long as it held the write lock — until none
 * is left or a stop. Two nodes at one wipe do no harm: a post already gone is skipped, and the
 * wipe is finished (and audited) once. */
static void wipes(run *r, db *d)
{
    while (!atomic_load(&r->stop_background)) {
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        int64_t id, posts = 0, files = 0;
        bool done = false;
        int rc = offboard_wipe_next(&app, &id);
        int64_t began = time_now_ms();
        if (rc == PL_OK) rc = offboard_wipe_step(&app, id, 0, &done, &posts, &files);
        int64_t held = time_now_ms() - began;
        if (rc == PL_OK) publish_changes(r, d, true);
        if (rc == PL_OK && done)
            log_info("event=offboard_wiped account=%lld", (long long)id);
        else if (rc != PL_OK && rc != PL_ENOTFOUND)
            log_error("event=offboard_wipe_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        arena_free(&a);
        if (rc != PL_OK) return;
        run_idle(r, (int)held); /* as long again: requests first */
    }
}

void *retention_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=retention_open_failed msg=\"%s\"", err);
        return NULL;
    }
    char who[64];
    snprintf(who, sizeof who, "node %d pid %ld", r->cfg->node_id, (long)getpid());
    int64_t every = (int64_t)r->cfg->retention_interval_minutes * 60000;
    int64_t look = every < RETENTION_LOOK_MS ? every : RETENTION_LOOK_MS, looked = time_now_ms();
    for (;;) {
        /* every WIPE_LOOK_MS the wipes; every minute, whether a retention run is due: the last
         * one, by any node, began `every` ago (a node restarted more often than that still
         * runs, and only one node runs each time) */
        run_idle(r, WIPE_LOOK_MS);
        if (atomic_load(&r->stop_background)) break;
        wipes(r, d);
        if (!every || time_now_ms() - looked < look) continue;
        looked = time_now_ms();
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        struct retention_pass pass = {r, d};
        retention_opts o = {
            .who = who, .every_ms = every, .after_batch = retention_published, .ud = &pass};
        retention_summary s;
        int rc = retention_run(&app, &o, &s);
        if (rc != PL_OK)
            log_error("event=retention_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        else if (!s.idle && !s.busy)
            log_info("event=retention_run posts=%lld files=%lld batches=%d longest_txn_ms=%lld",
                     (long long)s.posts, (long long)s.files, s.batches,
                     (long long)s.longest_txn_ms);
        arena_free(&a);
    }
    db_close(d);
    return NULL;
}

/* How often the influence thread asks whether the day's computation is due. */
enum { INFLUENCE_LOOK_MS = 5 * 60000 };

/* After each write transaction of a computation: a pause as long (requests first). */
static void influence_paused(void *ud, int64_t txn_ms)
{
    run_idle(ud, (int)txn_ms);
}

/*
 * Influence (app/influence.h): every INFLUENCE_LOOK_MS, from influence_hour (UTC) on, whether
 * today has a computation; if not, one, on this thread's own connection. Every node looks; the
 * lease in the database lets one compute, and the others then find the day done.
 */
void *influence_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=influence_open_failed msg=\"%s\"", err);
        return NULL;
    }
    char who[64];
    snprintf(who, sizeof who, "node %d pid %ld", r->cfg->node_id, (long)getpid());
    for (;;) {
        run_idle(r, INFLUENCE_LOOK_MS);
        if (atomic_load(&r->stop_background)) break;
        int64_t now = time_now_ms();
        if ((now % 86400000) / 3600000 < r->cfg->influence_hour) continue;
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        influence_opts o = {.who = who, .daily = true, .after_batch = influence_paused, .ud = r};
        influence_summary s;
        int rc = influence_compute(&app, &o, &s);
        if (rc != PL_OK)
            log_error("event=influence_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        else if (!s.busy && !s.done)
            log_info("event=influence_computed people=%d scored=%d signals=%lld counted=%lld "
                     "read_ms=%lld compute_ms=%lld write_ms=%lld longest_txn_ms=%lld",
                     s.people, s.scored, (long long)s.signals, (long long)s.counted,
                     (long long)s.read_ms, (long long)s.compute_ms, (long long)s.write_ms,
                     (long long)s.longest_txn_ms);
        arena_free(&a);
    }
    db_close(d);
    return NULL;
}

/* How often the tickets thread checks the SLA's targets. */
enum { TICKETS_LOOK_MS = 60000 };

/*
 * Tickets (app/tickets.h): every TICKETS_LOOK_MS, the SLA's check on this thread's own
 * connection: coming breaches and breaches told to the assignee or the team. Every node looks;
 * a claim on each ticket's row lets one node tell each event, once. What it wrote (its
 * notifications) is published as a request's is.
 */
void *tickets_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=tickets_open_failed msg=\"%s\"", err);
        return NULL;
    }
    for (;;) {
        run_idle(r, TICKETS_LOOK_MS);
        if (atomic_load(&r->stop_background)) break;
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        int told = 0;
        int rc = tickets_sla_check(&app, &told);
        publish_changes(r, d, rc == PL_OK);
        if (rc != PL_OK)
            log_error("event=tickets_sla_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        else if (told)
            log_info("event=tickets_sla told=%d", told);
        arena_free(&a);
    }
    db_close(d);
    return NULL;
}

static bool feeds_stopping(void *ud)
{
    run *r = ud;
    return atomic_load(&r->stop_background);
}

/*
 * Listening's feeds (app/feed_sources.h): every feeds_poll_seconds, the feeds that are due,
 * each taken first so that of several nodes one fetches it, fetched on this thread (a fetch
 * blocks for up to 30 s: never on a loop, a worker or the writer) and written in one short
 * transaction. A stop ends a fetch under way at once.
 */
void *feeds_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=feeds_open_failed msg=\"%s\"", err);
        return NULL;
    }
    feeds_limits limits = FEEDS_LIMITS_DEFAULT;
    limits.is_stopping = feeds_stopping;
    limits.stopping_ud = r;
    for (;;) {
        run_idle(r, r->cfg->feeds_poll_seconds * 1000);
        if (atomic_load(&r->stop_background)) break;
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        int fetched = 0;
        int rc = feed_sources_poll(&app, &limits, &fetched);
        if (rc != PL_OK)
            log_error("event=feeds_poll_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        else if (fetched)
            log_info("event=feeds_polled fetched=%d", fetched);
        arena_free(&a);
    }
    db_close(d);
    return NULL;
}

void run_listen_wake(run *r)
{
    if (!r->has_listen) return;
    pthread_mutex_lock(&r->stop_mu);
    r->listen_wake = true;
    pthread_cond_signal(&r->listen_cv);
    pthread_mutex_unlock(&r->stop_mu);
}

/* The least pause between two steps of the matcher when it is woken: what was written in it
 * is matched in one transaction. */
enum { LISTEN_GAP_MS = 50 };

/* Waits until a post was written (run_listen_wake), ms went by, or the stop. */
static void listen_idle(run *r, int ms)
{
    struct timespec ts = deadline_in(ms);
    pthread_mutex_lock(&r->stop_mu);
    while (!atomic_load(&r->stop_background) && !r->listen_wake &&
           pthread_cond_timedwait(&r->listen_cv, &r->stop_mu, &ts) == 0) {
    }
    r->listen_wake = false;
    pthread_mutex_unlock(&r->stop_mu);
}

/*
 * Listening's matcher (app/listening.h): new posts and feed items matched against every watch
 * at once, a batch per transaction on this thread's own connection, as soon as a post is
 * written (publish.c wakes it) and every listen_poll_ms. Every node runs it; the lease in
 * listen_state lets one match, and the cursor there lets it resume after a restart.
 */
void *listen_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=listen_open_failed msg=\"%s\"", err);
        return NULL;
    }
    char who[64];
    snprintf(who, sizeof who, "node %d pid %ld", r->cfg->node_id, (long)getpid());
    listen_worker w = {.holder = who};
    bool more = false;
    for (;;) {
        if (!more) {
            listen_idle(r, r->cfg->listen_poll_ms);
            /* posts that come together are matched together: a step (a write transaction)
             * at most every LISTEN_GAP_MS, however fast they come */
            run_idle(r, LISTEN_GAP_MS);
        }
        if (atomic_load(&r->stop_background)) break;
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        listen_summary s;
        int rc = listen_step(&app, &w, &s);
        publish_changes(r, d, rc == PL_OK);
        if (rc != PL_OK)
            log_error("event=listen_failed rc=%d msg=\"%s\"", rc,
                      app.errmsg ? app.errmsg : "database error");
        more = rc == PL_OK && s.more;
        arena_free(&a);
    }
    listen_worker_free(&w);
    listen_shutdown();
    db_close(d);
    return NULL;
}
