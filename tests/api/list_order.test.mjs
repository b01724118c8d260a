// The order of one's lists (our extension, docs/api.md#list-order): PUT
// /api/v1/partyline/lists/order with every one of the caller's lists; GET /api/v1/lists (what
// Mastodon apps read) answers in that order, new lists last. Anything but exactly the caller's
// lists is refused whole.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUsers, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const ORDER = '/api/v1/partyline/lists/order';
const titles = (lists) => lists.map((l) => l.title);

async function put(who, ids) {
  return raw(url, ORDER, { method: 'PUT', token: who.token, json: { ids } });
}

test('lists read in the order their owner set, on every later read; new lists go last', async () => {
  const [owner] = await registerUsers(url, ['lord']);
  const a = await owner.client.v1.lists.create({ title: 'work' });
  const b = await owner.client.v1.lists.create({ title: 'friends' });
  const c = await owner.client.v1.lists.create({ title: 'cycling' });
  assert.deepEqual(titles(await owner.client.v1.lists.list()), ['work', 'friends', 'cycling'],
    'creation order before any reorder');

  const r = await put(owner, [c.id, a.id, b.id]);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(titles(r.json), ['cycling', 'work', 'friends'], 'the answer is the new order');
  assert.deepEqual(Object.keys(r.json[0]).sort(), ['exclusive', 'id', 'replies_policy', 'title'],
    'Mastodon List entities');
  assert.deepEqual(titles(await owner.client.v1.lists.list()), ['cycling', 'work', 'friends']);

  await owner.client.v1.lists.create({ title: 'news' });
  assert.deepEqual(titles(await owner.client.v1.lists.list()), ['cycling', 'work', 'friends', 'news']);
  await owner.client.v1.lists.$select(a.id).remove();
  assert.deepEqual(titles(await owner.client.v1.lists.list()), ['cycling', 'friends', 'news']);
});

test('an order that is not exactly the caller\'s lists is refused with 422 and changes nothing', async () => {
  const [owner, other] = await registerUsers(url, ['lown', 'loth']);
  const a = await owner.client.v1.lists.create({ title: 'one' });
  const b = await owner.client.v1.lists.create({ title: 'two' });
  const theirs = await other.client.v1.lists.create({ title: 'theirs' });
  const before = titles(await owner.client.v1.lists.list());

  for (const [ids, what] of [
    [[b.id], 'one list missing'],
    [[b.id, a.id, a.id], 'a list twice'],
    [[b.id, a.id, theirs.id], 'another person\'s list added'],
    [[b.id, theirs.id], 'another person\'s list instead of one of mine'],
    [['99999999999'], 'an unknown id'],
    [[b.id, 'x'], 'not an id'],
    [[], 'nothing'],
  ]) {
    const r = await put(owner, ids);
    assert.equal(r.status, 422, `${what}: ${r.text}`);
    assert.match(r.json.error, /Validation failed: .*(each of your 2 lists exactly once|list ids)/, what);
    assert.deepEqual(titles(await owner.client.v1.lists.list()), before, `${what}: nothing written`);
  }
  assert.equal((await raw(url, ORDER, { method: 'PUT', json: { ids: [a.id] } })).status, 401, 'signed out');
  assert.deepEqual(titles(await other.client.v1.lists.list()), ['theirs'], 'the other person\'s lists untouched');

  const ok = await put(owner, [b.id, a.id]);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(titles(await owner.client.v1.lists.list()), ['two', 'one']);
});

test('someone with no lists may send an empty order', async () => {
  const [nobody] = await registerUsers(url, ['lnone']);
  const r = await put(nobody, []);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, []);
});
