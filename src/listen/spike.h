/**
 * listen/spike.h — volume spikes of one watch query (docs/listening.md, "Volume spikes").
 *
 * The caller counts a query's matches per 5-minute bucket and hands each closed bucket to
 * spike_add, in order; the state remembers the totals of the last 14 days hour by hour (a ring
 * of 14 × 24 counters, never a scan of posts) and the last three buckets, and answers whether
 * an alert fires now. Pure arithmetic: no clock, no database, no allocation; the state is a
 * plain struct the caller keeps (spike_encode / spike_decode turn it into a fixed blob of
 * SPIKE_STATE_BYTES for a table).
 *
 * Time is the company's local time: bucket b covers local seconds [b·300, (b+1)·300), so hour
 * of day and day of week are the company's (spike_bucket_of). Day 0 (1970-01-01) is a
 * Thursday.
 *
 * The baseline of a bucket (spike_baseline_of) is seasonal and robust: its hour of day on the
 * days of the same kind among the last 14 — on a working day the same hour of the (up to) 10
 * working days; on a weekend day the same hour and its two neighbours on the (up to) 4
 * weekend days, 11 or 12 values, since 4 alone are too few — their median and MAD (scaled by
 * 1.4826, a normal's σ). Nights and weekends are quiet, so one baseline for all days would
 * miss a Saturday night outcry and alarm on an ordinary Monday.
 *
 * The rule, on each closed bucket (numbers are the SPIKE_* constants below):
 *   today    — how busy the day has been against its baselines: a slow EWMA (about three
 *              hours) of the buckets that have left the last 15 minutes, over the same of
 *              their expected counts, shrunk towards 1 by a post an hour, held in
 *              [SPIKE_TODAY_MIN, SPIKE_TODAY_MAX] (a busy Monday is not an outcry);
 *   expected — the last three buckets' baseline medians (÷ 12), summed, times today;
 *   spread   — √(expected + (SPIKE_MAD_SHARE · Σ scaled MAD ÷ 12)²): Poisson noise plus the
 *              part of the days' swing that today's level does not explain;
 *   count    — posts in the last three buckets (15 minutes);
 *   level    — the short-term EWMA of the bucket counts (α = SPIKE_EWMA_ALPHA), times 3;
 *   expected level — the same EWMA of the buckets' expected counts, times 3 and today.
 * An alert fires when the query is not already in an episode and all hold:
 *   count − expected ≥ SPIKE_MIN_EXCESS (the floor: a jump from 0 to 2 is not an outcry);
 *   count ≥ expected + SPIKE_Z · spread, and level ≥ expected level + SPIKE_Z · spread;
 *   count − the largest of the three buckets ≥ SPIKE_MIN_SPREAD_OUT (not one burst);
 *   the bucket's baseline has at least SPIKE_MIN_SAMPLES values (about a week of history).
 * The episode ends — and the query re-arms — after SPIKE_CALM_BUCKETS buckets in a row whose
 * level is below expected level + SPIKE_CALM_Z · spread.
 *
 * What this finds (tests/unit/test_spike.c, BENCHMARKS.md "Listening: spike detection"): an
 * outcry adding at least 200 posts an hour, alerted within 15 minutes of its start (median
 * 9), with about 0.2 false alarms a week; smaller ones later or not at all.
 *
 * Gaps: buckets skipped between two calls count as empty (quiet), not as unknown.
 */
#ifndef PL_LISTEN_SPIKE_H
#define PL_LISTEN_SPIKE_H

#include <stddef.h>
#include <stdint.h>

#define SPIKE_BUCKET_SECONDS 300
#define SPIKE_DAYS 14
#define SPIKE_HOURS (SPIKE_DAYS * 24)
#define SPIKE_MAX_SAMPLES 12

#define SPIKE_EWMA_ALPHA 0.5         /**< the newest bucket's weight in the level */
#define SPIKE_Z 4.5                  /**< how many spreads above expected is "far" */
#define SPIKE_MIN_EXCESS 8.0         /**< posts in 15 minutes above expected, at least */
#define SPIKE_MIN_SPREAD_OUT 3.0     /**< posts outside the busiest of the three buckets */
#define SPIKE_MIN_SAMPLES 5          /**< baseline values needed before any alert */
#define SPIKE_CALM_Z 1.0             /**< calm: level below expected level + this · spread */
#define SPIKE_CALM_BUCKETS 6         /**< calm buckets in a row that end an episode (30 min) */
#define SPIKE_TODAY_ALPHA (1.0 / 36) /**< today's level: an EWMA over about three hours */
#define SPIKE_TODAY_MIN 0.67
#define SPIKE_TODAY_MAX 1.5
#define SPIKE_MAD_SHARE 0.5      /**< the share of the days' swing today's level leaves */
#define SPIKE_EXPECTED_FLOOR 0.5 /**< the divisor of the ratio at least (posts per 15 min) */

/** Days of the week that are weekend days, bit d for day d with Sunday = 0. */
#define SPIKE_WEEKEND_SAT_SUN ((uint8_t)((1u << 0) | (1u << 6)))

/** What a bucket is compared with: one hour of day on days of one kind. */
typedef struct spike_baseline {
    uint8_t hour;    /**< hour of day 0–23 */
    uint8_t weekend; /**< 1: the weekend days' values (the hour and its neighbours) */
    uint8_t samples; /**< how many hourly totals (0 – SPIKE_MAX_SAMPLES) */
    double median;   /**< their median, posts per hour */
    double mad;      /**< their median absolute deviation × 1.4826, posts per hour */
} spike_baseline;

/** What jumped (filled when spike_add answers 1). */
typedef struct spike_alert {
    int64_t bucket;          /**< the last bucket counted: it ends at (bucket + 1) · 300 */
    uint32_t count;          /**< posts in the last 15 minutes */
    double expected;         /**< expected posts in those 15 minutes (baselines × today) */
    double spread;           /**< the expected count's spread (one σ) */
    double ratio;            /**< count / max(expected, SPIKE_EXPECTED_FLOOR) */
    double level;            /**< the short-term EWMA level, posts per 15 minutes */
    double today;            /**< today's level the baselines were scaled by */
    spike_baseline baseline; /**< the baseline of the last bucket's hour */
} spike_alert;

/**
 * One query's state. A plain value: copy it, keep it in a row with spike_encode. Zeroed and
 * then spike_init'd; its fields are the module's own.
 */
typedef struct spike_state {
    uint32_t hours[SPIKE_HOURS]; /**< completed hours' totals; hour h in slot h % SPIKE_HOURS */
    int64_t first_hour;          /**< the first whole hour counted (older slots are unknown) */
    int64_t last_bucket;         /**< the last bucket added; -1: none yet */
    uint32_t hour_count;         /**< posts so far in last_bucket's hour */
    uint32_t recent[3];          /**< the last three buckets' counts, newest first */
    float recent_expected[3];    /**< their baselines' expected counts */
    float recent_mad[3];         /**< their baselines' scaled MAD per bucket */
    double level;                /**< EWMA of bucket counts */
    double level_expected;       /**< EWMA of the buckets' expected counts */
    double today;                /**< slow EWMA of the counts leaving the 15 minutes */
    double today_expected;       /**< the same of their expected counts */
    uint16_t calm;               /**< calm buckets in a row, in an episode */
    uint8_t in_episode;          /**< 1 from an alert until SPIKE_CALM_BUCKETS calm buckets */
    uint8_t weekend_days;        /**< SPIKE_WEEKEND_SAT_SUN by default */
} spike_state;

/** Bytes of spike_encode's blob (a version byte, then the fields little-endian). */
#define SPIKE_STATE_BYTES                                                                          \
    (1 + 1 + 8 + 8 + 4 + 3 * 4 + 3 * 4 + 3 * 4 + 4 * 8 + 2 + 1 + 4 * SPIKE_HOURS)

/** An empty state: no history, no episode. weekend_days: SPIKE_WEEKEND_SAT_SUN or another
 *  mask of days (bit 0 Sunday … bit 6 Saturday). */
void spike_init(spike_state *s, uint8_t weekend_days);

/** The bucket holding unix time t (seconds) for a company utc_offset seconds east of UTC. */
int64_t spike_bucket_of(int64_t unix_seconds, int32_t utc_offset);

/**
 * Adds a closed bucket's count. Buckets come in increasing order; skipped ones count as 0.
 * Returns 1 when an alert fires now (and fills *alert, which may be NULL), 0 when not, and
 * PL_EINVAL for a bucket not after the last one or before 1970 (the state is then unchanged).
 */
int spike_add(spike_state *s, int64_t bucket, uint32_t count, spike_alert *alert);

/** The baseline the state holds for bucket (which must be the next bucket to add, or the last
 *  one added when its hour is still open): for showing "expected" on a dashboard. */
spike_baseline spike_baseline_of(const spike_state *s, int64_t bucket);

/** Writes the state as SPIKE_STATE_BYTES bytes, the same on every machine. */
void spike_encode(const spike_state *s, uint8_t out[SPIKE_STATE_BYTES]);

/** Reads a blob of spike_encode. PL_OK, or PL_EINVAL for a blob of another length, version or
 *  with values no state holds (then *s is unchanged). */
int spike_decode(spike_state *s, const uint8_t *in, size_t len);

#endif
