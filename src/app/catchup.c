/*
 * catchup.c — the catch-up digest (see catchup.h for what goes in and in which order).
 *
 * Everything is read from what already exists — the home feed and lists through feeds.c, the
 * notifications, the conversations, the channel pins — so a catch-up shows nothing a timeline
 * would not, and costs about one top feed plus a few indexed reads. Personal items come first
 * (they were addressed to the viewer); the up-voted posts fill what reading time is left.
 */
#include "catchup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/conversations.h"
#include "app/lists.h"
#include "app/notify.h"
#include "app/posts.h"
#include "store/channels.h"
#include "store/posts.h"
#include "store/query.h"
#include "store/top.h"

enum { HOUR_MS = 3600000, DAY_MS = 86400000, DIRECT_PAGE = 40 };

static const char *const kind_names[] = {
    [CATCHUP_ANNOUNCEMENT] = "announcement", [CATCHUP_DIRECT] = "direct",
    [CATCHUP_REPLY_TO_YOU] = "reply_to_you", [CATCHUP_MENTION] = "mention",
    [CATCHUP_TOP_POST] = "top_post",
};

const char *catchup_kind_name(int kind)
{
    return kind >= 0 && kind <= CATCHUP_TOP_POST ? kind_names[kind] : "unknown";
}

static int count_words(const char *text)
{
    int n = 0;
    bool in_word = false;
    for (const char *p = text ? text : ""; *p; p++) {
        bool space = isspace((unsigned char)*p);
        if (!space && !in_word) n++;
        in_word = !space;
    }
    return n;
}

/* Items gathered before the cut. */
typedef struct gather {
    app_ctx *c;
    int64_t viewer;
    catchup_item *v;
    int n, cap;
} gather;

static bool already(const gather *g, int64_t status_id)
{
    for (int i = 0; i < g->n; i++)
        if (g->v[i].status_id == status_id) return true;
    return false;
}

static void add(gather *g, int kind, const pl_status *s, const char *reason, const top_score *sc)
{
    if (g->n == g->cap || already(g, s->id)) return;
    g->v[g->n++] = (catchup_item){.kind = kind,
                                  .reason = reason,
                                  .status_id = s->id,
                                  .has_score = sc != NULL,
                                  .score = sc ? *sc : (top_score){0},
                                  .words = count_words(posts_text_as_read(s))};
}

static const char *username(app_ctx *c, int64_t id)
{
    const pl_account *a = app_account(c, id);
    return a ? a->username : "someone";
}

static bool may_show(gather *g, const pl_status *s)
{
    app_ctx *c = g->c;
    /* never one's own post: one's own pinned announcement or last message is nothing missed */
    if (!s || s->account_id == g->viewer || !audience_can_see(c, g->viewer, s)) return false;
    return !(app_blocks(c, g->viewer, s->account_id) || app_mutes(c, g->viewer, s->account_id));
}

static int announcements(gather *g, int64_t since)
{
    app_ctx *c = g->c;
    pl_list_member *chans;
    int nc;
    int rc = store_channels_of(c->db, g->viewer, c->a, &chans, &nc);
    if (rc) return rc;
    int64_t ids[STORE_BATCH];
    for (int at = 0; at < nc; at += STORE_BATCH) {
        int take = nc - at < STORE_BATCH ? nc - at : STORE_BATCH;
        for (int i = 0; i < take; i++) ids[i] = chans[at + i].account_id;
        pl_channel_pin *pins;
        int np;
        if ((rc = store_channel_pins_since(c->db, ids, take, since, c->a, &pins, &np))) return rc;
        for (int i = 0; i < np; i++) {
            const pl_status *s = app_status(c, pins[i].status_id);
            if (!may_show(g, s)) continue;
            add(g, CATCHUP_ANNOUNCEMENT, s,
                arena_printf(c->a, "Announcement pinned in %s", username(c, pins[i].channel_id)),
                NULL);
        }
    }
    return PL_OK;
}

static int direct(gather *g, catchup *out)
{
    app_ctx *c = g->c;
    pl_page p = {.limit = DIRECT_PAGE};
    conversation_view *v;
    int n;
    int rc = conversations_page(c, g->viewer, &p, &v, &n);
    if (rc || (rc = conversations_unread_count(c, g->viewer, &out->direct))) return rc;
    for (int i = 0; i < n; i++) {
        if (!v[i].conv.unread || !v[i].shown_status_id) continue;
        const pl_status *s = app_status(c, v[i].shown_status_id);
        if (!may_show(g, s)) continue;
        add(g, CATCHUP_DIRECT, s,
            arena_printf(c->a, "Unread direct message from @%s", username(c, s->account_id)), NULL);
    }
    return PL_OK;
}

/* Replies to the viewer's posts first, then the other mentions, each newest first: a reply
 * continues a conversation the viewer started and most often waits for their answer, and when
 * the reading time cuts the list, it cuts the less personal kind. */
static int mentions(gather *g, int64_t since, catchup *out)
{
    app_ctx *c = g->c;
    static const char *const types[] = {"mention", NULL};
    pl_page p = {.since_id = id_floor_for_ms(since) - 1, .limit = c->cfg->max_unread_count};
    pl_notification *nots;
    int n;
    int rc = notify_list(c, g->viewer, 0, types, NULL, false, &p, &nots, &n);
    if (rc) return rc;
    for (int pass = 0; pass < 2; pass++) {
        bool replies = pass == 0;
        for (int i = 0; i < n; i++) {
            const pl_status *s = nots[i].status_id ? app_status(c, nots[i].status_id) : NULL;
            if (!s || s->visibility == VIS_DIRECT) continue; /* direct: a conversation */
            bool reply = s->in_reply_to_id && s->in_reply_to_account_id == g->viewer;
            if (reply != replies) continue;
            out->mentions++;
            const char *who = username(c, s->account_id);
            add(g, reply ? CATCHUP_REPLY_TO_YOU : CATCHUP_MENTION, s,
                reply ? arena_printf(c->a, "@%s replied to you", who)
                      : arena_printf(c->a, "@%s mentioned you", who),
                NULL);
        }
    }
    return PL_OK;
}

/* "12 up-votes, 1 boost and 2 replies in #marketing" (a count of zero is left out) */
static const char *top_reason(app_ctx *c, const pl_status *s, const top_score *sc)
{
    const char *where;
    const pl_account *ch = s->channel_id ? app_account(c, s->channel_id) : NULL;
    const char **tags;
    int nt = 0;
    if (ch)
        where = arena_printf(c->a, "in the channel %s", ch->username);
    else if (s->tags_count && store_status_tags(c->db, s->id, c->a, &tags, &nt) == PL_OK && nt)
        where = arena_printf(c->a, "in #%s", tags[0]);
    else
        where = arena_printf(c->a, "from @%s", username(c, s->account_id));
    /* the counts that are not zero, said as a sentence: "a, b and c" */
    const char *part[3];
    int n = 0;
    if (sc->votes)
        part[n++] =
            arena_printf(c->a, "%lld up-vote%s", (long long)sc->votes, sc->votes == 1 ? "" : "s");
    if (sc->boosts)
        part[n++] =
            arena_printf(c->a, "%lld boost%s", (long long)sc->boosts, sc->boosts == 1 ? "" : "s");
    if (sc->replies)
        part[n++] = arena_printf(c->a, "%lld repl%s", (long long)sc->replies,
                                 sc->replies == 1 ? "y" : "ies");
    if (!n) return arena_printf(c->a, "Popular %s", where);
    const char *said = part[0];
    for (int i = 1; i < n; i++)
        said = arena_printf(c->a, "%s%s%s", said, i == n - 1 ? " and " : ", ", part[i]);
    return arena_printf(c->a, "%s %s", said, where);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int top_posts(gather *g, int64_t since, catchup *out)
{
    app_ctx *c = g->c;
    int budget = c->cfg->top_max_candidates;
    top_feed home = {.kind = TOP_HOME};
    int64_t *ids;
    int n;
    int rc = top_candidates(c, g->viewer, &home, since, &budget, &ids, &n);
    if (rc) return rc;
    /* the exclusive lists: their members are not in home (the other lists' members are) */
    pl_list *lists;
    int nl;
    if ((rc = lists_all(c, g->viewer, &lists, &nl))) return rc;
    for (int i = 0; i < nl && budget > 0; i++) {
        if (!lists[i].is_exclusive) continue;
        top_feed f = {.kind = TOP_LIST, .id = lists[i].id};
        int64_t *more;
        int m;
        if ((rc = top_candidates(c, g->viewer, &f, since, &budget, &more, &m))) return rc;
        int64_t *all = arena_alloc(c->a, sizeof *all * (size_t)(n + m + 1));
        memcpy(all, ids, sizeof *all * (size_t)n);
        memcpy(all + n, more, sizeof *all * (size_t)m);
        qsort(all, (size_t)(n + m), sizeof *all, cmp_id);
        int k = 0;
        for (int j = 0; j < n + m; j++)
            if (k == 0 || all[k - 1] != all[j]) all[k++] = all[j];
        ids = all;
        n = k;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        const pl_status *s = app_status(c, ids[i]);
        if (!s || s->account_id == g->viewer) continue;
        out->new_posts++;
        if (s->favourites_count > 0) ids[k++] = ids[i];
    }
    double hours = (double)(c->now - since) / HOUR_MS;
    top_item *items;
    int ni = top_score_ids(c, ids, k, hours < 1 ? 1 : hours, &items);
    top_sort(items, ni);
    for (int i = 0; i < ni; i++) {
        const pl_status *s = app_status(c, items[i].id);
        if (s) add(g, CATCHUP_TOP_POST, s, top_reason(c, s, &items[i].score), &items[i].score);
    }
    return PL_OK;
}

int catchup_build(app_ctx *c, int64_t viewer, int64_t since, catchup *out)
{
    memset(out, 0, sizeof *out);
    const pl_config *cfg = c->cfg;
    if (!since) {
        pl_marker m;
        int rc = markers_get(c, viewer, "home", &m);
        if (rc && rc != PL_ENOTFOUND) return rc;
        since = rc == PL_OK && m.updated_at ? m.updated_at : c->now - DAY_MS;
    }
    int64_t oldest = c->now - (int64_t)cfg->catchup_max_days * DAY_MS;
    if (since < oldest) since = oldest;
    out->since = since;

    int max_items = cfg->catchup_max_items;
    /* each kind may fill the whole list; what is cut is cut after the order is known */
    gather g = {c, viewer, NULL, 0, 4 * max_items + 1};
    g.v = arena_alloc(c->a, sizeof *g.v * (size_t)g.cap);
    int rc;
    if ((rc = announcements(&g, since)) || (rc = direct(&g, out)) ||
        (rc = mentions(&g, since, out)) || (rc = top_posts(&g, since, out)))
        return rc;

    int wpm = cfg->catchup_words_per_minute > 0 ? cfg->catchup_words_per_minute : 1;
    int64_t budget = (int64_t)cfg->catchup_reading_minutes * wpm, words = 0;
    int n = 0;
    while (n < g.n && n < max_items && (n == 0 || words + g.v[n].words <= budget))
        words += g.v[n++].words;
    out->items = g.v;
    out->n = n;
    out->reading_minutes = n ? (int)((words + wpm - 1) / wpm) : 0;
    if (n && !out->reading_minutes) out->reading_minutes = 1;
    return PL_OK;
}
