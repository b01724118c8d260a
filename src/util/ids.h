/**
 * ids.h — 64-bit time-ordered identifiers: (milliseconds since the epoch << 16) | sequence.
 *
 * Ordering by id is ordering by creation time, so max_id/since_id paging is an index
 * range. A generator is owned by whoever creates it (main) and is safe to share between
 * threads. IDs travel as decimal strings in JSON, as Mastodon's do.
 */
#ifndef PL_IDS_H
#define PL_IDS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct id_gen {
    _Atomic uint64_t last; /**< the last id handed out */
    unsigned node;         /**< 0..15, mixed into the low bits so nodes never collide */
    unsigned start;        /**< where each millisecond's 12-bit sequence starts (0 unless spread) */
} id_gen;

void id_gen_init(id_gen *g, unsigned node);
/**
 * Spreads this generator's sequence away from other processes' of the same node number: a
 * command-line process writing beside a server (or beside another command) in the same
 * millisecond would otherwise make the very same id. Each millisecond's sequence starts at a
 * point chosen from salt (the process id) by Fibonacci hashing, so processes started one after
 * another land far apart (consecutive salts are 2481 of 4096 apart). Ids stay increasing.
 */
void id_gen_spread(id_gen *g, unsigned salt);
/** Returns a new id, strictly greater than every id this generator returned before. */
int64_t id_next(id_gen *g, int64_t now_ms);
/** The smallest id that could have been made at time ms (for time-range queries). */
int64_t id_floor_for_ms(int64_t ms);
/** The creation time of an id, in milliseconds. */
int64_t id_ms(int64_t id);
/** Parses a decimal id; false if s is not a positive 63-bit decimal number. */
bool id_parse(const char *s, int64_t *out);

#endif
