/*
 * entities.c — JSON for Mastodon's entities, written with the streaming writer.
 *
 * This is the hot path of every timeline: no allocation besides the output buffer and the
 * request arena, and no JSON tree. Pictures are not uploaded yet, so avatar and header point to
 * each account's drawn defaults (app/avatars.h).
 */
#include "entities.h"

#include <stdio.h>
#include <string.h>

#include "app/notify_groups.h"
#include "app/accounts.h"
#include "app/avatars.h"
#include "app/conversations.h"
#include "app/render.h"
#include "app/graph.h"
#include "app/influence_view.h"
#include "app/listening.h"
#include "app/attachments.h"
#include "app/cache.h"
#include "app/profile.h"
#include "app/tickets.h"
#include "app/top.h"
#include "util/timeutil.h"

static const char *const vis_names[] = {"public", "unlisted", "private", "direct"};

/* Mastodon's four names; our company and list audiences show as "private" to apps that do
 * not know them (the "partyline" member of a Status says what they are). */
const char *visibility_name(int v)
{
    return v >= 0 && v < 4 ? vis_names[v] : "private";
}

void ent_audit_row(jw *w, const pl_audit_row *r)
{
    jw_obj(w);
    jw_kid(w, "id", r->id);
    jw_kint(w, "seq", r->seq);
    jw_ktime(w, "created_at", r->at);
    jw_kint(w, "at", r->at); /* the milliseconds the hash covers */
    jw_kid(w, "actor_id", r->actor_id);
    jw_kstr(w, "ip", r->ip);
    jw_kstr(w, "action", r->action);
    jw_kstr(w, "target_kind", r->target_kind);
    jw_kid(w, "target_id", r->target_id);
    jw_kstr(w, "audience", r->audience);
    /* the detail as the object it is; a row changed behind the server's back into something
     * else is shown as the string it holds */
    const char *d = r->detail ? r->detail : "{}";
    json_t *j = json_loads(d, JSON_REJECT_DUPLICATES, NULL);
    jw_key(w, "detail");
    if (json_is_object(j))
        jw_raw(w, d, strlen(d));
    else
        jw_str(w, d);
    if (j) json_decref(j);
    jw_kstr(w, "prev_hash", r->prev_hash);
    jw_kstr(w, "hash", r->hash);
    jw_obj_end(w);
}

const char *audience_name(int v)
{
    return v == VIS_COMPANY    ? "company"
           : v == VIS_LIST     ? "list"
           : v == VIS_TICKET   ? "ticket"
           : v == VIS_INTERNAL ? "internal"
                               : visibility_name(v);
}

int visibility_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, vis_names[i])) return i;
    return -1;
}

/* Accounts already written into this response: a timeline page shows the same authors
 * many times, and an account's JSON does not depend on where it appears, so the bytes are
 * copied from where it was first written (by offset: the buffer may move). */
enum { MEMO_MAX = 64 };

struct ent_memo {
    int n;
    struct {
        int64_t id;
        size_t off, len;
    } acct[MEMO_MAX];
};

static bool account_from_memo(api_call *c, jw *w, int64_t id)
{
    struct ent_memo *m = c->memo;
    if (!m) return false;
    for (int i = 0; i < m->n; i++) {
        if (m->acct[i].id != id) continue;
        size_t len = m->acct[i].len;
        buf_reserve(w->b, len + 2); /* the comma and the bytes: no move while copying */
        const char *src = w->b->data + m->acct[i].off;
        jw_raw(w, src, len);
        return true;
    }
    return false;
}

static void account_to_memo(api_call *c, int64_t id, size_t off, size_t len)
{
    if (!c->memo) c->memo = arena_alloc(c->app->a, sizeof *c->memo);
    struct ent_memo *m = c->memo;
    if (m->n < MEMO_MAX) {
        m->acct[m->n].id = id;
        m->acct[m->n].off = off;
        m->acct[m->n].len = len;
        m->n++;
    }
}

static void account_body(api_call *c, jw *w, const pl_account *a, bool with_source);
static void account_members(api_call *c, jw *w, const pl_account *a, bool with_source);

/* Mastodon's default roles: its ids, names and permission bits (UserRole: administrator is
 * bit 0; a moderator here may manage_reports, bit 4, and manage_users, bit 10). */
void ent_role(jw *w, int role)
{
    jw_obj(w);
    jw_kstr(w, "id", role == PL_ROLE_ADMIN ? "3" : role == PL_ROLE_MODERATOR ? "1" : "-99");
    jw_kstr(w, "name",
            role == PL_ROLE_ADMIN       ? "Admin"
            : role == PL_ROLE_MODERATOR ? "Moderator"
                                        : "");
    jw_kstr(w, "permissions",
            role == PL_ROLE_ADMIN       ? "1"
            : role == PL_ROLE_MODERATOR ? "1040"
                                        : "0");
    jw_kstr(w, "color", "");
    jw_kbool(w, "highlighted", role != PL_ROLE_USER);
    jw_obj_end(w);
}

/* Account.partyline: the influence score of a person who shows it (docs/api.md "Influence"),
 * after the members the same for every day; own: the viewer's own account, which shows it
 * always. Absent otherwise. The CredentialAccount (with_source) always has it, with
 * "service_team": whether the person works tickets and in which team ({"on", "team"}, as the
 * admin route answers; docs/api.md "Tickets"), so a client knows what to offer. */
static void account_partyline(api_call *c, jw *w, const pl_account *a, bool own, bool with_source)
{
    int score;
    bool badge = influence_badge(c->app, a, own, &score);
    if (!badge && !with_source) return;
    jw_key(w, "partyline");
    jw_obj(w);
    if (badge) {
        jw_key(w, "influence");
        jw_obj(w);
        jw_kint(w, "score", score);
        jw_obj_end(w);
    }
    if (with_source) {
        const char *team = NULL;
        bool on = tickets_on_team(c->app, a->id, &team);
        jw_key(w, "service_team");
        jw_obj(w);
        jw_kbool(w, "on", on);
        if (on && team)
            jw_kstr(w, "team", team);
        else
            jw_knull(w, "team");
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

void ent_account(api_call *c, jw *w, const pl_account *a, bool with_source)
{
    if (with_source) {
        account_body(c, w, a, true);
        return;
    }
    if (account_from_memo(c, w, a->id)) return;
    /* the cache keeps the members every day shares; the score changes with each run (the
     * command line's too, which no cache hears of), so it is added after them, and the memo
     * keeps the whole */
    size_t start = w->b->len + (w->first[w->depth] ? 0 : 1);
    entity_cache *cache = c->app->cache;
    size_t len;
    const char *kept = cache ? cache_blob(cache, BLOB_ACCOUNT, a->id, &len) : NULL;
    if (kept && len >= 2) {
        jw_obj(w);
        jw_raw_members(w, kept + 1, len - 2); /* inside its braces */
    } else {
        jw_obj(w);
        size_t inner = w->b->len;
        account_members(c, w, a, false);
        if (cache) {
            /* kept as a whole object: "{" the members "}" */
            size_t n = w->b->len - inner;
            char *whole = arena_alloc(c->app->a, n + 2);
            whole[0] = '{';
            memcpy(whole + 1, w->b->data + inner, n);
            whole[n + 1] = '}';
            cache_put_blob(cache, BLOB_ACCOUNT, a->id, whole, n + 2);
        }
    }
    account_partyline(c, w, a, c->viewer && c->viewer->id == a->id, false);
    jw_obj_end(w);
    account_to_memo(c, a->id, start, w->b->len - start);
}

static void account_body(api_call *c, jw *w, const pl_account *a, bool with_source)
{
    jw_obj(w);
    account_members(c, w, a, with_source);
    if (with_source) account_partyline(c, w, a, true, true);
    jw_obj_end(w);
}

/* The members of an Account, inside its braces. */
static void account_members(api_call *c, jw *w, const pl_account *a, bool with_source)
{
    const char *base = c->app->cfg->base_url;
    jw_kid(w, "id", a->id);
    jw_kstr(w, "username", a->username);
    jw_kstr(w, "acct", a->username);
    jw_kstr(w, "display_name", a->display_name ? a->display_name : "");
    jw_kbool(w, "locked", a->is_locked);
    jw_kbool(w, "bot", a->is_bot);
    jw_kbool(w, "discoverable", a->is_discoverable);
    jw_kbool(w, "group", a->is_group);
    jw_key(w, "created_at");
    {
        char t[32];
        time_iso8601_date(a->created_at, t, sizeof t);
        jw_str(w, t);
    }
    jw_kstr(w, "note", a->note_html ? a->note_html : "");
    jw_kcat(w, "url", base, "/@", a->username, NULL);
    jw_kcat(w, "uri", base, "/users/", a->username, NULL);
    const char *avatar = avatars_url(c->app, a, AVATAR_PICTURE);
    const char *header = avatars_url(c->app, a, AVATAR_HEADER);
    jw_kstr(w, "avatar", avatar);
    jw_kstr(w, "avatar_static", avatar); /* a drawn avatar does not move */
    jw_kstr(w, "header", header);
    jw_kstr(w, "header_static", header);
    jw_kint(w, "followers_count", a->followers_count);
    /* the person's own (with_source, never cached) counts every follow, as their own list
     * shows; everyone else's copy counts no private channel (profile_following_count) */
    jw_kint(w, "following_count",
            with_source ? a->following_count : profile_following_count(c->app, a));
    jw_kint(w, "statuses_count", a->statuses_count);
    jw_kbool(w, "hide_collections", a->hide_collections);
    jw_key(w, "last_status_at");
    if (a->last_status_at) {
        char t[32];
        time_iso8601(a->last_status_at, t, sizeof t);
        t[10] = '\0'; /* Mastodon gives the date only */
        jw_str(w, t);
    } else
        jw_null(w);
    jw_key(w, "emojis");
    jw_arr(w);
    jw_arr_end(w);
    pl_account *m = (pl_account *)a;
    accounts_load_fields(c->app, m);
    jw_key(w, "fields");
    jw_arr(w);
    for (int i = 0; a->fields && i < a->fields_count; i++) {
        jw_obj(w);
        jw_kstr(w, "name", a->fields[i].name);
        jw_kstr(w, "value", a->fields[i].value_html);
        jw_knull(w, "verified_at");
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (with_source) {
        jw_key(w, "source");
        jw_obj(w);
        jw_kstr(w, "privacy", visibility_name(a->default_privacy));
        jw_kbool(w, "sensitive", a->default_sensitive);
        jw_kstr(w, "language", a->default_language ? a->default_language : "");
        jw_kstr(w, "status_content_type", content_type_name(a->default_content_type));
        jw_kstr(w, "note", a->note ? a->note : "");
        jw_key(w, "fields");
        jw_arr(w);
        for (int i = 0; a->fields && i < a->fields_count; i++) {
            jw_obj(w);
            jw_kstr(w, "name", a->fields[i].name);
            jw_kstr(w, "value", a->fields[i].value);
            jw_knull(w, "verified_at");
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_kint(w, "follow_requests_count", graph_follow_requests_count(c->app, a->id));
        jw_kbool(w, "hide_collections", a->hide_collections);
        jw_kbool(w, "discoverable", a->is_discoverable);
        jw_kbool(w, "hide_boosts", a->hide_boosts); /* partyline's own (README) */
        /* privacy reads "private" for company, as company posts do; this says which */
        jw_key(w, "partyline");
        jw_obj(w);
        jw_kstr(w, "privacy", audience_name(a->default_privacy));
        jw_obj_end(w);
        jw_obj_end(w);
        jw_key(w, "role");
        ent_role(w, a->role);
    }
}

/* The members of a Status that are the same for every viewer and do not embed the author:
 * cached per status in the thread's record cache (see app/cache.h) once rendered. */
static void status_core(api_call *c, jw *w, pl_status_view *v)
{
    entity_cache *cache = c->app->cache;
    const pl_status *s = &v->st;
    size_t len;
    const char *kept = cache ? cache_blob(cache, BLOB_STATUS, s->id, &len) : NULL;
    if (kept) {
        jw_raw_members(w, kept, len);
        return;
    }
    posts_view_details(c->app, v);
    size_t start = w->b->len + (w->first[w->depth] ? 0 : 1);
    const char *base = c->app->cfg->base_url;
    jw_kid(w, "id", s->id);
    jw_ktime(w, "created_at", s->created_at);
    jw_kid(w, "in_reply_to_id", s->in_reply_to_id);
    jw_kid(w, "in_reply_to_account_id", s->in_reply_to_account_id);
    jw_kbool(w, "sensitive", s->sensitive);
    jw_kstr(w, "spoiler_text", s->spoiler_text ? s->spoiler_text : "");
    jw_kstr(w, "visibility", visibility_name(s->visibility));
    jw_kstr(w, "language", s->language);
    char idtxt[24];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)s->id);
    jw_kcat(w, "uri", base, "/users/", v->account->username, "/statuses/", idtxt, NULL);
    if (s->reblog_of_id)
        jw_knull(w, "url");
    else
        jw_kcat(w, "url", base, "/@", v->account->username, "/", idtxt, NULL);
    jw_kint(w, "replies_count", s->replies_count);
    jw_kint(w, "reblogs_count", s->reblogs_count);
    jw_kint(w, "favourites_count", s->favourites_count);
    jw_ktime(w, "edited_at", s->edited_at);
    jw_kstr(w, "content", s->content ? s->content : "");
    jw_key(w, "application");
    if (v->app_name) {
        jw_obj(w);
        jw_kstr(w, "name", v->app_name);
        jw_kstr(w, "website", v->app_website);
        jw_obj_end(w);
    } else
        jw_null(w);
    jw_key(w, "mentions");
    jw_arr(w);
    for (int i = 0; i < v->n_mentions; i++) {
        const pl_account *m = v->mentions[i];
        jw_obj(w);
        jw_kid(w, "id", m->id);
        jw_kstr(w, "username", m->username);
        jw_kcat(w, "url", base, "/@", m->username, NULL);
        jw_kstr(w, "acct", m->username);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "tags");
    jw_arr(w);
    for (int i = 0; i < v->n_tags; i++) {
        jw_obj(w);
        jw_kstr(w, "name", v->tags[i]);
        jw_kcat(w, "url", base, "/tags/", v->tags[i], NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "emojis");
    jw_arr(w);
    jw_arr_end(w);
    jw_knull(w, "card");
    /* "poll" is not here: it changes with votes and the clock and is partly the viewer's;
     * "filtered" is not here: it is the viewer's (status_obj) */
    if (cache) cache_put_blob(cache, BLOB_STATUS, s->id, w->b->data + start, w->b->len - start);
}

/* A ticket's "assignee" (an Account or null) and "team" (a name or null). */
static void write_ticket_assignee(api_call *c, jw *w, const pl_ticket *t)
{
    const pl_account *a = t->assignee_id ? app_account(c->app, t->assignee_id) : NULL;
    jw_key(w, "assignee");
    if (a)
        ent_account(c, w, a, false);
    else
        jw_null(w);
    if (t->team)
        jw_kstr(w, "team", t->team);
    else
        jw_knull(w, "team");
}

/* Status.partyline.ticket: what a ticket's root shows of it (docs/api.md "Tickets"). */
static void write_ticket_brief(api_call *c, jw *w, const pl_ticket *t)
{
    jw_key(w, "ticket");
    jw_obj(w);
    jw_kid(w, "id", t->id);
    jw_kstr(w, "state", tickets_state_name(t->state));
    jw_kstr(w, "priority", tickets_priority_name(t->priority));
    write_ticket_assignee(c, w, t);
    jw_obj_end(w);
}

void ent_ticket(api_call *c, jw *w, const pl_ticket *t, int following)
{
    jw_obj(w);
    jw_kid(w, "id", t->id);
    jw_kid(w, "status_id", t->root_status_id);
    const char *title = tickets_title(c->app, t);
    if (title)
        jw_kstr(w, "title", title);
    else
        jw_knull(w, "title");
    jw_kstr(w, "state", tickets_state_name(t->state));
    jw_kstr(w, "priority", tickets_priority_name(t->priority));
    const pl_account *r = app_account(c->app, t->requester_id);
    jw_key(w, "requester");
    if (r)
        ent_account(c, w, r, false);
    else
        jw_null(w);
    write_ticket_assignee(c, w, t);
    jw_ktime(w, "created_at", t->created_at);
    jw_ktime(w, "updated_at", t->updated_at);
    jw_ktime_or_null(w, "first_response_at", t->first_response_at);
    jw_ktime_or_null(w, "resolved_at", t->resolved_at);
    const pl_config *cfg = c->app->cfg;
    jw_ktime(w, "response_due_at",
             t->created_at + (int64_t)tickets_target_minutes(cfg, t->priority, false) * 60000);
    jw_ktime(w, "resolution_due_at",
             t->created_at + (int64_t)tickets_target_minutes(cfg, t->priority, true) * 60000);
    if (following >= 0) jw_kbool(w, "following", following == 1);
    jw_obj_end(w);
}

/* partyline.score: the value and the parts it was computed from (app/top.h). */
static void write_score(jw *w, const top_score *sc, const char *formula)
{
    jw_key(w, "score");
    jw_obj(w);
    jw_kdouble(w, "value", sc->value);
    jw_kint(w, "votes", sc->votes);
    jw_kint(w, "boosts", sc->boosts);
    jw_kint(w, "replies", sc->replies);
    jw_kdouble(w, "age_hours", sc->age_hours);
    jw_kdouble(w, "tau_hours", sc->tau_hours);
    if (formula) jw_kstr(w, "formula", formula);
    jw_obj_end(w);
}

/* A Status: the shared core, then what depends on the author, the boosted post and the
 * viewer. Key order differs from Mastodon's examples; JSON objects are unordered. */
static void status_obj(api_call *c, jw *w, pl_status_view *v)
{
    const pl_status *s = &v->st;
    jw_obj(w);
    status_core(c, w, v);
    /* our extension: the real audience, the channel it was shared to, and in a ranked feed
     * asked to explain, the score. Written around the cached core: a score depends on the
     * query (window, clock), so it must never be cached with the post. */
    jw_key(w, "partyline");
    jw_obj(w);
    jw_kstr(w, "audience", audience_name(s->visibility));
    if (s->audience_list_id) jw_kid(w, "list_id", s->audience_list_id);
    jw_kid(w, "channel_id", s->channel_id);
    /* a post of a ticket's thread: its ticket, whether the server wrote it (a change), and on
     * the root the ticket itself — read for the page at once (tickets_prefetch) */
    const pl_ticket_post *tm = s->reblog_of_id ? NULL : tickets_post_mark(c->app, s->id);
    if (tm) {
        jw_kid(w, "ticket_id", tm->ticket.id);
        if (tm->is_system) jw_kbool(w, "system", true);
        if (tm->ticket.root_status_id == s->id) write_ticket_brief(c, w, &tm->ticket);
    }
    if (v->score) write_score(w, v->score, v->score_formula);
    jw_obj_end(w);
    jw_key(w, "account");
    ent_account(c, w, v->account, false);
    /* Written around the cached core too: each address is signed for this viewer, so it must
     * never reach the cache that other viewers read (docs/ARCHITECTURE.md, "Files"). */
    jw_key(w, "media_attachments");
    jw_arr(w);
    pl_attachment *media;
    int n_media = 0;
    if (!s->reblog_of_id && attachments_of_status(c->app, s->id, &media, &n_media) != PL_OK)
        n_media = 0;
    for (int i = 0; i < n_media; i++)
        ent_attachment(c, w, &media[i], c->viewer ? c->viewer->id : c->media_viewer);
    jw_arr_end(w);
    jw_key(w, "reblog");
    if (v->reblog)
        status_obj(c, w, v->reblog);
    else
        jw_null(w);
    jw_key(w, "poll");
    if (v->poll)
        ent_poll(c, w, v->poll);
    else
        jw_null(w);
    if (c->viewer) {
        jw_kbool(w, "favourited", v->favourited);
        jw_kbool(w, "reblogged", v->reblogged);
        jw_kbool(w, "muted", v->muted);
        jw_kbool(w, "bookmarked", v->bookmarked);
        /* the author's own flag, only on posts that can be pinned (as Mastodon) */
        if (s->account_id == c->viewer->id && profile_pinnable(s)) jw_kbool(w, "pinned", v->pinned);
        jw_key(w, "filtered");
        jw_arr(w);
        for (int i = 0; i < v->n_filtered; i++) ent_filter_result(c, w, &v->filtered[i]);
        jw_arr_end(w);
    }
    if (v->source_text) jw_kstr(w, "text", v->source_text);
    jw_obj_end(w);
}

/* One of meta's "original" and "small". */
static void media_size(api_call *c, jw *w, const char *key, int width, int height)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "width", width);
    jw_kint(w, "height", height);
    jw_kstr(w, "size", arena_printf(c->app->a, "%dx%d", width, height));
    jw_kdouble(w, "aspect", height ? (double)width / height : 0);
    jw_obj_end(w);
}

void ent_attachment(api_call *c, jw *w, const pl_attachment *m, int64_t viewer)
{
    c->media_written++;
    jw_obj(w);
    jw_kid(w, "id", m->id);
    jw_kstr(w, "type", attachments_type_name(m->kind));
    jw_kstr(w, "url", attachments_url(c->app, m, ATTACHMENT_ORIGINAL, viewer));
    if (m->preview_id)
        jw_kstr(w, "preview_url", attachments_url(c->app, m, ATTACHMENT_SMALL, viewer));
    else
        jw_knull(w, "preview_url");
    jw_knull(w, "remote_url");
    jw_knull(w, "preview_remote_url");
    jw_knull(w, "text_url");
    jw_key(w, "meta");
    jw_obj(w);
    if (m->width && m->height) {
        media_size(c, w, "original", m->width, m->height);
        if (m->small_width && m->small_height)
            media_size(c, w, "small", m->small_width, m->small_height);
    }
    if (m->focus) {
        double x = 0, y = 0;
        if (sscanf(m->focus, "%lf,%lf", &x, &y) == 2) {
            jw_key(w, "focus");
            jw_obj(w);
            jw_kdouble(w, "x", x);
            jw_kdouble(w, "y", y);
            jw_obj_end(w);
        }
    }
    jw_obj_end(w);
    if (m->description && *m->description)
        jw_kstr(w, "description", m->description);
    else
        jw_knull(w, "description");
    if (m->blurhash && *m->blurhash)
        jw_kstr(w, "blurhash", m->blurhash);
    else
        jw_knull(w, "blurhash");
    /* ours: what a document card shows (Mastodon's entity has no name) */
    jw_key(w, "partyline");
    jw_obj(w);
    jw_kstr(w, "file_name", m->name ? m->name : "");
    jw_kint(w, "file_size", m->size);
    jw_kstr(w, "mime_type", m->mime);
    jw_obj_end(w);
    jw_obj_end(w);
}

void ent_poll(api_call *c, jw *w, const pl_poll_view *v)
{
    const pl_poll *p = &v->poll;
    jw_obj(w);
    jw_kid(w, "id", p->id);
    jw_ktime(w, "expires_at", p->expires_at);
    jw_kbool(w, "expired", v->expired);
    jw_kbool(w, "multiple", p->multiple);
    jw_kint(w, "votes_count", p->votes_count);
    jw_key(w, "voters_count");
    if (p->multiple)
        jw_int(w, p->voters_count);
    else
        jw_null(w);
    jw_key(w, "options");
    jw_arr(w);
    for (int i = 0; i < p->n_options; i++) {
        jw_obj(w);
        jw_kstr(w, "title", p->titles[i]);
        jw_key(w, "votes_count");
        if (v->show_totals)
            jw_int(w, p->option_votes[i]);
        else
            jw_null(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "emojis");
    jw_arr(w);
    jw_arr_end(w);
    if (c->viewer && v->has_viewer) { /* only with a user token, as Mastodon */
        jw_kbool(w, "voted", v->voted);
        jw_key(w, "own_votes");
        jw_arr(w);
        for (int i = 0; i < v->n_own_votes; i++) jw_int(w, v->own_votes[i]);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

void ent_status(api_call *c, jw *w, const pl_status_view *v)
{
    pl_status_view copy = *v; /* details may be filled in while rendering */
    status_obj(c, w, &copy);
}

void ent_statuses(api_call *c, jw *w, const int64_t *ids, int n)
{
    int64_t viewer = c->viewer ? c->viewer->id : 0;
    if (c->app->read_only) {
        app_prefetch_statuses(c->app, ids, n);
        posts_prefetch_flags(c->app, viewer, ids, n);
        attachments_prefetch(c->app, ids, n);
    }
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        pl_status_view v;
        if (posts_view_id(c->app, viewer, ids[i], &v) == PL_OK) ent_status(c, w, &v);
    }
    jw_arr_end(w);
}

void ent_statuses_scored(api_call *c, jw *w, const top_item *items, int n, const char *formula)
{
    int64_t viewer = c->viewer ? c->viewer->id : 0;
    int64_t *ids = arena_alloc(c->app->a, sizeof *ids * (size_t)(n + 1));
    for (int i = 0; i < n; i++) ids[i] = items[i].id;
    if (c->app->read_only) {
        app_prefetch_statuses(c->app, ids, n);
        posts_prefetch_flags(c->app, viewer, ids, n);
    }
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        pl_status_view v;
        if (posts_view_id(c->app, viewer, ids[i], &v) != PL_OK) continue;
        if (formula) {
            v.score = &items[i].score;
            v.score_formula = formula;
        }
        ent_status(c, w, &v);
    }
    jw_arr_end(w);
}

void ent_accounts(api_call *c, jw *w, const int64_t *ids, int n)
{
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        const pl_account *a = app_account(c->app, ids[i]);
        if (a) ent_account(c, w, a, false);
    }
    jw_arr_end(w);
}

static const char *const context_names[] = {"home", "notifications", "public", "thread", "account"};
static const char *const action_names[] = {"warn", "hide", "blur"};

int filter_context_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, context_names[i])) return 1 << i;
    return -1;
}

int filter_action_parse(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, action_names[i])) return i;
    return -1;
}

void ent_filter_keyword(jw *w, const pl_filter_keyword *k)
{
    jw_obj(w);
    jw_kid(w, "id", k->id);
    jw_kstr(w, "keyword", k->keyword);
    jw_kbool(w, "whole_word", k->whole_word);
    jw_obj_end(w);
}

void ent_filter_status(jw *w, const pl_filter_status *s)
{
    jw_obj(w);
    jw_kid(w, "id", s->id);
    jw_kid(w, "status_id", s->status_id);
    jw_obj_end(w);
}

void ent_filter(jw *w, const pl_filter *f, bool with_children)
{
    jw_obj(w);
    jw_kid(w, "id", f->id);
    jw_kstr(w, "title", f->title);
    jw_key(w, "context");
    jw_arr(w);
    for (int i = 0; i < 5; i++)
        if (f->context & (1 << i)) jw_str(w, context_names[i]);
    jw_arr_end(w);
    jw_ktime(w, "expires_at", f->expires_at);
    int action = f->action >= 0 && f->action <= 2 ? f->action : FILTER_WARN;
    jw_kstr(w, "filter_action", action_names[action]);
    if (with_children) {
        jw_key(w, "keywords");
        jw_arr(w);
        for (int i = 0; i < f->n_keywords; i++) ent_filter_keyword(w, &f->keywords[i]);
        jw_arr_end(w);
        jw_key(w, "statuses");
        jw_arr(w);
        for (int i = 0; i < f->n_statuses; i++) ent_filter_status(w, &f->statuses[i]);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

void ent_filter_result(api_call *c, jw *w, const filters_result *r)
{
    (void)c;
    jw_obj(w);
    jw_key(w, "filter");
    ent_filter(w, r->filter, false);
    jw_key(w, "keyword_matches");
    if (r->n_keyword_matches) {
        jw_arr(w);
        for (int i = 0; i < r->n_keyword_matches; i++) jw_str(w, r->keyword_matches[i]);
        jw_arr_end(w);
    } else
        jw_null(w);
    jw_key(w, "status_matches");
    if (r->n_status_matches) {
        jw_arr(w);
        for (int i = 0; i < r->n_status_matches; i++) jw_id(w, r->status_matches[i]);
        jw_arr_end(w);
    } else
        jw_null(w);
    jw_obj_end(w);
}

void ent_relationship(jw *w, const pl_relationship *r)
{
    jw_obj(w);
    jw_kid(w, "id", r->id);
    jw_kbool(w, "following", r->following);
    jw_kbool(w, "showing_reblogs", r->following ? r->showing_reblogs : false);
    jw_kbool(w, "notifying", r->notifying);
    jw_key(w, "languages");
    jw_null(w);
    jw_kbool(w, "followed_by", r->followed_by);
    jw_kbool(w, "blocking", r->blocking);
    jw_kbool(w, "blocked_by", r->blocked_by);
    jw_kbool(w, "muting", r->muting);
    jw_kbool(w, "muting_notifications", r->muting_notifications);
    jw_kbool(w, "requested", r->requested);
    jw_kbool(w, "requested_by", r->requested_by);
    jw_kbool(w, "domain_blocking", false);
    jw_kbool(w, "endorsed", false);
    jw_kstr(w, "note", "");
    jw_obj_end(w);
}

void ent_notification(api_call *c, jw *w, const pl_notification *n)
{
    jw_obj(w);
    jw_kid(w, "id", n->id);
    jw_kstr(w, "type", n->type);
    jw_kstr(w, "group_key", notify_group_key(c->app, n, NULL)); /* Mastodon 4.3: its v2 group */
    jw_ktime(w, "created_at", n->created_at);
    jw_key(w, "account");
    const pl_account *from = app_account(c->app, n->from_account_id);
    if (from)
        ent_account(c, w, from, false);
    else
        jw_null(w);
    if (n->status_id) {
        pl_status_view v;
        jw_key(w, "status");
        if (posts_view_id(c->app, c->viewer ? c->viewer->id : 0, n->status_id, &v) == PL_OK)
            ent_status(c, w, &v);
        else
            jw_null(w);
    }
    if (n->report_id) { /* Mastodon's admin.report */
        jw_key(w, "report");
        ent_report_id(c, w, n->report_id);
    }
    if (n->alert_id) {
        /* ours (docs/api.md "Listening"): partyline.alert, the watch's alert */
        pl_watch_alert al;
        pl_watch x;
        jw_key(w, "partyline");
        jw_obj(w);
        jw_kid(w, "alert_id", n->alert_id);
        jw_key(w, "alert");
        if (listen_alert_get(c->app, n->account_id, n->alert_id, &al, &x) == PL_OK)
            ent_watch_alert(c, w, &al, &x, NULL, 0);
        else
            jw_null(w);
        jw_obj_end(w);
    }
    if (n->channel_id) {
        /* ours (docs/api.md "Join requests"): the channel, as its group account */
        const pl_account *ch = app_account(c->app, n->channel_id);
        jw_key(w, "partyline");
        jw_obj(w);
        jw_kid(w, "channel_id", n->channel_id);
        jw_key(w, "channel");
        if (ch)
            ent_account(c, w, ch, false);
        else
            jw_null(w);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

void ent_status_response(api_call *c, int64_t id)
{
    pl_status_view v;
    int rc = posts_view_id(c->app, c->viewer ? c->viewer->id : 0, id, &v);
    if (rc) {
        api_fail_rc(c, rc);
        return;
    }
    jw w;
    api_json(c, &w);
    ent_status(c, &w, &v);
}

void ent_conversation(api_call *c, jw *w, const conversation_view *v)
{
    jw_obj(w);
    jw_kid(w, "id", v->conv.id);
    jw_kbool(w, "unread", v->conv.unread);
    jw_key(w, "accounts");
    /* the other participants; one who wrote only to themselves is their own company, as in
     * Mastodon */
    if (v->conv.n_participants)
        ent_accounts(c, w, v->conv.participant_ids, v->conv.n_participants);
    else
        ent_accounts(c, w, &v->conv.account_id, 1);
    jw_key(w, "last_status");
    pl_status_view sv;
    if (v->shown_status_id &&
        posts_view_id(c->app, c->viewer ? c->viewer->id : 0, v->shown_status_id, &sv) == PL_OK)
        ent_status(c, w, &sv);
    else
        jw_null(w);
    jw_obj_end(w);
}
