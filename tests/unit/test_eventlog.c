/*
 * test_eventlog.c — the shared ring of live events: readers see appends in order from their
 * own cursor, read in slices, and are told how many they missed when they fell behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/eventlog.h"

static pl_event ev(int64_t id)
{
    return (pl_event){.kind = 1, .id = id, .account_id = id * 10, .aux = 2};
}

static void test_readers_see_appends_in_order_from_their_own_cursor(void **state)
{
    (void)state;
    eventlog *el = eventlog_new();
    uint64_t a = eventlog_head(el), missed;
    for (int64_t i = 1; i <= 3; i++) {
        pl_event e = ev(i);
        eventlog_append(el, &e);
    }
    uint64_t b = eventlog_head(el); /* a reader that starts now sees only later ones */
    pl_event out[8];
    assert_int_equal(eventlog_read(el, &a, out, 2, &missed), 2); /* a slice */
    assert_true(out[0].id == 1 && out[1].id == 2 && out[1].account_id == 20);
    assert_int_equal(eventlog_read(el, &a, out, 8, &missed), 1);
    assert_true(out[0].id == 3);
    assert_int_equal(eventlog_read(el, &a, out, 8, &missed), 0);
    assert_int_equal(eventlog_read(el, &b, out, 8, &missed), 0);
    pl_event e = ev(4);
    eventlog_append(el, &e);
    assert_int_equal(eventlog_read(el, &b, out, 8, &missed), 1);
    assert_true(out[0].id == 4 && missed == 0);
    eventlog_free(el);
}

static void test_a_reader_that_fell_behind_is_told_how_many_it_missed(void **state)
{
    (void)state;
    eventlog *el = eventlog_new();
    uint64_t seq = eventlog_head(el), missed;
    for (int64_t i = 0; i < EVENTLOG_CAPACITY + 5; i++) {
        pl_event e = ev(i);
        eventlog_append(el, &e);
    }
    pl_event out[4];
    assert_int_equal(eventlog_read(el, &seq, out, 4, &missed), 4);
    assert_true(missed == 5);
    assert_true(out[0].id == 5); /* the oldest still kept */
    eventlog_free(el);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_see_appends_in_order_from_their_own_cursor),
        cmocka_unit_test(test_a_reader_that_fell_behind_is_told_how_many_it_missed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
