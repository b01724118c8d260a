// A list's sources besides its people (our extension, docs/api.md#list-sources): channels and
// hashtags. The list timeline merges their posts on read with its members' posts, each one
// still passing the audience function.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_LIST_SOURCES: '3' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((s) => s.id);

async function call(who, method, path, { json, status = 200 } = {}) {
  const r = await raw(url, path, { method, token: who.token, json });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

test('channels and hashtags feed a list; a private channel the owner is not in cannot', async () => {
  const [owner, friend, poster, admin] = await registerUsers(url, ['lo', 'lf', 'lp', 'la']);
  await owner.client.v1.accounts.$select(friend.account.id).follow();
  const list = await owner.client.v1.lists.create({ title: 'interests' });
  await owner.client.v1.lists.$select(list.id).accounts.create({ accountIds: [friend.account.id] });
  const ch = await call(admin, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('bikes') } });
  const secret = await call(admin, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('sec'), private: true } });
  await call(poster, 'POST', `/api/v1/partyline/channels/${ch.id}/join`);

  const S = `/api/v1/partyline/lists/${list.id}/sources`;
  const added = await call(owner, 'POST', S, { json: { channel_ids: [ch.id], tags: ['#Cycling'] } });
  assert.deepEqual(added.channels.map((c) => c.id), [ch.id]);
  assert.deepEqual(added.tags, ['cycling']);
  await call(owner, 'POST', S, { json: { channel_ids: [secret.id] }, status: 404 });
  await call(owner, 'POST', S, { json: { tags: ['not a tag!'] }, status: 422 });
  await call(owner, 'POST', S, { json: {}, status: 422 });
  const tooMany = await call(owner, 'POST', S, { json: { tags: ['a1', 'a2'] }, status: 422 });
  assert.match(tooMany.error, /at most 3/);
  const other = (await registerUsers(url, ['lx']))[0];
  await call(other, 'GET', S, { status: 404 });

  const byFriend = await friend.client.v1.statuses.create({ status: 'from a member' });
  const inChannel = await poster.client.v1.statuses.create({ status: 'ride on Sunday', channelId: ch.id });
  const tagged = await poster.client.v1.statuses.create({ status: 'new saddle #cycling' });
  const taggedPrivate = await poster.client.v1.statuses.create({ status: 'secret #cycling', visibility: 'private' });
  const unrelated = await poster.client.v1.statuses.create({ status: 'lunch?' });
  const tl = ids(await owner.client.v1.timelines.list.$select(list.id).list());
  for (const s of [byFriend, inChannel, tagged]) assert.ok(tl.includes(s.id), `the list has ${s.content}`);
  assert.ok(!tl.includes(taggedPrivate.id), 'a followers-only post the owner may not see stays out');
  assert.ok(!tl.includes(unrelated.id));
  assert.deepEqual(tl, [...tl].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)), 'newest first');

  const left = await call(owner, 'DELETE', S, { json: { tags: ['cycling'] } });
  assert.deepEqual(left.tags, []);
  const tl2 = ids(await owner.client.v1.timelines.list.$select(list.id).list());
  assert.ok(!tl2.includes(tagged.id) && tl2.includes(inChannel.id));

  // a keyword: a phrase found through the search index, with the same audience rule
  const kw = await call(owner, 'POST', S, { json: { keywords: ['  chain grease '] } });
  assert.deepEqual(kw.keywords, ['chain grease']);
  await call(owner, 'POST', S, { json: { keywords: ['!!!'] }, status: 422 });
  const match = await poster.client.v1.statuses.create({ status: 'Which chain grease do you use?' });
  const near = await poster.client.v1.statuses.create({ status: 'grease for the chain' });
  const hidden = await poster.client.v1.statuses.create({ status: 'my chain grease secret', visibility: 'private' });
  const tl3 = ids(await owner.client.v1.timelines.list.$select(list.id).list());
  assert.ok(tl3.includes(match.id), 'the phrase matches');
  assert.ok(!tl3.includes(near.id), 'the words out of order do not');
  assert.ok(!tl3.includes(hidden.id), 'a post the owner may not see stays out');
});
