// admin.test.mjs — issue 14, "Web client": the administration area (web/js/views/admin.js).
// An administrator finds it in the navigation, confirms with the password again (the area's
// own admin:* token, for this tab only: the everyday token never holds admin power), and reads
// the audit log with its filters; a member has no entry and the address says whom it is for;
// a password typed for another account does not open it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
const run = promisify(execFile);
let srv;
let browser;
let boss;
let other;
let ben;
let gone;

async function makeAdmin() {
  const username = uniqueName('boss');
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...srv.cliEnv };
  await run(binaryPath(), ['admin', 'create-user', '--data', srv.dataDir, '--username', username,
    '--email', `${username}@example.com`, '--password', 'long enough pw', '--admin'], { env });
  return { username, email: `${username}@example.com`, password: 'long enough pw' };
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  boss = await makeAdmin();
  other = await makeAdmin();
  ben = await registerUser(srv.url, uniqueName('ben'));
  await ben.client.v1.statuses.create({ status: 'Kept: the quarterly plan', visibility: 'public' });
  gone = await ben.client.v1.statuses.create({ status: 'Regretted at once', visibility: 'private' });
  await ben.client.v1.statuses.$select(gone.id).remove();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Answers the server's sign-in page, which the area sends one to, with these credentials. */
async function confirm(page, who) {
  await page.getByRole('button', { name: 'Confirm with your password' }).click();
  await page.waitForURL(/\/oauth\/authorize\?/, WAIT);
  assert.match(await page.locator('body').innerText(), /administration rights/);
  await page.getByLabel('E-mail or username').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
}

test('an administrator confirms the password, reads the audit log and filters it', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, boss);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor(WAIT);
  // the everyday token cannot read the log: the area has asked for nothing yet
  assert.equal(await page.evaluate(() => sessionStorage.getItem('partyline.admin-token')), null);
  await confirm(page, boss);
  await page.waitForURL((u) => u.hash === '#/admin' && !u.search, WAIT);
  await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Audit log' }).click();

  const log = page.getByRole('list', { name: 'Audit log' });
  await log.getByRole('listitem').first().waitFor(WAIT);
  // actors are shown by name once their accounts are read (after the rows)
  await log.getByRole('link', { name: `@${ben.account.username}` }).first().waitFor(WAIT);
  const text = await log.innerText();
  assert.match(text, /post\.create/);
  assert.match(text, /post\.delete/);
  assert.doesNotMatch(text, /Regretted|quarterly plan/, 'the log never holds what a post says');
  await assertAccessible(page, 'the audit log');
  await screenshot(page, 'admin-audit-desk');

  // filtered: only ben's deletions
  await page.getByLabel('Action').fill('post.delete');
  await page.getByLabel('Person').fill(ben.account.username);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('ul.audit > li')];
    return rows.length > 0 && rows.every((li) => /post\.delete/.test(li.innerText));
  }, null, WAIT);
  const rows = await log.getByRole('listitem').allInnerTexts();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /status/);
  assert.match(rows[0], /private/, 'the deleted post’s audience');
  assert.deepEqual(page.problems, []);

  // leaving gives the admin token back: the tab no longer holds it
  await page.getByRole('button', { name: 'Leave administration' }).click();
  await page.waitForURL((u) => u.hash === '#/home', WAIT);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('partyline.admin-token')), null);
  await page.context().close();
});

test('a member has no Administration entry; the address says whom it is for', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ben);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'More' }).click();
  await nav.getByRole('link', { name: 'Settings' }).waitFor(WAIT);
  assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0);
  await page.evaluate(() => { location.hash = '#/admin/audit'; });
  await page.getByText('This area is for the company’s administrators and moderators').waitFor(WAIT);
  assert.equal(await page.getByRole('button', { name: 'Confirm with your password' }).count(), 0);
  await page.context().close();
});

test('another administrator’s password does not open the area for the one signed in', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, boss);
  await page.evaluate(() => { location.hash = '#/admin'; });
  await confirm(page, other);
  await page.getByText('You confirmed with another account’s password').waitFor(WAIT);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('partyline.admin-token')), null);
  assert.equal(await page.getByRole('list', { name: 'Audit log' }).count(), 0);
  await page.context().close();
});
