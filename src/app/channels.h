/**
 * channels.h — channels: group accounts people join to read and post together (C4).
 *
 * A channel is a group account (Account.group = true, so Mastodon apps can follow it) with a
 * channels row. Following it is joining it, and membership is that follow alone: a role
 * (owner, moderator; member is no row) counts only while its holder follows, and every way
 * out of the follow (leave, Mastodon's unfollow, blocking the channel, removal) drops the
 * role and keeps the one-owner rule. A private channel is a locked group account, so joining
 * waits for a moderator (a follow request); who follows it is told to its members only.
 * Administrators act as owners of every channel (and read every private one), but that power is
 * not membership: a channel an administrator has not joined is listed to them as one to join
 * (channels_view.member false, can_moderate true), and they join a private one at once. A post is
 * shared to a channel with `channel_id` on create, by mentioning the channel, or by replying to a
 * post in it; members get it in their home feeds by merge on read (no rows per member), and the
 * audience function lets only members see a private channel's posts.
 */
#ifndef PL_CHANNELS_H
#define PL_CHANNELS_H

#include "app/app.h"
#include "app/avatars.h"

/** A channel's settings: NULL / -1 = unchanged (create: defaults). */
typedef struct channels_new {
    const char *name, *display_name, *note;
    int is_private; /**< 0 public, 1 private */
    int posting;    /**< enum pl_channel_posting */
    /** new pictures (avatars_prepare; update only), NULL: kept */
    const struct avatars_new *avatar, *header;
} channels_new;

/** A channel as a viewer sees it. */
typedef struct channels_view {
    pl_channel ch;
    const pl_account *account;
    int role;               /**< the viewer's (enum pl_channel_role; administrators: owner) */
    bool member;            /**< the viewer joined it (the everyone channel: everyone); an
                                 administrator's powers do not make one a member here */
    bool can_moderate;      /**< the viewer moderates it (a moderator, owner or administrator) */
    bool requested;         /**< the viewer asked to join and waits */
    int64_t members;        /**< members (the everyone channel: every active account) */
    int64_t requests_count; /**< waiting join requests (moderators only; else 0) */
} channels_view;

int channels_create(app_ctx *c, int64_t creator, const channels_new *n, int64_t *id);
/** Moderators change the profile and posting; only owners make a channel private or public. */
int channels_update(app_ctx *c, int64_t actor, int64_t id, const channels_new *n);
/** A channel's avatar or header back to the drawn default (its moderators); the file goes. */
int channels_remove_picture(app_ctx *c, int64_t actor, int64_t id, enum avatar_kind kind);
int channels_view_of(app_ctx *c, int64_t viewer, int64_t id, channels_view *out);
/** Channels newest first; mine: only those the viewer is in. */
int channels_list(app_ctx *c, int64_t viewer, bool mine, const pl_page *p, pl_idlist *out);

/** Joining a public channel is immediate; a private one waits for a moderator, except for
 *  one who moderates it already (an administrator), who would only approve themselves. */
int channels_join(app_ctx *c, int64_t viewer, int64_t id);
/** Leaving drops one's role too; the last owner cannot leave (give the channel away first).
 *  The same as graph_unfollow() of the channel account; 422 for the everyone channel. */
int channels_leave(app_ctx *c, int64_t viewer, int64_t id);
/**
 * The rules of leaving, for every door out of a channel (graph_unfollow() calls it before the
 * follow ends): the only owner may not leave (422 "You are the channel's only owner: ...");
 * anyone else's role is dropped. PL_OK and nothing done when id is not a channel (or is the
 * everyone channel) or the account has no role.
 */
int channels_leaving(app_ctx *c, int64_t account, int64_t id);
/**
 * A request to join channel id was made (graph_follow of a private channel): each of its
 * moderators and owners gets a partyline.channel_request notification from the requester.
 * Administrators who hold no role there are not told (they moderate every channel: every
 * request of the company would be theirs). PL_OK and nothing when id is not a channel.
 */
int channels_request_made(app_ctx *c, int64_t requester, int64_t id);
/** A request to join was approved (graph_authorize, also a channel made public): the
 *  requester gets partyline.channel_approved from the channel. A refusal tells nothing (as
 *  Mastodon's rejected follow request): who refused stays the moderators' business. */
int channels_request_approved(app_ctx *c, int64_t requester, int64_t id);
int channels_requests(app_ctx *c, int64_t actor, int64_t id, const pl_page *p, pl_idlist *out);
int channels_decide(app_ctx *c, int64_t actor, int64_t id, int64_t account, bool accept);

/** Members newest first (keys: follow ids); roles[i] for ids[i] when roles is not NULL. The
 *  members of a private channel are listed to its members only. */
int channels_members(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *out,
                     int **roles);
/** Owners give and take roles (member, moderator, owner); the last owner stays. */
int channels_set_role(app_ctx *c, int64_t actor, int64_t id, int64_t account, int role);
/** One removes only people below one's own role, as it counts (administrators count as
 *  owners): moderators remove members; owners remove moderators and members (to remove an
 *  owner, an owner first takes the role away). 403 otherwise. */
int channels_remove_member(app_ctx *c, int64_t actor, int64_t id, int64_t account);

/** Moderators take a post out of the channel; then only its author and moderators see it. */
int channels_remove_status(app_ctx *c, int64_t actor, int64_t id, int64_t status_id);
int channels_pin(app_ctx *c, int64_t actor, int64_t id, int64_t status_id, bool pin);
/** May the viewer read the channel (its timeline, pins and members)? Public channels:
 *  anyone signed in; private ones: members (and administrators). */
bool channels_readable(app_ctx *c, int64_t viewer, const pl_channel *ch);
/** The pinned announcements the viewer may see, newest pin first; 404 for a private channel
 *  the viewer is not in (as for a post they may not see). */
int channels_pins(app_ctx *c, int64_t viewer, int64_t id, int64_t **ids, int *n);
/** The channel's posts the viewer may see, newest first (paged); 404 as channels_pins(). */
int channels_timeline(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *out);

/**
 * Where a new post goes: *channel_id (0 = none) from the request's channel_id, else from the
 * post it replies to, else from the first channel it mentions that the author is in; checks
 * that the author may post there and fits *visibility to the channel (a private channel's
 * posts are company-wide in form, gated by membership; followers-only in a public channel
 * becomes company). 403/422 with a reason when not allowed.
 */
int channels_place_post(app_ctx *c, int64_t author, int64_t requested, const pl_status *parent,
                        const int64_t *mentions, int n_mentions, int *visibility,
                        int64_t *channel_id);

/** Makes the "everyone" channel (every account a member) if there is none yet. */
int channels_ensure_everyone(app_ctx *c);

#endif
