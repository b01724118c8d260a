// registration_reason.test.mjs — the reason a person gives for joining (POST /api/v1/accounts
// `reason`, docs: methods/accounts#create): kept while registrations need approval, limited to
// registration_reason_max characters (422 with details.reason beyond, nothing written), shown
// to the administrator by `partyline admin list-pending` on one line however it is typed, and
// forgotten once the account is approved. Open registration ignores it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  PASSWORD, appToken, binaryPath, createApp, expectHttpError, restClient, startServers, uniqueName,
} from './harness.mjs';

const run = promisify(execFile);

let approval; // PARTYLINE_REGISTRATIONS=approval, the default limit (500)
let open; // the default: open registration
let short; // approval, registration_reason_max = 10

before(async () => {
  [approval, open, short] = await startServers([
    { env: { PARTYLINE_REGISTRATIONS: 'approval' } },
    {},
    { env: { PARTYLINE_REGISTRATIONS: 'approval', PARTYLINE_REGISTRATION_REASON_MAX: '10' } },
  ]);
});
after(async () => {
  await Promise.all([approval, open, short].filter(Boolean).map((s) => s.stop()));
});

/** `partyline admin ARGS… --data` on server s's data (and its database on PostgreSQL runs). */
async function admin(s, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  if (s.database) env.PARTYLINE_DATABASE = s.database;
  try {
    const { stdout, stderr } = await run(binaryPath(), ['admin', ...args, '--data', s.dataDir], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** list-pending as rows of fields: [id, username, email, registered, reason]. */
async function pending(s) {
  const r = await admin(s, 'list-pending');
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

async function registrar(s) {
  const tok = await appToken(s.url, await createApp(s.url));
  return restClient(s.url, tok.accessToken);
}

const reg = (username, extra = {}) => ({
  username, email: `${username}@example.com`, password: PASSWORD, agreement: true, locale: 'en', ...extra,
});

describe('registration reason', () => {
  test('under approval the reason is kept and list-pending shows it on one line', async () => {
    const rest = await registrar(approval);
    const name = uniqueName('why');
    // a newline that tries to forge a row of its own, a tab, a terminal escape, a backslash
    const reason = 'I run the Lyon warehouse.\n999\tmallory\tm@example.com\t2020-01-01T00:00Z\tapproved\x1b[2K \\ ☕';
    const token = await rest.v1.accounts.create(reg(name, { reason }));
    assert.ok(token.accessToken);
    const quiet = uniqueName('quiet');
    await rest.v1.accounts.create(reg(quiet));

    const r = await admin(approval, 'list-pending');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.ok(lines.every((l) => l.split('\t').length === 5), r.stdout);
    assert.ok(!lines.some((l) => l.startsWith('999')), `no forged line:\n${r.stdout}`);
    assert.ok(!r.stdout.includes('\x1b'), 'the escape character is shown, not sent to the terminal');
    const mine = lines.map((l) => l.split('\t')).find((f) => f[1] === name);
    assert.ok(mine, `${name} should be listed as pending:\n${r.stdout}`);
    assert.equal(mine[2], `${name}@example.com`);
    assert.match(mine[3], /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    // masto.js sends a form, whose encoding turns the newline into CR LF: both are escaped
    assert.equal(mine[4].replace('\\r\\n', '\\n'),
      'I run the Lyon warehouse.\\n999\\tmallory\\tm@example.com\\t2020-01-01T00:00Z\\tapproved\\x1B[2K \\\\ ☕');
    const other = lines.map((l) => l.split('\t')).find((f) => f[1] === quiet);
    assert.equal(other?.[4], '', 'no reason given: an empty last column');

    // approved: no longer pending, and the person signs in
    assert.equal((await admin(approval, 'approve-user', '--username', name)).code, 0);
    assert.ok(!(await pending(approval)).some((f) => f[1] === name));
    const me = await restClient(approval.url, token.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.username, name);
  });

  test('a reason over the limit is 422 with details.reason, and no account is made', async () => {
    const rest = await registrar(approval);
    const name = uniqueName('long');
    const e = await expectHttpError(rest.v1.accounts.create(reg(name, { reason: 'x'.repeat(501) })),
      422, /reason/i, 'a 501-character reason');
    assert.match(e.message, /500 characters/);
    assert.equal(e.details?.reason?.[0]?.error, 'ERR_TOO_LONG', JSON.stringify(e.details));
    assert.ok(!(await pending(approval)).some((f) => f[1] === name), 'nothing written');
    // the same name and e-mail are still free; the limit counts characters, not bytes
    const token = await rest.v1.accounts.create(reg(name, { reason: '☕'.repeat(500) }));
    assert.ok(token.accessToken);
    const row = (await pending(approval)).find((f) => f[1] === name);
    assert.equal(row?.[4], '☕'.repeat(500));
  });

  test('the instance says the reason is optional and how long it may be', async () => {
    const v2 = await restClient(approval.url).v2.instance.fetch();
    assert.equal(v2.registrations.approvalRequired, true);
    assert.equal(v2.registrations.reasonRequired, false);
    assert.equal(v2.registrations.reasonMaxCharacters, 500);
  });

  test('the limit is a setting (registration_reason_max)', async () => {
    const rest = await registrar(short);
    assert.equal((await restClient(short.url).v2.instance.fetch()).registrations.reasonMaxCharacters, 10);
    const name = uniqueName('ten');
    const e = await expectHttpError(rest.v1.accounts.create(reg(name, { reason: 'eleven char' })),
      422, /maximum is 10 characters/, 'an 11-character reason');
    assert.equal(e.details?.reason?.[0]?.error, 'ERR_TOO_LONG');
    await rest.v1.accounts.create(reg(name, { reason: 'ten chars!' }));
    assert.equal((await pending(short)).find((f) => f[1] === name)?.[4], 'ten chars!');
  });

  test('open registration ignores the reason, even one over the limit', async () => {
    const rest = await registrar(open);
    const name = uniqueName('open');
    const token = await rest.v1.accounts.create(reg(name, { reason: 'y'.repeat(600) }));
    const me = await restClient(open.url, token.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.username, name);
    assert.deepEqual(await pending(open), []);
  });
});
