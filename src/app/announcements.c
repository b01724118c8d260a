/*
 * announcements.c — the rules of company announcements (see announcements.h).
 *
 * Whether an announcement is running depends on the clock reading of the request (c->now),
 * so the same question is asked the same way on every path: listing, dismissing and reacting
 * all go through running(), and what is not running is "not found" — a scheduled
 * announcement cannot be discovered by guessing its id. Text is stored as the administrator
 * wrote it and rendered when shown, by the renderer posts use (render.c), so mentions link to
 * the accounts as they are when read.
 */
#include "app/announcements.h"
#include "app/audit.h"

#include <string.h>

#include "util/emoji.h"
#include "util/text.h"

static int need_admin(app_ctx *c, const pl_account *by)
{
    if (by && !by->is_admin)
        return app_fail(c, PL_EFORBIDDEN, "This action is allowed only to administrators");
    return PL_OK;
}

static int check_new(app_ctx *c, const announcement_new *n)
{
    const char *t = n->text ? n->text : "";
    while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r') t++;
    if (!*t) return app_fail(c, PL_EINVAL, "Validation failed: Text can't be blank");
    render_out r;
    int rc = render_text(c, n->text, &r);
    if (rc) return app_fail(c, PL_EINVAL, "Validation failed: Text is not valid UTF-8");
    if (r.chars > (size_t)c->cfg->max_announcement_characters)
        return app_fail(c, PL_EINVAL,
                        "Validation failed: Text is too long (maximum is %d characters)",
                        c->cfg->max_announcement_characters);
    if (n->ends_at && n->ends_at <= c->now)
        return app_fail(c, PL_EINVAL, "Validation failed: Ends at must be in the future");
    if (n->starts_at && n->ends_at && n->ends_at <= n->starts_at)
        return app_fail(c, PL_EINVAL, "Validation failed: Ends at must be after Starts at");
    if (n->all_day && !(n->starts_at && n->ends_at))
        return app_fail(c, PL_EINVAL,
                        "Validation failed: All day needs both Starts at and Ends at");
    return PL_OK;
}

/* An announcement's audit row: by an administrator (by), or the command line (no actor). */
static int audit_announcement(app_ctx *c, const char *action, const pl_account *by, int64_t id)
{
    return audit_record(
        c, &(audit_entry){.action = action,
                          .actor_id = by ? by->id : 0,
                          .no_actor = !by,
                          .target_kind = "announcement",
                          .target_id = id,
                          .audience = AUDIT_VIS(PL_VIS_COMPANY),
                          .detail = {AUDIT_STR("by", by ? "admin_api" : "admin_cli")}});
}

int announcements_create(app_ctx *c, const pl_account *by, const announcement_new *n,
                         pl_announcement *out)
{
    int rc = need_admin(c, by);
    if (!rc) rc = check_new(c, n);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    int64_t unended = 0;
    rc = store_announcements_unended(c->db, c->now, &unended);
    if (!rc && unended >= c->cfg->max_announcements)
        rc = app_fail(c, PL_ELIMIT,
                      "There cannot be more than %d announcements running or scheduled: "
                      "delete one first",
                      c->cfg->max_announcements);
    if (!rc) {
        *out = (pl_announcement){
            .id = app_new_id(c),
            .text = arena_strdup(c->a, n->text),
            .starts_at = n->starts_at,
            .ends_at = n->ends_at,
            .all_day = n->all_day,
            .published_at = n->starts_at > c->now ? n->starts_at : c->now,
            .created_by = by ? by->id : 0,
            .created_at = c->now,
            .updated_at = c->now,
        };
        rc = store_announcement_insert(c->db, out);
    }
    if (!rc) rc = audit_announcement(c, "admin.announce", by, out->id);
    return app_txn_end(c, rc);
}

int announcements_delete(app_ctx *c, const pl_account *by, int64_t id)
{
    int rc = need_admin(c, by);
    if (rc) return rc;
    if ((rc = app_txn_begin(c))) return rc;
    rc = store_announcement_delete(c->db, id);
    if (rc == PL_ENOTFOUND) app_fail(c, rc, "Record not found");
    if (!rc) rc = audit_announcement(c, "admin.announcement_delete", by, id);
    return app_txn_end(c, rc);
}

int announcements_all(app_ctx *c, const pl_account *by, int limit, pl_announcement **out, int *n)
{
    int rc = need_admin(c, by);
    return rc ? rc : store_announcements_all(c->db, limit, c->a, out, n);
}

int announcements_running(app_ctx *c, int64_t viewer, bool with_dismissed, pl_announcement **out,
                          int *n)
{
    return store_announcements_running(c->db, c->now, with_dismissed ? 0 : viewer, c->a, out, n);
}

/* PL_OK if the announcement is running now, PL_ENOTFOUND (with Mastodon's message) if not. */
static int running(app_ctx *c, int64_t id)
{
    pl_announcement an;
    int rc = store_announcement_get(c->db, id, c->a, &an);
    if (rc == PL_OK && (an.published_at > c->now || (an.ends_at && an.ends_at <= c->now)))
        rc = PL_ENOTFOUND;
    if (rc == PL_ENOTFOUND) app_fail(c, rc, "Record not found");
    return rc;
}

int announcements_dismiss(app_ctx *c, int64_t viewer, int64_t id)
{
    int rc = running(c, id);
    return rc ? rc : store_announcement_dismiss(c->db, id, viewer, c->now);
}

int announcements_react(app_ctx *c, int64_t viewer, int64_t id, const char *name, bool add)
{
    int rc = running(c, id);
    if (rc) return rc;
    if (!add) {
        rc = store_announcement_unreact(c->db, id, viewer, name);
        if (rc == PL_ENOTFOUND) app_fail(c, rc, "Record not found");
        return rc;
    }
    if (!name || !emoji_is_unicode(name, strlen(name)))
        return app_fail(c, PL_EINVAL, "Validation failed: Name is not a recognized emoji");
    int64_t others = 0;
    if ((rc = store_announcement_other_names(c->db, id, name, &others))) return rc;
    /* counting the others: one already used may always be used again (Mastodon's rule), and
     * with at most ANNOUNCEMENT_MAX_EMOJI in use, this many others means name is a new one */
    if (others >= ANNOUNCEMENT_MAX_EMOJI)
        return app_fail(c, PL_ELIMIT,
                        "Validation failed: Maximum number of different reactions reached (%d)",
                        ANNOUNCEMENT_MAX_EMOJI);
    return store_announcement_react(c->db, id, viewer, name, c->now);
}

bool announcements_read(app_ctx *c, int64_t viewer, int64_t id)
{
    return viewer && store_announcement_dismissed(c->db, id, viewer);
}

int announcements_render(app_ctx *c, const pl_announcement *an, render_out *out)
{
    return render_text(c, an->text, out);
}

int announcements_reactions(app_ctx *c, int64_t viewer, int64_t id, pl_reaction **out, int *n)
{
    return store_announcement_reactions(c->db, id, viewer, c->a, out, n);
}

int announcements_get(app_ctx *c, int64_t id, pl_announcement *out)
{
    return store_announcement_get(c->db, id, c->a, out);
}

int announcements_reaction_of(app_ctx *c, int64_t id, int64_t slot, const char **name,
                              int64_t *count)
{
    return store_announcement_emoji(c->db, id, slot, c->a, name, count);
}
