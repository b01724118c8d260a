/*
 * accounts.c — registration and profiles.
 *
 * Registration checks everything that can be checked before the slow password hash, so a
 * bad form answers fast; then it hashes (worker thread) and inserts in one transaction —
 * with, where addresses must be confirmed, the confirmation link and its queued message
 * (app/confirm.c), so an account never exists without the mail that can confirm it.
 */
#include "accounts.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "app/audit.h"
#include "app/auth.h"
#include "app/confirm.h"
#include "app/graph.h"
#include "app/render.h"
#include "mail/mail.h"
#include "store/accounts.h"
#include "store/auth.h"
#include "util/text.h"

static bool valid_username(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 1 || n > 30) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)u[i]) && u[i] != '_') return false;
    return true;
}

static bool valid_email(const char *e)
{
    if (!e) return false;
    size_t n = strlen(e);
    const char *at = strchr(e, '@');
    if (n < 3 || n > 254 || !at || at == e || strchr(at + 1, '@') || !at[1]) return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"') return false;
    return strchr(at + 1, '.') != NULL;
}

static bool domain_allowed(const char *list, const char *email)
{
    if (!list || !*list) return true;
    const char *dom = strchr(email, '@') + 1;
    size_t dn = strlen(dom);
    for (const char *s = list; *s;) {
        while (*s == ',' || *s == ' ') s++;
        size_t m = strcspn(s, ", ");
        if (m == dn && !strncasecmp(s, dom, m)) return true;
        s += m;
    }
    return false;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* The reason to keep: NULL when there is nothing to keep (open or admin registration, or a
 * blank reason); *rc set to the failure when it is not acceptable. Checked before the slow
 * hash, like the other fields. */
static const char *reason_to_keep(app_ctx *c, const accounts_new *n, int *rc)
{
    *rc = PL_OK;
    if (n->skip_rules || c->cfg->registrations != REG_APPROVAL || !n->reason) return NULL;
    const char *r = n->reason;
    size_t len = strlen(r);
    if (!text_is_valid_utf8(r, len)) {
        *rc = app_fail_field(c, PL_EINVAL, "reason", "ERR_INVALID",
                             "Validation failed: Reason is not valid UTF-8");
        return NULL;
    }
    int max = c->cfg->registration_reason_max;
    if ((long long)utf8_chars(r) > max) {
        *rc =
            app_fail_field(c, PL_EINVAL, "reason", "ERR_TOO_LONG",
                           "Validation failed: Reason is too long (maximum is %d characters)", max);
        return NULL;
    }
    for (const char *p = r; *p; p++)
        if (!isspace((unsigned char)*p)) return r;
    return NULL;
}

int accounts_check_email(app_ctx *c, const char *email, int64_t self)
{
    if (!valid_email(email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_INVALID",
                              "Validation failed: Email is invalid");
    if (!domain_allowed(c->cfg->allowed_domains, email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_BLOCKED",
                              "Validation failed: Email must be an address at one of the "
                              "company's domains (%s)",
                              c->cfg->allowed_domains);
    /* the confirmation must be deliverable: mail/mail.h decides what an address may hold */
    if (confirm_required(c) && !mail_address_ok(email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_INVALID",
                              "Validation failed: Email cannot receive mail from this server "
                              "(letters, digits and . _ %% + - only, one @)");
    pl_account tmp;
    int rc = store_account_by_email(c->db, email, c->a, &tmp);
    if (rc == PL_OK && tmp.id != self)
        return app_fail_field(c, PL_EINVAL, "email", "ERR_TAKEN",
                              "Validation failed: Email has already been taken");
    return rc == PL_ENOTFOUND || rc == PL_OK ? PL_OK : rc;
}

/* Who made an administrator's change: an administrator through the API (c->ip is set), or
 * the admin command line (no request). */
static const char *by_whom(app_ctx *c, bool admin)
{
    return !admin ? "registration" : c->ip ? "admin_api" : "admin_cli";
}

/* An administrator's act on an account (the command line's, which has no actor: it runs as
 * whoever may open the database). */
static int audit_admin(app_ctx *c, const char *action, const pl_account *acc)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .target_kind = "account",
                                          .target_id = acc->id,
                                          .detail = {AUDIT_STR("username", acc->username),
                                                     AUDIT_STR("by", by_whom(c, true))}});
}

int accounts_register(app_ctx *c, const accounts_new *n, pl_account *out)
{
    if (!n->skip_rules && c->cfg->registrations == REG_CLOSED)
        return app_fail(c, PL_EFORBIDDEN, "Registrations are closed on this server");
    if (!valid_username(n->username))
        return app_fail_field(c, PL_EINVAL, "username", "ERR_INVALID",
                              "Validation failed: Username must be 1 to 30 letters, digits or "
                              "underscores");
    if (!valid_email(n->email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_INVALID",
                              "Validation failed: Email is invalid");
    if (!n->skip_rules && !domain_allowed(c->cfg->allowed_domains, n->email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_BLOCKED",
                              "Validation failed: Email must be an address at one of the "
                              "company's domains (%s)",
                              c->cfg->allowed_domains);
    bool confirming = !n->skip_rules && confirm_required(c);
    if (confirming && !mail_address_ok(n->email))
        return app_fail_field(c, PL_EINVAL, "email", "ERR_INVALID",
                              "Validation failed: Email cannot receive mail from this server "
                              "(letters, digits and . _ %% + - only, one @)");
    const char *bad = accounts_password_length_error(n->password ? strlen(n->password) : 0);
    if (bad)
        return app_fail_field(c, PL_EINVAL, "password", bad,
                              "Validation failed: Password must be between 8 and 72 characters");
    pl_account tmp;
    if (store_account_by_username(c->db, n->username, c->a, &tmp) == PL_OK)
        return app_fail_field(c, PL_EINVAL, "username", "ERR_TAKEN",
                              "Validation failed: Username has already been taken");
    if (store_account_by_email(c->db, n->email, c->a, &tmp) == PL_OK)
        return app_fail_field(c, PL_EINVAL, "email", "ERR_TAKEN",
                              "Validation failed: Email has already been taken");
    int rc;
    const char *reason = reason_to_keep(c, n, &rc);
    if (rc) return rc;
    const char *hash = n->password_hash ? n->password_hash : auth_password_hash(c, n->password);
    if (!hash) return app_fail(c, PL_EINTERNAL, "Could not hash the password");
    *out = (pl_account){
        .id = app_new_id(c),
        .username = n->username,
        .email = n->email,
        .display_name = n->display_name ? n->display_name : "",
        .note = "",
        .note_html = "",
        .password_hash = hash,
        .is_discoverable = true,
        .is_approved = n->skip_rules || c->cfg->registrations != REG_APPROVAL,
        .is_admin = n->is_admin,
        .role = n->is_admin ? PL_ROLE_ADMIN : PL_ROLE_USER,
        .is_unconfirmed = confirming,
        .default_privacy = c->cfg->default_visibility, /* the company's default audience */
        .created_at = c->now,
    };
    rc = app_txn_begin(c);
    if (rc) return rc;
    rc = store_account_insert(c->db, out);
    if (!rc && reason && !out->is_approved)
        rc = store_registration_reason_insert(c->db, out->id, reason);
    if (!rc && confirming) rc = confirm_start(c, out, n->app_id);
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){.action = "account.create",
                              .target_kind = "account",
                              .target_id = out->id,
                              .detail = {AUDIT_STR("username", out->username),
                                         AUDIT_STR("by", by_whom(c, n->skip_rules)),
                                         out->is_admin ? (audit_detail)AUDIT_STR("role", "admin")
                                                       : (audit_detail){0}}});
    if (rc == PL_ECONFLICT)
        app_fail(c, PL_EINVAL, "Validation failed: Username or email has already been taken");
    rc = app_txn_end(c, rc == PL_ECONFLICT ? PL_EINVAL : rc);
    return rc;
}

static int check_len(app_ctx *c, const char *what, const char *s, int max)
{
    if (!s) return PL_OK;
    if (!text_is_valid_utf8(s, strlen(s)))
        return app_fail(c, PL_EINVAL, "Validation failed: %s is not valid UTF-8", what);
    if ((int)utf8_chars(s) > max)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: %s is too long (maximum is %d characters)", what, max);
    return PL_OK;
}

static int update_fields(app_ctx *c, int64_t account_id, const accounts_change *ch)
{
    const pl_config *cfg = c->cfg;
    if (ch->n_fields > cfg->max_profile_fields)
        return app_fail(c, PL_EINVAL, "Validation failed: Too many profile fields (maximum is %d)",
                        cfg->max_profile_fields);
    pl_field *f = arena_alloc(c->a, sizeof *f * (size_t)(ch->n_fields + 1));
    int n = 0, rc;
    for (int i = 0; i < ch->n_fields; i++) {
        const char *name = ch->field_names[i] ? ch->field_names[i] : "";
        const char *value = ch->field_values[i] ? ch->field_values[i] : "";
        if (!*name && !*value) continue; /* Mastodon drops empty rows */
        if ((rc = check_len(c, "Field name", name, cfg->max_field_characters))) return rc;
        if ((rc = check_len(c, "Field value", value, cfg->max_field_characters))) return rc;
        render_out r;
        if ((rc = render_text(c, value, &r))) return rc;
        /* a field value is one line: drop the paragraph wrapper */
        const char *h = r.html;
        size_t hl = strlen(h);
        if (hl >= 7 && !strncmp(h, "<p>", 3) && !strcmp(h + hl - 4, "</p>"))
            h = arena_strndup(c->a, h + 3, hl - 7);
        f[n++] = (pl_field){name, value, h};
    }
    return store_account_set_fields(c->db, account_id, f, n);
}

/* An ISO 639 code as Mastodon's languages are spelled: two or three letters, and at most a
 * region or script after a hyphen ("en", "pt-BR", "zh-Hant"), 16 bytes in all. */
static bool language_code(const char *s)
{
    size_t n = strlen(s),
           letters = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (n > 16 || letters < 2 || letters > 3) return false;
    if (n == letters) return true;
    const char *rest = s + letters;
    return rest[0] == '-' && rest[1] &&
           strspn(rest + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
               strlen(rest + 1);
}

/* The audit row of a profile or settings change: which fields were sent, never their values
 * (a field or a note may be private; the audience settings are named for what they are). */
static int audit_profile(app_ctx *c, int64_t account_id, const accounts_change *ch)
{
    const char *names[] = {ch->display_name ? "display_name" : NULL,
                           ch->note ? "note" : NULL,
                           ch->locked >= 0 ? "locked" : NULL,
                           ch->bot >= 0 ? "bot" : NULL,
                           ch->discoverable >= 0 ? "discoverable" : NULL,
                           ch->sensitive >= 0 ? "sensitive" : NULL,
                           ch->privacy >= 0 ? "privacy" : NULL,
                           ch->hide_collections >= 0 ? "hide_collections" : NULL,
                           ch->hide_boosts >= 0 ? "hide_boosts" : NULL,
                           ch->content_type ? "content_type" : NULL,
                           ch->language ? "language" : NULL,
                           ch->set_fields ? "fields" : NULL,
                           ch->avatar ? "avatar" : NULL,
                           ch->header ? "header" : NULL};
    const char *fields = audit_names(c, names, sizeof names / sizeof names[0]);
    return audit_record(
        c, &(audit_entry){
               .action = "account.update",
               .actor_id = account_id,
               .target_kind = "account",
               .target_id = account_id,
               .detail = {AUDIT_STR("fields", fields),
                          ch->locked >= 0
                              ? (audit_detail)AUDIT_STR("locked", ch->locked ? "true" : "false")
                              : (audit_detail){.key = "locked"},
                          ch->privacy >= 0
                              ? (audit_detail)AUDIT_STR("privacy", audit_audience_name(ch->privacy))
                              : (audit_detail){.key = "privacy"}}});
}

int accounts_update(app_ctx *c, int64_t account_id, const accounts_change *ch)
{
    pl_account acc;
    int rc = store_account_get(c->db, account_id, c->a, &acc);
    if (rc) return rc;
    if ((rc = check_len(c, "Display name", ch->display_name, c->cfg->max_display_name))) return rc;
    if ((rc = check_len(c, "Note", ch->note, c->cfg->max_note))) return rc;
    if (ch->display_name) acc.display_name = ch->display_name;
    if (ch->note) {
        render_out r;
        if ((rc = render_text(c, ch->note, &r))) return rc;
        acc.note = ch->note;
        acc.note_html = r.html;
    }
    if (ch->bot >= 0) acc.is_bot = ch->bot;
    if (ch->discoverable >= 0) acc.is_discoverable = ch->discoverable;
    if (ch->sensitive >= 0) acc.default_sensitive = ch->sensitive;
    if (ch->privacy >= 0) acc.default_privacy = ch->privacy;
    if (ch->hide_collections >= 0) acc.hide_collections = ch->hide_collections;
    if (ch->hide_boosts >= 0) acc.hide_boosts = ch->hide_boosts;
    if (ch->content_type) {
        acc.default_content_type = content_type_parse(ch->content_type);
        if (acc.default_content_type < 0)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: source[status_content_type] must be text/plain "
                            "or text/markdown");
    }
    if (ch->language) {
        if (*ch->language && !language_code(ch->language))
            return app_fail(c, PL_EINVAL,
                            "Validation failed: Language is not a language code (ISO 639: "
                            "two or three letters, as en or de)");
        acc.default_language = *ch->language ? ch->language : NULL; /* "" clears it */
    }
    bool unlocking = ch->locked == 0 && acc.is_locked;
    if (ch->locked >= 0) acc.is_locked = ch->locked;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_update_profile(c->db, &acc);
    if (!rc && ch->set_fields) rc = update_fields(c, account_id, ch);
    if (!rc) rc = audit_profile(c, account_id, ch);
    /* no longer locked: those who asked to follow now follow (as Mastodon does) */
    if (!rc && unlocking) rc = graph_authorize_all(c, account_id);
    avatars_swap sw = {0};
    if (!rc) rc = avatars_swap_in(c, account_id, ch->avatar, ch->header, &sw);
    if (rc) avatars_swap_undo(c, &sw);
    if ((rc = app_txn_end(c, rc))) return rc;
    avatars_swap_done(c, &sw);
    return PL_OK;
}

int accounts_remove_picture(app_ctx *c, int64_t account_id, enum avatar_kind kind)
{
    int64_t made, old;
    int rc = app_txn_begin(c);
    if (rc) return rc;
    if ((rc = app_txn_end(c, avatars_replace(c, account_id, kind, NULL, &made, &old)))) return rc;
    avatars_forget(c, old);
    return PL_OK;
}

int accounts_lookup(app_ctx *c, const char *acct, const pl_account **out)
{
    if (!acct || !*acct) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (*acct == '@') acct++;
    const char *at = strchr(acct, '@');
    char name[64];
    size_t n = at ? (size_t)(at - acct) : strlen(acct);
    if (n == 0 || n >= sizeof name) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (at) {
        if (strcasecmp(at + 1, c->cfg->host)) return app_fail(c, PL_ENOTFOUND, "Record not found");
    }
    memcpy(name, acct, n);
    name[n] = '\0';
    pl_account acc;
    int rc = store_account_by_username(c->db, name, c->a, &acc);
    if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (rc) return rc;
    *out = app_account(c, acc.id);
    return *out ? PL_OK : PL_ENOTFOUND;
}

const char *accounts_password_length_error(size_t len)
{
    if (len == 0) return "ERR_BLANK";
    if (len < ACCOUNTS_PASSWORD_MIN) return "ERR_TOO_SHORT";
    if (len > ACCOUNTS_PASSWORD_MAX) return "ERR_TOO_LONG";
    return NULL;
}

int accounts_set_password(app_ctx *c, const char *username, const char *password)
{
    size_t plen = password ? strlen(password) : 0;
    if (plen < ACCOUNTS_PASSWORD_MIN || plen > ACCOUNTS_PASSWORD_MAX)
        return app_fail(c, PL_EINVAL, "Password must be between 8 and 72 characters");
    pl_account acc;
    int rc = store_account_by_username(c->db, username, c->a, &acc);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "No account named %s", username);
    if (rc) return rc;
    const char *hash = auth_password_hash(c, password);
    if (!hash) return app_fail(c, PL_EINTERNAL, "Could not hash the password");
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_set_password(c->db, acc.id, hash);
    if (!rc) rc = store_tokens_revoke_account(c->db, acc.id, c->now);
    if (!rc) rc = audit_admin(c, "admin.set_password", &acc);
    return app_txn_end(c, rc);
}

int accounts_set_disabled(app_ctx *c, const char *username, bool disabled)
{
    pl_account acc;
    int rc = store_account_by_username(c->db, username, c->a, &acc);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "No account named %s", username);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_set_disabled(c->db, acc.id, disabled);
    if (!rc && disabled) rc = store_tokens_revoke_account(c->db, acc.id, c->now);
    if (!rc) rc = audit_admin(c, disabled ? "admin.disable" : "admin.enable", &acc);
    return app_txn_end(c, rc);
}

int accounts_stats(app_ctx *c, int64_t *users, int64_t *statuses)
{
    return store_stats(c->db, users, statuses);
}

int accounts_approve(app_ctx *c, const char *username)
{
    pl_account acc;
    int rc = store_account_by_username(c->db, username, c->a, &acc);
    if (rc == PL_ENOTFOUND) return app_fail(c, rc, "No account named %s", username);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_account_set_approved(c->db, acc.id, true);
    if (!rc) rc = store_registration_reason_delete(c->db, acc.id);
    if (!rc) rc = audit_admin(c, "admin.approve", &acc);
    return app_txn_end(c, rc);
}

int accounts_each_pending(app_ctx *c, void (*fn)(const pl_account *, const char *reason, void *),
                          void *ud)
{
    return store_account_each_pending(c->db, c->a, fn, ud);
}

int accounts_get_full(app_ctx *c, int64_t id, pl_account *out)
{
    int rc = store_account_get(c->db, id, c->a, out);
    return rc ? rc : store_account_fields(c->db, out, c->a);
}

int accounts_load_fields(app_ctx *c, pl_account *acc)
{
    if (!acc->fields_count || acc->fields) return PL_OK;
    return store_account_fields(c->db, acc, c->a);
}

int accounts_each(app_ctx *c, void (*fn)(const pl_account *, void *), void *ud)
{
    return store_account_each(c->db, c->a, fn, ud);
}

int accounts_count(app_ctx *c, int64_t *n)
{
    return store_account_count(c->db, n);
}
