/**
 * store/announcements.h — company announcements, who dismissed them, and reactions to them
 * (tables announcements, announcement_dismissals, announcement_reactions; migration 031).
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (app/announcements.c does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_ANNOUNCEMENTS_H
#define PL_STORE_ANNOUNCEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** One announcement. Times are milliseconds; 0 stands for "none" (SQL NULL). */
typedef struct pl_announcement {
    int64_t id;
    const char *text;     /**< as the administrator wrote it (rendered when shown) */
    int64_t starts_at;    /**< listed from then; 0 = from published_at */
    int64_t ends_at;      /**< listed until then; 0 = until deleted */
    bool all_day;         /**< starts_at and ends_at are days, not times */
    int64_t published_at; /**< when it was (or will be) first listed */
    int64_t created_by;   /**< the administrator's account; 0 = the command line */
    int64_t created_at, updated_at;
} pl_announcement;

/** One emoji's reactions to an announcement. */
typedef struct pl_reaction {
    const char *name; /**< the emoji */
    int64_t count;    /**< people who reacted with it */
    bool me;          /**< the viewer is one of them */
} pl_reaction;

/** Writes a new announcement (a->id set by the caller); announces EV_ANNOUNCEMENT when it starts
 *  at once (published_at not after created_at). PL_ECONFLICT if the id is taken. */
int store_announcement_insert(db *d, const pl_announcement *an);
/** Deletes an announcement with its dismissals and reactions (EV_ANNOUNCEMENT_DELETE).
 *  PL_ENOTFOUND if there is none. */
int store_announcement_delete(db *d, int64_t id);
/** One announcement, whether running or not. PL_ENOTFOUND if there is none. */
int store_announcement_get(db *d, int64_t id, arena *a, pl_announcement *out);
/**
 * The announcements running at `now` (started, or no start; not ended), in Mastodon's order:
 * by start (or publication), then id. With dismissed_by non-zero, those that account
 * dismissed are left out.
 */
int store_announcements_running(db *d, int64_t now, int64_t dismissed_by, arena *a,
                                pl_announcement **out, int *n);
/** Every announcement, newest first (administrators' listing), at most `limit`. */
int store_announcements_all(db *d, int limit, arena *a, pl_announcement **out, int *n);
/** How many announcements have not ended at `now` (running or still to start). */
int store_announcements_unended(db *d, int64_t now, int64_t *n);

/** Marks the announcement read by the account (again: no change). */
int store_announcement_dismiss(db *d, int64_t id, int64_t account_id, int64_t now);
/** Has the account dismissed it? False also on a database error (it is then shown unread). */
bool store_announcement_dismissed(db *d, int64_t id, int64_t account_id);

/** Adds the account's reaction `name` (again: no change); a change announces
 *  EV_ANNOUNCEMENT_REACTION with the emoji's number (announcement_emoji). */
int store_announcement_react(db *d, int64_t id, int64_t account_id, const char *name, int64_t now);
/** Removes the account's reaction `name` (EV_ANNOUNCEMENT_REACTION); PL_ENOTFOUND if it had
 *  none. */
int store_announcement_unreact(db *d, int64_t id, int64_t account_id, const char *name);
/** How many different emoji other than `name` the announcement's reactions use. */
int store_announcement_other_names(db *d, int64_t id, const char *name, int64_t *n);
/** The reactions to an announcement, one per emoji in the order they were first used; `me`
 *  for viewer (0 = nobody). */
int store_announcement_reactions(db *d, int64_t id, int64_t viewer, arena *a, pl_reaction **out,
                                 int *n);

/** The emoji numbered `slot` among the announcement's (a live event's account_id) and how many
 *  people react with it now (0 after the last took theirs away). PL_ENOTFOUND for an unknown
 *  number. */
int store_announcement_emoji(db *d, int64_t id, int64_t slot, arena *a, const char **name,
                             int64_t *count);

#endif
