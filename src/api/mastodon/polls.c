/*
 * polls.c — /api/v1/polls/…: view a poll and vote on it.
 * docs.joinmastodon.org/methods/polls
 *
 * A poll is reached through its status's audience: a poll on a status the caller may not
 * see is 404, for reading and for voting alike.
 */
#include <stdlib.h>

#include "api/handlers.h"
#include "app/polls.h"

static void poll_response(api_call *c, int64_t id)
{
    pl_poll_view v;
    if (failed(c, polls_get(c->app, viewer_id(c), id, &v))) return;
    jw w;
    api_json(c, &w);
    ent_poll(c, &w, &v);
}

static void poll_get(api_call *c)
{
    if (!may_read(c)) return;
    int64_t id = need_path_id(c);
    if (!id) return;
    poll_response(c, id);
}

/* choices[]: option indexes, as numbers or digit strings; -1 for anything else (which the
 * app layer refuses as an invalid choice). */
static void poll_vote(api_call *c)
{
    int64_t id = need_path_id(c);
    if (!id) return;
    json_t *arr = p_arr(c, "choices");
    size_t n = arr ? json_array_size(arr) : 0;
    if (n > 1000) {
        api_error(c, 422, "Validation failed: Too many choices");
        return;
    }
    int64_t *choices = arena_alloc(c->app->a, sizeof *choices * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        const char *t = json_string_value(x);
        char *end;
        if (json_is_integer(x))
            choices[i] = json_integer_value(x);
        else if (t && *t && (choices[i] = strtoll(t, &end, 10), !*end))
            ;
        else
            choices[i] = -1;
    }
    if (failed(c, polls_vote(c->app, c->viewer->id, id, choices, (int)n))) return;
    poll_response(c, id);
}

const api_route api_routes_polls[] = {
    {M_GET, "/api/v1/polls/:id", poll_get, EXEC_READ, AUTH_OPTIONAL, "read:statuses"},
    {M_POST, "/api/v1/polls/:id/votes", poll_vote, EXEC_WRITE, AUTH_USER, "write:statuses"},
    {0},
};
