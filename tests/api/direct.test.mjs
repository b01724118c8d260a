// Direct messages stay between the people they address: a third person (and a signed-out
// visitor, with public_read on) finds them on no path — single status, thread, account,
// home, public, hashtag and list timelines, notifications, conversations, engagement, polls —
// and nobody may boost one. (A DM to the owner of a list from a member does show in that list:
// lists.test.mjs.) Docs: methods/statuses (visibility direct), methods/conversations,
// methods/timelines, methods/lists.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUsers, restClient, startServer } from './harness.mjs';

let server;
let url;
// a writes to b; c follows a, lists a and reads #projx, but is not addressed; d is signed out
let a, b, c;
let root; // a's public post
let dmReply; // a's DM to b, a reply to root
let dmRoot; // a's DM to b with a hashtag and a poll
const TAG = 'projxsecret';

before(async () => {
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } });
  url = server.url;
  [a, b, c] = await registerUsers(url, ['xa', 'xb', 'xc']);
  await c.client.v1.accounts.$select(a.account.id).follow();
  await b.client.v1.accounts.$select(a.account.id).follow();
  root = await a.client.v1.statuses.create({ status: `launch plan #${TAG}`, visibility: 'public' });
  dmReply = await a.client.v1.statuses.create({
    status: `@${b.username} between us: the launch slips #${TAG}`,
    visibility: 'direct',
    inReplyToId: root.id,
  });
  dmRoot = await a.client.v1.statuses.create({
    status: `@${b.username} which day? #${TAG}`,
    visibility: 'direct',
    poll: { options: ['Monday', 'Friday'], expiresIn: 3600 },
  });
});

after(async () => {
  await server?.stop();
});

const anon = () => restClient(url);
const ids = (list) => list.map((s) => s.id);
const dms = () => [dmReply.id, dmRoot.id];
const assertNoDm = (list, what) => {
  for (const id of dms()) assert.ok(!ids(list).includes(id), `${what} must not show the DM ${id}`);
  assert.ok(!JSON.stringify(list).includes('between us'), `${what} must not carry the DM's text`);
};

describe('the addressed see it', () => {
  test('the recipient reads the DM, its thread and its poll; the DM is in their home and conversations', async () => {
    assert.equal((await b.client.v1.statuses.$select(dmReply.id).fetch()).visibility, 'direct');
    const ctx = await b.client.v1.statuses.$select(root.id).context.fetch();
    assert.ok(ids(ctx.descendants).includes(dmReply.id), 'the control: b sees the DM in the thread');
    assert.equal((await b.client.v1.polls.$select(dmRoot.poll.id).fetch()).id, dmRoot.poll.id);
    const home = await b.client.v1.timelines.home.list({ limit: 40 });
    assert.ok(ids(home).includes(dmRoot.id), 'the control: b\'s home has the DM');
    const conv = await b.client.v1.conversations.list();
    assert.deepEqual(conv.map((x) => x.lastStatus.id).sort(), dms().sort());
  });
});

describe('a third person and a signed-out visitor do not', () => {
  test('GET /statuses/:id, /context, /history, /source are 404', async () => {
    for (const [who, client] of [['c', c.client], ['signed out', anon()]]) {
      for (const id of dms()) {
        await expectHttpError(client.v1.statuses.$select(id).fetch(), 404, NOT_FOUND, `${who}: status`);
        await expectHttpError(client.v1.statuses.$select(id).context.fetch(), 404, NOT_FOUND, `${who}: context`);
        await expectHttpError(client.v1.statuses.$select(id).history.list(), 404, NOT_FOUND, `${who}: history`);
      }
      const ctx = await client.v1.statuses.$select(root.id).context.fetch();
      assertNoDm(ctx.descendants, `${who}: the public root's context`);
    }
    await expectHttpError(c.client.v1.statuses.$select(dmReply.id).source.fetch(), 404, NOT_FOUND, 'c: source');
  });

  test('the author\'s account statuses', async () => {
    for (const [who, client] of [['c', c.client], ['signed out', anon()]]) {
      const list = await client.v1.accounts.$select(a.account.id).statuses.list({ limit: 40 });
      assert.ok(ids(list).includes(root.id), `${who}: the control: the public post is there`);
      assertNoDm(list, `${who}: account statuses`);
    }
  });

  test('home, public and hashtag timelines', async () => {
    const home = await c.client.v1.timelines.home.list({ limit: 40 });
    assert.ok(ids(home).includes(root.id), 'the control: c follows a and sees the public post');
    assertNoDm(home, 'c\'s home');
    for (const [who, client] of [['c', c.client], ['b', b.client], ['signed out', anon()]]) {
      const pub = await client.v1.timelines.public.list({ limit: 40 });
      assert.ok(ids(pub).includes(root.id), `${who}: the control: the public timeline has the root`);
      assertNoDm(pub, `${who}: public timeline`);
      const tag = await client.v1.timelines.tag.$select(TAG).list({ limit: 40 });
      assert.deepEqual(ids(tag), [root.id], `${who}: the hashtag timeline has only the public post`);
    }
  });

  test('a list timeline of the author', async () => {
    const l = await c.client.v1.lists.create({ title: 'with a' });
    await c.client.v1.lists.$select(l.id).accounts.create({ accountIds: [a.account.id] });
    const tl = await c.client.v1.timelines.list.$select(l.id).list({ limit: 40 });
    assert.ok(ids(tl).includes(root.id), 'the control: the list shows a\'s public post');
    assertNoDm(tl, 'c\'s list timeline');
  });

  test('notifications and conversations', async () => {
    const notes = await c.client.v1.notifications.list({ limit: 40 });
    assert.ok(!notes.some((n) => dms().includes(n.status?.id)), 'no notification about the DM');
    assert.deepEqual(await c.client.v1.conversations.list(), []);
    const counts = await raw(url, '/api/v1/partyline/unread', { token: c.token });
    assert.equal(counts.json.conversations, 0);
  });

  test('favourite, boost, bookmark, reply, who-favourited and the poll are 404', async () => {
    const s = c.client.v1.statuses.$select(dmRoot.id);
    await expectHttpError(s.favourite(), 404, NOT_FOUND, 'favourite');
    await expectHttpError(s.unfavourite(), 404, NOT_FOUND, 'unfavourite');
    await expectHttpError(s.reblog(), 404, NOT_FOUND, 'boost');
    await expectHttpError(s.bookmark(), 404, NOT_FOUND, 'bookmark');
    await expectHttpError(s.favouritedBy.list(), 404, NOT_FOUND, 'favourited_by');
    await expectHttpError(s.rebloggedBy.list(), 404, NOT_FOUND, 'reblogged_by');
    await expectHttpError(anon().v1.statuses.$select(dmRoot.id).favouritedBy.list(), 404, NOT_FOUND, 'favourited_by signed out');
    await expectHttpError(
      c.client.v1.statuses.create({ status: 'butting in', inReplyToId: dmRoot.id }),
      404,
      NOT_FOUND,
      'a reply to it',
    );
    await expectHttpError(c.client.v1.polls.$select(dmRoot.poll.id).fetch(), 404, NOT_FOUND, 'the poll');
    await expectHttpError(c.client.v1.polls.$select(dmRoot.poll.id).votes.create({ choices: [0] }), 404, NOT_FOUND, 'a vote');
    // nothing reached the DM: its counts are untouched
    const seen = await a.client.v1.statuses.$select(dmRoot.id).fetch();
    assert.equal(seen.favouritesCount, 0);
    assert.equal(seen.reblogsCount, 0);
    assert.equal(seen.repliesCount, 0);
  });
});

describe('boosting', () => {
  test('nobody may boost a DM, not even its recipient or author (Mastodon refuses with 403)', async () => {
    await expectHttpError(b.client.v1.statuses.$select(dmRoot.id).reblog(), 403, /cannot be boosted|not allowed/i, 'the recipient');
    await expectHttpError(a.client.v1.statuses.$select(dmRoot.id).reblog(), 403, /cannot be boosted|not allowed/i, 'the author');
    assert.equal((await a.client.v1.statuses.$select(dmRoot.id).fetch()).reblogsCount, 0);
  });

  test('the recipient\'s favourite reaches the author only', async () => {
    const [d] = await registerUsers(url, ['xd']);
    const s = await a.client.v1.statuses.create({ status: `@${b.username} like this one`, visibility: 'direct' });
    await b.client.v1.statuses.$select(s.id).favourite();
    const byB = await b.client.v1.statuses.$select(s.id).favouritedBy.list();
    assert.deepEqual(byB.map((x) => x.id), [b.account.id]);
    await expectHttpError(d.client.v1.statuses.$select(s.id).favouritedBy.list(), 404, NOT_FOUND, 'a stranger asks who liked it');
    const notes = await a.client.v1.notifications.list({ types: ['favourite'] });
    assert.ok(notes.some((n) => n.status?.id === s.id && n.account.id === b.account.id));
  });
});
