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

/* A NOTIFY being filled: a fixed head, then items, sent whenever the next item would
 * pass PostgreSQL's 8000-byte payload limit. */
typedef struct {
    db *d;
    const char *channel;
    size_t head, len;
    char text[7900];
} notice;

static void notice_send(notice *p)
{
    p->text[p->len] = '\0';
    if (p->len > p->head) db_notify(p->d, p->channel, p->text);
    p->len = p->head;
}

static void notice_add(notice *p, const char *item, int k)
{
    if (p->len + (size_t)k >= sizeof p->text) notice_send(p);
    memcpy(p->text + p->len, item, (size_t)k);
    p->len += (size_t)k;
}

/* Tells the other nodes' caches what changed: "kind:id kind:id …" on CHANGES_CHANNEL. This
 * node hears its own too (a needless eviction). */
static void notify_nodes(db *d, const db_touch_rec *t, int n)
{
    notice p = {.d = d, .channel = CHANGES_CHANNEL};
    for (int i = 0; i < n; i++) {
        char item[32];
        notice_add(&p, item,
                   snprintf(item, sizeof item, "%d:%lld ", t[i].kind, (long long)t[i].id));
    }
    notice_send(&p);
}

/* Tells the other nodes' streams what happened: "node kind:id:account:aux …" on
 * EVENTS_CHANNEL, ids only. The node number lets each node skip what it sent itself (its own
 * loops have it already). */
static void notify_events(run *r, db *d, const pl_event *ev, int n)
{
    notice p = {.d = d, .channel = EVENTS_CHANNEL};
    p.head = p.len = (size_t)snprintf(p.text, sizeof p.text, "%d ", r->cfg->node_id);
    for (int i = 0; i < n; i++) {
        char item[96];
        notice_add(&p, item,
                   snprintf(item, sizeof item, "%d:%lld:%lld:%lld ", ev[i].kind,
                            (long long)ev[i].id, (long long)ev[i].account_id,
                            (long long)ev[i].aux));
    }
    notice_send(&p);
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
        for (int i = 0; i < ne; i++)
            if (ev[i].kind == EV_STATUS) {
                run_listen_wake(r); /* listening's matcher looks at once */
                break;
            }
    }
    db_touched_clear(d);
    db_events_clear(d);
}

/* Reads one "kind:id kind:id …" payload of CHANGES_CHANNEL into the changelog. */
static void take_changes(run *r, char *payload)
{
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
        if (ev.kind == EV_STATUS) run_listen_wake(r); /* the matcher may be on this node */
        n++;
    }
    if (n) r->hooks.events_appended(r->hooks.ctx);
}

/* Drops every cache: what changed while this node was not listening is unknown. */
static void changes_lost(run *r)
{
    changelog_append(r->changes, TOUCH_EVERYTHING, 0);
}

/* One LISTEN thread: a channel, what to do with each payload, and what to do when notices may
 * have been missed (a broken connection; NULL: nothing, as live events sent meanwhile are
 * simply lost and streams go on). */
typedef struct {
    const char *channel;
    void (*take)(run *r, char *payload);
    void (*lost)(run *r);
} listener;

/* Listens on l->channel until run.stop_background, connecting again (every half second,
 * logged) whenever the connection breaks or cannot be made: a node that stopped hearing the
 * others would serve stale caches for ever. */
static void listen_loop(run *r, const listener *l)
{
    char err[256], payload[8192];
    db *d = NULL;
    bool logged = false;
    while (!atomic_load(&r->stop_background)) {
        if (!d) {
            err[0] = '\0';
            if (db_open(r->db_path, 0, &d, err, sizeof err) || db_listen(d, l->channel)) {
                if (!logged)
                    log_error("event=listener_failed channel=%s msg=\"%s\"", l->channel, err);
                logged = true;
                db_close(d);
                d = NULL;
                run_idle(r, 500);
                continue;
            }
            if (logged) log_info("event=listener_connected channel=%s", l->channel);
            logged = false;
        }
        int rc = db_wait_notify(d, 250, payload, sizeof payload);
        if (rc > 0) l->take(r, payload);
        if (rc >= 0) continue;
        if (l->lost) l->lost(r);
        db_close(d);
        d = NULL;
    }
    db_close(d);
}

void *listener_main(void *arg)
{
    static const listener l = {CHANGES_CHANNEL, take_changes, changes_lost};
    listen_loop(arg, &l);
    return NULL;
}

void *event_listener_main(void *arg)
{
    static const listener l = {EVENTS_CHANNEL, take_events, NULL};
    listen_loop(arg, &l);
    return NULL;
}
