/**
 * ratelimit.h — fixed-window request counters per key (a token, or an IP address).
 *
 * Shared by all event loops (sharded mutexes). Memory is bounded: a shard forgets keys of
 * past windows when it fills up.
 */
#ifndef PL_RATELIMIT_H
#define PL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ratelimit ratelimit;

ratelimit *ratelimit_new(void);
void ratelimit_free(ratelimit *r);

typedef struct ratelimit_result {
    bool allowed;
    int64_t limit, remaining;
    int64_t reset_ms; /**< when the current window ends */
} ratelimit_result;

/** Counts one request for key in a window of window_s seconds allowing `limit`. */
ratelimit_result ratelimit_hit(ratelimit *r, const char *key, int64_t limit, int64_t window_s,
                               int64_t now_ms);

#endif
