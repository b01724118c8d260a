/*
 * test_web.c — unit tests for the lookup in src/http/web.c: the embedded web client's files
 * are found by exact path only, so nothing outside them can be named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "http/web.h"

static const web_asset *find(const char *path)
{
    return web_asset_find(path, strlen(path));
}

static void test_root_is_index_html(void **state)
{
    (void)state;
    const web_asset *a = find("/");
    assert_non_null(a);
    assert_string_equal(a->path, "/index.html");
    assert_string_equal(a->content_type, "text/html; charset=utf-8");
    assert_true(a->len > 0);
}

/* browsers ask /favicon.ico of a page that names no icon (/health, an API answer in a tab) */
static void test_favicon_ico_is_the_svg_icon(void **state)
{
    (void)state;
    const web_asset *a = find("/favicon.ico");
    assert_non_null(a);
    assert_string_equal(a->path, "/favicon.svg");
    assert_string_equal(a->content_type, "image/svg+xml");
    assert_null(find("/favicon.icon"));
}

static void test_every_asset_has_a_type_a_quoted_etag_and_an_absolute_path(void **state)
{
    (void)state;
    int n = 0;
    for (const web_asset *a = web_assets; a->path; a++, n++) {
        assert_int_equal(a->path[0], '/');
        assert_null(strstr(a->path, ".."));
        assert_non_null(a->content_type);
        assert_int_equal(a->etag[0], '"');
        assert_int_equal(a->etag[strlen(a->etag) - 1], '"');
        assert_ptr_equal(find(a->path), a);
    }
    assert_true(n >= 3);
}

static void test_only_exact_paths_are_found(void **state)
{
    (void)state;
    assert_non_null(find("/js/views/home.js"));
    static const char *const misses[] = {"",
                                         "/js/views/home.js/",
                                         "/js//views/home.js",
                                         "/js/../js/views/home.js",
                                         "/js/main.js", /* a source: only the build is embedded */
                                         "/../index.html",
                                         "/%2e%2e/x",
                                         "index.html",
                                         "/JS/views/home.js",
                                         "//index.html",
                                         "/js/views/home.j",
                                         "/web/index.html",
                                         NULL};
    for (int i = 0; misses[i]; i++) assert_null(find(misses[i]));
}

#define CONTENT_HASH_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* Whether a path starts with prefix (a literal). */
static bool starts(const char *path, const char *prefix)
{
    return !strncmp(path, prefix, strlen(prefix));
}

/* Only the files named by their content (scripts/build-web.mjs: /js/app-HASH.js,
 * /js/views-HASH.js, the shared /js/chunk-HASH.js, /app-HASH.css) may be cached for good;
 * the page and the views' entries must be revalidated. */
static void test_only_content_named_files_are_immutable(void **state)
{
    (void)state;
    int app = 0, views = 0, chunks = 0, css = 0;
    for (const web_asset *a = web_assets; a->path; a++) {
        const char *dash = strrchr(a->path, '-');
        bool named = dash && strlen(dash) > 9 && strspn(dash + 1, CONTENT_HASH_CHARS) == 8 &&
                     (!strcmp(dash + 9, ".js") || !strcmp(dash + 9, ".css"));
        assert_int_equal(a->is_immutable, named);
        if (!a->is_immutable) continue;
        if (starts(a->path, "/js/app-"))
            app++;
        else if (starts(a->path, "/js/views-"))
            views++;
        else if (starts(a->path, "/js/chunk-"))
            chunks++;
        else if (starts(a->path, "/app-"))
            css++;
        else
            fail_msg("an immutable file of no known kind: %s", a->path);
    }
    /* the first screen's bundle, the other views' bundle and the stylesheet: one each */
    assert_int_equal(app, 1);
    assert_int_equal(views, 1);
    assert_int_equal(css, 1);
    assert_true(chunks >= 1); /* the code both bundles share */
    assert_false(find("/")->is_immutable);
    assert_false(find("/js/views/home.js")->is_immutable);
    assert_non_null(strstr(web_csp, "script-src 'self' 'sha256-"));
    assert_null(strstr(web_csp, "unsafe"));
}

static void test_a_prefix_of_a_path_is_not_a_match(void **state)
{
    (void)state;
    /* the length is part of the key: "/index.html" cut short must not find it */
    assert_null(web_asset_find("/index.html", 6));
    assert_non_null(web_asset_find("/index.htmlXYZ", 11));
}

/* Status.url, Account.url, Tag.url, FeaturedTag.url and a listening alert's link open the web
 * client, which routes to the post, the profile, the tag or the alert; nothing else that starts
 * with "/@", "/tags/" or "/listening/" does. */
static void test_status_and_account_urls_are_the_web_client(void **state)
{
    (void)state;
    static const char *const pages[] = {"/@alice",
                                        "/@A_b9",
                                        "/@alice/1",
                                        "/@alice/117682977125171300",
                                        "/@abcdefghijklmnopqrstuvwxyz1234",
                                        "/tags/launch",
                                        "/tags/Work_From_Home2",
                                        "/tags/caf%C3%A9",
                                        "/@alice/tagged/launch",
                                        "/listening/alerts/117682977125171300",
                                        NULL};
    for (int i = 0; pages[i]; i++) {
        const web_asset *a = find(pages[i]);
        assert_non_null(a);
        assert_string_equal(a->path, "/index.html");
    }
    static const char *const misses[] = {"/@",
                                         "/@/1",
                                         "/@alice/",
                                         "/@alice/x1",
                                         "/@alice/1/",
                                         "/@alice/1/embed",
                                         "/@alice/12345678901234567890",
                                         "/@al.ice",
                                         "/@al%69ce",
                                         "/@alice@example.com",
                                         "/@abcdefghijklmnopqrstuvwxyz12345",
                                         "/@../index.html",
                                         "/alice",
                                         "/users/alice",
                                         "/tags/",
                                         "/tags/a/b",
                                         "/tags/a.b",
                                         "/tags/../index.html",
                                         "/@alice/tagged/",
                                         "/@alice/tagged/a/b",
                                         "/@alice/tag/x",
                                         "/listening",
                                         "/listening/alerts/",
                                         "/listening/alerts/x1",
                                         "/listening/alerts/1/",
                                         "/listening/alerts/12345678901234567890",
                                         NULL};
    for (int i = 0; misses[i]; i++) assert_null(find(misses[i]));
    /* the length is the key here too */
    assert_null(web_asset_find("/@alice/1", 8));
    assert_non_null(web_asset_find("/@alice/1?x", 9));
}

static bool gz(const char *v)
{
    return web_accepts_gzip(v, strlen(v));
}

static void test_accept_encoding_gzip(void **state)
{
    (void)state;
    assert_true(gz("gzip"));
    assert_true(gz("gzip, deflate, br, zstd"));
    assert_true(gz("br;q=1.0, GZIP;q=0.5"));
    assert_true(gz("deflate, *"));
    assert_true(gz("gzip;q=0.001"));
    assert_true(gz(" gzip ; q=1"));
    assert_false(gz(""));
    assert_false(gz("identity"));
    assert_false(gz("br, deflate"));
    assert_false(gz("gzip;q=0"));
    assert_false(gz("gzip; q=0.000"));
    assert_false(gz("*;q=0"));
    assert_false(gz("gzipx"));
    assert_false(gz("x-gzip2, agzip"));
}

static void test_text_files_have_a_smaller_gzip_form_with_its_own_etag(void **state)
{
    (void)state;
    int with = 0;
    for (const web_asset *a = web_assets; a->path; a++) {
        bool text = strstr(a->content_type, "text/") == a->content_type;
        if (!a->gz) {
            assert_false(text && a->len > 1024); /* a text file of some size always shrinks */
            continue;
        }
        with++;
        assert_true(a->gz_len < a->len);
        assert_int_equal(a->gz[0], 0x1f); /* the gzip magic */
        assert_int_equal(a->gz[1], 0x8b);
        assert_string_not_equal(a->gz_etag, a->etag);
    }
    assert_true(with >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_is_index_html),
        cmocka_unit_test(test_favicon_ico_is_the_svg_icon),
        cmocka_unit_test(test_every_asset_has_a_type_a_quoted_etag_and_an_absolute_path),
        cmocka_unit_test(test_only_exact_paths_are_found),
        cmocka_unit_test(test_a_prefix_of_a_path_is_not_a_match),
        cmocka_unit_test(test_only_content_named_files_are_immutable),
        cmocka_unit_test(test_status_and_account_urls_are_the_web_client),
        cmocka_unit_test(test_accept_encoding_gzip),
        cmocka_unit_test(test_text_files_have_a_smaller_gzip_form_with_its_own_etag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
