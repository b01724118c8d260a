/**
 * store/discover.h — finding people: the profile directory, the candidates of follow
 * suggestions and the suggestions dismissed (table suggestion_dismissals, migration 036), and
 * familiar followers.
 *
 * Each read is bounded by what its caller asks for, never by the size of the company: the
 * directory walks an index in its order and stops after offset + limit listed accounts; a
 * source of suggestions reads at most `reads` candidate rows (a channel's newest members, the
 * most followed accounts) and filters those; familiar followers read the smaller of the
 * viewer's follows and the target's followers (app/discover.c).
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena; writes run inside the caller's transaction; nothing
 * here decides who may see a channel (the app layer does). See docs/ARCHITECTURE.md.
 */
#ifndef PL_STORE_DISCOVER_H
#define PL_STORE_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** The directory's orders: by the last post (never-posted last), or newest account first. */
enum store_directory_order { DIRECTORY_ACTIVE = 0, DIRECTORY_NEW = 1 };

/**
 * A page of the profile directory: accounts (people and channels) that are enabled,
 * approved, confirmed and discoverable, leaving out those the viewer blocks or mutes (a mute
 * while it lasts at `now`) and those who block the viewer (viewer 0: signed out, nobody left
 * out). Ids in order into *ids (arena), *n of them.
 */
int store_directory(db *d, int64_t viewer, int order, int offset, int limit, int64_t now, arena *a,
                    int64_t **ids, int *n);

/**
 * Candidates among the `reads` newest members (followers) of channel_id that could be
 * suggested to viewer: enabled, approved, confirmed, discoverable, not the viewer, not the
 * everyone channel, not followed nor requested by the viewer, not blocked either way, not
 * muted, not dismissed. Newest member first.
 */
int store_suggest_members(db *d, int64_t viewer, int64_t channel_id, int reads, int64_t now,
                          arena *a, int64_t **ids, int *n);
/** Candidates (the same rules) among the `reads` most followed accounts, most followed
 *  first. */
int store_suggest_most_followed(db *d, int64_t viewer, int reads, int64_t now, arena *a,
                                int64_t **ids, int *n);
/** Never suggests target to viewer again; PL_OK also if it was dismissed already. */
int store_suggestion_dismiss(db *d, int64_t viewer, int64_t target, int64_t now);

/** Whom account_id follows, latest follow first (familiar followers read the smaller of
 *  this and the target's followers). */
int store_follows_latest(db *d, int64_t account_id, arena *a, int64_t **ids, int *n);
/** Who follows target_id, in no order (read only when they are fewer than the viewer's
 *  follows). */
int store_followers_all(db *d, int64_t target_id, arena *a, int64_t **ids, int *n);

#endif
