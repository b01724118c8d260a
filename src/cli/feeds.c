/*
 * feeds.c — `partyline admin feeds …` (app/feed_sources.h; docs/api.md "Feeds"):
 *
 *   list               every feed: id, state, items kept, URL, and why it fails if it does
 *   refresh [--all]    fetches the feeds that are due now (every feed with --all), one at a
 *                      time, printing a line for each: what a polling thread does, by hand
 *
 * The lines are for a terminal: a feed's URL, title and error are escaped (text_escape_line),
 * so a feed cannot write to the terminal what it likes.
 */
#include <stdio.h>
#include <string.h>

#include "app/feed_sources.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"

static void print_line(const char *fmt_before, const char *s, const char *after)
{
    buf b = BUF_INIT;
    text_escape_line(s ? s : "", &b);
    printf("%s%s%s", fmt_before, buf_cstr(&b), after);
    buf_free(&b);
}

static int fail(app_ctx *c, int rc)
{
    fprintf(stderr, "partyline admin feeds: %s\n", c->errmsg ? c->errmsg : pl_strerror(rc));
    return 1;
}

static int list(app_ctx *c)
{
    pl_feed_source *s;
    int n;
    int rc = feed_sources_list(c, NULL, &s, &n);
    if (rc) return fail(c, rc);
    if (!n) puts("no feed: the company subscribes to none");
    for (int i = 0; i < n; i++) {
        printf("%lld\t%s\t%lld items\t", (long long)s[i].id, s[i].state, (long long)s[i].items);
        print_line("", s[i].url, "");
        print_line(*s[i].last_error ? "\t" : "", s[i].last_error, "\n");
    }
    return 0;
}

static int refresh(app_ctx *c, bool all)
{
    pl_feed_source *s;
    int n;
    int rc = all ? feed_sources_list(c, NULL, &s, &n)
                 : store_feed_sources_due(c->db, c->now, FEED_SOURCES_MAX, c->a, &s, &n);
    if (rc) return fail(c, rc);
    if (!n) puts("no feed is due");
    int failed = 0;
    for (int i = 0; i < n; i++) {
        c->now = time_now_ms();
        feed_refresh r;
        if ((rc = feed_sources_refresh(c, &s[i], NULL, &r))) return fail(c, rc);
        printf("%lld\t", (long long)s[i].id);
        print_line("", s[i].url, "\t");
        if (r.outcome == FEEDS_FAILED) {
            failed++;
            print_line("failed: ", r.error, "\n");
        } else if (r.outcome == FEEDS_NOT_MODIFIED) {
            puts("not modified");
        } else {
            printf("%d new of %d items\n", r.items_new, r.items_seen);
        }
    }
    return failed ? 3 : 0;
}

int cli_feeds(app_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "list")) return list(c);
    if (argc >= 2 && !strcmp(argv[1], "refresh"))
        return refresh(c, argc >= 3 && !strcmp(argv[2], "--all"));
    fputs("partyline admin: feeds list | feeds refresh [--all]\n", stderr);
    return 2;
}
