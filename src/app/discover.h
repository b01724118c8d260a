/**
 * app/discover.h — finding people at work: the profile directory, follow suggestions (with
 * dismissals) and familiar followers.
 *
 * Who may appear, in plain words:
 *   - the directory lists people and channels (group accounts, private ones too: a channel's
 *     existence is no secret, its members and posts are) that are enabled, approved,
 *     confirmed and discoverable; never someone the viewer blocks or mutes, nor someone who
 *     blocks the viewer (as Mastodon's directory);
 *   - suggestions are the colleagues of the channels one is in (most shared channels first),
 *     then the most followed people and channels; never oneself, the everyone channel,
 *     someone followed, requested, blocked either way, muted or dismissed, nor a channel the
 *     viewer may not read (a private one they are not in: channels_readable, and an error
 *     reading it leaves it out);
 *   - familiar followers of an account are the people the viewer follows who follow it,
 *     except those hiding whom they follow; nobody for an account whose followers the viewer
 *     may not see (hidden collections, a block) nor for a private channel the viewer is not
 *     in: who is in it is told to its members only.
 * Every function returns PL_OK or a PL_E* code; what it returns lives in the request arena.
 */
#ifndef PL_APP_DISCOVER_H
#define PL_APP_DISCOVER_H

#include "app/app.h"
#include "store/discover.h" /* enum store_directory_order */

/** A page of the directory (store/discover.h's orders), ids into *ids. */
int discover_directory(app_ctx *c, int64_t viewer, int order, int offset, int limit, int64_t **ids,
                       int *n);

/** Why an account is suggested (bits; Mastodon's Suggestion `sources`). */
enum discover_source {
    SUGGESTED_COLLEAGUE = 1,     /**< in channels the viewer is in */
    SUGGESTED_MOST_FOLLOWED = 2, /**< among the most followed of the company */
};

typedef struct discover_suggestion {
    int64_t account_id;
    int sources; /**< enum discover_source bits */
} discover_suggestion;

/** Up to limit suggestions for viewer, best first (see above), into *out. The work is
 *  bounded by suggestions_candidates rows per source. */
int discover_suggestions(app_ctx *c, int64_t viewer, int limit, discover_suggestion **out, int *n);
/** Never suggests target to viewer again (a write). PL_ENOTFOUND if there is no such
 *  account. */
int discover_dismiss(app_ctx *c, int64_t viewer, int64_t target);

/** The familiar followers of target for viewer (at most max_familiar_accounts), into *ids;
 *  PL_ENOTFOUND when there is no such account or it is disabled (then it is left out of the
 *  answer, as Mastodon leaves out suspended accounts). */
int discover_familiar_followers(app_ctx *c, int64_t viewer, int64_t target, int64_t **ids, int *n);

#endif
