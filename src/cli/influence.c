/*
 * influence.c — `partyline admin influence …` (app/influence.h; docs/influence.md):
 *
 *   recompute [--at TIME] [--batch N]  everyone's influence now (or as of TIME: how tests
 *                                      make a day pass), printing a summary line
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/influence.h"
#include "cli/cli.h"
#include "util/timeutil.h"

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static int fail(app_ctx *c, int rc)
{
    fprintf(stderr, "partyline admin influence: %s\n", c->errmsg ? c->errmsg : pl_strerror(rc));
    return 1;
}

static void checkpoint(void *ud, int64_t txn_ms)
{
    (void)txn_ms;
    db_checkpoint(ud, false, NULL);
}

static int recompute(app_ctx *c, int argc, char **argv)
{
    const char *when = opt(argc, argv, "--at"), *batch = opt(argc, argv, "--batch");
    int64_t at = 0;
    if (when && (time_parse_iso8601(when, &at) || at <= 0)) {
        fputs("partyline admin influence: --at must be a time like 2026-12-24T09:00:00Z or a "
              "date like 2026-12-24\n",
              stderr);
        return 2;
    }
    char who[64];
    snprintf(who, sizeof who, "cli pid %ld", (long)getpid());
    /* SQLite: no checkpoint inside a write's commit (after_batch does it outside, as a
     * server's checkpointer would) */
    bool sqlite = !strcmp(db_driver_name(c->db), "sqlite");
    if (sqlite && db_exec(c->db, "PRAGMA wal_autocheckpoint = 0")) return fail(c, PL_EDB);
    influence_opts o = {.at = at,
                        .who = who,
                        .batch = batch ? atoi(batch) : 0,
                        .after_batch = sqlite ? checkpoint : NULL,
                        .ud = c->db};
    influence_summary s;
    int rc = influence_compute(c, &o, &s);
    if (rc) return fail(c, rc);
    if (s.busy) {
        fputs("partyline admin influence: another computation is under way (a server's); try "
              "later\n",
              stderr);
        return 1;
    }
    printf("influence: %d people, %d with signals; %lld signals read, %lld counted; median raw "
           "%lld, 95th percentile %lld, beta %.3f; read %lld ms (signals %lld, posts %lld, "
           "choosing %lld), computed %lld ms, written %lld ms; longest transaction %lld ms\n",
           s.people, s.scored, (long long)s.signals, (long long)s.counted, (long long)s.median_raw,
           (long long)s.p95_raw, s.beta_milli / 1000.0, (long long)s.read_ms,
           (long long)s.signals_ms, (long long)s.posts_ms, (long long)s.choose_ms,
           (long long)s.compute_ms, (long long)s.write_ms, (long long)s.longest_txn_ms);
    return 0;
}

int cli_influence(app_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "recompute")) return recompute(c, argc, argv);
    fputs("partyline admin influence: recompute [--at TIME] [--batch N]\n", stderr);
    return 2;
}
