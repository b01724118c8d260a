/**
 * avatars.h — the pictures an account shows before anyone uploads one: a per-person avatar
 * (the person's initials on a colour of their own) and a plain header, with the addresses
 * apps load them from, and the process's cache of the drawn PNGs.
 *
 * - The addresses are /avatars/:id/:version.png and /headers/:id/:version.png. The version
 *   changes whenever the picture does (the initials follow the display name), so apps may
 *   cache a picture for ever and still see a new one at once.
 * - An uploaded picture (update_credentials' avatar and header, a channel's pictures) takes
 *   the default's place: PNG, GIF, JPEG or WebP up to avatar_max_bytes, filled and cut to
 *   400×400 or 1500×500, stripped of metadata (pictures/upload.h: upload_cover), kept in the
 *   encrypted media store (media/media.h, either backend). Its address is
 *   /avatars/:id/u<file>.<png|jpg|webp>: every upload is a new file, so a new address.
 *   Replacing or removing it deletes the old file once the change committed; removing it
 *   brings the drawn default back.
 * - The colour comes from the account's id: stable across renames, different between
 *   neighbours, and always dark enough for white initials to read (WCAG AA, 4.5:1).
 * - Who may load them: anyone who has the address, as Mastodon's media are (an <img> sends
 *   no token). A missing or disabled account's pictures are not found.
 * - Drawing takes milliseconds (pictures.h), so an event loop never draws: it serves from
 *   the cache, and a picture the cache lacks is refused with PL_ESLOW, to be drawn on a
 *   worker, which caches it for the loops.
 */
#ifndef PL_APP_AVATARS_H
#define PL_APP_AVATARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "util/buf.h"

enum {
    AVATAR_VERSION_MAX = 24, /**< room for a version, its NUL included */
    AVATAR_INITIALS_MAX = 16 /**< two UTF-8 characters and the NUL */
};

/** Which picture of an account. */
enum avatar_kind { AVATAR_PICTURE, AVATAR_HEADER };

/** The initials an avatar shows (UTF-8, upper case): the first letters of the first and the
 *  last word of the display name, or the first of the username when the name has none. */
void avatars_initials(const pl_account *a, char out[AVATAR_INITIALS_MAX]);

/** The avatar's background: a hue from the id, dark enough that white reads on it at a
 *  contrast ratio of at least 4.5:1. */
void avatars_colour(int64_t id, uint8_t rgb[3]);

/** WCAG's contrast ratio of white on rgb (1 to 21). */
double avatars_white_contrast(const uint8_t rgb[3]);

/** The version in the address of the account's picture of that kind ("d" and hex digits for
 *  a drawn default). */
void avatars_version(const pl_account *a, enum avatar_kind kind, char out[AVATAR_VERSION_MAX]);

/** The picture's address, base_url included, in the request's arena. */
const char *avatars_url(app_ctx *c, const pl_account *a, enum avatar_kind kind);

/** A picture to send: its bytes (in the request's arena), its type ("image/png", …) and a
 *  strong ETag ("\"…\""). */
typedef struct avatar_png {
    const void *data;
    size_t len;
    const char *mime;
    char etag[64];
} avatar_png;

/**
 * The picture at /avatars|headers/:id/:version.:ext. PL_OK and *out; PL_ENOTFOUND when the
 * account does not exist, is disabled, or the version or extension is not its current one
 * (an old address); PL_ESLOW on an event loop (c->is_loop) when a default must be drawn
 * first; PL_EINTERNAL when drawing or reading failed. An uploaded picture is read on the
 * loop (it is small) and cached as the drawings are.
 */
int avatars_picture(app_ctx *c, enum avatar_kind kind, int64_t id, const char *version,
                    const char *ext, avatar_png *out);

/* ---- uploads ---- */

/** An uploaded picture made ready to store (outside any transaction). */
typedef struct avatars_new {
    buf file;      /**< the picture to store */
    char mime[32]; /**< its type */
} avatars_new;

/**
 * Makes the len bytes sent an avatar (400×400) or a header (1500×500). ~50 ms of CPU for a
 * phone's photo: a worker only, before the transaction. PL_OK and *out (release it with
 * avatars_new_free); PL_EINVAL with c->errmsg ("Validation failed: Avatar …", field "avatar"
 * or "header") for a file too large (Mastodon answers 422 there too), not one of the four
 * types, damaged, or of too many pixels; PL_EINTERNAL.
 */
int avatars_prepare(app_ctx *c, enum avatar_kind kind, const void *data, size_t len,
                    avatars_new *out);
void avatars_new_free(avatars_new *p);

/**
 * In the caller's transaction: stores p as account's picture of that kind (p NULL: back to
 * the default). *new_file receives the stored file (0 for none) and *old_file the one it
 * replaces (0 for none). On success the caller commits, then calls avatars_forget(old_file)
 * — or, if its transaction fails after this, avatars_undo(new_file) before rolling back (a
 * folder file is placed before the commit). On failure nothing of it is left.
 */
int avatars_replace(app_ctx *c, int64_t account, enum avatar_kind kind, const avatars_new *p,
                    int64_t *new_file, int64_t *old_file);
/** Deletes a file avatars_replace stored, inside the transaction about to roll back. */
void avatars_undo(app_ctx *c, int64_t new_file);
/** Deletes a replaced picture's file in a transaction of its own (after the commit); a
 *  failure is logged (the file is then left over, never a picture shown). */
void avatars_forget(app_ctx *c, int64_t old_file);

/** The files a change of an account's avatar and header stored and replaced. */
typedef struct avatars_swap {
    int64_t made[2], old[2]; /**< [0] the avatar's, [1] the header's; 0: none */
} avatars_swap;

/**
 * avatars_replace for each of avatar and header that is given (NULL: kept), in the caller's
 * transaction, into *sw (zero it first). Then, as avatars_replace says: if the transaction
 * is to roll back (this failed, or anything after it), avatars_swap_undo before rolling back;
 * once it committed, avatars_swap_done.
 */
int avatars_swap_in(app_ctx *c, int64_t account, const avatars_new *avatar,
                    const avatars_new *header, avatars_swap *sw);
/** Deletes the files avatars_swap_in stored (avatars_undo), inside the failing transaction. */
void avatars_swap_undo(app_ctx *c, const avatars_swap *sw);
/** Deletes the files the swap replaced (avatars_forget), after the commit. */
void avatars_swap_done(app_ctx *c, const avatars_swap *sw);

/* ---- the cache ---- */

typedef struct avatar_cache avatar_cache;

/** A cache of drawn pictures holding at most max_bytes (PNG bytes and bookkeeping); the
 *  least recently used go first. Shared by every thread (a mutex). Never NULL. */
avatar_cache *avatar_cache_new(size_t max_bytes);
void avatar_cache_free(avatar_cache *ac);
/** How many pictures, and how many bytes, it holds now. */
void avatar_cache_usage(avatar_cache *ac, int *count, size_t *bytes);

#endif
