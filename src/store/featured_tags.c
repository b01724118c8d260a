/*
 * featured_tags.c — the SQL of featured hashtags (migration 037).
 *
 * A featured tag's counts are counted when shown rather than kept on the row, as Mastodon
 * keeps them: a kept count would have to follow every post, edit, delete, change of audience
 * and channel removal, each a write path of its own, for a number shown on a profile. The
 * count walks the person's posts (statuses_account, which covers the visibility) and probes
 * status_tags' key for each; a person's posts are theirs, not the company's. Suggestions read
 * the tags of the latest posts only, by key, forty posts a query.
 */
#include <string.h>

#include "store/featured_tags.h"
#include "store/query.h"
#include "store/visibility.h"

int store_featured_tag_insert(db *d, const pl_featured_tag *f, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO featured_tags (id, account_id, tag, name, created_at) "
            "VALUES (?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, f->id);
    db_bind_i64(s, 2, f->account_id);
    db_bind_text(s, 3, f->tag, -1);
    db_bind_text(s, 4, f->name, -1);
    db_bind_i64(s, 5, now);
    return db_step_done(s);
}

int store_featured_tag_delete(db *d, int64_t account_id, int64_t id)
{
    PREPARE(s, d, "DELETE FROM featured_tags WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) > 0 ? PL_OK : PL_ENOTFOUND;
}

int store_featured_tags(db *d, int64_t account_id, arena *a, pl_featured_tag **out, int *n)
{
    PREPARE(s, d, "SELECT id, tag, name FROM featured_tags WHERE account_id = ? ORDER BY id");
    db_bind_i64(s, 1, account_id);
    int cap = 8, count = 0, rc;
    pl_featured_tag *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_featured_tag *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_featured_tag){.id = db_col_i64(s, 0),
                                       .account_id = account_id,
                                       .tag = col_str(s, 1, a),
                                       .name = col_str(s, 2, a)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_featured_tags_count(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM featured_tags WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_featured_tag_counts(db *d, pl_featured_tag *f)
{
    PREPARE(s, d,
            "SELECT count(*), COALESCE(max(s.created_at), 0) FROM statuses s "
            "CROSS JOIN status_tags t WHERE s.account_id = ? AND s." VIS_SQL_OPEN
            " AND s.channel_removed = 0 AND t.tag = ? AND t.status_id = s.id");
    db_bind_i64(s, 1, f->account_id);
    db_bind_text(s, 2, f->tag, -1);
    int rc = step_one(s);
    if (rc) return rc;
    f->statuses_count = db_col_i64(s, 0);
    f->last_status_at = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}

int store_recent_tags(db *d, int64_t account_id, int posts, arena *a, const char ***tags, int *n)
{
    PREPARE(mine, d, "SELECT id FROM statuses WHERE account_id = ? ORDER BY id DESC LIMIT ?");
    db_bind_i64(mine, 1, account_id);
    db_bind_i64(mine, 2, posts);
    int64_t *ids;
    int nids, rc = store_collect_ids(mine, a, &ids, &nids);
    if (rc) return rc;
    PREPARE(s, d, "SELECT tag FROM status_tags WHERE status_id IN (" IN_BATCH ")");
    int cap = 0, count = 0;
    const char **v = NULL;
    for (int at = 0; at < nids; at += STORE_BATCH) {
        bind_batch(s, 1, ids + at, nids - at < STORE_BATCH ? nids - at : STORE_BATCH);
        if ((rc = store_append_strs(s, a, &v, &count, &cap))) return rc;
    }
    *tags = v;
    *n = count;
    return PL_OK;
}
