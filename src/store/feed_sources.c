/*
 * feed_sources.c — the feeds the company subscribes to and their items (migration 059).
 *
 * An item is kept once per source: the key the parser gives (feeds_item.key) is unique with
 * its source, and a fetch that brings an item again is an INSERT that does nothing (ON
 * CONFLICT DO NOTHING, which SQLite and PostgreSQL both read), so the fetcher needs no read
 * before each write and two nodes fetching the same feed cannot keep an item twice.
 */
#include "store/feed_sources.h"

#include <string.h>

#include "store/query.h"
#include "util/err.h"

#define SOURCE_COLS                                                                                \
    "s.id, s.url, s.title, s.interval_s, s.etag, s.last_modified, s.state, s.last_error, "         \
    "s.failures, s.next_fetch_at, s.last_fetch_at, s.last_success_at, s.created_by, "              \
    "s.created_at"
#define ITEM_COUNT "(SELECT count(*) FROM feed_items i WHERE i.source_id = s.id)"

static void read_source(db_stmt *s, arena *a, pl_feed_source *o, bool with_count)
{
    *o = (pl_feed_source){.id = db_col_i64(s, 0),
                          .url = col_str(s, 1, a),
                          .title = col_str(s, 2, a),
                          .interval_s = db_col_i64(s, 3),
                          .etag = col_str(s, 4, a),
                          .last_modified = col_str(s, 5, a),
                          .state = col_str(s, 6, a),
                          .last_error = col_str(s, 7, a),
                          .failures = (int)db_col_i64(s, 8),
                          .next_fetch_at = db_col_i64(s, 9),
                          .last_fetch_at = db_col_i64(s, 10),
                          .last_success_at = db_col_i64(s, 11),
                          .created_by = db_col_i64(s, 12),
                          .created_at = db_col_i64(s, 13),
                          .items = with_count ? db_col_i64(s, 14) : 0};
}

/* Collects the rows of s into a growing array in the arena. */
static int collect_sources(db_stmt *s, arena *a, bool with_count, pl_feed_source **out, int *n)
{
    int cap = 8, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            *out = arena_grow(a, *out, (size_t)cap, (size_t)cap * 2, sizeof **out);
            cap *= 2;
        }
        read_source(s, a, &(*out)[(*n)++], with_count);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_feed_sources(db *d, arena *a, pl_feed_source **out, int *n)
{
    PREPARE(s, d, "SELECT " SOURCE_COLS ", " ITEM_COUNT " FROM feed_sources s ORDER BY s.id");
    return collect_sources(s, a, true, out, n);
}

int store_feed_source_get(db *d, int64_t id, arena *a, pl_feed_source *out)
{
    PREPARE(s, d, "SELECT " SOURCE_COLS ", " ITEM_COUNT " FROM feed_sources s WHERE s.id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_source(s, a, out, true);
    db_reset(s);
    return PL_OK;
}

int store_feed_source_insert(db *d, const pl_feed_source *src)
{
    PREPARE(s, d,
            "INSERT INTO feed_sources (id, url, interval_s, next_fetch_at, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, src->id);
    db_bind_text(s, 2, src->url, -1);
    db_bind_i64(s, 3, src->interval_s);
    db_bind_i64(s, 4, src->next_fetch_at);
    if (src->created_by)
        db_bind_i64(s, 5, src->created_by);
    else
        db_bind_null(s, 5);
    db_bind_i64(s, 6, src->created_at);
    int rc = db_step(s);
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_feed_source_delete(db *d, int64_t id)
{
    PREPARE(items, d, "DELETE FROM feed_items WHERE source_id = ?");
    db_bind_i64(items, 1, id);
    int rc = db_step(items);
    db_reset(items);
    if (rc != DB_DONE) return rc;
    PREPARE(s, d, "DELETE FROM feed_sources WHERE id = ?");
    db_bind_i64(s, 1, id);
    rc = db_step(s);
    db_reset(s);
    if (rc != DB_DONE) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_feed_sources_due(db *d, int64_t now, int max, arena *a, pl_feed_source **out, int *n)
{
    PREPARE(s, d,
            "SELECT " SOURCE_COLS " FROM feed_sources s WHERE s.next_fetch_at <= ? "
            "ORDER BY s.next_fetch_at, s.id LIMIT ?");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, max);
    return collect_sources(s, a, false, out, n);
}

int store_feed_source_claim(db *d, int64_t id, int64_t seen_next, int64_t until, bool *got)
{
    PREPARE(s, d, "UPDATE feed_sources SET next_fetch_at = ? WHERE id = ? AND next_fetch_at = ?");
    db_bind_i64(s, 1, until);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, seen_next);
    int rc = db_step(s);
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *got = db_changes(d) > 0;
    return PL_OK;
}

static void bind_text_or_null(db_stmt *s, int idx, const char *v)
{
    if (v && *v)
        db_bind_text(s, idx, v, -1);
    else
        db_bind_null(s, idx);
}

int store_feed_source_record(db *d, const pl_feed_fetch *f)
{
    int rc;
    if (f->is_ok) {
        PREPARE(s, d,
                "UPDATE feed_sources SET title = COALESCE(?, title), etag = ?, "
                "last_modified = ?, state = 'ok', last_error = '', failures = 0, "
                "last_fetch_at = ?, last_success_at = ?, next_fetch_at = ? WHERE id = ?");
        if (f->title)
            db_bind_text(s, 1, f->title, -1);
        else
            db_bind_null(s, 1);
        bind_text_or_null(s, 2, f->etag);
        bind_text_or_null(s, 3, f->last_modified);
        db_bind_i64(s, 4, f->at);
        db_bind_i64(s, 5, f->at);
        db_bind_i64(s, 6, f->next_fetch_at);
        db_bind_i64(s, 7, f->source_id);
        rc = db_step(s);
        db_reset(s);
    } else {
        PREPARE(s, d,
                "UPDATE feed_sources SET state = 'failing', last_error = ?, failures = ?, "
                "last_fetch_at = ?, next_fetch_at = ? WHERE id = ?");
        db_bind_text(s, 1, f->error ? f->error : "", -1);
        db_bind_i64(s, 2, f->failures);
        db_bind_i64(s, 3, f->at);
        db_bind_i64(s, 4, f->next_fetch_at);
        db_bind_i64(s, 5, f->source_id);
        rc = db_step(s);
        db_reset(s);
    }
    if (rc != DB_DONE) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_feed_item_put(db *d, const pl_feed_item *it, bool *is_new)
{
    PREPARE(s, d,
            "INSERT INTO feed_items (id, source_id, item_key, link, title, author, "
            "published_at, text, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (source_id, item_key) DO NOTHING");
    db_bind_i64(s, 1, it->id);
    db_bind_i64(s, 2, it->source_id);
    db_bind_text(s, 3, it->key, -1);
    bind_text_or_null(s, 4, it->link);
    bind_text_or_null(s, 5, it->title);
    bind_text_or_null(s, 6, it->author);
    if (it->published_at)
        db_bind_i64(s, 7, it->published_at);
    else
        db_bind_null(s, 7);
    db_bind_text(s, 8, it->text ? it->text : "", -1);
    db_bind_i64(s, 9, it->fetched_at);
    int rc = db_step(s);
    db_reset(s);
    if (rc != DB_DONE) return rc;
    *is_new = db_changes(d) > 0;
    return PL_OK;
}

int store_feed_items(db *d, int64_t source_id, int64_t before, int max, arena *a,
                     pl_feed_item **out, int *n)
{
    PREPARE(s, d,
            "SELECT id, source_id, item_key, link, title, author, published_at, text, "
            "fetched_at FROM feed_items WHERE source_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    db_bind_i64(s, 1, source_id);
    db_bind_i64(s, 2, before > 0 ? before : INT64_MAX);
    db_bind_i64(s, 3, max);
    *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
    *n = 0;
    int rc = DB_DONE;
    while (*n < max && (rc = db_step(s)) == DB_ROW) {
        (*out)[(*n)++] = (pl_feed_item){.id = db_col_i64(s, 0),
                                        .source_id = db_col_i64(s, 1),
                                        .key = col_str(s, 2, a),
                                        .link = col_str(s, 3, a),
                                        .title = col_str(s, 4, a),
                                        .author = col_str(s, 5, a),
                                        .published_at = db_col_i64(s, 6),
                                        .text = col_str(s, 7, a),
                                        .fetched_at = db_col_i64(s, 8)};
    }
    if (*n == max) rc = DB_DONE;
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}
