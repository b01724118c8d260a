// server.test.mjs — the HTTP front door (src/http/server.c): one server per port, the JSON
// 413 whatever route and however the body comes, /metrics behind its token, HTTP/2 cleartext
// as a setting, and data files only their owner can read.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { binaryPath, raw, registerUser, startServer, uniqueName } from './harness.mjs';

/** Runs `partyline serve` on the given port until it exits (or 10 s); {code, stderr}. */
function serveUntilExit(port, env = {}) {
  return new Promise(async (resolve) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'partyline-second-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
    const child = spawn(binaryPath(), ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir], {
      env: { ...clean, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
    child.on('exit', async (code, signal) => {
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
      resolve({ code, signal, stderr });
    });
  });
}

describe('one server per port', () => {
  let first;
  before(async () => { first = await startServer(); });
  after(async () => first?.stop());

  test('a second server on the same port exits non-zero with "address already in use"', async () => {
    const second = await serveUntilExit(first.port, first.cliEnv);
    assert.equal(second.signal, null, `the second server should exit by itself, not run until killed:\n${second.stderr}`);
    assert.notEqual(second.code, 0, second.stderr);
    assert.match(second.stderr, /address already in use/i);
    // the first one still answers every request (no traffic went elsewhere)
    for (let i = 0; i < 20; i++) assert.equal((await raw(first.url, '/health')).status, 200);
  });
});

describe('413: bodies over max_body_bytes', () => {
  const LIMIT = 2000;
  let srv;
  let user;
  before(async () => {
    srv = await startServer({ env: { PARTYLINE_MAX_BODY_BYTES: String(LIMIT) } });
    user = await registerUser(srv.url, uniqueName('big'));
  });
  after(async () => srv?.stop());

  const big = () => JSON.stringify({ status: 'x'.repeat(LIMIT * 2) });
  const expectJson413 = async (res, what) => {
    const text = await res.text();
    assert.equal(res.status, 413, `${what}: ${text}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `${what}: a JSON answer`);
    assert.match(JSON.parse(text).error, /too large/i, what);
  };

  for (const [method, route, auth] of [
    ['POST', '/api/v1/statuses', true],
    ['POST', '/api/v1/apps', false],
    ['POST', '/oauth/token', false],
    ['PATCH', '/api/v1/accounts/update_credentials', true],
    ['POST', '/no/such/route', false],
  ]) {
    test(`${method} ${route} with a Content-Length over the limit: JSON 413`, async () => {
      const res = await fetch(new URL(route, srv.url), {
        method,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${user.token}` } : {}) },
        body: big(),
      });
      await expectJson413(res, `${method} ${route}`);
    });
  }

  test('a chunked body that grows past the limit: JSON 413', async () => {
    // More than the limit, then a pause before the end: the answer comes before the body
    // ends. (A server that refuses closes the connection; bytes still unread then would
    // make the kernel reset it, and the client could lose the answer.)
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"status":"${'x'.repeat(LIMIT + 500)}`));
      },
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 1000));
        controller.close();
      },
    });
    const res = await fetch(new URL('/api/v1/statuses', srv.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body,
      duplex: 'half',
    });
    await expectJson413(res, 'chunked');
  });

  test('a body within the limit still works, and nothing over it was stored', async () => {
    const res = await raw(srv.url, '/api/v1/statuses', { method: 'POST', token: user.token, json: { status: 'small' } });
    assert.equal(res.status, 200, res.text);
    const mine = await user.client.v1.accounts.$select(user.account.id).statuses.list();
    assert.deepEqual(mine.map((s) => s.id), [res.json.id]);
  });
});

describe('/metrics', () => {
  let off;
  let on;
  before(async () => {
    [off, on] = await Promise.all([
      startServer({ env: { PARTYLINE_METRICS_TOKEN: '' } }),
      startServer({ env: { PARTYLINE_METRICS_TOKEN: 's3cret-metrics-token' } }),
    ]);
  });
  after(async () => Promise.all([off?.stop(), on?.stop()]));

  test('without metrics_token, /metrics is not served on the public port', async () => {
    const r = await raw(off.url, '/metrics');
    assert.equal(r.status, 404, r.text);
    assert.doesNotMatch(r.text, /partyline_requests_total/);
  });

  test('with metrics_token, /metrics wants that bearer token', async () => {
    for (const token of [undefined, 'wrong', 's3cret-metrics-toke', 's3cret-metrics-tokenX']) {
      const r = await raw(on.url, '/metrics', { token });
      assert.equal(r.status, 401, `token ${token}: ${r.text}`);
      assert.equal(typeof r.json?.error, 'string');
      assert.doesNotMatch(r.text, /partyline_requests_total/);
    }
    const r = await raw(on.url, '/metrics', { token: 's3cret-metrics-token' });
    assert.equal(r.status, 200);
    assert.match(r.text, /partyline_requests_total/);
  });
});

/** Opens an HTTP/2 cleartext (prior knowledge) session and GETs /health: the status, or an error. */
function h2cHealth(url) {
  return new Promise((resolve) => {
    const session = http2.connect(url);
    const done = (v) => { session.destroy(); resolve(v); };
    session.on('error', (e) => done({ error: e.code ?? e.message }));
    const req = session.request({ ':path': '/health' });
    req.on('response', (h) => done({ status: h[':status'] }));
    req.on('error', (e) => done({ error: e.code ?? e.message }));
    req.end();
    setTimeout(() => done({ error: 'timeout' }), 3000);
  });
}

/** Sends an HTTP/1.1 request asking to upgrade to h2c; resolves to the status line. */
function upgradeStatus(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n' +
        'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
    });
    let got = '';
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) { sock.destroy(); resolve(got.split('\r\n')[0]); }
    });
    sock.on('error', () => resolve(got.split('\r\n')[0]));
    setTimeout(() => { sock.destroy(); resolve(got.split('\r\n')[0]); }, 3000);
  });
}

describe('HTTP/2 cleartext', () => {
  let on;
  let off;
  before(async () => {
    [on, off] = await Promise.all([
      startServer(),
      startServer({ env: { PARTYLINE_HTTP2_CLEARTEXT: 'false' } }),
    ]);
  });
  after(async () => Promise.all([on?.stop(), off?.stop()]));

  test('on by default: prior knowledge and Upgrade: h2c both speak HTTP/2', async () => {
    assert.deepEqual(await h2cHealth(on.url), { status: 200 });
    assert.match(await upgradeStatus(on.port), /^HTTP\/1\.1 101/);
  });

  test('http2_cleartext=false: neither prior knowledge nor the upgrade gets HTTP/2', async () => {
    assert.ok((await h2cHealth(off.url)).error, 'the HTTP/2 preface is refused');
    assert.match(await upgradeStatus(off.port), /^HTTP\/1\.1 200/, 'the upgrade is ignored: a plain HTTP/1.1 answer');
  });
});

describe('data files are owner-only', () => {
  const modeOf = async (p) => (await stat(p)).mode & 0o777;

  test('a data folder partyline makes is 0700', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'partyline-modes-'));
    const dir = path.join(parent, 'data');
    const srv = await startServer({ dataDir: dir, sqlite: true });
    try {
      assert.equal((await modeOf(dir)).toString(8), '700');
      assert.equal((await modeOf(path.join(dir, 'partyline.db'))).toString(8), '600');
    } finally {
      await srv.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });

  test('in a data folder that already exists (0755), every database file is 0600, and the operator is warned', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-modes-'));
    await chmod(dir, 0o755);
    const srv = await startServer({ dataDir: dir, sqlite: true });
    try {
      await registerUser(srv.url, uniqueName('mode')); // writes: the WAL and shared memory exist
      // the operator's folder (it may be shared) is left as it is, and reported
      assert.equal((await modeOf(dir)).toString(8), '755', 'the data folder');
      assert.match(srv.logs(), /data folder .* is open to others \(mode 755\)/);
      for (const f of ['partyline.db', 'partyline.db-wal', 'partyline.db-shm'])
        assert.equal((await modeOf(path.join(dir, f))).toString(8), '600', f);
    } finally {
      await srv.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a database file left readable by others (0644) is made 0600 at start', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-modes-'));
    const first = await startServer({ dataDir: dir, sqlite: true });
    await registerUser(first.url, uniqueName('mode'));
    await first.stop();
    await chmod(path.join(dir, 'partyline.db'), 0o644);
    await chmod(dir, 0o755);
    const srv = await startServer({ dataDir: dir, sqlite: true });
    try {
      assert.equal((await modeOf(path.join(dir, 'partyline.db'))).toString(8), '600');
      assert.match(srv.logs(), /was readable by others; permissions set to 0600/, 'the operator is told');
    } finally {
      await srv.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('request_timeout: how long a request may take to arrive', () => {
  let quick, plain, who;
  before(async () => {
    [quick, plain] = await Promise.all([startServer({ env: { PARTYLINE_REQUEST_TIMEOUT: '2' } }), startServer()]);
    who = await registerUser(plain.url, uniqueName('slow'));
  });
  after(async () => { await quick?.stop(); await plain?.stop(); });

  test('a request whose headers never end is closed when its time is up', async () => {
    const started = Date.now();
    const closed = await new Promise((resolve, reject) => {
      const sock = net.connect(quick.port, '127.0.0.1', () => sock.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      sock.on('error', reject);
      sock.on('close', () => resolve(Date.now() - started));
      setTimeout(() => { sock.destroy(); reject(new Error('still open after 15 s')); }, 15_000);
    });
    assert.ok(closed >= 1900 && closed < 10_000, `closed after ${closed} ms`);
  });

  test('an upload that takes longer than h2o\'s own 10 s arrives whole by default', async () => {
    // a 1.2 MB document sent in twelve pieces a second apart: ~12 s, as a slow link would
    const boundary = 'partyline-slow-upload';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n`
      + 'Content-Type: text/plain\r\n\r\n');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const pieces = Array.from({ length: 12 }, (_, i) => Buffer.alloc(100_000, String.fromCharCode(97 + i)));
    const length = head.length + tail.length + pieces.reduce((n, p) => n + p.length, 0);
    const started = Date.now();
    const answer = await new Promise((resolve, reject) => {
      const sock = net.connect(plain.port, '127.0.0.1');
      let got = '';
      sock.setEncoding('utf8');
      sock.on('data', (d) => { got += d; if (/\r\n\r\n[\s\S]*\}$/.test(got)) { sock.end(); } });
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
      sock.write(`POST /api/v2/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${who.token}\r\n`
        + `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
      sock.write(head);
      let i = 0;
      const next = () => {
        if (i < pieces.length) { sock.write(pieces[i++]); setTimeout(next, 1000); } else sock.write(tail);
      };
      next();
    });
    assert.ok(Date.now() - started > 11_000, 'the body took longer than 10 s to send');
    assert.match(answer, /^HTTP\/1\.1 20[02]/, answer.slice(0, 300));
    assert.match(answer, /"type":\s*"unknown"|"id":/, 'a MediaAttachment');
  });
});
