/*
 * audit.c — the audit log's rules: what a row says (app/audit.h), verifying the chain,
 * the administrators' page, retention.
 *
 * The detail is a small JSON object written here (the app layer has no JSON library, and
 * what goes in is ids, numbers and short names): a name is escaped as JSON wants and cut at
 * 64 bytes, on a character boundary, so a row stays small whatever a client typed.
 */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "util/buf.h"

static const char *const audience_names[] = {
    [PL_VIS_PUBLIC] = "public", [PL_VIS_UNLISTED] = "unlisted", [PL_VIS_PRIVATE] = "private",
    [PL_VIS_DIRECT] = "direct", [PL_VIS_COMPANY] = "company",   [PL_VIS_LIST] = "list",
    [PL_VIS_TICKET] = "ticket", [PL_VIS_INTERNAL] = "internal",
};
_Static_assert(sizeof audience_names / sizeof *audience_names == PL_VIS_LAST + 1,
               "every visibility has its audit name");

const char *audit_audience_name(int visibility)
{
    return visibility >= 0 && visibility <= PL_VIS_LAST ? audience_names[visibility] : "unknown";
}

enum { AUDIT_NAME_MAX = 64 };

static void put_name(buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > AUDIT_NAME_MAX) {
        n = AUDIT_NAME_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* not inside a character */
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)ch);
        } else if (ch < 0x20) {
            buf_printf(b, "\\u%04x", ch);
        } else {
            buf_putc(b, (char)ch);
        }
    }
    buf_putc(b, '"');
}

static const char *detail_json(app_ctx *c, const audit_detail *d)
{
    buf b = BUF_INIT;
    buf_putc(&b, '{');
    bool first = true;
    for (int i = 0; i < AUDIT_DETAIL_MAX && d[i].key; i++) {
        if (!d[i].str && !d[i].num && !d[i].is_count) continue; /* none: no channel, no list */
        if (!first) buf_putc(&b, ',');
        first = false;
        put_name(&b, d[i].key);
        buf_putc(&b, ':');
        if (d[i].str)
            put_name(&b, d[i].str);
        else
            buf_printf(&b, d[i].is_count ? "%lld" : "\"%lld\"", (long long)d[i].num);
    }
    buf_putc(&b, '}');
    const char *out = arena_strndup(c->a, b.data, b.len);
    buf_free(&b);
    return out;
}

const char *audit_names(app_ctx *c, const char *const *names, size_t n)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (names[i]) buf_printf(&b, "%s%s", b.len ? " " : "", names[i]);
    const char *out = arena_strdup(c->a, b.len ? b.data : "");
    buf_free(&b);
    return out;
}

int audit_record(app_ctx *c, const audit_entry *e)
{
    pl_audit_row r = {
        .id = app_new_id(c),
        .at = c->now,
        .actor_id = e->no_actor   ? 0
                    : e->actor_id ? e->actor_id
                                  : c->viewer_id,
        .ip = c->ip && *c->ip ? c->ip : NULL,
        .action = e->action,
        .target_kind = e->target_kind,
        .target_id = e->target_id,
        .audience = e->audience_name ? e->audience_name
                    : e->audience    ? audit_audience_name(e->audience - 1)
                                     : NULL,
        .detail = detail_json(c, e->detail),
    };
    int rc = store_audit_append(c->db, &r);
    if (rc) return app_fail(c, rc, "Could not record the act in the audit log");
    return PL_OK;
}

int audit_record_alone(app_ctx *c, const audit_entry *e)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    return app_txn_end(c, audit_record(c, e));
}

/* ---------------------------------------------------------------- verifying */

typedef struct verify_walk {
    audit_verdict *v;
    int64_t expect_seq, head_seq;
    char prev[AUDIT_HASH_HEX + 1];
} verify_walk;

static int verify_row(const pl_audit_row *r, void *ud)
{
    verify_walk *w = ud;
    audit_verdict *v = w->v;
    v->bad_seq = w->expect_seq;
    v->bad_id = r->id;
    if (r->seq > w->head_seq && w->expect_seq > w->head_seq) {
        v->bad_seq = r->seq;
        v->why = "it comes after the chain's head (a row added behind the server's back)";
        return 1;
    }
    if (r->seq != w->expect_seq) {
        /* the row expected here is gone (deleted), or this one was moved */
        v->bad_id = 0;
        v->why = r->seq > w->expect_seq ? "missing: deleted, or the rows were reordered"
                                        : "out of order";
        return 1;
    }
    if (!r->prev_hash || strcmp(r->prev_hash, w->prev)) {
        v->why = "its prev_hash is not the hash of the row before it (a row was deleted or "
                 "reordered)";
        return 1;
    }
    char h[AUDIT_HASH_HEX + 1];
    store_audit_hash(r, h);
    if (!r->hash || strcmp(r->hash, h)) {
        v->why = "its hash does not match its fields (the row was changed)";
        return 1;
    }
    if (!v->rows) v->first_at = r->at;
    v->last_at = r->at;
    v->rows++;
    w->expect_seq++;
    memcpy(w->prev, h, sizeof w->prev);
    return 0;
}

/* The walk itself, in the caller's snapshot. */
static int verify_in(app_ctx *c, audit_verdict *v)
{
    pl_audit_head h;
    int rc = store_audit_head(c->db, &h);
    if (rc == PL_ENOTFOUND) return PL_OK; /* nothing ever recorded */
    if (rc) return rc;
    verify_walk w = {.v = v, .expect_seq = h.anchor_seq, .head_seq = h.seq};
    memcpy(w.prev, h.anchor_hash, sizeof w.prev);
    rc = store_audit_walk(c->db, h.anchor_seq - 1, 0, 0, verify_row, &w);
    if (rc == 1) {
        v->whole = false;
        return PL_OK;
    }
    if (rc) return rc;
    if (w.expect_seq != h.seq + 1 || strcmp(w.prev, h.hash)) {
        v->whole = false;
        v->bad_seq = w.expect_seq;
        v->bad_id = 0;
        v->why = w.expect_seq <= h.seq ? "missing: the last rows were deleted"
                                       : "the chain's head does not match its last row";
    }
    return PL_OK;
}

int audit_verify(app_ctx *c, audit_verdict *v)
{
    *v = (audit_verdict){.whole = true};
    /* one snapshot: rows a running server appends, or retention deletes, meanwhile are not
     * mistaken for a broken chain (a context inside a transaction has its snapshot already) */
    if (!c->own_txn) return verify_in(c, v);
    int rc = db_begin_read(c->db);
    if (rc) return rc;
    rc = verify_in(c, v);
    db_end_read(c->db);
    return rc;
}

/* ---------------------------------------------------------------- reading, retention */

int audit_page(app_ctx *c, const pl_account *viewer, const pl_audit_filter *f, const pl_page *p,
               pl_audit_row **out, int *n)
{
    if (!viewer || !viewer->is_admin)
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may read the audit log");
    return store_audit_page(c->db, f, p->max_id, p->since_id, p->min_id, p->limit, c->a, out, n);
}

int audit_prune(app_ctx *c, int max_rows, int64_t *pruned)
{
    *pruned = 0;
    if (c->cfg->audit_retention_days <= 0) return PL_OK;
    int64_t before = c->now - (int64_t)c->cfg->audit_retention_days * 86400000LL, upto;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_audit_prune(c->db, before, max_rows, pruned, &upto);
    if (!rc && *pruned)
        rc = audit_record(c, &(audit_entry){.action = "audit.prune",
                                            .no_actor = true,
                                            .detail = {AUDIT_COUNT("count", *pruned),
                                                       AUDIT_ID("upto_id", upto)}});
    rc = app_txn_end(c, rc);
    if (rc) *pruned = 0;
    return rc;
}
