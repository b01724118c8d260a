/**
 * stream.h — the streaming API's rules: which streams exist, who may open them, and which
 * live events each subscriber hears (docs.joinmastodon.org/methods/streaming).
 *
 * The event loops hold the connections (http/streaming.c) and the API layer writes the
 * messages (api/mastodon/streaming.c); this module only decides. Every status is decided with
 * the feeds' own rules (feeds_*_accepts), which ask audience_can_see(): a subscriber never
 * hears of a post they may not see.
 */
#ifndef PL_STREAM_H
#define PL_STREAM_H

#include "app/app.h"

enum stream_kind {
    STREAM_USER = 1,          /**< "user": home feed, notifications, deletes */
    STREAM_USER_NOTIFICATION, /**< "user:notification" */
    STREAM_PUBLIC,            /**< "public" (every post here is local) */
    STREAM_PUBLIC_LOCAL,      /**< "public:local" */
    STREAM_PUBLIC_REMOTE,     /**< "public:remote": nothing, there are no remote posts */
    STREAM_HASHTAG,           /**< "hashtag" with tag */
    STREAM_HASHTAG_LOCAL,     /**< "hashtag:local" with tag */
    STREAM_LIST,              /**< "list" with list (an id the viewer owns) */
    STREAM_DIRECT,            /**< "direct": direct posts to and from the viewer */
    STREAM_CHANNEL,           /**< "partyline:channel" with channel (one the viewer may read) */
};

enum { STREAM_TAG_MAX = 101 }; /**< bytes of a hashtag, with its terminator */

/** One subscription of a connection. */
typedef struct stream_sub {
    int kind;                 /**< enum stream_kind */
    char tag[STREAM_TAG_MAX]; /**< hashtag streams: the tag without '#' */
    int64_t list_id;          /**< list stream */
    pl_list list;             /**< list stream: the list as it was when subscribed */
    int64_t channel_id;       /**< channel stream */
} stream_sub;

/** A stream's parameters as the client gave them (each may be NULL). */
typedef struct stream_params {
    const char *tag;     /**< hashtag streams */
    const char *list;    /**< list stream: its id */
    const char *channel; /**< channel stream: its id */
} stream_params;

/**
 * Parses a stream name ("user", "hashtag", …) with its parameters for viewer (0 = signed
 * out). PL_EINVAL with a message for an unknown stream or a missing or bad parameter;
 * PL_EAUTH when the stream needs a signed-in user (or, for public ones, when signed-out
 * reading is off); PL_ENOTFOUND for a list the viewer does not own, a channel that does not
 * exist, or a private channel the viewer is not a member of (the channel timeline's rule).
 */
int stream_sub_parse(app_ctx *c, int64_t viewer, const char *name, const stream_params *params,
                     stream_sub *out);

/** Are a and b the same subscription (same stream, same parameter)? */
bool stream_sub_same(const stream_sub *a, const stream_sub *b);

/** The OAuth scope a stream needs: "read:statuses", "read:notifications" or "read:lists". */
const char *stream_scope(int kind);

/** The stream's name in messages ("user", "hashtag", …). */
const char *stream_name(int kind);

/** What one event is about, loaded once per loop and shared by every subscriber's decision. */
typedef struct stream_item {
    const pl_event *ev;
    const pl_status *status; /**< EV_STATUS / EV_STATUS_UPDATE: the status, NULL if gone */
    const char **tags;       /**< its hashtags (loaded when a hashtag stream asks) */
    int n_tags;
    bool tags_loaded;
    /** Set by the rendering when what it wrote holds something of one subscriber's own (file
     *  addresses signed for them): then each subscriber gets a rendering of their own. */
    bool per_viewer;
} stream_item;

/** Loads what the event is about into it (a status that vanished leaves it->status NULL). */
void stream_item_load(app_ctx *c, const pl_event *ev, stream_item *it);

/**
 * Does the subscription of viewer (0 = signed out) hear this event? Notifications: the
 * recipient's user and user:notification streams (the API checks, when it loads the
 * notification, that its status is still visible). Deletes: those who could have seen the
 * post by what the event carries (its author, visibility and mentioned accounts).
 */
bool stream_wants(app_ctx *c, int64_t viewer, const stream_sub *sub, stream_item *it);

/**
 * Says that tokens were revoked by a process that is not a server (`partyline admin
 * disable-user`, `set-password`): it moves a mark in the database that every server's loops
 * read about once a second, and on a change they check every open stream's token at once.
 * Commits on its own (c->own_txn).
 */
int stream_revocations_note(app_ctx *c);

/** The mark stream_revocations_note moves: 0 if it never did, -1 on a database error. */
int64_t stream_revocations_mark(app_ctx *c);

#endif
