/**
 * app/exports.h — a person's own archive and an administrator's compliance export (issue 14,
 * "Export"; docs/ARCHITECTURE.md "Archives and exports"; docs/api.md "Archives and exports").
 *
 * Both are a zip (archive/zipout.h) built in the background (exports_build_step, on the
 * builder thread of every node) and kept in the encrypted file store for archive_keep_days,
 * so that a download reaching any node finds it (the database backend shares it, the folder
 * backend where the nodes share the folder). Building streams: posts are read a page at a
 * time and written out at once, files a chunk at a time; nothing holds an archive or all of
 * anyone's posts.
 *
 * A person's archive (Mastodon's "request your archive"): actor.json, outbox.json (an
 * ActivityStreams OrderedCollection of Create activities with Notes, and Announce for boosts,
 * which name what they boost by its address only), likes.json and bookmarks.json (addresses of
 * the posts, never their text), the files of their posts
 * (media_attachments/files/ID/NAME), avatar and header. Only what the person wrote.
 *
 * Rules:
 * - one request per person while one is waiting or being built, and one per
 *   archive_every_days (a failed build does not count): PL_ERATE with the reason;
 * - an archive is its owner's alone: anyone else's id is PL_ENOTFOUND, as an unknown one;
 * - compliance exports are for administrators only (PL_EFORBIDDEN), any administrator may list
 *   and download them;
 * - asking, finishing and every download are recorded in the audit log (archive.request,
 *   archive.ready, archive.download, export.create, export.ready, export.download): who, the
 *   query's shape (how many people, channels and words, the range), the counts — never text.
 */
#ifndef PL_APP_EXPORTS_H
#define PL_APP_EXPORTS_H

#include <stdio.h>

#include "app/app.h"
#include "store/exports.h"
#include "util/buf.h"

/** What a compliance export asks: posts from since_at to until_at (ms, inclusive), by any of
 *  usernames (none: by anyone), in any of channels (channel names; none: anywhere, outside
 *  channels too), holding every one of words (case-insensitive; NULL or "": any). */
typedef struct exports_query {
    int64_t since_at, until_at;
    const char *const *usernames;
    int n_usernames;
    const char *const *channels;
    int n_channels;
    const char *words;
} exports_query;

/** The rows of a person's archives shown at once, and of exports. */
enum { EXPORTS_LIST_MAX = 20 };

/** Asks for the viewer's archive: PL_OK and the new row (waiting), PL_ERATE when one is being
 *  made or was made less than archive_every_days ago (c->errmsg says which and until when). */
int exports_request_archive(app_ctx *c, int64_t viewer, pl_export *out);
/** The viewer's archives, newest first (at most EXPORTS_LIST_MAX). */
int exports_archives(app_ctx *c, int64_t viewer, pl_export **out, int *n);
/** The address a ready archive is downloaded from by its owner, signed for an hour (no token
 *  needed: an <a download> works), in the arena; "" when not ready. */
const char *exports_archive_url(app_ctx *c, const pl_export *x);

/**
 * Opens the download of archive id (a person's; kind PERSONAL) or export id (COMPLIANCE): its
 * row, if the viewer may have it and it is ready, and records the download (its own
 * transaction on a context that owns them). A person's archive: the viewer is its owner
 * (viewer from a token; or 0, and then x and s, the signed address's expiry and signature,
 * must match). An export: viewer is an administrator. PL_ENOTFOUND for anything else —
 * unknown, another's, or not ready (c->errmsg says "not ready" for the owner's own).
 */
int exports_open_download(app_ctx *c, int kind, int64_t id, int64_t viewer, const char *x,
                          const char *s, pl_export *out);
/** Reads length bytes of a built archive's file from offset, appended to out. */
int exports_file_read(app_ctx *c, int64_t file_id, int64_t offset, int64_t length, buf *out);

/** Asks for a compliance export (viewer an administrator, else PL_EFORBIDDEN): PL_EINVAL for a
 *  range that is missing, backwards or over 366 days, an unknown username or channel, more
 *  than 50 people or channels (c->errmsg says which). */
int exports_request_compliance(app_ctx *c, int64_t viewer, const exports_query *q, pl_export *out);
/** The compliance exports, newest first (administrators only). */
int exports_compliance_list(app_ctx *c, int64_t viewer, pl_export **out, int *n);
/** One compliance export's row (administrators only). */
int exports_compliance_get(app_ctx *c, int64_t viewer, int64_t id, pl_export *out);

/** What a compliance export's words and ids were, for the API: the usernames and channel
 *  names of a row's query (space-separated), in the arena. */
const char *exports_names(app_ctx *c, const char *ids);

/** Deletes every archive of a person (their files, keys first, and rows), in the caller's
 *  transaction: for off-boarding, whose wipe must take the copies of a person's posts that
 *  their archives are. A build in progress finds its row gone and is dropped. *n (may be
 *  NULL) receives how many. Compliance exports are the company's records and are kept. */
int exports_delete_of_account(app_ctx *c, int64_t account_id, int *n);

/**
 * The background's step (a context that owns its transactions): deletes the files of expired
 * archives, then builds the oldest waiting one (or one whose builder's lease ran out), if any.
 * *did is true when it did something (call again at once), false when idle. stopping(ctx)
 * (may be NULL) is asked after each page: when it says true, the build is dropped and its row
 * given back to be built again later.
 */
int exports_build_step(app_ctx *c, bool (*stopping)(void *), void *ctx, bool *did);

/**
 * The command line's export (`partyline admin export … --out FILE`): writes the compliance
 * export of q straight to out, no row and no file store involved, and records it in the audit
 * log (export.create, no actor). *posts, *direct and *files receive the counts.
 */
int exports_write_compliance_file(app_ctx *c, const exports_query *q, FILE *out, int64_t *posts,
                                  int64_t *direct, int64_t *files);

#endif
