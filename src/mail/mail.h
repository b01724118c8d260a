/**
 * mail.h — e-mail: composing a message (RFC 5322 + MIME) and handing it to an SMTP relay.
 *
 * A small library with no knowledge of the server: address confirmations use it today and
 * digests will tomorrow. It never queues and never retries (the outbox in app/outbox.c
 * does): mail_send blocks for up to the relay's timeout, so call it only from a thread that
 * may wait — never an event loop or the writer.
 *
 * What composing promises:
 * - a header value can never start a new header: CR, LF and every other control character
 *   in a subject, name or address is refused (PL_EINVAL), never stripped or folded away;
 * - addresses are plain ASCII `local@domain` (no display-name syntax, no comments, no
 *   SMTPUTF8): what an address may contain is decided here once;
 * - names and subjects that are not ASCII travel as RFC 2047 encoded words (UTF-8, base64,
 *   split on character boundaries so no word exceeds 75 characters);
 * - bodies are UTF-8, sent quoted-printable (7-bit safe through any relay, no line longer
 *   than 76 characters, a line that starts with "." escaped), lines ending in CRLF;
 * - with an HTML part the message is multipart/alternative (the text part first).
 */
#ifndef PL_MAIL_H
#define PL_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/** Limits: a subject's and a name's bytes, a body's bytes (each part). */
enum { MAIL_MAX_SUBJECT = 998, MAIL_MAX_NAME = 200, MAIL_MAX_BODY = 1 << 20 };

/** One message. Every string is UTF-8 and borrowed; html and the names may be NULL. */
typedef struct mail_message {
    const char *from_name, *from_addr; /**< "partyline", "noreply@example.com" */
    const char *to_name, *to_addr;
    const char *subject;
    const char *text; /**< the plain-text body (required) */
    const char *html; /**< an optional HTML alternative */
    int64_t date_ms;  /**< the Date header (ms since the epoch, written in UTC) */
} mail_message;

/** True if addr is an address we can send to: ASCII `local@domain.tld`, at most 254 bytes,
 *  no space, control, quote, angle bracket, comma or other RFC 5322 special. */
bool mail_address_ok(const char *addr);

/** True if s may stand in a header value: valid UTF-8, no control character (CR, LF, …). */
bool mail_header_text_ok(const char *s);

/**
 * Appends the whole message (headers and body, CRLF line ends) to out and, when message_id
 * is not NULL, writes its Message-ID (without angle brackets, at most 127 bytes) there.
 * PL_EINVAL (and *why, a static English reason) when a field breaks the rules above; out is
 * then left as it was. Message-ID and MIME boundaries come from libsodium's random bytes.
 */
int mail_compose(const mail_message *m, buf *out, char message_id[128], const char **why);

/** Where mail goes. url: smtp://host[:port] (STARTTLS when starttls is set) or
 *  smtps://host[:port] (TLS from the start). user NULL or "": no authentication. */
typedef struct mail_relay {
    const char *url, *user, *password;
    bool starttls;   /**< require STARTTLS on smtp:// (smtps:// always uses TLS) */
    int timeout_sec; /**< the whole exchange; 0 = 30 s */
} mail_relay;

/**
 * Sends one composed message from from_addr to to_addr through the relay. Blocks (see
 * above). PL_OK once the relay accepted it; PL_EINVAL for an unusable address or relay URL
 * (retrying cannot help); PL_EINTERNAL for anything else (connection, refusal, timeout),
 * with err set to a one-line reason.
 */
int mail_send(const mail_relay *relay, const char *from_addr, const char *to_addr,
              const char *message, size_t len, char *err, size_t errlen);

#endif
