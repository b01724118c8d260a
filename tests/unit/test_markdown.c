/*
 * test_markdown.c — unit tests for src/util/markdown.c: the HTML a Markdown post becomes, the
 * plain text search and filters see, and the classic XSS payloads, none of which may leave
 * a tag, an attribute or a URL scheme of its own in the output.
 *
 * Expected HTML is written out in full: the exact markup is what Mastodon apps show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/markdown.h"

#define BASE "https://social.example"

/* Resolves every local mention to BASE/@name, as app/render.c does for real accounts. */
static void resolve_all(void *ctx, const char *src, size_t len, text_entities *ents)
{
    (void)src;
    (void)len;
    int *calls = ctx;
    (*calls)++;
    static char hrefs[16][128];
    for (size_t i = 0; i < ents->n && i < 16; i++) {
        text_entity *e = &ents->items[i];
        if (e->kind != TEXT_MENTION || e->domain) continue;
        snprintf(hrefs[i], sizeof hrefs[i], BASE "/@%.*s", (int)e->name_len, e->name);
        e->href = hrefs[i];
    }
}

/* The HTML of src (malloc'd), and its plain text into *plain if plain is not NULL. */
static char *md(const char *src, char **plain)
{
    buf html = BUF_INIT, text = BUF_INIT;
    int calls = 0;
    assert_int_equal(markdown_render(src, strlen(src), BASE, resolve_all, &calls, &html, &text),
                     PL_OK);
    char *out = strdup(buf_cstr(&html));
    if (plain) *plain = strdup(buf_cstr(&text));
    buf_free(&html);
    buf_free(&text);
    return out;
}

static void assert_md(const char *src, const char *want)
{
    char *got = md(src, NULL);
    assert_string_equal(got, want);
    free(got);
}

static void test_inline_formatting_becomes_strong_em_del_and_code(void **state)
{
    (void)state;
    assert_md("**bold** *em* _em_ ~~gone~~ `x < y`",
              "<p><strong>bold</strong> <em>em</em> <em>em</em> <del>gone</del> "
              "<code>x &lt; y</code></p>");
}

static void test_single_tilde_is_not_strikethrough(void **state)
{
    (void)state;
    assert_md("from ~5 to ~10", "<p>from ~5 to ~10</p>");
}

static void test_blocks_become_paragraphs_lists_quotes_and_pre(void **state)
{
    (void)state;
    assert_md("one\ntwo\n\n> quoted\n\n- a\n- b\n\n3. c\n4. d\n\n```js\nif (a < b) {}\n```",
              "<p>one<br />two</p><blockquote><p>quoted</p></blockquote><ul><li>a</li><li>b</li>"
              "</ul><ol start=\"3\"><li>c</li><li>d</li></ol><pre><code>if (a &lt; b) {}"
              "</code></pre>");
}

static void test_heading_becomes_strong_paragraph_and_rule_is_dropped(void **state)
{
    (void)state;
    assert_md("# Title\n\n---\n\nbody", "<p><strong>Title</strong></p><p>body</p>");
}

static void test_mentions_tags_and_bare_links_are_made_as_in_plain_text(void **state)
{
    (void)state;
    assert_md("hi @bob see #Tag at https://ex.org/a **@ann**",
              "<p>hi <span class=\"h-card\"><a href=\"" BASE "/@bob\" class=\"u-url mention\">"
              "@<span>bob</span></a></span> see <a href=\"" BASE "/tags/tag\" class=\"mention "
              "hashtag\" rel=\"tag\">#<span>Tag</span></a> at <a href=\"https://ex.org/a\" "
              "target=\"_blank\" rel=\"nofollow noopener noreferrer\">https://ex.org/a</a> "
              "<strong><span class=\"h-card\"><a href=\"" BASE "/@ann\" class=\"u-url mention\">"
              "@<span>ann</span></a></span></strong></p>");
}

static void test_no_mention_or_tag_inside_code_or_link_labels(void **state)
{
    (void)state;
    assert_md("`@bob #tag`\n\n    @ann\n\n[@carl #x](https://ex.org)",
              "<p><code>@bob #tag</code></p><pre><code>@ann</code></pre><p><a "
              "href=\"https://ex.org\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">"
              "@carl #x</a></p>");
}

static void test_escaped_underscores_do_not_split_a_hashtag(void **state)
{
    (void)state;
    assert_md("#snake\\_case", "<p><a href=\"" BASE "/tags/snake_case\" class=\"mention hashtag\" "
                               "rel=\"tag\">#<span>snake_case</span></a></p>");
}

static void test_links_only_to_http_and_https(void **state)
{
    (void)state;
    assert_md("[ok](https://ex.org/?a=1&b=2) [bad](javascript:alert(1)) [rel](/x) "
              "<https://ex.org/auto>",
              "<p><a href=\"https://ex.org/?a=1&amp;b=2\" target=\"_blank\" rel=\"nofollow "
              "noopener noreferrer\">ok</a> bad rel <a href=\"https://ex.org/auto\" "
              "target=\"_blank\" rel=\"nofollow noopener noreferrer\">https://ex.org/auto</a></p>");
}

static void test_pictures_become_links_labelled_with_their_alt_text(void **state)
{
    (void)state;
    assert_md("![a cat](https://ex.org/cat.png) ![](https://ex.org/x.png) ![dog](data:x)",
              "<p><a href=\"https://ex.org/cat.png\" target=\"_blank\" rel=\"nofollow noopener "
              "noreferrer\">a cat</a> <a href=\"https://ex.org/x.png\" target=\"_blank\" "
              "rel=\"nofollow noopener noreferrer\">https://ex.org/x.png</a> dog</p>");
}

static void test_raw_html_is_shown_as_text(void **state)
{
    (void)state;
    assert_md("<div onclick=\"x()\">hi</div>\n\na <b>b</b>",
              "<p>&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;</p><p>a &lt;b&gt;b&lt;/b&gt;"
              "</p>");
}

static void test_plain_text_has_no_markup_and_no_link_targets(void **state)
{
    (void)state;
    char *plain;
    char *html =
        md("# Hi\n\nso **very** _secret_ [label](https://ex.org/hidden)\n\n- a\n- b", &plain);
    assert_string_equal(plain, "Hi\n\nso very secret label\n\na\n\nb");
    free(html);
    free(plain);
}

static void test_invalid_utf8_is_refused(void **state)
{
    (void)state;
    buf html = BUF_INIT, plain = BUF_INIT;
    assert_int_equal(markdown_render("a\xff", 2, BASE, NULL, NULL, &html, &plain), PL_EINVAL);
    assert_int_equal(html.len, 0);
    buf_free(&html);
    buf_free(&plain);
}

/* The classic payloads (OWASP's XSS filter evasion cheat sheet and its kin), in Markdown and
 * in HTML. Whatever they become, the output may hold no tag but ours, no attribute but ours,
 * and no href that is not http(s). */
static const char *const xss_payloads[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<style>@import 'https://xss.example/x.css';</style>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](java\\script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](//xss.example)",
    "[x](https://ok.example\" onmouseover=\"alert(1))",
    "[x](https://ok.example \"title\" onclick=alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    "![x\" onerror=\"alert(1)](https://ok.example/a.png)",
    "![<img src=x onerror=alert(1)>](https://ok.example/a.png)",
    "[<script>alert(1)</script>](https://ok.example)",
    "**<script>alert(1)</script>**",
    "`<script>alert(1)</script>`",
    "```\n</code><script>alert(1)</script>\n```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "https://ok.example/\"><script>alert(1)</script>",
    "#tag\"><script>alert(1)</script>",
    "@bob\"><script>alert(1)</script>",
    "> <blockquote onclick=alert(1)>\n> - <li style=\"x\">",
    "[[x](javascript:alert(1))](https://ok.example)",
    "[x](https://ok.example/<script>)",
};

/* The tags and attributes this module writes; anything else in the output is a hole. */
static void assert_only_our_markup(const char *html, const char *payload)
{
    static const char *const tags[] = {
        "<p>",          "</p>",          "<br />", "<strong>", "</strong>",
        "<em>",         "</em>",         "<del>",  "</del>",   "<code>",
        "</code>",      "<pre>",         "</pre>", "<ul>",     "</ul>",
        "<ol>",         "</ol>",         "<li>",   "</li>",    "</a>",
        "<blockquote>", "</blockquote>", "<span>", "</span>",  "<span class=\"h-card\">",
        "<ol start=\"",
    };
    for (const char *p = html; (p = strchr(p, '<')); p++) {
        bool known = false;
        for (size_t i = 0; i < sizeof tags / sizeof *tags && !known; i++)
            known = !strncmp(p, tags[i], strlen(tags[i]));
        if (!known && !strncmp(p, "<a href=\"", 9)) {
            const char *url = p + 9;
            known = !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7) ||
                    !strncmp(url, BASE, strlen(BASE));
            const char *end = strchr(url, '"');
            assert_non_null(end);
            /* after the URL only our attributes */
            known = known && (!strncmp(end,
                                       "\" target=\"_blank\" rel=\"nofollow noopener "
                                       "noreferrer\">",
                                       45) ||
                              !strncmp(end, "\" class=\"", 9));
        }
        if (!known) fail_msg("payload %s made foreign markup: %s", payload, p);
    }
    /* (the words of a payload may stay as text: "onerror=" between tags is harmless) */
}

static void test_xss_payloads_leave_no_markup_of_their_own(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xss_payloads / sizeof *xss_payloads; i++) {
        char *html = md(xss_payloads[i], NULL);
        assert_only_our_markup(html, xss_payloads[i]);
        free(html);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline_formatting_becomes_strong_em_del_and_code),
        cmocka_unit_test(test_single_tilde_is_not_strikethrough),
        cmocka_unit_test(test_blocks_become_paragraphs_lists_quotes_and_pre),
        cmocka_unit_test(test_heading_becomes_strong_paragraph_and_rule_is_dropped),
        cmocka_unit_test(test_mentions_tags_and_bare_links_are_made_as_in_plain_text),
        cmocka_unit_test(test_no_mention_or_tag_inside_code_or_link_labels),
        cmocka_unit_test(test_escaped_underscores_do_not_split_a_hashtag),
        cmocka_unit_test(test_links_only_to_http_and_https),
        cmocka_unit_test(test_pictures_become_links_labelled_with_their_alt_text),
        cmocka_unit_test(test_raw_html_is_shown_as_text),
        cmocka_unit_test(test_plain_text_has_no_markup_and_no_link_targets),
        cmocka_unit_test(test_invalid_utf8_is_refused),
        cmocka_unit_test(test_xss_payloads_leave_no_markup_of_their_own),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
