// admin.sections.test.mjs — issue 14, "Web client": the administration area's work, one flow
// a test (admin.test.mjs has the area's door: the password again, the audit log). A member
// reports a post and a moderator deals with it; an administrator approves a sign-up and
// disables someone; sets a retention policy and a legal hold, and releases it; makes a
// compliance export and downloads the zip. The server registers under approval, so everyone
// else is made on the command line, as a company's administrator would.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { appToken, binaryPath, createApp, passwordLogin, restClient, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
const run = promisify(execFile);
let srv;
let browser;
let boss;
let mod;
let amy;
let ben;
let benPost;

async function cli(...args) {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...srv.cliEnv };
  await run(binaryPath(), ['admin', ...args], { env });
}

/** A person made with `admin create-user` (approved), with role 'admin', 'moderator' or none. */
async function person(prefix, role = null) {
  const username = uniqueName(prefix);
  const who = { username, email: `${username}@example.com`, password: 'long enough pw' };
  await cli('create-user', '--data', srv.dataDir, '--username', username, '--email', who.email,
    '--password', who.password, ...(role === 'admin' ? ['--admin'] : []));
  if (role === 'moderator') await cli('set-role', '--data', srv.dataDir, '--username', username, '--role', 'moderator');
  return who;
}

/** An access token of who's (the password grant). */
async function tokenOf(who) {
  return (await passwordLogin(srv.url, await createApp(srv.url), who.email, who.password)).accessToken;
}

before(async () => {
  srv = await startServer({ env: { PARTYLINE_REGISTRATIONS: 'approval' } });
  browser = await launch();
  [boss, mod, amy, ben] = await Promise.all([person('boss', 'admin'), person('mod', 'moderator'), person('amy'), person('ben')]);
  ben.client = restClient(srv.url, await tokenOf(ben));
  benPost = await ben.client.v1.statuses.create({ status: 'Free pizza for whoever fixes the printer', visibility: 'public' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Opens the area at hash and answers its password step (the server's sign-in page) as who. */
async function openArea(page, hash, who) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.getByRole('button', { name: 'Confirm with your password' }).click();
  await page.waitForURL(/\/oauth\/authorize\?/, WAIT);
  await page.getByLabel('E-mail or username').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((u) => u.hash.startsWith('#/admin') && !u.search, WAIT);
  return page.getByRole('navigation', { name: 'Administration sections' });
}

test('a member reports a post; a moderator takes the report, limits the author, and it is resolved', async () => {
  const member = await newPage(browser, PHONE);
  await signIn(member, srv.url, amy);
  await member.goto(`${srv.url}/#/status/${benPost.id}`);
  const post = member.getByRole('article', { name: /Post by/ }).filter({ hasText: 'Free pizza' }).first();
  await post.getByRole('button', { name: 'Report' }).click();
  const form = member.getByRole('form', { name: /Report this post by/ });
  await form.getByLabel('It is spam').check();
  await form.getByLabel('What should the moderators know? (optional)').fill('Posted in every channel today');
  await form.getByRole('button', { name: 'Send report' }).click();
  await member.getByText('Reported. The moderators will look at it.').waitFor(WAIT);
  await assertAccessible(member, 'a post just reported');
  assert.deepEqual(member.problems, []);
  await member.context().close();

  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, mod);
  const tabs = await openArea(page, '#/admin/reports', mod);
  await tabs.getByRole('link', { name: 'Reports' }).waitFor(WAIT);
  assert.deepEqual(await tabs.getByRole('link').allInnerTexts(), ['Reports', 'Accounts'],
    'a moderator has no audit log, retention or exports');
  const report = page.getByRole('list', { name: 'Open reports' }).getByRole('listitem')
    .filter({ hasText: `@${amy.username} reported @${ben.username}` });
  await report.getByRole('list', { name: 'Reported posts' }).getByText('Free pizza for whoever fixes the printer').waitFor(WAIT);
  assert.match(await report.innerText(), /Spam[\s\S]*nobody has taken it[\s\S]*Posted in every channel today/);

  await report.getByRole('button', { name: 'Take it' }).click();
  await report.getByText(`taken by @${mod.username}`).waitFor(WAIT);
  await report.getByRole('button', { name: 'Limit' }).click();
  const ask = report.getByRole('group', { name: `Limit @${ben.username}?` });
  await assertAccessible(page, 'the reports queue with a question open');
  await ask.getByRole('button', { name: 'Limit' }).click();
  await report.getByText(`resolved by @${mod.username}`).waitFor(WAIT);
  assert.match(await report.innerText(), /Limited/, 'the reported account shows as limited');
  await report.getByRole('button', { name: 'Reopen' }).waitFor(WAIT);
  await screenshot(page, 'admin-report-resolved-desk');

  // the queue's other side lists it
  await page.getByRole('navigation', { name: 'Which reports' }).getByRole('link', { name: 'Resolved' }).click();
  await page.getByRole('list', { name: 'Resolved reports' }).getByText('Free pizza for whoever fixes the printer').waitFor(WAIT);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an administrator approves a sign-up, disables someone and off-boards someone with the wipe', async () => {
  // a sign-up under approval: an app registers the person, who waits
  const app = await createApp(srv.url);
  const waiting = uniqueName('new');
  await restClient(srv.url, (await appToken(srv.url, app)).accessToken).v1.accounts.create({
    username: waiting, email: `${waiting}@example.com`, password: 'long enough pw', agreement: true, locale: 'en',
    reason: 'I joined the design team on Monday',
  });
  const leaving = await person('carl');

  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, boss);
  await openArea(page, '#/admin/accounts', boss);
  await page.getByLabel('State').selectOption('pending');
  await page.getByRole('button', { name: 'Show' }).click();
  const row = page.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: `@${waiting}` });
  await row.getByText('Waiting for approval').waitFor(WAIT);
  await assertAccessible(page, 'the accounts waiting for approval');
  await row.getByRole('button', { name: 'Approve' }).click();
  await row.getByRole('button', { name: 'Disable sign-in' }).waitFor(WAIT);
  assert.doesNotMatch(await row.innerText(), /Waiting for approval/);
  // approved: the person can sign in now
  assert.ok((await passwordLogin(srv.url, app, waiting, 'long enough pw')).accessToken);

  await page.getByLabel('State').selectOption('');
  await page.getByLabel('Username').fill(leaving.username);
  await page.getByRole('button', { name: 'Show' }).click();
  const carl = page.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: `@${leaving.username}` });
  await carl.getByRole('button', { name: 'Disable sign-in' }).click();
  await carl.getByRole('group', { name: `Disable sign-in @${leaving.username}?` })
    .getByRole('button', { name: 'Disable sign-in' }).click();
  await carl.getByText('Sign-in disabled').waitFor(WAIT);
  await carl.getByRole('button', { name: 'Enable sign-in' }).waitFor(WAIT);
  await assertAccessible(page, 'an account just disabled');
  await screenshot(page, 'admin-accounts-phone');
  await assert.rejects(passwordLogin(srv.url, app, leaving.email, leaving.password), 'a disabled person cannot sign in');

  // off-boarding with the wipe: the person's post goes, by the server's background thread
  const dora = await person('dora');
  const doraPost = await restClient(srv.url, await tokenOf(dora)).v1.statuses.create({ status: 'my last day', visibility: 'public' });
  await page.getByLabel('Username').fill(dora.username);
  await page.getByRole('button', { name: 'Show' }).click();
  const row2 = page.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: `@${dora.username}` });
  await row2.getByRole('button', { name: 'Off-board' }).click();
  const ask = row2.getByRole('group', { name: `Off-board @${dora.username}` });
  await ask.getByLabel(/Also delete their posts/).check();
  await assertAccessible(page, 'the off-boarding question');
  await ask.getByRole('button', { name: `Off-board @${dora.username}` }).click();
  await page.getByText(`@${dora.username} was off-boarded`).waitFor(WAIT);
  const reader = { headers: { authorization: `Bearer ${await tokenOf(amy)}` } };
  const end = Date.now() + 15_000;
  while ((await fetch(`${srv.url}/api/v1/statuses/${doraPost.id}`, reader)).status !== 404) {
    assert.ok(Date.now() < end, 'the wipe deleted the post');
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('retention: an administrator sets the company policy, holds a channel, releases the hold and removes the policy', async () => {
  const channel = uniqueName('legal');
  const res = await fetch(`${srv.url}/api/v1/partyline/channels`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await tokenOf(boss)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: channel }),
  });
  assert.equal(res.status, 200, await res.text());

  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, boss);
  const tabs = await openArea(page, '#/admin/retention', boss);
  await tabs.getByRole('link', { name: 'Retention' }).waitFor(WAIT);
  assert.deepEqual(await tabs.getByRole('link').allInnerTexts(), ['Reports', 'Accounts', 'Retention', 'Exports', 'Audit log']);
  await page.getByText('No policy: posts are kept until their authors delete them.').waitFor(WAIT);
  await page.getByText('The most specific policy decides').waitFor(WAIT);

  // a number the server refuses is said where it was typed
  const policy = page.getByRole('form', { name: 'Set a retention policy' });
  await policy.getByLabel('Delete posts older than (days)').fill('0');
  await policy.getByRole('button', { name: 'Set the policy' }).click();
  await policy.getByText('The policy was not set: Validation failed: days must be a whole number from 1 to 36500').waitFor(WAIT);
  await policy.getByLabel('Delete posts older than (days)').fill('90');
  await policy.getByRole('button', { name: 'Set the policy' }).click();
  const policies = page.getByRole('list', { name: 'Retention policies' });
  await policies.getByText('The company: posts older than 90 days are deleted').waitFor(WAIT);
  // who set it is shown by name once the account is read (after the row)
  await policies.getByText(`Set by @${boss.username}`).first().waitFor(WAIT);

  const hold = page.getByRole('form', { name: 'Put a legal hold' });
  await hold.getByLabel('Hold').selectOption('channel');
  await hold.getByLabel('Name').fill(channel);
  await hold.getByLabel('Reason').fill('Litigation 2026-114');
  await hold.getByRole('button', { name: 'Put on hold' }).click();
  const holds = page.getByRole('list', { name: 'Legal holds' });
  const row = holds.getByRole('listitem').filter({ hasText: 'Litigation 2026-114' });
  await row.getByRole('link', { name: `#${channel}` }).waitFor(WAIT);
  // a channel already held is refused, in the server's words
  await hold.getByLabel('Name').fill(channel);
  await hold.getByRole('button', { name: 'Put on hold' }).click();
  await hold.getByText(/No hold was put: .*already under a legal hold/).waitFor(WAIT);
  await assertAccessible(page, 'retention with a policy and a hold');
  await screenshot(page, 'admin-retention-desk');

  await row.getByRole('button', { name: 'Release' }).click();
  await row.getByRole('group', { name: 'Release this hold?' }).getByRole('button', { name: 'Release' }).click();
  await row.getByText(/^Released /).waitFor(WAIT);
  await page.reload();
  await page.getByText('No legal hold is in force.').waitFor(WAIT);
  const company = page.getByRole('list', { name: 'Retention policies' }).getByRole('listitem')
    .filter({ hasText: 'The company: posts older than 90 days' });
  // removing it asks first
  await company.getByRole('button', { name: 'Remove' }).click();
  await company.getByRole('group', { name: 'Remove the company’s policy?' }).getByRole('button', { name: 'Remove' }).click();
  await page.getByText('No policy: posts are kept until their authors delete them.').waitFor(WAIT);
  const refused = page.problems.filter((m) => /status of 422/.test(m)); // the 0 days, the second hold: wanted
  assert.equal(refused.length, 2);
  assert.deepEqual(page.problems.filter((m) => !refused.includes(m)), []);
  await page.context().close();
});

test('exports: an administrator makes a compliance export of a range and downloads the zip', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, boss);
  await openArea(page, '#/admin/exports', boss);
  await page.getByText('No export has been made yet.').waitFor(WAIT);
  const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const form = page.getByRole('form', { name: 'Make a compliance export' });
  await form.getByLabel('From').fill(day(-1));
  await form.getByLabel('Until (included)').fill(day(1));
  // an unknown name is refused in the server's words, and nothing is made
  await form.getByLabel('People').fill(`${ben.username} nobody_here`);
  await form.getByRole('button', { name: 'Make the export' }).click();
  await form.getByText('No export was made: No such person: nobody_here').waitFor(WAIT);
  assert.equal(await page.getByText('No export has been made yet.').count(), 1, 'nothing was made');
  await form.getByLabel('People').fill(ben.username);
  await form.getByRole('button', { name: 'Make the export' }).click();

  const row = page.getByRole('list', { name: 'Compliance exports' }).getByRole('listitem').first();
  await row.getByText(`Posts by @${ben.username}.`).waitFor(WAIT);
  const download = row.getByRole('button', { name: 'Download' });
  await download.waitFor(WAIT);
  assert.match(await row.innerText(), /Ready[\s\S]*1 posts \(0 direct messages\), 0 files/);
  await assertAccessible(page, 'a ready export');
  await screenshot(page, 'admin-exports-phone');

  const [file] = await Promise.all([page.waitForEvent('download', WAIT), download.click()]);
  assert.match(file.suggestedFilename(), /\.zip$/);
  const zip = await readFile(await file.path());
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
  for (const entry of ['manifest.json', 'statuses.jsonl', 'SHA256SUMS']) {
    assert.ok(zip.includes(Buffer.from(entry)), `the zip names ${entry}`);
  }
  const refused = page.problems.filter((m) => /status of 422/.test(m)); // the unknown name: wanted
  assert.equal(refused.length, 1);
  assert.deepEqual(page.problems.filter((m) => !refused.includes(m)), []);
  await page.context().close();
});
