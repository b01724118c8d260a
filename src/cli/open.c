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
#include "util/timeutil.h"

int cli_open(const pl_config *cfg, id_gen *ids, db **d, app_ctx *c, arena *a)
{
    if (mkdir(cfg->data_dir, 0700) && errno != EEXIST) {
        fprintf(stderr, "partyline: cannot create %s: %s\n", cfg->data_dir, strerror(errno));
        return -1;
    }
    /* the folder holds the database: an existing one others may enter is made owner-only */
    struct stat st;
    if (!stat(cfg->data_dir, &st) && S_ISDIR(st.st_mode) && (st.st_mode & 077)) {
        if (chmod(cfg->data_dir, 0700))
            fprintf(stderr,
                    "partyline: warning: %s is open to others (mode %03o) and its "
                    "permissions cannot be changed: %s\n",
                    cfg->data_dir, (unsigned)(st.st_mode & 0777), strerror(errno));
        else
            fprintf(stderr,
                    "partyline: warning: %s was open to others (mode %03o); "
                    "permissions set to 0700\n",
                    cfg->data_dir, (unsigned)(st.st_mode & 0777));
    }
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
