/*
 * timeline.c — materialized home feeds: timeline(account_id, status_id).
 *
 * A post is written into each follower's feed when it is made (fan-out on write), which
 * makes reading a home feed one index range. Authors with more followers than the
 * configured threshold are not fanned out (the app merges their posts on read), so a
 * post costs at most `threshold` rows. Feeds are trimmed to the newest N entries.
 */
#include "store/query.h"
#include "store/timeline.h"
#include "store/visibility.h"

int store_timeline_fanout(db *d, int64_t author_id, int64_t status_id, int64_t reply_to_account_id,
                          bool is_reblog, int64_t *n)
{
    /* A reply to someone else reaches only followers who also follow that someone (or are
     * that someone);
     * a reblog reaches only followers who asked to see the author's reblogs. */
    PREPARE(s, d,
            "INSERT INTO timeline (account_id, status_id) "
            "SELECT f.account_id, ? FROM follows f WHERE f.target_id = ? "
            "AND (? = 0 OR f.show_reblogs = 1) "
            "AND (? = 0 OR ? = f.target_id OR f.account_id = ? OR EXISTS (SELECT 1 FROM "
            "     follows g WHERE g.account_id = f.account_id AND g.target_id = ?)) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, author_id);
    db_bind_i64(s, 3, is_reblog);
    db_bind_i64(s, 4, reply_to_account_id);
    db_bind_i64(s, 5, reply_to_account_id);
    db_bind_i64(s, 6, reply_to_account_id);
    db_bind_i64(s, 7, reply_to_account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    *n = db_changes(d);
    rc = store_timeline_insert(d, author_id, status_id);
    if (rc == PL_OK) (*n)++;
    return rc;
}

int store_timeline_insert(db *d, int64_t account_id, int64_t status_id)
{
    PREPARE(s, d,
            "INSERT INTO timeline (account_id, status_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, status_id);
    return db_step_done(s);
}

int store_timeline_remove_status(db *d, int64_t status_id)
{
    return store_timeline_remove_post(d, status_id, -1, 0);
}

/* Deletes up to `limit` of a post's feed rows (limit < 0: all of them); *n: how many. Both
 * find the rows by timeline_status, a range of the post's own entries. */
static int remove_rows(db *d, int64_t status_id, int limit, int64_t *n)
{
    *n = 0;
    db_stmt *s;
    if (limit < 0) {
        PREPARE(all, d, "DELETE FROM timeline WHERE status_id = ?");
        db_bind_i64(all, 1, status_id);
        s = all;
    } else {
        PREPARE(some, d,
                "DELETE FROM timeline WHERE status_id = ? AND account_id IN "
                "(SELECT account_id FROM timeline WHERE status_id = ? LIMIT ?)");
        db_bind_i64(some, 1, status_id);
        db_bind_i64(some, 2, status_id);
        db_bind_i64(some, 3, limit);
        s = some;
    }
    int rc = db_step_done(s);
    if (!rc) *n = db_changes(d);
    return rc;
}

int store_timeline_remove_post(db *d, int64_t status_id, int rows_now, int64_t now)
{
    /* A fan-out still queued becomes the removal: no feed row is written after this. First,
     * so that on PostgreSQL it waits for a node doing one of the fan-out's chunks (the queue
     * row is locked until that commits), whose rows the delete below then sees. */
    PREPARE(u, d, "UPDATE fanout_queue SET removing = 1 WHERE status_id = ?");
    db_bind_i64(u, 1, status_id);
    int rc = db_step_done(u);
    if (rc) return rc;
    bool queued = db_changes(d) > 0;
    int64_t n;
    if ((rc = remove_rows(d, status_id, rows_now, &n))) return rc;
    if (queued || rows_now < 0 || n < rows_now) return PL_OK;
    /* maybe more: the writer removes the rest a chunk at a time (store_fanout_chunk) */
    PREPARE(q, d,
            "INSERT INTO fanout_queue (status_id, author_id, removing, cursor, created_at) "
            "VALUES (?, 0, 1, 0, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(q, 1, status_id);
    db_bind_i64(q, 2, now);
    return db_step_done(q);
}

int store_timeline_remove_author(db *d, int64_t account_id, int64_t author_id)
{
    /* one probe of the feed per post of the author's since the feed's oldest entry (feeds
     * are trimmed): the posts of the feed's time span, not the author's whole history
     * (36,708 posts for the most active person of the bench company) */
    PREPARE(s, d,
            "DELETE FROM timeline WHERE account_id = ? AND status_id IN "
            "(SELECT id FROM statuses WHERE account_id = ? AND id >= "
            "(SELECT COALESCE(min(status_id), 0) FROM timeline WHERE account_id = ?))");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, author_id);
    db_bind_i64(s, 3, account_id);
    return db_step_done(s);
}

int store_timeline_backfill(db *d, int64_t account_id, int64_t author_id, int limit)
{
    /* What the author's fan-out would have given a follower (VIS_SQL_TO_FOLLOWERS), less what
     * was shared into a private channel (only its members see it, merged on read). List and
     * direct posts reached their own people when they were made: following changes nothing
     * for them. The home feed still asks audience_can_see() about every row on read. */
    PREPARE(s, d,
            "INSERT INTO timeline (account_id, status_id) "
            "SELECT ?, id FROM (SELECT id FROM statuses WHERE account_id = ? "
            "AND " VIS_SQL_TO_FOLLOWERS " AND reblog_of_id IS NULL "
            "AND (in_reply_to_id IS NULL OR in_reply_to_account_id = account_id) "
            "AND channel_removed = 0 AND NOT EXISTS (SELECT 1 FROM channels c "
            "WHERE c.account_id = statuses.channel_id AND c.is_private = 1) "
            "ORDER BY id DESC LIMIT ?) recent WHERE true ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, author_id);
    db_bind_i64(s, 3, limit);
    return db_step_done(s);
}

int store_timeline_trim(db *d, int64_t account_id, int keep)
{
    PREPARE(s, d,
            "DELETE FROM timeline WHERE account_id = ? AND status_id < "
            "(SELECT status_id FROM timeline WHERE account_id = ? "
            "ORDER BY status_id DESC LIMIT 1 OFFSET ?)");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, keep - 1);
    return db_step_done(s);
}

int store_timeline_trim_batch(db *d, int64_t after_id, int batch, int keep, int64_t *last_id)
{
    int64_t ids[512];
    *last_id = 0;
    if (batch <= 0) return PL_OK;
    if (batch > 512) batch = 512;
    PREPARE(s, d, "SELECT id FROM accounts WHERE id > ? ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, after_id);
    db_bind_i64(s, 2, batch);
    int n = 0, rc = DB_DONE;
    while (n < batch && (rc = db_step(s)) == DB_ROW) ids[n++] = db_col_i64(s, 0);
    db_reset(s);
    if (rc < 0) return rc;
    for (int i = 0; i < n; i++)
        if ((rc = store_timeline_trim(d, ids[i], keep))) return rc;
    *last_id = n == batch ? ids[n - 1] : 0;
    return PL_OK;
}

int store_timeline_page(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out)
{
    /* not the rows of a deleted post that wait in the removal queue
     * (store_timeline_remove_post): the post is gone, but a loop's cached copy of it may not
     * have heard yet (another node's NOTIFY), so the feed itself must not name it. A feed
     * row of a deleted post exists only while its removal is queued; the queue is a few
     * rows, so this costs a probe of a page or two per row, not one of the posts' key */
#define HOME                                                                                       \
    "SELECT status_id, status_id FROM timeline WHERE account_id = ? AND NOT EXISTS "               \
    "(SELECT 1 FROM fanout_queue q WHERE q.status_id = timeline.status_id AND q.removing = 1)"
    return store_paged(d, HOME PAGE_DESC("status_id"), HOME PAGE_ASC("status_id"), &account_id, 1,
                       NULL, p, a, out);
#undef HOME
}

int store_fanout_enqueue(db *d, const pl_fanout *f, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO fanout_queue (status_id, author_id, reply_to_account_id, is_reblog, "
            "cursor, created_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, f->status_id);
    db_bind_i64(s, 2, f->author_id);
    db_bind_i64(s, 3, f->reply_to_account_id);
    db_bind_i64(s, 4, f->is_reblog);
    db_bind_i64(s, 5, now);
    return db_step_done(s);
}

int store_fanout_next(db *d, pl_fanout *out)
{
    /* Several nodes' writers share the queue on PostgreSQL: each takes a row no other holds
     * (FOR UPDATE SKIP LOCKED, the same text otherwise); SQLite has one writer. */
    static const char plain[] = "SELECT status_id, author_id, reply_to_account_id, is_reblog, "
                                "cursor, removing FROM fanout_queue ORDER BY status_id LIMIT 1";
    static const char locking[] = "SELECT status_id, author_id, reply_to_account_id, is_reblog, "
                                  "cursor, removing FROM fanout_queue ORDER BY status_id LIMIT 1 "
                                  "FOR UPDATE SKIP LOCKED";
    PREPARE(s, d, db_supports_notify(d) ? locking : plain);
    int rc = step_one(s);
    if (rc) return rc;
    out->status_id = db_col_i64(s, 0);
    out->author_id = db_col_i64(s, 1);
    out->reply_to_account_id = db_col_i64(s, 2);
    out->is_reblog = db_col_i64(s, 3);
    out->cursor = db_col_i64(s, 4);
    out->removing = db_col_i64(s, 5) != 0;
    db_reset(s);
    return PL_OK;
}

int store_fanout_chunk(db *d, const pl_fanout *f, int limit, int64_t *rows)
{
    *rows = 0;
    if (f->removing) {
        /* a deleted post: the next `limit` of its feed rows, until none is left */
        int64_t n;
        int rc = remove_rows(d, f->status_id, limit, &n);
        if (rc || n == limit) return rc;
        PREPARE(done, d, "DELETE FROM fanout_queue WHERE status_id = ?");
        db_bind_i64(done, 1, f->status_id);
        return db_step_done(done);
    }
    /* this chunk: the next `limit` followers by follow id */
    PREPARE(e, d,
            "SELECT max(id), count(*) FROM (SELECT id FROM follows WHERE target_id = ? AND id > ? "
            "ORDER BY id LIMIT ?) chunk");
    db_bind_i64(e, 1, f->author_id);
    db_bind_i64(e, 2, f->cursor);
    db_bind_i64(e, 3, limit);
    int rc = step_one(e);
    if (rc) return rc;
    int64_t last = db_col_i64(e, 0), n = db_col_i64(e, 1);
    db_reset(e);
    if (n > 0) {
        /* the same rules as store_timeline_fanout */
        PREPARE(s, d,
                "INSERT INTO timeline (account_id, status_id) "
                "SELECT f.account_id, ? FROM follows f WHERE f.target_id = ? AND f.id > ? "
                "AND f.id <= ? AND (? = 0 OR f.show_reblogs = 1) "
                "AND (? = 0 OR ? = f.target_id OR f.account_id = ? OR EXISTS (SELECT 1 FROM "
                "     follows g WHERE g.account_id = f.account_id AND g.target_id = ?)) "
                "ON CONFLICT DO NOTHING");
        int64_t to = f->reply_to_account_id;
        db_bind_i64(s, 1, f->status_id);
        db_bind_i64(s, 2, f->author_id);
        db_bind_i64(s, 3, f->cursor);
        db_bind_i64(s, 4, last);
        db_bind_i64(s, 5, f->is_reblog);
        db_bind_i64(s, 6, to);
        db_bind_i64(s, 7, to);
        db_bind_i64(s, 8, to);
        db_bind_i64(s, 9, to);
        if ((rc = db_step_done(s))) return rc;
        *rows = db_changes(d);
    }
    if (n < limit) {
        PREPARE(del, d, "DELETE FROM fanout_queue WHERE status_id = ?");
        db_bind_i64(del, 1, f->status_id);
        return db_step_done(del);
    }
    PREPARE(u, d, "UPDATE fanout_queue SET cursor = ? WHERE status_id = ?");
    db_bind_i64(u, 1, last);
    db_bind_i64(u, 2, f->status_id);
    return db_step_done(u);
}
