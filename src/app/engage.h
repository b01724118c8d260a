/**
 * engage.h — favourites (up-votes), reblogs (shares) and bookmarks.
 * Each acts on a status the viewer may see (else PL_ENOTFOUND) and is idempotent.
 */
#ifndef PL_ENGAGE_H
#define PL_ENGAGE_H

#include "app/app.h"

int engage_favourite(app_ctx *c, int64_t viewer, int64_t status_id);
int engage_unfavourite(app_ctx *c, int64_t viewer, int64_t status_id);
/** Boosts a public, unlisted or company post outside a private channel (PL_EFORBIDDEN
 *  otherwise). visibility: the boost's own (public, unlisted, company or private; anything else
 *  means public), narrowed to company for a company post. *reblog_id receives the reblog's id
 *  (the existing one if already reblogged). */
int engage_reblog(app_ctx *c, int64_t viewer, int64_t status_id, int visibility,
                  int64_t *reblog_id);
int engage_unreblog(app_ctx *c, int64_t viewer, int64_t status_id);
int engage_bookmark(app_ctx *c, int64_t viewer, int64_t status_id);
int engage_unbookmark(app_ctx *c, int64_t viewer, int64_t status_id);

/** Who favourited / boosted a status the caller may see (keys: favourite / boost ids). */
int engage_favourited_by(app_ctx *c, int64_t status_id, const pl_page *p, pl_idlist *out);
int engage_reblogged_by(app_ctx *c, int64_t status_id, const pl_page *p, pl_idlist *out);

#endif
