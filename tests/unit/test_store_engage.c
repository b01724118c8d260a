/*
 * test_store_engage.c — unit tests for src/store over a real database (store_fixture.h):
 * favourites and bookmarks, notifications and markers, polls, lists.
 */
#define STORE_FIXTURE_DIR "/tmp/pl-engage-XXXXXX"
#include "store_fixture.h"
#include "test_db.h" /* make test-unit-pg finds the database tests by this line */

/* ------------------------------------------------------------------------------------------ */
/* Engagement                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_favourite_and_bookmark_are_sets_with_paged_lists(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, ALICE, VIS_PUBLIC);
    assert_int_equal(store_favourite_insert(g.d, 900, BOB, 100), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 901, BOB, 100), PL_ECONFLICT);
    assert_int_equal(store_favourite_insert(g.d, 902, CAROL, 100), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 903, BOB, 101), PL_OK);
    assert_true(store_favourited(g.d, BOB, 100));
    assert_false(store_favourited(g.d, DAVE, 100));
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_favourited_by(g.d, 100, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL, BOB);
    assert_int_equal(store_favourites_of(g.d, BOB, &p, &A, &l), PL_OK);
    assert_ids(&l, 101, 100);
    assert_true(l.keys[0] == 903);
    assert_int_equal(store_favourite_delete(g.d, BOB, 100), PL_OK);
    assert_int_equal(store_favourite_delete(g.d, BOB, 100), PL_ENOTFOUND);

    assert_int_equal(store_bookmark_insert(g.d, 910, BOB, 100), PL_OK);
    assert_int_equal(store_bookmark_insert(g.d, 911, BOB, 100), PL_ECONFLICT);
    assert_true(store_bookmarked(g.d, BOB, 100));
    assert_int_equal(store_bookmarks_of(g.d, BOB, &p, &A, &l), PL_OK);
    assert_ids(&l, 100);
    assert_int_equal(store_bookmark_delete(g.d, BOB, 100), PL_OK);
    assert_int_equal(store_bookmark_delete(g.d, BOB, 100), PL_ENOTFOUND);
}

static void test_reblogged_by_lists_the_rebloggers(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_reblog(101, BOB, 100);
    add_reblog(102, CAROL, 100);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_reblogged_by(g.d, 100, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL, BOB);
}

/* ------------------------------------------------------------------------------------------ */
/* Notifications and markers                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void add_notification(int64_t id, int64_t to, int64_t from, const char *type,
                             int64_t status_id)
{
    pl_notification n = {.id = id,
                         .account_id = to,
                         .from_account_id = from,
                         .type = type,
                         .status_id = status_id,
                         .created_at = T0 + id};
    assert_int_equal(store_notification_insert(g.d, &n), PL_OK);
}

/* Alice's notifications 501..506 of several types, and one for Bob. */
static void add_notifications(void)
{
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_notification(501, ALICE, BOB, "follow", 0);
    add_notification(502, ALICE, BOB, "favourite", 100);
    add_notification(503, ALICE, CAROL, "mention", 100);
    add_notification(504, ALICE, CAROL, "favourite", 100);
    add_notification(505, ALICE, DAVE, "reblog", 100);
    add_notification(506, ALICE, DAVE, "mention", 100);
    add_notification(507, BOB, ALICE, "mention", 100);
}

static int list_notifications(const char *const *types, const char *const *exclude, int64_t from,
                              pl_page p, int64_t *ids)
{
    pl_notification *out;
    int n = -1;
    assert_int_equal(store_notifications(g.d, ALICE, from, types, exclude, false, &p, &A, &out, &n),
                     PL_OK);
    for (int i = 0; i < n; i++) {
        assert_true(out[i].account_id == ALICE);
        ids[i] = out[i].id;
    }
    return n;
}

#define assert_notifications(types, exclude, from, p, ...)                                         \
    do {                                                                                           \
        int64_t got_[16];                                                                          \
        int n_ = list_notifications(types, exclude, from, p, got_);                                \
        check_ids(got_, n_, (const int64_t[]){__VA_ARGS__, 0});                                    \
    } while (0)

static void test_notifications_are_listed_newest_first(void **state)
{
    (void)state;
    add_notifications();
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 504, 503, 502, 501);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 2), 506, 505);
    assert_notifications(NULL, NULL, 0, page(505, 0, 0, 2), 504, 503);
    assert_notifications(NULL, NULL, 0, page(0, 504, 0, 10), 506, 505);
    assert_notifications(NULL, NULL, 0, page(0, 0, 502, 2), 504, 503);
}

static void test_notifications_filter_by_types(void **state)
{
    (void)state;
    add_notifications();
    static const char *const mentions[] = {"mention", NULL};
    static const char *const favs_and_follows[] = {"favourite", "follow", NULL};
    assert_notifications(mentions, NULL, 0, page(0, 0, 0, 10), 506, 503);
    assert_notifications(favs_and_follows, NULL, 0, page(0, 0, 0, 10), 504, 502, 501);
    /* the limit counts matching items, not scanned rows */
    assert_notifications(mentions, NULL, 0, page(0, 0, 0, 1), 506);
    assert_notifications(mentions, NULL, 0, page(506, 0, 0, 1), 503);
}

static void test_notifications_filter_by_exclude_types(void **state)
{
    (void)state;
    add_notifications();
    static const char *const no_favs[] = {"favourite", NULL};
    static const char *const no_mentions_reblogs[] = {"mention", "reblog", NULL};
    static const char *const favs_and_mentions[] = {"favourite", "mention", NULL};
    assert_notifications(NULL, no_favs, 0, page(0, 0, 0, 10), 506, 505, 503, 501);
    assert_notifications(NULL, no_mentions_reblogs, 0, page(0, 0, 0, 10), 504, 502, 501);
    assert_notifications(favs_and_mentions, no_favs, 0, page(0, 0, 0, 10), 506, 503);
}

static void test_empty_types_list_means_every_type(void **state)
{
    (void)state;
    add_notifications();
    static const char *const none[] = {NULL};
    assert_notifications(none, none, 0, page(0, 0, 0, 3), 506, 505, 504);
}

static void test_notifications_filter_by_sender(void **state)
{
    (void)state;
    add_notifications();
    assert_notifications(NULL, NULL, CAROL, page(0, 0, 0, 10), 504, 503);
    static const char *const mentions[] = {"mention", NULL};
    assert_notifications(mentions, NULL, DAVE, page(0, 0, 0, 10), 506);
}

static void test_notification_get_dismiss_and_clear_are_per_account(void **state)
{
    (void)state;
    add_notifications();
    pl_notification n;
    assert_int_equal(store_notification_get(g.d, ALICE, 502, &A, &n), PL_OK);
    assert_string_equal(n.type, "favourite");
    assert_true(n.from_account_id == BOB);
    assert_true(n.status_id == 100);
    assert_int_equal(store_notification_get(g.d, ALICE, 501, &A, &n), PL_OK);
    assert_true(n.status_id == 0);
    assert_int_equal(store_notification_get(g.d, BOB, 502, &A, &n), PL_ENOTFOUND);
    assert_int_equal(store_notification_dismiss(g.d, BOB, 502), PL_ENOTFOUND);
    assert_int_equal(store_notification_dismiss(g.d, ALICE, 502), PL_OK);
    assert_int_equal(store_notification_get(g.d, ALICE, 502, &A, &n), PL_ENOTFOUND);
    assert_int_equal(store_notifications_clear(g.d, ALICE), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 0 /* none */);
    assert_int_equal(store_notification_get(g.d, BOB, 507, &A, &n), PL_OK);
}

static void test_notifications_go_with_their_status_or_their_act(void **state)
{
    (void)state;
    add_notifications();
    assert_int_equal(store_notification_delete_act(g.d, ALICE, CAROL, "favourite", 100), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 503, 502, 501);
    assert_int_equal(store_notification_delete_act(g.d, ALICE, BOB, "follow", 0), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 503, 502);
    assert_int_equal(store_notifications_delete_status(g.d, 100), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 0 /* none */);
}

static void test_marker_version_increments_on_every_set(void **state)
{
    (void)state;
    add_people();
    pl_marker m;
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 100, T0), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_string_equal(m.timeline, "home");
    assert_true(m.last_read_id == 100);
    int64_t v1 = m.version;
    assert_true(m.updated_at == T0);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 105, T0 + 1), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_true(m.last_read_id == 105);
    assert_true(m.version == v1 + 1);
    assert_true(m.updated_at == T0 + 1);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 105, T0 + 2), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_true(m.version == v1 + 2);
    /* other timelines and other people have their own */
    assert_int_equal(store_marker_get(g.d, ALICE, "notifications", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_get(g.d, BOB, "home", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_set(g.d, ALICE, "notifications", 7, T0), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "notifications", &A, &m), PL_OK);
    assert_true(m.version == v1);
}

/* ------------------------------------------------------------------------------------------ */
/* Polls                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static const char *const fruit[] = {"apple", "pear", "plum"};

/* Status 100 by ALICE with poll 900 (three options, ends at T0 + ends_in). */
static pl_poll add_poll(bool multiple, int64_t ends_in)
{
    pl_status s = status(100, ALICE, VIS_PUBLIC);
    s.poll_id = 900;
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
    pl_poll p = {.id = 900,
                 .status_id = 100,
                 .account_id = ALICE,
                 .expires_at = T0 + ends_in,
                 .multiple = multiple,
                 .created_at = T0,
                 .n_options = 3,
                 .titles = (const char **)fruit};
    assert_int_equal(store_poll_insert(g.d, &p), PL_OK);
    return p;
}

static void test_poll_insert_then_get_returns_options_in_order(void **state)
{
    (void)state;
    add_people();
    add_poll(true, 1000);
    pl_status st;
    assert_int_equal(store_status_get(g.d, 100, &A, &st), PL_OK);
    assert_true(st.poll_id == 900);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_OK);
    assert_true(p.status_id == 100 && p.account_id == ALICE && p.expires_at == T0 + 1000);
    assert_true(p.multiple && !p.hide_totals && !p.notified);
    assert_int_equal(p.n_options, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(p.titles[i], fruit[i]);
        assert_true(p.option_votes[i] == 0);
    }
    assert_int_equal(store_poll_get(g.d, 901, &A, &p), PL_ENOTFOUND);
}

static void test_poll_vote_counts_and_a_second_vote_is_a_conflict_that_writes_nothing(void **state)
{
    (void)state;
    add_people();
    add_poll(true, 1000);
    const int bob[] = {0, 2}, carol[] = {2};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, bob, 2, T0), PL_OK);
    assert_int_equal(store_poll_vote(g.d, 900, CAROL, carol, 1, T0), PL_OK);
    assert_int_equal(store_poll_vote(g.d, 900, BOB, carol, 1, T0), PL_ECONFLICT);
    assert_int_equal(store_poll_vote(g.d, 901, DAVE, carol, 1, T0), PL_ENOTFOUND);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_OK);
    assert_true(p.votes_count == 3 && p.voters_count == 2);
    assert_true(p.option_votes[0] == 1 && p.option_votes[1] == 0 && p.option_votes[2] == 2);
    int *own, n;
    assert_int_equal(store_poll_own_votes(g.d, 900, BOB, &A, &own, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(own[0], 0);
    assert_int_equal(own[1], 2);
    assert_int_equal(store_poll_own_votes(g.d, 900, DAVE, &A, &own, &n), PL_OK);
    assert_int_equal(n, 0);
    int64_t *voters;
    assert_int_equal(store_poll_voters(g.d, 900, &A, &voters, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(voters[0] == BOB && voters[1] == CAROL);
}

static void test_poll_update_keeps_votes_unless_reset_which_replaces_the_options(void **state)
{
    (void)state;
    add_people();
    pl_poll p = add_poll(false, 1000);
    const int one[] = {1};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK);
    p.expires_at = T0 + 5000;
    p.hide_totals = true;
    assert_int_equal(store_poll_update(g.d, &p, false), PL_OK);
    pl_poll got;
    assert_int_equal(store_poll_get(g.d, 900, &A, &got), PL_OK);
    assert_true(got.votes_count == 1 && got.option_votes[1] == 1);
    assert_true(got.expires_at == T0 + 5000 && got.hide_totals);

    static const char *const two[] = {"yes", "no"};
    p.titles = (const char **)two;
    p.n_options = 2;
    assert_int_equal(store_poll_update(g.d, &p, true), PL_OK);
    assert_int_equal(store_poll_get(g.d, 900, &A, &got), PL_OK);
    assert_int_equal(got.n_options, 2);
    assert_string_equal(got.titles[0], "yes");
    assert_true(got.votes_count == 0 && got.voters_count == 0 && got.option_votes[1] == 0);
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK); /* may vote again */
}

static void test_polls_claim_ended_takes_each_ended_poll_once(void **state)
{
    (void)state;
    add_people();
    pl_poll p = add_poll(false, 1000);
    int64_t *ids;
    int n;
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 999, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0); /* not ended yet */
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 1000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == 900);
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 2000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0); /* notified already */
    /* an edit gives it a new end, to be notified again */
    p.expires_at = T0 + 3000;
    assert_int_equal(store_poll_update(g.d, &p, false), PL_OK);
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 3000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_status_delete_removes_its_poll_and_votes(void **state)
{
    (void)state;
    add_people();
    add_poll(false, 1000);
    const int one[] = {1};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK);
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_ENOTFOUND);
    assert_true(count_where("SELECT count(*) FROM poll_votes WHERE poll_id = ?", 900) == 0);
    assert_true(count_where("SELECT count(*) FROM poll_options WHERE poll_id = ?", 900) == 0);
}

static void test_status_edits_keep_the_poll_options_of_each_revision(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    static const char *const opts[] = {"left", "right"};
    pl_status_edit e1 = {1001, 100, "a", "<p>a</p>", "", false, T0, NULL, 0};
    pl_status_edit e2 = {1002, 100, "b", "<p>b</p>", "", false, T0 + 1, (const char **)opts, 2};
    assert_int_equal(store_status_edit_insert(g.d, &e1), PL_OK);
    assert_int_equal(store_status_edit_insert(g.d, &e2), PL_OK);
    pl_status_edit *v;
    int n;
    assert_int_equal(store_status_edits(g.d, 100, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].n_poll_options, 0);
    assert_int_equal(v[1].n_poll_options, 2);
    assert_string_equal(v[1].poll_options[0], "left");
    assert_string_equal(v[1].poll_options[1], "right");
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_true(
        count_where("SELECT count(*) FROM status_edit_poll_options WHERE edit_id = ?", 1002) == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Lists                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void add_list(int64_t id, int64_t owner, const char *title, int policy, bool exclusive)
{
    pl_list l = {.id = id,
                 .account_id = owner,
                 .title = title,
                 .replies_policy = policy,
                 .is_exclusive = exclusive,
                 .created_at = T0};
    assert_int_equal(store_list_insert(g.d, &l), PL_OK);
}

static void test_list_is_read_and_changed_only_by_its_owner(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_FOLLOWED, true);
    pl_list l;
    assert_int_equal(store_list_get(g.d, ALICE, 700, &A, &l), PL_OK);
    assert_string_equal(l.title, "Team");
    assert_int_equal(l.replies_policy, REPLIES_FOLLOWED);
    assert_true(l.is_exclusive);
    assert_true(l.account_id == ALICE && l.created_at == T0);
    assert_int_equal(store_list_get(g.d, BOB, 700, &A, &l), PL_ENOTFOUND);

    pl_list theirs = {.id = 700, .account_id = BOB, .title = "Stolen"};
    assert_int_equal(store_list_update(g.d, &theirs), PL_ENOTFOUND);
    assert_int_equal(store_list_delete(g.d, BOB, 700), PL_ENOTFOUND);

    pl_list mine = {
        .id = 700, .account_id = ALICE, .title = "Renamed", .replies_policy = REPLIES_NONE};
    assert_int_equal(store_list_update(g.d, &mine), PL_OK);
    assert_int_equal(store_list_get(g.d, ALICE, 700, &A, &l), PL_OK);
    assert_string_equal(l.title, "Renamed");
    assert_int_equal(l.replies_policy, REPLIES_NONE);
    assert_false(l.is_exclusive);
}

static void test_lists_of_an_owner_are_counted_and_listed_as_made(void **state)
{
    (void)state;
    add_people();
    add_list(702, ALICE, "b", REPLIES_LIST, false);
    add_list(701, ALICE, "a", REPLIES_LIST, false);
    add_list(703, BOB, "c", REPLIES_LIST, false);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(v[0].id == 702 && v[1].id == 701); /* a new list goes last */
    int64_t count;
    assert_int_equal(store_lists_count(g.d, ALICE, &count), PL_OK);
    assert_true(count == 2);
    assert_int_equal(store_lists_count(g.d, CAROL, &count), PL_OK);
    assert_true(count == 0);
}

static void test_lists_are_read_in_the_order_their_owner_set(void **state)
{
    (void)state;
    add_people();
    add_list(701, ALICE, "a", REPLIES_LIST, false);
    add_list(702, ALICE, "b", REPLIES_LIST, false);
    add_list(703, ALICE, "c", REPLIES_LIST, false);
    add_list(704, BOB, "d", REPLIES_LIST, false);
    const int64_t order[] = {703, 701, 702};
    assert_int_equal(store_lists_reorder(g.d, ALICE, order, 3), PL_OK);
    add_list(705, ALICE, "e", REPLIES_LIST, false);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 4);
    assert_true(v[0].id == 703 && v[1].id == 701 && v[2].id == 702 && v[3].id == 705);
    /* another person's list is not one of the owner's: not found, and it keeps its place */
    const int64_t theirs[] = {704};
    assert_int_equal(store_lists_reorder(g.d, ALICE, theirs, 1), PL_ENOTFOUND);
    assert_int_equal(store_lists_of(g.d, BOB, &A, &v, &n), PL_OK);
    assert_true(n == 1 && v[0].id == 704);
}

static void test_list_members_are_a_set_paged_by_account_id(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_ECONFLICT);
    assert_true(store_list_has_member(g.d, 700, BOB));
    assert_false(store_list_has_member(g.d, 700, ERIN));
    int64_t n;
    assert_int_equal(store_list_member_count(g.d, 700, &n), PL_OK);
    assert_true(n == 3);

    pl_page p = page(0, 0, 0, 2);
    pl_idlist l;
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, DAVE, CAROL);
    p = page(CAROL, 0, 0, 2);
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    p = page(0, 0, BOB, 1);
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL);

    assert_int_equal(store_list_member_remove(g.d, 700, CAROL), PL_OK);
    assert_int_equal(store_list_member_remove(g.d, 700, CAROL), PL_OK); /* not a member: fine */
    assert_false(store_list_has_member(g.d, 700, CAROL));
}

static void test_list_delete_takes_its_members_along(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_delete(g.d, ALICE, 700), PL_OK);
    assert_true(count_where("SELECT count(*) FROM list_accounts WHERE list_id = ?", 700) == 0);
    assert_int_equal(store_list_delete(g.d, ALICE, 700), PL_ENOTFOUND);
}

static void test_lists_with_member_are_only_the_owners(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "one", REPLIES_LIST, false);
    add_list(701, ALICE, "two", REPLIES_LIST, false);
    add_list(702, BOB, "bob's", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_with_member(g.d, ALICE, CAROL, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(v[0].id == 700 && v[1].id == 701);
    assert_string_equal(v[1].title, "two");
    assert_int_equal(store_lists_with_member(g.d, ALICE, DAVE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_forget_account_empties_only_the_owners_lists(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "one", REPLIES_LIST, false);
    add_list(701, ALICE, "two", REPLIES_LIST, false);
    add_list(702, BOB, "bob's", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    assert_int_equal(store_lists_forget_account(g.d, ALICE, CAROL), PL_OK);
    assert_false(store_list_has_member(g.d, 700, CAROL));
    assert_false(store_list_has_member(g.d, 701, CAROL));
    assert_true(store_list_has_member(g.d, 701, DAVE));
    assert_true(store_list_has_member(g.d, 702, CAROL));
}

static void test_members_all_carry_last_post_and_the_owners_reblog_choice(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_follow_insert(g.d, 900, ALICE, BOB, false, false, T0), PL_OK);
    follow(901, ALICE, CAROL);
    assert_int_equal(store_account_touch_status(g.d, BOB, T0 + 5), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    pl_list_member *m;
    int n;
    assert_int_equal(store_list_members_all(g.d, 700, ALICE, &A, &m, &n), PL_OK);
    assert_int_equal(n, 2);
    const pl_list_member *bob = m[0].account_id == BOB ? &m[0] : &m[1];
    const pl_list_member *carol = m[0].account_id == CAROL ? &m[0] : &m[1];
    assert_true(bob->account_id == BOB && carol->account_id == CAROL);
    assert_true(bob->last_status_at == T0 + 5);
    assert_false(bob->show_reblogs);
    assert_true(carol->last_status_at == 0);
    assert_true(carol->show_reblogs);
}

static void test_exclusive_members_come_from_exclusive_lists_only_once_sorted(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "exclusive", REPLIES_LIST, true);
    add_list(701, ALICE, "also exclusive", REPLIES_LIST, true);
    add_list(702, ALICE, "plain", REPLIES_LIST, false);
    add_list(703, BOB, "bob's exclusive", REPLIES_LIST, true);
    assert_int_equal(store_list_member_add(g.d, 700, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 703, ERIN, T0), PL_OK);
    int64_t *ids;
    int n;
    assert_int_equal(store_lists_exclusive_members(g.d, ALICE, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] == BOB && ids[1] == DAVE);
}

/* ---------------------------------------------------------------- live events */

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_poll_insert_then_get_returns_options_in_order),
        T(test_poll_vote_counts_and_a_second_vote_is_a_conflict_that_writes_nothing),
        T(test_poll_update_keeps_votes_unless_reset_which_replaces_the_options),
        T(test_polls_claim_ended_takes_each_ended_poll_once),
        T(test_status_delete_removes_its_poll_and_votes),
        T(test_status_edits_keep_the_poll_options_of_each_revision),
        T(test_favourite_and_bookmark_are_sets_with_paged_lists),
        T(test_reblogged_by_lists_the_rebloggers),
        T(test_notifications_are_listed_newest_first),
        T(test_notifications_filter_by_types),
        T(test_notifications_filter_by_exclude_types),
        T(test_empty_types_list_means_every_type),
        T(test_notifications_filter_by_sender),
        T(test_notification_get_dismiss_and_clear_are_per_account),
        T(test_notifications_go_with_their_status_or_their_act),
        T(test_marker_version_increments_on_every_set),
        T(test_list_is_read_and_changed_only_by_its_owner),
        T(test_lists_of_an_owner_are_counted_and_listed_as_made),
        T(test_lists_are_read_in_the_order_their_owner_set),
        T(test_list_members_are_a_set_paged_by_account_id),
        T(test_list_delete_takes_its_members_along),
        T(test_lists_with_member_are_only_the_owners),
        T(test_forget_account_empties_only_the_owners_lists),
        T(test_members_all_carry_last_post_and_the_owners_reblog_choice),
        T(test_exclusive_members_come_from_exclusive_lists_only_once_sorted),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
