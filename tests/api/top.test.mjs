// Top feeds (our extension, docs/api.md "Top"): GET /api/v1/partyline/timelines/top ranks the
// posts of a feed by up-votes (favourites) with time decay; `explain` shows each score and its
// parts; window and feed select the candidates, through the same audience rules as timelines.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, mapLimit, parseLink, raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const TOP = '/api/v1/partyline/timelines/top';
const WINDOWS = { '24h': 24, '7d': 168, '30d': 720 };

/** The documented formula (docs/api.md "Top"), computed here from a score's parts. */
function expectedScore(parts, windowHours) {
  const tau = windowHours / 12;
  const points = 1 + parts.votes + 0.5 * parts.boosts + 0.25 * parts.replies;
  return points / (1 + parts.age_hours / tau) ** 1.5;
}

async function top(who, query = {}, status = 200) {
  const qs = new URLSearchParams(query).toString();
  const r = await raw(url, `${TOP}${qs ? '?' + qs : ''}`, { token: who.token });
  assert.equal(r.status, status, `GET top ${qs}: ${r.text}`);
  if (status >= 400) assert.equal(typeof r.json?.error, 'string', 'errors are {"error": "..."}');
  return status === 200 ? Object.assign(r.json, { link: r.headers.get('link') }) : r.json;
}

async function call(who, method, p, json) {
  const r = await raw(url, p, { method, token: who.token, json });
  assert.equal(r.status, 200, `${method} ${p}: ${r.text}`);
  return r.json;
}

const ids = (list) => list.map((s) => s.id);

/** Each voter favourites the status once. */
async function votes(voters, status) {
  await mapLimit(voters, 4, (v) => v.client.v1.statuses.$select(status.id).favourite());
}

describe('ranking', () => {
  let author, viewer, voters;
  before(async () => {
    [author, viewer, ...voters] = await registerUsers(url, ['auth', 'view', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    await viewer.client.v1.accounts.$select(author.account.id).follow();
  });

  test('an older post with more votes ranks above a newer one with fewer; scores follow the formula', async () => {
    const tag = uniqueName('rank').toLowerCase();
    const older = await author.client.v1.statuses.create({ status: `older #${tag}` });
    const middle = await author.client.v1.statuses.create({ status: `middle #${tag}` });
    const newer = await author.client.v1.statuses.create({ status: `newer #${tag}` });
    await votes(voters.slice(0, 5), older);
    await votes(voters.slice(0, 1), newer);
    await voters[5].client.v1.statuses.$select(newer.id).reblog();
    await voters[4].client.v1.statuses.create({ status: 'a reply', inReplyToId: newer.id });

    for (const [win, hours] of Object.entries(WINDOWS)) {
      const list = await top(viewer, { feed: `tag:${tag}`, window: win, explain: 'true' });
      assert.deepEqual(ids(list), [older.id, newer.id, middle.id], `window ${win}: by score`);
      for (const s of list) {
        const sc = s.partyline.score;
        assert.ok(sc, 'explain=true adds partyline.score');
        assert.equal(typeof sc.formula, 'string');
        assert.ok(sc.age_hours >= 0 && sc.age_hours < 1, `a post made just now is minutes old (${sc.age_hours} h)`);
        assert.equal(sc.tau_hours, hours / 12);
        const want = expectedScore(sc, hours);
        assert.ok(Math.abs(sc.value - want) <= 1e-9 * want, `value ${sc.value} = formula ${want}`);
      }
      const [o, n, m] = list.map((s) => s.partyline.score);
      assert.deepEqual([o.votes, o.boosts, o.replies], [5, 0, 0]);
      assert.deepEqual([n.votes, n.boosts, n.replies], [1, 1, 1]);
      assert.deepEqual([m.votes, m.boosts, m.replies], [0, 0, 0]);
      assert.ok(o.age_hours > n.age_hours, 'the older post is older');
      // the counts shown on the Status are the ones scored
      assert.equal(list[0].favourites_count, 5);
    }
  });

  test('time decays a score: equal votes, the newer post ranks first', async () => {
    const tag = uniqueName('decay').toLowerCase();
    const a = await author.client.v1.statuses.create({ status: `first #${tag}` });
    const b = await author.client.v1.statuses.create({ status: `second #${tag}` });
    await votes(voters.slice(0, 2), a);
    await votes(voters.slice(2, 4), b);
    const list = await top(viewer, { feed: `tag:${tag}`, explain: 'true' });
    assert.deepEqual(ids(list), [b.id, a.id]);
    assert.ok(list[0].partyline.score.value > list[1].partyline.score.value, 'strictly: younger is worth more');
  });

  test('without explain there is no score; a boost counts toward its original', async () => {
    const post = await author.client.v1.statuses.create({ status: 'boost me' });
    await voters[0].client.v1.statuses.$select(post.id).reblog();
    // the viewer follows the booster: home has the boost; top ranks the original once
    await viewer.client.v1.accounts.$select(voters[0].account.id).follow();
    const list = await top(viewer);
    const found = list.filter((s) => s.id === post.id);
    assert.equal(found.length, 1, 'the original, once');
    assert.equal(found[0].reblog, null, 'an original, not the boost');
    assert.equal(found[0].partyline.score, undefined);
    assert.ok(!list.some((s) => s.reblog), 'boosts are not ranked themselves');
  });
});

describe('feeds', () => {
  test('home, list, channel, tag and public each rank their own posts', async () => {
    const [viewer, friend, stranger, member] = await registerUsers(url, ['view', 'fr', 'str', 'mem']);
    await viewer.client.v1.accounts.$select(friend.account.id).follow();
    await viewer.client.v1.accounts.$select(member.account.id).follow();
    const tag = uniqueName('feed').toLowerCase();
    const friendPost = await friend.client.v1.statuses.create({ status: `from a friend #${tag}` });
    const strangerPost = await stranger.client.v1.statuses.create({ status: `from a stranger #${tag}` });
    const memberPost = await member.client.v1.statuses.create({ status: 'from a list member' });
    const list = await viewer.client.v1.lists.create({ title: 'team' });
    await viewer.client.v1.lists.$select(list.id).accounts.create({ accountIds: [member.account.id] });
    const ch = await call(stranger, 'POST', '/api/v1/partyline/channels', { name: uniqueName('ch') });
    await call(viewer, 'POST', `/api/v1/partyline/channels/${ch.id}/join`);
    const chPost = await stranger.client.v1.statuses.create({ status: 'in the channel', channelId: ch.id });

    const home = ids(await top(viewer, { feed: 'home', limit: '40' }));
    for (const p of [friendPost, memberPost, chPost]) assert.ok(home.includes(p.id), `home has ${p.content}`);
    assert.ok(!home.includes(strangerPost.id), 'home: not a stranger');
    assert.deepEqual(ids(await top(viewer, { feed: `list:${list.id}` })), [memberPost.id]);
    assert.deepEqual(ids(await top(viewer, { feed: `channel:${ch.id}` })), [chPost.id]);
    assert.deepEqual(new Set(ids(await top(viewer, { feed: `tag:${tag}` }))), new Set([friendPost.id, strangerPost.id]));
    const pub = ids(await top(viewer, { feed: 'public', limit: '40' }));
    assert.ok(pub.includes(strangerPost.id) && pub.includes(friendPost.id));

    // someone else's list is 404, as the list timeline
    const other = await stranger.client.v1.lists.create({ title: 'theirs' });
    await top(viewer, { feed: `list:${other.id}` }, 404);
    await top(viewer, { feed: 'channel:1' }, 404);
  });
});

describe('privacy', () => {
  test('a followers-only post and a private channel post never reach those who may not see them', async () => {
    const [author, follower, outsider, owner] = await registerUsers(url, ['auth', 'fol', 'out', 'own']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    await outsider.client.v1.accounts.$select(owner.account.id).follow();
    const tag = uniqueName('priv').toLowerCase();
    const secret = await author.client.v1.statuses.create({ status: `followers only #${tag}`, visibility: 'private' });
    await follower.client.v1.statuses.$select(secret.id).favourite();
    const ch = await call(owner, 'POST', '/api/v1/partyline/channels', { name: uniqueName('priv'), private: true });
    const inside = await owner.client.v1.statuses.create({ status: `private channel #${tag}`, channelId: ch.id });
    await owner.client.v1.statuses.$select(inside.id).favourite();

    assert.ok(ids(await top(follower)).includes(secret.id), 'a follower sees it in top home');
    assert.ok(ids(await top(owner, { feed: `channel:${ch.id}` })).includes(inside.id), 'the owner sees the channel post');
    for (const feed of ['home', 'public', `tag:${tag}`, `channel:${ch.id}`]) {
      for (const win of Object.keys(WINDOWS)) {
        const qs = new URLSearchParams({ feed, window: win, limit: '40' });
        const r = await raw(url, `${TOP}?${qs}`, { token: outsider.token });
        assert.ok(r.status === 200 || (r.status === 404 && feed.startsWith('channel:')), `${feed}: ${r.text}`);
        const got = r.status === 200 ? ids(r.json) : [];
        assert.ok(!got.includes(secret.id), `${feed} ${win}: no followers-only post of someone not followed`);
        assert.ok(!got.includes(inside.id), `${feed} ${win}: no private channel post outside it`);
      }
    }
  });
});

describe('paging and limits', () => {
  test('offset pages cut one ranking; Link headers carry the offset', async () => {
    const [author, viewer] = await registerUsers(url, ['auth', 'view']);
    await viewer.client.v1.accounts.$select(author.account.id).follow();
    const tag = uniqueName('page').toLowerCase();
    for (let i = 0; i < 5; i++) await author.client.v1.statuses.create({ status: `post ${i} #${tag}` });
    const all = await top(viewer, { feed: `tag:${tag}` });
    assert.equal(all.length, 5);
    const pages = [];
    for (let off = 0; off < 6; off += 2) {
      const page = await top(viewer, { feed: `tag:${tag}`, limit: '2', offset: String(off) });
      pages.push(...ids(page));
      const link = parseLink(page.link);
      if (off + 2 < 5) {
        assert.ok(link.next.includes(`offset=${off + 2}`), link.next);
        assert.ok(link.next.includes('feed=tag'), `next keeps the feed: ${link.next}`);
      }
      else assert.equal(link.next, undefined, 'no next page after the last');
      if (off > 0) assert.match(link.prev, /offset=\d+/);
    }
    assert.deepEqual(pages, ids(all));
    const beyond = await top(viewer, { feed: `tag:${tag}`, offset: '400' });
    assert.equal(beyond.length, 0, 'past the end: an empty page');
  });

  test('bad parameters are 422 saying what was wrong', async () => {
    const [viewer] = await registerUsers(url, ['view']);
    const cases = [
      [{ window: '1h' }, /window/],
      [{ window: '365d' }, /window/],
      [{ feed: 'everything' }, /feed/],
      [{ feed: 'tag:' }, /tag/],
      [{ limit: '0' }, /limit/],
      [{ limit: '41' }, /limit/],
      [{ limit: 'many' }, /limit/],
      [{ offset: '-1' }, /offset/],
      [{ offset: '401' }, /offset/],
      [{ explain: 'perhaps' }, /explain/],
    ];
    for (const [q, re] of cases) {
      const r = await top(viewer, q, 422);
      assert.match(r.error, re, JSON.stringify(q));
    }
    const anon = await raw(url, TOP);
    assert.equal(anon.status, 401);
  });
});

describe('windows over months of posts', () => {
  // bench-data writes posts spread over six months (up to a few seconds ago): a real history
  // of old posts the window must leave out.
  let dir;
  let srv;
  let token;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-top-'));
    await promisify(execFile)(binaryPath(), ['bench-data', '--data', dir, '--users', '40', '--posts', '3000',
      '--tokens', path.join(dir, 'tokens')], { env: { PATH: process.env.PATH } });
    srv = await startServer({ dataDir: dir, sqlite: true, env: { PARTYLINE_TOP_MAX_CANDIDATES: '300' } });
    token = (await readFile(path.join(dir, 'tokens'), 'utf8')).split('\n')[0];
  });
  after(async () => {
    await srv?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function all(window) {
    const out = [];
    for (let offset = 0; offset <= 400; offset += 40) {
      const r = await raw(srv.url, `${TOP}?feed=public&window=${window}&limit=40&offset=${offset}&explain=1`, { token });
      assert.equal(r.status, 200, r.text);
      out.push(...r.json);
      if (r.json.length < 40) break;
    }
    return out;
  }

  test('each window holds only posts inside it; a longer one also the older posts the shorter left out', async () => {
    const now = Date.now();
    const day = await all('24h');
    const month = await all('30d');
    assert.ok(day.length > 0, 'some posts of the last day');
    for (const s of day) assert.ok(now - Date.parse(s.created_at) <= 24 * 3600e3 + 60e3, `24h: ${s.created_at}`);
    for (const s of month) assert.ok(now - Date.parse(s.created_at) <= 30 * 24 * 3600e3 + 60e3, `30d: ${s.created_at}`);
    const older = month.filter((s) => now - Date.parse(s.created_at) > 24 * 3600e3 + 60e3);
    assert.ok(older.length > 0, 'the 30-day window has posts the 24-hour one left out');
    assert.ok(month.length <= 300, 'at most top_max_candidates are ranked');
    for (let i = 1; i < month.length; i++) {
      assert.ok(month[i - 1].partyline.score.value >= month[i].partyline.score.value, 'ranked by score');
    }
  });
});
