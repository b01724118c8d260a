/*
 * test_store_feed_sources.c — the feeds the company subscribes to and their items
 * (store/feed_sources.c, migration 059): a URL is a source once; an item is kept once per
 * source however often it is fetched again, and is its own in another source; a fetch is
 * recorded on its row (validators, state, error, failures, when next); the due sources come
 * longest due first; removing a source removes its items. Runs on SQLite and, with
 * PARTYLINE_TEST_DATABASE, on PostgreSQL; every test is rolled back.
 */
#include "store_fixture.h"

#include "store/feed_sources.h"

static pl_feed_source source(int64_t id, const char *url, int64_t next)
{
    return (pl_feed_source){.id = id,
                            .url = url,
                            .interval_s = 900,
                            .next_fetch_at = next,
                            .created_by = ALICE,
                            .created_at = T0};
}

static pl_feed_item item(int64_t id, int64_t source_id, const char *key)
{
    return (pl_feed_item){.id = id,
                          .source_id = source_id,
                          .key = key,
                          .link = "https://news.example/a",
                          .title = "A title",
                          .text = "Some text",
                          .published_at = T0 - 1000,
                          .fetched_at = T0};
}

static void test_a_url_is_a_source_once(void **state)
{
    pl_feed_source s = source(10, "https://news.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &s), PL_OK);
    pl_feed_source again = source(11, "https://news.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &again), PL_ECONFLICT);

    pl_feed_source got;
    assert_int_equal(store_feed_source_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.url, "https://news.example/feed");
    assert_string_equal(got.state, "new");
    assert_string_equal(got.title, "");
    assert_string_equal(got.last_error, "");
    assert_null(got.etag);
    assert_int_equal(got.interval_s, 900);
    assert_int_equal(got.created_by, ALICE);
    assert_int_equal(got.items, 0);
    assert_int_equal(store_feed_source_get(g.d, 11, &A, &got), PL_ENOTFOUND);
}

static void test_an_item_is_kept_once_per_source(void **state)
{
    pl_feed_source a = source(10, "https://a.example/feed", T0),
                   b = source(20, "https://b.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &a), PL_OK);
    assert_int_equal(store_feed_source_insert(g.d, &b), PL_OK);
    bool is_new = false;
    pl_feed_item it = item(100, 10, "guid-1");
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);
    assert_true(is_new);
    it.id = 101; /* fetched again: the same key is not kept twice */
    it.title = "Changed";
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);
    assert_false(is_new);
    it = item(102, 20, "guid-1"); /* another source's item with the same key is its own */
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);
    assert_true(is_new);
    it = item(103, 10, "guid-2");
    it.link = it.title = it.author = NULL;
    it.published_at = 0;
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);

    pl_feed_item *items;
    int n;
    assert_int_equal(store_feed_items(g.d, 10, 0, 10, &A, &items, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, 103); /* newest first */
    assert_null(items[0].link);
    assert_int_equal(items[0].published_at, 0);
    assert_int_equal(items[1].id, 100);
    assert_string_equal(items[1].title, "A title"); /* the first one kept, as it came */
    assert_string_equal(items[1].key, "guid-1");
    assert_int_equal(items[1].published_at, T0 - 1000);
    assert_int_equal(store_feed_items(g.d, 10, 103, 10, &A, &items, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_feed_items(g.d, 10, 0, 1, &A, &items, &n), PL_OK);
    assert_int_equal(n, 1);

    pl_feed_source got;
    assert_int_equal(store_feed_source_get(g.d, 10, &A, &got), PL_OK);
    assert_int_equal(got.items, 2);
}

static void test_a_fetch_is_recorded_on_its_row(void **state)
{
    pl_feed_source s = source(10, "https://a.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &s), PL_OK);
    pl_feed_fetch ok = {.source_id = 10,
                        .is_ok = true,
                        .title = "A news",
                        .etag = "\"v1\"",
                        .last_modified = "Mon, 07 Dec 2026 10:00:00 GMT",
                        .at = T0 + 1,
                        .next_fetch_at = T0 + 900000};
    assert_int_equal(store_feed_source_record(g.d, &ok), PL_OK);
    pl_feed_source got;
    assert_int_equal(store_feed_source_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.state, "ok");
    assert_string_equal(got.title, "A news");
    assert_string_equal(got.etag, "\"v1\"");
    assert_string_equal(got.last_modified, "Mon, 07 Dec 2026 10:00:00 GMT");
    assert_int_equal(got.last_success_at, T0 + 1);
    assert_int_equal(got.next_fetch_at, T0 + 900000);

    pl_feed_fetch bad = {.source_id = 10,
                         .error = "HTTP 404",
                         .failures = 1,
                         .at = T0 + 2,
                         .next_fetch_at = T0 + 1800000};
    assert_int_equal(store_feed_source_record(g.d, &bad), PL_OK);
    assert_int_equal(store_feed_source_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.state, "failing");
    assert_string_equal(got.last_error, "HTTP 404");
    assert_int_equal(got.failures, 1);
    assert_string_equal(got.etag, "\"v1\""); /* a failure keeps the validators */
    assert_string_equal(got.title, "A news");
    assert_int_equal(got.last_fetch_at, T0 + 2);
    assert_int_equal(got.last_success_at, T0 + 1);

    ok.title = NULL; /* not modified: the title stays, the failures and error go */
    ok.at = T0 + 3;
    assert_int_equal(store_feed_source_record(g.d, &ok), PL_OK);
    assert_int_equal(store_feed_source_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.state, "ok");
    assert_string_equal(got.title, "A news");
    assert_string_equal(got.last_error, "");
    assert_int_equal(got.failures, 0);

    ok.source_id = 99;
    assert_int_equal(store_feed_source_record(g.d, &ok), PL_ENOTFOUND);
}

static void test_due_sources_come_longest_due_first(void **state)
{
    pl_feed_source a = source(10, "https://a.example/feed", T0 + 5),
                   b = source(20, "https://b.example/feed", T0 - 5),
                   c = source(30, "https://c.example/feed", T0 + 100);
    assert_int_equal(store_feed_source_insert(g.d, &a), PL_OK);
    assert_int_equal(store_feed_source_insert(g.d, &b), PL_OK);
    assert_int_equal(store_feed_source_insert(g.d, &c), PL_OK);
    pl_feed_source *due;
    int n;
    assert_int_equal(store_feed_sources_due(g.d, T0 + 10, 10, &A, &due, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(due[0].id, 20);
    assert_int_equal(due[1].id, 10);
    assert_int_equal(store_feed_sources_due(g.d, T0 + 10, 1, &A, &due, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_feed_sources(g.d, &A, &due, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(due[0].id, 10);
}

static void test_of_two_claims_on_a_due_source_one_wins(void **state)
{
    pl_feed_source a = source(10, "https://a.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &a), PL_OK);
    bool got = false;
    assert_int_equal(store_feed_source_claim(g.d, 10, T0, T0 + 300000, &got), PL_OK);
    assert_true(got);
    /* the other node read the same row before: its claim finds it moved */
    assert_int_equal(store_feed_source_claim(g.d, 10, T0, T0 + 300000, &got), PL_OK);
    assert_false(got);
    pl_feed_source *due;
    int n;
    assert_int_equal(store_feed_sources_due(g.d, T0 + 1000, 10, &A, &due, &n), PL_OK);
    assert_int_equal(n, 0); /* taken: not due until the claim runs out */
    assert_int_equal(store_feed_sources_due(g.d, T0 + 300000, 10, &A, &due, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_removing_a_source_removes_its_items(void **state)
{
    pl_feed_source a = source(10, "https://a.example/feed", T0),
                   b = source(20, "https://b.example/feed", T0);
    assert_int_equal(store_feed_source_insert(g.d, &a), PL_OK);
    assert_int_equal(store_feed_source_insert(g.d, &b), PL_OK);
    bool is_new;
    pl_feed_item it = item(100, 10, "k");
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);
    it = item(101, 20, "k");
    assert_int_equal(store_feed_item_put(g.d, &it, &is_new), PL_OK);
    assert_int_equal(store_feed_source_delete(g.d, 10), PL_OK);
    assert_int_equal(store_feed_source_delete(g.d, 10), PL_ENOTFOUND);
    pl_feed_item *items;
    int n;
    assert_int_equal(store_feed_items(g.d, 10, 0, 10, &A, &items, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_feed_items(g.d, 20, 0, 10, &A, &items, &n), PL_OK);
    assert_int_equal(n, 1);
    /* the URL is free again */
    assert_int_equal(store_feed_source_insert(g.d, &a), PL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_url_is_a_source_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_item_is_kept_once_per_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_fetch_is_recorded_on_its_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_sources_come_longest_due_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_of_two_claims_on_a_due_source_one_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_removing_a_source_removes_its_items, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
