/**
 * ratelimit.h — fixed-window counters per key, shared by every thread of a process.
 *
 * The request limits (per account, or per IP address for requests without a valid token),
 * the app-registration limit and the sign-in failure counters (app/auth.c) all count here,
 * each under its own key prefix. A window is aligned to multiples of its length; its count
 * starts again from zero when it ends. Counters of different window lengths may share the
 * table. Memory is bounded: a shard forgets ended windows when it fills up, and if it is
 * still full a request is allowed (the limiter never refuses service for its own memory).
 * Counts are per process: with several nodes a client's effective limit is N times a limit.
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

/** Counts one event for key in a window of window_s seconds allowing `limit`. Keys longer
 *  than 70 bytes are told apart by their first 70 only. */
ratelimit_result ratelimit_hit(ratelimit *r, const char *key, int64_t limit, int64_t window_s,
                               int64_t now_ms);

/** Counts one event for key in a window that starts with the key's first event (not aligned
 *  to the clock): "n failures within window_s of the first". */
void ratelimit_count(ratelimit *r, const char *key, int64_t window_s, int64_t now_ms);

/** What key has counted in its current window, without counting: the count (0 when its
 *  window has ended or it was never seen), the time of its last event and the window's end. */
typedef struct ratelimit_state {
    int64_t count, last_ms, reset_ms;
} ratelimit_state;
ratelimit_state ratelimit_peek(ratelimit *r, const char *key, int64_t now_ms);

/** Forgets key's count (e.g. an account's sign-in failures after a successful sign-in). */
void ratelimit_forget(ratelimit *r, const char *key);

#endif
