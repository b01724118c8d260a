// tickets.test.mjs — issue 16, Tickets (C13): a ticket is a thread (src/app/tickets.c,
// docs/api.md "Tickets"). Its root is a post, its comments are replies any Mastodon app writes,
// its changes are system entries in the same thread, its work notes are the service team's
// alone; the Status of its root carries partyline.ticket. Runs on both databases.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, expectHttpError, parseLink, passwordLogin, raw, registerUsers, startServer,
  uniqueName
} from './harness.mjs';

const T = '/api/v1/partyline/tickets';

async function call(url, token, method, p, json, status = 200) {
  const r = await raw(url, p, { method, token, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

/** An administrator made on the command line (on the service team by default). */
async function makeAdmin(server) {
  const username = uniqueName('adm');
  const made = await adminCli(server, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const scopes = `${ALL_SCOPES} admin:read admin:write`;
  const app = await createApp(server.url, { scopes });
  return (await passwordLogin(server.url, app, username, 'long enough pw', scopes)).accessToken;
}

const ticketOf = (s) => s.partyline?.ticket;

/** A server-sent-events stream's messages as they come ({event, data}), with a deadline-bound
 *  wait for one that matches. */
async function sse(url, pathname, token) {
  const ac = new AbortController();
  const res = await fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const st = { messages: [], text: '', close: () => ac.abort() };
  (async () => {
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        st.text += dec.decode(chunk, { stream: true });
        let i;
        while ((i = st.text.indexOf('\n\n')) >= 0) {
          const block = st.text.slice(0, i);
          st.text = st.text.slice(i + 2);
          const ev = block.match(/^event: (.*)$/m);
          const data = block.match(/^data: (.*)$/m);
          if (ev && data) st.messages.push({ event: ev[1], data: JSON.parse(data[1]) });
        }
      }
    } catch {
      // aborted
    }
  })();
  st.waitFor = async (pred, what) => {
    const end = Date.now() + 10_000;
    for (;;) {
      const hit = st.messages.find(pred);
      if (hit) return hit;
      assert.ok(Date.now() < end, `no ${what} on the stream`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return st;
}

describe('tickets', () => {
  let srv, admin, agent, asker, stranger, other;
  before(async () => {
    srv = await startServer();
    admin = await makeAdmin(srv);
    [agent, asker, stranger, other] = await registerUsers(srv.url, ['ag', 'rq', 'st', 'ot']);
    const out = await adminCli(srv, ['set-service', '--username', agent.username, '--team', 'network']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /on the service team/);
  });
  after(async () => srv?.stop());

  test('a form ticket: its root is for the requester and the team; changes are system entries; replies from any app stay in the ticket', async () => {
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'VPN drops', text: 'Every hour since Monday.' });
    assert.equal(t.state, 'new');
    assert.equal(t.priority, 'normal');
    assert.equal(t.requester.id, asker.account.id);
    assert.equal(t.assignee, null);
    assert.equal(t.team, null);
    assert.equal(t.following, true, 'the requester follows it');
    assert.equal(t.title, 'VPN drops', "a form ticket's title");

    // the root is a post of the ticket's audience: Mastodon apps see "private"
    const root = await asker.client.v1.statuses.$select(t.status_id).fetch();
    assert.equal(root.visibility, 'private');
    assert.equal(root.partyline.audience, 'ticket');
    assert.match(root.content, /VPN drops/);
    assert.deepEqual(ticketOf(root), { id: t.id, state: 'new', priority: 'normal', assignee: null, team: null });
    // the team sees it, nobody else does
    assert.equal(ticketOf(await agent.client.v1.statuses.$select(t.status_id).fetch()).id, t.id);
    await expectHttpError(stranger.client.v1.statuses.$select(t.status_id).fetch(), 404);
    await call(srv.url, stranger.token, 'GET', `${T}/${t.id}`, undefined, 404);
    await call(srv.url, stranger.token, 'PATCH', `${T}/${t.id}`, { state: 'closed' }, 404);

    // the requester may not work it
    const refused = await call(srv.url, asker.token, 'PATCH', `${T}/${t.id}`, { state: 'in_progress' }, 403);
    assert.match(refused.error, /service team/);

    // the team does: one change, one system entry in the thread, by the person who acted
    const changed = await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`,
      { state: 'in_progress', priority: 'high', assignee_id: agent.account.id, team: 'network' });
    assert.equal(changed.state, 'in_progress');
    assert.equal(changed.priority, 'high');
    assert.equal(changed.assignee.id, agent.account.id);
    assert.equal(changed.team, 'network');
    const ctx = await asker.client.v1.statuses.$select(t.status_id).context.fetch();
    assert.equal(ctx.descendants.length, 1);
    const entry = ctx.descendants[0];
    assert.equal(entry.account.id, agent.account.id);
    assert.equal(entry.partyline.system, true);
    assert.equal(entry.partyline.audience, 'ticket');
    assert.match(entry.content, /State: new → in_progress\. Priority: normal → high\./);
    const rootNow = await asker.client.v1.statuses.$select(t.status_id).fetch();
    assert.equal(ticketOf(rootNow).state, 'in_progress');
    assert.equal(ticketOf(rootNow).assignee.id, agent.account.id);
    // the requester follows the ticket: told of the change as Mastodon's "status" notification
    const notes = await asker.client.v1.notifications.list({ types: ['status'] });
    assert.ok(notes.some((n) => n.status?.id === entry.id), 'the requester heard of the change');

    // moves the table does not have are refused, saying which
    const bad = await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { state: 'new' }, 422);
    assert.match(bad.error, /cannot move from in_progress to new/);
    assert.match((await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { state: 'done' }, 422)).error, /state must be one of/);
    assert.match((await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { priority: 'asap' }, 422)).error, /priority must be one of/);
    const notTeam = await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { assignee_id: stranger.account.id }, 422);
    assert.match(notTeam.error, /assignee must be on the service team/);
    assert.equal((await call(srv.url, agent.token, 'GET', `${T}/${t.id}`)).state, 'in_progress', 'nothing half-written');

    // a comment from a plain Mastodon reply, sent "private" as apps do: it stays in the ticket
    const comment = await asker.client.v1.statuses.create({ status: 'Still dropping.', inReplyToId: t.status_id, visibility: 'private' });
    assert.equal(comment.partyline.audience, 'ticket');
    assert.equal(comment.partyline.ticket_id ?? comment.partyline.ticketId, t.id);
    await expectHttpError(stranger.client.v1.statuses.$select(comment.id).fetch(), 404);
    // the assignee follows the ticket and hears of it
    const agentNotes = await agent.client.v1.notifications.list({ types: ['status'] });
    assert.ok(agentNotes.some((n) => n.status?.id === comment.id), 'the assignee heard of the comment');
    // the team's answer is the first response
    await agent.client.v1.statuses.create({ status: 'Looking at the tunnel logs.', inReplyToId: comment.id });
    const answered = await call(srv.url, asker.token, 'GET', `${T}/${t.id}`);
    assert.ok(answered.first_response_at, 'the first response is recorded');

    // a work note: the team only
    const note = await agent.client.v1.statuses.create({ status: 'Suspect the old firewall rule.', inReplyToId: t.status_id, visibility: 'internal' });
    assert.equal(note.partyline.audience, 'internal');
    await expectHttpError(asker.client.v1.statuses.$select(note.id).fetch(), 404);
    const askerCtx = await asker.client.v1.statuses.$select(t.status_id).context.fetch();
    assert.ok(!askerCtx.descendants.some((s) => s.id === note.id), 'the requester does not see the note in the thread');
    const adminSees = await raw(srv.url, `/api/v1/statuses/${note.id}`, { token: admin });
    assert.equal(adminSees.status, 200, 'an administrator is on the team');
    // search finds it for the team only
    const found = async (who) => (await who.client.v2.search.list({ q: 'firewall', type: 'statuses' })).statuses.map((x) => x.id);
    assert.ok(!(await found(asker)).includes(note.id), 'the requester does not find the note');
    assert.ok(!(await found(stranger)).includes(note.id), 'nor does anyone else');
    assert.ok((await found(agent)).includes(note.id), 'its author finds it');
    // a reply to a note stays a note
    const onNote = await agent.client.v1.statuses.create({ status: 'Confirmed.', inReplyToId: note.id, visibility: 'private' });
    assert.equal(onNote.partyline.audience, 'internal');
    // nobody outside the team writes one
    await expectHttpError(asker.client.v1.statuses.create({ status: 'me too', inReplyToId: t.status_id, visibility: 'internal' }), 403, /service team/);
    // nor is a ticket or internal audience for a post outside a ticket's thread
    await expectHttpError(agent.client.v1.statuses.create({ status: 'hm', visibility: 'internal' }), 422, /ticket's thread/);

    // resolved, then reopened by its requester (and nothing else by them)
    await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { state: 'resolved' });
    assert.match((await call(srv.url, asker.token, 'PATCH', `${T}/${t.id}`, { state: 'closed' }, 403)).error, /reopen/);
    const reopened = await call(srv.url, asker.token, 'PATCH', `${T}/${t.id}`, { state: 'in_progress' });
    assert.equal(reopened.state, 'in_progress');
    assert.equal(reopened.resolved_at, null);

    // every change is in the audit log
    const audit = await adminCli(srv, ['audit', 'export']);
    const rows = audit.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.target_kind === 'ticket' && r.target_id === t.id);
    assert.deepEqual(rows.map((r) => r.action), ['ticket.create', 'ticket.change', 'ticket.change', 'ticket.change']);
    assert.equal(rows.at(-1).detail.from_state, 'resolved');
    assert.equal(rows.at(-1).actor_id, asker.account.id);
  });

  test('a post turned into a ticket: one per post, shown on the Status for everyone who may see it', async () => {
    const post = await stranger.client.v1.statuses.create({ status: 'The printer on 3 is jammed again', visibility: 'public' });
    const t = await call(srv.url, agent.token, 'POST', T, { status_id: post.id });
    assert.equal(t.state, 'new');
    assert.equal(t.status_id, post.id);
    assert.equal(t.requester.id, stranger.account.id, 'its author is the requester');
    assert.equal(t.title, 'The printer on 3 is jammed again', "its post's first line");
    // a post with a content warning is titled by its warning, never by what it folds
    const cw = await stranger.client.v1.statuses.create({ status: 'salary spreadsheet leaked\nsee attached', spoilerText: 'HR matter', visibility: 'public' });
    assert.equal((await call(srv.url, agent.token, 'POST', T, { status_id: cw.id })).title, 'HR matter');
    assert.match((await call(srv.url, agent.token, 'POST', T, { status_id: post.id }, 422)).error, /ticket already/);
    // any reader of the post sees the ticket on it, also in a page of statuses (read at once)
    const seen = await other.client.v1.statuses.$select(post.id).fetch();
    assert.equal(ticketOf(seen).id, t.id);
    const page = await other.client.v1.accounts.$select(stranger.account.id).statuses.list({ limit: 10 });
    assert.equal(ticketOf(page.find((s) => s.id === post.id)).state, 'new');
    assert.equal((await call(srv.url, other.token, 'GET', `${T}/${t.id}`)).id, t.id, 'a reader of the post may read its ticket');
    await call(srv.url, other.token, 'PATCH', `${T}/${t.id}`, { priority: 'low' }, 403);
    // a reader may follow it: then told of the replies in its thread, until they stop
    assert.equal((await call(srv.url, other.token, 'GET', `${T}/${t.id}`)).following, false, 'a reader does not follow until asking');
    assert.equal((await call(srv.url, other.token, 'POST', `${T}/${t.id}/follow`)).following, true, 'the answer says it follows now');
    assert.equal((await call(srv.url, other.token, 'GET', `${T}/${t.id}`)).following, true);
    const r1 = await agent.client.v1.statuses.create({ status: 'Technician on the way', inReplyToId: post.id });
    const heard = async () => (await other.client.v1.notifications.list({ types: ['status'], limit: 40 })).map((n) => n.status?.id);
    assert.ok((await heard()).includes(r1.id), 'a follower hears of a reply');
    assert.equal((await call(srv.url, other.token, 'POST', `${T}/${t.id}/unfollow`)).following, false);
    const r2 = await agent.client.v1.statuses.create({ status: 'Fixed', inReplyToId: r1.id });
    assert.ok(!(await heard()).includes(r2.id), 'not after unfollowing');
    await call(srv.url, stranger.token, 'POST', `${T}/12345/follow`, undefined, 404);
    // a direct message is not the team's to read
    const dm = await stranger.client.v1.statuses.create({ status: `@${agent.username} psst`, visibility: 'direct' });
    assert.match((await call(srv.url, agent.token, 'POST', T, { status_id: dm.id }, 422)).error, /every member/);
    // a post the caller may not see is not found
    const hidden = await stranger.client.v1.statuses.create({ status: 'mine alone', visibility: 'direct' });
    await call(srv.url, other.token, 'POST', T, { status_id: hidden.id }, 404);
    await call(srv.url, other.token, 'POST', T, { status_id: '12345' }, 404);
    // neither both kinds nor none
    assert.match((await call(srv.url, agent.token, 'POST', T, { status_id: post.id, title: 'x', text: 'y' }, 422)).error, /not both/);
    assert.match((await call(srv.url, agent.token, 'POST', T, {}, 422)).error, /status_id/);
    assert.match((await call(srv.url, agent.token, 'POST', T, { title: ' ', text: 'y' }, 422)).error, /title can't be blank/);
  });

  test('the list: the team sees every ticket, filtered and paged; anyone else their own', async () => {
    const mine = await call(srv.url, other.token, 'POST', T, { title: 'Laptop', text: 'The screen flickers.' });
    const second = await call(srv.url, other.token, 'POST', T, { title: 'Badge', text: 'Lost my badge.' });
    await call(srv.url, agent.token, 'PATCH', `${T}/${second.id}`, { priority: 'urgent', assignee_id: agent.account.id, team: 'facilities' });

    const own = await call(srv.url, other.token, 'GET', T);
    assert.deepEqual(own.map((t) => t.id), [second.id, mine.id], 'their own, newest first');
    assert.equal(own[0].title, 'Badge', 'each with its title');
    assert.equal(own[0].following, undefined, 'the list does not say who follows');
    const all = await call(srv.url, agent.token, 'GET', T);
    assert.ok(all.length >= 4, 'the team sees every ticket');
    assert.deepEqual((await call(srv.url, agent.token, 'GET', `${T}?priority=urgent`)).map((t) => t.id), [second.id]);
    assert.deepEqual((await call(srv.url, agent.token, 'GET', `${T}?team=facilities`)).map((t) => t.id), [second.id]);
    assert.ok((await call(srv.url, agent.token, 'GET', `${T}?assignee=me`)).every((t) => t.assignee.id === agent.account.id));
    assert.ok((await call(srv.url, agent.token, 'GET', `${T}?state=new`)).every((t) => t.state === 'new'));
    assert.deepEqual(await call(srv.url, agent.token, 'GET', `${T}?breaching=true`), [], 'nothing is late yet');
    assert.match((await call(srv.url, agent.token, 'GET', `${T}?state=open`, undefined, 422)).error, /state must be one of/);
    assert.match((await call(srv.url, agent.token, 'GET', `${T}?assignee=bob`, undefined, 422)).error, /assignee must be me/);

    // Mastodon-style paging
    const r = await raw(srv.url, `${T}?limit=1`, { token: agent.token });
    assert.equal(r.json.length, 1);
    const next = parseLink(r.headers.get('link')).next;
    assert.ok(next, 'a Link to the next page');
    const r2 = await raw(srv.url, new URL(next).pathname + new URL(next).search, { token: agent.token });
    assert.equal(r2.json.length, 1);
    assert.ok(BigInt(r2.json[0].id) < BigInt(r.json[0].id));
  });

  test('tokens: a narrower one is refused, a made-up one is not a person', async () => {
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'Scopes', text: 'check' });
    const readOnly = (await passwordLogin(srv.url, await createApp(srv.url), agent.username, agent.password, 'read')).accessToken;
    assert.equal((await call(srv.url, readOnly, 'GET', `${T}/${t.id}`)).id, t.id);
    await call(srv.url, readOnly, 'PATCH', `${T}/${t.id}`, { state: 'in_progress' }, 403);
    await call(srv.url, readOnly, 'POST', T, { title: 'a', text: 'b' }, 403);
    await call(srv.url, 'made-up-token', 'GET', T, undefined, 401);
    await call(srv.url, undefined, 'GET', T, undefined, 401);
  });

  test('the service team is set by administrators: on, with a team name, and off', async () => {
    const path = `/api/v1/partyline/admin/service_team/${other.account.id}`;
    await call(srv.url, agent.token, 'PUT', path, { on: true }, 403);
    const team = async (token) => (await call(srv.url, token, 'GET', '/api/v1/accounts/verify_credentials')).partyline?.service_team;
    assert.deepEqual(await team(other.token), { on: false, team: null }, 'a client reads from the CredentialAccount what to offer');
    const on = await call(srv.url, admin, 'PUT', path, { on: true, team: 'hardware' });
    assert.deepEqual(on, { account_id: other.account.id, on: true, team: 'hardware' });
    assert.deepEqual(await team(other.token), { on: true, team: 'hardware' });
    assert.deepEqual(await team(admin), { on: true, team: null }, 'an administrator is on it by default');
    const seen = await call(srv.url, agent.token, 'GET', `/api/v1/accounts/${other.account.id}`);
    assert.equal(seen.partyline?.service_team, undefined, "another's Account does not say it");
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'Monitor', text: 'dead pixel' });
    assert.equal((await call(srv.url, other.token, 'GET', `${T}/${t.id}`)).id, t.id, 'a new member reads every ticket');
    const off = await call(srv.url, admin, 'PUT', path, { on: false });
    assert.deepEqual(off, { account_id: other.account.id, on: false, team: null });
    assert.deepEqual(await team(other.token), { on: false, team: null });
    await call(srv.url, other.token, 'GET', `${T}/${t.id}`, undefined, 404);
    // an administrator taken off the team
    const cli = await adminCli(srv, ['set-service', '--username', agent.username, '--off']);
    assert.equal(cli.code, 0, cli.stderr);
    await call(srv.url, agent.token, 'GET', `${T}/${t.id}`, undefined, 404);
    assert.equal((await adminCli(srv, ['set-service', '--username', agent.username, '--team', 'network'])).code, 0);
  });
  test('a help desk channel opens a ticket for every new top-level post in it', async () => {
    const ch = await call(srv.url, other.token, 'POST', '/api/v1/partyline/channels', { name: uniqueName('help'), display_name: 'IT help' });
    const desk = `/api/v1/partyline/channels/${ch.id}/help_desk`;
    assert.deepEqual(await call(srv.url, other.token, 'GET', desk), { channel_id: ch.id, help_desk: false });
    await call(srv.url, stranger.token, 'PUT', desk, { help_desk: true }, 403);
    assert.match((await call(srv.url, other.token, 'PUT', desk, { help_desk: 'maybe' }, 422)).error, /help_desk must be true or false/);
    assert.deepEqual(await call(srv.url, other.token, 'PUT', desk, { help_desk: true }), { channel_id: ch.id, help_desk: true });
    await call(srv.url, stranger.token, 'POST', `/api/v1/partyline/channels/${ch.id}/join`);
    const post = await stranger.client.v1.statuses.create({ status: 'My laptop will not boot', channelId: ch.id, channel_id: ch.id });
    assert.equal(post.partyline.channel_id ?? post.partyline.channelId, ch.id);
    const seen = await stranger.client.v1.statuses.$select(post.id).fetch();
    assert.equal(ticketOf(seen)?.state, 'new', 'the post is a ticket');
    const reply = await other.client.v1.statuses.create({ status: 'Which model?', inReplyToId: post.id });
    assert.equal(ticketOf(await other.client.v1.statuses.$select(reply.id).fetch()), undefined, 'a reply opens none');
    const tickets = await call(srv.url, stranger.token, 'GET', T);
    const t = tickets.find((x) => x.status_id === post.id);
    assert.ok(t, 'the author is its requester');
    assert.equal(t.requester.id, stranger.account.id);
    await call(srv.url, other.token, 'PUT', desk, { help_desk: false });
    const later = await stranger.client.v1.statuses.create({ status: 'never mind', channelId: ch.id, channel_id: ch.id });
    assert.equal(ticketOf(await stranger.client.v1.statuses.$select(later.id).fetch()), undefined);
  });

  test('the SLA: a coming breach and a breach are told to the assignee once each', async () => {
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'Urgent', text: 'server room is hot' });
    await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { priority: 'urgent', assignee_id: agent.account.id });
    const created = Date.parse(t.created_at);
    // urgent: a response in 30 minutes (warned at 80%: 24), a resolution in 4 hours
    const at = (minutes) => new Date(created + minutes * 60000).toISOString();
    const before = (await agent.client.v1.notifications.list({ types: ['status'], limit: 40 })).filter((n) => n.status?.id === t.status_id).length;
    const check = async (minutes) => {
      const out = await adminCli(srv, ['tickets', 'sla-check', '--now', at(minutes)]);
      assert.equal(out.code, 0, out.stderr);
      return Number(out.stdout.match(/told (\d+)/)[1]);
    };
    assert.equal(await check(10), 0, 'nothing is due yet');
    assert.ok(await check(25) >= 1, 'the response is coming due');
    assert.equal(await check(26), 0, 'told once');
    assert.ok(await check(31) >= 1, 'the response is late');
    const told = (await agent.client.v1.notifications.list({ types: ['status'], limit: 40 })).filter((n) => n.status?.id === t.status_id);
    assert.equal(told.length - before, 2, 'the assignee heard of the warning and of the breach');
    const sla = (await adminCli(srv, ['audit', 'export'])).stdout.trim().split('\n').map((l) => JSON.parse(l))
      .filter((r) => r.action === 'ticket.sla' && r.target_id === t.id).map((r) => r.detail.event);
    assert.deepEqual(sla, ['response_warning', 'response_breach']);
    // each is a system entry of the thread too: a note the team reads, in the assignee's name
    const entries = async (who) => (await who.client.v1.statuses.$select(t.status_id).context.fetch())
      .descendants.filter((s) => s.partyline?.system && /^SLA /.test(s.content.replace(/<[^>]*>/g, '')));
    const notes = await entries(agent);
    assert.deepEqual(notes.map((s) => s.content.replace(/<[^>]*>/g, '')), [
      'SLA warning: the first response is due in 5 minutes (its target: 30 minutes).', // checked at 25,
      'SLA breached: no first response within its target of 30 minutes.']);
    for (const s of notes) {
      assert.equal(s.partyline.audience, 'internal');
      assert.equal(s.account.id, agent.account.id);
    }
    assert.deepEqual(await entries(asker), [], 'the requester does not read the team\'s clock');
    // two checks at once (two nodes): each event is told by one of them
    const u = await call(srv.url, asker.token, 'POST', T, { title: 'Twice', text: 'at once' });
    await call(srv.url, agent.token, 'PATCH', `${T}/${u.id}`, { priority: 'urgent', assignee_id: agent.account.id });
    const late5h = new Date(Date.parse(u.created_at) + 300 * 60000).toISOString();
    const both = await Promise.all([0, 1].map(() => adminCli(srv, ['tickets', 'sla-check', '--now', late5h])));
    for (const o of both) assert.equal(o.code, 0, o.stderr);
    const events = (await adminCli(srv, ['audit', 'export'])).stdout.trim().split('\n').map((l) => JSON.parse(l))
      .filter((r) => r.action === 'ticket.sla' && r.target_id === u.id).map((r) => r.detail.event).sort();
    assert.deepEqual(events, ['resolution_breach', 'response_breach'], 'its two breaches, once each');
    // and it is breaching now, as the list and the dashboard say
    const late = await call(srv.url, agent.token, 'GET', `${T}?breaching=true`);
    assert.equal(late.length, 0, 'not by the clock of the server yet');
  });

  test('the dashboard: open tickets by state, priority and team, and this period against the last', async () => {
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'Dash', text: 'board' });
    await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { team: 'network' });
    await agent.client.v1.statuses.create({ status: 'On it.', inReplyToId: t.status_id });
    await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { state: 'resolved' });
    const d = await call(srv.url, agent.token, 'GET', `${T}/dashboard?period=7d`);
    assert.equal(d.period, '7d');
    const byState = d.open.by_state;
    assert.deepEqual(Object.keys(byState), ['new', 'in_progress', 'on_hold']);
    assert.equal(d.open.total, byState.new + byState.in_progress + byState.on_hold);
    assert.equal(Object.values(d.open.by_priority).reduce((a, b) => a + b, 0), d.open.total);
    assert.equal(Object.values(d.open.by_team).reduce((a, b) => a + b, 0), d.open.total);
    assert.ok(d.current.opened >= 1);
    assert.ok(d.current.answered >= 1 && d.current.resolved >= 1);
    assert.ok(d.current.first_response_minutes.p90 >= d.current.first_response_minutes.median);
    assert.ok(d.current.resolution_minutes.median >= 0);
    assert.equal(d.previous.opened, 0, 'nothing was opened the week before');
    assert.equal(typeof d.breaching, 'number');
    assert.match((await call(srv.url, agent.token, 'GET', `${T}/dashboard?period=2w`, undefined, 422)).error, /period must be one of/);
    await call(srv.url, asker.token, 'GET', `${T}/dashboard`, undefined, 403);
  });
  test('streams: a work note reaches no one outside the team, a comment reaches the followers', async () => {
    const t = await call(srv.url, asker.token, 'POST', T, { title: 'Streams', text: 'live' });
    await call(srv.url, agent.token, 'PATCH', `${T}/${t.id}`, { assignee_id: agent.account.id });
    await stranger.client.v1.accounts.$select(agent.account.id).follow();
    const strangerStream = await sse(srv.url, '/api/v1/streaming/user', stranger.token);
    const askerStream = await sse(srv.url, '/api/v1/streaming/user', asker.token);
    const pub = await sse(srv.url, '/api/v1/streaming/public', stranger.token);
    // the streams are listening once each has heard something (as streaming.test.mjs waits)
    const heard = async (st, pred) => st.waitFor(pred, 'a warm-up').then(() => true, () => false);
    for (let ok = false; !ok;) {
      const warm = await agent.client.v1.statuses.create({ status: 'warming up', visibility: 'public' });
      ok = await heard(strangerStream, (m) => m.event === 'update' && m.data.id === warm.id) &&
        await heard(pub, (m) => m.event === 'update' && m.data.id === warm.id);
    }
    for (let ok = false; !ok;) {
      const warm = await agent.client.v1.statuses.create({ status: 'noted', inReplyToId: t.status_id });
      ok = await heard(askerStream, (m) => m.event === 'notification' && m.data.status?.id === warm.id);
    }
    const note = await agent.client.v1.statuses.create({ status: 'internal: reboot at 6', inReplyToId: t.status_id, visibility: 'internal' });
    const comment = await agent.client.v1.statuses.create({ status: 'Fixed, please check', inReplyToId: t.status_id });
    const marker = await agent.client.v1.statuses.create({ status: 'lunch?', visibility: 'public' });
    // events come in commit order: what came before the marker would have come by now
    await strangerStream.waitFor((m) => m.event === 'update' && m.data.id === marker.id, 'the marker post');
    await pub.waitFor((m) => m.event === 'update' && m.data.id === marker.id, 'the marker on the public stream');
    const told = await askerStream.waitFor((m) => m.event === 'notification' && m.data.status?.id === comment.id, 'the comment told to the requester');
    assert.equal(told.data.type, 'status');
    for (const [who, st] of [['a follower of the agent', strangerStream], ['the public stream', pub], ['the requester', askerStream]]) {
      assert.ok(!st.messages.some((m) => JSON.stringify(m.data).includes(note.id)), `${who} never heard of the note`);
    }
    assert.ok(!strangerStream.messages.some((m) => JSON.stringify(m.data).includes(comment.id)), 'nor a follower of the agent of the ticket comment');
    for (const st of [strangerStream, askerStream, pub]) st.close();
  });
});
