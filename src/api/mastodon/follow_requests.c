/*
 * follow_requests.c — /api/v1/follow_requests: who asked to follow a locked account, and
 * its answer. docs.joinmastodon.org/methods/follow_requests
 */
#include <string.h>

#include "api/handlers.h"
#include "app/graph.h"

static void index_(api_call *c)
{
    pl_page p;
    api_page(c, &p, 40, 80);
    pl_idlist l;
    if (failed(c, graph_follow_requests(c->app, c->viewer->id, &p, &l))) return;
    accounts_page(c, &l, &p);
}

/* The answer is the relationship with the one who asked. */
static void decide(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    bool accept = strstr(c->req->path, "/authorize") != NULL;
    if (failed(c, accept ? graph_authorize(c->app, c->viewer->id, id)
                         : graph_reject(c->app, c->viewer->id, id)))
        return;
    pl_relationship r;
    if (failed(c, graph_relationship(c->app, c->viewer->id, id, &r))) return;
    jw w;
    api_json(c, &w);
    ent_relationship(&w, &r);
}

const api_route api_routes_follow_requests[] = {
    {M_GET, "/api/v1/follow_requests", index_, EXEC_READ, AUTH_USER, "read:follows"},
    {M_POST, "/api/v1/follow_requests/:id/authorize", decide, EXEC_WRITE, AUTH_USER,
     "write:follows"},
    {M_POST, "/api/v1/follow_requests/:id/reject", decide, EXEC_WRITE, AUTH_USER, "write:follows"},
    {0},
};
