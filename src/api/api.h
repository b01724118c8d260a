/**
 * api.h — the public API, independent of the HTTP library.
 *
 * src/http turns an HTTP request into an api_req, asks api_match() which route it is (and
 * so on which thread it must run: an event loop for reads, the writer for writes, a worker
 * for slow work), then calls api_run() there, and sends the api_resp back. Handlers see an
 * api_call: the request, the response being built, the app context and the signed-in viewer.
 * Only this layer knows HTTP status codes; app errors are mapped in api_fail_rc().
 */
#ifndef PL_API_H
#define PL_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/json.h"
#include "app/app.h"
#include "util/buf.h"

/** The methods routes answer (a bit each). HEAD is served as GET; any other method is 501. */
enum api_method { M_GET = 1, M_POST = 2, M_PUT = 4, M_PATCH = 8, M_DELETE = 16 };

/** Where a route runs. */
enum api_exec {
    EXEC_READ,  /**< inline on the event loop, read-only connection */
    EXEC_WRITE, /**< on the writer thread, inside a (group-committed) transaction */
    EXEC_SLOW,  /**< on a worker thread with its own connection and transactions */
    /** A read that is EXEC_READ unless its parameters make it expensive (api_exec_for): then
     *  EXEC_SLOW, so that a deep page or a long window cannot stall an event loop. */
    EXEC_READ_OR_SLOW,
};

/** Who may call a route. */
enum api_auth {
    AUTH_NONE,        /**< anyone; a token is ignored */
    AUTH_OPTIONAL,    /**< anyone; a valid token makes a viewer, a bad one is 401 */
    AUTH_APP,         /**< any valid token, app-only tokens included */
    AUTH_USER,        /**< a token of a signed-in user */
    AUTH_UNCONFIRMED, /**< like AUTH_USER, and also a user whose e-mail address awaits
                           confirmation (everywhere else such a token is 403) */
};

enum { API_MAX_PARAMS = 4, API_MAX_HEADERS = 12 };

typedef struct api_req {
    int method;
    const char *path;  /**< without the query string */
    const char *query; /**< raw query string without '?', "" if none */
    const char *body;
    size_t body_len;
    const char *content_type;  /**< NULL if absent */
    const char *authorization; /**< the Authorization header, NULL if absent */
    const char *idempotency_key;
    const char *if_none_match; /**< the If-None-Match header, NULL if absent */
    const char *range;         /**< the Range header, NULL if absent */
    const char *ip;
    const char *params[API_MAX_PARAMS]; /**< path parameters, in pattern order */
    int n_params;
} api_req;

typedef struct api_header {
    const char *name, *value;
} api_header;

/**
 * A body the transport pulls piece by piece instead of holding it whole (a big file): it
 * sends `length` bytes, calling pull for the next piece only once the client took the last
 * one, so a response holds a piece or two in memory however large it is. pull runs on a
 * worker thread, with an app context on that thread's own connection (the piece may come
 * from the database); it appends between 1 and the bytes still due to out and returns PL_OK,
 * or an error (the transport then cuts the response short: its status is sent already).
 * close is called once, on any thread, when the body was sent, the client went away, or the
 * answer is dropped unsent (api_resp_free); it may be NULL.
 */
typedef struct api_source {
    int (*pull)(void *ctx, app_ctx *app, buf *out);
    void (*close)(void *ctx);
    void *ctx;
    int64_t length;
} api_source;

typedef struct api_resp {
    int status;
    const char *content_type; /**< default "application/json; charset=utf-8" */
    buf body;
    api_header headers[API_MAX_HEADERS];
    int n_headers;
    /** Set by api_to_worker: the read, run inline on an event loop, met slow work; the
     *  transport runs it again on a worker, and answers with what that run writes. */
    bool to_worker;
    /** Set (pull not NULL) when the body is pulled rather than in `body`: see api_source. */
    api_source source;
} api_resp;

/** A file part of a multipart body (params.c). Its bytes point into the request's body: binary,
 *  not NUL-terminated, as long-lived as the request. */
typedef struct api_file {
    const char *field;        /**< the part's name ("file") */
    const char *filename;     /**< the client's file name, last path segment, control
                                   characters dropped, at most 255 bytes; "" if none */
    const char *content_type; /**< as the client said (never trusted); "" if none */
    const void *data;
    size_t len;
} api_file;

/** File parts a request may carry (the media routes take one). */
enum { API_MAX_FILES = 2 };

typedef struct api_call {
    app_ctx *app;
    api_req *req;
    api_resp *resp;
    const pl_account *viewer; /**< NULL when signed out or an app-only token */
    pl_token token;
    bool has_token;
    json_t *in;            /**< parsed parameters (query + body), owned by the call */
    struct ent_memo *memo; /**< entities already written in this response (entities.c) */
    /** Whom file addresses are signed for when viewer is NULL (a stream's subscriber; 0:
     *  signed out), and how many were written (entities.c: ent_attachment). */
    int64_t media_viewer;
    int media_written;
    api_file files[API_MAX_FILES]; /**< the multipart body's file parts (params.c) */
    int n_files;
} api_call;

typedef void (*api_handler)(api_call *c);

/** Room for a route's scope text, its terminating NUL included. */
enum { API_SCOPE_MAX = 64 };

/**
 * The scope of a route that checks none: docs.joinmastodon.org says "Public" (and Mastodon's
 * controller asks no scope even of a token that is sent), or "App token" with no scope. Only
 * routes that show nothing a signed-out visitor could not see, or nothing but the token's own
 * app, may have it; test_api.c lists them.
 */
#define SCOPE_NONE "none"

typedef struct api_route {
    int method;          /**< one M_* bit */
    const char *pattern; /**< "/api/v1/statuses/:id/favourite" */
    api_handler fn;
    enum api_exec exec;
    enum api_auth auth;
    /**
     * The OAuth scope a token must carry to call the route, exactly as the endpoint's page on
     * docs.joinmastodon.org names it ("read:statuses"); several separated by spaces when all
     * are needed; or SCOPE_NONE. Checked whenever a token is sent, also on routes signed-out
     * visitors may call (Mastodon's authorize_if_got_token!), with auth_scope_allows. An
     * array, not a pointer, so that a route written with NULL, or without a scope, does not
     * compile; test_api.c checks that every route's words are scopes Mastodon defines.
     */
    char scope[API_SCOPE_MAX];
} api_route;

/** The largest body a request to route r may send: an upload's (mastodon/media.c) may be as
 *  large as the largest file (and its multipart envelope); a profile's or a channel's pictures
 *  (a multipart content_type only: JSON or a form there keeps max_body_bytes) an avatar and a
 *  header; every other max_body_bytes. r NULL (no route matched) gives max_body_bytes, and
 *  API_ANY_ROUTE the largest of all. */
int64_t api_body_limit(const api_route *r, const char *content_type, const pl_config *cfg);
#define API_ANY_ROUTE ((const api_route *)1)
/** Does route r take an uploaded file (mastodon/media.c)? */
bool api_route_takes_file(const api_route *r);
/** Does route r take an avatar and a header (each up to avatar_max_bytes)? */
bool api_route_takes_pictures(const api_route *r);

/** Finds the route for method+path and fills req->params (raw: api_run decodes them). NULL
 *  if none; then *allowed holds the M_* bits of the methods the path has (0: unknown path). */
const api_route *api_match(api_req *req, int *allowed);

/**
 * Where a matched request runs: the route's exec, with EXEC_READ_OR_SLOW decided from the raw
 * query string (cheap, before anything is parsed): EXEC_SLOW for an offset of deep_offset or
 * more, or a window other than 24h; EXEC_READ otherwise.
 */
enum api_exec api_exec_for(const api_route *r, const api_req *req, int deep_offset);

/**
 * Fills resp with the JSON error for a request api_match found no route for: 501 when the
 * server implements the method for no path at all (req->method 0), 405 with an Allow header
 * (allocated in a) when the path exists for other methods, 404 otherwise.
 */
void api_no_route(const api_req *req, int allowed, arena *a, api_resp *resp);

/** What a bearer token is stored under (SHA-256, hex): how the transport remembers tokens it
 *  found valid (the rate limit's key) without keeping the tokens themselves. */
void api_token_hash(const char *token, char out[65]);

/**
 * Whose a bearer token is, by the rule api_run authenticates with: true if it is valid now,
 * with *key_id its account's id, or for an app-only token (no account, *app_only) its own.
 * The rate limit counts a request against this key (http/server.c).
 */
bool api_token_owner(app_ctx *c, const char *token, int64_t *key_id, bool *app_only);

/** "GET", "POST", "PUT", "PATCH" or "DELETE" for one M_* bit; "" for anything else. */
const char *api_method_name(int method);

/** Every route, in a stable order (for metrics): count, and the i-th; index of a route. */
int api_route_count(void);
const api_route *api_route_at(int i);
int api_route_index(const api_route *r);

/** Runs a matched route: percent-decodes the path parameters (400 when one is not UTF-8 or
 *  holds %00), authenticates, checks scope, parses parameters, calls the handler, maps
 *  errors. app->db must be right for route->exec. */
void api_run(const api_route *r, app_ctx *app, api_req *req, api_resp *resp);

/** Writes {"error": msg} with the status. Returns nothing; the handler should return. */
void api_error(api_call *c, int status, const char *msg);
/** Hands the request to a worker: the handler, run inline on an event loop, got PL_ESLOW
 *  (slow work: a picture to draw). Clears the answer; the worker runs the handler again. */
void api_to_worker(api_call *c);
/** Maps an app error code (and app->errmsg) to an HTTP error response. */
void api_fail_rc(api_call *c, int rc);
void api_header_add(api_resp *r, const char *name, const char *value);
void api_resp_free(api_resp *r);

/** Replaces whatever resp holds with the answer to a write the database could not take
 *  after its retries (503, "The database is busy; try again"): the runtime's writers. */
void api_resp_busy(api_resp *r);
/** Replaces whatever resp holds with a 500 (its transaction failed for no client's fault). */
void api_resp_internal_error(api_resp *r);

/* ---- parameters (params.c) ---- */
/** Parses the query string and body (JSON, form, multipart) into c->in. PL_OK or
 *  PL_EBADREQ with a message. */
int api_parse_params(api_call *c);
/** A string parameter, or NULL. Numbers and booleans are returned as text. */
const char *p_str(api_call *c, const char *name);
/** A boolean parameter ("true", "1", "on" …); def if absent; -2 if malformed. */
int p_bool(api_call *c, const char *name, int def);
/** An integer parameter; def if absent. */
int64_t p_int(api_call *c, const char *name, int64_t def);
/** A whole-number parameter: absent leaves *v; null gives -1 when nullable; anything but a
 *  whole number is answered 422 naming it (false). */
bool p_whole(api_call *c, const char *name, bool nullable, int64_t *v);
/** An optional time parameter (ISO 8601 time or date, UTC) into *ms: true with 0 when absent
 *  or empty; false, with a 422 sent naming `label`, when it is not a time. */
bool p_time(api_call *c, const char *name, const char *label, int64_t *ms);
/** An array parameter "name[]" or "name" (a single value becomes one item). */
json_t *p_arr(api_call *c, const char *name);
/** An id given as a JSON number or a decimal string (an element of p_arr); 0 if it is not one. */
int64_t json_id(const json_t *x);
/** The multipart file part named `name`, or NULL. */
const api_file *p_file(api_call *c, const char *name);
/** The raw parameter (borrowed), or NULL. */
json_t *p_get(api_call *c, const char *name);
/** The id in path parameter i, or 0 if it is not a valid id. */
int64_t path_id(api_call *c, int i);

/* ---- paging (paging.c) ---- */
/** Reads max_id, since_id, min_id and limit (default def, capped at max). */
void api_page(api_call *c, pl_page *p, int def, int max);
/** Adds the Link header (next: older than the last key; prev: newer than the first). */
void api_link(api_call *c, const pl_idlist *l, const pl_page *p);
/** The Link header of an answer paged by offset (ranked lists): next when has_more, prev when
 *  offset > 0; the request's other parameters are kept. */
void api_link_offset(api_call *c, int offset, int limit, bool has_more);

/** Whether the request's If-None-Match names etag (a quoted tag, weak or not, or "*"): then
 *  the answer is 304 with no body. */
bool api_etag_matches(api_call *c, const char *etag);

/** Starts a JSON body: sets 200 and returns a writer over resp->body. */
void api_json(api_call *c, jw *w);

/* ---- route tables, one per resource file under api/mastodon ---- */
extern const api_route api_routes_oembed[];
extern const api_route api_routes_apps[], api_routes_oauth[], api_routes_accounts[],
    api_routes_statuses[], api_routes_timelines[], api_routes_notifications[],
    api_routes_instance[], api_routes_landing[], api_routes_lists[], api_routes_polls[],
    api_routes_follow_requests[], api_routes_channels[], api_routes_streaming[],
    api_routes_conversations[], api_routes_partyline_lists[], api_routes_filters[],
    api_routes_filters_v1[], api_routes_tags[], api_routes_search[], api_routes_top[],
    api_routes_trends[], api_routes_catchup[], api_routes_emails[], api_routes_announcements[],
    api_routes_scheduled_statuses[], api_routes_notifications_v2[],
    api_routes_notification_policy[], api_routes_avatars[], api_routes_discover[],
    api_routes_featured_tags[], api_routes_media[], api_routes_sessions[], api_routes_audit[],
    api_routes_reports[], api_routes_admin_accounts[], api_routes_offboard[], api_routes_exports[],
    api_routes_retention[], api_routes_influence[], api_routes_tickets[], api_routes_feed_sources[],
    api_routes_watches[];

#endif
