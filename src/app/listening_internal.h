/*
 * listening_internal.h — what listening.c, listening_match.c and listening_alerts.c share;
 * nothing outside app/listening*.c includes it.
 */
#ifndef PL_APP_LISTENING_INTERNAL_H
#define PL_APP_LISTENING_INTERNAL_H

#include "app/listening.h"
#include "listen/tokens.h"
#include "listen/tone.h"

/* The company's offset from UTC for its 5-minute buckets (what a night and a Saturday are):
 * the configuration has none yet, so UTC. */
enum { LISTEN_UTC_OFFSET = 0 };

/* The company's local day of a 5-minute bucket (watch_authors' day), and where a bucket
 * begins (ms). */
int64_t listen_day_of_bucket(int64_t bucket);
int64_t listen_bucket_start(int64_t bucket);

/* A post's words and origin for watchq_set_match; its memory is the caller's tokens and c's
 * arena. NULL when the post is gone or its author hidden. */
const pl_status *listen_post_doc(app_ctx *c, int64_t id, listen_tokens *tok, watchq_doc *doc,
                                 const char **channel);

/* A text's tone score in thousandths (tone_score), 0 when it cannot be read. */
int listen_tone_milli(const char *text);

/* TONE_THRESHOLD in thousandths: a match at or below its negative is negative, at or above it
 * positive — as the buckets count it when a match is written and the dashboard's edges when
 * they are read. */
#define LISTEN_TONE_THRESHOLD_MILLI ((int)(TONE_THRESHOLD * 1000 + 0.5))

/* Feeds watch w's buckets (its spike_bucket + 1 … through) to its state and keeps it; *alerts
 * grows by the alerts that fired. In the caller's transaction. */
int listen_close_watch(app_ctx *c, const pl_watch *w, int64_t through, int *alerts);

#endif
