/*
 * test_text.c — unit tests for src/util/text.c: entity parsing, HTML rendering, character
 * counting, tag normalization, UTF-8 validation and HTML back to plain text.
 *
 * Each test states one behaviour. Expected HTML is written out in full, because the exact
 * markup is part of the contract clients and the ActivityPub side rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/text.h"

#define BASE "https://social.example"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static text_entities parse_ok(const char *src)
{
    text_entities ents = TEXT_ENTITIES_INIT;
    assert_int_equal(text_parse(src, strlen(src), &ents), PL_OK);
    return ents;
}

/* Asserts entity k covers `whole` in src and has the given name and domain (NULL = none). */
static void assert_entity(const char *src, const text_entities *ents, size_t k, text_kind kind,
                          const char *whole, const char *name, const char *domain)
{
    assert_true(k < ents->n);
    const text_entity *e = &ents->items[k];
    assert_int_equal(e->kind, kind);
    assert_int_equal(e->len, strlen(whole));
    assert_memory_equal(src + e->start, whole, e->len);
    assert_int_equal(e->name_len, strlen(name));
    assert_memory_equal(e->name, name, e->name_len);
    if (domain) {
        assert_non_null(e->domain);
        assert_int_equal(e->domain_len, strlen(domain));
        assert_memory_equal(e->domain, domain, e->domain_len);
    } else {
        assert_null(e->domain);
    }
}

static void assert_no_entities(const char *src)
{
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 0);
    text_entities_free(&ents);
}

/* Parses and renders src, resolving every mention to mention_href (NULL = unresolved). */
static char *render(const char *src, const char *mention_href)
{
    text_entities ents = parse_ok(src);
    for (size_t k = 0; k < ents.n; k++) {
        if (ents.items[k].kind == TEXT_MENTION) ents.items[k].href = mention_href;
    }
    buf out = BUF_INIT;
    text_render_html(src, strlen(src), &ents, BASE, &out);
    text_entities_free(&ents);
    return buf_steal(&out);
}

static void assert_renders(const char *src, const char *mention_href, const char *html)
{
    char *got = render(src, mention_href);
    assert_string_equal(got, html);
    free(got);
}

static size_t char_count(const char *src)
{
    text_entities ents = parse_ok(src);
    size_t n = text_char_count(src, strlen(src), &ents);
    text_entities_free(&ents);
    return n;
}

static void assert_plain(const char *html, const char *plain)
{
    buf out = BUF_INIT;
    text_html_to_plain(html, strlen(html), &out);
    assert_string_equal(buf_cstr(&out), plain);
    buf_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* Mentions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_mention_local_is_found(void **state)
{
    (void)state;
    const char *src = "hi @bob_99, welcome";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 1);
    assert_entity(src, &ents, 0, TEXT_MENTION, "@bob_99", "bob_99", NULL);
    assert_int_equal(ents.items[0].start, 3);
    assert_null(ents.items[0].href);
    text_entities_free(&ents);
}

static void test_mention_remote_has_username_and_domain(void **state)
{
    (void)state;
    const char *src = "@bob@example.org: hello";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 1);
    assert_entity(src, &ents, 0, TEXT_MENTION, "@bob@example.org", "bob", "example.org");
    text_entities_free(&ents);
}

static void test_mention_domain_leaves_out_trailing_full_stop(void **state)
{
    (void)state;
    const char *src = "ask @alice@sub.example-host.net.";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 1);
    assert_entity(src, &ents, 0, TEXT_MENTION, "@alice@sub.example-host.net", "alice",
                  "sub.example-host.net");
    text_entities_free(&ents);
}

static void test_mention_inside_email_is_not_a_mention(void **state)
{
    (void)state;
    assert_no_entities("write to mail@bob.com or bob@example.org");
}

static void test_mention_after_slash_or_equals_is_not_a_mention(void **state)
{
    (void)state;
    assert_no_entities("see example.com/@bob and ?user=@carol");
}

static void test_mention_username_over_30_chars_is_not_a_mention(void **state)
{
    (void)state;
    assert_no_entities("@abcdefghijklmnopqrstuvwxyz01234"); /* 31 chars */
    const char *src = "@abcdefghijklmnopqrstuvwxyz0123";    /* 30 chars */
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 1);
    assert_entity(src, &ents, 0, TEXT_MENTION, src, src + 1, NULL);
    text_entities_free(&ents);
}

static void test_mention_running_into_a_unicode_letter_is_not_a_mention(void **state)
{
    (void)state;
    assert_no_entities("@bobé");
}

/* ------------------------------------------------------------------------------------------ */
/* Hashtags                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_hashtag_ascii_with_digits_and_underscore_is_found(void **state)
{
    (void)state;
    const char *src = "#Cycling and #tag_1!";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_HASHTAG, "#Cycling", "Cycling", NULL);
    assert_entity(src, &ents, 1, TEXT_HASHTAG, "#tag_1", "tag_1", NULL);
    text_entities_free(&ents);
}

static void test_hashtag_unicode_letters_are_found(void **state)
{
    (void)state;
    const char *src = "#日本語 #café";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_HASHTAG, "#日本語", "日本語", NULL);
    assert_entity(src, &ents, 1, TEXT_HASHTAG, "#café", "café", NULL);
    text_entities_free(&ents);
}

static void test_hashtag_ends_at_unicode_punctuation_and_emoji(void **state)
{
    (void)state;
    const char *src = "#東京。#cycling🚴 #a«b»";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 3);
    assert_entity(src, &ents, 0, TEXT_HASHTAG, "#東京", "東京", NULL);
    assert_entity(src, &ents, 1, TEXT_HASHTAG, "#cycling", "cycling", NULL);
    assert_entity(src, &ents, 2, TEXT_HASHTAG, "#a", "a", NULL);
    text_entities_free(&ents);
}

static void test_hashtag_of_digits_only_is_not_a_hashtag(void **state)
{
    (void)state;
    assert_no_entities("issue #123, #42 and #7.");
}

static void test_hashtag_inside_word_is_not_a_hashtag(void **state)
{
    (void)state;
    assert_no_entities("a#b C#");
}

static void test_hashtag_longer_than_100_bytes_is_not_a_hashtag(void **state)
{
    (void)state;
    char src[103];
    src[0] = '#';
    memset(src + 1, 'a', 101);
    src[102] = '\0';
    assert_no_entities(src);
    src[101] = '\0'; /* exactly 100 */
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 1);
    assert_int_equal(ents.items[0].name_len, 100);
    text_entities_free(&ents);
}

static void test_hashtag_inside_url_is_part_of_the_link(void **state)
{
    (void)state;
    const char *src = "https://example.com/page#section and #real";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_LINK, "https://example.com/page#section",
                  "https://example.com/page#section", NULL);
    assert_entity(src, &ents, 1, TEXT_HASHTAG, "#real", "real", NULL);
    text_entities_free(&ents);
}

/* ------------------------------------------------------------------------------------------ */
/* Links                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void test_link_http_and_https_are_found_in_order_with_other_entities(void **state)
{
    (void)state;
    const char *src = "@ann see http://a.example/x?y=1&z=2 #News https://b.example/@carl";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 4);
    assert_entity(src, &ents, 0, TEXT_MENTION, "@ann", "ann", NULL);
    assert_entity(src, &ents, 1, TEXT_LINK, "http://a.example/x?y=1&z=2",
                  "http://a.example/x?y=1&z=2", NULL);
    assert_entity(src, &ents, 2, TEXT_HASHTAG, "#News", "News", NULL);
    assert_entity(src, &ents, 3, TEXT_LINK, "https://b.example/@carl", "https://b.example/@carl",
                  NULL);
    text_entities_free(&ents);
}

static void test_link_other_schemes_are_not_links(void **state)
{
    (void)state;
    assert_no_entities("ftp://a.example javascript:alert(1) mailto:x@y.z https:// xhttps://a.b");
}

static void test_link_leaves_out_trailing_punctuation(void **state)
{
    (void)state;
    const char *src = "Read https://a.example/post.html?!, then \"https://b.example/'q'\".";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_LINK, "https://a.example/post.html",
                  "https://a.example/post.html", NULL);
    assert_entity(src, &ents, 1, TEXT_LINK, "https://b.example/'q", "https://b.example/'q", NULL);
    text_entities_free(&ents);
}

static void test_link_keeps_balanced_parens_and_drops_unbalanced_one(void **state)
{
    (void)state;
    const char *src = "(see https://en.wikipedia.org/wiki/Bike_(disambiguation)) and "
                      "(https://a.example/x).";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_LINK, "https://en.wikipedia.org/wiki/Bike_(disambiguation)",
                  "https://en.wikipedia.org/wiki/Bike_(disambiguation)", NULL);
    assert_entity(src, &ents, 1, TEXT_LINK, "https://a.example/x", "https://a.example/x", NULL);
    text_entities_free(&ents);
}

static void test_link_ends_at_whitespace_and_angle_brackets(void **state)
{
    (void)state;
    const char *src = "<https://a.example/x>\u3000https://b.example/y\tz";
    text_entities ents = parse_ok(src);
    assert_int_equal(ents.n, 2);
    assert_entity(src, &ents, 0, TEXT_LINK, "https://a.example/x", "https://a.example/x", NULL);
    assert_entity(src, &ents, 1, TEXT_LINK, "https://b.example/y", "https://b.example/y", NULL);
    text_entities_free(&ents);
}

static void test_parse_rejects_invalid_utf8(void **state)
{
    (void)state;
    text_entities ents = TEXT_ENTITIES_INIT;
    assert_int_equal(text_parse("#ok \xC3", 5, &ents), PL_EINVAL);
    assert_int_equal(text_parse("a\0b", 3, &ents), PL_EINVAL);
    assert_int_equal(ents.n, 0);
    text_entities_free(&ents);
}

static void test_parse_replaces_previous_entities_when_reused(void **state)
{
    (void)state;
    text_entities ents = parse_ok("#one #two");
    assert_int_equal(ents.n, 2);
    assert_int_equal(text_parse("#three", 6, &ents), PL_OK);
    assert_int_equal(ents.n, 1);
    text_entities_free(&ents);
    assert_null(ents.items);
    assert_int_equal(ents.n, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void test_render_empty_input_is_empty(void **state)
{
    (void)state;
    assert_renders("", NULL, "");
    assert_renders("\n\n\r\n", NULL, "");
}

static void test_render_escapes_script_tags_quotes_and_ampersands(void **state)
{
    (void)state;
    assert_renders("<script>alert(\"x\" & 'y')</script>", NULL,
                   "<p>&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;</p>");
}

static void test_render_blank_lines_make_paragraphs_and_newlines_make_breaks(void **state)
{
    (void)state;
    assert_renders("one\ntwo\n\nthree", NULL, "<p>one<br />two</p><p>three</p>");
}

static void test_render_collapses_extra_blank_lines_crlf_and_edge_newlines(void **state)
{
    (void)state;
    assert_renders("\n\nfirst\r\nline\r\n\r\n\r\n\nsecond\n", NULL,
                   "<p>first<br />line</p><p>second</p>");
}

static void test_render_link_keeps_full_href_and_escapes_it(void **state)
{
    (void)state;
    assert_renders("go https://a.example/?q=\"x\"&y=1 now", NULL,
                   "<p>go <a href=\"https://a.example/?q=&quot;x&quot;&amp;y=1\" "
                   "target=\"_blank\" rel=\"nofollow noopener noreferrer\">"
                   "https://a.example/?q=&quot;x&quot;&amp;y=1</a> now</p>");
}

static void test_render_link_with_unbalanced_paren_leaves_paren_as_text(void **state)
{
    (void)state;
    assert_renders("(https://a.example/x)", NULL,
                   "<p>(<a href=\"https://a.example/x\" target=\"_blank\" "
                   "rel=\"nofollow noopener noreferrer\">https://a.example/x</a>)</p>");
}

static void test_render_hashtag_href_uses_lowercased_tag(void **state)
{
    (void)state;
    assert_renders("#Cycling", NULL,
                   "<p><a href=\"" BASE "/tags/cycling\" class=\"mention hashtag\" rel=\"tag\">"
                   "#<span>Cycling</span></a></p>");
}

static void test_render_unicode_hashtag_href_is_percent_encoded(void **state)
{
    (void)state;
    assert_renders("#日本", NULL,
                   "<p><a href=\"" BASE "/tags/%E6%97%A5%E6%9C%AC\" class=\"mention hashtag\" "
                   "rel=\"tag\">#<span>日本</span></a></p>");
}

static void test_render_resolved_mention_is_an_h_card_link(void **state)
{
    (void)state;
    assert_renders("hi @bob@example.org!", "https://example.org/@bob",
                   "<p>hi <span class=\"h-card\"><a href=\"https://example.org/@bob\" "
                   "class=\"u-url mention\">@<span>bob</span></a></span>!</p>");
}

static void test_render_unresolved_mention_is_escaped_plain_text(void **state)
{
    (void)state;
    assert_renders("hi @bob@example.org & co", NULL, "<p>hi @bob@example.org &amp; co</p>");
}

static void test_render_escapes_mention_href(void **state)
{
    (void)state;
    assert_renders("@bob", "https://x.example/\"><script>",
                   "<p><span class=\"h-card\"><a href=\"https://x.example/&quot;&gt;&lt;script&gt;"
                   "\" class=\"u-url mention\">@<span>bob</span></a></span></p>");
}

static void test_render_ignores_entities_that_do_not_match_the_source(void **state)
{
    (void)state;
    const char *src = "a <b> c";
    text_entity bogus[] = {
        {.kind = TEXT_LINK, .start = 2, .len = 3, .name = src + 2, .name_len = 3},
        {.kind = TEXT_HASHTAG, .start = 4, .len = 100, .name = src, .name_len = 1},
    };
    text_entities ents = {bogus, 2, 2};
    buf out = BUF_INIT;
    text_render_html(src, strlen(src), &ents, BASE, &out);
    assert_string_equal(buf_cstr(&out), "<p>a &lt;b&gt; c</p>");
    buf_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* Character counting                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void test_char_count_counts_code_points_not_bytes(void **state)
{
    (void)state;
    assert_int_equal(char_count(""), 0);
    assert_int_equal(char_count("héllo 日本 🚴"), 10);
}

static void test_char_count_counts_every_link_as_23(void **state)
{
    (void)state;
    assert_int_equal(char_count("a https://example.com/a/very/long/path/that/goes/on/and/on b"),
                     2 + 23 + 2);
    assert_int_equal(char_count("http://x.y"), 23);
}

static void test_char_count_counts_remote_mention_as_local_part(void **state)
{
    (void)state;
    assert_int_equal(char_count("@bob@example.org hi"), strlen("@bob hi"));
    assert_int_equal(char_count("#Tag @ann"), strlen("#Tag @ann"));
}

/* ------------------------------------------------------------------------------------------ */
/* Tag normalization                                                                           */
/* ------------------------------------------------------------------------------------------ */

static void test_tag_normalize_lowercases_ascii_and_keeps_unicode(void **state)
{
    (void)state;
    char out[101];
    assert_int_equal(text_tag_normalize("CyCling_1", 9, out, sizeof out), 9);
    assert_string_equal(out, "cycling_1");
    const char *tag = "ÄpFel日本";
    assert_int_equal(text_tag_normalize(tag, strlen(tag), out, sizeof out), (int)strlen(tag));
    assert_string_equal(out, "Äpfel日本");
}

static void test_tag_normalize_rejects_empty_long_digits_and_bad_chars(void **state)
{
    (void)state;
    char out[256];
    char long_tag[102];
    memset(long_tag, 'a', sizeof long_tag);
    assert_int_equal(text_tag_normalize("", 0, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize(long_tag, 101, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize(long_tag, 100, out, sizeof out), 100);
    assert_int_equal(text_tag_normalize("123", 3, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("#tag", 4, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("a b", 3, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("a-b", 3, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("bike🚴", strlen("bike🚴"), out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("a\xC3", 2, out, sizeof out), -1);
}

static void test_tag_normalize_refuses_to_truncate(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(text_tag_normalize("abcd", 4, out, sizeof out), -1);
    assert_int_equal(text_tag_normalize("abc", 3, out, sizeof out), 3);
    assert_string_equal(out, "abc");
}

/* ------------------------------------------------------------------------------------------ */
/* UTF-8 validation                                                                            */
/* ------------------------------------------------------------------------------------------ */

static void test_valid_utf8_accepts_all_sequence_lengths(void **state)
{
    (void)state;
    const char *s = "a é € 🚴 \xF4\x8F\xBF\xBF";
    assert_true(text_is_valid_utf8(s, strlen(s)));
    assert_true(text_is_valid_utf8("", 0));
}

static void test_valid_utf8_rejects_overlong_surrogate_too_large_truncated_and_nul(void **state)
{
    (void)state;
    assert_false(text_is_valid_utf8("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(text_is_valid_utf8("\xE0\x80\xAF", 3));     /* overlong '/' */
    assert_false(text_is_valid_utf8("\xF0\x80\x80\xAF", 4)); /* overlong '/' */
    assert_false(text_is_valid_utf8("\xED\xA0\x80", 3));     /* U+D800 */
    assert_false(text_is_valid_utf8("\xF4\x90\x80\x80", 4)); /* U+110000 */
    assert_false(text_is_valid_utf8("\xE2\x82", 2));         /* truncated € */
    assert_false(text_is_valid_utf8("\x80", 1));             /* lone continuation */
    assert_false(text_is_valid_utf8("\xFF", 1));
    assert_false(text_is_valid_utf8("a\0b", 3));
}

/* ------------------------------------------------------------------------------------------ */
/* HTML to plain text                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void test_html_to_plain_drops_tags_and_turns_breaks_into_newlines(void **state)
{
    (void)state;
    assert_plain("<p>one<br />two<br>three</p><p>four <a href=\"x\">#<span>five</span></a></p>",
                 "one\ntwo\nthree\n\nfour #five");
}

static void test_html_to_plain_decodes_named_and_numeric_entities(void **state)
{
    (void)state;
    assert_plain("&amp;&lt;&gt;&quot;&#39;&#233;&#x1F6B4;&#X20AC;", "&<>\"'é🚴€");
    assert_plain("&#0;&#xD800;&#99999999999;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_plain("AT&T &unknown; &#12 &# 1 < 2", "AT&T &unknown; &#12 &# 1 < 2");
}

static void test_html_to_plain_round_trips_render_output(void **state)
{
    (void)state;
    const char *src = "Hi @ann <b>&amp;</b> \"q\" 'r'\nsee https://a.example/?a=1&b=(2)\n\n"
                      "#日本語 and #Cycling 🚴";
    char *html = render(src, "https://social.example/@ann");
    assert_plain(html, src);
    free(html);
}

/* Folds both sides and asks text_has_keyword. */
static int has(const char *text, const char *kw, int whole_word)
{
    char t[256], k[128];
    text_fold(text, strlen(text), t);
    text_fold(kw, strlen(kw), k);
    return text_has_keyword(t, strlen(t), k, strlen(k), whole_word);
}

static void test_fold_lowers_latin_greek_cyrillic_keeping_byte_lengths(void **state)
{
    (void)state;
    char out[64];
    const char *in = "ÀÉÎÕÜ Straße ĀŁŽŸ ΑΩ ЖЯЁ ×";
    assert_int_equal(text_fold(in, strlen(in), out), strlen(in));
    assert_string_equal(out, "àéîõü straße āłžÿ αω жяё ×");
    char bad[] = {'A', (char)0xC3, 'B', 0};
    text_fold(bad, 3, out);
    assert_memory_equal(out,
                        "a\xC3"
                        "b",
                        3); /* a stray byte stays */
}

static void test_keyword_without_whole_word_is_any_substring(void **state)
{
    (void)state;
    assert_true(has("Concatenate", "cat", 0));
    assert_true(has("HOTDOG", "dog", 0));
    assert_false(has("dig", "dog", 0));
    assert_false(has("do", "dog", 0));
}

static void test_whole_word_keyword_needs_boundaries_at_its_word_ends(void **state)
{
    (void)state;
    assert_true(has("a cat sat", "cat", 1));
    assert_true(has("cat", "cat", 1));
    assert_true(has("(cat)", "cat", 1));
    assert_true(has("#cat", "cat", 1));
    assert_true(has("concat cat", "cat", 1)); /* the second occurrence counts */
    assert_false(has("concatenate", "cat", 1));
    assert_false(has("cats", "cat", 1));
    assert_false(has("cat_", "cat", 1));
    assert_false(has("écat", "cat", 1)); /* a Latin letter is a word character */
    assert_true(has("École fermée", "école", 1));
    assert_false(has("écoles", "école", 1));
    assert_true(has("nice 🙂cat", "cat", 1)); /* emoji are not */
    /* a keyword ending in punctuation needs no boundary there (Mastodon: \b only at word
     * ends) */
    assert_true(has("see @twitter.comics", "@twitter.com", 0));
    assert_true(has("x @twitter.com!", "@twitter.com", 1));
    assert_true(has("from birdsite today", "from birdsite", 1));
    assert_false(has("from birdsites", "from birdsite", 1));
}

static char *escaped(const char *s)
{
    buf b = BUF_INIT;
    text_escape_line(s, &b);
    return buf_steal(&b);
}

static void test_escape_line_keeps_text_on_one_line_and_one_column(void **state)
{
    (void)state;
    char *e = escaped("plain caf\xc3\xa9 \xe2\x98\x95 ok");
    assert_string_equal(e, "plain caf\xc3\xa9 \xe2\x98\x95 ok"); /* printable UTF-8 as it is */
    free(e);
    e = escaped("a\nb\tc\rd\\e");
    assert_string_equal(e, "a\\nb\\tc\\rd\\\\e");
    free(e);
    /* an escape sequence (cursor up, clear line) and DEL are shown, not obeyed */
    e = escaped("x\x1b[1A\x1b[2Ky\x7f");
    assert_string_equal(e, "x\\x1B[1A\\x1B[2Ky\\x7F");
    free(e);
    /* C1 CSI, line separator, right-to-left override; a stray byte */
    e = escaped("\xc2\x9b"
                "A\xe2\x80\xa8"
                "B\xe2\x80\xae"
                "C\xff");
    assert_string_equal(e, "\\u{009B}A\\u{2028}B\\u{202E}C\\xFF");
    free(e);
    /* an escaped backslash cannot be mistaken for the start of an escape */
    e = escaped("\\n");
    assert_string_equal(e, "\\\\n");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mention_local_is_found),
        cmocka_unit_test(test_mention_remote_has_username_and_domain),
        cmocka_unit_test(test_mention_domain_leaves_out_trailing_full_stop),
        cmocka_unit_test(test_mention_inside_email_is_not_a_mention),
        cmocka_unit_test(test_mention_after_slash_or_equals_is_not_a_mention),
        cmocka_unit_test(test_mention_username_over_30_chars_is_not_a_mention),
        cmocka_unit_test(test_mention_running_into_a_unicode_letter_is_not_a_mention),
        cmocka_unit_test(test_hashtag_ascii_with_digits_and_underscore_is_found),
        cmocka_unit_test(test_hashtag_unicode_letters_are_found),
        cmocka_unit_test(test_hashtag_ends_at_unicode_punctuation_and_emoji),
        cmocka_unit_test(test_hashtag_of_digits_only_is_not_a_hashtag),
        cmocka_unit_test(test_hashtag_inside_word_is_not_a_hashtag),
        cmocka_unit_test(test_hashtag_longer_than_100_bytes_is_not_a_hashtag),
        cmocka_unit_test(test_hashtag_inside_url_is_part_of_the_link),
        cmocka_unit_test(test_link_http_and_https_are_found_in_order_with_other_entities),
        cmocka_unit_test(test_link_other_schemes_are_not_links),
        cmocka_unit_test(test_link_leaves_out_trailing_punctuation),
        cmocka_unit_test(test_link_keeps_balanced_parens_and_drops_unbalanced_one),
        cmocka_unit_test(test_link_ends_at_whitespace_and_angle_brackets),
        cmocka_unit_test(test_parse_rejects_invalid_utf8),
        cmocka_unit_test(test_parse_replaces_previous_entities_when_reused),
        cmocka_unit_test(test_render_empty_input_is_empty),
        cmocka_unit_test(test_render_escapes_script_tags_quotes_and_ampersands),
        cmocka_unit_test(test_render_blank_lines_make_paragraphs_and_newlines_make_breaks),
        cmocka_unit_test(test_render_collapses_extra_blank_lines_crlf_and_edge_newlines),
        cmocka_unit_test(test_render_link_keeps_full_href_and_escapes_it),
        cmocka_unit_test(test_render_link_with_unbalanced_paren_leaves_paren_as_text),
        cmocka_unit_test(test_render_hashtag_href_uses_lowercased_tag),
        cmocka_unit_test(test_render_unicode_hashtag_href_is_percent_encoded),
        cmocka_unit_test(test_render_resolved_mention_is_an_h_card_link),
        cmocka_unit_test(test_render_unresolved_mention_is_escaped_plain_text),
        cmocka_unit_test(test_render_escapes_mention_href),
        cmocka_unit_test(test_render_ignores_entities_that_do_not_match_the_source),
        cmocka_unit_test(test_escape_line_keeps_text_on_one_line_and_one_column),
        cmocka_unit_test(test_char_count_counts_code_points_not_bytes),
        cmocka_unit_test(test_char_count_counts_every_link_as_23),
        cmocka_unit_test(test_char_count_counts_remote_mention_as_local_part),
        cmocka_unit_test(test_tag_normalize_lowercases_ascii_and_keeps_unicode),
        cmocka_unit_test(test_tag_normalize_rejects_empty_long_digits_and_bad_chars),
        cmocka_unit_test(test_tag_normalize_refuses_to_truncate),
        cmocka_unit_test(test_valid_utf8_accepts_all_sequence_lengths),
        cmocka_unit_test(test_valid_utf8_rejects_overlong_surrogate_too_large_truncated_and_nul),
        cmocka_unit_test(test_html_to_plain_drops_tags_and_turns_breaks_into_newlines),
        cmocka_unit_test(test_html_to_plain_decodes_named_and_numeric_entities),
        cmocka_unit_test(test_html_to_plain_round_trips_render_output),
        cmocka_unit_test(test_fold_lowers_latin_greek_cyrillic_keeping_byte_lengths),
        cmocka_unit_test(test_keyword_without_whole_word_is_any_substring),
        cmocka_unit_test(test_whole_word_keyword_needs_boundaries_at_its_word_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
