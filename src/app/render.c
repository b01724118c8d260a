/*
 * render.c — user text to HTML (util/text.c does the parsing and escaping; this module
 * adds what needs the database: which mentions are real accounts).
 */
#include "render.h"

#include <string.h>

#include "store/accounts.h"
#include "util/text.h"

static bool is_our_domain(app_ctx *c, const char *dom, size_t n)
{
    return n == strlen(c->cfg->host) && !strncasecmp(dom, c->cfg->host, n);
}

int render_text(app_ctx *c, const char *text, render_out *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    text_entities ents = TEXT_ENTITIES_INIT;
    if (text_parse(text, len, &ents) != PL_OK) {
        text_entities_free(&ents);
        return app_fail(c, PL_EINVAL, "Text is not valid UTF-8");
    }
    out->mention_ids = arena_alloc(c->a, sizeof(int64_t) * (ents.n + 1));
    out->tags = arena_alloc(c->a, sizeof(char *) * (ents.n + 1));
    for (size_t i = 0; i < ents.n; i++) {
        text_entity *e = &ents.items[i];
        if (e->kind == TEXT_MENTION) {
            if (e->domain && !is_our_domain(c, e->domain, e->domain_len)) continue;
            char *name = arena_strndup(c->a, e->name, e->name_len);
            pl_account acc;
            if (store_account_by_username(c->db, name, c->a, &acc) != PL_OK) continue;
            e->href = arena_printf(c->a, "%s/@%s", c->cfg->base_url, acc.username);
            bool seen = false;
            for (int k = 0; k < out->n_mentions; k++) seen |= out->mention_ids[k] == acc.id;
            if (!seen) out->mention_ids[out->n_mentions++] = acc.id;
        } else if (e->kind == TEXT_HASHTAG) {
            char tag[128];
            int n = text_tag_normalize(e->name, e->name_len, tag, sizeof tag);
            if (n <= 0) continue;
            bool seen = false;
            for (int k = 0; k < out->n_tags; k++) seen |= !strcmp(out->tags[k], tag);
            if (!seen) out->tags[out->n_tags++] = arena_strdup(c->a, tag);
        }
    }
    buf html = BUF_INIT;
    text_render_html(text, len, &ents, c->cfg->base_url, &html);
    out->html = arena_strndup(c->a, buf_cstr(&html), html.len);
    out->chars = text_char_count(text, len, &ents);
    buf_free(&html);
    text_entities_free(&ents);
    return PL_OK;
}
