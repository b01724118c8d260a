/*
 * markdown.c — Markdown posts to the small HTML Mastodon apps show (the rules: markdown.h).
 *
 * Why we walk cmark's tree ourselves instead of rendering with cmark and sanitizing the HTML
 * afterwards: a sanitizer has to understand every trick of HTML (entities, broken tags,
 * attribute quoting, URL schemes in their many spellings) to take the bad out, while writing
 * the tree ourselves only ever puts in what we chose. Every byte that came from the person is
 * escaped on its way out (buf_put_html); the tags and attributes are literals of this file;
 * the one value that reaches an attribute from the source, a link's URL, must start with
 * http:// or https:// after cmark has decoded its entities and escapes, and is escaped too.
 *
 * Text runs are handed to util/text.c, so a mention, hashtag or bare link in a Markdown post
 * is made by the same code as in a plain one. Adjacent text nodes are merged first
 * (cmark_consolidate_text_nodes), so that "a\_b #tag" is one run, as it reads.
 *
 * Never: let cmark render HTML, pass a raw HTML node through, or link a URL it has not checked.
 */
#include "util/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

/* Where the walk is: what a text node inside may become. */
typedef struct walk {
    const char *base_url;
    markdown_entities_fn on_entities;
    void *ctx;
    buf *html, *plain;
    int in_label;     /* inside a link's label or a picture's alt text: no entities, no tags */
    bool plain_break; /* a block ended: the next text of plain starts after a blank line */
} walk;

/* True if url may be the href of a link: http:// or https://, as cmark decoded it. */
static bool is_safe_url(const char *url)
{
    if (!url) return false;
    size_t scheme = !strncasecmp(url, "http://", 7) ? 7 : !strncasecmp(url, "https://", 8) ? 8 : 0;
    return scheme && url[scheme];
}

/* Writes url as an attribute value: HTML-escaped, with spaces and control bytes
 * percent-encoded (a URL in angle brackets may hold them). */
static void put_url(buf *out, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const char *p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7F) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
            buf_append(out, esc, 3);
        } else {
            buf_put_html(out, p, 1);
        }
    }
}

static void plain_text(walk *w, const char *s, size_t n)
{
    if (n == 0) return;
    if (w->plain_break && w->plain->len) buf_puts(w->plain, "\n\n");
    w->plain_break = false;
    buf_append(w->plain, s, n);
}

/* Ordinary text: entities as in a plain post, unless inside a label. */
static void put_text(walk *w, const char *s)
{
    size_t n = strlen(s);
    plain_text(w, s, n);
    if (w->in_label) {
        buf_put_html(w->html, s, n);
        return;
    }
    text_entities ents = TEXT_ENTITIES_INIT;
    if (text_parse(s, n, &ents) == PL_OK && w->on_entities) w->on_entities(w->ctx, s, n, &ents);
    text_render_inline(s, n, &ents, w->base_url, w->html);
    text_entities_free(&ents);
}

/* Text shown as it is written (code, raw HTML): escaped, line breaks as <br /> if asked. */
static void put_literal(walk *w, const char *s, bool breaks)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    plain_text(w, s, n);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '\n') j++;
        buf_put_html(w->html, s + i, j - i);
        if (j < n) buf_puts(w->html, breaks ? "<br />" : "\n");
        i = j + 1;
    }
}

static void put_break(walk *w)
{
    if (!w->in_label) buf_puts(w->html, "<br />");
    buf_putc(w->plain, '\n');
}

/* Is this paragraph in a tight list item (written without <p>, as cmark does)? */
static bool is_tight(cmark_node *paragraph)
{
    cmark_node *item = cmark_node_parent(paragraph);
    if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM) return false;
    cmark_node *list = cmark_node_parent(item);
    return list && cmark_node_get_list_tight(list);
}

static void tag(walk *w, const char *t)
{
    if (!w->in_label) buf_puts(w->html, t);
}

static void enter_link(walk *w, cmark_node *n, bool is_picture)
{
    const char *url = cmark_node_get_url(n);
    bool is_linked = !w->in_label && is_safe_url(url);
    if (is_linked) {
        buf_puts(w->html, "<a href=\"");
        put_url(w->html, url);
        buf_puts(w->html, "\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">");
        /* a picture with no alt text is shown as its URL */
        if (is_picture && !cmark_node_first_child(n)) buf_put_html(w->html, url, strlen(url));
    }
    /* the label closes with a matching </a> only if it opened one: remember in the node */
    cmark_node_set_user_data(n, is_linked ? (void *)1 : NULL);
    w->in_label++;
}

static void exit_link(walk *w, cmark_node *n)
{
    w->in_label--;
    if (cmark_node_get_user_data(n)) buf_puts(w->html, "</a>");
}

static void block_end(walk *w)
{
    w->plain_break = true;
}

static void visit(walk *w, cmark_node *n, cmark_event_type ev)
{
    bool enter = ev == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_DOCUMENT: break;
    case CMARK_NODE_PARAGRAPH:
        if (!is_tight(n)) tag(w, enter ? "<p>" : "</p>");
        if (!enter) block_end(w);
        break;
    case CMARK_NODE_HEADING:
        tag(w, enter ? "<p><strong>" : "</strong></p>");
        if (!enter) block_end(w);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        tag(w, enter ? "<blockquote>" : "</blockquote>");
        if (!enter) block_end(w);
        break;
    case CMARK_NODE_LIST: {
        bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        if (!enter) {
            tag(w, ordered ? "</ol>" : "</ul>");
            block_end(w);
        } else if (!ordered) {
            tag(w, "<ul>");
        } else if (cmark_node_get_list_start(n) != 1) {
            char t[32];
            snprintf(t, sizeof t, "<ol start=\"%d\">", cmark_node_get_list_start(n));
            tag(w, t);
        } else {
            tag(w, "<ol>");
        }
        break;
    }
    case CMARK_NODE_ITEM:
        tag(w, enter ? "<li>" : "</li>");
        if (!enter) block_end(w);
        break;
    case CMARK_NODE_CODE_BLOCK: /* a leaf: one ENTER event only */
        tag(w, "<pre><code>");
        put_literal(w, cmark_node_get_literal(n), false);
        tag(w, "</code></pre>");
        block_end(w);
        break;
    case CMARK_NODE_HTML_BLOCK:
        tag(w, "<p>");
        put_literal(w, cmark_node_get_literal(n), true);
        tag(w, "</p>");
        block_end(w);
        break;
    case CMARK_NODE_THEMATIC_BREAK: block_end(w); break;
    case CMARK_NODE_TEXT: put_text(w, cmark_node_get_literal(n)); break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK: put_break(w); break;
    case CMARK_NODE_CODE:
        tag(w, "<code>");
        put_literal(w, cmark_node_get_literal(n), false);
        tag(w, "</code>");
        break;
    case CMARK_NODE_HTML_INLINE: put_literal(w, cmark_node_get_literal(n), false); break;
    case CMARK_NODE_EMPH: tag(w, enter ? "<em>" : "</em>"); break;
    case CMARK_NODE_STRONG: tag(w, enter ? "<strong>" : "</strong>"); break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        if (enter)
            enter_link(w, n, cmark_node_get_type(n) == CMARK_NODE_IMAGE);
        else
            exit_link(w, n);
        break;
    default:
        /* the one extension attached: strikethrough; anything else shows only its text */
        if (!strcmp(cmark_node_get_type_string(n), "strikethrough"))
            tag(w, enter ? "<del>" : "</del>");
        else if (cmark_node_get_literal(n) && enter)
            put_text(w, cmark_node_get_literal(n));
        break;
    }
}

int markdown_render(const char *src, size_t len, const char *base_url,
                    markdown_entities_fn on_entities, void *ctx, buf *html, buf *plain)
{
    if (!text_is_valid_utf8(src, len)) return PL_EINVAL;
    pthread_once(&extensions_once, register_extensions);
    cmark_parser *p = cmark_parser_new(CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
    cmark_syntax_extension *strike = cmark_find_syntax_extension("strikethrough");
    if (strike) cmark_parser_attach_syntax_extension(p, strike);
    cmark_parser_feed(p, src, len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    cmark_consolidate_text_nodes(doc);
    walk w = {base_url, on_entities, ctx, html, plain, 0, false};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) visit(&w, cmark_iter_get_node(it), ev);
    cmark_iter_free(it);
    cmark_node_free(doc);
    return PL_OK;
}
