// The same routes read by a second, independently written client: Mastodon.py (Debian's
// python3-mastodon, scripts/setup installs it), so the suite holds more than masto.js's
// reading of the documentation. The checks are in mastodonpy_preferences.py; this file starts
// a server with the shipped default audience and gives the script two people's tokens.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
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

test('Mastodon.py reads preferences, replies to a company post inside the company, and mutes the conversation', async () => {
  const [author, colleague] = await registerUsers(server.url, ['py_a', 'py_c']);
  const script = path.join(repoRoot, 'tests/api/mastodonpy_preferences.py');
  const r = await python([script, server.url, author.token, colleague.token]);
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
