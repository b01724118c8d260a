/*
 * search.c — full-text search of statuses, and accounts and hashtags by prefix.
 *
 * Statuses are indexed by the database itself, so the index follows every insert, edit and
 * delete in the transaction that makes it: on SQLite an FTS5 table kept by triggers
 * (migration 009), on PostgreSQL a GIN index over to_tsvector('simple', …) of the same text.
 * This is the one file where the SQL differs per engine: the match syntax and the ranking
 * functions do (FTS5's MATCH and bm25, PostgreSQL's @@ and ts_rank), so each query is written
 * twice, side by side, and chosen by db_driver_name(). The filters around the match are one
 * portable text shared by both.
 *
 * A query has a "driver", the part that finds candidates through an index: the words (the
 * full-text index), else a hashtag (status_tags), else an author (statuses_account). The
 * other parts filter the candidates. Newest-first and oldest-first walk the driver's index in
 * id order and stop after `limit` rows, so a page costs the same for a common word as for a
 * rare one. Relevance ranks every match, so it is meant for worker threads, not event loops.
 *
 * The user's words never become SQL or match syntax: each is quoted for its engine (FTS5
 * doubles '"', PostgreSQL's websearch_to_tsquery reads a quoted phrase), so a word like OR,
 * NEAR or -x is searched as written. Nothing here checks who may see a status.
 */
#include <stdint.h>
#include <string.h>

#include "store_internal.h"
#include "util/buf.h"

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The filters every status query ends with (alias s = statuses): author, poll, reply, hashtag.
 * Each is switched off by binding 0 / '' to its first parameter (bind_filters). */
#define FILTERS                                                                                    \
    " AND (? = 0 OR s.account_id = ?) AND (? = 0 OR s.poll_id IS NOT NULL)"                        \
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
/* bm25: smaller is better; ties newest first */
static const char *const fts5_ranked =
    FTS5_FROM " ORDER BY bm25(statuses_fts), statuses_fts.rowid DESC LIMIT ? OFFSET ?";

/* PostgreSQL: the expression and the WHERE of the index statuses_search, exactly. */
#define PG_VECTOR "to_tsvector('simple', s.spoiler_text || ' ' || s.text)"
#define PG_FROM                                                                                    \
    "SELECT s.id FROM statuses s WHERE " PG_VECTOR " @@ websearch_to_tsquery('simple', ?) "        \
    "AND s.reblog_of_id IS NULL AND s.id > ? AND s.id < ?" FILTERS
static const char *const pg_newest = PG_FROM " ORDER BY s.id DESC LIMIT ? OFFSET ?";
static const char *const pg_oldest = PG_FROM " ORDER BY s.id ASC LIMIT ? OFFSET ?";
/* the query once more for ts_rank (bound after the filters) */
static const char *const pg_ranked =
    PG_FROM " ORDER BY ts_rank(" PG_VECTOR ", websearch_to_tsquery('simple', ?)) DESC, "
            "s.id DESC LIMIT ? OFFSET ?";

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
    db_bind_i64(s, i++, q->has_poll);
    db_bind_i64(s, i++, q->is_reply);
    const char *tag = q->tag && !tag_drives ? q->tag : "";
    db_bind_text(s, i++, tag, -1);
    db_bind_text(s, i++, tag, -1);
    return i;
}

int store_search_statuses(db *d, const pl_search *q, int order, int offset, int limit, arena *a,
                          pl_idlist *out)
{
    *out = (pl_idlist){0};
    bool pg = is_postgres(d);
    bool fts = q->n_terms > 0, by_tag = !fts && q->tag && *q->tag;
    bool ranked = order == SEARCH_RELEVANCE && fts;
    bool asc = order == SEARCH_OLDEST;
    if (!fts && !by_tag && !q->account_id) return PL_EINVAL;
    if (limit <= 0) return PL_OK;
    const char *sql;
    if (fts && pg)
        sql = ranked ? pg_ranked : asc ? pg_oldest : pg_newest;
    else if (fts)
        sql = ranked ? fts5_ranked : asc ? fts5_oldest : fts5_newest;
    else if (by_tag)
        sql = asc ? tag_oldest : tag_newest;
    else
        sql = asc ? author_oldest : author_newest;
    PREPARE(s, d, sql);
    const char *match = fts ? match_text(q, pg, a) : NULL;
    int i = 1;
    if (fts)
        db_bind_text(s, i++, match, -1);
    else if (by_tag)
        db_bind_text(s, i++, q->tag, -1);
    else
        db_bind_i64(s, i++, q->account_id);
    db_bind_i64(s, i++, q->above > 0 ? q->above : 0);
    db_bind_i64(s, i++, q->below > 0 ? q->below : INT64_MAX);
    i = bind_filters(s, i, q, by_tag);
    if (ranked && pg) db_bind_text(s, i++, match, -1);
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

int store_search_accounts(db *d, const char *prefix, int64_t viewer, bool following, int offset,
                          int limit, arena *a, int64_t **ids, int *n)
{
    /* One scan of accounts (a company has thousands, not millions); a prefix of the username
     * or of any word of the display name. Exact username first, then the most followed. */
    PREPARE(
        s, d,
        "SELECT a.id FROM accounts a WHERE a.is_disabled = 0 AND a.is_approved = 1 "
        "AND (a.username_lower LIKE ? ESCAPE '\\' OR lower(a.display_name) LIKE ? ESCAPE '\\' "
        "OR lower(a.display_name) LIKE ? ESCAPE '\\') "
        "AND (? = 0 OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = ? "
        "AND f.target_id = a.id)) "
        "AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = a.id AND b.target_id = ?) "
        "OR (b.account_id = ? AND b.target_id = a.id)) "
        "ORDER BY CASE WHEN a.username_lower = ? THEN 0 ELSE 1 END, a.followers_count DESC, "
        "a.id LIMIT ? OFFSET ?");
    const char *esc = like_escape(prefix, a);
    db_bind_text(s, 1, arena_printf(a, "%s%%", esc), -1);
    db_bind_text(s, 2, arena_printf(a, "%s%%", esc), -1);
    db_bind_text(s, 3, arena_printf(a, "%% %s%%", esc), -1);
    db_bind_i64(s, 4, following);
    db_bind_i64(s, 5, viewer);
    db_bind_i64(s, 6, viewer);
    db_bind_i64(s, 7, viewer);
    db_bind_text(s, 8, prefix, -1);
    db_bind_i64(s, 9, limit);
    db_bind_i64(s, 10, offset);
    return store_collect_ids(s, a, ids, n);
}

/* Above every tag that starts with the prefix: the prefix and the last Unicode code point,
 * U+10FFFF (valid UTF-8, which PostgreSQL insists on, and the largest such bytes). */
#define PREFIX_END "\xF4\x8F\xBF\xBF"

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
            " JOIN statuses s ON s.id = y.status_id WHERE y.tag = t.tag AND s.visibility <= 1)"
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
