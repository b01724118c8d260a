// cors.test.mjs — src/http/cors.c: browser apps of another origin (Elk, Phanpy) may call the
// API, the OAuth token and revocation endpoints, /.well-known and NodeInfo, as Mastodon's
// rack-cors rules allow them: preflights answered, Access-Control-* headers on every answer
// (errors included); never on the sign-in form nor the web client. The browser's own view of
// it is tests/browser/cors.test.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createApp, raw, registerUser, startServer, uniqueName } from './harness.mjs';

const ORIGIN = 'https://elk.example';
const API_METHODS = 'POST, PUT, DELETE, GET, PATCH, OPTIONS';

let server;
let url;
let alice;

before(async () => {
  server = await startServer();
  url = server.url;
  alice = await registerUser(url, uniqueName('cors'));
});

after(async () => {
  await server?.stop();
});

function preflight(pathname, method, headers = 'authorization,content-type') {
  return raw(url, pathname, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
  });
}

describe('CORS (issue 11 item 3)', () => {
  test('a preflight on the API allows any origin, the methods, and the headers asked for', async () => {
    const r = await preflight('/api/v1/statuses', 'POST', 'authorization,content-type,idempotency-key');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-allow-methods'), API_METHODS);
    assert.equal(r.headers.get('access-control-allow-headers'), 'authorization,content-type,idempotency-key');
    assert.equal(r.headers.get('access-control-max-age'), '7200');
    assert.equal(r.headers.get('access-control-allow-credentials'), null, 'never credentials');
  });

  test('the API\'s answers carry the headers, expose Link and the rate limit, also on errors', async () => {
    // masto.js's own call, then the same with an Origin as a browser sends it
    const me = await alice.client.v1.accounts.verifyCredentials();
    const r = await raw(url, '/api/v1/accounts/verify_credentials', { token: alice.token, headers: { Origin: ORIGIN } });
    assert.equal(r.status, 200);
    assert.equal(r.json.id, me.id);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-expose-headers'),
      'Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id');
    assert.match(r.headers.get('vary') ?? '', /Origin/);

    for (const [what, p, token] of [['401', '/api/v1/accounts/verify_credentials', 'made-up'], ['404', '/api/v1/statuses/1', alice.token], ['unknown path', '/api/v1/nothing', undefined]]) {
      const e = await raw(url, p, { token, headers: { Origin: ORIGIN } });
      assert.ok(e.status >= 400, what);
      assert.equal(e.headers.get('access-control-allow-origin'), '*', `${what} is readable by the app`);
      assert.equal(typeof e.json.error, 'string');
    }
  });

  test('without an Origin, nothing of CORS but Vary', async () => {
    const r = await raw(url, '/api/v1/instance');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });

  test('the OAuth token and revoke endpoints answer other origins (POST only)', async () => {
    const app = await createApp(url);
    const pre = await preflight('/oauth/token', 'POST', 'content-type');
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.equal(pre.headers.get('access-control-allow-methods'), 'POST');
    const tok = await raw(url, '/oauth/token', {
      method: 'POST',
      headers: { Origin: ORIGIN },
      form: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: 'read' },
    });
    assert.equal(tok.status, 200, tok.text);
    assert.equal(tok.headers.get('access-control-allow-origin'), '*');
    const rev = await raw(url, '/oauth/revoke', {
      method: 'POST',
      headers: { Origin: ORIGIN },
      form: { client_id: app.clientId, client_secret: app.clientSecret, token: tok.json.access_token },
    });
    assert.equal(rev.status, 200, rev.text);
    assert.equal(rev.headers.get('access-control-allow-origin'), '*');
    const asGet = await preflight('/oauth/token', 'DELETE');
    assert.equal(asGet.status, 200);
    assert.equal(asGet.headers.get('access-control-allow-origin'), null, 'a method the rule lacks gets no headers');
  });

  test('/.well-known and NodeInfo answer other origins', async () => {
    const links = await raw(url, '/.well-known/nodeinfo', { headers: { Origin: ORIGIN } });
    assert.equal(links.status, 200);
    assert.equal(links.headers.get('access-control-allow-origin'), '*');
    assert.equal(links.headers.get('access-control-allow-methods'), 'GET');
    const ni = await raw(url, '/nodeinfo/2.0', { headers: { Origin: ORIGIN } });
    assert.equal(ni.status, 200);
    assert.equal(ni.headers.get('access-control-allow-origin'), '*');
  });

  test('never the sign-in form, the web client, nor /health', async () => {
    for (const p of ['/oauth/authorize?client_id=x&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob', '/', '/js/views/home.js', '/health']) {
      const r = await raw(url, p, { headers: { Origin: ORIGIN } });
      assert.equal(r.headers.get('access-control-allow-origin'), null, `${p} (${r.status})`);
      const pre = await preflight(p.split('?')[0], 'GET');
      assert.equal(pre.headers.get('access-control-allow-origin'), null, `preflight of ${p}`);
      assert.equal(pre.headers.get('access-control-allow-methods'), null, `preflight of ${p}`);
    }
    // a form post to the sign-in page from another origin is not made readable either
    const post = await preflight('/oauth/authorize', 'POST');
    assert.equal(post.headers.get('access-control-allow-origin'), null);
  });
});
