// admin.test.mjs — `partyline admin …` and `partyline demo` on the data folder of a running
// server: what an operator does from the command line shows up through the API at once.
// Mirrors src/cli/admin.c and src/cli/demo.c.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  appToken, binaryPath, createApp, dropDatabase, makeDatabase, expectHttpError, htmlText, passwordLogin, raw, restClient, startServer, uniqueName,
} from './harness.mjs';

const run = promisify(execFile);

/** The database the CLI must use (PostgreSQL runs), set per describe block below. */
let cliDatabase = '';

/** Runs `partyline ARGS…`; resolves {code, stdout, stderr} whatever the exit code. */
async function cli(...args) {
  return cliWith({}, ...args);
}

/** cli() with settings of its own in the environment (PARTYLINE_…). */
async function cliWith(extra, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  if (cliDatabase) env.PARTYLINE_DATABASE = cliDatabase;
  env.PARTYLINE_PASSWORD_HASH_MEMORY = '8'; // the tests' password cost, as the servers' (harness.mjs)
  Object.assign(env, extra);
  try {
    const { stdout, stderr } = await run(binaryPath(), args, { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('partyline admin', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { PARTYLINE_REGISTRATIONS: 'approval' } });
    cliDatabase = srv.database;
  });
  after(async () => srv?.stop());

  test('create-user makes an account that signs in with the password grant', async () => {
    const name = uniqueName('adm');
    const r = await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw');
    assert.equal(r.code, 0, r.stderr);
    const app = await createApp(srv.url);
    const tok = await passwordLogin(srv.url, app, name, 'long enough pw');
    const me = await restClient(srv.url, tok.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.username, name);
  });

  test('create-user with a taken name fails with a message and exit code 1', async () => {
    const name = uniqueName('dup');
    const args = ['admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw'];
    assert.equal((await cli(...args)).code, 0);
    const again = await cli(...args);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already been taken/);
  });

  test('disable-user revokes the sessions at once; enable-user lets the person sign in again', async () => {
    const name = uniqueName('off');
    await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw');
    const app = await createApp(srv.url);
    const tok = await passwordLogin(srv.url, app, name, 'long enough pw');
    const client = restClient(srv.url, tok.accessToken);
    await client.v1.accounts.verifyCredentials();
    assert.equal((await cli('admin', 'disable-user', '--data', srv.dataDir, '--username', name)).code, 0);
    await expectHttpError(client.v1.accounts.verifyCredentials(), 401, /invalid/i);
    // RFC 6749 error code in "error"; the reason ("…currently disabled") in error_description
    await expectHttpError(passwordLogin(srv.url, app, name, 'long enough pw'), 403, /invalid_grant/);
    assert.equal((await cli('admin', 'enable-user', '--data', srv.dataDir, '--username', name)).code, 0);
    const again = await passwordLogin(srv.url, app, name, 'long enough pw');
    assert.ok(again.accessToken);
  });

  test('disable-user reaches what the running server had read before (its caches), within seconds', async () => {
    const name = uniqueName('gone');
    await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw');
    const client = restClient(srv.url, (await passwordLogin(srv.url, await createApp(srv.url), name, 'long enough pw')).accessToken);
    const me = await client.v1.accounts.verifyCredentials();
    // the person's picture, which the server answers from the account it read (and keeps)
    const avatar = new URL(me.avatar).pathname;
    for (let i = 0; i < 4; i++) assert.equal((await raw(srv.url, avatar)).status, 200);
    assert.equal((await cli('admin', 'disable-user', '--data', srv.dataDir, '--username', name)).code, 0);
    // within the second the server takes to hear the admin tool (generous: a loaded machine)
    const end = Date.now() + 8000;
    let status;
    while ((status = (await raw(srv.url, avatar)).status) !== 404 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 404, "a disabled person's picture is not served from the account read before");
  });

  test('the instance counts follow sign-ups, posts, deletes and disabling at once, on every document', async () => {
    // kept as running totals (migration 028): each change must show in the very next read
    const counts = async () => {
      const v1 = (await raw(srv.url, '/api/v1/instance')).json;
      const v2 = (await raw(srv.url, '/api/v2/instance')).json;
      const ni = (await raw(srv.url, '/nodeinfo/2.0')).json;
      assert.equal(v2.usage.users.active_month, v1.stats.user_count);
      assert.equal(ni.usage.users.total, v1.stats.user_count);
      assert.equal(ni.usage.localPosts, v1.stats.status_count);
      return { users: v1.stats.user_count, posts: v1.stats.status_count };
    };
    const start = await counts();
    const name = uniqueName('cnt');
    await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw');
    assert.deepEqual(await counts(), { users: start.users + 1, posts: start.posts });
    const token = (await passwordLogin(srv.url, await createApp(srv.url), name, 'long enough pw')).accessToken;
    const client = restClient(srv.url, token);
    // public posts, to count them on the signed-out documents as well
    const p1 = await client.v1.statuses.create({ status: 'one', visibility: 'public' });
    await client.v1.statuses.create({ status: 'two', visibility: 'public' });
    await client.v1.statuses.$select(p1.id).reblog();
    assert.deepEqual(await counts(), { users: start.users + 1, posts: start.posts + 3 }, 'posts and boosts count');
    await client.v1.statuses.$select(p1.id).remove();
    assert.deepEqual(await counts(), { users: start.users + 1, posts: start.posts + 1 }, 'a delete takes the post (and its boost) away');
    const ch = await raw(srv.url, '/api/v1/partyline/channels', { method: 'POST', token, json: { name: uniqueName('cch'), display_name: 'Counted?' } });
    assert.equal(ch.status, 200, ch.text);
    assert.deepEqual(await counts(), { users: start.users + 1, posts: start.posts + 1 }, 'a channel is not a person');
    assert.equal((await cli('admin', 'disable-user', '--data', srv.dataDir, '--username', name)).code, 0);
    assert.deepEqual(await counts(), { users: start.users, posts: start.posts + 1 }, 'a disabled person is not counted; their posts are');
    assert.equal((await cli('admin', 'enable-user', '--data', srv.dataDir, '--username', name)).code, 0);
    assert.deepEqual(await counts(), { users: start.users + 1, posts: start.posts + 1 });
  });

  test('set-password changes the password and signs out old sessions', async () => {
    const name = uniqueName('pw');
    await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'first password');
    const app = await createApp(srv.url);
    const old = restClient(srv.url, (await passwordLogin(srv.url, app, name, 'first password')).accessToken);
    const r = await cli('admin', 'set-password', '--data', srv.dataDir, '--username', name,
      '--password', 'second password');
    assert.equal(r.code, 0, r.stderr);
    await expectHttpError(old.v1.accounts.verifyCredentials(), 401, /invalid/i);
    await expectHttpError(passwordLogin(srv.url, app, name, 'first password'), 400, /invalid_grant/);
    assert.ok((await passwordLogin(srv.url, app, name, 'second password')).accessToken);
  });

  test('approve-user lets a person who registered under approval sign in', async () => {
    const app = await createApp(srv.url);
    const appClient = restClient(srv.url, (await appToken(srv.url, app)).accessToken);
    const name = uniqueName('wait');
    const token = await appClient.v1.accounts.create({
      username: name, email: `${name}@example.com`, password: 'long enough pw', agreement: true, locale: 'en',
    });
    const client = restClient(srv.url, token.accessToken);
    await expectHttpError(client.v1.accounts.verifyCredentials(), 403, /pending approval/i);
    assert.equal((await cli('admin', 'approve-user', '--data', srv.dataDir, '--username', name)).code, 0);
    const me = await client.v1.accounts.verifyCredentials();
    assert.equal(me.username, name);
  });

  test('list-users shows every account, one per line', async () => {
    const r = await cli('admin', 'list-users', '--data', srv.dataDir);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 4, r.stdout);
    assert.ok(lines.every((l) => l.split('\t').length === 4), r.stdout);
  });

  test('list-users escapes an e-mail that holds a bidi override or a control character', async () => {
    const name = uniqueName('bidi');
    // U+202E turns what follows around on a terminal; DEL is a control
    const email = `${name}\u202Egnp.evil\x7F@example.com`;
    const r0 = await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', email, '--password', 'long enough pw');
    assert.equal(r0.code, 0, r0.stderr);
    const r = await cli('admin', 'list-users', '--data', srv.dataDir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u202E') && !r.stdout.includes('\x7F') && !r.stdout.includes('\x1b'),
      'no bidi override or control reaches the terminal');
    const mine = r.stdout.trim().split('\n').map((l) => l.split('\t')).find((f) => f[1] === name);
    assert.ok(mine, r.stdout);
    assert.equal(mine.length, 4);
    assert.equal(mine[2], `${name}\\u{202E}gnp.evil\\x7F@example.com`);
  });

  test('rotate-media-key makes the master key at the first start (0600) and replaces it', async () => {
    // the files' side (they still read, the old key opens none) is tests/unit/test_media.c
    const keyFile = path.join(srv.dataDir, 'media.key');
    const first = await cli('admin', 'rotate-media-key', '--data', srv.dataDir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^rewrapped \d+ file keys: master key [0-9a-f]{32} replaced by [0-9a-f]{32}/);
    const before = await readFile(keyFile, 'utf8');
    assert.match(before, /^[0-9a-f]{64}\n$/);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    const second = await cli('admin', 'rotate-media-key', '--data', srv.dataDir);
    assert.equal(second.code, 0, second.stderr);
    const [, oldId, newId] = second.stdout.match(/master key ([0-9a-f]+) replaced by ([0-9a-f]+)/);
    assert.notEqual(oldId, newId);
    assert.notEqual(await readFile(keyFile, 'utf8'), before);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  });

  test('rotate-media-key refuses a named master key file that is missing, exit code 1', async () => {
    const r = await cli('admin', 'rotate-media-key', '--data', srv.dataDir);
    assert.equal(r.code, 0, r.stderr);
    const env = { PARTYLINE_MEDIA_MASTER_KEY: path.join(srv.dataDir, 'absent.key') };
    const missing = await cliWith(env, 'admin', 'rotate-media-key', '--data', srv.dataDir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /absent\.key/);
  });

  test('an unknown subcommand is an error with usage, exit code 2', async () => {
    const r = await cli('admin', 'frobnicate', '--data', srv.dataDir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown|incomplete/);
  });

  test('announce posts a company announcement every member reads at once through the API', async () => {
    const name = uniqueName('reader');
    await cli('admin', 'create-user', '--data', srv.dataDir, '--username', name,
      '--email', `${name}@example.com`, '--password', 'long enough pw');
    const client = restClient(srv.url, (await passwordLogin(srv.url, await createApp(srv.url), name, 'long enough pw')).accessToken);
    const r = await cli('admin', 'announce', '--data', srv.dataDir, '--text', 'Town hall at 3pm #allhands');
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.match(/^id (\d+)$/m)?.[1];
    assert.ok(id, r.stdout);
    const later = await cli('admin', 'announce', '--data', srv.dataDir, '--text', 'Holidays\nnext month',
      '--starts-at', '2099-12-24', '--ends-at', '2099-12-27', '--all-day');
    assert.equal(later.code, 0, later.stderr);
    const laterId = later.stdout.match(/^id (\d+)$/m)[1];
    const list = await client.v1.announcements.list();
    assert.deepEqual(list.map((a) => a.id), [id], 'the scheduled one is not listed yet');
    assert.match(list[0].content, /Town hall at 3pm/);
    assert.deepEqual(list[0].tags.map((t) => t.name), ['allhands']);
    // list-announcements: id, state, start, end, the text on one line
    const ls = await cli('admin', 'list-announcements', '--data', srv.dataDir);
    assert.equal(ls.code, 0, ls.stderr);
    const lines = ls.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines.find((l) => l[0] === laterId),
      [laterId, 'scheduled', '2099-12-24T00:00:00.000Z', '2099-12-27T00:00:00.000Z', 'Holidays\\nnext month']);
    assert.deepEqual(lines.find((l) => l[0] === id), [id, 'running', '-', '-', 'Town hall at 3pm #allhands']);
    // delete-announcement takes it away; again is an error
    assert.equal((await cli('admin', 'delete-announcement', '--data', srv.dataDir, '--id', id)).code, 0);
    assert.deepEqual(await client.v1.announcements.list(), []);
    const again = await cli('admin', 'delete-announcement', '--data', srv.dataDir, '--id', id);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not found/i);
    assert.equal((await cli('admin', 'delete-announcement', '--data', srv.dataDir, '--id', laterId)).code, 0);
  });

  test('announce refuses what the API refuses, with a message and exit code 1 (2 for a usage error)', async () => {
    const blank = await cli('admin', 'announce', '--data', srv.dataDir, '--text', '  ');
    assert.equal(blank.code, 1);
    assert.match(blank.stderr, /Text can't be blank/);
    const ended = await cli('admin', 'announce', '--data', srv.dataDir, '--text', 'old news', '--ends-at', '2001-01-01');
    assert.equal(ended.code, 1);
    assert.match(ended.stderr, /Ends at must be in the future/);
    const badTime = await cli('admin', 'announce', '--data', srv.dataDir, '--text', 'x', '--starts-at', 'soon');
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /--starts-at must be a time/);
    const noText = await cli('admin', 'announce', '--data', srv.dataDir);
    assert.equal(noText.code, 2);
    assert.match(noText.stderr, /--text/);
    const ls = await cli('admin', 'list-announcements', '--data', srv.dataDir);
    assert.equal(ls.stdout, '', 'nothing was posted');
  });
});

describe('partyline serve', () => {
  test('--help prints the usage and starts nothing; an unknown or incomplete option is refused, not ignored', async () => {
    const help = await cli('serve', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /partyline serve \[--config FILE\]/);
    // run to its end: a server started by mistake would never exit (cli() waits for it)
    const typo = await cli('serve', '--lisen', '127.0.0.1:1');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /takes only --config FILE, --listen ADDR, --data DIR/);
    assert.equal((await cli('serve', '--data')).code, 2, 'a flag without its value');
  });
});

describe('partyline demo', () => {
  let dir;
  let db;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pl-demo-'));
    db = await makeDatabase();
    cliDatabase = db;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(db);
  });

  test('makes a living company once, and leaves an existing one alone', async () => {
    const first = await cli('demo', '--data', dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /made 50 people/);
    const second = await cli('demo', '--data', dir);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /already has 50 accounts/);
  });

  test('a demo person sees a home timeline with colleagues\' posts, mentions and hashtags', async () => {
    const srv = await startServer({ dataDir: dir, database: db });
    try {
      const app = await createApp(srv.url);
      const tok = await passwordLogin(srv.url, app, 'bruno', 'partyline-demo');
      const client = restClient(srv.url, tok.accessToken);
      const home = await client.v1.timelines.home.list({ limit: 40 });
      assert.ok(home.length >= 10, `home has ${home.length} posts`);
      const authors = new Set(home.map((s) => (s.reblog ?? s).account.username));
      assert.ok(authors.size >= 3, `only ${[...authors]} in home`);
      assert.ok(home.some((s) => (s.reblog ?? s).tags.length > 0), 'some posts have hashtags');
      const notes = await client.v1.notifications.list({ limit: 40 });
      assert.ok(notes.length > 0, 'a demo person has notifications');
    } finally {
      await srv.stop();
    }
  });

  test('reads like a real week: no text twice, every @ a real mention, threads, polls, channels with a purpose', async () => {
    const srv = await startServer({ dataDir: dir, database: db });
    try {
      const app = await createApp(srv.url);
      const tok = await passwordLogin(srv.url, app, 'amara', 'partyline-demo');
      const client = restClient(srv.url, tok.accessToken);
      const seen = [];
      for await (const page of client.v1.timelines.public.list({ limit: 40 })) {
        seen.push(...page.filter((s) => !s.reblog));
        if (seen.length >= 120) break;
      }
      assert.ok(seen.length >= 60, `only ${seen.length} posts`);
      const texts = seen.map((s) => htmlText(s.content).trim());
      const twice = texts.filter((t, i) => texts.indexOf(t) !== i);
      assert.deepEqual(twice, [], 'no text twice');
      for (const s of seen) {
        const text = htmlText(s.content);
        const ats = [...text.matchAll(/@(\S*)/g)].map((m) => m[1].replace(/[.,:;!?)]+$/, '').toLowerCase());
        const mentioned = s.mentions.map((m) => m.acct.toLowerCase());
        for (const at of ats) assert.ok(mentioned.includes(at), `"@${at}" in "${text}" is a mention`);
      }
      assert.ok(seen.filter((s) => s.mentions.length).length >= 4, 'people mention each other');
      assert.ok(seen.some((s) => s.poll), 'a poll or two');
      const replies = seen.filter((s) => s.inReplyToId);
      assert.ok(replies.length >= 15, `threads: ${replies.length} replies`);
      assert.ok(replies.some((r) => seen.some((s) => s.inReplyToId === r.id)), 'a reply answered in turn');
      const channels = (await raw(srv.url, '/api/v1/partyline/channels?limit=40', { token: tok.accessToken })).json;
      const notes = channels.map((c) => htmlText(c.note));
      assert.equal(new Set(notes).size, notes.length, 'each channel says its own purpose');
    } finally {
      await srv.stop();
    }
  });

  test('has a service desk at work: its tickets, a work note only the team reads, and watches that found posts', async () => {
    const srv = await startServer({ dataDir: dir, database: db });
    try {
      const app = await createApp(srv.url);
      const as = async (who) => (await passwordLogin(srv.url, app, who, 'partyline-demo')).accessToken;
      const get = async (token, pathname) => {
        const r = await raw(srv.url, pathname, { token });
        assert.equal(r.status, 200, `${pathname}: ${r.status}`);
        return r.json;
      };
      const chen = await as('chen'); // the servicedesk channel's owner, on the team
      const tickets = await get(chen, '/api/v1/partyline/tickets');
      assert.equal(tickets.length, 3, 'the team sees every ticket');
      const vpn = tickets.find((t) => t.title === 'VPN drops every hour');
      assert.ok(vpn, `the form's ticket: ${tickets.map((t) => t.title)}`);
      assert.equal(vpn.state, 'in_progress');
      assert.equal(vpn.priority, 'high');
      assert.equal(vpn.assignee?.username, 'hiro');
      assert.ok(tickets.some((t) => t.requester.username === 'nadia' && t.state === 'new'),
        'the help desk opened a ticket from a post in its channel');
      const thread = async (token) => (await restClient(srv.url, token).v1.statuses.$select(vpn.status_id).context.fetch()).descendants;
      const seenByTeam = await thread(chen);
      assert.ok(seenByTeam.some((s) => s.partyline?.system), 'the change is a system entry in the thread');
      assert.ok(seenByTeam.some((s) => s.partyline?.audience === 'internal'), 'the team reads the work note');
      const viktor = await as('viktor'); // the one who asked
      assert.deepEqual((await get(viktor, '/api/v1/partyline/tickets')).map((t) => t.id), [vpn.id], 'the requester sees theirs');
      const seenByRequester = await thread(viktor);
      assert.ok(seenByRequester.some((s) => htmlText(s.content).includes('update the VPN gateway')), 'and the answer');
      assert.ok(!seenByRequester.some((s) => s.partyline?.audience === 'internal'), 'but not the note');
      const amara = await as('amara');
      const watches = await get(amara, '/api/v1/partyline/watches');
      assert.deepEqual(watches.map((w) => w.title).sort(), ['Printer trouble', 'The release']);
      // the server's matcher reads the demo's posts when it first starts
      const end = Date.now() + 10_000;
      for (const w of watches) {
        let found = [];
        while (!found.length) {
          found = await get(amara, `/api/v1/partyline/watches/${w.id}/matches`);
          assert.ok(found.length || Date.now() < end, `${w.title} found nothing`);
          if (!found.length) await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      await srv.stop();
    }
  });
});
