/*
 * web.c — serves the browser client (web/) at / from files embedded into the binary.
 *
 * Why embedded and not read from a web_root folder: one binary is the whole server (as with
 * the SQL migrations), so `make run`, a package and a container need no path setting and can
 * never serve files that do not match the binary's API; and a lookup in a fixed table makes
 * path traversal impossible by construction, since the file system is never consulted.
 *
 * Caching: the bundle and the stylesheet are named by their content's hash at build time
 * (scripts/build-web.mjs), so they are sent "public, max-age=31536000, immutable": a new
 * build names new files, and a browser never asks for one it has. Every other file (the page,
 * the views' small entry modules the router imports by name, the icons) carries a strong ETag
 * (its SHA-256, computed at build time) and "Cache-Control: no-cache", so a browser
 * revalidates and gets a 304 with no body while the file is unchanged, and sees a new one
 * (naming the new bundle) right after an upgrade. Every file is sent with a strict
 * Content-Security-Policy: only this origin, no inline style, no inline script but the
 * page's one, allowed by its hash.
 *
 * Compression: text files are embedded a second time, gzip -9'd at build time, and sent so
 * to clients that accept gzip (every browser), with "Vary: Accept-Encoding" and an ETag of
 * their own (a strong ETag names one representation). Nothing is compressed at run time.
 *
 * The addresses the API hands out (Status.url /@name/id, Account.url /@name, and a listening
 * alert's /listening/alerts/id in the post that tells it) are the web client's page too:
 * index.html, whose router (js/links.js) turns them into its own routes.
 * The answer is the same whether or not that person or post exists, and whoever asks: the
 * page reads both through the API, with the visitor's token or none, where audience.c decides;
 * an answer here that depended on them would tell a signed-out visitor who exists.
 *
 * This module must never touch the file system or the database.
 */
#include "http/web.h"

#include <string.h>
#include <strings.h>

#define H2O_USE_LIBUV 0
#include <h2o.h>

/* Whether s[0..n) is 1 to max characters, each accepted by ok. */
static bool run_of(const char *s, size_t n, size_t max, int (*ok)(int))
{
    if (n < 1 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!ok((unsigned char)s[i])) return false;
    return true;
}

static int is_username_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* 100 characters of a tag, each up to 3 bytes written "%XX" */
enum { WEB_TAG_PATH_MAX = 900 };

/* A hashtag's name in a path, as an app sends it: letters, digits and '_' in ASCII, '%' for
 * the percent-encoded bytes of any other letter (the client decodes them), up to
 * WEB_TAG_PATH_MAX bytes. */
static int is_tag_path_char(int ch)
{
    return is_username_char(ch) || ch == '%';
}

bool web_is_client_address(const char *path, size_t len)
{
    const char *end = path + len;
    if (len > 6 && !memcmp(path, "/tags/", 6)) /* Tag.url */
        return run_of(path + 6, len - 6, WEB_TAG_PATH_MAX, is_tag_path_char);
    if (len > 18 && !memcmp(path, "/listening/alerts/", 18)) /* the link of a listening alert */
        return run_of(path + 18, len - 18, 19, is_digit);
    if (len < 3 || path[0] != '/' || path[1] != '@') return false;
    const char *name = path + 2;
    const char *slash = memchr(name, '/', (size_t)(end - name));
    if (!slash) return run_of(name, (size_t)(end - name), WEB_USERNAME_MAX, is_username_char);
    if (!run_of(name, (size_t)(slash - name), WEB_USERNAME_MAX, is_username_char)) return false;
    const char *rest = slash + 1;
    if (end - rest > 7 && !memcmp(rest, "tagged/", 7)) /* a FeaturedTag's url */
        return run_of(rest + 7, (size_t)(end - rest - 7), WEB_TAG_PATH_MAX, is_tag_path_char);
    return run_of(rest, (size_t)(end - rest), 19, is_digit);
}

const web_asset *web_asset_find(const char *path, size_t len)
{
    if ((len == 1 && path[0] == '/') || web_is_client_address(path, len)) {
        path = "/index.html";
        len = strlen(path);
    } else if (len == 12 && !memcmp(path, "/favicon.ico", 12)) {
        /* where browsers look for an icon on a page that names none (/health, an API answer
         * opened in a tab): the same picture, as SVG, which they take whatever the name */
        path = "/favicon.svg";
        len = strlen(path);
    }
    for (const web_asset *a = web_assets; a->path; a++)
        if (strlen(a->path) == len && !memcmp(a->path, path, len)) return a;
    return NULL;
}

static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, value,
                          strlen(value));
}

static bool etag_matches(h2o_req_t *req, const char *etag)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    if (i < 0) return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    if (h2o_memis(v.base, v.len, H2O_STRLIT("*"))) return true;
    size_t n = strlen(etag);
    /* a list of tags, possibly weak (W/"..."): a substring match of the quoted tag suffices */
    for (size_t k = 0; k + n <= v.len; k++)
        if (!memcmp(v.base + k, etag, n)) return true;
    return false;
}

/* Whether one element of Accept-Encoding ("gzip", "gzip;q=0.5", " * ;q=0") accepts name. */
static bool token_accepts(const char *t, size_t n, const char *name)
{
    const char *end = t + n;
    while (t < end && (*t == ' ' || *t == '\t')) t++;
    size_t name_len = strlen(name);
    if ((size_t)(end - t) < name_len || strncasecmp(t, name, name_len)) return false;
    const char *p = t + name_len;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p == end) return true;
    if (*p != ';') return false; /* "gzipx" is another coding */
    p++;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') return true;
    p += 2;
    /* q=0, 0., 0.0, 0.00, 0.000 refuse it; any other weight is above zero */
    if (p == end || *p != '0') return true;
    p++;
    if (p < end && *p == '.') p++;
    while (p < end && *p == '0') p++;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    return p < end;
}

bool web_accepts_gzip(const char *value, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || value[i] == ',') {
            if (token_accepts(value + start, i - start, "gzip") ||
                token_accepts(value + start, i - start, "*"))
                return true;
            start = i + 1;
        }
    }
    return false;
}

static bool wants_gzip(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, -1);
    if (i < 0) return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    return web_accepts_gzip(v.base, v.len);
}

bool web_handle(h2o_req_t *req, const char *path, size_t len)
{
    bool is_get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"));
    bool is_head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    if (!is_get && !is_head) return false;
    const web_asset *a = web_asset_find(path, len);
    if (!a) return false;
    bool gz = a->gz && wants_gzip(req);
    const char *etag = gz ? a->gz_etag : a->etag;
    add_header(req, "etag", etag);
    if (a->gz) add_header(req, "vary", "accept-encoding");
    add_header(req, "cache-control",
               a->is_immutable ? "public, max-age=31536000, immutable" : "no-cache");
    add_header(req, "content-security-policy", web_csp);
    add_header(req, "x-content-type-options", "nosniff");
    add_header(req, "referrer-policy", "same-origin");
    if (etag_matches(req, etag)) {
        req->res.status = 304;
        req->res.reason = "Not Modified";
        h2o_send_inline(req, "", 0);
        return true;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    add_header(req, "content-type", a->content_type);
    if (gz) {
        add_header(req, "content-encoding", "gzip");
        h2o_send_inline(req, (const char *)a->gz, a->gz_len);
    } else {
        h2o_send_inline(req, (const char *)a->data, a->len);
    }
    return true;
}
