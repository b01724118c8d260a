/**
 * lists.h — lists: named sets of accounts their owner follows, each read as its own
 * timeline (feeds_list in feeds.c), and optionally "exclusive" (members' posts leave the
 * owner's home feed).
 *
 * Only the owner sees or changes a list: another person's list id fails with PL_ENOTFOUND
 * ("Record not found"), exactly like a list that does not exist. Limits (max_lists,
 * max_list_members, max_list_title) fail with PL_EINVAL or PL_ELIMIT and a message naming
 * the limit. Writes must run where writes run (the writer thread).
 */
#ifndef PL_LISTS_H
#define PL_LISTS_H

#include "app/app.h"

/** What a create or update sets; NULL / -1 = keep (update) or default (create: replies
 *  "list", not exclusive). A title is required on create. */
typedef struct lists_change {
    const char *title;
    int replies_policy; /**< enum pl_replies_policy, or -1 */
    int exclusive;      /**< 0/1, or -1 */
} lists_change;

/** The owner's lists in the owner's order, new ones last (the arena holds them). */
int lists_all(app_ctx *c, int64_t owner, pl_list **out, int *n);
/**
 * Puts the owner's lists in the order of ids, which must name each of them exactly once
 * (else PL_EINVAL, nothing written); *out is then the lists in their new order.
 */
int lists_reorder(app_ctx *c, int64_t owner, const int64_t *ids, int n, pl_list **out, int *nout);
int lists_get(app_ctx *c, int64_t owner, int64_t id, pl_list *out);
int lists_create(app_ctx *c, int64_t owner, const lists_change *ch, pl_list *out);
int lists_update(app_ctx *c, int64_t owner, int64_t id, const lists_change *ch, pl_list *out);
int lists_delete(app_ctx *c, int64_t owner, int64_t id);

/** A page of members (keys: account ids); p->limit 0 = every member at once. */
int lists_members(app_ctx *c, int64_t owner, int64_t id, const pl_page *p, pl_idlist *out);
/**
 * Adds accounts to a list, all or none: each must exist (else PL_ENOTFOUND), be followed by
 * the owner and not yet be a member (else PL_EINVAL), and the list must stay within
 * max_list_members (else PL_ELIMIT).
 */
int lists_add_members(app_ctx *c, int64_t owner, int64_t id, const int64_t *accounts, int n);
/** Removes accounts from a list; accounts that were not members are no error. */
int lists_remove_members(app_ctx *c, int64_t owner, int64_t id, const int64_t *accounts, int n);
/** The owner's lists that hold account_id (PL_ENOTFOUND if there is no such account). */
int lists_containing(app_ctx *c, int64_t owner, int64_t account_id, pl_list **out, int *n);
/** A list's channels, hashtags and keywords (our extension; its people are lists_members). */
int lists_sources(app_ctx *c, int64_t owner, int64_t id, pl_list_source **out, int *n);
/**
 * Adds (add) or removes channels and hashtags as sources of a list, all or none. A channel
 * must be one the owner may read (a private one: a member), else PL_ENOTFOUND; a hashtag is
 * normalized (a leading '#' is fine); a keyword (words, matched as a phrase through the
 * full-text index) needs a word and fits max_filter_keyword; at most max_list_sources in all
 * (PL_EINVAL beyond).
 */
int lists_sources_change(app_ctx *c, int64_t owner, int64_t id, bool add, const int64_t *channels,
                         int nc, const char *const *tags, int nt, const char *const *keywords,
                         int nk);
/** Takes account_id out of every list of owner (graph.c: unfollow, block). */
int lists_forget_account(app_ctx *c, int64_t owner, int64_t account_id);

#endif
