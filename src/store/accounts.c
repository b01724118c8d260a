/*
 * accounts.c — account rows and their profile fields.
 *
 * One column list (ACCOUNT_COLS) and one reader (read_account) serve every query that
 * returns an account, so a new column is added in one place.
 */
#include <string.h>

#include "store/accounts.h"
#include "store/query.h"
#include "store/search.h"
#include "store/visibility.h"

#define ACCOUNT_COLS                                                                               \
    "id, username, email, display_name, note, note_html, password_hash, is_locked, is_bot, "       \
    "is_group, is_discoverable, is_disabled, is_approved, is_admin, is_big, default_privacy, "     \
    "default_sensitive, default_language, fields_count, followers_count, following_count, "        \
    "statuses_count, last_status_at, created_at, hide_collections, hide_boosts, is_confirmed, "    \
    "default_content_type, avatar_file_id, avatar_mime, header_file_id, header_mime, role, "       \
    "is_silenced, is_suspended, influence_shown"
enum { ACCOUNT_NCOLS = 36 }; /* how many ACCOUNT_COLS names: a query's own columns come after */

/* Reads ACCOUNT_COLS starting at column k. */
static void read_account_at(db_stmt *s, int k, arena *a, pl_account *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_i64(s, k);
    o->username = col_str(s, k + 1, a);
    o->email = col_str(s, k + 2, a);
    o->display_name = col_str(s, k + 3, a);
    o->note = col_str(s, k + 4, a);
    o->note_html = col_str(s, k + 5, a);
    o->password_hash = col_str(s, k + 6, a);
    o->is_locked = db_col_i64(s, k + 7);
    o->is_bot = db_col_i64(s, k + 8);
    o->is_group = db_col_i64(s, k + 9);
    o->is_discoverable = db_col_i64(s, k + 10);
    o->is_disabled = db_col_i64(s, k + 11);
    o->is_approved = db_col_i64(s, k + 12);
    o->is_admin = db_col_i64(s, k + 13);
    o->is_big = db_col_i64(s, k + 14);
    o->default_privacy = (int)db_col_i64(s, k + 15);
    o->default_sensitive = db_col_i64(s, k + 16);
    o->default_language = col_str(s, k + 17, a);
    o->fields_count = (int)db_col_i64(s, k + 18);
    o->followers_count = db_col_i64(s, k + 19);
    o->following_count = db_col_i64(s, k + 20);
    o->statuses_count = db_col_i64(s, k + 21);
    o->last_status_at = db_col_i64(s, k + 22);
    o->created_at = db_col_i64(s, k + 23);
    o->hide_collections = db_col_i64(s, k + 24);
    o->hide_boosts = db_col_i64(s, k + 25);
    o->is_unconfirmed = !db_col_i64(s, k + 26);
    o->default_content_type = (int)db_col_i64(s, k + 27);
    o->avatar_file_id = db_col_i64(s, k + 28);
    o->avatar_mime = o->avatar_file_id ? col_str(s, k + 29, a) : NULL;
    o->header_file_id = db_col_i64(s, k + 30);
    o->header_mime = o->header_file_id ? col_str(s, k + 31, a) : NULL;
    o->role = (int)db_col_i64(s, k + 32);
    o->is_silenced = db_col_i64(s, k + 33);
    o->is_suspended = db_col_i64(s, k + 34);
    o->shows_influence = db_col_i64(s, k + 35);
}

static void read_account(db_stmt *s, arena *a, pl_account *o)
{
    read_account_at(s, 0, a, o);
}

int store_account_insert(db *d, const pl_account *acc)
{
    PREPARE(s, d,
            "INSERT INTO accounts (id, username, username_lower, email, display_name, note, "
            "note_html, password_hash, is_locked, is_bot, is_group, is_discoverable, "
            "is_approved, is_admin, created_at, is_confirmed, default_privacy, role) "
            "VALUES (?, ?, lower(?), lower(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, acc->id);
    db_bind_text(s, 2, acc->username, -1);
    db_bind_text(s, 3, acc->username, -1);
    db_bind_text(s, 4, acc->email, -1);
    db_bind_text(s, 5, acc->display_name ? acc->display_name : "", -1);
    db_bind_text(s, 6, acc->note ? acc->note : "", -1);
    db_bind_text(s, 7, acc->note_html ? acc->note_html : "", -1);
    db_bind_text(s, 8, acc->password_hash, -1);
    db_bind_i64(s, 9, acc->is_locked);
    db_bind_i64(s, 10, acc->is_bot);
    db_bind_i64(s, 11, acc->is_group);
    db_bind_i64(s, 12, acc->is_discoverable);
    db_bind_i64(s, 13, acc->is_approved);
    db_bind_i64(s, 14, acc->is_admin);
    db_bind_i64(s, 15, acc->created_at);
    db_bind_i64(s, 16, !acc->is_unconfirmed);
    db_bind_i64(s, 17, acc->default_privacy);
    db_bind_i64(s, 18, acc->is_admin ? PL_ROLE_ADMIN : acc->role);
    int rc = db_step_done(s);
    return rc ? rc : store_account_names_set(d, acc->id, acc->username, acc->display_name);
}

static int account_query(db_stmt *s, arena *a, pl_account *out)
{
    int rc = step_one(s);
    if (rc) return rc;
    read_account(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_account_get(db *d, int64_t id, arena *a, pl_account *out)
{
    PREPARE(s, d, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?");
    db_bind_i64(s, 1, id);
    return account_query(s, a, out);
}

int store_accounts_get(db *d, const int64_t *ids, int n, arena *a, pl_account *out, int *nout)
{
    *nout = 0;
    if (n > STORE_BATCH) return PL_EINTERNAL;
    PREPARE(s, d, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id IN (" IN_BATCH ")");
    bind_batch(s, 1, ids, n);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) read_account(s, a, &out[(*nout)++]);
    db_reset(s);
    return rc == DB_DONE ? PL_OK : rc;
}

int store_token_with_account(db *d, const char *token_hash, arena *a, pl_token *tok,
                             pl_account *acc, bool *has_account)
{
    /* the token's columns renamed, so the account's keep their names and order (a.*) */
    PREPARE(s, d,
            "SELECT t.tid, t.app_id, t.taid, t.scopes, t.tcreated, a.* FROM "
            "(SELECT id AS tid, app_id, account_id AS taid, scopes, created_at AS tcreated "
            "FROM tokens WHERE token_hash = ? AND revoked_at IS NULL) t "
            "LEFT JOIN (SELECT " ACCOUNT_COLS " FROM accounts) a ON a.id = t.taid");
    db_bind_text(s, 1, token_hash, -1);
    int rc = step_one(s);
    if (rc) return rc;
    tok->id = db_col_i64(s, 0);
    tok->app_id = db_col_i64(s, 1);
    tok->account_id = db_col_i64(s, 2);
    tok->scopes = col_str(s, 3, a);
    tok->created_at = db_col_i64(s, 4);
    *has_account = !db_col_is_null(s, 5);
    if (*has_account) read_account_at(s, 5, a, acc);
    db_reset(s);
    return PL_OK;
}

int store_account_by_username(db *d, const char *username, arena *a, pl_account *out)
{
    PREPARE(s, d, "SELECT " ACCOUNT_COLS " FROM accounts WHERE username_lower = lower(?)");
    db_bind_text(s, 1, username, -1);
    return account_query(s, a, out);
}

int store_account_by_email(db *d, const char *email, arena *a, pl_account *out)
{
    PREPARE(s, d, "SELECT " ACCOUNT_COLS " FROM accounts WHERE email = lower(?)");
    db_bind_text(s, 1, email, -1);
    return account_query(s, a, out);
}

int store_account_fields(db *d, pl_account *acc, arena *a)
{
    acc->fields = arena_alloc(a, sizeof(pl_field) * (size_t)(acc->fields_count + 1));
    if (acc->fields_count == 0) return PL_OK;
    PREPARE(s, d,
            "SELECT name, value, value_html FROM account_fields WHERE account_id = ? "
            "ORDER BY position");
    db_bind_i64(s, 1, acc->id);
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < acc->fields_count) {
        acc->fields[n].name = col_str(s, 0, a);
        acc->fields[n].value = col_str(s, 1, a);
        acc->fields[n].value_html = col_str(s, 2, a);
        n++;
    }
    db_reset(s);
    acc->fields_count = n;
    return rc < 0 ? rc : PL_OK;
}

int store_account_update_profile(db *d, const pl_account *acc)
{
    db_touch(d, TOUCH_ACCOUNT, acc->id);
    PREPARE(s, d,
            "UPDATE accounts SET display_name = ?, note = ?, note_html = ?, is_locked = ?, "
            "is_bot = ?, is_discoverable = ?, default_privacy = ?, default_sensitive = ?, "
            "default_language = ?, hide_collections = ?, hide_boosts = ?, "
            "default_content_type = ? WHERE id = ?");
    db_bind_text(s, 1, acc->display_name ? acc->display_name : "", -1);
    db_bind_text(s, 2, acc->note ? acc->note : "", -1);
    db_bind_text(s, 3, acc->note_html ? acc->note_html : "", -1);
    db_bind_i64(s, 4, acc->is_locked);
    db_bind_i64(s, 5, acc->is_bot);
    db_bind_i64(s, 6, acc->is_discoverable);
    db_bind_i64(s, 7, acc->default_privacy);
    db_bind_i64(s, 8, acc->default_sensitive);
    db_bind_text(s, 9, acc->default_language, -1);
    db_bind_i64(s, 10, acc->hide_collections);
    db_bind_i64(s, 11, acc->hide_boosts);
    db_bind_i64(s, 12, acc->default_content_type);
    db_bind_i64(s, 13, acc->id);
    int rc = db_step_done(s);
    return rc ? rc : store_account_names_set(d, acc->id, acc->username, acc->display_name);
}

int store_account_set_picture(db *d, int64_t id, bool is_header, int64_t file_id, const char *mime)
{
    db_touch(d, TOUCH_ACCOUNT, id);
    /* two statements rather than a column name put together: SQL is written once */
    db_stmt *s;
    if (is_header) {
        PREPARE(h, d, "UPDATE accounts SET header_file_id = ?, header_mime = ? WHERE id = ?");
        s = h;
    } else {
        PREPARE(a, d, "UPDATE accounts SET avatar_file_id = ?, avatar_mime = ? WHERE id = ?");
        s = a;
    }
    if (file_id)
        db_bind_i64(s, 1, file_id), db_bind_text(s, 2, mime, -1);
    else
        db_bind_null(s, 1), db_bind_null(s, 2);
    db_bind_i64(s, 3, id);
    return db_step_done(s);
}

int store_account_set_fields(db *d, int64_t account_id, const pl_field *fields, int n)
{
    db_touch(d, TOUCH_ACCOUNT, account_id);
    PREPARE(del, d, "DELETE FROM account_fields WHERE account_id = ?");
    db_bind_i64(del, 1, account_id);
    int rc = db_step_done(del);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        PREPARE(s, d,
                "INSERT INTO account_fields (account_id, position, name, value, value_html) "
                "VALUES (?, ?, ?, ?, ?)");
        db_bind_i64(s, 1, account_id);
        db_bind_i64(s, 2, i);
        db_bind_text(s, 3, fields[i].name, -1);
        db_bind_text(s, 4, fields[i].value, -1);
        db_bind_text(s, 5, fields[i].value_html, -1);
        if ((rc = db_step_done(s))) return rc;
    }
    PREPARE(u, d, "UPDATE accounts SET fields_count = ? WHERE id = ?");
    db_bind_i64(u, 1, n);
    db_bind_i64(u, 2, account_id);
    return db_step_done(u);
}

static int set_flag(db_stmt *s, int64_t id, int64_t v)
{
    db_touch(db_stmt_db(s), TOUCH_ACCOUNT, id);
    db_bind_i64(s, 1, v);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

int store_account_set_password(db *d, int64_t id, const char *hash)
{
    db_touch(d, TOUCH_ACCOUNT, id);
    PREPARE(s, d, "UPDATE accounts SET password_hash = ? WHERE id = ?");
    db_bind_text(s, 1, hash, -1);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

int store_account_set_disabled(db *d, int64_t id, bool disabled)
{
    PREPARE(s, d, "UPDATE accounts SET is_disabled = ? WHERE id = ?");
    return set_flag(s, id, disabled);
}

int store_account_set_role(db *d, int64_t id, int role)
{
    db_touch(d, TOUCH_ACCOUNT, id);
    PREPARE(s, d, "UPDATE accounts SET role = ?, is_admin = ? WHERE id = ?");
    db_bind_i64(s, 1, role);
    db_bind_i64(s, 2, role == PL_ROLE_ADMIN);
    db_bind_i64(s, 3, id);
    return db_step_done(s);
}

int store_account_set_silenced(db *d, int64_t id, bool silenced)
{
    PREPARE(s, d, "UPDATE accounts SET is_silenced = ? WHERE id = ?");
    return set_flag(s, id, silenced);
}

int store_account_set_suspended(db *d, int64_t id, bool suspended)
{
    PREPARE(s, d, "UPDATE accounts SET is_suspended = ? WHERE id = ?");
    return set_flag(s, id, suspended);
}

int store_account_set_confirmed(db *d, int64_t id, bool confirmed)
{
    PREPARE(s, d, "UPDATE accounts SET is_confirmed = ? WHERE id = ?");
    return set_flag(s, id, confirmed);
}

int store_account_set_email(db *d, int64_t id, const char *email)
{
    db_touch(d, TOUCH_ACCOUNT, id);
    PREPARE(s, d, "UPDATE accounts SET email = lower(?) WHERE id = ?");
    db_bind_text(s, 1, email, -1);
    db_bind_i64(s, 2, id);
    return db_step_done(s);
}

int store_account_set_approved(db *d, int64_t id, bool approved)
{
    PREPARE(s, d, "UPDATE accounts SET is_approved = ? WHERE id = ?");
    return set_flag(s, id, approved);
}

int store_account_set_big(db *d, int64_t id, bool big)
{
    PREPARE(s, d, "UPDATE accounts SET is_big = ? WHERE id = ?");
    return set_flag(s, id, big);
}

int store_account_add_counts(db *d, int64_t id, int followers, int following, int statuses)
{
    db_touch(d, TOUCH_ACCOUNT, id);
    PREPARE(s, d,
            "UPDATE accounts SET followers_count = followers_count + ?, "
            "following_count = following_count + ?, statuses_count = statuses_count + ? "
            "WHERE id = ?");
    db_bind_i64(s, 1, followers);
    db_bind_i64(s, 2, following);
    db_bind_i64(s, 3, statuses);
    db_bind_i64(s, 4, id);
    return db_step_done(s);
}

int store_account_touch_status(db *d, int64_t id, int64_t at)
{
    PREPARE(s, d, "UPDATE accounts SET last_status_at = ? WHERE id = ?");
    return set_flag(s, id, at);
}

int store_account_each(db *d, arena *a, void (*fn)(const pl_account *, void *), void *ud)
{
    PREPARE(s, d, "SELECT " ACCOUNT_COLS " FROM accounts WHERE is_group = 0 ORDER BY id");
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        pl_account acc;
        read_account(s, a, &acc);
        fn(&acc, ud);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_registration_reason_insert(db *d, int64_t account_id, const char *reason)
{
    PREPARE(s, d, "INSERT INTO registration_reasons (account_id, reason) VALUES (?, ?)");
    db_bind_i64(s, 1, account_id);
    db_bind_text(s, 2, reason, -1);
    return db_step_done(s);
}

int store_registration_reason_get(db *d, int64_t account_id, arena *a, const char **out)
{
    *out = NULL;
    PREPARE(s, d, "SELECT reason FROM registration_reasons WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    int rc = step_one(s);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *out = col_str(s, 0, a);
    db_reset(s);
    return PL_OK;
}

int store_registration_reason_delete(db *d, int64_t account_id)
{
    PREPARE(s, d, "DELETE FROM registration_reasons WHERE account_id = ?");
    db_bind_i64(s, 1, account_id);
    return db_step_done(s);
}

int store_account_each_pending(db *d, arena *a,
                               void (*fn)(const pl_account *, const char *reason, void *), void *ud)
{
    /* a correlated subquery, not a join: ACCOUNT_COLS names its columns unqualified */
    PREPARE(s, d,
            "SELECT " ACCOUNT_COLS ", (SELECT r.reason FROM registration_reasons r "
            "WHERE r.account_id = accounts.id) FROM accounts "
            "WHERE is_approved = 0 AND is_group = 0 ORDER BY id");
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        pl_account acc;
        read_account(s, a, &acc);
        fn(&acc, db_col_is_null(s, ACCOUNT_NCOLS) ? NULL : col_str(s, ACCOUNT_NCOLS, a), ud);
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

int store_account_count(db *d, int64_t *n)
{
    PREPARE(s, d, "SELECT count(*) FROM accounts WHERE is_group = 0");
    int rc = step_one(s);
    if (rc) return rc;
    *n = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_stats(db *d, int64_t *users, int64_t *statuses)
{
    PREPARE(s, d, "SELECT COALESCE(sum(users), 0), COALESCE(sum(statuses), 0) FROM instance_stats");
    int rc = step_one(s);
    if (rc) return rc;
    *users = db_col_i64(s, 0);
    *statuses = db_col_i64(s, 1);
    db_reset(s);
    return PL_OK;
}

/* ---- deleting an account that never confirmed its address ---------------------------------- */

int store_accounts_unconfirmed(db *d, int64_t after, int64_t upto, int limit, arena *a,
                               int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT id FROM accounts WHERE id > ? AND id <= ? AND is_confirmed = 0 "
            "ORDER BY id LIMIT ?");
    db_bind_i64(s, 1, after);
    db_bind_i64(s, 2, upto);
    db_bind_i64(s, 3, limit);
    return store_collect_ids(s, a, ids, n);
}

/* Runs sql (one ? : the account) for its effect. */
static int delete_by(db *d, const char *sql, int64_t id)
{
    PREPARE(s, d, sql);
    db_bind_i64(s, 1, id);
    return db_step_done(s);
}

/* The people who followed it follow one account fewer, and the posts that mentioned it mention
 * one fewer: their counts change and their cached copies go. */
static int forget_follows_and_mentions(db *d, int64_t id, arena *a)
{
    int64_t *ids;
    int n, rc;
    {
        PREPARE(s, d, "SELECT account_id FROM follows WHERE target_id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = store_collect_ids(s, a, &ids, &n))) return rc;
    }
    for (int i = 0; i < n; i++)
        if ((rc = store_account_add_counts(d, ids[i], 0, -1, 0))) return rc;
    {
        PREPARE(s, d, "SELECT status_id FROM status_mentions WHERE account_id = ?");
        db_bind_i64(s, 1, id);
        if ((rc = store_collect_ids(s, a, &ids, &n))) return rc;
    }
    for (int i = 0; i < n; i++) {
        db_touch(d, TOUCH_STATUS, ids[i]);
        PREPARE(s, d, "UPDATE statuses SET mentions_count = mentions_count - 1 WHERE id = ?");
        db_bind_i64(s, 1, ids[i]);
        if ((rc = db_step_done(s))) return rc;
    }
    return PL_OK;
}

/* What an account deleted before it could do anything leaves behind: what others did to it,
 * and what it had from registering. */
static int forget_new_account(db *d, int64_t id, arena *a)
{
    int rc;
    db_touch(d, TOUCH_ACCOUNT, id);
    if ((rc = forget_follows_and_mentions(d, id, a))) return rc;
    /* what others did to it, and what it had from registering; it could do nothing else */
    static const char *const sql[] = {
        "DELETE FROM follows WHERE target_id = ?",
        "DELETE FROM follow_requests WHERE target_id = ?",
        "DELETE FROM follow_requests WHERE account_id = ?",
        "DELETE FROM blocks WHERE target_id = ?",
        "DELETE FROM blocks WHERE account_id = ?",
        "DELETE FROM mutes WHERE target_id = ?",
        "DELETE FROM mutes WHERE account_id = ?",
        "DELETE FROM status_mentions WHERE account_id = ?",
        "DELETE FROM list_accounts WHERE account_id = ?",
        "DELETE FROM notifications WHERE account_id = ?",
        "DELETE FROM timeline WHERE account_id = ?",
        "DELETE FROM markers WHERE account_id = ?",
        "DELETE FROM conversation_statuses WHERE account_conversation_id IN "
        "(SELECT id FROM account_conversations WHERE account_id = ?)",
        "DELETE FROM account_conversations WHERE account_id = ?",
        "DELETE FROM channel_roles WHERE account_id = ?",
        "DELETE FROM channel_reads WHERE account_id = ?",
        "DELETE FROM account_fields WHERE account_id = ?",
        "DELETE FROM registration_reasons WHERE account_id = ?",
        "DELETE FROM email_confirmations WHERE account_id = ?",
        "DELETE FROM mail_outbox WHERE account_id = ?",
        "DELETE FROM auth_codes WHERE account_id = ?",
        "DELETE FROM tokens WHERE account_id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if ((rc = delete_by(d, sql[i], id))) return rc;
    return PL_OK;
}

int store_account_delete_unconfirmed(db *d, int64_t id, arena *a)
{
    /* first, and only if it still never confirmed nor did anything: on PostgreSQL the row's
     * lock also keeps a second node's pruner (and the owner opening the link) in line */
    int rc = delete_by(d,
                       "DELETE FROM accounts WHERE id = ? AND is_confirmed = 0 AND "
                       "statuses_count = 0 AND following_count = 0",
                       id);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    return forget_new_account(d, id, a);
}

int store_account_delete_pending(db *d, int64_t id, arena *a)
{
    /* a pending account cannot sign in, so it cannot have posted or followed either */
    int rc = delete_by(d,
                       "DELETE FROM accounts WHERE id = ? AND is_approved = 0 AND is_group = 0 "
                       "AND statuses_count = 0",
                       id);
    if (rc) return rc;
    if (db_changes(d) == 0) return PL_ENOTFOUND;
    return forget_new_account(d, id, a);
}

/* A LIKE pattern for text: its %, _ and \ escaped (the queries say ESCAPE '\'), with % before
 * it when `anywhere` and always after; "" for no text. */
static const char *like_pattern(const char *text, bool anywhere, bool lower, arena *a)
{
    if (!text || !*text) return "";
    size_t n = strlen(text);
    char *out = arena_alloc(a, n * 2 + 3), *o = out;
    if (anywhere) *o++ = '%';
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') *o++ = '\\';
        *o++ = lower && *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

/* The filters of store_accounts_admin_page, each "(? = 0 OR …)" or "(? = '' OR …)" so that one
 * statement text serves every combination. */
#define ADMIN_ACCOUNTS_WHERE                                                                       \
    "SELECT id, id FROM accounts WHERE is_group = 0 "                                              \
    "AND (? = 0 OR (is_approved = 1 AND is_disabled = 0 AND is_suspended = 0)) "                   \
    "AND (? = 0 OR is_approved = 0) AND (? = 0 OR is_disabled = 1) "                               \
    "AND (? = 0 OR is_silenced = 1) AND (? = 0 OR is_suspended = 1) "                              \
    "AND (? = 0 OR role <> " VIS_SQL_NUM(                                                          \
        PL_ROLE_USER) ") "                                                                         \
                      "AND (? = '' OR username_lower LIKE ? ESCAPE '\\') "                         \
                      "AND (? = '' OR lower(display_name) LIKE ? ESCAPE '\\') "                    \
                      "AND (? = '' OR lower(email) LIKE ? ESCAPE '\\')"

int store_accounts_staff(db *d, arena *a, int64_t **ids, int *n)
{
    PREPARE(s, d,
            "SELECT id FROM accounts WHERE role <> " VIS_SQL_NUM(
                PL_ROLE_USER) " AND is_disabled = 0 AND is_suspended = 0 ORDER BY id");
    return store_collect_ids(s, a, ids, n);
}

int store_accounts_admin_page(db *d, const pl_account_filter *f, const pl_page *p, arena *a,
                              pl_idlist *out)
{
    bool asc = p->min_id > 0 && p->since_id == 0;
    db_stmt *s = db_prepare(d, asc ? ADMIN_ACCOUNTS_WHERE PAGE_ASC("id")
                                   : ADMIN_ACCOUNTS_WHERE PAGE_DESC("id"));
    if (!s) return PL_EDB;
    const bool flags[] = {f->active, f->pending, f->disabled, f->silenced, f->suspended, f->staff};
    int i = 1;
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) db_bind_i64(s, i++, flags[k]);
    const char *texts[] = {like_pattern(f->username, false, true, a),
                           like_pattern(f->display_name, true, true, a),
                           like_pattern(f->email, true, true, a)};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        db_bind_text(s, i++, texts[k], -1);
        db_bind_text(s, i++, texts[k], -1);
    }
    db_bind_i64(s, i++, p->max_id > 0 ? p->max_id : INT64_MAX);
    db_bind_i64(s, i++, asc ? p->min_id : (p->since_id > 0 ? p->since_id : 0));
    db_bind_i64(s, i++, p->limit);
    int64_t *ids;
    int n;
    int rc = store_collect_ids(s, a, &ids, &n);
    if (rc) return rc;
    *out = (pl_idlist){.ids = ids, .keys = ids, .n = n};
    if (asc) pl_idlist_reverse(out);
    return PL_OK;
}
