/*
 * test_media.c — the encrypted file store (src/media, store/media.c) over a real database:
 * SQLite by default, PostgreSQL when PARTYLINE_TEST_DATABASE names a server (test_db.h).
 *
 * Every behaviour test runs twice, once per backend (the folder, the database's rows), from
 * the same code: the prestate says which. Each test gets a data folder of its own (so a
 * master key of its own) and starts from empty media tables. Where the contract is about
 * what is left on disk or in rows, the tests look at the folder and the tables directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "media/media.h"
#include "store/media.h"
#include "test_db.h"
#include "util/err.h"
#include "util/log.h"

static struct {
    char dir[64];
    char path[512];
    db *d;
    char data[600]; /* this test's data folder */
    pl_config cfg;
    media_store *m;
} g;

static const enum media_backend FOLDER = MEDIA_FOLDER, DATABASE = MEDIA_DATABASE;

/* ------------------------------------------------------------------------------------------ */
/* Fixture                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int group_setup(void **state)
{
    (void)state;
    if (sodium_init() < 0) return -1;
    return test_db_open_migrated("/tmp/pl-media-XXXXXX", "test.db", g.dir, sizeof g.dir, g.path,
                                 sizeof g.path, &g.d);
}

static int group_teardown(void **state)
{
    (void)state;
    test_db_close_migrated(g.dir, "test.db", g.d);
    return 0;
}

static void remove_tree(const char *path)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", path);
}

static int open_store(enum media_backend b)
{
    config_defaults(&g.cfg);
    snprintf(g.cfg.data_dir, sizeof g.cfg.data_dir, "%s", g.data);
    snprintf(g.cfg.media_store, sizeof g.cfg.media_store, "%s",
             b == MEDIA_DATABASE ? "database" : "folder");
    char err[256] = "";
    int rc = media_open(&g.cfg, g.d, &g.m, err, sizeof err);
    if (rc) fprintf(stderr, "media_open: %s\n", err);
    return rc;
}

static int setup(void **state)
{
    snprintf(g.data, sizeof g.data, "%s/data-XXXXXX", g.dir);
    if (!mkdtemp(g.data)) return -1;
    if (db_exec(g.d, "DELETE FROM media_files; DELETE FROM media_keys; DELETE FROM media_chunks"))
        return -1;
    return open_store(*(const enum media_backend *)*state) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    /* a test that failed half-way leaves no full database behind for the next */
    if (!test_db_server()) (void)db_exec(g.d, "PRAGMA max_page_count = 1073741823");
    media_close(g.m);
    g.m = NULL;
    remove_tree(g.data);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* n bytes of a pattern that differs at every offset of a file (so a misplaced piece shows) */
static uint8_t *pattern(size_t n, unsigned seed)
{
    uint8_t *p = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)((i * 2654435761u + seed) >> 11);
    return p;
}

/* Stores n bytes as file id, in pieces of `step` bytes, inside a transaction. */
static int store_file(int64_t id, const uint8_t *bytes, size_t n, size_t step)
{
    media_writer *w;
    int rc = db_begin(g.d);
    if (rc == PL_OK) rc = media_write_begin(g.m, g.d, id, &w);
    if (rc) {
        db_rollback(g.d);
        return rc;
    }
    for (size_t at = 0; rc == PL_OK && at < n; at += step)
        rc = media_write(w, bytes + at, n - at < step ? n - at : step);
    if (rc == PL_OK) rc = media_write_finish(w, NULL);
    if (rc) {
        media_write_abort(w);
        db_rollback(g.d);
        return rc;
    }
    return db_commit(g.d);
}

/* Reads [offset, offset+length) of file id into out (cap bytes); *pieces counts the pieces. */
static int read_range(int64_t id, int64_t offset, int64_t length, uint8_t *out, size_t cap,
                      size_t *got, int *pieces)
{
    media_reader *r;
    int rc = media_read_open(g.m, g.d, id, offset, length, &r);
    if (rc) return rc;
    *got = 0;
    *pieces = 0;
    const uint8_t *p;
    size_t n;
    while ((rc = media_read_next(r, &p, &n)) == 1) {
        assert_true(*got + n <= cap);
        memcpy(out + *got, p, n);
        *got += n;
        ++*pieces;
    }
    media_read_close(r);
    return rc;
}

static int64_t count_rows(const char *sql)
{
    db_stmt *s = db_prepare(g.d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

/* Files under the media folder (its tmp/ included), not counting folders. */
static int count_files(const char *folder)
{
    DIR *dir = opendir(folder);
    if (!dir) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        char p[1200];
        snprintf(p, sizeof p, "%s/%s", folder, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) continue;
        n += S_ISDIR(st.st_mode) ? count_files(p) : 1;
    }
    closedir(dir);
    return n;
}

static void media_folder(char *out, size_t cap)
{
    snprintf(out, cap, "%s/media", g.data);
}

static void file_path(int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/media/%02x/%lld", g.data, (unsigned)(id & 0xff), (long long)id);
}

static void read_text_file(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, 0600); /* as a key file should be: no warning */
}

enum { CS = MEDIA_CHUNK_SIZE };

/* ------------------------------------------------------------------------------------------ */
/* Writing and reading                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void test_files_of_every_size_read_back_whole(void **state)
{
    (void)state;
    const size_t sizes[] = {0, 1, CS - 1, CS, CS + 1, 3 * CS + 17};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *in = pattern(sizes[i], (unsigned)i), *out = malloc(sizes[i] + 1);
        int64_t id = 1000 + (int64_t)i;
        /* pieces of odd sizes, so chunk boundaries fall inside them */
        assert_int_equal(store_file(id, in, sizes[i], 7777), PL_OK);
        media_info info;
        assert_int_equal(media_info_get(g.m, g.d, id, &info), PL_OK);
        assert_int_equal(info.size, (int64_t)sizes[i]);
        assert_int_equal(info.backend, media_default_backend(g.m));
        size_t got;
        int pieces;
        assert_int_equal(read_range(id, 0, -1, out, sizes[i] + 1, &got, &pieces), 0);
        assert_int_equal(got, sizes[i]);
        assert_memory_equal(in, out, sizes[i]);
        free(in);
        free(out);
    }
}

static void test_stored_bytes_are_not_the_plaintext(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = 2 * CS;
    uint8_t *in = malloc(n);
    memset(in, 'A', n); /* a run anyone would spot */
    assert_int_equal(store_file(7, in, n, n), PL_OK);
    uint8_t *stored = malloc(n + 64);
    size_t len = 0;
    if (b == MEDIA_FOLDER) {
        char p[700];
        file_path(7, p, sizeof p);
        FILE *f = fopen(p, "rb");
        assert_non_null(f);
        len = fread(stored, 1, n + 64, f);
        fclose(f);
        assert_int_equal(len, n + 2 * crypto_aead_xchacha20poly1305_ietf_ABYTES);
    } else {
        assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks WHERE file_id = 7"), 2);
        db_stmt *s = db_prepare(g.d, "SELECT data FROM media_chunks WHERE file_id = 7");
        assert_int_equal(db_step(s), DB_ROW);
        len = strlen(db_col_text(s, 0));
        memcpy(stored, db_col_text(s, 0), len < n ? len : n);
        db_reset(s);
    }
    assert_null(memmem(stored, len, "AAAAAAAA", 8));
    free(in);
    free(stored);
}

static void test_a_ranged_read_decrypts_only_the_chunks_it_returns(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = 10 * CS + 123;
    uint8_t *in = pattern(n, 9), *out = malloc(n);
    assert_int_equal(store_file(42, in, n, CS / 3), PL_OK);
    struct {
        int64_t off, len;
        int chunks;
    } cases[] = {
        {0, 1, 1},                  /* the first byte */
        {CS - 1, 2, 2},             /* across a boundary */
        {5 * CS, CS, 1},            /* exactly one chunk */
        {3 * CS + 10, 2 * CS, 3},   /* from inside one to inside another */
        {(int64_t)n - 5, 100, 1},   /* runs past the end: cut there */
        {(int64_t)n, -1, 0},        /* at the end: empty */
        {7 * CS + 1, -1, 4},        /* to the end */
        {(int64_t)n - 123, 123, 1}, /* the short last chunk */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long runs = db_statement_runs(g.d, "FROM media_chunks");
        size_t got;
        int pieces;
        assert_int_equal(read_range(42, cases[i].off, cases[i].len, out, n, &got, &pieces), 0);
        int64_t want = cases[i].len < 0 || cases[i].off + cases[i].len > (int64_t)n
                           ? (int64_t)n - cases[i].off
                           : cases[i].len;
        assert_int_equal(got, (size_t)want);
        assert_memory_equal(out, in + cases[i].off, got);
        /* one piece per chunk, each chunk fetched once */
        assert_int_equal(pieces, cases[i].chunks);
        if (b == MEDIA_DATABASE)
            assert_int_equal(db_statement_runs(g.d, "FROM media_chunks") - runs, cases[i].chunks);
    }
    media_reader *r;
    assert_int_equal(media_read_open(g.m, g.d, 42, (int64_t)n + 1, -1, &r), PL_EINVAL);
    assert_int_equal(media_read_open(g.m, g.d, 42, -1, 10, &r), PL_EINVAL);
    assert_int_equal(media_read_open(g.m, g.d, 4242, 0, 10, &r), PL_ENOTFOUND);
    free(in);
    free(out);
}

/* ------------------------------------------------------------------------------------------ */
/* Tampering                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Reads all of file id; the first error or 0. */
static int read_all(int64_t id)
{
    static uint8_t out[4 * CS];
    size_t got;
    int pieces;
    return read_range(id, 0, -1, out, sizeof out, &got, &pieces);
}

static void test_a_changed_moved_or_cut_chunk_is_refused(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = 3 * CS;
    uint8_t *in = pattern(n, 3);
    assert_int_equal(store_file(50, in, n, n), PL_OK);
    assert_int_equal(store_file(51, in, n, n), PL_OK);
    assert_int_equal(read_all(50), 0);
    log_set_level(LOG_ERROR + 1); /* the refusals log errors; they are expected */
    if (b == MEDIA_FOLDER) {
        char p[700];
        file_path(50, p, sizeof p);
        int fd = open(p, O_RDWR);
        assert_true(fd >= 0);
        uint8_t x;
        assert_int_equal(pread(fd, &x, 1, CS + 100), 1);
        x ^= 1;
        assert_int_equal(pwrite(fd, &x, 1, CS + 100), 1);
        close(fd);
        assert_int_equal(read_all(50), PL_EINTERNAL);
        /* cut at a chunk boundary, and the record told the shorter size: the flag of the
         * last chunk gives it away */
        file_path(51, p, sizeof p);
        assert_int_equal(truncate(p, 2 * (CS + crypto_aead_xchacha20poly1305_ietf_ABYTES)), 0);
        assert_int_equal(read_all(51), PL_EINTERNAL);
        assert_int_equal(db_exec(g.d, "UPDATE media_files SET size = 131072 WHERE id = 51"), 0);
        assert_int_equal(read_all(51), PL_EINTERNAL);
    } else {
        /* chunk 1 of file 50 swapped for chunk 1 of file 51 (same key? no: and the id is bound) */
        assert_int_equal(db_exec(g.d, "UPDATE media_chunks SET data = (SELECT data FROM "
                                      "media_chunks WHERE file_id = 51 AND idx = 1) WHERE "
                                      "file_id = 50 AND idx = 1"),
                         0);
        assert_int_equal(read_all(50), PL_EINTERNAL);
        /* chunks of one file reordered */
        assert_int_equal(db_exec(g.d, "UPDATE media_chunks SET idx = 9 WHERE file_id = 51 AND "
                                      "idx = 0; UPDATE media_chunks SET idx = 0 WHERE file_id = "
                                      "51 AND idx = 1; UPDATE media_chunks SET idx = 1 WHERE "
                                      "file_id = 51 AND idx = 9"),
                         0);
        assert_int_equal(read_all(51), PL_EINTERNAL);
        /* cut short: the last chunk gone and the size told to match */
        assert_int_equal(store_file(52, in, n, n), PL_OK);
        assert_int_equal(db_exec(g.d, "DELETE FROM media_chunks WHERE file_id = 52 AND idx = 2; "
                                      "UPDATE media_files SET size = 131072 WHERE id = 52"),
                         0);
        assert_int_equal(read_all(52), PL_EINTERNAL);
    }
    log_set_level(LOG_WARN);
    free(in);
}

/* ------------------------------------------------------------------------------------------ */
/* Failed writes                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void test_a_full_disk_is_told_apart_and_leaves_no_file_nor_row(void **state)
{
    (void)state;
    char folder[700];
    media_folder(folder, sizeof folder);
    /* the folder backend's disk fills after 100 KB: the second chunk fails */
    g.cfg.media_store[0] = '\0';
    media_store *fm;
    char err[256];
    assert_int_equal(media_open(&g.cfg, g.d, &fm, err, sizeof err), PL_OK);
    media_test_fail_writes(fm, ENOSPC, 100000);
    size_t n = 4 * CS;
    uint8_t *in = pattern(n, 5);
    log_set_level(LOG_ERROR + 1);
    assert_int_equal(db_begin(g.d), PL_OK);
    media_writer *w;
    assert_int_equal(media_write_begin(fm, g.d, 60, &w), PL_OK);
    int rc = media_write(w, in, n);
    if (rc == PL_OK) rc = media_write_finish(w, NULL);
    assert_int_equal(rc, PL_ENOSPACE);
    media_write_abort(w);
    assert_int_equal(db_commit(g.d), PL_OK); /* even a caller that commits keeps nothing */
    assert_int_equal(count_files(folder), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_files"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_keys"), 0);
    /* at once: the file cannot even be started; another errno is not "full" */
    media_test_fail_writes(fm, ENOSPC, 0);
    assert_int_equal(media_write_begin(fm, g.d, 61, &w), PL_OK);
    assert_int_equal(media_write_finish(w, NULL), PL_ENOSPACE);
    media_write_abort(w);
    media_test_fail_writes(fm, EIO, 0);
    assert_int_equal(media_write_begin(fm, g.d, 62, &w), PL_OK);
    assert_int_equal(media_write_finish(w, NULL), PL_EINTERNAL);
    media_write_abort(w);
    assert_int_equal(count_files(folder), 0);
    log_set_level(LOG_WARN);
    media_close(fm);
    free(in);
}

static void test_what_a_crash_left_in_tmp_is_removed_at_the_next_start_after_an_hour(void **s)
{
    (void)s;
    char old[800], recent[800];
    snprintf(old, sizeof old, "%s/media/tmp/1.0123456789abcdef.part", g.data);
    snprintf(recent, sizeof recent, "%s/media/tmp/2.0123456789abcdef.part", g.data);
    write_text_file(old, "noise");
    write_text_file(recent, "a write under way");
    struct timespec two_hours_ago[2] = {{.tv_sec = time(NULL) - 7200},
                                        {.tv_sec = time(NULL) - 7200}};
    assert_int_equal(utimensat(AT_FDCWD, old, two_hours_ago, 0), 0);
    media_close(g.m);
    log_set_level(LOG_ERROR);
    assert_int_equal(open_store(MEDIA_FOLDER), PL_OK);
    log_set_level(LOG_WARN);
    assert_int_equal(access(old, F_OK), -1);
    assert_int_equal(access(recent, F_OK), 0);
    unlink(recent);
}

/* SQLite's max_page_count makes a full disk on demand; PostgreSQL's (SQLSTATE 53100) cannot be
 * made here, and its driver maps it the same way (postgres.c). */
static void test_a_full_database_is_told_apart_and_leaves_no_row(void **state)
{
    (void)state;
    if (test_db_server()) skip();
    assert_int_equal(db_exec(g.d, "VACUUM"), PL_OK); /* no free pages left by earlier tests */
    db_stmt *s = db_prepare(g.d, "PRAGMA page_count");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t pages = db_col_i64(s, 0);
    db_reset(s);
    char sql[64];
    /* room for about one chunk (a 64 KiB chunk is ~22 pages of base64) */
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 30);
    assert_int_equal(db_exec(g.d, sql), PL_OK);
    size_t n = 4 * CS;
    uint8_t *in = pattern(n, 16);
    log_set_level(LOG_ERROR + 1);
    assert_int_equal(store_file(150, in, n, n), PL_ENOSPACE);
    log_set_level(LOG_WARN);
    assert_int_equal(db_exec(g.d, "PRAGMA max_page_count = 1073741823"), PL_OK);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_files"), 0);
    assert_int_equal(store_file(150, in, n, n), PL_OK); /* room again: the same id is free */
    assert_int_equal(read_all(150), 0);
    free(in);
}

static void test_an_abandoned_write_leaves_no_file_nor_row(void **state)
{
    (void)state;
    char folder[700];
    media_folder(folder, sizeof folder);
    size_t n = 3 * CS + 5;
    uint8_t *in = pattern(n, 6);
    assert_int_equal(db_begin(g.d), PL_OK);
    media_writer *w;
    assert_int_equal(media_write_begin(g.m, g.d, 70, &w), PL_OK);
    assert_int_equal(media_write(w, in, n), PL_OK); /* three chunks sealed and written */
    media_write_abort(w);
    assert_int_equal(db_commit(g.d), PL_OK);
    assert_int_equal(count_files(folder), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_files"), 0);
    media_info info;
    assert_int_equal(media_info_get(g.m, g.d, 70, &info), PL_ENOTFOUND);
    /* a finished write whose transaction rolls back leaves no row either */
    assert_int_equal(db_begin(g.d), PL_OK);
    assert_int_equal(media_write_begin(g.m, g.d, 71, &w), PL_OK);
    assert_int_equal(media_write(w, in, n), PL_OK);
    assert_int_equal(media_write_finish(w, NULL), PL_OK);
    assert_int_equal(db_rollback(g.d), PL_OK);
    assert_int_equal(media_info_get(g.m, g.d, 71, &info), PL_ENOTFOUND);
    free(in);
}

/* ------------------------------------------------------------------------------------------ */
/* Deleting                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_delete_destroys_the_key_then_the_chunks(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = 2 * CS + 1;
    uint8_t *in = pattern(n, 8);
    assert_int_equal(store_file(80, in, n, 1000), PL_OK);
    assert_int_equal(store_file(81, in, n, 1000), PL_OK);
    char p[700], backup[760];
    file_path(80, p, sizeof p);
    snprintf(backup, sizeof backup, "%s/backup", g.data);
    if (b == MEDIA_FOLDER) assert_int_equal(link(p, backup), 0); /* a backup of the folder */
    assert_int_equal(db_begin(g.d), PL_OK);
    assert_int_equal(media_delete(g.m, g.d, 80), PL_OK);
    assert_int_equal(db_commit(g.d), PL_OK);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_keys WHERE file_id = 80"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks WHERE file_id = 80"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_files WHERE id = 80"), 0);
    assert_int_equal(access(p, F_OK), -1);
    media_reader *r;
    assert_int_equal(media_read_open(g.m, g.d, 80, 0, -1, &r), PL_ENOTFOUND);
    assert_int_equal(media_delete(g.m, g.d, 80), PL_ENOTFOUND);
    /* the other file is untouched */
    assert_int_equal(read_all(81), 0);
    /* a delete that stopped after the key (the record left) is finished by another */
    assert_int_equal(db_exec(g.d, "DELETE FROM media_keys WHERE file_id = 81"), 0);
    assert_int_equal(media_read_open(g.m, g.d, 81, 0, -1, &r), PL_ENOTFOUND);
    assert_int_equal(media_delete(g.m, g.d, 81), PL_OK);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_files"), 0);
    /* and a damaged record (it cannot be read) can still be deleted */
    assert_int_equal(store_file(82, in, n, n), PL_OK);
    assert_int_equal(db_exec(g.d, "UPDATE media_files SET chunk_size = 0 WHERE id = 82"), 0);
    log_set_level(LOG_ERROR + 1);
    assert_int_equal(read_all(82), PL_EINTERNAL);
    log_set_level(LOG_WARN);
    assert_int_equal(media_delete(g.m, g.d, 82), PL_OK);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_keys"), 0);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks"), 0);
    file_path(82, p, sizeof p);
    assert_int_equal(access(p, F_OK), -1);
    if (b == MEDIA_FOLDER) unlink(backup);
    free(in);
}

/* ------------------------------------------------------------------------------------------ */
/* The master key                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void test_the_master_key_is_made_once_readable_by_its_owner_only(void **state)
{
    (void)state;
    char p[700], before[200], after[200];
    snprintf(p, sizeof p, "%s/media.key", g.data);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    read_text_file(p, before, sizeof before);
    assert_int_equal(strlen(before), 65); /* 64 hex digits and a newline */
    /* a second start reads it */
    media_close(g.m);
    assert_int_equal(open_store(MEDIA_FOLDER), PL_OK);
    read_text_file(p, after, sizeof after);
    assert_string_equal(before, after);
    /* a key named by the setting must exist, and be a key */
    char err[256] = "";
    media_store *m2;
    pl_config cfg = g.cfg;
    snprintf(cfg.media_master_key, sizeof cfg.media_master_key, "%s/absent.key", g.data);
    assert_int_equal(media_open(&cfg, g.d, &m2, err, sizeof err), PL_EINVAL);
    assert_non_null(strstr(err, "absent.key"));
    snprintf(cfg.media_master_key, sizeof cfg.media_master_key, "%s/bad.key", g.data);
    write_text_file(cfg.media_master_key, "not a key\n");
    assert_int_equal(media_open(&cfg, g.d, &m2, err, sizeof err), PL_EINVAL);
    assert_non_null(strstr(err, "64 digits"));
    snprintf(cfg.media_store, sizeof cfg.media_store, "s3");
    assert_int_equal(media_open(&cfg, g.d, &m2, err, sizeof err), PL_EINVAL);
    assert_non_null(strstr(err, "media_store"));
}

static void test_rotation_rewraps_every_key_and_the_old_master_key_opens_none(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = CS + 9;
    uint8_t *in = pattern(n, 10);
    for (int64_t id = 90; id < 95; id++) assert_int_equal(store_file(id, in, n, n), PL_OK);
    char key_path[700], old_key[200], new_key[200], chunks_before[64];
    snprintf(key_path, sizeof key_path, "%s/media.key", g.data);
    read_text_file(key_path, old_key, sizeof old_key);
    char old_id[MEDIA_KEY_ID_SIZE], id_now[MEDIA_KEY_ID_SIZE];
    media_master_key_id(g.m, old_id);
    /* what the files' bytes are before: a rotation must not touch them */
    snprintf(chunks_before, sizeof chunks_before, "%lld",
             (long long)count_rows("SELECT COUNT(*) FROM media_chunks"));
    char p[700];
    file_path(90, p, sizeof p);
    struct stat st_before, st_after;
    bool in_folder = b == MEDIA_FOLDER;
    if (in_folder) assert_int_equal(stat(p, &st_before), 0);

    int64_t rewrapped = 0;
    char err[256] = "";
    assert_int_equal(media_rotate_master_key(g.m, g.d, &rewrapped, err, sizeof err), PL_OK);
    assert_int_equal(rewrapped, 5);
    read_text_file(key_path, new_key, sizeof new_key);
    assert_string_not_equal(old_key, new_key);
    media_master_key_id(g.m, id_now);
    assert_string_not_equal(old_id, id_now);
    struct stat st;
    assert_int_equal(stat(key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    for (int64_t id = 90; id < 95; id++) assert_int_equal(read_all(id), 0);
    if (in_folder) {
        assert_int_equal(stat(p, &st_after), 0);
        assert_int_equal(st_before.st_mtime, st_after.st_mtime);
        assert_int_equal(st_before.st_ino, st_after.st_ino);
    }
    char chunks_after[64];
    snprintf(chunks_after, sizeof chunks_after, "%lld",
             (long long)count_rows("SELECT COUNT(*) FROM media_chunks"));
    assert_string_equal(chunks_before, chunks_after);

    /* and after a restart */
    media_close(g.m);
    assert_int_equal(open_store(b), PL_OK);
    assert_int_equal(read_all(92), 0);

    /* the old master key opens none: neither as the key the store loads, nor when the rows
     * are made to name it */
    pl_config cfg = g.cfg;
    snprintf(cfg.media_master_key, sizeof cfg.media_master_key, "%s/old.key", g.data);
    write_text_file(cfg.media_master_key, old_key);
    media_store *old;
    assert_int_equal(media_open(&cfg, g.d, &old, err, sizeof err), PL_OK);
    media_master_key_id(old, id_now);
    assert_string_equal(id_now, old_id);
    media_reader *r;
    log_set_level(LOG_ERROR + 1);
    assert_int_equal(media_read_open(old, g.d, 90, 0, -1, &r), PL_EINTERNAL);
    assert_int_equal(db_begin(g.d), PL_OK);
    db_stmt *s = db_prepare(g.d, "UPDATE media_keys SET master_key_id = ?");
    db_bind_text(s, 1, old_id, -1);
    assert_int_equal(db_step_done(s), PL_OK);
    for (int64_t id = 90; id < 95; id++)
        assert_int_equal(media_read_open(old, g.d, id, 0, -1, &r), PL_EINTERNAL);
    /* nor can it rotate them: it stops and changes nothing */
    assert_int_equal(db_rollback(g.d), PL_OK);
    err[0] = '\0';
    assert_int_equal(media_rotate_master_key(old, g.d, &rewrapped, err, sizeof err), PL_EINTERNAL);
    assert_non_null(strstr(err, "nothing was changed"));
    log_set_level(LOG_WARN);
    assert_int_equal(read_all(93), 0);
    media_close(old);
    free(in);
}

static void test_a_rotation_stopped_after_its_commit_is_finished_at_the_next_start(void **state)
{
    enum media_backend b = *(const enum media_backend *)*state;
    size_t n = 1000;
    uint8_t *in = pattern(n, 11);
    assert_int_equal(store_file(100, in, n, n), PL_OK);
    char key_path[700], pending[720], old_key[200], new_key[200];
    snprintf(key_path, sizeof key_path, "%s/media.key", g.data);
    snprintf(pending, sizeof pending, "%s.new", key_path);
    read_text_file(key_path, old_key, sizeof old_key);
    int64_t rewrapped;
    char err[256] = "";
    assert_int_equal(media_rotate_master_key(g.m, g.d, &rewrapped, err, sizeof err), PL_OK);
    read_text_file(key_path, new_key, sizeof new_key);
    media_close(g.m);
    /* as if it had stopped between the commit and the rename */
    write_text_file(pending, new_key);
    write_text_file(key_path, old_key);
    /* a server that started with the old key meanwhile writes under it (the key file did not
     * change), and finds the new key in the .new when it reads */
    media_store *running;
    assert_int_equal(media_open(&g.cfg, NULL, &running, err, sizeof err), PL_OK);
    media_writer *w;
    assert_int_equal(db_begin(g.d), PL_OK);
    assert_int_equal(media_write_begin(running, g.d, 101, &w), PL_OK);
    assert_int_equal(media_write(w, in, n), PL_OK);
    assert_int_equal(media_write_finish(w, NULL), PL_OK);
    assert_int_equal(db_commit(g.d), PL_OK);
    log_set_level(LOG_ERROR);
    media_reader *r;
    assert_int_equal(media_read_open(running, g.d, 100, 0, -1, &r), PL_OK);
    media_read_close(r);
    media_close(running);
    assert_int_equal(open_store(b), PL_OK);
    log_set_level(LOG_WARN);
    assert_int_equal(access(pending, F_OK), -1);
    char now[200];
    read_text_file(key_path, now, sizeof now);
    assert_string_equal(now, new_key);
    assert_int_equal(read_all(100), 0);
    /* the key that server wrapped under the old key was rewrapped before the old key went */
    assert_int_equal(count_rows("SELECT COUNT(DISTINCT master_key_id) FROM media_keys"), 1);
    assert_int_equal(read_all(101), 0);
    /* a .new that no key uses (stopped before the commit) is dropped */
    media_close(g.m);
    write_text_file(pending, old_key);
    assert_int_equal(open_store(b), PL_OK);
    assert_int_equal(access(pending, F_OK), -1);
    assert_int_equal(read_all(100), 0);
    free(in);
}

static void test_a_running_server_reads_on_after_a_rotation_by_the_command_line(void **state)
{
    (void)state;
    size_t n = CS + 1;
    uint8_t *in = pattern(n, 15);
    assert_int_equal(store_file(140, in, n, n), PL_OK);
    assert_int_equal(read_all(140), 0);
    /* `partyline admin rotate-media-key`: another store on the same key file */
    media_store *cli;
    char err[256] = "", before[MEDIA_KEY_ID_SIZE], after[MEDIA_KEY_ID_SIZE],
         server[MEDIA_KEY_ID_SIZE];
    cli = g.m; /* the setup's store is the command line's … */
    assert_int_equal(media_open(&g.cfg, g.d, &g.m, err, sizeof err), PL_OK); /* … and a server */
    media_master_key_id(g.m, before);
    int64_t rewrapped;
    assert_int_equal(media_rotate_master_key(cli, g.d, &rewrapped, err, sizeof err), PL_OK);
    assert_int_equal(rewrapped, 1);
    media_master_key_id(cli, after);
    assert_string_not_equal(before, after);
    /* what the server writes now is wrapped by the new key: it looks at the key file first */
    log_set_level(LOG_ERROR);
    assert_int_equal(store_file(141, in, n, n), PL_OK);
    media_master_key_id(g.m, server);
    assert_string_equal(server, after);
    assert_int_equal(read_all(140), 0);
    log_set_level(LOG_WARN);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_keys WHERE file_id = 141 AND "
                                "master_key_id = (SELECT master_key_id FROM media_keys WHERE "
                                "file_id = 140)"),
                     1);
    media_close(cli);
    free(in);
}

/* ------------------------------------------------------------------------------------------ */
/* Backends                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_files_stay_readable_where_they_were_written_when_the_setting_changes(void **s)
{
    (void)s;
    size_t n = 2 * CS + 3;
    uint8_t *in = pattern(n, 12);
    assert_int_equal(store_file(110, in, n, n), PL_OK); /* in the prestate's backend */
    enum media_backend first = media_default_backend(g.m);
    media_close(g.m);
    assert_int_equal(open_store(first == MEDIA_FOLDER ? MEDIA_DATABASE : MEDIA_FOLDER), PL_OK);
    assert_int_equal(store_file(111, in, n, n), PL_OK);
    media_info a, b;
    assert_int_equal(media_info_get(g.m, g.d, 110, &a), PL_OK);
    assert_int_equal(media_info_get(g.m, g.d, 111, &b), PL_OK);
    assert_int_equal(a.backend, first);
    assert_int_not_equal(b.backend, first);
    assert_int_equal(read_all(110), 0);
    assert_int_equal(read_all(111), 0);
    free(in);
}

static void test_folder_files_move_into_the_database_as_they_are(void **state)
{
    (void)state;
    size_t n = 3 * CS + 77;
    uint8_t *in = pattern(n, 13), *out = malloc(n);
    for (int64_t id = 120; id < 123; id++) assert_int_equal(store_file(id, in, n, 5000), PL_OK);
    char folder[700], err[256] = "";
    media_folder(folder, sizeof folder);
    int64_t moved = 0;
    assert_int_equal(media_folder_to_database(folder, g.d, &moved, err, sizeof err), PL_OK);
    assert_int_equal(moved, 3);
    assert_int_equal(count_rows("SELECT COUNT(*) FROM media_chunks"), 3 * 4);
    for (int64_t id = 120; id < 123; id++) {
        media_info info;
        assert_int_equal(media_info_get(g.m, g.d, id, &info), PL_OK);
        assert_int_equal(info.backend, MEDIA_DATABASE);
        size_t got;
        int pieces;
        assert_int_equal(read_range(id, 0, -1, out, n, &got, &pieces), 0);
        assert_int_equal(got, n);
        assert_memory_equal(in, out, n);
    }
    /* the folder's files are no longer read: the database's chunks are */
    char p[700];
    file_path(121, p, sizeof p);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(read_all(121), 0);
    /* a second run has nothing to do */
    assert_int_equal(media_folder_to_database(folder, g.d, &moved, err, sizeof err), PL_OK);
    assert_int_equal(moved, 0);
    free(in);
    free(out);
}

/* `partyline migrate` with files: the target (this test's database, SQLite or PostgreSQL)
 * receives the rows, and with --media-store database the folder's chunks. */
static void test_migrate_moves_the_files_too(void **state)
{
    (void)state;
    /* the source: a SQLite company with two files in its folder */
    char src_dir[700], src_db[760], err[256] = "";
    snprintf(src_dir, sizeof src_dir, "%s/source", g.data);
    assert_int_equal(mkdir(src_dir, 0700), 0);
    snprintf(src_db, sizeof src_db, "%s/partyline.db", src_dir);
    db *src;
    assert_int_equal(db_open(src_db, 0, &src, err, sizeof err), 0);
    assert_int_equal(store_migrate(src), PL_OK);
    pl_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", src_dir);
    media_store *sm;
    assert_int_equal(media_open(&cfg, src, &sm, err, sizeof err), PL_OK);
    size_t n = 2 * CS + 11;
    uint8_t *in = pattern(n, 14), *out = malloc(n);
    for (int64_t id = 130; id < 132; id++) {
        media_writer *w;
        assert_int_equal(db_begin(src), PL_OK);
        assert_int_equal(media_write_begin(sm, src, id, &w), PL_OK);
        assert_int_equal(media_write(w, in, n), PL_OK);
        assert_int_equal(media_write_finish(w, NULL), PL_OK);
        assert_int_equal(db_commit(src), PL_OK);
    }
    media_close(sm);
    db_close(src);

    /* the target: an empty database of its own */
    char target[600];
    assert_int_equal(test_db_create(g.dir, "target.db", target, sizeof target), 0);
    char media_dir[760];
    snprintf(media_dir, sizeof media_dir, "%s/media", src_dir);
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1); /* the command prints its progress */
    int rc = cli_migrate(src_dir, target, "database", media_dir);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(devnull);
    assert_int_equal(rc, 0);

    db *dst;
    assert_int_equal(db_open(target, 0, &dst, err, sizeof err), 0);
    snprintf(cfg.media_store, sizeof cfg.media_store, "database");
    assert_int_equal(media_open(&cfg, dst, &sm, err, sizeof err), PL_OK); /* the same key */
    for (int64_t id = 130; id < 132; id++) {
        media_info info;
        assert_int_equal(media_info_get(sm, dst, id, &info), PL_OK);
        assert_int_equal(info.backend, MEDIA_DATABASE);
        media_reader *r;
        assert_int_equal(media_read_open(sm, dst, id, 0, -1, &r), PL_OK);
        size_t got = 0, len;
        const uint8_t *p;
        while ((rc = media_read_next(r, &p, &len)) == 1) {
            memcpy(out + got, p, len);
            got += len;
        }
        media_read_close(r);
        assert_int_equal(rc, 0);
        assert_int_equal(got, n);
        assert_memory_equal(in, out, n);
    }
    media_close(sm);
    db_close(dst);
    test_db_drop(g.dir, "target.db");

    /* folder to folder: the rows go over, the files stay where they are and read */
    assert_int_equal(test_db_create(g.dir, "target2.db", target, sizeof target), 0);
    saved = dup(1);
    devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    rc = cli_migrate(src_dir, target, "folder", media_dir);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(devnull);
    assert_int_equal(rc, 0);
    assert_int_equal(db_open(target, 0, &dst, err, sizeof err), 0);
    cfg.media_store[0] = '\0';
    assert_int_equal(media_open(&cfg, dst, &sm, err, sizeof err), PL_OK);
    media_info info;
    assert_int_equal(media_info_get(sm, dst, 131, &info), PL_OK);
    assert_int_equal(info.backend, MEDIA_FOLDER);
    media_reader *r;
    assert_int_equal(media_read_open(sm, dst, 131, CS, 5, &r), PL_OK);
    const uint8_t *p;
    size_t len;
    assert_int_equal(media_read_next(r, &p, &len), 1);
    assert_int_equal(len, 5);
    assert_memory_equal(p, in + CS, 5);
    media_read_close(r);
    media_close(sm);
    db_close(dst);
    test_db_drop(g.dir, "target2.db");
    free(in);
    free(out);
}

#define BOTH(f)                                                                                    \
    cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, (void *)&FOLDER),                 \
        cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, (void *)&DATABASE)
#define ONE(f, b) cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, (void *)&(b))

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_files_of_every_size_read_back_whole),
        BOTH(test_stored_bytes_are_not_the_plaintext),
        BOTH(test_a_ranged_read_decrypts_only_the_chunks_it_returns),
        BOTH(test_a_changed_moved_or_cut_chunk_is_refused),
        ONE(test_a_full_disk_is_told_apart_and_leaves_no_file_nor_row, FOLDER),
        ONE(test_a_full_database_is_told_apart_and_leaves_no_row, DATABASE),
        BOTH(test_an_abandoned_write_leaves_no_file_nor_row),
        ONE(test_what_a_crash_left_in_tmp_is_removed_at_the_next_start_after_an_hour, FOLDER),
        BOTH(test_delete_destroys_the_key_then_the_chunks),
        ONE(test_the_master_key_is_made_once_readable_by_its_owner_only, FOLDER),
        BOTH(test_rotation_rewraps_every_key_and_the_old_master_key_opens_none),
        BOTH(test_a_rotation_stopped_after_its_commit_is_finished_at_the_next_start),
        BOTH(test_a_running_server_reads_on_after_a_rotation_by_the_command_line),
        BOTH(test_files_stay_readable_where_they_were_written_when_the_setting_changes),
        ONE(test_folder_files_move_into_the_database_as_they_are, FOLDER),
        ONE(test_migrate_moves_the_files_too, FOLDER),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
