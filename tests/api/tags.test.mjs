// Followed hashtags: the Tag entity (following, history), follow / unfollow, GET
// /api/v1/followed_tags with paging, and followed tags' public posts in the home timeline —
// never a post the viewer may not see, never a muted or blocked author, never twice.
// Docs: methods/tags, methods/followed_tags, entities/Tag.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertNewestFirst, collectPages, expectHttpError, parseLink, raw, registerUsers, restClient, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_FOLLOWED_TAGS: '6' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const post = (who, status, extra = {}) => who.client.v1.statuses.create({ status, ...extra });
const homeIds = async (who) => (await who.client.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);
const tagOf = (who, name) => who.client.v1.tags.$select(name);
let tagCounter = 0;
const newTag = (prefix) => `${prefix}${Date.now().toString(36)}${++tagCounter}`;

describe('the Tag entity, follow and unfollow', () => {
  test('an unused tag is 404 until followed; following and history; unfollow', async () => {
    const [a, b] = await registerUsers(url, ['ta', 'tb']);
    const name = newTag('Party');
    const lower = name.toLowerCase();
    await expectHttpError(tagOf(a, name).fetch(), 404, /Record not found/, 'a tag nobody used');
    const followed = await tagOf(a, name).follow();
    assert.equal(followed.name, lower, 'names are normalized');
    assert.equal(followed.following, true);
    assert.equal(followed.url, `${url}/tags/${lower}`);
    assert.equal(followed.history.length, 7);
    assert.deepEqual(followed.history.map((h) => [h.uses, h.accounts]), Array(7).fill(['0', '0']));
    assert.equal((await tagOf(a, name).fetch()).following, true, 'a followed tag exists for its follower');
    await expectHttpError(tagOf(b, name).fetch(), 404, /Record not found/, 'but not for anyone else while unused');
    assert.equal((await tagOf(a, name).follow()).following, true, 'following twice is fine');

    await post(b, `first #${name}`);
    await post(b, `second #${lower}`);
    await post(a, `mine #${name}`);
    await post(b, `hidden #${name}`, { visibility: 'private' });
    const seen = await tagOf(b, name).fetch();
    assert.equal(seen.following, false);
    const today = seen.history[0];
    const midnight = Math.floor(Date.now() / 86400e3) * 86400;
    assert.ok(Math.abs(Number(today.day) - midnight) <= 86400, `history starts today (${today.day})`);
    assert.equal(today.uses, '3', 'three public posts today (the followers-only one does not count)');
    assert.equal(today.accounts, '2');
    assert.ok(Number(seen.history[1].day) < Number(today.day), 'newest day first');

    const un = await tagOf(a, name).unfollow();
    assert.equal(un.following, false);
    assert.equal((await tagOf(a, name).fetch()).following, false);
    await expectHttpError(tagOf(a, 'not a tag!').fetch(), 404, /Record not found/, 'a malformed name');
  });

  test('followed_tags pages newest follow first with a Link header; the limit is 422', async () => {
    const [a] = await registerUsers(url, ['tc']);
    const names = [1, 2, 3, 4, 5].map(() => newTag('pg'));
    for (const n of names) await tagOf(a, n).follow();
    const all = await collectPages(a.client.v1.followedTags.list({ limit: 2 }));
    assert.deepEqual(all.map((t) => t.name), [...names].reverse());
    assert.ok(all.every((t) => t.following === true));
    const first = await raw(url, '/api/v1/followed_tags?limit=2', { token: a.token });
    assert.equal(first.json.length, 2);
    assert.ok(parseLink(first.headers.get('link')).next, 'rel="next"');

    await tagOf(a, newTag('six')).follow();
    await expectHttpError(tagOf(a, newTag('seven')).follow(), 422, /more than 6 hashtags/);
    assert.equal((await tagOf(a, names[0]).follow()).following, true, 'following a followed tag again is fine at the limit');
    await tagOf(a, names[0]).unfollow();
    assert.equal((await tagOf(a, newTag('seven')).follow()).following, true, 'room again after an unfollow');

    await expectHttpError(restClient(url).v1.followedTags.list(), 401, /token/i, 'signed out');
  });
});

describe('a tag\'s numbers after edits and deletes', () => {
  test('history and trending tags drop a use when its post loses the tag or is deleted', async () => {
    const [a, b] = await registerUsers(url, ['tc', 'td']);
    const name = newTag('counted');
    const trending = async () => (await a.client.v1.trends.tags.list({ limit: 20 })).find((t) => t.name === name);
    const first = await post(a, `one #${name}`);
    await post(a, `two #${name}`);
    const theirs = await post(b, `three #${name}`);
    let today = (await tagOf(a, name).fetch()).history[0];
    assert.deepEqual([today.uses, today.accounts], ['3', '2']);
    assert.deepEqual([(await trending()).history[0].uses, (await trending()).history[0].accounts], ['3', '2']);

    await a.client.v1.statuses.$select(first.id).update({ status: 'one, untagged' });
    today = (await tagOf(a, name).fetch()).history[0];
    assert.deepEqual([today.uses, today.accounts], ['2', '2'], 'an edit that drops the tag drops a use');
    await b.client.v1.statuses.$select(theirs.id).remove();
    today = (await tagOf(a, name).fetch()).history[0];
    assert.deepEqual([today.uses, today.accounts], ['1', '1'], 'a deleted post leaves, and its author with it');
    assert.deepEqual([(await trending()).history[0].uses, (await trending()).history[0].accounts], ['1', '1']);
    await a.client.v1.statuses.$select(first.id).update({ status: `one, tagged again #${name}` });
    today = (await tagOf(a, name).fetch()).history[0];
    assert.deepEqual([today.uses, today.accounts], ['2', '1'], 'tagged again: counted again, one author');
  });
});

describe('followed tags in the home timeline', () => {
  test('public posts of a followed tag appear; followers-only, muted, blocked do not; unfollow removes them', async () => {
    const [a, stranger, friend, muted, blocker] = await registerUsers(url, ['ha', 'hb', 'hc', 'hd', 'he']);
    const name = newTag('news');
    await a.client.v1.accounts.$select(friend.account.id).follow();
    await tagOf(a, name).follow();
    const pub = await post(stranger, `public #${name}`);
    const priv = await post(stranger, `followers only #${name}`, { visibility: 'private' });
    const direct = await post(stranger, `@${friend.username} direct #${name}`, { visibility: 'direct' });
    const fromFriend = await post(friend, `friend #${name}`);
    const fromMuted = await post(muted, `muted #${name}`);
    const fromBlocker = await post(blocker, `blocker #${name}`);
    const other = await post(stranger, 'no tag here');
    await a.client.v1.accounts.$select(muted.account.id).mute();
    await blocker.client.v1.accounts.$select(a.account.id).block();

    const home = await homeIds(a);
    assert.ok(home.includes(pub.id), 'a public post of a followed tag by someone a does not follow');
    assert.ok(!home.includes(priv.id), 'a followers-only post of someone a does not follow');
    assert.ok(!home.includes(direct.id), 'a direct post to someone else');
    assert.ok(!home.includes(fromMuted.id), 'a muted author');
    assert.ok(!home.includes(fromBlocker.id), 'an author who blocks a');
    assert.ok(!home.includes(other.id), 'the stranger\'s untagged post');
    assert.equal(home.filter((id) => id === fromFriend.id).length, 1, 'a followed author\'s tagged post shows once');
    assertNewestFirst(home, 'home');

    await tagOf(a, name).unfollow();
    const after = await homeIds(a);
    assert.ok(!after.includes(pub.id), 'unfollowing the tag takes its posts out');
    assert.ok(after.includes(fromFriend.id), 'a followed author\'s post stays');
  });

  test('paging home through merged tag posts gives every post once, in order', async () => {
    const [a, friend, stranger] = await registerUsers(url, ['pa', 'pb', 'pc']);
    const t1 = newTag('one');
    const t2 = newTag('two');
    await a.client.v1.accounts.$select(friend.account.id).follow();
    await tagOf(a, t1).follow();
    await tagOf(a, t2).follow();
    const expected = [];
    for (let i = 0; i < 6; i++) {
      expected.push((await post(friend, `friend ${i}`)).id);
      expected.push((await post(stranger, `stranger ${i} #${i % 2 ? t1 : t2}`)).id);
      if (i === 3) expected.push((await post(stranger, `both #${t1} #${t2}`)).id);
    }
    const paged = (await collectPages(a.client.v1.timelines.home.list({ limit: 3 }))).map((s) => s.id);
    assert.deepEqual(paged, [...expected].reverse(), 'newest first, no gaps, no duplicates');
    // and back up with min_id: the oldest three above the fourth oldest
    const asc = expected;
    const up = await a.client.v1.timelines.home.list({ minId: asc[3], limit: 3 });
    assert.deepEqual(up.map((s) => s.id), [asc[6], asc[5], asc[4]]);
  });
});
