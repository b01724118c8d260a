/**
 * app/influence_internal.h — what a computation holds (app/influence.c reads and chooses,
 * app/influence_write.c sums and writes); not for other files.
 */
#ifndef PL_APP_INFLUENCE_INTERNAL_H
#define PL_APP_INFLUENCE_INTERNAL_H

#include "app/influence.h"
#include "app/influence_math.h"

#define DAY_MS 86400000LL
/* A computation's lease (influence_lease), renewed by each of its write transactions. */
enum { LEASE_MS = 30 * 60 * 1000 };

/* Hashtags and topic names, interned. */
typedef struct {
    char **names;
    int n, cap;
    int *slots; /* open addressing: index + 1, 0 empty */
    int n_slots;
} interned;

/* A status the computation keeps: a post signals are about (or a mention's post). 48 bytes:
 * a window's worth of them is held at once. */
typedef struct {
    int64_t id, channel_id, list_id;
    int32_t author;  /* account index; -1: not an account of the company */
    int32_t tag;     /* its first hashtag (alphabetically), interned; -1 none */
    int32_t topic;   /* its topic: an index of job.marks; -1 none */
    int32_t tags_at; /* its hashtags: job.post_tags[tags_at …] */
    uint16_t tags_n, mentions;
    uint8_t visibility;
    bool channel_removed;
    bool private_channel; /* in a channel only its members see (set when choosing) */
} post;

/* An administrator's mark, as the computation uses it. */
typedef struct {
    int64_t channel_id;
    int32_t tag; /* interned; -1 for a channel's */
    int klass;
    int32_t topic;     /* its name, interned in job.topics */
    int32_t topic_key; /* interned "<topic name, lower case>" for expertise */
} mark;

typedef struct {
    app_ctx *c;
    int64_t at, since;
    pl_influence_account *acc;
    int n_acc;
    bool *author_ok;    /* [n_acc]: has a score */
    int32_t *acc_slots; /* open addressing over acc by id: index + 1, 0 empty */
    int n_acc_slots;
    inf_signal *sig;
    int64_t *sig_post; /* the post id of each signal while reading */
    int64_t n_sig, cap_sig, read;
    post *posts; /* by id */
    int n_posts, cap_posts;
    int32_t *post_slots; /* open addressing over posts by id: index + 1, 0 empty */
    int64_t n_slots;
    int tag_cursor;
    int32_t *post_tags; /* every post's hashtags, interned */
    int n_post_tags, cap_post_tags;
    interned tags, topics;
    mark *marks;
    int n_marks;
} job;

/* The index of post id in j->posts, -1 if it is not there. */
int influence_post_find(const job *j, int64_t id);
/* The administrators' mark of a channel, -1 if none. */
int influence_mark_of_channel(const job *j, int64_t channel_id);
/* Step 3: weigh, calibrate, write, make current, prune (influence_write.c). */
int influence_write(job *j, const influence_opts *o, influence_summary *out);

#endif
