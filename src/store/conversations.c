/*
 * conversations.c — direct conversations: status_conversations(status_id, conversation_id),
 * account_conversations (one row per participant and set of other participants) and
 * conversation_statuses (the statuses of each row).
 *
 * A row is keyed by (account_id, conversation_id, participant_ids), as Mastodon's
 * account_conversations: the participant set is part of the key, so a message that leaves
 * someone out never lands in that person's row. participant_ids is the other participants'
 * ids ascending, joined by commas: one text column makes the key portable (no arrays on
 * SQLite) and a direct message has few recipients (max_mentions). The statuses of a row are
 * kept so that deleting or editing one finds its rows and each row's last status again.
 * Nothing here is cached per event loop (only statuses and accounts are), so nothing calls
 * db_touch. Every function that takes an owner names it in its WHERE clause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conversations.h"
#include "store/query.h"

#define CONV_COLS "id, account_id, conversation_id, participant_ids, last_status_id, unread"

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* "3,5,9" from ids (sorted here, in a copy); "" for none. */
static const char *participants_key(arena *a, const int64_t *ids, int n)
{
    int64_t *v = arena_alloc(a, sizeof *v * (size_t)(n + 1));
    if (n) memcpy(v, ids, sizeof *v * (size_t)n);
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    char *out = arena_alloc(a, (size_t)n * 21 + 1), *p = out;
    *p = '\0';
    for (int i = 0; i < n; i++) {
        if (i) *p++ = ',';
        p += sprintf(p, "%lld", (long long)v[i]);
    }
    return out;
}

/* The ids of a participant_ids text. */
static void parse_participants(const char *t, arena *a, pl_conversation *o)
{
    int n = 0;
    for (const char *p = t; p && *p; p++)
        if (*p == ',') n++;
    n = t && *t ? n + 1 : 0;
    o->participant_ids = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
    o->n_participants = 0;
    for (const char *p = t; p && *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) break;
        o->participant_ids[o->n_participants++] = v;
        p = *end == ',' ? end + 1 : end;
    }
}

static void read_conversation(db_stmt *s, arena *a, pl_conversation *o)
{
    o->id = db_col_i64(s, 0);
    o->account_id = db_col_i64(s, 1);
    o->conversation_id = db_col_i64(s, 2);
    parse_participants(db_col_text(s, 3), a, o);
    o->last_status_id = db_col_i64(s, 4);
    o->unread = db_col_i64(s, 5) != 0;
}

static int collect_conversations(db_stmt *s, int limit, arena *a, pl_conversation **out, int *n)
{
    int cap = 0, count = 0, rc = DB_DONE;
    pl_conversation *v = NULL;
    while ((limit < 0 || count < limit) && (rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            int ncap = cap ? cap * 2 : 8;
            pl_conversation *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
            if (count) memcpy(nv, v, sizeof *v * (size_t)count);
            v = nv;
            cap = ncap;
        }
        read_conversation(s, a, &v[count++]);
    }
    db_reset(s);
    if (rc < 0) return rc;
    *out = v;
    *n = count;
    return PL_OK;
}

int store_status_conversation_get(db *d, int64_t status_id, int64_t *conversation_id)
{
    PREPARE(s, d, "SELECT conversation_id FROM status_conversations WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    int rc = step_one(s);
    if (rc) return rc;
    *conversation_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_status_conversation_set(db *d, int64_t status_id, int64_t conversation_id)
{
    PREPARE(s, d,
            "INSERT INTO status_conversations (status_id, conversation_id) VALUES (?, ?) "
            "ON CONFLICT (status_id) DO UPDATE SET conversation_id = excluded.conversation_id");
    db_bind_i64(s, 1, status_id);
    db_bind_i64(s, 2, conversation_id);
    return db_step_done(s);
}

int store_conversation_add_status(db *d, int64_t new_id, int64_t account_id,
                                  int64_t conversation_id, const int64_t *participants, int n,
                                  int64_t status_id, bool unread, bool set_unread)
{
    arena a = ARENA_INIT;
    const char *key = participants_key(&a, participants, n);
    int rc;
    {
        PREPARE(up, d,
                "INSERT INTO account_conversations (" CONV_COLS ") VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (account_id, conversation_id, participant_ids) DO UPDATE SET "
                "last_status_id = CASE WHEN excluded.last_status_id > "
                "account_conversations.last_status_id THEN excluded.last_status_id ELSE "
                "account_conversations.last_status_id END, "
                "unread = CASE WHEN ? = 1 THEN excluded.unread ELSE account_conversations.unread "
                "END");
        db_bind_i64(up, 1, new_id);
        db_bind_i64(up, 2, account_id);
        db_bind_i64(up, 3, conversation_id);
        db_bind_text(up, 4, key, -1);
        db_bind_i64(up, 5, status_id);
        db_bind_i64(up, 6, unread);
        db_bind_i64(up, 7, set_unread);
        rc = db_step_done(up);
    }
    int64_t row = 0;
    if (!rc) {
        db_stmt *s = db_prepare(d, "SELECT id FROM account_conversations WHERE account_id = ? "
                                   "AND conversation_id = ? AND participant_ids = ?");
        rc = s ? PL_OK : PL_EDB;
        if (s) {
            db_bind_i64(s, 1, account_id);
            db_bind_i64(s, 2, conversation_id);
            db_bind_text(s, 3, key, -1);
            rc = step_one(s);
            if (!rc) row = db_col_i64(s, 0);
            if (!rc) db_reset(s);
        }
    }
    arena_free(&a);
    if (rc) return rc;
    /* the participant's streaming clients hear of it (a conversation event, direct stream) */
    db_event(d, EV_CONVERSATION, row, account_id, 0);
    PREPARE(link, d,
            "INSERT INTO conversation_statuses (account_conversation_id, status_id) "
            "VALUES (?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(link, 1, row);
    db_bind_i64(link, 2, status_id);
    return db_step_done(link);
}

int store_conversations_with_status(db *d, int64_t status_id, arena *a, pl_conversation **out,
                                    int *n)
{
    PREPARE(s, d,
            "SELECT c.id, c.account_id, c.conversation_id, c.participant_ids, c.last_status_id, "
            "c.unread FROM conversation_statuses cs JOIN account_conversations c "
            "ON c.id = cs.account_conversation_id WHERE cs.status_id = ?");
    db_bind_i64(s, 1, status_id);
    return collect_conversations(s, -1, a, out, n);
}

int store_conversations_remove_status(db *d, int64_t status_id)
{
    arena a = ARENA_INIT;
    int64_t *rows;
    int n, rc;
    {
        PREPARE(s, d,
                "SELECT account_conversation_id FROM conversation_statuses WHERE status_id = ?");
        db_bind_i64(s, 1, status_id);
        rc = store_collect_ids(s, &a, &rows, &n);
    }
    if (!rc) {
        db_stmt *s = db_prepare(d, "DELETE FROM conversation_statuses WHERE status_id = ?");
        rc = s ? PL_OK : PL_EDB;
        if (s) {
            db_bind_i64(s, 1, status_id);
            rc = db_step_done(s);
        }
    }
    /* a row left empty goes; the others point at their newest remaining status */
    for (int i = 0; i < n && !rc; i++) {
        db_stmt *del = db_prepare(d, "DELETE FROM account_conversations WHERE id = ? AND NOT "
                                     "EXISTS (SELECT 1 FROM conversation_statuses WHERE "
                                     "account_conversation_id = ?)");
        db_stmt *up = db_prepare(d, "UPDATE account_conversations SET last_status_id = "
                                    "(SELECT max(status_id) FROM conversation_statuses WHERE "
                                    "account_conversation_id = ?) WHERE id = ?");
        if (!del || !up) {
            rc = PL_EDB;
            break;
        }
        db_bind_i64(del, 1, rows[i]);
        db_bind_i64(del, 2, rows[i]);
        if ((rc = db_step_done(del))) break;
        if (db_changes(d)) continue;
        db_bind_i64(up, 1, rows[i]);
        db_bind_i64(up, 2, rows[i]);
        rc = db_step_done(up);
    }
    arena_free(&a);
    if (rc) return rc;
    PREPARE(s, d, "DELETE FROM status_conversations WHERE status_id = ?");
    db_bind_i64(s, 1, status_id);
    return db_step_done(s);
}

int store_conversation_get(db *d, int64_t owner, int64_t id, arena *a, pl_conversation *out)
{
    PREPARE(s, d,
            "SELECT " CONV_COLS " FROM account_conversations WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = step_one(s);
    if (rc) return rc;
    read_conversation(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_conversations_page(db *d, int64_t owner, const pl_page *p, arena *a,
                             pl_conversation **out, int *n)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
#define PAGE_SQL                                                                                   \
    "SELECT " CONV_COLS " FROM account_conversations WHERE account_id = ? "                        \
    "AND last_status_id < ? AND last_status_id > ? ORDER BY last_status_id "
    db_stmt *s = db_prepare(d, asc ? PAGE_SQL "ASC LIMIT ?" : PAGE_SQL "DESC LIMIT ?");
#undef PAGE_SQL
    if (!s) return PL_EDB;
    db_bind_i64(s, 1, owner);
    db_bind_i64(s, 2, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, 3, asc ? p->min_id : (p->since_id > 0 ? p->since_id : 0));
    db_bind_i64(s, 4, p->limit);
    int rc = collect_conversations(s, p->limit, a, out, n);
    if (rc || !asc) return rc;
    for (int x = 0, y = *n - 1; x < y; x++, y--) {
        pl_conversation t = (*out)[x];
        (*out)[x] = (*out)[y];
        (*out)[y] = t;
    }
    return PL_OK;
}

int store_conversation_statuses(db *d, int64_t id, int limit, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT status_id FROM conversation_statuses WHERE account_conversation_id = ? "
            "ORDER BY status_id DESC LIMIT ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, limit);
    return store_collect_ids(s, a, ids, n);
}

int store_conversation_mark_read(db *d, int64_t owner, int64_t id)
{
    PREPARE(s, d, "UPDATE account_conversations SET unread = 0 WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) ? PL_OK : PL_ENOTFOUND;
}

int store_conversation_delete(db *d, int64_t owner, int64_t id)
{
    PREPARE(s, d, "DELETE FROM account_conversations WHERE id = ? AND account_id = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, owner);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    PREPARE(m, d, "DELETE FROM conversation_statuses WHERE account_conversation_id = ?");
    db_bind_i64(m, 1, id);
    return db_step_done(m);
}

int store_conversations_unread_count(db *d, int64_t owner, int cap, int64_t *n)
{
    PREPARE(s, d,
            "SELECT count(*) FROM (SELECT 1 FROM account_conversations WHERE account_id = ? "
            "AND unread = 1 LIMIT ?) unread_rows");
    db_bind_i64(s, 1, owner);
    db_bind_i64(s, 2, cap);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}
