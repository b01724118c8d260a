// register.test.mjs — signing up in chromium against real servers: on an open server the
// sign-in page links to the form, and registering signs you in on the welcome; a taken
// username is shown beside its field with everything typed kept; with approval required the
// page asks why you want to join (the administrator sees it: admin list-pending) and says what
// happens next; where the address must be confirmed the page says to check the mail, can send
// the link again, and the mailed link confirms the account; on a closed server there is no
// link and #/register says sign-up is closed. Screenshots at phone and desk sizes; axe-core.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, createApp, passwordLogin, registerUser, restClient, startServers, uniqueName } from '../api/harness.mjs';
import { linkOf, nextMail, startSink } from '../api/mail.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot } from './browser.mjs';

let open;
let closed;
let approval;
let confirming; // allowed_domains set: new addresses are confirmed by a mailed link
let sink; // the SMTP server that link goes to
let browser;
before(async () => {
  sink = await startSink();
  [open, closed, approval, confirming] = await startServers([
    {},
    { env: { PARTYLINE_REGISTRATIONS: 'closed' } },
    { env: { PARTYLINE_REGISTRATIONS: 'approval' } },
    { env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com', PARTYLINE_SMTP_URL: sink.url, PARTYLINE_SMTP_FROM: 'noreply@example.com',
      // the test sends the link again at once (the wait itself: tests/api/emails.test.mjs)
      PARTYLINE_CONFIRM_RESEND_EVERY: '0' } },
  ]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await Promise.all([open, closed, approval, confirming].filter(Boolean).map((s) => s.stop()));
  await sink?.stop();
});

/** `partyline admin list-pending` on server s's data: rows of [id, username, email, when, reason]. */
async function adminListPending(s) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  if (s.database) env.PARTYLINE_DATABASE = s.database;
  const { stdout } = await promisify(execFile)(binaryPath(), ['admin', 'list-pending', '--data', s.dataDir], { env });
  return stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

async function fillForm(page, { username, email, password }) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Work e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel(/I agree/).check();
}

test('on an open server, sign-up from the sign-in page signs you in and welcomes you', async () => {
  const username = uniqueName('newbie');
  for (const [size, name] of [[DESK, 'register-1440'], [PHONE, 'register-390']]) {
    const page = await newPage(browser, size);
    await page.goto(open.url);
    await page.getByRole('link', { name: 'Create an account' }).waitFor({ timeout: 15_000 });
    if (size === DESK) await screenshot(page, 'signin-open-1440');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor({ timeout: 15_000 });
    await screenshot(page, name);
    await assertAccessible(page, `registration ${size.width}px`);
    assert.deepEqual(page.problems, []);
    if (size === PHONE) {
      await fillForm(page, { username, email: `${username}@example.com`, password: 'a long enough password' });
      await page.getByRole('button', { name: 'Create account' }).click();
      // a new person is welcomed (views/welcome.js; tests/browser/welcome.test.mjs)
      await page.waitForURL((u) => u.hash === '#/welcome', { timeout: 15_000 });
      await page.getByRole('heading', { name: /^Welcome to/ }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Your account' }).waitFor(); // its menu has Sign out
      // the server agrees: the page holds a working token for the new account
      const token = await page.evaluate(() => localStorage.getItem('partyline.token'));
      const me = await restClient(open.url, token).v1.accounts.verifyCredentials();
      assert.equal(me.username, username);
      assert.deepEqual(page.problems, []);
    }
    await page.context().close();
  }
});

test('a taken username is shown beside its field and everything typed stays', async () => {
  const taken = await registerUser(open.url, uniqueName('taken'));
  const page = await newPage(browser, PHONE);
  await page.goto(`${open.url}/#/register`);
  const email = `${uniqueName('other')}@example.com`;
  await fillForm(page, { username: taken.username, email, password: 'a long enough password' });
  await page.getByRole('button', { name: 'Create account' }).click();
  const username = page.getByLabel('Username');
  await page.getByText('Username has already been taken').waitFor({ timeout: 15_000 });
  // the message is the field's description, so a screen reader hears it with the field
  const describedBy = await username.getAttribute('aria-describedby');
  const errorId = await page.getByText('Username has already been taken').getAttribute('id');
  assert.ok(describedBy.split(' ').includes(errorId), 'the error describes the username field');
  assert.equal(await username.getAttribute('aria-invalid'), 'true');
  assert.equal(await username.inputValue(), taken.username);
  assert.equal(await page.getByLabel('Work e-mail').inputValue(), email);
  assert.equal(await page.getByLabel('Password').inputValue(), 'a long enough password');
  assert.equal(await page.evaluate(() => localStorage.getItem('partyline.token')), null, 'not signed in');
  await screenshot(page, 'register-error-390');
  await assertAccessible(page, 'registration with a field error');
  // the browser logs the 422 answer itself; nothing else may go wrong
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  await page.context().close();
});

test('where accounts need approval, the form asks why, and the page says what happens next', async () => {
  const username = uniqueName('waiting');
  for (const [size, name] of [[DESK, 'register-approval-1440'], [PHONE, 'register-approval-390']]) {
    const page = await newPage(browser, size);
    await page.goto(`${approval.url}/#/register`);
    await page.getByLabel('Why do you want to join?').waitFor({ timeout: 15_000 });
    await screenshot(page, name);
    await assertAccessible(page, `registration under approval ${size.width}px`);
    await page.context().close();
  }
  const page = await newPage(browser, PHONE);
  await page.goto(`${approval.url}/#/register`);
  await page.getByText(/An administrator approves new accounts here/).waitFor({ timeout: 15_000 });
  await fillForm(page, { username, email: `${username}@example.com`, password: 'a long enough password' });
  const reason = page.getByLabel('Why do you want to join?');
  await page.getByText('500 characters left').waitFor();
  // over the limit: the count says so, and the server's refusal is shown by the field
  await reason.fill('x'.repeat(501));
  await page.getByText('1 character too many').waitFor();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(/Reason is too long/).waitFor({ timeout: 15_000 });
  const errorId = await page.getByText(/Reason is too long/).getAttribute('id');
  assert.ok((await reason.getAttribute('aria-describedby')).split(' ').includes(errorId), 'the error describes the field');
  assert.equal(await reason.getAttribute('aria-invalid'), 'true');
  assert.equal(await reason.inputValue(), 'x'.repeat(501), 'what was typed stays');
  assert.equal(await page.getByLabel('Username').inputValue(), username);
  await screenshot(page, 'register-approval-error-390');
  const why = 'I run the Lyon warehouse and want to reach the drivers.';
  await reason.fill(why);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: /waits for approval/ }).waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('partyline.token')), null, 'not signed in yet');
  // the administrator sees the reason beside the request
  const pending = await adminListPending(approval);
  const row = pending.find((f) => f[1] === username);
  assert.ok(row, `${username} should wait for approval:\n${JSON.stringify(pending)}`);
  assert.equal(row[4], why);
  // the browser logs the 422 answer and the pending token's 403 itself; nothing else may go wrong
  assert.deepEqual(page.problems.filter((p) => !/status of (422|403)/.test(p)), []);
  await page.context().close();
});

test('where addresses are confirmed, the page says to check the mail, sends the link again, and the link works', async () => {
  const username = uniqueName('mailed');
  const email = `${username}@example.com`;
  const page = await newPage(browser, PHONE);
  await page.goto(`${confirming.url}/#/register`);
  await page.getByRole('heading', { name: 'Create your account' }).waitFor({ timeout: 15_000 });
  await fillForm(page, { username, email, password: 'a long enough password' });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor({ timeout: 15_000 });
  await page.getByText(`We sent a link to ${email}`).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('partyline.token')), null, 'not signed in yet');
  await screenshot(page, 'register-confirm-390');
  await assertAccessible(page, 'registration: check your e-mail');
  const seen = new Set();
  const first = linkOf(await nextMail(sink, email, seen));
  await page.getByRole('button', { name: 'Send the link again' }).click();
  await page.getByText(`Sent again to ${email}`).waitFor({ timeout: 15_000 });
  const second = linkOf(await nextMail(sink, email, seen));
  assert.notEqual(second, first, 'a new link');
  await page.goto(second);
  await page.getByRole('heading', { name: 'Your address is confirmed' }).waitFor({ timeout: 15_000 });
  await assertAccessible(page, 'the confirmation page');
  await page.getByRole('link', { name: /Sign in to/ }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
  // the account works now: the password grant's token reads the person's own account
  const tok = await passwordLogin(confirming.url, await createApp(confirming.url), email, 'a long enough password');
  assert.equal((await restClient(confirming.url, tok.accessToken).v1.accounts.verifyCredentials()).username, username);
  // the browser logs the unconfirmed token's 403 itself; nothing else may go wrong
  assert.deepEqual(page.problems.filter((p) => !/status of 403/.test(p)), []);
  await page.context().close();
});

test('on a closed server there is no sign-up link and #/register says sign-up is closed', async () => {
  const page = await newPage(browser, PHONE);
  const instance = page.waitForResponse((r) => r.url().endsWith('/api/v2/instance'));
  await page.goto(closed.url);
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
  await instance;
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.equal(await page.getByRole('link', { name: 'Create an account' }).count(), 0);
  await page.goto(`${closed.url}/#/register`);
  await page.getByRole('heading', { name: 'Sign-up is closed' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('button', { name: 'Create account' }).count(), 0);
  await assertAccessible(page, 'sign-up closed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
