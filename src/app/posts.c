/*
 * posts.c — statuses and threads.
 *
 * Creating a post is one transaction: the row, its mentions and tags, counts, the home
 * feeds it lands in, and the notifications it causes. Feeds: a post by an ordinary author
 * is copied into each follower's feed (store_timeline_fanout); a post by a big author is
 * only written to the author's own feed and merged into followers' feeds on read (feeds.c);
 * a direct message goes to the feeds of the people it mentions. The audience of every read
 * is decided by audience_can_see().
 */
#include "posts.h"

#include <string.h>

#include "app/attachments.h"
#include "app/audience.h"
#include "app/audit.h"
#include "app/channels.h"
#include "app/conversations.h"
#include "app/feeds.h"
#include "app/lists.h"
#include "app/notify.h"
#include "app/profile.h"
#include "app/render.h"
#include "app/thread_mutes.h"
#include "app/tickets.h"
#include "store/accounts.h"
#include "store/auth.h"
#include "store/engage.h"
#include "store/lists.h"
#include "store/notify.h"
#include "store/pins.h"
#include "store/polls.h"
#include "store/posts.h"
#include "store/thread_mutes.h"
#include "store/timeline.h"
#include "util/text.h"

enum { MAX_ANCESTORS = 40, MAX_DESCENDANTS = 100 };

struct idvec {
    int64_t *ids;
    int n;
};

/* What posts_prefetch_flags() found for one viewer and one id range; the viewer's own pins
 * (a handful, any range) are read the first time one of the viewer's posts is shown. */
struct flag_sets {
    int64_t viewer, lo, hi;
    struct idvec fav, mark, reblog, pins;
    bool have_pins;
    int thread_mutes; /* has the viewer muted any conversation: -1 not asked yet, 0, 1 */
};

static bool in_sorted(const struct idvec *v, int64_t id);

/* Has the viewer muted s's conversation (the Status entity's "muted")? A page's flag sets ask
 * once whether the viewer muted anything at all, so most pages walk no thread. False on a
 * database error: the flag only informs. */
static bool thread_muted(app_ctx *c, int64_t viewer, const pl_status *s)
{
    struct flag_sets *f = c->flags;
    bool yes = false;
    if (f && f->viewer == viewer) {
        if (f->thread_mutes < 0) {
            bool any;
            f->thread_mutes = store_thread_mutes_any(c->db, viewer, &any) == PL_OK ? any : 1;
        }
        if (!f->thread_mutes) return false;
    }
    return thread_mutes_ask(c, viewer, s, &yes) == PL_OK && yes;
}

/* Whether the author pinned their own post s: from the page's flag sets when there are any
 * for this viewer (one query for the page), else asked on its own (writes, single posts). */
static bool pinned_by_author(app_ctx *c, const pl_status *s)
{
    struct flag_sets *f = c->flags;
    if (!f || f->viewer != s->account_id) return store_pinned(c->db, s->account_id, s->id);
    if (!f->have_pins) {
        if (store_pins_all(c->db, f->viewer, c->a, &f->pins.ids, &f->pins.n))
            return store_pinned(c->db, s->account_id, s->id);
        f->have_pins = true;
    }
    return in_sorted(&f->pins, s->id);
}

static int check_text(app_ctx *c, const posts_new *n, int content_type, render_out *r, bool editing)
{
    const pl_config *cfg = c->cfg;
    const char *text = n->text ? n->text : "";
    if (!n->n_media && !*(text + strspn(text, " \t\r\n"))) /* files may be the whole post */
        return app_fail(c, PL_EINVAL, "Validation failed: Text can't be blank");
    if (!text_is_valid_utf8(text, strlen(text)))
        return app_fail(c, PL_EINVAL, "Validation failed: Text is not valid UTF-8");
    int rc = render_post(c, text, content_type, r);
    if (rc) return rc;
    if ((int)r->chars > cfg->max_characters)
        return app_fail(c, PL_EINVAL, "Validation failed: Text character limit of %d exceeded",
                        cfg->max_characters);
    if (r->n_mentions > cfg->max_mentions)
        return app_fail(c, PL_EINVAL, "Validation failed: Too many mentions (maximum is %d)",
                        cfg->max_mentions);
    if (r->n_tags > cfg->max_tags)
        return app_fail(c, PL_EINVAL, "Validation failed: Too many hashtags (maximum is %d)",
                        cfg->max_tags);
    const char *sp = n->spoiler_text ? n->spoiler_text : "";
    if (!text_is_valid_utf8(sp, strlen(sp)))
        return app_fail(c, PL_EINVAL, "Validation failed: Spoiler text is not valid UTF-8");
    if ((int)text_char_count(sp, strlen(sp), NULL) > cfg->max_spoiler_characters)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Spoiler text character limit of %d exceeded",
                        cfg->max_spoiler_characters);
    if (n->language && (strlen(n->language) < 2 || strlen(n->language) > 16))
        return app_fail(c, PL_EINVAL, "Validation failed: Language is not a valid ISO 639 code");
    (void)editing;
    return PL_OK;
}

static int write_entities(app_ctx *c, int64_t id, const render_out *r)
{
    int rc = PL_OK;
    for (int i = 0; i < r->n_mentions && !rc; i++)
        rc = store_status_mention_add(c->db, id, r->mention_ids[i]);
    for (int i = 0; i < r->n_tags && !rc; i++) rc = store_status_tag_add(c->db, id, r->tags[i]);
    return rc;
}

/* Puts a new status into the feeds that should show it. */
static int deliver(app_ctx *c, const pl_account *author, const pl_status *s, const render_out *r)
{
    int rc;
    const pl_channel *ch = s->channel_id ? app_channel(c, s->channel_id) : NULL;
    if (ch && ch->is_private) /* members get it by merge on read; nobody else may see it */
        return store_timeline_insert(c->db, author->id, s->id);
    /* a ticket's thread is read there (and told to its followers: app/tickets.c) */
    if (s->visibility == VIS_TICKET || s->visibility == VIS_INTERNAL)
        return store_timeline_insert(c->db, author->id, s->id);
    if (s->visibility == VIS_LIST) {
        /* the list's people, who need not follow the author (at most max_list_members) */
        pl_list_member *m;
        int n;
        if ((rc = store_list_members_all(c->db, s->audience_list_id, author->id, c->a, &m, &n)))
            return rc;
        rc = store_timeline_insert(c->db, author->id, s->id);
        for (int i = 0; i < n && !rc; i++)
            rc = store_timeline_insert(c->db, m[i].account_id, s->id);
        /* and, as a direct message would, the people it mentions */
        for (int i = 0; i < r->n_mentions && !rc; i++)
            rc = store_timeline_insert(c->db, r->mention_ids[i], s->id);
        c->fanout_rows += n + 1 + r->n_mentions;
        return rc;
    }
    if (s->visibility == VIS_DIRECT) {
        rc = store_timeline_insert(c->db, author->id, s->id);
        for (int i = 0; i < r->n_mentions && !rc; i++)
            rc = store_timeline_insert(c->db, r->mention_ids[i], s->id);
        return rc;
    }
    /* the author sees it at once; followers through feeds_fanout, unless the author is big
     * and merged into their feeds on read */
    if (author->is_big) return store_timeline_insert(c->db, author->id, s->id);
    return feeds_fanout(c, author, s);
}

/* How far an audience reaches, for comparing a reply's with its parent's: public reaches
 * signed-out visitors and the public timelines, unlisted visitors, company every member,
 * private and list some of them, direct only those named. */
static int reach(int visibility)
{
    switch (visibility) { /* ticket and internal (app/tickets.h): 0, as direct */
    case VIS_PUBLIC: return 4;
    case VIS_UNLISTED: return 3;
    case VIS_COMPANY: return 2;
    case VIS_PRIVATE:
    case VIS_LIST: return 1;
    default: return 0;
    }
}

/*
 * The audience of a reply to parent. Sent without one (asked < 0), it takes the narrower of
 * the author's default and the parent's — what Mastodon's own client picks for a reply, done
 * here for every client (a reply to a list post becomes followers-only: the list is not the
 * replier's). Sent with one, it is kept, except that a reply to a company post never reaches
 * further than the company: Mastodon apps see company posts as "private" and some answer
 * "public" (docs/api.md, "Replies to company posts"). Never wider than what was asked.
 */
static int reply_visibility(const pl_status *parent, int asked, int chosen)
{
    if (asked < 0 && reach(parent->visibility) < reach(chosen))
        return parent->visibility == VIS_LIST ? VIS_PRIVATE : parent->visibility;
    if (asked >= 0 && parent->visibility == VIS_COMPANY && reach(chosen) > reach(VIS_COMPANY))
        return VIS_COMPANY;
    return chosen;
}

/* The content type a post is written in into *ct: the one asked, else the author's default
 * (a new post) or the post's own (an edit). PL_EINVAL for one we do not know. */
static int content_type_of(app_ctx *c, const posts_new *n, int otherwise, int *ct)
{
    *ct = n->content_type ? content_type_parse(n->content_type) : otherwise;
    if (*ct < 0)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: content_type must be text/plain or text/markdown");
    return PL_OK;
}

int posts_check(app_ctx *c, int64_t author_id, const posts_new *n)
{
    const pl_account *author = app_account(c, author_id);
    if (!author) return app_fail(c, PL_EAUTH, "This method requires an authenticated user");
    render_out r;
    int ct;
    int rc = content_type_of(c, n, author->default_content_type, &ct);
    if (!rc) rc = check_text(c, n, ct, &r, false);
    if (!rc && n->poll) rc = polls_check(c, n->poll);
    return rc;
}

int posts_preview(app_ctx *c, int64_t author_id, const posts_new *n, const char **html)
{
    const pl_account *author = app_account(c, author_id);
    if (!author) return app_fail(c, PL_EAUTH, "This method requires an authenticated user");
    render_out r;
    int ct;
    int rc = content_type_of(c, n, author->default_content_type, &ct);
    if (!rc) rc = check_text(c, n, ct, &r, false);
    if (!rc) *html = r.html;
    return rc;
}

/* A post's audit row: its audience, and where it went (a channel, a list, a thread). */
static int audit_post(app_ctx *c, const char *action, const pl_status *s)
{
    return audit_record(
        c, &(audit_entry){
               .action = action,
               .actor_id = s->account_id,
               .target_kind = "status",
               .target_id = s->id,
               .audience = AUDIT_VIS(s->visibility),
               .detail = {
                   AUDIT_ID("author_id", s->account_id),
                   s->channel_id ? (audit_detail)AUDIT_ID("channel_id", s->channel_id)
                                 : (audit_detail){.key = "channel_id"},
                   s->audience_list_id ? (audit_detail)AUDIT_ID("list_id", s->audience_list_id)
                                       : (audit_detail){.key = "list_id"},
                   s->in_reply_to_id ? (audit_detail)AUDIT_ID("in_reply_to_id", s->in_reply_to_id)
                                     : (audit_detail){.key = "in_reply_to_id"}}});
}

int posts_create(app_ctx *c, int64_t author_id, const posts_new *n, int64_t *id)
{
    const pl_account *author = app_account(c, author_id);
    if (!author) return app_fail(c, PL_EAUTH, "This method requires an authenticated user");
    if (n->idempotency_key && *n->idempotency_key) {
        if (strlen(n->idempotency_key) > 128)
            return app_fail(c, PL_EINVAL, "Idempotency-Key is too long");
        if (store_idempotency_get(c->db, author_id, n->idempotency_key, id) == PL_OK) return PL_OK;
    }
    render_out r;
    int content_type;
    int rc = content_type_of(c, n, author->default_content_type, &content_type);
    if (!rc) rc = check_text(c, n, content_type, &r, false);
    if (rc) return rc;
    if (n->poll && (rc = polls_check(c, n->poll))) return rc;
    if (n->n_media && (rc = attachments_check(c, author_id, n->media_ids, n->n_media))) return rc;
    pl_status parent = {0};
    if (n->in_reply_to_id) {
        if (posts_get(c, author_id, n->in_reply_to_id, &parent) != PL_OK)
            return app_fail(c, PL_ENOTFOUND, "The post you are replying to does not exist");
        if (parent.reblog_of_id) return app_fail(c, PL_EINVAL, "You cannot reply to a boost");
    }
    int visibility = n->visibility >= 0 ? n->visibility : author->default_privacy;
    if (parent.id) visibility = reply_visibility(&parent, n->visibility, visibility);
    int64_t channel_id = 0;
    if ((rc = channels_place_post(c, author_id, n->channel_id, parent.id ? &parent : NULL,
                                  r.mention_ids, r.n_mentions, &visibility, &channel_id)))
        return rc;
    int64_t ticket_id = n->ticket_id;
    if (!ticket_id &&
        (rc = tickets_place_post(c, author_id, parent.id ? &parent : NULL, n->visibility,
                                 &visibility, &channel_id, &ticket_id)))
        return rc;
    if (!ticket_id && (visibility == VIS_TICKET || visibility == VIS_INTERNAL))
        return app_fail(c, PL_EINVAL,
                        "Validation failed: only a reply in a ticket's thread can be for the "
                        "ticket or internal");
    /* a ticket's own audiences are in no channel (a help desk's thread included): a channel's
     * readers are not the ticket's */
    if (visibility == VIS_TICKET || visibility == VIS_INTERNAL) channel_id = 0;
    if (visibility == VIS_LIST) {
        pl_list l;
        if (lists_get(c, author_id, n->list_id, &l) != PL_OK)
            return app_fail(c, PL_EINVAL,
                            "Validation failed: the list to share with is not one "
                            "of your lists");
    }
    pl_status s = {
        .id = app_new_id(c),
        .account_id = author_id,
        .in_reply_to_id = n->in_reply_to_id,
        .in_reply_to_account_id = n->in_reply_to_id ? parent.account_id : 0,
        .visibility = visibility,
        .text = n->text,
        .content = r.html,
        .spoiler_text = n->spoiler_text ? n->spoiler_text : "",
        .sensitive = n->sensitive >= 0 ? n->sensitive : author->default_sensitive,
        .language = n->language ? n->language : author->default_language,
        .app_id = n->app_id,
        .mentions_count = r.n_mentions,
        .tags_count = r.n_tags,
        .created_at = c->now,
        .poll_id = n->poll ? app_new_id(c) : 0,
        .channel_id = channel_id,
        .audience_list_id = visibility == VIS_LIST ? n->list_id : 0,
        .content_type = content_type,
        .plain_text = r.plain,
    };
    if (s.spoiler_text[0]) s.sensitive = true;
    rc = store_status_insert(c->db, &s);
    if (!rc && ticket_id) rc = tickets_post_record(c, &s, ticket_id, n->is_system);
    if (!rc && n->poll) rc = polls_insert(c, &s, n->poll);
    if (!rc && n->n_media) rc = attachments_attach(c, author_id, s.id, n->media_ids, n->n_media);
    if (!rc) rc = write_entities(c, s.id, &r);
    if (!rc) rc = store_account_add_counts(c->db, author_id, 0, 0, 1);
    if (!rc) rc = store_account_touch_status(c->db, author_id, c->now);
    /* the channel's last post: the home feed's merge asks only channels with news */
    if (!rc && channel_id) rc = store_account_add_counts(c->db, channel_id, 0, 0, 1);
    if (!rc && channel_id) rc = store_account_touch_status(c->db, channel_id, c->now);
    if (!rc && parent.id) rc = store_status_add_counts(c->db, parent.id, 1, 0, 0);
    if (!rc) rc = deliver(c, author, &s, &r);
    for (int i = 0; i < r.n_mentions && !rc; i++) {
        const pl_account *m = app_account(c, r.mention_ids[i]);
        if (m && !m->is_group && audience_can_see(c, m->id, &s)) /* a channel reads nothing */
            rc = notify_push(c, m->id, author_id, "mention", s.id);
    }
    if (!rc && ticket_id)
        rc = tickets_post_written(c, &s, ticket_id, n->is_system, r.mention_ids, r.n_mentions);
    if (!rc && !ticket_id && channel_id && !parent.id) rc = tickets_post_in_channel(c, &s);
    if (!rc) rc = conversations_add_status(c, &s, r.mention_ids, r.n_mentions);
    if (!rc && n->idempotency_key && *n->idempotency_key)
        rc = store_idempotency_put(c->db, author_id, n->idempotency_key, s.id, c->now);
    if (!rc) rc = audit_post(c, "post.create", &s);
    if (!rc) *id = s.id;
    return rc;
}

int posts_get(app_ctx *c, int64_t viewer, int64_t id, pl_status *out)
{
    const pl_status *s = app_status(c, id);
    /* a suspended author's posts are hidden with them (app_account: none) */
    if (!s || !audience_can_see(c, viewer, s) || !app_account(c, s->account_id))
        return app_fail(c, PL_ENOTFOUND, "Record not found");
    *out = *s;
    return PL_OK;
}

int posts_edit(app_ctx *c, int64_t author, int64_t id, const posts_new *n)
{
    pl_status s;
    int rc = posts_get(c, author, id, &s);
    if (rc) return rc;
    if (s.account_id != author || s.reblog_of_id)
        return app_fail(c, PL_EFORBIDDEN, "This action is not allowed");
    render_out r;
    int content_type;
    if ((rc = content_type_of(c, n, s.content_type, &content_type))) return rc;
    posts_new keeping = *n; /* files alone make a post: an edit that keeps them may blank it */
    pl_attachment *files;
    if (!n->has_media && attachments_of_status(c, id, &files, &keeping.n_media))
        keeping.n_media = 0;
    if ((rc = check_text(c, &keeping, content_type, &r, true))) return rc;
    if (n->poll && (rc = polls_check(c, n->poll))) return rc;
    int edits;
    pl_status_edit *hist;
    if ((rc = store_status_edits(c->db, id, c->a, &hist, &edits))) return rc;
    if (edits == 0) {
        pl_status_edit orig = {app_new_id(c), id,           s.text, s.content, s.spoiler_text,
                               s.sensitive,   s.created_at, NULL,   0};
        pl_poll was;
        if (s.poll_id && store_poll_get(c->db, s.poll_id, c->a, &was) == PL_OK) {
            orig.poll_options = was.titles;
            orig.n_poll_options = was.n_options;
        }
        if ((rc = store_status_edit_insert(c->db, &orig))) return rc;
    }
    if ((rc = polls_edit(c, &s, n->poll))) return rc;
    if (n->has_media && (rc = attachments_edit(c, author, id, n->media_ids, n->n_media))) return rc;
    s.text = n->text;
    s.content = r.html;
    s.content_type = content_type;
    s.plain_text = r.plain;
    s.spoiler_text = n->spoiler_text ? n->spoiler_text : "";
    if (n->sensitive >= 0) s.sensitive = n->sensitive;
    if (s.spoiler_text[0]) s.sensitive = true;
    if (n->language) s.language = n->language;
    s.edited_at = c->now;
    s.mentions_count = r.n_mentions;
    s.tags_count = r.n_tags;
    pl_status_edit now = {app_new_id(c),
                          id,
                          s.text,
                          s.content,
                          s.spoiler_text,
                          s.sensitive,
                          c->now,
                          n->poll ? (const char **)n->poll->options : NULL,
                          n->poll ? n->poll->n_options : 0};
    if ((rc = store_status_edit_insert(c->db, &now))) return rc;
    int64_t *was_mentioned = NULL;
    int n_was = 0;
    if (s.visibility == VIS_DIRECT &&
        (rc = store_status_mentions(c->db, id, c->a, &was_mentioned, &n_was)))
        return rc;
    if ((rc = store_status_update(c->db, &s))) return rc;
    if ((rc = store_status_mentions_clear(c->db, id))) return rc;
    if ((rc = store_status_tags_clear(c->db, id))) return rc;
    if ((rc = write_entities(c, id, &r))) return rc;
    if ((rc = conversations_edit_status(c, &s, was_mentioned, n_was, r.mention_ids, r.n_mentions)))
        return rc;
    /* those who boosted it hear that it changed (Mastodon's "update") */
    int64_t *reblogs;
    int nr;
    if ((rc = store_status_reblogs(c->db, id, c->a, &reblogs, &nr))) return rc;
    for (int i = 0; i < nr && !rc; i++) {
        pl_status rb;
        if (store_status_get(c->db, reblogs[i], c->a, &rb) == PL_OK)
            rc = notify_push(c, rb.account_id, author, "update", id);
    }
    return rc ? rc : audit_post(c, "post.edit", &s);
}

static int delete_one(app_ctx *c, const pl_status *s)
{
    int rc = store_status_delete_queued(c->db, s->id, feeds_rows_now(c), c->now);
    if (!rc) rc = store_notifications_delete_status(c->db, s->id);
    if (!rc) rc = store_account_add_counts(c->db, s->account_id, 0, 0, -1);
    if (!rc && s->in_reply_to_id) rc = store_status_add_counts(c->db, s->in_reply_to_id, -1, 0, 0);
    if (!rc && s->reblog_of_id) rc = store_status_add_counts(c->db, s->reblog_of_id, 0, -1, 0);
    if (!rc) rc = conversations_remove_status(c, s);
    /* its files go with it, at once: nobody fetches them again */
    if (!rc && !s->reblog_of_id) rc = attachments_delete_of_status(c, s->id);
    return rc;
}

int posts_purge(app_ctx *c, int64_t id, int64_t *posts, int64_t *files)
{
    pl_status s;
    int rc = store_status_get(c->db, id, c->a, &s);
    if (rc == PL_ENOTFOUND) return PL_OK; /* gone meanwhile: nothing to do */
    if (rc) return rc;
    int64_t *reblogs;
    int nr;
    if ((rc = store_status_reblogs(c->db, id, c->a, &reblogs, &nr))) return rc;
    for (int i = 0; i < nr && !rc; i++) {
        pl_status rb;
        if (store_status_get(c->db, reblogs[i], c->a, &rb) != PL_OK) continue;
        if (!(rc = delete_one(c, &rb))) (*posts)++;
    }
    if (rc) return rc;
    if (!s.reblog_of_id) {
        pl_attachment *had;
        int n_had;
        if ((rc = attachments_of_status(c, id, &had, &n_had))) return rc;
        *files += n_had;
    }
    if (!(rc = delete_one(c, &s))) (*posts)++;
    return rc;
}

int posts_delete(app_ctx *c, int64_t actor, int64_t id, pl_status *deleted)
{
    int rc = posts_get(c, actor, id, deleted);
    if (rc) return rc;
    if (deleted->account_id != actor)
        return app_fail(c, PL_EFORBIDDEN, "This action is not allowed");
    int64_t *reblogs;
    int nr;
    if ((rc = store_status_reblogs(c->db, id, c->a, &reblogs, &nr))) return rc;
    for (int i = 0; i < nr && !rc; i++) {
        pl_status rb;
        if (store_status_get(c->db, reblogs[i], c->a, &rb) == PL_OK) rc = delete_one(c, &rb);
    }
    if (!rc) rc = delete_one(c, deleted);
    return rc ? rc : audit_post(c, "post.delete", deleted);
}

int posts_context(app_ctx *c, int64_t viewer, int64_t id, int64_t **anc, int *n_anc, int64_t **desc,
                  int *n_desc)
{
    pl_status s;
    int rc = posts_get(c, viewer, id, &s);
    if (rc) return rc;
    c->filter_context = FILTER_THREAD;
    int64_t *a = arena_alloc(c->a, sizeof *a * MAX_ANCESTORS);
    int na = 0;
    for (int64_t up = s.in_reply_to_id; up && na < MAX_ANCESTORS;) {
        pl_status p;
        if (store_status_get(c->db, up, c->a, &p) != PL_OK) break;
        if (audience_can_see(c, viewer, &p) && !filters_hide(c, viewer, &p, FILTER_THREAD))
            a[na++] = p.id;
        up = p.in_reply_to_id;
    }
    for (int x = 0, y = na - 1; x < y; x++, y--) {
        int64_t t = a[x];
        a[x] = a[y];
        a[y] = t;
    }
    /* depth-first, oldest reply first: the order a thread is read in */
    int64_t *d = arena_alloc(c->a, sizeof *d * MAX_DESCENDANTS);
    int64_t stack[MAX_DESCENDANTS];
    int nd = 0, top = 0;
    stack[top++] = id;
    while (top > 0 && nd < MAX_DESCENDANTS) {
        int64_t cur = stack[--top];
        int64_t *kids;
        int nk;
        if ((rc = store_status_replies(c->db, cur, MAX_DESCENDANTS, c->a, &kids, &nk))) return rc;
        for (int i = nk - 1; i >= 0 && top < MAX_DESCENDANTS; i--) stack[top++] = kids[i];
        if (cur == id) continue;
        pl_status p;
        if (store_status_get(c->db, cur, c->a, &p) == PL_OK && audience_can_see(c, viewer, &p) &&
            !filters_hide(c, viewer, &p, FILTER_THREAD))
            d[nd++] = cur;
    }
    *anc = a;
    *n_anc = na;
    *desc = d;
    *n_desc = nd;
    return PL_OK;
}

int posts_history(app_ctx *c, int64_t viewer, int64_t id, pl_status_edit **out, int *n)
{
    pl_status s;
    int rc = posts_get(c, viewer, id, &s);
    if (rc) return rc;
    return store_status_edits(c->db, id, c->a, out, n);
}

int posts_view(app_ctx *c, int64_t viewer, const pl_status *s, pl_status_view *out)
{
    memset(out, 0, sizeof *out);
    out->st = *s;
    out->account = app_account(c, s->account_id);
    if (!out->account) return PL_ENOTFOUND;
    int rc;
    if (s->reblog_of_id) {
        out->reblog = arena_alloc(c->a, sizeof *out->reblog);
        if ((rc = posts_view_id(c, viewer, s->reblog_of_id, out->reblog))) return rc;
    }
    if (s->poll_id && !s->reblog_of_id) {
        pl_poll_view *pv = arena_alloc(c->a, sizeof *pv);
        if (polls_view(c, viewer, s->poll_id, pv) == PL_OK) out->poll = pv;
    }
    if ((rc = filters_match(c, viewer, s, c->filter_context, &out->filtered, &out->n_filtered)))
        return rc;
    if (viewer && !s->reblog_of_id) {
        struct flag_sets *f = c->flags;
        if (f && f->viewer == viewer && s->id >= f->lo && s->id <= f->hi) {
            out->favourited = in_sorted(&f->fav, s->id);
            out->bookmarked = in_sorted(&f->mark, s->id);
            out->reblogged = in_sorted(&f->reblog, s->id);
        } else {
            out->favourited = store_favourited(c->db, viewer, s->id);
            out->bookmarked = store_bookmarked(c->db, viewer, s->id);
            int64_t rb = 0;
            if (s->reblogs_count) store_status_reblog_by(c->db, s->id, viewer, &rb);
            out->reblogged = rb != 0;
        }
        if (viewer == s->account_id && profile_pinnable(s)) out->pinned = pinned_by_author(c, s);
        out->muted = thread_muted(c, viewer, s);
    }
    return PL_OK;
}

static bool in_sorted(const struct idvec *v, int64_t id)
{
    int lo = 0, hi = v->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (v->ids[mid] == id) return true;
        if (v->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

enum { PREFETCH_MAX = 400 };

void posts_prefetch_flags(app_ctx *c, int64_t viewer, const int64_t *ids, int n)
{
    c->flags = NULL;
    tickets_prefetch(c, ids, n); /* the Status's partyline.ticket, and the audiences' */
    if (!viewer || n == 0) return;
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < n; i++) {
        const pl_status *s = app_status(c, ids[i]);
        if (!s) continue;
        int64_t id = s->reblog_of_id ? s->reblog_of_id : s->id;
        if (id < lo) lo = id;
        if (id > hi) hi = id;
    }
    if (hi == 0) return;
    struct flag_sets *f = arena_alloc(c->a, sizeof *f);
    f->viewer = viewer;
    f->lo = lo;
    f->hi = hi;
    /* store_* return ids in ascending order; a range with too many rows is left to the
     * one-by-one path (c->flags stays NULL) */
    pl_idsets sets;
    if (store_viewer_flags(c->db, viewer, lo, hi, PREFETCH_MAX, c->a, &sets)) return;
    f->fav = (struct idvec){sets.ids[0], sets.n[0]};
    f->mark = (struct idvec){sets.ids[1], sets.n[1]};
    f->reblog = (struct idvec){sets.ids[2], sets.n[2]};
    f->thread_mutes = -1;
    c->flags = f;
}

int posts_view_details(app_ctx *c, pl_status_view *v)
{
    const pl_status *s = &v->st;
    int rc;
    if (s->mentions_count) {
        int64_t *ids;
        int n;
        if ((rc = store_status_mentions(c->db, s->id, c->a, &ids, &n))) return rc;
        v->mentions = arena_alloc(c->a, sizeof *v->mentions * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            const pl_account *m = app_account(c, ids[i]);
            if (m) v->mentions[v->n_mentions++] = m;
        }
    }
    if (s->tags_count && (rc = store_status_tags(c->db, s->id, c->a, &v->tags, &v->n_tags)))
        return rc;
    if (s->app_id) {
        pl_app app;
        if (store_app_get(c->db, s->app_id, c->a, &app) == PL_OK) {
            v->app_name = app.name;
            v->app_website = app.website;
        }
    }
    return PL_OK;
}

int posts_view_id(app_ctx *c, int64_t viewer, int64_t id, pl_status_view *out)
{
    const pl_status *s = app_status(c, id);
    return s ? posts_view(c, viewer, s, out) : PL_ENOTFOUND;
}
