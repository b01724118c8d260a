/*
 * feed_sources.c — the feeds the company subscribes to (app/feed_sources.h says the rules).
 *
 * A refresh fetches outside any transaction (a fetch may take up to its total timeout, and no
 * write lock may wait on the network), then writes what it learned in one short transaction:
 * the new items (each kept once: the store's insert does nothing for a key already kept) and
 * the source's row. Validators are saved only from an answer that parsed: a feed that answered
 * 200 with bad XML must be fetched whole again next time, not answered 304 for ever.
 */
#include "app/feed_sources.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/audit.h"
#include "util/timeutil.h"

static int need_admin(app_ctx *c, const pl_account *viewer)
{
    if (viewer && !viewer->is_admin)
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may read or change the feeds");
    return PL_OK;
}

int feed_sources_list(app_ctx *c, const pl_account *viewer, pl_feed_source **out, int *n)
{
    int rc = need_admin(c, viewer);
    return rc ? rc : store_feed_sources(c->db, c->a, out, n);
}

/* An http or https URL with a host, of printable ASCII without spaces. */
static bool url_ok(const char *url)
{
    size_t skip = !strncasecmp(url, "http://", 7) ? 7 : !strncasecmp(url, "https://", 8) ? 8 : 0;
    if (!skip || strlen(url) > FEED_URL_MAX) return false;
    if (!url[skip] || url[skip] == '/' || url[skip] == '?' || url[skip] == '#') return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || *p >= 0x7f) return false;
    return true;
}

int feed_sources_add(app_ctx *c, const pl_account *viewer, const char *url, int64_t interval_s,
                     pl_feed_source *out)
{
    int rc = need_admin(c, viewer);
    if (rc) return rc;
    if (!url || !url_ok(url))
        return app_fail_field(c, PL_EINVAL, "url", "ERR_INVALID",
                              "Validation failed: url must be an http:// or https:// address of "
                              "at most %d characters, without spaces",
                              FEED_URL_MAX);
    if (interval_s != 0 && (interval_s < FEEDS_INTERVAL_MIN_S || interval_s > FEEDS_INTERVAL_MAX_S))
        return app_fail_field(c, PL_EINVAL, "interval", "ERR_INVALID",
                              "Validation failed: interval must be from %d to %d seconds",
                              FEEDS_INTERVAL_MIN_S, FEEDS_INTERVAL_MAX_S);
    if ((rc = app_txn_begin(c))) return rc;
    pl_feed_source *all;
    int n;
    rc = store_feed_sources(c->db, c->a, &all, &n);
    for (int i = 0; !rc && i < n; i++)
        if (!strcmp(all[i].url, url))
            rc = app_fail_field(c, PL_EINVAL, "url", "ERR_TAKEN",
                                "Validation failed: this feed is already subscribed to (id %lld)",
                                (long long)all[i].id);
    if (!rc && n >= FEED_SOURCES_MAX)
        rc = app_fail(c, PL_EINVAL,
                      "Validation failed: the company subscribes to %d feeds "
                      "already, the most it may",
                      FEED_SOURCES_MAX);
    *out = (pl_feed_source){.id = app_new_id(c),
                            .url = arena_strdup(c->a, url),
                            .title = "",
                            .interval_s = feeds_interval_s(interval_s),
                            .state = "new",
                            .last_error = "",
                            .next_fetch_at = c->now,
                            .created_by = viewer ? viewer->id : 0,
                            .created_at = c->now};
    if (!rc) rc = store_feed_source_insert(c->db, out);
    if (!rc)
        rc = audit_record(c,
                          &(audit_entry){.action = "feed.add",
                                         .actor_id = viewer ? viewer->id : 0,
                                         .no_actor = !viewer,
                                         .target_kind = "feed",
                                         .target_id = out->id,
                                         .detail = {AUDIT_STR("url", url),
                                                    AUDIT_COUNT("interval", out->interval_s),
                                                    AUDIT_STR("by", viewer ? NULL : "admin_cli")}});
    return app_txn_end(c, rc);
}

int feed_sources_remove(app_ctx *c, const pl_account *viewer, int64_t id)
{
    int rc = need_admin(c, viewer);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    pl_feed_source s;
    rc = store_feed_source_get(c->db, id, c->a, &s);
    if (rc == PL_ENOTFOUND) rc = app_fail(c, PL_ENOTFOUND, "There is no feed with this id");
    if (!rc) rc = store_feed_source_delete(c->db, id);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "feed.remove",
                              .actor_id = viewer ? viewer->id : 0,
                              .no_actor = !viewer,
                              .target_kind = "feed",
                              .target_id = id,
                              .detail = {AUDIT_STR("url", s.url), AUDIT_COUNT("items", s.items),
                                         AUDIT_STR("by", viewer ? NULL : "admin_cli")}});
    return app_txn_end(c, rc);
}

int feed_sources_poll(app_ctx *c, const feeds_limits *limits, int *fetched)
{
    *fetched = 0;
    pl_feed_source *due;
    int n;
    int rc = store_feed_sources_due(c->db, c->now, FEED_POLL_BATCH, c->a, &due, &n);
    for (int i = 0; !rc && i < n; i++) {
        if (limits && limits->is_stopping && limits->is_stopping(limits->stopping_ud)) break;
        bool got = false;
        c->now = time_now_ms(); /* each fetch is recorded at its own time */
        if ((rc = app_txn_begin(c))) break;
        rc = store_feed_source_claim(c->db, due[i].id, due[i].next_fetch_at, c->now + FEED_CLAIM_MS,
                                     &got);
        if ((rc = app_txn_end(c, rc)) || !got) continue;
        feed_refresh r;
        rc = feed_sources_refresh(c, &due[i], limits, &r);
        if (!rc) ++*fetched;
    }
    return rc;
}

int feed_sources_refresh(app_ctx *c, const pl_feed_source *s, const feeds_limits *limits,
                         feed_refresh *out)
{
    memset(out, 0, sizeof *out);
    feeds_limits lim = limits ? *limits : (feeds_limits)FEEDS_LIMITS_DEFAULT;
    lim.allow_loopback = c->cfg->feeds_allow_loopback;
    feeds_response r;
    feeds_fetch(s->url, s->etag, s->last_modified, &lim, &r);
    out->outcome = r.outcome;
    feeds_feed f = {0};
    bool is_ok = r.outcome != FEEDS_FAILED;
    if (r.outcome == FEEDS_FETCHED) {
        char err[256];
        if (feeds_parse(r.body.data, r.body.len, r.final_url ? r.final_url : s->url, 0, c->a, &f,
                        err, sizeof err)) {
            is_ok = false;
            out->outcome = FEEDS_FAILED;
            snprintf(out->error, sizeof out->error, "%s", err);
        }
    } else if (!is_ok) {
        snprintf(out->error, sizeof out->error, "%s", r.error);
    }
    feeds_source_state st = {.interval_s = s->interval_s, .failures = s->failures};
    feeds_next next = feeds_next_fetch(&st, !is_ok, r.retry_after_s, c->now);
    /* a 304 need not repeat its validators: the ones that earned it stay */
    pl_feed_fetch rec = {
        .source_id = s->id,
        .is_ok = is_ok,
        .title = f.title,
        .etag = r.outcome == FEEDS_NOT_MODIFIED && !r.etag ? s->etag : r.etag,
        .last_modified = r.outcome == FEEDS_NOT_MODIFIED && !r.last_modified ? s->last_modified
                                                                             : r.last_modified,
        .error = out->error,
        .failures = next.failures,
        .at = c->now,
        .next_fetch_at = next.at_ms,
    };
    out->items_seen = (int)f.n_items;
    int rc = app_txn_begin(c);
    /* oldest first (feeds list newest first), so that ids follow the feed's order */
    for (size_t i = f.n_items; !rc && i-- > 0;) {
        const feeds_item *it = &f.items[i];
        bool is_new = false;
        rc = store_feed_item_put(c->db,
                                 &(pl_feed_item){.id = app_new_id(c),
                                                 .source_id = s->id,
                                                 .key = it->key,
                                                 .link = it->link,
                                                 .title = it->title,
                                                 .author = it->author,
                                                 .published_at = it->published_ms,
                                                 .text = it->text,
                                                 .fetched_at = c->now},
                                 &is_new);
        out->items_new += is_new;
    }
    if (!rc) rc = store_feed_source_record(c->db, &rec);
    bool is_gone = rc == PL_ENOTFOUND; /* removed while it was being fetched: nothing kept */
    rc = app_txn_end(c, rc);
    if (rc) out->items_new = 0;
    if (is_gone) rc = PL_OK;
    feeds_response_free(&r);
    return rc;
}
