// oauth.test.mjs — a Mastodon app's browser sign-in, in chromium, end to end: the app
// registers with a redirect_uri served by this test on 127.0.0.1, the browser opens
// /oauth/authorize (authorization code with PKCE S256 and state), the person signs in, the
// browser lands on the app's redirect_uri with code and state (the sign-in page's
// Content-Security-Policy must let the form's redirect go there), and the app exchanges the
// code with its code_verifier and uses the token. Issue 10, item 4.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { createApp, raw, registerUser, restClient, startServer, uniqueName } from '../api/harness.mjs';
import { launch, newPage, PHONE } from './browser.mjs';

let server;
let browser;
let callback; // the app's own web server: {url, hits}
before(async () => {
  server = await startServer();
  browser = await launch();
  const hits = [];
  const srv = http.createServer((req, res) => {
    hits.push(new URL(req.url, 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Signed in</title><p>Back in the app.</p>');
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  callback = { srv, hits, url: `http://127.0.0.1:${srv.address().port}/callback` };
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (callback?.srv ? callback.srv.close(r) : r()));
  await server?.stop();
});

test('authorization code + PKCE S256 to an app on another origin: sign in, land on its redirect_uri, exchange, use the token', async () => {
  const person = await registerUser(server.url, uniqueName('br'));
  const app = await createApp(server.url, { redirectUris: callback.url, scopes: 'read write' });
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(12).toString('hex');
  const qs = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: callback.url,
    scope: 'read write',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });

  const page = await newPage(browser, PHONE);
  const blocked = [];
  page.on('console', (m) => { if (/Content Security Policy|form-action/i.test(m.text())) blocked.push(m.text()); });
  await page.goto(`${server.url}/oauth/authorize?${qs}`);
  await page.getByLabel('E-mail or username').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((u) => u.href.startsWith(callback.url), { timeout: 10_000 }).catch(() => {
    assert.fail(`the browser did not reach the app's redirect_uri; it is at ${page.url()}; CSP: ${blocked.join(' | ')}`);
  });
  assert.deepEqual(blocked, [], 'no Content-Security-Policy violation');
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get('state'), state, 'state comes back unchanged');
  const code = landed.searchParams.get('code');
  assert.ok(code, 'the redirect carries the code');
  assert.equal(callback.hits.find((h) => h.pathname === '/callback')?.searchParams.get('code'), code, "the app's server received it");
  await assert.doesNotReject(page.getByText('Back in the app.').waitFor());

  const r = await raw(server.url, '/oauth/token', {
    method: 'POST',
    form: {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: callback.url,
      code,
      code_verifier: verifier,
    },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scope, 'read write');
  const me = await restClient(server.url, r.json.access_token).v1.accounts.verifyCredentials();
  assert.equal(me.id, person.account.id);
  await page.context().close();
});
