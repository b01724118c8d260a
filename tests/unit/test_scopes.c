/*
 * test_scopes.c — auth_scope_allows in src/app/auth.c: Mastodon's documented scope hierarchy
 * (docs.joinmastodon.org/api/oauth-scopes), and nothing wider. A parent covers its children;
 * a child never covers its parent or a sibling; the deprecated `follow` covers its six;
 * `profile` is covered by `read:accounts` (and so by `read`) but covers nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/auth.h"

static void test_a_scope_covers_itself(void **state)
{
    (void)state;
    assert_true(auth_scope_allows("read:statuses", "read:statuses"));
    assert_true(auth_scope_allows("write:bookmarks", "write:bookmarks"));
    assert_true(auth_scope_allows("push", "push"));
    assert_true(auth_scope_allows("read", "read"));
    assert_true(auth_scope_allows("admin:read:accounts", "admin:read:accounts"));
}

static void test_read_and_write_cover_their_granular_scopes(void **state)
{
    (void)state;
    assert_true(auth_scope_allows("read", "read:statuses"));
    assert_true(auth_scope_allows("read", "read:notifications"));
    assert_true(auth_scope_allows("write", "write:statuses"));
    assert_true(auth_scope_allows("write", "write:conversations"));
    assert_false(auth_scope_allows("read", "write:statuses"));
    assert_false(auth_scope_allows("write", "read:statuses"));
    assert_false(auth_scope_allows("read", "write"));
    assert_false(auth_scope_allows("write", "read"));
}

static void test_a_granular_scope_never_covers_its_parent_or_a_sibling(void **state)
{
    (void)state;
    /* the hole of issue 10 item 6: a write:bookmarks token created channels */
    assert_false(auth_scope_allows("write:bookmarks", "write"));
    assert_false(auth_scope_allows("read:statuses", "read"));
    assert_false(auth_scope_allows("read:statuses", "read:notifications"));
    assert_false(auth_scope_allows("write:bookmarks", "write:statuses"));
    assert_false(auth_scope_allows("admin:read:accounts", "admin:read"));
    assert_false(auth_scope_allows("read:statuses", "read:statuses:x"));
}

static void test_admin_read_and_write_cover_their_own(void **state)
{
    (void)state;
    assert_true(auth_scope_allows("admin:read", "admin:read:accounts"));
    assert_true(auth_scope_allows("admin:write", "admin:write:reports"));
    assert_false(auth_scope_allows("admin:read", "admin:write:accounts"));
    assert_false(auth_scope_allows("read", "admin:read:accounts"));
    assert_false(auth_scope_allows("read", "admin:read"));
    assert_false(auth_scope_allows("write", "admin:write"));
    assert_false(auth_scope_allows("admin:read", "read:accounts"));
}

static void test_follow_covers_exactly_its_six(void **state)
{
    (void)state;
    const char *six[] = {"read:follows", "write:follows", "read:blocks",
                         "write:blocks", "read:mutes",    "write:mutes"};
    for (size_t i = 0; i < sizeof six / sizeof *six; i++)
        assert_true(auth_scope_allows("follow", six[i]));
    assert_false(auth_scope_allows("follow", "read"));
    assert_false(auth_scope_allows("follow", "write"));
    assert_false(auth_scope_allows("follow", "read:accounts"));
    assert_false(auth_scope_allows("follow", "read:statuses"));
    assert_false(auth_scope_allows("follow", "write:lists"));
    /* and its six do not cover it */
    assert_false(auth_scope_allows("read:follows write:follows read:blocks write:blocks read:mutes "
                                   "write:mutes",
                                   "follow"));
}

static void test_profile_is_covered_by_read_accounts_and_covers_nothing_else(void **state)
{
    (void)state;
    assert_true(auth_scope_allows("profile", "profile"));
    assert_true(auth_scope_allows("read:accounts", "profile"));
    assert_true(auth_scope_allows("read", "profile"));
    assert_false(auth_scope_allows("read:statuses", "profile"));
    assert_false(auth_scope_allows("write:accounts", "profile"));
    assert_false(auth_scope_allows("profile", "read:accounts"));
    assert_false(auth_scope_allows("profile", "read"));
}

static void test_push_covers_only_push(void **state)
{
    (void)state;
    /* the hole of issue 10 item 5: a push-only token read a DM */
    assert_false(auth_scope_allows("push", "read:statuses"));
    assert_false(auth_scope_allows("push", "read"));
    assert_false(auth_scope_allows("read write follow", "push"));
}

static void test_any_granted_word_may_cover(void **state)
{
    (void)state;
    assert_true(auth_scope_allows("push read:lists read:statuses", "read:statuses"));
    assert_true(auth_scope_allows("read+write", "write:statuses")); /* form-encoded space */
    assert_false(auth_scope_allows("push read:lists", "read:statuses"));
}

static void test_several_needed_scopes_are_all_required(void **state)
{
    (void)state;
    const char *both = "read:statuses read:notifications";
    assert_true(auth_scope_allows("read", both));
    assert_true(auth_scope_allows("read:notifications read:statuses", both));
    assert_false(auth_scope_allows("read:statuses", both));
    assert_false(auth_scope_allows("read:notifications", both));
}

static void test_nothing_granted_or_nothing_named_allows_nothing(void **state)
{
    (void)state;
    assert_false(auth_scope_allows("", "read:statuses"));
    assert_false(auth_scope_allows(NULL, "read:statuses"));
    assert_false(auth_scope_allows("read write follow push", ""));
    assert_false(auth_scope_allows("read", "rea"));
    assert_false(auth_scope_allows("rea", "read"));
    assert_false(auth_scope_allows("readx", "read:statuses"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_scope_covers_itself),
        cmocka_unit_test(test_read_and_write_cover_their_granular_scopes),
        cmocka_unit_test(test_a_granular_scope_never_covers_its_parent_or_a_sibling),
        cmocka_unit_test(test_admin_read_and_write_cover_their_own),
        cmocka_unit_test(test_follow_covers_exactly_its_six),
        cmocka_unit_test(test_profile_is_covered_by_read_accounts_and_covers_nothing_else),
        cmocka_unit_test(test_push_covers_only_push),
        cmocka_unit_test(test_any_granted_word_may_cover),
        cmocka_unit_test(test_several_needed_scopes_are_all_required),
        cmocka_unit_test(test_nothing_granted_or_nothing_named_allows_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
