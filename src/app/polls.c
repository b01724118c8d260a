/*
 * polls.c — polls on statuses (see polls.h for the rules).
 *
 * A poll is written with its status and lives and dies with it. The poll is never part of
 * the status JSON that the event loops cache (it changes with every vote and, through
 * `expired`, with the clock, and `voted`/`own_votes` are the viewer's): it is read from the
 * store for each request that shows it, in one query, plus one for the viewer's own votes.
 *
 * Ending: nothing happens at the moment a poll ends; `expired` is computed from the clock.
 * The writer thread calls polls_notify_ended_step about once a second; it claims ended polls
 * whose notifications were not sent (a durable flag on the row, set in the same transaction
 * as the notifications), so each poll is notified once, after a restart too, and by only one
 * of several nodes.
 */
#include "polls.h"

#include <string.h>

#include "app/audience.h"
#include "app/notify.h"
#include "store/polls.h"
#include "store/posts.h"
#include "util/text.h"

int polls_check(app_ctx *c, const polls_new *p)
{
    const pl_config *cfg = c->cfg;
    if (p->n_options < 2)
        return app_fail(c, PL_EINVAL, "Validation failed: A poll must have at least 2 options");
    if (p->n_options > cfg->poll_max_options)
        return app_fail(c, PL_EINVAL, "Validation failed: A poll can have at most %d options",
                        cfg->poll_max_options);
    for (int i = 0; i < p->n_options; i++) {
        const char *o = p->options[i];
        size_t len = strlen(o);
        if (!text_is_valid_utf8(o, len))
            return app_fail(c, PL_EINVAL, "Validation failed: Poll option %d is not valid UTF-8",
                            i + 1);
        if (!o[strspn(o, " \t\r\n")])
            return app_fail(c, PL_EINVAL, "Validation failed: Poll option %d is blank", i + 1);
        if ((int)text_char_count(o, len, NULL) > cfg->poll_max_characters_per_option)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: Poll option %d is longer than %d characters", i + 1,
                            cfg->poll_max_characters_per_option);
        for (int j = 0; j < i; j++)
            if (!strcmp(p->options[j], o))
                return app_fail(c, PL_EINVAL,
                                "Validation failed: Poll options %d and %d are the same", j + 1,
                                i + 1);
    }
    if (p->expires_in < cfg->poll_min_expiration)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Poll expires_in must be at least %d seconds",
                        cfg->poll_min_expiration);
    if (p->expires_in > cfg->poll_max_expiration)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Poll expires_in must be at most %d seconds",
                        cfg->poll_max_expiration);
    return PL_OK;
}

static pl_poll poll_record(app_ctx *c, const pl_status *s, const polls_new *p)
{
    return (pl_poll){
        .id = s->poll_id,
        .status_id = s->id,
        .account_id = s->account_id,
        .expires_at = c->now + p->expires_in * 1000,
        .multiple = p->multiple,
        .hide_totals = p->hide_totals,
        .created_at = c->now,
        .n_options = p->n_options,
        .titles = (const char **)p->options,
    };
}

int polls_insert(app_ctx *c, const pl_status *s, const polls_new *p)
{
    pl_poll rec = poll_record(c, s, p);
    return store_poll_insert(c->db, &rec);
}

static bool same_options(const pl_poll *old, const polls_new *p)
{
    if (old->n_options != p->n_options) return false;
    for (int i = 0; i < p->n_options; i++)
        if (strcmp(old->titles[i], p->options[i])) return false;
    return true;
}

int polls_edit(app_ctx *c, pl_status *s, const polls_new *p)
{
    int rc;
    if (!s->poll_id) {
        if (!p) return PL_OK;
        s->poll_id = app_new_id(c);
        return polls_insert(c, s, p);
    }
    if (!p) {
        rc = store_poll_delete(c->db, s->poll_id);
        s->poll_id = 0;
        return rc;
    }
    pl_poll old;
    if ((rc = store_poll_get(c->db, s->poll_id, c->a, &old))) return rc;
    bool reset = !same_options(&old, p) || old.multiple != p->multiple;
    pl_poll rec = poll_record(c, s, p);
    return store_poll_update(c->db, &rec, reset);
}

int polls_view(app_ctx *c, int64_t viewer, int64_t poll_id, pl_poll_view *out)
{
    memset(out, 0, sizeof *out);
    int rc = store_poll_get(c->db, poll_id, c->a, &out->poll);
    if (rc) return rc;
    out->expired = out->poll.expires_at <= c->now;
    out->show_totals = !out->poll.hide_totals || out->expired;
    if (viewer) {
        out->has_viewer = true;
        rc = store_poll_own_votes(c->db, poll_id, viewer, c->a, &out->own_votes, &out->n_own_votes);
        if (rc) return rc;
        out->voted = out->n_own_votes > 0;
    }
    return PL_OK;
}

int polls_get(app_ctx *c, int64_t viewer, int64_t poll_id, pl_poll_view *out)
{
    int rc = polls_view(c, viewer, poll_id, out);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    if (rc) return rc;
    const pl_status *s = app_status(c, out->poll.status_id);
    if (!s || !audience_can_see(c, viewer, s)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    return PL_OK;
}

int polls_vote(app_ctx *c, int64_t viewer, int64_t poll_id, const int64_t *choices, int n)
{
    pl_poll_view v;
    int rc = polls_get(c, viewer, poll_id, &v);
    if (rc) return rc;
    const pl_poll *p = &v.poll;
    if (v.expired) return app_fail(c, PL_EINVAL, "Validation failed: The poll has already ended");
    if (v.voted)
        return app_fail(c, PL_EINVAL, "Validation failed: You have already voted on this poll");
    if (n == 0) return app_fail(c, PL_EINVAL, "Validation failed: choices can't be empty");
    if (n > 1 && !p->multiple)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: This poll allows one choice only, %d were given", n);
    int *picked = arena_alloc(c->a, sizeof *picked * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (choices[i] < 0 || choices[i] >= p->n_options)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: Invalid choice (options are numbered 0 to %d)",
                            p->n_options - 1);
        for (int j = 0; j < i; j++)
            if (picked[j] == choices[i])
                return app_fail(c, PL_EINVAL, "Validation failed: Choice %d is given twice",
                                picked[j]);
        picked[i] = (int)choices[i];
    }
    rc = store_poll_vote(c->db, poll_id, viewer, picked, n, c->now);
    if (rc == PL_ECONFLICT) /* a vote of the same person elsewhere got there first */
        return app_fail(c, PL_EINVAL, "Validation failed: You have already voted on this poll");
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "Record not found");
    return rc;
}

int polls_notify_ended_step(app_ctx *c, int limit, int *claimed)
{
    *claimed = 0;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    int64_t *ids;
    int n;
    rc = store_polls_claim_ended(c->db, c->now, limit, c->a, &ids, &n);
    for (int i = 0; i < n && !rc; i++) {
        pl_poll p;
        if (store_poll_get(c->db, ids[i], c->a, &p) != PL_OK) continue;
        pl_status s;
        if (store_status_get(c->db, p.status_id, c->a, &s) != PL_OK) continue;
        int64_t *voters;
        int nv;
        if ((rc = store_poll_voters(c->db, p.id, c->a, &voters, &nv))) break;
        rc = notify_poll_ended(c, &s, voters, nv);
    }
    if ((rc = app_txn_end(c, rc))) return rc;
    *claimed = n;
    return PL_OK;
}
