/*
 * test_avatars.c — unit tests for src/app/avatars.c (and the drawing in src/pictures): what a
 * default avatar shows, its colour's contrast, its address's version, who gets one, the loop's
 * refusal to draw, and the cache's bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/avatars.h"
#include "app_fixture.h"
#include "pictures/pictures.h"
#include "store/accounts.h"

enum { ALICE, BOB, N_PEOPLE };
static const char *const names[N_PEOPLE] = {"alice", "bob"};
static int64_t id_of[N_PEOPLE];

static int group_setup(void **state)
{
    (void)state;
    if (pictures_init("test_avatars") || fixture_open()) return -1;
    for (int i = 0; i < N_PEOPLE; i++)
        if (!(id_of[i] = fixture_register(names[i]))) return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return fixture_close();
}

static const char *initials_of(const char *display_name, const char *username)
{
    static char out[AVATAR_INITIALS_MAX];
    pl_account a = {.display_name = display_name, .username = username};
    avatars_initials(&a, out);
    return out;
}

static void test_initials_are_the_first_and_last_words_first_letters(void **state)
{
    (void)state;
    assert_string_equal(initials_of("Ada Lovelace", "ada"), "AL");
    assert_string_equal(initials_of("grace brewster murray hopper", "g"), "GH");
    assert_string_equal(initials_of("Zoë", "zoe"), "Z");
    assert_string_equal(initials_of("élodie Øster", "e"), "ÉØ");
    assert_string_equal(initials_of("Жанна Ядова", "zh"), "ЖЯ");
    assert_string_equal(initials_of("🎉 Party (Team)", "p"), "PT"); /* an emoji is no letter */
    assert_string_equal(initials_of("Jean-Luc", "jl"), "JL");
}

static void test_initials_fall_back_to_the_usernames_first_letter(void **state)
{
    (void)state;
    assert_string_equal(initials_of("", "mia_r"), "M");
    assert_string_equal(initials_of(NULL, "kim"), "K");
    assert_string_equal(initials_of("🎉🎉", "sam"), "S");
    assert_string_equal(initials_of("\xff\xfe", "sam"), "S"); /* not UTF-8 */
    assert_string_equal(initials_of("", "_"), "?");
}

static void test_every_colour_lets_white_initials_read(void **state)
{
    (void)state;
    int distinct = 0;
    uint8_t prev[3] = {0};
    for (int64_t i = 0; i < 20000; i++) {
        uint8_t rgb[3];
        int64_t id = (int64_t)117739004944384000 + i * 65536;
        avatars_colour(id, rgb);
        if (avatars_white_contrast(rgb) < 4.5)
            fail_msg("id %lld: #%02x%02x%02x has contrast %.2f", (long long)id, rgb[0], rgb[1],
                     rgb[2], avatars_white_contrast(rgb));
        if (memcmp(rgb, prev, 3)) distinct++;
        memcpy(prev, rgb, 3);
    }
    assert_true(distinct > 19000); /* neighbours (made the same second) differ */
}

static void test_the_version_follows_the_initials_only(void **state)
{
    (void)state;
    pl_account a = {.id = 1, .display_name = "Ada Lovelace", .username = "ada"};
    char v1[AVATAR_VERSION_MAX], v2[AVATAR_VERSION_MAX];
    avatars_version(&a, AVATAR_PICTURE, v1);
    a.display_name = "Ada B. Lovelace";
    avatars_version(&a, AVATAR_PICTURE, v2);
    assert_string_equal(v1, v2);
    a.display_name = "Alan Turing";
    avatars_version(&a, AVATAR_PICTURE, v2);
    assert_string_not_equal(v1, v2);
    avatars_version(&a, AVATAR_HEADER, v2);
    assert_string_equal(v2, "d1");
}

static const char *version_of(int who, enum avatar_kind kind)
{
    static char v[AVATAR_VERSION_MAX];
    avatars_version(app_account(req(), id_of[who]), kind, v);
    return v;
}

static void test_a_loop_refuses_to_draw_and_a_worker_draws_once_for_all(void **state)
{
    (void)state;
    avatar_cache *ac = avatar_cache_new(1 << 20);
    char v[AVATAR_VERSION_MAX];
    snprintf(v, sizeof v, "%s", version_of(ALICE, AVATAR_PICTURE));
    avatar_png png;
    app_ctx *c = req();
    c->avatars = ac;
    c->is_loop = true;
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], v, "png", &png), PL_ESLOW);
    c = req();
    c->avatars = ac;
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], v, "png", &png), PL_OK);
    assert_true(png.len > 100 && !memcmp(png.data, "\x89PNG", 4));
    size_t len = png.len;
    c = req();
    c->avatars = ac;
    c->is_loop = true; /* now cached: the loop serves it */
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], v, "png", &png), PL_OK);
    assert_int_equal(png.len, len);
    assert_non_null(strstr(png.etag, v)); /* the ETag names the version */
    avatar_cache_free(ac);
}

static void test_a_missing_or_disabled_account_or_an_old_version_is_not_found(void **state)
{
    (void)state;
    avatar_png png;
    char v[AVATAR_VERSION_MAX];
    snprintf(v, sizeof v, "%s", version_of(BOB, AVATAR_PICTURE));
    assert_int_equal(avatars_picture(req(), AVATAR_PICTURE, 12345, v, "png", &png), PL_ENOTFOUND);
    assert_int_equal(avatars_picture(req(), AVATAR_PICTURE, id_of[BOB], "d0", "png", &png),
                     PL_ENOTFOUND);
    assert_int_equal(avatars_picture(req(), AVATAR_HEADER, id_of[BOB], "d1", "png", &png), PL_OK);
    assert_int_equal(store_account_set_disabled(F.d, id_of[BOB], true), PL_OK);
    assert_int_equal(avatars_picture(req(), AVATAR_PICTURE, id_of[BOB], v, "png", &png),
                     PL_ENOTFOUND);
    assert_int_equal(avatars_picture(req(), AVATAR_HEADER, id_of[BOB], "d1", "png", &png),
                     PL_ENOTFOUND);
}

static void test_the_cache_keeps_to_its_bound_dropping_the_least_recently_used(void **state)
{
    (void)state;
    /* room for about two avatars: drawing both people's and the header keeps at most two */
    avatar_png png;
    app_ctx *c = req();
    char va[AVATAR_VERSION_MAX];
    snprintf(va, sizeof va, "%s", version_of(ALICE, AVATAR_PICTURE));
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], va, "png", &png), PL_OK);
    size_t one = png.len + 128;
    avatar_cache *ac = avatar_cache_new(one * 2);
    char vb[AVATAR_VERSION_MAX];
    snprintf(vb, sizeof vb, "%s", version_of(BOB, AVATAR_PICTURE));
    const struct {
        enum avatar_kind kind;
        int who;
        const char *v;
    } draws[] = {{AVATAR_PICTURE, ALICE, va},
                 {AVATAR_PICTURE, BOB, vb},
                 {AVATAR_HEADER, ALICE, "d1"},
                 {AVATAR_PICTURE, ALICE, va}};
    for (size_t i = 0; i < sizeof draws / sizeof draws[0]; i++) {
        c = req();
        c->avatars = ac;
        assert_int_equal(
            avatars_picture(c, draws[i].kind, id_of[draws[i].who], draws[i].v, "png", &png), PL_OK);
        int n;
        size_t bytes;
        avatar_cache_usage(ac, &n, &bytes);
        assert_true(bytes <= one * 2);
        assert_true(n >= 1 && n <= 2);
    }
    /* the least recently used (bob's) went first: a loop finds alice's, not bob's */
    c = req();
    c->avatars = ac;
    c->is_loop = true;
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], va, "png", &png), PL_OK);
    c = req();
    c->avatars = ac;
    c->is_loop = true;
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[BOB], vb, "png", &png), PL_ESLOW);
    avatar_cache_free(ac);
    /* a cache of 0 bytes keeps nothing: every request draws */
    ac = avatar_cache_new(0);
    c = req();
    c->avatars = ac;
    assert_int_equal(avatars_picture(c, AVATAR_PICTURE, id_of[ALICE], va, "png", &png), PL_OK);
    int n;
    size_t bytes;
    avatar_cache_usage(ac, &n, &bytes);
    assert_int_equal(n, 0);
    avatar_cache_free(ac);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_begin, fixture_end)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initials_are_the_first_and_last_words_first_letters),
        cmocka_unit_test(test_initials_fall_back_to_the_usernames_first_letter),
        cmocka_unit_test(test_every_colour_lets_white_initials_read),
        cmocka_unit_test(test_the_version_follows_the_initials_only),
        T(test_a_loop_refuses_to_draw_and_a_worker_draws_once_for_all),
        T(test_a_missing_or_disabled_account_or_an_old_version_is_not_found),
        T(test_the_cache_keeps_to_its_bound_dropping_the_least_recently_used),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
