/*
 * offboard.c — off-boarding through the API (issue 14; docs/api.md "Off-boarding"):
 *
 *   POST /api/v1/partyline/admin/accounts/:id/offboard   {"transfer_to": id, "wipe": bool}
 *                                                        administrators
 *
 * The rules are app/offboard.c's; the command line's `partyline admin offboard` is the same act.
 */
#include "api/handlers.h"
#include "app/offboard.h"

static void offboard(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    int64_t heir = 0;
    const char *to = p_str(c, "transfer_to");
    if (to && *to && !(id_parse(to, &heir) && heir > 0)) {
        api_error(c, 422, "transfer_to must be an account id");
        return;
    }
    int wipe = p_bool(c, "wipe", 0);
    if (wipe == -2) {
        api_error(c, 422, "wipe must be true or false");
        return;
    }
    offboard_report out;
    if (failed(c, offboard_account(c->app,
                                   &(offboard_req){.actor = c->viewer,
                                                   .account_id = id,
                                                   .transfer_to = heir,
                                                   .wipe = wipe == 1},
                                   &out)))
        return;
    jw w;
    api_json(c, &w);
    jw_obj(&w);
    jw_kid(&w, "account_id", id);
    jw_kint(&w, "tokens", out.tokens);
    jw_kint(&w, "follow_requests", out.follow_requests);
    jw_kint(&w, "list_memberships", out.list_memberships);
    jw_kint(&w, "channels", out.channels);
    /* the wipe goes on in the background: the audit log's admin.offboard_wipe says when done */
    jw_kstr(&w, "wipe", wipe == 1 ? "asked" : NULL);
    jw_obj_end(&w);
}

const api_route api_routes_offboard[] = {
    {M_POST, "/api/v1/partyline/admin/accounts/:id/offboard", offboard, EXEC_WRITE, AUTH_USER,
     "admin:write:accounts"},
    {0},
};
