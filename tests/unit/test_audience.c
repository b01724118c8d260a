/*
 * test_audience.c — unit tests for src/app/audience.c, the one function that decides who
 * may see a post, over a temporary database with five registered people.
 *
 * First the rules one by one: every visibility against every relation the viewer can have
 * to the author (the author, a follower, a stranger, someone mentioned, someone the author
 * blocks, a signed-out visitor with public_read off and on), then reblogs. Last, a property
 * test: random follow/block/mute graphs and random posts, replies and reblogs, after which
 * every read path (a status by id, home, public, hashtag and account feeds, threads,
 * notifications) is checked against an oracle written from the rules in audience.h, both
 * with and without the per-request caches of read-only contexts. The property test prints
 * its seed and takes one from AUDIENCE_SEED, so a failure can be replayed. Its worlds have a
 * service team and a ticket, whose thread grows replies of the ticket and internal audiences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "app_fixture.h"

#include "app/audience.h"
#include "app/audit.h"
#include "app/channels.h"
#include "app/engage.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/lists.h"
#include "app/notify.h"
#include "app/posts.h"
#include "app/tickets.h"
#include "store/posts.h"

/* ------------------------------------------------------------------------------------------ */
/* People and helpers                                                                          */
/* ------------------------------------------------------------------------------------------ */

enum { AUTHOR, FOLLOWER, STRANGER, MENTIONED, BLOCKED, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob", "carol", "dave", "erin"};
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
    app_ctx *c = req();
    int rc = posts_create(c, id_of[who], &n, &id);
    if (rc) fail_msg("posts_create: %s (%s)", pl_strerror(rc), c->errmsg ? c->errmsg : "");
    return id;
}

static pl_status load(int64_t id)
{
    pl_status s;
    assert_int_equal(store_status_get(F.d, id, &F.a, &s), PL_OK);
    return s;
}

static bool can_see(int64_t viewer, int64_t status_id)
{
    pl_status s = load(status_id);
    return audience_can_see(req(), viewer, &s);
}

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

/* Bob follows Alice; Erin followed her but Alice blocks Erin; Dave is mentioned. */
static void relations(void)
{
    ok(graph_follow(req(), id_of[FOLLOWER], id_of[AUTHOR], -1, -1));
    ok(graph_follow(req(), id_of[BLOCKED], id_of[AUTHOR], -1, -1));
    ok(graph_block(req(), id_of[AUTHOR], id_of[BLOCKED]));
}

static const char *const vis_names[] = {"public", "unlisted", "private", "direct"};

/* Any visibility's name, ours included (failure messages of the property test). */
static const char *vname(int v)
{
    return audit_audience_name(v);
}

/* expected[viewer kind][visibility] */
struct row {
    const char *who;
    int64_t viewer;
    bool public_read;
    bool expected[4];
};

static void check_matrix(const struct row *rows, size_t n_rows)
{
    int64_t ids[4];
    for (int v = 0; v < 4; v++) ids[v] = post_as(AUTHOR, v, "hello @dave and @erin");
    /* without and with the per-request caches of read-only contexts */
    for (int ro = 0; ro < 2; ro++)
        for (size_t r = 0; r < n_rows; r++) {
            F.read_only = ro;
            F.cfg.public_read = rows[r].public_read;
            for (int v = 0; v < 4; v++) {
                bool got = can_see(rows[r].viewer, ids[v]);
                if (got != rows[r].expected[v])
                    fail_msg("%s on a %s post%s: got %s, want %s", rows[r].who, vis_names[v],
                             ro ? " (read-only context)" : "", got ? "visible" : "hidden",
                             rows[r].expected[v] ? "visible" : "hidden");
                /* posts_get (every single-status read) agrees */
                pl_status s;
                int rc = posts_get(req(), rows[r].viewer, ids[v], &s);
                assert_int_equal(rc, rows[r].expected[v] ? PL_OK : PL_ENOTFOUND);
            }
        }
    F.read_only = false;
}

/* ------------------------------------------------------------------------------------------ */
/* The rules                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void test_every_visibility_against_every_relation(void **state)
{
    (void)state;
    relations();
    const struct row rows[] = {
        /*                                            public unlisted private direct */
        {"the author", id_of[AUTHOR], false, {true, true, true, true}},
        {"a follower", id_of[FOLLOWER], false, {true, true, true, false}},
        {"a stranger", id_of[STRANGER], false, {true, true, false, false}},
        {"someone mentioned", id_of[MENTIONED], false, {true, true, true, true}},
        {"someone blocked (and mentioned)", id_of[BLOCKED], false, {false, false, false, false}},
        {"signed out, public_read off", 0, false, {false, false, false, false}},
        {"signed out, public_read on", 0, true, {true, true, false, false}},
        {"someone blocked, public_read on", id_of[BLOCKED], true, {false, false, false, false}},
        {"a stranger, public_read on", id_of[STRANGER], true, {true, true, false, false}},
    };
    check_matrix(rows, sizeof rows / sizeof rows[0]);
}

static void test_author_sees_every_own_post_even_with_public_read_on(void **state)
{
    (void)state;
    F.cfg.public_read = true;
    for (int v = 0; v < 4; v++) assert_true(can_see(id_of[AUTHOR], post_as(AUTHOR, v, "mine")));
}

static void test_viewer_who_blocks_the_author_can_still_open_the_post(void **state)
{
    (void)state;
    ok(graph_block(req(), id_of[STRANGER], id_of[AUTHOR]));
    int64_t id = post_as(AUTHOR, VIS_PUBLIC, "hello");
    assert_true(can_see(id_of[STRANGER], id));
    pl_status s;
    assert_int_equal(posts_get(req(), id_of[STRANGER], id, &s), PL_OK);
}

static void test_follower_loses_a_private_post_when_unfollowing(void **state)
{
    (void)state;
    relations();
    int64_t id = post_as(AUTHOR, VIS_PRIVATE, "for my followers");
    assert_true(can_see(id_of[FOLLOWER], id));
    ok(graph_unfollow(req(), id_of[FOLLOWER], id_of[AUTHOR]));
    assert_false(can_see(id_of[FOLLOWER], id));
}

static void test_block_hides_posts_that_were_visible_before(void **state)
{
    (void)state;
    ok(graph_follow(req(), id_of[FOLLOWER], id_of[AUTHOR], -1, -1));
    int64_t pub = post_as(AUTHOR, VIS_PUBLIC, "hi");
    int64_t priv = post_as(AUTHOR, VIS_PRIVATE, "hi friends");
    assert_true(can_see(id_of[FOLLOWER], pub));
    assert_true(can_see(id_of[FOLLOWER], priv));
    ok(graph_block(req(), id_of[AUTHOR], id_of[FOLLOWER]));
    assert_false(can_see(id_of[FOLLOWER], pub));
    assert_false(can_see(id_of[FOLLOWER], priv));
    ok(graph_unblock(req(), id_of[AUTHOR], id_of[FOLLOWER]));
    assert_true(can_see(id_of[FOLLOWER], pub));
    assert_false(can_see(id_of[FOLLOWER], priv)); /* the block ended the follow */
}

static void test_mention_added_by_an_edit_opens_a_direct_post(void **state)
{
    (void)state;
    int64_t id = post_as(AUTHOR, VIS_DIRECT, "a note to myself");
    assert_false(can_see(id_of[MENTIONED], id));
    posts_new n = {.text = "a note for @dave", .visibility = -1, .sensitive = -1};
    ok(posts_edit(req(), id_of[AUTHOR], id, &n));
    assert_true(can_see(id_of[MENTIONED], id));
    assert_false(can_see(id_of[STRANGER], id));
}

static void test_a_record_known_to_mention_the_viewer_follows_the_same_rules(void **state)
{
    (void)state;
    /* a deleted post's record (app/stream.c): no mention rows to read, the mention is known */
    pl_status gone = {.id = 987654321, .account_id = id_of[AUTHOR], .visibility = VIS_DIRECT};
    assert_false(audience_can_see(req(), id_of[MENTIONED], &gone));
    assert_true(audience_can_see_mentioned(req(), id_of[MENTIONED], &gone));
    assert_false(audience_can_see_mentioned(req(), 0, &gone)); /* signed out: nobody mentioned */
    gone.visibility = VIS_PRIVATE;
    assert_true(audience_can_see_mentioned(req(), id_of[MENTIONED], &gone));
    /* nobody the author blocks, mentioned or not */
    ok(graph_block(req(), id_of[AUTHOR], id_of[MENTIONED]));
    assert_false(audience_can_see_mentioned(req(), id_of[MENTIONED], &gone));
    gone.visibility = VIS_DIRECT;
    assert_false(audience_can_see_mentioned(req(), id_of[MENTIONED], &gone));
}

static void test_unknown_visibility_is_shown_to_the_author_only(void **state)
{
    (void)state;
    pl_status s = {.id = app_new_id(req()),
                   .account_id = id_of[AUTHOR],
                   .visibility = 9,
                   .text = "x",
                   .content = "x",
                   .created_at = F.now};
    assert_int_equal(store_status_insert(F.d, &s), PL_OK);
    F.cfg.public_read = true;
    assert_true(can_see(id_of[AUTHOR], s.id));
    assert_false(can_see(id_of[FOLLOWER], s.id));
    assert_false(can_see(0, s.id));
}

/* ------------------------------------------------------------------------------------------ */
/* Our audiences: company, list, channels                                                      */
/* ------------------------------------------------------------------------------------------ */

static void test_a_company_post_is_for_everyone_signed_in_and_nobody_signed_out(void **state)
{
    (void)state;
    relations();
    int64_t id = post_as(AUTHOR, VIS_COMPANY, "numbers for @dave");
    for (int pr = 0; pr < 2; pr++) {
        F.cfg.public_read = pr;
        assert_true(can_see(id_of[AUTHOR], id));
        assert_true(can_see(id_of[FOLLOWER], id));
        assert_true(can_see(id_of[STRANGER], id));
        assert_false(can_see(id_of[BLOCKED], id));
        assert_false(can_see(0, id)); /* even with public_read on */
    }
}

static void test_a_list_post_is_for_the_list_and_the_mentioned_only(void **state)
{
    (void)state;
    relations();
    ok(graph_follow(req(), id_of[AUTHOR], id_of[STRANGER], -1, -1));
    pl_list l;
    ok(lists_create(req(), id_of[AUTHOR],
                    &(lists_change){.title = "close", .replies_policy = -1, .exclusive = -1}, &l));
    int64_t member = id_of[STRANGER];
    ok(lists_add_members(req(), id_of[AUTHOR], l.id, &member, 1));
    posts_new n = {
        .text = "for the list and @dave", .visibility = VIS_LIST, .list_id = l.id, .sensitive = -1};
    int64_t id;
    ok(posts_create(req(), id_of[AUTHOR], &n, &id));
    assert_true(can_see(id_of[STRANGER], id));  /* on the list */
    assert_true(can_see(id_of[MENTIONED], id)); /* mentioned */
    assert_false(can_see(id_of[FOLLOWER], id)); /* a follower, not on the list */
    assert_false(can_see(0, id));
    ok(lists_remove_members(req(), id_of[AUTHOR], l.id, &member, 1));
    assert_false(can_see(id_of[STRANGER], id)); /* the list as it is now */
}

static void test_a_private_channel_gates_its_posts_before_their_visibility(void **state)
{
    (void)state;
    int64_t ch;
    ok(channels_create(req(), id_of[AUTHOR],
                       &(channels_new){.name = "team", .is_private = 1, .posting = -1}, &ch));
    ok(channels_join(req(), id_of[FOLLOWER], ch));
    ok(channels_decide(req(), id_of[AUTHOR], ch, id_of[FOLLOWER], true));
    ok(channels_join(req(), id_of[STRANGER], ch)); /* asked, not let in */
    posts_new n = {
        .text = "plans, @dave", .visibility = VIS_PUBLIC, .channel_id = ch, .sensitive = -1};
    int64_t id;
    ok(posts_create(req(), id_of[FOLLOWER], &n, &id));
    assert_int_equal(load(id).visibility, VIS_COMPANY);
    F.cfg.public_read = true;
    assert_true(can_see(id_of[AUTHOR], id));     /* the owner, a member */
    assert_true(can_see(id_of[FOLLOWER], id));   /* its author */
    assert_false(can_see(id_of[STRANGER], id));  /* waiting to join */
    assert_false(can_see(id_of[MENTIONED], id)); /* mentioned, but not a member */
    assert_false(can_see(0, id));

    /* removed by a moderator: its author and the moderators only */
    ok(channels_remove_status(req(), id_of[AUTHOR], ch, id));
    assert_true(can_see(id_of[FOLLOWER], id));
    assert_true(can_see(id_of[AUTHOR], id));
    ok(channels_decide(req(), id_of[AUTHOR], ch, id_of[STRANGER], true));
    assert_false(can_see(id_of[STRANGER], id)); /* a member now, but not a moderator */
}

/* ------------------------------------------------------------------------------------------ */
/* A database error hides                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Breaks one table inside the test's transaction, until mend_tables(): every query that reads
 * it fails, as a lost connection or a damaged page would make it fail. (On PostgreSQL the
 * whole transaction fails from then on, which only makes more queries fail.) */
static void break_table(const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "DROP TABLE %s", table);
    assert_int_equal(db_savepoint(F.d), PL_OK);
    assert_int_equal(db_exec(F.d, sql), PL_OK);
}

static void mend_tables(void)
{
    assert_int_equal(db_rollback_to(F.d), PL_OK);
}

/* audience_can_see() about a loaded post, without (cached false) or with the read-only
 * request's sets of the viewer's relations. */
static bool can_see_loaded(int64_t viewer, const pl_status *s, bool cached)
{
    app_ctx *c = req();
    if (cached) {
        c->read_only = true;
        c->viewer_id = viewer;
    }
    return audience_can_see(c, viewer, s);
}

static void test_a_store_error_reading_blocks_hides_the_post(void **state)
{
    (void)state;
    relations();
    pl_status pub = load(post_as(AUTHOR, VIS_PUBLIC, "hello"));
    pl_status priv = load(post_as(AUTHOR, VIS_PRIVATE, "hello friends"));
    assert_true(can_see_loaded(id_of[STRANGER], &pub, false));
    break_table("blocks");
    for (int cached = 0; cached < 2; cached++) {
        assert_false(can_see_loaded(id_of[STRANGER], &pub, cached));
        assert_false(can_see_loaded(id_of[FOLLOWER], &pub, cached));
        assert_false(can_see_loaded(id_of[FOLLOWER], &priv, cached));
        assert_true(can_see_loaded(id_of[AUTHOR], &pub, cached)); /* no question asked */
    }
    mend_tables();
    assert_true(can_see_loaded(id_of[STRANGER], &pub, false));
}

/* Each relation that opens a post (a follow, a mention, a list's people, a channel's members
 * and the channel itself): when it cannot be read, the post stays closed. */
static void test_a_store_error_reading_what_would_open_a_post_keeps_it_closed(void **state)
{
    (void)state;
    relations();
    pl_list l;
    ok(lists_create(req(), id_of[AUTHOR],
                    &(lists_change){.title = "close", .replies_policy = -1, .exclusive = -1}, &l));
    int64_t member = id_of[STRANGER];
    ok(graph_follow(req(), id_of[AUTHOR], member, -1, -1));
    ok(lists_add_members(req(), id_of[AUTHOR], l.id, &member, 1));
    int64_t listed;
    ok(posts_create(
        req(), id_of[AUTHOR],
        &(posts_new){
            .text = "for the list", .visibility = VIS_LIST, .list_id = l.id, .sensitive = -1},
        &listed));
    int64_t ch, in_channel;
    ok(channels_create(req(), id_of[AUTHOR],
                       &(channels_new){.name = "team", .is_private = 1, .posting = -1}, &ch));
    ok(channels_join(req(), id_of[FOLLOWER], ch));
    ok(channels_decide(req(), id_of[AUTHOR], ch, id_of[FOLLOWER], true));
    ok(posts_create(
        req(), id_of[AUTHOR],
        &(posts_new){.text = "plans", .visibility = VIS_PUBLIC, .channel_id = ch, .sensitive = -1},
        &in_channel));
    const struct {
        const char *table;
        int64_t status_id;
        int viewer;
    } cases[] = {
        {"follows", post_as(AUTHOR, VIS_PRIVATE, "for followers"), FOLLOWER},
        {"status_mentions", post_as(AUTHOR, VIS_DIRECT, "psst @dave"), MENTIONED},
        {"status_mentions", post_as(AUTHOR, VIS_PRIVATE, "you too @dave"), MENTIONED},
        {"list_accounts", listed, STRANGER},
        {"follows", in_channel, FOLLOWER},
        {"channels", in_channel, FOLLOWER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pl_status s = load(cases[i].status_id);
        int64_t viewer = id_of[cases[i].viewer];
        if (!can_see_loaded(viewer, &s, false))
            fail_msg("case %zu (%s): hidden before the error", i, cases[i].table);
        break_table(cases[i].table);
        for (int cached = 0; cached < 2; cached++)
            if (can_see_loaded(viewer, &s, cached))
                fail_msg("case %zu: shown although %s could not be read%s", i, cases[i].table,
                         cached ? " (read-only context)" : "");
        mend_tables();
    }
}

static bool page_has(const pl_idlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->ids[i] == id) return true;
    return false;
}

static void test_a_store_error_reading_mutes_hides_the_post_from_home(void **state)
{
    (void)state;
    relations();
    int64_t id = post_as(AUTHOR, VIS_PUBLIC, "for the home feed");
    drain_fanout();
    pl_page p = {.limit = 20};
    pl_idlist got;
    ok(feeds_home(req(), id_of[FOLLOWER], &p, &got));
    assert_true(page_has(&got, id));
    break_table("mutes");
    for (int cached = 0; cached < 2; cached++) {
        app_ctx *c = req();
        c->read_only = cached;
        c->viewer_id = cached ? id_of[FOLLOWER] : 0;
        /* hidden, or (PostgreSQL, where the failed query ends the transaction) no page at all */
        int rc = feeds_home(c, id_of[FOLLOWER], &p, &got);
        if (rc == PL_OK && page_has(&got, id))
            fail_msg("home shows the post although mutes could not be read%s",
                     cached ? " (read-only context)" : "");
    }
    mend_tables();
}

/* ------------------------------------------------------------------------------------------ */
/* Reblogs                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void test_public_reblog_of_a_public_post_is_seen_by_anyone_signed_in(void **state)
{
    (void)state;
    int64_t orig = post_as(AUTHOR, VIS_PUBLIC, "worth sharing");
    int64_t rb = 0;
    ok(engage_reblog(req(), id_of[FOLLOWER], orig, VIS_PUBLIC, &rb));
    assert_true(can_see(id_of[STRANGER], rb));
    assert_false(can_see(0, rb));
    F.cfg.public_read = true;
    assert_true(can_see(0, rb));
}

static void test_reblog_is_hidden_from_those_the_original_author_blocks(void **state)
{
    (void)state;
    relations();
    int64_t orig = post_as(AUTHOR, VIS_PUBLIC, "worth sharing");
    int64_t rb = 0;
    ok(engage_reblog(req(), id_of[FOLLOWER], orig, VIS_PUBLIC, &rb));
    assert_true(can_see(id_of[STRANGER], rb));
    assert_false(can_see(id_of[BLOCKED], rb));
}

static void test_reblog_is_hidden_from_those_the_reblogger_blocks(void **state)
{
    (void)state;
    int64_t orig = post_as(AUTHOR, VIS_PUBLIC, "worth sharing");
    int64_t rb = 0;
    ok(engage_reblog(req(), id_of[FOLLOWER], orig, VIS_PUBLIC, &rb));
    ok(graph_block(req(), id_of[FOLLOWER], id_of[STRANGER]));
    assert_false(can_see(id_of[STRANGER], rb));
    assert_true(can_see(id_of[STRANGER], orig));
}

static void test_reblog_of_a_private_post_is_seen_only_by_those_who_see_the_original(void **state)
{
    (void)state;
    relations();
    /* engage_reblog refuses this; a row like it could come from an older server */
    int64_t orig = post_as(AUTHOR, VIS_PRIVATE, "followers only");
    pl_status rb = {.id = app_new_id(req()),
                    .account_id = id_of[FOLLOWER],
                    .reblog_of_id = orig,
                    .visibility = VIS_PUBLIC,
                    .created_at = F.now};
    assert_int_equal(store_status_insert(F.d, &rb), PL_OK);
    assert_true(can_see(id_of[FOLLOWER], rb.id));
    assert_true(can_see(id_of[AUTHOR], rb.id));
    assert_false(can_see(id_of[STRANGER], rb.id));
    F.cfg.public_read = true;
    assert_false(can_see(0, rb.id));
}

static void test_reblog_of_a_deleted_post_is_hidden(void **state)
{
    (void)state;
    pl_status rb = {.id = app_new_id(req()),
                    .account_id = id_of[FOLLOWER],
                    .reblog_of_id = 12345,
                    .visibility = VIS_PUBLIC,
                    .created_at = F.now};
    assert_int_equal(store_status_insert(F.d, &rb), PL_OK);
    assert_false(can_see(id_of[STRANGER], rb.id));
}

/* ------------------------------------------------------------------------------------------ */
/* Read paths                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static bool list_has(const pl_idlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->ids[i] == id) return true;
    return false;
}

static void test_account_feed_shows_each_viewer_only_what_they_may_see(void **state)
{
    (void)state;
    relations();
    int64_t ids[4];
    for (int v = 0; v < 4; v++) ids[v] = post_as(AUTHOR, v, "hello @dave");
    pl_page p = {.limit = 40};
    const int viewers[] = {AUTHOR, FOLLOWER, STRANGER, MENTIONED, BLOCKED};
    const bool want[][4] = {{1, 1, 1, 1}, {1, 1, 1, 0}, {1, 1, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}};
    for (int k = 0; k < 5; k++) {
        pl_idlist l;
        ok(feeds_account(req(), id_of[viewers[k]], id_of[AUTHOR], false, false, &p, &l));
        for (int v = 0; v < 4; v++)
            if (list_has(&l, ids[v]) != want[k][v])
                fail_msg("%s / %s post in the account feed: got %d", names[viewers[k]],
                         vis_names[v], list_has(&l, ids[v]));
    }
}

static void
test_public_feed_has_public_posts_only_and_needs_public_read_when_signed_out(void **state)
{
    (void)state;
    int64_t ids[4];
    for (int v = 0; v < 4; v++) ids[v] = post_as(AUTHOR, v, "hello @dave #news");
    pl_page p = {.limit = 40};
    pl_idlist l;
    ok(feeds_public(req(), id_of[MENTIONED], &p, &l));
    assert_true(list_has(&l, ids[VIS_PUBLIC]));
    for (int v = 1; v < 4; v++) assert_false(list_has(&l, ids[v]));
    ok(feeds_public(req(), 0, &p, &l));
    assert_int_equal(l.n, 0);
    ok(feeds_tag(req(), 0, "news", &p, &l));
    assert_int_equal(l.n, 0);
    F.cfg.public_read = true;
    ok(feeds_public(req(), 0, &p, &l));
    assert_true(list_has(&l, ids[VIS_PUBLIC]));
    ok(feeds_tag(req(), 0, "news", &p, &l));
    assert_int_equal(l.n, 1);
    assert_true(l.ids[0] == ids[VIS_PUBLIC]);
}

static void test_context_leaves_out_replies_the_viewer_may_not_see(void **state)
{
    (void)state;
    relations();
    int64_t root = post_as(AUTHOR, VIS_PUBLIC, "root");
    posts_new n = {.text = "followers-only reply",
                   .visibility = VIS_PRIVATE,
                   .sensitive = -1,
                   .in_reply_to_id = root};
    int64_t hidden = 0, open = 0;
    ok(posts_create(req(), id_of[AUTHOR], &n, &hidden));
    n.text = "public reply";
    n.visibility = VIS_PUBLIC;
    ok(posts_create(req(), id_of[MENTIONED], &n, &open));
    int64_t *anc, *desc;
    int na, nd;
    ok(posts_context(req(), id_of[STRANGER], root, &anc, &na, &desc, &nd));
    assert_int_equal(nd, 1);
    assert_true(desc[0] == open);
    ok(posts_context(req(), id_of[FOLLOWER], root, &anc, &na, &desc, &nd));
    assert_int_equal(nd, 2);
    /* and a stranger cannot open the hidden reply's context at all */
    assert_int_equal(posts_context(req(), id_of[STRANGER], hidden, &anc, &na, &desc, &nd),
                     PL_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Property: random graphs, no read path leaks                                                 */
/* ------------------------------------------------------------------------------------------ */

enum { MAX_POSTS = 64, ROUNDS = 10 };

/* The seed of the world being checked: round r of a run uses base + r, the base coming from
 * AUDIENCE_SEED (to replay a failure: every failure names its world's seed) or the clock.
 * The property is meant to hold for every seed, so a new base each run widens the search. */
static unsigned world_seed;

static unsigned seed_base(void)
{
    const char *env = getenv("AUDIENCE_SEED");
    unsigned base = env && *env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    print_message("audience property: seeds %u..%u (replay with AUDIENCE_SEED=%u)\n", base,
                  base + ROUNDS - 1, base);
    return base;
}

struct oracle {
    bool team[N_PEOPLE];                      /* on the service team */
    int requester;                            /* the ticket's */
    int ticket_root;                          /* the ticket's first post, an index */
    bool follows[N_PEOPLE][N_PEOPLE];         /* [a][b]: a follows b */
    bool blocks[N_PEOPLE][N_PEOPLE];          /* [a][b]: a blocks b */
    int n, n_reblogs, n_replies, n_in_ticket; /* n_in_ticket: replies of ticket or internal */
    struct opost {
        int64_t id;
        int author, visibility, reblog_of; /* reblog_of: index, or -1 */
        bool mentions[N_PEOPLE];
    } p[MAX_POSTS];
};

/* The rules of audience.h, from the test's own record of the graph. viewer -1 = signed out. */
static bool oracle_sees(const struct oracle *o, int viewer, int k, bool public_read)
{
    const struct opost *s = &o->p[k];
    if (viewer == s->author) return true;
    if (viewer >= 0 && o->blocks[s->author][viewer]) return false;
    bool base;
    switch (s->visibility) {
    case VIS_PUBLIC:
    case VIS_UNLISTED: base = viewer >= 0 || public_read; break;
    case VIS_PRIVATE:
        base = viewer >= 0 && (o->follows[viewer][s->author] || s->mentions[viewer]);
        break;
    case VIS_DIRECT: base = viewer >= 0 && s->mentions[viewer]; break;
    /* a ticket's thread: its requester and the team; a note: the team; mentions open nothing */
    case VIS_TICKET: base = viewer >= 0 && (o->team[viewer] || viewer == o->requester); break;
    case VIS_INTERNAL: base = viewer >= 0 && o->team[viewer]; break;
    default: base = false;
    }
    if (base && s->reblog_of >= 0) return oracle_sees(o, viewer, s->reblog_of, public_read);
    return base;
}

static int oracle_index(const struct oracle *o, int64_t id)
{
    for (int k = 0; k < o->n; k++)
        if (o->p[k].id == id) return k;
    fail_msg("a read path returned %lld, which no test post has [replay with AUDIENCE_SEED=%u]",
             (long long)id, world_seed);
    return -1;
}

static void assert_no_leak(const struct oracle *o, int viewer, int64_t id, bool public_read,
                           const char *path)
{
    int k = oracle_index(o, id);
    if (!oracle_sees(o, viewer, k, public_read))
        fail_msg("%s leaks post %d (%s by %s) to %s [replay with AUDIENCE_SEED=%u]", path, k,
                 vname(o->p[k].visibility), names[o->p[k].author],
                 viewer >= 0 ? names[viewer] : "a signed-out visitor", world_seed);
}

static void build_random_world(struct oracle *o, unsigned seed)
{
    memset(o, 0, sizeof *o);
    srand(seed);
    for (int a = 0; a < N_PEOPLE; a++)
        for (int b = 0; b < N_PEOPLE; b++)
            if (a != b && rand() % 8 == 0) {
                ok(graph_block(req(), id_of[a], id_of[b]));
                o->blocks[a][b] = true;
            }
    for (int a = 0; a < N_PEOPLE; a++)
        for (int b = 0; b < N_PEOPLE; b++) {
            if (a == b || rand() % 5 >= 2) continue;
            int rc = graph_follow(req(), id_of[a], id_of[b], rand() % 2, -1);
            bool blocked = o->blocks[a][b] || o->blocks[b][a];
            assert_int_equal(rc, blocked ? PL_EFORBIDDEN : PL_OK);
            o->follows[a][b] = !blocked;
        }
    for (int a = 0; a < N_PEOPLE; a++)
        for (int b = 0; b < N_PEOPLE; b++)
            if (a != b && rand() % 8 == 0) ok(graph_mute(req(), id_of[a], id_of[b], rand() % 2, 0));
    /* a service team and one ticket, opened from the form by its requester */
    for (int a = 0; a < N_PEOPLE; a++)
        if ((o->team[a] = rand() % 3 == 0)) ok(tickets_set_service(req(), 0, id_of[a], true, NULL));
    o->requester = rand() % N_PEOPLE;
    pl_ticket ticket;
    ok(tickets_open_form(req(), id_of[o->requester], "Help", "the printer", 0, &ticket));
    o->ticket_root = o->n;
    o->p[o->n++] = (struct opost){.id = ticket.root_status_id,
                                  .author = o->requester,
                                  .visibility = VIS_TICKET,
                                  .reblog_of = -1};

    while (o->n < MAX_POSTS - 2) {
        int author = rand() % N_PEOPLE;
        int kind = rand() % 6; /* 0: reblog, 1-2: reply, else a new post */
        struct opost *s = &o->p[o->n];
        memset(s, 0, sizeof *s);
        s->author = author;
        s->reblog_of = -1;
        if (kind == 0 && o->n > 0) {
            int target = rand() % o->n;
            int64_t rb = 0;
            int vis = rand() % 3;
            int rc = engage_reblog(req(), id_of[author], o->p[target].id, vis, &rb);
            int orig = o->p[target].reblog_of >= 0 ? o->p[target].reblog_of : target;
            bool visible =
                oracle_sees(o, author, target, false) && oracle_sees(o, author, orig, false);
            if (!visible) {
                assert_int_equal(rc, PL_ENOTFOUND);
                continue;
            }
            if (o->p[orig].visibility > VIS_UNLISTED) {
                assert_int_equal(rc, PL_EFORBIDDEN);
                continue;
            }
            ok(rc);
            bool again = false;
            for (int k = 0; k < o->n; k++) again |= o->p[k].id == rb;
            if (again) continue; /* already reblogged: the same reblog comes back */
            s->id = rb;
            s->visibility = vis;
            s->reblog_of = orig;
            o->n_reblogs++;
            o->n++;
            continue;
        }
        char text[200];
        int len = snprintf(text, sizeof text, "post %d", o->n);
        for (int m = 0; m < N_PEOPLE; m++)
            if (rand() % 4 == 0) {
                len += snprintf(text + len, sizeof text - (size_t)len, " @%s", names[m]);
                s->mentions[m] = true;
            }
        if (rand() % 2) snprintf(text + len, sizeof text - (size_t)len, " #topic");
        s->visibility = rand() % 4;
        posts_new n = {.text = text, .visibility = s->visibility, .sensitive = -1};
        int parent = -1;
        if ((kind == 1 || kind == 2) && o->n > 0) {
            /* one reply in four answers in the ticket's thread: left to chance (one post in
             * sixty, and a team that may be empty) the thread grew in too few worlds */
            parent = rand() % 4 == 0 ? o->ticket_root : rand() % o->n;
            n.in_reply_to_id = o->p[parent].id;
            if (rand() % 5 == 0) n.visibility = VIS_INTERNAL; /* a work note, if it may be */
        }
        int rc = posts_create(req(), id_of[author], &n, &s->id);
        if (parent >= 0 && !oracle_sees(o, author, parent, false)) {
            assert_int_equal(rc, PL_ENOTFOUND);
            continue;
        }
        if (parent >= 0 && o->p[parent].reblog_of >= 0) {
            assert_int_equal(rc, PL_EINVAL); /* no replies to a boost */
            continue;
        }
        /* in a ticket's thread a reply keeps its audience (a note's stays a note); a note is
         * the team's to write and has no place outside a ticket's thread */
        int pv = parent >= 0 ? o->p[parent].visibility : -1;
        bool in_ticket = pv == VIS_TICKET || pv == VIS_INTERNAL;
        if (n.visibility == VIS_INTERNAL && !in_ticket) {
            assert_int_equal(rc, PL_EINVAL);
            continue;
        }
        if (in_ticket)
            s->visibility =
                pv == VIS_INTERNAL || n.visibility == VIS_INTERNAL ? VIS_INTERNAL : VIS_TICKET;
        if (s->visibility == VIS_INTERNAL && !o->team[author]) {
            assert_int_equal(rc, PL_EFORBIDDEN);
            continue;
        }
        ok(rc);
        o->n_replies += parent >= 0;
        o->n_in_ticket += in_ticket;
        o->n++;
    }
}

/* How many (viewer, post) pairs the oracle showed and hid, to prove the worlds are mixed. */
static int n_shown, n_hidden;

static void check_every_read_path(const struct oracle *o, bool public_read)
{
    F.cfg.public_read = public_read;
    pl_page p = {.limit = 80};
    for (int v = -1; v < N_PEOPLE; v++) {
        int64_t viewer = v >= 0 ? id_of[v] : 0;
        /* a status by id: exactly the oracle's answer */
        for (int k = 0; k < o->n; k++) {
            pl_status s;
            int rc = posts_get(req(), viewer, o->p[k].id, &s);
            bool want = oracle_sees(o, v, k, public_read);
            if (want)
                n_shown++;
            else
                n_hidden++;
            if ((rc == PL_OK) != want)
                fail_msg("posts_get of post %d (%s by %s, reblog of %d) for %s: %s, want %s", k,
                         vname(o->p[k].visibility), names[o->p[k].author], o->p[k].reblog_of,
                         v >= 0 ? names[v] : "signed out", pl_strerror(rc),
                         want ? "visible" : "hidden");
            if (!want) continue;
            int64_t *anc, *desc;
            int na, nd;
            ok(posts_context(req(), viewer, o->p[k].id, &anc, &na, &desc, &nd));
            for (int i = 0; i < na; i++) assert_no_leak(o, v, anc[i], public_read, "context");
            for (int i = 0; i < nd; i++) assert_no_leak(o, v, desc[i], public_read, "context");
        }
        pl_idlist l;
        ok(feeds_public(req(), viewer, &p, &l));
        for (int i = 0; i < l.n; i++) assert_no_leak(o, v, l.ids[i], public_read, "public feed");
        ok(feeds_tag(req(), viewer, "topic", &p, &l));
        for (int i = 0; i < l.n; i++) assert_no_leak(o, v, l.ids[i], public_read, "tag feed");
        for (int a = 0; a < N_PEOPLE; a++) {
            ok(feeds_account(req(), viewer, id_of[a], false, false, &p, &l));
            for (int i = 0; i < l.n; i++)
                assert_no_leak(o, v, l.ids[i], public_read, "account feed");
        }
        if (v < 0) continue;
        drain_fanout();
        ok(feeds_home(req(), viewer, &p, &l));
        for (int i = 0; i < l.n; i++) assert_no_leak(o, v, l.ids[i], public_read, "home feed");
        pl_notification *ns;
        int nn;
        ok(notify_list(req(), viewer, 0, NULL, NULL, false, &p, &ns, &nn));
        for (int i = 0; i < nn; i++)
            if (ns[i].status_id)
                assert_no_leak(o, v, ns[i].status_id, public_read, "notifications");
    }
}

static void test_no_read_path_shows_a_post_the_rules_hide(void **state)
{
    (void)state;
    int reblogs = 0, replies = 0, in_ticket = 0;
    unsigned base = seed_base();
    for (unsigned round = 0; round < ROUNDS; round++) {
        assert_int_equal(db_savepoint(F.d), PL_OK);
        struct oracle o;
        world_seed = base + round;
        build_random_world(&o, world_seed);
        reblogs += o.n_reblogs;
        replies += o.n_replies;
        in_ticket += o.n_in_ticket;
        /* as the writer reads (no caches), then as a read request does (cached) */
        for (int ro = 0; ro < 2; ro++) {
            F.read_only = ro;
            check_every_read_path(&o, false);
            check_every_read_path(&o, true);
        }
        F.read_only = false;
        assert_int_equal(db_rollback_to(F.d), PL_OK);
    }
    print_message("worlds: %d reblogs, %d replies, %d in a ticket thread\n", reblogs, replies,
                  in_ticket);
    /* the worlds were not degenerate */
    assert_true(reblogs > ROUNDS);
    assert_true(replies > ROUNDS);
    assert_true(in_ticket >= ROUNDS / 2); /* tickets' threads grew too */
    assert_true(n_shown > 100 && n_hidden > 100);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_visibility_against_every_relation),
        T(test_author_sees_every_own_post_even_with_public_read_on),
        T(test_viewer_who_blocks_the_author_can_still_open_the_post),
        T(test_follower_loses_a_private_post_when_unfollowing),
        T(test_block_hides_posts_that_were_visible_before),
        T(test_mention_added_by_an_edit_opens_a_direct_post),
        T(test_unknown_visibility_is_shown_to_the_author_only),
        T(test_a_company_post_is_for_everyone_signed_in_and_nobody_signed_out),
        T(test_a_list_post_is_for_the_list_and_the_mentioned_only),
        T(test_a_private_channel_gates_its_posts_before_their_visibility),
        T(test_a_store_error_reading_blocks_hides_the_post),
        T(test_a_store_error_reading_what_would_open_a_post_keeps_it_closed),
        T(test_a_store_error_reading_mutes_hides_the_post_from_home),
        T(test_public_reblog_of_a_public_post_is_seen_by_anyone_signed_in),
        T(test_reblog_is_hidden_from_those_the_original_author_blocks),
        T(test_reblog_is_hidden_from_those_the_reblogger_blocks),
        T(test_reblog_of_a_private_post_is_seen_only_by_those_who_see_the_original),
        T(test_reblog_of_a_deleted_post_is_hidden),
        T(test_a_record_known_to_mention_the_viewer_follows_the_same_rules),
        T(test_account_feed_shows_each_viewer_only_what_they_may_see),
        T(test_public_feed_has_public_posts_only_and_needs_public_read_when_signed_out),
        T(test_context_leaves_out_replies_the_viewer_may_not_see),
        T(test_no_read_path_shows_a_post_the_rules_hide),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
