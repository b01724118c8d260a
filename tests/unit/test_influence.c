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
#include "store/copy.h"
#include "store/influence.h"
#include "store/migrate.h"

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

/* Registers the people and builds the company on the fixture's connection from its clock. */
static int build_company(void)
{
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

static int64_t start_clock;

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    start_clock = F.now;
    return build_company();
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
        int64_t posts = 0, id = 0, raw, last = 0;
        const char *p = s.posts;
        while (influence_posts_next(&p, &id, &raw)) {
            assert_true(id > last); /* by id */
            posts += raw;
            last = id;
        }
        assert_int_equal(*p, '\0');     /* read to its end */
        assert_int_equal(posts, s.raw); /* the follows were before the window */
    }
}

/* What a posts text says post id contributed (0: nothing). */
static int64_t post_raw(const char *posts, int64_t post)
{
    int64_t id = 0, raw;
    while (influence_posts_next(&posts, &id, &raw))
        if (id == post) return raw;
    return 0;
}

static void test_a_deleted_post_takes_its_part_away_the_next_day(void **state)
{
    (void)state;
    int64_t day1 = F.now;
    compute(day1);
    pl_influence_score before = score_of(DELETER);
    int64_t gone = post_raw(before.posts, deleted_post);
    assert_true(gone > 0);
    assert_true(post_raw(before.posts, kept_post) > 0);
    begin();
    pl_status gone_post;
    ok(posts_delete(req(), id_of[DELETER], deleted_post, &gone_post));
    commit();
    compute(day1 + DAY);
    pl_influence_score after = score_of(DELETER);
    assert_int_equal(post_raw(after.posts, deleted_post), 0);
    assert_true(post_raw(after.posts, kept_post) > 0);
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

/* A computation on another connection, as of at. */
static void compute_on(db *d, int64_t at)
{
    arena a = ARENA_INIT;
    app_ctx c = {.db = d, .cfg = &F.cfg, .ids = &F.ids, .a = &a, .now = at, .own_txn = true};
    influence_summary s;
    ok(influence_compute(&c, &(influence_opts){.at = at, .who = "test"}, &s));
    arena_free(&a);
}

/* The same company on SQLite, copied as it is to PostgreSQL by `partyline migrate`'s copier:
 * the two computations as of one moment give every person the same raw, score, standing,
 * breakdown and per-post list, to the character. (On the SQLite pass there is no PostgreSQL
 * to compare with: the PostgreSQL pass runs it.) */
static void test_the_same_company_scores_the_same_on_sqlite_and_postgresql(void **state)
{
    (void)state;
    if (!test_db_server()) skip();
    /* the company again, on a SQLite file, from the same clock */
    char dir[64] = "/tmp/pl-influence-XXXXXX", path[600];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/company.db", dir);
    db *lite, *kept = F.d;
    char err[256];
    ok(db_open(path, 0, &lite, err, sizeof err));
    ok(store_migrate(lite));
    int64_t kept_clock = F.now, saved[N_PEOPLE];
    memcpy(saved, id_of, sizeof saved);
    F.d = lite;
    F.now = start_clock;
    assert_int_equal(build_company(), 0);
    /* ids never go back (util/ids.c): these are as late as the last of the first company's,
     * past this clock; a day on, every one is in the past */
    int64_t at = F.now + DAY;
    F.d = kept;
    F.now = kept_clock;
    memcpy(id_of, saved, sizeof saved);
    db_close(lite);
    /* copied to a PostgreSQL database of its own */
    char target[600];
    assert_int_equal(test_db_create(dir, "copy.db", target, sizeof target), 0);
    copier *cp;
    bool resuming;
    if (copy_open(path, target, &cp, err, sizeof err)) fail_msg("%s", err);
    if (copy_prepare_target(cp, path, &resuming, err, sizeof err)) fail_msg("%s", err);
    for (int i = 0; i < copy_table_count(cp); i++) {
        int64_t rows;
        bool skipped;
        ok(copy_table(cp, i, NULL, NULL, &rows, &skipped));
    }
    ok(copy_finish(cp));
    copy_close(cp);
    db *pg;
    ok(db_open(path, 0, &lite, err, sizeof err));
    ok(db_open(target, 0, &pg, err, sizeof err));
    compute_on(lite, at);
    compute_on(pg, at);
    pl_influence_run r1, r2;
    ok(store_influence_current(lite, &r1));
    ok(store_influence_current(pg, &r2));
    assert_int_equal(r1.median_raw, r2.median_raw);
    assert_int_equal(r1.p95_raw, r2.p95_raw);
    assert_int_equal(r1.beta_milli, r2.beta_milli);
    assert_int_equal(r1.signals, r2.signals);
    pl_influence_score *x, *y;
    int nx, ny;
    ok(store_influence_scores(lite, r1.id, 0, 1000, &F.a, &x, &nx));
    ok(store_influence_scores(pg, r2.id, 0, 1000, &F.a, &y, &ny));
    assert_int_equal(nx, N_PEOPLE);
    assert_int_equal(nx, ny);
    int with_signals = 0;
    for (int i = 0; i < nx; i++) {
        assert_int_equal(x[i].account_id, y[i].account_id);
        assert_int_equal(x[i].raw, y[i].raw);
        assert_int_equal(x[i].score, y[i].score);
        assert_int_equal(x[i].standing_milli, y[i].standing_milli);
        assert_string_equal(x[i].parts, y[i].parts);
        assert_string_equal(x[i].posts, y[i].posts);
        with_signals += x[i].raw > 0;
    }
    print_message("%d of %d people with signals, the same on both\n", with_signals, nx);
    assert_true(with_signals > N_PEOPLE / 2);
    db_close(lite);
    db_close(pg);
    test_db_drop(dir, "copy.db");
    unlink(path);
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
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
        cmocka_unit_test(test_the_same_company_scores_the_same_on_sqlite_and_postgresql),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
