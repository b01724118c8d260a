// notifications_v2.test.mjs — grouped notifications, Mastodon 4.3's /api/v2/notifications
// (docs.joinmastodon.org/methods/grouped_notifications), through masto.js 7.12's v2 client:
// favourites and boosts of one post and follows grouped, the rest one per group; types,
// exclude_types, grouped_types, paging; one group, its accounts, dismissing it; the unread
// count against the notifications marker; another person's group is 404; and the v1
// Notification's group_key naming its v2 group.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUsers, startServer } from './harness.mjs';

let server;
let url;
before(async () => {
  server = await startServer();
  url = server.url;
});
after(async () => {
  await server?.stop();
});

/** alice's post favourited by bob, carol and dave, boosted by erin; bob and carol follow her;
 *  dave mentions her. Returns everyone and the post. */
async function busyMorning() {
  const [alice, bob, carol, dave, erin] = await registerUsers(url, ['ga', 'gb', 'gc', 'gd', 'ge']);
  const post = await alice.client.v1.statuses.create({ status: 'our launch is today' });
  for (const who of [bob, carol, dave]) await who.client.v1.statuses.$select(post.id).favourite();
  await erin.client.v1.statuses.$select(post.id).reblog();
  for (const who of [bob, carol]) await who.client.v1.accounts.$select(alice.account.id).follow();
  const mention = await dave.client.v1.statuses.create({ status: `@${alice.username} congratulations` });
  return { alice, bob, carol, dave, erin, post, mention };
}

const byType = (res) => Object.fromEntries(res.notificationGroups.map((g) => [g.type, g]));

describe('GET /api/v2/notifications', () => {
  test('favourites and boosts of one post and follows come grouped, newest first, with their accounts and statuses once', async () => {
    const { alice, bob, carol, dave, erin, post, mention } = await busyMorning();
    const res = await alice.client.v2.notifications.list();
    assert.deepEqual(res.notificationGroups.map((g) => g.type), ['mention', 'follow', 'reblog', 'favourite']);
    const g = byType(res);
    assert.equal(g.favourite.notificationsCount, 3);
    assert.deepEqual(g.favourite.sampleAccountIds, [dave.account.id, carol.account.id, bob.account.id]);
    assert.equal(g.favourite.statusId, post.id);
    assert.match(g.favourite.groupKey, new RegExp(`^favourite-${post.id}-\\d+$`));
    assert.equal(g.reblog.notificationsCount, 1);
    assert.deepEqual(g.reblog.sampleAccountIds, [erin.account.id]);
    assert.equal(g.follow.notificationsCount, 2);
    assert.deepEqual(g.follow.sampleAccountIds, [carol.account.id, bob.account.id]);
    assert.equal(g.follow.statusId, undefined);
    assert.equal(g.mention.notificationsCount, 1);
    assert.equal(g.mention.statusId, mention.id);
    assert.match(g.mention.groupKey, /^ungrouped-\d+$/);
    for (const x of res.notificationGroups) {
      assert.ok(x.mostRecentNotificationId && x.pageMinId && x.pageMaxId && x.latestPageNotificationAt, `${x.type}: page fields`);
    }
    assert.equal(g.favourite.pageMaxId, g.favourite.mostRecentNotificationId);
    assert.deepEqual(res.accounts.map((a) => a.id).sort(), [bob, carol, dave, erin].map((u) => u.account.id).sort());
    assert.deepEqual(res.statuses.map((s) => s.id).sort(), [post.id, mention.id].sort());
    // the v1 notifications name their v2 group
    const v1 = await alice.client.v1.notifications.list();
    for (const n of v1) {
      const want = res.notificationGroups.find((x) => x.type === n.type).groupKey;
      assert.equal(n.groupKey, n.type === 'mention' ? `ungrouped-${n.id}` : want, `${n.type} group_key`);
    }
  });

  test('types, exclude_types and grouped_types', async () => {
    const { alice, bob, carol } = await busyMorning();
    const favs = await alice.client.v2.notifications.list({ types: ['favourite'] });
    assert.deepEqual(favs.notificationGroups.map((g) => g.type), ['favourite']);
    const noFavs = await alice.client.v2.notifications.list({ excludeTypes: ['favourite', 'mention'] });
    assert.deepEqual(noFavs.notificationGroups.map((g) => g.type), ['follow', 'reblog']);
    // follows not grouped: one group each, ungrouped-<id>
    const ungrouped = await alice.client.v2.notifications.list({ types: ['follow', 'favourite'], groupedTypes: ['favourite'] });
    assert.deepEqual(ungrouped.notificationGroups.map((g) => g.type), ['follow', 'follow', 'favourite']);
    const follows = ungrouped.notificationGroups.filter((g) => g.type === 'follow');
    assert.deepEqual(follows.map((g) => g.sampleAccountIds[0]), [carol.account.id, bob.account.id]);
    for (const f of follows) {
      assert.match(f.groupKey, /^ungrouped-\d+$/);
      assert.equal(f.notificationsCount, 1);
    }
    const fromBob = await alice.client.v2.notifications.list({ accountId: bob.account.id });
    assert.deepEqual(fromBob.notificationGroups.map((g) => g.type), ['follow', 'favourite']);
  });

  test('pages by groups with a Link header', async () => {
    const { alice } = await busyMorning();
    const r = await raw(url, '/api/v2/notifications?limit=2', { token: alice.token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.notification_groups.map((g) => g.type), ['mention', 'follow']);
    const next = (r.headers.get('link') ?? '').match(/<([^>]+)>; rel="next"/);
    assert.ok(next, 'a next link');
    const r2 = await raw(url, new URL(next[1]).pathname + new URL(next[1]).search, { token: alice.token });
    assert.deepEqual(r2.json.notification_groups.map((g) => g.type), ['reblog', 'favourite']);
    assert.equal(r2.json.notification_groups[1].notifications_count, 3);
  });
});

describe('one group', () => {
  test('fetch, accounts and dismiss; another person gets 404', async () => {
    const { alice, bob, carol, dave, post } = await busyMorning();
    const [mallory] = await registerUsers(url, ['gm']);
    const fav = byType(await alice.client.v2.notifications.list()).favourite;
    const one = await alice.client.v2.notifications.$select(fav.groupKey).fetch();
    assert.equal(one.notificationGroups.length, 1);
    assert.equal(one.notificationGroups[0].groupKey, fav.groupKey);
    assert.equal(one.notificationGroups[0].notificationsCount, 3);
    assert.deepEqual(one.statuses.map((s) => s.id), [post.id]);
    const accounts = await alice.client.v2.notifications.$select(fav.groupKey).accounts.fetch();
    assert.deepEqual(accounts.map((a) => a.id), [dave, carol, bob].map((u) => u.account.id));

    await expectHttpError(mallory.client.v2.notifications.$select(fav.groupKey).fetch(), 404, NOT_FOUND);
    await expectHttpError(mallory.client.v2.notifications.$select(fav.groupKey).accounts.fetch(), 404, NOT_FOUND);
    await expectHttpError(mallory.client.v2.notifications.$select(fav.groupKey).dismiss(), 404, NOT_FOUND);
    await expectHttpError(alice.client.v2.notifications.$select('nonsense-1').fetch(), 404, NOT_FOUND);
    assert.equal((await alice.client.v2.notifications.$select(fav.groupKey).fetch()).notificationGroups.length, 1, 'untouched');

    await alice.client.v2.notifications.$select(fav.groupKey).dismiss();
    await expectHttpError(alice.client.v2.notifications.$select(fav.groupKey).fetch(), 404, NOT_FOUND);
    const v1 = await alice.client.v1.notifications.list();
    assert.ok(!v1.some((n) => n.type === 'favourite'), 'the group\'s notifications are gone');
    assert.ok(v1.some((n) => n.type === 'reblog'), 'the others stay');
    // an ungrouped one
    const mention = byType(await alice.client.v2.notifications.list()).mention;
    await alice.client.v2.notifications.$select(mention.groupKey).dismiss();
    assert.ok(!(await alice.client.v1.notifications.list()).some((n) => n.type === 'mention'));
  });
});

describe('GET /api/v2/notifications/unread_count', () => {
  test('counts groups newer than the notifications marker, capped by limit', async () => {
    const { alice, erin, post } = await busyMorning();
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch(), { count: 4 });
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch({ limit: 2 }), { count: 2 });
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch({ types: ['favourite', 'follow'] }), { count: 2 });
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch({ groupedTypes: ['mention'] }), { count: 7 }, 'nothing groupable grouped: 3 favourites, 1 boost, 2 follows, 1 mention');
    // v1's count (Mastodon 4.3) counts notifications, not groups, with the same filters
    assert.deepEqual(await alice.client.v1.notifications.unreadCount.fetch(), { count: 7 });
    assert.deepEqual(await alice.client.v1.notifications.unreadCount.fetch({ types: ['favourite'] }), { count: 3 });
    assert.deepEqual(await alice.client.v1.notifications.unreadCount.fetch({ limit: 5 }), { count: 5 });
    const newest = (await alice.client.v1.notifications.list({ limit: 1 }))[0];
    await alice.client.v1.markers.create({ notifications: { lastReadId: newest.id } });
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch(), { count: 0 });
    await erin.client.v1.statuses.$select(post.id).favourite();
    assert.deepEqual(await alice.client.v2.notifications.unreadCount.fetch(), { count: 1 });
  });
});
