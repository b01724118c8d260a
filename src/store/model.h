/**
 * model.h — the plain records the store reads and writes and the layers above pass around.
 *
 * Strings in these records point into the arena the caller passed to the store function
 * that filled them; they live as long as that arena.
 */
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* The stored numbers of the visibilities, as macros so that the store's SQL predicates
 * (store/visibility.h) are spelled from the same definitions as the enum below. */
#define PL_VIS_PUBLIC 0
#define PL_VIS_UNLISTED 1
#define PL_VIS_PRIVATE 2
#define PL_VIS_DIRECT 3
#define PL_VIS_COMPANY 4
#define PL_VIS_LIST 5
#define PL_VIS_TICKET 6   /**< a ticket's thread: its requester and the service team */
#define PL_VIS_INTERNAL 7 /**< a ticket's work notes: the service team only */
#define PL_VIS_LAST                                                                                \
    PL_VIS_INTERNAL /**< the highest: store/visibility.h asserts it knows them all */

/** Who may see a post (app/audience.c decides). COMPANY: any signed-in member, never signed
 *  out; LIST: the people of one of the author's lists (pl_status.audience_list_id). */
enum pl_visibility {
    VIS_PUBLIC = PL_VIS_PUBLIC,
    VIS_UNLISTED = PL_VIS_UNLISTED,
    VIS_PRIVATE = PL_VIS_PRIVATE,
    VIS_DIRECT = PL_VIS_DIRECT,
    VIS_COMPANY = PL_VIS_COMPANY,
    VIS_LIST = PL_VIS_LIST,
    VIS_TICKET = PL_VIS_TICKET,
    VIS_INTERNAL = PL_VIS_INTERNAL,
};

typedef struct pl_field {
    const char *name, *value, *value_html;
} pl_field;

typedef struct pl_account {
    int64_t id;
    const char *username, *email, *display_name, *note, *note_html, *password_hash;
    const char *default_language;
    bool is_locked, is_bot, is_group, is_discoverable, is_disabled, is_approved, is_admin, is_big;
    int role;              /**< PL_ROLE_*; is_admin is role == PL_ROLE_ADMIN */
    bool is_silenced;      /**< a moderator's silence: its posts reach only its followers */
    bool is_suspended;     /**< a moderator's suspension: disabled, and it and its posts hidden */
    bool hide_collections; /**< followers/following lists are shown to the owner only */
    bool hide_boosts;      /**< the account's boosts are left out of its profile's posts */
    bool shows_influence;  /**< others may see its influence score (docs/influence.md) */
    bool is_unconfirmed;   /**< its e-mail address awaits confirmation (app/confirm.h); false,
                                the zero value, for every account made by other means */
    int default_privacy;
    bool default_sensitive;
    int default_content_type; /**< new posts' enum pl_content_type (app/render.h) */
    int fields_count;
    pl_field *fields; /**< loaded on demand (store_account_fields), else NULL */
    int64_t followers_count, following_count, statuses_count, last_status_at, created_at;
    int64_t avatar_file_id, header_file_id; /**< uploaded pictures (app/avatars.h); 0: none */
    const char *avatar_mime, *header_mime;  /**< their types; NULL when none */
} pl_account;

typedef struct pl_app {
    int64_t id;
    const char *name, *website, *redirect_uris, *scopes, *client_id, *client_secret;
    int64_t created_at;
} pl_app;

typedef struct pl_token {
    int64_t id, app_id, account_id; /**< account_id 0: an app-only token */
    const char *scopes;
    int64_t created_at;
} pl_token;

typedef struct pl_status {
    int64_t id, account_id, in_reply_to_id, in_reply_to_account_id, reblog_of_id;
    int visibility;
    const char *text, *content, *spoiler_text, *language;
    bool sensitive;
    int64_t app_id;
    int mentions_count, tags_count;
    int64_t replies_count, reblogs_count, favourites_count, created_at, edited_at;
    int64_t poll_id;          /**< its poll, 0 if none */
    int64_t channel_id;       /**< the channel it was shared to, 0 if none */
    bool channel_removed;     /**< taken out of its channel by a moderator */
    int64_t audience_list_id; /**< VIS_LIST: the author's list it is for */
    int content_type;         /**< how text is written: enum pl_content_type (app/render.h) */
    const char *plain_text;   /**< Markdown: the text as read (search, filters); else NULL */
    /** Read with the post, so that a page asks only about the posts they name (issue 17): it
     *  is a ticket's post (ticket_posts; the mark itself is read apart, it changes) and it
     *  has files (media_attachments). Whatever makes either true touches the post. */
    bool ticket_post, has_media;
} pl_status;

/** A channel: a group account and its settings (members are its followers). */
typedef struct pl_channel {
    int64_t id; /**< the group account's id */
    bool is_private, is_everyone;
    int posting; /**< enum pl_channel_posting */
    int64_t created_by, created_at;
} pl_channel;

enum pl_channel_posting { POSTING_MEMBERS = 0, POSTING_MODERATORS = 1 };
/** An account's role on the server (migration 053): a moderator and an administrator use the
 *  reports and accounts admin API; only an administrator sets roles and reads the audit log. */
#define PL_ROLE_USER 0
#define PL_ROLE_MODERATOR 1
#define PL_ROLE_ADMIN 2

enum pl_channel_role { ROLE_NONE = 0, ROLE_MODERATOR = 1, ROLE_OWNER = 2 };

typedef struct pl_status_edit {
    int64_t id, status_id;
    const char *text, *content, *spoiler_text;
    bool sensitive;
    int64_t created_at;
    const char **poll_options; /**< the poll's option titles at this revision */
    int n_poll_options;        /**< 0: no poll at this revision */
} pl_status_edit;

/** A poll and its options (Mastodon's Poll without the viewer's part). */
typedef struct pl_poll {
    int64_t id, status_id, account_id, expires_at, votes_count, voters_count, created_at;
    bool multiple, hide_totals, notified;
    int n_options;
    const char **titles;   /**< n_options titles, in order */
    int64_t *option_votes; /**< n_options counts */
} pl_poll;

/** A ticket (migration 058; app/tickets.h says what its numbers mean): a thread whose root is
 *  root_status_id. Times are milliseconds, 0 for none; assignee_id 0: nobody; team NULL: none. */
typedef struct pl_ticket {
    int64_t id, root_status_id, requester_id, assignee_id;
    int state, priority;
    const char *team;
    int64_t created_at, updated_at, first_response_at, resolved_at;
} pl_ticket;

/** A post of a ticket's thread: the ticket, and whether the server wrote it (a system entry). */
typedef struct pl_ticket_post {
    int64_t status_id;
    bool is_system;
    pl_ticket ticket;
} pl_ticket_post;

typedef struct pl_notification {
    int64_t id, account_id, from_account_id, status_id, created_at;
    int64_t channel_id; /**< the channel a partyline.channel_* notification is about; else 0 */
    int64_t report_id;  /**< the report an admin.report notification is about; else 0 */
    int64_t alert_id;   /**< the watch alert a partyline.alert notification is about; else 0 */
    const char *type;
    bool filtered; /**< held back by the recipient's policy (store/notify_policy.h) */
} pl_notification;

typedef struct pl_relationship {
    int64_t id;
    bool following, showing_reblogs, notifying, followed_by, blocking, blocked_by, muting,
        muting_notifications, requested, requested_by, domain_blocking, endorsed;
} pl_relationship;

typedef struct pl_marker {
    const char *timeline;
    int64_t last_read_id, version, updated_at;
} pl_marker;

/** Which replies a list timeline shows (Mastodon's replies_policy). */
enum pl_replies_policy { REPLIES_FOLLOWED = 0, REPLIES_LIST = 1, REPLIES_NONE = 2 };

/** A list: a named set of accounts its owner follows, read as its own timeline. */
typedef struct pl_list {
    int64_t id, account_id; /**< account_id: the owner */
    const char *title;
    int replies_policy; /**< enum pl_replies_policy */
    bool is_exclusive;  /**< members' posts are left out of the owner's home feed */
    int64_t created_at;
} pl_list;

/** A list's source besides its people: a channel or a hashtag (our extension). */
enum pl_list_source_kind { LIST_SOURCE_CHANNEL = 1, LIST_SOURCE_TAG = 2, LIST_SOURCE_KEYWORD = 3 };
typedef struct pl_list_source {
    int kind;          /**< enum pl_list_source_kind */
    const char *value; /**< the channel id in decimal, the tag (lower case), or the keyword */
} pl_list_source;

/** A list member as the list timeline merges it. */
typedef struct pl_list_member {
    int64_t account_id;
    int64_t last_status_at; /**< the member's last post or boost (ms), 0 if unknown */
    bool show_reblogs;      /**< the owner's follow shows the member's boosts */
} pl_list_member;

/** One participant's view of a direct conversation (Mastodon's account_conversations row). */
typedef struct pl_conversation {
    int64_t id, account_id;   /**< account_id: the participant whose row this is */
    int64_t conversation_id;  /**< the thread (status_conversations) */
    int64_t *participant_ids; /**< the other participants, ascending (arena) */
    int n_participants;
    int64_t last_status_id;
    bool unread;
} pl_conversation;

/** A source a home feed merges on read: a big account followed, or a channel one is in. */
typedef struct pl_merge_source {
    int64_t id, last_status_at; /**< last_status_at: its last post (ms), 0 if unknown */
    bool show_reblogs;          /**< the follow shows the account's boosts */
    bool channel;               /**< a channel: its posts, not the account's own */
    bool excluded;   /**< not a source: a member of one of the viewer's exclusive lists */
    const char *tag; /**< a followed hashtag (then id is 0), else NULL */
} pl_merge_source;
/** A source any home feed may merge: a big account (not a channel), a channel (its account)
 *  or the everyone channel, with its last post's time (ms, 0 if unknown). */
typedef struct pl_merge_candidate {
    int64_t id, last_status_at;
    int kind; /**< MERGE_BIG, MERGE_CHANNEL, MERGE_EVERYONE */
} pl_merge_candidate;
enum { MERGE_BIG = 0, MERGE_CHANNEL = 1, MERGE_EVERYONE = 2 };

/** Where a filter applies (a bit set, as stored in filters.context). */
enum pl_filter_context {
    FILTER_HOME = 1,          /**< home timeline and lists */
    FILTER_NOTIFICATIONS = 2, /**< notifications */
    FILTER_PUBLIC = 4,        /**< public and hashtag timelines */
    FILTER_THREAD = 8,        /**< a status and its thread */
    FILTER_ACCOUNT = 16,      /**< an account's statuses */
};
/** What a matching filter does (Mastodon's filter_action). */
enum pl_filter_action { FILTER_WARN = 0, FILTER_HIDE = 1, FILTER_BLUR = 2 };

typedef struct pl_filter_keyword {
    int64_t id, filter_id, account_id;
    const char *keyword;
    bool whole_word;
} pl_filter_keyword;

typedef struct pl_filter_status {
    int64_t id, filter_id, account_id, status_id;
} pl_filter_status;

/** A filter with (when the store function says so) its keywords and statuses. */
typedef struct pl_filter {
    int64_t id, account_id;
    const char *title;
    int context;        /**< enum pl_filter_context bits */
    int action;         /**< enum pl_filter_action */
    int64_t expires_at; /**< ms; 0 = never */
    int64_t created_at;
    pl_filter_keyword *keywords; /**< oldest first */
    int n_keywords;
    pl_filter_status *statuses; /**< oldest first */
    int n_statuses;
} pl_filter;

/** A followed hashtag (normalized name) and its paging key. */
typedef struct pl_tag_follow {
    int64_t id;
    const char *tag;
} pl_tag_follow;

/** One day of a hashtag's use (Mastodon's TagHistory). */
typedef struct pl_tag_day {
    int64_t day; /**< days since the epoch (UTC) */
    int64_t uses, accounts;
} pl_tag_day;

/** A page request over an id-ordered list (Mastodon's paging parameters). */
typedef struct pl_page {
    int64_t max_id;   /**< exclusive upper bound; 0 = none */
    int64_t since_id; /**< exclusive lower bound, newest first; 0 = none */
    int64_t min_id;   /**< exclusive lower bound, oldest first (then reversed); 0 = none */
    int limit;
} pl_page;

/** A list of ids with the paging keys of its ends (for Link headers). */
typedef struct pl_idlist {
    int64_t *ids;  /**< arena-allocated */
    int64_t *keys; /**< paging key per item (often the id itself, else e.g. the follow id) */
    int n;
} pl_idlist;

/** Ids of three kinds read in one query (store_viewer_flags, store_viewer_relations). */
enum { PL_IDSETS = 4 };
typedef struct pl_idsets {
    int64_t *ids[PL_IDSETS]; /**< arena-allocated, each sorted ascending */
    int n[PL_IDSETS];
} pl_idsets;

#endif
