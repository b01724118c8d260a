/*
 * fetch.c — one feed fetched over HTTP with libcurl: a conditional GET, redirects followed by
 * hand, every limit enforced, every failure one line a person can act on.
 *
 * Redirects are followed here rather than by libcurl's CURLOPT_FOLLOWLOCATION so that a loop
 * can be told from a long chain (a URL seen twice is a loop, named as such), so that the total
 * timeout covers the whole chain, and so that each hop is checked to be http or https before
 * it is asked. One easy handle serves the chain (its connection may be reused); none is kept
 * between fetches: feeds are fetched minutes apart, and a fresh handle carries nothing from an
 * earlier failure.
 *
 * The body cap is enforced twice: a Content-Length over it is refused before any byte
 * (CURLOPT_MAXFILESIZE_LARGE) and the write callback stops the transfer as soon as the
 * decompressed bytes pass it, so a gzip bomb costs at most the cap. A feed over the cap fails
 * whole; parsing the first 5 MB of it would read as a feed that lost its older items.
 *
 * Every address libcurl is about to connect to passes feeds_address_refused first (libcurl's
 * opensocket callback, so after the name is resolved and for each hop of a redirect): a feed
 * is an administrator's URL, and the server must not become the way to this machine's own
 * services or a cloud's metadata address.
 */
#include "feeds.h"
#include "feeds_internal.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "util/err.h"
#include "util/timeutil.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void feeds_response_free(feeds_response *r)
{
    buf_free(&r->body);
    free(r->etag);
    free(r->last_modified);
    free(r->final_url);
    memset(r, 0, sizeof *r);
}

/* Sets r's error (one line) and outcome FEEDS_FAILED; drops any body. Returns rc. */
static int fail(feeds_response *r, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(feeds_response *r, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    feeds_clean_line(r->error);
    r->outcome = FEEDS_FAILED;
    buf_free(&r->body);
    return rc;
}

/* "30 s", "1.5 s", "800 ms": a duration as the error says it. */
static void say_duration(int ms, char *out, size_t cap)
{
    if (ms % 1000 == 0)
        snprintf(out, cap, "%d s", ms / 1000);
    else if (ms > 1000)
        snprintf(out, cap, "%.1f s", ms / 1000.0);
    else
        snprintf(out, cap, "%d ms", ms);
}

/* "5 MB", "64 KB", "1000 bytes". */
static void say_size(size_t n, char *out, size_t cap)
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(out, cap, "%zu MB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, cap, "%zu KB", n >> 10);
    else
        snprintf(out, cap, "%zu bytes", n);
}

static bool is_http_url(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

/* A validator may be sent back only if it cannot break the request's headers. */
static bool header_value_ok(const char *v)
{
    if (!v || !*v || strlen(v) > 1024) return false;
    for (; *v; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f) return false;
    return true;
}

struct sink {
    buf *body;
    size_t max;
    bool is_over;
};

static size_t write_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    if (s->body->len + n > s->max) {
        s->is_over = true;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    buf_append(s->body, data, n);
    return n;
}

const char *feeds_address_refused(const struct sockaddr *sa, bool allow_loopback)
{
    uint32_t v4;
    if (sa->sa_family == AF_INET6) {
        const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        static const uint8_t zero[16];
        if (memcmp(b, mapped, sizeof mapped)) {
            if (!memcmp(b, zero, 15) && b[15] == 1)
                return allow_loopback ? NULL : "an address of this machine (loopback)";
            if (!memcmp(b, zero, 16)) return "the unspecified address";
            if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "a link-local address";
            if (b[0] == 0xff) return "a multicast address";
            return NULL;
        }
        v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
    } else if (sa->sa_family == AF_INET) {
        v4 = ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr);
    } else {
        return "an address that is not an internet one";
    }
    if (v4 >> 24 == 127) return allow_loopback ? NULL : "an address of this machine (loopback)";
    if (v4 >> 24 == 0) return "the unspecified address";
    if (v4 >> 16 == (169u << 8 | 254)) return "a link-local address";
    if (v4 >> 28 == 0xe) return "a multicast address";
    if (v4 == 0xffffffffu) return "the broadcast address";
    return NULL;
}

/* What the opensocket callback knows: the rule, and the address it refused, if it did. */
struct guard {
    bool allow_loopback;
    char refused[INET6_ADDRSTRLEN]; /* the address, or "" */
    const char *why;                /* feeds_address_refused's reason */
};

/* libcurl's opensocket callback: the socket, or CURL_SOCKET_BAD (the connection fails) for an
 * address feeds_address_refused refuses, which is kept for the error line. */
static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *address)
{
    (void)purpose;
    struct guard *g = ud;
    const char *why = feeds_address_refused(&address->addr, g->allow_loopback);
    if (why) {
        char ip[INET6_ADDRSTRLEN] = "?";
        const void *raw =
            address->family == AF_INET6
                ? (const void *)&((struct sockaddr_in6 *)(void *)&address->addr)->sin6_addr
                : (const void *)&((struct sockaddr_in *)(void *)&address->addr)->sin_addr;
        if (address->family == AF_INET || address->family == AF_INET6)
            inet_ntop(address->family, raw, ip, sizeof ip);
        snprintf(g->refused, sizeof g->refused, "%s", ip);
        g->why = why;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

/* libcurl's progress callback: non-zero stops the transfer (CURLE_ABORTED_BY_CALLBACK). */
static int progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                    curl_off_t ulnow)
{
    const feeds_limits *lim = ud;
    return lim->is_stopping(lim->stopping_ud) ? 1 : 0;
}

/* The value of header name in the last answer, copied (malloc), or NULL. */
static char *last_header(CURL *h, const char *name)
{
    struct curl_header *hd = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd) return NULL;
    return header_value_ok(hd->value) ? strdup(hd->value) : NULL;
}

/* Turns a failed transfer into the row's line. */
static int transfer_failed(feeds_response *r, CURL *h, CURLcode rc, const char *cerr,
                           const struct sink *sink, const feeds_limits *lim, const struct guard *g,
                           bool is_out_of_time)
{
    if (g->refused[0])
        return fail(r, PL_EINVAL, "refused to connect to %s: feeds are not fetched from %s",
                    g->refused, g->why);
    char d[32], z[32];
    say_size(lim->max_bytes, z, sizeof z);
    if (sink->is_over || rc == CURLE_FILESIZE_EXCEEDED)
        return fail(r, PL_ELIMIT, "the feed is larger than %s", z);
    const char *detail = cerr[0] ? cerr : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connected = 0;
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
        if (!connected && !is_out_of_time) {
            say_duration(lim->connect_timeout_ms, d, sizeof d);
            return fail(r, PL_EINTERNAL, "could not connect within %s", d);
        }
        say_duration(lim->total_timeout_ms, d, sizeof d);
        return fail(r, PL_EINTERNAL, "timed out after %s", d);
    }
    case CURLE_COULDNT_RESOLVE_HOST:
        return fail(r, PL_EINTERNAL, "could not find the host: %s", detail);
    case CURLE_COULDNT_CONNECT: return fail(r, PL_EINTERNAL, "could not connect: %s", detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
        return fail(r, PL_EINVAL, "only http and https feeds can be fetched");
    case CURLE_URL_MALFORMAT: return fail(r, PL_EINVAL, "not a usable URL: %s", detail);
    case CURLE_ABORTED_BY_CALLBACK: return fail(r, PL_EINTERNAL, "the fetch was stopped");
    case CURLE_BAD_CONTENT_ENCODING:
        return fail(r, PL_EINTERNAL, "the feed's compression is broken: %s", detail);
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return fail(r, PL_EINTERNAL, "the connection ended before the whole feed came: %s", detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return fail(r, PL_EINTERNAL, "TLS failed: %s", detail);
    default: return fail(r, PL_EINTERNAL, "could not fetch the feed: %s", detail);
    }
}

static bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* One fetch on a prepared handle; the caller cleans up. */
static int fetch_chain(CURL *h, const char *url, const feeds_limits *lim, struct guard *g,
                       feeds_response *r, char *cerr)
{
    struct sink sink = {.body = &r->body, .max = lim->max_bytes};
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_bytes);

    /* the URLs asked, to tell a loop (one seen again) from a chain that is only long */
    char **seen = calloc((size_t)lim->max_redirects + 1, sizeof *seen);
    if (!seen) return fail(r, PL_ENOMEM, "out of memory");
    int n_seen = 0, rc = PL_OK;
    int64_t deadline = time_mono_ns() + (int64_t)lim->total_timeout_ms * 1000000;
    seen[n_seen++] = strdup(url);
    for (;;) {
        const char *cur = seen[n_seen - 1];
        if (!cur) {
            rc = fail(r, PL_ENOMEM, "out of memory");
            break;
        }
        int64_t left_ms = (deadline - time_mono_ns()) / 1000000;
        if (left_ms <= 0) {
            char d[32];
            say_duration(lim->total_timeout_ms, d, sizeof d);
            rc = fail(r, PL_EINTERNAL, "timed out after %s", d);
            break;
        }
        buf_reset(&r->body);
        sink.is_over = false;
        cerr[0] = '\0';
        g->refused[0] = '\0';
        curl_easy_setopt(h, CURLOPT_URL, cur);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left_ms);
        curl_easy_setopt(
            h, CURLOPT_CONNECTTIMEOUT_MS,
            (long)(lim->connect_timeout_ms < left_ms ? lim->connect_timeout_ms : left_ms));
        CURLcode cc = curl_easy_perform(h);
        if (cc != CURLE_OK) {
            bool is_out_of_time = time_mono_ns() >= deadline - 50 * 1000000LL;
            rc = transfer_failed(r, h, cc, cerr, &sink, lim, g, is_out_of_time);
            break;
        }
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        r->http_status = status;
        free(r->etag);
        free(r->last_modified);
        r->etag = last_header(h, "ETag");
        r->last_modified = last_header(h, "Last-Modified");
        curl_off_t retry_after = 0;
        if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK)
            r->retry_after_s = retry_after > 0 ? (int64_t)retry_after : 0;
        if (is_redirect(status)) {
            char *next = NULL;
            curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &next);
            if (!next) {
                rc = fail(r, PL_EINTERNAL, "HTTP %ld without a Location to go to", status);
                break;
            }
            for (int i = 0; i < n_seen; i++) {
                if (!strcmp(seen[i], next)) {
                    rc = fail(r, PL_EINTERNAL, "a redirect loop: %s leads back to %s", cur, next);
                    goto done;
                }
            }
            if (!is_http_url(next)) {
                rc = fail(r, PL_EINVAL, "redirected to %.100s, which is not http or https", next);
                break;
            }
            if (n_seen > lim->max_redirects) {
                rc = fail(r, PL_EINTERNAL, "more than %d redirects", lim->max_redirects);
                break;
            }
            seen[n_seen++] = strdup(next);
            continue;
        }
        r->final_url = strdup(cur);
        if (status == 304) {
            r->outcome = FEEDS_NOT_MODIFIED;
            buf_free(&r->body);
        } else if (status >= 200 && status < 300) {
            r->outcome = FEEDS_FETCHED;
        } else {
            rc = fail(r, PL_EINTERNAL, "HTTP %ld", status);
        }
        break;
    }
done:
    for (int i = 0; i < n_seen; i++) free(seen[i]);
    free(seen);
    return rc;
}

int feeds_fetch(const char *url, const char *etag, const char *last_modified,
                const feeds_limits *limits, feeds_response *out)
{
    memset(out, 0, sizeof *out);
    feeds_limits lim = limits ? *limits : (feeds_limits)FEEDS_LIMITS_DEFAULT;
    if (lim.connect_timeout_ms <= 0) lim.connect_timeout_ms = 10 * 1000;
    if (lim.total_timeout_ms <= 0) lim.total_timeout_ms = 30 * 1000;
    if (lim.max_bytes == 0) lim.max_bytes = (size_t)5 << 20;
    if (lim.max_redirects < 0) lim.max_redirects = 0;
    if (!is_http_url(url)) return fail(out, PL_EINVAL, "only http and https feeds can be fetched");
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK)
        return fail(out, PL_EINTERNAL, "libcurl could not start: %s",
                    curl_easy_strerror(curl_init_rc));
    CURL *h = curl_easy_init();
    if (!h) return fail(out, PL_EINTERNAL, "libcurl could not start");

    struct curl_slist *headers = curl_slist_append(
        NULL, "Accept: application/rss+xml, application/atom+xml, application/rdf+xml, "
              "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    char line[1100];
    if (header_value_ok(etag)) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        headers = curl_slist_append(headers, line);
    }
    if (header_value_ok(last_modified)) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        headers = curl_slist_append(headers, line);
    }
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, lim.user_agent ? lim.user_agent : FEEDS_USER_AGENT);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl can decode */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    struct guard g = {.allow_loopback = lim.allow_loopback};
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &g);
    if (lim.is_stopping) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &lim);
    }
    int rc =
        headers ? fetch_chain(h, url, &lim, &g, out, cerr) : fail(out, PL_ENOMEM, "out of memory");
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return rc;
}
