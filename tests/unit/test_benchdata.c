/*
 * test_benchdata.c — `partyline bench-data --engagements` (cli/benchdata.c) builds a company
 * with engagement that the influence computation (issue 15) can read as if the server had
 * grown it act by act: each kind of engagement in the number asked for, every count on the
 * posts and accounts the rows' own, each act's id of its moment and after its post, nothing
 * the server would have refused (a followers-only post liked by a non-follower, a private
 * channel's post boosted, a reply in a channel by a non-member), the feeds as fan-out fills
 * them, everyone signed in. And the shape: mostly to followed people and teammates, a few
 * people receiving much of it, some posts in channels, some followers-only, a few direct
 * messages. Two builds with the same sizes are the same company. SQLite only: bench-data
 * builds there, and `partyline migrate` carries a company to PostgreSQL.
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

#include "cli/cli.h"
#include "config.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/ids.h"

enum { PEOPLE = 150, POSTS = 8000, ENGAGEMENTS = 40000 };

/* builds 0 and 1: the same company twice; build 2 (SERVICE): with --service (issue 16) */
enum { SERVICE = 2, BUILDS };

static struct {
    char dir[BUILDS][64];
    db *d[BUILDS];
} g;

static arena A = ARENA_INIT;

/* The one integer a query answers, on build k. */
static int64_t ask_on(int k, const char *sql)
{
    db_stmt *s = db_prepare(g.d[k], sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_i64(s, 0);
    db_reset(s);
    return v;
}

static int64_t ask(const char *sql)
{
    return ask_on(0, sql);
}

/* The one text a query answers, on build k, in the arena. */
static const char *text_on(int k, const char *sql)
{
    db_stmt *s = db_prepare(g.d[k], sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    const char *t = arena_strdup(&A, db_col_is_null(s, 0) ? "" : db_col_text(s, 0));
    db_reset(s);
    return t;
}

static int build(int k)
{
    snprintf(g.dir[k], sizeof g.dir[k], "/tmp/pl-benchdata-XXXXXX");
    if (!mkdtemp(g.dir[k])) return -1;
    pl_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", g.dir[k]);
    char tokens[128], path[128], err[256];
    snprintf(tokens, sizeof tokens, "%s/tokens", g.dir[k]);
    id_gen ids;
    id_gen_init(&ids, 0);
    if (k == SERVICE) {
        if (cli_bench_data(&cfg, &ids, PEOPLE, POSTS, 0, tokens) ||
            cli_bench_service(&cfg, &ids, PEOPLE, POSTS, 0))
            return -1;
    } else if (cli_bench_data(&cfg, &ids, PEOPLE, POSTS, ENGAGEMENTS, tokens))
        return -1;
    snprintf(path, sizeof path, "%s/partyline.db", g.dir[k]);
    return db_open(path, 0, &g.d[k], err, sizeof err) ? -1 : 0;
}

static int group_setup(void **state)
{
    (void)state;
    return build(0) || build(1) || build(SERVICE) ? -1 : 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (int k = 0; k < BUILDS; k++) {
        if (g.d[k]) db_close(g.d[k]);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g.dir[k]);
        if (g.dir[k][0] && system(cmd)) return -1;
    }
    arena_free(&A);
    return 0;
}

#define REPLIES "statuses WHERE in_reply_to_id IS NOT NULL"
#define BOOSTS "statuses WHERE reblog_of_id IS NOT NULL"
#define DIRECT "statuses WHERE visibility = 3"
/* posts that name someone, not replies, not direct */
#define MENTIONS                                                                                   \
    "statuses WHERE in_reply_to_id IS NULL AND reblog_of_id IS NULL AND visibility <> 3 AND "      \
    "mentions_count > 0"
/* follows made after the first post (bench-data's others are made before it) */
#define NEW_FOLLOWS                                                                                \
    "follows f JOIN accounts t ON t.id = f.target_id AND t.is_group = 0 WHERE f.created_at > "     \
    "(SELECT min(created_at) FROM statuses)"

static void test_each_kind_adds_up_to_the_engagements_asked_for(void **state)
{
    (void)state;
    int64_t faves = ask("SELECT count(*) FROM favourites");
    int64_t boosts = ask("SELECT count(*) FROM " BOOSTS);
    int64_t replies = ask("SELECT count(*) FROM " REPLIES);
    int64_t mentions = ask("SELECT count(*) FROM " MENTIONS);
    int64_t follows = ask("SELECT count(*) FROM " NEW_FOLLOWS);
    int64_t pins = ask("SELECT count(*) FROM channel_pins");
    assert_int_equal(faves + boosts + replies + mentions + follows + pins, ENGAGEMENTS);
    /* each kind is there, favourites the most */
    assert_true(boosts > 0 && replies > 0 && mentions > 0 && follows > 0 && pins > 0);
    assert_true(faves > ENGAGEMENTS / 2);
    /* every pin names who pinned it: one of the channel's moderators */
    assert_int_equal(ask("SELECT count(*) FROM channel_pins p WHERE NOT EXISTS (SELECT 1 FROM "
                         "channel_roles r WHERE r.channel_id = p.channel_id AND r.account_id = "
                         "p.pinned_by)"),
                     0);
    /* and no channel has more pins than it may */
    assert_int_equal(ask("SELECT count(*) FROM (SELECT channel_id FROM channel_pins GROUP BY 1 "
                         "HAVING count(*) > 5)"),
                     0);
    /* the posts are as many as asked (bench-data's posts: not replies, boosts, mentions or
     * direct messages) */
    assert_int_equal(ask("SELECT count(*) FROM statuses WHERE in_reply_to_id IS NULL AND "
                         "reblog_of_id IS NULL AND mentions_count = 0"),
                     POSTS);
    /* a few direct messages, beside */
    int64_t direct = ask("SELECT count(*) FROM " DIRECT);
    assert_true(direct > 0 && direct < ENGAGEMENTS / 100);
    assert_int_equal(ask("SELECT count(*) FROM " DIRECT " AND NOT EXISTS (SELECT 1 FROM "
                         "conversation_statuses c WHERE c.status_id = statuses.id)"),
                     0);
}

static void test_the_counts_are_the_rows_own(void **state)
{
    (void)state;
    assert_int_equal(ask("SELECT count(*) FROM statuses s WHERE favourites_count <> (SELECT "
                         "count(*) FROM favourites f WHERE f.status_id = s.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM statuses s WHERE reblogs_count <> (SELECT "
                         "count(*) FROM statuses r WHERE r.reblog_of_id = s.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM statuses s WHERE replies_count <> (SELECT "
                         "count(*) FROM statuses r WHERE r.in_reply_to_id = s.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM statuses s WHERE mentions_count <> (SELECT "
                         "count(*) FROM status_mentions m WHERE m.status_id = s.id)"),
                     0);
    /* people: their statuses of every kind; channels: the statuses in them */
    assert_int_equal(ask("SELECT count(*) FROM accounts a WHERE is_group = 0 AND statuses_count "
                         "<> (SELECT count(*) FROM statuses s WHERE s.account_id = a.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM accounts a WHERE is_group = 1 AND statuses_count "
                         "<> (SELECT count(*) FROM statuses s WHERE s.channel_id = a.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM accounts a WHERE last_status_at IS NOT (SELECT "
                         "max(created_at) FROM statuses s WHERE s.account_id = a.id OR "
                         "s.channel_id = a.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM accounts a WHERE followers_count <> (SELECT "
                         "count(*) FROM follows f WHERE f.target_id = a.id) OR following_count "
                         "<> (SELECT count(*) FROM follows f WHERE f.account_id = a.id)"),
                     0);
    /* everyone has signed in, with their token */
    assert_int_equal(ask("SELECT count(*) FROM accounts a WHERE is_group = 0 AND signed_in_at "
                         "IS NOT (SELECT min(created_at) FROM tokens t WHERE t.account_id = "
                         "a.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM accounts WHERE is_group = 0 AND signed_in_at IS "
                         "NOT NULL"),
                     PEOPLE);
}

static void test_each_act_is_of_its_moment_after_its_post(void **state)
{
    (void)state;
    assert_int_equal(ask("SELECT count(*) FROM statuses WHERE (id >> 16) <> created_at"), 0);
    assert_int_equal(ask("SELECT count(*) FROM follows WHERE (id >> 16) <> created_at"), 0);
    assert_int_equal(ask("SELECT count(*) FROM favourites f JOIN statuses s ON s.id = "
                         "f.status_id WHERE f.id <= s.id"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM " REPLIES " AND NOT EXISTS (SELECT 1 FROM statuses "
                         "p WHERE p.id = statuses.in_reply_to_id AND p.id < statuses.id AND "
                         "p.account_id = statuses.in_reply_to_account_id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM " BOOSTS " AND NOT EXISTS (SELECT 1 FROM statuses "
                         "p WHERE p.id = statuses.reblog_of_id AND p.id < statuses.id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM channel_pins c JOIN statuses s ON s.id = "
                         "c.status_id WHERE c.created_at <= s.created_at OR s.channel_id <> "
                         "c.channel_id"),
                     0);
    /* a reply to someone else names them, as clients write it */
    assert_int_equal(ask("SELECT count(*) FROM " REPLIES " AND in_reply_to_account_id <> "
                         "account_id AND NOT EXISTS (SELECT 1 FROM status_mentions m WHERE "
                         "m.status_id = statuses.id AND m.account_id = "
                         "statuses.in_reply_to_account_id)"),
                     0);
    /* the engagements span the last ~120 days */
    int64_t first = ask("SELECT min(created_at) FROM " REPLIES);
    int64_t last = ask("SELECT max(created_at) FROM " REPLIES);
    assert_true(last - first > 110LL * 86400000 && last - first <= 120LL * 86400000);
    assert_true(ask("SELECT min(f.created_at) FROM " NEW_FOLLOWS) >= last - 120LL * 86400000);
}

static void test_nothing_the_server_would_have_refused(void **state)
{
    (void)state;
    /* a followers-only post is acted on only by its followers (or its author) */
    assert_int_equal(ask("SELECT count(*) FROM favourites f JOIN statuses s ON s.id = "
                         "f.status_id WHERE s.visibility = 2 AND s.account_id <> f.account_id AND "
                         "NOT EXISTS (SELECT 1 FROM follows x WHERE x.account_id = f.account_id "
                         "AND x.target_id = s.account_id)"),
                     0);
    assert_int_equal(ask("SELECT count(*) FROM statuses r JOIN statuses s ON s.id = "
                         "r.in_reply_to_id WHERE s.visibility = 2 AND s.account_id <> "
                         "r.account_id AND NOT EXISTS (SELECT 1 FROM follows x WHERE x.account_id "
                         "= r.account_id AND x.target_id = s.account_id)"),
                     0);
    /* only public, unlisted and company posts are boosted, none of a private channel */
    assert_int_equal(ask("SELECT count(*) FROM statuses b JOIN statuses s ON s.id = "
                         "b.reblog_of_id LEFT JOIN channels c ON c.account_id = s.channel_id "
                         "WHERE s.visibility NOT IN (0, 1, 4) OR c.is_private = 1"),
                     0);
    /* a private channel's posts are acted on by its members only */
    assert_int_equal(ask("SELECT count(*) FROM favourites f JOIN statuses s ON s.id = "
                         "f.status_id JOIN channels c ON c.account_id = s.channel_id AND "
                         "c.is_private = 1 WHERE NOT EXISTS (SELECT 1 FROM follows x WHERE "
                         "x.account_id = f.account_id AND x.target_id = c.account_id)"),
                     0);
    /* a reply stays in its post's channel, and is a member's */
    assert_int_equal(ask("SELECT count(*) FROM statuses r JOIN statuses s ON s.id = "
                         "r.in_reply_to_id WHERE r.channel_id IS NOT s.channel_id OR "
                         "(s.channel_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM follows x "
                         "WHERE x.account_id = r.account_id AND x.target_id = s.channel_id))"),
                     0);
    /* a channel's posts are never followers-only (channels_place_post) */
    assert_int_equal(
        ask("SELECT count(*) FROM statuses WHERE channel_id IS NOT NULL AND visibility = 2"), 0);
}

static void test_the_feeds_hold_what_fan_out_gives(void **state)
{
    (void)state;
    /* another's status in a feed: someone the owner follows, or a direct message to them */
    assert_int_equal(ask("SELECT count(*) FROM timeline t JOIN statuses s ON s.id = t.status_id "
                         "WHERE s.account_id <> t.account_id AND NOT (s.visibility = 3 AND "
                         "EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = s.id AND "
                         "m.account_id = t.account_id)) AND NOT (s.visibility <> 3 AND EXISTS "
                         "(SELECT 1 FROM follows f WHERE f.account_id = t.account_id AND "
                         "f.target_id = s.account_id))"),
                     0);
    /* a reply only to those who follow whom it answers */
    assert_int_equal(ask("SELECT count(*) FROM timeline t JOIN statuses s ON s.id = t.status_id "
                         "WHERE s.in_reply_to_id IS NOT NULL AND s.account_id <> t.account_id "
                         "AND s.in_reply_to_account_id NOT IN (s.account_id, t.account_id) AND "
                         "NOT EXISTS (SELECT 1 FROM follows f WHERE f.account_id = t.account_id "
                         "AND f.target_id = s.in_reply_to_account_id)"),
                     0);
    /* a private channel's posts only to their author */
    assert_int_equal(ask("SELECT count(*) FROM timeline t JOIN statuses s ON s.id = t.status_id "
                         "JOIN channels c ON c.account_id = s.channel_id AND c.is_private = 1 "
                         "WHERE s.account_id <> t.account_id"),
                     0);
    /* boosts, replies and direct messages are among them */
    assert_true(ask("SELECT count(*) FROM timeline t JOIN " BOOSTS " AND id = t.status_id") > 0);
    assert_true(ask("SELECT count(*) FROM timeline t JOIN " REPLIES " AND id = t.status_id") > 0);
    assert_true(ask("SELECT count(*) FROM timeline t JOIN " DIRECT " AND id = t.status_id") > 0);
}

static void test_shaped_like_a_company(void **state)
{
    (void)state;
    /* most favourites go to people one follows or to teammates (user numbers / 50) */
    int64_t faves = ask("SELECT count(*) FROM favourites");
    int64_t near = ask(
        "SELECT count(*) FROM favourites f JOIN statuses s ON s.id = f.status_id JOIN accounts a "
        "ON a.id = f.account_id JOIN accounts b ON b.id = s.account_id WHERE EXISTS (SELECT 1 "
        "FROM follows x WHERE x.account_id = a.id AND x.target_id = b.id) OR "
        "CAST(substr(a.username, 5) AS INTEGER) / 50 = CAST(substr(b.username, 5) AS INTEGER) / "
        "50");
    assert_true(near > faves * 8 / 10);
    /* a few people receive much of it: the top tenth of the people over a quarter (at 2,000
     * people: a tenth receive ~48%, a hundredth ~20%) */
    int64_t top = ask("SELECT sum(n) FROM (SELECT count(*) n FROM favourites f JOIN statuses s ON "
                      "s.id = f.status_id GROUP BY s.account_id ORDER BY n DESC LIMIT 15)");
    assert_true(top * 4 > faves);
    /* and a few give much of it */
    int64_t givers = ask("SELECT sum(n) FROM (SELECT count(*) n FROM favourites GROUP BY "
                         "account_id ORDER BY n DESC LIMIT 15)");
    assert_true(givers * 4 > faves);
    /* some posts in channels (some private), some followers-only, some with hashtags */
    int64_t in_channels = ask("SELECT count(*) FROM statuses WHERE channel_id IS NOT NULL");
    assert_true(in_channels > POSTS / 20 && in_channels < POSTS / 4);
    assert_true(ask("SELECT count(*) FROM statuses s JOIN channels c ON c.account_id = "
                    "s.channel_id AND c.is_private = 1") > 0);
    assert_true(ask("SELECT count(*) FROM statuses WHERE visibility = 2") > POSTS / 50);
    assert_true(ask("SELECT count(DISTINCT status_id) FROM status_tags") > POSTS / 10);
    /* some self-favourites, which influence must ignore, and few */
    int64_t self = ask("SELECT count(*) FROM favourites f JOIN statuses s ON s.id = f.status_id "
                       "WHERE s.account_id = f.account_id");
    assert_true(self > 0 && self < faves / 50);
}

static void test_the_same_company_twice(void **state)
{
    (void)state;
    /* who did what to whom, how long after the post: the same in both builds */
    const char *q[] = {
        "SELECT group_concat(x, ',') FROM (SELECT a.username || '>' || b.username || '+' || "
        "((f.id >> 16) - s.created_at) x FROM favourites f JOIN statuses s ON s.id = f.status_id "
        "JOIN accounts a ON a.id = f.account_id JOIN accounts b ON b.id = s.account_id ORDER BY "
        "f.id)",
        "SELECT group_concat(x, ',') FROM (SELECT a.username || ':' || r.text || '+' || "
        "(r.created_at - s.created_at) x FROM statuses r JOIN statuses s ON s.id = "
        "coalesce(r.in_reply_to_id, r.reblog_of_id) JOIN accounts a ON a.id = r.account_id "
        "ORDER BY r.id)",
        "SELECT group_concat(x, ',') FROM (SELECT a.username || '>' || b.username x FROM "
        "follows f JOIN accounts a ON a.id = f.account_id JOIN accounts b ON b.id = f.target_id "
        "ORDER BY f.id)",
        "SELECT group_concat(x, ',') FROM (SELECT username || ':' || statuses_count || ':' || "
        "followers_count || ':' || following_count x FROM accounts ORDER BY username)",
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        assert_string_equal(text_on(0, q[i]), text_on(1, q[i]));
    assert_int_equal(ask_on(0, "SELECT count(*) FROM timeline"),
                     ask_on(1, "SELECT count(*) FROM timeline"));
}

/* --service: a service team of two teams, tickets (one per 200 posts, at least 20) in several
 * states with their system entries, answers and notes, each step of its moment; 1,000 watches
 * whose matches the buckets count; a few alerts */
static void test_service_tickets_and_watches(void **state)
{
    (void)state;
    int k = SERVICE;
    assert_in_range(ask_on(k, "SELECT count(*) FROM service_team WHERE on_team = 1"), 2, 40);
    assert_int_equal(ask_on(k, "SELECT count(DISTINCT team) FROM service_team"), 2);
    int64_t tickets = ask_on(k, "SELECT count(*) FROM tickets");
    assert_int_equal(tickets, POSTS / 200);
    /* from the form (the root's audience "ticket") and from posts (public roots) */
    assert_true(ask_on(k, "SELECT count(*) FROM tickets t JOIN statuses s ON s.id = "
                          "t.root_status_id WHERE s.visibility = 6") > 0);
    assert_true(ask_on(k, "SELECT count(*) FROM tickets t JOIN statuses s ON s.id = "
                          "t.root_status_id WHERE s.visibility = 0") > 0);
    /* closed ones and open ones; the worked ones assigned to a team member */
    assert_true(ask_on(k, "SELECT count(*) FROM tickets WHERE state = 4") > tickets / 2);
    assert_true(ask_on(k, "SELECT count(*) FROM tickets WHERE state < 3") > 0);
    assert_int_equal(ask_on(k, "SELECT count(*) FROM tickets t WHERE assignee_id IS NOT NULL AND "
                               "NOT EXISTS (SELECT 1 FROM service_team s WHERE s.account_id = "
                               "t.assignee_id AND s.on_team = 1)"),
                     0);
    /* system entries, internal notes, answers: each after its ticket opened, its id of its
     * moment */
    assert_true(ask_on(k, "SELECT count(*) FROM ticket_posts WHERE is_system = 1") > tickets);
    assert_true(ask_on(k, "SELECT count(*) FROM statuses WHERE visibility = 7") > 0);
    assert_true(ask_on(k, "SELECT count(*) FROM tickets WHERE first_response_at IS NOT NULL") >
                tickets / 2);
    assert_int_equal(
        ask_on(k, "SELECT count(*) FROM ticket_posts p JOIN tickets t ON t.id = "
                  "p.ticket_id JOIN statuses s ON s.id = p.status_id WHERE p.status_id <> "
                  "t.root_status_id AND ("
                  "s.created_at < t.created_at OR s.created_at > t.updated_at + "
                  "3 * 86400000 OR (s.id >> 16) - s.created_at NOT BETWEEN 0 AND "
                  "1000)"),
        0);
    assert_int_equal(ask_on(k, "SELECT count(*) FROM tickets WHERE first_response_at < created_at "
                               "OR resolved_at < created_at OR (state >= 3) <> (resolved_at IS "
                               "NOT NULL)"),
                     0);
    /* the watches, every match counted once in its watch's buckets, none its owner may not see */
    assert_int_equal(ask_on(k, "SELECT count(*) FROM watches"), 1000);
    int64_t matches = ask_on(k, "SELECT count(*) FROM watch_matches");
    assert_true(matches > POSTS);
    assert_int_equal(ask_on(k, "SELECT sum(count) FROM watch_buckets"), matches);
    assert_int_equal(ask_on(k, "SELECT count(*) FROM watch_matches m JOIN watches w ON w.id = "
                               "m.watch_id JOIN statuses s ON s.id = m.status_id WHERE "
                               "s.visibility = 2 AND s.account_id <> w.account_id AND NOT EXISTS "
                               "(SELECT 1 FROM follows f WHERE f.account_id = w.account_id AND "
                               "f.target_id = s.account_id)"),
                     0);
    assert_true(ask_on(k, "SELECT count(*) FROM watch_alerts") > 0);
    /* and the watches' running counts (migration 061) are those rows' */
    assert_int_equal(ask_on(k, "SELECT sum(match_count) FROM watches"), matches);
    assert_int_equal(ask_on(k, "SELECT sum(count) FROM watch_authors"), matches);
    assert_int_equal(ask_on(k, "SELECT count(*) FROM watches w WHERE match_count <> (SELECT "
                               "count(*) FROM watch_matches m WHERE m.watch_id = w.id) OR "
                               "alert_count <> (SELECT count(*) FROM watch_alerts a WHERE "
                               "a.watch_id = w.id)"),
                     0);
    assert_int_equal(ask_on(k, "SELECT sum(negative) FROM watch_buckets"),
                     ask_on(k, "SELECT count(*) FROM watch_matches WHERE tone_milli <= -200"));
    assert_int_equal(ask_on(k, "SELECT sum(positive) FROM watch_buckets"),
                     ask_on(k, "SELECT count(*) FROM watch_matches WHERE tone_milli >= 200"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_adds_up_to_the_engagements_asked_for),
        cmocka_unit_test(test_the_counts_are_the_rows_own),
        cmocka_unit_test(test_each_act_is_of_its_moment_after_its_post),
        cmocka_unit_test(test_nothing_the_server_would_have_refused),
        cmocka_unit_test(test_the_feeds_hold_what_fan_out_gives),
        cmocka_unit_test(test_shaped_like_a_company),
        cmocka_unit_test(test_the_same_company_twice),
        cmocka_unit_test(test_service_tickets_and_watches),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
