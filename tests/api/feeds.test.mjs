// Listening's outside sources (issue 16; docs/api.md "Feeds"; the rules are
// src/app/feed_sources.h, the fetching src/feeds): administrators subscribe the company to RSS
// and Atom feeds (GET/POST/DELETE /api/v1/partyline/admin/feeds, audited), and
// `partyline admin feeds refresh` fetches those due — here from an HTTP server this test runs in
// node — keeping each item once and recording on the feed's row how it went: its title and item
// count, a conditional GET answered 304, or a failure in words (HTTP 404, bad XML). Runs on
// both databases.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, passwordLogin, raw, registerUsers, serverDatabaseSql, startServer, uniqueName
} from './harness.mjs';

const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const FEEDS = '/api/v1/partyline/admin/feeds';

const RSS = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Node news</title><link>https://news.example/</link>
<item><title>Recipe change</title><link>https://news.example/recipe</link><guid>n-1</guid>
  <pubDate>Sat, 05 Dec 2026 18:30:00 +0100</pubDate><description>&lt;p&gt;We changed it.&lt;/p&gt;</description></item>
<item><title>Reversal</title><link>https://news.example/reversal</link>
  <pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`;

let srv;
let url;
let admin;
let feedServer;
let feedBase;
const seen = []; // the requests the feed server had: {path, ifNoneMatch, userAgent}

async function call(who, method, p, { json, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

// the feeds of these tests are on 127.0.0.1, which a feed is fetched from only when allowed
const LOOPBACK = { PARTYLINE_FEEDS_ALLOW_LOOPBACK: '1' };
const refresh = (...args) => adminCli({ ...srv, cliEnv: { ...srv.cliEnv, ...LOOPBACK } }, ['feeds', 'refresh', ...args]);
const sqlNumber = async (text) => Number(await serverDatabaseSql(srv, text));

before(async () => {
  feedServer = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://feeds.test');
    seen.push({ path: pathname, ifNoneMatch: req.headers['if-none-match'], userAgent: req.headers['user-agent'] });
    if (pathname === '/news.xml') {
      if (req.headers['if-none-match'] === '"n1"') {
        res.writeHead(304, { ETag: '"n1"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: '"n1"' }).end(RSS);
    } else if (pathname === '/plain.xml') { // no validators: fetched whole every time
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(RSS);
    } else if (pathname === '/bad.xml') {
      res.writeHead(200, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?>\n<rss>\n<channel></rss>');
    } else {
      res.writeHead(404).end('no');
    }
  });
  await new Promise((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedBase = `http://127.0.0.1:${feedServer.address().port}`;

  srv = await startServer({ env: { PARTYLINE_FEEDS_POLL_SECONDS: '0' } }); // the command line fetches
  url = srv.url;
  const username = uniqueName('fadm');
  const made = await adminCli(srv, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(url, { scopes: ADMIN_SCOPES });
  const tok = await passwordLogin(url, app, username, 'long enough pw', ADMIN_SCOPES);
  admin = { token: tok.accessToken };
  admin.id = (await call(admin, 'GET', '/api/v1/accounts/verify_credentials')).id;
});

after(async () => {
  await srv?.stop();
  await new Promise((resolve) => (feedServer ? feedServer.close(resolve) : resolve()));
});

describe('feeds', () => {
  test('an administrator subscribes to a feed; a refresh keeps its items once and sends its ETag back', async () => {
    const feed = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/news.xml` } });
    assert.equal(feed.url, `${feedBase}/news.xml`);
    assert.equal(feed.state, 'new');
    assert.equal(feed.interval, 900); // the default: 15 minutes
    assert.equal(feed.items, 0);
    assert.equal(feed.last_error, null);
    assert.equal(feed.last_fetch_at, null);
    assert.equal(feed.created_by, admin.id);
    assert.ok(Date.parse(feed.next_fetch_at) <= Date.now(), 'due at once');

    let r = await refresh();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 new of 2 items/);
    let [got] = (await call(admin, 'GET', FEEDS)).filter((f) => f.id === feed.id);
    assert.equal(got.state, 'ok');
    assert.equal(got.title, 'Node news');
    assert.equal(got.items, 2);
    assert.equal(got.failures, 0);
    assert.ok(got.last_success_at);
    const next = Date.parse(got.next_fetch_at) - Date.parse(got.last_fetch_at);
    assert.equal(next, 900 * 1000, 'next in one interval');
    assert.match(seen.at(-1).userAgent, /partyline/);

    // not due again for 15 minutes; --all fetches it anyway, with its ETag: 304
    r = await refresh();
    assert.doesNotMatch(r.stdout, /news\.xml/);
    r = await refresh('--all');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not modified/);
    assert.equal(seen.at(-1).ifNoneMatch, '"n1"');
    [got] = (await call(admin, 'GET', FEEDS)).filter((f) => f.id === feed.id);
    assert.equal(got.items, 2);
    assert.equal(got.state, 'ok');

    // the items as kept: each once, its text made plain
    const rows = await serverDatabaseSql(srv,
      `SELECT item_key, title, text FROM feed_items WHERE source_id = ${feed.id} ORDER BY id`);
    assert.deepEqual(rows.split('\n'), ['https://news.example/reversal|Reversal|', 'n-1|Recipe change|We changed it.']);
  });

  test('a feed without validators fetched again keeps no item twice', async () => {
    const feed = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/plain.xml`, interval: 3600 } });
    assert.equal(feed.interval, 3600);
    for (let i = 0; i < 2; i++) assert.equal((await refresh('--all')).code, 0);
    assert.equal(await sqlNumber(`SELECT count(*) FROM feed_items WHERE source_id = ${feed.id}`), 2);
    await call(admin, 'DELETE', `${FEEDS}/${feed.id}`);
  });

  test('a failing feed says why on its row, and the others are fetched all the same', async () => {
    const missing = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/gone.xml` } });
    const bad = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/bad.xml` } });
    const r = await refresh('--all');
    assert.equal(r.code, 3, 'a feed failed');
    assert.match(r.stdout, /gone\.xml\tfailed: HTTP 404/);
    assert.match(r.stdout, /not modified/); // news.xml was fetched all the same
    const feeds = await call(admin, 'GET', FEEDS);
    const m = feeds.find((f) => f.id === missing.id);
    assert.equal(m.state, 'failing');
    assert.equal(m.last_error, 'HTTP 404');
    assert.equal(m.failures, 1);
    assert.equal(m.last_success_at, null);
    // back-off: the first failure waits one interval, the second two
    assert.equal(Date.parse(m.next_fetch_at) - Date.parse(m.last_fetch_at), 900 * 1000);
    const b = feeds.find((f) => f.id === bad.id);
    assert.equal(b.state, 'failing');
    assert.match(b.last_error, /^not XML: line 3: /);
    assert.equal(b.items, 0);
    await refresh('--all');
    const m2 = (await call(admin, 'GET', FEEDS)).find((f) => f.id === missing.id);
    assert.equal(m2.failures, 2);
    assert.equal(Date.parse(m2.next_fetch_at) - Date.parse(m2.last_fetch_at), 1800 * 1000);
    await call(admin, 'DELETE', `${FEEDS}/${missing.id}`);
    await call(admin, 'DELETE', `${FEEDS}/${bad.id}`);
  });

  test('bad input is refused with what was wrong, and nothing is added', async () => {
    const before_ = (await call(admin, 'GET', FEEDS)).length;
    for (const [json, re] of [
      [{}, /url is missing/],
      [{ url: 'ftp://example.com/feed.xml' }, /url must be an http:\/\/ or https:\/\/ address/],
      [{ url: 'file:///etc/passwd' }, /url must be an http:\/\/ or https:\/\/ address/],
      [{ url: 'https://exa mple.com/feed' }, /without spaces/],
      [{ url: 'https:///feed' }, /url must be/],
      [{ url: `${feedBase}/x.xml`, interval: 60 }, /interval must be from 300 to 604800 seconds/],
      [{ url: `${feedBase}/x.xml`, interval: 'often' }, /interval/],
      [{ url: `${feedBase}/news.xml` }, /already subscribed to \(id \d+\)/],
    ]) {
      const r = await call(admin, 'POST', FEEDS, { json, status: 422 });
      assert.match(r.error, re, JSON.stringify(json));
    }
    assert.equal((await call(admin, 'GET', FEEDS)).length, before_);
    assert.match((await call(admin, 'DELETE', `${FEEDS}/1`, { status: 404 })).error, /no feed with this id/);
  });

  test('removing a feed removes its items; adding and removing are audited', async () => {
    const feed = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/plain.xml?again` } });
    assert.equal((await refresh('--all')).code, 0);
    assert.equal(await sqlNumber(`SELECT count(*) FROM feed_items WHERE source_id = ${feed.id}`), 2);
    assert.deepEqual(await call(admin, 'DELETE', `${FEEDS}/${feed.id}`), {});
    assert.ok(!(await call(admin, 'GET', FEEDS)).some((f) => f.id === feed.id));
    assert.equal(await sqlNumber(`SELECT count(*) FROM feed_items WHERE source_id = ${feed.id}`), 0);
    await call(admin, 'DELETE', `${FEEDS}/${feed.id}`, { status: 404 });

    const audit = async (action) => (await call(admin, 'GET',
      `/api/v1/partyline/admin/audit?limit=200&action=${action}`)).filter((r) => r.target_id === feed.id);
    const [added] = await audit('feed.add');
    assert.equal(added.actor_id, admin.id);
    assert.equal(added.target_kind, 'feed');
    assert.equal(added.detail.interval, 900);
    const [removed] = await audit('feed.remove');
    assert.equal(removed.actor_id, admin.id);
    assert.equal(removed.detail.items, 2);
  });

  test('a feed on this machine is refused unless feeds_allow_loopback: the source says why, nothing is asked', async () => {
    const feed = await call(admin, 'POST', FEEDS, { json: { url: `${feedBase}/plain.xml?refused` } });
    const asked = seen.length;
    const r = await adminCli(srv, ['feeds', 'refresh']); // as configured: loopback not allowed
    assert.equal(r.code, 3, 'a feed failed');
    assert.match(r.stdout, /failed: refused to connect to 127\.0\.0\.1/);
    const [got] = (await call(admin, 'GET', FEEDS)).filter((f) => f.id === feed.id);
    assert.equal(got.state, 'failing');
    assert.equal(got.last_error,
      'refused to connect to 127.0.0.1: feeds are not fetched from an address of this machine (loopback)');
    assert.equal(got.items, 0);
    assert.equal(seen.length, asked, 'the feed server was never asked');
    // allowed, the same source is fetched
    assert.equal((await refresh('--all')).code, 0);
    const [ok] = (await call(admin, 'GET', FEEDS)).filter((f) => f.id === feed.id);
    assert.equal(ok.state, 'ok', ok.last_error);
    assert.equal(ok.items, 2);
    assert.deepEqual(await call(admin, 'DELETE', `${FEEDS}/${feed.id}`), {});
  });

  test('a server polls the feeds that are due by itself', async () => {
    const polling = await startServer({ env: { PARTYLINE_FEEDS_POLL_SECONDS: '1', ...LOOPBACK } });
    try {
      const username = uniqueName('fpol');
      const made = await adminCli(polling, ['create-user', '--username', username, '--email',
        `${username}@example.com`, '--password', 'long enough pw', '--admin']);
      assert.equal(made.code, 0, made.stderr);
      const app = await createApp(polling.url, { scopes: ADMIN_SCOPES });
      const tok = await passwordLogin(polling.url, app, username, 'long enough pw', ADMIN_SCOPES);
      const put = await raw(polling.url, FEEDS, { method: 'POST', token: tok.accessToken,
        json: { url: `${feedBase}/plain.xml?polled` } });
      assert.equal(put.status, 200, put.text);
      // the poller looks every second: asked until the feed is fetched, for at most 10 s
      const until = Date.now() + 10000;
      for (;;) {
        const r = await raw(polling.url, FEEDS, { token: tok.accessToken });
        const f = r.json.find((x) => x.id === put.json.id);
        if (f.state !== 'new') {
          assert.equal(f.state, 'ok', f.last_error);
          assert.equal(f.items, 2);
          assert.equal(f.title, 'Node news');
          break;
        }
        assert.ok(Date.now() < until, 'the server should have fetched the feed');
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await polling.stop();
    }
  });

  test('only administrators: 403 for members (even with admin scopes), 401 without a token, 403 without admin scopes', async () => {
    const [mo] = await registerUsers(url, ['f_mo']);
    const app = await createApp(url, { scopes: ADMIN_SCOPES });
    const tok = await passwordLogin(url, app, mo.username, mo.password, ADMIN_SCOPES);
    const member = { token: tok.accessToken };
    const before_ = (await call(admin, 'GET', FEEDS)).length;
    for (const [method, p, json] of [
      ['GET', FEEDS], ['POST', FEEDS, { url: `${feedBase}/member.xml` }], ['DELETE', `${FEEDS}/1`],
    ]) {
      const r = await call(member, method, p, { json, status: 403 });
      assert.match(r.error, /Only administrators/);
      assert.equal((await raw(url, p, { method, json })).status, 401);
    }
    const plainApp = await createApp(url);
    const me = await call(admin, 'GET', '/api/v1/accounts/verify_credentials');
    const weak = await passwordLogin(url, plainApp, me.username, 'long enough pw');
    await call(weak.accessToken, 'GET', FEEDS, { status: 403 });
    await call(weak.accessToken, 'POST', FEEDS, { json: { url: `${feedBase}/weak.xml` }, status: 403 });
    assert.equal((await call(admin, 'GET', FEEDS)).length, before_, 'nothing was added');
  });
});
