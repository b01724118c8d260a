/*
 * render.c — user text to HTML (util/text.c does the parsing and escaping, util/markdown.c
 * the Markdown; this module adds what needs the database: which mentions are real accounts).
 */
#include "render.h"

#include <string.h>

#include "store/accounts.h"
#include "util/markdown.h"
#include "util/text.h"

static bool is_our_domain(app_ctx *c, const char *dom, size_t n)
{
    return n == strlen(c->cfg->host) && !strncasecmp(dom, c->cfg->host, n);
}

/* What the entities of one text are resolved into: out's mentions and tags, grown as
 * Markdown hands over one run of text after another. */
typedef struct collect {
    app_ctx *c;
    render_out *out;
    int cap_mentions, cap_tags;
} collect;

static void *grow(app_ctx *c, void *old, int n, int *cap, size_t size, int need)
{
    if (n + need <= *cap) return old;
    int cap2 = (n + need) * 2;
    void *fresh = arena_alloc(c->a, size * (size_t)cap2);
    if (n) memcpy(fresh, old, size * (size_t)n);
    *cap = cap2;
    return fresh;
}

/* Resolves the mentions of ents to local accounts (setting href) and collects the distinct
 * mentioned accounts and normalized hashtags into the output. */
static void resolve_entities(void *ctx, const char *src, size_t len, text_entities *ents)
{
    (void)src;
    (void)len;
    collect *k = ctx;
    app_ctx *c = k->c;
    render_out *out = k->out;
    int need = (int)ents->n;
    out->mention_ids =
        grow(c, out->mention_ids, out->n_mentions, &k->cap_mentions, sizeof(int64_t), need);
    out->tags = grow(c, out->tags, out->n_tags, &k->cap_tags, sizeof(char *), need);
    for (size_t i = 0; i < ents->n; i++) {
        text_entity *e = &ents->items[i];
        if (e->kind == TEXT_MENTION) {
            if (e->domain && !is_our_domain(c, e->domain, e->domain_len)) continue;
            char *name = arena_strndup(c->a, e->name, e->name_len);
            pl_account acc;
            if (store_account_by_username(c->db, name, c->a, &acc) != PL_OK) continue;
            e->href = arena_printf(c->a, "%s/@%s", c->cfg->base_url, acc.username);
            bool seen = false;
            for (int m = 0; m < out->n_mentions; m++) seen |= out->mention_ids[m] == acc.id;
            if (!seen) out->mention_ids[out->n_mentions++] = acc.id;
        } else if (e->kind == TEXT_HASHTAG) {
            char tag[128];
            int n = text_tag_normalize(e->name, e->name_len, tag, sizeof tag);
            if (n <= 0) continue;
            bool seen = false;
            for (int m = 0; m < out->n_tags; m++) seen |= !strcmp(out->tags[m], tag);
            if (!seen) out->tags[out->n_tags++] = arena_strdup(c->a, tag);
        }
    }
}

int render_post(app_ctx *c, const char *text, int content_type, render_out *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    text_entities ents = TEXT_ENTITIES_INIT;
    if (text_parse(text, len, &ents) != PL_OK) {
        text_entities_free(&ents);
        return app_fail(c, PL_EINVAL, "Text is not valid UTF-8");
    }
    /* the length counts what was written, markup included, whatever the content type */
    out->chars = text_char_count(text, len, &ents);
    collect k = {c, out, 0, 0};
    buf html = BUF_INIT;
    if (content_type == CONTENT_MARKDOWN) {
        buf plain = BUF_INIT;
        markdown_render(text, len, c->cfg->base_url, resolve_entities, &k, &html, &plain);
        out->plain = arena_strndup(c->a, buf_cstr(&plain), plain.len);
        buf_free(&plain);
    } else {
        resolve_entities(&k, text, len, &ents);
        text_render_html(text, len, &ents, c->cfg->base_url, &html);
    }
    if (!out->mention_ids) out->mention_ids = arena_alloc(c->a, sizeof(int64_t));
    if (!out->tags) out->tags = arena_alloc(c->a, sizeof(char *));
    out->html = arena_strndup(c->a, buf_cstr(&html), html.len);
    buf_free(&html);
    text_entities_free(&ents);
    return PL_OK;
}

int render_text(app_ctx *c, const char *text, render_out *out)
{
    return render_post(c, text, CONTENT_PLAIN, out);
}

int content_type_parse(const char *name)
{
    if (!name || !*name || !strcasecmp(name, "text/plain")) return CONTENT_PLAIN;
    if (!strcasecmp(name, "text/markdown")) return CONTENT_MARKDOWN;
    return -1;
}

const char *content_type_name(int content_type)
{
    return content_type == CONTENT_MARKDOWN ? "text/markdown" : "text/plain";
}
