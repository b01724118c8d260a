/**
 * audience.h — the one function that decides who may see a post.
 *
 * Every read path (a status, context, timelines, notifications, search, and later
 * streaming and exports) asks audience_can_see(). Rules:
 *   - the author always sees their post;
 *   - nobody the author blocks sees it, and a viewer who blocks the author does not get it
 *     in lists (they can still open it by id, as Mastodon);
 *   - public and unlisted: any signed-in member; signed-out visitors only if the
 *     public_read setting is on;
 *   - company: any signed-in member, never a signed-out visitor;
 *   - private (followers): followers of the author and accounts mentioned in it;
 *   - list: the members of the author's list it was shared with (as the list is now) and
 *     accounts mentioned in it;
 *   - direct: accounts mentioned in it.
 *   - ticket (a ticket's thread, app/tickets.h): the ticket's requester and the service team;
 *     being mentioned opens nothing;
 *   - internal (a ticket's work notes): the service team only.
 *   - a post shared to a channel passes the channel's gate first: in a private channel only
 *     members see it; a post a moderator removed from its channel is seen only by its author
 *     and the channel's moderators (and owners, and administrators).
 * A reblog is visible when both the reblog (by its own visibility: a followers-only boost
 * reaches the booster's followers) and the post it boosts are visible.
 *
 * Moderation does not pass through here: a report shows the posts it names to moderators by
 * itself (app/reports.h, audited), and nobody else's view changes; a suspended author hides
 * their posts through app_account (app.h), a silenced one's reach is app_reaches.
 *
 * Every decision fails closed: a relation that cannot be read (a database error) is taken the
 * way that shows less — a block or mute that cannot be read is there; a follow, mention, list
 * membership, channel membership or channel that cannot be read is not (app_blocks and its
 * kin in app.h, store_blocks and store_mutes in store/graph.h).
 */
#ifndef PL_AUDIENCE_H
#define PL_AUDIENCE_H

#include "app/app.h"

/** viewer_id 0 = signed out. */
bool audience_can_see(app_ctx *c, int64_t viewer_id, const pl_status *s);

/** The same rules for a post known to mention viewer_id (signed in), without asking the
 *  database: for a deleted post's record, whose mention rows are gone (app/stream.c). Every
 *  other rule still applies — above all, nobody the author blocks sees it. */
bool audience_can_see_mentioned(app_ctx *c, int64_t viewer_id, const pl_status *s);

#endif
