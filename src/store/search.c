/*
 * search.c — full-text search of statuses, and accounts and hashtags by prefix.
 *
 * Statuses are indexed by the database itself, so the index follows every insert, edit and
 * delete in the transaction that makes it: on SQLite an FTS5 table kept by triggers
 * (migration 015), on PostgreSQL a GIN index over to_tsvector('partyline_search', …) of the
 * same text (migration 018: 'simple' behind unaccent, so both fold case and accents).
 * This is the one file where the SQL differs per engine: the match syntax and the ranking
 * functions do (FTS5's MATCH and bm25, PostgreSQL's @@ and ts_rank), so each query is written
 * for each, side by side, and chosen by db_driver_name(); PostgreSQL's newest-first also takes
 * two steps where FTS5 takes one (pg_walk). The filters around the match are one portable
 * text shared by both.
 *
 * A query has a "driver", the part that finds candidates through an index: the words (the
 * full-text index), else a hashtag (status_tags), else an author (statuses_account). The
 * other parts filter the candidates. Newest-first and oldest-first walk the driver's index in
 * id order and stop after `limit` rows, so a page costs the same for a common word as for a
 * rare one. Relevance ranks the newest `candidates` matches (search_rank_candidates): it reads
 * them all to score them, so it is meant for worker threads, not event loops; ranking every
 * match instead grew with the company (71 ms on 1M posts for a word in 4% of them). Scoring
 * reads the candidates and nothing else: not FTS5's bm25() (see fts5_ranked), and on
 * PostgreSQL the candidates by id.
 *
 * The user's words never become SQL or match syntax: each is quoted for its engine (FTS5
 * doubles '"', PostgreSQL's websearch_to_tsquery reads a quoted phrase), so a word like OR,
 * NEAR or -x is searched as written. Nothing here checks who may see a status.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
#include "store/query.h"
#include "store/search.h"
#include "store/visibility.h"
#include "util/buf.h"

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The filters every status query ends with (alias s = statuses): author, poll, reply, hashtag.
 * Each is switched off by binding 0 / '' to its first parameter (bind_filters). */
#define FILTERS                                                                                    \
    " AND (? = 0 OR s.account_id = ?) AND (? = 0 OR s.channel_id = ?)"                             \
    " AND (? = 0 OR s.poll_id IS NOT NULL)"                                                        \
    " AND (? = 0 OR s.in_reply_to_id IS NOT NULL)"                                                 \
    " AND (? = '' OR EXISTS (SELECT 1 FROM status_tags t WHERE t.tag = ? AND t.status_id = s.id))"

/* SQLite: FTS5 drives (CROSS JOIN keeps it the outer loop), newest/oldest by its rowid. */
#define FTS5_FROM                                                                                  \
    "SELECT statuses_fts.rowid FROM statuses_fts CROSS JOIN statuses s "                           \
    "ON s.id = statuses_fts.rowid WHERE statuses_fts MATCH ? "                                     \
    "AND statuses_fts.rowid > ? AND statuses_fts.rowid < ?" FILTERS
static const char *const fts5_newest =
    FTS5_FROM " ORDER BY statuses_fts.rowid DESC LIMIT ? OFFSET ?";
static const char *const fts5_oldest =
    FTS5_FROM " ORDER BY statuses_fts.rowid ASC LIMIT ? OFFSET ?";
/*
 * Relevance: the newest q->candidates matches (the index's own order, so it stops there),
 * then those by BM25 (smaller is better; ties newest first). Not by FTS5's bm25(): on its
 * first call in a query it counts every row of the index holding each word, for the words'
 * IDF, whatever rows the query reads (no rowid bound narrows that count), so ranking 1,000
 * candidates of `certificate` read its 416,072 postings on 100k people / 10M posts and grew
 * with the company (3.1 → 11.9 ms from 10k/1M). pl_rank (store/sqlite.c) is the same formula
 * with the IDF given: for one word it orders nothing (every candidate has the word), so none
 * is given and the order is bm25()'s exactly; for several it weighs the words against each
 * other, and is taken from the newest IDF_SAMPLE posts (fts5_weights), which costs what the
 * sample holds, not what the index does.
 */
static const char *const fts5_ranked =
    "SELECT id FROM (SELECT statuses_fts.rowid AS id, pl_rank(statuses_fts, ?) AS score "
    "FROM statuses_fts CROSS JOIN statuses s ON s.id = statuses_fts.rowid "
    "WHERE statuses_fts MATCH ? AND statuses_fts.rowid > ? AND statuses_fts.rowid < ?" FILTERS
    " ORDER BY statuses_fts.rowid DESC LIMIT ?) ORDER BY score, id DESC LIMIT ? OFFSET ?";

/*
 * PostgreSQL. The GIN index finds every match but in no order, and the planner, asked for
 * the newest 20, either reads them all (slow for a common word) or walks the primary key
 * backwards checking each row (for a word that is rare, or in no post at all, that walk
 * reads the whole table: seconds). Its estimates cannot tell the two apart in advance, so
 * newest-first is decided here (pg_walk), from what the first step shows: the newest
 * PG_WINDOW_ROWS rows of the range are checked one by one (search_vector is a stored column:
 * ~2 µs a row), which fills the page for a common word. If it falls short, the hits found
 * tell how common the word is: if the page should fill within PG_WALK_MAX more rows, one more
 * walk that long; otherwise (a rare word) the rest comes from the GIN index ("ORDER BY s.id
 * + 0" keeps the planner from walking the key), which is then few rows. A page so costs at
 * most ~9,000 rows checked or the matches of a word rarer than about 1 in 200. Ranking's 1,000
 * candidates (on a worker) may walk further: as long as the walk is shorter than the word's
 * matches in the whole company would be (estimated from the hits and the company's posts), since
 * the index reads all of those — a word in 4% of the posts is a walk of ~30,000 rows whatever
 * the company's size, where the index read its 41,781 matches among 1M posts (190 ms) and ten
 * times that among 10M. The summary row of a walk (kind 0) carries its last id and how many
 * rows it saw.
 */
#define PG_MATCH "s.search_vector @@ websearch_to_tsquery('partyline_search', ?)"
#define PG_WINDOW(dir, edge)                                                                       \
    "WITH s AS (SELECT id, search_vector, account_id, channel_id, poll_id, in_reply_to_id "        \
    "FROM statuses "                                                                               \
    "WHERE reblog_of_id IS NULL AND id > ? AND id < ? ORDER BY id " dir " LIMIT ?) "               \
    "SELECT s.id, 1, 0 FROM s WHERE " PG_MATCH FILTERS " UNION ALL SELECT " edge                   \
    "(id), 0, count(*) FROM s"
static const char *const pg_window_newest = PG_WINDOW("DESC", "min");
static const char *const pg_window_oldest = PG_WINDOW("ASC", "max");
#define PG_FROM                                                                                    \
    "SELECT s.id FROM statuses s WHERE " PG_MATCH " AND s.reblog_of_id IS NULL "                   \
    "AND s.id > ? AND s.id < ?" FILTERS
static const char *const pg_rest_newest = PG_FROM " ORDER BY s.id + 0 DESC LIMIT ? OFFSET ?";
static const char *const pg_rest_oldest = PG_FROM " ORDER BY s.id + 0 ASC LIMIT ? OFFSET ?";
/* Relevance: the candidates pg_walk found (an array of ids), by ts_rank. ts_rank reads only
 * the row's own search_vector (it has no IDF), and the candidates are named by id, so this
 * reads those rows and nothing else; asking for the matches above the oldest candidate
 * instead let the planner read the word's whole GIN posting list and filter it by id. */
static const char *const pg_ranked =
    "SELECT s.id FROM statuses s WHERE s.id = ANY(CAST(? AS bigint[])) ORDER BY "
    "ts_rank(s.search_vector, websearch_to_tsquery('partyline_search', ?)) DESC, s.id DESC "
    "LIMIT ? OFFSET ?";
enum { PG_WINDOW_ROWS = 1000, PG_WALK_MAX = 8000 };

/* Portable: a hashtag drives (status_tags' primary key is (tag, status_id)). */
#define TAG_FROM                                                                                   \
    "SELECT s.id FROM status_tags t0 JOIN statuses s ON s.id = t0.status_id "                      \
    "WHERE t0.tag = ? AND t0.status_id > ? AND t0.status_id < ?" FILTERS
static const char *const tag_newest = TAG_FROM " ORDER BY t0.status_id DESC LIMIT ? OFFSET ?";
static const char *const tag_oldest = TAG_FROM " ORDER BY t0.status_id ASC LIMIT ? OFFSET ?";

/* Portable: an author drives (statuses_account). Boosts are not searched. */
#define AUTHOR_FROM                                                                                \
    "SELECT s.id FROM statuses s WHERE s.account_id = ? AND s.reblog_of_id IS NULL "               \
    "AND s.id > ? AND s.id < ?" FILTERS
static const char *const author_newest = AUTHOR_FROM " ORDER BY s.id DESC LIMIT ? OFFSET ?";
static const char *const author_oldest = AUTHOR_FROM " ORDER BY s.id ASC LIMIT ? OFFSET ?";

/* Portable: a channel drives (statuses_channel). */
#define CHANNEL_FROM                                                                               \
    "SELECT s.id FROM statuses s WHERE s.channel_id = ? AND s.reblog_of_id IS NULL "               \
    "AND s.id > ? AND s.id < ?" FILTERS
static const char *const channel_newest = CHANNEL_FROM " ORDER BY s.id DESC LIMIT ? OFFSET ?";
static const char *const channel_oldest = CHANNEL_FROM " ORDER BY s.id ASC LIMIT ? OFFSET ?";

/* Portable, for has:poll alone: the polls drive (polls_status, one row per poll). */
#define POLL_FROM                                                                                  \
    "SELECT s.id FROM polls p JOIN statuses s ON s.id = p.status_id "                              \
    "WHERE p.status_id > ? AND p.status_id < ?" FILTERS
static const char *const poll_newest = POLL_FROM " ORDER BY p.status_id DESC LIMIT ? OFFSET ?";
static const char *const poll_oldest = POLL_FROM " ORDER BY p.status_id ASC LIMIT ? OFFSET ?";

/* Portable, for is:reply alone: the statuses newest first (replies are a good share of posts,
 * so a page is found after a short walk of the primary key). */
#define REPLY_FROM                                                                                 \
    "SELECT s.id FROM statuses s WHERE s.in_reply_to_id IS NOT NULL "                              \
    "AND s.reblog_of_id IS NULL AND s.id > ? AND s.id < ?" FILTERS
static const char *const reply_newest = REPLY_FROM " ORDER BY s.id DESC LIMIT ? OFFSET ?";
static const char *const reply_oldest = REPLY_FROM " ORDER BY s.id ASC LIMIT ? OFFSET ?";

static bool is_postgres(db *d)
{
    return !strcmp(db_driver_name(d), "postgres");
}

/*
 * The terms as the engine's match text, in the arena. FTS5: "a" "b c" (a quoted string is a
 * phrase of its tokens; juxtaposition is AND; '"' is written twice). PostgreSQL's
 * websearch_to_tsquery: the same shape, where quoted text is a phrase parsed like the
 * documents and operators inside quotes mean nothing; a '"' cannot be written, so it is
 * dropped (it is not a letter or digit, so no token is lost).
 */
static const char *match_text(const pl_search *q, bool pg, arena *a)
{
    buf b = BUF_INIT;
    for (int i = 0; i < q->n_terms; i++) {
        if (i) buf_putc(&b, ' ');
        buf_putc(&b, '"');
        for (const char *p = q->terms[i]; *p; p++) {
            if (*p == '"' && pg) continue;
            if (*p == '"') buf_putc(&b, '"');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '"');
    }
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int bind_filters(db_stmt *s, int i, const pl_search *q, bool tag_drives)
{
    db_bind_i64(s, i++, q->account_id);
    db_bind_i64(s, i++, q->account_id);
    db_bind_i64(s, i++, q->channel_id);
    db_bind_i64(s, i++, q->channel_id);
    db_bind_i64(s, i++, q->has_poll);
    db_bind_i64(s, i++, q->is_reply);
    const char *tag = q->tag && !tag_drives ? q->tag : "";
    db_bind_text(s, i++, tag, -1);
    db_bind_text(s, i++, tag, -1);
    return i;
}

static int cmp_desc(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_asc(const void *x, const void *y)
{
    return -cmp_desc(x, y);
}

/* One step of the walk: checks up to `window` rows of the range one by one, appends the
 * matches to ids (sorted), and gives the range's last row looked at and how many there were. */
static int pg_window(db *d, const pl_search *q, const char *match, bool asc, int window,
                     int64_t *ids, int *n, int64_t *edge, int *rows)
{
    PREPARE(s, d, asc ? pg_window_oldest : pg_window_newest);
    int i = 1, first = *n, rc;
    db_bind_i64(s, i++, q->above > 0 ? q->above : 0);
    db_bind_i64(s, i++, q->below > 0 ? q->below : INT64_MAX);
    db_bind_i64(s, i++, window);
    db_bind_text(s, i++, match, -1);
    bind_filters(s, i, q, false);
    *rows = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (db_col_i64(s, 1)) {
            ids[(*n)++] = db_col_i64(s, 0);
        } else {
            *edge = db_col_i64(s, 0);
            *rows = (int)db_col_i64(s, 2);
        }
    }
    db_reset(s);
    if (rc < 0) return rc;
    qsort(ids + first, (size_t)(*n - first), sizeof *ids, asc ? cmp_asc : cmp_desc);
    return PL_OK;
}

/* PostgreSQL, newest or oldest first (see above): walk the newest rows; if the word proves
 * common enough, walk once more as far as it should take; else the rest from the index.
 * posts: the company's posts, for ranking's longer walk (see above); 0 for a page. */
static int pg_walk(db *d, const pl_search *q, const char *match, bool asc, int offset, int limit,
                   int64_t posts, arena *a, pl_idlist *out)
{
    int need = offset + limit, n = 0, rows = 0, rc;
    size_t cap = (size_t)need + PG_WINDOW_ROWS + 1;
    int64_t *ids = arena_alloc(a, sizeof *ids * cap);
    int64_t edge = 0;
    pl_search rest = *q;
    int window = PG_WINDOW_ROWS;
    for (int walk = 0; walk < 2; walk++) {
        int before = n;
        if ((rc = pg_window(d, &rest, match, asc, window, ids, &n, &edge, &rows))) return rc;
        if (n >= need || rows < window) goto done; /* full, or the range is all read */
        if (asc)
            rest.above = edge;
        else
            rest.below = edge;
        int found = n - before;
        if (walk > 0 || found == 0) break;
        /* rows the rest should take at this rate, with a margin; at most PG_WALK_MAX, or, given
         * the company's posts (ranking's candidates), as many as the index would give */
        int64_t more = (int64_t)(need - n) * rows / found * 5 / 4 + 1;
        int64_t matches = posts / rows * found;
        if (more > (matches > PG_WALK_MAX ? matches : PG_WALK_MAX) || more > INT32_MAX / 2) break;
        if ((size_t)n + (size_t)more + (size_t)need + 1 > cap) {
            cap = (size_t)n + (size_t)more + (size_t)need + 1;
            int64_t *grown = arena_alloc(a, sizeof *grown * cap);
            memcpy(grown, ids, sizeof *ids * (size_t)n);
            ids = grown;
        }
        window = (int)more;
    }
    {
        PREPARE(s, d, asc ? pg_rest_oldest : pg_rest_newest);
        int i = 1;
        db_bind_text(s, i++, match, -1);
        db_bind_i64(s, i++, rest.above > 0 ? rest.above : 0);
        db_bind_i64(s, i++, rest.below > 0 ? rest.below : INT64_MAX);
        i = bind_filters(s, i, q, false);
        db_bind_i64(s, i++, need - n);
        db_bind_i64(s, i++, 0);
        int64_t *more;
        int m;
        if ((rc = store_collect_ids(s, a, &more, &m))) return rc;
        for (int k = 0; k < m; k++) ids[n++] = more[k];
    }
done:;
    int skip = offset < n ? offset : n;
    out->ids = ids + skip;
    out->keys = out->ids;
    out->n = n - skip < limit ? n - skip : limit;
    return PL_OK;
}

/* PostgreSQL, relevance: the newest q->candidates matches (found by pg_walk, as a
 * newest-first page would be; every match if q->candidates is 0), by ts_rank. */
static int pg_ranked_page(db *d, const pl_search *q, int offset, int limit, arena *a,
                          pl_idlist *out)
{
    const char *match = match_text(q, true, a);
    pl_idlist found;
    int rc;
    if (q->candidates > 0) {
        int64_t people = 0, posts = 0;
        rc = store_stats(d, &people, &posts);
        if (!rc) rc = pg_walk(d, q, match, false, 0, q->candidates, posts, a, &found);
    } else {
        PREPARE(all, d, pg_rest_newest);
        int i = 1;
        db_bind_text(all, i++, match, -1);
        db_bind_i64(all, i++, q->above > 0 ? q->above : 0);
        db_bind_i64(all, i++, q->below > 0 ? q->below : INT64_MAX);
        i = bind_filters(all, i, q, false);
        db_bind_i64(all, i++, INT64_MAX);
        db_bind_i64(all, i++, 0);
        rc = store_collect_ids(all, a, &found.ids, &found.n);
    }
    if (rc || found.n == 0) return rc;
    buf ids = BUF_INIT;
    buf_putc(&ids, '{');
    for (int k = 0; k < found.n; k++)
        buf_printf(&ids, k ? ",%lld" : "%lld", (long long)found.ids[k]);
    buf_putc(&ids, '}');
    PREPARE(s, d, pg_ranked);
    db_bind_text(s, 1, buf_cstr(&ids), -1);
    db_bind_text(s, 2, match, -1);
    db_bind_i64(s, 3, limit);
    db_bind_i64(s, 4, offset > 0 ? offset : 0);
    rc = store_collect_ids(s, a, &out->ids, &out->n);
    buf_free(&ids);
    out->keys = out->ids;
    return rc;
}

/* SQLite, relevance: pl_rank's weights, each phrase's IDF as FTS5's bm25() writes it,
 * ln((N − n + 0.5) / (n + 0.5)) (at least 1e-6), with N the newest IDF_SAMPLE posts and n
 * those of them that hold the phrase: one walk of the primary key's newest IDF_SAMPLE entries
 * to the sample's oldest id, then for each phrase its postings newer than that (FTS5 seeks to
 * a rowid), so at most IDF_SAMPLE rows a phrase however big the index. "What is rare lately" is a
 * fair stand-in for "what is rare": it weighs the words of one query against each other, and
 * nothing else. For one phrase "" (its weight would multiply every score alike). */
enum { IDF_SAMPLE = 10000 };

static int fts5_weights(db *d, const pl_search *q, arena *a, const char **out)
{
    *out = "";
    if (q->n_terms < 2) return PL_OK;
    PREPARE(sample, d,
            "SELECT count(*), min(id) FROM (SELECT id FROM statuses ORDER BY id DESC LIMIT ?) x");
    db_bind_i64(sample, 1, IDF_SAMPLE);
    int rc = db_step(sample);
    int64_t n = rc == DB_ROW ? db_col_i64(sample, 0) : 0,
            oldest = rc == DB_ROW ? db_col_i64(sample, 1) : 0;
    db_reset(sample);
    if (rc < 0) return rc;
    int64_t floor = n >= IDF_SAMPLE ? oldest - 1 : 0; /* fewer posts than the sample: all */
    PREPARE(count, d, "SELECT count(*) FROM statuses_fts WHERE statuses_fts MATCH ? AND rowid > ?");
    buf b = BUF_INIT;
    for (int t = 0; t < q->n_terms; t++) {
        pl_search one = {.terms = q->terms + t, .n_terms = 1};
        db_bind_text(count, 1, match_text(&one, false, a), -1);
        db_bind_i64(count, 2, floor);
        int64_t hits = 0;
        if ((rc = db_step(count)) == DB_ROW) hits = db_col_i64(count, 0);
        db_reset(count);
        if (rc < 0) break;
        rc = PL_OK;
        double idf = log(((double)(n - hits) + 0.5) / ((double)hits + 0.5));
        buf_printf(&b, "%s%.17g", t ? " " : "", idf > 1e-6 ? idf : 1e-6);
    }
    if (!rc) *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return rc;
}

int store_search_statuses(db *d, const pl_search *q, int order, int offset, int limit, arena *a,
                          pl_idlist *out)
{
    *out = (pl_idlist){0};
    bool pg = is_postgres(d);
    bool fts = q->n_terms > 0, by_tag = !fts && q->tag && *q->tag;
    bool ranked = order == SEARCH_RELEVANCE && fts;
    bool asc = order == SEARCH_OLDEST;
    bool by_author = !fts && !by_tag && q->account_id;
    bool by_channel = !fts && !by_tag && !by_author && q->channel_id;
    bool by_poll = !fts && !by_tag && !by_author && !by_channel && q->has_poll;
    bool by_reply = !fts && !by_tag && !by_author && !by_channel && !by_poll && q->is_reply;
    if (!fts && !by_tag && !by_author && !by_channel && !by_poll && !by_reply) return PL_EINVAL;
    if (limit <= 0) return PL_OK;
    if (fts && pg && !ranked)
        return pg_walk(d, q, match_text(q, true, a), asc, offset > 0 ? offset : 0, limit, 0, a,
                       out);
    if (ranked && pg) return pg_ranked_page(d, q, offset, limit, a, out);
    const char *weights = "";
    if (ranked) {
        int rc = fts5_weights(d, q, a, &weights);
        if (rc) return rc;
    }
    const char *sql;
    if (fts)
        sql = ranked ? fts5_ranked : asc ? fts5_oldest : fts5_newest;
    else if (by_tag)
        sql = asc ? tag_oldest : tag_newest;
    else if (by_author)
        sql = asc ? author_oldest : author_newest;
    else if (by_channel)
        sql = asc ? channel_oldest : channel_newest;
    else if (by_poll)
        sql = asc ? poll_oldest : poll_newest;
    else
        sql = asc ? reply_oldest : reply_newest;
    PREPARE(s, d, sql);
    const char *match = fts ? match_text(q, false, a) : NULL;
    int i = 1;
    if (ranked) db_bind_text(s, i++, weights, -1);
    if (fts)
        db_bind_text(s, i++, match, -1);
    else if (by_tag)
        db_bind_text(s, i++, q->tag, -1);
    else if (by_author)
        db_bind_i64(s, i++, q->account_id);
    else if (by_channel)
        db_bind_i64(s, i++, q->channel_id);
    db_bind_i64(s, i++, q->above > 0 ? q->above : 0);
    db_bind_i64(s, i++, q->below > 0 ? q->below : INT64_MAX);
    i = bind_filters(s, i, q, by_tag);
    if (ranked) db_bind_i64(s, i++, q->candidates > 0 ? q->candidates : INT32_MAX);
    db_bind_i64(s, i++, limit);
    db_bind_i64(s, i++, offset > 0 ? offset : 0);
    int rc = store_collect_ids(s, a, &out->ids, &out->n);
    if (rc) return rc;
    out->keys = out->ids;
    return PL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Accounts and hashtags                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Above every name or tag that starts with the prefix: the prefix and the last Unicode code
 * point, U+10FFFF (valid UTF-8, which PostgreSQL insists on, and the largest such bytes), so
 * "name >= prefix AND name < prefix || END" is the range of names that start with it. */
#define PREFIX_END "\xF4\x8F\xBF\xBF"

/* s in ASCII lower case, in place: as SQLite's lower() and PostgreSQL's in the C locale, so
 * names written here and by migration 028 agree. Other bytes are kept as they are. */
static void ascii_lower(char *s)
{
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
}

/* An account's tier (migration 032): its followers f on a log scale, three steps for each
 * power of ten — 0 for none, else 3 × digits + (0, 1 or 2 as the first digit is 1, 2–4 or
 * 5–9) — so a higher tier always means more followers. The same text as 032's trigger. */
#define TIER_SQL(f)                                                                                \
    "CASE WHEN " f " < 1 THEN 0 ELSE length(CAST(" f " AS TEXT)) * 3 "                             \
    "+ CASE WHEN substr(CAST(" f " AS TEXT), 1, 1) >= '5' THEN 2 "                                 \
    "WHEN substr(CAST(" f " AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END"

static int add_name(db *d, int64_t id, const char *name)
{
    if (!*name) return PL_OK;
    PREPARE(s, d,
            "INSERT INTO account_names (name, account_id, tier) SELECT ?, id, " TIER_SQL(
                "followers_count") " FROM accounts WHERE id = ? ON CONFLICT DO NOTHING");
    db_bind_text(s, 1, name, -1);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

int store_account_names_set(db *d, int64_t id, const char *username, const char *display_name)
{
    PREPARE(del, d, "DELETE FROM account_names WHERE account_id = ?");
    db_bind_i64(del, 1, id);
    int rc = db_step_done(del);
    char *user = strdup(username ? username : ""), *name = strdup(display_name ? display_name : "");
    if (!user || !name) rc = rc ? rc : PL_ENOMEM;
    if (!rc) {
        ascii_lower(user);
        ascii_lower(name);
        rc = add_name(d, id, user);
    }
    /* the display name from its start and from after each space, as LIKE 'p%' and '% p%' */
    for (const char *p = name; !rc && p; p = strchr(p, ' ')) {
        if (*p == ' ') p++;
        rc = add_name(d, id, p);
    }
    free(user);
    free(name);
    return rc;
}

/*
 * Accounts by prefix. The order (the exact username first, then the most followed, then the
 * oldest) needs every match before the first can be named, unless the matches can be read
 * most followed first. They nearly can: account_names keeps each name's tier (migration 032,
 * the followers on a log scale of three steps a power of ten), and a higher tier always means
 * more followers. A prefix with fewer than ACCOUNT_FEW names has those accounts sorted (the
 * tiers' probes would cost more); otherwise the names with the prefix are read tier by tier
 * from the top (one range of account_names_tier for each tier there is: a dozen or two)
 * until the tiers read hold a page;
 * only the accounts of those tiers are read and sorted (sort_matches), and no account of a
 * lower tier could come before them. With a page of 20 that is typically a few dozen
 * accounts, however many names share the prefix: `user12` was 1,111 accounts sorted among
 * 100,000 people, 1.0 ms, 7× its cost among 10,000.
 * Bounds, for prefixes whose top tiers are crowded (a company where all have the same
 * following): the tiers may hold at most `cap` names; past that the accounts are walked most
 * followed first (accounts_by_followers), each tested against the prefix
 * (account_names_account), stopping when the page is full — a walk of about (offset + limit)
 * × people / matches ≤ (offset + limit) × people / cap rows — with the exact username looked
 * up by itself and put first. cap = √((offset + limit) × people) balances the two: ~630 for a
 * page of 40 among 10,000 people, ~2,000 among 100,000. With following=true the names are
 * counted up to cap: fewer are sorted, more mean the viewer's follows are read and sorted
 * instead (the viewer's own size, not the company's).
 */
/* Who is never found, as Mastodon's account search (Account::Search): disabled (suspended),
 * not approved, not confirmed. Blocks are not here, either way: Mastodon finds the people one
 * blocks and those who block one, and an app needs the first to unblock them by name. */
#define ACCOUNT_FILTERS " AND a.is_disabled = 0 AND a.is_approved = 1 AND a.is_confirmed = 1"
#define ACCOUNT_ORDER                                                                              \
    " ORDER BY CASE WHEN a.username_lower = ? THEN 0 ELSE 1 END, a.followers_count DESC, a.id"     \
    " LIMIT ? OFFSET ?"
/* One account tested against the prefix on its own row, as LIKE: exactly what its names in
 * account_names say (the username, the display name from its start or after a space; LIKE
 * ignores ASCII case on SQLite, lower() folds it on PostgreSQL), with nothing a planner could
 * turn around into reading every name with the prefix, which the walk exists to avoid. */
#define NAME_LIKE                                                                                  \
    "(a.username_lower LIKE ? ESCAPE '\\' OR lower(a.display_name) LIKE ? ESCAPE '\\' "            \
    "OR lower(a.display_name) LIKE ? ESCAPE '\\')"

/* s with LIKE's wildcards escaped by '\', in the arena. */
static const char *like_escape(const char *s, arena *a)
{
    buf b = BUF_INIT;
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int bind_like(db_stmt *s, int i, const char *prefix, arena *a)
{
    const char *esc = like_escape(prefix, a);
    db_bind_text(s, i++, arena_printf(a, "%s%%", esc), -1);
    db_bind_text(s, i++, arena_printf(a, "%s%%", esc), -1);
    db_bind_text(s, i++, arena_printf(a, "%% %s%%", esc), -1);
    return i;
}

enum { ACCOUNT_CAP_MIN = 100, ACCOUNT_CAP_MAX = 20000, ACCOUNT_FEW = 200 };

static int64_t isqrt(int64_t v)
{
    int64_t r = 0;
    while ((r + 1) * (r + 1) <= v) r++;
    return r;
}

/* One match of the few-matches path, with what the order needs. */
typedef struct {
    int64_t id, followers;
    int is_exact;
} account_hit;

static int cmp_int64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_hits(const void *x, const void *y)
{
    const account_hit *a = x, *b = y;
    if (a->is_exact != b->is_exact) return b->is_exact - a->is_exact;
    if (a->followers != b->followers) return a->followers > b->followers ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The few-matches path: the accounts of the names found (ids, with repeats), read by their
 * key STORE_BATCH at a time and filtered, then put in order here. Each statement has one
 * plan whatever a planner guesses about the prefix. */
static int sort_matches(db *d, const char *prefix, int64_t viewer, bool following, int offset,
                        int limit, int64_t *found, int n_found, arena *a, int64_t **ids, int *n)
{
    qsort(found, (size_t)n_found, sizeof *found, cmp_int64);
    int distinct = 0;
    for (int k = 0; k < n_found; k++)
        if (!distinct || found[k] != found[distinct - 1]) found[distinct++] = found[k];
    account_hit *hits = arena_alloc(a, sizeof *hits * (size_t)(distinct + 1));
    int n_hits = 0, rc = 0;
    for (int from = 0; from < distinct && !rc; from += STORE_BATCH) {
        int take = distinct - from < STORE_BATCH ? distinct - from : STORE_BATCH;
        PREPARE(s, d,
                "SELECT a.id, a.followers_count, CASE WHEN a.username_lower = ? THEN 1 ELSE 0 END "
                "FROM accounts a WHERE a.id IN (" IN_BATCH ")" ACCOUNT_FILTERS
                " AND (? = 0 OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = ? "
                "AND f.target_id = a.id))");
        int i = 1;
        db_bind_text(s, i++, prefix, -1);
        bind_batch(s, i, found + from, take);
        i += STORE_BATCH;
        db_bind_i64(s, i++, following);
        db_bind_i64(s, i++, viewer);
        while ((rc = db_step(s)) == DB_ROW)
            hits[n_hits++] =
                (account_hit){db_col_i64(s, 0), db_col_i64(s, 1), (int)db_col_i64(s, 2)};
        db_reset(s);
        rc = rc < 0 ? rc : 0;
    }
    if (rc) return rc;
    qsort(hits, (size_t)n_hits, sizeof *hits, cmp_hits);
    int64_t *out = arena_alloc(a, sizeof *out * (size_t)(limit > 0 ? limit : 1));
    int got = 0;
    for (int k = offset; k < n_hits && got < limit; k++) out[got++] = hits[k].id;
    *ids = out;
    *n = got;
    return PL_OK;
}

/* The many-matches walk (see above): the exact username (first, if any), then the most
 * followed accounts that match, in order, until the page is full. */
static int walk_by_followers(db *d, const char *prefix, int64_t viewer, int offset, int limit,
                             const int64_t *exact, int n_exact, arena *a, int64_t **ids, int *n)
{
    int64_t *out = arena_alloc(a, sizeof *out * (size_t)limit);
    int got = 0, rc;
    if (n_exact && offset == 0) out[got++] = exact[0];
    int skip = n_exact && offset > 0 ? offset - 1 : offset;
    if (got < limit) {
        PREPARE(
            walk, d,
            "SELECT a.id FROM accounts a WHERE a.username_lower <> ? AND " NAME_LIKE ACCOUNT_FILTERS
            " ORDER BY a.followers_count DESC, a.id LIMIT ? OFFSET ?");
        int i = 1;
        db_bind_text(walk, i++, prefix, -1);
        i = bind_like(walk, i, prefix, a);
        db_bind_i64(walk, i++, limit - got);
        db_bind_i64(walk, i++, skip);
        int64_t *rest;
        int m;
        if ((rc = store_collect_ids(walk, a, &rest, &m))) return rc;
        for (int k = 0; k < m && got < limit; k++) out[got++] = rest[k];
    }
    *ids = out;
    *n = got;
    return PL_OK;
}

/* following=true (see above): the names up to cap, sorted if fewer, else the viewer's
 * follows that match. */
static int search_followed(db *d, const char *prefix, const char *end, int64_t viewer, int offset,
                           int limit, int64_t cap, arena *a, int64_t **ids, int *n)
{
    PREPARE(names, d,
            "SELECT account_id FROM account_names WHERE name >= ? AND name < ? ORDER BY name "
            "LIMIT ?");
    db_bind_text(names, 1, prefix, -1);
    db_bind_text(names, 2, end, -1);
    db_bind_i64(names, 3, cap);
    int64_t *found;
    int n_found, rc;
    if ((rc = store_collect_ids(names, a, &found, &n_found))) return rc;
    if (n_found < cap)
        return sort_matches(d, prefix, viewer, true, offset, limit, found, n_found, a, ids, n);
    PREPARE(followed, d,
            "SELECT a.id FROM follows f JOIN accounts a ON a.id = f.target_id "
            "WHERE f.account_id = ? AND " NAME_LIKE ACCOUNT_FILTERS ACCOUNT_ORDER);
    int i = 1;
    db_bind_i64(followed, i++, viewer);
    i = bind_like(followed, i, prefix, a);
    db_bind_text(followed, i++, prefix, -1);
    db_bind_i64(followed, i++, limit);
    db_bind_i64(followed, i++, offset);
    return store_collect_ids(followed, a, ids, n);
}

int store_search_accounts(db *d, const char *prefix, int64_t viewer, bool following, int offset,
                          int limit, arena *a, int64_t **ids, int *n)
{
    *ids = NULL;
    *n = 0;
    if (!*prefix || limit <= 0 || offset < 0) return PL_OK;
    const char *end = arena_printf(a, "%s" PREFIX_END, prefix);
    int64_t people = 0, posts = 0;
    int rc = store_stats(d, &people, &posts);
    if (rc) return rc;
    int64_t cap = isqrt(((int64_t)offset + limit) * (people > 0 ? people : 1));
    cap = cap < ACCOUNT_CAP_MIN ? ACCOUNT_CAP_MIN : cap > ACCOUNT_CAP_MAX ? ACCOUNT_CAP_MAX : cap;
    if (following) return search_followed(d, prefix, end, viewer, offset, limit, cap, a, ids, n);

    /* few names with the prefix: those accounts, sorted */
    int64_t few = ACCOUNT_FEW < cap ? ACCOUNT_FEW : cap;
    PREPARE(count, d,
            "SELECT account_id FROM account_names WHERE name >= ? AND name < ? ORDER BY name "
            "LIMIT ?");
    db_bind_text(count, 1, prefix, -1);
    db_bind_text(count, 2, end, -1);
    db_bind_i64(count, 3, few);
    int64_t *all;
    int n_all;
    if ((rc = store_collect_ids(count, a, &all, &n_all))) return rc;
    if (n_all < few)
        return sort_matches(d, prefix, viewer, false, offset, limit, all, n_all, a, ids, n);

    /* many: the exact username, first whatever its tier, and the tiers there are */
    PREPARE(exact, d, "SELECT a.id FROM accounts a WHERE a.username_lower = ?" ACCOUNT_FILTERS);
    db_bind_text(exact, 1, prefix, -1);
    int64_t *first;
    int n_first;
    if ((rc = store_collect_ids(exact, a, &first, &n_first))) return rc;
    /* from the top, one probe of account_names_tier each (a dozen among 100,000 people) */
    PREPARE(present, d,
            "WITH RECURSIVE t(tier) AS (SELECT max(tier) FROM account_names UNION ALL "
            "SELECT (SELECT max(x.tier) FROM account_names x WHERE x.tier < t.tier) FROM t "
            "WHERE t.tier IS NOT NULL) SELECT tier FROM t WHERE tier IS NOT NULL");
    int64_t *tiers;
    int n_tiers;
    if ((rc = store_collect_ids(present, a, &tiers, &n_tiers))) return rc;

    /* the names tier by tier from the top, until the tiers read fill the page */
    int64_t *found = arena_alloc(a, sizeof *found * (size_t)(cap + 2));
    int64_t *sorted = arena_alloc(a, sizeof *sorted * (size_t)(cap + 2));
    int n_found = 0;
    if (n_first) found[n_found++] = first[0];
    for (int t = 0; t < n_tiers; t++) {
        bool last = t == n_tiers - 1;
        PREPARE(names, d,
                "SELECT account_id FROM account_names WHERE tier = ? AND name >= ? AND name < ? "
                "LIMIT ?");
        db_bind_i64(names, 1, tiers[t]);
        db_bind_text(names, 2, prefix, -1);
        db_bind_text(names, 3, end, -1);
        db_bind_i64(names, 4, cap - n_found + 1);
        int64_t *more;
        int m;
        if ((rc = store_collect_ids(names, a, &more, &m))) return rc;
        if (n_found + m > cap) /* crowded: walk instead */
            return walk_by_followers(d, prefix, viewer, offset, limit, first, n_first, a, ids, n);
        memcpy(found + n_found, more, sizeof *more * (size_t)m);
        n_found += m;
        if (n_found < offset + limit && !last) continue;
        /* sort_matches drops repeats and filtered accounts: the page may still be short */
        memcpy(sorted, found, sizeof *found * (size_t)n_found);
        if ((rc =
                 sort_matches(d, prefix, viewer, false, offset, limit, sorted, n_found, a, ids, n)))
            return rc;
        if (*n == limit) break;
    }
    return PL_OK;
}

int store_search_tags(db *d, const char *prefix, int offset, int limit, arena *a,
                      const char ***tags, int *n)
{
    *tags = NULL;
    *n = 0;
    if (!*prefix || limit <= 0) return PL_OK;
    const char *end = arena_printf(a, "%s" PREFIX_END, prefix);
    /* Distinct tags by skipping from one to the next through the primary key (tag, status_id)
     * instead of reading every row of a popular tag: one index probe per distinct tag with
     * the prefix (PostgreSQL may join the check below in any order, hence the ORDER BY). A tag is
     * shown only if some public or unlisted post carries it: one used only in followers-only or
     * direct posts says something about them and stays hidden. */
    PREPARE(s, d,
            "WITH RECURSIVE t(tag) AS ("
            " SELECT MIN(tag) FROM status_tags WHERE tag >= ? AND tag < ?"
            " UNION ALL"
            " SELECT (SELECT MIN(x.tag) FROM status_tags x WHERE x.tag > t.tag AND x.tag < ?)"
            " FROM t WHERE t.tag IS NOT NULL)"
            " SELECT t.tag FROM t WHERE t.tag IS NOT NULL AND EXISTS (SELECT 1 FROM status_tags y"
            " JOIN statuses s ON s.id = y.status_id WHERE y.tag = t.tag AND s." VIS_SQL_OPEN ")"
            " ORDER BY t.tag LIMIT ? OFFSET ?");
    db_bind_text(s, 1, prefix, -1);
    db_bind_text(s, 2, end, -1);
    db_bind_text(s, 3, end, -1);
    db_bind_i64(s, 4, limit);
    db_bind_i64(s, 5, offset);
    const char **v = arena_alloc(a, sizeof *v * (size_t)limit);
    int rc, count = 0;
    while ((rc = db_step(s)) == DB_ROW)
        if (count < limit) v[count++] = col_str(s, 0, a);
    db_reset(s);
    if (rc < 0) return rc;
    *tags = v;
    *n = count;
    return PL_OK;
}
