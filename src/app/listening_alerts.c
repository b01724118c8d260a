/*
 * listening_alerts.c — a watch's 5-minute buckets fed to its spike state when they close, the
 * alerts that fire (kept, told to the owner, posted in the watch's channel), and reading them
 * (app/listening.h).
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

/* ---- buckets, spikes and alerts ---------------------------------------------------------- */

int64_t listen_bucket_of(int64_t ms)
{
    return spike_bucket_of(ms / 1000, LISTEN_UTC_OFFSET);
}

int64_t listen_day_of_bucket(int64_t bucket)
{
    enum { PER_DAY = 86400 / SPIKE_BUCKET_SECONDS };
    return bucket >= 0 ? bucket / PER_DAY : -((-bucket + PER_DAY - 1) / PER_DAY);
}

int64_t listen_bucket_start(int64_t bucket)
{
    return (bucket * SPIKE_BUCKET_SECONDS - LISTEN_UTC_OFFSET) * 1000;
}

static const char *hex_of(app_ctx *c, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = arena_alloc(c->a, n * 2 + 1);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

static int hex_digit(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The watch's spike state from its row; a fresh one when it has none (or an unreadable one). */
static void state_of(const pl_watch *w, spike_state *st)
{
    spike_init(st, SPIKE_WEEKEND_SAT_SUN);
    size_t len = strlen(w->spike);
    if (len != 2 * SPIKE_STATE_BYTES) return;
    uint8_t blob[SPIKE_STATE_BYTES];
    for (size_t i = 0; i < SPIKE_STATE_BYTES; i++) {
        int hi = hex_digit(w->spike[2 * i]), lo = hex_digit(w->spike[2 * i + 1]);
        if (hi < 0 || lo < 0) return;
        blob[i] = (uint8_t)(hi << 4 | lo);
    }
    spike_state read = *st;
    if (spike_decode(&read, blob, sizeof blob) == PL_OK) *st = read;
}

static int64_t milli(double v)
{
    return (int64_t)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
}

const char *listen_alert_summary(app_ctx *c, const pl_watch_alert *al, const pl_watch *w)
{
    return arena_printf(c->a,
                        "Listening alert: \"%s\" — %lld posts in 15 minutes, %.1f expected "
                        "(%.1f× the usual for %s %02d:00, median %.1f an hour over %d days). "
                        "%s/listening/alerts/%lld",
                        w->title, (long long)al->count, al->expected_milli / 1000.0,
                        al->ratio_milli / 1000.0, al->base_weekend ? "a weekend" : "a working day",
                        al->base_hour, al->base_median_milli / 1000.0, al->base_samples,
                        c->cfg->base_url, (long long)al->id);
}

/* An alert that fired: kept, told to the owner, posted in the watch's channel. */
static int alert_fired(app_ctx *c, const pl_watch *w, const spike_alert *sa)
{
    pl_watch_alert al = {.id = app_new_id(c),
                         .watch_id = w->id,
                         .account_id = w->account_id,
                         .bucket = sa->bucket,
                         .at = c->now,
                         .count = sa->count,
                         .expected_milli = milli(sa->expected),
                         .spread_milli = milli(sa->spread),
                         .ratio_milli = milli(sa->ratio),
                         .level_milli = milli(sa->level),
                         .today_milli = milli(sa->today),
                         .base_hour = sa->baseline.hour,
                         .base_weekend = sa->baseline.weekend,
                         .base_samples = sa->baseline.samples,
                         .base_median_milli = milli(sa->baseline.median),
                         .base_mad_milli = milli(sa->baseline.mad)};
    int rc = store_watch_alert_insert(c->db, &al);
    if (!rc) rc = notify_alert(c, w->account_id, al.id);
    if (rc || !w->channel_id) return rc;
    /* the owner's post in the channel, if they may still post there: else the notification
     * alone (the channel was checked when the watch was made; membership can end since) */
    int64_t status_id = 0;
    rc = posts_create(c, w->account_id,
                      &(posts_new){.text = listen_alert_summary(c, &al, w),
                                   .visibility = VIS_COMPANY,
                                   .sensitive = -1,
                                   .channel_id = w->channel_id,
                                   .content_type = "text/plain"},
                      &status_id);
    if (rc == PL_EFORBIDDEN || rc == PL_EINVAL) return PL_OK;
    if (!rc) rc = store_watch_alert_set_status(c->db, al.id, status_id);
    return rc;
}

/* Feeds watch w's buckets (its spike_bucket + 1 … through) to its state and keeps it. */
int listen_close_watch(app_ctx *c, const pl_watch *w, int64_t through, int *alerts)
{
    int64_t start = w->spike_bucket >= 0 ? w->spike_bucket + 1 : listen_bucket_of(w->created_at);
    if (start > through) return PL_OK;
    spike_state st;
    state_of(w, &st);
    int64_t *buckets, *counts;
    int n;
    int rc = store_watch_buckets(c->db, w->id, start, through, c->a, &buckets, &counts, &n);
    if (rc) return rc;
    /* a fresh state counts from its first bucket on: that one is added even when quiet, so
     * the quiet hours since are history too */
    if (st.last_bucket < 0 && !(n > 0 && buckets[0] == start) && spike_add(&st, start, 0, NULL) < 0)
        return PL_EINTERNAL;
    for (int i = 0; i <= n && !rc; i++) {
        /* each bucket with matches, then the last one (quiet ones between count as 0) */
        int64_t b = i < n ? buckets[i] : through;
        uint32_t k = i < n ? (uint32_t)counts[i] : 0;
        if (i == n && n > 0 && buckets[n - 1] == through) break;
        if (b <= st.last_bucket) continue;
        spike_alert sa;
        int fired = spike_add(&st, b, k, &sa);
        const pl_account *owner = fired == 1 ? app_account(c, w->account_id) : NULL;
        if (owner && !owner->is_disabled) { /* nobody is told for someone who has left */
            rc = alert_fired(c, w, &sa);
            ++*alerts;
        }
    }
    if (rc) return rc;
    uint8_t blob[SPIKE_STATE_BYTES];
    spike_encode(&st, blob);
    return store_watch_spike_set(c->db, w->id, hex_of(c, blob, sizeof blob), through);
}

int listen_close_buckets(app_ctx *c, int64_t through, int *alerts)
{
    *alerts = 0;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    /* only the watches with matches in the buckets closed since the last time: an alert
     * needs posts, and a quiet watch's state hears of its quiet buckets (as zeros) the next
     * time it has some — spike_add fills a gap so */
    pl_listen_state st;
    pl_watch *all;
    int n = 0;
    rc = store_listen_state(c->db, &st);
    if (!rc)
        rc = store_watches_counted(c->db, st.closed_bucket < through ? st.closed_bucket + 1 : 0,
                                   through, c->a, &all, &n);
    for (int i = 0; i < n && !rc; i++) rc = listen_close_watch(c, &all[i], through, alerts);
    if (!rc) rc = store_listen_closed_set(c->db, through);
    return app_txn_end(c, rc);
}

int listen_alert_get(app_ctx *c, int64_t viewer, int64_t id, pl_watch_alert *out, pl_watch *w)
{
    int rc = store_watch_alert_get(c->db, id, out);
    if (rc == PL_OK && out->account_id != viewer) rc = PL_ENOTFOUND;
    if (rc == PL_OK) rc = store_watch_get(c->db, out->watch_id, c->a, w);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int listen_alerts(app_ctx *c, int64_t viewer, int64_t watch_id, const pl_page *p, pl_idlist *out)
{
    if (watch_id) {
        pl_watch w;
        int rc = watches_get(c, viewer, watch_id, &w);
        if (rc) return rc;
    }
    return store_watch_alerts_page(c->db, viewer, watch_id, p, c->a, out);
}

int listen_alert_posts(app_ctx *c, int64_t viewer, const pl_watch_alert *al, int max, int64_t **ids,
                       int *n)
{
    /* the window: the three buckets that end with the alert's */
    int64_t from = (al->bucket - 2) * SPIKE_BUCKET_SECONDS * 1000 - LISTEN_UTC_OFFSET * 1000LL;
    int64_t to = (al->bucket + 1) * SPIKE_BUCKET_SECONDS * 1000 - LISTEN_UTC_OFFSET * 1000LL;
    int64_t *all;
    int got;
    int rc =
        store_watch_matches_between(c->db, al->watch_id, from, to, STORE_BATCH, c->a, &all, &got);
    if (rc) return rc;
    app_prefetch_statuses(c, all, got);
    *ids = arena_alloc(c->a, sizeof **ids * (size_t)(max > 0 ? max : 1));
    *n = 0;
    for (int i = 0; i < got && *n < max; i++) {
        const pl_status *s = app_status(c, all[i]);
        if (s && app_account(c, s->account_id) && audience_can_see(c, viewer, s))
            (*ids)[(*n)++] = s->id;
    }
    return PL_OK;
}

int listen_alert_ticket(app_ctx *c, int64_t viewer, int64_t alert_id, int64_t app_id,
                        int64_t *ticket_id)
{
    pl_watch_alert al;
    pl_watch w;
    int rc = listen_alert_get(c, viewer, alert_id, &al, &w);
    if (rc) return rc;
    if (al.ticket_id)
        return app_fail_field(c, PL_EINVAL, "alert_id", "ERR_TAKEN",
                              "Validation failed: the alert has a ticket already (%lld)",
                              (long long)al.ticket_id);
    pl_ticket t;
    const char *title = arena_printf(c->a, "Alert: %.80s", w.title);
    if ((rc = tickets_open_form(c, viewer, title, listen_alert_summary(c, &al, &w), app_id, &t)))
        return rc;
    bool got = false;
    if ((rc = store_watch_alert_set_ticket(c->db, alert_id, t.id, &got))) return rc;
    if (!got) return app_fail(c, PL_ECONFLICT, "the alert has a ticket already");
    *ticket_id = t.id;
    return PL_OK;
}
