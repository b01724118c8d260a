/*
 * test_store.c — unit tests for src/store over a real database (store_fixture.h): accounts,
 * statuses and their paging, meta and migrations, and the live events writes record.
 * test_store_feeds.c has follows and home feeds; test_store_engage.c engagement,
 * notifications, markers, polls and lists.
 *
 * Where the store's contract is about rows disappearing (delete cascades), the tests look
 * at the tables directly through db.h. The migration tests open databases of their own.
 */
#define STORE_FIXTURE_DIR "/tmp/pl-store-XXXXXX"
#include "store_fixture.h"
#include "test_db.h" /* make test-unit-pg finds the database tests by this line */

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
/* Live events                                                                                 */
/* ------------------------------------------------------------------------------------------ */

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
        T(test_meta_set_replaces_the_value),
        T(test_status_writes_record_live_events_with_ids_only),
        T(test_delete_event_carries_author_visibility_and_mentions),
        T(test_rolled_back_savepoint_drops_its_events),
        cmocka_unit_test(test_second_migrate_is_a_no_op_that_keeps_data),
        cmocka_unit_test(test_migrate_refuses_a_schema_newer_than_the_binary),
        cmocka_unit_test(test_readonly_connection_reads_what_the_writer_committed),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
