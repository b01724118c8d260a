/*
 * config.c — defaults, INI file (inih) and PARTYLINE_* environment overrides.
 *
 * One table describes every key: its name, its kind and where it lives in pl_config.
 * The INI loader, the environment loader and --flags all go through config_set(), so a
 * key cannot be known to one and unknown to another. Section names in the file are for
 * people; keys are unique across sections.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/model.h"

enum kind { K_STR, K_INT, K_BOOL, K_REG, K_CONFIRM, K_VIS };

static const struct key {
    const char *name;
    enum kind kind;
    size_t off, size;
} keys[] = {
#define S(f) #f, K_STR, offsetof(pl_config, f), sizeof(((pl_config *)0)->f)
#define I(f) #f, K_INT, offsetof(pl_config, f), 0
#define B(f) #f, K_BOOL, offsetof(pl_config, f), 0
    {S(listen)},
    {"data", K_STR, offsetof(pl_config, data_dir), sizeof(((pl_config *)0)->data_dir)},
    {S(database)},
    {S(base_url)},
    {S(instance_name)},
    {S(contact_email)},
    {I(threads)},
    {I(workers)},
    {I(read_workers)},
    {I(writers)},
    {I(write_queue_max)},
    {I(slow_queue_max)},
    {I(slow_per_account)},
    {I(slow_per_ip)},
    {I(slow_read_offset)},
    {I(avatar_cache_bytes)},
    {I(gzip_min_bytes)},
    {I(node_id)},
    {B(public_read)},
    {B(http2_cleartext)},
    {I(request_timeout)},
    {S(metrics_token)},
    {S(media_store)},
    {S(media_folder)},
    {S(media_master_key)},
    {I(max_body_bytes)},
    {I(media_picture_max_bytes)},
    {I(avatar_max_bytes)},
    {I(media_file_max_bytes)},
    {I(media_max_pixels)},
    {I(max_media_attachments)},
    {I(media_description_max)},
    {I(media_quota_mb)},
    {I(media_url_seconds)},
    {I(media_unattached_seconds)},
    {I(max_characters)},
    {I(max_spoiler_characters)},
    {I(max_profile_fields)},
    {I(max_field_characters)},
    {I(max_display_name)},
    {I(max_note)},
    {I(max_mentions)},
    {I(max_tags)},
    {I(max_list_ids)},
    {I(max_channels)},
    {I(max_channel_pins)},
    {I(max_list_sources)},
    {I(max_lists)},
    {I(max_list_members)},
    {I(max_list_title)},
    {I(max_unread_count)},
    {I(max_channel_unread)},
    {I(max_filters)},
    {I(max_filter_title)},
    {I(max_filter_keywords)},
    {I(max_filter_keyword)},
    {I(max_filter_statuses)},
    {I(max_followed_tags)},
    {I(max_pins)},
    {I(max_scheduled_statuses)},
    {I(max_scheduled_statuses_daily)},
    {I(scheduled_min_lead)},
    {I(max_report_comment)},
    {I(max_report_statuses)},
    {I(reports_per_hour)},
    {I(max_announcements)},
    {I(max_announcement_characters)},
    {S(rules_file)},
    {S(extended_description_file)},
    {I(max_mute_duration)},
    {I(max_search_query)},
    {I(max_search_offset)},
    {I(search_rank_candidates)},
    {I(max_directory_offset)},
    {I(suggestions_candidates)},
    {I(max_familiar_ids)},
    {I(max_familiar_accounts)},
    {I(max_featured_tags)},
    {I(top_max_candidates)},
    {I(top_max_offset)},
    {I(trends_statuses_hours)},
    {I(catchup_max_items)},
    {I(catchup_max_days)},
    {I(catchup_reading_minutes)},
    {I(catchup_words_per_minute)},
    {I(poll_max_options)},
    {I(poll_max_characters_per_option)},
    {I(poll_min_expiration)},
    {I(poll_max_expiration)},
    {I(rate_limit_token)},
    {I(rate_limit_ip)},
    {I(rate_limit_window)},
    {I(rate_limit_apps)},
    {I(max_app_name)},
    {I(max_app_redirect_uris)},
    {I(max_app_website)},
    {I(max_app_scopes)},
    {I(app_prune_after)},
    {I(signin_window)},
    {I(signin_account_slow_after)},
    {I(signin_account_max)},
    {I(signin_ip_slow_after)},
    {I(signin_ip_max)},
    {I(signin_max_delay)},
    {I(password_hash_memory)},
    {S(trusted_proxies)},
    {"registrations", K_REG, offsetof(pl_config, registrations), 0},
    {S(allowed_domains)},
    {I(registration_reason_max)},
    {"confirm_email", K_CONFIRM, offsetof(pl_config, confirm_email), 0},
    {I(confirm_email_hours)},
    {"default_visibility", K_VIS, offsetof(pl_config, default_visibility), 0},
    {I(confirm_resend_every)},
    {I(unconfirmed_expire)},
    {I(audit_retention_days)},
    {I(archive_keep_days)},
    {I(archive_every_days)},
    {I(retention_interval_minutes)},
    {I(feeds_poll_seconds)},
    {B(feeds_allow_loopback)},
    {I(listen_poll_ms)},
    {I(influence_window_days)},
    {I(influence_half_life_days)},
    {I(influence_history_days)},
    {I(influence_hour)},
    {B(influence_daily)},
    {I(ticket_response_minutes_low)},
    {I(ticket_response_minutes_normal)},
    {I(ticket_response_minutes_high)},
    {I(ticket_response_minutes_urgent)},
    {I(ticket_resolution_minutes_low)},
    {I(ticket_resolution_minutes_normal)},
    {I(ticket_resolution_minutes_high)},
    {I(ticket_resolution_minutes_urgent)},
    {I(ticket_warning_percent)},
    {S(smtp_url)},
    {S(smtp_from)},
    {S(smtp_user)},
    {S(smtp_password)},
    {B(smtp_starttls)},
    {I(smtp_timeout)},
    {I(mail_retry_seconds)},
    {I(mail_max_attempts)},
    {I(fanout_threshold)},
    {I(timeline_keep)},
    {I(fanout_inline)},
    {I(stream_max_buffer)},
    {I(stream_max_message)},
    {I(stream_max_connections)},
    {I(stream_max_per_account)},
    {I(stream_heartbeat)},
#undef S
#undef I
#undef B
};

void config_defaults(pl_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "./data");
    snprintf(cfg->media_store, sizeof cfg->media_store, "folder");
    snprintf(cfg->instance_name, sizeof cfg->instance_name, "partyline");
    cfg->workers = 2;
    cfg->read_workers = 1;
    cfg->writers = 4;
    cfg->write_queue_max = 10000;
    cfg->slow_queue_max = 500;
    cfg->slow_per_account = 4;
    cfg->slow_per_ip = 8;
    cfg->slow_read_offset = 40;
    cfg->avatar_cache_bytes = 16 << 20;
    cfg->gzip_min_bytes = 1024;
    cfg->max_body_bytes = 1 << 20;
    cfg->media_picture_max_bytes = 16 << 20;
    cfg->avatar_max_bytes = 2 << 20;
    cfg->media_file_max_bytes = 100 << 20;
    cfg->media_max_pixels = 7680 * 4320;
    cfg->max_media_attachments = 4;
    cfg->media_description_max = 1500;
    cfg->media_quota_mb = 10240;
    cfg->media_url_seconds = 86400;
    cfg->media_unattached_seconds = 86400;
    cfg->max_characters = 5000;
    cfg->max_spoiler_characters = 500;
    cfg->max_profile_fields = 4;
    cfg->max_field_characters = 255;
    cfg->max_display_name = 30;
    cfg->max_note = 500;
    cfg->max_mentions = 50;
    cfg->max_tags = 50;
    cfg->max_list_ids = 100;
    cfg->max_channels = 50;
    cfg->max_channel_pins = 5;
    cfg->max_list_sources = 50;
    cfg->max_lists = 100;
    cfg->max_list_members = 1000;
    cfg->max_list_title = 100;
    cfg->max_unread_count = 1000;
    cfg->max_channel_unread = 99;
    cfg->max_filters = 50;
    cfg->max_filter_title = 256;
    cfg->max_filter_keywords = 50;
    cfg->max_filter_keyword = 100;
    cfg->max_filter_statuses = 100;
    cfg->max_followed_tags = 100;
    cfg->max_pins = 5;
    cfg->max_scheduled_statuses = 300;
    cfg->max_scheduled_statuses_daily = 25;
    cfg->scheduled_min_lead = 300;
    cfg->max_report_comment = 1000;
    cfg->max_report_statuses = 20;
    cfg->reports_per_hour = 10;
    cfg->max_announcements = 20;
    cfg->max_announcement_characters = 5000;
    cfg->max_mute_duration = 365 * 24 * 3600;
    cfg->http2_cleartext = true;
    cfg->request_timeout = 300;
    cfg->max_search_query = 500;
    cfg->max_search_offset = 10000;
    cfg->search_rank_candidates = 1000;
    cfg->max_directory_offset = 10000;
    cfg->suggestions_candidates = 200;
    cfg->max_familiar_ids = 20;
    cfg->max_familiar_accounts = 40;
    cfg->max_featured_tags = 10;
    cfg->top_max_candidates = 1000;
    cfg->top_max_offset = 400;
    cfg->trends_statuses_hours = 24;
    cfg->catchup_max_items = 30;
    cfg->catchup_max_days = 7;
    cfg->catchup_reading_minutes = 10;
    cfg->catchup_words_per_minute = 200;
    cfg->poll_max_options = 4;
    cfg->poll_max_characters_per_option = 50;
    cfg->poll_min_expiration = 300;
    cfg->poll_max_expiration = 2629746;
    cfg->rate_limit_token = 3000;
    cfg->rate_limit_ip = 7500;
    cfg->rate_limit_window = 300;
    cfg->rate_limit_apps = 300;
    cfg->max_app_name = 60;
    cfg->max_app_redirect_uris = 2000;
    cfg->max_app_website = 2000;
    cfg->max_app_scopes = 500;
    cfg->app_prune_after = 86400;
    cfg->signin_window = 900;
    cfg->signin_account_slow_after = 5;
    cfg->signin_account_max = 20;
    cfg->signin_ip_slow_after = 50;
    cfg->signin_ip_max = 200;
    cfg->signin_max_delay = 60;
    cfg->password_hash_memory = 65536;
    cfg->registrations = REG_OPEN;
    cfg->registration_reason_max = 500;
    cfg->confirm_email = CONFIRM_AUTO;
    cfg->confirm_email_hours = 24;
    cfg->default_visibility = PL_VIS_COMPANY;
    cfg->confirm_resend_every = 60;
    cfg->unconfirmed_expire = 7 * 24 * 3600;
    cfg->archive_keep_days = 7;
    cfg->archive_every_days = 7;
    cfg->retention_interval_minutes = 60;
    cfg->feeds_poll_seconds = 60;
    cfg->listen_poll_ms = 2000;
    cfg->influence_window_days = 90;
    cfg->influence_half_life_days = 30;
    cfg->influence_history_days = 400;
    cfg->influence_hour = 3;
    cfg->influence_daily = true;
    cfg->ticket_response_minutes_low = 24 * 60;
    cfg->ticket_response_minutes_normal = 8 * 60;
    cfg->ticket_response_minutes_high = 2 * 60;
    cfg->ticket_response_minutes_urgent = 30;
    cfg->ticket_resolution_minutes_low = 7 * 24 * 60;
    cfg->ticket_resolution_minutes_normal = 3 * 24 * 60;
    cfg->ticket_resolution_minutes_high = 24 * 60;
    cfg->ticket_resolution_minutes_urgent = 4 * 60;
    cfg->ticket_warning_percent = 80;
    cfg->smtp_timeout = 30;
    cfg->mail_retry_seconds = 30;
    cfg->mail_max_attempts = 12;
    cfg->fanout_threshold = 2000;
    cfg->timeline_keep = 800;
    cfg->fanout_inline = 16;
    cfg->stream_max_buffer = 256 * 1024;
    cfg->stream_max_message = 64 * 1024;
    cfg->stream_max_connections = 10000;
    cfg->stream_max_per_account = 50;
    cfg->stream_heartbeat = 30;
}

int config_set(pl_config *cfg, const char *key, const char *value, char *err, size_t cap)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        if (strcmp(k->name, key) != 0) continue;
        char *field = (char *)cfg + k->off;
        switch (k->kind) {
        case K_STR:
            if (strlen(value) >= k->size) {
                snprintf(err, cap, "%s: value longer than %zu bytes", key, k->size - 1);
                return -1;
            }
            memcpy(field, value, strlen(value) + 1);
            return 0;
        case K_INT: {
            char *end;
            errno = 0;
            long v = strtol(value, &end, 10);
            if (errno || end == value || *end || v < 0 || v > 1000000000) {
                snprintf(err, cap, "%s: expected a whole number >= 0, got \"%s\"", key, value);
                return -1;
            }
            *(int *)field = (int)v;
            return 0;
        }
        case K_BOOL:
            if (!strcasecmp(value, "true") || !strcmp(value, "1") || !strcasecmp(value, "yes"))
                *(bool *)field = true;
            else if (!strcasecmp(value, "false") || !strcmp(value, "0") || !strcasecmp(value, "no"))
                *(bool *)field = false;
            else {
                snprintf(err, cap, "%s: expected true or false, got \"%s\"", key, value);
                return -1;
            }
            return 0;
        case K_REG:
            if (!strcasecmp(value, "open"))
                *(int *)field = REG_OPEN;
            else if (!strcasecmp(value, "approval"))
                *(int *)field = REG_APPROVAL;
            else if (!strcasecmp(value, "closed"))
                *(int *)field = REG_CLOSED;
            else {
                snprintf(err, cap, "%s: expected open, approval or closed, got \"%s\"", key, value);
                return -1;
            }
            return 0;
        case K_CONFIRM:
            if (!strcasecmp(value, "auto"))
                *(int *)field = CONFIRM_AUTO;
            else if (!strcasecmp(value, "true") || !strcmp(value, "1") || !strcasecmp(value, "yes"))
                *(int *)field = CONFIRM_ON;
            else if (!strcasecmp(value, "false") || !strcmp(value, "0") || !strcasecmp(value, "no"))
                *(int *)field = CONFIRM_OFF;
            else {
                snprintf(err, cap, "%s: expected auto, true or false, got \"%s\"", key, value);
                return -1;
            }
            return 0;
        case K_VIS:
            if (!strcasecmp(value, "company"))
                *(int *)field = PL_VIS_COMPANY;
            else if (!strcasecmp(value, "public"))
                *(int *)field = PL_VIS_PUBLIC;
            else if (!strcasecmp(value, "unlisted"))
                *(int *)field = PL_VIS_UNLISTED;
            else if (!strcasecmp(value, "private"))
                *(int *)field = PL_VIS_PRIVATE;
            else {
                snprintf(err, cap, "%s: expected company, public, unlisted or private, got \"%s\"",
                         key, value);
                return -1;
            }
            return 0;
        }
    }
    snprintf(err, cap, "unknown setting \"%s\"", key);
    return -1;
}

struct ini_ctx {
    pl_config *cfg;
    char *err;
    size_t cap;
    int failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    (void)section;
    struct ini_ctx *c = user;
    if (c->failed) return 0;
    if (config_set(c->cfg, name, value, c->err, c->cap) != 0) {
        c->failed = 1;
        return 0;
    }
    return 1;
}

int config_load_file(pl_config *cfg, const char *path, char *err, size_t cap)
{
    struct ini_ctx c = {cfg, err, cap, 0};
    int rc = ini_parse(path, on_ini, &c);
    if (rc == -1) {
        snprintf(err, cap, "cannot open config file %s", path);
        return -1;
    }
    if (c.failed) return -1;
    if (rc != 0) {
        snprintf(err, cap, "%s: syntax error on line %d", path, rc);
        return -1;
    }
    return 0;
}

int config_load_env(pl_config *cfg, char *err, size_t cap)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char var[64] = "PARTYLINE_";
        size_t n = strlen(var);
        for (const char *p = keys[i].name; *p && n < sizeof var - 1; p++)
            var[n++] = (char)toupper((unsigned char)*p);
        var[n] = '\0';
        const char *v = getenv(var);
        if (v && config_set(cfg, keys[i].name, v, err, cap) != 0) return -1;
    }
    return 0;
}

void config_database_target(const pl_config *cfg, char *out, size_t cap)
{
    if (cfg->database[0])
        snprintf(out, cap, "%s", cfg->database);
    else
        snprintf(out, cap, "%s/partyline.db", cfg->data_dir);
}

bool config_database_is_postgres(const pl_config *cfg)
{
    return !strncmp(cfg->database, "postgres://", 11) ||
           !strncmp(cfg->database, "postgresql://", 13);
}

void config_finish(pl_config *cfg)
{
    if (!cfg->base_url[0]) snprintf(cfg->base_url, sizeof cfg->base_url, "http://%s", cfg->listen);
    size_t n = strlen(cfg->base_url);
    while (n > 0 && cfg->base_url[n - 1] == '/') cfg->base_url[--n] = '\0';
    const char *h = strstr(cfg->base_url, "://");
    h = h ? h + 3 : cfg->base_url;
    snprintf(cfg->host, sizeof cfg->host, "%.*s", (int)strcspn(h, "/"), h);
    /* a stream needs room for one message and a heartbeat now and then */
    if (cfg->stream_max_buffer < 4096) cfg->stream_max_buffer = 4096;
    /* a subscribe command is a few hundred bytes */
    if (cfg->stream_max_message < 1024) cfg->stream_max_message = 1024;
    if (cfg->stream_heartbeat < 1) cfg->stream_heartbeat = 1;
    if (!cfg->smtp_from[0]) {
        /* noreply@ the public host without its port */
        snprintf(cfg->smtp_from, sizeof cfg->smtp_from, "noreply@%.*s",
                 (int)strcspn(cfg->host, ":"), cfg->host);
    }
    /* counting windows are at least a second long */
    if (cfg->rate_limit_window < 1) cfg->rate_limit_window = 1;
    if (cfg->scheduled_min_lead < 1) cfg->scheduled_min_lead = 1;
    if (cfg->signin_window < 1) cfg->signin_window = 1;
    /* argon2id's own bounds are wider; past 4 GiB a sign-up would only fail */
    if (cfg->password_hash_memory < 8) cfg->password_hash_memory = 8;
    if (cfg->password_hash_memory > 4194304) cfg->password_hash_memory = 4194304;
    if (cfg->confirm_email_hours < 1) cfg->confirm_email_hours = 1;
    if (cfg->confirm_resend_every < 0) cfg->confirm_resend_every = 0;
    if (cfg->unconfirmed_expire < 0) cfg->unconfirmed_expire = 0;
    if (cfg->audit_retention_days < 0) cfg->audit_retention_days = 0;
    if (cfg->archive_keep_days < 1) cfg->archive_keep_days = 1;
    if (cfg->archive_every_days < 0) cfg->archive_every_days = 0;
    if (cfg->retention_interval_minutes < 0) cfg->retention_interval_minutes = 0;
    if (cfg->request_timeout < 1) cfg->request_timeout = 1;
    if (cfg->request_timeout > 3600) cfg->request_timeout = 3600;
    if (cfg->feeds_poll_seconds < 0) cfg->feeds_poll_seconds = 0;
    if (cfg->feeds_poll_seconds > 86400) cfg->feeds_poll_seconds = 86400;
    if (cfg->listen_poll_ms < 0) cfg->listen_poll_ms = 0;
    if (cfg->listen_poll_ms > 60000) cfg->listen_poll_ms = 60000;
    if (cfg->influence_window_days < 1) cfg->influence_window_days = 1;
    if (cfg->influence_window_days > 3650) cfg->influence_window_days = 3650;
    if (cfg->influence_half_life_days < 1) cfg->influence_half_life_days = 1;
    if (cfg->influence_history_days < 1) cfg->influence_history_days = 1;
    if (cfg->influence_hour > 23) cfg->influence_hour = 23;
    int *targets[] = {&cfg->ticket_response_minutes_low,    &cfg->ticket_response_minutes_normal,
                      &cfg->ticket_response_minutes_high,   &cfg->ticket_response_minutes_urgent,
                      &cfg->ticket_resolution_minutes_low,  &cfg->ticket_resolution_minutes_normal,
                      &cfg->ticket_resolution_minutes_high, &cfg->ticket_resolution_minutes_urgent};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
        if (*targets[i] < 1) *targets[i] = 1;
    if (cfg->ticket_warning_percent < 1) cfg->ticket_warning_percent = 1;
    if (cfg->ticket_warning_percent > 99) cfg->ticket_warning_percent = 99;
    if (cfg->mail_max_attempts < 1) cfg->mail_max_attempts = 1;
    if (cfg->mail_retry_seconds < 1) cfg->mail_retry_seconds = 1;
    if (cfg->avatar_cache_bytes < 0) cfg->avatar_cache_bytes = 0;
    if (cfg->gzip_min_bytes < 0) cfg->gzip_min_bytes = 0;
    /* each count reads up to this many posts per channel, for every channel of a page */
    if (cfg->max_channel_unread > 1000) cfg->max_channel_unread = 1000;
    if (cfg->max_media_attachments < 0) cfg->max_media_attachments = 0;
    if (cfg->media_quota_mb < 0) cfg->media_quota_mb = 0;
    /* a signed address must outlive the page it is on for a while: half of it, at least 2 s */
    if (cfg->media_url_seconds < 4) cfg->media_url_seconds = 4;
    if (cfg->media_unattached_seconds < 1) cfg->media_unattached_seconds = 1;
    if (cfg->avatar_max_bytes < 1) cfg->avatar_max_bytes = 1;
    /* a ranked search scores at least one match */
    if (cfg->search_rank_candidates < 1) cfg->search_rank_candidates = 1;
    /* a suggestion source reads ten members of each channel it asks at least */
    if (cfg->suggestions_candidates < 10) cfg->suggestions_candidates = 10;
}

bool config_confirms_email(const pl_config *cfg)
{
    return cfg->confirm_email == CONFIRM_ON ||
           (cfg->confirm_email == CONFIRM_AUTO && cfg->allowed_domains[0]);
}

int config_check_mail(const pl_config *cfg, char *err, size_t cap)
{
    if (!config_confirms_email(cfg)) return 0;
    if (!cfg->smtp_url[0]) {
        snprintf(err, cap,
                 "new accounts must confirm their e-mail address (confirm_email = %s%s), so "
                 "smtp_url must name the mail relay (or set confirm_email = false)",
                 cfg->confirm_email == CONFIRM_ON ? "true" : "auto",
                 cfg->confirm_email == CONFIRM_ON ? "" : ", and allowed_domains is set");
        return -1;
    }
    if (strncasecmp(cfg->smtp_url, "smtp://", 7) && strncasecmp(cfg->smtp_url, "smtps://", 8)) {
        snprintf(err, cap, "smtp_url must start with smtp:// or smtps://, got \"%s\"",
                 cfg->smtp_url);
        return -1;
    }
    const char *at = strchr(cfg->smtp_from, '@');
    if (!at || !strchr(at, '.') || strpbrk(cfg->smtp_from, " <>\"\r\n")) {
        snprintf(err, cap, "smtp_from must be an e-mail address (local@domain), got \"%s\"",
                 cfg->smtp_from);
        return -1;
    }
    return 0;
}
