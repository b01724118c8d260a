/*
 * web.h — the browser client's static files (web/, built by scripts/build-web.mjs), embedded
 * into the binary at build time by scripts/embed-web.sh, and served by the http layer at / .
 */
#ifndef PL_HTTP_WEB_H
#define PL_HTTP_WEB_H

#include <stdbool.h>
#include <stddef.h>

/**
 * One embedded file: its URL path ("/js/app-7KX2LQ3M.js"), content type, quoted strong ETag,
 * its bytes, for text files their gzip -9 form with an ETag of its own (gz NULL when the file
 * is not text or gzip would not make it smaller), and whether its name carries its content's
 * hash (is_immutable: a new build gives it a new name, so browsers may keep it for good).
 */
typedef struct web_asset {
    const char *path;
    const char *content_type;
    const char *etag;
    const unsigned char *data;
    size_t len;
    const unsigned char *gz;
    size_t gz_len;
    const char *gz_etag;
    bool is_immutable;
} web_asset;

/** The generated table (build/gen/web_assets.c), ended by an entry whose path is NULL. */
extern const web_asset web_assets[];

/**
 * The Content-Security-Policy every web client file is served with (generated with the table):
 * only this origin, no inline style, and no inline script but index.html's one, named by its
 * SHA-256 (computed at build time by scripts/build-web.mjs).
 */
extern const char web_csp[];

/** The longest username (app/accounts.c accepts 1 to 30 of A-Z, a-z, 0-9 and _). */
#define WEB_USERNAME_MAX 30

/**
 * Whether a URL path (without its query) is one of the addresses the API hands out for the
 * web client to show: "/@name" (Account.url), "/@name/id" (Status.url), "/tags/tag" (Tag.url)
 * or "/@name/tagged/tag" (FeaturedTag.url), with a name that could be a username, an id of 1
 * to 19 digits and a tag of letters, digits, '_' and percent-encoded bytes. Nothing is looked
 * up.
 */
bool web_is_client_address(const char *path, size_t len);

/**
 * The embedded file for a URL path (without its query), or NULL. "/" and the client's
 * addresses (web_is_client_address) are index.html. Otherwise only an exact match of a path
 * in the table is found: nothing is read from the file system, so no path ("/../", "%2e%2e",
 * "//etc/passwd") can reach a file that was not embedded.
 */
const web_asset *web_asset_find(const char *path, size_t len);

struct st_h2o_req_t;

/**
 * Whether an Accept-Encoding value accepts gzip: the token gzip (or *) with no q=0.
 */
bool web_accepts_gzip(const char *value, size_t len);

/**
 * Answers a GET or HEAD for an embedded file (200, or 304 when If-None-Match names its
 * ETag) and returns true; returns false, sending nothing, for any other method or path.
 * The gzip form is sent to clients that accept it (Content-Encoding: gzip, Vary).
 */
bool web_handle(struct st_h2o_req_t *req, const char *path, size_t len);

#endif
