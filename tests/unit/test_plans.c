/*
 * test_plans.c — the query plans of the hot statements (issue 10, items 29 and 30): SQLite's
 * EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN of the generic plan when
 * PARTYLINE_TEST_DATABASE names a server (see test_db.h).
 *
 * A small company is written, the store functions behind the public timeline, the home feed,
 * trends, the instance's counts and the deletes are called once each, and then every
 * statement they prepared is explained: the very texts the store runs (db_each_statement),
 * not copies. Each is checked twice, before and after ANALYZE, so a plan right only with
 * statistics, or only without, fails: a plan must never depend on how big the company is or
 * whether statistics were gathered yet.
 *
 * The rules: none of those statements reads the whole feed table or the whole post table,
 * and the hottest ones use the index they were written for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/accounts.h"
#include "store/channels.h"
#include "store/discover.h"
#include "store/featured_tags.h"
#include "store/graph.h"
#include "store/migrate.h"
#include "store/notify.h"
#include "store/notify_policy.h"
#include "store/posts.h"
#include "store/search.h"
#include "store/tags.h"
#include "store/timeline.h"
#include "store/top.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
    bool pg;
} g;

static arena A = ARENA_INIT;

/* Small, but shaped like a company in the one way PostgreSQL's generic plans care about:
 * more people than a feed's share of the feed table (each follows FOLLOWS others), so one
 * person's feed is rarer than a default range of posts. With 30 people who all follow each
 * other, PostgreSQL's generic plan for a home page walked timeline_status backwards, which is
 * right for such a company (each post is in most feeds) and wrong for any real one. */
enum { PEOPLE = 400, FOLLOWS = 12, POSTS = 3000, FIRST_POST = 1000 };
/* People who neither post nor follow, so the accounts and their names outnumber one search's
 * matches as in a company (account search, migration 028): with 400 accounts PostgreSQL
 * rightly reads the whole table, which says nothing about 10,000. */
enum { STAFF = 3000, FIRST_STAFF = 100000 };
/* Every BIG_EVERY-th person is big: 8 of the 400 */
enum { BIG_EVERY = 50 };
enum { CHANNELS = 5, FIRST_CHANNEL = 50000 };
#define T0 1795687315123LL

/* ------------------------------------------------------------------------------------------ */
/* The company                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void add_account(int64_t id)
{
    char *name = arena_printf(&A, id >= FIRST_STAFF ? "staff%lld" : "user%lld", (long long)id);
    pl_account a = {.id = id,
                    .username = name,
                    .email = arena_printf(&A, "%s@example.com", name),
                    .display_name = name,
                    .password_hash = "hash",
                    .is_discoverable = true,
                    .is_approved = true,
                    .created_at = T0};
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

/* A channel: its group account and its channels row (the first is the everyone channel). */
static void add_channel(int64_t id, bool everyone)
{
    char *name = arena_printf(&A, "chan%lld", (long long)id);
    pl_account a = {.id = id,
                    .username = name,
                    .email = arena_printf(&A, "%s@example.com", name),
                    .display_name = name,
                    .password_hash = "hash",
                    .is_group = true,
                    .is_approved = true,
                    .created_at = T0};
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
    pl_channel ch = {.id = id, .is_everyone = everyone, .created_by = 1, .created_at = T0};
    assert_int_equal(store_channel_insert(g.d, &ch), PL_OK);
}

/* Posts by everyone, mostly public, a few replies and boosts (as in life: most rows have no
 * reply and no boost), each in its author's followers' feeds. */
static void add_company(void)
{
    for (int64_t i = 1; i <= PEOPLE; i++) add_account(i);
    for (int64_t i = 0; i < STAFF; i++) add_account(FIRST_STAFF + i);
    int64_t fid = 1;
    for (int64_t i = 1; i <= PEOPLE; i++)
        for (int64_t k = 1; k <= FOLLOWS; k++)
            assert_int_equal(
                store_follow_insert(g.d, fid++, i, 1 + (i - 1 + k) % PEOPLE, true, false, T0),
                PL_OK);
    /* the everyone channel and a few others, person 3 in one of them */
    for (int64_t i = 0; i < CHANNELS; i++) add_channel(FIRST_CHANNEL + i, i == 0);
    assert_int_equal(store_follow_insert(g.d, fid++, 3, FIRST_CHANNEL + 1, true, false, T0), PL_OK);
    /* a few big accounts (merged into home on read), as in a company */
    for (int64_t i = BIG_EVERY; i <= PEOPLE; i += BIG_EVERY)
        assert_int_equal(store_account_set_big(g.d, i, true), PL_OK);
    for (int64_t k = 0; k < POSTS; k++) {
        int64_t id = FIRST_POST + k;
        pl_status s = {.id = id,
                       .account_id = 1 + k % PEOPLE,
                       .visibility = k % 10 == 9 ? VIS_UNLISTED : VIS_PUBLIC,
                       .text = "hello #tag",
                       .content = "<p>hello</p>",
                       .spoiler_text = "",
                       .created_at = T0 + k * 1000};
        if (k % 50 == 7) s.in_reply_to_id = id - 1, s.in_reply_to_account_id = 1 + (k - 1) % PEOPLE;
        if (k % 50 == 8) s.reblog_of_id = id - 2, s.text = s.content = "";
        assert_int_equal(store_status_insert(g.d, &s), PL_OK);
        if (k % 5 == 0) assert_int_equal(store_status_tag_add(g.d, id, "tag"), PL_OK);
        int64_t n = 0;
        assert_int_equal(store_timeline_fanout(g.d, s.account_id, id, 0, s.reblog_of_id != 0, &n),
                         PL_OK);
    }
}

/* Counts of tag uses as a company that has been talking for a while has them (migration 027):
 * many tags over many days, each day's authors, so that statistics show big tables. */
static void add_tag_history(void)
{
    db_stmt *days = db_prepare(g.d, "INSERT INTO tag_days (tag, day, uses, accounts, trend_uses, "
                                    "trend_accounts) VALUES (?, ?, 3, 3, 3, 3)");
    db_stmt *shares = db_prepare(g.d, "INSERT INTO tag_day_accounts (tag, day, account_id, uses, "
                                      "trend_uses) VALUES (?, ?, ?, 1, 1)");
    assert_non_null(days);
    assert_non_null(shares);
    for (int t = 0; t < 100; t++)
        for (int day = 1; day <= 60; day++) {
            char tag[16];
            snprintf(tag, sizeof tag, "old%d", t);
            db_bind_text(days, 1, tag, -1);
            db_bind_i64(days, 2, day);
            assert_int_equal(db_step_done(days), PL_OK);
            for (int a = 1; a <= 3; a++) {
                db_bind_text(shares, 1, tag, -1);
                db_bind_i64(shares, 2, day);
                db_bind_i64(shares, 3, a);
                assert_int_equal(db_step_done(shares), PL_OK);
            }
        }
}

static int group_setup(void **state)
{
    (void)state;
    if (test_db_open_migrated("/tmp/pl-plans-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
                              sizeof g.path, &g.d))
        return -1;
    g.pg = strcmp(db_driver_name(g.d), "postgres") == 0;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "test.db", g.d);
    arena_free(&A);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Plans                                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
    const char *sql[256];
    int n;
} texts;

static void collect(const char *sql, void *ud)
{
    texts *t = ud;
    if (t->n < 256) t->sql[t->n++] = sql;
}

/* The plan of one statement as text, a line per node. The EXPLAIN statements are prepared
 * with texts that live until the end (db.c caches statements by the address of their text). */
static const char *plan_of(const char *sql)
{
    static int k;
    char *out = arena_strdup(&A, "");
    if (!g.pg) {
        char *text = arena_printf(&A, "EXPLAIN QUERY PLAN %s", sql);
        db_stmt *s = db_prepare(g.d, text);
        assert_non_null(s);
        int nparams = 0;
        for (const char *p = sql; *p; p++) nparams += *p == '?';
        for (int i = 1; i <= nparams; i++) db_bind_i64(s, i, 1);
        int rc;
        while ((rc = db_step(s)) == DB_ROW)
            out = arena_printf(&A, "%s%s\n", out, db_col_text(s, 3));
        db_reset(s);
        assert_int_equal(rc, DB_DONE);
        return out;
    }
    /* PostgreSQL: the generic plan, the one a prepared statement settles on whatever its
     * parameters (PREPARE, then EXPLAIN EXECUTE with NULLs under force_generic_plan) */
    char *body = arena_strdup(&A, "");
    int nparams = 0;
    for (const char *p = sql; *p; p++)
        body = *p == '?' ? arena_printf(&A, "%s$%d", body, ++nparams)
                         : arena_printf(&A, "%s%c", body, *p);
    assert_int_equal(db_exec(g.d, "SET plan_cache_mode = force_generic_plan"), PL_OK);
    char *name = arena_printf(&A, "plan_%d", ++k);
    assert_int_equal(db_exec(g.d, arena_printf(&A, "PREPARE %s AS %s", name, body)), PL_OK);
    char *args = arena_strdup(&A, "");
    for (int i = 1; i <= nparams; i++) args = arena_printf(&A, "%s%sNULL", args, i > 1 ? "," : "");
    char *text = nparams ? arena_printf(&A, "EXPLAIN EXECUTE %s(%s)", name, args)
                         : arena_printf(&A, "EXPLAIN EXECUTE %s", name);
    db_stmt *s = db_prepare(g.d, text);
    assert_non_null(s);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) out = arena_printf(&A, "%s%s\n", out, db_col_text(s, 0));
    db_reset(s);
    assert_int_equal(rc, DB_DONE);
    assert_int_equal(db_exec(g.d, arena_printf(&A, "DEALLOCATE %s", name)), PL_OK);
    return out;
}

/* What a statement's plan must and must not say, by a piece of its text. */
typedef struct {
    const char *where;                 /* a piece of the statement's SQL */
    const char *sqlite_uses, *pg_uses; /* a piece its plan must contain (NULL: no rule) */
} rule;

static const rule rules[] = {
    /* the public timeline: the partial index, in id order, no sort (item 29) */
    {"WHERE visibility = 0 AND reblog_of_id IS NULL AND id <", "USING INDEX statuses_public",
     "statuses_public"},
    /* a post leaves the feeds it reached by their index, not a scan (item 30) */
    {"DELETE FROM timeline WHERE status_id = ?", "USING COVERING INDEX timeline_status",
     "timeline_status"},
    /* an author's posts leave a feed (unfollow, block): one probe per post of the author,
     * by either index of the feed table; the no-scan rule below is what matters */
    {"DELETE FROM timeline WHERE account_id = ? AND status_id IN", NULL, NULL},
    /* the home feed: one range of one feed (each row probed in the small removal queue) */
    {"FROM timeline WHERE account_id = ? AND NOT EXISTS", "USING PRIMARY KEY", "timeline_pkey"},
    /* a deleted post's feed rows a chunk at a time (the request's few, then the queue's) */
    {"DELETE FROM timeline WHERE status_id = ? AND account_id IN", "timeline_status",
     "timeline_status"},
    /* the instance's counts: the running totals (migration 028), 16 rows, never the accounts
     * or the posts */
    {"FROM instance_stats", "SCAN instance_stats", "instance_stats"},
    /* account search (migration 028): how many names start with the prefix, from the names
     * index alone; few: those accounts by their key; many: the accounts most followed first,
     * each tested by the index of its names; following=true: the viewer's follows */
    {"SELECT account_id FROM account_names WHERE name >= ?",
     "COVERING INDEX sqlite_autoindex_account_names_1", "account_names_pkey"},
    {"THEN 1 ELSE 0 END FROM accounts a WHERE a.id IN", "sqlite_autoindex_accounts_1 (id=?)",
     "accounts_pkey"},
    {"ORDER BY a.followers_count DESC, a.id LIMIT", "accounts_by_followers",
     "accounts_by_followers"},
    {"FROM follows f JOIN accounts a", "SEARCH f USING COVERING INDEX", "follows_pkey"},
    /* many names: the tiers there are, then each tier's names with the prefix, one range of
     * account_names_tier each (migration 032) */
    {"SELECT max(x.tier) FROM account_names x", "account_names_tier", "account_names_tier"},
    {"FROM account_names WHERE tier = ? AND name >= ?",
     "account_names_tier (tier=? AND name>? AND name<?)", "account_names_tier"},
    /* ranked search: the newest candidates by the full-text index (SQLite), scored by pl_rank;
     * the words' rarity from a sample of the newest posts' keys; PostgreSQL ranks the
     * candidates it found by their key, never the word's whole posting list */
    {"pl_rank(statuses_fts", "VIRTUAL TABLE INDEX", NULL},
    {"FROM (SELECT id FROM statuses ORDER BY id DESC LIMIT ?)",
     "COVERING INDEX sqlite_autoindex_statuses_1", NULL},
    {"= ANY(CAST(? AS bigint[]))", NULL, "statuses_pkey"},
    /* what home merges on read (the top feed and catch-up read home too): the company's big
     * accounts and channels from their small partial indexes (kept by each loop between
     * requests: issue 17), met with the viewer's follows in memory; per viewer, only the
     * follows that hide boosts, from their own partial index (migration 065), never the
     * follows' rows */
    {"WHERE is_big = 1 AND is_group = 0 UNION ALL", "accounts_big", "accounts_big"},
    {"a.is_group = 1 AND NOT EXISTS", "accounts_group", "accounts_group"},
    {"FROM follows WHERE account_id = ? AND show_reblogs = 0", "follows_hiding_boosts",
     "follows_hiding_boosts"},
    /* the channels one is in (catch-up's announcements): the everyone channel, then the
     * viewer's follows, each looked up in the channels (PostgreSQL, which takes the channels
     * for few, walks them and probes the follows by key; before, it read every account) */
    {"CROSS JOIN channels c CROSS JOIN accounts a WHERE f.account_id = ?",
     "SEARCH c USING INDEX sqlite_autoindex_channels_1 (account_id=?)", "follows_pkey"},
    /* the channels one is in (the directory's ?member=true): the viewer's follows by key, in
     * id order, each looked up in the channels; never every channel probed for a follow */
    {"mine WHERE 1 = 1", "(account_id=? AND target_id>? AND target_id<?)", "follows_pkey"},
    {"SELECT c.account_id AS id FROM channels c WHERE c.is_everyone = 1 UNION",
     "USING INDEX channels_everyone", NULL},
    /* a channel's page and the directory, per channel: the viewer's role, request, follow */
    {"FROM channel_roles WHERE channel_id = ? AND account_id = ?", "channel_roles",
     "channel_roles"},
    {"FROM follow_requests WHERE account_id = ? AND target_id = ?", "follow_requests",
     "follow_requests"},
    /* boosts of a post, replies to a post: the (partial) indexes of non-NULL values */
    {"FROM statuses WHERE reblog_of_id = ?", "statuses_reblog", "statuses_reblog"},
    {"FROM statuses WHERE in_reply_to_id = ?", "statuses_reply", "statuses_reply"},
    /* trending posts: the window's range of the posts with any engagement (migration 027;
     * SQLite; on PostgreSQL see time_window) */
    {"s.favourites_count + s.reblogs_count", "statuses_engaged (id>?)", NULL},
    /* trending tags: one week of tag_days, by day; never the tagged posts (migration 027) */
    {"FROM tag_days WHERE day >= ?", "USING INDEX tag_days_day (day>?)", NULL},
    /* a tag's history and whether it is used: one tag's days (PostgreSQL may take either
     * index for one tag-day: both are unique on it) */
    {"FROM tag_days WHERE tag = ?", "sqlite_autoindex_tag_days_1 (tag=?", "Index"},
    /* counting a use as a post is written, edited or deleted: one author's share of a day */
    {"FROM tag_day_accounts WHERE tag = ?", "sqlite_autoindex_tag_day_accounts_1 (tag=?",
     "tag_day_accounts_pkey"},
    /* a channel made private or public: its own tagged posts */
    {"WHERE s.channel_id = ?", "statuses_channel", "statuses_channel"},
    /* the profile directory: stretches of an index in its order from a cursor (036), then
     * those accounts by key */
    {"(last_status_at, id) < (?, ?)", "accounts_active", "accounts_active"},
    {"WHERE last_status_at IS NULL AND id < ?", "accounts_active", "accounts_active"},
    {"FROM accounts WHERE id < ? ORDER BY id DESC", "sqlite_autoindex_accounts_1", "accounts_pkey"},
    /* suggestions: a channel's newest members, the most followed accounts, each a bounded
     * stretch of its index, then those ids filtered by key */
    {"FROM follows WHERE target_id = ? ORDER BY id DESC LIMIT ?", "follows_target",
     "follows_target"},
    {"WHERE followers_count > 0 ORDER BY followers_count DESC, id LIMIT ?", "accounts_by_followers",
     "accounts_by_followers"},
    {"FROM accounts a WHERE a.id IN (", "sqlite_autoindex_accounts_1 (id=?)", "accounts_pkey"},
    /* familiar followers: the viewer's follows, then which of them follow the target, by the
     * key of follows (never the target's followers: a big account's are most of the company) */
    {"FROM follows WHERE account_id = ? ORDER BY id DESC", "follows_account_id",
     "follows_account_id"},
    {"SELECT account_id FROM follows WHERE target_id = ?", "follows_target", "follows_target"},
    /* featured tags: the person's posts, never the tag's (037) */
    {"CROSS JOIN status_tags t WHERE s.account_id = ?", "statuses_account", "statuses_account"},
    {"SELECT id FROM statuses WHERE account_id = ? ORDER BY id DESC LIMIT ?", "statuses_account",
     "statuses_account"},
    {"FROM status_tags WHERE status_id IN (", "status_tags_status", "status_tags_status"},
    /* notification requests: the recipient's filtered notifications alone, by the partial
     * index that holds only them (043), never the recipient's whole list (the table is empty
     * here, which PostgreSQL rightly reads whole: checked on SQLite) */
    {"FROM notifications WHERE account_id = ? AND filtered = 1", "notifications_filtered", NULL},
};

/* On PostgreSQL a statement whose only bound is a time window given as a parameter
 * ("s.id >= ?", "day >= ?": trends) is planned for its value (custom plans: PostgreSQL keeps them
 * while the generic plan costs more), and the generic plan shown here, which assumes a third of the
 * table, says nothing about it; SQLite's one plan is checked. */
static bool time_window(const char *sql)
{
    return g.pg && (strstr(sql, "WHERE s.id >= ?") || strstr(sql, "WHERE day >= ?"));
}

/* SQLite's plan says SCAN for what reads a bounded part: the full-text index's matches of a
 * word (a virtual table; "MATCH ?" is its index), and ranked search's sample of the newest
 * posts' keys (LIMIT ?: search.c's IDF_SAMPLE). */
static bool bounded_scan(const char *sql)
{
    return !g.pg && (strstr(sql, "WHERE statuses_fts MATCH ?") ||
                     strstr(sql, "FROM (SELECT id FROM statuses ORDER BY id DESC LIMIT ?)"));
}

/* Account search's walk and its following=true read (store/search.c) run only when many
 * names start with the prefix; PostgreSQL's generic plan follows its estimate of how many
 * accounts the LIKE passes, which without statistics is a guess of almost none, so it reads
 * and sorts the accounts (the cost of before migration 028, never more). Checked on
 * PostgreSQL once statistics exist (autovacuum gathers them), on SQLite always. */
static bool needs_statistics(const char *sql, bool analyzed)
{
    return g.pg && !analyzed && strstr(sql, "a.followers_count DESC, a.id LIMIT");
}

/* Neither database may read a whole big table for any of these statements. */
static bool scans_big_table(const char *plan)
{
    static const char *const sqlite_scans[] = {
        "SCAN timeline",   "SCAN statuses",      "SCAN s\n",        "SCAN follows",
        "SCAN f\n",        "SCAN account_names", "SCAN n\n",        "SCAN a\n",
        "SCAN accounts\n", "SCAN bookmarks",     "SCAN favourites", "SCAN notifications"};
    /* (the engagement tables are empty here, and PostgreSQL rightly reads an empty table
     * whole: their indexes are checked on SQLite, whose plans do not depend on sizes) */
    static const char *const pg_scans[] = {"Seq Scan on timeline", "Seq Scan on statuses",
                                           "Seq Scan on follows", "Seq Scan on account_names",
                                           "Seq Scan on accounts"};
    const char *const *v = g.pg ? pg_scans : sqlite_scans;
    size_t n =
        g.pg ? sizeof pg_scans / sizeof *pg_scans : sizeof sqlite_scans / sizeof *sqlite_scans;
    for (size_t i = 0; i < n; i++)
        if (strstr(plan, v[i])) return true;
    return false;
}

/* Explains every statement the calls above prepared; returns the number of rules matched. */
static int check_plans(const char *when, bool analyzed)
{
    texts t = {.n = 0};
    db_each_statement(g.d, collect, &t);
    int matched = 0, failures = 0;
    for (int i = 0; i < t.n; i++) {
        const char *sql = t.sql[i];
        if (strncmp(sql, "EXPLAIN", 7) == 0 || strncmp(sql, "INSERT", 6) == 0) continue;
        const char *plan = plan_of(sql);
        if (needs_statistics(sql, analyzed)) {
            matched++;
            continue;
        }
        if (scans_big_table(plan) && !time_window(sql) && !bounded_scan(sql)) {
            fprintf(stderr, "%s: a whole-table scan in\n  %s\nplan:\n%s", when, sql, plan);
            failures++;
        }
        for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
            if (!strstr(sql, rules[r].where)) continue;
            matched++;
            const char *want = g.pg ? rules[r].pg_uses : rules[r].sqlite_uses;
            if (want && !strstr(plan, want)) {
                fprintf(stderr, "%s: expected \"%s\" in the plan of\n  %s\nplan:\n%s", when, want,
                        sql, plan);
                failures++;
            }
        }
    }
    assert_int_equal(failures, 0);
    return matched;
}

/* The store calls whose statements are checked. */
static void run_hot_queries(void)
{
    pl_page desc = {.limit = 20}, asc = {.limit = 20, .min_id = FIRST_POST + 10};
    pl_idlist out;
    assert_int_equal(store_statuses_public(g.d, &desc, &A, &out), PL_OK);
    assert_int_equal(out.n, 20);
    assert_int_equal(store_statuses_public(g.d, &asc, &A, &out), PL_OK);
    assert_int_equal(store_timeline_page(g.d, 3, &desc, &A, &out), PL_OK);
    assert_true(out.n > 0);
    assert_int_equal(store_statuses_by_tag(g.d, "tag", &desc, &A, &out), PL_OK);
    int64_t users = 0, statuses = 0, *ids;
    int n;
    assert_int_equal(store_stats(g.d, &users, &statuses), PL_OK);
    assert_int_equal(users, PEOPLE + STAFF);
    assert_int_equal(statuses, 0); /* the company's posts went in without their counts */
    /* account search: a rare prefix (sorted), a common one (walked), following=true */
    assert_int_equal(store_search_accounts(g.d, "user12", 5, false, 0, 40, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 11);
    assert_int_equal(store_search_accounts(g.d, "staff", 5, false, 0, 40, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 40);
    assert_int_equal(store_search_accounts(g.d, "staff", 5, true, 0, 40, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_search_accounts(g.d, "user", 5, false, 0, 5, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 5);
    /* ranked search, two words (so their weights are counted) */
    const char *words[] = {"hello", "tag"};
    pl_search ranked = {.terms = words, .n_terms = 2, .candidates = 100};
    assert_int_equal(store_search_statuses(g.d, &ranked, SEARCH_RELEVANCE, 0, 20, &A, &out), PL_OK);
    assert_int_equal(out.n, 20);
    assert_int_equal(store_trend_statuses(g.d, T0, 40, &A, &ids, &n), PL_OK);
    pl_trend_day *days;
    assert_int_equal(store_trend_tag_days(g.d, T0, &A, &days, &n), PL_OK);
    assert_int_equal(store_trend_tag_days(g.d, 0, &A, &days, &n), PL_OK);
    assert_int_equal(n, 1 + 100 * 60); /* "tag" (all its posts on day 0 of the ids), the old */
    pl_tag_day *history;
    assert_int_equal(store_tag_history(g.d, "tag", 0, &A, &history, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(store_tag_used(g.d, "tag"));
    assert_int_equal(store_status_reblogs(g.d, FIRST_POST + 6, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_status_replies(g.d, FIRST_POST + 6, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    /* home's merged sources: person 40 follows 41..52, of whom 50 is big, and is in the
     * everyone channel; person 3 is in a channel too */
    pl_merge_source *src;
    assert_int_equal(store_merge_sources(g.d, 40, &A, &src, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(src[0].id, 50);
    assert_int_equal(src[1].id, FIRST_CHANNEL);
    assert_int_equal(store_merge_sources(g.d, 3, &A, &src, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(src[0].id, FIRST_CHANNEL + 1);
    /* the channel directory and a channel's page, and the channels of catch-up */
    assert_int_equal(store_channels_list(g.d, 0, &desc, &A, &out), PL_OK);
    assert_int_equal(store_channels_list(g.d, 3, &desc, &A, &out), PL_OK);
    assert_int_equal(out.n, 2);
    pl_list_member *chans;
    assert_int_equal(store_channels_of(g.d, 3, &A, &chans, &n), PL_OK);
    assert_int_equal(n, 2);
    int role = -1;
    store_channel_role(g.d, FIRST_CHANNEL + 1, 3, &role);
    assert_false(store_follow_requested(g.d, 3, FIRST_CHANNEL + 2));
    /* finding people (migration 036): the directory in either order (a stretch of those who
     * posted, then of those who did not), the two sources of suggestions (person 3 is the one
     * member of its channel), and the two sides familiar followers read */
    assert_int_equal(db_exec(g.d, "UPDATE accounts SET last_status_at = id WHERE id <= 30"), PL_OK);
    assert_int_equal(store_directory(g.d, 3, DIRECTORY_ACTIVE, 40, 20, T0, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 20);
    assert_int_equal(store_directory(g.d, 3, DIRECTORY_NEW, 0, 20, T0, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 20);
    assert_int_equal(store_suggest_members(g.d, 5, FIRST_CHANNEL + 1, 50, T0, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_suggest_most_followed(g.d, 3, 200, T0, &A, &ids, &n), PL_OK);
    assert_int_equal(store_follows_latest(g.d, 40, &A, &ids, &n), PL_OK);
    assert_int_equal(n, FOLLOWS);
    assert_int_equal(store_followers_all(g.d, 45, &A, &ids, &n), PL_OK);
    assert_int_equal(n, FOLLOWS);
    assert_int_equal(store_directory(g.d, 3, DIRECTORY_ACTIVE, 0, 20, T0, &A, &ids, &n), PL_OK);
    /* a featured tag's counts (the person's posts, each probed for the tag), and the tags of
     * one's latest posts (migration 037) */
    pl_featured_tag ft = {.account_id = 6, .tag = "tag"};
    assert_int_equal(store_featured_tag_counts(g.d, &ft), PL_OK);
    assert_true(ft.statuses_count > 0);
    const char **tags;
    assert_int_equal(store_recent_tags(g.d, 6, 200, &A, &tags, &n), PL_OK);
    assert_true(n > 0);
    /* notification requests (043): the list, one, the summary */
    pl_notify_request *reqs, one;
    pl_page rp = {.limit = 40};
    assert_int_equal(store_notify_requests(g.d, 3, &rp, &A, &reqs, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_notify_request_get(g.d, 3, 4, &one), PL_ENOTFOUND);
    int64_t pending_requests, pending_notifications;
    assert_int_equal(
        store_notify_requests_summary(g.d, 3, &pending_requests, &pending_notifications), PL_OK);
    /* the writes of item 30, inside a transaction rolled back: the company stays as it is */
    assert_int_equal(db_begin(g.d), PL_OK);
    assert_int_equal(store_status_delete(g.d, FIRST_POST + POSTS - 1), PL_OK);
    /* a request's delete: a few feed rows, the rest queued and removed a chunk at a time */
    assert_int_equal(store_status_delete_queued(g.d, FIRST_POST + POSTS - 2, 2, T0), PL_OK);
    pl_fanout f;
    assert_int_equal(store_fanout_next(g.d, &f), PL_OK);
    assert_true(f.removing);
    int64_t rows;
    assert_int_equal(store_fanout_chunk(g.d, &f, 2, &rows), PL_OK);
    assert_int_equal(store_notifications_delete_status(g.d, FIRST_POST + POSTS - 1), PL_OK);
    assert_int_equal(store_timeline_remove_author(g.d, 3, 4), PL_OK);
    /* the counts of tag uses follow an edit's tags and a channel's privacy */
    assert_int_equal(store_status_tags_clear(g.d, FIRST_POST + 5), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, FIRST_POST + 5, "other"), PL_OK);
    assert_int_equal(store_tag_days_count_channel(g.d, 3, -1), PL_OK);
    assert_int_equal(db_rollback(g.d), PL_OK);
}

static void test_hot_plans_with_and_without_statistics(void **state)
{
    (void)state;
    assert_int_equal(db_begin(g.d), PL_OK);
    add_company();
    add_tag_history();
    assert_int_equal(db_commit(g.d), PL_OK);
    run_hot_queries();
    int matched = check_plans("without statistics", false);
    assert_true(matched >= (int)(sizeof rules / sizeof *rules));
    assert_int_equal(db_exec(g.d, "ANALYZE"), PL_OK);
    check_plans("after ANALYZE", true);
}

/* The delete of item 30 by itself: on SQLite, the plan of "DELETE FROM timeline WHERE
 * status_id = ?" said "SCAN timeline" before migration 021. */
static void test_post_delete_uses_the_status_index(void **state)
{
    (void)state;
    const char *plan = plan_of("DELETE FROM timeline WHERE status_id = ?");
    assert_non_null(strstr(plan, "timeline_status"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hot_plans_with_and_without_statistics),
        cmocka_unit_test(test_post_delete_uses_the_status_index),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
