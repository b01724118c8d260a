/*
 * main.c — the partyline command line:
 *
 *   partyline serve [--config FILE] [--listen HOST:PORT] [--data DIR]
 *   partyline demo --data DIR
 *   partyline bench-data --data DIR --users N --posts M --tokens FILE [--engagements E]
 *                        [--service [--watch-days D]]
 *   partyline migrate --from DATA_DIR --to postgres://… [--media-store folder|database]
 *   partyline admin create-user|set-password|disable-user|enable-user|list-users|list-pending|
 *                   announce|list-announcements|delete-announcement …
 *   partyline routes
 *
 * Settings: defaults < --config FILE < PARTYLINE_* environment < flags.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "api/api.h"
#include "cli/cli.h"
#include "config.h"
#include "http/server.h"
#include "pictures/pictures.h"
#include "util/log.h"
#include "util/timeutil.h"

static void usage(FILE *f)
{
    fputs(
        "usage:\n"
        "  partyline serve [--config FILE] [--listen HOST:PORT] [--data DIR]\n"
        "  partyline demo [--data DIR]\n"
        "  partyline bench-data [--data DIR] --users N --posts M --tokens FILE [--engagements E]\n"
        "                       [--service [--watch-days D]]\n"
        "  partyline migrate --from DATA_DIR --to postgres://USER@HOST:PORT/DB\n"
        "                    [--media-store folder|database] [--media-folder DIR]\n"
        "  partyline admin create-user --username U --email E --password P [--admin]\n"
        "  partyline admin set-password --username U --password P\n"
        "  partyline admin approve-user|disable-user|enable-user --username U\n"
        "  partyline admin list-users\n"
        "  partyline admin list-pending\n"
        "  partyline admin announce --text T [--starts-at TIME] [--ends-at TIME] [--all-day]\n"
        "  partyline admin list-announcements\n"
        "  partyline admin delete-announcement --id N\n"
        "  partyline admin rotate-media-key\n"
        "  partyline admin move-media-to-database\n"
        "  partyline admin audit verify\n"
        "  partyline admin audit export [--since TIME] [--until TIME]\n"
        "  partyline admin export --since TIME --until TIME [--username U ...] [--channel C ...]\n"
        "                         [--words W] --out FILE.zip\n"
        "  partyline routes   (every API route: method, path, who may call, OAuth scope)\n"
        "(every command also takes --config FILE and --data DIR)\n",
        f);
}

/* Finds "--name VALUE" in argv; NULL if absent. */
static const char *flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc - 1; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static int load_config(pl_config *cfg, int argc, char **argv)
{
    char err[512];
    config_defaults(cfg);
    const char *file = flag(argc, argv, "--config");
    if (file && config_load_file(cfg, file, err, sizeof err)) goto fail;
    if (config_load_env(cfg, err, sizeof err)) goto fail;
    const char *v;
    if ((v = flag(argc, argv, "--listen")) && config_set(cfg, "listen", v, err, sizeof err))
        goto fail;
    if ((v = flag(argc, argv, "--data")) && config_set(cfg, "data", v, err, sizeof err)) goto fail;
    config_finish(cfg);
    return 0;
fail:
    fprintf(stderr, "partyline: %s\n", err);
    return -1;
}

/* One line per API route, tab-separated: method, pattern, who may call, scope. Tests read it
 * (tests/api/scopes.test.mjs walks every route with tokens of every scope). */
static int print_routes(void)
{
    static const char *const auth[] = {"none", "optional", "app", "user", "unconfirmed"};
    for (int i = 0; i < api_route_count(); i++) {
        const api_route *r = api_route_at(i);
        printf("%s\t%s\t%s\t%s\n", api_method_name(r->method), r->pattern, auth[r->auth], r->scope);
    }
    return fflush(stdout) ? 1 : 0;
}

/* Whether argv[2..] are only flags named in names, each followed by its value. */
static bool only_flags(int argc, char **argv, const char *const *names)
{
    for (int i = 2; i < argc; i += 2) {
        bool known = false;
        for (const char *const *n = names; *n; n++) known |= !strcmp(argv[i], *n);
        if (!known || i + 1 >= argc) return false;
    }
    return true;
}

static int serve(const pl_config *cfg, id_gen *ids)
{
    char err[512];
    if (config_check_mail(cfg, err, sizeof err)) {
        fprintf(stderr, "partyline: %s\n", err);
        return 2;
    }
    db *d;
    app_ctx c;
    arena a = ARENA_INIT;
    if (cli_open(cfg, ids, &d, &c, &a)) return 1;
    db_close(d);
    arena_free(&a);
    return server_run(cfg, ids);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    /* Everything partyline writes (database files, bench-data tokens) is for its owner
     * only; sqlite.c and open.c also make sure of it for files and folders that exist. */
    umask(077);
    if (!strcmp(argv[1], "routes")) return print_routes();
    if (!strcmp(argv[1], "serve") || !strcmp(argv[1], "demo")) {
        /* a mistyped or unknown option must not start a server with the defaults */
        static const char *const known[] = {"--config", "--listen", "--data", NULL};
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                usage(stdout);
                return 0;
            }
        if (!only_flags(argc, argv, known)) {
            fprintf(stderr, "partyline %s: takes only --config FILE, --listen ADDR, --data DIR\n",
                    argv[1]);
            usage(stderr);
            return 2;
        }
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "partyline: libsodium failed to start\n");
        return 1;
    }
    pl_config cfg;
    if (load_config(&cfg, argc, argv)) return 2;
    id_gen ids;
    if (cfg.node_id > 15) {
        fputs("partyline: node_id must be between 0 and 15\n", stderr);
        return 2;
    }
    id_gen_init(&ids, (unsigned)cfg.node_id);
    id_gen_spread(&ids, (unsigned)getpid()); /* a command beside a server: not the same ids */
    const char *cmd = argv[1];
    if (!strcmp(cmd, "serve")) {
        /* before any thread: the workers draw the default avatars */
        if (pictures_init(argv[0])) return 1;
        return serve(&cfg, &ids);
    }
    if (!strcmp(cmd, "admin")) return cli_admin(&cfg, &ids, argc - 2, argv + 2);
    if (!strcmp(cmd, "demo")) return cli_demo(&cfg, &ids);
    if (!strcmp(cmd, "bench-data")) {
        const char *u = flag(argc, argv, "--users"), *p = flag(argc, argv, "--posts"),
                   *t = flag(argc, argv, "--tokens"), *e = flag(argc, argv, "--engagements");
        if (!u || !p || !t || atoi(u) < 2 || atoi(p) < 0 || (e && atoll(e) < 0)) {
            fputs("partyline bench-data: need --users N (>= 2) --posts M --tokens FILE "
                  "[--engagements E] [--service [--watch-days D]]\n",
                  stderr);
            return 2;
        }
        bool service = false; /* tickets and listening too (issue 16) */
        for (int i = 2; i < argc; i++) service |= !strcmp(argv[i], "--service");
        int rc = cli_bench_data(&cfg, &ids, atoi(u), atoi(p), e ? atoll(e) : 0, t);
        if (rc || !service) return rc;
        const char *wd = flag(argc, argv, "--watch-days"); /* 0: from the first post */
        return cli_bench_service(&cfg, &ids, atoi(u), atoi(p), wd ? atoi(wd) : 0);
    }
    if (!strcmp(cmd, "migrate")) {
        const char *from = flag(argc, argv, "--from"), *to = flag(argc, argv, "--to");
        if (!from || !to) {
            fputs("partyline migrate: need --from DATA_DIR --to postgres://…\n", stderr);
            return 2;
        }
        /* the source's folder: --media-folder, else the media_folder setting, else FROM/media */
        char folder[2048];
        const char *mf = flag(argc, argv, "--media-folder");
        if (mf)
            snprintf(folder, sizeof folder, "%s", mf);
        else if (cfg.media_folder[0])
            snprintf(folder, sizeof folder, "%s", cfg.media_folder);
        else
            snprintf(folder, sizeof folder, "%s/media", from);
        return cli_migrate(from, to, flag(argc, argv, "--media-store"), folder);
    }
    fprintf(stderr, "partyline: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
}
