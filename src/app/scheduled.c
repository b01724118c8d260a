/*
 * scheduled.c — posts written now and published later.
 *
 * The design choice is where a scheduled post becomes a post: not here, but in posts_create,
 * called by the publisher as the author at the time it is due. So nothing a post does (its
 * audience, a channel's rules, fan-out, notifications, streams) has a second copy here, and a
 * post that would be refused at that time (a disabled account, a channel left since) is refused
 * the same way. The cost is that some refusals come late; what can be checked at scheduling
 * (the text, the poll, the limits) is checked then, as Mastodon does.
 *
 * Exactly once: the publisher deletes the due row and creates the post in one transaction;
 * a second node that found the same row either skips it (PostgreSQL's SKIP LOCKED) or deletes
 * nothing once the first committed, and publishes nothing. This module must never publish a
 * post it did not delete.
 */
#include <string.h>

#include "app/attachments.h"
#include "app/render.h"
#include "app/scheduled.h"
#include "store/scheduled.h"

enum { DAY_MS = 24 * 3600 * 1000 };

/* The time and the limits, for a post of owner's at `at` (except_id: the one being moved). */
static int check_time_and_limits(app_ctx *c, int64_t owner, int64_t except_id, int64_t at)
{
    const pl_config *cfg = c->cfg;
    if (at < c->now + (int64_t)cfg->scheduled_min_lead * 1000)
        return app_fail_field(c, PL_EINVAL, "scheduled_at", "ERR_INVALID",
                              "Validation failed: Scheduled at must be at least %d seconds in "
                              "the future",
                              cfg->scheduled_min_lead);
    int64_t day_start = at - at % DAY_MS, total = 0, on_day = 0;
    int rc = store_scheduled_counts(c->db, owner, except_id, day_start, day_start + DAY_MS, &total,
                                    &on_day);
    if (rc) return rc;
    if (!except_id && total >= cfg->max_scheduled_statuses)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: You have exceeded the limit of %d scheduled posts",
                        cfg->max_scheduled_statuses);
    if (on_day >= cfg->max_scheduled_statuses_daily)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: You have exceeded the limit of %d scheduled posts "
                        "for that day",
                        cfg->max_scheduled_statuses_daily);
    return PL_OK;
}

int scheduled_create(app_ctx *c, int64_t author, const posts_new *n, int64_t at, int64_t *id)
{
    if (!app_account(c, author))
        return app_fail(c, PL_EAUTH, "This method requires an authenticated user");
    const char *key = n->idempotency_key && *n->idempotency_key ? n->idempotency_key : NULL;
    if (key && strlen(key) > 128) return app_fail(c, PL_EINVAL, "Idempotency-Key is too long");
    if (key && store_scheduled_by_key(c->db, author, key, id) == PL_OK) return PL_OK;
    int rc = posts_check(c, author, n);
    if (!rc) rc = check_time_and_limits(c, author, 0, at);
    if (rc) return rc;
    pl_scheduled s = {
        .id = app_new_id(c),
        .account_id = author,
        .scheduled_at = at,
        .created_at = c->now,
        .text = n->text,
        .spoiler_text = n->spoiler_text,
        .language = n->language,
        .idempotency_key = key,
        .visibility = n->visibility,
        .sensitive = n->sensitive,
        .content_type = n->content_type ? content_type_parse(n->content_type) : -1,
        .list_id = n->list_id,
        .in_reply_to_id = n->in_reply_to_id,
        .channel_id = n->channel_id,
        .app_id = n->app_id,
    };
    if (n->poll) {
        s.poll_options = (const char **)n->poll->options;
        s.n_poll_options = n->poll->n_options;
        s.poll_expires_in = n->poll->expires_in;
        s.poll_multiple = n->poll->multiple;
        s.poll_hide_totals = n->poll->hide_totals;
    }
    if ((rc = store_scheduled_insert(c->db, &s))) return rc;
    if (n->n_media && (rc = attachments_hold(c, author, s.id, n->media_ids, n->n_media))) return rc;
    *id = s.id;
    return PL_OK;
}

int scheduled_get(app_ctx *c, int64_t owner, int64_t id, pl_scheduled *out)
{
    int rc = store_scheduled_get(c->db, owner, id, c->a, out);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (!rc) rc = attachments_of_scheduled(c, id, &out->media, &out->n_media);
    return rc;
}

int scheduled_list(app_ctx *c, int64_t owner, const pl_page *p, pl_idlist *out)
{
    return store_scheduled_page(c->db, owner, p, c->a, out);
}

int scheduled_move(app_ctx *c, int64_t owner, int64_t id, int64_t at)
{
    pl_scheduled s;
    int rc = scheduled_get(c, owner, id, &s);
    if (!rc) rc = check_time_and_limits(c, owner, id, at);
    if (!rc) rc = store_scheduled_set_time(c->db, owner, id, at);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int scheduled_cancel(app_ctx *c, int64_t owner, int64_t id)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_scheduled_delete(c->db, owner, id);
    if (rc == PL_ENOTFOUND) rc = app_fail(c, rc, "Record not found");
    /* its uploads are unattached again: the upload cleanup takes them in time */
    if (!rc) rc = store_attachments_release(c->db, id);
    return app_txn_end(c, rc);
}

/* May the account post at all now? (posts_create checks the rest: channels, replies, lists) */
static int author_may_post(app_ctx *c, int64_t author)
{
    const pl_account *a = app_account(c, author);
    if (!a) return app_fail(c, PL_ENOTFOUND, "the account no longer exists");
    if (a->is_disabled || !a->is_approved || a->is_unconfirmed || a->is_group)
        return app_fail(c, PL_EFORBIDDEN, "the account may not post");
    return PL_OK;
}

/* Publishes s as its author would post it now. */
static int publish(app_ctx *c, const pl_scheduled *s, int64_t *status_id)
{
    int rc = author_may_post(c, s->account_id);
    if (rc) return rc;
    polls_new poll = {s->poll_options, s->n_poll_options, s->poll_expires_in, s->poll_multiple,
                      s->poll_hide_totals};
    int64_t *media = arena_alloc(c->a, sizeof *media * (size_t)(s->n_media ? s->n_media : 1));
    for (int i = 0; i < s->n_media; i++) media[i] = s->media[i].id;
    posts_new n = {
        .text = s->text,
        .spoiler_text = s->spoiler_text,
        .language = s->language,
        .visibility = s->visibility,
        .sensitive = s->sensitive,
        .in_reply_to_id = s->in_reply_to_id,
        .app_id = s->app_id,
        .channel_id = s->channel_id,
        .list_id = s->list_id,
        .poll = s->n_poll_options ? &poll : NULL,
        .content_type = s->content_type >= 0 ? content_type_name(s->content_type) : NULL,
        .media_ids = media,
        .n_media = s->n_media,
        .has_media = s->n_media > 0,
    };
    c->viewer_id = s->account_id;
    return posts_create(c, s->account_id, &n, status_id);
}

int scheduled_publish_step(app_ctx *c, enum scheduled_outcome *outcome, int64_t *scheduled_id,
                           int64_t *status_id)
{
    *outcome = SCHEDULED_NONE;
    *scheduled_id = *status_id = 0;
    /* most of the time nothing is due: asked without taking SQLite's write lock */
    bool any = false;
    int rc = store_scheduled_any_due(c->db, c->now, &any);
    if (rc || !any) return rc;
    rc = app_txn_begin(c);
    if (rc) return rc;
    int64_t id = 0;
    pl_scheduled s;
    rc = store_scheduled_due(c->db, c->now, &id);
    if (!rc) rc = store_scheduled_get(c->db, 0, id, c->a, &s);
    if (!rc) rc = attachments_of_scheduled(c, id, &s.media, &s.n_media);
    if (!rc) rc = store_scheduled_delete(c->db, 0, id);
    /* its uploads go back to waiting for a post (the post below takes them; if it is refused
     * they stay unattached and the upload cleanup takes them) */
    if (!rc) rc = store_attachments_release(c->db, id);
    /* nothing due, or another node published it between our read and our delete */
    if (rc == PL_ENOTFOUND) return app_txn_end(c, PL_OK);
    if (rc) return app_txn_end(c, rc);
    *scheduled_id = id;
    /* the post's own writes in a savepoint: a refused post is undone, the delete stays */
    if ((rc = db_savepoint(c->db))) return app_txn_end(c, rc);
    int posted = publish(c, &s, status_id);
    if (posted == PL_OK) {
        rc = db_release(c->db);
        *outcome = SCHEDULED_PUBLISHED;
    } else if (posted == PL_EDB || posted == PL_ENOSPACE || db_retryable(c->db)) {
        rc = PL_EDB; /* the database failed, not the post: all of it stays due */
    } else {
        rc = db_rollback_to(c->db);
        *outcome = SCHEDULED_DROPPED;
        *status_id = 0;
    }
    rc = app_txn_end(c, rc);
    if (rc) *outcome = SCHEDULED_NONE;
    return rc;
}
