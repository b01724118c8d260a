// Our two audiences beyond Mastodon's (docs/api.md#audiences): `company` — any signed-in
// member, never a signed-out visitor — and `list:<id>` — the people of one of the author's
// lists. Apps that do not know them see "private"; Status.partyline.audience says which.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUsers, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  // public_read on: signed-out visitors could read public posts, so the company audience
  // must hold them off by itself
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((s) => s.id);

test('company: every signed-in member, nobody signed out, not on the public timeline', async () => {
  const [author, follower, colleague] = await registerUsers(url, ['au', 'fo', 'co']);
  await follower.client.v1.accounts.$select(author.account.id).follow();
  const post = await author.client.v1.statuses.create({ status: 'quarterly numbers #q3', visibility: 'company' });
  assert.equal(post.visibility, 'private');
  assert.equal(post.partyline.audience, 'company');

  assert.equal((await colleague.client.v1.statuses.$select(post.id).fetch()).id, post.id, 'a non-follower colleague');
  assert.ok(ids(await follower.client.v1.timelines.home.list()).includes(post.id), 'followers get it at home');
  assert.ok(ids(await colleague.client.v1.accounts.$select(author.account.id).statuses.list()).includes(post.id));

  const anon = await raw(url, `/api/v1/statuses/${post.id}`);
  assert.equal(anon.status, 404, 'signed out: not found');
  const anonProfile = await raw(url, `/api/v1/accounts/${author.account.id}/statuses`);
  assert.equal(anonProfile.status, 200);
  assert.ok(!ids(anonProfile.json).includes(post.id), 'signed out: not on the profile');
  const pub = await raw(url, '/api/v1/timelines/public');
  assert.ok(!ids(pub.json).includes(post.id));
  assert.ok(!ids(await colleague.client.v1.timelines.public.list()).includes(post.id), 'not public');
});

test('list:<id>: the people of the author\'s list, even without following; nobody else', async () => {
  const [author, friend, follower] = await registerUsers(url, ['au', 'fr', 'fo']);
  await author.client.v1.accounts.$select(friend.account.id).follow();
  await follower.client.v1.accounts.$select(author.account.id).follow();
  const family = await author.client.v1.lists.create({ title: 'family' });
  await author.client.v1.lists.$select(family.id).accounts.create({ accountIds: [friend.account.id] });

  const post = await author.client.v1.statuses.create({ status: 'dinner on Sunday', visibility: `list:${family.id}` });
  assert.equal(post.visibility, 'private');
  assert.equal(post.partyline.audience, 'list');
  assert.equal(post.partyline.list_id ?? post.partyline.listId, family.id);

  assert.equal((await friend.client.v1.statuses.$select(post.id).fetch()).id, post.id);
  assert.ok(ids(await friend.client.v1.timelines.home.list()).includes(post.id), 'delivered to the list\'s people');
  await expectHttpError(follower.client.v1.statuses.$select(post.id).fetch(), 404, NOT_FOUND);
  assert.ok(!ids(await follower.client.v1.timelines.home.list()).includes(post.id), 'not to followers');
  assert.ok(!ids(await follower.client.v1.accounts.$select(author.account.id).statuses.list()).includes(post.id));
  await expectHttpError(follower.client.v1.statuses.$select(post.id).reblog(), [403, 404]);
  await expectHttpError(friend.client.v1.statuses.$select(post.id).reblog(), 403, /boost/);

  // taken off the list: no longer in the audience
  await author.client.v1.lists.$select(family.id).accounts.remove({ accountIds: [friend.account.id] });
  await expectHttpError(friend.client.v1.statuses.$select(post.id).fetch(), 404, NOT_FOUND);
});

test('list:<id> must be one of the author\'s lists; unknown audiences are refused', async () => {
  const [author, other] = await registerUsers(url, ['au', 'ot']);
  const theirs = await other.client.v1.lists.create({ title: 'theirs' });
  await expectHttpError(author.client.v1.statuses.create({ status: 'x', visibility: `list:${theirs.id}` }), 422, /list/);
  await expectHttpError(author.client.v1.statuses.create({ status: 'x', visibility: 'list:abc' }), 422, /Visibility/);
  await expectHttpError(author.client.v1.statuses.create({ status: 'x', visibility: 'galaxy' }), 422, /Visibility/);
});
