/*
 * profile.c — the rules of the curated profile (see profile.h).
 *
 * Pinning is checked in Mastodon's order (visible at all, then boost, owner, direct, then the
 * limit) and answered with Mastodon's messages. The limit itself is counted by the store under
 * a lock on the account (store_pin_insert), so concurrent pins by one person cannot pass it
 * together. A pin changes no cached record: the "pinned" flag is the author's alone and is
 * never part of the cached status JSON (posts_view fills it per request).
 */
#include "profile.h"

#include "app/posts.h"
#include "store/channels.h"
#include "store/pins.h"

bool profile_pinnable(const pl_status *s)
{
    return !s->reblog_of_id && s->visibility != VIS_DIRECT;
}

int profile_pin(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = posts_get(c, viewer, status_id, &s);
    if (rc) return rc;
    if (s.reblog_of_id)
        return app_fail(c, PL_EINVAL, "Validation failed: A boost cannot be pinned");
    if (s.account_id != viewer)
        return app_fail(c, PL_EINVAL, "Validation failed: Someone else's post cannot be pinned");
    if (!profile_pinnable(&s))
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Posts that are only visible to mentioned users "
                        "cannot be pinned");
    rc = store_pin_insert(c->db, app_new_id(c), viewer, status_id, c->cfg->max_pins, c->now);
    if (rc == PL_ELIMIT)
        return app_fail(c, PL_ELIMIT,
                        "Validation failed: You have already pinned the maximum number of posts "
                        "(%d)",
                        c->cfg->max_pins);
    return rc;
}

int profile_unpin(app_ctx *c, int64_t viewer, int64_t status_id)
{
    pl_status s;
    int rc = posts_get(c, viewer, status_id, &s);
    if (rc) return rc;
    return store_pin_delete(c->db, viewer, status_id);
}

bool profile_shows_collections(app_ctx *c, int64_t viewer, const pl_account *account)
{
    if (viewer && viewer == account->id) return true;
    if (account->hide_collections) return false;
    return !(viewer && app_blocks(c, account->id, viewer));
}

int64_t profile_following_count(app_ctx *c, const pl_account *account)
{
    int64_t in_private = 0;
    if (store_private_channels_followed(c->db, account->id, &in_private)) return 0;
    int64_t n = account->following_count - in_private;
    return n > 0 ? n : 0;
}
