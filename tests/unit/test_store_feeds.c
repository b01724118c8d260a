/*
 * test_store_feeds.c — unit tests for src/store over a real database (store_fixture.h): follows,
 * blocks and mutes, home feeds (fan-out, removal, backfill, trimming).
 */
#define STORE_FIXTURE_DIR "/tmp/pl-feeds-XXXXXX"
#include "store_fixture.h"
#include "test_db.h" /* make test-unit-pg finds the database tests by this line */

/* ------------------------------------------------------------------------------------------ */
/* Follows, blocks, mutes                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void test_follow_and_relationship(void **state)
{
    (void)state;
    add_people();
    assert_false(store_follows(g.d, ALICE, BOB));
    assert_int_equal(store_follow_insert(g.d, 900, ALICE, BOB, false, true, T0), PL_OK);
    assert_true(store_follows(g.d, ALICE, BOB));
    assert_false(store_follows(g.d, BOB, ALICE));

    pl_relationship r;
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.id == BOB);
    assert_true(r.following);
    assert_false(r.showing_reblogs);
    assert_true(r.notifying);
    assert_false(r.followed_by);
    assert_false(r.blocking);
    assert_false(r.blocked_by);

    assert_int_equal(store_relationship(g.d, BOB, ALICE, &r), PL_OK);
    assert_false(r.following);
    assert_true(r.followed_by);

    assert_int_equal(store_follow_update(g.d, ALICE, BOB, true, false), PL_OK);
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.showing_reblogs);
    assert_false(r.notifying);
}

static void test_follow_twice_is_a_conflict(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    assert_int_equal(store_follow_insert(g.d, 901, ALICE, BOB, true, false, T0), PL_ECONFLICT);
}

static void test_unfollow_reports_whether_there_was_a_follow(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    assert_int_equal(store_follow_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_follows(g.d, ALICE, BOB));
    assert_int_equal(store_follow_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

static void test_follower_lists_are_paged_by_follow_id(void **state)
{
    (void)state;
    add_people();
    follow(903, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(904, ALICE, BOB);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_followers(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB, DAVE, CAROL); /* newest follow first */
    assert_true(l.keys[0] == 903 && l.keys[2] == 901);
    p = page(903, 0, 0, 10);
    assert_int_equal(store_followers(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, DAVE, CAROL);
    p = page(0, 0, 0, 10);
    assert_int_equal(store_following(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_true(l.keys[0] == 904);
}

/* The people among a home feed's merge sources: only the big accounts one follows. */
static int merged_people(int64_t viewer, int64_t *ids, bool *reblogs, int cap)
{
    pl_merge_source *src;
    int n, k = 0;
    assert_int_equal(store_merge_sources(g.d, viewer, &A, &src, &n), PL_OK);
    for (int i = 0; i < n; i++) {
        if (src[i].channel || src[i].tag || src[i].excluded) continue;
        assert_true(k < cap);
        ids[k] = src[i].id;
        reblogs[k++] = src[i].show_reblogs;
    }
    return k;
}

static void test_merge_sources_hold_only_the_big_accounts_followed(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    follow(901, ALICE, CAROL);
    follow(902, DAVE, CAROL);
    assert_int_equal(store_account_set_big(g.d, CAROL, true), PL_OK);
    int64_t ids[4];
    bool reblogs[4];
    assert_int_equal(merged_people(ALICE, ids, reblogs, 4), 1);
    assert_true(ids[0] == CAROL);
    assert_true(reblogs[0]);
    assert_int_equal(merged_people(BOB, ids, reblogs, 4), 0);
}

static void test_trim_batch_of_zero_trims_nothing(void **state)
{
    (void)state;
    add_people();
    int64_t last = -1;
    assert_int_equal(store_timeline_trim_batch(g.d, 0, 0, 3, &last), PL_OK);
    assert_true(last == 0);
}

static void test_fanout_delivers_a_reply_to_the_follower_it_answers(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    add_status(100, BOB, VIS_PUBLIC);
    add_reply(101, ALICE, 100, BOB);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, BOB, false, &n), PL_OK);
    assert_true(in_home(BOB, 101));
    assert_true(n == 2);
}

static void test_viewer_relations_come_in_one_query_as_four_sorted_sets(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_block_insert(g.d, 900, CAROL, ALICE), PL_OK); /* Carol blocks Alice */
    assert_int_equal(store_block_insert(g.d, 901, ALICE, ERIN), PL_OK);
    assert_int_equal(store_block_insert(g.d, 902, ALICE, BOB), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 903, ALICE, DAVE, true, 0), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 904, ALICE, CAROL, true, 1000), PL_OK); /* expired */
    assert_int_equal(store_mute_insert(g.d, 905, ERIN, ALICE, false, 0), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 906, BOB, ALICE, true, 3000), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 907, DAVE, ALICE, true, 1500), PL_OK); /* expired */
    pl_idsets r;
    assert_int_equal(store_viewer_relations(g.d, ALICE, 2000, &A, &r), PL_OK);
    assert_int_equal(r.n[0], 1);
    assert_true(r.ids[0][0] == CAROL);
    assert_int_equal(r.n[1], 2);
    assert_true(r.ids[1][0] == BOB && r.ids[1][1] == ERIN); /* sorted */
    assert_int_equal(r.n[2], 1);
    assert_true(r.ids[2][0] == DAVE);
    assert_int_equal(r.n[3], 2); /* who mutes Alice now */
    assert_true(r.ids[3][0] == BOB && r.ids[3][1] == ERIN);
}

static void test_viewer_flags_read_a_range_and_refuse_more_than_max(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 106; id++) add_status(id, BOB, VIS_PUBLIC);
    assert_int_equal(store_favourite_insert(g.d, 900, ALICE, 101), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 901, ALICE, 104), PL_OK);
    assert_int_equal(store_bookmark_insert(g.d, 902, ALICE, 102), PL_OK);
    add_reblog(200, ALICE, 103);
    assert_int_equal(store_favourite_insert(g.d, 903, BOB, 100), PL_OK); /* someone else's */
    pl_idsets f;
    assert_int_equal(store_viewer_flags(g.d, ALICE, 100, 105, 10, &A, &f), PL_OK);
    assert_int_equal(f.n[0], 2);
    assert_true(f.ids[0][0] == 101 && f.ids[0][1] == 104);
    assert_int_equal(f.n[1], 1);
    assert_true(f.ids[1][0] == 102);
    assert_int_equal(f.n[2], 1);
    assert_true(f.ids[2][0] == 103);
    assert_int_equal(store_viewer_flags(g.d, ALICE, 102, 103, 10, &A, &f), PL_OK);
    assert_int_equal(f.n[0], 0); /* outside the range */
    assert_int_equal(store_viewer_flags(g.d, ALICE, 100, 105, 1, &A, &f), PL_ELIMIT);
}

static void test_block_shows_in_both_directions_of_the_relationship(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_block_insert(g.d, 900, ALICE, BOB), PL_OK);
    assert_int_equal(store_block_insert(g.d, 901, ALICE, BOB), PL_OK); /* idempotent */
    assert_true(store_blocks(g.d, ALICE, BOB));
    assert_false(store_blocks(g.d, BOB, ALICE));
    pl_relationship r;
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.blocking);
    assert_false(r.blocked_by);
    assert_int_equal(store_relationship(g.d, BOB, ALICE, &r), PL_OK);
    assert_false(r.blocking);
    assert_true(r.blocked_by);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_blocks_list(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_int_equal(store_block_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_blocks(g.d, ALICE, BOB));
    assert_int_equal(store_block_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

static void test_mute_expires_and_remembers_notification_choice(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_mute_insert(g.d, 900, ALICE, BOB, false, T0 + 1000), PL_OK);
    bool hide = true;
    assert_true(store_mutes(g.d, ALICE, BOB, T0, &hide));
    assert_false(hide);
    assert_true(store_mutes(g.d, ALICE, BOB, T0 + 999, NULL));
    assert_false(store_mutes(g.d, ALICE, BOB, T0 + 1000, NULL));
    assert_false(store_mutes(g.d, BOB, ALICE, T0, NULL));
    /* muting again replaces the terms: now forever, notifications hidden */
    assert_int_equal(store_mute_insert(g.d, 901, ALICE, BOB, true, 0), PL_OK);
    assert_true(store_mutes(g.d, ALICE, BOB, T0 + 1000000000, &hide));
    assert_true(hide);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_mutes_list(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_int_equal(store_mute_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_mutes(g.d, ALICE, BOB, T0, NULL));
    assert_int_equal(store_mute_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Home timelines                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void test_fanout_reaches_followers_and_the_author_only(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, BOB); /* follows someone else */
    add_status(100, ALICE, VIS_PUBLIC);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 100, 0, false, &n), PL_OK);
    assert_true(n == 3);
    assert_true(in_home(ALICE, 100));
    assert_true(in_home(BOB, 100));
    assert_true(in_home(CAROL, 100));
    assert_false(in_home(DAVE, 100));
    assert_false(in_home(ERIN, 100));
}

static void test_fanout_skips_a_reply_for_followers_who_do_not_follow_the_replied_to(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);   /* Bob follows Alice only */
    follow(901, CAROL, ALICE); /* Carol follows Alice and Dave */
    follow(902, CAROL, DAVE);
    add_status(100, DAVE, VIS_PUBLIC);
    add_reply(101, ALICE, 100, DAVE);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, DAVE, false, &n), PL_OK);
    assert_true(n == 2); /* Carol and Alice herself */
    assert_false(in_home(BOB, 101));
    assert_true(in_home(CAROL, 101));
    assert_true(in_home(ALICE, 101));
    assert_false(in_home(DAVE, 101)); /* Dave does not follow Alice */
}

static void test_fanout_delivers_a_self_reply_to_every_follower(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    add_status(100, ALICE, VIS_PUBLIC);
    add_reply(101, ALICE, 100, ALICE);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, ALICE, false, &n), PL_OK);
    assert_true(n == 3);
    assert_true(in_home(BOB, 101));
    assert_true(in_home(CAROL, 101));
}

static void test_fanout_of_a_reblog_respects_show_reblogs(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_follow_insert(g.d, 900, BOB, ALICE, true, false, T0), PL_OK);
    assert_int_equal(store_follow_insert(g.d, 901, CAROL, ALICE, false, false, T0), PL_OK);
    add_status(100, DAVE, VIS_PUBLIC);
    add_reblog(101, ALICE, 100);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, 0, true, &n), PL_OK);
    assert_true(in_home(BOB, 101));
    assert_false(in_home(CAROL, 101));
    assert_true(n == 2);
}

static void test_timeline_insert_is_idempotent_and_pages_newest_first(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 106; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
    }
    assert_int_equal(store_timeline_insert(g.d, ALICE, 103), PL_OK);
    pl_idlist l;
    pl_page p = page(0, 0, 0, 10);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 105, 104, 103, 102, 101, 100);
    p = page(104, 0, 0, 2);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102);
    p = page(0, 0, 101, 2);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102);
}

static void test_timeline_remove_author_and_status(void **state)
{
    (void)state;
    add_people();
    add_status(100, BOB, VIS_PUBLIC);
    add_status(101, CAROL, VIS_PUBLIC);
    add_status(102, BOB, VIS_PUBLIC);
    for (int64_t id = 100; id <= 102; id++) {
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, DAVE, id), PL_OK);
    }
    assert_int_equal(store_timeline_remove_author(g.d, ALICE, BOB), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 101);
    l = home(DAVE);
    assert_ids(&l, 102, 101, 100);
    assert_int_equal(store_timeline_remove_status(g.d, 101), PL_OK);
    l = home(ALICE);
    assert_empty(&l);
    l = home(DAVE);
    assert_ids(&l, 102, 100);
}

/* Runs the fan-out queue to its end, `chunk` rows a step, as the writer does. */
static void run_fanout_queue(int chunk)
{
    for (int steps = 0; steps < 1000; steps++) {
        pl_fanout f;
        int rc = store_fanout_next(g.d, &f);
        if (rc == PL_ENOTFOUND) return;
        assert_int_equal(rc, PL_OK);
        int64_t rows;
        assert_int_equal(store_fanout_chunk(g.d, &f, chunk, &rows), PL_OK);
    }
    fail_msg("the fan-out queue never emptied");
}

/* A post deleted while its fan-out is queued (or half done): no feed row is left, and none is
 * written after (item 30). */
static void test_a_fanout_queued_for_a_deleted_post_leaves_no_feed_row(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(903, ERIN, ALICE);
    for (int64_t id = 100; id <= 101; id++) {
        add_status(id, ALICE, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        pl_fanout f = {.status_id = id, .author_id = ALICE};
        assert_int_equal(store_fanout_enqueue(g.d, &f, T0), PL_OK);
    }
    /* 101 is half done: one chunk of two followers */
    pl_fanout f;
    assert_int_equal(store_fanout_next(g.d, &f), PL_OK);
    assert_true(f.status_id == 100);
    f.status_id = 101;
    int64_t rows;
    assert_int_equal(store_fanout_chunk(g.d, &f, 2, &rows), PL_OK);
    assert_true(rows == 2);
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_int_equal(store_status_delete(g.d, 101), PL_OK);
    run_fanout_queue(2);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE status_id >= ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM fanout_queue WHERE status_id >= ?", 100) == 0);
}

/* A delete removes a few feed rows in its own transaction and queues the rest, which the
 * writer's fan-out steps then remove a chunk at a time; a post with few rows queues nothing. */
static void test_a_delete_removes_a_few_feed_rows_and_queues_the_rest(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(903, ERIN, ALICE);
    follow(904, ALICE, BOB);
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, BOB, VIS_PUBLIC);
    int64_t n;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 100, 0, false, &n), PL_OK);
    assert_true(n == 5);
    assert_int_equal(store_timeline_fanout(g.d, BOB, 101, 0, false, &n), PL_OK);
    assert_true(n == 2);
    static const char rows_of[] = "SELECT count(*) FROM timeline WHERE status_id = ?";
    static const char removal[] = "SELECT count(*) FROM fanout_queue WHERE status_id = ? "
                                  "AND removing = 1";
    assert_int_equal(store_status_delete_queued(g.d, 100, 2, T0), PL_OK);
    assert_true(count_where(rows_of, 100) == 3);
    assert_true(count_where(removal, 100) == 1);
    /* the post is gone at once, wherever its rows still wait */
    assert_false(in_home(CAROL, 100));
    assert_false(in_home(ALICE, 100));
    assert_int_equal(store_status_delete_queued(g.d, 101, 3, T0), PL_OK);
    assert_true(count_where(rows_of, 101) == 0);
    assert_true(count_where(removal, 101) == 0);
    run_fanout_queue(2);
    assert_true(count_where(rows_of, 100) == 0);
    assert_true(count_where(removal, 100) == 0);
}

/* The home feed leaves out a deleted post whose feed rows wait in the removal queue, and its
 * pages stay full: a loop whose cache has not heard of the delete yet must not be handed it. */
static void test_home_leaves_out_a_post_whose_rows_wait_to_be_removed(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id <= 103; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
    }
    /* no row removed at once: every row of 101 and 103 waits in the queue */
    assert_int_equal(store_status_delete_queued(g.d, 101, 0, T0), PL_OK);
    assert_int_equal(store_status_delete_queued(g.d, 103, 0, T0), PL_OK);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE account_id = ?", ALICE) == 4);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 102, 100);
    pl_page p = page(0, 0, 0, 1);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 102);
    p = page(0, 0, 100, 1);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 102);
    run_fanout_queue(1);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE account_id = ?", ALICE) == 2);
    l = home(ALICE);
    assert_ids(&l, 102, 100);
}

static void test_backfill_copies_recent_top_level_posts_but_not_direct_or_reblogs(void **state)
{
    (void)state;
    add_people();
    add_status(100, CAROL, VIS_PUBLIC);
    add_status(101, BOB, VIS_PUBLIC);
    add_status(102, BOB, VIS_UNLISTED);
    add_status(103, BOB, VIS_PRIVATE);
    add_status(104, BOB, VIS_DIRECT);
    add_reply(105, BOB, 100, CAROL);
    add_reply(106, BOB, 101, BOB);
    add_reblog(107, BOB, 100);
    add_status(108, BOB, VIS_PUBLIC);
    assert_int_equal(store_timeline_backfill(g.d, ALICE, BOB, 40), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 108, 106, 103, 102, 101);
    /* the limit counts from the newest */
    assert_int_equal(store_timeline_backfill(g.d, DAVE, BOB, 2), PL_OK);
    l = home(DAVE);
    assert_ids(&l, 108, 106);
}

static void test_trim_keeps_the_newest_entries(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 110; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, CAROL, id), PL_OK);
    }
    assert_int_equal(store_timeline_trim(g.d, ALICE, 3), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 109, 108, 107);
    l = home(CAROL);
    assert_int_equal(l.n, 10);
    assert_int_equal(store_timeline_trim(g.d, CAROL, 50), PL_OK);
    l = home(CAROL);
    assert_int_equal(l.n, 10);
}

static void test_trim_batch_walks_the_accounts_and_wraps_to_zero(void **state)
{
    (void)state;
    add_people(); /* accounts 1..5 */
    for (int64_t id = 100; id < 106; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        for (int64_t owner = ALICE; owner <= ERIN; owner++)
            assert_int_equal(store_timeline_insert(g.d, owner, id), PL_OK);
    }
    int64_t last = -1;
    assert_int_equal(store_timeline_trim_batch(g.d, 0, 2, 3, &last), PL_OK);
    assert_true(last == BOB);
    assert_int_equal(home(ALICE).n, 3);
    assert_int_equal(home(BOB).n, 3);
    assert_int_equal(home(CAROL).n, 6);
    assert_int_equal(store_timeline_trim_batch(g.d, last, 2, 3, &last), PL_OK);
    assert_true(last == DAVE);
    assert_int_equal(store_timeline_trim_batch(g.d, last, 2, 3, &last), PL_OK);
    assert_true(last == 0); /* Erin was the last: start over */
    for (int64_t owner = ALICE; owner <= ERIN; owner++) {
        pl_idlist l = home(owner);
        assert_ids(&l, 105, 104, 103);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_follow_and_relationship),
        T(test_follow_twice_is_a_conflict),
        T(test_unfollow_reports_whether_there_was_a_follow),
        T(test_follower_lists_are_paged_by_follow_id),
        T(test_merge_sources_hold_only_the_big_accounts_followed),
        T(test_viewer_relations_come_in_one_query_as_four_sorted_sets),
        T(test_viewer_flags_read_a_range_and_refuse_more_than_max),
        T(test_trim_batch_of_zero_trims_nothing),
        T(test_fanout_delivers_a_reply_to_the_follower_it_answers),
        T(test_block_shows_in_both_directions_of_the_relationship),
        T(test_mute_expires_and_remembers_notification_choice),
        T(test_fanout_reaches_followers_and_the_author_only),
        T(test_fanout_skips_a_reply_for_followers_who_do_not_follow_the_replied_to),
        T(test_fanout_delivers_a_self_reply_to_every_follower),
        T(test_fanout_of_a_reblog_respects_show_reblogs),
        T(test_timeline_insert_is_idempotent_and_pages_newest_first),
        T(test_timeline_remove_author_and_status),
        T(test_a_fanout_queued_for_a_deleted_post_leaves_no_feed_row),
        T(test_a_delete_removes_a_few_feed_rows_and_queues_the_rest),
        T(test_home_leaves_out_a_post_whose_rows_wait_to_be_removed),
        T(test_backfill_copies_recent_top_level_posts_but_not_direct_or_reblogs),
        T(test_trim_keeps_the_newest_entries),
        T(test_trim_batch_walks_the_accounts_and_wraps_to_zero),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
