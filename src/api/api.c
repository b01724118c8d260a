/*
 * api.c — routing, authentication, and the one place where app errors become HTTP.
 *
 * Routes live in per-resource tables (one per file in api/mastodon); matching walks them comparing
 * path segments, with ":name" segments captured as parameters. There are ~100 routes and
 * a match costs well under a microsecond, so no trie is needed yet.
 *
 * Matching compares the raw path, so a literal segment never matches an encoded spelling of
 * itself; captured parameters are percent-decoded afterwards (a hashtag arrives as
 * "caf%C3%A9"). Every route names its OAuth scope (api.h: SCOPE_NONE for the few that check
 * none), and the scope is checked whenever a token is sent, as Mastodon does.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"
#include "util/text.h"

static const api_route *const tables[] = {
    api_routes_apps,
    api_routes_oauth,
    api_routes_search,   /* before accounts: /api/v1/accounts/search is not an :id */
    api_routes_discover, /* before accounts, for /api/v1/accounts/familiar_followers */
    api_routes_featured_tags,
    api_routes_accounts,
    api_routes_statuses,
    api_routes_scheduled_statuses,
    api_routes_timelines,
    api_routes_notification_policy, /* before notifications: requests is not an :id */
    api_routes_notifications_v2,    /* unread_count before :group_key, and v1's before :id */
    api_routes_notifications,
    api_routes_instance,
    api_routes_landing,
    api_routes_oembed,
    api_routes_lists,
    api_routes_follow_requests,
    api_routes_channels,
    api_routes_polls,
    api_routes_streaming,
    api_routes_conversations, /* and /api/v1/partyline/unread */
    api_routes_partyline_lists,
    api_routes_filters,
    api_routes_filters_v1,
    api_routes_tags,
    api_routes_top,
    api_routes_trends,
    api_routes_catchup,        /* top feeds, trends and catch-up: docs/api.md */
    api_routes_emails,         /* and the confirmation link, /auth/confirmation */
    api_routes_announcements,  /* and the administrators' /api/v1/partyline/admin/announcements */
    api_routes_avatars,        /* /avatars and /headers: the accounts' pictures */
    api_routes_media,          /* /api/v1|v2/media and the files, /media/:key/:file */
    api_routes_sessions,       /* /api/v1/partyline/sessions and /password: one's own */
    api_routes_audit,          /* /api/v1/partyline/admin/audit: the audit log */
    api_routes_reports,        /* /api/v1/reports and the moderators' /api/v1/admin/reports */
    api_routes_admin_accounts, /* /api/v1|v2/admin/accounts and our role route */
    api_routes_offboard,       /* /api/v1/partyline/admin/accounts/:id/offboard */
    api_routes_exports,        /* /api/v1/partyline/archives and /admin/exports */
    api_routes_retention,      /* /api/v1/partyline/admin/retention, holds, statuses_cleanup */
    api_routes_influence,      /* /api/v1/partyline/influence and /admin/influence */
    api_routes_feed_sources,   /* /api/v1/partyline/admin/feeds: listening's RSS and Atom */
    api_routes_tickets,        /* /api/v1/partyline/tickets and /admin/service_team */
    api_routes_watches,        /* /api/v1/partyline/watches: listening's watches */
    NULL,
};

/* Compares a pattern against a path; captures ":x" segments. Slashes at the end of the path
 * are ignored, as Rails ignores them (Mastodon.py asks /api/v1/instance/ for the version). */
static bool match_path(const char *pat, const char *path, api_req *req)
{
    int n = 0;
    while (*pat && *path) {
        if (*pat == ':') {
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            if (len == 0 || n >= API_MAX_PARAMS) return false;
            req->params[n++] = path; /* terminated later */
            while (*pat && *pat != '/') pat++;
            path += len;
            continue;
        }
        if (*pat != *path) return false;
        pat++;
        path++;
    }
    while (*path == '/' && !*pat) path++;
    if (*pat || *path) return false;
    req->n_params = n;
    return true;
}

/* The raw value of the query parameter name (up to '&'), into out; false if absent. */
static bool query_value(const char *q, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = q; p && *p; p = strchr(p, '&'), p = p ? p + 1 : NULL) {
        if (strncmp(p, name, n) || p[n] != '=') continue;
        const char *v = p + n + 1;
        size_t len = strcspn(v, "&");
        if (len >= cap) len = cap - 1;
        memcpy(out, v, len);
        out[len] = '\0';
        return true;
    }
    return false;
}

enum api_exec api_exec_for(const api_route *r, const api_req *req, int deep_offset)
{
    if (r->exec != EXEC_READ_OR_SLOW) return r->exec;
    char v[32];
    /* a malformed value is answered 422 by the handler, cheaply, on the loop */
    if (query_value(req->query, "offset", v, sizeof v) && v[strspn(v, "0123456789")] == '\0' &&
        *v && (strlen(v) > 9 || atoi(v) >= deep_offset))
        return EXEC_SLOW;
    if (query_value(req->query, "window", v, sizeof v) && strcmp(v, "24h")) return EXEC_SLOW;
    return EXEC_READ;
}

const api_route *api_match(api_req *req, int *allowed)
{
    *allowed = 0;
    for (int t = 0; tables[t]; t++)
        for (const api_route *r = tables[t]; r->pattern; r++) {
            if (!match_path(r->pattern, req->path, req)) continue;
            if (!(r->method & req->method)) {
                *allowed |= r->method;
                continue;
            }
            return r;
        }
    return NULL;
}

const char *api_method_name(int method)
{
    switch (method) {
    case M_GET: return "GET";
    case M_POST: return "POST";
    case M_PUT: return "PUT";
    case M_PATCH: return "PATCH";
    case M_DELETE: return "DELETE";
    default: return "";
    }
}

static void source_drop(api_resp *r);

static void resp_replace(api_resp *r, int status, const char *body)
{
    source_drop(r);
    buf_reset(&r->body);
    r->status = status;
    r->n_headers = 0;
    r->content_type = NULL;
    buf_puts(&r->body, body);
}

void api_resp_busy(api_resp *r)
{
    resp_replace(r, 503, "{\"error\":\"The database is busy; try again\"}");
}

void api_resp_internal_error(api_resp *r)
{
    resp_replace(r, 500, "{\"error\":\"Internal server error\"}");
}

void api_token_hash(const char *token, char out[65])
{
    auth_secret_hash(token, out);
}

bool api_token_owner(app_ctx *c, const char *token, int64_t *key_id, bool *app_only)
{
    pl_token tok;
    const pl_account *acc;
    if (auth_authenticate(c, token, &tok, &acc) != PL_OK) return false;
    *app_only = !acc;
    *key_id = acc ? acc->id : tok.id;
    return true;
}

void api_no_route(const api_req *req, int allowed, arena *a, api_resp *resp)
{
    const char *msg = "Not found";
    resp->status = 404;
    if (!req->method) {
        resp->status = 501;
        msg = "This method is not implemented: the server answers GET, HEAD, POST, PUT, PATCH "
              "and DELETE";
    } else if (allowed) {
        /* RFC 9110 §15.5.6: a 405 says which methods the resource has */
        char allow[64] = "";
        for (int m = M_GET; m <= M_DELETE; m <<= 1) {
            if (!(allowed & m)) continue;
            size_t n = strlen(allow);
            snprintf(allow + n, sizeof allow - n, "%s%s%s", n ? ", " : "", api_method_name(m),
                     m == M_GET ? ", HEAD" : "");
        }
        resp->status = 405;
        msg = "This method is not allowed here: see the Allow header";
        api_header_add(resp, "allow", arena_strdup(a, allow));
    }
    resp->content_type = NULL;
    buf_reset(&resp->body);
    jw w;
    jw_init(&w, &resp->body);
    jw_obj(&w);
    jw_kstr(&w, "error", msg);
    jw_obj_end(&w);
}

int api_route_count(void)
{
    int n = 0;
    for (int t = 0; tables[t]; t++)
        for (const api_route *r = tables[t]; r->pattern; r++) n++;
    return n;
}

const api_route *api_route_at(int i)
{
    for (int t = 0; tables[t]; t++)
        for (const api_route *r = tables[t]; r->pattern; r++)
            if (i-- == 0) return r;
    return NULL;
}

int api_route_index(const api_route *r)
{
    int i = 0;
    for (int t = 0; tables[t]; t++)
        for (const api_route *x = tables[t]; x->pattern; x++, i++)
            if (x == r) return i;
    return -1;
}

void api_header_add(api_resp *r, const char *name, const char *value)
{
    if (r->n_headers < API_MAX_HEADERS) r->headers[r->n_headers++] = (api_header){name, value};
}

static void source_drop(api_resp *r)
{
    if (r->source.close) r->source.close(r->source.ctx);
    r->source = (api_source){0};
}

void api_resp_free(api_resp *r)
{
    source_drop(r);
    buf_free(&r->body);
}

bool api_etag_matches(api_call *c, const char *etag)
{
    const char *h = c->req->if_none_match;
    if (!h || !etag || !*etag) return false;
    if (!strcmp(h, "*")) return true;
    /* a list of tags, each possibly weak (W/"..."): the quoted tag appearing is a match */
    return strstr(h, etag) != NULL;
}

void api_json(api_call *c, jw *w)
{
    c->resp->status = 200;
    buf_reset(&c->resp->body);
    buf_reserve(&c->resp->body, 16384);
    c->memo = NULL; /* a new body: offsets of an earlier one mean nothing */
    jw_init(w, &c->resp->body);
}

void api_error(api_call *c, int status, const char *msg)
{
    c->resp->status = status;
    c->resp->content_type = NULL;
    buf_reset(&c->resp->body);
    jw w;
    jw_init(&w, &c->resp->body);
    jw_obj(&w);
    jw_kstr(&w, "error", msg);
    if (c->app->errcode && c->app->errmsg) jw_kstr(&w, "error_description", c->app->errmsg);
    if (c->app->errfield && c->app->errkey) {
        jw_key(&w, "details");
        jw_obj(&w);
        jw_key(&w, c->app->errfield);
        jw_arr(&w);
        jw_obj(&w);
        jw_kstr(&w, "error", c->app->errkey);
        const char *desc = c->app->errmsg ? c->app->errmsg : "";
        if (!strncmp(desc, "Validation failed: ", 19)) desc += 19;
        jw_kstr(&w, "description", desc);
        jw_obj_end(&w);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
}

void api_to_worker(api_call *c)
{
    api_resp *r = c->resp;
    r->status = 0;
    r->content_type = NULL;
    r->n_headers = 0;
    buf_reset(&r->body);
    source_drop(r);
    r->to_worker = true;
}

int64_t api_body_limit(const api_route *r, const char *content_type, const pl_config *cfg)
{
    /* the file, and room for the multipart envelope and the other fields (alt text, focus) */
    if (r == API_ANY_ROUTE || (r && api_route_takes_file(r))) {
        int64_t file = cfg->media_file_max_bytes > cfg->media_picture_max_bytes
                           ? cfg->media_file_max_bytes
                           : cfg->media_picture_max_bytes;
        int64_t room = file + (64 << 10);
        if (r == API_ANY_ROUTE && room < 2 * (int64_t)cfg->avatar_max_bytes + (64 << 10))
            room = 2 * (int64_t)cfg->avatar_max_bytes + (64 << 10);
        return room > cfg->max_body_bytes ? room : cfg->max_body_bytes;
    }
    /* an avatar and a header, and the profile's fields: sent as multipart only */
    if (api_route_takes_pictures(r) && content_type &&
        !strncasecmp(content_type, "multipart/form-data", strlen("multipart/form-data"))) {
        int64_t room = 2 * (int64_t)cfg->avatar_max_bytes + (64 << 10);
        return room > cfg->max_body_bytes ? room : cfg->max_body_bytes;
    }
    return cfg->max_body_bytes;
}

void api_fail_rc(api_call *c, int rc)
{
    const char *msg = c->app->errmsg;
    int status;
    switch (rc) {
    case PL_ENOTFOUND:
        status = 404;
        msg = msg ? msg : "Record not found";
        break;
    case PL_EFORBIDDEN:
        status = 403;
        msg = msg ? msg : "This action is not allowed";
        break;
    case PL_EINVAL:
        status = 422;
        msg = msg ? msg : "Validation failed";
        break;
    case PL_ECONFLICT:
        status = 422;
        msg = msg ? msg : "Validation failed: already exists";
        break;
    case PL_EAUTH:
        status = 401;
        msg = msg ? msg : "The access token is invalid";
        break;
    case PL_ELIMIT:
        status = 422;
        msg = msg ? msg : "A limit was exceeded";
        break;
    case PL_ERATE:
        status = 429;
        msg = msg ? msg : "Too many requests";
        break;
    case PL_EBADREQ:
        status = 400;
        msg = msg ? msg : "Bad request";
        break;
    case PL_ENOSPACE:
        status = 507;
        msg = msg ? msg : "The server's storage is full";
        break;
    default:
        status = 500;
        msg = "Internal server error";
        break;
    }
    /* OAuth endpoints answer with the RFC 6749 error code as "error" */
    if (c->app->errcode) {
        const char *desc = msg;
        c->app->errmsg = desc;
        /* RFC 6749 §5.2: 401 for a failed client authentication, 403 for a refused
         * revocation, 400 for everything else */
        if (!strcmp(c->app->errcode, "invalid_client"))
            status = 401;
        else if (status != 403 && status < 500)
            status = 400;
        api_error(c, status, c->app->errcode);
        return;
    }
    api_error(c, status, msg);
}

static const char *bearer(const char *h)
{
    if (!h) return NULL;
    if (strncasecmp(h, "Bearer ", 7)) return "";
    h += 7;
    while (*h == ' ') h++;
    return h;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* The n bytes at raw percent-decoded (RFC 3986; '+' stays '+' in a path), in the arena; NULL
 * when a '%' is not followed by two hex digits, a byte decodes to NUL, or the result is not
 * UTF-8. */
static char *path_param_decode(arena *a, const char *raw, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] != '%') {
            out[len++] = raw[i];
            continue;
        }
        if (i + 2 >= n) return NULL;
        int hi = hex_digit(raw[i + 1]), lo = hex_digit(raw[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return NULL;
        out[len++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[len] = '\0';
    return text_is_valid_utf8(out, len) ? out : NULL;
}

void api_run(const api_route *r, app_ctx *app, api_req *req, api_resp *resp)
{
    api_call c = {.app = app, .req = req, .resp = resp};
    resp->status = 200;
    app->ip = req->ip;
    /* captured path parameters end at their '/'; a hashtag comes percent-encoded */
    for (int i = 0; i < req->n_params; i++) {
        size_t n = strcspn(req->params[i], "/");
        req->params[i] = path_param_decode(app->a, req->params[i], n);
        if (!req->params[i]) {
            api_error(&c, 400,
                      "A path parameter is malformed: it must be percent-encoded UTF-8 "
                      "without %00");
            return;
        }
    }
    const char *tok = r->auth == AUTH_NONE ? NULL : bearer(req->authorization);
    if (tok) {
        int rc = auth_authenticate(app, tok, &c.token, &c.viewer);
        /* an address awaiting confirmation opens only the routes made for it */
        if (rc == PL_EFORBIDDEN && c.viewer && c.viewer->is_unconfirmed &&
            r->auth == AUTH_UNCONFIRMED) {
            rc = PL_OK;
            app->errmsg = NULL;
        }
        if (rc) {
            api_fail_rc(&c, rc);
            return;
        }
        c.has_token = true;
        if (c.viewer) app->viewer_id = c.viewer->id;
    }
    if (((r->auth == AUTH_USER || r->auth == AUTH_UNCONFIRMED) && !c.viewer) ||
        (r->auth == AUTH_APP && !c.has_token)) {
        /* Mastodon: no token is 401; an app-only token on a user's method is 422 */
        api_error(&c, c.has_token ? 422 : 401,
                  c.has_token ? "This method requires an authenticated user"
                              : "The access token is invalid");
        return;
    }
    if (c.has_token && strcmp(r->scope, SCOPE_NONE) &&
        !auth_scope_allows(c.token.scopes, r->scope)) {
        api_error(&c, 403, "This action is outside the authorized scopes");
        return;
    }
    if (api_parse_params(&c) != PL_OK) {
        api_fail_rc(&c, PL_EBADREQ);
        if (c.in) json_decref(c.in);
        return;
    }
    r->fn(&c);
    if (c.in) json_decref(c.in);
}
