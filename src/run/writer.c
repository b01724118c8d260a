/*
 * writer.c — the writer threads: group commit, and the chores between batches.
 *
 * A writer owns a write connection (SQLite has one writer; PostgreSQL gets `writers` of
 * them, see writer_main). It takes every queued write job at once, runs each inside a
 * SAVEPOINT of one transaction (a job that answers >= 400 is rolled back alone), commits
 * once — group commit: one WAL sync for many writes — then publishes what changed
 * (publish.c) and hands each answer back to the transport (run_reply). When idle (and every
 * 64 batches under load) it trims a few home feeds; about once a second it sends the "poll"
 * notifications of polls that ended (app/polls.c), deletes apps that were never used
 * (app/auth.c: auth_apps_prune) and accounts never confirmed (app/confirm.c:
 * confirm_prune_step) and uploads no post took (app/attachments.c:
 * attachments_prune_unattached). Between batches it also runs queued fan-out a small chunk
 * at a time, so a request never waits long behind a big author's post.
 *
 * Nothing here waits on anything but the database: password hashing goes to the workers
 * (run.c), mail to the mailer (background.c).
 */
#include <stdlib.h>
#include <unistd.h>

#include "app/attachments.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/confirm.h"
#include "app/feeds.h"
#include "app/polls.h"
#include "run/run_internal.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Followers' feeds written per fan-out step: small, so a request never waits long behind one. */
enum { FANOUT_CHUNK = 25 };

/* Ended polls are looked for this often (a notification comes at most this late), and at
 * most this many are notified per transaction. */
enum { POLL_CHECK_MS = 1000, POLL_CHUNK = 20 };

/* Apps never used are looked for this often (app/auth.c: auth_apps_prune). */
enum { APP_PRUNE_CHECK_MS = 1000 };
/* Audit rows deleted per transaction by retention, at most once a second (a bounded write
 * lock: ~1,000 rows of a few hundred bytes). */
enum { AUDIT_PRUNE_BATCH = 1000 };

/* Between jobs, the writer trims a few home feeds (see feeds_trim_step). */
static void trim_feeds(run *r, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    if (feeds_trim_step(&app, cursor, TRIM_BATCH) != PL_OK) *cursor = 0;
    arena_free(&a);
}

/* One step of the fan-out queue in its own transaction; true while work remains. */
static bool fanout_step(run *r, db *d)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    bool more = false;
    if (feeds_fanout_step(&app, FANOUT_CHUNK, &more) != PL_OK) more = false;
    atomic_fetch_add(&r->m->fanout_rows, app.fanout_rows);
    if (more) atomic_fetch_add(&r->m->fanout_chunks, 1); /* "more" = a chunk was done */
    arena_free(&a);
    return more;
}

/* Sends the notifications of polls that ended, a chunk per transaction, until none is left. */
static void notify_ended_polls(run *r, db *d)
{
    for (;;) {
        arena a = ARENA_INIT;
        app_ctx app;
        run_app_init(&app, r, d, &a, true);
        int claimed = 0;
        int rc = polls_notify_ended_step(&app, POLL_CHUNK, &claimed);
        publish_changes(r, d, rc == PL_OK);
        arena_free(&a);
        if (rc != PL_OK) log_error("event=poll_notify_failed rc=%d", rc);
        if (rc != PL_OK || claimed < POLL_CHUNK) return;
    }
}

/* Deletes apps that were registered app_prune_after ago and never used. */
static void prune_apps(run *r, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    int pruned = 0;
    int rc = auth_apps_prune(&app, cursor, &pruned);
    publish_changes(r, d, rc == PL_OK);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=app_prune_failed rc=%d", rc);
    if (pruned) log_info("event=apps_pruned count=%d", pruned);
}

/* Deletes the accounts never confirmed unconfirmed_expire after they registered. */
static void prune_unconfirmed(run *r, db *d, int64_t *cursor)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    int pruned = 0;
    int rc = confirm_prune_step(&app, cursor, &pruned);
    publish_changes(r, d, rc == PL_OK);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=unconfirmed_prune_failed rc=%d", rc);
    if (pruned) log_info("event=unconfirmed_pruned count=%d", pruned);
}

/* Deletes the audit log's rows older than audit_retention_days, a batch at a time. */
static void prune_audit(run *r, db *d)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    int64_t pruned = 0;
    int rc = audit_prune(&app, AUDIT_PRUNE_BATCH, &pruned);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=audit_prune_failed rc=%d", rc);
    if (pruned) log_info("event=audit_pruned count=%lld", (long long)pruned);
}

/* Removes the uploads no post took within media_unattached_seconds, with their files. */
static void prune_uploads(run *r, db *d)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    int pruned = 0;
    int rc = attachments_prune_unattached(&app, &pruned);
    arena_free(&a);
    if (rc != PL_OK) log_error("event=upload_prune_failed rc=%d", rc);
    if (pruned) log_info("event=uploads_pruned count=%d", pruned);
}

/* Drops every cache of this node when another process (the admin tool) said it changed
 * records (app_outside_changes_note); *seen is the mark read last. */
static void watch_outside_changes(run *r, db *d, int64_t *seen)
{
    arena a = ARENA_INIT;
    app_ctx app;
    run_app_init(&app, r, d, &a, true);
    int64_t mark = app_outside_changes_mark(&app); /* -1, an error: dropping is safe */
    if (mark != *seen) changelog_append(r->changes, TOUCH_EVERYTHING, 0);
    *seen = mark;
    arena_free(&a);
}

/* Runs the jobs in one transaction, each in its own savepoint. PL_OK: committed (each job's
 * answer is in it); otherwise rolled back, and *transient says whether running them again
 * may succeed (another transaction chose this one as a deadlock victim). */
static int run_txn(run *r, db *d, run_job *batch, bool *transient)
{
    bool ok = db_begin(d) == PL_OK;
    for (run_job *j = batch; j && ok; j = j->next) {
        if (db_savepoint(d)) {
            ok = false;
            break;
        }
        j->resp.status = 0;
        j->resp.n_headers = 0;
        j->resp.content_type = NULL;
        buf_reset(&j->resp.body);
        run_job_exec(r, j, d, false);
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
    publish_changes(r, d, ok);
    return ok ? PL_OK : PL_EDB;
}

/*
 * Runs a batch of write jobs in one transaction and answers them (group commit). With
 * several writers on PostgreSQL, two batches can lock the same rows in opposite orders (a
 * count on a popular post, a follower's feed); PostgreSQL then aborts one of them. Its jobs
 * are run again one at a time, each in its own transaction, a few times with a growing
 * pause; only a job that still cannot get through answers 503.
 */
static void run_batch(run *r, db *d, run_job *batch, int n)
{
    atomic_fetch_sub(&r->m->writer_queue_depth, n);
    bool transient = false;
    int rc = run_txn(r, d, batch, &transient);
    atomic_fetch_add(&r->m->writer_batches, 1);
    atomic_fetch_add(&r->m->writer_jobs, n);
    if (rc != PL_OK && !transient) log_error("event=writer_batch_failed jobs=%d", n);
    for (run_job *j = batch, *next; j; j = next) {
        next = j->next;
        if (rc != PL_OK && transient) {
            j->next = NULL;
            atomic_fetch_add(&r->m->writer_retries, 1);
            bool again = true;
            for (int attempt = 1; attempt <= WRITER_RETRIES && again; attempt++) {
                usleep((useconds_t)(attempt * 2000 + rand() % 2000));
                if (run_txn(r, d, j, &again) == PL_OK) break;
            }
            if (again) {
                log_error("event=writer_gave_up route=%d", j->metric);
                api_resp_busy(&j->resp);
            } else if (j->resp.status == 0) {
                api_resp_internal_error(&j->resp);
            }
        } else if (rc != PL_OK) {
            api_resp_internal_error(&j->resp);
        }
        run_reply(r, j);
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
    run *r = arg;
    int index = atomic_fetch_add(&r->writers_started, 1);
    char err[256];
    db *d;
    if (db_open(r->db_path, DB_NO_CHECKPOINT, &d, err, sizeof err)) {
        log_error("event=writer_open_failed msg=\"%s\"", err);
        abort();
    }
    int n;
    bool idle, fanout_more = true; /* a queue left by the last run resumes at once */
    int64_t trim_cursor = 0, batches = 0, next_poll_check = 0, app_cursor = 0, next_app_prune = 0;
    int64_t unconfirmed_cursor = 0, outside_mark = 0;
    for (;;) {
        /* with fan-out waiting, only poll for requests: they go first, a chunk in between */
        run_job *batch =
            queue_take(&r->writes, r->writer_batch, &n, fanout_more ? 0 : WRITER_IDLE_MS, &idle);
        if (!batch && !idle) break; /* closing, and nothing left to answer */
        if (batch) {
            run_batch(r, d, batch, n);
            fanout_more = true;
            if (index == 0 && (++batches & 63) == 0) trim_feeds(r, d, &trim_cursor);
        }
        if (index == 0 && atomic_exchange(&r->wal_long, false)) db_checkpoint(d, false, NULL);
        int64_t now = time_now_ms();
        if (index == 0 && now >= next_poll_check) {
            watch_outside_changes(r, d, &outside_mark);
            notify_ended_polls(r, d);
            next_poll_check = now + POLL_CHECK_MS;
        }
        if (index == 0 && now >= next_app_prune) {
            prune_apps(r, d, &app_cursor);
            prune_unconfirmed(r, d, &unconfirmed_cursor);
            prune_uploads(r, d);
            prune_audit(r, d);
            next_app_prune = now + APP_PRUNE_CHECK_MS;
        }
        if (fanout_more)
            fanout_more = fanout_step(r, d);
        else if (idle) {
            if (index == 0) trim_feeds(r, d, &trim_cursor);
            fanout_more = true; /* another node may have queued work (or died with it) */
        }
    }
    db_close(d);
    return NULL;
}
