/*
 * featured_tags.c — featured hashtags: the rules of app/featured_tags.h.
 *
 * The counts are the store's (counted when asked, from the person's open posts); this file
 * keeps the limit, checks the name as every hashtag is checked (text_tag_normalize) and ranks
 * suggestions. Never: count a post that not everyone who may see the profile may see.
 */
#include "app/featured_tags.h"

#include <string.h>

#include "util/text.h"

int featured_tags_of(app_ctx *c, int64_t account, pl_featured_tag **out, int *n)
{
    *out = NULL;
    *n = 0;
    const pl_account *acc = app_account(c, account);
    if (!acc) return app_fail(c, PL_ENOTFOUND, "Record not found");
    if (acc->is_disabled) return PL_OK;
    int rc = store_featured_tags(c->db, account, c->a, out, n);
    for (int i = 0; !rc && i < *n; i++) rc = store_featured_tag_counts(c->db, &(*out)[i]);
    return rc;
}

int featured_tags_add(app_ctx *c, int64_t viewer, const char *name, pl_featured_tag *out)
{
    if (!name) return app_fail(c, PL_EINVAL, "name is missing");
    if (*name == '#') name++;
    char tag[128];
    if (text_tag_normalize(name, strlen(name), tag, sizeof tag) <= 0)
        return app_fail_field(c, PL_EINVAL, "name", "ERR_INVALID",
                              "Validation failed: Tag is invalid");
    int64_t have;
    int rc = store_featured_tags_count(c->db, viewer, &have);
    if (rc) return rc;
    if (have >= c->cfg->max_featured_tags)
        return app_fail(c, PL_ELIMIT, "You can feature at most %d hashtags (max_featured_tags)",
                        c->cfg->max_featured_tags);
    *out = (pl_featured_tag){.id = app_new_id(c),
                             .account_id = viewer,
                             .tag = arena_strdup(c->a, tag),
                             .name = arena_strdup(c->a, name)};
    rc = store_featured_tag_insert(c->db, out, c->now);
    if (rc == PL_ECONFLICT)
        return app_fail_field(c, PL_EINVAL, "name", "ERR_TAKEN",
                              "Validation failed: Tag is already featured");
    return rc ? rc : store_featured_tag_counts(c->db, out);
}

int featured_tags_remove(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = store_featured_tag_delete(c->db, viewer, id);
    return rc == PL_ENOTFOUND ? app_fail(c, rc, "Record not found") : rc;
}

int featured_tags_suggestions(app_ctx *c, int64_t viewer, const char ***names, int *n)
{
    const char **uses;
    int nuses,
        rc = store_recent_tags(c->db, viewer, FEATURED_SUGGESTION_POSTS, c->a, &uses, &nuses);
    if (rc) return rc;
    pl_featured_tag *featured;
    int nfeatured;
    if ((rc = store_featured_tags(c->db, viewer, c->a, &featured, &nfeatured))) return rc;
    /* distinct tags with their uses: at most a few hundred uses, so a plain scan */
    const char **tag = arena_alloc(c->a, sizeof *tag * (size_t)(nuses ? nuses : 1));
    int *count = arena_alloc(c->a, sizeof *count * (size_t)(nuses ? nuses : 1));
    int distinct = 0;
    for (int i = 0; i < nuses; i++) {
        bool skip = false;
        for (int j = 0; j < nfeatured && !skip; j++) skip = !strcmp(featured[j].tag, uses[i]);
        for (int j = 0; j < distinct && !skip; j++)
            if (!strcmp(tag[j], uses[i])) {
                count[j]++;
                skip = true;
            }
        if (skip) continue;
        tag[distinct] = uses[i];
        count[distinct++] = 1;
    }
    /* most used first; then by name, so the order is stable */
    for (int i = 1; i < distinct; i++) {
        const char *t = tag[i];
        int k = count[i], j = i;
        for (; j > 0 && (count[j - 1] < k || (count[j - 1] == k && strcmp(tag[j - 1], t) > 0));
             j--) {
            tag[j] = tag[j - 1];
            count[j] = count[j - 1];
        }
        tag[j] = t;
        count[j] = k;
    }
    *names = tag;
    *n = distinct < FEATURED_SUGGESTIONS ? distinct : FEATURED_SUGGESTIONS;
    return PL_OK;
}
