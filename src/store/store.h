/**
 * store.h — the typed persistence functions the app layer calls.
 *
 * All SQL of partyline lives behind these functions (the files of src/store), in portable SQL over
 * db.h. Functions return PL_OK or a negative PL_E* code; records are filled into caller
 * structs whose strings live in the caller's arena. Writes must run on a writable
 * connection inside a transaction the caller opened (the writer thread does that).
 * Nothing here checks permissions: that is the app layer's job.
 */
#ifndef PL_STORE_H
#define PL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/* ---- schema (migrate.c) ---- */

/** Brings the schema up to date; safe to call on every start. */
int store_migrate(db *d);

/* ---- meta (migrate.c) ---- */
int store_meta_get(db *d, const char *key, arena *a, const char **value);
int store_meta_set(db *d, const char *key, const char *value);

/** Reverses a list in place (ids and keys together). */
void pl_idlist_reverse(pl_idlist *l);

/** Rows read by one "… WHERE id IN (…)" (a page of statuses or their authors at once). */
enum { STORE_BATCH = 40 };

/* ---- accounts (accounts.c) ---- */
int store_account_insert(db *d, const pl_account *acc);
int store_account_get(db *d, int64_t id, arena *a, pl_account *out);
/** The accounts of up to STORE_BATCH ids, in any order, into out[] (*nout of them; unknown
 *  ids are left out). */
int store_accounts_get(db *d, const int64_t *ids, int n, arena *a, pl_account *out, int *nout);
/** Case-insensitive. */
int store_account_by_username(db *d, const char *username, arena *a, pl_account *out);
int store_account_by_email(db *d, const char *email, arena *a, pl_account *out);
/** A live (not revoked) token and, in the same query, its account's row (*has_account false
 *  for an app-only token or a deleted account). PL_ENOTFOUND for an unknown token. */
int store_token_with_account(db *d, const char *token_hash, arena *a, pl_token *tok,
                             pl_account *acc, bool *has_account);
/** Loads acc->fields (acc->fields_count entries). */
int store_account_fields(db *d, pl_account *acc, arena *a);
/** Updates profile columns (display_name, note, note_html, locked, bot, discoverable,
 *  default_privacy, default_sensitive, default_language, hide_collections, hide_boosts)
 *  from acc. */
int store_account_update_profile(db *d, const pl_account *acc);
/** Replaces the profile fields. */
int store_account_set_fields(db *d, int64_t account_id, const pl_field *fields, int n);
int store_account_set_password(db *d, int64_t id, const char *hash);
int store_account_set_disabled(db *d, int64_t id, bool disabled);
int store_account_set_approved(db *d, int64_t id, bool approved);
int store_account_set_big(db *d, int64_t id, bool big);
/** Adds delta to followers/following/statuses counts (any may be 0). */
int store_account_add_counts(db *d, int64_t id, int followers, int following, int statuses);
int store_account_touch_status(db *d, int64_t id, int64_t at);
/** People (not channels) ordered by id, for admin list-users; calls fn for each. */
int store_account_each(db *d, arena *a, void (*fn)(const pl_account *, void *), void *ud);
/** The number of people (channels are accounts too, and not counted). */
int store_account_count(db *d, int64_t *n);
/** Keeps why account_id asked to join (registrations needing approval). */
int store_registration_reason_insert(db *d, int64_t account_id, const char *reason);
/** Forgets it (the account was approved); PL_OK whether or not there was one. */
int store_registration_reason_delete(db *d, int64_t account_id);
/** Every person waiting for approval, in id order, with their reason (NULL if they gave
 *  none). */
int store_account_each_pending(db *d, arena *a,
                               void (*fn)(const pl_account *, const char *reason, void *),
                               void *ud);
/** Counts for /api/v1/instance and the everyone channel: active people, and their posts and
 *  boosts as their profiles count them (the sum of statuses_count, as Mastodon does). One
 *  range of the covering index accounts_stats: it reads accounts, never posts. */
int store_stats(db *d, int64_t *users, int64_t *statuses);

/* ---- apps, tokens, codes (auth.c) ---- */
int store_app_insert(db *d, const pl_app *app);
int store_app_by_client_id(db *d, const char *client_id, arena *a, pl_app *out);
int store_app_get(db *d, int64_t id, arena *a, pl_app *out);
int store_token_insert(db *d, int64_t id, const char *token_hash, int64_t app_id,
                       int64_t account_id, const char *scopes, int64_t now);
/** A live (not revoked) token by its hash. */
int store_token_by_hash(db *d, const char *token_hash, arena *a, pl_token *out);
int store_token_revoke(db *d, const char *token_hash, int64_t now);
/** Revokes every token of an account (disable, password change). */
int store_tokens_revoke_account(db *d, int64_t account_id, int64_t now);
int store_code_insert(db *d, const char *code_hash, int64_t app_id, int64_t account_id,
                      const char *redirect_uri, const char *scopes, const char *challenge,
                      const char *method, int64_t expires_at);
typedef struct pl_auth_code {
    int64_t app_id, account_id, expires_at;
    const char *redirect_uri, *scopes, *challenge, *challenge_method;
    bool used;
} pl_auth_code;
int store_code_get(db *d, const char *code_hash, arena *a, pl_auth_code *out);
/** Marks a code used, atomically: PL_OK for exactly one caller, PL_ENOTFOUND when it was
 *  already used (or does not exist). Two racing redemptions cannot both succeed. */
int store_code_claim(db *d, const char *code_hash);
/** Deletes up to `limit` apps with after_id < id < before_id that were never used (no token,
 *  no authorization code ever issued); *deleted tells how many. Ids are time-ordered, so
 *  before_id is a creation time. */
int store_apps_prune_unused(db *d, int64_t after_id, int64_t before_id, int limit, int *deleted);

/* ---- statuses (posts.c) ---- */
int store_status_insert(db *d, const pl_status *s);
int store_status_get(db *d, int64_t id, arena *a, pl_status *out);
/** The statuses of up to STORE_BATCH ids, in any order (unknown ids left out). */
int store_statuses_get(db *d, const int64_t *ids, int n, arena *a, pl_status *out, int *nout);
/** Updates text, content, spoiler_text, sensitive, language, edited_at, counts of entities. */
int store_status_update(db *d, const pl_status *s);
/** Deletes a status with what hangs on it: mentions, tags, edits, poll, favourites,
 *  bookmarks, its pin, feed rows. */
int store_status_delete(db *d, int64_t id);
int store_status_add_counts(db *d, int64_t id, int replies, int reblogs, int favourites);
int store_status_mention_add(db *d, int64_t status_id, int64_t account_id);
int store_status_mentions(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
int store_status_mentions_clear(db *d, int64_t status_id);
bool store_status_mentions_account(db *d, int64_t status_id, int64_t account_id);
int store_status_tag_add(db *d, int64_t status_id, const char *tag);
int store_status_tags(db *d, int64_t status_id, arena *a, const char ***tags, int *n);
int store_status_tags_clear(db *d, int64_t status_id);
int store_status_edit_insert(db *d, const pl_status_edit *e);
int store_status_edits(db *d, int64_t status_id, arena *a, pl_status_edit **out, int *n);
/** Direct replies of a status, oldest first (capped at limit). */
int store_status_replies(db *d, int64_t status_id, int limit, arena *a, int64_t **ids, int *n);
/** The reblog of status_id by account_id, if any (0 if none). */
int store_status_reblog_by(db *d, int64_t status_id, int64_t account_id, int64_t *reblog_id);
/** Ids of reblogs of a status (to delete them with it). */
int store_status_reblogs(db *d, int64_t status_id, arena *a, int64_t **ids, int *n);
int store_idempotency_get(db *d, int64_t account_id, const char *key, int64_t *status_id);
int store_idempotency_put(db *d, int64_t account_id, const char *key, int64_t status_id,
                          int64_t now);

/* Paged id lists (newest first). Each returns status ids in out->ids. */
/** Newest first, at most `limit`: the ids of posts by any of `accounts` (up to STORE_BATCH)
 *  with above < id < below (below 0: no upper bound). The home feed's merge of big accounts
 *  when only a short window of time can still change the page. */
int store_statuses_by_accounts(db *d, const int64_t *accounts, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out);
int store_statuses_by_account(db *d, int64_t account_id, bool exclude_replies, bool exclude_reblogs,
                              const pl_page *p, arena *a, pl_idlist *out);
int store_statuses_public(db *d, const pl_page *p, arena *a, pl_idlist *out);
int store_statuses_by_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses with the tag whatever their audience (the caller filters: a list's hashtag). */
int store_statuses_with_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out);

/* ---- search (search.c) ---- */
/** What store_search_statuses looks for; the app layer parses a user's query into it. */
typedef struct pl_search {
    const char *const *terms; /**< words or phrases (their text, unquoted), n_terms of them:
                                   each must occur, a phrase as consecutive words, in the text
                                   or the content warning */
    int n_terms;
    const char *tag;      /**< a normalized hashtag the status must carry, or NULL */
    int64_t account_id;   /**< the author, 0 = anyone */
    int64_t channel_id;   /**< the channel it was shared to, 0 = anywhere */
    int64_t above, below; /**< exclusive bounds on the status id, 0 = none */
    bool has_poll;        /**< only statuses with a poll */
    bool is_reply;        /**< only replies */
} pl_search;

/** Orders of store_search_statuses. */
enum pl_search_order { SEARCH_NEWEST = 0, SEARCH_OLDEST = 1, SEARCH_RELEVANCE = 2 };

/**
 * The ids of statuses (never boosts) matching q, skipping `offset` rows and returning at
 * most `limit`, in out->ids (keys = ids): newest first, oldest first (ascending), or by
 * relevance (best first, ties newest first; relevance needs terms, else it is newest first).
 * Terms are matched through the full-text index (FTS5 on SQLite, GIN over tsvector on
 * PostgreSQL), which follows inserts, edits and deletes in their own transaction. q needs
 * terms, a tag, an author or a channel: PL_EINVAL otherwise. Nobody's visibility is checked here.
 */
int store_search_statuses(db *d, const pl_search *q, int order, int offset, int limit, arena *a,
                          pl_idlist *out);
/**
 * Accounts (enabled, approved) whose username or a word of whose display name starts with
 * `prefix` (lower case; the match ignores ASCII case), leaving out those who block `viewer`
 * or whom `viewer` blocks; with `following`, only accounts `viewer` follows. The exact
 * username first, then by followers. *ids in the arena.
 */
int store_search_accounts(db *d, const char *prefix, int64_t viewer, bool following, int offset,
                          int limit, arena *a, int64_t **ids, int *n);
/**
 * Distinct hashtags starting with `prefix` (normalized), in byte order, that some public or
 * unlisted status carries (a tag used only in followers-only or direct posts is not shown).
 */
int store_search_tags(db *d, const char *prefix, int offset, int limit, arena *a,
                      const char ***tags, int *n);

/* ---- polls (polls.c) ---- */
/** Inserts a poll and its options (p->titles, p->n_options) with no votes. */
int store_poll_insert(db *d, const pl_poll *p);
/** A poll with its options in order, titles and counts in the arena; PL_ENOTFOUND if none. */
int store_poll_get(db *d, int64_t id, arena *a, pl_poll *out);
/** The options account_id chose, ascending (*n = 0 if it has not voted). */
int store_poll_own_votes(db *d, int64_t poll_id, int64_t account_id, arena *a, int **choices,
                         int *n);
/**
 * Records account_id's vote (n distinct, valid choices) and counts it. PL_ECONFLICT, with
 * nothing written, if the account has voted on this poll already; PL_ENOTFOUND if the poll is
 * gone. Holds the poll's row lock until the transaction ends, so concurrent votes of one
 * account on several nodes cannot both pass the check.
 */
int store_poll_vote(db *d, int64_t poll_id, int64_t account_id, const int *choices, int n,
                    int64_t now);
/**
 * Sets expires_at, multiple, hide_totals from p and makes the poll due for its end
 * notifications again; with reset, also replaces the options by p's and drops every vote.
 */
int store_poll_update(db *d, const pl_poll *p, bool reset);
/** Deletes a poll with its options and votes (the status's poll_id is the caller's). */
int store_poll_delete(db *d, int64_t poll_id);
/** The distinct accounts that voted on a poll, ascending. */
int store_poll_voters(db *d, int64_t poll_id, arena *a, int64_t **ids, int *n);
/**
 * Claims up to `limit` polls that ended at or before `now` and whose end was not notified
 * yet: marks them notified and returns their ids. Call inside the transaction that sends the
 * notifications; on PostgreSQL the rows stay locked until it ends and other nodes skip them,
 * and a rollback leaves them to be claimed again.
 */
int store_polls_claim_ended(db *d, int64_t now, int limit, arena *a, int64_t **ids, int *n);

/* ---- pinned statuses (pins.c) ---- */
/**
 * Pins status_id to account_id's profile, unless it is pinned already (PL_OK either way).
 * PL_ELIMIT, with nothing written, if the account has `max` pins already. On PostgreSQL the
 * account's row is locked until the transaction ends, so two writers pinning for one account
 * at once cannot both pass the count. Nothing here checks who wrote the status.
 */
int store_pin_insert(db *d, int64_t id, int64_t account_id, int64_t status_id, int max,
                     int64_t now);
/** PL_OK whether or not the status was pinned by the account. */
int store_pin_delete(db *d, int64_t account_id, int64_t status_id);
bool store_pinned(db *d, int64_t account_id, int64_t status_id);
int store_pins_count(db *d, int64_t account_id, int64_t *n);
/** The account's pinned statuses, newest pin first (keys: pin ids). */
int store_pins_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Every status the account pinned, ascending by status id (a viewer's own few pins). */
int store_pins_all(db *d, int64_t account_id, arena *a, int64_t **ids, int *n);

/* ---- social graph (graph.c) ---- */
int store_follow_insert(db *d, int64_t id, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify, int64_t now);
int store_follow_update(db *d, int64_t account_id, int64_t target_id, bool show_reblogs,
                        bool notify);
/** PL_OK if removed, PL_ENOTFOUND if there was no such follow. */
/* follow requests: a follow of a locked account or a private channel, waiting */
int store_follow_request_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                                bool show_reblogs, bool notify, int64_t now);
int store_follow_request_get(db *d, int64_t account_id, int64_t target_id, bool *show_reblogs,
                             bool *notify);
/** PL_ENOTFOUND when there was none. */
int store_follow_request_delete(db *d, int64_t account_id, int64_t target_id);
bool store_follow_requested(db *d, int64_t account_id, int64_t target_id);
/** Who asked to follow target, newest first (keys: the request ids). */
int store_follow_requests(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out);
int store_follow_requests_count(db *d, int64_t target_id, int64_t *n);
int store_follow_delete(db *d, int64_t account_id, int64_t target_id);
bool store_follows(db *d, int64_t account_id, int64_t target_id);
int store_relationship(db *d, int64_t viewer, int64_t target, pl_relationship *out);
/** Followers (who follow target) / following (whom account follows); keys are follow ids. */
int store_followers(db *d, int64_t target_id, const pl_page *p, arena *a, pl_idlist *out);
int store_following(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
int store_block_insert(db *d, int64_t id, int64_t account_id, int64_t target_id);
int store_block_delete(db *d, int64_t account_id, int64_t target_id);
/** Does account_id block target_id? True also on a database error (every audience decision
 *  fails closed: app/audience.h). */
bool store_blocks(db *d, int64_t account_id, int64_t target_id);
int store_mute_insert(db *d, int64_t id, int64_t account_id, int64_t target_id,
                      bool hide_notifications, int64_t expires_at);
int store_mute_delete(db *d, int64_t account_id, int64_t target_id);
/** Muted now (an expired mute does not count); *hide_notifications may be NULL. True, with
 *  *hide_notifications true, also on a database error (fails closed, as store_blocks). */
bool store_mutes(db *d, int64_t account_id, int64_t target_id, int64_t now,
                 bool *hide_notifications);
/**
 * In one query, for per-request caches: who blocks the account (set 0), whom it blocks (1),
 * whom it mutes now (2), who mutes it now (3; `now` drops expired mutes).
 */
int store_viewer_relations(db *d, int64_t account_id, int64_t now, arena *a, pl_idsets *out);
int store_following_ids(db *d, int64_t account_id, int64_t now, arena *a, int64_t **ids, int *n);
int store_blocks_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
int store_mutes_list(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

/* ---- engagement (engage.c) ---- */
int store_favourite_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
int store_favourite_delete(db *d, int64_t account_id, int64_t status_id);
bool store_favourited(db *d, int64_t account_id, int64_t status_id);
int store_bookmark_insert(db *d, int64_t id, int64_t account_id, int64_t status_id);
int store_bookmark_delete(db *d, int64_t account_id, int64_t status_id);
bool store_bookmarked(db *d, int64_t account_id, int64_t status_id);
/**
 * In one query: the statuses with ids in [lo, hi] the account favourited (set 0),
 * bookmarked (1) and reblogged (2), at most `max` of each (PL_ELIMIT if there are more: the
 * caller falls back to one-by-one checks).
 */
int store_viewer_flags(db *d, int64_t account_id, int64_t lo, int64_t hi, int max, arena *a,
                       pl_idsets *out);
/** Accounts who favourited / reblogged a status (keys: favourite id / reblog id). */
int store_favourited_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
int store_reblogged_by(db *d, int64_t status_id, const pl_page *p, arena *a, pl_idlist *out);
/** Statuses the account favourited / bookmarked (keys: favourite / bookmark ids). */
int store_favourites_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
int store_bookmarks_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

/* ---- home timelines (timeline.c) ---- */
/**
 * Writes status_id into the home feed of every follower of author_id (and the author's own),
 * except replies to someone a follower does not follow (as Mastodon). Returns the number of
 * feeds written in *n.
 */
int store_timeline_fanout(db *d, int64_t author_id, int64_t status_id, int64_t reply_to_account_id,
                          bool is_reblog, int64_t *n);
int store_timeline_insert(db *d, int64_t account_id, int64_t status_id);

/** A post waiting to be copied into its followers' feeds (fanout_queue). */
typedef struct pl_fanout {
    int64_t status_id, author_id, reply_to_account_id, cursor;
    bool is_reblog;
} pl_fanout;
int store_fanout_enqueue(db *d, const pl_fanout *f, int64_t now);
/** The oldest waiting fan-out that no other node is working on (call inside the transaction
 *  that does the chunk: on PostgreSQL the row stays locked until it ends); PL_ENOTFOUND when
 *  there is none. */
int store_fanout_next(db *d, pl_fanout *out);
/**
 * Copies f's post into the feeds of up to `limit` of its author's followers after f->cursor
 * (by follows.id), with the same rules as store_timeline_fanout; advances the queue row, or
 * removes it when every follower is done. *rows receives the feeds written.
 */
int store_fanout_chunk(db *d, const pl_fanout *f, int limit, int64_t *rows);
int store_timeline_remove_status(db *d, int64_t status_id);
/** Removes every entry of author_id from account_id's feed (on unfollow or block). */
int store_timeline_remove_author(db *d, int64_t account_id, int64_t author_id);
/** Copies author_id's recent posts into account_id's feed (on follow). */
int store_timeline_backfill(db *d, int64_t account_id, int64_t author_id, int limit);
/** Keeps the newest `keep` entries of account_id's feed. */
int store_timeline_trim(db *d, int64_t account_id, int keep);
/**
 * Trims the feeds of up to `batch` accounts with ids above after_id to `keep` entries each;
 * *last_id receives the last account trimmed (0 when the end was reached: start over).
 */
int store_timeline_trim_batch(db *d, int64_t after_id, int batch, int keep, int64_t *last_id);
int store_timeline_page(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);

/* ---- lists (lists.c) ---- */
/* Every function taking an owner touches only that owner's lists: another person's list id
 * is PL_ENOTFOUND, as a missing one. */
int store_list_insert(db *d, const pl_list *l);
int store_list_get(db *d, int64_t owner, int64_t id, arena *a, pl_list *out);
/** Updates title, replies_policy and is_exclusive of l (which must belong to l->account_id). */
int store_list_update(db *d, const pl_list *l);
/** Deletes the list and its members; PL_ENOTFOUND if the owner has no such list. */
int store_list_delete(db *d, int64_t owner, int64_t id);
/** The owner's lists in the owner's order (store_lists_reorder; new lists last). */
int store_lists_of(db *d, int64_t owner, arena *a, pl_list **out, int *n);
/** Puts the owner's lists ids[0..n) in that order (positions 1..n). The caller checks that
 *  ids are exactly the owner's lists; an id that is not one of them is PL_ENOTFOUND. */
int store_lists_reorder(db *d, int64_t owner, const int64_t *ids, int n);
int store_lists_count(db *d, int64_t owner, int64_t *n);
/** The owner's lists that hold account_id, oldest first. */
int store_lists_with_member(db *d, int64_t owner, int64_t account_id, arena *a, pl_list **out,
                            int *n);
/** PL_ECONFLICT if the account is already a member. */
int store_list_member_add(db *d, int64_t list_id, int64_t account_id, int64_t now);
/** PL_OK whether or not it was a member. */
int store_list_member_remove(db *d, int64_t list_id, int64_t account_id);
bool store_list_has_member(db *d, int64_t list_id, int64_t account_id);
int store_list_member_count(db *d, int64_t list_id, int64_t *n);
/** Members paged by account id (keys: account ids), newest account first. */
int store_list_members(db *d, int64_t list_id, const pl_page *p, arena *a, pl_idlist *out);
/**
 * Every member with what the list timeline's merge needs, in no particular order (the owner's
 * follow gives show_reblogs; a member the owner no longer follows shows boosts).
 */
int store_list_members_all(db *d, int64_t list_id, int64_t owner, arena *a, pl_list_member **out,
                           int *n);
/** A list's channels and hashtags, by kind then value. */
int store_list_sources(db *d, int64_t list_id, arena *a, pl_list_source **out, int *n);
/** Adds a source (again: no change). */
int store_list_source_add(db *d, int64_t list_id, int kind, const char *value, int64_t now);
int store_list_source_remove(db *d, int64_t list_id, int kind, const char *value);
int store_list_sources_clear(db *d, int64_t list_id);
/** Does the list take this status: by its author, its channel or one of its tags? */
bool store_list_takes(db *d, int64_t list_id, int64_t author, int64_t channel_id,
                      int64_t status_id);
/** Removes account_id from every list of owner (on unfollow and block). */
int store_lists_forget_account(db *d, int64_t owner, int64_t account_id);
/** The members of the owner's exclusive lists (kept out of the home feed), sorted ascending. */
int store_lists_exclusive_members(db *d, int64_t owner, arena *a, int64_t **ids, int *n);

/* ---- direct conversations (conversations.c) ---- */
/* Functions taking an owner touch only that owner's rows: another person's conversation id
 * is PL_ENOTFOUND, as a missing one. */
/** The conversation (thread) a direct status belongs to; PL_ENOTFOUND if it has none. */
int store_status_conversation_get(db *d, int64_t status_id, int64_t *conversation_id);
int store_status_conversation_set(db *d, int64_t status_id, int64_t conversation_id);
/**
 * Adds status_id to account_id's row for (conversation_id, participants) — the n other
 * participants, any order, no duplicates — making the row (with id new_id) if there is none.
 * The row's last status becomes status_id if it is newer. A new row's unread flag is
 * `unread`; an existing row's is set to `unread` when set_unread, else kept.
 */
int store_conversation_add_status(db *d, int64_t new_id, int64_t account_id,
                                  int64_t conversation_id, const int64_t *participants, int n,
                                  int64_t status_id, bool unread, bool set_unread);
/** The rows that hold status_id (every owner), in no particular order. */
int store_conversations_with_status(db *d, int64_t status_id, arena *a, pl_conversation **out,
                                    int *n);
/**
 * Takes status_id out of every row that holds it: a row left empty is deleted, the others'
 * last status is their newest remaining one. Also forgets the status's thread.
 */
int store_conversations_remove_status(db *d, int64_t status_id);
int store_conversation_get(db *d, int64_t owner, int64_t id, arena *a, pl_conversation *out);
/** The owner's rows, newest last status first (keys: last status ids), paged by those. */
int store_conversations_page(db *d, int64_t owner, const pl_page *p, arena *a,
                             pl_conversation **out, int *n);
/** Statuses of a row, newest first, at most limit. */
int store_conversation_statuses(db *d, int64_t id, int limit, arena *a, int64_t **ids, int *n);
int store_conversation_mark_read(db *d, int64_t owner, int64_t id);
/** Deletes the owner's row and its status list; PL_ENOTFOUND if the owner has no such row. */
int store_conversation_delete(db *d, int64_t owner, int64_t id);
/** The owner's unread rows, counted up to cap. */
int store_conversations_unread_count(db *d, int64_t owner, int cap, int64_t *n);
/* ---- filters (filters.c) ---- */
/* Every function taking an owner touches only that owner's rows: another person's filter,
 * keyword or filter status id is PL_ENOTFOUND, as a missing one. */
int store_filter_insert(db *d, const pl_filter *f);
/** Updates title, context, action and expires_at of f (which must belong to f->account_id). */
int store_filter_update(db *d, const pl_filter *f);
/** Deletes the filter with its keywords and statuses; PL_ENOTFOUND if the owner has none. */
int store_filter_delete(db *d, int64_t owner, int64_t id);
/** One filter with its keywords and statuses. */
int store_filter_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter *out);
/** Every filter of the owner, oldest first, with keywords and statuses (one query when the
 *  owner has none, three otherwise). */
int store_filters_of(db *d, int64_t owner, arena *a, pl_filter **out, int *n);
int store_filters_count(db *d, int64_t owner, int64_t *n);
int store_filter_keyword_insert(db *d, const pl_filter_keyword *k, int64_t now);
/** Updates keyword and whole_word of k (which must belong to k->account_id). */
int store_filter_keyword_update(db *d, const pl_filter_keyword *k);
int store_filter_keyword_delete(db *d, int64_t owner, int64_t id);
int store_filter_keyword_get(db *d, int64_t owner, int64_t id, arena *a, pl_filter_keyword *out);
int store_filter_keywords(db *d, int64_t filter_id, arena *a, pl_filter_keyword **out, int *n);
int store_filter_keywords_count(db *d, int64_t filter_id, int64_t *n);
/** PL_ECONFLICT if the status is in the filter already. */
int store_filter_status_insert(db *d, const pl_filter_status *fs, int64_t now);
int store_filter_status_delete(db *d, int64_t owner, int64_t id);
int store_filter_status_get(db *d, int64_t owner, int64_t id, pl_filter_status *out);
int store_filter_statuses(db *d, int64_t filter_id, arena *a, pl_filter_status **out, int *n);
int store_filter_statuses_count(db *d, int64_t filter_id, int64_t *n);
bool store_filter_has_status(db *d, int64_t filter_id, int64_t status_id);

/* ---- followed hashtags (tags.c) ---- */
/** Follows a tag (normalized); following it again is no error. */
int store_tag_follow(db *d, int64_t id, int64_t account_id, const char *tag, int64_t now);
/** Unfollows a tag; not following it is no error. */
int store_tag_unfollow(db *d, int64_t account_id, const char *tag);
bool store_tag_followed(db *d, int64_t account_id, const char *tag);
int store_tag_follows_count(db *d, int64_t account_id, int64_t *n);
/** A page of the account's followed tags by follow id, newest follow first. */
int store_tag_follows_page(db *d, int64_t account_id, const pl_page *p, arena *a,
                           pl_tag_follow **out, int *n);
/** True if a public or unlisted status uses the tag. */
bool store_tag_used(db *d, const char *tag);
/** Per day, the public and unlisted statuses using the tag with ids above since_id and the
 *  accounts that wrote them, in no particular order. */
int store_tag_history(db *d, const char *tag, int64_t since_id, arena *a, pl_tag_day **out, int *n);
/** Newest first, at most `limit`: public statuses carrying any of `tags` (up to STORE_BATCH)
 *  with above < id < below (below 0: no upper bound). */
int store_statuses_by_tags(db *d, const char *const *tags, int n, int64_t above, int64_t below,
                           int limit, arena *a, pl_idlist *out);

/* ---- notifications and markers (notify.c) ---- */
int store_notification_insert(db *d, const pl_notification *n);
int store_notification_get(db *d, int64_t account_id, int64_t id, arena *a, pl_notification *out);
/** Newest first; types/exclude may be NULL-terminated arrays or NULL; from_id 0 = anyone. */
int store_notifications(db *d, int64_t account_id, int64_t from_id, const char *const *types,
                        const char *const *exclude, const pl_page *p, arena *a,
                        pl_notification **out, int *n);
int store_notification_dismiss(db *d, int64_t account_id, int64_t id);
int store_notifications_clear(db *d, int64_t account_id);
int store_notifications_delete_status(db *d, int64_t status_id);
/** Removes a like/follow/… notification when the act is undone. */
int store_notification_delete_act(db *d, int64_t account_id, int64_t from_id, const char *type,
                                  int64_t status_id);
/**
 * The account's notifications newer than after_id, oldest first, at most limit: for each its
 * status id (0 for none), for counting the unread ones.
 */
int store_notifications_after(db *d, int64_t account_id, int64_t after_id, int limit, arena *a,
                              int64_t **status_ids, int *n);
int store_marker_get(db *d, int64_t account_id, const char *timeline, arena *a, pl_marker *out);
int store_marker_set(db *d, int64_t account_id, const char *timeline, int64_t last_read_id,
                     int64_t now);

/* ---- channels (channels.c) ---- */
int store_channel_insert(db *d, const pl_channel *ch);
int store_channel_get(db *d, int64_t id, pl_channel *out);
/** The "everyone" channel, PL_ENOTFOUND until it is made. */
int store_channel_everyone(db *d, pl_channel *out);
/** Updates is_private and posting. */
int store_channel_update(db *d, const pl_channel *ch);
/** Channels newest first; member != 0: only those member is in. */
int store_channels_list(db *d, int64_t member, const pl_page *p, arena *a, pl_idlist *out);
/** Every channel member is in (the everyone channel too), with its last post time. */
int store_channels_of(db *d, int64_t member, arena *a, pl_list_member **out, int *n);
/** The accounts account_id follows, as store_following, less the private channels that
 *  viewer is not in (who is in a private channel is told to its members only). */
int store_following_seen_by(db *d, int64_t account_id, int64_t viewer, const pl_page *p, arena *a,
                            pl_idlist *out);
/** The role (enum pl_channel_role) of an account in a channel; ROLE_NONE for a member. */
int store_channel_role(db *d, int64_t channel_id, int64_t account_id, int *role);
/** Sets a role; ROLE_NONE removes it. */
int store_channel_role_set(db *d, int64_t channel_id, int64_t account_id, int role);
int store_channel_role_count(db *d, int64_t channel_id, int role, int64_t *n);
/** The roles of n accounts, STORE_BATCH per query (a page of members). */
int store_channel_roles(db *d, int64_t channel_id, const int64_t *ids, int n, int *roles);
/** Posts shared to a channel and not removed from it, newest first. */
int store_statuses_by_channel(db *d, int64_t channel_id, const pl_page *p, arena *a,
                              pl_idlist *out);
/** As store_statuses_by_accounts, for posts shared to any of up to STORE_BATCH channels. */
int store_statuses_by_channels(db *d, const int64_t *channels, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out);
/** A moderator takes a post out of its channel (and off its pins); the channel stream hears a
 *  delete of it. */
int store_status_channel_remove(db *d, int64_t status_id);
int store_channel_pin_add(db *d, int64_t channel_id, int64_t status_id, int64_t now);
int store_channel_pin_remove(db *d, int64_t channel_id, int64_t status_id);
/** What a home feed merges on read — the big accounts the viewer follows, the channels they
 *  are in (the everyone channel included), the hashtags they follow (`tag`) — and whom it
 *  leaves out (the members of the viewer's exclusive lists, `excluded`; possibly repeated),
 *  in one query. */
int store_merge_sources(db *d, int64_t viewer, arena *a, pl_merge_source **out, int *n);
/** Channels an account made (a limit applies). */
int store_channels_created_by(db *d, int64_t account_id, int64_t *n);
/** Active people (not channels), newest first: the everyone channel's members. */
int store_people(db *d, const pl_page *p, arena *a, pl_idlist *out);
/** Pinned announcements, newest pin first. */
int store_channel_pins(db *d, int64_t channel_id, arena *a, int64_t **ids, int *n);

/* ---- up-votes, trends, catch-up (top.c) ---- */
/** Uses of one tag on one day (trends). */
typedef struct pl_trend_day {
    const char *tag;  /**< normalized (lower case) */
    int day;          /**< whole days since the `start` asked for, 0 first */
    int64_t uses;     /**< posts carrying it that day */
    int64_t accounts; /**< distinct authors of those posts */
} pl_trend_day;
/**
 * Tag uses per day since `start` (ms) for trends, in no particular order: only posts a
 * signed-in member of the company could find (public, unlisted, company; not boosts; not in a
 * private channel; not removed from their channel).
 */
int store_trend_tag_days(db *d, int64_t start, arena *a, pl_trend_day **out, int *n);
/**
 * At most `limit` public and company posts (not boosts, not in a private channel, not removed
 * from their channel) made since `start` (ms) that have any favourite, boost or reply, most
 * engaged first (favourites + boosts + replies, then newest): trending posts' candidates.
 */
int store_trend_statuses(db *d, int64_t start, int limit, arena *a, int64_t **ids, int *n);
/** A pinned announcement: which channel, which post, when it was pinned (ms). */
typedef struct pl_channel_pin {
    int64_t channel_id, status_id, created_at;
} pl_channel_pin;
/** The pins of up to STORE_BATCH channels made at or after `since` (ms), newest pin first. */
int store_channel_pins_since(db *d, const int64_t *channels, int n, int64_t since, arena *a,
                             pl_channel_pin **out, int *nout);

#endif
