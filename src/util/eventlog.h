/**
 * eventlog.h — a shared, bounded log of live events ("status 42 was created"), for the
 * streaming connections of every event loop.
 *
 * Writers append events after their transaction commits; each event loop keeps the sequence
 * number it has read up to and takes what was appended since. A loop that fell more than the
 * log's capacity behind is told how many it missed (its clients miss those events; the
 * server counts them). Safe from any thread: one mutex, short critical sections, and a
 * reader with nothing new never takes it.
 */
#ifndef PL_EVENTLOG_H
#define PL_EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>

/** One event: what happened (a kind the store defines, see db.h) and to which records. */
typedef struct pl_event {
    int kind;
    int64_t id;         /**< the status or notification */
    int64_t account_id; /**< its author, recipient, or the account it concerns */
    int64_t aux;        /**< kind-specific (a status's visibility) */
} pl_event;

typedef struct eventlog eventlog;

enum { EVENTLOG_CAPACITY = 1 << 16 };

eventlog *eventlog_new(void);
void eventlog_free(eventlog *el);
void eventlog_append(eventlog *el, const pl_event *ev);
/** The sequence number of the next append (where a new reader starts). */
uint64_t eventlog_head(eventlog *el);
/**
 * Copies up to max events appended since *seq into out, advances *seq past them and returns
 * how many were copied. Events already overwritten are skipped: *missed receives their
 * number (0 normally).
 */
int eventlog_read(eventlog *el, uint64_t *seq, pl_event *out, int max, uint64_t *missed);

#endif
