/*
 * media.c — the encrypted file store: a key per file, chunks sealed one by one, keys wrapped
 * by a master key, and two backends (a folder, or rows of the database) behind one interface.
 *
 * The construction. A file of n bytes is cut into chunks of chunk_size bytes (the last may
 * be shorter; an empty file is one empty chunk). Chunk i is sealed with
 * crypto_aead_xchacha20poly1305_ietf under the file's own random key, with the nonce i
 * (little-endian, zero-padded to 24 bytes) and the additional data "partyline media v1",
 * the file id, i and a last-chunk flag. Because every key seals one file once, a nonce made of
 * the index never repeats under a key; because the index is authenticated, chunks cannot be
 * reordered; because the flag is, the file cannot be cut short at a chunk boundary and pass;
 * because the id is, chunks cannot move between files. A ranged read fetches and opens only
 * the chunks its range touches. The issue asked for secretstream; secretstream's state runs
 * from the first byte, so a read from the middle would decrypt everything before it — which
 * is what chunks were for. Per-chunk AEAD gives the same guarantees (integrity of each chunk,
 * of the order, of the end) and random access.
 *
 * Keys. A file key never leaves src/media in the clear: it is stored wrapped by the master
 * key (media_keys.c: its file, wrapping, rotation). Deleting a file deletes its key row
 * first: even a backup of the chunks is then noise.
 *
 * Backends. The folder holds each file's chunks back to back in FOLDER/xx/ID (xx: the id's low
 * byte in hex, so no directory grows past a few thousand names); a write goes to FOLDER/tmp
 * and is renamed into place after fsync, so a reader never sees half a file and a failed
 * write leaves nothing. The database holds chunk i as a row (base64 text: db.h carries int64
 * and text). Either way the ciphertext bytes are the same, which is why a file can move
 * between backends without its key (media_folder_to_database).
 *
 * Memory: a reader or writer holds one chunk of plaintext and one of ciphertext (128 KiB),
 * from malloc, not sodium_malloc: a server serves many files at once, and sodium_malloc's
 * guard pages and locked memory per buffer would cost system calls per request and run into
 * RLIMIT_MEMLOCK. Keys and plaintext are wiped when they are freed.
 *
 * Must never: return a byte that failed authentication; leave a readable key behind a
 * delete; write a master key or a file key to a log.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/media_internal.h"
#include "store/media.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/timeutil.h"

static const char CHUNK_AD[] = "partyline media v1";

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

static const char *backend_name(enum media_backend b)
{
    return b == MEDIA_DATABASE ? "database" : "folder";
}

/* An errno of a failed write or fsync as a PL code: a full disk is the one the API tells. */
static int errno_rc(int e)
{
    return e == ENOSPC || e == EDQUOT ? PL_ENOSPACE : PL_EINTERNAL;
}

/* Where file id's ciphertext lives in a folder. */
static void folder_path(const char *folder, int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%02x/%lld", folder, (unsigned)(id & 0xff), (long long)id);
}

/* mkdir that accepts an existing folder. */
static int make_dir(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST) return 0;
    return -1;
}

/* The number of chunks of a file of `size` bytes, and the plaintext length of chunk idx. */
static int64_t chunk_count(int64_t size, int chunk_size)
{
    return size == 0 ? 1 : (size + chunk_size - 1) / chunk_size;
}

static size_t chunk_plain_len(const media_info *f, int64_t idx)
{
    int64_t start = idx * f->chunk_size;
    int64_t left = f->size - start;
    return (size_t)(left < f->chunk_size ? left : f->chunk_size);
}

/* The additional data that binds a chunk to its file, its place and whether it ends it. */
static size_t chunk_ad(uint8_t *ad, int64_t id, int64_t idx, bool last)
{
    size_t n = sizeof CHUNK_AD - 1;
    memcpy(ad, CHUNK_AD, n);
    put_le64(ad + n, (uint64_t)id);
    put_le64(ad + n + 8, (uint64_t)idx);
    ad[n + 16] = last ? 1 : 0;
    return n + 17;
}

static void chunk_nonce(uint8_t nonce[NONCE_BYTES], int64_t idx)
{
    memset(nonce, 0, NONCE_BYTES);
    put_le64(nonce, (uint64_t)idx);
}

/* A file's record and key, read and opened. PL_ENOTFOUND without a record or a key;
 * PL_EINTERNAL when the key was wrapped by another master key or does not open. */
static int load_file(media_store *m, db *d, int64_t id, media_info *info, uint8_t key[KEY_BYTES])
{
    arena a = ARENA_INIT;
    store_media_file f;
    int rc = store_media_file_get(d, id, &a, &f);
    if (rc == PL_OK && !f.wrapped_key) rc = PL_ENOTFOUND;
    if (rc == PL_OK) {
        info->id = id;
        info->size = f.size;
        info->created_at = f.created_at;
        info->chunk_size = f.chunk_size;
        info->backend = !strcmp(f.store, "database") ? MEDIA_DATABASE : MEDIA_FOLDER;
        if (f.chunk_size <= 0 || f.chunk_size > MAX_CHUNK_SIZE || f.size < 0) {
            log_error("media %lld: a damaged record (size %lld, chunk size %d)", (long long)id,
                      (long long)f.size, f.chunk_size);
            rc = PL_EINTERNAL;
        } else if (key) {
            uint8_t mk[KEY_BYTES];
            char mk_id[KEY_ID_CHARS + 1];
            media_keys_current(m, mk, mk_id);
            if (media_keys_find(m, f.master_key_id, mk) != 0) {
                log_error("media %lld: its key was wrapped by master key %s, which is neither "
                          "the one loaded (%s) nor in %s",
                          (long long)id, f.master_key_id, mk_id, m->key_path);
                rc = PL_EINTERNAL;
            } else if (media_keys_unwrap(mk, id, f.wrapped_key, key) != 0) {
                log_error("media %lld: its key does not open under the master key", (long long)id);
                rc = PL_EINTERNAL;
            }
            sodium_memzero(mk, sizeof mk);
        }
    }
    arena_free(&a);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Removes what writes stopped by a crash left in FOLDER/tmp (a write that fails otherwise
 * removes its own): files not written to for STALE_PART_MS. They have no key row, so they
 * are noise; this only gives the space back. No write takes an hour, even one on another
 * node sharing the folder. */
static void sweep_tmp(const char *tmp)
{
    DIR *dir = opendir(tmp);
    if (!dir) return;
    int64_t now = time_now_ms();
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".part") != 0) continue;
        struct stat st;
        if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        if (S_ISREG(st.st_mode) && now - mtime > STALE_PART_MS &&
            unlinkat(dirfd(dir), e->d_name, 0) == 0)
            log_warn("media: removed %s/%s, left by a write that stopped", tmp, e->d_name);
    }
    closedir(dir);
}

int media_open(const pl_config *cfg, db *d, media_store **out, char *err, size_t cap)
{
    media_store *m = calloc(1, sizeof *m);
    if (!m) return PL_ENOMEM;
    pthread_mutex_init(&m->lock, NULL);
    if (!cfg->media_store[0] || !strcmp(cfg->media_store, "folder")) {
        m->backend = MEDIA_FOLDER;
    } else if (!strcmp(cfg->media_store, "database")) {
        m->backend = MEDIA_DATABASE;
    } else {
        snprintf(err, cap, "media_store must be \"folder\" or \"database\", not \"%s\"",
                 cfg->media_store);
        media_close(m);
        return PL_EINVAL;
    }
    if (cfg->media_folder[0])
        snprintf(m->folder, sizeof m->folder, "%s", cfg->media_folder);
    else
        snprintf(m->folder, sizeof m->folder, "%s/media", cfg->data_dir);
    bool named = cfg->media_master_key[0] != '\0';
    if (named)
        snprintf(m->key_path, sizeof m->key_path, "%s", cfg->media_master_key);
    else
        snprintf(m->key_path, sizeof m->key_path, "%s/media.key", cfg->data_dir);

    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s/tmp", m->folder);
    if (m->backend == MEDIA_FOLDER && (make_dir(m->folder) != 0 || make_dir(tmp) != 0)) {
        snprintf(err, cap, "cannot create the media folder %s: %s", m->folder, strerror(errno));
        media_close(m);
        return PL_EINTERNAL;
    }
    sweep_tmp(tmp);
    int rc = media_keys_open(m, named, d, err, cap);
    if (rc) {
        media_close(m);
        return rc;
    }
    *out = m;
    return PL_OK;
}

void media_close(media_store *m)
{
    if (!m) return;
    pthread_mutex_destroy(&m->lock);
    sodium_memzero(m, sizeof *m);
    free(m);
}

enum media_backend media_default_backend(const media_store *m)
{
    return m->backend;
}

void media_test_fail_writes(media_store *m, int err_no, int64_t after)
{
    m->fail_errno = err_no;
    m->fail_after = after;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

struct media_writer {
    media_store *m;
    db *d;
    int64_t id;
    enum media_backend backend;
    uint8_t key[KEY_BYTES];
    uint8_t *plain, *cipher; /* one chunk each */
    char *b64;               /* one chunk's ciphertext in base64 (database backend) */
    size_t fill;             /* plaintext bytes waiting in plain */
    int64_t size, sealed;    /* bytes given; chunks sealed and written */
    int fd;
    bool placed; /* the folder's file was renamed into place */
    char tmp_path[PATH_MAX + 64], final_path[PATH_MAX + 32];
};

/* write(2) all of it, with the test hook's failure. 0 or an errno. */
static int write_all(media_store *m, int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t want = n;
        if (m->fail_errno) {
            if (m->fail_after <= 0) return m->fail_errno;
            if ((int64_t)want > m->fail_after) want = (size_t)m->fail_after;
        }
        ssize_t w = write(fd, p, want);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (m->fail_errno) m->fail_after -= w;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Seals the waiting plaintext as the next chunk and writes it to the backend. */
static int seal_chunk(media_writer *w, bool last)
{
    uint8_t nonce[NONCE_BYTES], ad[64];
    chunk_nonce(nonce, w->sealed);
    size_t adn = chunk_ad(ad, w->id, w->sealed, last);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(w->cipher, &clen, w->plain, w->fill, ad, adn, NULL,
                                               nonce, w->key);
    if (w->backend == MEDIA_FOLDER) {
        int e = write_all(w->m, w->fd, w->cipher, (size_t)clen);
        if (e) {
            log_error("media %lld: writing %s failed: %s", (long long)w->id, w->tmp_path,
                      strerror(e));
            return errno_rc(e);
        }
    } else {
        sodium_bin2base64(w->b64, sodium_base64_ENCODED_LEN(MEDIA_CHUNK_SIZE + TAG_BYTES, B64),
                          w->cipher, (size_t)clen, B64);
        int rc = store_media_chunk_put(w->d, w->id, (int)w->sealed, w->b64);
        if (rc) return rc;
    }
    w->sealed++;
    w->fill = 0;
    return PL_OK;
}

int media_write_begin(media_store *m, db *d, int64_t id, media_writer **out)
{
    media_writer *w = calloc(1, sizeof *w);
    if (!w) return PL_ENOMEM;
    w->m = m;
    w->d = d;
    w->id = id;
    w->backend = m->backend;
    w->fd = -1;
    w->plain = malloc(MEDIA_CHUNK_SIZE);
    w->cipher = malloc(MEDIA_CHUNK_SIZE + TAG_BYTES);
    if (w->backend == MEDIA_DATABASE)
        w->b64 = malloc(sodium_base64_ENCODED_LEN(MEDIA_CHUNK_SIZE + TAG_BYTES, B64));
    if (!w->plain || !w->cipher || (w->backend == MEDIA_DATABASE && !w->b64)) {
        media_write_abort(w);
        return PL_ENOMEM;
    }
    crypto_aead_xchacha20poly1305_ietf_keygen(w->key);
    if (w->backend == MEDIA_FOLDER) {
        uint8_t r[8];
        char rhex[17];
        randombytes_buf(r, sizeof r);
        sodium_bin2hex(rhex, sizeof rhex, r, sizeof r);
        snprintf(w->tmp_path, sizeof w->tmp_path, "%s/tmp/%lld.%s.part", m->folder, (long long)id,
                 rhex);
        folder_path(m->folder, id, w->final_path, sizeof w->final_path);
        w->fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (w->fd < 0) {
            int e = errno;
            log_error("media %lld: cannot create %s: %s", (long long)id, w->tmp_path, strerror(e));
            media_write_abort(w);
            return errno_rc(e);
        }
    }
    *out = w;
    return PL_OK;
}

int media_write(media_writer *w, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        /* a full chunk is sealed only when more bytes come: the last chunk is known only
         * at the end, and it is sealed as such */
        if (w->fill == MEDIA_CHUNK_SIZE) {
            int rc = seal_chunk(w, false);
            if (rc) return rc;
        }
        size_t take = MEDIA_CHUNK_SIZE - w->fill;
        if (take > len) take = len;
        memcpy(w->plain + w->fill, p, take);
        w->fill += take;
        w->size += (int64_t)take;
        p += take;
        len -= take;
    }
    return PL_OK;
}

int media_write_finish(media_writer *w, media_info *out)
{
    int rc = seal_chunk(w, true);
    if (rc) return rc;
    if (w->backend == MEDIA_FOLDER) {
        if (fsync(w->fd) != 0) {
            int e = errno;
            log_error("media %lld: fsync of %s failed: %s", (long long)w->id, w->tmp_path,
                      strerror(e));
            return errno_rc(e);
        }
        close(w->fd);
        w->fd = -1;
        char dir[PATH_MAX + 32];
        dir_of(w->final_path, dir, sizeof dir);
        if (make_dir(dir) != 0 || rename(w->tmp_path, w->final_path) != 0) {
            int e = errno;
            log_error("media %lld: cannot move it to %s: %s", (long long)w->id, w->final_path,
                      strerror(e));
            return errno_rc(e);
        }
        w->placed = true;
        sync_dir(dir);
    }
    char wrapped[sodium_base64_ENCODED_LEN(WRAPPED_BYTES, B64)], mk_id[KEY_ID_CHARS + 1];
    uint8_t mk[KEY_BYTES];
    media_keys_for_writing(w->m, mk, mk_id);
    media_keys_wrap(mk, w->id, w->key, wrapped, sizeof wrapped);
    sodium_memzero(mk, sizeof mk);
    store_media_file f = {
        .id = w->id,
        .store = backend_name(w->backend),
        .size = w->size,
        .chunk_size = MEDIA_CHUNK_SIZE,
        .created_at = time_now_ms(),
        .master_key_id = mk_id,
        .wrapped_key = wrapped,
    };
    rc = store_media_file_insert(w->d, &f);
    if (rc) {
        /* a record without its key, or the reverse, must not outlive this (the caller rolls
         * back too; on PostgreSQL these fail once the transaction is aborted, which is as
         * good) */
        (void)store_media_key_delete(w->d, w->id);
        (void)store_media_file_delete(w->d, w->id);
        return rc;
    }
    if (out)
        *out = (media_info){.id = w->id,
                            .size = w->size,
                            .created_at = f.created_at,
                            .chunk_size = MEDIA_CHUNK_SIZE,
                            .backend = w->backend};
    /* the file is the record's now: what abort would remove is not abort's any more */
    w->placed = false;
    w->tmp_path[0] = '\0';
    w->sealed = 0;
    media_write_abort(w);
    return PL_OK;
}

void media_write_abort(media_writer *w)
{
    if (!w) return;
    if (w->fd >= 0) close(w->fd);
    if (w->tmp_path[0]) unlink(w->tmp_path);
    if (w->placed) unlink(w->final_path);
    /* chunk rows of an unfinished write: the caller rolls back, but a caller that commits
     * anyway must not keep them either */
    if (w->backend == MEDIA_DATABASE && w->sealed > 0 && w->d)
        (void)store_media_file_delete(w->d, w->id);
    sodium_memzero(w->key, sizeof w->key);
    if (w->plain) sodium_memzero(w->plain, MEDIA_CHUNK_SIZE);
    free(w->plain);
    free(w->cipher);
    free(w->b64);
    free(w);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */
/* ------------------------------------------------------------------------------------------ */

struct media_reader {
    media_store *m;
    db *d;
    media_info info;
    uint8_t key[KEY_BYTES];
    int64_t pos, end; /* the plaintext range still to hand back: [pos, end) */
    int64_t nchunks;
    int fd;
    uint8_t *plain, *cipher;
};

int media_info_get(media_store *m, db *d, int64_t id, media_info *out)
{
    return load_file(m, d, id, out, NULL);
}

int media_read_open(media_store *m, db *d, int64_t id, int64_t offset, int64_t length,
                    media_reader **out)
{
    media_reader *r = calloc(1, sizeof *r);
    if (!r) return PL_ENOMEM;
    r->m = m;
    r->d = d;
    r->fd = -1;
    int rc = load_file(m, d, id, &r->info, r->key);
    if (rc == PL_OK && (offset < 0 || offset > r->info.size)) rc = PL_EINVAL;
    if (rc) {
        media_read_close(r);
        return rc;
    }
    r->pos = offset;
    r->end = length < 0 || length > r->info.size - offset ? r->info.size : offset + length;
    r->nchunks = chunk_count(r->info.size, r->info.chunk_size);
    r->plain = malloc((size_t)r->info.chunk_size);
    r->cipher = malloc((size_t)r->info.chunk_size + TAG_BYTES);
    if (!r->plain || !r->cipher) {
        media_read_close(r);
        return PL_ENOMEM;
    }
    if (r->info.backend == MEDIA_FOLDER && r->pos < r->end) {
        char path[PATH_MAX + 32];
        folder_path(m->folder, id, path, sizeof path);
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            log_error("media %lld: cannot open %s: %s", (long long)id, path, strerror(errno));
            media_read_close(r);
            return PL_EINTERNAL;
        }
    }
    *out = r;
    return PL_OK;
}

/* Fetches chunk idx's ciphertext (expected `clen` bytes) into r->cipher. */
static int fetch_chunk(media_reader *r, int64_t idx, size_t clen)
{
    if (r->info.backend == MEDIA_FOLDER) {
        off_t at = (off_t)(idx * ((int64_t)r->info.chunk_size + TAG_BYTES));
        size_t got = 0;
        while (got < clen) {
            ssize_t n = pread(r->fd, r->cipher + got, clen - got, at + (off_t)got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += (size_t)n;
        }
        if (got != clen) {
            log_error("media %lld: chunk %lld is missing from its file", (long long)r->info.id,
                      (long long)idx);
            return PL_EINTERNAL;
        }
        return PL_OK;
    }
    arena a = ARENA_INIT;
    const char *text = NULL;
    int rc = store_media_chunk_get(r->d, r->info.id, (int)idx, &a, &text);
    size_t n = 0;
    if (rc == PL_OK && (sodium_base642bin(r->cipher, (size_t)r->info.chunk_size + TAG_BYTES, text,
                                          strlen(text), NULL, &n, NULL, B64) != 0 ||
                        n != clen))
        rc = PL_EINTERNAL;
    arena_free(&a);
    if (rc) {
        log_error("media %lld: chunk %lld is missing or damaged (%s)", (long long)r->info.id,
                  (long long)idx, pl_strerror(rc));
        return rc == PL_ENOTFOUND ? PL_EINTERNAL : rc;
    }
    return PL_OK;
}

int media_read_next(media_reader *r, const uint8_t **piece, size_t *len)
{
    if (r->pos >= r->end) return 0;
    int64_t cs = r->info.chunk_size, idx = r->pos / cs, start = idx * cs;
    size_t plen = chunk_plain_len(&r->info, idx);
    int rc = fetch_chunk(r, idx, plen + TAG_BYTES);
    if (rc) return rc;
    uint8_t nonce[NONCE_BYTES], ad[64];
    chunk_nonce(nonce, idx);
    size_t adn = chunk_ad(ad, r->info.id, idx, idx == r->nchunks - 1);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(r->plain, NULL, NULL, r->cipher,
                                                   plen + TAG_BYTES, ad, adn, nonce, r->key) != 0) {
        log_error("media %lld: chunk %lld fails authentication", (long long)r->info.id,
                  (long long)idx);
        return PL_EINTERNAL;
    }
    int64_t stop = start + (int64_t)plen < r->end ? start + (int64_t)plen : r->end;
    *piece = r->plain + (r->pos - start);
    *len = (size_t)(stop - r->pos);
    r->pos = stop;
    return 1;
}

const media_info *media_reader_info(const media_reader *r)
{
    return &r->info;
}

void media_read_close(media_reader *r)
{
    if (!r) return;
    if (r->fd >= 0) close(r->fd);
    sodium_memzero(r->key, sizeof r->key);
    if (r->plain) sodium_memzero(r->plain, (size_t)r->info.chunk_size);
    free(r->plain);
    free(r->cipher);
    free(r);
}

/* ------------------------------------------------------------------------------------------ */
/* Deleting                                                                                    */
/* ------------------------------------------------------------------------------------------ */

int media_delete(media_store *m, db *d, int64_t id)
{
    /* the record as it is: one whose key is gone already (a delete stopped half-way) or that
     * is damaged is deleted all the same */
    arena a = ARENA_INIT;
    store_media_file f;
    int rc = store_media_file_get(d, id, &a, &f);
    bool in_folder = rc == PL_OK && strcmp(f.store, "database") != 0;
    arena_free(&a);
    if (rc) return rc;
    /* the key first: from here on whatever is left of the chunks is noise */
    rc = store_media_key_delete(d, id);
    if (rc == PL_OK) rc = store_media_file_delete(d, id);
    if (rc) return rc;
    if (in_folder) {
        char path[PATH_MAX + 32];
        folder_path(m->folder, id, path, sizeof path);
        if (unlink(path) != 0 && errno != ENOENT)
            log_warn("media %lld: its key is gone but %s stays: %s", (long long)id, path,
                     strerror(errno));
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Moving files between backends                                                               */
/* ------------------------------------------------------------------------------------------ */

/* Copies file id's chunks from its folder file into rows, and marks it "database", in one
 * transaction. */
static int move_one(const char *folder, db *d, int64_t id, uint8_t *cipher, char *b64,
                    size_t b64cap, char *err, size_t cap)
{
    arena a = ARENA_INIT;
    store_media_file f;
    int rc = db_begin(d);
    if (rc == PL_OK) rc = store_media_file_get(d, id, &a, &f);
    char path[PATH_MAX + 32];
    folder_path(folder, id, path, sizeof path);
    int fd = -1;
    if (rc == PL_OK && (f.chunk_size <= 0 || f.chunk_size > MAX_CHUNK_SIZE)) {
        snprintf(err, cap, "file %lld has a damaged record (chunk size %d)", (long long)id,
                 f.chunk_size);
        rc = PL_EINTERNAL;
    }
    if (rc == PL_OK && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(err, cap, "file %lld: cannot open %s: %s", (long long)id, path, strerror(errno));
        rc = PL_EINTERNAL;
    }
    if (rc == PL_OK) {
        media_info info = {.id = id, .size = f.size, .chunk_size = f.chunk_size};
        int64_t n = chunk_count(f.size, f.chunk_size);
        for (int64_t i = 0; rc == PL_OK && i < n; i++) {
            size_t clen = chunk_plain_len(&info, i) + TAG_BYTES;
            off_t at = (off_t)(i * ((int64_t)f.chunk_size + TAG_BYTES));
            if (clen > (size_t)MAX_CHUNK_SIZE + TAG_BYTES ||
                pread(fd, cipher, clen, at) != (ssize_t)clen) {
                snprintf(err, cap, "file %lld: %s is shorter than its record says", (long long)id,
                         path);
                rc = PL_EINTERNAL;
                break;
            }
            sodium_bin2base64(b64, b64cap, cipher, clen, B64);
            rc = store_media_chunk_put(d, id, (int)i, b64);
        }
        if (fd >= 0) close(fd);
    }
    if (rc == PL_OK) rc = store_media_file_set_store(d, id, "database");
    if (rc == PL_OK) rc = db_commit(d);
    if (rc) {
        db_rollback(d);
        if (!err[0]) snprintf(err, cap, "file %lld: %s", (long long)id, pl_strerror(rc));
    }
    arena_free(&a);
    return rc;
}

int media_folder_to_database(const char *folder, db *d, int64_t *moved, char *err, size_t cap)
{
    size_t ccap = (size_t)MAX_CHUNK_SIZE + TAG_BYTES;
    size_t b64cap = sodium_base64_ENCODED_LEN(ccap, B64);
    uint8_t *cipher = malloc(ccap);
    char *b64 = malloc(b64cap);
    int rc = cipher && b64 ? PL_OK : PL_ENOMEM;
    *moved = 0;
    err[0] = '\0';
    int64_t after = 0;
    while (rc == PL_OK) {
        arena a = ARENA_INIT;
        int64_t *ids;
        int n = 0;
        rc = store_media_files_page(d, "folder", after, 100, &a, &ids, &n);
        for (int i = 0; rc == PL_OK && i < n; i++) {
            rc = move_one(folder, d, ids[i], cipher, b64, b64cap, err, cap);
            if (rc == PL_OK) ++*moved;
            after = ids[i];
        }
        arena_free(&a);
        if (n < 100) break;
    }
    free(cipher);
    free(b64);
    return rc;
}
