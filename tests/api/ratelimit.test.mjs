// Rate limits: whose count a request goes to, and windows that end. A request counts against
// its account only once its token is valid; a made-up, revoked or ignored bearer counts against
// the client's address. A window that has ended allows requests again. App registrations are
// limited per address. Docs: api/rate-limits; README "Settings".

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { passwordLogin, raw, registerUser, startServers, uniqueName } from './harness.mjs';

let ipLimited; // 5 requests per IP, a generous per-account limit
let ipLimited2; // the same, for a second test that needs a fresh count
let accountLimited; // 6 requests per account, a generous per-IP limit
let shortWindow; // 3 requests per IP in windows of 2 s
let appsLimited; // 3 app registrations per IP

before(async () => {
  [ipLimited, ipLimited2, accountLimited, shortWindow, appsLimited] = await startServers([
    { env: { PARTYLINE_RATE_LIMIT_IP: '5', PARTYLINE_RATE_LIMIT_TOKEN: '100000', PARTYLINE_RATE_LIMIT_WINDOW: '300' } },
    { env: { PARTYLINE_RATE_LIMIT_IP: '5', PARTYLINE_RATE_LIMIT_TOKEN: '100000', PARTYLINE_RATE_LIMIT_WINDOW: '300' } },
    { env: { PARTYLINE_RATE_LIMIT_IP: '100000', PARTYLINE_RATE_LIMIT_TOKEN: '6', PARTYLINE_RATE_LIMIT_WINDOW: '300' } },
    { env: { PARTYLINE_RATE_LIMIT_IP: '3', PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_RATE_LIMIT_WINDOW: '2' } },
    { env: { PARTYLINE_RATE_LIMIT_APPS: '3', PARTYLINE_RATE_LIMIT_IP: '100000' } },
  ]);
});

after(async () => {
  await Promise.all([ipLimited, ipLimited2, accountLimited, shortWindow, appsLimited].filter(Boolean).map((s) => s.stop()));
});

const madeUp = () => randomBytes(32).toString('base64url');

describe('whose count a request goes to', () => {
  test('made-up bearers count against the address: a new one each time does not escape the limit', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const r = await raw(ipLimited.url, '/api/v1/accounts/verify_credentials', { token: madeUp() });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429], 'five answers, then 429 for the address');
    const r = await raw(ipLimited.url, '/api/v1/instance', {});
    assert.equal(r.status, 429, 'the same address without a token is refused too');
    assert.match(r.json?.error ?? '', /too many/i);
    assert.match(r.headers.get('retry-after') ?? '', /^\d+$/, 'a 429 says when to come back (Retry-After)');
  });

  test('two tokens of one account share its count; a token of another account has its own', async () => {
    const s = accountLimited;
    const alice = await registerUser(s.url, uniqueName('rla'), { verify: false });
    const bob = await registerUser(s.url, uniqueName('rlb'), { verify: false });
    const t1 = (await passwordLogin(s.url, alice.app, alice.email)).accessToken;
    const t2 = (await passwordLogin(s.url, alice.app, alice.email)).accessToken;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      for (const t of [t1, t2]) seen.push((await raw(s.url, '/api/v1/accounts/verify_credentials', { token: t })).status);
    }
    assert.deepEqual(seen, [200, 200, 200, 200, 200, 200, 429, 429], 'six requests per account, whichever token');
    const b = await raw(s.url, '/api/v1/accounts/verify_credentials', { token: bob.token });
    assert.equal(b.status, 200, 'another account is not affected');
  });

  test('a bearer on a route that takes no token counts against the address (password guessing on /oauth/token)', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const r = await raw(ipLimited2.url, '/oauth/token', { method: 'POST', token: madeUp(), form: { grant_type: 'password', client_id: 'x', client_secret: 'y', username: 'u', password: 'p' } });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses.slice(5), [429], `the sixth try from the address is refused: ${statuses}`);
  });
});

describe('windows end', () => {
  test('after X-RateLimit-Reset the address may send requests again', async () => {
    const s = shortWindow;
    let refused;
    for (let i = 0; i < 10 && !refused; i++) {
      const r = await raw(s.url, '/api/v1/instance', {});
      if (r.status === 429) refused = r;
    }
    assert.ok(refused, 'the fourth request in a window is refused');
    const reset = Date.parse(refused.headers.get('x-ratelimit-reset'));
    assert.ok(reset > Date.now() - 1000 && reset <= Date.now() + 3000, `reset within the 2 s window: ${refused.headers.get('x-ratelimit-reset')}`);
    // wait past the reset, asking now and then: once the window has ended, answers come back
    let again;
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.max(50, Math.min(500, reset - Date.now() + 50))));
      if (Date.now() < reset) continue;
      const r = await raw(s.url, '/api/v1/instance', {});
      if (r.status === 200) {
        again = r;
        break;
      }
    }
    assert.ok(again, 'a request after the window ended is answered (the window resets)');
    assert.equal(again.headers.get('x-ratelimit-limit'), '3');
    assert.ok(Number(again.headers.get('x-ratelimit-remaining')) >= 1, 'the new window counts from zero');
    assert.ok(Date.parse(again.headers.get('x-ratelimit-reset')) > reset, 'and ends later than the last one');
  });
});

describe('app registrations', () => {
  test('POST /api/v1/apps is limited per address (rate_limit_apps): the fourth is 429 with Retry-After', async () => {
    const statuses = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await raw(appsLimited.url, '/api/v1/apps', { method: 'POST', json: { client_name: `app ${i}`, redirect_uris: 'urn:ietf:wg:oauth:2.0:oob' } });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.match(last.json?.error ?? '', /too many apps/i);
    assert.match(last.headers.get('retry-after') ?? '', /^\d+$/);
    const other = await raw(appsLimited.url, '/api/v1/instance', {});
    assert.equal(other.status, 200, 'other requests from the address are not affected');
  });
});

describe('apps never used are pruned', () => {
  let srv;
  before(async () => {
    [srv] = await startServers([{ env: { PARTYLINE_APP_PRUNE_AFTER: '1' } }]);
  });
  after(async () => {
    await srv?.stop();
  });

  test('an app with no token and no code is deleted after app_prune_after; a used one stays', async () => {
    const reg = async (name) => (await raw(srv.url, '/api/v1/apps', { method: 'POST', json: { client_name: name, redirect_uris: 'urn:ietf:wg:oauth:2.0:oob' } })).json;
    const token = (app) =>
      raw(srv.url, '/oauth/token', { method: 'POST', form: { grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret, scope: 'read' } });
    const unused = await reg('never used');
    const used = await reg('used');
    assert.equal((await token(used)).status, 200);
    // pruning runs about once a second; the unused app is gone within a few
    let status = 200;
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && status === 200) {
      await new Promise((r) => setTimeout(r, 500));
      // asking for a token would use the app: ask with a wrong secret, which writes nothing
      const r = await raw(srv.url, '/oauth/token', { method: 'POST', form: { grant_type: 'client_credentials', client_id: unused.client_id, client_secret: 'wrong', scope: 'read' } });
      assert.equal(r.status, 401);
      status = (await raw(srv.url, `/oauth/authorize?response_type=code&client_id=${unused.client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob`, {})).status;
    }
    assert.equal(status, 400, 'the unused app is unknown now (its sign-in page says so)');
    const again = await token(used);
    assert.equal(again.status, 200, 'the used app still works');
  });
});

describe('app sizes', () => {
  test('client_name, redirect_uris, website and scopes past their limits are 422 with a clear error', async () => {
    const post = (body) => raw(accountLimited.url, '/api/v1/apps', { method: 'POST', json: { client_name: 'ok', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', ...body } });
    const cases = [
      [{ client_name: 'n'.repeat(61) }, /name is too long \(maximum is 60/i],
      [{ redirect_uris: `https://a.example/${'x'.repeat(2000)}` }, /redirect uri is too long \(maximum is 2000/i],
      [{ website: `https://a.example/${'x'.repeat(2000)}` }, /website is too long \(maximum is 2000/i],
      [{ scopes: Array(200).fill('read').join(' ') }, /scopes are too long \(maximum is 500/i],
    ];
    for (const [body, re] of cases) {
      const r = await post(body);
      assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 60)}: ${r.status} ${r.text}`);
      assert.match(r.json?.error ?? '', re);
    }
  });
});
