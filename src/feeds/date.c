/*
 * date.c — the dates feeds carry: RFC 3339 (Atom, Dublin Core's dc:date) and RFC 822 (RSS).
 *
 * RFC 822 dates are read by libcurl's curl_getdate, which reads HTTP's dates and the many
 * spellings RSS feeds use in the wild (no day name, no seconds, two-digit years, zone names
 * like GMT or EST, numeric offsets). It does not know ISO 8601's "T" form, so that is read
 * here first: strictly (every field in range), because a date that reads wrong is worse than
 * no date (the item then has none, and the layers above use the time it was fetched).
 */
#include "feeds.h"

#include <ctype.h>
#include <curl/curl.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return false;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, optionally followed by T or space, HH:MM[:SS[.fraction]] and Z or ±HH[:]MM
 * (no zone: UTC). A date alone is its midnight in UTC. */
static int parse_rfc3339(const char *s, int64_t *ms)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, frac_ms = 0, off_min = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && is_leap(y))) return -1;
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) return -1;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec)) return -1;
            if (*p == '.' || *p == ',') {
                p++;
                if (!isdigit((unsigned char)*p)) return -1;
                for (int scale = 100; isdigit((unsigned char)*p); p++, scale /= 10)
                    frac_ms += (*p - '0') * scale;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) return -1; /* 60: a leap second, read as :59 + 1 */
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (!digits(&p, 2, &oh)) return -1;
            if (*p == ':') p++;
            if (!digits(&p, 2, &om) || oh > 23 || om > 59) return -1;
            off_min = sign * (oh * 60 + om);
        }
    }
    while (*p == ' ' || *p == '\t') p++;
    if (*p) return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    *ms = ((int64_t)t - (int64_t)off_min * 60) * 1000 + frac_ms;
    return 0;
}

int feeds_parse_date(const char *s, int64_t *ms)
{
    if (!s) return -1;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (!*s) return -1;
    /* RFC 3339 starts with a four-digit year and a dash; RFC 822 never does */
    if (strlen(s) >= 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) &&
        s[4] == '-')
        return parse_rfc3339(s, ms);
    time_t t = curl_getdate(s, NULL);
    if (t == (time_t)-1) return -1;
    *ms = (int64_t)t * 1000;
    return 0;
}
