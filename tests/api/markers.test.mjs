// Markers: GET/POST /api/v1/markers for home and notifications. Docs: methods/markers,
// entities/Marker.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectHttpError, raw, registerUsers, restClient, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

function assertMarker(m, lastReadId) {
  assert.ok(m, 'marker present');
  assert.equal(m.lastReadId, lastReadId);
  assert.equal(typeof m.version, 'number');
  assert.ok(!Number.isNaN(Date.parse(m.updatedAt)), 'updated_at is a datetime');
}

test('no markers yet: an empty object', async () => {
  const [a] = await registerUsers(url, ['mk']);
  const m = await a.client.v1.markers.fetch({ timeline: ['home', 'notifications'] });
  assert.deepEqual(m, {});
});

test('without timeline[]: an empty object', async () => {
  const [a] = await registerUsers(url, ['mk']);
  await a.client.v1.markers.create({ home: { lastReadId: '123' } });
  const r = await raw(url, '/api/v1/markers', { token: a.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, {});
});

test('save and read the home marker', async () => {
  const [a] = await registerUsers(url, ['mk']);
  const s = await a.client.v1.statuses.create({ status: 'read up to here' });
  const saved = await a.client.v1.markers.create({ home: { lastReadId: s.id } });
  assertMarker(saved.home, s.id);
  assert.equal(saved.notifications, undefined, 'only the saved timeline is returned');

  const got = await a.client.v1.markers.fetch({ timeline: ['home'] });
  assertMarker(got.home, s.id);
  assert.equal(got.home.version, saved.home.version);
  assert.equal(got.notifications, undefined);
});

test('both timelines at once; the version goes up on each save', async () => {
  const [a, b] = await registerUsers(url, ['mk', 'mk']);
  const s1 = await a.client.v1.statuses.create({ status: 'one' });
  await b.client.v1.accounts.$select(a.account.id).follow();
  const [n] = await a.client.v1.notifications.list();
  const saved = await a.client.v1.markers.create({ home: { lastReadId: s1.id }, notifications: { lastReadId: n.id } });
  assertMarker(saved.home, s1.id);
  assertMarker(saved.notifications, n.id);

  const s2 = await a.client.v1.statuses.create({ status: 'two' });
  const again = await a.client.v1.markers.create({ home: { lastReadId: s2.id } });
  assertMarker(again.home, s2.id);
  assert.ok(again.home.version > saved.home.version, 'version increases with each update');

  const got = await a.client.v1.markers.fetch({ timeline: ['home', 'notifications'] });
  assertMarker(got.home, s2.id);
  assertMarker(got.notifications, n.id);
  assert.equal(got.notifications.version, saved.notifications.version, 'the other marker is untouched');
});

test('markers are per user', async () => {
  const [a, b] = await registerUsers(url, ['mk', 'mk']);
  await a.client.v1.markers.create({ home: { lastReadId: '4242' } });
  assert.deepEqual(await b.client.v1.markers.fetch({ timeline: ['home'] }), {});
});

test('form-encoded home[last_read_id] works too', async () => {
  const [a] = await registerUsers(url, ['mk']);
  const r = await raw(url, '/api/v1/markers', { method: 'POST', token: a.token, form: { 'home[last_read_id]': '777' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.home.last_read_id, '777');
});

test('markers need a user token (401)', async () => {
  await expectHttpError(restClient(url).v1.markers.fetch({ timeline: ['home'] }), 401, /token|auth/i);
  await expectHttpError(restClient(url).v1.markers.create({ home: { lastReadId: '1' } }), 401, /token|auth/i);
});
