/*
 * media.c — the file store's commands of `partyline admin`: rotate-media-key (a new master
 * key for every file key) and move-media-to-database (the folder's files into the database's
 * rows). Both run in transactions of their own through media/media.h, and the server may
 * keep running: a file is read from wherever its record says at that moment, and a server
 * that meets a key wrapped by a master key it has not loaded reads the key file again.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "media/media.h"

int cli_media_rotate_key(const pl_config *cfg, db *d)
{
    char err[512] = "";
    media_store *m;
    if (media_open(cfg, d, &m, err, sizeof err)) {
        fprintf(stderr, "partyline admin: %s\n", err);
        return 1;
    }
    char old_id[MEDIA_KEY_ID_SIZE], new_id[MEDIA_KEY_ID_SIZE];
    media_master_key_id(m, old_id);
    int64_t n = 0;
    int rc = media_rotate_master_key(m, d, &n, err, sizeof err);
    if (rc)
        fprintf(stderr, "partyline admin: rotate-media-key: %s\n", err);
    else {
        media_master_key_id(m, new_id);
        printf("rewrapped %lld file keys: master key %s replaced by %s\n", (long long)n, old_id,
               new_id);
    }
    media_close(m);
    return rc ? 1 : 0;
}

int cli_media_move_to_database(const pl_config *cfg, db *d)
{
    char folder[1100], err[512] = "";
    if (cfg->media_folder[0])
        snprintf(folder, sizeof folder, "%s", cfg->media_folder);
    else
        snprintf(folder, sizeof folder, "%s/media", cfg->data_dir);
    int64_t n = 0;
    if (media_folder_to_database(folder, d, &n, err, sizeof err)) {
        fprintf(stderr, "partyline admin: move-media-to-database stopped after %lld files: %s\n",
                (long long)n, err);
        return 1;
    }
    printf("moved %lld files from %s into the database (the folder's copies may go)\n",
           (long long)n, folder);
    return 0;
}
