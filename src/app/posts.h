/**
 * posts.h — statuses: create, edit, delete, read one, its thread, and the assembled view
 * (status + author + reblogged status + mentions + tags + the viewer's own flags) that
 * the API renders.
 */
#ifndef PL_POSTS_H
#define PL_POSTS_H

#include "app/app.h"
#include "app/filters.h"
#include "app/polls.h"

typedef struct posts_new {
    const char *text, *spoiler_text, *language, *idempotency_key;
    int visibility; /**< -1 = the author's default */
    int sensitive;  /**< -1 = the author's default */
    int64_t in_reply_to_id, app_id;
    /** media_ids[]: the author's uploads to attach, in order (app/attachments.h); on an edit,
     *  has_media says they were sent (the post then carries exactly these) */
    const int64_t *media_ids;
    int n_media;
    bool has_media;
    int64_t channel_id;    /**< share to this channel (0: none, or as channels_place_post finds) */
    int64_t list_id;       /**< visibility VIS_LIST: the author's list it is for */
    const polls_new *poll; /**< the status's poll; NULL = none (an edit without one removes it) */
    /** "text/plain" or "text/markdown" (case-insensitive; anything else is refused with
     *  PL_EINVAL); NULL = the author's default for a new post, the post's own for an edit */
    const char *content_type;
    /** Set by app/tickets.c only: the ticket whose thread the post belongs to (0: as its parent
     *  says), and whether it is a system entry (a change the server writes down). */
    int64_t ticket_id;
    bool is_system;
} posts_new;

/** The text of s as a reader sees it, for matching words (filters, list keywords, search,
 *  word counts): a Markdown post's text without its markup, else its text. */
static inline const char *posts_text_as_read(const pl_status *s)
{
    return s->plain_text ? s->plain_text : s->text;
}

/** Creates a status; *id receives its id (the earlier one for a repeated Idempotency-Key). */
int posts_create(app_ctx *c, int64_t author, const posts_new *n, int64_t *id);
/** Checks what posts_create checks of the post itself (text, content warning, language,
 *  poll) without posting: a scheduled post is refused at once (app/scheduled.c). */
int posts_check(app_ctx *c, int64_t author, const posts_new *n);
/** The HTML a post of n's text would have (mentions resolved as for posting), checked as
 *  posts_check checks it; *html is arena memory. Writes nothing. */
int posts_preview(app_ctx *c, int64_t author, const posts_new *n, const char **html);
/** Edits own status text, content warning, sensitivity, language and poll; keeps the
 *  history (with each revision's poll options). */
int posts_edit(app_ctx *c, int64_t author, int64_t id, const posts_new *n);
/** Deletes own status (and reblogs of it); *deleted receives the row as it was. */
int posts_delete(app_ctx *c, int64_t actor, int64_t id, pl_status *deleted);
/** Deletes status id whoever wrote it — and the boosts of it — with everything derived from
 *  them (feeds, notifications, search, conversations, favourites, bookmarks, pins, polls,
 *  hashtags' uses, files: keys first), in the caller's transaction, with the same streaming
 *  "delete" events as posts_delete; not audited (the caller records its act). Replies stay.
 *  Adds the posts deleted to *posts and the files to *files; a post already gone is PL_OK.
 *  Retention's runs use it (app/retention.h), and off-boarding's wipe can. */
int posts_purge(app_ctx *c, int64_t id, int64_t *posts, int64_t *files);
/** A status the viewer may see, else PL_ENOTFOUND (never "forbidden": that would leak). */
int posts_get(app_ctx *c, int64_t viewer, int64_t id, pl_status *out);
/** Visible ancestors (oldest first) and descendants (thread order) of a status, less those
 *  a "hide" filter of the viewer's "thread" context matches; sets c->filter_context. */
int posts_context(app_ctx *c, int64_t viewer, int64_t id, int64_t **anc, int *n_anc, int64_t **desc,
                  int *n_desc);
/** Edit history, oldest first, including the current version (empty if never edited). */
int posts_history(app_ctx *c, int64_t viewer, int64_t id, pl_status_edit **out, int *n);

typedef struct pl_status_view {
    pl_status st;
    const pl_account *account;
    struct pl_status_view *reblog; /**< the original of a reblog, else NULL */
    const pl_account **mentions;
    int n_mentions;
    const char **tags;
    int n_tags;
    const char *app_name, *app_website; /**< NULL when unknown */
    pl_poll_view *poll; /**< its poll as the viewer sees it, NULL if none (never cached) */
    bool favourited, reblogged, bookmarked, muted, pinned; /**< for the viewer */
    filters_result *filtered; /**< the viewer's filters of c->filter_context that match */
    int n_filtered;
    const char *source_text;       /**< set only when answering a delete ("text") */
    const struct top_score *score; /**< a ranked feed's score (app/top.h), shown with
                                        `explain`; NULL otherwise (never cached) */
    const char *score_formula;     /**< the formula that score came from */
} pl_status_view;

/**
 * Loads, for a page of statuses about to be viewed, which of them (and of the posts they
 * boost) the viewer favourited, bookmarked and boosted, in three range queries instead of
 * three queries per status. posts_view() uses what this found; without it, it asks per status.
 */
void posts_prefetch_flags(app_ctx *c, int64_t viewer, const int64_t *ids, int n);

/** Assembles the view of a status for viewer (0 = signed out), with the viewer's filters of
 *  c->filter_context that match it. No audience check here. */
int posts_view(app_ctx *c, int64_t viewer, const pl_status *s, pl_status_view *out);
/**
 * Adds what only the full rendering needs (mentioned accounts, tags, the posting app) to a
 * view made by posts_view(). Separate so that a cached rendering skips these queries.
 */
int posts_view_details(app_ctx *c, pl_status_view *v);
/** Loads and assembles by id; PL_ENOTFOUND if it vanished. */
int posts_view_id(app_ctx *c, int64_t viewer, int64_t id, pl_status_view *out);

#endif
