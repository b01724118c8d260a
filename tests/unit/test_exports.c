/*
 * test_exports.c — src/app/exports.c and src/store/exports.c over a temporary database and
 * media folder (and PostgreSQL with make test-unit-pg): the rules of asking (one archive while
 * one is made, one per archive_every_days, a failed one not counting; compliance exports for
 * administrators only, their query checked), the builders' rows (one node takes a row, a lease
 * that ran out is taken over and the first builder can then neither finish nor give it back),
 * a build leaving a ready row whose file the store holds, and expiry deleting that file.
 * What the zips hold is tests/api/exports.test.mjs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_fixture.h"
#include "app/exports.h"
#include "app/posts.h"
#include "media/media.h"
#include "store/exports.h"

static int64_t ada, bob, boss;
static media_store *store;
static char media_dir[600];

static int group_setup(void **state)
{
    (void)state;
    if (fixture_open()) return -1;
    if (!(ada = fixture_register("ada")) || !(bob = fixture_register("bob"))) return -1;
    app_ctx *c = req();
    c->own_txn = true;
    accounts_new n = {.username = "boss",
                      .email = "boss@example.com",
                      .password = "correct horse battery",
                      .is_admin = true,
                      .skip_rules = true};
    pl_account acc;
    if (accounts_register(c, &n, &acc)) return -1;
    boss = acc.id;
    pl_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", F.dir);
    config_finish(&cfg);
    snprintf(media_dir, sizeof media_dir, "%s/media", F.dir);
    char err[256];
    if (media_open(&cfg, F.d, &store, err, sizeof err)) {
        fprintf(stderr, "media_open: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    media_close(store);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s/media.key'", media_dir, F.dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", media_dir);
    return fixture_close();
}

static int begin(void **state)
{
    int rc = fixture_begin(state);
    F.c.media = store;
    return rc;
}

static app_ctx *mreq(void)
{
    app_ctx *c = req();
    c->media = store;
    return c;
}

static void ok(int rc)
{
    if (rc) fail_msg("%s (%s)", pl_strerror(rc), F.c.errmsg ? F.c.errmsg : "");
}

static pl_export row(int64_t id)
{
    pl_export x;
    ok(store_export_get(F.d, id, &F.a, &x));
    return x;
}

static void test_one_archive_while_one_is_made_and_one_a_week(void **state)
{
    (void)state;
    pl_export x, y;
    ok(exports_request_archive(mreq(), ada, &x));
    assert_int_equal(x.state, EXPORT_WAITING);
    assert_int_equal(exports_request_archive(mreq(), ada, &y), PL_ERATE);
    assert_non_null(strstr(F.c.errmsg, "being made"));
    /* someone else's does not count */
    ok(exports_request_archive(mreq(), bob, &y));
    /* failed: ask again at once */
    ok(store_export_fail(F.d, x.id, "broken", F.now));
    ok(exports_request_archive(mreq(), ada, &y));
    /* built: not again for archive_every_days */
    int64_t lease = F.now + 1000;
    ok(store_export_claim(F.d, y.id, F.now, lease));
    pl_export done = row(y.id);
    done.lease_until = lease;
    ok(store_export_finish(F.d, &done));
    assert_int_equal(exports_request_archive(mreq(), ada, &x), PL_ERATE);
    assert_non_null(strstr(F.c.errmsg, "once every 7 days"));
    int64_t was = F.now;
    F.now += 7LL * 24 * 3600 * 1000 + 1;
    ok(exports_request_archive(mreq(), ada, &x));
    /* 0: whenever none is being made */
    F.cfg.archive_every_days = 0;
    ok(store_export_fail(F.d, x.id, "broken", F.now));
    ok(exports_request_archive(mreq(), ada, &x));
    pl_export *v;
    int n;
    ok(exports_archives(mreq(), ada, &v, &n));
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++) assert_int_equal(v[i].account_id, ada);
    F.now = was; /* the clock the builder reads is the real one */
}

static void test_a_row_is_built_by_one_builder_and_a_lapsed_lease_is_taken_over(void **state)
{
    (void)state;
    pl_export x;
    ok(exports_request_archive(mreq(), ada, &x));
    int64_t next;
    ok(store_export_next(F.d, F.now, &next));
    assert_int_equal(next, x.id);
    int64_t first = F.now + 1000;
    ok(store_export_claim(F.d, x.id, F.now, first));
    assert_int_equal(store_export_claim(F.d, x.id, F.now, F.now + 2000), PL_ENOTFOUND);
    assert_int_equal(store_export_next(F.d, F.now, &next), PL_ENOTFOUND);
    /* the first builder's node stopped: its lease runs out and another takes the row */
    int64_t later = first + 1;
    ok(store_export_next(F.d, later, &next));
    int64_t second = later + 1000;
    ok(store_export_claim(F.d, x.id, later, second));
    pl_export done = row(x.id);
    done.lease_until = first; /* the first builder finishing late */
    assert_int_equal(store_export_finish(F.d, &done), PL_ENOTFOUND);
    ok(store_export_release(F.d, x.id, first)); /* a no-op: not its lease */
    assert_int_equal(row(x.id).state, EXPORT_BUILDING);
    done.lease_until = second;
    ok(store_export_finish(F.d, &done));
    assert_int_equal(row(x.id).state, EXPORT_READY);
}

static void test_a_build_keeps_the_zip_in_the_file_store_until_it_expires(void **state)
{
    (void)state;
    int64_t post;
    posts_new n = {.text = "for the archive", .visibility = PL_VIS_PRIVATE};
    ok(posts_create(req(), ada, &n, &post));
    pl_export x;
    ok(exports_request_archive(mreq(), ada, &x));
    bool did;
    ok(exports_build_step(mreq(), NULL, NULL, &did));
    assert_true(did);
    pl_export built = row(x.id);
    assert_int_equal(built.state, EXPORT_READY);
    assert_int_equal(built.posts_count, 1);
    assert_true(built.expires_at > F.now);
    media_info info;
    ok(media_info_get(store, F.d, built.file_id, &info));
    assert_int_equal(info.size, built.size);
    /* the owner may open it; another person's id is as unknown */
    pl_export opened;
    ok(exports_open_download(mreq(), EXPORT_PERSONAL, x.id, ada, NULL, NULL, &opened));
    assert_int_equal(exports_open_download(mreq(), EXPORT_PERSONAL, x.id, bob, NULL, NULL, &opened),
                     PL_ENOTFOUND);
    assert_int_equal(
        exports_open_download(mreq(), EXPORT_PERSONAL, x.id, 0, "99999999999", "00", &opened),
        PL_ENOTFOUND);
    /* nothing left to do */
    ok(exports_build_step(mreq(), NULL, NULL, &did));
    assert_false(did);
    /* past archive_keep_days: the file goes, the row stays as expired */
    F.now = built.expires_at + 1;
    ok(exports_build_step(mreq(), NULL, NULL, &did));
    assert_true(did);
    assert_int_equal(row(x.id).state, EXPORT_EXPIRED);
    assert_int_equal(media_info_get(store, F.d, built.file_id, &info), PL_ENOTFOUND);
    assert_int_equal(exports_open_download(mreq(), EXPORT_PERSONAL, x.id, ada, NULL, NULL, &opened),
                     PL_ENOTFOUND);
}

static void test_a_persons_archives_are_deleted_with_their_files(void **state)
{
    (void)state;
    pl_export x;
    ok(exports_request_archive(mreq(), bob, &x));
    bool did;
    ok(exports_build_step(mreq(), NULL, NULL, &did));
    pl_export built = row(x.id);
    assert_int_equal(built.state, EXPORT_READY);
    int n;
    ok(exports_delete_of_account(mreq(), bob, &n));
    assert_int_equal(n, 1);
    media_info info;
    assert_int_equal(media_info_get(store, F.d, built.file_id, &info), PL_ENOTFOUND);
    assert_int_equal(store_export_get(F.d, x.id, &F.a, &built), PL_ENOTFOUND);
}

static void test_compliance_exports_are_for_administrators_and_their_query_is_checked(void **state)
{
    (void)state;
    const char *people[] = {"ada"}, *nobody[] = {"nobody"};
    exports_query q = {
        .since_at = F.now - 1000, .until_at = F.now, .usernames = people, .n_usernames = 1};
    pl_export x;
    assert_int_equal(exports_request_compliance(mreq(), ada, &q, &x), PL_EFORBIDDEN);
    ok(exports_request_compliance(mreq(), boss, &q, &x));
    assert_int_equal(x.kind, EXPORT_COMPLIANCE);
    assert_string_equal(exports_names(req(), x.accounts), "ada");
    exports_query bad = q;
    bad.since_at = 0;
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    bad = q;
    bad.until_at = q.since_at - 1;
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    bad = q;
    bad.since_at = q.until_at - 367LL * 24 * 3600 * 1000;
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    bad = q;
    bad.usernames = nobody;
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    assert_non_null(strstr(F.c.errmsg, "No such person: nobody"));
    bad = q;
    bad.channels = people; /* a person is not a channel */
    bad.n_channels = 1;
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    bad = q;
    bad.words = "a b c d e f g h i j k l m n o p q";
    assert_int_equal(exports_request_compliance(mreq(), boss, &bad, &x), PL_EINVAL);
    pl_export *v;
    int n;
    assert_int_equal(exports_compliance_list(mreq(), bob, &v, &n), PL_EFORBIDDEN);
    ok(exports_compliance_list(mreq(), boss, &v, &n));
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_archive_while_one_is_made_and_one_a_week, begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(
            test_a_row_is_built_by_one_builder_and_a_lapsed_lease_is_taken_over, begin,
            fixture_end),
        cmocka_unit_test_setup_teardown(
            test_a_build_keeps_the_zip_in_the_file_store_until_it_expires, begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_a_persons_archives_are_deleted_with_their_files, begin,
                                        fixture_end),
        cmocka_unit_test_setup_teardown(
            test_compliance_exports_are_for_administrators_and_their_query_is_checked, begin,
            fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
