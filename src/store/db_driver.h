/**
 * db_driver.h — what a database driver gives db.c; private to src/store.
 *
 * db.c owns what every driver shares: the dispatch, the statement cache (keyed by the address
 * of the SQL text) and the change tracking (db_touch). A driver owns the connection and the
 * native statements. Its connection and statement structs begin with `struct db` and
 * `struct db_stmt` below, so db.c hands the driver its own objects by a cast.
 */
#ifndef PL_DB_DRIVER_H
#define PL_DB_DRIVER_H

#include "store/db.h"

struct db_driver;

/** The part of a connection db.c manages; the first member of a driver's connection. */
struct db {
    const struct db_driver *drv;
    db_stmt **cache; /* open addressing by SQL text address; cap is a power of two */
    size_t cap, used;
    db_touch_rec *touched;
    int n_touched, cap_touched;
    pl_event *events;                      /* live events of the open transaction (db_event) */
    int n_events, cap_events, events_mark; /* mark: n_events at the last SAVEPOINT */
    bool retry; /* the last failure was transient (a deadlock, a serialization failure) */
    int (*before_commit)(db *d); /* db_before_commit's, for the open transaction, or NULL */
};

/** The part of a statement db.c manages; the first member of a driver's statement. */
struct db_stmt {
    const struct db_driver *drv;
    db *d;
    const char *sql; /* the cache key: the caller's literal */
    bool active;     /* bound or stepped since the last reset */
    long runs;       /* resets after a bind or a step: how often it ran (db_statement_runs) */
};

/**
 * A driver. open() returns a connection whose `struct db` the driver zeroed (db.c fills it);
 * prepare() returns a statement whose `struct db_stmt` db.c fills. The transaction SQL is
 * run through exec().
 */
struct db_driver {
    const char *name;
    int (*open)(const char *target, int flags, db **out, char *err, size_t cap);
    void (*close)(db *d); /* after db.c freed every cached statement */
    int (*exec)(db *d, const char *sql);
    db_stmt *(*prepare)(db *d, const char *sql);
    void (*finalize)(db_stmt *s);
    void (*bind_i64)(db_stmt *s, int idx, int64_t v);
    void (*bind_text)(db_stmt *s, int idx, const char *v, int len);
    void (*bind_null)(db_stmt *s, int idx);
    int (*step)(db_stmt *s);
    int64_t (*col_i64)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col);
    int (*col_len)(db_stmt *s, int col);
    bool (*col_is_null)(db_stmt *s, int col);
    void (*reset)(db_stmt *s);
    int64_t (*changes)(db *d);
    int (*checkpoint)(db *d, bool restart, int *wal_pages);
    /** LISTEN/NOTIFY (NULL when the database has none). */
    int (*listen)(db *d, const char *channel);
    int (*wait_notify)(db *d, int timeout_ms, char *payload, size_t cap);
    const char *sql_begin, *sql_begin_read, *sql_end_read;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_postgres_driver;

#endif
