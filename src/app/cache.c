/*
 * cache.c — per-thread record cache (see cache.h for the contract).
 *
 * Two open-addressing tables (statuses, accounts) keyed by id, each entry one malloc block
 * holding the record and its strings, plus an optional malloc'd blob. Eviction is by id
 * (from the changelog) with tombstones; a full table stops accepting until the next sync,
 * which then empties it: simple, bounded, and never frees memory a request still uses.
 */
#include "cache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

typedef struct slot {
    int64_t id; /* 0 empty, -1 tombstone */
    void *rec;  /* pl_status or pl_account with its strings, one block */
    char *blob;
    size_t blob_len;
} slot;

typedef struct table {
    slot *slots;
    int cap, used, live;
} table;

struct entity_cache {
    table statuses, accounts;
    pl_merge_candidate *merge; /* NULL: not kept */
    int n_merge;
    int max;
    uint64_t seq;
    bool seq_set, want_clear;
};

static void table_init(table *t, int max)
{
    t->cap = 16;
    while (t->cap < max * 2) t->cap *= 2;
    t->slots = calloc((size_t)t->cap, sizeof *t->slots);
    if (!t->slots) abort();
    t->used = t->live = 0;
}

static void slot_release(slot *s)
{
    free(s->rec);
    free(s->blob);
    s->rec = NULL;
    s->blob = NULL;
    s->blob_len = 0;
}

static void table_clear(table *t)
{
    for (int i = 0; i < t->cap; i++) {
        if (t->slots[i].id > 0) slot_release(&t->slots[i]);
        t->slots[i].id = 0;
    }
    t->used = t->live = 0;
}

static size_t hash(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29));
}

static slot *find(table *t, int64_t id)
{
    size_t mask = (size_t)t->cap - 1;
    for (size_t i = hash(id) & mask;; i = (i + 1) & mask) {
        if (t->slots[i].id == id) return &t->slots[i];
        if (t->slots[i].id == 0) return NULL;
    }
}

/* A slot to fill for id, or NULL when the table is full or id is already there. */
static slot *claim(table *t, int64_t id, int max)
{
    if (find(t, id)) return NULL; /* already kept: never replace what a request may hold */
    if (t->live >= max || t->used >= t->cap / 2 + t->cap / 4) return NULL;
    size_t mask = (size_t)t->cap - 1;
    for (size_t i = hash(id) & mask;; i = (i + 1) & mask) {
        if (t->slots[i].id <= 0) {
            if (t->slots[i].id == 0) t->used++;
            t->slots[i].id = id;
            t->live++;
            return &t->slots[i];
        }
    }
}

static void evict(table *t, int64_t id)
{
    slot *s = find(t, id);
    if (!s) return;
    slot_release(s);
    s->id = -1;
    t->live--;
}

entity_cache *cache_new(int max_entries)
{
    entity_cache *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->max = max_entries;
    table_init(&c->statuses, max_entries);
    table_init(&c->accounts, max_entries);
    return c;
}

static void merge_drop(entity_cache *c)
{
    free(c->merge);
    c->merge = NULL;
    c->n_merge = 0;
}

void cache_free(entity_cache *c)
{
    if (!c) return;
    merge_drop(c);
    table_clear(&c->statuses);
    table_clear(&c->accounts);
    free(c->statuses.slots);
    free(c->accounts.slots);
    free(c);
}

static void on_change(int kind, int64_t id, void *ud)
{
    entity_cache *c = ud;
    if (kind == TOUCH_STATUS)
        evict(&c->statuses, id);
    else if (kind == TOUCH_ACCOUNT) {
        evict(&c->accounts, id);
        merge_drop(c); /* any account may have become (or stopped being) a candidate */
    } else if (kind == TOUCH_EVERYTHING)
        c->want_clear = true;
}

void cache_sync(entity_cache *c, changelog *cl)
{
    if (!c->seq_set) {
        c->seq = changelog_head(cl);
        c->seq_set = true;
    }
    bool full = c->statuses.live >= c->max || c->accounts.live >= c->max ||
                c->statuses.used >= c->statuses.cap / 2 + c->statuses.cap / 4 ||
                c->accounts.used >= c->accounts.cap / 2 + c->accounts.cap / 4;
    if (!changelog_since(cl, &c->seq, on_change, c) || full || c->want_clear) {
        c->want_clear = false;
        table_clear(&c->statuses);
        table_clear(&c->accounts);
        merge_drop(c);
    }
}

const pl_merge_candidate *cache_merge_candidates(entity_cache *c, int *n)
{
    *n = c->n_merge;
    return c->merge;
}

void cache_put_merge_candidates(entity_cache *c, const pl_merge_candidate *v, int n)
{
    merge_drop(c);
    c->merge = malloc(sizeof *v * (size_t)(n > 0 ? n : 1));
    if (!c->merge) return; /* not kept: read again next time */
    if (n > 0) memcpy(c->merge, v, sizeof *v * (size_t)n);
    c->n_merge = n;
}

/* Copies the strings of a record into one block after the struct. */
static size_t slen(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *scopy(char **p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *out = *p;
    *p += n;
    return out;
}

const pl_status *cache_status(entity_cache *c, int64_t id)
{
    slot *s = find(&c->statuses, id);
    return s ? s->rec : NULL;
}

const pl_account *cache_account(entity_cache *c, int64_t id)
{
    slot *s = find(&c->accounts, id);
    return s ? s->rec : NULL;
}

void cache_put_status(entity_cache *c, const pl_status *st)
{
    slot *s = claim(&c->statuses, st->id, c->max);
    if (!s) return;
    size_t n = sizeof *st + slen(st->text) + slen(st->content) + slen(st->spoiler_text) +
               slen(st->language) + slen(st->plain_text);
    pl_status *r = malloc(n);
    if (!r) abort();
    *r = *st;
    char *p = (char *)(r + 1);
    r->text = scopy(&p, st->text);
    r->content = scopy(&p, st->content);
    r->spoiler_text = scopy(&p, st->spoiler_text);
    r->language = scopy(&p, st->language);
    r->plain_text = scopy(&p, st->plain_text);
    s->rec = r;
}

void cache_put_account(entity_cache *c, const pl_account *a)
{
    slot *s = claim(&c->accounts, a->id, c->max);
    if (!s) return;
    size_t n = sizeof *a + slen(a->username) + slen(a->email) + slen(a->display_name) +
               slen(a->note) + slen(a->note_html) + slen(a->password_hash) +
               slen(a->default_language) + slen(a->avatar_mime) + slen(a->header_mime);
    pl_account *r = malloc(n);
    if (!r) abort();
    *r = *a;
    char *p = (char *)(r + 1);
    r->username = scopy(&p, a->username);
    r->email = scopy(&p, a->email);
    r->display_name = scopy(&p, a->display_name);
    r->note = scopy(&p, a->note);
    r->note_html = scopy(&p, a->note_html);
    r->password_hash = scopy(&p, a->password_hash);
    r->default_language = scopy(&p, a->default_language);
    r->avatar_mime = scopy(&p, a->avatar_mime);
    r->header_mime = scopy(&p, a->header_mime);
    r->fields = NULL;
    s->rec = r;
}

const char *cache_blob(entity_cache *c, int kind, int64_t id, size_t *len)
{
    slot *s = find(kind == BLOB_STATUS ? &c->statuses : &c->accounts, id);
    if (!s || !s->blob) return NULL;
    *len = s->blob_len;
    return s->blob;
}

void cache_put_blob(entity_cache *c, int kind, int64_t id, const char *bytes, size_t len)
{
    slot *s = find(kind == BLOB_STATUS ? &c->statuses : &c->accounts, id);
    if (!s || s->blob) return;
    s->blob = malloc(len ? len : 1);
    if (!s->blob) abort();
    memcpy(s->blob, bytes, len);
    s->blob_len = len;
}
