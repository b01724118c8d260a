/**
 * store/meta.h — the key/value table `meta`, for what the database keeps about itself (the
 * instance's key, `partyline migrate`'s progress, the stream revocation mark).
 *
 * Functions return PL_OK or a negative PL_E* code (util/err.h); a value read lives in the
 * caller's arena. A write runs inside the caller's transaction if it opened one.
 */
#ifndef PL_STORE_META_H
#define PL_STORE_META_H

#include "store/db.h"
#include "util/arena.h"

/** The value of key, in the arena; PL_ENOTFOUND if it was never set. */
int store_meta_get(db *d, const char *key, arena *a, const char **value);
/** Sets key to value, replacing any value it had. */
int store_meta_set(db *d, const char *key, const char *value);

#endif
