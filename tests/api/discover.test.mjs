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

describe('GET /api/v2/suggestions, DELETE /api/v1/suggestions/:account_id', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });
  const as = (who, method, path, opts = {}) => raw(srv.url, path, { method, token: who.token, ...opts });
  const channel = async (owner, opts = {}) => {
    const r = await as(owner, 'POST', CH, { json: { name: uniqueName('sch'), display_name: 'A channel', ...opts } });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const join = async (who, ch) => assert.equal((await as(who, 'POST', `${CH}/${ch.id}/join`)).status, 200);

  test('colleagues of the channels one is in first (most channels in common first), then the most followed; never the excluded', async () => {
    const [owner, both, one, followed, blocked, blocker, muted, star, newcomer] = await registerUsers(srv.url,
      ['s_own', 's_both', 's_one', 's_fol', 's_blk', 's_bkr', 's_mut', 's_star', 's_new']);
    const design = await channel(owner);
    const tea = await channel(owner);
    const secret = await channel(owner, { private: true });
    for (const p of [both, one, followed, blocked, blocker, muted]) await join(p, design);
    await join(both, tea);
    for (const p of [newcomer]) { await join(p, design); await join(p, tea); }
    for (const p of [owner, one, followed]) await p.client.v1.accounts.$select(star.account.id).follow();
    await newcomer.client.v1.accounts.$select(followed.account.id).follow();
    await newcomer.client.v1.accounts.$select(blocked.account.id).block();
    await blocker.client.v1.accounts.$select(newcomer.account.id).block();
    await newcomer.client.v1.accounts.$select(muted.account.id).mute();

    const got = await newcomer.client.v2.suggestions.list({ limit: 40 });
    const ids = got.map((s) => s.account.id);
    for (const s of got) {
      assert.deepEqual(Object.keys(s).sort(), ['account', 'source', 'sources']);
      assert.ok(Array.isArray(s.sources) && s.sources.length > 0);
    }
    assert.equal(ids[0], both.account.id, 'two channels in common: first');
    assert.ok(ids.indexOf(owner.account.id) < ids.indexOf(star.account.id), 'colleagues before the most followed');
    assert.ok(ids.indexOf(one.account.id) < ids.indexOf(star.account.id));
    const first = got[0];
    assert.deepEqual(first.sources, ['friends_of_friends']);
    assert.equal(first.source, 'past_interactions');
    const byStar = got.find((s) => s.account.id === star.account.id);
    assert.deepEqual(byStar.sources, ['most_followed']);
    assert.equal(byStar.source, 'global');
    for (const [p, why] of [[followed, 'followed'], [blocked, 'blocked'], [blocker, 'blocks the newcomer'], [muted, 'muted'], [newcomer, 'oneself']]) {
      assert.ok(!ids.includes(p.account.id), `not someone ${why}`);
    }
    assert.ok(!ids.includes(design.id) && !ids.includes(tea.id), 'not channels one is in');
    assert.ok(!ids.includes(secret.id), 'not a private channel one is not in');
    const everyone = (await as(newcomer, 'GET', `${CH}?limit=40`)).json.find((c) => c.everyone ?? c.is_everyone);
    if (everyone) assert.ok(!ids.includes(everyone.id), 'not the everyone channel');

    // an open channel one is not in is suggested, as a group account
    const open = await channel(star);
    const again = await newcomer.client.v2.suggestions.list();
    assert.equal(again.find((s) => s.account.id === open.id)?.account.group, true, 'an open channel');
    // v1: the same accounts, as Accounts
    const v1 = await newcomer.client.v1.suggestions.list();
    assert.deepEqual(v1.map((a) => a.id), again.map((s) => s.account.id));
    // limit
    assert.equal((await newcomer.client.v2.suggestions.list({ limit: 2 })).length, 2);
  });

  test('a dismissed suggestion never comes back; an unknown account is 404; the scope is the page\'s', async () => {
    const [owner, mate, newcomer] = await registerUsers(srv.url, ['sd_own', 'sd_mate', 'sd_new']);
    const ch = await channel(owner);
    await join(mate, ch);
    await join(newcomer, ch);
    const before = (await newcomer.client.v2.suggestions.list()).map((s) => s.account.id);
    assert.ok(before.includes(mate.account.id));
    await newcomer.client.v1.suggestions.$select(mate.account.id).remove();
    for (let i = 0; i < 2; i++) {
      const after = (await newcomer.client.v2.suggestions.list()).map((s) => s.account.id);
      assert.ok(!after.includes(mate.account.id), 'gone, and it stays gone');
      assert.ok(after.includes(owner.account.id), 'the others stay');
    }
    await newcomer.client.v1.suggestions.$select(mate.account.id).remove(); // twice: no error
    await expectHttpError(newcomer.client.v1.suggestions.$select('123456789').remove(), 404, NOT_FOUND);
    // the page says `read` for each, dismissing included
    const reader = await passwordLogin(srv.url, newcomer.app, newcomer.username, PASSWORD, 'read');
    assert.equal((await raw(srv.url, '/api/v2/suggestions', { token: reader.accessToken })).status, 200);
    const r = await raw(srv.url, `/api/v1/suggestions/${owner.account.id}`, { method: 'DELETE', token: reader.accessToken });
    assert.equal(r.status, 200, r.text);
    const granular = await passwordLogin(srv.url, newcomer.app, newcomer.username, PASSWORD, 'read:accounts');
    assert.equal((await raw(srv.url, '/api/v2/suggestions', { token: granular.accessToken })).status, 200);
    const writer = await passwordLogin(srv.url, newcomer.app, newcomer.username, PASSWORD, 'write:accounts');
    assert.equal((await raw(srv.url, '/api/v2/suggestions', { token: writer.accessToken })).status, 403);
    const w = await raw(srv.url, `/api/v1/suggestions/${owner.account.id}`, { method: 'DELETE', token: writer.accessToken });
    assert.equal(w.status, 403);
    assert.equal((await raw(srv.url, '/api/v2/suggestions')).status, 401);
  });
});

describe('GET /api/v1/accounts/familiar_followers', () => {
  // masto.js 7.12 types fetch() as taking the array itself, which it sends as `0=…&1=…`;
  // Mastodon's parameter is id[], so the object form is what reaches it.
  const familiar = (who, ids) => who.client.v1.accounts.familiarFollowers.fetch({ id: ids });
  const idsOf2 = (res, id) => res.find((r) => r.id === id)?.accounts.map((a) => a.id);

  test('the people one follows who follow the account, latest follow first, at most max_familiar_accounts', async () => {
    const [viewer, a, b, c, hider, gone, target, e] = await registerUsers(url,
      ['ff_v', 'ff_a', 'ff_b', 'ff_c', 'ff_h', 'ff_g', 'ff_t', 'ff_e']);
    for (const p of [a, b, c, hider, gone]) await viewer.client.v1.accounts.$select(p.account.id).follow();
    for (const p of [a, b, hider, gone]) await p.client.v1.accounts.$select(target.account.id).follow();
    await hider.client.v1.accounts.updateCredentials({ hideCollections: true });
    await cli(server, 'admin', 'disable-user', '--username', gone.username);
    const got = await familiar(viewer, [target.account.id]);
    assert.deepEqual(got.map((r) => Object.keys(r).sort()), [['accounts', 'id']]);
    assert.deepEqual(idsOf2(got, target.account.id), [b.account.id, a.account.id],
      'not c (does not follow), not one hiding whom they follow, not a disabled one');
    // max_familiar_accounts = 2 here: the latest follows first
    await viewer.client.v1.accounts.$select(e.account.id).follow();
    await e.client.v1.accounts.$select(target.account.id).follow();
    assert.deepEqual(idsOf2(await familiar(viewer, [target.account.id]), target.account.id), [e.account.id, b.account.id]);
    // a target with more followers than the viewer follows is asked the other way round
    const crowd = await registerUsers(url, ['ff_x1', 'ff_x2', 'ff_x3', 'ff_x4', 'ff_x5', 'ff_x6', 'ff_x7']);
    for (const p of crowd) await p.client.v1.accounts.$select(c.account.id).follow();
    await a.client.v1.accounts.$select(c.account.id).follow();
    assert.deepEqual(idsOf2(await familiar(viewer, [c.account.id]), c.account.id), [a.account.id]);
  });

  test('nobody for an account hiding its followers or a private channel one is not in; unknown ids are left out; too many is 422', async () => {
    const [viewer, a, hidden, owner] = await registerUsers(url, ['ff2_v', 'ff2_a', 'ff2_h', 'ff2_o']);
    await viewer.client.v1.accounts.$select(a.account.id).follow();
    await a.client.v1.accounts.$select(hidden.account.id).follow();
    await hidden.client.v1.accounts.updateCredentials({ hideCollections: true });
    const secret = await makeChannel(owner, { private: true });
    const open = await makeChannel(owner);
    await viewer.client.v1.accounts.$select(owner.account.id).follow();
    await call(a, 'POST', `${CH}/${open.id}/join`);
    const got = await familiar(viewer, [hidden.account.id, secret.id, open.id]);
    assert.deepEqual(idsOf2(got, hidden.account.id), [], 'its followers are hidden');
    assert.deepEqual(idsOf2(got, secret.id), [], 'who is in a private channel (its owner, followed) is told to its members only');
    assert.deepEqual(idsOf2(got, open.id), [owner.account.id, a.account.id], 'an open channel: the members one follows');
    assert.deepEqual(idsOf2(await familiar(owner, [secret.id]), secret.id), [], 'a member sees the members they follow (none here)');
    assert.deepEqual(await familiar(viewer, ['123456789', 'nonsense']), [], 'unknown ids are left out');
    await expectHttpError(familiar(viewer, ['1', '2', '3', '4']), 422, /max_familiar_ids/);
    const r = await raw(url, `/api/v1/accounts/familiar_followers?id[]=${a.account.id}`);
    assert.equal(r.status, 401);
  });
});

describe('suggestions_candidates bounds the work of a suggestion', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { PARTYLINE_SUGGESTIONS_CANDIDATES: '10' } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('only the newest suggestions_candidates members of a channel are read', async () => {
    const people = await mapLimit([...Array(13).keys()], 4, (i) => registerUser(srv.url, uniqueName(`sc${i}`)));
    const [owner, ...members] = people;
    const newcomer = members.pop();
    const r = await raw(srv.url, CH, { method: 'POST', token: owner.token, json: { name: uniqueName('sc'), display_name: 'Big' } });
    assert.equal(r.status, 200, r.text);
    for (const p of [...members, newcomer]) {
      assert.equal((await raw(srv.url, `${CH}/${r.json.id}/join`, { method: 'POST', token: p.token })).status, 200);
    }
    const got = (await newcomer.client.v2.suggestions.list()).map((s) => s.account.id);
    // ten read: the newcomer and the nine members who joined last; nobody follows anyone else
    assert.deepEqual(got, members.slice(-9).reverse().map((p) => p.account.id));
  });
});
