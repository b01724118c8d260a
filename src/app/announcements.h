/**
 * announcements.h — company announcements: administrators post them, everyone signed in
 * reads them, dismisses them and reacts with emoji (docs.joinmastodon.org/methods/announcements).
 *
 * The rules:
 * - Only administrators post and delete announcements (through the admin API, or the person
 *   running the server through `partyline admin announce`, which acts as no account).
 * - An announcement runs from `starts_at` (or from when it is posted) until `ends_at` (or until
 *   deleted); only running ones are listed, dismissed or reacted to (404 otherwise, as an
 *   announcement Mastodon has not published).
 * - At most `max_announcements` have not ended at once, each at most
 *   `max_announcement_characters` long (counted as a post's text); `ends_at` must come after
 *   `starts_at` and after now; `all_day` needs both.
 * - A reaction is one Unicode emoji (util/emoji.h); an announcement takes at most
 *   ANNOUNCEMENT_MAX_EMOJI different ones (Mastodon's limit).
 */
#ifndef PL_ANNOUNCEMENTS_H
#define PL_ANNOUNCEMENTS_H

#include "app/app.h"
#include "app/render.h"
#include "store/announcements.h"

/** Different emoji one announcement's reactions may use (Mastodon's ReactionValidator). */
enum { ANNOUNCEMENT_MAX_EMOJI = 8 };

/** What an administrator gives for a new announcement; times in ms, 0 = none. */
typedef struct announcement_new {
    const char *text;
    int64_t starts_at, ends_at;
    bool all_day;
} announcement_new;

/**
 * Posts an announcement. by: the administrator (PL_EFORBIDDEN for anyone else), or NULL for
 * the command line. PL_EINVAL (with c->errmsg) for blank, invalid or too long text or times
 * out of order; PL_ELIMIT when max_announcements have not ended. Commits on its own when the
 * context owns its transactions.
 */
int announcements_create(app_ctx *c, const pl_account *by, const announcement_new *n,
                         pl_announcement *out);
/** Deletes one (by as above). PL_ENOTFOUND if there is none. */
int announcements_delete(app_ctx *c, const pl_account *by, int64_t id);
/** Every announcement, running or not, newest first, at most `limit` (by as above). */
int announcements_all(app_ctx *c, const pl_account *by, int limit, pl_announcement **out, int *n);

/** The running announcements for viewer; without `with_dismissed`, not those it dismissed. */
int announcements_running(app_ctx *c, int64_t viewer, bool with_dismissed, pl_announcement **out,
                          int *n);
/** Marks a running announcement read. PL_ENOTFOUND if it is not running. */
int announcements_dismiss(app_ctx *c, int64_t viewer, int64_t id);
/**
 * Adds (add) or removes viewer's reaction `name` to a running announcement. PL_ENOTFOUND if it
 * is not running, or (removing) viewer had no such reaction; PL_EINVAL if name is not one
 * Unicode emoji; PL_ELIMIT for a new emoji past ANNOUNCEMENT_MAX_EMOJI.
 */
int announcements_react(app_ctx *c, int64_t viewer, int64_t id, const char *name, bool add);

/** Did viewer dismiss it? (false when signed out, or on a database error) */
bool announcements_read(app_ctx *c, int64_t viewer, int64_t id);
/** The text as HTML, with the mentions and hashtags found in it (render_text's). */
int announcements_render(app_ctx *c, const pl_announcement *an, render_out *out);
/** The reactions, `me` for viewer. */
int announcements_reactions(app_ctx *c, int64_t viewer, int64_t id, pl_reaction **out, int *n);

/* ---- live events (app/stream.c decides who hears them; api/mastodon/streaming.c writes them) */

/** One announcement, running or not (an EV_ANNOUNCEMENT's). PL_ENOTFOUND if gone. */
int announcements_get(app_ctx *c, int64_t id, pl_announcement *out);
/** The emoji an EV_ANNOUNCEMENT_REACTION names (its account_id) and its count now. */
int announcements_reaction_of(app_ctx *c, int64_t id, int64_t slot, const char **name,
                              int64_t *count);

#endif
