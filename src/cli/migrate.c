/*
 * migrate.c — `partyline migrate --from DATA_DIR --to postgres://…`: moves a company from
 * its SQLite file into an empty PostgreSQL database, then proves the copy.
 *
 * The rows are moved by store/copy.c (all SQL lives there); this file only sequences the
 * steps and prints: one line per table as it is copied, then a table of row counts and
 * checksums read back from both databases. It exits 0 only when every table matches. A run
 * that fails or is killed can simply be started again: tables that were committed are
 * skipped, the others copied anew (see copy.c). A table whose checksum differs loses its
 * "done" mark, so the next run copies it again.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/copy.h"
#include "util/timeutil.h"

static void print_progress(void *ud, const char *table, int64_t rows, bool done)
{
    const int64_t *started = ud;
    if (done)
        printf("  %-16s %10lld rows  %6.1f s\n", table, (long long)rows,
               (double)(time_now_ms() - *started) / 1000.0);
    else
        printf("  %-16s %10lld rows …\n", table, (long long)rows);
    fflush(stdout);
}

/* Reads every table back from both sides; prints the comparison; true if all match. */
static bool verify(copier *cp, int *rc)
{
    bool all_ok = true;
    printf("verifying (rows and checksums read back from both databases):\n");
    printf("  %-16s %10s %10s  %-16s  %-16s\n", "table", "source", "target", "source sum",
           "target sum");
    for (int i = 0; i < copy_table_count(cp); i++) {
        copy_sum s, t;
        if (copy_table_sum(cp, i, COPY_SOURCE, &s) || copy_table_sum(cp, i, COPY_TARGET, &t)) {
            fprintf(stderr, "partyline migrate: could not read %s back\n", copy_table_name(cp, i));
            *rc = 1;
            return false;
        }
        bool ok = s.rows == t.rows && s.checksum == t.checksum;
        printf("  %-16s %10lld %10lld  %016llx  %016llx  %s\n", copy_table_name(cp, i),
               (long long)s.rows, (long long)t.rows, (unsigned long long)s.checksum,
               (unsigned long long)t.checksum, ok ? "ok" : "MISMATCH");
        if (!ok) {
            all_ok = false;
            if (copy_forget(cp, i)) *rc = 1;
        }
    }
    fflush(stdout);
    return all_ok;
}

int cli_migrate(const char *from_dir, const char *to)
{
    char path[PATH_MAX + 32], real[PATH_MAX], err[512] = "";
    snprintf(path, sizeof path, "%s/partyline.db", from_dir);
    if (!realpath(path, real)) {
        fprintf(stderr, "partyline migrate: no database at %s\n", path);
        return 1;
    }
    int64_t started = time_now_ms();
    copier *cp;
    if (copy_open(real, to, &cp, err, sizeof err)) {
        fprintf(stderr, "partyline migrate: %s\n", err);
        return 1;
    }
    bool resuming = false;
    if (copy_prepare_target(cp, real, &resuming, err, sizeof err)) {
        fprintf(stderr, "partyline migrate: %s\n", err[0] ? err : "database error");
        copy_close(cp);
        return 1;
    }
    printf("partyline migrate: copying %s%s\n", real,
           resuming ? " (resuming an earlier run: finished tables are skipped)" : "");
    fflush(stdout);
    int rc = 0;
    int64_t total = 0;
    for (int i = 0; i < copy_table_count(cp); i++) {
        int64_t rows = 0, t0 = time_now_ms();
        bool skipped = false;
        if (copy_table(cp, i, print_progress, &t0, &rows, &skipped)) {
            fprintf(stderr,
                    "partyline migrate: copying %s failed (see the log); run the same "
                    "command again to resume\n",
                    copy_table_name(cp, i));
            copy_close(cp);
            return 1;
        }
        if (skipped)
            printf("  %-16s %10lld rows  (copied by an earlier run)\n", copy_table_name(cp, i),
                   (long long)rows);
        total += rows;
    }
    printf("copied %lld rows in %.1f s\n", (long long)total,
           (double)(time_now_ms() - started) / 1000.0);
    if (!verify(cp, &rc)) {
        fprintf(stderr, "partyline migrate: the copy does not match the source; run the same "
                        "command again to copy the mismatched tables anew\n");
        copy_close(cp);
        return 1;
    }
    if (rc || copy_finish(cp)) {
        fprintf(stderr, "partyline migrate: could not clear the progress marks\n");
        copy_close(cp);
        return 1;
    }
    copy_close(cp);
    printf("done in %.1f s: every table matches (serve it with database = the target URL)\n",
           (double)(time_now_ms() - started) / 1000.0);
    return 0;
}
