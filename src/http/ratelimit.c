/*
 * ratelimit.c — fixed windows: the count for (key, window number) rises with each request
 * and resets when the window number changes. Keys hash into 64 shards of 4096 slots each
 * (open addressing); a full shard drops the entries of old windows. If it is still full,
 * the request is allowed: the limiter never refuses service because of its own memory.
 */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SHARDS = 64, SLOTS = 4096, KEYLEN = 72 };

struct slot {
    char key[KEYLEN];
    int64_t window;
    int64_t count;
};

struct shard {
    pthread_mutex_t mu;
    int used;
    struct slot slots[SLOTS];
};

struct ratelimit {
    struct shard shards[SHARDS];
};

ratelimit *ratelimit_new(void)
{
    ratelimit *r = calloc(1, sizeof *r);
    if (!r) abort();
    for (int i = 0; i < SHARDS; i++) pthread_mutex_init(&r->shards[i].mu, NULL);
    return r;
}

void ratelimit_free(ratelimit *r)
{
    if (!r) return;
    for (int i = 0; i < SHARDS; i++) pthread_mutex_destroy(&r->shards[i].mu);
    free(r);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void sweep(struct shard *sh, int64_t window)
{
    for (int i = 0; i < SLOTS; i++)
        if (sh->slots[i].key[0] && sh->slots[i].window != window) sh->slots[i].key[0] = '\0';
    sh->used = 0;
    for (int i = 0; i < SLOTS; i++) sh->used += sh->slots[i].key[0] != '\0';
    /* rehash survivors so probing stays correct */
    struct slot keep[SLOTS];
    int n = 0;
    for (int i = 0; i < SLOTS; i++)
        if (sh->slots[i].key[0]) keep[n++] = sh->slots[i];
    memset(sh->slots, 0, sizeof sh->slots);
    for (int k = 0; k < n; k++) {
        uint64_t j = (hash(keep[k].key) >> 6) % SLOTS;
        while (sh->slots[j].key[0]) j = (j + 1) % SLOTS;
        sh->slots[j] = keep[k];
    }
}

ratelimit_result ratelimit_hit(ratelimit *r, const char *key, int64_t limit, int64_t window_s,
                               int64_t now_ms)
{
    int64_t window = now_ms / (window_s * 1000);
    ratelimit_result res = {true, limit, limit, (window + 1) * window_s * 1000};
    uint64_t h = hash(key);
    struct shard *sh = &r->shards[h % SHARDS];
    pthread_mutex_lock(&sh->mu);
    if (sh->used > SLOTS * 3 / 4) sweep(sh, window);
    uint64_t j = (h >> 6) % SLOTS;
    int probes = 0;
    while (sh->slots[j].key[0] && strncmp(sh->slots[j].key, key, KEYLEN - 1) && probes < SLOTS) {
        j = (j + 1) % SLOTS;
        probes++;
    }
    if (probes < SLOTS) {
        struct slot *s = &sh->slots[j];
        if (!s->key[0]) {
            strncpy(s->key, key, KEYLEN - 1);
            s->window = window;
            s->count = 0;
            sh->used++;
        }
        if (s->window != window) {
            s->window = window;
            s->count = 0;
        }
        s->count++;
        res.allowed = s->count <= limit;
        res.remaining = s->count >= limit ? 0 : limit - s->count;
    }
    pthread_mutex_unlock(&sh->mu);
    return res;
}
