/**
 * timeutil.h — wall-clock time in milliseconds and ISO 8601 as Mastodon writes it.
 */
#ifndef PL_TIMEUTIL_H
#define PL_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/** Milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t time_now_ms(void);
/** Monotonic nanoseconds, for measuring durations. */
int64_t time_mono_ns(void);
/** Writes "2026-11-26T10:01:55.123Z" (24 chars + NUL) into out; cap must be >= 25. */
void time_iso8601(int64_t ms, char *out, size_t cap);
/** Writes the date at midnight "2026-11-26T00:00:00.000Z" as Mastodon does for accounts. */
void time_iso8601_date(int64_t ms, char *out, size_t cap);
/** Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.mmm]Z"; returns 0 and ms, or -1. */
int time_parse_iso8601(const char *s, int64_t *ms);

#endif
