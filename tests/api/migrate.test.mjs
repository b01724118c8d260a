// migrate.test.mjs — `partyline migrate --from DATA_DIR --to postgres://…` (src/cli/migrate.c,
// src/store/copy.c): a company built through the API on SQLite is served from PostgreSQL
// after the move, the same for its people and their clients; a database that holds data is
// refused; a run killed half-way is finished by the next one without duplicates.
// Needs PostgreSQL: runs under `make test-api-pg` (PARTYLINE_TEST_DATABASE), skips otherwise.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  binaryPath, createApp, dropDatabase, makeDatabase, passwordLogin, raw, registerUser, restClient,
  startServer, uniqueName,
} from './harness.mjs';

const run = promisify(execFile);
const skip = process.env.PARTYLINE_TEST_DATABASE
  ? false
  : 'PARTYLINE_TEST_DATABASE is not set: migrate needs a PostgreSQL (make test-api-pg runs it)';

/** The environment of a CLI call: none of the caller's PARTYLINE_* settings. */
function cliEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
}

/** Runs `partyline ARGS…`; resolves {code, stdout, stderr} whatever the exit code. */
async function cli(...args) {
  try {
    const { stdout, stderr } = await run(binaryPath(), args, { env: cliEnv(), maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one SQL statement on a PostgreSQL database. */
async function psql(url, sql) {
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql]);
}
const ids = (list) => list.map((x) => x.id);

/** Polls fn until it returns a truthy value (the fan-out to home feeds runs in the background). */
async function eventually(fn, what) {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v) return v;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('partyline migrate', { skip }, () => {
  const dirs = [];
  const dbs = [];
  after(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await Promise.all(dbs.map((d) => dropDatabase(d)));
  });
  const tempDir = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'partyline-migrate-'));
    dirs.push(d);
    return d;
  };
  const database = async () => {
    const d = await makeDatabase();
    dbs.push(d);
    return d;
  };

  let dataDir, target, before_;
  let alice, bob, carol, channelId;

  before(async () => {
    // A small company on SQLite, made through the API.
    dataDir = await tempDir();
    const srv = await startServer({ sqlite: true, dataDir });
    try {
      alice = await registerUser(srv.url, uniqueName('alice'));
      bob = await registerUser(srv.url, uniqueName('bob'));
      carol = await registerUser(srv.url, uniqueName('carol'));
      await alice.client.v1.accounts.$select(bob.account.id).follow();
      await alice.client.v1.accounts.$select(carol.account.id).follow();
      await bob.client.v1.accounts.$select(alice.account.id).follow();
      const posts = {};
      for (const visibility of ['public', 'unlisted', 'private']) {
        posts[visibility] = await bob.client.v1.statuses.create({ status: `bob ${visibility} #moving`, visibility });
      }
      posts.direct = await bob.client.v1.statuses.create({ status: `@${alice.username} just us`, visibility: 'direct' });
      // a file in a followers-only post: it stays in the folder, encrypted, under the same key
      const doc = await bob.client.v2.media.create({ file: new Blob(['the quarterly numbers\n']), description: 'numbers' });
      posts.file = await bob.client.v1.statuses.create({ status: 'with a file', visibility: 'private', mediaIds: [doc.id] });
      posts.carol = await carol.client.v1.statuses.create({ status: 'carol says hi' });
      posts.alice = await alice.client.v1.statuses.create({ status: 'first draft', spoilerText: 'cw' });
      await alice.client.v1.statuses.$select(posts.alice.id).update({ status: 'second draft' });
      await alice.client.v1.statuses.$select(posts.public.id).favourite();
      await alice.client.v1.statuses.$select(posts.private.id).bookmark();
      await alice.client.v1.statuses.$select(posts.carol.id).bookmark();
      await bob.client.v1.statuses.$select(posts.alice.id).favourite();
      await bob.client.v1.statuses.$select(posts.alice.id).reblog();
      await bob.client.v1.statuses.create({ status: 'a reply', inReplyToId: posts.alice.id });
      await alice.client.v1.markers.create({ home: { lastReadId: posts.private.id } });
      // a private channel with a member, a waiting request, a post and a pin
      const CH = '/api/v1/partyline/channels';
      const ch = (await raw(srv.url, CH, { method: 'POST', token: bob.token, json: { name: uniqueName('team'), private: true } })).json;
      await raw(srv.url, `${CH}/${ch.id}/join`, { method: 'POST', token: alice.token });
      await raw(srv.url, `${CH}/${ch.id}/requests/${alice.account.id}/authorize`, { method: 'POST', token: bob.token });
      await raw(srv.url, `${CH}/${ch.id}/join`, { method: 'POST', token: carol.token });
      posts.channel = await bob.client.v1.statuses.create({ status: 'team only', channelId: ch.id });
      await raw(srv.url, `${CH}/${ch.id}/pins/${posts.channel.id}`, { method: 'POST', token: bob.token });
      channelId = ch.id;
      const list = await alice.client.v1.lists.create({ title: 'bob and carol', repliesPolicy: 'none' });
      await alice.client.v1.lists.$select(list.id).accounts.create({ accountIds: [bob.account.id, carol.account.id] });
      const filter = await alice.client.v2.filters.create({ title: 'moved', context: ['home', 'thread'], keywordsAttributes: [{ keyword: 'zzqx' }] });
      await alice.client.v2.filters.$select(filter.id).statuses.create({ statusId: posts.carol.id });
      await alice.client.v1.tags.$select('migrated').follow();
      await bob.client.v1.statuses.$select(posts.private.id).pin();
      await bob.client.v1.statuses.$select(posts.public.id).pin();
      await bob.client.v1.accounts.updateCredentials({ hideCollections: true });
      // a company announcement, read by alice, with reactions (and their emoji's numbers)
      const ann = await cli('admin', 'announce', '--data', dataDir, '--text', `Moving day, ask @${bob.username}`);
      assert.equal(ann.code, 0, ann.stderr);
      const annId = ann.stdout.match(/^id (\d+)$/m)[1];
      await alice.client.v1.announcements.$select(annId).dismiss();
      await alice.client.v1.announcements.$select(annId).reactions.$select('🚚').update();
      await bob.client.v1.announcements.$select(annId).reactions.$select('🚚').update();
      await bob.client.v1.announcements.$select(annId).reactions.$select('📦').update();

      // retention: a policy, a hold, alice's own automatic deletion
      assert.equal((await cli('admin', 'retention', 'set', '--data', dataDir, '--scope', 'company', '--days', '365')).code, 0);
      assert.equal((await cli('admin', 'hold', '--data', dataDir, '--username', bob.username, '--reason', 'moving')).code, 0);
      const own = await raw(srv.url, '/api/v1/partyline/statuses_cleanup',
        { method: 'PUT', token: alice.token, json: { enabled: true, min_status_age: 604800, keep_media: true } });
      assert.equal(own.status, 200, own.text);

      const home = await eventually(async () => {
        const h = await alice.client.v1.timelines.home.list({ limit: 40 });
        return ids(h).includes(posts.carol.id) && ids(h).includes(posts.private.id) && ids(h).includes(posts.channel.id)
          ? h : null;
      }, "alice's home feed");
      before_ = {
        posts,
        me: await alice.client.v1.accounts.verifyCredentials(),
        home: ids(home),
        notifications: (await alice.client.v1.notifications.list({ limit: 40 })).map((n) => `${n.type} ${n.id}`),
        bookmarks: ids(await alice.client.v1.bookmarks.list()),
        favourites: ids(await alice.client.v1.favourites.list()),
        history: (await alice.client.v1.statuses.$select(posts.alice.id).history.list()).map((h) => h.content),
        edited: await alice.client.v1.statuses.$select(posts.alice.id).fetch(),
        markers: await alice.client.v1.markers.fetch({ timeline: ['home'] }),
        stats: (await alice.client.v1.instance.fetch()).stats,
        lists: await alice.client.v1.lists.list(),
        filters: await alice.client.v2.filters.list(),
        followedTags: await alice.client.v1.followedTags.list(),
        listTimeline: ids(await alice.client.v1.timelines.list.$select(list.id).list({ limit: 40 })),
        pins: ids(await alice.client.v1.accounts.$select(bob.account.id).statuses.list({ pinned: true })),
        announcements: await alice.client.v1.announcements.list(),
        origin: srv.url,
      };
      assert.deepEqual(before_.pins, [posts.public.id, posts.private.id]);
    } finally {
      await srv.stop();
    }
    target = await database();
  });

  test('copies the company and verifies every table', async () => {
    const r = await cli('migrate', '--from', dataDir, '--to', target);
    assert.equal(r.code, 0, `migrate should succeed\n${r.stdout}\n${r.stderr}`);
    for (const table of ['accounts', 'statuses', 'status_edits', 'follows', 'favourites', 'bookmarks',
      'timeline', 'notifications', 'markers', 'tokens', 'lists', 'list_accounts', 'channels', 'channel_roles',
      'channel_pins', 'follow_requests', 'filters', 'filter_keywords', 'filter_statuses', 'tag_follows', 'status_pins',
      'retention_policies', 'legal_holds', 'account_cleanup_policies']) {
      assert.match(r.stdout, new RegExp(`^\\s+${table}\\s+(\\d+)\\s+\\1\\s+[0-9a-f]{16}\\s+[0-9a-f]{16}\\s+ok$`, 'm'),
        `the verification should list ${table} with equal counts\n${r.stdout}`);
    }
    assert.doesNotMatch(r.stdout, /MISMATCH/);
    assert.match(r.stdout, /every table matches/);
  });

  test('the PostgreSQL server serves the same people, tokens, feeds and history', async () => {
    // the files stay where they were: the same folder and master key (cli/migrate.c says so)
    const srv = await startServer({
      database: target,
      env: { PARTYLINE_MEDIA_FOLDER: path.join(dataDir, 'media'), PARTYLINE_MEDIA_MASTER_KEY: path.join(dataDir, 'media.key') },
    });
    try {
      // an old token still works
      const a = restClient(srv.url, alice.token);
      const me = await a.v1.accounts.verifyCredentials();
      assert.equal(me.id, before_.me.id);
      assert.equal(me.username, alice.username);
      assert.equal(me.followingCount, before_.me.followingCount);
      assert.equal(me.followersCount, before_.me.followersCount);
      assert.equal(me.statusesCount, before_.me.statusesCount);
      // a file of a post is served to its audience as before, and to no one else
      const withFile = await a.v1.statuses.$select(before_.posts.file.id).fetch();
      assert.equal(withFile.mediaAttachments[0].description, 'numbers');
      const got = await fetch(withFile.mediaAttachments[0].url);
      assert.equal(got.status, 200);
      assert.equal(await got.text(), 'the quarterly numbers\n');
      assert.equal((await fetch(withFile.mediaAttachments[0].url.split('?')[0], { headers: { Authorization: `Bearer ${carol.token}` } })).status, 404);
      // the same person signs in with the same password
      const app = await createApp(srv.url);
      const tok = await passwordLogin(srv.url, app, alice.email);
      assert.equal((await restClient(srv.url, tok.accessToken).v1.accounts.verifyCredentials()).id, me.id);

      assert.deepEqual(ids(await a.v1.timelines.home.list({ limit: 40 })), before_.home, 'home feed');
      assert.deepEqual((await a.v1.notifications.list({ limit: 40 })).map((n) => `${n.type} ${n.id}`),
        before_.notifications, 'notifications');
      assert.deepEqual(ids(await a.v1.bookmarks.list()), before_.bookmarks, 'bookmarks');
      assert.deepEqual(ids(await a.v1.favourites.list()), before_.favourites, 'favourites');
      const id = before_.posts.alice.id;
      assert.deepEqual((await a.v1.statuses.$select(id).history.list()).map((h) => h.content), before_.history,
        'edit history');
      assert.equal(before_.history.length, 2);
      const edited = await a.v1.statuses.$select(id).fetch();
      for (const k of ['content', 'spoilerText', 'editedAt', 'favouritesCount', 'reblogsCount', 'repliesCount']) {
        assert.equal(edited[k], before_.edited[k], k);
      }
      assert.deepEqual(await a.v1.markers.fetch({ timeline: ['home'] }), before_.markers, 'markers');
      // the running totals are not copied: the target's triggers count the accounts going in
      assert.deepEqual((await a.v1.instance.fetch()).stats, before_.stats, 'the instance counts');
      assert.ok(before_.stats.userCount >= 2 && before_.stats.statusCount >= 2, JSON.stringify(before_.stats));
      assert.deepEqual(await a.v1.lists.list(), before_.lists, 'lists');
      assert.equal(before_.filters[0].statuses.length, 1);
      assert.deepEqual(await a.v2.filters.list(), before_.filters, 'filters with keywords and statuses');
      assert.deepEqual((await a.v1.followedTags.list()).map((t) => t.name), ['migrated'], 'followed tags');
      assert.ok(before_.listTimeline.length > 0);
      assert.deepEqual(ids(await a.v1.timelines.list.$select(before_.lists[0].id).list({ limit: 40 })),
        before_.listTimeline, 'list timeline');
      assert.deepEqual(ids(await a.v1.accounts.$select(bob.account.id).statuses.list({ pinned: true })),
        before_.pins, "bob's pins");
      assert.equal(before_.announcements[0].reactions.length, 2);
      assert.equal(before_.announcements[0].read, true);
      // rendered when read: the links are on the new server's address
      const sameOrigin = (v, origin) => JSON.parse(JSON.stringify(v).replaceAll(origin, 'ORIGIN'));
      assert.deepEqual(sameOrigin(await a.v1.announcements.list(), srv.url), sameOrigin(before_.announcements, before_.origin),
        'announcements, read, reactions');
      const own = await raw(srv.url, '/api/v1/partyline/statuses_cleanup', { token: alice.token });
      assert.deepEqual([own.json.enabled, own.json.min_status_age, own.json.keep_media], [true, 604800, true], 'her own automatic deletion');
      assert.deepEqual(ids(await a.v1.accounts.$select(bob.account.id).followers.list()), [],
        "bob's followers stay hidden");
      // bob's direct post is still only for alice and bob
      const carolSees = restClient(srv.url, carol.token);
      await assert.rejects(carolSees.v1.statuses.$select(before_.posts.direct.id).fetch());
      const bobSees = await restClient(srv.url, bob.token).v1.statuses.$select(before_.posts.direct.id).fetch();
      assert.equal(bobSees.visibility, 'direct');
      // the private channel: alice is a member and reads its pinned post; carol still waits
      const CH = '/api/v1/partyline/channels';
      const pins = await raw(srv.url, `${CH}/${channelId}/pins`, { token: alice.token });
      assert.deepEqual(ids(pins.json), [before_.posts.channel.id], 'channel pins');
      await assert.rejects(carolSees.v1.statuses.$select(before_.posts.channel.id).fetch());
      const asBob = await raw(srv.url, `${CH}/${channelId}`, { token: bob.token });
      assert.equal(asBob.json.role, 'owner');
      assert.equal(asBob.json.requests_count, 1, "carol's request waits");
      // and it keeps working: a new post reaches a follower
      const fresh = await restClient(srv.url, bob.token).v1.statuses.create({ status: 'after the move' });
      await eventually(async () => ids(await a.v1.timelines.home.list({ limit: 5 })).includes(fresh.id),
        'a new post in the home feed');
    } finally {
      await srv.stop();
    }
  });

  test('a database that already holds data is refused, naming the table', async () => {
    const r = await cli('migrate', '--from', dataDir, '--to', target);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /not empty: table accounts has rows/);
  });

  test('a run killed half-way is finished by the next one, without duplicates; a corrupted target is caught', async () => {
    const dir = await tempDir();
    const made = await cli('bench-data', '--data', dir, '--users', '200', '--posts', '20000',
      '--tokens', path.join(dir, 'tokens'));
    assert.equal(made.code, 0, made.stderr);
    const db = await database();

    const child = spawn(binaryPath(), ['migrate', '--from', dir, '--to', db], {
      env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stdout.on('data', (d) => {
      out += d;
      // the first table is committed: kill while the others are on their way
      if (/^\s+accounts\s+\d+ rows/m.test(out)) child.kill('SIGKILL');
    });
    const first = await exited;
    assert.equal(first.signal, 'SIGKILL', `the first run should have been killed mid-way:\n${out}`);

    // A finished table corrupted in the target, in its text only (same length, same row
    // count): the verification must see it, exit non-zero, and the table is copied anew.
    await psql(db, "UPDATE accounts SET username = reverse(username) WHERE id = " +
      "(SELECT min(id) FROM accounts WHERE username <> reverse(username))");
    const caught = await cli('migrate', '--from', dir, '--to', db);
    assert.notEqual(caught.code, 0, `a corrupted target must fail the verification\n${caught.stdout}`);
    assert.match(caught.stdout, /^\s+accounts\s+201\s+201\s+[0-9a-f]{16}\s+[0-9a-f]{16}\s+MISMATCH$/m,
      `the verification names the table whose text differs\n${caught.stdout}`);
    assert.match(caught.stdout, /^\s+statuses\s+(\d+)\s+\1\s+([0-9a-f]{16})\s+\2\s+ok$/m);

    const r = await cli('migrate', '--from', dir, '--to', db);
    assert.equal(r.code, 0, `the second run should finish\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /resuming an earlier run/);
    // 200 people and the everyone channel (a group account every database has), copied
    // anew since the run before found them corrupted; the rest was finished by that run
    assert.match(r.stdout, /^\s+accounts\s+201 rows/m);
    assert.doesNotMatch(r.stdout, /^\s+accounts\s+201 rows\s+\(copied by an earlier run\)/m);
    assert.match(r.stdout, /^\s+statuses\s+\d+ rows\s+\(copied by an earlier run\)/m);
    assert.match(r.stdout, /^\s+statuses\s+(\d+)\s+\1\s+([0-9a-f]{16})\s+\2\s+ok$/m);
    assert.doesNotMatch(r.stdout, /MISMATCH/);
    assert.match(r.stdout, /every table matches/);

    // done: the progress marks are gone, so a third run sees an ordinary, full database
    const again = await cli('migrate', '--from', dir, '--to', db);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty/);
  });
});
