/*
 * test_params.c — src/api/params.c: one way to read parameters whatever the encoding
 * (query string, JSON, form, multipart), with Rails-style bracket keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/api.h"

struct call {
    arena a;
    app_ctx app;
    api_req req;
    api_call c;
};

static api_call *parse(struct call *k, const char *query, const char *ctype, const char *body)
{
    memset(k, 0, sizeof *k);
    k->app.a = &k->a;
    k->req.query = query ? query : "";
    k->req.content_type = ctype;
    k->req.body = body;
    k->req.body_len = body ? strlen(body) : 0;
    k->c.app = &k->app;
    k->c.req = &k->req;
    return &k->c;
}

static void done(struct call *k)
{
    json_decref(k->c.in);
    arena_free(&k->a);
}

static void test_query_and_form_body_merge_with_body_winning(void **state)
{
    (void)state;
    struct call k;
    api_call *c = parse(&k, "a=1&b=query", "application/x-www-form-urlencoded", "b=body&c=x+y%21");
    assert_int_equal(api_parse_params(c), PL_OK);
    assert_string_equal(p_str(c, "a"), "1");
    assert_string_equal(p_str(c, "b"), "body");
    assert_string_equal(p_str(c, "c"), "x y!");
    done(&k);
}

static void test_bracket_keys_make_arrays_and_objects(void **state)
{
    (void)state;
    struct call k;
    api_call *c = parse(&k,
                        "id[]=1&id[]=2&fields_attributes[0][name]=Team"
                        "&fields_attributes[0][value]=Sales",
                        NULL, NULL);
    assert_int_equal(api_parse_params(c), PL_OK);
    json_t *ids = p_arr(c, "id");
    assert_int_equal(json_array_size(ids), 2);
    assert_string_equal(json_string_value(json_array_get(ids, 1)), "2");
    json_t *fields = p_arr(c, "fields_attributes");
    assert_int_equal(json_array_size(fields), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "value")),
                        "Sales");
    done(&k);
}

static void test_json_body_values_read_as_text_and_booleans(void **state)
{
    (void)state;
    struct call k;
    api_call *c = parse(&k, NULL, "application/json",
                        "{\"status\":\"hi\",\"sensitive\":true,"
                        "\"limit\":5}");
    assert_int_equal(api_parse_params(c), PL_OK);
    assert_string_equal(p_str(c, "status"), "hi");
    assert_int_equal(p_bool(c, "sensitive", 0), 1);
    assert_int_equal(p_int(c, "limit", 20), 5);
    assert_int_equal(p_bool(c, "missing", -1), -1);
    done(&k);
}

static void test_malformed_json_is_a_bad_request_with_a_reason(void **state)
{
    (void)state;
    struct call k;
    api_call *c = parse(&k, NULL, "application/json", "{\"status\": ");
    assert_int_equal(api_parse_params(c), PL_EBADREQ);
    assert_non_null(k.app.errmsg);
    assert_non_null(strstr(k.app.errmsg, "not valid JSON"));
    done(&k);
}

static void test_multipart_text_parts_are_parameters_and_files_are_parts(void **state)
{
    (void)state;
    struct call k;
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\n"
                       "Ada L.\r\n--XyZ\r\nContent-Disposition: form-data; name=\"avatar\"; "
                       "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG...\r\n"
                       "--XyZ--\r\n";
    api_call *c = parse(&k, NULL, "multipart/form-data; boundary=XyZ", body);
    assert_int_equal(api_parse_params(c), PL_OK);
    assert_string_equal(p_str(c, "display_name"), "Ada L.");
    assert_null(p_get(c, "avatar"));
    const api_file *f = p_file(c, "avatar");
    assert_non_null(f);
    assert_string_equal(f->filename, "a.png");
    assert_string_equal(f->content_type, "image/png");
    assert_int_equal(f->len, 6);
    assert_memory_equal(f->data, "PNG...", 6);
    done(&k);
}

/* A file's bytes are binary: NUL bytes and CR LF inside are kept, to the byte. Its name is
 * the last path segment, control characters dropped; a "filename" before "name" does not
 * shadow the part's name. */
static void test_multipart_file_part_keeps_binary_bytes_and_a_clean_name(void **state)
{
    (void)state;
    struct call k;
    static const char body[] =
        "--b\r\nContent-Disposition: form-data; filename=\"C:\\docs\\x\ty.pdf\"; name=\"file\"\r\n"
        "Content-Type: application/pdf\r\n\r\n\x00\x01\r\n\x00\xff\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nalt\r\n--b--\r\n";
    api_call *c = parse(&k, NULL, "multipart/form-data; boundary=b", NULL);
    k.req.body = body;
    k.req.body_len = sizeof body - 1;
    assert_int_equal(api_parse_params(c), PL_OK);
    const api_file *f = p_file(c, "file");
    assert_non_null(f);
    assert_int_equal(f->len, 6);
    assert_memory_equal(f->data, "\x00\x01\r\n\x00\xff", 6);
    assert_string_equal(f->filename, "xy.pdf");
    assert_string_equal(p_str(c, "description"), "alt");
    assert_null(p_file(c, "description"));
    done(&k);
}

/* A text part with a NUL byte is refused (a string parameter cannot hold it). */
static void test_multipart_text_part_with_a_nul_is_refused(void **state)
{
    (void)state;
    struct call k;
    static const char body[] = "--b\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\na\x00"
                               "b\r\n--b--\r\n";
    api_call *c = parse(&k, NULL, "multipart/form-data; boundary=b", NULL);
    k.req.body = body;
    k.req.body_len = sizeof body - 1;
    assert_int_equal(api_parse_params(c), PL_EBADREQ);
    done(&k);
}

static void test_invalid_utf8_in_a_form_value_is_refused(void **state)
{
    (void)state;
    struct call k;
    api_call *c = parse(&k, "status=%FF%FE", NULL, NULL);
    assert_int_equal(api_parse_params(c), PL_EBADREQ);
    done(&k);
}

static void test_p_arr_on_a_long_name_leaves_the_parameter_itself_alone(void **state)
{
    (void)state;
    char name[128];
    memset(name, 'k', 127);
    name[127] = '\0';
    arena a = ARENA_INIT;
    app_ctx app = {.a = &a};
    api_call c = {.app = &app};
    c.in = json_object();
    json_object_set_new(c.in, name, json_string("v"));
    json_t *arr = p_arr(&c, name);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 1);
    assert_non_null(p_str(&c, name));
    assert_string_equal(p_str(&c, name), "v");
    json_decref(c.in);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_and_form_body_merge_with_body_winning),
        cmocka_unit_test(test_bracket_keys_make_arrays_and_objects),
        cmocka_unit_test(test_json_body_values_read_as_text_and_booleans),
        cmocka_unit_test(test_malformed_json_is_a_bad_request_with_a_reason),
        cmocka_unit_test(test_multipart_text_parts_are_parameters_and_files_are_parts),
        cmocka_unit_test(test_multipart_file_part_keeps_binary_bytes_and_a_clean_name),
        cmocka_unit_test(test_multipart_text_part_with_a_nul_is_refused),
        cmocka_unit_test(test_invalid_utf8_in_a_form_value_is_refused),
        cmocka_unit_test(test_p_arr_on_a_long_name_leaves_the_parameter_itself_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
