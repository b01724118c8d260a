/*
 * auth.c — OAuth apps, access tokens and authorization codes.
 *
 * Tokens, codes and client secrets are stored only as hashes (the app layer hashes them), so
 * a copy of the database does not hand out sessions or let anyone act as an app. A revoked token
 * keeps its row (revoked_at) for audit.
 */
#include <string.h>

#include "store/auth.h"
#include "store/query.h"

#define APP_COLS "id, name, website, redirect_uris, scopes, client_id, client_secret, created_at"

static void read_app(db_stmt *s, arena *a, pl_app *o)
{
    o->id = db_col_i64(s, 0);
    o->name = col_str(s, 1, a);
    o->website = col_str(s, 2, a);
    o->redirect_uris = col_str(s, 3, a);
    o->scopes = col_str(s, 4, a);
    o->client_id = col_str(s, 5, a);
    o->client_secret = col_str(s, 6, a);
    o->created_at = db_col_i64(s, 7);
}

int store_app_insert(db *d, const pl_app *app)
{
    PREPARE(s, d,
            "INSERT INTO apps (id, name, website, redirect_uris, scopes, client_id, "
            "client_secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, app->id);
    db_bind_text(s, 2, app->name, -1);
    db_bind_text(s, 3, app->website, -1);
    db_bind_text(s, 4, app->redirect_uris, -1);
    db_bind_text(s, 5, app->scopes, -1);
    db_bind_text(s, 6, app->client_id, -1);
    db_bind_text(s, 7, app->client_secret, -1);
    db_bind_i64(s, 8, app->created_at);
    return db_step_done(s);
}

static int app_query(db_stmt *s, arena *a, pl_app *out)
{
    int rc = step_one(s);
    if (rc) return rc;
    read_app(s, a, out);
    db_reset(s);
    return PL_OK;
}

int store_app_by_client_id(db *d, const char *client_id, arena *a, pl_app *out)
{
    PREPARE(s, d, "SELECT " APP_COLS " FROM apps WHERE client_id = ?");
    db_bind_text(s, 1, client_id, -1);
    return app_query(s, a, out);
}

int store_app_get(db *d, int64_t id, arena *a, pl_app *out)
{
    PREPARE(s, d, "SELECT " APP_COLS " FROM apps WHERE id = ?");
    db_bind_i64(s, 1, id);
    return app_query(s, a, out);
}

int store_apps_prune_unused(db *d, int64_t after_id, int64_t before_id, int limit, int *deleted)
{
    PREPARE(s, d,
            "DELETE FROM apps WHERE id IN (SELECT id FROM apps a WHERE a.id > ? AND a.id < ? "
            "AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.app_id = a.id) "
            "AND NOT EXISTS (SELECT 1 FROM auth_codes c WHERE c.app_id = a.id) "
            "ORDER BY a.id LIMIT ?)");
    db_bind_i64(s, 1, after_id);
    db_bind_i64(s, 2, before_id);
    db_bind_i64(s, 3, limit);
    int rc = db_step_done(s);
    *deleted = rc ? 0 : (int)db_changes(d);
    return rc;
}

int store_token_insert(db *d, int64_t id, const char *token_hash, int64_t app_id,
                       int64_t account_id, const char *scopes, int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO tokens (id, token_hash, app_id, account_id, scopes, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, token_hash, -1);
    if (app_id)
        db_bind_i64(s, 3, app_id);
    else
        db_bind_null(s, 3);
    if (account_id)
        db_bind_i64(s, 4, account_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, scopes, -1);
    db_bind_i64(s, 6, now);
    return db_step_done(s);
}

int store_token_by_hash(db *d, const char *token_hash, arena *a, pl_token *out)
{
    PREPARE(s, d,
            "SELECT id, app_id, account_id, scopes, created_at FROM tokens "
            "WHERE token_hash = ? AND revoked_at IS NULL");
    db_bind_text(s, 1, token_hash, -1);
    int rc = step_one(s);
    if (rc) return rc;
    out->id = db_col_i64(s, 0);
    out->app_id = db_col_i64(s, 1);
    out->account_id = db_col_i64(s, 2);
    out->scopes = col_str(s, 3, a);
    out->created_at = db_col_i64(s, 4);
    db_reset(s);
    return PL_OK;
}

int store_token_revoke(db *d, const char *token_hash, int64_t now)
{
    {
        /* the streams opened with it end too (streaming.c hears the event) */
        PREPARE(q, d,
                "SELECT id, account_id FROM tokens WHERE token_hash = ? AND revoked_at IS NULL");
        db_bind_text(q, 1, token_hash, -1);
        if (db_step(q) == DB_ROW)
            db_event(d, EV_TOKEN_REVOKED, db_col_i64(q, 0), db_col_i64(q, 1), 0);
        db_reset(q);
    }
    PREPARE(s, d, "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL");
    db_bind_i64(s, 1, now);
    db_bind_text(s, 2, token_hash, -1);
    return db_step_done(s);
}

int store_tokens_revoke_account(db *d, int64_t account_id, int64_t now)
{
    db_event(d, EV_TOKEN_REVOKED, 0, account_id, 0);
    PREPARE(s, d, "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, account_id);
    return db_step_done(s);
}

int store_sessions_page(db *d, int64_t account_id, int64_t max_id, int limit, arena *a,
                        pl_session **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (limit < 1) return PL_OK;
    PREPARE(s, d,
            "SELECT t.id, t.app_id, t.created_at, t.scopes, p.name, p.website FROM tokens t "
            "LEFT JOIN apps p ON p.id = t.app_id WHERE t.account_id = ? AND t.revoked_at IS NULL "
            "AND t.id < ? ORDER BY t.id DESC LIMIT ?");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, max_id > 0 ? max_id : INT64_MAX);
    db_bind_i64(s, 3, limit);
    pl_session *rows = arena_alloc(a, sizeof *rows * (size_t)limit);
    int rc = DB_DONE, k = 0;
    while (k < limit && (rc = db_step(s)) == DB_ROW) {
        pl_session *r = &rows[k++];
        r->id = db_col_i64(s, 0);
        r->app_id = db_col_i64(s, 1);
        r->created_at = db_col_i64(s, 2);
        r->scopes = col_str(s, 3, a);
        r->app_name = col_str(s, 4, a);
        r->app_website = col_str(s, 5, a);
    }
    db_reset(s);
    if (k < limit && rc != DB_DONE) return rc;
    *out = rows;
    *n = k;
    return PL_OK;
}

int store_session_revoke(db *d, int64_t account_id, int64_t id, int64_t now)
{
    PREPARE(s, d,
            "UPDATE tokens SET revoked_at = ? WHERE id = ? AND account_id = ? "
            "AND revoked_at IS NULL");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, account_id);
    int rc = db_step_done(s);
    if (rc) return rc;
    if (db_changes(d) != 1) return PL_ENOTFOUND;
    /* the streams opened with it end too (streaming.c hears the event after the commit) */
    db_event(d, EV_TOKEN_REVOKED, id, account_id, 0);
    return PL_OK;
}

int store_sessions_revoke_others(db *d, int64_t account_id, int64_t keep_id, int64_t now)
{
    {
        PREPARE(q, d,
                "SELECT id FROM tokens WHERE account_id = ? AND id <> ? AND revoked_at IS NULL");
        db_bind_i64(q, 1, account_id);
        db_bind_i64(q, 2, keep_id);
        int rc;
        while ((rc = db_step(q)) == DB_ROW)
            db_event(d, EV_TOKEN_REVOKED, db_col_i64(q, 0), account_id, 0);
        db_reset(q);
        if (rc != DB_DONE) return rc;
    }
    PREPARE(s, d,
            "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND id <> ? "
            "AND revoked_at IS NULL");
    db_bind_i64(s, 1, now);
    db_bind_i64(s, 2, account_id);
    db_bind_i64(s, 3, keep_id);
    return db_step_done(s);
}

int store_code_insert(db *d, const char *code_hash, int64_t app_id, int64_t account_id,
                      const char *redirect_uri, const char *scopes, const char *challenge,
                      const char *method, int64_t expires_at)
{
    PREPARE(s, d,
            "INSERT INTO auth_codes (code_hash, app_id, account_id, redirect_uri, scopes, "
            "challenge, challenge_method, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, code_hash, -1);
    db_bind_i64(s, 2, app_id);
    db_bind_i64(s, 3, account_id);
    db_bind_text(s, 4, redirect_uri, -1);
    db_bind_text(s, 5, scopes, -1);
    db_bind_text(s, 6, challenge, -1);
    db_bind_text(s, 7, method, -1);
    db_bind_i64(s, 8, expires_at);
    return db_step_done(s);
}

int store_code_get(db *d, const char *code_hash, arena *a, pl_auth_code *out)
{
    PREPARE(s, d,
            "SELECT app_id, account_id, expires_at, redirect_uri, scopes, challenge, "
            "challenge_method, used FROM auth_codes WHERE code_hash = ?");
    db_bind_text(s, 1, code_hash, -1);
    int rc = step_one(s);
    if (rc) return rc;
    out->app_id = db_col_i64(s, 0);
    out->account_id = db_col_i64(s, 1);
    out->expires_at = db_col_i64(s, 2);
    out->redirect_uri = col_str(s, 3, a);
    out->scopes = col_str(s, 4, a);
    out->challenge = col_str(s, 5, a);
    out->challenge_method = col_str(s, 6, a);
    out->used = db_col_i64(s, 7);
    db_reset(s);
    return PL_OK;
}

int store_code_claim(db *d, const char *code_hash)
{
    /* one statement decides: of two racing redemptions only one changes the row */
    PREPARE(s, d, "UPDATE auth_codes SET used = 1 WHERE code_hash = ? AND used = 0");
    db_bind_text(s, 1, code_hash, -1);
    int rc = db_step_done(s);
    if (rc) return rc;
    return db_changes(d) == 1 ? PL_OK : PL_ENOTFOUND;
}
