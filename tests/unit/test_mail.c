/*
 * test_mail.c — unit tests for src/mail: what an address may be, the headers of a composed
 * message (and that none can be injected), the encodings of subjects, names and bodies, and
 * the relay errors mail_send reports without a relay.
 *
 * The body checks decode what compose wrote (quoted-printable, RFC 2047) and compare it with
 * what went in, so they prove the round trip rather than one spelling of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/err.h"

static mail_message base(void)
{
    return (mail_message){
        .from_name = "partyline",
        .from_addr = "noreply@example.com",
        .to_addr = "ada@example.com",
        .subject = "Hello",
        .text = "Hi Ada,\nwelcome.\n",
        .date_ms = 1765000000000LL, /* 2025-12-06 05:46:40 UTC, a Saturday */
    };
}

/* Composes m, asserting success; the caller frees the buffer. */
static buf compose_ok(const mail_message *m)
{
    buf b = BUF_INIT;
    const char *why = NULL;
    char id[128];
    assert_int_equal(mail_compose(m, &b, id, &why), PL_OK);
    assert_null(why);
    return b;
}

/* The value of header `name` (case as written), unfolded, in a static buffer; NULL if none. */
static const char *header(const char *msg, const char *name)
{
    static char out[2048];
    const char *end = strstr(msg, "\r\n\r\n");
    size_t n = strlen(name);
    for (const char *p = msg; p && p < end; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
        if (strncmp(p, name, n) || p[n] != ':') continue;
        const char *v = p + n + 1;
        while (*v == ' ') v++;
        size_t k = 0;
        for (; v < end && k < sizeof out - 1; v++) {
            if (v[0] == '\r' && v[1] == '\n') {
                if (v[2] != ' ' && v[2] != '\t') break;
                v += 2; /* folded: the next line goes on */
            }
            out[k++] = *v;
        }
        out[k] = '\0';
        return out;
    }
    return NULL;
}

/* Decodes quoted-printable text (soft breaks removed, =XX decoded, CRLF kept as LF). */
static char *qp_decode(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
        } else if (p[0] == '=') {
            unsigned v;
            assert_int_equal(sscanf(p + 1, "%2X", &v), 1);
            *o++ = (char)v;
            p += 2;
        } else if (p[0] == '\r' && p[1] == '\n') {
            *o++ = '\n';
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* Decodes a run of RFC 2047 B-encoded UTF-8 words separated by folding white space. */
static char *words_decode(const char *s)
{
    char *out = calloc(1, strlen(s) + 1);
    size_t len = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t') s++;
        assert_memory_equal(s, "=?UTF-8?B?", 10);
        s += 10;
        const char *end = strstr(s, "?=");
        assert_non_null(end);
        assert_true(end - s + 12 <= 75); /* a word is at most 75 characters */
        size_t got = 0;
        assert_int_equal(sodium_base642bin((unsigned char *)out + len, strlen(s), s,
                                           (size_t)(end - s), NULL, &got, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        len += got;
        s = end + 2;
    }
    out[len] = '\0';
    return out;
}

static void test_addresses_must_be_plain_ascii_local_at_domain(void **st)
{
    (void)st;
    assert_true(mail_address_ok("ada@example.com"));
    assert_true(mail_address_ok("ada.lovelace+pl@mail.example.co.uk"));
    assert_false(mail_address_ok(NULL));
    assert_false(mail_address_ok("ada"));
    assert_false(mail_address_ok("@example.com"));
    assert_false(mail_address_ok("ada@localhost"));
    assert_false(mail_address_ok("ada@@example.com"));
    assert_false(mail_address_ok("a@b@example.com"));
    assert_false(mail_address_ok("ada@example.com\r\nBcc: eve@example.com"));
    assert_false(mail_address_ok("ada@example.com\n"));
    assert_false(mail_address_ok("ada smith@example.com"));
    assert_false(mail_address_ok("Ada <ada@example.com>"));
    assert_false(mail_address_ok("ada@exa_mple.com"));
    assert_false(mail_address_ok("ada,eve@example.com"));
    assert_false(mail_address_ok("adä@example.com"));
    assert_false(mail_address_ok("ada@example.com."));
}

static void test_a_message_has_the_headers_mail_needs(void **st)
{
    (void)st;
    mail_message m = base();
    buf b = BUF_INIT;
    char id[128];
    assert_int_equal(mail_compose(&m, &b, id, NULL), PL_OK);
    const char *msg = buf_cstr(&b);
    assert_string_equal(header(msg, "Date"), "Sat, 06 Dec 2025 05:46:40 +0000");
    assert_string_equal(header(msg, "From"), "partyline <noreply@example.com>");
    assert_string_equal(header(msg, "To"), "ada@example.com");
    assert_string_equal(header(msg, "Subject"), "Hello");
    assert_string_equal(header(msg, "MIME-Version"), "1.0");
    assert_string_equal(header(msg, "Auto-Submitted"), "auto-generated");
    assert_string_equal(header(msg, "Content-Type"), "text/plain; charset=UTF-8");
    assert_string_equal(header(msg, "Content-Transfer-Encoding"), "quoted-printable");
    char want[160];
    snprintf(want, sizeof want, "<%s>", id);
    assert_string_equal(header(msg, "Message-ID"), want);
    assert_non_null(strstr(id, "@example.com"));
    /* every line ends in CRLF: no bare LF anywhere */
    for (const char *p = msg; *p; p++)
        if (*p == '\n') assert_int_equal(p[-1], '\r');
    char *body = qp_decode(strstr(msg, "\r\n\r\n") + 4);
    assert_string_equal(body, "Hi Ada,\nwelcome.\n");
    free(body);
    /* two messages never share an id */
    buf b2 = BUF_INIT;
    char id2[128];
    assert_int_equal(mail_compose(&m, &b2, id2, NULL), PL_OK);
    assert_string_not_equal(id, id2);
    buf_free(&b);
    buf_free(&b2);
}

static void test_header_injection_is_refused_and_nothing_is_written(void **st)
{
    (void)st;
    const char *bad[] = {"Hello\r\nBcc: eve@example.com", "Hello\nBcc: eve@example.com",
                         "Hello\rX: y", "tab\there", "nul-ish\x01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buf b = BUF_INIT;
        buf_puts(&b, "kept");
        const char *why = NULL;
        mail_message m = base();
        m.subject = bad[i];
        assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
        assert_non_null(why);
        assert_string_equal(buf_cstr(&b), "kept"); /* left as it was */
        m = base();
        m.from_name = bad[i];
        assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
        m = base();
        m.to_name = bad[i];
        assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
        assert_string_equal(buf_cstr(&b), "kept");
        buf_free(&b);
    }
    mail_message m = base();
    m.to_addr = "ada@example.com\r\nBcc: eve@example.com";
    buf b = BUF_INIT;
    const char *why = NULL;
    assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
    assert_non_null(strstr(why, "recipient"));
    m = base();
    m.subject = "\xff\xfe not UTF-8";
    assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
    m = base();
    m.text = NULL;
    assert_int_equal(mail_compose(&m, &b, NULL, &why), PL_EINVAL);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_non_ascii_subjects_and_names_are_encoded_words(void **st)
{
    (void)st;
    mail_message m = base();
    m.from_name = "Acme Zürich";
    m.to_name = "Ada \"the first\" Lovelace";
    /* long enough to need several words; multi-byte characters must not be split */
    m.subject = "Bestätigen Sie Ihre E-Mail-Adresse für Acme Zürich — ünd ëin bisschen mehr "
                "Text, damit die Zeile umbricht 🎉";
    buf b = compose_ok(&m);
    const char *msg = buf_cstr(&b);
    char *subject = words_decode(header(msg, "Subject"));
    assert_string_equal(subject, m.subject);
    free(subject);
    const char *from = header(msg, "From");
    const char *lt = strstr(from, " <noreply@example.com>");
    assert_non_null(lt);
    char *words = strndup(from, (size_t)(lt - from));
    char *name = words_decode(words);
    assert_string_equal(name, "Acme Zürich");
    free(name);
    free(words);
    /* a name with quotes is encoded too, never quoted by hand */
    const char *to = header(msg, "To");
    assert_null(strchr(to, '"'));
    /* no header line is longer than 78 characters */
    const char *end = strstr(msg, "\r\n\r\n");
    for (const char *p = msg; p < end;) {
        const char *nl = strstr(p, "\r\n");
        assert_true(nl - p <= 78);
        p = nl + 2;
    }
    buf_free(&b);
}

static void test_bodies_are_quoted_printable_and_round_trip(void **st)
{
    (void)st;
    char text[2048];
    snprintf(text, sizeof text,
             "Grüße, Ada!\n"
             ".\n"
             ".leading dot\n"
             "trailing space \n"
             "a=b\n"
             "%s\n"
             "https://example.com/auth/confirmation?confirmation_token=abc_DEF-123\n",
             /* one long line, with multi-byte characters across the 76-column breaks */
             "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
             "ééééééééééééééééééééééé");
    mail_message m = base();
    m.text = text;
    buf b = compose_ok(&m);
    const char *body = strstr(buf_cstr(&b), "\r\n\r\n") + 4;
    for (const char *p = body; *p;) {
        const char *nl = strstr(p, "\r\n");
        assert_non_null(nl);
        assert_true(nl - p <= 76);
        assert_true(*p != '.'); /* a line never starts with a dot: "." ends DATA */
        if (nl > p) assert_true(nl[-1] != ' ' && nl[-1] != '\t'); /* no trailing space */
        for (const char *q = p; q < nl; q++) assert_true((unsigned char)*q < 0x80);
        p = nl + 2;
    }
    char *back = qp_decode(body);
    assert_string_equal(back, text);
    free(back);
    buf_free(&b);
}

static void test_an_html_part_makes_multipart_alternative(void **st)
{
    (void)st;
    mail_message m = base();
    m.html = "<p>Hi <b>Ada</b></p>\n";
    buf b = compose_ok(&m);
    const char *msg = buf_cstr(&b);
    const char *ct = header(msg, "Content-Type");
    assert_non_null(strstr(ct, "multipart/alternative; boundary=\"=_pl_"));
    const char *q = strchr(ct, '"') + 1;
    char boundary[64];
    snprintf(boundary, sizeof boundary, "--%.*s", (int)(strchr(q, '"') - q), q);
    const char *first = strstr(msg, boundary);
    assert_non_null(first);
    const char *plain = strstr(first, "Content-Type: text/plain; charset=UTF-8");
    const char *html = strstr(first, "Content-Type: text/html; charset=UTF-8");
    assert_non_null(plain);
    assert_non_null(html);
    assert_true(plain < html); /* the plain text first: the last part is the preferred one */
    char closing[80];
    snprintf(closing, sizeof closing, "%s--\r\n", boundary);
    assert_non_null(strstr(msg, closing));
    buf_free(&b);
}

static void test_send_refuses_other_schemes_and_reports_an_unreachable_relay(void **st)
{
    (void)st;
    char err[256];
    mail_relay r = {.url = "file:///etc/passwd"};
    assert_int_equal(mail_send(&r, "a@example.com", "b@example.com", "x", 1, err, sizeof err),
                     PL_EINVAL);
    assert_non_null(strstr(err, "smtp://"));
    r.url = "http://127.0.0.1:1";
    assert_int_equal(mail_send(&r, "a@example.com", "b@example.com", "x", 1, err, sizeof err),
                     PL_EINVAL);
    r.url = "smtp://127.0.0.1:1"; /* nothing listens on port 1 */
    r.timeout_sec = 5;
    assert_int_equal(mail_send(&r, "a@example.com", "b@example.com", "x", 1, err, sizeof err),
                     PL_EINTERNAL);
    assert_true(strlen(err) > 0);
    assert_int_equal(mail_send(&r, "a@example.com", "b@example.com\r\nRCPT TO:<c@x.com>", "x", 1,
                               err, sizeof err),
                     PL_EINVAL);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses_must_be_plain_ascii_local_at_domain),
        cmocka_unit_test(test_a_message_has_the_headers_mail_needs),
        cmocka_unit_test(test_header_injection_is_refused_and_nothing_is_written),
        cmocka_unit_test(test_non_ascii_subjects_and_names_are_encoded_words),
        cmocka_unit_test(test_bodies_are_quoted_printable_and_round_trip),
        cmocka_unit_test(test_an_html_part_makes_multipart_alternative),
        cmocka_unit_test(test_send_refuses_other_schemes_and_reports_an_unreachable_relay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
