/*
 * test_stream.c — who hears a live event (app/stream.c): the user stream follows the home
 * feed's rules, public and hashtag streams only public posts, direct only the people a direct
 * post is for, deletes only those who could have seen the post, notifications only their
 * recipient; a channel stream only its channel's posts, to those who may read the channel;
 * never a post audience_can_see refuses. Runs on SQLite and on PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/channels.h"
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
    stream_params p = {.tag = tag};
    assert_int_equal(stream_sub_parse(req(), who < 0 ? 0 : id_of[who], name, &p, &s), PL_OK);
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
    assert_int_equal(stream_sub_parse(req(), 0, "public", NULL, &s), PL_EAUTH);
    assert_int_equal(stream_sub_parse(req(), 0, "user", NULL, &s), PL_EAUTH);
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "nope", NULL, &s), PL_EINVAL);
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "hashtag", NULL, &s), PL_EINVAL);
    stream_params list = {.list = "12345"};
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "list", &list, &s), PL_ENOTFOUND);
    F.cfg.public_read = true;
    int64_t pub = post_as(ALICE, VIS_PUBLIC, "for everyone");
    assert_true(hears(-1, "public", NULL, created(pub, ALICE)));
    assert_int_equal(stream_sub_parse(req(), 0, "user", NULL, &s), PL_EAUTH);
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
    pl_event to_carol = {EV_DELETE_DIRECT_TO, 43, id_of[CAROL], a};
    assert_true(hears(CAROL, "direct", NULL, to_carol));
    assert_true(hears(CAROL, "user", NULL, to_carol));
    assert_false(hears(BOB, "direct", NULL, to_carol));
    pl_event private_to_carol = {EV_DELETE_TO, 48, id_of[CAROL], a};
    assert_true(hears(CAROL, "user", NULL, private_to_carol));
    assert_false(hears(CAROL, "direct", NULL, private_to_carol)); /* not a direct post */
    /* a post for a list, in a channel, or a boost: EV_DELETE is the author's alone; the
     * companion event decides for everyone else, by audience_can_see on its record */
    pl_event for_list = {EV_DELETE, 44, a, VIS_LIST | EV_DELETE_FOR_LIST};
    assert_false(hears(BOB, "user", NULL, for_list));
    assert_true(hears(ALICE, "user", NULL, for_list));
    assert_false(hears(BOB, "user", NULL, (pl_event){EV_DELETE_LIST, 44, a, 999}));
    pl_event in_channel = {EV_DELETE, 45, a, VIS_PUBLIC | EV_DELETE_IN_CHANNEL};
    assert_false(hears(BOB, "user", NULL, in_channel));
    assert_false(hears(BOB, "public", NULL, in_channel));
    int64_t boosted = post_as(CAROL, VIS_PUBLIC, "worth a boost");
    pl_event boost = {EV_DELETE_REBLOG, 46, a, boosted};
    assert_true(hears(BOB, "user", NULL, boost));
    assert_false(hears(CAROL, "user", NULL, boost)); /* not a follower of the booster */
    assert_false(hears(BOB, "user", NULL, (pl_event){EV_DELETE_REBLOG, 47, a, 123456}));
    pl_event note = {EV_NOTIFICATION, 77, id_of[CAROL], 0};
    assert_true(hears(CAROL, "user", NULL, note));
    assert_true(hears(CAROL, "user:notification", NULL, note));
    assert_false(hears(CAROL, "public", NULL, note));
    assert_false(hears(BOB, "user", NULL, note));
    /* the author blocks carol: mentioned or not, she is not told of the post's deletion */
    assert_int_equal(graph_block(req(), a, id_of[CAROL]), PL_OK);
    assert_false(hears(CAROL, "direct", NULL, to_carol));
    assert_false(hears(CAROL, "user", NULL, to_carol));
    assert_false(hears(CAROL, "user", NULL, private_to_carol));
}

static int64_t channel_of(int owner, const char *name, int is_private)
{
    channels_new n = {.name = name, .is_private = is_private, .posting = -1};
    int64_t id = 0;
    assert_int_equal(channels_create(req(), id_of[owner], &n, &id), PL_OK);
    return id;
}

static int64_t post_to(int who, int64_t channel, const char *text)
{
    posts_new n = {.text = text, .visibility = VIS_PUBLIC, .sensitive = -1, .channel_id = channel};
    int64_t id = 0;
    assert_int_equal(posts_create(req(), id_of[who], &n, &id), PL_OK);
    return id;
}

/* Does `who` hear the event on the channel stream of `channel`? */
static bool hears_channel(int who, int64_t channel, pl_event ev)
{
    stream_sub s;
    char arg[24];
    snprintf(arg, sizeof arg, "%lld", (long long)channel);
    stream_params p = {.channel = arg};
    assert_int_equal(stream_sub_parse(req(), id_of[who], "partyline:channel", &p, &s), PL_OK);
    app_ctx *c = req();
    stream_item it;
    stream_item_load(c, &ev, &it);
    return stream_wants(c, id_of[who], &s, &it);
}

static void test_channel_stream_follows_the_channel_timeline(void **state)
{
    (void)state;
    int64_t team = channel_of(ALICE, "team", 0), inner = channel_of(ALICE, "inner", 1);
    int64_t there = post_to(ALICE, team, "in the team channel");
    int64_t elsewhere = post_to(ALICE, inner, "in the inner channel");
    int64_t nowhere = post_as(ALICE, VIS_PUBLIC, "in no channel");
    /* bob is in neither: he reads the open channel, not the private one */
    assert_true(hears_channel(BOB, team, created(there, ALICE)));
    assert_false(hears_channel(BOB, team, created(elsewhere, ALICE)));
    assert_false(hears_channel(BOB, team, created(nowhere, ALICE)));
    stream_sub s;
    char arg[24];
    snprintf(arg, sizeof arg, "%lld", (long long)inner);
    stream_params p = {.channel = arg};
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "partyline:channel", &p, &s),
                     PL_ENOTFOUND);
    assert_int_equal(stream_sub_parse(req(), 0, "partyline:channel", &p, &s), PL_EAUTH);
    stream_params none = {0};
    assert_int_equal(stream_sub_parse(req(), id_of[BOB], "partyline:channel", &none, &s),
                     PL_EINVAL);
    assert_true(hears_channel(ALICE, inner, created(elsewhere, ALICE)));
    /* a delete names its channel */
    pl_event gone = {EV_DELETE_CHANNEL, there, id_of[ALICE], team};
    assert_true(hears_channel(BOB, team, gone));
    assert_false(hears_channel(BOB, team, (pl_event){EV_DELETE_CHANNEL, 9, id_of[ALICE], inner}));
    assert_false(hears_channel(BOB, team, (pl_event){EV_DELETE, there, id_of[ALICE], VIS_PUBLIC}));
    /* a post the moderator removed, or by an author bob muted, does not come */
    assert_int_equal(channels_remove_status(req(), id_of[ALICE], team, there), PL_OK);
    assert_false(hears_channel(BOB, team, created(there, ALICE)));
    assert_false(hears_channel(ALICE, team, created(there, ALICE))); /* not in its timeline */
    int64_t again = post_to(ALICE, team, "once more");
    assert_int_equal(graph_mute(req(), id_of[BOB], id_of[ALICE], false, 0), PL_OK);
    assert_false(hears_channel(BOB, team, created(again, ALICE)));
    assert_true(hears_channel(CAROL, team, created(again, ALICE)));
    /* the author blocks carol: neither the post nor its delete reaches her */
    assert_int_equal(graph_block(req(), id_of[ALICE], id_of[CAROL]), PL_OK);
    assert_false(hears_channel(CAROL, team, created(again, ALICE)));
    assert_false(
        hears_channel(CAROL, team, (pl_event){EV_DELETE_CHANNEL, again, id_of[ALICE], team}));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_user_stream_follows_the_home_feed_and_the_audience),
        T(test_public_and_hashtag_streams_take_public_posts_only),
        T(test_signed_out_streams_need_public_read),
        T(test_deletes_and_notifications_reach_only_who_could_see_them),
        T(test_channel_stream_follows_the_channel_timeline),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
