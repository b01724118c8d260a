/*
 * test_notify_policy.c — app/notify_policy.c's decision, on the clock (which the API tests
 * cannot move): an account is "new" for 30 days, a follower counts only after 3 days, an
 * accepted sender is always heard, drop outweighs filter, and polls and edits are never held
 * back. On SQLite, and on PostgreSQL with PARTYLINE_TEST_DATABASE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/graph.h"
#include "app/notify_policy.h"
#include "app_fixture.h"

static int64_t alice, bob;

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    alice = fixture_register("alice");
    bob = fixture_register("bob");
    return alice && bob ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

enum { DAY_MS = 24 * 3600 * 1000 };

static int decide(int64_t recipient, int64_t sender, const char *type)
{
    int action = -1;
    assert_int_equal(notify_policy_decide(req(), recipient, sender, type, 0, &action), PL_OK);
    return action;
}

static void set_policy(int not_following, int not_followers, int new_accounts)
{
    int v[POLICY_N] = {not_following, not_followers, new_accounts, POLICY_ACCEPT, POLICY_FILTER};
    assert_int_equal(notify_policy_set(req(), alice, v), PL_OK);
}

static void test_defaults_hear_everyone(void **state)
{
    (void)state;
    int v[POLICY_N];
    assert_int_equal(notify_policy_get(req(), alice, v), PL_OK);
    for (int i = 0; i < POLICY_LIMITED_ACCOUNTS; i++) assert_int_equal(v[i], POLICY_ACCEPT);
    assert_int_equal(v[POLICY_LIMITED_ACCOUNTS], POLICY_FILTER);
    assert_int_equal(decide(alice, bob, "favourite"), POLICY_ACCEPT);
    assert_int_equal(decide(alice, bob, "mention"), POLICY_ACCEPT);
}

static void test_new_accounts_and_young_followers_on_the_clock(void **state)
{
    (void)state;
    set_policy(POLICY_ACCEPT, POLICY_FILTER, POLICY_DROP);
    /* bob registered moments ago and does not follow alice: drop outweighs filter */
    assert_int_equal(decide(alice, bob, "favourite"), POLICY_DROP);
    F.now += 31LL * DAY_MS; /* no longer new; still not a follower */
    assert_int_equal(decide(alice, bob, "favourite"), POLICY_FILTER);
    assert_int_equal(graph_follow(req(), bob, alice, 1, 0), PL_OK);
    F.now += 2LL * DAY_MS; /* a follower of two days does not count yet */
    assert_int_equal(decide(alice, bob, "favourite"), POLICY_FILTER);
    F.now += 2LL * DAY_MS;
    assert_int_equal(decide(alice, bob, "favourite"), POLICY_ACCEPT);
}

static void test_accepted_sender_and_unfilterable_types(void **state)
{
    (void)state;
    set_policy(POLICY_DROP, POLICY_DROP, POLICY_DROP);
    assert_int_equal(decide(alice, bob, "follow"), POLICY_DROP);
    assert_int_equal(decide(alice, bob, "poll"), POLICY_ACCEPT);
    assert_int_equal(decide(alice, bob, "update"), POLICY_ACCEPT);
    assert_int_equal(store_notify_permission_add(F.d, alice, bob, F.now), PL_OK);
    assert_int_equal(decide(alice, bob, "follow"), POLICY_ACCEPT);
    assert_int_equal(decide(bob, alice, "follow"), POLICY_ACCEPT); /* bob's own defaults */
}

static void test_bad_value_is_refused(void **state)
{
    (void)state;
    int v[POLICY_N] = {POLICY_ACCEPT, 3, POLICY_ACCEPT, POLICY_ACCEPT, POLICY_ACCEPT};
    app_ctx *c = req();
    assert_int_equal(notify_policy_set(c, alice, v), PL_EINVAL);
    assert_non_null(strstr(c->errmsg, "for_not_followers"));
    assert_int_equal(notify_policy_parse("filter"), POLICY_FILTER);
    assert_int_equal(notify_policy_parse("Filter"), -1);
    assert_int_equal(notify_policy_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_hear_everyone, fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_new_accounts_and_young_followers_on_the_clock,
                                        fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_accepted_sender_and_unfilterable_types, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(test_bad_value_is_refused, fixture_begin, fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
