/*
 * media_keys.c — the file store's master key: its file, the ids that say which master key
 * wrapped a file key, wrapping and unwrapping, and rotation. media.c holds the files.
 *
 * The master key is 32 random bytes in hex in a file: DATA/media.key by default, created at
 * the first start with mode 0600 — kept beside the media folder, not in it, so that a copy of
 * the folder holds nothing readable — or the file `media_master_key` names, which must exist.
 * A file key is stored wrapped by it (XChaCha20-Poly1305, a random nonce, the file id as
 * additional data) with the master key's id, a keyed hash of it, so that a rotation and a
 * server that meets a key it has not loaded know what wrapped what.
 *
 * A rotation writes the new key beside the old one (KEY.new), rewraps every key row in one
 * transaction, then renames KEY.new over KEY: stopped before the commit, KEY still opens
 * everything (and the .new is dropped at the next open); stopped after it, the rows name the
 * .new's id, and the next open — or the first read of a running server — takes it.
 *
 * Must never: write a key to a log; leave a key row wrapped by a key that is on no disk.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "media/media_internal.h"
#include "store/media.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"

static const char WRAP_AD[] = "partyline media key v1";
static const char KEY_ID_AD[] = "partyline media master key id";

static void master_key_id(const uint8_t key[KEY_BYTES], char out[KEY_ID_CHARS + 1])
{
    uint8_t h[KEY_ID_CHARS / 2];
    crypto_generichash(h, sizeof h, (const uint8_t *)KEY_ID_AD, sizeof KEY_ID_AD - 1, key,
                       KEY_BYTES);
    sodium_bin2hex(out, KEY_ID_CHARS + 1, h, sizeof h);
}

void media_keys_current(media_store *m, uint8_t key[KEY_BYTES], char id[KEY_ID_CHARS + 1])
{
    pthread_mutex_lock(&m->lock);
    memcpy(key, m->key, KEY_BYTES);
    memcpy(id, m->key_id, KEY_ID_CHARS + 1);
    pthread_mutex_unlock(&m->lock);
}

/* Makes key the current master key; with `from_file`, it was just read from (or renamed to)
 * m->key_path, whose identity is noted for media_keys_for_writing. */
static void install_key(media_store *m, const uint8_t key[KEY_BYTES], const char *id,
                        bool from_file)
{
    struct stat st;
    bool seen = from_file && stat(m->key_path, &st) == 0;
    pthread_mutex_lock(&m->lock);
    memcpy(m->key, key, KEY_BYTES);
    snprintf(m->key_id, sizeof m->key_id, "%s", id);
    if (seen) m->key_seen = st;
    pthread_mutex_unlock(&m->lock);
}

static int read_key_file(const char *path, uint8_t key[KEY_BYTES], char *err, size_t cap);

/* A key row names a master key this store has not loaded: a rotation ran since it opened
 * (`admin rotate-media-key` while the server runs). Reads the key file again, and its ".new"
 * (a rotation between its commit and its rename); installs and returns the one with that id.
 * 0, or -1 when neither is it. */
static int reload_key(media_store *m, const char *want, uint8_t key[KEY_BYTES])
{
    char pending[PATH_MAX + 8], err[256], id[KEY_ID_CHARS + 1];
    snprintf(pending, sizeof pending, "%s.new", m->key_path);
    const char *paths[] = {m->key_path, pending};
    for (int i = 0; i < 2; i++) {
        if (read_key_file(paths[i], key, err, sizeof err) != 0) continue;
        master_key_id(key, id);
        if (!strcmp(id, want)) {
            install_key(m, key, id, i == 0);
            log_warn("media: master key %s read again from %s (it was rotated)", id, paths[i]);
            return 0;
        }
    }
    sodium_memzero(key, KEY_BYTES);
    return -1;
}

/* Reads a master key file (64 hex digits, surrounding white space allowed). 0, or -1 with a
 * sentence in err; errno ENOENT is left for a missing file. */
static int read_key_file(const char *path, uint8_t key[KEY_BYTES], char *err, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, cap, "cannot read the media master key %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    char text[256];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, cap, "cannot read the media master key %s: %s", path, strerror(errno));
        errno = EIO;
        return -1;
    }
    text[n] = '\0';
    size_t got = 0;
    const char *end = NULL;
    const char *start = text + strspn(text, " \t\r\n");
    if (sodium_hex2bin(key, KEY_BYTES, start, strlen(start), NULL, &got, &end) != 0 ||
        got != KEY_BYTES || end[strspn(end, " \t\r\n")] != '\0') {
        sodium_memzero(text, sizeof text);
        snprintf(err, cap, "the media master key %s is not 32 bytes in hex (64 digits)", path);
        errno = EINVAL;
        return -1;
    }
    sodium_memzero(text, sizeof text);
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        log_warn("the media master key %s can be read by others than its owner (mode %03o)", path,
                 (unsigned)(st.st_mode & 0777));
    return 0;
}

/* Writes key to path through a temporary name and a rename, mode 0600, durable. With
 * `exclusive`, fails with EEXIST when path exists (the first start of two processes). */
static int write_key_file(const char *path, const uint8_t key[KEY_BYTES], bool exclusive, char *err,
                          size_t cap)
{
    char tmp[PATH_MAX + 32], hex[KEY_BYTES * 2 + 2];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    sodium_bin2hex(hex, sizeof hex, key, KEY_BYTES);
    strcat(hex, "\n");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && fchmod(fd, 0600) == 0 &&
              write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0) close(fd);
    sodium_memzero(hex, sizeof hex);
    if (ok && exclusive) {
        /* link fails if path exists, so two first starts cannot both create a key */
        ok = link(tmp, path) == 0;
        e = errno;
        unlink(tmp);
    } else if (ok) {
        ok = rename(tmp, path) == 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        snprintf(err, cap, "cannot write the media master key %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    sync_dir(dir);
    return 0;
}

void media_keys_wrap(const uint8_t master[KEY_BYTES], int64_t id, const uint8_t key[KEY_BYTES],
                     char *out, size_t cap)
{
    uint8_t w[WRAPPED_BYTES], ad[sizeof WRAP_AD - 1 + 8];
    memcpy(ad, WRAP_AD, sizeof WRAP_AD - 1);
    put_le64(ad + sizeof WRAP_AD - 1, (uint64_t)id);
    randombytes_buf(w, NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(w + NONCE_BYTES, NULL, key, KEY_BYTES, ad, sizeof ad,
                                               NULL, w, master);
    sodium_bin2base64(out, cap, w, sizeof w, B64);
}

int media_keys_unwrap(const uint8_t master[KEY_BYTES], int64_t id, const char *wrapped,
                      uint8_t key[KEY_BYTES])
{
    uint8_t w[WRAPPED_BYTES], ad[sizeof WRAP_AD - 1 + 8];
    size_t n = 0;
    if (!wrapped ||
        sodium_base642bin(w, sizeof w, wrapped, strlen(wrapped), NULL, &n, NULL, B64) != 0 ||
        n != sizeof w)
        return -1;
    memcpy(ad, WRAP_AD, sizeof WRAP_AD - 1);
    put_le64(ad + sizeof WRAP_AD - 1, (uint64_t)id);
    return crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, w + NONCE_BYTES,
                                                      KEY_BYTES + TAG_BYTES, ad, sizeof ad, w,
                                                      master) == 0
               ? 0
               : -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Rotating the master key                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Rewraps key rows wrapped by `from` under `next`, in one transaction of its own: every row
 * (a row wrapped by another key then stops it, nothing changed), or with `only` just the rows
 * that name from_id. */
static int rewrap(db *d, const uint8_t from[KEY_BYTES], const char *from_id, bool only,
                  const uint8_t next[KEY_BYTES], const char *next_id, int64_t *count, char *err,
                  size_t cap)
{
    int64_t after = 0, done = 0;
    int rc = db_begin(d);
    while (rc == PL_OK) {
        arena a = ARENA_INIT;
        store_media_key *rows;
        int n = 0;
        rc = store_media_keys_page(d, only ? from_id : NULL, after, ROTATE_PAGE, &a, &rows, &n);
        for (int i = 0; rc == PL_OK && i < n; i++) {
            uint8_t key[KEY_BYTES];
            if (strcmp(rows[i].master_key_id, from_id) != 0 ||
                media_keys_unwrap(from, rows[i].file_id, rows[i].wrapped, key) != 0) {
                snprintf(err, cap,
                         "the key of file %lld was wrapped by master key %s, not by the one "
                         "loaded (%s); nothing was changed",
                         (long long)rows[i].file_id, rows[i].master_key_id, from_id);
                rc = PL_EINTERNAL;
                break;
            }
            char wrapped[sodium_base64_ENCODED_LEN(WRAPPED_BYTES, B64)];
            media_keys_wrap(next, rows[i].file_id, key, wrapped, sizeof wrapped);
            sodium_memzero(key, sizeof key);
            rc = store_media_key_rewrap(d, rows[i].file_id, next_id, wrapped);
            after = rows[i].file_id;
        }
        arena_free(&a);
        if (rc == PL_OK) done += n;
        if (rc || n < ROTATE_PAGE) break;
    }
    if (rc == PL_OK) rc = db_commit(d);
    if (rc) {
        db_rollback(d);
        if (!err[0]) snprintf(err, cap, "rewrapping the file keys failed: %s", pl_strerror(rc));
        return rc;
    }
    *count += done;
    return PL_OK;
}

/* A rotation that committed and then stopped before it replaced the key file left the new
 * key at KEY.new, and the keys wrapped by it: finish it — rewrap what a server wrapped under
 * the old key meanwhile, then move the new key into place. A .new that no key uses is a
 * rotation that stopped before its commit: drop it. */
static int finish_rotation(media_store *m, db *d, char *err, size_t cap)
{
    char pending[PATH_MAX + 8], e2[256], id[KEY_ID_CHARS + 1], old_id[KEY_ID_CHARS + 1];
    snprintf(pending, sizeof pending, "%s.new", m->key_path);
    uint8_t key[KEY_BYTES], old[KEY_BYTES];
    if (!d || read_key_file(pending, key, e2, sizeof e2) != 0) return 0; /* none, or unusable */
    master_key_id(key, id);
    int rc = 0;
    if (store_media_key_in_use(d, id)) {
        int64_t n = 0;
        media_keys_current(m, old, old_id);
        if (rewrap(d, old, old_id, true, key, id, &n, err, cap) != PL_OK) {
            rc = -1;
        } else if (rename(pending, m->key_path) != 0) {
            snprintf(err, cap, "cannot move the rotated media master key %s into place: %s",
                     pending, strerror(errno));
            rc = -1;
        } else {
            char dir[PATH_MAX];
            dir_of(m->key_path, dir, sizeof dir);
            sync_dir(dir);
            install_key(m, key, id, true);
            log_warn("finished an interrupted rotation of the media master key (%s)", id);
        }
        sodium_memzero(old, sizeof old);
    } else {
        unlink(pending);
    }
    sodium_memzero(key, sizeof key);
    return rc;
}

void media_master_key_id(media_store *m, char out[MEDIA_KEY_ID_SIZE])
{
    uint8_t key[KEY_BYTES];
    media_keys_current(m, key, out);
    sodium_memzero(key, sizeof key);
}

int media_rotate_master_key(media_store *m, db *d, int64_t *rewrapped, char *err, size_t cap)
{
    uint8_t cur[KEY_BYTES], next[KEY_BYTES];
    char cur_id[KEY_ID_CHARS + 1], next_id[KEY_ID_CHARS + 1], pending[PATH_MAX + 8];
    media_keys_current(m, cur, cur_id);
    crypto_aead_xchacha20poly1305_ietf_keygen(next);
    master_key_id(next, next_id);
    snprintf(pending, sizeof pending, "%s.new", m->key_path);
    *rewrapped = 0;
    err[0] = '\0';
    int rc = PL_OK;
    /* the new key is on disk before any key depends on it */
    if (write_key_file(pending, next, false, err, cap) != 0) rc = PL_EINTERNAL;
    if (rc == PL_OK && (rc = rewrap(d, cur, cur_id, false, next, next_id, rewrapped, err, cap)))
        unlink(pending);
    /* committed: the keys are the new key's now; put it where the old one was */
    if (rc == PL_OK && rename(pending, m->key_path) != 0) {
        snprintf(err, cap,
                 "the keys are rewrapped but the new master key stays at %s (%s): the next "
                 "start moves it into place",
                 pending, strerror(errno));
        install_key(m, next, next_id, false);
        rc = PL_EINTERNAL;
    }
    if (rc == PL_OK) {
        char dir[PATH_MAX];
        dir_of(m->key_path, dir, sizeof dir);
        sync_dir(dir);
        install_key(m, next, next_id, true);
        /* a server that wrapped a new file's key just before the rename may commit it after
         * the rewrap: once its write has settled, rewrap what still names the old key (a
         * server looks at the key file before every wrap, so later writes use the new key) */
        struct timespec settle = {.tv_sec = ROTATE_SETTLE_MS / 1000,
                                  .tv_nsec = (ROTATE_SETTLE_MS % 1000) * 1000000L};
        nanosleep(&settle, NULL);
        if ((rc = rewrap(d, cur, cur_id, true, next, next_id, rewrapped, err, cap)))
            snprintf(err + strlen(err), cap - strlen(err),
                     "; the keys written during the rotation are still under the old key: "
                     "keep its file and try again");
    }
    sodium_memzero(cur, sizeof cur);
    sodium_memzero(next, sizeof next);
    if (rc && rc != PL_EINTERNAL) *rewrapped = 0;
    return rc;
}

int media_keys_open(media_store *m, bool named, db *d, char *err, size_t cap)
{
    if (read_key_file(m->key_path, m->key, err, cap) != 0) {
        /* the first start makes the key; a key named by the setting must exist (nodes that
         * share files must share it, so making a new one would only hide a mistake) */
        if (errno != ENOENT || named) return PL_EINVAL;
        crypto_aead_xchacha20poly1305_ietf_keygen(m->key);
        if (write_key_file(m->key_path, m->key, true, err, cap) != 0 &&
            (errno != EEXIST || read_key_file(m->key_path, m->key, err, cap) != 0))
            return PL_EINTERNAL;
    }
    master_key_id(m->key, m->key_id);
    struct stat st;
    if (stat(m->key_path, &st) == 0) m->key_seen = st;
    return finish_rotation(m, d, err, cap) ? PL_EINTERNAL : PL_OK;
}

void media_keys_for_writing(media_store *m, uint8_t key[KEY_BYTES], char id[KEY_ID_CHARS + 1])
{
    struct stat st;
    bool replaced = false;
    if (stat(m->key_path, &st) == 0) {
        pthread_mutex_lock(&m->lock);
        replaced = st.st_ino != m->key_seen.st_ino || st.st_dev != m->key_seen.st_dev ||
                   st.st_mtim.tv_sec != m->key_seen.st_mtim.tv_sec ||
                   st.st_mtim.tv_nsec != m->key_seen.st_mtim.tv_nsec;
        pthread_mutex_unlock(&m->lock);
    }
    char err[256], file_id[KEY_ID_CHARS + 1];
    if (replaced && read_key_file(m->key_path, key, err, sizeof err) == 0) {
        master_key_id(key, file_id);
        install_key(m, key, file_id, true);
        log_warn("media: master key %s read again from %s (it was rotated)", file_id, m->key_path);
    }
    media_keys_current(m, key, id);
}

int media_keys_find(media_store *m, const char *want, uint8_t key[KEY_BYTES])
{
    char id[KEY_ID_CHARS + 1];
    media_keys_current(m, key, id);
    if (!strcmp(id, want)) return 0;
    return reload_key(m, want, key);
}
