// The audit log (issue 14, "Audit log"; docs/api.md "Audit log"; the rules are src/app/audit.h):
// each act that changes who can see what or who can do what leaves one row, with its actor,
// target and audience and never a post's text, a file's contents, a password or a token;
// GET /api/v1/partyline/admin/audit shows them to administrators only; `partyline admin audit
// verify` walks the hash chain and names the first row changed or deleted behind the server's
// back; `partyline admin audit export` writes JSON lines that chain. Runs on both databases.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, dropDatabase, makeDatabase, mapLimit, passwordLogin, raw, registerUsers,
  serverDatabaseSql, startServer, uniqueName
} from './harness.mjs';

const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const AUDIT = '/api/v1/partyline/admin/audit';
const CH = '/api/v1/partyline/channels';

let srv;
let url;
let admin; // {token, id, app, username}

/** `partyline admin …` on a server's data: {code, stdout, stderr}. */
function cli(server, args) {
  return adminCli(server, args);
}

/** Runs SQL on a server's database behind its back. */
const behindTheBack = serverDatabaseSql;

async function makeAdmin(server) {
  const username = uniqueName('adm');
  const made = await cli(server, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(server.url, { scopes: ADMIN_SCOPES });
  const tok = await passwordLogin(server.url, app, username, 'long enough pw', ADMIN_SCOPES);
  const me = await raw(server.url, '/api/v1/accounts/verify_credentials', { token: tok.accessToken });
  return { token: tok.accessToken, id: me.json.id, app, username };
}

async function call(who, method, p, { json, body, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who.token ?? who, json, body });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

/** The rows matching query (newest first), as the administrator sees them. */
async function rows(query = '') {
  const r = await raw(url, `${AUDIT}?limit=200${query ? `&${query}` : ''}`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** The one newest row of action about target (and, if given, with detail members). */
async function rowOf(action, target, detail = {}) {
  const found = (await rows(`action=${action}${target ? `&target=${target}` : ''}`))
    .filter((x) => Object.entries(detail).every(([k, v]) => String(x.detail[k]) === String(v)));
  assert.ok(found.length >= 1, `a row ${action} of ${target} ${JSON.stringify(detail)}`);
  return found[0];
}

before(async () => {
  srv = await startServer();
  url = srv.url;
  admin = await makeAdmin(srv);
});

after(async () => {
  await srv?.stop();
});

describe('the audit log', () => {
  test('posts: created, edited, deleted, with their audience and channel, and never their text', async () => {
    const [amy] = await registerUsers(url, ['au_post']);
    const secret = `quarterly numbers ${uniqueName('txt')}`;
    const p = await call(amy, 'POST', '/api/v1/statuses', { json: { status: secret, visibility: 'private' } });
    const made = await rowOf('post.create', p.id);
    assert.equal(made.actor_id, amy.account.id);
    assert.equal(made.target_kind, 'status');
    assert.equal(made.audience, 'private');
    assert.equal(made.ip, '127.0.0.1');
    await call(amy, 'PUT', `/api/v1/statuses/${p.id}`, { json: { status: `${secret} edited` } });
    assert.equal((await rowOf('post.edit', p.id)).actor_id, amy.account.id);
    await call(amy, 'DELETE', `/api/v1/statuses/${p.id}`);
    const gone = await rowOf('post.delete', p.id);
    assert.equal(gone.audience, 'private');

    const ch = await call(amy, 'POST', CH, { json: { name: uniqueName('ch') } });
    const inCh = await call(amy, 'POST', '/api/v1/statuses', { json: { status: secret, channel_id: ch.id } });
    const r = await rowOf('post.create', inCh.id);
    assert.equal(r.detail.channel_id, ch.id);
    const all = JSON.stringify(await rows());
    assert.ok(!all.includes('quarterly numbers'), 'no post text in the audit log');
  });

  test('sign-in success and failure (the username tried, never the password), tokens issued and revoked, a session signed out', async () => {
    const [bo] = await registerUsers(url, ['au_sign']);
    const app = await createApp(url);
    const tok = await passwordLogin(url, app, bo.username, bo.password);
    const signIn = await rowOf('auth.sign_in', bo.account.id);
    assert.equal(signIn.actor_id, bo.account.id);
    assert.equal(signIn.detail.method, 'password');
    const issued = (await rows(`action=token.issue&actor=${bo.account.id}`))[0];
    assert.equal(issued.detail.scopes, ALL_SCOPES);
    assert.ok(!JSON.stringify(issued).includes(tok.accessToken), 'never the token');

    const wrong = `wrong-${uniqueName('pw')}`;
    const bad = await raw(url, '/oauth/token', {
      method: 'POST',
      json: { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username: bo.username, password: wrong, scope: 'read' },
    });
    assert.equal(bad.status, 400);
    const failed = await rowOf('auth.sign_in_failed', bo.account.id);
    assert.equal(failed.detail.username, bo.username);
    assert.equal(failed.detail.reason, 'password');
    const nobody = uniqueName('nobody');
    await raw(url, '/oauth/token', {
      method: 'POST',
      json: { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username: nobody, password: wrong },
    });
    const unknown = await rowOf('auth.sign_in_failed', null, { username: nobody });
    assert.equal(unknown.actor_id, null);
    assert.ok(!JSON.stringify(await rows()).includes(wrong), 'never the password tried');

    const revoked = await raw(url, '/oauth/revoke', { method: 'POST', json: { client_id: app.clientId, client_secret: app.clientSecret, token: tok.accessToken } });
    assert.equal(revoked.status, 200, revoked.text);
    const rev = (await rows(`action=token.revoke&actor=${bo.account.id}`))[0];
    assert.equal(rev.target_kind, 'app');

    const other = await passwordLogin(url, app, bo.username, bo.password);
    const list = await call(bo, 'GET', '/api/v1/partyline/sessions');
    const s = list.find((x) => !x.current);
    await call(bo, 'DELETE', `/api/v1/partyline/sessions/${s.id}`);
    assert.equal((await rowOf('session.sign_out', s.id)).actor_id, bo.account.id);
    assert.ok(other.accessToken);
  });

  test('channels: joined, left, removed, roles, pins and a post removed by a moderator', async () => {
    const [own, mem, out] = await registerUsers(url, ['au_own', 'au_mem', 'au_out']);
    const ch = await call(own, 'POST', CH, { json: { name: uniqueName('ch') } });
    assert.equal((await rowOf('channel.create', ch.id)).actor_id, own.account.id);
    await call(mem, 'POST', `${CH}/${ch.id}/join`);
    assert.equal((await rowOf('channel.join', ch.id, { account_id: mem.account.id })).actor_id, mem.account.id);
    await call(own, 'PUT', `${CH}/${ch.id}/members/${mem.account.id}`, { json: { role: 'moderator' } });
    const role = await rowOf('channel.role', ch.id);
    assert.equal(role.detail.role, 'moderator');
    assert.equal(role.detail.was, 'member');
    const p = await call(own, 'POST', '/api/v1/statuses', { json: { status: 'pin me', channel_id: ch.id } });
    await call(mem, 'POST', `${CH}/${ch.id}/pins/${p.id}`);
    const pin = await rowOf('channel.pin', p.id);
    assert.equal(pin.actor_id, mem.account.id);
    assert.equal(pin.detail.channel_id, ch.id);
    await call(out, 'POST', `${CH}/${ch.id}/join`);
    const q = await call(out, 'POST', '/api/v1/statuses', { json: { status: 'off topic', channel_id: ch.id } });
    await call(mem, 'DELETE', `${CH}/${ch.id}/statuses/${q.id}`);
    const removed = await rowOf('channel.remove_post', q.id);
    assert.equal(removed.actor_id, mem.account.id);
    assert.equal(removed.detail.author_id, out.account.id);
    await call(mem, 'DELETE', `${CH}/${ch.id}/members/${out.account.id}`);
    assert.equal((await rowOf('channel.remove_member', ch.id, { account_id: out.account.id })).actor_id, mem.account.id);
    await call(own, 'PUT', `${CH}/${ch.id}/members/${mem.account.id}`, { json: { role: 'member' } });
    await call(mem, 'POST', `${CH}/${ch.id}/leave`);
    assert.equal((await rowOf('channel.leave', ch.id, { account_id: mem.account.id })).actor_id, mem.account.id);
    await call(own, 'PATCH', `${CH}/${ch.id}`, { json: { private: true, note: 'for the secret project' } });
    const upd = await rowOf('channel.update', ch.id);
    assert.equal(upd.detail.private, 'true');
    assert.equal(upd.detail.fields, 'note private');
    assert.ok(!JSON.stringify(upd).includes('secret project'));
  });

  test('a locked account: the follow request, its acceptance and a rejection', async () => {
    const [lock, fan, other] = await registerUsers(url, ['au_lock', 'au_fan', 'au_oth']);
    await call(lock, 'PATCH', '/api/v1/accounts/update_credentials', { json: { locked: true } });
    await call(fan, 'POST', `/api/v1/accounts/${lock.account.id}/follow`);
    assert.equal((await rowOf('follow.request', lock.account.id, { account_id: fan.account.id })).actor_id, fan.account.id);
    await call(lock, 'POST', `/api/v1/follow_requests/${fan.account.id}/authorize`);
    assert.equal((await rowOf('follow.request_accept', lock.account.id, { account_id: fan.account.id })).actor_id, lock.account.id);
    await call(other, 'POST', `/api/v1/accounts/${lock.account.id}/follow`);
    await call(lock, 'POST', `/api/v1/follow_requests/${other.account.id}/reject`);
    assert.equal((await rowOf('follow.request_reject', lock.account.id, { account_id: other.account.id })).actor_id, lock.account.id);
  });

  test('settings: which fields changed, not what they say; list audiences; a file attached', async () => {
    const [me, friend] = await registerUsers(url, ['au_set', 'au_fr']);
    await call(me, 'PATCH', '/api/v1/accounts/update_credentials', {
      json: { display_name: 'Private Name', note: 'my private note', source: { privacy: 'unlisted' } },
    });
    const upd = await rowOf('account.update', me.account.id);
    assert.match(upd.detail.fields, /display_name/);
    assert.match(upd.detail.fields, /note/);
    assert.equal(upd.detail.privacy, 'unlisted');
    assert.ok(!JSON.stringify(upd).includes('Private Name') && !JSON.stringify(upd).includes('private note'));

    await call(me, 'POST', `/api/v1/accounts/${friend.account.id}/follow`);
    const list = await call(me, 'POST', '/api/v1/lists', { json: { title: 'close ones' } });
    await call(me, 'POST', `/api/v1/lists/${list.id}/accounts`, { json: { account_ids: [friend.account.id] } });
    const added = await rowOf('list.add_member', list.id);
    assert.equal(added.audience, 'list');
    assert.equal(added.detail.account_id, friend.account.id);
    await call(me, 'DELETE', `/api/v1/lists/${list.id}/accounts`, { json: { account_ids: [friend.account.id] } });
    await rowOf('list.remove_member', list.id);

    const form = new FormData();
    form.append('file', new Blob(['the contents of a secret file']), 'plan.txt');
    const up = await call(me, 'POST', '/api/v2/media', { body: form });
    const p = await call(me, 'POST', '/api/v1/statuses', { json: { status: 'with a file', media_ids: [up.id] } });
    const att = await rowOf('media.attach', up.id);
    assert.equal(att.detail.status_id, p.id);
    assert.ok(!JSON.stringify(await rows()).includes('secret file'));
  });

  test('administrators: the command line and the admin API are recorded', async () => {
    const username = uniqueName('au_cli');
    assert.equal((await cli(srv, ['create-user', '--username', username, '--email', `${username}@example.com`, '--password', 'long enough pw'])).code, 0);
    const made = (await rows('action=account.create')).find((x) => x.detail.username === username);
    assert.equal(made.detail.by, 'admin_cli');
    assert.equal(made.actor_id, null);
    assert.equal((await cli(srv, ['set-password', '--username', username, '--password', 'another long pw'])).code, 0);
    assert.equal((await cli(srv, ['disable-user', '--username', username])).code, 0);
    for (const action of ['admin.set_password', 'admin.disable']) {
      const r = await rowOf(action, made.target_id);
      assert.equal(r.detail.by, 'admin_cli');
    }
    assert.ok(!JSON.stringify(await rows()).includes('another long pw'));
    const an = await call(admin, 'POST', '/api/v1/partyline/admin/announcements', { json: { text: 'All hands at noon' } });
    const ann = await rowOf('admin.announce', an.id);
    assert.equal(ann.actor_id, admin.id);
    assert.equal(ann.audience, 'company');
  });

  test('only administrators read it: 403 for a member, 403 for a token without admin:read, 401 without a token', async () => {
    const [member] = await registerUsers(url, ['au_403']);
    const app = await createApp(url, { scopes: ADMIN_SCOPES });
    const scoped = await passwordLogin(url, app, member.username, member.password, ADMIN_SCOPES);
    const asMember = await raw(url, AUDIT, { token: scoped.accessToken });
    assert.equal(asMember.status, 403);
    assert.match(asMember.json.error, /administrators/i);
    const narrow = await passwordLogin(url, admin.app, admin.username, 'long enough pw', 'read write');
    const noScope = await raw(url, AUDIT, { token: narrow.accessToken });
    assert.equal(noScope.status, 403);
    assert.match(noScope.json.error, /scope/i);
    const none = await raw(url, AUDIT);
    assert.equal(none.status, 401);
    assert.equal(typeof none.json.error, 'string');
    const badFilter = await raw(url, `${AUDIT}?since=yesterday`, { token: admin.token });
    assert.equal(badFilter.status, 422);
    assert.match(badFilter.json.error, /since/);
  });

  test('filters and pages: actor, action, since; Link and max_id as every page', async () => {
    const [pg] = await registerUsers(url, ['au_page']);
    const start = new Date().toISOString();
    for (let i = 0; i < 5; i++) await call(pg, 'POST', '/api/v1/statuses', { json: { status: `n${i}` } });
    const mine = await rows(`actor=${pg.account.id}&action=post.create&since=${start}`);
    assert.equal(mine.length, 5);
    assert.ok(mine.every((x) => x.actor_id === pg.account.id && x.action === 'post.create'));
    const first = await raw(url, `${AUDIT}?actor=${pg.account.id}&action=post.create&limit=2`, { token: admin.token });
    assert.equal(first.json.length, 2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link'))[1];
    assert.match(next, /actor=/, 'the next page keeps the filters');
    const second = await raw(url, next.replace(/^https?:\/\/[^/]+/, ''), { token: admin.token });
    assert.deepEqual(second.json.map((x) => x.id), mine.slice(2, 4).map((x) => x.id));
  });
});

describe('verify and export', () => {
  // each on a server of its own: they break its chain on purpose
  async function brokenServer() {
    const s = await startServer();
    const [u] = await registerUsers(s.url, ['au_v']);
    for (let i = 0; i < 3; i++) {
      const r = await raw(s.url, '/api/v1/statuses', { method: 'POST', token: u.token, json: { status: `p${i}` } });
      assert.equal(r.status, 200, r.text);
    }
    const ok = await cli(s, ['audit', 'verify']);
    assert.equal(ok.code, 0, ok.stderr);
    const m = /audit log whole: (\d+) rows from \S+ to \S+/.exec(ok.stdout);
    assert.ok(m, ok.stdout);
    return { s, rows: Number(m[1]) };
  }

  test('a row edited behind the server\'s back: verify exits non-zero naming it', async () => {
    const { s } = await brokenServer();
    try {
      await behindTheBack(s, "UPDATE audit_log SET audience = 'public' WHERE seq = 3");
      const v = await cli(s, ['audit', 'verify']);
      assert.notEqual(v.code, 0);
      assert.match(v.stderr, /broken at row 3 \(id \d+\): .*changed/);
    } finally {
      await s.stop();
    }
  });

  test('a row deleted: verify names the gap', async () => {
    const { s } = await brokenServer();
    try {
      await behindTheBack(s, 'DELETE FROM audit_log WHERE seq = 2');
      const v = await cli(s, ['audit', 'verify']);
      assert.notEqual(v.code, 0);
      assert.match(v.stderr, /broken at row 2: missing/);
    } finally {
      await s.stop();
    }
  });

  test('the export: one JSON line a row, in chain order, each with its hash, chained; itself recorded', async () => {
    const { s, rows: n } = await brokenServer();
    try {
      const e = await cli(s, ['audit', 'export']);
      assert.equal(e.code, 0, e.stderr);
      const lines = e.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, n + 1, 'every row and the export\'s own');
      let prev = '0'.repeat(64);
      lines.forEach((r, i) => {
        assert.equal(r.seq, i + 1);
        assert.match(r.hash, /^[0-9a-f]{64}$/);
        assert.equal(r.prev_hash, prev, `row ${r.seq} follows the one before`);
        prev = r.hash;
      });
      assert.equal(lines.at(-1).action, 'audit.export');
      const v = await cli(s, ['audit', 'verify']);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, new RegExp(`whole: ${n + 1} rows`));
      const since = await cli(s, ['audit', 'export', '--since', '2999-01-01']);
      assert.equal(since.stdout.trim(), '', 'nothing after a time to come');
    } finally {
      await s.stop();
    }
  });
});

describe('many writers at once', () => {
  // On PostgreSQL, two nodes with four writers each append to one chain: the head's row lock
  // must keep it one chain (no two rows after the same one), in commit order.
  test('posts from 32 connections at once (on PostgreSQL, through two nodes): the chain stays whole', async () => {
    const db = await makeDatabase();
    const nodes = db
      ? [await startServer({ database: db, env: { PARTYLINE_NODE_ID: '1' } }),
        await startServer({ database: db, env: { PARTYLINE_NODE_ID: '2' } })]
      : [await startServer()];
    try {
      const people = await registerUsers(nodes[0].url, ['au_w1', 'au_w2', 'au_w3', 'au_w4']);
      const jobs = Array.from({ length: 96 }, (_, i) => i);
      const made = await mapLimit(jobs, 32, async (i) => {
        const node = nodes[i % nodes.length];
        const who = people[i % people.length];
        const r = await raw(node.url, '/api/v1/statuses', { method: 'POST', token: who.token, json: { status: `at once ${i}` } });
        assert.equal(r.status, 200, r.text);
        return r.json.id;
      });
      assert.equal(new Set(made).size, 96);
      const v = await cli(nodes[0], ['audit', 'verify']);
      assert.equal(v.code, 0, v.stderr);
      const n = Number(/whole: (\d+) rows/.exec(v.stdout)[1]);
      const e = await cli(nodes[0], ['audit', 'export']);
      const lines = e.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, n + 1);
      const posted = new Set(lines.filter((r) => r.action === 'post.create').map((r) => r.target_id));
      for (const id of made) assert.ok(posted.has(id), `the post ${id} has its row`);
    } finally {
      for (const node of nodes) await node.stop();
      await dropDatabase(db);
    }
  });
});
