/*
 * feeds.c — timelines.
 *
 * Each feed is a "fetch" (a paged id list from the store) run through one filter loop:
 * load the status, ask audience_can_see(), drop muted and blocked authors, and fetch
 * further pages until the page is full or the source is exhausted (at most MAX_ROUNDS
 * fetches, so a feed full of hidden posts cannot make one request unbounded). The viewer's
 * "hide" filters of the feed's context (c->filter_context, set by each feeds_* function) are
 * one more rule of that loop. Home and lists add Mastodon's mention rule (home_allows_mentions),
 * which the streaming side (feeds_home_accepts, feeds_list_accepts) asks too.
 *
 * The home feed is the materialized timeline merged with the recent posts of the big
 * accounts the viewer follows (see graph.c for when an account becomes big), less the
 * members of the viewer's exclusive lists, plus the public posts of the hashtags the viewer
 * follows (merge_tags, also on read). A list timeline is the same merge with no
 * materialized part: its members' recent posts, read through the author index
 * (merge_authors). Nothing is stored per list, so adding or removing a member changes the
 * list timeline at once, back in time too.
 */
#include "feeds.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/audience.h"
#include "app/filters.h"
#include "app/lists.h"
#include "app/posts.h"
#include "store/channels.h"
#include "store/engage.h"
#include "store/graph.h"
#include "store/lists.h"
#include "store/pins.h"
#include "store/posts.h"
#include "store/query.h"
#include "store/search.h"
#include "store/tags.h"
#include "store/timeline.h"
#include "util/text.h"

enum { MAX_ROUNDS = 6 };

typedef int (*fetch_fn)(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out);

static bool hidden_by_viewer(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!viewer || viewer == s->account_id) return false;
    return app_blocks(c, viewer, s->account_id) || app_mutes(c, viewer, s->account_id);
}

/* Does s mention someone the viewer blocks or mutes? A database error says yes (the post is
 * left out). Most people block and mute nobody: then no query (app_blocks_or_mutes_anyone). */
static bool mentions_someone_hidden(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!s->mentions_count || !app_blocks_or_mutes_anyone(c, viewer)) return false;
    int64_t *ids;
    int n;
    if (store_status_mentions(c->db, s->id, c->a, &ids, &n) != PL_OK) return true;
    for (int i = 0; i < n; i++)
        if (ids[i] != viewer && (app_blocks(c, viewer, ids[i]) || app_mutes(c, viewer, ids[i])))
            return true;
    return false;
}

/*
 * Mastodon's home rule (FeedManager#filter_from_home?; its guide: "you won't see posts
 * mentioning them"): besides the posts of people the viewer blocks or mutes (hidden_by_viewer),
 * home and lists leave out a post that mentions any of them, and a boost whose boosted post
 * does. A reply is a post like any other here. The viewer's own posts are always kept. Asked
 * on read, so an unmute brings the posts back; the posts stay readable by id.
 */
static bool home_allows_mentions(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (s->account_id == viewer) return true;
    if (mentions_someone_hidden(c, viewer, s)) return false;
    if (!s->reblog_of_id) return true;
    const pl_status *o = app_status(c, s->reblog_of_id);
    return o && !mentions_someone_hidden(c, viewer, o);
}

/* Sorted ids (bsearch). */
typedef struct idset {
    const int64_t *ids;
    int n;
} idset;

static int cmp_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static bool in_idset(const idset *set, int64_t id)
{
    return set->n && bsearch(&id, set->ids, (size_t)set->n, sizeof id, cmp_asc);
}

/* A feed's own rule for a post it fetched (a list's replies_policy, home's exclusive lists). */
typedef bool (*keep_fn)(app_ctx *c, int64_t viewer, const pl_status *s, void *ud);

typedef struct feed_rule {
    keep_fn keep;
    void *ud;
} feed_rule;

static bool shows(app_ctx *c, int64_t viewer, int64_t id, bool apply_mutes, const feed_rule *rule)
{
    const pl_status *s = app_status(c, id);
    if (!s || !audience_can_see(c, viewer, s)) return false;
    if (rule && !rule->keep(c, viewer, s, rule->ud)) return false;
    if (filters_hide(c, viewer, s, c->filter_context)) return false;
    if (apply_mutes && hidden_by_viewer(c, viewer, s)) return false;
    if (apply_mutes && s->reblog_of_id) {
        const pl_status *o = app_status(c, s->reblog_of_id);
        if (!o || hidden_by_viewer(c, viewer, o)) return false;
    }
    return true;
}

/* The filter loop (see the top); `rule` (may be NULL) is the feed's own rule besides. */
static int filtered_by(app_ctx *c, int64_t viewer, fetch_fn fetch, void *ud, const pl_page *p,
                       bool apply_mutes, const feed_rule *rule, pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    out->ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(p->limit + 1));
    out->keys = arena_alloc(c->a, sizeof(int64_t) * (size_t)(p->limit + 1));
    out->n = 0;
    pl_page q = *p;
    for (int round = 0; round < MAX_ROUNDS && out->n < p->limit; round++) {
        pl_idlist got;
        int rc = fetch(c, viewer, ud, &q, &got);
        if (rc) return rc;
        app_prefetch_statuses(c, got.ids, got.n); /* a few queries instead of one per miss */
        /* got is newest first; walk it in the direction we are moving */
        for (int k = 0; k < got.n && out->n < p->limit; k++) {
            int i = asc ? got.n - 1 - k : k;
            if (!shows(c, viewer, got.ids[i], apply_mutes, rule)) continue;
            out->ids[out->n] = got.ids[i];
            out->keys[out->n] = got.keys[i];
            out->n++;
        }
        if (got.n < q.limit) break;
        if (asc)
            q.min_id = got.keys[0];
        else
            q.max_id = got.keys[got.n - 1];
    }
    if (asc) pl_idlist_reverse(out);
    return PL_OK;
}

static int filtered(app_ctx *c, int64_t viewer, fetch_fn fetch, void *ud, const pl_page *p,
                    bool apply_mutes, pl_idlist *out)
{
    return filtered_by(c, viewer, fetch, ud, p, apply_mutes, NULL, out);
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Sorts ids newest first, drops duplicates, and keeps the page's window of `limit`: the
 * newest (desc) or the oldest (asc: the ones just above min_id). Returns the count kept. */
static int window(int64_t *ids, int n, int limit, bool asc)
{
    qsort(ids, (size_t)n, sizeof *ids, cmp_desc);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || ids[m - 1] != ids[i]) ids[m++] = ids[i];
    if (m <= limit) return m;
    if (asc) memmove(ids, ids + (m - limit), sizeof *ids * (size_t)limit);
    return limit;
}

/* A page of the statuses the full-text index finds for a list's keyword (words, or a phrase
 * in quotes), newest first; the filter loop decides who may see them. */
static int keyword_page(app_ctx *c, const char *keyword, const pl_page *p, pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    const char *terms[1] = {keyword};
    pl_search q = {
        .terms = terms, .n_terms = 1, .above = asc ? p->min_id : p->since_id, .below = p->max_id};
    int rc = store_search_statuses(c->db, &q, asc ? SEARCH_OLDEST : SEARCH_NEWEST, 0, p->limit,
                                   c->a, out);
    if (!rc && asc) pl_idlist_reverse(out);
    return rc;
}

/* One author (or channel) whose posts are merged on read. */
typedef struct merge_author {
    int64_t id, last_status_at; /**< last_status_at 0 = unknown: always asked */
    bool show_reblogs;
    bool channel;        /**< id is a channel: its posts, not the account's own */
    const char *tag;     /**< not an author: the posts with this hashtag (a list's source) */
    const char *keyword; /**< not an author: the posts the search index finds for it */
} merge_author;

static int cmp_recent_first(const void *a, const void *b)
{
    int64_t x = ((const merge_author *)a)->last_status_at;
    int64_t y = ((const merge_author *)b)->last_status_at;
    return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * A full page (newest first) can only change by posts newer than its oldest entry. The
 * authors who may have such posts (last post newer than it) and whose boosts the viewer sees
 * are asked for that window together, STORE_BATCH authors per query, instead of one query
 * each; asked[i] marks them. The rest are left to merge_authors' loop.
 */
static int merge_window(app_ctx *c, int64_t viewer, const pl_page *p, const merge_author *authors,
                        int n, keep_fn keep, void *ud, int64_t *all, int *m, bool *asked)
{
    int limit = p->limit;
    int64_t oldest = all[*m - 1];
    int64_t *ids = arena_alloc(c->a, sizeof *ids * (size_t)(n + 1));
    for (int channels = 0; channels < 2; channels++) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            const merge_author *au = &authors[i];
            int64_t above =
                au->last_status_at ? id_floor_for_ms(au->last_status_at + 1) : INT64_MAX;
            if (au->tag || au->keyword || au->channel != channels || above <= oldest ||
                !au->show_reblogs)
                continue;
            ids[k++] = au->id;
            asked[i] = true;
        }
        for (int at = 0; at < k; at += STORE_BATCH) {
            int take = k - at < STORE_BATCH ? k - at : STORE_BATCH;
            pl_idlist theirs;
            int rc = channels ? store_statuses_by_channels(c->db, ids + at, take, oldest, p->max_id,
                                                           limit, c->a, &theirs)
                              : store_statuses_by_accounts(c->db, ids + at, take, oldest, p->max_id,
                                                           limit, c->a, &theirs);
            if (rc) return rc;
            if (keep) app_prefetch_statuses(c, theirs.ids, theirs.n);
            int before = *m;
            for (int j = 0; j < theirs.n; j++) {
                const pl_status *s = keep ? app_status(c, theirs.ids[j]) : NULL;
                if (!keep || (s && keep(c, viewer, s, ud))) all[(*m)++] = theirs.ids[j];
            }
            if (*m > before) *m = window(all, *m, limit, false);
        }
    }
    return PL_OK;
}

/*
 * Merges into io (a page of ids, newest first; may be empty) the posts of `authors` that
 * keep() (NULL = all) accepts, and cuts the page's window. Each author costs one range of the
 * author index (statuses_account), newest first, at most a page long. The authors are asked the
 * most recent poster first, and once the page is full an author whose last post is older than the
 * page's oldest entry is skipped without a query: for a list of 1,000 people of whom a few posted
 * lately, the first page asks those few. keep() is asked only about posts that would enter the
 * window.
 */
static int merge_authors(app_ctx *c, int64_t viewer, const pl_page *p, merge_author *authors, int n,
                         keep_fn keep, void *ud, pl_idlist *io)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    int limit = p->limit;
    int64_t *all = arena_alloc(c->a, sizeof *all * (size_t)(io->n + 2 * limit + 1));
    if (io->n) memcpy(all, io->ids, sizeof *all * (size_t)io->n);
    int m = window(all, io->n, limit, asc);
    qsort(authors, (size_t)n, sizeof *authors, cmp_recent_first);
    bool *asked = arena_alloc(c->a, sizeof *asked * (size_t)(n + 1));
    memset(asked, 0, sizeof *asked * (size_t)(n + 1));
    if (!asc && m == limit) {
        int rc = merge_window(c, viewer, p, authors, n, keep, ud, all, &m, asked);
        if (rc) return rc;
    }
    for (int i = 0; i < n; i++) {
        const merge_author *au = &authors[i];
        if (asked[i]) continue;
        /* every post of this author has an id below `above` */
        int64_t above = au->last_status_at ? id_floor_for_ms(au->last_status_at + 1) : INT64_MAX;
        if (!asc && m == limit && above <= all[m - 1]) continue;
        if (asc && above <= p->min_id) continue;
        /* nothing since since_id (the top feed's and catch-up's window): the big accounts
         * followed grow with the company, those that posted in a window do not */
        if (p->since_id && above <= p->since_id) continue;
        pl_idlist theirs;
        int rc = au->keyword   ? keyword_page(c, au->keyword, p, &theirs)
                 : au->tag     ? store_statuses_with_tag(c->db, au->tag, p, c->a, &theirs)
                 : au->channel ? store_statuses_by_channel(c->db, au->id, p, c->a, &theirs)
                               : store_statuses_by_account(c->db, au->id, false, !au->show_reblogs,
                                                           p, c->a, &theirs);
        if (rc) return rc;
        if (keep) app_prefetch_statuses(c, theirs.ids, theirs.n);
        int before = m;
        for (int k = 0; k < theirs.n; k++) {
            int64_t id = theirs.ids[k];
            if (before == limit && !asc && id <= all[before - 1]) break; /* older than the page */
            if (before == limit && asc && id >= all[0]) continue;        /* newer than the page */
            const pl_status *s = keep ? app_status(c, id) : NULL;
            if (!keep || (s && keep(c, viewer, s, ud))) all[m++] = id;
        }
        if (m > before) m = window(all, m, limit, asc);
    }
    io->ids = all;
    io->keys = all;
    io->n = m;
    return PL_OK;
}

/* The fan-out rule for a merged post: a reply reaches the home feed only when it answers
 * its author, the viewer, or someone the viewer follows (store_timeline_fanout, on read). */
static bool reaches_home(app_ctx *c, int64_t viewer, const pl_status *s, void *ud)
{
    (void)ud;
    int64_t to = s->in_reply_to_account_id;
    return !s->in_reply_to_id || !to || to == s->account_id || to == viewer ||
           app_follows(c, viewer, to);
}

/* What a home feed merges on read (read once per request, used by every round). */
typedef struct home_q {
    merge_author *sources;
    int n;
    const char **tags; /* followed hashtags */
    int n_tags;
} home_q;

/*
 * Merges into io (newest first) the public posts carrying any of the followed `tags` and cuts
 * the page's window, as merge_authors does for authors. When the page is already full
 * (newest first), only posts newer than its oldest entry can change it: the tags are asked
 * for that window together, STORE_BATCH tags per query. Otherwise each tag is one range of
 * status_tags' primary key, at most a page long. A post already on the page (a followed
 * author's post with the tag) is not added twice (window() drops duplicates); muted and
 * blocked authors and posts the viewer may not see are left to the filter loop.
 */
static int merge_tags(app_ctx *c, const pl_page *p, const char **tags, int n, pl_idlist *io)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    int limit = p->limit;
    int64_t *all = arena_alloc(c->a, sizeof *all * (size_t)(io->n + 2 * limit + 1));
    if (io->n) memcpy(all, io->ids, sizeof *all * (size_t)io->n);
    int m = window(all, io->n, limit, asc);
    bool full = !asc && m == limit;
    for (int at = 0, take; at < n; at += take) {
        pl_idlist theirs;
        int rc;
        take = full ? (n - at < STORE_BATCH ? n - at : STORE_BATCH) : 1;
        if (full)
            rc = store_statuses_by_tags(c->db, tags + at, take, all[m - 1], p->max_id, limit, c->a,
                                        &theirs);
        else
            rc = store_statuses_by_tag(c->db, tags[at], p, c->a, &theirs);
        if (rc) return rc;
        if (theirs.n == 0) continue;
        memcpy(all + m, theirs.ids, sizeof *all * (size_t)theirs.n);
        m = window(all, m + theirs.n, limit, asc);
        full = !asc && m == limit;
    }
    io->ids = all;
    io->keys = all;
    io->n = m;
    return PL_OK;
}

static int fetch_home(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    const home_q *q = ud;
    int rc = store_timeline_page(c->db, viewer, p, c->a, out);
    if (rc) return rc;
    if (q->n) {
        /* merge_authors reorders its sources: give it this round's copy */
        merge_author *sources = arena_alloc(c->a, sizeof *sources * (size_t)q->n);
        memcpy(sources, q->sources, sizeof *sources * (size_t)q->n);
        if ((rc = merge_authors(c, viewer, p, sources, q->n, reaches_home, NULL, out))) return rc;
    }
    return q->n_tags ? merge_tags(c, p, q->tags, q->n_tags, out) : PL_OK;
}

/* Home's own rule: the mention rule (home_allows_mentions), and the members of the viewer's
 * exclusive lists are left out (ud: their sorted ids; a boost counts as its booster's post, as
 * in Mastodon). */
static bool home_keeps(app_ctx *c, int64_t viewer, const pl_status *s, void *ud)
{
    return !in_idset(ud, s->account_id) && home_allows_mentions(c, viewer, s);
}

int feeds_home(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    pl_merge_source *src;
    int n;
    int rc = app_merge_sources(c, viewer, &src, &n);
    if (rc) return rc;
    home_q *q = arena_alloc(c->a, sizeof *q);
    q->sources = arena_alloc(c->a, sizeof *q->sources * (size_t)(n + 1));
    q->n = 0;
    q->tags = arena_alloc(c->a, sizeof *q->tags * (size_t)(n + 1));
    q->n_tags = 0;
    idset *hidden = arena_alloc(c->a, sizeof *hidden);
    int64_t *ids = arena_alloc(c->a, sizeof *ids * (size_t)(n + 1));
    hidden->n = 0;
    for (int i = 0; i < n; i++) {
        if (src[i].excluded)
            ids[hidden->n++] = src[i].id;
        else if (src[i].tag)
            q->tags[q->n_tags++] = src[i].tag;
        else
            q->sources[q->n++] = (merge_author){
                src[i].id, src[i].last_status_at, src[i].show_reblogs, src[i].channel, NULL, NULL};
    }
    qsort(ids, (size_t)hidden->n, sizeof *ids, cmp_asc);
    hidden->ids = ids;
    feed_rule rule = {home_keeps, hidden};
    c->filter_context = FILTER_HOME;
    return filtered_by(c, viewer, fetch_home, q, p, true, &rule, out);
}

/* A list timeline being read: the list, and its members (sorted, for the replies rule). */
typedef struct list_q {
    pl_list list;
    merge_author *members;
    int n;
    idset member_ids;
} list_q;

/*
 * The list's replies_policy (docs.joinmastodon.org/entities/List): a reply to someone else
 * is shown when it answers someone the owner follows (followed), a member of the list
 * (list), or never (none). A reply to oneself continues a thread and is always shown; a
 * boost is not a reply. Home's mention rule holds too (Mastodon: filter_from_list? and
 * filter_from_home?).
 */
static bool reaches_list(app_ctx *c, int64_t viewer, const pl_status *s, void *ud)
{
    const list_q *q = ud;
    if (!home_allows_mentions(c, viewer, s)) return false;
    int64_t to = s->in_reply_to_account_id;
    if (!s->in_reply_to_id || !to || to == s->account_id) return true;
    switch (q->list.replies_policy) {
    case REPLIES_FOLLOWED: return app_follows(c, viewer, to);
    case REPLIES_LIST: return in_idset(&q->member_ids, to);
    default: return false;
    }
}

static int fetch_list(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    list_q *q = ud;
    *out = (pl_idlist){0};
    return merge_authors(c, viewer, p, q->members, q->n, NULL, NULL, out);
}

int feeds_list(app_ctx *c, int64_t viewer, int64_t list_id, const pl_page *p, pl_idlist *out)
{
    list_q *q = arena_alloc(c->a, sizeof *q);
    int rc = lists_get(c, viewer, list_id, &q->list);
    if (rc) return rc;
    pl_list_member *m;
    int nm, ns;
    pl_list_source *src;
    if ((rc = store_list_members_all(c->db, list_id, viewer, c->a, &m, &nm))) return rc;
    if ((rc = store_list_sources(c->db, list_id, c->a, &src, &ns))) return rc;
    /* its people, then its channels and hashtags: all merged on read */
    q->members = arena_alloc(c->a, sizeof *q->members * (size_t)(nm + ns + 1));
    int64_t *ids = arena_alloc(c->a, sizeof *ids * (size_t)(nm + 1));
    q->n = 0;
    for (int i = 0; i < nm; i++) {
        q->members[q->n++] = (merge_author){
            m[i].account_id, m[i].last_status_at, m[i].show_reblogs, false, NULL, NULL};
        ids[i] = m[i].account_id;
    }
    for (int i = 0; i < ns; i++) {
        if (src[i].kind == LIST_SOURCE_TAG || src[i].kind == LIST_SOURCE_KEYWORD) {
            bool kw = src[i].kind == LIST_SOURCE_KEYWORD;
            q->members[q->n++] = (merge_author){
                0, 0, true, false, kw ? NULL : src[i].value, kw ? src[i].value : NULL};
            continue;
        }
        int64_t ch = strtoll(src[i].value, NULL, 10);
        const pl_account *a = app_account(c, ch);
        if (a) q->members[q->n++] = (merge_author){ch, a->last_status_at, true, true, NULL, NULL};
    }
    qsort(ids, (size_t)nm, sizeof *ids, cmp_asc);
    q->member_ids = (idset){ids, nm};
    feed_rule rule = {reaches_list, q};
    c->filter_context = FILTER_HOME; /* Mastodon: "home" is the home timeline and lists */
    return filtered_by(c, viewer, fetch_list, q, p, true, &rule, out);
}

static int fetch_public(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    (void)ud;
    return store_statuses_public(c->db, p, c->a, out);
}

/* The rule of the timelines nobody subscribed to (public, company, hashtags): a silenced
 * author's posts, and posts boosting them, reach only that author's followers. */
static bool reaches(app_ctx *c, int64_t viewer, const pl_status *s, void *ud)
{
    (void)ud;
    if (!app_reaches(c, viewer, s->account_id)) return false;
    const pl_status *o = s->reblog_of_id ? app_status(c, s->reblog_of_id) : NULL;
    return !o || app_reaches(c, viewer, o->account_id);
}

static const feed_rule reaches_rule = {reaches, NULL};

int feeds_public(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    c->filter_context = FILTER_PUBLIC;
    return filtered_by(c, viewer, fetch_public, NULL, p, true, &reaches_rule, out);
}

static int fetch_tag(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    return store_statuses_by_tag(c->db, ud, p, c->a, out);
}

int feeds_tag(app_ctx *c, int64_t viewer, const char *tag, const pl_page *p, pl_idlist *out)
{
    c->filter_context = FILTER_PUBLIC;
    return filtered_by(c, viewer, fetch_tag, (void *)tag, p, true, &reaches_rule, out);
}

struct account_q {
    int64_t account_id;
    bool exclude_replies, exclude_reblogs;
};

static int fetch_account(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    struct account_q *q = ud;
    return store_statuses_by_account(c->db, q->account_id, q->exclude_replies, q->exclude_reblogs,
                                     p, c->a, out);
}

static int fetch_channel(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    return store_statuses_by_channel(c->db, *(const int64_t *)ud, p, c->a, out);
}

int feeds_channel(app_ctx *c, int64_t viewer, int64_t channel_id, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_channel, &channel_id, p, true, out);
}

int feeds_account(app_ctx *c, int64_t viewer, int64_t account_id, bool exclude_replies,
                  bool exclude_reblogs, const pl_page *p, pl_idlist *out)
{
    const pl_account *acc = app_account(c, account_id);
    if (!acc) return app_fail(c, PL_ENOTFOUND, "Record not found");
    /* a channel's profile shows what was shared to it (FEP-1b12: the group's posts) */
    if (acc->is_group) return feeds_channel(c, viewer, account_id, p, out);
    /* hide_boosts: the profile shows the same to everyone, its owner too (profile.h) */
    struct account_q q = {account_id, exclude_replies, exclude_reblogs || acc->hide_boosts};
    c->filter_context = FILTER_ACCOUNT;
    return filtered(c, viewer, fetch_account, &q, p, false, out);
}

static int fetch_pins(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)viewer;
    return store_pins_of(c->db, *(const int64_t *)ud, p, c->a, out);
}

int feeds_pinned(app_ctx *c, int64_t viewer, int64_t account_id, const pl_page *p, pl_idlist *out)
{
    if (!app_account(c, account_id)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return filtered(c, viewer, fetch_pins, &account_id, p, false, out);
}

static int fetch_favs(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)ud;
    return store_favourites_of(c->db, viewer, p, c->a, out);
}

int feeds_favourites(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_favs, NULL, p, false, out);
}

static int fetch_marks(app_ctx *c, int64_t viewer, void *ud, const pl_page *p, pl_idlist *out)
{
    (void)ud;
    return store_bookmarks_of(c->db, viewer, p, c->a, out);
}

int feeds_bookmarks(app_ctx *c, int64_t viewer, const pl_page *p, pl_idlist *out)
{
    return filtered(c, viewer, fetch_marks, NULL, p, false, out);
}

/* ---------------------------------------------------------------- one post, as it happens */

/* The same rules as the pages above, asked about one new post (the streaming API). */

bool feeds_home_accepts(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!viewer || !audience_can_see(c, viewer, s)) return false;
    if (s->account_id == viewer) return true;
    /* a ticket's thread reached its author's feed only (posts.c: deliver) */
    if (s->visibility == VIS_TICKET || s->visibility == VIS_INTERNAL) return false;
    if (!home_allows_mentions(c, viewer, s)) return false;
    /* a direct or list post lands in the feeds of its people (posts.c: deliver) */
    if (s->visibility == VIS_DIRECT || s->visibility == VIS_LIST)
        return !hidden_by_viewer(c, viewer, s);
    /* a channel's posts reach its members (merged into their home feeds) */
    const pl_channel *ch =
        s->channel_id && !s->channel_removed ? app_channel(c, s->channel_id) : NULL;
    bool member = ch && app_channel_member(c, ch, viewer);
    if (!member && !app_follows(c, viewer, s->account_id)) return false;
    if (s->reblog_of_id) {
        pl_relationship r;
        if (store_relationship(c->db, viewer, s->account_id, &r) || !r.showing_reblogs)
            return false;
        const pl_status *o = app_status(c, s->reblog_of_id);
        if (!o || hidden_by_viewer(c, viewer, o)) return false;
    }
    if (!reaches_home(c, viewer, s, NULL) || hidden_by_viewer(c, viewer, s)) return false;
    int64_t *excl;
    int n;
    if (store_lists_exclusive_members(c->db, viewer, c->a, &excl, &n)) return false;
    idset hidden = {excl, n};
    return !in_idset(&hidden, s->account_id);
}

/* Does one of the list's keywords occur in the status (its text or content warning), as a
 * phrase of whole words? The streaming side of keyword_page, matched in memory. */
static bool list_keyword_takes(app_ctx *c, int64_t list_id, const pl_status *s)
{
    pl_list_source *src;
    int n;
    if (store_list_sources(c->db, list_id, c->a, &src, &n) != PL_OK) return false;
    const char *parts[2] = {posts_text_as_read(s), s->spoiler_text};
    for (int i = 0; i < n; i++) {
        if (src[i].kind != LIST_SOURCE_KEYWORD) continue;
        size_t kn = strlen(src[i].value);
        char *kw = arena_alloc(c->a, kn + 1);
        text_fold(src[i].value, kn, kw);
        for (int k = 0; k < 2; k++) {
            if (!parts[k] || !*parts[k]) continue;
            size_t hn = strlen(parts[k]);
            char *hay = arena_alloc(c->a, hn + 1);
            text_fold(parts[k], hn, hay);
            if (text_has_keyword(hay, hn, kw, kn, 1)) return true;
        }
    }
    return false;
}

bool feeds_list_accepts(app_ctx *c, int64_t viewer, const pl_list *l, const pl_status *s)
{
    if (!viewer || l->account_id != viewer) return false;
    if (!store_list_takes(c->db, l->id, s->account_id, s->channel_id, s->id) &&
        !list_keyword_takes(c, l->id, s))
        return false;
    if (!shows(c, viewer, s->id, true, NULL) || !home_allows_mentions(c, viewer, s)) return false;
    if (s->reblog_of_id) {
        pl_relationship r; /* boosts as the owner's follow says; none once unfollowed */
        if (store_relationship(c->db, viewer, s->account_id, &r) ||
            (r.following && !r.showing_reblogs))
            return false;
    }
    int64_t to = s->in_reply_to_account_id;
    if (!s->in_reply_to_id || !to || to == s->account_id) return true;
    switch (l->replies_policy) {
    case REPLIES_FOLLOWED: return app_follows(c, viewer, to);
    case REPLIES_LIST: return store_list_has_member(c->db, l->id, to);
    default: return false;
    }
}

bool feeds_public_accepts(app_ctx *c, int64_t viewer, const pl_status *s)
{
    return s->visibility == VIS_PUBLIC && !s->reblog_of_id &&
           shows(c, viewer, s->id, true, &reaches_rule);
}

bool feeds_channel_accepts(app_ctx *c, int64_t viewer, int64_t channel_id, const pl_status *s)
{
    /* as store_statuses_by_channel and feeds_channel: in the channel, not removed from it */
    return s->channel_id == channel_id && !s->channel_removed &&
           shows(c, viewer, s->id, true, NULL);
}

bool feeds_tag_accepts(app_ctx *c, int64_t viewer, const char *tag, const char *const *tags,
                       int n_tags, const pl_status *s)
{
    bool tagged = false;
    for (int i = 0; i < n_tags && !tagged; i++) tagged = !strcasecmp(tags[i], tag);
    return tagged && s->visibility == VIS_PUBLIC && shows(c, viewer, s->id, true, &reaches_rule);
}

int feeds_trim_step(app_ctx *c, int64_t *cursor, int batch)
{
    if (c->cfg->timeline_keep <= 0) return PL_OK;
    return store_timeline_trim_batch(c->db, *cursor, batch, c->cfg->timeline_keep, cursor);
}

int feeds_fanout(app_ctx *c, const pl_account *author, const pl_status *s)
{
    int64_t reply_to = s->in_reply_to_id ? s->in_reply_to_account_id : 0;
    if (author->followers_count <= c->cfg->fanout_inline) {
        int64_t n = 0;
        int rc =
            store_timeline_fanout(c->db, author->id, s->id, reply_to, s->reblog_of_id != 0, &n);
        c->fanout_rows += n;
        return rc;
    }
    pl_fanout f = {
        .status_id = s->id,
        .author_id = s->account_id,
        .reply_to_account_id = reply_to,
        .is_reblog = s->reblog_of_id != 0,
    };
    int rc = store_timeline_insert(c->db, author->id, s->id);
    return rc ? rc : store_fanout_enqueue(c->db, &f, c->now);
}

int feeds_rows_now(const app_ctx *c)
{
    return c->cfg->fanout_inline > 0 ? c->cfg->fanout_inline + 1 : 1;
}

int feeds_fanout_step(app_ctx *c, int rows, bool *more)
{
    pl_fanout f;
    *more = false;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_fanout_next(c->db, &f);
    if (rc == PL_ENOTFOUND) return app_txn_end(c, PL_OK) == PL_OK ? PL_OK : PL_EDB;
    int64_t n = 0;
    if (!rc) rc = store_fanout_chunk(c->db, &f, rows, &n);
    if ((rc = app_txn_end(c, rc))) return rc;
    c->fanout_rows += n;
    *more = true; /* maybe: the next step finds out */
    return PL_OK;
}
