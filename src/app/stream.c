/*
 * stream.c — which live events each streaming subscriber hears.
 *
 * A new or edited status is asked of the feed rules (feeds.c: feeds_*_accepts), so a stream
 * shows what the matching timeline would show, and audience_can_see() has the last word. A
 * deleted status can no longer be asked about: its events carry what the row said (author,
 * visibility, channel, list, boosted post, and each mentioned account), and audience_can_see
 * decides on a record made of them. A delete tells only an id.
 *
 * A channel stream (ours, "partyline:channel") is the channel timeline's rule asked of one
 * post (feeds_channel_accepts). Nothing is kept per member: a post costs one check per
 * subscriber, however big the channel. Its deletes come as their own event (EV_DELETE_CHANNEL,
 * which names the channel), since the row that said where the post was is gone (see
 * "Deletes" below: every delete is decided by audience_can_see on a record of the events).
 *
 * Never decide here from anything but the event and the database: the loops run this once
 * per subscriber per event, on their own read connection, inside one read transaction.
 */
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/feeds.h"
#include "app/lists.h"
#include "store/lists.h"
#include "store/posts.h"
#include "util/ids.h"
#include "util/text.h"

static const struct {
    const char *name;
    int kind;
} names[] = {
    {"user", STREAM_USER},
    {"user:notification", STREAM_USER_NOTIFICATION},
    {"public", STREAM_PUBLIC},
    {"public:local", STREAM_PUBLIC_LOCAL},
    {"public:remote", STREAM_PUBLIC_REMOTE},
    {"hashtag", STREAM_HASHTAG},
    {"hashtag:local", STREAM_HASHTAG_LOCAL},
    {"list", STREAM_LIST},
    {"direct", STREAM_DIRECT},
    {"partyline:channel", STREAM_CHANNEL},
};

const char *stream_name(int kind)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].kind == kind) return names[i].name;
    return "";
}

const char *stream_scope(int kind)
{
    switch (kind) {
    case STREAM_USER_NOTIFICATION: return "read:notifications";
    case STREAM_LIST: return "read:lists";
    default: return "read:statuses";
    }
}

static bool is_public(int kind)
{
    return kind == STREAM_PUBLIC || kind == STREAM_PUBLIC_LOCAL || kind == STREAM_PUBLIC_REMOTE ||
           kind == STREAM_HASHTAG || kind == STREAM_HASHTAG_LOCAL;
}

/* The channel timeline's rule (channels_timeline): any signed-in member of the company reads
 * an open channel; a private one is its members' (administrators are members of every
 * channel: app_channel_member). */
static int parse_channel(app_ctx *c, int64_t viewer, const char *channel, stream_sub *out)
{
    if (!channel || !id_parse(channel, &out->channel_id))
        return app_fail(c, PL_EINVAL, "No channel given for the channel stream");
    const pl_channel *ch = app_channel(c, out->channel_id);
    if (!ch) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (ch->is_private && !app_channel_member(c, ch, viewer))
        return app_fail(c, PL_ENOTFOUND,
                        "This channel is private: only its members can follow it live");
    return PL_OK;
}

bool stream_sub_same(const stream_sub *a, const stream_sub *b)
{
    return a->kind == b->kind && !strcmp(a->tag, b->tag) && a->list_id == b->list_id &&
           a->channel_id == b->channel_id;
}

int stream_sub_parse(app_ctx *c, int64_t viewer, const char *name, const stream_params *params,
                     stream_sub *out)
{
    static const stream_params none;
    if (!params) params = &none;
    const char *tag = params->tag, *list = params->list;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i].name, name)) out->kind = names[i].kind;
    if (!out->kind) return app_fail(c, PL_EINVAL, "Unknown stream type");
    if (is_public(out->kind) ? !viewer && !c->cfg->public_read : !viewer)
        return app_fail(c, PL_EAUTH, "Missing access token");
    if (out->kind == STREAM_HASHTAG || out->kind == STREAM_HASHTAG_LOCAL) {
        if (tag && *tag == '#') tag++;
        if (!tag || !*tag || text_tag_normalize(tag, strlen(tag), out->tag, sizeof out->tag) < 0)
            return app_fail(c, PL_EINVAL, "No valid tag given for the hashtag stream");
    }
    if (out->kind == STREAM_LIST) {
        if (!list || !id_parse(list, &out->list_id))
            return app_fail(c, PL_EINVAL, "No list given for the list stream");
        if (lists_get(c, viewer, out->list_id, &out->list) != PL_OK)
            return app_fail(c, PL_ENOTFOUND, "Record not found");
        out->list.title = NULL; /* the arena that holds it goes away with the request */
    }
    if (out->kind == STREAM_CHANNEL) return parse_channel(c, viewer, params->channel, out);
    return PL_OK;
}

void stream_item_load(app_ctx *c, const pl_event *ev, stream_item *it)
{
    memset(it, 0, sizeof *it);
    it->ev = ev;
    if (ev->kind == EV_STATUS || ev->kind == EV_STATUS_UPDATE) it->status = app_status(c, ev->id);
}

static bool tagged(app_ctx *c, int64_t viewer, const stream_sub *sub, stream_item *it)
{
    if (!it->tags_loaded) {
        if (it->status->tags_count &&
            store_status_tags(c->db, it->status->id, c->a, &it->tags, &it->n_tags) != PL_OK)
            it->n_tags = 0;
        it->tags_loaded = true;
    }
    return feeds_tag_accepts(c, viewer, sub->tag, (const char *const *)it->tags, it->n_tags,
                             it->status);
}

static bool wants_status(app_ctx *c, int64_t viewer, const stream_sub *sub, stream_item *it)
{
    const pl_status *s = it->status;
    if (!s) return false;
    switch (sub->kind) {
    case STREAM_USER: return feeds_home_accepts(c, viewer, s);
    case STREAM_PUBLIC:
    case STREAM_PUBLIC_LOCAL: return feeds_public_accepts(c, viewer, s);
    case STREAM_HASHTAG:
    case STREAM_HASHTAG_LOCAL: return tagged(c, viewer, sub, it);
    case STREAM_LIST: return feeds_list_accepts(c, viewer, &sub->list, s);
    case STREAM_DIRECT:
        return s->visibility == VIS_DIRECT && !s->reblog_of_id && audience_can_see(c, viewer, s);
    case STREAM_CHANNEL: return feeds_channel_accepts(c, viewer, sub->channel_id, s);
    default: return false;
    }
}

/*
 * Deletes. The row is gone by the time a loop reads the event, so each event of a deletion
 * carries a part of what the row said, and a record made of it goes to audience_can_see, the
 * one function that decides who sees a post: whoever it says no to hears nothing, not even the
 * id. The record has no mentions (their rows are gone too): each mentioned account has its own
 * event (EV_DELETE_TO, EV_DELETE_DIRECT_TO) naming the author, and audience_can_see_mentioned
 * decides on it as it would on the post. What an event does not know, it does not guess: EV_DELETE
 * of a post that was in a channel, for a list, or a boost is its author's alone, and its companion
 * event (which knows the channel, the list or the boosted post) speaks to everyone else.
 */

/* Was the author's post in the home feed (or a list) of viewer? Followers, and the author. */
static bool in_home_of(app_ctx *c, int64_t viewer, int64_t author)
{
    return viewer && (viewer == author || app_follows(c, viewer, author));
}

/* EV_DELETE: id, author, aux = visibility and flags (db.h). */
static bool wants_delete(app_ctx *c, int64_t viewer, const stream_sub *sub, const pl_event *ev)
{
    int64_t author = ev->account_id;
    int vis = (int)(ev->aux & EV_DELETE_VISIBILITY);
    bool told_elsewhere = (ev->aux & ~(int64_t)EV_DELETE_VISIBILITY) != 0;
    if (told_elsewhere && viewer != author) return false;
    pl_status st = {.id = ev->id, .account_id = author, .visibility = vis};
    if (!audience_can_see(c, viewer, &st)) return false;
    switch (sub->kind) {
    case STREAM_USER: return in_home_of(c, viewer, author);
    case STREAM_PUBLIC:
    case STREAM_PUBLIC_LOCAL:
    case STREAM_HASHTAG:
    case STREAM_HASHTAG_LOCAL: return vis == VIS_PUBLIC;
    case STREAM_LIST: return store_list_has_member(c->db, sub->list_id, author);
    case STREAM_DIRECT: return vis == VIS_DIRECT;
    default: return false;
    }
}

/* EV_DELETE_CHANNEL: id, author, aux = the channel. Also sent when a moderator takes a post out
 * of its channel: then only the channel stream hears it (the post still stands for its author
 * and the moderators). A channel post is public, unlisted or company: any signed-in member
 * who passes the channel's gate could see it, so the record says company. */
static bool wants_channel_delete(app_ctx *c, int64_t viewer, const stream_sub *sub,
                                 const pl_event *ev)
{
    if (sub->kind == STREAM_CHANNEL && ev->aux != sub->channel_id) return false;
    if (sub->kind != STREAM_CHANNEL &&
        (viewer == ev->account_id || app_status(c, ev->id))) /* told by EV_DELETE; removed only */
        return false;
    pl_status st = {.id = ev->id,
                    .account_id = ev->account_id,
                    .visibility = VIS_COMPANY,
                    .channel_id = ev->aux};
    if (!audience_can_see(c, viewer, &st)) return false;
    switch (sub->kind) {
    case STREAM_CHANNEL:
    case STREAM_PUBLIC:
    case STREAM_PUBLIC_LOCAL:
    case STREAM_HASHTAG:
    case STREAM_HASHTAG_LOCAL: return true;
    case STREAM_USER: {
        if (in_home_of(c, viewer, ev->account_id)) return true;
        const pl_channel *ch = app_channel(c, ev->aux);
        return ch && app_channel_member(c, ch, viewer);
    }
    case STREAM_LIST: return store_list_has_member(c->db, sub->list_id, ev->account_id);
    default: return false;
    }
}

/* EV_DELETE_LIST: id, author, aux = the author's list the post was for (it reached the
 * members' home feeds even when they do not follow the author). */
static bool wants_list_delete(app_ctx *c, int64_t viewer, const stream_sub *sub, const pl_event *ev)
{
    if (sub->kind != STREAM_USER && sub->kind != STREAM_LIST) return false;
    pl_status st = {.id = ev->id,
                    .account_id = ev->account_id,
                    .visibility = VIS_LIST,
                    .audience_list_id = ev->aux};
    if (!viewer || viewer == ev->account_id || !audience_can_see(c, viewer, &st)) return false;
    return sub->kind == STREAM_USER || store_list_has_member(c->db, sub->list_id, ev->account_id);
}

/* EV_DELETE_REBLOG: id, booster, aux = the boosted post. A boost reached the booster's
 * followers; the record says followers-only (the narrowest a boost can be) and names the
 * boosted post, which audience_can_see reads as it does for every boost. */
static bool wants_reblog_delete(app_ctx *c, int64_t viewer, const stream_sub *sub,
                                const pl_event *ev)
{
    if (sub->kind != STREAM_USER && sub->kind != STREAM_LIST) return false;
    pl_status st = {.id = ev->id,
                    .account_id = ev->account_id,
                    .visibility = VIS_PRIVATE,
                    .reblog_of_id = ev->aux};
    if (!viewer || viewer == ev->account_id || !audience_can_see(c, viewer, &st)) return false;
    return sub->kind == STREAM_USER || store_list_has_member(c->db, sub->list_id, ev->account_id);
}

/* EV_DELETE_TO, EV_DELETE_DIRECT_TO: id, the mentioned account, aux = the author. The mention
 * is what opened the post to this account (a follow or a list is told by EV_DELETE and
 * EV_DELETE_LIST), so the record is a post for its mentioned accounts only. */
static bool wants_mention_delete(app_ctx *c, int64_t viewer, const stream_sub *sub,
                                 const pl_event *ev)
{
    bool is_direct = ev->kind == EV_DELETE_DIRECT_TO;
    if (!viewer || viewer != ev->account_id) return false;
    if (sub->kind != STREAM_USER && !(sub->kind == STREAM_DIRECT && is_direct)) return false;
    pl_status st = {
        .id = ev->id, .account_id = ev->aux, .visibility = is_direct ? VIS_DIRECT : VIS_PRIVATE};
    return audience_can_see_mentioned(c, viewer, &st);
}

bool stream_wants(app_ctx *c, int64_t viewer, const stream_sub *sub, stream_item *it)
{
    const pl_event *ev = it->ev;
    switch (ev->kind) {
    case EV_STATUS:
    case EV_STATUS_UPDATE: return wants_status(c, viewer, sub, it);
    case EV_DELETE: return wants_delete(c, viewer, sub, ev);
    case EV_DELETE_CHANNEL: return wants_channel_delete(c, viewer, sub, ev);
    case EV_DELETE_LIST: return wants_list_delete(c, viewer, sub, ev);
    case EV_DELETE_REBLOG: return wants_reblog_delete(c, viewer, sub, ev);
    case EV_DELETE_TO:
    case EV_DELETE_DIRECT_TO: return wants_mention_delete(c, viewer, sub, ev);
    case EV_NOTIFICATION:
        return viewer && viewer == ev->account_id &&
               (sub->kind == STREAM_USER || sub->kind == STREAM_USER_NOTIFICATION);
    case EV_CONVERSATION: return viewer && viewer == ev->account_id && sub->kind == STREAM_DIRECT;
    case EV_ANNOUNCEMENT: /* company announcements: everyone signed in, as Mastodon */
    case EV_ANNOUNCEMENT_DELETE:
    case EV_ANNOUNCEMENT_REACTION: return viewer && sub->kind == STREAM_USER;
    default: return false;
    }
}

/* ---------------------------------------------------------------- revocations from elsewhere */

/* A row of meta: a server's own revocations travel as events (EV_TOKEN_REVOKED); another
 * process has no way into a server's event log, so it leaves this mark, which is cheap to
 * read once a second (one row by its key) on SQLite and PostgreSQL alike. */
#define REVOCATIONS_MARK "tokens_revoked"

int stream_revocations_note(app_ctx *c)
{
    return app_mark_move(c, REVOCATIONS_MARK);
}

int64_t stream_revocations_mark(app_ctx *c)
{
    return app_mark_read(c, REVOCATIONS_MARK);
}
