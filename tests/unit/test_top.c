/*
 * test_top.c — unit tests for src/store/top.c (trends and catch-up queries) over a real
 * database: SQLite by default, PostgreSQL when PARTYLINE_TEST_DATABASE names a server
 * (test_db.h; `make test-unit-pg`).
 *
 * One database for the file; each test runs in a transaction its teardown rolls back. Times
 * are counted from a fixed day (T0, a UTC midnight) and ids are made from them, as the server
 * makes ids from the clock, because the queries range over ids by time.
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

#include "store/channels.h"
#include "store/migrate.h"
#include "store/posts.h"
#include "store/tags.h"
#include "store/top.h"
#include "test_db.h"
#include "util/err.h"
#include "util/ids.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3, OPEN_CH = 50, SECRET_CH = 51 };
static const int64_t DAY = 86400000;
static const int64_t T0 = 1767225600000; /* 2026-01-01T00:00:00Z */

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-top-XXXXXX", "top.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "top.db", g.d);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (db_begin(g.d) != PL_OK) return -1;
    pl_channel open = {.id = OPEN_CH, .created_by = ALICE, .created_at = T0};
    pl_channel secret = {
        .id = SECRET_CH, .is_private = true, .created_by = ALICE, .created_at = T0};
    return store_channel_insert(g.d, &open) || store_channel_insert(g.d, &secret) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* A status made at `at` (its id from that time; k tells apart several at one moment). */
static int64_t post(int64_t at, int k, int64_t author, int vis, int64_t channel, const char *tag)
{
    pl_status s = {.id = id_floor_for_ms(at) + k,
                   .account_id = author,
                   .visibility = vis,
                   .text = "t",
                   .content = "<p>t</p>",
                   .channel_id = channel,
                   .created_at = at};
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
    if (tag) assert_int_equal(store_status_tag_add(g.d, s.id, tag), PL_OK);
    return s.id;
}

static const pl_trend_day *find(const pl_trend_day *v, int n, const char *tag, int day)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i].tag, tag) && v[i].day == day) return &v[i];
    return NULL;
}

static void test_tag_days_count_uses_and_authors_of_what_members_can_find(void **state)
{
    (void)state;
    post(T0 + 1000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    post(T0 + 2000, 0, ALICE, VIS_UNLISTED, 0, "launch");
    post(T0 + 3000, 0, BOB, VIS_COMPANY, OPEN_CH, "launch");
    post(T0 + 2 * DAY + 5, 0, CAROL, VIS_PUBLIC, 0, "launch");
    /* not counted: followers-only, direct, a private channel, removed, a boost, too old */
    post(T0 + 4000, 0, CAROL, VIS_PRIVATE, 0, "launch");
    post(T0 + 5000, 0, CAROL, VIS_DIRECT, 0, "launch");
    post(T0 + 6000, 0, CAROL, VIS_COMPANY, SECRET_CH, "launch");
    int64_t removed = post(T0 + 7000, 0, CAROL, VIS_PUBLIC, OPEN_CH, "launch");
    assert_int_equal(store_status_channel_remove(g.d, removed), PL_OK);
    pl_status boost = {.id = id_floor_for_ms(T0 + 8000),
                       .account_id = CAROL,
                       .reblog_of_id = removed,
                       .visibility = VIS_PUBLIC,
                       .created_at = T0 + 8000};
    assert_int_equal(store_status_insert(g.d, &boost), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, boost.id, "launch"), PL_OK);
    post(T0 - 1, 0, CAROL, VIS_PUBLIC, 0, "launch");

    pl_trend_day *v;
    int n;
    assert_int_equal(store_trend_tag_days(g.d, T0, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    const pl_trend_day *first = find(v, n, "launch", 0);
    assert_non_null(first);
    assert_int_equal(first->uses, 3);
    assert_int_equal(first->accounts, 2);
    const pl_trend_day *third = find(v, n, "launch", 2);
    assert_non_null(third);
    assert_int_equal(third->uses, 1);
    assert_int_equal(third->accounts, 1);
}

/* ------------------------------------------------------------------ a tag's days */

/* A tag's counts on day T0 + day: its history (store_tag_history: public and unlisted) and
 * its trending numbers (store_trend_tag_days: what any member could find). */
typedef struct {
    int64_t uses, accounts, trend_uses, trend_accounts;
} counts;

static counts counts_of(const char *tag, int day)
{
    counts c = {0};
    pl_tag_day *h;
    int n;
    assert_int_equal(store_tag_history(g.d, tag, id_floor_for_ms(T0) - 1, &A, &h, &n), PL_OK);
    for (int i = 0; i < n; i++)
        if (h[i].day == T0 / DAY + day) c.uses = h[i].uses, c.accounts = h[i].accounts;
    pl_trend_day *v;
    assert_int_equal(store_trend_tag_days(g.d, T0, &A, &v, &n), PL_OK);
    const pl_trend_day *t = find(v, n, tag, day);
    if (t) c.trend_uses = t->uses, c.trend_accounts = t->accounts;
    return c;
}

#define assert_counts(tag, day, u, a, tu, ta)                                                      \
    do {                                                                                           \
        counts c_ = counts_of(tag, day);                                                           \
        assert_int_equal(c_.uses, u);                                                              \
        assert_int_equal(c_.accounts, a);                                                          \
        assert_int_equal(c_.trend_uses, tu);                                                       \
        assert_int_equal(c_.trend_accounts, ta);                                                   \
    } while (0)

/* The numbers a tag page and trending tags show for a week of posts (written against the
 * counting on read, kept for the counters of migration 027: the same numbers). */
static void test_a_weeks_history_and_trend_days(void **state)
{
    (void)state;
    post(T0 + 1000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    post(T0 + 2000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    post(T0 + 3000, 0, BOB, VIS_UNLISTED, 0, "launch");
    post(T0 + 4000, 0, CAROL, VIS_COMPANY, 0, "launch");
    post(T0 + DAY + 1, 0, BOB, VIS_PUBLIC, OPEN_CH, "launch");
    post(T0 + DAY + 2, 0, CAROL, VIS_PUBLIC, SECRET_CH, "launch"); /* history only */
    post(T0 + 3 * DAY, 0, ALICE, VIS_PRIVATE, 0, "launch");        /* neither */
    post(T0 + 3 * DAY + 1, 0, ALICE, VIS_DIRECT, 0, "launch");     /* neither */
    post(T0 + 5000, 0, ALICE, VIS_PUBLIC, 0, "ship");
    post(T0 + 6 * DAY + 7, 0, BOB, VIS_COMPANY, 0, "ship"); /* trends only */
    post(T0 - 1, 0, ALICE, VIS_PUBLIC, 0, "ship");          /* before the week */
    post(T0 + 9000, 0, BOB, VIS_PRIVATE, 0, "hush");

    assert_counts("launch", 0, 3, 2, 4, 3);
    assert_counts("launch", 1, 2, 2, 1, 1);
    assert_counts("launch", 3, 0, 0, 0, 0);
    assert_counts("ship", 0, 1, 1, 1, 1);
    assert_counts("ship", 6, 0, 0, 1, 1);
    assert_counts("ship", -1, 0, 0, 0, 0);
    assert_counts("hush", 0, 0, 0, 0, 0);
    pl_trend_day *v;
    int n;
    assert_int_equal(store_trend_tag_days(g.d, T0, &A, &v, &n), PL_OK);
    assert_int_equal(n, 4); /* launch 0 and 1, ship 0 and 6 */
    assert_true(store_tag_used(g.d, "launch"));
    assert_true(store_tag_used(g.d, "ship"));
    assert_false(store_tag_used(g.d, "hush")); /* used only where it would tell */
}

/* Deleting a post, editing its tags, removing it from its channel and making its channel
 * private take it out of the numbers; an author leaves a day's count with their last post. */
static void test_counts_after_delete_edit_and_channel_changes(void **state)
{
    (void)state;
    int64_t a = post(T0 + 1000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    int64_t b = post(T0 + 2000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    int64_t c = post(T0 + 3000, 0, BOB, VIS_PUBLIC, OPEN_CH, "launch");
    assert_int_equal(store_status_tag_add(g.d, c, "launch"), PL_OK); /* twice: one use */
    assert_counts("launch", 0, 3, 2, 3, 2);

    assert_int_equal(store_status_delete(g.d, a), PL_OK);
    assert_counts("launch", 0, 2, 2, 2, 2);
    assert_int_equal(store_status_delete(g.d, b), PL_OK);
    assert_counts("launch", 0, 1, 1, 1, 1);

    /* an edit rewrites the tags (app/posts.c): "launch" becomes "ship" */
    assert_int_equal(store_status_tags_clear(g.d, c), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, c, "ship"), PL_OK);
    assert_counts("launch", 0, 0, 0, 0, 0);
    assert_counts("ship", 0, 1, 1, 1, 1);
    assert_false(store_tag_used(g.d, "launch"));

    /* removed from its channel: still on the tag's page, no longer a trend */
    assert_int_equal(store_status_channel_remove(g.d, c), PL_OK);
    assert_counts("ship", 0, 1, 1, 0, 0);
    assert_true(store_tag_used(g.d, "ship"));

    /* the channel made private, then public again */
    post(T0 + 4000, 0, CAROL, VIS_COMPANY, OPEN_CH, "ship");
    assert_counts("ship", 0, 1, 1, 1, 1);
    pl_channel ch = {.id = OPEN_CH, .is_private = true, .created_by = ALICE, .created_at = T0};
    assert_int_equal(store_channel_update(g.d, &ch), PL_OK);
    assert_counts("ship", 0, 1, 1, 0, 0);
    ch.is_private = false;
    assert_int_equal(store_channel_update(g.d, &ch), PL_OK);
    assert_counts("ship", 0, 1, 1, 1, 1);
}

extern const char *const migrations_sqlite[];
extern const char *const migrations_postgres[];

/* Every row of the two count tables, in order, as one text. */
static const char *count_rows(void)
{
    db_stmt *s = db_prepare(g.d, "SELECT tag, day, account_id, uses, trend_uses FROM "
                                 "tag_day_accounts ORDER BY tag, day, account_id");
    assert_non_null(s);
    const char *out = "";
    while (db_step(s) == DB_ROW)
        out = arena_printf(&A, "%s%s %lld %lld %lld %lld\n", out, db_col_text(s, 0),
                           (long long)db_col_i64(s, 1), (long long)db_col_i64(s, 2),
                           (long long)db_col_i64(s, 3), (long long)db_col_i64(s, 4));
    db_reset(s);
    s = db_prepare(g.d, "SELECT tag, day, uses, accounts, trend_uses, trend_accounts FROM "
                        "tag_days ORDER BY tag, day");
    assert_non_null(s);
    while (db_step(s) == DB_ROW)
        out = arena_printf(&A, "%s%s %lld: %lld %lld %lld %lld\n", out, db_col_text(s, 0),
                           (long long)db_col_i64(s, 1), (long long)db_col_i64(s, 2),
                           (long long)db_col_i64(s, 3), (long long)db_col_i64(s, 4),
                           (long long)db_col_i64(s, 5));
    db_reset(s);
    return out;
}

/* Migration 027 counts the posts written before it with its own SQL (numbers for the
 * visibilities): run again over posts written since, it finds what the store kept. */
static void test_the_migrations_backfill_agrees_with_the_counts_kept(void **state)
{
    (void)state;
    post(T0 + 1000, 0, ALICE, VIS_PUBLIC, 0, "launch");
    post(T0 + 2000, 0, ALICE, VIS_UNLISTED, 0, "launch");
    post(T0 + 3000, 0, BOB, VIS_COMPANY, OPEN_CH, "launch");
    post(T0 + DAY, 0, CAROL, VIS_PUBLIC, SECRET_CH, "launch");
    post(T0 + DAY + 1, 0, CAROL, VIS_PRIVATE, 0, "launch");
    post(T0 + DAY + 2, 0, CAROL, VIS_DIRECT, 0, "ship");
    int64_t removed = post(T0 + DAY + 3, 0, BOB, VIS_PUBLIC, OPEN_CH, "ship");
    assert_int_equal(store_status_channel_remove(g.d, removed), PL_OK);
    int64_t gone = post(T0 + DAY + 4, 0, ALICE, VIS_PUBLIC, 0, "ship");
    assert_int_equal(store_status_delete(g.d, gone), PL_OK);
    const char *kept = count_rows();
    assert_non_null(strstr(kept, "launch"));

    const char *const *list =
        strcmp(db_driver_name(g.d), "postgres") ? migrations_sqlite : migrations_postgres;
    const char *sql = NULL;
    for (int i = 0; list[i]; i++)
        if (strstr(list[i], "CREATE TABLE tag_day_accounts")) sql = list[i];
    assert_non_null(sql);
    assert_int_equal(db_exec(g.d, "DROP INDEX statuses_engaged"), PL_OK);
    assert_int_equal(db_exec(g.d, "DROP TABLE tag_days"), PL_OK);
    assert_int_equal(db_exec(g.d, "DROP TABLE tag_day_accounts"), PL_OK);
    assert_int_equal(db_exec(g.d, sql), PL_OK);
    assert_string_equal(count_rows(), kept);
}

static void test_trend_statuses_are_engaged_public_or_company_posts_most_engaged_first(void **state)
{
    (void)state;
    int64_t quiet = post(T0 + 1000, 0, ALICE, VIS_PUBLIC, 0, NULL);
    int64_t liked = post(T0 + 2000, 0, ALICE, VIS_PUBLIC, 0, NULL);
    int64_t loved = post(T0 + 3000, 0, BOB, VIS_COMPANY, 0, NULL);
    int64_t followers = post(T0 + 4000, 0, BOB, VIS_PRIVATE, 0, NULL);
    int64_t secret = post(T0 + 5000, 0, BOB, VIS_COMPANY, SECRET_CH, NULL);
    int64_t old = post(T0 - 5000, 0, BOB, VIS_PUBLIC, 0, NULL);
    int64_t tied = post(T0 + 6000, 0, CAROL, VIS_PUBLIC, 0, NULL);
    assert_int_equal(store_status_add_counts(g.d, liked, 0, 0, 1), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, loved, 1, 1, 2), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, tied, 1, 0, 0), PL_OK);
    /* much loved, and never a trend: followers-only, a private channel's, too old */
    assert_int_equal(store_status_add_counts(g.d, followers, 0, 0, 9), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, secret, 0, 0, 9), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, old, 0, 0, 9), PL_OK);
    (void)quiet; /* no engagement: not a candidate */

    int64_t *ids;
    int n;
    assert_int_equal(store_trend_statuses(g.d, T0, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_true(ids[0] == loved);
    assert_true(ids[1] == tied); /* one each: the newer first */
    assert_true(ids[2] == liked);
    assert_int_equal(store_trend_statuses(g.d, T0, 1, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_pins_since_a_moment_of_several_channels_newest_first(void **state)
{
    (void)state;
    int64_t a = post(T0, 0, ALICE, VIS_PUBLIC, OPEN_CH, NULL);
    int64_t b = post(T0, 1, ALICE, VIS_COMPANY, SECRET_CH, NULL);
    int64_t c = post(T0, 2, ALICE, VIS_PUBLIC, OPEN_CH, NULL);
    assert_int_equal(store_channel_pin_add(g.d, OPEN_CH, a, 0, T0 + 10), PL_OK);
    assert_int_equal(store_channel_pin_add(g.d, SECRET_CH, b, 0, T0 + 30), PL_OK);
    assert_int_equal(store_channel_pin_add(g.d, OPEN_CH, c, 0, T0 + 20), PL_OK);

    int64_t both[] = {OPEN_CH, SECRET_CH};
    pl_channel_pin *v;
    int n;
    assert_int_equal(store_channel_pins_since(g.d, both, 2, T0 + 20, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(v[0].status_id == b && v[0].channel_id == SECRET_CH && v[0].created_at == T0 + 30);
    assert_true(v[1].status_id == c && v[1].channel_id == OPEN_CH);
    assert_int_equal(store_channel_pins_since(g.d, both, 1, 0, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2); /* only OPEN_CH asked */
    assert_true(v[0].status_id == c && v[1].status_id == a);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_tag_days_count_uses_and_authors_of_what_members_can_find),
        T(test_a_weeks_history_and_trend_days),
        T(test_counts_after_delete_edit_and_channel_changes),
        T(test_the_migrations_backfill_agrees_with_the_counts_kept),
        T(test_trend_statuses_are_engaged_public_or_company_posts_most_engaged_first),
        T(test_pins_since_a_moment_of_several_channels_newest_first),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
