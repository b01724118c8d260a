/*
 * test_auth.c — unit tests for src/app/auth.c and src/store/auth.c: client secrets stored as
 * SHA-256 (and migration 020, which hashes the plaintext ones of older versions), single-use
 * authorization codes, the sign-in throttle, and a person's own sessions (app/sessions.c). On
 * SQLite, and on PostgreSQL in `make test-unit-pg`. Every test runs in a transaction that is rolled
 * back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/auth.h"
#include "app/sessions.h"
#include "store/auth.h"

extern const char *const migrations_sqlite[];
extern const char *const migrations_postgres[];

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

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static void test_client_secret_is_stored_as_its_sha256(void **state)
{
    (void)state;
    pl_app app;
    ok(auth_app_create(req(), "Test", AUTH_OOB, "read", NULL, &app));
    const char *secret = app.client_secret;
    char want[65];
    auth_secret_hash(secret, want);
    pl_app row;
    ok(store_app_by_client_id(F.d, app.client_id, &F.a, &row));
    assert_string_equal(row.client_secret, want);
    assert_string_not_equal(row.client_secret, secret);
    pl_app got;
    ok(auth_client(req(), app.client_id, secret, &got));
    assert_int_equal(got.id, app.id);
    assert_int_equal(auth_client(req(), app.client_id, want, &got), PL_EAUTH);
    assert_int_equal(auth_client(req(), app.client_id, "", &got), PL_EAUTH);
    assert_int_equal(auth_client(req(), app.client_id, NULL, &got), PL_EAUTH);
}

/* The text of migration 020 for this database's driver. */
static const char *migration_020(void)
{
    const char *const *list =
        strcmp(db_driver_name(F.d), "postgres") ? migrations_sqlite : migrations_postgres;
    for (int i = 0; list[i]; i++)
        if (strstr(list[i], "020_client_secret_hash.sql")) return list[i];
    return NULL;
}

static void test_migration_020_hashes_plaintext_secrets_once(void **state)
{
    (void)state;
    pl_app old = {.id = app_new_id(req()),
                  .name = "Old",
                  .redirect_uris = AUTH_OOB,
                  .scopes = "read",
                  .client_id = "old-client-id",
                  .client_secret = "an-old-plaintext-secret",
                  .created_at = F.now};
    ok(store_app_insert(F.d, &old));
    const char *sql = migration_020();
    assert_non_null(sql);
    ok(db_exec(F.d, sql));
    pl_app got;
    ok(auth_client(req(), "old-client-id", "an-old-plaintext-secret", &got));
    char want[65];
    auth_secret_hash("an-old-plaintext-secret", want);
    ok(store_app_by_client_id(F.d, "old-client-id", &F.a, &got));
    assert_string_equal(got.client_secret, want);
    ok(db_exec(F.d, sql)); /* a hash is not hashed again */
    ok(auth_client(req(), "old-client-id", "an-old-plaintext-secret", &got));
}

static void test_a_code_is_claimed_once(void **state)
{
    (void)state;
    ok(store_code_insert(F.d, "h1", 1, 2, AUTH_OOB, "read", NULL, NULL, F.now + 60000));
    ok(store_code_claim(F.d, "h1"));
    assert_int_equal(store_code_claim(F.d, "h1"), PL_ENOTFOUND);
    assert_int_equal(store_code_claim(F.d, "no-such-code"), PL_ENOTFOUND);
}

static void test_challenge_method_is_s256_none_or_plain_by_name(void **state)
{
    (void)state;
    ok(auth_challenge_method_check(req(), NULL));
    ok(auth_challenge_method_check(req(), ""));
    ok(auth_challenge_method_check(req(), "S256"));
    ok(auth_challenge_method_check(req(), "plain"));
    assert_int_equal(auth_challenge_method_check(req(), "s256"), PL_EINVAL);
    assert_int_equal(auth_challenge_method_check(req(), "md5"), PL_EINVAL);
}

/* password_hash_memory sets argon2id's memory (KiB) for new hashes, and the dummy hash an
 * unknown login is checked against is made at the same cost (the timing stays the same). */
static void test_password_hash_takes_the_configured_memory(void **state)
{
    (void)state;
    F.cfg.password_hash_memory = 65536; /* the default (the fixture lowers it) */
    const char *h = auth_password_hash(req(), "correct horse battery");
    assert_non_null(h);
    assert_true(!strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31));
    F.cfg.password_hash_memory = 8;
    h = auth_password_hash(req(), "correct horse battery");
    assert_non_null(h);
    assert_true(!strncmp(h, "$argon2id$v=19$m=8,t=2,p=1$", 27));
    assert_int_equal(crypto_pwhash_str_verify(h, "correct horse battery", 21), 0);
    accounts_new n = {.username = "hashcost",
                      .email = "hashcost@example.com",
                      .password = "correct horse battery",
                      .skip_rules = true};
    pl_account acc;
    ok(accounts_register(req(), &n, &acc));
    int64_t id = acc.id;
    ok(auth_check_password(req(), "hashcost@example.com", "correct horse battery", NULL, &acc));
    assert_int_equal(acc.id, id);
    assert_true(!strncmp(acc.password_hash, "$argon2id$v=19$m=8,t=2,p=1$", 27));
    assert_int_not_equal(auth_check_password(req(), "hashcost@example.com", "wrong", NULL, &acc),
                         PL_OK);
    assert_int_not_equal(auth_check_password(req(), "nobody@example.com", "wrong", NULL, &acc),
                         PL_OK);
}

/* Two people (account ids only: tokens name their account) with two tokens each (ids
 * 9001..9004: ana's odd, bo's even). */
static void two_people_two_tokens(int64_t *ana, int64_t *bo)
{
    *ana = 7701;
    *bo = 7702;
    ok(store_token_insert(F.d, 9001, "hash-9001", 0, *ana, "read", F.now));
    ok(store_token_insert(F.d, 9002, "hash-9002", 0, *bo, "read", F.now));
    ok(store_token_insert(F.d, 9003, "hash-9003", 0, *ana, "read write", F.now));
    ok(store_token_insert(F.d, 9004, "hash-9004", 0, *bo, "read write", F.now));
}

static bool is_live(const char *hash)
{
    pl_token t;
    return store_token_by_hash(F.d, hash, &F.a, &t) == PL_OK;
}

/* One sees and revokes only one's own sessions; another's id is "not found" and stays. */
static void test_sessions_are_each_persons_own(void **state)
{
    (void)state;
    int64_t ana, bo;
    two_people_two_tokens(&ana, &bo);
    pl_session *rows;
    int n;
    ok(sessions_list(req(), ana, 0, 40, &rows, &n));
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, 9003); /* newest first */
    assert_string_equal(rows[0].scopes, "read write");
    assert_null(rows[0].app_name); /* no app: an app-less row reads as none */
    assert_int_equal(rows[1].id, 9001);
    ok(sessions_list(req(), ana, 9003, 40, &rows, &n)); /* max_id pages on */
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, 9001);
    ok(sessions_list(req(), ana, 0, 1, &rows, &n));
    assert_int_equal(n, 1);

    assert_int_equal(sessions_revoke(req(), ana, 9002), PL_ENOTFOUND);
    assert_true(is_live("hash-9002"));
    ok(sessions_revoke(req(), ana, 9001));
    assert_false(is_live("hash-9001"));
    assert_int_equal(sessions_revoke(req(), ana, 9001), PL_ENOTFOUND); /* revoked already */
    assert_int_equal(sessions_revoke(req(), ana, 123456), PL_ENOTFOUND);
    ok(sessions_list(req(), ana, 0, 40, &rows, &n));
    assert_int_equal(n, 1);
}

/* A password change's revocation keeps the session that made it and touches nobody else. */
static void test_revoking_the_other_sessions_keeps_one(void **state)
{
    (void)state;
    int64_t ana, bo;
    two_people_two_tokens(&ana, &bo);
    ok(store_sessions_revoke_others(F.d, ana, 9003, F.now));
    assert_false(is_live("hash-9001"));
    assert_true(is_live("hash-9003"));
    assert_true(is_live("hash-9002"));
    assert_true(is_live("hash-9004"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_begin, fixture_end)
    const struct CMUnitTest tests[] = {
        T(test_client_secret_is_stored_as_its_sha256),
        T(test_migration_020_hashes_plaintext_secrets_once),
        T(test_a_code_is_claimed_once),
        T(test_challenge_method_is_s256_none_or_plain_by_name),
        T(test_password_hash_takes_the_configured_memory),
        T(test_sessions_are_each_persons_own),
        T(test_revoking_the_other_sessions_keeps_one),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
