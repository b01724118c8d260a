/**
 * store/attachments.h — media attachments (table media_attachments, migration 044): what an
 * upload became (its type, sizes, the files of the encrypted store that hold it), whose it is,
 * and the post it is attached to.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena; writes run inside the caller's transaction; nothing
 * checks permissions or audiences (app/attachments.c does). See docs/ARCHITECTURE.md, "The
 * store" and "Files".
 */
#ifndef PL_STORE_ATTACHMENTS_H
#define PL_STORE_ATTACHMENTS_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** One attachment. Strings live in the arena it was read into. */
typedef struct pl_attachment {
    int64_t id, account_id;
    int64_t status_id;           /**< 0 while unattached */
    int64_t scheduled_status_id; /**< the scheduled post holding it (048), or 0 */
    int position;                /**< its place among the post's attachments */
    int kind;                    /**< enum filetype_kind */
    const char *mime;            /**< the type the file is served with */
    bool is_download;            /**< served as Content-Disposition: attachment */
    int64_t file_id, preview_id; /**< files of the encrypted store; preview_id 0: none */
    const char *preview_mime;    /**< "" when no preview */
    const char *name;            /**< the file name the client gave, "" if none */
    int64_t size;                /**< bytes of the stored file */
    int width, height, small_width, small_height; /**< pixels; 0 for what is no picture */
    const char *blurhash;                         /**< "" when none */
    const char *description;                      /**< alt text, "" when none */
    const char *focus;                            /**< "x,y", or NULL */
    const char *url_key;                          /**< the unguessable part of its address */
    int64_t created_at;                           /**< ms */
} pl_attachment;

/** Inserts a (new, unattached) attachment. */
int store_attachment_insert(db *d, const pl_attachment *m);
/** The attachment id; PL_ENOTFOUND if there is none. */
int store_attachment_get(db *d, int64_t id, arena *a, pl_attachment *out);
/** The attachment whose address holds url_key; PL_ENOTFOUND if none. */
int store_attachment_by_key(db *d, const char *url_key, arena *a, pl_attachment *out);
/** A post's attachments in their order (at most `max`). */
int store_attachments_of_status(db *d, int64_t status_id, int max, arena *a, pl_attachment **out,
                                int *n);
/** The attachments of the statuses ids[0..n) (any n), by status then position: a page's at
 *  once (a few queries instead of one per post). */
int store_attachments_of_statuses(db *d, const int64_t *ids, int n, arena *a, pl_attachment **out,
                                  int *count);
/** Sets the alt text and focus (NULL leaves each as it is). PL_ENOTFOUND if no such row. */
int store_attachment_describe(db *d, int64_t id, const char *description, const char *focus);
/** Attaches an unattached attachment of account_id to status_id at position: PL_ENOTFOUND if
 *  it is not account_id's or is attached already (nothing changed then). */
int store_attachment_attach(db *d, int64_t id, int64_t account_id, int64_t status_id, int position);
/** Holds an unattached, unheld attachment of account_id for the scheduled post scheduled_id at
 *  position: PL_ENOTFOUND if it is not one (any more). */
int store_attachment_hold(db *d, int64_t id, int64_t account_id, int64_t scheduled_id,
                          int position);
/** Lets go of what the scheduled post scheduled_id held: its uploads are unattached again. */
int store_attachments_release(db *d, int64_t scheduled_id);
/** The uploads the scheduled post scheduled_id holds, in their order (at most `max`). */
int store_attachments_of_scheduled(db *d, int64_t scheduled_id, int max, arena *a,
                                   pl_attachment **out, int *n);
/** Moves an attachment of status_id to another position. */
int store_attachment_position(db *d, int64_t id, int64_t status_id, int position);
/** Deletes the row (the caller deletes its files first); status_id: the post it was of (0:
 *  none), whose record then says again whether it has files. */
int store_attachment_delete(db *d, int64_t id, int64_t status_id);
/** Deletes the row if it is still unattached: PL_ENOTFOUND if a post took it meanwhile. */
int store_attachment_delete_unattached(db *d, int64_t id);
/** Bytes stored by account_id's attachments (their files, previews not counted). */
int store_attachments_bytes(db *d, int64_t account_id, int64_t *bytes);
/** Ids of up to `max` attachments still unattached, held by no scheduled post, and created
 *  before `before` (ms). */
int store_attachments_unattached_before(db *d, int64_t before, int max, arena *a, int64_t **ids,
                                        int *n);

#endif
