// Lists: CRUD, members, the list timeline, replies_policy, exclusive lists, privacy and
// limits. Docs: methods/lists, entities/List, methods/timelines#list,
// methods/accounts#lists.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  assertNewestFirst,
  collectPages,
  createApp,
  expectHttpError,
  NOT_FOUND,
  parseLink,
  passwordLogin,
  raw,
  registerUsers,
  restClient,
  startServer,
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
const follow = (who, whom) => who.client.v1.accounts.$select(whom.account.id).follow();
const memberIds = async (who, list) => idsOf(await collectPages(who.client.v1.lists.$select(list.id).accounts.list()));
const listTimeline = async (who, list, params = { limit: 40 }) => idsOf(await who.client.v1.timelines.list.$select(list.id).list(params));

describe('list CRUD', () => {
  test('create has replies_policy "list" and exclusive false by default; fetch, list, update, delete', async () => {
    const [a] = await registerUsers(url, ['la']);
    const l = await a.client.v1.lists.create({ title: 'Colleagues' });
    assert.equal(typeof l.id, 'string');
    assert.equal(l.title, 'Colleagues');
    assert.equal(l.repliesPolicy, 'list');
    assert.equal(l.exclusive, false);

    const l2 = await a.client.v1.lists.create({ title: 'Team', repliesPolicy: 'followed', exclusive: true });
    assert.equal(l2.repliesPolicy, 'followed');
    assert.equal(l2.exclusive, true);

    const all = await a.client.v1.lists.list();
    assert.deepEqual(all.map((x) => x.id), [l.id, l2.id], 'GET /api/v1/lists gives every list of the owner');

    const one = await a.client.v1.lists.$select(l.id).fetch();
    assert.deepEqual(one, l);

    const up = await a.client.v1.lists.$select(l.id).update({ title: 'Close colleagues', repliesPolicy: 'none', exclusive: true });
    assert.equal(up.id, l.id);
    assert.equal(up.title, 'Close colleagues');
    assert.equal(up.repliesPolicy, 'none');
    assert.equal(up.exclusive, true);
    assert.deepEqual(await a.client.v1.lists.$select(l.id).fetch(), up, 'the update is kept');

    // a partial update keeps what it does not name
    const up2 = await a.client.v1.lists.$select(l.id).update({ title: 'Renamed' });
    assert.equal(up2.repliesPolicy, 'none');
    assert.equal(up2.exclusive, true);

    await a.client.v1.lists.$select(l.id).remove();
    await expectHttpError(a.client.v1.lists.$select(l.id).fetch(), 404, NOT_FOUND, 'a deleted list');
    assert.deepEqual((await a.client.v1.lists.list()).map((x) => x.id), [l2.id]);
  });

  test('a blank title or an unknown replies_policy is 422 with a reason', async () => {
    const [a] = await registerUsers(url, ['lb']);
    await expectHttpError(a.client.v1.lists.create({ title: '   ' }), 422, /title can't be blank/i, 'blank title');
    const missing = await raw(url, '/api/v1/lists', { method: 'POST', token: a.token, json: {} });
    assert.equal(missing.status, 422, 'no title at all');
    assert.match(missing.json.error, /title can't be blank/i);
    await expectHttpError(a.client.v1.lists.create({ title: 'x', repliesPolicy: 'some' }), 422, /'some' is not a valid replies_policy/, 'bad policy');
    const l = await a.client.v1.lists.create({ title: 'ok' });
    await expectHttpError(a.client.v1.lists.$select(l.id).update({ title: '' }), 422, /blank/i, 'blank title on update');
    await expectHttpError(a.client.v1.lists.$select(l.id).update({ title: 'ok', exclusive: 'maybe' }), 422, /exclusive/i);
    const lists = await a.client.v1.lists.list();
    assert.deepEqual(lists.map((x) => [x.id, x.title]), [[l.id, 'ok']], 'no refused list was made or renamed');
  });

  test('someone else\'s list is 404 everywhere, as a list that does not exist', async () => {
    const [a, b, c] = await registerUsers(url, ['lc', 'ld', 'le']);
    await follow(a, c);
    await follow(b, c);
    const l = await a.client.v1.lists.create({ title: 'mine' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [c.account.id] });
    const theirs = b.client.v1.lists.$select(l.id);
    await expectHttpError(theirs.fetch(), 404, /Record not found/, 'fetch');
    await expectHttpError(theirs.update({ title: 'stolen' }), 404, /Record not found/, 'update');
    await expectHttpError(theirs.remove(), 404, /Record not found/, 'delete');
    await expectHttpError(theirs.accounts.list(), 404, /Record not found/, 'members');
    await expectHttpError(theirs.accounts.create({ accountIds: [c.account.id] }), 404, /Record not found/, 'add');
    await expectHttpError(theirs.accounts.remove({ accountIds: [c.account.id] }), 404, /Record not found/, 'remove');
    await expectHttpError(b.client.v1.timelines.list.$select(l.id).list(), 404, /Record not found/, 'timeline');
    assert.deepEqual(await b.client.v1.lists.list(), [], 'nobody else\'s lists are listed');
    assert.deepEqual(await b.client.v1.accounts.$select(c.account.id).lists.list(), []);
    assert.equal((await a.client.v1.lists.$select(l.id).fetch()).title, 'mine', 'the owner\'s list is unchanged');
    await expectHttpError(a.client.v1.lists.$select('12345').fetch(), 404, /Record not found/, 'unknown id');
    await expectHttpError(a.client.v1.lists.$select('nope').fetch(), 404, /Record not found/, 'malformed id');
  });

  test('scopes: read:lists reads, write:lists is needed to change; signed out is 401', async () => {
    const [a] = await registerUsers(url, ['lf']);
    const l = await a.client.v1.lists.create({ title: 'scoped' });
    const app = await createApp(url);
    const tok = await passwordLogin(url, app, a.email, a.password, 'read:lists');
    const reader = restClient(url, tok.accessToken);
    assert.equal((await reader.v1.lists.list()).length, 1);
    assert.equal((await reader.v1.lists.$select(l.id).fetch()).title, 'scoped');
    await expectHttpError(reader.v1.lists.create({ title: 'no' }), 403, /scope/i, 'create with read:lists only');
    await expectHttpError(reader.v1.timelines.home.list(), 403, /scope/i, 'read:lists does not read home');
    await expectHttpError(restClient(url).v1.lists.list(), 401, /token/i, 'signed out');
  });
});

describe('list members', () => {
  test('add followed accounts, page them, remove them; GET /accounts/:id/lists', async () => {
    const [a, ...people] = await registerUsers(url, ['ma', 'mb', 'mc', 'md', 'me']);
    for (const p of people) await follow(a, p);
    const l = await a.client.v1.lists.create({ title: 'members' });
    const other = await a.client.v1.lists.create({ title: 'other' });
    const res = await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: people.map((p) => p.account.id) });
    assert.ok(res === undefined || Object.keys(res ?? {}).length === 0, 'adding answers an empty object');
    await a.client.v1.lists.$select(other.id).accounts.create({ accountIds: [people[0].account.id] });

    const ids = await memberIds(a, l);
    assert.deepEqual([...ids].sort(), people.map((p) => p.account.id).sort());
    assertNewestFirst(ids, 'members (by account id)');

    // paging with Link, two at a time
    const first = await raw(url, `/api/v1/lists/${l.id}/accounts?limit=2`, { token: a.token });
    assert.equal(first.status, 200);
    assert.equal(first.json.length, 2);
    const next = parseLink(first.headers.get('link')).next;
    assert.ok(next, 'a Link header with rel="next"');
    const second = await raw(url, next, { token: a.token });
    assert.equal(second.json.length, 2);
    assert.ok(!first.json.some((x) => second.json.some((y) => y.id === x.id)), 'pages do not overlap');

    // limit=0: every member, no paging
    const all = await raw(url, `/api/v1/lists/${l.id}/accounts?limit=0`, { token: a.token });
    assert.equal(all.json.length, 4);
    assert.equal(all.headers.get('link'), null);

    const lists0 = await a.client.v1.accounts.$select(people[0].account.id).lists.list();
    assert.deepEqual(lists0.map((x) => x.id), [l.id, other.id], 'both lists hold the first person');
    const lists1 = await a.client.v1.accounts.$select(people[1].account.id).lists.list();
    assert.deepEqual(lists1.map((x) => x.id), [l.id]);

    await a.client.v1.lists.$select(l.id).accounts.remove({ accountIds: [people[0].account.id, people[1].account.id] });
    assert.deepEqual([...(await memberIds(a, l))].sort(), people.slice(2).map((p) => p.account.id).sort());
    // removing someone who is not a member is fine
    await a.client.v1.lists.$select(l.id).accounts.remove({ accountIds: [people[0].account.id] });
    assert.deepEqual((await a.client.v1.accounts.$select(people[0].account.id).lists.list()).map((x) => x.id), [other.id]);
  });

  test('only followed accounts may be added (422 saying so); twice is 422; unknown is 404; none at all if one fails', async () => {
    const [a, b, c] = await registerUsers(url, ['mf', 'mg', 'mh']);
    await follow(a, b);
    const l = await a.client.v1.lists.create({ title: 'strict' });
    await expectHttpError(
      a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id, c.account.id] }),
      422,
      new RegExp(`follow @${c.username}`),
      'an account not followed',
    );
    assert.deepEqual(await memberIds(a, l), [], 'all or nothing: b was not added either');
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id] });
    await expectHttpError(a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id] }), 422, /already/i, 'twice');
    await expectHttpError(a.client.v1.lists.$select(l.id).accounts.create({ accountIds: ['999999999'] }), 404, /Record not found/, 'unknown account');
    await expectHttpError(a.client.v1.accounts.$select('999999999').lists.list(), 404, /Record not found/);
    await expectHttpError(a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [] }), 422, /account_ids/, 'no ids');
  });

  test('unfollowing takes the account out of every list; blocking does too, both ways', async () => {
    const [a, b, c] = await registerUsers(url, ['mi', 'mj', 'mk']);
    await follow(a, b);
    await follow(a, c);
    await follow(c, a);
    const l1 = await a.client.v1.lists.create({ title: 'one' });
    const l2 = await a.client.v1.lists.create({ title: 'two' });
    const lc = await c.client.v1.lists.create({ title: 'c\'s' });
    await a.client.v1.lists.$select(l1.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    await a.client.v1.lists.$select(l2.id).accounts.create({ accountIds: [b.account.id] });
    await c.client.v1.lists.$select(lc.id).accounts.create({ accountIds: [a.account.id] });
    const post = await b.client.v1.statuses.create({ status: 'from b' });
    assert.ok((await listTimeline(a, l1)).includes(post.id));

    await a.client.v1.accounts.$select(b.account.id).unfollow();
    assert.deepEqual(await memberIds(a, l1), [c.account.id]);
    assert.deepEqual(await memberIds(a, l2), []);
    assert.deepEqual(await a.client.v1.accounts.$select(b.account.id).lists.list(), []);
    assert.ok(!(await listTimeline(a, l1)).includes(post.id), 'their posts leave the list timeline');

    // a blocks c: c leaves a's list, and a leaves c's list (the block ended c's follow)
    await a.client.v1.accounts.$select(c.account.id).block();
    assert.deepEqual(await memberIds(a, l1), []);
    assert.deepEqual(await memberIds(c, lc), []);
  });
});

describe('list timeline', () => {
  test('members\' posts and boosts, newest first, nobody else\'s; adding a member brings their past posts', async () => {
    const [a, b, c, d] = await registerUsers(url, ['ta', 'tb', 'tc', 'td']);
    await follow(a, b);
    await follow(a, c);
    await follow(a, d);
    const l = await a.client.v1.lists.create({ title: 'timeline' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    const b1 = await b.client.v1.statuses.create({ status: 'b one' });
    const d1 = await d.client.v1.statuses.create({ status: 'd one, not a member' });
    const c1 = await c.client.v1.statuses.create({ status: 'c one' });
    const boost = await b.client.v1.statuses.$select(d1.id).reblog();
    const a1 = await a.client.v1.statuses.create({ status: 'the owner is not a member' });
    const ids = await listTimeline(a, l);
    assert.deepEqual(ids, [boost.id, c1.id, b1.id]);
    assert.ok(!ids.includes(a1.id));

    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [d.account.id] });
    assert.deepEqual(await listTimeline(a, l), [boost.id, c1.id, d1.id, b1.id], 'a new member\'s earlier posts appear at once');
  });

  test('boosts are left out when the owner follows the member with reblogs=false', async () => {
    const [a, b, c] = await registerUsers(url, ['tr', 'ts', 'tt']);
    await a.client.v1.accounts.$select(b.account.id).follow({ reblogs: false });
    const l = await a.client.v1.lists.create({ title: 'no boosts' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id] });
    const c1 = await c.client.v1.statuses.create({ status: 'worth a boost' });
    await b.client.v1.statuses.$select(c1.id).reblog();
    const b1 = await b.client.v1.statuses.create({ status: 'b own' });
    assert.deepEqual(await listTimeline(a, l), [b1.id]);
  });

  test('paging: limit, max_id, since_id, min_id and Link headers walk the whole list once', async () => {
    const [a, b, c] = await registerUsers(url, ['tp', 'tq', 'tu']);
    await follow(a, b);
    await follow(a, c);
    const l = await a.client.v1.lists.create({ title: 'paged' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    const posts = [];
    for (let i = 0; i < 7; i++) posts.push(await (i % 2 ? b : c).client.v1.statuses.create({ status: `post ${i}` }));
    const newestFirst = posts.map((p) => p.id).reverse();

    const walked = idsOf(await collectPages(a.client.v1.timelines.list.$select(l.id).list({ limit: 3 })));
    assert.deepEqual(walked, newestFirst, 'following rel="next" gives every post once, newest first');

    const first = await raw(url, `/api/v1/timelines/list/${l.id}?limit=3`, { token: a.token });
    assert.deepEqual(first.json.map((s) => s.id), newestFirst.slice(0, 3));
    const link = parseLink(first.headers.get('link'));
    assert.match(link.next, /max_id=/);
    assert.match(link.prev, /min_id=/);

    assert.deepEqual(await listTimeline(a, l, { maxId: newestFirst[2], limit: 2 }), newestFirst.slice(3, 5));
    assert.deepEqual(await listTimeline(a, l, { sinceId: newestFirst[4], limit: 2 }), newestFirst.slice(0, 2), 'since_id: the newest above it');
    assert.deepEqual(await listTimeline(a, l, { minId: newestFirst[4], limit: 2 }), newestFirst.slice(2, 4), 'min_id: the ones just above it');
    assert.deepEqual(await listTimeline(a, l, { minId: newestFirst[5], maxId: newestFirst[1] }), newestFirst.slice(2, 5));
  });

  test('replies_policy: followed, list and none decide which replies show; self-replies always do', async () => {
    // a reads; b and e are members; c is followed but not a member; d is not followed
    const [a, b, c, d, e] = await registerUsers(url, ['ra', 'rb', 'rc', 'rd', 're']);
    for (const p of [b, c, e]) await follow(a, p);
    const lists = {};
    for (const policy of ['followed', 'list', 'none']) {
      lists[policy] = await a.client.v1.lists.create({ title: policy, repliesPolicy: policy });
      await a.client.v1.lists.$select(lists[policy].id).accounts.create({ accountIds: [b.account.id, e.account.id] });
    }
    const onC = await c.client.v1.statuses.create({ status: 'c says' });
    const onD = await d.client.v1.statuses.create({ status: 'd says' });
    const onE = await e.client.v1.statuses.create({ status: 'e says' });
    const top = await b.client.v1.statuses.create({ status: 'b top' });
    const toSelf = await b.client.v1.statuses.create({ status: 'b continues', inReplyToId: top.id });
    const toC = await b.client.v1.statuses.create({ status: `@${c.username} to c`, inReplyToId: onC.id });
    const toD = await b.client.v1.statuses.create({ status: `@${d.username} to d`, inReplyToId: onD.id });
    const toE = await b.client.v1.statuses.create({ status: `@${e.username} to e`, inReplyToId: onE.id });

    const want = {
      followed: [toE.id, toC.id, toSelf.id, top.id, onE.id],
      list: [toE.id, toSelf.id, top.id, onE.id],
      none: [toSelf.id, top.id, onE.id],
    };
    for (const policy of Object.keys(want)) {
      assert.deepEqual(await listTimeline(a, lists[policy]), want[policy], `replies_policy=${policy}`);
    }
    assert.ok(!(await listTimeline(a, lists.followed)).includes(toD.id), 'a reply to someone not followed never shows');

    // changing the policy changes the timeline at once
    await a.client.v1.lists.$select(lists.none.id).update({ title: 'none', repliesPolicy: 'list' });
    assert.deepEqual(await listTimeline(a, lists.none), want.list);
  });

  test('a page is filled from further back when the newest posts are replies it hides', async () => {
    const [a, b, c] = await registerUsers(url, ['rf', 'rg', 'rh']);
    await follow(a, b);
    const l = await a.client.v1.lists.create({ title: 'quiet', repliesPolicy: 'none' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id] });
    const old = await b.client.v1.statuses.create({ status: 'an older top-level post' });
    const onC = await c.client.v1.statuses.create({ status: 'c' });
    for (let i = 0; i < 6; i++) await b.client.v1.statuses.create({ status: `reply ${i}`, inReplyToId: onC.id });
    assert.deepEqual(await listTimeline(a, l, { limit: 2 }), [old.id]);
  });

  test('privacy: followers-only posts of members show, direct posts only when addressed to the owner; mutes hide', async () => {
    const [a, b, c] = await registerUsers(url, ['pa', 'pb', 'pc']);
    await follow(a, b);
    await follow(a, c);
    const l = await a.client.v1.lists.create({ title: 'private' });
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    const priv = await b.client.v1.statuses.create({ status: 'followers only', visibility: 'private' });
    const dmOther = await b.client.v1.statuses.create({ status: `@${c.username} just for c`, visibility: 'direct' });
    const dmOwner = await b.client.v1.statuses.create({ status: `@${a.username} just for a`, visibility: 'direct' });
    const ids = await listTimeline(a, l);
    assert.ok(ids.includes(priv.id), 'a followers-only post of a followed member shows');
    assert.ok(!ids.includes(dmOther.id), 'a direct post to someone else never shows');
    assert.ok(ids.includes(dmOwner.id), 'a direct post to the owner is one they may see');

    await a.client.v1.accounts.$select(c.account.id).mute();
    const c1 = await c.client.v1.statuses.create({ status: 'muted member' });
    assert.ok(!(await listTimeline(a, l)).includes(c1.id), 'a muted member is left out, as at home');
  });
});

describe('exclusive lists', () => {
  test('members of an exclusive list leave the home timeline; a plain list does not hide them', async () => {
    const [a, b, c] = await registerUsers(url, ['xa', 'xb', 'xc']);
    await follow(a, b);
    await follow(a, c);
    const plain = await a.client.v1.lists.create({ title: 'plain' });
    const excl = await a.client.v1.lists.create({ title: 'exclusive', exclusive: true });
    await a.client.v1.lists.$select(plain.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    const b1 = await b.client.v1.statuses.create({ status: 'b' });
    const c1 = await c.client.v1.statuses.create({ status: 'c' });
    let home = idsOf(await a.client.v1.timelines.home.list());
    assert.ok(home.includes(b1.id) && home.includes(c1.id), 'a plain list hides nothing from home');

    await a.client.v1.lists.$select(excl.id).accounts.create({ accountIds: [b.account.id] });
    home = idsOf(await a.client.v1.timelines.home.list());
    assert.ok(!home.includes(b1.id), 'an exclusive list\'s member leaves home');
    assert.ok(home.includes(c1.id));
    assert.ok((await listTimeline(a, excl)).includes(b1.id), '... and is read in the list');

    await a.client.v1.lists.$select(excl.id).update({ title: 'exclusive', exclusive: false });
    assert.ok(idsOf(await a.client.v1.timelines.home.list()).includes(b1.id), 'no longer exclusive: back at home');
    await a.client.v1.lists.$select(excl.id).update({ title: 'exclusive', exclusive: true });
    await a.client.v1.lists.$select(excl.id).remove();
    assert.ok(idsOf(await a.client.v1.timelines.home.list()).includes(b1.id), 'a deleted list hides nothing');
  });
});

describe('list limits', () => {
  let small;
  before(async () => {
    small = await startServer({
      env: { PARTYLINE_MAX_LISTS: '2', PARTYLINE_MAX_LIST_MEMBERS: '2', PARTYLINE_MAX_LIST_TITLE: '10' },
    });
  });
  after(async () => {
    await small?.stop();
  });

  test('lists per person, members per list and title length are limits with 422 and a reason', async () => {
    const [a, b, c, d] = await registerUsers(small.url, ['ya', 'yb', 'yc', 'yd']);
    for (const p of [b, c, d]) await follow(a, p);
    await expectHttpError(a.client.v1.lists.create({ title: 'eleven char' }), 422, /too long \(maximum is 10 characters\)/);
    const l = await a.client.v1.lists.create({ title: 'ten chars!' });
    await a.client.v1.lists.create({ title: 'second' });
    await expectHttpError(a.client.v1.lists.create({ title: 'third' }), 422, /more than 2 lists/);
    await a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [b.account.id, c.account.id] });
    await expectHttpError(a.client.v1.lists.$select(l.id).accounts.create({ accountIds: [d.account.id] }), 422, /more than 2 accounts/);
    await a.client.v1.lists.$select(l.id).remove();
    await a.client.v1.lists.create({ title: 'third' });
  });
});
