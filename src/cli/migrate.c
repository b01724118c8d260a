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
 *
 * Files: the rows of the file store (records, wrapped keys, chunk rows) are tables like the
 * others. With --media-store database the folder's encrypted chunks are then copied into the
 * target's rows, one transaction per file (media/media.c), after the tables are verified and
 * the progress marks cleared (moving them earlier would change rows the verification compares
 * with the source); a run stopped there is finished by `partyline admin
 * move-media-to-database`, which moves only the files left.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "media/media.h"
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

/* Moves the source folder's files into the target's rows (--media-store database). */
static int move_files(const char *to, const char *media_folder)
{
    char err[512] = "";
    db *d;
    if (db_open(to, 0, &d, err, sizeof err)) {
        fprintf(stderr, "partyline migrate: %s\n", err);
        return 1;
    }
    int64_t moved = 0, t0 = time_now_ms();
    printf("moving the files of %s into the database (still encrypted) …\n", media_folder);
    fflush(stdout);
    int rc = media_folder_to_database(media_folder, d, &moved, err, sizeof err);
    db_close(d);
    if (rc) {
        fprintf(stderr,
                "partyline migrate: moving the files stopped after %lld: %s; the company is "
                "copied: run `partyline admin move-media-to-database` with database = the "
                "target and media_folder = %s to move the rest\n",
                (long long)moved, err[0] ? err : "database error", media_folder);
        return 1;
    }
    printf("  %-16s %10lld files  %6.1f s (serve it with media_store = database)\n", "files",
           (long long)moved, (double)(time_now_ms() - t0) / 1000.0);
    return 0;
}

int cli_migrate(const char *from_dir, const char *to, const char *media_to,
                const char *media_folder)
{
    bool to_rows = media_to && !strcmp(media_to, "database");
    if (media_to && !to_rows && strcmp(media_to, "folder")) {
        fprintf(stderr, "partyline migrate: --media-store is folder or database, not \"%s\"\n",
                media_to);
        return 1;
    }
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
    if (to_rows && move_files(to, media_folder)) return 1;
    if (!to_rows)
        printf("the files stay in %s: serve it with the same media_folder and media_master_key\n",
               media_folder);
    printf("done in %.1f s: every table matches (serve it with database = the target URL)\n",
           (double)(time_now_ms() - started) / 1000.0);
    return 0;
}
