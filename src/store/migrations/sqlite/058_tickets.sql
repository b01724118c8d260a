-- 058_tickets.sql — tickets (issue 16, C13; docs/ARCHITECTURE.md "Tickets"): a ticket is a thread.
-- Its root is a post (root_status_id, one ticket per post); its comments are replies. state and
-- priority are small numbers (app/tickets.h enum pl_ticket_state, pl_ticket_priority); a ticket
-- is never deleted with its root: the root's deletion leaves the ticket and its history.
CREATE TABLE tickets (
    id BIGINT PRIMARY KEY,
    root_status_id BIGINT NOT NULL UNIQUE,
    requester_id BIGINT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 1,
    assignee_id BIGINT,
    team TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT
);
CREATE INDEX tickets_state ON tickets (state, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_requester ON tickets (requester_id, id);
-- Every post of a ticket's thread written since it became one (its root included), with the
-- ticket it belongs to: how a ticket or internal audience (statuses.visibility 6 and 7,
-- store/visibility.h) finds its ticket, and which of them are system entries (a state or
-- assignment change, written by the server in the change's transaction).
CREATE TABLE ticket_posts (
    status_id BIGINT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    is_system INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_posts_ticket ON ticket_posts (ticket_id, status_id);
-- Who follows a ticket (its requester and assignee at once; anyone who may see it by asking):
-- told of every reply in its thread.
CREATE TABLE ticket_followers (
    ticket_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, account_id)
);
CREATE INDEX ticket_followers_account ON ticket_followers (account_id, ticket_id);
-- The service team: a row says whether a person is on it (administrators are, without a row)
-- and the team's name within it (NULL: none).
CREATE TABLE service_team (
    account_id BIGINT PRIMARY KEY,
    on_team INTEGER NOT NULL,
    team TEXT,
    set_by BIGINT,
    set_at BIGINT NOT NULL
);
CREATE INDEX tickets_created ON tickets (created_at);
-- Channels marked as help desks (by their owner or an administrator): every new top-level post
-- in one opens a ticket.
CREATE TABLE help_desk_channels (
    channel_id BIGINT PRIMARY KEY,
    set_by BIGINT,
    set_at BIGINT NOT NULL
);
-- The SLA's warnings and breaches told, each once (app/tickets.c, the background check): the
-- time each was told, NULL while not.
ALTER TABLE tickets ADD COLUMN response_warned_at BIGINT;
ALTER TABLE tickets ADD COLUMN response_breached_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_warned_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_breached_at BIGINT;
