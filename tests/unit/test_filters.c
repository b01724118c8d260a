/*
 * test_filters.c — the store of filters (store/filters.c) and followed tags (store/tags.c):
 * owner-only reads and changes, what goes with a deleted filter or status, counts, paging
 * of followed tags, tag history and the batched query of several tags' public posts. Runs
 * on SQLite and again on PostgreSQL (make test-unit-pg).
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

#include "store/channels.h"
#include "store/filters.h"
#include "store/migrate.h"
#include "store/posts.h"
#include "store/tags.h"
#include "test_db.h"
#include "util/err.h"
#include "util/ids.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2 };
#define T0 1795687315123LL

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-filters-XXXXXX", "filters.db", g.dir, sizeof g.dir,
                                 g.path, sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "filters.db", g.d);
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

static void add_filter(int64_t id, int64_t owner, const char *title)
{
    pl_filter f = {.id = id,
                   .account_id = owner,
                   .title = title,
                   .context = FILTER_HOME | FILTER_PUBLIC,
                   .action = FILTER_HIDE,
                   .expires_at = T0 + 1000,
                   .created_at = T0};
    assert_int_equal(store_filter_insert(g.d, &f), PL_OK);
}

static void add_keyword(int64_t id, int64_t filter, int64_t owner, const char *kw)
{
    pl_filter_keyword k = {id, filter, owner, kw, true};
    assert_int_equal(store_filter_keyword_insert(g.d, &k, T0), PL_OK);
}

static void add_fstatus(int64_t id, int64_t filter, int64_t owner, int64_t status)
{
    pl_filter_status s = {id, filter, owner, status};
    assert_int_equal(store_filter_status_insert(g.d, &s, T0), PL_OK);
}

/* A status with an id made at time ms (so tag history can group it by day). */
static int64_t add_status_at(int64_t ms, int seq, int64_t author, int visibility, const char *tag)
{
    int64_t id = id_floor_for_ms(ms) + seq;
    pl_status s = {.id = id,
                   .account_id = author,
                   .visibility = visibility,
                   .text = "t",
                   .content = "<p>t</p>",
                   .created_at = ms};
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
    if (tag) assert_int_equal(store_status_tag_add(g.d, id, tag), PL_OK);
    return id;
}

/* ------------------------------------------------------------------------------------------ */

static void test_filter_comes_back_with_its_keywords_and_statuses_for_its_owner_only(void **state)
{
    (void)state;
    add_filter(10, ALICE, "Spoilers");
    add_keyword(11, 10, ALICE, "finale");
    add_keyword(12, 10, ALICE, "plot");
    add_fstatus(13, 10, ALICE, 500);
    pl_filter f;
    assert_int_equal(store_filter_get(g.d, ALICE, 10, &A, &f), PL_OK);
    assert_string_equal(f.title, "Spoilers");
    assert_int_equal(f.context, FILTER_HOME | FILTER_PUBLIC);
    assert_int_equal(f.action, FILTER_HIDE);
    assert_int_equal(f.expires_at, T0 + 1000);
    assert_int_equal(f.n_keywords, 2);
    assert_string_equal(f.keywords[0].keyword, "finale");
    assert_true(f.keywords[0].whole_word);
    assert_int_equal(f.n_statuses, 1);
    assert_int_equal(f.statuses[0].status_id, 500);
    assert_int_equal(store_filter_get(g.d, BOB, 10, &A, &f), PL_ENOTFOUND);
    pl_filter_keyword k;
    assert_int_equal(store_filter_keyword_get(g.d, BOB, 11, &A, &k), PL_ENOTFOUND);
    assert_int_equal(store_filter_keyword_get(g.d, ALICE, 11, &A, &k), PL_OK);
    pl_filter_status s;
    assert_int_equal(store_filter_status_get(g.d, BOB, 13, &s), PL_ENOTFOUND);
    assert_int_equal(store_filter_status_get(g.d, ALICE, 13, &s), PL_OK);
}

static void test_filter_changes_and_deletes_name_the_owner(void **state)
{
    (void)state;
    add_filter(10, ALICE, "mine");
    add_keyword(11, 10, ALICE, "a");
    add_fstatus(12, 10, ALICE, 500);
    pl_filter f = {.id = 10, .account_id = BOB, .title = "stolen", .context = FILTER_HOME};
    assert_int_equal(store_filter_update(g.d, &f), PL_ENOTFOUND);
    pl_filter_keyword k = {11, 10, BOB, "b", false};
    assert_int_equal(store_filter_keyword_update(g.d, &k), PL_ENOTFOUND);
    assert_int_equal(store_filter_keyword_delete(g.d, BOB, 11), PL_ENOTFOUND);
    assert_int_equal(store_filter_status_delete(g.d, BOB, 12), PL_ENOTFOUND);
    assert_int_equal(store_filter_delete(g.d, BOB, 10), PL_ENOTFOUND);

    f.account_id = ALICE;
    f.title = "renamed";
    f.context = FILTER_THREAD;
    f.action = FILTER_WARN;
    assert_int_equal(store_filter_update(g.d, &f), PL_OK);
    k.account_id = ALICE;
    assert_int_equal(store_filter_keyword_update(g.d, &k), PL_OK);
    pl_filter got;
    assert_int_equal(store_filter_get(g.d, ALICE, 10, &A, &got), PL_OK);
    assert_string_equal(got.title, "renamed");
    assert_int_equal(got.context, FILTER_THREAD);
    assert_int_equal(got.expires_at, 0);
    assert_string_equal(got.keywords[0].keyword, "b");
    assert_false(got.keywords[0].whole_word);

    assert_int_equal(store_filter_delete(g.d, ALICE, 10), PL_OK);
    assert_int_equal(store_filter_get(g.d, ALICE, 10, &A, &got), PL_ENOTFOUND);
    pl_filter_keyword *ks;
    pl_filter_status *ss;
    int nk, ns;
    assert_int_equal(store_filter_keywords(g.d, 10, &A, &ks, &nk), PL_OK);
    assert_int_equal(store_filter_statuses(g.d, 10, &A, &ss, &ns), PL_OK);
    assert_int_equal(nk + ns, 0);
}

static void test_filters_of_an_owner_carry_their_own_keywords_and_statuses(void **state)
{
    (void)state;
    pl_filter *v;
    int n = -1;
    assert_int_equal(store_filters_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 0);
    add_filter(20, ALICE, "second");
    add_filter(10, ALICE, "first");
    add_filter(30, BOB, "bob's");
    add_keyword(21, 20, ALICE, "x");
    add_keyword(11, 10, ALICE, "y");
    add_keyword(12, 10, ALICE, "z");
    add_keyword(31, 30, BOB, "bob");
    add_fstatus(22, 20, ALICE, 700);
    assert_int_equal(store_filters_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, 10);
    assert_int_equal(v[0].n_keywords, 2);
    assert_string_equal(v[0].keywords[1].keyword, "z");
    assert_int_equal(v[0].n_statuses, 0);
    assert_int_equal(v[1].id, 20);
    assert_int_equal(v[1].n_keywords, 1);
    assert_int_equal(v[1].n_statuses, 1);
    int64_t count;
    assert_int_equal(store_filters_count(g.d, ALICE, &count), PL_OK);
    assert_int_equal(count, 2);
    assert_int_equal(store_filter_keywords_count(g.d, 10, &count), PL_OK);
    assert_int_equal(count, 2);
}

static void test_a_status_is_in_a_filter_once_and_leaves_it_when_deleted(void **state)
{
    (void)state;
    add_filter(10, ALICE, "s");
    int64_t sid = add_status_at(T0, 1, BOB, VIS_PUBLIC, NULL);
    add_fstatus(11, 10, ALICE, sid);
    pl_filter_status dup = {12, 10, ALICE, sid};
    assert_int_equal(store_filter_status_insert(g.d, &dup, T0), PL_ECONFLICT);
    assert_true(store_filter_has_status(g.d, 10, sid));
    int64_t count;
    assert_int_equal(store_filter_statuses_count(g.d, 10, &count), PL_OK);
    assert_int_equal(count, 1);
    assert_int_equal(store_status_delete(g.d, sid), PL_OK);
    assert_false(store_filter_has_status(g.d, 10, sid));
}

static void test_tag_follows_are_a_set_paged_newest_first(void **state)
{
    (void)state;
    assert_int_equal(store_tag_follow(g.d, 100, ALICE, "a", T0), PL_OK);
    assert_int_equal(store_tag_follow(g.d, 101, ALICE, "b", T0), PL_OK);
    assert_int_equal(store_tag_follow(g.d, 102, ALICE, "c", T0), PL_OK);
    assert_int_equal(store_tag_follow(g.d, 103, ALICE, "a", T0), PL_OK); /* again: no error */
    assert_int_equal(store_tag_follow(g.d, 104, BOB, "a", T0), PL_OK);
    int64_t count;
    assert_int_equal(store_tag_follows_count(g.d, ALICE, &count), PL_OK);
    assert_int_equal(count, 3);
    pl_tag_follow *v;
    int n;
    assert_int_equal(store_tag_follows_page(g.d, ALICE, &(pl_page){.limit = 2}, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].tag, "c");
    assert_string_equal(v[1].tag, "b");
    assert_int_equal(
        store_tag_follows_page(g.d, ALICE, &(pl_page){.max_id = 101, .limit = 2}, &A, &v, &n),
        PL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].tag, "a");
    assert_int_equal(
        store_tag_follows_page(g.d, ALICE, &(pl_page){.min_id = 100, .limit = 1}, &A, &v, &n),
        PL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].tag, "b");
    pl_merge_source *src; /* a home feed merges every followed tag */
    int tags = 0;
    assert_int_equal(store_merge_sources(g.d, ALICE, &A, &src, &n), PL_OK);
    for (int i = 0; i < n; i++) tags += src[i].tag != NULL;
    assert_int_equal(tags, 3);
    assert_true(store_tag_followed(g.d, ALICE, "b"));
    assert_int_equal(store_tag_unfollow(g.d, ALICE, "b"), PL_OK);
    assert_int_equal(store_tag_unfollow(g.d, ALICE, "b"), PL_OK);
    assert_false(store_tag_followed(g.d, ALICE, "b"));
    assert_true(store_tag_followed(g.d, BOB, "a"));
}

static void test_tag_use_and_history_count_public_and_unlisted_posts_by_day(void **state)
{
    (void)state;
    int64_t day = 86400000, base = (T0 / day) * day;
    assert_false(store_tag_used(g.d, "x"));
    add_status_at(base - day + 5, 0, BOB, VIS_PRIVATE, "x");
    assert_false(store_tag_used(g.d, "x")); /* followers-only tells nobody */
    add_status_at(base + 10, 0, ALICE, VIS_PUBLIC, "x");
    add_status_at(base + 20, 0, ALICE, VIS_UNLISTED, "x");
    add_status_at(base + 30, 0, BOB, VIS_PUBLIC, "x");
    add_status_at(base - day + 40, 0, BOB, VIS_PUBLIC, "x");
    add_status_at(base - 3 * day, 0, BOB, VIS_PUBLIC, "x"); /* before since */
    assert_true(store_tag_used(g.d, "x"));
    pl_tag_day *days;
    int n;
    assert_int_equal(
        store_tag_history(g.d, "x", id_floor_for_ms(base - 2 * day) - 1, &A, &days, &n), PL_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) {
        if (days[i].day == base / day) {
            assert_int_equal(days[i].uses, 3);
            assert_int_equal(days[i].accounts, 2);
        } else {
            assert_int_equal(days[i].day, base / day - 1);
            assert_int_equal(days[i].uses, 1);
            assert_int_equal(days[i].accounts, 1);
        }
    }
}

static void test_statuses_by_tags_are_public_newest_first_once_within_the_window(void **state)
{
    (void)state;
    int64_t a = add_status_at(T0 + 1, 0, BOB, VIS_PUBLIC, "a");
    int64_t b = add_status_at(T0 + 2, 0, BOB, VIS_PUBLIC, "b");
    int64_t both = add_status_at(T0 + 3, 0, BOB, VIS_PUBLIC, "a");
    assert_int_equal(store_status_tag_add(g.d, both, "b"), PL_OK);
    add_status_at(T0 + 4, 0, BOB, VIS_PRIVATE, "a");
    add_status_at(T0 + 5, 0, BOB, VIS_PUBLIC, "c");
    int64_t late = add_status_at(T0 + 6, 0, BOB, VIS_PUBLIC, "b");
    const char *tags[] = {"a", "b"};
    pl_idlist l;
    assert_int_equal(store_statuses_by_tags(g.d, tags, 2, 0, 0, 10, &A, &l), PL_OK);
    assert_int_equal(l.n, 4);
    int64_t want[] = {late, both, b, a};
    for (int i = 0; i < 4; i++) assert_int_equal(l.ids[i], want[i]);
    assert_int_equal(store_statuses_by_tags(g.d, tags, 2, a, late, 10, &A, &l), PL_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.ids[0], both);
    assert_int_equal(l.ids[1], b);
    assert_int_equal(store_statuses_by_tags(g.d, tags, 2, 0, 0, 1, &A, &l), PL_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], late);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_filter_comes_back_with_its_keywords_and_statuses_for_its_owner_only),
        T(test_filter_changes_and_deletes_name_the_owner),
        T(test_filters_of_an_owner_carry_their_own_keywords_and_statuses),
        T(test_a_status_is_in_a_filter_once_and_leaves_it_when_deleted),
        T(test_tag_follows_are_a_set_paged_newest_first),
        T(test_tag_use_and_history_count_public_and_unlisted_posts_by_day),
        T(test_statuses_by_tags_are_public_newest_first_once_within_the_window),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
