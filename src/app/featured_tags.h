/**
 * app/featured_tags.h — hashtags people feature on their profile (Mastodon's featured tags).
 *
 * A person features at most max_featured_tags, each once; anyone who may read profiles sees
 * them (a disabled person's: none). A featured tag's statuses_count and last_status_at count
 * only the person's public and unlisted posts — those anyone who may see the profile may see —
 * the same for every viewer, so a count never tells of a company, followers-only, list,
 * direct or private-channel post, nor of one a moderator removed from its channel.
 * Suggestions are the tags of the person's own latest posts, most used first.
 * Every function returns PL_OK or a PL_E* code (with c->errmsg); results live in the arena.
 */
#ifndef PL_APP_FEATURED_TAGS_H
#define PL_APP_FEATURED_TAGS_H

#include "app/app.h"
#include "store/featured_tags.h"

/** The latest posts whose tags make the suggestions. */
enum { FEATURED_SUGGESTION_POSTS = 200, FEATURED_SUGGESTIONS = 10 };

/** account's featured tags with their counts, oldest first; none for a disabled account;
 *  PL_ENOTFOUND if there is no such account. */
int featured_tags_of(app_ctx *c, int64_t account, pl_featured_tag **out, int *n);
/** Features the tag `name` (a leading '#' allowed) for viewer: PL_EINVAL for a name that is
 *  no hashtag or is featured already, PL_ELIMIT beyond max_featured_tags. */
int featured_tags_add(app_ctx *c, int64_t viewer, const char *name, pl_featured_tag *out);
/** Stops featuring; PL_ENOTFOUND if viewer has no such featured tag. */
int featured_tags_remove(app_ctx *c, int64_t viewer, int64_t id);
/** Up to FEATURED_SUGGESTIONS normalized tag names viewer uses most in their latest
 *  FEATURED_SUGGESTION_POSTS posts and does not feature yet, most used first. */
int featured_tags_suggestions(app_ctx *c, int64_t viewer, const char ***names, int *n);

#endif
