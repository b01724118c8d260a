/**
 * metrics.h — counters for GET /metrics (Prometheus text format): requests by route and
 * status, a latency histogram, the writer's queue depth and the fan-out work done.
 * All updates are lock-free atomics; one metrics object is created by the server
 * (http/server.c) and shared with the runtime (run/), which counts its queues and fan-out.
 */
#ifndef PL_METRICS_H
#define PL_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "util/buf.h"

enum { METRICS_MAX_ROUTES = 160, METRICS_STATUS_CLASSES = 6, METRICS_BUCKETS = 12 };

typedef struct metrics {
    const char *route_names[METRICS_MAX_ROUTES]; /**< "GET /api/v1/statuses/:id" */
    int n_routes;
    _Atomic int64_t requests[METRICS_MAX_ROUTES][METRICS_STATUS_CLASSES];
    _Atomic int64_t latency_buckets[METRICS_BUCKETS]; /**< cumulative at render time */
    _Atomic int64_t latency_sum_us, latency_count;
    _Atomic int64_t writer_queue_depth, writer_batches, writer_jobs;
    _Atomic int64_t slow_queue_depth; /**< jobs waiting for a worker (gauge) */
    _Atomic int64_t writer_retries;   /**< jobs run again after a deadlock (PostgreSQL) */
    _Atomic int64_t fanout_rows;
    _Atomic int64_t fanout_chunks; /**< queued fan-out chunks this node completed */
    _Atomic int64_t rate_limited;
    _Atomic int64_t write_queue_refused; /**< writes refused with 503: write_queue_max waiting */
    _Atomic int64_t slow_queue_refused; /**< worker jobs refused with 503: slow_queue_max waiting */
    _Atomic int64_t slow_client_refused; /**< refused with 429: a client's share of the workers */
    _Atomic int64_t stream_connections;  /**< open streaming connections (gauge) */
    _Atomic int64_t stream_events_delivered; /**< messages queued to streaming clients */
    _Atomic int64_t stream_clients_dropped;  /**< clients closed for falling too far behind */
    _Atomic int64_t stream_events_missed;    /**< events a loop fell too far behind to read */
} metrics;

/** Index of a route name (registered once at start-up); the last slot is "other". */
int metrics_route(metrics *m, const char *name);
void metrics_observe(metrics *m, int route, int status, int64_t latency_us);
void metrics_render(metrics *m, buf *out);

#endif
