/*
 * test_feeds.c — unit tests for src/feeds: fetching against a local HTTP server this test
 * starts (a thread on 127.0.0.1, a port the kernel picks, canned answers by path), parsing
 * RSS 2.0, RSS 1.0 and Atom into items, the dates feeds write, and the politeness rule.
 *
 * Every failure is checked for the line a person would read on the source's row, and after
 * each one the next fetch of a good feed is checked to work: one broken feed stops nothing.
 * The stalling answer holds its connection until the client gives up (no sleeping here): the
 * test's limits are short, so the time-out comes after one second.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "feeds/feeds.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/text.h"
#include "util/timeutil.h"

/* ------------------------------------------------------------------------------------------ */
/* Canned feeds                                                                               */
/* ------------------------------------------------------------------------------------------ */

static const char RSS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
    "<channel><title>Acme  news</title><link>https://acme.example/</link>\n"
    "<item><title>Price change</title><link>https://acme.example/price</link>\n"
    "  <guid isPermaLink=\"false\">acme-1</guid><author>pr@acme.example (PR)</author>\n"
    "  <pubDate>Sat, 05 Dec 2026 18:30:00 +0100</pubDate>\n"
    "  <description>&lt;p&gt;We are &lt;b&gt;changing&lt;/b&gt; the recipe.&lt;/p&gt;"
    "&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Sorry &amp;amp; thanks&lt;/p&gt;</description>\n"
    "</item>\n"
    "<item><title>Reversal</title><guid>https://acme.example/reversal</guid>\n"
    "  <dc:creator>Bill</dc:creator><dc:date>2026-12-07T09:00:00Z</dc:date>\n"
    "  <description>short</description>\n"
    "  <content:encoded><![CDATA[<ul><li>We heard you</li><li>It stays</li></ul>]]>"
    "</content:encoded></item>\n"
    "<item><title>No guid</title><link>/relative/path</link>\n"
    "  <pubDate>Sun, 06 Dec 2026 08:00 GMT</pubDate></item>\n"
    "<item><title>Neither guid nor link</title><pubDate>Mon, 07 Dec 2026 07:00:00 GMT</pubDate>"
    "</item>\n"
    "<item><title>Bad link</title><link>javascript:alert(1)</link></item>\n"
    "</channel></rss>\n";

static const char ATOM[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://blog.example/posts/\">\n"
    "  <title type=\"html\">Vendor &lt;i&gt;status&lt;/i&gt;</title>\n"
    "  <link rel=\"self\" href=\"https://blog.example/feed.atom\"/>\n"
    "  <link href=\"https://blog.example/\"/>\n"
    "  <author><name>Status team</name></author>\n"
    "  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>\n"
    "  <entry><title>Outage resolved</title><id>tag:blog.example,2026:1</id>\n"
    "    <link rel=\"alternate\" href=\"outage\"/>\n"
    "    <published>2026-12-07T10:15:30.5+01:00</published>\n"
    "    <updated>2026-12-07T11:00:00Z</updated>\n"
    "    <content type=\"html\">&lt;p&gt;All systems&lt;br&gt;normal&lt;/p&gt;</content>\n"
    "  </entry>\n"
    "  <entry><title type=\"text\">Maintenance</title><id>tag:blog.example,2026:2</id>\n"
    "    <author><name>Ops</name></author><updated>2026-12-06T22:00:00-05:00</updated>\n"
    "    <summary type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Window "
    "<b>Sunday</b></p><p>02:00 UTC</p></div></summary>\n"
    "  </entry>\n"
    "</feed>\n";

static const char RDF[] =
    "<?xml version=\"1.0\"?>\n"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
    "  xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    " <channel rdf:about=\"https://rdf.example/\"><title>RDF site</title>\n"
    "  <link>https://rdf.example/</link></channel>\n"
    " <item rdf:about=\"https://rdf.example/a\"><title>First</title>\n"
    "  <link>https://rdf.example/a</link><dc:creator>Ann</dc:creator>\n"
    "  <dc:date>2026-12-01</dc:date><description>One &amp; two</description></item>\n"
    " <item rdf:about=\"https://rdf.example/b\"><title>Second</title>\n"
    "  <link>https://rdf.example/b</link></item>\n"
    "</rdf:RDF>\n";

static const char BAD_XML[] = "<?xml version=\"1.0\"?>\n"
                              "<rss version=\"2.0\"><channel>\n"
                              "<title>Broken</channel></rss>\n";

static const char LOL[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE rss [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>\n";

/* ------------------------------------------------------------------------------------------ */
/* The local HTTP server                                                                      */
/* ------------------------------------------------------------------------------------------ */

enum { HUGE_BYTES = 200 * 1024, CAP_BYTES = 64 * 1024 };

typedef struct server {
    int fd, port;
    pthread_t thread;
    pthread_mutex_t mu;
    char last_request[8192]; /* the headers of the last request, as they came */
    int gzip_served;
} server;

static server srv;

static void send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0) return; /* the client went away: fine, it may have given up */
        p += n;
        len -= (size_t)n;
    }
}

static void respond(int fd, int status, const char *headers, const char *body, size_t len)
{
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n", status,
                     len, headers ? headers : "");
    send_all(fd, head, (size_t)n);
    send_all(fd, body, len);
}

static void respond_xml(int fd, const char *extra, const char *xml)
{
    char h[512];
    snprintf(h, sizeof h, "Content-Type: application/xml\r\n%s", extra ? extra : "");
    respond(fd, 200, h, xml, strlen(xml));
}

/* The value of header name in req (case-insensitive), copied to out; false if absent. */
static bool req_header(const char *req, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = strstr(req, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) || p[2 + n] != ':') continue;
        const char *v = p + 3 + n;
        while (*v == ' ') v++;
        size_t k = strcspn(v, "\r\n");
        snprintf(out, cap, "%.*s", (int)k, v);
        return true;
    }
    return false;
}

static void gzip_into(const char *data, size_t len, buf *out)
{
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    buf_reserve(out, deflateBound(&z, len));
    z.next_in = (unsigned char *)data;
    z.avail_in = (unsigned)len;
    z.next_out = (unsigned char *)out->data;
    z.avail_out = (unsigned)out->cap - 1;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len = z.total_out;
    deflateEnd(&z);
}

static void serve(int fd, const char *req)
{
    char path[256] = "", v[256];
    sscanf(req, "GET %255s", path);
    if (!strcmp(path, "/rss.xml")) {
        respond_xml(fd, NULL, RSS);
    } else if (!strcmp(path, "/atom.xml")) {
        respond_xml(fd, NULL, ATOM);
    } else if (!strcmp(path, "/rdf.xml")) {
        respond_xml(fd, NULL, RDF);
    } else if (!strcmp(path, "/etag.xml")) {
        if (req_header(req, "If-None-Match", v, sizeof v) && !strcmp(v, "\"v1\""))
            respond(fd, 304, "ETag: \"v1\"\r\n", "", 0);
        else
            respond_xml(fd, "ETag: \"v1\"\r\n", RSS);
    } else if (!strcmp(path, "/lastmod.xml")) {
        const char *lm = "Mon, 07 Dec 2026 10:00:00 GMT";
        if (req_header(req, "If-Modified-Since", v, sizeof v) && !strcmp(v, lm))
            respond(fd, 304, NULL, "", 0);
        else
            respond_xml(fd, "Last-Modified: Mon, 07 Dec 2026 10:00:00 GMT\r\n", RSS);
    } else if (!strcmp(path, "/gzip.xml")) {
        if (!req_header(req, "Accept-Encoding", v, sizeof v) || !strstr(v, "gzip")) {
            respond(fd, 406, NULL, "", 0);
            return;
        }
        pthread_mutex_lock(&srv.mu); /* counted before the client can have the answer */
        srv.gzip_served++;
        pthread_mutex_unlock(&srv.mu);
        buf z = BUF_INIT;
        gzip_into(ATOM, strlen(ATOM), &z);
        respond(fd, 200, "Content-Encoding: gzip\r\nContent-Type: application/atom+xml\r\n", z.data,
                z.len);
        buf_free(&z);
    } else if (!strcmp(path, "/bomb.xml")) {
        /* a few hundred bytes of gzip that grow to 10 MB of spaces */
        size_t n = 10u << 20;
        char *spaces = malloc(n);
        memset(spaces, ' ', n);
        buf z = BUF_INIT;
        gzip_into(spaces, n, &z);
        free(spaces);
        respond(fd, 200, "Content-Encoding: gzip\r\n", z.data, z.len);
        buf_free(&z);
    } else if (!strcmp(path, "/bad.xml")) {
        respond_xml(fd, NULL, BAD_XML);
    } else if (!strcmp(path, "/lol.xml")) {
        respond_xml(fd, NULL, LOL);
    } else if (!strcmp(path, "/page.html")) {
        respond(fd, 200, "Content-Type: text/html\r\n", "<html><body>hi</body></html>", 28);
    } else if (!strcmp(path, "/stall.xml")) {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<rss>";
        send_all(fd, head, strlen(head));
        char c;
        while (recv(fd, &c, 1, 0) > 0) {
        } /* until the client gives up and closes */
    } else if (!strcmp(path, "/huge.xml")) {
        /* no Content-Length: the cap must stop it while the bytes come */
        const char *head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
        send_all(fd, head, strlen(head));
        char chunk[4096];
        memset(chunk, ' ', sizeof chunk);
        for (size_t sent = 0; sent < HUGE_BYTES; sent += sizeof chunk)
            send_all(fd, chunk, sizeof chunk);
    } else if (!strcmp(path, "/declared-huge.xml")) {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n";
        send_all(fd, head, strlen(head));
    } else if (!strcmp(path, "/loop-a")) {
        respond(fd, 302, "Location: /loop-b\r\n", "", 0);
    } else if (!strcmp(path, "/loop-b")) {
        respond(fd, 301, "Location: /loop-a\r\n", "", 0);
    } else if (!strncmp(path, "/hop/", 5)) { /* three redirects, then a feed */
        int n = atoi(path + 5);
        snprintf(v, sizeof v, "Location: /hop/%d\r\n", n + 1);
        if (n < 3)
            respond(fd, 307, v, "", 0);
        else
            respond_xml(fd, NULL, RDF);
    } else if (!strncmp(path, "/chain/", 7)) { /* redirects without end, never back */
        snprintf(v, sizeof v, "Location: /chain/%d\r\n", atoi(path + 7) + 1);
        respond(fd, 302, v, "", 0);
    } else if (!strcmp(path, "/ftp-redirect")) {
        respond(fd, 302, "Location: ftp://127.0.0.1/feed.xml\r\n", "", 0);
    } else if (!strcmp(path, "/busy.xml")) {
        respond(fd, 503, "Retry-After: 120\r\n", "busy", 4);
    } else {
        respond(fd, 404, "Content-Type: text/plain\r\n", "not here", 8);
    }
}

static void *server_main(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(srv.fd, NULL, NULL);
        if (c < 0) return NULL; /* the test shut the socket down */
        char req[8192];
        size_t len = 0;
        while (len < sizeof req - 1) {
            ssize_t n = recv(c, req + len, sizeof req - 1 - len, 0);
            if (n <= 0) break;
            len += (size_t)n;
            req[len] = '\0';
            if (strstr(req, "\r\n\r\n")) break;
        }
        req[len] = '\0';
        pthread_mutex_lock(&srv.mu);
        snprintf(srv.last_request, sizeof srv.last_request, "%s", req);
        pthread_mutex_unlock(&srv.mu);
        serve(c, req);
        close(c);
    }
}

static int server_start(void **state)
{
    (void)state;
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&a, sizeof a) || listen(srv.fd, 16))
        return -1;
    socklen_t alen = sizeof a;
    getsockname(srv.fd, (struct sockaddr *)&a, &alen);
    srv.port = ntohs(a.sin_port);
    pthread_mutex_init(&srv.mu, NULL);
    return pthread_create(&srv.thread, NULL, server_main, NULL);
}

static int server_stop(void **state)
{
    (void)state;
    shutdown(srv.fd, SHUT_RDWR); /* wakes accept() */
    pthread_join(srv.thread, NULL);
    close(srv.fd);
    pthread_mutex_destroy(&srv.mu);
    return 0;
}

static const char *url(const char *path)
{
    static char u[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(u[i], sizeof u[i], "http://127.0.0.1:%d%s", srv.port, path);
    return u[i];
}

static void last_request(char *out, size_t cap)
{
    pthread_mutex_lock(&srv.mu);
    snprintf(out, cap, "%s", srv.last_request);
    pthread_mutex_unlock(&srv.mu);
}

/* Short limits, so the stall times out in a second and the cap is small; the test's server is
 * on 127.0.0.1, which a feed is fetched from only when allowed. */
static const feeds_limits QUICK = {.connect_timeout_ms = 1000,
                                   .total_timeout_ms = 1000,
                                   .max_bytes = CAP_BYTES,
                                   .max_redirects = 5,
                                   .allow_loopback = true};

/* Fetches path with the quick limits, expecting a failure with exactly the line want (or
 * starting with it, when prefix). Then checks that a good feed still fetches and parses. */
static void expect_failure(const char *path, int want_rc, const char *want, bool prefix)
{
    feeds_response r;
    int rc = feeds_fetch(url(path), NULL, NULL, &QUICK, &r);
    if (prefix)
        assert_memory_equal(r.error, want, strlen(want));
    else
        assert_string_equal(r.error, want);
    assert_int_equal(rc, want_rc);
    assert_int_equal(r.outcome, FEEDS_FAILED);
    assert_int_equal(r.body.len, 0);
    feeds_response_free(&r);

    assert_int_equal(feeds_fetch(url("/rss.xml"), NULL, NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_FETCHED);
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    assert_int_equal(feeds_parse(r.body.data, r.body.len, r.final_url, 0, &a, &f, err, sizeof err),
                     PL_OK);
    assert_int_equal(f.n_items, 5);
    arena_free(&a);
    feeds_response_free(&r);
}

/* Fetches and parses path, which must succeed; the caller frees a and r. */
static feeds_feed fetch_feed(const char *path, arena *a, feeds_response *r)
{
    assert_int_equal(feeds_fetch(url(path), NULL, NULL, &QUICK, r), PL_OK);
    assert_int_equal(r->outcome, FEEDS_FETCHED);
    assert_int_equal(r->http_status, 200);
    feeds_feed f;
    char err[256] = "";
    int rc = feeds_parse(r->body.data, r->body.len, r->final_url, 0, a, &f, err, sizeof err);
    if (rc) fail_msg("%s: %s", path, err);
    return f;
}

/* ------------------------------------------------------------------------------------------ */
/* Good feeds                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void test_rss_items_carry_key_link_title_author_date_and_text(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r;
    feeds_feed f = fetch_feed("/rss.xml", &a, &r);
    assert_int_equal(f.kind, FEEDS_RSS2);
    assert_string_equal(f.title, "Acme news");
    assert_string_equal(f.link, "https://acme.example/");
    assert_int_equal(f.n_items, 5);

    feeds_item *it = &f.items[0];
    assert_string_equal(it->key, "acme-1"); /* a guid that is not a permalink is still the key */
    assert_string_equal(it->link, "https://acme.example/price");
    assert_string_equal(it->title, "Price change");
    assert_string_equal(it->author, "pr@acme.example (PR)");
    assert_int_equal(it->published_ms, 1796491800000LL); /* 2026-12-05T17:30:00Z */
    /* HTML turned to text: paragraphs kept apart, the script's text left out */
    assert_string_equal(it->text, "We are changing the recipe.\n\nSorry & thanks");

    it = &f.items[1]; /* a permalink guid is the key and, with no <link>, the link */
    assert_string_equal(it->key, "https://acme.example/reversal");
    assert_string_equal(it->link, "https://acme.example/reversal");
    assert_string_equal(it->author, "Bill");
    assert_int_equal(it->published_ms, 1796634000000LL);     /* dc:date, RFC 3339 */
    assert_string_equal(it->text, "We heard you\nIt stays"); /* content:encoded first */

    it = &f.items[2]; /* no guid: the link, made absolute against the feed's URL */
    char want[128];
    snprintf(want, sizeof want, "http://127.0.0.1:%d/relative/path", srv.port);
    assert_string_equal(it->link, want);
    assert_string_equal(it->key, want);
    assert_int_equal(it->published_ms, 1796544000000LL); /* no seconds, "GMT" */
    assert_string_equal(it->text, "");

    it = &f.items[3]; /* neither guid nor link: a hash of title and date */
    assert_null(it->link);
    assert_memory_equal(it->key, "sha256:", 7);
    assert_int_equal(strlen(it->key), 7 + 64);

    it = &f.items[4]; /* a javascript: link is no link */
    assert_null(it->link);
    assert_memory_equal(it->key, "sha256:", 7);
    assert_string_not_equal(it->key, f.items[3].key);
    arena_free(&a);
    feeds_response_free(&r);
}

static void test_items_without_guid_keep_their_key_from_fetch_to_fetch(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r1, r2;
    feeds_feed f1 = fetch_feed("/rss.xml", &a, &r1);
    feeds_feed f2 = fetch_feed("/rss.xml", &a, &r2);
    assert_int_equal(f1.n_items, f2.n_items);
    for (size_t i = 0; i < f1.n_items; i++) assert_string_equal(f1.items[i].key, f2.items[i].key);
    arena_free(&a);
    feeds_response_free(&r1);
    feeds_response_free(&r2);
}

static void test_atom_entries_use_base_published_and_content_types(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r;
    feeds_feed f = fetch_feed("/atom.xml", &a, &r);
    assert_int_equal(f.kind, FEEDS_ATOM);
    assert_string_equal(f.title, "Vendor status"); /* type="html" */
    assert_string_equal(f.link, "https://blog.example/");
    assert_int_equal(f.n_items, 2);

    feeds_item *it = &f.items[0];
    assert_string_equal(it->key, "tag:blog.example,2026:1");
    assert_string_equal(it->link, "https://blog.example/posts/outage"); /* xml:base */
    assert_string_equal(it->title, "Outage resolved");
    assert_string_equal(it->author, "Status team");      /* the feed's author */
    assert_int_equal(it->published_ms, 1796634930500LL); /* published, not updated */
    assert_string_equal(it->text, "All systems\nnormal");

    it = &f.items[1];
    assert_string_equal(it->author, "Ops");
    assert_null(it->link);
    assert_int_equal(it->published_ms, 1796612400000LL);         /* updated, -05:00 */
    assert_string_equal(it->text, "Window Sunday\n\n02:00 UTC"); /* xhtml */
    arena_free(&a);
    feeds_response_free(&r);
}

static void test_rdf_items_are_keyed_by_rdf_about(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r;
    feeds_feed f = fetch_feed("/rdf.xml", &a, &r);
    assert_int_equal(f.kind, FEEDS_RDF);
    assert_string_equal(f.title, "RDF site");
    assert_int_equal(f.n_items, 2);
    assert_string_equal(f.items[0].key, "https://rdf.example/a");
    assert_string_equal(f.items[0].author, "Ann");
    assert_int_equal(f.items[0].published_ms, 1796083200000LL); /* a date alone: midnight */
    assert_string_equal(f.items[0].text, "One & two");
    assert_string_equal(f.items[1].title, "Second");
    assert_int_equal(f.items[1].published_ms, 0);
    arena_free(&a);
    feeds_response_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void test_an_etag_given_back_gets_not_modified(void **state)
{
    feeds_response r;
    assert_int_equal(feeds_fetch(url("/etag.xml"), NULL, NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_FETCHED);
    assert_string_equal(r.etag, "\"v1\"");
    char *etag = strdup(r.etag);
    feeds_response_free(&r);

    assert_int_equal(feeds_fetch(url("/etag.xml"), etag, NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_NOT_MODIFIED);
    assert_int_equal(r.http_status, 304);
    assert_int_equal(r.body.len, 0);
    feeds_response_free(&r);

    /* a validator that could break the request's headers is not sent */
    assert_int_equal(feeds_fetch(url("/etag.xml"), "\"v1\"\r\nX-Evil: 1", NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_FETCHED);
    char req[8192];
    last_request(req, sizeof req);
    assert_null(strstr(req, "X-Evil"));
    assert_null(strstr(req, "If-None-Match"));
    feeds_response_free(&r);
    free(etag);
}

static void test_last_modified_given_back_gets_not_modified(void **state)
{
    feeds_response r;
    assert_int_equal(feeds_fetch(url("/lastmod.xml"), NULL, NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_FETCHED);
    assert_null(r.etag);
    assert_string_equal(r.last_modified, "Mon, 07 Dec 2026 10:00:00 GMT");
    char *lm = strdup(r.last_modified);
    feeds_response_free(&r);
    assert_int_equal(feeds_fetch(url("/lastmod.xml"), "", lm, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_NOT_MODIFIED);
    feeds_response_free(&r);
    free(lm);
}

static void test_gzip_is_asked_for_and_read(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r;
    feeds_feed f = fetch_feed("/gzip.xml", &a, &r);
    assert_int_equal(f.kind, FEEDS_ATOM);
    assert_int_equal(f.n_items, 2);
    pthread_mutex_lock(&srv.mu);
    int served = srv.gzip_served;
    pthread_mutex_unlock(&srv.mu);
    assert_int_equal(served, 1);
    arena_free(&a);
    feeds_response_free(&r);
}

static void test_requests_name_partyline(void **state)
{
    feeds_response r;
    feeds_limits lim = FEEDS_LIMITS_DEFAULT; /* its user agent */
    lim.allow_loopback = true;
    assert_int_equal(feeds_fetch(url("/rss.xml"), NULL, NULL, &lim, &r), PL_OK);
    feeds_response_free(&r);
    char req[8192], ua[256];
    last_request(req, sizeof req);
    assert_true(req_header(req, "User-Agent", ua, sizeof ua));
    assert_string_equal(ua, FEEDS_USER_AGENT);
    assert_non_null(strstr(ua, "partyline"));
}

static void test_a_short_chain_of_redirects_is_followed(void **state)
{
    arena a = ARENA_INIT;
    feeds_response r;
    feeds_feed f = fetch_feed("/hop/0", &a, &r);
    assert_int_equal(f.kind, FEEDS_RDF);
    assert_string_equal(r.final_url, url("/hop/3"));
    arena_free(&a);
    feeds_response_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Failures: each one line, and the next fetch still works                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_a_404_says_so(void **state)
{
    expect_failure("/nowhere.xml", PL_EINTERNAL, "HTTP 404", false);
}

static void test_a_503_keeps_its_retry_after(void **state)
{
    feeds_response r;
    assert_int_equal(feeds_fetch(url("/busy.xml"), NULL, NULL, &QUICK, &r), PL_EINTERNAL);
    assert_string_equal(r.error, "HTTP 503");
    assert_int_equal(r.retry_after_s, 120);
    feeds_response_free(&r);
}

static void test_a_stalled_answer_times_out(void **state)
{
    int64_t t0 = time_mono_ns();
    expect_failure("/stall.xml", PL_EINTERNAL, "timed out after 1 s", false);
    int64_t ms = (time_mono_ns() - t0) / 1000000;
    assert_true(ms >= 900);
    assert_true(ms < 5000);
}

static bool stop_now(void *ud)
{
    return ++*(int *)ud > 0;
}

static void test_a_stop_ends_a_stalled_fetch_at_once(void **state)
{
    int asked = 0;
    feeds_limits lim = QUICK;
    lim.total_timeout_ms = 20 * 1000; /* the stop, not the time-out, must end it */
    lim.is_stopping = stop_now;
    lim.stopping_ud = &asked;
    int64_t t0 = time_mono_ns();
    feeds_response r;
    assert_int_equal(feeds_fetch(url("/stall.xml"), NULL, NULL, &lim, &r), PL_EINTERNAL);
    assert_string_equal(r.error, "the fetch was stopped");
    assert_true(asked > 0);
    assert_true((time_mono_ns() - t0) / 1000000 < 5000);
    feeds_response_free(&r);
}

static void test_a_body_over_the_cap_is_refused_whole(void **state)
{
    expect_failure("/huge.xml", PL_ELIMIT, "the feed is larger than 64 KB", false);
    expect_failure("/declared-huge.xml", PL_ELIMIT, "the feed is larger than 64 KB", false);
    /* the cap counts the bytes once decompressed: a gzip bomb stops there */
    expect_failure("/bomb.xml", PL_ELIMIT, "the feed is larger than 64 KB", false);
}

static void test_a_redirect_loop_is_named(void **state)
{
    char want[256];
    snprintf(want, sizeof want, "a redirect loop: %s leads back to %s", url("/loop-b"),
             url("/loop-a"));
    expect_failure("/loop-a", PL_EINTERNAL, want, false);
}

static void test_too_many_redirects_are_not_a_loop(void **state)
{
    expect_failure("/chain/0", PL_EINTERNAL, "more than 5 redirects", false);
}

/* feeds_address_refused on one address written as text */
static const char *refused(const char *ip, bool allow_loopback)
{
    struct sockaddr_storage ss = {0};
    if (strchr(ip, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
    }
    return feeds_address_refused((const struct sockaddr *)&ss, allow_loopback);
}

static void test_which_addresses_a_feed_may_come_from(void **state)
{
    /* a cloud machine's metadata and credentials, this machine's services, nowhere */
    const char *never[] = {"169.254.169.254",
                           "169.254.0.1",
                           "fe80::1",
                           "febf::1",
                           "0.0.0.0",
                           "0.1.2.3",
                           "::",
                           "224.0.0.1",
                           "239.255.255.250",
                           "ff02::1",
                           "255.255.255.255",
                           "::ffff:169.254.169.254"};
    for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
        if (!refused(never[i], false) || !refused(never[i], true))
            fail_msg("%s should be refused, loopback allowed or not", never[i]);
    }
    const char *loopback[] = {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"};
    for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
        const char *why = refused(loopback[i], false);
        if (!why || strcmp(why, "an address of this machine (loopback)"))
            fail_msg("%s: %s", loopback[i], why ? why : "allowed");
        if (refused(loopback[i], true)) fail_msg("%s refused though allowed", loopback[i]);
    }
    /* the internet and an intranet's private networks */
    const char *fine[] = {"93.184.216.34", "10.0.0.1",    "172.16.4.2",     "192.168.1.10",
                          "128.0.0.1",     "fc00::1",     "2001:db8::1",    "::ffff:10.1.2.3",
                          "169.253.1.1",   "223.255.1.1", "126.255.255.255"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        const char *why = refused(fine[i], false);
        if (why) fail_msg("%s refused: %s", fine[i], why);
    }
}

static void test_a_feed_on_this_machine_is_refused_unless_allowed(void **state)
{
    feeds_limits lim = QUICK;
    lim.allow_loopback = false;
    feeds_response r;
    assert_int_equal(feeds_fetch(url("/rss.xml"), NULL, NULL, &lim, &r), PL_EINVAL);
    assert_string_equal(r.error, "refused to connect to 127.0.0.1: feeds are not fetched from an "
                                 "address of this machine (loopback)");
    assert_int_equal(r.outcome, FEEDS_FAILED);
    feeds_response_free(&r);
    /* by name too: the address is judged once the name is resolved */
    char by_name[256];
    snprintf(by_name, sizeof by_name, "http://localhost:%d/rss.xml", srv.port);
    assert_int_equal(feeds_fetch(by_name, NULL, NULL, &lim, &r), PL_EINVAL);
    assert_non_null(strstr(r.error, "feeds are not fetched from an address of this machine"));
    feeds_response_free(&r);
    /* allowed, the same feed comes */
    assert_int_equal(feeds_fetch(url("/rss.xml"), NULL, NULL, &QUICK, &r), PL_OK);
    assert_int_equal(r.outcome, FEEDS_FETCHED);
    feeds_response_free(&r);
}

static void test_only_http_and_https_are_fetched(void **state)
{
    feeds_response r;
    assert_int_equal(feeds_fetch("file:///etc/passwd", NULL, NULL, &QUICK, &r), PL_EINVAL);
    assert_string_equal(r.error, "only http and https feeds can be fetched");
    feeds_response_free(&r);
    expect_failure("/ftp-redirect", PL_EINVAL,
                   "redirected to ftp://127.0.0.1/feed.xml, which is not http or https", false);
}

static void test_a_closed_port_cannot_connect(void **state)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t alen = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &alen);
    close(s); /* bound, never listened: nothing answers there now */
    char u[64];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/feed.xml", ntohs(a.sin_port));
    feeds_response r;
    assert_int_equal(feeds_fetch(u, NULL, NULL, &QUICK, &r), PL_EINTERNAL);
    assert_memory_equal(r.error, "could not connect: ", 19);
    feeds_response_free(&r);
}

/* Fetches path (which the server answers 200) and parses it, expecting err. */
static void expect_parse_failure(const char *path, const char *want)
{
    feeds_response r;
    assert_int_equal(feeds_fetch(url(path), NULL, NULL, &QUICK, &r), PL_OK);
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    assert_int_equal(feeds_parse(r.body.data, r.body.len, r.final_url, 0, &a, &f, err, sizeof err),
                     PL_EINVAL);
    assert_string_equal(err, want);
    assert_int_equal(f.n_items, 0);
    assert_null(f.items);
    arena_free(&a);
    feeds_response_free(&r);
    expect_failure("/nowhere.xml", PL_EINTERNAL, "HTTP 404", false); /* and on it goes */
}

static void test_bad_xml_says_where(void **state)
{
    expect_parse_failure("/bad.xml", "not XML: line 3: Opening and ending tag mismatch: title "
                                     "line 3 and channel");
}

static void test_a_billion_laughs_is_refused_at_once(void **state)
{
    int64_t t0 = time_mono_ns();
    expect_parse_failure("/lol.xml", "the feed declares entities inside entities (lol1), as a "
                                     "billion-laughs document does; that is refused");
    assert_true((time_mono_ns() - t0) / 1000000 < 2000);
}

static void test_an_html_page_is_not_a_feed(void **state)
{
    expect_parse_failure("/page.html", "not a feed: the root element is <html>");
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing without the server                                                                 */
/* ------------------------------------------------------------------------------------------ */

static int parse(const char *xml, size_t max_items, arena *a, feeds_feed *f, char *err)
{
    return feeds_parse(xml, strlen(xml), "https://feed.example/rss", max_items, a, f, err, 256);
}

static void test_external_and_parameter_entities_are_refused(void **state)
{
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM "
                      "\"file:///etc/passwd\">]><rss><channel><title>&x;</title></channel></rss>";
    assert_int_equal(parse(xxe, 0, &a, &f, err), PL_EINVAL);
    assert_string_equal(err, "the feed declares an external or parameter entity (x); that is "
                             "refused");
    const char *pe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % p \"x\">]>"
                     "<rss><channel/></rss>";
    assert_int_equal(parse(pe, 0, &a, &f, err), PL_EINVAL);
    assert_string_equal(err, "the feed declares an external or parameter entity (p); that is "
                             "refused");
    arena_free(&a);
}

static void test_a_plain_entity_may_be_declared_and_is_not_substituted(void **state)
{
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    const char *xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY nbsp \"&#160;\">]>"
                      "<rss><channel><item><title>a&nbsp;b</title><guid>1</guid></item>"
                      "</channel></rss>";
    assert_int_equal(parse(xml, 0, &a, &f, err), PL_OK);
    assert_int_equal(f.n_items, 1);
    assert_string_equal(f.items[0].title, "ab");
    arena_free(&a);
}

static void test_items_are_capped_and_repeats_dropped(void **state)
{
    buf x = BUF_INIT;
    buf_puts(&x, "<rss><channel>");
    for (int i = 0; i < 150; i++) buf_printf(&x, "<item><guid>g%d</guid></item>", i % 120);
    buf_puts(&x, "</channel></rss>");
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    assert_int_equal(parse(x.data, 0, &a, &f, err), PL_OK);
    assert_int_equal(f.n_items, FEEDS_MAX_ITEMS);
    assert_int_equal(f.n_dropped, 50);
    assert_string_equal(f.items[99].key, "g99");
    assert_int_equal(parse(x.data, 3, &a, &f, err), PL_OK);
    assert_int_equal(f.n_items, 3);
    /* repeats inside the cap are dropped, not counted as items */
    assert_int_equal(parse("<rss><channel><item><guid>a</guid></item><item><guid>a</guid>"
                           "</item><item><guid>b</guid></item></channel></rss>",
                           0, &a, &f, err),
                     PL_OK);
    assert_int_equal(f.n_items, 2);
    assert_int_equal(f.n_dropped, 1);
    arena_free(&a);
    buf_free(&x);
}

static void test_long_fields_are_cut_on_a_character(void **state)
{
    buf x = BUF_INIT, g = BUF_INIT;
    buf_puts(&x, "<rss><channel><item><title>");
    for (int i = 0; i < FEEDS_MAX_TITLE; i++) buf_puts(&x, "é"); /* two bytes each */
    buf_puts(&x, "</title><guid>");
    for (int i = 0; i < FEEDS_MAX_KEY + 1; i++) buf_putc(&g, 'k');
    buf_puts(&x, g.data);
    buf_puts(&x, "</guid><description>");
    for (int i = 0; i < FEEDS_MAX_TEXT; i++) buf_puts(&x, "ab ");
    buf_puts(&x, "</description></item></channel></rss>");
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    assert_int_equal(parse(x.data, 0, &a, &f, err), PL_OK);
    const feeds_item *it = &f.items[0];
    assert_int_equal(strlen(it->title), FEEDS_MAX_TITLE);
    assert_memory_equal(it->key, "sha256:", 7); /* a guid too long is hashed, still stable */
    assert_true(strlen(it->text) <= FEEDS_MAX_TEXT);
    assert_true(strlen(it->text) > FEEDS_MAX_TEXT - 3);
    arena_free(&a);
    buf_free(&x);
    buf_free(&g);
}

static void test_empty_and_rootless_documents_are_errors(void **state)
{
    arena a = ARENA_INIT;
    feeds_feed f;
    char err[256];
    assert_int_equal(parse("  \n", 0, &a, &f, err), PL_EINVAL);
    assert_string_equal(err, "not XML: the feed is empty");
    assert_int_equal(parse("<rss version=\"2.0\"/>", 0, &a, &f, err), PL_EINVAL);
    assert_string_equal(err, "not a feed: <rss> has no <channel>");
    assert_int_equal(parse("<feed xmlns=\"http://purl.org/atom/ns#\"/>", 0, &a, &f, err),
                     PL_EINVAL);
    assert_string_equal(err,
                        "not a feed: the root element is <feed> (in http://purl.org/atom/ns#)");
    arena_free(&a);
}

static void test_html_to_text(void **state)
{
    buf b = BUF_INIT;
    const char *html = "<div>One<br>two</div><style>p{}</style><table><tr><td>a</td><td>b</td>"
                       "</tr></table>  &eacute;t&eacute; &lt;3";
    feeds_html_to_text(html, strlen(html), 1000, &b);
    assert_string_equal(b.data, "One\ntwo\n\na b\n\nété <3");
    buf_reset(&b);
    feeds_html_to_text(html, strlen(html), 5, &b);
    assert_string_equal(b.data, "One\nt");
    /* bytes that are not UTF-8 (libxml2's HTML parser lets some through) never come out */
    buf_reset(&b);
    const char *bad = "<p>a\xC3\xD0"
                      "b \xED\xA0\x80</p>";
    feeds_html_to_text(bad, strlen(bad), 1000, &b);
    assert_true(text_is_valid_utf8(b.data, b.len));
    assert_memory_equal(b.data, "a\xEF\xBF\xBD", 4);
    buf_free(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Dates                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int64_t date(const char *s)
{
    int64_t ms = 0;
    if (feeds_parse_date(s, &ms) < 0) return -1;
    return ms;
}

static void test_dates_of_both_forms(void **state)
{
    const int64_t noon = 1796644800000LL; /* 2026-12-07T12:00:00Z */
    /* RFC 3339 */
    assert_int_equal(date("2026-12-07T12:00:00Z"), noon);
    assert_int_equal(date("2026-12-07t12:00:00z"), noon);
    assert_int_equal(date("2026-12-07T13:00:00+01:00"), noon);
    assert_int_equal(date("2026-12-07T07:30:00-0430"), noon);
    assert_int_equal(date("2026-12-07 12:00:00.250Z"), noon + 250);
    assert_int_equal(date("2026-12-07T12:00:00.123456789Z"), noon + 123);
    assert_int_equal(date("2026-12-07T12:00Z"), noon);
    assert_int_equal(date("2026-12-07"), noon - 12 * 3600 * 1000);
    assert_int_equal(date("2024-02-29T00:00:00Z"), 1709164800000LL);
    /* RFC 822 and its spellings */
    assert_int_equal(date("Mon, 07 Dec 2026 12:00:00 GMT"), noon);
    assert_int_equal(date("Mon, 07 Dec 2026 12:00:00 +0000"), noon);
    assert_int_equal(date("Mon, 07 Dec 2026 07:00:00 EST"), noon);
    assert_int_equal(date("Mon, 07 Dec 2026 13:00:00 +0100"), noon);
    assert_int_equal(date("07 Dec 2026 12:00:00 GMT"), noon);
    assert_int_equal(date("Mon, 7 Dec 2026 12:00 GMT"), noon);
    assert_int_equal(date("  Mon, 07 Dec 26 12:00:00 GMT\n"), noon);
    /* neither */
    assert_int_equal(date(""), -1);
    assert_int_equal(date("soon"), -1);
    assert_int_equal(date("2026-13-01T00:00:00Z"), -1);
    assert_int_equal(date("2026-02-29T00:00:00Z"), -1);
    assert_int_equal(date("2026-12-07T25:00:00Z"), -1);
    assert_int_equal(date("2026-12-07T12:00:00+01"), -1);
    assert_int_equal(date("2026-12-07T12:00:00Z trailing"), -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Politeness                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void test_politeness_interval_backoff_and_retry_after(void **state)
{
    const int64_t now = 1796644800000LL, min = 60 * 1000;
    feeds_source_state s = {0};
    feeds_next n = feeds_next_fetch(&s, false, 0, now);
    assert_int_equal(n.at_ms, now + 15 * min); /* the default interval */
    assert_int_equal(n.failures, 0);

    s.interval_s = 60; /* asks for a minute: gets five */
    assert_int_equal(feeds_next_fetch(&s, false, 0, now).at_ms, now + 5 * min);
    assert_int_equal(feeds_interval_s(60), FEEDS_INTERVAL_MIN_S);
    assert_int_equal(feeds_interval_s(3600), 3600);

    /* failures: 15, 30, 60 … minutes, capped at a day */
    s.interval_s = 0;
    int64_t want = 15;
    for (int i = 0; i < 12; i++) {
        n = feeds_next_fetch(&s, true, 0, now);
        assert_int_equal(n.failures, i + 1);
        assert_int_equal(n.at_ms, now + (want < 24 * 60 ? want : 24 * 60) * min);
        s.failures = n.failures;
        want *= 2;
    }
    s.failures = 1000000; /* no overflow however long it has been failing */
    assert_int_equal(feeds_next_fetch(&s, true, 0, now).at_ms, now + 24 * 60 * min);

    /* a success resets the failures */
    n = feeds_next_fetch(&s, false, 0, now);
    assert_int_equal(n.failures, 0);
    assert_int_equal(n.at_ms, now + 15 * min);

    /* Retry-After: never sooner than it says, up to a week */
    s.failures = 0;
    assert_int_equal(feeds_next_fetch(&s, true, 7200, now).at_ms, now + 120 * min);
    assert_int_equal(feeds_next_fetch(&s, true, 60, now).at_ms, now + 15 * min);
    assert_int_equal(feeds_next_fetch(&s, false, 3600, now).at_ms, now + 60 * min);
    assert_int_equal(feeds_next_fetch(&s, true, 365 * 86400, now).at_ms,
                     now + (int64_t)FEEDS_RETRY_AFTER_MAX_S * 1000);

    /* a feed fetched every two days backs off from there, not down to a day */
    s.interval_s = 2 * 86400;
    s.failures = 3;
    assert_int_equal(feeds_next_fetch(&s, true, 0, now).at_ms, now + 2 * 86400 * 1000LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss_items_carry_key_link_title_author_date_and_text),
        cmocka_unit_test(test_items_without_guid_keep_their_key_from_fetch_to_fetch),
        cmocka_unit_test(test_atom_entries_use_base_published_and_content_types),
        cmocka_unit_test(test_rdf_items_are_keyed_by_rdf_about),
        cmocka_unit_test(test_an_etag_given_back_gets_not_modified),
        cmocka_unit_test(test_last_modified_given_back_gets_not_modified),
        cmocka_unit_test(test_gzip_is_asked_for_and_read),
        cmocka_unit_test(test_requests_name_partyline),
        cmocka_unit_test(test_a_short_chain_of_redirects_is_followed),
        cmocka_unit_test(test_a_404_says_so),
        cmocka_unit_test(test_a_503_keeps_its_retry_after),
        cmocka_unit_test(test_a_stalled_answer_times_out),
        cmocka_unit_test(test_a_stop_ends_a_stalled_fetch_at_once),
        cmocka_unit_test(test_a_body_over_the_cap_is_refused_whole),
        cmocka_unit_test(test_a_redirect_loop_is_named),
        cmocka_unit_test(test_which_addresses_a_feed_may_come_from),
        cmocka_unit_test(test_a_feed_on_this_machine_is_refused_unless_allowed),
        cmocka_unit_test(test_too_many_redirects_are_not_a_loop),
        cmocka_unit_test(test_only_http_and_https_are_fetched),
        cmocka_unit_test(test_a_closed_port_cannot_connect),
        cmocka_unit_test(test_bad_xml_says_where),
        cmocka_unit_test(test_a_billion_laughs_is_refused_at_once),
        cmocka_unit_test(test_an_html_page_is_not_a_feed),
        cmocka_unit_test(test_external_and_parameter_entities_are_refused),
        cmocka_unit_test(test_a_plain_entity_may_be_declared_and_is_not_substituted),
        cmocka_unit_test(test_items_are_capped_and_repeats_dropped),
        cmocka_unit_test(test_long_fields_are_cut_on_a_character),
        cmocka_unit_test(test_empty_and_rootless_documents_are_errors),
        cmocka_unit_test(test_html_to_text),
        cmocka_unit_test(test_dates_of_both_forms),
        cmocka_unit_test(test_politeness_interval_backoff_and_retry_after),
    };
    return cmocka_run_group_tests(tests, server_start, server_stop);
}
