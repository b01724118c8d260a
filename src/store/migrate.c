/*
 * migrate.c — schema migrations: brings a database's schema up to date on every start.
 *
 * Migrations are .sql files under src/store/migrations/<driver>/, embedded into the binary
 * at build time (scripts/embed-sql.sh) and applied in order inside one transaction each;
 * schema_version records how many ran. A database made by a newer binary (more
 * migrations than this one knows) is refused rather than run against a schema it does not
 * know.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "store/query.h"
#include "util/log.h"

extern const char *const migrations_sqlite[];
extern const char *const migrations_postgres[];

int store_migrate(db *d)
{
    const char *const *list =
        strcmp(db_driver_name(d), "postgres") ? migrations_sqlite : migrations_postgres;
    if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
        return PL_EDB;
    int64_t have = 0;
    {
        PREPARE(s, d, "SELECT version FROM schema_version");
        if (db_step(s) == DB_ROW)
            have = db_col_i64(s, 0);
        else {
            db_reset(s);
            PREPARE(ins, d, "INSERT INTO schema_version (version) VALUES (0)");
            if (db_step_done(ins)) return PL_EDB;
        }
        db_reset(s);
    }
    int64_t count = 0;
    while (list[count]) count++;
    if (have > count) {
        log_error("event=migration_refused schema=%lld binary=%lld msg=\"the database was made "
                  "by a newer partyline\"",
                  (long long)have, (long long)count);
        return PL_EDB;
    }
    for (int64_t i = have; list[i]; i++) {
        if (db_begin(d)) return PL_EDB;
        if (db_exec(d, list[i])) {
            db_rollback(d);
            log_error("event=migration_failed version=%lld", (long long)i + 1);
            return PL_EDB;
        }
        db_stmt *s = db_prepare(d, "UPDATE schema_version SET version = ?");
        if (!s) {
            db_rollback(d);
            return PL_EDB;
        }
        db_bind_i64(s, 1, i + 1);
        if (db_step_done(s) || db_commit(d)) {
            db_rollback(d);
            return PL_EDB;
        }
        log_info("event=migrated version=%lld", (long long)i + 1);
    }
    return PL_OK;
}
