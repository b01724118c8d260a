/*
 * test_channel_roles.c — the rules of src/app/channels.c about who is in a channel and who may
 * act on whom, over a temporary database (app_fixture.h) with a company administrator and four
 * people; test_channels.c covers the store below it.
 *
 * Membership is the follow of the channel account: a role counts only beside it, and every
 * door out (leave, Mastodon's unfollow, blocking the channel, removal) drops the role and keeps
 * the one-owner rule. Roles never go up by removal: one removes only people below one's own
 * role as it counts (an administrator counts as an owner). A change answers with the channel
 * as it is now, and a private channel's timeline and pins are not found by outsiders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/channels.h"
#include "app/graph.h"
#include "store/channels.h"

enum { ADMIN, OWNER, MOD, MEMBER, OUTSIDER, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"root", "olga", "milo", "mara", "otto"};
static int64_t id_of[N_PEOPLE];

static int64_t register_admin(const char *username)
{
    app_ctx *c = req();
    c->own_txn = true;
    accounts_new n = {.username = username,
                      .email = "root@example.com",
                      .password = "correct horse battery",
                      .is_admin = true,
                      .skip_rules = true};
    pl_account acc;
    return accounts_register(c, &n, &acc) == PL_OK ? acc.id : 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    if (!(id_of[ADMIN] = register_admin(names[ADMIN]))) return -1;
    for (int i = 1; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
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

/* rc, and the message of the failure when there is one */
static void fails(int rc, int want, const char *message)
{
    if (rc != want)
        fail_msg("got %s (%s), want %s", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "",
                 pl_strerror(want));
    if (message && (!F.c.errmsg || !strstr(F.c.errmsg, message)))
        fail_msg("message \"%s\" does not say \"%s\"", F.c.errmsg ? F.c.errmsg : "", message);
}

/* Olga's channel; Milo (moderator), Mara and the administrator in it. */
static int64_t world(bool is_private)
{
    channels_new n = {.name = "team", .is_private = is_private, .posting = -1};
    int64_t ch;
    ok(channels_create(req(), id_of[OWNER], &n, &ch));
    for (int who = ADMIN; who <= MEMBER; who++) {
        if (who == OWNER) continue;
        ok(channels_join(req(), id_of[who], ch));
        /* an administrator moderates it already, so joins a private one at once */
        if (is_private && who != ADMIN)
            ok(channels_decide(req(), id_of[OWNER], ch, id_of[who], true));
    }
    ok(channels_set_role(req(), id_of[OWNER], ch, id_of[MOD], ROLE_MODERATOR));
    return ch;
}

static int role_of(int who, int64_t ch)
{
    app_ctx *c = req();
    return app_channel_role(c, app_channel(c, ch), id_of[who]);
}

static bool member(int who, int64_t ch)
{
    app_ctx *c = req();
    return app_channel_member(c, app_channel(c, ch), id_of[who]);
}

/* ------------------------------------------------------------------------------------------ */

static void test_a_moderator_removes_members_only(void **state)
{
    (void)state;
    int64_t ch = world(false);
    int64_t second_mod = id_of[OUTSIDER];
    ok(channels_join(req(), second_mod, ch));
    ok(channels_set_role(req(), id_of[OWNER], ch, second_mod, ROLE_MODERATOR));
    const char *below = "below your own role";
    fails(channels_remove_member(req(), id_of[MOD], ch, id_of[ADMIN]), PL_EFORBIDDEN, below);
    fails(channels_remove_member(req(), id_of[MOD], ch, id_of[OWNER]), PL_EFORBIDDEN, below);
    fails(channels_remove_member(req(), id_of[MOD], ch, second_mod), PL_EFORBIDDEN, below);
    assert_true(member(ADMIN, ch));
    ok(channels_remove_member(req(), id_of[MOD], ch, id_of[MEMBER]));
    assert_false(member(MEMBER, ch));
    /* an owner removes a moderator (and the role goes with the follow); so does an administrator */
    ok(channels_remove_member(req(), id_of[OWNER], ch, second_mod));
    int stored;
    ok(store_channel_role(F.d, ch, second_mod, &stored));
    assert_int_equal(stored, ROLE_NONE);
    ok(channels_remove_member(req(), id_of[ADMIN], ch, id_of[MOD]));
    assert_false(member(MOD, ch));
    /* an owner does not remove the administrator (an owner here too) */
    ok(channels_join(req(), id_of[MEMBER], ch));
    fails(channels_remove_member(req(), id_of[OWNER], ch, id_of[ADMIN]), PL_EFORBIDDEN, below);
}

static void test_unfollowing_a_channel_is_leaving_it(void **state)
{
    (void)state;
    int64_t ch = world(true);
    assert_int_equal(role_of(MOD, ch), ROLE_MODERATOR);
    ok(graph_unfollow(req(), id_of[MOD], ch));
    assert_false(member(MOD, ch));
    assert_int_equal(role_of(MOD, ch), ROLE_NONE);
    int stored;
    ok(store_channel_role(F.d, ch, id_of[MOD], &stored));
    assert_int_equal(stored, ROLE_NONE);
    pl_idlist l;
    pl_page p = {.limit = 20};
    fails(channels_requests(req(), id_of[MOD], ch, &p, &l), PL_EFORBIDDEN, NULL);
    fails(channels_timeline(req(), id_of[MOD], ch, &p, &l), PL_ENOTFOUND, NULL);
    /* back in: a member, without the old role */
    ok(channels_join(req(), id_of[MOD], ch));
    ok(channels_decide(req(), id_of[OWNER], ch, id_of[MOD], true));
    assert_int_equal(role_of(MOD, ch), ROLE_NONE);
    assert_true(member(MOD, ch));
}

static void test_the_only_owner_cannot_leave_by_any_door(void **state)
{
    (void)state;
    int64_t ch = world(false);
    const char *only = "only owner";
    fails(graph_unfollow(req(), id_of[OWNER], ch), PL_EINVAL, only);
    fails(graph_block(req(), id_of[OWNER], ch), PL_EINVAL, only);
    fails(channels_leave(req(), id_of[OWNER], ch), PL_EINVAL, only);
    assert_true(member(OWNER, ch));
    assert_int_equal(role_of(OWNER, ch), ROLE_OWNER);
    /* with a second owner, either may go, and the role goes with them */
    ok(channels_set_role(req(), id_of[OWNER], ch, id_of[MOD], ROLE_OWNER));
    ok(graph_unfollow(req(), id_of[MOD], ch));
    int64_t owners;
    ok(store_channel_role_count(F.d, ch, ROLE_OWNER, &owners));
    assert_int_equal(owners, 1);
    fails(graph_unfollow(req(), id_of[OWNER], ch), PL_EINVAL, only);
    /* a member who blocks the channel has left it */
    ok(graph_block(req(), id_of[MEMBER], ch));
    assert_false(member(MEMBER, ch));
}

static void test_a_role_without_the_follow_grants_nothing(void **state)
{
    (void)state;
    int64_t ch = world(true);
    /* a row written beside no follow (as leaving by unfollow left them before) */
    ok(store_channel_role_set(F.d, ch, id_of[OUTSIDER], ROLE_OWNER));
    for (int ro = 0; ro < 2; ro++) {
        F.read_only = ro;
        assert_int_equal(role_of(OUTSIDER, ch), ROLE_NONE);
        assert_false(member(OUTSIDER, ch));
        pl_idlist l;
        pl_page p = {.limit = 20};
        fails(channels_timeline(req(), id_of[OUTSIDER], ch, &p, &l), PL_ENOTFOUND, NULL);
        int64_t *ids;
        int n;
        fails(channels_pins(req(), id_of[OUTSIDER], ch, &ids, &n), PL_ENOTFOUND, NULL);
        fails(channels_members(req(), id_of[OUTSIDER], ch, &p, &l, NULL), PL_EFORBIDDEN, NULL);
        ok(channels_timeline(req(), id_of[MEMBER], ch, &p, &l));
    }
    F.read_only = false;
    fails(channels_set_role(req(), id_of[OUTSIDER], ch, id_of[OUTSIDER], ROLE_OWNER), PL_EFORBIDDEN,
          NULL);
    fails(channels_remove_member(req(), id_of[OUTSIDER], ch, id_of[MEMBER]), PL_EFORBIDDEN, NULL);
}

static void test_an_update_answers_with_the_channel_as_it_is_now(void **state)
{
    (void)state;
    int64_t ch = world(false);
    app_ctx *c = req();
    channels_new n = {.is_private = 1, .posting = POSTING_MODERATORS};
    ok(channels_update(c, id_of[OWNER], ch, &n));
    channels_view v;
    ok(channels_view_of(c, id_of[OWNER], ch, &v)); /* the same request, as the handler does */
    assert_true(v.ch.is_private);
    assert_int_equal(v.ch.posting, POSTING_MODERATORS);
    assert_true(v.account->is_locked);
}

static void test_following_shows_a_private_channel_to_its_members_only(void **state)
{
    (void)state;
    int64_t ch = world(true);
    channels_new n = {.name = "open", .is_private = 0, .posting = -1};
    int64_t open;
    ok(channels_create(req(), id_of[OWNER], &n, &open));
    ok(channels_join(req(), id_of[MEMBER], open));
    pl_page p = {.limit = 40};
    struct {
        int viewer;
        bool sees;
    } cases[] = {{OUTSIDER, false}, {MEMBER, true}, {MOD, true}, {ADMIN, true}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pl_idlist l;
        ok(graph_following(req(), id_of[cases[k].viewer], id_of[MEMBER], &p, &l));
        bool has_private = false, has_open = false;
        for (int i = 0; i < l.n; i++) {
            has_private |= l.ids[i] == ch;
            has_open |= l.ids[i] == open;
        }
        if (has_private != cases[k].sees)
            fail_msg("%s %s the private channel", names[cases[k].viewer],
                     has_private ? "sees" : "does not see");
        assert_true(has_open);
    }
    pl_idlist l;
    ok(graph_following(req(), 0, id_of[MEMBER], &p, &l));
    for (int i = 0; i < l.n; i++) assert_true(l.ids[i] != ch);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_moderator_removes_members_only),
        T(test_unfollowing_a_channel_is_leaving_it),
        T(test_the_only_owner_cannot_leave_by_any_door),
        T(test_a_role_without_the_follow_grants_nothing),
        T(test_an_update_answers_with_the_channel_as_it_is_now),
        T(test_following_shows_a_private_channel_to_its_members_only),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
