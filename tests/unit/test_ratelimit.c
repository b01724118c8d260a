/*
 * test_ratelimit.c — unit tests for src/util/ratelimit.c: fixed-window counters.
 *
 * What the server relies on: a key is refused past its limit and allowed again once its
 * window ends (a window that never reset would lock a client out for good), keys do not
 * share counts, windows of different lengths live side by side (sign-in failures and
 * request counts share the table), peek does not count, forget starts a key from zero, and
 * a table far past its capacity keeps answering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "util/ratelimit.h"

#define T0 1795687200000LL /* a multiple of 300 s: windows start here */

static void test_refused_past_the_limit_and_allowed_after_the_window(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new();
    for (int i = 1; i <= 3; i++) {
        ratelimit_result res = ratelimit_hit(r, "i:1.2.3.4", 3, 300, T0 + i);
        assert_true(res.allowed);
        assert_int_equal(res.remaining, 3 - i);
        assert_int_equal(res.reset_ms, T0 + 300000);
    }
    ratelimit_result res = ratelimit_hit(r, "i:1.2.3.4", 3, 300, T0 + 299999);
    assert_false(res.allowed);
    assert_int_equal(res.remaining, 0);
    res = ratelimit_hit(r, "i:1.2.3.4", 3, 300, T0 + 300000);
    assert_true(res.allowed);
    assert_int_equal(res.remaining, 2);
    assert_int_equal(res.reset_ms, T0 + 600000);
    ratelimit_free(r);
}

static void test_keys_count_apart(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new();
    assert_true(ratelimit_hit(r, "a:1", 1, 300, T0).allowed);
    assert_false(ratelimit_hit(r, "a:1", 1, 300, T0).allowed);
    assert_true(ratelimit_hit(r, "a:2", 1, 300, T0).allowed);
    ratelimit_free(r);
}

static void test_peek_does_not_count_and_forget_resets(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new();
    assert_int_equal(ratelimit_peek(r, "sf:a:7", T0).count, 0);
    ratelimit_hit(r, "sf:a:7", 100, 900, T0 + 10);
    ratelimit_hit(r, "sf:a:7", 100, 900, T0 + 20);
    ratelimit_state st = ratelimit_peek(r, "sf:a:7", T0 + 30);
    assert_int_equal(st.count, 2);
    assert_int_equal(st.last_ms, T0 + 20);
    assert_int_equal(st.reset_ms, T0 + 900000);
    assert_int_equal(ratelimit_peek(r, "sf:a:7", T0 + 30).count, 2);
    assert_int_equal(ratelimit_peek(r, "sf:a:7", T0 + 900000).count, 0); /* the window ended */
    ratelimit_forget(r, "sf:a:7");
    assert_int_equal(ratelimit_peek(r, "sf:a:7", T0 + 40).count, 0);
    assert_int_equal(ratelimit_hit(r, "sf:a:7", 100, 900, T0 + 50).remaining, 99);
    ratelimit_free(r);
}

static void test_windows_of_different_lengths_share_the_table(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new();
    /* fill the table with short windows, then go past their end: the long window survives
     * every sweep, the short ones are dropped */
    ratelimit_hit(r, "long", 1, 3600, T0);
    char key[32];
    for (int i = 0; i < 400000; i++) {
        snprintf(key, sizeof key, "i:%d", i);
        ratelimit_hit(r, key, 10, 1, T0 + (i / 100000) * 1000);
    }
    assert_int_equal(ratelimit_peek(r, "long", T0 + 5000).count, 1);
    assert_false(ratelimit_hit(r, "long", 1, 3600, T0 + 5000).allowed);
    ratelimit_free(r);
}

static void test_a_counted_window_starts_with_its_first_event(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new();
    ratelimit_count(r, "sf:i:x", 900, T0 + 899000); /* one second before an aligned boundary */
    ratelimit_count(r, "sf:i:x", 900, T0 + 901000);
    ratelimit_state st = ratelimit_peek(r, "sf:i:x", T0 + 902000);
    assert_int_equal(st.count, 2);
    assert_int_equal(st.reset_ms, T0 + 899000 + 900000);
    assert_int_equal(ratelimit_peek(r, "sf:i:x", T0 + 899000 + 900000).count, 0);
    ratelimit_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_past_the_limit_and_allowed_after_the_window),
        cmocka_unit_test(test_keys_count_apart),
        cmocka_unit_test(test_peek_does_not_count_and_forget_resets),
        cmocka_unit_test(test_windows_of_different_lengths_share_the_table),
        cmocka_unit_test(test_a_counted_window_starts_with_its_first_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
