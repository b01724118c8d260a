/*
 * changelog.c — a ring of the last CHANGELOG_CAPACITY changes with a global sequence number.
 * Readers poll with an atomic load of the head first, so a reader with nothing new to apply
 * never takes the mutex.
 */
#include "changelog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct entry {
    int kind;
    int64_t id;
};

struct changelog {
    pthread_mutex_t mu;
    _Atomic uint64_t head; /* sequence number of the next entry */
    struct entry ring[CHANGELOG_CAPACITY];
};

changelog *changelog_new(void)
{
    changelog *cl = calloc(1, sizeof *cl);
    if (!cl) abort();
    pthread_mutex_init(&cl->mu, NULL);
    return cl;
}

void changelog_free(changelog *cl)
{
    if (!cl) return;
    pthread_mutex_destroy(&cl->mu);
    free(cl);
}

void changelog_append(changelog *cl, int kind, int64_t id)
{
    pthread_mutex_lock(&cl->mu);
    uint64_t h = atomic_load(&cl->head);
    cl->ring[h % CHANGELOG_CAPACITY] = (struct entry){kind, id};
    atomic_store(&cl->head, h + 1);
    pthread_mutex_unlock(&cl->mu);
}

uint64_t changelog_head(changelog *cl)
{
    return atomic_load(&cl->head);
}

bool changelog_since(changelog *cl, uint64_t *seq, void (*fn)(int kind, int64_t id, void *ud),
                     void *ud)
{
    if (atomic_load(&cl->head) == *seq) return true;
    pthread_mutex_lock(&cl->mu);
    uint64_t h = atomic_load(&cl->head);
    bool ok = h - *seq <= CHANGELOG_CAPACITY;
    if (ok)
        for (uint64_t s = *seq; s < h; s++) {
            struct entry e = cl->ring[s % CHANGELOG_CAPACITY];
            fn(e.kind, e.id, ud);
        }
    pthread_mutex_unlock(&cl->mu);
    *seq = h;
    return ok;
}
