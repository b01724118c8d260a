/*
 * test_stream.c — who hears a live event (app/stream.c): the user stream follows the home
 * feed's rules, public and hashtag streams only public posts, direct only the people a direct
 * post is for, deletes only those who could have seen the post, notifications only their
 * recipient; never a post audience_can_see refuses. Runs on SQLite and on PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/graph.h"
#include "app/posts.h"
#include "app/stream.h"

#include "app_fixture.h"

enum { ALICE, BOB, CAROL, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob", "carol"};
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
    return fixture_close();
}

static int64_t post_as(int who, int visibility, const char *text)
{
    posts_new n = {.text = text, .visibility = visibility, .sensitive = -1};
    int64_t id = 0;
    assert_int_equal(posts_create(req(), id_of[who], &n, &id), PL_OK);
    return id;
}

static stream_sub sub_of(int who, const char *name, const char *tag)
{
    stream_sub s;
    assert_int_equal(stream_sub_parse(req(), who < 0 ? 0 : id_of[who], name, tag, NULL, &s), PL_OK);
    return s;
}

/* Does `who` (-1: signed out) hear the event on stream `name`? */
static bool hears(int who, const char *name, const char *tag, pl_event ev)
{
    stream_sub s = sub_of(who, name, tag);
    app_ctx *c = req();
    stream_item it;
    stream_item_load(c, &ev, &it);
    return stream_wants(c, who < 0 ? 0 : id_of[who], &s, &it);
}

static pl_event created(int64_t id, int author)
{
    return (pl_event){EV_STATUS, id, id_of[author], 0};
}

static void test_user_stream_follows_the_home_feed_and_the_audience(void **state)
{
    (void)state;
    assert_int_equal(graph_follow(req(), id_of[BOB], id_of[ALICE], -1, -1), PL_OK);
    int64_t pub = post_as(ALICE, VIS_PUBLIC, "hello");
    int64_t priv = post_as(ALICE, VIS_PRIVATE, "followers");
    int64_t carols = post_as(CAROL, VIS_PUBLIC, "not followed");
    int64_t dm = post_as(ALICE, VIS_DIRECT, "@carol only you");
    assert_true(hears(BOB, "user", NULL, created(pub, ALICE)));
    assert_true(hears(BOB, "user", NULL, created(priv, ALICE)));
    assert_true(hears(ALICE, "user", NULL, created(pub, ALICE))); /* one's own */
    assert_false(hears(BOB, "user", NULL, created(carols, CAROL)));
    assert_false(hears(CAROL, "user", NULL, created(priv, ALICE))); /* not a follower */
    assert_false(hears(BOB, "user", NULL, created(dm, ALICE)));
    assert_true(hears(CAROL, "user", NULL, created(dm, ALICE)));
    assert_true(hears(CAROL, "direct", NULL, created(dm, ALICE)));
    assert_false(hears(BOB, "direct", NULL, created(dm, ALICE)));
    /* a mute or a block keeps a followed author out */
    assert_int_equal(graph_mute(req(), id_of[BOB], id_of[ALICE], false, 0), PL_OK);
    assert_false(hears(BOB, "user", NULL, created(pub, ALICE)));
}

static void test_public_and_hashtag_streams_take_public_posts_only(void **state)
{
    (void)state;
    int64_t pub = post_as(ALICE, VIS_PUBLIC, "news #Launch");
    int64_t unl = post_as(ALICE, VIS_UNLISTED, "quiet #launch");
    assert_true(hears(BOB, "public", NULL, created(pub, ALICE)));
    assert_false(hears(BOB, "public", NULL, created(unl, ALICE)));
    assert_true(hears(BOB, "hashtag", "launch", created(pub, ALICE)));
    assert_true(hears(BOB, "hashtag", "#LAUNCH", created(pub, ALICE)));
    assert_false(hears(BOB, "hashtag", "other", created(pub, ALICE)));
    assert_false(hears(BOB, "hashtag", "launch", created(unl, ALICE)));
    /* the author blocks bob: he hears nothing of hers */
    assert_int_equal(graph_block(req(), id_of[ALICE], id_of[BOB]), PL_OK);
    assert_false(hears(BOB, "public", NULL, created(pub, ALICE)));
    assert_false(hears(BOB, "public", NULL, (pl_event){EV_DELETE, pub, id_of[ALICE], VIS_PUBLIC}));
}

static void test_signed_out_streams_need_public_read(void **state)
{
    (void)state;
    stream_sub s;
    assert_int_equal(stream_sub_parse(req(), 0, "public", NULL, NULL, &s), PL_EAUTH);
    assert_int_equal(stream_sub_parse(req(), 0, "user", NULL, NULL, &s), PL_EAUTH);
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "nope", NULL, NULL, &s), PL_EINVAL);
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "hashtag", NULL, NULL, &s), PL_EINVAL);
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "list", NULL, "12345", &s), PL_ENOTFOUND);
    F.cfg.public_read = true;
    int64_t pub = post_as(ALICE, VIS_PUBLIC, "for everyone");
    assert_true(hears(-1, "public", NULL, created(pub, ALICE)));
    assert_int_equal(stream_sub_parse(req(), 0, "user", NULL, NULL, &s), PL_EAUTH);
}

static void test_deletes_and_notifications_reach_only_who_could_see_them(void **state)
{
    (void)state;
    assert_int_equal(graph_follow(req(), id_of[BOB], id_of[ALICE], -1, -1), PL_OK);
    int64_t a = id_of[ALICE];
    pl_event priv = {EV_DELETE, 42, a, VIS_PRIVATE};
    assert_true(hears(BOB, "user", NULL, priv));
    assert_true(hears(ALICE, "user", NULL, priv));
    assert_false(hears(CAROL, "user", NULL, priv));
    assert_false(hears(BOB, "public", NULL, priv));
    pl_event direct = {EV_DELETE, 43, a, VIS_DIRECT};
    assert_false(hears(BOB, "user", NULL, direct)); /* a follower is not addressed */
    pl_event to_carol = {EV_DELETE_TO, 43, id_of[CAROL], VIS_DIRECT};
    assert_true(hears(CAROL, "direct", NULL, to_carol));
    assert_false(hears(BOB, "direct", NULL, to_carol));
    pl_event note = {EV_NOTIFICATION, 77, id_of[CAROL], 0};
    assert_true(hears(CAROL, "user", NULL, note));
    assert_true(hears(CAROL, "user:notification", NULL, note));
    assert_false(hears(CAROL, "public", NULL, note));
    assert_false(hears(BOB, "user", NULL, note));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_user_stream_follows_the_home_feed_and_the_audience),
        T(test_public_and_hashtag_streams_take_public_posts_only),
        T(test_signed_out_streams_need_public_read),
        T(test_deletes_and_notifications_reach_only_who_could_see_them),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
