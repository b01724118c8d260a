/*
 * media/media_internal.h — what the two files of the file store share, and nothing outside
 * src/media includes: the store's struct, the sizes of the construction, and the master key's
 * functions (media_keys.c) that media.c calls.
 */
#ifndef PL_MEDIA_INTERNAL_H
#define PL_MEDIA_INTERNAL_H

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "media/media.h"

enum {
    KEY_BYTES = crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    NONCE_BYTES = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    TAG_BYTES = crypto_aead_xchacha20poly1305_ietf_ABYTES,
    WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES,
    KEY_ID_CHARS = 32, /* 16 bytes of hash in hex */
    B64 = sodium_base64_VARIANT_ORIGINAL,
    ROTATE_PAGE = 500,
    ROTATE_SETTLE_MS = 1000,     /* a rotation's last sweep waits this long for writes under way */
    STALE_PART_MS = 3600 * 1000, /* a write in media_folder/tmp this old was abandoned */
    MAX_CHUNK_SIZE = 1 << 24,    /* a record saying more is damaged: no 2 GB buffer for it */
};

struct media_store {
    enum media_backend backend;
    char folder[PATH_MAX];
    char key_path[PATH_MAX];
    pthread_mutex_t lock; /* guards key and key_id: a rotation elsewhere makes them change */
    uint8_t key[KEY_BYTES];
    char key_id[KEY_ID_CHARS + 1];
    struct stat key_seen; /* the key file as it was when key was read from it (a rotation by
                             another process replaces it: media_keys_for_writing looks) */
    int fail_errno;       /* media_test_fail_writes */
    int64_t fail_after;
};

/* ---- the master key (media_keys.c) -------------------------------------------------------- */

/* Reads the master key at m->key_path into m — making it (0600) when it is missing and not
 * `named` by the setting — and finishes a rotation that stopped after its commit (d may be
 * NULL: then it does not look). PL_OK, or PL_EINVAL / PL_EINTERNAL with a sentence in err. */
int media_keys_open(media_store *m, bool named, db *d, char *err, size_t cap);
/* The master key now, copied out (another thread may replace it). */
void media_keys_current(media_store *m, uint8_t key[KEY_BYTES], char id[KEY_ID_CHARS + 1]);
/* The master key new file keys are wrapped by: the current one, unless the key file was
 * replaced since it was read (a rotation by another process), then the file's. */
void media_keys_for_writing(media_store *m, uint8_t key[KEY_BYTES], char id[KEY_ID_CHARS + 1]);
/* The master key whose id is `want` into key: the one loaded, or the key file read again
 * (a rotation ran since). 0, or -1 when neither is it. */
int media_keys_find(media_store *m, const char *want, uint8_t key[KEY_BYTES]);
/* Seals a file key under a master key: base64(nonce || sealed key) into out. */
void media_keys_wrap(const uint8_t master[KEY_BYTES], int64_t id, const uint8_t key[KEY_BYTES],
                     char *out, size_t cap);
/* Opens a wrapped file key. 0, or -1 when it does not open under this master key. */
int media_keys_unwrap(const uint8_t master[KEY_BYTES], int64_t id, const char *wrapped,
                      uint8_t key[KEY_BYTES]);

/* ---- small helpers both use ---------------------------------------------------------------- */

static inline void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Makes a rename or a new name in folder `dir` durable. */
static inline void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

static inline void dir_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash == out)
        out[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(out, cap, ".");
}

#endif
