/*
 * queue.c — the runtime's job queues: a mutex, a condition variable and a linked list each,
 * bounded, and fair among clients where the transport gives a job a share (queue_offer).
 * The writers take a whole batch at once (queue_take with max > 1), the workers one job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/run_internal.h"

void queue_init(struct job_queue *q)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
}

void queue_push(struct job_queue *q, run_job *j)
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
enum run_offer_result queue_offer(struct job_queue *q, run_job *j)
{
    pthread_mutex_lock(&q->mu);
    enum run_offer_result rc = RUN_TAKEN;
    if (q->max > 0 && q->len >= q->max) {
        rc = RUN_FULL;
    } else if (j->share > 0) {
        struct client_count **c = client_slot(q, j->client);
        if (*c && (*c)->n >= j->share) {
            rc = RUN_CLIENT_BUSY;
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
    if (rc == RUN_TAKEN) queue_push(q, j);
    return rc;
}

void queue_done(struct job_queue *q, run_job *j)
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
run_job *queue_take(struct job_queue *q, int max, int *n, int idle_ms, bool *idle)
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
    run_job *first = q->head, *last = NULL, *j = q->head;
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
