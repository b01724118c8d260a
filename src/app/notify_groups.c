/*
 * notify_groups.c — grouped notifications, read from the notifications as they are.
 *
 * The design choice is that a group is computed, not kept: its key names the type, the post
 * and a fixed half-day window, so grouping needs no column, no migration and no state shared
 * between nodes, and every notification already written groups the same way on every read.
 * Mastodon keeps a group_key per notification and lets a group run on while notifications
 * keep coming (up to 12 hours from its start); fixed windows split such a run at midnight or
 * noon UTC, which a person reading notifications does not notice. A page reads the
 * notifications notify_list shows (so hidden posts and filters apply exactly as in v1),
 * newest first, until it has its number of groups; a group's count and samples are then
 * asked of the whole group (store/notify_groups.h).
 */
#include <stdio.h>
#include <string.h>

#include "app/notify.h"
#include "app/notify_groups.h"
#include "store/notify_groups.h"

/* The half-day windows of groups, in ms; and the notifications read per batch while filling a
 * page, and at most how many batches (a page over a long run of one group stays bounded). */
enum { WINDOW_MS = 12 * 3600 * 1000, PAGE_BATCH = 80, PAGE_BATCHES = 8, SAMPLE_ROWS = 40 };

static const char *const groupable[] = {"favourite", "reblog", "follow", NULL};

static bool in_list(const char *t, const char *const *list)
{
    for (; list && *list; list++)
        if (!strcmp(*list, t)) return true;
    return false;
}

static bool is_grouped(const char *type, const char *const *grouped)
{
    return in_list(type, groupable) && (!grouped || in_list(type, grouped));
}

static int64_t window_of(int64_t id)
{
    return (id >> 16) / WINDOW_MS;
}

const char *notify_group_key(app_ctx *c, const pl_notification *n, const char *const *grouped)
{
    if (!is_grouped(n->type, grouped))
        return arena_printf(c->a, "ungrouped-%lld", (long long)n->id);
    if (!strcmp(n->type, "follow"))
        return arena_printf(c->a, "follow-%lld", (long long)window_of(n->id));
    return arena_printf(c->a, "%s-%lld-%lld", n->type, (long long)n->status_id,
                        (long long)window_of(n->id));
}

/* Reads a key: a grouped one into *g (true, *single 0), an ungrouped one into *single. */
static bool parse_key(const char *key, int64_t viewer, notify_group_range *g, int64_t *single)
{
    long long a = 0, b = 0;
    int end = 0;
    *single = 0;
    *g = (notify_group_range){.account_id = viewer};
    if (sscanf(key, "ungrouped-%lld%n", &a, &end) == 1 && !key[end] && a > 0) {
        *single = a;
        return true;
    }
    int64_t window;
    if (sscanf(key, "follow-%lld%n", &a, &end) == 1 && !key[end]) {
        g->type = "follow";
        window = a;
    } else if (sscanf(key, "favourite-%lld-%lld%n", &a, &b, &end) == 2 && !key[end]) {
        g->type = "favourite";
        g->status_id = a;
        window = b;
    } else if (sscanf(key, "reblog-%lld-%lld%n", &a, &b, &end) == 2 && !key[end]) {
        g->type = "reblog";
        g->status_id = a;
        window = b;
    } else {
        return false;
    }
    if (window < 0 || window > (INT64_MAX >> 16) / WINDOW_MS - 1 || g->status_id < 0) return false;
    g->first_id = (window * WINDOW_MS) << 16;
    g->end_id = ((window + 1) * WINDOW_MS) << 16;
    return true;
}

static void add_sample(notify_group *g, int64_t from)
{
    for (int i = 0; i < g->n_samples; i++)
        if (g->sample_ids[i] == from) return;
    if (g->n_samples < NOTIFY_GROUP_SAMPLES) g->sample_ids[g->n_samples++] = from;
}

/* A group of one notification. */
static void single_group(app_ctx *c, const pl_notification *n, notify_group *g)
{
    *g = (notify_group){.key = arena_printf(c->a, "ungrouped-%lld", (long long)n->id),
                        .type = n->type,
                        .status_id = n->status_id,
                        .channel_id = n->channel_id,
                        .report_id = n->report_id,
                        .count = 1,
                        .most_recent_id = n->id,
                        .page_min_id = n->id,
                        .page_max_id = n->id,
                        .latest_page_at = n->created_at};
    add_sample(g, n->from_account_id);
}

/* Count, newest notification and samples of a grouped group, asked of the whole group. */
static int fill_whole(app_ctx *c, const notify_group_range *r, notify_group *g)
{
    pl_notification *rows;
    int n;
    int rc = store_notify_group_rows(c->db, r, SAMPLE_ROWS, c->a, &rows, &n);
    if (!rc) rc = store_notify_group_count(c->db, r, &g->count);
    if (rc) return rc;
    g->n_samples = 0;
    for (int i = 0; i < n; i++) add_sample(g, rows[i].from_account_id);
    if (n) g->most_recent_id = rows[0].id;
    return PL_OK;
}

int notify_group_get(app_ctx *c, int64_t viewer, const char *key, notify_group *out)
{
    notify_group_range r;
    int64_t single;
    if (!key || !parse_key(key, viewer, &r, &single))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    pl_notification newest;
    if (single) {
        int rc = notify_get(c, viewer, single, &newest);
        if (rc) return rc;
        single_group(c, &newest, out);
        out->page_min_id = out->page_max_id = 0; /* not a page */
        return PL_OK;
    }
    pl_notification *rows;
    int n;
    int rc = store_notify_group_rows(c->db, &r, 1, c->a, &rows, &n);
    if (rc) return rc;
    /* the newest says whether the viewer may still see what the group is about */
    if (n == 0 || (rc = notify_get(c, viewer, rows[0].id, &newest)))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    *out = (notify_group){.key = key, .type = r.type, .status_id = r.status_id};
    return fill_whole(c, &r, out);
}

int notify_group_accounts(app_ctx *c, int64_t viewer, const char *key, int max, int64_t **ids,
                          int *n)
{
    notify_group g;
    int rc = notify_group_get(c, viewer, key, &g);
    if (rc) return rc;
    notify_group_range r;
    int64_t single;
    parse_key(key, viewer, &r, &single);
    *ids = arena_alloc(c->a, sizeof **ids * (size_t)(max > 0 ? max : 1));
    *n = 0;
    if (single) {
        (*ids)[(*n)++] = g.sample_ids[0];
        return PL_OK;
    }
    pl_notification *rows;
    int nr;
    if ((rc = store_notify_group_rows(c->db, &r, max * 4, c->a, &rows, &nr))) return rc;
    for (int i = 0; i < nr && *n < max; i++) {
        bool seen = false;
        for (int k = 0; k < *n && !seen; k++) seen = (*ids)[k] == rows[i].from_account_id;
        if (!seen) (*ids)[(*n)++] = rows[i].from_account_id;
    }
    return PL_OK;
}

int notify_group_dismiss(app_ctx *c, int64_t viewer, const char *key)
{
    notify_group_range r;
    int64_t single;
    if (!key || !parse_key(key, viewer, &r, &single))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (single) return notify_dismiss(c, viewer, single);
    pl_notification *rows;
    int n;
    int rc = store_notify_group_rows(c->db, &r, 1, c->a, &rows, &n);
    if (rc) return rc;
    if (n == 0) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return store_notify_group_delete(c->db, &r);
}

/* The group of key among g[0..n), or -1. */
static int find_group(const notify_group *g, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(g[i].key, key)) return i;
    return -1;
}

/*
 * Reads the viewer's notifications of p's range newest first (ascending for min_id alone: then
 * one batch of p->limit, as notify_list reads it), calling take() on each until it says stop.
 */
typedef bool (*take_fn)(app_ctx *c, const pl_notification *n, void *ud);

static int scan(app_ctx *c, int64_t viewer, const notify_group_query *q, const pl_page *p,
                int batches, take_fn take, void *ud)
{
    pl_page b = *p;
    bool asc = p->min_id > 0 && p->since_id == 0;
    if (!asc) b.limit = PAGE_BATCH;
    for (int i = 0; i < (asc ? 1 : batches); i++) {
        pl_notification *items;
        int n;
        int rc = notify_list(c, viewer, q->from_id, q->types, q->exclude, q->include_filtered, &b,
                             &items, &n);
        if (rc) return rc;
        for (int k = 0; k < n; k++)
            if (!take(c, &items[k], ud)) return PL_OK;
        if (n == 0) return PL_OK;
        b.max_id = items[n - 1].id;
    }
    return PL_OK;
}

struct page_state {
    const notify_group_query *q;
    notify_group *groups;
    int n, limit;
    int64_t first, last;
};

static bool take_for_page(app_ctx *c, const pl_notification *n, void *ud)
{
    struct page_state *s = ud;
    const char *key = notify_group_key(c, n, s->q->grouped);
    int i = find_group(s->groups, s->n, key);
    if (i < 0 && s->n == s->limit) return false; /* the next page starts here */
    if (i < 0) {
        notify_group *g = &s->groups[s->n++];
        single_group(c, n, g);
        g->key = key;
    } else {
        notify_group *g = &s->groups[i];
        if (n->id < g->page_min_id) g->page_min_id = n->id;
        if (n->id > g->page_max_id) {
            g->page_max_id = n->id;
            g->latest_page_at = n->created_at;
        }
        g->count++;
        add_sample(g, n->from_account_id);
    }
    if (!s->first || n->id > s->first) s->first = n->id;
    if (!s->last || n->id < s->last) s->last = n->id;
    return true;
}

int notify_groups_page(app_ctx *c, int64_t viewer, const notify_group_query *q, const pl_page *p,
                       notify_group **out, int *n, int64_t *first, int64_t *last)
{
    struct page_state s = {.q = q, .limit = p->limit > 0 ? p->limit : 1};
    s.groups = arena_alloc(c->a, sizeof *s.groups * (size_t)s.limit);
    int rc = scan(c, viewer, q, p, PAGE_BATCHES, take_for_page, &s);
    if (rc) return rc;
    /* a grouped group's count, newest and samples are the whole group's, not the page's */
    for (int i = 0; i < s.n && !rc; i++) {
        notify_group *g = &s.groups[i];
        notify_group_range r;
        int64_t single;
        if (strncmp(g->key, "ungrouped-", 10) && parse_key(g->key, viewer, &r, &single)) {
            r.include_filtered = q->include_filtered;
            rc = fill_whole(c, &r, g);
        }
    }
    /* newest first by their newest notification on the page (the order they were met in) */
    *out = s.groups;
    *n = s.n;
    *first = s.first;
    *last = s.last;
    return rc;
}

struct unread_state {
    const notify_group_query *q;
    const char **keys;
    int n, limit;
};

static bool take_unread(app_ctx *c, const pl_notification *n, void *ud)
{
    struct unread_state *s = ud;
    const char *key = notify_group_key(c, n, s->q->grouped);
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->keys[i], key)) return true;
    if (s->n == s->limit) return false;
    s->keys[s->n++] = key;
    return true;
}

int notify_groups_unread(app_ctx *c, int64_t viewer, const notify_group_query *q, int limit,
                         int64_t *count)
{
    pl_marker m;
    int rc = markers_get(c, viewer, "notifications", &m);
    if (rc && rc != PL_ENOTFOUND) return rc;
    struct unread_state s = {.q = q, .limit = limit > 0 ? limit : 1};
    s.keys = arena_alloc(c->a, sizeof *s.keys * (size_t)s.limit);
    pl_page p = {.since_id = rc == PL_ENOTFOUND ? 0 : m.last_read_id, .limit = PAGE_BATCH};
    /* enough batches to meet `limit` groups of one each, and no more */
    rc = scan(c, viewer, q, &p, s.limit / PAGE_BATCH + 2, take_unread, &s);
    *count = s.n;
    return rc;
}
