/**
 * cors.h — Cross-Origin Resource Sharing for browser apps served from another origin (Elk,
 * Phanpy): which paths answer other origins, their preflights, and the headers on their
 * answers, as Mastodon's config/initializers/cors.rb (rack-cors) has them.
 *
 * The paths: the API (/api/...), the OAuth token and revocation endpoints, /.well-known/...
 * and /nodeinfo/... — any origin, no credentials (tokens travel in the Authorization header,
 * never in cookies). Never the sign-in form (/oauth/authorize) nor the web client: a page of
 * another origin must not read those.
 */
#ifndef PL_HTTP_CORS_H
#define PL_HTTP_CORS_H

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <stdbool.h>

/**
 * Answers a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): 200 with
 * no body, with the CORS headers when the path answers other origins and allows the method
 * asked for, without them otherwise (the browser then refuses the request), as rack-cors
 * does. True when it answered; false for any other request.
 */
bool cors_preflight(h2o_req_t *req, const char *path, size_t plen);

/** Registers the filter that adds the CORS headers to every answer (the server's errors and
 *  h2o's own included) to a request with an Origin, on the paths that answer other origins. */
void cors_register(h2o_pathconf_t *path);

#endif
