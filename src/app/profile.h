/**
 * profile.h — the curated profile: what a person chooses to show on their profile.
 *
 *   - Pinned posts: up to max_pins of one's own posts, shown first on the profile by clients
 *     (GET /api/v1/accounts/:id/statuses?pinned=true, which is feeds_pinned in feeds.c, each
 *     post still behind audience_can_see). Public, unlisted and followers-only posts can be
 *     pinned; direct posts and boosts cannot (as Mastodon). Deleting a post deletes its pin.
 *   - Hidden collections (hide_collections): the followers and following lists are empty to
 *     everyone but the owner; the counts stay on the account, as Mastodon does.
 *   - Hidden boosts (hide_boosts, partyline's own): the account's boosts are left out of its
 *     profile's posts for every viewer, the owner too (feeds_account).
 *
 * Writes must run where writes run (the writer thread).
 */
#ifndef PL_PROFILE_H
#define PL_PROFILE_H

#include "app/app.h"

/**
 * Pins status_id to viewer's profile. PL_ENOTFOUND if the viewer may not see the status;
 * PL_EINVAL if it is a boost, someone else's, or direct; PL_ELIMIT with max_pins pinned
 * already. Pinning a pinned status again is PL_OK and changes nothing.
 */
int profile_pin(app_ctx *c, int64_t viewer, int64_t status_id);
/** Unpins; PL_OK also when it was not pinned. PL_ENOTFOUND if the viewer may not see it. */
int profile_unpin(app_ctx *c, int64_t viewer, int64_t status_id);

/** Whether a status is of a kind that can be pinned by its author (not a boost, not direct);
 *  Mastodon shows the author a "pinned" flag only on these. */
bool profile_pinnable(const pl_status *s);

/** Whether viewer (0 = signed out) may read account's followers and following lists: the
 *  owner always; others unless the owner hides them or blocks the viewer (as Mastodon). */
bool profile_shows_collections(app_ctx *c, int64_t viewer, const pl_account *account);

/** account's following_count as the Account entity shows it to everyone: the follows it has,
 *  less the private channels it is in — who is in a private channel is told to its members
 *  only, and the entity is cached once for every viewer (app/cache.c), so the number counts
 *  what any viewer's GET /api/v1/accounts/:id/following lists (docs/api.md). A database
 *  error counts no follow at all (0): the number never tells more than the rule. */
int64_t profile_following_count(app_ctx *c, const pl_account *account);

#endif
