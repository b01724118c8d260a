/**
 * store/influence.h — influence's tables (migration 057; the method is docs/influence.md, the
 * rules app/influence.h's): the signals a computation reads, the runs it writes, and what the
 * API reads back.
 *
 * A computation is a run (influence_runs): its rows go in under the run's id in short
 * transactions, then store_influence_run_finish makes it the current one in one. Readers ask
 * for the current run's id first and read its rows, so they never see half a run.
 *
 * Functions return PL_OK or a negative PL_E* code (util/err.h); what they return lives in the
 * arena. Writes run inside the caller's transaction if it opened one.
 */
#ifndef PL_STORE_INFLUENCE_H
#define PL_STORE_INFLUENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* ---- what a computation reads ---------------------------------------------------------- */

/** The kinds of signal (docs/influence.md "The signals"); the order is the breakdown's. */
enum pl_signal_type {
    SIG_REPLY = 0,
    SIG_BOOST = 1,
    SIG_FAVOURITE = 2,
    SIG_MENTION = 3,
    SIG_FOLLOW = 4,
    SIG_PIN = 5,
    SIG_TYPES = 6
};

/** A person or channel as the computation needs them. */
typedef struct pl_influence_account {
    int64_t id, created_at, signed_in_at; /**< signed_in_at 0: never */
    bool is_group, is_disabled, is_suspended, shown;
} pl_influence_account;

/** A status as the computation reads it: a post a signal is about (or, for a mention, the
 *  post that names someone), or a boost or a reply, which is a signal itself. */
typedef struct pl_influence_post {
    int64_t id, account_id, channel_id, audience_list_id;
    int64_t reblog_of_id, in_reply_to_id; /**< 0: none */
    int visibility, mentions_count;
    bool channel_removed;
} pl_influence_post;

/** One signal: who, to whom (0 when it is the post's author, read with the post), about
 *  which post (0 for a follow; for a mention, the post that names them), when (ms). */
typedef struct pl_signal {
    int64_t engager, author, post_id, at;
    int type;           /**< enum pl_signal_type */
    int via_visibility; /**< a reply's or a boost's own visibility; -1 for the others */
} pl_signal;

/** Called for each row read; a non-zero return stops the reading with that code. */
typedef int (*pl_signal_fn)(void *ud, const pl_signal *s);
typedef int (*pl_post_fn)(void *ud, const pl_influence_post *p);

/** Every account (people and channels). */
int store_influence_accounts(db *d, arena *a, pl_influence_account **out, int *n);
/** The signals of the window [since, until] (ms) kept in tables of their own, in no
 *  particular order (the caller sorts): favourites, mentions (not in direct posts, nor of the
 *  author of the post replied to), follows and channel pins (engager: who pinned, else the
 *  channel). Boosts and replies are statuses: store_influence_statuses. The rules about
 *  posts and people are the caller's. */
int store_influence_signals(db *d, int64_t since, int64_t until, pl_signal_fn fn, void *ud);
/** Every status with an id in [from_id, to_id], by fn, in id order: one scan of the primary
 *  key for the posts, boosts and replies of a whole window. */
int store_influence_statuses(db *d, int64_t from_id, int64_t to_id, pl_post_fn fn, void *ud);
/** The statuses among ids (sorted ascending, n of them), by fn, in id order. */
int store_influence_posts(db *d, const int64_t *ids, int n, pl_post_fn fn, void *ud);
/** The hashtags of the posts among ids (sorted ascending): fn(ud, post id, tag) per pair, in
 *  post id order and, for one post, by tag. */
int store_influence_post_tags(db *d, const int64_t *ids, int n,
                              int (*fn)(void *ud, int64_t post_id, const char *tag), void *ud);
/** Which of ids (sorted ascending) are still posts: exists[i] for ids[i]. */
int store_influence_posts_exist(db *d, const int64_t *ids, int n, bool *exists);

/* ---- topics (administrators' marks) ----------------------------------------------------- */

enum pl_topic_class { TOPIC_WORK = 1, TOPIC_SOCIAL = 2 };

typedef struct pl_influence_topic {
    int64_t id;
    int64_t channel_id; /**< the channel marked, or 0 */
    const char *tag;    /**< the hashtag marked (lower case, no '#'), or NULL */
    int klass;          /**< enum pl_topic_class */
    const char *topic;
    int64_t set_by, set_at;
} pl_influence_topic;

/** Every mark, channels first (by id), then hashtags (by name). */
int store_influence_topics(db *d, arena *a, pl_influence_topic **out, int *n);
/** Sets the mark of t->channel_id or t->tag (replacing one there was). */
int store_influence_topic_set(db *d, const pl_influence_topic *t);
/** Removes the mark of a channel (channel_id) or a hashtag (tag); PL_ENOTFOUND if none. */
int store_influence_topic_remove(db *d, int64_t channel_id, const char *tag);

/* ---- runs ------------------------------------------------------------------------------ */

/** RUN_ABANDONED: being built when its process ended (pruned like an old one). */
enum pl_influence_run_state {
    RUN_BUILDING = 0,
    RUN_CURRENT = 1,
    RUN_BASELINE = 2,
    RUN_ABANDONED = 3
};

typedef struct pl_influence_run {
    int64_t id;
    int day; /**< the UTC day of `at`, days since 1970-01-01 */
    int64_t at;
    int state;
    int method_version, window_days, half_life_days;
    int64_t median_raw, p95_raw;
    int beta_milli;
    int people, scored; /**< people with a score; of them, with raw > 0 */
    int64_t signals;
    int took_ms;
    int64_t finished_at;
} pl_influence_run;

/** A person's result in a run. parts: "<dim> <raw> <key>\n" lines (dim p place, t topic,
 *  s signal, e engager; docs/influence.md "The breakdown"; a topic's points from a private
 *  channel's posts are a line of their own, its key after "channel:<id> "); posts: each post's
 * contribution in id order, "<id − the previous id>:<raw>" in base 36 (lower case), separated by
 * single spaces — a 10k company's million posts in about 12 MB; read it with influence_posts_next
 *  (app/influence.h). */
typedef struct pl_influence_score {
    int64_t run_id, account_id, raw;
    int score, standing_milli;
    const char *parts, *posts;
} pl_influence_score;

/** One person's day (docs/influence.md "History"). */
typedef struct pl_influence_day {
    int64_t account_id;
    int day, prev_day; /**< prev_day -1: the first day */
    int64_t run_id, raw;
    int score;
    int64_t new_raw, older_raw, deleted_raw, method_raw;
    int method_version;
} pl_influence_day;

typedef struct pl_influence_expertise {
    int64_t run_id;
    const char *topic;
    int64_t account_id, raw;
    const char *posts; /**< up to three post ids, most engaged first, separated by spaces */
} pl_influence_expertise;

/** The current run; PL_ENOTFOUND before the first. */
int store_influence_current(db *d, pl_influence_run *out);
/** The latest finished run of a day before `day` (the history's baseline); PL_ENOTFOUND. */
int store_influence_baseline(db *d, int day, pl_influence_run *out);
/** Starts run r (its id given; state RUN_BUILDING). */
int store_influence_run_begin(db *d, pl_influence_run *r);
/** Writes a person's result (in the caller's short transaction). */
int store_influence_score_put(db *d, const pl_influence_score *s);
int store_influence_day_put(db *d, const pl_influence_day *day);
int store_influence_expertise_put(db *d, const pl_influence_expertise *e);
/** Makes run r current (with its calibration and counts), the old current a baseline, and
 *  marks the runs no longer needed (every other one) for store_influence_prune. */
int store_influence_run_finish(db *d, const pl_influence_run *r);
/** Deletes up to `limit` rows of runs neither current nor the baseline of the current's day,
 *  and those runs once empty; *more says whether rows are left. Also history older than
 *  keep_before_day. */
int store_influence_prune(db *d, int limit, int keep_before_day, bool *more);
/** A run's rows for one person; PL_ENOTFOUND. */
int store_influence_score(db *d, int64_t run_id, int64_t account_id, arena *a,
                          pl_influence_score *out);
/** The scores of a run, by account id from after_account (0: the start), at most limit. */
int store_influence_scores(db *d, int64_t run_id, int64_t after_account, int limit, arena *a,
                           pl_influence_score **out, int *n);

/** Takes the lease for holder until `until` if it is free (or holder's); *got says whether. */
int store_influence_lease(db *d, const char *holder, int64_t now, int64_t until, bool *got);
int store_influence_lease_drop(db *d, const char *holder);

/** Records that account signed in (the first time only: later calls change nothing). */
int store_influence_signed_in(db *d, int64_t account_id, int64_t at);

/* ---- what the API reads (store/influence_read.c) --------------------------------------- */

/** One person's days from `from_day` on, oldest first. */
int store_influence_days(db *d, int64_t account_id, int from_day, arena *a, pl_influence_day **out,
                         int *n);
/** The people of a run who know most about topic (shown ones only: influence_shown, neither
 *  disabled nor suspended), most raw first, at most limit. */
int store_influence_experts(db *d, int64_t run_id, const char *topic, int limit, arena *a,
                            pl_influence_expertise **out, int *n);
/** Whether account shows its score to others. */
int store_influence_shown_get(db *d, int64_t account_id, bool *shown);
int store_influence_shown_set(db *d, int64_t account_id, bool shown);
/** A run's scores as a histogram: counts[i] people with a score in 10i+1 … 10i+10. */
int store_influence_histogram(db *d, int64_t run_id, int64_t counts[10]);
/** A person's score in a run alone (an Account's badge); PL_ENOTFOUND when none. */
int store_influence_score_of(db *d, int64_t run_id, int64_t account_id, int *score);

#endif
