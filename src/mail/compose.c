/*
 * compose.c — an e-mail message as bytes: headers that cannot be injected, bodies that
 * survive any relay.
 *
 * The whole message is written into a scratch buffer and appended to the caller's only when
 * every field passed, so a refused message leaves nothing half-written. Nothing is ever
 * "cleaned": a subject with a line break is an error, because a silently altered header is
 * how header injection hides. Bodies are quoted-printable rather than 8bit so that nothing
 * depends on the relay announcing 8BITMIME, and so that long lines and a lone "." line (the
 * SMTP end-of-data marker) cannot occur in what we hand over.
 */
#include "mail.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "util/err.h"
#include "util/text.h"

/* An encoded word is at most 75 characters ("=?UTF-8?B?" + base64 + "?="); 42 bytes make 68,
 * so even the first, after "Subject: ", keeps its line within the 78 RFC 5322 asks for. */
enum { WORD_BYTES = 42, QP_LINE = 76 };

bool mail_address_ok(const char *addr)
{
    if (!addr) return false;
    size_t n = strlen(addr);
    const char *at = strchr(addr, '@');
    if (n < 3 || n > 254 || !at || at == addr || at - addr > 64 || strchr(at + 1, '@'))
        return false;
    const char *dom = at + 1;
    if (!*dom || *dom == '.' || !strchr(dom, '.') || addr[n - 1] == '.') return false;
    for (const char *p = addr; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= ' ' || ch >= 0x7f || strchr("<>()[]\\,;:\"", ch)) return false;
        if (p > at && !(ch == '.' || ch == '-' || (ch >= '0' && ch <= '9') ||
                        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return false;
    }
    return true;
}

bool mail_header_text_ok(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    if (!text_is_valid_utf8(s, n)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < ' ' || ch == 0x7f) return false; /* CR, LF, TAB, NUL's neighbours */
    }
    return true;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

/* RFC 5322 atext plus the space: a name made of these needs neither quotes nor encoding. */
static bool is_plain_phrase(const char *s)
{
    if (!*s || *s == ' ') return false;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              strchr(" !#$%&'*+-/=?^_`{|}~", ch)))
            return false;
    }
    return true;
}

/* Writes s as RFC 2047 encoded words, folded with CRLF + space between words; each word
 * holds whole UTF-8 characters. */
static void put_encoded_words(buf *b, const char *s)
{
    size_t n = strlen(s);
    bool first = true;
    while (n > 0) {
        size_t take = n < WORD_BYTES ? n : WORD_BYTES;
        while (take < n && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80) take--;
        char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s, take,
                          sodium_base64_VARIANT_ORIGINAL);
        if (!first) buf_puts(b, "\r\n ");
        buf_printf(b, "=?UTF-8?B?%s?=", b64);
        first = false;
        s += take;
        n -= take;
    }
}

/* "Name <addr>", "=?UTF-8?B?…?=\r\n <addr>" (folded: the words fill their line) or "addr". */
static void put_mailbox(buf *b, const char *name, const char *addr)
{
    if (name && *name) {
        if (is_plain_phrase(name)) {
            buf_puts(b, name);
            buf_putc(b, ' ');
        } else {
            put_encoded_words(b, name);
            buf_puts(b, "\r\n ");
        }
        buf_printf(b, "<%s>", addr);
    } else {
        buf_puts(b, addr);
    }
}

static void put_date(buf *b, int64_t ms)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char raw[32];
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

/* Quoted-printable (RFC 2045 §6.7) of a UTF-8 text whose lines end in LF or CRLF. */
static void put_qp(buf *b, const char *s)
{
    size_t len = 0; /* characters on the current output line */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\r' && p[1] == '\n') continue;
        if (*p == '\n') {
            buf_puts(b, "\r\n");
            len = 0;
            continue;
        }
        bool line_end = !p[1] || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool literal =
            (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !line_end);
        size_t need = literal ? 1 : 3;
        if (len + need > QP_LINE - 1) { /* room for the soft break's "=" */
            buf_puts(b, "=\r\n");
            len = 0;
        }
        if (len == 0 && *p == '.') literal = false, need = 3; /* never a line of ".": end of data */
        if (literal)
            buf_putc(b, (char)*p);
        else
            buf_printf(b, "=%02X", *p);
        len += need;
    }
    if (len) buf_puts(b, "\r\n");
}

static void put_part_headers(buf *b, const char *type)
{
    buf_printf(b,
               "Content-Type: %s; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n",
               type);
}

static const char *check(const mail_message *m)
{
    if (!mail_address_ok(m->from_addr)) return "the sender's address is not a usable address";
    if (!mail_address_ok(m->to_addr)) return "the recipient's address is not a usable address";
    if (!m->subject || !mail_header_text_ok(m->subject) || strlen(m->subject) > MAIL_MAX_SUBJECT)
        return "the subject must be one line of UTF-8 text without control characters";
    if (m->from_name &&
        (!mail_header_text_ok(m->from_name) || strlen(m->from_name) > MAIL_MAX_NAME))
        return "the sender's name must be one line of UTF-8 text without control characters";
    if (m->to_name && (!mail_header_text_ok(m->to_name) || strlen(m->to_name) > MAIL_MAX_NAME))
        return "the recipient's name must be one line of UTF-8 text without control characters";
    if (!m->text || strlen(m->text) > MAIL_MAX_BODY ||
        !text_is_valid_utf8(m->text, strlen(m->text)))
        return "the text body must be UTF-8 of at most 1 MiB";
    if (m->html &&
        (strlen(m->html) > MAIL_MAX_BODY || !text_is_valid_utf8(m->html, strlen(m->html))))
        return "the HTML body must be UTF-8 of at most 1 MiB";
    return NULL;
}

int mail_compose(const mail_message *m, buf *out, char message_id[128], const char **why)
{
    const char *bad = check(m);
    if (bad) {
        if (why) *why = bad;
        return PL_EINVAL;
    }
    buf b = BUF_INIT;
    buf_puts(&b, "Date: ");
    put_date(&b, m->date_ms);
    buf_puts(&b, "\r\nFrom: ");
    put_mailbox(&b, m->from_name, m->from_addr);
    buf_puts(&b, "\r\nTo: ");
    put_mailbox(&b, m->to_name, m->to_addr);
    buf_puts(&b, "\r\nSubject: ");
    if (is_ascii(m->subject) && strlen(m->subject) <= 68)
        buf_puts(&b, m->subject);
    else
        put_encoded_words(&b, m->subject);
    char id[49]; /* 24 random bytes in hex */
    random_hex(id, 24);
    char mid[128];
    snprintf(mid, sizeof mid, "%.48s@%.70s", id, strchr(m->from_addr, '@') + 1);
    buf_printf(&b,
               "\r\nMessage-ID: <%s>\r\n"
               "MIME-Version: 1.0\r\n"
               "Auto-Submitted: auto-generated\r\n",
               mid);
    if (m->html) {
        char boundary[48];
        random_hex(boundary, 16);
        buf_printf(&b,
                   "Content-Type: multipart/alternative; boundary=\"=_pl_%s\"\r\n\r\n"
                   "--=_pl_%s\r\n",
                   boundary, boundary);
        put_part_headers(&b, "text/plain");
        buf_puts(&b, "\r\n");
        put_qp(&b, m->text);
        buf_printf(&b, "--=_pl_%s\r\n", boundary);
        put_part_headers(&b, "text/html");
        buf_puts(&b, "\r\n");
        put_qp(&b, m->html);
        buf_printf(&b, "--=_pl_%s--\r\n", boundary);
    } else {
        put_part_headers(&b, "text/plain");
        buf_puts(&b, "\r\n");
        put_qp(&b, m->text);
    }
    buf_append(out, b.data, b.len);
    buf_free(&b);
    if (message_id) snprintf(message_id, 128, "%s", mid);
    return PL_OK;
}
