/*
 * fuzz_route.c — libFuzzer harness for request routing in src/api/api.c: api_match() over
 * an arbitrary method and path, and api_no_route() for what matches nothing.
 *
 * Input layout: byte 0 picks the method (one of the five, or 0: a method the server does not
 * implement); the rest is the path (cut at the first NUL, as the server's C string is).
 * Properties checked (abort() on violation, which libFuzzer reports):
 *   - a matched route has the request's method, and as many parameters as its pattern has
 *     ":name" segments, each a non-empty run of the path without '/', in order;
 *   - the path rebuilt from the pattern with those parameters is the path itself, less the
 *     slashes it ends with (so matching is exact but for trailing slashes, which Rails
 *     ignores: no prefix, no skipped segment);
 *   - matching is deterministic: the same request matches the same route again;
 *   - no match gives 404, 405 (then with an Allow header naming only methods the path has,
 *     never the request's own) or 501 (only for the unimplemented method), each with a JSON
 *     body {"error": "..."} that jansson parses.
 * ASan/UBSan catch memory errors.
 *
 * `make test-fuzz` runs it for a fixed time on tests/fuzz/corpus/route/; to run it longer:
 *   make build-fuzz/fuzz_route && build-fuzz/fuzz_route -max_total_time=600 tests/fuzz/corpus/route
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/arena.h"

static const int methods[] = {0, M_GET, M_POST, M_PUT, M_PATCH, M_DELETE};

static void check_match(const api_route *r, const api_req *req)
{
    if (!(r->method & req->method)) abort();
    /* rebuild the path from the pattern and the captured parameters */
    char rebuilt[8192];
    size_t len = 0;
    int k = 0;
    for (const char *p = r->pattern; *p;) {
        if (*p == ':') {
            if (k >= req->n_params) abort();
            const char *v = req->params[k++];
            size_t n = strcspn(v, "/");
            if (n == 0 || len + n >= sizeof rebuilt) abort();
            memcpy(rebuilt + len, v, n);
            len += n;
            while (*p && *p != '/') p++;
            continue;
        }
        if (len + 1 >= sizeof rebuilt) abort();
        rebuilt[len++] = *p++;
    }
    rebuilt[len] = '\0';
    size_t plen = strlen(req->path);
    while (plen > len && req->path[plen - 1] == '/') plen--;
    if (k != req->n_params || plen != len || memcmp(rebuilt, req->path, len)) abort();
}

static void check_no_route(const api_req *req, int allowed)
{
    arena a = ARENA_INIT;
    api_resp resp = {0};
    api_no_route(req, allowed, &a, &resp);
    if (!req->method) {
        if (resp.status != 501) abort();
    } else if (allowed) {
        if (resp.status != 405 || (allowed & req->method)) abort();
        const char *allow = NULL;
        for (int i = 0; i < resp.n_headers; i++)
            if (!strcmp(resp.headers[i].name, "allow")) allow = resp.headers[i].value;
        if (!allow || !*allow) abort();
        for (int m = M_GET; m <= M_DELETE; m <<= 1)
            if (strstr(allow, api_method_name(m)) && !(allowed & m)) abort();
    } else if (resp.status != 404) {
        abort();
    }
    json_error_t err;
    json_t *body = json_loadb(resp.body.data, resp.body.len, 0, &err);
    if (!body || !json_is_string(json_object_get(body, "error"))) abort();
    json_decref(body);
    api_resp_free(&resp);
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    char path[4097];
    size_t n = size - 1;
    memcpy(path, data + 1, n);
    path[n] = '\0'; /* the path ends at its first NUL, as a C string */
    api_req req = {.method = methods[data[0] % 6], .path = path, .query = ""};
    int allowed = 0;
    const api_route *r = req.method ? api_match(&req, &allowed) : NULL;
    if (r) {
        check_match(r, &req);
        api_req again = {.method = req.method, .path = path, .query = ""};
        int allowed2 = 0;
        if (api_match(&again, &allowed2) != r || again.n_params != req.n_params) abort();
    } else {
        check_no_route(&req, allowed);
    }
    return 0;
}
