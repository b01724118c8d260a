/**
 * handlers.h — small helpers shared by the resource files in api/mastodon.
 */
#ifndef PL_HANDLERS_H
#define PL_HANDLERS_H

#include "api/api.h"
#include "api/entities.h"

/** The viewer's id, or 0 when signed out. */
static inline int64_t viewer_id(api_call *c)
{
    return c->viewer ? c->viewer->id : 0;
}

/** Signed-out reads are allowed only with public_read on; false (and 401 sent) otherwise. */
static inline bool may_read(api_call *c)
{
    if (c->viewer || c->app->cfg->public_read) return true;
    api_error(c, 401, "This method requires an authenticated user");
    return false;
}

/** Fails the call with rc and returns true if rc is an error. */
static inline bool failed(api_call *c, int rc)
{
    if (rc == PL_OK) return false;
    api_fail_rc(c, rc);
    return true;
}

/** The id in path parameter 0, or sends 404 and returns 0. */
static inline int64_t need_path_id(api_call *c)
{
    int64_t id = path_id(c, 0);
    if (!id) api_error(c, 404, "Record not found");
    return id;
}

/** Writes a page of statuses with its Link header. */
static inline void statuses_page(api_call *c, const pl_idlist *l, const pl_page *p)
{
    jw w;
    api_json(c, &w);
    api_link(c, l, p);
    ent_statuses(c, &w, l->ids, l->n);
}

/** Writes a page of accounts with its Link header. */
static inline void accounts_page(api_call *c, const pl_idlist *l, const pl_page *p)
{
    jw w;
    api_json(c, &w);
    api_link(c, l, p);
    ent_accounts(c, &w, l->ids, l->n);
}

/** Answers `{}` (Mastodon's answer of a removal or an acknowledgement). */
static inline void empty_object(api_call *c)
{
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_obj_end(&w);
}

struct pl_list;
/** Writes an array of Mastodon List entities (mastodon/lists.c; also answers our list order). */
void lists_response(api_call *c, const struct pl_list *v, int n);

struct pl_announcement;
/** Writes an Announcement entity (mastodon/announcements.c; also the streaming `announcement`
 *  event, with no viewer: then without `read`, and `me` false). */
void ent_announcement(api_call *c, jw *w, const struct pl_announcement *an);

/** Writes the owner's ScheduledStatus entity for id (mastodon/scheduled_statuses.c; also the
 *  answer of POST /api/v1/statuses with scheduled_at), or its error. */
void scheduled_status_response(api_call *c, int64_t id);
/** Reads scheduled_at into *at (0 when absent or empty); false (and 422 sent) if it is not a
 *  time. */
bool scheduled_at_param(api_call *c, int64_t *at);

struct avatars_new;
/** Makes the multipart `avatar` and `header` files of the request ready (avatars_prepare) into
 *  pics[0] and pics[1], pointing *avatar and *header at those sent (NULL: none); false (the
 *  refusal sent) when one is refused (mastodon/avatars.c; update_credentials and a channel's
 *  PATCH). pics start as {{.file = BUF_INIT}, …} and are released with avatars_new_free
 *  either way. */
bool pictures_param(api_call *c, struct avatars_new *pics, const struct avatars_new **avatar,
                    const struct avatars_new **header);

/** Writes an Admin::Account (mastodon/admin_accounts.c), with the reason it gave for joining
 *  (NULL: none); and by id, null when 0 or gone (also the accounts of an Admin::Report). */
void ent_admin_account(api_call *c, jw *w, const pl_account *a, const char *reason);
void ent_admin_account_id(api_call *c, jw *w, int64_t id);

struct tags_view;
/** Writes a Tag entity, history included (mastodon/tags.c; also featured tag suggestions). */
void ent_tag(api_call *c, jw *w, const struct tags_view *t);

#endif
