/**
 * notify.h — notifications ("John engaged with the update you shared") and read markers.
 */
#ifndef PL_NOTIFY_H
#define PL_NOTIFY_H

#include "app/app.h"

/**
 * Notifies account_id that from_id did `type` ("mention", "follow", "favourite", "reblog",
 * "update", "status") about status_id (0 = none). Nothing happens for oneself, when the
 * recipient blocks from_id or mutes them with notifications hidden, when the recipient
 * muted the conversation status_id is in (app/thread_mutes.h), or when their notification
 * policy drops it; a policy that filters it writes it aside (app/notify_policy.h).
 */
int notify_push(app_ctx *c, int64_t account_id, int64_t from_id, const char *type,
                int64_t status_id);

/** The notification types about a channel (docs/api.md "Join requests"): named with our
 *  prefix, as Mastodon names its own extensions ("admin.sign_up"), so that apps which do
 *  not know them skip them, as Mastodon's apps skip a type they do not know. */
#define NOTIFY_CHANNEL_REQUEST "partyline.channel_request"
#define NOTIFY_CHANNEL_APPROVED "partyline.channel_approved"

/** As notify_push, about channel_id instead of a post (the NOTIFY_CHANNEL_* types). */
int notify_channel(app_ctx *c, int64_t account_id, int64_t from_id, const char *type,
                   int64_t channel_id);

/** Listening's volume alert (docs/api.md "Listening"): to the watch's owner, from themselves
 *  (their watch spoke), about the alert. */
#define NOTIFY_ALERT "partyline.alert"

/** Tells account_id about their watch's alert_id (NOTIFY_ALERT): their own, so no block, mute
 *  or policy stands between. */
int notify_alert(app_ctx *c, int64_t account_id, int64_t alert_id);

/** Mastodon's type of a new report's notification to moderators and administrators. */
#define NOTIFY_REPORT "admin.report"

/** As notify_push, about report_id (NOTIFY_REPORT; app/reports.c tells every staff member). */
int notify_report(app_ctx *c, int64_t account_id, int64_t from_id, int64_t report_id);

/**
 * A poll of status s ended: notifies its author (from themselves, as Mastodon; not if they
 * muted its conversation) and each voter who may still see s (from the author, with
 * notify_push's blocks and mutes).
 */
int notify_poll_ended(app_ctx *c, const pl_status *s, const int64_t *voters, int n);

/** The viewer's notifications, newest first, only those whose status they may still see and
 *  no "hide" filter of their notifications context matches (sets c->filter_context); those
 *  their notification policy held back only if include_filtered (app/notify_policy.h). */
int notify_list(app_ctx *c, int64_t viewer, int64_t from_id, const char *const *types,
                const char *const *exclude, bool include_filtered, const pl_page *p,
                pl_notification **out, int *n);
int notify_get(app_ctx *c, int64_t viewer, int64_t id, pl_notification *out);
int notify_dismiss(app_ctx *c, int64_t viewer, int64_t id);
int notify_clear(app_ctx *c, int64_t viewer);

/**
 * The viewer's unread notifications: those newer than the notifications marker that
 * notify_list would show, counted up to max_unread_count (0 when none). except_direct leaves
 * out those about direct posts (the web client counts them once, as unread conversations).
 */
int notify_unread_count(app_ctx *c, int64_t viewer, bool except_direct, int64_t *n);

/** Read markers for "home" and "notifications". */
int markers_get(app_ctx *c, int64_t viewer, const char *timeline, pl_marker *out);
int markers_set(app_ctx *c, int64_t viewer, const char *timeline, int64_t last_read_id);

#endif
