// The curated profile: pinned posts, hidden followers/following, boosts kept off the profile,
// profile fields. Docs: methods/statuses#pin, #unpin; methods/accounts#statuses (pinned),
// #followers, #following, #update_credentials (hide_collections, fields_attributes);
// entities/Status (pinned), entities/Account (hide_collections, source). hide_boosts is
// partyline's own (README).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  collectPages,
  createApp,
  expectHttpError,
  NOT_FOUND,
  passwordLogin,
  raw,
  registerUser,
  registerUsers,
  restClient,
  startServer,
  uniqueName,
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

const idsOf = (list) => list.map((s) => s.id);
const post = (who, status, more = {}) => who.client.v1.statuses.create({ status, ...more });
const pin = (who, s) => who.client.v1.statuses.$select(s.id).pin();
const unpin = (who, s) => who.client.v1.statuses.$select(s.id).unpin();
const follow = (who, whom) => who.client.v1.accounts.$select(whom.account.id).follow();
const pinnedOf = async (viewer, owner, params = {}) =>
  idsOf(await viewer.client.v1.accounts.$select(owner.account.id).statuses.list({ pinned: true, ...params }));
const profileOf = async (viewer, owner, params = {}) =>
  idsOf(await viewer.client.v1.accounts.$select(owner.account.id).statuses.list({ limit: 40, ...params }));

describe('pinned posts', () => {
  test('pin and unpin answer the status with pinned set; pinning twice is fine and pins once', async () => {
    const [a] = await registerUsers(url, ['pa']);
    const s = await post(a, 'pin me');
    assert.equal(s.pinned, false, 'the author sees pinned: false on a pinnable post');

    const pinned = await pin(a, s);
    assert.equal(pinned.id, s.id);
    assert.equal(pinned.pinned, true);
    assert.equal((await a.client.v1.statuses.$select(s.id).fetch()).pinned, true, 'GET shows it pinned');

    const again = await pin(a, s);
    assert.equal(again.pinned, true, 'pinning a pinned post again is 200');
    assert.deepEqual(await pinnedOf(a, a), [s.id], 'and it is pinned once');

    const unpinned = await unpin(a, s);
    assert.equal(unpinned.pinned, false);
    assert.deepEqual(await pinnedOf(a, a), []);
    assert.equal((await unpin(a, s)).pinned, false, 'unpinning a post that is not pinned is 200');
  });

  test('pinned is the author\'s flag: others never get it; on the author\'s profile only the pins are true', async () => {
    const [a, b] = await registerUsers(url, ['pfa', 'pfb']);
    const s1 = await post(a, 'first');
    const s2 = await post(a, 'second');
    await pin(a, s1);

    const seen = await b.client.v1.statuses.$select(s1.id).fetch();
    assert.equal(seen.pinned, undefined, 'another viewer gets no pinned flag');
    const theirs = await b.client.v1.accounts.$select(a.account.id).statuses.list();
    assert.ok(theirs.every((s) => s.pinned === undefined), 'not on the profile either');

    const own = await a.client.v1.accounts.$select(a.account.id).statuses.list();
    const flag = Object.fromEntries(own.map((s) => [s.id, s.pinned]));
    assert.equal(flag[s1.id], true);
    assert.equal(flag[s2.id], false);

    // a boost is not pinnable: its wrapper has no pinned flag even for the booster
    const boost = await a.client.v1.statuses.$select(s2.id).reblog();
    const home = await a.client.v1.timelines.home.list({ limit: 40 });
    const wrapper = home.find((s) => s.id === boost.id);
    assert.ok(wrapper, 'the boost is on the booster\'s home');
    assert.equal(wrapper.pinned, undefined, 'a boost carries no pinned flag');
    assert.equal(wrapper.reblog.pinned, false, 'the boosted post (the author\'s own) does');
  });

  test('pinned=true lists the pins newest pin first, for the owner and for others, page by page', async () => {
    const [a, b] = await registerUsers(url, ['poa', 'pob']);
    const s1 = await post(a, 'one');
    const s2 = await post(a, 'two');
    const s3 = await post(a, 'three');
    await post(a, 'not pinned');
    await pin(a, s2);
    await pin(a, s3);
    await pin(a, s1);
    assert.deepEqual(await pinnedOf(a, a), [s1.id, s3.id, s2.id], 'the order of pinning, newest first');
    assert.deepEqual(await pinnedOf(b, a), [s1.id, s3.id, s2.id], 'others see the same pins');
    const paged = await collectPages(b.client.v1.accounts.$select(a.account.id).statuses.list({ pinned: true, limit: 2 }));
    assert.deepEqual(idsOf(paged), [s1.id, s3.id, s2.id], 'the Link header pages through the pins');
    const all = await profileOf(b, a);
    assert.equal(all.length, 4, 'without pinned=true the profile still has every post');
  });

  test('pinned=true of an unknown account is 404', async () => {
    const [a] = await registerUsers(url, ['pu']);
    const r = await raw(url, '/api/v1/accounts/99999999/statuses?pinned=true', { token: a.token });
    assert.equal(r.status, 404);
    assert.match(r.json.error, NOT_FOUND);
  });

  test('the limit of 5 pins (Mastodon\'s): the sixth is 422 and pins nothing; a pinned one can be pinned again', async () => {
    const [a] = await registerUsers(url, ['pl']);
    const posts = [];
    for (let i = 0; i < 6; i++) posts.push(await post(a, `post ${i}`));
    for (let i = 0; i < 5; i++) await pin(a, posts[i]);
    await expectHttpError(pin(a, posts[5]), 422, /maximum number of posts/i, 'a sixth pin');
    assert.equal((await a.client.v1.statuses.$select(posts[5].id).fetch()).pinned, false, 'the sixth is not pinned');
    assert.equal((await pinnedOf(a, a)).length, 5);
    assert.equal((await pin(a, posts[0])).pinned, true, 'pinning one of the five again is still fine');

    await unpin(a, posts[0]);
    assert.equal((await pin(a, posts[5])).pinned, true, 'after an unpin there is room again');
    assert.deepEqual(await pinnedOf(a, a), [posts[5].id, posts[4].id, posts[3].id, posts[2].id, posts[1].id]);
  });

  test('what cannot be pinned: someone else\'s post (422), a boost (422), a direct post (422), a post you may not see (404)', async () => {
    const [a, b, c] = await registerUsers(url, ['pxa', 'pxb', 'pxc']);
    const theirs = await post(b, 'bob says');
    await expectHttpError(pin(a, theirs), 422, /someone else's post cannot be pinned/i, 'another\'s post');

    const boost = await a.client.v1.statuses.$select(theirs.id).reblog();
    await expectHttpError(pin(a, boost), 422, /boost cannot be pinned/i, 'a boost');

    const dm = await post(a, `@${c.username} between us`, { visibility: 'direct' });
    await expectHttpError(pin(a, dm), 422, /only visible to mentioned users/i, 'a direct post');

    const hidden = await post(b, 'followers only', { visibility: 'private' });
    await expectHttpError(pin(a, hidden), 404, NOT_FOUND, 'a post the viewer may not see');
    await expectHttpError(unpin(a, hidden), 404, NOT_FOUND, 'unpin of a post the viewer may not see');
    await expectHttpError(pin(a, { id: '12345' }), 404, NOT_FOUND, 'a post that does not exist');

    assert.deepEqual(await pinnedOf(a, a), [], 'none of them was pinned');

    // public, unlisted and followers-only posts of one's own can be pinned (Mastodon 3.5+)
    for (const visibility of ['public', 'unlisted', 'private']) {
      const s = await post(a, `a ${visibility} post`, { visibility });
      assert.equal((await pin(a, s)).pinned, true, `${visibility} can be pinned`);
    }
  });

  test('a pinned followers-only post shows in pinned=true only to those who may see it', async () => {
    const [a, fan, stranger] = await registerUsers(url, ['ppa', 'ppf', 'pps']);
    await follow(fan, a);
    const open = await post(a, 'for everyone');
    const closed = await post(a, 'for followers', { visibility: 'private' });
    await pin(a, open);
    await pin(a, closed);
    assert.deepEqual(await pinnedOf(a, a), [closed.id, open.id], 'the owner sees both');
    assert.deepEqual(await pinnedOf(fan, a), [closed.id, open.id], 'a follower sees both');
    assert.deepEqual(await pinnedOf(stranger, a), [open.id], 'a non-follower never sees the followers-only pin');
    const page = await raw(url, `/api/v1/accounts/${a.account.id}/statuses?pinned=true&limit=1`, { token: stranger.token });
    assert.deepEqual(idsOf(page.json), [open.id], 'a short page is refilled past what may not be seen');

    await a.client.v1.accounts.$select(stranger.account.id).block();
    assert.deepEqual(await pinnedOf(stranger, a), [], 'someone the owner blocks sees no pins');
  });

  test('deleting a pinned post removes the pin and frees its place', async () => {
    const [a] = await registerUsers(url, ['pd']);
    const posts = [];
    for (let i = 0; i < 6; i++) posts.push(await post(a, `d ${i}`));
    for (let i = 0; i < 5; i++) await pin(a, posts[i]);
    const gone = await a.client.v1.statuses.$select(posts[2].id).remove();
    assert.equal(gone.id, posts[2].id);
    assert.ok(!(await pinnedOf(a, a)).includes(posts[2].id), 'the deleted post is no longer pinned');
    assert.equal((await pin(a, posts[5])).pinned, true, 'its place is free');
    assert.equal((await pinnedOf(a, a)).length, 5);
  });

  test('pin needs the write:accounts scope (as Mastodon)', async () => {
    const u = await registerUser(url, uniqueName('psc'));
    const s = await post(u, 'scoped');
    const app = await createApp(url, { scopes: 'read write:statuses' });
    const tok = await passwordLogin(url, app, u.email, u.password, 'read write:statuses');
    const narrow = restClient(url, tok.accessToken);
    await expectHttpError(narrow.v1.statuses.$select(s.id).pin(), 403, /scope/i, 'write:statuses only');
    await expectHttpError(narrow.v1.statuses.$select(s.id).unpin(), 403, /scope/i, 'write:statuses only');
  });

  test('the instance reports max_pinned_statuses, and max_pins changes the limit', async () => {
    const small = await startServer({ env: { PARTYLINE_MAX_PINS: '2' } });
    try {
      const [a] = await registerUsers(small.url, ['pm']);
      const inst = await a.client.v2.instance.fetch();
      assert.equal(inst.configuration.accounts.maxPinnedStatuses, 2);
      const posts = [];
      for (let i = 0; i < 3; i++) posts.push(await post(a, `m ${i}`));
      await pin(a, posts[0]);
      await pin(a, posts[1]);
      await expectHttpError(pin(a, posts[2]), 422, /maximum number of posts \(2\)/i, 'a third pin with max_pins = 2');
    } finally {
      await small.stop();
    }
    const def = await raw(url, '/api/v2/instance');
    assert.equal(def.json.configuration.accounts.max_pinned_statuses, 5, 'the default is 5');
  });
});

describe('hide_collections', () => {
  test('followers and following answer [] to everyone but the owner; counts stay', async () => {
    const [a, fan, friend, stranger] = await registerUsers(url, ['ha', 'hf', 'hr', 'hs']);
    await follow(fan, a);
    await follow(a, friend);
    const followersOf = async (viewer) => idsOf(await viewer.client.v1.accounts.$select(a.account.id).followers.list());
    const followingOf = async (viewer) => idsOf(await viewer.client.v1.accounts.$select(a.account.id).following.list());
    assert.deepEqual(await followersOf(stranger), [fan.account.id], 'visible before');

    const me = await a.client.v1.accounts.updateCredentials({ hideCollections: true });
    assert.equal(me.source.hideCollections, true, 'source.hide_collections reads the setting back');
    assert.equal(me.hideCollections, true, 'and so does the account');

    for (const [who, viewer] of [['a follower', fan], ['someone followed', friend], ['a stranger', stranger]]) {
      assert.deepEqual(await followersOf(viewer), [], `followers hidden from ${who}`);
      assert.deepEqual(await followingOf(viewer), [], `following hidden from ${who}`);
    }
    assert.deepEqual(await followersOf(a), [fan.account.id], 'the owner still sees the followers');
    assert.deepEqual(await followingOf(a), [friend.account.id], 'and the following');

    const seen = await stranger.client.v1.accounts.$select(a.account.id).fetch();
    assert.equal(seen.followersCount, 1, 'the counts stay, as Mastodon');
    assert.equal(seen.followingCount, 1);
    assert.equal(seen.hideCollections, true);

    await a.client.v1.accounts.updateCredentials({ hideCollections: false });
    assert.deepEqual(await followersOf(stranger), [fan.account.id], 'shown again when turned off');
  });

  test('someone the account blocks gets [] (as Mastodon); a bad value is 422', async () => {
    const [a, fan, blocked] = await registerUsers(url, ['hba', 'hbf', 'hbb']);
    await follow(fan, a);
    await a.client.v1.accounts.$select(blocked.account.id).block();
    assert.deepEqual(idsOf(await blocked.client.v1.accounts.$select(a.account.id).followers.list()), []);
    const bad = await raw(url, '/api/v1/accounts/update_credentials', {
      method: 'PATCH',
      token: a.token,
      json: { hide_collections: 'maybe' },
    });
    assert.equal(bad.status, 422);
    assert.match(bad.json.error, /hide_collections/);
    const me = await a.client.v1.accounts.verifyCredentials();
    assert.equal(me.source.hideCollections, false, 'nothing changed');
  });
});

describe('hide_boosts (partyline\'s own)', () => {
  test('boosts leave the profile for everyone, the owner too; home timelines keep them', async () => {
    const [a, b, c] = await registerUsers(url, ['hoa', 'hob', 'hoc']);
    await follow(c, b);
    const theirs = await post(a, 'worth a boost');
    const boost = await b.client.v1.statuses.$select(theirs.id).reblog();
    const own = await post(b, 'my own words');
    assert.deepEqual(await profileOf(c, b), [own.id, boost.id], 'the boost is on the profile before');

    const me = await b.client.v1.accounts.updateCredentials({ hideBoosts: true });
    assert.equal(me.source.hideBoosts, true, 'source.hide_boosts reads the setting back');
    assert.deepEqual(await profileOf(c, b), [own.id], 'another viewer no longer sees the boost');
    assert.deepEqual(await profileOf(b, b), [own.id], 'the owner sees what others see');
    assert.deepEqual(await profileOf(c, b, { excludeReblogs: false }), [own.id], 'exclude_reblogs=false does not bring it back');
    assert.deepEqual(await profileOf(c, b, { limit: 1 }), [own.id]);
    const home = idsOf(await c.client.v1.timelines.home.list({ limit: 40 }));
    assert.ok(home.includes(boost.id), 'a follower\'s home still has the boost: the setting is about the profile');

    await b.client.v1.accounts.updateCredentials({ hideBoosts: false });
    assert.deepEqual(await profileOf(c, b), [own.id, boost.id], 'back when turned off');
    assert.equal((await b.client.v1.accounts.verifyCredentials()).source.hideBoosts, false);
  });
});

describe('profile fields', () => {
  const want = [
    ['Team', 'Platform'],
    ['Site', 'https://example.com/t'],
  ];
  const check = (me, what) => {
    assert.deepEqual(me.fields.map((f) => f.name), ['Team', 'Site'], `${what}: names in order`);
    assert.equal(me.fields[0].value, 'Platform');
    assert.match(me.fields[1].value, /href="https:\/\/example\.com\/t"/);
    assert.ok(me.fields.every((f) => f.verified_at === null || f.verifiedAt === null), `${what}: verified_at is null`);
    assert.deepEqual(me.source.fields.map((f) => [f.name, f.value]), want, `${what}: source has the plain values`);
  };

  test('fields_attributes through masto (multipart form), a JSON array, a JSON object and a urlencoded form', async () => {
    const [a] = await registerUsers(url, ['fa']);
    check(await a.client.v1.accounts.updateCredentials({ fieldsAttributes: want.map(([name, value]) => ({ name, value })) }), 'masto');

    const clear = await raw(url, '/api/v1/accounts/update_credentials', { method: 'PATCH', token: a.token, json: { fields_attributes: [] } });
    assert.equal(clear.status, 200);
    assert.deepEqual(clear.json.fields, [], 'an empty list clears the fields');

    const arr = await raw(url, '/api/v1/accounts/update_credentials', {
      method: 'PATCH',
      token: a.token,
      json: { fields_attributes: want.map(([name, value]) => ({ name, value })) },
    });
    assert.equal(arr.status, 200);
    check(arr.json, 'JSON array');

    const obj = await raw(url, '/api/v1/accounts/update_credentials', {
      method: 'PATCH',
      token: a.token,
      json: { fields_attributes: { 0: { name: 'Team', value: 'Platform' }, 1: { name: 'Site', value: 'https://example.com/t' } } },
    });
    assert.equal(obj.status, 200);
    check(obj.json, 'JSON object keyed by index');

    const form = await raw(url, '/api/v1/accounts/update_credentials', {
      method: 'PATCH',
      token: a.token,
      form: {
        'fields_attributes[0][name]': 'Team',
        'fields_attributes[0][value]': 'Platform',
        'fields_attributes[1][name]': 'Site',
        'fields_attributes[1][value]': 'https://example.com/t',
      },
    });
    assert.equal(form.status, 200);
    check(form.json, 'urlencoded form');

    const seen = await raw(url, `/api/v1/accounts/${a.account.id}`, { token: a.token });
    assert.deepEqual(seen.json.fields.map((f) => f.verified_at), [null, null], 'verified_at is null on the public account');
  });
});
