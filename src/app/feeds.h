/**
 * feeds.h — timelines: home, public (local), hashtag, lists, an account's posts, favourites
 * and bookmarks. Every page is filtered through audience_can_see() and the viewer's mutes and
 * blocks; a page is refilled from further down when filtering removed items, so a page is
 * short only at the end of the feed.
 */
#ifndef PL_FEEDS_H
#define PL_FEEDS_H

#include "app/app.h"

/** The home feed; members of the viewer's exclusive lists are left out. */
int feeds_home(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);
/**
 * A list's timeline: its members' posts and boosts (boosts as the owner's follow says) that
 * the viewer may see, replies as the list's replies_policy says, muted and blocked authors
 * left out as at home. PL_ENOTFOUND unless the viewer owns the list.
 */
int feeds_list(app_ctx *c, int64_t viewer, int64_t list_id, const pl_page *p, pl_idlist *out);
int feeds_public(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);
/** The posts shared to a channel that the viewer may see. */
int feeds_channel(app_ctx *c, int64_t viewer, int64_t channel_id, const pl_page *p, pl_idlist *out);
int feeds_tag(app_ctx *c, int64_t viewer, const char *tag, const pl_page *p, pl_idlist *out);
/** An account's posts and boosts (boosts left out when the account hides them from its
 *  profile: hide_boosts, for every viewer). */
int feeds_account(app_ctx *c, int64_t viewer, int64_t account_id, bool exclude_replies,
                  bool exclude_reblogs, const pl_page *p, pl_idlist *out);
/** An account's pinned posts that the viewer may see, newest pin first (keys: pin ids). */
int feeds_pinned(app_ctx *c, int64_t viewer, int64_t account_id, const pl_page *p, pl_idlist *out);
int feeds_favourites(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);
int feeds_bookmarks(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out);

/*
 * One new post, asked whether it belongs in a feed by the same rules as the pages above (the
 * streaming API tells a post as it happens). Each asks audience_can_see() and the viewer's
 * mutes and blocks. `shows` in home: the viewer's own posts, direct posts addressed to them,
 * and posts of people they follow (boosts if the follow shows them; replies by the fan-out
 * rule; not members of their exclusive lists; nothing that mentions, or boosts a post that
 * mentions, someone they block or mute — Mastodon's home rule, lists too).
 */
bool feeds_home_accepts(app_ctx *c, int64_t viewer, const pl_status *s);
/** A post of one of the members of list l (owned by viewer), by its replies_policy. */
bool feeds_list_accepts(app_ctx *c, int64_t viewer, const pl_list *l, const pl_status *s);
/** A public post (not a boost) the viewer (0 = signed out) may see. */
bool feeds_public_accepts(app_ctx *c, int64_t viewer, const pl_status *s);
/** A post shared to channel_id (and not removed from it) that the viewer may see, muted and
 *  blocked authors left out: the channel timeline's rule (feeds_channel). */
bool feeds_channel_accepts(app_ctx *c, int64_t viewer, int64_t channel_id, const pl_status *s);
/** A public post carrying `tag` (compared without case) among its tags[0..n_tags). */
bool feeds_tag_accepts(app_ctx *c, int64_t viewer, const char *tag, const char *const *tags,
                       int n_tags, const pl_status *s);

/**
 * One step of feed maintenance: trims the home feeds of the next `batch` accounts after
 * *cursor to the configured size (timeline_keep) and advances *cursor (0 = start over).
 * Runs on the writer between jobs, so feeds stay bounded without a sweep that stalls writes.
 */
int feeds_trim_step(app_ctx *c, int64_t *cursor, int batch);

/**
 * Delivers a new post (or boost) to its author's followers' home feeds: at once when the
 * author has few followers (fanout_inline), else through the fan-out queue, so the post is
 * answered without waiting for thousands of feed writes.
 */
int feeds_fanout(app_ctx *c, const pl_account *author, const pl_status *s);
/**
 * How many of a deleted post's feed rows its delete removes in its own transaction: as many as
 * an inline fan-out writes (fanout_inline followers and the author). A post that reached more
 * feeds leaves the rest to the fan-out queue, a chunk at a time, as it came
 * (store_status_delete_queued).
 */
int feeds_rows_now(const app_ctx *c);

/**
 * One step of the fan-out queue: copies the oldest waiting post into at most `rows`
 * followers' feeds. *more is true while work remains. Runs on the writer between batches
 * (in its own transaction), so a post's author never waits for it.
 */
int feeds_fanout_step(app_ctx *c, int rows, bool *more);

#endif
