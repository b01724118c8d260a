/*
 * parse.c — RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 documents read into items with libxml2.
 *
 * The three formats say the same few things in different places, so each has a small reader
 * that finds its elements (rss_item, rdf_item, atom_entry) and hands the raw strings to one
 * function that makes an item of them (make_item): the key rule, links made absolute and kept
 * only when http or https (a feed's "javascript:" link must never reach a page), dates read,
 * HTML turned to text, every field cleaned and cut to its limit.
 *
 * Safety, since a feed is anyone's document: the parser never touches the network
 * (XML_PARSE_NONET), loads no DTD, substitutes no entity (no XML_PARSE_NOENT), and keeps
 * libxml2's depth limit (no XML_PARSE_HUGE). Entity declarations go through our own SAX hook
 * (on_entity_decl) before libxml2 records them: external and parameter entities are refused,
 * and so is an entity whose value refers to another entity — the nesting a billion-laughs
 * document grows by — so expansion cannot multiply, whatever libxml2's own checks do. The
 * plain ones (&nbsp; declared as &#160;) are allowed to be declared, and a reference to one
 * is left out of the text, since we substitute none.
 *
 * HTML in descriptions and contents is read with libxml2's HTML parser (forgiving, as a
 * browser is) rather than util/text.h's text_html_to_plain, which reads the HTML our own
 * server writes: a feed's HTML has scripts, styles, tables and lists, whose text must be left
 * out or broken into lines.
 */
#include "feeds.h"
#include "feeds_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RSS09 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* How deep text is looked for under an element (libxml2 refuses documents deeper than 256). */
enum { TEXT_DEPTH_MAX = 256, ENTITY_DECL_MAX = 64, ENTITY_VALUE_MAX = 1024 };

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libs(void)
{
    xmlInitParser();
    if (sodium_init() < 0) abort();
}

/* ------------------------------------------------------------------------------------------ */
/* Text: whitespace collapsed, lines kept where HTML has blocks, cut on a character boundary   */
/* ------------------------------------------------------------------------------------------ */

typedef struct text_out {
    buf *b;
    size_t max;
    int newlines; /* line breaks owed before the next text (at most 2: a paragraph) */
    bool space;   /* a space owed before the next text */
    bool is_full;
    bool keep_lines; /* false: every break is a space (titles, names) */
} text_out;

static void owe_newlines(text_out *t, int n)
{
    if (!t->keep_lines) {
        t->space = true;
        return;
    }
    if (n > t->newlines) t->newlines = n;
}

/* Appends len bytes, cut so the output stays within max and ends on a whole character. */
static void put_capped(text_out *t, const char *s, size_t len)
{
    if (t->is_full) return;
    if (t->b->len + len > t->max) {
        len = t->max > t->b->len ? t->max - t->b->len : 0;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
        t->is_full = true;
    }
    buf_append(t->b, s, len);
}

/* The length of the UTF-8 character at s (at most n bytes), or 0 when the bytes there are not
 * one (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!len || len > n || s[0] > 0xF4) return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
    if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
    return len;
}

void feeds_clean_line(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) s[i] = ' ';
        size_t k = utf8_char((const unsigned char *)s + i, n - i);
        if (!k) {
            s[i] = '?';
            k = 1;
        }
        i += k;
    }
}

/* Adds a word (no white space in it): bytes that are not UTF-8 become U+FFFD, so the output
 * is UTF-8 whatever came in (libxml2's HTML parser passes such bytes through). */
static void put_word(text_out *t, const char *s, size_t len)
{
    size_t i = 0, start = 0;
    while (i < len) {
        size_t k = utf8_char((const unsigned char *)s + i, len - i);
        if (k) {
            i += k;
            continue;
        }
        put_capped(t, s + start, i - start);
        put_capped(t, "\xEF\xBF\xBD", 3);
        start = ++i;
    }
    put_capped(t, s + start, i - start);
}

/* Adds text: runs of white space (and control characters) become one space, or the line
 * breaks owed; nothing leads or trails. */
static void put_text(text_out *t, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && !t->is_full) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f) {
            t->space = true;
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && (unsigned char)s[j] > ' ' && (unsigned char)s[j] != 0x7f) j++;
        if (t->b->len > 0) {
            if (t->newlines)
                put_capped(t, "\n\n", (size_t)t->newlines);
            else if (t->space)
                put_capped(t, " ", 1);
        }
        t->newlines = 0;
        t->space = false;
        put_word(t, s + i, j - i);
        i = j;
    }
}

static const char *const SKIPPED[] = {"script", "style",  "head",  "noscript", "template",
                                      "iframe", "object", "svg",   "math",     "select",
                                      "button", "canvas", "embed", "audio",    "video"};
static const char *const PARAGRAPHS[] = {"p",  "h1", "h2",     "h3",      "h4",     "h5",
                                         "h6", "ul", "ol",     "table",   "pre",    "blockquote",
                                         "hr", "dl", "figure", "section", "article"};
static const char *const LINES[] = {"div",    "li",  "tr",    "dt",         "dd",      "header",
                                    "footer", "nav", "aside", "figcaption", "address", "main"};

static bool is_one_of(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(name, list[i])) return true;
    return false;
}

#define IS_ONE_OF(name, list) is_one_of(name, list, sizeof list / sizeof list[0])

/* The text of n's children as a browser would show it, in lines. */
static void put_markup(text_out *t, xmlNodePtr n, int depth)
{
    if (depth > TEXT_DEPTH_MAX) return;
    for (xmlNodePtr c = n->children; c && !t->is_full; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) put_text(t, (const char *)c->content, strlen((char *)c->content));
            continue;
        }
        if (c->type != XML_ELEMENT_NODE) continue; /* comments, entity references, … */
        const char *name = (const char *)c->name;
        if (IS_ONE_OF(name, SKIPPED)) continue;
        if (!strcasecmp(name, "br")) {
            owe_newlines(t, 1);
            continue;
        }
        int around = IS_ONE_OF(name, PARAGRAPHS) ? 2 : IS_ONE_OF(name, LINES) ? 1 : 0;
        if (around)
            owe_newlines(t, around);
        else if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
            t->space = true;
        put_markup(t, c, depth + 1);
        if (around) owe_newlines(t, around);
    }
}

void feeds_html_to_text(const char *html, size_t len, size_t max, buf *out)
{
    pthread_once(&init_once, init_libs);
    if (len == 0 || len > INT_MAX) return;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NOBLANKS);
    if (!doc) return;
    text_out t = {.b = out, .max = out->len + max, .keep_lines = true};
    put_markup(&t, (xmlNodePtr)doc, 0);
    xmlFreeDoc(doc);
}

/* s cleaned to one line of at most max bytes, in the arena; NULL when nothing is left. */
static const char *clean_line(arena *a, const char *s, size_t max)
{
    if (!s) return NULL;
    buf b = BUF_INIT;
    text_out t = {.b = &b, .max = max};
    put_text(&t, s, strlen(s));
    const char *r = b.len ? arena_strndup(a, b.data, b.len) : NULL;
    buf_free(&b);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* The XML tree                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* True if n is element name in namespace ns (NULL: in none). */
static bool is_el(xmlNodePtr n, const char *name, const char *ns)
{
    if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name)) return false;
    if (!ns) return !n->ns || !n->ns->href || !n->ns->href[0];
    return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}

static xmlNodePtr child(xmlNodePtr n, const char *name, const char *ns)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name, ns)) return c;
    return NULL;
}

/* The text under n (text and CDATA, entity references left out), in the arena; NULL if n is. */
static const char *raw_text(arena *a, xmlNodePtr n)
{
    if (!n) return NULL;
    buf b = BUF_INIT;
    /* depth-first without recursion beyond the limit: most elements hold one text node */
    xmlNodePtr stack[TEXT_DEPTH_MAX];
    int depth = 0;
    xmlNodePtr c = n->children;
    while (c || depth > 0) {
        if (!c) {
            c = stack[--depth]->next;
            continue;
        }
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            buf_puts(&b, (const char *)c->content);
        if (c->type == XML_ELEMENT_NODE && c->children && depth < TEXT_DEPTH_MAX) {
            stack[depth++] = c;
            c = c->children;
            continue;
        }
        c = c->next;
    }
    const char *r = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static const char *attr(arena *a, xmlNodePtr n, const char *name)
{
    if (!n) return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    const char *r = arena_strdup(a, (const char *)v);
    xmlFree(v);
    return r;
}

static const char *ns_attr(arena *a, xmlNodePtr n, const char *name, const char *ns)
{
    if (!n) return NULL;
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
    if (!v) return NULL;
    const char *r = arena_strdup(a, (const char *)v);
    xmlFree(v);
    return r;
}

/* href made absolute against n's base (xml:base, else the feed's URL); NULL unless the result
 * is an http or https URL within FEEDS_MAX_LINK. */
static const char *absolute_link(arena *a, xmlDocPtr doc, xmlNodePtr n, const char *href)
{
    const char *h = clean_line(a, href, FEEDS_MAX_LINK + 1);
    if (!h) return NULL;
    xmlChar *base = xmlNodeGetBase(doc, n);
    xmlChar *abs = xmlBuildURI((const xmlChar *)h, base);
    xmlFree(base);
    const char *u = abs ? (const char *)abs : h;
    const char *r = NULL;
    if ((!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8)) &&
        strlen(u) <= FEEDS_MAX_LINK)
        r = arena_strdup(a, u);
    xmlFree(abs);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Items                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* What a format's reader found for one item, as written. */
typedef struct raw_item {
    xmlNodePtr node;   /* for xml:base */
    const char *id;    /* guid, id, rdf:about */
    const char *href;  /* the link as written */
    const char *title; /* plain text */
    const char *title_html;
    const char *author;
    const char *date;
    const char *html;         /* a description or content in HTML */
    const char *plain;        /* or in plain text */
    xmlNodePtr xhtml;         /* or Atom's xhtml: the element holding the div */
    bool is_guid_a_permalink; /* RSS: a guid that is also the link */
} raw_item;

typedef struct parse_state {
    arena *a;
    xmlDocPtr doc;
    feeds_feed *feed;
    size_t max_items, cap;
} parse_state;

/* "sha256:" and the hex digest of the parts, each followed by a NUL. */
static const char *hash_key(arena *a, const char *const *parts, size_t n)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < n; i++) {
        const char *p = parts[i] ? parts[i] : "";
        crypto_hash_sha256_update(&st, (const unsigned char *)p, strlen(p) + 1);
    }
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    return arena_printf(a, "sha256:%s", hex);
}

static void add_item(parse_state *ps, const raw_item *r)
{
    feeds_feed *f = ps->feed;
    if (f->n_items >= ps->max_items) {
        f->n_dropped++;
        return;
    }
    arena *a = ps->a;
    feeds_item it = {0};
    it.link = absolute_link(a, ps->doc, r->node, r->href);
    if (!it.link && r->is_guid_a_permalink) it.link = absolute_link(a, ps->doc, r->node, r->id);

    buf b = BUF_INIT;
    if (r->title_html) {
        feeds_html_to_text(r->title_html, strlen(r->title_html), FEEDS_MAX_TITLE, &b);
        it.title = clean_line(a, b.data, FEEDS_MAX_TITLE);
        buf_reset(&b);
    } else {
        it.title = clean_line(a, r->title, FEEDS_MAX_TITLE);
    }
    it.author = clean_line(a, r->author, FEEDS_MAX_AUTHOR);
    const char *date = clean_line(a, r->date, 200);
    if (!date || feeds_parse_date(date, &it.published_ms) < 0) it.published_ms = 0;

    if (r->xhtml) {
        text_out t = {.b = &b, .max = FEEDS_MAX_TEXT, .keep_lines = true};
        xmlNodePtr div = child(r->xhtml, "div", "http://www.w3.org/1999/xhtml");
        put_markup(&t, div ? div : r->xhtml, 0);
    } else if (r->html) {
        feeds_html_to_text(r->html, strlen(r->html), FEEDS_MAX_TEXT, &b);
    } else if (r->plain) {
        text_out t = {.b = &b, .max = FEEDS_MAX_TEXT, .keep_lines = true};
        put_text(&t, r->plain, strlen(r->plain));
    }
    it.text = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);

    const char *id = clean_line(a, r->id, FEEDS_MAX_KEY + 1);
    if (id && strlen(id) > FEEDS_MAX_KEY)
        it.key = hash_key(a, &id, 1);
    else if (id)
        it.key = id;
    else if (it.link)
        it.key = it.link;
    else if (it.title || date)
        it.key = hash_key(a, (const char *const[]){it.title, date}, 2);
    else
        it.key = hash_key(a, (const char *const[]){"", "", it.text}, 3);

    for (size_t i = 0; i < f->n_items; i++) {
        if (!strcmp(f->items[i].key, it.key)) {
            f->n_dropped++;
            return;
        }
    }
    if (f->n_items == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        feeds_item *items = arena_alloc(a, cap * sizeof *items);
        if (f->n_items) memcpy(items, f->items, f->n_items * sizeof *items);
        f->items = items;
        ps->cap = cap;
    }
    f->items[f->n_items++] = it;
}

/* RSS 2.0 and 0.9x: channel/item, core elements in no namespace. Also RSS 1.0's items, whose
 * core elements are in ns (and which have rdf:about for an id). */
static void rss_item(parse_state *ps, xmlNodePtr n, const char *ns)
{
    arena *a = ps->a;
    raw_item r = {.node = n};
    xmlNodePtr guid = child(n, "guid", ns);
    r.id = ns ? ns_attr(a, n, "about", NS_RDF) : raw_text(a, guid);
    if (guid) {
        const char *pl = attr(a, guid, "isPermaLink");
        r.is_guid_a_permalink = !pl || strcasecmp(pl, "false");
    }
    r.href = raw_text(a, child(n, "link", ns));
    r.title = raw_text(a, child(n, "title", ns));
    r.author = raw_text(a, child(n, "author", ns));
    if (!r.author) r.author = raw_text(a, child(n, "creator", NS_DC));
    r.date = raw_text(a, child(n, "pubDate", ns));
    if (!r.date) r.date = raw_text(a, child(n, "date", NS_DC));
    r.html = raw_text(a, child(n, "encoded", NS_CONTENT));
    if (!r.html || !*r.html) r.html = raw_text(a, child(n, "description", ns));
    add_item(ps, &r);
}

/* Atom's text constructs: type text (the default), html or xhtml. */
static void atom_text(arena *a, xmlNodePtr n, const char **plain, const char **html,
                      xmlNodePtr *xhtml)
{
    if (!n) return;
    const char *type = attr(a, n, "type");
    if (type && !strcmp(type, "xhtml"))
        *xhtml = n;
    else if (type && (!strcmp(type, "html") || !strcmp(type, "text/html")))
        *html = raw_text(a, n);
    else
        *plain = raw_text(a, n);
}

static const char *atom_author(arena *a, xmlNodePtr n)
{
    xmlNodePtr au = child(n, "author", NS_ATOM);
    return au ? raw_text(a, child(au, "name", NS_ATOM)) : NULL;
}

/* The alternate link (rel absent or "alternate"), the first if several. */
static const char *atom_link(arena *a, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_el(c, "link", NS_ATOM)) continue;
        const char *rel = attr(a, c, "rel");
        if (!rel || !strcmp(rel, "alternate")) return attr(a, c, "href");
    }
    return NULL;
}

static void atom_entry(parse_state *ps, xmlNodePtr n, const char *feed_author)
{
    arena *a = ps->a;
    raw_item r = {.node = n};
    r.id = raw_text(a, child(n, "id", NS_ATOM));
    r.href = atom_link(a, n);
    const char *title_plain = NULL, *title_html = NULL;
    xmlNodePtr title_xhtml = NULL;
    xmlNodePtr title = child(n, "title", NS_ATOM);
    atom_text(a, title, &title_plain, &title_html, &title_xhtml);
    r.title = title_xhtml ? raw_text(a, title) : title_plain;
    r.title_html = title_html;
    r.author = atom_author(a, n);
    if (!r.author) r.author = feed_author;
    r.date = raw_text(a, child(n, "published", NS_ATOM));
    if (!r.date) r.date = raw_text(a, child(n, "updated", NS_ATOM));
    xmlNodePtr body = child(n, "content", NS_ATOM);
    /* content with a src holds nothing here: the summary says what it is */
    if (!body || xmlHasProp(body, (const xmlChar *)"src")) body = child(n, "summary", NS_ATOM);
    atom_text(a, body, &r.plain, &r.html, &r.xhtml);
    add_item(ps, &r);
}

/* ------------------------------------------------------------------------------------------ */
/* The document                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct guard {
    int n_entities;
    char why[200];  /* set when a declaration was refused */
    int first_line; /* the first error libxml2 met (later ones follow from it) */
    char first[200];
} guard;

/* libxml2's structured error hook: keeps the first error, which says what went wrong (the
 * last one is mostly "Premature end of data" at the end of the document). */
static void on_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ctx;
    guard *g = ctxt ? ctxt->_private : NULL;
    if (!g || !e || e->level < XML_ERR_ERROR || g->first[0] || !e->message) return;
    size_t n = strlen(e->message);
    while (n > 0 && (e->message[n - 1] == '\n' || e->message[n - 1] == ' ')) n--;
    snprintf(g->first, sizeof g->first, "%.*s", (int)n, e->message);
    g->first_line = e->line;
}

/* Stands before libxml2's own entity declaration (see the top of the file). */
static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    guard *g = ctxt->_private;
    const char *value = (const char *)content;
    if (g->why[0]) return;
    if (type != XML_INTERNAL_GENERAL_ENTITY) {
        snprintf(g->why, sizeof g->why,
                 "the feed declares an external or parameter entity (%.40s); that is refused",
                 (const char *)name);
    } else if (++g->n_entities > ENTITY_DECL_MAX) {
        snprintf(g->why, sizeof g->why, "the feed declares more than %d entities; that is refused",
                 ENTITY_DECL_MAX);
    } else if (value && strlen(value) > ENTITY_VALUE_MAX) {
        snprintf(g->why, sizeof g->why,
                 "the feed declares an entity (%.40s) longer than %d bytes; that is refused",
                 (const char *)name, ENTITY_VALUE_MAX);
    } else {
        for (const char *p = value ? strpbrk(value, "&%") : NULL; p; p = strpbrk(p + 1, "&%")) {
            if (p[0] == '&' && p[1] == '#') continue; /* a character reference */
            snprintf(g->why, sizeof g->why,
                     "the feed declares entities inside entities (%.40s), as a billion-laughs "
                     "document does; that is refused",
                     (const char *)name);
            break;
        }
    }
    if (g->why[0]) {
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
}

static int not_xml(xmlParserCtxtPtr ctxt, const guard *g, char *err, size_t errlen)
{
    if (g->why[0]) {
        snprintf(err, errlen, "%s", g->why);
        feeds_clean_line(err);
        return PL_EINVAL;
    }
    if (!g->first[0]) {
        snprintf(err, errlen, "not XML");
        return PL_EINVAL;
    }
    snprintf(err, errlen, "not XML: line %d: %s", g->first_line, g->first);
    feeds_clean_line(err);
    return PL_EINVAL;
}

static int read_feed(parse_state *ps, xmlNodePtr root, char *err, size_t errlen)
{
    arena *a = ps->a;
    feeds_feed *f = ps->feed;
    if (is_el(root, "rss", NULL)) {
        xmlNodePtr ch = child(root, "channel", NULL);
        if (!ch) {
            snprintf(err, errlen, "not a feed: <rss> has no <channel>");
            return PL_EINVAL;
        }
        f->kind = FEEDS_RSS2;
        f->title = clean_line(a, raw_text(a, child(ch, "title", NULL)), FEEDS_MAX_TITLE);
        f->link = absolute_link(a, ps->doc, ch, raw_text(a, child(ch, "link", NULL)));
        for (xmlNodePtr c = ch->children; c; c = c->next)
            if (is_el(c, "item", NULL)) rss_item(ps, c, NULL);
        return PL_OK;
    }
    if (is_el(root, "RDF", NS_RDF)) {
        const char *ns = child(root, "channel", NS_RSS09) ? NS_RSS09 : NS_RSS1;
        xmlNodePtr ch = child(root, "channel", ns);
        f->kind = FEEDS_RDF;
        f->title = clean_line(a, raw_text(a, child(ch, "title", ns)), FEEDS_MAX_TITLE);
        f->link = ch ? absolute_link(a, ps->doc, ch, raw_text(a, child(ch, "link", ns))) : NULL;
        for (xmlNodePtr c = root->children; c; c = c->next)
            if (is_el(c, "item", ns)) rss_item(ps, c, ns);
        return PL_OK;
    }
    if (is_el(root, "feed", NS_ATOM)) {
        f->kind = FEEDS_ATOM;
        const char *plain = NULL, *html = NULL;
        xmlNodePtr xhtml = NULL, title = child(root, "title", NS_ATOM);
        atom_text(a, title, &plain, &html, &xhtml);
        if (html) {
            buf b = BUF_INIT;
            feeds_html_to_text(html, strlen(html), FEEDS_MAX_TITLE, &b);
            plain = arena_strndup(a, b.data ? b.data : "", b.len);
            buf_free(&b);
        }
        f->title = clean_line(a, xhtml ? raw_text(a, title) : plain, FEEDS_MAX_TITLE);
        f->link = absolute_link(a, ps->doc, root, atom_link(a, root));
        const char *author = atom_author(a, root);
        for (xmlNodePtr c = root->children; c; c = c->next)
            if (is_el(c, "entry", NS_ATOM)) atom_entry(ps, c, author);
        return PL_OK;
    }
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
    snprintf(err, errlen, "not a feed: the root element is <%.40s>%s%.80s%s",
             (const char *)root->name, ns ? " (in " : "", ns ? ns : "", ns ? ")" : "");
    feeds_clean_line(err);
    return PL_EINVAL;
}

int feeds_parse(const char *body, size_t len, const char *base_url, size_t max_items, arena *a,
                feeds_feed *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    size_t lead = 0;
    while (lead < len &&
           (body[lead] == ' ' || body[lead] == '\t' || body[lead] == '\r' || body[lead] == '\n'))
        lead++;
    if (lead == len) {
        snprintf(err, errlen, "not XML: the feed is empty");
        return PL_EINVAL;
    }
    if (len > INT_MAX) {
        snprintf(err, errlen, "the feed is too large to read");
        return PL_ELIMIT;
    }
    pthread_once(&init_once, init_libs);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        snprintf(err, errlen, "out of memory");
        return PL_ENOMEM;
    }
    guard g = {0};
    ctxt->_private = &g;
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->serror = on_error; /* called with ctxt (its userData) */
    /* leading white space before <?xml is common in feeds and harmless: skipped */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, body + lead, (int)(len - lead), base_url, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc;
    if (!doc || !ctxt->wellFormed || g.why[0]) {
        rc = not_xml(ctxt, &g, err, errlen);
    } else {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        parse_state ps = {
            .a = a, .doc = doc, .feed = out, .max_items = max_items ? max_items : FEEDS_MAX_ITEMS};
        rc = root ? read_feed(&ps, root, err, errlen) : not_xml(ctxt, &g, err, errlen);
    }
    if (rc != PL_OK) memset(out, 0, sizeof *out);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
