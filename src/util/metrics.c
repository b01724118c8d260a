/*
 * metrics.c — Prometheus text exposition of the server's counters.
 */
#include "util/metrics.h"

#include <string.h>

static const double bounds_ms[METRICS_BUCKETS] = {0.25, 0.5, 1,   2,   5,    10,
                                                  25,   50,  100, 250, 1000, 5000};

int metrics_route(metrics *m, const char *name)
{
    for (int i = 0; i < m->n_routes; i++)
        if (!strcmp(m->route_names[i], name)) return i;
    if (m->n_routes >= METRICS_MAX_ROUTES - 1) return METRICS_MAX_ROUTES - 1;
    m->route_names[m->n_routes] = name;
    return m->n_routes++;
}

void metrics_observe(metrics *m, int route, int status, int64_t latency_us)
{
    int cls = status / 100;
    if (cls < 1 || cls > 5) cls = 0;
    if (route < 0 || route >= METRICS_MAX_ROUTES) route = METRICS_MAX_ROUTES - 1;
    atomic_fetch_add(&m->requests[route][cls], 1);
    for (int b = 0; b < METRICS_BUCKETS; b++)
        if (latency_us <= bounds_ms[b] * 1000) {
            atomic_fetch_add(&m->latency_buckets[b], 1);
            break;
        }
    atomic_fetch_add(&m->latency_sum_us, latency_us);
    atomic_fetch_add(&m->latency_count, 1);
}

void metrics_render(metrics *m, buf *out)
{
    static const char *classes[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    buf_puts(out, "# HELP partyline_requests_total Requests answered, by route and status class.\n"
                  "# TYPE partyline_requests_total counter\n");
    for (int r = 0; r < METRICS_MAX_ROUTES; r++) {
        const char *name =
            r < m->n_routes ? m->route_names[r] : (r == METRICS_MAX_ROUTES - 1 ? "other" : NULL);
        if (!name) continue;
        for (int c = 0; c < METRICS_STATUS_CLASSES; c++) {
            int64_t v = atomic_load(&m->requests[r][c]);
            if (v)
                buf_printf(out, "partyline_requests_total{route=\"%s\",status=\"%s\"} %lld\n", name,
                           classes[c], (long long)v);
        }
    }
    buf_puts(out, "# HELP partyline_request_duration_seconds Time from request to response.\n"
                  "# TYPE partyline_request_duration_seconds histogram\n");
    int64_t cum = 0;
    for (int b = 0; b < METRICS_BUCKETS; b++) {
        cum += atomic_load(&m->latency_buckets[b]);
        buf_printf(out, "partyline_request_duration_seconds_bucket{le=\"%g\"} %lld\n",
                   bounds_ms[b] / 1000, (long long)cum);
    }
    int64_t count = atomic_load(&m->latency_count);
    buf_printf(out, "partyline_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n",
               (long long)count);
    buf_printf(out, "partyline_request_duration_seconds_sum %.6f\n",
               (double)atomic_load(&m->latency_sum_us) / 1e6);
    buf_printf(out, "partyline_request_duration_seconds_count %lld\n", (long long)count);
    buf_printf(
        out,
        "# HELP partyline_writer_queue_depth Write jobs waiting for a writer thread.\n"
        "# TYPE partyline_writer_queue_depth gauge\npartyline_writer_queue_depth %lld\n"
        "# HELP partyline_slow_queue_depth Jobs waiting for a worker thread (both pools).\n"
        "# TYPE partyline_slow_queue_depth gauge\npartyline_slow_queue_depth %lld\n"
        "# HELP partyline_writer_batches_total Write transactions (batches) run.\n"
        "# TYPE partyline_writer_batches_total counter\npartyline_writer_batches_total %lld\n"
        "# HELP partyline_writer_jobs_total Write jobs run.\n"
        "# TYPE partyline_writer_jobs_total counter\npartyline_writer_jobs_total %lld\n"
        "# HELP partyline_writer_retries_total Write jobs run again after a deadlock.\n"
        "# TYPE partyline_writer_retries_total counter\npartyline_writer_retries_total %lld\n"
        "# HELP partyline_fanout_rows_total Home-feed rows written by fan-out.\n"
        "# TYPE partyline_fanout_rows_total counter\npartyline_fanout_rows_total %lld\n"
        "# HELP partyline_fanout_chunks_total Queued fan-out chunks done by this node.\n"
        "# TYPE partyline_fanout_chunks_total counter\npartyline_fanout_chunks_total %lld\n"
        "# HELP partyline_rate_limited_total Requests refused by the rate limits (429).\n"
        "# TYPE partyline_rate_limited_total counter\npartyline_rate_limited_total %lld\n",
        (long long)atomic_load(&m->writer_queue_depth),
        (long long)atomic_load(&m->slow_queue_depth), (long long)atomic_load(&m->writer_batches),
        (long long)atomic_load(&m->writer_jobs), (long long)atomic_load(&m->writer_retries),
        (long long)atomic_load(&m->fanout_rows), (long long)atomic_load(&m->fanout_chunks),
        (long long)atomic_load(&m->rate_limited));
    buf_printf(out,
               "# HELP partyline_queue_refused_total Requests refused at once because a queue "
               "was full (503) or their client had its share of the workers (429).\n"
               "# TYPE partyline_queue_refused_total counter\n"
               "partyline_queue_refused_total{queue=\"write\",reason=\"full\"} %lld\n"
               "partyline_queue_refused_total{queue=\"slow\",reason=\"full\"} %lld\n"
               "partyline_queue_refused_total{queue=\"slow\",reason=\"client\"} %lld\n",
               (long long)atomic_load(&m->write_queue_refused),
               (long long)atomic_load(&m->slow_queue_refused),
               (long long)atomic_load(&m->slow_client_refused));
    buf_printf(out,
               "# HELP partyline_streaming_connections Open streaming connections.\n"
               "# TYPE partyline_streaming_connections gauge\n"
               "partyline_streaming_connections %lld\n"
               "# HELP partyline_streaming_events_delivered_total Messages queued to streams.\n"
               "# TYPE partyline_streaming_events_delivered_total counter\n"
               "partyline_streaming_events_delivered_total %lld\n"
               "# HELP partyline_streaming_clients_dropped_total Streams closed for falling "
               "behind.\n"
               "# TYPE partyline_streaming_clients_dropped_total counter\n"
               "partyline_streaming_clients_dropped_total %lld\n"
               "# HELP partyline_streaming_events_missed_total Events a loop fell too far "
               "behind to read.\n"
               "# TYPE partyline_streaming_events_missed_total counter\n"
               "partyline_streaming_events_missed_total %lld\n",
               (long long)atomic_load(&m->stream_connections),
               (long long)atomic_load(&m->stream_events_delivered),
               (long long)atomic_load(&m->stream_clients_dropped),
               (long long)atomic_load(&m->stream_events_missed));
}
