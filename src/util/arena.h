/**
 * arena.h — a region allocator: a request allocates from its arena and frees nothing;
 * arena_free() releases everything at once when the request ends.
 *
 * Allocation aborts on out-of-memory (as buf.h does). Memory is 16-byte aligned.
 */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head; /**< newest block first */
} arena;

#define ARENA_INIT                                                                                 \
    {                                                                                              \
        NULL                                                                                       \
    }

/** Returns n zeroed bytes that live until arena_free(). */
void *arena_alloc(arena *a, size_t n);
/** A growing array's next home: a zeroed block of new_n elements of size bytes with the first
 *  old_n copied from old (which stays where it is, freed with the arena). */
void *arena_grow(arena *a, const void *old, size_t old_n, size_t new_n, size_t size);
/** Copies len bytes of s and appends a NUL. s may be NULL when len is 0. */
char *arena_strndup(arena *a, const char *s, size_t len);
/** Copies a NUL-terminated string; NULL stays NULL. */
char *arena_strdup(arena *a, const char *s);
/** printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Releases every allocation; the arena is empty and reusable afterwards. */
void arena_free(arena *a);

#endif
