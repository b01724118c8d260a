/**
 * render.h — turns user text into server-made HTML with resolved mentions and hashtags.
 *
 * Used for statuses, profile notes and profile field values. Mentions of local accounts
 * (@name, or @name@our-host) become links; unknown ones stay plain text.
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
    size_t chars; /**< length as Mastodon counts it (links = 23) */
} render_out;

/** PL_OK, or PL_EINVAL (with c->errmsg) if text is not valid UTF-8. */
int render_text(app_ctx *c, const char *text, render_out *out);

#endif
