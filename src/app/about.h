/**
 * about.h — what the server says about itself beyond its settings: its rules
 * (GET /api/v1/instance/rules, and `rules` in the instance entities) and its longer
 * description (GET /api/v1/instance/extended_description).
 *
 * Both come from files the operator writes (`rules_file`, `extended_description_file`), read
 * when asked, so a change shows without a restart. Rules are one a line (empty lines and lines
 * starting with '#' skipped, and lines that are not UTF-8, with a log line), numbered from 1 in
 * file order: the id of a rule is its place. The description is written like a post and
 * rendered by the same safe renderer (render.c).
 */
#ifndef PL_ABOUT_H
#define PL_ABOUT_H

#include "app/app.h"

/** Bytes either file may hold (a longer one is read only this far, and a warning logged). */
enum { ABOUT_FILE_MAX = 65536 };
/** Rules read at most (the rest of a longer file is left out, with a warning). */
enum { ABOUT_RULES_MAX = 100 };

/** The rules, in the arena: *n of them (0 when no file is set). PL_EINTERNAL if the file is
 *  set but cannot be read (logged). */
int about_rules(app_ctx *c, const char **rules[], int *n);

/**
 * The extended description as HTML (empty when no file is set) and when it last changed (the
 * file's change time; 0 when no file is set). PL_EINTERNAL if the file is set but cannot be
 * read, or is not UTF-8 (logged).
 */
int about_extended_description(app_ctx *c, const char **html, int64_t *updated_at);

#endif
