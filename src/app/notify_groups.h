/**
 * notify_groups.h — grouped notifications (Mastodon 4.3's /api/v2/notifications).
 *
 * A group is the notifications of one type about one target in one time window, as Mastodon
 * groups them: favourites of one post, boosts of one post, follows; every other type (and a
 * groupable type the app did not list in grouped_types) is a group of one. The window is the
 * half day (UTC, from midnight or noon) the notification falls in — Mastodon starts a new
 * group after at most 12 hours too, counted from the group's first; ours are fixed, so a group
 * never depends on which notifications came before. Groups are not stored: the key says the
 * type, the post and the window ("favourite-<status id>-<window>", "reblog-…", "follow-<window>",
 * "ungrouped-<notification id>"), and the notifications are found from it.
 */
#ifndef PL_NOTIFY_GROUPS_H
#define PL_NOTIFY_GROUPS_H

#include "app/app.h"

enum { NOTIFY_GROUP_SAMPLES = 8 };

/** One notification group as a page shows it. */
typedef struct notify_group {
    const char *key, *type;
    int64_t status_id;      /**< 0: about no post (follows) */
    int64_t channel_id;     /**< a channel notification's channel; else 0 */
    int64_t report_id;      /**< an admin.report notification's report; else 0 (never grouped) */
    int64_t count;          /**< notifications in the whole group */
    int64_t most_recent_id; /**< the group's newest notification */
    int64_t page_min_id;    /**< its oldest notification on this page */
    int64_t page_max_id;    /**< its newest notification on this page */
    int64_t latest_page_at; /**< when page_max_id came */
    int64_t sample_ids[NOTIFY_GROUP_SAMPLES]; /**< the latest senders, newest first, distinct */
    int n_samples;
} notify_group;

/** What a page or a count is asked about (NULL lists: no restriction). */
typedef struct notify_group_query {
    int64_t from_id;            /**< only from this account (0: anyone) */
    const char *const *types;   /**< only these types (NULL-terminated) */
    const char *const *exclude; /**< not these types */
    const char *const *grouped; /**< group only these; NULL: all groupable types */
    bool include_filtered;      /**< also those the viewer's notification policy held back */
} notify_group_query;

/** The group key of notification n (in the arena), given which types may be grouped. */
const char *notify_group_key(app_ctx *c, const pl_notification *n, const char *const *grouped);

/**
 * A page of the viewer's notification groups, newest first: the notifications of p's range
 * that notify_list shows, read newest first until p->limit groups are filled. *first and
 * *last are the newest and the oldest notification the page took (0 when empty), for its
 * Link header.
 */
int notify_groups_page(app_ctx *c, int64_t viewer, const notify_group_query *q, const pl_page *p,
                       notify_group **out, int *n, int64_t *first, int64_t *last);
/** One group by its key; PL_ENOTFOUND if it is not the viewer's, empty or malformed. */
int notify_group_get(app_ctx *c, int64_t viewer, const char *key, notify_group *out);
/** The senders of a group's notifications, newest first, distinct, at most max. */
int notify_group_accounts(app_ctx *c, int64_t viewer, const char *key, int max, int64_t **ids,
                          int *n);
/** Deletes a group's notifications; PL_ENOTFOUND as notify_group_get. */
int notify_group_dismiss(app_ctx *c, int64_t viewer, const char *key);
/** Groups with a notification newer than the notifications marker, counted up to limit. */
int notify_groups_unread(app_ctx *c, int64_t viewer, const notify_group_query *q, int limit,
                         int64_t *count);

#endif
