// The same routes read by other, independently written clients: Mastodon.py (Debian's
// python3-mastodon) and toot (Debian's command-line client; scripts/setup installs both), so
// the suite holds more than masto.js's reading of the documentation. Mastodon.py's checks are
// in mastodonpy_*.py; this file starts a server with the shipped default audience and gives
// the scripts people's tokens.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { registerUsers, repoRoot, startServer } from './harness.mjs';

let server;
before(async () => {
  server = await startServer({ env: { PARTYLINE_DEFAULT_VISIBILITY: null } });
});
after(async () => {
  await server?.stop();
});

function python(args) {
  return new Promise((resolve) => {
    execFile('/usr/bin/python3', args, { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
  });
}

/** Runs Debian's toot (the command-line client) with its configuration in configDir; input is
 *  its standard input (toot reads a password piped there). */
function toot(configDir, args, input = '') {
  return new Promise((resolve) => {
    const child = execFile('/usr/bin/toot', args, { timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: configDir } },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
    child.stdin.end(input);
  });
}

test('Mastodon.py reads preferences, replies to a company post inside the company, and mutes the conversation', async () => {
  const [author, colleague] = await registerUsers(server.url, ['py_a', 'py_c']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_preferences.py');
  const r = await python([script, server.url, author.token, colleague.token]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});

test('Mastodon.py schedules a post, lists, fetches, moves and cancels it; another person gets 404', async () => {
  const [author, other] = await registerUsers(server.url, ['py_s', 'py_o']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_scheduled.py');
  const r = await python([script, server.url, author.token, other.token]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});

test('Mastodon.py\'s version probe (/api/v1/instance/, with the slash) finds a Mastodon 4 (issue 11 item 4)', async () => {
  const [someone] = await registerUsers(server.url, ['py_v']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_version.py');
  const r = await python([script, server.url, someone.token]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});

test('toot signs in (an app, the password grant), says who it is, posts and reads the home timeline (issue 11 item 4)', async () => {
  const [someone] = await registerUsers(server.url, ['toot']);
  const configDir = await mkdtemp(path.join(os.tmpdir(), 'toot-'));
  try {
    const instance = new URL(server.url).host;
    const login = await toot(configDir, ['login_cli', '--disable-https', '-i', instance, '-e', someone.email], someone.password);
    assert.equal(login.code, 0, `toot login_cli: ${login.stderr || login.stdout}`);
    assert.match(login.stdout, /Successfully logged in/);
    const who = await toot(configDir, ['whoami', '--no-color']);
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, new RegExp(`@${someone.username}`));
    const post = await toot(configDir, ['post', 'from toot']);
    assert.equal(post.code, 0, post.stderr || post.stdout);
    const mine = await someone.client.v1.accounts.$select(someone.account.id).statuses.list();
    assert.equal(mine[0].content, '<p>from toot</p>');
    const tl = await toot(configDir, ['timeline', '--once', '--no-color']);
    assert.equal(tl.code, 0, tl.stderr);
    assert.match(tl.stdout, /from toot/);
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
});

test('Mastodon.py finds a person one blocks by name and unblocks them (account search, as Mastodon)', async () => {
  const [me, them] = await registerUsers(server.url, ['py_b', 'py_bt']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_blocks.py');
  const r = await python([script, server.url, me.token, them.username, them.account.id]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});

test('Mastodon.py reads the directory, familiar followers (ids as a JSON body), suggestions and featured tags', async () => {
  const [viewer, friend, target] = await registerUsers(server.url, ['py_dv', 'py_df', 'py_dt']);
  await viewer.client.v1.accounts.$select(friend.account.id).follow();
  await friend.client.v1.accounts.$select(target.account.id).follow();
  const script = path.join(repoRoot, 'tests/api/mastodonpy_discover.py');
  const r = await python([script, server.url, viewer.token, friend.token, target.account.id]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});

test('Mastodon.py posts Markdown with status_post(content_type=...) (its pleroma feature set), and an edit keeps it', async () => {
  const [someone] = await registerUsers(server.url, ['py_md']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_markdown.py');
  const r = await python([script, server.url, someone.token]);
  assert.equal(r.code, 0, `Mastodon.py: ${r.stderr || r.stdout}`);
  assert.equal(r.stdout.trim(), 'ok');
});
