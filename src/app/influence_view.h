/**
 * app/influence_view.h — what a viewer may see of influence (issue 15; the rules are
 * docs/influence.md's "Who has a score", "The breakdown", "History" and "Who knows about a
 * topic"; the computation that writes what this reads is app/influence.h's).
 *
 * - One's own score, breakdown and history: always, to oneself.
 * - Someone else's: only if they show it (accounts.influence_shown), they are a person, and
 *   neither disabled nor suspended; PL_ENOTFOUND otherwise, exactly as for an unknown id, so
 *   a hidden score and no score look alike. Shown to someone else, a place in a channel the
 *   viewer may not see (a private one they are not a member of, or one that is gone: fail
 *   closed) is folded into `others`, as is an engager who is gone.
 * - Who knows about a topic: shown people only, and of them only those the directory would
 *   show the asker (app_reaches; neither blocking the other); each one's reasons (their most
 *   engaged posts) only as the asker may see them (audience_can_see, asked again here).
 * - Administrators read the distribution (counts, never individuals) and mark channels and
 *   hashtags as work or social with a topic (audited: influence.topic_set, .topic_remove).
 *
 * Before a first computation everyone has raw 0 and score 1 with empty lists. What the
 * functions return lives in the request's arena.
 */
#ifndef PL_APP_INFLUENCE_VIEW_H
#define PL_APP_INFLUENCE_VIEW_H

#include "app/app.h"
#include "store/influence.h"

/** The four lists of a breakdown, in the API's order. */
enum influence_list { BY_PLACE = 0, BY_TOPIC = 1, BY_SIGNAL = 2, BY_ENGAGER = 3, BY_LISTS = 4 };

/** What a place is (by_place's `kind`). */
enum influence_place { PLACE_CHANNEL, PLACE_TAG, PLACE_FEED, PLACE_PROFILE, PLACE_OTHERS };

/** One item of a breakdown. The key is the computation's ("channel:12", "tag:rust", "feed",
 *  "work:payments", "favourite", "42", "others"); the rest says what it names. */
typedef struct influence_item {
    const char *key;
    int64_t raw;
    int kind;         /**< by_place: enum influence_place */
    int64_t id;       /**< by_place: the channel; by_engager: the account (0: others) */
    const char *name; /**< by_place: the tag (no '#'); by_topic: the topic, NULL unclassified */
    int klass;        /**< by_topic: enum pl_topic_class, 0: unclassified */
} influence_item;

/** A person's influence as the viewer may see it. */
typedef struct influence_view {
    int64_t account_id, raw;
    int score, method_version;
    int64_t computed_at; /**< the current run's moment (ms); 0 before a first computation */
    bool shown;          /**< whether the person shows it to others */
    influence_item *items[BY_LISTS];
    int n[BY_LISTS];
} influence_view;

/** One's own influence. */
int influence_view_own(app_ctx *c, int64_t viewer, influence_view *out);
/** Someone's influence as viewer sees it: one's own, or another person who shows it;
 *  PL_ENOTFOUND otherwise (a channel, an unknown id, a hidden score). */
int influence_view_of(app_ctx *c, int64_t viewer, int64_t account, influence_view *out);
/** Parses a score row's parts ("<dim> <raw> <key>" lines; store/influence.h) into v's lists,
 *  folding into `others` what the viewer may not see when it is not the owner. Lines it cannot
 *  read are skipped. Each list ends sorted by raw, most first, `others` last. */
int influence_parts_read(app_ctx *c, int64_t viewer, const char *parts, influence_view *v);

/** Whether one shows one's score to others, and the change of it (a write). */
int influence_shown_set(app_ctx *c, int64_t viewer, bool shown);

/** One day of a history, with its change told in plain words. */
typedef struct influence_history_day {
    pl_influence_day day;
    const char *date;        /**< "YYYY-MM-DD" */
    const char *explanation; /**< "+420 from new signals; −80 as older ones aged; …" */
} influence_history_day;

enum { INFLUENCE_HISTORY_DEFAULT = 30, INFLUENCE_HISTORY_MAX = 400 };
/** The viewer's last `days` days (1 … INFLUENCE_HISTORY_MAX, else PL_EINVAL), oldest first. */
int influence_history(app_ctx *c, int64_t viewer, int days, influence_history_day **out, int *n);

/** One person who knows about a topic, with the posts the asker may see. */
typedef struct influence_expert {
    int64_t account_id, raw;
    int64_t posts[3];
    int n_posts;
} influence_expert;

enum { INFLUENCE_EXPERTS_DEFAULT = 10, INFLUENCE_EXPERTS_MAX = 40, INFLUENCE_TOPIC_MAX = 64 };
/** Who knows most about topic ("#tag" or a topic's name; PL_EINVAL when empty or not one),
 *  for the viewer: shown people only, at most limit (1 … INFLUENCE_EXPERTS_MAX). */
int influence_experts(app_ctx *c, int64_t viewer, const char *topic, int limit,
                      influence_expert **out, int *n);

/** The current run (PL_ENOTFOUND before the first): /influence/method's calibration. */
int influence_current_run(app_ctx *c, pl_influence_run *out);

/** The score Account.partyline.influence shows of a: true with *score when a shows it (or
 *  own: the viewer's own account), false when it is absent. Reads the current run once per
 *  request; fails closed (absent) on a database error. */
bool influence_badge(app_ctx *c, const pl_account *a, bool own, int *score);

/** The company's distribution: counts only (administrators; PL_EFORBIDDEN otherwise). */
typedef struct influence_distribution {
    int64_t computed_at; /**< 0 before a first computation (then everything is 0) */
    int people, scored;
    int64_t median_raw, p95_raw;
    int64_t histogram[10]; /**< people with a score in 10i+1 … 10i+10 */
} influence_distribution;
int influence_distribution_get(app_ctx *c, const pl_account *viewer, influence_distribution *out);

/** Administrators' marks (PL_EFORBIDDEN for anyone else). A mark is a channel (channel_id,
 *  PL_ENOTFOUND when it is not one) or a hashtag (tag, with or without '#'), never both; klass
 *  "work" or "social"; topic 1 … INFLUENCE_TOPIC_MAX characters, kept in lower case, not
 *  starting with '#'. PL_EINVAL (with the reason) otherwise. */
int influence_topics_list(app_ctx *c, const pl_account *viewer, pl_influence_topic **out, int *n);
int influence_topic_set(app_ctx *c, const pl_account *viewer, int64_t channel_id, const char *tag,
                        const char *klass, const char *topic, pl_influence_topic *out);
int influence_topic_remove(app_ctx *c, const pl_account *viewer, int64_t channel_id,
                           const char *tag);

/** "work", "social", or NULL for another value. */
const char *influence_class_name(int klass);

#endif
