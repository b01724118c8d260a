// Instance metadata: /api/v1/instance, /api/v2/instance, /.well-known/nodeinfo and the
// NodeInfo 2.0 document, /health. Docs: methods/instance, entities/Instance,
// methods/health; NodeInfo protocol.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectHttpError, raw, registerUsers, restClient, startServer, METRICS_TOKEN } from './harness.mjs';

const MAX = 321;
let server;
let url;
let users;

before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_CHARACTERS: String(MAX) } });
  url = server.url;
  users = await registerUsers(url, ['in', 'in']);
  await users[0].client.v1.statuses.create({ status: 'counted' });
});

after(async () => {
  await server?.stop();
});

test('GET /api/v1/instance (signed out)', async () => {
  const i = await restClient(url).v1.instance.fetch();
  assert.equal(typeof i.uri, 'string');
  assert.ok(i.uri.length > 0);
  assert.equal(typeof i.title, 'string');
  assert.equal(typeof i.version, 'string');
  assert.equal(i.configuration.statuses.maxCharacters, MAX, 'max_characters reflects PARTYLINE_MAX_CHARACTERS');
  assert.equal(i.configuration.statuses.charactersReservedPerUrl, 23);
  assert.equal(i.registrations, true, 'registrations are open by default');
  assert.equal(i.approvalRequired, false);
  assert.ok(i.stats.userCount >= 2, `stats.user_count counts users (got ${i.stats.userCount})`);
  assert.ok(i.stats.statusCount >= 1, `stats.status_count counts statuses (got ${i.stats.statusCount})`);
  assert.ok(Array.isArray(i.languages));
});

test('GET /api/v2/instance (signed out)', async () => {
  const i = await restClient(url).v2.instance.fetch();
  assert.equal(typeof i.domain, 'string');
  assert.ok(i.domain.length > 0);
  assert.equal(typeof i.title, 'string');
  assert.equal(typeof i.version, 'string');
  assert.equal(i.configuration.statuses.maxCharacters, MAX);
  assert.equal(i.configuration.statuses.charactersReservedPerUrl, 23);
  // ours: the profile-fields limit, so a client's profile form offers that many rows
  assert.equal(i.configuration.accounts.maxProfileFields, 4);
  // Mastodon 4.3: the level apps read to find the notification policy and grouped
  // notifications, and the featured-tags limit the profile screen offers
  assert.match(i.version, /^4\.3\.\d/);
  assert.deepEqual(i.apiVersions, { mastodon: 2 });
  assert.equal(i.configuration.accounts.maxFeaturedTags, 10);
  assert.equal(i.registrations.enabled, true);
  assert.equal(i.registrations.approvalRequired, false);
  assert.equal(typeof i.usage.users.activeMonth, 'number');
  assert.ok(Array.isArray(i.rules));
  assert.ok(Array.isArray(i.languages));
});

test('the configured limit is the one enforced', async () => {
  const [a] = users;
  const ok = await a.client.v1.statuses.create({ status: 'é'.repeat(MAX) });
  assert.ok(ok.id, `${MAX} characters (code points, not bytes) fit`);
  await expectHttpError(a.client.v1.statuses.create({ status: 'x'.repeat(MAX + 1) }), 422, /character|long|limit/i);
});

test('/.well-known/nodeinfo links to a working NodeInfo 2.0 document', async () => {
  const wk = await raw(url, '/.well-known/nodeinfo');
  assert.equal(wk.status, 200);
  assert.match(wk.headers.get('content-type') ?? '', /json/);
  assert.ok(Array.isArray(wk.json?.links), `links[] expected: ${wk.text}`);
  const link = wk.json.links.find((l) => l.rel === 'http://nodeinfo.diaspora.software/ns/schema/2.0');
  assert.ok(link, `a link with rel http://nodeinfo.diaspora.software/ns/schema/2.0 expected: ${wk.text}`);
  const href = new URL(link.href, url);
  assert.match(href.protocol, /^https?:$/);
  // The href is absolute on the configured base URL; fetch its path from this server.
  const doc = await raw(url, href.pathname + href.search);
  assert.equal(doc.status, 200);
  assert.match(doc.headers.get('content-type') ?? '', /json/);
  const n = doc.json;
  assert.equal(n.version, '2.0');
  assert.equal(typeof n.software?.name, 'string');
  assert.match(n.software.name, /^[a-z0-9-]+$/, 'software.name is lower-case letters, digits and hyphens (schema 2.0)');
  assert.equal(typeof n.software.version, 'string');
  assert.ok(Array.isArray(n.protocols));
  assert.ok(n.services && Array.isArray(n.services.inbound) && Array.isArray(n.services.outbound));
  assert.equal(n.openRegistrations, true);
  assert.ok(n.usage?.users?.total >= 2, `usage.users.total counts users: ${JSON.stringify(n.usage)}`);
  assert.equal(typeof n.metadata, 'object');
});

test('GET /health answers 200 "OK", as Mastodon (Mastodon.py compares the word), not JSON API-shaped', async () => {
  const r = await raw(url, '/health');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'OK');
});

test('GET /metrics counts requests by route and status, with latency, writer and fan-out figures', async () => {
  const before = await raw(url, '/metrics', { token: METRICS_TOKEN });
  assert.equal(before.status, 200);
  assert.match(before.headers.get('content-type') ?? '', /text\/plain/);
  const count = (text, route, status) => {
    const m = text.match(new RegExp(`^partyline_requests_total\\{route="${route}",status="${status}"\\} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  const route = 'GET /api/v1/instance';
  const n0 = count(before.text, route, '2xx');
  await raw(url, '/api/v1/instance');
  await raw(url, '/api/v1/instance');
  const after = (await raw(url, '/metrics', { token: METRICS_TOKEN })).text;
  assert.equal(count(after, route, '2xx'), n0 + 2, 'each answered request is counted under its route');
  for (const name of ['partyline_request_duration_seconds_bucket{le="+Inf"}',
    'partyline_request_duration_seconds_count', 'partyline_writer_queue_depth',
    'partyline_writer_batches_total', 'partyline_fanout_rows_total', 'partyline_rate_limited_total']) {
    assert.ok(after.includes(name), `/metrics has ${name}`);
  }
});

test('GET /about is a page without script, saying how to connect from an app', async () => {
  const r = await raw(url, '/about');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  assert.match(r.text, /Mastodon app/);
  assert.ok(r.text.includes(url), 'the page names the address to enter in an app');
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
});
