/**
 * top.h — up-votes made "more prevalent" (C6): posts ranked by votes with time decay over any
 * feed, and the company's trends (tags and posts).
 *
 * A favourite is an up-vote. A post's score (docs/api.md, "Top"):
 *
 *     score = (1 + votes + 0.5 * boosts + 0.25 * replies) / (1 + age_hours / tau) ^ 1.5
 *     tau   = window_hours / 12      (2 h for 24h, 14 h for 7d, 60 h for 30d)
 *
 * Hacker News' gravity, with its two-hour offset stretched to the window, so a week's top is
 * not just today's. The counts are the post's (not only those within the window). Ranking is
 * viewer-independent; which posts are ranked is not: candidates come from the viewer's feed
 * through feeds.c, so audience_can_see() and the viewer's mutes and blocks apply.
 */
#ifndef PL_TOP_H
#define PL_TOP_H

#include "app/app.h"

/** The constants of the score (named in the formula text and in docs/api.md). */
#define TOP_BOOST_WEIGHT 0.5
#define TOP_REPLY_WEIGHT 0.25
#define TOP_GRAVITY 1.5
#define TOP_TAU_DIVISOR 12.0

/** A post's score and the parts it is made of. */
typedef struct top_score {
    double value;
    int64_t votes, boosts, replies; /**< favourites, reblogs, replies counts of the post */
    double age_hours;               /**< from its creation to the request's clock */
    double tau_hours;               /**< the decay's time scale: window_hours / 12 */
} top_score;

typedef struct top_item {
    int64_t id; /**< an original post (a boost counts toward what it boosts) */
    top_score score;
} top_item;

enum top_feed_kind { TOP_HOME, TOP_PUBLIC, TOP_LIST, TOP_CHANNEL, TOP_TAG };

/** Which feed to rank: id for a list or channel, tag (normalized) for a hashtag. */
typedef struct top_feed {
    int kind; /**< enum top_feed_kind */
    int64_t id;
    const char *tag;
} top_feed;

/** Scores s at `now` (ms) for a window of window_hours (> 0). */
void top_score_of(const pl_status *s, int64_t now, double window_hours, top_score *out);
/** The formula with this window's numbers, e.g. "(1 + votes + 0.5*boosts + …) / (1 +
 *  age_hours/2)^1.5" (in the request arena). */
const char *top_formula(app_ctx *c, double window_hours);
/** Sorts by score, highest first; equal scores newest first. */
void top_sort(top_item *items, int n);

/**
 * The original posts (not direct messages) made since `since` (ms) that feed f shows the
 * viewer, ascending by id without duplicates: the feed is walked newest first, through the
 * same filter as its timeline, until it leaves the window or *budget entries were read (each
 * read entry costs one; *budget is decreased). A boost contributes what it boosts when that
 * was made inside the window. PL_ENOTFOUND for a list or channel the viewer may not read.
 */
int top_candidates(app_ctx *c, int64_t viewer, const top_feed *f, int64_t since, int *budget,
                   int64_t **ids, int *n);

/** Scores ids[0..n) (statuses the caller may show) for a window of window_hours into out. */
int top_score_ids(app_ctx *c, const int64_t *ids, int n, double window_hours, top_item **out);

/**
 * Feed f's posts of the last window_hours, ranked (at most top_max_candidates are read).
 * PL_ENOTFOUND ("Record not found") for a list that is not the viewer's or a missing channel.
 */
int top_feed_rank(app_ctx *c, int64_t viewer, const top_feed *f, int window_hours, top_item **out,
                  int *n);

/**
 * Trending posts: public and company posts of the last trends_statuses_hours with some
 * engagement (not in a private channel), those the viewer may see and has not muted or
 * blocked, ranked by the score.
 */
int top_trending_statuses(app_ctx *c, int64_t viewer, top_item **out, int *n);

enum { TOP_TREND_DAYS = 7 };

/** A trending tag: its uses and distinct authors per day, today first. */
typedef struct top_tag {
    const char *name;
    int64_t day_ms[TOP_TREND_DAYS]; /**< midnight UTC of each day, today first */
    int64_t uses[TOP_TREND_DAYS], accounts[TOP_TREND_DAYS];
    double score; /**< sum over days of accounts / (1 + days ago) */
} top_tag;

/** Tags used in the last seven days (UTC days, today included) by posts any member could
 *  find, ranked by score, then uses, then name. */
int top_trending_tags(app_ctx *c, top_tag **out, int *n);

#endif
