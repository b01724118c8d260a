/**
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * The buffer owns its memory (malloc); buf_free() releases it. Appends never fail
 * silently: on allocation failure the process aborts, because every caller would
 * otherwise have to handle ENOMEM on every byte of output.
 */
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
    char *data; /**< NUL-terminated contents, or NULL while empty and never grown */
    size_t len; /**< bytes used, not counting the NUL */
    size_t cap; /**< bytes allocated */
} buf;

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/** Grows the buffer (the slow path of buf_reserve). */
void buf_grow(buf *b, size_t n);

/** Makes room for at least n more bytes (plus the NUL). */
static inline void buf_reserve(buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) buf_grow(b, n);
}

/* Appends run on every byte of every response: the common case stays inline. */
static inline void buf_append(buf *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    if (len) __builtin_memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static inline void buf_putc(buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_put_i64(buf *b, int64_t v);
/** Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_put_html(buf *b, const char *s, size_t len);
/** Empties the buffer but keeps its memory. */
void buf_reset(buf *b);
/** Releases the memory; the buffer is empty and reusable afterwards. */
void buf_free(buf *b);
/** Returns the contents ("" when empty); valid until the next append. */
const char *buf_cstr(const buf *b);
/** Takes the memory out of the buffer: the caller owns and frees the result. */
char *buf_steal(buf *b);

#endif
