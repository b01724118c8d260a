/**
 * cli.h — the subcommands of the partyline binary other than serve: admin, demo,
 * bench-data, migrate. Each opens the database itself, runs through the app layer in its own
 * transactions, and prints what it did.
 */
#ifndef PL_CLI_H
#define PL_CLI_H

#include "app/app.h"

/** Opens (creating and migrating) DATA/partyline.db and fills an app context for a tool. */
int cli_open(const pl_config *cfg, id_gen *ids, db **d, app_ctx *c, arena *a);

int cli_admin(const pl_config *cfg, id_gen *ids, int argc, char **argv);
/** `admin rotate-media-key`: every file key rewrapped under a new master key (cli/media.c). */
int cli_media_rotate_key(const pl_config *cfg, db *d);
/** `admin move-media-to-database`: the folder backend's files into chunk rows. */
int cli_media_move_to_database(const pl_config *cfg, db *d);
/** `admin influence …` (cli/influence.c); argv[0] is "influence". */
int cli_influence(app_ctx *c, int argc, char **argv);
/** `partyline admin feeds list|refresh [--all]` (cli/feeds.c): 0, 1 on an error, 3 when a
 *  feed failed to refresh (its row says why). */
int cli_feeds(app_ctx *c, int argc, char **argv);
/** `partyline admin listen backfill --watch ID [--days N] | close [--now TIME]` (cli/listen.c):
 *  0, 1 on an error, 2 for a bad command line. */
int cli_listen(app_ctx *c, int argc, char **argv);
int cli_demo(const pl_config *cfg, id_gen *ids);
/** `bench-data` (cli/benchdata.c): users people, posts posts and, if engagements > 0, that
 *  many engagements over the last 120 days (issue 15, influence). */
int cli_bench_data(const pl_config *cfg, id_gen *ids, int users, int posts, long long engagements,
                   const char *tokens_file);
/** `bench-data --service` (cli/benchservice.c), after cli_bench_data built users people and
 *  posts posts: a service team, tickets in every state over the last 60 days, 1,000 watches
 *  and what the matcher keeps of them (issue 16). */
int cli_bench_service(const pl_config *cfg, id_gen *ids, int users, int posts, int watch_days);
/**
 * Copies the company in FROM_DIR/partyline.db into the (empty, or half-filled by an earlier
 * run of this command) database `to`, and verifies it. Then the files: with `media_to`
 * "database", the chunks of the files in `media_folder` (the source's folder backend) are
 * copied into the target's rows as they are, still encrypted (media_folder_to_database);
 * with "folder" (or NULL) they stay where they are, and the target serves them from the same
 * folder with the same master key. Returns the exit code: 0 when every table matches and
 * every file moved, 1 otherwise.
 */
int cli_migrate(const char *from_dir, const char *to, const char *media_to,
                const char *media_folder);

#endif
