/*
 * jobs.c — the writer threads, the worker threads and their queues.
 *
 * A writer owns a write connection (SQLite has one writer; PostgreSQL gets `writers` of
 * them, see writer_main). It takes every queued write job at once, runs
 * each inside a SAVEPOINT of one transaction (a job that answers >= 400 is rolled back
 * alone), commits once — group commit: one WAL sync for many writes — then publishes what
 * changed to the loops' caches and hands each answer back to the loop it came from. When
 * idle (and every 64 batches under load) it trims a few home feeds; about once a second it
 * sends the "poll" notifications of polls that ended (app/polls.c), deletes apps that were
 * never used (app/auth.c: auth_apps_prune) and accounts never confirmed (app/confirm.c:
 * confirm_prune_step). Workers take slow jobs
 * (password hashing, expensive reads) one at a time on their own connection and commit
 * themselves, so a 50 ms argon2id never holds the write lock; expensive reads (GETs) have a
 * pool of their own (reader_main), so that neither kind keeps the other waiting. Every queue
 * is bounded, and the workers' are shared fairly among clients (queue_offer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/feeds.h"
#include "app/auth.h"
#include "app/confirm.h" /* gaps: unconfirmed accounts */
#include "app/outbox.h"
#include "app/polls.h"
#include "http/server_internal.h"
#include "util/log.h"
#include "util/timeutil.h"

/* The WAL is checkpointed off the writer's path (a checkpoint's fsync stalled commits by up
 * to 390 ms on this machine's disk): passively every 250 ms; past 16 MiB of log the writer
 * completes a checkpoint between batches so the log can start over. */
enum { CHECKPOINT_EVERY_MS = 250, WAL_RESTART_PAGES = 4096 };

/* The channel on which nodes tell each other which records changed (cache invalidation). */
#define CHANGES_CHANNEL "partyline_changes"
/* … and the one on which they tell each other's streams what happened (live events). */
#define EVENTS_CHANNEL "partyline_events"

/* Followers' feeds written per fan-out step: small, so a request never waits long behind one. */
enum { FANOUT_CHUNK = 25 };

/* Ended polls are looked for this often (a notification comes at most this late), and at
 * most this many are notified per transaction. */
enum { POLL_CHECK_MS = 1000, POLL_CHUNK = 20 };

/* Apps never used are looked for this often (app/auth.c: auth_apps_prune). */
enum { APP_PRUNE_CHECK_MS = 1000 };

void queue_init(struct job_queue *q)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
}

void queue_push(struct job_queue *q, job *j)
{
    pthread_mutex_lock(&q->mu);
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
    q->len++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static struct client_count **client_slot(struct job_queue *q, const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    struct client_count **c = &q->clients[h % CLIENT_BUCKETS];
    while (*c && strcmp((*c)->key, key)) c = &(*c)->next;
    return c;
}

/*
 * Bounded and fair: a request is refused at once, rather than queued, when max jobs wait
 * already (a flood must not grow the queue, and every request behind it, without end), or
 * when its client — an account, or an address without a valid token — has its share of jobs
 * (j->share) queued or running already: one client's flood then occupies a few places, and
 * everyone else's requests wait behind those few, not behind the flood.
 */
enum queue_offer_result queue_offer(struct job_queue *q, job *j)
{
    pthread_mutex_lock(&q->mu);
    enum queue_offer_result rc = QUEUE_TAKEN;
    if (q->max > 0 && q->len >= q->max) {
        rc = QUEUE_FULL;
    } else if (j->share > 0) {
        struct client_count **c = client_slot(q, j->client);
        if (*c && (*c)->n >= j->share) {
            rc = QUEUE_CLIENT_BUSY;
        } else {
            if (!*c) {
                *c = calloc(1, sizeof **c);
                if (!*c) abort();
                snprintf((*c)->key, sizeof(*c)->key, "%s", j->client);
            }
            (*c)->n++;
            j->counted = true;
        }
    }
    pthread_mutex_unlock(&q->mu);
    if (rc == QUEUE_TAKEN) queue_push(q, j);
    return rc;
}

void queue_done(struct job_queue *q, job *j)
{
    if (!j->counted) return;
    pthread_mutex_lock(&q->mu);
    struct client_count **c = client_slot(q, j->client);
    if (*c && --(*c)->n <= 0) {
        struct client_count *gone = *c;
        *c = gone->next;
        free(gone);
    }
    j->counted = false;
    pthread_mutex_unlock(&q->mu);
}

/* Takes up to max jobs. idle_ms < 0 waits for one; 0 only looks; > 0 waits that long. NULL
 * with *idle set: nothing came; NULL with *idle clear: the queue is closing and empty. */
job *queue_take(struct job_queue *q, int max, int *n, int idle_ms, bool *idle)
{
    pthread_mutex_lock(&q->mu);
    if (idle) *idle = false;
    if (idle_ms == 0 && !q->head && !q->closing) { /* a poll */
        *idle = true;
        *n = 0;
        pthread_mutex_unlock(&q->mu);
        return NULL;
    }
    if (idle_ms > 0 && !q->head && !q->closing) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += idle_ms / 1000;
        ts.tv_nsec += (long)(idle_ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&q->cv, &q->mu, &ts);
        if (!q->head && !q->closing) {
            *idle = true;
            *n = 0;
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
    }
    while (!q->head && !q->closing) pthread_cond_wait(&q->cv, &q->mu);
    job *first = q->head, *last = NULL, *j = q->head;
    int k = 0;
    while (j && k < max) {
        last = j;
        j = j->next;
        k++;
    }
    if (last) {
        q->head = last->next;
        if (!q->head) q->tail = NULL;
        last->next = NULL;
    }
    q->len -= k;
    *n = k;
    pthread_mutex_unlock(&q->mu);
    return k ? first : NULL;
}

void queue_close(struct job_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closing = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void app_init(app_ctx *a, server *s, db *d, arena *ar, bool own_txn)
{
    *a = (app_ctx){.db = d,
                   .cfg = s->cfg,
                   .ids = s->ids,
                   .a = ar,
                   .now = time_now_ms(),
                   .own_txn = own_txn,
                   .limits = s->rl};
}

void job_free(job *j)
{
    if (j->ref) j->ref->j = NULL;
    api_resp_free(&j->resp);
    arena_free(&j->a);
    free(j);
}

static void run_job(server *s, job *j, db *d, bool own_txn)
{
    app_ctx app;
    app_init(&app, s, d, &j->a, own_txn);
    /* a read sent here for its cost: keep what it loads for the request, as the loops do */
    app.read_only = j->route->exec == EXEC_READ_OR_SLOW;
    api_run(j->route, &app, &j->areq, &j->resp);
    j->fanout = app.fanout_rows;
}

/* Tells the other nodes' caches what changed: "kind:id kind:id …" on CHANGES_CHANNEL, in
 * notifications under PostgreSQL's 8000-byte payload limit. This node hears its own too
 * (a needless eviction). */
static void notify_nodes(db *d, const db_touch_rec *t, int n)
{
    char payload[7900];
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        char item[32];
        int k = snprintf(item, sizeof item, "%d:%lld ", t[i].kind, (long long)t[i].id);
        if (len + (size_t)k >= sizeof payload) {
            payload[len] = '\0';
            db_notify(d, CHANGES_CHANNEL, payload);
            len = 0;
        }
        memcpy(payload + len, item, (size_t)k);
        len += (size_t)k;
    }
    payload[len] = '\0';
    if (len) db_notify(d, CHANGES_CHANNEL, payload);
}

/* Tells the other nodes' streams what happened: "node kind:id:account:aux …" on
 * EVENTS_CHANNEL, ids only, in notifications under the 8000-byte payload limit. The node
 * number lets each node skip what it sent itself (its own loops have it already). */
static void notify_events(server *s, db *d, const pl_event *ev, int n)
{
    char payload[7900];
    size_t len = (size_t)snprintf(payload, sizeof payload, "%d ", s->cfg->node_id), head = len;
    for (int i = 0; i < n; i++) {
        char item[96];
        int k = snprintf(item, sizeof item, "%d:%lld:%lld:%lld ", ev[i].kind, (long long)ev[i].id,
                         (long long)ev[i].account_id, (long long)ev[i].aux);
        if (len + (size_t)k >= sizeof payload) {
            payload[len] = '\0';
            db_notify(d, EVENTS_CHANNEL, payload);
            len = head;
        }
        memcpy(payload + len, item, (size_t)k);
        len += (size_t)k;
    }
    payload[len] = '\0';
    if (len > head) db_notify(d, EVENTS_CHANNEL, payload);
}

/* Tells the loops' caches what this connection's committed transactions changed, and then
 * the streams what happened (in that order: a loop renders an event from fresh records). */
static void publish_changes(server *s, db *d, bool committed)
{
    int n, ne;
    const db_touch_rec *t = db_touched(d, &n);
    const pl_event *ev = db_events(d, &ne);
    if (committed) {
        for (int i = 0; i < n; i++) changelog_append(s->changes, t[i].kind, t[i].id);
        if (n && db_supports_notify(d)) notify_nodes(d, t, n);
        for (int i = 0; i < ne; i++) eventlog_append(s->events, &ev[i]);
        if (ne) streaming_wake(s);
        if (ne && db_supports_notify(d)) notify_events(s, d, ev, ne);
    }
    db_touched_clear(d);
    db_events_clear(d);
}

static void reply(job *j)
{
    h2o_multithread_send_message(&j->origin->done_recv, &j->msg);
}

/* Between jobs, the writer trims a few home feeds (see feeds_trim_step). */
static void trim_feeds(server *s, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    app_init(&app, s, d, &a, true);
    if (feeds_trim_step(&app, cursor, TRIM_BATCH) != PL_OK) *cursor = 0;
    arena_free(&a);
}

void *listener_main(void *arg)
{
    server *s = arg;
    char err[256];
    db *d;
    if (db_open(s->db_path, 0, &d, err, sizeof err) || db_listen(d, CHANGES_CHANNEL)) {
        log_error("event=listener_failed msg=\"%s\"", err);
        return NULL;
    }
    char payload[8192];
    while (!atomic_load(&s->stop_checkpoints)) {
        int rc = db_wait_notify(d, 250, payload, sizeof payload);
        if (rc < 0) {
            /* the connection broke: drop every cache (what changed meanwhile is unknown) */
            changelog_append(s->changes, TOUCH_EVERYTHING, 0);
            usleep(500 * 1000);
            db_close(d);
            if (db_open(s->db_path, 0, &d, err, sizeof err) || db_listen(d, CHANGES_CHANNEL))
                return NULL;
            continue;
        }
        if (rc == 0) continue;
        for (char *p = payload; *p;) {
            char *end;
            long kind = strtol(p, &end, 10);
            if (*end != ':') break;
            long long id = strtoll(end + 1, &end, 10);
            changelog_append(s->changes, (int)kind, id);
            while (*end == ' ') end++;
            p = end;
        }
    }
    db_close(d);
    return NULL;
}

/* Reads one "node kind:id:account:aux …" payload of EVENTS_CHANNEL into the event log,
 * unless this node sent it. */
static void take_events(server *s, char *payload)
{
    char *end;
    long node = strtol(payload, &end, 10);
    if (end == payload || node == s->cfg->node_id) return;
    int n = 0;
    for (char *p = end; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        pl_event ev;
        ev.kind = (int)strtol(p, &end, 10);
        if (*end != ':') break;
        ev.id = strtoll(end + 1, &end, 10);
        if (*end != ':') break;
        ev.account_id = strtoll(end + 1, &end, 10);
        if (*end != ':') break;
        ev.aux = strtoll(end + 1, &end, 10);
        p = end;
        /* the other node's change notices travel on their own channel and may come later:
         * a record an event is about must not be rendered from an older cached copy */
        if (ev.kind == EV_STATUS_UPDATE || ev.kind == EV_DELETE)
            changelog_append(s->changes, TOUCH_STATUS, ev.id);
        eventlog_append(s->events, &ev);
        n++;
    }
    if (n) streaming_wake(s);
}

void *event_listener_main(void *arg)
{
    server *s = arg;
    char err[256];
    db *d;
    if (db_open(s->db_path, 0, &d, err, sizeof err) || db_listen(d, EVENTS_CHANNEL)) {
        log_error("event=event_listener_failed msg=\"%s\"", err);
        return NULL;
    }
    char payload[8192];
    while (!atomic_load(&s->stop_checkpoints)) {
        int rc = db_wait_notify(d, 250, payload, sizeof payload);
        if (rc < 0) {
            /* events sent while the connection was down are lost; streams go on */
            usleep(500 * 1000);
            db_close(d);
            if (db_open(s->db_path, 0, &d, err, sizeof err) || db_listen(d, EVENTS_CHANNEL))
                return NULL;
            continue;
        }
        if (rc > 0) take_events(s, payload);
    }
    db_close(d);
    return NULL;
}

void *checkpoint_main(void *arg)
{
    server *s = arg;
    char err[256];
    db *d;
    if (db_open(s->db_path, 0, &d, err, sizeof err)) {
        log_error("event=checkpointer_open_failed msg=\"%s\"", err);
        return NULL;
    }
    while (!atomic_load(&s->stop_checkpoints)) {
        int pages = 0;
        db_checkpoint(d, false, &pages);
        /* While the writer keeps appending, a checkpoint from here never catches up with the
         * end of the log, and the log can only start over once it has. So when it is long,
         * the writer finishes the job between two batches (see writer_main): by then this
         * thread has already written and synced almost every page. */
        if (pages > WAL_RESTART_PAGES) atomic_store(&s->wal_long, true);
        usleep(CHECKPOINT_EVERY_MS * 1000);
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
    server *s = arg;
    char err[256];
    db *d;
    if (db_open(s->db_path, 0, &d, err, sizeof err)) {
        log_error("event=mailer_open_failed msg=\"%s\"", err);
        return NULL;
    }
    mail_relay relay = outbox_relay(s->cfg);
    while (!atomic_load(&s->stop_checkpoints)) {
        arena a = ARENA_INIT;
        app_ctx app;
        app_init(&app, s, d, &a, true);
        bool attempted = false;
        int rc = outbox_deliver_one(&app, &relay, &attempted);
        arena_free(&a);
        if (rc != PL_OK) log_error("event=mailer_failed rc=%d", rc);
        if (rc != PL_OK || !attempted) usleep(MAILER_IDLE_MS * 1000);
    }
    db_close(d);
    return NULL;
}

/* One step of the fan-out queue in its own transaction; true while work remains. */
static bool fanout_step(server *s, db *d)
{
    arena a = ARENA_INIT;
    app_ctx app;
    app_init(&app, s, d, &a, true);
    bool more = false;
    if (feeds_fanout_step(&app, FANOUT_CHUNK, &more) != PL_OK) more = false;
    atomic_fetch_add(&s->m->fanout_rows, app.fanout_rows);
    if (more) atomic_fetch_add(&s->m->fanout_chunks, 1); /* "more" = a chunk was done */
    arena_free(&a);
    return more;
}

/* Sends the notifications of polls that ended, a chunk per transaction, until none is left. */
static void notify_ended_polls(server *s, db *d)
{
    for (;;) {
        arena a = ARENA_INIT;
        app_ctx app;
        app_init(&app, s, d, &a, true);
        int claimed = 0;
        int rc = polls_notify_ended_step(&app, POLL_CHUNK, &claimed);
        publish_changes(s, d, rc == PL_OK);
        arena_free(&a);
        if (rc != PL_OK) log_error("event=poll_notify_failed rc=%d", rc);
        if (rc != PL_OK || claimed < POLL_CHUNK) return;
    }
}

/* Deletes apps that were registered app_prune_after ago and never used. */
static void prune_apps(server *s, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    app_init(&app, s, d, &a, true);
    int pruned = 0;
    int rc = auth_apps_prune(&app, cursor, &pruned);
    publish_changes(s, d, rc == PL_OK);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=app_prune_failed rc=%d", rc);
    if (pruned) log_info("event=apps_pruned count=%d", pruned);
}

/* ---- gaps: unconfirmed accounts (begin) -- app/confirm.c: confirm_prune_step ---- */
/* Deletes the accounts never confirmed unconfirmed_expire after they registered. */
static void prune_unconfirmed(server *s, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    app_init(&app, s, d, &a, true);
    int pruned = 0;
    int rc = confirm_prune_step(&app, cursor, &pruned);
    publish_changes(s, d, rc == PL_OK);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=unconfirmed_prune_failed rc=%d", rc);
    if (pruned) log_info("event=unconfirmed_pruned count=%d", pruned);
}
/* ---- gaps: unconfirmed accounts (end) ---- */

static void fail_job(job *j, int status, const char *body)
{
    buf_reset(&j->resp.body);
    j->resp.status = status;
    j->resp.n_headers = 0;
    j->resp.content_type = NULL;
    buf_puts(&j->resp.body, body);
}

/* Runs the jobs in one transaction, each in its own savepoint. PL_OK: committed (each job's
 * answer is in it); otherwise rolled back, and *transient says whether running them again
 * may succeed (another transaction chose this one as a deadlock victim). */
static int run_txn(server *s, db *d, job *batch, bool *transient)
{
    bool ok = db_begin(d) == PL_OK;
    for (job *j = batch; j && ok; j = j->next) {
        if (db_savepoint(d)) {
            ok = false;
            break;
        }
        j->resp.status = 0;
        j->resp.n_headers = 0;
        j->resp.content_type = NULL;
        buf_reset(&j->resp.body);
        run_job(s, j, d, false);
        if (db_retryable(d))
            ok = false;
        else if (j->resp.status >= 400)
            ok = db_rollback_to(d) == PL_OK;
        else
            ok = db_release(d) == PL_OK;
    }
    if (ok && db_commit(d) != PL_OK) ok = false;
    *transient = !ok && db_retryable(d);
    if (!ok) db_rollback(d);
    publish_changes(s, d, ok);
    return ok ? PL_OK : PL_EDB;
}

/*
 * Runs a batch of write jobs in one transaction and answers them (group commit). With
 * several writers on PostgreSQL, two batches can lock the same rows in opposite orders (a
 * count on a popular post, a follower's feed); PostgreSQL then aborts one of them. Its jobs
 * are run again one at a time, each in its own transaction, a few times with a growing
 * pause; only a job that still cannot get through answers 503.
 */
static void run_batch(server *s, db *d, job *batch, int n)
{
    atomic_fetch_sub(&s->m->writer_queue_depth, n);
    bool transient = false;
    int rc = run_txn(s, d, batch, &transient);
    atomic_fetch_add(&s->m->writer_batches, 1);
    atomic_fetch_add(&s->m->writer_jobs, n);
    if (rc != PL_OK && !transient) log_error("event=writer_batch_failed jobs=%d", n);
    for (job *j = batch, *next; j; j = next) {
        next = j->next;
        if (rc != PL_OK && transient) {
            j->next = NULL;
            atomic_fetch_add(&s->m->writer_retries, 1);
            bool again = true;
            for (int attempt = 1; attempt <= WRITER_RETRIES && again; attempt++) {
                usleep((useconds_t)(attempt * 2000 + rand() % 2000));
                if (run_txn(s, d, j, &again) == PL_OK) break;
            }
            if (again) {
                log_error("event=writer_gave_up route=%d", j->metric);
                fail_job(j, 503, "{\"error\":\"The database is busy; try again\"}");
            } else if (j->resp.status == 0) {
                fail_job(j, 500, "{\"error\":\"Internal server error\"}");
            }
        } else if (rc != PL_OK) {
            fail_job(j, 500, "{\"error\":\"Internal server error\"}");
        }
        reply(j);
    }
}

/*
 * The writer threads: one on SQLite (it has one writer anyway), `writers` on PostgreSQL, each
 * with its own connection and all taking from one queue. Between batches they do a step of
 * queued fan-out (several writers share it through FOR UPDATE SKIP LOCKED); the first one
 * also trims feeds and, on SQLite, completes the WAL checkpoint when the log has grown long.
 */
void *writer_main(void *arg)
{
    server *s = arg;
    int index = atomic_fetch_add(&s->writers_started, 1);
    char err[256];
    db *d;
    if (db_open(s->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=writer_open_failed msg=\"%s\"", err);
        abort();
    }
    int n;
    bool idle, fanout_more = true; /* a queue left by the last run resumes at once */
    int64_t trim_cursor = 0, batches = 0, next_poll_check = 0, app_cursor = 0, next_app_prune = 0;
    int64_t unconfirmed_cursor = 0; /* gaps: unconfirmed accounts */
    for (;;) {
        /* with fan-out waiting, only poll for requests: they go first, a chunk in between */
        job *batch =
            queue_take(&s->writes, s->writer_batch, &n, fanout_more ? 0 : WRITER_IDLE_MS, &idle);
        if (!batch && !idle) break; /* closing, and nothing left to answer */
        if (batch) {
            run_batch(s, d, batch, n);
            fanout_more = true;
            if (index == 0 && (++batches & 63) == 0) trim_feeds(s, d, &trim_cursor);
        }
        if (index == 0 && atomic_exchange(&s->wal_long, false)) db_checkpoint(d, false, NULL);
        int64_t now = time_now_ms();
        if (index == 0 && now >= next_poll_check) {
            notify_ended_polls(s, d);
            next_poll_check = now + POLL_CHECK_MS;
        }
        if (index == 0 && now >= next_app_prune) {
            prune_apps(s, d, &app_cursor);
            prune_unconfirmed(s, d, &unconfirmed_cursor); /* gaps: unconfirmed accounts */
            next_app_prune = now + APP_PRUNE_CHECK_MS;
        }
        if (fanout_more)
            fanout_more = fanout_step(s, d);
        else if (idle) {
            if (index == 0) trim_feeds(s, d, &trim_cursor);
            fanout_more = true; /* another node may have queued work (or died with it) */
        }
    }
    db_close(d);
    return NULL;
}

static void work(server *s, struct job_queue *q)
{
    char err[256];
    db *d;
    if (db_open(s->db_path, 0, &d, err, sizeof err)) {
        log_error("event=worker_open_failed msg=\"%s\"", err);
        abort();
    }
    int n;
    job *j;
    while ((j = queue_take(q, 1, &n, -1, NULL))) {
        atomic_fetch_sub(&s->m->slow_queue_depth, 1);
        run_job(s, j, d, true);
        publish_changes(s, d, true); /* a rolled-back touch only costs an eviction */
        queue_done(q, j);            /* before the answer: the client may ask again at once */
        reply(j);
    }
    db_close(d);
}

void *worker_main(void *arg)
{
    server *s = arg;
    work(s, &s->slow);
    return NULL;
}

void *reader_main(void *arg)
{
    server *s = arg;
    work(s, &s->reads);
    return NULL;
}
