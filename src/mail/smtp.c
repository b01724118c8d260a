/*
 * smtp.c — hands one composed message to an SMTP relay with libcurl.
 *
 * libcurl speaks SMTP, STARTTLS, SMTPS and AUTH, and does the end-of-data dot escaping, so
 * this file only maps our relay settings onto it. One connection per message: mail here is
 * rare (confirmations, later digests), and a fresh connection cannot carry state from an
 * earlier failure. Only smtp and smtps are allowed, so a relay URL can never make the server
 * fetch a file or another URL. Never called on an event loop or the writer (mail.h).
 */
#include "mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_message(char *dst, size_t size, size_t nmemb, void *ud)
{
    struct reader *r = ud;
    size_t n = size * nmemb;
    if (n > r->left) n = r->left;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

int mail_send(const mail_relay *relay, const char *from_addr, const char *to_addr,
              const char *message, size_t len, char *err, size_t errlen)
{
    err[0] = '\0';
    const char *url = relay->url;
    if (!url || (strncasecmp(url, "smtp://", 7) && strncasecmp(url, "smtps://", 8))) {
        snprintf(err, errlen, "the relay URL must start with smtp:// or smtps://");
        return PL_EINVAL;
    }
    if (!mail_address_ok(from_addr) || !mail_address_ok(to_addr)) {
        snprintf(err, errlen, "an address is not usable");
        return PL_EINVAL;
    }
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not start: %s", curl_easy_strerror(curl_init_rc));
        return PL_EINTERNAL;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "libcurl could not start");
        return PL_EINTERNAL;
    }
    char from[300], to[300], cerr[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", from_addr);
    snprintf(to, sizeof to, "<%s>", to_addr);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    struct reader r = {message, len};
    int timeout = relay->timeout_sec > 0 ? relay->timeout_sec : 30;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(h, CURLOPT_READDATA, &r);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    if (relay->starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (relay->user && *relay->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, relay->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, relay->password ? relay->password : "");
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    if (rc == CURLE_OK) return PL_OK;
    return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ? PL_EINVAL : PL_EINTERNAL;
}
