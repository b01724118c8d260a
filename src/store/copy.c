/*
 * copy.c — a whole company from one database into another (`partyline migrate`).
 *
 * Generic over columns: the source's columns and primary keys are read from SQLite
 * (pragma_table_info), every value travels as int64, text or NULL through db.h, and the SQL
 * of each table (paged SELECT, multi-row INSERT, DELETE) is generated once at copy_open and
 * kept until copy_close — db.h caches statements by the address of their text, so a text
 * must outlive its connection's cache. The tables are a fixed list checked against the
 * source's sqlite_master: a table that a later migration adds and this list lacks stops the
 * copy with an error instead of being silently left behind.
 *
 * Resume: the target's meta table holds migrate_from = the source, and
 * migrate_done_<table> = its row count once a table is in. Each table is copied in ONE
 * target transaction — DELETE the table's rows, INSERT them all, set its done mark, COMMIT —
 * so a run killed at any point leaves every table either complete and marked, or (rolled
 * back by PostgreSQL) absent; a rerun skips the marked tables and redoes the others, and
 * the DELETE makes a redo idempotent whatever state it finds. We chose this over
 * ON CONFLICT DO NOTHING because that would silently keep a row the source has since
 * changed, and would also hide a real duplicate. The meta table itself is copied around
 * the marks (its rows whose key starts with "migrate_" are not the company's).
 *
 * Reads page by primary key (keyset, `(pk…) > (?…) ORDER BY pk… LIMIT ?`) because the
 * PostgreSQL driver fetches a result whole. Writes go in INSERTs of up to 1,000 rows.
 * Verification reads each side back through SELECTs and sums a 64-bit hash of every row
 * (FNV-1a over typed values, then a finalizer): the sum does not depend on row order, and
 * a missing, extra or changed row changes it. The source is read in one read transaction,
 * so the copy and its verification see the same snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/copy.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "util/err.h"

/* The company's tables, in copy order. schema_version is not here: store_migrate writes it
 * on both sides. A table added by a migration must be added here (copy_open refuses to run
 * otherwise). */
static const char *const known_tables[] = {
    "accounts",
    "account_fields",
    "apps",
    "tokens",
    "auth_codes",
    "statuses",
    "status_edits",
    "status_mentions",
    "status_tags",
    "follows",
    "blocks",
    "mutes",
    "favourites",
    "bookmarks",
    "timeline",
    "notifications",
    "markers",
    "idempotency",
    "meta",
    "fanout_queue",
    "lists",
    "list_accounts",
    "polls",
    "poll_options",
    "poll_votes",
    "status_edit_poll_options",
    "follow_requests",
    "channels",
    "channel_roles",
    "channel_pins",
    "status_conversations",
    "account_conversations",
    "conversation_statuses",
    "list_sources",
    "filters",
    "filter_keywords",
    "filter_statuses",
    "tag_follows",
    "status_pins",
    "registration_reasons",
    "email_confirmations",
    "mail_outbox",
    "tag_days",
    "tag_day_accounts",
    "account_names",
    "thread_mutes",
    "announcements",
    "announcement_dismissals",
    "announcement_reactions",
    "announcement_emoji",
    "scheduled_statuses",
    "scheduled_poll_options",
    "suggestion_dismissals",
    "featured_tags",
    "notification_policies",
    "notification_permissions",
    "media_files",
    "media_keys",
    "media_chunks",
    "media_attachments",
    "channel_reads",
    "audit_log",
    "audit_chain",
    "reports",
    "report_statuses",
    "archives",
    "retention_policies",
    "legal_holds",
    "account_cleanup_policies",
    "account_wipes",
    "influence_topics",
    "influence_runs",
    "influence_scores",
    "influence_daily",
    "influence_expertise",
    "feed_sources",
    "feed_items",
    "tickets",
    "ticket_posts",
    "ticket_followers",
    "service_team",
    "help_desk_channels",
    "ticket_days",
    "ticket_open_counts",
    "watches",
    "watch_matches",
    "watch_feed_matches",
    "watch_buckets",
    "watch_days",
    "watch_authors",
    "watch_author_tops",
    "watch_post_tops",
    "watch_alerts",
};
enum { N_TABLES = sizeof known_tables / sizeof known_tables[0] };

/* Tables of the source that are an index, not data: SQLite's full-text index of statuses
 * (migration 015: the FTS5 table and the shadow tables FTS5 keeps for it), and the instance's
 * running totals (migration 028), which the target's triggers on accounts keep as the accounts
 * go in (its sixteen rows start at zero; a redone accounts table is deleted, then inserted,
 * so the totals end where they should). The target builds its own from the copied rows
 * (PostgreSQL's statuses_search, instance_stats), so these are left behind on purpose. So is
 * retention's and influence's leases (migrations 054 and 057): a running run's state, not
 * data; the target's migration makes its own, free. And listening's matcher row (migration
 * 060): its lease, likewise, and its cursors, which start again from the first post there —
 * the matches copied are kept once (their key), so only a watch's matches among posts older
 * than the watch can be added. And the tickets' time bins (migration 062): the same rows on
 * both sides, made by the migration (the figures per day, ticket_days, are copied: the
 * target's migration ran before its tickets came). */
static const char *const derived_tables[] = {
    "statuses_fts",        "statuses_fts_data", "statuses_fts_idx", "statuses_fts_docsize",
    "statuses_fts_config", "instance_stats",    "retention_lease",  "influence_lease",
    "listen_state",        "ticket_time_bins",
};
enum { MAX_COLS = 64, MAX_PK = 8, MAX_PARAMS = 32000, BATCH_ROWS = 1000, SUM_PAGE = 5000 };

/* Rows of meta that are this module's progress marks, not the company's. */
#define META_FILTER "substr(\"key\", 1, 8) <> 'migrate_'"

typedef struct copy_tab {
    const char *name;
    const char *filter; /* a condition on the rows that belong to the company, or NULL */
    int ncols, npk, batch_rows;
    char *cols[MAX_COLS];
    bool is_int[MAX_COLS];
    int pk[MAX_PK]; /* column indexes, in key order */
    char *sql_first, *sql_next, *sql_insert, *sql_delete, *sql_any;
} copy_tab;

struct copier {
    db *src, *dst;
    bool src_reading;
    copy_tab t[N_TABLES];
    char **extra; /* generated SQL made later (the last, short INSERT of a table) */
    int n_extra;
};

/* ------------------------------------------------------------------------------------------ */
/* SQL generation                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* "c1", "c2", … */
static void put_cols(FILE *f, const copy_tab *t)
{
    for (int c = 0; c < t->ncols; c++) fprintf(f, "%s\"%s\"", c ? ", " : "", t->cols[c]);
}

static void put_pk(FILE *f, const copy_tab *t)
{
    for (int k = 0; k < t->npk; k++) fprintf(f, "%s\"%s\"", k ? ", " : "", t->cols[t->pk[k]]);
}

static char *insert_sql(const copy_tab *t, int rows)
{
    char *s;
    size_t n;
    FILE *f = open_memstream(&s, &n);
    if (!f) abort();
    fprintf(f, "INSERT INTO \"%s\" (", t->name);
    put_cols(f, t);
    fputs(") VALUES ", f);
    for (int r = 0; r < rows; r++) {
        fputs(r ? ", (" : "(", f);
        for (int c = 0; c < t->ncols; c++) fputs(c ? ", ?" : "?", f);
        fputc(')', f);
    }
    fclose(f);
    return s;
}

static void make_sql(copy_tab *t)
{
    char *s;
    size_t n;
    FILE *f;

    f = open_memstream(&s, &n);
    if (!f) abort();
    fputs("SELECT ", f);
    put_cols(f, t);
    fprintf(f, " FROM \"%s\"", t->name);
    if (t->filter) fprintf(f, " WHERE %s", t->filter);
    fputs(" ORDER BY ", f);
    put_pk(f, t);
    fputs(" LIMIT ?", f);
    fclose(f);
    t->sql_first = s;

    f = open_memstream(&s, &n);
    if (!f) abort();
    fputs("SELECT ", f);
    put_cols(f, t);
    fprintf(f, " FROM \"%s\" WHERE (", t->name);
    put_pk(f, t);
    fputs(") > (", f);
    for (int k = 0; k < t->npk; k++) fputs(k ? ", ?" : "?", f);
    fputc(')', f);
    if (t->filter) fprintf(f, " AND %s", t->filter);
    fputs(" ORDER BY ", f);
    put_pk(f, t);
    fputs(" LIMIT ?", f);
    fclose(f);
    t->sql_next = s;

    t->batch_rows = MAX_PARAMS / t->ncols < BATCH_ROWS ? MAX_PARAMS / t->ncols : BATCH_ROWS;
    t->sql_insert = insert_sql(t, t->batch_rows);

    f = open_memstream(&s, &n);
    if (!f) abort();
    fprintf(f, "DELETE FROM \"%s\"", t->name);
    if (t->filter) fprintf(f, " WHERE %s", t->filter);
    fclose(f);
    t->sql_delete = s;

    f = open_memstream(&s, &n);
    if (!f) abort();
    fprintf(f, "SELECT 1 FROM \"%s\"", t->name);
    if (t->filter) fprintf(f, " WHERE %s", t->filter);
    fputs(" LIMIT 1", f);
    fclose(f);
    t->sql_any = s;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static bool is_known(const char *name)
{
    for (int i = 0; i < N_TABLES; i++)
        if (!strcmp(known_tables[i], name)) return true;
    for (size_t i = 0; i < sizeof derived_tables / sizeof derived_tables[0]; i++)
        if (!strcmp(derived_tables[i], name)) return true;
    return false;
}

/* Every table of the source must be one we copy. */
static int check_source_tables(db *src, char *err, size_t cap)
{
    db_stmt *s = db_prepare(src, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "ORDER BY name");
    if (!s) return PL_EDB;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *name = db_col_text(s, 0);
        if (!name || !strncmp(name, "sqlite_", 7) || !strcmp(name, "schema_version")) continue;
        if (!is_known(name)) {
            snprintf(err, cap,
                     "the source has a table \"%s\" that migrate does not know how to copy "
                     "(add it to the table list in src/store/copy.c)",
                     name);
            db_reset(s);
            return PL_EINVAL;
        }
    }
    db_reset(s);
    return rc < 0 ? rc : PL_OK;
}

static int read_columns(db *src, copy_tab *t, char *err, size_t cap)
{
    db_stmt *s = db_prepare(src, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid");
    if (!s) return PL_EDB;
    db_bind_text(s, 1, t->name, -1);
    int rc, bad = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *type = db_col_text(s, 1);
        int64_t pk = db_col_i64(s, 2);
        if (t->ncols == MAX_COLS) {
            bad = snprintf(err, cap, "table %s has more than %d columns", t->name, MAX_COLS);
            break;
        }
        bool is_int = type && strcasestr(type, "INT");
        if (!is_int && (!type || !strcasestr(type, "TEXT"))) {
            bad = snprintf(err, cap,
                           "table %s: column %s has type %s (only integers and text "
                           "are copied)",
                           t->name, db_col_text(s, 0), type ? type : "(none)");
            break;
        }
        if (pk > 0) {
            if (pk > MAX_PK) {
                bad = snprintf(err, cap, "table %s: primary key too wide", t->name);
                break;
            }
            t->pk[pk - 1] = t->ncols;
            if (pk > t->npk) t->npk = (int)pk;
        }
        t->is_int[t->ncols] = is_int;
        t->cols[t->ncols] = strdup(db_col_text(s, 0));
        if (!t->cols[t->ncols]) abort();
        t->ncols++;
    }
    db_reset(s);
    if (rc < 0) return rc;
    if (bad) return PL_EINVAL;
    if (t->ncols == 0) {
        snprintf(err, cap, "the source has no table %s", t->name);
        return PL_EINVAL;
    }
    if (t->npk == 0) {
        snprintf(err, cap, "table %s has no primary key to page by", t->name);
        return PL_EINVAL;
    }
    return PL_OK;
}

int copy_open(const char *source_path, const char *target, copier **out, char *err, size_t cap)
{
    struct stat st;
    if (cap) err[0] = '\0';
    if (stat(source_path, &st)) {
        snprintf(err, cap, "no database at %s", source_path);
        return PL_ENOTFOUND;
    }
    copier *cp = calloc(1, sizeof *cp);
    if (!cp) abort();
    for (int i = 0; i < N_TABLES; i++) {
        cp->t[i].name = known_tables[i];
        if (!strcmp(known_tables[i], "meta")) cp->t[i].filter = META_FILTER;
    }
    int rc = PL_EDB;
    if (db_open(source_path, 0, &cp->src, err, cap)) goto fail;
    if (strcmp(db_driver_name(cp->src), "sqlite")) {
        snprintf(err, cap, "the source must be a SQLite file");
        rc = PL_EINVAL;
        goto fail;
    }
    if (db_open(target, 0, &cp->dst, err, cap)) goto fail;
    if (store_migrate(cp->src)) {
        snprintf(err, cap, "could not bring the source's schema up to date");
        goto fail;
    }
    if (store_migrate(cp->dst)) {
        snprintf(err, cap, "could not create the schema in the target");
        goto fail;
    }
    if (db_begin_read(cp->src)) {
        snprintf(err, cap, "could not start reading the source");
        goto fail;
    }
    cp->src_reading = true;
    if ((rc = check_source_tables(cp->src, err, cap))) goto fail;
    for (int i = 0; i < N_TABLES; i++) {
        if ((rc = read_columns(cp->src, &cp->t[i], err, cap))) goto fail;
        make_sql(&cp->t[i]);
    }
    *out = cp;
    return PL_OK;
fail:
    if (rc == PL_EDB && !err[0]) snprintf(err, cap, "database error (see the log)");
    copy_close(cp);
    return rc;
}

void copy_close(copier *cp)
{
    if (!cp) return;
    if (cp->src_reading) db_end_read(cp->src);
    db_close(cp->src);
    db_close(cp->dst);
    /* the statements are gone with their connections; now their texts may go */
    for (int i = 0; i < N_TABLES; i++) {
        copy_tab *t = &cp->t[i];
        for (int c = 0; c < t->ncols; c++) free(t->cols[c]);
        free(t->sql_first);
        free(t->sql_next);
        free(t->sql_insert);
        free(t->sql_delete);
        free(t->sql_any);
    }
    for (int i = 0; i < cp->n_extra; i++) free(cp->extra[i]);
    free(cp->extra);
    free(cp);
}

int copy_table_count(const copier *cp)
{
    (void)cp;
    return N_TABLES;
}

const char *copy_table_name(const copier *cp, int i)
{
    return cp->t[i].name;
}

/* ------------------------------------------------------------------------------------------ */
/* Progress marks                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void done_key(const copy_tab *t, char *key, size_t cap)
{
    snprintf(key, cap, "migrate_done_%s", t->name);
}

int copy_prepare_target(copier *cp, const char *source_name, bool *resuming, char *err, size_t cap)
{
    arena a = ARENA_INIT;
    const char *from = NULL;
    int rc = store_meta_get(cp->dst, "migrate_from", &a, &from);
    if (rc == PL_OK) {
        if (strcmp(from, source_name)) {
            snprintf(err, cap,
                     "the target holds an unfinished migration from %s, not from %s; "
                     "finish that one or empty the target",
                     from, source_name);
            rc = PL_ECONFLICT;
        } else {
            *resuming = true;
        }
        arena_free(&a);
        return rc;
    }
    arena_free(&a);
    if (rc != PL_ENOTFOUND) return rc;
    *resuming = false;
    for (int i = 0; i < N_TABLES; i++) {
        db_stmt *s = db_prepare(cp->dst, cp->t[i].sql_any);
        if (!s) return PL_EDB;
        int st = db_step(s);
        db_reset(s);
        if (st < 0) return st;
        if (st == DB_ROW) {
            snprintf(err, cap, "the target is not empty: table %s has rows", cp->t[i].name);
            return PL_ECONFLICT;
        }
    }
    if (db_begin(cp->dst)) return PL_EDB;
    if (store_meta_set(cp->dst, "migrate_from", source_name) || db_commit(cp->dst)) {
        db_rollback(cp->dst);
        return PL_EDB;
    }
    return PL_OK;
}

int copy_forget(copier *cp, int i)
{
    char key[96];
    done_key(&cp->t[i], key, sizeof key);
    db_stmt *s = db_prepare(cp->dst, "DELETE FROM meta WHERE \"key\" = ?");
    if (!s) return PL_EDB;
    db_bind_text(s, 1, key, -1);
    return db_step_done(s);
}

int copy_finish(copier *cp)
{
    db_stmt *s = db_prepare(cp->dst, "DELETE FROM meta WHERE substr(\"key\", 1, 8) = 'migrate_'");
    if (!s) return PL_EDB;
    int rc = db_step_done(s);
    /* statistics for the whole load at once, rather than whenever autovacuum comes by: the
     * first requests are planned with them (issue 10, item 29) */
    return rc ? rc : db_exec(cp->dst, "ANALYZE");
}

/* ------------------------------------------------------------------------------------------ */
/* Paged reading                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* One value: NULL, an integer or a text (whose bytes live in an arena). */
typedef struct cell {
    bool is_null;
    int64_t i;
    const char *t;
    int len;
} cell;

static cell read_cell(db_stmt *s, const copy_tab *t, int c, arena *a)
{
    cell v = {.is_null = db_col_is_null(s, c)};
    if (v.is_null) return v;
    if (t->is_int[c]) {
        v.i = db_col_i64(s, c);
    } else {
        v.len = db_col_len(s, c);
        v.t = arena_strndup(a, db_col_text(s, c), (size_t)v.len);
    }
    return v;
}

static void bind_cell(db_stmt *s, int idx, const cell *v, bool is_int)
{
    if (v->is_null)
        db_bind_null(s, idx);
    else if (is_int)
        db_bind_i64(s, idx, v->i);
    else
        db_bind_text(s, idx, v->t, v->len);
}

typedef struct scan_fns {
    int (*row)(void *ud, db_stmt *s); /* each row, while the statement is on it */
    int (*page)(void *ud);            /* after each page, with the statement reset */
    void *ud;
} scan_fns;

/* Reads every row of table t on d, page_rows at a time, in primary key order. */
static int scan(db *d, const copy_tab *t, int page_rows, const scan_fns *fn)
{
    cell key[MAX_PK];
    arena ka = ARENA_INIT;
    bool first = true;
    int rc = PL_OK;
    for (;;) {
        db_stmt *s = db_prepare(d, first ? t->sql_first : t->sql_next);
        if (!s) {
            rc = PL_EDB;
            break;
        }
        int p = 1;
        if (!first)
            for (int k = 0; k < t->npk; k++) bind_cell(s, p++, &key[k], t->is_int[t->pk[k]]);
        db_bind_i64(s, p, page_rows);
        arena_free(&ka); /* the key is bound (copied); the next one goes in ka */
        int n = 0, st;
        while ((st = db_step(s)) == DB_ROW) {
            if ((rc = fn->row(fn->ud, s))) break;
            if (++n == page_rows)
                for (int k = 0; k < t->npk; k++) key[k] = read_cell(s, t, t->pk[k], &ka);
        }
        db_reset(s);
        if (rc) break;
        if (st < 0) {
            rc = st;
            break;
        }
        if (fn->page && (rc = fn->page(fn->ud))) break;
        if (n < page_rows) break;
        first = false;
    }
    arena_free(&ka);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Copying                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct copy_run {
    copier *cp;
    copy_tab *t;
    cell *buf; /* batch_rows × ncols */
    int n;     /* rows in buf */
    arena a;   /* their texts */
    int64_t rows;
    copy_progress_fn *progress;
    void *ud;
} copy_run;

static int copy_row(void *ud, db_stmt *s)
{
    copy_run *r = ud;
    cell *row = r->buf + (size_t)r->n * (size_t)r->t->ncols;
    for (int c = 0; c < r->t->ncols; c++) row[c] = read_cell(s, r->t, c, &r->a);
    r->n++;
    return PL_OK;
}

/* The INSERT for n rows: the table's full batch, or a short one made for the last page. */
static const char *insert_for(copy_run *r)
{
    if (r->n == r->t->batch_rows) return r->t->sql_insert;
    copier *cp = r->cp;
    char **e = realloc(cp->extra, sizeof *e * (size_t)(cp->n_extra + 1));
    if (!e) abort();
    cp->extra = e;
    return cp->extra[cp->n_extra++] = insert_sql(r->t, r->n);
}

static int copy_page(void *ud)
{
    copy_run *r = ud;
    if (r->n == 0) return PL_OK;
    db_stmt *s = db_prepare(r->cp->dst, insert_for(r));
    if (!s) return PL_EDB;
    int p = 1;
    for (int i = 0; i < r->n; i++) {
        const cell *row = r->buf + (size_t)i * (size_t)r->t->ncols;
        for (int c = 0; c < r->t->ncols; c++) bind_cell(s, p++, &row[c], r->t->is_int[c]);
    }
    int rc = db_step_done(s);
    if (rc) return rc;
    int64_t before = r->rows;
    r->rows += r->n;
    r->n = 0;
    arena_free(&r->a);
    if (r->progress && r->rows / 100000 != before / 100000)
        r->progress(r->ud, r->t->name, r->rows, false);
    return PL_OK;
}

int copy_table(copier *cp, int i, copy_progress_fn *progress, void *ud, int64_t *rows,
               bool *skipped)
{
    copy_tab *t = &cp->t[i];
    char key[96];
    done_key(t, key, sizeof key);
    arena a = ARENA_INIT;
    const char *done = NULL;
    int rc = store_meta_get(cp->dst, key, &a, &done);
    if (rc == PL_OK) {
        *rows = strtoll(done, NULL, 10);
        *skipped = true;
        arena_free(&a);
        return PL_OK;
    }
    arena_free(&a);
    if (rc != PL_ENOTFOUND) return rc;
    *skipped = false;

    copy_run r = {.cp = cp, .t = t, .progress = progress, .ud = ud};
    r.buf = calloc((size_t)t->batch_rows * (size_t)t->ncols, sizeof *r.buf);
    if (!r.buf) abort();
    scan_fns fn = {copy_row, copy_page, &r};
    char count[24];
    if ((rc = db_begin(cp->dst))) goto out;
    db_stmt *del = db_prepare(cp->dst, t->sql_delete);
    if (!del) rc = PL_EDB;
    if (!rc) rc = db_step_done(del);
    if (!rc) rc = scan(cp->src, t, t->batch_rows, &fn);
    snprintf(count, sizeof count, "%lld", (long long)r.rows);
    if (!rc) rc = store_meta_set(cp->dst, key, count);
    if (!rc) rc = db_commit(cp->dst);
    if (rc) db_rollback(cp->dst);
out:
    arena_free(&r.a);
    free(r.buf);
    if (!rc) {
        *rows = r.rows;
        if (progress) progress(ud, t->name, r.rows, true);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Verification                                                                                */
/* ------------------------------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++) {
        h ^= b[k];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* splitmix64's finalizer: spreads FNV's weak high bits before the hashes are summed */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

typedef struct sum_run {
    const copy_tab *t;
    copy_sum sum;
} sum_run;

static int sum_row(void *ud, db_stmt *s)
{
    sum_run *r = ud;
    uint64_t h = 0xcbf29ce484222325ull;
    for (int c = 0; c < r->t->ncols; c++) {
        unsigned char tag;
        if (db_col_is_null(s, c)) {
            tag = 'N';
            h = fnv(h, &tag, 1);
        } else if (r->t->is_int[c]) {
            tag = 'I';
            int64_t v = db_col_i64(s, c);
            h = fnv(fnv(h, &tag, 1), &v, sizeof v);
        } else {
            tag = 'T';
            uint32_t len = (uint32_t)db_col_len(s, c);
            h = fnv(fnv(fnv(h, &tag, 1), &len, sizeof len), db_col_text(s, c), len);
        }
    }
    r->sum.rows++;
    r->sum.checksum += mix(h);
    return PL_OK;
}

int copy_table_sum(copier *cp, int i, enum copy_side side, copy_sum *out)
{
    sum_run r = {.t = &cp->t[i]};
    scan_fns fn = {sum_row, NULL, &r};
    int rc = scan(side == COPY_SOURCE ? cp->src : cp->dst, &cp->t[i], SUM_PAGE, &fn);
    if (!rc) *out = r.sum;
    return rc;
}
