/*
 * open.c — what every command-line tool does first: make the data folder (owner-only: it
 * holds password hashes, e-mails and direct messages), open and migrate the database, and
 * set up an app context that owns its transactions.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/channels.h"
#include "cli/cli.h"
#include "store/migrate.h"
#include "util/timeutil.h"

int cli_open(const pl_config *cfg, id_gen *ids, db **d, app_ctx *c, arena *a)
{
    if (mkdir(cfg->data_dir, 0700) && errno != EEXIST) {
        fprintf(stderr, "partyline: cannot create %s: %s\n", cfg->data_dir, strerror(errno));
        return -1;
    }
    /* The folder partyline makes is 0700. One that already existed is the operator's (it
     * may be shared, even /tmp): it is not changed, only reported; the files in it are
     * 0600 whatever the folder (sqlite.c). */
    struct stat st;
    if (!stat(cfg->data_dir, &st) && S_ISDIR(st.st_mode) && (st.st_mode & 077))
        fprintf(stderr,
                "partyline: warning: the data folder %s is open to others (mode %03o); "
                "its files are owner-only, but consider chmod 700 %s\n",
                cfg->data_dir, (unsigned)(st.st_mode & 0777), cfg->data_dir);
    char path[1200], err[256];
    config_database_target(cfg, path, sizeof path);
    if (db_open(path, 0, d, err, sizeof err)) {
        fprintf(stderr, "partyline: %s\n", err);
        return -1;
    }
    if (store_migrate(*d)) {
        fprintf(stderr, "partyline: could not migrate the database schema\n");
        db_close(*d);
        return -1;
    }
    *c = (app_ctx){.db = *d, .cfg = cfg, .ids = ids, .a = a, .now = time_now_ms(), .own_txn = true};
    /* the everyone channel exists from the first start (every account is in it) */
    if (channels_ensure_everyone(c) != PL_OK)
        fprintf(stderr, "partyline: warning: no everyone channel: %s\n",
                c->errmsg ? c->errmsg : "database error");
    return 0;
}
