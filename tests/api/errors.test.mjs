// Error shapes, limits and rate limits: 401 / 404 / 422 / 413 / 429 with {"error": "..."},
// private and direct statuses hidden as 404, the character limit (links count 23),
// X-RateLimit-* headers. Docs: api/rate-limits, methods/statuses, methods/accounts.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import {
  appToken,
  createApp,
  expectHttpError,
  passwordLogin,
  raw,
  registerUser,
  registerUsers,
  restClient,
  startServer,
  startServers,
  uniqueName,
  NOT_FOUND,
} from './harness.mjs';

const MAX = 50;
let main; // PARTYLINE_MAX_CHARACTERS=50, PARTYLINE_PUBLIC_READ=false
let tokenLimited; // 5 requests per token per 300 s
let ipLimited; // 5 requests per IP (without token) per 300 s
let url;

before(async () => {
  [main, tokenLimited, ipLimited] = await startServers([
    { env: { PARTYLINE_MAX_CHARACTERS: String(MAX), PARTYLINE_PUBLIC_READ: 'false' } },
    { env: { PARTYLINE_RATE_LIMIT_TOKEN: '5', PARTYLINE_RATE_LIMIT_WINDOW: '300', PARTYLINE_RATE_LIMIT_IP: '100000' } },
    { env: { PARTYLINE_RATE_LIMIT_IP: '5', PARTYLINE_RATE_LIMIT_WINDOW: '300', PARTYLINE_RATE_LIMIT_TOKEN: '0' } },
  ]);
  url = main.url;
});

/** The ids of the statuses a user has stored, newest first (read back after a refusal). */
async function storedIds(user) {
  return (await user.client.v1.accounts.$select(user.account.id).statuses.list({ limit: 40 })).map((s) => s.id);
}

after(async () => {
  await Promise.all([main, tokenLimited, ipLimited].filter(Boolean).map((s) => s.stop()));
});

describe('401 Unauthorized', () => {
  const userOnly = [
    ['GET', '/api/v1/accounts/verify_credentials'],
    ['GET', '/api/v1/timelines/home'],
    ['GET', '/api/v1/notifications'],
    ['POST', '/api/v1/statuses'],
    ['GET', '/api/v1/bookmarks'],
    ['GET', '/api/v1/markers?timeline[]=home'],
  ];

  for (const [method, path] of userOnly) {
    test(`${method} ${path} without a token: 401 {"error"}`, async () => {
      const r = await raw(url, path, { method, json: method === 'POST' ? { status: 'x' } : undefined });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(typeof r.json?.error, 'string', `{"error": "..."} expected, got ${r.text}`);
      assert.ok(r.json.error.length > 0);
    });
  }

  test('a bad or malformed token: 401 "The access token is invalid"', async () => {
    await expectHttpError(restClient(url, 'not-a-real-token').v1.accounts.verifyCredentials(), 401, /token|invalid/i);
    for (const auth of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a b c', 'bearer ' + 'x'.repeat(5000)]) {
      const r = await raw(url, '/api/v1/accounts/verify_credentials', { headers: { Authorization: auth } });
      assert.equal(r.status, 401, `Authorization: ${auth.slice(0, 30)}…`);
      assert.equal(typeof r.json?.error, 'string');
    }
  });

  test('an app token on a user-only method: 422 "This method requires an authenticated user"', async () => {
    const app = await createApp(url);
    const tok = await appToken(url, app);
    await expectHttpError(
      restClient(url, tok.accessToken).v1.accounts.verifyCredentials(),
      422,
      /authenticated user/i,
      'client_credentials token on verify_credentials',
    );
  });

  test('PARTYLINE_PUBLIC_READ=false: signed-out public timeline and statuses are 401', async () => {
    const [a] = await registerUsers(url, ['pr']);
    const s = await a.client.v1.statuses.create({ status: 'public, but the server is closed to visitors' });
    await expectHttpError(restClient(url).v1.timelines.public.list(), 401, /authenticated|token|auth/i);
    await expectHttpError(restClient(url).v1.statuses.$select(s.id).fetch(), 401, /authenticated|token|auth/i);
    // signed in it is all there
    const seen = await a.client.v1.statuses.$select(s.id).fetch();
    assert.equal(seen.id, s.id);
  });
});

describe('404 Not Found', () => {
  test('unknown status, account, notification: 404 "Record not found"', async () => {
    const [a] = await registerUsers(url, ['nf']);
    await expectHttpError(a.client.v1.statuses.$select('999999999999').fetch(), 404, NOT_FOUND, 'status');
    await expectHttpError(a.client.v1.statuses.$select('not-a-number').fetch(), 404, NOT_FOUND, 'status with a non-numeric id');
    await expectHttpError(a.client.v1.accounts.$select('999999999999').fetch(), 404, NOT_FOUND, 'account');
    await expectHttpError(a.client.v1.notifications.$select('999999999999').fetch(), 404, NOT_FOUND, 'notification');
  });

  test('an unknown API path: 404 with a JSON error', async () => {
    const r = await raw(url, '/api/v1/no/such/thing');
    assert.equal(r.status, 404);
    assert.equal(typeof r.json?.error, 'string', r.text);
  });

  test('a followers-only post is 404 to a non-follower, visible to followers and the mentioned', async () => {
    const [author, follower, stranger, mentioned] = await registerUsers(url, ['pa', 'pf', 'ps', 'pm']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    const s = await author.client.v1.statuses.create({ status: `for followers and @${mentioned.username}`, visibility: 'private' });
    assert.equal((await follower.client.v1.statuses.$select(s.id).fetch()).id, s.id);
    assert.equal((await mentioned.client.v1.statuses.$select(s.id).fetch()).id, s.id);
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND, 'stranger GET');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).context.fetch(), 404, NOT_FOUND, 'stranger context');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).favourite(), 404, NOT_FOUND, 'stranger favourite');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).favouritedBy.list(), 404, NOT_FOUND, 'stranger favourited_by');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).rebloggedBy.list(), 404, NOT_FOUND, 'stranger reblogged_by');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).history.list(), 404, NOT_FOUND, 'stranger history');
    await expectHttpError(stranger.client.v1.statuses.$select(s.id).bookmark(), 404, NOT_FOUND, 'stranger bookmark');
    await expectHttpError(
      stranger.client.v1.statuses.create({ status: 'sneaky reply', inReplyToId: s.id }),
      404,
      NOT_FOUND,
      'stranger replies to it',
    );
    // after unfollowing, the former follower no longer sees it
    await follower.client.v1.accounts.$select(author.account.id).unfollow();
    await expectHttpError(follower.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND, 'former follower');
  });

  test('a direct post is 404 to anyone not mentioned, even followers', async () => {
    const [author, follower, mentioned] = await registerUsers(url, ['da', 'df', 'dm']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    const s = await author.client.v1.statuses.create({ status: `@${mentioned.username} just us`, visibility: 'direct' });
    assert.equal((await mentioned.client.v1.statuses.$select(s.id).fetch()).id, s.id);
    assert.equal((await author.client.v1.statuses.$select(s.id).fetch()).id, s.id);
    await expectHttpError(follower.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND, 'follower GET of a direct post');
    const acct = await follower.client.v1.accounts.$select(author.account.id).statuses.list();
    assert.ok(!acct.some((x) => x.id === s.id), 'not in the author\'s statuses for a follower');
    const home = await follower.client.v1.timelines.home.list();
    assert.ok(!home.some((x) => x.id === s.id), 'not in a follower\'s home');
  });
});

describe('422 Unprocessable', () => {
  test(`a status over ${MAX} characters is 422; exactly ${MAX} is fine`, async () => {
    const [a] = await registerUsers(url, ['ln']);
    const ok = await a.client.v1.statuses.create({ status: 'x'.repeat(MAX) });
    assert.ok(ok.id);
    await expectHttpError(a.client.v1.statuses.create({ status: 'x'.repeat(MAX + 1) }), 422, /character|long|limit/i);
    assert.deepEqual(await storedIds(a), [ok.id], 'the status over the limit was not stored');
  });

  test('a link counts as 23 characters', async () => {
    const [a] = await registerUsers(url, ['ln']);
    const longUrl = `https://example.com/${'p'.repeat(80)}`;
    const text = `see ${longUrl}`; // 4 + 23 = 27 counted characters, 104 code points
    const s = await a.client.v1.statuses.create({ status: text });
    assert.ok(s.id, 'a long link is counted as 23');
    await expectHttpError(a.client.v1.statuses.create({ status: `${'y'.repeat(MAX - 22)} ${longUrl}` }), 422, /character|long|limit/i);
    assert.deepEqual(await storedIds(a), [s.id], 'the status over the limit was not stored');
  });

  test('characters are counted, not bytes', async () => {
    const [a] = await registerUsers(url, ['ln']);
    const s = await a.client.v1.statuses.create({ status: '🎉'.repeat(MAX) });
    assert.ok(s.id, `${MAX} emoji (4 bytes each) fit in ${MAX} characters`);
  });

  test('an empty status is 422 "Text can\'t be blank"', async () => {
    const [a] = await registerUsers(url, ['em']);
    await expectHttpError(a.client.v1.statuses.create({ status: '' }), 422, /blank|empty|text|status/i, 'empty');
    await expectHttpError(a.client.v1.statuses.create({ status: '   \n ' }), 422, /blank|empty|text|status/i, 'whitespace only');
    await expectHttpError(a.client.v1.statuses.create({}), 422, /blank|empty|text|status/i, 'missing');
    assert.deepEqual(await storedIds(a), [], 'no blank status was stored');
  });

  test('invalid UTF-8 or a NUL byte is rejected, not stored', async () => {
    const [a] = await registerUsers(url, ['u8']);
    const r = await raw(url, '/api/v1/statuses', {
      method: 'POST',
      token: a.token,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"status":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    assert.ok([400, 422].includes(r.status), `invalid UTF-8: expected 400/422, got ${r.status} ${r.text}`);
    const nul = await raw(url, '/api/v1/statuses', { method: 'POST', token: a.token, json: { status: 'nul \u0000 byte' } });
    assert.ok([400, 422].includes(nul.status), `NUL: expected 400/422, got ${nul.status} ${nul.text}`);
    assert.equal(typeof r.json?.error, 'string', 'invalid UTF-8: a JSON error');
    assert.equal(typeof nul.json?.error, 'string', 'NUL: a JSON error');
    assert.deepEqual(await storedIds(a), [], 'neither was stored');
    assert.deepEqual(await a.client.v1.timelines.home.list(), [], 'nor reached the home feed');
  });

  test('malformed JSON is a 400 or 422 with an error, not a crash', async () => {
    const [a] = await registerUsers(url, ['mj']);
    const r = await raw(url, '/api/v1/statuses', {
      method: 'POST',
      token: a.token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"status": "unterminated',
    });
    assert.ok([400, 422].includes(r.status), `got ${r.status}`);
    assert.equal(typeof r.json?.error, 'string');
    assert.deepEqual(await storedIds(a), [], 'nothing was stored');
  });
});

describe('413 Payload Too Large', () => {
  test('a body above the limit is refused with 413', async () => {
    const [a] = await registerUsers(url, ['big']);
    const size = 4 * 1024 * 1024; // the default limit is 1 MiB
    const res = await postHuge(new URL('/api/v1/statuses', url), a.token, size);
    assert.equal(res.status, 413, `expected 413, got ${res.status} ${res.body.slice(0, 200)}`);
    // the server is fine afterwards, and the refused body was not stored
    const ok = await a.client.v1.statuses.create({ status: 'still alive' });
    assert.ok(ok.id);
    assert.deepEqual(await storedIds(a), [ok.id]);
  });
});

/**
 * POSTs a JSON body of `size` bytes over a raw socket. It first sends only the head (with
 * Content-Length) and waits a moment, since a server may refuse on the header alone; then
 * it streams the body while reading eagerly, so an early answer is seen even if the server
 * closes the connection before the body is fully sent.
 */
function postHuge(target, token, size) {
  return new Promise((resolve, reject) => {
    const prefix = Buffer.from('{"status":"');
    const suffix = Buffer.from('"}');
    const fill = size - prefix.length - suffix.length;
    const sock = net.connect(Number(target.port), target.hostname);
    let received = Buffer.alloc(0);
    let done = false;
    const parse = () => {
      const text = received.toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      if (!m) return null;
      const sep = text.indexOf('\r\n\r\n');
      return { status: Number(m[1]), body: sep >= 0 ? received.subarray(sep + 4).toString('utf8') : '' };
    };
    const finish = (why) => {
      if (done) return;
      const res = parse();
      if (!res && why) {
        done = true;
        sock.destroy();
        reject(new Error(`no HTTP answer to an oversized body (${why}); a 413 was expected`));
        return;
      }
      if (!res) return;
      done = true;
      // give the rest of a short answer a moment to arrive
      setTimeout(() => {
        sock.destroy();
        resolve(parse());
      }, 100);
    };
    sock.on('data', (d) => {
      received = Buffer.concat([received, d]);
      finish();
    });
    sock.on('error', (e) => finish(e.code ?? e.message));
    sock.on('close', () => finish('connection closed'));
    sock.on('connect', () => {
      sock.write(
        `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${size}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      );
      setTimeout(() => {
        if (done) return;
        sock.write(prefix);
        const chunk = Buffer.alloc(64 * 1024, 'a'.charCodeAt(0));
        let sent = 0;
        const pump = () => {
          while (!done && sent < fill && !sock.destroyed) {
            const n = Math.min(chunk.length, fill - sent);
            sent += n;
            if (!sock.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
              sock.once('drain', pump);
              return;
            }
          }
          if (!done && !sock.destroyed) sock.write(suffix);
        };
        pump();
      }, 300);
    });
    setTimeout(() => finish('timeout after 20 s'), 20_000).unref();
  });
}

describe('429 Too Many Requests', () => {
  test('PARTYLINE_RATE_LIMIT_TOKEN=5: the 6th request with a token is 429 with X-RateLimit-*', async () => {
    const s = tokenLimited;
    const user = await registerUser(s.url, uniqueName('rl'), { verify: false });
    const tok = await passwordLogin(s.url, user.app, user.email); // a fresh token: nothing used yet
    const remaining = [];
    for (let i = 1; i <= 5; i++) {
      const r = await raw(s.url, '/api/v1/accounts/verify_credentials', { token: tok.accessToken });
      assert.equal(r.status, 200, `request ${i} of 5 should pass, got ${r.status} ${r.text}`);
      assert.equal(r.headers.get('x-ratelimit-limit'), '5', 'X-RateLimit-Limit is the limit');
      remaining.push(Number(r.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(remaining, [4, 3, 2, 1, 0], 'X-RateLimit-Remaining counts down');
    const r6 = await raw(s.url, '/api/v1/accounts/verify_credentials', { token: tok.accessToken });
    assert.equal(r6.status, 429, 'the 6th request is rate limited');
    assert.equal(r6.headers.get('x-ratelimit-limit'), '5');
    assert.equal(r6.headers.get('x-ratelimit-remaining'), '0');
    const reset = r6.headers.get('x-ratelimit-reset');
    assert.ok(reset, 'X-RateLimit-Reset is sent');
    const resetAt = /^\d+$/.test(reset) ? Number(reset) * 1000 : Date.parse(reset);
    assert.ok(!Number.isNaN(resetAt), `X-RateLimit-Reset is a timestamp: ${reset}`);
    assert.ok(resetAt > Date.now() - 2000 && resetAt <= Date.now() + 301_000, `X-RateLimit-Reset within the 300 s window: ${reset}`);
    assert.match(r6.json?.error ?? '', /too many|rate/i, `429 body {"error": "Too many requests"}: ${r6.text}`);

    // masto sees it as a MastoHttpError 429 as well
    await expectHttpError(restClient(s.url, tok.accessToken).v1.accounts.verifyCredentials(), 429, /too many|rate/i);

    // the limit is the account's: another token of the same user shares it (issue 10, items
    // 1 and 9), another user's token does not
    const other = await passwordLogin(s.url, user.app, user.email);
    const same = await raw(s.url, '/api/v1/accounts/verify_credentials', { token: other.accessToken });
    assert.equal(same.status, 429, 'another token of the same account is limited too');
    const someone = await registerUser(s.url, uniqueName('rl2'), { verify: false });
    const fresh = await raw(s.url, '/api/v1/accounts/verify_credentials', { token: someone.token });
    assert.equal(fresh.status, 200, 'another account is not limited');

    // /health is never limited
    for (let i = 0; i < 10; i++) assert.equal((await raw(s.url, '/health')).status, 200);
  });

  test('PARTYLINE_RATE_LIMIT_IP=5: the 6th signed-out request is 429; /health is not limited', async () => {
    const s = ipLimited;
    for (let i = 1; i <= 5; i++) {
      const r = await raw(s.url, '/api/v1/instance');
      assert.equal(r.status, 200, `request ${i} should pass`);
      assert.equal(r.headers.get('x-ratelimit-limit'), '5');
      assert.equal(r.headers.get('x-ratelimit-remaining'), String(5 - i));
    }
    const r6 = await raw(s.url, '/api/v1/instance');
    assert.equal(r6.status, 429);
    assert.equal(r6.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(r6.headers.get('x-ratelimit-reset'));
    assert.match(r6.json?.error ?? '', /too many|rate/i);
    for (let i = 0; i < 20; i++) {
      const h = await raw(s.url, '/health');
      assert.equal(h.status, 200, '/health is not rate limited');
    }
    // an untrusted client cannot escape its bucket by claiming another address
    const spoofed = await raw(s.url, '/api/v1/instance', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(spoofed.status, 429, 'X-Forwarded-For from an untrusted peer is ignored');
  });

  test('X-Forwarded-For counts per client only behind a trusted proxy', async () => {
    const s = await startServer({
      env: { PARTYLINE_RATE_LIMIT_IP: '2', PARTYLINE_RATE_LIMIT_WINDOW: '300', PARTYLINE_TRUSTED_PROXIES: '127.0.0.1' },
    });
    try {
      const as = (ip) => raw(s.url, '/api/v1/instance', { headers: { 'X-Forwarded-For': `198.51.100.7, ${ip}` } });
      assert.equal((await as('192.0.2.1')).status, 200);
      assert.equal((await as('192.0.2.1')).status, 200);
      assert.equal((await as('192.0.2.1')).status, 429, 'the client behind the proxy has its own limit');
      assert.equal((await as('192.0.2.2')).status, 200, 'another client behind the same proxy is not limited');
    } finally {
      await s.stop();
    }
  });
});
