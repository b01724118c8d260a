// Catch-up (our extension, docs/api.md "Catch-up"): GET /api/v1/partyline/catchup lists what
// matters since the last visit (the home marker, or `since`), each item with its reason:
// announcements, unread direct messages, mentions and replies, up-voted posts; capped by items
// and reading time; nothing the viewer may not see.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;
let small;

before(async () => {
  [server, small] = await Promise.all([
    startServer(),
    startServer({
      env: {
        PARTYLINE_CATCHUP_MAX_ITEMS: '3',
        PARTYLINE_CATCHUP_READING_MINUTES: '1',
        PARTYLINE_CATCHUP_WORDS_PER_MINUTE: '20',
      },
    }),
  ]);
  url = server.url;
});

after(async () => {
  await Promise.all([server?.stop(), small?.stop()]);
});

const CU = '/api/v1/partyline/catchup';

async function catchup(who, query = {}, base = url, status = 200) {
  const qs = new URLSearchParams(query).toString();
  const r = await raw(base, `${CU}${qs ? '?' + qs : ''}`, { token: who.token });
  assert.equal(r.status, status, `GET catchup: ${r.text}`);
  return r.json;
}

const item = (d, statusId) => d.items.find((i) => i.status.id === statusId);

describe('since the last visit', () => {
  test('announcements come from every channel one is in, and from no other', async () => {
    // the channels one is in are read from one's follows (issue 10, item 29): the same set
    const [viewer, owner] = await registerUsers(url, ['view', 'own']);
    const mk = async () => (await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: owner.token, json: { name: uniqueName('ann') } })).json;
    const [a, b, notIn, left] = [await mk(), await mk(), await mk(), await mk()];
    for (const ch of [a, b, left]) await raw(url, `/api/v1/partyline/channels/${ch.id}/join`, { method: 'POST', token: viewer.token });
    await raw(url, `/api/v1/partyline/channels/${left.id}/leave`, { method: 'POST', token: viewer.token });
    await viewer.client.v1.accounts.$select(owner.account.id).follow();
    const pinned = {};
    for (const ch of [a, b, notIn, left]) {
      const st = await owner.client.v1.statuses.create({ status: `news of ${ch.name}`, channelId: ch.id });
      const pin = await raw(url, `/api/v1/partyline/channels/${ch.id}/pins/${st.id}`, { method: 'POST', token: owner.token });
      assert.equal(pin.status, 200, pin.text);
      pinned[ch.name] = st.id;
    }
    const d = await catchup(viewer);
    const got = d.items.filter((i) => i.kind === 'announcement').map((i) => i.status.id).sort();
    assert.deepEqual(got, [pinned[a.name], pinned[b.name]].sort(), JSON.stringify(d.items.map((i) => [i.kind, i.reason])));
  });

  test('a mention, a reply, an unread DM, a pinned announcement and an up-voted post, each with its reason', async () => {
    const [viewer, alice, bob, owner, friend, fan] = await registerUsers(url, ['view', 'ali', 'bob', 'own', 'fri', 'fan']);
    await viewer.client.v1.accounts.$select(friend.account.id).follow();
    const mine = await viewer.client.v1.statuses.create({ status: 'my own post' });
    const before = await alice.client.v1.statuses.create({ status: `@${viewer.username} before you left` });
    await viewer.client.v1.markers.create({ home: { lastReadId: mine.id } });

    const mention = await alice.client.v1.statuses.create({ status: `@${viewer.username} have a look` });
    const reply = await bob.client.v1.statuses.create({ status: `@${viewer.username} agreed`, inReplyToId: mine.id });
    const dm = await bob.client.v1.statuses.create({ status: `@${viewer.username} just between us`, visibility: 'direct' });
    const ch = await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: owner.token, json: { name: uniqueName('news') } });
    assert.equal(ch.status, 200, ch.text);
    await raw(url, `/api/v1/partyline/channels/${ch.json.id}/join`, { method: 'POST', token: viewer.token });
    const ann = await owner.client.v1.statuses.create({ status: 'office closed Friday', channelId: ch.json.id });
    const pin = await raw(url, `/api/v1/partyline/channels/${ch.json.id}/pins/${ann.id}`, { method: 'POST', token: owner.token });
    assert.equal(pin.status, 200, pin.text);
    const popular = await friend.client.v1.statuses.create({ status: 'our numbers are up' });
    await fan.client.v1.statuses.$select(popular.id).favourite();
    await alice.client.v1.statuses.$select(popular.id).favourite();
    const unvoted = await friend.client.v1.statuses.create({ status: 'nobody liked this' });

    const d = await catchup(viewer);
    const marker = (await viewer.client.v1.markers.fetch({ timeline: ['home'] })).home;
    assert.equal(d.since, marker.updatedAt, 'since = when the home marker was set');
    const kinds = d.items.map((i) => i.kind);
    assert.deepEqual(kinds, ['announcement', 'direct', 'reply_to_you', 'mention', 'top_post'], JSON.stringify(d.items.map((i) => [i.kind, i.reason])));

    assert.match(item(d, ann.id).reason, new RegExp(`pinned in ${ch.json.name}`, 'i'));
    assert.equal(item(d, dm.id).kind, 'direct');
    assert.match(item(d, dm.id).reason, new RegExp(`direct message from @${bob.username}`));
    assert.equal(item(d, reply.id).kind, 'reply_to_you');
    assert.match(item(d, reply.id).reason, new RegExp(`@${bob.username} replied to you`));
    assert.equal(item(d, mention.id).kind, 'mention');
    assert.match(item(d, mention.id).reason, new RegExp(`@${alice.username} mentioned you`));
    const t = item(d, popular.id);
    assert.equal(t.kind, 'top_post');
    assert.match(t.reason, new RegExp(`^2 up-votes from @${friend.username}$`));
    assert.equal(typeof t.score, 'number');
    assert.ok(t.score > 0);
    assert.equal(item(d, mention.id).score, null, 'only ranked posts have a score');
    assert.equal(item(d, before.id), undefined, 'a mention from before the last visit is not new');
    assert.equal(item(d, unvoted.id), undefined, 'a post nobody voted up is not a top post');
    assert.equal(item(d, mine.id), undefined, 'nor is one of your own');
    // new posts of the home feed since: the friend's two and the channel's announcement
    // (a channel one is in is part of home); not one's own, not the DM
    assert.deepEqual(d.counts, { mentions: 2, direct: 1, new_posts: 3 });
    assert.equal(d.words_per_minute, 200);
    const words = d.items.reduce((n, i) => n + i.status.content.replace(/<[^>]+>/g, ' ').split(/\s+/).filter(Boolean).length, 0);
    assert.equal(d.reading_minutes, Math.max(1, Math.ceil(words / 200)));

    // since given: an earlier mention comes back
    const all = await catchup(viewer, { since: new Date(Date.now() - 3600e3).toISOString() });
    assert.ok(item(all, before.id), 'since overrides the marker');

    // reading the DM takes it off the list
    const convs = await viewer.client.v1.conversations.list();
    await viewer.client.v1.conversations.$select(convs[0].id).read();
    assert.equal(item(await catchup(viewer), dm.id), undefined, 'a read conversation is not listed');
  });

  test('nothing the viewer may not see', async () => {
    const [viewer, blocker, owner, member, other] = await registerUsers(url, ['view', 'blk', 'own', 'mem', 'oth']);
    await viewer.client.v1.accounts.$select(member.account.id).follow();
    const soon = await blocker.client.v1.statuses.create({ status: `@${viewer.username} soon hidden` });
    await blocker.client.v1.accounts.$select(viewer.account.id).block();
    const ch = await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: owner.token, json: { name: uniqueName('sec'), private: true } });
    const secret = await owner.client.v1.statuses.create({ status: 'members only', channelId: ch.json.id });
    await raw(url, `/api/v1/partyline/channels/${ch.json.id}/pins/${secret.id}`, { method: 'POST', token: owner.token });
    await owner.client.v1.statuses.$select(secret.id).favourite();
    const dm = await member.client.v1.statuses.create({ status: `@${other.username} not for the viewer`, visibility: 'direct' });
    await other.client.v1.statuses.$select(dm.id).favourite();
    const followersOnly = await other.client.v1.statuses.create({ status: 'followers of other only', visibility: 'private' });
    await member.client.v1.statuses.$select(followersOnly.id).reblog().catch(() => {});

    const d = await catchup(viewer, { since: new Date(Date.now() - 3600e3).toISOString() });
    for (const s of [soon, secret, dm, followersOnly]) {
      assert.equal(item(d, s.id), undefined, `not shown: ${s.content}`);
    }
    assert.equal(d.counts.mentions, 0, 'a mention by someone who then blocked you does not count');
  });

  test('since is validated and capped; a signed-in user is needed', async () => {
    const [viewer] = await registerUsers(url, ['view']);
    const bad = await catchup(viewer, { since: 'yesterday' }, url, 422);
    assert.match(bad.error, /since/);
    const future = await catchup(viewer, { since: new Date(Date.now() + 3600e3).toISOString() }, url, 422);
    assert.match(future.error, /since/);
    const old = await catchup(viewer, { since: '2001-01-01T00:00:00Z' });
    const week = Date.now() - 7 * 86400e3;
    assert.ok(Math.abs(Date.parse(old.since) - week) < 120e3, `capped at seven days: ${old.since}`);
    const noMarker = await catchup(viewer);
    assert.ok(Math.abs(Date.parse(noMarker.since) - (Date.now() - 86400e3)) < 120e3, 'no marker: 24 hours');
    assert.equal((await raw(url, CU)).status, 401);
  });
  test("never one's own post: not one's own pinned announcement, not one's own last message", async () => {
    const [viewer, other] = await registerUsers(url, ['view', 'oth']);
    const since = new Date(Date.now() - 1000).toISOString();
    const ch = (await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: viewer.token, json: { name: uniqueName('own') } })).json;
    const ann = await viewer.client.v1.statuses.create({ status: 'my own announcement', channelId: ch.id });
    const pin = await raw(url, `/api/v1/partyline/channels/${ch.id}/pins/${ann.id}`, { method: 'POST', token: viewer.token });
    assert.equal(pin.status, 200, pin.text);
    const dm = await other.client.v1.statuses.create({ status: `@${viewer.username} a question`, visibility: 'direct' });
    const answer = await viewer.client.v1.statuses.create({ status: `@${other.username} my answer`, visibility: 'direct', inReplyToId: dm.id });
    const d = await catchup(viewer, { since });
    for (const s of [ann, answer]) assert.equal(item(d, s.id), undefined, `not suggested: ${s.content}`);
    assert.ok(d.items.every((i) => i.status.account.id !== viewer.account.id), JSON.stringify(d.items.map((i) => i.reason)));
  });

  test('a popular post\'s reason reads as a sentence: "3 up-votes, 1 boost and 2 replies"', async () => {
    const [viewer, author, f1, f2, f3] = await registerUsers(url, ['view', 'aut', 'fa', 'fb', 'fc']);
    await viewer.client.v1.accounts.$select(author.account.id).follow();
    const since = new Date(Date.now() - 1000).toISOString();
    const popular = await author.client.v1.statuses.create({ status: 'the plan for next quarter' });
    for (const f of [f1, f2, f3]) await f.client.v1.statuses.$select(popular.id).favourite();
    await f1.client.v1.statuses.$select(popular.id).reblog();
    await f2.client.v1.statuses.create({ status: 'good', inReplyToId: popular.id });
    await f3.client.v1.statuses.create({ status: 'agreed', inReplyToId: popular.id });
    const d = await catchup(viewer, { since });
    assert.equal(item(d, popular.id).reason, `3 up-votes, 1 boost and 2 replies from @${author.username}`);
  });

  test('every reply to you comes before every other mention, newest first within each', async () => {
    const [viewer, alice, bob] = await registerUsers(url, ['view', 'ali', 'bob']);
    const mine = await viewer.client.v1.statuses.create({ status: 'my question' });
    const since = new Date(Date.now() - 1000).toISOString();
    const mention1 = await alice.client.v1.statuses.create({ status: `@${viewer.username} first mention` });
    const reply1 = await bob.client.v1.statuses.create({ status: `@${viewer.username} first answer`, inReplyToId: mine.id });
    const mention2 = await alice.client.v1.statuses.create({ status: `@${viewer.username} second mention` });
    const reply2 = await alice.client.v1.statuses.create({ status: `@${viewer.username} second answer`, inReplyToId: mine.id });
    const mention3 = await bob.client.v1.statuses.create({ status: `@${viewer.username} third mention` });
    const d = await catchup(viewer, { since });
    assert.deepEqual(d.items.map((i) => [i.kind, i.status.id]), [
      ['reply_to_you', reply2.id], ['reply_to_you', reply1.id],
      ['mention', mention3.id], ['mention', mention2.id], ['mention', mention1.id],
    ]);
  });
});

describe('caps', () => {
  test('at most catchup_max_items items', async () => {
    const [viewer, talker] = await registerUsers(small.url, ['view', 'talk']);
    for (let i = 0; i < 5; i++) await talker.client.v1.statuses.create({ status: `@${viewer.username} ping ${i}` });
    const d = await catchup(viewer, {}, small.url);
    assert.equal(d.items.length, 3);
    assert.equal(d.counts.mentions, 5, 'counts are not capped by the item cap');
    assert.equal(d.reading_minutes, 1);
  });

  test('cut to the reading time (the first item always stays)', async () => {
    const [viewer, talker] = await registerUsers(small.url, ['view', 'talk']);
    const long = 'word '.repeat(14).trim();
    await talker.client.v1.statuses.create({ status: `@${viewer.username} ${long}` });
    const second = await talker.client.v1.statuses.create({ status: `@${viewer.username} ${long}` });
    const d = await catchup(viewer, {}, small.url);
    // 15 words each at 20 words a minute for 1 minute: the second would make 30
    assert.equal(d.items.length, 1);
    assert.equal(d.items[0].status.id, second.id, 'mentions newest first');
    assert.equal(d.reading_minutes, 1);
    assert.equal(d.counts.mentions, 2);
  });
});
