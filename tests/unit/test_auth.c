/*
 * test_auth.c — unit tests for src/app/auth.c and src/store/auth.c: client secrets stored as
 * SHA-256 (and migration 020, which hashes the plaintext ones of older versions), single-use
 * authorization codes, and the sign-in throttle. On SQLite, and on PostgreSQL in
 * `make test-unit-pg`. Every test runs in a transaction that is rolled back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"

#include "app/auth.h"
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_begin, fixture_end)
    const struct CMUnitTest tests[] = {
        T(test_client_secret_is_stored_as_its_sha256),
        T(test_migration_020_hashes_plaintext_secrets_once),
        T(test_a_code_is_claimed_once),
        T(test_challenge_method_is_s256_none_or_plain_by_name),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
