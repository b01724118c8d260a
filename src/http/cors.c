/*
 * cors.c — CORS for browser apps of other origins, as Mastodon answers them (rack-cors with
 * config/initializers/cors.rb; read there, not copied).
 *
 * The rules are a short table of path prefixes, each with its methods; the API's answers also
 * expose the headers apps page and pace by (Link, X-RateLimit-*). Any origin is allowed and no
 * credentials: a token is sent in the Authorization header, which a page of another origin
 * can only send if it holds the token already, so letting it read the answer gives it nothing
 * it could not ask for itself. Cookies are never involved, which is why "*" is safe here and
 * would not be on the sign-in form (a session) — that path, like the web client, gets no CORS.
 *
 * The headers are added by an h2o filter rather than by each answer's writer, so that every
 * answer on these paths carries them — errors, 429s, h2o's own 413 — and a browser app can
 * read why it was refused. A preflight is answered before routing, on every path, like
 * rack-cors: 200 and empty, with the headers only where the rule allows the method.
 */
#include "http/cors.h"

#include <string.h>
#include <strings.h>

/* rack-cors's default max_age: how long a browser may keep a preflight's answer */
#define CORS_MAX_AGE "7200"

struct cors_rule {
    const char *prefix; /* the path, or its start when it ends with '/' */
    const char *methods;
    const char *expose; /* NULL: none */
};

static const struct cors_rule rules[] = {
    {"/api/", "POST, PUT, DELETE, GET, PATCH, OPTIONS",
     "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id"},
    {"/oauth/token", "POST", NULL},
    {"/oauth/revoke", "POST", NULL},
    {"/.well-known/", "GET", NULL},
    {"/nodeinfo/", "GET", NULL},
};

/* The rule for a path (without its query), or NULL: the path answers no other origin. */
static const struct cors_rule *rule_for(const char *path, size_t plen)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const char *p = rules[i].prefix;
        size_t n = strlen(p);
        bool is_prefix = p[n - 1] == '/';
        if (plen < n || memcmp(path, p, n)) continue;
        /* "/oauth/token" and "/oauth/token/", not "/oauth/tokens" */
        if (is_prefix || plen == n || (plen == n + 1 && path[n] == '/')) return &rules[i];
    }
    return NULL;
}

/* The request header name (lower case), in *out when out is not NULL; false if absent. */
static bool has_header(h2o_req_t *req, const char *name, h2o_iovec_t *out)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0) return false;
    if (out) *out = req->headers.entries[i].value;
    return true;
}

static void add(h2o_req_t *req, const char *name, const char *v)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, v, strlen(v));
}

/* The headers of an allowed request (rack-cors's, for a public resource). */
static void add_cors_headers(h2o_req_t *req, const struct cors_rule *r)
{
    add(req, "access-control-allow-origin", "*");
    add(req, "access-control-allow-methods", r->methods);
    if (r->expose) add(req, "access-control-expose-headers", r->expose);
    add(req, "access-control-max-age", CORS_MAX_AGE);
}

/* Is method (as the preflight names it) one of the rule's? */
static bool allows(const struct cors_rule *r, h2o_iovec_t method)
{
    for (const char *p = r->methods; *p;) {
        size_t n = strcspn(p, ",");
        if (n == method.len && !strncasecmp(p, method.base, n)) return true;
        p += n;
        while (*p == ',' || *p == ' ') p++;
    }
    return false;
}

bool cors_preflight(h2o_req_t *req, const char *path, size_t plen)
{
    h2o_iovec_t method;
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("OPTIONS")) ||
        !has_header(req, "origin", NULL) ||
        !has_header(req, "access-control-request-method", &method))
        return false;
    const struct cors_rule *r = rule_for(path, plen);
    h2o_iovec_t asked;
    if (r && allows(r, method)) {
        add_cors_headers(req, r);
        /* any header may be sent (Authorization, Content-Type, Idempotency-Key) */
        if (has_header(req, "access-control-request-headers", &asked))
            h2o_add_header_by_str(&req->pool, &req->res.headers,
                                  H2O_STRLIT("access-control-allow-headers"), 0, NULL, asked.base,
                                  asked.len);
    }
    add(req, "vary", "Origin");
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = 0;
    h2o_send_inline(req, "", 0);
    return true;
}

static void cors_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    const struct cors_rule *r = rule_for(req->path.base, plen);
    /* a preflight has its headers already */
    bool is_preflight = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("OPTIONS"));
    if (r && !is_preflight) {
        /* the answer differs with the Origin: shared caches must keep them apart */
        add(req, "vary", "Origin");
        if (has_header(req, "origin", NULL)) add_cors_headers(req, r);
    }
    h2o_setup_next_ostream(req, slot);
}

void cors_register(h2o_pathconf_t *path)
{
    h2o_create_filter(path, sizeof(h2o_filter_t))->on_setup_ostream = cors_setup;
}
