/*
 * test_posts.c — unit tests for the posting side of the app layer over a temporary
 * database: src/app/posts.c (create, edit, delete, context), and what posts do elsewhere —
 * home feeds with big accounts merged on read (feeds.c), mutes (graph.c), favourites,
 * reblogs and bookmarks (engage.c) and notifications (notify.c).
 *
 * Five people are registered once (argon2id is slow); every test runs in a transaction that
 * is rolled back, so each starts from people with no posts, follows or mutes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/engage.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/notify.h"
#include "app/posts.h"
#include "store/accounts.h"
#include "store/engage.h"
#include "store/posts.h"
#include "store/timeline.h"

/* ------------------------------------------------------------------------------------------ */
/* People and helpers                                                                          */
/* ------------------------------------------------------------------------------------------ */

enum { ALICE, BOB, CAROL, DAVE, ERIN, N_PEOPLE };
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

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static int create(int who, posts_new n, int64_t *id)
{
    return posts_create(req(), id_of[who], &n, id);
}

static int64_t post(int who, const char *text)
{
    int64_t id = 0;
    ok(create(who, (posts_new){.text = text, .visibility = VIS_PUBLIC}, &id));
    return id;
}

static int64_t post_vis(int who, int visibility, const char *text)
{
    int64_t id = 0;
    ok(create(who, (posts_new){.text = text, .visibility = visibility, .sensitive = -1}, &id));
    return id;
}

static int64_t reply(int who, int64_t parent, const char *text)
{
    int64_t id = 0;
    ok(create(who, (posts_new){.text = text, .visibility = VIS_PUBLIC, .in_reply_to_id = parent},
              &id));
    return id;
}

static pl_status load(int64_t id)
{
    pl_status s;
    assert_int_equal(store_status_get(F.d, id, &F.a, &s), PL_OK);
    return s;
}

static bool exists(int64_t id)
{
    pl_status s;
    return store_status_get(F.d, id, &F.a, &s) == PL_OK;
}

static pl_account account(int who)
{
    pl_account a;
    assert_int_equal(store_account_get(F.d, id_of[who], &F.a, &a), PL_OK);
    return a;
}

static void follow(int who, int whom)
{
    ok(graph_follow(req(), id_of[who], id_of[whom], -1, -1));
}

static pl_idlist home_page(int who, pl_page p)
{
    drain_fanout();
    pl_idlist l;
    ok(feeds_home(req(), id_of[who], &p, &l));
    return l;
}

static pl_idlist home(int who)
{
    return home_page(who, (pl_page){.limit = 40});
}

static bool has(const pl_idlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->ids[i] == id) return true;
    return false;
}

static void check_ids(const int64_t *got, int n, const int64_t *want)
{
    int nw = 0;
    while (want[nw]) nw++;
    bool same = n == nw;
    for (int i = 0; same && i < n; i++) same = got[i] == want[i];
    if (same) return;
    char msg[600];
    int k = snprintf(msg, sizeof msg, "got [");
    for (int i = 0; i < n && k < 280; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)got[i]);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "] want [");
    for (int i = 0; i < nw && k < 560; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)want[i]);
    snprintf(msg + k, sizeof msg - (size_t)k, "]");
    fail_msg("%s", msg);
}

#define assert_ids(list, ...) check_ids((list)->ids, (list)->n, (const int64_t[]){__VA_ARGS__, 0})

/* The notifications of `who` (newest first) of one type, or of any type if type is NULL. */
static int notifications(int who, const char *type, pl_notification **out)
{
    const char *types[] = {type, NULL};
    pl_page p = {.limit = 40};
    int n = 0;
    ok(notify_list(req(), id_of[who], 0, type ? types : NULL, NULL, false, &p, out, &n));
    return n;
}

static int count_notifications(int who, const char *type)
{
    pl_notification *out;
    return notifications(who, type, &out);
}

static void assert_errmsg_contains(const char *part)
{
    if (!F.c.errmsg || !strstr(F.c.errmsg, part))
        fail_msg("errmsg \"%s\" does not mention \"%s\"", F.c.errmsg ? F.c.errmsg : "(null)", part);
}

/* ------------------------------------------------------------------------------------------ */
/* posts_create                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void test_create_stores_the_post_and_counts_it(void **state)
{
    (void)state;
    int64_t before = account(ALICE).statuses_count;
    int64_t id = post(ALICE, "Hello #World, meet @bob");
    pl_status s = load(id);
    assert_true(s.account_id == id_of[ALICE]);
    assert_int_equal(s.visibility, VIS_PUBLIC);
    assert_string_equal(s.text, "Hello #World, meet @bob");
    assert_non_null(strstr(s.content, "<p>Hello "));
    assert_non_null(strstr(s.content, "/tags/world"));
    assert_non_null(strstr(s.content, "class=\"u-url mention\""));
    assert_int_equal(s.mentions_count, 1);
    assert_int_equal(s.tags_count, 1);
    assert_false(s.sensitive);
    assert_true(s.created_at == F.now);
    pl_account a = account(ALICE);
    assert_true(a.statuses_count == before + 1);
    assert_true(a.last_status_at == s.created_at);
    assert_int_equal(count_notifications(BOB, "mention"), 1);
}

static void test_create_lands_in_the_feeds_of_the_author_and_followers(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t id = post(ALICE, "hello");
    pl_idlist l = home(ALICE);
    assert_true(has(&l, id));
    l = home(BOB);
    assert_true(has(&l, id));
    l = home(CAROL);
    assert_false(has(&l, id));
}

static void test_create_direct_post_lands_in_the_feeds_of_those_mentioned(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t id = post_vis(ALICE, VIS_DIRECT, "psst @carol");
    pl_idlist l = home(CAROL);
    assert_true(has(&l, id));
    l = home(BOB); /* a follower, not mentioned */
    assert_false(has(&l, id));
    assert_int_equal(count_notifications(CAROL, "mention"), 1);
}

static void test_create_uses_the_authors_defaults(void **state)
{
    (void)state;
    accounts_change ch = {.locked = -1,
                          .bot = -1,
                          .discoverable = -1,
                          .sensitive = 1,
                          .privacy = VIS_PRIVATE,
                          .hide_collections = -1,
                          .hide_boosts = -1,
                          .language = "de"};
    ok(accounts_update(req(), id_of[ALICE], &ch));
    int64_t id = 0;
    ok(create(ALICE, (posts_new){.text = "hallo", .visibility = -1, .sensitive = -1}, &id));
    pl_status s = load(id);
    assert_int_equal(s.visibility, VIS_PRIVATE);
    assert_true(s.sensitive);
    assert_string_equal(s.language, "de");
}

static void test_create_with_a_content_warning_is_sensitive(void **state)
{
    (void)state;
    int64_t id = 0;
    ok(create(
        ALICE,
        (posts_new){
            .text = "spoilers", .spoiler_text = "film", .visibility = VIS_PUBLIC, .sensitive = 0},
        &id));
    pl_status s = load(id);
    assert_string_equal(s.spoiler_text, "film");
    assert_true(s.sensitive);
}

static void test_create_rejects_empty_or_blank_text(void **state)
{
    (void)state;
    int64_t id = 0;
    static const char *const blank[] = {"", " ", "\n\t \r\n"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(create(ALICE, (posts_new){.text = blank[i], .visibility = 0}, &id),
                         PL_EINVAL);
        assert_errmsg_contains("can't be blank");
    }
    assert_int_equal(create(ALICE, (posts_new){.text = NULL, .visibility = 0}, &id), PL_EINVAL);
    assert_true(account(ALICE).statuses_count == 0);
}

static void test_create_rejects_text_over_the_character_limit(void **state)
{
    (void)state;
    F.cfg.max_characters = 10;
    int64_t id = 0;
    assert_int_equal(create(ALICE, (posts_new){.text = "12345678901"}, &id), PL_EINVAL);
    assert_errmsg_contains("character limit of 10");
    /* characters, not bytes: ten snowmen are ten */
    ok(create(ALICE,
              (posts_new){.text = "\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83"
                                  "\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83\xe2\x98\x83"},
              &id));
    ok(create(ALICE, (posts_new){.text = "1234567890"}, &id));
}

static void test_create_counts_a_link_as_23_characters(void **state)
{
    (void)state;
    F.cfg.max_characters = 25;
    int64_t id = 0;
    ok(create(ALICE,
              (posts_new){.text = "a https://example.com/a/very/long/path/that/goes/on/and/on"},
              &id));
    assert_int_equal(
        create(ALICE, (posts_new){.text = "abc https://example.com/a/very/long/path"}, &id),
        PL_EINVAL);
}

static void test_create_rejects_invalid_utf8_text_and_content_warning(void **state)
{
    (void)state;
    int64_t id = 0;
    assert_int_equal(create(ALICE, (posts_new){.text = "bad \xff\xfe bytes"}, &id), PL_EINVAL);
    assert_errmsg_contains("UTF-8");
    assert_int_equal(create(ALICE, (posts_new){.text = "overlong \xc0\xaf"}, &id), PL_EINVAL);
    assert_int_equal(create(ALICE, (posts_new){.text = "ok", .spoiler_text = "\xed\xa0\x80"}, &id),
                     PL_EINVAL);
    assert_true(account(ALICE).statuses_count == 0);
}

static void test_create_rejects_a_content_warning_over_its_limit(void **state)
{
    (void)state;
    F.cfg.max_spoiler_characters = 3;
    int64_t id = 0;
    assert_int_equal(create(ALICE, (posts_new){.text = "x", .spoiler_text = "abcd"}, &id),
                     PL_EINVAL);
    ok(create(ALICE, (posts_new){.text = "x", .spoiler_text = "abc"}, &id));
}

static void test_create_rejects_too_many_mentions_or_hashtags(void **state)
{
    (void)state;
    F.cfg.max_mentions = 1;
    F.cfg.max_tags = 2;
    int64_t id = 0;
    assert_int_equal(create(ALICE, (posts_new){.text = "@bob @carol"}, &id), PL_EINVAL);
    assert_errmsg_contains("mentions");
    assert_int_equal(create(ALICE, (posts_new){.text = "#a #b #c"}, &id), PL_EINVAL);
    assert_errmsg_contains("hashtags");
    ok(create(ALICE, (posts_new){.text = "@bob #a #b #a"}, &id));
}

static void test_create_rejects_a_reply_to_a_post_the_author_cannot_see(void **state)
{
    (void)state;
    int64_t priv = post_vis(CAROL, VIS_PRIVATE, "followers only");
    int64_t dm = post_vis(CAROL, VIS_DIRECT, "to @bob");
    int64_t id = 0;
    assert_int_equal(create(ALICE, (posts_new){.text = "re", .in_reply_to_id = priv}, &id),
                     PL_ENOTFOUND);
    assert_int_equal(create(ALICE, (posts_new){.text = "re", .in_reply_to_id = dm}, &id),
                     PL_ENOTFOUND);
    assert_int_equal(create(ALICE, (posts_new){.text = "re", .in_reply_to_id = 424242}, &id),
                     PL_ENOTFOUND);
    assert_true(load(priv).replies_count == 0);
    /* those who can see it may answer */
    follow(ALICE, CAROL);
    ok(create(ALICE, (posts_new){.text = "re", .in_reply_to_id = priv}, &id));
    ok(create(BOB, (posts_new){.text = "re", .in_reply_to_id = dm}, &id));
}

static void test_create_rejects_a_reply_to_a_reblog(void **state)
{
    (void)state;
    int64_t orig = post(CAROL, "share me");
    int64_t rb = 0, id = 0;
    ok(engage_reblog(req(), id_of[BOB], orig, VIS_PUBLIC, &rb));
    assert_int_equal(create(ALICE, (posts_new){.text = "re", .in_reply_to_id = rb}, &id),
                     PL_EINVAL);
}

static void test_reply_links_to_its_parent_and_counts(void **state)
{
    (void)state;
    int64_t root = post(CAROL, "root");
    int64_t r = reply(ALICE, root, "answer");
    pl_status s = load(r);
    assert_true(s.in_reply_to_id == root);
    assert_true(s.in_reply_to_account_id == id_of[CAROL]);
    assert_true(load(root).replies_count == 1);
}

static void test_repeated_idempotency_key_returns_the_first_post(void **state)
{
    (void)state;
    int64_t a = 0, b = 0, c = 0;
    posts_new n = {.text = "once", .idempotency_key = "key-1"};
    ok(create(ALICE, n, &a));
    n.text = "twice";
    ok(create(ALICE, n, &b));
    assert_true(a == b);
    assert_string_equal(load(a).text, "once");
    assert_true(account(ALICE).statuses_count == 1);
    ok(create(BOB, n, &c)); /* keys are per author */
    assert_true(c != a);
}

/* ------------------------------------------------------------------------------------------ */
/* posts_edit                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_edit_keeps_every_version_oldest_first(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "v1 #one");
    pl_status_edit *h;
    int n = -1;
    ok(posts_history(req(), id_of[ALICE], id, &h, &n));
    assert_int_equal(n, 0); /* never edited */
    ok(posts_edit(req(), id_of[ALICE], id,
                  &(posts_new){.text = "v2 #two", .spoiler_text = "cw", .sensitive = -1}));
    int64_t edited = F.now;
    ok(posts_edit(req(), id_of[ALICE], id, &(posts_new){.text = "v3", .sensitive = -1}));
    ok(posts_history(req(), id_of[BOB], id, &h, &n));
    assert_int_equal(n, 3);
    assert_string_equal(h[0].text, "v1 #one");
    assert_string_equal(h[1].text, "v2 #two");
    assert_string_equal(h[1].spoiler_text, "cw");
    assert_true(h[1].sensitive);
    assert_true(h[1].created_at == edited);
    assert_string_equal(h[2].text, "v3");
    pl_status s = load(id);
    assert_string_equal(s.text, "v3");
    assert_true(s.edited_at == h[2].created_at);
    assert_true(h[0].created_at == s.created_at);
    assert_int_equal(s.tags_count, 0);
    const char **tags;
    assert_int_equal(store_status_tags(F.d, id, &F.a, &tags, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_edit_replaces_mentions_and_tags(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "hi @bob #old");
    ok(posts_edit(req(), id_of[ALICE], id,
                  &(posts_new){.text = "hi @carol #new", .sensitive = -1}));
    int64_t *m;
    const char **tags;
    int n;
    assert_int_equal(store_status_mentions(F.d, id, &F.a, &m, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(m[0] == id_of[CAROL]);
    assert_int_equal(store_status_tags(F.d, id, &F.a, &tags, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(tags[0], "new");
}

static void test_edit_by_someone_else_is_refused(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "mine");
    int64_t priv = post_vis(ALICE, VIS_PRIVATE, "mine, privately");
    assert_int_equal(
        posts_edit(req(), id_of[BOB], id, &(posts_new){.text = "yours", .sensitive = -1}),
        PL_EFORBIDDEN);
    /* a post they cannot see does not exist for them */
    assert_int_equal(
        posts_edit(req(), id_of[BOB], priv, &(posts_new){.text = "yours", .sensitive = -1}),
        PL_ENOTFOUND);
    assert_string_equal(load(id).text, "mine");
}

static void test_edit_with_invalid_text_changes_nothing(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "original");
    assert_int_equal(posts_edit(req(), id_of[ALICE], id, &(posts_new){.text = "", .sensitive = -1}),
                     PL_EINVAL);
    pl_status_edit *h;
    int n;
    ok(posts_history(req(), id_of[ALICE], id, &h, &n));
    assert_int_equal(n, 0);
    assert_string_equal(load(id).text, "original");
    assert_true(load(id).edited_at == 0);
}

static void test_edit_tells_those_who_reblogged_it(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "v1");
    int64_t rb;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb));
    ok(posts_edit(req(), id_of[ALICE], id, &(posts_new){.text = "v2", .sensitive = -1}));
    pl_notification *ns;
    assert_int_equal(notifications(BOB, "update", &ns), 1);
    assert_true(ns[0].status_id == id);
    assert_true(ns[0].from_account_id == id_of[ALICE]);
}

/* ------------------------------------------------------------------------------------------ */
/* posts_delete                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void test_delete_removes_the_post_and_its_reblogs(void **state)
{
    (void)state;
    follow(ERIN, BOB);
    int64_t id = post(ALICE, "short-lived");
    int64_t rb_bob, rb_carol;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb_bob));
    ok(engage_reblog(req(), id_of[CAROL], id, VIS_PUBLIC, &rb_carol));
    ok(engage_favourite(req(), id_of[DAVE], id));
    pl_idlist l = home(ERIN);
    assert_true(has(&l, rb_bob));
    assert_true(account(BOB).statuses_count == 1);
    assert_int_equal(count_notifications(ALICE, NULL), 3);

    pl_status gone;
    ok(posts_delete(req(), id_of[ALICE], id, &gone));
    assert_true(gone.id == id);
    assert_string_equal(gone.text, "short-lived");
    assert_false(exists(id));
    assert_false(exists(rb_bob));
    assert_false(exists(rb_carol));
    assert_true(account(ALICE).statuses_count == 0);
    assert_true(account(BOB).statuses_count == 0);
    assert_true(account(CAROL).statuses_count == 0);
    l = home(ERIN);
    assert_int_equal(l.n, 0);
    l = home(ALICE);
    assert_int_equal(l.n, 0);
    assert_int_equal(count_notifications(ALICE, NULL), 0);
    assert_false(store_favourited(F.d, id_of[DAVE], id));
}

static void test_delete_by_someone_else_is_refused(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "mine");
    pl_status gone;
    assert_int_equal(posts_delete(req(), id_of[BOB], id, &gone), PL_EFORBIDDEN);
    assert_true(exists(id));
}

static void test_delete_of_a_reply_uncounts_it_on_the_parent(void **state)
{
    (void)state;
    int64_t root = post(CAROL, "root");
    int64_t r = reply(ALICE, root, "answer");
    assert_true(load(root).replies_count == 1);
    pl_status gone;
    ok(posts_delete(req(), id_of[ALICE], r, &gone));
    assert_true(load(root).replies_count == 0);
}

static void test_deleting_a_reblog_directly_uncounts_it(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "share me");
    int64_t rb;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb));
    assert_true(load(id).reblogs_count == 1);
    pl_status gone;
    ok(posts_delete(req(), id_of[BOB], rb, &gone));
    assert_true(load(id).reblogs_count == 0);
    assert_true(exists(id));
}

/* ------------------------------------------------------------------------------------------ */
/* posts_context                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void test_context_lists_ancestors_oldest_first_and_descendants_in_thread_order(void **state)
{
    (void)state;
    int64_t root = post(ALICE, "root");
    int64_t a = reply(BOB, root, "a");   /* first answer */
    int64_t b = reply(CAROL, root, "b"); /* second answer */
    int64_t a1 = reply(ALICE, a, "a1");  /* answer to a */
    int64_t a1x = reply(BOB, a1, "a1x"); /* deeper */
    int64_t a2 = reply(DAVE, a, "a2");   /* second answer to a, after a1 */
    int64_t b1 = reply(ALICE, b, "b1");

    int64_t *anc, *desc;
    int na, nd;
    ok(posts_context(req(), id_of[ERIN], root, &anc, &na, &desc, &nd));
    assert_int_equal(na, 0);
    check_ids(desc, nd, (const int64_t[]){a, a1, a1x, a2, b, b1, 0});

    ok(posts_context(req(), id_of[ERIN], a1x, &anc, &na, &desc, &nd));
    check_ids(anc, na, (const int64_t[]){root, a, a1, 0});
    assert_int_equal(nd, 0);

    ok(posts_context(req(), id_of[ERIN], a, &anc, &na, &desc, &nd));
    check_ids(anc, na, (const int64_t[]){root, 0});
    check_ids(desc, nd, (const int64_t[]){a1, a1x, a2, 0});
}

static void test_context_of_an_invisible_post_is_not_found(void **state)
{
    (void)state;
    int64_t id = post_vis(ALICE, VIS_PRIVATE, "shh");
    int64_t *anc, *desc;
    int na, nd;
    assert_int_equal(posts_context(req(), id_of[BOB], id, &anc, &na, &desc, &nd), PL_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Home feeds with big accounts                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Dave becomes big (threshold 2, three followers) while Alice (one follower) stays
 * ordinary; Bob follows both. Returns their posts, interleaved in time: p1 d1 p2 d2. */
static void big_world(int64_t *p1, int64_t *d1, int64_t *p2, int64_t *d2)
{
    F.cfg.fanout_threshold = 2;
    follow(BOB, ALICE);
    follow(BOB, DAVE);
    follow(CAROL, DAVE);
    follow(ERIN, DAVE);
    assert_true(account(DAVE).is_big);
    assert_false(account(ALICE).is_big);
    *p1 = post(ALICE, "p1");
    *d1 = post(DAVE, "d1");
    *p2 = post(ALICE, "p2");
    *d2 = post(DAVE, "d2");
}

static void test_big_accounts_posts_are_not_copied_into_follower_feeds(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    drain_fanout();
    pl_idlist l;
    pl_page p = {.limit = 40};
    assert_int_equal(store_timeline_page(F.d, id_of[BOB], &p, &F.a, &l), PL_OK);
    assert_ids(&l, p2, p1);
    assert_int_equal(store_timeline_page(F.d, id_of[DAVE], &p, &F.a, &l), PL_OK);
    assert_ids(&l, d2, d1);
}

static void test_home_merges_a_big_accounts_posts_in_time_order(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    pl_idlist l = home(BOB);
    assert_ids(&l, d2, p2, d1, p1);
    l = home(CAROL); /* follows only Dave */
    assert_ids(&l, d2, d1);
}

static void test_home_pages_across_the_merge(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    pl_idlist l = home_page(BOB, (pl_page){.limit = 2});
    assert_ids(&l, d2, p2);
    l = home_page(BOB, (pl_page){.max_id = p2, .limit = 2});
    assert_ids(&l, d1, p1);
    l = home_page(BOB, (pl_page){.since_id = d1, .limit = 5});
    assert_ids(&l, d2, p2);
    l = home_page(BOB, (pl_page){.min_id = p1, .limit = 2});
    assert_ids(&l, p2, d1);
    l = home_page(BOB, (pl_page){.min_id = d1, .limit = 2});
    assert_ids(&l, d2, p2);
}

/* Two big accounts (threshold 1): Dave and Erin, both followed by Bob and Carol; Alice stays
 * ordinary and fills Bob's materialized feed. A full page asks both big accounts for the
 * window above its oldest entry in one query; the page is still in time order. */
static void test_home_merges_two_big_accounts_into_a_full_page(void **state)
{
    (void)state;
    F.cfg.fanout_threshold = 1;
    follow(BOB, ALICE);
    follow(BOB, DAVE);
    follow(CAROL, DAVE);
    follow(BOB, ERIN);
    follow(CAROL, ERIN);
    assert_true(account(DAVE).is_big && account(ERIN).is_big);
    assert_false(account(ALICE).is_big);
    int64_t old_e = post(ERIN, "e0"); /* before the page's window: not in it */
    int64_t a1 = post(ALICE, "a1"), d1 = post(DAVE, "d1"), a2 = post(ALICE, "a2");
    int64_t e1 = post(ERIN, "e1"), a3 = post(ALICE, "a3"), d2 = post(DAVE, "d2");
    drain_fanout();
    pl_idlist l = home_page(BOB, (pl_page){.limit = 3});
    assert_ids(&l, d2, a3, e1);
    l = home_page(BOB, (pl_page){.max_id = e1, .limit = 3});
    assert_ids(&l, a2, d1, a1);
    l = home_page(BOB, (pl_page){.max_id = a1, .limit = 3});
    assert_ids(&l, old_e);
}

static void
test_home_merge_keeps_a_big_accounts_thread_and_drops_its_replies_to_strangers(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    int64_t e = post(ERIN, "erin's post"); /* Bob does not follow Erin */
    int64_t self = reply(DAVE, d2, "more on d2");
    int64_t to_erin = reply(DAVE, e, "@erin agreed");
    pl_idlist l = home(BOB);
    assert_true(has(&l, self));
    assert_false(has(&l, to_erin));
}

static void test_home_merge_shows_a_big_accounts_private_posts_to_followers_only(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    int64_t priv = post_vis(DAVE, VIS_PRIVATE, "followers only");
    pl_idlist l = home(BOB);
    assert_true(has(&l, priv));
    ok(graph_unfollow(req(), id_of[BOB], id_of[DAVE]));
    l = home(BOB);
    assert_false(has(&l, priv));
    assert_false(has(&l, d1));
}

static void test_trim_steps_bound_every_home_feed_to_timeline_keep(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    for (int i = 0; i < 6; i++) post(ALICE, "again");
    F.cfg.timeline_keep = 0; /* off */
    int64_t cursor = 0;
    ok(feeds_trim_step(req(), &cursor, 100));
    assert_int_equal(home(BOB).n, 6);
    F.cfg.timeline_keep = 4;
    int steps = 0;
    do {
        ok(feeds_trim_step(req(), &cursor, 2));
        steps++;
    } while (cursor != 0 && steps < 100);
    assert_true(steps >= N_PEOPLE / 2);
    assert_int_equal(home(BOB).n, 4);
    assert_int_equal(home(ALICE).n, 4);
}

/* ------------------------------------------------------------------------------------------ */
/* Mutes                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void test_mute_hides_from_home_but_not_from_the_accounts_own_page(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    follow(BOB, CAROL);
    int64_t a1 = post(ALICE, "a1");
    int64_t rb;
    ok(engage_reblog(req(), id_of[CAROL], a1, VIS_PUBLIC, &rb));
    int64_t c1 = post(CAROL, "c1");
    ok(graph_mute(req(), id_of[BOB], id_of[ALICE], true, 0));

    pl_idlist l = home(BOB);
    assert_ids(&l, c1); /* Alice's post and Carol's reblog of it are hidden */

    pl_page p = {.limit = 40};
    ok(feeds_account(req(), id_of[BOB], id_of[ALICE], false, false, &p, &l));
    assert_ids(&l, a1);
    pl_status s;
    ok(posts_get(req(), id_of[BOB], a1, &s));

    ok(graph_unmute(req(), id_of[BOB], id_of[ALICE]));
    l = home(BOB);
    assert_ids(&l, c1, rb, a1);
}

static void test_mute_hides_from_the_public_feed_too(void **state)
{
    (void)state;
    int64_t a1 = post(ALICE, "a1");
    int64_t c1 = post(CAROL, "c1");
    ok(graph_mute(req(), id_of[BOB], id_of[ALICE], false, 0));
    pl_page p = {.limit = 40};
    pl_idlist l;
    ok(feeds_public(req(), id_of[BOB], &p, &l));
    assert_true(has(&l, c1));
    assert_false(has(&l, a1));
}

static void test_mute_with_a_duration_ends_by_itself(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t a1 = post(ALICE, "a1");
    ok(graph_mute(req(), id_of[BOB], id_of[ALICE], true, 60));
    pl_idlist l = home(BOB);
    assert_false(has(&l, a1));
    F.now += 61 * 1000;
    l = home(BOB);
    assert_true(has(&l, a1));
}

/* ------------------------------------------------------------------------------------------ */
/* Engagement                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_favourite_is_idempotent_with_one_count_and_one_notification(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "like me");
    ok(engage_favourite(req(), id_of[BOB], id));
    ok(engage_favourite(req(), id_of[BOB], id));
    assert_true(load(id).favourites_count == 1);
    assert_int_equal(count_notifications(ALICE, "favourite"), 1);
    ok(engage_favourite(req(), id_of[CAROL], id));
    assert_true(load(id).favourites_count == 2);

    ok(engage_unfavourite(req(), id_of[BOB], id));
    ok(engage_unfavourite(req(), id_of[BOB], id));
    assert_true(load(id).favourites_count == 1);
    assert_int_equal(count_notifications(ALICE, "favourite"), 1); /* Bob's is withdrawn */
    assert_false(store_favourited(F.d, id_of[BOB], id));
}

static void test_favourite_of_a_reblog_favourites_the_original(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "original");
    int64_t rb;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb));
    ok(engage_favourite(req(), id_of[CAROL], rb));
    assert_true(load(id).favourites_count == 1);
    assert_true(load(rb).favourites_count == 0);
    assert_true(store_favourited(F.d, id_of[CAROL], id));
}

static void test_engaging_with_an_invisible_post_is_not_found(void **state)
{
    (void)state;
    int64_t id = post_vis(ALICE, VIS_PRIVATE, "followers only");
    int64_t rb;
    assert_int_equal(engage_favourite(req(), id_of[BOB], id), PL_ENOTFOUND);
    assert_int_equal(engage_bookmark(req(), id_of[BOB], id), PL_ENOTFOUND);
    assert_int_equal(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb), PL_ENOTFOUND);
    assert_int_equal(engage_favourite(req(), id_of[BOB], 99999), PL_ENOTFOUND);
    assert_true(load(id).favourites_count == 0);
}

static void test_reblog_is_idempotent_with_one_count(void **state)
{
    (void)state;
    follow(CAROL, BOB);
    int64_t id = post(ALICE, "share me");
    int64_t rb1 = 0, rb2 = 0;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb1));
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb2));
    assert_true(rb1 != 0 && rb1 == rb2);
    assert_true(load(id).reblogs_count == 1);
    assert_true(load(rb1).reblog_of_id == id);
    assert_true(account(BOB).statuses_count == 1);
    assert_int_equal(count_notifications(ALICE, "reblog"), 1);
    pl_idlist l = home(CAROL);
    assert_true(has(&l, rb1));

    ok(engage_unreblog(req(), id_of[BOB], id));
    ok(engage_unreblog(req(), id_of[BOB], id));
    assert_true(load(id).reblogs_count == 0);
    assert_false(exists(rb1));
    assert_true(account(BOB).statuses_count == 0);
    assert_int_equal(count_notifications(ALICE, "reblog"), 0);
    l = home(CAROL);
    assert_false(has(&l, rb1));
}

static void test_reblog_of_a_reblog_reblogs_the_original(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "share me");
    int64_t rb_bob, rb_carol;
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb_bob));
    ok(engage_reblog(req(), id_of[CAROL], rb_bob, VIS_PUBLIC, &rb_carol));
    assert_true(load(rb_carol).reblog_of_id == id);
    assert_true(load(id).reblogs_count == 2);
}

static void test_private_and_direct_posts_cannot_be_reblogged(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t priv = post_vis(ALICE, VIS_PRIVATE, "followers only");
    int64_t dm = post_vis(ALICE, VIS_DIRECT, "hi @bob");
    int64_t rb;
    assert_int_equal(engage_reblog(req(), id_of[BOB], priv, VIS_PUBLIC, &rb), PL_EFORBIDDEN);
    assert_int_equal(engage_reblog(req(), id_of[BOB], dm, VIS_PUBLIC, &rb), PL_EFORBIDDEN);
    assert_true(load(priv).reblogs_count == 0);
}

static void test_bookmark_is_idempotent_and_private_to_the_viewer(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "keep me");
    ok(engage_bookmark(req(), id_of[BOB], id));
    ok(engage_bookmark(req(), id_of[BOB], id));
    pl_page p = {.limit = 40};
    pl_idlist l;
    ok(feeds_bookmarks(req(), id_of[BOB], &p, &l));
    assert_ids(&l, id);
    ok(feeds_bookmarks(req(), id_of[CAROL], &p, &l));
    assert_int_equal(l.n, 0);
    assert_int_equal(count_notifications(ALICE, NULL), 0);
    ok(engage_unbookmark(req(), id_of[BOB], id));
    ok(engage_unbookmark(req(), id_of[BOB], id));
    ok(feeds_bookmarks(req(), id_of[BOB], &p, &l));
    assert_int_equal(l.n, 0);
}

static void test_view_reports_the_viewers_own_flags(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "flags");
    int64_t rb;
    ok(engage_favourite(req(), id_of[BOB], id));
    ok(engage_bookmark(req(), id_of[BOB], id));
    ok(engage_reblog(req(), id_of[BOB], id, VIS_PUBLIC, &rb));
    pl_status_view v;
    ok(posts_view_id(req(), id_of[BOB], id, &v));
    assert_true(v.favourited && v.bookmarked && v.reblogged);
    assert_string_equal(v.account->username, "alice");
    ok(posts_view_id(req(), id_of[CAROL], id, &v));
    assert_false(v.favourited || v.bookmarked || v.reblogged);
    ok(posts_view_id(req(), id_of[CAROL], rb, &v));
    assert_non_null(v.reblog);
    assert_true(v.reblog->st.id == id);
}

/* ------------------------------------------------------------------------------------------ */
/* notify_push                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void test_notify_push_records_a_notification(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "x");
    ok(notify_push(req(), id_of[ALICE], id_of[BOB], "favourite", id));
    pl_notification *ns;
    assert_int_equal(notifications(ALICE, NULL, &ns), 1);
    assert_string_equal(ns[0].type, "favourite");
    assert_true(ns[0].from_account_id == id_of[BOB]);
    assert_true(ns[0].status_id == id);
}

static void test_notify_push_skips_oneself(void **state)
{
    (void)state;
    int64_t id = post(ALICE, "x");
    ok(notify_push(req(), id_of[ALICE], id_of[ALICE], "favourite", id));
    ok(engage_favourite(req(), id_of[ALICE], id));
    assert_int_equal(count_notifications(ALICE, NULL), 0);
}

static void test_notify_push_skips_someone_the_recipient_blocks(void **state)
{
    (void)state;
    ok(graph_block(req(), id_of[ALICE], id_of[BOB]));
    ok(notify_push(req(), id_of[ALICE], id_of[BOB], "follow", 0));
    assert_int_equal(count_notifications(ALICE, NULL), 0);
}

static void test_notify_push_skips_a_mute_that_hides_notifications_only(void **state)
{
    (void)state;
    ok(graph_mute(req(), id_of[ALICE], id_of[BOB], true, 0));
    ok(graph_mute(req(), id_of[ALICE], id_of[CAROL], false, 0));
    ok(notify_push(req(), id_of[ALICE], id_of[BOB], "follow", 0));
    ok(notify_push(req(), id_of[ALICE], id_of[CAROL], "follow", 0));
    pl_notification *ns;
    assert_int_equal(notifications(ALICE, NULL, &ns), 1);
    assert_true(ns[0].from_account_id == id_of[CAROL]);
}

static void test_notify_push_resumes_when_a_mute_expires(void **state)
{
    (void)state;
    ok(graph_mute(req(), id_of[ALICE], id_of[BOB], true, 10));
    ok(notify_push(req(), id_of[ALICE], id_of[BOB], "follow", 0));
    assert_int_equal(count_notifications(ALICE, NULL), 0);
    F.now += 11 * 1000;
    ok(notify_push(req(), id_of[ALICE], id_of[BOB], "follow", 0));
    assert_int_equal(count_notifications(ALICE, NULL), 1);
}

static void test_follow_notifies_and_mention_of_someone_who_cannot_see_does_not(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    assert_int_equal(count_notifications(ALICE, "follow"), 1);
    /* a followers-only post mentioning a stranger still reaches them (mentioned = audience) */
    post_vis(ALICE, VIS_PRIVATE, "hi @carol");
    assert_int_equal(count_notifications(CAROL, "mention"), 1);
    /* but someone the author blocks hears nothing */
    ok(graph_block(req(), id_of[ALICE], id_of[DAVE]));
    post(ALICE, "hi @dave");
    assert_int_equal(count_notifications(DAVE, "mention"), 0);
}

static void test_markers_accept_home_and_notifications_only(void **state)
{
    (void)state;
    pl_marker m;
    assert_int_equal(markers_set(req(), id_of[ALICE], "public", 5), PL_EINVAL);
    assert_int_equal(markers_get(req(), id_of[ALICE], "home", &m), PL_ENOTFOUND);
    ok(markers_set(req(), id_of[ALICE], "home", 5));
    ok(markers_set(req(), id_of[ALICE], "home", 9));
    ok(markers_get(req(), id_of[ALICE], "home", &m));
    assert_true(m.last_read_id == 9);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

static void test_account_becomes_big_only_with_more_followers_than_the_threshold(void **state)
{
    (void)state;
    F.cfg.fanout_threshold = 2;
    follow(BOB, DAVE);
    assert_false(account(DAVE).is_big);
    follow(CAROL, DAVE);
    assert_false(account(DAVE).is_big);
    follow(ERIN, DAVE);
    assert_true(account(DAVE).is_big);
}

static void test_home_merge_hides_reblogs_of_a_big_account_followed_without_reblogs(void **state)
{
    (void)state;
    F.cfg.fanout_threshold = 2;
    ok(graph_follow(req(), id_of[BOB], id_of[DAVE], 0, -1));
    follow(CAROL, DAVE);
    follow(ALICE, DAVE);
    assert_true(account(DAVE).is_big);
    int64_t orig = post(ERIN, "erin's post");
    int64_t rb;
    ok(engage_reblog(req(), id_of[DAVE], orig, VIS_PUBLIC, &rb));
    pl_idlist l = home(BOB);
    assert_false(has(&l, rb));
    l = home(CAROL);
    assert_true(has(&l, rb));
}

static void test_home_merge_keeps_a_big_accounts_reply_to_someone_the_viewer_follows(void **state)
{
    (void)state;
    F.cfg.fanout_threshold = 2;
    follow(BOB, ALICE);
    follow(BOB, DAVE);
    follow(CAROL, DAVE);
    follow(ERIN, DAVE);
    assert_true(account(DAVE).is_big);
    assert_false(account(ALICE).is_big);
    int64_t a = post(ALICE, "question");
    int64_t r = reply(DAVE, a, "@alice answer");
    pl_idlist l = home(BOB);
    assert_true(has(&l, r));
}

/* A page newer than since_id (the top feed's and catch-up's window over home) asks no big
 * account whose last post is older than since_id: their number grows with the company, the
 * window's posts do not (issue 10, item 29). The page is the same as before. */
static void test_home_since_asks_no_big_account_that_has_not_posted_since(void **state)
{
    (void)state;
    int64_t p1, d1, p2, d2;
    big_world(&p1, &d1, &p2, &d2);
    F.now += 1000;
    int64_t p3 = post(ALICE, "p3");
    drain_fanout();
    const char *by_account = "FROM statuses WHERE account_id = ? AND (? = 0 OR in_reply_to_id";
    long before = db_statement_runs(F.d, by_account);
    pl_idlist l = home_page(BOB, (pl_page){.since_id = id_floor_for_ms(F.now - 500), .limit = 20});
    assert_ids(&l, p3);
    assert_int_equal(db_statement_runs(F.d, by_account) - before, 0);
    /* a window Dave posted in still asks him */
    l = home_page(BOB, (pl_page){.since_id = p1, .limit = 20});
    assert_ids(&l, p3, d2, p2, d1);
    assert_int_equal(db_statement_runs(F.d, by_account) - before, 1);
}

static bool in_feed(int who, int64_t id)
{
    pl_idlist l;
    pl_page p = {.limit = 40};
    assert_int_equal(store_timeline_page(F.d, id_of[who], &p, &F.a, &l), PL_OK);
    return has(&l, id);
}

static void test_a_large_fanout_is_queued_and_done_in_chunks_after_the_post(void **state)
{
    (void)state;
    F.cfg.fanout_inline = 1; /* more than one follower: queued */
    follow(BOB, ALICE);
    follow(CAROL, ALICE);
    follow(DAVE, ALICE);
    int64_t id = post(ALICE, "to many");
    assert_true(in_feed(ALICE, id)); /* the author sees it at once */
    assert_false(in_feed(BOB, id));
    assert_false(in_feed(CAROL, id));
    bool more = true;
    int steps = 0;
    while (more) {
        ok(feeds_fanout_step(req(), 1, &more)); /* one follower per step */
        steps++;
    }
    assert_true(steps >= 3);
    assert_true(in_feed(BOB, id));
    assert_true(in_feed(CAROL, id));
    assert_true(in_feed(DAVE, id));
    F.cfg.fanout_inline = 16;
}

static void test_a_small_fanout_is_done_with_the_post(void **state)
{
    (void)state;
    follow(BOB, ALICE);
    int64_t id = post(ALICE, "to a few");
    assert_true(in_feed(BOB, id)); /* no step needed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_stores_the_post_and_counts_it),
        T(test_create_lands_in_the_feeds_of_the_author_and_followers),
        T(test_create_direct_post_lands_in_the_feeds_of_those_mentioned),
        T(test_create_uses_the_authors_defaults),
        T(test_create_with_a_content_warning_is_sensitive),
        T(test_create_rejects_empty_or_blank_text),
        T(test_create_rejects_text_over_the_character_limit),
        T(test_create_counts_a_link_as_23_characters),
        T(test_create_rejects_invalid_utf8_text_and_content_warning),
        T(test_create_rejects_a_content_warning_over_its_limit),
        T(test_create_rejects_too_many_mentions_or_hashtags),
        T(test_create_rejects_a_reply_to_a_post_the_author_cannot_see),
        T(test_create_rejects_a_reply_to_a_reblog),
        T(test_reply_links_to_its_parent_and_counts),
        T(test_repeated_idempotency_key_returns_the_first_post),
        T(test_edit_keeps_every_version_oldest_first),
        T(test_edit_replaces_mentions_and_tags),
        T(test_edit_by_someone_else_is_refused),
        T(test_edit_with_invalid_text_changes_nothing),
        T(test_edit_tells_those_who_reblogged_it),
        T(test_delete_removes_the_post_and_its_reblogs),
        T(test_delete_by_someone_else_is_refused),
        T(test_delete_of_a_reply_uncounts_it_on_the_parent),
        T(test_deleting_a_reblog_directly_uncounts_it),
        T(test_context_lists_ancestors_oldest_first_and_descendants_in_thread_order),
        T(test_context_of_an_invisible_post_is_not_found),
        T(test_big_accounts_posts_are_not_copied_into_follower_feeds),
        T(test_home_merges_a_big_accounts_posts_in_time_order),
        T(test_home_pages_across_the_merge),
        T(test_home_merges_two_big_accounts_into_a_full_page),
        T(test_home_merge_keeps_a_big_accounts_thread_and_drops_its_replies_to_strangers),
        T(test_home_merge_shows_a_big_accounts_private_posts_to_followers_only),
        T(test_trim_steps_bound_every_home_feed_to_timeline_keep),
        T(test_mute_hides_from_home_but_not_from_the_accounts_own_page),
        T(test_mute_hides_from_the_public_feed_too),
        T(test_mute_with_a_duration_ends_by_itself),
        T(test_favourite_is_idempotent_with_one_count_and_one_notification),
        T(test_favourite_of_a_reblog_favourites_the_original),
        T(test_engaging_with_an_invisible_post_is_not_found),
        T(test_reblog_is_idempotent_with_one_count),
        T(test_reblog_of_a_reblog_reblogs_the_original),
        T(test_private_and_direct_posts_cannot_be_reblogged),
        T(test_bookmark_is_idempotent_and_private_to_the_viewer),
        T(test_view_reports_the_viewers_own_flags),
        T(test_notify_push_records_a_notification),
        T(test_notify_push_skips_oneself),
        T(test_notify_push_skips_someone_the_recipient_blocks),
        T(test_notify_push_skips_a_mute_that_hides_notifications_only),
        T(test_notify_push_resumes_when_a_mute_expires),
        T(test_follow_notifies_and_mention_of_someone_who_cannot_see_does_not),
        T(test_markers_accept_home_and_notifications_only),
        T(test_account_becomes_big_only_with_more_followers_than_the_threshold),
        T(test_a_large_fanout_is_queued_and_done_in_chunks_after_the_post),
        T(test_a_small_fanout_is_done_with_the_post),
        T(test_home_merge_hides_reblogs_of_a_big_account_followed_without_reblogs),
        T(test_home_merge_keeps_a_big_accounts_reply_to_someone_the_viewer_follows),
        T(test_home_since_asks_no_big_account_that_has_not_posted_since),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
