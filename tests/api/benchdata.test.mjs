// `partyline bench-data` builds a company a server serves as if it had grown post by post
// (issue 10, item 30: the census runs on its output). The SQLite build defers indexes and the
// full-text trigger during the load (store/bench.c): the server must find everything in place
// afterwards — feeds, tags, search, counts — and new posts must be searchable and deletable.
// On PostgreSQL runs (PARTYLINE_TEST_DATABASE) the company is built in a fresh server database.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { binaryPath, dropDatabase, makeDatabase, raw, startServer } from './harness.mjs';

const USERS = 60;
const POSTS = 4000;

describe('a company from bench-data', () => {
  let dir;
  let database;
  let srv;
  let tokens;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-benchdata-'));
    database = await makeDatabase(); // '' on SQLite runs: the data folder's file
    const env = { PATH: process.env.PATH };
    if (database) env.PARTYLINE_DATABASE = database;
    const { stdout } = await promisify(execFile)(binaryPath(), ['bench-data', '--data', dir, '--users', String(USERS),
      '--posts', String(POSTS), '--tokens', path.join(dir, 'tokens')], { env });
    assert.match(stdout, /done: 60 people, 4000 posts/);
    srv = await startServer({ dataDir: dir, database });
    tokens = (await readFile(path.join(dir, 'tokens'), 'utf8')).trim().split('\n');
  });
  after(async () => {
    await srv?.stop();
    if (database) await dropDatabase(database);
    await rm(dir, { recursive: true, force: true });
  });

  test('one token per person; the accounts carry the counts of what was written', async () => {
    assert.equal(tokens.length, USERS);
    const me = await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: tokens[1] });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.username, 'user1');
    const company = await raw(srv.url, '/api/v1/accounts/lookup?acct=user0', { token: tokens[1] });
    assert.equal(company.status, 200, company.text);
    assert.ok(company.json.followers_count > USERS / 2, 'nearly everyone follows user0');
    const following = await raw(srv.url, `/api/v1/accounts/${me.json.id}/following?limit=80`, { token: tokens[1] });
    assert.equal(following.status, 200, following.text);
    assert.equal(following.json.length, me.json.following_count);
    let posts = 0;
    for (const t of tokens) {
      const r = await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: t });
      posts += r.json.statuses_count;
    }
    assert.equal(posts, POSTS);
  });

  test('home, public, tag timelines and search answer from the loaded data', async () => {
    const home = await raw(srv.url, '/api/v1/timelines/home?limit=40', { token: tokens[1] });
    assert.equal(home.status, 200, home.text);
    assert.equal(home.json.length, 40);
    const pub = await raw(srv.url, '/api/v1/timelines/public?limit=40', { token: tokens[1] });
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.json.length, 40);
    const tag = await raw(srv.url, '/api/v1/timelines/tag/engineering?limit=5', { token: tokens[1] });
    assert.equal(tag.status, 200, tag.text);
    assert.equal(tag.json.length, 5);
    for (const s of tag.json) assert.ok(s.tags.some((t) => t.name === 'engineering'), s.content);
    const found = await raw(srv.url, '/api/v2/search?type=statuses&q=printer&limit=5', { token: tokens[1] });
    assert.equal(found.status, 200, found.text);
    assert.equal(found.json.statuses.length, 5, 'the full-text index holds the loaded posts');
  });

  test('a new post is searchable and reaches the feeds; deleting it removes it', async () => {
    const posted = await raw(srv.url, '/api/v1/statuses', { method: 'POST', token: tokens[0],
      json: { status: 'zebracrossing announcement', visibility: 'public' } });
    assert.equal(posted.status, 200, posted.text);
    const found = await raw(srv.url, '/api/v2/search?type=statuses&q=zebracrossing', { token: tokens[1] });
    assert.deepEqual(found.json.statuses.map((s) => s.id), [posted.json.id]);
    const home = await raw(srv.url, '/api/v1/timelines/home?limit=1', { token: tokens[1] });
    assert.equal(home.json[0]?.id, posted.json.id, 'user0 is followed by user1');
    const gone = await raw(srv.url, `/api/v1/statuses/${posted.json.id}`, { method: 'DELETE', token: tokens[0] });
    assert.equal(gone.status, 200, gone.text);
    const after = await raw(srv.url, '/api/v1/timelines/home?limit=1', { token: tokens[1] });
    assert.notEqual(after.json[0]?.id, posted.json.id);
  });
});

// With --engagements (issue 15): the server serves what the generator wrote as its own —
// counts that match the lists behind them, boosts and replies among the statuses, direct
// messages in their recipients' conversations.
describe('a company from bench-data with engagement', () => {
  const ENGAGEMENTS = 20000;
  let dir;
  let database;
  let srv;
  let tokens;
  let drew;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-benchdata-'));
    database = await makeDatabase();
    const env = { PATH: process.env.PATH };
    if (database) env.PARTYLINE_DATABASE = database;
    const { stdout } = await promisify(execFile)(binaryPath(), ['bench-data', '--data', dir, '--users', String(USERS),
      '--posts', String(POSTS), '--engagements', String(ENGAGEMENTS), '--tokens', path.join(dir, 'tokens')], { env });
    assert.match(stdout, /done: 60 people, 4000 posts, 20000 engagements/);
    const m = stdout.match(/drew \d+ engagements: (\d+) favourites, (\d+) boosts, (\d+) replies, (\d+) mentions, (\d+) new follows, (\d+) channel pins; and (\d+) direct messages/);
    assert.ok(m, stdout);
    const [faves, boosts, replies, mentions, follows, pins, direct] = m.slice(1).map(Number);
    drew = { faves, boosts, replies, mentions, follows, pins, direct };
    assert.equal(faves + boosts + replies + mentions + follows + pins, ENGAGEMENTS);
    srv = await startServer({ dataDir: dir, database });
    tokens = (await readFile(path.join(dir, 'tokens'), 'utf8')).trim().split('\n');
  });
  after(async () => {
    await srv?.stop();
    if (database) await dropDatabase(database);
    await rm(dir, { recursive: true, force: true });
  });

  test('each person\'s statuses count the boosts, replies, mentions and messages they wrote', async () => {
    let statuses = 0;
    for (const t of tokens) {
      const r = await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: t });
      assert.equal(r.status, 200, r.text);
      statuses += r.json.statuses_count;
    }
    assert.equal(statuses, POSTS + drew.boosts + drew.replies + drew.mentions + drew.direct);
  });

  test('a post\'s counts are the favourites and boosts the server lists for it', async () => {
    // user1's own posts, newest first: their counts against the lists behind them
    const me = await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: tokens[1] });
    const mine = await raw(srv.url, `/api/v1/accounts/${me.json.id}/statuses?limit=40&exclude_reblogs=true`,
      { token: tokens[1] });
    assert.equal(mine.status, 200, mine.text);
    let checked = 0;
    for (const s of mine.json.filter((x) => x.favourites_count > 0 && x.favourites_count <= 80)) {
      const by = await raw(srv.url, `/api/v1/statuses/${s.id}/favourited_by?limit=80`, { token: tokens[1] });
      assert.equal(by.json.length, s.favourites_count, `favourites of ${s.id}`);
      const boosted = await raw(srv.url, `/api/v1/statuses/${s.id}/reblogged_by?limit=80`, { token: tokens[1] });
      assert.equal(boosted.json.length, s.reblogs_count, `boosts of ${s.id}`);
      checked++;
    }
    assert.ok(checked > 0, 'user1 has favourited posts');
  });

  test('home holds boosts and replies; direct messages are in conversations', async () => {
    let boosts = 0;
    let replies = 0;
    let conversations = 0;
    for (const t of tokens.slice(0, 20)) {
      const home = await raw(srv.url, '/api/v1/timelines/home?limit=40', { token: t });
      assert.equal(home.status, 200, home.text);
      boosts += home.json.filter((s) => s.reblog).length;
      replies += home.json.filter((s) => s.in_reply_to_id).length;
      const conv = await raw(srv.url, '/api/v1/conversations?limit=40', { token: t });
      assert.equal(conv.status, 200, conv.text);
      conversations += conv.json.length;
      for (const c of conv.json) assert.equal(c.last_status.visibility, 'direct');
    }
    assert.ok(boosts > 0 && replies > 0, `boosts ${boosts}, replies ${replies}`);
    assert.ok(conversations > 0);
  });
});
