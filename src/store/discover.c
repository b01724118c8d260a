/*
 * discover.c — the SQL of finding people: the directory, suggestion candidates, dismissed
 * suggestions and familiar followers.
 *
 * Every exclusion is written in the query, not applied afterwards, so that a page stays full
 * and nothing excluded is read into the request at all; and every query reads a bounded
 * stretch of an index: the directory walks accounts_active (migration 036) or the primary key
 * in its order, 40 accounts at a time from where the last stretch ended (a cursor, so a deep
 * page walks offset + limit accounts once), and keeps the listed ones; a suggestion source reads
 * its bounded range first (a channel's newest members through follows_target, the most followed
 * accounts through accounts_by_followers) and then filters those ids by key, 40 a query. Two steps
 * rather than one join because PostgreSQL's generic plan for the join read every account and joined
 * the range to it; a lookup by key is the one plan both databases always take. Never: decide who
 * may see a private channel (app/discover.c asks app/channels.c).
 */
#include "store/discover.h"
#include "store/query.h"

/* Listed at all: what the directory and suggestions both require of account a. */
#define LISTED                                                                                     \
    " a.is_disabled = 0 AND a.is_approved = 1 AND a.is_confirmed = 1 AND a.is_discoverable = 1"
/* Not blocked either way, not muted (while the mute lasts): binds viewer, viewer, viewer, now. */
#define NOT_SHUNNED                                                                                \
    " AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.account_id = ? AND x.target_id = a.id)"       \
    " AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.account_id = a.id AND x.target_id = ?)"       \
    " AND NOT EXISTS (SELECT 1 FROM mutes x WHERE x.account_id = ? AND x.target_id = a.id"         \
    " AND (x.expires_at IS NULL OR x.expires_at > ?))"
/* A suggestion besides: binds viewer ×4 (self, follow, request, dismissal), then NOT_SHUNNED's. */
#define SUGGESTIBLE                                                                                \
    LISTED                                                                                         \
    " AND a.id <> ?"                                                                               \
    " AND NOT EXISTS (SELECT 1 FROM channels e WHERE e.account_id = a.id"                          \
    " AND e.is_everyone = 1)"                                                                      \
    " AND NOT EXISTS (SELECT 1 FROM follows x WHERE x.account_id = ? AND x.target_id = a.id)"      \
    " AND NOT EXISTS (SELECT 1 FROM follow_requests x WHERE x.account_id = ?"                      \
    " AND x.target_id = a.id)"                                                                     \
    " AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals x WHERE x.account_id = ?"                \
    " AND x.target_id = a.id)" NOT_SHUNNED

static int bind_shunned(db_stmt *s, int i, int64_t viewer, int64_t now)
{
    db_bind_i64(s, i++, viewer);
    db_bind_i64(s, i++, viewer);
    db_bind_i64(s, i++, viewer);
    db_bind_i64(s, i++, now);
    return i;
}

static int bind_suggestible(db_stmt *s, int i, int64_t viewer, int64_t now)
{
    for (int k = 0; k < 4; k++) db_bind_i64(s, i++, viewer);
    return bind_shunned(s, i, viewer, now);
}

/* One stretch of the directory's order after the cursor (at, id), at most STORE_BATCH
 * accounts, whatever they are: an index range with nothing a planner could misjudge. Phase 0
 * of order=active is the accounts that posted, by (last_status_at, id) descending; phase 1
 * (and all of order=new) the others, by id descending. */
static int walk_stretch(db *d, int order, int phase, int64_t at, int64_t id, arena *a,
                        int64_t **ids, int64_t **ats, int *n)
{
    db_stmt *s;
    if (order == DIRECTORY_NEW) {
        PREPARE(q, d, "SELECT id, 0 FROM accounts WHERE id < ? ORDER BY id DESC LIMIT ?");
        s = q;
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, STORE_BATCH);
    } else if (phase == 0) {
        /* NULLS LAST: SQLite's own order for DESC, and accounts_active's on PostgreSQL */
        PREPARE(q, d,
                "SELECT id, last_status_at FROM accounts WHERE last_status_at IS NOT NULL "
                "AND (last_status_at, id) < (?, ?) "
                "ORDER BY last_status_at DESC NULLS LAST, id DESC LIMIT ?");
        s = q;
        db_bind_i64(s, 1, at);
        db_bind_i64(s, 2, id);
        db_bind_i64(s, 3, STORE_BATCH);
    } else {
        PREPARE(q, d,
                "SELECT id, 0 FROM accounts WHERE last_status_at IS NULL AND id < ? "
                "ORDER BY last_status_at DESC NULLS LAST, id DESC LIMIT ?");
        s = q;
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, STORE_BATCH);
    }
    *ids = arena_alloc(a, sizeof **ids * STORE_BATCH);
    *ats = arena_alloc(a, sizeof **ats * STORE_BATCH);
    int rc, k = 0;
    while ((rc = db_step(s)) == DB_ROW && k < STORE_BATCH) {
        (*ids)[k] = db_col_i64(s, 0);
        (*ats)[k++] = db_col_i64(s, 1);
    }
    db_reset(s);
    *n = k;
    return rc < 0 ? rc : PL_OK;
}

/* Which of ids[0..n) (n <= STORE_BATCH) are listed in viewer's directory: *yes, unordered. */
static int listed_of(db *d, int64_t viewer, int64_t now, const int64_t *ids, int n, arena *a,
                     int64_t **yes, int *nyes)
{
    PREPARE(s, d,
            "SELECT a.id FROM accounts a WHERE a.id IN (" IN_BATCH ") AND" LISTED NOT_SHUNNED);
    bind_batch(s, 1, ids, n);
    bind_shunned(s, 1 + STORE_BATCH, viewer, now);
    return store_collect_ids(s, a, yes, nyes);
}

int store_directory(db *d, int64_t viewer, int order, int offset, int limit, int64_t now, arena *a,
                    int64_t **ids, int *n)
{
    int64_t *out = arena_alloc(a, sizeof *out * (size_t)(limit > 0 ? limit : 1));
    int count = 0, skip = offset, phase = 0;
    int64_t at = INT64_MAX, id = INT64_MAX;
    while (count < limit) {
        int64_t *v, *ats, *yes;
        int k, nyes, rc = walk_stretch(d, order, phase, at, id, a, &v, &ats, &k);
        if (rc) return rc;
        if (k == 0) {
            if (order == DIRECTORY_NEW || phase == 1) break;
            phase = 1; /* those who never posted, after all who did */
            id = INT64_MAX;
            continue;
        }
        if ((rc = listed_of(d, viewer, now, v, k, a, &yes, &nyes))) return rc;
        for (int i = 0; i < k && count < limit; i++)
            for (int j = 0; j < nyes; j++)
                if (yes[j] == v[i]) {
                    if (skip > 0)
                        skip--;
                    else
                        out[count++] = v[i];
                    break;
                }
        at = ats[k - 1];
        id = v[k - 1];
        if (k < STORE_BATCH && (order == DIRECTORY_NEW || phase == 1)) break;
    }
    *ids = out;
    *n = count;
    return PL_OK;
}

/* Keeps, of ids[0..n) in their order, those SUGGESTIBLE to viewer: one query per
 * STORE_BATCH ids, each a lookup by key, into *out (arena). */
static int keep_suggestible(db *d, int64_t viewer, int64_t now, const int64_t *ids, int n, arena *a,
                            int64_t **out, int *nout)
{
    PREPARE(s, d, "SELECT a.id FROM accounts a WHERE a.id IN (" IN_BATCH ") AND" SUGGESTIBLE);
    int64_t *kept = arena_alloc(a, sizeof *kept * (size_t)(n ? n : 1));
    int count = 0;
    for (int at = 0; at < n; at += STORE_BATCH) {
        int len = n - at < STORE_BATCH ? n - at : STORE_BATCH;
        bind_batch(s, 1, ids + at, len);
        bind_suggestible(s, 1 + STORE_BATCH, viewer, now);
        int64_t *yes;
        int nyes, rc = store_collect_ids(s, a, &yes, &nyes);
        if (rc) return rc;
        for (int i = 0; i < len; i++)
            for (int j = 0; j < nyes; j++)
                if (yes[j] == ids[at + i]) {
                    kept[count++] = ids[at + i];
                    break;
                }
    }
    *out = kept;
    *nout = count;
    return PL_OK;
}

int store_suggest_members(db *d, int64_t viewer, int64_t channel_id, int reads, int64_t now,
                          arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT account_id FROM follows WHERE target_id = ? ORDER BY id DESC LIMIT ?");
    db_bind_i64(s, 1, channel_id);
    db_bind_i64(s, 2, reads);
    int64_t *read;
    int nread, rc = store_collect_ids(s, a, &read, &nread);
    return rc ? rc : keep_suggestible(d, viewer, now, read, nread, a, ids, n);
}

int store_suggest_most_followed(db *d, int64_t viewer, int reads, int64_t now, arena *a,
                                int64_t **ids, int *n)
{
    /* someone nobody follows is not "most followed", however small the company */
    PREPARE(s, d,
            "SELECT id FROM accounts WHERE followers_count > 0 "
            "ORDER BY followers_count DESC, id LIMIT ?");
    db_bind_i64(s, 1, reads);
    int64_t *read;
    int nread, rc = store_collect_ids(s, a, &read, &nread);
    return rc ? rc : keep_suggestible(d, viewer, now, read, nread, a, ids, n);
}

int store_suggestion_dismiss(db *d, int64_t viewer, int64_t target, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO suggestion_dismissals (account_id, target_id, created_at) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, viewer);
    db_bind_i64(s, 2, target);
    db_bind_i64(s, 3, now);
    return db_step_done(s);
}

int store_follows_latest(db *d, int64_t account_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT target_id FROM follows WHERE account_id = ? ORDER BY id DESC");
    db_bind_i64(s, 1, account_id);
    return store_collect_ids(s, a, ids, n);
}

int store_followers_all(db *d, int64_t target_id, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d, "SELECT account_id FROM follows WHERE target_id = ?");
    db_bind_i64(s, 1, target_id);
    return store_collect_ids(s, a, ids, n);
}
