/**
 * entities.h — Mastodon's entities written as JSON: Account, Status, Relationship,
 * Notification, StatusEdit, Poll, Filter, FilterKeyword, FilterStatus, FilterResult. Field names
 * and shapes follow docs.joinmastodon.org/entities.
 */
#ifndef PL_ENTITIES_H
#define PL_ENTITIES_H

#include "api/api.h"
#include "app/attachments.h"
#include "app/audit.h"
#include "app/posts.h"
#include "app/top.h"

/** An Account; with_source adds "source" (verify_credentials / update_credentials). */
void ent_account(api_call *c, jw *w, const pl_account *a, bool with_source);
/** Writes a Ticket (docs/api.md "Tickets"); following: whether the viewer follows it (0 or 1),
 *  written by the answers about one ticket, or -1 to leave it out (the list). */
void ent_ticket(api_call *c, jw *w, const pl_ticket *t, int following);
/** Writes the Report entity of report id for the viewer (mastodon/reports.c), or null when it
 *  is gone or the viewer is no longer staff (an admin.report notification's `report`). */
void ent_report_id(api_call *c, jw *w, int64_t id);
/** Writes a Role entity for a PL_ROLE_* (Mastodon's default roles: Admin, Moderator, none). */
void ent_role(jw *w, int role);
/** A Status for the call's viewer. */
void ent_status(api_call *c, jw *w, const pl_status_view *v);
/** A Poll; voted and own_votes only for a signed-in viewer. */
void ent_poll(api_call *c, jw *w, const pl_poll_view *v);
/** A MediaAttachment, its url and preview_url signed for the viewer `viewer` (0: signed out):
 *  never cache what this writes (app/attachments.h). */
void ent_attachment(api_call *c, jw *w, const pl_attachment *m, int64_t viewer);
/** Loads, assembles and writes statuses by id (skipping any that vanished), as an array. */
void ent_statuses(api_call *c, jw *w, const int64_t *ids, int n);
/**
 * Writes ranked statuses (items[0..n), in that order, skipping any that vanished) as an
 * array; with a formula (explain), each carries partyline.score.
 */
void ent_statuses_scored(api_call *c, jw *w, const top_item *items, int n, const char *formula);
/** Writes accounts by id as an array (skipping any that vanished). */
void ent_accounts(api_call *c, jw *w, const int64_t *ids, int n);
void ent_relationship(jw *w, const pl_relationship *r);
/** A Filter; with_children adds "keywords" and "statuses" (left out inside a FilterResult). */
void ent_filter(jw *w, const pl_filter *f, bool with_children);
void ent_filter_keyword(jw *w, const pl_filter_keyword *k);
void ent_filter_status(jw *w, const pl_filter_status *s);
/** A FilterResult (the "filtered" of a Status). */
void ent_filter_result(api_call *c, jw *w, const filters_result *r);
/** "home", "notifications", "public", "thread", "account" as its enum pl_filter_context bit;
 *  -1 if unknown. */
int filter_context_parse(const char *s);
/** "warn", "hide", "blur" as enum pl_filter_action; -1 if unknown. */
int filter_action_parse(const char *s);
void ent_notification(api_call *c, jw *w, const pl_notification *n);
/** Writes one status by id as the whole response, or fails with 404. */
void ent_status_response(api_call *c, int64_t id);

/** company, list, or Mastodon's visibility names (the partyline.audience of a Status). */
const char *audience_name(int v);
const char *visibility_name(int v);
/** Parses "public", "unlisted", "private", "direct"; -1 if unknown. */
int visibility_parse(const char *s);

/** An audit log row (docs/api.md "Audit log"): the API's entity and each line of
 *  `partyline admin audit export`. */
void ent_audit_row(jw *w, const pl_audit_row *r);

/** Listening's Alert (docs/api.md "Listening"; api/partyline/watches.c) of watch x; with
 *  "statuses" (statuses[0..n)) when statuses is not NULL. */
struct pl_watch_alert;
struct pl_watch;
void ent_watch_alert(api_call *c, jw *w, const struct pl_watch_alert *al, const struct pl_watch *x,
                     const int64_t *statuses, int n);

/** A Conversation (one participant's row) for its owner, c->viewer. */
struct conversation_view;
void ent_conversation(api_call *c, jw *w, const struct conversation_view *v);

#endif
