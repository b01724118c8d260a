/*
 * discover.c — the rules of finding people (app/discover.h says who may appear).
 *
 * The store does the heavy filtering in its queries (blocks, mutes, follows, dismissals), so
 * a page is full and nothing excluded is loaded; what needs the app layer is decided here:
 * whether a channel may be shown to the viewer (channels_readable, failing closed) and whether
 * an account's followers may be shown (profile_shows_collections).
 *
 * Suggestions are assembled from two bounded sources rather than ranked over the company:
 * a newcomer's channels name their colleagues (the newest members of each, shared out of
 * suggestions_candidates rows, the channels that posted last first), and the most followed
 * accounts (suggestions_candidates rows of accounts_by_followers) fill the rest. A score over
 * everyone — follows of follows, interactions — would read more the more people there are.
 * Never: show a private channel to someone outside it.
 */
#include "app/discover.h"

#include <stdlib.h>
#include <string.h>

#include "app/channels.h"
#include "app/profile.h"
#include "store/channels.h"
#include "store/discover.h"

int discover_directory(app_ctx *c, int64_t viewer, int order, int offset, int limit, int64_t **ids,
                       int *n)
{
    int rc = store_directory(c->db, viewer, order, offset, limit, c->now, c->a, ids, n);
    if (rc) return rc;
    /* a silenced person is listed to their followers only (app_reaches); the page may come
     * out shorter, its offsets stay the store's */
    int k = 0;
    for (int i = 0; i < *n; i++)
        if (app_reaches(c, viewer, (*ids)[i])) (*ids)[k++] = (*ids)[i];
    *n = k;
    return PL_OK;
}

/* May the account be suggested to viewer? A channel only if the viewer may read it; a
 * channel that cannot be read (an error) is left out. */
static bool may_suggest(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_account *acc = app_account(c, id);
    if (!acc || !app_reaches(c, viewer, id)) return false;
    if (!acc->is_group) return true;
    const pl_channel *ch = app_channel(c, id);
    return ch && channels_readable(c, viewer, ch);
}

typedef struct tally {
    discover_suggestion *v;
    int *shared; /* channels in common, per entry */
    int n, cap;
} tally;

static int tally_find(const tally *t, int64_t id)
{
    for (int i = 0; i < t->n; i++)
        if (t->v[i].account_id == id) return i;
    return -1;
}

static void tally_add(app_ctx *c, tally *t, int64_t id, int source)
{
    int i = tally_find(t, id);
    if (i >= 0) {
        t->v[i].sources |= source;
        if (source == SUGGESTED_COLLEAGUE) t->shared[i]++;
        return;
    }
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        discover_suggestion *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        int *shared = arena_alloc(c->a, sizeof *shared * (size_t)cap);
        if (t->n) {
            memcpy(v, t->v, sizeof *v * (size_t)t->n);
            memcpy(shared, t->shared, sizeof *shared * (size_t)t->n);
        }
        t->v = v;
        t->shared = shared;
        t->cap = cap;
    }
    t->v[t->n] = (discover_suggestion){.account_id = id, .sources = source};
    t->shared[t->n] = source == SUGGESTED_COLLEAGUE ? 1 : 0;
    t->n++;
}

/* The channels of viewer to ask for colleagues: not the everyone channel (everyone is in
 * it), those that posted last first, at most max of them. */
static int colleague_channels(app_ctx *c, int64_t viewer, int max, pl_list_member **out, int *n)
{
    pl_list_member *chans;
    int nc, rc = store_channels_of(c->db, viewer, c->a, &chans, &nc);
    if (rc) return rc;
    int kept = 0;
    for (int i = 0; i < nc; i++) {
        pl_list_member m = chans[i];
        const pl_channel *ch = app_channel(c, m.account_id);
        if (!ch || ch->is_everyone) continue;
        /* insertion by last post, newest first: a person is in few channels */
        int j = kept++;
        for (; j > 0 && chans[j - 1].last_status_at < m.last_status_at; j--)
            chans[j] = chans[j - 1];
        chans[j] = m;
    }
    *out = chans;
    *n = kept < max ? kept : max;
    return PL_OK;
}

int discover_suggestions(app_ctx *c, int64_t viewer, int limit, discover_suggestion **out, int *n)
{
    int reads = c->cfg->suggestions_candidates;
    tally t = {0};
    pl_list_member *chans;
    int nc, rc = colleague_channels(c, viewer, reads / 10, &chans, &nc);
    if (rc) return rc;
    for (int i = 0; i < nc; i++) {
        int64_t *ids;
        int k;
        rc = store_suggest_members(c->db, viewer, chans[i].account_id, reads / nc, c->now, c->a,
                                   &ids, &k);
        if (rc) return rc;
        for (int j = 0; j < k; j++) tally_add(c, &t, ids[j], SUGGESTED_COLLEAGUE);
    }
    /* most channels in common first; the order of discovery (newest members of the most
     * recently active channels) breaks ties: a stable insertion sort */
    for (int i = 1; i < t.n; i++) {
        discover_suggestion v = t.v[i];
        int s = t.shared[i], j = i;
        for (; j > 0 && t.shared[j - 1] < s; j--) {
            t.v[j] = t.v[j - 1];
            t.shared[j] = t.shared[j - 1];
        }
        t.v[j] = v;
        t.shared[j] = s;
    }
    int64_t *top;
    int ntop;
    if ((rc = store_suggest_most_followed(c->db, viewer, reads, c->now, c->a, &top, &ntop)))
        return rc;
    for (int i = 0; i < ntop; i++) tally_add(c, &t, top[i], SUGGESTED_MOST_FOLLOWED);

    discover_suggestion *v = arena_alloc(c->a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    int count = 0;
    for (int i = 0; i < t.n && count < limit; i++)
        if (may_suggest(c, viewer, t.v[i].account_id)) v[count++] = t.v[i];
    *out = v;
    *n = count;
    return PL_OK;
}

int discover_dismiss(app_ctx *c, int64_t viewer, int64_t target)
{
    if (!app_account(c, target)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return store_suggestion_dismiss(c->db, viewer, target, c->now);
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int discover_familiar_followers(app_ctx *c, int64_t viewer, int64_t target, int64_t **ids, int *n)
{
    *ids = NULL;
    *n = 0;
    const pl_account *acc = app_account(c, target);
    if (!acc || acc->is_disabled) return PL_ENOTFOUND;
    if (acc->is_group) {
        /* following a private channel is told to its members only; unreadable: nobody */
        const pl_channel *ch = app_channel(c, target);
        if (!ch || !channels_readable(c, viewer, ch)) return PL_OK;
    }
    if (!profile_shows_collections(c, viewer, acc)) return PL_OK;
    /* the smaller side is read: the viewer's follows always (their own size), the target's
     * followers only when fewer (a big account's are most of the company); otherwise each
     * of the viewer's follows is asked about by key until the answer is full */
    int64_t *mine, *theirs = NULL;
    int nmine, ntheirs = 0, rc = store_follows_latest(c->db, viewer, c->a, &mine, &nmine);
    if (rc) return rc;
    bool read_theirs = acc->followers_count <= nmine;
    if (read_theirs) {
        if ((rc = store_followers_all(c->db, target, c->a, &theirs, &ntheirs))) return rc;
        qsort(theirs, (size_t)ntheirs, sizeof *theirs, cmp_id);
    }
    int limit = c->cfg->max_familiar_accounts;
    int64_t *v = arena_alloc(c->a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    int count = 0;
    for (int i = 0; i < nmine && count < limit; i++) {
        bool follows =
            read_theirs ? bsearch(&mine[i], theirs, (size_t)ntheirs, sizeof *theirs, cmp_id) != NULL
                        : app_follows(c, mine[i], target); /* an error: no */
        const pl_account *f = follows ? app_account(c, mine[i]) : NULL;
        /* whom someone follows is theirs to hide */
        if (f && !f->is_disabled && !f->hide_collections) v[count++] = mine[i];
    }
    *ids = v;
    *n = count;
    return PL_OK;
}
