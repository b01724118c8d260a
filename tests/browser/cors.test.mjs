// cors.test.mjs — a browser app of another origin (as Elk or Phanpy is) calls the API from
// chromium: its page on another loopback origin fetch()es with an Authorization header, so
// the browser sends a preflight first, and reads the answers, their Link and rate-limit
// headers, and an error's JSON. The sign-in form stays closed to it. Issue 11, item 3;
// src/http/cors.c; the headers themselves are tests/api/cors.test.mjs.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { launch, newPage, PHONE } from './browser.mjs';

let server;
let browser;
let app; // the browser app's own web server, another origin: {srv, url}
before(async () => {
  server = await startServer();
  browser = await launch();
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>An app</title><p>A browser app.</p>');
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  // localhost, not 127.0.0.1: another host, so another origin than the server's
  app = { srv, url: `http://localhost:${srv.address().port}/` };
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (app?.srv ? app.srv.close(r) : r()));
  await server?.stop();
});

test('a page of another origin reads the API with its token, posts, pages, and reads errors; not the sign-in form', async () => {
  const person = await registerUser(server.url, uniqueName('cors'));
  for (let i = 0; i < 3; i++) await person.client.v1.statuses.create({ status: `post ${i}`, visibility: 'public' });
  const page = await newPage(browser, PHONE);
  await page.goto(app.url);
  const got = await page.evaluate(async ({ api, token }) => {
    const auth = { Authorization: `Bearer ${token}` };
    const me = await fetch(`${api}/api/v1/accounts/verify_credentials`, { headers: auth });
    const posted = await fetch(`${api}/api/v1/statuses`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'k1' },
      body: JSON.stringify({ status: 'from another origin' }),
    });
    const home = await fetch(`${api}/api/v1/timelines/home?limit=2`, { headers: auth });
    const bad = await fetch(`${api}/api/v1/accounts/verify_credentials`, { headers: { Authorization: 'Bearer made-up' } });
    let form = 'readable';
    try {
      await fetch(`${api}/oauth/authorize?client_id=x&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob`);
    } catch (e) {
      form = e.name;
    }
    return {
      me: (await me.json()).username,
      posted: [posted.status, (await posted.json()).content],
      link: home.headers.get('link'),
      remaining: home.headers.get('x-ratelimit-remaining'),
      bad: [bad.status, (await bad.json()).error],
      form,
    };
  }, { api: server.url, token: person.token });
  assert.equal(got.me, person.username);
  assert.deepEqual(got.posted, [200, '<p>from another origin</p>']);
  assert.match(got.link ?? '', /rel="next"/, 'the Link header is exposed');
  assert.match(got.remaining ?? '', /^\d+$/, 'the rate limit headers are exposed');
  assert.equal(got.bad[0], 401);
  assert.equal(typeof got.bad[1], 'string');
  assert.equal(got.form, 'TypeError', 'the sign-in form is not readable from another origin');
  await page.context().close();
});
