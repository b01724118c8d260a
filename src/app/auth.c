/*
 * auth.c — OAuth apps, tokens, authorization codes (with PKCE) and passwords.
 *
 * Passwords are hashed with argon2id at libsodium's "interactive" cost, which takes tens of
 * milliseconds and 64 MiB: callers run it on a worker thread, never on an event loop or the
 * writer. Tokens and codes are random and stored as SHA-256 hashes; comparisons of client
 * secrets are constant-time.
 */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "app/audit.h"
#include "store/accounts.h"
#include "store/auth.h"
#include "store/influence.h"
#include "util/log.h"
#include "util/ratelimit.h"
#include "util/timeutil.h"

static const char *const known_scopes[] = {"read",
                                           "write",
                                           "follow",
                                           "push",
                                           "profile",
                                           "admin:read",
                                           "admin:write",
                                           "admin:read:accounts",
                                           "admin:read:reports",
                                           "admin:read:domain_allows",
                                           "admin:read:domain_blocks",
                                           "admin:read:ip_blocks",
                                           "admin:read:email_domain_blocks",
                                           "admin:read:canonical_email_blocks",
                                           "admin:write:accounts",
                                           "admin:write:reports",
                                           "admin:write:domain_allows",
                                           "admin:write:domain_blocks",
                                           "admin:write:ip_blocks",
                                           "admin:write:email_domain_blocks",
                                           "admin:write:canonical_email_blocks",
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

/*
 * The scope hierarchy, as docs.joinmastodon.org/api/oauth-scopes documents it and nothing
 * wider: a granted scope covers a needed one when it is the same scope; or its parent (`read`
 * covers every `read:x`, `write` every `write:x`, `admin:read` every `admin:read:x`,
 * `admin:write` every `admin:write:x`); or the deprecated `follow` and the needed one is one
 * of its six. `profile` (verify_credentials only) is covered by `read:accounts`, as Mastodon's
 * controller accepts either. A granular scope never covers its parent: routes name their
 * granular scope, so that a `write:bookmarks` token cannot do what `write` may.
 */
static const char *const scope_parents[] = {"read", "write", "admin:read", "admin:write", NULL};
static const char *const follow_covers[] = {
    "read:follows", "write:follows", "read:blocks", "write:blocks",
    "read:mutes",   "write:mutes",   NULL};

static bool word_is(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && !memcmp(w, s, n);
}

static bool word_in(const char *w, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (word_is(w, n, *list)) return true;
    return false;
}

/* True if the granted word g covers the needed word w. */
static bool covers(const char *g, size_t gn, const char *w, size_t n)
{
    if (gn == n && !memcmp(g, w, n)) return true;
    if (gn < n && w[gn] == ':' && !memcmp(g, w, gn) && word_in(g, gn, scope_parents)) return true;
    if (word_is(g, gn, "follow") && word_in(w, n, follow_covers)) return true;
    if (word_is(w, n, "profile")) return covers(g, gn, "read:accounts", 13);
    return false;
}

struct need {
    const char *word;
    size_t n;
    bool ok;
};

static bool covers_need(const char *g, size_t gn, void *ud)
{
    struct need *nd = ud;
    if (!covers(g, gn, nd->word, nd->n)) return true;
    nd->ok = true;
    return false; /* found: stop */
}

struct all_needed {
    const char *granted;
    int n_words;
};

static bool granted_covers(const char *w, size_t n, void *ud)
{
    struct all_needed *an = ud;
    struct need nd = {w, n, false};
    each_word(an->granted, covers_need, &nd);
    an->n_words++;
    return nd.ok;
}

bool auth_scope_allows(const char *granted, const char *need)
{
    struct all_needed an = {granted, 0};
    return each_word(need, granted_covers, &an) && an.n_words > 0;
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
    const pl_config *cfg = c->cfg;
    if (!name || !*name)
        return app_fail(c, PL_EINVAL, "Validation failed: Application name can't be blank");
    if ((int64_t)strlen(name) > cfg->max_app_name)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Application name is too long (maximum is %d "
                        "characters)",
                        cfg->max_app_name);
    if (!redirect_uris || !*redirect_uris)
        return app_fail(c, PL_EINVAL, "Validation failed: Redirect URI can't be blank");
    if ((int64_t)strlen(redirect_uris) > cfg->max_app_redirect_uris)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Redirect URI is too long (maximum is %d characters)",
                        cfg->max_app_redirect_uris);
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
    if ((int64_t)strlen(scopes) > cfg->max_app_scopes)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Scopes are too long (maximum is %d characters)",
                        cfg->max_app_scopes);
    if (!auth_scopes_valid(scopes))
        return app_fail(c, PL_EINVAL, "Validation failed: Scopes are invalid");
    if (website && (int64_t)strlen(website) > cfg->max_app_website)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Website is too long (maximum is %d characters)",
                        cfg->max_app_website);
    /* the secret is shown once, in this answer; the row keeps its SHA-256 like a token's */
    const char *secret = new_secret(c);
    char *secret_hash = arena_alloc(c->a, 65);
    auth_secret_hash(secret, secret_hash);
    pl_app row = {
        .id = app_new_id(c),
        .name = name,
        .website = website,
        .redirect_uris = redirect_uris,
        .scopes = scopes,
        .client_id = new_secret(c),
        .client_secret = secret_hash,
        .created_at = c->now,
    };
    int rc = store_app_insert(c->db, &row);
    if (rc) return rc;
    *out = row;
    out->client_secret = secret;
    return PL_OK;
}

int auth_token_issue(app_ctx *c, int64_t app_id, int64_t account_id, const char *scopes,
                     const char **token)
{
    const char *t = new_secret(c);
    char h[65];
    auth_secret_hash(t, h);
    int64_t id = app_new_id(c);
    int rc = store_token_insert(c->db, id, h, app_id, account_id, scopes, c->now);
    /* whoever was given a token has signed in: influence scores them from then on */
    if (!rc && account_id) rc = store_influence_signed_in(c->db, account_id, c->now);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "token.issue",
                              .actor_id = account_id,
                              .no_actor = !account_id,
                              .target_kind = "app",
                              .target_id = app_id,
                              .detail = {AUDIT_ID("token_id", id), AUDIT_STR("scopes", scopes)}});
    if (rc) return rc;
    *token = t;
    return PL_OK;
}

int auth_client(app_ctx *c, const char *client_id, const char *client_secret, pl_app *app)
{
    char h[65];
    if (client_secret) auth_secret_hash(client_secret, h);
    if (!client_id || !client_secret ||
        store_app_by_client_id(c->db, client_id, c->a, app) != PL_OK ||
        strlen(app->client_secret) != 64 || sodium_memcmp(h, app->client_secret, 64) != 0) {
        c->errcode = "invalid_client";
        return app_fail(c, PL_EAUTH,
                        "Client authentication failed due to unknown client, no client "
                        "authentication included, or unsupported authentication method.");
    }
    return PL_OK;
}

/* ---------------------------------------------------------------- signing in */

/*
 * Sign-in throttle. Failures count per account and per client address over signin_window
 * from the first (in c->limits, shared by the workers of this process). Past *_slow_after failures,
 * each further attempt must wait 1 s, 2 s, 4 s … (at most signin_max_delay) after the last failure;
 * past *_max, attempts are refused until the window ends. A refused attempt answers at once
 * with how long to wait and hashes nothing, so guessing costs the server nothing either.
 * An unknown login counts under a hash of its text, exactly as an account does: the answers
 * and their timing are the same whether the account exists or not, and for the same reason
 * an unknown login's password is checked against a dummy hash made with the same argon2id
 * cost (without it, a wrong password took ~300 ms for a real account and ~1 ms otherwise).
 */
static const char DUMMY_HASH[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$TU3He6hsYWbvji6V5bLfig$"
    "JX7/uvLV+edzlvBkI5ZABxNZBwjASnsRcysc2aZoTSo";

/* The dummy at another password_hash_memory than the default's (65536 KiB): made once, on
 * the first unknown login, with that cost, so the timing stays the same at any setting. */
static pthread_mutex_t dummy_mu = PTHREAD_MUTEX_INITIALIZER;
static char dummy_other[crypto_pwhash_STRBYTES];
static int dummy_other_kib;

/* The dummy hash for password_hash_memory = kib, copied into out; false if it could not be
 * made (out of memory). */
static bool dummy_hash(int kib, char out[crypto_pwhash_STRBYTES])
{
    if (kib == 65536) {
        memcpy(out, DUMMY_HASH, crypto_pwhash_STRBYTES);
        return true;
    }
    bool ok = true;
    pthread_mutex_lock(&dummy_mu);
    if (dummy_other_kib != kib) {
        unsigned char pw[16];
        randombytes_buf(pw, sizeof pw);
        ok = crypto_pwhash_str(dummy_other, (const char *)pw, sizeof pw,
                               crypto_pwhash_OPSLIMIT_INTERACTIVE, (size_t)kib * 1024) == 0;
        if (ok) dummy_other_kib = kib;
    }
    if (ok) memcpy(out, dummy_other, crypto_pwhash_STRBYTES);
    pthread_mutex_unlock(&dummy_mu);
    return ok;
}

/* Seconds to wait before key may try again (0: now), by its failures so far. */
static int64_t signin_wait(app_ctx *c, const char *key, int slow_after, int max)
{
    ratelimit_state st = ratelimit_peek(c->limits, key, c->now);
    if (max > 0 && st.count >= max) return (st.reset_ms - c->now + 999) / 1000;
    if (slow_after <= 0 || st.count < slow_after) return 0;
    int64_t steps = st.count - slow_after, cap = (int64_t)c->cfg->signin_max_delay * 1000;
    int64_t delay = steps >= 30 ? cap : 1000LL << steps;
    if (delay > cap) delay = cap;
    int64_t until = st.last_ms + delay;
    return until > c->now ? (until - c->now + 999) / 1000 : 0;
}

/* A refused password check's audit row, in a transaction of its own (it writes nothing else):
 * the username as typed (cut short), whose account it named if any, and why; never the
 * password. Attempts the throttle refuses before hashing are not recorded: they cost nothing,
 * and a flood of them must not become a flood of writes. A failure to record is logged, and
 * the answer stays the refusal. */
static void signin_failed(app_ctx *c, const char *username, int64_t account_id, const char *why)
{
    const char *msg = c->errmsg;
    int rc = audit_record_alone(
        c, &(audit_entry){.action = "auth.sign_in_failed",
                          .actor_id = account_id,
                          .no_actor = !account_id,
                          .target_kind = account_id ? "account" : NULL,
                          .target_id = account_id,
                          .detail = {AUDIT_STR("username", username ? username : ""),
                                     AUDIT_STR("reason", why)}});
    if (rc) log_error("event=audit_failed action=auth.sign_in_failed rc=%d", rc);
    c->errmsg = msg;
}

int auth_check_password(app_ctx *c, const char *username, const char *password, auth_signin *who,
                        pl_account *acc)
{
    int rc = PL_ENOTFOUND;
    if (username && strchr(username, '@')) rc = store_account_by_email(c->db, username, c->a, acc);
    if (rc == PL_ENOTFOUND && username) rc = store_account_by_username(c->db, username, c->a, acc);
    if (rc != PL_OK && rc != PL_ENOTFOUND) return rc;
    bool known = rc == PL_OK && acc->password_hash;
    char account_key[96], ip_key[96];
    if (rc == PL_OK) {
        snprintf(account_key, sizeof account_key, "sf:a:%lld", (long long)acc->id);
    } else {
        /* the login as typed, case folded, hashed so any length fits the limiter's key */
        char *low = arena_strdup(c->a, username ? username : "");
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        char h[65];
        auth_secret_hash(low, h);
        snprintf(account_key, sizeof account_key, "sf:u:%.32s", h);
    }
    snprintf(ip_key, sizeof ip_key, "sf:i:%s", who && who->ip ? who->ip : "");
    if (c->limits) {
        const pl_config *cfg = c->cfg;
        int64_t wait =
            signin_wait(c, account_key, cfg->signin_account_slow_after, cfg->signin_account_max);
        int64_t wait_ip = signin_wait(c, ip_key, cfg->signin_ip_slow_after, cfg->signin_ip_max);
        if (wait_ip > wait) wait = wait_ip;
        if (wait > 0) {
            if (who) who->retry_after_s = wait;
            return app_fail(c, PL_ERATE,
                            "Too many failed sign-in attempts. Try again in %lld second%s.",
                            (long long)wait, wait == 1 ? "" : "s");
        }
    }
    const char *pw = password ? password : "";
    char dummy[crypto_pwhash_STRBYTES];
    if (!known && !dummy_hash(c->cfg->password_hash_memory, dummy))
        return app_fail(c, PL_ENOMEM, "Could not check the password");
    bool ok = crypto_pwhash_str_verify(known ? acc->password_hash : dummy, pw, strlen(pw)) == 0 &&
              known && password;
    if (!ok) {
        if (c->limits) {
            /* counted when the answer is known, not when the request came: the wait runs
             * from the failure the person sees, however long the hash took */
            int64_t window = c->cfg->signin_window, failed_at = time_now_ms();
            ratelimit_count(c->limits, account_key, window, failed_at);
            ratelimit_count(c->limits, ip_key, window, failed_at);
        }
        signin_failed(c, username, known ? acc->id : 0, "password");
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EAUTH, "The username or password is not correct.");
    }
    if (c->limits) ratelimit_forget(c->limits, account_key);
    if (acc->is_disabled) {
        signin_failed(c, username, acc->id, "disabled");
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EFORBIDDEN, "Your login is currently disabled.");
    }
    if (!acc->is_approved) {
        signin_failed(c, username, acc->id, "pending");
        c->errcode = "invalid_grant";
        return app_fail(c, PL_EFORBIDDEN, "Your login is currently pending approval.");
    }
    return PL_OK;
}

/* A sign-in's audit row, in the transaction that gives the token or the code. */
static int signed_in(app_ctx *c, int64_t account_id, int64_t app_id, const char *how)
{
    return audit_record(
        c, &(audit_entry){.action = "auth.sign_in",
                          .actor_id = account_id,
                          .target_kind = "account",
                          .target_id = account_id,
                          .detail = {AUDIT_ID("app_id", app_id), AUDIT_STR("method", how)}});
}

int auth_password_grant(app_ctx *c, const pl_app *app, const char *username, const char *password,
                        const char *scope, auth_signin *who, const char **token)
{
    const char *scopes = NULL;
    int rc = pick_scopes(c, app, scope, &scopes);
    if (rc) return rc;
    pl_account acc;
    if ((rc = auth_check_password(c, username, password, who, &acc))) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = signed_in(c, acc.id, app->id, "password");
    return app_txn_end(c, rc ? rc : auth_token_issue(c, app->id, acc.id, scopes, token));
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
        if ((rc = auth_challenge_method_check(c, method))) return rc;
        /* plain only when the app says so: a challenge alone is S256, as in Mastodon */
        if (!method || !*method) method = "S256";
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
    if (!rc) rc = signed_in(c, account_id, app->id, "authorize");
    if ((rc = app_txn_end(c, rc))) return rc;
    *code = secret;
    return PL_OK;
}

int auth_challenge_method_check(app_ctx *c, const char *method)
{
    if (!method || !*method || !strcmp(method, "S256") || !strcmp(method, "plain")) return PL_OK;
    c->errcode = "invalid_request";
    return app_fail(c, PL_EINVAL, "The code challenge method must be S256 or plain.");
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

static int invalid_grant(app_ctx *c)
{
    c->errcode = "invalid_grant";
    return app_fail(c, PL_EAUTH,
                    "The provided authorization grant is invalid, expired, revoked, does not "
                    "match the redirection URI used in the authorization request, or was issued "
                    "to another client.");
}

int auth_code_grant(app_ctx *c, const pl_app *app, const char *code, const char *redirect_uri,
                    const char *verifier, const char **token)
{
    if (!code || !*code) {
        c->errcode = "invalid_request";
        return app_fail(c, PL_EINVAL, "Missing required parameter: code.");
    }
    if (!redirect_uri || !*redirect_uri) {
        c->errcode = "invalid_request";
        return app_fail(c, PL_EINVAL, "Missing required parameter: redirect_uri.");
    }
    char h[65];
    auth_secret_hash(code, h);
    pl_auth_code ac;
    int rc = store_code_get(c->db, h, c->a, &ac);
    if (rc && rc != PL_ENOTFOUND) return rc;
    if (rc == PL_ENOTFOUND || ac.used || ac.app_id != app->id || ac.expires_at < c->now ||
        strcmp(redirect_uri, ac.redirect_uri) || !pkce_ok(&ac, verifier))
        return invalid_grant(c);
    /* The check above read the code outside any lock; the claim decides who redeems it. */
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_code_claim(c->db, h);
    if (rc == PL_ENOTFOUND) return app_txn_end(c, invalid_grant(c));
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
    rc = store_token_revoke(c->db, h, c->now);
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "token.revoke",
                                            .actor_id = t.account_id,
                                            .no_actor = !t.account_id,
                                            .target_kind = "app",
                                            .target_id = t.app_id,
                                            .detail = {AUDIT_ID("token_id", t.id)}});
    return app_txn_end(c, rc);
}

int auth_authenticate(app_ctx *c, const char *token, pl_token *tok, const pl_account **acc)
{
    *acc = NULL;
    if (!token || !*token || strlen(token) > 128)
        return app_fail(c, PL_EAUTH, "The access token is invalid");
    char h[65];
    auth_secret_hash(token, h);
    return auth_authenticate_hash(c, h, tok, acc);
}

int auth_authenticate_hash(app_ctx *c, const char *h, pl_token *tok, const pl_account **acc)
{
    *acc = NULL;
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
                          (size_t)c->cfg->password_hash_memory * 1024) != 0)
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

int auth_apps_prune(app_ctx *c, int64_t *cursor, int *pruned)
{
    *pruned = 0;
    if (c->cfg->app_prune_after <= 0) return PL_OK;
    /* An app is looked at once, when it turns app_prune_after old: if it has no token and
     * no code by then it goes; otherwise it has been used and stays (tokens and codes are
     * never deleted, so it stays used). The cursor is the creation time looked at last. */
    int64_t before = id_floor_for_ms(c->now - (int64_t)c->cfg->app_prune_after * 1000);
    if (before <= *cursor) return PL_OK;
    enum { CHUNK = 500 };
    for (;;) {
        int n = 0, rc = app_txn_begin(c);
        if (!rc) rc = app_txn_end(c, store_apps_prune_unused(c->db, *cursor, before, CHUNK, &n));
        if (rc) return rc;
        *pruned += n;
        if (n < CHUNK) break;
    }
    *cursor = before - 1;
    return PL_OK;
}
