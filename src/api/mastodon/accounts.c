/*
 * accounts.c — /api/v1/accounts/…: register, credentials, profiles, the social graph.
 * docs.joinmastodon.org/methods/accounts
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/channels.h"
#include "app/accounts.h"
#include "app/auth.h"
#include "app/avatars.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/profile.h"
#include "app/render.h"

static void accounts_create(api_call *c)
{
    if (c->viewer) {
        api_error(c, 403, "This method requires an app token, not a user's token");
        return;
    }
    if (p_bool(c, "agreement", 0) != 1) {
        api_error(c, 422, "Validation failed: Agreement must be accepted");
        return;
    }
    accounts_new n = {
        .username = p_str(c, "username"),
        .email = p_str(c, "email"),
        .password = p_str(c, "password"),
        .reason = p_str(c, "reason"),
        .app_id = c->token.app_id,
    };
    pl_account acc;
    if (failed(c, accounts_register(c->app, &n, &acc))) return;
    pl_app app;
    if (failed(c, auth_app_get(c->app, c->token.app_id, &app))) return;
    const char *token;
    int rc = app_txn_begin(c->app);
    if (!rc) rc = app_txn_end(c->app, auth_token_issue(c->app, app.id, acc.id, app.scopes, &token));
    if (failed(c, rc)) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "access_token", token);
    jw_kstr(&w, "token_type", "Bearer");
    jw_kstr(&w, "scope", app.scopes);
    jw_kint(&w, "created_at", c->app->now / 1000);
    jw_obj_end(&w);
}

static void write_self(api_call *c, int64_t id)
{
    pl_account acc;
    if (failed(c, accounts_get_full(c->app, id, &acc))) return;
    jw w;
    api_json(c, &w);
    ent_account(c, &w, &acc, true);
}

static void verify_credentials(api_call *c)
{
    write_self(c, c->viewer->id);
}

/* GET /api/v1/preferences (methods/preferences): the defaults apps compose with. The posting
 * ones are the person's own (set with update_credentials' source[…]); the reading ones are
 * Mastodon's defaults, which only its web settings change. A company default reads
 * "private", as company posts do, and our own key names it (docs/api.md, "Preferences"). */
static void preferences(api_call *c)
{
    const pl_account *a = app_account(c->app, c->viewer->id);
    if (!a) {
        api_error(c, 404, "Record not found");
        return;
    }
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "posting:default:visibility", visibility_name(a->default_privacy));
    jw_kbool(&w, "posting:default:sensitive", a->default_sensitive);
    if (a->default_language && *a->default_language)
        jw_kstr(&w, "posting:default:language", a->default_language);
    else
        jw_knull(&w, "posting:default:language");
    jw_kstr(&w, "reading:expand:media", "default");
    jw_kbool(&w, "reading:expand:spoilers", false);
    jw_kstr(&w, "partyline:posting:default:audience", audience_name(a->default_privacy));
    jw_kstr(&w, "partyline:posting:default:content_type",
            content_type_name(a->default_content_type));
    jw_obj_end(&w);
}

static int flag(api_call *c, const char *name)
{
    return p_bool(c, name, -1);
}

/* source[privacy], source[sensitive], source[language], source[status_content_type] of
 * update_credentials: the person's defaults for new posts. privacy takes Mastodon's public,
 * unlisted and private and our company (Mastodon refuses direct there, and so do we); language ""
 * clears it. False (and an error sent) if one is malformed. */
static bool read_source(api_call *c, json_t *src, accounts_change *ch)
{
    json_t *v = json_object_get(src, "privacy");
    if (v && !json_is_null(v)) {
        const char *p = json_string_value(v);
        ch->privacy = !p ? -1 : !strcmp(p, "company") ? VIS_COMPANY : visibility_parse(p);
        if (ch->privacy < 0 || ch->privacy == VIS_DIRECT) {
            api_error(c, 422,
                      "Validation failed: source[privacy] must be public, unlisted, private "
                      "or company");
            return false;
        }
    }
    v = json_object_get(src, "sensitive");
    if (v && !json_is_null(v)) {
        const char *t = json_string_value(v);
        if (json_is_boolean(v))
            ch->sensitive = json_is_true(v);
        else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
            ch->sensitive = (int)json_integer_value(v);
        else if (t && (!strcmp(t, "true") || !strcmp(t, "1")))
            ch->sensitive = 1;
        else if (t && (!strcmp(t, "false") || !strcmp(t, "0")))
            ch->sensitive = 0;
        else {
            api_error(c, 422, "Validation failed: source[sensitive] must be a boolean");
            return false;
        }
    }
    v = json_object_get(src, "language");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v)) {
            api_error(c, 422, "Validation failed: source[language] must be a language code");
            return false;
        }
        ch->language = json_string_value(v);
    }
    /* GoToSocial's name for it (docs/api.md, "Formatted posts"); checked by the app layer */
    v = json_object_get(src, "status_content_type");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v)) {
            api_error(c, 422,
                      "Validation failed: source[status_content_type] must be text/plain or "
                      "text/markdown");
            return false;
        }
        ch->content_type = json_string_value(v);
    }
    return true;
}

static void update_credentials(api_call *c)
{
    accounts_change ch = {
        .display_name = p_str(c, "display_name"),
        .note = p_str(c, "note"),
        .locked = flag(c, "locked"),
        .bot = flag(c, "bot"),
        .discoverable = flag(c, "discoverable"),
        .sensitive = -1,
        .privacy = -1,
        .hide_collections = flag(c, "hide_collections"),
        .hide_boosts = flag(c, "hide_boosts"),
    };
    if (ch.locked == -2 || ch.bot == -2 || ch.discoverable == -2 || ch.hide_collections == -2 ||
        ch.hide_boosts == -2) {
        api_error(c, 422,
                  "Validation failed: locked, bot, discoverable, hide_collections and "
                  "hide_boosts must be booleans");
        return;
    }
    json_t *src = p_get(c, "source");
    if (json_is_object(src) && !read_source(c, src, &ch)) return;
    json_t *fields = p_arr(c, "fields_attributes");
    if (fields) {
        size_t n = json_array_size(fields);
        if ((int)n > c->app->cfg->max_profile_fields) {
            api_error(c, 422, "Validation failed: Too many profile fields");
            return;
        }
        ch.set_fields = true;
        ch.n_fields = (int)n;
        ch.field_names = arena_alloc(c->app->a, sizeof(char *) * (n + 1));
        ch.field_values = arena_alloc(c->app->a, sizeof(char *) * (n + 1));
        for (size_t i = 0; i < n; i++) {
            json_t *f = json_array_get(fields, i);
            ch.field_names[i] = json_string_value(json_object_get(f, "name"));
            ch.field_values[i] = json_string_value(json_object_get(f, "value"));
        }
    }
    /* the pictures are made first, before anything is written: a refused one changes nothing */
    avatars_new pics[2] = {{.file = BUF_INIT}, {.file = BUF_INIT}};
    bool ok = pictures_param(c, pics, &ch.avatar, &ch.header) &&
              !failed(c, accounts_update(c->app, c->viewer->id, &ch));
    avatars_new_free(&pics[0]);
    avatars_new_free(&pics[1]);
    if (ok) write_self(c, c->viewer->id);
}

/* DELETE /api/v1/profile/avatar and /header (Mastodon 4.2): the drawn default comes back.
 * The answer is the CredentialAccount, also when there was nothing to remove. */
static void profile_picture_delete(api_call *c)
{
    bool header = strstr(c->req->path, "/header") != NULL;
    if (failed(c, accounts_remove_picture(c->app, c->viewer->id,
                                          header ? AVATAR_HEADER : AVATAR_PICTURE)))
        return;
    write_self(c, c->viewer->id);
}

static void account_get(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    const pl_account *a = app_account(c->app, id);
    if (!a) {
        api_error(c, 404, "Record not found");
        return;
    }
    jw w;
    api_json(c, &w);
    ent_account(c, &w, a, false);
}

static void account_lookup(api_call *c)
{
    if (!may_read(c)) return;
    const pl_account *a;
    if (failed(c, accounts_lookup(c->app, p_str(c, "acct"), &a))) return;
    jw w;
    api_json(c, &w);
    ent_account(c, &w, a, false);
}

static void relationships(api_call *c)
{
    json_t *ids = p_arr(c, "id");
    size_t n = ids ? json_array_size(ids) : 0;
    if ((int)n > c->app->cfg->max_list_ids) {
        api_error(c, 422, "Too many ids (the limit is 100)");
        return;
    }
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        const char *s = json_string_value(json_array_get(ids, i));
        if (!s || !id_parse(s, &id) || !app_account(c->app, id)) continue;
        pl_relationship r;
        if (graph_relationship(c->app, c->viewer->id, id, &r) == PL_OK) ent_relationship(&w, &r);
    }
    jw_arr_end(&w);
}

static void account_statuses(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    pl_page p;
    api_page(c, &p, 20, 40);
    pl_idlist l = {0};
    if (p_bool(c, "pinned", 0) == 1) {
        const pl_account *acc = app_account(c->app, id);
        const pl_channel *ch = acc && acc->is_group ? app_channel(c->app, id) : NULL;
        if (ch) {
            /* a channel's pins are its pinned announcements (FEP-1b12's featured); a private
             * channel's are empty to outsiders, as its statuses are on this path */
            int64_t *ids = NULL;
            int n = 0;
            if (channels_readable(c->app, viewer_id(c), ch) &&
                failed(c, channels_pins(c->app, viewer_id(c), id, &ids, &n)))
                return;
            jw w;
            api_json(c, &w);
            ent_statuses(c, &w, ids, n);
            return;
        }
        if (failed(c, feeds_pinned(c->app, viewer_id(c), id, &p, &l))) return;
        statuses_page(c, &l, &p);
        return;
    }
    if (p_bool(c, "only_media", 0) == 1) {
        /* there are no media yet: an honest empty page */
        if (!app_account(c->app, id)) {
            api_error(c, 404, "Record not found");
            return;
        }
        statuses_page(c, &l, &p);
        return;
    }
    if (failed(c, feeds_account(c->app, viewer_id(c), id, p_bool(c, "exclude_replies", 0) == 1,
                                p_bool(c, "exclude_reblogs", 0) == 1, &p, &l)))
        return;
    statuses_page(c, &l, &p);
}

static void account_followers(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    const pl_account *a = app_account(c->app, id);
    if (!a) {
        api_error(c, 404, "Record not found");
        return;
    }
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l = {0};
    if (!profile_shows_collections(c->app, viewer_id(c), a)) {
        accounts_page(c, &l, &p); /* hidden: an empty list, as Mastodon */
        return;
    }
    bool following = strstr(c->req->path, "/following") != NULL;
    /* a channel's followers are its members: a private channel shows them to members only */
    if (!following && a->is_group) {
        if (failed(c, channels_members(c->app, viewer_id(c), id, &p, &l, NULL))) return;
    } else if (failed(c, following ? graph_following(c->app, viewer_id(c), id, &p, &l)
                                   : graph_followers(c->app, id, &p, &l))) {
        return;
    }
    accounts_page(c, &l, &p);
}

static void relationship_response(api_call *c, int64_t target)
{
    pl_relationship r;
    if (failed(c, graph_relationship(c->app, c->viewer->id, target, &r))) return;
    jw w;
    api_json(c, &w);
    ent_relationship(&w, &r);
}

/* The mute's duration in seconds (0 = until unmuted, also when absent or empty). False if it
 * is not a whole number; a number too large for int64 is clamped, to be refused by
 * graph_mute's limit. */
static bool mute_duration(api_call *c, int64_t *out)
{
    json_t *v = p_get(c, "duration");
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s) return false;
    if (!*s) return true;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (end == s || *end) return false;
    *out = x; /* ERANGE leaves LLONG_MIN or LLONG_MAX: out of range either way */
    return true;
}

static void graph_action(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    const char *act = strrchr(c->req->path, '/') + 1;
    int64_t me = c->viewer->id;
    int rc;
    if (!strcmp(act, "follow")) {
        int reblogs = p_bool(c, "reblogs", -1), notify = p_bool(c, "notify", -1);
        if (reblogs == -2 || notify == -2) {
            api_error(c, 422, "Validation failed: reblogs and notify must be booleans");
            return;
        }
        rc = graph_follow(c->app, me, id, reblogs, notify);
    } else if (!strcmp(act, "unfollow"))
        rc = graph_unfollow(c->app, me, id);
    else if (!strcmp(act, "block"))
        rc = graph_block(c->app, me, id);
    else if (!strcmp(act, "unblock"))
        rc = graph_unblock(c->app, me, id);
    else if (!strcmp(act, "mute")) {
        int notifications = p_bool(c, "notifications", 1);
        int64_t duration;
        if (!mute_duration(c, &duration)) {
            api_error(c, 422, "Validation failed: duration must be a whole number of seconds");
            return;
        }
        rc = graph_mute(c->app, me, id, notifications != 0, duration);
    } else
        rc = graph_unmute(c->app, me, id);
    if (failed(c, rc)) return;
    relationship_response(c, id);
}

static void blocks_or_mutes(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    bool blocks = !strcmp(c->req->path, "/api/v1/blocks");
    if (failed(c, blocks ? graph_blocks(c->app, c->viewer->id, &p, &l)
                         : graph_mutes(c->app, c->viewer->id, &p, &l)))
        return;
    accounts_page(c, &l, &p);
}

const api_route api_routes_accounts[] = {
    {M_POST, "/api/v1/accounts", accounts_create, EXEC_SLOW, AUTH_APP, "write:accounts"},
    {M_GET, "/api/v1/accounts/verify_credentials", verify_credentials, EXEC_READ, AUTH_USER,
     "profile"},
    /* a worker's: a picture sent along takes ~50 ms to make (app/avatars.h) */
    {M_PATCH, "/api/v1/accounts/update_credentials", update_credentials, EXEC_SLOW, AUTH_USER,
     "write:accounts"},
    {M_DELETE, "/api/v1/profile/avatar", profile_picture_delete, EXEC_SLOW, AUTH_USER,
     "write:accounts"},
    {M_DELETE, "/api/v1/profile/header", profile_picture_delete, EXEC_SLOW, AUTH_USER,
     "write:accounts"},
    {M_GET, "/api/v1/preferences", preferences, EXEC_READ, AUTH_USER, "read:accounts"},
    {M_GET, "/api/v1/accounts/lookup", account_lookup, EXEC_READ, AUTH_OPTIONAL, "read:accounts"},
    {M_GET, "/api/v1/accounts/relationships", relationships, EXEC_READ, AUTH_USER, "read:follows"},
    {M_GET, "/api/v1/accounts/:id", account_get, EXEC_READ, AUTH_OPTIONAL, "read:accounts"},
    {M_GET, "/api/v1/accounts/:id/statuses", account_statuses, EXEC_READ, AUTH_OPTIONAL,
     "read:statuses"},
    {M_GET, "/api/v1/accounts/:id/followers", account_followers, EXEC_READ, AUTH_OPTIONAL,
     "read:accounts"},
    {M_GET, "/api/v1/accounts/:id/following", account_followers, EXEC_READ, AUTH_OPTIONAL,
     "read:accounts"},
    {M_POST, "/api/v1/accounts/:id/follow", graph_action, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_POST, "/api/v1/accounts/:id/unfollow", graph_action, EXEC_WRITE, AUTH_USER, "write:follows"},
    {M_POST, "/api/v1/accounts/:id/block", graph_action, EXEC_WRITE, AUTH_USER, "write:blocks"},
    {M_POST, "/api/v1/accounts/:id/unblock", graph_action, EXEC_WRITE, AUTH_USER, "write:blocks"},
    {M_POST, "/api/v1/accounts/:id/mute", graph_action, EXEC_WRITE, AUTH_USER, "write:mutes"},
    {M_POST, "/api/v1/accounts/:id/unmute", graph_action, EXEC_WRITE, AUTH_USER, "write:mutes"},
    {M_GET, "/api/v1/blocks", blocks_or_mutes, EXEC_READ, AUTH_USER, "read:blocks"},
    {M_GET, "/api/v1/mutes", blocks_or_mutes, EXEC_READ, AUTH_USER, "read:mutes"},
    {0},
};
