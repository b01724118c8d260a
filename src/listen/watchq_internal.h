/*
 * watchq_internal.h — a parsed watch query's tree, shared by the parser (watchq.c) and the
 * set that compiles many trees for matching (watchq_set.c). Nothing outside src/listen/.
 */
#ifndef PL_LISTEN_WATCHQ_INTERNAL_H
#define PL_LISTEN_WATCHQ_INTERNAL_H

#include <stdint.h>

#include "util/arena.h"

typedef enum {
    WQ_WORD,   /* words[0] */
    WQ_PHRASE, /* words[0..n_words), n_words ≥ 2 */
    WQ_FROM,   /* words[0]: the folded username */
    WQ_IN,     /* words[0]: the folded channel name */
    WQ_TAG,    /* words[0]: the folded hashtag */
    WQ_NEAR,   /* a, b: each a WQ_WORD or WQ_PHRASE; near: the most words between them */
    WQ_AND,    /* a, b */
    WQ_OR,     /* a, b */
    WQ_NOT,    /* a */
} wq_kind;

typedef struct wq_node {
    wq_kind kind;
    uint32_t at;  /* byte offset in the query's text where the node starts */
    char **words; /* folded, NUL-terminated; in the query's arena */
    uint32_t n_words;
    uint32_t near;
    struct wq_node *a, *b;
} wq_node;

struct watchq {
    arena mem; /* every node and word */
    wq_node *root;
};

#endif
