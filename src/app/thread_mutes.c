/*
 * thread_mutes.c — muted conversations: which thread a post is in, and who muted it.
 *
 * A thread is named by its root, found by following in_reply_to_id up. The alternative,
 * Mastodon's, is a conversation id written on every status when it is created; that would
 * add a column to every post and a backfill of every thread for a question asked only for
 * people who muted something. Here the walk runs only for them (thread_mutes_ask asks first
 * whether the person muted anything), and each step is a status the request's caches
 * usually hold. A reply is always newer than its parent, so ids fall along the walk and it
 * ends even on a damaged row. Never: decide who may see a post (app/audience.c does).
 */
#include "app/thread_mutes.h"

#include "app/posts.h"
#include "store/thread_mutes.h"

int64_t thread_mutes_root(app_ctx *c, const pl_status *s)
{
    int64_t root = s->id;
    for (int64_t up = s->in_reply_to_id; up && up < root;) {
        const pl_status *p = app_status(c, up);
        if (!p) break; /* the parent was deleted: the thread starts here now */
        root = p->id;
        up = p->in_reply_to_id;
    }
    return root;
}

int thread_mutes_set(app_ctx *c, int64_t viewer, int64_t status_id, bool mute)
{
    pl_status s;
    int rc = posts_get(c, viewer, status_id, &s);
    if (rc) return rc;
    /* a boost is not a thread: its original's is meant */
    if (s.reblog_of_id && (rc = posts_get(c, viewer, s.reblog_of_id, &s))) return rc;
    int64_t root = thread_mutes_root(c, &s);
    return mute ? store_thread_mute_insert(c->db, viewer, root, c->now)
                : store_thread_mute_delete(c->db, viewer, root);
}

int thread_mutes_ask(app_ctx *c, int64_t account_id, const pl_status *s, bool *muted)
{
    *muted = false;
    bool any;
    int rc = store_thread_mutes_any(c->db, account_id, &any);
    if (rc || !any) return rc;
    return store_thread_muted(c->db, account_id, thread_mutes_root(c, s), muted);
}
