/*
 * filters.c — the rules of filters (who owns them, what they may hold, how many) and their
 * application to the statuses a viewer is shown.
 *
 * Application is per request: the first status that asks reads the viewer's filters (one
 * query when they have none), drops the expired ones, and folds every keyword once
 * (text_fold); each status is then folded once — content warning, text and poll options,
 * joined by newlines so a keyword never spans two of them — and matched against the
 * keywords of the filters of the request's context with memmem and word-boundary checks
 * (text_has_keyword). Results are remembered per status and context, because a page asks
 * while filtering (feeds.c, hide) and again while rendering (posts_view, `filtered`).
 * Nothing here is cached across requests, so a change to a filter applies at once; the
 * per-loop status cache holds nothing of a filter (the `filtered` key is written around it).
 */
#include "filters.h"

#include <stdlib.h>
#include <string.h>

#include "app/posts.h"
#include "store/filters.h"
#include "store/polls.h"
#include "util/text.h"

/* ------------------------------------------------------------------------------------------ */
/* Rules                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static int not_found(app_ctx *c)
{
    return app_fail(c, PL_ENOTFOUND, "Record not found");
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static bool is_blank(const char *s)
{
    return !*(s + strspn(s, " \t\r\n"));
}

static int check_title(app_ctx *c, const char *title)
{
    if (!title || is_blank(title))
        return app_fail(c, PL_EINVAL, "Validation failed: Title can't be blank");
    if (!text_is_valid_utf8(title, strlen(title)))
        return app_fail(c, PL_EINVAL, "Validation failed: Title is not valid UTF-8");
    if ((int)utf8_chars(title) > c->cfg->max_filter_title)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Title is too long (maximum is %d characters)",
                        c->cfg->max_filter_title);
    return PL_OK;
}

static int check_keyword(app_ctx *c, const char *kw)
{
    if (!kw || is_blank(kw))
        return app_fail(c, PL_EINVAL, "Validation failed: Keyword can't be blank");
    if (!text_is_valid_utf8(kw, strlen(kw)))
        return app_fail(c, PL_EINVAL, "Validation failed: Keyword is not valid UTF-8");
    if ((int)utf8_chars(kw) > c->cfg->max_filter_keyword)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Keyword is too long (maximum is %d characters)",
                        c->cfg->max_filter_keyword);
    return PL_OK;
}

static int too_many_keywords(app_ctx *c)
{
    return app_fail(c, PL_ELIMIT, "A filter cannot have more than %d keywords",
                    c->cfg->max_filter_keywords);
}

/* Applies title, context, action and expiry of ch to f, checking them. */
static int apply_change(app_ctx *c, const filters_change *ch, pl_filter *f)
{
    int rc;
    if (ch->title && (rc = check_title(c, ch->title))) return rc;
    if (ch->title) f->title = ch->title;
    if (ch->context == 0)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Context can't be blank (give at least one of home, "
                        "notifications, public, thread, account)");
    if (ch->context > 0) f->context = ch->context;
    if (ch->action >= 0) f->action = ch->action;
    if (ch->set_expiry) {
        if (ch->expires_in < 0 || ch->expires_in > INT32_MAX)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: expires_in must be a number of seconds from 1 "
                            "to 2147483647");
        f->expires_at = ch->expires_in ? c->now + ch->expires_in * 1000 : 0;
    }
    return PL_OK;
}

static int load(app_ctx *c, int64_t owner, int64_t id, pl_filter *out)
{
    int rc = store_filter_get(c->db, owner, id, c->a, out);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_all(app_ctx *c, int64_t owner, pl_filter **out, int *n)
{
    return store_filters_of(c->db, owner, c->a, out, n);
}

int filters_get(app_ctx *c, int64_t owner, int64_t id, pl_filter *out)
{
    return load(c, owner, id, out);
}

int filters_create(app_ctx *c, int64_t owner, const filters_change *ch, pl_filter *out)
{
    *out = (pl_filter){.id = app_new_id(c), .account_id = owner, .created_at = c->now};
    if (!ch->title) return check_title(c, NULL);
    filters_change first = *ch;
    if (first.context < 0) first.context = 0; /* required */
    int rc = apply_change(c, &first, out);
    if (rc) return rc;
    int adding = 0;
    for (int i = 0; i < ch->n_keywords; i++) {
        const filters_keyword_change *k = &ch->keywords[i];
        if (k->id) return not_found(c); /* Mastodon: an id on create is 404 */
        if (k->destroy) continue;
        if ((rc = check_keyword(c, k->keyword))) return rc;
        adding++;
    }
    if (adding > c->cfg->max_filter_keywords) return too_many_keywords(c);
    int64_t have;
    if ((rc = store_filters_count(c->db, owner, &have))) return rc;
    if (have >= c->cfg->max_filters)
        return app_fail(c, PL_ELIMIT, "You cannot have more than %d filters", c->cfg->max_filters);
    if ((rc = store_filter_insert(c->db, out))) return rc;
    for (int i = 0; i < ch->n_keywords; i++) {
        const filters_keyword_change *k = &ch->keywords[i];
        if (k->destroy) continue;
        pl_filter_keyword row = {app_new_id(c), out->id, owner, k->keyword, k->whole_word != 0};
        if ((rc = store_filter_keyword_insert(c->db, &row, c->now))) return rc;
    }
    return load(c, owner, out->id, out);
}

int filters_update(app_ctx *c, int64_t owner, int64_t id, const filters_change *ch, pl_filter *out)
{
    int rc = load(c, owner, id, out);
    if (rc) return rc;
    if ((rc = apply_change(c, ch, out))) return rc;
    /* check every keyword change before the first is written */
    int count = out->n_keywords;
    for (int i = 0; i < ch->n_keywords; i++) {
        const filters_keyword_change *k = &ch->keywords[i];
        if (k->id) {
            bool held = false;
            for (int j = 0; j < out->n_keywords && !held; j++) held = out->keywords[j].id == k->id;
            if (!held) return not_found(c);
            if (k->destroy)
                count--;
            else if (k->keyword && (rc = check_keyword(c, k->keyword)))
                return rc;
        } else if (!k->destroy) {
            if ((rc = check_keyword(c, k->keyword))) return rc;
            count++;
        }
    }
    if (count > c->cfg->max_filter_keywords) return too_many_keywords(c);
    if ((rc = store_filter_update(c->db, out))) return rc == PL_ENOTFOUND ? not_found(c) : rc;
    for (int i = 0; i < ch->n_keywords && !rc; i++) {
        const filters_keyword_change *k = &ch->keywords[i];
        if (k->id && k->destroy) {
            rc = store_filter_keyword_delete(c->db, owner, k->id);
            if (rc == PL_ENOTFOUND) rc = PL_OK; /* named twice */
        } else if (k->id) {
            pl_filter_keyword row;
            if ((rc = store_filter_keyword_get(c->db, owner, k->id, c->a, &row))) break;
            if (k->keyword) row.keyword = k->keyword;
            if (k->whole_word >= 0) row.whole_word = k->whole_word != 0;
            rc = store_filter_keyword_update(c->db, &row);
        } else if (!k->destroy) {
            pl_filter_keyword row = {app_new_id(c), id, owner, k->keyword, k->whole_word != 0};
            rc = store_filter_keyword_insert(c->db, &row, c->now);
        }
    }
    if (rc) return rc == PL_ENOTFOUND ? not_found(c) : rc;
    return load(c, owner, id, out);
}

int filters_delete(app_ctx *c, int64_t owner, int64_t id)
{
    int rc = store_filter_delete(c->db, owner, id);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_keywords(app_ctx *c, int64_t owner, int64_t filter_id, pl_filter_keyword **out, int *n)
{
    pl_filter f;
    int rc = load(c, owner, filter_id, &f);
    if (rc) return rc;
    *out = f.keywords;
    *n = f.n_keywords;
    return PL_OK;
}

int filters_keyword_add(app_ctx *c, int64_t owner, int64_t filter_id, const char *keyword,
                        int whole_word, pl_filter_keyword *out)
{
    pl_filter f;
    int rc = load(c, owner, filter_id, &f);
    if (rc) return rc;
    if ((rc = check_keyword(c, keyword))) return rc;
    if (f.n_keywords >= c->cfg->max_filter_keywords) return too_many_keywords(c);
    *out = (pl_filter_keyword){app_new_id(c), filter_id, owner, keyword, whole_word != 0};
    return store_filter_keyword_insert(c->db, out, c->now);
}

int filters_keyword_get(app_ctx *c, int64_t owner, int64_t id, pl_filter_keyword *out)
{
    int rc = store_filter_keyword_get(c->db, owner, id, c->a, out);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_keyword_update(app_ctx *c, int64_t owner, int64_t id, const char *keyword,
                           int whole_word, pl_filter_keyword *out)
{
    int rc = filters_keyword_get(c, owner, id, out);
    if (rc) return rc;
    if ((rc = check_keyword(c, keyword))) return rc;
    out->keyword = keyword;
    if (whole_word >= 0) out->whole_word = whole_word != 0;
    rc = store_filter_keyword_update(c->db, out);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_keyword_delete(app_ctx *c, int64_t owner, int64_t id)
{
    int rc = store_filter_keyword_delete(c->db, owner, id);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_statuses(app_ctx *c, int64_t owner, int64_t filter_id, pl_filter_status **out, int *n)
{
    pl_filter f;
    int rc = load(c, owner, filter_id, &f);
    if (rc) return rc;
    *out = f.statuses;
    *n = f.n_statuses;
    return PL_OK;
}

int filters_status_add(app_ctx *c, int64_t owner, int64_t filter_id, int64_t status_id,
                       pl_filter_status *out)
{
    pl_filter f;
    int rc = load(c, owner, filter_id, &f);
    if (rc) return rc;
    pl_status s;
    if (!status_id || posts_get(c, owner, status_id, &s) != PL_OK) return not_found(c);
    if (store_filter_has_status(c->db, filter_id, status_id))
        return app_fail(c, PL_EINVAL, "Validation failed: Status has already been taken");
    if (f.n_statuses >= c->cfg->max_filter_statuses)
        return app_fail(c, PL_ELIMIT, "A filter cannot have more than %d statuses",
                        c->cfg->max_filter_statuses);
    *out = (pl_filter_status){app_new_id(c), filter_id, owner, status_id};
    return store_filter_status_insert(c->db, out, c->now);
}

int filters_status_get(app_ctx *c, int64_t owner, int64_t id, pl_filter_status *out)
{
    int rc = store_filter_status_get(c->db, owner, id, out);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int filters_status_delete(app_ctx *c, int64_t owner, int64_t id)
{
    int rc = store_filter_status_delete(c->db, owner, id);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Application                                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct folded_keyword {
    const char *keyword; /**< as the owner wrote it (reported in keyword_matches) */
    const char *folded;
    size_t len;
    bool whole_word;
} folded_keyword;

typedef struct active_filter {
    pl_filter filter; /**< keywords and statuses cleared: a FilterResult shows neither */
    folded_keyword *keywords;
    int n_keywords;
    int64_t *status_ids; /**< sorted */
    int n_status_ids;
} active_filter;

typedef struct match_memo {
    int64_t status_id;
    int ctx;
    filters_result *results;
    int n;
} match_memo;

struct filter_set {
    int64_t viewer;
    active_filter *filters;
    int n;
    int contexts; /**< the union of the active filters' contexts */
    match_memo *memo;
    int n_memo, cap_memo;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The viewer's active filters, read and folded at the first call of the request. */
static struct filter_set *filter_set(app_ctx *c, int64_t viewer)
{
    if (c->filters && c->filters->viewer == viewer) return c->filters;
    struct filter_set *set = arena_alloc(c->a, sizeof *set);
    memset(set, 0, sizeof *set);
    set->viewer = viewer;
    c->filters = set;
    pl_filter *all;
    int n;
    if (store_filters_of(c->db, viewer, c->a, &all, &n) != PL_OK || n == 0) return set;
    set->filters = arena_alloc(c->a, sizeof *set->filters * (size_t)n);
    for (int i = 0; i < n; i++) {
        const pl_filter *f = &all[i];
        if (f->expires_at && f->expires_at <= c->now) continue;
        active_filter *af = &set->filters[set->n++];
        *af = (active_filter){.filter = *f};
        af->filter.keywords = NULL;
        af->filter.statuses = NULL;
        af->filter.n_keywords = af->filter.n_statuses = 0;
        af->keywords = arena_alloc(c->a, sizeof *af->keywords * (size_t)(f->n_keywords + 1));
        for (int k = 0; k < f->n_keywords; k++) {
            const char *kw = f->keywords[k].keyword;
            size_t len = strlen(kw);
            char *folded = arena_alloc(c->a, len + 1);
            text_fold(kw, len, folded);
            af->keywords[af->n_keywords++] =
                (folded_keyword){kw, folded, len, f->keywords[k].whole_word};
        }
        af->status_ids = arena_alloc(c->a, sizeof *af->status_ids * (size_t)(f->n_statuses + 1));
        for (int k = 0; k < f->n_statuses; k++)
            af->status_ids[af->n_status_ids++] = f->statuses[k].status_id;
        qsort(af->status_ids, (size_t)af->n_status_ids, sizeof(int64_t), cmp_i64);
        set->contexts |= f->context;
    }
    return set;
}

static bool holds(const active_filter *f, int64_t id)
{
    return id && f->n_status_ids &&
           bsearch(&id, f->status_ids, (size_t)f->n_status_ids, sizeof id, cmp_i64);
}

/* The folded text a keyword is looked for in: content warning, text (of a Markdown post the
 * text as read, without its markup), poll options. */
static const char *haystack(app_ctx *c, const pl_status *s, size_t *len)
{
    const char *parts[2 + 16];
    int np = 0;
    parts[np++] = s->spoiler_text ? s->spoiler_text : "";
    parts[np++] = posts_text_as_read(s) ? posts_text_as_read(s) : "";
    pl_poll poll;
    if (s->poll_id && store_poll_get(c->db, s->poll_id, c->a, &poll) == PL_OK)
        for (int i = 0; i < poll.n_options && np < (int)(sizeof parts / sizeof *parts); i++)
            parts[np++] = poll.titles[i];
    size_t total = 0;
    for (int i = 0; i < np; i++) total += strlen(parts[i]) + 1;
    char *joined = arena_alloc(c->a, total + 1), *p = joined;
    for (int i = 0; i < np; i++) {
        size_t n = strlen(parts[i]);
        memcpy(p, parts[i], n);
        p += n;
        *p++ = '\n';
    }
    *p = '\0';
    char *folded = arena_alloc(c->a, total + 1);
    *len = text_fold(joined, total, folded);
    return folded;
}

static void remember(app_ctx *c, struct filter_set *set, int64_t id, int ctx, filters_result *r,
                     int n)
{
    if (set->n_memo == set->cap_memo) {
        int cap = set->cap_memo ? set->cap_memo * 2 : 64;
        match_memo *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (set->n_memo) memcpy(v, set->memo, sizeof *v * (size_t)set->n_memo);
        set->memo = v;
        set->cap_memo = cap;
    }
    set->memo[set->n_memo++] = (match_memo){id, ctx, r, n};
}

int filters_match(app_ctx *c, int64_t viewer, const pl_status *s, int ctx, filters_result **out,
                  int *n)
{
    *out = NULL;
    *n = 0;
    if (!viewer || !ctx || !s || viewer != c->viewer_id) return PL_OK;
    struct filter_set *set = filter_set(c, viewer);
    if (!(set->contexts & ctx)) return PL_OK;
    for (int i = set->n_memo - 1; i >= 0; i--)
        if (set->memo[i].status_id == s->id && set->memo[i].ctx == ctx) {
            *out = set->memo[i].results;
            *n = set->memo[i].n;
            return PL_OK;
        }
    const pl_status *proper = s->reblog_of_id ? app_status(c, s->reblog_of_id) : s;
    if (!proper || proper->account_id == viewer) return PL_OK;
    const char *text = NULL;
    size_t text_len = 0;
    filters_result *res = arena_alloc(c->a, sizeof *res * (size_t)set->n);
    int nres = 0;
    for (int i = 0; i < set->n; i++) {
        const active_filter *f = &set->filters[i];
        if (!(f->filter.context & ctx)) continue;
        filters_result r = {.filter = &f->filter};
        for (int k = 0; k < f->n_keywords; k++) {
            const folded_keyword *kw = &f->keywords[k];
            if (!text) text = haystack(c, proper, &text_len);
            if (!text_has_keyword(text, text_len, kw->folded, kw->len, kw->whole_word)) continue;
            if (!r.keyword_matches)
                r.keyword_matches =
                    arena_alloc(c->a, sizeof *r.keyword_matches * (size_t)f->n_keywords);
            r.keyword_matches[r.n_keyword_matches++] = kw->keyword;
        }
        int64_t ids[2] = {s->id, s->reblog_of_id};
        for (int k = 0; k < 2; k++) {
            if (!holds(f, ids[k])) continue;
            if (!r.status_matches) r.status_matches = arena_alloc(c->a, sizeof(int64_t) * 2);
            r.status_matches[r.n_status_matches++] = ids[k];
        }
        if (r.n_keyword_matches || r.n_status_matches) res[nres++] = r;
    }
    remember(c, set, s->id, ctx, res, nres);
    *out = res;
    *n = nres;
    return PL_OK;
}

bool filters_hide(app_ctx *c, int64_t viewer, const pl_status *s, int ctx)
{
    filters_result *r;
    int n;
    if (filters_match(c, viewer, s, ctx, &r, &n) != PL_OK) return false;
    for (int i = 0; i < n; i++)
        if (r[i].filter->action == FILTER_HIDE) return true;
    return false;
}
