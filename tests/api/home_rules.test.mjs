// home_rules.test.mjs — what the home feed takes besides "posts of the people one follows":
//
// - Following someone brings their earlier posts into home: every audience their fan-out
//   gives followers (public, unlisted, followers-only, company), none addressed to other
//   people (direct, a list one is not on) or shared into a private channel one is not in.
// - Mastodon's home rule (FeedManager#filter_from_home?; docs: "you won't see posts
//   mentioning them"): a post that mentions someone the viewer blocks or mutes is not in the
//   viewer's home, nor is a boost of such a post, nor a reply that mentions them; the viewer's
//   own posts always are. The same rule holds for the home timeline, list timelines and the
//   user stream.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import { collectEvents, registerUsers, startServer } from './harness.mjs';

const DEADLINE = 10000;

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const idsOf = (list) => list.map((s) => s.id);
const home = async (who) => idsOf(await who.client.v1.timelines.home.list({ limit: 40 }));

describe('following brings earlier posts into home', () => {
  test('public, unlisted, followers-only and company posts; nothing addressed to others', async () => {
    const [author, viewer, other] = await registerUsers(url, ['bfa', 'bfv', 'bfo']);
    const post = (status, visibility) => author.client.v1.statuses.create({ status, visibility });
    const pub = await post('earlier public', 'public');
    const unl = await post('earlier unlisted', 'unlisted');
    const priv = await post('earlier followers-only', 'private');
    const comp = await post('earlier company', 'company');
    const dm = await post(`@${other.username} earlier direct`, 'direct');
    const family = await author.client.v1.lists.create({ title: 'family' });
    await author.client.v1.accounts.$select(other.account.id).follow();
    await author.client.v1.lists.$select(family.id).accounts.create({ accountIds: [other.account.id] });
    const listed = await post('earlier list post', `list:${family.id}`);

    await viewer.client.v1.accounts.$select(author.account.id).follow();
    const ids = await home(viewer);
    for (const [s, what] of [[pub, 'public'], [unl, 'unlisted'], [priv, 'followers-only'], [comp, 'company']])
      assert.ok(ids.includes(s.id), `the ${what} post from before the follow is in home`);
    assert.ok(!ids.includes(dm.id), 'a direct message to someone else is not');
    assert.ok(!ids.includes(listed.id), 'a post for a list the follower is not on is not');
  });
});

function streamingClient(token) {
  return createStreamingAPIClient({ streamingApiUrl: url, accessToken: token, implementation: WebSocket, retry: false });
}

const collect = (subscription) => collectEvents(subscription, DEADLINE);

const isUpdate = (id) => (e) => e.event === 'update' && e.payload?.id === id;

/** Posts (as poster) until the collector hears one: the subscription is live from then on. */
async function warmUp(poster, col) {
  const end = Date.now() + DEADLINE;
  const ids = [];
  for (let i = 0; ; i++) {
    const s = await poster.client.v1.statuses.create({ status: `warm-up ${i}` });
    ids.push(s.id);
    const got = await col.waitFor((e) => e.event === 'update' && ids.includes(e.payload?.id), 'warm-up', 300).catch(() => null);
    if (got) return;
    if (Date.now() > end) assert.fail('the subscription never became live');
  }
}

describe('home leaves out posts that mention someone the viewer blocks or mutes', () => {
  /* The viewer follows the friend; blocks one person and mutes another. */
  async function world(prefix) {
    const [viewer, friend, blocked, muted, stranger] = await registerUsers(url, [
      `${prefix}v`, `${prefix}f`, `${prefix}b`, `${prefix}m`, `${prefix}s`,
    ]);
    await viewer.client.v1.accounts.$select(friend.account.id).follow();
    await viewer.client.v1.accounts.$select(blocked.account.id).block();
    await viewer.client.v1.accounts.$select(muted.account.id).mute();
    return { viewer, friend, blocked, muted, stranger };
  }

  /* What the friend does that the rule must hide, and what it must keep. */
  async function act({ viewer, friend, blocked, muted, stranger }) {
    const say = (who, status, extra = {}) => who.client.v1.statuses.create({ status, ...extra });
    const hidden = {
      'a post mentioning the blocked person': await say(friend, `hello @${blocked.username}`),
      'a post mentioning the muted person': await say(friend, `hello @${muted.username}`),
      'a company post mentioning the muted person': await say(friend, `hi @${muted.username}`, { visibility: 'company' }),
    };
    const root = await say(friend, 'a thread');
    hidden['a reply in a thread mentioning the blocked person'] = await say(friend, `and @${blocked.username} agrees`, {
      inReplyToId: root.id,
    });
    const theirs = await say(stranger, `look, @${muted.username}`);
    hidden['a boost of a post mentioning the muted person'] = await friend.client.v1.statuses.$select(theirs.id).reblog();
    const kept = {
      'a plain post': await say(friend, 'nothing to see'),
      "the viewer's own post mentioning the blocked person": await say(viewer, `note to self about @${blocked.username}`),
      'a boost of a plain post': await friend.client.v1.statuses.$select((await say(stranger, 'plain')).id).reblog(),
      root,
    };
    return { hidden, kept };
  }

  test('home timeline', async () => {
    const w = await world('mh');
    const { hidden, kept } = await act(w);
    const ids = await home(w.viewer);
    for (const [what, s] of Object.entries(kept)) assert.ok(ids.includes(s.id), `home shows ${what}`);
    for (const [what, s] of Object.entries(hidden)) assert.ok(!ids.includes(s.id), `home leaves out ${what}`);

    // a list timeline holds the same rule (Mastodon: filter_from_list? and filter_from_home?)
    const list = await w.viewer.client.v1.lists.create({ title: 'friends' });
    await w.viewer.client.v1.lists.$select(list.id).accounts.create({ accountIds: [w.friend.account.id] });
    const listed = idsOf(await w.viewer.client.v1.timelines.list.$select(list.id).list({ limit: 40 }));
    assert.ok(listed.includes(kept['a plain post'].id), 'the list shows a plain post');
    for (const [what, s] of Object.entries(hidden)) assert.ok(!listed.includes(s.id), `the list leaves out ${what}`);

    // the posts stay readable by id (the rule is the home feed's, not the audience's)
    const one = Object.values(hidden)[1];
    assert.equal((await w.viewer.client.v1.statuses.$select(one.id).fetch()).id, one.id);

    // unmuting brings them back: the rule is asked on read
    await w.viewer.client.v1.accounts.$select(w.muted.account.id).unmute();
    const again = await home(w.viewer);
    assert.ok(again.includes(hidden['a post mentioning the muted person'].id), 'shown again after the unmute');
    assert.ok(!again.includes(hidden['a post mentioning the blocked person'].id), 'the block still hides its post');
  });

  test('user stream', async () => {
    const w = await world('ms');
    const streaming = streamingClient(w.viewer.token);
    try {
      const col = collect(streaming.user.subscribe());
      await warmUp(w.friend, col);
      const { hidden, kept } = await act(w);
      const sentinel = await w.friend.client.v1.statuses.create({ status: 'sentinel' });
      await col.waitFor(isUpdate(sentinel.id), 'the sentinel');
      for (const [what, s] of Object.entries(kept)) await col.waitFor(isUpdate(s.id), what);
      for (const [what, s] of Object.entries(hidden))
        assert.ok(!col.events.some(isUpdate(s.id)), `the stream leaves out ${what}`);
    } finally {
      streaming.close();
    }
  });
});
