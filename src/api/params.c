/*
 * params.c — request parameters, as Mastodon accepts them: the query string, and a body
 * in JSON, application/x-www-form-urlencoded or multipart/form-data. All are merged into
 * one JSON object (body wins over query) so handlers read parameters one way. Form keys in
 * Rails' bracket notation become nested values: "a[]" appends to an array, "a[b][c]" makes
 * objects, "a[][k]" fills the array's last object until a key repeats, then starts a new one
 * (keywords_attributes[][keyword]=x&keywords_attributes[][whole_word]=1 is one object).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "util/text.h"
#include "util/timeutil.h"

enum { MAX_PARAM_KEYS = 1000, MAX_NESTING = 4 };

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) (with '+' as space) into the arena. */
static char *url_decode(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            *o++ = ' ';
        else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else
            *o++ = s[i];
    }
    *o = '\0';
    return out;
}

/* Stores value under a Rails-style key into obj. */
static int put_key(json_t *obj, const char *key, json_t *value)
{
    const char *br = strchr(key, '[');
    if (!br) {
        json_object_set_new(obj, key, value);
        return PL_OK;
    }
    char head[256];
    size_t hn = (size_t)(br - key);
    if (hn == 0 || hn >= sizeof head) {
        json_decref(value);
        return PL_EBADREQ;
    }
    memcpy(head, key, hn);
    head[hn] = '\0';
    json_t *cur = obj;
    const char *p = br;
    int depth = 0;
    while (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close || ++depth > MAX_NESTING) {
            json_decref(value);
            return PL_EBADREQ;
        }
        char sub[256];
        size_t sn = (size_t)(close - p - 1);
        if (sn >= sizeof sub) {
            json_decref(value);
            return PL_EBADREQ;
        }
        memcpy(sub, p + 1, sn);
        sub[sn] = '\0';
        bool last = close[1] != '[';
        if (sn == 0) { /* "[]": array append */
            json_t *arr = json_object_get(cur, head);
            if (!json_is_array(arr)) {
                arr = json_array();
                json_object_set_new(cur, head, arr);
            }
            if (last) {
                json_array_append_new(arr, value);
                return PL_OK;
            }
            /* "a[][k]" (Rails): k goes into the array's last object unless that object has k
             * already, which starts the next one */
            const char *k0 = close + 2, *k1 = strchr(k0, ']');
            if (!k1 || (size_t)(k1 - k0) >= sizeof sub) {
                json_decref(value);
                return PL_EBADREQ;
            }
            memcpy(sub, k0, (size_t)(k1 - k0));
            sub[k1 - k0] = '\0';
            json_t *item = json_array_get(arr, json_array_size(arr) - 1);
            if (!json_is_object(item) || json_object_get(item, sub)) {
                item = json_object();
                json_array_append_new(arr, item);
            }
            cur = item;
            memcpy(head, sub, strlen(sub) + 1);
            p = k1 + 1;
            if (*p != '[') break;
            continue;
        }
        json_t *next = json_object_get(cur, head);
        if (!json_is_object(next)) {
            next = json_object();
            json_object_set_new(cur, head, next);
        }
        cur = next;
        memcpy(head, sub, sn + 1);
        p = close + 1;
        if (last) break;
    }
    json_object_set_new(cur, head, value);
    return PL_OK;
}

static int parse_form(api_call *c, json_t *obj, const char *s, size_t n)
{
    size_t i = 0;
    int keys = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&') j++;
        if (j > i) {
            if (++keys > MAX_PARAM_KEYS) return PL_EBADREQ;
            const char *eq = memchr(s + i, '=', j - i);
            size_t kn = eq ? (size_t)(eq - (s + i)) : j - i;
            char *k = url_decode(c->app->a, s + i, kn);
            char *v = eq ? url_decode(c->app->a, eq + 1, (size_t)(s + j - eq - 1)) : "";
            if (!text_is_valid_utf8(v, strlen(v))) return PL_EBADREQ;
            if (*k && put_key(obj, k, json_string(v))) return PL_EBADREQ;
        }
        i = j + 1;
    }
    return PL_OK;
}

static const char *memmem_str(const char *h, size_t hn, const char *needle, size_t nn)
{
    return memmem(h, hn, needle, nn);
}

/* The value of attribute `attr` ("name", "filename") of a part's Content-Disposition, quoted
 * as browsers and masto.js send it, into the arena; NULL if absent. The attribute must start
 * the header's text or follow ';' or a space, so "name" never matches inside "filename". */
static char *part_attr(arena *a, const char *hdrs, const char *attr)
{
    size_t an = strlen(attr);
    for (const char *p = hdrs; (p = strcasestr(p, attr)); p += an) {
        if (p > hdrs && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t') continue;
        if (p[an] != '=' || p[an + 1] != '"') continue;
        const char *v = p + an + 2;
        return arena_strndup(a, v, strcspn(v, "\"\r\n"));
    }
    return NULL;
}

/* The Content-Type header of a part, or NULL. */
static char *part_type(arena *a, const char *hdrs)
{
    for (const char *p = hdrs; (p = strcasestr(p, "content-type:")); p += 13) {
        if (p > hdrs && p[-1] != '\n') continue;
        p += 13;
        while (*p == ' ' || *p == '\t') p++;
        return arena_strndup(a, p, strcspn(p, "\r\n"));
    }
    return NULL;
}

/* A file name as a client gave it, made safe to keep and show: the last path segment only,
 * control characters dropped, at most 255 bytes cut at a character; "" if not UTF-8. */
static const char *clean_filename(arena *a, const char *name)
{
    if (!name) return "";
    const char *slash = strrchr(name, '/'), *back = strrchr(name, '\\');
    if (slash) name = slash + 1;
    if (back && back + 1 > name) name = back + 1;
    if (!text_is_valid_utf8(name, strlen(name))) return "";
    char *out = arena_alloc(a, strlen(name) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p >= 0x20 && *p != 0x7f) *o++ = (char)*p;
    *o = '\0';
    size_t n = (size_t)(o - out);
    if (n > 255) {
        n = 255;
        while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80) n--; /* not mid-character */
        out[n] = '\0';
    }
    return out;
}

/* multipart/form-data: each part's name and text value into obj; a file part (one with a
 * filename) into c->files, its bytes pointing into the body (binary: NUL bytes and all). */
static int parse_multipart(api_call *c, json_t *obj, const char *ct, const char *s, size_t n)
{
    const char *b = strcasestr(ct, "boundary=");
    if (!b) return PL_EBADREQ;
    b += 9;
    char delim[200];
    size_t bl = strcspn(b, "; ");
    if (*b == '"') {
        b++;
        bl = strcspn(b, "\"");
    }
    if (bl == 0 || bl + 4 >= sizeof delim) return PL_EBADREQ;
    delim[0] = '-';
    delim[1] = '-';
    memcpy(delim + 2, b, bl);
    size_t dl = bl + 2;
    const char *p = memmem_str(s, n, delim, dl), *end = s + n;
    int keys = 0;
    while (p) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') break;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') p += 2;
        const char *hdr_end = memmem_str(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hdr_end) return PL_EBADREQ;
        const char *body = hdr_end + 4;
        const char *next = memmem_str(body, (size_t)(end - body), delim, dl);
        if (!next) return PL_EBADREQ;
        size_t vlen = (size_t)(next - body);
        if (vlen >= 2 && body[vlen - 2] == '\r' && body[vlen - 1] == '\n') vlen -= 2;
        char *hdrs = arena_strndup(c->app->a, p, (size_t)(hdr_end - p));
        if (strlen(hdrs) != (size_t)(hdr_end - p)) return PL_EBADREQ; /* a NUL in headers */
        char *key = part_attr(c->app->a, hdrs, "name");
        char *filename = part_attr(c->app->a, hdrs, "filename");
        if (key && *key) {
            if (++keys > MAX_PARAM_KEYS) return PL_EBADREQ;
            if (!text_is_valid_utf8(key, strlen(key))) return PL_EBADREQ;
            if (filename) {
                if (c->n_files == API_MAX_FILES) return PL_EBADREQ;
                char *type = part_type(c->app->a, hdrs);
                c->files[c->n_files++] = (api_file){
                    .field = key,
                    .filename = clean_filename(c->app->a, filename),
                    .content_type = type && text_is_valid_utf8(type, strlen(type)) ? type : "",
                    .data = body,
                    .len = vlen,
                };
            } else {
                char *val = arena_strndup(c->app->a, body, vlen);
                if (strlen(val) != vlen || !text_is_valid_utf8(val, vlen)) return PL_EBADREQ;
                if (put_key(obj, key, json_string(val))) return PL_EBADREQ;
            }
        }
        p = next;
    }
    return PL_OK;
}

const api_file *p_file(api_call *c, const char *name)
{
    for (int i = 0; i < c->n_files; i++)
        if (!strcmp(c->files[i].field, name)) return &c->files[i];
    return NULL;
}

int api_parse_params(api_call *c)
{
    api_req *r = c->req;
    c->in = json_object();
    if (r->query && *r->query && parse_form(c, c->in, r->query, strlen(r->query))) {
        c->app->errmsg = "The query string is malformed";
        return PL_EBADREQ;
    }
    if (!r->body_len) return PL_OK;
    const char *ct = r->content_type ? r->content_type : "";
    if (!strncasecmp(ct, "application/json", 16)) {
        json_error_t err;
        json_t *body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
        if (!body) {
            c->app->errmsg =
                arena_printf(c->app->a, "The request body is not valid JSON: %s", err.text);
            return PL_EBADREQ;
        }
        if (!json_is_object(body)) {
            json_decref(body);
            c->app->errmsg = "The request body must be a JSON object";
            return PL_EBADREQ;
        }
        json_object_update(c->in, body);
        json_decref(body);
        return PL_OK;
    }
    if (!strncasecmp(ct, "multipart/form-data", 19)) {
        if (parse_multipart(c, c->in, ct, r->body, r->body_len)) {
            c->app->errmsg = "The multipart body is malformed";
            return PL_EBADREQ;
        }
        return PL_OK;
    }
    /* form-encoded, or no content type at all */
    if (parse_form(c, c->in, r->body, r->body_len)) {
        c->app->errmsg = "The form body is malformed";
        return PL_EBADREQ;
    }
    return PL_OK;
}

json_t *p_get(api_call *c, const char *name)
{
    json_t *v = json_object_get(c->in, name);
    return json_is_null(v) ? NULL : v;
}

const char *p_str(api_call *c, const char *name)
{
    json_t *v = p_get(c, name);
    if (!v) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v))
        return arena_printf(c->app->a, "%lld", (long long)json_integer_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    return NULL;
}

int p_bool(api_call *c, const char *name, int def)
{
    json_t *v = p_get(c, name);
    if (!v) return def;
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    const char *s = json_string_value(v);
    if (!s) return -2;
    if (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "on")) return 1;
    if (!strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "off") || !*s) return 0;
    return -2;
}

bool p_time(api_call *c, const char *name, const char *label, int64_t *ms)
{
    const char *v = p_str(c, name);
    *ms = 0;
    if (!v || !*v) return true;
    if (time_parse_iso8601(v, ms) == 0 && *ms > 0) return true;
    api_error(c, 422,
              arena_printf(c->app->a,
                           "Validation failed: %s must be a time like 2026-12-24T09:00:00Z or a "
                           "date like 2026-12-24",
                           label));
    return false;
}

int64_t p_int(api_call *c, const char *name, int64_t def)
{
    json_t *v = p_get(c, name);
    if (!v) return def;
    if (json_is_integer(v)) return json_integer_value(v);
    const char *s = json_string_value(v);
    if (!s || !*s) return def;
    char *end;
    long long x = strtoll(s, &end, 10);
    return *end ? def : x;
}

bool p_whole(api_call *c, const char *name, bool nullable, int64_t *v)
{
    json_t *j = c->in ? json_object_get(c->in, name) : NULL;
    if (!j) return true;
    if (json_is_null(j) && nullable) {
        *v = -1;
        return true;
    }
    if (json_is_integer(j)) {
        *v = json_integer_value(j);
        return true;
    }
    const char *s = json_string_value(j);
    char *end = NULL;
    long long x = s && *s ? strtoll(s, &end, 10) : 0;
    if (s && *s && !*end) {
        *v = x;
        return true;
    }
    api_error(c, 422,
              arena_printf(c->app->a, "Validation failed: %s must be a whole number%s", name,
                           nullable ? " or null" : ""));
    return false;
}

json_t *p_arr(api_call *c, const char *name)
{
    const char *key = arena_printf(c->app->a, "%s[]", name);
    json_t *v = json_object_get(c->in, key);
    if (!v) v = json_object_get(c->in, name);
    if (!v || json_is_null(v)) return NULL;
    if (json_is_array(v)) return v;
    /* a single value, or an object keyed "0", "1", … (form encoding): make an array */
    json_t *arr = json_array();
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) json_array_append(arr, x);
    } else {
        json_array_append(arr, v);
    }
    json_object_set_new(c->in, key, arr);
    return arr;
}

int64_t json_id(const json_t *x)
{
    int64_t v = 0;
    if (json_is_integer(x))
        v = json_integer_value(x);
    else if (!json_is_string(x) || !id_parse(json_string_value(x), &v))
        return 0;
    return v > 0 ? v : 0;
}

int64_t path_id(api_call *c, int i)
{
    int64_t id;
    if (i >= c->req->n_params || !id_parse(c->req->params[i], &id)) return 0;
    return id;
}
