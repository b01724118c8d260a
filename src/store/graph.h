/**
 * store/graph.h — the social graph: follows, follow requests, blocks and mutes, and the
 * per-viewer relation sets that requests cache.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_GRAPH_H
#define PL_STORE_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/* ---- follows ---- */
/** Inserts a follow of target_id by account_id (show_reblogs, notify: the follower's
 *  choices); PL_ECONFLICT if it exists already. Counts and feeds are the caller's. */
int store_follow_insert(db *d, int64_t id, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify, int64_t now);
/** Changes a follow's show_reblogs and notify; PL_OK also if there is no such follow. */
int store_follow_update(db *d, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify);
/** PL_OK if removed, PL_ENOTFOUND if there was no such follow. */
int store_follow_delete(db *d, int64_t account_id, int64_t target_id);
/** Does account_id follow target_id? False also on a database error (a follow grants, so
 *  "no" is the safe answer). */
bool store_follows(db *d, int64_t account_id, int64_t target_id);
/** Following, followed_by, showing_reblogs, notifying, requested, requested_by, blocking and
 *  blocked_by of viewer towards target (out->id = target); mutes and the rest are the
 *  caller's. */
int store_relationship(db *d, int64_t viewer, int64_t target, pl_relationship *out);
/** Who follow target_id, newest follow first (keys: follow ids). */
int store_followers(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out);
/** Whom account_id follows (channels too), newest follow first (keys: follow ids). */
int store_following(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Every account account_id follows, ascending (`now` is unused). */
int store_following_ids(db *d, int64_t account_id, int64_t now, arena *a, int64_t **ids, int *n);

/* ---- follow requests: a follow of a locked account or a private channel, waiting ---- */
/** PL_ECONFLICT if account_id has asked to follow target_id already. */
int store_follow_request_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                                bool show_reblogs, bool notify, int64_t now);
/** The choices the request was made with; PL_ENOTFOUND if there is none. */
int store_follow_request_get(db *d, int64_t account_id, int64_t target_id, bool *show_reblogs,
                             bool *notify);
/** PL_ENOTFOUND when there was none. */
int store_follow_request_delete(db *d, int64_t account_id, int64_t target_id);
/** Has account_id asked to follow target_id? False also on a database error. */
bool store_follow_requested(db *d, int64_t account_id, int64_t target_id);
/** Who asked to follow target, newest first (keys: the request ids). */
int store_follow_requests(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out);
/** How many wait for target. */
int store_follow_requests_count(db *d, int64_t target_id, int64_t *n);
/** Drops every request the account made or waits on (off-boarding); *n how many. */
int store_follow_requests_drop_account(db *d, int64_t account_id, int64_t *n);

/* ---- blocks and mutes ---- */
/** account_id blocks target_id (blocking again: no change). Follows, lists and feeds are the
 *  caller's to undo. */
int store_block_insert(db *d, int64_t id, int64_t account_id, int64_t target_id);
/** PL_OK if removed, PL_ENOTFOUND if there was no such block. */
int store_block_delete(db *d, int64_t account_id, int64_t target_id);
/** Does account_id block target_id? True also on a database error (every audience decision
 *  fails closed: app/audience.h). */
bool store_blocks(db *d, int64_t account_id, int64_t target_id);
/** account_id mutes target_id until expires_at (ms; 0: for ever); muting again replaces
 *  hide_notifications and expires_at. */
int store_mute_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                      bool hide_notifications, int64_t expires_at);
/** PL_OK if removed, PL_ENOTFOUND if there was no such mute (an expired one counts). */
int store_mute_delete(db *d, int64_t account_id, int64_t target_id);
/** Muted now (an expired mute does not count); *hide_notifications may be NULL. True, with
 *  *hide_notifications true, also on a database error (fails closed, as store_blocks). */
bool store_mutes(db *d, int64_t account_id, int64_t target_id, int64_t now,
                 bool *hide_notifications);
/** Whom the account blocks, newest block first (keys: block ids). */
int store_blocks_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Whom the account mutes (expired mutes too), newest mute first (keys: mute ids). */
int store_mutes_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/**
 * In one query, for per-request caches: who blocks the account (set 0), whom it blocks (1),
 * whom it mutes now (2), who mutes it now (3; `now` drops expired mutes); each set sorted
 * ascending, in the arena.
 */
int store_viewer_relations(db *d, int64_t account_id, int64_t now, arena *a, pl_idsets *out);

#endif
