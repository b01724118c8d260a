/**
 * search.h — search: statuses by full text, accounts and hashtags by prefix.
 *
 * The query language of statuses (README "Search"): words, all of which must occur;
 * "quoted phrases"; #tag (the post carries the hashtag); from:username (or from:me);
 * before:YYYY-MM-DD, after:YYYY-MM-DD, during:YYYY-MM-DD (UTC days); has:poll; is:reply.
 * A word of the form key:value whose key is not an operator is a word. An operator with a
 * value it does not know, in: and language: (not supported yet) and -word (exclusion, not
 * supported yet) are PL_EINVAL with a message saying which.
 */
#ifndef PL_SEARCH_H
#define PL_SEARCH_H

#include "app/app.h"

/** What to search (Mastodon's type; none = all three). */
enum search_types { SEARCH_ACCOUNTS = 1, SEARCH_HASHTAGS = 2, SEARCH_STATUSES = 4 };

/** A search as the client asked for it. */
typedef struct search_req {
    const char *q;
    int types;          /**< enum search_types bits */
    bool following;     /**< accounts: only those the viewer follows */
    int64_t account_id; /**< statuses: only by this author (0 = anyone) */
    pl_page page;       /**< statuses: max_id / since_id / min_id bounds, and the limit of
                             every type */
    int offset;         /**< results of each type to skip */
    bool ranked;        /**< statuses by relevance instead of newest first (workers only) */
} search_req;

typedef struct search_result {
    int64_t *accounts;
    int n_accounts;
    const char **tags;
    int n_tags;
    pl_idlist statuses; /**< keys = ids; newest first, or best first when ranked */
} search_result;

/** A statuses query parsed (search_parse). */
typedef struct search_query {
    const char **terms; /**< words and phrases to match, n_terms of them */
    int n_terms;
    const char *tag;   /**< the first #tag, normalized, or NULL */
    int64_t author;    /**< from:, 0 = anyone */
    bool no_author;    /**< from: names nobody: nothing matches */
    int64_t channel;   /**< in:, 0 = anywhere */
    bool no_channel;   /**< in: names no channel: nothing matches */
    int64_t after_ms;  /**< created at or after (ms), 0 = no bound */
    int64_t before_ms; /**< created before (ms), 0 = no bound */
    bool has_poll, is_reply;
} search_query;

/**
 * Parses a statuses query (the language above) for `viewer` (0 = signed out; from:me then
 * names nobody). PL_EINVAL with c->errmsg for what it refuses.
 */
int search_parse(app_ctx *c, int64_t viewer, const char *q, search_query *out);

/**
 * Runs a search for `viewer` (0 = signed out). Statuses are those audience_can_see lets the
 * viewer see, less muted and blocked authors, and for a signed-out visitor only public ones;
 * since that is decided after the index is read, the index is read in rounds until the page
 * is full (at most a few rounds, so a query whose hits are almost all hidden stays bounded).
 * q too long or offset too large: PL_EINVAL with a message.
 */
int search_run(app_ctx *c, int64_t viewer, const search_req *r, search_result *out);

#endif
