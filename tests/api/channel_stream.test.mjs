// channel_stream.test.mjs — our channel stream ("partyline:channel", docs/api.md, Channels:
// Streaming) over a real WebSocket (the `ws` package) and as server-sent events: whoever may
// read a channel's timeline hears its posts, edits and deletes live; a private channel's
// stream is its members'; a post removed by a moderator, an author who blocks the reader, an
// author the reader mutes, a post elsewhere, and a private channel the reader left never
// stream. Runs on SQLite and on PostgreSQL (make test-api, make test-api-pg).
//
// Absence is proved without sleeping: a later sentinel the subscriber does hear arrives after
// everything committed before it (events are delivered in commit order). A subscription is
// known to be live without posting anything: the socket answers its commands in order, so
// the error for a deliberately unknown stream sent after the subscribe comes once the
// subscription is in place.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import WebSocket from 'ws';

import { raw, registerUsers, startServer, uniqueName } from './harness.mjs';

const DEADLINE = 10000;
const CH = '/api/v1/partyline/channels';
const STREAM = 'partyline:channel';

/** A WebSocket to /api/v1/streaming with the token as its subprotocol; messages as they come. */
async function socket(url, token) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/streaming`, token);
  const messages = [];
  let wake = () => {};
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (typeof m.payload === 'string' && m.event !== 'delete') m.payload = JSON.parse(m.payload);
    messages.push(m);
    wake();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const s = {
    messages,
    send: (obj) => ws.send(JSON.stringify(obj)),
    async waitFor(pred, what) {
      const end = Date.now() + DEADLINE;
      for (;;) {
        const hit = messages.find(pred);
        if (hit) return hit;
        const left = end - Date.now();
        if (left <= 0) assert.fail(`no ${what} within ${DEADLINE} ms; got ${JSON.stringify(messages)}`);
        await new Promise((r) => {
          wake = r;
          setTimeout(r, Math.min(left, 200));
        });
      }
    },
    /** Subscribes to a channel's stream and waits until the server has taken the command;
     *  returns the error message the subscribe got, if any. */
    async subscribe(channel) {
      const isMarker = (m) => m.error && /Unknown stream type/.test(m.error);
      const from = messages.length;
      s.send({ type: 'subscribe', stream: STREAM, channel });
      s.send({ type: 'subscribe', stream: 'no-such-stream' });
      await s.waitFor((m, i) => i >= from && isMarker(m), 'the answer to the subscribe');
      const own = messages.slice(from).find((m) => m.error && !isMarker(m)) ?? null;
      for (let i = messages.length - 1; i >= from; i--) if (messages[i].error) messages.splice(i, 1);
      return own;
    },
    close: () => ws.close(),
  };
  return s;
}

const isEvent = (event, id) => (m) => m.event === event && (m.payload?.id === id || m.payload === id);

describe('channel stream', () => {
  let server;
  let url;
  before(async () => {
    server = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0' } });
    url = server.url;
  });
  after(async () => {
    await server?.stop();
  });

  async function channel(owner, priv = false) {
    const r = await raw(url, CH, { method: 'POST', token: owner.token, json: { name: uniqueName('cs'), private: priv } });
    assert.equal(r.status, 200, r.text);
    return { ...r.json, private: priv };
  }
  async function join(ch, who, owner) {
    assert.equal((await raw(url, `${CH}/${ch.id}/join`, { method: 'POST', token: who.token })).status, 200);
    if (ch.private) {
      const r = await raw(url, `${CH}/${ch.id}/requests/${who.account.id}/authorize`, { method: 'POST', token: owner.token });
      assert.equal(r.status, 200, r.text);
    }
  }
  const post = (who, text, ch) => who.client.v1.statuses.create({ status: text, ...(ch ? { channelId: ch.id } : {}) });

  test('a non-member of an open channel hears its posts, edits and deletes, and nothing from elsewhere', async () => {
    const [owner, reader] = await registerUsers(url, ['cso', 'csr']);
    const ch = await channel(owner);
    const other = await channel(owner);
    const s = await socket(url, reader.token);
    try {
      assert.equal(await s.subscribe(ch.id), null);
      const p = await post(owner, 'news for the channel', ch);
      const got = await s.waitFor(isEvent('update', p.id), 'the channel post');
      assert.deepEqual(got.stream, [STREAM, ch.id]);
      assert.equal(got.payload.account.id, owner.account.id);
      assert.match(got.payload.content, /news for the channel/);

      await owner.client.v1.statuses.$select(p.id).update({ status: 'news for the channel (edited)' });
      const upd = await s.waitFor(isEvent('status.update', p.id), 'the edit');
      assert.match(upd.payload.content, /edited/);
      await owner.client.v1.statuses.$select(p.id).remove();
      const del = await s.waitFor(isEvent('delete', p.id), 'the delete');
      assert.deepEqual(del.stream, [STREAM, ch.id]);

      const elsewhere = await post(owner, 'in the other channel', other);
      const nowhere = await owner.client.v1.statuses.create({ status: 'in no channel', visibility: 'public' });
      const sentinel = await post(owner, 'sentinel', ch);
      await s.waitFor(isEvent('update', sentinel.id), 'the sentinel');
      for (const id of [elsewhere.id, nowhere.id])
        assert.ok(!s.messages.some((m) => m.payload?.id === id || m.payload === id), `status ${id} was not streamed`);

      // unsubscribing stops it
      s.send({ type: 'unsubscribe', stream: STREAM, channel: ch.id });
      await s.subscribe(other.id); // answered after the unsubscribe
      const later = await post(owner, 'after unsubscribing', ch);
      const otherSentinel = await post(owner, 'sentinel 2', other);
      await s.waitFor(isEvent('update', otherSentinel.id), 'the other channel\'s sentinel');
      assert.ok(!s.messages.some((m) => m.payload?.id === later.id), 'nothing after unsubscribing');
    } finally {
      s.close();
    }
  });

  test('a private channel: a non-member cannot subscribe, a member can until they leave', async () => {
    const [owner, member, outsider] = await registerUsers(url, ['cpo', 'cpm', 'cpx']);
    const ch = await channel(owner, true);
    const open = await channel(owner);
    await join(ch, member, owner);
    const so = await socket(url, outsider.token);
    const sm = await socket(url, member.token);
    try {
      const refused = await so.subscribe(ch.id);
      assert.ok(refused, 'the outsider is refused');
      assert.equal(refused.status, 404);
      assert.match(refused.error, /private.*members/i);
      const unknown = await so.subscribe('123456789');
      assert.equal(unknown?.status, 404);

      assert.equal(await sm.subscribe(ch.id), null);
      assert.equal(await sm.subscribe(open.id), null);
      const secret = await post(owner, 'members only', ch);
      const got = await sm.waitFor(isEvent('update', secret.id), 'the private channel post');
      assert.equal(got.payload.partyline?.audience, 'company');

      // after leaving, the same subscription hears no more of it
      assert.equal((await raw(url, `${CH}/${ch.id}/leave`, { method: 'POST', token: member.token })).status, 200);
      const after = await post(owner, 'after you left', ch);
      await owner.client.v1.statuses.$select(secret.id).remove();
      const sentinel = await post(owner, 'sentinel', open);
      await sm.waitFor(isEvent('update', sentinel.id), 'the open channel sentinel');
      assert.ok(!sm.messages.some((m) => m.payload?.id === after.id), 'no post after leaving');
      assert.ok(!sm.messages.some((m) => m.event === 'delete' && m.payload === secret.id), 'no delete after leaving');
    } finally {
      so.close();
      sm.close();
    }
  });

  test('a post a moderator removes leaves members\' screens as a delete and streams no more; blocked and muted authors do not stream', async () => {
    const [owner, author, member, blocked, muter] = await registerUsers(url, ['cmo', 'cma', 'cmm', 'cmb', 'cmu']);
    const ch = await channel(owner);
    for (const u of [author, member, blocked, muter]) await join(ch, u, owner);
    await author.client.v1.accounts.$select(blocked.account.id).block();
    await muter.client.v1.accounts.$select(author.account.id).mute();
    const socks = await Promise.all([member, blocked, muter].map((u) => socket(url, u.token)));
    const [sm, sb, su] = socks;
    try {
      for (const s of socks) assert.equal(await s.subscribe(ch.id), null);
      const p = await post(author, 'soon removed', ch);
      await sm.waitFor(isEvent('update', p.id), 'the post, before its removal');
      const r = await raw(url, `${CH}/${ch.id}/statuses/${p.id}`, { method: 'DELETE', token: owner.token });
      assert.equal(r.status, 200, r.text);
      await sm.waitFor(isEvent('delete', p.id), 'the removal, as a delete on the channel stream');
      await author.client.v1.statuses.$select(p.id).update({ status: 'edited after removal' });

      const sentinel = await post(owner, 'sentinel', ch);
      for (const s of socks) await s.waitFor(isEvent('update', sentinel.id), 'the sentinel');
      assert.ok(!sm.messages.some((m) => m.event === 'status.update' && m.payload?.id === p.id), 'a removed post\'s edit does not stream');
      for (const s of [sb, su])
        assert.ok(!s.messages.some((m) => m.payload?.id === p.id), 'neither the blocked reader nor the muter hears the author');
    } finally {
      for (const s of socks) s.close();
    }
  });

  test('server-sent events: /api/v1/streaming/partyline/channel?channel=…', async () => {
    const [owner, reader, outsider] = await registerUsers(url, ['cse', 'csf', 'csg']);
    const ch = await channel(owner);
    const priv = await channel(owner, true);
    const auth = (u) => ({ authorization: `Bearer ${u.token}` });
    const noChannel = await fetch(`${url}/api/v1/streaming/partyline/channel`, { headers: auth(reader) });
    assert.equal(noChannel.status, 422);
    assert.match((await noChannel.json()).error, /channel/);
    const refused = await fetch(`${url}/api/v1/streaming/partyline/channel?channel=${priv.id}`, { headers: auth(outsider) });
    assert.equal(refused.status, 404);
    assert.match((await refused.json()).error, /private/);

    const ac = new AbortController();
    const res = await fetch(`${url}/api/v1/streaming/partyline/channel?channel=${ch.id}`, { headers: auth(reader), signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    let text = '';
    const reading = (async () => {
      const dec = new TextDecoder();
      try {
        for await (const chunk of res.body) text += dec.decode(chunk, { stream: true });
      } catch {
        // aborted
      }
    })();
    try {
      // the subscription exists once the response started; post until one arrives
      const end = Date.now() + DEADLINE;
      const ids = [];
      while (!ids.some((id) => text.includes(`"id":"${id}"`))) {
        assert.ok(Date.now() < end, `no channel post on the SSE stream; got ${text}`);
        ids.push((await post(owner, `over SSE ${ids.length}`, ch)).id);
        await new Promise((r) => setTimeout(r, 100)); // the next look: the loop delivers
      }
      assert.match(text, /event: update\ndata: \{/);
    } finally {
      ac.abort();
      await reading;
    }
  });
});
