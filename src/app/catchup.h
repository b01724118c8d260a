/**
 * catchup.h — "10–15 minutes a day to catch up" (C17): what matters since the viewer's last
 * visit, cut to what can be read in a few minutes, each item with the reason it is there.
 *
 * Since: the `since` asked for, else when the home marker was last set (the last visit), else
 * 24 hours ago; never more than catchup_max_days back. Items, in this order:
 *   - announcement: pinned in one of the viewer's channels since then;
 *   - direct: the newest status of an unread direct conversation;
 *   - reply_to_you: mention notifications since then that reply to the viewer's own post,
 *     newest first (not direct ones: those are conversations);
 *   - mention: the other mention notifications since then, newest first;
 *   - top_post: the most up-voted posts of the viewer's feeds since then (home, which holds
 *     the channels and the non-exclusive lists, and the exclusive lists), ranked by the top
 *     score (app/top.h), own posts and posts without a vote left out.
 * Each status appears once (as its first kind), never one of the viewer's own, and only if
 * audience_can_see() lets the viewer see it. The list stops at catchup_max_items, or when the
 * next item would take the reading time past catchup_reading_minutes at
 * catchup_words_per_minute (the first stays).
 */
#ifndef PL_CATCHUP_H
#define PL_CATCHUP_H

#include "app/app.h"
#include "app/top.h"

enum catchup_kind {
    CATCHUP_ANNOUNCEMENT,
    CATCHUP_DIRECT,
    CATCHUP_REPLY_TO_YOU,
    CATCHUP_MENTION,
    CATCHUP_TOP_POST,
};

typedef struct catchup_item {
    int kind;           /**< enum catchup_kind */
    const char *reason; /**< in plain words, e.g. "12 up-votes, 2 replies in #marketing" */
    int64_t status_id;
    bool has_score; /**< top posts: score is set */
    top_score score;
    int words; /**< words of the status's text */
} catchup_item;

typedef struct catchup {
    int64_t since; /**< ms */
    catchup_item *items;
    int n;
    int64_t mentions;  /**< mention notifications since (not direct), up to max_unread_count */
    int64_t direct;    /**< unread direct conversations, up to max_unread_count */
    int64_t new_posts; /**< posts of the viewer's feeds since (up to top_max_candidates) */
    int reading_minutes;
} catchup;

/** The kind's name in the API ("top_post", "mention", …). */
const char *catchup_kind_name(int kind);

/** Builds the viewer's catch-up since `since` (ms; 0 = from the home marker, see above). */
int catchup_build(app_ctx *c, int64_t viewer, int64_t since, catchup *out);

#endif
