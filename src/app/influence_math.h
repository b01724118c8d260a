/**
 * app/influence_math.h — the arithmetic of docs/influence.md on signals already chosen: the
 * weight of each signal (decay, newness, selectivity, returns, ring), the engagers' standing
 * and each signal's contribution in integer raw points. No database and no rules about who
 * may see what (app/influence.c chose the signals): the unit tests run it on made-up
 * companies (tests/unit/test_influence.c).
 */
#ifndef PL_APP_INFLUENCE_MATH_H
#define PL_APP_INFLUENCE_MATH_H

#include <stdbool.h>
#include <stdint.h>

/** One counted signal. e and a index the model's accounts; post indexes the caller's posts
 *  (-1: none). The model fills base and contrib. */
typedef struct inf_signal {
    int32_t e, a, post;
    int32_t t;       /**< seconds from the window's start */
    double base;     /**< the weight before standing (inf_weigh) */
    int32_t contrib; /**< raw points (inf_weigh) */
    uint8_t type;    /**< enum pl_signal_type */
    uint8_t flags;   /**< INF_PUBLIC, INF_FROM_CHANNEL */
} inf_signal;

enum {
    INF_PUBLIC = 1,       /**< in public (docs/influence.md "by engager") */
    INF_FROM_CHANNEL = 2, /**< a pin whose engager is the channel: standing 1, no returns, ring */
};

typedef struct inf_model {
    int n_accounts;
    const int64_t *created_at; /**< [n_accounts] ms */
    double *standing;          /**< [n_accounts], filled */
    int64_t *raw;              /**< [n_accounts], filled: Σ contrib received */
    inf_signal *sig;           /**< sorted by inf_sort */
    int64_t n_sig;
    int64_t window_start; /**< ms */
    int64_t at;           /**< the moment computed for, ms */
    double half_life_ms;
} inf_model;

/** Sorts the signals as the model wants them: by engager, person, time, type, post (e below
 *  n_accounts); false when memory ran out. */
bool inf_sort(inf_signal *sig, int64_t n, int n_accounts);
/** Weighs every signal and sets the standings, the contributions and everyone's raw.
 *  PL_ENOMEM-free: returns false only when memory ran out. */
bool inf_weigh(inf_model *m);

#endif
