/**
 * markdown.h — a post written in Markdown, made into the HTML that Mastodon apps show.
 *
 * The source is parsed by cmark-gfm (CommonMark plus GitHub's ~~strikethrough~~) and the tree
 * is written out by this module, never by cmark's own HTML renderer, so the only markup in the
 * output is what is written here:
 * - p, br, strong, em, del, code, pre, blockquote, ul, ol (with start), li, and the a and span
 *   of links, mentions and hashtags — the tags Mastodon's own sanitizer keeps;
 * - a heading becomes a paragraph in strong; a thematic break is left out;
 * - raw HTML (blocks and inline) is shown as the text it is, escaped;
 * - a link is made only to an http:// or https:// URL, otherwise its text stays plain text
 *   (no javascript:, data:, relative or other links); a picture becomes a link to its URL
 *   labelled with its alt text (or only the alt text when the URL is not http(s));
 * - mentions, hashtags and bare links in ordinary text are made exactly as in a plain post
 *   (text_render_inline), but not inside code, code blocks, link labels or alt text;
 * - a single line break is kept as <br /> (as in a plain post), a blank line starts a paragraph.
 */
#ifndef PL_MARKDOWN_H
#define PL_MARKDOWN_H

#include <stddef.h>

#include "util/buf.h"
#include "util/text.h"

/**
 * Called once for each run of ordinary text in which mentions count, with the entities
 * text_parse found in it, before the run is rendered: the caller resolves mentions (sets
 * href) and collects mentions and hashtags. src and ents live until the call returns.
 */
typedef void (*markdown_entities_fn)(void *ctx, const char *src, size_t len, text_entities *ents);

/**
 * Renders the Markdown src (len bytes) as HTML into html, and as the text a reader sees (no
 * markup, no link targets; blocks separated by a blank line) into plain, for search and
 * filters. base_url (no trailing slash) makes hashtag links. on_entities may be NULL
 * (mentions then stay plain text). Returns PL_OK, or PL_EINVAL if src is not valid UTF-8
 * (nothing appended then).
 */
int markdown_render(const char *src, size_t len, const char *base_url,
                    markdown_entities_fn on_entities, void *ctx, buf *html, buf *plain);

#endif
