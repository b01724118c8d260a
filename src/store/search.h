/**
 * store/search.h — full-text search of statuses, and prefix search of accounts and
 * hashtags. Nobody's audience is checked here: the app layer filters what it shows.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_SEARCH_H
#define PL_STORE_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

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
    int candidates;       /**< relevance only: the newest this many matches are ranked, the
                               older ones left out (0 = every match, whatever it costs) */
} pl_search;

/** Orders of store_search_statuses. */
enum pl_search_order { SEARCH_NEWEST = 0, SEARCH_OLDEST = 1, SEARCH_RELEVANCE = 2 };

/**
 * The ids of statuses (never boosts) matching q, skipping `offset` rows and returning at
 * most `limit`, in out->ids (keys = ids): newest first, oldest first (ascending), or by
 * relevance (best first, ties newest first, among the newest q->candidates matches;
 * relevance needs terms, else it is newest first).
 * Terms are matched through the full-text index (FTS5 on SQLite, GIN over tsvector on
 * PostgreSQL), which follows inserts, edits and deletes in their own transaction. q needs
 * terms, a tag, an author, a channel, has_poll or is_reply: PL_EINVAL otherwise (the first of
 * these given drives the query). Nobody's visibility is checked here.
 */
int store_search_statuses(db *d, const pl_search *q, int order, int offset, int limit, arena *a,
                          pl_idlist *out);
/**
 * Accounts (enabled, approved, confirmed) whose username or display name, or a word of whose
 * display name (what follows a space), starts with `prefix` (lower case; the match ignores
 * ASCII case and takes every other character as written, % and _ too); blocks either way do
 * not hide anyone, as in Mastodon; with `following`, only accounts `viewer` follows. The exact
 * username first, then the most followed, then the oldest. Found through account_names
 * (migration 028), never by reading every account: see store/search.c for what it costs.
 * *ids in the arena.
 */
int store_search_accounts(db *d, const char *prefix, int64_t viewer, bool following, int offset,
                          int limit, arena *a, int64_t **ids, int *n);
/**
 * Replaces the names account `id` is found by (account_names): `username` and
 * `display_name`, in ASCII lower case, the display name from its start and from after each
 * space. store_account_insert and store_account_update_profile call it, in their transaction.
 */
int store_account_names_set(db *d, int64_t id, const char *username, const char *display_name);
/**
 * Distinct hashtags starting with `prefix` (normalized), in byte order, that some public or
 * unlisted status carries (a tag used only in followers-only or direct posts is not shown).
 */
int store_search_tags(db *d, const char *prefix, int offset, int limit, arena *a,
                      const char ***tags, int *n);

#endif
