/*
 * json.c — streaming JSON writer (see json.h). A fixed-depth stack of "first value at this
 * level" flags places commas; nothing is allocated except the output buffer.
 */
#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "util/timeutil.h"

void jw_init(jw *w, buf *b)
{
    w->b = b;
    w->depth = 0;
    w->first[0] = true;
}

static void sep(jw *w)
{
    if (!w->first[w->depth]) buf_putc(w->b, ',');
    w->first[w->depth] = false;
}

static void open(jw *w, char ch)
{
    sep(w);
    buf_putc(w->b, ch);
    if (w->depth < JW_MAX_DEPTH - 1) w->depth++;
    w->first[w->depth] = true;
}

static void close_(jw *w, char ch)
{
    buf_putc(w->b, ch);
    if (w->depth > 0) w->depth--;
}

void jw_obj(jw *w)
{
    open(w, '{');
}
void jw_obj_end(jw *w)
{
    close_(w, '}');
}
void jw_arr(jw *w)
{
    open(w, '[');
}
void jw_arr_end(jw *w)
{
    close_(w, ']');
}

void jw_keyn(jw *w, const char *key, size_t n)
{
    buf *b = w->b;
    buf_reserve(b, n + 4);
    char *p = b->data + b->len;
    if (!w->first[w->depth]) *p++ = ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = '\0';
    b->len = (size_t)(p - b->data);
    w->first[w->depth] = true; /* the value that follows takes no comma */
}

/* 1 for the bytes a JSON string must escape: control characters, '"' and '\\'. */
static const unsigned char must_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1,
};

/* Appends the escaped bytes of s without quotes. */
static void escape_into(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_reserve(b, n);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        /* skip 8 clean bytes at a time: no byte < 0x20, no '"' (0x22), no '\\' (0x5c) */
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
            uint64_t lt20 = (x - ones * 0x20) & ~x;
            uint64_t q = x ^ (ones * 0x22), bs = x ^ (ones * 0x5c);
            uint64_t eq = ((q - ones) & ~q) | ((bs - ones) & ~bs);
            if ((lt20 | eq) & high) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char ch = (unsigned char)s[i];
        if (!must_escape[ch]) continue;
        buf_append(b, s + start, i - start);
        start = i + 1;
        switch (ch) {
        case '"': buf_append(b, "\\\"", 2); break;
        case '\\': buf_append(b, "\\\\", 2); break;
        case '\n': buf_append(b, "\\n", 2); break;
        case '\r': buf_append(b, "\\r", 2); break;
        case '\t': buf_append(b, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            buf_append(b, u, 6);
        }
        }
    }
    buf_append(b, s + start, n - start);
}

void jw_strn(jw *w, const char *s, size_t n)
{
    sep(w);
    buf_putc(w->b, '"');
    escape_into(w->b, s, n);
    buf_putc(w->b, '"');
}

void jw_kcat(jw *w, const char *k, ...)
{
    jw_key(w, k);
    sep(w);
    buf_putc(w->b, '"');
    va_list ap;
    va_start(ap, k);
    for (const char *p; (p = va_arg(ap, const char *));) escape_into(w->b, p, strlen(p));
    va_end(ap);
    buf_putc(w->b, '"');
}

void jw_str(jw *w, const char *s)
{
    if (!s)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(jw *w, int64_t v)
{
    sep(w);
    buf_put_i64(w->b, v);
}

void jw_double(jw *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    sep(w);
    buf_printf(w->b, "%.17g", v); /* enough digits to read back the same double */
}

void jw_id(jw *w, int64_t id)
{
    if (!id) {
        jw_null(w);
        return;
    }
    sep(w);
    buf_putc(w->b, '"');
    buf_put_i64(w->b, id);
    buf_putc(w->b, '"');
}

void jw_bool(jw *w, bool v)
{
    sep(w);
    if (v)
        buf_append(w->b, "true", 4);
    else
        buf_append(w->b, "false", 5);
}

void jw_null(jw *w)
{
    sep(w);
    buf_append(w->b, "null", 4);
}

void jw_raw(jw *w, const char *json, size_t n)
{
    sep(w);
    buf_append(w->b, json, n);
}

void jw_raw_members(jw *w, const char *json, size_t n)
{
    if (!n) return;
    buf_reserve(w->b, n + 1);
    if (!w->first[w->depth]) buf_putc(w->b, ',');
    buf_append(w->b, json, n);
    w->first[w->depth] = false;
}

void jw_time(jw *w, int64_t ms)
{
    if (!ms) {
        jw_null(w);
        return;
    }
    char t[32];
    time_iso8601(ms, t, sizeof t);
    jw_strn(w, t, strlen(t));
}

void jw_kstr(jw *w, const char *k, const char *s)
{
    jw_key(w, k);
    jw_str(w, s);
}
void jw_kint(jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_int(w, v);
}
void jw_kdouble(jw *w, const char *k, double v)
{
    jw_key(w, k);
    jw_double(w, v);
}
void jw_kid(jw *w, const char *k, int64_t id)
{
    jw_key(w, k);
    jw_id(w, id);
}
void jw_kbool(jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_bool(w, v);
}
void jw_knull(jw *w, const char *k)
{
    jw_key(w, k);
    jw_null(w);
}
void jw_ktime(jw *w, const char *k, int64_t ms)
{
    jw_key(w, k);
    jw_time(w, ms);
}

void jw_ktime_or_null(jw *w, const char *k, int64_t ms)
{
    if (ms)
        jw_ktime(w, k, ms);
    else
        jw_knull(w, k);
}
