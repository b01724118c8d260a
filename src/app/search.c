/*
 * search.c — the search rules: the query language, who may see what is found, and the
 * rounds that fill a page.
 *
 * The store finds candidates through the database's own full-text index (store/search.c);
 * this module decides what the viewer may see. Visibility depends on the viewer's follows,
 * mentions and blocks, which no index holds, so every candidate goes through
 * audience_can_see() as on every other read path, and a page that filtering thinned out is
 * refilled from further down the index (like feeds.c's filter loop), at most SEARCH_ROUNDS
 * reads with growing chunks. Offsets count visible results, so a deep offset reads at least
 * that many candidates: max_search_offset bounds it.
 *
 * It must never show a status audience_can_see refuses, and never reveal through a hashtag
 * or an account what the viewer may not see (see store_search_tags).
 */
#include "search.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/accounts.h"
#include "app/audience.h"
#include "store/search.h"
#include "util/text.h"

enum {
    SEARCH_ROUNDS = 8,       /* index reads per statuses page */
    SEARCH_CHUNK_MIN = 40,   /* candidates in the first read */
    SEARCH_CHUNK_MAX = 2000, /* and at most in any read */
    SEARCH_MAX_TERMS = 64,   /* words and phrases kept from one query */
};

/* ------------------------------------------------------------------------------------------ */
/* The query language                                                                          */
/* ------------------------------------------------------------------------------------------ */

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A letter or digit as the full-text tokenizers see them (any non-ASCII byte counts). */
static bool is_word_byte(unsigned char ch)
{
    return ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

static bool has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_word_byte((unsigned char)s[i])) return true;
    return false;
}

/* "YYYY-MM-DD" as the ms of that day's start (UTC); false if it is not such a date. */
static bool parse_day(const char *s, size_t n, int64_t *ms)
{
    int y, m, d, used = 0;
    char tmp[16];
    if (n != 10) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (sscanf(tmp, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10) return false;
    if (tmp[4] != '-' || tmp[7] != '-' || y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != m - 1)
        return false; /* 2024-02-30 */
    *ms = (int64_t)t * 1000;
    return true;
}

static void add_term(app_ctx *c, search_query *q, const char *s, size_t n)
{
    if (!has_word(s, n) || q->n_terms >= SEARCH_MAX_TERMS) return;
    q->terms[q->n_terms++] = arena_strndup(c->a, s, n);
}

/* key:value; returns 1 if it was an operator (applied), 0 if it is a word, or an error. */
static int apply_operator(app_ctx *c, int64_t viewer, search_query *q, const char *w, size_t n)
{
    const char *colon = memchr(w, ':', n);
    if (!colon || colon == w) return 0;
    size_t klen = (size_t)(colon - w), vlen = n - klen - 1;
    const char *v = colon + 1;
    char key[16];
    if (klen >= sizeof key) return 0;
    memcpy(key, w, klen);
    key[klen] = '\0';
    const char *value = arena_strndup(c->a, v, vlen);
    int64_t day;
    if (!strcasecmp(key, "from")) {
        if (*value == '@') value++;
        if (!strcasecmp(value, "me")) {
            q->author = viewer;
            q->no_author |= viewer == 0;
            return 1;
        }
        const pl_account *acc;
        int rc = *value ? accounts_lookup(c, value, &acc) : PL_ENOTFOUND;
        if (rc == PL_ENOTFOUND) {
            c->errmsg = NULL;
            q->no_author = true;
            return 1;
        }
        if (rc) return rc;
        if (q->author && q->author != acc->id) q->no_author = true;
        q->author = acc->id;
        return 1;
    }
    if (!strcasecmp(key, "before") || !strcasecmp(key, "after") || !strcasecmp(key, "during")) {
        if (!parse_day(v, vlen, &day))
            return app_fail(c, PL_EINVAL, "%s: needs a date written YYYY-MM-DD, not '%.40s'", key,
                            value);
        int64_t next = day + 86400000;
        bool before = !strcasecmp(key, "before"), after = !strcasecmp(key, "after");
        /* before: the day not included; after: from the next day on; during: that day */
        int64_t lo = before ? 0 : after ? next : day, hi = after ? 0 : before ? day : next;
        if (lo && lo > q->after_ms) q->after_ms = lo;
        if (hi && (!q->before_ms || hi < q->before_ms)) q->before_ms = hi;
        return 1;
    }
    if (!strcasecmp(key, "has")) {
        if (strcasecmp(value, "poll"))
            return app_fail(c, PL_EINVAL, "has: supports only has:poll, not '%.40s'", value);
        q->has_poll = true;
        return 1;
    }
    if (!strcasecmp(key, "is")) {
        if (strcasecmp(value, "reply"))
            return app_fail(c, PL_EINVAL, "is: supports only is:reply, not '%.40s'", value);
        q->is_reply = true;
        return 1;
    }
    if (!strcasecmp(key, "in")) {
        /* in:#marketing, in:marketing — a channel's posts (still each through the audience) */
        if (*value == '#' || *value == '@') value++;
        const pl_account *acc;
        int rc = *value ? accounts_lookup(c, value, &acc) : PL_ENOTFOUND;
        if (rc && rc != PL_ENOTFOUND) return rc;
        c->errmsg = NULL;
        if (rc || !acc->is_group || (q->channel && q->channel != acc->id)) {
            q->no_channel = true;
            return 1;
        }
        q->channel = acc->id;
        return 1;
    }
    if (!strcasecmp(key, "language"))
        return app_fail(c, PL_EINVAL, "%s: is not supported yet", key);
    return 0;
}

int search_parse(app_ctx *c, int64_t viewer, const char *text, search_query *q)
{
    *q = (search_query){0};
    q->terms = arena_alloc(c->a, sizeof *q->terms * SEARCH_MAX_TERMS);
    const char *p = text;
    while (*p) {
        while (is_space(*p)) p++;
        if (!*p) break;
        if (*p == '"') { /* a phrase, to the closing quote or the end */
            const char *end = strchr(p + 1, '"');
            size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
            add_term(c, q, p + 1, n);
            p += n + 1 + (end ? 1 : 0);
            continue;
        }
        size_t n = 0;
        while (p[n] && !is_space(p[n])) n++;
        const char *w = p;
        p += n;
        if (w[0] == '-' && n > 1 && is_word_byte((unsigned char)w[1]))
            return app_fail(c, PL_EINVAL,
                            "excluding a word (-%.*s) is not supported yet; leave the - out",
                            (int)(n - 1 > 40 ? 40 : n - 1), w + 1);
        if (w[0] == '#' && n > 1) {
            char tag[128];
            if (text_tag_normalize(w + 1, n - 1, tag, sizeof tag) > 0) {
                if (!q->tag)
                    q->tag = arena_strdup(c->a, tag);
                else
                    add_term(c, q, w + 1, n - 1); /* its text is in the post as a word */
                continue;
            }
        }
        int rc = apply_operator(c, viewer, q, w, n);
        if (rc < 0) return rc;
        if (rc == 0) add_term(c, q, w, n);
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static bool hidden_by_viewer(app_ctx *c, int64_t viewer, const pl_status *s)
{
    if (!viewer || viewer == s->account_id) return false;
    return app_blocks(c, viewer, s->account_id) || app_mutes(c, viewer, s->account_id);
}

static bool shows(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_status *s = app_status(c, id);
    if (!s || !audience_can_see(c, viewer, s)) return false;
    if (!viewer && s->visibility != VIS_PUBLIC) return false; /* signed out: public posts only */
    if (!app_reaches(c, viewer, s->account_id)) return false; /* silenced: followers only */
    return !hidden_by_viewer(c, viewer, s);
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* The store's query from the parsed one and the request's bounds; false if nothing can
 * match. */
static bool store_query(const search_query *sq, const search_req *r, pl_search *q)
{
    *q = (pl_search){
        .terms = sq->terms,
        .n_terms = sq->n_terms,
        .tag = sq->tag,
        .account_id = sq->author,
        .channel_id = sq->channel,
        .has_poll = sq->has_poll,
        .is_reply = sq->is_reply,
    };
    if (sq->no_author || sq->no_channel ||
        (r->account_id && sq->author && r->account_id != sq->author))
        return false;
    if (r->account_id) q->account_id = r->account_id;
    if (!q->n_terms && !q->tag && !q->account_id && !q->channel_id && !q->has_poll && !q->is_reply)
        return false; /* nothing to look up */
    /* ids are time-ordered, so days are id bounds */
    q->above = max64(r->page.since_id, r->page.min_id);
    if (sq->after_ms) q->above = max64(q->above, id_floor_for_ms(sq->after_ms) - 1);
    q->below = r->page.max_id;
    if (sq->before_ms) {
        int64_t b = id_floor_for_ms(sq->before_ms);
        if (!q->below || b < q->below) q->below = b;
    }
    return !(q->below && q->above && q->below <= q->above + 1);
}

static int search_statuses(app_ctx *c, int64_t viewer, const search_req *r, pl_idlist *out)
{
    int limit = r->page.limit;
    out->ids = arena_alloc(c->a, sizeof *out->ids * (size_t)(limit + 1));
    out->keys = out->ids;
    out->n = 0;
    search_query sq;
    int rc = search_parse(c, viewer, r->q, &sq);
    if (rc) return rc;
    pl_search q;
    if (!store_query(&sq, r, &q)) return PL_OK;
    q.candidates = c->cfg->search_rank_candidates;
    bool asc = !r->ranked && r->page.min_id > 0 && r->page.since_id == 0;
    int order = r->ranked ? SEARCH_RELEVANCE : asc ? SEARCH_OLDEST : SEARCH_NEWEST;
    int skip = r->offset, store_offset = 0;
    for (int round = 0; round < SEARCH_ROUNDS && out->n < limit; round++) {
        int want = 2 * (skip + limit - out->n);
        int chunk = want < SEARCH_CHUNK_MIN ? SEARCH_CHUNK_MIN : want;
        if (chunk > SEARCH_CHUNK_MAX) chunk = SEARCH_CHUNK_MAX;
        /* relevance: every candidate, ranked, in one read (a second would rank them again) */
        if (order == SEARCH_RELEVANCE) chunk = q.candidates;
        pl_idlist got;
        if ((rc = store_search_statuses(c->db, &q, order, store_offset, chunk, c->a, &got)))
            return rc;
        for (int k = 0; k < got.n && out->n < limit; k++) {
            if (k % SEARCH_CHUNK_MIN == 0) {
                int left = got.n - k;
                app_prefetch_statuses(c, got.ids + k,
                                      left < SEARCH_CHUNK_MIN ? left : SEARCH_CHUNK_MIN);
            }
            if (!shows(c, viewer, got.ids[k])) continue;
            if (skip > 0) {
                skip--;
                continue;
            }
            out->ids[out->n++] = got.ids[k];
        }
        if (got.n < chunk || order == SEARCH_RELEVANCE) break;
        if (order == SEARCH_RELEVANCE)
            store_offset += got.n;
        else if (asc)
            q.above = got.ids[got.n - 1];
        else
            q.below = got.ids[got.n - 1];
    }
    for (int i = 0, j = out->n - 1; asc && i < j; i++, j--) { /* newest first, as every page */
        int64_t t = out->ids[i];
        out->ids[i] = out->ids[j];
        out->ids[j] = t;
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Accounts and hashtags                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* q as an account prefix: "@name", "name@our-host" → "name", ASCII lower case; NULL if it
 * cannot name an account. */
static const char *account_prefix(app_ctx *c, const char *q)
{
    while (is_space(*q)) q++;
    if (*q == '@') q++;
    size_t n = strlen(q);
    while (n && is_space(q[n - 1])) n--;
    const char *at = memchr(q, '@', n);
    if (at) {
        size_t host = n - (size_t)(at - q) - 1;
        if (strlen(c->cfg->host) != host || strncasecmp(at + 1, c->cfg->host, host)) return NULL;
        n = (size_t)(at - q);
    }
    if (n == 0 || *q == '#') return NULL;
    char *out = arena_strndup(c->a, q, n);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return out;
}

/* q as a hashtag prefix ("#Tag" or "tag"), normalized; NULL if it cannot be one. */
static const char *tag_prefix(app_ctx *c, const char *q)
{
    while (is_space(*q)) q++;
    if (*q == '#') q++;
    size_t n = strlen(q);
    while (n && is_space(q[n - 1])) n--;
    char tag[128];
    if (text_tag_normalize(q, n, tag, sizeof tag) <= 0) return NULL;
    return arena_strdup(c->a, tag);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int search_run(app_ctx *c, int64_t viewer, const search_req *r, search_result *out)
{
    *out = (search_result){0};
    const char *q = r->q ? r->q : "";
    if (!text_is_valid_utf8(q, strlen(q))) return app_fail(c, PL_EINVAL, "q must be valid UTF-8");
    if ((int64_t)utf8_chars(q) > c->cfg->max_search_query)
        return app_fail(c, PL_EINVAL, "q is too long (the limit is %d characters)",
                        c->cfg->max_search_query);
    if (r->offset < 0) return app_fail(c, PL_EINVAL, "offset must be 0 or more");
    if (r->offset > c->cfg->max_search_offset)
        return app_fail(c, PL_EINVAL, "offset is too large (the limit is %d)",
                        c->cfg->max_search_offset);
    int limit = r->page.limit, rc;
    if (r->types & SEARCH_STATUSES) {
        if ((rc = search_statuses(c, viewer, r, &out->statuses))) return rc;
    }
    const char *who = (r->types & SEARCH_ACCOUNTS) ? account_prefix(c, q) : NULL;
    if (who && !(r->following && !viewer)) {
        rc = store_search_accounts(c->db, who, viewer, r->following, r->offset, limit, c->a,
                                   &out->accounts, &out->n_accounts);
        if (rc) return rc;
        int k = 0; /* a silenced person is found by their followers only */
        for (int i = 0; i < out->n_accounts; i++)
            if (app_reaches(c, viewer, out->accounts[i])) out->accounts[k++] = out->accounts[i];
        out->n_accounts = k;
    }
    const char *tag = (r->types & SEARCH_HASHTAGS) ? tag_prefix(c, q) : NULL;
    if (tag) {
        rc = store_search_tags(c->db, tag, r->offset, limit, c->a, &out->tags, &out->n_tags);
        if (rc) return rc;
    }
    return PL_OK;
}
