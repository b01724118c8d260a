/*
 * ratelimit.c — fixed windows: a key's count rises with each event and starts again when
 * its window ends. Each slot remembers when its window ends (not a window number), so
 * counters of different window lengths (requests: minutes; sign-in failures: a quarter of an
 * hour) live in one table and a sweep can tell ended windows from live ones. Keys hash into
 * 64 shards of 4096 slots each (open addressing); a shard that fills up drops the slots of
 * ended windows. If it is still full, the event is allowed: the limiter never refuses
 * service because of its own memory.
 */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SHARDS = 64, SLOTS = 4096, KEYLEN = 72 };

struct slot {
    char key[KEYLEN];
    int64_t reset_ms; /* the end of the slot's window */
    int64_t count;
    int64_t last_ms;
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
    for (size_t i = 0; s[i] && i < KEYLEN - 2; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Drops the slots whose window has ended and puts the others back where probing finds them. */
static void sweep(struct shard *sh, int64_t now_ms)
{
    struct slot *keep = malloc(sizeof sh->slots); /* rare: only when the shard fills */
    if (!keep) abort();
    int n = 0;
    for (int i = 0; i < SLOTS; i++)
        if (sh->slots[i].key[0] && sh->slots[i].reset_ms > now_ms) keep[n++] = sh->slots[i];
    memset(sh->slots, 0, sizeof sh->slots);
    for (int k = 0; k < n; k++) {
        uint64_t j = (hash(keep[k].key) >> 6) % SLOTS;
        while (sh->slots[j].key[0]) j = (j + 1) % SLOTS;
        sh->slots[j] = keep[k];
    }
    free(keep);
    sh->used = n;
}

/* The slot of key in its shard (locked by the caller), or NULL; with `add`, an empty slot
 * is taken for it when there is none (NULL only if the shard is full). */
static struct slot *find(struct shard *sh, const char *key, bool add)
{
    uint64_t j = (hash(key) >> 6) % SLOTS;
    for (int probes = 0; probes < SLOTS; probes++, j = (j + 1) % SLOTS) {
        struct slot *s = &sh->slots[j];
        if (!s->key[0]) {
            if (!add) return NULL;
            strncpy(s->key, key, KEYLEN - 2);
            s->key[KEYLEN - 2] = '\0';
            s->reset_ms = 0;
            s->count = 0;
            sh->used++;
            return s;
        }
        if (!strncmp(s->key, key, KEYLEN - 2)) return s;
    }
    return NULL;
}

static struct shard *shard_of(ratelimit *r, const char *key)
{
    return &r->shards[hash(key) % SHARDS];
}

static ratelimit_result hit(ratelimit *r, const char *key, int64_t limit, int64_t end,
                            int64_t now_ms)
{
    ratelimit_result res = {true, limit, limit, end};
    struct shard *sh = shard_of(r, key);
    pthread_mutex_lock(&sh->mu);
    if (sh->used > SLOTS * 3 / 4) sweep(sh, now_ms);
    struct slot *s = find(sh, key, true);
    if (s) {
        if (s->reset_ms <= now_ms) {
            s->reset_ms = end;
            s->count = 0;
        }
        s->count++;
        s->last_ms = now_ms;
        res.reset_ms = s->reset_ms;
        res.allowed = s->count <= limit;
        res.remaining = s->count >= limit ? 0 : limit - s->count;
    }
    pthread_mutex_unlock(&sh->mu);
    return res;
}

ratelimit_result ratelimit_hit(ratelimit *r, const char *key, int64_t limit, int64_t window_s,
                               int64_t now_ms)
{
    int64_t len = window_s * 1000;
    return hit(r, key, limit, (now_ms / len + 1) * len, now_ms);
}

void ratelimit_count(ratelimit *r, const char *key, int64_t window_s, int64_t now_ms)
{
    hit(r, key, INT64_MAX, now_ms + window_s * 1000, now_ms);
}

ratelimit_state ratelimit_peek(ratelimit *r, const char *key, int64_t now_ms)
{
    ratelimit_state st = {0, 0, 0};
    struct shard *sh = shard_of(r, key);
    pthread_mutex_lock(&sh->mu);
    struct slot *s = find(sh, key, false);
    if (s && s->reset_ms > now_ms) st = (ratelimit_state){s->count, s->last_ms, s->reset_ms};
    pthread_mutex_unlock(&sh->mu);
    return st;
}

void ratelimit_forget(ratelimit *r, const char *key)
{
    struct shard *sh = shard_of(r, key);
    pthread_mutex_lock(&sh->mu);
    struct slot *s = find(sh, key, false);
    if (s) s->reset_ms = 0; /* an ended window: counts from zero, swept when the shard fills */
    pthread_mutex_unlock(&sh->mu);
}
