/**
 * app/attachments.h — uploaded files (Mastodon's MediaAttachment): the rules of whose a file
 * is, which post carries it, and who may read it.
 *
 * - An upload belongs to its uploader and to no post. Only the uploader sees it (GET, PUT,
 *   DELETE /api/v1/media/:id; anyone else gets 404) and only they may attach it, once, to a
 *   post of theirs (media_ids[]); an upload no post took is removed after
 *   media_unattached_seconds.
 * - An attached file is read by exactly those who may see its post: audience_can_see, asked
 *   when its address is made and again when it is fetched. A deleted post, a viewer the author
 *   blocks, a disabled author or viewer: 404.
 * - Apps load pictures without a token, so an address carries a capability: the file's
 *   unguessable key, the viewer it was made for, an expiry, and a signature over the three
 *   (HMAC-SHA-256 under a key derived from the media master key). A fetch with a valid bearer
 *   token is checked against the token's person instead, signature or not.
 * Every refusal is PL_ENOTFOUND: whether a file exists is not told to those who may not see it.
 * See docs/ARCHITECTURE.md, "Files".
 */
#ifndef PL_APP_ATTACHMENTS_H
#define PL_APP_ATTACHMENTS_H

#include <stddef.h>

#include "app/app.h"
#include "store/attachments.h"
#include "util/buf.h"

/** Opens the file store of the settings for a server's threads (media/media.h: media_open),
 *  and closes it. */
int attachments_store_open(const pl_config *cfg, db *d, struct media_store **out, char *err,
                           size_t cap);
void attachments_store_close(struct media_store *m);

/** Mastodon's name of an attachment's kind: "image", "gifv", "video", "audio", "unknown". */
const char *attachments_type_name(int kind);

/** What POST /api/v2/media brings. */
typedef struct attachments_new {
    const void *data; /**< the file's bytes as sent */
    size_t len;
    const char *filename;    /**< the client's name for it, "" if none */
    const char *description; /**< alt text, NULL if none */
    const char *focus;       /**< "x,y", each in -1.0..1.0, NULL if none */
} attachments_new;

/**
 * Types and processes the file (pictures/upload.h), stores it (and a picture's preview) in
 * the encrypted store and records the attachment, owned by `account`. Takes ~200 ms of CPU
 * for a picture: call it on a worker (c->own_txn), never on an event loop nor the writer.
 * Its transaction holds only the writing of the rows (and of the chunks, with the database
 * backend). PL_ELIMIT (too large: 413) or PL_EINVAL (422) with c->errmsg; PL_ENOSPACE (507)
 * when the disk is full — nothing is left behind on any error.
 */
int attachments_upload(app_ctx *c, int64_t account, const attachments_new *n, pl_attachment *out);

/** The viewer's own attachment not yet attached to a post; PL_ENOTFOUND otherwise. */
int attachments_get_own(app_ctx *c, int64_t account, int64_t id, pl_attachment *out);
/** Sets the alt text and/or focus (NULL: unchanged) of one's own unattached attachment. */
int attachments_describe(app_ctx *c, int64_t account, int64_t id, const char *description,
                         const char *focus, pl_attachment *out);
/** An edit's media_attributes[]: the alt text and/or focus of a file of the author's post
 *  status_id. PL_EINVAL (422) for a file that is not one of that post's. */
int attachments_describe_in_post(app_ctx *c, int64_t author, int64_t status_id, int64_t id,
                                 const char *description, const char *focus);
/** Deletes one's own unattached attachment and its files (own transaction: a worker). */
int attachments_delete_own(app_ctx *c, int64_t account, int64_t id);

/**
 * Attaches ids[0..n) (in that order) to the new post status_id of `author`, in the caller's
 * transaction: PL_EINVAL (422) if there are more than max_media_attachments or one is not the
 * author's own unattached upload (the caller's transaction must then be rolled back).
 */
int attachments_attach(app_ctx *c, int64_t author, int64_t status_id, const int64_t *ids, int n);
/** Holds uploads ids[0..n) of author's for the scheduled post scheduled_id (checked as
 *  attachments_check does): they wait for it, attachable nowhere else and never pruned.
 *  Publishing or cancelling it lets them go (store_attachments_release). */
int attachments_hold(app_ctx *c, int64_t author, int64_t scheduled_id, const int64_t *ids, int n);
/** The uploads the scheduled post scheduled_id holds, in their order. */
int attachments_of_scheduled(app_ctx *c, int64_t scheduled_id, pl_attachment **out, int *n);
/**
 * An edit's media_ids[]: the post then carries exactly ids[0..n), in that order — its own
 * files kept, the author's uploads attached, the others removed with their files (last, once
 * everything else was written). PL_EINVAL as attachments_attach.
 */
int attachments_edit(app_ctx *c, int64_t author, int64_t status_id, const int64_t *ids, int n);
/** Checks what attachments_attach will check, without writing (status creation's checks). */
int attachments_check(app_ctx *c, int64_t author, const int64_t *ids, int n);

/** Deletes every file of a post being deleted, in the caller's transaction (the writer's:
 *  posts_delete). */
int attachments_delete_of_status(app_ctx *c, int64_t status_id);
/**
 * Removes uploads no post took within media_unattached_seconds, with their files, a chunk at
 * a time each in its own transaction (c->own_txn: the writer's chores between batches);
 * *pruned receives how many.
 */
int attachments_prune_unattached(app_ctx *c, int *pruned);

/** Before a page of statuses is rendered (read-only requests): reads the attachments of the
 *  posts ids[0..n) and of the posts they boost at once, for attachments_of_status. */
void attachments_prefetch(app_ctx *c, const int64_t *ids, int n);
/** A post's attachments in order (none: *n = 0). For rendering: the caller has decided that
 *  the viewer may see the post. */
int attachments_of_status(app_ctx *c, int64_t status_id, pl_attachment **out, int *n);

/** Which file of an attachment an address names. */
enum attachment_file { ATTACHMENT_ORIGINAL, ATTACHMENT_SMALL };

/**
 * The address of file `which` of m for `viewer` (0: signed out), signed now, in the arena:
 * base_url/media/KEY/original?v=VIEWER&x=EXPIRY&s=SIGNATURE. The expiry is rounded to
 * media_url_seconds / 2, so one viewer's addresses stay the same for a while (apps cache them).
 */
const char *attachments_url(app_ctx *c, const pl_attachment *m, enum attachment_file which,
                            int64_t viewer);

/** A fetch of /media/KEY/FILE: who asks and with what. */
typedef struct attachments_fetch {
    const char *url_key, *file; /**< the path's two parts */
    bool has_token;             /**< a valid bearer token came: token_viewer decides */
    int64_t token_viewer;       /**< its person (0: an app-only token) */
    const char *v, *x, *s;      /**< the query's viewer, expiry (s), signature; NULL if absent */
} attachments_fetch;

/**
 * Decides a fetch: PL_OK with the attachment, the store's file id and its type to serve, or
 * PL_ENOTFOUND for anything not allowed now (a bad or expired signature, a deleted post, a
 * viewer who may not see it). Fails closed on every database error.
 */
int attachments_authorize(app_ctx *c, const attachments_fetch *f, pl_attachment *m,
                          int64_t *file_id, const char **mime);

/** The size in bytes of a stored file (one attachments_authorize gave). */
int attachments_file_size(app_ctx *c, int64_t file_id, int64_t *size);
/**
 * Appends `length` bytes of the stored file from `offset` to out, decrypting only the chunks
 * they are in (the whole answer is in memory: the transport cannot stream an answer yet).
 * PL_EINTERNAL for a damaged file; nothing unauthenticated is ever appended.
 */
int attachments_file_read(app_ctx *c, int64_t file_id, int64_t offset, int64_t length, buf *out);

#endif
