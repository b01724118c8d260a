/*
 * test_confirm.c — unit tests for src/app/confirm.c and src/app/outbox.c (with store/email.c):
 * who must confirm, what the link does (once, before it expires, only the newest), who may
 * ask for it again, how an unconfirmed token is refused, and how the outbox retries and gives
 * up. Runs on SQLite and, with PARTYLINE_TEST_DATABASE, on PostgreSQL.
 *
 * Each test registers its own person inside the fixture's rolled-back transaction; the
 * outbox test needs transactions of its own (as the mailer thread has), so it ends the
 * fixture's first and cleans up after itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/auth.h"
#include "app/confirm.h"
#include "app/audience.h"
#include "app/graph.h"
#include "app/outbox.h"
#include "app/posts.h"
#include "store/graph.h"
#include "store/posts.h"
#include "store/accounts.h"
#include "store/email.h"

#include "app_fixture.h"

enum { APP_ID = 77, OTHER_APP = 78 };

/* Settings as a company with a domain list and a relay has them. */
static void confirming_company(void)
{
    snprintf(F.cfg.allowed_domains, sizeof F.cfg.allowed_domains, "example.com");
    snprintf(F.cfg.smtp_url, sizeof F.cfg.smtp_url, "smtp://127.0.0.1:1");
    snprintf(F.cfg.smtp_from, sizeof F.cfg.smtp_from, "noreply@example.com");
}

static pl_account signup(const char *username, bool skip_rules)
{
    char email[96];
    snprintf(email, sizeof email, "%s@example.com", username);
    accounts_new n = {.username = username,
                      .email = email,
                      .password = "correct horse battery",
                      .skip_rules = skip_rules,
                      .app_id = APP_ID};
    pl_account acc;
    app_ctx *c = req();
    int rc = accounts_register(c, &n, &acc);
    if (rc) fprintf(stderr, "register: %s\n", c->errmsg ? c->errmsg : pl_strerror(rc));
    assert_int_equal(rc, PL_OK);
    return acc;
}

/* Decodes quoted-printable (soft breaks dropped, =XX decoded) into a malloc'd string. */
static char *qp_decode(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
        } else if (p[0] == '=') {
            unsigned v;
            assert_int_equal(sscanf(p + 1, "%2X", &v), 1);
            *o++ = (char)v;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* The secret of the link in the account's queued confirmation, into out (arena). */
static const char *queued_secret(int64_t account_id)
{
    app_ctx *c = req();
    pl_mail m;
    /* the claim is rolled back with the test; it only reads the row here */
    assert_int_equal(store_outbox_claim(c->db, c->now + 1, c->now + 1, c->a, &m), PL_OK);
    assert_int_equal(m.account_id, account_id);
    assert_string_equal(m.kind, OUTBOX_CONFIRMATION);
    char *body = qp_decode(strstr(m.message, "\r\n\r\n") + 4);
    const char *k = strstr(body, "/auth/confirmation?confirmation_token=");
    assert_non_null(k);
    k += strlen("/auth/confirmation?confirmation_token=");
    size_t n = strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    assert_int_equal(n, 43); /* 32 random bytes, base64url */
    const char *secret = arena_strndup(c->a, k, n);
    free(body);
    /* give the row back to "due", as it was */
    assert_int_equal(store_outbox_retry(c->db, m.id, c->now, "peeked"), PL_OK);
    return secret;
}

static int64_t outbox_count(void)
{
    int64_t n = -1;
    assert_int_equal(store_outbox_count(req()->db, &n), PL_OK);
    return n;
}

static bool is_unconfirmed(int64_t id)
{
    pl_account a;
    app_ctx *c = req();
    assert_int_equal(store_account_get(c->db, id, c->a, &a), PL_OK);
    return a.is_unconfirmed;
}

static void test_where_domains_are_set_a_registration_is_unconfirmed_and_its_link_queued(void **st)
{
    (void)st;
    confirming_company();
    pl_account acc = signup("cf_a", false);
    assert_true(acc.is_unconfirmed);
    assert_true(is_unconfirmed(acc.id));
    assert_int_equal(outbox_count(), 1);
    pl_confirmation conf;
    assert_int_equal(store_confirmation_of(req()->db, acc.id, &conf), PL_OK);
    assert_int_equal(conf.app_id, APP_ID);
    assert_int_equal(conf.expires_at, F.c.now - 3 + 24LL * 3600 * 1000); /* confirm_email_hours */

    /* its token is refused as Mastodon refuses it, and the account is told to the caller */
    app_ctx *c = req();
    const char *token;
    assert_int_equal(auth_token_issue(c, APP_ID, acc.id, "read write", &token), PL_OK);
    pl_token t;
    const pl_account *who = NULL;
    c = req();
    assert_int_equal(auth_authenticate(c, token, &t, &who), PL_EFORBIDDEN);
    assert_string_equal(c->errmsg, "Your login is missing a confirmed e-mail address");
    assert_non_null(who);
    assert_int_equal(who->id, acc.id);
}

static void test_without_a_domain_list_or_with_confirm_off_accounts_are_confirmed(void **st)
{
    (void)st;
    snprintf(F.cfg.smtp_url, sizeof F.cfg.smtp_url, "smtp://127.0.0.1:1");
    assert_false(signup("cf_open", false).is_unconfirmed); /* auto, no allowed_domains */
    confirming_company();
    F.cfg.confirm_email = CONFIRM_OFF;
    assert_false(signup("cf_off", false).is_unconfirmed);
    F.cfg.confirm_email = CONFIRM_ON;
    F.cfg.allowed_domains[0] = '\0';
    assert_true(signup("cf_on", false).is_unconfirmed);
    /* an administrator's account: they vouch for the address */
    assert_false(signup("cf_admin", true).is_unconfirmed);
    assert_int_equal(outbox_count(), 1);
}

static void test_the_link_confirms_once(void **st)
{
    (void)st;
    confirming_company();
    pl_account acc = signup("cf_once", false);
    const char *secret = queued_secret(acc.id);
    const char *who = NULL;
    assert_int_equal(confirm_open(req(), "wrong", &who), PL_ENOTFOUND);
    assert_int_equal(confirm_open(req(), "", &who), PL_ENOTFOUND);
    assert_int_equal(confirm_open(req(), NULL, &who), PL_ENOTFOUND);
    assert_true(is_unconfirmed(acc.id));
    assert_int_equal(confirm_open(req(), secret, &who), PL_OK);
    assert_string_equal(who, "cf_once");
    assert_false(is_unconfirmed(acc.id));
    assert_int_equal(outbox_count(), 0); /* the unsent copy of a used link is gone too */
    app_ctx *c = req();
    assert_int_equal(confirm_open(c, secret, &who), PL_ENOTFOUND);
    assert_non_null(strstr(c->errmsg, "used already"));
    /* and the account's token now works */
    const char *token;
    assert_int_equal(auth_token_issue(req(), APP_ID, acc.id, "read", &token), PL_OK);
    pl_token t;
    const pl_account *me = NULL;
    assert_int_equal(auth_authenticate(req(), token, &t, &me), PL_OK);
    assert_int_equal(me->id, acc.id);
}

static void test_an_expired_link_is_refused(void **st)
{
    (void)st;
    confirming_company();
    F.cfg.confirm_email_hours = 2;
    pl_account acc = signup("cf_late", false);
    const char *secret = queued_secret(acc.id);
    F.now += 2LL * 3600 * 1000 + 10;
    app_ctx *c = req();
    const char *who = NULL;
    assert_int_equal(confirm_open(c, secret, &who), PL_EINVAL);
    assert_non_null(strstr(c->errmsg, "expired"));
    assert_true(is_unconfirmed(acc.id));
}

static void test_sending_again_replaces_the_link_and_the_unsent_message(void **st)
{
    (void)st;
    confirming_company();
    pl_account acc = signup("cf_again", false);
    const char *old = queued_secret(acc.id);
    F.now += 60 * 1000; /* confirm_resend_every */
    int64_t wait = -1;
    assert_int_equal(confirm_resend(req(), acc.id, APP_ID, "cf_fixed@example.com", &wait), PL_OK);
    assert_int_equal(outbox_count(), 1);
    const char *fresh = queued_secret(acc.id);
    assert_string_not_equal(old, fresh);
    pl_account a;
    app_ctx *c = req();
    assert_int_equal(store_account_get(c->db, acc.id, c->a, &a), PL_OK);
    assert_string_equal(a.email, "cf_fixed@example.com");
    const char *who;
    assert_int_equal(confirm_open(req(), old, &who), PL_ENOTFOUND);
    assert_int_equal(confirm_open(req(), fresh, &who), PL_OK);
}

static void test_a_resend_sooner_than_confirm_resend_every_changes_nothing(void **st)
{
    (void)st;
    confirming_company();
    pl_account acc = signup("cf_soon", false);
    const char *first = queued_secret(acc.id);
    F.now += 59 * 1000 + 500; /* the default wait is 60 s after the last link */
    app_ctx *c = req();
    int64_t wait = -1;
    assert_int_equal(confirm_resend(c, acc.id, APP_ID, "cf_moved@example.com", &wait), PL_ERATE);
    assert_int_equal(wait, 1);
    assert_non_null(strstr(c->errmsg, "wait 1 seconds"));
    pl_account a;
    c = req();
    assert_int_equal(store_account_get(c->db, acc.id, c->a, &a), PL_OK);
    assert_string_equal(a.email, "cf_soon@example.com");
    assert_string_equal(queued_secret(acc.id), first);
    F.now += 1000;
    assert_int_equal(confirm_resend(req(), acc.id, APP_ID, NULL, &wait), PL_OK);
    assert_string_not_equal(queued_secret(acc.id), first);
    F.cfg.confirm_resend_every = 0; /* no wait */
    assert_int_equal(confirm_resend(req(), acc.id, APP_ID, NULL, &wait), PL_OK);
}

static void test_only_the_signup_app_may_resend_and_only_while_unconfirmed(void **st)
{
    (void)st;
    confirming_company();
    F.cfg.confirm_resend_every = 0;
    int64_t wait;
    pl_account acc = signup("cf_rules", false);
    app_ctx *c = req();
    assert_int_equal(confirm_resend(c, acc.id, OTHER_APP, NULL, &wait), PL_EFORBIDDEN);
    assert_string_equal(c->errmsg, "This method is only available to the application the user "
                                   "originally signed-up with");
    c = req();
    assert_int_equal(confirm_resend(c, acc.id, APP_ID, "someone@example.org", &wait), PL_EINVAL);
    assert_string_equal(c->errfield, "email");
    assert_string_equal(c->errkey, "ERR_BLOCKED");
    signup("cf_other", false);
    c = req();
    assert_int_equal(confirm_resend(c, acc.id, APP_ID, "cf_other@example.com", &wait), PL_EINVAL);
    assert_string_equal(c->errkey, "ERR_TAKEN");
    /* a mail that cannot be composed for the address is refused before anything changes */
    c = req();
    assert_int_equal(confirm_resend(c, acc.id, APP_ID, "cf\"q@example.com", &wait), PL_EINVAL);
    pl_account admin = signup("cf_confirmed", true);
    c = req();
    assert_int_equal(confirm_resend(c, admin.id, APP_ID, NULL, &wait), PL_EFORBIDDEN);
    assert_string_equal(c->errmsg,
                        "This method is only available while the e-mail is awaiting confirmation");
}

static void
test_an_account_never_confirmed_goes_after_unconfirmed_expire_with_all_that_names_it(void **st)
{
    (void)st;
    confirming_company();
    pl_account gone = signup("cf_gone", false);
    pl_account kept = signup("cf_kept", true); /* confirmed, as old */
    pl_account blocker = signup("cf_blocker", true);
    assert_int_equal(graph_follow(req(), kept.id, gone.id, -1, -1), PL_OK);
    assert_int_equal(graph_block(req(), blocker.id, gone.id), PL_OK);
    posts_new p = {.text = "@cf_gone just us", .visibility = VIS_DIRECT, .sensitive = -1};
    int64_t dm = 0;
    assert_int_equal(posts_create(req(), kept.id, &p, &dm), PL_OK);
    assert_true(store_status_mentions_account(req()->db, dm, gone.id));
    F.now += 7LL * 24 * 3600 * 1000 - 10; /* not yet: unconfirmed_expire is 7 days */
    int64_t cursor = 0;
    int pruned = -1;
    assert_int_equal(confirm_prune_step(req(), &cursor, &pruned), PL_OK);
    assert_int_equal(pruned, 0);
    F.now += 1000;
    pl_account young = signup("cf_young", false);
    assert_int_equal(confirm_prune_step(req(), &cursor, &pruned), PL_OK);
    assert_int_equal(pruned, 1);
    app_ctx *c = req();
    pl_account a;
    assert_int_equal(store_account_get(c->db, gone.id, c->a, &a), PL_ENOTFOUND);
    assert_int_equal(store_account_by_username(c->db, "cf_gone", c->a, &a), PL_ENOTFOUND);
    assert_int_equal(store_account_get(c->db, young.id, c->a, &a), PL_OK); /* too young */
    assert_int_equal(store_account_get(c->db, kept.id, c->a, &a), PL_OK);
    assert_int_equal(a.following_count, 0);
    assert_false(store_follows(c->db, kept.id, gone.id));
    assert_false(store_status_mentions_account(c->db, dm, gone.id));
    pl_status s;
    assert_int_equal(store_status_get(c->db, dm, c->a, &s), PL_OK);
    assert_int_equal(s.mentions_count, 0);
    pl_confirmation conf;
    assert_int_equal(store_confirmation_of(c->db, gone.id, &conf), PL_ENOTFOUND);
    /* blocks of it are gone too (store_blocks fails closed, so ask the list) */
    pl_idlist blocked = {0};
    pl_page page = {.limit = 40};
    assert_int_equal(graph_blocks(req(), blocker.id, &page, &blocked), PL_OK);
    assert_int_equal(blocked.n, 0);
    /* the username is free, and whoever takes it inherits nothing */
    pl_account again = signup("cf_gone", false);
    assert_true(again.id != gone.id);
    assert_false(audience_can_see(req(), again.id, &s));
    /* each account is looked at once; a confirmed one never goes */
    F.now += 8LL * 24 * 3600 * 1000;
    assert_int_equal(confirm_prune_step(req(), &cursor, &pruned), PL_OK);
    assert_int_equal(pruned, 2); /* young and again; never kept nor blocker */
    c = req();
    assert_int_equal(store_account_get(c->db, kept.id, c->a, &a), PL_OK);
    F.cfg.unconfirmed_expire = 0; /* never */
    signup("cf_never", false);
    F.now += 30LL * 24 * 3600 * 1000;
    assert_int_equal(confirm_prune_step(req(), &cursor, &pruned), PL_OK);
    assert_int_equal(pruned, 0);
}

static void test_the_outbox_backs_off_then_gives_up(void **st)
{
    (void)st;
    db_rollback(F.d); /* the mailer's transactions are its own */
    confirming_company();
    F.cfg.mail_max_attempts = 3;
    F.cfg.mail_retry_seconds = 30;
    mail_relay relay = outbox_relay(&F.cfg);
    relay.timeout_sec = 5;
    app_ctx *c = req();
    c->own_txn = true;
    mail_message m = {.from_addr = "noreply@example.com",
                      .to_addr = "ada@example.com",
                      .subject = "Hi",
                      .text = "Hello\n",
                      .date_ms = c->now};
    assert_int_equal(db_begin(c->db), PL_OK);
    assert_int_equal(outbox_queue(c, "test", 0, &m), PL_OK);
    assert_int_equal(db_commit(c->db), PL_OK);
    int64_t t0 = F.now;
    /* each attempt at the time given, and whether one was due */
    struct {
        int64_t at;
        bool attempted;
        int64_t left;
    } steps[] = {
        {0, true, 1},      /* fails: nothing listens on port 1; next in 30 s */
        {1000, false, 1},  /* not due yet */
        {31000, true, 1},  /* fails again; next 60 s later */
        {60000, false, 1}, /* not due */
        {91500, true, 0},  /* the third and last: given up, gone */
        {1000000, false, 0},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        F.now = t0 + steps[i].at - 1;
        c = req();
        c->own_txn = true;
        bool attempted = true;
        assert_int_equal(outbox_deliver_one(c, &relay, &attempted), PL_OK);
        assert_int_equal(attempted, steps[i].attempted);
        assert_int_equal(outbox_count(), steps[i].left);
    }
    assert_int_equal(db_begin(F.d), PL_OK); /* for the fixture's rollback */
}

static int group_setup(void **state)
{
    (void)state;
    return fixture_open();
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_where_domains_are_set_a_registration_is_unconfirmed_and_its_link_queued,
            fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(
            test_without_a_domain_list_or_with_confirm_off_accounts_are_confirmed, fixture_begin,
            fixture_end),
        cmocka_unit_test_setup_teardown(test_the_link_confirms_once, fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_an_expired_link_is_refused, fixture_begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(test_sending_again_replaces_the_link_and_the_unsent_message,
                                        fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(
            test_a_resend_sooner_than_confirm_resend_every_changes_nothing, fixture_begin,
            fixture_end),
        cmocka_unit_test_setup_teardown(
            test_only_the_signup_app_may_resend_and_only_while_unconfirmed, fixture_begin,
            fixture_end),
        cmocka_unit_test_setup_teardown(
            test_an_account_never_confirmed_goes_after_unconfirmed_expire_with_all_that_names_it,
            fixture_begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_the_outbox_backs_off_then_gives_up, fixture_begin,
                                        fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
