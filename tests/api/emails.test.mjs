// E-mail confirmation (Mastodon's flow): where allowed_domains is set (or confirm_email asks),
// a registration's token is refused with 403 "Your login is missing a confirmed e-mail
// address" until its owner opens the link mailed to them; POST /api/v1/emails/confirmations
// sends it again (optionally to a corrected address). Mail goes through a real SMTP server on
// loopback (tests/api/smtp-sink.py, Debian's python3-aiosmtpd) and is read from its folder.
// Docs: methods/emails, methods/accounts#create. The rules: src/app/confirm.h.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { decodeWords, linkOf, nextMail, startSink, UNCONFIRMED } from './mail.mjs';
import {
  PASSWORD,
  appToken,
  binaryPath,
  createApp,
  dropDatabase,
  expectHttpError,
  freePort,
  makeDatabase,
  passwordLogin,
  raw,
  restClient,
  startServer,
  submitAuthorizeForm,
  uniqueName,
} from './harness.mjs';

/** Registers through masto's accounts.create with an app token; {app, token, username, email}. */
async function register(url, prefix, app) {
  app ??= await createApp(url);
  const rest = restClient(url, (await appToken(url, app)).accessToken);
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const tok = await rest.v1.accounts.create({ username, email, password: PASSWORD, agreement: true, locale: 'en' });
  assert.ok(tok.accessToken, 'registration answers a token, as Mastodon does');
  return { app, token: tok.accessToken, username, email };
}

let sink;
let server;
const seen = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FROM = 'noreply@example.com';

before(async () => {
  sink = await startSink();
  server = await startServer({
    env: {
      PARTYLINE_ALLOWED_DOMAINS: 'example.com',
      PARTYLINE_SMTP_URL: sink.url,
      PARTYLINE_SMTP_FROM: FROM,
      PARTYLINE_INSTANCE_NAME: 'Acme Zürich',
      PARTYLINE_MAIL_RETRY_SECONDS: '1',
      PARTYLINE_CONFIRM_RESEND_EVERY: '0', // the tests below resend at once; one tests the wait
    },
  });
});

after(async () => {
  await server?.stop();
  await sink?.stop();
});

describe('confirming the e-mail address', () => {
  test('allowed_domains without a mail relay: the server refuses to start and says why', async () => {
    await assert.rejects(
      startServer({ env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com' } }),
      /smtp_url/,
    );
    await assert.rejects(startServer({ env: { PARTYLINE_CONFIRM_EMAIL: 'true' } }), /smtp_url/);
  });

  test('registration mails a link; the token is refused until it is opened, then it works', async () => {
    const { app, token, username, email } = await register(server.url, 'cf');
    const me = restClient(server.url, token);
    await expectHttpError(me.v1.accounts.verifyCredentials(), 403, UNCONFIRMED, 'verify_credentials before confirming');
    await expectHttpError(me.v1.timelines.home.list(), 403, UNCONFIRMED, 'home before confirming');

    const mail = await nextMail(sink, email, seen);
    assert.equal(mail.headers['x-envelope-from'], FROM, 'the envelope sender is smtp_from');
    assert.match(mail.headers.from, new RegExp(`<${FROM}>$`));
    assert.match(mail.headers.from, /^=\?UTF-8\?B\?/, 'a non-ASCII instance name is an encoded word');
    assert.equal(decodeWords(mail.headers.from), `Acme Zürich <${FROM}>`);
    assert.equal(mail.headers.to, email);
    assert.equal(decodeWords(mail.headers.subject), 'Confirm your e-mail address for Acme Zürich');
    assert.ok(!Number.isNaN(Date.parse(mail.headers.date)), 'Date is a date');
    assert.match(mail.headers['message-id'], /^<[0-9a-f]+@example\.com>$/);
    assert.equal(mail.headers['mime-version'], '1.0');
    assert.match(mail.headers['content-type'], /^text\/plain; charset=UTF-8$/i);
    assert.equal(mail.headers['content-transfer-encoding'], 'quoted-printable');
    assert.match(mail.body, new RegExp(`@${username}`));
    assert.match(mail.body, /Acme Zürich/, 'UTF-8 survives the body encoding');
    const link = linkOf(mail);
    assert.ok(link.startsWith(`${server.url}/auth/confirmation?`), 'the link points at this server');

    // Mastodon's password grant answers a token for an unconfirmed login; it is as limited
    const pw = await passwordLogin(server.url, app, email);
    await expectHttpError(restClient(server.url, pw.accessToken).v1.accounts.verifyCredentials(), 403, UNCONFIRMED);
    // the sign-in page gives no authorization code before the address is confirmed
    const params = { client_id: app.clientId, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', response_type: 'code', scope: 'read' };
    const refused = await submitAuthorizeForm(server.url, params, { username: email, password: PASSWORD });
    assert.notEqual(refused.response.status, 302);
    assert.match(refused.response.text, /not confirmed/);

    const page = await raw(server.url, new URL(link).pathname + new URL(link).search);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    assert.match(page.text, /confirmed/);
    assert.match(page.text, /href="\/"/, 'the page leads to the web client to sign in');

    const account = await me.v1.accounts.verifyCredentials();
    assert.equal(account.username, username);
    await me.v1.timelines.home.list();
    const signedIn = await submitAuthorizeForm(server.url, params, { username: email, password: PASSWORD });
    assert.match(signedIn.response.text, /<code/, 'after confirming, the sign-in page gives a code');

    const again = await raw(server.url, new URL(link).pathname + new URL(link).search);
    assert.equal(again.status, 404, 'a link works once');
    assert.match(again.text, /used already/);
  });

  test('a link that is not one answers 404 with a page that says so', async () => {
    const r = await raw(server.url, '/auth/confirmation?confirmation_token=nope');
    assert.equal(r.status, 404);
    assert.match(r.text, /does not work/);
    assert.equal((await raw(server.url, '/auth/confirmation')).status, 404);
  });

  test('POST /api/v1/emails/confirmations sends a new link to a corrected address; the old one stops working', async () => {
    const { token, email } = await register(server.url, 'rs');
    const first = linkOf(await nextMail(sink, email, seen));
    const me = restClient(server.url, token);
    const corrected = `${uniqueName('fixed')}@example.com`;
    await me.v1.emails.confirmations.create({ email: corrected });
    const second = linkOf(await nextMail(sink, corrected, seen));
    assert.notEqual(second, first);
    const old = await raw(server.url, new URL(first).pathname + new URL(first).search);
    assert.equal(old.status, 404, 'a replaced link does not work');
    assert.equal((await raw(server.url, new URL(second).pathname + new URL(second).search)).status, 200);
    const account = await me.v1.accounts.verifyCredentials();
    assert.equal(account.source?.email ?? corrected, corrected);
    await expectHttpError(
      me.v1.emails.confirmations.create(),
      403,
      /only available while the e-mail is awaiting confirmation/,
      'resend once confirmed',
    );
  });

  test('resending without an address sends the same address a new link', async () => {
    const { token, email } = await register(server.url, 'rn');
    const first = linkOf(await nextMail(sink, email, seen));
    await restClient(server.url, token).v1.emails.confirmations.create();
    const second = linkOf(await nextMail(sink, email, seen));
    assert.notEqual(second, first);
  });

  test('resend: only the app the person signed up with, with write:accounts, a valid address', async () => {
    const { token, email } = await register(server.url, 'ra');
    await nextMail(sink, email, seen);
    const other = await createApp(server.url);
    const otherTok = await passwordLogin(server.url, other, email);
    await expectHttpError(
      restClient(server.url, otherTok.accessToken).v1.emails.confirmations.create(),
      403,
      /only available to the application the user originally signed-up with/,
      'another app',
    );
    const me = restClient(server.url, token);
    const e = await expectHttpError(
      me.v1.emails.confirmations.create({ email: 'someone@example.org' }),
      422,
      /domain/,
      'an address outside allowed_domains',
    );
    assert.equal(e.details?.email?.[0]?.error, 'ERR_BLOCKED');
    await expectHttpError(me.v1.emails.confirmations.create({ email: 'not an address' }), 422, /Email/);
    const taken = await register(server.url, 'tk');
    await expectHttpError(me.v1.emails.confirmations.create({ email: taken.email }), 422, /taken/);
    const app = (await register(server.url, 'sc')).app;
    const readOnly = await passwordLogin(server.url, app, email, PASSWORD, 'read');
    await expectHttpError(
      restClient(server.url, readOnly.accessToken).v1.emails.confirmations.create(),
      403,
      /scope/,
      'a read-only token',
    );
    await expectHttpError(restClient(server.url).v1.emails.confirmations.create(), 401, /token|auth/i);
  });

  test('resend waits confirm_resend_every after the last link: 429 with Retry-After and the JSON error, nothing changed', async () => {
    const s = await startServer({
      env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com', PARTYLINE_SMTP_URL: sink.url, PARTYLINE_CONFIRM_RESEND_EVERY: '3600' },
    });
    try {
      const { token, email } = await register(s.url, 'rw');
      const first = linkOf(await nextMail(sink, email, seen));
      const resend = (json) => raw(s.url, '/api/v1/emails/confirmations', { method: 'POST', token, json });
      const soon = await resend({});
      assert.equal(soon.status, 429, soon.text);
      const wait = Number(soon.headers.get('retry-after'));
      // an hour's wait, so that a slow machine cannot let it pass before the resend
      assert.ok(wait > 3000 && wait <= 3600, `Retry-After ${soon.headers.get('retry-after')}`);
      assert.match(soon.json.error, /wait|again/i);
      // a refused resend changes nothing: not the address, not the link
      const moved = await resend({ email: `${uniqueName('mv')}@example.com` });
      assert.equal(moved.status, 429);
      const opened = await raw(s.url, new URL(first).pathname + new URL(first).search);
      assert.equal(opened.status, 200, 'the first link still works: no new one replaced it');
      assert.equal((await restClient(s.url, token).v1.accounts.verifyCredentials()).username.length > 0, true);
    } finally {
      await s.stop();
    }
  });

  test('resend after the wait sends a new link (confirm_resend_every)', async () => {
    const s = await startServer({
      env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com', PARTYLINE_SMTP_URL: sink.url, PARTYLINE_CONFIRM_RESEND_EVERY: '1' },
    });
    try {
      const { token, email } = await register(s.url, 'rx');
      const first = linkOf(await nextMail(sink, email, seen));
      await sleep(1100);
      const r = await raw(s.url, '/api/v1/emails/confirmations', { method: 'POST', token, json: {} });
      assert.equal(r.status, 200, r.text);
      assert.notEqual(linkOf(await nextMail(sink, email, seen)), first);
    } finally {
      await s.stop();
    }
  });

  test('an account never confirmed is deleted unconfirmed_expire after it registered: its username is free, its follows and mentions gone', async () => {
    const s = await startServer({
      env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com', PARTYLINE_SMTP_URL: sink.url, PARTYLINE_UNCONFIRMED_EXPIRE: '10' }, // long enough for the steps below on a slow machine
    });
    try {
      // a confirmed colleague, made by the administrator's tool (confirmed at once)
      const name = uniqueName('ucf');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
      Object.assign(env, s.cliEnv);
      await promisify(execFile)(binaryPath(), ['admin', 'create-user', '--data', s.dataDir, '--username', name,
        '--email', `${name}@example.com`, '--password', 'long enough pw'], { env });
      const colleagueToken = (await passwordLogin(s.url, await createApp(s.url), `${name}@example.com`, 'long enough pw')).accessToken;
      const colleague = restClient(s.url, colleagueToken);
      const { token, username, email } = await register(s.url, 'ugo');
      const found = await raw(s.url, `/api/v1/accounts/lookup?acct=${username}`, { token: colleagueToken });
      assert.equal(found.status, 200, `the unconfirmed account exists at first: ${found.text}`);
      const target = found.json;
      await nextMail(sink, email, seen);
      await colleague.v1.accounts.$select(target.id).follow();
      const dm = await colleague.v1.statuses.create({ status: `@${username} welcome?`, visibility: 'direct' });
      assert.equal((await colleague.v1.accounts.verifyCredentials()).followingCount, 1);
      const end = Date.now() + 40000;
      while ((await raw(s.url, `/api/v1/accounts/lookup?acct=${username}`, { token: colleagueToken })).status !== 404) {
        assert.ok(Date.now() < end, 'the unconfirmed account was never deleted');
        await sleep(200);
      }
      assert.equal((await raw(s.url, `/api/v1/accounts/${target.id}`, { token: colleagueToken })).status, 404);
      assert.equal((await colleague.v1.accounts.verifyCredentials()).followingCount, 0, 'the follow went with it');
      const seenDm = await colleague.v1.statuses.$select(dm.id).fetch();
      assert.deepEqual(seenDm.mentions, [], 'the mention went with it');
      const convs = await raw(s.url, '/api/v1/conversations', { token: colleagueToken });
      assert.equal(convs.status, 200, convs.text);
      const conv = convs.json.find((c) => c.last_status?.id === dm.id);
      assert.ok(conv, 'the sender keeps the conversation');
      assert.ok(!conv.accounts.some((a) => a.id === target.id), 'without the deleted participant');
      const old = await raw(s.url, '/api/v1/emails/confirmations', { method: 'POST', token, json: {} });
      assert.equal(old.status, 401, 'its token went with it');
      // the username and the address are free again; the newcomer inherits nothing
      const rest = restClient(s.url, (await appToken(s.url, await createApp(s.url))).accessToken);
      const tok = await rest.v1.accounts.create({ username, email, password: PASSWORD, agreement: true, locale: 'en' });
      assert.ok(tok.accessToken);
      const fresh = (await raw(s.url, `/api/v1/accounts/lookup?acct=${username}`, { token: colleagueToken })).json;
      assert.notEqual(fresh.id, target.id);
      assert.equal(fresh.followers_count, 0);
    } finally {
      await s.stop();
    }
  });

  test('a relay that refuses is tried again (mail_retry_seconds), and the message arrives', async () => {
    await sink.refuse(true);
    try {
      const { email } = await register(server.url, 'rt');
      await sleep(1500);
      await assert.rejects(nextMail(sink, email, new Set(seen), 0), /no message/, 'nothing arrives while the relay refuses');
      await sink.refuse(false);
      const mail = await nextMail(sink, email, seen);
      linkOf(mail);
    } finally {
      await sink.refuse(false);
    }
  });
});

describe('the outbox survives a restart', () => {
  test('mail queued while the relay is down is sent after a restart with the relay up', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'partyline-outbox-'));
    const database = await makeDatabase();
    const env = {
      PARTYLINE_ALLOWED_DOMAINS: 'example.com',
      PARTYLINE_SMTP_FROM: FROM,
      PARTYLINE_MAIL_RETRY_SECONDS: '1',
    };
    try {
      const dead = `smtp://127.0.0.1:${await freePort()}`; // nothing listens there
      const a = await startServer({ dataDir, database, env: { ...env, PARTYLINE_SMTP_URL: dead } });
      let email;
      try {
        ({ email } = await register(a.url, 'rb'));
        await sleep(300);
      } finally {
        await a.stop();
      }
      const b = await startServer({ dataDir, database, env: { ...env, PARTYLINE_SMTP_URL: sink.url } });
      try {
        const link = linkOf(await nextMail(sink, email, seen));
        const page = await raw(b.url, new URL(link).pathname + new URL(link).search);
        assert.equal(page.status, 200, 'the link made before the restart works');
      } finally {
        await b.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await dropDatabase(database);
    }
  });
});
