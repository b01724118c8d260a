/*
 * avatars.c — default avatars and headers: what they show, their addresses, and the cache of
 * the drawn PNGs (see avatars.h for the rules).
 *
 * Why a cache in memory, bounded, rather than files or a table: a drawn avatar is ~1.5 KB and
 * takes ~8 ms to draw, so the default avatar_cache_bytes (16 MiB) holds a company of ten
 * thousand and the cost of losing it (a restart) is a few milliseconds per person, paid once,
 * on a worker. Files would survive restarts but need cleaning when names change and sharing
 * between nodes; a table would put the drawing's bytes through the writer. Each node keeps
 * its own cache: the address carries the version, so no node can serve a stale picture.
 *
 * The cache is a hash of (kind, id) chains and a least-recently-used list, under one mutex
 * held only to look up, link or unlink (never while drawing). A hit is copied into the
 * request's arena, so the entry may be evicted the moment the lock is released. Every header
 * is the same drawing, cached once under id 0.
 */
#include "app/avatars.h"

#include <glib.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/media.h"
#include "pictures/pictures.h"
#include "pictures/upload.h"
#include "store/accounts.h"
#include "util/log.h"

/* Drawn pictures change style only with this number: it is part of every version. */
#define AVATAR_STYLE 1

/* ---------------------------------------------------------------- what they show */

void avatars_initials(const pl_account *a, char out[AVATAR_INITIALS_MAX])
{
    gunichar first = 0, last = 0;
    const char *names[] = {a->display_name, a->username};
    for (int k = 0; k < 2 && !first; k++) {
        const char *s = names[k];
        if (!s || !g_utf8_validate(s, -1, NULL)) continue;
        bool in_word = false, word_has = false;
        for (const char *p = s; *p; p = g_utf8_next_char(p)) {
            gunichar ch = g_utf8_get_char(p);
            if (g_unichar_isspace(ch) || ch == '-' || ch == '_' || ch == '.') {
                in_word = false;
                continue;
            }
            if (!in_word) in_word = true, word_has = false;
            if (word_has || !g_unichar_isalnum(ch)) continue;
            word_has = true;
            if (!first)
                first = ch;
            else
                last = ch;
        }
        /* a username is one word: its first letter only */
        if (k == 1) last = 0;
    }
    if (!first) first = '?';
    int n = g_unichar_to_utf8(g_unichar_toupper(first), out);
    if (last) n += g_unichar_to_utf8(g_unichar_toupper(last), out + n);
    out[n] = '\0';
}

static double linear(double v)
{
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double avatars_white_contrast(const uint8_t rgb[3])
{
    double l = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    return 1.05 / (l + 0.05);
}

/* splitmix64's finaliser: neighbouring ids (created in the same second) get distant hues */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void hsl_rgb(double h, double s, double l, uint8_t rgb[3])
{
    double c = (1 - fabs(2 * l - 1)) * s, hp = h / 60.0;
    double x = c * (1 - fabs(fmod(hp, 2) - 1)), m = l - c / 2;
    double r = 0, g = 0, b = 0;
    if (hp < 1)
        r = c, g = x;
    else if (hp < 2)
        r = x, g = c;
    else if (hp < 3)
        g = c, b = x;
    else if (hp < 4)
        g = x, b = c;
    else if (hp < 5)
        r = x, b = c;
    else
        r = c, b = x;
    rgb[0] = (uint8_t)lround((r + m) * 255);
    rgb[1] = (uint8_t)lround((g + m) * 255);
    rgb[2] = (uint8_t)lround((b + m) * 255);
}

void avatars_colour(int64_t id, uint8_t rgb[3])
{
    double hue = (double)(mix((uint64_t)id) % 360);
    /* yellows and greens are light at any saturation: darken until white reads (AA) */
    for (double l = 0.45; l > 0.05; l -= 0.02) {
        hsl_rgb(hue, 0.55, l, rgb);
        if (avatars_white_contrast(rgb) >= 4.5) return;
    }
}

/* the plain header: a quiet slate */
static const uint8_t header_rgb[3] = {0x3a, 0x46, 0x57};

/* The uploaded picture of that kind: its file in the media store (0: none) and its type. */
static int64_t uploaded(const pl_account *a, enum avatar_kind kind, const char **mime)
{
    int64_t file = kind == AVATAR_HEADER ? a->header_file_id : a->avatar_file_id;
    const char *m = kind == AVATAR_HEADER ? a->header_mime : a->avatar_mime;
    if (!file || !m) return 0;
    if (mime) *mime = m;
    return file;
}

/* The address's extension for a stored picture's type. */
static const char *extension(const char *mime)
{
    return !strcmp(mime, "image/jpeg") ? "jpg" : !strcmp(mime, "image/webp") ? "webp" : "png";
}

void avatars_version(const pl_account *a, enum avatar_kind kind, char out[AVATAR_VERSION_MAX])
{
    int64_t file = uploaded(a, kind, NULL);
    if (file) { /* a new upload is a new file: its id is the version */
        snprintf(out, AVATAR_VERSION_MAX, "u%llx", (unsigned long long)file);
        return;
    }
    if (kind == AVATAR_HEADER) {
        snprintf(out, AVATAR_VERSION_MAX, "d%d", AVATAR_STYLE);
        return;
    }
    char initials[AVATAR_INITIALS_MAX];
    avatars_initials(a, initials);
    /* FNV-1a over the style and the initials: what the picture shows */
    uint32_t h = 2166136261u ^ AVATAR_STYLE;
    for (const unsigned char *p = (const unsigned char *)initials; *p; p++)
        h = (h ^ *p) * 16777619u;
    snprintf(out, AVATAR_VERSION_MAX, "d%08x", h);
}

const char *avatars_url(app_ctx *c, const pl_account *a, enum avatar_kind kind)
{
    char v[AVATAR_VERSION_MAX];
    avatars_version(a, kind, v);
    const char *mime = "image/png";
    uploaded(a, kind, &mime);
    return arena_printf(c->a, "%s/%s/%lld/%s.%s", c->cfg->base_url,
                        kind == AVATAR_HEADER ? "headers" : "avatars", (long long)a->id, v,
                        extension(mime));
}

/* ---------------------------------------------------------------- the cache */

enum { BUCKETS = 1024 };

struct entry {
    struct entry *chain, *newer, *older;
    int kind;
    int64_t id;
    char version[AVATAR_VERSION_MAX];
    size_t len;
    unsigned char data[];
};

struct avatar_cache {
    pthread_mutex_t mu;
    struct entry *bucket[BUCKETS];
    struct entry *newest, *oldest;
    size_t bytes, max_bytes;
    int count;
};

avatar_cache *avatar_cache_new(size_t max_bytes)
{
    avatar_cache *ac = calloc(1, sizeof *ac);
    if (!ac) abort();
    pthread_mutex_init(&ac->mu, NULL);
    ac->max_bytes = max_bytes;
    return ac;
}

void avatar_cache_free(avatar_cache *ac)
{
    if (!ac) return;
    for (struct entry *e = ac->newest, *next; e; e = next) {
        next = e->older;
        free(e);
    }
    pthread_mutex_destroy(&ac->mu);
    free(ac);
}

void avatar_cache_usage(avatar_cache *ac, int *count, size_t *bytes)
{
    pthread_mutex_lock(&ac->mu);
    *count = ac->count;
    *bytes = ac->bytes;
    pthread_mutex_unlock(&ac->mu);
}

static size_t slot(int kind, int64_t id)
{
    return (size_t)(mix((uint64_t)id * 2 + (uint64_t)kind) % BUCKETS);
}

static size_t entry_bytes(const struct entry *e)
{
    return sizeof *e + e->len;
}

/* Unlinks e from the LRU list (the lock held). */
static void lru_unlink(avatar_cache *ac, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        ac->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        ac->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push(avatar_cache *ac, struct entry *e)
{
    e->older = ac->newest;
    e->newer = NULL;
    if (ac->newest) ac->newest->newer = e;
    ac->newest = e;
    if (!ac->oldest) ac->oldest = e;
}

/* Removes e from the cache and frees it (the lock held). */
static void drop(avatar_cache *ac, struct entry *e)
{
    struct entry **pp = &ac->bucket[slot(e->kind, e->id)];
    while (*pp != e) pp = &(*pp)->chain;
    *pp = e->chain;
    lru_unlink(ac, e);
    ac->bytes -= entry_bytes(e);
    ac->count--;
    free(e);
}

/* Copies the cached picture into the arena; false if the cache does not hold it. */
static bool cache_get(avatar_cache *ac, int kind, int64_t id, const char *version, arena *a,
                      avatar_png *out)
{
    if (!ac) return false;
    bool hit = false;
    pthread_mutex_lock(&ac->mu);
    for (struct entry *e = ac->bucket[slot(kind, id)]; e; e = e->chain) {
        if (e->kind != kind || e->id != id || strcmp(e->version, version)) continue;
        void *copy = arena_alloc(a, e->len);
        memcpy(copy, e->data, e->len);
        out->data = copy;
        out->len = e->len;
        lru_unlink(ac, e);
        lru_push(ac, e);
        hit = true;
        break;
    }
    pthread_mutex_unlock(&ac->mu);
    return hit;
}

/* Keeps a drawing, in place of any other version of the same picture, evicting the least
 * recently used until it fits; one larger than the whole cache is not kept. */
static void cache_put(avatar_cache *ac, int kind, int64_t id, const char *version, const void *data,
                      size_t len)
{
    if (!ac || sizeof(struct entry) + len > ac->max_bytes) return;
    struct entry *e = malloc(sizeof *e + len);
    if (!e) return;
    *e = (struct entry){.kind = kind, .id = id, .len = len};
    snprintf(e->version, sizeof e->version, "%s", version);
    memcpy(e->data, data, len);
    pthread_mutex_lock(&ac->mu);
    for (struct entry *x = ac->bucket[slot(kind, id)], *next; x; x = next) {
        next = x->chain;
        if (x->kind == kind && x->id == id) drop(ac, x); /* an old version, or a twin drawing */
    }
    while (ac->oldest && ac->bytes + entry_bytes(e) > ac->max_bytes) drop(ac, ac->oldest);
    size_t b = slot(kind, id);
    e->chain = ac->bucket[b];
    ac->bucket[b] = e;
    lru_push(ac, e);
    ac->bytes += entry_bytes(e);
    ac->count++;
    pthread_mutex_unlock(&ac->mu);
}

/* ---------------------------------------------------------------- serving */

/* Reads a stored picture whole into the arena. */
static int read_stored(app_ctx *c, int64_t file, avatar_png *out)
{
    if (!c->media) return PL_EINTERNAL;
    media_reader *r;
    int rc = media_read_open(c->media, c->db, file, 0, -1, &r);
    if (rc) return rc;
    buf b = BUF_INIT;
    const uint8_t *piece;
    size_t len;
    while ((rc = media_read_next(r, &piece, &len)) == 1) buf_append(&b, piece, len);
    media_read_close(r);
    if (!rc) {
        void *copy = arena_alloc(c->a, b.len ? b.len : 1);
        memcpy(copy, b.data, b.len);
        out->data = copy;
        out->len = b.len;
    }
    buf_free(&b);
    return rc;
}

int avatars_picture(app_ctx *c, enum avatar_kind kind, int64_t id, const char *version,
                    const char *ext, avatar_png *out)
{
    const pl_account *a = id ? app_account(c, id) : NULL;
    if (!a || a->is_disabled) return app_fail(c, PL_ENOTFOUND, "Record not found");
    char want[AVATAR_VERSION_MAX];
    avatars_version(a, kind, want);
    const char *mime = "image/png";
    int64_t file = uploaded(a, kind, &mime);
    if (strcmp(want, version) || strcmp(ext, extension(mime)))
        return app_fail(c, PL_ENOTFOUND,
                        "This picture has changed since: the account shows its new address");
    snprintf(out->etag, sizeof out->etag, "\"%c%lld-%s\"", kind == AVATAR_HEADER ? 'h' : 'a',
             (long long)id, want);
    out->mime = mime;
    /* every drawn header is the same drawing; an uploaded one is the account's */
    int64_t key = kind == AVATAR_HEADER && !file ? 0 : id;
    if (cache_get(c->avatars, kind, key, want, c->a, out)) return PL_OK;
    if (file) {
        /* decrypting ~100 KB is quick enough for a loop, as media.c's small files are */
        int rc = read_stored(c, file, out);
        if (rc == PL_ENOTFOUND) return app_fail(c, PL_ENOTFOUND, "Record not found");
        if (rc) {
            log_error("event=avatar_read_failed account=%lld file=%lld rc=%d", (long long)id,
                      (long long)file, rc);
            return app_fail(c, PL_EINTERNAL, "The picture could not be read");
        }
        cache_put(c->avatars, kind, key, want, out->data, out->len);
        return PL_OK;
    }
    if (c->is_loop) return PL_ESLOW;
    buf png = BUF_INIT;
    int rc;
    if (kind == AVATAR_HEADER) {
        rc = pictures_plain_png(header_rgb, PICTURE_HEADER_WIDTH, PICTURE_HEADER_HEIGHT, &png);
    } else {
        char initials[AVATAR_INITIALS_MAX];
        uint8_t rgb[3];
        avatars_initials(a, initials);
        avatars_colour(a->id, rgb);
        rc = pictures_initials_png(initials, rgb, PICTURE_AVATAR_SIZE, &png);
    }
    if (rc) {
        buf_free(&png);
        return app_fail(c, PL_EINTERNAL, "The picture could not be drawn");
    }
    cache_put(c->avatars, kind, key, want, png.data, png.len);
    void *copy = arena_alloc(c->a, png.len);
    memcpy(copy, png.data, png.len);
    out->data = copy;
    out->len = png.len;
    buf_free(&png);
    return PL_OK;
}

/* ---------------------------------------------------------------- uploads */

int avatars_prepare(app_ctx *c, enum avatar_kind kind, const void *data, size_t len,
                    avatars_new *out)
{
    const char *what = kind == AVATAR_HEADER ? "Header" : "Avatar";
    const upload_limits lim = {
        .picture_max_bytes = (size_t)c->cfg->avatar_max_bytes,
        .max_pixels = c->cfg->media_max_pixels,
    };
    upload u;
    int rc = kind == AVATAR_HEADER
                 ? upload_cover(data, len, &lim, PICTURE_HEADER_WIDTH, PICTURE_HEADER_HEIGHT, &u)
                 : upload_cover(data, len, &lim, PICTURE_AVATAR_SIZE, PICTURE_AVATAR_SIZE, &u);
    if (rc) {
        if (rc == PL_EINTERNAL) log_error("event=avatar_upload_failed msg=\"%s\"", u.error);
        if (rc == PL_ELIMIT) /* Mastodon's words: a validation error, 422 */
            app_fail_field(c, PL_EINVAL, kind == AVATAR_HEADER ? "header" : "avatar", "ERR_INVALID",
                           "Validation failed: %s file size must be less than %d %s", what,
                           c->cfg->avatar_max_bytes >= 1 << 20 ? c->cfg->avatar_max_bytes >> 20
                                                               : c->cfg->avatar_max_bytes,
                           c->cfg->avatar_max_bytes >= 1 << 20 ? "MB" : "bytes");
        else
            app_fail_field(c, rc, kind == AVATAR_HEADER ? "header" : "avatar", "ERR_INVALID",
                           "Validation failed: %s cannot be used: %s", what,
                           u.error[0] ? u.error : "could not be processed");
        upload_free(&u);
        return rc == PL_ELIMIT ? PL_EINVAL : rc;
    }
    *out = (avatars_new){.file = u.file};
    snprintf(out->mime, sizeof out->mime, "%.31s", u.type.mime);
    u.file = (buf)BUF_INIT;
    upload_free(&u);
    return PL_OK;
}

void avatars_new_free(avatars_new *p)
{
    if (p) buf_free(&p->file);
}

int avatars_replace(app_ctx *c, int64_t account, enum avatar_kind kind, const avatars_new *p,
                    int64_t *new_file, int64_t *old_file)
{
    *new_file = *old_file = 0;
    pl_account acc;
    int rc = store_account_get(c->db, account, c->a, &acc);
    if (rc) return rc;
    *old_file = uploaded(&acc, kind, NULL);
    int64_t file = 0;
    if (p) {
        if (!c->media) return app_fail(c, PL_EINTERNAL, "This server keeps no files");
        file = app_new_id(c);
        media_writer *w;
        if ((rc = media_write_begin(c->media, c->db, file, &w))) return rc;
        rc = media_write(w, p->file.data, p->file.len);
        if (!rc) rc = media_write_finish(w, NULL);
        if (rc) {
            media_write_abort(w);
            return rc;
        }
        *new_file = file;
    }
    rc = store_account_set_picture(c->db, account, kind == AVATAR_HEADER, file, p ? p->mime : NULL);
    if (rc && file) {
        (void)media_delete(c->media, c->db, file);
        *new_file = 0;
    }
    return rc;
}

void avatars_undo(app_ctx *c, int64_t new_file)
{
    if (new_file && c->media) (void)media_delete(c->media, c->db, new_file);
}

void avatars_forget(app_ctx *c, int64_t old_file)
{
    if (!old_file || !c->media) return;
    int rc = app_txn_begin(c);
    if (!rc) rc = app_txn_end(c, media_delete(c->media, c->db, old_file));
    if (rc && rc != PL_ENOTFOUND)
        log_error("event=avatar_old_file_left file=%lld rc=%d", (long long)old_file, rc);
}

int avatars_swap_in(app_ctx *c, int64_t account, const avatars_new *avatar,
                    const avatars_new *header, avatars_swap *sw)
{
    int rc = PL_OK;
    if (avatar) rc = avatars_replace(c, account, AVATAR_PICTURE, avatar, &sw->made[0], &sw->old[0]);
    if (!rc && header)
        rc = avatars_replace(c, account, AVATAR_HEADER, header, &sw->made[1], &sw->old[1]);
    return rc;
}

void avatars_swap_undo(app_ctx *c, const avatars_swap *sw)
{
    avatars_undo(c, sw->made[0]);
    avatars_undo(c, sw->made[1]);
}

void avatars_swap_done(app_ctx *c, const avatars_swap *sw)
{
    avatars_forget(c, sw->old[0]);
    avatars_forget(c, sw->old[1]);
}
