/**
 * db.h — the small driver interface under the store.
 *
 * The store's SQL is written once, in portable SQL with '?' placeholders; a driver
 * (sqlite.c now, postgres.c later) runs it. A connection belongs to one thread at a time.
 * Statements are prepared once per connection and cached by the address of their SQL text,
 * so callers pass string literals and never free statements.
 *
 * Usage:
 *     db_stmt *s = db_prepare(db, "SELECT name FROM t WHERE id = ?");
 *     if (!s) return PL_EDB;
 *     db_bind_i64(s, 1, id);
 *     while ((rc = db_step(s)) == DB_ROW) { ... db_col_text(s, 0) ... }
 *     db_reset(s);
 * db_prepare() resets a cached statement that a caller left mid-iteration, so an early
 * return never leaves a statement busy.
 */
#ifndef PL_DB_H
#define PL_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/eventlog.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };
enum db_open_flags {
    DB_READONLY = 1,      /**< a reader: never writes */
    DB_NO_CHECKPOINT = 2, /**< commits never checkpoint the WAL (db_checkpoint does it) */
};

/**
 * Opens a connection. `target` is a SQLite file path (later also postgres://…).
 * Applies the driver's per-connection settings (WAL, busy timeout, foreign keys off).
 * Returns 0 and *out, or -1 with a message in err.
 */
int db_open(const char *target, int flags, db **out, char *err, size_t cap);
void db_close(db *d);

/**
 * Moves committed pages from the write-ahead log into the database (SQLite; a no-op
 * elsewhere) without blocking writers. With `restart`, also waits for readers so the log can
 * start over from its beginning (call it when the log has grown large). *wal_pages receives
 * the log's size in pages after the call.
 */
int db_checkpoint(db *d, bool restart, int *wal_pages);

/**
 * Live events between server processes: PostgreSQL's LISTEN/NOTIFY. db_supports_notify()
 * says whether the driver has them (SQLite: no; one process owns the file). db_notify sends
 * (outside or inside a transaction: delivered at commit); db_listen subscribes this
 * connection; db_wait_notify waits up to timeout_ms and returns 1 with the payload, 0 on a
 * time-out, or an error code.
 */
bool db_supports_notify(db *d);
int db_listen(db *d, const char *channel);
int db_notify(db *d, const char *channel, const char *payload);
int db_wait_notify(db *d, int timeout_ms, char *payload, size_t cap);

/** Runs SQL without results (DDL, several statements allowed). PL_OK or PL_EDB. */
int db_exec(db *d, const char *sql);
int db_begin(db *d); /**< starts a write transaction (BEGIN IMMEDIATE on SQLite) */
/** Starts a read transaction: one consistent snapshot, and locks taken once, not per statement. */
int db_begin_read(db *d);
/** Ends a read transaction. */
int db_end_read(db *d);
int db_commit(db *d);
/**
 * Asks db_commit to run fn on this connection just before the open transaction commits (once;
 * one fn per transaction, the last set wins; a ROLLBACK or BEGIN forgets it). If fn fails,
 * db_commit returns its error without committing, and the caller rolls back as for any failed
 * commit. The audit log chains its rows there (store/audit.c), so that the chain's head is
 * locked only for the end of a transaction.
 */
void db_before_commit(db *d, int (*fn)(db *d));
int db_rollback(db *d);
int db_savepoint(db *d);   /**< SAVEPOINT job */
int db_release(db *d);     /**< RELEASE job */
int db_rollback_to(db *d); /**< ROLLBACK TO job; RELEASE job */
/**
 * True when something failed since the last db_begin because of other transactions, not
 * because of what this one did: PostgreSQL chose it as a deadlock's victim or could not
 * serialize it (SQLSTATE class 40). Roll back and run the same work again. Never on SQLite,
 * whose one writer cannot deadlock.
 */
bool db_retryable(db *d);

/** Prepares (or fetches from the cache) the statement for this SQL; NULL on error (logged). */
db_stmt *db_prepare(db *d, const char *sql);
void db_bind_i64(db_stmt *s, int idx, int64_t v); /**< idx is 1-based */
void db_bind_text(db_stmt *s, int idx, const char *v,
                  int len); /**< copies; len -1 = strlen; NULL = SQL NULL */
void db_bind_null(db_stmt *s, int idx);
/** DB_ROW, DB_DONE, or PL_EDB (logged), PL_ECONFLICT on a unique-constraint violation,
 *  PL_ENOSPACE (logged) when the database's disk is full (SQLITE_FULL, SQLSTATE 53100). */
int db_step(db_stmt *s);
int64_t db_col_i64(db_stmt *s, int col);      /**< col is 0-based; NULL reads as 0 */
const char *db_col_text(db_stmt *s, int col); /**< NULL for SQL NULL; valid until next step/reset */
int db_col_len(db_stmt *s, int col);
bool db_col_is_null(db_stmt *s, int col);
void db_reset(db_stmt *s);
/** The connection a statement belongs to. */
db *db_stmt_db(db_stmt *s);

/** Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(db *d);
/** The driver's name: "sqlite" or "postgres". */
const char *db_driver_name(db *d);
/** Calls fn with the SQL text of every statement this connection has prepared and cached, in
 *  no order; fn must not prepare statements. For tests/unit/test_plans.c, which explains the
 *  very texts the store runs. */
void db_each_statement(db *d, void (*fn)(const char *sql, void *ud), void *ud);

/** How many times the cached statements whose SQL contains `piece` ran on this connection
 *  (a run: bound or stepped, then reset). For unit tests that bound a read's queries. */
long db_statement_runs(db *d, const char *piece);

/**
 * Change tracking for caches. Store functions that change a status or account row call
 * db_touch(); the server publishes the touched records to other threads' caches after the
 * transaction commits (db_touched / db_touched_clear). Recording is cheap and idempotent;
 * a touch whose transaction rolled back only costs a needless cache eviction.
 */
enum db_touch_kind { TOUCH_STATUS = 1, TOUCH_ACCOUNT = 2, TOUCH_EVERYTHING = 3 };
typedef struct db_touch_rec {
    int kind;
    int64_t id;
} db_touch_rec;
void db_touch(db *d, int kind, int64_t id);
/** The records touched since the last clear; *n entries. */
const db_touch_rec *db_touched(db *d, int *n);
void db_touched_clear(db *d);

/**
 * Live events for the streaming API. The store functions that create, edit or delete a status
 * or create a notification record an event here; after the transaction commits, the server
 * hands them to the event loops, which decide who hears of them (app/stream.c). Like touches
 * they are kept per connection; db_rollback_to drops those recorded since db_savepoint, and
 * the server drops them all when a transaction rolls back. Events carry ids only: whoever
 * receives one reads the records in its own snapshot.
 */
enum db_event_kind {
    EV_STATUS = 1,         /**< a status (or boost) was created: id, account_id = author */
    EV_STATUS_UPDATE = 2,  /**< a status was edited: id, account_id = author */
    EV_DELETE = 3,         /**< a status was deleted: id, author, aux = its visibility and
                                EV_DELETE_* flags (what its companion events below tell) */
    EV_DELETE_TO = 4,      /**< … and account_id was mentioned in it, a followers-only or list
                                post: aux = its author (follows its EV_DELETE) */
    EV_NOTIFICATION = 5,   /**< a notification: id, account_id = its recipient */
    EV_CONVERSATION = 6,   /**< a conversation changed: id, account_id = its participant */
    EV_TOKEN_REVOKED = 7,  /**< a token was revoked: id (0 = all of them), account_id = its owner */
    EV_DELETE_CHANNEL = 8, /**< … and it was shared to channel aux (not removed): id, author
                                (follows its EV_DELETE; a channel post is never direct, list or
                                followers-only, so the channel says who could see it) */
    EV_DELETE_LIST = 9,    /**< … and it was for the author's list aux (VIS_LIST) */
    EV_DELETE_REBLOG = 10, /**< … and it was a boost of status aux: id, booster */
    EV_ANNOUNCEMENT = 11,  /**< an announcement started at once: id (announcements.c) */
    EV_ANNOUNCEMENT_DELETE = 12,   /**< an announcement was deleted: id */
    EV_ANNOUNCEMENT_REACTION = 13, /**< a reaction came or went: id, account_id = the emoji's
                                        number in announcement_emoji (so that changes of one
                                        emoji are one event, db_event), aux = how many
                                        reacted so as the act left it (the last act's) */
    EV_DELETE_DIRECT_TO = 14,      /**< … and account_id was mentioned in it, a direct post: aux =
                                        its author (follows its EV_DELETE) */
};
/** EV_DELETE's aux: the visibility in the low byte, and which companion events follow. */
enum {
    EV_DELETE_VISIBILITY = 0xff,
    EV_DELETE_IN_CHANNEL = 0x100, /**< it was in a channel (EV_DELETE_CHANNEL unless removed) */
    EV_DELETE_FOR_LIST = 0x200,   /**< EV_DELETE_LIST follows */
    EV_DELETE_IS_REBLOG = 0x400,  /**< EV_DELETE_REBLOG follows */
};
void db_event(db *d, int kind, int64_t id, int64_t account_id, int64_t aux);
/** The events recorded since the last clear; *n entries. */
const pl_event *db_events(db *d, int *n);
void db_events_clear(db *d);

/** Runs a statement that returns nothing, after binding; convenience for one-shot writes. */
int db_step_done(db_stmt *s);

#endif
