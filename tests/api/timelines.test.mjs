// Timelines: home, public (local), hashtag; paging with limit, max_id, since_id, min_id
// and Link headers. Docs: methods/timelines, api/guidelines#pagination.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  assertNewestFirst,
  cmpId,
  collectPages,
  expectHttpError,
  parseLink,
  raw,
  registerUsers,
  restClient,
  startServer,
} from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const idsOf = (list) => list.map((s) => s.id);

describe('home timeline', () => {
  test('has own posts and followees\' posts, not others\'; unfollowing removes them', async () => {
    const [alice, bob, carol] = await registerUsers(url, ['ha', 'hb', 'hc']);
    await alice.client.v1.accounts.$select(bob.account.id).follow();
    const b1 = await bob.client.v1.statuses.create({ status: 'bob public' });
    const b2 = await bob.client.v1.statuses.create({ status: 'bob followers-only', visibility: 'private' });
    const b3 = await bob.client.v1.statuses.create({ status: 'bob unlisted', visibility: 'unlisted' });
    const b4 = await bob.client.v1.statuses.create({ status: `@${carol.username} bob direct to carol`, visibility: 'direct' });
    const a1 = await alice.client.v1.statuses.create({ status: 'alice own' });
    const a2 = await alice.client.v1.statuses.create({ status: 'alice private', visibility: 'private' });
    const c1 = await carol.client.v1.statuses.create({ status: 'carol not followed' });

    const home = await alice.client.v1.timelines.home.list();
    const ids = idsOf(home);
    for (const s of [a1, a2, b1, b2, b3]) assert.ok(ids.includes(s.id), `home should include ${s.content}`);
    assert.ok(!ids.includes(c1.id), 'home excludes accounts not followed');
    assert.ok(!ids.includes(b4.id), 'home never shows a direct post that does not mention the viewer');
    assertNewestFirst(ids, 'home');
    assert.deepEqual(ids, [a2.id, a1.id, b3.id, b2.id, b1.id]);

    await alice.client.v1.accounts.$select(bob.account.id).unfollow();
    const after = idsOf(await alice.client.v1.timelines.home.list());
    for (const s of [b1, b2, b3]) assert.ok(!after.includes(s.id), 'after unfollowing, the account\'s posts leave home');
    assert.deepEqual(after, [a2.id, a1.id]);
  });

  test('following later brings the account\'s recent posts into home', async () => {
    const [a, b] = await registerUsers(url, ['hf', 'hg']);
    const old = await b.client.v1.statuses.create({ status: 'posted before the follow' });
    await a.client.v1.accounts.$select(b.account.id).follow();
    const fresh = await b.client.v1.statuses.create({ status: 'posted after the follow' });
    const ids = idsOf(await a.client.v1.timelines.home.list());
    assert.ok(ids.includes(fresh.id));
    assert.ok(ids.includes(old.id), 'recent posts of a newly followed account appear in home');
  });

  test('boosts by followees appear, unless the follow has reblogs=false', async () => {
    const [a, b, c, d] = await registerUsers(url, ['hr', 'hs', 'ht', 'hu']);
    await a.client.v1.accounts.$select(b.account.id).follow();
    await d.client.v1.accounts.$select(b.account.id).follow({ reblogs: false });
    const s = await c.client.v1.statuses.create({ status: 'worth a boost' });
    const boost = await b.client.v1.statuses.$select(s.id).reblog();
    const home = await a.client.v1.timelines.home.list();
    const entry = home.find((x) => x.id === boost.id);
    assert.ok(entry, 'the boost is in the home timeline of a follower');
    assert.equal(entry.reblog?.id, s.id);
    const dHome = await d.client.v1.timelines.home.list();
    assert.ok(!dHome.some((x) => x.id === boost.id || x.reblog?.id === s.id), 'reblogs=false hides boosts');
  });

  test('needs a user token (401 without)', async () => {
    await expectHttpError(restClient(url).v1.timelines.home.list(), 401, /token|auth/i);
  });
});

describe('public and hashtag timelines', () => {
  test('public?local=true shows public posts only, newest first; signed out too', async () => {
    const [a, b] = await registerUsers(url, ['pa', 'pb']);
    const p1 = await a.client.v1.statuses.create({ status: 'public one' });
    const u1 = await a.client.v1.statuses.create({ status: 'unlisted one', visibility: 'unlisted' });
    const f1 = await b.client.v1.statuses.create({ status: 'private one', visibility: 'private' });
    const d1 = await b.client.v1.statuses.create({ status: `@${a.username} direct one`, visibility: 'direct' });
    const p2 = await b.client.v1.statuses.create({ status: 'public two' });

    for (const [who, client] of [['signed in', a.client], ['signed out', restClient(url)]]) {
      const tl = await collectPages(client.v1.timelines.public.list({ local: true, limit: 40 }));
      const ids = idsOf(tl);
      assertNewestFirst(ids, `public timeline (${who})`);
      assert.ok(ids.includes(p1.id) && ids.includes(p2.id), `${who}: public posts are listed`);
      for (const s of [u1, f1, d1]) assert.ok(!ids.includes(s.id), `${who}: ${s.visibility} posts are not on the public timeline`);
      for (const s of tl) assert.equal(s.visibility, 'public');
      assert.ok(ids.indexOf(p2.id) < ids.indexOf(p1.id));
    }
    const all = idsOf(await collectPages(a.client.v1.timelines.public.list({ limit: 40 })));
    assert.ok(all.includes(p1.id), 'without local= the local posts are there too');
  });

  test('tag timeline: public posts with the tag, any case', async () => {
    const [a, b] = await registerUsers(url, ['ta', 'tb']);
    const t1 = await a.client.v1.statuses.create({ status: 'first #PartyLineTag' });
    const t2 = await b.client.v1.statuses.create({ status: 'second #partylinetag!' });
    const tu = await b.client.v1.statuses.create({ status: 'unlisted #partylinetag', visibility: 'unlisted' });
    const tp = await b.client.v1.statuses.create({ status: 'private #partylinetag', visibility: 'private' });
    const other = await a.client.v1.statuses.create({ status: 'no tag here, partylinetag' });

    const tl = await a.client.v1.timelines.tag.$select('partylinetag').list();
    assert.deepEqual(idsOf(tl), [t2.id, t1.id]);
    const upper = await a.client.v1.timelines.tag.$select('PARTYLINETAG').list();
    assert.deepEqual(idsOf(upper), [t2.id, t1.id], 'tags match case-insensitively');
    for (const s of [tu, tp, other]) assert.ok(!idsOf(tl).includes(s.id));
    const anon = await restClient(url).v1.timelines.tag.$select('partylinetag').list();
    assert.deepEqual(idsOf(anon), [t2.id, t1.id]);
  });
});

describe('paging', () => {
  let dave;
  let ids; // newest first

  before(async () => {
    [dave] = await registerUsers(url, ['pg']);
    const made = [];
    for (let i = 0; i < 45; i++) made.push((await dave.client.v1.statuses.create({ status: `post number ${i}` })).id);
    ids = made.reverse();
    assertNewestFirst(ids, 'ids as created');
  });

  const home = (params) => dave.client.v1.timelines.home.list(params);

  test('limit defaults to 20, max 40 (limit=100 gives 40)', async () => {
    assert.deepEqual(idsOf(await home()), ids.slice(0, 20));
    assert.deepEqual(idsOf(await home({ limit: 5 })), ids.slice(0, 5));
    assert.deepEqual(idsOf(await home({ limit: 100 })), ids.slice(0, 40));
    assert.deepEqual(idsOf(await home({ limit: 40 })), ids.slice(0, 40));
  });

  test('max_id gives older statuses, below the id', async () => {
    assert.deepEqual(idsOf(await home({ maxId: ids[9] })), ids.slice(10, 30));
    assert.deepEqual(idsOf(await home({ maxId: ids[40], limit: 40 })), ids.slice(41));
    assert.deepEqual(await home({ maxId: ids[44] }), []);
  });

  test('since_id gives the newest statuses above the id', async () => {
    assert.deepEqual(idsOf(await home({ sinceId: ids[5] })), ids.slice(0, 5));
    assert.deepEqual(idsOf(await home({ sinceId: ids[30] })), ids.slice(0, 20), 'since_id: the newest page, not the one right above');
    assert.deepEqual(await home({ sinceId: ids[0] }), []);
  });

  test('min_id gives the statuses immediately newer than the id', async () => {
    const page = idsOf(await home({ minId: ids[30] }));
    assert.deepEqual(page, ids.slice(10, 30), 'min_id: the 20 right above the cursor, newest first');
    assert.deepEqual(await home({ minId: ids[0] }), []);
  });

  test('max_id and min_id together give the range between', async () => {
    const page = idsOf(await home({ maxId: ids[10], minId: ids[20] }));
    assert.deepEqual(page, ids.slice(11, 20), 'the range between, newest first');
  });

  test('Link header: next gives older, prev gives newer', async () => {
    const first = await raw(url, '/api/v1/timelines/home?limit=10', { token: dave.token });
    assert.equal(first.status, 200);
    assert.deepEqual(first.json.map((s) => s.id), ids.slice(0, 10));
    const link = parseLink(first.headers.get('link'));
    assert.ok(link.next, `Link rel="next" expected, got ${first.headers.get('link')}`);
    assert.ok(link.prev, `Link rel="prev" expected, got ${first.headers.get('link')}`);
    assert.equal(new URL(link.next).pathname, '/api/v1/timelines/home');
    assert.equal(new URL(link.next).searchParams.get('limit'), '10', 'the next link keeps the limit');

    const second = await raw(url, link.next, { token: dave.token });
    assert.deepEqual(second.json.map((s) => s.id), ids.slice(10, 20), 'following next gives the older page');
    const back = parseLink(second.headers.get('link')).prev;
    assert.ok(back);
    const again = await raw(url, back, { token: dave.token });
    assert.deepEqual(again.json.map((s) => s.id), ids.slice(0, 10), 'following prev gives the newer page, newest first');
  });

  test('walking next pages with the masto paginator: every status once, newest first', async () => {
    const all = await collectPages(home({ limit: 7 }));
    const seen = idsOf(all);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
    assertNewestFirst(seen, 'walked home timeline');
    assert.deepEqual(seen, ids);
  });

  test('walking prev pages from the oldest: every newer status once', async () => {
    const paginator = home({ limit: 7, minId: ids[44] }).setDirection('prev');
    const all = await collectPages(paginator);
    const seen = idsOf(all);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
    assert.deepEqual([...seen].sort(cmpId), [...ids.slice(0, 44)].sort(cmpId));
    // each page newest first, each page right above the one before it
    const pages = [];
    for (let i = 0; i < seen.length; i += 7) pages.push(seen.slice(i, i + 7));
    pages.forEach((p, k) => assertNewestFirst(p, `prev page ${k}`));
    assert.deepEqual(pages.slice().reverse().flat(), ids.slice(0, 44), 'the pages, newest page first, make the timeline');
  });

  test('account statuses and public timeline page the same way', async () => {
    const acct = await collectPages(dave.client.v1.accounts.$select(dave.account.id).statuses.list({ limit: 9 }));
    assert.deepEqual(idsOf(acct), ids);
    const pub = idsOf(await collectPages(dave.client.v1.timelines.public.list({ local: true, limit: 40 })));
    const mine = pub.filter((id) => ids.includes(id));
    assert.deepEqual(mine, ids);
    assert.equal((await dave.client.v1.timelines.public.list({ limit: 100 })).length, 40);
  });

  test('min_id on the account and public timelines: the page right above, newest first', async () => {
    const acct = idsOf(await dave.client.v1.accounts.$select(dave.account.id).statuses.list({ minId: ids[30], limit: 5 }));
    assert.deepEqual(acct, ids.slice(25, 30), 'account statuses');
    const pub = idsOf(await dave.client.v1.timelines.public.list({ local: true, minId: ids[30], limit: 5 }))
      .filter((id) => ids.includes(id));
    assert.deepEqual(pub, ids.slice(25, 30), 'public timeline');
  });

  test('a bad max_id is an error or ignored, never a crash', async () => {
    const r = await raw(url, '/api/v1/timelines/home?max_id=not-a-number', { token: dave.token });
    assert.ok([200, 400, 422].includes(r.status), `got ${r.status}`);
  });
});
