/*
 * attachments.c — uploaded files: upload, own uploads, attaching to a post, and the one
 * decision of who may fetch a file (the rules are in attachments.h).
 *
 * Where the work happens. Typing and cleaning a picture takes ~200 ms of CPU, so an upload
 * runs on a worker, which owns its transactions: the picture is processed and encrypted
 * before any transaction opens, and the transaction holds only the rows (and, with the
 * database backend, the chunks, which must roll back with them). Neither an event loop nor the
 * writer's group commit ever waits for a picture; on SQLite the writer waits at most for
 * the few row inserts.
 *
 * Addresses. A file's address is base_url/media/KEY/FILE?v=VIEWER&x=EXPIRY&s=SIG: KEY is the
 * row's 16 random bytes (an id made of the clock could be walked), and SIG an HMAC over KEY,
 * FILE, VIEWER and EXPIRY under a key derived from the media master key (media_derive_key:
 * every node that shares files shares it, and nothing more is kept). The signature only says
 * "this address was made for VIEWER, who could see the post then"; the fetch asks the
 * audience again for VIEWER, so a deleted post, a block or a disabled account closes the file
 * at once, signature or not. The expiry is rounded so that one viewer's addresses stay the
 * same for half of media_url_seconds (an app keeps its picture cache).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/attachments.h"
#include "app/audit.h"
#include "app/audience.h"
#include "app/reports.h"
#include "media/media.h"
#include "pictures/upload.h"
#include "util/log.h"
#include "util/text.h"

enum { SIG_BYTES = 16, URL_KEY_BYTES = 16 };
#define SIGN_CONTEXT "mediaurl"

int attachments_store_open(const pl_config *cfg, db *d, struct media_store **out, char *err,
                           size_t cap)
{
    return media_open(cfg, d, out, err, cap);
}

void attachments_store_close(struct media_store *m)
{
    if (m) media_close(m);
}

const char *attachments_type_name(int kind)
{
    return filetype_kind_name((enum filetype_kind)kind);
}

/* ------------------------------------------------------------------ checks */

static int check_description(app_ctx *c, const char *d)
{
    if (!d) return PL_OK;
    size_t n = strlen(d);
    if (!text_is_valid_utf8(d, n))
        return app_fail(c, PL_EINVAL, "Validation failed: Description is not valid UTF-8");
    if ((int)text_char_count(d, n, NULL) > c->cfg->media_description_max)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Description is too long (maximum is %d characters)",
                        c->cfg->media_description_max);
    return PL_OK;
}

/* Mastodon's focus: "x,y", each from -1.0 to 1.0. Kept as sent once checked. */
static int check_focus(app_ctx *c, const char *f)
{
    if (!f) return PL_OK;
    char *end;
    double x = strtod(f, &end);
    if (end == f || *end != ',') goto bad;
    const char *ys = end + 1;
    double y = strtod(ys, &end);
    if (end == ys || *end || strlen(f) > 40) goto bad;
    if (x >= -1.0 && x <= 1.0 && y >= -1.0 && y <= 1.0) return PL_OK;
bad:
    return app_fail(c, PL_EINVAL,
                    "Validation failed: Focus must be two numbers from -1.0 to 1.0, as \"x,y\"");
}

static int check_quota(app_ctx *c, int64_t account, size_t adding)
{
    if (c->cfg->media_quota_mb <= 0) return PL_OK;
    int64_t used;
    int rc = store_attachments_bytes(c->db, account, &used);
    if (rc) return rc;
    int64_t quota = (int64_t)c->cfg->media_quota_mb << 20;
    if (used + (int64_t)adding > quota)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Your uploads would exceed your quota of %d MiB "
                        "(%lld MiB used); delete some first",
                        c->cfg->media_quota_mb, (long long)(used >> 20));
    return PL_OK;
}

/* ------------------------------------------------------------------ upload */

/* One file on its way into the store. */
typedef struct pending {
    int64_t id;
    media_writer *w;
    bool finished;
} pending;

static int pending_write(app_ctx *c, pending *p, const void *data, size_t len)
{
    p->id = app_new_id(c);
    int rc = media_write_begin(c->media, c->db, p->id, &p->w);
    if (rc) {
        p->w = NULL;
        return rc;
    }
    return media_write(p->w, data, len);
}

static int pending_finish(pending *p)
{
    if (!p->w) return PL_OK;
    int rc = media_write_finish(p->w, NULL);
    if (rc == PL_OK) {
        p->w = NULL;
        p->finished = true;
    }
    return rc;
}

/* Whatever failed: no file of this upload may stay (the caller then rolls back). */
static void pending_undo(app_ctx *c, pending *p)
{
    if (p->w) media_write_abort(p->w);
    if (p->finished) (void)media_delete(c->media, c->db, p->id);
    *p = (pending){0};
}

int attachments_upload(app_ctx *c, int64_t account, const attachments_new *n, pl_attachment *out)
{
    if (!c->media) return app_fail(c, PL_EINTERNAL, "This server keeps no files");
    int rc = check_description(c, n->description);
    if (!rc) rc = check_focus(c, n->focus);
    if (!rc) rc = check_quota(c, account, n->len);
    if (rc) return rc;
    const upload_limits lim = {
        .picture_max_bytes = (size_t)c->cfg->media_picture_max_bytes,
        .file_max_bytes = (size_t)c->cfg->media_file_max_bytes,
        .max_pixels = c->cfg->media_max_pixels,
    };
    upload u;
    rc = upload_process(n->data, n->len, &lim, &u);
    if (rc) {
        if (rc == PL_EINTERNAL) log_error("event=upload_failed msg=\"%s\"", u.error);
        app_fail(c, rc, "%s", u.error[0] ? u.error : "The file could not be processed");
        upload_free(&u);
        return rc;
    }
    bool is_picture = u.type.kind == FILETYPE_IMAGE || u.type.kind == FILETYPE_GIFV;
    const void *data = u.file.len ? u.file.data : n->data;
    size_t len = u.file.len ? u.file.len : n->len;
    uint8_t key[URL_KEY_BYTES];
    char url_key[URL_KEY_BYTES * 2 + 1];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(url_key, sizeof url_key, key, sizeof key);
    pl_attachment m = {
        .id = app_new_id(c),
        .account_id = account,
        .kind = (int)u.type.kind,
        .mime = arena_strdup(c->a, u.type.mime),
        .is_download = u.type.is_download,
        .preview_mime = arena_strdup(c->a, u.preview_mime),
        .name = n->filename ? n->filename : "",
        .size = (int64_t)len,
        .width = u.original.width,
        .height = u.original.height,
        .small_width = u.small.width,
        .small_height = u.small.height,
        .blurhash = arena_strdup(c->a, u.blurhash),
        .description = n->description ? n->description : "",
        .focus = n->focus,
        .url_key = arena_strdup(c->a, url_key),
        .created_at = c->now,
    };
    /* The folder backend's bytes are written and encrypted before the transaction opens;
     * the database backend's chunks are rows, written inside it so they roll back with it. */
    bool in_db = media_default_backend(c->media) == MEDIA_DATABASE;
    bool in_txn = false;
    pending file = {0}, preview = {0};
    if (in_db) {
        if ((rc = app_txn_begin(c))) goto done;
        in_txn = true;
    }
    rc = pending_write(c, &file, data, len);
    if (!rc && is_picture && u.preview.len)
        rc = pending_write(c, &preview, u.preview.data, u.preview.len);
    if (!rc && !in_txn) {
        if (!(rc = app_txn_begin(c))) in_txn = true;
    }
    if (!rc) rc = pending_finish(&file);
    if (!rc) rc = pending_finish(&preview);
    m.file_id = file.id;
    m.preview_id = preview.id;
    if (!rc) rc = store_attachment_insert(c->db, &m);
    if (rc) {
        pending_undo(c, &file);
        pending_undo(c, &preview);
    }
done:
    if (in_txn) rc = app_txn_end(c, rc);
    if (rc && in_txn && file.finished) { /* the commit failed after the files were placed */
        pending_undo(c, &file);
        pending_undo(c, &preview);
    }
    if (rc == PL_ENOSPACE) app_fail(c, rc, "The server's storage is full; the file was not kept");
    upload_free(&u);
    if (!rc) *out = m;
    return rc;
}

/* ------------------------------------------------------------------ one's own */

int attachments_get_own(app_ctx *c, int64_t account, int64_t id, pl_attachment *out)
{
    int rc = store_attachment_get(c->db, id, c->a, out);
    if (rc == PL_ENOTFOUND || (!rc && (out->account_id != account || out->status_id)))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return rc;
}

int attachments_describe(app_ctx *c, int64_t account, int64_t id, const char *description,
                         const char *focus, pl_attachment *out)
{
    int rc = check_description(c, description);
    if (!rc) rc = check_focus(c, focus);
    if (!rc) rc = attachments_get_own(c, account, id, out);
    if (!rc) rc = store_attachment_describe(c->db, id, description, focus);
    if (!rc) rc = store_attachment_get(c->db, id, c->a, out);
    return rc;
}

int attachments_describe_in_post(app_ctx *c, int64_t author, int64_t status_id, int64_t id,
                                 const char *description, const char *focus)
{
    int rc = check_description(c, description);
    if (!rc) rc = check_focus(c, focus);
    if (rc) return rc;
    pl_attachment m;
    rc = store_attachment_get(c->db, id, c->a, &m);
    if (rc && rc != PL_ENOTFOUND) return rc;
    if (rc || m.account_id != author || m.status_id != status_id)
        return app_fail_field(c, PL_EINVAL, "media_attributes", "ERR_INVALID",
                              "Validation failed: media %lld is not a file of this post",
                              (long long)id);
    return store_attachment_describe(c->db, id, description, focus);
}

/* Deletes an attachment's files, then its row, in the caller's transaction. */
static int delete_attachment(app_ctx *c, const pl_attachment *m)
{
    if (!c->media) /* a tool without the file store: refuse rather than leave files behind */
        return app_fail(c, PL_EINTERNAL, "The file store is not open");
    int rc = media_delete(c->media, c->db, m->file_id);
    if (rc == PL_ENOTFOUND) rc = PL_OK;
    if (!rc && m->preview_id) {
        rc = media_delete(c->media, c->db, m->preview_id);
        if (rc == PL_ENOTFOUND) rc = PL_OK;
    }
    if (!rc) rc = store_attachment_delete(c->db, m->id, m->status_id);
    return rc;
}

int attachments_delete_own(app_ctx *c, int64_t account, int64_t id)
{
    if (!c->media) return app_fail(c, PL_EINTERNAL, "This server keeps no files");
    int rc = app_txn_begin(c);
    if (rc) return rc;
    pl_attachment m;
    rc = attachments_get_own(c, account, id, &m);
    if (!rc && m.scheduled_status_id)
        rc = app_fail(c, PL_EINVAL,
                      "Media attachment is held by a scheduled post: cancel the post first");
    if (!rc) rc = delete_attachment(c, &m);
    return app_txn_end(c, rc);
}

/* ------------------------------------------------------------------ posts */

/* A file attached to a post: its audit row (the ids only). */
static int audit_attach(app_ctx *c, int64_t author, int64_t media_id, int64_t status_id)
{
    return audit_record(c, &(audit_entry){.action = "media.attach",
                                          .actor_id = author,
                                          .target_kind = "media",
                                          .target_id = media_id,
                                          .detail = {AUDIT_ID("status_id", status_id)}});
}

int attachments_check(app_ctx *c, int64_t author, const int64_t *ids, int n)
{
    if (n > c->cfg->max_media_attachments)
        return app_fail_field(c, PL_EINVAL, "media_ids", "ERR_TOO_LONG",
                              "Validation failed: A post may have at most %d media attachments",
                              c->cfg->max_media_attachments);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return app_fail_field(c, PL_EINVAL, "media_ids", "ERR_INVALID",
                                      "Validation failed: media %lld is given twice",
                                      (long long)ids[i]);
        pl_attachment m;
        int rc = store_attachment_get(c->db, ids[i], c->a, &m);
        if (rc && rc != PL_ENOTFOUND) return rc;
        if (rc || m.account_id != author || m.status_id || m.scheduled_status_id)
            return app_fail_field(c, PL_EINVAL, "media_ids", "ERR_INVALID",
                                  "Validation failed: media %lld is not one of your uploads "
                                  "waiting for a post",
                                  (long long)ids[i]);
    }
    return PL_OK;
}

int attachments_attach(app_ctx *c, int64_t author, int64_t status_id, const int64_t *ids, int n)
{
    int rc = attachments_check(c, author, ids, n);
    for (int i = 0; i < n && !rc; i++) {
        rc = store_attachment_attach(c->db, ids[i], author, status_id, i);
        if (rc == PL_ENOTFOUND) /* taken by another post since the check */
            rc = app_fail_field(c, PL_EINVAL, "media_ids", "ERR_INVALID",
                                "Validation failed: media %lld is not one of your uploads "
                                "waiting for a post",
                                (long long)ids[i]);
        if (!rc) rc = audit_attach(c, author, ids[i], status_id);
    }
    return rc;
}

int attachments_hold(app_ctx *c, int64_t author, int64_t scheduled_id, const int64_t *ids, int n)
{
    int rc = attachments_check(c, author, ids, n);
    for (int i = 0; i < n && !rc; i++) {
        rc = store_attachment_hold(c->db, ids[i], author, scheduled_id, i);
        if (rc == PL_ENOTFOUND) /* taken since the check */
            rc = app_fail_field(c, PL_EINVAL, "media_ids", "ERR_INVALID",
                                "Validation failed: media %lld is not one of your uploads "
                                "waiting for a post",
                                (long long)ids[i]);
    }
    return rc;
}

int attachments_of_scheduled(app_ctx *c, int64_t scheduled_id, pl_attachment **out, int *n)
{
    return store_attachments_of_scheduled(c->db, scheduled_id, c->cfg->max_media_attachments, c->a,
                                          out, n);
}

int attachments_edit(app_ctx *c, int64_t author, int64_t status_id, const int64_t *ids, int n)
{
    pl_attachment *had;
    int n_had, rc = attachments_of_status(c, status_id, &had, &n_had);
    if (rc) return rc;
    if (n > c->cfg->max_media_attachments)
        return attachments_check(c, author, ids, n); /* says why */
    /* the new ones first: each must be the author's upload waiting for a post */
    int64_t *fresh = arena_alloc(c->a, sizeof *fresh * (size_t)(n ? n : 1));
    int n_fresh = 0;
    for (int i = 0; i < n; i++) {
        bool kept = false;
        for (int j = 0; j < n_had; j++) kept = kept || had[j].id == ids[i];
        if (!kept) fresh[n_fresh++] = ids[i];
    }
    if ((rc = attachments_check(c, author, fresh, n_fresh))) return rc;
    for (int i = 0; i < n && !rc; i++) {
        bool kept = false;
        for (int j = 0; j < n_had; j++) kept = kept || had[j].id == ids[i];
        rc = kept ? store_attachment_position(c->db, ids[i], status_id, i)
                  : store_attachment_attach(c->db, ids[i], author, status_id, i);
        if (!rc && !kept) rc = audit_attach(c, author, ids[i], status_id);
    }
    for (int j = 0; j < n_had && !rc; j++) {
        bool kept = false;
        for (int i = 0; i < n; i++) kept = kept || had[j].id == ids[i];
        if (!kept) rc = delete_attachment(c, &had[j]);
    }
    if (!rc) db_touch(c->db, TOUCH_STATUS, status_id);
    return rc;
}

int attachments_delete_of_status(app_ctx *c, int64_t status_id)
{
    pl_attachment *had;
    int n, rc = attachments_of_status(c, status_id, &had, &n);
    for (int i = 0; i < n && !rc; i++) rc = delete_attachment(c, &had[i]);
    return rc;
}

int attachments_prune_unattached(app_ctx *c, int *pruned)
{
    *pruned = 0;
    if (!c->media) return PL_OK;
    enum { CHUNK = 50 };
    int64_t before = c->now - (int64_t)c->cfg->media_unattached_seconds * 1000;
    int64_t *ids;
    int n;
    int rc = store_attachments_unattached_before(c->db, before, CHUNK, c->a, &ids, &n);
    if (rc || n == 0) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    for (int i = 0; i < n && !rc; i++) {
        pl_attachment m;
        rc = store_attachment_get(c->db, ids[i], c->a, &m);
        /* the row first, on the condition that no post took it meanwhile (another node) */
        if (!rc) rc = store_attachment_delete_unattached(c->db, ids[i]);
        if (rc == PL_ENOTFOUND) {
            rc = PL_OK;
            continue;
        }
        if (!rc) rc = media_delete(c->media, c->db, m.file_id);
        if (rc == PL_ENOTFOUND) rc = PL_OK;
        if (!rc && m.preview_id) rc = media_delete(c->media, c->db, m.preview_id);
        if (rc == PL_ENOTFOUND) rc = PL_OK;
        if (!rc) (*pruned)++;
    }
    return app_txn_end(c, rc);
}

/* The attachments of a page of posts, read at once for the request (attachments_prefetch). */
struct attachment_memo {
    int64_t *ids; /* the posts asked about, sorted */
    int n_ids;
    pl_attachment *rows; /* theirs, by status then position */
    int n_rows;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static bool has_files(const pl_status *s)
{
    return s->has_media;
}

void attachments_prefetch(app_ctx *c, const int64_t *ids, int n)
{
    if (n <= 0) return;
    /* the posts and what they boost; read are the files of those whose record says they
     * have some (the records were cached by app_prefetch_statuses) */
    int64_t *all, *ask;
    int m, n_ask;
    app_page_posts(c, ids, n, has_files, &all, &m, &ask, &n_ask);
    struct attachment_memo *memo = arena_alloc(c->a, sizeof *memo);
    memo->rows = NULL;
    memo->n_rows = 0;
    if (n_ask && store_attachments_of_statuses(c->db, ask, n_ask, c->a, &memo->rows, &memo->n_rows))
        return; /* each post then asks for its own */
    memo->ids = all;
    memo->n_ids = m;
    c->attachments = memo;
}

int attachments_of_status(app_ctx *c, int64_t status_id, pl_attachment **out, int *n)
{
    struct attachment_memo *memo = c->attachments;
    if (memo && bsearch(&status_id, memo->ids, (size_t)memo->n_ids, sizeof *memo->ids, cmp_id)) {
        int first = 0;
        while (first < memo->n_rows && memo->rows[first].status_id != status_id) first++;
        int last = first;
        while (last < memo->n_rows && memo->rows[last].status_id == status_id) last++;
        *out = memo->n_rows ? memo->rows + first : NULL;
        *n = last - first;
        return PL_OK;
    }
    int max = c->cfg->max_media_attachments > 0 ? c->cfg->max_media_attachments : 1;
    /* a post keeps the files it took even if the limit was lowered since */
    return store_attachments_of_status(c->db, status_id, max < 16 ? 16 : max, c->a, out, n);
}

/* ------------------------------------------------------------------ addresses */

static const char *file_name(enum attachment_file which)
{
    return which == ATTACHMENT_SMALL ? "small" : "original";
}

/* The signature of (key, file, viewer, expiry), in hex. */
static void sign(app_ctx *c, const char *url_key, const char *file, int64_t viewer, int64_t expiry,
                 char out[SIG_BYTES * 2 + 1])
{
    uint8_t k[crypto_auth_hmacsha256_KEYBYTES];
    media_derive_key(c->media, SIGN_CONTEXT, 1, k);
    char msg[160];
    int len = snprintf(msg, sizeof msg, "%s/%s/%lld/%lld", url_key, file, (long long)viewer,
                       (long long)expiry);
    uint8_t mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k, sizeof k);
    crypto_auth_hmacsha256_update(&st, (const uint8_t *)msg, (unsigned long long)len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(k, sizeof k);
    sodium_bin2hex(out, SIG_BYTES * 2 + 1, mac, SIG_BYTES);
}

const char *attachments_url(app_ctx *c, const pl_attachment *m, enum attachment_file which,
                            int64_t viewer)
{
    if (!c->media) return "";
    int64_t half = c->cfg->media_url_seconds / 2;
    int64_t now_s = c->now / 1000;
    /* valid for between half of media_url_seconds and all of it, the same all that while */
    int64_t expiry = (now_s / half) * half + 2 * half;
    const char *file = file_name(which);
    char sig[SIG_BYTES * 2 + 1];
    sign(c, m->url_key, file, viewer, expiry, sig);
    return arena_printf(c->a, "%s/media/%s/%s?v=%lld&x=%lld&s=%s", c->cfg->base_url, m->url_key,
                        file, (long long)viewer, (long long)expiry, sig);
}

/* May viewer (0: signed out) read m now? Fails closed. */
static bool may_read(app_ctx *c, const pl_attachment *m, int64_t viewer)
{
    if (viewer) {
        const pl_account *v = app_account(c, viewer);
        if (!v || v->is_disabled) return false;
    }
    if (!m->status_id) return viewer && viewer == m->account_id; /* an upload: its owner */
    const pl_status *s = app_status(c, m->status_id);
    if (!s || s->account_id != m->account_id) return false;
    const pl_account *author = app_account(c, s->account_id);
    if (!author || author->is_disabled) return false;
    /* the files of a post a report names are shown to staff with it (app/reports.h) */
    return audience_can_see(c, viewer, s) || reports_open_files(c, viewer, s->id);
}

int attachments_file_size(app_ctx *c, int64_t file_id, int64_t *size)
{
    media_info info;
    int rc = media_info_get(c->media, c->db, file_id, &info);
    if (!rc) *size = info.size;
    return rc;
}

int attachments_file_read(app_ctx *c, int64_t file_id, int64_t offset, int64_t length, buf *out)
{
    media_reader *r;
    int rc = media_read_open(c->media, c->db, file_id, offset, length, &r);
    if (rc) return rc;
    buf_reserve(out, (size_t)length);
    const uint8_t *piece;
    size_t len;
    while ((rc = media_read_next(r, &piece, &len)) == 1) buf_append(out, piece, len);
    media_read_close(r);
    return rc;
}

static bool parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 19) return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0) return false;
    *out = v;
    return true;
}

int attachments_authorize(app_ctx *c, const attachments_fetch *f, pl_attachment *m,
                          int64_t *file_id, const char **mime)
{
    if (!c->media) return PL_ENOTFOUND;
    enum attachment_file which;
    if (!strcmp(f->file, "original"))
        which = ATTACHMENT_ORIGINAL;
    else if (!strcmp(f->file, "small"))
        which = ATTACHMENT_SMALL;
    else
        return PL_ENOTFOUND;
    if (strlen(f->url_key) != URL_KEY_BYTES * 2) return PL_ENOTFOUND;
    int64_t viewer;
    if (f->has_token) {
        viewer = f->token_viewer;
    } else {
        int64_t expiry;
        if (!f->s || strlen(f->s) != SIG_BYTES * 2 || !parse_i64(f->v, &viewer) ||
            !parse_i64(f->x, &expiry))
            return PL_ENOTFOUND;
        char want[SIG_BYTES * 2 + 1];
        sign(c, f->url_key, f->file, viewer, expiry, want);
        if (sodium_memcmp(want, f->s, SIG_BYTES * 2) != 0) return PL_ENOTFOUND;
        if (expiry * 1000 <= c->now) return PL_ENOTFOUND;
    }
    if (store_attachment_by_key(c->db, f->url_key, c->a, m) != PL_OK) return PL_ENOTFOUND;
    if (!may_read(c, m, viewer)) return PL_ENOTFOUND;
    if (which == ATTACHMENT_SMALL && !m->preview_id) return PL_ENOTFOUND;
    *file_id = which == ATTACHMENT_SMALL ? m->preview_id : m->file_id;
    *mime = which == ATTACHMENT_SMALL ? m->preview_mime : m->mime;
    return PL_OK;
}
