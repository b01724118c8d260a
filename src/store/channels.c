/*
 * channels.c — channels (group accounts with a channels row), their roles and pinned
 * announcements, the posts shared to them, and which channels someone is in.
 *
 * Members are the channel account's followers (follows rows), so joining is following and the
 * member list is the follower list; the "everyone" channel has every account as a member
 * without rows. A channel's posts are statuses with channel_id set (statuses_channel index);
 * nothing is written per member when someone posts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/channels.h"
#include "store/graph.h"
#include "store/query.h"
#include "store/tags.h"

#define CHANNEL_COLS "account_id, is_private, is_everyone, posting, created_by, created_at"

static void read_channel(db_stmt *s, pl_channel *o)
{
    o->id = db_col_i64(s, 0);
    o->is_private = db_col_i64(s, 1);
    o->is_everyone = db_col_i64(s, 2);
    o->posting = (int)db_col_i64(s, 3);
    o->created_by = db_col_i64(s, 4);
    o->created_at = db_col_i64(s, 5);
}

int store_channel_insert(db *d, const pl_channel *ch)
{
    PREPARE(s, d, "INSERT INTO channels (" CHANNEL_COLS ") VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, ch->id);
    db_bind_i64(s, 2, ch->is_private);
    db_bind_i64(s, 3, ch->is_everyone);
    db_bind_i64(s, 4, ch->posting);
    db_bind_i64(s, 5, ch->created_by);
    db_bind_i64(s, 6, ch->created_at);
    return db_step_done(s);
}

int store_channel_get(db *d, int64_t id, pl_channel *out)
{
    PREPARE(s, d, "SELECT " CHANNEL_COLS " FROM channels WHERE account_id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_channel(s, out);
    db_reset(s);
    return PL_OK;
}

int store_channel_everyone(db *d, pl_channel *out)
{
    PREPARE(s, d, "SELECT " CHANNEL_COLS " FROM channels WHERE is_everyone = 1");
    int rc = step_one(s);
    if (rc) return rc;
    read_channel(s, out);
    db_reset(s);
    return PL_OK;
}

int store_channel_update(db *d, const pl_channel *ch)
{
    db_touch(d, TOUCH_ACCOUNT, ch->id);
    /* a private channel's posts are not counted for trending tags: made private or public,
     * its tagged posts are taken out of the counts as they were and counted as they are; and
     * every member's account shows a following_count that counts open channels only
     * (profile_following_count): the members are too many to name, so every cache starts
     * again (a rare act) */
    PREPARE(q, d, "SELECT is_private FROM channels WHERE account_id = ?");
    db_bind_i64(q, 1, ch->id);
    int rc = step_one(q);
    if (rc && rc != PL_ENOTFOUND) return rc;
    bool recount = rc == PL_OK && (db_col_i64(q, 0) != 0) != (ch->is_private != 0);
    if (rc == PL_OK) db_reset(q);
    if (recount) db_touch(d, TOUCH_EVERYTHING, 0);
    if (recount && (rc = store_tag_days_count_channel(d, ch->id, -1))) return rc;
    PREPARE(s, d, "UPDATE channels SET is_private = ?, posting = ? WHERE account_id = ?");
    db_bind_i64(s, 1, ch->is_private);
    db_bind_i64(s, 2, ch->posting);
    db_bind_i64(s, 3, ch->id);
    if ((rc = db_step_done(s))) return rc;
    return recount ? store_tag_days_count_channel(d, ch->id, 1) : PL_OK;
}

int store_channels_list(db *d, int64_t member, const pl_page *p, arena *a, pl_idlist *out)
{
    if (member) {
        /* the everyone channel, and the member's follows that are channels, walked by the
         * follows' key in id order: a person's follows, never every channel of the company
         * probed for a follow */
#define MINE                                                                                       \
    "SELECT id, id FROM (SELECT c.account_id AS id FROM channels c WHERE c.is_everyone = 1 "       \
    "UNION ALL SELECT f.target_id FROM follows f CROSS JOIN channels c WHERE f.account_id = ? "    \
    "AND c.account_id = f.target_id AND c.is_everyone = 0) mine WHERE 1 = 1"
        return store_paged(d, MINE PAGE_DESC("id"), MINE PAGE_ASC("id"), &member, 1, NULL, p, a,
                           out);
#undef MINE
    }
#define ALL "SELECT account_id, account_id FROM channels WHERE 1 = 1"
    return store_paged(d, ALL PAGE_DESC("account_id"), ALL PAGE_ASC("account_id"), NULL, 0, NULL, p,
                       a, out);
#undef ALL
}

int store_channels_of(db *d, int64_t member, arena *a, pl_list_member **out, int *n)
{
    /* the everyone channel, and the member's follows that are channels: a person's follows,
     * not every channel of the company (nor, on PostgreSQL, every account) probed for a
     * follow (issue 10, item 29) */
    PREPARE(s, d,
            "SELECT c.account_id, COALESCE(a.last_status_at, 0) FROM channels c "
            "JOIN accounts a ON a.id = c.account_id WHERE c.is_everyone = 1 "
            "UNION ALL SELECT c.account_id, COALESCE(a.last_status_at, 0) FROM follows f "
            "CROSS JOIN channels c CROSS JOIN accounts a WHERE f.account_id = ? "
            "AND c.account_id = f.target_id AND c.is_everyone = 0 AND a.id = c.account_id");
    db_bind_i64(s, 1, member);
    int cap = 8, count = 0, rc;
    pl_list_member *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            pl_list_member *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
            memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        v[count++] = (pl_list_member){.account_id = db_col_i64(s, 0),
                                      .last_status_at = db_col_i64(s, 1),
                                      .show_reblogs = true};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_following_seen_by(db *d, int64_t account_id, int64_t viewer, const pl_page *p, arena *a,
                            pl_idlist *out)
{
    /* left out in the query, not after it, so that a page stays full */
    int64_t args[2] = {account_id, viewer};
#define SEEN                                                                                       \
    "SELECT f.target_id, f.id FROM follows f WHERE f.account_id = ? AND NOT EXISTS "               \
    "(SELECT 1 FROM channels ch WHERE ch.account_id = f.target_id AND ch.is_private = 1 "          \
    "AND NOT EXISTS (SELECT 1 FROM follows m WHERE m.account_id = ? "                              \
    "AND m.target_id = f.target_id))"
    return store_paged(d, SEEN PAGE_DESC("f.id"), SEEN PAGE_ASC("f.id"), args, 2, NULL, p, a, out);
#undef SEEN
}

int store_private_channels_followed(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d,
            "SELECT count(*) FROM follows f JOIN channels ch ON ch.account_id = f.target_id "
            "WHERE f.account_id = ? AND ch.is_private = 1");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_channel_role(db *d, int64_t channel_id, int64_t account_id, int *role)
{
    *role = ROLE_NONE;
    PREPARE(s, d, "SELECT role FROM channel_roles WHERE channel_id = ? AND account_id = ?");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, account_id);
    int rc = db_step(s);
    if (rc == DB_ROW) *role = (int)db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_channel_role_set(db *d, int64_t channel_id, int64_t account_id, int role)
{
    if (role == ROLE_NONE) {
        PREPARE(s, d, "DELETE FROM channel_roles WHERE channel_id = ? AND account_id = ?");
        db_bind_i64(s, 1, channel_id);
        db_bind_i64(s, 2, account_id);
        return db_step_done(s);
    }
    PREPARE(s, d,
            "INSERT INTO channel_roles (channel_id, account_id, role) VALUES (?, ?, ?) "
            "ON CONFLICT (channel_id, account_id) DO UPDATE SET role = excluded.role");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, role);
    return db_step_done(s);
}

int store_channel_moderators(db *d, int64_t channel_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT r.account_id FROM channel_roles r JOIN follows f ON f.account_id = "
            "r.account_id AND f.target_id = r.channel_id WHERE r.channel_id = ? AND r.role >= ? "
            "ORDER BY r.account_id");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, ROLE_MODERATOR);
    return store_collect_ids(s, a, ids, n);
}

int store_channel_role_count(db *d, int64_t channel_id, int role, int64_t *n)
{
    PREPARE(s, d, "SELECT COUNT(*) FROM channel_roles WHERE channel_id = ? AND role = ?");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, role);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_channel_roles(db *d, int64_t channel_id, const int64_t *ids, int n, int *roles)
{
    for (int i = 0; i < n; i++) roles[i] = ROLE_NONE;
    for (int at = 0; at < n; at += STORE_BATCH) {
        int take = n - at < STORE_BATCH ? n - at : STORE_BATCH;
        PREPARE(s, d,
                "SELECT account_id, role FROM channel_roles WHERE channel_id = ? "
                "AND account_id IN (" IN_BATCH ")");
        db_bind_i64(s, 1, channel_id);
        bind_batch(s, 2, ids + at, take);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t who = db_col_i64(s, 0);
            for (int i = at; i < at + take; i++)
                if (ids[i] == who) roles[i] = (int)db_col_i64(s, 1);
        }
        db_reset(s);
        if (rc != DB_DONE) return rc;
    }
    return PL_OK;
}

int store_statuses_by_channel(db *d, int64_t channel_id, const pl_page *p, arena *a, pl_idlist *out)
{
#define BY_CHANNEL "SELECT id, id FROM statuses WHERE channel_id = ? AND channel_removed = 0"
    return store_paged(d, BY_CHANNEL PAGE_DESC("id"), BY_CHANNEL PAGE_ASC("id"), &channel_id, 1,
                       NULL, p, a, out);
#undef BY_CHANNEL
}

int store_statuses_by_channels(db *d, const int64_t *channels, int n, int64_t above, int64_t below,
                               int limit, arena *a, pl_idlist *out)
{
    /* as store_statuses_by_accounts, one descent of statuses_channel per channel */
    static const char *const sqlite_sql =
        "SELECT id FROM statuses WHERE channel_id IN (" IN_BATCH ") AND channel_removed = 0 AND "
        "id > ? AND id < ? ORDER BY id DESC LIMIT ?";
    static const char *const pg_sql =
        "SELECT w.id FROM " KEYS_TABLE " CROSS JOIN LATERAL (SELECT id FROM statuses WHERE "
        "channel_id = k.key AND channel_removed = 0 AND id > ? AND id < ? ORDER BY id DESC LIMIT "
        "?) w ORDER BY w.id DESC";
    return store_window_ids(d, store_is_postgres(d) ? pg_sql : sqlite_sql, channels, n, above,
                            below, limit, a, out);
}

int store_status_channel_remove(db *d, int64_t status_id)
{
    /* the channel stream's readers take it off their screens as a delete (EV_DELETE_CHANNEL),
     * as they would a deleted post: it has left the channel's timeline */
    PREPARE(q, d,
            "SELECT account_id, COALESCE(channel_id, 0) FROM statuses "
            "WHERE id = ? AND channel_removed = 0");
    db_bind_i64(q, 1, status_id);
    int rc = step_one(q);
    if (rc == PL_ENOTFOUND) return PL_OK; /* not in a channel, or removed already */
    if (rc) return rc;
    int64_t author = db_col_i64(q, 0), channel = db_col_i64(q, 1);
    db_reset(q);
    if (channel) db_event(d, EV_DELETE_CHANNEL, status_id, author, channel);
    db_touch(d, TOUCH_STATUS, status_id);
    /* a post removed from its channel no longer counts for trending tags */
    if ((rc = store_tag_days_count(d, status_id, NULL, -1))) return rc;
    PREPARE(s, d, "UPDATE statuses SET channel_removed = 1 WHERE id = ?");
    db_bind_i64(s, 1, status_id);
    rc = db_step_done(s);
    if (!rc) rc = store_tag_days_count(d, status_id, NULL, 1);
    if (rc) return rc;
    PREPARE(p, d, "DELETE FROM channel_pins WHERE status_id = ?");
    db_bind_i64(p, 1, status_id);
    return db_step_done(p);
}

int store_channel_pin_add(db *d, int64_t channel_id, int64_t status_id, int64_t by, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO channel_pins (channel_id, status_id, created_at, pinned_by) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, status_id);
    db_bind_i64(s, 3, now);
    if (by)
        db_bind_i64(s, 4, by);
    else
        db_bind_null(s, 4);
    return db_step_done(s);
}

int store_channel_pin_remove(db *d, int64_t channel_id, int64_t status_id)
{
    PREPARE(s, d, "DELETE FROM channel_pins WHERE channel_id = ? AND status_id = ?");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, status_id);
    return db_step_done(s);
}

int store_channel_pins(db *d, int64_t channel_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT status_id FROM channel_pins WHERE channel_id = ? "
            "ORDER BY created_at DESC, status_id DESC");
    db_bind_i64(s, 1, channel_id);
    return store_collect_ids(s, a, ids, n);
}

int store_channels_created_by(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "SELECT COUNT(*) FROM channels WHERE created_by = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_people(db *d, const pl_page *p, arena *a, pl_idlist *out)
{
#define PEOPLE "SELECT id, id FROM accounts WHERE is_group = 0 AND is_disabled = 0"
    return store_paged(d, PEOPLE PAGE_DESC("id"), PEOPLE PAGE_ASC("id"), NULL, 0, NULL, p, a, out);
#undef PEOPLE
}

int store_merge_candidates(db *d, arena *a, pl_merge_candidate **out, int *n)
{
    PREPARE(s, d,
            "SELECT id, 0 AS kind, COALESCE(last_status_at, 0) FROM accounts WHERE is_big = 1 "
            "AND is_group = 0 UNION ALL SELECT a.id, 1, COALESCE(a.last_status_at, 0) FROM "
            "accounts a WHERE a.is_group = 1 AND NOT EXISTS (SELECT 1 FROM channels c WHERE "
            "c.account_id = a.id AND c.is_everyone = 1) UNION ALL SELECT a.id, 2, "
            "COALESCE(a.last_status_at, 0) FROM channels c JOIN accounts a ON a.id = c.account_id "
            "WHERE c.is_everyone = 1 ORDER BY 2, 1");
    int cap = 16, count = 0, rc;
    pl_merge_candidate *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            v = arena_grow(a, v, (size_t)cap, (size_t)cap * 2, sizeof *v);
            cap *= 2;
        }
        v[count++] = (pl_merge_candidate){.id = db_col_i64(s, 0),
                                          .kind = (int)db_col_i64(s, 1),
                                          .last_status_at = db_col_i64(s, 2)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return (p > q) - (p < q);
}

static bool in_sorted(const int64_t *v, int n, int64_t id)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == id;
}

int store_merge_sources_of(db *d, int64_t viewer, const pl_merge_candidate *cand, int n_cand,
                           const int64_t *following, int n_following, arena *a,
                           pl_merge_source **out, int *n)
{
    /* the viewer's own part: the follows hiding boosts (kind 4, first: the big accounts below
     * need them), the exclusive lists' members (2) and the followed hashtags (3; at most
     * max_followed_tags, a limit kept on follow) */
    PREPARE(s, d,
            "SELECT target_id, 4, NULL FROM follows WHERE account_id = ? AND show_reblogs = 0 "
            "UNION ALL SELECT m.account_id, 2, NULL FROM lists l JOIN list_accounts m "
            "ON m.list_id = l.id WHERE l.account_id = ? AND l.is_exclusive = 1 "
            "UNION ALL SELECT 0, 3, tag FROM tag_follows WHERE account_id = ?");
    db_bind_i64(s, 1, viewer);
    db_bind_i64(s, 2, viewer);
    db_bind_i64(s, 3, viewer);
    int cap = n_cand + 8, count = 0, rc;
    pl_merge_source *v = arena_alloc(a, sizeof *v * (size_t)cap);
    int64_t *hiding = NULL;
    int n_hiding = 0, cap_hiding = 0;
    pl_merge_source *own = NULL; /* the lists' members and the tags, after the candidates */
    int n_own = 0, cap_own = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        int kind = (int)db_col_i64(s, 1);
        if (kind == 4) {
            if (n_hiding == cap_hiding) {
                int c2 = cap_hiding ? cap_hiding * 2 : 8;
                hiding = hiding
                             ? arena_grow(a, hiding, (size_t)cap_hiding, (size_t)c2, sizeof *hiding)
                             : arena_alloc(a, sizeof *hiding * (size_t)c2);
                cap_hiding = c2;
            }
            hiding[n_hiding++] = db_col_i64(s, 0);
            continue;
        }
        if (n_own == cap_own) {
            int c2 = cap_own ? cap_own * 2 : 8;
            own = own ? arena_grow(a, own, (size_t)cap_own, (size_t)c2, sizeof *own)
                      : arena_alloc(a, sizeof *own * (size_t)c2);
            cap_own = c2;
        }
        own[n_own++] = (pl_merge_source){
            .id = db_col_i64(s, 0), .excluded = kind == 2, .tag = col_str(s, 2, a)};
    }
    db_reset(s);
    if (rc < 0) return rc;
    if (n_hiding) qsort(hiding, (size_t)n_hiding, sizeof *hiding, cmp_i64);
    for (int i = 0; i < n_cand; i++) {
        const pl_merge_candidate *m = &cand[i];
        if (m->kind != MERGE_EVERYONE && !in_sorted(following, n_following, m->id)) continue;
        v[count++] = (pl_merge_source){.id = m->id,
                                       .last_status_at = m->last_status_at,
                                       .show_reblogs = m->kind != MERGE_BIG ||
                                                       !in_sorted(hiding, n_hiding, m->id),
                                       .channel = m->kind != MERGE_BIG};
    }
    if (count + n_own > cap) {
        v = arena_grow(a, v, (size_t)cap, (size_t)(count + n_own), sizeof *v);
        cap = count + n_own;
    }
    if (n_own) memcpy(v + count, own, sizeof *own * (size_t)n_own);
    *out = v;
    *n = count + n_own;
    return PL_OK;
}

int store_merge_sources(db *d, int64_t viewer, arena *a, pl_merge_source **out, int *n)
{
    pl_merge_candidate *cand;
    int n_cand, n_following;
    int64_t *following;
    int rc = store_merge_candidates(d, a, &cand, &n_cand);
    if (!rc) rc = store_following_ids(d, viewer, 0, a, &following, &n_following); /* sorted */
    if (rc) return rc;
    return store_merge_sources_of(d, viewer, cand, n_cand, following, n_following, a, out, n);
}

int store_channel_roles_held(db *d, int64_t account_id, int role, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT channel_id FROM channel_roles WHERE account_id = ? AND role = ? "
            "ORDER BY channel_id");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, role);
    return store_collect_ids(s, a, ids, n);
}

int store_channel_successor(db *d, int64_t channel_id, int64_t leaving, int64_t *id, bool *owner)
{
    PREPARE(s, d,
            "SELECT r.account_id, r.role FROM channel_roles r "
            "JOIN follows f ON f.account_id = r.account_id AND f.target_id = r.channel_id "
            "JOIN accounts a ON a.id = r.account_id "
            "WHERE r.channel_id = ? AND r.account_id <> ? AND r.role >= ? AND a.is_disabled = 0 "
            "ORDER BY r.role DESC, f.created_at, r.account_id LIMIT 1");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, leaving);
    db_bind_i64(s, 3, ROLE_MODERATOR);
    int rc = step_one(s);
    if (rc) return rc;
    *id = db_col_i64(s, 0);
    *owner = db_col_i64(s, 1) == ROLE_OWNER;
    db_reset(s);
    return PL_OK;
}

int store_channel_roles_drop(db *d, int64_t account_id, int64_t *n)
{
    PREPARE(s, d, "DELETE FROM channel_roles WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = db_step_done(s);
    if (!rc) *n = db_changes(d);
    return rc;
}
