/*
 * test_listen_tokens.c — unit tests for src/listen/tokens.c: a text's words as search reads
 * them, folded, with their positions and byte offsets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "listen/tokens.h"
#include "util/err.h"

/* Asserts that text's words, folded, are the space-separated words of expected. */
static void assert_words(const char *text, const char *expected)
{
    listen_tokens t = LISTEN_TOKENS_INIT;
    assert_int_equal(listen_tokenize(text, strlen(text), &t), PL_OK);
    char got[512] = "";
    for (size_t k = 0; k < t.n; k++) {
        if (k) strcat(got, " ");
        assert_int_equal(strlen(t.items[k].text), t.items[k].len);
        strcat(got, t.items[k].text);
    }
    assert_string_equal(got, expected);
    listen_tokens_free(&t);
}

static void test_words_are_runs_of_letters_and_digits(void **state)
{
    (void)state;
    assert_words("Launch day: v2 ships at 9.30!", "launch day v2 ships at 9 30");
    assert_words("e-mail, don't", "e mail don t");
    assert_words("snake_case", "snake case");
    assert_words("", "");
    assert_words(" ...  !! ", "");
}

static void test_hashtags_and_mentions_are_words(void **state)
{
    (void)state;
    assert_words("#Launch with @amara and @bob@example.org",
                 "launch with amara and bob example org");
}

static void test_case_and_latin_diacritics_are_folded(void **state)
{
    (void)state;
    assert_words("Müller MÜLLER müller", "muller muller muller");
    assert_words("Café CAFÉ Crème brûlée", "cafe cafe creme brulee");
    assert_words("Ångström Łódź Œuvre ß Øre", "angstrom łodz œuvre ß øre");
    assert_words("Žluťoučký kůň Dvořák", "zlutoucky kun dvorak");
    assert_words("Cafe\xcc\x81", "cafe"); /* e + U+0301 COMBINING ACUTE ACCENT */
}

static void test_greek_tonos_and_final_sigma_are_folded(void **state)
{
    (void)state;
    assert_words("Άλφα ΈΝΑ λόγος ΛΟΓΟΣ", "αλφα ενα λογοσ λογοσ");
}

static void test_other_scripts_emoji_and_bad_bytes(void **state)
{
    (void)state;
    assert_words("東京。大阪", "東京 大阪");
    assert_words("ПРИВЕТ мир🚀go", "привет мир go");
    assert_words("ab\xff"
                 "cd",
                 "ab cd");
}

static void test_positions_and_offsets_point_into_the_source(void **state)
{
    (void)state;
    const char *text = "Ça va, #Élan!";
    listen_tokens t = LISTEN_TOKENS_INIT;
    assert_int_equal(listen_tokenize(text, strlen(text), &t), PL_OK);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.items[0].text, "ca");
    assert_int_equal(t.items[0].offset, 0);
    assert_int_equal(t.items[0].src_len, 3);
    assert_int_equal(t.items[1].pos, 1);
    assert_int_equal(t.items[1].offset, 4);
    assert_string_equal(t.items[2].text, "elan");
    assert_int_equal(t.items[2].pos, 2);
    assert_int_equal(t.items[2].offset, 9);
    assert_int_equal(t.items[2].src_len, 5);

    /* the struct is reused: the next text replaces the last */
    assert_int_equal(listen_tokenize("one", 3, &t), PL_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.items[0].text, "one");
    listen_tokens_free(&t);
    assert_int_equal(t.n, 0);
}

static void test_fold_keeps_what_is_not_a_letter(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(listen_fold("Design_Team", 11, out), 11);
    assert_string_equal(out, "design_team");
    assert_int_equal(listen_fold("Élan", strlen("Élan"), out), 4);
    assert_string_equal(out, "elan");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_are_runs_of_letters_and_digits),
        cmocka_unit_test(test_hashtags_and_mentions_are_words),
        cmocka_unit_test(test_case_and_latin_diacritics_are_folded),
        cmocka_unit_test(test_greek_tonos_and_final_sigma_are_folded),
        cmocka_unit_test(test_other_scripts_emoji_and_bad_bytes),
        cmocka_unit_test(test_positions_and_offsets_point_into_the_source),
        cmocka_unit_test(test_fold_keeps_what_is_not_a_letter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
