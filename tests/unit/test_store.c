/*
 * test_store.c — unit tests for src/store over a real database: SQLite by default, PostgreSQL
 * when PARTYLINE_TEST_DATABASE names a server (see test_db.h; `make test-unit-pg`).
 *
 * One temporary database is created and migrated for the whole file. Each test
 * runs inside a transaction that its teardown rolls back, so tests never see each other's
 * rows and may reuse small, readable ids (accounts 1..9, statuses 100+). The migration
 * tests open databases of their own.
 *
 * Where the store's contract is about rows disappearing (delete cascades), the tests look
 * at the tables directly through db.h.
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

#include "store/accounts.h"
#include "store/auth.h"
#include "store/channels.h"
#include "store/engage.h"
#include "store/graph.h"
#include "store/lists.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "store/notify.h"
#include "store/polls.h"
#include "store/posts.h"
#include "store/query.h"
#include "store/timeline.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

/* ------------------------------------------------------------------------------------------ */
/* Fixture                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static struct {
    char dir[64];
    char path[512]; /* what db_open takes: a file path or a postgres:// URL */
    db *d;
} g;

static arena A = ARENA_INIT;

enum { ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, ERIN = 5 };
#define T0 1795687315123LL

static int group_setup(void **state)
{
    (void)state;
    return test_db_open_migrated("/tmp/pl-store-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "test.db", g.d);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    db_events_clear(g.d); /* each test sees the events it caused */
    return db_begin(g.d) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_rollback(g.d);
    arena_free(&A);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static pl_account account(int64_t id, const char *username, const char *email)
{
    return (pl_account){.id = id,
                        .username = username,
                        .email = email,
                        .display_name = username,
                        .password_hash = "hash",
                        .is_discoverable = true,
                        .is_approved = true,
                        .created_at = T0};
}

static void add_account(int64_t id, const char *username)
{
    char *email = arena_printf(&A, "%s@example.com", username);
    pl_account a = account(id, username, email);
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
}

/* The five people most tests use. */
static void add_people(void)
{
    add_account(ALICE, "alice");
    add_account(BOB, "bob");
    add_account(CAROL, "carol");
    add_account(DAVE, "dave");
    add_account(ERIN, "erin");
}

static pl_status status(int64_t id, int64_t author, int visibility)
{
    return (pl_status){.id = id,
                       .account_id = author,
                       .visibility = visibility,
                       .text = "hello",
                       .content = "<p>hello</p>",
                       .created_at = T0 + id};
}

static void add_status(int64_t id, int64_t author, int visibility)
{
    pl_status s = status(id, author, visibility);
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static void add_reply(int64_t id, int64_t author, int64_t parent, int64_t parent_author)
{
    pl_status s = status(id, author, VIS_PUBLIC);
    s.in_reply_to_id = parent;
    s.in_reply_to_account_id = parent_author;
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static void add_reblog(int64_t id, int64_t who, int64_t of)
{
    pl_status s = status(id, who, VIS_PUBLIC);
    s.reblog_of_id = of;
    s.text = s.content = "";
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
}

static void follow(int64_t follow_id, int64_t who, int64_t whom)
{
    assert_int_equal(store_follow_insert(g.d, follow_id, who, whom, true, false, T0), PL_OK);
}

/* Runs "SELECT count(*) … WHERE x = ?" (a string literal, cached by address). */
static int64_t count_where(const char *sql, int64_t v)
{
    db_stmt *s = db_prepare(g.d, sql);
    assert_non_null(s);
    db_bind_i64(s, 1, v);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

static pl_page page(int64_t max_id, int64_t since_id, int64_t min_id, int limit)
{
    return (pl_page){.max_id = max_id, .since_id = since_id, .min_id = min_id, .limit = limit};
}

/* Asserts a list holds exactly the given ids, in order. */
#define assert_ids(list, ...)                                                                      \
    do {                                                                                           \
        const int64_t want_[] = {__VA_ARGS__, 0};                                                  \
        check_ids((list)->ids, (list)->n, want_);                                                  \
    } while (0)

static void check_ids(const int64_t *got, int n, const int64_t *want)
{
    int nw = 0;
    while (want[nw]) nw++;
    bool same = n == nw;
    for (int i = 0; same && i < n; i++) same = got[i] == want[i];
    if (same) return;
    char msg[512];
    int k = snprintf(msg, sizeof msg, "got [");
    for (int i = 0; i < n && k < 400; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)got[i]);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "] want [");
    for (int i = 0; i < nw && k < 480; i++)
        k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%lld", i ? "," : "", (long long)want[i]);
    snprintf(msg + k, sizeof msg - (size_t)k, "]");
    fail_msg("%s", msg);
}

static void assert_empty(const pl_idlist *l)
{
    if (l->n)
        fail_msg("expected an empty list, got %d ids (first %lld)", l->n, (long long)l->ids[0]);
}

static pl_idlist home(int64_t owner)
{
    pl_idlist l;
    pl_page p = page(0, 0, 0, 100);
    assert_int_equal(store_timeline_page(g.d, owner, &p, &A, &l), PL_OK);
    return l;
}

static bool in_home(int64_t owner, int64_t status_id)
{
    pl_idlist l = home(owner);
    for (int i = 0; i < l.n; i++)
        if (l.ids[i] == status_id) return true;
    return false;
}

/* ------------------------------------------------------------------------------------------ */
/* Accounts                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_account_insert_then_get_returns_the_row(void **state)
{
    (void)state;
    pl_account in = account(7, "Alice_1", "alice@example.com");
    in.display_name = "Alice \xe2\x98\x95";
    in.is_locked = true;
    in.is_bot = true;
    in.is_admin = true;
    assert_int_equal(store_account_insert(g.d, &in), PL_OK);
    pl_account out;
    assert_int_equal(store_account_get(g.d, 7, &A, &out), PL_OK);
    assert_true(out.id == 7);
    assert_string_equal(out.username, "Alice_1");
    assert_string_equal(out.email, "alice@example.com");
    assert_string_equal(out.display_name, "Alice \xe2\x98\x95");
    assert_string_equal(out.note, "");
    assert_string_equal(out.password_hash, "hash");
    assert_true(out.is_locked);
    assert_true(out.is_bot);
    assert_true(out.is_admin);
    assert_true(out.is_discoverable);
    assert_true(out.is_approved);
    assert_false(out.is_disabled);
    assert_false(out.is_big);
    assert_null(out.default_language);
    assert_true(out.created_at == T0);
    assert_true(out.last_status_at == 0);
    assert_int_equal(out.followers_count + out.following_count + out.statuses_count, 0);
}

static void test_account_get_unknown_id_is_not_found(void **state)
{
    (void)state;
    pl_account out;
    assert_int_equal(store_account_get(g.d, 12345, &A, &out), PL_ENOTFOUND);
}

static void test_account_by_username_ignores_case(void **state)
{
    (void)state;
    pl_account in = account(7, "Alice", "alice@example.com");
    assert_int_equal(store_account_insert(g.d, &in), PL_OK);
    pl_account out;
    assert_int_equal(store_account_by_username(g.d, "aLICE", &A, &out), PL_OK);
    assert_true(out.id == 7);
    assert_string_equal(out.username, "Alice"); /* the spelling chosen at sign-up is kept */
    assert_int_equal(store_account_by_username(g.d, "alic", &A, &out), PL_ENOTFOUND);
}

static void test_account_by_email_ignores_case(void **state)
{
    (void)state;
    pl_account in = account(7, "alice", "Alice@Example.COM");
    assert_int_equal(store_account_insert(g.d, &in), PL_OK);
    pl_account out;
    assert_int_equal(store_account_by_email(g.d, "alice@example.com", &A, &out), PL_OK);
    assert_true(out.id == 7);
    assert_int_equal(store_account_by_email(g.d, "ALICE@EXAMPLE.COM", &A, &out), PL_OK);
    assert_int_equal(store_account_by_email(g.d, "bob@example.com", &A, &out), PL_ENOTFOUND);
}

static void test_account_username_taken_in_other_case_is_a_conflict(void **state)
{
    (void)state;
    pl_account a = account(7, "alice", "a@example.com");
    pl_account b = account(8, "ALICE", "b@example.com");
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
    assert_int_equal(store_account_insert(g.d, &b), PL_ECONFLICT);
    pl_account out;
    assert_int_equal(store_account_get(g.d, 8, &A, &out), PL_ENOTFOUND);
}

static void test_account_email_taken_in_other_case_is_a_conflict(void **state)
{
    (void)state;
    pl_account a = account(7, "alice", "same@example.com");
    pl_account b = account(8, "bob", "SAME@example.com");
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
    assert_int_equal(store_account_insert(g.d, &b), PL_ECONFLICT);
}

static void test_account_id_taken_is_a_conflict(void **state)
{
    (void)state;
    pl_account a = account(7, "alice", "a@example.com");
    pl_account b = account(7, "bob", "b@example.com");
    assert_int_equal(store_account_insert(g.d, &a), PL_OK);
    assert_int_equal(store_account_insert(g.d, &b), PL_ECONFLICT);
}

static void test_account_counts_flags_and_fields_update(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_account_add_counts(g.d, ALICE, 3, 2, 1), PL_OK);
    assert_int_equal(store_account_add_counts(g.d, ALICE, -1, 0, 0), PL_OK);
    assert_int_equal(store_account_set_big(g.d, ALICE, true), PL_OK);
    assert_int_equal(store_account_set_disabled(g.d, ALICE, true), PL_OK);
    assert_int_equal(store_account_touch_status(g.d, ALICE, T0 + 5), PL_OK);
    pl_field f[2] = {{"Team", "Sales", "Sales"}, {"Pronouns", "she/her", "she/her"}};
    assert_int_equal(store_account_set_fields(g.d, ALICE, f, 2), PL_OK);
    pl_account out;
    assert_int_equal(store_account_get(g.d, ALICE, &A, &out), PL_OK);
    assert_true(out.followers_count == 2);
    assert_true(out.following_count == 2);
    assert_true(out.statuses_count == 1);
    assert_true(out.is_big);
    assert_true(out.is_disabled);
    assert_true(out.last_status_at == T0 + 5);
    assert_int_equal(out.fields_count, 2);
    assert_int_equal(store_account_fields(g.d, &out, &A), PL_OK);
    assert_string_equal(out.fields[0].name, "Team");
    assert_string_equal(out.fields[1].value, "she/her");
    /* replacing the fields drops the old ones */
    assert_int_equal(store_account_set_fields(g.d, ALICE, f + 1, 1), PL_OK);
    assert_int_equal(store_account_get(g.d, ALICE, &A, &out), PL_OK);
    assert_int_equal(store_account_fields(g.d, &out, &A), PL_OK);
    assert_int_equal(out.fields_count, 1);
    assert_string_equal(out.fields[0].name, "Pronouns");
}

typedef struct pending_seen {
    int n;
    int64_t ids[8];
    const char *reasons[8];
} pending_seen;

static void note_pending(const pl_account *a, const char *reason, void *ud)
{
    pending_seen *p = ud;
    if (p->n < 8) {
        p->ids[p->n] = a->id;
        p->reasons[p->n++] = reason;
    }
}

static void test_pending_accounts_come_with_their_reason_until_it_is_forgotten(void **state)
{
    (void)state;
    pl_account wait1 = account(20, "wait1", "w1@example.com");
    pl_account wait2 = account(21, "wait2", "w2@example.com");
    pl_account in = account(22, "member", "m@example.com");
    wait1.is_approved = wait2.is_approved = false;
    assert_int_equal(store_account_insert(g.d, &wait1), PL_OK);
    assert_int_equal(store_account_insert(g.d, &wait2), PL_OK);
    assert_int_equal(store_account_insert(g.d, &in), PL_OK);
    const char *why = "I run the\nwarehouse \xe2\x98\x95";
    assert_int_equal(store_registration_reason_insert(g.d, 20, why), PL_OK);

    pending_seen p = {0};
    assert_int_equal(store_account_each_pending(g.d, &A, note_pending, &p), PL_OK);
    assert_int_equal(p.n, 2); /* the approved member is not listed */
    assert_true(p.ids[0] == 20 && p.ids[1] == 21);
    assert_string_equal(p.reasons[0], why);
    assert_null(p.reasons[1]); /* gave none */

    /* approved: no longer pending, and the reason is gone from the table */
    assert_int_equal(store_account_set_approved(g.d, 20, true), PL_OK);
    assert_int_equal(store_registration_reason_delete(g.d, 20), PL_OK);
    assert_int_equal(store_registration_reason_delete(g.d, 21), PL_OK); /* none: still fine */
    assert_true(count_where("SELECT count(*) FROM registration_reasons WHERE account_id = ?", 20) ==
                0);
    p = (pending_seen){0};
    assert_int_equal(store_account_each_pending(g.d, &A, note_pending, &p), PL_OK);
    assert_int_equal(p.n, 1);
    assert_true(p.ids[0] == 21);
}

/* The counts are the people's own (statuses_count, which the app keeps), read from an index
 * of accounts: never a count of the post table, which grows with the company. */
static void test_stats_count_active_accounts_and_their_statuses(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_account_set_disabled(g.d, ERIN, true), PL_OK);
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, BOB, VIS_DIRECT);
    add_reblog(102, CAROL, 100);
    assert_int_equal(store_account_add_counts(g.d, ALICE, 0, 0, 1), PL_OK);
    assert_int_equal(store_account_add_counts(g.d, BOB, 0, 0, 1), PL_OK);
    assert_int_equal(store_account_add_counts(g.d, CAROL, 0, 0, 1), PL_OK);
    int64_t users = 0, statuses = 0, all = 0;
    assert_int_equal(store_stats(g.d, &users, &statuses), PL_OK);
    assert_int_equal(store_account_count(g.d, &all), PL_OK);
    assert_true(users == 4);
    assert_true(all == 5);
    assert_true(statuses == 3); /* as the profiles count them, the boost too */
}

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_token_comes_with_its_account_in_one_query(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_token_insert(g.d, 70, "hash-alice", 7, ALICE, "read write", T0), PL_OK);
    assert_int_equal(store_token_insert(g.d, 71, "hash-app", 7, 0, "read", T0), PL_OK);
    assert_int_equal(store_token_insert(g.d, 72, "hash-gone", 7, 999, "read", T0), PL_OK);
    pl_token t;
    pl_account acc;
    bool has;
    assert_int_equal(store_token_with_account(g.d, "hash-alice", &A, &t, &acc, &has), PL_OK);
    assert_true(t.id == 70 && t.app_id == 7 && t.account_id == ALICE && t.created_at == T0);
    assert_string_equal(t.scopes, "read write");
    assert_true(has);
    assert_true(acc.id == ALICE);
    assert_string_equal(acc.username, "alice");
    assert_true(acc.is_approved);

    assert_int_equal(store_token_with_account(g.d, "hash-app", &A, &t, &acc, &has), PL_OK);
    assert_true(t.account_id == 0);
    assert_false(has);
    assert_int_equal(store_token_with_account(g.d, "hash-gone", &A, &t, &acc, &has), PL_OK);
    assert_true(t.account_id == 999);
    assert_false(has); /* the account row is gone: the caller refuses the token */

    assert_int_equal(store_token_revoke(g.d, "hash-alice", T0 + 1), PL_OK);
    assert_int_equal(store_token_with_account(g.d, "hash-alice", &A, &t, &acc, &has), PL_ENOTFOUND);
    assert_int_equal(store_token_with_account(g.d, "nope", &A, &t, &acc, &has), PL_ENOTFOUND);
}

static void test_status_insert_then_get_returns_the_row(void **state)
{
    (void)state;
    add_people();
    pl_status in = status(100, ALICE, VIS_UNLISTED);
    in.spoiler_text = "cw";
    in.sensitive = true;
    in.language = "en";
    in.mentions_count = 2;
    in.tags_count = 1;
    assert_int_equal(store_status_insert(g.d, &in), PL_OK);
    pl_status out;
    assert_int_equal(store_status_get(g.d, 100, &A, &out), PL_OK);
    assert_true(out.id == 100);
    assert_true(out.account_id == ALICE);
    assert_int_equal(out.visibility, VIS_UNLISTED);
    assert_string_equal(out.text, "hello");
    assert_string_equal(out.content, "<p>hello</p>");
    assert_string_equal(out.spoiler_text, "cw");
    assert_true(out.sensitive);
    assert_string_equal(out.language, "en");
    assert_int_equal(out.mentions_count, 2);
    assert_int_equal(out.tags_count, 1);
    assert_true(out.in_reply_to_id == 0);
    assert_true(out.in_reply_to_account_id == 0);
    assert_true(out.reblog_of_id == 0);
    assert_true(out.app_id == 0);
    assert_true(out.edited_at == 0);
    assert_true(out.created_at == T0 + 100);
    assert_int_equal(store_status_get(g.d, 999, &A, &out), PL_ENOTFOUND);
}

static void test_statuses_and_accounts_come_in_batches_leaving_out_unknown_ids(void **state)
{
    (void)state;
    add_people();
    for (int i = 0; i < STORE_BATCH; i++) add_status(200 + i, i % 2 ? ALICE : BOB, VIS_PUBLIC);
    int64_t ids[STORE_BATCH + 1];
    for (int i = 0; i < STORE_BATCH; i++) ids[i] = 200 + i;
    ids[3] = 999; /* unknown: left out */
    ids[5] = 201; /* twice: once */
    pl_status rows[STORE_BATCH];
    int n;
    assert_int_equal(store_statuses_get(g.d, ids, STORE_BATCH, &A, rows, &n), PL_OK);
    assert_int_equal(n, STORE_BATCH - 2);
    int64_t seen = 0;
    for (int i = 0; i < n; i++) {
        assert_true(rows[i].id >= 200 && rows[i].id < 200 + STORE_BATCH);
        assert_true(rows[i].id != 203 && rows[i].id != 205);
        assert_true(rows[i].account_id == (rows[i].id % 2 ? ALICE : BOB));
        assert_string_equal(rows[i].text, "hello");
        seen += rows[i].id;
    }
    int64_t want = 0;
    for (int i = 0; i < STORE_BATCH; i++) want += i == 3 || i == 5 ? 0 : 200 + i;
    assert_true(seen == want);
    /* a short list binds the rest to 0, which matches nothing */
    assert_int_equal(store_statuses_get(g.d, ids, 1, &A, rows, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(rows[0].id == 200);
    /* more than a batch is refused, not truncated */
    ids[STORE_BATCH] = 201;
    assert_int_equal(store_statuses_get(g.d, ids, STORE_BATCH + 1, &A, rows, &n), PL_EINTERNAL);

    int64_t people[] = {ALICE, 999, CAROL, ALICE};
    pl_account acc[4];
    assert_int_equal(store_accounts_get(g.d, people, 4, &A, acc, &n), PL_OK);
    assert_int_equal(n, 2);
    bool alice = false, carol = false;
    for (int i = 0; i < n; i++) {
        if (acc[i].id == ALICE) alice = !strcmp(acc[i].username, "alice");
        if (acc[i].id == CAROL) carol = !strcmp(acc[i].username, "carol");
    }
    assert_true(alice && carol);
}

static void test_status_update_and_counts(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    pl_status s;
    assert_int_equal(store_status_get(g.d, 100, &A, &s), PL_OK);
    s.text = "edited";
    s.content = "<p>edited</p>";
    s.edited_at = T0 + 500;
    assert_int_equal(store_status_update(g.d, &s), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, 100, 2, 3, 4), PL_OK);
    assert_int_equal(store_status_add_counts(g.d, 100, -1, -1, -1), PL_OK);
    assert_int_equal(store_status_get(g.d, 100, &A, &s), PL_OK);
    assert_string_equal(s.text, "edited");
    assert_true(s.edited_at == T0 + 500);
    assert_true(s.replies_count == 1);
    assert_true(s.reblogs_count == 2);
    assert_true(s.favourites_count == 3);
}

static void test_status_mentions_and_tags_are_sets(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    assert_int_equal(store_status_mention_add(g.d, 100, BOB), PL_OK);
    assert_int_equal(store_status_mention_add(g.d, 100, BOB), PL_OK);
    assert_int_equal(store_status_mention_add(g.d, 100, CAROL), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, 100, "zebra"), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, 100, "apple"), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, 100, "apple"), PL_OK);
    int64_t *ids;
    int n;
    assert_int_equal(store_status_mentions(g.d, 100, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(store_status_mentions_account(g.d, 100, BOB));
    assert_false(store_status_mentions_account(g.d, 100, DAVE));
    const char **tags;
    assert_int_equal(store_status_tags(g.d, 100, &A, &tags, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(tags[0], "apple");
    assert_string_equal(tags[1], "zebra");
    assert_int_equal(store_status_mentions_clear(g.d, 100), PL_OK);
    assert_int_equal(store_status_tags_clear(g.d, 100), PL_OK);
    assert_int_equal(store_status_mentions(g.d, 100, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_status_tags(g.d, 100, &A, &tags, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_status_delete_removes_its_mentions_tags_engagement_and_feed_rows(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, ALICE, VIS_PUBLIC); /* a neighbour that must survive */
    for (int64_t id = 100; id <= 101; id++) {
        assert_int_equal(store_status_mention_add(g.d, id, BOB), PL_OK);
        assert_int_equal(store_status_tag_add(g.d, id, "news"), PL_OK);
        assert_int_equal(store_favourite_insert(g.d, 1000 + id, BOB, id), PL_OK);
        assert_int_equal(store_bookmark_insert(g.d, 2000 + id, CAROL, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, BOB, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        pl_status_edit e = {3000 + id, id, "old", "<p>old</p>", "", false, T0, NULL, 0};
        assert_int_equal(store_status_edit_insert(g.d, &e), PL_OK);
    }

    assert_int_equal(store_status_delete(g.d, 100), PL_OK);

    pl_status s;
    assert_int_equal(store_status_get(g.d, 100, &A, &s), PL_ENOTFOUND);
    assert_true(count_where("SELECT count(*) FROM status_mentions WHERE status_id = ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM status_tags WHERE status_id = ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM favourites WHERE status_id = ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM bookmarks WHERE status_id = ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE status_id = ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM status_edits WHERE status_id = ?", 100) == 0);
    assert_false(store_favourited(g.d, BOB, 100));
    assert_false(store_bookmarked(g.d, CAROL, 100));
    assert_false(in_home(BOB, 100));

    /* the neighbour keeps everything */
    assert_int_equal(store_status_get(g.d, 101, &A, &s), PL_OK);
    assert_true(count_where("SELECT count(*) FROM status_mentions WHERE status_id = ?", 101) == 1);
    assert_true(count_where("SELECT count(*) FROM status_tags WHERE status_id = ?", 101) == 1);
    assert_true(store_favourited(g.d, BOB, 101));
    assert_true(store_bookmarked(g.d, CAROL, 101));
    assert_true(in_home(BOB, 101));
    assert_true(in_home(ALICE, 101));
    assert_true(count_where("SELECT count(*) FROM status_edits WHERE status_id = ?", 101) == 1);
}

static void test_status_edits_are_listed_oldest_first(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    pl_status_edit e1 = {500, 100, "v1", "<p>v1</p>", "", false, T0, NULL, 0};
    pl_status_edit e2 = {501, 100, "v2", "<p>v2</p>", "cw", true, T0 + 1, NULL, 0};
    assert_int_equal(store_status_edit_insert(g.d, &e2), PL_OK);
    assert_int_equal(store_status_edit_insert(g.d, &e1), PL_OK);
    pl_status_edit *out;
    int n;
    assert_int_equal(store_status_edits(g.d, 100, &A, &out, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].text, "v1");
    assert_string_equal(out[1].text, "v2");
    assert_string_equal(out[1].spoiler_text, "cw");
    assert_true(out[1].sensitive);
}

static void test_replies_reblogs_and_idempotency_lookups(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_reply(103, CAROL, 100, ALICE);
    add_reply(101, BOB, 100, ALICE);
    add_reply(104, BOB, 101, BOB);
    add_reblog(102, DAVE, 100);
    int64_t *ids;
    int n;
    assert_int_equal(store_status_replies(g.d, 100, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] == 101 && ids[1] == 103);
    assert_int_equal(store_status_replies(g.d, 100, 1, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    int64_t rb = -1;
    assert_int_equal(store_status_reblog_by(g.d, 100, DAVE, &rb), PL_OK);
    assert_true(rb == 102);
    assert_int_equal(store_status_reblog_by(g.d, 100, BOB, &rb), PL_OK);
    assert_true(rb == 0);
    assert_int_equal(store_status_reblogs(g.d, 100, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == 102);

    int64_t sid = 0;
    assert_int_equal(store_idempotency_get(g.d, ALICE, "k1", &sid), PL_ENOTFOUND);
    assert_int_equal(store_idempotency_put(g.d, ALICE, "k1", 100, T0), PL_OK);
    assert_int_equal(store_idempotency_put(g.d, ALICE, "k1", 101, T0), PL_OK); /* first wins */
    assert_int_equal(store_idempotency_get(g.d, ALICE, "k1", &sid), PL_OK);
    assert_true(sid == 100);
    assert_int_equal(store_idempotency_get(g.d, BOB, "k1", &sid), PL_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Paging                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Alice's statuses 101..110, oldest first. */
static void add_ten(void)
{
    add_people();
    for (int64_t id = 101; id <= 110; id++) add_status(id, ALICE, VIS_PUBLIC);
    add_status(200, BOB, VIS_PUBLIC); /* someone else's, never in Alice's lists */
}

static pl_idlist by_alice(pl_page p)
{
    pl_idlist l;
    assert_int_equal(store_statuses_by_account(g.d, ALICE, false, false, &p, &A, &l), PL_OK);
    for (int i = 0; i < l.n; i++) assert_true(l.keys[i] == l.ids[i]);
    return l;
}

static void test_paging_without_bounds_gives_the_newest_first(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(0, 0, 0, 3));
    assert_ids(&l, 110, 109, 108);
    l = by_alice(page(0, 0, 0, 40));
    assert_ids(&l, 110, 109, 108, 107, 106, 105, 104, 103, 102, 101);
}

static void test_paging_max_id_gives_older_items_below_it(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(108, 0, 0, 3));
    assert_ids(&l, 107, 106, 105);
    l = by_alice(page(102, 0, 0, 3));
    assert_ids(&l, 101);
    l = by_alice(page(101, 0, 0, 3));
    assert_empty(&l);
}

static void test_paging_since_id_gives_the_newest_items_above_it(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(0, 105, 0, 3));
    assert_ids(&l, 110, 109, 108);
    l = by_alice(page(0, 108, 0, 5));
    assert_ids(&l, 110, 109);
    l = by_alice(page(0, 110, 0, 5));
    assert_empty(&l);
}

static void test_paging_min_id_gives_the_items_just_above_it_newest_first(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(0, 0, 105, 3));
    assert_ids(&l, 108, 107, 106);
    l = by_alice(page(0, 0, 100, 2));
    assert_ids(&l, 102, 101);
    l = by_alice(page(0, 0, 109, 5));
    assert_ids(&l, 110);
}

static void test_paging_min_id_and_max_id_give_the_window_between(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(108, 0, 104, 10));
    assert_ids(&l, 107, 106, 105);
    l = by_alice(page(108, 0, 104, 2));
    assert_ids(&l, 106, 105);
}

static void test_paging_since_id_wins_over_min_id(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(0, 104, 104, 2));
    assert_ids(&l, 110, 109);
}

static void test_paging_since_id_and_max_id_give_the_newest_of_the_window(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(108, 102, 0, 3));
    assert_ids(&l, 107, 106, 105);
}

static void test_paging_limit_zero_gives_nothing(void **state)
{
    (void)state;
    add_ten();
    pl_idlist l = by_alice(page(0, 0, 0, 0));
    assert_empty(&l);
}

static void test_account_list_can_leave_out_replies_to_others_and_reblogs(void **state)
{
    (void)state;
    add_people();
    add_status(100, BOB, VIS_PUBLIC);
    add_status(101, ALICE, VIS_PUBLIC);
    add_reply(102, ALICE, 100, BOB);   /* reply to someone else */
    add_reply(103, ALICE, 101, ALICE); /* a thread of her own */
    add_reblog(104, ALICE, 100);
    pl_page p = page(0, 0, 0, 20);
    pl_idlist l;
    assert_int_equal(store_statuses_by_account(g.d, ALICE, false, false, &p, &A, &l), PL_OK);
    assert_ids(&l, 104, 103, 102, 101);
    assert_int_equal(store_statuses_by_account(g.d, ALICE, true, false, &p, &A, &l), PL_OK);
    assert_ids(&l, 104, 103, 101);
    assert_int_equal(store_statuses_by_account(g.d, ALICE, false, true, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102, 101);
    assert_int_equal(store_statuses_by_account(g.d, ALICE, true, true, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 101);
}

static void test_public_list_has_only_public_originals(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, ALICE, VIS_UNLISTED);
    add_status(102, BOB, VIS_PRIVATE);
    add_status(103, BOB, VIS_DIRECT);
    add_reblog(104, CAROL, 100);
    add_status(105, CAROL, VIS_PUBLIC);
    pl_page p = page(0, 0, 0, 20);
    pl_idlist l;
    assert_int_equal(store_statuses_public(g.d, &p, &A, &l), PL_OK);
    assert_ids(&l, 105, 100);
    p = page(0, 0, 100, 20);
    assert_int_equal(store_statuses_public(g.d, &p, &A, &l), PL_OK);
    assert_ids(&l, 105);
}

static void test_tag_list_has_only_public_statuses_with_the_tag(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, ALICE, VIS_PRIVATE);
    add_status(102, BOB, VIS_PUBLIC);
    add_status(103, BOB, VIS_PUBLIC);
    add_status(104, CAROL, VIS_PUBLIC);
    for (int64_t id = 100; id <= 103; id++)
        assert_int_equal(store_status_tag_add(g.d, id, "coffee"), PL_OK);
    assert_int_equal(store_status_tag_add(g.d, 104, "tea"), PL_OK);
    pl_page p = page(0, 0, 0, 20);
    pl_idlist l;
    assert_int_equal(store_statuses_by_tag(g.d, "coffee", &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102, 100);
    p = page(103, 0, 0, 1);
    assert_int_equal(store_statuses_by_tag(g.d, "coffee", &p, &A, &l), PL_OK);
    assert_ids(&l, 102);
    p = page(0, 0, 0, 20);
    assert_int_equal(store_statuses_by_tag(g.d, "tea", &p, &A, &l), PL_OK);
    assert_ids(&l, 104);
}

/* ------------------------------------------------------------------------------------------ */
/* Follows, blocks, mutes                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void test_follow_and_relationship(void **state)
{
    (void)state;
    add_people();
    assert_false(store_follows(g.d, ALICE, BOB));
    assert_int_equal(store_follow_insert(g.d, 900, ALICE, BOB, false, true, T0), PL_OK);
    assert_true(store_follows(g.d, ALICE, BOB));
    assert_false(store_follows(g.d, BOB, ALICE));

    pl_relationship r;
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.id == BOB);
    assert_true(r.following);
    assert_false(r.showing_reblogs);
    assert_true(r.notifying);
    assert_false(r.followed_by);
    assert_false(r.blocking);
    assert_false(r.blocked_by);

    assert_int_equal(store_relationship(g.d, BOB, ALICE, &r), PL_OK);
    assert_false(r.following);
    assert_true(r.followed_by);

    assert_int_equal(store_follow_update(g.d, ALICE, BOB, true, false), PL_OK);
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.showing_reblogs);
    assert_false(r.notifying);
}

static void test_follow_twice_is_a_conflict(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    assert_int_equal(store_follow_insert(g.d, 901, ALICE, BOB, true, false, T0), PL_ECONFLICT);
}

static void test_unfollow_reports_whether_there_was_a_follow(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    assert_int_equal(store_follow_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_follows(g.d, ALICE, BOB));
    assert_int_equal(store_follow_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

static void test_follower_lists_are_paged_by_follow_id(void **state)
{
    (void)state;
    add_people();
    follow(903, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(904, ALICE, BOB);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_followers(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB, DAVE, CAROL); /* newest follow first */
    assert_true(l.keys[0] == 903 && l.keys[2] == 901);
    p = page(903, 0, 0, 10);
    assert_int_equal(store_followers(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, DAVE, CAROL);
    p = page(0, 0, 0, 10);
    assert_int_equal(store_following(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_true(l.keys[0] == 904);
}

/* The people among a home feed's merge sources: only the big accounts one follows. */
static int merged_people(int64_t viewer, int64_t *ids, bool *reblogs, int cap)
{
    pl_merge_source *src;
    int n, k = 0;
    assert_int_equal(store_merge_sources(g.d, viewer, &A, &src, &n), PL_OK);
    for (int i = 0; i < n; i++) {
        if (src[i].channel || src[i].tag || src[i].excluded) continue;
        assert_true(k < cap);
        ids[k] = src[i].id;
        reblogs[k++] = src[i].show_reblogs;
    }
    return k;
}

static void test_merge_sources_hold_only_the_big_accounts_followed(void **state)
{
    (void)state;
    add_people();
    follow(900, ALICE, BOB);
    follow(901, ALICE, CAROL);
    follow(902, DAVE, CAROL);
    assert_int_equal(store_account_set_big(g.d, CAROL, true), PL_OK);
    int64_t ids[4];
    bool reblogs[4];
    assert_int_equal(merged_people(ALICE, ids, reblogs, 4), 1);
    assert_true(ids[0] == CAROL);
    assert_true(reblogs[0]);
    assert_int_equal(merged_people(BOB, ids, reblogs, 4), 0);
}

static void test_trim_batch_of_zero_trims_nothing(void **state)
{
    (void)state;
    add_people();
    int64_t last = -1;
    assert_int_equal(store_timeline_trim_batch(g.d, 0, 0, 3, &last), PL_OK);
    assert_true(last == 0);
}

static void test_fanout_delivers_a_reply_to_the_follower_it_answers(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    add_status(100, BOB, VIS_PUBLIC);
    add_reply(101, ALICE, 100, BOB);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, BOB, false, &n), PL_OK);
    assert_true(in_home(BOB, 101));
    assert_true(n == 2);
}

static void test_viewer_relations_come_in_one_query_as_four_sorted_sets(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_block_insert(g.d, 900, CAROL, ALICE), PL_OK); /* Carol blocks Alice */
    assert_int_equal(store_block_insert(g.d, 901, ALICE, ERIN), PL_OK);
    assert_int_equal(store_block_insert(g.d, 902, ALICE, BOB), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 903, ALICE, DAVE, true, 0), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 904, ALICE, CAROL, true, 1000), PL_OK); /* expired */
    assert_int_equal(store_mute_insert(g.d, 905, ERIN, ALICE, false, 0), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 906, BOB, ALICE, true, 3000), PL_OK);
    assert_int_equal(store_mute_insert(g.d, 907, DAVE, ALICE, true, 1500), PL_OK); /* expired */
    pl_idsets r;
    assert_int_equal(store_viewer_relations(g.d, ALICE, 2000, &A, &r), PL_OK);
    assert_int_equal(r.n[0], 1);
    assert_true(r.ids[0][0] == CAROL);
    assert_int_equal(r.n[1], 2);
    assert_true(r.ids[1][0] == BOB && r.ids[1][1] == ERIN); /* sorted */
    assert_int_equal(r.n[2], 1);
    assert_true(r.ids[2][0] == DAVE);
    assert_int_equal(r.n[3], 2); /* who mutes Alice now */
    assert_true(r.ids[3][0] == BOB && r.ids[3][1] == ERIN);
}

static void test_viewer_flags_read_a_range_and_refuse_more_than_max(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 106; id++) add_status(id, BOB, VIS_PUBLIC);
    assert_int_equal(store_favourite_insert(g.d, 900, ALICE, 101), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 901, ALICE, 104), PL_OK);
    assert_int_equal(store_bookmark_insert(g.d, 902, ALICE, 102), PL_OK);
    add_reblog(200, ALICE, 103);
    assert_int_equal(store_favourite_insert(g.d, 903, BOB, 100), PL_OK); /* someone else's */
    pl_idsets f;
    assert_int_equal(store_viewer_flags(g.d, ALICE, 100, 105, 10, &A, &f), PL_OK);
    assert_int_equal(f.n[0], 2);
    assert_true(f.ids[0][0] == 101 && f.ids[0][1] == 104);
    assert_int_equal(f.n[1], 1);
    assert_true(f.ids[1][0] == 102);
    assert_int_equal(f.n[2], 1);
    assert_true(f.ids[2][0] == 103);
    assert_int_equal(store_viewer_flags(g.d, ALICE, 102, 103, 10, &A, &f), PL_OK);
    assert_int_equal(f.n[0], 0); /* outside the range */
    assert_int_equal(store_viewer_flags(g.d, ALICE, 100, 105, 1, &A, &f), PL_ELIMIT);
}

static void test_block_shows_in_both_directions_of_the_relationship(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_block_insert(g.d, 900, ALICE, BOB), PL_OK);
    assert_int_equal(store_block_insert(g.d, 901, ALICE, BOB), PL_OK); /* idempotent */
    assert_true(store_blocks(g.d, ALICE, BOB));
    assert_false(store_blocks(g.d, BOB, ALICE));
    pl_relationship r;
    assert_int_equal(store_relationship(g.d, ALICE, BOB, &r), PL_OK);
    assert_true(r.blocking);
    assert_false(r.blocked_by);
    assert_int_equal(store_relationship(g.d, BOB, ALICE, &r), PL_OK);
    assert_false(r.blocking);
    assert_true(r.blocked_by);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_blocks_list(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_int_equal(store_block_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_blocks(g.d, ALICE, BOB));
    assert_int_equal(store_block_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

static void test_mute_expires_and_remembers_notification_choice(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_mute_insert(g.d, 900, ALICE, BOB, false, T0 + 1000), PL_OK);
    bool hide = true;
    assert_true(store_mutes(g.d, ALICE, BOB, T0, &hide));
    assert_false(hide);
    assert_true(store_mutes(g.d, ALICE, BOB, T0 + 999, NULL));
    assert_false(store_mutes(g.d, ALICE, BOB, T0 + 1000, NULL));
    assert_false(store_mutes(g.d, BOB, ALICE, T0, NULL));
    /* muting again replaces the terms: now forever, notifications hidden */
    assert_int_equal(store_mute_insert(g.d, 901, ALICE, BOB, true, 0), PL_OK);
    assert_true(store_mutes(g.d, ALICE, BOB, T0 + 1000000000, &hide));
    assert_true(hide);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_mutes_list(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    assert_int_equal(store_mute_delete(g.d, ALICE, BOB), PL_OK);
    assert_false(store_mutes(g.d, ALICE, BOB, T0, NULL));
    assert_int_equal(store_mute_delete(g.d, ALICE, BOB), PL_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Home timelines                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void test_fanout_reaches_followers_and_the_author_only(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, BOB); /* follows someone else */
    add_status(100, ALICE, VIS_PUBLIC);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 100, 0, false, &n), PL_OK);
    assert_true(n == 3);
    assert_true(in_home(ALICE, 100));
    assert_true(in_home(BOB, 100));
    assert_true(in_home(CAROL, 100));
    assert_false(in_home(DAVE, 100));
    assert_false(in_home(ERIN, 100));
}

static void test_fanout_skips_a_reply_for_followers_who_do_not_follow_the_replied_to(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);   /* Bob follows Alice only */
    follow(901, CAROL, ALICE); /* Carol follows Alice and Dave */
    follow(902, CAROL, DAVE);
    add_status(100, DAVE, VIS_PUBLIC);
    add_reply(101, ALICE, 100, DAVE);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, DAVE, false, &n), PL_OK);
    assert_true(n == 2); /* Carol and Alice herself */
    assert_false(in_home(BOB, 101));
    assert_true(in_home(CAROL, 101));
    assert_true(in_home(ALICE, 101));
    assert_false(in_home(DAVE, 101)); /* Dave does not follow Alice */
}

static void test_fanout_delivers_a_self_reply_to_every_follower(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    add_status(100, ALICE, VIS_PUBLIC);
    add_reply(101, ALICE, 100, ALICE);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, ALICE, false, &n), PL_OK);
    assert_true(n == 3);
    assert_true(in_home(BOB, 101));
    assert_true(in_home(CAROL, 101));
}

static void test_fanout_of_a_reblog_respects_show_reblogs(void **state)
{
    (void)state;
    add_people();
    assert_int_equal(store_follow_insert(g.d, 900, BOB, ALICE, true, false, T0), PL_OK);
    assert_int_equal(store_follow_insert(g.d, 901, CAROL, ALICE, false, false, T0), PL_OK);
    add_status(100, DAVE, VIS_PUBLIC);
    add_reblog(101, ALICE, 100);
    int64_t n = 0;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 101, 0, true, &n), PL_OK);
    assert_true(in_home(BOB, 101));
    assert_false(in_home(CAROL, 101));
    assert_true(n == 2);
}

static void test_timeline_insert_is_idempotent_and_pages_newest_first(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 106; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
    }
    assert_int_equal(store_timeline_insert(g.d, ALICE, 103), PL_OK);
    pl_idlist l;
    pl_page p = page(0, 0, 0, 10);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 105, 104, 103, 102, 101, 100);
    p = page(104, 0, 0, 2);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102);
    p = page(0, 0, 101, 2);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 103, 102);
}

static void test_timeline_remove_author_and_status(void **state)
{
    (void)state;
    add_people();
    add_status(100, BOB, VIS_PUBLIC);
    add_status(101, CAROL, VIS_PUBLIC);
    add_status(102, BOB, VIS_PUBLIC);
    for (int64_t id = 100; id <= 102; id++) {
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, DAVE, id), PL_OK);
    }
    assert_int_equal(store_timeline_remove_author(g.d, ALICE, BOB), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 101);
    l = home(DAVE);
    assert_ids(&l, 102, 101, 100);
    assert_int_equal(store_timeline_remove_status(g.d, 101), PL_OK);
    l = home(ALICE);
    assert_empty(&l);
    l = home(DAVE);
    assert_ids(&l, 102, 100);
}

/* Runs the fan-out queue to its end, `chunk` rows a step, as the writer does. */
static void run_fanout_queue(int chunk)
{
    for (int steps = 0; steps < 1000; steps++) {
        pl_fanout f;
        int rc = store_fanout_next(g.d, &f);
        if (rc == PL_ENOTFOUND) return;
        assert_int_equal(rc, PL_OK);
        int64_t rows;
        assert_int_equal(store_fanout_chunk(g.d, &f, chunk, &rows), PL_OK);
    }
    fail_msg("the fan-out queue never emptied");
}

/* A post deleted while its fan-out is queued (or half done): no feed row is left, and none is
 * written after (item 30). */
static void test_a_fanout_queued_for_a_deleted_post_leaves_no_feed_row(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(903, ERIN, ALICE);
    for (int64_t id = 100; id <= 101; id++) {
        add_status(id, ALICE, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        pl_fanout f = {.status_id = id, .author_id = ALICE};
        assert_int_equal(store_fanout_enqueue(g.d, &f, T0), PL_OK);
    }
    /* 101 is half done: one chunk of two followers */
    pl_fanout f;
    assert_int_equal(store_fanout_next(g.d, &f), PL_OK);
    assert_true(f.status_id == 100);
    f.status_id = 101;
    int64_t rows;
    assert_int_equal(store_fanout_chunk(g.d, &f, 2, &rows), PL_OK);
    assert_true(rows == 2);
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_int_equal(store_status_delete(g.d, 101), PL_OK);
    run_fanout_queue(2);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE status_id >= ?", 100) == 0);
    assert_true(count_where("SELECT count(*) FROM fanout_queue WHERE status_id >= ?", 100) == 0);
}

/* A delete removes a few feed rows in its own transaction and queues the rest, which the
 * writer's fan-out steps then remove a chunk at a time; a post with few rows queues nothing. */
static void test_a_delete_removes_a_few_feed_rows_and_queues_the_rest(void **state)
{
    (void)state;
    add_people();
    follow(900, BOB, ALICE);
    follow(901, CAROL, ALICE);
    follow(902, DAVE, ALICE);
    follow(903, ERIN, ALICE);
    follow(904, ALICE, BOB);
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, BOB, VIS_PUBLIC);
    int64_t n;
    assert_int_equal(store_timeline_fanout(g.d, ALICE, 100, 0, false, &n), PL_OK);
    assert_true(n == 5);
    assert_int_equal(store_timeline_fanout(g.d, BOB, 101, 0, false, &n), PL_OK);
    assert_true(n == 2);
    static const char rows_of[] = "SELECT count(*) FROM timeline WHERE status_id = ?";
    static const char removal[] = "SELECT count(*) FROM fanout_queue WHERE status_id = ? "
                                  "AND removing = 1";
    assert_int_equal(store_status_delete_queued(g.d, 100, 2, T0), PL_OK);
    assert_true(count_where(rows_of, 100) == 3);
    assert_true(count_where(removal, 100) == 1);
    /* the post is gone at once, wherever its rows still wait */
    assert_false(in_home(CAROL, 100));
    assert_false(in_home(ALICE, 100));
    assert_int_equal(store_status_delete_queued(g.d, 101, 3, T0), PL_OK);
    assert_true(count_where(rows_of, 101) == 0);
    assert_true(count_where(removal, 101) == 0);
    run_fanout_queue(2);
    assert_true(count_where(rows_of, 100) == 0);
    assert_true(count_where(removal, 100) == 0);
}

/* The home feed leaves out a deleted post whose feed rows wait in the removal queue, and its
 * pages stay full: a loop whose cache has not heard of the delete yet must not be handed it. */
static void test_home_leaves_out_a_post_whose_rows_wait_to_be_removed(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id <= 103; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
    }
    /* no row removed at once: every row of 101 and 103 waits in the queue */
    assert_int_equal(store_status_delete_queued(g.d, 101, 0, T0), PL_OK);
    assert_int_equal(store_status_delete_queued(g.d, 103, 0, T0), PL_OK);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE account_id = ?", ALICE) == 4);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 102, 100);
    pl_page p = page(0, 0, 0, 1);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 102);
    p = page(0, 0, 100, 1);
    assert_int_equal(store_timeline_page(g.d, ALICE, &p, &A, &l), PL_OK);
    assert_ids(&l, 102);
    run_fanout_queue(1);
    assert_true(count_where("SELECT count(*) FROM timeline WHERE account_id = ?", ALICE) == 2);
    l = home(ALICE);
    assert_ids(&l, 102, 100);
}

static void test_backfill_copies_recent_top_level_posts_but_not_direct_or_reblogs(void **state)
{
    (void)state;
    add_people();
    add_status(100, CAROL, VIS_PUBLIC);
    add_status(101, BOB, VIS_PUBLIC);
    add_status(102, BOB, VIS_UNLISTED);
    add_status(103, BOB, VIS_PRIVATE);
    add_status(104, BOB, VIS_DIRECT);
    add_reply(105, BOB, 100, CAROL);
    add_reply(106, BOB, 101, BOB);
    add_reblog(107, BOB, 100);
    add_status(108, BOB, VIS_PUBLIC);
    assert_int_equal(store_timeline_backfill(g.d, ALICE, BOB, 40), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 108, 106, 103, 102, 101);
    /* the limit counts from the newest */
    assert_int_equal(store_timeline_backfill(g.d, DAVE, BOB, 2), PL_OK);
    l = home(DAVE);
    assert_ids(&l, 108, 106);
}

static void test_trim_keeps_the_newest_entries(void **state)
{
    (void)state;
    add_people();
    for (int64_t id = 100; id < 110; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        assert_int_equal(store_timeline_insert(g.d, ALICE, id), PL_OK);
        assert_int_equal(store_timeline_insert(g.d, CAROL, id), PL_OK);
    }
    assert_int_equal(store_timeline_trim(g.d, ALICE, 3), PL_OK);
    pl_idlist l = home(ALICE);
    assert_ids(&l, 109, 108, 107);
    l = home(CAROL);
    assert_int_equal(l.n, 10);
    assert_int_equal(store_timeline_trim(g.d, CAROL, 50), PL_OK);
    l = home(CAROL);
    assert_int_equal(l.n, 10);
}

static void test_trim_batch_walks_the_accounts_and_wraps_to_zero(void **state)
{
    (void)state;
    add_people(); /* accounts 1..5 */
    for (int64_t id = 100; id < 106; id++) {
        add_status(id, BOB, VIS_PUBLIC);
        for (int64_t owner = ALICE; owner <= ERIN; owner++)
            assert_int_equal(store_timeline_insert(g.d, owner, id), PL_OK);
    }
    int64_t last = -1;
    assert_int_equal(store_timeline_trim_batch(g.d, 0, 2, 3, &last), PL_OK);
    assert_true(last == BOB);
    assert_int_equal(home(ALICE).n, 3);
    assert_int_equal(home(BOB).n, 3);
    assert_int_equal(home(CAROL).n, 6);
    assert_int_equal(store_timeline_trim_batch(g.d, last, 2, 3, &last), PL_OK);
    assert_true(last == DAVE);
    assert_int_equal(store_timeline_trim_batch(g.d, last, 2, 3, &last), PL_OK);
    assert_true(last == 0); /* Erin was the last: start over */
    for (int64_t owner = ALICE; owner <= ERIN; owner++) {
        pl_idlist l = home(owner);
        assert_ids(&l, 105, 104, 103);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Engagement                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_favourite_and_bookmark_are_sets_with_paged_lists(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_status(101, ALICE, VIS_PUBLIC);
    assert_int_equal(store_favourite_insert(g.d, 900, BOB, 100), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 901, BOB, 100), PL_ECONFLICT);
    assert_int_equal(store_favourite_insert(g.d, 902, CAROL, 100), PL_OK);
    assert_int_equal(store_favourite_insert(g.d, 903, BOB, 101), PL_OK);
    assert_true(store_favourited(g.d, BOB, 100));
    assert_false(store_favourited(g.d, DAVE, 100));
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_favourited_by(g.d, 100, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL, BOB);
    assert_int_equal(store_favourites_of(g.d, BOB, &p, &A, &l), PL_OK);
    assert_ids(&l, 101, 100);
    assert_true(l.keys[0] == 903);
    assert_int_equal(store_favourite_delete(g.d, BOB, 100), PL_OK);
    assert_int_equal(store_favourite_delete(g.d, BOB, 100), PL_ENOTFOUND);

    assert_int_equal(store_bookmark_insert(g.d, 910, BOB, 100), PL_OK);
    assert_int_equal(store_bookmark_insert(g.d, 911, BOB, 100), PL_ECONFLICT);
    assert_true(store_bookmarked(g.d, BOB, 100));
    assert_int_equal(store_bookmarks_of(g.d, BOB, &p, &A, &l), PL_OK);
    assert_ids(&l, 100);
    assert_int_equal(store_bookmark_delete(g.d, BOB, 100), PL_OK);
    assert_int_equal(store_bookmark_delete(g.d, BOB, 100), PL_ENOTFOUND);
}

static void test_reblogged_by_lists_the_rebloggers(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_reblog(101, BOB, 100);
    add_reblog(102, CAROL, 100);
    pl_page p = page(0, 0, 0, 10);
    pl_idlist l;
    assert_int_equal(store_reblogged_by(g.d, 100, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL, BOB);
}

/* ------------------------------------------------------------------------------------------ */
/* Notifications and markers                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void add_notification(int64_t id, int64_t to, int64_t from, const char *type,
                             int64_t status_id)
{
    pl_notification n = {.id = id,
                         .account_id = to,
                         .from_account_id = from,
                         .type = type,
                         .status_id = status_id,
                         .created_at = T0 + id};
    assert_int_equal(store_notification_insert(g.d, &n), PL_OK);
}

/* Alice's notifications 501..506 of several types, and one for Bob. */
static void add_notifications(void)
{
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    add_notification(501, ALICE, BOB, "follow", 0);
    add_notification(502, ALICE, BOB, "favourite", 100);
    add_notification(503, ALICE, CAROL, "mention", 100);
    add_notification(504, ALICE, CAROL, "favourite", 100);
    add_notification(505, ALICE, DAVE, "reblog", 100);
    add_notification(506, ALICE, DAVE, "mention", 100);
    add_notification(507, BOB, ALICE, "mention", 100);
}

static int list_notifications(const char *const *types, const char *const *exclude, int64_t from,
                              pl_page p, int64_t *ids)
{
    pl_notification *out;
    int n = -1;
    assert_int_equal(store_notifications(g.d, ALICE, from, types, exclude, false, &p, &A, &out, &n),
                     PL_OK);
    for (int i = 0; i < n; i++) {
        assert_true(out[i].account_id == ALICE);
        ids[i] = out[i].id;
    }
    return n;
}

#define assert_notifications(types, exclude, from, p, ...)                                         \
    do {                                                                                           \
        int64_t got_[16];                                                                          \
        int n_ = list_notifications(types, exclude, from, p, got_);                                \
        check_ids(got_, n_, (const int64_t[]){__VA_ARGS__, 0});                                    \
    } while (0)

static void test_notifications_are_listed_newest_first(void **state)
{
    (void)state;
    add_notifications();
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 504, 503, 502, 501);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 2), 506, 505);
    assert_notifications(NULL, NULL, 0, page(505, 0, 0, 2), 504, 503);
    assert_notifications(NULL, NULL, 0, page(0, 504, 0, 10), 506, 505);
    assert_notifications(NULL, NULL, 0, page(0, 0, 502, 2), 504, 503);
}

static void test_notifications_filter_by_types(void **state)
{
    (void)state;
    add_notifications();
    static const char *const mentions[] = {"mention", NULL};
    static const char *const favs_and_follows[] = {"favourite", "follow", NULL};
    assert_notifications(mentions, NULL, 0, page(0, 0, 0, 10), 506, 503);
    assert_notifications(favs_and_follows, NULL, 0, page(0, 0, 0, 10), 504, 502, 501);
    /* the limit counts matching items, not scanned rows */
    assert_notifications(mentions, NULL, 0, page(0, 0, 0, 1), 506);
    assert_notifications(mentions, NULL, 0, page(506, 0, 0, 1), 503);
}

static void test_notifications_filter_by_exclude_types(void **state)
{
    (void)state;
    add_notifications();
    static const char *const no_favs[] = {"favourite", NULL};
    static const char *const no_mentions_reblogs[] = {"mention", "reblog", NULL};
    static const char *const favs_and_mentions[] = {"favourite", "mention", NULL};
    assert_notifications(NULL, no_favs, 0, page(0, 0, 0, 10), 506, 505, 503, 501);
    assert_notifications(NULL, no_mentions_reblogs, 0, page(0, 0, 0, 10), 504, 502, 501);
    assert_notifications(favs_and_mentions, no_favs, 0, page(0, 0, 0, 10), 506, 503);
}

static void test_empty_types_list_means_every_type(void **state)
{
    (void)state;
    add_notifications();
    static const char *const none[] = {NULL};
    assert_notifications(none, none, 0, page(0, 0, 0, 3), 506, 505, 504);
}

static void test_notifications_filter_by_sender(void **state)
{
    (void)state;
    add_notifications();
    assert_notifications(NULL, NULL, CAROL, page(0, 0, 0, 10), 504, 503);
    static const char *const mentions[] = {"mention", NULL};
    assert_notifications(mentions, NULL, DAVE, page(0, 0, 0, 10), 506);
}

static void test_notification_get_dismiss_and_clear_are_per_account(void **state)
{
    (void)state;
    add_notifications();
    pl_notification n;
    assert_int_equal(store_notification_get(g.d, ALICE, 502, &A, &n), PL_OK);
    assert_string_equal(n.type, "favourite");
    assert_true(n.from_account_id == BOB);
    assert_true(n.status_id == 100);
    assert_int_equal(store_notification_get(g.d, ALICE, 501, &A, &n), PL_OK);
    assert_true(n.status_id == 0);
    assert_int_equal(store_notification_get(g.d, BOB, 502, &A, &n), PL_ENOTFOUND);
    assert_int_equal(store_notification_dismiss(g.d, BOB, 502), PL_ENOTFOUND);
    assert_int_equal(store_notification_dismiss(g.d, ALICE, 502), PL_OK);
    assert_int_equal(store_notification_get(g.d, ALICE, 502, &A, &n), PL_ENOTFOUND);
    assert_int_equal(store_notifications_clear(g.d, ALICE), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 0 /* none */);
    assert_int_equal(store_notification_get(g.d, BOB, 507, &A, &n), PL_OK);
}

static void test_notifications_go_with_their_status_or_their_act(void **state)
{
    (void)state;
    add_notifications();
    assert_int_equal(store_notification_delete_act(g.d, ALICE, CAROL, "favourite", 100), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 503, 502, 501);
    assert_int_equal(store_notification_delete_act(g.d, ALICE, BOB, "follow", 0), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 506, 505, 503, 502);
    assert_int_equal(store_notifications_delete_status(g.d, 100), PL_OK);
    assert_notifications(NULL, NULL, 0, page(0, 0, 0, 10), 0 /* none */);
}

static void test_marker_version_increments_on_every_set(void **state)
{
    (void)state;
    add_people();
    pl_marker m;
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 100, T0), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_string_equal(m.timeline, "home");
    assert_true(m.last_read_id == 100);
    int64_t v1 = m.version;
    assert_true(m.updated_at == T0);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 105, T0 + 1), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_true(m.last_read_id == 105);
    assert_true(m.version == v1 + 1);
    assert_true(m.updated_at == T0 + 1);
    assert_int_equal(store_marker_set(g.d, ALICE, "home", 105, T0 + 2), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "home", &A, &m), PL_OK);
    assert_true(m.version == v1 + 2);
    /* other timelines and other people have their own */
    assert_int_equal(store_marker_get(g.d, ALICE, "notifications", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_get(g.d, BOB, "home", &A, &m), PL_ENOTFOUND);
    assert_int_equal(store_marker_set(g.d, ALICE, "notifications", 7, T0), PL_OK);
    assert_int_equal(store_marker_get(g.d, ALICE, "notifications", &A, &m), PL_OK);
    assert_true(m.version == v1);
}

/* ------------------------------------------------------------------------------------------ */
/* Polls                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static const char *const fruit[] = {"apple", "pear", "plum"};

/* Status 100 by ALICE with poll 900 (three options, ends at T0 + ends_in). */
static pl_poll add_poll(bool multiple, int64_t ends_in)
{
    pl_status s = status(100, ALICE, VIS_PUBLIC);
    s.poll_id = 900;
    assert_int_equal(store_status_insert(g.d, &s), PL_OK);
    pl_poll p = {.id = 900,
                 .status_id = 100,
                 .account_id = ALICE,
                 .expires_at = T0 + ends_in,
                 .multiple = multiple,
                 .created_at = T0,
                 .n_options = 3,
                 .titles = (const char **)fruit};
    assert_int_equal(store_poll_insert(g.d, &p), PL_OK);
    return p;
}

static void test_poll_insert_then_get_returns_options_in_order(void **state)
{
    (void)state;
    add_people();
    add_poll(true, 1000);
    pl_status st;
    assert_int_equal(store_status_get(g.d, 100, &A, &st), PL_OK);
    assert_true(st.poll_id == 900);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_OK);
    assert_true(p.status_id == 100 && p.account_id == ALICE && p.expires_at == T0 + 1000);
    assert_true(p.multiple && !p.hide_totals && !p.notified);
    assert_int_equal(p.n_options, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(p.titles[i], fruit[i]);
        assert_true(p.option_votes[i] == 0);
    }
    assert_int_equal(store_poll_get(g.d, 901, &A, &p), PL_ENOTFOUND);
}

static void test_poll_vote_counts_and_a_second_vote_is_a_conflict_that_writes_nothing(void **state)
{
    (void)state;
    add_people();
    add_poll(true, 1000);
    const int bob[] = {0, 2}, carol[] = {2};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, bob, 2, T0), PL_OK);
    assert_int_equal(store_poll_vote(g.d, 900, CAROL, carol, 1, T0), PL_OK);
    assert_int_equal(store_poll_vote(g.d, 900, BOB, carol, 1, T0), PL_ECONFLICT);
    assert_int_equal(store_poll_vote(g.d, 901, DAVE, carol, 1, T0), PL_ENOTFOUND);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_OK);
    assert_true(p.votes_count == 3 && p.voters_count == 2);
    assert_true(p.option_votes[0] == 1 && p.option_votes[1] == 0 && p.option_votes[2] == 2);
    int *own, n;
    assert_int_equal(store_poll_own_votes(g.d, 900, BOB, &A, &own, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(own[0], 0);
    assert_int_equal(own[1], 2);
    assert_int_equal(store_poll_own_votes(g.d, 900, DAVE, &A, &own, &n), PL_OK);
    assert_int_equal(n, 0);
    int64_t *voters;
    assert_int_equal(store_poll_voters(g.d, 900, &A, &voters, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(voters[0] == BOB && voters[1] == CAROL);
}

static void test_poll_update_keeps_votes_unless_reset_which_replaces_the_options(void **state)
{
    (void)state;
    add_people();
    pl_poll p = add_poll(false, 1000);
    const int one[] = {1};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK);
    p.expires_at = T0 + 5000;
    p.hide_totals = true;
    assert_int_equal(store_poll_update(g.d, &p, false), PL_OK);
    pl_poll got;
    assert_int_equal(store_poll_get(g.d, 900, &A, &got), PL_OK);
    assert_true(got.votes_count == 1 && got.option_votes[1] == 1);
    assert_true(got.expires_at == T0 + 5000 && got.hide_totals);

    static const char *const two[] = {"yes", "no"};
    p.titles = (const char **)two;
    p.n_options = 2;
    assert_int_equal(store_poll_update(g.d, &p, true), PL_OK);
    assert_int_equal(store_poll_get(g.d, 900, &A, &got), PL_OK);
    assert_int_equal(got.n_options, 2);
    assert_string_equal(got.titles[0], "yes");
    assert_true(got.votes_count == 0 && got.voters_count == 0 && got.option_votes[1] == 0);
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK); /* may vote again */
}

static void test_polls_claim_ended_takes_each_ended_poll_once(void **state)
{
    (void)state;
    add_people();
    pl_poll p = add_poll(false, 1000);
    int64_t *ids;
    int n;
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 999, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0); /* not ended yet */
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 1000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == 900);
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 2000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 0); /* notified already */
    /* an edit gives it a new end, to be notified again */
    p.expires_at = T0 + 3000;
    assert_int_equal(store_poll_update(g.d, &p, false), PL_OK);
    assert_int_equal(store_polls_claim_ended(g.d, T0 + 3000, 10, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 1);
}

static void test_status_delete_removes_its_poll_and_votes(void **state)
{
    (void)state;
    add_people();
    add_poll(false, 1000);
    const int one[] = {1};
    assert_int_equal(store_poll_vote(g.d, 900, BOB, one, 1, T0), PL_OK);
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    pl_poll p;
    assert_int_equal(store_poll_get(g.d, 900, &A, &p), PL_ENOTFOUND);
    assert_true(count_where("SELECT count(*) FROM poll_votes WHERE poll_id = ?", 900) == 0);
    assert_true(count_where("SELECT count(*) FROM poll_options WHERE poll_id = ?", 900) == 0);
}

static void test_status_edits_keep_the_poll_options_of_each_revision(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_PUBLIC);
    static const char *const opts[] = {"left", "right"};
    pl_status_edit e1 = {1001, 100, "a", "<p>a</p>", "", false, T0, NULL, 0};
    pl_status_edit e2 = {1002, 100, "b", "<p>b</p>", "", false, T0 + 1, (const char **)opts, 2};
    assert_int_equal(store_status_edit_insert(g.d, &e1), PL_OK);
    assert_int_equal(store_status_edit_insert(g.d, &e2), PL_OK);
    pl_status_edit *v;
    int n;
    assert_int_equal(store_status_edits(g.d, 100, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].n_poll_options, 0);
    assert_int_equal(v[1].n_poll_options, 2);
    assert_string_equal(v[1].poll_options[0], "left");
    assert_string_equal(v[1].poll_options[1], "right");
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_true(
        count_where("SELECT count(*) FROM status_edit_poll_options WHERE edit_id = ?", 1002) == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Meta and migrations                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void test_meta_set_replaces_the_value(void **state)
{
    (void)state;
    const char *v = NULL;
    assert_int_equal(store_meta_get(g.d, "instance_key", &A, &v), PL_ENOTFOUND);
    assert_int_equal(store_meta_set(g.d, "instance_key", "one"), PL_OK);
    assert_int_equal(store_meta_set(g.d, "instance_key", "two"), PL_OK);
    assert_int_equal(store_meta_get(g.d, "instance_key", &A, &v), PL_OK);
    assert_string_equal(v, "two");
}

static db *open_fresh(const char *name, char *path, size_t cap)
{
    assert_int_equal(test_db_create(g.dir, name, path, cap), 0);
    db *d;
    char err[256];
    assert_int_equal(db_open(path, 0, &d, err, sizeof err), 0);
    return d;
}

static int64_t schema_version(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT version FROM schema_version");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_i64(s, 0);
    db_reset(s);
    return v;
}

static void test_migrate_refuses_a_schema_newer_than_the_binary(void **state)
{
    (void)state;
    char path[512];
    db *d = open_fresh("newer.db", path, sizeof path);
    assert_int_equal(store_migrate(d), PL_OK);
    assert_int_equal(db_exec(d, "UPDATE schema_version SET version = version + 5"), PL_OK);
    assert_int_equal(store_migrate(d), PL_EDB);
    db_close(d);
    test_db_drop(g.dir, "newer.db");
}

static void test_second_migrate_is_a_no_op_that_keeps_data(void **state)
{
    (void)state;
    char path[512];
    db *d = open_fresh("migrate.db", path, sizeof path);
    assert_int_equal(store_migrate(d), PL_OK);
    int64_t v = schema_version(d);
    assert_true(v >= 1);
    pl_account a = account(1, "alice", "alice@example.com");
    assert_int_equal(store_account_insert(d, &a), PL_OK);
    assert_int_equal(store_migrate(d), PL_OK);
    assert_true(schema_version(d) == v);
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM schema_version");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_i64(s, 0) == 1);
    db_reset(s);
    pl_account out;
    assert_int_equal(store_account_get(d, 1, &A, &out), PL_OK);
    db_close(d);
    /* and after reopening, as on every start */
    char err[256];
    assert_int_equal(db_open(path, 0, &d, err, sizeof err), 0);
    assert_int_equal(store_migrate(d), PL_OK);
    assert_true(schema_version(d) == v);
    assert_int_equal(store_account_get(d, 1, &A, &out), PL_OK);
    db_close(d);
    arena_free(&A);
    test_db_drop(g.dir, "migrate.db");
}

static void test_readonly_connection_reads_what_the_writer_committed(void **state)
{
    (void)state;
    char path[512];
    db *w = open_fresh("ro.db", path, sizeof path);
    assert_int_equal(store_migrate(w), PL_OK);
    assert_int_equal(db_begin(w), PL_OK);
    pl_account a = account(1, "alice", "alice@example.com");
    assert_int_equal(store_account_insert(w, &a), PL_OK);
    assert_int_equal(db_commit(w), PL_OK);
    db *r;
    char err[256];
    assert_int_equal(db_open(path, DB_READONLY, &r, err, sizeof err), 0);
    pl_account out;
    assert_int_equal(store_account_by_username(r, "alice", &A, &out), PL_OK);
    db_close(r);
    db_close(w);
    arena_free(&A);
    test_db_drop(g.dir, "ro.db");
}

/* ------------------------------------------------------------------------------------------ */
/* Lists                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void add_list(int64_t id, int64_t owner, const char *title, int policy, bool exclusive)
{
    pl_list l = {.id = id,
                 .account_id = owner,
                 .title = title,
                 .replies_policy = policy,
                 .is_exclusive = exclusive,
                 .created_at = T0};
    assert_int_equal(store_list_insert(g.d, &l), PL_OK);
}

static void test_list_is_read_and_changed_only_by_its_owner(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_FOLLOWED, true);
    pl_list l;
    assert_int_equal(store_list_get(g.d, ALICE, 700, &A, &l), PL_OK);
    assert_string_equal(l.title, "Team");
    assert_int_equal(l.replies_policy, REPLIES_FOLLOWED);
    assert_true(l.is_exclusive);
    assert_true(l.account_id == ALICE && l.created_at == T0);
    assert_int_equal(store_list_get(g.d, BOB, 700, &A, &l), PL_ENOTFOUND);

    pl_list theirs = {.id = 700, .account_id = BOB, .title = "Stolen"};
    assert_int_equal(store_list_update(g.d, &theirs), PL_ENOTFOUND);
    assert_int_equal(store_list_delete(g.d, BOB, 700), PL_ENOTFOUND);

    pl_list mine = {
        .id = 700, .account_id = ALICE, .title = "Renamed", .replies_policy = REPLIES_NONE};
    assert_int_equal(store_list_update(g.d, &mine), PL_OK);
    assert_int_equal(store_list_get(g.d, ALICE, 700, &A, &l), PL_OK);
    assert_string_equal(l.title, "Renamed");
    assert_int_equal(l.replies_policy, REPLIES_NONE);
    assert_false(l.is_exclusive);
}

static void test_lists_of_an_owner_are_counted_and_listed_as_made(void **state)
{
    (void)state;
    add_people();
    add_list(702, ALICE, "b", REPLIES_LIST, false);
    add_list(701, ALICE, "a", REPLIES_LIST, false);
    add_list(703, BOB, "c", REPLIES_LIST, false);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(v[0].id == 702 && v[1].id == 701); /* a new list goes last */
    int64_t count;
    assert_int_equal(store_lists_count(g.d, ALICE, &count), PL_OK);
    assert_true(count == 2);
    assert_int_equal(store_lists_count(g.d, CAROL, &count), PL_OK);
    assert_true(count == 0);
}

static void test_lists_are_read_in_the_order_their_owner_set(void **state)
{
    (void)state;
    add_people();
    add_list(701, ALICE, "a", REPLIES_LIST, false);
    add_list(702, ALICE, "b", REPLIES_LIST, false);
    add_list(703, ALICE, "c", REPLIES_LIST, false);
    add_list(704, BOB, "d", REPLIES_LIST, false);
    const int64_t order[] = {703, 701, 702};
    assert_int_equal(store_lists_reorder(g.d, ALICE, order, 3), PL_OK);
    add_list(705, ALICE, "e", REPLIES_LIST, false);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_of(g.d, ALICE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 4);
    assert_true(v[0].id == 703 && v[1].id == 701 && v[2].id == 702 && v[3].id == 705);
    /* another person's list is not one of the owner's: not found, and it keeps its place */
    const int64_t theirs[] = {704};
    assert_int_equal(store_lists_reorder(g.d, ALICE, theirs, 1), PL_ENOTFOUND);
    assert_int_equal(store_lists_of(g.d, BOB, &A, &v, &n), PL_OK);
    assert_true(n == 1 && v[0].id == 704);
}

static void test_list_members_are_a_set_paged_by_account_id(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_ECONFLICT);
    assert_true(store_list_has_member(g.d, 700, BOB));
    assert_false(store_list_has_member(g.d, 700, ERIN));
    int64_t n;
    assert_int_equal(store_list_member_count(g.d, 700, &n), PL_OK);
    assert_true(n == 3);

    pl_page p = page(0, 0, 0, 2);
    pl_idlist l;
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, DAVE, CAROL);
    p = page(CAROL, 0, 0, 2);
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, BOB);
    p = page(0, 0, BOB, 1);
    assert_int_equal(store_list_members(g.d, 700, &p, &A, &l), PL_OK);
    assert_ids(&l, CAROL);

    assert_int_equal(store_list_member_remove(g.d, 700, CAROL), PL_OK);
    assert_int_equal(store_list_member_remove(g.d, 700, CAROL), PL_OK); /* not a member: fine */
    assert_false(store_list_has_member(g.d, 700, CAROL));
}

static void test_list_delete_takes_its_members_along(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_delete(g.d, ALICE, 700), PL_OK);
    assert_true(count_where("SELECT count(*) FROM list_accounts WHERE list_id = ?", 700) == 0);
    assert_int_equal(store_list_delete(g.d, ALICE, 700), PL_ENOTFOUND);
}

static void test_lists_with_member_are_only_the_owners(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "one", REPLIES_LIST, false);
    add_list(701, ALICE, "two", REPLIES_LIST, false);
    add_list(702, BOB, "bob's", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    pl_list *v;
    int n;
    assert_int_equal(store_lists_with_member(g.d, ALICE, CAROL, &A, &v, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(v[0].id == 700 && v[1].id == 701);
    assert_string_equal(v[1].title, "two");
    assert_int_equal(store_lists_with_member(g.d, ALICE, DAVE, &A, &v, &n), PL_OK);
    assert_int_equal(n, 0);
}

static void test_forget_account_empties_only_the_owners_lists(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "one", REPLIES_LIST, false);
    add_list(701, ALICE, "two", REPLIES_LIST, false);
    add_list(702, BOB, "bob's", REPLIES_LIST, false);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    assert_int_equal(store_lists_forget_account(g.d, ALICE, CAROL), PL_OK);
    assert_false(store_list_has_member(g.d, 700, CAROL));
    assert_false(store_list_has_member(g.d, 701, CAROL));
    assert_true(store_list_has_member(g.d, 701, DAVE));
    assert_true(store_list_has_member(g.d, 702, CAROL));
}

static void test_members_all_carry_last_post_and_the_owners_reblog_choice(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "Team", REPLIES_LIST, false);
    assert_int_equal(store_follow_insert(g.d, 900, ALICE, BOB, false, false, T0), PL_OK);
    follow(901, ALICE, CAROL);
    assert_int_equal(store_account_touch_status(g.d, BOB, T0 + 5), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 700, CAROL, T0), PL_OK);
    pl_list_member *m;
    int n;
    assert_int_equal(store_list_members_all(g.d, 700, ALICE, &A, &m, &n), PL_OK);
    assert_int_equal(n, 2);
    const pl_list_member *bob = m[0].account_id == BOB ? &m[0] : &m[1];
    const pl_list_member *carol = m[0].account_id == CAROL ? &m[0] : &m[1];
    assert_true(bob->account_id == BOB && carol->account_id == CAROL);
    assert_true(bob->last_status_at == T0 + 5);
    assert_false(bob->show_reblogs);
    assert_true(carol->last_status_at == 0);
    assert_true(carol->show_reblogs);
}

static void test_exclusive_members_come_from_exclusive_lists_only_once_sorted(void **state)
{
    (void)state;
    add_people();
    add_list(700, ALICE, "exclusive", REPLIES_LIST, true);
    add_list(701, ALICE, "also exclusive", REPLIES_LIST, true);
    add_list(702, ALICE, "plain", REPLIES_LIST, false);
    add_list(703, BOB, "bob's exclusive", REPLIES_LIST, true);
    assert_int_equal(store_list_member_add(g.d, 700, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, DAVE, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 701, BOB, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 702, CAROL, T0), PL_OK);
    assert_int_equal(store_list_member_add(g.d, 703, ERIN, T0), PL_OK);
    int64_t *ids;
    int n;
    assert_int_equal(store_lists_exclusive_members(g.d, ALICE, &A, &ids, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] == BOB && ids[1] == DAVE);
}

/* ---------------------------------------------------------------- live events */

static void assert_event(const pl_event *e, int kind, int64_t id, int64_t account, int64_t aux)
{
    assert_int_equal(e->kind, kind);
    assert_true(e->id == id);
    assert_true(e->account_id == account);
    assert_true(e->aux == aux);
}

static void test_status_writes_record_live_events_with_ids_only(void **state)
{
    (void)state;
    add_people();
    int n;
    db_events_clear(g.d);
    add_status(100, ALICE, VIS_PRIVATE);
    pl_status s = status(100, ALICE, VIS_PRIVATE);
    s.text = "edited";
    assert_int_equal(store_status_update(g.d, &s), PL_OK);
    assert_int_equal(store_status_update(g.d, &s), PL_OK); /* one edit, told once */
    pl_notification note = {.id = 500,
                            .account_id = BOB,
                            .from_account_id = ALICE,
                            .type = "favourite",
                            .status_id = 100,
                            .created_at = T0};
    assert_int_equal(store_notification_insert(g.d, &note), PL_OK);
    const pl_event *e = db_events(g.d, &n);
    assert_int_equal(n, 3);
    assert_event(&e[0], EV_STATUS, 100, ALICE, VIS_PRIVATE);
    assert_event(&e[1], EV_STATUS_UPDATE, 100, ALICE, VIS_PRIVATE);
    assert_event(&e[2], EV_NOTIFICATION, 500, BOB, 0);
    db_events_clear(g.d);
    db_events(g.d, &n);
    assert_int_equal(n, 0);
}

static void test_delete_event_carries_author_visibility_and_mentions(void **state)
{
    (void)state;
    add_people();
    add_status(100, ALICE, VIS_DIRECT);
    add_status(101, ALICE, VIS_PUBLIC);
    assert_int_equal(store_status_mention_add(g.d, 100, BOB), PL_OK);
    assert_int_equal(store_status_mention_add(g.d, 100, CAROL), PL_OK);
    assert_int_equal(store_status_mention_add(g.d, 101, DAVE), PL_OK);
    db_events_clear(g.d);
    assert_int_equal(store_status_delete(g.d, 100), PL_OK);
    assert_int_equal(store_status_delete(g.d, 101), PL_OK);
    assert_int_equal(store_status_delete(g.d, 999), PL_OK); /* nothing to tell */
    int n;
    const pl_event *e = db_events(g.d, &n);
    assert_int_equal(n, 4);
    assert_event(&e[0], EV_DELETE, 100, ALICE, VIS_DIRECT);
    /* the mentioned accounts of a direct post, in any order, with its author; a public one
     * names none */
    assert_int_equal(e[1].kind, EV_DELETE_DIRECT_TO);
    assert_int_equal(e[2].kind, EV_DELETE_DIRECT_TO);
    assert_true(e[1].aux == ALICE && e[2].aux == ALICE);
    assert_true((e[1].account_id == BOB && e[2].account_id == CAROL) ||
                (e[1].account_id == CAROL && e[2].account_id == BOB));
    assert_true(e[1].id == 100 && e[2].id == 100);
    assert_event(&e[3], EV_DELETE, 101, ALICE, VIS_PUBLIC);
}

static void test_rolled_back_savepoint_drops_its_events(void **state)
{
    (void)state;
    add_people();
    db_events_clear(g.d);
    assert_int_equal(db_savepoint(g.d), PL_OK);
    add_status(100, ALICE, VIS_PUBLIC);
    assert_int_equal(db_release(g.d), PL_OK);
    assert_int_equal(db_savepoint(g.d), PL_OK);
    add_status(101, ALICE, VIS_PUBLIC);
    assert_int_equal(db_rollback_to(g.d), PL_OK);
    int n;
    const pl_event *e = db_events(g.d, &n);
    assert_int_equal(n, 1);
    assert_event(&e[0], EV_STATUS, 100, ALICE, VIS_PUBLIC);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_account_insert_then_get_returns_the_row),
        T(test_account_get_unknown_id_is_not_found),
        T(test_account_by_username_ignores_case),
        T(test_account_by_email_ignores_case),
        T(test_account_username_taken_in_other_case_is_a_conflict),
        T(test_account_email_taken_in_other_case_is_a_conflict),
        T(test_account_id_taken_is_a_conflict),
        T(test_account_counts_flags_and_fields_update),
        T(test_pending_accounts_come_with_their_reason_until_it_is_forgotten),
        T(test_stats_count_active_accounts_and_their_statuses),
        T(test_token_comes_with_its_account_in_one_query),
        T(test_status_insert_then_get_returns_the_row),
        T(test_statuses_and_accounts_come_in_batches_leaving_out_unknown_ids),
        T(test_status_update_and_counts),
        T(test_status_mentions_and_tags_are_sets),
        T(test_status_delete_removes_its_mentions_tags_engagement_and_feed_rows),
        T(test_status_edits_are_listed_oldest_first),
        T(test_poll_insert_then_get_returns_options_in_order),
        T(test_poll_vote_counts_and_a_second_vote_is_a_conflict_that_writes_nothing),
        T(test_poll_update_keeps_votes_unless_reset_which_replaces_the_options),
        T(test_polls_claim_ended_takes_each_ended_poll_once),
        T(test_status_delete_removes_its_poll_and_votes),
        T(test_status_edits_keep_the_poll_options_of_each_revision),
        T(test_replies_reblogs_and_idempotency_lookups),
        T(test_paging_without_bounds_gives_the_newest_first),
        T(test_paging_max_id_gives_older_items_below_it),
        T(test_paging_since_id_gives_the_newest_items_above_it),
        T(test_paging_min_id_gives_the_items_just_above_it_newest_first),
        T(test_paging_min_id_and_max_id_give_the_window_between),
        T(test_paging_since_id_wins_over_min_id),
        T(test_paging_since_id_and_max_id_give_the_newest_of_the_window),
        T(test_paging_limit_zero_gives_nothing),
        T(test_account_list_can_leave_out_replies_to_others_and_reblogs),
        T(test_public_list_has_only_public_originals),
        T(test_tag_list_has_only_public_statuses_with_the_tag),
        T(test_follow_and_relationship),
        T(test_follow_twice_is_a_conflict),
        T(test_unfollow_reports_whether_there_was_a_follow),
        T(test_follower_lists_are_paged_by_follow_id),
        T(test_merge_sources_hold_only_the_big_accounts_followed),
        T(test_viewer_relations_come_in_one_query_as_four_sorted_sets),
        T(test_viewer_flags_read_a_range_and_refuse_more_than_max),
        T(test_trim_batch_of_zero_trims_nothing),
        T(test_fanout_delivers_a_reply_to_the_follower_it_answers),
        T(test_block_shows_in_both_directions_of_the_relationship),
        T(test_mute_expires_and_remembers_notification_choice),
        T(test_fanout_reaches_followers_and_the_author_only),
        T(test_fanout_skips_a_reply_for_followers_who_do_not_follow_the_replied_to),
        T(test_fanout_delivers_a_self_reply_to_every_follower),
        T(test_fanout_of_a_reblog_respects_show_reblogs),
        T(test_timeline_insert_is_idempotent_and_pages_newest_first),
        T(test_timeline_remove_author_and_status),
        T(test_a_fanout_queued_for_a_deleted_post_leaves_no_feed_row),
        T(test_a_delete_removes_a_few_feed_rows_and_queues_the_rest),
        T(test_home_leaves_out_a_post_whose_rows_wait_to_be_removed),
        T(test_backfill_copies_recent_top_level_posts_but_not_direct_or_reblogs),
        T(test_trim_keeps_the_newest_entries),
        T(test_trim_batch_walks_the_accounts_and_wraps_to_zero),
        T(test_favourite_and_bookmark_are_sets_with_paged_lists),
        T(test_reblogged_by_lists_the_rebloggers),
        T(test_notifications_are_listed_newest_first),
        T(test_notifications_filter_by_types),
        T(test_notifications_filter_by_exclude_types),
        T(test_empty_types_list_means_every_type),
        T(test_notifications_filter_by_sender),
        T(test_notification_get_dismiss_and_clear_are_per_account),
        T(test_notifications_go_with_their_status_or_their_act),
        T(test_marker_version_increments_on_every_set),
        T(test_meta_set_replaces_the_value),
        T(test_list_is_read_and_changed_only_by_its_owner),
        T(test_lists_of_an_owner_are_counted_and_listed_as_made),
        T(test_lists_are_read_in_the_order_their_owner_set),
        T(test_list_members_are_a_set_paged_by_account_id),
        T(test_list_delete_takes_its_members_along),
        T(test_lists_with_member_are_only_the_owners),
        T(test_forget_account_empties_only_the_owners_lists),
        T(test_members_all_carry_last_post_and_the_owners_reblog_choice),
        T(test_exclusive_members_come_from_exclusive_lists_only_once_sorted),
        T(test_status_writes_record_live_events_with_ids_only),
        T(test_delete_event_carries_author_visibility_and_mentions),
        T(test_rolled_back_savepoint_drops_its_events),
        cmocka_unit_test(test_second_migrate_is_a_no_op_that_keeps_data),
        cmocka_unit_test(test_migrate_refuses_a_schema_newer_than_the_binary),
        cmocka_unit_test(test_readonly_connection_reads_what_the_writer_committed),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
