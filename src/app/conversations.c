/*
 * conversations.c — the rules of direct conversations (see conversations.h).
 *
 * Which thread a direct status belongs to: a reply to a direct status joins its
 * conversation; a direct reply to a status that is not direct joins the conversation named by
 * that status (so several direct replies to one public post are one conversation); anything
 * else starts a conversation of its own. Rows are per participant and per set of other
 * participants (as Mastodon's account_conversations), so a message that leaves someone out
 * starts a separate row for those it addresses and never reaches the left-out person's row.
 * Every status a row shows is checked again with audience_can_see() when it is read, so a
 * block or an edit that happened since cannot make a row show what its owner may not see.
 */
#include "conversations.h"

#include <string.h>

#include "app/audience.h"
#include "store/conversations.h"
#include "store/graph.h"

/* How far back a row is searched for a status its owner may still see when the last one
 * is no longer visible (each look is one audience check). */
enum { SHOWN_LOOKBACK = 20 };

/* The thread of a new direct status. */
static int thread_of(app_ctx *c, const pl_status *s, int64_t *conv)
{
    if (!s->in_reply_to_id) {
        *conv = s->id;
        return PL_OK;
    }
    int rc = store_status_conversation_get(c->db, s->in_reply_to_id, conv);
    if (rc == PL_ENOTFOUND) {
        *conv = s->in_reply_to_id;
        return PL_OK;
    }
    return rc;
}

/* The author and the mentioned, each once (author first). */
static int participants(app_ctx *c, const pl_status *s, const int64_t *mentions, int n,
                        int64_t **out)
{
    int64_t *v = arena_alloc(c->a, sizeof *v * (size_t)(n + 1));
    int k = 0;
    v[k++] = s->account_id;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < k && !seen; j++) seen = v[j] == mentions[i];
        if (!seen) v[k++] = mentions[i];
    }
    *out = v;
    return k;
}

/* Whether a mentioned account gets the status in its conversations: it may see it, and it
 * neither blocks the author nor mutes them with notifications hidden (Mastodon drops a
 * direct message from those, as it drops the notification). */
static bool receives(app_ctx *c, int64_t account_id, const pl_status *s)
{
    if (account_id == s->account_id) return true;
    const pl_account *a = app_account(c, account_id);
    if (!a || a->is_group) return false; /* a channel reads no messages */
    if (!audience_can_see(c, account_id, s)) return false;
    if (store_blocks(c->db, account_id, s->account_id)) return false;
    bool hide = false;
    return !(store_mutes(c->db, account_id, s->account_id, c->now, &hide) && hide);
}

/* How an account that held the status before an edit had it (NULL if it did not). */
static const pl_conversation *held_by(const pl_conversation *rows, int n, int64_t account_id)
{
    for (int i = 0; i < n; i++)
        if (rows[i].account_id == account_id) return &rows[i];
    return NULL;
}

/* Adds s to each participant's row. When editing, `before` (nb rows) are the rows that held
 * it before the edit, whose owners keep their unread flag. */
static int add_to_rows(app_ctx *c, const pl_status *s, int64_t conv, const int64_t *mentions, int n,
                       bool editing, const pl_conversation *before, int nb)
{
    int64_t *all;
    int k = participants(c, s, mentions, n, &all);
    int64_t *others = arena_alloc(c->a, sizeof *others * (size_t)(k + 1));
    int rc = PL_OK;
    for (int i = 0; i < k && !rc; i++) {
        int64_t who = all[i];
        if (!receives(c, who, s)) continue;
        int m = 0;
        for (int j = 0; j < k; j++)
            if (all[j] != who) others[m++] = all[j];
        const pl_conversation *had = editing ? held_by(before, nb, who) : NULL;
        bool unread = had ? had->unread : who != s->account_id;
        /* a new message sets the flag (the author's own reply marks the row read, as
         * Mastodon); after an edit, those who had the message keep theirs */
        bool set = !had;
        rc = store_conversation_add_status(c->db, app_new_id(c), who, conv, others, m, s->id,
                                           unread, set);
    }
    return rc;
}

int conversations_add_status(app_ctx *c, const pl_status *s, const int64_t *mentions, int n)
{
    if (s->visibility != VIS_DIRECT || s->reblog_of_id) return PL_OK;
    int64_t conv;
    int rc = thread_of(c, s, &conv);
    if (!rc) rc = store_status_conversation_set(c->db, s->id, conv);
    return rc ? rc : add_to_rows(c, s, conv, mentions, n, false, NULL, 0);
}

static bool same_set(const int64_t *a, int na, const int64_t *b, int nb)
{
    if (na != nb) return false;
    for (int i = 0; i < na; i++) {
        bool found = false;
        for (int j = 0; j < nb && !found; j++) found = a[i] == b[j];
        if (!found) return false;
    }
    return true;
}

int conversations_edit_status(app_ctx *c, const pl_status *s, const int64_t *before, int nb,
                              const int64_t *after, int na)
{
    if (s->visibility != VIS_DIRECT || s->reblog_of_id || same_set(before, nb, after, na))
        return PL_OK;
    int64_t conv;
    int rc = store_status_conversation_get(c->db, s->id, &conv);
    if (rc == PL_ENOTFOUND) return conversations_add_status(c, s, after, na);
    if (rc) return rc;
    pl_conversation *rows;
    int nrows;
    if ((rc = store_conversations_with_status(c->db, s->id, c->a, &rows, &nrows))) return rc;
    if ((rc = store_conversations_remove_status(c->db, s->id))) return rc;
    if ((rc = store_status_conversation_set(c->db, s->id, conv))) return rc;
    return add_to_rows(c, s, conv, after, na, true, rows, nrows);
}

int conversations_remove_status(app_ctx *c, const pl_status *s)
{
    if (s->visibility != VIS_DIRECT || s->reblog_of_id) return PL_OK;
    return store_conversations_remove_status(c->db, s->id);
}

/* The newest status of v's row that the viewer may see. */
static int shown_status(app_ctx *c, int64_t viewer, conversation_view *v)
{
    v->shown_status_id = 0;
    const pl_status *s = app_status(c, v->conv.last_status_id);
    if (s && audience_can_see(c, viewer, s)) {
        v->shown_status_id = s->id;
        return PL_OK;
    }
    int64_t *ids;
    int n;
    int rc = store_conversation_statuses(c->db, v->conv.id, SHOWN_LOOKBACK, c->a, &ids, &n);
    for (int i = 0; i < n && !rc && !v->shown_status_id; i++) {
        const pl_status *o = app_status(c, ids[i]);
        if (o && audience_can_see(c, viewer, o)) v->shown_status_id = o->id;
    }
    return rc;
}

int conversations_page(app_ctx *c, int64_t viewer, const pl_page *p, conversation_view **out,
                       int *n)
{
    pl_conversation *rows;
    int rc = store_conversations_page(c->db, viewer, p, c->a, &rows, n);
    if (rc) return rc;
    conversation_view *v = arena_alloc(c->a, sizeof *v * (size_t)(*n + 1));
    int64_t *last = arena_alloc(c->a, sizeof *last * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) last[i] = rows[i].last_status_id;
    app_prefetch_statuses(c, last, *n);
    for (int i = 0; i < *n && !rc; i++) {
        v[i].conv = rows[i];
        rc = shown_status(c, viewer, &v[i]);
    }
    *out = v;
    return rc;
}

int conversations_read(app_ctx *c, int64_t viewer, int64_t id, conversation_view *out)
{
    int rc = store_conversation_mark_read(c->db, viewer, id);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (!rc) rc = store_conversation_get(c->db, viewer, id, c->a, &out->conv);
    return rc ? rc : shown_status(c, viewer, out);
}

int conversations_get(app_ctx *c, int64_t viewer, int64_t id, conversation_view *out)
{
    int rc = store_conversation_get(c->db, viewer, id, c->a, &out->conv);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc ? rc : shown_status(c, viewer, out);
}

int conversations_remove(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = store_conversation_delete(c->db, viewer, id);
    return rc == PL_ENOTFOUND ? app_fail(c, rc, "Record not found") : rc;
}

int conversations_unread_count(app_ctx *c, int64_t viewer, int64_t *n)
{
    return store_conversations_unread_count(c->db, viewer, c->cfg->max_unread_count, n);
}
