/**
 * app.h — the context every domain function runs in.
 *
 * The app layer holds partyline's rules: who may see, post, follow; what a post does to
 * feeds and notifications. It never speaks HTTP, SQL or JSON: it calls the store and
 * returns records. A context is per thread (its database connection) and per request
 * (its arena, its clock reading).
 */
#ifndef PL_APP_H
#define PL_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/ids.h"

typedef struct app_ctx {
    db *db;               /**< this thread's connection */
    const pl_config *cfg; /**< read-only settings */
    id_gen *ids;          /**< shared id generator */
    arena *a;             /**< the request's arena */
    int64_t now;          /**< the request's clock reading (ms) */
    bool own_txn;         /**< true when app functions must open their own transactions
                               (worker threads); false on the writer, which batches */
    bool read_only;       /**< a read request: records may be cached for its duration */
    int64_t viewer_id;    /**< the signed-in person making the request, 0 if none */
    const char *ip; /**< the request's client address (the audit log's), or NULL: no request */
    struct acct_cache *accounts;   /**< accounts loaded during this request */
    struct status_cache *statuses; /**< statuses loaded during this (read-only) request */
    struct viewer_cache *viewer;   /**< the viewer's blocks, mutes, follows (read-only) */
    struct flag_sets *flags;       /**< viewer flags of the page being rendered (posts.c) */
    struct chan_cache *channels;   /**< channels (and the viewer's roles) seen this request */
    struct filter_set *filters;    /**< the viewer's filters, folded for matching (filters.c) */
    int filter_context;            /**< where this request shows statuses: one
                                        enum pl_filter_context bit, 0 = where no filter applies;
                                        set by the feed (feeds.c, notify.c, posts_context) or
                                        the handler, read when a status is viewed */
    struct entity_cache *cache;    /**< this thread's record cache (read-only requests), or NULL */
    const char *errmsg;            /**< a user-facing reason for the last failure, or NULL */
    const char *errcode;      /**< a machine-readable reason (OAuth's "invalid_grant"), or NULL */
    const char *errfield;     /**< the input field a validation error is about, or NULL */
    const char *errkey;       /**< Mastodon's detail code for it ("ERR_TAKEN", "ERR_INVALID"…) */
    int64_t fanout_rows;      /**< home-feed rows written by this request (for metrics) */
    struct ratelimit *limits; /**< the process's counters (sign-in failures), or NULL: none */
    struct avatar_cache *avatars; /**< the process's drawn default pictures (avatars.h), or NULL:
                                       drawn for each request */
    struct attachment_memo *attachments; /**< a page's attachments, read at once (attachments.c:
                                              attachments_prefetch), or NULL */
    struct media_store *media;   /**< the encrypted file store (media/media.h), or NULL: none
                                      (tools that touch no file) */
    int64_t influence_run;       /**< the current influence run, read once per request
                                      (app/influence_view.c): 0 not read yet, -1 none */
    struct ticket_memo *tickets; /**< the service team and ticket marks read this request
                                      (app/tickets.c), or NULL */
    bool is_loop; /**< runs inline on an event loop: slow work (drawing a picture) must be
                       refused with PL_ESLOW, to run again on a worker */
} app_ctx;

/** Records a user-facing reason (printf-style, in the request arena) and returns code. */
int app_fail(app_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Like app_fail, and names the field and Mastodon's detail code for the error. */
int app_fail_field(app_ctx *c, int code, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** Opens a transaction if this context owns its transactions; PL_OK otherwise. */
int app_txn_begin(app_ctx *c);
/** Commits (rc == PL_OK) or rolls back (otherwise) what app_txn_begin opened; returns rc. */
int app_txn_end(app_ctx *c, int rc);

/** A new id from the shared generator. */
int64_t app_new_id(app_ctx *c);

/**
 * Changes made by another process (the admin tool): the running servers hear their own
 * changes, but not these, so that process leaves a mark (a row of meta) which each server's
 * first writer reads once a second, dropping every cache of that node when it moved (a rare
 * act: an account disabled, enabled, approved, its password set). app_outside_changes_note
 * moves the mark (in its own transaction); app_outside_changes_mark reads it: 0 if it never
 * moved, -1 on a database error.
 */
int app_outside_changes_note(app_ctx *c);
int64_t app_outside_changes_mark(app_ctx *c);

/** A mark another process moves to tell the servers something (a row of meta under key, a
 *  new value each time, in its own transaction), and its reading: 0 if it never moved, -1 on a
 *  database error. */
int app_mark_move(app_ctx *c, const char *key);
int64_t app_mark_read(app_ctx *c, const char *key);

/**
 * Loads an account once per request (cached in the request arena). Returns NULL if the
 * account does not exist, or is suspended (app/moderation.h: hidden from everyone, and so are
 * its posts, which are shown only with their author). The record lives as long as the
 * request's arena.
 */
const pl_account *app_account(app_ctx *c, int64_t id);

/** Does what author posts reach viewer (0: signed out) where nobody asked for it — the
 *  public, company and hashtag timelines, the directory, search, notifications? Not when the
 *  author is silenced (app/moderation.h) and the viewer neither is the author nor follows
 *  them; not when the author is hidden (suspended, gone). Fails closed (app_follows). */
bool app_reaches(app_ctx *c, int64_t viewer, int64_t author);

/** A channel (loaded once per request); NULL if id is not a channel. */
const pl_channel *app_channel(app_ctx *c, int64_t id);
/** Reads the request's copy of a channel again after its row changed, in place: what
 *  app_channel() returned before shows the channel as it is now. */
int app_channel_reload(app_ctx *c, int64_t id);
/** The account's role in the channel (enum pl_channel_role); administrators are owners of
 *  every channel. A role counts only while its holder follows the channel account (except in
 *  the everyone channel, which has no follows): membership is the follow. Cached per
 *  request. */
int app_channel_role(app_ctx *c, const pl_channel *ch, int64_t account_id);
/** Is the account a member (the everyone channel: anyone; otherwise a follower of the
 *  channel account, or an administrator)? A role without the follow does not make one. */
bool app_channel_member(app_ctx *c, const pl_channel *ch, int64_t account_id);

/** Loads a status; cached for the request when it is read-only. NULL if it does not exist. */
const pl_status *app_status(app_ctx *c, int64_t id);

/**
 * Before a page of statuses is shown (read-only requests): reads those that no cache holds,
 * what they boost, and all their authors, a few dozen per query — three round trips for a
 * page instead of one per missing record. Then app_status/app_account find them cached.
 */
void app_prefetch_statuses(app_ctx *c, const int64_t *ids, int n);

/**
 * Relations of one viewer, answered from sets loaded once per read-only request (and from
 * the store on writes, where they may change mid-request).
 *
 * They fail closed: on a database error each gives the answer that shows less. app_blocks
 * and app_mutes then say yes (the post or person is hidden), app_follows says no (a
 * followers-only post stays closed).
 */
bool app_blocks(app_ctx *c, int64_t account_id, int64_t target_id);
bool app_follows(app_ctx *c, int64_t account_id, int64_t target_id);
/** Whom account_id follows, ascending (the request's viewer's set that app_follows asks, read
 *  once); unlike app_follows, a failed read is an error, not an empty set. */
int app_following(app_ctx *c, int64_t account_id, const int64_t **ids, int *n);
/** The home feed's merge sources of viewer (store_merge_sources): the company's candidates kept
 *  by the loop's cache between requests (any change of an account drops them), met with
 *  viewer's follows. */
int app_merge_sources(app_ctx *c, int64_t viewer, pl_merge_source **out, int *n);

/** What a page's prefetch of per-post rows asks about: the posts ids[0..n) and what they boost
 *  (*all, ascending: whose answer is then known) and among them those whose record says
 *  has() or could not be read (*ask, ascending: the only ones read; the others have none). */
void app_page_posts(app_ctx *c, const int64_t *ids, int n, bool (*has)(const pl_status *),
                    int64_t **all, int *n_all, int64_t **ask, int *n_ask);
bool app_mutes(app_ctx *c, int64_t account_id, int64_t target_id);
/** Might `viewer` block or mute anyone? False only when the read-only request's sets say they
 *  block and mute nobody (then no per-person question need be asked); true otherwise. */
bool app_blocks_or_mutes_anyone(app_ctx *c, int64_t viewer);

#endif
