/*
 * test_influence.c — influence on a made-up company (app/influence.c, docs/influence.md): the
 * cheap tricks move nothing — a self-like, a like-everything account, a ring of five that
 * like each other's every post — while the same attention from independent colleagues counts;
 * a like on a followers-only post counts only while the liker may see it, and never by name;
 * every breakdown adds up to raw exactly; and a post deleted takes its contribution away the
 * next day, in the history's "deleted" part.
 *
 * Unlike the other app tests, the company is committed (a computation reads a snapshot and
 * writes in its own transactions): the whole file shares it, built once in the group setup.
 * Runs on SQLite and, with PARTYLINE_TEST_DATABASE, on PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/engage.h"
#include "app/graph.h"
#include "app/influence.h"
#include "app/posts.h"
#include "store/influence.h"

#define DAY 86400000LL

/* The company: the five of a ring; five colleagues who each like one post of INDIE's; a
 * liker of everything and the one they like; SELFIE, who likes their own; PRIV, whose
 * followers-only post is liked by a follower and by one who then unfollows; DELETER, who
 * deletes a liked post; and the posters whose posts the liker of everything likes. */
enum {
    RING0,
    RING4 = RING0 + 4,
    COLL0,
    COLL4 = COLL0 + 4,
    INDIE,
    LIKER,
    LIKED,
    SELFIE,
    PRIV,
    FOLLOWER,
    LEAVER,
    DELETER,
    POSTER0,
    N_PEOPLE = POSTER0 + 20
};
static int64_t id_of[N_PEOPLE];
static int64_t deleted_post, kept_post, priv_post;

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static void begin(void)
{
    ok(db_begin(F.d));
}

static void commit(void)
{
    drain_fanout();
    ok(db_commit(F.d));
}

static int64_t post(int who, int visibility, const char *text)
{
    int64_t id;
    ok(posts_create(req(), id_of[who], &(posts_new){.text = text, .visibility = visibility}, &id));
    return id;
}

static void like(int who, int64_t status)
{
    ok(engage_favourite(req(), id_of[who], status));
}

static influence_summary compute(int64_t at)
{
    app_ctx *c = req();
    influence_summary s;
    ok(influence_compute(c, &(influence_opts){.at = at, .who = "test"}, &s));
    assert_false(s.busy);
    return s;
}

static pl_influence_score score_of(int who)
{
    pl_influence_run run;
    ok(store_influence_current(F.d, &run));
    pl_influence_score s;
    ok(store_influence_score(F.d, run.id, id_of[who], &F.a, &s));
    return s;
}

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++) {
        char name[32];
        snprintf(name, sizeof name, "person%d", i);
        if (!(id_of[i] = fixture_register(name))) return -1;
        if (store_influence_signed_in(F.d, id_of[i], F.now)) return -1;
    }
    /* FOLLOWER and LEAVER follow PRIV long before the window (a follow is a signal, in
     * public: these are not what is tested); then nobody engages as a new account */
    db_begin(F.d);
    ok(graph_follow(req(), id_of[FOLLOWER], id_of[PRIV], 1, 0));
    ok(graph_follow(req(), id_of[LEAVER], id_of[PRIV], 1, 0));
    commit();
    F.now += 100 * DAY;
    db_begin(F.d);
    /* the ring: ten posts each, every one liked by the four others */
    int64_t ring_posts[5][10];
    for (int r = 0; r < 5; r++)
        for (int k = 0; k < 10; k++) ring_posts[r][k] = post(RING0 + r, VIS_PUBLIC, "ring post");
    for (int r = 0; r < 5; r++)
        for (int o = 0; o < 5; o++)
            for (int k = 0; k < 10 && o != r; k++) like(RING0 + o, ring_posts[r][k]);
    /* INDIE: one post, one like from each of five colleagues who like little else; and each
     * colleague has a post liked once by the next, so that they are ordinary people */
    int64_t indie = post(INDIE, VIS_PUBLIC, "an idea");
    int64_t coll_posts[5];
    for (int i = 0; i < 5; i++) coll_posts[i] = post(COLL0 + i, VIS_PUBLIC, "colleague");
    for (int i = 0; i < 5; i++) {
        like(COLL0 + i, indie);
        like(COLL0 + (i + 1) % 5, coll_posts[i]);
    }
    /* LIKER likes 20 posts of each of 20 posters, and LIKED's one post */
    for (int p = 0; p < 20; p++)
        for (int k = 0; k < 20; k++) like(LIKER, post(POSTER0 + p, VIS_PUBLIC, "news"));
    like(LIKER, post(LIKED, VIS_PUBLIC, "liked by the one who likes everything"));
    /* SELFIE likes and boosts their own posts */
    for (int k = 0; k < 5; k++) {
        int64_t id = post(SELFIE, VIS_PUBLIC, "me");
        like(SELFIE, id);
        int64_t boost;
        ok(engage_reblog(req(), id_of[SELFIE], id, VIS_PUBLIC, &boost));
    }
    /* PRIV's followers-only post: liked by FOLLOWER (who still follows) and LEAVER (who
     * then unfollows) */
    priv_post = post(PRIV, VIS_PRIVATE, "for my followers");
    like(FOLLOWER, priv_post);
    like(LEAVER, priv_post);
    ok(graph_unfollow(req(), id_of[LEAVER], id_of[PRIV]));
    /* DELETER: two posts liked by colleagues; one is deleted between two days */
    deleted_post = post(DELETER, VIS_PUBLIC, "to be deleted");
    kept_post = post(DELETER, VIS_PUBLIC, "to be kept");
    for (int i = 0; i < 3; i++) like(COLL0 + i, deleted_post);
    for (int i = 3; i < 5; i++) like(COLL0 + i, kept_post);
    commit();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

static void test_self_likes_and_boosts_move_nothing(void **state)
{
    (void)state;
    compute(F.now);
    pl_influence_score s = score_of(SELFIE);
    assert_int_equal(s.raw, 0);
    assert_int_equal(s.score, 1);
}

static void test_a_ring_of_five_gains_less_than_five_independent_colleagues(void **state)
{
    (void)state;
    compute(F.now);
    int64_t ring = score_of(RING0).raw, indie = score_of(INDIE).raw;
    print_message("ring member %lld (40 likes from 4 people), independent %lld (5 likes)\n",
                  (long long)ring, (long long)indie);
    assert_true(ring > 0);
    assert_true(ring < indie);
}

static void test_one_who_likes_everything_moves_almost_nothing(void **state)
{
    (void)state;
    compute(F.now);
    /* the liker's one like of LIKED against a colleague's one like (INDIE's are five) */
    int64_t liked = score_of(LIKED).raw, one_colleague = score_of(INDIE).raw / 5;
    print_message("a like from one who gave 401: %lld; from a colleague: ~%lld\n", (long long)liked,
                  (long long)one_colleague);
    assert_true(liked > 0);
    assert_true(liked * 3 < one_colleague);
}

static void test_a_followers_only_like_counts_while_seen_and_never_by_name(void **state)
{
    (void)state;
    compute(F.now);
    pl_influence_score s = score_of(PRIV);
    assert_true(s.raw > 0);
    /* only FOLLOWER's like counts (LEAVER may no longer see the post): it is about one
     * like's worth, and it is in "others", not by name */
    char follower[32], leaver[32];
    snprintf(follower, sizeof follower, "%lld", (long long)id_of[FOLLOWER]);
    snprintf(leaver, sizeof leaver, "%lld", (long long)id_of[LEAVER]);
    assert_null(strstr(s.parts, follower));
    assert_null(strstr(s.parts, leaver));
    char line[64];
    snprintf(line, sizeof line, "e %lld others\n", (long long)s.raw);
    assert_non_null(strstr(s.parts, line));
    assert_int_equal(strstr(s.parts, "s ") != NULL, 1);
    snprintf(line, sizeof line, "s %lld favourite\n", (long long)s.raw);
    assert_non_null(strstr(s.parts, line));
    assert_true(s.raw < score_of(INDIE).raw / 5 * 2); /* one like, not two */
}

/* Each dimension's lines of a parts text add up to raw. */
static void assert_parts_add_up(const pl_influence_score *s)
{
    int64_t sum[4] = {0};
    const char dims[] = "ptse";
    for (const char *p = s->parts; *p;) {
        const char *d = strchr(dims, *p);
        assert_non_null(d);
        char *end;
        long long raw = strtoll(p + 2, &end, 10);
        sum[d - dims] += raw;
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        p = nl + 1;
    }
    for (int k = 0; k < 4; k++) assert_int_equal(sum[k], s->raw);
    /* and the posts text too, minus the follows (which are about no post) */
}

static void test_every_breakdown_adds_up_to_raw_exactly(void **state)
{
    (void)state;
    compute(F.now);
    for (int i = 0; i < N_PEOPLE; i++) {
        pl_influence_score s = score_of(i);
        if (s.raw) assert_parts_add_up(&s);
        int64_t posts = 0;
        for (const char *p = s.posts; *p;) {
            char *end;
            strtoll(p, &end, 10);
            assert_int_equal(*end, ':');
            posts += strtoll(end + 1, &end, 10);
            p = *end ? end + 1 : end;
        }
        assert_int_equal(posts, s.raw); /* the follows were before the window */
    }
}

static void test_a_deleted_post_takes_its_part_away_the_next_day(void **state)
{
    (void)state;
    int64_t day1 = F.now;
    compute(day1);
    pl_influence_score before = score_of(DELETER);
    int64_t gone = 0;
    char key[40];
    snprintf(key, sizeof key, "%lld:", (long long)deleted_post);
    const char *at = strstr(before.posts, key);
    assert_non_null(at);
    gone = strtoll(at + strlen(key), NULL, 10);
    assert_true(gone > 0);
    begin();
    pl_status gone_post;
    ok(posts_delete(req(), id_of[DELETER], deleted_post, &gone_post));
    commit();
    compute(day1 + DAY);
    pl_influence_score after = score_of(DELETER);
    assert_null(strstr(after.posts, key));
    pl_influence_day *days;
    int n;
    ok(store_influence_days(F.d, id_of[DELETER], (int)(day1 / DAY), &F.a, &days, &n));
    assert_int_equal(n, 2);
    const pl_influence_day *d = &days[1];
    assert_int_equal(d->prev_day, days[0].day);
    assert_int_equal(d->deleted_raw, -gone);
    assert_int_equal(d->new_raw, 0);
    assert_int_equal(d->method_raw, 0);
    assert_int_equal(d->new_raw + d->older_raw + d->deleted_raw + d->method_raw,
                     after.raw - before.raw);
    assert_true(d->older_raw < 0); /* a day of decay */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_likes_and_boosts_move_nothing),
        cmocka_unit_test(test_a_ring_of_five_gains_less_than_five_independent_colleagues),
        cmocka_unit_test(test_one_who_likes_everything_moves_almost_nothing),
        cmocka_unit_test(test_a_followers_only_like_counts_while_seen_and_never_by_name),
        cmocka_unit_test(test_every_breakdown_adds_up_to_raw_exactly),
        cmocka_unit_test(test_a_deleted_post_takes_its_part_away_the_next_day),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
