/**
 * conversations.h — direct conversations (docs.joinmastodon.org/methods/conversations): the
 * threads of direct statuses, each seen by every participant as a row of their own with its
 * participants, its last status and an unread flag.
 *
 * posts.c keeps the rows in step with direct statuses in the transaction that creates, edits
 * or deletes one (conversations_add_status, _edit_status, _remove_status); the rest is what
 * the API reads and changes. Another person's conversation id is PL_ENOTFOUND ("Record not
 * found"), as a missing one. A status is shown only if audience_can_see() lets the viewer see
 * it: a conversation's last status is its newest status the viewer may see (or none).
 */
#ifndef PL_CONVERSATIONS_H
#define PL_CONVERSATIONS_H

#include "app/app.h"

/** A conversation as its owner sees it. */
typedef struct conversation_view {
    pl_conversation conv;
    int64_t shown_status_id; /**< its newest status the viewer may see, 0 if none */
} conversation_view;

/**
 * A new direct status s whose mentioned accounts are mentions[0..n): adds it to the row of
 * its author (read) and of each mentioned account who may see it (unread), except those who
 * block the author or mute them with notifications hidden (as Mastodon drops those).
 */
int conversations_add_status(app_ctx *c, const pl_status *s, const int64_t *mentions, int n);
/**
 * An edited direct status whose mentions went from before[0..nb) to after[0..na): if they
 * changed, the status leaves every row and is added again for its new participants (those who
 * held it keep their unread flag; someone newly addressed gets it unread).
 */
int conversations_edit_status(app_ctx *c, const pl_status *s, const int64_t *before, int nb,
                              const int64_t *after, int na);
/** A direct status being deleted leaves every row (a row left empty is deleted). */
int conversations_remove_status(app_ctx *c, const pl_status *s);

/** The viewer's conversations, most recent activity first, paged by last status id. */
int conversations_page(app_ctx *c, int64_t viewer, const pl_page *p, conversation_view **out,
                       int *n);
/** Marks one of the viewer's conversations read and returns it. */
int conversations_read(app_ctx *c, int64_t viewer, int64_t id, conversation_view *out);
/** Removes one of the viewer's conversations for the viewer only (the statuses stay). */
int conversations_remove(app_ctx *c, int64_t viewer, int64_t id);
/** The viewer's unread conversations, counted up to max_unread_count. */
int conversations_unread_count(app_ctx *c, int64_t viewer, int64_t *n);

#endif
