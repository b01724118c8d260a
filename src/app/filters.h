/**
 * filters.h — filters (Mastodon's v2 filters): an owner's named groups of keywords and
 * statuses, each applying in some contexts (home, notifications, public, thread, account)
 * with an action (warn, hide, blur) until it expires; and their application to the statuses
 * a viewer is shown.
 *
 * Only the owner sees or changes a filter, keyword or filter status: any other id fails with
 * PL_ENOTFOUND ("Record not found"). Limits (max_filters, max_filter_title,
 * max_filter_keywords, max_filter_keyword, max_filter_statuses) fail with PL_EINVAL or
 * PL_ELIMIT and a message naming the limit; a failed change writes nothing. Writes must run
 * where writes run (the writer thread).
 */
#ifndef PL_FILTERS_H
#define PL_FILTERS_H

#include "app/app.h"

/** One entry of keywords_attributes[]: id 0 = a new keyword; destroy = remove keyword id. */
typedef struct filters_keyword_change {
    int64_t id;
    const char *keyword; /**< NULL = keep (update of an existing one) */
    int whole_word;      /**< 0/1, or -1 = keep (new keywords: true, as Mastodon) */
    bool destroy;
} filters_keyword_change;

/** What a create or update sets; NULL / -1 / false = keep (update) or default (create). */
typedef struct filters_change {
    const char *title;  /**< required on create */
    int context;        /**< enum pl_filter_context bits, or -1; required on create */
    int action;         /**< enum pl_filter_action, or -1 (create: warn) */
    bool set_expiry;    /**< expires_in was given */
    int64_t expires_in; /**< seconds from now; 0 = never */
    const filters_keyword_change *keywords;
    int n_keywords;
} filters_change;

/** The owner's filters, oldest first, with their keywords and statuses. */
int filters_all(app_ctx *c, int64_t owner, pl_filter **out, int *n);
int filters_get(app_ctx *c, int64_t owner, int64_t id, pl_filter *out);
int filters_create(app_ctx *c, int64_t owner, const filters_change *ch, pl_filter *out);
/** Changes a filter; keywords_attributes naming an id the filter does not hold is
 *  PL_ENOTFOUND (as Mastodon). */
int filters_update(app_ctx *c, int64_t owner, int64_t id, const filters_change *ch, pl_filter *out);
int filters_delete(app_ctx *c, int64_t owner, int64_t id);

int filters_keywords(app_ctx *c, int64_t owner, int64_t filter_id, pl_filter_keyword **out, int *n);
/** Adds a keyword (whole_word -1 = true). */
int filters_keyword_add(app_ctx *c, int64_t owner, int64_t filter_id, const char *keyword,
                        int whole_word, pl_filter_keyword *out);
int filters_keyword_get(app_ctx *c, int64_t owner, int64_t id, pl_filter_keyword *out);
/** Changes a keyword (whole_word -1 = keep). */
int filters_keyword_update(app_ctx *c, int64_t owner, int64_t id, const char *keyword,
                           int whole_word, pl_filter_keyword *out);
int filters_keyword_delete(app_ctx *c, int64_t owner, int64_t id);

int filters_statuses(app_ctx *c, int64_t owner, int64_t filter_id, pl_filter_status **out, int *n);
/** Adds a status the owner may see (else PL_ENOTFOUND); twice is PL_EINVAL. */
int filters_status_add(app_ctx *c, int64_t owner, int64_t filter_id, int64_t status_id,
                       pl_filter_status *out);
int filters_status_get(app_ctx *c, int64_t owner, int64_t id, pl_filter_status *out);
int filters_status_delete(app_ctx *c, int64_t owner, int64_t id);

/** A filter of the viewer that matched a status (Mastodon's FilterResult). */
typedef struct filters_result {
    const pl_filter *filter;      /**< without keywords and statuses, as Mastodon shows it */
    const char **keyword_matches; /**< the filter's keywords found in the status */
    int n_keyword_matches;
    int64_t *status_matches; /**< the status (or the post it boosts), if the filter holds it */
    int n_status_matches;
} filters_result;

/**
 * The viewer's filters that apply in context `ctx` (one enum pl_filter_context bit), have not
 * expired at c->now and match status s: a keyword in the text, content warning or poll
 * options of s (of the boosted post, for a boost), or s or the post it boosts among the
 * filter's statuses. A viewer's own posts are never filtered. The viewer's filters are read
 * and their keywords folded once per request (the first call), and each status is matched
 * once per request and context. *out lives in the request arena; *n = 0 when nothing
 * matched, when ctx is 0 or the viewer is 0.
 */
int filters_match(app_ctx *c, int64_t viewer, const pl_status *s, int ctx, filters_result **out,
                  int *n);

/** True if a "hide" filter of ctx matches s for the viewer (see filters_match). */
bool filters_hide(app_ctx *c, int64_t viewer, const pl_status *s, int ctx);

#endif
