/*
 * test_influence_view.c — what a viewer may see of influence (app/influence_view.c, over
 * store/influence_read.c): one's own breakdown as written, someone else's only when shown and
 * with the channels the viewer may not see folded into `others` (every list still adding up
 * to raw), history's words, experts among shown people only with the posts the asker may
 * see, the administrators' marks and the distribution's counts. A run's rows are written
 * here as the computation writes them (migration 057). Runs on SQLite and, with
 * PARTYLINE_TEST_DATABASE, on PostgreSQL; every test is rolled back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/channels.h"
#include "app/graph.h"
#include "app/influence_view.h"
#include "app/posts.h"
#include "store/influence.h"

enum { ALICE, BOB, CAROL, ROOT, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob", "carol", "root"};
static int64_t id_of[N_PEOPLE];
static pl_account admin, member;

#define DAY 86400000LL

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
    admin = (pl_account){.id = id_of[ROOT], .is_admin = true};
    member = (pl_account){.id = id_of[BOB]};
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

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char q[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    if (db_exec(F.d, q)) fail_msg("%s", q);
}

/* A current run of today with one score row: alice's, whose parts name a private channel
 * (only alice is in it) and a public one. */
static int64_t private_ch, public_ch;
static const int64_t RUN = 7001;

static void seed(void)
{
    ok(channels_create(req(), id_of[ALICE], &(channels_new){.name = "secret", .is_private = 1},
                       &private_ch));
    ok(channels_create(req(), id_of[ALICE], &(channels_new){.name = "open", .is_private = 0},
                       &public_ch));
    int day = (int)(F.now / DAY);
    sql("INSERT INTO influence_runs (id, day, at, state, method_version, window_days, "
        "half_life_days, median_raw, p95_raw, beta_milli, people, scored) VALUES "
        "(%lld, %d, %lld, 1, 1, 90, 30, 1000, 10000, 954, 4, 2)",
        (long long)RUN, day, (long long)F.now);
    sql("INSERT INTO influence_scores (run_id, account_id, raw, score, standing_milli, parts, "
        "posts) VALUES (%lld, %lld, 600, 40, 1000, "
        "'p 300 channel:%lld\np 200 channel:%lld\np 100 feed\n"
        "t 200 work:payments\nt 150 channel:%lld work:payments\nt 250 unclassified\n"
        "s 400 favourite\ns 200 reply\n"
        "e 250 %lld\ne 350 others\n', '')",
        (long long)RUN, (long long)id_of[ALICE], (long long)private_ch, (long long)public_ch,
        (long long)private_ch, (long long)id_of[CAROL]);
    sql("INSERT INTO influence_scores (run_id, account_id, raw, score, standing_milli) VALUES "
        "(%lld, %lld, 95, 91, 1000)",
        (long long)RUN, (long long)id_of[CAROL]);
}

static int64_t sum(const influence_view *v, int list)
{
    int64_t s = 0;
    for (int i = 0; i < v->n[list]; i++) s += v->items[list][i].raw;
    return s;
}

static void every_list_adds_up(const influence_view *v)
{
    for (int l = 0; l < BY_LISTS; l++) assert_int_equal(sum(v, l), v->raw);
}

static void own_breakdown_names_every_place_and_adds_up(void **state)
{
    (void)state;
    seed();
    influence_view v;
    ok(influence_view_own(req(), id_of[ALICE], &v));
    assert_int_equal(v.raw, 600);
    assert_int_equal(v.score, 40);
    assert_false(v.shown);
    every_list_adds_up(&v);
    assert_int_equal(v.n[BY_PLACE], 3);
    assert_int_equal(v.items[BY_PLACE][0].kind, PLACE_CHANNEL);
    assert_int_equal(v.items[BY_PLACE][0].id, private_ch); /* the owner sees her own channel */
    assert_int_equal(v.items[BY_TOPIC][0].klass, TOPIC_WORK);
    assert_string_equal(v.items[BY_TOPIC][0].name, "payments");
    assert_int_equal(v.items[BY_TOPIC][0].raw, 350); /* her private channel's 150 with it */
    assert_int_equal(v.n[BY_TOPIC], 2);
    assert_string_equal(v.items[BY_ENGAGER][v.n[BY_ENGAGER] - 1].key, "others");
    assert_int_equal(v.items[BY_ENGAGER][0].id, id_of[CAROL]);
}

static void someone_elses_is_hidden_until_shown_then_private_channels_fold(void **state)
{
    (void)state;
    seed();
    influence_view v;
    assert_int_equal(influence_view_of(req(), id_of[BOB], id_of[ALICE], &v), PL_ENOTFOUND);
    assert_int_equal(influence_view_of(req(), id_of[BOB], private_ch, &v), PL_ENOTFOUND);
    assert_int_equal(influence_view_of(req(), id_of[BOB], 999999, &v), PL_ENOTFOUND);
    ok(influence_shown_set(req(), id_of[ALICE], true));
    ok(influence_view_of(req(), id_of[BOB], id_of[ALICE], &v));
    assert_true(v.shown);
    every_list_adds_up(&v);
    /* bob is not in the secret channel: its 300 go to others; the open one he sees */
    assert_int_equal(v.n[BY_PLACE], 3);
    assert_int_equal(v.items[BY_PLACE][0].id, public_ch);
    assert_string_equal(v.items[BY_PLACE][2].key, "others");
    assert_int_equal(v.items[BY_PLACE][2].raw, 300);
    /* and the payments points that came from it: the topic would tell of the channel */
    assert_string_equal(v.items[BY_TOPIC][0].key, "unclassified");
    assert_string_equal(v.items[BY_TOPIC][1].name, "payments");
    assert_int_equal(v.items[BY_TOPIC][1].raw, 200);
    assert_string_equal(v.items[BY_TOPIC][2].key, "others");
    assert_int_equal(v.items[BY_TOPIC][2].raw, 150);
    /* once he joins, he sees it */
    ok(channels_join(req(), id_of[BOB], private_ch)); /* asks */
    ok(channels_decide(req(), id_of[ALICE], private_ch, id_of[BOB], true));
    ok(influence_view_of(req(), id_of[BOB], id_of[ALICE], &v));
    assert_int_equal(v.items[BY_PLACE][0].id, private_ch);
    assert_int_equal(v.items[BY_TOPIC][0].raw, 350);
    assert_string_equal(v.items[BY_TOPIC][0].name, "payments");
    every_list_adds_up(&v);
}

static void the_badge_shows_only_a_shown_score(void **state)
{
    (void)state;
    seed();
    int score = 0;
    app_ctx *c = req();
    const pl_account *alice = app_account(c, id_of[ALICE]);
    assert_false(influence_badge(c, alice, false, &score));
    assert_true(influence_badge(c, alice, true, &score)); /* her own, always */
    assert_int_equal(score, 40);
    ok(influence_shown_set(req(), id_of[ALICE], true));
    c = req();
    alice = app_account(c, id_of[ALICE]);
    assert_true(influence_badge(c, alice, false, &score));
    assert_int_equal(score, 40);
    /* someone shown with no row in the run: raw 0 is score 1 */
    ok(influence_shown_set(req(), id_of[BOB], true));
    c = req();
    assert_true(influence_badge(c, app_account(c, id_of[BOB]), false, &score));
    assert_int_equal(score, 1);
}

static void before_a_first_run_everyone_has_score_one(void **state)
{
    (void)state;
    influence_view v;
    ok(influence_view_own(req(), id_of[ALICE], &v));
    assert_int_equal(v.raw, 0);
    assert_int_equal(v.score, 1);
    assert_int_equal(v.computed_at, 0);
    for (int l = 0; l < BY_LISTS; l++) assert_int_equal(v.n[l], 0);
    influence_distribution d;
    ok(influence_distribution_get(req(), &admin, &d));
    assert_int_equal(d.computed_at, 0);
}

static void history_tells_each_change_in_words(void **state)
{
    (void)state;
    int today = (int)(F.now / DAY);
    sql("INSERT INTO influence_daily (account_id, day, run_id, raw, score, prev_day, "
        "method_version) VALUES (%lld, %d, 1, 500, 30, NULL, 1)",
        (long long)id_of[ALICE], today - 2);
    sql("INSERT INTO influence_daily (account_id, day, run_id, raw, score, prev_day, new_raw, "
        "older_raw, deleted_raw, method_version) VALUES "
        "(%lld, %d, 2, 690, 35, %d, 420, -80, -150, 1)",
        (long long)id_of[ALICE], today - 1, today - 2);
    sql("INSERT INTO influence_daily (account_id, day, run_id, raw, score, prev_day, "
        "method_version) VALUES (%lld, %d, 3, 690, 35, %d, 1)",
        (long long)id_of[ALICE], today, today - 1);
    influence_history_day *h;
    int n;
    ok(influence_history(req(), id_of[ALICE], 30, &h, &n));
    assert_int_equal(n, 3);
    assert_non_null(strstr(h[0].explanation, "first day"));
    assert_non_null(strstr(h[1].explanation, "+420 from new signals"));
    assert_non_null(strstr(h[1].explanation, "\xe2\x88\x92"
                                             "80 as older signals aged"));
    assert_non_null(strstr(h[1].explanation, "deleted posts took away 150"));
    assert_non_null(strstr(h[2].explanation, "no change"));
    ok(influence_history(req(), id_of[ALICE], 2, &h, &n));
    assert_int_equal(n, 2);
    assert_int_equal(influence_history(req(), id_of[ALICE], 0, &h, &n), PL_EINVAL);
    assert_int_equal(influence_history(req(), id_of[ALICE], 401, &h, &n), PL_EINVAL);
}

static void experts_are_shown_people_with_the_posts_the_asker_sees(void **state)
{
    (void)state;
    seed();
    int64_t open_post, private_post;
    ok(posts_create(req(), id_of[CAROL], &(posts_new){.text = "#rust is fun"}, &open_post));
    ok(posts_create(req(), id_of[CAROL],
                    &(posts_new){.text = "#rust for friends", .visibility = PL_VIS_PRIVATE},
                    &private_post));
    sql("INSERT INTO influence_expertise (run_id, topic, account_id, raw, posts) VALUES "
        "(%lld, '#rust', %lld, 500, '%lld %lld')",
        (long long)RUN, (long long)id_of[CAROL], (long long)private_post, (long long)open_post);
    sql("INSERT INTO influence_expertise (run_id, topic, account_id, raw, posts) VALUES "
        "(%lld, '#rust', %lld, 900, '')",
        (long long)RUN, (long long)id_of[ALICE]);
    influence_expert *e;
    int n;
    ok(influence_experts(req(), id_of[BOB], "#Rust", 10, &e, &n));
    assert_int_equal(n, 0); /* nobody shows theirs */
    ok(influence_shown_set(req(), id_of[CAROL], true));
    ok(influence_experts(req(), id_of[BOB], "#Rust", 10, &e, &n));
    assert_int_equal(n, 1);
    assert_int_equal(e[0].account_id, id_of[CAROL]);
    assert_int_equal(e[0].n_posts, 1); /* bob does not follow carol */
    assert_int_equal(e[0].posts[0], open_post);
    /* someone who blocks the asker is not listed to them */
    ok(graph_block(req(), id_of[CAROL], id_of[BOB]));
    ok(influence_experts(req(), id_of[BOB], "#rust", 10, &e, &n));
    assert_int_equal(n, 0);
    ok(influence_experts(req(), id_of[ALICE], "#rust", 10, &e, &n));
    assert_int_equal(n, 1);
    assert_int_equal(influence_experts(req(), id_of[BOB], "", 10, &e, &n), PL_EINVAL);
    assert_int_equal(influence_experts(req(), id_of[BOB], "#", 10, &e, &n), PL_EINVAL);
}

static void administrators_mark_topics_and_read_counts(void **state)
{
    (void)state;
    seed();
    pl_influence_topic t;
    assert_int_equal(influence_topic_set(req(), &member, public_ch, NULL, "work", "Payments", &t),
                     PL_EFORBIDDEN);
    ok(influence_topic_set(req(), &admin, public_ch, NULL, "work", " Payments ", &t));
    assert_string_equal(t.topic, "payments");
    ok(influence_topic_set(req(), &admin, 0, "#Cycling", "social", "cycling", &t));
    assert_string_equal(t.tag, "cycling");
    ok(influence_topic_set(req(), &admin, public_ch, NULL, "social", "fun", &t)); /* replaces */
    assert_int_equal(influence_topic_set(req(), &admin, 0, "x", "leisure", "x", &t), PL_EINVAL);
    assert_int_equal(influence_topic_set(req(), &admin, 0, "x", "work", "", &t), PL_EINVAL);
    char long_topic[80];
    memset(long_topic, 'a', 65);
    long_topic[65] = '\0';
    assert_int_equal(influence_topic_set(req(), &admin, 0, "x", "work", long_topic, &t), PL_EINVAL);
    assert_int_equal(influence_topic_set(req(), &admin, id_of[BOB], NULL, "work", "x", &t),
                     PL_ENOTFOUND);
    assert_int_equal(influence_topic_set(req(), &admin, public_ch, "x", "work", "x", &t),
                     PL_EINVAL);
    pl_influence_topic *all;
    int n;
    ok(influence_topics_list(req(), &admin, &all, &n));
    assert_int_equal(n, 2);
    assert_int_equal(all[0].channel_id, public_ch);
    assert_int_equal(all[0].klass, TOPIC_SOCIAL);
    assert_string_equal(all[1].tag, "cycling");
    ok(influence_topic_remove(req(), &admin, 0, "cycling"));
    assert_int_equal(influence_topic_remove(req(), &admin, 0, "cycling"), PL_ENOTFOUND);
    influence_distribution d;
    assert_int_equal(influence_distribution_get(req(), &member, &d), PL_EFORBIDDEN);
    ok(influence_distribution_get(req(), &admin, &d));
    assert_int_equal(d.people, 4);
    assert_int_equal(d.histogram[3], 1); /* 40 */
    assert_int_equal(d.histogram[9], 1); /* 91 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(own_breakdown_names_every_place_and_adds_up, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(
            someone_elses_is_hidden_until_shown_then_private_channels_fold, fixture_begin,
            fixture_end),
        cmocka_unit_test_setup_teardown(the_badge_shows_only_a_shown_score, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(before_a_first_run_everyone_has_score_one, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(history_tells_each_change_in_words, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(experts_are_shown_people_with_the_posts_the_asker_sees,
                                        fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(administrators_mark_topics_and_read_counts, fixture_begin,
                                        fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
