/**
 * streaming.h — the Mastodon streaming API's protocol part (docs.joinmastodon.org/methods/
 * streaming, entities/StreamingEvent): who is asking and for which stream, the subscribe and
 * unsubscribe commands of a WebSocket, and the messages themselves. The connections and their
 * buffers live in src/http/streaming.c; the rules of who hears what in src/app/stream.c.
 */
#ifndef PL_API_STREAMING_H
#define PL_API_STREAMING_H

#include "api/api.h"
#include "app/stream.h"

/** Who opened a stream, as its token said. */
typedef struct api_stream_client {
    int64_t viewer;      /**< 0 when signed out */
    int64_t token_id;    /**< the access token's id (0 without one): revoking it ends the stream */
    char token_hash[65]; /**< its hash, to check it again while the stream is open */
    char scopes[256];    /**< the token's scopes ("" without a token) */
    bool has_token;
} api_stream_client;

/**
 * Opens a streaming request: authenticates the access token (the access_token parameter, the
 * Authorization header, or `protocol`, the Sec-WebSocket-Protocol header) and, when `name`
 * (a stream named by the SSE path, "user:notification") or the stream parameter names one,
 * parses and authorizes that subscription into *sub (*has_sub set). Returns 0, or an HTTP
 * status with *err set (401 bad or missing token, 403 scope, 400/422 bad stream, 404 list or
 * channel the viewer may not read).
 * Runs inside a read transaction on the loop's connection.
 */
int api_stream_open(app_ctx *app, api_req *req, const char *name, const char *protocol,
                    api_stream_client *who, stream_sub *sub, bool *has_sub, const char **err);

/**
 * Is the token a stream was opened with still good (not revoked, its account neither
 * disabled nor deleted nor awaiting approval), by the rule every request follows? true for a
 * stream opened without a token. Fails closed: a database error says false.
 */
bool api_stream_client_live(app_ctx *app, const api_stream_client *who);

/**
 * A WebSocket command: {"type":"subscribe"|"unsubscribe","stream":…,"tag":…,"list":…,
 * "channel":…} (channel: our "partyline:channel" stream).
 * Returns 0 with *subscribe and *sub, or an HTTP-like status with *err.
 */
int api_stream_command(app_ctx *app, const api_stream_client *who, const char *msg, size_t len,
                       bool *subscribe, stream_sub *sub, const char **err);

/**
 * The event's name and payload for a subscriber: statuses (update, status.update) are
 * rendered as a signed-out visitor sees them, the same for every subscriber, so viewer is
 * not used for them; a notification is rendered for its recipient (viewer) and only while
 * its status is still visible to them; a delete's payload is the id. false: nothing to send.
 */
bool api_stream_render(app_ctx *app, int64_t viewer, stream_item *it, buf *payload,
                       const char **event);

/** Appends payload as the JSON string it is sent as in a WebSocket message. */
void api_stream_quote(buf *out, const char *payload, size_t len);
/** A WebSocket message: {"stream":[…],"event":…,"payload":<quoted>} (quoted: see above). */
void api_stream_ws_message(buf *out, const stream_sub *sub, const char *event, const char *quoted,
                           size_t len);
/** An SSE message: "event: …\ndata: …\n\n". */
void api_stream_sse_message(buf *out, const char *event, const char *payload, size_t len);

#endif
