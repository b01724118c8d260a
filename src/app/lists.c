/*
 * lists.c — the rules of lists: who owns them, what may be in them, how many.
 *
 * A list holds only accounts its owner follows (as Mastodon); unfollowing or blocking takes
 * the account out of every list of the owner (graph.c calls lists_forget_account), so the
 * rule keeps holding. Adding several accounts is all or nothing: every account is checked
 * before the first is added. The list timeline itself is feeds_list (feeds.c).
 */
#include "lists.h"

#include <string.h>

#include "app/audit.h"
#include "store/lists.h"
#include "util/text.h"

static int not_found(app_ctx *c)
{
    return app_fail(c, PL_ENOTFOUND, "Record not found");
}

static int load(app_ctx *c, int64_t owner, int64_t id, pl_list *out)
{
    int rc = store_list_get(c->db, owner, id, c->a, out);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* A title must have something besides spaces, be UTF-8 and fit max_list_title. */
static int check_title(app_ctx *c, const char *title)
{
    const char *p = title;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (!*p) return app_fail(c, PL_EINVAL, "Validation failed: Title can't be blank");
    if (!text_is_valid_utf8(title, strlen(title)))
        return app_fail(c, PL_EINVAL, "Validation failed: Title is not valid UTF-8");
    if ((int)utf8_chars(title) > c->cfg->max_list_title)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Title is too long (maximum is %d characters)",
                        c->cfg->max_list_title);
    return PL_OK;
}

int lists_all(app_ctx *c, int64_t owner, pl_list **out, int *n)
{
    return store_lists_of(c->db, owner, c->a, out, n);
}

int lists_reorder(app_ctx *c, int64_t owner, const int64_t *ids, int n, pl_list **out, int *nout)
{
    pl_list *have;
    int count;
    int rc = store_lists_of(c->db, owner, c->a, &have, &count);
    if (rc) return rc;
    /* checked whole before anything is written: a partial order would leave lists tied */
    bool ok = n == count;
    for (int i = 0; i < n && ok; i++) {
        bool mine = false;
        for (int k = 0; k < count && !mine; k++) mine = have[k].id == ids[i];
        for (int k = 0; k < i && ok; k++) ok = ids[k] != ids[i];
        ok = ok && mine;
    }
    if (!ok)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: ids must name each of your %d lists exactly once",
                        count);
    if ((rc = store_lists_reorder(c->db, owner, ids, n))) return rc;
    return store_lists_of(c->db, owner, c->a, out, nout);
}

int lists_get(app_ctx *c, int64_t owner, int64_t id, pl_list *out)
{
    return load(c, owner, id, out);
}

int lists_create(app_ctx *c, int64_t owner, const lists_change *ch, pl_list *out)
{
    if (!ch->title) return app_fail(c, PL_EINVAL, "Validation failed: Title can't be blank");
    int rc = check_title(c, ch->title);
    if (rc) return rc;
    int64_t have;
    if ((rc = store_lists_count(c->db, owner, &have))) return rc;
    if (have >= c->cfg->max_lists)
        return app_fail(c, PL_ELIMIT, "You cannot have more than %d lists", c->cfg->max_lists);
    *out = (pl_list){
        .id = app_new_id(c),
        .account_id = owner,
        .title = ch->title,
        .replies_policy = ch->replies_policy >= 0 ? ch->replies_policy : REPLIES_LIST,
        .is_exclusive = ch->exclusive > 0,
        .created_at = c->now,
    };
    return store_list_insert(c->db, out);
}

int lists_update(app_ctx *c, int64_t owner, int64_t id, const lists_change *ch, pl_list *out)
{
    int rc = load(c, owner, id, out);
    if (rc) return rc;
    if (ch->title && (rc = check_title(c, ch->title))) return rc;
    if (ch->title) out->title = ch->title;
    if (ch->replies_policy >= 0) out->replies_policy = ch->replies_policy;
    if (ch->exclusive >= 0) out->is_exclusive = ch->exclusive != 0;
    return store_list_update(c->db, out);
}

int lists_delete(app_ctx *c, int64_t owner, int64_t id)
{
    int rc = store_list_delete(c->db, owner, id);
    return rc == PL_ENOTFOUND ? not_found(c) : rc;
}

int lists_members(app_ctx *c, int64_t owner, int64_t id, const pl_page *p, pl_idlist *out)
{
    pl_list l;
    int rc = load(c, owner, id, &l);
    if (rc) return rc;
    pl_page all = *p;
    if (all.limit == 0) all = (pl_page){.limit = c->cfg->max_list_members};
    return store_list_members(c->db, id, &all, c->a, out);
}

/* A list's members are the audience of its posts (VIS_LIST): who joins or leaves it is audited. */
static int audit_member(app_ctx *c, const char *action, int64_t owner, int64_t id, int64_t account)
{
    return audit_record(c, &(audit_entry){.action = action,
                                          .actor_id = owner,
                                          .target_kind = "list",
                                          .target_id = id,
                                          .audience = AUDIT_VIS(PL_VIS_LIST),
                                          .detail = {AUDIT_ID("account_id", account)}});
}

int lists_add_members(app_ctx *c, int64_t owner, int64_t id, const int64_t *accounts, int n)
{
    pl_list l;
    int rc = load(c, owner, id, &l);
    if (rc) return rc;
    int64_t have;
    if ((rc = store_list_member_count(c->db, id, &have))) return rc;
    for (int i = 0; i < n; i++) {
        const pl_account *a = app_account(c, accounts[i]);
        if (!a) return not_found(c);
        if (!app_follows(c, owner, a->id))
            return app_fail(c, PL_EINVAL,
                            "Validation failed: you must follow @%s to add them to a list",
                            a->username);
        bool twice = false;
        for (int k = 0; k < i && !twice; k++) twice = accounts[k] == a->id;
        if (twice || store_list_has_member(c->db, id, a->id))
            return app_fail(c, PL_EINVAL, "Validation failed: Account has already been taken");
    }
    if (have + n > c->cfg->max_list_members)
        return app_fail(c, PL_ELIMIT, "A list cannot have more than %d accounts",
                        c->cfg->max_list_members);
    for (int i = 0; i < n; i++) {
        if ((rc = store_list_member_add(c->db, id, accounts[i], c->now))) return rc;
        if ((rc = audit_member(c, "list.add_member", owner, id, accounts[i]))) return rc;
    }
    return PL_OK;
}

int lists_remove_members(app_ctx *c, int64_t owner, int64_t id, const int64_t *accounts, int n)
{
    pl_list l;
    int rc = load(c, owner, id, &l);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        if ((rc = store_list_member_remove(c->db, id, accounts[i]))) return rc;
        if ((rc = audit_member(c, "list.remove_member", owner, id, accounts[i]))) return rc;
    }
    return PL_OK;
}

int lists_containing(app_ctx *c, int64_t owner, int64_t account_id, pl_list **out, int *n)
{
    if (!app_account(c, account_id)) return not_found(c);
    return store_lists_with_member(c->db, owner, account_id, c->a, out, n);
}

int lists_forget_account(app_ctx *c, int64_t owner, int64_t account_id)
{
    return store_lists_forget_account(c->db, owner, account_id);
}

/* ---- sources besides people: channels and hashtags ---- */

int lists_sources(app_ctx *c, int64_t owner, int64_t id, pl_list_source **out, int *n)
{
    pl_list l;
    int rc = load(c, owner, id, &l);
    return rc ? rc : store_list_sources(c->db, id, c->a, out, n);
}

/* The channel as a source value (its id in decimal), if the owner may read it. */
static int channel_value(app_ctx *c, int64_t owner, int64_t channel, const char **value)
{
    const pl_channel *ch = app_channel(c, channel);
    if (!ch || (ch->is_private && !app_channel_member(c, ch, owner)))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    *value = arena_printf(c->a, "%lld", (long long)channel);
    return PL_OK;
}

static int tag_value(app_ctx *c, const char *tag, const char **value)
{
    char norm[128];
    if (!tag || *tag == '#') tag = tag ? tag + 1 : tag;
    if (!tag || text_tag_normalize(tag, strlen(tag), norm, sizeof norm) <= 0)
        return app_fail(c, PL_EINVAL, "Validation failed: '%.40s' is not a hashtag",
                        tag ? tag : "");
    *value = arena_strdup(c->a, norm);
    return PL_OK;
}

/* A keyword: some letters or digits, at most max_filter_keyword characters, trimmed. */
static int keyword_value(app_ctx *c, const char *kw, const char **value)
{
    while (kw && (*kw == ' ' || *kw == '\t')) kw++;
    size_t n = kw ? strlen(kw) : 0;
    while (n && (kw[n - 1] == ' ' || kw[n - 1] == '\t')) n--;
    bool word = false;
    for (size_t i = 0; i < n && !word; i++)
        word = (unsigned char)kw[i] >= 0x80 || (kw[i] >= '0' && kw[i] <= '9') ||
               ((kw[i] | 0x20) >= 'a' && (kw[i] | 0x20) <= 'z');
    if (!word || !text_is_valid_utf8(kw, n))
        return app_fail(c, PL_EINVAL, "Validation failed: a keyword needs a word");
    if ((int)text_char_count(kw, n, NULL) > c->cfg->max_filter_keyword)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: a keyword is too long (maximum is %d characters)",
                        c->cfg->max_filter_keyword);
    *value = arena_strndup(c->a, kw, n);
    return PL_OK;
}

int lists_sources_change(app_ctx *c, int64_t owner, int64_t id, bool add, const int64_t *channels,
                         int nc, const char *const *tags, int nt, const char *const *keywords,
                         int nk)
{
    pl_list l;
    int rc = load(c, owner, id, &l);
    if (rc) return rc;
    /* every source is checked before the first is written: all or nothing */
    const char **cv = arena_alloc(c->a, sizeof *cv * (size_t)(nc + 1));
    const char **tv = arena_alloc(c->a, sizeof *tv * (size_t)(nt + 1));
    for (int i = 0; i < nc; i++)
        if ((rc = add ? channel_value(c, owner, channels[i], &cv[i])
                      : (cv[i] = arena_printf(c->a, "%lld", (long long)channels[i]), PL_OK)))
            return rc;
    for (int i = 0; i < nt; i++)
        if ((rc = tag_value(c, tags[i], &tv[i]))) return rc;
    const char **kv = arena_alloc(c->a, sizeof *kv * (size_t)(nk + 1));
    for (int i = 0; i < nk; i++)
        if ((rc = keyword_value(c, keywords[i], &kv[i]))) return rc;
    if (add) {
        pl_list_source *have;
        int n;
        if ((rc = store_list_sources(c->db, id, c->a, &have, &n))) return rc;
        if (n + nc + nt + nk > c->cfg->max_list_sources)
            return app_fail(c, PL_EINVAL,
                            "A list can have at most %d channels, hashtags and keywords",
                            c->cfg->max_list_sources);
    }
    for (int i = 0; i < nc && !rc; i++)
        rc = add ? store_list_source_add(c->db, id, LIST_SOURCE_CHANNEL, cv[i], c->now)
                 : store_list_source_remove(c->db, id, LIST_SOURCE_CHANNEL, cv[i]);
    for (int i = 0; i < nt && !rc; i++)
        rc = add ? store_list_source_add(c->db, id, LIST_SOURCE_TAG, tv[i], c->now)
                 : store_list_source_remove(c->db, id, LIST_SOURCE_TAG, tv[i]);
    for (int i = 0; i < nk && !rc; i++)
        rc = add ? store_list_source_add(c->db, id, LIST_SOURCE_KEYWORD, kv[i], c->now)
                 : store_list_source_remove(c->db, id, LIST_SOURCE_KEYWORD, kv[i]);
    return rc;
}
