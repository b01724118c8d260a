/**
 * media/media.h — the encrypted file store: where the bytes of uploaded files live, and the
 * only code that sees them in the clear on their way in and out.
 *
 * Every file is encrypted under a key of its own, in chunks of MEDIA_CHUNK_SIZE bytes, each
 * sealed on its own (XChaCha20-Poly1305, its index and whether it is the last bound in), so a
 * ranged read decrypts only the chunks it returns. File keys are wrapped by the master key
 * (a file of 0600 created at first start, or the file named by `media_master_key`); the
 * chunks go to the backend `media_store` names: `folder` (one file per stored file under
 * `media_folder`) or `database` (rows of media_chunks, so nodes share files with no shared
 * disk). A file's record says which backend holds it, so changing the setting leaves older
 * files readable. docs/ARCHITECTURE.md ("Files") explains the construction.
 *
 * What it is not: it knows nothing of attachments, content types, owners or audiences — the
 * app layer decides who may read a file before it asks. Ids are the caller's (an id_gen id).
 *
 * Threads: a media_store is shared by every thread once open. Its master key may change under
 * it: a key row that names another master key (a rotation ran elsewhere, e.g. `partyline
 * admin rotate-media-key` while the server runs) makes it read the key file again and take
 * the new key if it is that one — so a rotation needs no restart where the nodes read one key
 * file. A writer or a reader belongs to one thread and uses the db connection it was given,
 * which must stay open until it ends.
 *
 * Errors: PL_OK or a negative PL_E* code; PL_ENOSPACE when the disk (or the database) is full,
 * so that the API can answer 507; PL_ENOTFOUND for an unknown id; PL_EINTERNAL for a file
 * whose chunks are missing, damaged or were tampered with (nothing unauthenticated is ever
 * returned).
 */
#ifndef PL_MEDIA_H
#define PL_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store/db.h"

/** Plaintext bytes per chunk: what a ranged read decrypts at most beyond what it returns, at
 *  each end. Recorded with each file, so it may change without touching stored files. */
enum { MEDIA_CHUNK_SIZE = 64 * 1024 };

typedef struct media_store media_store;
typedef struct media_writer media_writer;
typedef struct media_reader media_reader;

/** Where a file's chunks are. */
enum media_backend { MEDIA_FOLDER = 0, MEDIA_DATABASE = 1 };

/** What the store knows of a file. */
typedef struct media_info {
    int64_t id;
    int64_t size;       /**< plaintext bytes */
    int64_t created_at; /**< ms */
    int chunk_size;
    enum media_backend backend;
} media_info;

/**
 * Opens the store the settings describe (media_store, media_folder, media_master_key; see
 * README): creates the media folder if need be (and removes from its tmp/ what writes stopped
 * by a crash left there over an hour ago), and reads the master key — creating it
 * (mode 0600) at the first start when media_master_key is not set. `d` is a connection that
 * may write, outside a transaction, or NULL: it is used once, to finish a rotation that was
 * stopped after its commit (a transaction of its own), if it finds one. Returns PL_OK and
 * *out, or an error with a sentence in err (an unknown media_store, a master key file that is
 * missing where named, unreadable or not 32 bytes in hex).
 */
int media_open(const pl_config *cfg, db *d, media_store **out, char *err, size_t cap);
void media_close(media_store *m);

/** The backend new files go to. */
enum media_backend media_default_backend(const media_store *m);

/* ---- writing ---------------------------------------------------------------------------- */

/**
 * Starts storing file `id` (a new id) in the default backend. Bytes are then given in pieces
 * of any size with media_write, and media_write_finish seals the last chunk and writes the
 * file's rows. With the database backend the chunks are written through `d` as they fill:
 * run the whole write inside one transaction. Whatever fails, call media_write_abort: no
 * partial file is left in the folder, and no chunk row (the caller rolls back its
 * transaction, and abort deletes the chunk rows it wrote).
 */
int media_write_begin(media_store *m, db *d, int64_t id, media_writer **out);
/** Adds len bytes. PL_ENOSPACE when the disk is full, PL_EDB, PL_EINTERNAL. */
int media_write(media_writer *w, const void *data, size_t len);
/**
 * Seals the last chunk, makes the folder's file durable (fsync, then renamed into place) and
 * inserts the record and the wrapped key. On success frees w and fills *out (may be NULL);
 * on failure w stays for media_write_abort.
 */
int media_write_finish(media_writer *w, media_info *out);
/** Throws away a write that did not finish (any file or chunk rows it made); frees w. */
void media_write_abort(media_writer *w);

/** Test hook: fails the folder writes of this store with errno `err_no` once `after` more
 *  bytes were written (0: at once), as a full disk would. err_no 0 turns it off. */
void media_test_fail_writes(media_store *m, int err_no, int64_t after);

/* ---- reading ---------------------------------------------------------------------------- */

/** The record of file id: PL_ENOTFOUND if there is none, or its key was destroyed. */
int media_info_get(media_store *m, db *d, int64_t id, media_info *out);

/**
 * Opens a ranged read of file id: `length` bytes from `offset` (length < 0: to the end; a
 * range that runs past the end is cut there). PL_EINVAL for an offset < 0 or beyond the end
 * (offset == size is an empty read). The reader then hands back plaintext pieces in order,
 * decrypting one chunk per call.
 */
int media_read_open(media_store *m, db *d, int64_t id, int64_t offset, int64_t length,
                    media_reader **out);
/**
 * The next piece: 1 with *piece and *len (valid until the next call), 0 at the end of the
 * range, or an error (PL_EINTERNAL: a chunk missing or failing authentication).
 */
int media_read_next(media_reader *r, const uint8_t **piece, size_t *len);
/** The whole file's record the reader reads (size, backend, …). */
const media_info *media_reader_info(const media_reader *r);
void media_read_close(media_reader *r);

/* ---- deleting --------------------------------------------------------------------------- */

/**
 * Deletes file id: its key row first, then its chunks (rows, or the folder's file) and its
 * record, in the caller's transaction. The folder's file is unlinked at once, so call it
 * in a transaction that will commit (a rollback would keep a record whose chunks are gone,
 * which reads as PL_EINTERNAL). PL_ENOTFOUND if there is no such file.
 */
int media_delete(media_store *m, db *d, int64_t id);

/* ---- the master key ----------------------------------------------------------------------- */

/**
 * Rewraps every file key under a new master key, in one transaction on `d`, without
 * touching any file; then replaces the master key file, waits a second and rewraps the keys
 * that servers wrapped under the old key meanwhile. The new key is written beside the old
 * one first (".new"), so a run stopped at any point leaves every key readable: before the
 * commit by the old key, after it by the new one (which media_open then moves into place).
 * *rewrapped receives the number of keys. A key wrapped by another master key stops it
 * (PL_EINTERNAL, nothing changed).
 */
int media_rotate_master_key(media_store *m, db *d, int64_t *rewrapped, char *err, size_t cap);

enum { MEDIA_KEY_ID_SIZE = 33 };
/** The current master key's id (what media_keys.master_key_id holds for keys it wraps): 32
 *  hex digits and a NUL into out. */
void media_master_key_id(media_store *m, char out[MEDIA_KEY_ID_SIZE]);

/* ---- moving files between backends ---------------------------------------------------------- */

/**
 * Moves every file of the folder backend whose ciphertext is in `folder` into the database
 * backend on `d`: its chunks are copied as they are (no key is needed: the bytes stay
 * encrypted) and its record says "database", one transaction per file, so a run stopped
 * anywhere is finished by running it again. The folder's files are left in place (delete
 * them once the copy is checked). *moved receives the count. For `partyline migrate`.
 */
int media_folder_to_database(const char *folder, db *d, int64_t *moved, char *err, size_t cap);

#endif
