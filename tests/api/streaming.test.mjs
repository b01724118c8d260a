// streaming.test.mjs — the streaming API (docs.joinmastodon.org/methods/streaming): WebSocket
// subscriptions through masto.js's streaming client, server-sent events read with fetch, who
// hears what (a follower hears a post; nobody hears what they may not see), notifications,
// deletes, edits, public and hashtag streams, a client that never reads is dropped while the
// others go on, limits, and two nodes on one PostgreSQL.
//
// Absence is proved without sleeping: a later sentinel post the subscriber does hear arrives
// after everything committed before it (events are delivered in commit order).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import {
  appToken, createApp, oauthClient, passwordLogin, dropDatabase, makeDatabase, raw, registerUser, registerUsers, startServer,
  uniqueName,
  METRICS_TOKEN,
  collectEvents,
} from './harness.mjs';

const DEADLINE = 10000;
const onPostgres = Boolean(process.env.PARTYLINE_TEST_DATABASE);

const collect = (subscription) => collectEvents(subscription, DEADLINE);

function streamingClient(url, token) {
  return createStreamingAPIClient({
    streamingApiUrl: url,
    accessToken: token,
    implementation: WebSocket,
    retry: false,
  });
}

const isUpdate = (id) => (e) => e.event === 'update' && e.payload?.id === id;

/**
 * Posts (as poster) until the collector hears one of the posts: the subscription is live from
 * then on (the server took the subscribe message before that post committed).
 */
async function warmUp(poster, col, params = {}) {
  const end = Date.now() + DEADLINE;
  const ids = [];
  for (let i = 0; ; i++) {
    const s = await poster.client.v1.statuses.create({ status: `warm-up ${i} ${params.tag ? `#${params.tag}` : ''}`, visibility: 'public' });
    ids.push(s.id);
    const got = await col.waitFor((e) => e.event === 'update' && ids.includes(e.payload?.id), 'warm-up', 300).catch(() => null);
    if (got) return;
    if (Date.now() > end) assert.fail('the subscription never became live');
  }
}

/** Reads an SSE response with fetch; returns {lines, waitFor(pred), close()}. */
async function sse(url, pathname, token) {
  const ac = new AbortController();
  const res = await fetch(`${url}${pathname}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: ac.signal,
  });
  const state = { status: res.status, type: res.headers.get('content-type'), text: '', messages: [], done: false };
  if (res.status !== 200) {
    state.text = await res.text();
    return state;
  }
  (async () => {
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        state.text += dec.decode(chunk, { stream: true });
        let i;
        while ((i = state.text.indexOf('\n\n')) >= 0) {
          const block = state.text.slice(0, i);
          state.text = state.text.slice(i + 2);
          const ev = block.match(/^event: (.*)$/m);
          const data = block.match(/^data: (.*)$/m);
          if (ev && data) state.messages.push({ event: ev[1], data: data[1] });
          else state.messages.push({ comment: block });
        }
      }
    } catch {
      // aborted
    }
    state.done = true;
  })();
  state.waitFor = async (pred, what) => {
    const end = Date.now() + DEADLINE;
    for (;;) {
      const hit = state.messages.find(pred);
      if (hit) return hit;
      if (state.done || Date.now() > end) assert.fail(`no ${what} on the SSE stream`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  state.close = () => ac.abort();
  return state;
}

/** The server process's resident memory in KiB (Linux), or 0 when it cannot be read. */
function rssKiB(server) {
  try {
    const m = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function metric(server, name) {
  const text = (await raw(server.url, '/metrics', { token: METRICS_TOKEN })).text;
  const m = text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

describe('streaming', () => {
  let server;
  before(async () => {
    server = await startServer({
      env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_STREAM_MAX_PER_ACCOUNT: '3', PARTYLINE_STREAM_MAX_BUFFER: '65536', PARTYLINE_STREAM_MAX_MESSAGE: '16384' },
    });
  });
  after(async () => {
    await server?.stop();
  });

  test('GET /api/v1/streaming/health answers OK', async () => {
    const r = await raw(server.url, '/api/v1/streaming/health');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'OK');
  });

  test('the instance names the stream\'s base URL, and masto.js finds the stream there (issue 11 item 2)', async () => {
    const [alice] = await registerUsers(server.url, ['su']);
    const v2 = await alice.client.v2.instance.fetch();
    const want = server.url.replace(/^http/, 'ws');
    assert.equal(v2.configuration.urls.streaming, want);
    const v1 = await alice.client.v1.instance.fetch();
    assert.equal(v1.urls.streamingApi, want);
    // as an app does: the streaming client on the URL the instance gave
    const streaming = streamingClient(v2.configuration.urls.streaming, alice.token);
    try {
      const col = collect(streaming.user.subscribe());
      await warmUp(alice, col);
    } finally {
      streaming.close();
    }
  });

  test('behind https, the stream is wss:// on the same host', async () => {
    const behind = await startServer({ env: { PARTYLINE_BASE_URL: 'https://social.example.com/' } });
    try {
      const v1 = await raw(behind.url, '/api/v1/instance');
      assert.equal(v1.json.urls.streaming_api, 'wss://social.example.com');
      const v2 = await raw(behind.url, '/api/v2/instance');
      assert.equal(v2.json.configuration.urls.streaming, 'wss://social.example.com');
    } finally {
      await behind.stop();
    }
  });

  test('user stream: a followed person\'s post, notifications, edits and deletes; nothing one may not see', async () => {
    const [alice, bob, carol] = await registerUsers(server.url, ['sa', 'sb', 'sc']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    await carol.client.v1.accounts.$select(bob.account.id).follow(); // carol follows bob, not the reverse
    const streaming = streamingClient(server.url, bob.token);
    try {
      const col = collect(streaming.user.subscribe());
      await warmUp(bob, col); // own posts are in one's home

      const post = await alice.client.v1.statuses.create({ status: 'hello followers', visibility: 'public' });
      const got = await col.waitFor(isUpdate(post.id), "the followed person's post");
      assert.equal(got.payload.account.id, alice.account.id);
      assert.deepEqual(got.stream, ['user']);

      // never heard: a followers-only post of someone bob does not follow, a direct message
      // to someone else, an unfollowed person's public post (not in home)
      const hidden = await carol.client.v1.statuses.create({ status: 'followers only', visibility: 'private' });
      const dm = await alice.client.v1.statuses.create({ status: `@${carol.username} just us`, visibility: 'direct' });
      const notHome = await carol.client.v1.statuses.create({ status: 'public, but bob does not follow me', visibility: 'public' });
      const sentinel = await alice.client.v1.statuses.create({ status: 'sentinel', visibility: 'public' });
      await col.waitFor(isUpdate(sentinel.id), 'the sentinel');
      for (const id of [hidden.id, dm.id, notHome.id])
        assert.ok(!col.events.some((e) => e.payload?.id === id || e.payload === id), `status ${id} was not streamed`);

      // a direct message to bob reaches him
      const dmBob = await alice.client.v1.statuses.create({ status: `@${bob.username} psst`, visibility: 'direct' });
      await col.waitFor(isUpdate(dmBob.id), 'a direct message addressed to bob');

      // a notification when carol favourites bob's post
      const mine = await bob.client.v1.statuses.create({ status: 'like me', visibility: 'public' });
      await carol.client.v1.statuses.$select(mine.id).favourite();
      const n = await col.waitFor((e) => e.event === 'notification' && e.payload?.type === 'favourite', 'the favourite notification');
      assert.equal(n.payload.account.id, carol.account.id);
      assert.equal(n.payload.status.id, mine.id);

      // an edit is status.update, a delete is delete with the id
      await alice.client.v1.statuses.$select(post.id).update({ status: 'hello followers (edited)' });
      const upd = await col.waitFor((e) => e.event === 'status.update' && e.payload?.id === post.id, 'status.update');
      assert.match(upd.payload.content, /edited/);
      await alice.client.v1.statuses.$select(post.id).remove();
      await col.waitFor((e) => e.event === 'delete' && e.payload === post.id, 'the delete event');
    } finally {
      streaming.close();
    }
  });

  test('user stream: a channel\'s posts reach its members; a private channel\'s reach nobody else', async () => {
    const [owner, member, follower] = await registerUsers(server.url, ['co', 'cm', 'cf']);
    await follower.client.v1.accounts.$select(owner.account.id).follow(); // follows the author only
    const CH = '/api/v1/partyline/channels';
    const ch = (await raw(server.url, CH, { method: 'POST', token: owner.token, json: { name: uniqueName('sch'), private: true } })).json;
    await raw(server.url, `${CH}/${ch.id}/join`, { method: 'POST', token: member.token });
    await raw(server.url, `${CH}/${ch.id}/requests/${member.account.id}/authorize`, { method: 'POST', token: owner.token });
    const sm = streamingClient(server.url, member.token);
    const sf = streamingClient(server.url, follower.token);
    try {
      const cm = collect(sm.user.subscribe());
      const cf = collect(sf.user.subscribe());
      await warmUp(member, cm);
      await warmUp(follower, cf);
      const secret = await owner.client.v1.statuses.create({ status: 'members only', channelId: ch.id });
      await cm.waitFor(isUpdate(secret.id), 'the channel post, for a member who does not follow its author');
      const sentinel = await owner.client.v1.statuses.create({ status: 'sentinel', visibility: 'public' });
      await cf.waitFor(isUpdate(sentinel.id), 'the sentinel');
      assert.ok(!cf.events.some((e) => e.payload?.id === secret.id), 'a follower outside the channel never hears it');
    } finally {
      sm.close();
      sf.close();
    }
  });

  test('a delete reaches only those who could see the post (list, channel, followers-only, direct)', async () => {
    const [alice, inList, follower, outsider, member] = await registerUsers(server.url, ['dla', 'dli', 'dlf', 'dlo', 'dlm']);
    for (const p of [inList, follower, member]) await p.client.v1.accounts.$select(alice.account.id).follow();
    await alice.client.v1.accounts.$select(inList.account.id).follow(); // a list holds people one follows
    const list = await alice.client.v1.lists.create({ title: 'inner circle' });
    await alice.client.v1.lists.$select(list.id).accounts.create({ accountIds: [inList.account.id] });
    const CH = '/api/v1/partyline/channels';
    const ch = (await raw(server.url, CH, { method: 'POST', token: alice.token, json: { name: uniqueName('dch'), private: true } })).json;
    await raw(server.url, `${CH}/${ch.id}/join`, { method: 'POST', token: member.token });
    await raw(server.url, `${CH}/${ch.id}/requests/${member.account.id}/authorize`, { method: 'POST', token: alice.token });
    const post = async (json) => {
      const r = await raw(server.url, '/api/v1/statuses', { method: 'POST', token: alice.token, json });
      assert.equal(r.status, 200, r.text);
      return r.json.id;
    };
    const clients = [inList, follower, outsider, member].map((p) => streamingClient(server.url, p.token));
    try {
      const [cIn, cFollower, cOutPublic, cMember] = [
        collect(clients[0].user.subscribe()), collect(clients[1].user.subscribe()),
        collect(clients[2].public.subscribe()), collect(clients[3].user.subscribe()),
      ];
      await warmUp(inList, cIn);
      await warmUp(follower, cFollower);
      await warmUp(outsider, cOutPublic);
      await warmUp(member, cMember);
      const forList = await post({ status: 'for my list', visibility: `list:${list.id}` });
      const inChannel = await post({ status: 'in the private channel', visibility: 'public', channel_id: ch.id });
      const followersOnly = await post({ status: 'followers only', visibility: 'private' });
      const direct = await post({ status: `@${inList.username} just us`, visibility: 'direct' });
      for (const id of [forList, inChannel, followersOnly, direct])
        assert.equal((await raw(server.url, `/api/v1/statuses/${id}`, { method: 'DELETE', token: alice.token })).status, 200);
      const sentinel = await alice.client.v1.statuses.create({ status: 'sentinel', visibility: 'public' });
      const deleted = (col, id) => col.events.some((e) => e.event === 'delete' && e.payload === id);
      // those who could see each post hear of its deletion
      await cIn.waitFor((e) => e.event === 'delete' && e.payload === forList, 'the list post\'s delete, on a list member\'s stream');
      await cIn.waitFor((e) => e.event === 'delete' && e.payload === direct, 'the direct post\'s delete, for the one it mentions');
      await cFollower.waitFor((e) => e.event === 'delete' && e.payload === followersOnly, 'the followers-only post\'s delete, for a follower');
      await cMember.waitFor((e) => e.event === 'delete' && e.payload === inChannel, 'the channel post\'s delete, for a member');
      for (const col of [cIn, cFollower, cMember]) await col.waitFor(isUpdate(sentinel.id), 'the sentinel');
      await cOutPublic.waitFor(isUpdate(sentinel.id), 'the sentinel on the public stream');
      // nobody else hears even the id
      assert.ok(!deleted(cFollower, forList), 'a follower not on the list hears nothing of the list post');
      assert.ok(!deleted(cFollower, inChannel), 'a follower outside the private channel hears nothing of its post');
      assert.ok(!deleted(cFollower, direct), 'a follower hears nothing of a direct post to someone else');
      for (const id of [forList, inChannel, followersOnly, direct])
        assert.ok(!deleted(cOutPublic, id), `the public stream hears nothing of ${id}`);
      assert.ok(!deleted(cMember, forList), 'a channel member not on the list hears nothing of the list post');
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('a mentioned account the author has since blocked hears nothing of the post\'s deletion', async () => {
    // audience_can_see: nobody the author blocks sees the post, mentioned or not, so nobody the
    // author blocks is told its id when it goes (the delete event for a mentioned account).
    const [alice, bob, carol, dave] = await registerUsers(server.url, ['dba', 'dbb', 'dbc', 'dbd']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    await bob.client.v1.accounts.$select(dave.account.id).follow(); // dave posts bob's sentinel
    const post = async (json) => {
      const r = await raw(server.url, '/api/v1/statuses', { method: 'POST', token: alice.token, json });
      assert.equal(r.status, 200, r.text);
      return r.json.id;
    };
    const direct = await post({ status: `@${bob.username} @${carol.username} just us`, visibility: 'direct' });
    const followersOnly = await post({ status: `@${bob.username} @${carol.username} followers`, visibility: 'private' });
    const clients = [bob, carol].map((p) => streamingClient(server.url, p.token));
    try {
      const [cBobUser, cBobDirect, cCarol] = [
        collect(clients[0].user.subscribe()), collect(clients[0].direct.subscribe()), collect(clients[1].direct.subscribe()),
      ];
      await warmUp(dave, cBobUser);
      const blocked = await raw(server.url, `/api/v1/accounts/${bob.account.id}/block`, { method: 'POST', token: alice.token });
      assert.equal(blocked.status, 200, blocked.text);
      for (const id of [direct, followersOnly])
        assert.equal((await raw(server.url, `/api/v1/statuses/${id}`, { method: 'DELETE', token: alice.token })).status, 200);
      // carol, mentioned and not blocked, hears of the direct one (the control)
      await cCarol.waitFor((e) => e.event === 'delete' && e.payload === direct, 'the direct post\'s delete, for carol');
      const sentinel = await dave.client.v1.statuses.create({ status: `@${bob.username} sentinel`, visibility: 'direct' });
      await cBobUser.waitFor(isUpdate(sentinel.id), 'the sentinel on bob\'s user stream');
      await cBobDirect.waitFor(isUpdate(sentinel.id), 'the sentinel on bob\'s direct stream');
      for (const col of [cBobUser, cBobDirect])
        for (const id of [direct, followersOnly])
          assert.ok(!col.events.some((e) => e.event === 'delete' && e.payload === id), `bob, blocked by the author, hears nothing of ${id}`);
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('direct stream: a direct message arrives as update and conversation events for its people only', async () => {
    const [alice, bob, carol] = await registerUsers(server.url, ['da', 'db', 'dc']);
    const sb = streamingClient(server.url, bob.token);
    const sc = streamingClient(server.url, carol.token);
    try {
      const cb = collect(sb.direct.subscribe());
      const cc = collect(sc.direct.subscribe());
      // live once a direct message to each has come through
      const end = Date.now() + DEADLINE;
      for (let i = 0; ; i++) {
        const w = await alice.client.v1.statuses.create({ status: `@${bob.username} @${carol.username} hi ${i}`, visibility: 'direct' });
        const b = await cb.waitFor(isUpdate(w.id), 'warm-up', 300).catch(() => null);
        const c = await cc.waitFor(isUpdate(w.id), 'warm-up', 300).catch(() => null);
        if (b && c) break;
        if (Date.now() > end) assert.fail('the direct subscriptions never became live');
      }
      const dm = await alice.client.v1.statuses.create({ status: `@${bob.username} just for you`, visibility: 'direct' });
      const conv = await cb.waitFor((e) => e.event === 'conversation' && e.payload?.lastStatus?.id === dm.id, 'the conversation event');
      assert.equal(conv.payload.unread, true);
      assert.deepEqual(conv.payload.accounts.map((a) => a.id), [alice.account.id]);
      const sentinel = await alice.client.v1.statuses.create({ status: `@${carol.username} sentinel`, visibility: 'direct' });
      await cc.waitFor(isUpdate(sentinel.id), 'the sentinel');
      assert.ok(!cc.events.some((e) => e.payload?.id === dm.id || e.payload?.lastStatus?.id === dm.id), 'carol never hears of it');
    } finally {
      sb.close();
      sc.close();
    }
  });

  test('list stream: a list hears its channels, hashtags and keywords, not just its people', async () => {
    const [owner, poster] = await registerUsers(server.url, ['lo', 'lp']);
    const list = await owner.client.v1.lists.create({ title: 'interests' });
    await raw(server.url, `/api/v1/partyline/lists/${list.id}/sources`, {
      method: 'POST', token: owner.token, json: { tags: ['bikes'], keywords: ['chain grease'] },
    });
    const so = streamingClient(server.url, owner.token);
    try {
      const col = collect(so.list.subscribe({ list: list.id }));
      // live once a tagged post has come through
      const end = Date.now() + DEADLINE;
      for (let i = 0; ; i++) {
        const w = await poster.client.v1.statuses.create({ status: `warm-up ${i} #bikes` });
        if (await col.waitFor(isUpdate(w.id), 'warm-up', 300).catch(() => null)) break;
        if (Date.now() > end) assert.fail('the list subscription never became live');
      }
      const kw = await poster.client.v1.statuses.create({ status: 'Which Chain Grease do you use?' });
      await col.waitFor(isUpdate(kw.id), 'a post with the keyword');
      const not = await poster.client.v1.statuses.create({ status: 'grease for the chain' });
      const sentinel = await poster.client.v1.statuses.create({ status: 'sentinel #bikes' });
      await col.waitFor(isUpdate(sentinel.id), 'the sentinel');
      assert.ok(!col.events.some((e) => e.payload?.id === not.id), 'the words out of order are not the keyword');
    } finally {
      so.close();
    }
  });

  test('public and hashtag streams; an unlisted post is in neither', async () => {
    const [alice, dave] = await registerUsers(server.url, ['pa', 'pd']);
    const tag = uniqueName('tag').replace(/_/g, '');
    const streaming = streamingClient(server.url, dave.token);
    try {
      const pub = collect(streaming.public.subscribe());
      const tagged = collect(streaming.hashtag.subscribe({ tag }));
      await warmUp(alice, pub);
      await warmUp(alice, tagged, { tag });
      const unlisted = await alice.client.v1.statuses.create({ status: `quiet #${tag}`, visibility: 'unlisted' });
      const post = await alice.client.v1.statuses.create({ status: `loud #${tag}`, visibility: 'public' });
      const p = await pub.waitFor(isUpdate(post.id), 'the public post on public');
      assert.deepEqual(p.stream, ['public']);
      const t = await tagged.waitFor(isUpdate(post.id), 'the tagged post on hashtag');
      assert.deepEqual(t.stream, ['hashtag', tag]);
      assert.ok(!pub.events.some((e) => e.payload?.id === unlisted.id), 'unlisted is not public');
      assert.ok(!tagged.events.some((e) => e.payload?.id === unlisted.id), 'unlisted is not on the tag');
    } finally {
      streaming.close();
    }
  });

  test('revoking a token ends the streams opened with it, and only those', async () => {
    const [alice, bob] = await registerUsers(server.url, ['ra', 'rb']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const second = await passwordLogin(server.url, bob.app, bob.email); // another token of bob's
    const doomed = await sse(server.url, '/api/v1/streaming/user', second.accessToken);
    const kept = await sse(server.url, '/api/v1/streaming/user', bob.token);
    try {
      assert.equal(doomed.status, 200);
      // both live: each has heard a post
      const end = Date.now() + DEADLINE;
      for (let live = false; !live;) {
        const p = await alice.client.v1.statuses.create({ status: 'are you there?', visibility: 'public' });
        const heard = (x) => x.waitFor((m) => m.event === 'update' && JSON.parse(m.data).id === p.id, 'warm-up').catch(() => null);
        live = Boolean((await heard(doomed)) && (await heard(kept)));
        assert.ok(live || Date.now() < end, 'both streams became live');
      }
      await oauthClient(server.url).revoke({ clientId: bob.app.clientId, clientSecret: bob.app.clientSecret, token: second.accessToken });
      const closeBy = Date.now() + DEADLINE;
      while (!doomed.done) {
        assert.ok(Date.now() < closeBy, 'the stream of the revoked token ended');
        await new Promise((r) => setTimeout(r, 50));
      }
      const after = await alice.client.v1.statuses.create({ status: 'still here?', visibility: 'public' });
      await kept.waitFor((m) => m.event === 'update' && JSON.parse(m.data).id === after.id, 'a post on the other token\'s stream');
    } finally {
      doomed.close();
      kept.close();
    }
  });

  test('server-sent events: /api/v1/streaming/user read with fetch', async () => {
    const [alice, bob] = await registerUsers(server.url, ['ea', 'eb']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const s = await sse(server.url, '/api/v1/streaming/user', bob.token);
    try {
      assert.equal(s.status, 200);
      assert.match(s.type, /text\/event-stream/);
      const end = Date.now() + DEADLINE;
      let heard = null;
      while (!heard) {
        const post = await alice.client.v1.statuses.create({ status: 'over SSE', visibility: 'public' });
        heard = await s.waitFor((m) => m.event === 'update' && JSON.parse(m.data).id === post.id, 'the post').catch(() => null);
        assert.ok(heard || Date.now() < end, 'the post arrived over SSE');
      }
      assert.equal(JSON.parse(heard.data).account.id, alice.account.id);
      assert.ok(s.messages.length > 0);
    } finally {
      s.close();
    }
  });

  test('refusals: no token, a bad token, an unknown stream, a list of someone else, scopes, too many', async () => {
    const [alice, bob] = await registerUsers(server.url, ['ra', 'rb']);
    let r = await sse(server.url, '/api/v1/streaming/user');
    assert.equal(r.status, 401);
    assert.match(JSON.parse(r.text).error, /token/i);
    r = await sse(server.url, '/api/v1/streaming/public');
    assert.equal(r.status, 401, 'public streams need a token unless public_read is on');
    r = await sse(server.url, '/api/v1/streaming/user', 'not-a-token');
    assert.equal(r.status, 401);
    r = await sse(server.url, '/api/v1/streaming/nonsense', bob.token);
    assert.equal(r.status, 422);
    assert.match(JSON.parse(r.text).error, /stream/i);
    r = await sse(server.url, '/api/v1/streaming/hashtag', bob.token);
    assert.equal(r.status, 422, 'hashtag needs a tag');
    const list = await alice.client.v1.lists.create({ title: 'mine' });
    r = await sse(server.url, `/api/v1/streaming/list?list=${list.id}`, bob.token);
    assert.equal(r.status, 404, "another person's list is not found");
    // an app token with write only may not read
    const app = await createApp(server.url, { scopes: 'read write' });
    const wt = await appToken(server.url, app, 'write');
    const writeOnly = wt.accessToken ?? wt;
    r = await sse(server.url, '/api/v1/streaming/public', writeOnly);
    assert.equal(r.status, 403);
    // stream_max_per_account = 3: the fourth is refused while three are open
    const open = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = await sse(server.url, '/api/v1/streaming/user', alice.token);
        open.push(s);
        assert.equal(s.status, 200);
      }
      r = await sse(server.url, '/api/v1/streaming/user', alice.token);
      assert.equal(r.status, 429);
      assert.match(JSON.parse(r.text).error, /too many streaming connections/i);
    } finally {
      for (const s of open) s.close();
    }
    // and once they are closed, there is room again (closing is noticed at the next write)
    const end = Date.now() + DEADLINE;
    for (;;) {
      const s = await sse(server.url, '/api/v1/streaming/user', alice.token);
      if (s.status === 200) {
        s.close();
        break;
      }
      assert.ok(Date.now() < end, 'closed streams give their places back');
      await alice.client.v1.statuses.create({ status: 'wakes my streams', visibility: 'private' });
    }
  });

  test('a client that never reads is dropped; the others keep receiving', async () => {
    const [alice, reader, slow] = await registerUsers(server.url, ['da', 'dr', 'ds']);
    const streaming = streamingClient(server.url, reader.token);
    // the slow client: a raw socket that asks for the public stream and then stops reading
    const sock = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(`GET /api/v1/streaming/public HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${slow.token}\r\n\r\n`);
    await new Promise((r) => sock.once('data', r));
    sock.pause();
    let closed = false;
    sock.on('close', () => { closed = true; });
    try {
      const col = collect(streaming.public.subscribe());
      await warmUp(alice, col);
      const before = await metric(server, 'partyline_streaming_clients_dropped_total');
      const big = 'x'.repeat(4900);
      const end = Date.now() + 4 * DEADLINE;
      let last;
      while ((await metric(server, 'partyline_streaming_clients_dropped_total')) === before) {
        assert.ok(Date.now() < end, 'the slow client was dropped');
        const batch = await Promise.all(Array.from({ length: 10 }, () =>
          alice.client.v1.statuses.create({ status: big, visibility: 'public' })));
        last = batch.at(-1);
      }
      const after1 = await alice.client.v1.statuses.create({ status: 'after the drop', visibility: 'public' });
      await col.waitFor(isUpdate(last.id), 'the last big post, on the reader who reads');
      await col.waitFor(isUpdate(after1.id), 'a post after the drop');
      sock.resume(); // its socket was cut: reading now finds the end
      const until = Date.now() + DEADLINE;
      while (!closed && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      assert.ok(closed, 'the slow connection was closed by the server');
    } finally {
      sock.destroy();
      streaming.close();
    }
  });

  test('a WebSocket message over stream_max_message is refused with close code 1009; the server goes on', async () => {
    const [alice, bob] = await registerUsers(server.url, ['big', 'bib']);
    /** Opens a raw WebSocket as alice, sends one text message of `bytes`, resolves to the close code. */
    const sendOne = async (bytes) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/streaming`, { headers: { authorization: `Bearer ${alice.token}` } });
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => {}); // the server may stop reading in the middle of the message
      ws.send(Buffer.alloc(bytes, 'a'), { binary: false });
      const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r('not closed within the deadline'), DEADLINE))]);
      ws.terminate();
      return code;
    };
    // just over the limit in this server (16 KiB): the server read it all, and says why
    assert.equal(await sendOne(20 * 1024), 1009, 'closed as "message too big"');
    // 64 MiB: refused without holding it (the close may be cut short by the unread rest,
    // 1006 on this side), and the server's memory does not grow by the message's size
    const rssBefore = rssKiB(server);
    assert.ok([1006, 1009].includes(await sendOne(64 * 1024 * 1024)), 'the connection was closed');
    if (rssBefore) {
      const grown = rssKiB(server) - rssBefore;
      assert.ok(grown < 32 * 1024, `the server's memory grew by ${grown} KiB for a message it refused`);
    }
    // the server goes on: a subscription on another connection hears posts
    const streaming = streamingClient(server.url, bob.token);
    try {
      const col = collect(streaming.public.subscribe());
      await warmUp(alice, col);
    } finally {
      streaming.close();
    }
  });

  test('metrics count streaming connections and delivered events', async () => {
    const [alice] = await registerUsers(server.url, ['ma']);
    const s = await sse(server.url, '/api/v1/streaming/user', alice.token);
    try {
      assert.ok((await metric(server, 'partyline_streaming_connections')) >= 1);
      const before = await metric(server, 'partyline_streaming_events_delivered_total');
      const post = await alice.client.v1.statuses.create({ status: 'count me', visibility: 'public' });
      await s.waitFor((m) => m.event === 'update' && JSON.parse(m.data).id === post.id, 'own post');
      assert.ok((await metric(server, 'partyline_streaming_events_delivered_total')) > before);
    } finally {
      s.close();
    }
  });
});

describe('streaming across two nodes on one PostgreSQL', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    a = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '1' } });
    b = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '2' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await dropDatabase(db);
  });

  test('a post made on node B reaches a stream on node A, once', async () => {
    const alice = await registerUser(b.url, uniqueName('xa'));
    const bob = await registerUser(a.url, uniqueName('xb'));
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const streaming = streamingClient(a.url, bob.token);
    try {
      const col = collect(streaming.user.subscribe());
      await warmUp(bob, col);
      const post = await alice.client.v1.statuses.create({ status: 'from node B', visibility: 'public' });
      await col.waitFor(isUpdate(post.id), 'the post from node B on node A');
      const sentinel = await bob.client.v1.statuses.create({ status: 'sentinel on A', visibility: 'public' });
      await col.waitFor(isUpdate(sentinel.id), 'the sentinel');
      assert.equal(col.events.filter(isUpdate(post.id)).length, 1, 'heard once');
    } finally {
      streaming.close();
    }
  });
});
