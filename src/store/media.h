/**
 * store/media.h — the rows of the encrypted file store (migration 041): a file's record
 * (media_files), its wrapped key (media_keys) and, for the database backend, its encrypted
 * chunks (media_chunks). The cryptography and the folder backend are src/media's; this
 * module only keeps rows, and never sees a key in the clear.
 *
 * Functions return PL_OK or a negative PL_E* code (util/err.h); PL_ENOTFOUND for a file that
 * has no row. Text read lives in the caller's arena. Writes run inside the caller's
 * transaction.
 */
#ifndef PL_STORE_MEDIA_H
#define PL_STORE_MEDIA_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/** A stored file's record with its wrapped key (strings in the caller's arena). */
typedef struct store_media_file {
    int64_t id;
    const char *store;         /**< "folder" or "database": where its chunks are */
    int64_t size;              /**< plaintext bytes */
    int chunk_size;            /**< plaintext bytes of every chunk but the last */
    int64_t created_at;        /**< ms */
    const char *master_key_id; /**< which master key wrapped its key; NULL without a key row */
    const char *wrapped_key;   /**< base64; NULL when the key was destroyed */
} store_media_file;

/** Inserts the record and the key row of a new file. PL_ECONFLICT if the id is taken. */
int store_media_file_insert(db *d, const store_media_file *f);
/** The record of file id with its key (NULL key fields if its key row is gone). */
int store_media_file_get(db *d, int64_t id, arena *a, store_media_file *out);
/** Deletes the key row of file id: its chunks can no longer be read, wherever they are. */
int store_media_key_delete(db *d, int64_t id);
/** Deletes the record of file id and its chunk rows. */
int store_media_file_delete(db *d, int64_t id);
/** Moves file id to another backend's name ("folder", "database"). */
int store_media_file_set_store(db *d, int64_t id, const char *store);

/** Stores chunk idx of file id (base64 of its ciphertext). */
int store_media_chunk_put(db *d, int64_t id, int idx, const char *data);
/** Chunk idx of file id, into the arena. PL_ENOTFOUND if it is missing. */
int store_media_chunk_get(db *d, int64_t id, int idx, arena *a, const char **data);

/** One key row, for a rotation of the master key. */
typedef struct store_media_key {
    int64_t file_id;
    const char *master_key_id;
    const char *wrapped;
} store_media_key;

/** Up to `limit` key rows with file_id > after, in file_id order, into the arena; only those
 *  wrapped by master key `only` unless it is NULL. */
int store_media_keys_page(db *d, const char *only, int64_t after, int limit, arena *a,
                          store_media_key **out, int *n);
/** Replaces the wrapped key of file id (a rotation). PL_ENOTFOUND if it has no key row. */
int store_media_key_rewrap(db *d, int64_t id, const char *master_key_id, const char *wrapped);
/** Whether any key is wrapped by master key `master_key_id`; false on a database error. */
bool store_media_key_in_use(db *d, const char *master_key_id);

/** Up to `limit` ids of files with store = `store` and id > after, in id order. */
int store_media_files_page(db *d, const char *store, int64_t after, int limit, arena *a,
                           int64_t **ids, int *n);

#endif
