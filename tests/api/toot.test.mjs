// Routes read by a third, independently written client: toot (Debian's `toot`, the command
// line client; scripts/setup installs it), so the suite holds more than masto.js's and
// Mastodon.py's reading of the documentation. toot keeps its sign-in in a config file: each
// test writes one (an app and a user with a token from the harness) into a temporary
// XDG_CONFIG_HOME and runs the command as a person would.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { registerUsers, startServer } from './harness.mjs';

let server;
let home;
before(async () => {
  server = await startServer();
  home = await mkdtemp(path.join(os.tmpdir(), 'toot-'));
});
after(async () => {
  await server?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** Runs toot as `who` (a registered user with a token). */
async function toot(who, args) {
  const instance = new URL(server.url).host;
  const dir = path.join(home, who.username);
  await mkdir(path.join(dir, 'toot'), { recursive: true });
  const user = `${who.username}@${instance}`;
  await writeFile(path.join(dir, 'toot', 'config.json'), JSON.stringify({
    apps: { [instance]: { instance, base_url: server.url, client_id: 'test', client_secret: 'test' } },
    users: { [user]: { instance, username: who.username, access_token: who.token } },
    active_user: user,
  }));
  return new Promise((resolve) => {
    execFile('/usr/bin/toot', args, { timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: dir, NO_COLOR: '1' } },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
  });
}

test('toot unblock finds the person one blocks by name (account search shows them, as Mastodon)', async () => {
  const [me, them] = await registerUsers(server.url, ['tb', 'tbt']);
  await me.client.v1.accounts.$select(them.account.id).block();
  const r = await toot(me, ['unblock', them.username]);
  assert.equal(r.code, 0, `toot: ${r.stderr || r.stdout}`);
  assert.match(r.stdout, /no longer blocked/);
  assert.deepEqual(await me.client.v1.blocks.list(), [], 'the block is gone');
});
