/*
 * ids.c — time-ordered ids. The low 16 bits hold 4 bits of node number and a 12-bit
 * sequence; when one node makes more than 4096 ids in a millisecond the generator borrows
 * from the next millisecond, which keeps ids unique and increasing at the cost of a tiny
 * clock skew. A spread generator (id_gen_spread) starts each millisecond's sequence elsewhere
 * than 0, so that two processes of one node number rarely meet.
 */
#include "ids.h"

#include <stdlib.h>

void id_gen_init(id_gen *g, unsigned node)
{
    atomic_store(&g->last, 0);
    g->node = node & 15;
    g->start = 0;
}

void id_gen_spread(id_gen *g, unsigned salt)
{
    g->start = (unsigned)(((uint64_t)salt * 2654435761u) & 0xfff);
}

int64_t id_next(id_gen *g, int64_t now_ms)
{
    uint64_t base = ((uint64_t)now_ms << 16) | ((uint64_t)g->node << 12) | g->start;
    uint64_t last = atomic_load(&g->last);
    for (;;) {
        uint64_t next = base;
        if (next <= last) {
            next = last + 1;
            /* keep the node bits: skip over sequences that would wrap into them */
            if (((next >> 12) & 15) != g->node)
                next = (((last >> 16) + 1) << 16) | ((uint64_t)g->node << 12);
        }
        if (atomic_compare_exchange_weak(&g->last, &last, next)) return (int64_t)next;
    }
}

int64_t id_floor_for_ms(int64_t ms)
{
    return ms < 0 ? 0 : ms << 16;
}

int64_t id_ms(int64_t id)
{
    return id >> 16;
}

bool id_parse(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        if (v > (uint64_t)INT64_MAX / 10) return false;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > (uint64_t)INT64_MAX) return false;
    }
    if (v == 0) return false;
    *out = (int64_t)v;
    return true;
}
