/**
 * changelog.h — a shared, bounded log of "this record changed", for caches in other threads.
 *
 * Writers append (kind, id) pairs after they commit; each reader keeps the sequence number
 * it has seen and, before it trusts its cache, applies what was appended since. If a reader
 * fell more than the log's capacity behind, it is told to drop its whole cache. Safe to use
 * from any thread (one mutex; appends and reads are short).
 */
#ifndef PL_CHANGELOG_H
#define PL_CHANGELOG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct changelog changelog;

enum { CHANGELOG_CAPACITY = 1 << 16 };

changelog *changelog_new(void);
void changelog_free(changelog *cl);
void changelog_append(changelog *cl, int kind, int64_t id);
/** The sequence number of the next append (what a fresh reader starts from). */
uint64_t changelog_head(changelog *cl);
/**
 * Calls fn for every entry appended since *seq and advances *seq. Returns false (calling
 * nothing) if entries since *seq were already overwritten: the reader must drop its cache.
 */
bool changelog_since(changelog *cl, uint64_t *seq, void (*fn)(int kind, int64_t id, void *ud),
                     void *ud);

#endif
