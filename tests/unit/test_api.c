/*
 * test_api.c — src/api/api.c: the route table (every route names its OAuth scope), matching
 * (404, 405 with Allow, 501), and the percent-decoding of path parameters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "app/auth.h"

/* ------------------------------------------------------------------ the route table */

/* The only routes that check no scope: Mastodon documents them "Public" (or "App token")
 * and asks no scope of a token either. A new one must be added here, on purpose. */
static const char *const scope_none_routes[] = {
    "POST /api/v1/apps",
    "GET /api/v1/apps/verify_credentials", /* "App token": any token, as Mastodon */
    "GET /oauth/authorize",
    "POST /oauth/authorize",
    "POST /oauth/token",
    "POST /oauth/revoke",
    "GET /about",
    "GET /api/v1/instance",
    "GET /api/v2/instance",
    "GET /.well-known/nodeinfo",
    "GET /nodeinfo/2.0",
    "GET /api/v1/streaming/health",
    "GET /api/v1/tags/:name", /* "Public, or User token" */
    "GET /auth/confirmation", /* the e-mailed link: its secret is the credential */
    "GET /api/v1/instance/rules",
    "GET /api/v1/instance/extended_description",
    "GET /api/v1/custom_emojis",
    "GET /avatars/:id/:file", /* pictures: an <img> sends no token (app/avatars.h) */
    "GET /media/:key/:file",  /* files: an <img> sends no token; a signed address or a token
                               decides (app/attachments.h) */
    "GET /headers/:id/:file",
    "GET /api/oembed", /* Public: answers what a signed-out visitor may read */
    "GET /api/v1/directory",
    "GET /api/v1/accounts/:id/featured_tags", /* Mastodon asks no scope */
    NULL,
};

static bool is_listed_scope_none(const api_route *r)
{
    char name[256];
    snprintf(name, sizeof name, "%s %s", api_method_name(r->method), r->pattern);
    for (const char *const *s = scope_none_routes; *s; s++)
        if (!strcmp(*s, name)) return true;
    return false;
}

/* True if every space-separated word of scope is a granular scope Mastodon defines (or
 * `profile` / `push`, which have no parent): a route names the specific scope, never `read`,
 * `write` or `follow`, which would refuse tokens holding only the granular one. */
static bool names_granular_scopes(const char *scope)
{
    char copy[API_SCOPE_MAX];
    snprintf(copy, sizeof copy, "%s", scope);
    int words = 0;
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (!auth_scopes_valid(w)) return false;
        if (!strchr(w, ':') && strcmp(w, "profile") && strcmp(w, "push")) return false;
        words++;
    }
    return words > 0;
}

static void test_every_route_declares_a_known_scope(void **state)
{
    (void)state;
    int n = api_route_count();
    assert_true(n > 100);
    for (int i = 0; i < n; i++) {
        const api_route *r = api_route_at(i);
        const char *scope = r->scope;
        if (!scope[0]) fail_msg("%s %s declares no scope", api_method_name(r->method), r->pattern);
        if (!strcmp(scope, SCOPE_NONE)) {
            if (!is_listed_scope_none(r))
                fail_msg("%s %s has SCOPE_NONE but is not one of the public routes: give it "
                         "the scope docs.joinmastodon.org names",
                         api_method_name(r->method), r->pattern);
            continue;
        }
        if (!names_granular_scopes(scope))
            fail_msg("%s %s: \"%s\" is not a list of granular scopes Mastodon defines",
                     api_method_name(r->method), r->pattern, scope);
        if (r->auth == AUTH_NONE)
            fail_msg("%s %s ignores tokens (AUTH_NONE) but names scope \"%s\"",
                     api_method_name(r->method), r->pattern, scope);
    }
}

static void test_every_listed_public_route_exists_and_checks_no_scope(void **state)
{
    (void)state;
    for (const char *const *s = scope_none_routes; *s; s++) {
        bool found = false;
        for (int i = 0; i < api_route_count() && !found; i++) {
            const api_route *r = api_route_at(i);
            char name[256];
            snprintf(name, sizeof name, "%s %s", api_method_name(r->method), r->pattern);
            found = !strcmp(name, *s) && !strcmp(r->scope, SCOPE_NONE);
        }
        if (!found) fail_msg("%s is listed as public but is not a route with SCOPE_NONE", *s);
    }
}

static void test_every_route_has_one_method_and_a_unique_path(void **state)
{
    (void)state;
    int n = api_route_count();
    for (int i = 0; i < n; i++) {
        const api_route *r = api_route_at(i);
        assert_string_not_equal(api_method_name(r->method), "");
        for (int j = i + 1; j < n; j++) {
            const api_route *q = api_route_at(j);
            if (q->method == r->method && !strcmp(q->pattern, r->pattern))
                fail_msg("%s %s is in the table twice", api_method_name(r->method), r->pattern);
        }
    }
}

static void test_the_routes_of_issue_10_name_their_mastodon_scope(void **state)
{
    (void)state;
    static const struct {
        int method;
        const char *path, *scope;
    } want[] = {
        {M_GET, "/api/v1/statuses/:id", "read:statuses"},
        {M_GET, "/api/v1/statuses/:id/context", "read:statuses"},
        {M_GET, "/api/v1/statuses/:id/history", "read:statuses"},
        {M_GET, "/api/v1/accounts/:id/statuses", "read:statuses"},
        {M_GET, "/api/v1/polls/:id", "read:statuses"},
        {M_GET, "/api/v1/accounts/:id", "read:accounts"},
        {M_GET, "/api/v1/accounts/verify_credentials", "profile"},
        {M_POST, "/api/v1/partyline/channels", "write:accounts"},
    };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const api_route *r = NULL;
        for (int i = 0; i < api_route_count() && !r; i++) {
            const api_route *q = api_route_at(i);
            if (q->method == want[k].method && !strcmp(q->pattern, want[k].path)) r = q;
        }
        assert_non_null(r);
        assert_string_equal(r->scope, want[k].scope);
    }
}

/* ------------------------------------------------------------------ matching */

static void test_a_known_path_with_another_method_reports_its_methods(void **state)
{
    (void)state;
    api_req req = {.method = M_PATCH, .path = "/api/v1/statuses/123"};
    int allowed = -1;
    assert_null(api_match(&req, &allowed));
    assert_int_equal(allowed, M_GET | M_PUT | M_DELETE);

    req = (api_req){.method = M_GET, .path = "/api/v1/nothing/here"};
    assert_null(api_match(&req, &allowed));
    assert_int_equal(allowed, 0);

    req = (api_req){.method = M_GET, .path = "/api/v1/statuses/123"};
    const api_route *r = api_match(&req, &allowed);
    assert_non_null(r);
    assert_string_equal(r->pattern, "/api/v1/statuses/:id");
}

static const char *header(const api_resp *r, const char *name)
{
    for (int i = 0; i < r->n_headers; i++)
        if (!strcmp(r->headers[i].name, name)) return r->headers[i].value;
    return NULL;
}

static void test_no_route_is_404_405_with_allow_or_501_in_json(void **state)
{
    (void)state;
    arena a = ARENA_INIT;
    api_req req = {.method = M_PATCH, .path = "/api/v1/statuses/123"};
    api_resp resp = {0};

    api_no_route(&req, M_GET | M_PUT | M_DELETE, &a, &resp);
    assert_int_equal(resp.status, 405);
    assert_string_equal(header(&resp, "allow"), "GET, HEAD, PUT, DELETE");
    json_t *j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
    assert_non_null(j);
    assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "not allowed"));
    json_decref(j);
    api_resp_free(&resp);

    resp = (api_resp){0};
    api_no_route(&req, 0, &a, &resp);
    assert_int_equal(resp.status, 404);
    assert_null(header(&resp, "allow"));
    api_resp_free(&resp);

    resp = (api_resp){0};
    req.method = 0; /* OPTIONS, TRACE, PROPFIND…: nothing here implements them */
    api_no_route(&req, 0, &a, &resp);
    assert_int_equal(resp.status, 501);
    j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
    assert_non_null(j);
    assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "not implemented"));
    json_decref(j);
    api_resp_free(&resp);
    arena_free(&a);
}

/* ------------------------------------------------------------------ path parameters */

static char seen[64];

static void record_param(api_call *c)
{
    snprintf(seen, sizeof seen, "%s", c->req->params[0]);
    c->resp->status = 200;
}

/* Runs a route that ignores tokens on the raw parameter; returns the status. */
static int run_with_param(const char *raw)
{
    static const api_route r = {M_GET, "/t/:name", record_param, EXEC_READ, AUTH_NONE, SCOPE_NONE};
    arena a = ARENA_INIT;
    app_ctx app = {.a = &a};
    api_req req = {.method = M_GET, .path = "/t/x", .query = "", .n_params = 1};
    req.params[0] = raw;
    api_resp resp = {0};
    seen[0] = '\0';
    api_run(&r, &app, &req, &resp);
    int status = resp.status;
    api_resp_free(&resp);
    arena_free(&a);
    return status;
}

static void test_path_parameters_are_percent_decoded(void **state)
{
    (void)state;
    assert_int_equal(run_with_param("caf%C3%A9"), 200);
    assert_string_equal(seen, "café");
    assert_int_equal(run_with_param("caf%c3%a9/rest"), 200); /* ends at its '/' */
    assert_string_equal(seen, "café");
    assert_int_equal(run_with_param("caf\xc3\xa9"), 200); /* sent raw by some clients */
    assert_string_equal(seen, "café");
    assert_int_equal(run_with_param("a+b%2Bc"), 200); /* '+' is no space in a path */
    assert_string_equal(seen, "a+b+c");
    assert_int_equal(run_with_param("117682977125171200"), 200);
    assert_string_equal(seen, "117682977125171200");
}

static void test_a_malformed_path_parameter_is_400(void **state)
{
    (void)state;
    assert_int_equal(run_with_param("caf%C3"), 400); /* half a character */
    assert_int_equal(run_with_param("%FF%FE"), 400); /* not UTF-8 */
    assert_int_equal(run_with_param("a%00b"), 400);  /* NUL */
    assert_int_equal(run_with_param("a%2"), 400);    /* truncated escape */
    assert_int_equal(run_with_param("a%zzb"), 400);  /* not hex */
    assert_int_equal(run_with_param("%C0%AF"), 400); /* overlong '/' */
    assert_int_equal(run_with_param("\xc3(x"), 400); /* raw invalid UTF-8 */
    assert_string_equal(seen, "");                   /* the handler never ran */
}

/* A read route that may be expensive runs inline unless its query asks a deep page or a long
 * window (api_exec_for); other routes run where they say. */
static void test_deep_pages_and_long_windows_run_on_the_workers(void **state)
{
    (void)state;
    static const api_route maybe = {M_GET,     "/t",      record_param, EXEC_READ_OR_SLOW,
                                    AUTH_NONE, SCOPE_NONE};
    static const api_route read = {M_GET, "/r", record_param, EXEC_READ, AUTH_NONE, SCOPE_NONE};
    static const struct {
        const char *query;
        enum api_exec want;
    } cases[] = {
        {"", EXEC_READ},
        {"q=x&offset=39", EXEC_READ},
        {"offset=40", EXEC_SLOW},
        {"q=x&offset=400&limit=2", EXEC_SLOW},
        {"offset=99999999999999", EXEC_SLOW},
        {"offset=-5", EXEC_READ},   /* malformed: the handler answers 422 */
        {"offset=4x0", EXEC_READ},  /* the same */
        {"xoffset=400", EXEC_READ}, /* another parameter */
        {"window=24h", EXEC_READ},
        {"feed=public&window=7d", EXEC_SLOW},
        {"window=30d&offset=0", EXEC_SLOW},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        api_req req = {.method = M_GET, .path = "/t", .query = cases[i].query};
        assert_int_equal(api_exec_for(&maybe, &req, 40), cases[i].want);
        assert_int_equal(api_exec_for(&read, &req, 40), EXEC_READ);
    }
}

/* The writers' answers when a transaction fails: whatever a handler wrote is replaced. */
static void test_busy_and_internal_error_replace_the_answer(void **state)
{
    (void)state;
    api_resp resp = {.status = 200, .content_type = "text/html"};
    api_header_add(&resp, "location", "/somewhere");
    buf_puts(&resp.body, "<p>half an answer</p>");
    api_resp_busy(&resp);
    assert_int_equal(resp.status, 503);
    assert_int_equal(resp.n_headers, 0);
    assert_null(resp.content_type);
    assert_string_equal(resp.body.data, "{\"error\":\"The database is busy; try again\"}");
    api_resp_internal_error(&resp);
    assert_int_equal(resp.status, 500);
    assert_string_equal(resp.body.data, "{\"error\":\"Internal server error\"}");
    api_resp_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_declares_a_known_scope),
        cmocka_unit_test(test_every_listed_public_route_exists_and_checks_no_scope),
        cmocka_unit_test(test_every_route_has_one_method_and_a_unique_path),
        cmocka_unit_test(test_the_routes_of_issue_10_name_their_mastodon_scope),
        cmocka_unit_test(test_a_known_path_with_another_method_reports_its_methods),
        cmocka_unit_test(test_no_route_is_404_405_with_allow_or_501_in_json),
        cmocka_unit_test(test_path_parameters_are_percent_decoded),
        cmocka_unit_test(test_a_malformed_path_parameter_is_400),
        cmocka_unit_test(test_deep_pages_and_long_windows_run_on_the_workers),
        cmocka_unit_test(test_busy_and_internal_error_replace_the_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
