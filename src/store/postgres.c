/*
 * postgres.c — the PostgreSQL driver (struct db_driver, see db_driver.h), over libpq.
 *
 * The store's SQL has '?' placeholders; a statement's text is translated once to $1..$n
 * (never inside quoted strings, quoted identifiers or comments) when db.c first caches it.
 * It is prepared on the server LAZILY, at its first db_step, with the parameter types of the
 * values bound that time (int8 for db_bind_i64, text for db_bind_text, "infer" for NULL):
 * PostgreSQL cannot infer the type of a parameter that stands alone in a select list
 * ("INSERT … SELECT ?, id FROM …") or is compared with a literal only ("? = 0"), and the
 * binding is what the store means. Each statement gets a generated name (s1, s2, …) on
 * its connection and is executed with PQexecPrepared, text parameters and text results;
 * db_step then walks the rows of the one PGresult.
 *
 * A unique violation (SQLSTATE 23505) is PL_ECONFLICT, and db.h promises what SQLite does:
 * the failed statement changes nothing and the transaction goes on. PostgreSQL aborts the
 * whole transaction on any error, so inside a transaction a statement that can violate a
 * unique index (an INSERT or UPDATE other than "… ON CONFLICT DO NOTHING") runs between
 * SAVEPOINT pl_stmt and RELEASE, and is rolled back to it when it fails. That costs two
 * more round trips per such write; pipelining them is left for later.
 *
 * Results are fetched whole, so a query must bound its rows with LIMIT (the store's paged
 * queries do). WAL checkpoints are the server's business: db_checkpoint does nothing.
 * Readers (DB_READONLY) are ordinary connections with default_transaction_read_only on.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db_driver.h"
#include "util/err.h"
#include "util/log.h"

/* pg_type.h's OIDs (server headers are not part of libpq-dev) */
enum { INT8OID = 20, TEXTOID = 25 };

typedef struct pg_db {
    db base;
    PGconn *c;
    int64_t changes;
    unsigned next_name;
    unsigned session; /* goes up on each reconnection: statements prepared before are gone */
    bool readonly;
    bool in_txn; /* between our BEGIN and COMMIT/ROLLBACK */
} pg_db;

typedef struct pg_stmt {
    db_stmt base;
    char *text;    /* the SQL with $1..$n */
    char name[16]; /* the server-side name, once prepared */
    bool prepared;
    unsigned session;  /* the connection's session it was prepared in */
    bool may_conflict; /* a write that can raise a unique violation (see the top) */
    int nparams;
    const char **vals; /* nparams; NULL = SQL NULL; points into num[] or an owned copy */
    bool *owned;
    Oid *types;
    char (*num)[24];
    PGresult *res; /* the rows of the current execution, NULL before it */
    int row, nrows;
} pg_stmt;

#define C(d) (((pg_db *)(d))->c)
#define PS(s) ((pg_stmt *)(s))

/* ------------------------------------------------------------------------------------------ */
/* Connections                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* NOTICEs (e.g. "relation already exists, skipping") are not errors; keep them off stderr. */
static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* The first line of a libpq message, for a one-line log event. */
static const char *first_line(const char *msg, char *buf, size_t cap)
{
    size_t n = strcspn(msg ? msg : "", "\n");
    if (n >= cap) n = cap - 1;
    memcpy(buf, msg ? msg : "", n);
    buf[n] = '\0';
    return buf;
}

/* Remembers whether a failure was transient (SQLSTATE class 40: deadlock, serialization). */
static void note_failure(db *d, PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (state && state[0] == '4' && state[1] == '0') d->retry = true;
}

static int run(db *d, const char *sql)
{
    char line[256];
    PGresult *r = PQexec(C(d), sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = PL_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        log_error("event=db_error op=exec msg=\"%s\" sql=\"%.120s\"",
                  first_line(PQresultErrorMessage(r), line, sizeof line), sql);
        note_failure(d, r);
        rc = PL_EDB;
    }
    PQclear(r);
    return rc;
}

static int configure(pg_db *d)
{
    return run(&d->base, d->readonly ? "SET client_encoding = 'UTF8'; "
                                       "SET default_transaction_read_only = on"
                                     : "SET client_encoding = 'UTF8'");
}

static bool starts_with_word(const char *sql, const char *word)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t') sql++;
    return !strncasecmp(sql, word, strlen(word));
}

/* Makes the connection again when the server dropped it; statements prepare again. */
static int reconnect(pg_db *d)
{
    if (PQstatus(d->c) == CONNECTION_OK) return PL_OK;
    PQreset(d->c);
    if (PQstatus(d->c) != CONNECTION_OK) return PL_EDB;
    d->session++;
    d->in_txn = false;
    log_info("event=db_reconnected session=%u", d->session);
    return configure(d);
}

/*
 * A connection the server dropped (a restart, a failover, an administrator's
 * pg_terminate_backend) is made again at the next BEGIN or statement outside a transaction —
 * never inside one, whose earlier statements would be lost silently: that transaction fails.
 * The first command on a dead connection fails before the server sees it; it is run once more.
 */
static int pg_exec(db *d, const char *sql)
{
    pg_db *pd = (pg_db *)d;
    bool begin = starts_with_word(sql, "BEGIN");
    bool end = starts_with_word(sql, "COMMIT") || starts_with_word(sql, "ROLLBACK") ||
               starts_with_word(sql, "END");
    int rc = PL_EDB;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!pd->in_txn && reconnect(pd)) return PL_EDB;
        rc = run(d, sql);
        if (rc == PL_OK || pd->in_txn || PQstatus(pd->c) == CONNECTION_OK) break;
    }
    if (begin && rc == PL_OK) pd->in_txn = true;
    if (end && !starts_with_word(sql, "ROLLBACK TO")) pd->in_txn = false;
    return rc;
}

static int pg_open(const char *target, int flags, db **out, char *err, size_t cap)
{
    char line[256];
    PGconn *c = PQconnectdb(target);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        snprintf(err, cap, "cannot connect to PostgreSQL: %s",
                 c ? first_line(PQerrorMessage(c), line, sizeof line) : "no memory");
        PQfinish(c);
        return -1;
    }
    PQsetNoticeProcessor(c, quiet_notice, NULL);
    pg_db *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->c = c;
    d->readonly = flags & DB_READONLY;
    if (configure(d)) {
        snprintf(err, cap, "cannot configure the PostgreSQL connection");
        PQfinish(c);
        free(d);
        return -1;
    }
    *out = &d->base;
    return 0;
}

static void pg_close(db *d)
{
    PQfinish(C(d));
    free(d);
}

static int64_t pg_changes(db *d)
{
    return ((pg_db *)d)->changes;
}

static int pg_checkpoint(db *d, bool restart, int *wal_pages)
{
    (void)d;
    (void)restart;
    if (wal_pages) *wal_pages = 0;
    return PL_OK;
}

static int pg_listen(db *d, const char *channel)
{
    char sql[128];
    snprintf(sql, sizeof sql, "LISTEN %s", channel); /* a fixed identifier of ours */
    return pg_exec(d, sql);
}

static int pg_wait_notify(db *d, int timeout_ms, char *payload, size_t cap)
{
    PGconn *c = C(d);
    for (int round = 0; round < 2; round++) {
        if (!PQconsumeInput(c)) {
            char line[256];
            log_error("event=db_error op=listen msg=\"%s\"",
                      first_line(PQerrorMessage(c), line, sizeof line));
            return PL_EDB;
        }
        PGnotify *n = PQnotifies(c);
        if (n) {
            snprintf(payload, cap, "%s", n->extra ? n->extra : "");
            PQfreemem(n);
            return 1;
        }
        if (round == 1) break;
        struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
        if (pfd.fd < 0) return PL_EDB;
        if (poll(&pfd, 1, timeout_ms) <= 0) return 0;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Statements                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** '?' → $n outside '…' strings, "…" identifiers and -- comments; *n receives the count. */
static char *translate(const char *sql, int *n)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 6 + 1); /* "?" becomes at most "$99999" */
    if (!out) abort();
    char *o = out;
    int count = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p && *p != q) *o++ = *p++; /* a doubled quote ends and restarts: same */
            if (!*p) break;
            *o++ = *p;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') *o++ = *p++;
            if (!*p) break;
            *o++ = *p;
        } else if (*p == '?') {
            o += sprintf(o, "$%d", ++count);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    *n = count;
    return out;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->text = translate(sql, &s->nparams);
    s->may_conflict = (starts_with_word(sql, "INSERT") || starts_with_word(sql, "UPDATE")) &&
                      !strstr(sql, "ON CONFLICT DO NOTHING");
    size_t n = s->nparams > 0 ? (size_t)s->nparams : 1;
    s->vals = calloc(n, sizeof *s->vals);
    s->owned = calloc(n, sizeof *s->owned);
    s->types = calloc(n, sizeof *s->types);
    s->num = calloc(n, sizeof *s->num);
    if (!s->vals || !s->owned || !s->types || !s->num) abort();
    pg_db *pd = (pg_db *)d;
    snprintf(s->name, sizeof s->name, "s%u", ++pd->next_name);
    return &s->base;
}

static void clear_param(pg_stmt *s, int i)
{
    if (s->owned[i]) free((char *)s->vals[i]);
    s->owned[i] = false;
    s->vals[i] = NULL;
    s->types[i] = 0;
}

static void pg_reset(db_stmt *st)
{
    pg_stmt *s = PS(st);
    PQclear(s->res);
    s->res = NULL;
    for (int i = 0; i < s->nparams; i++) clear_param(s, i);
}

static void pg_finalize(db_stmt *st)
{
    pg_stmt *s = PS(st);
    pg_reset(st);
    free(s->text);
    free(s->vals);
    free(s->owned);
    free(s->types);
    free(s->num);
    free(s);
}

static bool param_ok(pg_stmt *s, int idx)
{
    if (idx >= 1 && idx <= s->nparams) return true;
    log_error("event=db_error op=bind msg=\"parameter %d of %d\" sql=\"%.120s\"", idx, s->nparams,
              s->base.sql);
    return false;
}

static void pg_bind_i64(db_stmt *st, int idx, int64_t v)
{
    pg_stmt *s = PS(st);
    if (!param_ok(s, idx)) return;
    clear_param(s, idx - 1);
    snprintf(s->num[idx - 1], sizeof s->num[0], "%lld", (long long)v);
    s->vals[idx - 1] = s->num[idx - 1];
    s->types[idx - 1] = INT8OID;
}

static void pg_bind_text(db_stmt *st, int idx, const char *v, int len)
{
    pg_stmt *s = PS(st);
    if (!param_ok(s, idx)) return;
    clear_param(s, idx - 1);
    char *copy = len < 0 ? strdup(v) : strndup(v, (size_t)len);
    if (!copy) abort();
    s->vals[idx - 1] = copy;
    s->owned[idx - 1] = true;
    s->types[idx - 1] = TEXTOID;
}

static void pg_bind_null(db_stmt *st, int idx)
{
    pg_stmt *s = PS(st);
    if (param_ok(s, idx)) clear_param(s, idx - 1);
}

static bool is_write_status(const char *status)
{
    return !strncmp(status, "INSERT", 6) || !strncmp(status, "UPDATE", 6) ||
           !strncmp(status, "DELETE", 6);
}

/* Runs the statement once; PL_OK with s->res holding its rows, or an error (logged). */
static int execute_once(pg_stmt *s)
{
    pg_db *d = (pg_db *)s->base.d;
    char line[256];
    if (!s->prepared || s->session != d->session) {
        PGresult *r = PQprepare(d->c, s->name, s->text, s->nparams, s->types);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            log_error("event=db_error op=prepare msg=\"%s\" sql=\"%.120s\"",
                      first_line(PQresultErrorMessage(r), line, sizeof line), s->base.sql);
        PQclear(r);
        if (!ok) return PL_EDB;
        s->prepared = true;
        s->session = d->session;
    }
    bool guard = s->may_conflict && PQtransactionStatus(d->c) == PQTRANS_INTRANS;
    if (guard && pg_exec(&d->base, "SAVEPOINT pl_stmt")) return PL_EDB;
    PGresult *r = PQexecPrepared(d->c, s->name, s->nparams, s->vals, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (guard && pg_exec(&d->base, "RELEASE pl_stmt")) {
            PQclear(r);
            return PL_EDB;
        }
        if (is_write_status(PQcmdStatus(r))) d->changes = strtoll(PQcmdTuples(r), NULL, 10);
        s->res = r;
        s->nrows = PQntuples(r);
        s->row = -1;
        return PL_OK;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    bool conflict = state && !strcmp(state, "23505");
    bool full = state && !strcmp(state, "53100"); /* disk_full */
    note_failure(&d->base, r);
    if (!conflict)
        log_error("event=db_error op=step msg=\"%s\" sql=\"%.120s\"",
                  first_line(PQresultErrorMessage(r), line, sizeof line), s->base.sql);
    PQclear(r);
    if (guard && pg_exec(&d->base, "ROLLBACK TO pl_stmt; RELEASE pl_stmt")) return PL_EDB;
    return conflict ? PL_ECONFLICT : full ? PL_ENOSPACE : PL_EDB;
}

/* Runs the statement; outside a transaction, on a connection made again if it was dropped. */
static int execute(pg_stmt *s)
{
    pg_db *d = (pg_db *)s->base.d;
    if (d->in_txn) return execute_once(s);
    int rc = PL_EDB;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (reconnect(d)) return PL_EDB;
        rc = execute_once(s);
        if (rc != PL_EDB || PQstatus(d->c) == CONNECTION_OK) break;
    }
    return rc;
}

static int pg_step(db_stmt *st)
{
    pg_stmt *s = PS(st);
    if (!s->res) {
        int rc = execute(s);
        if (rc) return rc;
    }
    if (s->row < s->nrows) s->row++;
    return s->row < s->nrows ? DB_ROW : DB_DONE;
}

static bool has_value(pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res) &&
           !PQgetisnull(s->res, s->row, col);
}

static int64_t pg_col_i64(db_stmt *st, int col)
{
    pg_stmt *s = PS(st);
    if (!has_value(s, col)) return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (*v == 't') return 1; /* a boolean expression */
    if (*v == 'f') return 0;
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt *st, int col)
{
    pg_stmt *s = PS(st);
    return has_value(s, col) ? PQgetvalue(s->res, s->row, col) : NULL;
}

static int pg_col_len(db_stmt *st, int col)
{
    pg_stmt *s = PS(st);
    return has_value(s, col) ? PQgetlength(s->res, s->row, col) : 0;
}

static bool pg_col_is_null(db_stmt *st, int col)
{
    return !has_value(PS(st), col);
}

const struct db_driver db_postgres_driver = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_i64 = pg_col_i64,
    .col_text = pg_col_text,
    .col_len = pg_col_len,
    .col_is_null = pg_col_is_null,
    .reset = pg_reset,
    .changes = pg_changes,
    .checkpoint = pg_checkpoint,
    .listen = pg_listen,
    .wait_notify = pg_wait_notify,
    .sql_begin = "BEGIN",
    .sql_begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .sql_end_read = "COMMIT",
};
