/*
 * test_store_watches.c — listening's watches and what they hold (store/watches.c, migration
 * 060): a watch is changed and removed by its owner only, and each change moves the version
 * the compiled sets follow; a match is kept once, and a removed watch takes its matches,
 * buckets and alerts with it; the matcher's lease is one node's until it expires; the cursor
 * reads posts, not boosts, past it; buckets add up; the dashboard's sums read a period; an
 * alert takes one ticket. Runs on SQLite and, with PARTYLINE_TEST_DATABASE, on PostgreSQL;
 * every test is rolled back.
 */
#include "store_fixture.h"

#include "store/watches.h"
#include "util/ids.h"

static pl_watch watch(int64_t id, int64_t owner, const char *query)
{
    return (pl_watch){.id = id,
                      .account_id = owner,
                      .title = "A watch",
                      .query = query,
                      .created_at = T0,
                      .updated_at = T0};
}

static int64_t version(void)
{
    pl_listen_state st;
    assert_int_equal(store_listen_state(g.d, &st), PL_OK);
    return st.version;
}

static void test_a_watch_is_its_owners_and_each_change_moves_the_version(void **state)
{
    int64_t v0 = version();
    pl_watch w = watch(10, ALICE, "launch");
    assert_int_equal(store_watch_insert(g.d, &w), PL_OK);
    assert_true(version() > v0);

    pl_watch got;
    assert_int_equal(store_watch_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.query, "launch");
    assert_int_equal(got.account_id, ALICE);
    assert_int_equal(got.channel_id, 0);
    assert_int_equal(got.spike_bucket, -1);
    assert_string_equal(got.spike, "");

    /* another's: neither changed nor removed, and the version stays */
    int64_t v1 = version();
    pl_watch theirs = w;
    theirs.account_id = BOB;
    theirs.query = "other";
    assert_int_equal(store_watch_update(g.d, &theirs), PL_ENOTFOUND);
    assert_int_equal(store_watch_delete(g.d, 10, BOB), PL_ENOTFOUND);
    assert_int_equal(version(), v1);

    w.query = "launch OR release";
    w.channel_id = 77;
    assert_int_equal(store_watch_update(g.d, &w), PL_OK);
    assert_true(version() > v1);
    assert_int_equal(store_watch_get(g.d, 10, &A, &got), PL_OK);
    assert_string_equal(got.query, "launch OR release");
    assert_int_equal(got.channel_id, 77);

    pl_watch more = watch(11, ALICE, "b"), bobs = watch(12, BOB, "c");
    assert_int_equal(store_watch_insert(g.d, &more), PL_OK);
    assert_int_equal(store_watch_insert(g.d, &bobs), PL_OK);
    int64_t n;
    assert_int_equal(store_watches_count(g.d, ALICE, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_watches_count(g.d, 0, &n), PL_OK);
    assert_int_equal(n, 3);
    pl_watch *list;
    int k;
    assert_int_equal(store_watches_of(g.d, ALICE, &A, &list, &k), PL_OK);
    assert_int_equal(k, 2);
    assert_int_equal(list[0].id, 11); /* newest first */
    assert_int_equal(store_watches_all(g.d, &A, &list, &k), PL_OK);
    assert_int_equal(k, 3);
    assert_int_equal(list[0].id, 10);
}

static void test_a_match_is_kept_once_and_goes_with_its_watch(void **state)
{
    pl_watch w = watch(10, ALICE, "x");
    assert_int_equal(store_watch_insert(g.d, &w), PL_OK);
    int64_t s1 = id_floor_for_ms(T0) + 1, s2 = id_floor_for_ms(T0 + 1000) + 1;
    bool is_new;
    assert_int_equal(store_watch_match_add(g.d, 10, s1, BOB, -500, T0, &is_new), PL_OK);
    assert_true(is_new);
    assert_int_equal(store_watch_match_add(g.d, 10, s1, BOB, -500, T0, &is_new), PL_OK);
    assert_false(is_new);
    assert_int_equal(store_watch_match_add(g.d, 10, s2, CAROL, 600, T0 + 1000, &is_new), PL_OK);
    assert_int_equal(store_watch_feed_match_add(g.d, 10, 900, 0, T0, &is_new), PL_OK);
    /* the two matches' bucket and author counts, as the matcher writes them */
    int64_t b0 = T0 / 300000, day = b0 / 288;
    assert_int_equal(store_watch_bucket_add(g.d, 10, b0, day, &(pl_watch_tones){1, 1, 0}), PL_OK);
    assert_int_equal(store_watch_bucket_add(g.d, 10, b0, day, &(pl_watch_tones){1, 0, 1}), PL_OK);
    assert_int_equal(store_watch_author_add(g.d, 10, day, BOB, 1), PL_OK);
    assert_int_equal(store_watch_author_add(g.d, 10, day, CAROL, 1), PL_OK);
    /* and a bucket of three earlier negative ones whose matches are not here: a whole bucket
     * is read from its counts, not its matches */
    assert_int_equal(
        store_watch_bucket_add(g.d, 10, b0 - 2, (b0 - 2) / 288, &(pl_watch_tones){3, 3, 0}), PL_OK);
    assert_int_equal(store_watch_author_add(g.d, 10, day, CAROL, 3), PL_OK);
    pl_watch_alert al = {.id = 50, .watch_id = 10, .account_id = ALICE, .bucket = b0, .at = T0};
    assert_int_equal(store_watch_alert_insert(g.d, &al), PL_OK);

    pl_watch got; /* the running counts: the buckets' matches, the feed match, the alert */
    assert_int_equal(store_watch_get(g.d, 10, &A, &got), PL_OK);
    assert_int_equal(got.matches, 5);
    assert_int_equal(got.feed_matches, 1);
    assert_int_equal(got.alerts, 1);
    assert_int_equal(store_watch_feed_match_add(g.d, 10, 900, 0, T0, &is_new), PL_OK);
    assert_false(is_new);
    assert_int_equal(store_watch_get(g.d, 10, &A, &got), PL_OK);
    assert_int_equal(got.feed_matches, 1); /* a match kept already is not counted again */

    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_watch_matches_page(g.d, 10, &p, &A, &l), PL_OK);
    check_ids(l.ids, l.n, (int64_t[]){s2, s1, 0});

    int64_t *b, *c;
    int n;
    assert_int_equal(store_watch_buckets(g.d, 10, b0 - 2, b0, &A, &b, &c, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(b[0], b0 - 2);
    assert_int_equal(c[0], 3);
    assert_int_equal(c[1], 2);
    pl_watch_day *days; /* the day's row counts its buckets, by tone (b0 - 2 is T0's day) */
    assert_int_equal((b0 - 2) / 288, day);
    assert_int_equal(store_watch_days(g.d, 10, day - 1, day + 1, &A, &days, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(days[0].day, day);
    assert_int_equal(days[0].n.total, 5);
    assert_int_equal(days[0].n.negative, 4);
    assert_int_equal(days[0].n.positive, 1);

    /* the dashboard's sums over a period, by tone: inside one bucket, from the matches */
    pl_watch_sums sums;
    pl_watch_span edges = {
        .from = T0 - 10, .to = T0 + 2000, .lo_ms = T0 + 2000, .hi_ms = T0 + 2000};
    assert_int_equal(store_watch_sums(g.d, 10, &edges, 200, &sums), PL_OK);
    assert_int_equal(sums.total, 2);
    assert_int_equal(sums.negative, 1);
    assert_int_equal(sums.positive, 1);
    assert_int_equal(sums.neutral, 0);
    edges.from = T0 + 500;
    assert_int_equal(store_watch_sums(g.d, 10, &edges, 200, &sums), PL_OK);
    assert_int_equal(sums.total, 1);
    /* whole buckets b0 - 2 … b0 from their counts, and an edge before them from the matches
     * (the match at T0 is not read twice: it is in a whole bucket) */
    int64_t b0_ms = b0 * 300000;
    pl_watch_span whole = {.from = b0_ms - 700000,
                           .to = b0_ms + 300000,
                           .lo = b0 - 2,
                           .hi = b0 + 1,
                           .lo_ms = b0_ms - 600000,
                           .hi_ms = b0_ms + 300000};
    assert_int_equal(store_watch_sums(g.d, 10, &whole, 200, &sums), PL_OK);
    assert_int_equal(sums.total, 5);
    assert_int_equal(sums.negative, 4);
    assert_int_equal(sums.positive, 1);
    int64_t *authors, *counts;
    assert_int_equal(
        store_watch_top_authors(g.d, 10, day - 1, day - 1, 5, &A, &authors, &counts, &n), PL_OK);
    assert_int_equal(n, 0); /* the day before has none */
    assert_int_equal(store_watch_top_authors(g.d, 10, day - 1, day, 5, &A, &authors, &counts, &n),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(authors[0], CAROL); /* most first: 4 on that day */
    assert_int_equal(counts[0], 4);
    assert_int_equal(authors[1], BOB);
    assert_int_equal(counts[1], 1);

    assert_int_equal(store_watch_delete(g.d, 10, ALICE), PL_OK);
    assert_int_equal(count_where("SELECT count(*) FROM watch_matches WHERE watch_id = ?", 10), 0);
    assert_int_equal(count_where("SELECT count(*) FROM watch_feed_matches WHERE watch_id = ?", 10),
                     0);
    assert_int_equal(count_where("SELECT count(*) FROM watch_buckets WHERE watch_id = ?", 10), 0);
    assert_int_equal(count_where("SELECT count(*) FROM watch_alerts WHERE watch_id = ?", 10), 0);
    assert_int_equal(count_where("SELECT count(*) FROM watch_authors WHERE watch_id = ?", 10), 0);
    assert_int_equal(count_where("SELECT count(*) FROM watch_author_tops WHERE watch_id = ?", 10),
                     0);
}

/* a day's first fifty of watch_authors, for the watch bound (the ? of the EXCEPT's other side) */
#define DAY_TOP_AUTHORS                                                                            \
    "SELECT day, author_id, count FROM (SELECT day, author_id, count, row_number() OVER "          \
    "(PARTITION BY day ORDER BY count DESC, author_id) AS r FROM watch_authors WHERE watch_id = "  \
    "11) a WHERE r <= 50"

/* A day's kept authors (migration 063) are the day's WATCH_DAY_AUTHORS with the most matches,
 * the smaller id first among equals, exactly, however the counts grow: 80 authors in a
 * scrambled order and amounts, compared with all of watch_authors after every write. */
static void test_a_days_kept_authors_are_its_first_fifty(void **state)
{
    (void)state;
    pl_watch w = {.id = 11,
                  .account_id = ALICE,
                  .title = "t",
                  .query = "q",
                  .created_at = T0,
                  .updated_at = T0};
    assert_int_equal(store_watch_insert(g.d, &w), PL_OK);
    int64_t day = T0 / 86400000;
    uint32_t x = 12345;
    for (int i = 0; i < 600; i++) {
        x = x * 1103515245u + 12345u;
        int64_t author = 1000 + (x >> 16) % 80;
        int delta = 1 + (int)((x >> 8) % 3);
        assert_int_equal(store_watch_author_add(g.d, 11, day, author, delta), PL_OK);
        assert_int_equal(store_watch_author_add(g.d, 11, day + 1, author, 1), PL_OK);
        if (i % 50 && i != 599) continue;
        for (int k = 0; k < 2; k++)
            assert_int_equal(
                count_where(k ? "SELECT count(*) FROM (SELECT day, author_id, count FROM "
                                "watch_author_tops WHERE watch_id = ? EXCEPT " DAY_TOP_AUTHORS ") t"
                              : "SELECT count(*) FROM (" DAY_TOP_AUTHORS " EXCEPT SELECT day, "
                                "author_id, count FROM watch_author_tops WHERE watch_id = ?) t",
                            11),
                0);
        int64_t kept = 0;
        for (int k = 0; k < 2; k++) {
            int64_t all = count_where(k ? "SELECT count(*) FROM watch_authors WHERE watch_id = ? "
                                          "AND day = (SELECT max(day) FROM watch_authors)"
                                        : "SELECT count(*) FROM watch_authors WHERE watch_id = ? "
                                          "AND day = (SELECT min(day) FROM watch_authors)",
                                      11);
            kept += all < WATCH_DAY_AUTHORS ? all : WATCH_DAY_AUTHORS;
        }
        assert_int_equal(
            count_where("SELECT count(*) FROM watch_author_tops WHERE watch_id = ?", 11), kept);
    }
    assert_int_equal(store_watch_author_add(g.d, 11, day, 1000, 0), PL_EINTERNAL); /* only grows */
    /* the period's authors are summed over its days' kept ones */
    int64_t *authors, *counts;
    int n;
    assert_int_equal(store_watch_top_authors(g.d, 11, day, day + 1, 10, &A, &authors, &counts, &n),
                     PL_OK);
    assert_int_equal(n, 10);
    assert_int_equal(counts[0],
                     count_where("SELECT max(n) FROM (SELECT sum(count) AS n FROM "
                                 "watch_authors WHERE watch_id = ? GROUP BY author_id) t",
                                 11));
    for (int i = 1; i < n; i++) assert_true(counts[i] <= counts[i - 1]);
    /* exactly the kept rows' sums, ranked as SQL ranks them (ties: the smaller id first) */
    db_stmt *st = db_prepare(g.d, "SELECT author_id, sum(count) AS n FROM watch_author_tops "
                                  "WHERE watch_id = 11 GROUP BY author_id ORDER BY n DESC, "
                                  "author_id LIMIT 10");
    assert_non_null(st);
    for (int i = 0; i < n; i++) {
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(authors[i], db_col_i64(st, 0));
        assert_int_equal(counts[i], db_col_i64(st, 1));
    }
    assert_int_equal(db_step(st), DB_DONE);
    db_reset(st);
}

static void test_the_lease_is_one_nodes_until_it_expires(void **state)
{
    bool got;
    assert_int_equal(store_listen_lease(g.d, "node 1", T0, T0 + 30000, &got), PL_OK);
    assert_true(got);
    assert_int_equal(store_listen_lease(g.d, "node 2", T0 + 1000, T0 + 31000, &got), PL_OK);
    assert_false(got);
    assert_int_equal(store_listen_lease(g.d, "node 1", T0 + 1000, T0 + 31000, &got), PL_OK);
    assert_true(got); /* renewed */
    assert_int_equal(store_listen_lease(g.d, "node 2", T0 + 40000, T0 + 70000, &got), PL_OK);
    assert_true(got); /* expired: taken over */
    assert_int_equal(store_listen_lease_drop(g.d, "node 2"), PL_OK);
    assert_int_equal(store_listen_lease(g.d, "node 1", T0 + 41000, T0 + 71000, &got), PL_OK);
    assert_true(got);
}

static void test_the_cursor_reads_posts_past_it_not_boosts(void **state)
{
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, BOB, VIS_PRIVATE);
    add_reblog(102, CAROL, 100);
    add_status(103, DAVE, VIS_DIRECT);
    int64_t *ids;
    int n;
    assert_int_equal(store_listen_statuses_after(g.d, 100, 10, &A, &ids, &n), PL_OK);
    check_ids(ids, n, (int64_t[]){101, 103, 0});
    assert_int_equal(store_listen_statuses_after(g.d, 0, 1, &A, &ids, &n), PL_OK);
    check_ids(ids, n, (int64_t[]){100, 0});
    assert_int_equal(store_listen_latest(g.d, 2, &A, &ids, &n), PL_OK);
    check_ids(ids, n, (int64_t[]){103, 101, 0});

    assert_int_equal(store_listen_cursors_set(g.d, 101, 7), PL_OK);
    assert_int_equal(store_listen_closed_set(g.d, 4321), PL_OK);
    pl_listen_state st;
    assert_int_equal(store_listen_state(g.d, &st), PL_OK);
    assert_int_equal(st.status_cursor, 101);
    assert_int_equal(st.item_cursor, 7);
    assert_int_equal(st.closed_bucket, 4321);
}

static void test_an_alert_takes_one_ticket(void **state)
{
    pl_watch w = watch(10, ALICE, "x");
    assert_int_equal(store_watch_insert(g.d, &w), PL_OK);
    pl_watch_alert al = {.id = 50,
                         .watch_id = 10,
                         .account_id = ALICE,
                         .bucket = 5002,
                         .at = T0,
                         .count = 12,
                         .ratio_milli = 24000,
                         .base_hour = 14,
                         .base_samples = 10};
    assert_int_equal(store_watch_alert_insert(g.d, &al), PL_OK);
    bool got;
    assert_int_equal(store_watch_alert_set_ticket(g.d, 50, 900, &got), PL_OK);
    assert_true(got);
    assert_int_equal(store_watch_alert_set_ticket(g.d, 50, 901, &got), PL_OK);
    assert_false(got);
    assert_int_equal(store_watch_alert_set_status(g.d, 50, 333), PL_OK);
    pl_watch_alert back;
    assert_int_equal(store_watch_alert_get(g.d, 50, &back), PL_OK);
    assert_int_equal(back.ticket_id, 900);
    assert_int_equal(back.status_id, 333);
    assert_int_equal(back.count, 12);
    assert_int_equal(back.ratio_milli, 24000);
    assert_int_equal(back.base_hour, 14);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_watch_alerts_page(g.d, ALICE, 0, &p, &A, &l), PL_OK);
    check_ids(l.ids, l.n, (int64_t[]){50, 0});
    assert_int_equal(store_watch_alerts_page(g.d, BOB, 0, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(store_watch_alert_get(g.d, 51, &back), PL_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_watch_is_its_owners_and_each_change_moves_the_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_match_is_kept_once_and_goes_with_its_watch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_days_kept_authors_are_its_first_fifty, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_lease_is_one_nodes_until_it_expires, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_cursor_reads_posts_past_it_not_boosts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_alert_takes_one_ticket, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
