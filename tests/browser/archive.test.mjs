// archive.test.mjs — issue 14, "Download my archive" in the settings (views/settings.js,
// #/settings): one asks for it, the page says it is being made, and when the server has
// built it the link downloads the zip (Playwright's download event), which holds one's post.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, screenshot, signIn } from './browser.mjs';

const run = promisify(execFile);
const WAIT = { timeout: 15_000 };
let srv;
let browser;
let tmp;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'partyline-archive-'));
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('settings: Request my archive, then Download my archive receives the zip', async () => {
  const ida = await registerUser(srv.url, uniqueName('ida'));
  const post = await ida.client.v1.statuses.create({ status: 'Notes for the archive', visibility: 'private' });
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, ida);
  await page.evaluate(() => { location.hash = '#/settings'; });
  await page.getByRole('heading', { name: 'Download your archive' }).waitFor(WAIT);
  await page.getByText('You have not asked for an archive yet.').waitFor(WAIT);
  await page.getByRole('button', { name: 'Request my archive' }).click();
  const link = page.getByRole('link', { name: 'Download my archive' });
  await link.waitFor(WAIT);
  assert.ok(await page.getByRole('button', { name: 'Request my archive' }).isEnabled());
  await screenshot(page, 'settings-archive-1440');
  await assertAccessible(page, 'the archive settings');
  const [download] = await Promise.all([page.waitForEvent('download', WAIT), link.click()]);
  assert.match(download.suggestedFilename(), /^archive-\d{4}-\d\d-\d\d-\d+\.zip$/);
  const file = path.join(tmp, 'archive.zip');
  await download.saveAs(file);
  const { stdout } = await run('unzip', ['-p', file, 'outbox.json']);
  const outbox = JSON.parse(stdout);
  assert.deepEqual(outbox.orderedItems.map((it) => it.object.id.split('/').pop()), [post.id]);
  assert.deepEqual(page.problems, []);
});
