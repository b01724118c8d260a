/*
 * top.c — ranked feeds and trends (see top.h for the score).
 *
 * Ranking is not an index order, so a top feed is computed per request: walk the feed newest
 * first through feeds.c (the timeline's own filter loop: audience_can_see, mutes, blocks, the
 * feed's rules) back to the window's start, score every original post found, sort in memory.
 * The walk is bounded by top_max_candidates entries read, so the cost of one request is at
 * most that many feed entries (a few dozen queries, the statuses mostly from the loop's cache);
 * a feed with more posts in its window ranks its newest. Nothing is stored: votes change the
 * order at once, and there is no second copy of who may see what.
 *
 * Trends read the store's engagement-ordered candidates instead of a feed: they are the
 * company's, the same for every member except for what audience_can_see() hides.
 */
#include "top.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/channels.h"
#include "app/feeds.h"
#include "store/top.h"

enum { HOUR_MS = 3600000, DAY_MS = 86400000, CANDIDATE_PAGE = 250 };

void top_score_of(const pl_status *s, int64_t now, double window_hours, top_score *out)
{
    double age = (double)(now - s->created_at) / HOUR_MS;
    if (age < 0) age = 0;
    double tau = window_hours / TOP_TAU_DIVISOR;
    if (tau <= 0) tau = 1.0 / TOP_TAU_DIVISOR;
    double points = 1.0 + (double)s->favourites_count +
                    TOP_BOOST_WEIGHT * (double)s->reblogs_count +
                    TOP_REPLY_WEIGHT * (double)s->replies_count;
    *out = (top_score){
        .value = points / pow(1.0 + age / tau, TOP_GRAVITY),
        .votes = s->favourites_count,
        .boosts = s->reblogs_count,
        .replies = s->replies_count,
        .age_hours = age,
        .tau_hours = tau,
    };
}

const char *top_formula(app_ctx *c, double window_hours)
{
    return arena_printf(c->a, "(1 + votes + %g*boosts + %g*replies) / (1 + age_hours/%g)^%g",
                        TOP_BOOST_WEIGHT, TOP_REPLY_WEIGHT, window_hours / TOP_TAU_DIVISOR,
                        TOP_GRAVITY);
}

static int cmp_score(const void *a, const void *b)
{
    const top_item *x = a, *y = b;
    if (x->score.value != y->score.value) return x->score.value < y->score.value ? 1 : -1;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

void top_sort(top_item *items, int n)
{
    if (n > 1) qsort(items, (size_t)n, sizeof *items, cmp_score);
}

static int cmp_id_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One page of the feed, exactly as its timeline reads it. */
static int feed_page(app_ctx *c, int64_t viewer, const top_feed *f, const pl_page *p,
                     pl_idlist *out)
{
    switch (f->kind) {
    case TOP_HOME: return feeds_home(c, viewer, p, out);
    case TOP_PUBLIC: return feeds_public(c, viewer, p, out);
    case TOP_LIST: return feeds_list(c, viewer, f->id, p, out);
    case TOP_CHANNEL: return channels_timeline(c, viewer, f->id, p, out);
    case TOP_TAG: return feeds_tag(c, viewer, f->tag, p, out);
    default: return app_fail(c, PL_EINVAL, "Unknown feed");
    }
}

int top_candidates(app_ctx *c, int64_t viewer, const top_feed *f, int64_t since, int *budget,
                   int64_t **ids, int *n)
{
    int cap = *budget > 0 ? *budget : 0;
    int64_t *v = arena_alloc(c->a, sizeof *v * (size_t)(cap + 1));
    int m = 0;
    pl_page p = {.since_id = id_floor_for_ms(since) - 1};
    while (*budget > 0) {
        p.limit = *budget < CANDIDATE_PAGE ? *budget : CANDIDATE_PAGE;
        pl_idlist l;
        int rc = feed_page(c, viewer, f, &p, &l);
        if (rc) return rc;
        *budget -= l.n;
        for (int i = 0; i < l.n && m < cap; i++) {
            const pl_status *s = app_status(c, l.ids[i]);
            const pl_status *o = s && s->reblog_of_id ? app_status(c, s->reblog_of_id) : s;
            /* direct messages have their own place (conversations, catch-up) */
            if (!o || o->created_at < since || o->visibility == VIS_DIRECT) continue;
            v[m++] = o->id;
        }
        if (l.n < p.limit) break; /* the feed ended, or left the window */
        p.max_id = l.keys[l.n - 1];
    }
    qsort(v, (size_t)m, sizeof *v, cmp_id_asc);
    int k = 0;
    for (int i = 0; i < m; i++)
        if (k == 0 || v[k - 1] != v[i]) v[k++] = v[i];
    *ids = v;
    *n = k;
    return PL_OK;
}

int top_score_ids(app_ctx *c, const int64_t *ids, int n, double window_hours, top_item **out)
{
    top_item *items = arena_alloc(c->a, sizeof *items * (size_t)(n + 1));
    int k = 0;
    app_prefetch_statuses(c, ids, n);
    for (int i = 0; i < n; i++) {
        const pl_status *s = app_status(c, ids[i]);
        if (!s) continue;
        items[k].id = ids[i];
        top_score_of(s, c->now, window_hours, &items[k].score);
        k++;
    }
    *out = items;
    return k;
}

int top_feed_rank(app_ctx *c, int64_t viewer, const top_feed *f, int window_hours, top_item **out,
                  int *n)
{
    int budget = c->cfg->top_max_candidates;
    int64_t *ids;
    int m;
    int rc =
        top_candidates(c, viewer, f, c->now - (int64_t)window_hours * HOUR_MS, &budget, &ids, &m);
    if (rc) return rc;
    *n = top_score_ids(c, ids, m, window_hours, out);
    top_sort(*out, *n);
    return PL_OK;
}

static bool hidden_by_viewer(app_ctx *c, int64_t viewer, int64_t author)
{
    return viewer && viewer != author &&
           (app_blocks(c, viewer, author) || app_mutes(c, viewer, author));
}

int top_trending_statuses(app_ctx *c, int64_t viewer, top_item **out, int *n)
{
    int hours = c->cfg->trends_statuses_hours > 0 ? c->cfg->trends_statuses_hours : 1;
    int64_t *ids;
    int m;
    int rc = store_trend_statuses(c->db, c->now - (int64_t)hours * HOUR_MS,
                                  c->cfg->top_max_candidates, c->a, &ids, &m);
    if (rc) return rc;
    app_prefetch_statuses(c, ids, m);
    int k = 0;
    for (int i = 0; i < m; i++) {
        const pl_status *s = app_status(c, ids[i]);
        if (s && audience_can_see(c, viewer, s) && !hidden_by_viewer(c, viewer, s->account_id) &&
            app_reaches(c, viewer, s->account_id)) /* silenced: followers only */
            ids[k++] = ids[i];
    }
    *n = top_score_ids(c, ids, k, hours, out);
    top_sort(*out, *n);
    return PL_OK;
}

static int cmp_tag_day(const void *a, const void *b)
{
    return strcmp(((const pl_trend_day *)a)->tag, ((const pl_trend_day *)b)->tag);
}

static int cmp_tag(const void *a, const void *b)
{
    const top_tag *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    int64_t ux = 0, uy = 0;
    for (int d = 0; d < TOP_TREND_DAYS; d++) ux += x->uses[d], uy += y->uses[d];
    if (ux != uy) return ux < uy ? 1 : -1;
    return strcmp(x->name, y->name);
}

int top_trending_tags(app_ctx *c, top_tag **out, int *n)
{
    int64_t today = c->now - c->now % DAY_MS;
    int64_t start = today - (TOP_TREND_DAYS - 1) * (int64_t)DAY_MS;
    pl_trend_day *rows;
    int nr;
    int rc = store_trend_tag_days(c->db, start, c->a, &rows, &nr);
    if (rc) return rc;
    qsort(rows, (size_t)nr, sizeof *rows, cmp_tag_day);
    top_tag *tags = arena_alloc(c->a, sizeof *tags * (size_t)(nr + 1));
    int k = 0;
    for (int i = 0; i < nr; i++) {
        if (k == 0 || strcmp(tags[k - 1].name, rows[i].tag)) {
            memset(&tags[k], 0, sizeof tags[k]);
            tags[k].name = rows[i].tag;
            for (int d = 0; d < TOP_TREND_DAYS; d++)
                tags[k].day_ms[d] = today - d * (int64_t)DAY_MS;
            k++;
        }
        int ago = TOP_TREND_DAYS - 1 - rows[i].day;
        if (ago < 0 || ago >= TOP_TREND_DAYS) continue; /* a post from the future: ignore */
        tags[k - 1].uses[ago] += rows[i].uses;
        tags[k - 1].accounts[ago] += rows[i].accounts;
        tags[k - 1].score += (double)rows[i].accounts / (1.0 + ago);
    }
    if (k > 1) qsort(tags, (size_t)k, sizeof *tags, cmp_tag);
    *out = tags;
    *n = k;
    return PL_OK;
}
