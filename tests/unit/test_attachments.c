/*
 * test_attachments.c — src/app/attachments.c over a temporary database and media folder:
 * an upload that meets a full disk leaves no row and no file (PL_ENOSPACE, the API's 507),
 * and the one decision of who may fetch a file fails closed — a signature for someone else,
 * an altered or expired one, a token of a stranger, an upload that is not in a post yet.
 * The rest (types, limits, rendering, serving) is tests/api/media.test.mjs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>

#include "app_fixture.h"

#include "app/attachments.h"
#include "app/posts.h"
#include "media/media.h"
#include "pictures/pictures.h"
#include "store/query.h"

static int64_t ada, bob;
static media_store *store;
static char media_dir[600];

static int group_setup(void **state)
{
    (void)state;
    if (pictures_init("test_attachments") || fixture_open()) return -1;
    if (!(ada = fixture_register("ada")) || !(bob = fixture_register("bob"))) return -1;
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
    /* the media folder and key first: the fixture removes only an empty folder */
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

/* A new request with the file store, as the server's threads have it. */
static app_ctx *mreq(void)
{
    app_ctx *c = req();
    c->media = store;
    return c;
}

/* Rows of a table. The statement cache is keyed by the SQL text's address: a literal each. */
static int64_t count_rows(const char *table)
{
    const char *sql = !strcmp(table, "media_attachments") ? "SELECT count(*) FROM media_attachments"
                      : !strcmp(table, "media_files")     ? "SELECT count(*) FROM media_files"
                                                          : "SELECT count(*) FROM media_keys";
    db_stmt *s = db_prepare(F.d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

/* Files of the media folder outside tmp/ (DATA/media/xx/ID), and in tmp/. */
static int count_files(const char *sub)
{
    int n = 0;
    DIR *top = opendir(media_dir);
    if (!top) return 0;
    struct dirent *e;
    while ((e = readdir(top))) {
        if (e->d_name[0] == '.') continue;
        bool is_tmp = !strcmp(e->d_name, "tmp");
        if (is_tmp != (sub != NULL)) continue;
        char path[900];
        snprintf(path, sizeof path, "%s/%s", media_dir, e->d_name);
        DIR *d = opendir(path);
        if (!d) continue;
        struct dirent *f;
        while ((f = readdir(d)))
            if (f->d_name[0] != '.') n++;
        closedir(d);
    }
    closedir(top);
    return n;
}

static attachments_new document(size_t len)
{
    char *data = arena_alloc(&F.a, len);
    for (size_t i = 0; i < len; i++) data[i] = (char)('a' + i % 26);
    return (attachments_new){.data = data, .len = len, .filename = "notes.txt"};
}

/* ------------------------------------------------------------------------------------------ */

static void test_a_full_disk_answers_enospace_and_leaves_no_row_and_no_file(void **state)
{
    (void)state;
    int64_t rows = count_rows("media_attachments"), files = count_rows("media_files");
    int stored = count_files(NULL);
    attachments_new n = document(200 * 1024); /* several chunks */
    for (int64_t after = 0; after <= 100 * 1024; after += 100 * 1024) {
        media_test_fail_writes(store, ENOSPC, after);
        pl_attachment m;
        app_ctx *c = mreq();
        assert_int_equal(attachments_upload(c, ada, &n, &m), PL_ENOSPACE);
        assert_non_null(c->errmsg);
        media_test_fail_writes(store, 0, 0);
        assert_int_equal(count_rows("media_attachments"), rows);
        assert_int_equal(count_rows("media_files"), files);
        assert_int_equal(count_rows("media_keys"), files);
        assert_int_equal(count_files(NULL), stored);
        assert_int_equal(count_files("tmp"), 0);
    }
    pl_attachment m; /* and the disk back, it works */
    assert_int_equal(attachments_upload(mreq(), ada, &n, &m), PL_OK);
    assert_int_equal(count_files(NULL), stored + 1);
}

/* The query value `key` of an address, into out. */
static const char *query_value(const char *url, const char *key, char *out, size_t cap)
{
    char pat[8];
    snprintf(pat, sizeof pat, "%s=", key);
    const char *p = strstr(strchr(url, '?'), pat);
    assert_non_null(p);
    p += strlen(pat);
    size_t n = strcspn(p, "&");
    snprintf(out, cap, "%.*s", (int)n, p);
    return out;
}

/* A fetch of m's original as the address made for viewer says, at the context's clock. */
static int fetch_as(app_ctx *c, const pl_attachment *m, const char *url)
{
    char v[24], x[24], s[80];
    attachments_fetch f = {.url_key = m->url_key,
                           .file = "original",
                           .v = query_value(url, "v", v, sizeof v),
                           .x = query_value(url, "x", x, sizeof x),
                           .s = query_value(url, "s", s, sizeof s)};
    pl_attachment got;
    int64_t file_id;
    const char *mime;
    return attachments_authorize(c, &f, &got, &file_id, &mime);
}

static void test_who_may_fetch_a_file_fails_closed(void **state)
{
    (void)state;
    attachments_new n = document(1000);
    pl_attachment m;
    assert_int_equal(attachments_upload(mreq(), ada, &n, &m), PL_OK);

    /* an upload: its owner only, even with an address signed for someone else */
    app_ctx *c = mreq();
    assert_int_equal(fetch_as(c, &m, attachments_url(c, &m, ATTACHMENT_ORIGINAL, ada)), PL_OK);
    c = mreq();
    assert_int_equal(fetch_as(c, &m, attachments_url(c, &m, ATTACHMENT_ORIGINAL, bob)),
                     PL_ENOTFOUND);

    /* in ada's followers-only post, which bob (no follower) may not see */
    posts_new p = {.text = "mine",
                   .visibility = VIS_PRIVATE,
                   .sensitive = -1,
                   .media_ids = &m.id,
                   .n_media = 1};
    int64_t status;
    assert_int_equal(posts_create(mreq(), ada, &p, &status), PL_OK);
    c = mreq();
    const char *for_ada = attachments_url(c, &m, ATTACHMENT_ORIGINAL, ada);
    assert_int_equal(fetch_as(mreq(), &m, for_ada), PL_OK);
    c = mreq();
    assert_int_equal(fetch_as(c, &m, attachments_url(c, &m, ATTACHMENT_ORIGINAL, bob)),
                     PL_ENOTFOUND);
    c = mreq();
    assert_int_equal(fetch_as(c, &m, attachments_url(c, &m, ATTACHMENT_ORIGINAL, 0)), PL_ENOTFOUND);

    /* ada's address with bob's id put in: the signature names its viewer */
    char forged[600];
    snprintf(forged, sizeof forged, "%s", for_ada);
    char *v = strstr(forged, "v=");
    char tail[600];
    snprintf(tail, sizeof tail, "%s", strchr(v, '&'));
    snprintf(v, sizeof forged - (size_t)(v - forged), "v=%lld%s", (long long)bob, tail);
    assert_int_equal(fetch_as(mreq(), &m, forged), PL_ENOTFOUND);

    /* one character of the signature changed */
    char altered[600];
    snprintf(altered, sizeof altered, "%s", for_ada);
    char *s = strstr(altered, "s=") + 2;
    s[0] = s[0] == '0' ? '1' : '0';
    assert_int_equal(fetch_as(mreq(), &m, altered), PL_ENOTFOUND);

    /* expired: media_url_seconds later at the latest */
    c = mreq();
    c->now += (int64_t)F.cfg.media_url_seconds * 1000 + 1;
    assert_int_equal(fetch_as(c, &m, for_ada), PL_ENOTFOUND);

    /* a token decides for its person, whatever the address */
    attachments_fetch f = {.url_key = m.url_key, .file = "original", .has_token = true};
    pl_attachment got;
    int64_t file_id;
    const char *mime;
    f.token_viewer = bob;
    assert_int_equal(attachments_authorize(mreq(), &f, &got, &file_id, &mime), PL_ENOTFOUND);
    f.token_viewer = ada;
    assert_int_equal(attachments_authorize(mreq(), &f, &got, &file_id, &mime), PL_OK);
    assert_int_equal(file_id, m.file_id);
    assert_string_equal(mime, m.mime);

    /* a file name that is neither original nor small, a key of the wrong length */
    f.file = "../original";
    assert_int_equal(attachments_authorize(mreq(), &f, &got, &file_id, &mime), PL_ENOTFOUND);
    f.file = "original";
    f.url_key = "00";
    assert_int_equal(attachments_authorize(mreq(), &f, &got, &file_id, &mime), PL_ENOTFOUND);
}

/* A page's files are read at once: rendering each post then asks the database nothing. */
static void test_a_page_of_posts_reads_its_files_in_one_query(void **state)
{
    (void)state;
    int64_t posts[3];
    pl_attachment m[3];
    for (int i = 0; i < 3; i++) {
        attachments_new n = document(100);
        assert_int_equal(attachments_upload(mreq(), ada, &n, &m[i]), PL_OK);
        posts_new p = {.text = "page",
                       .visibility = VIS_PUBLIC,
                       .sensitive = -1,
                       .media_ids = &m[i].id,
                       .n_media = i == 1 ? 0 : 1};
        assert_int_equal(posts_create(mreq(), ada, &p, &posts[i]), PL_OK);
    }
    F.read_only = true;
    app_ctx *c = mreq();
    long one_by_one = db_statement_runs(F.d, "WHERE status_id = ?");
    long at_once = db_statement_runs(F.d, "WHERE status_id IN (");
    attachments_prefetch(c, posts, 3);
    assert_int_equal(db_statement_runs(F.d, "WHERE status_id IN ("), at_once + 1);
    for (int i = 0; i < 3; i++) {
        pl_attachment *got;
        int n;
        assert_int_equal(attachments_of_status(c, posts[i], &got, &n), PL_OK);
        assert_int_equal(n, i == 1 ? 0 : 1);
        if (n) assert_int_equal(got[0].id, m[i].id);
    }
    assert_int_equal(db_statement_runs(F.d, "WHERE status_id = ?"), one_by_one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_full_disk_answers_enospace_and_leaves_no_row_and_no_file, begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_who_may_fetch_a_file_fails_closed, begin, fixture_end),
        cmocka_unit_test_setup_teardown(test_a_page_of_posts_reads_its_files_in_one_query, begin,
                                        fixture_end),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
