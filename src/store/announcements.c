/*
 * announcements.c — company announcements, their dismissals and reactions (migration 031).
 *
 * A company has a handful of announcements at a time (the app layer bounds the unended ones
 * with `max_announcements`), so the running ones are read whole, without paging, and
 * reactions are counted on read with one grouped query per announcement rather than kept as
 * counters: a counter would be one more thing to keep true for a number nobody pages through.
 * Whether an announcement is running is a question of its times only, answered here in SQL so
 * that every reader agrees on the clock reading it was given.
 */
#include "store/announcements.h"

#include <string.h>

#include "store/query.h"

#define ANN_COLS                                                                                   \
    "id, text, starts_at, ends_at, all_day, published_at, created_by, created_at, updated_at"

static void bind_time(db_stmt *s, int idx, int64_t ms)
{
    if (ms)
        db_bind_i64(s, idx, ms);
    else
        db_bind_null(s, idx);
}

static void read_row(db_stmt *s, arena *a, pl_announcement *an)
{
    an->id = db_col_i64(s, 0);
    an->text = col_str(s, 1, a);
    an->starts_at = db_col_i64(s, 2);
    an->ends_at = db_col_i64(s, 3);
    an->all_day = db_col_i64(s, 4) != 0;
    an->published_at = db_col_i64(s, 5);
    an->created_by = db_col_i64(s, 6);
    an->created_at = db_col_i64(s, 7);
    an->updated_at = db_col_i64(s, 8);
}

/* Reads every row of a statement ready to step into an arena array; resets it. */
static int collect(db_stmt *s, arena *a, pl_announcement **out, int *n)
{
    int cap = 8, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_announcement *grown = arena_alloc(a, sizeof *grown * (size_t)cap * 2);
            memcpy(grown, *out, sizeof *grown * (size_t)cap);
            *out = grown;
            cap *= 2;
        }
        read_row(s, a, &(*out)[(*n)++]);
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_announcement_insert(db *d, const pl_announcement *an)
{
    PREPARE(s, d, "INSERT INTO announcements (" ANN_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, an->id);
    db_bind_text(s, 2, an->text, -1);
    bind_time(s, 3, an->starts_at);
    bind_time(s, 4, an->ends_at);
    db_bind_i64(s, 5, an->all_day);
    db_bind_i64(s, 6, an->published_at);
    bind_time(s, 7, an->created_by);
    db_bind_i64(s, 8, an->created_at);
    db_bind_i64(s, 9, an->updated_at);
    int rc = db_step_done(s);
    if (!rc && an->published_at <= an->created_at) db_event(d, EV_ANNOUNCEMENT, an->id, 0, 0);
    return rc;
}

int store_announcement_delete(db *d, int64_t id)
{
    int rc;
    {
        PREPARE(s, d, "DELETE FROM announcement_reactions WHERE announcement_id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = db_step_done(s))) return rc;
    }
    {
        PREPARE(s, d, "DELETE FROM announcement_dismissals WHERE announcement_id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = db_step_done(s))) return rc;
    }
    {
        PREPARE(s, d, "DELETE FROM announcement_emoji WHERE announcement_id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = db_step_done(s))) return rc;
    }
    PREPARE(s, d, "DELETE FROM announcements WHERE id = ?");
    db_bind_i64(s, 1, id);
    if ((rc = db_step_done(s))) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    db_event(d, EV_ANNOUNCEMENT_DELETE, id, 0, 0);
    return PL_OK;
}

int store_announcement_get(db *d, int64_t id, arena *a, pl_announcement *out)
{
    PREPARE(s, d, "SELECT " ANN_COLS " FROM announcements WHERE id = ?");
    db_bind_i64(s, 1, id);
    int rc = step_one(s);
    if (rc) return rc;
    read_row(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_announcements_running(db *d, int64_t now, int64_t dismissed_by, arena *a,
                                pl_announcement **out, int *n)
{
    /* the dismissal test is an anti-join that is empty for account 0, so one text serves both */
    PREPARE(s, d,
            "SELECT " ANN_COLS " FROM announcements WHERE published_at <= ? "
            "AND (ends_at IS NULL OR ends_at > ?) AND NOT EXISTS (SELECT 1 FROM "
            "announcement_dismissals m WHERE m.announcement_id = announcements.id AND "
            "m.account_id = ?) ORDER BY COALESCE(starts_at, published_at), id");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, now);
    db_bind_i64(s, 3, dismissed_by);
    return collect(s, a, out, n);
}

int store_announcements_all(db *d, int limit, arena *a, pl_announcement **out, int *n)
{
    PREPARE(s, d, "SELECT " ANN_COLS " FROM announcements ORDER BY id DESC LIMIT ?");
    db_bind_i64(s, 1, limit);
    return collect(s, a, out, n);
}

int store_announcements_unended(db *d, int64_t now, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM announcements WHERE ends_at IS NULL OR ends_at > ?");
    db_bind_i64(s, 1, now);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_announcement_dismiss(db *d, int64_t id, int64_t account_id, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO announcement_dismissals (announcement_id, account_id, created_at) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, now);
    return db_step_done(s);
}

bool store_announcement_dismissed(db *d, int64_t id, int64_t account_id)
{
    return store_exists2(
        d, "SELECT 1 FROM announcement_dismissals WHERE announcement_id = ? AND account_id = ?", id,
        account_id);
}

/* The number of the emoji among the announcement's, given the first time it is used (then read
 * back). A second writer numbering another emoji at the same moment (PostgreSQL) takes the same
 * number and fails on the key: then it is numbered again, once. */
static int emoji_slot(db *d, int64_t id, const char *name, int64_t *slot)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        {
            PREPARE(s, d,
                    "SELECT slot FROM announcement_emoji WHERE announcement_id = ? AND name = ?");
            db_bind_i64(s, 1, id);
            db_bind_text(s, 2, name, -1);
            int rc = step_one(s);
            if (rc == PL_OK) {
                *slot = db_col_i64(s, 0);
                db_reset(s);
                return PL_OK;
            }
            if (rc != PL_ENOTFOUND) return rc;
        }
        PREPARE(s, d,
                "INSERT INTO announcement_emoji (announcement_id, slot, name) SELECT ?, "
                "COALESCE(max(slot), 0) + 1, ? FROM announcement_emoji WHERE announcement_id = ?");
        db_bind_i64(s, 1, id);
        db_bind_text(s, 2, name, -1);
        db_bind_i64(s, 3, id);
        int rc = db_step_done(s);
        if (rc && rc != PL_ECONFLICT) return rc;
    }
    return PL_ECONFLICT;
}

/* The reaction's event, with how many have reacted so with it as this transaction leaves
 * them: the count a stream sends is the act's, not whatever it is when the event is sent
 * (a reaction taken back at once would otherwise be heard twice as 0). */
static int reaction_event(db *d, int64_t id, const char *name, int64_t slot)
{
    PREPARE(s, d,
            "SELECT count(*) FROM announcement_reactions WHERE announcement_id = ? AND name = ?");
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, name, -1);
    int rc = step_one(s);
    if (rc) return rc;
    int64_t count = db_col_i64(s, 0);
    db_reset(s);
    db_event(d, EV_ANNOUNCEMENT_REACTION, id, slot, count);
    return PL_OK;
}

int store_announcement_react(db *d, int64_t id, int64_t account_id, const char *name, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO announcement_reactions (announcement_id, account_id, name, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_text(s, 3, name, -1);
    db_bind_i64(s, 4, now);
    int rc = db_step_done(s);
    if (rc || db_changes(d) == 0) return rc;
    int64_t slot;
    if ((rc = emoji_slot(d, id, name, &slot))) return rc;
    return reaction_event(d, id, name, slot);
}

int store_announcement_unreact(db *d, int64_t id, int64_t account_id, const char *name)
{
    PREPARE(s, d,
            "DELETE FROM announcement_reactions WHERE announcement_id = ? AND account_id = ? "
            "AND name = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, account_id);
    db_bind_text(s, 3, name, -1);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    int64_t slot;
    if ((rc = emoji_slot(d, id, name, &slot))) return rc;
    return reaction_event(d, id, name, slot);
}

int store_announcement_other_names(db *d, int64_t id, const char *name, int64_t *n)
{
    PREPARE(s, d,
            "SELECT count(DISTINCT name) FROM announcement_reactions WHERE announcement_id = ? "
            "AND name <> ?");
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, name, -1);
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_announcement_reactions(db *d, int64_t id, int64_t viewer, arena *a, pl_reaction **out,
                                 int *n)
{
    PREPARE(s, d,
            "SELECT name, count(*), max(CASE WHEN account_id = ? THEN 1 ELSE 0 END) FROM "
            "announcement_reactions WHERE announcement_id = ? GROUP BY name "
            "ORDER BY min(created_at), name");
    db_bind_i64(s, 1, viewer);
    db_bind_i64(s, 2, id);
    int cap = 8, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            pl_reaction *grown = arena_alloc(a, sizeof *grown * (size_t)cap * 2);
            memcpy(grown, *out, sizeof *grown * (size_t)cap);
            *out = grown;
            cap *= 2;
        }
        pl_reaction *r = &(*out)[(*n)++];
        r->name = col_str(s, 0, a);
        r->count = db_col_i64(s, 1);
        r->me = db_col_i64(s, 2) != 0;
    }
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_announcement_emoji(db *d, int64_t id, int64_t slot, arena *a, const char **name,
                             int64_t *count)
{
    PREPARE(s, d,
            "SELECT e.name, (SELECT count(*) FROM announcement_reactions r WHERE "
            "r.announcement_id = e.announcement_id AND r.name = e.name) FROM announcement_emoji e "
            "WHERE e.announcement_id = ? AND e.slot = ?");
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, slot);
    int rc = step_one(s);
    if (rc) return rc;
    *name = col_str(s, 0, a);
    *count = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}
