/*
 * test_listening.c — the matcher of app/listening.c on a real database: a post is matched
 * against every watch at once and kept only when the watch's owner may see it; a post whose
 * id is older than one already matched (its transaction committed later) is still matched, and
 * nothing twice; the compiled set follows a changed query; a watch of someone disabled keeps
 * nothing; a watch's running counts (migration 061: on the watch, tones in its buckets, per
 * author and day) stay those of its rows through matching, backfill, an edit, an alert and a
 * delete, and the dashboard read from them says what the matches say. Runs on SQLite and, with
 * PARTYLINE_TEST_DATABASE, on PostgreSQL; every test is rolled back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/engage.h"
#include "app/listening.h"
#include "app/posts.h"
#include "store/accounts.h"
#include "store/posts.h"
#include "store/watches.h"

enum { OWNER, AUTHOR, OTHER, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"lola", "arno", "olga"};
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
    listen_shutdown();
    return fixture_close();
}

/* Each test is rolled back, and listen_state's version with it: the next test's watches would
 * come to the same version, so the process's compiled set is dropped after each. */
static int end(void **state)
{
    listen_shutdown();
    return fixture_end(state);
}

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static int64_t post(int who, int visibility, const char *text)
{
    int64_t id = 0;
    ok(posts_create(req(), id_of[who],
                    &(posts_new){.text = text, .visibility = visibility, .sensitive = -1}, &id));
    return id;
}

static int64_t make_watch(int who, const char *query)
{
    pl_watch w;
    watchq_error e;
    ok(watches_create(req(), id_of[who], "a watch", query, 0, &w, &e));
    return w.id;
}

static listen_summary step(listen_worker *w)
{
    listen_summary s;
    ok(listen_step(req(), w, &s));
    return s;
}

static int64_t matched(int64_t watch_id)
{
    pl_watch w;
    ok(store_watch_get(F.d, watch_id, &F.a, &w));
    return w.matches;
}

static void test_a_post_is_kept_only_for_owners_who_may_see_it(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t mine = make_watch(OWNER, "launch"), theirs = make_watch(AUTHOR, "launch");
    post(AUTHOR, VIS_PRIVATE, "the launch, for my followers");
    post(AUTHOR, VIS_PUBLIC, "the launch is on Friday");
    post(AUTHOR, VIS_PUBLIC, "nothing to see here");
    listen_summary s = step(&w);
    assert_int_equal(s.posts, 3);
    assert_int_equal(s.matches, 3); /* one for the owner, two for the author */
    assert_int_equal(matched(mine), 1);
    assert_int_equal(matched(theirs), 2);
    assert_int_equal(step(&w).posts, 0); /* nothing again */
    listen_worker_free(&w);
}

static void test_a_post_committed_late_is_matched_once(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t watch = make_watch(OWNER, "outage");
    int64_t later = post(AUTHOR, VIS_PUBLIC, "outage in the east");
    step(&w);
    assert_int_equal(matched(watch), 1);
    /* a post whose id was taken before `later`'s, written only now */
    pl_status s = {.id = later - 5,
                   .account_id = id_of[OTHER],
                   .visibility = VIS_PUBLIC,
                   .text = "the outage is over",
                   .content = "<p>the outage is over</p>",
                   .spoiler_text = "",
                   .created_at = F.now};
    ok(store_status_insert(F.d, &s));
    listen_summary got = step(&w);
    assert_int_equal(got.posts, 1); /* the late one; `later` is remembered as done */
    assert_int_equal(matched(watch), 2);
    /* a new worker (a restart) reads the last seconds again and keeps nothing twice */
    listen_worker fresh = {.holder = "test"};
    got = step(&fresh);
    assert_int_equal(got.matches, 0);
    assert_int_equal(matched(watch), 2);
    listen_worker_free(&w);
    listen_worker_free(&fresh);
}

static void test_the_set_follows_a_changed_query(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t watch = make_watch(OWNER, "alpha");
    post(AUTHOR, VIS_PUBLIC, "alpha one");
    step(&w);
    assert_int_equal(matched(watch), 1);
    pl_watch x;
    watchq_error e;
    ok(watches_update(req(), id_of[OWNER], watch, &(watches_change){.query = "beta"}, &x, &e));
    post(AUTHOR, VIS_PUBLIC, "alpha two");
    post(AUTHOR, VIS_PUBLIC, "beta one");
    step(&w);
    assert_int_equal(matched(watch), 2); /* "alpha one" and "beta one" */
    listen_worker_free(&w);
}

static void test_a_watch_of_someone_disabled_keeps_nothing(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t watch = make_watch(OTHER, "gamma");
    ok(store_account_set_disabled(F.d, id_of[OTHER], true));
    post(AUTHOR, VIS_PUBLIC, "gamma rays");
    step(&w);
    assert_int_equal(matched(watch), 0);
    listen_worker_free(&w);
}

/* With no watch in the company the matcher reads nothing: its cursors go to the overlap's
 * floor at once, so a company's first watch does not wait for years of posts to be read. */
static int64_t ask(const char *sql)
{
    db_stmt *s = db_prepare(F.d, sql);
    if (!s || db_step(s) != DB_ROW) fail_msg("%s", sql);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

/* (db_prepare keeps a statement per SQL text: a literal each, and the watch bound) */
static int64_t ask_of(const char *sql, int64_t watch_id)
{
    db_stmt *s = db_prepare(F.d, sql);
    if (!s) fail_msg("%s", sql);
    db_bind_i64(s, 1, watch_id);
    if (db_step(s) != DB_ROW) fail_msg("%s", sql);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

/* Every running count of every watch against a count of its rows: 0 when all agree. */
#define TONES_OF_MATCHES                                                                           \
    "count(*), sum(CASE WHEN tone_milli <= -200 THEN 1 ELSE 0 END), "                              \
    "sum(CASE WHEN tone_milli >= 200 THEN 1 ELSE 0 END)"
/* A day's 50 authors with the most matches (the smaller id first among equals), and its 40
 * most engaged posts with any engagement (the newer first): what watch_author_tops and
 * watch_post_tops keep. */
#define TOP_AUTHORS                                                                                \
    "SELECT watch_id, day, author_id, count FROM (SELECT watch_id, day, author_id, count, "        \
    "row_number() OVER (PARTITION BY watch_id, day ORDER BY count DESC, author_id) AS r FROM "     \
    "watch_authors) a WHERE r <= 50"
#define TOP_POSTS                                                                                  \
    "SELECT watch_id, day, status_id, score FROM (SELECT m.watch_id, m.at / 86400000 AS day, "     \
    "m.status_id, st.replies_count + st.reblogs_count + st.favourites_count AS score, "            \
    "row_number() OVER (PARTITION BY m.watch_id, m.at / 86400000 ORDER BY st.replies_count + "     \
    "st.reblogs_count + st.favourites_count DESC, m.status_id DESC) AS r FROM watch_matches m "    \
    "JOIN statuses st ON st.id = m.status_id WHERE st.replies_count + st.reblogs_count + "         \
    "st.favourites_count > 0) p WHERE r <= 40"
static void check_counts(void)
{
    assert_int_equal(
        ask("SELECT count(*) FROM watches w WHERE "
            "match_count <> (SELECT count(*) FROM watch_matches m WHERE m.watch_id = w.id) OR "
            "feed_match_count <> (SELECT count(*) FROM watch_feed_matches f WHERE f.watch_id = "
            "w.id) OR alert_count <> (SELECT count(*) FROM watch_alerts a WHERE a.watch_id = "
            "w.id)"),
        0);
    const char *const differ[] = {
        "SELECT count(*) FROM (SELECT watch_id, at / 300000, " TONES_OF_MATCHES
        " FROM watch_matches GROUP BY watch_id, at / 300000 EXCEPT SELECT watch_id, bucket, "
        "count, negative, positive FROM watch_buckets) t",
        "SELECT count(*) FROM (SELECT watch_id, bucket, count, negative, positive FROM "
        "watch_buckets EXCEPT SELECT watch_id, at / 300000, " TONES_OF_MATCHES
        " FROM watch_matches GROUP BY watch_id, at / 300000) t",
        "SELECT count(*) FROM (SELECT watch_id, at / 86400000, author_id, count(*) FROM "
        "watch_matches GROUP BY watch_id, at / 86400000, author_id EXCEPT SELECT watch_id, day, "
        "author_id, count FROM watch_authors) t",
        "SELECT count(*) FROM (SELECT watch_id, day, author_id, count FROM watch_authors EXCEPT "
        "SELECT watch_id, at / 86400000, author_id, count(*) FROM watch_matches GROUP BY "
        "watch_id, at / 86400000, author_id) t",
        /* the kept tops of each day (migration 063) are the day's first ones, exactly: */
        "SELECT count(*) FROM (" TOP_AUTHORS " EXCEPT SELECT watch_id, day, author_id, count "
        "FROM watch_author_tops) t",
        "SELECT count(*) FROM (SELECT watch_id, day, author_id, count FROM watch_author_tops "
        "EXCEPT " TOP_AUTHORS ") t",
        "SELECT count(*) FROM (" TOP_POSTS " EXCEPT SELECT watch_id, day, status_id, score "
        "FROM watch_post_tops) t",
        "SELECT count(*) FROM (SELECT watch_id, day, status_id, score FROM watch_post_tops "
        "EXCEPT " TOP_POSTS ") t",
        /* a watch's days (migration 064) are the sums of its buckets of the day, exactly: */
        "SELECT count(*) FROM (SELECT watch_id, bucket / 288, sum(count), sum(negative), "
        "sum(positive) FROM watch_buckets GROUP BY watch_id, bucket / 288 EXCEPT SELECT "
        "watch_id, day, count, negative, positive FROM watch_days) t",
        "SELECT count(*) FROM (SELECT watch_id, day, count, negative, positive FROM watch_days "
        "EXCEPT SELECT watch_id, bucket / 288, sum(count), sum(negative), sum(positive) FROM "
        "watch_buckets GROUP BY watch_id, bucket / 288) t",
    };
    for (size_t i = 0; i < sizeof differ / sizeof *differ; i++)
        if (ask(differ[i])) fail_msg("rows differ: %s", differ[i]);
}

static void test_the_running_counts_are_the_rows_own(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t first = make_watch(OWNER, "deploy"), other = make_watch(OTHER, "deploy OR rollback");
    post(AUTHOR, VIS_PUBLIC, "the deploy went great, thank you all, wonderful work");
    post(AUTHOR, VIS_PUBLIC, "the deploy failed again, terrible, everything is broken");
    post(OTHER, VIS_PUBLIC, "deploy at noon");
    post(OTHER, VIS_PUBLIC, "a rollback of the deploy, sadly");
    post(AUTHOR, VIS_PUBLIC, "lunch");
    step(&w);
    assert_int_equal(matched(first), 4);
    assert_int_equal(matched(other), 4);
    check_counts();
    assert_true(ask("SELECT sum(negative) FROM watch_buckets") > 0);
    assert_true(ask("SELECT sum(positive) FROM watch_buckets") > 0);

    /* the dashboard's sums, tones and authors are what the matches say */
    listen_dashboard d;
    ok(listen_dashboard_of(req(), id_of[OWNER], first, 7, &d));
    assert_int_equal(d.now.total, 4);
    assert_int_equal(d.now.negative, ask_of("SELECT count(*) FROM watch_matches WHERE "
                                            "watch_id = ? AND tone_milli <= -200",
                                            first));
    assert_int_equal(d.now.positive, ask_of("SELECT count(*) FROM watch_matches WHERE "
                                            "watch_id = ? AND tone_milli >= 200",
                                            first));
    assert_true(d.now.negative > 0 && d.now.positive > 0);
    assert_int_equal(d.before.total, 0);
    assert_int_equal(d.n_authors, 2);
    assert_int_equal(d.authors[0], id_of[AUTHOR]); /* two each: the smaller id first */
    assert_int_equal(d.author_counts[0], 2);
    assert_int_equal(d.author_counts[1], 2);

    /* a watch made later learns the same posts by backfill */
    int64_t late = make_watch(OWNER, "rollback");
    int kept = 0, alerts = 0;
    ok(listen_backfill(req(), late, 1, &kept, &alerts));
    assert_int_equal(kept, 1);
    assert_int_equal(matched(late), 1);
    check_counts();

    /* an edit keeps what was matched (new posts are matched by the new query) */
    watchq_error e;
    pl_watch got;
    ok(watches_update(req(), id_of[OWNER], first, &(watches_change){.query = "lunch"}, &got, &e));
    assert_int_equal(got.matches, 4);
    post(AUTHOR, VIS_PUBLIC, "lunch again, the deploy can wait");
    step(&w);
    assert_int_equal(matched(first), 5);
    check_counts();

    /* an alert is counted on its watch */
    pl_watch_alert al = {.id = 77, .watch_id = other, .account_id = id_of[OTHER], .at = F.now};
    ok(store_watch_alert_insert(F.d, &al));
    ok(store_watch_get(F.d, other, &F.a, &got));
    assert_int_equal(got.alerts, 1);
    check_counts();

    /* a delete takes the watch's rows, and so its counts, with it */
    ok(watches_delete(req(), id_of[OTHER], other));
    check_counts();
    assert_int_equal(ask("SELECT count(*) FROM watch_buckets b WHERE NOT EXISTS (SELECT 1 FROM "
                         "watches w WHERE w.id = b.watch_id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM watch_authors a WHERE NOT EXISTS (SELECT 1 FROM "
                         "watches w WHERE w.id = a.watch_id)"),
                     0);
    listen_worker_free(&w);
}

/* A watch's matches with at in [from, to), by tone (total, negative, positive). */
static pl_watch_tones matches_between(int64_t watch_id, int64_t from, int64_t to)
{
    db_stmt *s = db_prepare(F.d, "SELECT count(*), COALESCE(sum(CASE WHEN tone_milli <= -200 "
                                 "THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN tone_milli >= "
                                 "200 THEN 1 ELSE 0 END), 0) FROM watch_matches WHERE "
                                 "watch_id = ? AND at >= ? AND at < ?");
    if (!s) fail_msg("matches_between");
    db_bind_i64(s, 1, watch_id);
    db_bind_i64(s, 2, from);
    db_bind_i64(s, 3, to);
    if (db_step(s) != DB_ROW) fail_msg("matches_between");
    pl_watch_tones t = {db_col_i64(s, 0), db_col_i64(s, 1), db_col_i64(s, 2)};
    db_reset(s);
    return t;
}

static void same_tones(const pl_watch_sums *got, pl_watch_tones want, const char *what, int64_t now,
                       int days)
{
    if (got->total != want.total || got->negative != want.negative ||
        got->positive != want.positive ||
        got->neutral != want.total - want.negative - want.positive)
        fail_msg("%s of %dd at %lld: %lld (%lld-, %lld+) against the matches' %lld (%lld-, %lld+)",
                 what, days, (long long)now, (long long)got->total, (long long)got->negative,
                 (long long)got->positive, (long long)want.total, (long long)want.negative,
                 (long long)want.positive);
}

/* 3,000 matches over 65 days at random moments and tones, counted as the matcher counts them
 * (a bucket, its day, the author); read at moments of the day on either side of noon, on a
 * bucket's edge and at midnight, each period's sums, the period's before and every step of its
 * volume (UTC hours or days, the first from the period's start) are what the matches say:
 * migration 064's days less their first days' parts are exact. */
static void test_the_dashboard_counts_what_its_period_matched(void **state)
{
    (void)state;
    int64_t watch = make_watch(OWNER, "nothing-posted-matches-this");
    const int64_t day = WATCH_DAY_MS, hour = 3600000, today = F.now / day * day;
    uint64_t r = 0x9e3779b97f4a7c15ULL;
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        /* from 65 days before today's midnight to 01:00 today; a fifth in today's hour */
        int64_t at = i % 5 ? today + hour - 1 - (int64_t)((r >> 20) % (uint64_t)(66 * day))
                           : today + (int64_t)((r >> 20) % (uint64_t)hour);
        int tone = (int)((r >> 8) % 3) * 500 - 500;
        bool is_new;
        ok(store_watch_match_add(F.d, watch, id_floor_for_ms(at) + 1 + i, id_of[AUTHOR], tone, at,
                                 &is_new));
        int64_t bucket = listen_bucket_of(at);
        ok(store_watch_bucket_add(F.d, watch, bucket, at / day,
                                  &(pl_watch_tones){1, tone <= -200, tone >= 200}));
        ok(store_watch_author_add(F.d, watch, at / day, id_of[AUTHOR], 1));
    }
    check_counts();
    const int64_t moments[] = {hour,      hour + 300000,       6 * hour - 1,
                               12 * hour, 13 * hour + 2232345, 23 * hour + 58 * 60000,
                               day};
    for (size_t m = 0; m < sizeof moments / sizeof *moments; m++)
        for (int days = 1; days <= 30; days = days == 1 ? 7 : days == 7 ? 30 : 31) {
            F.now = today + moments[m] - 1; /* req() moves it on by one */
            listen_dashboard d;
            ok(listen_dashboard_of(req(), id_of[OWNER], watch, days, &d));
            int64_t now = today + moments[m], span = days * day;
            assert_int_equal(d.to, now);
            assert_int_equal(d.from, now - span);
            same_tones(&d.now, matches_between(watch, now - span, now + 1), "now", now, days);
            same_tones(&d.before, matches_between(watch, now - 2 * span, now - span), "before", now,
                       days);
            int64_t step = days == 1 ? hour : day, sum = 0;
            assert_int_equal(d.hourly, days == 1);
            assert_int_equal(d.n_steps, (int)(now / step - (now - span) / step + 1));
            for (int k = 0; k < d.n_steps; k++) {
                int64_t end = k + 1 < d.n_steps ? d.volume_at[k + 1] : now + 1;
                if (k) assert_int_equal(d.volume_at[k] % step, 0);
                assert_int_equal(d.volume[k], matches_between(watch, d.volume_at[k], end).total);
                sum += d.volume[k];
            }
            assert_int_equal(d.volume_at[0], now - span);
            assert_int_equal(sum, d.now.total);
        }
}

/* The dashboard's top posts come from each day's kept 40 most engaged (migration 063), then
 * the newest: a post engaged before it was matched enters with its engagement, one engaged
 * after it enters then, one whose engagement is all taken back leaves; the kept rows are the
 * day's first 40 engaged ones while the engaged outnumber them. */
static void test_the_top_posts_are_kept_as_engagement_grows(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t watch = make_watch(OWNER, "roadmap");
    enum { N = 45 };
    int64_t ids[N];
    char text[64];
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "roadmap item %d", i);
        ids[i] = post(AUTHOR, VIS_PUBLIC, text);
    }
    /* the oldest post is liked before the matcher reads it: it enters with its likes; 42 more
     * are liked once, so the day has more engaged posts than it keeps */
    ok(engage_favourite(req(), id_of[OWNER], ids[0]));
    ok(engage_favourite(req(), id_of[OTHER], ids[0]));
    for (int i = 3; i < N; i++) ok(engage_favourite(req(), id_of[OTHER], ids[i]));
    step(&w);
    assert_int_equal(matched(watch), N);
    assert_int_equal(ask_of("SELECT count(*) FROM watch_post_tops WHERE watch_id = ?", watch), 40);
    check_counts();
    /* the second oldest, not engaged, is in no top; liked twice after it was matched, it
     * enters in the place of the least kept */
    assert_int_equal(ask_of("SELECT count(*) FROM watch_post_tops WHERE status_id = ?", ids[1]), 0);
    ok(engage_favourite(req(), id_of[OTHER], ids[1]));
    ok(engage_favourite(req(), id_of[OWNER], ids[1]));
    check_counts();
    listen_dashboard d;
    ok(listen_dashboard_of(req(), id_of[OWNER], watch, 1, &d));
    assert_int_equal(d.n_top_posts, 5);
    assert_int_equal(d.top_posts[0], ids[1]); /* two likes, the newer of the two */
    assert_int_equal(d.top_posts[1], ids[0]);
    assert_int_equal(d.top_posts[2], ids[N - 1]); /* then one like each, the newest first */
    /* likes all taken back: the post leaves the tops, and another comes back */
    ok(engage_unfavourite(req(), id_of[OWNER], ids[0]));
    ok(engage_unfavourite(req(), id_of[OTHER], ids[0]));
    assert_int_equal(ask_of("SELECT count(*) FROM watch_post_tops WHERE status_id = ?", ids[0]), 0);
    ok(listen_dashboard_of(req(), id_of[OWNER], watch, 1, &d));
    assert_int_equal(d.top_posts[0], ids[1]);
    assert_int_equal(d.top_posts[1], ids[N - 1]);
    /* a deleted post leaves the tops */
    pl_status gone;
    ok(posts_delete(req(), id_of[AUTHOR], ids[1], &gone));
    assert_int_equal(ask_of("SELECT count(*) FROM watch_post_tops WHERE status_id = ?", ids[1]), 0);
    ok(listen_dashboard_of(req(), id_of[OWNER], watch, 1, &d));
    assert_int_equal(d.top_posts[0], ids[N - 1]);
    listen_worker_free(&w);
}

/* With no engaged post, the dashboard's top posts are the period's newest matches. */
static void test_the_top_posts_without_engagement_are_the_newest(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    int64_t watch = make_watch(OWNER, "offsite");
    int64_t ids[7];
    for (int i = 0; i < 7; i++) ids[i] = post(AUTHOR, VIS_PUBLIC, "the offsite agenda");
    step(&w);
    assert_int_equal(ask_of("SELECT count(*) FROM watch_post_tops WHERE watch_id = ?", watch), 0);
    listen_dashboard d;
    ok(listen_dashboard_of(req(), id_of[OWNER], watch, 7, &d));
    assert_int_equal(d.n_top_posts, 5);
    for (int i = 0; i < 5; i++) assert_true(d.top_posts[i] == ids[6 - i]);
    listen_worker_free(&w);
}

static void test_no_watch_reads_nothing_and_moves_on(void **state)
{
    (void)state;
    listen_worker w = {.holder = "test"};
    pl_status old = {.id = id_floor_for_ms(F.now - 60000) + 7,
                     .account_id = id_of[AUTHOR],
                     .visibility = VIS_PUBLIC,
                     .text = "delta, a minute ago",
                     .content = "<p>delta, a minute ago</p>",
                     .spoiler_text = "",
                     .created_at = F.now - 60000};
    ok(store_status_insert(F.d, &old));
    listen_summary s = step(&w);
    assert_int_equal(s.posts, 0);
    pl_listen_state st;
    ok(store_listen_state(F.d, &st));
    assert_true(st.status_cursor > old.id);
    assert_true(st.item_cursor > old.id);
    /* a watch made now hears what is said from now on (older posts: listen backfill) */
    int64_t watch = make_watch(OWNER, "delta");
    post(AUTHOR, VIS_PUBLIC, "delta, now");
    s = step(&w);
    assert_int_equal(s.posts, 1);
    assert_int_equal(matched(watch), 1);
    listen_worker_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_post_is_kept_only_for_owners_who_may_see_it,
                                        fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_a_post_committed_late_is_matched_once, fixture_begin,
                                        end),
        cmocka_unit_test_setup_teardown(test_the_set_follows_a_changed_query, fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_a_watch_of_someone_disabled_keeps_nothing,
                                        fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_the_top_posts_are_kept_as_engagement_grows,
                                        fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_the_top_posts_without_engagement_are_the_newest,
                                        fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_the_dashboard_counts_what_its_period_matched,
                                        fixture_begin, end),
        cmocka_unit_test_setup_teardown(test_the_running_counts_are_the_rows_own, fixture_begin,
                                        end),
        cmocka_unit_test_setup_teardown(test_no_watch_reads_nothing_and_moves_on, fixture_begin,
                                        end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
