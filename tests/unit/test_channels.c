/*
 * test_channels.c — the store's channels (store/channels.c) and follow requests
 * (store/graph.c): rows, roles, pins, a channel's posts and the window query, what a home
 * feed merges, the requests of locked accounts, a following list that keeps private
 * channels from outsiders, migration 024 (roles left beside no follow), and the read markers of
 * store/channel_reads.c (migration 051) with the window they count. Runs on SQLite and,
 * with PARTYLINE_TEST_DATABASE, on PostgreSQL; each test runs in a transaction rolled back after.
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
#include "store/channel_reads.h"
#include "store/channels.h"
#include "store/graph.h"
#include "store/lists.h"
#include "store/migrate.h"
#include "store/posts.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3, TEAM = 10, CLUB = 11, ALL = 12 };
#define T0 1795687315123LL

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-channels-XXXXXX", "channels.db", g.dir, sizeof g.dir,
                                 g.path, sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "channels.db", g.d);
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

static void add_account(int64_t id, const char *username, bool group)
{
    pl_account a = {.id = id,
                    .username = username,
                    .display_name = username,
                    .is_group = group,
                    .is_approved = true,
                    .created_at = T0};
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

static void follow(int64_t who, int64_t whom)
{
    static int64_t next = 1000;
    assert_int_equal(store_follow_insert(g.d, ++next, who, whom, true, false, T0), PL_OK);
}

/* Alice, Bob, Carol; channels team (private, Alice owns it), club, and everyone. */
static void world(void)
{
    add_account(ALICE, "alice", false);
    add_account(BOB, "bob", false);
    add_account(CAROL, "carol", false);
    add_account(TEAM, "team", true);
    add_account(CLUB, "club", true);
    add_account(ALL, "everyone", true);
    pl_channel team = {TEAM, true, false, POSTING_MEMBERS, ALICE, T0};
    pl_channel club = {CLUB, false, false, POSTING_MODERATORS, BOB, T0};
    pl_channel all = {ALL, false, true, POSTING_MEMBERS, 0, T0};
    assert_int_equal(store_channel_insert(g.d, &team), PL_OK);
    assert_int_equal(store_channel_insert(g.d, &club), PL_OK);
    assert_int_equal(store_channel_insert(g.d, &all), PL_OK);
}

static void post(int64_t id, int64_t author, int64_t channel)
{
    pl_status s = {.id = id,
                   .account_id = author,
                   .visibility = VIS_COMPANY,
                   .text = "x",
                   .content = "<p>x</p>",
                   .created_at = T0 + id,
                   .channel_id = channel};
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static void test_a_channel_row_round_trips_and_the_everyone_channel_is_found(void **state)
{
    (void)state;
    world();
    pl_channel ch;
    assert_int_equal(store_channel_get(g.d, TEAM, &ch), PL_OK);
    assert_true(ch.id == TEAM && ch.is_private && !ch.is_everyone && ch.created_by == ALICE);
    assert_int_equal(ch.posting, POSTING_MEMBERS);
    assert_int_equal(store_channel_get(g.d, ALICE, &ch), PL_ENOTFOUND); /* a person */
    assert_int_equal(store_channel_everyone(g.d, &ch), PL_OK);
    assert_true(ch.id == ALL && ch.is_everyone);
    pl_channel next = {.id = CLUB, .is_private = true, .posting = POSTING_MEMBERS};
    assert_int_equal(store_channel_update(g.d, &next), PL_OK);
    assert_int_equal(store_channel_get(g.d, CLUB, &ch), PL_OK);
    assert_true(ch.is_private && ch.posting == POSTING_MEMBERS && ch.created_by == BOB);
    int64_t made;
    assert_int_equal(store_channels_created_by(g.d, ALICE, &made), PL_OK);
    assert_true(made == 1);
}

static void test_roles_are_set_replaced_counted_and_removed(void **state)
{
    (void)state;
    world();
    int role;
    assert_int_equal(store_channel_role(g.d, TEAM, BOB, &role), PL_OK);
    assert_int_equal(role, ROLE_NONE);
    assert_int_equal(store_channel_role_set(g.d, TEAM, ALICE, ROLE_OWNER), PL_OK);
    assert_int_equal(store_channel_role_set(g.d, TEAM, BOB, ROLE_MODERATOR), PL_OK);
    assert_int_equal(store_channel_role_set(g.d, TEAM, BOB, ROLE_OWNER), PL_OK); /* replaced */
    int64_t owners;
    assert_int_equal(store_channel_role_count(g.d, TEAM, ROLE_OWNER, &owners), PL_OK);
    assert_true(owners == 2);
    assert_int_equal(store_channel_role_set(g.d, TEAM, BOB, ROLE_NONE), PL_OK);
    assert_int_equal(store_channel_role(g.d, TEAM, BOB, &role), PL_OK);
    assert_int_equal(role, ROLE_NONE);
    int64_t ids[] = {ALICE, BOB, CAROL};
    int roles[3];
    assert_int_equal(store_channel_roles(g.d, TEAM, ids, 3, roles), PL_OK);
    assert_true(roles[0] == ROLE_OWNER && roles[1] == ROLE_NONE && roles[2] == ROLE_NONE);
}

static void test_a_channels_posts_leave_out_removed_ones_and_come_in_one_window(void **state)
{
    (void)state;
    world();
    post(100, ALICE, TEAM);
    post(101, BOB, CLUB);
    post(102, ALICE, 0);
    post(103, CAROL, TEAM);
    post(104, BOB, CLUB);
    assert_int_equal(store_status_channel_remove(g.d, 103), PL_OK);
    pl_status s;
    assert_int_equal(store_status_get(g.d, 103, &A, &s), PL_OK);
    assert_true(s.channel_id == TEAM && s.channel_removed);
    pl_idlist l;
    pl_page p = {.limit = 10};
    assert_int_equal(store_statuses_by_channel(g.d, TEAM, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 1);
    assert_true(l.ids[0] == 100);
    int64_t both[] = {TEAM, CLUB};
    assert_int_equal(store_statuses_by_channels(g.d, both, 2, 100, 0, 10, &A, &l), PL_OK);
    assert_int_equal(l.n, 2); /* above 100: 101 and 104 (103 removed, 102 in none) */
    assert_true(l.ids[0] == 104 && l.ids[1] == 101);
    assert_int_equal(store_statuses_by_channels(g.d, both, 2, 0, 104, 1, &A, &l), PL_OK);
    assert_int_equal(l.n, 1); /* below 104, newest first, at most one */
    assert_true(l.ids[0] == 101);
}

static void test_pins_are_newest_first_and_leave_with_a_removed_post(void **state)
{
    (void)state;
    world();
    post(100, ALICE, TEAM);
    post(101, ALICE, TEAM);
    assert_int_equal(store_channel_pin_add(g.d, TEAM, 100, 0, T0 + 1), PL_OK);
    assert_int_equal(store_channel_pin_add(g.d, TEAM, 101, 0, T0 + 2), PL_OK);
    assert_int_equal(store_channel_pin_add(g.d, TEAM, 101, 0, T0 + 3), PL_OK); /* once */
    int64_t *ids;
    int n;
    assert_int_equal(store_channel_pins(g.d, TEAM, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] == 101 && ids[1] == 100);
    assert_int_equal(store_status_channel_remove(g.d, 101), PL_OK);
    assert_int_equal(store_channel_pins(g.d, TEAM, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_channel_pin_remove(g.d, TEAM, 100), PL_OK);
    assert_int_equal(store_channel_pins(g.d, TEAM, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_channel_lists_and_what_a_home_feed_merges(void **state)
{
    (void)state;
    world();
    follow(BOB, TEAM);
    follow(BOB, ALICE);
    pl_idlist l;
    pl_page p = {.limit = 10};
    assert_int_equal(store_channels_list(g.d, BOB, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 2); /* team and everyone, newest id first */
    assert_true(l.ids[0] == ALL && l.ids[1] == TEAM);
    assert_int_equal(store_channels_list(g.d, 0, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 3);

    /* Alice is big; Bob has an exclusive list holding Carol */
    assert_int_equal(store_account_set_big(g.d, ALICE, true), PL_OK);
    pl_list list = {
        .id = 50, .account_id = BOB, .title = "x", .is_exclusive = true, .created_at = T0};
    assert_int_equal(store_list_insert(g.d, &list), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 50, CAROL, T0), PL_OK);
    pl_merge_source *src;
    int n;
    assert_int_equal(store_merge_sources(g.d, BOB, &A, &src, &n), PL_OK);
    bool big = false, team = false, all = false, carol = false;
    for (int i = 0; i < n; i++) {
        if (src[i].id == ALICE) big = !src[i].channel && !src[i].excluded;
        if (src[i].id == TEAM) team = src[i].channel;
        if (src[i].id == ALL) all = src[i].channel;
        if (src[i].id == CAROL) carol = src[i].excluded;
    }
    assert_int_equal(n, 4);
    assert_true(big && team && all && carol);
    assert_int_equal(store_merge_sources(g.d, CAROL, &A, &src, &n), PL_OK);
    assert_int_equal(n, 1); /* the everyone channel only */
}

static void test_follow_requests_wait_list_count_and_go(void **state)
{
    (void)state;
    world();
    assert_int_equal(store_follow_request_insert(g.d, 500, BOB, ALICE, false, true, T0), PL_OK);
    assert_int_equal(store_follow_request_insert(g.d, 501, CAROL, ALICE, true, false, T0), PL_OK);
    assert_int_equal(store_follow_request_insert(g.d, 502, CAROL, ALICE, true, false, T0),
                     PL_ECONFLICT);
    assert_true(store_follow_requested(g.d, BOB, ALICE));
    assert_false(store_follow_requested(g.d, ALICE, BOB));
    bool reblogs, notify;
    assert_int_equal(store_follow_request_get(g.d, BOB, ALICE, &reblogs, &notify), PL_OK);
    assert_true(!reblogs && notify);
    int64_t n;
    assert_int_equal(store_follow_requests_count(g.d, ALICE, &n), PL_OK);
    assert_true(n == 2);
    pl_idlist l;
    pl_page p = {.limit = 10};
    assert_int_equal(store_follow_requests(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 2);
    assert_true(l.ids[0] == CAROL && l.ids[1] == BOB); /* newest request first */
    pl_relationship r;
    assert_int_equal(store_relationship(g.d, BOB, ALICE, &r), PL_OK);
    assert_true(r.requested && !r.following);
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.requested_by);
    assert_int_equal(store_follow_request_delete(g.d, BOB, ALICE), PL_OK);
    assert_int_equal(store_follow_request_delete(g.d, BOB, ALICE), PL_ENOTFOUND);
    assert_false(store_follow_requested(g.d, BOB, ALICE));
}

static void test_following_seen_by_leaves_out_private_channels_the_viewer_is_not_in(void **state)
{
    (void)state;
    world();
    follow(BOB, TEAM); /* private */
    follow(BOB, CLUB);
    follow(BOB, ALICE);
    pl_page p = {.limit = 2};
    pl_idlist l;
    /* Carol is in neither: the private channel is skipped in the query, the page stays full */
    assert_int_equal(store_following_seen_by(g.d, BOB, CAROL, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 2);
    assert_true(l.ids[0] == ALICE && l.ids[1] == CLUB);
    /* Alice is in it: she sees it (newest follow first) */
    follow(ALICE, TEAM);
    p.limit = 10;
    assert_int_equal(store_following_seen_by(g.d, BOB, ALICE, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 3);
    assert_true(l.ids[2] == TEAM);
    /* signed out (viewer 0): never */
    assert_int_equal(store_following_seen_by(g.d, BOB, 0, &p, &A, &l), PL_OK);
    assert_int_equal(l.n, 2);
}

extern const char *const migrations_sqlite[];
extern const char *const migrations_postgres[];

static void test_migration_024_drops_roles_left_beside_no_follow(void **state)
{
    (void)state;
    world();
    follow(ALICE, TEAM);
    assert_int_equal(store_channel_role_set(g.d, TEAM, ALICE, ROLE_OWNER), PL_OK);
    assert_int_equal(store_channel_role_set(g.d, TEAM, BOB, ROLE_OWNER), PL_OK);       /* left */
    assert_int_equal(store_channel_role_set(g.d, CLUB, CAROL, ROLE_MODERATOR), PL_OK); /* left */
    assert_int_equal(store_channel_role_set(g.d, ALL, CAROL, ROLE_MODERATOR),
                     PL_OK); /* no follows */
    const char *const *m =
        strcmp(db_driver_name(g.d), "postgres") ? migrations_sqlite : migrations_postgres;
    const char *sql = NULL;
    for (int i = 0; m[i]; i++)
        if (!strncmp(m[i], "-- 024_channel_roles_follow.sql", 31)) sql = m[i];
    assert_non_null(sql);
    assert_int_equal(db_exec(g.d, sql), PL_OK);
    int role;
    assert_int_equal(store_channel_role(g.d, TEAM, ALICE, &role), PL_OK);
    assert_int_equal(role, ROLE_OWNER);
    assert_int_equal(store_channel_role(g.d, TEAM, BOB, &role), PL_OK);
    assert_int_equal(role, ROLE_NONE);
    assert_int_equal(store_channel_role(g.d, CLUB, CAROL, &role), PL_OK);
    assert_int_equal(role, ROLE_NONE);
    assert_int_equal(store_channel_role(g.d, ALL, CAROL, &role), PL_OK);
    assert_int_equal(role, ROLE_MODERATOR);
    int64_t owners;
    assert_int_equal(store_channel_role_count(g.d, TEAM, ROLE_OWNER, &owners), PL_OK);
    assert_int_equal(owners, 1);
}

static void
test_a_read_marker_starts_at_the_join_moves_forward_only_and_bounds_the_window(void **state)
{
    (void)state;
    world();
    int64_t at;
    assert_int_equal(store_channel_read_start(g.d, BOB, CLUB, &at), PL_OK);
    assert_true(at == 0); /* no marker, no follow: the caller picks the start */
    follow(BOB, CLUB);
    assert_int_equal(store_channel_read_start(g.d, BOB, CLUB, &at), PL_OK);
    assert_true(at > 1000); /* the follow's id: from when Bob joined */
    assert_int_equal(store_channel_read_set(g.d, BOB, CLUB, 101, T0), PL_OK);
    assert_int_equal(store_channel_read_start(g.d, BOB, CLUB, &at), PL_OK);
    assert_true(at == 101); /* the marker wins over the follow */
    assert_int_equal(store_channel_read_set(g.d, BOB, CLUB, 100, T0 + 1), PL_OK);
    assert_int_equal(store_channel_read_start(g.d, BOB, CLUB, &at), PL_OK);
    assert_true(at == 101); /* never backwards */
    assert_int_equal(store_channel_read_set(g.d, BOB, CLUB, 103, T0 + 2), PL_OK);
    assert_int_equal(store_channel_read_start(g.d, BOB, CLUB, &at), PL_OK);
    assert_true(at == 103);
    assert_int_equal(store_channel_read_start(g.d, CAROL, CLUB, &at), PL_OK);
    assert_true(at == 0); /* each person's own */

    post(100, BOB, CLUB);
    post(101, BOB, CLUB);
    post(102, BOB, CLUB);
    post(103, BOB, CLUB);
    post(104, BOB, TEAM);
    post(105, BOB, CLUB);
    assert_int_equal(store_status_channel_remove(g.d, 102), PL_OK);
    pl_idlist l;
    assert_int_equal(
        store_statuses_by_channel(g.d, CLUB, &(pl_page){.min_id = 100, .limit = 10}, &A, &l),
        PL_OK);
    assert_int_equal(l.n, 3); /* 101, 103, 105: not the removed one, not another channel's */
    assert_true(l.ids[0] == 105 && l.ids[1] == 103 && l.ids[2] == 101);
    assert_int_equal(
        store_statuses_by_channel(g.d, CLUB, &(pl_page){.min_id = 100, .limit = 2}, &A, &l), PL_OK);
    assert_int_equal(l.n, 2); /* the oldest two after the marker, no more rows */
    assert_true(l.ids[0] == 103 && l.ids[1] == 101);
    assert_int_equal(
        store_statuses_by_channel(g.d, CLUB, &(pl_page){.min_id = 1, .limit = 10}, &A, &l), PL_OK);
    assert_int_equal(l.n, 4); /* from the start */
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_channel_row_round_trips_and_the_everyone_channel_is_found),
        T(test_roles_are_set_replaced_counted_and_removed),
        T(test_a_channels_posts_leave_out_removed_ones_and_come_in_one_window),
        T(test_pins_are_newest_first_and_leave_with_a_removed_post),
        T(test_channel_lists_and_what_a_home_feed_merges),
        T(test_follow_requests_wait_list_count_and_go),
        T(test_following_seen_by_leaves_out_private_channels_the_viewer_is_not_in),
        T(test_migration_024_drops_roles_left_beside_no_follow),
        T(test_a_read_marker_starts_at_the_join_moves_forward_only_and_bounds_the_window),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
