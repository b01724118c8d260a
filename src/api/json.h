/**
 * json.h — the streaming JSON writer used for every response on the hot path.
 *
 * Writes straight into a buf with no intermediate tree (measured in DESIGN.md: a tree
 * library costs more than the SQL of a timeline page). Commas are placed automatically;
 * strings are escaped per RFC 8259 (control characters, quote, backslash). Output is for
 * API responses; anything embedding JSON in HTML must escape '<' itself.
 */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum { JW_MAX_DEPTH = 32 };

typedef struct jw {
    buf *b;
    int depth;
    bool first[JW_MAX_DEPTH]; /**< no value written yet at this depth */
} jw;

void jw_init(jw *w, buf *b);
void jw_obj(jw *w);     /**< { */
void jw_obj_end(jw *w); /**< } */
void jw_arr(jw *w);     /**< [ */
void jw_arr_end(jw *w); /**< ] */
void jw_keyn(jw *w, const char *key, size_t n);
/** "key": (key is trusted ASCII, not escaped). Inline so literal keys cost no strlen. */
static inline void jw_key(jw *w, const char *key)
{
    jw_keyn(w, key, __builtin_strlen(key));
}
void jw_str(jw *w, const char *s); /**< a string, or null if s is NULL */
void jw_strn(jw *w, const char *s, size_t n);
void jw_int(jw *w, int64_t v);
/** A number with 17 significant digits (reads back exactly); null if not finite. */
void jw_double(jw *w, double v);
void jw_id(jw *w, int64_t id); /**< an id as a string, or null if 0 */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/** Appends already-valid JSON (e.g. a nested document). */
void jw_raw(jw *w, const char *json, size_t n);
/** Appends already-written members ("a":1,"b":2) into the open object. */
void jw_raw_members(jw *w, const char *json, size_t n);
/** An ISO 8601 time string, or null if ms is 0. */
void jw_time(jw *w, int64_t ms);

/* key + value shorthands */
void jw_kstr(jw *w, const char *k, const char *s);
void jw_kint(jw *w, const char *k, int64_t v);
void jw_kdouble(jw *w, const char *k, double v);
void jw_kid(jw *w, const char *k, int64_t id);
void jw_kbool(jw *w, const char *k, bool v);
void jw_knull(jw *w, const char *k);
void jw_ktime(jw *w, const char *k, int64_t ms);
/** A key and a time, or null when ms is 0 (a moment that has not come: "finished_at"). */
void jw_ktime_or_null(jw *w, const char *k, int64_t ms);
/** A key and a string made of the pieces that follow, up to a NULL; each is escaped. */
void jw_kcat(jw *w, const char *k, ...) __attribute__((sentinel));

#endif
