// nodes.test.mjs — several `partyline serve` processes on one PostgreSQL: any node serves
// any user, posts made on one are read on the other, caches hear the other node's changes
// (LISTEN/NOTIFY), and a queued fan-out is done once. Runs with PARTYLINE_TEST_DATABASE
// (make test-api-pg); on SQLite, one process owns the database and this file is skipped.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  collectPages, createApp, dropDatabase, makeDatabase, passwordLogin, raw, registerUser, restClient, serverSql,
  startServer, uniqueName,
  METRICS_TOKEN,
} from './harness.mjs';

const onPostgres = Boolean(process.env.PARTYLINE_TEST_DATABASE);

/** Polls fn until it returns a truthy value or `ms` pass; returns the last value. */
async function within(ms, fn) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const metric = async (node, name) => {
  const text = (await raw(node.url, '/metrics', { token: METRICS_TOKEN })).text;
  const m = text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
};

describe('two nodes on one PostgreSQL', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
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

  test('registered on A, signed in on B, posts on B, read by a follower on A', async () => {
    const alice = await registerUser(a.url, uniqueName('na'));
    const bob = await registerUser(a.url, uniqueName('nb'));
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    // the app and the account live in the shared database: node B knows both
    const onB = restClient(b.url, (await passwordLogin(b.url, alice.app, alice.email)).accessToken);
    const post = await onB.v1.statuses.create({ status: 'written on node B' });
    const home = await bob.client.v1.timelines.home.list();
    assert.ok(home.some((s) => s.id === post.id), "the post is in the follower's home read through node A");
  });

  test('an edit on B reaches a reader whose node A had the post cached', async () => {
    const alice = await registerUser(b.url, uniqueName('ne'));
    const reader = await registerUser(a.url, uniqueName('nr'));
    const post = await alice.client.v1.statuses.create({ status: 'first words' });
    const first = await reader.client.v1.statuses.$select(post.id).fetch(); // A caches it
    assert.match(first.content, /first words/);
    await alice.client.v1.statuses.$select(post.id).update({ status: 'second words' });
    const seen = await within(2000, async () => {
      const s = await reader.client.v1.statuses.$select(post.id).fetch();
      return /second words/.test(s.content) ? s : null;
    });
    assert.ok(seen, 'node A stops serving the old text once node B changed it');
  });

  test('a node whose LISTEN connections broke and could not come back at once hears the other node again', async () => {
    const alice = await registerUser(b.url, uniqueName('nl'));
    const reader = await registerUser(a.url, uniqueName('nm'));
    const post = await alice.client.v1.statuses.create({ status: 'before the outage' });
    // the database refuses new connections for a while, and the listeners' connections end:
    // their first attempts to connect again fail (the other connections stay open)
    const name = new URL(db).pathname.slice(1);
    const listeners = async () => Number(await serverSql(
      `SELECT count(*) FROM pg_stat_activity WHERE datname = '${name}' AND query LIKE 'LISTEN%'`));
    assert.equal(await listeners(), 4, 'two listeners on each node');
    await serverSql(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await serverSql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND query LIKE 'LISTEN%'`);
      await new Promise((r) => setTimeout(r, 1500)); // the outage: attempts every 0.5 s fail
    } finally {
      await serverSql(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    assert.equal(await within(5000, async () => (await listeners()) === 4), true, 'the listeners connect again');
    // A caches the post as it is now; B's change must reach that copy
    assert.match((await reader.client.v1.statuses.$select(post.id).fetch()).content, /before the outage/);
    await alice.client.v1.statuses.$select(post.id).update({ status: 'after the outage' });
    const seen = await within(5000, async () => {
      const s = await reader.client.v1.statuses.$select(post.id).fetch();
      return /after the outage/.test(s.content) ? s : null;
    });
    assert.ok(seen, "node A's listener connected again and hears node B's change");
  });

  test('a queued fan-out is done once, by whichever node takes it', async () => {
    const author = await registerUser(b.url, uniqueName('nf'));
    const followers = [];
    for (let i = 0; i < 60; i++) {
      const f = await registerUser(i % 2 ? a.url : b.url, uniqueName(`f${i}`));
      await f.client.v1.accounts.$select(author.account.id).follow();
      followers.push(f);
    }
    const chunksBefore = (await metric(a, 'partyline_fanout_chunks_total')) + (await metric(b, 'partyline_fanout_chunks_total'));
    const post = await author.client.v1.statuses.create({ status: 'to sixty colleagues' });
    const reached = await within(3000, async () => {
      for (const f of [followers[0], followers[29], followers[59]]) {
        const home = await f.client.v1.timelines.home.list({ limit: 5 });
        if (!home.some((s) => s.id === post.id)) return false;
      }
      return true;
    });
    assert.ok(reached, 'every follower has the post');
    for (const f of followers) {
      const home = await f.client.v1.timelines.home.list({ limit: 40 });
      assert.equal(home.filter((s) => s.id === post.id).length, 1, 'exactly once in each home');
    }
    // a node counts a chunk just after committing it: let the counters catch up
    const chunksNow = async () => (await metric(a, 'partyline_fanout_chunks_total'))
      + (await metric(b, 'partyline_fanout_chunks_total')) - chunksBefore;
    await within(2000, async () => (await chunksNow()) >= 3);
    assert.equal(await chunksNow(), Math.ceil(60 / 25), '60 followers in chunks of 25: three chunks, none done twice');
  });
});

describe('a node killed in the middle of a burst of posts', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    a = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '3' } });
    b = await startServer({ database: db, env: { PARTYLINE_NODE_ID: '4' } });
  });
  after(async () => {
    await a?.stop();
    await b?.crash();
    await dropDatabase(db);
  });

  test('every answered post survives, and its pending fan-out is finished by the other node', async () => {
    const author = await registerUser(b.url, uniqueName('nk'));
    const followers = [];
    for (let i = 0; i < 24; i++) {
      const f = await registerUser(a.url, uniqueName(`k${i}`));
      await f.client.v1.accounts.$select(author.account.id).follow();
      followers.push(f);
    }
    // a burst of posts on node B (more than 16 followers: every post's fan-out is queued)
    const answered = [];
    const sends = [];
    const failed = [];
    const post = (i) => author.client.v1.statuses.create({ status: `burst ${i}` })
      .then((s) => answered.push(s.id), (e) => failed.push(e));
    // four at a time, so that the kill lands while posts are in flight
    let next = 0;
    const lane = async () => { while (next < 80) await post(next++); };
    const lanes = [lane(), lane(), lane(), lane()];
    await within(10_000, () => answered.length >= 12);
    await b.crash();
    await Promise.all(lanes);
    assert.ok(failed.length > 0, 'the kill interrupted the burst');
    assert.ok(answered.length > 0, 'some posts were answered before the kill');
    // node A: every answered post exists, and reaches the followers' home feeds
    const onA = restClient(a.url, followers[0].token);
    for (const id of answered) assert.equal((await onA.v1.statuses.$select(id).fetch()).id, id);
    const delivered = await within(5000, async () => {
      for (const f of [followers[0], followers[23]]) {
        const ids = new Set((await collectPages(f.client.v1.timelines.home.list({ limit: 40 }))).map((s) => s.id));
        if (!answered.every((id) => ids.has(id))) return false;
      }
      return true;
    });
    assert.ok(delivered, `the ${answered.length} answered posts reach followers through node A`);
  });
});

// Files on two nodes with no shared disk: media_store = database, one master key file for
// both (its key also signs the addresses). A file is served by either node, and what closes
// it on one node (a deleted post, a post removed from its channel) closes it on the other.
describe('files on two nodes', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
  let db;
  let a;
  let b;
  let keyDir;
  before(async () => {
    db = await makeDatabase();
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'pl-nodes-key-'));
    // a named master key file must exist (README: media_master_key): the company makes it
    writeFileSync(path.join(keyDir, 'media.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const env = { PARTYLINE_MEDIA_STORE: 'database', PARTYLINE_MEDIA_MASTER_KEY: path.join(keyDir, 'media.key') };
    a = await startServer({ database: db, env: { ...env, PARTYLINE_NODE_ID: '1' } });
    b = await startServer({ database: db, env: { ...env, PARTYLINE_NODE_ID: '2' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await dropDatabase(db);
    rmSync(keyDir, { recursive: true, force: true });
  });

  const bytes = Buffer.from('the board minutes, confidential\n');
  const upload = (who) => who.client.v2.media.create({ file: new Blob([bytes]), description: 'minutes' });
  const get = async (u) => {
    const r = await fetch(u);
    return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
  };
  const onNode = async (node, who) => restClient(node.url, (await passwordLogin(node.url, who.app, who.email)).accessToken);

  test('uploaded on A, read through B; deleted on A, closed on B at once', async () => {
    const alice = await registerUser(a.url, uniqueName('fa'));
    const bob = await registerUser(a.url, uniqueName('fb'));
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const m = await upload(alice);
    const post = await alice.client.v1.statuses.create({ status: 'minutes attached', visibility: 'private', mediaIds: [m.id] });
    const bobOnB = await onNode(b, bob);
    const seen = await bobOnB.v1.statuses.$select(post.id).fetch();
    const url = seen.mediaAttachments[0].url;
    assert.ok(url.startsWith(b.url), 'an address of node B');
    const got = await get(url);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, bytes, 'node B reads the file node A stored, from the database');
    // an address node A signed serves on node B too: one key signs for every node
    const fromA = (await bob.client.v1.statuses.$select(post.id).fetch()).mediaAttachments[0].url;
    assert.equal((await get(fromA.replace(a.url, b.url))).status, 200);
    await alice.client.v1.statuses.$select(post.id).remove();
    const closed = await within(2000, async () => (await get(url)).status === 404);
    assert.ok(closed, "node B stops serving the file once node A deleted its post");
  });

  test("removed from its channel on A, the post's file closes to the members on B", async () => {
    const owner = await registerUser(a.url, uniqueName('fo'));
    const [author, reader] = [await registerUser(a.url, uniqueName('fm')), await registerUser(a.url, uniqueName('fr'))];
    const CH = '/api/v1/partyline/channels';
    const ch = (await raw(a.url, CH, { method: 'POST', token: owner.token, json: { name: uniqueName('fch'), display_name: 'Finance' } })).json;
    for (const p of [author, reader]) assert.equal((await raw(a.url, `${CH}/${ch.id}/join`, { method: 'POST', token: p.token })).status, 200);
    const m = await upload(author);
    const post = await author.client.v1.statuses.create({ status: 'for the channel', channelId: ch.id, mediaIds: [m.id] });
    const readerOnB = await onNode(b, reader);
    const url = (await readerOnB.v1.statuses.$select(post.id).fetch()).mediaAttachments[0].url;
    assert.equal((await get(url)).status, 200);
    const removed = await raw(a.url, `${CH}/${ch.id}/statuses/${post.id}`, { method: 'DELETE', token: owner.token });
    assert.equal(removed.status, 200);
    const closed = await within(2000, async () => (await get(url)).status === 404);
    assert.ok(closed, "node B stops serving a removed post's file to a member");
    // its author still has it (a removed post is its author's and the moderators')
    const own = (await author.client.v1.statuses.$select(post.id).fetch()).mediaAttachments[0].url;
    assert.equal((await get(own.replace(a.url, b.url))).status, 200);
  });
});
