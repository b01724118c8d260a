/**
 * feeds/feeds.h — the outside sources of listening: RSS and Atom feeds fetched over HTTP
 * (libcurl), parsed into items (libxml2), and the politeness that decides when a feed is
 * fetched again.
 *
 * A small library with no knowledge of the server: it fetches one URL, parses one document,
 * and answers one question about time. Storing sources and items, and the thread that polls
 * them, belong to the layers above. feeds_fetch blocks for up to its total timeout, so call
 * it only from a thread that may wait — never an event loop or the writer.
 *
 * Every failure is one line of English meant for the source's row, as a person reads it
 * ("timed out after 30 s", "HTTP 404", "not XML: line 3: …", "the feed is larger than
 * 5 MB"), and nothing half-done is returned with it: a body over the cap is refused, never
 * parsed truncated; a document that fails to parse gives no items.
 *
 * Only src/feeds includes libxml2's headers, and (besides src/mail/smtp.c) libcurl's.
 */
#ifndef PL_FEEDS_H
#define PL_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

/* ------------------------------------------------------------------------------------------ */
/* Fetching (fetch.c)                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** What one fetch may take. FEEDS_LIMITS_DEFAULT gives the documented defaults. */
typedef struct feeds_limits {
    int connect_timeout_ms; /**< to open each connection: 10 s */
    int total_timeout_ms;   /**< the whole fetch, redirects included: 30 s */
    size_t max_bytes;       /**< the body after decompression: 5 MB (5 × 2^20 bytes) */
    int max_redirects;      /**< redirects followed: 5 */
    /** false: an address of this machine (127.0.0.0/8, ::1) is refused, as link-local,
     *  unspecified, multicast and broadcast addresses always are (feeds_address_refused) */
    bool allow_loopback;
    const char *user_agent; /**< NULL: FEEDS_USER_AGENT */
    /** NULL, or asked while the fetch runs (a few times a second): true stops it at once, as a
     *  failure "the fetch was stopped" (a server shutting down does not wait out a feed) */
    bool (*is_stopping)(void *ud);
    void *stopping_ud;
} feeds_limits;

#define FEEDS_USER_AGENT "partyline-feeds/0.1 (RSS and Atom reader of a partyline server)"
#define FEEDS_LIMITS_DEFAULT                                                                       \
    {                                                                                              \
        .connect_timeout_ms = 10 * 1000, .total_timeout_ms = 30 * 1000,                            \
        .max_bytes = (size_t)5 << 20, .max_redirects = 5, .user_agent = NULL                       \
    }

/** How a fetch ended. */
typedef enum feeds_outcome {
    FEEDS_FETCHED = 0,      /**< a 2xx answer: the body is in the response */
    FEEDS_NOT_MODIFIED = 1, /**< 304: the feed is as it was at the validators given */
    FEEDS_FAILED = 2,       /**< anything else: the reason is in error */
} feeds_outcome;

/** What a fetch brought back. Every pointer is the response's (feeds_response_free). */
typedef struct feeds_response {
    feeds_outcome outcome;
    long http_status;      /**< the last answer's status; 0 when no answer came */
    buf body;              /**< FEEDS_FETCHED: the whole body, decompressed */
    char *etag;            /**< the ETag of the last answer, or NULL */
    char *last_modified;   /**< its Last-Modified, or NULL */
    char *final_url;       /**< the URL that answered, after redirects, or NULL */
    int64_t retry_after_s; /**< Retry-After of the last answer (seconds from now), 0 none */
    char error[256];       /**< FEEDS_FAILED: one line for the source's row; "" otherwise */
} feeds_response;

/**
 * Fetches url (http:// or https:// only, and only those on redirects) with a conditional GET:
 * If-None-Match: etag and If-Modified-Since: last_modified when they are not NULL or "" (the
 * values a previous response gave, sent back as they came). gzip and deflate are accepted and
 * decompressed; the cap applies to the decompressed bytes. Redirects are followed by hand, at
 * most limits->max_redirects; a URL seen twice is a loop and fails at once, saying so. limits
 * NULL: the defaults. *out is filled in every case, and the caller frees it.
 *
 * Returns PL_OK for FEEDS_FETCHED and FEEDS_NOT_MODIFIED; for FEEDS_FAILED, PL_EINVAL when
 * retrying cannot help as it stands (a URL that is not http or https), PL_ELIMIT for a body
 * over the cap, PL_EINTERNAL for the rest (no connection, a timeout, an HTTP error status,
 * too many redirects).
 */
int feeds_fetch(const char *url, const char *etag, const char *last_modified,
                const feeds_limits *limits, feeds_response *out);

/** Releases what a response holds; it is zeroed and may be filled again. */
void feeds_response_free(feeds_response *r);

struct sockaddr;

/**
 * Why a feed may not be fetched from the address sa (IPv4 or IPv6, an IPv4-mapped IPv6 address
 * judged as its IPv4 one), or NULL when it may. Refused: link-local addresses (169.254.0.0/16,
 * fe80::/10 — where cloud machines answer for their metadata and credentials), unspecified
 * (0.0.0.0/8, ::), multicast and broadcast ones, and this machine's own (127.0.0.0/8, ::1)
 * unless allow_loopback. Private networks (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed:
 * an intranet's status pages and news are feeds a company reads. Checked on every address
 * libcurl connects to, redirects included, after the name is resolved (a name that resolves
 * to a refused address is refused).
 */
const char *feeds_address_refused(const struct sockaddr *sa, bool allow_loopback);

/* ------------------------------------------------------------------------------------------ */
/* Parsing (parse.c)                                                                          */
/* ------------------------------------------------------------------------------------------ */

/** Items taken from one document: the first ones in document order (feeds list newest first). */
enum { FEEDS_MAX_ITEMS = 100 };

/** Field limits: longer titles and authors are cut (on a character boundary), longer texts
 *  too; a key or link longer than its limit is not kept as it is (see feeds_item). */
enum {
    FEEDS_MAX_KEY = 512,
    FEEDS_MAX_LINK = 2048,
    FEEDS_MAX_TITLE = 1024,
    FEEDS_MAX_AUTHOR = 256,
    FEEDS_MAX_TEXT = 64 * 1024,
};

typedef enum feeds_kind { FEEDS_RSS2, FEEDS_RDF, FEEDS_ATOM } feeds_kind;

/** One item of a feed. Strings are UTF-8 without control characters except "\n" in text,
 *  whitespace collapsed; all live in the arena given to feeds_parse. */
typedef struct feeds_item {
    /** Stable across fetches, unique within the document: RSS's guid, Atom's id, RDF's
     *  rdf:about; else the link; else "sha256:" and the hex SHA-256 of the title and the date
     *  as written (of the text, when the item has neither). A guid or id over FEEDS_MAX_KEY
     *  bytes is replaced by its hash. */
    const char *key;
    const char *link;     /**< absolute (resolved against the feed's URL), or NULL */
    const char *title;    /**< plain text, or NULL */
    const char *author;   /**< a name (or an e-mail address as RSS gives it), or NULL */
    int64_t published_ms; /**< ms since the epoch; 0 when the item has no date we can read */
    const char *text;     /**< plain text (HTML turned to text), "" when none */
} feeds_item;

typedef struct feeds_feed {
    feeds_kind kind;
    const char *title; /**< the feed's own title, or NULL */
    const char *link;  /**< its web page, or NULL */
    feeds_item *items; /**< document order */
    size_t n_items;
    size_t n_dropped; /**< items past max_items, and repeats of a key already taken */
} feeds_feed;

/**
 * Parses an RSS 2.0 (and 0.9x), RSS 1.0 (RDF) or Atom 1.0 document into *out, its strings in
 * a. base_url (may be NULL) resolves relative links. max_items 0: FEEDS_MAX_ITEMS.
 *
 * Safely: no network (XML_PARSE_NONET), no DTD loaded, no entity substituted, libxml2's depth
 * limit (256); a document that declares an external or parameter entity, or an entity whose
 * value refers to another entity (how a billion-laughs document grows), is refused before any
 * expansion. An entity reference in text is left out of the text.
 *
 * PL_OK, or PL_EINVAL with err set ("not XML: line 3: …", "not a feed: the root element is
 * <html>", "the feed declares entities inside entities …"); out is then empty.
 */
int feeds_parse(const char *body, size_t len, const char *base_url, size_t max_items, arena *a,
                feeds_feed *out, char *err, size_t errlen);

/**
 * Appends the plain text of an HTML fragment to out (libxml2's HTML parser, forgiving as a
 * browser is): script, style and the like left out, block elements and <br> as line breaks,
 * runs of spaces as one, entities decoded. At most max bytes are appended (cut on a
 * character boundary).
 */
void feeds_html_to_text(const char *html, size_t len, size_t max, buf *out);

/* ------------------------------------------------------------------------------------------ */
/* Dates (date.c)                                                                             */
/* ------------------------------------------------------------------------------------------ */

/**
 * Reads a feed's date: RFC 3339 ("2026-12-07T10:00:00Z", "…T10:00:00.25+01:00", a space for
 * the T) as Atom and Dublin Core write them, or RFC 822 / 1123 ("Mon, 07 Dec 2026 10:00:00
 * +0000", "GMT", "EST", without the day's name or the seconds, two-digit years) as RSS does.
 * Returns 0 and *ms, or -1 when s is neither.
 */
int feeds_parse_date(const char *s, int64_t *ms);

/* ------------------------------------------------------------------------------------------ */
/* Politeness (schedule.c)                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** A feed is fetched every 15 minutes unless it asks otherwise, never more often than every
 *  5 minutes, never less often than once a week; after failures at most a day apart. */
enum {
    FEEDS_INTERVAL_DEFAULT_S = 15 * 60,
    FEEDS_INTERVAL_MIN_S = 5 * 60,
    FEEDS_INTERVAL_MAX_S = 7 * 24 * 3600,
    FEEDS_BACKOFF_MAX_S = 24 * 3600,
    FEEDS_RETRY_AFTER_MAX_S = 7 * 24 * 3600,
};

/** A source's state as the scheduler sees it. */
typedef struct feeds_source_state {
    int64_t interval_s; /**< the feed's own; 0: the default; clamped to min..max */
    int failures;       /**< consecutive failures before this fetch */
} feeds_source_state;

/** When to fetch next, and the failures to keep. */
typedef struct feeds_next {
    int64_t at_ms;
    int failures;
} feeds_next;

/**
 * The politeness rule, a pure function of the state before a fetch, how the fetch went
 * (failed or not) and the Retry-After it brought (0 none), at now_ms:
 * - a success (fetched or not modified) resets the failures: next in one interval;
 * - the n-th consecutive failure waits interval × 2^(n-1) (15 min, 30 min, 1 h, …), never more
 *   than a day (or than the interval, when that is longer);
 * - a Retry-After is honoured: never sooner than it says, up to FEEDS_RETRY_AFTER_MAX_S (so a
 *   server cannot put a feed to sleep for ever by mistake).
 */
feeds_next feeds_next_fetch(const feeds_source_state *s, bool failed, int64_t retry_after_s,
                            int64_t now_ms);

/** The interval a feed is fetched at for a requested one (0: default), clamped to min..max. */
int64_t feeds_interval_s(int64_t requested_s);

#endif
