/*
 * test_queue.c — unit tests for src/run/queue.c: the runtime's job queues.
 *
 * What the server relies on (fairness.test.mjs proves it end to end): a queue refuses a job
 * once max jobs wait (503), and refuses a client's job once it holds its share of places,
 * queued or running (429), while other clients still get in; a place comes back with
 * queue_done, not when the job is taken; a job without a share is never counted; the
 * writers take up to max jobs at once in the order they came; a take waits idle_ms at most
 * and then says "idle"; a closing queue still hands out what it holds, then says so. And
 * (src/run/background.c) a background thread's pause ends at once when the runtime stops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "run/run_internal.h"
#include "util/timeutil.h"

static run_job job_of(const char *client, int share)
{
    run_job j = {.share = share};
    snprintf(j.client, sizeof j.client, "%s", client);
    return j;
}

static void test_a_full_queue_refuses_and_queues_nothing(void **state)
{
    (void)state;
    struct job_queue q = {.max = 2};
    queue_init(&q);
    run_job a = job_of("a:1", 0), b = job_of("a:2", 0), c = job_of("a:3", 0);
    assert_int_equal(queue_offer(&q, &a), RUN_TAKEN);
    assert_int_equal(queue_offer(&q, &b), RUN_TAKEN);
    assert_int_equal(queue_offer(&q, &c), RUN_FULL);
    assert_false(c.counted);
    int n;
    bool idle;
    assert_ptr_equal(queue_take(&q, 10, &n, 0, &idle), &a);
    assert_int_equal(n, 2);
    assert_ptr_equal(a.next, &b);
    assert_null(b.next);
    assert_int_equal(queue_offer(&q, &c), RUN_TAKEN); /* room again once taken */
}

static void test_a_client_holds_its_share_and_others_still_get_in(void **state)
{
    (void)state;
    struct job_queue q = {0};
    queue_init(&q);
    run_job j[4];
    for (int i = 0; i < 3; i++) j[i] = job_of("i:10.0.0.1", 2);
    j[3] = job_of("a:7", 2);
    assert_int_equal(queue_offer(&q, &j[0]), RUN_TAKEN);
    assert_int_equal(queue_offer(&q, &j[1]), RUN_TAKEN);
    assert_int_equal(queue_offer(&q, &j[2]), RUN_CLIENT_BUSY);
    assert_false(j[2].counted);
    assert_int_equal(queue_offer(&q, &j[3]), RUN_TAKEN);
    /* taken is still running: the place comes back only with queue_done */
    int n;
    run_job *t = queue_take(&q, 1, &n, -1, NULL);
    assert_ptr_equal(t, &j[0]);
    assert_int_equal(queue_offer(&q, &j[2]), RUN_CLIENT_BUSY);
    queue_done(&q, t);
    assert_false(t->counted);
    assert_int_equal(queue_offer(&q, &j[2]), RUN_TAKEN);
    queue_done(&q, t); /* a second done gives nothing back */
    run_job extra = job_of("i:10.0.0.1", 2);
    assert_int_equal(queue_offer(&q, &extra), RUN_CLIENT_BUSY);
    bool idle;
    while ((t = queue_take(&q, 1, &n, 0, &idle))) queue_done(&q, t); /* frees the counts */
    for (int i = 0; i < 4; i++) assert_false(j[i].counted);
}

static void test_a_job_without_a_share_is_never_counted(void **state)
{
    (void)state;
    struct job_queue q = {0};
    queue_init(&q);
    run_job j[20];
    for (int i = 0; i < 20; i++) {
        j[i] = job_of("a:1", 0);
        assert_int_equal(queue_offer(&q, &j[i]), RUN_TAKEN);
        assert_false(j[i].counted);
    }
}

static void test_take_waits_at_most_idle_ms_then_says_idle(void **state)
{
    (void)state;
    struct job_queue q = {0};
    queue_init(&q);
    int n = -1;
    bool idle = false;
    assert_null(queue_take(&q, 4, &n, 0, &idle)); /* a poll */
    assert_true(idle);
    assert_int_equal(n, 0);
    idle = false;
    assert_null(queue_take(&q, 4, &n, 20, &idle)); /* waits 20 ms */
    assert_true(idle);
}

static void test_a_closing_queue_hands_out_what_it_holds_then_ends(void **state)
{
    (void)state;
    struct job_queue q = {0};
    queue_init(&q);
    run_job a = job_of("a:1", 0), b = job_of("a:1", 0), c = job_of("a:1", 0);
    queue_push(&q, &a);
    queue_push(&q, &b);
    queue_push(&q, &c);
    queue_close(&q);
    int n;
    bool idle;
    assert_ptr_equal(queue_take(&q, 2, &n, 1000, &idle), &a);
    assert_int_equal(n, 2);
    assert_false(idle);
    assert_ptr_equal(queue_take(&q, 2, &n, -1, NULL), &c);
    assert_int_equal(n, 1);
    assert_null(queue_take(&q, 2, &n, 1000, &idle));
    assert_false(idle); /* not idle: closing */
    assert_int_equal(n, 0);
}

/* A background thread's pause (run_idle) lasts its time, but a stop ends it at once: a
 * server's stop never waits out the scheduler's or the checkpointer's nap. */
struct idler {
    run *r;
    int ms;
    int64_t took_ms;
};

static void *idle_thread(void *arg)
{
    struct idler *w = arg;
    int64_t t0 = time_now_ms();
    run_idle(w->r, w->ms);
    w->took_ms = time_now_ms() - t0;
    return NULL;
}

static void test_a_background_pause_lasts_its_time_unless_stopped(void **state)
{
    (void)state;
    static run r;
    pthread_mutex_init(&r.stop_mu, NULL);
    pthread_cond_init(&r.stop_cv, NULL);
    atomic_store(&r.stop_background, false);
    struct idler w = {.r = &r, .ms = 40};
    idle_thread(&w);
    assert_true(w.took_ms >= 39);
    w.ms = 20000;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, idle_thread, &w), 0);
    run_stop_background(&r);
    pthread_join(t, NULL);
    assert_true(w.took_ms < 10000); /* at once; before, a stop waited the whole pause */
    w.ms = 20000;
    idle_thread(&w); /* stopped already: no pause at all */
    assert_true(w.took_ms < 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_full_queue_refuses_and_queues_nothing),
        cmocka_unit_test(test_a_client_holds_its_share_and_others_still_get_in),
        cmocka_unit_test(test_a_job_without_a_share_is_never_counted),
        cmocka_unit_test(test_take_waits_at_most_idle_ms_then_says_idle),
        cmocka_unit_test(test_a_closing_queue_hands_out_what_it_holds_then_ends),
        cmocka_unit_test(test_a_background_pause_lasts_its_time_unless_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
