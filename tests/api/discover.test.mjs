// Finding people: the profile directory (GET /api/v1/directory), follow suggestions
// (GET /api/v2/suggestions, DELETE /api/v1/suggestions/:account_id) and familiar followers
// (GET /api/v1/accounts/familiar_followers). Docs: methods/directory, methods/suggestions,
// methods/accounts#familiar_followers; who may appear: src/app/discover.h, docs/api.md.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  binaryPath, expectHttpError, mapLimit, NOT_FOUND, PASSWORD, passwordLogin, raw, registerUser, registerUsers, restClient,
  startServer, uniqueName,
} from './harness.mjs';
import { startSink } from './mail.mjs';

const run = promisify(execFile);

let server;
let url;
before(async () => {
  server = await startServer({
    env: { PARTYLINE_MAX_DIRECTORY_OFFSET: '500', PARTYLINE_MAX_FAMILIAR_IDS: '3', PARTYLINE_MAX_FAMILIAR_ACCOUNTS: '2' },
  });
  url = server.url;
});
after(async () => {
  await server?.stop();
});

/** `partyline admin …` on the data of srv. */
async function cli(srv, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  if (srv.database) env.PARTYLINE_DATABASE = srv.database;
  const { stdout } = await run(binaryPath(), [...args.slice(0, 2), '--data', srv.dataDir, ...args.slice(2)], { env });
  return stdout;
}

const CH = '/api/v1/partyline/channels';
async function call(who, method, path, { json, status = 200 } = {}) {
  const r = await raw(url, path, { method, token: who.token, json });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}
const makeChannel = (owner, opts = {}) =>
  call(owner, 'POST', CH, { json: { name: uniqueName('ch'), display_name: 'A channel', ...opts } });
/** The whole directory as the client sees it, page by page (offset). */
async function wholeDirectory(who, params = {}) {
  const out = [];
  for (let offset = 0; ; offset += 40) {
    const page = await who.client.v1.directory.list({ ...params, offset, limit: 40 });
    out.push(...page);
    if (page.length < 40) return out;
  }
}
const idsOf = (accounts) => accounts.map((a) => a.id);

describe('GET /api/v1/directory', () => {
  test('order=active lists people by their last post, those who never posted last; order=new by age', async () => {
    const [a, b, c, viewer] = await registerUsers(url, ['dir_a', 'dir_b', 'dir_c', 'dir_v']);
    await b.client.v1.statuses.create({ status: 'b posts first' });
    await a.client.v1.statuses.create({ status: 'a posts later' });
    const active = idsOf(await wholeDirectory(viewer, { order: 'active' }));
    assert.ok(active.indexOf(a.account.id) < active.indexOf(b.account.id), 'the latest poster first');
    assert.ok(active.indexOf(b.account.id) < active.indexOf(c.account.id), 'never posted: after those who did');
    const fresh = idsOf(await viewer.client.v1.directory.list({ order: 'new', limit: 4 }));
    assert.deepEqual(fresh, [viewer, c, b, a].map((p) => p.account.id), 'the newest accounts first');
    const byDefault = idsOf(await viewer.client.v1.directory.list({ limit: 2 }));
    assert.deepEqual(byDefault, [a.account.id, b.account.id], 'active is the default order');
    const local = idsOf(await viewer.client.v1.directory.list({ limit: 2, local: true }));
    assert.deepEqual(local, byDefault, 'everyone is local');
  });

  test('offset and limit page through it without repeats', async () => {
    const [viewer] = await registerUsers(url, ['dir_pg']);
    const all = idsOf(await viewer.client.v1.directory.list({ order: 'new', limit: 80 }));
    const first = idsOf(await viewer.client.v1.directory.list({ order: 'new', limit: 3 }));
    const second = idsOf(await viewer.client.v1.directory.list({ order: 'new', limit: 3, offset: 3 }));
    assert.deepEqual([...first, ...second], all.slice(0, 6));
    const capped = await viewer.client.v1.directory.list({ order: 'new', limit: 1000 });
    assert.ok(capped.length <= 80, 'limit is at most 80');
  });

  test('leaves out whom the viewer blocks or mutes and who blocks the viewer; others still see them', async () => {
    const [viewer, blocked, blocker, muted, other] = await registerUsers(url, ['dir_bv', 'dir_bd', 'dir_br', 'dir_mu', 'dir_o']);
    await viewer.client.v1.accounts.$select(blocked.account.id).block();
    await blocker.client.v1.accounts.$select(viewer.account.id).block();
    await viewer.client.v1.accounts.$select(muted.account.id).mute();
    const seen = idsOf(await wholeDirectory(viewer, { order: 'new' }));
    for (const p of [blocked, blocker, muted]) assert.ok(!seen.includes(p.account.id), `${p.username} is left out`);
    assert.ok(seen.includes(other.account.id));
    const byOther = idsOf(await wholeDirectory(other, { order: 'new' }));
    for (const p of [blocked, muted]) assert.ok(byOther.includes(p.account.id), 'only for the viewer');
  });

  test('channels are listed as group accounts; a disabled person is not, nor anyone not discoverable', async () => {
    const [owner, gone, shy, viewer] = await registerUsers(url, ['dir_ow', 'dir_gone', 'dir_shy', 'dir_vw']);
    const open = await makeChannel(owner);
    const closed = await makeChannel(owner, { private: true });
    await cli(server, 'admin', 'disable-user', '--username', gone.username);
    await shy.client.v1.accounts.updateCredentials({ discoverable: false });
    const listed = await wholeDirectory(viewer, { order: 'new' });
    const ids = idsOf(listed);
    assert.equal(listed.find((a) => a.id === open.id)?.group, true, 'an open channel, as a group account');
    assert.equal(listed.find((a) => a.id === closed.id)?.locked, true, 'a private one too, locked, as in search');
    assert.ok(!ids.includes(gone.account.id), 'not a disabled person');
    assert.ok(!ids.includes(shy.account.id), 'not someone who is not discoverable');
  });

  test('small pages at every offset add up to the whole directory, across many stretches of the index', async () => {
    const people = await mapLimit([...Array(45).keys()], 4, (i) => registerUser(url, uniqueName(`dir_many${i}`)));
    const viewer = people[0];
    for (const p of people.filter((_, i) => i % 9 === 4)) await viewer.client.v1.accounts.$select(p.account.id).block();
    for (const p of people.filter((_, i) => i % 7 === 3)) await p.client.v1.statuses.create({ status: 'here' });
    for (const order of ['active', 'new']) {
      const whole = idsOf(await wholeDirectory(viewer, { order }));
      assert.ok(whole.length > 40, 'more than one stretch');
      assert.equal(new Set(whole).size, whole.length, 'no repeats');
      const small = [];
      for (let offset = 0; offset < whole.length + 7; offset += 7) {
        small.push(...idsOf(await viewer.client.v1.directory.list({ order, offset, limit: 7 })));
      }
      assert.deepEqual(small, whole, `order=${order}`);
      for (const p of people.filter((_, i) => i % 9 === 4)) assert.ok(!whole.includes(p.account.id));
    }
  });

  test('bad parameters are 422 with the reason; signed out it is 401 unless public_read', async () => {
    const [viewer] = await registerUsers(url, ['dir_bad']);
    await expectHttpError(viewer.client.v1.directory.list({ order: 'popular' }), 422, /order/);
    await expectHttpError(viewer.client.v1.directory.list({ offset: 501 }), 422, /max_directory_offset/);
    await expectHttpError(viewer.client.v1.directory.list({ offset: -1 }), 422, /offset/);
    await expectHttpError(viewer.client.v1.directory.list({ local: 'maybe' }), 422, /local/);
    assert.ok(Array.isArray(await viewer.client.v1.directory.list({ offset: 500 })), 'at the limit is fine');
    const out = await raw(url, '/api/v1/directory');
    assert.equal(out.status, 401);
    assert.equal(typeof out.json.error, 'string');
    // a token of any scope may read it, as Mastodon asks none
    const tok = await passwordLogin(url, viewer.app, viewer.username, PASSWORD, 'write:statuses');
    const narrow = await raw(url, '/api/v1/directory', { token: tok.accessToken });
    assert.equal(narrow.status, 200);
  });
});

describe('GET /api/v1/directory with e-mail confirmation', () => {
  let sink;
  let srv;
  before(async () => {
    sink = await startSink();
    srv = await startServer({
      env: {
        PARTYLINE_ALLOWED_DOMAINS: 'example.com',
        PARTYLINE_SMTP_URL: sink.url,
        PARTYLINE_SMTP_FROM: 'noreply@example.com',
        PARTYLINE_PUBLIC_READ: 'true',
      },
    });
  });
  after(async () => {
    await srv?.stop();
    await sink?.stop();
  });

  test('a person who has not confirmed their address is not listed; one confirmed is', async () => {
    const waiting = await registerUser(srv.url, uniqueName('dir_unc'), { verify: false });
    const made = uniqueName('dir_cli');
    await cli(srv, 'admin', 'create-user', '--username', made, '--email', `${made}@example.com`, '--password', PASSWORD);
    const r = await raw(srv.url, '/api/v1/directory?order=new&limit=80');
    assert.equal(r.status, 200, r.text);
    const names = r.json.map((a) => a.username);
    assert.ok(names.includes(made), 'an account made by an administrator is confirmed');
    assert.ok(!names.includes(waiting.username), 'unconfirmed: not listed');
  });
});
