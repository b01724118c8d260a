/*
 * auth.c — OAuth apps, tokens, authorization codes (with PKCE) and passwords.
 *
 * Passwords are hashed with argon2id at libsodium's "interactive" cost, which takes tens of
 * milliseconds and 64 MiB: callers run it on a worker thread, never on an event loop or the
 * writer. Tokens and codes are random and stored as SHA-256 hashes; comparisons of client
 * secrets are constant-time.
 */
#include "auth.h"

#include <sodium.h>
#include <string.h>

#include "util/timeutil.h"

static const char *const known_scopes[] = {"read",
                                           "write",
                                           "follow",
                                           "push",
                                           "profile",
                                           "admin:read",
                                           "admin:write",
                                           "read:accounts",
                                           "read:blocks",
                                           "read:bookmarks",
                                           "read:favourites",
                                           "read:filters",
                                           "read:follows",
                                           "read:lists",
                                           "read:mutes",
                                           "read:notifications",
                                           "read:search",
                                           "read:statuses",
                                           "write:accounts",
                                           "write:blocks",
                                           "write:bookmarks",
                                           "write:conversations",
                                           "write:favourites",
                                           "write:filters",
                                           "write:follows",
                                           "write:lists",
                                           "write:media",
                                           "write:mutes",
                                           "write:notifications",
                                           "write:reports",
                                           "write:statuses",
                                           NULL};

enum { CODE_TTL_MS = 10 * 60 * 1000 };

void auth_secret_hash(const char *secret, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static const char *new_secret(app_ctx *c)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char *out = arena_alloc(c->a, 64);
    sodium_bin2base64(out, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* Calls fn for each space-separated word of s; stops and returns false if fn does. */
static bool each_word(const char *s, bool (*fn)(const char *w, size_t n, void *ud), void *ud)
{
    while (s && *s) {
        while (*s == ' ' || *s == '+') s++;
        size_t n = strcspn(s, " +");
        if (n && !fn(s, n, ud)) return false;
        s += n;
    }
    return true;
}

static bool is_known(const char *w, size_t n, void *ud)
{
    (void)ud;
    for (const char *const *k = known_scopes; *k; k++)
        if (strlen(*k) == n && !strncmp(*k, w, n)) return true;
    return false;
}

bool auth_scopes_valid(const char *requested)
{
    return each_word(requested, is_known, NULL);
}

struct need {
    const char *need;
    bool ok;
};

static bool match_scope(const char *w, size_t n, void *ud)
{
    struct need *nd = ud;
    size_t nl = strlen(nd->need);
    const char *colon = strchr(nd->need, ':');
    size_t top = colon ? (size_t)(colon - nd->need) : nl;
    /* "read" grants "read:x"; "read:x" grants only itself; "follow" grants follows. */
    if ((n == nl && !strncmp(w, nd->need, n)) || (n == top && !strncmp(w, nd->need, n)) ||
        (n == 6 && !strncmp(w, "follow", 6) && strstr(nd->need, "follows")) ||
        (!colon && n > top && w[top] == ':' && !strncmp(w, nd->need, top))) {
        nd->ok = true;
        return false;
    }
    return true;
}

bool auth_scope_allows(const char *granted, const char *need)
{
    struct need nd = {need, false};
    each_word(granted, match_scope, &nd);
    return nd.ok;
}

struct subset {
    const char *granted;
    bool ok;
};

static bool within(const char *w, size_t n, void *ud)
{
    struct subset *s = ud;
    char tmp[64];
    if (n >= sizeof tmp) return s->ok = false;
    memcpy(tmp, w, n);
    tmp[n] = '\0';
    if (!auth_scope_allows(s->granted, tmp)) return s->ok = false;
    return true;
}

/* Requested scopes default to the app's; each must be allowed by the app's. */
static int pick_scopes(app_ctx *c, const pl_app *app, const char *scope, const char **out)
{
    if (!scope || !*scope) {
        *out = app->scopes;
        return PL_OK;
    }
    struct subset s = {app->scopes, true};
    if (!auth_scopes_valid(scope) || (each_word(scope, within, &s), !s.ok)) {
        c->errcode = "invalid_scope";
        return app_fail(c, PL_EINVAL, "The requested scope is invalid, unknown, or malformed.");
    }
    *out = arena_strdup(c->a, scope);
    return PL_OK;
}

int auth_app_create(app_ctx *c, const char *name, const char *redirect_uris, const char *scopes,
                    const char *website, pl_app *out)
{
    if (!name || !*name)
        return app_fail(c, PL_EINVAL, "Validation failed: Application name can't be blank");
    if (strlen(name) > 60)
        return app_fail(
            c, PL_EINVAL,
            "Validation failed: Application name is too long (maximum is 60 characters)");
    if (!redirect_uris || !*redirect_uris)
        return app_fail(c, PL_EINVAL, "Validation failed: Redirect URI can't be blank");
    if (strlen(redirect_uris) > 2000)
        return app_fail(c, PL_EINVAL, "Validation failed: Redirect URI is too long");
    for (const char *s = redirect_uris; *s;) {
        while (*s == '\n' || *s == ' ') s++;
        size_t n = strcspn(s, "\n ");
        const char *colon = memchr(s, ':', n);
        bool scheme = colon && colon > s;
        for (const char *p = s; scheme && p < colon; p++)
            scheme = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (p > s && ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'));
        if (n && !scheme)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: Redirect URI must be an absolute URI");
        s += n;
    }
    if (!scopes || !*scopes) scopes = "read";
    if (!auth_scopes_valid(scopes))
        return app_fail(c, PL_EINVAL, "Validation failed: Scopes are invalid");
    if (website && strlen(website) > 2000)
        return app_fail(c, PL_EINVAL, "Validation failed: Website is too long");
    *out = (pl_app){
        .id = app_new_id(c),
        .name = name,
        .website = website,
        .redirect_uris = redirect_uris,
        .scopes = scopes,
        .client_id = new_secret(c),
        .client_secret = new_secret(c),
        .created_at = c->now,
    };
    return store_app_insert(c->db, out);
}

int auth_token_issue(app_ctx *c, int64_t app_id, int64_t account_id, const char *scopes,
                     const char **token)
{
    const char *t = new_secret(c);
    char h[65];
    auth_secret_hash(t, h);
    int rc = store_token_insert(c->db, app_new_id(c), h, app_id, account_id, scopes, c->now);
    if (rc) return rc;
    *token = t;
    return PL_OK;
}

int auth_client(app_ctx *c, const char *client_id, const char *client_secret, pl_app *app)
{
    if (!client_id || !client_secret ||
        store_app_by_client_id(c->db, client_id, c->a, app) != PL_OK ||
        strlen(client_secret) != strlen(app->client_secret) ||
        sodium_memcmp(client_secret, app->client_secret, strlen(client_secret)) != 0) {
        c->errcode = "invalid_client";
        return app_fail(c, PL_EAUTH,
                        "Client authentication failed due to unknown client, no client "
                        "authentication included, or unsupported authentication method.");
    }
    return PL_OK;
}

int auth_check_password(app_ctx *c, const char *username, const char *password, pl_account *acc)
{
    int rc = PL_ENOTFOUND;
    if (username && strchr(username, '@')) rc = store_account_by_email(c->db, username, c->a, acc);
    if (rc == PL_ENOTFOUND && username) rc = store_account_by_username(c->db, username, c->a, acc);
    bool ok = rc == PL_OK && password && acc->password_hash &&
              crypto_pwhash_str_verify(acc->password_hash, password, strlen(password)) == 0;
    if (rc != PL_OK && rc != PL_ENOTFOUND) return rc;
    if (!ok) {
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EAUTH, "The username or password is not correct.");
    }
    if (acc->is_disabled) {
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EFORBIDDEN, "Your login is currently disabled.");
    }
    if (!acc->is_approved) {
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EFORBIDDEN, "Your login is currently pending approval.");
    }
    return PL_OK;
}

int auth_password_grant(app_ctx *c, const pl_app *app, const char *username, const char *password,
                        const char *scope, const char **token)
{
    const char *scopes = NULL;
    int rc = pick_scopes(c, app, scope, &scopes);
    if (rc) return rc;
    pl_account acc;
    if ((rc = auth_check_password(c, username, password, &acc))) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    return app_txn_end(c, auth_token_issue(c, app->id, acc.id, scopes, token));
}

bool auth_redirect_allowed(const pl_app *app, const char *uri)
{
    const char *s = app->redirect_uris;
    size_t n = strlen(uri);
    while (s && *s) {
        while (*s == '\n' || *s == ' ') s++;
        size_t m = strcspn(s, "\n ");
        if (m == n && !strncmp(s, uri, n)) return true;
        s += m;
    }
    return false;
}

int auth_code_issue(app_ctx *c, const pl_app *app, int64_t account_id, const char *redirect_uri,
                    const char *scope, const char *challenge, const char *method, const char **code)
{
    const char *scopes = NULL;
    int rc = pick_scopes(c, app, scope, &scopes);
    if (rc) return rc;
    if (!redirect_uri || !auth_redirect_allowed(app, redirect_uri)) {
        c->errcode = "invalid_request";
        return app_fail(c, PL_EINVAL, "The redirect uri included is not valid.");
    }
    if (challenge && *challenge) {
        if (!method || !*method) method = "plain";
        if (strcmp(method, "S256") && strcmp(method, "plain")) {
            c->errcode = "invalid_request";
            return app_fail(c, PL_EINVAL, "Code challenge method must be S256 or plain.");
        }
    } else {
        challenge = NULL;
        method = NULL;
    }
    const char *secret = new_secret(c);
    char h[65];
    auth_secret_hash(secret, h);
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_code_insert(c->db, h, app->id, account_id, redirect_uri, scopes, challenge, method,
                           c->now + CODE_TTL_MS);
    if ((rc = app_txn_end(c, rc))) return rc;
    *code = secret;
    return PL_OK;
}

static bool pkce_ok(const pl_auth_code *code, const char *verifier)
{
    if (!code->challenge) return true;
    if (!verifier || !*verifier) return false;
    if (!strcmp(code->challenge_method, "plain")) return !strcmp(code->challenge, verifier);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return strlen(b64) == strlen(code->challenge) &&
           sodium_memcmp(b64, code->challenge, strlen(b64)) == 0;
}

int auth_code_grant(app_ctx *c, const pl_app *app, const char *code, const char *redirect_uri,
                    const char *verifier, const char **token)
{
    if (!code || !*code) {
        c->errcode = "invalid_request";
        return app_fail(c, PL_EINVAL, "Missing required parameter: code.");
    }
    char h[65];
    auth_secret_hash(code, h);
    pl_auth_code ac;
    int rc = store_code_get(c->db, h, c->a, &ac);
    if (rc && rc != PL_ENOTFOUND) return rc;
    if (rc == PL_ENOTFOUND || ac.used || ac.app_id != app->id || ac.expires_at < c->now ||
        (redirect_uri && strcmp(redirect_uri, ac.redirect_uri)) || !pkce_ok(&ac, verifier)) {
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EAUTH,
                        "The provided authorization grant is invalid, expired, revoked, does "
                        "not match the redirection URI used in the authorization request, or "
                        "was issued to another client.");
    }
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_code_mark_used(c->db, h);
    if (!rc) rc = auth_token_issue(c, app->id, ac.account_id, ac.scopes, token);
    return app_txn_end(c, rc);
}

int auth_revoke(app_ctx *c, const pl_app *app, const char *token)
{
    if (!token || !*token) {
        c->errcode = "invalid_request";
        return app_fail(c, PL_EINVAL, "Missing required parameter: token.");
    }
    char h[65];
    auth_secret_hash(token, h);
    pl_token t;
    int rc = store_token_by_hash(c->db, h, c->a, &t);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    if (t.app_id != app->id) {
        c->errcode = "unauthorized_client";
        return app_fail(c, PL_EFORBIDDEN, "You are not authorized to revoke this token");
    }
    if ((rc = app_txn_begin(c))) return rc;
    return app_txn_end(c, store_token_revoke(c->db, h, c->now));
}

int auth_authenticate(app_ctx *c, const char *token, pl_token *tok, const pl_account **acc)
{
    *acc = NULL;
    if (!token || !*token || strlen(token) > 128)
        return app_fail(c, PL_EAUTH, "The access token is invalid");
    char h[65];
    auth_secret_hash(token, h);
    /* The account's row itself, not a cache (in the token's query): an administrator may
     * have disabled or approved the account from another process a moment ago. */
    pl_account *a = arena_alloc(c->a, sizeof *a);
    bool has_account;
    int rc = store_token_with_account(c->db, h, c->a, tok, a, &has_account);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_EAUTH, "The access token is invalid");
    if (rc) return rc;
    if (!tok->account_id) return PL_OK;
    if (!has_account) return app_fail(c, PL_EAUTH, "The access token is invalid");
    if (a->is_disabled) return app_fail(c, PL_EFORBIDDEN, "Your login is currently disabled");
    if (a->is_unconfirmed) { /* *acc set: AUTH_UNCONFIRMED routes accept it (api.c) */
        *acc = a;
        return app_fail(c, PL_EFORBIDDEN, "Your login is missing a confirmed e-mail address");
    }
    if (!a->is_approved)
        return app_fail(c, PL_EFORBIDDEN, "Your login is currently pending approval");
    *acc = a;
    return PL_OK;
}

const char *auth_password_hash(app_ctx *c, const char *password)
{
    char *out = arena_alloc(c->a, crypto_pwhash_STRBYTES);
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return NULL;
    return out;
}

int auth_app_get(app_ctx *c, int64_t app_id, pl_app *out)
{
    int rc = store_app_get(c->db, app_id, c->a, out);
    return rc == PL_ENOTFOUND ? app_fail(c, PL_EAUTH, "The access token is invalid") : rc;
}

int auth_app_by_client_id(app_ctx *c, const char *client_id, pl_app *out)
{
    if (!client_id) return app_fail(c, PL_ENOTFOUND, "unknown client_id");
    return store_app_by_client_id(c->db, client_id, c->a, out);
}

int auth_client_credentials_grant(app_ctx *c, const pl_app *app, const char *scope,
                                  const char **token)
{
    const char *scopes = NULL;
    int rc = pick_scopes(c, app, scope && *scope ? scope : "read", &scopes);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    return app_txn_end(c, auth_token_issue(c, app->id, 0, scopes, token));
}
