/**
 * render.h — turns user text into server-made HTML with resolved mentions and hashtags.
 *
 * Used for statuses, profile notes and profile field values. Mentions of local accounts
 * (@name, or @name@our-host) become links; unknown ones stay plain text. A status may be
 * written in Markdown instead (content_type text/markdown; util/markdown.h says what it
 * makes); profiles and announcements are always plain text.
 */
#ifndef PL_RENDER_H
#define PL_RENDER_H

#include "app/app.h"

typedef struct render_out {
    const char *html;     /**< arena */
    int64_t *mention_ids; /**< distinct local accounts mentioned, in order of appearance */
    int n_mentions;
    const char **tags; /**< distinct normalized hashtags */
    int n_tags;
    size_t chars;      /**< length as Mastodon counts it (links = 23), of the source as written */
    const char *plain; /**< Markdown: the text a reader sees (for search and filters), arena;
                            NULL for plain text, whose source is that text */
} render_out;

/** How a status's text is written (statuses.content_type; 0 is what every older row has). */
enum pl_content_type { CONTENT_PLAIN = 0, CONTENT_MARKDOWN = 1 };

/** "text/plain" (also NULL or "") or "text/markdown", case-insensitive; -1 for anything else. */
int content_type_parse(const char *name);
/** The MIME type of a pl_content_type, as /statuses/:id/source shows it. */
const char *content_type_name(int content_type);

/** Plain text. PL_OK, or PL_EINVAL (with c->errmsg) if text is not valid UTF-8. */
int render_text(app_ctx *c, const char *text, render_out *out);
/** A status's text in its content type (enum pl_content_type); errors as render_text. */
int render_post(app_ctx *c, const char *text, int content_type, render_out *out);

#endif
