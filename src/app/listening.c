/*
 * listening.c — watches, what they matched, the live preview and the dashboard
 * (app/listening.h). The matcher is listening_match.c; buckets, spikes and alerts
 * listening_alerts.c.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/audit.h"
#include "app/channels.h"
#include "app/notify.h"
#include "app/tickets.h"
#include "app/listening.h"
#include "app/posts.h"
#include "listen/spike.h"
#include "listen/tokens.h"
#include "listen/tone.h"
#include "store/posts.h"
#include "store/query.h"
#include "util/text.h"
#include "app/listening_internal.h"

/* ---- watches ----------------------------------------------------------------------------- */

static int check_title(app_ctx *c, const char *title)
{
    if (!title || !*(title + strspn(title, " \t\r\n")))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_BLANK",
                              "Validation failed: title can't be blank");
    if (!text_is_valid_utf8(title, strlen(title)) ||
        text_char_count(title, strlen(title), NULL) > WATCH_TITLE_MAX || strpbrk(title, "\r\n"))
        return app_fail_field(c, PL_EINVAL, "title", "ERR_TOO_LONG",
                              "Validation failed: title must be one line of at most %d "
                              "characters",
                              WATCH_TITLE_MAX);
    return PL_OK;
}

static int check_query(app_ctx *c, const char *query, watchq_error *qerr)
{
    if (!query)
        return app_fail_field(c, PL_EINVAL, "query", "ERR_BLANK",
                              "Validation failed: query can't be blank");
    watchq *q = NULL;
    watchq_error e = {0};
    int rc = watchq_parse(query, strlen(query), &q, &e);
    watchq_free(q);
    if (rc == PL_OK) return PL_OK;
    if (qerr) *qerr = e;
    return app_fail_field(c, PL_EINVAL, "query", "ERR_INVALID",
                          "Validation failed: query: %s (at character %d)", e.reason, e.position);
}

/* The owner must be able to post in the watch's channel: its alerts go there. */
static int check_channel(app_ctx *c, int64_t viewer, int64_t channel_id)
{
    if (!channel_id) return PL_OK;
    int vis = VIS_COMPANY;
    int64_t placed = 0;
    int rc = channels_place_post(c, viewer, channel_id, NULL, NULL, 0, &vis, &placed);
    if (rc == PL_OK && placed == channel_id) return PL_OK;
    if (rc == PL_EDB) return rc;
    return app_fail_field(c, PL_EINVAL, "channel_id", "ERR_INVALID",
                          "Validation failed: channel_id: %s",
                          c->errmsg ? c->errmsg : "not a channel you may post in");
}

/* A watch reads what the company says: who made, changed or removed one is audited, as an
 * export's query is — its shape (a channel), never its words. */
static int audit_watch(app_ctx *c, const char *action, int64_t actor, int64_t id,
                       int64_t channel_id)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .actor_id = actor,
                                          .target_kind = "watch",
                                          .target_id = id,
                                          .detail = {AUDIT_ID("channel_id", channel_id)}});
}

int watches_create(app_ctx *c, int64_t viewer, const char *title, const char *query,
                   int64_t channel_id, pl_watch *out, watchq_error *qerr)
{
    int rc;
    if ((rc = check_title(c, title)) || (rc = check_query(c, query, qerr)) ||
        (rc = check_channel(c, viewer, channel_id)))
        return rc;
    if ((rc = app_txn_begin(c))) return rc;
    int64_t mine = 0, all = 0;
    rc = store_watches_count(c->db, viewer, &mine);
    if (!rc) rc = store_watches_count(c->db, 0, &all);
    if (!rc && mine >= WATCHES_PER_PERSON)
        rc = app_fail(c, PL_ELIMIT, "You have %d watches, the most one may have",
                      WATCHES_PER_PERSON);
    else if (!rc && all >= WATCHES_IN_COMPANY)
        rc = app_fail(c, PL_ELIMIT, "The company has %d watches, the most it may have",
                      WATCHES_IN_COMPANY);
    pl_watch w = {.id = app_new_id(c),
                  .account_id = viewer,
                  .title = title,
                  .query = query,
                  .channel_id = channel_id,
                  .created_at = c->now,
                  .updated_at = c->now,
                  .spike = "",
                  .spike_bucket = -1};
    if (!rc) rc = store_watch_insert(c->db, &w);
    if (!rc) rc = audit_watch(c, "watch.create", viewer, w.id, channel_id);
    if (!rc) rc = store_watch_get(c->db, w.id, c->a, out);
    return app_txn_end(c, rc);
}

int watches_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch *out)
{
    int rc = store_watch_get(c->db, id, c->a, out);
    if (rc == PL_OK && out->account_id != viewer) rc = PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_update(app_ctx *c, int64_t viewer, int64_t id, const watches_change *ch, pl_watch *out,
                   watchq_error *qerr)
{
    int rc;
    if ((ch->title && (rc = check_title(c, ch->title))) ||
        (ch->query && (rc = check_query(c, ch->query, qerr))))
        return rc;
    pl_watch w;
    if ((rc = watches_get(c, viewer, id, &w))) return rc;
    if (ch->has_channel && ch->channel_id != w.channel_id &&
        (rc = check_channel(c, viewer, ch->channel_id)))
        return rc;
    if (ch->title) w.title = ch->title;
    if (ch->query) w.query = ch->query;
    if (ch->has_channel) w.channel_id = ch->channel_id;
    w.updated_at = c->now;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_watch_update(c->db, &w);
    if (!rc) rc = audit_watch(c, "watch.change", viewer, id, w.channel_id);
    if (!rc) rc = store_watch_get(c->db, id, c->a, out);
    rc = app_txn_end(c, rc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_delete(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_watch_delete(c->db, id, viewer);
    if (!rc) rc = audit_watch(c, "watch.remove", viewer, id, 0);
    rc = app_txn_end(c, rc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int watches_list(app_ctx *c, int64_t viewer, pl_watch **out, int *n)
{
    return store_watches_of(c->db, viewer, c->a, out, n);
}

/* ---- what a watch matched ---------------------------------------------------------------- */

int watches_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                    int64_t **shown, int *n_shown)
{
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    if ((rc = store_watch_matches_page(c->db, id, p, c->a, page))) return rc;
    app_prefetch_statuses(c, page->ids, page->n);
    *shown = arena_alloc(c->a, sizeof **shown * (size_t)(page->n ? page->n : 1));
    *n_shown = 0;
    for (int i = 0; i < page->n; i++) {
        const pl_status *s = app_status(c, page->ids[i]);
        /* asked again: deleted, or its audience narrowed since it matched */
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            (*shown)[(*n_shown)++] = s->id;
    }
    return PL_OK;
}

int watches_feed_matches(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *page,
                         watch_feed_match **out, int *n)
{
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    if ((rc = store_watch_feed_matches_page(c->db, id, p, c->a, page))) return rc;
    pl_feed_item *items;
    const char **sources;
    int got;
    if ((rc = store_listen_items_by_ids(c->db, page->ids, page->n, c->a, &items, &sources, &got)))
        return rc;
    *out = arena_alloc(c->a, sizeof **out * (size_t)(page->n ? page->n : 1));
    *n = 0;
    for (int i = 0; i < page->n; i++) /* the page's order; an item removed since is left out */
        for (int j = 0; j < got; j++)
            if (items[j].id == page->ids[i])
                (*out)[(*n)++] = (watch_feed_match){.item = items[j], .source = sources[j]};
    return PL_OK;
}

int watches_preview(app_ctx *c, int64_t viewer, const char *query, watchq_error *qerr,
                    int64_t **ids, int *n, int *looked)
{
    int rc = check_query(c, query, qerr);
    if (rc) return rc;
    watchq *q = NULL;
    if ((rc = watchq_parse(query, strlen(query), &q, NULL))) return rc;
    watchq_set *set = NULL;
    const int64_t one = 1;
    rc = watchq_set_build((const watchq *const *)&q, &one, 1, &set);
    watchq_free(q);
    if (rc) return rc;
    int64_t *latest;
    int n_latest;
    rc = store_listen_latest(c->db, LISTEN_PREVIEW_POSTS, c->a, &latest, &n_latest);
    *n = 0;
    *looked = 0;
    *ids = arena_alloc(c->a, sizeof **ids * LISTEN_PREVIEW_MAX);
    listen_tokens tok = LISTEN_TOKENS_INIT;
    for (int i = 0; !rc && i < n_latest && *n < LISTEN_PREVIEW_MAX; i += STORE_BATCH) {
        int k = n_latest - i < STORE_BATCH ? n_latest - i : STORE_BATCH;
        app_prefetch_statuses(c, latest + i, k);
        for (int j = i; j < i + k && *n < LISTEN_PREVIEW_MAX; j++) {
            watchq_doc doc;
            const char *channel;
            const pl_status *s = listen_post_doc(c, latest[j], &tok, &doc, &channel);
            if (!s) continue;
            (*looked)++;
            int64_t hit;
            if (watchq_set_match(set, &doc, &hit, 1) && audience_can_see(c, viewer, s))
                (*ids)[(*n)++] = s->id;
        }
    }
    listen_tokens_free(&tok);
    watchq_set_free(set);
    return rc;
}

/* ---- the dashboard ----------------------------------------------------------------------- */

/* The top posts are the most engaged of the period that the owner may see, read among its
 * days' kept tops (DASH_TOP_READ, store/watches.h), then, if fewer than DASH_TOP_POSTS, its
 * newest matches: so the read is bounded whatever the period holds; the top authors likewise
 * from the days' kept authors. */
enum { DASH_TOP_POSTS = 5, DASH_TOP_READ = WATCH_DAY_POSTS, DASH_AUTHORS = 10 };

/* [from, to) cut into whole 5-minute buckets and the two edges before and after them
 * (store/watches.h, pl_watch_span). */
static pl_watch_span span_of(int64_t from, int64_t to)
{
    pl_watch_span sp = {.from = from, .to = to};
    int64_t lo = listen_bucket_of(from), hi = listen_bucket_of(to);
    if (listen_bucket_start(lo) < from) lo++;
    if (lo < hi) {
        sp.lo = lo;
        sp.hi = hi;
        sp.lo_ms = listen_bucket_start(lo);
        sp.hi_ms = listen_bucket_start(hi);
    } else {
        sp.lo = sp.hi = 0;
        sp.lo_ms = sp.hi_ms = to;
    }
    return sp;
}

/* Adds to out's top posts (at most DASH_TOP_POSTS) those of ids[0..n) the viewer may see and
 * it does not hold yet, in order. */
static void add_top_posts(app_ctx *c, int64_t viewer, const int64_t *ids, int n,
                          listen_dashboard *out)
{
    app_prefetch_statuses(c, ids, n);
    for (int i = 0; i < n && out->n_top_posts < DASH_TOP_POSTS; i++) {
        bool held = false;
        for (int j = 0; j < out->n_top_posts && !held; j++) held = out->top_posts[j] == ids[i];
        const pl_status *s = held ? NULL : app_status(c, ids[i]);
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            out->top_posts[out->n_top_posts++] = s->id;
    }
}

/* The sums of a watch's matches in [from, to), from its buckets and two edges (span_of). */
static int sums_between(app_ctx *c, int64_t id, int64_t from, int64_t to, pl_watch_sums *out)
{
    pl_watch_span sp = span_of(from, to);
    return store_watch_sums(c->db, id, &sp, LISTEN_TONE_THRESHOLD_MILLI, out);
}

/* *a += sign × b, tone by tone. */
static void sums_add(pl_watch_sums *a, const pl_watch_sums *b, int sign)
{
    a->total += sign * b->total;
    a->negative += sign * b->negative;
    a->neutral += sign * b->neutral;
    a->positive += sign * b->positive;
}

/* Counts by tone as the dashboard's sums (neutral: the rest). */
static pl_watch_sums sums_of(const pl_watch_tones *t)
{
    return (pl_watch_sums){.total = t->total,
                           .negative = t->negative,
                           .positive = t->positive,
                           .neutral = t->total - t->negative - t->positive};
}

/* The row of day among a watch's days read (zeros when the day had no match). */
static pl_watch_sums day_sums(const pl_watch_day *days, int n, int64_t day)
{
    for (int i = 0; i < n; i++)
        if (days[i].day == day) return sums_of(&days[i].n);
    return (pl_watch_sums){0};
}

/* The matches of UTC day `day` before t, from the nearer end of the day: its buckets up to t,
 * or the day's count less its buckets from t — at most half a day's buckets (and an edge). */
static int head_of(app_ctx *c, int64_t id, int64_t day, int64_t t, const pl_watch_sums *whole,
                   pl_watch_sums *out)
{
    int64_t start = day * WATCH_DAY_MS, end = start + WATCH_DAY_MS;
    if (t - start <= end - t) return sums_between(c, id, start, t, out);
    pl_watch_sums tail;
    int rc = sums_between(c, id, t, end, &tail);
    *out = *whole;
    sums_add(out, &tail, -1);
    return rc;
}

/* The volume per UTC hour of a one-day period, the first hour from out->from: its buckets. */
static int volume_by_hour(app_ctx *c, int64_t id, listen_dashboard *out)
{
    enum { HOUR = 3600000 };
    int64_t h_from = out->from / HOUR, h_now = out->to / HOUR;
    out->n_steps = (int)(h_now - h_from + 1);
    out->volume = arena_alloc(c->a, sizeof *out->volume * (size_t)out->n_steps);
    out->volume_at = arena_alloc(c->a, sizeof *out->volume_at * (size_t)out->n_steps);
    for (int k = 0; k < out->n_steps; k++) {
        out->volume[k] = 0;
        out->volume_at[k] = k ? (h_from + k) * HOUR : out->from;
    }
    int64_t *buckets, *counts;
    int n;
    int rc = store_watch_buckets(c->db, id, listen_bucket_of(h_from * HOUR),
                                 listen_bucket_of(out->to), c->a, &buckets, &counts, &n);
    for (int i = 0; !rc && i < n; i++) {
        int64_t k = (listen_bucket_start(buckets[i]) - h_from * HOUR) / HOUR;
        out->volume[k < out->n_steps ? k : out->n_steps - 1] += counts[i];
    }
    pl_watch_sums before; /* the first hour's part before the period */
    if (!rc) rc = sums_between(c, id, h_from * HOUR, out->from, &before);
    if (!rc) out->volume[0] -= before.total;
    return rc;
}

int listen_dashboard_of(app_ctx *c, int64_t viewer, int64_t id, int days, listen_dashboard *out)
{
    if (days != 1 && days != 7 && days != 30)
        return app_fail(c, PL_EINVAL, "Validation failed: period must be one of 1d, 7d, 30d");
    pl_watch w;
    int rc = watches_get(c, viewer, id, &w);
    if (rc) return rc;
    int64_t span = (int64_t)days * WATCH_DAY_MS;
    *out = (listen_dashboard){.from = c->now - span, .to = c->now, .hourly = days == 1};
    /* The period and the one before from the UTC days they touch (migration 064), less the
     * parts of their first days before them; so what is read is at most 61 days and two half
     * days' buckets, whatever the period holds. */
    int64_t from2 = out->from - span, d_now = out->to / WATCH_DAY_MS,
            d_from = out->from / WATCH_DAY_MS, d_from2 = from2 / WATCH_DAY_MS;
    pl_watch_day *rows;
    int n_rows;
    rc = store_watch_days(c->db, id, d_from2, d_now, c->a, &rows, &n_rows);
    pl_watch_sums first = day_sums(rows, n_rows, d_from), first2 = day_sums(rows, n_rows, d_from2),
                  head, head2;
    if (!rc) rc = head_of(c, id, d_from, out->from, &first, &head);
    if (!rc) rc = head_of(c, id, d_from2, from2, &first2, &head2);
    if (rc) return rc;
    for (int i = 0; i < n_rows; i++) {
        pl_watch_sums day = sums_of(&rows[i].n);
        sums_add(rows[i].day >= d_from ? &out->now : &out->before, &day, 1);
    }
    sums_add(&out->now, &head, -1);
    sums_add(&out->before, &head2, -1);
    sums_add(&out->before, &head, 1);
    /* the volume: per UTC day clipped to the period (its first from `from`), or per hour */
    if (out->hourly) {
        rc = volume_by_hour(c, id, out);
    } else {
        out->n_steps = (int)(d_now - d_from + 1);
        out->volume = arena_alloc(c->a, sizeof *out->volume * (size_t)out->n_steps);
        out->volume_at = arena_alloc(c->a, sizeof *out->volume_at * (size_t)out->n_steps);
        for (int k = 0; k < out->n_steps; k++) {
            out->volume[k] = day_sums(rows, n_rows, d_from + k).total;
            out->volume_at[k] = k ? (d_from + k) * WATCH_DAY_MS : out->from;
        }
        out->volume[0] -= head.total;
    }
    /* the authors of the days the period touches, whole (its first one began before it) */
    if (!rc)
        rc = store_watch_top_authors(c->db, id, listen_day_of_bucket(listen_bucket_of(out->from)),
                                     listen_day_of_bucket(listen_bucket_of(c->now)), DASH_AUTHORS,
                                     c->a, &out->authors, &out->author_counts, &out->n_authors);
    int64_t *top;
    int n_top = 0;
    if (!rc)
        rc = store_watch_top_posts(c->db, id, out->from, c->now + 1, DASH_TOP_READ, c->a, &top,
                                   &n_top);
    if (rc) return rc;
    out->top_posts = arena_alloc(c->a, sizeof *out->top_posts * DASH_TOP_POSTS);
    add_top_posts(c, viewer, top, n_top, out);
    /* too few engaged: the newest matches next (none engaged, or not among the read) */
    if (out->n_top_posts < DASH_TOP_POSTS) {
        rc = store_watch_matches_between(c->db, id, out->from, c->now + 1, DASH_TOP_READ, c->a,
                                         &top, &n_top);
        if (rc) return rc;
        add_top_posts(c, viewer, top, n_top, out);
    }
    /* authors shown are those still shown anywhere (a suspended one is hidden) */
    int k = 0;
    for (int i = 0; i < out->n_authors; i++)
        if (app_account(c, out->authors[i])) {
            out->authors[k] = out->authors[i];
            out->author_counts[k++] = out->author_counts[i];
        }
    out->n_authors = k;
    return PL_OK;
}
