/*
 * test_ids.c — unit tests for src/util/ids.c: time-ordered 64-bit ids.
 *
 * The properties the server relies on: every id from one generator is strictly greater
 * than the one before (also when the clock stands still, runs backwards, or many threads
 * share the generator), the node number survives in bits 12..15 of every id (so nodes
 * never collide), and id_parse() accepts exactly the positive 63-bit decimals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ids.h"
#include "util/timeutil.h"

#define T0 1795687315123LL /* 2026-11-26T10:01:55.123Z */

static unsigned node_of(int64_t id)
{
    return (unsigned)((uint64_t)id >> 12) & 15;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------------------------------ */
/* Generation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_first_id_encodes_time_and_node(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 3);
    int64_t id = id_next(&g, T0);
    assert_true(id > 0);
    assert_true(id_ms(id) == T0);
    assert_int_equal(node_of(id), 3);
    assert_int_equal(id & 0xfff, 0);
}

static void test_ids_strictly_increase_while_the_clock_stands_still(void **state)
{
    (void)state;
    enum { N = 100000 };
    id_gen g;
    id_gen_init(&g, 5);
    int64_t prev = 0;
    for (int i = 0; i < N; i++) {
        int64_t id = id_next(&g, T0);
        assert_true(id > prev);
        assert_int_equal(node_of(id), 5);
        prev = id;
    }
}

static void test_ids_strictly_increase_when_the_clock_runs_backwards(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 1);
    int64_t a = id_next(&g, T0);
    int64_t b = id_next(&g, T0 - 60000);
    int64_t c = id_next(&g, T0 - 1);
    assert_true(b > a);
    assert_true(c > b);
    assert_int_equal(node_of(b), 1);
    assert_int_equal(node_of(c), 1);
}

static void test_ids_follow_the_clock_when_it_moves_forward(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 2);
    id_next(&g, T0);
    id_next(&g, T0);
    int64_t later = id_next(&g, T0 + 10);
    assert_true(id_ms(later) == T0 + 10);
    assert_int_equal(later & 0xfff, 0);
}

static void test_4096_ids_fit_in_one_millisecond_then_the_next_one_borrows(void **state)
{
    (void)state;
    for (unsigned node = 0; node < 16; node++) {
        id_gen g;
        id_gen_init(&g, node);
        int64_t id = 0;
        for (int i = 0; i < 4096; i++) {
            id = id_next(&g, T0);
            assert_true(id_ms(id) == T0);
            assert_int_equal(id & 0xfff, i);
        }
        id = id_next(&g, T0);
        assert_true(id_ms(id) == T0 + 1);
        assert_int_equal(node_of(id), node);
        assert_int_equal(id & 0xfff, 0);
    }
}

static void test_node_bits_survive_sequence_overflow_for_every_node(void **state)
{
    (void)state;
    for (unsigned node = 0; node < 16; node++) {
        id_gen g;
        id_gen_init(&g, node);
        int64_t prev = 0;
        for (int i = 0; i < 3 * 4096 + 7; i++) {
            int64_t id = id_next(&g, T0);
            assert_true(id > prev);
            assert_int_equal(node_of(id), node);
            prev = id;
        }
    }
}

static void test_node_number_is_masked_to_four_bits(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 17);
    assert_int_equal(g.node, 1);
    assert_int_equal(node_of(id_next(&g, T0)), 1);
}

static void test_two_nodes_never_make_the_same_id(void **state)
{
    (void)state;
    enum { N = 10000 };
    id_gen a, b;
    id_gen_init(&a, 0);
    id_gen_init(&b, 1);
    int64_t *all = malloc(sizeof *all * 2 * N);
    for (int i = 0; i < N; i++) {
        all[2 * i] = id_next(&a, T0 + i / 3000);
        all[2 * i + 1] = id_next(&b, T0 + i / 3000);
    }
    qsort(all, 2 * N, sizeof *all, cmp_i64);
    for (int i = 1; i < 2 * N; i++) assert_true(all[i] != all[i - 1]);
    free(all);
}

static void test_floor_for_ms_bounds_the_ids_of_that_millisecond(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 15);
    int64_t before = id_next(&g, T0 - 1);
    int64_t at = id_next(&g, T0);
    assert_true(id_floor_for_ms(T0) <= at);
    assert_true(before < id_floor_for_ms(T0));
    assert_true(id_ms(id_floor_for_ms(T0)) == T0);
    assert_true(id_floor_for_ms(-5) == 0);
    assert_true(id_floor_for_ms(0) == 0);
}

/* Threads share one generator with a frozen clock, so every call contends and overflows. */
enum { THREADS = 8, PER_THREAD = 20000 };

struct worker {
    id_gen *g;
    int64_t ids[PER_THREAD];
    int64_t now;
    bool is_increasing;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    w->is_increasing = true;
    for (int i = 0; i < PER_THREAD; i++) {
        w->ids[i] = id_next(w->g, w->now ? w->now : time_now_ms());
        if (i && w->ids[i] <= w->ids[i - 1]) w->is_increasing = false;
    }
    return NULL;
}

static void run_threads(int64_t frozen_now)
{
    id_gen g;
    id_gen_init(&g, 9);
    struct worker *w = calloc(THREADS, sizeof *w);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i].g = &g;
        w[i].now = frozen_now;
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    int64_t *all = malloc(sizeof *all * THREADS * PER_THREAD);
    int n = 0;
    for (int i = 0; i < THREADS; i++) {
        assert_true(w[i].is_increasing);
        for (int k = 0; k < PER_THREAD; k++) {
            assert_int_equal(node_of(w[i].ids[k]), 9);
            all[n++] = w[i].ids[k];
        }
    }
    qsort(all, (size_t)n, sizeof *all, cmp_i64);
    for (int i = 1; i < n; i++) assert_true(all[i] > all[i - 1]);
    /* the generator's last id is the largest handed out */
    assert_true((int64_t)atomic_load(&g.last) == all[n - 1]);
    free(all);
    free(w);
}

static void test_threads_sharing_a_generator_get_unique_increasing_ids(void **state)
{
    (void)state;
    run_threads(0);
}

static void test_threads_with_a_frozen_clock_get_unique_increasing_ids(void **state)
{
    (void)state;
    run_threads(T0);
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void test_parse_accepts_positive_decimals(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(id_parse("1", &v));
    assert_true(v == 1);
    assert_true(id_parse("113456789012345678", &v));
    assert_true(v == 113456789012345678LL);
    assert_true(id_parse("007", &v));
    assert_true(v == 7);
}

static void test_parse_accepts_int64_max(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(id_parse("9223372036854775807", &v));
    assert_true(v == INT64_MAX);
}

static void test_parse_rejects_values_above_int64_max(void **state)
{
    (void)state;
    int64_t v = 77;
    assert_false(id_parse("9223372036854775808", &v));
    assert_false(id_parse("9223372036854775810", &v));
    assert_false(id_parse("18446744073709551615", &v));
    assert_false(id_parse("18446744073709551616", &v));
    assert_false(id_parse("99999999999999999999999999", &v));
    assert_true(v == 77);
}

static void test_parse_rejects_signs_spaces_and_non_digits(void **state)
{
    (void)state;
    static const char *const bad[] = {"",     "-1",  "+1",  " 1", "1 ",   "1a", "a1",
                                      "0x10", "1.0", "1e3", "١٢", "12\n", "--"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v = 77;
        if (id_parse(bad[i], &v)) fail_msg("id_parse accepted \"%s\"", bad[i]);
        assert_true(v == 77);
    }
}

static void test_parse_rejects_null(void **state)
{
    (void)state;
    int64_t v = 77;
    assert_false(id_parse(NULL, &v));
    assert_true(v == 77);
}

static void test_parsed_id_round_trips_through_decimal(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 4);
    for (int i = 0; i < 1000; i++) {
        int64_t id = id_next(&g, T0 + i * 7919), back = 0;
        char s[32];
        snprintf(s, sizeof s, "%lld", (long long)id);
        assert_true(id_parse(s, &back));
        assert_true(back == id);
    }
}

static void test_node_15_borrows_only_the_next_millisecond(void **state)
{
    (void)state;
    id_gen g;
    id_gen_init(&g, 15);
    for (int i = 0; i < 4096; i++) id_next(&g, T0);
    assert_true(id_ms(id_next(&g, T0)) == T0 + 1);
}

/* The admin.sections browser test made four people with four `partyline admin create-user`
 * processes at once: two of them started in the same millisecond, made the same id, and the
 * second was told its (unique) username was taken. Processes started one after another, of
 * one node number, each making a burst of ids in the same millisecond, now never meet. */
static void test_spread_generators_of_one_node_started_together_never_meet(void **state)
{
    (void)state;
    enum { PROCS = 16, EACH = 100 };
    int64_t all[PROCS * EACH];
    for (int p = 0; p < PROCS; p++) {
        id_gen g;
        id_gen_init(&g, 0);
        id_gen_spread(&g, 31000u + (unsigned)p); /* consecutive process ids */
        int64_t prev = 0;
        for (int i = 0; i < EACH; i++) {
            int64_t id = id_next(&g, T0);
            assert_true(id > prev);
            assert_int_equal(node_of(id), 0);
            assert_true(id_ms(id) >= T0 && id >= id_floor_for_ms(T0));
            all[p * EACH + i] = prev = id;
        }
    }
    qsort(all, PROCS * EACH, sizeof all[0], cmp_i64);
    for (int i = 1; i < PROCS * EACH; i++) assert_true(all[i] != all[i - 1]);
    /* and without the spread they did meet: the reason for it */
    id_gen a, b;
    id_gen_init(&a, 0);
    id_gen_init(&b, 0);
    assert_true(id_next(&a, T0) == id_next(&b, T0));
}

static void test_parse_rejects_zero(void **state)
{
    (void)state;
    int64_t v = 77;
    assert_false(id_parse("0", &v));
    assert_false(id_parse("000", &v));
    assert_true(v == 77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_15_borrows_only_the_next_millisecond),
        cmocka_unit_test(test_parse_rejects_zero),
        cmocka_unit_test(test_spread_generators_of_one_node_started_together_never_meet),
        cmocka_unit_test(test_first_id_encodes_time_and_node),
        cmocka_unit_test(test_ids_strictly_increase_while_the_clock_stands_still),
        cmocka_unit_test(test_ids_strictly_increase_when_the_clock_runs_backwards),
        cmocka_unit_test(test_ids_follow_the_clock_when_it_moves_forward),
        cmocka_unit_test(test_4096_ids_fit_in_one_millisecond_then_the_next_one_borrows),
        cmocka_unit_test(test_node_bits_survive_sequence_overflow_for_every_node),
        cmocka_unit_test(test_node_number_is_masked_to_four_bits),
        cmocka_unit_test(test_two_nodes_never_make_the_same_id),
        cmocka_unit_test(test_floor_for_ms_bounds_the_ids_of_that_millisecond),
        cmocka_unit_test(test_threads_sharing_a_generator_get_unique_increasing_ids),
        cmocka_unit_test(test_threads_with_a_frozen_clock_get_unique_increasing_ids),
        cmocka_unit_test(test_parse_accepts_positive_decimals),
        cmocka_unit_test(test_parse_accepts_int64_max),
        cmocka_unit_test(test_parse_rejects_values_above_int64_max),
        cmocka_unit_test(test_parse_rejects_signs_spaces_and_non_digits),
        cmocka_unit_test(test_parse_rejects_null),
        cmocka_unit_test(test_parsed_id_round_trips_through_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
