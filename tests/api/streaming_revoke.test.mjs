// streaming_revoke.test.mjs — a revoked token, or a disabled account, ends its open streams:
// a WebSocket is closed with 1008 (policy violation) and a reason, a server-sent events
// response ends. Revocations come from the API (/oauth/revoke), from `partyline admin
// disable-user` and `set-password` (another process: the server hears of it within about a
// second), and even from a change the server was never told of (each stream's token is
// checked again every stream_heartbeat seconds). A disabled account's tokens are refused on
// REST and streaming alike. Mirrors src/http/streaming.c (revocation) and src/cli/admin.c.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import WebSocket from 'ws';

import {
  binaryPath, dropDatabase, expectHttpError, makeDatabase, oauthClient, passwordLogin, raw, registerUser, registerUsers,
  restClient, startServer, uniqueName,
} from './harness.mjs';

const run = promisify(execFile);
const DEADLINE = 10000;
const onPostgres = Boolean(process.env.PARTYLINE_TEST_DATABASE);

/** Runs `partyline ARGS…` on the server's data; resolves {code, stdout, stderr}. */
async function cli(server, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  Object.assign(env, server.cliEnv);
  try {
    const { stdout, stderr } = await run(binaryPath(), [...args, '--data', server.dataDir], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Changes the database behind the server's back (no signal of any kind). */
async function sqlBehindTheBack(server, sql) {
  if (server.database) await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', server.database, '-c', sql]);
  else await run('sqlite3', ['-cmd', '.timeout 5000', path.join(server.dataDir, 'partyline.db'), sql]);
}

/**
 * A WebSocket on the user stream; resolves once the server took the subscription (a post of
 * the person's own arrives). {messages, closed: Promise<{code, reason}>, close()}.
 */
async function userSocket(server, person) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/streaming?stream=user`, {
    headers: { authorization: `Bearer ${person.token}` },
  });
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  ws.on('error', () => {});
  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('close', () => reject(new Error('closed before opening'))); });
  const end = Date.now() + DEADLINE;
  for (;;) {
    const post = await person.client.v1.statuses.create({ status: 'am I live?', visibility: 'private' });
    const until = Date.now() + 300;
    while (Date.now() < until && !messages.some((m) => m.event === 'update' && JSON.parse(m.payload).id === post.id))
      await new Promise((r) => setTimeout(r, 20));
    if (messages.some((m) => m.event === 'update' && JSON.parse(m.payload).id === post.id)) break;
    assert.ok(Date.now() < end, 'the WebSocket subscription became live');
  }
  return { ws, messages, closed, close: () => ws.terminate() };
}

/** Reads an SSE stream; resolves once it answered 200. {status, done(): bool, close()}. */
async function sseStream(server, token) {
  const ac = new AbortController();
  const res = await fetch(`${server.url}/api/v1/streaming/user`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  const state = { status: res.status, ended: false, text: '' };
  if (res.status === 200) {
    (async () => {
      try {
        for await (const chunk of res.body) state.text += Buffer.from(chunk).toString();
      } catch {
        // aborted or cut
      }
      state.ended = true;
    })();
  }
  state.close = () => ac.abort();
  return state;
}

/** Waits for a close (or fails after ms): the {code, reason} the server sent. */
async function closedWithin(sock, what, ms = DEADLINE) {
  const r = await Promise.race([sock.closed, new Promise((res) => setTimeout(() => res(null), ms))]);
  assert.ok(r, `${what}: the WebSocket was closed within ${ms} ms`);
  return r;
}

async function endedWithin(s, what, ms = DEADLINE) {
  const end = Date.now() + ms;
  while (!s.ended) {
    assert.ok(Date.now() < end, `${what}: the SSE response ended within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('revocation ends streams', () => {
  let server;
  before(async () => {
    // the heartbeat (and so the periodic re-check) is long: a close within seconds proves the signal
    server = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_STREAM_HEARTBEAT: '300' } });
  });
  after(async () => {
    await server?.stop();
  });

  test('revoking a token through /oauth/revoke closes its WebSocket with 1008 and a reason', async () => {
    const [alice] = await registerUsers(server.url, ['ora']);
    const second = await passwordLogin(server.url, alice.app, alice.email);
    const doomed = await userSocket(server, { ...alice, token: second.accessToken });
    const kept = await userSocket(server, alice);
    try {
      await oauthClient(server.url).revoke({ clientId: alice.app.clientId, clientSecret: alice.app.clientSecret, token: second.accessToken });
      const { code, reason } = await closedWithin(doomed, 'the revoked token');
      assert.equal(code, 1008, 'policy violation, not an abnormal close');
      assert.match(reason, /revoked/i);
      const post = await alice.client.v1.statuses.create({ status: 'still on the other token', visibility: 'private' });
      const end = Date.now() + DEADLINE;
      while (!kept.messages.some((m) => m.event === 'update' && JSON.parse(m.payload).id === post.id)) {
        assert.ok(Date.now() < end, 'the stream of the other token goes on');
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      doomed.close();
      kept.close();
    }
  });

  test('`admin disable-user` (another process) ends the person\'s streams at once; their tokens are refused everywhere', async () => {
    const [alice, bob] = await registerUsers(server.url, ['oda', 'odb']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const ws = await userSocket(server, bob);
    const sse = await sseStream(server, bob.token);
    try {
      assert.equal(sse.status, 200);
      const r = await cli(server, 'admin', 'disable-user', '--username', bob.account.username);
      assert.equal(r.code, 0, r.stderr);
      const { code, reason } = await closedWithin(ws, 'disable-user', 5000);
      assert.equal(code, 1008);
      assert.match(reason, /revoked|disabled/i);
      await endedWithin(sse, 'disable-user', 5000);
      // and nothing more reaches them: their tokens are refused on REST and streaming
      await expectHttpError(restClient(server.url, bob.token).v1.accounts.verifyCredentials(), 401, /invalid/i);
      await expectHttpError(restClient(server.url, bob.token).v1.timelines.home.list(), 401, /invalid/i);
      const again = await raw(server.url, '/api/v1/streaming/user', { token: bob.token });
      assert.equal(again.status, 401);
      assert.match(JSON.parse(again.text).error, /token/i);
    } finally {
      ws.close();
      sse.close();
    }
  });

  test('`admin set-password` ends the person\'s open streams at once', async () => {
    const [carol] = await registerUsers(server.url, ['osp']);
    const ws = await userSocket(server, carol);
    try {
      const r = await cli(server, 'admin', 'set-password', '--username', carol.account.username, '--password', 'a brand new password');
      assert.equal(r.code, 0, r.stderr);
      const { code, reason } = await closedWithin(ws, 'set-password', 5000);
      assert.equal(code, 1008);
      assert.match(reason, /revoked/i);
    } finally {
      ws.close();
    }
  });
});

describe('a disabled account\'s tokens stop working even when no signal came', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_STREAM_HEARTBEAT: '2' } });
  });
  after(async () => {
    await server?.stop();
  });

  test('disabled in the database behind the server\'s back: REST refuses the token and the stream ends by the next check', async () => {
    const [dave] = await registerUsers(server.url, ['obs']);
    const ws = await userSocket(server, dave);
    const sse = await sseStream(server, dave.token);
    try {
      await sqlBehindTheBack(server, `UPDATE accounts SET is_disabled = 1 WHERE id = ${dave.account.id}`);
      // REST reads the account's row on every request
      await expectHttpError(restClient(server.url, dave.token).v1.accounts.verifyCredentials(), 403, /disabled/i);
      const { code, reason } = await closedWithin(ws, 'the periodic check', 8000);
      assert.equal(code, 1008);
      assert.match(reason, /disabled|revoked|no longer valid/i);
      await endedWithin(sse, 'the periodic check', 8000);
      const again = await raw(server.url, '/api/v1/streaming/user', { token: dave.token });
      assert.ok([401, 403].includes(again.status), `a new stream is refused (${again.status})`);
    } finally {
      ws.close();
      sse.close();
    }
  });
});

describe('revocation across two nodes on one PostgreSQL', { skip: !onPostgres && 'needs PostgreSQL' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    a = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '1', PARTYLINE_STREAM_HEARTBEAT: '300' } });
    b = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '2', PARTYLINE_STREAM_HEARTBEAT: '300' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await dropDatabase(db);
  });

  test('a token revoked on node B ends its stream on node A; `admin disable-user` ends streams on both', async () => {
    const erin = await registerUser(b.url, uniqueName('xre'));
    const second = await passwordLogin(b.url, erin.app, erin.email);
    const onA = await userSocket(a, { ...erin, token: second.accessToken });
    try {
      await oauthClient(b.url).revoke({ clientId: erin.app.clientId, clientSecret: erin.app.clientSecret, token: second.accessToken });
      const { code, reason } = await closedWithin(onA, 'revoked on the other node');
      assert.equal(code, 1008);
      assert.match(reason, /revoked/i);
    } finally {
      onA.close();
    }
    const fred = await registerUser(a.url, uniqueName('xrf'));
    const wsA = await userSocket(a, fred);
    const wsB = await userSocket(b, fred);
    try {
      const r = await cli(a, 'admin', 'disable-user', '--username', fred.account.username);
      assert.equal(r.code, 0, r.stderr);
      for (const [ws, node] of [[wsA, 'A'], [wsB, 'B']]) {
        const { code } = await closedWithin(ws, `disable-user, node ${node}`, 5000);
        assert.equal(code, 1008);
      }
    } finally {
      wsA.close();
      wsB.close();
    }
  });
});
