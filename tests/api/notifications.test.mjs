// Notifications: mention, follow, favourite, reblog, update; list, get one, dismiss, clear;
// types[] / exclude_types[] / account_id filters. Docs: methods/notifications.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  assertNewestFirst,
  collectPages,
  expectHttpError,
  parseLink,
  raw,
  registerUsers,
  restClient,
  startServer,
  NOT_FOUND,
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

/** alice gets one notification of each kind from bob; carol boosts and alice edits. */
async function scene() {
  const [alice, bob, carol] = await registerUsers(url, ['na', 'nb', 'nc']);
  const post = await alice.client.v1.statuses.create({ status: 'alice writes' });
  await bob.client.v1.accounts.$select(alice.account.id).follow();
  const mention = await bob.client.v1.statuses.create({ status: `hello @${alice.username}` });
  await bob.client.v1.statuses.$select(post.id).favourite();
  await bob.client.v1.statuses.$select(post.id).reblog();
  await carol.client.v1.statuses.$select(post.id).reblog();
  await alice.client.v1.statuses.$select(post.id).update({ status: 'alice rewrites' });
  return { alice, bob, carol, post, mention };
}

describe('GET /api/v1/notifications', () => {
  test('mention, follow, favourite, reblog — newest first, with account and status', async () => {
    const { alice, bob, carol, post, mention } = await scene();
    const notes = await alice.client.v1.notifications.list();
    assertNewestFirst(notes.map((n) => n.id), 'notifications');
    const byType = (t) => notes.filter((n) => n.type === t);

    assert.deepEqual(notes.map((n) => n.type), ['reblog', 'reblog', 'favourite', 'mention', 'follow']);
    const [follow] = byType('follow');
    assert.equal(follow.account.id, bob.account.id);
    assert.ok(!follow.status, 'a follow notification has no status');

    const [m] = byType('mention');
    assert.equal(m.account.id, bob.account.id);
    assert.equal(m.status.id, mention.id);
    assert.ok(m.status.mentions.some((x) => x.id === alice.account.id));

    const [fav] = byType('favourite');
    assert.equal(fav.account.id, bob.account.id);
    assert.equal(fav.status.id, post.id);

    const reblogs = byType('reblog');
    assert.deepEqual(reblogs.map((n) => n.account.id), [carol.account.id, bob.account.id]);
    for (const n of reblogs) assert.equal(n.status.id, post.id, 'a reblog notification carries the original status');

    for (const n of notes) {
      assert.equal(typeof n.id, 'string');
      assert.ok(!Number.isNaN(Date.parse(n.createdAt)));
    }
    assert.equal(byType('update').length, 0, 'the author is not told about their own edit');
  });

  test('"update" goes to everyone who boosted the edited status', async () => {
    const { bob, carol, post } = await scene();
    for (const who of [bob, carol]) {
      const notes = await who.client.v1.notifications.list({ types: ['update'] });
      assert.equal(notes.length, 1);
      assert.equal(notes[0].status.id, post.id);
      assert.match(notes[0].status.content, /alice rewrites/);
    }
  });

  test('types[] and exclude_types[] filter', async () => {
    const { alice } = await scene();
    const onlyMentions = await alice.client.v1.notifications.list({ types: ['mention'] });
    assert.deepEqual(onlyMentions.map((n) => n.type), ['mention']);
    const two = await alice.client.v1.notifications.list({ types: ['follow', 'favourite'] });
    assert.deepEqual(two.map((n) => n.type).sort(), ['favourite', 'follow']);
    const without = await alice.client.v1.notifications.list({ excludeTypes: ['reblog', 'follow'] });
    assert.deepEqual(without.map((n) => n.type), ['favourite', 'mention']);
  });

  test('paging through filtered notifications keeps the filter (Link header)', async () => {
    const { alice } = await scene();
    // one notification per page: every page must still be of the asked types
    const pages = await collectPages(alice.client.v1.notifications.list({ types: ['reblog', 'favourite'], limit: 1 }));
    assert.deepEqual(pages.map((n) => n.type), ['reblog', 'reblog', 'favourite']);
  });

  test('account_id filters by who caused them', async () => {
    const { alice, carol } = await scene();
    const fromCarol = await alice.client.v1.notifications.list({ accountId: carol.account.id });
    assert.deepEqual(fromCarol.map((n) => [n.type, n.account.id]), [['reblog', carol.account.id]]);
  });

  test('paging: limit, max_id, Link next', async () => {
    const { alice } = await scene();
    const all = await alice.client.v1.notifications.list();
    const first = await raw(url, '/api/v1/notifications?limit=2', { token: alice.token });
    assert.deepEqual(first.json.map((n) => n.id), all.slice(0, 2).map((n) => n.id));
    const next = parseLink(first.headers.get('link')).next;
    assert.ok(next, `Link rel="next" expected: ${first.headers.get('link')}`);
    const walked = await collectPages(alice.client.v1.notifications.list({ limit: 2 }));
    assert.deepEqual(walked.map((n) => n.id), all.map((n) => n.id));
    const older = await alice.client.v1.notifications.list({ maxId: all[1].id });
    assert.deepEqual(older.map((n) => n.id), all.slice(2).map((n) => n.id));
  });

  test('deleting a status removes the notifications about it', async () => {
    const [a, b] = await registerUsers(url, ['nu', 'nv']);
    const s = await a.client.v1.statuses.create({ status: 'x' });
    await b.client.v1.statuses.$select(s.id).favourite();
    await a.client.v1.statuses.$select(s.id).remove();
    const notes = await a.client.v1.notifications.list();
    for (const n of notes) if (n.status) assert.notEqual(n.status.id, s.id, 'no notification for a deleted status');
  });

  test('no token: 401', async () => {
    await expectHttpError(restClient(url).v1.notifications.list(), 401, /token|auth/i);
  });
});

describe('one notification: get, dismiss; clear', () => {
  test('GET /api/v1/notifications/:id returns it; other users get 404', async () => {
    const { alice, bob } = await scene();
    const [first] = await alice.client.v1.notifications.list({ types: ['mention'] });
    const one = await alice.client.v1.notifications.$select(first.id).fetch();
    assert.equal(one.id, first.id);
    assert.equal(one.type, 'mention');
    assert.equal(one.status.id, first.status.id);
    await expectHttpError(bob.client.v1.notifications.$select(first.id).fetch(), 404, NOT_FOUND, 'someone else\'s notification');
    await expectHttpError(alice.client.v1.notifications.$select('999999999999').fetch(), 404, NOT_FOUND);
  });

  test('POST /api/v1/notifications/:id/dismiss removes just that one', async () => {
    const { alice } = await scene();
    const before = await alice.client.v1.notifications.list();
    const victim = before.find((n) => n.type === 'favourite');
    await alice.client.v1.notifications.$select(victim.id).dismiss();
    const after = await alice.client.v1.notifications.list();
    assert.deepEqual(after.map((n) => n.id), before.filter((n) => n.id !== victim.id).map((n) => n.id));
    await expectHttpError(alice.client.v1.notifications.$select(victim.id).fetch(), 404, NOT_FOUND);
  });

  test('dismissing someone else\'s notification does nothing to it', async () => {
    const { alice, bob } = await scene();
    const [n] = await alice.client.v1.notifications.list();
    const r = await raw(url, `/api/v1/notifications/${n.id}/dismiss`, { method: 'POST', token: bob.token });
    assert.ok([200, 404].includes(r.status), `got ${r.status}`);
    const still = await alice.client.v1.notifications.$select(n.id).fetch();
    assert.equal(still.id, n.id);
  });

  test('POST /api/v1/notifications/clear empties the list (only mine)', async () => {
    const { alice, bob } = await scene();
    const bobBefore = await bob.client.v1.notifications.list();
    assert.ok(bobBefore.length > 0);
    await alice.client.v1.notifications.clear();
    assert.deepEqual(await alice.client.v1.notifications.list(), []);
    assert.equal((await bob.client.v1.notifications.list()).length, bobBefore.length);
  });
});

describe('what does and does not notify', () => {
  test('no notification for acting on one\'s own status or mentioning oneself', async () => {
    const [a] = await registerUsers(url, ['ns']);
    const s = await a.client.v1.statuses.create({ status: `me, @${a.username}` });
    await a.client.v1.statuses.$select(s.id).favourite();
    await a.client.v1.statuses.$select(s.id).reblog();
    assert.deepEqual(await a.client.v1.notifications.list(), []);
  });

  test('a reply mentioning me notifies me once', async () => {
    const [a, b] = await registerUsers(url, ['nr', 'nt']);
    const s = await a.client.v1.statuses.create({ status: 'question?' });
    const r = await b.client.v1.statuses.create({ status: `@${a.username} @${a.username} answer`, inReplyToId: s.id });
    const notes = await a.client.v1.notifications.list();
    assert.deepEqual(notes.map((n) => [n.type, n.status?.id]), [['mention', r.id]]);
  });

  test('a direct message notifies the mentioned user', async () => {
    const [a, b] = await registerUsers(url, ['nd', 'ne']);
    const dm = await b.client.v1.statuses.create({ status: `@${a.username} psst`, visibility: 'direct' });
    const [n] = await a.client.v1.notifications.list({ types: ['mention'] });
    assert.equal(n.status.id, dm.id);
    assert.equal(n.status.visibility, 'direct');
  });
});
