/*
 * eventlog.c — a ring of the last EVENTLOG_CAPACITY live events with a global sequence
 * number (the changelog's design, with whole event records). Readers copy events out in
 * slices, so a loop holds the mutex only for a memcpy and works on its copy.
 */
#include "eventlog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct eventlog {
    pthread_mutex_t mu;
    _Atomic uint64_t head; /* sequence number of the next event */
    pl_event ring[EVENTLOG_CAPACITY];
};

eventlog *eventlog_new(void)
{
    eventlog *el = calloc(1, sizeof *el);
    if (!el) abort();
    pthread_mutex_init(&el->mu, NULL);
    return el;
}

void eventlog_free(eventlog *el)
{
    if (!el) return;
    pthread_mutex_destroy(&el->mu);
    free(el);
}

void eventlog_append(eventlog *el, const pl_event *ev)
{
    pthread_mutex_lock(&el->mu);
    uint64_t h = atomic_load(&el->head);
    el->ring[h % EVENTLOG_CAPACITY] = *ev;
    atomic_store(&el->head, h + 1);
    pthread_mutex_unlock(&el->mu);
}

uint64_t eventlog_head(eventlog *el)
{
    return atomic_load(&el->head);
}

int eventlog_read(eventlog *el, uint64_t *seq, pl_event *out, int max, uint64_t *missed)
{
    *missed = 0;
    if (atomic_load(&el->head) == *seq || max <= 0) return 0;
    pthread_mutex_lock(&el->mu);
    uint64_t h = atomic_load(&el->head);
    if (h - *seq > EVENTLOG_CAPACITY) {
        *missed = h - EVENTLOG_CAPACITY - *seq;
        *seq = h - EVENTLOG_CAPACITY;
    }
    int n = 0;
    for (; *seq < h && n < max; (*seq)++) out[n++] = el->ring[*seq % EVENTLOG_CAPACITY];
    pthread_mutex_unlock(&el->mu);
    return n;
}
