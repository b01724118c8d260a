/**
 * app/influence.h — influence: the computation (issue 15; the method is docs/influence.md,
 * whose version is INFLUENCE_METHOD_VERSION; the tables store/influence.h's).
 *
 * A computation reads the window's signals from one snapshot, weighs them in memory and
 * writes each person's raw, score, breakdown and day in short transactions, then makes the
 * run current in one. It runs once a day on one node (a lease) and on demand from the
 * command line. What the API shows of it is app/influence_view.h's.
 */
#ifndef PL_APP_INFLUENCE_H
#define PL_APP_INFLUENCE_H

#include "app/app.h"
#include "store/influence.h"

/** docs/influence.md's version: bump it with every change to the method. */
enum { INFLUENCE_METHOD_VERSION = 1 };

/** The method's constants (docs/influence.md); the API's /influence/method lists them. */
extern const char *const influence_signal_names[SIG_TYPES]; /**< "reply", "boost", … */
extern const double influence_type_weight[SIG_TYPES];
extern const double influence_allowance[SIG_TYPES]; /**< 0: no selectivity */
#define INFLUENCE_SCALE 100.0            /**< raw points of a fresh, full-weight favourite */
#define INFLUENCE_NEW_ACCOUNT_DAYS 7     /**< an engager younger than this … */
#define INFLUENCE_NEW_ACCOUNT_WEIGHT 0.1 /**< … weighs this much */
#define INFLUENCE_RING_DISCOUNT 0.9
#define INFLUENCE_STANDING_FLOOR 0.5
#define INFLUENCE_STANDING_CAP 3.0
#define INFLUENCE_STANDING_ROUNDS 3
#define INFLUENCE_TOP_ENGAGERS 10
/** Below this many people with raw > 0, the calibration uses the defaults below. */
#define INFLUENCE_CALIBRATION_MIN 20
#define INFLUENCE_DEFAULT_MEDIAN 1000
#define INFLUENCE_DEFAULT_P95 10000
/** Expertise is kept for a person's topics with at least this raw, at most this many. */
#define INFLUENCE_EXPERTISE_MIN_RAW 100
#define INFLUENCE_EXPERTISE_PER_PERSON 30

/** The 1–100 score of raw under a calibration (docs/influence.md "The score"). */
int influence_score_of(int64_t raw, int64_t median, int beta_milli);
/** The calibration of a distribution: raws (n of them, any order, may be modified). */
void influence_calibrate(int64_t *raws, int n, int64_t *median, int64_t *p95, int *beta_milli);

typedef struct influence_opts {
    int64_t at;      /**< the moment computed for, ms (0: now) */
    const char *who; /**< the lease holder's name: node and process */
    bool daily;      /**< the server's daily run: only if today has no run yet */
    int batch;       /**< people per write transaction (0: a default) */
    /** after each write transaction, with the time it held the write lock */
    void (*after_batch)(void *ud, int64_t txn_ms);
    void *ud;
} influence_opts;

typedef struct influence_summary {
    int64_t run_id;
    int people, scored;
    int64_t signals, counted; /**< read, and counted after the rules */
    int64_t median_raw, p95_raw;
    int beta_milli;
    int64_t read_ms, compute_ms, write_ms, longest_txn_ms;
    int64_t signals_ms, posts_ms, choose_ms; /**< read_ms's parts: the signals' tables, the
                                                  statuses' scan with hashtags, the choosing */
    bool busy; /**< another node or process holds the lease: nothing done */
    bool done; /**< (daily) today had a run already: nothing done */
} influence_summary;

/** The next post of a posts text (store/influence.h: pl_influence_score.posts); *id starts
 *  at 0 and is the post's id after each call; false at the end (or on a text not ours). */
bool influence_posts_next(const char **text, int64_t *id, int64_t *raw);

/** Computes everyone's influence as of o->at (see above). */
int influence_compute(app_ctx *c, const influence_opts *o, influence_summary *out);

#endif
