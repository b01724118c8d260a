// audience.test.mjs — a property test of who may see what.
//
// A seeded random world: ~12 users, random follows, each user's list of some people they
// follow, a public and a private channel with random members, random posts of every
// audience (some shared to a channel) with random mentions, replies to random posts the
// author can see, random favourites, then random unfollows and new follows. For every viewer
// (and a signed-out visitor) every read path is checked against an independent model of the
// rules (entities/Status#visibility, and ours in docs/api.md#audiences):
//   public, unlisted: everyone (unlisted is not on the public or hashtag timelines)
//   company: every signed-in user
//   private: the author, current followers, and mentioned users
//   list: the author, the people on the author's list now, and mentioned users
//   direct: the author and mentioned users
//   and before all of these, a post in the private channel: its author and members only
// Read paths: home, public and tag timelines, account statuses, GET status, context,
// notifications, favourited_by, search, catch-up, and the streaming API (user and public
// streams, live from the start; every user's channel streams, live from the channels' making:
// exactly the channel's posts, to those who may read it, and a private channel refused to
// the others).
//
// Repeat a run with AUDIENCE_SEED=<seed> (printed at the start and in every failure).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import {
  collectPages, mapLimit, MastoHttpError, mulberry32, raw, registerUser, restClient, startServer, uniqueName,
} from './harness.mjs';

const SEED = process.env.AUDIENCE_SEED ? Number(process.env.AUDIENCE_SEED) : Date.now() % 2 ** 31;
const N_USERS = 12;
const N_POSTS = 48;
const TAG = 'audtag';
const VIS = ['public', 'unlisted', 'private', 'direct', 'company', 'list'];
const CH = '/api/v1/partyline/channels';

const rand = mulberry32(SEED);
const chance = (p) => rand() < p;
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
function sample(arr, k) {
  const a = [...arr];
  const out = [];
  while (out.length < k && a.length) out.push(a.splice(Math.floor(rand() * a.length), 1)[0]);
  return out;
}

let server;
let url;
const users = []; // {i, id, username, client, token}
const lists = new Map(); // user index -> {id, members: Set of user indexes on it now}
const channels = []; // {id, private, members: Set of user indexes (static once made)}
let listsBefore = new Map(); // the lists while posts were written (phase 2 unfollows shrink them)
const streams = []; // {viewer (index or null), client, events: [], stream}
const channelStreams = []; // {viewer, channel, events: [], refused: {error, status} | null}
const sockets = []; // the channel streams' WebSockets
let follows = new Set(); // "a>b": user a follows user b (by index), as the server has it now
let followsBefore = new Set(); // the follows while posts were written
const touched = new Set(); // pairs unfollowed or followed in phase 2
const posts = []; // {i, id, author, visibility, mentions:Set, tag, replyTo}
const byId = new Map();
const favouriters = new Map(); // post id -> Set of user indexes
const seedNote = `[AUDIENCE_SEED=${SEED}]`;

/** The people on the author's list now (unfollowing takes someone off one's lists for good:
 *  following again does not put them back). */
function listNow(author, listMap = lists) {
  return listMap.get(author)?.members ?? new Set();
}

/** The model: may viewer (user index, or null for signed out) see post, given follows? */
function allowed(viewer, post, graph = follows, listMap = lists) {
  if (viewer !== null && viewer === post.author) return true;
  if (post.channel?.private && (viewer === null || !post.channel.members.has(viewer))) return false;
  if (post.visibility === 'public' || post.visibility === 'unlisted') return true;
  if (viewer === null) return false;
  if (post.visibility === 'company') return true;
  if (post.mentions.has(viewer)) return true;
  if (post.visibility === 'private') return graph.has(`${viewer}>${post.author}`);
  if (post.visibility === 'list') return listNow(post.author, listMap).has(viewer);
  return false; // direct, not mentioned
}

const label = (p) => `post#${p.i} (${p.visibility} by u${p.author}${p.channel ? (p.channel.private ? ' in the private channel' : ' in the public channel') : ''}${p.mentions.size ? ', mentions ' + [...p.mentions].map((m) => 'u' + m).join(',') : ''}${p.replyTo ? ', reply to post#' + p.replyTo.i : ''})`;
const who = (v) => (v === null ? 'signed-out visitor' : `u${v}`);

/** Calls fn; returns {ok: value} or {status} for an HTTP error. */
async function attempt(fn) {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (e instanceof MastoHttpError) return { status: e.statusCode, message: e.message };
    throw e;
  }
}

function clientOf(v) {
  return v === null ? restClient(url) : users[v].client;
}

async function setFollow(a, b, on) {
  const c = users[a].client.v1.accounts.$select(users[b].id);
  if (on) {
    const rel = await c.follow();
    assert.equal(rel.following, true, `${seedNote} u${a} follows u${b}`);
    follows.add(`${a}>${b}`);
  } else {
    const rel = await c.unfollow();
    assert.equal(rel.following, false, `${seedNote} u${a} unfollows u${b}`);
    follows.delete(`${a}>${b}`);
    lists.get(a)?.members.delete(b);
  }
}

before(async () => {
  console.log(`# audience seed: ${SEED} (repeat with AUDIENCE_SEED=${SEED})`);
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } });
  url = server.url;

  for (let i = 0; i < N_USERS; i++) {
    const u = await registerUser(url, uniqueName(`a${i}`));
    users.push({ i, id: u.account.id, username: u.username, client: u.client, token: u.token });
  }

  // Live streams from the start: each user's `user` stream and a signed-out `public` one
  // (public_read is on). They are checked last, against the rules as they were when each
  // event happened (the world's posts and favourites all come before phase 2).
  const listen = (viewer, token, name) => {
    const client = createStreamingAPIClient({
      streamingApiUrl: url, accessToken: token, implementation: WebSocket, retry: false,
    });
    const entry = { viewer, client, events: [], stream: name };
    (async () => {
      try {
        for await (const e of client[name].subscribe()) entry.events.push(e);
      } catch {
        // closed at the end
      }
    })();
    streams.push(entry);
  };
  for (const u of users) listen(u.i, u.token, 'user');
  listen(null, undefined, 'public');
  // A stream hears what happens after the server took its subscription. Until each has heard
  // something, an account outside the world follows each user again (a follow notification,
  // no status) and posts publicly in words the checks never look for.
  const probe = await registerUser(url, uniqueName('probe'));
  const probeIds = new Set();
  const live = (s) => s.events.some((e) => (e.event === 'notification' && e.payload?.account?.id === probe.account.id)
    || probeIds.has(e.payload?.id));
  const liveBy = Date.now() + 20000;
  for (let pending = streams; pending.length; pending = pending.filter((x) => !live(x))) {
    assert.ok(Date.now() < liveBy, `${seedNote} streams never became live`);
    for (const x of pending) {
      if (x.viewer === null) {
        probeIds.add((await probe.client.v1.statuses.create({ status: 'warming up', visibility: 'public' })).id);
      } else {
        await probe.client.v1.accounts.$select(users[x.viewer].id).unfollow();
        await probe.client.v1.accounts.$select(users[x.viewer].id).follow();
      }
    }
    await new Promise((r) => setTimeout(r, 100)); // the next look, not a guess: the loop checks
  }

  // Phase 1: follows.
  for (let a = 0; a < N_USERS; a++) for (let b = 0; b < N_USERS; b++) if (a !== b && chance(0.3)) await setFollow(a, b, true);
  followsBefore = new Set(follows);

  // Each user's list: some of the people they follow.
  for (const u of users) {
    const followed = users.map((x) => x.i).filter((b) => follows.has(`${u.i}>${b}`));
    const members = new Set(sample(followed, Math.floor(rand() * (followed.length + 1))));
    const l = await u.client.v1.lists.create({ title: `friends of u${u.i}` });
    if (members.size) await u.client.v1.lists.$select(l.id).accounts.create({ accountIds: [...members].map((m) => users[m].id) });
    lists.set(u.i, { id: l.id, members });
  }

  // A public and a private channel, owned by u0 and u1, with random members.
  for (const [owner, priv] of [[0, false], [1, true]]) {
    const r = await raw(url, CH, { method: 'POST', token: users[owner].token, json: { name: uniqueName('audch'), private: priv } });
    assert.equal(r.status, 200, `${seedNote} channel made: ${r.text}`);
    const ch = { id: r.json.id, private: priv, members: new Set([owner]) };
    for (const u of users) {
      if (u.i === owner || !chance(0.4)) continue;
      await raw(url, `${CH}/${ch.id}/join`, { method: 'POST', token: u.token });
      if (priv) await raw(url, `${CH}/${ch.id}/requests/${u.id}/authorize`, { method: 'POST', token: users[owner].token });
      ch.members.add(u.i);
    }
    channels.push(ch);
  }

  // Every user subscribes to both channels' streams on one WebSocket. Commands are answered in
  // order, so once the error for a deliberately unknown stream sent last has come, every
  // subscription is in place (or was refused, with its own error before it).
  await Promise.all(users.map(async (u) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/streaming`, u.token);
    sockets.push(ws);
    const mine = channels.map((ch) => ({ viewer: u.i, channel: ch, events: [], refused: null }));
    channelStreams.push(...mine);
    const errors = [];
    let marked;
    const markerSeen = new Promise((r) => { marked = r; });
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.error) {
        if (/Unknown stream type/.test(m.error)) marked();
        else errors.push(m);
        return;
      }
      const entry = mine.find((x) => Array.isArray(m.stream) && x.channel.id === m.stream[1]);
      if (!entry) return;
      entry.events.push({ event: m.event, payload: typeof m.payload === 'string' && m.event !== 'delete' ? JSON.parse(m.payload) : m.payload });
    });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    for (const x of mine) ws.send(JSON.stringify({ type: 'subscribe', stream: 'partyline:channel', channel: x.channel.id }));
    ws.send(JSON.stringify({ type: 'subscribe', stream: 'no-such-stream' }));
    await markerSeen;
    // at most one refusal (the private channel, for a non-member): errors come in command order
    for (const x of mine) if (x.channel.private && !x.channel.members.has(u.i)) x.refused = errors.shift() ?? null;
    assert.equal(errors.length, 0, `${seedNote} u${u.i}: unexpected stream errors ${JSON.stringify(errors)}`);
  }));

  // Posts, in order; replies only to posts the author can see now (and, in a channel, only
  // by its members: a reply stays in its thread's channel).
  for (let k = 0; k < N_POSTS; k++) {
    const author = Math.floor(rand() * N_USERS);
    const others = users.map((u) => u.i).filter((i) => i !== author);
    const mentions = new Set(sample(others, Math.floor(rand() * 3)));
    const tag = chance(0.4);
    const visible = posts.filter((p) => allowed(author, p) && (!p.channel || p.channel.members.has(author)));
    const replyTo = visible.length && chance(0.35) ? pick(visible) : null;
    const mine = channels.filter((c) => c.members.has(author));
    let channel = replyTo ? replyTo.channel : (mine.length && chance(0.3) ? pick(mine) : null);
    let visibility = channel ? pick(['public', 'unlisted', 'company', 'private']) : pick(VIS);
    if (channel && (channel.private || visibility === 'private')) visibility = 'company'; // what the server does
    // a reply to a company post never leaves the company (docs/api.md, "Preferences")
    if (replyTo && replyTo.visibility === 'company' && (visibility === 'public' || visibility === 'unlisted')) visibility = 'company';
    const text = `${[...mentions].map((m) => '@' + users[m].username).join(' ')} post ${k}${tag ? ' #' + TAG : ''}`.trim();
    const params = { status: text, visibility: visibility === 'list' ? `list:${lists.get(author).id}` : visibility };
    if (replyTo) params.inReplyToId = replyTo.id;
    else if (channel) params.channelId = channel.id;
    const s = await users[author].client.v1.statuses.create(params);
    assert.equal(s.partyline.audience, visibility, `${seedNote} the server kept the audience`);
    assert.equal(s.partyline.channel_id ?? s.partyline.channelId ?? null, channel ? channel.id : null, `${seedNote} the channel`);
    const got = new Set(s.mentions.map((m) => m.id));
    const want = new Set([...mentions].map((m) => users[m].id));
    assert.deepEqual(got, want, `${seedNote} the server resolved exactly the mentions in "${text}"`);
    const post = { i: k, id: s.id, author, visibility, mentions, tag, replyTo, channel };
    posts.push(post);
    byId.set(s.id, post);
    favouriters.set(s.id, new Set());
    channel = null;
  }

  listsBefore = new Map([...lists].map(([k, l]) => [k, { id: l.id, members: new Set(l.members) }]));

  // Favourites by users who can see the post.
  for (const p of posts) {
    for (const u of users) {
      if (u.i !== p.author && allowed(u.i, p) && chance(0.15)) {
        await u.client.v1.statuses.$select(p.id).favourite();
        favouriters.get(p.id).add(u.i);
      }
    }
  }

  // Phase 2: some unfollow, some follow anew (reads see the follows as they are now).
  for (const f of [...follows]) {
    if (chance(0.25)) {
      const [a, b] = f.split('>').map(Number);
      await setFollow(a, b, false);
      touched.add(f);
    }
  }
  for (let a = 0; a < N_USERS; a++) {
    for (let b = 0; b < N_USERS; b++) {
      if (a !== b && !follows.has(`${a}>${b}`) && chance(0.1)) {
        await setFollow(a, b, true);
        touched.add(`${a}>${b}`);
      }
    }
  }
});

after(async () => {
  for (const s of streams) s.client.close();
  for (const ws of sockets) ws.close();
  await server?.stop();
});

const viewers = () => [...users.map((u) => u.i), null];
const signedIn = () => users.map((u) => u.i);

function report(violations, what) {
  if (violations.length) {
    const shown = violations.slice(0, 25).join('\n  ');
    assert.fail(`${seedNote} ${what}: ${violations.length} violation(s)\n  ${shown}${violations.length > 25 ? '\n  …' : ''}`);
  }
}

/** Every status id in a list entry, including a boosted one. */
function statusesIn(list) {
  const out = [];
  for (const s of list) {
    out.push(s);
    if (s.reblog) out.push(s.reblog);
  }
  return out;
}

describe(`audience property ${seedNote}`, () => {
  test('the world was built', () => {
    assert.equal(users.length, N_USERS);
    assert.equal(posts.length, N_POSTS);
    const counts = Object.fromEntries(VIS.map((v) => [v, posts.filter((p) => p.visibility === v).length]));
    counts.channels = posts.filter((p) => p.channel).length;
    console.log(`# ${seedNote} posts by visibility: ${JSON.stringify(counts)}, follows now: ${follows.size}, before: ${followsBefore.size}`);
  });

  test('GET /api/v1/statuses/:id: 200 exactly when allowed, 404 otherwise', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      for (const p of posts) {
        const r = await attempt(() => clientOf(v).v1.statuses.$select(p.id).fetch());
        const ok = allowed(v, p);
        if (ok && !r.ok) violations.push(`${who(v)} should see ${label(p)} but got ${r.status} ${r.message}`);
        if (!ok && r.ok) violations.push(`${who(v)} must not see ${label(p)} but got it`);
        if (!ok && !r.ok && !(r.status === 404 || (v === null && r.status === 401))) violations.push(`${who(v)} on hidden ${label(p)}: expected 404, got ${r.status}`);
        if (r.ok && r.ok.id !== p.id) violations.push(`${who(v)} asked for ${label(p)}, got id ${r.ok.id}`);
      }
    });
    report(violations, 'GET status');
  });

  test('GET /api/v1/accounts/:id/statuses: exactly the allowed posts of the author', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      for (const author of users) {
        const list = await collectPages(clientOf(v).v1.accounts.$select(author.id).statuses.list({ limit: 40 }));
        const got = new Set(list.map((s) => s.id));
        for (const p of posts.filter((x) => x.author === author.i)) {
          if (allowed(v, p) && !got.has(p.id)) violations.push(`${who(v)}: u${author.i}'s statuses lack allowed ${label(p)}`);
          if (!allowed(v, p) && got.has(p.id)) violations.push(`${who(v)}: u${author.i}'s statuses show hidden ${label(p)}`);
        }
        for (const s of statusesIn(list)) if (!byId.has(s.id)) violations.push(`${who(v)}: unknown status ${s.id} in u${author.i}'s statuses`);
      }
    });
    report(violations, 'account statuses');
  });

  test('home timeline: only allowed posts; own posts and followees\' posts are there', async () => {
    const violations = [];
    await mapLimit(signedIn(), 4, async (v) => {
      const list = await collectPages(users[v].client.v1.timelines.home.list({ limit: 40 }));
      const got = new Set();
      for (const s of statusesIn(list)) {
        const p = byId.get(s.id);
        if (!p) {
          violations.push(`u${v}: unknown status ${s.id} in home`);
          continue;
        }
        got.add(p.id);
        if (!allowed(v, p)) violations.push(`u${v}: home shows hidden ${label(p)}`);
      }
      for (const p of posts) {
        const pair = `${v}>${p.author}`;
        const steady = followsBefore.has(pair) && follows.has(pair) && !touched.has(pair);
        const expected = p.author === v || (steady && allowed(v, p) && p.visibility !== 'direct' && !p.replyTo);
        if (expected && !got.has(p.id)) violations.push(`u${v}: home lacks ${label(p)}${p.author === v ? ' (own post)' : ' (followed throughout)'}`);
      }
    });
    report(violations, 'home timeline');
  });

  test('public timeline: public posts only (never unlisted, private, direct)', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      const list = await collectPages(clientOf(v).v1.timelines.public.list({ local: true, limit: 40 }));
      const got = new Set();
      for (const s of statusesIn(list)) {
        const p = byId.get(s.id);
        if (!p) continue; // reblogs are not in the model; none are made
        got.add(p.id);
        if (p.visibility !== 'public') violations.push(`${who(v)}: public timeline shows ${label(p)}`);
      }
      for (const p of posts) if (p.visibility === 'public' && !p.replyTo && !got.has(p.id)) violations.push(`${who(v)}: public timeline lacks ${label(p)}`);
    });
    report(violations, 'public timeline');
  });

  test(`tag timeline #${TAG}: public tagged posts only`, async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      const list = await collectPages(clientOf(v).v1.timelines.tag.$select(TAG).list({ limit: 40 }));
      const got = new Set();
      for (const s of statusesIn(list)) {
        const p = byId.get(s.id);
        if (!p) {
          violations.push(`${who(v)}: unknown status ${s.id} on the tag timeline`);
          continue;
        }
        got.add(p.id);
        if (p.visibility !== 'public' || !p.tag) violations.push(`${who(v)}: tag timeline shows ${label(p)}${p.tag ? '' : ' (untagged)'}`);
      }
      for (const p of posts) if (p.tag && p.visibility === 'public' && !p.replyTo && !got.has(p.id)) violations.push(`${who(v)}: tag timeline lacks ${label(p)}`);
    });
    report(violations, 'tag timeline');
  });

  test('context: 404 when the post is hidden; otherwise only allowed ancestors and descendants', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      for (const p of posts) {
        const r = await attempt(() => clientOf(v).v1.statuses.$select(p.id).context.fetch());
        if (!allowed(v, p)) {
          if (r.ok) violations.push(`${who(v)}: context of hidden ${label(p)} answered 200`);
          continue;
        }
        if (!r.ok) {
          violations.push(`${who(v)}: context of allowed ${label(p)} failed with ${r.status}`);
          continue;
        }
        const anc = new Set(r.ok.ancestors.map((s) => s.id));
        const desc = new Set(r.ok.descendants.map((s) => s.id));
        for (const s of [...r.ok.ancestors, ...r.ok.descendants]) {
          const q = byId.get(s.id);
          if (!q) violations.push(`${who(v)}: unknown status ${s.id} in the context of ${label(p)}`);
          else if (!allowed(v, q)) violations.push(`${who(v)}: context of ${label(p)} leaks ${label(q)}`);
        }
        if (p.replyTo && allowed(v, p.replyTo) && !anc.has(p.replyTo.id)) violations.push(`${who(v)}: context of ${label(p)} lacks its allowed parent ${label(p.replyTo)}`);
        for (const c of posts.filter((x) => x.replyTo === p)) {
          if (allowed(v, c) && !desc.has(c.id)) violations.push(`${who(v)}: context of ${label(p)} lacks its allowed reply ${label(c)}`);
        }
      }
    });
    report(violations, 'context');
  });

  test('favourited_by: 404 when hidden; otherwise exactly who favourited', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      for (const p of posts) {
        const r = await attempt(() => collectPages(clientOf(v).v1.statuses.$select(p.id).favouritedBy.list({ limit: 80 })));
        if (!allowed(v, p)) {
          if (r.ok) violations.push(`${who(v)}: favourited_by of hidden ${label(p)} answered 200`);
          continue;
        }
        if (!r.ok) {
          violations.push(`${who(v)}: favourited_by of allowed ${label(p)} failed with ${r.status}`);
          continue;
        }
        const got = new Set(r.ok.map((a) => a.id));
        const want = new Set([...favouriters.get(p.id)].map((i) => users[i].id));
        if (got.size !== want.size || [...want].some((id) => !got.has(id))) {
          violations.push(`${who(v)}: favourited_by of ${label(p)} is ${[...got].join(',')} instead of ${[...want].join(',')}`);
        }
      }
    });
    report(violations, 'favourited_by');
  });

  test('search: every status found is allowed; every allowed one is found', async () => {
    const violations = [];
    await mapLimit(viewers(), 4, async (v) => {
      const found = new Set();
      let maxId;
      for (let page = 0; page < 20; page++) {
        const r = await attempt(() => clientOf(v).v2.search.list({ q: 'post', type: 'statuses', limit: 40, maxId }));
        if (!r.ok) {
          violations.push(`${who(v)}: search failed with ${r.status} ${r.message}`);
          return;
        }
        const list = r.ok.statuses;
        if (!list.length) break;
        for (const st of list) {
          const p = byId.get(st.id);
          if (!p) violations.push(`${who(v)}: unknown status ${st.id} found`);
          else if (!allowed(v, p)) violations.push(`${who(v)}: search leaks ${label(p)}`);
          found.add(st.id);
        }
        maxId = list[list.length - 1].id;
      }
      // signed out, search finds public posts only (unlisted ones are not listed anywhere public)
      for (const p of posts) {
        const want = v === null ? p.visibility === 'public' && allowed(v, p) : allowed(v, p);
        if (want && !found.has(p.id)) violations.push(`${who(v)}: search lacks allowed ${label(p)}`);
      }
    });
    report(violations, 'search');
  });

  test('catch-up: every item is a status the viewer may see', async () => {
    const violations = [];
    const since = new Date(Date.now() - 6 * 3600 * 1000).toISOString();
    await mapLimit(signedIn(), 4, async (v) => {
      const r = await raw(url, `/api/v1/partyline/catchup?since=${encodeURIComponent(since)}`, { token: users[v].token });
      if (r.status !== 200) {
        violations.push(`u${v}: catch-up answered ${r.status} ${r.text}`);
        return;
      }
      for (const it of r.json.items) {
        const p = byId.get(it.status?.id);
        if (!p) violations.push(`u${v}: unknown status in a ${it.kind} catch-up item`);
        else if (!allowed(v, p)) violations.push(`u${v}: a ${it.kind} catch-up item leaks ${label(p)}`);
      }
    });
    report(violations, 'catch-up');
  });

  test('notifications: every status in them is allowed; mentions and favourites are all there', async () => {
    const violations = [];
    await mapLimit(signedIn(), 4, async (v) => {
      const list = await collectPages(users[v].client.v1.notifications.list({ limit: 80 }));
      const mentionIds = new Set();
      const favs = new Set();
      for (const n of list) {
        if (!n.status) continue;
        const p = byId.get(n.status.id);
        if (!p) {
          violations.push(`u${v}: unknown status ${n.status.id} in a ${n.type} notification`);
          continue;
        }
        if (!allowed(v, p)) violations.push(`u${v}: a ${n.type} notification leaks ${label(p)}`);
        if (n.type === 'mention') mentionIds.add(p.id);
        if (n.type === 'favourite') favs.add(`${p.id}:${n.account.id}`);
      }
      for (const p of posts) {
        if (p.author !== v && p.mentions.has(v) && allowed(v, p) && !mentionIds.has(p.id)) violations.push(`u${v}: no mention notification for ${label(p)}`);
        if (p.author === v) {
          for (const f of favouriters.get(p.id)) {
            if (!favs.has(`${p.id}:${users[f].id}`)) violations.push(`u${v}: no favourite notification from u${f} for ${label(p)}`);
          }
        }
      }
    });
    report(violations, 'notifications');
  });

  test('streaming: every status streamed was allowed when it was streamed', async () => {
    // sentinels, after everything the model holds: a direct message to every user and a
    // public post; events come in commit order, so once a stream has its sentinel it has
    // had every earlier event
    const others = users.filter((u) => u.i !== 0);
    const dm = await users[0].client.v1.statuses.create({
      status: `${others.map((u) => '@' + u.username).join(' ')} sentinel`, visibility: 'direct',
    });
    const pub = await users[0].client.v1.statuses.create({ status: 'public sentinel', visibility: 'public' });
    const deadline = Date.now() + 20000;
    for (const s of streams) {
      const want = s.viewer === null ? pub.id : dm.id;
      while (!s.events.some((e) => e.payload?.id === want)) {
        if (Date.now() > deadline) assert.fail(`${seedNote} ${who(s.viewer)}'s ${s.stream} stream never had its sentinel`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const violations = [];
    let checked = 0;
    for (const s of streams) {
      for (const e of s.events) {
        const st = e.event === 'notification' ? e.payload?.status : (e.event === 'update' || e.event === 'status.update') ? e.payload : null;
        if (!st) continue;
        for (const x of [st, st.reblog].filter(Boolean)) {
          const p = byId.get(x.id);
          if (!p) continue; // a sentinel
          checked++;
          if (!allowed(s.viewer, p, followsBefore, listsBefore)) violations.push(`${who(s.viewer)}: the ${s.stream} stream sent ${label(p)} in a ${e.event} event`);
          if (s.stream === 'public' && p.visibility !== 'public') violations.push(`${who(s.viewer)}: the public stream sent ${label(p)}`);
        }
      }
    }
    console.log(`# ${seedNote} streamed statuses checked: ${checked}; events per stream: ${streams.map((x) => x.events.length).join(",")}`);
    report(violations, 'streaming');
  });

  test('channel streams: exactly the channel\'s posts, to whoever may read the channel', async () => {
    const violations = [];
    // a private channel's stream is refused to a non-member (404, saying why)
    for (const s of channelStreams) {
      const outsider = s.channel.private && !s.channel.members.has(s.viewer);
      if (outsider && (!s.refused || s.refused.status !== 404 || !/private/i.test(s.refused.error)))
        violations.push(`u${s.viewer}: the private channel's stream was not refused with 404 (${JSON.stringify(s.refused)})`);
      if (!outsider && s.refused) violations.push(`u${s.viewer}: refused ${JSON.stringify(s.refused)}`);
    }
    // sentinels: one post per channel by its owner, after everything the model holds
    const sentinels = new Map();
    for (const [owner, ch] of [[0, channels[0]], [1, channels[1]]]) {
      const st = await users[owner].client.v1.statuses.create({ status: 'channel sentinel', channelId: ch.id });
      sentinels.set(ch.id, st.id);
    }
    const live = channelStreams.filter((s) => !s.refused);
    const deadline = Date.now() + 20000;
    for (const s of live) {
      while (!s.events.some((e) => e.payload?.id === sentinels.get(s.channel.id))) {
        if (Date.now() > deadline) assert.fail(`${seedNote} u${s.viewer}'s channel stream never had its sentinel`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    let checked = 0;
    for (const s of live) {
      const where = s.channel.private ? 'private' : 'public';
      const heard = new Set();
      for (const e of s.events) {
        if (e.event !== 'update' && e.event !== 'status.update') continue;
        const p = byId.get(e.payload?.id);
        if (!p) continue; // a sentinel
        checked++;
        heard.add(p.id);
        if (p.channel !== s.channel) violations.push(`u${s.viewer}: the ${where} channel's stream sent ${label(p)}`);
        if (!allowed(s.viewer, p, followsBefore, listsBefore)) violations.push(`u${s.viewer}: the ${where} channel's stream sent hidden ${label(p)}`);
      }
      // nobody in this world mutes or blocks: every post of the channel comes
      for (const p of posts)
        if (p.channel === s.channel && !heard.has(p.id)) violations.push(`u${s.viewer}: the ${where} channel's stream missed ${label(p)}`);
    }
    console.log(`# ${seedNote} channel-streamed statuses checked: ${checked} on ${live.length} streams`);
    report(violations, 'channel streaming');
  });
});
