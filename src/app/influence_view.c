/*
 * influence_view.c — what a viewer may see of influence (app/influence_view.h; the rules are
 * docs/influence.md's).
 *
 * The computation writes each person's breakdown once, as its owner sees it (engagers only
 * where they engaged in public); what differs for someone else — a channel they may not see —
 * is folded here, at reading, because it depends on the reader. Folding moves raw points
 * into `others` and never drops any, so every list still adds up to raw exactly.
 *
 * Every question whose answer shows more fails closed: a channel that cannot be read is
 * one the viewer may not see; a database error while reading a badge leaves the badge out.
 */
#include "app/influence_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audience.h"
#include "app/audit.h"
#include "app/influence.h"
#include "util/text.h"
#include "util/timeutil.h"

#define DAY_MS 86400000LL

const char *influence_class_name(int klass)
{
    return klass == TOPIC_WORK ? "work" : klass == TOPIC_SOCIAL ? "social" : NULL;
}

/* The current run's id, read once per request: -1 when there is none. A database error is
 * not remembered (the next question asks again) and answers -1. */
static int64_t current_run_id(app_ctx *c)
{
    if (c->influence_run) return c->influence_run;
    pl_influence_run r;
    int rc = store_influence_current(c->db, &r);
    if (rc == PL_OK) return c->influence_run = r.id;
    if (rc == PL_ENOTFOUND) c->influence_run = -1;
    return -1;
}

int influence_current_run(app_ctx *c, pl_influence_run *out)
{
    int rc = store_influence_current(c->db, out);
    if (rc == PL_OK) c->influence_run = out->id;
    return rc;
}

/* ---- the breakdown ------------------------------------------------------------------------ */

/* A list being built: items, and the raw folded into `others` so far. */
typedef struct list_build {
    influence_item *v;
    int n, cap;
    int64_t others;
    bool has_others;
} list_build;

static void list_add(app_ctx *c, list_build *l, const influence_item *it)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        influence_item *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *it;
}

static void list_fold(list_build *l, int64_t raw)
{
    l->others += raw;
    l->has_others = true;
}

static int by_key(const void *x, const void *y)
{
    return strcmp(((const influence_item *)x)->key, ((const influence_item *)y)->key);
}

/* One item per key: a topic's points from private channels the reader may see come as items
 * of their own (influence_write.c), added here to the topic's. */
static void list_coalesce(list_build *l)
{
    if (l->n < 2) return;
    qsort(l->v, (size_t)l->n, sizeof *l->v, by_key);
    int k = 0;
    for (int i = 1; i < l->n; i++) {
        if (!strcmp(l->v[i].key, l->v[k].key))
            l->v[k].raw += l->v[i].raw;
        else
            l->v[++k] = l->v[i];
    }
    l->n = k + 1;
}

static int by_raw(const void *x, const void *y)
{
    const influence_item *a = x, *b = y;
    if (a->raw != b->raw) return a->raw > b->raw ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Whether viewer may see the place of a channel: a public one, or a private one they are a
 * member of. A channel that is not one (any more) is not seen. */
static bool channel_seen(app_ctx *c, int64_t viewer, int64_t id)
{
    const pl_channel *ch = app_channel(c, id);
    if (!ch) return false;
    return !ch->is_private || app_channel_member(c, ch, viewer);
}

/* Reads "<digits>" into *id; false unless the whole text is a positive number. */
static bool parse_id(const char *s, int64_t *id)
{
    if (!*s) return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0) return false;
    *id = v;
    return true;
}

/* One item of a list, from its key, as viewer may see it (owner: whether viewer is the
 * person); false when it folds into others. */
static bool read_item(app_ctx *c, int64_t viewer, bool owner, int list, influence_item *it)
{
    const char *k = it->key;
    switch (list) {
    case BY_PLACE:
        if (!strncmp(k, "channel:", 8)) {
            it->kind = PLACE_CHANNEL;
            if (!parse_id(k + 8, &it->id)) return false;
            if (owner) return app_channel(c, it->id) != NULL;
            return channel_seen(c, viewer, it->id);
        }
        if (!strncmp(k, "tag:", 4)) {
            it->kind = PLACE_TAG;
            it->name = k + 4;
            return *it->name != '\0';
        }
        if (!strcmp(k, "feed")) return (it->kind = PLACE_FEED), true;
        if (!strcmp(k, "profile")) return (it->kind = PLACE_PROFILE), true;
        return false; /* "others", or a place this version does not know */
    case BY_TOPIC:
        /* points from a private channel's posts: its members' to see (the key after it) */
        if (!strncmp(k, "channel:", 8)) {
            const char *sp = strchr(k + 8, ' ');
            int64_t ch;
            if (!sp || !parse_id(arena_strndup(c->a, k + 8, (size_t)(sp - (k + 8))), &ch))
                return false;
            if (!(owner ? app_channel(c, ch) != NULL : channel_seen(c, viewer, ch))) return false;
            it->key = k = sp + 1;
        }
        if (!strncmp(k, "work:", 5) && k[5]) {
            it->klass = TOPIC_WORK;
            it->name = k + 5;
        } else if (!strncmp(k, "social:", 7) && k[7]) {
            it->klass = TOPIC_SOCIAL;
            it->name = k + 7;
        } else if (strcmp(k, "unclassified") && strcmp(k, "others"))
            it->name = k; /* a topic whose class the key does not say */
        return strcmp(k, "others") != 0;
    case BY_SIGNAL:
        for (int t = 0; t < SIG_TYPES; t++)
            if (!strcmp(k, influence_signal_names[t])) return true;
        return false;
    default: /* BY_ENGAGER: someone still there, else others */
        return parse_id(k, &it->id) && app_account(c, it->id) != NULL;
    }
}

int influence_parts_read(app_ctx *c, int64_t viewer, const char *parts, influence_view *v)
{
    bool owner = viewer == v->account_id;
    list_build lists[BY_LISTS] = {0};
    for (const char *p = parts ? parts : ""; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = arena_strndup(c->a, p, len);
        p += len + (eol ? 1 : 0);
        char dim = line[0];
        int list = dim == 'p'   ? BY_PLACE
                   : dim == 't' ? BY_TOPIC
                   : dim == 's' ? BY_SIGNAL
                   : dim == 'e' ? BY_ENGAGER
                                : -1;
        if (list < 0 || line[1] != ' ') continue;
        char *end;
        long long raw = strtoll(line + 2, &end, 10);
        if (end == line + 2 || *end != ' ' || !end[1]) continue;
        influence_item it = {.key = end + 1, .raw = raw, .kind = PLACE_OTHERS};
        if (read_item(c, viewer, owner, list, &it))
            list_add(c, &lists[list], &it);
        else
            list_fold(&lists[list], raw);
    }
    for (int i = 0; i < BY_LISTS; i++) {
        list_build *l = &lists[i];
        if (i == BY_TOPIC) list_coalesce(l);
        if (l->n > 1) qsort(l->v, (size_t)l->n, sizeof *l->v, by_raw);
        if (l->has_others)
            list_add(c, l,
                     &(influence_item){.key = "others", .raw = l->others, .kind = PLACE_OTHERS});
        v->items[i] = l->v;
        v->n[i] = l->n;
    }
    return PL_OK;
}

/* Fills v with account's score in the current run (raw 0, score 1 without one). */
static int view_fill(app_ctx *c, int64_t viewer, int64_t account, influence_view *v)
{
    *v = (influence_view){
        .account_id = account, .score = 1, .method_version = INFLUENCE_METHOD_VERSION};
    int rc = store_influence_shown_get(c->db, account, &v->shown);
    if (rc) return rc;
    pl_influence_run run;
    rc = influence_current_run(c, &run);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    v->computed_at = run.at;
    v->method_version = run.method_version;
    pl_influence_score s;
    rc = store_influence_score(c->db, run.id, account, c->a, &s);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    v->raw = s.raw;
    v->score = s.score;
    return influence_parts_read(c, viewer, s.parts, v);
}

int influence_view_own(app_ctx *c, int64_t viewer, influence_view *out)
{
    return view_fill(c, viewer, viewer, out);
}

int influence_view_of(app_ctx *c, int64_t viewer, int64_t account, influence_view *out)
{
    if (account == viewer) return view_fill(c, viewer, account, out);
    const pl_account *a = app_account(c, account); /* NULL: unknown or suspended */
    if (!a || a->is_group || a->is_disabled || a->is_suspended || !a->shows_influence)
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    return view_fill(c, viewer, account, out);
}

int influence_shown_set(app_ctx *c, int64_t viewer, bool shown)
{
    int rc = app_txn_begin(c);
    if (rc) return rc;
    return app_txn_end(c, store_influence_shown_set(c->db, viewer, shown));
}

bool influence_badge(app_ctx *c, const pl_account *a, bool own, int *score)
{
    if (a->is_group || (!own && (!a->shows_influence || a->is_disabled || a->is_suspended)))
        return false;
    *score = 1;
    int64_t run = current_run_id(c);
    if (run < 0) return c->influence_run == -1; /* none yet: 1; an error: left out */
    int rc = store_influence_score_of(c->db, run, a->id, score);
    if (rc == PL_ENOTFOUND) *score = 1;
    return rc == PL_OK || rc == PL_ENOTFOUND;
}

/* ---- history ------------------------------------------------------------------------------ */

static const char *date_of(app_ctx *c, int day)
{
    char t[32];
    time_iso8601_date((int64_t)day * DAY_MS, t, sizeof t);
    return arena_strdup(c->a, t);
}

/* "+420" or "−80" (a minus sign, not a hyphen), into b. */
static void signed_points(buf *b, int64_t v)
{
    if (v < 0)
        buf_printf(b, "\xe2\x88\x92%lld", (long long)-v);
    else
        buf_printf(b, "+%lld", (long long)v);
}

/* A day's change in words, from its parts (docs/influence.md "History"). */
static const char *explain(app_ctx *c, const pl_influence_day *d)
{
    buf b = BUF_INIT;
    if (d->prev_day < 0) {
        if (d->raw)
            buf_printf(&b, "The first day computed: %lld points.", (long long)d->raw);
        else
            buf_puts(&b, "The first day computed: no signals yet.");
    } else {
        buf_printf(&b, "Since %s: ", date_of(c, d->prev_day));
        if (d->method_raw) {
            buf_puts(&b, "the method or its settings changed (now version ");
            buf_printf(&b, "%d), ", d->method_version);
            signed_points(&b, d->method_raw);
            buf_puts(&b, " in all; the two days are not comparable part by part.");
        } else if (!d->new_raw && !d->older_raw && !d->deleted_raw) {
            buf_puts(&b, "no change.");
        } else {
            const char *sep = "";
            if (d->new_raw) {
                signed_points(&b, d->new_raw);
                buf_puts(&b, " from new signals");
                sep = "; ";
            }
            if (d->older_raw) {
                buf_puts(&b, sep);
                signed_points(&b, d->older_raw);
                buf_puts(&b, d->older_raw < 0 ? " as older signals aged, were taken back or their "
                                                "engagers' standing moved"
                                              : " as the engagers' standing rose");
                sep = "; ";
            }
            if (d->deleted_raw) {
                buf_puts(&b, sep);
                buf_printf(&b, "deleted posts took away %lld",
                           (long long)(d->deleted_raw < 0 ? -d->deleted_raw : d->deleted_raw));
            }
            buf_puts(&b, ".");
        }
    }
    const char *s = arena_strdup(c->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

int influence_history(app_ctx *c, int64_t viewer, int days, influence_history_day **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (days < 1 || days > INFLUENCE_HISTORY_MAX)
        return app_fail_field(c, PL_EINVAL, "days", "ERR_INVALID",
                              "Validation failed: days must be a whole number from 1 to %d",
                              INFLUENCE_HISTORY_MAX);
    int today = (int)(c->now / DAY_MS);
    pl_influence_day *d;
    int nd;
    int rc = store_influence_days(c->db, viewer, today - days + 1, c->a, &d, &nd);
    if (rc) return rc;
    *out = arena_alloc(c->a, sizeof **out * (size_t)(nd ? nd : 1));
    for (int i = 0; i < nd; i++)
        (*out)[i] = (influence_history_day){
            .day = d[i], .date = date_of(c, d[i].day), .explanation = explain(c, &d[i])};
    *n = nd;
    return PL_OK;
}

/* ---- who knows about a topic ------------------------------------------------------------- */

/* Code points of valid UTF-8 text with no control characters, or -1. */
static long text_chars(const char *s)
{
    size_t len = strlen(s);
    if (!text_is_valid_utf8(s, len)) return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) return -1;
        n += (ch & 0xC0) != 0x80;
    }
    return n;
}

/* A topic's name as kept: trimmed, ASCII in lower case; NULL when empty, too long, not text
 * or starting with '#' (which names a hashtag). */
static const char *topic_name(app_ctx *c, const char *s)
{
    while (*s == ' ') s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ') len--;
    char *t = arena_strndup(c->a, s, len);
    for (char *p = t; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    long chars = text_chars(t);
    return chars >= 1 && chars <= INFLUENCE_TOPIC_MAX && t[0] != '#' ? t : NULL;
}

/* A hashtag as kept (lower case, no '#'); NULL when it is not one. */
static const char *tag_name(app_ctx *c, const char *s)
{
    if (*s == '#') s++;
    char t[128];
    int len = text_tag_normalize(s, strlen(s), t, sizeof t);
    return len > 0 ? arena_strndup(c->a, t, (size_t)len) : NULL;
}

int influence_experts(app_ctx *c, int64_t viewer, const char *topic, int limit,
                      influence_expert **out, int *n)
{
    *out = NULL;
    *n = 0;
    const char *key = NULL;
    if (topic && topic[0] == '#') {
        const char *tag = tag_name(c, topic);
        if (tag) key = arena_printf(c->a, "#%s", tag);
    } else if (topic)
        key = topic_name(c, topic);
    if (!key)
        return app_fail_field(c, PL_EINVAL, "topic", "ERR_INVALID",
                              "Validation failed: topic must be a hashtag (#name) or a topic's "
                              "name of 1 to %d characters",
                              INFLUENCE_TOPIC_MAX);
    if (limit < 1) limit = INFLUENCE_EXPERTS_DEFAULT;
    if (limit > INFLUENCE_EXPERTS_MAX) limit = INFLUENCE_EXPERTS_MAX;
    int64_t run = current_run_id(c);
    if (run < 0) return c->influence_run == -1 ? PL_OK : PL_EDB;
    pl_influence_expertise *e;
    int ne;
    int rc = store_influence_experts(c->db, run, key, limit, c->a, &e, &ne);
    if (rc) return rc;
    *out = arena_alloc(c->a, sizeof **out * (size_t)(ne ? ne : 1));
    for (int i = 0; i < ne; i++) {
        int64_t who = e[i].account_id;
        /* as the directory and search: gone since the run, silenced and not followed, or
         * blocking the asker (or blocked by them: fail closed, both say no) — not listed */
        if (!app_account(c, who) || !app_reaches(c, viewer, who) || app_blocks(c, who, viewer) ||
            app_blocks(c, viewer, who))
            continue;
        influence_expert *x = &(*out)[(*n)++];
        *x = (influence_expert){.account_id = who, .raw = e[i].raw};
        for (const char *p = e[i].posts ? e[i].posts : ""; *p && x->n_posts < 3;) {
            char *end;
            long long id = strtoll(p, &end, 10);
            if (end == p) break;
            p = end;
            while (*p == ' ') p++;
            const pl_status *s = id > 0 ? app_status(c, id) : NULL;
            if (s && audience_can_see(c, viewer, s)) x->posts[x->n_posts++] = id;
        }
    }
    return PL_OK;
}

/* ---- administrators ----------------------------------------------------------------------- */

static int need_admin(app_ctx *c, const pl_account *viewer, const char *what)
{
    if (viewer && viewer->is_admin) return PL_OK;
    return app_fail(c, PL_EFORBIDDEN, "Only administrators may %s", what);
}

int influence_distribution_get(app_ctx *c, const pl_account *viewer, influence_distribution *out)
{
    *out = (influence_distribution){0};
    int rc = need_admin(c, viewer, "read influence's distribution");
    if (rc) return rc;
    pl_influence_run run;
    rc = influence_current_run(c, &run);
    if (rc == PL_ENOTFOUND) return PL_OK;
    if (rc) return rc;
    out->computed_at = run.at;
    out->people = run.people;
    out->scored = run.scored;
    out->median_raw = run.median_raw;
    out->p95_raw = run.p95_raw;
    return store_influence_histogram(c->db, run.id, out->histogram);
}

int influence_topics_list(app_ctx *c, const pl_account *viewer, pl_influence_topic **out, int *n)
{
    *out = NULL;
    *n = 0;
    int rc = need_admin(c, viewer, "read influence's topics");
    return rc ? rc : store_influence_topics(c->db, c->a, out, n);
}

/* Which mark a request names: a channel (it must be one) or a hashtag, exactly one. */
static int mark_target(app_ctx *c, int64_t channel_id, const char *tag, const char **tag_out)
{
    *tag_out = NULL;
    if (!channel_id == !(tag && *tag))
        return app_fail_field(c, PL_EINVAL, "channel_id", "ERR_INVALID",
                              "Validation failed: give either channel_id or tag");
    if (channel_id) {
        if (channel_id < 0 || !app_channel(c, channel_id))
            return app_fail(c, PL_ENOTFOUND, "No channel has this id");
        return PL_OK;
    }
    if (!(*tag_out = tag_name(c, tag)))
        return app_fail_field(c, PL_EINVAL, "tag", "ERR_INVALID",
                              "Validation failed: tag is not a hashtag");
    return PL_OK;
}

static int topic_audit(app_ctx *c, const char *action, int64_t channel_id, const char *tag,
                       const char *klass, const char *topic)
{
    return audit_record(c,
                        &(audit_entry){.action = action,
                                       .target_kind = channel_id ? "channel" : "tag",
                                       .target_id = channel_id,
                                       .detail = {AUDIT_STR("tag", tag), AUDIT_STR("class", klass),
                                                  AUDIT_STR("topic", topic)}});
}

int influence_topic_set(app_ctx *c, const pl_account *viewer, int64_t channel_id, const char *tag,
                        const char *klass, const char *topic, pl_influence_topic *out)
{
    int rc = need_admin(c, viewer, "mark influence's topics");
    if (rc) return rc;
    const char *t;
    if ((rc = mark_target(c, channel_id, tag, &t))) return rc;
    int k = klass && !strcmp(klass, "work")     ? TOPIC_WORK
            : klass && !strcmp(klass, "social") ? TOPIC_SOCIAL
                                                : 0;
    if (!k)
        return app_fail_field(c, PL_EINVAL, "class", "ERR_INVALID",
                              "Validation failed: class must be work or social");
    const char *name = topic ? topic_name(c, topic) : NULL;
    if (!name)
        return app_fail_field(c, PL_EINVAL, "topic", "ERR_INVALID",
                              "Validation failed: topic must be text of 1 to %d characters, "
                              "not starting with #",
                              INFLUENCE_TOPIC_MAX);
    *out = (pl_influence_topic){.id = app_new_id(c),
                                .channel_id = channel_id,
                                .tag = t,
                                .klass = k,
                                .topic = name,
                                .set_by = viewer->id,
                                .set_at = c->now};
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_influence_topic_set(c->db, out);
    if (!rc)
        rc = topic_audit(c, "influence.topic_set", channel_id, t, influence_class_name(k), name);
    return app_txn_end(c, rc);
}

int influence_topic_remove(app_ctx *c, const pl_account *viewer, int64_t channel_id,
                           const char *tag)
{
    int rc = need_admin(c, viewer, "mark influence's topics");
    if (rc) return rc;
    const char *t;
    if ((rc = mark_target(c, channel_id, tag, &t))) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_influence_topic_remove(c->db, channel_id, t);
    if (rc == PL_ENOTFOUND) rc = app_fail(c, PL_ENOTFOUND, "It has no topic");
    if (!rc) rc = topic_audit(c, "influence.topic_remove", channel_id, t, NULL, NULL);
    return app_txn_end(c, rc);
}
