// Join requests of a private channel notify (issue 13, item 10; docs/api.md "Join requests"):
// its moderators and owners get `partyline.channel_request` when someone asks to join (by
// /join or a Mastodon app's follow), the requester gets `partyline.channel_approved` when let
// in, and nothing when refused. Both carry `partyline.channel_id`; they obey types[] and
// exclude_types[], come ungrouped in grouped notifications (v2) and stream as notifications.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import { collectEvents, raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const CH = '/api/v1/partyline/channels';
const REQUEST = 'partyline.channel_request';
const APPROVED = 'partyline.channel_approved';

async function call(who, method, path, { json, status = 200 } = {}) {
  const r = await raw(url, path, { method, token: who.token, json });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

/** A private channel owned by owner, with mod as moderator and member as a plain member. */
async function privateChannel(owner, mod, member) {
  const ch = await call(owner, 'POST', CH, { json: { name: uniqueName('priv'), display_name: 'Board', private: true } });
  for (const p of [mod, member]) {
    await call(p, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'POST', `${CH}/${ch.id}/requests/${p.account.id}/authorize`);
  }
  await call(owner, 'PUT', `${CH}/${ch.id}/members/${mod.account.id}`, { json: { role: 'moderator' } });
  return ch;
}

/** who's notifications of type, from the given people only when from is given. */
const ofType = async (who, type, from = null) => (await call(who, 'GET', '/api/v1/notifications?limit=80'))
  .filter((n) => n.type === type && (!from || from.some((p) => p.account.id === n.account.id)));

describe('join requests notify', () => {
  test("moderators and owners hear of a request (by /join or a Mastodon follow); plain members and the requester do not", async () => {
    const [owner, mod, member, asker, app] = await registerUsers(url, ['own', 'mod', 'mem', 'ask', 'app']);
    const ch = await privateChannel(owner, mod, member);
    await call(asker, 'POST', `${CH}/${ch.id}/join`);
    for (const who of [owner, mod]) {
      const got = await ofType(who, REQUEST, [asker]);
      assert.equal(got.length, 1, 'one notification');
      assert.equal(got[0].account.id, asker.account.id, 'from the one asking');
      assert.equal(got[0].partyline.channel_id, ch.id, 'naming the channel');
      assert.equal(got[0].partyline.channel.id, ch.id);
      assert.equal(got[0].partyline.channel.group, true, 'the channel as an Account');
      assert.equal(got[0].status, undefined);
    }
    assert.equal((await ofType(member, REQUEST)).length, 0, 'a plain member is not told');
    assert.equal((await ofType(asker, REQUEST)).length, 0);
    // asking again while the request waits does not notify twice
    await call(asker, 'POST', `${CH}/${ch.id}/join`);
    assert.equal((await ofType(owner, REQUEST, [asker])).length, 1);
    // a Mastodon app's follow is a request too
    await app.client.v1.accounts.$select(ch.id).follow();
    const both = await ofType(mod, REQUEST, [asker, app]);
    assert.deepEqual(both.map((n) => n.account.id), [app.account.id, asker.account.id]);
    // a public channel has no requests, so nothing
    const open = await call(owner, 'POST', CH, { json: { name: uniqueName('open') } });
    await call(asker, 'POST', `${CH}/${open.id}/join`);
    assert.equal((await ofType(owner, REQUEST, [asker, app])).length, 2);
  });

  test('the requester hears when let in, from the channel; nothing when refused', async () => {
    const [owner, mod, member, yes, no] = await registerUsers(url, ['own', 'mod', 'mem', 'yes', 'no']);
    const ch = await privateChannel(owner, mod, member);
    await call(yes, 'POST', `${CH}/${ch.id}/join`);
    await call(no, 'POST', `${CH}/${ch.id}/join`);
    await call(mod, 'POST', `${CH}/${ch.id}/requests/${yes.account.id}/authorize`);
    await call(mod, 'POST', `${CH}/${ch.id}/requests/${no.account.id}/reject`);
    const [approved] = await ofType(yes, APPROVED);
    assert.ok(approved, 'the approved requester is told');
    assert.equal(approved.account.id, ch.id, 'from the channel account');
    assert.equal(approved.partyline.channel_id, ch.id);
    assert.deepEqual(await call(no, 'GET', '/api/v1/notifications'), [], 'a refusal says nothing');
    // the plain member let in when the channel was set up was told then, once
    assert.equal((await ofType(member, APPROVED)).length, 1);
    // a channel made public lets everyone waiting in, and tells them
    const [late] = await registerUsers(url, ['late']);
    await call(late, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'PATCH', `${CH}/${ch.id}`, { json: { private: false } });
    assert.equal((await ofType(late, APPROVED)).length, 1);
  });

  test('types[] and exclude_types[] select them; grouped notifications (v2) show them ungrouped', async () => {
    const [owner, mod, member, asker] = await registerUsers(url, ['own', 'mod', 'mem', 'ask']);
    const ch = await privateChannel(owner, mod, member);
    await asker.client.v1.accounts.$select(owner.account.id).follow(); // an ordinary "follow"
    await call(asker, 'POST', `${CH}/${ch.id}/join`);
    const only = await call(owner, 'GET', `/api/v1/notifications?types[]=${REQUEST}`);
    assert.deepEqual([...new Set(only.map((n) => n.type))], [REQUEST]);
    assert.equal(only[0].account.id, asker.account.id);
    const without = await call(owner, 'GET', `/api/v1/notifications?exclude_types[]=${REQUEST}`);
    assert.ok(!without.some((n) => n.type === REQUEST));
    assert.ok(without.some((n) => n.type === 'follow'));
    // masto.js reads them like any notification
    const viaMasto = await owner.client.v1.notifications.list({ types: [REQUEST] });
    assert.equal(viaMasto[0].partyline.channelId, ch.id);

    const v2 = await call(owner, 'GET', '/api/v2/notifications');
    const g = v2.notification_groups.find((x) => x.type === REQUEST && x.sample_account_ids[0] === asker.account.id);
    assert.ok(g, JSON.stringify(v2.notification_groups));
    assert.match(g.group_key, /^ungrouped-/);
    assert.deepEqual(g.sample_account_ids, [asker.account.id]);
    assert.equal(g.partyline.channel_id, ch.id);
    assert.ok(v2.accounts.some((a) => a.id === ch.id), 'the channel account is among the accounts');
    const v2only = await call(owner, 'GET', `/api/v2/notifications?types[]=${REQUEST}`);
    assert.deepEqual([...new Set(v2only.notification_groups.map((x) => x.type))], [REQUEST]);
    const unread = await call(owner, 'GET', `/api/v2/notifications/unread_count?types[]=${REQUEST}`);
    assert.equal(unread.count, 3, 'the moderator, the member and the one asking');
  });

  test('they stream to the moderator as notifications', async () => {
    const [owner, mod, member, asker] = await registerUsers(url, ['own', 'mod', 'mem', 'ask']);
    const ch = await privateChannel(owner, mod, member);
    const streaming = createStreamingAPIClient({
      streamingApiUrl: url, accessToken: mod.token, implementation: WebSocket, retry: false,
    });
    try {
      const col = collectEvents(streaming.user.notification.subscribe());
      // live once a favourite of the moderator's post is heard (the subscribe was taken)
      const mine = await mod.client.v1.statuses.create({ status: 'warm-up' });
      for (let live = false; !live;) {
        await member.client.v1.statuses.$select(mine.id).favourite();
        live = !!(await col.waitFor((x) => x.event === 'notification' && x.payload?.type === 'favourite', 'warm-up', 300).catch(() => null));
        if (!live) await member.client.v1.statuses.$select(mine.id).unfavourite();
      }
      await call(asker, 'POST', `${CH}/${ch.id}/join`);
      const e = await col.waitFor((x) => x.event === 'notification' && x.payload?.type === REQUEST, 'the request');
      assert.equal(e.payload.account.id, asker.account.id);
      assert.equal(e.payload.partyline.channelId, ch.id);
    } finally {
      streaming.close();
    }
  });
});
