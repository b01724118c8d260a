/**
 * store/migrate.h — the schema migrations (the .sql files of src/store/migrations/<driver>/,
 * embedded at build time).
 */
#ifndef PL_STORE_MIGRATE_H
#define PL_STORE_MIGRATE_H

#include "store/db.h"

/**
 * Brings the schema up to date, one transaction per migration, in order; safe to call on
 * every start (nothing to do is PL_OK). PL_EDB if a migration fails (that one is rolled back,
 * the ones before it stay) or if the database was made by a newer partyline (more migrations
 * than this binary knows: nothing is run).
 */
int store_migrate(db *d);

#endif
