/**
 * store/pins.h — statuses pinned to their author's profile.
 *
 * As every store header: functions return PL_OK or a negative PL_E* code (util/err.h); what
 * they return lives in the caller's arena `a`; writes run inside the caller's transaction;
 * nothing checks permissions (the app layer does). See docs/ARCHITECTURE.md, "The store".
 */
#ifndef PL_STORE_PINS_H
#define PL_STORE_PINS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/model.h"
#include "util/arena.h"

/**
 * Pins status_id to account_id's profile, unless it is pinned already (PL_OK either way).
 * PL_ELIMIT, with nothing written, if the account has `max` pins already. On PostgreSQL the
 * account's row is locked until the transaction ends, so two writers pinning for one account
 * at once cannot both pass the count. Nothing here checks who wrote the status.
 * PL_ENOTFOUND if the account is gone; PL_ECONFLICT if the pin's id is taken.
 */
int store_pin_insert(db *d, int64_t id, int64_t account_id, int64_t status_id, int max,
                     int64_t now);
/** PL_OK whether or not the status was pinned by the account. */
int store_pin_delete(db *d, int64_t account_id, int64_t status_id);
/** Has the account pinned the status? False also on a database error. */
bool store_pinned(db *d, int64_t account_id, int64_t status_id);
/** How many statuses the account has pinned. */
int store_pins_count(db *d, int64_t account_id, int64_t *n);
/** The account's pinned statuses, newest pin first (keys: pin ids). */
int store_pins_of(db *d, int64_t account_id, const pl_page *p, arena *a, pl_idlist *out);
/** Every status the account pinned, ascending by status id (a viewer's own few pins). */
int store_pins_all(db *d, int64_t account_id, arena *a, int64_t **ids, int *n);

#endif
