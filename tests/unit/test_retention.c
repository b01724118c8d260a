/*
 * test_retention.c — which posts a retention run chooses (store/retention.c:
 * store_retention_due; the rules, app/retention.h): the most specific administrator's policy
 * wins (direct messages' over the company's), a person's own automatic deletion only deletes
 * sooner and keeps what its keep rules keep, and a hold keeps a held account's posts from every
 * policy, the person's own included, until it is released; the lease lets one run at a time,
 * and a server's only when due. Posts are made old by the clock the
 * fixture's requests run at (a post's id holds its time). Runs on SQLite and, with
 * PARTYLINE_TEST_DATABASE, on PostgreSQL; every test is rolled back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/engage.h"
#include "app/posts.h"
#include "app/retention.h"
#include "store/posts.h"

enum { ALICE, BOB, ADMIN, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob", "root"};
static int64_t id_of[N_PEOPLE];
static pl_account admin;

#define DAY 86400000LL

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
    admin = (pl_account){.id = id_of[ADMIN], .is_admin = true};
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

/* A post by who made `days_ago` days before the fixture's clock. The generator never gives an
 * id below its last (util/ids.c): it starts over for each post made in the past (each request
 * is a millisecond later, so no two ids meet). */
static int64_t post_aged(int who, int days_ago, int visibility, const char *text)
{
    int64_t keep = F.now, id;
    F.now -= days_ago * DAY;
    id_gen_init(&F.ids, 0);
    ok(posts_create(req(), id_of[who], &(posts_new){.text = text, .visibility = visibility}, &id));
    F.now = keep + 1; /* the next request is a millisecond later still */
    return id;
}

/* The scope that makes id due now (0: kept). */
static int due_scope(int64_t id)
{
    pl_retention_policy *p;
    int n;
    ok(store_retention_policies(F.d, &F.a, &p, &n));
    pl_retention_clock k = {.now = F.now};
    for (int i = 0; i < n; i++) {
        if (p[i].scope == RETENTION_COMPANY) k.company_days = p[i].days;
        if (p[i].scope == RETENTION_DIRECT) k.direct_days = p[i].days;
    }
    pl_retention_due *due;
    int m, one;
    ok(store_retention_due(F.d, &k, id - 1, id + 1, 1, &F.a, &due, &m));
    ok(store_retention_due_one(F.d, &k, id, &one)); /* the run's second look agrees */
    assert_int_equal(one, m ? due[0].scope : 0);
    return one;
}

static void test_the_direct_policy_wins_over_the_companys_for_direct_messages(void **state)
{
    (void)state;
    ok(retention_policy_set(req(), &admin, RETENTION_COMPANY, 0, 30));
    int64_t public31 = post_aged(ALICE, 31, VIS_PUBLIC, "a month");
    int64_t dm31 = post_aged(ALICE, 31, VIS_DIRECT, "@bob a month");
    int64_t public15 = post_aged(ALICE, 15, VIS_PUBLIC, "fifteen days");
    int64_t dm15 = post_aged(ALICE, 15, VIS_DIRECT, "@bob fifteen days");
    assert_int_equal(due_scope(public15), 0);
    assert_int_equal(due_scope(public31), RETENTION_COMPANY);
    assert_int_equal(due_scope(dm15), 0);
    assert_int_equal(due_scope(dm31), RETENTION_COMPANY); /* no direct policy: the company's */
    ok(retention_policy_set(req(), &admin, RETENTION_DIRECT, 0, 10));
    assert_int_equal(due_scope(dm15), RETENTION_DIRECT);
    ok(retention_policy_set(req(), &admin, RETENTION_DIRECT, 0, 60));
    assert_int_equal(due_scope(dm31), 0); /* longer than the company's, and it wins */
    assert_int_equal(due_scope(public31), RETENTION_COMPANY);
}

static void test_ones_own_deletes_sooner_and_keeps_what_its_rules_keep(void **state)
{
    (void)state;
    ok(retention_policy_set(req(), &admin, RETENTION_COMPANY, 0, 30));
    pl_cleanup_policy p;
    ok(retention_cleanup_get(req(), id_of[ALICE], &p));
    p.enabled = true;
    p.min_status_age = 7 * 86400;
    p.min_favs = 1;
    ok(retention_cleanup_set(req(), id_of[ALICE], &p));
    int64_t old = post_aged(ALICE, 31, VIS_DIRECT, "@bob old direct");
    int64_t plain = post_aged(ALICE, 8, VIS_PUBLIC, "eight days");
    int64_t faved = post_aged(ALICE, 8, VIS_PUBLIC, "liked by bob");
    int64_t marked = post_aged(ALICE, 8, VIS_PUBLIC, "bookmarked by alice");
    int64_t dm = post_aged(ALICE, 8, VIS_DIRECT, "@bob direct");
    int64_t bobs = post_aged(BOB, 8, VIS_PUBLIC, "bob has no policy");
    int64_t young = post_aged(ALICE, 3, VIS_PUBLIC, "three days");
    ok(engage_favourite(req(), id_of[BOB], faved));
    ok(engage_bookmark(req(), id_of[ALICE], marked));
    assert_int_equal(due_scope(young), 0);
    assert_int_equal(due_scope(plain), RETENTION_OWN);
    assert_int_equal(due_scope(faved), 0);  /* min_favs 1 */
    assert_int_equal(due_scope(marked), 0); /* keep_self_bookmark */
    assert_int_equal(due_scope(dm), 0);     /* keep_direct */
    assert_int_equal(due_scope(bobs), 0);
    assert_int_equal(due_scope(old), RETENTION_COMPANY); /* her keep rules do not keep it longer */
    p.keep_direct = false;
    p.keep_self_bookmark = false;
    p.min_favs = -1;
    ok(retention_cleanup_set(req(), id_of[ALICE], &p));
    assert_int_equal(due_scope(faved), RETENTION_OWN);
    assert_int_equal(due_scope(marked), RETENTION_OWN);
    assert_int_equal(due_scope(dm), RETENTION_OWN);
    p.enabled = false;
    ok(retention_cleanup_set(req(), id_of[ALICE], &p));
    assert_int_equal(due_scope(plain), 0);
}

static void test_a_hold_keeps_an_accounts_posts_from_every_policy_until_released(void **state)
{
    (void)state;
    ok(retention_policy_set(req(), &admin, RETENTION_COMPANY, 0, 30));
    pl_cleanup_policy p;
    ok(retention_cleanup_get(req(), id_of[ALICE], &p));
    p.enabled = true;
    p.min_status_age = 86400;
    ok(retention_cleanup_set(req(), id_of[ALICE], &p));
    int64_t old = post_aged(ALICE, 40, VIS_PUBLIC, "old");
    int64_t bobs = post_aged(BOB, 40, VIS_PUBLIC, "bob's, boosted by alice");
    int64_t to_alice = post_aged(BOB, 40, VIS_DIRECT, "@alice direct");
    int64_t recent = post_aged(ALICE, 2, VIS_PUBLIC, "recent");
    int64_t boost;
    ok(engage_reblog(req(), id_of[ALICE], bobs, VIS_PUBLIC, &boost));
    pl_legal_hold h;
    ok(retention_hold_set(req(), &admin, HOLD_ACCOUNT, id_of[ALICE], "case 7", &h));
    assert_int_equal(due_scope(old), 0);
    assert_int_equal(due_scope(recent), 0);
    assert_int_equal(due_scope(bobs), 0);     /* a held account's boost needs it */
    assert_int_equal(due_scope(to_alice), 0); /* in the held person's conversations */
    /* a second hold on the same account is refused */
    pl_legal_hold again;
    assert_int_equal(retention_hold_set(req(), &admin, HOLD_ACCOUNT, id_of[ALICE], NULL, &again),
                     PL_EINVAL);
    /* a member may not release it */
    pl_account member = {.id = id_of[BOB]};
    assert_int_equal(retention_hold_release(req(), &member, h.id, &again), PL_EFORBIDDEN);
    ok(retention_hold_release(req(), &admin, h.id, &again));
    assert_int_equal(due_scope(old), RETENTION_COMPANY);
    assert_int_equal(due_scope(recent), RETENTION_OWN);
    assert_int_equal(due_scope(bobs), RETENTION_COMPANY);
    assert_int_equal(due_scope(to_alice), RETENTION_COMPANY);
}

static void test_policy_bounds_are_refused_and_nothing_is_written(void **state)
{
    (void)state;
    assert_int_equal(retention_policy_set(req(), &admin, RETENTION_COMPANY, 0, 36501), PL_EINVAL);
    assert_int_equal(retention_policy_set(req(), &admin, RETENTION_COMPANY, 0, -1), PL_EINVAL);
    assert_int_equal(retention_policy_set(req(), &admin, RETENTION_CHANNEL, id_of[BOB], 5),
                     PL_EINVAL); /* a person is not a channel */
    pl_account member = {.id = id_of[BOB]};
    assert_int_equal(retention_policy_set(req(), &member, RETENTION_COMPANY, 0, 5), PL_EFORBIDDEN);
    pl_retention_policy *p;
    int n;
    ok(store_retention_policies(F.d, &F.a, &p, &n));
    assert_int_equal(n, 0);
    pl_cleanup_policy c;
    ok(retention_cleanup_get(req(), id_of[ALICE], &c));
    c.min_status_age = 3600;
    assert_int_equal(retention_cleanup_set(req(), id_of[ALICE], &c), PL_EINVAL);
    ok(retention_cleanup_get(req(), id_of[ALICE], &c));
    assert_false(c.enabled);
    assert_int_equal(c.min_status_age, 14 * 86400);
}

static void test_the_lease_lets_one_run_at_a_time_and_only_when_due(void **state)
{
    (void)state;
    bool got;
    ok(store_retention_lease(F.d, "a", 1000, 2000, INT64_MAX, &got));
    assert_true(got);
    ok(store_retention_lease(F.d, "b", 1500, 2500, INT64_MAX, &got));
    assert_false(got); /* a holds it */
    ok(store_retention_lease(F.d, "a", 1500, 2500, INT64_MAX, &got));
    assert_true(got); /* renewed */
    ok(store_retention_lease_drop(F.d, "a", 1000));
    ok(store_retention_lease(F.d, "b", 1600, 2600, 999, &got));
    assert_false(got); /* free, but the last run began at 1000: not due yet */
    ok(store_retention_lease(F.d, "b", 1600, 2600, 1000, &got));
    assert_true(got);
    ok(store_retention_lease(F.d, "c", 2601, 3600, INT64_MAX, &got));
    assert_true(got); /* b's expired */
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_the_direct_policy_wins_over_the_companys_for_direct_messages),
        T(test_ones_own_deletes_sooner_and_keeps_what_its_rules_keep),
        T(test_a_hold_keeps_an_accounts_posts_from_every_policy_until_released),
        T(test_policy_bounds_are_refused_and_nothing_is_written),
        T(test_the_lease_lets_one_run_at_a_time_and_only_when_due),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
