// notification_policy.test.mjs — Mastodon 4.3's notification policy and requests
// (docs.joinmastodon.org/methods/notifications: "Get the filtering policy", "Update the
// filtering policy", "notification requests", unread_count), through masto.js 7.12: the
// company's defaults hear every colleague; a policy that filters keeps notifications aside as
// one request per sender (not listed, counted or streamed) until accepted — then they join the
// list and the sender is heard from then on — or dismissed; drop writes nothing; include_filtered
// shows them; another person's request is 404; bad values are 422 and change nothing.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import {
  collectEvents, createApp, expectHttpError, NOT_FOUND, passwordLogin, raw, registerUsers, restClient, startServer,
} from './harness.mjs';

let server;
let url;
before(async () => {
  server = await startServer();
  url = server.url;
});
after(async () => {
  await server?.stop();
});

const policyOf = (p) => ({
  forNotFollowing: p.forNotFollowing,
  forNotFollowers: p.forNotFollowers,
  forNewAccounts: p.forNewAccounts,
  forPrivateMentions: p.forPrivateMentions,
  forLimitedAccounts: p.forLimitedAccounts,
});

describe('GET and PATCH /api/v2/notifications/policy', () => {
  test('at work every colleague is heard by default; a change is kept, each value on its own', async () => {
    const [alice] = await registerUsers(url, ['pa']);
    const p = await alice.client.v2.notifications.policy.fetch();
    assert.deepEqual(policyOf(p), {
      forNotFollowing: 'accept',
      forNotFollowers: 'accept',
      forNewAccounts: 'accept',
      forPrivateMentions: 'accept',
      forLimitedAccounts: 'filter',
    });
    assert.deepEqual(p.summary, { pendingRequestsCount: 0, pendingNotificationsCount: 0 });

    const changed = await alice.client.v2.notifications.policy.update({ forNotFollowing: 'filter' });
    assert.equal(changed.forNotFollowing, 'filter');
    assert.equal(changed.forPrivateMentions, 'accept', 'what was not given stays');
    await alice.client.v2.notifications.policy.update({ forNewAccounts: 'drop' });
    const again = await alice.client.v2.notifications.policy.fetch();
    assert.equal(again.forNotFollowing, 'filter');
    assert.equal(again.forNewAccounts, 'drop');
  });

  test('a value other than accept, filter or drop is 422 naming the field, and nothing changes', async () => {
    const [alice] = await registerUsers(url, ['pb']);
    await expectHttpError(
      alice.client.v2.notifications.policy.update({ forNotFollowing: 'filter', forNewAccounts: 'ignore' }),
      422,
      /for_new_accounts.*accept, filter or drop/,
    );
    const p = await alice.client.v2.notifications.policy.fetch();
    assert.equal(p.forNotFollowing, 'accept', 'the valid half of a bad request is not applied');
  });

  test('a read-only token reads the policy but cannot change it', async () => {
    const [alice] = await registerUsers(url, ['pc']);
    const app = await createApp(url, { scopes: 'read' });
    const token = await passwordLogin(url, app, alice.email, alice.password, 'read');
    const reader = restClient(url, token.accessToken);
    assert.equal((await reader.v2.notifications.policy.fetch()).forNotFollowing, 'accept');
    await expectHttpError(reader.v2.notifications.policy.update({ forNotFollowing: 'drop' }), 403);
  });
});

describe('filtered notifications and their requests', () => {
  test('filter keeps them aside, one request per sender, out of the list, the unread count and the stream', async () => {
    const [alice, bob, carol, dave] = await registerUsers(url, ['fa', 'fb', 'fc', 'fd']);
    await alice.client.v1.accounts.$select(dave.account.id).follow(); // dave is followed: heard
    await alice.client.v2.notifications.policy.update({ forNotFollowing: 'filter' });
    const post = await alice.client.v1.statuses.create({ status: 'the quarterly plan' });

    const streaming = createStreamingAPIClient({ streamingApiUrl: url, accessToken: alice.token, implementation: WebSocket, retry: false });
    const col = collectEvents(streaming.user.subscribe(), 10_000);
    // the subscription is live once one's own post comes back on it
    for (let i = 0; ; i++) {
      const p = await alice.client.v1.statuses.create({ status: `warm-up ${i}` });
      try {
        await col.waitFor((e) => e.event === 'update' && e.payload?.id === p.id, 'the warm-up post', 1000);
        break;
      } catch (e) {
        if (i > 8) throw e;
      }
    }
    await bob.client.v1.statuses.$select(post.id).favourite();
    const mention = await bob.client.v1.statuses.create({ status: `@${alice.username} a question on the plan` });
    await carol.client.v1.accounts.$select(alice.account.id).follow();
    await dave.client.v1.statuses.$select(post.id).favourite();
    // dave's comes last: the filtered ones, had they streamed, would have come before it
    await col.waitFor((e) => e.event === 'notification' && e.payload?.account?.id === dave.account.id, 'dave\'s favourite');
    streaming.close();
    const streamed = col.events.filter((e) => e.event === 'notification').map((e) => e.payload.account.id);
    assert.deepEqual(streamed, [dave.account.id], 'only the heard notification streams');

    const list = await alice.client.v1.notifications.list();
    assert.deepEqual(list.map((n) => [n.type, n.account.id]), [['favourite', dave.account.id]]);
    assert.equal((await alice.client.v1.notifications.unreadCount.fetch()).count, 1);
    const grouped = await alice.client.v2.notifications.list();
    assert.deepEqual(grouped.notificationGroups.map((g) => g.sampleAccountIds), [[dave.account.id]]);

    const requests = await alice.client.v1.notifications.requests.list();
    assert.deepEqual(requests.map((r) => r.account.id), [carol.account.id, bob.account.id], 'most recent first');
    const fromBob = requests[1];
    assert.equal(fromBob.notificationsCount, '2');
    assert.equal(fromBob.lastStatus.id, mention.id);
    assert.ok(fromBob.createdAt <= fromBob.updatedAt);
    assert.equal(requests[0].notificationsCount, '1');
    assert.equal(requests[0].lastStatus, undefined, 'a follow is about no post');
    const one = await alice.client.v1.notifications.requests.$select(fromBob.id).fetch();
    assert.equal(one.account.id, bob.account.id);

    const p = await alice.client.v2.notifications.policy.fetch();
    assert.deepEqual(p.summary, { pendingRequestsCount: 2, pendingNotificationsCount: 3 });

    const all = await alice.client.v1.notifications.list({ includeFiltered: true });
    assert.deepEqual(all.map((n) => n.type), ['favourite', 'follow', 'mention', 'favourite']);
  });

  test('accepting merges them into the list at once and the sender is heard from then on; dismissing deletes them', async () => {
    const [alice, bob, carol] = await registerUsers(url, ['ma', 'mb', 'mc']);
    await alice.client.v2.notifications.policy.update({ forNotFollowing: 'filter' });
    const post = await alice.client.v1.statuses.create({ status: 'offsite agenda' });
    await bob.client.v1.statuses.$select(post.id).favourite();
    await carol.client.v1.statuses.$select(post.id).favourite();
    assert.equal((await alice.client.v1.notifications.list()).length, 0);

    await alice.client.v1.notifications.requests.$select(bob.account.id).accept();
    assert.equal((await alice.client.v1.notifications.requests.merged.fetch()).merged, true);
    assert.deepEqual((await alice.client.v1.notifications.list()).map((n) => n.account.id), [bob.account.id]);
    await bob.client.v1.statuses.create({ status: `@${alice.username} thanks for the agenda` });
    const after = await alice.client.v1.notifications.list();
    assert.deepEqual(after.map((n) => n.type), ['mention', 'favourite'], 'an accepted sender is no longer filtered');

    await alice.client.v1.notifications.requests.$select(carol.account.id).dismiss();
    assert.deepEqual(await alice.client.v1.notifications.requests.list(), []);
    const all = await alice.client.v1.notifications.list({ includeFiltered: true });
    assert.ok(!all.some((n) => n.account.id === carol.account.id), 'a dismissed request\'s notifications are gone');
    await expectHttpError(alice.client.v1.notifications.requests.$select(carol.account.id).accept(), 404, NOT_FOUND);
  });

  test('accept and dismiss in bulk pass over ids that are not the viewer\'s; id[] is required and capped', async () => {
    const [alice, bob, carol, dave, erin] = await registerUsers(url, ['ba', 'bb', 'bc', 'bd', 'be']);
    for (const who of [alice, erin]) await who.client.v2.notifications.policy.update({ forNotFollowing: 'filter' });
    for (const who of [bob, carol, dave]) await who.client.v1.accounts.$select(alice.account.id).follow();
    await bob.client.v1.accounts.$select(erin.account.id).follow(); // a request of erin's

    await alice.client.v1.notifications.requests.accept({ id: [bob.account.id, '999999999'] });
    await alice.client.v1.notifications.requests.dismiss({ id: [carol.account.id] });
    const left = await alice.client.v1.notifications.requests.list();
    assert.deepEqual(left.map((r) => r.account.id), [dave.account.id]);
    assert.deepEqual((await alice.client.v1.notifications.list()).map((n) => n.account.id), [bob.account.id]);

    // erin's request from bob is untouched by alice naming it
    await alice.client.v1.notifications.requests.dismiss({ id: [bob.account.id] });
    assert.equal((await erin.client.v1.notifications.requests.list()).length, 1);
    await expectHttpError(erin.client.v1.notifications.requests.$select(dave.account.id).fetch(), 404, NOT_FOUND);

    const none = await raw(url, '/api/v1/notifications/requests/accept', { method: 'POST', token: alice.token, json: {} });
    assert.equal(none.status, 422);
    assert.match(none.json.error, /id\[\]/);
    const many = Array.from({ length: 41 }, (_, i) => String(i + 1));
    const tooMany = await raw(url, '/api/v1/notifications/requests/dismiss', { method: 'POST', token: alice.token, json: { id: many } });
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.json.error, /at most 40/);
  });

  test('drop writes nothing; a private-mention policy spares replies to one\'s own posts and people one follows', async () => {
    const [alice, bob, carol] = await registerUsers(url, ['da', 'db', 'dc']);
    await alice.client.v2.notifications.policy.update({ forNewAccounts: 'drop', forPrivateMentions: 'filter' });
    const post = await alice.client.v1.statuses.create({ status: 'who has the keys?' });
    await bob.client.v1.statuses.$select(post.id).favourite(); // bob is a new account: dropped
    assert.equal((await alice.client.v1.notifications.list({ includeFiltered: true })).length, 0);
    assert.equal((await alice.client.v1.notifications.requests.list()).length, 0);

    await alice.client.v2.notifications.policy.update({ forNewAccounts: 'accept' });
    const dm = await bob.client.v1.statuses.create({ status: `@${alice.username} psst`, visibility: 'direct' });
    const answer = await carol.client.v1.statuses.create({
      status: `@${alice.username} I do`, visibility: 'direct', inReplyToId: post.id,
    });
    await alice.client.v1.accounts.$select(carol.account.id).follow();
    const followed = await carol.client.v1.statuses.create({ status: `@${alice.username} also`, visibility: 'direct' });
    const shown = (await alice.client.v1.notifications.list()).map((n) => n.status?.id);
    assert.deepEqual(shown, [followed.id, answer.id], 'the reply and the followed sender are heard');
    const [req] = await alice.client.v1.notifications.requests.list();
    assert.equal(req.account.id, bob.account.id);
    assert.equal(req.lastStatus.id, dm.id);
  });

  test('polls and edits are never held back; unknown routes and other people\'s ids answer 404', async () => {
    const [alice, bob] = await registerUsers(url, ['ua', 'ub']);
    await alice.client.v1.accounts.$select(bob.account.id).follow();
    await alice.client.v2.notifications.policy.update({ forNotFollowing: 'drop', forNotFollowers: 'drop' });
    const post = await bob.client.v1.statuses.create({ status: 'lunch?' });
    await alice.client.v1.statuses.$select(post.id).reblog();
    await alice.client.v1.accounts.$select(bob.account.id).unfollow();
    await bob.client.v1.statuses.$select(post.id).update({ status: 'lunch at noon?' });
    const types = (await alice.client.v1.notifications.list()).map((n) => n.type);
    assert.deepEqual(types, ['update'], 'an edit of a boosted post arrives whatever the policy');
    await expectHttpError(alice.client.v1.notifications.requests.$select('not-an-id').fetch(), 404, NOT_FOUND);
  });
});
