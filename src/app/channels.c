/*
 * channels.c — channels (see channels.h): making them, joining, roles, moderation, pins,
 * and where a new post goes.
 *
 * Membership is the follow of the channel account, and nothing else: a role is kept beside it
 * and counts only while the follow lasts (app_channel_role), and every door out of a channel
 * (its leave endpoint, Mastodon's unfollow, blocking the channel, being removed) passes
 * through channels_leaving(), so the one-owner rule and the dropping of the role cannot be
 * walked around. Roles only go down: one acts on people below one's own role.
 */
#include "channels.h"

#include <ctype.h>
#include <string.h>

#include "app/accounts.h"
#include "app/audience.h"
#include "app/audit.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/notify.h"
#include "app/render.h"
#include "store/accounts.h"
#include "store/channels.h"
#include "store/graph.h"
#include "store/timeline.h"
#include "util/text.h"

#define EVERYONE "everyone"

/* The channel, or 404 (a channel is as known as any account). */
static int load(app_ctx *c, int64_t id, const pl_channel **ch)
{
    *ch = app_channel(c, id);
    return *ch ? PL_OK : app_fail(c, PL_ENOTFOUND, "Record not found");
}

static int need_role(app_ctx *c, const pl_channel *ch, int64_t actor, int role)
{
    if (app_channel_role(c, ch, actor) >= role) return PL_OK;
    return app_fail(c, PL_EFORBIDDEN,
                    role == ROLE_OWNER ? "Only the channel's owners can do this"
                                       : "Only the channel's moderators can do this");
}

static bool valid_name(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 1 || n > 30) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)u[i]) && u[i] != '_') return false;
    return true;
}

static int check_text(app_ctx *c, const char *what, const char *s, int max)
{
    if (!s) return PL_OK;
    size_t len = strlen(s);
    if (!text_is_valid_utf8(s, len))
        return app_fail(c, PL_EINVAL, "Validation failed: %s is not valid UTF-8", what);
    if ((int)text_char_count(s, len, NULL) > max)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: %s is too long (maximum is %d characters)", what, max);
    return PL_OK;
}

static int check_settings(app_ctx *c, const channels_new *n)
{
    int rc;
    if ((rc = check_text(c, "Display name", n->display_name, c->cfg->max_display_name))) return rc;
    if ((rc = check_text(c, "Note", n->note, c->cfg->max_note))) return rc;
    if (n->posting > POSTING_MODERATORS)
        return app_fail(c, PL_EINVAL, "posting must be \"members\" or \"moderators\"");
    return PL_OK;
}

/* The group account and the channel row; the creator becomes owner and member. */
static int make(app_ctx *c, int64_t creator, const channels_new *n, bool everyone, int64_t *id)
{
    const char *note = n->note ? n->note : "";
    render_out r;
    int rc = render_text(c, note, &r);
    if (rc) return rc;
    pl_account acc = {
        .id = app_new_id(c),
        .username = n->name,
        .display_name = n->display_name ? n->display_name : n->name,
        .note = note,
        .note_html = r.html,
        .is_locked = n->is_private == 1,
        .is_group = true,
        .is_discoverable = true,
        .is_approved = true,
        .created_at = c->now,
    };
    pl_channel ch = {
        .id = acc.id,
        .is_private = n->is_private == 1,
        .is_everyone = everyone,
        .posting = n->posting > 0 ? n->posting : POSTING_MEMBERS,
        .created_by = creator,
        .created_at = c->now,
    };
    rc = store_account_insert(c->db, &acc);
    if (rc == PL_ECONFLICT)
        return app_fail_field(c, PL_EINVAL, "name", "ERR_TAKEN",
                              "Validation failed: Name has already been taken");
    if (!rc) rc = store_channel_insert(c->db, &ch);
    if (!rc && creator) rc = store_channel_role_set(c->db, ch.id, creator, ROLE_OWNER);
    if (!rc && creator) {
        /* the owner is a member from the start (a private channel has no one to ask) */
        rc = store_follow_insert(c->db, app_new_id(c), creator, ch.id, true, false, c->now);
        if (!rc) rc = store_account_add_counts(c->db, creator, 0, 1, 0);
        if (!rc) rc = store_account_add_counts(c->db, ch.id, 1, 0, 0);
    }
    if (!rc) *id = ch.id;
    return rc;
}

int channels_create(app_ctx *c, int64_t creator, const channels_new *n, int64_t *id)
{
    if (!valid_name(n->name))
        return app_fail_field(c, PL_EINVAL, "name", "ERR_INVALID",
                              "Validation failed: Name must be 1 to 30 letters, digits or "
                              "underscores");
    int rc = check_settings(c, n);
    if (rc) return rc;
    int64_t made;
    if ((rc = store_channels_created_by(c->db, creator, &made))) return rc;
    if (made >= c->cfg->max_channels)
        return app_fail(c, PL_EINVAL, "You have created the most channels allowed (%d)",
                        c->cfg->max_channels);
    pl_account taken;
    if (store_account_by_username(c->db, n->name, c->a, &taken) == PL_OK)
        return app_fail_field(c, PL_EINVAL, "name", "ERR_TAKEN",
                              "Validation failed: Name has already been taken");
    if ((rc = app_txn_begin(c))) return rc;
    rc = make(c, creator, n, false, id);
    if (!rc)
        rc = audit_record(
            c,
            &(audit_entry){.action = "channel.create",
                           .actor_id = creator,
                           .target_kind = "channel",
                           .target_id = *id,
                           .detail = {AUDIT_STR("name", n->name),
                                      AUDIT_STR("private", n->is_private > 0 ? "true" : "false")}});
    return app_txn_end(c, rc);
}

int channels_ensure_everyone(app_ctx *c)
{
    pl_channel ch;
    int rc = store_channel_everyone(c->db, &ch);
    if (rc != PL_ENOTFOUND) return rc;
    pl_account taken;
    if (store_account_by_username(c->db, EVERYONE, c->a, &taken) == PL_OK)
        return app_fail(c, PL_ECONFLICT, "the name \"%s\" is taken by an account", EVERYONE);
    channels_new n = {.name = EVERYONE,
                      .display_name = "Everyone",
                      .note = "Everyone in the company is in this channel.",
                      .is_private = 0,
                      .posting = POSTING_MEMBERS};
    int64_t id;
    if ((rc = app_txn_begin(c))) return rc;
    rc = app_txn_end(c, make(c, 0, &n, true, &id));
    /* another node starting at the same moment may have made it first */
    if (rc && store_channel_everyone(c->db, &ch) == PL_OK) return PL_OK;
    return rc;
}

int channels_update(app_ctx *c, int64_t actor, int64_t id, const channels_new *n)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    if (n->is_private >= 0 && n->is_private != ch->is_private) {
        if ((rc = need_role(c, ch, actor, ROLE_OWNER))) return rc;
        if (ch->is_everyone)
            return app_fail(c, PL_EINVAL, "The everyone channel cannot be private");
    }
    if ((rc = check_settings(c, n))) return rc;
    pl_account acc;
    if ((rc = store_account_get(c->db, id, c->a, &acc))) return rc;
    pl_channel next = *ch;
    if (n->is_private >= 0) next.is_private = n->is_private == 1;
    if (n->posting >= 0) next.posting = n->posting;
    if (n->display_name) acc.display_name = n->display_name;
    if (n->note) {
        render_out r;
        if ((rc = render_text(c, n->note, &r))) return rc;
        acc.note = n->note;
        acc.note_html = r.html;
    }
    bool opening = ch->is_private && !next.is_private;
    acc.is_locked = next.is_private;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_update_profile(c->db, &acc);
    if (!rc) rc = store_channel_update(c->db, &next);
    /* a channel made public lets in everyone who asked */
    if (!rc && opening) rc = graph_authorize_all(c, id);
    if (!rc) {
        /* which settings were sent, not what they say */
        const char *names[] = {n->display_name ? "display_name" : NULL,
                               n->note ? "note" : NULL,
                               n->is_private >= 0 ? "private" : NULL,
                               n->posting >= 0 ? "posting" : NULL,
                               n->avatar ? "avatar" : NULL,
                               n->header ? "header" : NULL};
        const char *fields = audit_names(c, names, sizeof names / sizeof names[0]);
        rc = audit_record(
            c,
            &(audit_entry){.action = "channel.update",
                           .actor_id = actor,
                           .target_kind = "channel",
                           .target_id = id,
                           .detail = {AUDIT_STR("fields", fields),
                                      AUDIT_STR("private", next.is_private ? "true" : "false")}});
    }
    /* its pictures are its group account's (app/avatars.h) */
    avatars_swap sw = {0};
    if (!rc) rc = avatars_swap_in(c, id, n->avatar, n->header, &sw);
    /* the answer is read after this: from the row as it is now, not this request's copy */
    if (!rc) rc = app_channel_reload(c, id);
    if (rc) avatars_swap_undo(c, &sw);
    if ((rc = app_txn_end(c, rc))) return rc;
    avatars_swap_done(c, &sw);
    return PL_OK;
}

int channels_remove_picture(app_ctx *c, int64_t actor, int64_t id, enum avatar_kind kind)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    return accounts_remove_picture(c, id, kind);
}

int channels_view_of(app_ctx *c, int64_t viewer, int64_t id, channels_view *out)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc) return rc;
    *out = (channels_view){.ch = *ch};
    out->account = app_account(c, id);
    if (!out->account) return app_fail(c, PL_ENOTFOUND, "Record not found");
    out->role = app_channel_role(c, ch, viewer);
    out->can_moderate = out->role >= ROLE_MODERATOR;
    /* joined, not "may read": an administrator's powers listed as membership would hide the
     * channels they never joined from both their own list and the one to browse */
    out->member = viewer && (ch->is_everyone || app_follows(c, viewer, id));
    out->requested = !out->member && viewer && store_follow_requested(c->db, viewer, id);
    if (ch->is_everyone) {
        int64_t statuses;
        if ((rc = store_stats(c->db, &out->members, &statuses))) return rc;
    } else {
        out->members = out->account->followers_count;
    }
    if (out->role >= ROLE_MODERATOR && ch->is_private &&
        (rc = store_follow_requests_count(c->db, id, &out->requests_count)))
        return rc;
    return PL_OK;
}

int channels_list(app_ctx *c, int64_t viewer, bool mine, const pl_page *p, pl_idlist *out)
{
    return store_channels_list(c->db, mine ? viewer : 0, p, c->a, out);
}

int channels_join(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc) return rc;
    if (ch->is_everyone) return PL_OK; /* everyone is in it already */
    /* one who moderates it already (an administrator) would only approve their own request */
    if (ch->is_private && app_channel_role(c, ch, viewer) >= ROLE_MODERATOR)
        return graph_follow_approved(c, viewer, id);
    return graph_follow(c, viewer, id, -1, -1);
}

int channels_leaving(app_ctx *c, int64_t account, int64_t id)
{
    const pl_channel *ch = app_channel(c, id);
    if (!ch || ch->is_everyone) return PL_OK; /* nobody leaves the everyone channel */
    int role;
    int rc = store_channel_role(c->db, id, account, &role);
    if (rc || role == ROLE_NONE) return rc;
    if (role == ROLE_OWNER) {
        int64_t owners;
        if ((rc = store_channel_role_count(c->db, id, ROLE_OWNER, &owners))) return rc;
        if (owners <= 1)
            return app_fail(c, PL_EINVAL,
                            "You are the channel's only owner: make someone else owner first");
    }
    return store_channel_role_set(c->db, id, account, ROLE_NONE);
}

int channels_leave(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc) return rc;
    if (ch->is_everyone) return app_fail(c, PL_EINVAL, "Everyone is in the everyone channel");
    return graph_unfollow(c, viewer, id); /* which goes through channels_leaving() */
}

int channels_request_made(app_ctx *c, int64_t requester, int64_t id)
{
    if (!app_channel(c, id)) return PL_OK;
    int64_t *mods;
    int n;
    int rc = store_channel_moderators(c->db, id, c->a, &mods, &n);
    for (int i = 0; i < n && !rc; i++)
        rc = notify_channel(c, mods[i], requester, NOTIFY_CHANNEL_REQUEST, id);
    return rc;
}

int channels_request_approved(app_ctx *c, int64_t requester, int64_t id)
{
    if (!app_channel(c, id)) return PL_OK;
    return notify_channel(c, requester, id, NOTIFY_CHANNEL_APPROVED, id);
}

int channels_requests(app_ctx *c, int64_t actor, int64_t id, const pl_page *p, pl_idlist *out)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    return graph_follow_requests(c, id, p, out);
}

int channels_decide(app_ctx *c, int64_t actor, int64_t id, int64_t account, bool accept)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    return accept ? graph_authorize(c, id, account) : graph_reject(c, id, account);
}

int channels_members(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *out,
                     int **roles)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc) return rc;
    if (ch->is_private && !app_channel_member(c, ch, viewer))
        return app_fail(c, PL_EFORBIDDEN, "Only members see who is in a private channel");
    rc = ch->is_everyone ? store_people(c->db, p, c->a, out)
                         : store_followers(c->db, id, p, c->a, out);
    if (rc || !roles) return rc;
    *roles = arena_alloc(c->a, sizeof **roles * (size_t)(out->n + 1));
    if ((rc = store_channel_roles(c->db, id, out->ids, out->n, *roles))) return rc;
    /* administrators are owners of every channel (as app_channel_role says) */
    for (int i = 0; i < out->n; i++) {
        const pl_account *a = app_account(c, out->ids[i]);
        if (a && a->is_admin) (*roles)[i] = ROLE_OWNER;
    }
    return PL_OK;
}

int channels_set_role(app_ctx *c, int64_t actor, int64_t id, int64_t account, int role)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_OWNER))) return rc;
    if (role < ROLE_NONE || role > ROLE_OWNER)
        return app_fail(c, PL_EINVAL, "role must be \"member\", \"moderator\" or \"owner\"");
    if (!app_account(c, account)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (!ch->is_everyone && !store_follows(c->db, account, id))
        return app_fail(c, PL_EINVAL, "Only members can be given a role");
    int was;
    if ((rc = store_channel_role(c->db, id, account, &was))) return rc;
    if (was == ROLE_OWNER && role != ROLE_OWNER) {
        int64_t owners;
        if ((rc = store_channel_role_count(c->db, id, ROLE_OWNER, &owners))) return rc;
        if (owners <= 1) return app_fail(c, PL_EINVAL, "A channel needs at least one owner");
    }
    rc = store_channel_role_set(c->db, id, account, role);
    if (rc) return rc;
    static const char *const names[] = {"member", "moderator", "owner"};
    return audit_record(c, &(audit_entry){.action = "channel.role",
                                          .actor_id = actor,
                                          .target_kind = "channel",
                                          .target_id = id,
                                          .detail = {AUDIT_ID("account_id", account),
                                                     AUDIT_STR("role", names[role]),
                                                     AUDIT_STR("was", names[was])}});
}

int channels_remove_member(app_ctx *c, int64_t actor, int64_t id, int64_t account)
{
    const pl_channel *ch;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    if (ch->is_everyone) return app_fail(c, PL_EINVAL, "Everyone is in the everyone channel");
    if (account == actor) return app_fail(c, PL_EINVAL, "Leave the channel instead");
    if (!app_account(c, account)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    /* the role as it counts (an administrator is an owner here), not the stored row: a
     * moderator removes members only, so removing never lifts anyone above another */
    if (app_channel_role(c, ch, account) >= app_channel_role(c, ch, actor))
        return app_fail(c, PL_EFORBIDDEN, "You can only remove members below your own role");
    /* the role goes first, so that leaving's one-owner rule (for one's own leaving) passes */
    if ((rc = store_channel_role_set(c->db, id, account, ROLE_NONE))) return rc;
    if ((rc = graph_unfollow(c, account, id))) return rc;
    return audit_record(c, &(audit_entry){.action = "channel.remove_member",
                                          .actor_id = actor,
                                          .target_kind = "channel",
                                          .target_id = id,
                                          .detail = {AUDIT_ID("account_id", account)}});
}

/* A post of this channel (not removed), or 404. */
static int channel_post(app_ctx *c, int64_t id, int64_t status_id, const pl_status **s)
{
    *s = app_status(c, status_id);
    if (!*s || (*s)->channel_id != id || (*s)->channel_removed)
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return PL_OK;
}

int channels_remove_status(app_ctx *c, int64_t actor, int64_t id, int64_t status_id)
{
    const pl_channel *ch;
    const pl_status *s;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    if ((rc = channel_post(c, id, status_id, &s))) return rc;
    if ((rc = store_status_channel_remove(c->db, status_id))) return rc;
    /* out of the feeds it was written into (its author's followers in a public channel) */
    if ((rc = store_timeline_remove_status(c->db, status_id))) return rc;
    return audit_record(c, &(audit_entry){.action = "channel.remove_post",
                                          .actor_id = actor,
                                          .target_kind = "status",
                                          .target_id = status_id,
                                          .audience_name = "channel",
                                          .detail = {AUDIT_ID("channel_id", id),
                                                     AUDIT_ID("author_id", s->account_id)}});
}

static int audit_pin(app_ctx *c, const char *action, int64_t actor, int64_t id, int64_t status_id)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .actor_id = actor,
                                          .target_kind = "status",
                                          .target_id = status_id,
                                          .audience_name = "channel",
                                          .detail = {AUDIT_ID("channel_id", id)}});
}

int channels_pin(app_ctx *c, int64_t actor, int64_t id, int64_t status_id, bool pin)
{
    const pl_channel *ch;
    const pl_status *s;
    int rc = load(c, id, &ch);
    if (rc || (rc = need_role(c, ch, actor, ROLE_MODERATOR))) return rc;
    if (!pin) {
        rc = store_channel_pin_remove(c->db, id, status_id);
        return rc ? rc : audit_pin(c, "channel.unpin", actor, id, status_id);
    }
    if ((rc = channel_post(c, id, status_id, &s))) return rc;
    int64_t *ids;
    int n;
    if ((rc = store_channel_pins(c->db, id, c->a, &ids, &n))) return rc;
    for (int i = 0; i < n; i++)
        if (ids[i] == status_id) return PL_OK;
    if (n >= c->cfg->max_channel_pins)
        return app_fail(c, PL_EINVAL, "A channel can pin at most %d posts",
                        c->cfg->max_channel_pins);
    rc = store_channel_pin_add(c->db, id, status_id, actor, c->now);
    return rc ? rc : audit_pin(c, "channel.pin", actor, id, status_id);
}

bool channels_readable(app_ctx *c, int64_t viewer, const pl_channel *ch)
{
    return !ch->is_private || app_channel_member(c, ch, viewer);
}

/* The channel, if the viewer may read it; else 404, as a post they may not see. */
static int load_readable(app_ctx *c, int64_t viewer, int64_t id, const pl_channel **ch)
{
    int rc = load(c, id, ch);
    if (rc || channels_readable(c, viewer, *ch)) return rc;
    return app_fail(c, PL_ENOTFOUND, "Record not found");
}

int channels_pins(app_ctx *c, int64_t viewer, int64_t id, int64_t **ids, int *n)
{
    const pl_channel *ch;
    int rc = load_readable(c, viewer, id, &ch);
    if (rc || (rc = store_channel_pins(c->db, id, c->a, ids, n))) return rc;
    int kept = 0;
    for (int i = 0; i < *n; i++) {
        const pl_status *s = app_status(c, (*ids)[i]);
        if (s && audience_can_see(c, viewer, s)) (*ids)[kept++] = (*ids)[i];
    }
    *n = kept;
    return PL_OK;
}

int channels_timeline(app_ctx *c, int64_t viewer, int64_t id, const pl_page *p, pl_idlist *out)
{
    const pl_channel *ch;
    int rc = load_readable(c, viewer, id, &ch);
    if (rc) return rc;
    return feeds_channel(c, viewer, id, p, out);
}

int channels_place_post(app_ctx *c, int64_t author, int64_t requested, const pl_status *parent,
                        const int64_t *mentions, int n_mentions, int *visibility,
                        int64_t *channel_id)
{
    *channel_id = 0;
    const pl_channel *ch = NULL;
    bool reply = false;
    if (parent && parent->channel_id && !parent->channel_removed) {
        /* a reply stays in its thread's channel (and its audience) */
        if (requested && requested != parent->channel_id)
            return app_fail(c, PL_EINVAL, "A reply stays in the channel of the post it answers");
        ch = app_channel(c, parent->channel_id);
        reply = true;
    } else if (requested) {
        if (!(ch = app_channel(c, requested)))
            return app_fail(c, PL_EINVAL, "channel_id is not a channel");
    } else {
        for (int i = 0; i < n_mentions && !ch; i++) {
            const pl_channel *m = app_channel(c, mentions[i]);
            if (m && app_channel_member(c, m, author) &&
                (m->posting == POSTING_MEMBERS || app_channel_role(c, m, author) >= ROLE_MODERATOR))
                ch = m;
        }
    }
    if (!ch) return PL_OK;
    if (!app_channel_member(c, ch, author))
        return app_fail(c, PL_EFORBIDDEN, "Join the channel to post in it");
    if (!reply && ch->posting == POSTING_MODERATORS &&
        app_channel_role(c, ch, author) < ROLE_MODERATOR)
        return app_fail(c, PL_EFORBIDDEN, "Only the channel's moderators post in this channel");
    if (*visibility == VIS_DIRECT || *visibility == VIS_LIST)
        return app_fail(c, PL_EINVAL, "A post in a channel cannot be direct or for a list");
    if (ch->is_private || *visibility == VIS_PRIVATE) *visibility = VIS_COMPANY;
    *channel_id = ch->id;
    return PL_OK;
}
