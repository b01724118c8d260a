// Influence as the API shows it (issue 15; docs/api.md "Influence"; the method is
// docs/influence.md, what a viewer may see src/app/influence_view.h): a small company built
// through the API, then `partyline admin influence recompute --at TIME` on its data (as if it
// were TIME: the company's accounts are made a month old behind the server's back, so that
// nobody counts as a newcomer). One's breakdown adds up to one's raw in every list; a
// followers-only post's liker stays in `others`; someone else sees a score only once its owner
// shows it, with the channels they may not see folded; experts are shown people only; the
// history explains a deleted post the next day; scopes, tokens and parameters are checked;
// administrators read counts, never individuals. Runs on both databases.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, passwordLogin, raw, registerUsers, serverDatabaseSql, startServer, uniqueName
} from './harness.mjs';

const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const INF = '/api/v1/partyline/influence';
const ADM = '/api/v1/partyline/admin/influence';
const CH = '/api/v1/partyline/channels';
const DAY = 86400000;
const LISTS = ['by_place', 'by_topic', 'by_signal', 'by_engager'];

let srv;
let url;
let admin;
let alice, bob, carol, dave, erin;
let secret; // alice's private channel: bob is a member, carol is not
let rustPost, friendsPost, secretPost;
let t0; // the moment of the first computation

/** `partyline admin …` on the server's data: {code, stdout, stderr}. */
function cli(args) {
  return adminCli(srv, args);
}

async function recomputeAt(ms) {
  const r = await cli(['influence', 'recompute', '--at', new Date(ms).toISOString()]);
  assert.equal(r.code, 0, `recompute: ${r.stderr}`);
}

async function call(who, method, p, { json, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  if (status >= 400) assert.equal(typeof r.json?.error, 'string', `${method} ${p}: {"error": …}`);
  return r.json;
}

/** SQL on the server's database behind its back. */
const sql = (text) => serverDatabaseSql(srv, text);

const sumOf = (list) => list.reduce((s, it) => s + it.raw, 0);
function addsUp(view, what) {
  for (const l of LISTS) assert.equal(sumOf(view.breakdown[l]), view.raw, `${what}: ${l} adds up to raw`);
}

before(async () => {
  srv = await startServer();
  url = srv.url;
  const username = uniqueName('iadm');
  const made = await cli(['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(url, { scopes: ADMIN_SCOPES });
  const tok = await passwordLogin(url, app, username, 'long enough pw', ADMIN_SCOPES);
  admin = { token: tok.accessToken ?? tok.access_token ?? tok };
  [alice, bob, carol, dave, erin] = await registerUsers(url, ['ia', 'ib', 'ic', 'id', 'ie']);
});

after(async () => {
  await srv?.stop();
});

describe('before a first computation', () => {
  test('one has raw 0 and score 1, with empty lists and no moment', async () => {
    const me = await call(alice, 'GET', `${INF}/me`);
    assert.equal(me.raw, 0);
    assert.equal(me.score, 1);
    assert.equal(me.computed_at, null);
    assert.equal(me.shown, false);
    assert.equal(me.method_version, 1);
    for (const l of LISTS) assert.deepEqual(me.breakdown[l], []);
    const m = await call(bob, 'GET', `${INF}/method`);
    assert.equal(m.version, 1);
    assert.equal(m.calibration, null);
    assert.equal(m.parameters.type_weights.favourite, 1);
    assert.equal(m.parameters.allowances.boost, 20);
    const d = await call(admin, 'GET', `${ADM}/distribution`);
    assert.equal(d.computed_at, null);
    assert.equal(d.histogram.length, 10);
  });
});

describe('a small company', () => {
  before(async () => {
    // alice's private channel, which bob joins and carol does not
    secret = await call(alice, 'POST', CH, { json: { name: uniqueName('sec'), private: true } });
    await call(bob, 'POST', `${CH}/${secret.id}/join`);
    await call(alice, 'POST', `${CH}/${secret.id}/requests/${bob.account.id}/authorize`);

    rustPost = await alice.client.v1.statuses.create({ status: 'what I learnt about #rust lifetimes', visibility: 'public' });
    // followers-only, seen by erin because it names her (a follow of hers would be a public
    // signal of its own, and name her)
    friendsPost = await alice.client.v1.statuses.create({ status: `for my followers and @${erin.username}`, visibility: 'private' });
    secretPost = await alice.client.v1.statuses.create({ status: 'the plan', channelId: secret.id });

    for (const who of [bob, carol, dave]) await who.client.v1.statuses.$select(rustPost.id).favourite();
    await bob.client.v1.statuses.$select(rustPost.id).reblog();
    await carol.client.v1.statuses.create({ status: 'great read', inReplyToId: rustPost.id, visibility: 'public' });
    await erin.client.v1.statuses.$select(friendsPost.id).favourite();
    await bob.client.v1.statuses.$select(secretPost.id).favourite();

    await call(admin, 'PUT', `${ADM}/topics`, { json: { tag: '#Rust', class: 'work', topic: 'Programming' } });
    await call(admin, 'PUT', `${ADM}/topics`, { json: { channel_id: secret.id, class: 'work', topic: 'Launch plans' } });
    // everyone a month old, so that nobody is a newcomer whose signals weigh a tenth
    await sql(`UPDATE accounts SET created_at = created_at - ${30 * DAY}`);
    t0 = Date.now() + 60_000;
    await recomputeAt(t0);
  });

  test("one's own breakdown adds up to raw in every list; a followers-only post's liker stays in others", async () => {
    const me = await call(alice, 'GET', `${INF}/me`);
    assert.ok(me.raw > 0, JSON.stringify(me));
    assert.ok(me.score >= 1 && me.score <= 100);
    assert.ok(me.computed_at);
    addsUp(me, 'own');
    const engagers = me.breakdown.by_engager.filter((e) => e.key !== 'others').map((e) => e.account.id);
    for (const who of [bob, carol, dave]) assert.ok(engagers.includes(who.account.id), 'public engagers are named');
    assert.ok(!engagers.includes(erin.account.id), "the followers-only post's liker is not named");
    assert.ok(me.breakdown.by_engager.some((e) => e.key === 'others' && e.raw > 0), 'erin is in others');
    const kinds = me.breakdown.by_place.map((p) => p.kind);
    assert.ok(kinds.includes('channel'), 'the private channel is a place, to its owner');
    const ch = me.breakdown.by_place.find((p) => p.kind === 'channel');
    assert.equal(ch.channel_id, secret.id);
    assert.equal(ch.name, secret.username ?? secret.acct ?? ch.name);
    assert.ok(me.breakdown.by_topic.some((t) => t.class === 'work' && t.topic === 'programming'), JSON.stringify(me.breakdown.by_topic));
    assert.ok(me.breakdown.by_topic.some((t) => t.topic === 'launch plans' && t.raw > 0), 'her private channel\'s topic, to her');
    const signals = me.breakdown.by_signal.map((s) => s.key);
    for (const s of ['favourite', 'boost', 'reply']) assert.ok(signals.includes(s), s);
    // one's own Account always carries it
    const own = await alice.client.v1.accounts.verifyCredentials();
    assert.equal(own.partyline?.influence?.score, me.score);
    const m = await call(bob, 'GET', `${INF}/method`);
    assert.ok(m.calibration && m.calibration.median_raw > 0 && m.calibration.beta > 0);
  });

  test("someone else's is 404 until its owner shows it, then folded where they may not see", async () => {
    await call(bob, 'GET', `${INF}/${alice.account.id}`, { status: 404 });
    await call(bob, 'GET', `${INF}/${secret.id}`, { status: 404 });
    await call(bob, 'GET', `${INF}/999999999`, { status: 404 });
    await call(bob, 'GET', `${INF}/nobody`, { status: 404 });
    const hidden = await bob.client.v1.accounts.$select(alice.account.id).fetch();
    assert.equal(hidden.partyline?.influence, undefined, 'no badge while hidden');
    const mine = await call(bob, 'GET', `${INF}/${bob.account.id}`);
    assert.equal(mine.shown, false);

    const shown = await call(alice, 'PATCH', `${INF}/me`, { json: { shown: true } });
    assert.equal(shown.shown, true);
    await call(alice, 'PATCH', `${INF}/me`, { json: { shown: 'perhaps' }, status: 422 });
    const own = await call(alice, 'GET', `${INF}/me`);

    const toBob = await call(bob, 'GET', `${INF}/${alice.account.id}`);
    assert.equal(toBob.score, own.score);
    assert.equal(toBob.raw, own.raw);
    addsUp(toBob, 'to a member');
    assert.ok(toBob.breakdown.by_place.some((p) => p.channel_id === secret.id), 'a member sees the channel');
    assert.ok(toBob.breakdown.by_topic.some((t) => t.topic === 'launch plans'), "a member sees its topic");

    const toCarol = await call(carol, 'GET', `${INF}/${alice.account.id}`);
    addsUp(toCarol, 'to an outsider');
    assert.ok(!toCarol.breakdown.by_place.some((p) => p.kind === 'channel'), 'an outsider does not see the channel');
    assert.ok(!JSON.stringify(toCarol).includes(secret.id), "the channel's id is nowhere");
    assert.ok(!JSON.stringify(toCarol).includes('launch plans'), "nor the topic only its posts have");
    const others = toCarol.breakdown.by_place.find((p) => p.key === 'others');
    const inChannel = own.breakdown.by_place.find((p) => p.kind === 'channel').raw;
    assert.ok(others && others.raw >= inChannel, 'its points are in others');

    const badge = await carol.client.v1.accounts.$select(alice.account.id).fetch();
    assert.equal(badge.partyline?.influence?.score, own.score);
    const inTimeline = await carol.client.v1.timelines.public.list({ limit: 40 });
    const byAlice = inTimeline.find((s) => s.account.id === alice.account.id);
    assert.equal(byAlice?.account.partyline?.influence?.score, own.score, "a status's author carries it too");
  });

  test('experts are shown people only, each with posts the asker may see', async () => {
    await call(carol, 'GET', `${INF}/experts`, { status: 422 });
    await call(carol, 'GET', `${INF}/experts?topic=%23`, { status: 422 });
    const byTag = await call(carol, 'GET', `${INF}/experts?topic=%23rust`);
    assert.deepEqual(byTag.map((e) => e.account.id), [alice.account.id]);
    assert.ok(byTag[0].raw > 0);
    assert.deepEqual(byTag[0].posts.map((s) => s.id), [rustPost.id]);
    const byTopic = await call(carol, 'GET', `${INF}/experts?topic=Programming&limit=100`);
    assert.deepEqual(byTopic.map((e) => e.account.id), [alice.account.id]);
    // hidden again: nobody
    await call(alice, 'PATCH', `${INF}/me`, { json: { shown: false } });
    assert.deepEqual(await call(carol, 'GET', `${INF}/experts?topic=%23rust`), []);
    await call(carol, 'GET', `${INF}/${alice.account.id}`, { status: 404 });
    await call(alice, 'PATCH', `${INF}/me`, { json: { shown: true } });
  });

  test('the history explains a deleted post the next day', async () => {
    await alice.client.v1.statuses.$select(rustPost.id).remove();
    await recomputeAt(t0 + DAY);
    const h = await call(alice, 'GET', `${INF}/me/history?days=400`);
    assert.ok(h.length >= 2, JSON.stringify(h));
    const [first, next] = h.slice(-2);
    assert.match(first.explanation, /first/i);
    assert.equal(first.first, true);
    assert.ok(next.change.deleted < 0, JSON.stringify(next));
    assert.equal(next.change.new + next.change.older + next.change.deleted + next.change.method, next.raw - first.raw);
    assert.match(next.explanation, /deleted posts took away \d+/);
    assert.ok(next.date > first.date);
    for (const d of [0, 401, 'abc']) await call(alice, 'GET', `${INF}/me/history?days=${d}`, { status: 422 });
  });
});

describe('tokens and administrators', () => {
  test('scopes: a read:statuses token is refused, a made-up one is 401', async () => {
    const app = await createApp(url, { scopes: 'read:statuses' });
    const narrow = await passwordLogin(url, app, alice.username, alice.password, 'read:statuses');
    const token = narrow.accessToken ?? narrow.access_token ?? narrow;
    for (const p of [`${INF}/me`, `${INF}/me/history`, `${INF}/experts?topic=x`, `${INF}/${alice.account.id}`]) {
      const r = await raw(url, p, { token });
      assert.equal(r.status, 403, `${p}: ${r.text}`);
    }
    assert.equal((await raw(url, `${INF}/me`, { token: 'made-up' })).status, 401);
    assert.equal((await raw(url, `${INF}/me`)).status, 401);
  });

  test('the distribution is counts only; members may not read it or mark topics', async () => {
    const d = await call(admin, 'GET', `${ADM}/distribution`);
    assert.deepEqual(Object.keys(d).sort(), ['computed_at', 'histogram', 'median_raw', 'p95_raw', 'people', 'scored']);
    assert.equal(d.histogram.reduce((s, b) => s + b.count, 0), d.people);
    assert.deepEqual(d.histogram[0], { from: 1, to: 10, count: d.histogram[0].count });
    for (const who of [alice, bob, carol, dave, erin]) assert.ok(!JSON.stringify(d).includes(who.account.id));
    await call(bob, 'GET', `${ADM}/distribution`, { status: 403 });
    await call(bob, 'GET', `${ADM}/topics`, { status: 403 });
    await call(bob, 'PUT', `${ADM}/topics`, { json: { tag: 'x', class: 'work', topic: 'x' }, status: 403 });
  });

  test('topics: marked, replaced, refused with reasons, removed, and audited', async () => {
    const ch = await call(admin, 'PUT', `${ADM}/topics`, { json: { channel_id: secret.id, class: 'social', topic: 'Plans' } });
    assert.equal(ch.channel_id, secret.id);
    assert.equal(ch.class, 'social');
    const again = await call(admin, 'PUT', `${ADM}/topics`, { json: { channel_id: secret.id, class: 'work', topic: 'plans' } });
    assert.equal(again.class, 'work');
    const bad = [
      [{ tag: 'x', class: 'fun', topic: 'x' }, 422, /class/],
      [{ tag: 'x', class: 'work', topic: 'x'.repeat(65) }, 422, /topic/],
      [{ tag: 'x', class: 'work', topic: '' }, 422, /topic/],
      [{ class: 'work', topic: 'x' }, 422, /channel_id or tag/],
      [{ channel_id: alice.account.id, class: 'work', topic: 'x' }, 404, /channel/],
    ];
    for (const [json, status, re] of bad) {
      const r = await raw(url, `${ADM}/topics`, { method: 'PUT', token: admin.token, json });
      assert.equal(r.status, status, `${JSON.stringify(json)}: ${r.text}`);
      assert.match(r.json.error, re);
    }
    const all = await call(admin, 'GET', `${ADM}/topics`);
    assert.deepEqual(all.map((t) => t.channel_id ?? `#${t.tag}`), [secret.id, '#rust']);
    await call(admin, 'DELETE', `${ADM}/topics`, { json: { tag: 'rust' } });
    await call(admin, 'DELETE', `${ADM}/topics`, { json: { tag: 'rust' }, status: 404 });
    const rows = await call(admin, 'GET', `/api/v1/partyline/admin/audit?limit=50&action=influence.topic_set`);
    assert.ok(rows.length >= 3, JSON.stringify(rows));
    assert.equal(rows[0].detail.class, 'work');
    const removed = await call(admin, 'GET', `/api/v1/partyline/admin/audit?limit=50&action=influence.topic_remove`);
    assert.equal(removed[0].detail.tag, 'rust');
  });
});
