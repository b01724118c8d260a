/*
 * instance.c — /api/v1/instance, /api/v2/instance and NodeInfo 2.0.
 * docs.joinmastodon.org/methods/instance; nodeinfo.diaspora.software/protocol
 */
#include <string.h>

#include "api/handlers.h"
#include "app/about.h"
#include "app/accounts.h"

#define PL_VERSION "0.1.0"
/* Mastodon clients read the version to guess features: claim the API level we follow. */
#define API_LEVEL "4.3.0 (compatible; partyline " PL_VERSION ")"
/* Mastodon 4.3's machine-readable level (entities/Instance#api-versions): 4.3.0 is 2. */
enum { MASTO_API_VERSION = 2 };

static void limits(api_call *c, jw *w)
{
    const pl_config *cfg = c->app->cfg;
    jw_key(w, "statuses");
    jw_obj(w);
    jw_kint(w, "max_characters", cfg->max_characters);
    jw_kint(w, "max_media_attachments", cfg->max_media_attachments);
    jw_kint(w, "characters_reserved_per_url", 23);
    jw_obj_end(w);
    jw_key(w, "media_attachments");
    jw_obj(w);
    /* what apps offer in their pickers; any other file is kept too, as a document
     * (type "unknown"), its type always decided from its bytes */
    static const char *const mime_types[] = {
        "image/jpeg", "image/png",  "image/gif",       "image/webp",      "image/heic",
        "image/heif", "image/avif", "video/mp4",       "video/webm",      "video/quicktime",
        "audio/mpeg", "audio/ogg",  "audio/wav",       "audio/mp4",       "audio/flac",
        "text/plain", "text/csv",   "application/pdf", "application/zip",
    };
    jw_key(w, "supported_mime_types");
    jw_arr(w);
    for (size_t i = 0; i < sizeof mime_types / sizeof *mime_types; i++) jw_str(w, mime_types[i]);
    jw_arr_end(w);
    jw_kint(w, "description_limit", cfg->media_description_max);
    jw_kint(w, "image_size_limit", cfg->media_picture_max_bytes);
    jw_kint(w, "image_matrix_limit", cfg->media_max_pixels);
    jw_kint(w, "video_size_limit", cfg->media_file_max_bytes);
    jw_kint(w, "video_frame_rate_limit", 0);
    jw_kint(w, "video_matrix_limit", 0);
    jw_obj_end(w);
    jw_key(w, "polls");
    jw_obj(w);
    jw_kint(w, "max_options", cfg->poll_max_options);
    jw_kint(w, "max_characters_per_option", cfg->poll_max_characters_per_option);
    jw_kint(w, "min_expiration", cfg->poll_min_expiration);
    jw_kint(w, "max_expiration", cfg->poll_max_expiration);
    jw_obj_end(w);
}

/* The Rule entities (docs: entities/Rule): a rule's id is its place in rules_file. A file that
 * cannot be read gives no rules here (the instance still answers; /instance/rules says 500). */
static void rules_array(api_call *c, jw *w)
{
    const char **rules;
    int n;
    if (about_rules(c->app, &rules, &n)) n = 0;
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "id", arena_printf(c->app->a, "%d", i + 1));
        jw_kstr(w, "text", rules[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* The server's picture for link previews and apps' server pickers: web/thumbnail.png until
 * administrators can upload one (with pictures). */
static const char *thumbnail_url(api_call *c)
{
    return arena_printf(c->app->a, "%s/thumbnail.png", c->app->cfg->base_url);
}

/* Where apps open the stream (docs: urls.streaming_api in v1, configuration.urls.streaming in
 * v2): the public URL with its scheme made ws(s), without a path, as Mastodon's
 * streaming_api_base_url is; apps append /api/v1/streaming, which this server answers too. */
static const char *streaming_url(api_call *c)
{
    const char *base = c->app->cfg->base_url;
    if (!strncmp(base, "https://", 8)) return arena_printf(c->app->a, "wss://%s", base + 8);
    if (!strncmp(base, "http://", 7)) return arena_printf(c->app->a, "ws://%s", base + 7);
    return base;
}

static void instance_v1(api_call *c)
{
    const pl_config *cfg = c->app->cfg;
    int64_t users = 0, statuses = 0;
    if (failed(c, accounts_stats(c->app, &users, &statuses))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "uri", cfg->host);
    jw_kstr(&w, "title", cfg->instance_name);
    jw_kstr(&w, "short_description", "The company's own social network.");
    jw_kstr(&w, "description", "The company's own social network.");
    jw_kstr(&w, "email", cfg->contact_email);
    jw_kstr(&w, "version", API_LEVEL);
    jw_key(&w, "urls");
    jw_obj(&w);
    jw_kstr(&w, "streaming_api", streaming_url(c));
    jw_obj_end(&w);
    jw_key(&w, "stats");
    jw_obj(&w);
    jw_kint(&w, "user_count", users);
    jw_kint(&w, "status_count", statuses);
    jw_kint(&w, "domain_count", 0);
    jw_obj_end(&w);
    jw_kstr(&w, "thumbnail", thumbnail_url(c));
    jw_key(&w, "languages");
    jw_arr(&w);
    jw_str(&w, "en");
    jw_arr_end(&w);
    jw_kbool(&w, "registrations", cfg->registrations != REG_CLOSED);
    jw_kbool(&w, "approval_required", cfg->registrations == REG_APPROVAL);
    jw_kbool(&w, "invites_enabled", false);
    jw_key(&w, "configuration");
    jw_obj(&w);
    limits(c, &w);
    jw_obj_end(&w);
    jw_knull(&w, "contact_account");
    jw_key(&w, "rules");
    rules_array(c, &w);
    jw_obj_end(&w);
}

static void instance_v2(api_call *c)
{
    const pl_config *cfg = c->app->cfg;
    int64_t users = 0, statuses = 0;
    if (failed(c, accounts_stats(c->app, &users, &statuses))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kstr(&w, "domain", cfg->host);
    jw_kstr(&w, "title", cfg->instance_name);
    jw_kstr(&w, "version", API_LEVEL);
    jw_key(&w, "api_versions");
    jw_obj(&w);
    jw_kint(&w, "mastodon", MASTO_API_VERSION);
    jw_obj_end(&w);
    jw_kstr(&w, "source_url", "");
    jw_kstr(&w, "description", "The company's own social network.");
    jw_key(&w, "usage");
    jw_obj(&w);
    jw_key(&w, "users");
    jw_obj(&w);
    jw_kint(&w, "active_month", users);
    jw_obj_end(&w);
    jw_obj_end(&w);
    jw_key(&w, "thumbnail");
    jw_obj(&w);
    jw_kstr(&w, "url", thumbnail_url(c));
    jw_obj_end(&w);
    jw_key(&w, "languages");
    jw_arr(&w);
    jw_str(&w, "en");
    jw_arr_end(&w);
    jw_key(&w, "configuration");
    jw_obj(&w);
    jw_key(&w, "urls");
    jw_obj(&w);
    jw_kstr(&w, "streaming", streaming_url(c));
    jw_obj_end(&w);
    jw_key(&w, "accounts");
    jw_obj(&w);
    jw_kint(&w, "max_featured_tags", c->app->cfg->max_featured_tags);
    jw_kint(&w, "max_pinned_statuses", c->app->cfg->max_pins);
    jw_kint(&w, "max_profile_fields",
            c->app->cfg->max_profile_fields); /* ours: Mastodon has no such key */
    jw_obj_end(&w);
    limits(c, &w);
    jw_key(&w, "translation");
    jw_obj(&w);
    jw_kbool(&w, "enabled", false);
    jw_obj_end(&w);
    jw_obj_end(&w);
    jw_key(&w, "registrations");
    jw_obj(&w);
    jw_kbool(&w, "enabled", cfg->registrations != REG_CLOSED);
    jw_kbool(&w, "approval_required", cfg->registrations == REG_APPROVAL);
    jw_kbool(&w, "reason_required", false); /* Mastodon 4.4: the reason is optional here */
    /* ours: how long the reason may be (Mastodon has no such key) */
    jw_kint(&w, "reason_max_characters", cfg->registration_reason_max);
    jw_knull(&w, "message");
    jw_obj_end(&w);
    jw_key(&w, "contact");
    jw_obj(&w);
    jw_kstr(&w, "email", cfg->contact_email);
    jw_knull(&w, "account");
    jw_obj_end(&w);
    jw_key(&w, "rules");
    rules_array(c, &w);
    jw_obj_end(&w);
}

static void nodeinfo_links(api_call *c)
{
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_key(&w, "links");
    jw_arr(&w);
    jw_obj(&w);
    jw_kstr(&w, "rel", "http://nodeinfo.diaspora.software/ns/schema/2.0");
    jw_kstr(&w, "href", arena_printf(c->app->a, "%s/nodeinfo/2.0", c->app->cfg->base_url));
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
}

static void nodeinfo(api_call *c)
{
    int64_t users = 0, statuses = 0;
    if (failed(c, accounts_stats(c->app, &users, &statuses))) return;
    jw w;
    api_json(c, &w);
    c->resp->content_type =
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"";
    jw_obj(&w);
    jw_kstr(&w, "version", "2.0");
    jw_key(&w, "software");
    jw_obj(&w);
    jw_kstr(&w, "name", "partyline");
    jw_kstr(&w, "version", PL_VERSION);
    jw_obj_end(&w);
    jw_key(&w, "protocols");
    jw_arr(&w);
    jw_arr_end(&w);
    jw_key(&w, "services");
    jw_obj(&w);
    jw_key(&w, "outbound");
    jw_arr(&w);
    jw_arr_end(&w);
    jw_key(&w, "inbound");
    jw_arr(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_key(&w, "usage");
    jw_obj(&w);
    jw_key(&w, "users");
    jw_obj(&w);
    jw_kint(&w, "total", users);
    jw_obj_end(&w);
    jw_kint(&w, "localPosts", statuses);
    jw_obj_end(&w);
    jw_kbool(&w, "openRegistrations", c->app->cfg->registrations == REG_OPEN);
    jw_key(&w, "metadata");
    jw_obj(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);
}

static void rules(api_call *c)
{
    const char **v;
    int n;
    if (failed(c, about_rules(c->app, &v, &n))) return;
    jw w;
    api_json(c, &w);
    rules_array(c, &w);
}

/* docs: entities/ExtendedDescription. Without a file: empty content, and now as updated_at
 * (the entity always has a time). */
static void extended_description(api_call *c)
{
    const char *html;
    int64_t updated_at;
    if (failed(c, about_extended_description(c->app, &html, &updated_at))) return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_ktime(&w, "updated_at", updated_at ? updated_at : c->app->now);
    jw_kstr(&w, "content", html);
    jw_obj_end(&w);
}

/* GET /api/v1/custom_emojis: none until administrators can upload pictures. */
static void custom_emojis(api_call *c)
{
    jw w;
    api_json(c, &w);
    jw_arr(&w);
    jw_arr_end(&w);
}

const api_route api_routes_instance[] = {
    {M_GET, "/api/v1/instance", instance_v1, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/api/v2/instance", instance_v2, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/.well-known/nodeinfo", nodeinfo_links, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/nodeinfo/2.0", nodeinfo, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/api/v1/instance/rules", rules, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {M_GET, "/api/v1/instance/extended_description", extended_description, EXEC_READ, AUTH_NONE,
     SCOPE_NONE},
    {M_GET, "/api/v1/custom_emojis", custom_emojis, EXEC_READ, AUTH_NONE, SCOPE_NONE},
    {0},
};
