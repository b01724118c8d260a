/**
 * config.h — every setting of partyline in one struct, with its documented default.
 *
 * Settings come from, in increasing priority: the defaults below, the INI file
 * (`--config FILE`), environment variables PARTYLINE_<KEY> (key upper-cased, e.g.
 * PARTYLINE_MAX_CHARACTERS), and command-line flags. partyline.example.ini documents each.
 * The struct is created by main and passed down read-only; nothing writes it afterwards.
 */
#ifndef PL_CONFIG_H
#define PL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pl_registrations { REG_OPEN, REG_APPROVAL, REG_CLOSED };
/** confirm_email: auto (the zero value) = only where allowed_domains is set. */
enum pl_confirm_email { CONFIRM_AUTO, CONFIRM_ON, CONFIRM_OFF };

typedef struct pl_config {
    /* [server] */
    char listen[128];        /**< host:port, default 127.0.0.1:8080 */
    char data_dir[1024];     /**< folder holding partyline.db, default ./data */
    char database[1024];     /**< postgres://… URL or SQLite file; empty = DATA/partyline.db */
    char base_url[256];      /**< public URL, default http://<listen> */
    char host[256];          /**< derived by config_finish: base_url's host[:port] */
    char instance_name[128]; /**< shown by /api/v1/instance, default "partyline" */
    char contact_email[128];
    int threads;            /**< event-loop threads; 0 = one per core */
    int workers;            /**< worker threads for password hashing (sign-ins); default 2 */
    int read_workers;       /**< worker threads for expensive reads (0: on the workers); 1 */
    int writers;            /**< write connections on PostgreSQL (SQLite: always 1); default 4 */
    int write_queue_max;    /**< writes waiting at most, then 503 (0: unbounded); 10000 */
    int slow_queue_max;     /**< worker jobs waiting at most, then 503 (0: unbounded); 500 */
    int slow_per_account;   /**< worker jobs of one account at once, then 429 (0: no cap); 4 */
    int slow_per_ip;        /**< … of one IP without a valid token, then 429 (0: no cap); 8 */
    int slow_read_offset;   /**< search/top pages this deep or deeper run on the workers; 40 */
    int avatar_cache_bytes; /**< avatars and headers (drawn or uploaded) kept in memory, per
                                 node; 16 MiB */
    int gzip_min_bytes;     /**< JSON answers this long or longer go gzip'd (0: never); 1024 */
    int node_id;            /**< 0..15, different on every node sharing one database; default 0 */
    bool public_read;       /**< may signed-out visitors read public posts? default false */
    bool http2_cleartext;   /**< HTTP/2 without TLS (prior knowledge, Upgrade: h2c); default true */
    int request_timeout;    /**< seconds an HTTP/1.1 request (headers and body) may take to arrive;
                               300 (h2o's own 10 s cut uploads on an ordinary link short) */
    char metrics_token[128]; /**< bearer token /metrics wants; empty (default) = /metrics off */
    /* [media] (src/media) */
    char media_store[16];        /**< where files' chunks go: "folder" (default) or "database" */
    char media_folder[1024];     /**< the folder backend's folder; empty = DATA/media */
    char media_master_key[1024]; /**< file of the master key; empty = DATA/media.key, made at
                                      the first start */
    /* [limits] */
    int max_body_bytes;           /**< request body limit, default 1 MiB */
    int max_characters;           /**< status text limit, default 5000 */
    int max_spoiler_characters;   /**< content warning limit, default 500 */
    int max_profile_fields;       /**< default 4 */
    int max_field_characters;     /**< name and value of a profile field, default 255 */
    int max_display_name;         /**< default 30 */
    int max_note;                 /**< profile bio, default 500 */
    int max_mentions;             /**< per status, default 50 */
    int max_tags;                 /**< per status, default 50 */
    int max_list_ids;             /**< ids in one request (relationships?id[]), default 100 */
    int max_channels;             /**< channels one person may create, default 50 */
    int max_channel_pins;         /**< pinned announcements per channel, default 5 */
    int max_list_sources;         /**< channels and hashtags of one list, default 50 */
    int max_lists;                /**< lists one person may have, default 100 */
    int max_list_members;         /**< accounts in one list, default 1000 */
    int max_list_title;           /**< characters in a list's title, default 100 */
    int max_unread_count;         /**< unread items are counted up to it, default 1000 */
    int max_channel_unread;       /**< a channel's unread posts counted up to it, default 99 */
    int max_filters;              /**< filters one person may have, default 50 */
    int max_filter_title;         /**< characters in a filter's title, default 256 */
    int max_filter_keywords;      /**< keywords in one filter, default 50 */
    int max_filter_keyword;       /**< characters in one keyword, default 100 */
    int max_filter_statuses;      /**< statuses in one filter, default 100 */
    int max_followed_tags;        /**< hashtags one person may follow, default 100 */
    int max_pins;                 /**< statuses pinned to one profile, default 5 */
    int max_mute_duration;        /**< longest timed mute, in seconds; default 31536000 (a year) */
    int max_search_query;         /**< characters in a search's q, default 500 */
    int max_search_offset;        /**< a search's offset parameter, default 10000 */
    int search_rank_candidates;   /**< matches a ranked search scores (the newest), default 1000 */
    int max_directory_offset;     /**< the profile directory's offset parameter, default 10000 */
    int suggestions_candidates;   /**< rows a suggestion source reads at most, default 200 */
    int max_familiar_ids;         /**< ids in one familiar_followers request, default 20 */
    int max_familiar_accounts;    /**< familiar followers answered per id, default 40 */
    int max_featured_tags;        /**< hashtags one person may feature, default 10 */
    int media_picture_max_bytes;  /**< an uploaded picture as sent, default 16 MiB */
    int media_file_max_bytes;     /**< any other uploaded file, default 100 MiB */
    int avatar_max_bytes;         /**< an avatar or header as sent (update_credentials, a
                                       channel's pictures), default 2 MiB as Mastodon */
    int media_max_pixels;         /**< a picture's pixels (× frames), read from its header
                                       before decoding; default 33177600 (7680×4320) */
    int max_media_attachments;    /**< files one post may carry, default 4 (Mastodon's) */
    int media_description_max;    /**< characters of a file's alt text, default 1500 */
    int media_quota_mb;           /**< MiB one person's uploads may take, default 10240; 0: none */
    int media_url_seconds;        /**< a file address signed for a viewer lasts up to this long
                                       (and at least half of it), default 86400 */
    int media_unattached_seconds; /**< an upload no post took is removed after, default 86400 */
    int top_max_candidates;       /**< posts a top feed ranks at most, default 1000 */
    int top_max_offset;           /**< largest offset into a ranked feed, default 400 */
    int trends_statuses_hours;    /**< trending posts are this recent, default 24 */
    int catchup_max_items;        /**< items in one catch-up, default 30 */
    int catchup_max_days;         /**< a catch-up looks back at most this far, default 7 */
    int catchup_reading_minutes;  /**< a catch-up is cut to this reading time, default 10 */
    int catchup_words_per_minute; /**< reading speed for that estimate, default 200 */
    int poll_max_options;         /**< options in a poll, default 4 */
    int poll_max_characters_per_option; /**< characters in one poll option, default 50 */
    int poll_min_expiration;            /**< shortest poll, in seconds, default 300 */
    int poll_max_expiration;            /**< longest poll, in seconds, default 2629746 (a month) */
    int rate_limit_token;               /**< requests per window per token; 0 = off; default 3000 */
    int rate_limit_ip;             /**< requests per window per IP without a token; default 7500 */
    int rate_limit_window;         /**< seconds, default 300 */
    int rate_limit_apps;           /**< app registrations per window per IP; 0 = off; default 300 */
    int max_app_name;              /**< characters in an app's client_name, default 60 */
    int max_app_redirect_uris;     /**< characters in an app's redirect_uris (all), default 2000 */
    int max_app_website;           /**< characters in an app's website, default 2000 */
    int max_app_scopes;            /**< characters in an app's scopes, default 500 */
    int app_prune_after;           /**< seconds after which a never-used app is deleted; 0 = never;
                                        default 86400 */
    int signin_window;             /**< seconds over which sign-in failures count, default 900 */
    int signin_account_slow_after; /**< failures of one account before waits, default 5 */
    int signin_account_max;        /**< failures of one account before refusal, default 20 */
    int signin_ip_slow_after;      /**< failures from one IP before waits, default 50 */
    int signin_ip_max;             /**< failures from one IP before refusal, default 200 */
    int signin_max_delay;          /**< longest wait between attempts, seconds, default 60 */
    int password_hash_memory;      /**< KiB argon2id takes to hash a password (two passes);
                                        default 65536 (libsodium's "interactive"), 8 to 4194304;
                                        lower only for tests: it is what makes guessing dear */
    char trusted_proxies[512];     /**< comma-separated IPs whose X-Forwarded-For is believed */

    /* [scheduled posts] */
    int max_scheduled_statuses;       /**< posts one person may have scheduled, default 300 */
    int max_scheduled_statuses_daily; /**< … to be published on one UTC day, default 25 */
    int scheduled_min_lead;           /**< seconds ahead a post may be scheduled, default 300 */

    /* [reports] */
    int max_report_comment;  /**< characters in a report's comment, default 1000 (Mastodon's) */
    int max_report_statuses; /**< posts one report may name, default 20 */
    int reports_per_hour;    /**< reports one person may file in an hour, default 10 */

    /* [announcements and the server's own texts] */
    int max_announcements;               /**< announcements not yet ended at once, default 20 */
    int max_announcement_characters;     /**< characters in an announcement, default 5000 */
    char rules_file[512];                /**< the server's rules, one a line; empty = none */
    char extended_description_file[512]; /**< the longer "about" text, written like a post;
                                              empty = none */

    /* [registrations] */
    int registrations;           /**< enum pl_registrations, default open */
    char allowed_domains[512];   /**< comma-separated e-mail domains; empty = any */
    int registration_reason_max; /**< characters in the reason for joining, default 500 */
    int confirm_email;           /**< enum pl_confirm_email: new accounts work only once their
                                      address is confirmed by a link sent to it; default auto
                                      (on exactly when allowed_domains is set) */
    int confirm_email_hours;     /**< a confirmation link works this long, default 24 */
    int default_visibility;      /**< a new person's default audience for their posts (a
                                      PL_VIS_* of store/model.h: company, public, unlisted or
                                      private); default company */
    int confirm_resend_every;    /**< seconds between two sends of the link to one account
                                      (POST /api/v1/emails/confirmations answers 429 sooner);
                                      default 60, 0 = no wait */
    int audit_retention_days;    /**< audit rows older than this many days are pruned; 0 = kept */
    int archive_keep_days;       /**< a built archive or export is deleted after this many days
                                      (default 7, at least 1) */
    int archive_every_days;      /**< a person may ask for their archive once in this many days
                                      (default 7, 0 = whenever none is being made) */
    int retention_interval_minutes; /**< minutes between two background retention runs (app/
                                         retention.h); default 60, 0 = none (the command
                                         line's `admin retention run` only) */
    int feeds_poll_seconds;    /**< seconds between two looks for the listening feeds that are due
                                    (app/feed_sources.h); default 60, 0 = none (the command
                                    line's `admin feeds refresh` only), at most 86400 */
    bool feeds_allow_loopback; /**< fetch feeds from this machine's own addresses (127.0.0.0/8,
                                    ::1); default false (feeds/feeds.h feeds_address_refused) */
    int listen_poll_ms; /**< listening's matcher: at most this many ms between two looks for new
                             posts and feed items (it is also woken by each post this node
                             writes); default 2000, 0 = no matching, at most 60000 */
    int influence_window_days;    /**< influence counts the signals of this many days (90) */
    int influence_half_life_days; /**< a signal this many days old counts half (30) */
    int influence_history_days;   /**< days of each person's influence history kept (400) */
    int influence_hour;   /**< the UTC hour from which a node computes the day's influence (3) */
    bool influence_daily; /**< false: never in the background (the command line's recompute) */
    /** Tickets' targets (app/tickets.h), in minutes after the ticket opened, per priority: the
     *  team's first answer (response) and its resolution. */
    int ticket_response_minutes_low, ticket_response_minutes_normal, ticket_response_minutes_high,
        ticket_response_minutes_urgent;
    int ticket_resolution_minutes_low, ticket_resolution_minutes_normal,
        ticket_resolution_minutes_high, ticket_resolution_minutes_urgent;
    int ticket_warning_percent; /**< a target this much spent is a coming breach (80) */
    int unconfirmed_expire;     /**< seconds after which an account never confirmed is
                                     deleted (its username free again); default 7 days,
                                     0 = never */
    /* [mail] */
    char smtp_url[512];      /**< the relay: smtp://host:port or smtps://host:port; empty = no
                                  mail (then confirm_email cannot be on) */
    char smtp_from[254];     /**< the sender's address; default noreply@<host of base_url> */
    char smtp_user[256];     /**< AUTH user at the relay; empty = no authentication */
    char smtp_password[256]; /**< AUTH password */
    bool smtp_starttls;      /**< require STARTTLS on smtp:// (smtps:// is always TLS) */
    int smtp_timeout;        /**< seconds for one message's exchange with the relay, default 30 */
    int mail_retry_seconds;  /**< wait after a first failed try, doubling after each further
                                  one up to an hour; default 30 */
    int mail_max_attempts;   /**< tries before a message is given up (logged), default 12:
                                  with the default waits, about 5 hours in all */
    /* [timeline] */
    int fanout_threshold; /**< authors with more followers are merged on read; default 2000 */
    int timeline_keep;    /**< materialized entries kept per home feed, default 800 */
    int fanout_inline;    /**< authors with at most this many followers are fanned out
                               inside the post's own transaction; above it, by the writer's
                               fan-out queue right after; default 16 */
    /* [streaming] */
    int stream_max_buffer;      /**< bytes waiting for one streaming client before it is
                                     dropped, default 262144 */
    int stream_max_message;     /**< bytes of one message a WebSocket client sends (a larger
                                     one closes the connection with 1009), default 65536 */
    int stream_max_connections; /**< streaming connections per node, default 10000 */
    int stream_max_per_account; /**< streaming connections per account, default 50 */
    int stream_heartbeat;       /**< seconds of silence before a heartbeat, default 30 */
} pl_config;

/** Fills cfg with the defaults. */
void config_defaults(pl_config *cfg);

/**
 * Reads an INI file into cfg (only keys present change). Returns 0, or -1 with a message
 * in err (cap bytes) if the file cannot be read or has an unknown key or a bad value.
 */
int config_load_file(pl_config *cfg, const char *path, char *err, size_t cap);

/** Applies PARTYLINE_* environment variables. Returns 0 or -1 with a message in err. */
int config_load_env(pl_config *cfg, char *err, size_t cap);

/** Sets one key (as in the INI file, without section) from text. 0 or -1 with message. */
int config_set(pl_config *cfg, const char *key, const char *value, char *err, size_t cap);

/** Derives settings that depend on others (base_url from listen). Call after loading. */
void config_finish(pl_config *cfg);

/** True when new accounts must confirm their e-mail address (confirm_email, allowed_domains). */
bool config_confirms_email(const pl_config *cfg);

/**
 * Checks what `serve` needs of the mail settings: confirming addresses needs smtp_url (and a
 * usable smtp_from). 0, or -1 with a message in err.
 */
int config_check_mail(const pl_config *cfg, char *err, size_t cap);

/**
 * What db_open takes for this configuration: `database` if set (a postgres:// or
 * postgresql:// URL, or a SQLite file), else the SQLite file DATA/partyline.db.
 */
void config_database_target(const pl_config *cfg, char *out, size_t cap);

/** True when the configured database is a PostgreSQL server. */
bool config_database_is_postgres(const pl_config *cfg);

#endif
