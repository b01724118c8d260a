/*
 * exports.c — a person's own archive and an administrator's compliance export (app/exports.h):
 * who may ask and read, and the background that builds them.
 *
 * Building streams. A zip (archive/zipout.h) goes straight into the encrypted file store
 * (media_write: one 64 KiB chunk in memory) or, for the command line, a file. Posts are read
 * one page (STORE_BATCH) at a time into an arena freed after the page, turned into their
 * JSON in a buffer flushed into the zip after the page, so memory holds a page of posts, a
 * chunk of a file being copied, and the zip's central directory (a short record per entry) —
 * never the archive, nor all of anyone's posts. An entry of the zip is written whole before the
 * next begins, so what goes with the posts is read in passes: the posts, then their files (a
 * second walk of the same pages). The files are copied as stored (decrypted a chunk at a
 * time), byte for byte what GET /media serves.
 *
 * Where the zip lives: a file of the media store (the default backend). With the database
 * backend its chunks are rows written through the builder's connection, so the whole build is
 * one transaction (a failed build leaves nothing); with the folder backend the chunks go to
 * the media folder's tmp/ and only the last statements need a transaction. Either way the row
 * is finished, the file's record written and the audit row appended in that one transaction,
 * and the finish is conditional on the builder's lease (store_export_finish), so a build taken
 * over by another node after its lease ran out cannot finish twice.
 *
 * A download (app side): the owner by token, or by an address signed for an hour (the web
 * client's link sends no token) — HMAC-SHA-256 of the archive, its owner and the expiry under
 * a key derived from the media master key, as file addresses are (app/attachments.c), so every
 * node that shares the files checks it. The signature only proves the server made the address
 * for the owner; the row (ready, the owner not disabled) is read again at each download.
 */
#include "app/exports.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "archive/zipout.h"
#include "media/media.h"
#include "store/accounts.h"
#include "store/attachments.h"
#include "store/engage.h"
#include "store/posts.h"
#include "store/query.h"
#include "util/log.h"
#include "util/timeutil.h"

#define DAY_MS (24LL * 3600 * 1000)
#define AS_CONTEXT "https://www.w3.org/ns/activitystreams"
#define AS_PUBLIC "https://www.w3.org/ns/activitystreams#Public"
#define SIGN_CONTEXT "archives"

enum {
    PAGE = STORE_BATCH,   /* posts read at once */
    LEASE_MS = 3600000,   /* a builder's hold on a row: a build longer than this may be retaken */
    URL_SECONDS = 3600,   /* a signed download address is good for this long */
    EXPIRE_BATCH = 10,    /* expired archives deleted per step */
    QUERY_MAX_NAMES = 50, /* people, and channels, a compliance export may name */
    QUERY_MAX_WORDS = 16,
    QUERY_WORDS_BYTES = 512,
    QUERY_MAX_DAYS = 366,
    SIG_HEX = 2 * crypto_auth_hmacsha256_BYTES + 1,
};

/* ------------------------------------------------------------------ JSON pieces */

static void jstr(buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)*p);
        } else if (*p == '\n') {
            buf_puts(b, "\\n");
        } else if (*p < 0x20) {
            buf_printf(b, "\\u%04x", *p);
        } else {
            buf_putc(b, (char)*p);
        }
    }
    buf_putc(b, '"');
}

static void jkey(buf *b, const char *k)
{
    jstr(b, k);
    buf_putc(b, ':');
}

static void jid(buf *b, int64_t id)
{
    if (id)
        buf_printf(b, "\"%lld\"", (long long)id);
    else
        buf_puts(b, "null");
}

static void jtime(buf *b, int64_t ms)
{
    if (!ms) {
        buf_puts(b, "null");
        return;
    }
    char t[40];
    time_iso8601(ms, t, sizeof t);
    jstr(b, t);
}

static const char *vis_name(int v)
{
    return audit_audience_name(v);
}

/* ------------------------------------------------------------------ the build's state */

typedef struct build {
    app_ctx *c;
    zipout *z;
    buf out;    /* the current entry's bytes not yet given to the zip */
    FILE *sums; /* SHA256SUMS lines so far (compliance), spooled out of memory */
    int64_t mtime;
    int64_t posts, direct, files;
    /* the compliance query, parsed */
    int64_t *accounts, *channels;
    int n_accounts, n_channels;
    char **words;
    int n_words;
    int64_t above, below; /* the id range */
    bool (*stopping)(void *);
    void *stopping_ctx;
} build;

/* PL_ECONFLICT is the build's "stopped": the server stops, the row is given back. */
static int flush(build *b)
{
    if (b->stopping && b->stopping(b->stopping_ctx)) return PL_ECONFLICT;
    if (!b->out.len) return PL_OK;
    int rc = zipout_entry_write(b->z, b->out.data, b->out.len);
    buf_reset(&b->out);
    return rc;
}

static int begin(build *b, const char *path, int64_t size, enum zipout_method m)
{
    buf_reset(&b->out);
    return zipout_entry_begin(b->z, path, b->mtime, size, m);
}

/* Ends the entry (flushing what is left), and notes its checksum when checksums are kept. */
static int end(build *b, const char *path)
{
    int rc = flush(b);
    char hex[65];
    if (!rc) rc = zipout_entry_end(b->z, hex, NULL);
    if (!rc && b->sums && fprintf(b->sums, "%s  %s\n", hex, path) < 0) rc = PL_EINTERNAL;
    return rc;
}

/* A whole small entry from b->out. */
static int put(build *b, const char *path, enum zipout_method m)
{
    buf tmp = b->out;
    b->out = (buf)BUF_INIT;
    int rc = zipout_entry_begin(b->z, path, b->mtime, (int64_t)tmp.len, m);
    b->out = tmp;
    if (!rc) rc = end(b, path);
    return rc;
}

/* Copies stored file file_id into the entry path, a chunk at a time. */
static int put_file(build *b, const char *path, int64_t file_id)
{
    media_reader *r;
    int rc = media_read_open(b->c->media, b->c->db, file_id, 0, -1, &r);
    if (rc) return rc;
    rc = begin(b, path, media_reader_info(r)->size, ZIPOUT_STORE);
    const uint8_t *piece;
    size_t len;
    while (!rc && (rc = media_read_next(r, &piece, &len)) == 1)
        rc = zipout_entry_write(b->z, piece, len);
    media_read_close(r);
    if (!rc) rc = end(b, path);
    return rc;
}

/* A name safe as a path segment: letters, digits, '.', '-', '_' (others become '_'), not
 * starting with '.', at most 100 bytes; `fallback` when nothing is left. */
static const char *segment(arena *a, const char *name, const char *fallback)
{
    if (!name || !*name) return fallback;
    size_t n = strlen(name);
    if (n > 100) n = 100;
    char *s = arena_strndup(a, name, n);
    for (char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
        if (!ok) *p = '_';
    }
    if (s[0] == '.') s[0] = '_';
    return s;
}

/* The extension a type is stored under: "image/png" -> ".png". */
static const char *mime_ext(arena *a, const char *mime)
{
    const char *slash = mime ? strchr(mime, '/') : NULL;
    if (!slash || !slash[1]) return "";
    return arena_printf(a, ".%s", segment(a, slash + 1, "bin"));
}

static const char *attachment_path(arena *a, const char *dir, const pl_attachment *m)
{
    const char *name = m->name && *m->name ? segment(a, m->name, "file")
                                           : arena_printf(a, "original%s", mime_ext(a, m->mime));
    return arena_printf(a, "%s/%lld/%s", dir, (long long)m->id, name);
}

static int cmp_status_id(const void *x, const void *y)
{
    int64_t a = ((const pl_status *)x)->id, b = ((const pl_status *)y)->id;
    return a < b ? -1 : a > b;
}

/* The statuses of ids (at most PAGE) in id order, newest first when desc. */
static int load_statuses(build *b, arena *a, const int64_t *ids, int n, bool desc, pl_status **out,
                         int *nout)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n ? n : 1));
    *nout = 0;
    if (!n) return PL_OK;
    int rc = store_statuses_get(b->c->db, ids, n, a, *out, nout);
    if (rc) return rc;
    qsort(*out, (size_t)*nout, sizeof **out, cmp_status_id);
    if (desc)
        for (int i = 0, j = *nout - 1; i < j; i++, j--) {
            pl_status t = (*out)[i];
            (*out)[i] = (*out)[j];
            (*out)[j] = t;
        }
    return PL_OK;
}

/* The accounts of a page (authors), looked up by id; at most PAGE different ones. */
typedef struct authors {
    pl_account *v;
    int n;
} authors;

static int load_authors(build *b, arena *a, const pl_status *s, int n, authors *out)
{
    int64_t ids[PAGE];
    int k = 0;
    for (int i = 0; i < n && k < PAGE; i++) {
        bool seen = false;
        for (int j = 0; j < k && !seen; j++) seen = ids[j] == s[i].account_id;
        if (!seen) ids[k++] = s[i].account_id;
    }
    out->v = arena_alloc(a, sizeof *out->v * (size_t)(k ? k : 1));
    out->n = 0;
    return k ? store_accounts_get(b->c->db, ids, k, a, out->v, &out->n) : PL_OK;
}

static const pl_account *author(const authors *au, int64_t id)
{
    for (int i = 0; i < au->n; i++)
        if (au->v[i].id == id) return &au->v[i];
    return NULL;
}

/* The address of status id by username, in the arena. */
static const char *status_uri(build *b, arena *a, const char *username, int64_t id)
{
    return arena_printf(a, "%s/users/%s/statuses/%lld", b->c->cfg->base_url, username,
                        (long long)id);
}

static const char *username_of(build *b, arena *a, int64_t account_id)
{
    pl_account acc;
    if (store_account_get(b->c->db, account_id, a, &acc) != PL_OK) return NULL;
    return acc.username;
}

/* ------------------------------------------------------------------ a person's archive */

/* The audience of a Note in ActivityStreams' terms (to, cc); a direct post is addressed to the
 * people it mentions. Partyline's own audiences (company, list) and the channel are said in
 * "partyline:visibility" and "partyline:channel" too. */
static int write_addressing(build *b, arena *a, const char *actor, const pl_status *s)
{
    const char *followers = arena_printf(a, "%s/followers", actor);
    buf *o = &b->out;
    jkey(o, "to");
    buf_putc(o, '[');
    switch (s->visibility) {
    case PL_VIS_PUBLIC:
        jstr(o, AS_PUBLIC);
        buf_puts(o, "],\"cc\":[");
        jstr(o, followers);
        break;
    case PL_VIS_UNLISTED:
        jstr(o, followers);
        buf_puts(o, "],\"cc\":[");
        jstr(o, AS_PUBLIC);
        break;
    case PL_VIS_DIRECT: {
        int64_t *ids;
        int n;
        int rc = store_status_mentions(b->c->db, s->id, a, &ids, &n);
        if (rc) return rc;
        for (int i = 0; i < n; i++) {
            const char *u = username_of(b, a, ids[i]);
            if (!u) continue;
            if (o->data[o->len - 1] != '[') buf_putc(o, ',');
            jstr(o, arena_printf(a, "%s/users/%s", b->c->cfg->base_url, u));
        }
        buf_puts(o, "],\"cc\":[");
        break;
    }
    case PL_VIS_LIST: buf_puts(o, "],\"cc\":["); break;
    default: /* followers-only, company */ jstr(o, followers); buf_puts(o, "],\"cc\":[");
    }
    if (s->channel_id) {
        const char *ch = username_of(b, a, s->channel_id);
        if (ch) {
            if (o->data[o->len - 1] != '[') buf_putc(o, ',');
            jstr(o, arena_printf(a, "%s/users/%s", b->c->cfg->base_url, ch));
        }
    }
    buf_puts(o, "],\"partyline:visibility\":");
    jstr(o, vis_name(s->visibility));
    return PL_OK;
}

static int write_note(build *b, arena *a, const pl_account *me, const char *actor,
                      const pl_status *s, const pl_attachment *files, int n_files)
{
    buf *o = &b->out;
    const char *uri = status_uri(b, a, me->username, s->id);
    buf_puts(o, "{\"id\":");
    jstr(o, arena_printf(a, "%s/activity", uri));
    buf_puts(o, ",\"type\":\"Create\",\"actor\":");
    jstr(o, actor);
    buf_puts(o, ",\"published\":");
    jtime(o, s->created_at);
    buf_putc(o, ',');
    int rc = write_addressing(b, a, actor, s);
    if (rc) return rc;
    buf_puts(o, ",\"object\":{\"id\":");
    jstr(o, uri);
    buf_puts(o, ",\"type\":\"Note\",\"summary\":");
    jstr(o, s->spoiler_text && *s->spoiler_text ? s->spoiler_text : NULL);
    buf_puts(o, ",\"inReplyTo\":");
    const char *parent = s->in_reply_to_id ? username_of(b, a, s->in_reply_to_account_id) : NULL;
    jstr(o, parent ? status_uri(b, a, parent, s->in_reply_to_id) : NULL);
    buf_puts(o, ",\"published\":");
    jtime(o, s->created_at);
    if (s->edited_at) {
        buf_puts(o, ",\"updated\":");
        jtime(o, s->edited_at);
    }
    buf_puts(o, ",\"url\":");
    jstr(o, arena_printf(a, "%s/@%s/%lld", b->c->cfg->base_url, me->username, (long long)s->id));
    buf_puts(o, ",\"attributedTo\":");
    jstr(o, actor);
    buf_puts(o, ",\"sensitive\":");
    buf_puts(o, s->sensitive ? "true" : "false");
    buf_puts(o, ",\"content\":");
    jstr(o, s->content ? s->content : "");
    if (s->language && *s->language) {
        buf_puts(o, ",\"contentMap\":{");
        jkey(o, s->language);
        jstr(o, s->content ? s->content : "");
        buf_putc(o, '}');
    }
    buf_puts(o, ",\"source\":{\"content\":");
    jstr(o, s->text ? s->text : "");
    buf_puts(o, "},\"attachment\":[");
    bool first = true;
    for (int i = 0; i < n_files; i++) {
        if (files[i].status_id != s->id) continue;
        if (!first) buf_putc(o, ',');
        first = false;
        buf_puts(o, "{\"type\":\"Document\",\"mediaType\":");
        jstr(o, files[i].mime);
        buf_puts(o, ",\"url\":");
        jstr(o, attachment_path(a, "media_attachments/files", &files[i]));
        buf_puts(o, ",\"name\":");
        jstr(o, files[i].description && *files[i].description ? files[i].description : NULL);
        buf_putc(o, '}');
    }
    buf_puts(o, "]}}");
    return PL_OK;
}

static int write_announce(build *b, arena *a, const pl_account *me, const char *actor,
                          const pl_status *s)
{
    pl_status orig;
    const char *object = NULL;
    if (store_status_get(b->c->db, s->reblog_of_id, a, &orig) == PL_OK) {
        const char *u = username_of(b, a, orig.account_id);
        if (u) object = status_uri(b, a, u, orig.id);
    }
    if (!object) return PL_ENOTFOUND; /* what it boosted is gone: nothing to say */
    buf *o = &b->out;
    buf_puts(o, "{\"id\":");
    jstr(o, arena_printf(a, "%s/activity", status_uri(b, a, me->username, s->id)));
    buf_puts(o, ",\"type\":\"Announce\",\"actor\":");
    jstr(o, actor);
    buf_puts(o, ",\"published\":");
    jtime(o, s->created_at);
    buf_putc(o, ',');
    int rc = write_addressing(b, a, actor, s);
    if (rc) return rc;
    buf_puts(o, ",\"object\":");
    jstr(o, object);
    buf_putc(o, '}');
    return PL_OK;
}

/* One page of the person's own posts, newest first; *next is the next page's max_id (0: the
 * end). */
typedef int (*own_page_fn)(build *b, arena *a, const pl_account *me, pl_status *s, int n);

static int each_own_page(build *b, const pl_account *me, own_page_fn fn)
{
    pl_page p = {.limit = PAGE};
    for (;;) {
        arena pa = ARENA_INIT;
        pl_idlist l;
        int rc = store_statuses_by_account(b->c->db, me->id, false, false, &p, &pa, &l);
        pl_status *s = NULL;
        int n = 0;
        if (!rc && l.n) rc = load_statuses(b, &pa, l.ids, l.n, true, &s, &n);
        if (!rc && n) rc = fn(b, &pa, me, s, n);
        if (!rc) rc = flush(b);
        int64_t next = l.n ? l.keys[l.n - 1] : 0;
        arena_free(&pa);
        if (rc) return rc;
        if (!l.n) return PL_OK;
        p.max_id = next;
    }
}

static int outbox_page(build *b, arena *a, const pl_account *me, pl_status *s, int n)
{
    const char *actor = arena_printf(a, "%s/users/%s", b->c->cfg->base_url, me->username);
    int64_t ids[PAGE];
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!s[i].reblog_of_id) ids[k++] = s[i].id;
    pl_attachment *files = NULL;
    int n_files = 0;
    if (k) {
        int rc = store_attachments_of_statuses(b->c->db, ids, k, a, &files, &n_files);
        if (rc) return rc;
    }
    for (int i = 0; i < n; i++) {
        size_t mark = b->out.len;
        if (b->posts) buf_putc(&b->out, ',');
        int rc = s[i].reblog_of_id ? write_announce(b, a, me, actor, &s[i])
                                   : write_note(b, a, me, actor, &s[i], files, n_files);
        if (rc == PL_ENOTFOUND) { /* a boost of a deleted post */
            b->out.len = mark;
            continue;
        }
        if (rc) return rc;
        b->posts++;
        if (s[i].visibility == PL_VIS_DIRECT && !s[i].reblog_of_id) b->direct++;
    }
    return PL_OK;
}

static int files_page(build *b, arena *a, const pl_account *me, pl_status *s, int n)
{
    int64_t ids[PAGE];
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!s[i].reblog_of_id && s[i].account_id == me->id) ids[k++] = s[i].id;
    if (!k) return PL_OK;
    pl_attachment *files;
    int n_files;
    int rc = store_attachments_of_statuses(b->c->db, ids, k, a, &files, &n_files);
    for (int i = 0; !rc && i < n_files; i++) {
        rc =
            put_file(b, attachment_path(a, "media_attachments/files", &files[i]), files[i].file_id);
        if (rc == PL_ENOTFOUND) { /* deleted with its post meanwhile */
            rc = PL_OK;
            continue;
        }
        if (!rc) b->files++;
    }
    return rc;
}

/* likes.json or bookmarks.json: the addresses of the posts, never their text. */
static int write_collection(build *b, const pl_account *me, const char *name, bool likes)
{
    int rc = begin(b, name, -1, ZIPOUT_DEFLATE);
    if (rc) return rc;
    buf_puts(&b->out, "{\"@context\":\"" AS_CONTEXT "\",\"id\":");
    jstr(&b->out, name);
    buf_puts(&b->out, ",\"type\":\"OrderedCollection\",\"orderedItems\":[");
    pl_page p = {.limit = PAGE};
    int64_t total = 0;
    for (;;) {
        arena pa = ARENA_INIT;
        pl_idlist l;
        rc = likes ? store_favourites_of(b->c->db, me->id, &p, &pa, &l)
                   : store_bookmarks_of(b->c->db, me->id, &p, &pa, &l);
        pl_status *s = NULL;
        int n = 0;
        authors au = {0};
        if (!rc) rc = load_statuses(b, &pa, l.ids, l.n, false, &s, &n);
        if (!rc && n) rc = load_authors(b, &pa, s, n, &au);
        for (int i = 0; !rc && i < l.n; i++) { /* in the list's order: newest first */
            const pl_status *st = NULL;
            for (int j = 0; j < n && !st; j++)
                if (s[j].id == l.ids[i]) st = &s[j];
            const pl_account *who = st ? author(&au, st->account_id) : NULL;
            if (!who) continue; /* deleted since */
            if (total++) buf_putc(&b->out, ',');
            jstr(&b->out, status_uri(b, &pa, who->username, st->id));
        }
        if (!rc) rc = flush(b);
        int64_t next = l.n ? l.keys[l.n - 1] : 0;
        arena_free(&pa);
        if (rc) return rc;
        if (!l.n) break;
        p.max_id = next;
    }
    buf_printf(&b->out, "],\"totalItems\":%lld}", (long long)total);
    return end(b, name);
}

static int build_personal(build *b, const pl_export *x)
{
    app_ctx *c = b->c;
    pl_account me;
    int rc = store_account_get(c->db, x->account_id, c->a, &me);
    if (rc) return rc;
    const char *actor = arena_printf(c->a, "%s/users/%s", c->cfg->base_url, me.username);

    /* outbox.json: totalItems after the items, which are counted as they are written */
    rc = begin(b, "outbox.json", -1, ZIPOUT_DEFLATE);
    if (rc) return rc;
    buf_puts(&b->out, "{\"@context\":[\"" AS_CONTEXT "\"],\"id\":\"outbox.json\","
                      "\"type\":\"OrderedCollection\",\"orderedItems\":[");
    if ((rc = each_own_page(b, &me, outbox_page))) return rc;
    buf_printf(&b->out, "],\"totalItems\":%lld}", (long long)b->posts);
    if ((rc = end(b, "outbox.json"))) return rc;

    if ((rc = each_own_page(b, &me, files_page))) return rc;
    if ((rc = write_collection(b, &me, "likes.json", true))) return rc;
    if ((rc = write_collection(b, &me, "bookmarks.json", false))) return rc;

    const char *avatar = NULL, *header = NULL;
    if (me.avatar_file_id) {
        avatar = arena_printf(c->a, "avatar%s", mime_ext(c->a, me.avatar_mime));
        if ((rc = put_file(b, avatar, me.avatar_file_id))) return rc;
    }
    if (me.header_file_id) {
        header = arena_printf(c->a, "header%s", mime_ext(c->a, me.header_mime));
        if ((rc = put_file(b, header, me.header_file_id))) return rc;
    }
    (void)store_account_fields(c->db, &me, c->a);

    buf *o = &b->out;
    buf_puts(o, "{\"@context\":[\"" AS_CONTEXT "\"],\"id\":");
    jstr(o, actor);
    buf_puts(o, ",\"type\":\"Person\",\"preferredUsername\":");
    jstr(o, me.username);
    buf_puts(o, ",\"name\":");
    jstr(o, me.display_name ? me.display_name : "");
    buf_puts(o, ",\"summary\":");
    jstr(o, me.note_html ? me.note_html : "");
    buf_puts(o, ",\"url\":");
    jstr(o, arena_printf(c->a, "%s/@%s", c->cfg->base_url, me.username));
    buf_puts(o, ",\"published\":");
    jtime(o, me.created_at);
    buf_puts(o, ",\"manuallyApprovesFollowers\":");
    buf_puts(o, me.is_locked ? "true" : "false");
    buf_puts(o, ",\"outbox\":\"outbox.json\",\"likes\":\"likes.json\","
                "\"bookmarks\":\"bookmarks.json\",\"attachment\":[");
    for (int i = 0; i < me.fields_count && me.fields; i++) {
        if (i) buf_putc(o, ',');
        buf_puts(o, "{\"type\":\"PropertyValue\",\"name\":");
        jstr(o, me.fields[i].name);
        buf_puts(o, ",\"value\":");
        jstr(o, me.fields[i].value);
        buf_putc(o, '}');
    }
    buf_putc(o, ']');
    if (avatar) {
        buf_puts(o, ",\"icon\":{\"type\":\"Image\",\"mediaType\":");
        jstr(o, me.avatar_mime);
        buf_puts(o, ",\"url\":");
        jstr(o, avatar);
        buf_putc(o, '}');
    }
    if (header) {
        buf_puts(o, ",\"image\":{\"type\":\"Image\",\"mediaType\":");
        jstr(o, me.header_mime);
        buf_puts(o, ",\"url\":");
        jstr(o, header);
        buf_putc(o, '}');
    }
    buf_putc(o, '}');
    return put(b, "actor.json", ZIPOUT_DEFLATE);
}

/* ------------------------------------------------------------------ a compliance export */

/* Space-separated ids into an array in the arena. */
static int64_t *parse_ids(arena *a, const char *s, int *n)
{
    *n = 0;
    int cap = 1;
    for (const char *p = s; p && *p; p++) cap += *p == ' ';
    int64_t *v = arena_alloc(a, sizeof *v * (size_t)cap);
    for (const char *p = s; p && *p;) {
        char *endp;
        long long id = strtoll(p, &endp, 10);
        if (endp == p) break;
        if (id > 0) v[(*n)++] = id;
        p = endp;
        while (*p == ' ') p++;
    }
    return v;
}

/* The query's words, split on spaces, in the arena. */
static char **split_words(arena *a, const char *s, int *n)
{
    *n = 0;
    char **v = arena_alloc(a, sizeof *v * QUERY_MAX_WORDS);
    char *copy = arena_strdup(a, s ? s : "");
    for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w && *n < QUERY_MAX_WORDS;
         w = strtok_r(NULL, " \t\n", &save))
        v[(*n)++] = w;
    return v;
}

static bool has_id(const int64_t *v, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (v[i] == id) return true;
    return false;
}

/* Does the post match the query (the id range is the scan's)? */
static bool matches(const build *b, const pl_status *s)
{
    if (b->n_accounts && !has_id(b->accounts, b->n_accounts, s->account_id)) return false;
    if (b->n_channels && !has_id(b->channels, b->n_channels, s->channel_id)) return false;
    for (int i = 0; i < b->n_words; i++) {
        const char *text = s->plain_text ? s->plain_text : s->text;
        bool in_text = text && strcasestr(text, b->words[i]);
        bool in_cw = s->spoiler_text && strcasestr(s->spoiler_text, b->words[i]);
        if (!in_text && !in_cw) return false;
    }
    return true;
}

typedef int (*match_page_fn)(build *b, arena *a, pl_status *s, int n);

/* Walks the query's range oldest first, a page at a time, calling fn with each page's matches. */
static int each_match_page(build *b, match_page_fn fn)
{
    int64_t cursor = b->above;
    for (;;) {
        arena pa = ARENA_INIT;
        int64_t *ids;
        int n_ids, n = 0;
        pl_status *s = NULL;
        int rc = store_export_statuses(b->c->db, cursor, b->below, PAGE, &pa, &ids, &n_ids);
        if (!rc) rc = load_statuses(b, &pa, ids, n_ids, false, &s, &n);
        int k = 0;
        for (int i = 0; !rc && i < n; i++)
            if (matches(b, &s[i])) s[k++] = s[i];
        if (!rc && k) rc = fn(b, &pa, s, k);
        if (!rc) rc = flush(b);
        if (n_ids) cursor = ids[n_ids - 1];
        arena_free(&pa);
        if (rc) return rc;
        if (n_ids < PAGE) return PL_OK;
    }
}

static int lines_page(build *b, arena *a, pl_status *s, int n)
{
    authors au;
    int64_t ids[PAGE];
    for (int i = 0; i < n; i++) ids[i] = s[i].id;
    pl_attachment *files;
    int n_files;
    int rc = load_authors(b, a, s, n, &au);
    if (!rc) rc = store_attachments_of_statuses(b->c->db, ids, n, a, &files, &n_files);
    if (rc) return rc;
    buf *o = &b->out;
    for (int i = 0; i < n; i++) {
        const pl_account *who = author(&au, s[i].account_id);
        buf_puts(o, "{\"id\":");
        jid(o, s[i].id);
        buf_puts(o, ",\"created_at\":");
        jtime(o, s[i].created_at);
        buf_puts(o, ",\"account\":{\"id\":");
        jid(o, s[i].account_id);
        buf_puts(o, ",\"username\":");
        jstr(o, who ? who->username : NULL);
        buf_puts(o, "},\"visibility\":");
        jstr(o, vis_name(s[i].visibility));
        buf_puts(o, ",\"channel\":");
        if (s[i].channel_id) {
            buf_puts(o, "{\"id\":");
            jid(o, s[i].channel_id);
            buf_puts(o, ",\"name\":");
            jstr(o, username_of(b, a, s[i].channel_id));
            buf_putc(o, '}');
        } else {
            buf_puts(o, "null");
        }
        buf_puts(o, ",\"in_reply_to_id\":");
        jid(o, s[i].in_reply_to_id);
        if (s[i].visibility == PL_VIS_DIRECT) {
            int64_t *m;
            int nm;
            if ((rc = store_status_mentions(b->c->db, s[i].id, a, &m, &nm))) return rc;
            buf_puts(o, ",\"mentions\":[");
            for (int j = 0; j < nm; j++) {
                if (j) buf_putc(o, ',');
                jstr(o, username_of(b, a, m[j]));
            }
            buf_putc(o, ']');
        }
        buf_puts(o, ",\"spoiler_text\":");
        jstr(o, s[i].spoiler_text ? s[i].spoiler_text : "");
        buf_puts(o, ",\"text\":");
        jstr(o, s[i].text ? s[i].text : "");
        buf_puts(o, ",\"content\":");
        jstr(o, s[i].content ? s[i].content : "");
        buf_puts(o, ",\"edited_at\":");
        jtime(o, s[i].edited_at);
        buf_puts(o, ",\"media\":[");
        bool first = true;
        for (int j = 0; j < n_files; j++) {
            if (files[j].status_id != s[i].id) continue;
            if (!first) buf_putc(o, ',');
            first = false;
            buf_puts(o, "{\"id\":");
            jid(o, files[j].id);
            buf_puts(o, ",\"path\":");
            jstr(o, attachment_path(a, "files", &files[j]));
            buf_puts(o, ",\"type\":");
            jstr(o, files[j].mime);
            buf_printf(o, ",\"size\":%lld,\"description\":", (long long)files[j].size);
            jstr(o, files[j].description && *files[j].description ? files[j].description : NULL);
            buf_putc(o, '}');
        }
        buf_puts(o, "]}\n");
        if (s[i].visibility == PL_VIS_DIRECT)
            b->direct++;
        else
            b->posts++;
    }
    return PL_OK;
}

static int match_files_page(build *b, arena *a, pl_status *s, int n)
{
    int64_t ids[PAGE];
    for (int i = 0; i < n; i++) ids[i] = s[i].id;
    pl_attachment *files;
    int n_files;
    int rc = store_attachments_of_statuses(b->c->db, ids, n, a, &files, &n_files);
    for (int i = 0; !rc && i < n_files; i++) {
        rc = put_file(b, attachment_path(a, "files", &files[i]), files[i].file_id);
        if (rc == PL_ENOTFOUND) { /* deleted with its post between the two walks */
            rc = PL_OK;
            continue;
        }
        if (!rc) b->files++;
    }
    return rc;
}

static void json_names(build *b, const char *ids)
{
    int n;
    arena a = ARENA_INIT;
    int64_t *v = parse_ids(&a, ids, &n);
    buf_putc(&b->out, '[');
    for (int i = 0; i < n; i++) {
        if (i) buf_putc(&b->out, ',');
        jstr(&b->out, username_of(b, &a, v[i]));
    }
    buf_putc(&b->out, ']');
    arena_free(&a);
}

static int build_compliance(build *b, const pl_export *x, int64_t built_at)
{
    app_ctx *c = b->c;
    b->accounts = parse_ids(c->a, x->accounts, &b->n_accounts);
    b->channels = parse_ids(c->a, x->channels, &b->n_channels);
    b->words = split_words(c->a, x->words, &b->n_words);
    /* the range, inclusive, and never past the request: a post made while the export is built
     * is not in it, so that both walks see the same posts */
    int64_t until = x->until_at < x->created_at ? x->until_at : x->created_at;
    b->above = id_floor_for_ms(x->since_at) - 1;
    b->below = id_floor_for_ms(until + 1);
    b->sums = tmpfile();
    if (!b->sums) return PL_EINTERNAL;

    int rc = begin(b, "statuses.jsonl", -1, ZIPOUT_DEFLATE);
    if (!rc) rc = each_match_page(b, lines_page);
    if (!rc) rc = end(b, "statuses.jsonl");
    if (!rc) rc = each_match_page(b, match_files_page);
    if (rc) return rc;

    buf *o = &b->out;
    buf_puts(o, "{\"type\":\"partyline.compliance_export\",\"export_id\":");
    jid(o, x->id);
    buf_puts(o, ",\"requested_by\":");
    if (x->account_id) {
        buf_puts(o, "{\"id\":");
        jid(o, x->account_id);
        buf_puts(o, ",\"username\":");
        jstr(o, username_of(b, c->a, x->account_id));
        buf_putc(o, '}');
    } else {
        jstr(o, "command line");
    }
    buf_puts(o, ",\"requested_at\":");
    jtime(o, x->created_at);
    buf_puts(o, ",\"built_at\":");
    jtime(o, built_at);
    buf_puts(o, ",\"server\":");
    jstr(o, c->cfg->base_url);
    buf_puts(o, ",\"query\":{\"since\":");
    jtime(o, x->since_at);
    buf_puts(o, ",\"until\":");
    jtime(o, x->until_at);
    buf_puts(o, ",\"usernames\":");
    json_names(b, x->accounts);
    buf_puts(o, ",\"channels\":");
    json_names(b, x->channels);
    buf_puts(o, ",\"words\":");
    jstr(o, x->words && *x->words ? x->words : NULL);
    buf_printf(o,
               "},\"counts\":{\"posts\":%lld,\"direct\":%lld,\"files\":%lld},"
               "\"contents\":{\"statuses.jsonl\":\"one post or direct message a line, oldest "
               "first\",\"files/\":\"the files of those posts, files/ID/NAME\",\"SHA256SUMS\":"
               "\"the SHA-256 of every other entry, for sha256sum -c\"}}\n",
               (long long)b->posts, (long long)b->direct, (long long)b->files);
    if ((rc = put(b, "manifest.json", ZIPOUT_DEFLATE))) return rc;

    /* SHA256SUMS from the spool, a piece at a time */
    long size = ftell(b->sums);
    if (size < 0 || fflush(b->sums) || fseek(b->sums, 0, SEEK_SET)) return PL_EINTERNAL;
    rc = zipout_entry_begin(b->z, "SHA256SUMS", b->mtime, size, ZIPOUT_DEFLATE);
    char piece[16384];
    size_t got;
    while (!rc && (got = fread(piece, 1, sizeof piece, b->sums)) > 0)
        rc = zipout_entry_write(b->z, piece, got);
    if (!rc) rc = zipout_entry_end(b->z, NULL, NULL);
    return rc;
}

/* ------------------------------------------------------------------ building */

static int to_media(void *ctx, const void *data, size_t len)
{
    return media_write(ctx, data, len);
}

static int to_file(void *ctx, const void *data, size_t len)
{
    if (fwrite(data, 1, len, ctx) == len) return PL_OK;
    return errno == ENOSPC || errno == EDQUOT ? PL_ENOSPACE : PL_EINTERNAL;
}

static void build_free(build *b)
{
    if (b->z) zipout_free(b->z);
    if (b->sums) fclose(b->sums);
    buf_free(&b->out);
}

/* Writes x's zip (personal or compliance) to the sink; the counts land in b. */
static int build_zip(build *b, const pl_export *x, zipout_sink sink, void *ctx)
{
    b->mtime = time_now_ms();
    int rc = zipout_open(sink, ctx, &b->z);
    if (rc) return rc;
    rc = x->kind == EXPORT_PERSONAL ? build_personal(b, x) : build_compliance(b, x, b->mtime);
    if (!rc) rc = zipout_close(b->z);
    if (rc && b->z && *zipout_error(b->z))
        log_error("event=export_zip_failed export_id=%lld msg=\"%s\"", (long long)x->id,
                  zipout_error(b->z));
    return rc;
}

static const char *ready_action(int kind)
{
    return kind == EXPORT_PERSONAL ? "archive.ready" : "export.ready";
}

/* Builds row x (claimed under lease) into a new file of the store and finishes the row. */
static int build_into_store(app_ctx *c, pl_export *x, int64_t lease, bool (*stopping)(void *),
                            void *ctx)
{
    if (!c->media) return app_fail(c, PL_EINTERNAL, "This server keeps no files");
    /* the database backend writes chunks as rows: the whole build is one transaction */
    bool whole_txn = media_default_backend(c->media) == MEDIA_DATABASE;
    bool in_txn = false;
    int rc = PL_OK;
    if (whole_txn) {
        if ((rc = app_txn_begin(c))) return rc;
        in_txn = true;
    }
    int64_t file_id = app_new_id(c);
    media_writer *w = NULL;
    build b = {.c = c, .out = BUF_INIT, .stopping = stopping, .stopping_ctx = ctx};
    rc = media_write_begin(c->media, c->db, file_id, &w);
    if (!rc) rc = build_zip(&b, x, to_media, w);
    if (!rc && !in_txn) {
        if (!(rc = app_txn_begin(c))) in_txn = true;
    }
    if (!rc) {
        int64_t now = time_now_ms();
        x->file_id = file_id;
        x->size = zipout_bytes(b.z);
        x->posts_count = b.posts;
        x->direct_count = b.direct;
        x->files_count = b.files;
        x->finished_at = now;
        x->expires_at = now + (int64_t)c->cfg->archive_keep_days * DAY_MS;
        x->lease_until = lease;
        rc = store_export_finish(c->db, x);
    }
    if (!rc) {
        rc = media_write_finish(w, NULL);
        if (!rc) w = NULL;
    }
    if (!rc)
        rc = audit_record(
            c, &(audit_entry){
                   .action = ready_action(x->kind),
                   .actor_id = x->account_id,
                   .target_kind = "archive",
                   .target_id = x->id,
                   .detail = {AUDIT_COUNT("posts", x->posts_count),
                              AUDIT_COUNT("direct", x->direct_count),
                              AUDIT_COUNT("files", x->files_count), AUDIT_COUNT("bytes", x->size)},
               });
    if (w) media_write_abort(w);
    if (in_txn) rc = app_txn_end(c, rc);
    build_free(&b);
    if (!rc) x->state = EXPORT_READY;
    return rc;
}

static int expire_some(app_ctx *c, bool *did)
{
    int64_t *ids;
    int n;
    int rc = store_exports_expired(c->db, c->now, EXPIRE_BATCH, c->a, &ids, &n);
    for (int i = 0; !rc && i < n; i++) {
        *did = true;
        pl_export x;
        if ((rc = app_txn_begin(c))) break;
        rc = store_export_get(c->db, ids[i], c->a, &x);
        if (!rc) rc = store_export_expire(c->db, x.id);
        /* the key row first: whatever copy of the chunks survives is unreadable */
        if (!rc && x.file_id) {
            rc = media_delete(c->media, c->db, x.file_id);
            if (rc == PL_ENOTFOUND) rc = PL_OK;
        }
        if (rc == PL_ENOTFOUND) rc = PL_OK; /* another node expired it first */
        rc = app_txn_end(c, rc);
    }
    return rc;
}

int exports_build_step(app_ctx *c, bool (*stopping)(void *), void *ctx, bool *did)
{
    *did = false;
    if (!c->media) return PL_OK;
    int rc = expire_some(c, did);
    if (rc) return rc;
    int64_t id;
    rc = store_export_next(c->db, c->now, &id);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    *did = true;
    int64_t lease = c->now + LEASE_MS;
    rc = store_export_claim(c->db, id, c->now, lease);
    if (rc == PL_ENOTFOUND) return PL_OK; /* another node took it */
    if (rc) return rc;
    pl_export x;
    if ((rc = store_export_get(c->db, id, c->a, &x))) return rc;
    int64_t t0 = time_now_ms();
    rc = build_into_store(c, &x, lease, stopping, ctx);
    if (rc == PL_ECONFLICT || rc == PL_ENOTFOUND) { /* stopped, or taken over: not a failure */
        log_info("event=export_given_back export_id=%lld", (long long)id);
        return rc == PL_ECONFLICT ? store_export_release(c->db, id, lease) : PL_OK;
    }
    if (rc) {
        log_error("event=export_failed export_id=%lld kind=%d rc=%d", (long long)id, x.kind, rc);
        const char *why =
            rc == PL_ENOSPACE ? "The server's storage is full" : "The archive could not be built";
        int frc = store_export_fail(c->db, id, why, time_now_ms());
        return frc ? frc : PL_OK;
    }
    log_info("event=export_built export_id=%lld kind=%d bytes=%lld posts=%lld files=%lld ms=%lld",
             (long long)id, x.kind, (long long)x.size, (long long)x.posts_count,
             (long long)x.files_count, (long long)(time_now_ms() - t0));
    return PL_OK;
}

/* ------------------------------------------------------------------ a person's requests */

int exports_request_archive(app_ctx *c, int64_t viewer, pl_export *out)
{
    pl_export *v;
    int n;
    int rc = store_exports_of(c->db, viewer, EXPORT_PERSONAL, 4, c->a, &v, &n);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        if (v[i].state == EXPORT_WAITING || v[i].state == EXPORT_BUILDING)
            return app_fail(c, PL_ERATE, "Your archive is being made; ask again once it is ready");
        if (v[i].state == EXPORT_FAILED) continue;
        int64_t next = v[i].created_at + (int64_t)c->cfg->archive_every_days * DAY_MS;
        if (c->now < next) {
            char t[40];
            time_iso8601(next, t, sizeof t);
            return app_fail(c, PL_ERATE,
                            "You may ask for an archive once every %d days: the next from %s",
                            c->cfg->archive_every_days, t);
        }
        break;
    }
    pl_export x = {.id = app_new_id(c),
                   .account_id = viewer,
                   .kind = EXPORT_PERSONAL,
                   .state = EXPORT_WAITING,
                   .accounts = "",
                   .channels = "",
                   .words = "",
                   .created_at = c->now};
    rc = store_export_insert(c->db, &x);
    if (rc == PL_ECONFLICT)
        return app_fail(c, PL_ERATE, "Your archive is being made; ask again once it is ready");
    if (!rc)
        rc = audit_record(c, &(audit_entry){.action = "archive.request",
                                            .actor_id = viewer,
                                            .target_kind = "archive",
                                            .target_id = x.id});
    if (!rc) *out = x;
    return rc;
}

int exports_archives(app_ctx *c, int64_t viewer, pl_export **out, int *n)
{
    return store_exports_of(c->db, viewer, EXPORT_PERSONAL, EXPORTS_LIST_MAX, c->a, out, n);
}

static void sign(app_ctx *c, int64_t id, int64_t owner, int64_t expiry, char out[SIG_HEX])
{
    uint8_t k[crypto_auth_hmacsha256_KEYBYTES];
    media_derive_key(c->media, SIGN_CONTEXT, 1, k);
    char msg[96];
    int len = snprintf(msg, sizeof msg, "archive/%lld/%lld/%lld", (long long)id, (long long)owner,
                       (long long)expiry);
    uint8_t mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const uint8_t *)msg, (unsigned long long)len, k);
    sodium_memzero(k, sizeof k);
    sodium_bin2hex(out, SIG_HEX, mac, sizeof mac);
}

const char *exports_archive_url(app_ctx *c, const pl_export *x)
{
    if (x->state != EXPORT_READY || !c->media) return "";
    /* rounded, so that one listing after another gives the same address for a while */
    int64_t half = URL_SECONDS / 2;
    int64_t expiry = (c->now / 1000 / half) * half + 2 * half;
    char sig[SIG_HEX];
    sign(c, x->id, x->account_id, expiry, sig);
    return arena_printf(c->a, "%s/api/v1/partyline/archives/%lld/download?x=%lld&s=%s",
                        c->cfg->base_url, (long long)x->id, (long long)expiry, sig);
}

static bool is_admin(app_ctx *c, int64_t viewer)
{
    const pl_account *a = viewer ? app_account(c, viewer) : NULL;
    return a && a->is_admin && !a->is_disabled;
}

int exports_open_download(app_ctx *c, int kind, int64_t id, int64_t viewer, const char *x,
                          const char *s, pl_export *out)
{
    pl_export row;
    int rc = store_export_get(c->db, id, c->a, &row);
    if (rc) return rc;
    if (row.kind != kind) return PL_ENOTFOUND;
    if (kind == EXPORT_PERSONAL) {
        if (viewer) {
            if (row.account_id != viewer) return PL_ENOTFOUND;
        } else {
            char *end;
            long long expiry = x ? strtoll(x, &end, 10) : 0;
            if (!x || *end || expiry < c->now / 1000 || !s || strlen(s) != SIG_HEX - 1 || !c->media)
                return PL_ENOTFOUND;
            char want[SIG_HEX];
            sign(c, row.id, row.account_id, expiry, want);
            if (sodium_memcmp(want, s, SIG_HEX - 1) != 0) return PL_ENOTFOUND;
        }
        const pl_account *owner = app_account(c, row.account_id);
        if (!owner || owner->is_disabled) return PL_ENOTFOUND;
    } else if (!is_admin(c, viewer)) {
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may read compliance exports");
    }
    if (row.state != EXPORT_READY)
        return app_fail(c, PL_ENOTFOUND,
                        row.state == EXPORT_EXPIRED  ? "This archive has expired"
                        : row.state == EXPORT_FAILED ? "This archive could not be made"
                                                     : "This archive is not ready yet");
    if ((rc = app_txn_begin(c))) return rc;
    rc = audit_record(
        c, &(audit_entry){
               .action = kind == EXPORT_PERSONAL ? "archive.download" : "export.download",
               .actor_id = kind == EXPORT_PERSONAL ? row.account_id : viewer,
               .target_kind = "archive",
               .target_id = row.id,
               .detail = {AUDIT_COUNT("bytes", row.size)},
           });
    rc = app_txn_end(c, rc);
    if (!rc) *out = row;
    return rc;
}

int exports_file_read(app_ctx *c, int64_t file_id, int64_t offset, int64_t length, buf *out)
{
    if (!c->media) return PL_EINTERNAL;
    media_reader *r;
    int rc = media_read_open(c->media, c->db, file_id, offset, length, &r);
    if (rc) return rc;
    const uint8_t *piece;
    size_t len;
    while ((rc = media_read_next(r, &piece, &len)) == 1) buf_append(out, piece, len);
    media_read_close(r);
    return rc;
}

int exports_delete_of_account(app_ctx *c, int64_t account_id, int *n)
{
    if (n) *n = 0;
    for (;;) {
        pl_export *v;
        int k;
        int rc =
            store_exports_of(c->db, account_id, EXPORT_PERSONAL, EXPORTS_LIST_MAX, c->a, &v, &k);
        for (int i = 0; !rc && i < k; i++) {
            if (v[i].file_id && c->media) {
                rc = media_delete(c->media, c->db, v[i].file_id);
                if (rc == PL_ENOTFOUND) rc = PL_OK;
            }
            if (!rc) rc = store_export_delete(c->db, v[i].id);
            if (!rc && n) (*n)++;
        }
        if (rc || k < EXPORTS_LIST_MAX) return rc;
    }
}

/* ------------------------------------------------------------------ compliance requests */

/* The query checked and turned into a row's columns (ids), without id and created_at. */
static int resolve_query(app_ctx *c, const exports_query *q, pl_export *x, int *n_words)
{
    if (!q->since_at || !q->until_at)
        return app_fail(c, PL_EINVAL, "since and until are required (a date range)");
    if (q->until_at < q->since_at) return app_fail(c, PL_EINVAL, "until is before since");
    if (q->until_at - q->since_at > QUERY_MAX_DAYS * DAY_MS)
        return app_fail(c, PL_EINVAL, "The range is longer than %d days", QUERY_MAX_DAYS);
    if (q->n_usernames > QUERY_MAX_NAMES || q->n_channels > QUERY_MAX_NAMES)
        return app_fail(c, PL_EINVAL, "At most %d usernames and %d channels", QUERY_MAX_NAMES,
                        QUERY_MAX_NAMES);
    if (q->words && strlen(q->words) > QUERY_WORDS_BYTES)
        return app_fail(c, PL_EINVAL, "words is longer than %d bytes", QUERY_WORDS_BYTES);
    split_words(c->a, q->words, n_words);
    if (*n_words == QUERY_MAX_WORDS) { /* split_words stops there: were there more? */
        char *copy = arena_strdup(c->a, q->words), *save = NULL;
        int n = 0;
        for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) n++;
        if (n > QUERY_MAX_WORDS) return app_fail(c, PL_EINVAL, "At most %d words", QUERY_MAX_WORDS);
    }
    buf ids = BUF_INIT;
    for (int i = 0; i < q->n_usernames; i++) {
        pl_account a;
        int rc = store_account_by_username(c->db, q->usernames[i], c->a, &a);
        if (rc == PL_OK && app_channel(c, a.id)) rc = PL_ENOTFOUND;
        if (rc) {
            buf_free(&ids);
            return rc == PL_ENOTFOUND
                       ? app_fail(c, PL_EINVAL, "No such person: %s", q->usernames[i])
                       : rc;
        }
        buf_printf(&ids, "%s%lld", ids.len ? " " : "", (long long)a.id);
    }
    x->accounts = arena_strndup(c->a, ids.data ? ids.data : "", ids.len);
    buf_reset(&ids);
    for (int i = 0; i < q->n_channels; i++) {
        pl_account a;
        int rc = store_account_by_username(c->db, q->channels[i], c->a, &a);
        if (rc == PL_OK && !app_channel(c, a.id)) rc = PL_ENOTFOUND;
        if (rc) {
            buf_free(&ids);
            return rc == PL_ENOTFOUND
                       ? app_fail(c, PL_EINVAL, "No such channel: %s", q->channels[i])
                       : rc;
        }
        buf_printf(&ids, "%s%lld", ids.len ? " " : "", (long long)a.id);
    }
    x->channels = arena_strndup(c->a, ids.data ? ids.data : "", ids.len);
    buf_free(&ids);
    x->kind = EXPORT_COMPLIANCE;
    x->since_at = q->since_at;
    x->until_at = q->until_at;
    x->words = q->words ? q->words : "";
    return PL_OK;
}

int exports_request_compliance(app_ctx *c, int64_t viewer, const exports_query *q, pl_export *out)
{
    if (!is_admin(c, viewer))
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may make compliance exports");
    pl_export x = {0};
    int n_words;
    int rc = resolve_query(c, q, &x, &n_words);
    if (rc) return rc;
    x.id = app_new_id(c);
    x.account_id = viewer;
    x.state = EXPORT_WAITING;
    x.created_at = c->now;
    if ((rc = store_export_insert(c->db, &x))) return rc;
    char since[40], until[40];
    time_iso8601(x.since_at, since, sizeof since);
    time_iso8601(x.until_at, until, sizeof until);
    rc = audit_record(
        c, &(audit_entry){
               .action = "export.create",
               .actor_id = viewer,
               .target_kind = "archive",
               .target_id = x.id,
               .detail = {AUDIT_COUNT("people", q->n_usernames),
                          AUDIT_COUNT("channels", q->n_channels), AUDIT_COUNT("words", n_words),
                          AUDIT_STR("since", since), AUDIT_STR("until", until)},
           });
    if (!rc) *out = x;
    return rc;
}

int exports_compliance_list(app_ctx *c, int64_t viewer, pl_export **out, int *n)
{
    if (!is_admin(c, viewer))
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may read compliance exports");
    return store_exports_of(c->db, 0, EXPORT_COMPLIANCE, EXPORTS_LIST_MAX, c->a, out, n);
}

int exports_compliance_get(app_ctx *c, int64_t viewer, int64_t id, pl_export *out)
{
    if (!is_admin(c, viewer))
        return app_fail(c, PL_EFORBIDDEN, "Only administrators may read compliance exports");
    int rc = store_export_get(c->db, id, c->a, out);
    if (!rc && out->kind != EXPORT_COMPLIANCE) rc = PL_ENOTFOUND;
    return rc;
}

const char *exports_names(app_ctx *c, const char *ids)
{
    int n;
    int64_t *v = parse_ids(c->a, ids, &n);
    buf b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        pl_account a;
        if (store_account_get(c->db, v[i], c->a, &a) == PL_OK)
            buf_printf(&b, "%s%s", b.len ? " " : "", a.username);
    }
    const char *out = arena_strndup(c->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return out;
}

int exports_write_compliance_file(app_ctx *c, const exports_query *q, FILE *out, int64_t *posts,
                                  int64_t *direct, int64_t *files)
{
    pl_export x = {0};
    int n_words;
    int rc = resolve_query(c, q, &x, &n_words);
    if (rc) return rc;
    x.created_at = c->now;
    build b = {.c = c, .out = BUF_INIT};
    rc = build_zip(&b, &x, to_file, out);
    if (!rc && fflush(out)) rc = errno == ENOSPC ? PL_ENOSPACE : PL_EINTERNAL;
    *posts = b.posts;
    *direct = b.direct;
    *files = b.files;
    int64_t bytes = b.z ? zipout_bytes(b.z) : 0;
    build_free(&b);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = audit_record(
        c, &(audit_entry){
               .action = "export.create",
               .no_actor = true,
               .target_kind = "archive",
               .detail = {AUDIT_STR("via", "command line"), AUDIT_COUNT("people", q->n_usernames),
                          AUDIT_COUNT("channels", q->n_channels), AUDIT_COUNT("words", n_words),
                          AUDIT_COUNT("posts", *posts), AUDIT_COUNT("direct", *direct),
                          AUDIT_COUNT("files", *files), AUDIT_COUNT("bytes", bytes)},
           });
    return app_txn_end(c, rc);
}
