// writers.test.mjs — writes that contend. On PostgreSQL a node writes through several
// connections at once (`writers`), so two transactions can lock the same rows in opposite
// orders; PostgreSQL then aborts one and the node runs its jobs again. Whatever happens
// inside, every request is answered as if it ran alone and the counts add up. On SQLite the
// same requests go through the one writer. Also on PostgreSQL: a node whose database
// connections are cut (a restart, an administrator) reconnects and loses no request.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import {
  dropDatabase, makeDatabase, mapLimit, mulberry32, passwordLogin, raw, registerUser, registerUsers, restClient,
  startServer, uniqueName,
  METRICS_TOKEN,
} from './harness.mjs';

const onPostgres = Boolean(process.env.PARTYLINE_TEST_DATABASE);

const metric = async (url, name) => {
  const text = (await raw(url, '/metrics', { token: METRICS_TOKEN })).text;
  const m = text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
};

describe('contending writes', () => {
  let server;
  let db;
  before(async () => {
    db = await makeDatabase();
    server = await startServer({ database: db, env: { PARTYLINE_WRITERS: '4' } });
  });
  after(async () => {
    await server?.stop();
    await dropDatabase(db);
  });

  test('many people favourite and reply to the same posts at once: every answer is 200 and counts add up', async () => {
    const [author] = await registerUsers(server.url, ['wa']);
    const posts = [];
    for (let i = 0; i < 3; i++) posts.push(await author.client.v1.statuses.create({ status: `popular ${i}` }));
    const people = [];
    for (let i = 0; i < 16; i++) people.push(await registerUser(server.url, uniqueName('wp')));
    const rand = mulberry32(7);
    // every person favourites every post and replies to one, in an order of their own
    const acts = [];
    for (const [i, p] of people.entries()) {
      const order = [...posts].sort(() => rand() - 0.5);
      for (const s of order) acts.push(() => p.client.v1.statuses.$select(s.id).favourite());
      acts.push(() => p.client.v1.statuses.create({ status: `reply ${i}`, inReplyToId: posts[i % 3].id }));
    }
    acts.sort(() => rand() - 0.5);
    const retriesBefore = await metric(server.url, 'partyline_writer_retries_total');
    await mapLimit(acts, 32, (act) => act());

    for (const [i, s] of posts.entries()) {
      const got = await author.client.v1.statuses.$select(s.id).fetch();
      assert.equal(got.favouritesCount, people.length, `post ${i}: one favourite per person`);
      assert.equal(got.repliesCount, people.filter((_, k) => k % 3 === i).length, `post ${i}: replies`);
    }
    // and half of them take their favourite back, again all at once
    const undo = [];
    for (const p of people.slice(0, 8)) for (const s of posts) undo.push(() => p.client.v1.statuses.$select(s.id).unfavourite());
    undo.sort(() => rand() - 0.5);
    await mapLimit(undo, 32, (act) => act());
    for (const s of posts) {
      const got = await author.client.v1.statuses.$select(s.id).fetch();
      assert.equal(got.favouritesCount, people.length - 8);
    }
    const notes = await author.client.v1.notifications.list({ types: ['favourite'], limit: 80 });
    assert.equal(notes.length, (people.length - 8) * posts.length, 'a notification for each favourite that stayed');
    const retries = (await metric(server.url, 'partyline_writer_retries_total')) - retriesBefore;
    test.diagnostic?.(`jobs run again after a deadlock: ${retries}`);
  });
});

function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], (err, out, stderr) =>
      (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(out.trim())));
  });
}

describe('a node whose database connections are cut', { skip: !onPostgres && 'needs PostgreSQL (make test-api-pg)' }, () => {
  let server;
  let db;
  before(async () => {
    db = await makeDatabase();
    server = await startServer({ database: db });
  });
  after(async () => {
    await server?.stop();
    await dropDatabase(db);
  });

  test('reconnects at the next transaction: reads, writes, sign-in and cache news all go on', async () => {
    const alice = await registerUser(server.url, uniqueName('ca'));
    const bob = await registerUser(server.url, uniqueName('cb'));
    await bob.client.v1.accounts.$select(alice.account.id).follow();
    const before = await alice.client.v1.statuses.create({ status: 'before the cut' });
    await bob.client.v1.timelines.home.list(); // the loops have prepared statements and caches

    const cut = await psql(db, 'SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity '
      + 'WHERE datname = current_database() AND pid <> pg_backend_pid()) t');
    assert.ok(Number(cut) >= 3, `the node's connections were cut (${cut})`);

    // every kind of connection is needed again: the loops' readers, a writer, a worker
    for (let i = 0; i < 4; i++) {
      const home = await bob.client.v1.timelines.home.list();
      assert.ok(home.some((s) => s.id === before.id));
    }
    const afterCut = await alice.client.v1.statuses.create({ status: 'after the cut' });
    const edited = await alice.client.v1.statuses.$select(before.id).update({ status: 'before the cut, edited' });
    assert.match(edited.content, /edited/);
    const session = await passwordLogin(server.url, alice.app, alice.email);
    const again = restClient(server.url, session.accessToken);
    assert.equal((await again.v1.accounts.verifyCredentials()).id, alice.account.id);
    const home = await bob.client.v1.timelines.home.list();
    assert.ok(home.some((s) => s.id === afterCut.id), 'the new post reached the follower');
    const seen = home.find((s) => s.id === before.id);
    assert.match(seen.content, /edited/, 'the reader saw the edit (no stale cache)');
  });
});
