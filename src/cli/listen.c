/*
 * listen.c — `partyline admin listen …` (app/listening.h; docs/api.md "Listening"):
 *
 *   backfill --watch ID [--days N]   matches watch ID against the posts of the last N days
 *                                    (7 unless given; at most 14) and starts its spike state
 *                                    there, so it learns what is normal without waiting
 *   close [--now TIME]               hands the 5-minute buckets closed by now (or by TIME, an
 *                                    ISO 8601 time) to every watch's spike state, as the
 *                                    matcher does when a bucket closes; prints the alerts
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/listening.h"
#include "cli/cli.h"
#include "util/timeutil.h"

static const char *arg(int argc, char **argv, const char *name)
{
    for (int i = 2; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static int fail(app_ctx *c, int rc)
{
    fprintf(stderr, "partyline admin listen: %s\n", c->errmsg ? c->errmsg : pl_strerror(rc));
    return 1;
}

static int backfill(app_ctx *c, int argc, char **argv)
{
    const char *watch = arg(argc, argv, "--watch"), *days = arg(argc, argv, "--days");
    int64_t id = watch ? strtoll(watch, NULL, 10) : 0;
    int n = days ? atoi(days) : 7;
    if (id <= 0) {
        fputs("partyline admin listen: backfill needs --watch ID\n", stderr);
        return 2;
    }
    int matched = 0, alerts = 0;
    int rc = listen_backfill(c, id, n, &matched, &alerts);
    if (rc) return fail(c, rc);
    printf("watch %lld: %d matches kept from the last %d days, %d alerts\n", (long long)id, matched,
           n, alerts);
    return 0;
}

static int close_cmd(app_ctx *c, int argc, char **argv)
{
    const char *now = arg(argc, argv, "--now");
    if (now) {
        int64_t ms = 0;
        if (time_parse_iso8601(now, &ms) != 0 || ms <= 0) {
            fprintf(stderr, "partyline admin listen: --now %s is not an ISO 8601 time\n", now);
            return 2;
        }
        c->now = ms;
    }
    int alerts = 0;
    int rc = listen_close_buckets(c, listen_bucket_of(c->now) - 1, &alerts);
    if (rc) return fail(c, rc);
    printf("buckets closed: %d alerts\n", alerts);
    return 0;
}

int cli_listen(app_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "backfill")) return backfill(c, argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "close")) return close_cmd(c, argc, argv);
    fputs("partyline admin: listen backfill --watch ID [--days N] | listen close [--now TIME]\n",
          stderr);
    return 2;
}
