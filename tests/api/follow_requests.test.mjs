// Locked accounts and follow requests. Docs: methods/follow_requests, methods/accounts#follow
// (a locked account answers with requested: true), entities/Relationship, entities/Account
// (locked, source.follow_requests_count), notification types follow_request and follow.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectHttpError, NOT_FOUND, registerUsers, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

async function lockedPair() {
  const [owner, fan] = await registerUsers(url, ['lk', 'fan']);
  await owner.client.v1.accounts.updateCredentials({ locked: true });
  return [owner, fan];
}

test('following a locked account asks first; the request is listed and counted', async () => {
  const [owner, fan] = await lockedPair();
  const rel = await fan.client.v1.accounts.$select(owner.account.id).follow();
  assert.equal(rel.following, false);
  assert.equal(rel.requested, true);

  const reqs = await owner.client.v1.followRequests.list();
  assert.deepEqual(reqs.map((a) => a.id), [fan.account.id]);
  const me = await owner.client.v1.accounts.verifyCredentials();
  assert.equal(me.locked, true);
  assert.equal(me.source.followRequestsCount, 1);
  const [n] = await owner.client.v1.notifications.list({ types: ['follow_request'] });
  assert.equal(n.type, 'follow_request');
  assert.equal(n.account.id, fan.account.id);
  // the owner sees requested_by
  const [seen] = await owner.client.v1.accounts.relationships.fetch({ id: [fan.account.id] });
  assert.equal(seen.requestedBy, true);
  // asking twice is one request
  await fan.client.v1.accounts.$select(owner.account.id).follow();
  assert.equal((await owner.client.v1.followRequests.list()).length, 1);
});

test('a followers-only post stays hidden until the request is authorized', async () => {
  const [owner, fan] = await lockedPair();
  const secret = await owner.client.v1.statuses.create({ status: 'for followers', visibility: 'private' });
  await fan.client.v1.accounts.$select(owner.account.id).follow();
  await expectHttpError(fan.client.v1.statuses.$select(secret.id).fetch(), 404, NOT_FOUND);

  const rel = await owner.client.v1.followRequests.$select(fan.account.id).authorize();
  assert.equal(rel.id, fan.account.id);
  assert.equal(rel.followedBy, true);
  assert.equal((await owner.client.v1.followRequests.list()).length, 0);
  const got = await fan.client.v1.statuses.$select(secret.id).fetch();
  assert.equal(got.id, secret.id);
  const [mine] = await fan.client.v1.accounts.relationships.fetch({ id: [owner.account.id] });
  assert.equal(mine.following, true);
  assert.equal(mine.requested, false);
  const home = await fan.client.v1.timelines.home.list();
  assert.ok(home.some((s) => s.id === secret.id), 'the follow backfills the home feed');
  const follows = await owner.client.v1.notifications.list({ types: ['follow'] });
  assert.ok(follows.some((x) => x.account.id === fan.account.id), 'authorizing notifies as a follow');
});

test('reject removes the request; withdrawing by unfollowing too; unknown requests are 404', async () => {
  const [owner, fan, other] = await registerUsers(url, ['lk', 'fan', 'oth']);
  await owner.client.v1.accounts.updateCredentials({ locked: true });
  await fan.client.v1.accounts.$select(owner.account.id).follow();
  await other.client.v1.accounts.$select(owner.account.id).follow();
  const rel = await owner.client.v1.followRequests.$select(fan.account.id).reject();
  assert.equal(rel.followedBy, false);
  const [fanView] = await fan.client.v1.accounts.relationships.fetch({ id: [owner.account.id] });
  assert.equal(fanView.requested, false);
  assert.equal(fanView.following, false);

  await other.client.v1.accounts.$select(owner.account.id).unfollow();
  assert.deepEqual(await owner.client.v1.followRequests.list(), []);
  await expectHttpError(owner.client.v1.followRequests.$select(fan.account.id).authorize(), 404, NOT_FOUND);
});

test('unlocking lets everyone who asked in', async () => {
  const [owner, a, b] = await registerUsers(url, ['lk', 'a', 'b']);
  await owner.client.v1.accounts.updateCredentials({ locked: true });
  await a.client.v1.accounts.$select(owner.account.id).follow();
  await b.client.v1.accounts.$select(owner.account.id).follow();
  await owner.client.v1.accounts.updateCredentials({ locked: false });
  assert.deepEqual(await owner.client.v1.followRequests.list(), []);
  const rels = await owner.client.v1.accounts.relationships.fetch({ id: [a.account.id, b.account.id] });
  assert.ok(rels.every((r) => r.followedBy), 'both follow now');
  const acc = await a.client.v1.accounts.$select(owner.account.id).fetch();
  assert.equal(acc.followersCount, 2);
});

test('follow requests list pages with Link headers', async () => {
  const [owner] = await registerUsers(url, ['lk']);
  await owner.client.v1.accounts.updateCredentials({ locked: true });
  const fans = await registerUsers(url, ['f1', 'f2', 'f3']);
  for (const f of fans) await f.client.v1.accounts.$select(owner.account.id).follow();
  const seen = [];
  for await (const page of owner.client.v1.followRequests.list({ limit: 2 })) seen.push(...page.map((a) => a.id));
  assert.deepEqual(seen.sort(), fans.map((f) => f.account.id).sort());
});
