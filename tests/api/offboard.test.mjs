// offboard.test.mjs — issue 14, "Off-boarding": `partyline admin offboard --username U
// [--transfer-channels-to V]` (src/app/offboard.c). At once: the account is disabled, its
// tokens and sessions revoked and its streams closed (on every node), its follow requests and
// its places in others' lists gone, the channels it owns passed on — and a channel nobody can
// take stops the whole act before anything changes. Runs on both databases; the two-node case
// on PostgreSQL only.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, dropDatabase, makeDatabase, passwordLogin, raw, registerUsers, startServer,
  uniqueName
} from './harness.mjs';

const CH = '/api/v1/partyline/channels';
const DEADLINE = 10_000;
const onPostgres = Boolean(process.env.PARTYLINE_TEST_DATABASE);

function cli(server, args) {
  return adminCli(server, args);
}

const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;

/** An administrator made on the command line, with a token carrying the admin scopes. */
async function makeAdmin(server) {
  const username = uniqueName('adm');
  const made = await cli(server, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(server.url, { scopes: ADMIN_SCOPES });
  return (await passwordLogin(server.url, app, username, 'long enough pw', ADMIN_SCOPES)).accessToken;
}

const offboardPath = (id) => `/api/v1/partyline/admin/accounts/${id}/offboard`;

async function call(url, token, method, p, json, status = 200) {
  const r = await raw(url, p, { method, token, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

/** An open server-sent-events stream; .done turns true when the server ends it. */
async function stream(url, token) {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/v1/streaming/user`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const s = { done: false, close: () => ac.abort() };
  (async () => {
    try {
      for await (const _ of res.body); // eslint-disable-line no-unused-vars
    } catch {
      // aborted
    }
    s.done = true;
  })();
  return s;
}

async function ended(s, what) {
  const end = Date.now() + DEADLINE;
  while (!s.done) {
    assert.ok(Date.now() < end, what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until p answers 404 (a deadline, not a sleep). */
async function gone404(url, p, token, what = `${p} is gone`) {
  const end = Date.now() + DEADLINE;
  while ((await raw(url, p, { token })).status !== 404) {
    assert.ok(Date.now() < end, what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function channel(url, owner, name, priv = false) {
  return call(url, owner.token, 'POST', CH, { name: uniqueName(name), display_name: name, private: priv });
}

describe('partyline admin offboard', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => srv?.stop());

  test('disables, revokes, closes the streams, drops requests and list places, passes the channels on', async () => {
    const [leaver, mod, locked, lister] = await registerUsers(srv.url, ['ob', 'om', 'ol', 'oy']);
    await locked.client.v1.accounts.updateCredentials({ locked: true });
    const asked = await leaver.client.v1.accounts.$select(locked.account.id).follow();
    assert.equal(asked.requested, true);
    await lister.client.v1.accounts.$select(leaver.account.id).follow();
    const list = await lister.client.v1.lists.create({ title: 'Team' });
    await lister.client.v1.lists.$select(list.id).accounts.create({ accountIds: [leaver.account.id] });
    const ch = await channel(srv.url, leaver, 'ops');
    await call(srv.url, mod.token, 'POST', `${CH}/${ch.id}/join`);
    await call(srv.url, leaver.token, 'PUT', `${CH}/${ch.id}/members/${mod.account.id}`, { role: 'moderator' });
    const kept = await leaver.client.v1.statuses.create({ status: 'handing over next week' });
    const live = await stream(srv.url, leaver.token);

    const out = await cli(srv, ['offboard', '--username', leaver.username]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /off-boarded .*1 follow requests and 1 list memberships removed; 1 channels passed on/);

    await ended(live, 'the person’s stream was closed');
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 401);
    await assert.rejects(passwordLogin(srv.url, leaver.app, leaver.username), 'a disabled account cannot sign in');
    assert.deepEqual(await locked.client.v1.followRequests.list(), [], 'the request it made is gone');
    assert.deepEqual(await lister.client.v1.lists.$select(list.id).accounts.list(), [], 'its place in the list is gone');
    const now = await call(srv.url, mod.token, 'GET', `${CH}/${ch.id}`);
    assert.equal(now.role, 'owner', 'the moderator owns the channel now');
    // its posts stay (only --wipe takes them)
    assert.equal((await mod.client.v1.statuses.$select(kept.id).fetch()).id, kept.id);

    const audit = await cli(srv, ['audit', 'export']);
    const rows = audit.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const row = rows.find((r) => r.action === 'admin.offboard' && r.target_id === leaver.account.id);
    assert.ok(row, 'the act is in the audit log');
    assert.deepEqual({ ...row.detail }, {
      username: leaver.username, tokens: row.detail.tokens, follow_requests: 1, list_memberships: 1, channels: 1,
    });
    assert.ok(row.detail.tokens >= 1);
    assert.ok(rows.some((r) => r.action === 'channel.role' && r.target_id === ch.id && r.detail.account_id === mod.account.id
      && r.detail.role === 'owner'), 'the channel’s new owner is recorded');
    assert.equal((await cli(srv, ['audit', 'verify'])).code, 0);
  });

  test('a channel nobody can take stops the act before anything changes; naming an heir lets it through', async () => {
    const [leaver, heir] = await registerUsers(srv.url, ['oc', 'oh']);
    const ch = await channel(srv.url, leaver, 'solo', true);
    const refused = await cli(srv, ['offboard', '--username', leaver.username]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`${ch.name}.*no other owner or moderator.*transfer_to`));
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 200,
      'nothing was done: the account still works');

    const done = await cli(srv, ['offboard', '--username', leaver.username, '--transfer-channels-to', heir.username]);
    assert.equal(done.code, 0, done.stderr);
    const now = await call(srv.url, heir.token, 'GET', `${CH}/${ch.id}`);
    assert.equal(now.member, true, 'the heir was let into the private channel');
    assert.equal(now.role, 'owner');
  });

  test('unknown names and an heir who is the leaver are refused, saying why', async () => {
    const [leaver] = await registerUsers(srv.url, ['ox']);
    const nobody = await cli(srv, ['offboard', '--username', 'no_such_person']);
    assert.notEqual(nobody.code, 0);
    assert.match(nobody.stderr, /no account named no_such_person/);
    const heirless = await cli(srv, ['offboard', '--username', leaver.username, '--transfer-channels-to', 'no_such_heir']);
    assert.match(heirless.stderr, /no account named no_such_heir/);
    const self = await cli(srv, ['offboard', '--username', leaver.username, '--transfer-channels-to', leaver.username]);
    assert.notEqual(self.code, 0);
    assert.match(self.stderr, /transfer_to must be someone other than who leaves/);
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 200);
  });
});

describe('POST /api/v1/partyline/admin/accounts/:id/offboard', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await makeAdmin(srv);
  });
  after(async () => srv?.stop());

  test('an administrator off-boards through the API, naming the heir of the channels', async () => {
    const [leaver, heir, member] = await registerUsers(srv.url, ['pa', 'ph', 'pm']);
    const ch = await channel(srv.url, leaver, 'apich');
    await call(srv.url, member.token, 'POST', `${CH}/${ch.id}/join`);
    const done = await call(srv.url, admin, 'POST', offboardPath(leaver.account.id), { transfer_to: heir.account.id });
    assert.equal(done.account_id, leaver.account.id);
    assert.equal(done.channels, 1);
    assert.ok(done.tokens >= 1);
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 401);
    assert.equal((await call(srv.url, heir.token, 'GET', `${CH}/${ch.id}`)).role, 'owner');
    const rows = await call(srv.url, admin, 'GET', `/api/v1/partyline/admin/audit?action=admin.offboard&target=${leaver.account.id}`);
    assert.equal(rows.length, 1);
    assert.ok(rows[0].actor_id, 'the administrator is the actor');
    assert.equal(rows[0].detail.transfer_to, heir.account.id);
  });

  test('a suspended person (hidden from everyone) can be off-boarded', async () => {
    const [leaver] = await registerUsers(srv.url, ['ps']);
    await call(srv.url, admin, 'POST', `/api/v1/admin/accounts/${leaver.account.id}/action`, { type: 'suspend' });
    const done = await call(srv.url, admin, 'POST', offboardPath(leaver.account.id));
    assert.equal(done.account_id, leaver.account.id);
    const rows = await call(srv.url, admin, 'GET', `/api/v1/partyline/admin/audit?action=admin.offboard&target=${leaver.account.id}`);
    assert.equal(rows.length, 1);
  });

  test('with --wipe its posts, messages, files and profile go; others\' replies and a held channel\'s posts stay', async () => {
    const [leaver, friend, mod] = await registerUsers(srv.url, ['pw', 'pf', 'pm']);
    await call(srv.url, leaver.token, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Leaving Soon', note: 'my bio' });
    const form = new FormData();
    form.append('file', new Blob([randomBytes(4096)]), 'data.bin');
    const up = await raw(srv.url, '/api/v2/media', { method: 'POST', token: leaver.token, body: form });
    assert.equal(up.status, 200, up.text);
    const withFile = await call(srv.url, leaver.token, 'POST', '/api/v1/statuses', { status: 'with a file', media_ids: [up.json.id] });
    const fileUrl = new URL(withFile.media_attachments[0].url);
    assert.equal((await raw(srv.url, fileUrl.pathname + fileUrl.search, { token: friend.token })).status, 200);
    const open = await call(srv.url, leaver.token, 'POST', '/api/v1/statuses', { status: 'a company post' });
    const dm = await call(srv.url, leaver.token, 'POST', '/api/v1/statuses', { status: `@${friend.username} just us`, visibility: 'direct' });
    const theirs = await call(srv.url, friend.token, 'POST', '/api/v1/statuses', { status: 'a friend’s post' });
    await call(srv.url, leaver.token, 'POST', `/api/v1/statuses/${theirs.id}/reblog`);
    const reply = await call(srv.url, friend.token, 'POST', '/api/v1/statuses', { status: 'a reply', in_reply_to_id: open.id });
    // a channel under a legal hold keeps the leaver's post in it
    const ch = await channel(srv.url, mod, 'held');
    await call(srv.url, leaver.token, 'POST', `${CH}/${ch.id}/join`);
    const kept = await call(srv.url, leaver.token, 'POST', '/api/v1/statuses', { status: 'kept by the hold', channel_id: ch.id });
    await call(srv.url, admin, 'POST', '/api/v1/partyline/admin/holds', { channel_id: ch.id, reason: 'case 7' });

    const out = await cli(srv, ['offboard', '--username', leaver.username, '--wipe']);
    assert.equal(out.code, 0, `${out.stderr}${out.stdout}`);
    assert.match(out.stdout, /wiped .*: 4 posts .* and 1 files deleted/);
    // the running server hears the command line within a second or so (its caches)
    for (const gone of [withFile, open, dm]) await gone404(srv.url, `/api/v1/statuses/${gone.id}`, friend.token);
    assert.equal((await raw(srv.url, fileUrl.pathname + fileUrl.search, { token: friend.token })).status, 404, 'its file is gone');
    assert.equal((await call(srv.url, friend.token, 'GET', `/api/v1/statuses/${theirs.id}`)).reblogs_count, 0, 'its boost is gone');
    const still = await call(srv.url, friend.token, 'GET', `/api/v1/statuses/${reply.id}`);
    assert.equal(still.in_reply_to_id, open.id, 'a reply stays, a reply to a deleted post');
    assert.equal((await call(srv.url, mod.token, 'GET', `/api/v1/statuses/${kept.id}`)).id, kept.id, 'the hold keeps it');
    const profile = await call(srv.url, admin, 'GET', `/api/v1/admin/accounts/${leaver.account.id}`);
    assert.equal(profile.account.display_name, '');
    assert.equal(profile.account.note, '');
    const rows = await call(srv.url, admin, 'GET', `/api/v1/partyline/admin/audit?action=admin.offboard_wipe&target=${leaver.account.id}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].detail.posts, 4, "three posts and a boost");
    assert.equal(rows[0].detail.files, 1);
  });

  test('through the API the wipe goes on in the background; an account under a hold is not wiped', async () => {
    const [leaver, held, friend] = await registerUsers(srv.url, ['pb', 'ph', 'pg']);
    const post = await call(srv.url, leaver.token, 'POST', '/api/v1/statuses', { status: 'soon gone' });
    const done = await call(srv.url, admin, 'POST', offboardPath(leaver.account.id), { wipe: true });
    assert.equal(done.wipe, 'asked');
    await gone404(srv.url, `/api/v1/statuses/${post.id}`, friend.token, 'the background wipe deleted the post');
    await call(srv.url, admin, 'POST', '/api/v1/partyline/admin/holds', { account_id: held.account.id, reason: 'case 9' });
    const refused = await raw(srv.url, offboardPath(held.account.id), { method: 'POST', token: admin, json: { wipe: true } });
    assert.equal(refused.status, 422);
    assert.match(refused.json.error, /under a legal hold: off-board without wiping/);
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: held.token })).status, 200, 'nothing was done');
    assert.equal((await raw(srv.url, offboardPath(held.account.id), { method: 'POST', token: admin, json: { wipe: 'yes' } })).status, 422);
  });

  test('others are refused, saying why, and nothing changes', async () => {
    const [target, member] = await registerUsers(srv.url, ['pt', 'px']);
    const p = offboardPath(target.account.id);
    // a member, even with the admin scopes on the token
    const app = await createApp(srv.url, { scopes: ADMIN_SCOPES });
    const scoped = (await passwordLogin(srv.url, app, member.username, undefined, ADMIN_SCOPES)).accessToken;
    const refused = await raw(srv.url, p, { method: 'POST', token: scoped });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error, /Only administrators may off-board/);
    assert.equal((await raw(srv.url, p, { method: 'POST', token: member.token })).status, 403, 'no admin scope');
    assert.equal((await raw(srv.url, p, { method: 'POST' })).status, 401);
    assert.equal((await raw(srv.url, p, { method: 'POST', token: 'made-up-token' })).status, 401);
    const garbage = await raw(srv.url, p, { method: 'POST', token: admin, json: { transfer_to: 'somebody' } });
    assert.equal(garbage.status, 422);
    assert.match(garbage.json.error, /transfer_to must be an account id/);
    assert.equal((await raw(srv.url, offboardPath('99999999999'), { method: 'POST', token: admin })).status, 404);
    const me = await call(srv.url, admin, 'GET', '/api/v1/accounts/verify_credentials');
    const self = await raw(srv.url, offboardPath(me.id), { method: 'POST', token: admin });
    assert.equal(self.status, 422);
    assert.match(self.json.error, /cannot off-board yourself/);
    assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: target.token })).status, 200);
  });
});

describe('offboard on two nodes', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    a = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '11' } });
    b = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '12' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    if (db) await dropDatabase(db);
  });

  test('a stream on node B closes when node A off-boards the person', async () => {
    const admin = await makeAdmin(a);
    const [leaver] = await registerUsers(a.url, ['on']);
    const onB = await stream(b.url, leaver.token);
    const onA = await stream(a.url, leaver.token);
    // node B has read the account and the token already (its caches)
    assert.equal((await raw(b.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 200);
    await call(a.url, admin, 'POST', offboardPath(leaver.account.id));
    await ended(onA, 'the stream on node A was closed');
    await ended(onB, 'the stream on node B was closed');
    assert.equal((await raw(b.url, '/api/v1/accounts/verify_credentials', { token: leaver.token })).status, 401);
  });
});
