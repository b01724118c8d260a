// Muting a conversation. Docs: methods/statuses#mute, #unmute (write:mutes), entities/Status
// (muted); how the thread is named and who may mute it: src/app/thread_mutes.h, docs/api.md.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

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

const post = (who, status, more = {}) => who.client.v1.statuses.create({ status, ...more });
const notes = async (who) => who.client.v1.notifications.list({ limit: 40 });
const since = (list, after) => list.filter((n) => BigInt(n.id) > BigInt(after ?? 0));
const newest = async (who) => (await notes(who))[0]?.id;

describe('POST /api/v1/statuses/:id/mute and /unmute', () => {
  let alice;
  let bob;
  let root;
  let middle;
  before(async () => {
    [alice, bob] = await registerUsers(url, ['mu_a', 'mu_b']);
    root = await post(alice, 'a long thread begins');
    middle = await post(bob, `@${alice.username} first reply`, { inReplyToId: root.id });
  });

  test('muting one post mutes its whole thread: muted is true on every post of it, for the muter only', async () => {
    const answered = await alice.client.v1.statuses.$select(middle.id).mute();
    assert.equal(answered.id, middle.id);
    assert.equal(answered.muted, true);
    assert.equal((await alice.client.v1.statuses.$select(root.id).fetch()).muted, true);
    assert.equal((await bob.client.v1.statuses.$select(root.id).fetch()).muted, false, 'not for others');
    const later = await post(bob, `@${alice.username} a later reply`, { inReplyToId: middle.id });
    assert.equal((await alice.client.v1.statuses.$select(later.id).fetch()).muted, true, 'later posts too');
    const home = await alice.client.v1.timelines.home.list();
    assert.equal(home.find((s) => s.id === root.id)?.muted, true, 'and on a timeline page');
    const other = await post(alice, 'another thread');
    assert.equal((await alice.client.v1.statuses.$select(other.id).fetch()).muted, false);
  });

  test('no mention, favourite or boost notifications come from a muted thread; others still do', async () => {
    const mark = await newest(alice);
    await post(bob, `@${alice.username} are you there?`, { inReplyToId: root.id });
    await bob.client.v1.statuses.$select(root.id).favourite();
    await bob.client.v1.statuses.$select(root.id).reblog();
    const outside = await post(bob, `@${alice.username} a new topic`);
    const got = since(await notes(alice), mark);
    assert.deepEqual(
      got.map((n) => [n.type, n.status?.id]),
      [['mention', outside.id]],
      'only the mention from outside the thread',
    );
  });

  test('unmuting brings them back, and muted is false again', async () => {
    const answered = await alice.client.v1.statuses.$select(root.id).unmute();
    assert.equal(answered.muted, false);
    assert.equal((await alice.client.v1.statuses.$select(middle.id).fetch()).muted, false);
    const mark = await newest(alice);
    const again = await post(bob, `@${alice.username} back?`, { inReplyToId: middle.id });
    await bob.client.v1.statuses.$select(again.id).fetch();
    const got = since(await notes(alice), mark);
    assert.deepEqual(got.map((n) => [n.type, n.status?.id]), [['mention', again.id]]);
  });

  test('muting twice, or unmuting what is not muted, is fine', async () => {
    await alice.client.v1.statuses.$select(root.id).mute();
    assert.equal((await alice.client.v1.statuses.$select(root.id).mute()).muted, true);
    await alice.client.v1.statuses.$select(root.id).unmute();
    assert.equal((await alice.client.v1.statuses.$select(root.id).unmute()).muted, false);
  });
});

describe('who may mute what', () => {
  test('a post one may not see is 404, as an unknown one', async () => {
    const [carol, dave] = await registerUsers(url, ['mu_c', 'mu_d']);
    const closed = await post(carol, 'followers only', { visibility: 'private' });
    await expectHttpError(dave.client.v1.statuses.$select(closed.id).mute(), 404, NOT_FOUND);
    await expectHttpError(dave.client.v1.statuses.$select(closed.id).unmute(), 404, NOT_FOUND);
    await expectHttpError(dave.client.v1.statuses.$select('999999999999').mute(), 404, NOT_FOUND);
  });

  test('a thread one has not joined yet may be muted (Mastodon does not check either): its mentions then stay away', async () => {
    const [erin, frank] = await registerUsers(url, ['mu_e', 'mu_f']);
    const thread = await post(erin, 'a busy thread');
    assert.equal((await frank.client.v1.statuses.$select(thread.id).mute()).muted, true);
    const mark = await newest(frank);
    await post(erin, `@${frank.username} what do you think?`, { inReplyToId: thread.id });
    assert.deepEqual(since(await notes(frank), mark), []);
  });

  test('muting a boost mutes the thread of the boosted post', async () => {
    const [gina, hal] = await registerUsers(url, ['mu_g', 'mu_h']);
    const original = await post(gina, 'worth sharing');
    const boost = await hal.client.v1.statuses.$select(original.id).reblog();
    await gina.client.v1.statuses.$select(boost.id).mute();
    assert.equal((await gina.client.v1.statuses.$select(original.id).fetch()).muted, true);
  });

  test('needs a signed-in person', async () => {
    const [ivy] = await registerUsers(url, ['mu_i']);
    const s = await post(ivy, 'hello');
    const res = await fetch(new URL(`/api/v1/statuses/${s.id}/mute`, url), { method: 'POST' });
    assert.equal(res.status, 401);
    const madeUp = await fetch(new URL(`/api/v1/statuses/${s.id}/mute`, url),
      { method: 'POST', headers: { authorization: 'Bearer made-up-token-0123456789abcdef' } });
    assert.equal(madeUp.status, 401, 'a made-up token');
    assert.equal(typeof (await madeUp.json()).error, 'string');
  });
});
