/*
 * test_profile.c — unit tests for the curated profile: the pins of src/store/pins.c, the rules
 * of src/app/profile.c (what may be pinned, how many, who sees followers and following), the
 * author's "pinned" flag in posts_view (posts.c) and the profile feeds of feeds.c
 * (feeds_pinned, feeds_account with hide_boosts). On SQLite, and on PostgreSQL in
 * `make test-unit-pg`.
 *
 * Four people are registered once (argon2id is slow); every test runs in a transaction that is
 * rolled back, so each starts from people with no posts, pins or follows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/engage.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/posts.h"
#include "app/profile.h"
#include "store/accounts.h"
#include "store/pins.h"
#include "store/posts.h"

/* ------------------------------------------------------------------------------------------ */
/* People and helpers                                                                          */
/* ------------------------------------------------------------------------------------------ */

enum { ALICE, BOB, CAROL, DAVE, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob", "carol", "dave"};
static int64_t id_of[N_PEOPLE];

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static int64_t post_vis(int who, int visibility, const char *text)
{
    int64_t id = 0;
    posts_new n = {.text = text, .visibility = visibility, .sensitive = -1};
    ok(posts_create(req(), id_of[who], &n, &id));
    return id;
}

static int64_t post(int who, const char *text)
{
    return post_vis(who, VIS_PUBLIC, text);
}

static int64_t boost(int who, int64_t id)
{
    int64_t rb = 0;
    ok(engage_reblog(req(), id_of[who], id, VIS_PUBLIC, &rb));
    return rb;
}

static void follow(int who, int whom)
{
    ok(graph_follow(req(), id_of[who], id_of[whom], -1, -1));
}

static int pin(int who, int64_t id)
{
    return profile_pin(req(), id_of[who], id);
}

/* The message of the last failure ("" if none). */
static const char *why(void)
{
    return F.c.errmsg ? F.c.errmsg : "";
}

static pl_page page(int limit)
{
    return (pl_page){.limit = limit};
}

/* Asserts a list holds exactly the given ids, in order (0-terminated). */
#define assert_ids(list, ...)                                                                      \
    do {                                                                                           \
        const int64_t want_[] = {__VA_ARGS__, 0};                                                  \
        check_ids((list)->ids, (list)->n, want_);                                                  \
    } while (0)

static void check_ids(const int64_t *got, int n, const int64_t *want)
{
    int nw = 0;
    while (want[nw]) nw++;
    bool same = n == nw;
    for (int i = 0; same && i < n; i++) same = got[i] == want[i];
    if (same) return;
    char msg[512];
    int k = snprintf(msg, sizeof msg, "got [");
    for (int i = 0; i < n && k < 400; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)got[i]);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "] want [");
    for (int i = 0; i < nw && k < 480; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)want[i]);
    snprintf(msg + k, sizeof msg - (size_t)k, "]");
    fail_msg("%s", msg);
}

static pl_idlist pinned_seen_by(int viewer, int owner)
{
    pl_idlist l;
    pl_page p = page(40);
    ok(feeds_pinned(req(), viewer < 0 ? 0 : id_of[viewer], id_of[owner], &p, &l));
    return l;
}

static pl_idlist profile_seen_by(int viewer, int owner)
{
    pl_idlist l;
    pl_page p = page(40);
    ok(feeds_account(req(), id_of[viewer], id_of[owner], false, false, &p, &l));
    return l;
}

static bool pinned_flag(int viewer, int64_t id)
{
    pl_status_view v;
    ok(posts_view_id(req(), id_of[viewer], id, &v));
    return v.pinned;
}

static void set_profile(int who, int hide_collections, int hide_boosts)
{
    accounts_change ch = {.locked = -1,
                          .bot = -1,
                          .discoverable = -1,
                          .sensitive = -1,
                          .privacy = -1,
                          .hide_collections = hide_collections,
                          .hide_boosts = hide_boosts};
    ok(accounts_update(req(), id_of[who], &ch));
}

/* ------------------------------------------------------------------------------------------ */
/* Store: status_pins                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void test_store_pins_are_a_set_listed_newest_pin_first(void **state)
{
    (void)state;
    int64_t a = id_of[ALICE];
    int64_t s1 = post(ALICE, "one"), s2 = post(ALICE, "two"), s3 = post(ALICE, "three");
    /* pinned in the order s2, s3, s1: pin ids 1001 < 1002 < 1003 */
    ok(store_pin_insert(F.d, 1001, a, s2, 5, F.now));
    ok(store_pin_insert(F.d, 1002, a, s3, 5, F.now));
    ok(store_pin_insert(F.d, 1003, a, s1, 5, F.now));
    ok(store_pin_insert(F.d, 1004, a, s1, 5, F.now)); /* again: nothing changes */
    int64_t n;
    ok(store_pins_count(F.d, a, &n));
    assert_int_equal(n, 3);
    assert_true(store_pinned(F.d, a, s1));
    assert_false(store_pinned(F.d, id_of[BOB], s1));

    pl_idlist l;
    pl_page p = page(10);
    ok(store_pins_of(F.d, a, &p, &F.a, &l));
    assert_ids(&l, s1, s3, s2);
    assert_int_equal(l.keys[0], 1003); /* keys are pin ids: the Link header pages by them */
    assert_int_equal(l.keys[2], 1001);
    p = (pl_page){.max_id = 1003, .limit = 1};
    ok(store_pins_of(F.d, a, &p, &F.a, &l));
    assert_ids(&l, s3);

    int64_t *all;
    int na;
    ok(store_pins_all(F.d, a, &F.a, &all, &na));
    assert_int_equal(na, 3);
    assert_true(all[0] == s1 && all[1] == s2 && all[2] == s3); /* ascending by status */
}

static void test_store_pin_limit_is_checked_when_pinning_and_writes_nothing(void **state)
{
    (void)state;
    int64_t a = id_of[ALICE];
    int64_t s1 = post(ALICE, "one"), s2 = post(ALICE, "two"), s3 = post(ALICE, "three");
    ok(store_pin_insert(F.d, 2001, a, s1, 2, F.now));
    ok(store_pin_insert(F.d, 2002, a, s2, 2, F.now));
    assert_int_equal(store_pin_insert(F.d, 2003, a, s3, 2, F.now), PL_ELIMIT);
    assert_false(store_pinned(F.d, a, s3));
    ok(store_pin_insert(F.d, 2004, a, s1, 2, F.now)); /* at the limit, a pinned one is fine */
    int64_t n;
    ok(store_pins_count(F.d, a, &n));
    assert_int_equal(n, 2);
}

static void test_store_pin_delete_is_idempotent_and_per_account(void **state)
{
    (void)state;
    int64_t a = id_of[ALICE];
    int64_t s1 = post(ALICE, "one");
    ok(store_pin_insert(F.d, 3001, a, s1, 5, F.now));
    ok(store_pin_delete(F.d, id_of[BOB], s1)); /* not bob's pin: nothing happens */
    assert_true(store_pinned(F.d, a, s1));
    ok(store_pin_delete(F.d, a, s1));
    assert_false(store_pinned(F.d, a, s1));
    ok(store_pin_delete(F.d, a, s1));
}

static void test_store_status_delete_removes_its_pin(void **state)
{
    (void)state;
    int64_t a = id_of[ALICE];
    int64_t s1 = post(ALICE, "one");
    ok(store_pin_insert(F.d, 4001, a, s1, 5, F.now));
    ok(store_status_delete(F.d, s1));
    int64_t n;
    ok(store_pins_count(F.d, a, &n));
    assert_int_equal(n, 0);
}

static void test_store_account_keeps_hide_collections_and_hide_boosts(void **state)
{
    (void)state;
    pl_account acc;
    ok(store_account_get(F.d, id_of[CAROL], &F.a, &acc));
    assert_false(acc.hide_collections);
    assert_false(acc.hide_boosts);
    acc.hide_collections = true;
    ok(store_account_update_profile(F.d, &acc));
    ok(store_account_get(F.d, id_of[CAROL], &F.a, &acc));
    assert_true(acc.hide_collections);
    assert_false(acc.hide_boosts);
    acc.hide_collections = false;
    acc.hide_boosts = true;
    ok(store_account_update_profile(F.d, &acc));
    ok(store_account_get(F.d, id_of[CAROL], &F.a, &acc));
    assert_false(acc.hide_collections);
    assert_true(acc.hide_boosts);
}

/* ------------------------------------------------------------------------------------------ */
/* App: what may be pinned                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void test_pin_own_public_unlisted_and_followers_only_posts(void **state)
{
    (void)state;
    ok(pin(ALICE, post_vis(ALICE, VIS_PUBLIC, "public")));
    ok(pin(ALICE, post_vis(ALICE, VIS_UNLISTED, "unlisted")));
    ok(pin(ALICE, post_vis(ALICE, VIS_PRIVATE, "followers")));
    assert_int_equal(pinned_seen_by(ALICE, ALICE).n, 3);
}

static void test_pin_refuses_a_boost_someone_elses_post_and_a_direct_post(void **state)
{
    (void)state;
    int64_t theirs = post(BOB, "bob's");
    assert_int_equal(pin(ALICE, theirs), PL_EINVAL);
    assert_string_equal(why(), "Validation failed: Someone else's post cannot be pinned");
    int64_t rb = boost(ALICE, theirs);
    assert_int_equal(pin(ALICE, rb), PL_EINVAL);
    assert_string_equal(why(), "Validation failed: A boost cannot be pinned");
    int64_t own_rb = boost(ALICE, post(ALICE, "mine"));
    assert_int_equal(pin(ALICE, own_rb), PL_EINVAL); /* a boost of one's own post too */
    int64_t dm = post_vis(ALICE, VIS_DIRECT, "@bob between us");
    assert_int_equal(pin(ALICE, dm), PL_EINVAL);
    assert_non_null(strstr(why(), "only visible to mentioned users"));
    assert_int_equal(pinned_seen_by(ALICE, ALICE).n, 0);
}

static void test_pin_of_a_post_the_viewer_may_not_see_is_not_found(void **state)
{
    (void)state;
    int64_t hidden = post_vis(BOB, VIS_PRIVATE, "followers only");
    assert_int_equal(pin(ALICE, hidden), PL_ENOTFOUND);
    assert_int_equal(profile_unpin(req(), id_of[ALICE], hidden), PL_ENOTFOUND);
    assert_int_equal(pin(ALICE, 123456), PL_ENOTFOUND);
}

static void test_pin_limit_comes_from_max_pins(void **state)
{
    (void)state;
    F.cfg.max_pins = 1;
    int64_t s1 = post(ALICE, "one"), s2 = post(ALICE, "two");
    ok(pin(ALICE, s1));
    assert_int_equal(pin(ALICE, s2), PL_ELIMIT);
    assert_non_null(strstr(why(), "maximum number of posts (1)"));
    ok(pin(ALICE, s1)); /* pinning again stays fine */
    ok(profile_unpin(req(), id_of[ALICE], s1));
    ok(pin(ALICE, s2));
    pl_idlist l = pinned_seen_by(ALICE, ALICE);
    assert_ids(&l, s2);
}

/* ------------------------------------------------------------------------------------------ */
/* App: the pinned flag and the profile feeds                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_pinned_flag_is_the_authors_only(void **state)
{
    (void)state;
    int64_t s1 = post(ALICE, "one"), s2 = post(ALICE, "two");
    ok(pin(ALICE, s1));
    assert_true(pinned_flag(ALICE, s1));
    assert_false(pinned_flag(ALICE, s2));
    assert_false(pinned_flag(BOB, s1)); /* another viewer is never told */
}

static void test_pinned_flag_on_a_read_page_uses_one_set_of_pins(void **state)
{
    (void)state;
    int64_t s1 = post(ALICE, "one"), s2 = post(ALICE, "two"), s3 = post(ALICE, "three");
    ok(pin(ALICE, s1));
    ok(pin(ALICE, s3));
    F.read_only = true; /* a read request: the page's flags are prefetched */
    app_ctx *c = req();
    int64_t ids[] = {s3, s2, s1};
    posts_prefetch_flags(c, id_of[ALICE], ids, 3);
    bool want[] = {true, false, true};
    for (int i = 0; i < 3; i++) {
        pl_status_view v;
        ok(posts_view_id(c, id_of[ALICE], ids[i], &v));
        assert_int_equal(v.pinned, want[i]);
    }
    posts_prefetch_flags(c, id_of[BOB], ids, 3);
    for (int i = 0; i < 3; i++) {
        pl_status_view v;
        ok(posts_view_id(c, id_of[BOB], ids[i], &v));
        assert_false(v.pinned);
    }
}

static void test_pinned_feed_is_newest_pin_first_and_audience_checked(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t open = post(ALICE, "for everyone");
    int64_t closed = post_vis(ALICE, VIS_PRIVATE, "for followers");
    ok(pin(ALICE, closed));
    ok(pin(ALICE, open));
    pl_idlist l = pinned_seen_by(ALICE, ALICE);
    assert_ids(&l, open, closed);
    l = pinned_seen_by(BOB, ALICE); /* a follower */
    assert_ids(&l, open, closed);
    l = pinned_seen_by(CAROL, ALICE); /* not a follower */
    assert_ids(&l, open);
    pl_page p = page(10);
    assert_int_equal(feeds_pinned(req(), id_of[BOB], 99999, &p, &l), PL_ENOTFOUND);
}

static void test_deleting_a_pinned_post_unpins_it(void **state)
{
    (void)state;
    int64_t s1 = post(ALICE, "one");
    ok(pin(ALICE, s1));
    pl_status gone;
    ok(posts_delete(req(), id_of[ALICE], s1, &gone));
    assert_int_equal(pinned_seen_by(ALICE, ALICE).n, 0);
    assert_false(store_pinned(F.d, id_of[ALICE], s1));
}

static void test_hide_boosts_leaves_boosts_off_the_profile_for_everyone(void **state)
{
    (void)state;
    int64_t theirs = post(ALICE, "worth a boost");
    int64_t rb = boost(BOB, theirs);
    int64_t own = post(BOB, "my own");
    pl_idlist l = profile_seen_by(CAROL, BOB);
    assert_ids(&l, own, rb);
    set_profile(BOB, -1, 1);
    l = profile_seen_by(CAROL, BOB);
    assert_ids(&l, own);
    l = profile_seen_by(BOB, BOB); /* the owner sees what others see */
    assert_ids(&l, own);
    set_profile(BOB, -1, 0);
    l = profile_seen_by(CAROL, BOB);
    assert_ids(&l, own, rb);
}

static void test_collections_show_to_the_owner_always_and_to_others_unless_hidden(void **state)
{
    (void)state;
    const pl_account *a = app_account(req(), id_of[ALICE]);
    assert_true(profile_shows_collections(req(), id_of[BOB], a));
    assert_true(profile_shows_collections(req(), 0, a));
    set_profile(ALICE, 1, -1);
    a = app_account(req(), id_of[ALICE]);
    assert_true(a->hide_collections);
    assert_false(a->hide_boosts); /* -1 left it as it was */
    assert_true(profile_shows_collections(req(), id_of[ALICE], a));
    assert_false(profile_shows_collections(req(), id_of[BOB], a));
    assert_false(profile_shows_collections(req(), 0, a));
    set_profile(ALICE, 0, -1);
    a = app_account(req(), id_of[ALICE]);
    ok(graph_block(req(), id_of[ALICE], id_of[DAVE]));
    assert_false(profile_shows_collections(req(), id_of[DAVE], a)); /* blocked: as Mastodon */
    assert_true(profile_shows_collections(req(), id_of[BOB], a));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_pins_are_a_set_listed_newest_pin_first),
        T(test_store_pin_limit_is_checked_when_pinning_and_writes_nothing),
        T(test_store_pin_delete_is_idempotent_and_per_account),
        T(test_store_status_delete_removes_its_pin),
        T(test_store_account_keeps_hide_collections_and_hide_boosts),
        T(test_pin_own_public_unlisted_and_followers_only_posts),
        T(test_pin_refuses_a_boost_someone_elses_post_and_a_direct_post),
        T(test_pin_of_a_post_the_viewer_may_not_see_is_not_found),
        T(test_pin_limit_comes_from_max_pins),
        T(test_pinned_flag_is_the_authors_only),
        T(test_pinned_flag_on_a_read_page_uses_one_set_of_pins),
        T(test_pinned_feed_is_newest_pin_first_and_audience_checked),
        T(test_deleting_a_pinned_post_unpins_it),
        T(test_hide_boosts_leaves_boosts_off_the_profile_for_everyone),
        T(test_collections_show_to_the_owner_always_and_to_others_unless_hidden),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
