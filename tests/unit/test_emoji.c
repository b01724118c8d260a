/*
 * test_emoji.c — unit tests for src/util/emoji.c: which reaction names are one Unicode emoji.
 *
 * The lists are what a phone's emoji keyboard sends (each kind of sequence UTS #51 defines)
 * and what must never pass for one (words, digits, markup, several emoji, stray joiners and
 * selectors, invalid UTF-8).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/emoji.h"

static bool is_emoji(const char *s)
{
    return emoji_is_unicode(s, strlen(s));
}

static void test_single_pictographs_are_emoji(void **state)
{
    (void)state;
    const char *yes[] = {"👍", "🎉",      "😀",      "🤔",  "🫠", "❤",      "❤️",
                         "☕", "⭐",      "✅",      "©️", "®",    "™️", "〽️",
                         "⌚", "▶️", "↩️", "🀄",     NULL};
    for (const char **s = yes; *s; s++)
        if (!is_emoji(*s)) fail_msg("\"%s\" should be an emoji", *s);
}

static void test_sequences_are_one_emoji(void **state)
{
    (void)state;
    const char *yes[] = {
        "👍🏽",                  /* skin tone */
        "👩‍💻",               /* ZWJ */
        "👩🏽‍💻",           /* skin tone and ZWJ */
        "👨‍👩‍👧‍👦", /* family */
        "🏳️‍🌈",            /* selector inside a ZWJ sequence */
        "🇩🇪",
        "🇯🇵", /* flags: regional indicator pairs */
        "1️⃣",
        "#️⃣",
        "*⃣", /* keycaps, with and without the selector */
        "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", /* Scotland */
        NULL,
    };
    for (const char **s = yes; *s; s++)
        if (!is_emoji(*s)) fail_msg("\"%s\" should be one emoji", *s);
}

static void test_text_and_broken_sequences_are_not(void **state)
{
    (void)state;
    const char *no[] = {
        "a",
        "abc",
        "bongoCat",
        ":thumbsup:",
        "1",
        "#",
        " ",
        "<b>",
        "&",
        "é",
        "👍👍",
        "👍 ",
        " 👍",
        "👍a",
        "\u200d",
        "👍\u200d",
        "\u200d👍",
        "👍\u200d\u200d👍",
        "\ufe0f",
        "🏽",                     /* a lone skin tone */
        "🇩",                        /* half a flag */
        "🇩🇪🇯",                      /* a flag and a half */
        "1\ufe0f",                  /* a keycap without its mark */
        "🏴\U000E0067\U000E0062", /* a tag sequence without its end */
        "👍\U000E0067",              /* tags on anything but the black flag */
        NULL,
    };
    for (const char **s = no; *s; s++)
        if (is_emoji(*s)) fail_msg("\"%s\" should not be an emoji", *s);
}

static void test_invalid_utf8_empty_and_overlong_names_are_refused(void **state)
{
    (void)state;
    assert_false(emoji_is_unicode("", 0));
    assert_false(emoji_is_unicode("\xff", 1));
    assert_false(emoji_is_unicode("\xf0\x9f\x91", 3));     /* 👍 cut short */
    assert_false(emoji_is_unicode("\xf0\x9f\x91\x8d", 3)); /* a length inside a code point */
    assert_false(emoji_is_unicode("👍\0", 5));              /* a NUL */
    /* a ZWJ chain of emoji longer than EMOJI_MAX_BYTES */
    char chain[256] = "";
    while (strlen(chain) + 7 <= EMOJI_MAX_BYTES) strcat(chain, "👍\u200d");
    strcat(chain, "👍");
    assert_true(strlen(chain) > EMOJI_MAX_BYTES);
    assert_false(is_emoji(chain));
    chain[strlen(chain) - 7] = '\0'; /* one link (ZWJ and emoji) shorter: within the limit */
    assert_true(strlen(chain) <= EMOJI_MAX_BYTES);
    assert_true(is_emoji(chain));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_pictographs_are_emoji),
        cmocka_unit_test(test_sequences_are_one_emoji),
        cmocka_unit_test(test_text_and_broken_sequences_are_not),
        cmocka_unit_test(test_invalid_utf8_empty_and_overlong_names_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
