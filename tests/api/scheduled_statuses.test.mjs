// scheduled_statuses.test.mjs — scheduled posts (docs.joinmastodon.org/methods/statuses#create
// with scheduled_at, /methods/scheduled_statuses) through masto.js: what POST answers, the
// owner's list, fetch, move and cancel (another person's id is 404), the limits, and the
// publisher (src/run/background.c, app/scheduled.c) — the post published through the path of
// every post (followers' streams, mentions), a post no longer allowed at its time dropped, and
// on PostgreSQL two nodes on one database publishing each post exactly once.
//
// The server runs with scheduled_min_lead = 2 s (Mastodon: 5 minutes), so a post scheduled a
// few seconds ahead is published during the test; the waits poll with a generous deadline.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import {
  collectEvents, dropDatabase, expectHttpError, makeDatabase, NOT_FOUND, raw, registerUser, registerUsers,
  startServer, uniqueName,
} from './harness.mjs';

const LEAD_S = 2;
const ENV = {
  PARTYLINE_SCHEDULED_MIN_LEAD: String(LEAD_S),
  PARTYLINE_MAX_SCHEDULED_STATUSES: '4',
  PARTYLINE_MAX_SCHEDULED_STATUSES_DAILY: '2',
};
const DEADLINE = 20000;
const DAY = 24 * 3600 * 1000;

const inMs = (ms) => new Date(Date.now() + ms).toISOString();
/** noon (UTC) of the day `days` from today: a time with room on both sides of its day */
const noonIn = (days) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(12, 0, 0, 0);
  return d.toISOString();
};

/** Polls fn until it returns a truthy value or `ms` pass; returns the last value. */
async function within(ms, fn) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ownPosts = async (who, url, id) => (await raw(url, `/api/v1/accounts/${id}/statuses?limit=40`, { token: who.token })).json;

let server;
let url;
before(async () => {
  server = await startServer({ env: ENV });
  url = server.url;
});
after(async () => {
  await server?.stop();
});

describe('scheduling', () => {
  test('scheduled_at answers a ScheduledStatus with the parameters; the owner lists, fetches, moves and cancels it', async () => {
    const alice = await registerUser(url, uniqueName('sa'));
    const when = noonIn(3);
    const sch = await alice.client.v1.statuses.create({
      status: 'the quarterly numbers are out',
      spoilerText: 'numbers',
      visibility: 'unlisted',
      language: 'en',
      poll: { options: ['good', 'bad'], expiresIn: 3600 },
      scheduledAt: when,
    });
    assert.ok(sch.id, 'a ScheduledStatus has an id');
    assert.equal(sch.scheduledAt, when);
    assert.equal(sch.params.text, 'the quarterly numbers are out');
    assert.equal(sch.params.spoilerText, 'numbers');
    assert.equal(sch.params.visibility, 'unlisted');
    assert.equal(sch.params.language, 'en');
    assert.deepEqual(sch.params.poll.options, ['good', 'bad']);
    assert.equal(sch.params.poll.expiresIn, 3600);
    assert.equal(sch.params.mediaIds, null);
    assert.equal(sch.params.inReplyToId, null);
    assert.ok(sch.params.applicationId, 'the app that scheduled it');
    assert.deepEqual(sch.mediaAttachments, []);
    assert.equal((await ownPosts(alice, url, alice.account.id)).length, 0, 'nothing is posted yet');

    const list = await alice.client.v1.scheduledStatuses.list();
    assert.deepEqual(list.map((s) => s.id), [sch.id]);
    const one = await alice.client.v1.scheduledStatuses.$select(sch.id).fetch();
    assert.equal(one.params.text, 'the quarterly numbers are out');

    const later = noonIn(4);
    const moved = await alice.client.v1.scheduledStatuses.$select(sch.id).update({ scheduledAt: later });
    assert.equal(moved.scheduledAt, later);
    assert.equal((await alice.client.v1.scheduledStatuses.$select(sch.id).fetch()).scheduledAt, later);

    await alice.client.v1.scheduledStatuses.$select(sch.id).remove();
    assert.deepEqual(await alice.client.v1.scheduledStatuses.list(), []);
    await expectHttpError(alice.client.v1.scheduledStatuses.$select(sch.id).fetch(), 404, NOT_FOUND);
  });

  test("another person's scheduled post is 404 to read, move and cancel, and not in their list", async () => {
    const [alice, mallory] = await registerUsers(url, ['so', 'sm']);
    const sch = await alice.client.v1.statuses.create({ status: 'mine', scheduledAt: noonIn(2) });
    const theirs = mallory.client.v1.scheduledStatuses.$select(sch.id);
    await expectHttpError(theirs.fetch(), 404, NOT_FOUND, 'GET');
    await expectHttpError(theirs.update({ scheduledAt: noonIn(3) }), 404, NOT_FOUND, 'PUT');
    await expectHttpError(theirs.remove(), 404, NOT_FOUND, 'DELETE');
    assert.deepEqual(await mallory.client.v1.scheduledStatuses.list(), []);
    assert.equal((await alice.client.v1.scheduledStatuses.$select(sch.id).fetch()).scheduledAt, noonIn(2), 'unchanged');
    const signedOut = await raw(url, '/api/v1/scheduled_statuses');
    assert.equal(signedOut.status, 401);
  });

  test('a time too near, a malformed time and a bad post are 422 and schedule nothing; a past time posts at once', async () => {
    const alice = await registerUser(url, uniqueName('sv'));
    await expectHttpError(alice.client.v1.statuses.create({ status: 'soon', scheduledAt: inMs(200) }), 422, /at least 2 seconds/);
    await expectHttpError(alice.client.v1.statuses.create({ status: 'when?', scheduledAt: 'next tuesday' }), 422, /scheduled_at/);
    await expectHttpError(alice.client.v1.statuses.create({ status: ' ', scheduledAt: noonIn(1) }), 422, /blank/);
    await expectHttpError(
      alice.client.v1.statuses.create({ status: 'poll', poll: { options: ['only one'], expiresIn: 3600 }, scheduledAt: noonIn(1) }),
      422, /at least 2 options/);
    assert.deepEqual(await alice.client.v1.scheduledStatuses.list(), []);
    const sch = await alice.client.v1.statuses.create({ status: 'ok', scheduledAt: noonIn(1) });
    await expectHttpError(alice.client.v1.scheduledStatuses.$select(sch.id).update({ scheduledAt: inMs(100) }), 422, /at least 2 seconds/);
    const r = await raw(url, `/api/v1/scheduled_statuses/${sch.id}`, { method: 'PUT', token: alice.token, json: {} });
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.error, /scheduled_at is missing/);
    const past = await alice.client.v1.statuses.create({ status: 'already due', scheduledAt: inMs(-60000) });
    assert.ok(past.content?.includes('already due'), 'a Status, posted at once');
  });

  test('a repeated Idempotency-Key answers the same scheduled post', async () => {
    const alice = await registerUser(url, uniqueName('si'));
    const key = uniqueName('key');
    const send = () => raw(url, '/api/v1/statuses', {
      method: 'POST', token: alice.token, headers: { 'Idempotency-Key': key },
      json: { status: 'once', scheduled_at: noonIn(2) },
    });
    const a = await send();
    const b = await send();
    assert.equal(a.status, 200, a.text);
    assert.equal(b.json.id, a.json.id);
    assert.equal(a.json.params.idempotency, key);
    assert.equal((await alice.client.v1.scheduledStatuses.list()).length, 1);
  });

  test('limits: max_scheduled_statuses in all, max_scheduled_statuses_daily on one day (moving counts too)', async () => {
    const alice = await registerUser(url, uniqueName('sl'));
    const post = (day) => alice.client.v1.statuses.create({ status: `day ${day}`, scheduledAt: noonIn(day) });
    const first = await post(5);
    await post(5);
    await expectHttpError(post(5), 422, /limit of 2 scheduled posts for that day/);
    const other = await post(6);
    await expectHttpError(alice.client.v1.scheduledStatuses.$select(other.id).update({ scheduledAt: noonIn(5) }), 422, /for that day/);
    // moving a post within its own day is not one more on that day
    const sameDay = new Date(Date.parse(noonIn(5)) + 3600000).toISOString();
    assert.equal((await alice.client.v1.scheduledStatuses.$select(first.id).update({ scheduledAt: sameDay })).scheduledAt, sameDay);
    await post(7);
    await expectHttpError(post(8), 422, /limit of 4 scheduled posts/);
    assert.equal((await alice.client.v1.scheduledStatuses.list()).length, 4);
  });

  test('the list pages newest first with a Link header', async () => {
    const alice = await registerUser(url, uniqueName('sp'));
    const ids = [];
    for (const day of [10, 11, 12]) ids.push((await alice.client.v1.statuses.create({ status: `p${day}`, scheduledAt: noonIn(day) })).id);
    const r = await raw(url, '/api/v1/scheduled_statuses?limit=2', { token: alice.token });
    assert.deepEqual(r.json.map((s) => s.id), [ids[2], ids[1]]);
    assert.match(r.headers.get('link') ?? '', /max_id=/);
    const rest = await raw(url, `/api/v1/scheduled_statuses?limit=2&max_id=${ids[1]}`, { token: alice.token });
    assert.deepEqual(rest.json.map((s) => s.id), [ids[0]]);
  });
});

describe('publishing', () => {
  test("at its time the post is published as a post: in a follower's stream, a mention notified, gone from the list", async () => {
    const [alice, bob] = await registerUsers(url, ['pa', 'pb']);
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const stream = createStreamingAPIClient({
      streamingApiUrl: url, accessToken: bob.token, implementation: WebSocket, retry: false,
    });
    const col = collectEvents(stream.user.subscribe(), DEADLINE);
    try {
      // the subscription is live once it hears a post made after it was sent
      const warm = [];
      for (let heard = null; !heard;) {
        warm.push((await alice.client.v1.statuses.create({ status: `warm-up ${warm.length}` })).id);
        heard = await col.waitFor((e) => e.event === 'update' && warm.includes(e.payload?.id), 'a warm-up post', 300).catch(() => null);
        assert.ok(warm.length < 60, 'the subscription never became live');
      }
      const text = `scheduled hello @${bob.username}`;
      const sch = await alice.client.v1.statuses.create({
        status: text, visibility: 'public', poll: { options: ['yes', 'no'], expiresIn: 3600 }, scheduledAt: inMs(LEAD_S * 1000 + 500),
      });
      const up = await col.waitFor((e) => e.event === 'update' && e.payload?.content?.includes('scheduled hello'), 'the scheduled post');
      assert.equal(up.payload.account.id, alice.account.id);
      assert.deepEqual(up.payload.poll.options.map((o) => o.title), ['yes', 'no']);
      assert.ok(up.payload.application?.name, 'posted by the app that scheduled it');
      assert.ok(Date.parse(up.payload.createdAt) >= Date.parse(sch.scheduledAt) - 1000, 'created at its time');
      const note = await col.waitFor((e) => e.event === 'notification' && e.payload?.status?.id === up.payload.id, 'the mention');
      assert.equal(note.payload.type, 'mention');
      assert.deepEqual(await alice.client.v1.scheduledStatuses.list(), []);
      await expectHttpError(alice.client.v1.scheduledStatuses.$select(sch.id).fetch(), 404, NOT_FOUND);
      const posts = (await ownPosts(alice, url, alice.account.id)).filter((s) => s.content.includes('scheduled hello'));
      assert.equal(posts.length, 1, 'published once');
    } finally {
      stream.close();
    }
  });

  test('a post for a channel one has left by its time is not published, and the scheduled post is gone', async () => {
    const [owner, alice] = await registerUsers(url, ['co', 'cm']);
    const ch = (await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: owner.token, json: { name: uniqueName('sch') } })).json;
    assert.equal((await raw(url, `/api/v1/partyline/channels/${ch.id}/join`, { method: 'POST', token: alice.token })).status, 200);
    const dropped = await alice.client.v1.statuses.create({ status: 'for the channel', channelId: ch.id, scheduledAt: inMs(LEAD_S * 1000 + 300) });
    assert.equal(dropped.params.channelId, ch.id);
    assert.equal((await raw(url, `/api/v1/partyline/channels/${ch.id}/leave`, { method: 'POST', token: alice.token })).status, 200);
    // a post scheduled after it, for no channel, shows the publisher has passed the first
    const kept = await alice.client.v1.statuses.create({ status: 'for my followers', scheduledAt: inMs(LEAD_S * 1000 + 800) });
    const published = await within(DEADLINE, async () => (await ownPosts(alice, url, alice.account.id)).find((s) => s.content.includes('for my followers')));
    assert.ok(published, 'the later post was published');
    const mine = await ownPosts(alice, url, alice.account.id);
    assert.ok(!mine.some((s) => s.content.includes('for the channel')), 'the channel post was not published');
    assert.deepEqual(await alice.client.v1.scheduledStatuses.list(), [], 'both scheduled posts are gone');
    void kept;
  });
});

describe('two nodes on one PostgreSQL', { skip: !process.env.PARTYLINE_TEST_DATABASE && 'needs PostgreSQL' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    a = await startServer({ database: db, env: { ...ENV, PARTYLINE_NODE_ID: '1' } });
    b = await startServer({ database: db, env: { ...ENV, PARTYLINE_NODE_ID: '2' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await dropDatabase(db);
  });

  test('every scheduled post is published exactly once', async () => {
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await registerUser(i % 2 ? b.url : a.url, uniqueName('nn')));
    // one due time for all eight, far enough ahead that the last one, made after the first
    // seven on a busy machine (two suites side by side), is still past the minimum lead
    const due = inMs(LEAD_S * 1000 + 4000);
    const texts = [];
    for (const [i, who] of people.entries()) {
      for (let k = 0; k < 2; k++) {
        const text = `node post ${i}.${k}`;
        texts.push([who, text]);
        await who.client.v1.statuses.create({ status: text, scheduledAt: due });
      }
    }
    const done = await within(DEADLINE, async () => {
      for (const who of people) if ((await who.client.v1.scheduledStatuses.list()).length) return false;
      return true;
    });
    assert.ok(done, 'every scheduled post was taken');
    for (const [who, text] of texts) {
      const posts = (await ownPosts(who, a.url, who.account.id)).filter((s) => s.content.includes(text));
      assert.equal(posts.length, 1, `${text} published once`);
    }
  });
});
