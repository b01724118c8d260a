/*
 * test_search.c — unit tests for src/store/search.c over a real database: SQLite (FTS5) by
 * default, PostgreSQL (GIN over tsvector) when PARTYLINE_TEST_DATABASE names a server (see
 * test_db.h; `make test-unit-pg`). The same expectations hold on both engines: that is the
 * point of one store function with two texts of SQL.
 *
 * One database for the file; each test runs in a transaction its teardown rolls back, so the
 * index is also seen to follow writes inside a transaction.
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
#include "store/graph.h"
#include "store/migrate.h"
#include "store/posts.h"
#include "store/search.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3 };
#define T0 1795687315123LL

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-search-XXXXXX", "search.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "search.db", g.d);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void add_account(int64_t id, const char *username, const char *display_name)
{
    pl_account a = {.id = id,
                    .username = username,
                    .email = arena_printf(&A, "%s@example.com", username),
                    .display_name = display_name,
                    .password_hash = "hash",
                    .is_discoverable = true,
                    .is_approved = true,
                    .created_at = T0};
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

static pl_status status(int64_t id, int64_t author, const char *text)
{
    return (pl_status){.id = id,
                       .account_id = author,
                       .visibility = VIS_PUBLIC,
                       .text = text,
                       .content = text,
                       .spoiler_text = "",
                       .created_at = T0 + id};
}

static void add(int64_t id, int64_t author, const char *text)
{
    pl_status s = status(id, author, text);
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

/* Newest-first ids for the terms (NULL-terminated), as "a,b,c" in the arena. */
static const char *found_q(const pl_search *q, int order, int offset, int limit)
{
    pl_idlist l;
    assert_int_equal(store_search_statuses(g.d, q, order, offset, limit, &A, &l), PL_OK);
    char *out = arena_strdup(&A, "");
    for (int i = 0; i < l.n; i++)
        out = arena_printf(&A, "%s%s%lld", out, i ? "," : "", (long long)l.ids[i]);
    return out;
}

static const char *found(const char *a, const char *b)
{
    const char *terms[] = {a, b};
    pl_search q = {.terms = terms, .n_terms = b ? 2 : 1};
    return found_q(&q, SEARCH_NEWEST, 0, 40);
}

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_every_term_must_occur_newest_first_in_text_or_content_warning(void **state)
{
    (void)state;
    add(100, ALICE, "The budget review is on Friday");
    add(101, ALICE, "Budget lunch");
    pl_status cw = status(102, BOB, "nothing to see");
    cw.spoiler_text = "budget spoilers";
    assert_int_equal(store_status_insert(g.d, &cw), PL_OK);
    assert_string_equal(found("budget", NULL), "102,101,100");
    assert_string_equal(found("BUDGET", "friday"), "100");
    assert_string_equal(found("budget", "spoilers"), "102");
    assert_string_equal(found("budget", "tuesday"), "");
}

static void test_a_phrase_matches_adjacent_words_in_order(void **state)
{
    (void)state;
    add(100, ALICE, "red green blue");
    add(101, ALICE, "green red blue");
    assert_string_equal(found("red green", NULL), "100");
    assert_string_equal(found("red", "green"), "101,100");
}

static void test_words_that_look_like_match_syntax_are_plain_words(void **state)
{
    (void)state;
    add(100, ALICE, "alpha OR NEAR beta");
    add(101, ALICE, "alpha gamma");
    assert_string_equal(found("alpha", "OR"), "100");
    assert_string_equal(found("NEAR", NULL), "100");
    assert_string_equal(found("alpha", "\"beta\""), "100");
    assert_string_equal(found("alpha*", NULL), "101,100");
    assert_string_equal(found("-gamma", NULL), "101");
    assert_string_equal(found("alpha", "gamma)"), "101");
}

static void test_boosts_are_not_indexed(void **state)
{
    (void)state;
    add(100, ALICE, "original words");
    pl_status b = status(101, BOB, "original words");
    b.reblog_of_id = 100;
    assert_int_equal(store_status_insert(g.d, &b), PL_OK);
    assert_string_equal(found("original", NULL), "100");
}

static void test_the_index_follows_an_edit(void **state)
{
    (void)state;
    add(100, ALICE, "first draft xylophone");
    pl_status s = status(100, ALICE, "second draft marimba");
    s.spoiler_text = "cw";
    assert_int_equal(store_status_update(g.d, &s), PL_OK);
    assert_string_equal(found("xylophone", NULL), "");
    assert_string_equal(found("marimba", NULL), "100");
    assert_string_equal(found("draft", "cw"), "100");
    /* a change that is not the text (counts) leaves the index as it was */
    assert_int_equal(store_status_add_counts(g.d, 100, 1, 1, 1), PL_OK);
    assert_string_equal(found("marimba", NULL), "100");
}

static void test_the_index_follows_a_delete(void **state)
{
    (void)state;
    add(100, ALICE, "ephemeral note");
    add(101, ALICE, "ephemeral too");
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_string_equal(found("ephemeral", NULL), "101");
}

static void test_filters_bounds_and_orders(void **state)
{
    (void)state;
    add(100, ALICE, "report one");
    add(101, BOB, "report two");
    pl_status r = status(102, ALICE, "report three");
    r.in_reply_to_id = 101;
    r.in_reply_to_account_id = BOB;
    assert_int_equal(store_status_insert(g.d, &r), PL_OK);
    pl_status p = status(103, BOB, "report four");
    p.poll_id = 9;
    assert_int_equal(store_status_insert(g.d, &p), PL_OK);
    const char *terms[] = {"report"};
    pl_search q = {.terms = terms, .n_terms = 1};
    q.account_id = ALICE;
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "102,100");
    q = (pl_search){.terms = terms, .n_terms = 1, .is_reply = true};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "102");
    q = (pl_search){.terms = terms, .n_terms = 1, .has_poll = true};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "103");
    q = (pl_search){.terms = terms, .n_terms = 1, .above = 100, .below = 103};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "102,101");
    assert_string_equal(found_q(&q, SEARCH_OLDEST, 0, 1), "101");
    q = (pl_search){.terms = terms, .n_terms = 1};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 1, 2), "102,101");
    assert_string_equal(found_q(&q, SEARCH_OLDEST, 0, 40), "100,101,102,103");
}

static void test_a_tag_or_an_author_alone_drives_the_search(void **state)
{
    (void)state;
    add(100, ALICE, "no words of note #ops");
    add(101, BOB, "more #ops");
    add(102, ALICE, "untagged");
    assert_int_equal(store_status_tag_add(g.d, 100, "ops"), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, 101, "ops"), PL_OK);
    pl_search q = {.tag = "ops"};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "101,100");
    q.account_id = ALICE;
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "100");
    q = (pl_search){.account_id = ALICE};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "102,100");
    const char *terms[] = {"more"};
    q = (pl_search){.terms = terms, .n_terms = 1, .tag = "ops"};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "101");
    q = (pl_search){0};
    pl_idlist l;
    assert_int_equal(store_search_statuses(g.d, &q, SEARCH_NEWEST, 0, 20, &A, &l), PL_EINVAL);
}

/* More rows than PostgreSQL's first step looks at (PG_WINDOW_ROWS = 1000): a rare word far
 * down and a common word both come out whole and in order, whichever step finds them. */
static void test_rare_and_common_words_below_a_long_run_of_other_posts(void **state)
{
    (void)state;
    add(100, ALICE, "rare quokka sighting");
    add(101, BOB, "a common word");
    add(102, ALICE, "rare quokka again");
    for (int64_t id = 200; id < 1400; id++)
        add(id, id % 2 ? ALICE : BOB, id % 3 ? "common filler" : "common other");
    add(1500, ALICE, "quokka on top");
    assert_string_equal(found("quokka", NULL), "1500,102,100");
    assert_string_equal(found("rare", "quokka"), "102,100");
    const char *terms[] = {"quokka"};
    pl_search q = {.terms = terms, .n_terms = 1};
    assert_string_equal(found_q(&q, SEARCH_OLDEST, 0, 2), "100,102");
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 1, 5), "102,100");
    q.below = 1500;
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 5), "102,100");
    const char *common[] = {"common"};
    q = (pl_search){.terms = common, .n_terms = 1, .below = 1399};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 3), "1398,1397,1396");
    q = (pl_search){.terms = common, .n_terms = 1, .above = 1300};
    assert_string_equal(found_q(&q, SEARCH_OLDEST, 0, 2), "1301,1302");
    q.account_id = BOB;
    q.above = 0;
    assert_string_equal(found_q(&q, SEARCH_OLDEST, 0, 2), "101,200");
    q = (pl_search){.terms = common, .n_terms = 1};
    pl_idlist l;
    assert_int_equal(store_search_statuses(g.d, &q, SEARCH_NEWEST, 0, 1300, &A, &l), PL_OK);
    assert_int_equal(l.n, 1201); /* every one, across both steps on PostgreSQL */
    assert_int_equal(l.ids[0], 1399);
    assert_int_equal(l.ids[1200], 101);
}

static void test_relevance_puts_the_better_match_first(void **state)
{
    (void)state;
    add(100, ALICE, "kiwi kiwi kiwi");
    add(101, ALICE, "kiwi and a long tail of other words about something else entirely today");
    add(102, ALICE, "no fruit");
    const char *terms[] = {"kiwi"};
    pl_search q = {.terms = terms, .n_terms = 1};
    assert_string_equal(found_q(&q, SEARCH_NEWEST, 0, 40), "101,100");
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 40), "100,101");
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 1, 40), "101");
    /* only the newest candidates are ranked: the better match is older than them */
    add(103, ALICE, "kiwi in another long post about other things that happened today");
    q.candidates = 2;
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 40), "103,101");
    q.candidates = 3;
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 40), "100,103,101");
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 1, 1), "103");
}

/* A company's words, drawn from a fixed generator: every post of n has "kiwi" 0-3 times among
 * a few of a small vocabulary, so term frequencies and lengths vary. */
static void add_corpus(int64_t first, int n)
{
    static const char *const words[] = {"kiwi", "plum", "fig", "lime", "the", "of", "and", "a"};
    uint32_t x = 12345;
    for (int k = 0; k < n; k++) {
        char text[256] = "";
        int len = 0, count = 3 + (int)(x % 11);
        for (int w = 0; w < count; w++) {
            x = x * 1103515245u + 12345u;
            len += snprintf(text + len, sizeof text - (size_t)len, "%s%s", w ? " " : "",
                            words[(x >> 16) % 8]);
        }
        add(first + k, ALICE, text);
    }
}

/* The ids FTS5's own bm25() puts first (smaller first; ties newest first), as "a,b,c". */
static const char *bm25_order(const char *match)
{
    db_stmt *s = db_prepare(g.d, "SELECT rowid FROM statuses_fts WHERE statuses_fts MATCH ? "
                                 "ORDER BY bm25(statuses_fts), rowid DESC");
    assert_non_null(s);
    db_bind_text(s, 1, match, -1);
    char *out = arena_strdup(&A, "");
    for (int i = 0; db_step(s) == DB_ROW; i++)
        out = arena_printf(&A, "%s%s%lld", out, i ? "," : "", (long long)db_col_i64(s, 0));
    db_reset(s);
    return out;
}

/* SQLite ranks with pl_rank, not bm25() (which reads a word's every posting, see
 * store/search.c); on a company smaller than the IDF sample both compute the same numbers,
 * so the order must be bm25()'s exactly, for one word and for several. */
static void test_relevance_orders_as_fts5_bm25(void **state)
{
    (void)state;
    if ((test_db_server() != NULL)) skip();
    add_corpus(1000, 300);
    const char *kiwi[] = {"kiwi"}, *two[] = {"kiwi", "the"}, *three[] = {"kiwi", "plum", "a"};
    pl_search q = {.terms = kiwi, .n_terms = 1, .candidates = 1000};
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 1000), bm25_order("\"kiwi\""));
    q = (pl_search){.terms = two, .n_terms = 2, .candidates = 1000};
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 1000), bm25_order("\"kiwi\" \"the\""));
    q = (pl_search){.terms = three, .n_terms = 3, .candidates = 1000};
    assert_string_equal(found_q(&q, SEARCH_RELEVANCE, 0, 1000),
                        bm25_order("\"kiwi\" \"plum\" \"a\""));
}

/* Of two words, the rarer weighs more: three times the rare word beats three times the common
 * one (SQLite: BM25's IDF; PostgreSQL's ts_rank has no IDF, so there only both are found). */
static void test_relevance_weighs_a_rare_word_above_a_common_one(void **state)
{
    (void)state;
    for (int k = 0; k < 30; k++) add(200 + k, BOB, "apple pie");
    add(300, ALICE, "apple zebra zebra zebra today");
    add(301, ALICE, "apple apple apple zebra today");
    const char *terms[] = {"apple", "zebra"};
    pl_search q = {.terms = terms, .n_terms = 2, .candidates = 1000};
    const char *got = found_q(&q, SEARCH_RELEVANCE, 0, 40);
    if ((test_db_server() != NULL))
        assert_true(!strcmp(got, "300,301") || !strcmp(got, "301,300"));
    else
        assert_string_equal(got, "300,301");
}

/* ------------------------------------------------------------------------------------------ */
/* Accounts and hashtags                                                                       */
/* ------------------------------------------------------------------------------------------ */

static const char *accounts(const char *prefix, int64_t viewer, bool following)
{
    int64_t *ids;
    int n;
    assert_int_equal(store_search_accounts(g.d, prefix, viewer, following, 0, 40, &A, &ids, &n),
                     PL_OK);
    char *out = arena_strdup(&A, "");
    for (int i = 0; i < n; i++)
        out = arena_printf(&A, "%s%s%lld", out, i ? "," : "", (long long)ids[i]);
    return out;
}

static void test_accounts_by_username_or_display_name_word_prefix(void **state)
{
    (void)state;
    add_account(ALICE, "anna", "Anna Smith");
    add_account(BOB, "annabel", "Bel");
    add_account(CAROL, "carol", "Carol Annerl");
    add_account(4, "an_x", "Underscore");
    assert_string_equal(accounts("annabel", 0, false), "2");
    assert_string_equal(accounts("anna", 0, false), "1,2"); /* the exact username first */
    assert_string_equal(accounts("smi", 0, false), "1");
    assert_string_equal(accounts("ann", 0, false), "1,2,3");
    assert_string_equal(accounts("an_", 0, false), "4"); /* '_' is no wildcard */
    assert_string_equal(accounts("a%", 0, false), "");
    assert_int_equal(store_follow_insert(g.d, 50, CAROL, ALICE, true, false, T0), PL_OK);
    assert_string_equal(accounts("ann", CAROL, true), "1");
    /* blocks hide nobody, either way, as in Mastodon (one unblocks people found by name) */
    assert_int_equal(store_block_insert(g.d, 51, BOB, CAROL), PL_OK);
    assert_string_equal(accounts("ann", CAROL, false), "1,2,3"); /* BOB blocks CAROL */
    assert_string_equal(accounts("ann", BOB, false), "1,2,3");   /* BOB blocks CAROL */
    assert_int_equal(store_account_set_disabled(g.d, ALICE, true), PL_OK);
    assert_string_equal(accounts("ann", 0, false), "2,3");
    assert_int_equal(store_account_set_confirmed(g.d, BOB, false), PL_OK);
    assert_string_equal(accounts("ann", 0, false), "3"); /* an unconfirmed address */
}

/* The expected order of an account search, computed here from what was written: the exact
 * username first, then followers (more first), then id. */
typedef struct {
    int64_t id;
    int followers;
    bool exact, shown, followed;
} acc_row;

static int cmp_rows(const void *x, const void *y)
{
    const acc_row *a = x, *b = y;
    if (a->exact != b->exact) return a->exact ? -1 : 1;
    if (a->followers != b->followers) return a->followers > b->followers ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const char *accounts_page(const char *prefix, int64_t viewer, bool following, int offset,
                                 int limit)
{
    int64_t *ids;
    int n;
    assert_int_equal(
        store_search_accounts(g.d, prefix, viewer, following, offset, limit, &A, &ids, &n), PL_OK);
    char *out = arena_strdup(&A, "");
    for (int i = 0; i < n; i++)
        out = arena_printf(&A, "%s%s%lld", out, i ? "," : "", (long long)ids[i]);
    return out;
}

static const char *expected_page(acc_row *rows, int n, int offset, int limit)
{
    qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
    char *out = arena_strdup(&A, "");
    int shown = 0, put = 0;
    for (int i = 0; i < n && put < limit; i++) {
        if (!rows[i].shown || shown++ < offset) continue;
        out = arena_printf(&A, "%s%s%lld", out, put++ ? "," : "", (long long)rows[i].id);
    }
    return out;
}

/* A prefix so common that the store walks the accounts most followed first instead of sorting
 * every match (store/search.c): the same accounts in the same order as the sort, page by page,
 * with the exact username first, disabled and unconfirmed accounts left out and blocked ones
 * kept (either way: Mastodon finds them); following=true
 * reads the viewer's follows. */
static void test_accounts_common_prefix_same_order_as_sorting_every_match(void **state)
{
    (void)state;
    enum { N = 700, VIEWER = 5000 };
    static acc_row rows[N];
    add_account(VIEWER, "viewer", "The Viewer");
    int64_t fid = 1;
    for (int i = 0; i < N; i++) {
        int64_t id = 10 + i;
        /* two of three match "pat" (by username, by display name or by a later word), with
         * followers in few values so ties are common */
        const char *user = arena_printf(&A, i % 3 == 0 ? "pat%d" : "q%d", i);
        const char *display = i % 3 == 1 ? "Pat Someone" : i % 3 == 2 ? "Someone" : "Ann Pat";
        if (i == 400) user = "pat"; /* the exact username, followed by nobody */
        add_account(id, user, display);
        rows[i] = (acc_row){.id = id, .followers = (i * 7) % 13, .exact = i == 400};
        rows[i].shown = i % 3 != 2;
        if (rows[i].followers)
            assert_int_equal(store_account_add_counts(g.d, id, rows[i].followers, 0, 0), PL_OK);
        rows[i].followed = i % 4 == 0 && rows[i].shown;
        if (rows[i].followed)
            assert_int_equal(store_follow_insert(g.d, fid++, VIEWER, id, true, false, T0), PL_OK);
    }
    /* one blocks the viewer and the viewer blocks another (both still found), one is disabled,
     * one unconfirmed */
    assert_int_equal(store_block_insert(g.d, 90001, 10 + 3, VIEWER), PL_OK);
    assert_int_equal(store_block_insert(g.d, 90002, VIEWER, 10 + 6), PL_OK);
    assert_int_equal(store_account_set_disabled(g.d, 10 + 9, true), PL_OK);
    assert_int_equal(store_account_set_confirmed(g.d, 10 + 12, false), PL_OK);
    rows[9].shown = rows[12].shown = false;
    const int offsets[] = {0, 1, 5, 39, 40, 300, 460};
    for (size_t k = 0; k < sizeof offsets / sizeof *offsets; k++) {
        int off = offsets[k];
        assert_string_equal(accounts_page("pat", VIEWER, false, off, 40),
                            expected_page(rows, N, off, 40));
    }
    /* following=true: only the viewer's follows, in the same order */
    static acc_row followed[N];
    int nf = 0;
    for (int i = 0; i < N; i++) {
        followed[nf] = rows[i];
        followed[nf].shown = rows[i].shown && rows[i].followed;
        nf++;
    }
    assert_string_equal(accounts_page("pat", VIEWER, true, 0, 40),
                        expected_page(followed, nf, 0, 40));
    assert_string_equal(accounts_page("pat", VIEWER, true, 7, 10),
                        expected_page(followed, nf, 7, 10));
}

/* The tier of every name of an account (migration 032), or -1 if its names disagree. */
static int64_t name_tier(int64_t account)
{
    db_stmt *s = db_prepare(g.d, "SELECT min(tier), max(tier) FROM account_names "
                                 "WHERE account_id = ?");
    assert_non_null(s);
    db_bind_i64(s, 1, account);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t lo = db_col_i64(s, 0), hi = db_col_i64(s, 1);
    db_reset(s);
    return lo == hi ? lo : -1;
}

/* Names are read by tier, most followed first (migration 032): the tiers follow the followers
 * up and down across their steps (1, 2, 5, 10, 20, …), and pages over followers spread across
 * many tiers are those of sorting every match, exact username first, filters applied. */
static void test_accounts_by_tier_same_order_as_sorting_every_match(void **state)
{
    (void)state;
    enum { N = 300, VIEWER = 6000 };
    static acc_row rows[N];
    add_account(VIEWER, "viewer", "The Viewer");
    add_account(20, "kimlow", "Kim Low");
    assert_int_equal(name_tier(20), 0);
    assert_int_equal(store_account_add_counts(g.d, 20, 1, 0, 0), PL_OK);
    assert_int_equal(name_tier(20), 3);
    assert_int_equal(store_account_add_counts(g.d, 20, 3, 0, 0), PL_OK); /* 4 */
    assert_int_equal(name_tier(20), 4);
    assert_int_equal(store_account_add_counts(g.d, 20, 1995, 0, 0), PL_OK); /* 1999 */
    assert_int_equal(name_tier(20), 12);
    assert_int_equal(store_account_add_counts(g.d, 20, 1, 0, 0), PL_OK); /* 2000 */
    assert_int_equal(name_tier(20), 13);
    assert_int_equal(store_account_add_counts(g.d, 20, -1990, 0, 0), PL_OK); /* 10 */
    assert_int_equal(name_tier(20), 6);
    assert_int_equal(store_account_add_counts(g.d, 20, -10, 0, 0), PL_OK);
    assert_int_equal(name_tier(20), 0);
    for (int i = 0; i < N; i++) {
        int64_t id = 100 + i;
        const char *user = i == 150 ? "kim" : arena_printf(&A, i % 2 ? "kim%d" : "x%d", i);
        add_account(id, user, i % 2 ? "" : "Jo Kim");
        int r = (i * 37) % N; /* followers spread from 0 to ~9,000, over some 13 tiers */
        rows[i] = (acc_row){.id = id, .followers = r * r / 10, .exact = i == 150, .shown = true};
        if (rows[i].followers)
            assert_int_equal(store_account_add_counts(g.d, id, rows[i].followers + 7, 0, 0), PL_OK);
        if (rows[i].followers) /* and down again, across a step for some */
            assert_int_equal(store_account_add_counts(g.d, id, -7, 0, 0), PL_OK);
    }
    assert_int_equal(store_block_insert(g.d, 90001, 100 + 299, VIEWER), PL_OK);
    assert_int_equal(store_account_set_disabled(g.d, 100 + 298, true), PL_OK);
    rows[298].shown = false; /* disabled; the one who blocks the viewer is found (Mastodon) */
    static acc_row all[N + 1];
    memcpy(all, rows, sizeof rows);
    all[N] = (acc_row){.id = 20, .followers = 0, .shown = true};
    const int offsets[] = {0, 1, 7, 20, 100, 280};
    for (size_t k = 0; k < sizeof offsets / sizeof *offsets; k++) {
        assert_string_equal(accounts_page("kim", VIEWER, false, offsets[k], 20),
                            expected_page(all, N + 1, offsets[k], 20));
        assert_string_equal(accounts_page("kim", VIEWER, false, offsets[k], 3),
                            expected_page(all, N + 1, offsets[k], 3));
    }
}

static const char *tags(const char *prefix, int offset)
{
    const char **v;
    int n;
    assert_int_equal(store_search_tags(g.d, prefix, offset, 40, &A, &v, &n), PL_OK);
    char *out = arena_strdup(&A, "");
    for (int i = 0; i < n; i++) out = arena_printf(&A, "%s%s%s", out, i ? "," : "", v[i]);
    return out;
}

static void test_tags_by_prefix_distinct_and_only_when_used_publicly(void **state)
{
    (void)state;
    add(100, ALICE, "a");
    add(101, ALICE, "b");
    pl_status p = status(102, ALICE, "c");
    p.visibility = VIS_PRIVATE;
    assert_int_equal(store_status_insert(g.d, &p), PL_OK);
    const char *const pub[] = {"ops", "opsec", "open", "other", "caf\xc3\xa9"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(store_status_tag_add(g.d, 100, pub[i]), PL_OK);
        assert_int_equal(store_status_tag_add(g.d, 101, pub[i]), PL_OK);
    }
    assert_int_equal(store_status_tag_add(g.d, 102, "opsprivate"), PL_OK);
    assert_string_equal(tags("op", 0), "open,ops,opsec");
    assert_string_equal(tags("op", 1), "ops,opsec");
    assert_string_equal(tags("ops", 0), "ops,opsec");
    assert_string_equal(tags("caf", 0), "caf\xc3\xa9");
    assert_string_equal(tags("x", 0), "");
    assert_string_equal(tags("", 0), "");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_term_must_occur_newest_first_in_text_or_content_warning),
        T(test_a_phrase_matches_adjacent_words_in_order),
        T(test_words_that_look_like_match_syntax_are_plain_words),
        T(test_boosts_are_not_indexed),
        T(test_the_index_follows_an_edit),
        T(test_the_index_follows_a_delete),
        T(test_filters_bounds_and_orders),
        T(test_a_tag_or_an_author_alone_drives_the_search),
        T(test_rare_and_common_words_below_a_long_run_of_other_posts),
        T(test_relevance_puts_the_better_match_first),
        T(test_relevance_orders_as_fts5_bm25),
        T(test_relevance_weighs_a_rare_word_above_a_common_one),
        T(test_accounts_by_username_or_display_name_word_prefix),
        T(test_accounts_common_prefix_same_order_as_sorting_every_match),
        T(test_accounts_by_tier_same_order_as_sorting_every_match),
        T(test_tags_by_prefix_distinct_and_only_when_used_publicly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
