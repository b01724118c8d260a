/*
 * admin.c — `partyline admin …`: accounts from the command line, for the people who run
 * the server. Goes through the app layer like any request.
 *
 * Listings are one account per line, tab-separated, so they can be read and also cut or
 * grepped. What a person typed (a reason for joining, an e-mail) is escaped on the way out
 * (text_escape_line): a newline, tab or terminal control in it cannot make a line of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/accounts.h"
#include "api/entities.h"
#include "app/announcements.h"
#include "app/attachments.h"
#include "app/audit.h"
#include "app/exports.h"
#include "app/retention.h"
#include "app/offboard.h"
#include "app/moderation.h"
#include "app/stream.h"
#include "app/tickets.h"
#include "cli/cli.h"
#include "media/media.h"
#include "store/accounts.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "store/accounts.h"

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc - 1; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static bool has(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], name)) return true;
    return false;
}

/* id, username, e-mail (escaped like list-pending's: an address may hold a bidi override
 * or DEL), state */
static void print_user(const pl_account *a, void *ud)
{
    buf *b = ud;
    buf_reset(b);
    buf_printf(b, "%lld\t%s\t", (long long)a->id, a->username);
    text_escape_line(a->email ? a->email : "", b);
    buf_printf(b, "\t%s%s%s%s%s", a->is_disabled ? "disabled" : "active",
               a->role != PL_ROLE_USER ? "," : "",
               a->role != PL_ROLE_USER ? moderation_role_name(a->role) : "",
               a->is_suspended  ? ",suspended"
               : a->is_silenced ? ",silenced"
                                : "",
               a->is_approved ? "" : ",pending");
    puts(buf_cstr(b));
}

/* id, username, e-mail, when they registered (UTC), the reason they gave (empty if none) */
static void print_pending(const pl_account *a, const char *reason, void *ud)
{
    buf *b = ud;
    buf_reset(b);
    buf_printf(b, "%lld\t%s\t", (long long)a->id, a->username);
    text_escape_line(a->email ? a->email : "", b);
    time_t t = (time_t)(a->created_at / 1000);
    struct tm tm;
    char when[32] = "";
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", &tm);
    buf_printf(b, "\t%s\t", when);
    if (reason) text_escape_line(reason, b);
    puts(buf_cstr(b));
}

/* What changed here must reach the running servers, which hear their own changes but not this
 * process's. A revocation: the mark makes each one check its open streams' tokens within about
 * a second, and the streams of a revoked token end (app/stream.h). Any record changed: each
 * drops its caches within about a second (app_outside_changes_note), so that a disabled
 * account, say, is not shown from a copy read before. */
static int tell_servers(app_ctx *c, int rc)
{
    if (rc) return rc;
    int n, touched;
    const pl_event *ev = db_events(c->db, &n);
    bool revoked = false;
    for (int i = 0; i < n; i++) revoked |= ev[i].kind == EV_TOKEN_REVOKED;
    db_events_clear(c->db);
    db_touched(c->db, &touched);
    db_touched_clear(c->db);
    if (revoked && (rc = stream_revocations_note(c))) return rc;
    return touched ? app_outside_changes_note(c) : PL_OK;
}

/* rc's message on stderr (1), or done on stdout if given (0). */
static int report(app_ctx *c, int rc, const char *done)
{
    if (rc) {
        fprintf(stderr, "partyline admin: %s\n", c->errmsg ? c->errmsg : pl_strerror(rc));
        return 1;
    }
    if (done) puts(done);
    return 0;
}

/* set-role --username U --role admin|moderator|user: as the admin API's role route, by the
 * command line (which may give any role, the first administrator's included). */
static int set_role(app_ctx *c, const char *user, const char *name)
{
    int role = moderation_role_parse(name);
    if (!user || role < 0) {
        fputs("partyline admin: set-role needs --username U --role admin|moderator|user\n", stderr);
        return 2;
    }
    pl_account acc; /* by the store: a suspended account is hidden from app_account */
    int rc = store_account_by_username(c->db, user, c->a, &acc);
    if (rc == PL_ENOTFOUND) app_fail(c, rc, "No account named %s", user);
    if (!rc) rc = tell_servers(c, moderation_set_role(c, NULL, acc.id, role));
    return report(c, rc, "role set");
}

/* set-service --username U [--team NAME] | --off: puts a person on the service team (with the
 * name of their team within it) or takes them off it (app/tickets.h); audited as the API. */
static int set_service(app_ctx *c, const char *user, const char *team, bool off)
{
    if (!user || (off && team)) {
        fputs("partyline admin: set-service needs --username U [--team NAME] | --off\n", stderr);
        return 2;
    }
    pl_account acc;
    int rc = store_account_by_username(c->db, user, c->a, &acc);
    if (rc == PL_ENOTFOUND) app_fail(c, rc, "No account named %s", user);
    if (!rc) rc = app_txn_begin(c);
    if (!rc) rc = app_txn_end(c, tickets_set_service(c, 0, acc.id, !off, team));
    return report(c, rc, off ? "off the service team" : "on the service team");
}

static bool time_opt(int argc, char **argv, const char *name, int64_t *ms);

/* tickets sla-check [--now TIME]: the SLA's background check once, now or as of TIME. */
static int tickets_sla_cmd(app_ctx *c, int argc, char **argv)
{
    int64_t at;
    if (!time_opt(argc, argv, "--now", &at)) return 2;
    if (at) c->now = at;
    int told = 0;
    int rc = tickets_sla_check(c, &told);
    if (rc) return report(c, rc, NULL);
    printf("told %d SLA events\n", told);
    return 0;
}

/* ---- announcements ---------------------------------------------------------------------- */

/* An optional --starts-at / --ends-at: true with 0 when absent, false (and a message) when it
 * is not a time. */
static bool time_opt(int argc, char **argv, const char *name, int64_t *ms)
{
    const char *v = opt(argc, argv, name);
    *ms = 0;
    if (!v) return true;
    if (time_parse_iso8601(v, ms) == 0 && *ms > 0) return true;
    fprintf(stderr,
            "partyline admin: %s must be a time like 2026-12-24T09:00:00Z or a date like "
            "2026-12-24\n",
            name);
    return false;
}

/* announce --text T [--starts-at TIME] [--ends-at TIME] [--all-day]: posts it as the
 * command line (no account), under the same rules as the admin API. */
static int announce(app_ctx *c, int argc, char **argv)
{
    announcement_new n = {.text = opt(argc, argv, "--text"),
                          .all_day = has(argc, argv, "--all-day")};
    if (!n.text) {
        fputs("partyline admin: announce needs --text\n", stderr);
        return 2;
    }
    if (!time_opt(argc, argv, "--starts-at", &n.starts_at) ||
        !time_opt(argc, argv, "--ends-at", &n.ends_at))
        return 2;
    pl_announcement an;
    int rc = announcements_create(c, NULL, &n, &an);
    int status = report(c, rc, "announced");
    if (!rc) printf("id %lld\n", (long long)an.id);
    return status;
}

static const char *when(int64_t ms, char *out, size_t cap)
{
    if (!ms) return "-";
    time_iso8601(ms, out, cap);
    return out;
}

/* id, state (running, scheduled, ended), starts, ends (or -), the text escaped onto its line */
static int list_announcements(app_ctx *c)
{
    pl_announcement *v;
    int n;
    int rc = announcements_all(c, NULL, 1000, &v, &n);
    if (rc) return report(c, rc, "");
    buf b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        const pl_announcement *an = &v[i];
        const char *state = an->published_at > c->now              ? "scheduled"
                            : an->ends_at && an->ends_at <= c->now ? "ended"
                                                                   : "running";
        char s1[32], s2[32];
        buf_reset(&b);
        buf_printf(&b, "%lld\t%s\t%s\t%s\t", (long long)an->id, state,
                   when(an->starts_at, s1, sizeof s1), when(an->ends_at, s2, sizeof s2));
        text_escape_line(an->text, &b);
        puts(buf_cstr(&b));
    }
    buf_free(&b);
    return 0;
}

/* ---- the audit log ----------------------------------------------------------------------- */

static const char *iso(int64_t ms, char *out, size_t cap)
{
    if (!ms) return "-";
    time_iso8601(ms, out, cap);
    return out;
}

/* audit verify: walks the chain from its anchor; 0 when whole, 1 naming the first broken row. */
static int audit_verify_cmd(app_ctx *c)
{
    audit_verdict v;
    int rc = audit_verify(c, &v);
    if (rc) return report(c, rc, "");
    char t1[40], t2[40];
    if (v.whole) {
        printf("audit log whole: %lld rows from %s to %s\n", (long long)v.rows,
               iso(v.first_at, t1, sizeof t1), iso(v.last_at, t2, sizeof t2));
        return 0;
    }
    if (v.bad_id)
        fprintf(stderr, "audit log broken at row %lld (id %lld): %s\n", (long long)v.bad_seq,
                (long long)v.bad_id, v.why);
    else
        fprintf(stderr, "audit log broken at row %lld: %s\n", (long long)v.bad_seq, v.why);
    fprintf(stderr, "(%lld rows whole before it)\n", (long long)v.rows);
    return 1;
}

static int export_row(const pl_audit_row *r, void *ud)
{
    buf *b = ud;
    buf_reset(b);
    jw w;
    jw_init(&w, b);
    ent_audit_row(&w, r);
    buf_putc(b, '\n');
    return fwrite(b->data, 1, b->len, stdout) == b->len ? 0 : PL_EINTERNAL;
}

/* audit export [--since TIME] [--until TIME]: every row in chain order as JSON lines, each
 * with its hash. The export is itself recorded first (so it is in what it writes). */
static int audit_export_cmd(app_ctx *c, int argc, char **argv)
{
    int64_t since, until;
    if (!time_opt(argc, argv, "--since", &since) || !time_opt(argc, argv, "--until", &until))
        return 2;
    char t1[40], t2[40];
    int rc = audit_record_alone(
        c, &(audit_entry){.action = "audit.export",
                          .detail = {AUDIT_STR("since", since ? iso(since, t1, sizeof t1) : NULL),
                                     AUDIT_STR("until", until ? iso(until, t2, sizeof t2) : NULL),
                                     AUDIT_STR("by", "admin_cli")}});
    if (rc) return report(c, rc, "");
    buf b = BUF_INIT;
    rc = db_begin_read(c->db); /* one snapshot, whatever the servers append meanwhile */
    if (!rc) rc = store_audit_walk(c->db, 0, since, until, export_row, &b);
    db_end_read(c->db);
    buf_free(&b);
    if (fflush(stdout) || rc) {
        fprintf(stderr, "partyline admin: the export stopped: %s\n",
                rc ? pl_strerror(rc) : "could not write");
        return 1;
    }
    return 0;
}

/* ---- retention and legal holds ---------------------------------------------------------- */

/* A channel by its name (a channel is a group account): its id, or 0 with a message. */
static int64_t channel_named(app_ctx *c, const char *name)
{
    pl_account acc;
    if (name && store_account_by_username(c->db, name, c->a, &acc) == PL_OK &&
        app_channel(c, acc.id))
        return acc.id;
    fprintf(stderr, "partyline admin: there is no channel \"%s\"\n", name ? name : "");
    return 0;
}

static const char *scope_name(int scope)
{
    return scope == RETENTION_COMPANY  ? "company"
           : scope == RETENTION_DIRECT ? "direct"
                                       : "channel";
}

/* retention show: the policies, one a line (scope, channel, days, set at), then the holds in
 * force (hold, id, kind, target, set at, reason). */
static int retention_show(app_ctx *c)
{
    pl_retention_policy *p;
    pl_legal_hold *h;
    int n, nh;
    int rc = retention_policies(c, NULL, &p, &n);
    if (!rc) rc = retention_holds(c, NULL, false, &h, &nh);
    if (rc) return report(c, rc, "");
    char t[40];
    if (!n) puts("no retention policy: posts are kept");
    for (int i = 0; i < n; i++) {
        const pl_account *ch = p[i].channel_id ? app_account(c, p[i].channel_id) : NULL;
        printf("policy\t%s\t%s\t%d days\t%s\n", scope_name(p[i].scope), ch ? ch->username : "-",
               p[i].days, iso(p[i].set_at, t, sizeof t));
    }
    buf b = BUF_INIT;
    for (int i = 0; i < nh; i++) {
        const pl_account *who = app_account(c, h[i].target_id);
        buf_reset(&b);
        buf_printf(&b, "hold\t%lld\t%s\t%s\t%s\t", (long long)h[i].id,
                   h[i].target_kind == HOLD_CHANNEL ? "channel" : "account",
                   who ? who->username : "?", iso(h[i].set_at, t, sizeof t));
        text_escape_line(h[i].reason ? h[i].reason : "", &b);
        puts(buf_cstr(&b));
    }
    buf_free(&b);
    return 0;
}

/* retention set --scope company|direct|channel [--channel NAME] --days N (0 removes it) */
static int retention_set_cmd(app_ctx *c, int argc, char **argv)
{
    const char *scope = opt(argc, argv, "--scope"), *days = opt(argc, argv, "--days");
    int sc = !scope                      ? 0
             : !strcmp(scope, "company") ? RETENTION_COMPANY
             : !strcmp(scope, "direct")  ? RETENTION_DIRECT
             : !strcmp(scope, "channel") ? RETENTION_CHANNEL
                                         : 0;
    char *end = NULL;
    long long d = days ? strtoll(days, &end, 10) : -1;
    if (!sc || !days || !*days || *end || d < 0) {
        fputs("partyline admin: retention set --scope company|direct|channel [--channel NAME] "
              "--days N (0 removes the policy)\n",
              stderr);
        return 2;
    }
    int64_t ch = 0;
    if (sc == RETENTION_CHANNEL && !(ch = channel_named(c, opt(argc, argv, "--channel")))) return 1;
    return report(c, tell_servers(c, retention_policy_set(c, NULL, sc, ch, d)),
                  d ? "policy set" : "policy removed");
}

struct cli_run {
    app_ctx *c;
    bool changed, sqlite;
};

/* After each batch: what it changed is noted, and the servers told once at the end (they drop
 * their copies). Its streaming events reach no one: a running server's own runs send them. */
static void after_batch_cli(void *ud, bool committed, int64_t txn_ms)
{
    struct cli_run *r = ud;
    int n;
    db_touched(r->c->db, &n);
    r->changed |= committed && n > 0;
    db_events_clear(r->c->db);
    db_touched_clear(r->c->db);
    /* SQLite: the log checkpointed here, outside the transaction (as the server's checkpointer
     * does), then a pause as long as the batch: a server beside it keeps its share */
    if (r->sqlite) db_checkpoint(r->c->db, false, NULL);
    usleep((useconds_t)(txn_ms > 0 ? txn_ms : 0) * 1000);
}

/* retention run [--now TIME] [--batch N]: one run now (or at TIME, as if it were then: how
 * tests make posts old), printing its counts. */
static int retention_run_cmd(const pl_config *cfg, app_ctx *c, int argc, char **argv)
{
    int64_t at;
    if (!time_opt(argc, argv, "--now", &at)) return 2;
    if (at) c->now = at;
    const char *batch = opt(argc, argv, "--batch");
    /* SQLite: no checkpoint inside a batch's commit (after_batch_cli does it outside) */
    if (!strcmp(db_driver_name(c->db), "sqlite") && db_exec(c->db, "PRAGMA wal_autocheckpoint = 0"))
        return report(c, PL_EDB, "");
    struct media_store *m = NULL;
    char err[256];
    if (attachments_store_open(cfg, c->db, &m, err, sizeof err)) {
        fprintf(stderr, "partyline admin: the file store: %s\n", err);
        return 1;
    }
    c->media = m;
    char who[64];
    snprintf(who, sizeof who, "cli pid %ld", (long)getpid());
    struct cli_run cr = {.c = c, .sqlite = !strcmp(db_driver_name(c->db), "sqlite")};
    retention_opts o = {
        .batch = batch ? atoi(batch) : 0, .who = who, .after_batch = after_batch_cli, .ud = &cr};
    retention_summary s;
    int rc = retention_run(c, &o, &s);
    c->media = NULL;
    attachments_store_close(m);
    if (cr.changed && app_outside_changes_note(c))
        fputs("partyline admin: warning: the running servers could not be told to drop "
              "their copies\n",
              stderr);
    if (rc) return report(c, rc, "");
    if (s.idle) {
        puts("no retention policy: nothing to do");
        return 0;
    }
    if (s.busy) {
        fputs("partyline admin: another retention run is under way (a server's); try later\n",
              stderr);
        return 1;
    }
    printf("deleted %lld posts (company %lld, direct %lld, channel %lld, own %lld) and %lld files "
           "in %d batches; longest transaction %lld ms\n",
           (long long)s.posts, (long long)s.by_scope[RETENTION_COMPANY],
           (long long)s.by_scope[RETENTION_DIRECT], (long long)s.by_scope[RETENTION_CHANNEL],
           (long long)s.by_scope[RETENTION_OWN], (long long)s.files, s.batches,
           (long long)s.longest_txn_ms);
    return 0;
}

/* hold --username U | --channel NAME [--reason R] [--release] */
static int hold_cmd(app_ctx *c, int argc, char **argv)
{
    const char *user = opt(argc, argv, "--username"), *chan = opt(argc, argv, "--channel");
    if (!user == !chan) {
        fputs("partyline admin: hold --username U | --channel NAME [--reason R] [--release]\n",
              stderr);
        return 2;
    }
    int kind = user ? HOLD_ACCOUNT : HOLD_CHANNEL;
    int64_t target = 0;
    if (user) {
        pl_account acc;
        if (store_account_by_username(c->db, user, c->a, &acc) == PL_OK) target = acc.id;
        if (!target) {
            fprintf(stderr, "partyline admin: there is no account \"%s\"\n", user);
            return 1;
        }
    } else if (!(target = channel_named(c, chan))) {
        return 1;
    }
    pl_legal_hold h;
    if (has(argc, argv, "--release")) {
        int rc = retention_hold_of(c, kind, target, &h);
        if (rc == PL_ENOTFOUND) rc = app_fail(c, rc, "It is not under a legal hold");
        if (!rc) rc = retention_hold_release(c, NULL, h.id, &h);
        return report(c, rc, "hold released");
    }
    int rc = retention_hold_set(c, NULL, kind, target, opt(argc, argv, "--reason"), &h);
    int status = report(c, rc, "held: no policy deletes its posts until the hold is released");
    if (!rc) printf("id %lld\n", (long long)h.id);
    return status;
}

static int offboard_run(app_ctx *c, const pl_account *who, const pl_account *to, bool wipe);

/* `admin offboard --username U [--transfer-channels-to V] [--wipe]`: app/offboard.h. With
 * --wipe the posts, files and profile go too, here and now, a batch per transaction. */
static int offboard(app_ctx *c, const char *user, const char *heir, bool wipe)
{
    const pl_account *who, *to = NULL;
    const char *missing = accounts_lookup(c, user, &who)          ? user
                          : heir && accounts_lookup(c, heir, &to) ? heir
                                                                  : NULL;
    if (missing) {
        fprintf(stderr, "partyline admin: no account named %s\n", missing);
        return 1;
    }
    /* a wipe deletes files: the file store opens first, so that nothing starts without it */
    char err[256];
    if (wipe && media_open(c->cfg, c->db, &c->media, err, sizeof err)) {
        fprintf(stderr, "partyline admin offboard: %s\n", err);
        return 1;
    }
    int status = offboard_run(c, who, to, wipe);
    if (wipe) {
        media_close(c->media);
        c->media = NULL;
    }
    return status;
}

static int offboard_run(app_ctx *c, const pl_account *who, const pl_account *to, bool wipe)
{
    offboard_report out;
    int rc = tell_servers(
        c,
        offboard_account(
            c, &(offboard_req){.account_id = who->id, .transfer_to = to ? to->id : 0, .wipe = wipe},
            &out));
    if (rc) return report(c, rc, NULL);
    printf("off-boarded %s: disabled; %lld tokens and sessions revoked (its streams closed on "
           "every node); %lld follow requests and %lld list memberships removed; %lld channels "
           "passed on\n",
           who->username, (long long)out.tokens, (long long)out.follow_requests,
           (long long)out.list_memberships, (long long)out.channels);
    if (!wipe) return 0;
    int64_t posts = 0, files = 0;
    for (bool done = false; !done;) {
        if ((rc = tell_servers(c, offboard_wipe_step(c, who->id, 0, &done, &posts, &files))))
            return report(c, rc, NULL);
    }
    /* all told: the running servers' background thread may have shared the work */
    if ((rc = offboard_wipe_totals(c, who->id, &posts, &files))) return report(c, rc, NULL);
    printf("wiped %s: %lld posts (its boosts and direct messages too) and %lld files deleted, "
           "the files' keys first; its archives, pictures and profile gone\n",
           who->username, (long long)posts, (long long)files);
    return 0;
}

/* ---- the compliance export --------------------------------------------------------------- */

/* Every value of a repeated option (--username U --username V …), at most max. */
static int opt_all(int argc, char **argv, const char *name, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name) && n < max) out[n++] = argv[++i];
    return n;
}

/* export --since T --until T [--username U …] [--channel C …] [--words W] --out FILE: the
 * compliance export of what matches, written straight to FILE (app/exports.h), recorded in
 * the audit log; what it holds is said on stdout. */
static int export_cmd(app_ctx *c, int argc, char **argv)
{
    enum { MAX_NAMES = 51 }; /* one more than allowed, so that the app can say "at most" */
    const char *users[MAX_NAMES], *channels[MAX_NAMES];
    exports_query q = {.words = opt(argc, argv, "--words")};
    q.n_usernames = opt_all(argc, argv, "--username", users, MAX_NAMES);
    q.n_channels = opt_all(argc, argv, "--channel", channels, MAX_NAMES);
    q.usernames = users;
    q.channels = channels;
    const char *path = opt(argc, argv, "--out");
    if (!time_opt(argc, argv, "--since", &q.since_at) ||
        !time_opt(argc, argv, "--until", &q.until_at))
        return 2;
    if (!path || !q.since_at || !q.until_at) {
        fputs("partyline admin export: --since, --until and --out are required\n", stderr);
        return 2;
    }
    char err[256];
    if (media_open(c->cfg, c->db, &c->media, err, sizeof err)) {
        fprintf(stderr, "partyline admin export: %s\n", err);
        return 1;
    }
    FILE *out = fopen(path, "wbx"); /* never over an existing file */
    int status = 1;
    if (!out) {
        fprintf(stderr, "partyline admin export: cannot create %s: %s\n", path, strerror(errno));
    } else {
        int64_t posts = 0, direct = 0, files = 0;
        int rc = exports_write_compliance_file(c, &q, out, &posts, &direct, &files);
        if (fclose(out) && !rc) rc = PL_EINTERNAL;
        if (rc) {
            fprintf(stderr, "partyline admin export: %s\n",
                    c->errmsg ? c->errmsg : pl_strerror(rc));
            unlink(path);
        } else {
            printf("exported %lld posts, %lld direct messages and %lld files to %s\n",
                   (long long)posts, (long long)direct, (long long)files, path);
            status = 0;
        }
    }
    media_close(c->media);
    c->media = NULL;
    return status;
}

int cli_admin(const pl_config *cfg, id_gen *ids, int argc, char **argv)
{
    if (argc < 1) {
        fputs("partyline admin: create-user | set-password | set-role | set-service | "
              "approve-user | "
              "disable-user | "
              "enable-user | list-users | list-pending | announce | list-announcements | "
              "delete-announcement | rotate-media-key | move-media-to-database | audit verify | "
              "audit export | export | retention set|show|run | hold | offboard | "
              "influence recompute | tickets sla-check | feeds list|refresh | "
              "listen backfill|close\n",
              stderr);
        return 2;
    }
    db *d;
    app_ctx c;
    arena a = ARENA_INIT;
    if (cli_open(cfg, ids, &d, &c, &a)) return 1;
    const char *sub = argv[0], *user = opt(argc, argv, "--username");
    int status = 2;
    if (!strcmp(sub, "create-user")) {
        accounts_new n = {.username = user,
                          .email = opt(argc, argv, "--email"),
                          .password = opt(argc, argv, "--password"),
                          .is_admin = has(argc, argv, "--admin"),
                          .skip_rules = true};
        pl_account acc;
        int rc = accounts_register(&c, &n, &acc);
        status = report(&c, rc, "created");
        if (!rc) printf("id %lld\n", (long long)acc.id);
    } else if (!strcmp(sub, "set-password") && user) {
        int rc = tell_servers(&c, accounts_set_password(&c, user, opt(argc, argv, "--password")));
        status = report(&c, rc, "password changed; the account's sessions were signed out");
    } else if ((!strcmp(sub, "disable-user") || !strcmp(sub, "enable-user")) && user) {
        bool off = !strcmp(sub, "disable-user");
        status = report(&c, tell_servers(&c, accounts_set_disabled(&c, user, off)),
                        off ? "disabled; every token of the account was revoked" : "enabled");
    } else if (!strcmp(sub, "set-role")) {
        status = set_role(&c, user, opt(argc, argv, "--role"));
    } else if (!strcmp(sub, "tickets") && argc > 1 && !strcmp(argv[1], "sla-check")) {
        status = tickets_sla_cmd(&c, argc, argv);
    } else if (!strcmp(sub, "set-service")) {
        status = set_service(&c, user, opt(argc, argv, "--team"), has(argc, argv, "--off"));
    } else if (!strcmp(sub, "approve-user") && user) {
        status = report(&c, tell_servers(&c, accounts_approve(&c, user)),
                        "approved; the account can sign in");
    } else if (!strcmp(sub, "list-users")) {
        buf b = BUF_INIT;
        status = accounts_each(&c, print_user, &b) ? 1 : 0;
        buf_free(&b);
    } else if (!strcmp(sub, "list-pending")) {
        buf b = BUF_INIT;
        status = accounts_each_pending(&c, print_pending, &b) ? 1 : 0;
        buf_free(&b);
    } else if (!strcmp(sub, "announce")) {
        status = announce(&c, argc, argv);
    } else if (!strcmp(sub, "list-announcements")) {
        status = list_announcements(&c);
    } else if (!strcmp(sub, "delete-announcement") && opt(argc, argv, "--id")) {
        int64_t id = strtoll(opt(argc, argv, "--id"), NULL, 10);
        status = report(&c, announcements_delete(&c, NULL, id), "deleted");
    } else if (!strcmp(sub, "offboard") && user) {
        status = offboard(&c, user, opt(argc, argv, "--transfer-channels-to"),
                          has(argc, argv, "--wipe"));
    } else if (!strcmp(sub, "audit") && argc >= 2 && !strcmp(argv[1], "verify")) {
        status = audit_verify_cmd(&c);
    } else if (!strcmp(sub, "audit") && argc >= 2 && !strcmp(argv[1], "export")) {
        status = audit_export_cmd(&c, argc, argv);
    } else if (!strcmp(sub, "export")) {
        status = export_cmd(&c, argc, argv);
    } else if (!strcmp(sub, "retention") && argc >= 2 && !strcmp(argv[1], "show")) {
        status = retention_show(&c);
    } else if (!strcmp(sub, "retention") && argc >= 2 && !strcmp(argv[1], "set")) {
        status = retention_set_cmd(&c, argc, argv);
    } else if (!strcmp(sub, "retention") && argc >= 2 && !strcmp(argv[1], "run")) {
        status = retention_run_cmd(cfg, &c, argc, argv);
    } else if (!strcmp(sub, "influence")) {
        status = cli_influence(&c, argc, argv);
    } else if (!strcmp(sub, "feeds")) {
        status = cli_feeds(&c, argc, argv);
    } else if (!strcmp(sub, "listen")) {
        status = cli_listen(&c, argc, argv);
    } else if (!strcmp(sub, "hold")) {
        status = hold_cmd(&c, argc, argv);
    } else if (!strcmp(sub, "rotate-media-key")) {
        status = cli_media_rotate_key(cfg, d);
    } else if (!strcmp(sub, "move-media-to-database")) {
        status = cli_media_move_to_database(cfg, d);
    } else {
        fprintf(stderr, "partyline admin: unknown or incomplete command \"%s\"\n", sub);
    }
    db_close(d);
    arena_free(&a);
    return status;
}
