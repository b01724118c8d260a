// influence.test.mjs — the Influence page (views/influence.js, #/influence; issue 15) in
// chromium against a real server: before a first computation it says so; after colleagues
// engage and `partyline admin influence recompute` runs (the accounts made a month old behind
// the server's back, so nobody is a newcomer), the page shows the score, the four breakdowns,
// the history's chart and its day in words; the switch shows the score to others (whose
// profile then carries the badge), and "who knows about" finds the person. Screenshots;
// axe-core.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const run = promisify(execFile);
const WAIT = { timeout: 15_000 };
const DAY = 86400000;
let srv;
let browser;

async function cli(args) {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...srv.cliEnv };
  const { stdout } = await run(binaryPath(), ['admin', ...args, '--data', srv.dataDir], { env });
  return stdout;
}

async function sql(text) {
  return srv.database
    ? run('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', srv.database, '-c', text])
    : run('sqlite3', [path.join(srv.dataDir, 'partyline.db'), text]);
}

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the score, what it is made of, its history in words, the switch and the experts', async () => {
  const me = await registerUser(srv.url, uniqueName('star'));
  const fans = [];
  for (const p of ['fa', 'fb', 'fc']) fans.push(await registerUser(srv.url, uniqueName(p)));

  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, me);
  await page.goto(`${srv.url}/#/influence`);
  await page.getByRole('heading', { level: 1, name: 'Your influence' }).waitFor(WAIT);
  await page.getByText('Not computed yet').waitFor(WAIT);
  await page.getByText('No days yet.').waitFor(WAIT);

  const post = await me.client.v1.statuses.create({ status: 'Notes on #kubernetes upgrades', visibility: 'public' });
  for (const f of fans) await f.client.v1.statuses.$select(post.id).favourite();
  await fans[0].client.v1.statuses.$select(post.id).reblog();
  await sql(`UPDATE accounts SET created_at = created_at - ${30 * DAY}`);
  await cli(['influence', 'recompute', '--at', new Date(Date.now() + 60_000).toISOString()]);

  await page.reload();
  await page.getByText('out of 100').waitFor(WAIT);
  const mine = await me.client.v1.accounts.verifyCredentials();
  const score = mine.partyline.influence.score;
  assert.equal(await page.locator('.influence-number .big').textContent(), String(score));
  for (const name of ['Where it happened', 'Topics', 'Signals', 'Who engaged']) {
    await page.getByRole('heading', { level: 3, name }).waitFor(WAIT);
  }
  const signals = page.getByRole('list', { name: 'Signals' });
  await signals.getByText('Likes').waitFor(WAIT);
  await signals.getByText('Boosts').waitFor(WAIT);
  const who = page.getByRole('list', { name: 'Who engaged' });
  for (const f of fans) await who.getByRole('link', { name: new RegExp(f.username) }).waitFor(WAIT);
  await page.getByRole('list', { name: 'Where it happened' }).getByText('#kubernetes').waitFor(WAIT);
  await page.getByRole('img', { name: new RegExp(`^Score ${score} on `) }).waitFor(WAIT);
  await page.getByRole('list', { name: 'Each day' }).getByText(/The first day computed: \d+ points\./).waitFor(WAIT);
  await screenshot(page, 'influence-1440');
  await assertAccessible(page, 'the influence page');

  // hidden from others until the switch is on; then the profile carries the badge
  const other = fans[1];
  const before = await other.client.v1.accounts.$select(me.account.id).fetch();
  assert.equal(before.partyline?.influence, undefined);
  const sw = page.getByRole('switch', { name: 'Show my score to others' });
  assert.equal(await sw.isChecked(), false);
  await sw.check();
  await page.waitForFunction(() => !document.getElementById('influence-shown').disabled);
  const afterShown = await other.client.v1.accounts.$select(me.account.id).fetch();
  assert.equal(afterShown.partyline?.influence?.score, score);

  // who knows about #kubernetes: the person, with the post
  await page.getByLabel('Who knows about').fill('#kubernetes');
  await page.getByRole('button', { name: 'Find experts' }).click();
  const experts = page.getByRole('list', { name: 'Experts' });
  await experts.getByText('Notes on #kubernetes upgrades').waitFor(WAIT);
  await page.getByText('1 person knows about #kubernetes.').waitFor(WAIT);
  await assertAccessible(page, 'the influence page with experts');
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // a colleague's phone: the badge on the profile
  const phone = await newPage(browser, PHONE);
  await signIn(phone, srv.url, other);
  await phone.goto(`${srv.url}/#/profile/${me.account.id}`);
  await phone.getByText(`Influence ${score}`).waitFor(WAIT);
  await phone.goto(`${srv.url}/#/influence`);
  await phone.getByText('out of 100').waitFor(WAIT);
  await screenshot(phone, 'influence-390');
  await assertAccessible(phone, 'the influence page on a phone');
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
});
