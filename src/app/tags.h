/**
 * tags.h — hashtags as things to look at and follow: a tag's recent use and whether the
 * viewer follows it; following and unfollowing; the viewer's followed tags. The public posts
 * of followed tags join the home feed on read (feeds.c: merge_tags).
 *
 * Names are normalized by the caller (text_tag_normalize). A tag "exists" when a public or
 * unlisted post uses it or the viewer follows it; otherwise tags_get is PL_ENOTFOUND. Following
 * is allowed for any valid name, within max_followed_tags (PL_ELIMIT beyond).
 */
#ifndef PL_TAGS_H
#define PL_TAGS_H

#include "app/app.h"

enum { TAG_HISTORY_DAYS = 7 };

/** A tag as the viewer sees it (Mastodon's Tag). */
typedef struct tags_view {
    const char *name;
    bool following;
    pl_tag_day history[TAG_HISTORY_DAYS]; /**< today first, then each day before (UTC) */
} tags_view;

int tags_get(app_ctx *c, int64_t viewer, const char *name, tags_view *out);
int tags_follow(app_ctx *c, int64_t viewer, const char *name, tags_view *out);
int tags_unfollow(app_ctx *c, int64_t viewer, const char *name, tags_view *out);
/** A page of the viewer's followed tags, most recently followed first. */
int tags_followed(app_ctx *c, int64_t viewer, const pl_page *p, pl_tag_follow **out, int *n);
/** Fills out (not following) for a tag known to exist, history included. */
int tags_view_of(app_ctx *c, const char *name, bool following, tags_view *out);
/** Does the viewer follow this (normalized) tag? */
bool tags_is_followed(app_ctx *c, int64_t viewer, const char *name);

#endif
