/*
 * test_config.c — unit tests for src/config.c: defaults, the INI file, PARTYLINE_*
 * environment overrides and the error messages for bad input.
 *
 * INI files are written to a fresh temporary folder per test. Every PARTYLINE_* variable
 * of the calling environment is removed before the tests run, so a developer's shell
 * cannot change the results.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "store/model.h"

extern char **environ;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct fixture {
    char dir[64];
    char path[128];
    pl_config cfg;
    char err[256];
} fixture;

static int clear_partyline_env(void **state)
{
    (void)state;
    for (;;) {
        char name[256] = "";
        for (char **e = environ; *e; e++) {
            if (strncmp(*e, "PARTYLINE_", 10) != 0) continue;
            size_t n = strcspn(*e, "=");
            if (n >= sizeof name) continue;
            memcpy(name, *e, n);
            name[n] = '\0';
            break;
        }
        if (!name[0]) return 0;
        unsetenv(name);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/pl-config-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->path, sizeof f->path, "%s/partyline.ini", f->dir);
    config_defaults(&f->cfg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_ini(fixture *f, const char *text)
{
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static void assert_err_contains(const fixture *f, const char *part)
{
    if (!strstr(f->err, part)) fail_msg("error \"%s\" does not mention \"%s\"", f->err, part);
}

/* ------------------------------------------------------------------------------------------ */
/* Defaults                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_defaults_match_the_documented_values(void **state)
{
    fixture *f = *state;
    const pl_config *c = &f->cfg;
    assert_string_equal(c->listen, "127.0.0.1:8080");
    assert_string_equal(c->data_dir, "./data");
    assert_string_equal(c->base_url, "");
    assert_string_equal(c->instance_name, "partyline");
    assert_string_equal(c->contact_email, "");
    assert_int_equal(c->threads, 0);
    assert_int_equal(c->workers, 2);
    assert_false(c->public_read);
    assert_int_equal(c->max_body_bytes, 1 << 20);
    assert_int_equal(c->request_timeout, 300);
    assert_int_equal(c->media_picture_max_bytes, 16 << 20);
    assert_int_equal(c->media_file_max_bytes, 100 << 20);
    assert_int_equal(c->media_max_pixels, 33177600);
    assert_int_equal(c->max_characters, 5000);
    assert_int_equal(c->max_spoiler_characters, 500);
    assert_int_equal(c->max_profile_fields, 4);
    assert_int_equal(c->max_field_characters, 255);
    assert_int_equal(c->max_display_name, 30);
    assert_int_equal(c->max_note, 500);
    assert_int_equal(c->max_mentions, 50);
    assert_int_equal(c->max_tags, 50);
    assert_int_equal(c->max_list_ids, 100);
    assert_int_equal(c->max_lists, 100);
    assert_int_equal(c->max_list_members, 1000);
    assert_int_equal(c->max_list_title, 100);
    assert_int_equal(c->max_unread_count, 1000);
    assert_int_equal(c->max_pins, 5);
    assert_int_equal(c->top_max_candidates, 1000);
    assert_int_equal(c->search_rank_candidates, 1000);
    assert_int_equal(c->max_directory_offset, 10000);
    assert_int_equal(c->suggestions_candidates, 200);
    assert_int_equal(c->max_familiar_ids, 20);
    assert_int_equal(c->max_familiar_accounts, 40);
    assert_int_equal(c->max_featured_tags, 10);
    assert_int_equal(c->top_max_offset, 400);
    assert_int_equal(c->trends_statuses_hours, 24);
    assert_int_equal(c->catchup_max_items, 30);
    assert_int_equal(c->catchup_max_days, 7);
    assert_int_equal(c->catchup_reading_minutes, 10);
    assert_int_equal(c->catchup_words_per_minute, 200);
    assert_int_equal(c->poll_max_options, 4);
    assert_int_equal(c->poll_max_characters_per_option, 50);
    assert_int_equal(c->poll_min_expiration, 300);
    assert_int_equal(c->poll_max_expiration, 2629746);
    assert_int_equal(c->rate_limit_token, 3000);
    assert_int_equal(c->rate_limit_ip, 7500);
    assert_int_equal(c->rate_limit_window, 300);
    assert_string_equal(c->trusted_proxies, "");
    assert_int_equal(c->registrations, REG_OPEN);
    assert_string_equal(c->allowed_domains, "");
    assert_int_equal(c->registration_reason_max, 500);
    assert_int_equal(c->confirm_email, CONFIRM_AUTO);
    assert_int_equal(c->confirm_email_hours, 24);
    assert_int_equal(c->default_visibility, PL_VIS_COMPANY);
    assert_int_equal(c->confirm_resend_every, 60);
    assert_int_equal(c->unconfirmed_expire, 7 * 24 * 3600);
    assert_string_equal(c->smtp_url, "");
    assert_string_equal(c->smtp_from, "");
    assert_string_equal(c->smtp_user, "");
    assert_string_equal(c->smtp_password, "");
    assert_false(c->smtp_starttls);
    assert_int_equal(c->smtp_timeout, 30);
    assert_int_equal(c->mail_retry_seconds, 30);
    assert_int_equal(c->mail_max_attempts, 12);
    assert_int_equal(c->fanout_threshold, 2000);
    assert_int_equal(c->timeline_keep, 800);
}

static void test_finish_derives_base_url_from_listen(void **state)
{
    fixture *f = *state;
    config_finish(&f->cfg);
    assert_string_equal(f->cfg.base_url, "http://127.0.0.1:8080");
}

static void test_finish_keeps_an_explicit_base_url_without_trailing_slashes(void **state)
{
    fixture *f = *state;
    assert_int_equal(
        config_set(&f->cfg, "base_url", "https://social.example//", f->err, sizeof f->err), 0);
    config_finish(&f->cfg);
    assert_string_equal(f->cfg.base_url, "https://social.example");
}

static void test_example_ini_documents_the_defaults(void **state)
{
    fixture *f = *state;
    /* the shipped example sits at the repository root; tests run from there */
    char path[1024];
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/");
    snprintf(path, sizeof path, "%.*spartyline.example.ini", cut ? (int)(cut - me) : 0, me);
    if (access(path, R_OK) != 0) skip();
    assert_int_equal(config_load_file(&f->cfg, path, f->err, sizeof f->err), 0);
    pl_config defaults;
    config_defaults(&defaults);
    assert_memory_equal(&f->cfg, &defaults, sizeof defaults);
}

/* ------------------------------------------------------------------------------------------ */
/* INI file                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_file_sets_keys_of_every_kind(void **state)
{
    fixture *f = *state;
    write_ini(f, "; a comment\n"
                 "[server]\n"
                 "listen = 0.0.0.0:9000\n"
                 "data = /var/lib/partyline\n"
                 "public_read = true\n"
                 "\n"
                 "[limits]\n"
                 "max_characters = 1000\n"
                 "\n"
                 "[registrations]\n"
                 "registrations = approval\n"
                 "allowed_domains = example.com, example.org\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), 0);
    assert_string_equal(f->cfg.listen, "0.0.0.0:9000");
    assert_string_equal(f->cfg.data_dir, "/var/lib/partyline");
    assert_true(f->cfg.public_read);
    assert_int_equal(f->cfg.max_characters, 1000);
    assert_int_equal(f->cfg.registrations, REG_APPROVAL);
    assert_string_equal(f->cfg.allowed_domains, "example.com, example.org");
}

static void test_file_leaves_keys_it_does_not_mention(void **state)
{
    fixture *f = *state;
    write_ini(f, "[limits]\nmax_note = 99\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), 0);
    pl_config expected;
    config_defaults(&expected);
    expected.max_note = 99;
    assert_memory_equal(&f->cfg, &expected, sizeof expected);
}

static void test_media_limits_are_read_from_the_file(void **state)
{
    fixture *f = *state;
    write_ini(f, "[limits]\nmedia_picture_max_bytes = 1000\nmedia_file_max_bytes = 2000\n"
                 "media_max_pixels = 3000\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.media_picture_max_bytes, 1000);
    assert_int_equal(f->cfg.media_file_max_bytes, 2000);
    assert_int_equal(f->cfg.media_max_pixels, 3000);
}

static void test_file_keys_need_no_section(void **state)
{
    fixture *f = *state;
    write_ini(f, "threads = 3\n[anything]\nworkers = 5\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.threads, 3);
    assert_int_equal(f->cfg.workers, 5);
}

static void test_missing_file_gives_a_message_naming_it(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), -1);
    assert_err_contains(f, "cannot open");
    assert_err_contains(f, f->path);
}

static void test_unknown_key_in_file_is_rejected_by_name(void **state)
{
    fixture *f = *state;
    write_ini(f, "[server]\nlisten = 1.2.3.4:5\nmax_charaters = 10\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), -1);
    assert_err_contains(f, "unknown setting");
    assert_err_contains(f, "max_charaters");
}

static void test_bad_number_in_file_is_rejected_with_the_value(void **state)
{
    fixture *f = *state;
    write_ini(f, "[limits]\nmax_characters = lots\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), -1);
    assert_err_contains(f, "max_characters");
    assert_err_contains(f, "lots");
    assert_int_equal(f->cfg.max_characters, 5000);
}

static void test_syntax_error_in_file_names_the_line(void **state)
{
    fixture *f = *state;
    write_ini(f, "[server]\nthreads = 1\nthis line has no equals sign\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), -1);
    assert_err_contains(f, "line 3");
}

/* ------------------------------------------------------------------------------------------ */
/* Environment                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void test_env_overrides_keys_of_every_kind(void **state)
{
    fixture *f = *state;
    setenv("PARTYLINE_MAX_CHARACTERS", "1234", 1);
    setenv("PARTYLINE_PUBLIC_READ", "yes", 1);
    setenv("PARTYLINE_DATA", "/srv/pl", 1);
    setenv("PARTYLINE_REGISTRATIONS", "Closed", 1);
    setenv("PARTYLINE_FANOUT_THRESHOLD", "7", 1);
    int rc = config_load_env(&f->cfg, f->err, sizeof f->err);
    unsetenv("PARTYLINE_MAX_CHARACTERS");
    unsetenv("PARTYLINE_PUBLIC_READ");
    unsetenv("PARTYLINE_DATA");
    unsetenv("PARTYLINE_REGISTRATIONS");
    unsetenv("PARTYLINE_FANOUT_THRESHOLD");
    assert_int_equal(rc, 0);
    assert_int_equal(f->cfg.max_characters, 1234);
    assert_true(f->cfg.public_read);
    assert_string_equal(f->cfg.data_dir, "/srv/pl");
    assert_int_equal(f->cfg.registrations, REG_CLOSED);
    assert_int_equal(f->cfg.fanout_threshold, 7);
}

static void test_database_is_the_sqlite_file_in_data_unless_set(void **state)
{
    fixture *f = *state;
    char target[1200];
    assert_int_equal(config_set(&f->cfg, "data", "/srv/pl", f->err, sizeof f->err), 0);
    config_database_target(&f->cfg, target, sizeof target);
    assert_string_equal(target, "/srv/pl/partyline.db");
    assert_false(config_database_is_postgres(&f->cfg));
    setenv("PARTYLINE_DATABASE", "postgresql://pl@db.internal:5432/partyline", 1);
    int rc = config_load_env(&f->cfg, f->err, sizeof f->err);
    unsetenv("PARTYLINE_DATABASE");
    assert_int_equal(rc, 0);
    config_database_target(&f->cfg, target, sizeof target);
    assert_string_equal(target, "postgresql://pl@db.internal:5432/partyline");
    assert_true(config_database_is_postgres(&f->cfg));
    assert_int_equal(config_set(&f->cfg, "database", "/var/pl.db", f->err, sizeof f->err), 0);
    assert_false(config_database_is_postgres(&f->cfg));
}

static void test_env_wins_over_the_file(void **state)
{
    fixture *f = *state;
    write_ini(f, "[limits]\nmax_tags = 10\nmax_mentions = 11\n");
    assert_int_equal(config_load_file(&f->cfg, f->path, f->err, sizeof f->err), 0);
    setenv("PARTYLINE_MAX_TAGS", "20", 1);
    int rc = config_load_env(&f->cfg, f->err, sizeof f->err);
    unsetenv("PARTYLINE_MAX_TAGS");
    assert_int_equal(rc, 0);
    assert_int_equal(f->cfg.max_tags, 20);
    assert_int_equal(f->cfg.max_mentions, 11);
}

static void test_env_without_partyline_variables_changes_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_load_env(&f->cfg, f->err, sizeof f->err), 0);
    pl_config defaults;
    config_defaults(&defaults);
    assert_memory_equal(&f->cfg, &defaults, sizeof defaults);
}

static void test_bad_env_value_is_an_error_naming_the_key(void **state)
{
    fixture *f = *state;
    setenv("PARTYLINE_WORKERS", "-3", 1);
    int rc = config_load_env(&f->cfg, f->err, sizeof f->err);
    unsetenv("PARTYLINE_WORKERS");
    assert_int_equal(rc, -1);
    assert_err_contains(f, "workers");
    assert_err_contains(f, "-3");
}

static void test_empty_env_value_for_a_number_is_an_error(void **state)
{
    fixture *f = *state;
    setenv("PARTYLINE_THREADS", "", 1);
    int rc = config_load_env(&f->cfg, f->err, sizeof f->err);
    unsetenv("PARTYLINE_THREADS");
    assert_int_equal(rc, -1);
    assert_err_contains(f, "threads");
}

/* ------------------------------------------------------------------------------------------ */
/* config_set                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_set_rejects_an_unknown_key(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "data_dir", "/x", f->err, sizeof f->err), -1);
    assert_err_contains(f, "unknown setting \"data_dir\"");
    assert_int_equal(config_set(&f->cfg, "LISTEN", "x:1", f->err, sizeof f->err), -1);
    assert_string_equal(f->cfg.listen, "127.0.0.1:8080");
}

static void test_set_numbers_accept_zero_to_a_billion_only(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "threads", "0", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.threads, 0);
    assert_int_equal(config_set(&f->cfg, "max_body_bytes", "1000000000", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.max_body_bytes, 1000000000);
    static const char *const bad[] = {
        "-1", "1000000001", "12abc", "1.5", " ", "", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f->err[0] = '\0';
        if (config_set(&f->cfg, "max_note", bad[i], f->err, sizeof f->err) != -1)
            fail_msg("max_note accepted \"%s\"", bad[i]);
        assert_err_contains(f, "max_note");
    }
    assert_int_equal(f->cfg.max_note, 500);
}

static void test_set_booleans_accept_true_false_yes_no_one_zero(void **state)
{
    fixture *f = *state;
    static const char *const yes[] = {"true", "TRUE", "1", "yes", "Yes"};
    static const char *const no[] = {"false", "False", "0", "no", "NO"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(config_set(&f->cfg, "public_read", yes[i], f->err, sizeof f->err), 0);
        assert_true(f->cfg.public_read);
        assert_int_equal(config_set(&f->cfg, "public_read", no[i], f->err, sizeof f->err), 0);
        assert_false(f->cfg.public_read);
    }
    assert_int_equal(config_set(&f->cfg, "public_read", "maybe", f->err, sizeof f->err), -1);
    assert_err_contains(f, "expected true or false");
    assert_err_contains(f, "maybe");
}

static void test_set_registrations_accepts_the_three_modes(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "registrations", "closed", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.registrations, REG_CLOSED);
    assert_int_equal(config_set(&f->cfg, "registrations", "APPROVAL", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.registrations, REG_APPROVAL);
    assert_int_equal(config_set(&f->cfg, "registrations", "open", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.registrations, REG_OPEN);
    assert_int_equal(config_set(&f->cfg, "registrations", "invite", f->err, sizeof f->err), -1);
    assert_err_contains(f, "open, approval or closed");
    assert_int_equal(f->cfg.registrations, REG_OPEN);
}

static void test_set_strings_up_to_their_capacity(void **state)
{
    fixture *f = *state;
    char s[sizeof f->cfg.listen + 1];
    memset(s, 'x', sizeof s);
    s[sizeof f->cfg.listen - 1] = '\0'; /* exactly capacity - 1 characters: fits */
    assert_int_equal(config_set(&f->cfg, "listen", s, f->err, sizeof f->err), 0);
    assert_string_equal(f->cfg.listen, s);
    s[sizeof f->cfg.listen - 1] = 'x';
    s[sizeof f->cfg.listen] = '\0'; /* one more: refused, value unchanged */
    assert_int_equal(config_set(&f->cfg, "listen", s, f->err, sizeof f->err), -1);
    assert_err_contains(f, "listen: value longer than 127 bytes");
    assert_int_equal(strlen(f->cfg.listen), sizeof f->cfg.listen - 1);
}

static void test_confirm_email_is_auto_true_or_false(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "confirm_email", "true", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.confirm_email, CONFIRM_ON);
    assert_int_equal(config_set(&f->cfg, "confirm_email", "no", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.confirm_email, CONFIRM_OFF);
    assert_int_equal(config_set(&f->cfg, "confirm_email", "AUTO", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.confirm_email, CONFIRM_AUTO);
    assert_int_equal(config_set(&f->cfg, "confirm_email", "maybe", f->err, sizeof f->err), -1);
    assert_err_contains(f, "confirm_email: expected auto, true or false, got \"maybe\"");
}

static void test_default_visibility_is_company_public_unlisted_or_private(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "default_visibility", "public", f->err, sizeof f->err), 0);
    assert_int_equal(f->cfg.default_visibility, PL_VIS_PUBLIC);
    assert_int_equal(config_set(&f->cfg, "default_visibility", "Unlisted", f->err, sizeof f->err),
                     0);
    assert_int_equal(f->cfg.default_visibility, PL_VIS_UNLISTED);
    assert_int_equal(config_set(&f->cfg, "default_visibility", "private", f->err, sizeof f->err),
                     0);
    assert_int_equal(f->cfg.default_visibility, PL_VIS_PRIVATE);
    assert_int_equal(config_set(&f->cfg, "default_visibility", "company", f->err, sizeof f->err),
                     0);
    assert_int_equal(f->cfg.default_visibility, PL_VIS_COMPANY);
    /* direct and list posts name their people: no default can */
    assert_int_equal(config_set(&f->cfg, "default_visibility", "direct", f->err, sizeof f->err),
                     -1);
    assert_err_contains(
        f, "default_visibility: expected company, public, unlisted or private, got \"direct\"");
    assert_int_equal(f->cfg.default_visibility, PL_VIS_COMPANY);
}

static void test_confirming_follows_allowed_domains_unless_set(void **state)
{
    fixture *f = *state;
    config_finish(&f->cfg);
    assert_false(config_confirms_email(&f->cfg));
    snprintf(f->cfg.allowed_domains, sizeof f->cfg.allowed_domains, "example.com");
    assert_true(config_confirms_email(&f->cfg));
    f->cfg.confirm_email = CONFIRM_OFF;
    assert_false(config_confirms_email(&f->cfg));
    f->cfg.allowed_domains[0] = '\0';
    f->cfg.confirm_email = CONFIRM_ON;
    assert_true(config_confirms_email(&f->cfg));
}

static void test_a_ranked_search_scores_at_least_one_match(void **state)
{
    fixture *f = *state;
    assert_int_equal(config_set(&f->cfg, "search_rank_candidates", "0", f->err, sizeof f->err), 0);
    config_finish(&f->cfg);
    assert_int_equal(f->cfg.search_rank_candidates, 1);
    assert_int_equal(config_set(&f->cfg, "search_rank_candidates", "250", f->err, sizeof f->err),
                     0);
    config_finish(&f->cfg);
    assert_int_equal(f->cfg.search_rank_candidates, 250);
}

static void test_password_hash_memory_is_64_mib_and_kept_within_argon2s_bounds(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->cfg.password_hash_memory, 65536);
    assert_int_equal(config_set(&f->cfg, "password_hash_memory", "0", f->err, sizeof f->err), 0);
    config_finish(&f->cfg);
    assert_int_equal(f->cfg.password_hash_memory, 8);
    assert_int_equal(
        config_set(&f->cfg, "password_hash_memory", "999999999", f->err, sizeof f->err), 0);
    config_finish(&f->cfg);
    assert_int_equal(f->cfg.password_hash_memory, 4194304);
    assert_int_equal(config_set(&f->cfg, "password_hash_memory", "-1", f->err, sizeof f->err), -1);
    assert_non_null(strstr(f->err, "password_hash_memory"));
}

static void test_confirming_needs_a_relay_and_a_sender(void **state)
{
    fixture *f = *state;
    assert_int_equal(
        config_set(&f->cfg, "base_url", "https://social.example:8443", f->err, sizeof f->err), 0);
    config_finish(&f->cfg);
    assert_string_equal(f->cfg.smtp_from, "noreply@social.example");        /* no port */
    assert_int_equal(config_check_mail(&f->cfg, f->err, sizeof f->err), 0); /* nothing to send */
    snprintf(f->cfg.allowed_domains, sizeof f->cfg.allowed_domains, "example.com");
    assert_int_equal(config_check_mail(&f->cfg, f->err, sizeof f->err), -1);
    assert_err_contains(f, "smtp_url must name the mail relay");
    snprintf(f->cfg.smtp_url, sizeof f->cfg.smtp_url, "http://relay.example");
    assert_int_equal(config_check_mail(&f->cfg, f->err, sizeof f->err), -1);
    assert_err_contains(f, "smtp_url must start with smtp:// or smtps://");
    snprintf(f->cfg.smtp_url, sizeof f->cfg.smtp_url, "smtps://relay.example:465");
    assert_int_equal(config_check_mail(&f->cfg, f->err, sizeof f->err), 0);
    snprintf(f->cfg.smtp_from, sizeof f->cfg.smtp_from, "nobody");
    assert_int_equal(config_check_mail(&f->cfg, f->err, sizeof f->err), -1);
    assert_err_contains(f, "smtp_from must be an e-mail address");
}

static void test_error_message_is_truncated_to_the_callers_buffer(void **state)
{
    fixture *f = *state;
    char small[16];
    memset(small, '#', sizeof small);
    assert_int_equal(config_set(&f->cfg, "no_such_key_with_a_long_name", "v", small, sizeof small),
                     -1);
    assert_int_equal(strlen(small), sizeof small - 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_defaults_match_the_documented_values),
        T(test_password_hash_memory_is_64_mib_and_kept_within_argon2s_bounds),
        T(test_finish_derives_base_url_from_listen),
        T(test_finish_keeps_an_explicit_base_url_without_trailing_slashes),
        T(test_example_ini_documents_the_defaults),
        T(test_file_sets_keys_of_every_kind),
        T(test_file_leaves_keys_it_does_not_mention),
        T(test_media_limits_are_read_from_the_file),
        T(test_file_keys_need_no_section),
        T(test_missing_file_gives_a_message_naming_it),
        T(test_unknown_key_in_file_is_rejected_by_name),
        T(test_bad_number_in_file_is_rejected_with_the_value),
        T(test_syntax_error_in_file_names_the_line),
        T(test_env_overrides_keys_of_every_kind),
        T(test_database_is_the_sqlite_file_in_data_unless_set),
        T(test_env_wins_over_the_file),
        T(test_env_without_partyline_variables_changes_nothing),
        T(test_bad_env_value_is_an_error_naming_the_key),
        T(test_empty_env_value_for_a_number_is_an_error),
        T(test_set_rejects_an_unknown_key),
        T(test_set_numbers_accept_zero_to_a_billion_only),
        T(test_set_booleans_accept_true_false_yes_no_one_zero),
        T(test_set_registrations_accepts_the_three_modes),
        T(test_set_strings_up_to_their_capacity),
        T(test_confirm_email_is_auto_true_or_false),
        T(test_default_visibility_is_company_public_unlisted_or_private),
        T(test_confirming_follows_allowed_domains_unless_set),
        T(test_confirming_needs_a_relay_and_a_sender),
        T(test_a_ranked_search_scores_at_least_one_match),
        T(test_error_message_is_truncated_to_the_callers_buffer),
    };
    return cmocka_run_group_tests(tests, clear_partyline_env, NULL);
}
