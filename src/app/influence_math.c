/*
 * influence_math.c — docs/influence.md "The weight of one signal", on signals already chosen
 * (app/influence_math.h).
 *
 * Everything is done in one fixed order (the signals sorted by inf_sort, the accounts by
 * index), so that the same signals give the same contributions to the last point whichever
 * database they came from.
 */
#include "influence_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/influence.h"

const char *const influence_signal_names[SIG_TYPES] = {"reply",   "boost",  "favourite",
                                                       "mention", "follow", "pin"};
const double influence_type_weight[SIG_TYPES] = {3, 2, 1, 2, 3, 4};
const double influence_allowance[SIG_TYPES] = {60, 20, 60, 30, 30, 0};

static int cmp_signal(const void *x, const void *y)
{
    const inf_signal *p = x, *q = y;
    if (p->e != q->e) return p->e < q->e ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->t != q->t) return p->t < q->t ? -1 : 1;
    if (p->type != q->type) return p->type < q->type ? -1 : 1;
    if (p->post != q->post) return p->post < q->post ? -1 : 1;
    return 0;
}

bool inf_sort(inf_signal *sig, int64_t n, int n_accounts)
{
    /* by engager with a counting sort, then each engager's few by the rest */
    int64_t *at = calloc((size_t)n_accounts + 1, sizeof *at);
    inf_signal *out = malloc(sizeof *out * (size_t)(n ? n : 1));
    if (!at || !out) {
        free(at);
        free(out);
        return false;
    }
    for (int64_t i = 0; i < n; i++) at[sig[i].e + 1]++;
    for (int i = 0; i < n_accounts; i++) at[i + 1] += at[i];
    for (int64_t i = 0; i < n; i++) out[at[sig[i].e]++] = sig[i];
    if (n) memcpy(sig, out, sizeof *sig * (size_t)n);
    free(out);
    free(at);
    for (int64_t from = 0; from < n;) {
        int64_t to = from + 1;
        while (to < n && sig[to].e == sig[from].e) to++;
        qsort(sig + from, (size_t)(to - from), sizeof *sig, cmp_signal);
        from = to;
    }
    return true;
}

static bool cheap(int type)
{
    return type == SIG_FAVOURITE || type == SIG_BOOST;
}

/* A pair (engager, person) and how many favourites and boosts went that way. */
typedef struct {
    int32_t e, a;
    int64_t cheap, back; /* back: the favourites and boosts a gave e */
} pair;

static int64_t pair_cheap(const pair *p, int64_t n, int32_t e, int32_t a)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (p[mid].e < e || (p[mid].e == e && p[mid].a < a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && p[lo].e == e && p[lo].a == a ? p[lo].cheap : 0;
}

static int cmp_double(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return p < q ? -1 : p > q;
}

/* One round of standing: everyone's raw (unrounded) with the standings given, then the new
 * standings from it. */
static bool standing_round(inf_model *m, double *raw, double *pos)
{
    memset(raw, 0, sizeof *raw * (size_t)m->n_accounts);
    for (int64_t i = 0; i < m->n_sig; i++) {
        const inf_signal *s = &m->sig[i];
        double st = s->flags & INF_FROM_CHANNEL ? 1.0 : m->standing[s->e];
        raw[s->a] += INFLUENCE_SCALE * s->base * st;
    }
    int n = 0;
    for (int i = 0; i < m->n_accounts; i++)
        if (raw[i] > 0) pos[n++] = raw[i];
    if (n == 0) {
        for (int i = 0; i < m->n_accounts; i++) m->standing[i] = INFLUENCE_STANDING_FLOOR;
        return true;
    }
    qsort(pos, (size_t)n, sizeof *pos, cmp_double);
    double median = pos[(n - 1) / 2];
    for (int i = 0; i < m->n_accounts; i++) {
        double st = sqrt(raw[i] / median);
        if (st < INFLUENCE_STANDING_FLOOR) st = INFLUENCE_STANDING_FLOOR;
        if (st > INFLUENCE_STANDING_CAP) st = INFLUENCE_STANDING_CAP;
        m->standing[i] = st;
    }
    return true;
}

bool inf_weigh(inf_model *m)
{
    int na = m->n_accounts;
    int64_t *given = calloc((size_t)na * SIG_TYPES, sizeof *given);
    double *sum_m = calloc((size_t)na, sizeof *sum_m), *sum_n = calloc((size_t)na, sizeof *sum_n);
    double *raw = malloc(sizeof *raw * (size_t)(na ? na : 1));
    double *pos = malloc(sizeof *pos * (size_t)(na ? na : 1));
    pair *pairs = NULL;
    int64_t n_pairs = 0;
    bool ok = given && sum_m && sum_n && raw && pos;
    /* what each engager gave, by type; and the pairs with their favourites and boosts */
    for (int64_t i = 0; ok && i < m->n_sig; i++) {
        const inf_signal *s = &m->sig[i];
        given[(size_t)s->e * SIG_TYPES + s->type]++;
        if (i == 0 || s->e != m->sig[i - 1].e || s->a != m->sig[i - 1].a) n_pairs++;
    }
    if (ok) ok = (pairs = malloc(sizeof *pairs * (size_t)(n_pairs ? n_pairs : 1))) != NULL;
    n_pairs = 0;
    for (int64_t i = 0; ok && i < m->n_sig; i++) {
        const inf_signal *s = &m->sig[i];
        if (i == 0 || s->e != m->sig[i - 1].e || s->a != m->sig[i - 1].a)
            pairs[n_pairs++] = (pair){s->e, s->a, 0, 0};
        if (cheap(s->type) && !(s->flags & INF_FROM_CHANNEL)) pairs[n_pairs - 1].cheap++;
    }
    /* how much of each engager's clicking is given back */
    for (int64_t i = 0; ok && i < n_pairs; i++) {
        if (!pairs[i].cheap) continue;
        int64_t back = pairs[i].back = pair_cheap(pairs, n_pairs, pairs[i].a, pairs[i].e);
        sum_m[pairs[i].e] += (double)(back < pairs[i].cheap ? back : pairs[i].cheap);
        sum_n[pairs[i].e] += (double)pairs[i].cheap;
    }
    /* each signal's weight before standing */
    int64_t k = 0, p = -1;
    const int64_t new_ms = (int64_t)INFLUENCE_NEW_ACCOUNT_DAYS * 86400000;
    for (int64_t i = 0; ok && i < m->n_sig; i++) {
        inf_signal *s = &m->sig[i];
        if (i == 0 || s->e != m->sig[i - 1].e || s->a != m->sig[i - 1].a) {
            k = 0;
            p++;
        }
        int64_t at = m->window_start + (int64_t)s->t * 1000;
        double w = influence_type_weight[s->type] * exp2(-(double)(m->at - at) / m->half_life_ms);
        if (!(s->flags & INF_FROM_CHANNEL)) {
            k++;
            if (at - m->created_at[s->e] < new_ms) w *= INFLUENCE_NEW_ACCOUNT_WEIGHT;
            double allow = influence_allowance[s->type];
            int64_t g = given[(size_t)s->e * SIG_TYPES + s->type];
            if (allow > 0 && (double)g > allow) w *= sqrt(allow / (double)g);
            w /= (double)k;
            if (cheap(s->type) && sum_n[s->e] > 0) {
                int64_t n_ea = pairs[p].cheap, back = pair_cheap(pairs, n_pairs, s->a, s->e);
                double mine = (double)(back < n_ea ? back : n_ea) / (double)n_ea;
                w *= 1.0 - INFLUENCE_RING_DISCOUNT * mine * (sum_m[s->e] / sum_n[s->e]);
            }
        }
        s->base = w;
    }
    /* the standings, then the contributions in whole points */
    for (int i = 0; ok && i < na; i++) m->standing[i] = 1.0;
    for (int r = 0; ok && r < INFLUENCE_STANDING_ROUNDS; r++) ok = standing_round(m, raw, pos);
    if (ok) memset(m->raw, 0, sizeof *m->raw * (size_t)na);
    for (int64_t i = 0; ok && i < m->n_sig; i++) {
        inf_signal *s = &m->sig[i];
        double st = s->flags & INF_FROM_CHANNEL ? 1.0 : m->standing[s->e];
        s->contrib = (int32_t)llround(INFLUENCE_SCALE * s->base * st);
        m->raw[s->a] += s->contrib;
    }
    free(given);
    free(sum_m);
    free(sum_n);
    free(raw);
    free(pos);
    free(pairs);
    return ok;
}

/* ---- the score --------------------------------------------------------------------------- */

int influence_score_of(int64_t raw, int64_t median, int beta_milli)
{
    if (raw <= 0 || median <= 0) return 1;
    double beta = beta_milli / 1000.0;
    double x = pow((double)raw / (double)median, beta);
    double f = x / (x + 1.0);
    int s = (int)ceil(100.0 * f - 1e-9);
    return s < 1 ? 1 : s > 100 ? 100 : s;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return p < q ? -1 : p > q;
}

void influence_calibrate(int64_t *raws, int n, int64_t *median, int64_t *p95, int *beta_milli)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (raws[i] > 0) raws[k++] = raws[i];
    if (k < INFLUENCE_CALIBRATION_MIN) {
        *median = INFLUENCE_DEFAULT_MEDIAN;
        *p95 = INFLUENCE_DEFAULT_P95;
    } else {
        qsort(raws, (size_t)k, sizeof *raws, cmp_i64);
        *median = raws[(k - 1) / 2];
        int at = (int)ceil(0.95 * k) - 1;
        *p95 = raws[at < 0 ? 0 : at];
    }
    double beta = *p95 > *median ? log(9.0) / log((double)*p95 / (double)*median) : 4.0;
    if (beta < 0.5) beta = 0.5;
    if (beta > 4.0) beta = 4.0;
    *beta_milli = (int)lround(beta * 1000.0);
}
