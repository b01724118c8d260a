/*
 * timeutil.c — clock reads and ISO 8601 formatting without locale or TZ lookups
 * (gmtime_r is thread-safe and cheap).
 */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): no locale, no TZ. */
static void civil(int64_t days, int *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void time_iso8601(int64_t ms, char *out, size_t cap)
{
    if (cap < 25 || ms < 0) {
        if (cap) out[0] = '\0';
        return;
    }
    int64_t secs = ms / 1000, days = secs / 86400, rem = secs % 86400;
    int y, m, d;
    civil(days, &y, &m, &d);
    char *p = out;
    put2(p, y / 100);
    put2(p + 2, y % 100);
    p[4] = '-';
    put2(p + 5, m);
    p[7] = '-';
    put2(p + 8, d);
    p[10] = 'T';
    put2(p + 11, (int)(rem / 3600));
    p[13] = ':';
    put2(p + 14, (int)(rem / 60 % 60));
    p[16] = ':';
    put2(p + 17, (int)(rem % 60));
    p[19] = '.';
    int frac = (int)(ms % 1000);
    p[20] = (char)('0' + frac / 100);
    put2(p + 21, frac % 100);
    p[23] = 'Z';
    p[24] = '\0';
}

void time_iso8601_date(int64_t ms, char *out, size_t cap)
{
    time_iso8601(ms - ms % 86400000, out, cap);
}

int time_parse_iso8601(const char *s, int64_t *ms)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) return -1;
    const char *p = s + n;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m) != 3) return -1;
        p += 1 + m;
        if (*p == '.') {
            int digits = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, digits++)
                if (digits < 3) frac = frac * 10 + (*p - '0');
            while (digits++ < 3) frac *= 10;
        }
        if (*p == 'Z')
            p++;
        else if (!strncmp(p, "+00:00", 6))
            p += 6;
    }
    if (*p) return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    return 0;
}
