/*
 * listen/spike.c — volume spikes of one watch query: a seasonal, robust baseline from a ring of
 * hourly totals, a short-term EWMA, and the rule of spike.h.
 *
 * Why a ring of hours and not a window of buckets: the baseline needs the same hour on each of
 * the last 14 days, which is 336 hourly totals — 1.3 KB a query — where 14 days of 5-minute
 * buckets would be 4,032. The last three buckets are kept apart for the 15-minute count.
 * Why the median and MAD and not a mean and standard deviation: a past outcry (or a holiday)
 * sits in the ring for two weeks, and one day in ten must not move what is "normal".
 *
 * Never: allocate, read a clock, or keep anything outside the state (the merger keeps one per
 * watch in a row and several threads may each work on their own).
 */
#include "listen/spike.h"

#include <math.h>
#include <string.h>

#include "util/err.h"

#define BUCKETS_PER_HOUR (3600 / SPIKE_BUCKET_SECONDS)
#define BUCKETS_PER_DAY (24 * BUCKETS_PER_HOUR)
#define MAD_TO_SIGMA 1.4826
#define SPREAD_FLOOR 1.0
#define ENCODING_VERSION 1

/* floor division and remainder for times before 1970 too */
static int64_t div_floor(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t mod_floor(int64_t a, int64_t b)
{
    return a - div_floor(a, b) * b;
}

void spike_init(spike_state *s, uint8_t weekend_days)
{
    memset(s, 0, sizeof *s);
    s->last_bucket = -1;
    s->weekend_days = weekend_days & 0x7f;
}

int64_t spike_bucket_of(int64_t unix_seconds, int32_t utc_offset)
{
    return div_floor(unix_seconds + utc_offset, SPIKE_BUCKET_SECONDS);
}

static int is_weekend(const spike_state *s, int64_t day)
{
    int dow = (int)mod_floor(day + 4, 7); /* 1970-01-01 was a Thursday; Sunday = 0 */
    return (s->weekend_days >> dow) & 1;
}

static void sort_u32(uint32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

static double median_sorted(const double *v, int n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The baseline of a bucket in hour h, which is open: the ring holds hours < h, and hour
 * h - SPIKE_HOURS still sits in h's slot. */
static spike_baseline baseline_of_hour(const spike_state *s, int64_t h)
{
    spike_baseline b = {0};
    int64_t day = div_floor(h, 24);
    int hod = (int)(h - day * 24);
    b.hour = (uint8_t)hod;
    b.weekend = (uint8_t)is_weekend(s, day);
    int lo = b.weekend && hod > 0 ? -1 : 0, hi = b.weekend && hod < 23 ? 1 : 0;

    uint32_t v[SPIKE_MAX_SAMPLES];
    int n = 0;
    for (int k = 1; k <= SPIKE_DAYS; k++) {
        if (is_weekend(s, day - k) != b.weekend) continue;
        for (int d = lo; d <= hi; d++) {
            int64_t x = h - 24 * k + d;
            if (x < s->first_hour || x < h - SPIKE_HOURS || x >= h) continue;
            if (n < SPIKE_MAX_SAMPLES) v[n++] = s->hours[mod_floor(x, SPIKE_HOURS)];
        }
    }
    b.samples = (uint8_t)n;
    if (n == 0) return b;
    sort_u32(v, n);
    double x[SPIKE_MAX_SAMPLES], dev[SPIKE_MAX_SAMPLES];
    for (int i = 0; i < n; i++) x[i] = v[i];
    b.median = median_sorted(x, n);
    for (int i = 0; i < n; i++) dev[i] = fabs(x[i] - b.median);
    /* the deviations are sorted by hand: few, and qsort would need a comparator for doubles */
    for (int i = 1; i < n; i++) {
        double y = dev[i];
        int j = i;
        for (; j > 0 && dev[j - 1] > y; j--) dev[j] = dev[j - 1];
        dev[j] = y;
    }
    b.mad = MAD_TO_SIGMA * median_sorted(dev, n);
    return b;
}

spike_baseline spike_baseline_of(const spike_state *s, int64_t bucket)
{
    return baseline_of_hour(s, div_floor(bucket, BUCKETS_PER_HOUR));
}

/* Closes the hours from last_bucket's up to (not including) hour h: the open one gets its
 * count, the empty ones between get 0. */
static void close_hours(spike_state *s, int64_t h)
{
    if (s->last_bucket < 0) return;
    int64_t open = div_floor(s->last_bucket, BUCKETS_PER_HOUR);
    if (open >= h) return;
    s->hours[mod_floor(open, SPIKE_HOURS)] = s->hour_count;
    s->hour_count = 0;
    for (int64_t x = open + 1; x < h && x <= open + SPIKE_HOURS; x++)
        s->hours[mod_floor(x, SPIKE_HOURS)] = 0;
}

/* Adds bucket g (the next one) and decides: 1 fires (alert filled), 0 not. can_fire is 0
 * for the empty buckets of a gap, which only move the level and the episode on. */
static int push(spike_state *s, int64_t g, uint32_t c, int can_fire, spike_alert *alert)
{
    int64_t h = div_floor(g, BUCKETS_PER_HOUR);
    if (s->last_bucket < 0) s->first_hour = mod_floor(g, BUCKETS_PER_HOUR) ? h + 1 : h;
    close_hours(s, h);
    spike_baseline base = baseline_of_hour(s, h);

    /* the bucket leaving the 15-minute window joins today's level */
    if (s->last_bucket >= 0) {
        s->today = SPIKE_TODAY_ALPHA * s->recent[2] + (1 - SPIKE_TODAY_ALPHA) * s->today;
        s->today_expected =
            SPIKE_TODAY_ALPHA * s->recent_expected[2] + (1 - SPIKE_TODAY_ALPHA) * s->today_expected;
    }
    for (int i = 2; i > 0; i--) {
        s->recent[i] = s->recent[i - 1];
        s->recent_expected[i] = s->recent_expected[i - 1];
        s->recent_mad[i] = s->recent_mad[i - 1];
    }
    double expected_b = base.median / BUCKETS_PER_HOUR;
    s->recent[0] = c;
    s->recent_expected[0] = (float)expected_b;
    s->recent_mad[0] = (float)(base.mad / BUCKETS_PER_HOUR);
    if (s->last_bucket < 0) {
        s->level = c;
        s->level_expected = expected_b;
    } else {
        s->level = SPIKE_EWMA_ALPHA * c + (1 - SPIKE_EWMA_ALPHA) * s->level;
        s->level_expected =
            SPIKE_EWMA_ALPHA * expected_b + (1 - SPIKE_EWMA_ALPHA) * s->level_expected;
    }
    s->hour_count += c;
    s->last_bucket = g;

    double count = 0, expected = 0, mad = 0, busiest = 0;
    for (int i = 0; i < 3; i++) {
        count += s->recent[i];
        expected += s->recent_expected[i];
        mad += s->recent_mad[i];
        if (s->recent[i] > busiest) busiest = s->recent[i];
    }
    /* today's level: how busy the day has been against its baselines, shrunk towards 1 by a
     * post an hour and held within [SPIKE_TODAY_MIN, SPIKE_TODAY_MAX] */
    double shrink = 1.0 / BUCKETS_PER_HOUR;
    double today = (s->today + shrink) / (s->today_expected + shrink);
    if (today < SPIKE_TODAY_MIN) today = SPIKE_TODAY_MIN;
    if (today > SPIKE_TODAY_MAX) today = SPIKE_TODAY_MAX;
    expected *= today;
    double spread = sqrt(expected + SPIKE_MAD_SHARE * SPIKE_MAD_SHARE * mad * mad);
    if (spread < SPREAD_FLOOR) spread = SPREAD_FLOOR;
    double level = 3 * s->level, level_expected = 3 * s->level_expected * today;

    if (s->in_episode) {
        s->calm = level < level_expected + SPIKE_CALM_Z * spread ? s->calm + 1 : 0;
        if (s->calm >= SPIKE_CALM_BUCKETS) {
            s->in_episode = 0;
            s->calm = 0;
        }
        return 0;
    }
    if (!can_fire || base.samples < SPIKE_MIN_SAMPLES) return 0;
    if (count - expected < SPIKE_MIN_EXCESS) return 0;
    if (count < expected + SPIKE_Z * spread) return 0;
    if (level < level_expected + SPIKE_Z * spread) return 0;
    if (count - busiest < SPIKE_MIN_SPREAD_OUT) return 0;

    s->in_episode = 1;
    s->calm = 0;
    if (alert) {
        alert->bucket = g;
        alert->count = (uint32_t)count;
        alert->expected = expected;
        alert->spread = spread;
        alert->ratio = count / (expected > SPIKE_EXPECTED_FLOOR ? expected : SPIKE_EXPECTED_FLOOR);
        alert->level = level;
        alert->today = today;
        alert->baseline = base;
    }
    return 1;
}

int spike_add(spike_state *s, int64_t bucket, uint32_t count, spike_alert *alert)
{
    if (bucket < 0 || (s->last_bucket >= 0 && bucket <= s->last_bucket)) return PL_EINVAL;
    if (s->last_bucket >= 0) {
        int64_t gap = bucket - s->last_bucket - 1;
        /* a gap longer than the ring: everything it remembers is quiet now; the last hour
         * before the bucket is replayed so the level and the recent buckets are zeros too */
        if (gap > (int64_t)SPIKE_HOURS * BUCKETS_PER_HOUR) {
            memset(s->hours, 0, sizeof s->hours);
            s->hour_count = 0;
            s->last_bucket = bucket - BUCKETS_PER_HOUR - 1;
        }
        for (int64_t g = s->last_bucket + 1; g < bucket; g++) push(s, g, 0, 0, NULL);
    }
    return push(s, bucket, count, 1, alert);
}

/* ------------------------------------------------------------------------------------------ */
/* The blob: fixed length, little-endian, versioned                                            */
/* ------------------------------------------------------------------------------------------ */

static uint8_t *put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *put_f32(uint8_t *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, sizeof v);
    return put_u32(p, v);
}

static uint8_t *put_f64(uint8_t *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    return put_u64(p, v);
}

static const uint8_t *get_u64(const uint8_t *p, uint64_t *v)
{
    *v = 0;
    for (int i = 0; i < 8; i++) *v |= (uint64_t)p[i] << (8 * i);
    return p + 8;
}

static const uint8_t *get_u32(const uint8_t *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) *v |= (uint32_t)p[i] << (8 * i);
    return p + 4;
}

static const uint8_t *get_f32(const uint8_t *p, float *f)
{
    uint32_t v;
    p = get_u32(p, &v);
    memcpy(f, &v, sizeof v);
    return p;
}

static const uint8_t *get_f64(const uint8_t *p, double *d)
{
    uint64_t v;
    p = get_u64(p, &v);
    memcpy(d, &v, sizeof v);
    return p;
}

void spike_encode(const spike_state *s, uint8_t out[SPIKE_STATE_BYTES])
{
    uint8_t *p = out;
    *p++ = ENCODING_VERSION;
    *p++ = s->weekend_days;
    p = put_u64(p, (uint64_t)s->first_hour);
    p = put_u64(p, (uint64_t)s->last_bucket);
    p = put_u32(p, s->hour_count);
    for (int i = 0; i < 3; i++) p = put_u32(p, s->recent[i]);
    for (int i = 0; i < 3; i++) p = put_f32(p, s->recent_expected[i]);
    for (int i = 0; i < 3; i++) p = put_f32(p, s->recent_mad[i]);
    p = put_f64(p, s->level);
    p = put_f64(p, s->level_expected);
    p = put_f64(p, s->today);
    p = put_f64(p, s->today_expected);
    *p++ = (uint8_t)(s->calm & 0xff);
    *p++ = (uint8_t)(s->calm >> 8);
    *p++ = s->in_episode;
    for (int i = 0; i < SPIKE_HOURS; i++) p = put_u32(p, s->hours[i]);
}

static int is_count(double x)
{
    return isfinite(x) && x >= 0;
}

int spike_decode(spike_state *s, const uint8_t *in, size_t len)
{
    if (len != SPIKE_STATE_BYTES || in[0] != ENCODING_VERSION || in[1] > 0x7f) return PL_EINVAL;
    spike_state t;
    const uint8_t *p = in + 1;
    t.weekend_days = *p++;
    uint64_t u;
    p = get_u64(p, &u);
    t.first_hour = (int64_t)u;
    p = get_u64(p, &u);
    t.last_bucket = (int64_t)u;
    p = get_u32(p, &t.hour_count);
    for (int i = 0; i < 3; i++) p = get_u32(p, &t.recent[i]);
    for (int i = 0; i < 3; i++) p = get_f32(p, &t.recent_expected[i]);
    for (int i = 0; i < 3; i++) p = get_f32(p, &t.recent_mad[i]);
    p = get_f64(p, &t.level);
    p = get_f64(p, &t.level_expected);
    p = get_f64(p, &t.today);
    p = get_f64(p, &t.today_expected);
    t.calm = (uint16_t)(p[0] | p[1] << 8);
    p += 2;
    t.in_episode = *p++;
    for (int i = 0; i < SPIKE_HOURS; i++) p = get_u32(p, &t.hours[i]);

    if (t.last_bucket < -1 || t.in_episode > 1 || t.calm > SPIKE_CALM_BUCKETS) return PL_EINVAL;
    if (!is_count(t.level) || !is_count(t.level_expected) || !is_count(t.today) ||
        !is_count(t.today_expected))
        return PL_EINVAL;
    for (int i = 0; i < 3; i++)
        if (!is_count(t.recent_expected[i]) || !is_count(t.recent_mad[i])) return PL_EINVAL;
    *s = t;
    return PL_OK;
}
