/**
 * store/channels.h — channels (accounts that people follow to join): settings, roles,
 * posts shared to them, pinned announcements, and what a home feed merges on read.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_CHANNELS_H
#define PL_STORE_CHANNELS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/** Inserts the channels row of a channel account (ch->id, made with store_account_insert);
 *  PL_ECONFLICT if it has one. */
int store_channel_insert(db *d, const pl_channel *ch);
/** The channel with this account id; PL_ENOTFOUND if that account is no channel. */
int store_channel_get(db *d, int64_t id, pl_channel *out);
/** The "everyone" channel, PL_ENOTFOUND until it is made. */
int store_channel_everyone(db *d, pl_channel *out);
/** Updates is_private and posting of ch->id (the account's `locked` is the caller's). */
int store_channel_update(db *d, const pl_channel *ch);
/** Channels newest first (keys: ids); member != 0: only those member is in (the everyone
 *  channel too). */
int store_channels_list(db *d, int64_t member, const pl_page *p, arena *a, pl_idlist *out);
/** Every channel member is in (the everyone channel too), with its last post time, in no
 *  particular order; *out in the arena. */
int store_channels_of(db *d, int64_t member, arena *a, pl_list_member **out, int *n);
/** The accounts account_id follows, as store_following, less the private channels that
 *  viewer is not in (who is in a private channel is told to its members only). */
int store_following_seen_by(db *d, int64_t account_id, int64_t viewer, const pl_page *p, arena *a,
                            pl_idlist *out);
/** How many private channels account_id is in (follows): *n. */
int store_private_channels_followed(db *d, int64_t account_id, int64_t *n);
/** The role (enum pl_channel_role) of an account in a channel; ROLE_NONE for a plain member
 *  or a non-member (membership is a follow: store_follows). */
int store_channel_role(db *d, int64_t channel_id, int64_t account_id, int *role);
/** Sets a role; ROLE_NONE removes it. */
int store_channel_role_set(db *d, int64_t channel_id, int64_t account_id, int role);
/** Who moderates the channel: the accounts holding moderator or owner there that still
 *  follow it (a role counts only with the follow), in *ids (arena), *n of them. */
int store_channel_moderators(db *d, int64_t channel_id, arena *a, int64_t **ids, int *n);
/** How many accounts hold `role` in the channel. */
int store_channel_role_count(db *d, int64_t channel_id, int role, int64_t *n);
/** The roles of ids[0..n) into roles[0..n) (ROLE_NONE for none), STORE_BATCH per query (a
 *  page of members). */
int store_channel_roles(db *d, int64_t channel_id, const int64_t *ids, int n, int *roles);
/** The channels where account_id holds `role` (its row, whether or not it still follows),
 *  ascending; *ids in the arena. */
int store_channel_roles_held(db *d, int64_t account_id, int role, arena *a, int64_t **ids, int *n);
/** Who takes a channel over from `leaving`: another owner if there is one (then *id is that
 *  owner and *owner true), else the moderator who joined first; only members who still
 *  follow the channel and are not disabled. PL_ENOTFOUND when there is nobody. */
int store_channel_successor(db *d, int64_t channel_id, int64_t leaving, int64_t *id, bool *owner);
/** Drops every role account_id holds (off-boarding); *n how many. */
int store_channel_roles_drop(db *d, int64_t account_id, int64_t *n);
/** Posts shared to a channel and not removed from it, newest first. */
int store_statuses_by_channel(db *d, int64_t channel_id, const pl_page *p, arena *a,
                              pl_idlist *out);
/** As store_statuses_by_accounts, for posts shared to any of up to STORE_BATCH channels (and
 *  not removed from them). */
int store_statuses_by_channels(db *d, const int64_t *channels, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out);
/** A moderator takes a post out of its channel (and off its pins); the channel stream hears a
 *  delete of it. PL_OK if it was in no channel or removed already. */
int store_status_channel_remove(db *d, int64_t status_id);
/** Pins a post as a channel's announcement, by a moderator (0: unknown; influence counts the
 *  pin as theirs) (pinned already: no change). */
int store_channel_pin_add(db *d, int64_t channel_id, int64_t status_id, int64_t by, int64_t now);
/** Unpins it; PL_OK whether or not it was pinned. */
int store_channel_pin_remove(db *d, int64_t channel_id, int64_t status_id);
/** What a home feed merges on read — the big accounts the viewer follows (big accounts first,
 *  by id), the channels they are in (then the everyone channel), the hashtags they follow
 *  (`tag`) — and whom it leaves out (the members of the viewer's exclusive lists, `excluded`;
 *  possibly repeated): store_merge_candidates met with the viewer's follows, then
 *  store_merge_sources_of. */
int store_merge_sources(db *d, int64_t viewer, arena *a, pl_merge_source **out, int *n);
/** The company's candidates of every home feed's merge, by kind then id: its big accounts, its
 *  channels but the everyone channel, the everyone channel (the partial indexes accounts_big
 *  and accounts_group; a few hundred at 100k people). They change when an account does. */
int store_merge_candidates(db *d, arena *a, pl_merge_candidate **out, int *n);
/** store_merge_sources with the candidates and the viewer's follows (sorted ascending) given:
 *  the candidates followed (the everyone channel always), each big one's show_reblogs from
 *  the follows that hide boosts (migration 065), then in one query the viewer's own part —
 *  the exclusive lists' members and the followed hashtags. */
int store_merge_sources_of(db *d, int64_t viewer, const pl_merge_candidate *cand, int n_cand,
                           const int64_t *following, int n_following, arena *a,
                           pl_merge_source **out, int *n);
/** How many channels an account made (the caller applies the limit). */
int store_channels_created_by(db *d, int64_t account_id, int64_t *n);
/** Active people (not channels, not disabled), newest first (keys: ids): the everyone
 *  channel's members. */
int store_people(db *d, const pl_page *p, arena *a, pl_idlist *out);
/** A channel's pinned announcements, newest pin first; *ids in the arena. */
int store_channel_pins(db *d, int64_t channel_id, arena *a, int64_t **ids, int *n);

#endif
