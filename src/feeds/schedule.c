/*
 * schedule.c — politeness: when a feed is fetched next, as a pure function of its state and
 * how the last fetch went (feeds.h says the rule).
 *
 * Pure on purpose: the polling thread asks it and stores the answer, and the tests ask it
 * with made-up clocks instead of waiting. Back-off doubles from the feed's own interval, so a
 * feed fetched hourly backs off from an hour, and is capped at a day so that a feed that comes
 * back is noticed within one. Nothing random: spreading feeds over time is the poller's (the
 * next times drift apart on their own as fetches take different times).
 */
#include "feeds.h"

int64_t feeds_interval_s(int64_t requested_s)
{
    if (requested_s <= 0) return FEEDS_INTERVAL_DEFAULT_S;
    if (requested_s < FEEDS_INTERVAL_MIN_S) return FEEDS_INTERVAL_MIN_S;
    if (requested_s > FEEDS_INTERVAL_MAX_S) return FEEDS_INTERVAL_MAX_S;
    return requested_s;
}

feeds_next feeds_next_fetch(const feeds_source_state *s, bool failed, int64_t retry_after_s,
                            int64_t now_ms)
{
    int64_t interval = feeds_interval_s(s->interval_s);
    feeds_next next = {.failures = 0};
    int64_t wait = interval;
    if (failed) {
        next.failures = s->failures < 0 ? 1 : s->failures + 1;
        int64_t cap = interval > FEEDS_BACKOFF_MAX_S ? interval : FEEDS_BACKOFF_MAX_S;
        /* interval × 2^(n-1), doubling until the cap (no shift past it, so no overflow) */
        for (int i = 1; i < next.failures && wait < cap; i++) wait *= 2;
        if (wait > cap) wait = cap;
    }
    if (retry_after_s > FEEDS_RETRY_AFTER_MAX_S) retry_after_s = FEEDS_RETRY_AFTER_MAX_S;
    if (retry_after_s > wait) wait = retry_after_s;
    next.at_ms = now_ms + wait * 1000;
    return next;
}
