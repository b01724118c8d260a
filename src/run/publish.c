/*
 * publish.c — what committed, told to whoever keeps a copy: this node's loops (the
 * changelog their caches sync from, the eventlog their streams read, and a wake-up through
 * the transport's events_appended hook) and, on PostgreSQL, the other nodes (NOTIFY on two
 * channels, and the two LISTEN threads that hear the others' and feed this node's logs).
 * Only ids travel: a node reads the records themselves from the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/run_internal.h"
#include "util/log.h"

/* The channel on which nodes tell each other which records changed (cache invalidation). */
#define CHANGES_CHANNEL "partyline_changes"
/* … and the one on which they tell each other's streams what happened (live events). */
#define EVENTS_CHANNEL "partyline_events"

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
static void notify_events(run *r, db *d, const pl_event *ev, int n)
{
    char payload[7900];
    size_t len = (size_t)snprintf(payload, sizeof payload, "%d ", r->cfg->node_id), head = len;
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
void publish_changes(run *r, db *d, bool committed)
{
    int n, ne;
    const db_touch_rec *t = db_touched(d, &n);
    const pl_event *ev = db_events(d, &ne);
    if (committed) {
        for (int i = 0; i < n; i++) changelog_append(r->changes, t[i].kind, t[i].id);
        if (n && db_supports_notify(d)) notify_nodes(d, t, n);
        for (int i = 0; i < ne; i++) eventlog_append(r->events, &ev[i]);
        if (ne) r->hooks.events_appended(r->hooks.ctx);
        if (ne && db_supports_notify(d)) notify_events(r, d, ev, ne);
    }
    db_touched_clear(d);
    db_events_clear(d);
}

void *listener_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err) || db_listen(d, CHANGES_CHANNEL)) {
        log_error("event=listener_failed msg=\"%s\"", err);
        return NULL;
    }
    char payload[8192];
    while (!atomic_load(&r->stop_background)) {
        int rc = db_wait_notify(d, 250, payload, sizeof payload);
        if (rc < 0) {
            /* the connection broke: drop every cache (what changed meanwhile is unknown) */
            changelog_append(r->changes, TOUCH_EVERYTHING, 0);
            usleep(500 * 1000);
            db_close(d);
            if (db_open(r->db_path, 0, &d, err, sizeof err) || db_listen(d, CHANGES_CHANNEL))
                return NULL;
            continue;
        }
        if (rc == 0) continue;
        for (char *p = payload; *p;) {
            char *end;
            long kind = strtol(p, &end, 10);
            if (*end != ':') break;
            long long id = strtoll(end + 1, &end, 10);
            changelog_append(r->changes, (int)kind, id);
            while (*end == ' ') end++;
            p = end;
        }
    }
    db_close(d);
    return NULL;
}

/* Reads one "node kind:id:account:aux …" payload of EVENTS_CHANNEL into the event log,
 * unless this node sent it. */
static void take_events(run *r, char *payload)
{
    char *end;
    long node = strtol(payload, &end, 10);
    if (end == payload || node == r->cfg->node_id) return;
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
            changelog_append(r->changes, TOUCH_STATUS, ev.id);
        eventlog_append(r->events, &ev);
        n++;
    }
    if (n) r->hooks.events_appended(r->hooks.ctx);
}

void *event_listener_main(void *arg)
{
    run *r = arg;
    char err[256];
    db *d;
    if (db_open(r->db_path, 0, &d, err, sizeof err) || db_listen(d, EVENTS_CHANNEL)) {
        log_error("event=event_listener_failed msg=\"%s\"", err);
        return NULL;
    }
    char payload[8192];
    while (!atomic_load(&r->stop_background)) {
        int rc = db_wait_notify(d, 250, payload, sizeof payload);
        if (rc < 0) {
            /* events sent while the connection was down are lost; streams go on */
            usleep(500 * 1000);
            db_close(d);
            if (db_open(r->db_path, 0, &d, err, sizeof err) || db_listen(d, EVENTS_CHANNEL))
                return NULL;
            continue;
        }
        if (rc > 0) take_events(r, payload);
    }
    db_close(d);
    return NULL;
}
