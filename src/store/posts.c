/*
 * posts.c — statuses, their mentions, hashtags and edit history, and the paged lists of
 * statuses by author, by hashtag and on the public timeline.
 *
 * Counts (replies, reblogs, favourites) are kept on the row and changed with the act that
 * changes them, so reading a status never counts rows.
 */
#include <stdint.h>
#include <string.h>

#include "store/posts.h"
#include "store/query.h"
#include "store/tags.h"
#include "store/timeline.h"
#include "store/visibility.h"
#include "store/watches.h"

#define STATUS_COLS                                                                                \
    "id, account_id, in_reply_to_id, in_reply_to_account_id, reblog_of_id, visibility, text, "     \
    "content, spoiler_text, sensitive, language, app_id, mentions_count, tags_count, "             \
    "replies_count, reblogs_count, favourites_count, created_at, edited_at, poll_id, channel_id, " \
    "channel_removed, audience_list_id, content_type, plain_text, "                                \
    "CASE WHEN EXISTS (SELECT 1 FROM ticket_posts tp WHERE tp.status_id = statuses.id) THEN 1 "    \
    "ELSE 0 END, CASE WHEN EXISTS (SELECT 1 FROM media_attachments ma WHERE ma.status_id = "       \
    "statuses.id) THEN 1 ELSE 0 END"

static void read_status(db_stmt *s, arena *a, pl_status *o)
{
    o->id = db_col_i64(s, 0);
    o->account_id = db_col_i64(s, 1);
    o->in_reply_to_id = db_col_i64(s, 2);
    o->in_reply_to_account_id = db_col_i64(s, 3);
    o->reblog_of_id = db_col_i64(s, 4);
    o->visibility = (int)db_col_i64(s, 5);
    o->text = col_str(s, 6, a);
    o->content = col_str(s, 7, a);
    o->spoiler_text = col_str(s, 8, a);
    o->sensitive = db_col_i64(s, 9);
    o->language = col_str(s, 10, a);
    o->app_id = db_col_i64(s, 11);
    o->mentions_count = (int)db_col_i64(s, 12);
    o->tags_count = (int)db_col_i64(s, 13);
    o->replies_count = db_col_i64(s, 14);
    o->reblogs_count = db_col_i64(s, 15);
    o->favourites_count = db_col_i64(s, 16);
    o->created_at = db_col_i64(s, 17);
    o->edited_at = db_col_i64(s, 18);
    o->poll_id = db_col_i64(s, 19);
    o->channel_id = db_col_i64(s, 20);
    o->channel_removed = db_col_i64(s, 21);
    o->audience_list_id = db_col_i64(s, 22);
    o->content_type = (int)db_col_i64(s, 23);
    o->plain_text = col_str(s, 24, a);
    o->ticket_post = db_col_i64(s, 25);
    o->has_media = db_col_i64(s, 26);
}

static void bind_opt(db_stmt *s, int idx, int64_t v)
{
    if (v)
        db_bind_i64(s, idx, v);
    else
        db_bind_null(s, idx);
}

int store_status_insert(db *d, const pl_status *st)
{
    PREPARE(s, d,
            "INSERT INTO statuses (id, account_id, in_reply_to_id, in_reply_to_account_id, "
            "reblog_of_id, visibility, text, content, spoiler_text, sensitive, language, "
            "app_id, mentions_count, tags_count, created_at, poll_id, channel_id, "
            "audience_list_id, content_type, plain_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, st->id);
    db_bind_i64(s, 2, st->account_id);
    bind_opt(s, 3, st->in_reply_to_id);
    bind_opt(s, 4, st->in_reply_to_account_id);
    bind_opt(s, 5, st->reblog_of_id);
    db_bind_i64(s, 6, st->visibility);
    db_bind_text(s, 7, st->text ? st->text : "", -1);
    db_bind_text(s, 8, st->content ? st->content : "", -1);
    db_bind_text(s, 9, st->spoiler_text ? st->spoiler_text : "", -1);
    db_bind_i64(s, 10, st->sensitive);
    db_bind_text(s, 11, st->language, -1);
    bind_opt(s, 12, st->app_id);
    db_bind_i64(s, 13, st->mentions_count);
    db_bind_i64(s, 14, st->tags_count);
    db_bind_i64(s, 15, st->created_at);
    bind_opt(s, 16, st->poll_id);
    bind_opt(s, 17, st->channel_id);
    bind_opt(s, 18, st->audience_list_id);
    db_bind_i64(s, 19, st->content_type);
    db_bind_text(s, 20, st->plain_text, -1);
    int rc = db_step_done(s);
    if (rc == PL_OK) db_event(d, EV_STATUS, st->id, st->account_id, st->visibility);
    return rc;
}

int store_status_get(db *d, int64_t id, arena *a, pl_status *out)
{
    PREPARE(s, d, "SELECT " STATUS_COLS " FROM statuses WHERE id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_status(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_statuses_get(db *d, const int64_t *ids, int n, arena *a, pl_status *out, int *nout)
{
    *nout = 0;
    if (n > STORE_BATCH) return PL_EINTERNAL;
    PREPARE(s, d, "SELECT " STATUS_COLS " FROM statuses WHERE id IN (" IN_BATCH ")");
    bind_batch(s, 1, ids, n);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) read_status(s, a, &out[(*nout)++]);
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_status_update(db *d, const pl_status *st)
{
    db_touch(d, TOUCH_STATUS, st->id);
    PREPARE(s, d,
            "UPDATE statuses SET text = ?, content = ?, spoiler_text = ?, sensitive = ?, "
            "language = ?, edited_at = ?, mentions_count = ?, tags_count = ?, poll_id = ?, "
            "content_type = ?, plain_text = ? WHERE id = ?");
    db_bind_text(s, 1, st->text, -1);
    db_bind_text(s, 2, st->content, -1);
    db_bind_text(s, 3, st->spoiler_text ? st->spoiler_text : "", -1);
    db_bind_i64(s, 4, st->sensitive);
    db_bind_text(s, 5, st->language, -1);
    bind_opt(s, 6, st->edited_at);
    db_bind_i64(s, 7, st->mentions_count);
    db_bind_i64(s, 8, st->tags_count);
    bind_opt(s, 9, st->poll_id);
    db_bind_i64(s, 10, st->content_type);
    db_bind_text(s, 11, st->plain_text, -1);
    db_bind_i64(s, 12, st->id);
    int rc = db_step_done(s);
    if (rc == PL_OK) db_event(d, EV_STATUS_UPDATE, st->id, st->account_id, st->visibility);
    return rc;
}

/* The live events of a deletion, told while the row still says who could see it (the streams
 * decide with audience_can_see on a record made of them, app/stream.c): its author and
 * visibility; the channel, the list or the boosted post it had; and for followers-only, list
 * and direct posts each account mentioned, with the author (nobody the author blocks is told,
 * mentioned or not). */
static int delete_event(db *d, int64_t id)
{
    PREPARE(s, d,
            "SELECT account_id, visibility, COALESCE(channel_id, 0), channel_removed, "
            "COALESCE(audience_list_id, 0), COALESCE(reblog_of_id, 0) FROM statuses WHERE id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    int64_t author = db_col_i64(s, 0), visibility = db_col_i64(s, 1);
    int64_t channel = db_col_i64(s, 2), list = db_col_i64(s, 4), reblog_of = db_col_i64(s, 5);
    bool removed = db_col_i64(s, 3) != 0;
    db_reset(s);
    int64_t flags = (channel ? EV_DELETE_IN_CHANNEL : 0) | (list ? EV_DELETE_FOR_LIST : 0) |
                    (reblog_of ? EV_DELETE_IS_REBLOG : 0);
    db_event(d, EV_DELETE, id, author, visibility | flags);
    /* the channel stream's readers saw it only while it stood in the channel */
    if (channel && !removed) db_event(d, EV_DELETE_CHANNEL, id, author, channel);
    if (list) db_event(d, EV_DELETE_LIST, id, author, list);
    if (reblog_of) db_event(d, EV_DELETE_REBLOG, id, author, reblog_of);
    if (visibility != VIS_PRIVATE && visibility != VIS_LIST && visibility != VIS_DIRECT)
        return PL_OK;
    PREPARE(m, d, "SELECT account_id FROM status_mentions WHERE status_id = ?");
    db_bind_i64(m, 1, id);
    int kind = visibility == VIS_DIRECT ? EV_DELETE_DIRECT_TO : EV_DELETE_TO;
    while ((rc = db_step(m)) == DB_ROW) db_event(d, kind, id, db_col_i64(m, 0), author);
    db_reset(m);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_status_delete(db *d, int64_t id)
{
    return store_status_delete_queued(d, id, -1, 0);
}

int store_status_delete_queued(db *d, int64_t id, int feed_rows_now, int64_t now)
{
    db_touch(d, TOUCH_STATUS, id);
    int erc = delete_event(d, id);
    if (!erc) erc = store_tag_days_count(d, id, NULL, -1); /* while its row still says whose */
    if (erc) return erc;
    static const char *const sql[] = {
        "DELETE FROM statuses WHERE id = ?",
        "DELETE FROM status_mentions WHERE status_id = ?",
        "DELETE FROM status_tags WHERE status_id = ?",
        "DELETE FROM status_edit_poll_options WHERE edit_id IN "
        "(SELECT id FROM status_edits WHERE status_id = ?)",
        "DELETE FROM status_edits WHERE status_id = ?",
        "DELETE FROM poll_options WHERE poll_id IN (SELECT id FROM polls WHERE status_id = ?)",
        "DELETE FROM poll_votes WHERE poll_id IN (SELECT id FROM polls WHERE status_id = ?)",
        "DELETE FROM polls WHERE status_id = ?",
        "DELETE FROM favourites WHERE status_id = ?",
        "DELETE FROM bookmarks WHERE status_id = ?",
        "DELETE FROM status_pins WHERE status_id = ?",
        "DELETE FROM channel_pins WHERE status_id = ?", /* a few rows a channel: scanned */
        "DELETE FROM filter_statuses WHERE status_id = ?",
        "DELETE FROM watch_post_tops WHERE status_id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        PREPARE(s, d, sql[i]);
        db_bind_i64(s, 1, id);
        int rc = db_step_done(s);
        if (rc) return rc;
    }
    return store_timeline_remove_post(d, id, feed_rows_now, now);
}

int store_status_add_counts(db *d, int64_t id, int replies, int reblogs, int favourites)
{
    db_touch(d, TOUCH_STATUS, id);
    PREPARE(s, d,
            "UPDATE statuses SET replies_count = replies_count + ?, "
            "reblogs_count = reblogs_count + ?, favourites_count = favourites_count + ? "
            "WHERE id = ? RETURNING replies_count + reblogs_count + favourites_count");
    db_bind_i64(s, 1, replies);
    db_bind_i64(s, 2, reblogs);
    db_bind_i64(s, 3, favourites);
    db_bind_i64(s, 4, id);
    int rc = step_one(s);
    if (rc == PL_ENOTFOUND) return PL_OK; /* no such post: nothing to count, as before */
    if (rc) return rc;
    int64_t score = db_col_i64(s, 0);
    db_reset(s);
    /* the watches' kept top posts follow its engagement (store/watches.h) */
    return store_watch_post_engaged(d, id, score);
}

int store_status_mention_add(db *d, int64_t status_id, int64_t account_id)
{
    db_touch(d, TOUCH_STATUS, status_id);
    PREPARE(s, d,
            "INSERT INTO status_mentions (status_id, account_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

int store_status_mentions(db *d, int64_t status_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT account_id FROM status_mentions WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    return store_collect_ids(s, a, ids, n);
}

int store_status_mentions_clear(db *d, int64_t status_id)
{
    db_touch(d, TOUCH_STATUS, status_id);
    PREPARE(s, d, "DELETE FROM status_mentions WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    return db_step_done(s);
}

bool store_status_mentions_account(db *d, int64_t status_id, int64_t account_id)
{
    db_stmt *s =
        db_prepare(d, "SELECT 1 FROM status_mentions WHERE status_id = ? AND account_id = ?");
    if (!s) return false;
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, account_id);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}

int store_status_tag_add(db *d, int64_t status_id, const char *tag)
{
    db_touch(d, TOUCH_STATUS, status_id);
    PREPARE(s, d, "INSERT INTO status_tags (tag, status_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
    db_bind_text(s, 1, tag, -1);
    db_bind_i64(s, 2, status_id);
    int rc = db_step_done(s);
    /* a tag written twice is counted once */
    if (rc == PL_OK && db_changes(d) > 0) rc = store_tag_days_count(d, status_id, tag, 1);
    return rc;
}

int store_status_tags(db *d, int64_t status_id, arena *a, const char ***tags, int *n)
{
    PREPARE(s, d, "SELECT tag FROM status_tags WHERE status_id = ? ORDER BY tag");
    db_bind_i64(s, 1, status_id);
    int cap = 0, count = 0;
    const char **v = NULL;
    int rc = store_append_strs(s, a, &v, &count, &cap);
    if (rc) return rc;
    *tags = v;
    *n = count;
    return PL_OK;
}

int store_status_tags_clear(db *d, int64_t status_id)
{
    db_touch(d, TOUCH_STATUS, status_id);
    int rc = store_tag_days_count(d, status_id, NULL, -1);
    if (rc) return rc;
    PREPARE(s, d, "DELETE FROM status_tags WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    return db_step_done(s);
}

int store_status_edit_insert(db *d, const pl_status_edit *e)
{
    PREPARE(s, d,
            "INSERT INTO status_edits (id, status_id, text, content, spoiler_text, sensitive, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, e->id);
    db_bind_i64(s, 2, e->status_id);
    db_bind_text(s, 3, e->text, -1);
    db_bind_text(s, 4, e->content, -1);
    db_bind_text(s, 5, e->spoiler_text ? e->spoiler_text : "", -1);
    db_bind_i64(s, 6, e->sensitive);
    db_bind_i64(s, 7, e->created_at);
    int rc = db_step_done(s);
    for (int i = 0; i < e->n_poll_options && !rc; i++) {
        PREPARE(o, d,
                "INSERT INTO status_edit_poll_options (edit_id, idx, title) VALUES (?, ?, ?)");
        db_bind_i64(o, 1, e->id);
        db_bind_i64(o, 2, i);
        db_bind_text(o, 3, e->poll_options[i], -1);
        rc = db_step_done(o);
    }
    return rc;
}

/* Attaches the poll options of each revision (one query for the whole history). */
static int read_edit_polls(db *d, int64_t status_id, arena *a, pl_status_edit *v, int n)
{
    PREPARE(s, d,
            "SELECT o.edit_id, o.idx, o.title FROM status_edit_poll_options o "
            "JOIN status_edits e ON e.id = o.edit_id WHERE e.status_id = ? "
            "ORDER BY o.edit_id, o.idx");
    db_bind_i64(s, 1, status_id);
    int rc, k = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t edit = db_col_i64(s, 0);
        while (k < n && v[k].id < edit) k++;
        if (k == n) break;
        if (v[k].id != edit) continue;
        pl_status_edit *e = &v[k];
        if (e->n_poll_options % 8 == 0) { /* grow by 8 */
            const char **nv = arena_alloc(a, sizeof *nv * (size_t)(e->n_poll_options + 8));
            if (e->n_poll_options)
                memcpy(nv, e->poll_options, sizeof *nv * (size_t)e->n_poll_options);
            e->poll_options = nv;
        }
        e->poll_options[e->n_poll_options++] = col_str(s, 2, a);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_status_edits(db *d, int64_t status_id, arena *a, pl_status_edit **out, int *n)
{
    PREPARE(s, d,
            "SELECT id, text, content, spoiler_text, sensitive, created_at FROM status_edits "
            "WHERE status_id = ? ORDER BY id");
    db_bind_i64(s, 1, status_id);
    int cap = 8, count = 0, rc;
    pl_status_edit *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_status_edit *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        pl_status_edit *e = &v[count++];
        e->id = db_col_i64(s, 0);
        e->status_id = status_id;
        e->text = col_str(s, 1, a);
        e->content = col_str(s, 2, a);
        e->spoiler_text = col_str(s, 3, a);
        e->sensitive = db_col_i64(s, 4);
        e->created_at = db_col_i64(s, 5);
        e->poll_options = NULL;
        e->n_poll_options = 0;
    }
    db_reset(s);
    if (rc < 0) return rc;
    if (count && (rc = read_edit_polls(d, status_id, a, v, count))) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_status_replies(db *d, int64_t status_id, int limit, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT id FROM statuses WHERE in_reply_to_id = ? ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, limit);
    return store_collect_ids(s, a, ids, n);
}

int store_status_reblog_by(db *d, int64_t status_id, int64_t account_id, int64_t *reblog_id)
{
    PREPARE(s, d, "SELECT id FROM statuses WHERE reblog_of_id = ? AND account_id = ?");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, account_id);
    *reblog_id = 0;
    int rc = db_step(s);
    if (rc == DB_ROW) *reblog_id = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_status_reblogs(db *d, int64_t status_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT id FROM statuses WHERE reblog_of_id = ?");
    db_bind_i64(s, 1, status_id);
    return store_collect_ids(s, a, ids, n);
}

int store_idempotency_get(db *d, int64_t account_id, const char *key, int64_t *status_id)
{
    PREPARE(s, d, "SELECT status_id FROM idempotency WHERE account_id = ? AND key = ?");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, key, -1);
    int rc = step_one(s);
    if (rc) return rc;
    *status_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_idempotency_put(db *d, int64_t account_id, const char *key, int64_t status_id,
                          int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO idempotency (account_id, key, status_id, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, key, -1);
    db_bind_i64(s, 3, status_id);
    db_bind_i64(s, 4, now);
    return db_step_done(s);
}

/* Paged lists. Each pair of SQL texts differs only in its ORDER BY direction. */

int store_statuses_by_account(db *d, int64_t account_id, bool exclude_replies, bool exclude_reblogs,
                              const pl_page *p, arena *a, pl_idlist *out)
{
#define BY_ACCOUNT                                                                                 \
    "SELECT id, id FROM statuses WHERE account_id = ? "                                            \
    "AND (? = 0 OR in_reply_to_id IS NULL OR in_reply_to_account_id = account_id) "                \
    "AND (? = 0 OR reblog_of_id IS NULL)"
    int64_t args[3] = {account_id, exclude_replies, exclude_reblogs};
    return store_paged(d, BY_ACCOUNT PAGE_DESC("id"), BY_ACCOUNT PAGE_ASC("id"), args, 3, NULL, p,
                       a, out);
#undef BY_ACCOUNT
}

int store_statuses_by_accounts(db *d, const int64_t *accounts, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out)
{
    /* SQLite descends statuses_account once per key of the IN list; PostgreSQL is told so
     * (KEYS_TABLE): it walked the posts' key back from the window's top testing authors, 3.4 ms
     * a home page at 10k/1M once posts were spread over months (issue 17) */
    static const char *const sqlite_sql = "SELECT id FROM statuses WHERE account_id IN (" IN_BATCH
                                          ") AND id > ? AND id < ? ORDER BY id DESC LIMIT ?";
    static const char *const pg_sql =
        "SELECT w.id FROM " KEYS_TABLE " CROSS JOIN LATERAL (SELECT id FROM statuses WHERE "
        "account_id = k.key AND id > ? AND id < ? ORDER BY id DESC LIMIT ?) w ORDER BY w.id DESC";
    return store_window_ids(d, store_is_postgres(d) ? pg_sql : sqlite_sql, accounts, n, above,
                            below, limit, a, out);
}

int store_statuses_public(db *d, const pl_page *p, arena *a, pl_idlist *out)
{
#define PUBLIC "SELECT id, id FROM statuses WHERE " VIS_SQL_PUBLIC " AND reblog_of_id IS NULL"
    return store_paged(d, PUBLIC PAGE_DESC("id"), PUBLIC PAGE_ASC("id"), NULL, 0, NULL, p, a, out);
#undef PUBLIC
}

int store_statuses_with_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out)
{
#define WITH_TAG "SELECT status_id, status_id FROM status_tags WHERE tag = ?"
    return store_paged(d, WITH_TAG PAGE_DESC("status_id"), WITH_TAG PAGE_ASC("status_id"), NULL, 0,
                       tag, p, a, out);
#undef WITH_TAG
}

int store_statuses_by_tag(db *d, const char *tag, const pl_page *p, arena *a, pl_idlist *out)
{
#define BY_TAG                                                                                     \
    "SELECT t.status_id, t.status_id FROM status_tags t JOIN statuses s ON s.id = t.status_id "    \
    "WHERE t.tag = ? AND s." VIS_SQL_PUBLIC
    return store_paged(d, BY_TAG PAGE_DESC("t.status_id"), BY_TAG PAGE_ASC("t.status_id"), NULL, 0,
                       tag, p, a, out);
#undef BY_TAG
}
