/*
 * about.c — the server's rules and extended description, from the operator's files.
 *
 * Read on every request rather than loaded at start: they are asked for rarely (an app's
 * sign-up and "about" screens), the files are small and in the page cache, and an operator
 * who edits one expects to see the change without restarting. What a file holds is never
 * trusted as HTML: a rule is plain text (the JSON writer escapes it) and the description
 * goes through render_text like a post.
 */
#include "app/about.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/render.h"
#include "util/log.h"
#include "util/text.h"

/* The file's first ABOUT_FILE_MAX bytes into the arena, and its change time (ms). */
static int read_file(app_ctx *c, const char *path, const char *what, char **out, int64_t *mtime)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st)) {
        if (f) fclose(f);
        log_error("event=about_file_unreadable path=\"%s\"", path);
        return app_fail(c, PL_EINTERNAL, "The server's %s cannot be read", what);
    }
    char *text = arena_alloc(c->a, ABOUT_FILE_MAX + 1);
    size_t n = fread(text, 1, ABOUT_FILE_MAX, f);
    if (n == ABOUT_FILE_MAX && fgetc(f) != EOF) {
        log_info("event=about_file_truncated path=\"%s\" max=%d", path, ABOUT_FILE_MAX);
        /* cut before the last character, which may have been cut in two */
        while (n > 0 && ((unsigned char)text[n - 1] & 0xC0) == 0x80) n--;
        if (n > 0 && (unsigned char)text[n - 1] >= 0xC0) n--;
    }
    fclose(f);
    text[n] = '\0';
    *out = text;
    *mtime = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    return PL_OK;
}

int about_rules(app_ctx *c, const char **rules[], int *n)
{
    *n = 0;
    *rules = NULL;
    if (!c->cfg->rules_file[0]) return PL_OK;
    char *text;
    int64_t mtime;
    int rc = read_file(c, c->cfg->rules_file, "rules", &text, &mtime);
    if (rc) return rc;
    *rules = arena_alloc(c->a, sizeof **rules * ABOUT_RULES_MAX);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = '\0';
        while (*line == ' ' || *line == '\t') line++;
        if (!*line || *line == '#') continue;
        if (!text_is_valid_utf8(line, strlen(line))) { /* the JSON writer copies bytes */
            log_info("event=about_rule_skipped reason=\"not UTF-8\" rule=%d", *n + 1);
            continue;
        }
        if (*n == ABOUT_RULES_MAX) {
            log_info("event=about_rules_truncated max=%d", ABOUT_RULES_MAX);
            break;
        }
        (*rules)[(*n)++] = line;
    }
    return PL_OK;
}

int about_extended_description(app_ctx *c, const char **html, int64_t *updated_at)
{
    *html = "";
    *updated_at = 0;
    if (!c->cfg->extended_description_file[0]) return PL_OK;
    char *text;
    int rc = read_file(c, c->cfg->extended_description_file, "description", &text, updated_at);
    if (rc) return rc;
    render_out r;
    if (render_text(c, text, &r)) { /* the operator's file, not the request, is wrong */
        log_error("event=about_file_unreadable path=\"%s\" reason=\"not UTF-8\"",
                  c->cfg->extended_description_file);
        return app_fail(c, PL_EINTERNAL, "The server's description is not UTF-8");
    }
    *html = r.html;
    return PL_OK;
}
