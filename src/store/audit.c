/*
 * audit.c — the audit log's rows and their hash chain (migration 052).
 *
 * A row is inserted unchained by its act (store_audit_append) and chained by db_commit just
 * before the act's transaction commits (store_audit_chain, registered with db_before_commit).
 * Chaining takes the chain head's row lock (an UPDATE of audit_chain's one row), so on
 * PostgreSQL two transactions — two writers, or two nodes — chain one after the other, each
 * from the head the other committed, and the lock is held only from there to the COMMIT
 * instead of for the whole group-committed batch. On SQLite the write lock already
 * serializes them.
 *
 * The hash covers a canonical serialization: a fixed prefix, then each field in a fixed
 * order as a 4-byte big-endian length and its bytes (integers in decimal; NULL as the length
 * 0xffffffff and no bytes), so no two different rows serialize alike.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/query.h"

static const char zero_hash[AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int store_audit_append(db *d, const pl_audit_row *r)
{
    PREPARE(s, d,
            "INSERT INTO audit_log (id, at, actor_id, ip, action, target_kind, target_id, "
            "audience, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, r->id);
    db_bind_i64(s, 2, r->at);
    if (r->actor_id)
        db_bind_i64(s, 3, r->actor_id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, r->ip, -1);
    db_bind_text(s, 5, r->action, -1);
    db_bind_text(s, 6, r->target_kind, -1);
    if (r->target_id)
        db_bind_i64(s, 7, r->target_id);
    else
        db_bind_null(s, 7);
    db_bind_text(s, 8, r->audience, -1);
    db_bind_text(s, 9, r->detail ? r->detail : "{}", -1);
    int rc = db_step_done(s);
    if (rc == PL_OK) db_before_commit(d, store_audit_chain);
    return rc;
}

static void put_text(crypto_generichash_state *st, const char *t)
{
    uint32_t n = t ? (uint32_t)strlen(t) : 0xffffffffu;
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    crypto_generichash_update(st, len, sizeof len);
    if (t) crypto_generichash_update(st, (const unsigned char *)t, strlen(t));
}

static void put_int(crypto_generichash_state *st, int64_t v, bool null_if_zero)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    put_text(st, null_if_zero && !v ? NULL : num);
}

void store_audit_hash(const pl_audit_row *r, char out[AUDIT_HASH_HEX + 1])
{
    static const char prefix[] = "partyline audit v1";
    crypto_generichash_state st;
    unsigned char h[32];
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)prefix, sizeof prefix - 1);
    put_int(&st, r->seq, false);
    put_int(&st, r->id, false);
    put_int(&st, r->at, false);
    put_int(&st, r->actor_id, true);
    put_text(&st, r->ip);
    put_text(&st, r->action);
    put_text(&st, r->target_kind);
    put_int(&st, r->target_id, true);
    put_text(&st, r->audience);
    put_text(&st, r->detail);
    put_text(&st, r->prev_hash);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, h, sizeof h);
}

/* Locks the head's row (made at the first call) and reads it. */
static int lock_head(db *d, int64_t *seq, char hash[AUDIT_HASH_HEX + 1])
{
    PREPARE(lock, d, "UPDATE audit_chain SET seq = seq WHERE one = 1 RETURNING seq, hash");
    for (int attempt = 0; attempt < 2; attempt++) {
        int rc = step_one(lock);
        if (rc == PL_OK) {
            *seq = db_col_i64(lock, 0);
            const char *h = db_col_text(lock, 1);
            snprintf(hash, AUDIT_HASH_HEX + 1, "%s", h ? h : "");
            db_reset(lock);
            return PL_OK;
        }
        if (rc != PL_ENOTFOUND) return rc;
        PREPARE(make, d,
                "INSERT INTO audit_chain (one, seq, hash, anchor_seq, anchor_hash) "
                "VALUES (1, 0, ?, 1, ?) ON CONFLICT (one) DO NOTHING");
        db_bind_text(make, 1, zero_hash, -1);
        db_bind_text(make, 2, zero_hash, -1);
        rc = db_step_done(make);
        if (rc) return rc;
    }
    return PL_EDB;
}

#define AUDIT_COLS                                                                                 \
    "id, seq, at, actor_id, ip, action, target_kind, target_id, audience, detail, prev_hash, hash"

/* The row s is on, its columns AUDIT_COLS; texts valid until s steps or resets. */
static void read_row(db_stmt *s, pl_audit_row *r)
{
    *r = (pl_audit_row){.id = db_col_i64(s, 0),
                        .seq = db_col_i64(s, 1),
                        .at = db_col_i64(s, 2),
                        .actor_id = db_col_i64(s, 3),
                        .ip = db_col_text(s, 4),
                        .action = db_col_text(s, 5),
                        .target_kind = db_col_text(s, 6),
                        .target_id = db_col_i64(s, 7),
                        .audience = db_col_text(s, 8),
                        .detail = db_col_text(s, 9),
                        .prev_hash = db_col_text(s, 10),
                        .hash = db_col_text(s, 11)};
}

/* Rows chained per read: a group-committed batch (16 jobs at most on PostgreSQL) is one. */
enum { CHAIN_PASS = 32 };

int store_audit_chain(db *d)
{
    int64_t seq;
    char prev[AUDIT_HASH_HEX + 1];
    int rc = lock_head(d, &seq, prev);
    if (rc) return rc;
    PREPARE(next, d, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 32");
    PREPARE(set, d, "UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?");
    int64_t chained = 0;
    for (;;) {
        /* a pass: read up to CHAIN_PASS rows, hash them in order, then write their links */
        struct {
            int64_t id;
            char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1];
        } link[CHAIN_PASS];
        int n = 0;
        while (n < CHAIN_PASS && (rc = db_step(next)) == DB_ROW) {
            pl_audit_row r;
            read_row(next, &r);
            r.seq = seq + n + 1;
            r.prev_hash = n ? link[n - 1].hash : prev;
            link[n].id = r.id;
            memcpy(link[n].prev, r.prev_hash, sizeof link[n].prev);
            store_audit_hash(&r, link[n].hash);
            n++;
        }
        db_reset(next);
        if (n < CHAIN_PASS && rc != DB_DONE) return rc;
        for (int k = 0; k < n; k++) {
            db_bind_i64(set, 1, seq + k + 1);
            db_bind_text(set, 2, link[k].prev, -1);
            db_bind_text(set, 3, link[k].hash, -1);
            db_bind_i64(set, 4, link[k].id);
            if ((rc = db_step_done(set))) return rc;
        }
        if (n) memcpy(prev, link[n - 1].hash, sizeof prev);
        seq += n;
        chained += n;
        if (n < CHAIN_PASS) break;
    }
    if (!chained) return PL_OK;
    PREPARE(head, d, "UPDATE audit_chain SET seq = ?, hash = ? WHERE one = 1");
    db_bind_i64(head, 1, seq);
    db_bind_text(head, 2, prev, -1);
    return db_step_done(head);
}

int store_audit_head(db *d, pl_audit_head *out)
{
    PREPARE(s, d, "SELECT seq, hash, anchor_seq, anchor_hash FROM audit_chain WHERE one = 1");
    int rc = step_one(s);
    if (rc) return rc;
    out->seq = db_col_i64(s, 0);
    snprintf(out->hash, sizeof out->hash, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    out->anchor_seq = db_col_i64(s, 2);
    snprintf(out->anchor_hash, sizeof out->anchor_hash, "%s",
             db_col_text(s, 3) ? db_col_text(s, 3) : "");
    db_reset(s);
    return PL_OK;
}

int store_audit_walk(db *d, int64_t after_seq, int64_t since, int64_t until,
                     int (*fn)(const pl_audit_row *r, void *ud), void *ud)
{
    PREPARE(s, d,
            "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ? AND at >= ? AND at < ? "
            "ORDER BY seq LIMIT 1000");
    for (;;) {
        db_bind_i64(s, 1, after_seq);
        db_bind_i64(s, 2, since);
        db_bind_i64(s, 3, until > 0 ? until : INT64_MAX);
        int got = 0, rc;
        while ((rc = db_step(s)) == DB_ROW) {
            pl_audit_row r;
            read_row(s, &r);
            after_seq = r.seq;
            got++;
            int stop = fn(&r, ud);
            if (stop) {
                db_reset(s);
                return stop;
            }
        }
        db_reset(s);
        if (rc != DB_DONE) return rc;
        if (got < 1000) return PL_OK;
    }
}

/* The page's statements: one per leading index (none, target, actor, action) and order. */
#define AUDIT_FILTER                                                                               \
    "seq IS NOT NULL AND (? = 0 OR actor_id = ?) AND (? = '' OR action = ?) AND "                  \
    "(? = 0 OR target_id = ?) AND at >= ? AND at < ?"
#define AUDIT_PAGE(lead, tail) "SELECT " AUDIT_COLS " FROM audit_log WHERE " lead AUDIT_FILTER tail
static const char *const page_sql[4][2] = {
    {AUDIT_PAGE("", PAGE_DESC("id")), AUDIT_PAGE("", PAGE_ASC("id"))},
    {AUDIT_PAGE("target_id = ? AND ", PAGE_DESC("id")),
     AUDIT_PAGE("target_id = ? AND ", PAGE_ASC("id"))},
    {AUDIT_PAGE("actor_id = ? AND ", PAGE_DESC("id")),
     AUDIT_PAGE("actor_id = ? AND ", PAGE_ASC("id"))},
    {AUDIT_PAGE("action = ? AND ", PAGE_DESC("id")), AUDIT_PAGE("action = ? AND ", PAGE_ASC("id"))},
};

int store_audit_page(db *d, const pl_audit_filter *f, int64_t max_id, int64_t since_id,
                     int64_t min_id, int limit, arena *a, pl_audit_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    int lead = f->target_id ? 1 : f->actor_id ? 2 : f->action && *f->action ? 3 : 0;
    bool asc = min_id && !since_id;
    PREPARE(s, d, page_sql[lead][asc]);
    int i = 1;
    if (lead == 1) db_bind_i64(s, i++, f->target_id);
    if (lead == 2) db_bind_i64(s, i++, f->actor_id);
    if (lead == 3) db_bind_text(s, i++, f->action, -1);
    db_bind_i64(s, i++, f->actor_id);
    db_bind_i64(s, i++, f->actor_id);
    db_bind_text(s, i++, f->action ? f->action : "", -1);
    db_bind_text(s, i++, f->action ? f->action : "", -1);
    db_bind_i64(s, i++, f->target_id);
    db_bind_i64(s, i++, f->target_id);
    db_bind_i64(s, i++, f->since_at);
    db_bind_i64(s, i++, f->until_at > 0 ? f->until_at : INT64_MAX);
    db_bind_i64(s, i++, max_id > 0 ? max_id : INT64_MAX);
    db_bind_i64(s, i++, asc ? min_id : since_id);
    db_bind_i64(s, i++, limit);
    pl_audit_row *rows = arena_alloc(a, sizeof *rows * (size_t)(limit > 0 ? limit : 1));
    int rc = DB_DONE, k = 0;
    while (k < limit && (rc = db_step(s)) == DB_ROW) {
        pl_audit_row r;
        read_row(s, &r);
        r.ip = col_str(s, 4, a);
        r.action = col_str(s, 5, a);
        r.target_kind = col_str(s, 6, a);
        r.audience = col_str(s, 8, a);
        r.detail = col_str(s, 9, a);
        r.prev_hash = col_str(s, 10, a);
        r.hash = col_str(s, 11, a);
        rows[k++] = r;
    }
    if (k < limit && rc != DB_DONE) {
        db_reset(s);
        return rc;
    }
    db_reset(s);
    if (asc)
        for (int x = 0, y = k - 1; x < y; x++, y--) {
            pl_audit_row t = rows[x];
            rows[x] = rows[y];
            rows[y] = t;
        }
    *out = rows;
    *n = k;
    return PL_OK;
}

int store_audit_prune(db *d, int64_t before_at, int max_rows, int64_t *count, int64_t *upto_id)
{
    *count = 0;
    *upto_id = 0;
    PREPARE(oldest, d, "SELECT at FROM audit_log WHERE seq IS NOT NULL ORDER BY seq LIMIT 1");
    int rc = step_one(oldest);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    int64_t oldest_at = db_col_i64(oldest, 0);
    db_reset(oldest);
    if (oldest_at >= before_at) return PL_OK; /* the usual answer: a probe, no lock */
    int64_t head_seq;
    char head_hash[AUDIT_HASH_HEX + 1];
    rc = lock_head(d, &head_seq, head_hash); /* one pruner at a time, on any node */
    if (rc) return rc;
    pl_audit_head h;
    rc = store_audit_head(d, &h);
    if (rc) return rc;
    PREPARE(s, d, "SELECT seq, id, at, hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?");
    db_bind_i64(s, 1, h.anchor_seq);
    db_bind_i64(s, 2, max_rows);
    int64_t last_seq = 0;
    char last_hash[AUDIT_HASH_HEX + 1] = "";
    while ((rc = db_step(s)) == DB_ROW) {
        if (db_col_i64(s, 2) >= before_at) break;
        last_seq = db_col_i64(s, 0);
        *upto_id = db_col_i64(s, 1);
        snprintf(last_hash, sizeof last_hash, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
    }
    db_reset(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!last_seq) return PL_OK;
    PREPARE(del, d, "DELETE FROM audit_log WHERE seq >= ? AND seq <= ?");
    db_bind_i64(del, 1, h.anchor_seq);
    db_bind_i64(del, 2, last_seq);
    rc = db_step_done(del);
    if (rc) return rc;
    *count = db_changes(d);
    PREPARE(anchor, d, "UPDATE audit_chain SET anchor_seq = ?, anchor_hash = ? WHERE one = 1");
    db_bind_i64(anchor, 1, last_seq + 1);
    db_bind_text(anchor, 2, last_hash, -1);
    return db_step_done(anchor);
}
