/*
 * test_scheduled.c — unit tests for src/app/scheduled.c on SQLite and PostgreSQL
 * (PARTYLINE_TEST_DATABASE): what is refused when scheduling, and the publisher's step — a due
 * post published once through posts_create, nothing before its time, a post whose author may
 * no longer post dropped with its scheduled row. Each test runs inside a transaction its
 * teardown rolls back (app_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/scheduled.h"
#include "app_fixture.h"
#include "store/accounts.h"

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

enum { SECOND = 1000 };

static int64_t schedule(int64_t who, const char *text, int64_t in_ms)
{
    posts_new n = {.text = text, .visibility = -1, .sensitive = -1};
    int64_t id = 0;
    app_ctx *c = req();
    assert_int_equal(scheduled_create(c, who, &n, c->now + in_ms, &id), PL_OK);
    return id;
}

/* One publisher step at `at` (ms since the fixture's clock); the outcome. */
static enum scheduled_outcome step_at(int64_t at, int64_t *status_id)
{
    app_ctx *c = req();
    c->now = at;
    enum scheduled_outcome out;
    int64_t sched;
    assert_int_equal(scheduled_publish_step(c, &out, &sched, status_id), PL_OK);
    return out;
}

static void test_too_near_and_limits_are_refused(void **state)
{
    (void)state;
    F.cfg.max_scheduled_statuses_daily = 1;
    posts_new n = {.text = "hello", .visibility = -1, .sensitive = -1};
    int64_t id;
    app_ctx *c = req();
    assert_int_equal(scheduled_create(c, alice, &n, c->now + 299 * SECOND, &id), PL_EINVAL);
    assert_non_null(strstr(c->errmsg, "300 seconds"));
    schedule(alice, "first", 3600 * SECOND);
    c = req();
    assert_int_equal(scheduled_create(c, alice, &n, c->now + 3601 * SECOND, &id), PL_EINVAL);
    assert_non_null(strstr(c->errmsg, "for that day"));
    posts_new blank = {.text = "  ", .visibility = -1, .sensitive = -1};
    c = req();
    assert_int_equal(scheduled_create(c, alice, &blank, c->now + 2 * 86400 * SECOND, &id),
                     PL_EINVAL);
}

static void test_due_post_is_published_once(void **state)
{
    (void)state;
    int64_t id = schedule(alice, "later, @bob", 600 * SECOND);
    int64_t status_id = 0;
    assert_int_equal(step_at(F.now + 599 * SECOND, &status_id), SCHEDULED_NONE);
    assert_int_equal(step_at(F.now + 600 * SECOND, &status_id), SCHEDULED_PUBLISHED);
    const pl_status *s = app_status(req(), status_id);
    assert_non_null(s);
    assert_int_equal(s->account_id, alice);
    assert_non_null(strstr(s->text, "later"));
    assert_int_equal(step_at(F.now + 601 * SECOND, &status_id), SCHEDULED_NONE);
    pl_scheduled gone;
    assert_int_equal(scheduled_get(req(), alice, id, &gone), PL_ENOTFOUND);
}

static void test_disabled_author_is_dropped(void **state)
{
    (void)state;
    int64_t id = schedule(bob, "never", 600 * SECOND);
    assert_int_equal(store_account_set_disabled(F.d, bob, true), PL_OK);
    int64_t status_id = 1;
    assert_int_equal(step_at(F.now + 700 * SECOND, &status_id), SCHEDULED_DROPPED);
    assert_int_equal(status_id, 0);
    assert_non_null(F.c.errmsg);
    pl_scheduled gone;
    assert_int_equal(scheduled_get(req(), bob, id, &gone), PL_ENOTFOUND);
    assert_int_equal(step_at(F.now + 701 * SECOND, &status_id), SCHEDULED_NONE);
}

static void test_others_cannot_touch_it(void **state)
{
    (void)state;
    int64_t id = schedule(alice, "mine", 3600 * SECOND);
    pl_scheduled s;
    assert_int_equal(scheduled_get(req(), bob, id, &s), PL_ENOTFOUND);
    app_ctx *c = req();
    assert_int_equal(scheduled_move(c, bob, id, c->now + 7200 * SECOND), PL_ENOTFOUND);
    assert_int_equal(scheduled_cancel(req(), bob, id), PL_ENOTFOUND);
    assert_int_equal(scheduled_get(req(), alice, id, &s), PL_OK);
    assert_int_equal(scheduled_cancel(req(), alice, id), PL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_too_near_and_limits_are_refused, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(test_due_post_is_published_once, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(test_disabled_author_is_dropped, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(test_others_cannot_touch_it, fixture_begin, fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
